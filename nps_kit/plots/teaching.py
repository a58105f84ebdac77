"""Figures of the teaching notebooks (``notebooks/``), drawn with seaborn.

Each function takes the tidy table or result object of the matching function in
:mod:`nps_kit.teaching` and returns the matplotlib Axes (or seaborn FacetGrid).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from nps_kit.plots import CATEGORY_COLORS

_SCORE_COLORS = [CATEGORY_COLORS["detractor"]] * 7 + [CATEGORY_COLORS["passive"]] * 2 + \
    [CATEGORY_COLORS["promoter"]] * 2
_METHOD_PALETTE = {
    "adjusted-wald": "#1a9850", "wald": "#d7301f", "score": "#2c7bb6", "bootstrap": "#fdae61",
    "bayes": "#7b3294",
}
_ESTIMATOR_PALETTE = {
    "everyone invited": "#252525", "e-mail only": CATEGORY_COLORS["promoter"],
    "e-mail + phone, pooled": "#fdae61", "e-mail + phone, weighted": "#2c7bb6",
}


def _axes(ax, size=(7, 4)):
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def score_bars(data: pd.DataFrame, score: str = "score", by: str = "wave",
               stats: pd.DataFrame | None = None) -> sns.FacetGrid:
    """Bars of the 0-10 score frequencies per group, coloured by category.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    score, by : str
        Score and group columns.
    stats : DataFrame, optional
        :func:`nps_kit.teaching.basics.score_statistics` of the same data: mean and NPS go into the
        panel titles.
    """
    counts = (data.groupby(by, sort=False)[score].value_counts(normalize=True)
              .rename("share").reset_index())
    grid = pd.MultiIndex.from_product([pd.unique(data[by]), np.arange(11.0)], names=[by, score])
    counts = counts.set_index([by, score]).reindex(grid, fill_value=0.0).reset_index()
    counts[score] = counts[score].astype(int)
    g = sns.FacetGrid(counts, col=by, height=3.2, aspect=1.3, sharey=True)
    g.map_dataframe(sns.barplot, x=score, y="share", hue=score, palette=_SCORE_COLORS, legend=False,
                    order=list(range(11)), hue_order=list(range(11)))
    if stats is not None:
        s = stats.set_index(by)
        for ax, name in zip(g.axes.flat, g.col_names):
            ax.set_title(f"{name}: mean {s.loc[name, 'mean']:.2f}, NPS {s.loc[name, 'nps']:+.0f}")
    g.set_axis_labels("score (0-10)", "share of respondents")
    return g


def coverage_plot(study: pd.DataFrame, tolerance: float | None = 0.02) -> sns.FacetGrid:
    """Coverage against n (log scale), one line per method, one panel per true distribution.

    Parameters
    ----------
    study : DataFrame
        Output of :func:`nps_kit.teaching.coverage.coverage_study`.
    tolerance : float, optional
        Shades nominal +- tolerance.
    """
    nominal = float(study["nominal"].iloc[0])
    g = sns.relplot(data=study, x="n", y="coverage", hue="method", style="method", kind="line",
                    markers=True, dashes=False, col="scenario", col_wrap=2, height=3.2, aspect=1.4,
                    palette=_METHOD_PALETTE)
    for ax in g.axes.flat:
        ax.set_xscale("log")
        ax.axhline(nominal, color="#252525", linewidth=1)
        if tolerance:
            ax.axhspan(nominal - tolerance, nominal + tolerance, color="#bdbdbd", alpha=0.3, linewidth=0)
        ax.set_ylim(max(0.0, min(study["coverage"].min() - 0.02, nominal - 0.1)), 1.0)
    g.set_titles("{col_name}")
    g.set_axis_labels("respondents n (log scale)", f"coverage (nominal {nominal:.0%})")
    return g


def width_plot(study: pd.DataFrame, reference: str = "adjusted-wald") -> plt.Figure:
    """Interval width against n per method, all scenarios pooled, in two stacked panels.

    The top panel shows the mean width (points, log-log); the methods are nudged apart
    horizontally and drawn with their own marker and dash, so lines that coincide stay
    visible. The bottom panel shows each method's width relative to ``reference``'s at the same
    scenario and n, where the differences the top panel cannot show (a few percent) are read.
    """
    from nps_kit.plots import FIGURE_WIDTH

    data = study.copy()
    order = [m for m in _METHOD_PALETTE if m in set(data["method"])] + sorted(set(data["method"]) - set(_METHOD_PALETTE))
    nudge = {m: 1.07 ** (i - (len(order) - 1) / 2) for i, m in enumerate(order)}
    data["n_drawn"] = data["n"] * data["method"].map(nudge)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(FIGURE_WIDTH, 6.5), sharex=True, layout="constrained")
    palette = {m: _METHOD_PALETTE.get(m, "#636363") for m in order}
    sns.lineplot(data=data, x="n_drawn", y="mean_width", hue="method", style="method", hue_order=order,
                 style_order=order, palette=palette, errorbar=None, markers=True, dashes=True, ax=top)
    top.set_xscale("log")
    top.set_yscale("log")
    top.set_ylabel("mean width (NPS points)", wrap=True)
    top.set_title("Interval width, averaged over the true distributions", wrap=True)
    top.legend(title=None, fontsize="small")
    if reference in set(data["method"]):
        ref = data[data["method"] == reference].set_index(["scenario", "n"])["mean_width"]
        data["relative"] = data["mean_width"].to_numpy() / ref.reindex(
            pd.MultiIndex.from_frame(data[["scenario", "n"]])).to_numpy()
        sns.lineplot(data=data, x="n_drawn", y="relative", hue="method", style="method", hue_order=order,
                     style_order=order, palette=palette, errorbar=None, markers=True, dashes=True,
                     legend=False, ax=bottom)
        bottom.axhline(1, color="#252525", linewidth=0.8)
        bottom.set_ylabel(f"width / {reference} width", wrap=True)
    bottom.set_xlabel("respondents n (log scale)")
    plain = plt.FuncFormatter(lambda x, _: f"{x:,.0f}" if x >= 1 else f"{x:g}")
    for axis in (top.xaxis, top.yaxis, bottom.xaxis):
        axis.set_major_formatter(plain)
        axis.set_minor_formatter(plt.NullFormatter())
    top.set_xticks(sorted(set(data["n"])))
    low, high = data["mean_width"].min(), data["mean_width"].max()
    top.set_yticks([v for v in (1, 2, 5, 10, 20, 50, 100, 200) if low * 0.8 <= v <= high * 1.25])
    return fig


def bias_plot(result, ax: plt.Axes | None = None) -> plt.Axes:
    """Distribution of the NPS over simulated surveys per estimator, with the true NPS.

    ``result`` is a :class:`nps_kit.teaching.pitfalls.ChannelBias`.
    """
    ax = _axes(ax)
    sns.kdeplot(data=result.replicates, x="nps", hue="estimator", common_norm=False, fill=True,
                alpha=0.25, palette=_ESTIMATOR_PALETTE, ax=ax)
    ax.axvline(result.true_nps, color="#252525", linestyle="--", linewidth=1)
    ax.annotate(f"true NPS {result.true_nps:+.1f}", xy=(result.true_nps, ax.get_ylim()[1]),
                xytext=(4, -12), textcoords="offset points", fontsize=8)
    ax.set_xlabel("NPS of a simulated survey (points)")
    ax.set_title(f"{result.n_sim:,} simulated surveys of {result.invited:,} invited customers")
    return ax


def rules_plot(wide: pd.DataFrame, group: str = "wave", rules: tuple[str, ...] = ("exclude", "detractor"),
               ax: plt.Axes | None = None) -> plt.Axes:
    """NPS per group under each non-response rule (output of
    :func:`nps_kit.teaching.pitfalls.nonresponse_rules` with ``shape="wide"``)."""
    ax = _axes(ax)
    long = wide.melt(id_vars=[group], value_vars=[f"nps_{r}" for r in rules], var_name="rule",
                     value_name="nps")
    long["rule"] = long["rule"].str.removeprefix("nps_")
    sns.pointplot(data=long, x=group, y="nps", hue="rule", ax=ax,
                  palette=[CATEGORY_COLORS["promoter"], CATEGORY_COLORS["detractor"], "#636363"][:len(rules)])
    ax.set_ylabel("NPS (points)")
    ax.set_title("The same answers under two non-response rules")
    return ax


def truth_plot(table: pd.DataFrame, changed_wave: str | None = None, ax: plt.Axes | None = None) -> plt.Axes:
    """Measured NPS (with interval), e-mail-only NPS and the true NPS per wave (output of
    :func:`nps_kit.teaching.pitfalls.measured_vs_truth`)."""
    ax = _axes(ax)
    x = np.arange(len(table))
    ax.errorbar(x, table["measured_nps"], yerr=[table["measured_nps"] - table["ci_low"],
                                                table["ci_high"] - table["measured_nps"]],
                fmt="o-", color="#2c7bb6", capsize=3, label="measured (all channels)")
    ax.plot(x, table["email_nps"], "s--", color=CATEGORY_COLORS["promoter"], label="e-mail respondents only")
    ax.plot(x, table["true_nps"], "D-", color="#252525", label="truth (every customer)")
    if changed_wave is not None and changed_wave in set(table["wave"]):
        i = int(np.flatnonzero(table["wave"].to_numpy() == changed_wave)[0])
        ax.axvspan(i - 0.4, i + 0.4, color="#fdae61", alpha=0.25, label="changed procedure")
    ax.set_xticks(x, table["wave"])
    ax.set_ylabel("NPS (points)")
    ax.set_title("What the survey measured against the ground truth")
    ax.legend(fontsize=8)
    return ax


def incentive_plot(result, ax: plt.Axes | None = None) -> plt.Axes:
    """Reported NPS per wave (with interval), the customers' own scores and the truth
    (a :class:`nps_kit.teaching.pitfalls.IncentiveInflation`)."""
    ax = _axes(ax)
    w = result.waves
    ax.errorbar(w["wave"], w["reported_nps"], yerr=[w["reported_nps"] - w["ci_low"], w["ci_high"] - w["reported_nps"]],
                fmt="o-", color=CATEGORY_COLORS["detractor"], capsize=3, label="reported")
    ax.plot(w["wave"], w["honest_nps"], "s--", color="#636363", label="customers' own scores")
    ax.axhline(float(w["true_nps"].iloc[0]), color="#252525", linewidth=1, label="truth")
    first = w.loc[w["incentive"], "wave"].min()
    ax.axvspan(first - 0.5, w["wave"].max() + 0.5, color="#fdae61", alpha=0.2, label="bonus tied to NPS")
    ax.set_xlabel("wave")
    ax.set_ylabel("NPS (points)")
    ax.set_title("A bonus tied to the score: the score rises, loyalty does not")
    ax.legend(fontsize=8)
    return ax


def swings_plot(result, n_show: int = 6) -> sns.FacetGrid:
    """The first ``n_show`` simulated histories of :func:`nps_kit.teaching.pitfalls.small_sample_swings`,
    each against the constant truth."""
    data = result.waves[result.waves["series"] < n_show].assign(series=lambda d: d["series"] + 1)
    g = sns.relplot(data=data, x="wave", y="nps", col="series", col_wrap=3, kind="line", marker="o",
                    height=2.4, aspect=1.3, color="#2c7bb6")
    for ax in g.axes.flat:
        ax.axhline(result.true_nps, color="#252525", linestyle="--", linewidth=1)
    g.set_titles("history {col_name}")
    g.set_axis_labels("wave", "NPS (points)")
    g.figure.suptitle(f"Same truth ({result.true_nps:+.0f}) every wave, n = {result.n_per_wave} per wave", y=1.02)
    return g


__all__ = [
    "bias_plot", "coverage_plot", "incentive_plot", "rules_plot", "score_bars", "swings_plot",
    "truth_plot", "width_plot",
]
