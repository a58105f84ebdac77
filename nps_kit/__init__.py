"""nps-kit: Net Promoter Score research kit.

NPS and its intervals are in points (-100..100) everywhere; counts are ordered
(detractors, passives, promoters).
"""

from nps_kit._version import __version__
from nps_kit.errors import DataError, NPSKitError, NPSKitWarning, ParameterError
from nps_kit.intervals import METHODS, NPSInterval, nps_interval
from nps_kit.scores import CATEGORIES, Counts, classify, counts, mean_score, median_score, nps
from nps_kit.summary import summarize

__all__ = [
    "__version__", "CATEGORIES", "Counts", "DataError", "NPSKitError", "NPSKitWarning",
    "METHODS", "NPSInterval", "ParameterError", "classify", "counts", "mean_score", "median_score",
    "nps", "nps_interval", "summarize",
]
