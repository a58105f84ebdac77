"""Figures of a one-wave NPS report: score distribution, NPS by group, category shares.

The group figures take the tidy table of :func:`nps_kit.summary.summarize` (NPS and intervals
in points, shares as fractions) and return the matplotlib Axes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from nps_kit.plots import CATEGORY_COLORS
from nps_kit.scores import CATEGORIES, classify, parse_scores

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
        _, ax = plt.subplots(figsize=(7, 3.5))
    sns.barplot(data=freq, x="score", y="respondents", hue="category", hue_order=list(CATEGORIES),
                palette=CATEGORY_COLORS, dodge=False, ax=ax)
    ax.set_xlabel("score (0 = not at all likely, 10 = extremely likely)")
    ax.set_ylabel("respondents")
    ax.set_title(f"Score distribution (n = {int(freq['respondents'].sum()):,} answers)")
    ax.legend(title=None, frameon=False)
    sns.despine(ax=ax)
    return ax


def _with_overall(summary: pd.DataFrame, group: str, overall: pd.DataFrame | None,
                  label: str) -> pd.DataFrame:
    table = summary.assign(**{group: summary[group].astype(str)})
    if overall is not None:
        table = pd.concat([overall.assign(**{group: label}), table], ignore_index=True)
    return table


def nps_forest(summary: pd.DataFrame, group: str, *, overall: pd.DataFrame | None = None,
               overall_label: str = "All respondents", ax: plt.Axes | None = None) -> plt.Axes:
    """NPS per group with its confidence interval (a forest plot), in points.

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
    table = _with_overall(summary, group, overall, overall_label)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.6 * len(table) + 1.2))
    y = np.arange(len(table))
    ax.hlines(y, table["ci_low"], table["ci_high"], color="#525252", linewidth=2)
    colors = np.where(table["nps"] >= 0, CATEGORY_COLORS["promoter"], CATEGORY_COLORS["detractor"])
    sns.scatterplot(x=table["nps"].to_numpy(), y=y, c=colors, s=60, zorder=3, ax=ax, legend=False)
    if overall is not None:
        ax.axvline(float(overall["nps"].iloc[0]), color="#737373", linestyle="--", linewidth=0.8)
    ax.axvline(0, color="#252525", linewidth=0.6)
    ax.set_yticks(y, [f"{g} (n = {n:,})" for g, n in zip(table[group], table["n"].astype(int))])
    ax.invert_yaxis()
    lo, hi = table["ci_low"].min(), table["ci_high"].max()
    ax.set_xlim(max(-100, lo - 10), min(100, hi + 10))
    level = float(table["confidence"].iloc[0]) if "confidence" in table else 0.95
    ax.set_xlabel(f"NPS (points) with {level:.0%} interval")
    ax.set_title("NPS by " + group)
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
        _, ax = plt.subplots(figsize=(7, 0.5 * len(table) + 1.2))
    shares = table[list(_SHARE_COLUMNS)].to_numpy(dtype=float) * 100
    left = np.zeros(len(table))
    y = np.arange(len(table))
    for j, category in enumerate(CATEGORIES):
        ax.barh(y, shares[:, j], left=left, color=CATEGORY_COLORS[category], label=category + "s",
                edgecolor="white")
        for yi, x0, w in zip(y, left, shares[:, j]):
            if w >= 6:
                ax.text(x0 + w / 2, yi, f"{w:.0f}%", ha="center", va="center", fontsize=8,
                        color="white" if category != "passive" else "#252525")
        left = left + shares[:, j]
    ax.set_yticks(y, table[group].tolist())
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of respondents (%)")
    ax.set_title("Detractors, passives and promoters")
    ax.legend(ncols=3, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.25))
    sns.despine(ax=ax, left=True)
    return ax
