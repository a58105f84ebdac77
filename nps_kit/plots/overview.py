"""Figures of a one-wave NPS report: score distribution, NPS by group, category shares.

The group figures take the tidy table of :func:`nps_kit.core.summary.summarize` (NPS and intervals
in points, shares as fractions) and return the matplotlib Axes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from nps_kit.plots import FIGURE_WIDTH, CATEGORY_COLORS, figure_labels
from nps_kit.core.scores import CATEGORIES, classify, parse_scores
from nps_kit.core.safetext import display_text
from nps_kit.core.smalln import MIN_ANSWERS, TOO_FEW, too_few

_SHARE_COLUMNS = ("detractor_share", "passive_share", "promoter_share")


def score_frequencies(scores: pd.Series) -> pd.DataFrame:
    """Respondents per score 0-10 with its category (no answers left out).

    Returns
    -------
    DataFrame
        Columns ``score`` (0..10, every value present), ``respondents``, ``share`` (of those who
        answered) and ``category``.
    """
    values = parse_scores(scores).values
    answered = values[~np.isnan(values)].astype(int)
    freq = np.bincount(answered, minlength=11)[:11]
    total = freq.sum()
    return pd.DataFrame({
        "score": np.arange(11),
        "respondents": freq,
        "share": freq / total if total else np.zeros(11),
        "category": np.asarray(classify(np.arange(11.0))),
    })


def score_distribution(scores: pd.Series, *, ax: plt.Axes | None = None) -> plt.Axes:
    """Bars of respondents per score 0-10, coloured detractor / passive / promoter.

    Parameters
    ----------
    scores : Series
        0-10 scores (missing = no answer, left out).
    ax : Axes, optional
    """
    freq = score_frequencies(scores)
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 3.5))
    sns.barplot(data=freq, x="score", y="respondents", hue="category", hue_order=list(CATEGORIES),
                palette=CATEGORY_COLORS, dodge=False, ax=ax)
    ax.set_xlabel("score (0 = not at all likely, 10 = extremely likely)", wrap=True)
    ax.set_ylabel("respondents", wrap=True)
    ax.set_title(f"Score distribution (n = {int(freq['respondents'].sum()):,} answers)", wrap=True)
    ax.legend(title=None, frameon=False)
    sns.despine(ax=ax)
    return ax


def _with_overall(summary: pd.DataFrame, group: str, overall: pd.DataFrame | None,
                  label: str) -> pd.DataFrame:
    table = summary.assign(**{group: summary[group].astype(str)})
    if overall is not None:
        table = pd.concat([overall.assign(**{group: label}), table], ignore_index=True)
    return table


MAX_FOREST_GROUPS = 40
"""Most groups a forest plot draws (the largest by answers); the table lists every group."""


def nps_forest(summary: pd.DataFrame, group: str, *, overall: pd.DataFrame | None = None,
               overall_label: str = "All respondents", ax: plt.Axes | None = None) -> plt.Axes:
    """NPS per group with its confidence interval (a forest plot), in points.

    Groups without answers are left out; a group with too few answers for an interval
    (:mod:`nps_kit.core.smalln`) is drawn as a hollow point without one; at most
    :data:`MAX_FOREST_GROUPS` groups are drawn (the largest). The title says what was left out.

    Parameters
    ----------
    summary : DataFrame
        Output of ``summarize(..., by=group)``.
    group : str
        Group column.
    overall : DataFrame, optional
        One-row ``summarize`` output without groups; drawn first and as a dashed reference line.
    overall_label : str
    ax : Axes, optional
    """
    answered = summary[summary["n"] > 0]
    left_out = len(summary) - len(answered)
    if len(answered) > MAX_FOREST_GROUPS:
        answered = answered.sort_values("n", ascending=False, kind="stable").head(MAX_FOREST_GROUPS)
        left_out = len(summary) - len(answered)
    table = _with_overall(answered, group, overall, overall_label).reset_index(drop=True)
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 0.45 * len(table) + 1.4))
    y = np.arange(len(table))
    few = too_few(table["n"])
    ax.hlines(y[~few], table.loc[~few, "ci_low"], table.loc[~few, "ci_high"], color="#525252",
              linewidth=2)
    colors = np.where(table["nps"] >= 0, CATEGORY_COLORS["promoter"], CATEGORY_COLORS["detractor"])
    ax.scatter(table.loc[~few, "nps"], y[~few], c=colors[~few], s=60, zorder=3)
    if few.any():
        ax.scatter(table.loc[few, "nps"], y[few], facecolors="none", edgecolors=colors[few], s=60,
                   zorder=3, label=f"{TOO_FEW} for an interval (n < {MIN_ANSWERS})")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False, ncols=2)
    if overall is not None:
        ax.axvline(float(overall["nps"].iloc[0]), color="#737373", linestyle="--", linewidth=0.8)
    ax.axvline(0, color="#252525", linewidth=0.6)
    ax.set_yticks(y, [f"{g} (n = {n:,})"
                      for g, n in zip(figure_labels(table[group]), table["n"].astype(int))])
    ax.invert_yaxis()
    lo = np.nanmin(np.r_[table.loc[~few, "ci_low"].to_numpy(float), table["nps"].to_numpy(float)])
    hi = np.nanmax(np.r_[table.loc[~few, "ci_high"].to_numpy(float), table["nps"].to_numpy(float)])
    ax.set_xlim(max(-105, lo - 10), min(105, hi + 10))
    level = float(table["confidence"].iloc[0]) if "confidence" in table else 0.95
    ax.set_xlabel(f"NPS (points) with {level:.0%} interval", wrap=True)
    title = "NPS by " + display_text(group, "figure", 40)
    if left_out:
        title += f" ({left_out} group(s) without answers or smallest not drawn)"
    ax.set_title(title, loc="left", wrap=True)
    sns.despine(ax=ax, left=True)
    return ax


def category_shares(summary: pd.DataFrame, group: str, *, overall: pd.DataFrame | None = None,
                    overall_label: str = "All respondents", ax: plt.Axes | None = None) -> plt.Axes:
    """Stacked horizontal bars of detractor, passive and promoter shares (%) per group.

    Parameters
    ----------
    summary : DataFrame
        Output of ``summarize(..., by=group)`` (shares as fractions).
    group : str
    overall : DataFrame, optional
        One-row ``summarize`` output without groups, drawn as the first bar.
    overall_label : str
    ax : Axes, optional
    """
    table = _with_overall(summary, group, overall, overall_label)
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 0.5 * len(table) + 1.2))
    shares = table[list(_SHARE_COLUMNS)].to_numpy(dtype=float) * 100
    left = np.zeros(len(table))
    y = np.arange(len(table))
    for j, category in enumerate(CATEGORIES):
        ax.barh(y, shares[:, j], left=left, color=CATEGORY_COLORS[category], label=category + "s",
                edgecolor="white")
        for yi, x0, w in zip(y, left, shares[:, j]):
            if w >= 6:
                ax.text(x0 + w / 2, yi, f"{w:.0f}%", ha="center", va="center",
                        color="white" if category != "passive" else "#252525")
        left = left + shares[:, j]
    ax.set_yticks(y, figure_labels(table[group]))
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of respondents (%)", wrap=True)
    ax.set_title("Detractors, passives and promoters", wrap=True)
    ax.legend(ncols=3, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.25))
    sns.despine(ax=ax, left=True)
    return ax


__all__ = [
    "category_shares", "MAX_FOREST_GROUPS", "nps_forest", "score_distribution",
    "score_frequencies",
]
