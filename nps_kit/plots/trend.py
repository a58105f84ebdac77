"""Figure of the NPS control chart: waves against their limits, signals marked, fitted trend.

Takes a :class:`nps_kit.waves.control_chart.ControlChart` and returns the Axes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns

from nps_kit.plots import FIGURE_WIDTH, CATEGORY_COLORS, figure_labels


def control_chart_plot(chart, *, ax: plt.Axes | None = None) -> plt.Axes:
    """NPS per wave with the centre line, the limits of each wave (steps), signals and the trend.

    Parameters
    ----------
    chart : ControlChart
    ax : Axes, optional
    """
    t = chart.table
    x = np.arange(len(t))
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4.2))
    ax.fill_between(x, t["lcl"], t["ucl"], step="mid", color="#f0f0f0", label=f"{chart.sigma:g}-sigma limits")
    ax.step(x, t["ucl"], where="mid", color="#bdbdbd", lw=1)
    ax.step(x, t["lcl"], where="mid", color="#bdbdbd", lw=1)
    ax.axhline(chart.centre, color="#636363", lw=1, label=f"centre {chart.centre:+.1f}")
    ax.plot(x, t["nps"], color="#2b8cbe", marker="o", lw=1.5, label="NPS")
    sig = t["signal"].to_numpy(bool)
    ax.scatter(x[sig], t["nps"][sig], s=90, facecolors="none", edgecolors=CATEGORY_COLORS["detractor"],
               lw=2, zorder=4, label="signal (outside or run)")
    if np.isfinite(t["trend"]).all():
        ax.plot(x, t["trend"], color="#636363", ls="--", lw=1,
                label=f"trend {chart.slope:+.2f} per wave")
    ax.set_xticks(x, figure_labels(t[chart.wave].astype(str)), rotation=45 if len(t) > 8 else 0, ha="right" if len(t) > 8 else "center")
    ax.set_ylabel("NPS (points)", wrap=True)
    ax.set_title("NPS control chart: signal or noise?", wrap=True)
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncols=2)  # under the chart, never over a point
    sns.despine(ax=ax)
    return ax


__all__ = ["control_chart_plot"]
