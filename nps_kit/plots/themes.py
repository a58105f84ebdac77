"""Figures for feedback themes: shares by category with intervals, lift, and change between waves.

Each function takes the tidy frame of the matching :mod:`nps_kit.themes.coding` function and returns
the matplotlib Axes. Shares are shown in percent of the non-blank comments.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from nps_kit.plots import FIGURE_WIDTH, CATEGORY_COLORS, figure_labels

_CATEGORIES = ("detractor", "passive", "promoter")


def theme_share_plot(freq: pd.DataFrame, *, hue: str | None = "category",
                     ax: plt.Axes | None = None) -> plt.Axes:
    """Horizontal bars of theme shares (%) with their intervals, one bar per theme and hue level.

    Parameters
    ----------
    freq : DataFrame
        Output of :func:`nps_kit.themes.statistics.theme_frequencies` (columns theme, share, ci_low,
        ci_high and the ``hue`` column).
    hue : str or None
        Group column drawn as colours; ``"category"`` uses the detractor/passive/promoter colours.
    ax : Axes, optional
    """
    data = freq.copy()
    data["theme"] = data["theme"].map(dict(zip(*(lambda s: (s, figure_labels(s)))(
        list(dict.fromkeys(data["theme"]))))))
    if hue is not None and hue != "category":
        levels_all = list(dict.fromkeys(data[hue].astype(str)))
        data[hue] = data[hue].astype(str).map(dict(zip(levels_all, figure_labels(levels_all))))
    themes = list(dict.fromkeys(data["theme"]))
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 0.45 * len(themes) * (1 if hue is None else 1.6) + 1.2))
    data["share_pct"] = 100 * data["share"]
    if hue is None:
        levels = [None]
        palette = None
        sns.barplot(data=data, y="theme", x="share_pct", order=themes, color="#4c72b0",
                    errorbar=None, ax=ax)
    else:
        levels = [c for c in _CATEGORIES if c in set(data[hue])] if hue == "category" \
            else list(dict.fromkeys(data[hue]))
        palette = {c: CATEGORY_COLORS[c] for c in levels} if hue == "category" else None
        sns.barplot(data=data, y="theme", x="share_pct", hue=hue, order=themes, hue_order=levels,
                    palette=palette, errorbar=None, ax=ax)
    # error bars at the bar centres: seaborn keeps one container per hue level, bars in order
    for container, level in zip(ax.containers, levels):
        sub = data if level is None else data[data[hue] == level]
        sub = sub.set_index("theme").reindex(themes)
        centres = [bar.get_y() + bar.get_height() / 2 for bar in container]
        low = np.clip((100 * (sub["share"] - sub["ci_low"])).to_numpy(dtype=float), 0, None)
        high = np.clip((100 * (sub["ci_high"] - sub["share"])).to_numpy(dtype=float), 0, None)
        ax.errorbar(100 * sub["share"].to_numpy(), centres, xerr=np.vstack([low, high]),
                    fmt="none", ecolor="#252525", elinewidth=0.9, capsize=2)
    conf = freq["confidence"].iloc[0] if "confidence" in freq.columns and len(freq) else 0.95
    ax.set_xlabel(f"share of comments (%), {conf:.0%} Wilson intervals", wrap=True)
    ax.set_ylabel("")
    if hue is not None and ax.get_legend() is not None:
        ax.legend(title=None, loc="lower right", frameon=False)
    sns.despine(ax=ax)
    return ax


def theme_lift_plot(lift: pd.DataFrame, *, alpha: float = 0.05,
                    ax: plt.Axes | None = None) -> plt.Axes:
    """Lift (detractor share / promoter share) per theme on a log scale, with intervals.

    Themes with an adjusted p-value below ``alpha`` are drawn in the detractor colour (lift > 1)
    or the promoter colour (lift < 1), others in grey. Infinite or missing lifts are left out and
    named in the title.

    Parameters
    ----------
    lift : DataFrame
        Output of :func:`nps_kit.themes.statistics.theme_lift`.
    alpha : float
    ax : Axes, optional
    """
    data = lift.copy()
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 0.45 * len(data) + 1.2))
    finite = np.isfinite(data["lift"].to_numpy(dtype=float)) & (data["lift"] > 0)
    left_out = data.loc[~finite, "theme"].tolist()
    data = data[finite].iloc[::-1]
    y = np.arange(len(data))
    colours = np.where(data["p_adjusted"] < alpha,
                       np.where(data["lift"] > 1, CATEGORY_COLORS["detractor"], CATEGORY_COLORS["promoter"]),
                       "#737373")
    low = data["lift_low"].fillna(data["lift"]).to_numpy(dtype=float)
    high = data["lift_high"].fillna(data["lift"]).to_numpy(dtype=float)
    ax.hlines(y, low, high, color=colours, linewidth=1.5)
    sns.scatterplot(x=data["lift"].to_numpy(dtype=float), y=y, hue=data["theme"].to_numpy(),
                    palette=dict(zip(data["theme"], colours)), legend=False, s=60, ax=ax)
    ax.axvline(1, color="#252525", linewidth=0.8, linestyle=":")
    ax.set_xscale("log")
    lo, hi = ax.get_xlim()
    ticks = [v for v in (1 / 16, 1 / 8, 1 / 4, 1 / 2, 1, 2, 4, 8, 16, 32) if lo <= v <= hi]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}" if v >= 1 else f"1/{1 / v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks(y, figure_labels(data["theme"]))
    ax.set_xlabel("lift: share among detractors / share among promoters (log scale)", wrap=True)
    title = f"coloured: adjusted p < {alpha:g}; bars: unadjusted intervals"
    if left_out:
        title += f"; not drawn (no lift or only detractors): {', '.join(left_out)}"
    ax.set_title(title, loc="left", wrap=True)
    sns.despine(ax=ax)
    return ax


def theme_change_plot(changes: pd.DataFrame, wave: str | None = None, *,
                      ax: plt.Axes | None = None) -> plt.Axes:
    """Change in theme share (percentage points) from the previous wave, with intervals.

    Parameters
    ----------
    changes : DataFrame
        Output of :func:`nps_kit.themes.statistics.theme_changes`.
    wave : str, optional
        The wave to show (default: the last one).
    ax : Axes, optional
    """
    if changes.empty:
        if ax is None:
            _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 1.5))
        ax.text(0.5, 0.5, "only one wave: no change to show", ha="center", va="center")
        ax.set_axis_off()
        return ax
    wave = changes["wave"].iloc[-1] if wave is None else wave
    data = changes[changes["wave"] == wave].iloc[::-1]
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 0.45 * len(data) + 1.2))
    y = np.arange(len(data))
    colour_of = {"grew": CATEGORY_COLORS["detractor"], "shrank": CATEGORY_COLORS["promoter"],
                 "no clear change": "#737373"}
    colours = data["direction"].map(colour_of).to_numpy()
    ax.hlines(y, 100 * data["change_low"], 100 * data["change_high"], color=colours, linewidth=1.5)
    sns.scatterplot(x=100 * data["change"].to_numpy(dtype=float), y=y, hue=data["direction"].to_numpy(),
                    palette=colour_of, s=60, ax=ax)
    ax.axvline(0, color="#252525", linewidth=0.8, linestyle=":")
    ax.set_yticks(y, figure_labels(data["theme"]))
    prev = data["previous_wave"].iloc[0] if len(data) else ""
    ax.set_xlabel(f"change in share, {prev} to {wave} (percentage points)", wrap=True)
    if ax.get_legend() is not None:
        ax.legend(title=None, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=2)
    ax.set_title("direction from p-values adjusted across themes; bars: unadjusted intervals",
                 loc="left", wrap=True)
    sns.despine(ax=ax)
    return ax


__all__ = ["theme_change_plot", "theme_lift_plot", "theme_share_plot"]
