"""nps-kit: Net Promoter Score research kit.

NPS and its intervals are in points (-100..100) everywhere; counts are ordered
(detractors, passives, promoters).

The face of the package: the functions the README shows, loaded when first used (so
``import nps_kit`` and ``nps-kit --help`` cost no pandas). The rooms behind it, one capability
each, are described in docs/architecture.md: ``core`` (estimators), ``privacy``, ``data``,
``engines`` (where rows are read and counted), the capabilities (``design``, ``waves``,
``groups``, ``revenue``, ``outcomes``, ``enps``, ``themes``, ``simulate``, ``teaching``),
``plots``, ``reports`` and ``cli``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nps_kit._version import __version__
from nps_kit.errors import DataError, NPSKitError, NPSKitWarning, ParameterError

_FACE = {
    "METHODS": "nps_kit.core.intervals", "NPSInterval": "nps_kit.core.intervals",
    "nps_interval": "nps_kit.core.intervals",
    "CATEGORIES": "nps_kit.core.scores", "Counts": "nps_kit.core.scores",
    "classify": "nps_kit.core.scores", "counts": "nps_kit.core.scores",
    "mean_score": "nps_kit.core.scores", "median_score": "nps_kit.core.scores",
    "nps": "nps_kit.core.scores",
    "read_responses": "nps_kit.engines.dispatch", "read_table": "nps_kit.engines.dispatch",
    "summarize": "nps_kit.engines.dispatch",
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from nps_kit.core.intervals import METHODS, NPSInterval, nps_interval
    from nps_kit.core.scores import (CATEGORIES, Counts, classify, counts, mean_score,
                                     median_score, nps)
    from nps_kit.engines.dispatch import read_responses, read_table, summarize


def __getattr__(name: str) -> Any:
    if name in _FACE:
        import importlib

        value = getattr(importlib.import_module(_FACE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'nps_kit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_FACE])


__all__ = [
    "__version__", "CATEGORIES", "Counts", "DataError", "NPSKitError", "NPSKitWarning",
    "METHODS", "NPSInterval", "ParameterError", "classify", "counts", "mean_score", "median_score",
    "nps", "nps_interval", "read_responses", "read_table", "summarize",
]
