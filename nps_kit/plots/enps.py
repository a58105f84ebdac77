"""eNPS by group with intervals; suppressed groups drawn as grey hatched rows with their reason.

A suppressed group keeps its place in the chart (so nobody reads its absence as zero) but shows
no number: a grey, hatched band across the axis labelled with the reason, e.g. "fewer than 5
answers". The figure is drawn only from a report table, which holds no number for such rows.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from nps_kit.enps.report import COMPLEMENTARY_LABEL, COMPLEMENTARY_REASON, RESULT_COLUMNS
from nps_kit.plots import FIGURE_WIDTH, CATEGORY_COLORS, SUPPRESSED_COLOR, figure_labels


def enps_plot(table: pd.DataFrame, *, title: str | None = None, ax: plt.Axes | None = None) -> plt.Axes:
    """Horizontal eNPS chart of one report table: point and interval per published group.

    Parameters
    ----------
    table : DataFrame
        One table of :class:`nps_kit.enps.report.ENPSReport` (``report.table("department")``).
    title : str, optional
    ax : Axes, optional

    Returns
    -------
    matplotlib Axes
        The x axis runs from -100 to 100 (eNPS points).
    """
    group_cols = [c for c in table.columns if c not in RESULT_COLUMNS]
    labels = (figure_labels(table[group_cols].astype(str).agg(" / ".join, axis=1))
              if group_cols else ["all"] * len(table))
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 0.45 * len(table) + 1.2))
    y = np.arange(len(table))[::-1]
    hidden = table["suppressed"].to_numpy(dtype=bool)
    shown = ~hidden
    enps = table["enps"].to_numpy(dtype=float)
    low, high = table["ci_low"].to_numpy(dtype=float), table["ci_high"].to_numpy(dtype=float)
    colour = np.where(enps >= 0, CATEGORY_COLORS["promoter"], CATEGORY_COLORS["detractor"])
    if shown.any():
        ax.hlines(y[shown], low[shown], high[shown], color="#636363", linewidth=2)
        ax.scatter(enps[shown], y[shown], c=colour[shown], s=40, zorder=3)
    for yi, reason in zip(y[hidden], table["reason"].to_numpy()[hidden]):
        ax.barh(yi, 200, left=-100, height=0.7, color=SUPPRESSED_COLOR, hatch="///",
                edgecolor="#bdbdbd", linewidth=0)
        label = COMPLEMENTARY_LABEL if reason == COMPLEMENTARY_REASON else f"suppressed: {reason}"
        ax.text(0, yi, label, ha="center", va="center",
                color="#525252")
    ax.axvline(0, color="#252525", linewidth=0.8)
    ax.set_yticks(y, labels)
    ax.set_xlim(-100, 100)
    ax.set_xlabel("eNPS (points) with interval", wrap=True)
    if title:
        ax.set_title(title, wrap=True)
    return ax


__all__ = ["enps_plot"]
