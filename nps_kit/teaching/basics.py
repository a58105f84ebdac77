"""Notebook 01 (NPS basics): scores from a distribution, a mean that rises while NPS falls."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from nps_kit.errors import ParameterError
from nps_kit.core.scores import mean_score, median_score, nps

from nps_kit.teaching.helpers import positive_int

# --------------------------------------------------------------------------- 1. basics

MEAN_TRAP_BEFORE: dict[int, float] = {0: 0.20, 7: 0.20, 10: 0.60}
"""Score distribution of the first wave of :func:`mean_rises_nps_falls` (mean 7.4, NPS 40)."""

MEAN_TRAP_AFTER: dict[int, float] = {6: 0.25, 8: 0.20, 9: 0.55}
"""Score distribution of the second wave (mean 8.05, NPS 30): the angry zeros became
disappointed sixes (still detractors) and some promoters slipped to passives."""


def scores_from_distribution(distribution: Mapping[int, float], n: int) -> np.ndarray:
    """Exactly ``n`` scores with the given shares (no randomness), sorted.

    Counts are ``floor(n * share)`` topped up by largest remainder, so they add up to ``n``.

    Parameters
    ----------
    distribution : mapping of score (0-10) to share
        Shares must be >= 0 and add up to 1.
    n : int
        Number of scores.

    Examples
    --------
    >>> scores_from_distribution({0: 0.5, 10: 0.5}, 4).tolist()
    [0.0, 0.0, 10.0, 10.0]
    """
    n = positive_int("n", n)
    keys = np.array(list(distribution.keys()), dtype=float)
    shares = np.array(list(distribution.values()), dtype=float)
    if (np.any((keys < 0) | (keys > 10) | (keys != np.round(keys))) or np.any(shares < 0)
            or abs(shares.sum() - 1.0) > 1e-9):
        raise ParameterError(
            f"distribution={dict(distribution)!r}: keys must be whole scores 0-10 and the shares "
            ">= 0, adding up to 1"
        )
    exact = shares * n
    k = np.floor(exact).astype(np.int64)
    rest = n - int(k.sum())
    k[np.argsort(-(exact - k), kind="stable")[:rest]] += 1
    order = np.argsort(keys)
    return np.repeat(keys[order], k[order])


def mean_rises_nps_falls(
    n: int = 100,
    before: Mapping[int, float] | None = None,
    after: Mapping[int, float] | None = None,
) -> pd.DataFrame:
    """Two waves of scores in which the mean of the raw scores rises while NPS falls.

    Defaults: :data:`MEAN_TRAP_BEFORE` (20 % score 0, 20 % score 7, 60 % score 10: mean 7.4,
    NPS 40) and :data:`MEAN_TRAP_AFTER` (25 % score 6, 20 % score 8, 55 % score 9: mean 8.05,
    NPS 30). A mean rewards moving a 0 to a 6; NPS does not, because both are detractors, and it
    punishes a 10 slipping to an 8.

    Parameters
    ----------
    n : int
        Respondents per wave.
    before, after : mapping of score to share, optional
        Other distributions to try.

    Returns
    -------
    DataFrame
        ``wave`` ("before", "after") and ``score``, one row per respondent.
    """
    b = scores_from_distribution(MEAN_TRAP_BEFORE if before is None else before, n)
    a = scores_from_distribution(MEAN_TRAP_AFTER if after is None else after, n)
    return pd.DataFrame({"wave": np.repeat(["before", "after"], [len(b), len(a)]),
                         "score": np.concatenate([b, a])})


def score_statistics(data: pd.DataFrame, score: str = "score", by: str = "wave") -> pd.DataFrame:
    """Mean, median and NPS of the same scores, per group (groups in order of appearance).

    Uses :func:`nps_kit.core.scores.mean_score`, :func:`~nps_kit.core.scores.median_score` and
    :func:`~nps_kit.core.scores.nps`; the mean and median are on the 0-10 scale, NPS in points.

    Returns
    -------
    DataFrame
        ``by``, ``n``, ``mean``, ``median``, ``detractor_share``, ``passive_share``,
        ``promoter_share``, ``nps``.
    """
    rows = []
    for key, grp in data.groupby(by, sort=False):
        s = grp[score]
        cats = pd.cut(s, [-0.5, 6.5, 8.5, 10.5], labels=["d", "a", "p"]).value_counts(normalize=True)
        rows.append({by: key, "n": int(s.notna().sum()), "mean": mean_score(s), "median": median_score(s),
                     "detractor_share": float(cats["d"]), "passive_share": float(cats["a"]),
                     "promoter_share": float(cats["p"]), "nps": nps(s)})
    return pd.DataFrame(rows)


def as_score_shares(shares: Mapping, name: str) -> dict[int, float]:
    """A score distribution parameter ``{score: share}`` with whole-number keys 0-10.

    papermill's ``-y`` writes mapping keys as text (``{"0": 0.25}``); this reads them back as
    scores, and refuses a key that is not a score or a share that is not a number in [0, 1].
    """
    out = {}
    for key, value in dict(shares).items():
        try:
            score = float(key)
            share = float(value)
        except (TypeError, ValueError):
            raise ParameterError(f"{name}: {key!r}: {value!r} is not score: share; write for example "
                                 "{0: 0.25, 8: 0.2, 9: 0.55}") from None
        if not score.is_integer() or not 0 <= score <= 10 or not 0 <= share <= 1:
            raise ParameterError(f"{name}: {key!r}: {value!r}: scores are whole numbers 0-10 and shares "
                                 "lie between 0 and 1")
        out[int(score)] = share
    return out


def describe_change(what: str, before: float, after: float, decimals: int = 1, unit: str = "",
                    signed: bool = False) -> str:
    """"the NPS goes from +40.0 to +30.0 (down 10.0 points)", or "stays at ..." when the printed
    values are equal (so a sentence never says "down 0.0")."""
    fmt = f"{{:{'+' if signed else ''}.{decimals}f}}"
    a, b = fmt.format(before), fmt.format(after)
    unit_text = f" {unit}" if unit else ""
    gap = round(after, decimals) - round(before, decimals)
    if a == b or round(abs(gap), decimals) == 0:
        return f"{what} stays at {a}"
    return f"{what} goes from {a} to {b} ({'up' if gap > 0 else 'down'} {abs(gap):.{decimals}f}{unit_text})"


_CATEGORY = {"detractor": (0, 6), "passive": (7, 8), "promoter": (9, 10)}


def explain_mean_vs_nps(data: pd.DataFrame, score: str = "score", by: str = "wave") -> list[str]:
    """Sentences saying what moved between two groups of scores, category by category.

    For each category: its share in each group and the mean score inside it. The NPS moves only
    with the promoter and detractor shares; the mean also moves with scores inside a category.

    Returns
    -------
    list of str
        One sentence per category that changed, then the sentence that names which measure
        followed which change.
    """
    groups = list(dict.fromkeys(data[by]))
    if len(groups) != 2:
        raise ParameterError(f"explain_mean_vs_nps needs exactly two groups in {by!r}, got {len(groups)}")
    first, second = (data.loc[data[by] == g, score].dropna().astype(float) for g in groups)
    lines, inside, crossing = [], False, False
    for name, (lo, hi) in _CATEGORY.items():
        a, b = first[(first >= lo) & (first <= hi)], second[(second >= lo) & (second <= hi)]
        sa, sb = len(a) / max(len(first), 1), len(b) / max(len(second), 1)
        pa, pb = round(100 * sa), round(100 * sb)
        if pa == pb:
            text = f"The {name} share stays at {pa} %"
        else:
            text = (f"The {name} share goes from {pa} % to {pb} % "
                    f"({'up' if pb > pa else 'down'} {abs(pb - pa)} points)")
        if len(a) and len(b):
            ma, mb = a.mean(), b.mean()
            if round(ma, 1) != round(mb, 1):
                inside = True
                text += f"; inside the category the mean score {describe_change('', ma, mb, 1).strip()}"
        if round(100 * sa) != round(100 * sb):
            crossing = crossing or name != "passive"
        lines.append(text + ".")
    if inside and crossing:
        lines.append("The mean follows both kinds of move; the NPS follows only the promoter and "
                     "detractor shares.")
    elif inside:
        lines.append("Only scores inside the categories moved: the mean changes, the NPS cannot.")
    elif crossing:
        lines.append("Only the category shares moved, so both measures follow them.")
    else:
        lines.append("Nothing moved between the groups.")
    return lines


__all__ = [
    "as_score_shares", "describe_change", "explain_mean_vs_nps", "mean_rises_nps_falls", "MEAN_TRAP_AFTER", "MEAN_TRAP_BEFORE", "score_statistics",
    "scores_from_distribution",
]
