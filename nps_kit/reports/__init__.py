"""Report templates: recording key results, running templates, exporting shareable reports.

This module is the public face of the report machinery; the pieces live in small modules:

- :mod:`nps_kit.reports.record` - ``record(key, value)`` and ``keep_private(values)`` inside a
  template; ``recorded_results(path)`` reads the results back from an executed notebook;
- :mod:`nps_kit.reports.catalog` - finding templates and checking their parameters;
- :mod:`nps_kit.reports.runner` - ``run_template``: papermill, then ``.ipynb``, ``.html`` and ``.json``;
  ``output_path(output_dir, name)``: where a template writes any other file (inside the run's
  output folder, always);
- :mod:`nps_kit.reports.html` - the shareable HTML (no code, no remote scripts, no identifiers);
- :mod:`nps_kit.reports.provenance` - versions, parameters and SHA-256 of the inputs;
- :mod:`nps_kit.reports.demo` - running every template on the demo data with an index page.

Only :mod:`nps_kit.reports.record` is imported eagerly, so ``from nps_kit.reports import record`` in a
template stays cheap.
"""

from __future__ import annotations

from typing import Any

from nps_kit.reports.record import (
    PRIVATE_MIMETYPE,
    RESULT_MIMETYPE,
    keep_private,
    record,
    recorded_results,
    to_jsonable,
)

__all__ = [
    "PRIVATE_MIMETYPE", "RESULT_MIMETYPE", "keep_private", "record", "recorded_results",
    "to_jsonable", "list_templates", "find_template", "run_template", "run_demo", "output_path",
]

_LAZY = {
    "list_templates": "nps_kit.reports.catalog",
    "find_template": "nps_kit.reports.catalog",
    "run_template": "nps_kit.reports.runner",
    "output_path": "nps_kit.reports.runner",
    "run_demo": "nps_kit.reports.demo",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'nps_kit.reports' has no attribute {name!r}")
