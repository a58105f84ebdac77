"""The 0-10 recommend scale: parsing score text, categories, counts and the point estimate.

Categories follow Reichheld's definition: detractors score 0-6, passives 7-8, promoters 9-10.
NPS = % promoters - % detractors, in points from -100 to 100.

Counts are always ordered ``(detractors, passives, promoters)``, the order of the R package
``NPS`` (Rocks 2016).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd

from nps_kit.errors import DataError, check_option

CATEGORIES: tuple[str, str, str] = ("detractor", "passive", "promoter")
"""Category labels in scale order."""

NONRESPONSE_POLICIES: tuple[str, ...] = ("exclude", "detractor", "passive")
"""How respondents without a score are treated; fixed per study (METHODS.md, "Study practice")."""

CATEGORY_DTYPE = pd.CategoricalDtype(list(CATEGORIES), ordered=True)

# score 0..10 -> category index 0 (detractor), 1 (passive), 2 (promoter)
_CATEGORY_OF_SCORE = np.array([0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2], dtype=np.intp)

NA_TOKENS: frozenset[str] = frozenset(
    {"", "na", "n/a", "nan", "none", "null", "-", "no answer", "not answered", "skipped",
     "don't know", "dont know", "prefer not to say"}
)
"""Score texts read as 'no answer' (case-insensitive, after stripping spaces)."""

# A number at the start, optionally followed by a label that does not start with a digit:
# "10 (Very Likely)", "0 - Not at all likely", "7", "7.0", " 7 ".
_SCORE_TEXT = re.compile(r"^\s*([+-]?\d+(?:\.\d*)?)\s*(?:([(\-–—:,;A-Za-z\u00C0-\uFFFF].*?))?\s*$")


class Counts(NamedTuple):
    """Numbers of detractors, passives and promoters (in that order).

    Examples
    --------
    >>> c = Counts(362, 176, 462)
    >>> c.n
    1000
    """

    detractors: int
    passives: int
    promoters: int

    @property
    def n(self) -> int:
        """Number of respondents counted."""
        return int(self.detractors + self.passives + self.promoters)


class ParsedScores(NamedTuple):
    """Result of :func:`parse_scores`: numbers, and the positions of problems.

    ``values`` is a float array with NaN for no answer and for invalid entries; ``invalid`` is a
    boolean mask of entries that are neither a valid 0-10 score nor a recognised no-answer;
    ``reasons`` holds a message per invalid entry (empty string elsewhere); ``labels`` maps the
    numbers that carried a text label in the data ("10 (Very Likely)") to that label.
    """

    values: np.ndarray
    invalid: np.ndarray
    reasons: np.ndarray
    labels: dict[int, str]


def parse_scores(values: Iterable) -> ParsedScores:
    """Parse scores as survey tools export them into numbers 0-10.

    Accepted: integers and integral floats 0-10 (``7``, ``7.0``), text with a leading number and an
    optional label (``"10 (Very Likely)"``, ``"0 - Not at all likely"``, ``" 7 "``). Blank cells,
    NaN/None and the texts in :data:`NA_TOKENS` are no answer. Everything else is invalid:
    numbers outside 0-10, fractional scores such as 8.5, and text without a leading number.

    Parameters
    ----------
    values : iterable
        Raw scores, any mix of numbers and text.

    Returns
    -------
    ParsedScores

    Examples
    --------
    >>> parse_scores(["10 (Very Likely)", " 7 ", None, "8.5"]).values
    array([10.,  7., nan, nan])
    """
    s = pd.Series(values, copy=False) if not isinstance(values, pd.Series) else values
    s = s.reset_index(drop=True)
    n = len(s)
    out = np.full(n, np.nan)
    invalid = np.zeros(n, dtype=bool)
    reasons = np.full(n, "", dtype=object)
    labels: dict[int, str] = {}

    if pd.api.types.is_bool_dtype(s.dtype):
        raise DataError("scores are true/false values, not 0-10 scores")
    if pd.api.types.is_numeric_dtype(s.dtype):
        num = s.to_numpy(dtype=float, na_value=np.nan)
    else:
        obj = s.astype(object).to_numpy()
        num = np.full(n, np.nan)
        is_num = np.fromiter(
            (isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in obj),
            dtype=bool, count=n,
        )
        num[is_num] = obj[is_num].astype(float)
        missing = pd.isna(s).to_numpy()
        text_idx = np.flatnonzero(~is_num & ~missing)
        if len(text_idx):
            text = pd.Series(obj[text_idx], dtype=object).astype(str)
            blank = text.str.strip().str.lower().isin(NA_TOKENS).to_numpy()
            parts = text.str.extract(_SCORE_TEXT)
            matched = parts[0].notna().to_numpy()
            bad = ~blank & ~matched
            invalid[text_idx[bad]] = True
            reasons[text_idx[bad]] = ["not a 0-10 score: " + repr(t) for t in text[bad]]
            good = ~blank & matched
            num[text_idx[good]] = parts[0][good].astype(float).to_numpy()
            lab = parts.loc[good & parts[1].notna().to_numpy()]
            for number, label in zip(lab[0].astype(float), lab[1]):
                label = str(label).strip(" ()-–—:,;")
                if label and float(number).is_integer():
                    labels.setdefault(int(number), label)
    present = ~np.isnan(num) & ~invalid
    frac = present & (num != np.round(num))
    out_of_range = present & ~frac & ((num < 0) | (num > 10))
    for mask, why in ((frac, "fractional score {v!r}: the scale has whole numbers 0-10"),
                      (out_of_range, "score {v!r} is outside the 0-10 scale")):
        for i in np.flatnonzero(mask):
            v = num[i]
            reasons[i] = why.format(v=int(v) if float(v).is_integer() else float(v))
        invalid |= mask
    out[present & ~invalid] = num[present & ~invalid]
    return ParsedScores(out, invalid, reasons, labels)


def _scores_array(scores: Iterable) -> np.ndarray:
    """Scores as floats 0-10 with NaN for no answer; invalid values raise DataError."""
    parsed = parse_scores(scores)
    if parsed.invalid.any():
        idx = np.flatnonzero(parsed.invalid)
        shown = "; ".join(f"position {i}: {parsed.reasons[i]}" for i in idx[:5])
        more = f" (and {len(idx) - 5} more)" if len(idx) > 5 else ""
        raise DataError(
            f"{len(idx)} invalid score(s): {shown}{more}. Scores must be whole numbers 0-10; "
            "use nps_kit.read_responses(..., errors='drop') to drop such rows with a report."
        )
    return parsed.values


def classify(scores: Iterable) -> pd.Series | pd.Categorical:
    """Classify 0-10 scores as detractor (0-6), passive (7-8) or promoter (9-10).

    Parameters
    ----------
    scores : array-like or Series
        Scores as numbers or survey text (see :func:`parse_scores`). No answer stays missing.

    Returns
    -------
    pandas.Series or pandas.Categorical
        An ordered categorical with categories ``detractor < passive < promoter``; a Series
        (same index and name) when given a Series.

    Examples
    --------
    >>> list(classify([0, 6, 7, 8, 9, 10]))
    ['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']
    """
    values = _scores_array(scores)
    codes = np.full(len(values), -1, dtype=np.int8)
    ok = ~np.isnan(values)
    codes[ok] = _CATEGORY_OF_SCORE[values[ok].astype(np.intp)]
    cat = pd.Categorical.from_codes(codes, dtype=CATEGORY_DTYPE)
    if isinstance(scores, pd.Series):
        return pd.Series(cat, index=scores.index, name=scores.name)
    return cat


def category_codes(values: np.ndarray) -> np.ndarray:
    """Category index (0 detractor, 1 passive, 2 promoter) of valid float scores; -1 for NaN."""
    codes = np.full(len(values), -1, dtype=np.intp)
    ok = ~np.isnan(values)
    codes[ok] = _CATEGORY_OF_SCORE[values[ok].astype(np.intp)]
    return codes


def counts(scores: Iterable, nonresponse: str = "exclude") -> Counts:
    """Count detractors, passives and promoters.

    Parameters
    ----------
    scores : array-like
        0-10 scores (numbers or survey text); missing values are no answer.
    nonresponse : {"exclude", "detractor", "passive"}
        What a missing score counts as. ``"exclude"`` leaves it out.

    Returns
    -------
    Counts

    Examples
    --------
    >>> counts([0, 7, 7, 9, 9, 9])
    Counts(detractors=1, passives=2, promoters=3)
    >>> counts([10, None, 3], nonresponse="detractor")
    Counts(detractors=2, passives=0, promoters=1)
    """
    check_option("nonresponse", nonresponse, NONRESPONSE_POLICIES)
    values = _scores_array(scores)
    codes = category_codes(values)
    c = np.bincount(codes[codes >= 0], minlength=3)
    missing = int((codes < 0).sum())
    if nonresponse == "detractor":
        c[0] += missing
    elif nonresponse == "passive":
        c[1] += missing
    return Counts(int(c[0]), int(c[1]), int(c[2]))


def as_counts(scores_or_counts) -> Counts:
    """Counts from a :class:`Counts`, a plain 3-tuple of counts, or scores (any other iterable).

    A *tuple* of three numbers is read as counts ``(detractors, passives, promoters)``; a list,
    array or Series is read as scores. Counts must be whole numbers >= 0.
    """
    if isinstance(scores_or_counts, tuple) and len(scores_or_counts) == 3:
        vals = []
        for name, v in zip(Counts._fields, scores_or_counts):
            try:
                fv = float(v)
            except (TypeError, ValueError):
                raise DataError(f"{name} count {v!r} is not a number") from None
            if not np.isfinite(fv) or fv < 0 or not fv.is_integer():
                raise DataError(f"{name} count {v!r} must be a whole number >= 0")
            vals.append(int(fv))
        return Counts(*vals)
    return counts(scores_or_counts)


def nps(scores_or_counts) -> float:
    """Net Promoter Score in points (-100..100).

    NPS = 100 * (promoters - detractors) / n.

    Parameters
    ----------
    scores_or_counts : tuple of 3 ints, Counts, or array-like of scores
        A tuple ``(detractors, passives, promoters)`` is read as counts; any other iterable
        (list, array, Series) as 0-10 scores, with missing values left out.

    Returns
    -------
    float
        NaN when there are no respondents.

    Examples
    --------
    >>> round(nps([0, 7, 7, 9, 9, 9]), 4)
    33.3333
    >>> nps((362, 176, 462))
    10.0
    """
    c = as_counts(scores_or_counts)
    if c.n == 0:
        return float("nan")
    return 100.0 * (c.promoters - c.detractors) / c.n


def mean_score(scores: Iterable) -> float:
    """Mean of the raw 0-10 scores: a different statistic from NPS, never to be called NPS.

    A mean (or median) of the raw scores can rise while NPS falls (METHODS.md, "The score").

    Examples
    --------
    >>> mean_score([0, 10, 8])
    6.0
    """
    values = _scores_array(scores)
    return float(np.nanmean(values)) if np.any(~np.isnan(values)) else float("nan")


def median_score(scores: Iterable) -> float:
    """Median of the raw 0-10 scores; like :func:`mean_score`, not an NPS."""
    values = _scores_array(scores)
    return float(np.nanmedian(values)) if np.any(~np.isnan(values)) else float("nan")


__all__ = [
    "as_counts", "CATEGORIES", "category_codes", "CATEGORY_DTYPE", "classify", "Counts", "counts",
    "mean_score", "median_score", "NA_TOKENS", "NONRESPONSE_POLICIES", "nps", "parse_scores",
    "ParsedScores",
]
