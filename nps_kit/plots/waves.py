"""Figures for wave-over-wave reports: trend with interval bands, category shares per wave,
a segment x wave heat map of changes, and observed against channel-standardised NPS.

Each function takes a table from :mod:`nps_kit.waves.changes` or :mod:`nps_kit.waves.channels` and returns
the matplotlib Axes. Waves are drawn in the table's row order (natural wave order).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from nps_kit.plots import FIGURE_WIDTH, CATEGORY_COLORS, figure_labels
from nps_kit.core.columns import as_columns

_INK = "#252525"


def _wave_positions(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    labels = list(dict.fromkeys(values.astype(str)))
    index = {w: i for i, w in enumerate(labels)}
    return values.astype(str).map(index).to_numpy(), figure_labels(labels)


def trend_plot(
    table: pd.DataFrame,
    wave: str = "wave",
    by: str | None = None,
    *,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """NPS per wave with its confidence interval as a shaded band (one line per group of ``by``).

    Parameters
    ----------
    table : DataFrame
        From :func:`nps_kit.waves.changes.wave_table` (columns ``nps``, ``ci_low``, ``ci_high``).
    wave : str
        Wave column.
    by : str, optional
        Group column for one line per group.
    ax : Axes, optional
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4))
    x_all, labels = _wave_positions(table[wave])
    groups = [(None, table)] if by is None else list(table.groupby(by, sort=True, observed=True))
    palette = [_INK] if by is None else sns.color_palette("colorblind", len(groups))
    for color, (name, grp) in zip(palette, groups):
        x = x_all[table.index.get_indexer(grp.index)]
        ax.fill_between(x, grp["ci_low"], grp["ci_high"], color=color, alpha=0.15, linewidth=0)
        ax.plot(x, grp["nps"], marker="o", color=color, label=None if name is None else str(name))
        if by is None:
            for xi, yi in zip(x, grp["nps"]):
                ax.annotate(f"{yi:.0f}", (xi, yi), xytext=(0, 7), textcoords="offset points",
                            ha="center")
    ax.axhline(0, color="#969696", linewidth=0.6)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_xlabel("wave", wrap=True)
    ax.set_ylabel("NPS (points)", wrap=True)
    level = table["confidence"].iloc[0] if "confidence" in table.columns and len(table) else None
    band = f"{level:.0%} interval" if level is not None else "interval"
    ax.set_title(f"NPS by wave (band: {band})", wrap=True)
    if by is not None:
        ax.legend(title=by)
    return ax


def shares_plot(table: pd.DataFrame, wave: str = "wave", *, ax: plt.Axes | None = None) -> plt.Axes:
    """Stacked detractor / passive / promoter shares per wave, with the NPS above each bar.

    Parameters
    ----------
    table : DataFrame
        From :func:`nps_kit.waves.changes.wave_table` (one row per wave).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4))
    x, labels = _wave_positions(table[wave])
    bottom = np.zeros(len(table))
    for cat, col in (("detractor", "detractor_share"), ("passive", "passive_share"),
                     ("promoter", "promoter_share")):
        share = 100.0 * table[col].to_numpy(dtype=float)
        ax.bar(x, share, bottom=bottom, color=CATEGORY_COLORS[cat], label=f"{cat}s", width=0.7)
        for xi, b, s in zip(x, bottom, share):
            if s >= 6:
                ax.text(xi, b + s / 2, f"{s:.0f}%", ha="center", va="center",
                        color="white" if cat != "passive" else _INK)
        bottom += share
    for xi, v, n in zip(x, table["nps"], table["n"]):
        ax.text(xi, 101, f"NPS {v:.0f}\nn = {n}", ha="center", va="bottom")
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylim(0, 118)
    ax.set_ylabel("share of respondents (%)", wrap=True)
    ax.set_xlabel("wave", wrap=True)
    ax.set_title("Detractors, passives and promoters by wave", wrap=True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), frameon=False, ncols=3)
    return ax


def change_heatmap(
    changes: pd.DataFrame,
    by: str | Sequence[str],
    *,
    consecutive_only: bool = True,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Heat map of NPS changes, segments by pairs of waves; * marks significant changes.

    Parameters
    ----------
    changes : DataFrame
        Segment changes from :func:`nps_kit.waves.changes.wave_changes` (or
        ``WaveComparison.segment_changes``).
    by : str or list of str
        Segment columns.
    consecutive_only : bool
        Show only consecutive comparisons (leave out the baseline-only ones).
    """
    by_list = as_columns(by)
    data = changes
    if consecutive_only:
        data = data[data["comparison"].str.contains("consecutive")]
    pairs = data["from"].astype(str) + " → " + data["to"].astype(str)
    distinct = list(dict.fromkeys(pairs))  # label each pair once: repeats are the same column
    pair = pairs.map(dict(zip(distinct, figure_labels(distinct, 60))))
    short = dict(zip(*(lambda s: (s, figure_labels(s)))(
        list(dict.fromkeys(data[by_list].astype(str).agg(" / ".join, axis=1))))))
    segment = data[by_list].astype(str).agg(" / ".join, axis=1).map(short)
    frame = pd.DataFrame({"segment": segment.to_numpy(), "pair": pair.to_numpy(),
                          "delta": data["delta"].to_numpy(dtype=float),
                          "mark": np.where(data["significant"].to_numpy(dtype=bool), "*", "")})
    columns = list(dict.fromkeys(frame["pair"]))
    grid = frame.pivot(index="segment", columns="pair", values="delta").reindex(columns=columns)
    marks = frame.pivot(index="segment", columns="pair", values="mark").reindex(columns=columns)
    annot = grid.map(lambda v: "" if pd.isna(v) else f"{v:+.1f}") + marks.fillna("")
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 0.55 * len(grid) + 2.6))
    limit = float(np.nanmax(np.abs(grid.to_numpy()))) if grid.notna().any().any() else 1.0
    cmap = sns.blend_palette([CATEGORY_COLORS["detractor"], "#f7f7f7", CATEGORY_COLORS["promoter"]],
                             as_cmap=True)
    sns.heatmap(grid, annot=annot.to_numpy(), fmt="", cmap=cmap, center=0, vmin=-limit, vmax=limit,
                linewidths=0.5, cbar_kws={"label": "change in NPS (points)"}, ax=ax)
    ax.set_xlabel("")
    ax.tick_params(axis="x", labelrotation=30)
    ax.tick_params(axis="y", labelrotation=0)
    ax.set_ylabel(" x ".join(figure_labels(by_list)), wrap=True)
    ax.set_title("Change in NPS by segment\n(* real after adjustment)", wrap=True)
    return ax


def standardized_plot(table: pd.DataFrame, *, ax: plt.Axes | None = None) -> plt.Axes:
    """Observed NPS against channel-standardised NPS (with its interval) per wave.

    Parameters
    ----------
    table : DataFrame
        From :func:`nps_kit.waves.channels.standardized_nps`.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4))
    x, labels = _wave_positions(table["wave"])
    std = table["nps_standardized"].to_numpy(dtype=float)
    err = np.vstack([std - table["ci_low"].to_numpy(dtype=float),
                     table["ci_high"].to_numpy(dtype=float) - std])
    ax.plot(x, table["nps"], marker="o", linestyle="--", color="#969696", label="observed")
    ax.errorbar(x + 0.06, std, yerr=err, marker="s", color=_INK, capsize=3,
                label=f"standardised to {table['reference'].iloc[0]}")
    for xi, missing in zip(x, table["missing_channels"]):
        if missing:
            ax.annotate(f"no {missing}:\nnot standardisable", (xi, table["nps"].iloc[xi]),
                        xytext=(0, -28), textcoords="offset points", ha="center")
    ax.set_xticks(range(len(labels)), labels)
    ax.set_xlabel("wave", wrap=True)
    ax.set_ylabel("NPS (points)", wrap=True)
    ax.set_title("Observed and channel-standardised NPS", wrap=True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2, frameon=False)
    return ax


__all__ = ["change_heatmap", "shares_plot", "standardized_plot", "trend_plot"]
