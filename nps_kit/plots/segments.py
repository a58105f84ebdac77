"""Figures of the ABC study: revenue concentration, NPS, revenue at risk and response by class.

Every function takes a table from :mod:`nps_kit.revenue.classes`, :mod:`nps_kit.revenue.by_class`,
:mod:`nps_kit.revenue.at_risk` or
:mod:`nps_kit.revenue.study` (never raw responses, so no identifier reaches a figure) and returns the
matplotlib Axes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from nps_kit.plots import FIGURE_WIDTH, CATEGORY_COLORS

CLASS_COLORS: dict[str, str] = {"A": "#08519c", "B": "#4292c6", "C": "#9ecae1"}
"""Colour of each ABC class."""


def _axes(ax, size=(FIGURE_WIDTH, 4)):
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def lorenz_plot(curve: pd.DataFrame, summary: pd.DataFrame, *, ax: plt.Axes | None = None) -> plt.Axes:
    """Cumulative revenue share against cumulative customer share, with the class boundaries.

    Parameters
    ----------
    curve : DataFrame
        :func:`nps_kit.revenue.classes.lorenz_curve`.
    summary : DataFrame
        ``ABCClasses.summary`` (customer and revenue shares per class).
    """
    ax = _axes(ax, (FIGURE_WIDTH, 5))
    x = 100 * curve["customer_share"].to_numpy()
    y = 100 * curve["revenue_share"].to_numpy()
    ax.plot(x, y, color="#252525", linewidth=1.5, label="customers, richest first")
    ax.plot([0, 100], [0, 100], color="#969696", linestyle=":", linewidth=1, label="equal revenue")
    cum_c = 100 * summary["customer_share"].cumsum().to_numpy()
    cum_r = 100 * summary["revenue_share"].cumsum().to_numpy()
    left = 0.0
    for klass, right, top in zip(summary["class"], cum_c, cum_r):
        ax.axvspan(left, right, color=CLASS_COLORS.get(str(klass), "#dddddd"), alpha=0.25, linewidth=0)
        ax.text((left + right) / 2, 4, str(klass), ha="center", va="bottom", weight="bold")
        if right < 100:
            ax.axvline(right, color="#525252", linewidth=0.8)
            ax.annotate(f"{right:.0f} % of customers\n{top:.0f} % of revenue", (right, top),
                        xytext=(6, -28), textcoords="offset points")
        left = right
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 102)
    ax.set_xlabel("customers, cumulative % (highest revenue first)", wrap=True)
    ax.set_ylabel("revenue, cumulative %", wrap=True)
    ax.set_title("Revenue concentration and ABC classes", wrap=True)
    ax.legend(loc="center right")
    return ax


def nps_by_class_plot(table: pd.DataFrame, weighted: pd.DataFrame | None = None, *,
                      ax: plt.Axes | None = None) -> plt.Axes:
    """NPS per class with its interval (points); optionally the revenue-weighted NPS beside it.

    Parameters
    ----------
    table : DataFrame
        :func:`nps_kit.revenue.by_class.class_table` (``class``, ``nps``, ``ci_low``, ``ci_high``,
        ``respondents``).
    weighted : DataFrame, optional
        :func:`nps_kit.revenue.at_risk.revenue_weighted_nps`; its class rows are drawn as hollow marks.
    """
    ax = _axes(ax)
    pos = np.arange(len(table))
    shift = 0.12 if weighted is not None else 0.0
    nps = table["nps"].to_numpy(dtype=float)
    err = np.vstack([nps - table["ci_low"].to_numpy(dtype=float),
                     table["ci_high"].to_numpy(dtype=float) - nps])
    ax.errorbar(pos - shift, nps, yerr=err, fmt="o", color=CATEGORY_COLORS["promoter"], capsize=4,
                label="NPS (interval)")
    if weighted is not None:
        w = weighted.set_index("class").reindex(table["class"])
        wn = w["weighted_nps"].to_numpy(dtype=float)
        werr = np.vstack([wn - w["weighted_ci_low"].to_numpy(dtype=float),
                          w["weighted_ci_high"].to_numpy(dtype=float) - wn])
        ax.errorbar(pos + shift, wn, yerr=werr, fmt="o", mfc="white", color="#525252", capsize=4,
                    label="revenue-weighted NPS")
    ax.axhline(0, color="#969696", linewidth=0.8)
    labels = [f"{k}\n(n = {int(n)})" for k, n in zip(table["class"], table["respondents"])]
    ax.set_xticks(pos, labels)
    ax.set_xlim(-0.6, len(table) - 0.4)
    ax.set_ylabel("NPS (points)", wrap=True)
    ax.set_title("NPS by revenue class", wrap=True)
    ax.legend()
    return ax


def revenue_at_risk_plot(table: pd.DataFrame, *, ax: plt.Axes | None = None) -> plt.Axes:
    """Projected revenue from detractors (at risk) and promoters (good) per class, with intervals.

    Parameters
    ----------
    table : DataFrame
        ``RevenueAtRisk.table`` (rows for classes and ``all``; only the classes are drawn).
    """
    ax = _axes(ax)
    t = table[table["class"] != "all"]
    classes = list(dict.fromkeys(t["class"]))
    pos = np.arange(len(classes))
    width = 0.38
    scale, unit = _money_scale(t["projected_high"].abs().max())
    for offset, category, label in ((-width / 2, "detractor", "at risk (detractors)"),
                                    (width / 2, "promoter", "good (promoters)")):
        rows = t[t["category"] == category].set_index("class").reindex(classes)
        mid = rows["projected"].to_numpy(dtype=float) / scale
        err = np.vstack([mid - rows["projected_low"].to_numpy(dtype=float) / scale,
                         rows["projected_high"].to_numpy(dtype=float) / scale - mid])
        ax.bar(pos + offset, mid, width, color=CATEGORY_COLORS[category], label=label)
        ax.errorbar(pos + offset, mid, yerr=err, fmt="none", color="#252525", capsize=3)
        for x, m, share in zip(pos + offset, mid, rows["projected_share"]):
            if np.isfinite(m):
                ax.text(x, m / 2, f"{share:.0%}", ha="center", va="center",
                        color="white", weight="bold")
    ax.set_xticks(pos, classes)
    ax.set_ylabel(f"projected annual revenue{unit}", wrap=True)
    ax.set_title("Revenue at risk and good revenue by class (share of class revenue on bars)", wrap=True)
    ax.legend()
    return ax


def _money_scale(top: float) -> tuple[float, str]:
    for size, unit in ((1e9, " (billions)"), (1e6, " (millions)"), (1e3, " (thousands)")):
        if np.isfinite(top) and top >= size:
            return size, unit
    return 1.0, ""


def response_rate_plot(table: pd.DataFrame, *, ax: plt.Axes | None = None) -> plt.Axes:
    """Response rate per class; classes flagged ``low_response`` are hatched.

    Parameters
    ----------
    table : DataFrame
        :func:`nps_kit.revenue.by_class.class_table`.
    """
    ax = _axes(ax, (FIGURE_WIDTH, 3.5))
    rate = 100 * table["response_rate"].to_numpy(dtype=float)
    colors = [CLASS_COLORS.get(str(k), "#bdbdbd") for k in table["class"]]
    bars = ax.bar(table["class"].astype(str), rate, color=colors)
    for bar, low, r in zip(bars, table["low_response"], rate):
        if low:
            bar.set_hatch("//")
            bar.set_edgecolor(CATEGORY_COLORS["detractor"])
        ax.text(bar.get_x() + bar.get_width() / 2, r, f"{r:.1f} %", ha="center", va="bottom")
    ax.set_ylabel("respondents / customers (%)", wrap=True)
    ax.set_title("Response rate by class (hatched: far below the others)", wrap=True)
    sns.despine(ax=ax)
    return ax


__all__ = [
    "CLASS_COLORS", "lorenz_plot", "nps_by_class_plot", "response_rate_plot",
    "revenue_at_risk_plot",
]
