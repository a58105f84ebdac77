"""Figures for NPS against customer value: outcomes by category, model estimates, NPS vs outcome.

Each function takes a table or result from :mod:`nps_kit.outcomes.by_category`, :mod:`nps_kit.outcomes.models` or
:mod:`nps_kit.outcomes.aggregate` (the intervals are computed there, not by seaborn) and returns the
matplotlib Axes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from nps_kit.plots import FIGURE_WIDTH, CATEGORY_COLORS, category_palette, figure_labels


def _bars_with_intervals(table: pd.DataFrame, value: str, low: str, high: str, ax: plt.Axes) -> None:
    sns.barplot(data=table, x="category", y=value, hue="category", palette=category_palette(),
                order=list(CATEGORY_COLORS), hue_order=list(CATEGORY_COLORS), legend=False,
                saturation=1, ax=ax)
    x = np.arange(len(table))
    v = table[value].to_numpy(dtype=float)
    err = np.vstack([v - table[low].to_numpy(dtype=float), table[high].to_numpy(dtype=float) - v])
    ax.errorbar(x, v, yerr=err, fmt="none", ecolor="#252525", capsize=5, linewidth=1.2)
    for xi, n in zip(x, table["n"]):
        ax.annotate(f"n = {int(n)}", xy=(xi, 0), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", color="white")
    ax.set_xlabel("")


def category_outcomes_plot(table: pd.DataFrame, axes: tuple[plt.Axes, plt.Axes] | None = None
                           ) -> tuple[plt.Axes, plt.Axes]:
    """Mean LTV and churn rate by category as bars with their intervals (two panels).

    Parameters
    ----------
    table : DataFrame
        Output of :func:`nps_kit.outcomes.by_category.category_outcomes` (with churn columns).
    axes : pair of Axes, optional
    """
    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(FIGURE_WIDTH, 7))
    ax1, ax2 = axes
    _bars_with_intervals(table, "mean_ltv", "ltv_ci_low", "ltv_ci_high", ax1)
    method = str(table["ltv_interval"].iloc[0]) if "ltv_interval" in table else "t"
    conf = float(table["confidence"].iloc[0]) if "confidence" in table else 0.95
    ax1.set_ylabel("mean LTV", wrap=True)
    ax1.set_title(f"Mean LTV by category ({conf:.0%} {method} interval)", wrap=True)
    if "churn_rate" in table:
        t = table.assign(churn_rate=100 * table["churn_rate"], churn_ci_low=100 * table["churn_ci_low"],
                         churn_ci_high=100 * table["churn_ci_high"])
        _bars_with_intervals(t, "churn_rate", "churn_ci_low", "churn_ci_high", ax2)
        ax2.set_ylabel("churn rate (%)", wrap=True)
        ax2.set_title(f"Churn by category ({conf:.0%} Wilson interval)", wrap=True)
    return ax1, ax2


def ltv_distribution_plot(data: pd.DataFrame, ltv: str = "ltv", category: str = "category",
                          ax: plt.Axes | None = None) -> plt.Axes:
    """Box plots of LTV by category on a log axis (LTV is skewed: means hide the spread)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4))
    d = data.loc[pd.to_numeric(data[ltv], errors="coerce") > 0]
    sns.boxplot(data=d, x=category, y=ltv, hue=category, palette=CATEGORY_COLORS,
                order=list(CATEGORY_COLORS), legend=False, saturation=1, ax=ax)
    ax.set_yscale("log")
    ax.set_xlabel("")
    ax.set_ylabel(f"{ltv} (log scale)", wrap=True)
    ax.set_title("LTV by category", wrap=True)
    return ax


def estimates_plot(summary: pd.DataFrame, terms: list[str] | None = None,
                   ax: plt.Axes | None = None) -> plt.Axes:
    """Estimates with intervals from a model table (``ModelResult.summary``), one line per term.

    By default the category (or score) terms; a reference line marks no difference (0 for a
    difference, 1 for a ratio or odds ratio).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 2.5))
    t = summary.loc[summary["term"] != "Intercept"]
    if terms is None:
        t = t.loc[t["term"].str.startswith("category[") | (t["scale"].isin(["odds ratio"])
                                                          & ~t["label"].str.contains(":"))]
    else:
        t = t.loc[t["term"].isin(terms)]
    y = np.arange(len(t))[::-1]
    est = t["estimate"].to_numpy(dtype=float)
    err = np.vstack([est - t["ci_low"].to_numpy(dtype=float), t["ci_high"].to_numpy(dtype=float) - est])
    colors = [CATEGORY_COLORS.get(str(term)[9:-1], "#252525") for term in t["term"]]
    ax.errorbar(est, y, xerr=err, fmt="none", ecolor="#636363", capsize=4)
    ax.scatter(est, y, c=colors, zorder=3, s=40)
    scale = str(t["scale"].iloc[0]) if len(t) else ""
    ax.axvline(1.0 if scale in ("ratio of means", "odds ratio") else 0.0, color="#252525",
               linewidth=0.8, linestyle=":")
    ax.set_yticks(y, figure_labels(t["label"], 60))
    ax.set_ylim(-0.6, len(t) - 0.4)
    ax.set_xlabel(scale, wrap=True)
    return ax


def nps_outcome_plot(result, hue: str | None = "segment", ax: plt.Axes | None = None) -> plt.Axes:
    """NPS against an outcome across points with the fitted least-squares line.

    Parameters
    ----------
    result : AggregateCorrelation
        From :func:`nps_kit.outcomes.aggregate.aggregate_correlation`.
    hue : str, optional
        Column of the points to colour by (ignored when absent).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4))
    pts = result.points
    hue = hue if hue is not None and hue in pts.columns else None
    sns.scatterplot(data=pts, x=result.x, y=result.y, hue=hue, s=60, ax=ax)
    if "nps_ci_low" in pts and "nps_ci_high" in pts and result.x == "nps":
        xv = pts[result.x].to_numpy(dtype=float)
        ax.errorbar(xv, pts[result.y], xerr=np.vstack([xv - pts["nps_ci_low"], pts["nps_ci_high"] - xv]),
                    fmt="none", ecolor="#bdbdbd", linewidth=0.8, zorder=0)
    if np.isfinite(result.slope):
        xs = np.linspace(pts[result.x].min(), pts[result.x].max(), 50)
        ax.plot(xs, result.intercept + result.slope * xs, color="#252525", linewidth=1.2,
                label="least-squares line")
    ci = (f"[{result.low:.2f}, {result.high:.2f}]" if np.isfinite(result.low) else "no interval")
    ax.set_title(f"{result.kind.capitalize()} r = {result.r:.2f}, {result.confidence:.0%} CI {ci}, "
                 f"{result.n_points} points", wrap=True)
    within = getattr(result, "within", None)
    ax.set_xlabel("NPS (points)" if not within else f"NPS minus its {within} mean (points)", wrap=True)
    ax.set_ylabel(result.outcome_name if not within else f"{result.outcome_name} minus its {within} mean", wrap=True)
    return ax


__all__ = ["category_outcomes_plot", "estimates_plot", "ltv_distribution_plot", "nps_outcome_plot"]
