"""Notebook 03 (interval methods): how often each interval method covers the true NPS (Rocks 2016)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from nps_kit.errors import ParameterError, check_confidence, check_option
from nps_kit.core.intervals import METHODS, interval_arrays
from nps_kit.simulate.draws import simulate_counts

from nps_kit.teaching.helpers import child_seed, positive_int, probability, shares3

# --------------------------------------------------------------------------- 3. coverage

COVERAGE_SCENARIOS: dict[str, tuple[float, float, float]] = {
    "typical (25/35/40)": (0.25, 0.35, 0.40),
    "polarised (45/10/45)": (0.45, 0.10, 0.45),
    "near the top (3/12/85)": (0.03, 0.12, 0.85),
    "negative (60/30/10)": (0.60, 0.30, 0.10),
}
"""True (detractor, passive, promoter) shares of the default coverage study: a middling score,
a polarised one with the largest variance, one near the edge of the scale and a negative one."""

COVERAGE_NS: tuple[int, ...] = (10, 20, 50, 100, 200, 500, 1000, 2000)
"""Sample sizes of the default coverage study."""

RESAMPLING_METHODS: tuple[str, ...] = ("bootstrap", "bayes")


def _scenario_table(true_shares) -> list[tuple[str, tuple[float, float, float]]]:
    if isinstance(true_shares, Mapping):
        items = list(true_shares.items())
    else:
        items = []
        for s in true_shares:
            d, a, p = shares3(s, "true_shares")
            items.append((f"{d:.0%}/{a:.0%}/{p:.0%}", (d, a, p)))
    if not items:
        raise ParameterError("true_shares is empty; give at least one (d, a, p)")
    return [(str(name), shares3(s, f"true_shares[{name!r}]")) for name, s in items]


def coverage_study(
    ns: Sequence[int] = COVERAGE_NS,
    true_shares: Mapping[str, Sequence[float]] | Sequence[Sequence[float]] = COVERAGE_SCENARIOS,
    methods: Sequence[str] = METHODS,
    confidence: float = 0.95,
    n_sim: int = 2000,
    seed: int | None = 0,
    *,
    n_sim_resampling: int = 500,
    n_resamples: int = 500,
    chunk: int = 2000,
) -> pd.DataFrame:
    """How often each interval method covers the true NPS: a Monte Carlo coverage study.

    For every true distribution and sample size n, ``n_sim`` surveys are simulated at once as
    multinomial counts (:func:`nps_kit.simulate.draws.simulate_counts`); every method's intervals for
    all of them come from one call of :func:`nps_kit.core.intervals.interval_arrays`. Coverage is the
    share of intervals with low <= true NPS <= high, with Monte Carlo standard error
    sqrt(c (1 - c) / n_sim). The resampling methods (bootstrap, bayes) are evaluated on the first
    ``n_sim_resampling`` of the same simulated surveys with ``n_resamples`` replicates or
    posterior draws per interval, which keeps the study to seconds; their coverage is therefore
    less precise (wider Monte Carlo error). Rocks (2016) ran a study of this design.

    Parameters
    ----------
    ns : sequence of int
        Sample sizes.
    true_shares : mapping name -> (d, a, p), or sequence of (d, a, p)
        True distributions (default :data:`COVERAGE_SCENARIOS`).
    methods : sequence of str
        Methods from :data:`nps_kit.core.intervals.METHODS`.
    confidence : float
        Nominal level.
    n_sim : int
        Simulated surveys per (distribution, n) for the closed-form methods.
    seed : int or None
        Seed; each distribution gets its own derived stream.
    n_sim_resampling : int
        Simulated surveys per cell for bootstrap and bayes (at most ``n_sim``).
    n_resamples : int
        Bootstrap replicates or posterior draws per interval (at least 100).
    chunk : int
        Intervals computed per call for the resampling methods (bounds memory).

    Returns
    -------
    DataFrame
        One row per (scenario, n, method): ``scenario``, ``detractor_share``,
        ``passive_share``, ``promoter_share``, ``true_nps``, ``n``, ``method``, ``n_sim``,
        ``n_resamples`` (0 for closed forms), ``coverage``, ``mc_se``, ``miss_low`` (share of
        intervals entirely below the truth), ``miss_high`` (entirely above), ``mean_width``
        (points), ``nominal``.
    """
    confidence = check_confidence(confidence)
    for m in methods:
        check_option("method", m, METHODS)
    if not len(methods):
        raise ParameterError(f"methods is empty; choose from {list(METHODS)}")
    ns_arr = np.array([positive_int("n", n) for n in ns], dtype=np.int64)
    if ns_arr.size == 0:
        raise ParameterError("ns is empty; give at least one sample size")
    n_sim = positive_int("n_sim", n_sim, 10)
    n_sim_resampling = min(positive_int("n_sim_resampling", n_sim_resampling, 10), n_sim)
    n_resamples = positive_int("n_resamples", n_resamples, 100)
    chunk = positive_int("chunk", chunk)
    frames = []
    for k, (name, shares) in enumerate(_scenario_table(true_shares)):
        truth = 100.0 * (shares[2] - shares[0])
        n_rep = np.repeat(ns_arr, n_sim)  # cell-major: n_sim surveys of ns[0], then ns[1], ...
        counts = simulate_counts(n_rep, shares, seed=child_seed(seed, k)).astype(float)
        cell = np.repeat(np.arange(ns_arr.size), n_sim)
        first = np.tile(np.arange(n_sim) < n_sim_resampling, ns_arr.size)
        for j, method in enumerate(methods):
            if method in RESAMPLING_METHODS:
                sub = counts[first]
                sub_cell = cell[first]
                low = np.empty(len(sub))
                high = np.empty(len(sub))
                for start in range(0, len(sub), chunk):
                    sl = slice(start, start + chunk)
                    out = interval_arrays(sub[sl, 0], sub[sl, 1], sub[sl, 2], method, confidence,
                                          seed=child_seed(seed, k, j, start), n_resamples=n_resamples)
                    low[sl], high[sl] = out["low"], out["high"]
                used_cell, reps, nres = sub_cell, n_sim_resampling, n_resamples
            else:
                out = interval_arrays(counts[:, 0], counts[:, 1], counts[:, 2], method, confidence)
                low, high = out["low"], out["high"]
                used_cell, reps, nres = cell, n_sim, 0
            # a tolerance for floating point: a limit computed as 40.000000000000006 covers 40
            tol = 1e-9
            below = high < truth - tol
            above = low > truth + tol
            covered = ~below & ~above
            size = np.bincount(used_cell, minlength=ns_arr.size)
            cov = np.bincount(used_cell, weights=covered, minlength=ns_arr.size) / size
            frames.append(pd.DataFrame({
                "scenario": name, "detractor_share": shares[0], "passive_share": shares[1],
                "promoter_share": shares[2], "true_nps": truth, "n": ns_arr, "method": method,
                "n_sim": reps, "n_resamples": nres, "coverage": cov,
                "mc_se": np.sqrt(cov * (1.0 - cov) / size),
                "miss_low": np.bincount(used_cell, weights=below, minlength=ns_arr.size) / size,
                "miss_high": np.bincount(used_cell, weights=above, minlength=ns_arr.size) / size,
                "mean_width": np.bincount(used_cell, weights=high - low, minlength=ns_arr.size) / size,
                "nominal": confidence,
            }))
    return pd.concat(frames, ignore_index=True)


def coverage_verdict(study: pd.DataFrame, tolerance: float = 0.02, mc_allowance: float = 2.0) -> pd.DataFrame:
    """Per method: the worst coverage, and from which n on coverage stays near nominal.

    A cell is *near nominal* when |coverage - nominal| <= ``tolerance`` + ``mc_allowance`` x
    sqrt(nominal (1 - nominal) / n_sim): the tolerance widened by the Monte Carlo error a cell
    with ``n_sim`` simulated surveys has even when its true coverage is exactly nominal (so the
    resampling methods, studied with fewer surveys, are not failed for noise alone).
    ``stable_from_n`` is the smallest studied n from which every larger studied n is near nominal
    in every scenario (NaN if the largest n is not).

    Parameters
    ----------
    study : DataFrame
        Output of :func:`coverage_study`.
    tolerance : float
        Allowed distance from the nominal level, as a fraction (0.02 = 2 percentage points).
    mc_allowance : float
        Monte Carlo standard errors added to the tolerance (0 for the bare tolerance).

    Returns
    -------
    DataFrame
        ``method``, ``min_coverage``, ``worst_scenario``, ``worst_n``, ``max_coverage``,
        ``cells_near_nominal`` (share of cells), ``stable_from_n``, ``near_nominal_everywhere``,
        ``band`` (the allowed distance used, largest over the method's cells), ``n_sim``,
        ``tolerance``, ``nominal``, sorted by ``stable_from_n`` then worst coverage.
    """
    tolerance = probability("tolerance", tolerance)
    if not mc_allowance >= 0:
        raise ParameterError(f"mc_allowance={mc_allowance!r} must be >= 0")
    need = {"scenario", "n", "method", "coverage", "nominal", "n_sim"}
    if not need <= set(study.columns):
        raise ParameterError(f"study lacks columns {sorted(need - set(study.columns))}; pass coverage_study()")
    nominal = study["nominal"].to_numpy(dtype=float)
    band = tolerance + mc_allowance * np.sqrt(nominal * (1.0 - nominal) / study["n_sim"].to_numpy(dtype=float))
    s = study.assign(near=(study["coverage"] - nominal).abs() <= band + 1e-12, band=band)
    rows = []
    for method, g in s.groupby("method", sort=False):
        by_n = g.groupby("n")["near"].all().sort_index()
        ok_from_here = by_n[::-1].cummin()[::-1]  # True where this n and every larger n are fine
        stable = float(ok_from_here.index[ok_from_here.to_numpy()].min()) if ok_from_here.any() else np.nan
        worst = g.loc[g["coverage"].idxmin()]
        rows.append({
            "method": method, "min_coverage": float(g["coverage"].min()),
            "worst_scenario": worst["scenario"], "worst_n": int(worst["n"]),
            "max_coverage": float(g["coverage"].max()),
            "cells_near_nominal": float(g["near"].mean()), "stable_from_n": stable,
            "near_nominal_everywhere": bool(g["near"].all()), "band": float(g["band"].max()),
            "n_sim": int(g["n_sim"].max()), "tolerance": tolerance,
            "nominal": float(g["nominal"].iloc[0]),
        })
    out = pd.DataFrame(rows)
    return out.sort_values(["stable_from_n", "min_coverage"], ascending=[True, False],
                           na_position="last", ignore_index=True)


def coverage_conclusions(study: pd.DataFrame, tolerance: float = 0.02, mc_allowance: float = 2.0) -> list[str]:
    """Plain sentences that state what a coverage study supports, generated from its numbers.

    Parameters
    ----------
    study : DataFrame
        Output of :func:`coverage_study`.
    tolerance, mc_allowance : float
        As in :func:`coverage_verdict`.

    Returns
    -------
    list of str
        One sentence per method, then a sentence naming the methods near nominal everywhere.
    """
    v = coverage_verdict(study, tolerance, mc_allowance)
    nominal = float(v["nominal"].iloc[0])
    ns = sorted(int(n) for n in study["n"].unique())
    out = []
    for r in v.itertuples(index=False):
        reps = int(r.n_sim)
        band = f"{max(nominal - r.band, 0):.1%} to {min(nominal + r.band, 1):.1%}"
        head = f"{r.method}: lowest coverage {r.min_coverage:.1%} ({r.worst_scenario}, n = {r.worst_n:,})"
        if r.near_nominal_everywhere:
            tail = f"; within {band} in every scenario at every n studied ({ns[0]:,} to {ns[-1]:,})"
        elif np.isnan(r.stable_from_n):
            tail = f"; still outside {band} somewhere at n = {ns[-1]:,}"
        else:
            tail = f"; within {band} in every scenario from n = {int(r.stable_from_n):,} on"
        out.append(f"{head}{tail} ({reps:,} simulated surveys per cell, so +-{100 * r.band:.1f} "
                   "percentage points allowed).")
    good = v.loc[v["near_nominal_everywhere"], "method"].tolist()
    if good:
        out.append(f"Near the nominal {nominal:.0%} at every n and in every scenario studied: {', '.join(good)}.")
    else:
        best = v.iloc[0]
        out.append(f"No method stays near the nominal {nominal:.0%} everywhere; the earliest to settle is {best['method']}"
                   + ("" if np.isnan(best["stable_from_n"]) else f" (from n = {int(best['stable_from_n']):,})")
                   + ".")
    return out


__all__ = [
    "coverage_conclusions", "COVERAGE_NS", "COVERAGE_SCENARIOS", "coverage_study",
    "coverage_verdict", "RESAMPLING_METHODS",
]
