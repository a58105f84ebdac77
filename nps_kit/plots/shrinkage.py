"""Figure of empirical-Bayes shrinkage: each group's raw NPS moving to its shrunk NPS.

Takes the table of :func:`nps_kit.groups.shrinkage.shrink_table` (points) and returns the Axes.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from nps_kit.plots import FIGURE_WIDTH, CATEGORY_COLORS, figure_labels
from nps_kit.core.columns import as_columns


def shrinkage_plot(table: pd.DataFrame, by: str | Sequence[str], *, ax: plt.Axes | None = None,
                   prior_nps: float | None = None) -> plt.Axes:
    """Raw NPS (hollow circle, size by n) -> shrunk NPS (dot) with its interval, per group.

    Groups are sorted by shrunk NPS; the label shows n. Groups without answers are left out.

    Parameters
    ----------
    table : DataFrame
        With the group columns, ``n``, ``nps``, ``nps_shrunk``, ``shrunk_low``, ``shrunk_high``.
    by : str or list of str
    ax : Axes, optional
    prior_nps : float, optional
        Prior mean (the overall) drawn as a vertical line.
    """
    by_list = as_columns(by)
    t = table[table["nps_shrunk"].notna()].sort_values("nps_shrunk").reset_index(drop=True)
    labels = [f"{g}  (n = {n})" for g, n in
              zip(figure_labels(t[by_list].astype(str).agg(" / ".join, axis=1)), t["n"])]
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, max(3.4, 0.38 * len(t) + 2.2)))
    y = np.arange(len(t))
    ax.hlines(y, t["shrunk_low"], t["shrunk_high"], color="#4d4d4d", lw=1.5, label="interval")
    for yi, raw, shrunk in zip(y, t["nps"], t["nps_shrunk"]):
        ax.annotate("", xy=(shrunk, yi), xytext=(raw, yi),
                    arrowprops={"arrowstyle": "->", "color": "#969696", "lw": 1})
    size = 20 + 180 * t["n"] / max(float(t["n"].max()), 1.0)
    ax.scatter(t["nps"], y, s=size, facecolors="none", edgecolors=CATEGORY_COLORS["detractor"],
               label="raw NPS", zorder=3)
    ax.scatter(t["nps_shrunk"], y, s=36, color=CATEGORY_COLORS["promoter"], label="shrunk NPS", zorder=4)
    if prior_nps is not None:
        ax.axvline(prior_nps, color="#bdbdbd", ls="--", lw=1, label="prior mean")
    ax.set_yticks(y, labels)
    ax.set_xlim(-105, 105)
    ax.set_xlabel("NPS (points)", wrap=True)
    ax.set_title("Raw and shrunk NPS per group (small groups move most)", wrap=True)
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=2)
    sns.despine(ax=ax)
    return ax


__all__ = ["shrinkage_plot"]
