"""Is this month signal or noise? A control chart for NPS by wave, with a fitted trend.

For many waves of a periodic survey, each wave's NPS is plotted against limits computed from the
counts, the NPS analogue of Shewhart's p-chart with a varying sample size (Montgomery 2013,
section 7.3: limits p-bar +- 3 sqrt(p-bar (1 - p-bar) / n_i)):

    centre      = 100 (p-bar - d-bar)                 pooled shares over the (reference) waves
    se_i        = 100 sqrt(v-bar / n_i),              v-bar = p-bar + d-bar - (p-bar - d-bar)^2
    limits_i    = centre +- k se_i                    k = 3 by default, clamped to [-100, 100]

so a small wave gets wide limits and a large one narrow limits. While the process is stable
(every wave drawn from the same shares), a wave falls outside 3-sigma limits about 0.3 % of the
time. Flags per wave:

- ``outside``: the NPS lies beyond a limit (Western Electric rule 1);
- ``run``: the wave belongs to a run of at least ``run_length`` consecutive waves on the same
  side of the centre (8 by default: Western Electric rule 4; Nelson's 1984 rule 2 uses 9). A wave
  exactly on the centre line ends a run.

The centre can come from a set of reference waves (``centre_waves``, "phase I") so that later
waves are judged against a stable past; by default it pools all waves.

Trend: weighted least squares of the wave NPS on the wave's position 0, 1, ..., W - 1 (waves
assumed equally spaced), weights 1 / var_i with var_i = 100^2 v~_i / (n_i + 3) from each wave's
own shares after the adjusted-Wald pseudo-counts (Rocks 2016; so no wave gets infinite weight).
``slope_method``:

``"overdispersed"`` (default)
    cov = phi (X'WX)^-1 with phi = max(1, sum w_i r_i^2 / (W - 2)), the Pearson dispersion of
    the residuals (McCullagh and Nelder 1989, section 4.5): real wave-to-wave movement beyond
    sampling error widens the interval; t interval with W - 2 degrees of freedom.
``"fixed"``
    cov = (X'WX)^-1: sampling error only; z interval.

A slope is fitted only from :data:`~nps_kit.core.smalln.MIN_WAVES_TREND` waves on (with 3 waves the
t interval has 1 degree of freedom and spans far more than the scale); its interval is clamped
to [-200, 200] points per wave.

References
----------
Shewhart, W. A. (1931). Economic Control of Quality of Manufactured Product. Van Nostrand.
Western Electric Company (1956). Statistical Quality Control Handbook. Western Electric.
Nelson, L. S. (1984). The Shewhart control chart - tests for special causes. Journal of Quality
Technology 16(4), 237-239.
Montgomery, D. C. (2013). Introduction to Statistical Quality Control, 7th ed. Wiley.
McCullagh, P. and Nelder, J. A. (1989). Generalized Linear Models, 2nd ed. Chapman and Hall.
Rocks, B. (2016). Interval estimation for the "Net Promoter Score". The American Statistician
70(4), 365-372.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import norm, t as t_dist

from nps_kit.errors import DataError, ParameterError, check_confidence, check_option
from nps_kit.core.intervals import ADJUSTMENT
from nps_kit.core.smalln import MIN_WAVES_TREND
from nps_kit.core.formatting import p_text
from nps_kit.core.safetext import label
from nps_kit.core.intervals import z_value

SLOPE_METHODS: tuple[str, ...] = ("overdispersed", "fixed")
"""Standard errors of the fitted trend: with the residual dispersion, or sampling error only."""

RUN_LENGTH = 8
"""Default run rule: 8 waves in a row on one side of the centre (Western Electric rule 4)."""

CHART_COLUMNS: tuple[str, ...] = (
    "n", "detractors", "passives", "promoters", "nps", "centre", "se", "lcl", "ucl", "side",
    "outside", "run", "signal", "trend",
)
"""Columns of :attr:`ControlChart.table` after the wave column."""


@dataclass(frozen=True)
class ControlChart:
    """NPS per wave against control limits, flags, and the fitted linear trend (points).

    Attributes
    ----------
    table : DataFrame
        The wave column, then :data:`CHART_COLUMNS`: counts, ``nps``, ``centre``, ``se`` (from
        the pooled shares and the wave's n), ``lcl`` and ``ucl``, ``side`` (+1 above the
        centre, -1 below, 0 on it), ``outside``, ``run``, ``signal`` (outside or run) and
        ``trend`` (the fitted line at the wave).
    wave : str
        Name of the wave column.
    centre : float
    sigma : float
        Width of the limits in standard errors (k).
    run_length : int
    centre_waves : tuple of str
        The waves the centre pools.
    slope, slope_se, slope_low, slope_high, slope_p : float
        Trend in points per wave, its se, interval and two-sided p-value (NaN with fewer than
        3 waves, or 2 for ``fixed``).
    dispersion : float
        phi of the overdispersed fit (1 for ``fixed``).
    slope_method : str
    confidence : float
    """

    table: pd.DataFrame = field(repr=False)
    wave: str
    centre: float
    sigma: float
    run_length: int
    centre_waves: tuple
    slope: float
    slope_se: float
    slope_low: float
    slope_high: float
    slope_p: float
    dispersion: float
    slope_method: str
    confidence: float

    @property
    def summary(self) -> pd.DataFrame:
        """The per-wave table."""
        return self.table

    @property
    def trend(self) -> dict:
        """The fitted trend as a plain dict."""
        return {"slope": self.slope, "slope_se": self.slope_se, "slope_low": self.slope_low,
                "slope_high": self.slope_high, "slope_p": self.slope_p,
                "dispersion": self.dispersion, "slope_method": self.slope_method,
                "confidence": self.confidence, "units": "points per wave"}

    def _repr_html_(self) -> str:
        return self.table.to_html(index=False)


def _runs(side: np.ndarray, length: int) -> np.ndarray:
    """True for every position inside a run of >= length equal nonzero sides."""
    out = np.zeros(len(side), dtype=bool)
    start = 0
    for i in range(1, len(side) + 1):
        if i == len(side) or side[i] != side[start]:
            if side[start] != 0 and i - start >= length:
                out[start:i] = True
            start = i
    return out


def _wls_slope(y, var, method, confidence):
    w_count = len(y)
    nan = (math.nan,) * 6
    if w_count < MIN_WAVES_TREND:
        return nan, np.full(w_count, math.nan)
    x = np.arange(w_count, dtype=float)
    w = 1.0 / var
    xm = np.sum(w * x) / w.sum()
    ym = np.sum(w * y) / w.sum()
    sxx = np.sum(w * (x - xm) ** 2)
    slope = np.sum(w * (x - xm) * (y - ym)) / sxx
    intercept = ym - slope * xm
    fitted = intercept + slope * x
    if method == "overdispersed":
        phi = max(1.0, float(np.sum(w * (y - fitted) ** 2) / (w_count - 2)))
        se = math.sqrt(phi / sxx)
        q = float(t_dist.ppf(0.5 + confidence / 2.0, w_count - 2))
        p = float(2.0 * t_dist.sf(abs(slope) / se, w_count - 2))
    else:
        phi = 1.0
        se = math.sqrt(1.0 / sxx)
        q = z_value(confidence)
        p = float(2.0 * norm.sf(abs(slope) / se))
    low, high = max(slope - q * se, -200.0), min(slope + q * se, 200.0)
    return (float(slope), se, float(low), float(high), p, phi), fitted


def control_chart_counts(
    table: pd.DataFrame,
    wave: str,
    *,
    sigma: float = 3.0,
    run_length: int = RUN_LENGTH,
    centre_waves: Sequence | None = None,
    slope_method: str = "overdispersed",
    confidence: float = 0.95,
    counts: Sequence[str] = ("detractors", "passives", "promoters"),
) -> ControlChart:
    """Control chart from a table of counts per wave, rows in wave order.

    Parameters
    ----------
    table : DataFrame
        One row per wave, first wave first (e.g. :func:`nps_kit.waves.changes.wave_table`), with the
        wave column and the three count columns.
    wave : str
        Wave column.
    sigma : float
        Limits at centre +- sigma se_i (3 by default).
    run_length : int
        Waves in a row on one side of the centre that make a run (8 by default).
    centre_waves : sequence, optional
        Waves whose pooled shares give the centre and the limits (default: all).
    slope_method : {"overdispersed", "fixed"}
    confidence : float
        Level of the slope interval.
    counts : three column names

    Returns
    -------
    ControlChart

    Examples
    --------
    >>> t = pd.DataFrame({"wave": ["W1", "W2", "W3"], "detractors": [20, 22, 40],
    ...                   "passives": [30, 30, 30], "promoters": [50, 48, 30]})
    >>> c = control_chart_counts(t, "wave")
    >>> round(c.centre, 2), c.table["outside"].tolist()
    (15.33, [False, False, True])
    """
    check_option("slope_method", slope_method, SLOPE_METHODS)
    confidence = check_confidence(confidence)
    if not (math.isfinite(float(sigma)) and float(sigma) > 0):
        raise ParameterError(f"sigma={sigma!r} must be a positive number of standard errors (e.g. 3)")
    if int(run_length) != run_length or int(run_length) < 2:
        raise ParameterError(f"run_length={run_length!r} must be a whole number of waves >= 2 (e.g. 8)")
    missing = [c for c in [wave, *counts] if c not in table.columns]
    if missing:
        raise DataError(f"column(s) {missing} not found; the table has columns {list(table.columns)}")
    t = table.reset_index(drop=True)
    c = t[list(counts)].to_numpy(dtype=float)
    n = c.sum(axis=1)
    if len(t) < 2 or np.any(n <= 0):
        raise DataError(f"a control chart needs at least 2 waves with answers; got {len(t)} wave(s)"
                        + (", some without answers" if np.any(n <= 0) else ""))
    labels = t[wave].astype(str).to_numpy()
    if centre_waves is None:
        ref = np.ones(len(t), dtype=bool)
    else:
        wanted = [str(w) for w in centre_waves]
        unknown = sorted(set(wanted) - set(labels))
        if unknown:
            raise ParameterError(f"centre_waves {unknown} are not waves of the data; the waves are: "
                                 + ", ".join(labels))
        ref = np.isin(labels, wanted)
    pooled = c[ref].sum(axis=0) / c[ref].sum()
    centre = 100.0 * (pooled[2] - pooled[0])
    v_bar = pooled[2] + pooled[0] - (pooled[2] - pooled[0]) ** 2
    se = 100.0 * np.sqrt(v_bar / n)
    nps = 100.0 * (c[:, 2] - c[:, 0]) / n
    lcl = np.maximum(centre - sigma * se, -100.0)
    ucl = np.minimum(centre + sigma * se, 100.0)
    side = np.sign(np.round(nps - centre, 10)).astype(np.int64)
    outside = (nps > ucl) | (nps < lcl)
    run = _runs(side, int(run_length))
    adj = c + np.asarray(ADJUSTMENT)
    na = adj.sum(axis=1)
    pa, da = adj[:, 2] / na, adj[:, 0] / na
    var = 100.0**2 * (pa + da - (pa - da) ** 2) / na
    (slope, slope_se, lo, hi, p, phi), fitted = _wls_slope(nps, var, slope_method, confidence)
    out = t[[wave]].assign(
        n=n.astype(np.int64), detractors=c[:, 0].astype(np.int64), passives=c[:, 1].astype(np.int64),
        promoters=c[:, 2].astype(np.int64), nps=nps, centre=centre, se=se, lcl=lcl, ucl=ucl,
        side=side, outside=outside, run=run, signal=outside | run, trend=fitted,
    )
    return ControlChart(table=out, wave=wave, centre=float(centre), sigma=float(sigma),
                        run_length=int(run_length), centre_waves=tuple(labels[ref]),
                        slope=slope, slope_se=slope_se, slope_low=lo, slope_high=hi, slope_p=p,
                        dispersion=phi, slope_method=slope_method, confidence=confidence)


def control_chart(
    data: pd.DataFrame,
    score: str,
    wave: str,
    *,
    nonresponse: str = "exclude",
    waves: Sequence | None = None,
    **options,
) -> ControlChart:
    """Control chart of NPS by wave from responses (waves in natural order, as
    :func:`nps_kit.core.waveorder.order_waves`).

    Parameters
    ----------
    data : DataFrame
        One row per response.
    score, wave : str
    nonresponse : {"exclude", "detractor", "passive"}
    waves : sequence, optional
        Explicit wave order.
    **options
        ``sigma``, ``run_length``, ``centre_waves``, ``slope_method``, ``confidence`` of
        :func:`control_chart_counts`.

    Returns
    -------
    ControlChart
    """
    from nps_kit.waves.changes import wave_table

    table = wave_table(data, score, wave, method="wald", nonresponse=nonresponse, waves=waves)
    table = table.assign(**{wave: table[wave].astype(str)})
    return control_chart_counts(table, wave, **options)


def signals(chart: ControlChart) -> pd.DataFrame:
    """Each signal of a chart with the wave at which it becomes known.

    A wave outside the limits is known at that wave. A run is known only when its
    ``run_length``-th wave arrives, although the rule then marks every wave of the run, back to
    its first: crediting a run to its first wave would claim a detection months before anyone
    could have made it.

    Returns
    -------
    DataFrame
        ``rule`` ("outside" or "run"), ``first``, ``last`` (waves the signal covers),
        ``known_at`` (the wave at which the rule fires), ``position`` (0-based index of
        ``known_at``), in the order they become known.
    """
    t = chart.table
    waves = t[chart.wave].tolist()
    rows = [{"rule": "outside", "first": waves[i], "last": waves[i], "known_at": waves[i], "position": i}
            for i in np.flatnonzero(t["outside"].to_numpy())]
    runs, side = t["run"].to_numpy(), t["side"].to_numpy()
    k = 0
    while k < len(t):
        if runs[k]:
            j = k
            while j + 1 < len(t) and runs[j + 1] and side[j + 1] == side[k]:
                j += 1
            fire = k + chart.run_length - 1
            rows.append({"rule": "run", "first": waves[k], "last": waves[j], "known_at": waves[fire],
                         "position": fire})
            k = j + 1
        else:
            k += 1
    out = pd.DataFrame(rows, columns=["rule", "first", "last", "known_at", "position"])
    return out.sort_values(["position", "rule"], kind="stable").reset_index(drop=True)


def describe_chart(chart: ControlChart) -> list[str]:
    """Plain-language sentences: the centre and limits, each flagged wave, the latest wave, the trend."""
    t = chart.table
    w = chart.wave
    base = ("all waves" if len(chart.centre_waves) == len(t)
            else "the waves " + ", ".join(chart.centre_waves))
    lines = [f"Centre line {chart.centre:+.1f} points (pooled NPS of {base}); limits at "
             f"+-{chart.sigma:g} standard errors from the pooled shares and each wave's n."]
    for r in t.to_dict("records"):
        if r["outside"]:
            where = "above the upper" if r["nps"] > r["ucl"] else "below the lower"
            lim = r["ucl"] if r["nps"] > r["ucl"] else r["lcl"]
            lines.append(f"Wave {label(r[w])}: NPS {r['nps']:+.1f} lies {where} limit ({lim:+.1f}): a signal.")
    waves = t[w].tolist()
    for sig in signals(chart).itertuples():
        if sig.rule != "run":
            continue
        k, j = waves.index(sig.first), waves.index(sig.last)
        side = "above" if t["side"].iloc[k] > 0 else "below"
        lines.append(f"Waves {label(sig.first)} to {label(sig.last)}: {j - k + 1} waves in a row "
                     f"{side} the centre (run rule: {chart.run_length} in a row): a signal, known from "
                     f"wave {label(sig.known_at)}, when the run reached {chart.run_length}.")
    last = t.iloc[-1]
    if last["signal"]:
        lines.append(f"Latest wave {label(last[w])} (NPS {last['nps']:+.1f}): signal, not just noise.")
    else:
        lines.append(f"Latest wave {label(last[w])} (NPS {last['nps']:+.1f}, limits {last['lcl']:+.1f} to "
                     f"{last['ucl']:+.1f}): within the limits and in no run; consistent with noise.")
    if math.isnan(chart.slope):
        lines.append(f"Too few waves for a fitted trend: {len(t)} here, a slope with an interval "
                     f"needs {MIN_WAVES_TREND}.")
    else:
        disp = (f"; residual dispersion {chart.dispersion:.2f} widens the interval"
                if chart.dispersion > 1 else "")
        lines.append(f"Fitted trend {chart.slope:+.2f} points per wave ({chart.confidence:.0%} "
                     f"interval {chart.slope_low:+.2f} to {chart.slope_high:+.2f}, "
                     f"{p_text(chart.slope_p)}; weighted least squares, {chart.slope_method}{disp}).")
    return lines


__all__ = ["CHART_COLUMNS", "ControlChart", "RUN_LENGTH", "SLOPE_METHODS", "control_chart",
           "control_chart_counts", "describe_chart", "signals"]
