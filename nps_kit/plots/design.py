"""Figures for study design: margin against respondents, and power against the change.

Both take the tidy frames of :func:`nps_kit.design.sample_size.margin_curve` and
:func:`nps_kit.design.power.power_curve` and return the matplotlib Axes.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from nps_kit.plots import FIGURE_WIDTH, CATEGORY_COLORS

_METHOD_LABELS = {"wald": "Wald", "adjusted-wald": "adjusted Wald"}


def margin_plot(
    curve: pd.DataFrame,
    *,
    planned_n: int | None = None,
    target_margin: float | None = None,
    method: str = "wald",
    show_classic: bool = True,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Margin in NPS points against respondents, with the planned n marked.

    Parameters
    ----------
    curve : DataFrame
        Output of :func:`nps_kit.design.sample_size.margin_curve`.
    planned_n : int, optional
        Draws a vertical line at the planned number of respondents.
    target_margin : float, optional
        Draws a horizontal line at the target margin (points).
    method : {"wald", "adjusted-wald"}
        Which interval method's curve to draw.
    show_classic : bool
        Also draw the classic calculator's proportion margin (%), dashed, for comparison.
    ax : Axes, optional
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4))
    data = curve[curve["method"] == method]
    palette = {"worst case": CATEGORY_COLORS["detractor"], "anticipated shares": CATEGORY_COLORS["promoter"]}
    sns.lineplot(data=data, x="n", y="margin", hue="scenario", palette=palette, ax=ax)
    if show_classic:
        classic = data.drop_duplicates("n")
        ax.plot(classic["n"], classic["classic_margin"], linestyle="--", color="#636363",
                label="classic calculator (% of a proportion)")
    if target_margin is not None:
        ax.axhline(target_margin, color="#252525", linewidth=0.8, linestyle=":")
        ax.annotate(f"target +-{target_margin:g}", xy=(data["n"].max(), target_margin), ha="right",
                    va="bottom")
    span = data["n"].max() / max(data["n"].min(), 1)
    if span > 100:  # thousands of respondents beside the first ten: a linear axis squashes the curve
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda x, _: f"{x:,.0f}"))
        ax.set_xlabel("respondents (log scale)", wrap=True)
    else:
        ax.set_xlabel("respondents", wrap=True)
    ax.set_ylabel("margin of error (+- NPS points)", wrap=True)
    ax.set_title(f"Margin of error against respondents ({_METHOD_LABELS.get(method, method)})", wrap=True)
    top = data["margin"].max()
    if target_margin is not None:
        top = min(top, 4 * target_margin)  # the first few respondents would squash the rest
    ax.set_ylim(0, top * 1.05)
    if planned_n is not None:
        ax.axvline(planned_n, color="#252525", linewidth=1)
        ax.annotate(f"planned n = {planned_n:,}", xy=(planned_n, ax.get_ylim()[1]), xytext=(4, -12),
                    textcoords="offset points")
    ax.legend(title=None)
    return ax


def power_plot(
    curve: pd.DataFrame,
    *,
    target_power: float | None = 0.8,
    target_change: float | None = None,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Power against the change in NPS points, one line per design.

    Parameters
    ----------
    curve : DataFrame
        Output of :func:`nps_kit.design.power.power_curve`.
    target_power : float, optional
        Horizontal reference line (e.g. 0.8).
    target_change : float, optional
        Vertical line at the change the study should see.
    ax : Axes, optional
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4))
    palette = {"independent": CATEGORY_COLORS["detractor"], "panel": CATEGORY_COLORS["promoter"]}
    sns.lineplot(data=curve, x="change", y="power", hue="design", palette=palette, ax=ax)
    if target_power is not None:
        ax.axhline(target_power, color="#252525", linewidth=0.8, linestyle=":")
    if target_change is not None:
        ax.axvline(target_change, color="#252525", linewidth=1)
    n = int(curve["n"].iloc[0]) if len(curve) else 0
    ax.set_xlabel("change between waves (NPS points)", wrap=True)
    ax.set_ylabel("power", wrap=True)
    ax.set_ylim(0, 1.02)
    ax.set_title(f"Power to detect a change with {n:,} respondents per wave", wrap=True)
    ax.legend(title=None)
    return ax


__all__ = ["margin_plot", "power_plot"]
