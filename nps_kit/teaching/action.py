"""Sentences for notebook 05 (from score to action) that follow its numbers."""

from __future__ import annotations

import pandas as pd

from nps_kit.core.safetext import display_text
from nps_kit.teaching.helpers import probability


def describe_theme_lift(lift: pd.DataFrame, alpha: float = 0.05) -> list[str]:
    """What the lift table supports, theme by theme, for the themes worth a word.

    A theme is named when its unadjusted interval excludes 1 or its Holm-adjusted p-value is
    below ``alpha``. The sentence says whether the signal survives the adjustment across all
    themes tested and, when the interval (a normal approximation on the log scale) and Fisher's
    exact test disagree at the edge, says that too.

    Parameters
    ----------
    lift : DataFrame
        Output of :func:`nps_kit.themes.statistics.theme_lift` (``theme``, ``lift``,
        ``lift_low``, ``lift_high``, ``p_value``, ``p_adjusted``).
    alpha : float
        Level of the tests.

    Returns
    -------
    list of str
        One sentence per theme named, or one sentence saying no theme stands out.
    """
    alpha = probability("alpha", alpha)
    k = len(lift)
    out = []
    for _, row in lift.iterrows():
        low, high = row["lift_low"], row["lift_high"]
        excludes = pd.notna(low) and pd.notna(high) and (low > 1 or high < 1)
        adjusted = pd.notna(row["p_adjusted"]) and row["p_adjusted"] < alpha
        if not (excludes or adjusted):
            continue
        way = "more" if row["lift"] > 1 else "less"
        head = (f"{display_text(row['theme'])}: detractors mention it {row['lift']:.1f} times as often as promoters "
                f"({way} often; unadjusted interval {low:.2f} to {high:.2f})")
        if adjusted:
            out.append(f"{head}, and it stays below {alpha:g} after Holm's adjustment across {k} themes "
                       f"(p = {row['p_adjusted']:.3f}): a signal worth acting on.")
            continue
        text = (f"{head}, but after Holm's adjustment across {k} themes p = {row['p_adjusted']:.3f}: with {k} "
                "themes tested, an interval like this one can appear by chance, so treat it as a lead to "
                "check in the next wave, not as a finding.")
        if excludes and row["p_value"] >= alpha:
            text += (f" Even before adjusting, Fisher's exact test gives p = {row['p_value']:.3f}: the interval "
                     "is an approximation, and at the edge the two can disagree.")
        out.append(text)
    if not out:
        out.append(f"No theme stands out: every unadjusted interval includes 1 and no adjusted p-value is below {alpha:g}.")
    return out


__all__ = ["describe_theme_lift"]
