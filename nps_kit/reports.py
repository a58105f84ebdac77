"""Report templates: recording key results, running templates, exporting shareable reports.

This module is the public face of the report machinery; the pieces live in small modules:

- :mod:`nps_kit.record` - ``record(key, value)`` inside a template, ``recorded_results(path)``
  to read them back from an executed notebook;
"""

from __future__ import annotations

from nps_kit.record import RESULT_MIMETYPE, record, recorded_results, to_jsonable

__all__ = ["RESULT_MIMETYPE", "record", "recorded_results", "to_jsonable"]
