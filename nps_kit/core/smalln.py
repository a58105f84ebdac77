"""One small-n policy: when a number is shown, and when "too few answers" is said instead.

An interval from 1 or 2 answers claims a precision the data do not have, a key-driver effect
from a level of 2 respondents is noise (often separated: a level where one category never
occurs drives a logit coefficient to infinity), and a trend slope from 3 waves has an interval
wider than the scale. Every table, sentence, figure and command of the kit follows these
minimums:

- :data:`MIN_ANSWERS` answers for an NPS interval of a group. Below it, the group's n, counts
  and NPS are shown, and its interval as "too few answers".
- :data:`MIN_LEVEL_ANSWERS` answers for a level of a key-driver attribute; smaller levels are
  pooled into one level, and dropped with a note when the pool is still smaller.
- :data:`MIN_WAVES_TREND` waves for a fitted trend slope and its interval.

About 10 events per estimated parameter keep logistic models stable (Peduzzi et al. 1996,
*Journal of Clinical Epidemiology* 49, 1373-1379); 10 answers for an interval follows the same
order of magnitude: below it, the adjusted-Wald interval of an NPS is wider than +-50 points.
"""

from __future__ import annotations

import numpy as np

MIN_ANSWERS = 10
"""Fewest answers for which a group's NPS interval is shown."""

MIN_LEVEL_ANSWERS = 10
"""Fewest answers for a key-driver level of its own."""

MIN_WAVES_TREND = 5
"""Fewest waves for a fitted trend slope with an interval."""

TOO_FEW = "too few answers"
"""What is shown instead of a number the data cannot support."""


def too_few(n) -> np.ndarray:
    """True where a group's answers are too few for an interval (``n < MIN_ANSWERS``)."""
    values = np.asarray(n, dtype=float)
    return ~(values >= MIN_ANSWERS)


def too_few_text(n: int | float) -> str:
    """``"too few answers (n = 3; an interval needs 10)"``."""
    shown = "0" if not np.isfinite(n) else f"{int(n):,}"
    return f"{TOO_FEW} (n = {shown}; an interval needs {MIN_ANSWERS})"


__all__ = ["MIN_ANSWERS", "MIN_LEVEL_ANSWERS", "MIN_WAVES_TREND", "TOO_FEW", "too_few",
           "too_few_text"]
