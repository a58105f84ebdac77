"""Simulations and worked examples behind the teaching notebooks (``notebooks/``).

Everything a notebook in ``notebooks/`` computes lives here, so each number it shows has a test:

- :func:`mean_rises_nps_falls`: two waves built so the mean of the raw scores rises while NPS
  falls; :func:`score_statistics` puts mean, median and NPS side by side.
- :func:`simulated_margin`: the margin of error of an NPS found by drawing samples without
  replacement from a finite population, to check the closed form of :mod:`nps_kit.design.sample_size`.
- :func:`coverage_study`, :func:`coverage_verdict`, :func:`coverage_conclusions`: how often each
  interval method of :mod:`nps_kit.core.intervals` covers the true NPS, over sample sizes and true
  distributions, and what that supports.
- Pitfalls that move the NPS without any change in loyalty: :func:`simulate_email_only_bias`
  (loyalty-dependent non-response, phone follow-up), :func:`nonresponse_rules` (exclude versus
  detractor on the same data), :func:`measured_vs_truth` (the demo world's changed wave against
  its ground truth), :func:`incentive_inflation` (staff pushing 7-8 to 9-10) and
  :func:`small_sample_swings` (small waves from a constant truth read as trends).

All simulations work on numpy arrays of whole replicate surveys at once (no loop over
respondents) and take a ``seed`` for ``np.random.default_rng``: the same seed gives the same
numbers.

References
----------
Rocks, B. (2016). Interval estimation for the "Net Promoter Score". The American Statistician
70(4), 365-372 (the coverage study design and the adjusted Wald interval).
Hansen, M. H. and Hurwitz, W. N. (1946). The problem of non-response in sample surveys. Journal
of the American Statistical Association 41, 517-529 (following up a subsample of
non-responders and weighting it up to all of them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

from nps_kit.errors import ParameterError, check_confidence, check_option
from nps_kit.core.intervals import METHODS, interval_arrays, nps_variance
from nps_kit.core.scores import NONRESPONSE_POLICIES, mean_score, median_score, nps
from nps_kit.simulate.world import DEFAULT_SEED, score_probabilities, simulate_counts, simulate_scores, true_nps
from nps_kit.engines.dispatch import summarize
from nps_kit.core.columns import as_columns

# --------------------------------------------------------------------------- small helpers


def _child_seed(seed: int | None, *keys: int) -> int:
    """An integer seed for stream ``keys`` derived from ``seed`` (independent streams)."""
    return int(np.random.SeedSequence([0 if seed is None else int(seed), *keys]).generate_state(1)[0])


def _positive_int(name: str, value, minimum: int = 1) -> int:
    try:
        ok = not isinstance(value, bool) and float(value).is_integer() and value >= minimum
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ParameterError(f"{name}={value!r} must be a whole number >= {minimum}")
    return int(value)


def _probability(name: str, value) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name}={value!r} is not a number") from None
    if not 0.0 <= x <= 1.0:
        raise ParameterError(f"{name}={value!r} must lie between 0 and 1")
    return x


def _shares3(shares: Sequence[float], name: str = "shares") -> tuple[float, float, float]:
    arr = np.asarray(shares, dtype=float).ravel()
    if arr.size != 3 or not np.all(np.isfinite(arr)) or np.any(arr < 0) or abs(arr.sum() - 1) > 1e-9:
        raise ParameterError(
            f"{name}={tuple(np.atleast_1d(shares))!r}: give three shares (detractors, passives, "
            "promoters) >= 0 that add up to 1"
        )
    return float(arr[0]), float(arr[1]), float(arr[2])


def _nps_of_counts(d, a, p):
    """100 (p - d) / n for arrays of counts."""
    d, a, p = (np.asarray(x, dtype=float) for x in (d, a, p))
    with np.errstate(invalid="ignore", divide="ignore"):
        return 100.0 * (p - d) / (d + a + p)


@dataclass(frozen=True)
class _Result:
    """Base of the small result objects: a ``.summary`` table and its HTML repr."""

    @property
    def summary(self) -> pd.DataFrame:  # pragma: no cover - overridden
        raise NotImplementedError

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


# --------------------------------------------------------------------------- 1. basics

MEAN_TRAP_BEFORE: dict[int, float] = {0: 0.20, 7: 0.20, 10: 0.60}
"""Score distribution of the first wave of :func:`mean_rises_nps_falls` (mean 7.4, NPS 40)."""

MEAN_TRAP_AFTER: dict[int, float] = {6: 0.25, 8: 0.20, 9: 0.55}
"""Score distribution of the second wave (mean 8.05, NPS 30): the angry zeros became
disappointed sixes (still detractors) and some promoters slipped to passives."""


def scores_from_distribution(distribution: Mapping[int, float], n: int) -> np.ndarray:
    """Exactly ``n`` scores with the given shares (no randomness), sorted.

    Counts are ``floor(n * share)`` topped up by largest remainder, so they add up to ``n``.

    Parameters
    ----------
    distribution : mapping of score (0-10) to share
        Shares must be >= 0 and add up to 1.
    n : int
        Number of scores.

    Examples
    --------
    >>> scores_from_distribution({0: 0.5, 10: 0.5}, 4).tolist()
    [0.0, 0.0, 10.0, 10.0]
    """
    n = _positive_int("n", n)
    keys = np.array(list(distribution.keys()), dtype=float)
    shares = np.array(list(distribution.values()), dtype=float)
    if (np.any((keys < 0) | (keys > 10) | (keys != np.round(keys))) or np.any(shares < 0)
            or abs(shares.sum() - 1.0) > 1e-9):
        raise ParameterError(
            f"distribution={dict(distribution)!r}: keys must be whole scores 0-10 and the shares "
            ">= 0, adding up to 1"
        )
    exact = shares * n
    k = np.floor(exact).astype(np.int64)
    rest = n - int(k.sum())
    k[np.argsort(-(exact - k), kind="stable")[:rest]] += 1
    order = np.argsort(keys)
    return np.repeat(keys[order], k[order])


def mean_rises_nps_falls(
    n: int = 100,
    before: Mapping[int, float] | None = None,
    after: Mapping[int, float] | None = None,
) -> pd.DataFrame:
    """Two waves of scores in which the mean of the raw scores rises while NPS falls.

    Defaults: :data:`MEAN_TRAP_BEFORE` (20 % score 0, 20 % score 7, 60 % score 10: mean 7.4,
    NPS 40) and :data:`MEAN_TRAP_AFTER` (25 % score 6, 20 % score 8, 55 % score 9: mean 8.05,
    NPS 30). A mean rewards moving a 0 to a 6; NPS does not, because both are detractors, and it
    punishes a 10 slipping to an 8.

    Parameters
    ----------
    n : int
        Respondents per wave.
    before, after : mapping of score to share, optional
        Other distributions to try.

    Returns
    -------
    DataFrame
        ``wave`` ("before", "after") and ``score``, one row per respondent.
    """
    b = scores_from_distribution(MEAN_TRAP_BEFORE if before is None else before, n)
    a = scores_from_distribution(MEAN_TRAP_AFTER if after is None else after, n)
    return pd.DataFrame({"wave": np.repeat(["before", "after"], [len(b), len(a)]),
                         "score": np.concatenate([b, a])})


def score_statistics(data: pd.DataFrame, score: str = "score", by: str = "wave") -> pd.DataFrame:
    """Mean, median and NPS of the same scores, per group (groups in order of appearance).

    Uses :func:`nps_kit.core.scores.mean_score`, :func:`~nps_kit.core.scores.median_score` and
    :func:`~nps_kit.core.scores.nps`; the mean and median are on the 0-10 scale, NPS in points.

    Returns
    -------
    DataFrame
        ``by``, ``n``, ``mean``, ``median``, ``detractor_share``, ``passive_share``,
        ``promoter_share``, ``nps``.
    """
    rows = []
    for key, grp in data.groupby(by, sort=False):
        s = grp[score]
        cats = pd.cut(s, [-0.5, 6.5, 8.5, 10.5], labels=["d", "a", "p"]).value_counts(normalize=True)
        rows.append({by: key, "n": int(s.notna().sum()), "mean": mean_score(s), "median": median_score(s),
                     "detractor_share": float(cats["d"]), "passive_share": float(cats["a"]),
                     "promoter_share": float(cats["p"]), "nps": nps(s)})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- 2. precision


def population_counts(population: int, shares: Sequence[float]) -> np.ndarray:
    """Whole numbers of detractors, passives and promoters in a population of ``population``
    with the given shares (largest remainder, so they add up)."""
    population = _positive_int("population", population)
    s = np.asarray(_shares3(shares))
    exact = s * population
    k = np.floor(exact).astype(np.int64)
    k[np.argsort(-(exact - k), kind="stable")[: population - int(k.sum())]] += 1
    return k


def simulated_margin(
    population: int,
    n: int,
    shares: Sequence[float] = (0.5, 0.0, 0.5),
    confidence: float = 0.95,
    n_sim: int = 20_000,
    seed: int | None = 0,
) -> float:
    """Margin of error of an NPS from ``n`` of ``population`` people, found by simulation.

    Draws ``n_sim`` samples of ``n`` without replacement (multivariate hypergeometric) from a
    population with the given category shares and returns the ``confidence`` quantile of
    |sample NPS - population NPS| in points. It should agree with the closed form
    100 z sqrt(v / n) sqrt((N - n) / (N - 1)) of :func:`nps_kit.design.sample_size.nps_margin`.

    Parameters
    ----------
    population : int
        Population size N.
    n : int
        Sample size (at most N).
    shares : (d, a, p)
        Category shares in the population; (0.5, 0, 0.5) is the worst case (v = 1).
    confidence : float
    n_sim : int
        Number of simulated samples.
    seed : int or None

    Returns
    -------
    float
        Margin in NPS points.
    """
    confidence = check_confidence(confidence)
    pop = population_counts(population, shares)
    n = _positive_int("n", n)
    if n > population:
        raise ParameterError(f"n={n} exceeds the population of {population}")
    n_sim = _positive_int("n_sim", n_sim, 100)
    rng = np.random.default_rng(seed)
    draws = rng.multivariate_hypergeometric(pop, n, size=n_sim)
    est = _nps_of_counts(draws[:, 0], draws[:, 1], draws[:, 2])
    truth = 100.0 * (pop[2] - pop[0]) / pop.sum()
    return float(np.quantile(np.abs(est - truth), confidence))


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
            d, a, p = _shares3(s, "true_shares")
            items.append((f"{d:.0%}/{a:.0%}/{p:.0%}", (d, a, p)))
    if not items:
        raise ParameterError("true_shares is empty; give at least one (d, a, p)")
    return [(str(name), _shares3(s, f"true_shares[{name!r}]")) for name, s in items]


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
    multinomial counts (:func:`nps_kit.simulate.world.simulate_counts`); every method's intervals for
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
    ns_arr = np.array([_positive_int("n", n) for n in ns], dtype=np.int64)
    if ns_arr.size == 0:
        raise ParameterError("ns is empty; give at least one sample size")
    n_sim = _positive_int("n_sim", n_sim, 10)
    n_sim_resampling = min(_positive_int("n_sim_resampling", n_sim_resampling, 10), n_sim)
    n_resamples = _positive_int("n_resamples", n_resamples, 100)
    chunk = _positive_int("chunk", chunk)
    frames = []
    for k, (name, shares) in enumerate(_scenario_table(true_shares)):
        truth = 100.0 * (shares[2] - shares[0])
        n_rep = np.repeat(ns_arr, n_sim)  # cell-major: n_sim surveys of ns[0], then ns[1], ...
        counts = simulate_counts(n_rep, shares, seed=_child_seed(seed, k)).astype(float)
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
                                          seed=_child_seed(seed, k, j, start), n_resamples=n_resamples)
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
    tolerance = _probability("tolerance", tolerance)
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


# --------------------------------------------------------------------------- 4. pitfalls


def _expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def latent_score_nps(centre: float = 7.6, slope: float = 1.5, noise: float = 0.9) -> float:
    """True NPS in points when score = round(centre + slope L + e), L ~ N(0, 1), e ~ N(0, noise^2).

    The raw value is normal with mean ``centre`` and sd sqrt(slope^2 + noise^2); a promoter has
    raw >= 8.5 and a detractor raw < 6.5 (rounding to whole scores; clipping to 0..10 does not
    change the category), so NPS = 100 [P(raw >= 8.5) - P(raw < 6.5)].
    """
    sd = float(np.hypot(slope, noise))
    return float(100.0 * (norm.sf((8.5 - centre) / sd) - norm.cdf((6.5 - centre) / sd)))


@dataclass(frozen=True)
class ChannelBias(_Result):
    """Result of :func:`simulate_email_only_bias`.

    Attributes
    ----------
    true_nps : float
        NPS if every customer answered (points, from the model).
    replicates : DataFrame
        One row per simulated survey and estimator: ``replicate``, ``estimator``, ``nps``,
        ``respondents``.
    invited, n_sim : int
    """

    true_nps: float
    replicates: pd.DataFrame
    invited: int
    n_sim: int

    ESTIMATORS = ("everyone invited", "e-mail only", "e-mail + phone, pooled",
                  "e-mail + phone, weighted")

    @property
    def summary(self) -> pd.DataFrame:
        """Per estimator: mean NPS, bias against the truth, sd, RMSE and mean respondents."""
        g = self.replicates.groupby("estimator", sort=False)
        out = g.agg(mean_nps=("nps", "mean"), sd=("nps", "std"), respondents=("respondents", "mean"))
        out["true_nps"] = self.true_nps
        out["bias"] = out["mean_nps"] - self.true_nps
        out["rmse"] = np.sqrt(out["bias"] ** 2 + out["sd"] ** 2)
        return out.reset_index()[["estimator", "true_nps", "mean_nps", "bias", "sd", "rmse", "respondents"]]

    def bias(self, estimator: str) -> float:
        """Mean NPS minus the true NPS for one estimator, in points."""
        check_option("estimator", estimator, self.ESTIMATORS)
        s = self.summary.set_index("estimator")
        return float(s.loc[estimator, "bias"])


def simulate_email_only_bias(
    invited: int = 1000,
    *,
    email_intercept: float = -0.5,
    email_slope: float = 1.1,
    phone_share: float = 0.55,
    phone_intercept: float = 0.1,
    phone_slope: float = 0.25,
    score_centre: float = 7.6,
    score_slope: float = 1.5,
    score_noise: float = 0.9,
    n_sim: int = 500,
    seed: int | None = 0,
) -> ChannelBias:
    """E-mail-only fieldwork with loyalty-dependent non-response, and a phone follow-up.

    Each invited customer has a latent loyalty L ~ N(0, 1) and would score
    round(score_centre + score_slope L + e), e ~ N(0, score_noise^2), clipped to 0..10.
    They answer the e-mail with probability expit(email_intercept + email_slope L): unhappy
    customers ignore it. A random ``phone_share`` of the e-mail non-responders is called and
    answers with probability expit(phone_intercept + phone_slope L), which barely depends on
    loyalty. The defaults are those of the demo world (:mod:`nps_kit.simulate.world`).

    Four estimators per simulated survey:

    - ``everyone invited``: the NPS if all invited answered (sampling error only);
    - ``e-mail only``: the e-mail respondents;
    - ``e-mail + phone, pooled``: e-mail and phone respondents counted together;
    - ``e-mail + phone, weighted``: two-phase estimate in the spirit of Hansen and Hurwitz
      (1946): the phone respondents stand for *all* e-mail non-responders, so each category
      share is (E_c + R p_c) / (E + R), with E e-mail respondents (E_c in category c), R e-mail
      non-responders and p_c the category share among phone respondents.

    Parameters
    ----------
    invited : int
        Customers invited per survey.
    email_intercept, email_slope : float
        Logistic model of answering the e-mail (slope 0 = no bias).
    phone_share : float
        Share of e-mail non-responders called.
    phone_intercept, phone_slope : float
        Logistic model of answering the phone.
    score_centre, score_slope, score_noise : float
        Score model.
    n_sim : int
        Simulated surveys.
    seed : int or None

    Returns
    -------
    ChannelBias
    """
    invited = _positive_int("invited", invited, 10)
    n_sim = _positive_int("n_sim", n_sim, 2)
    phone_share = _probability("phone_share", phone_share)
    rng = np.random.default_rng(seed)
    shape = (n_sim, invited)
    loyalty = rng.standard_normal(shape)
    scores = np.clip(np.rint(score_centre + score_slope * loyalty + rng.normal(0.0, score_noise, shape)), 0, 10)
    cat = np.where(scores >= 9, 2, np.where(scores >= 7, 1, 0))
    by_email = rng.random(shape) < _expit(email_intercept + email_slope * loyalty)
    called = ~by_email & (rng.random(shape) < phone_share)
    by_phone = called & (rng.random(shape) < _expit(phone_intercept + phone_slope * loyalty))

    def counts(mask):
        return np.stack([((cat == c) & mask).sum(axis=1) for c in range(3)], axis=1).astype(float)

    everyone = counts(np.ones(shape, dtype=bool))
    email = counts(by_email)
    phone = counts(by_phone)
    pooled = email + phone
    non_resp = (~by_email).sum(axis=1).astype(float)
    n_phone = phone.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        weighted = email + non_resp[:, None] * phone / n_phone[:, None]
    rows = []
    for name, c, resp in (("everyone invited", everyone, everyone.sum(axis=1)),
                          ("e-mail only", email, email.sum(axis=1)),
                          ("e-mail + phone, pooled", pooled, pooled.sum(axis=1)),
                          ("e-mail + phone, weighted", weighted, pooled.sum(axis=1))):
        rows.append(pd.DataFrame({"replicate": np.arange(n_sim), "estimator": name,
                                  "nps": _nps_of_counts(c[:, 0], c[:, 1], c[:, 2]),
                                  "respondents": resp.astype(np.int64)}))
    reps = pd.concat(rows, ignore_index=True).dropna(subset=["nps"]).reset_index(drop=True)
    return ChannelBias(true_nps=latent_score_nps(score_centre, score_slope, score_noise),
                       replicates=reps, invited=invited, n_sim=n_sim)


NONRESPONSE_SHAPES: tuple[str, ...] = ("long", "wide")


def nonresponse_rules(
    data: pd.DataFrame,
    score: str = "score",
    by: str | Sequence[str] | None = "wave",
    rules: Sequence[str] = ("exclude", "detractor"),
    *,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
    shape: str = "long",
) -> pd.DataFrame:
    """The same responses scored under different non-response rules, side by side.

    Each rule is one call of :func:`nps_kit.core.summary.summarize` (``nonresponse=rule``): people
    who gave no score are left out (``"exclude"``) or counted as detractors (``"detractor"``)
    or passives. Mixing rules between waves breaks comparability (METHODS.md, "Study
    practice").

    Parameters
    ----------
    data : DataFrame
        Responses, one row per respondent; a missing score is a non-response.
    score : str
    by : str or list of str, optional
        Group columns (default ``"wave"``).
    rules : sequence of {"exclude", "detractor", "passive"}
    method, confidence
        Interval method and level.
    shape : {"long", "wide"}
        ``"long"``: one row per group and rule (the :func:`~nps_kit.core.summary.summarize` columns);
        ``"wide"``: one row per group with ``nps_<rule>`` columns and ``gap`` (last rule minus
        first rule, points).

    Returns
    -------
    DataFrame
    """
    check_option("shape", shape, NONRESPONSE_SHAPES)
    if not len(rules):
        raise ParameterError(f"rules is empty; choose from {list(NONRESPONSE_POLICIES)}")
    for r in rules:
        check_option("nonresponse", r, NONRESPONSE_POLICIES)
    long = pd.concat([summarize(data, score, by=by, method=method, confidence=confidence, nonresponse=r)
                      for r in rules], ignore_index=True)
    if shape == "long":
        return long
    keys = [] if by is None else (as_columns(by))
    if not keys:
        long = long.assign(_all="all")
        keys = ["_all"]
    wide = long.pivot_table(index=keys, columns="nonresponse", values="nps", sort=False)
    wide = wide[list(rules)].add_prefix("nps_")
    wide.columns.name = None
    wide["gap"] = wide[f"nps_{rules[-1]}"] - wide[f"nps_{rules[0]}"]
    nonresp = long.drop_duplicates(keys).set_index(keys)["nonrespondents"]
    wide["nonrespondents"] = nonresp.reindex(wide.index).to_numpy()
    out = wide.reset_index()
    return out.drop(columns="_all") if "_all" in out.columns else out


def measured_vs_truth(
    responses: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    score: str = "score",
    wave: str = "wave",
    channel: str = "channel",
    seed: int | None = DEFAULT_SEED,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Per wave of the demo world: what the survey measured against the ground truth.

    The truth is :func:`nps_kit.simulate.world.true_nps` (every customer answering; "All" segments);
    the measured figures come from :func:`nps_kit.core.summary.summarize` over all respondents and
    over the e-mail respondents only. Only meaningful for data simulated by
    :mod:`nps_kit.simulate.world` (the demo data), whose truth is known.

    Returns
    -------
    DataFrame
        ``wave``, ``channels`` (channels seen, e.g. "email, phone"), ``n``, ``measured_nps``,
        ``ci_low``, ``ci_high``, ``email_nps``, ``true_nps``, ``gap`` (measured - true),
        ``measured_change`` and ``true_change`` (against the previous wave).
    """
    waves = list(dict.fromkeys(responses[wave].astype(str)))
    waves = sorted(waves)
    overall = summarize(responses, score, by=wave, method=method, confidence=confidence).set_index(wave)
    email = summarize(responses[responses[channel] == "email"], score, by=wave, method=method,
                      confidence=confidence).set_index(wave)
    truth = true_nps(customers, waves, seed=seed)
    truth = truth[truth["segment"] == "All"].set_index("wave")["nps"]
    chans = responses.groupby(wave)[channel].agg(lambda s: ", ".join(sorted(s.astype(str).unique())))
    out = pd.DataFrame({
        "wave": waves,
        "channels": chans.reindex(waves).to_numpy(),
        "n": overall["n"].reindex(waves).to_numpy(),
        "measured_nps": overall["nps"].reindex(waves).to_numpy(),
        "ci_low": overall["ci_low"].reindex(waves).to_numpy(),
        "ci_high": overall["ci_high"].reindex(waves).to_numpy(),
        "email_nps": email["nps"].reindex(waves).to_numpy(),
        "true_nps": truth.reindex(waves).to_numpy(),
    })
    out["gap"] = out["measured_nps"] - out["true_nps"]
    out["measured_change"] = out["measured_nps"].diff()
    out["true_change"] = out["true_nps"].diff()
    return out


@dataclass(frozen=True)
class IncentiveInflation(_Result):
    """Result of :func:`incentive_inflation`.

    Attributes
    ----------
    waves : DataFrame
        ``wave``, ``incentive`` (bool), ``true_nps`` (constant), ``honest_nps`` (the customers'
        own scores), ``reported_nps`` (after staff pushed scores), ``ci_low``, ``ci_high``
        (adjusted Wald interval of the reported NPS), ``n``.
    expected_jump : float
        100 x push x share of the pushed scores: the inflation in points the model implies.
    measured_jump : float
        Mean reported NPS with the incentive minus mean without.
    """

    waves: pd.DataFrame
    expected_jump: float
    measured_jump: float
    push: float

    @property
    def summary(self) -> pd.DataFrame:
        """Mean true, honest and reported NPS before and with the incentive."""
        g = self.waves.groupby("incentive")[["true_nps", "honest_nps", "reported_nps"]].mean()
        return g.reset_index()


def incentive_inflation(
    n_per_wave: int = 300,
    shares: Sequence[float] = (0.25, 0.35, 0.40),
    push: float = 0.4,
    n_waves: int = 8,
    incentive_from: int = 5,
    pushed_scores: Sequence[int] = (7, 8),
    confidence: float = 0.95,
    seed: int | None = 0,
) -> IncentiveInflation:
    """Staff incentives tied to the score: loyalty stays the same, the reported NPS jumps.

    Every wave draws ``n_per_wave`` scores from the same distribution (the truth never
    changes). From wave ``incentive_from`` on, staff whose bonus depends on the score nudge
    customers ("anything below 9 counts as a fail for me"), so each score in
    ``pushed_scores`` becomes a 9 or 10 (equally likely) with probability ``push``. With passive
    share a and all passives pushable, the reported NPS rises by 100 push a points on average
    while nothing about loyalty changed.

    Parameters
    ----------
    n_per_wave : int
    shares : (d, a, p)
        True shares; within a category scores spread as in :func:`nps_kit.simulate.world.simulate_scores`.
    push : float
        Probability that a pushable score is turned into a 9 or 10.
    n_waves, incentive_from : int
        Waves simulated and the first wave (1-based) with the incentive.
    pushed_scores : sequence of int
        Scores staff can push (default the passives 7 and 8).
    confidence : float
        Level of the interval of each wave.
    seed : int or None

    Returns
    -------
    IncentiveInflation
    """
    n_per_wave = _positive_int("n_per_wave", n_per_wave)
    n_waves = _positive_int("n_waves", n_waves, 2)
    incentive_from = _positive_int("incentive_from", incentive_from, 2)
    if incentive_from > n_waves:
        raise ParameterError(f"incentive_from={incentive_from} is after the last wave ({n_waves})")
    push = _probability("push", push)
    shares = _shares3(shares)
    pushed = np.asarray(pushed_scores, dtype=float)
    if pushed.size == 0 or np.any((pushed < 0) | (pushed > 8) | (pushed != np.round(pushed))):
        raise ParameterError(f"pushed_scores={tuple(pushed_scores)!r} must be whole scores 0-8")
    scores = simulate_scores(n_per_wave * n_waves, shares, seed=_child_seed(seed, 1)).reshape(n_waves, n_per_wave)
    rng = np.random.default_rng(_child_seed(seed, 2))
    wave_no = np.arange(1, n_waves + 1)
    active = (wave_no >= incentive_from)[:, None]
    nudged = active & np.isin(scores, pushed) & (rng.random(scores.shape) < push)
    reported = np.where(nudged, rng.integers(9, 11, scores.shape).astype(float), scores)

    def cat_counts(s):
        return [(s < 7).sum(axis=1), ((s >= 7) & (s < 9)).sum(axis=1), (s >= 9).sum(axis=1)]

    hd, ha, hp = cat_counts(scores)
    rd, ra, rp = cat_counts(reported)
    ci = interval_arrays(rd, ra, rp, "adjusted-wald", confidence)
    waves = pd.DataFrame({
        "wave": wave_no, "incentive": active[:, 0], "true_nps": 100.0 * (shares[2] - shares[0]),
        "honest_nps": _nps_of_counts(hd, ha, hp), "reported_nps": ci["nps"],
        "ci_low": ci["low"], "ci_high": ci["high"], "n": n_per_wave,
    })
    # share of pushable scores in the score distribution simulate_scores draws from
    probs = score_probabilities(shares)
    expected = 100.0 * push * float(probs[np.unique(pushed.astype(int))].sum())
    on = waves["incentive"].to_numpy()
    measured = float(waves.loc[on, "reported_nps"].mean() - waves.loc[~on, "reported_nps"].mean())
    return IncentiveInflation(waves=waves, expected_jump=expected, measured_jump=measured, push=push)


@dataclass(frozen=True)
class SampleSwings(_Result):
    """Result of :func:`small_sample_swings`.

    Attributes
    ----------
    waves : DataFrame
        ``series``, ``wave``, ``nps`` for every simulated series (a constant truth).
    true_nps, expected_sd : float
        The truth and the sampling sd of one wave's NPS, 100 sqrt(v / n).
    sd : float
        Observed sd of the wave NPS.
    mean_abs_change : float
        Mean |NPS_t - NPS_{t-1}| between consecutive waves.
    share_big_changes : float
        Share of consecutive changes of at least ``big_change`` points.
    share_with_trend : float
        Share of series with at least one run of ``trend_length`` consecutive moves in the same
        direction (an apparent trend).
    share_significant : float
        Share of consecutive changes the two-sample test (:func:`nps_kit.core.compare.difference_arrays`,
        independent samples) calls significant at 1 - confidence.
    """

    waves: pd.DataFrame
    true_nps: float
    expected_sd: float
    sd: float
    mean_abs_change: float
    share_big_changes: float
    share_with_trend: float
    share_significant: float
    big_change: float
    trend_length: int
    n_per_wave: int

    @property
    def summary(self) -> pd.DataFrame:
        """The figures with what they mean."""
        rows = [
            ("true_nps", self.true_nps, "the truth, the same in every wave"),
            ("expected_sd", self.expected_sd, f"sampling sd of one wave's NPS at n = {self.n_per_wave}"),
            ("sd", self.sd, "observed sd of the wave NPS"),
            ("mean_abs_change", self.mean_abs_change, "mean size of the change between consecutive waves"),
            ("share_big_changes", self.share_big_changes,
             f"share of consecutive changes of {self.big_change:g} points or more"),
            ("share_with_trend", self.share_with_trend,
             f"share of series with {self.trend_length} moves in a row in the same direction"),
            ("share_significant", self.share_significant,
             "share of consecutive changes a two-sample test calls significant"),
        ]
        return pd.DataFrame(rows, columns=["figure", "value", "meaning"])


def _has_run(signs: np.ndarray, length: int) -> np.ndarray:
    """Per row: is there a run of ``length`` equal non-zero signs in a row?"""
    n_rows, n_cols = signs.shape
    found = np.zeros(n_rows, dtype=bool)
    for start in range(n_cols - length + 1):  # loop over positions in a short series, not rows
        window = signs[:, start:start + length]
        found |= (window[:, :1] != 0).ravel() & (window == window[:, :1]).all(axis=1)
    return found


def small_sample_swings(
    n_per_wave: int = 50,
    n_waves: int = 8,
    shares: Sequence[float] = (0.25, 0.35, 0.40),
    n_series: int = 1000,
    *,
    big_change: float = 10.0,
    trend_length: int = 3,
    confidence: float = 0.95,
    seed: int | None = 0,
) -> SampleSwings:
    """Small waves from a constant truth: how often they show changes and 'trends'.

    ``n_series`` histories of ``n_waves`` waves of ``n_per_wave`` respondents are drawn from the
    same (d, a, p); each wave's NPS varies around the truth with sd 100 sqrt(v / n),
    v = p + d - (p - d)^2. Consecutive changes are tested with the independent two-sample test
    of :func:`nps_kit.core.compare.difference_arrays` (adjusted Wald), which should flag about
    1 - confidence of them.

    Parameters
    ----------
    n_per_wave, n_waves, n_series : int
    shares : (d, a, p)
    big_change : float
        A change of at least this many points counts as "big".
    trend_length : int
        Consecutive moves in the same direction that look like a trend.
    confidence : float
    seed : int or None

    Returns
    -------
    SampleSwings
    """
    from nps_kit.core.compare import difference_arrays

    n_per_wave = _positive_int("n_per_wave", n_per_wave)
    n_waves = _positive_int("n_waves", n_waves, 2)
    n_series = _positive_int("n_series", n_series)
    trend_length = _positive_int("trend_length", trend_length)
    if trend_length > n_waves - 1:
        raise ParameterError(f"trend_length={trend_length} needs at least {trend_length + 1} waves")
    shares = _shares3(shares)
    c = simulate_counts(n_per_wave, shares, size=n_series * n_waves, seed=seed).reshape(n_series, n_waves, 3)
    series_nps = _nps_of_counts(c[..., 0], c[..., 1], c[..., 2])
    change = np.diff(series_nps, axis=1)
    first = c[:, :-1, :].reshape(-1, 3)
    second = c[:, 1:, :].reshape(-1, 3)
    test = difference_arrays(first, second, method="adjusted-wald", confidence=confidence)
    waves = pd.DataFrame({
        "series": np.repeat(np.arange(n_series), n_waves),
        "wave": np.tile(np.arange(1, n_waves + 1), n_series),
        "nps": series_nps.ravel(),
    })
    v = float(nps_variance(*shares))
    return SampleSwings(
        waves=waves, true_nps=100.0 * (shares[2] - shares[0]),
        expected_sd=100.0 * np.sqrt(v / n_per_wave), sd=float(series_nps.std(ddof=1)),
        mean_abs_change=float(np.abs(change).mean()),
        share_big_changes=float((np.abs(change) >= big_change).mean()),
        share_with_trend=float(_has_run(np.sign(change), trend_length).mean()),
        share_significant=float((test["p_value"] < 1.0 - confidence).mean()),
        big_change=float(big_change), trend_length=trend_length, n_per_wave=n_per_wave,
    )


__all__ = [
    "ChannelBias", "coverage_conclusions", "COVERAGE_NS", "COVERAGE_SCENARIOS", "coverage_study",
    "coverage_verdict", "incentive_inflation", "IncentiveInflation", "latent_score_nps",
    "mean_rises_nps_falls", "MEAN_TRAP_AFTER", "MEAN_TRAP_BEFORE", "measured_vs_truth",
    "nonresponse_rules", "NONRESPONSE_SHAPES", "population_counts", "RESAMPLING_METHODS",
    "SampleSwings", "score_statistics", "scores_from_distribution", "simulate_email_only_bias",
    "simulated_margin", "small_sample_swings",
]
