"""Standard errors and confidence intervals for one NPS.

Every method works on counts (detractors, passives, promoters), vectorised over any number of
groups: :func:`interval_arrays` takes arrays of counts, :func:`nps_interval` one set of counts.
Results are in points (-100..100) and clamped to [-100, 100].

Every interval holds the NPS it is printed beside. The adjusted-Wald interval is centred on the
adjusted estimate and the Bayesian one on the posterior, so for a handful of answers either can
exclude the observed NPS (one detractor: -100, adjusted Wald -98.5 to +48.5). For such a group
Tango's score interval, which always holds the observed NPS, is given instead, and the result
says so (``fallback`` in :func:`interval_arrays`, ``method`` in :class:`NPSInterval` and in
:func:`nps_kit.core.summary.summarize`); METHODS.md, "Small samples".

Methods
-------
``"adjusted-wald"`` (default)
    Add 0.75 detractors, 1.5 passives and 0.75 promoters (n + 3 in all), then a Wald interval
    centred on the adjusted estimate (Rocks 2016; used by MeasuringU).
``"wald"``
    (p - d) +- z sqrt(v / n) with v = p + d - (p - d)^2. Degenerate (zero width) when every
    respondent is in one category.
``"score"``
    Tango's (1998) score interval for the difference of two paired proportions, with
    b = detractors and c = promoters out of n: the R package ``NPS``'s "iterative" test.
``"bootstrap"``
    Percentile interval from multinomial resamples of the counts: cost independent of n.
``"bayes"``
    Equal-tailed interval of theta_p - theta_d under the Dirichlet(prior + counts) posterior
    (Jeffreys prior 0.5 by default); the se is the posterior standard deviation (closed form).

Finite population
-----------------
With ``population=N`` (people who could have answered, sampled without replacement) the Wald
and adjusted-Wald standard errors are multiplied by sqrt((N - n) / (N - 1)), the correction
whose inverse is Cochran's n = n0 / (1 + (n0 - 1) / N) in planning
(:func:`nps_kit.design.sample_size.nps_sample_size`), so a planned margin and the margin
reported on the planned number of answers agree. An interval covers sampling error only.

References
----------
Rocks, B. (2016). Interval estimation for the "Net Promoter Score". The American Statistician
70(4), 365-372.
Tango, T. (1998). Equivalence test and confidence interval for the difference in proportions for
the paired-sample design. Statistics in Medicine 17, 891-908.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from nps_kit.errors import ParameterError, check_confidence, check_option
from nps_kit.core.scores import Counts, as_counts

METHODS: tuple[str, ...] = ("adjusted-wald", "wald", "score", "bootstrap", "bayes")
"""Interval methods, in order of recommendation."""

ADJUSTMENT: tuple[float, float, float] = (0.75, 1.5, 0.75)
"""Pseudo-counts added by the adjusted Wald method (detractors, passives, promoters)."""


def z_value(confidence: float) -> float:
    """Two-sided critical value z_{1 - (1 - confidence) / 2} of the standard normal.

    Computed with the standard library's inverse normal CDF (Wichura 1988, algorithm AS 241,
    within 1e-15 of ``scipy.stats.norm.ppf``), so that reading and counting need not import SciPy.
    """
    return float(NormalDist().inv_cdf(0.5 + check_confidence(confidence) / 2.0))


def nps_variance(d, a, p):
    """Per-respondent variance of the -1/0/+1 score on the -1..1 scale.

    v = p + d - (p - d)^2 with shares p (promoters) and d (detractors); counts work too, since
    only the shares matter. At most 1 (p = d = 0.5); 0 when everyone is in one category.

    Parameters
    ----------
    d, a, p : float or array-like
        Detractor, passive and promoter counts or shares.

    Examples
    --------
    >>> round(float(nps_variance(1, 2, 3)), 6)  # R package NPS unit test: 5/9
    0.555556
    """
    d = np.asarray(d, dtype=float)
    a = np.asarray(a, dtype=float)
    p = np.asarray(p, dtype=float)
    n = d + a + p
    with np.errstate(invalid="ignore", divide="ignore"):
        ps, ds = p / n, d / n
    return ps + ds - (ps - ds) ** 2


def _wald(d, a, p, z):
    n = d + a + p
    with np.errstate(invalid="ignore", divide="ignore"):
        est = (p - d) / n
        se = np.sqrt(nps_variance(d, a, p) / n)
    return est, se, est - z * se, est + z * se


def _adjusted_wald(d, a, p, z):
    ad, aa, ap = ADJUSTMENT
    return _wald(d + ad, a + aa, p + ap, z)


def _score_statistic(delta, b, c, n):
    """Tango's score statistic for H0: NPS = delta (b detractors, c promoters, n respondents)."""
    big_a = 2.0 * n
    big_b = -b - c + (2.0 * n - c + b) * delta
    big_c = -b * delta * (1.0 - delta)
    q = (np.sqrt(np.maximum(big_b**2 - 4.0 * big_a * big_c, 0.0)) - big_b) / (2.0 * big_a)
    var = n * (2.0 * q + delta * (1.0 - delta))
    return (c - b - n * delta) / np.sqrt(np.maximum(var, 1e-300))


def _score(d, a, p, z, iterations: int = 60):
    """Both score limits by bisection, vectorised over groups.

    The statistic decreases in delta; the lower limit solves T(delta) = z on [-1, est], the upper
    T(delta) = -z on [est, 1]. Midpoints never reach +-1, where T is undefined; 60 halvings take
    the bracket below 1e-17.
    """
    n = d + a + p
    with np.errstate(invalid="ignore", divide="ignore"):
        est = (p - d) / n
    limits = []
    for target, lo, hi in ((z, -np.ones_like(est), est.copy()), (-z, est.copy(), np.ones_like(est))):
        lo = np.where(np.isnan(est), np.nan, lo)
        hi = np.where(np.isnan(est), np.nan, hi)
        for _ in range(iterations):
            mid = 0.5 * (lo + hi)
            with np.errstate(invalid="ignore", divide="ignore"):
                above = _score_statistic(mid, d, p, n) > target
            lo = np.where(above, mid, lo)
            hi = np.where(above, hi, mid)
        limits.append(0.5 * (lo + hi))
    low, high = limits
    low = np.where(d == n, -1.0, low)
    high = np.where(p == n, 1.0, high)
    # Tango's interval has no closed-form se; report the Wald se at the observed shares.
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(nps_variance(d, a, p) / n)
    return est, se, low, high


def _bootstrap(d, a, p, confidence, seed, n_resamples):
    """Percentile bootstrap of the counts: promoters ~ Bin(n, p), detractors | promoters ~
    Bin(n - promoters, d / (d + a)), which is a multinomial draw, vectorised over groups."""
    n = (d + a + p).astype(np.int64)
    rng = np.random.default_rng(seed)
    shape = (len(n), n_resamples)
    with np.errstate(invalid="ignore", divide="ignore"):
        share_p = np.where(n > 0, p / np.maximum(n, 1), 0.0)
        share_d_rest = np.where(d + a > 0, d / np.maximum(d + a, 1), 0.0)
    prom = rng.binomial(n[:, None], share_p[:, None], size=shape)
    detr = rng.binomial(n[:, None] - prom, share_d_rest[:, None])
    with np.errstate(invalid="ignore", divide="ignore"):
        reps = (prom - detr) / n[:, None]
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(reps, [tail, 1.0 - tail], axis=1)
    se = reps.std(axis=1, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        est = (p - d) / n
    bad = n == 0
    return est, np.where(bad, np.nan, se), np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def bayes_moments(d, a, p, prior: float = 0.5):
    """Posterior mean and variance of theta_p - theta_d under Dirichlet(prior + counts).

    With alpha_i = prior + count_i and alpha_0 their sum:
    E = (alpha_p - alpha_d) / alpha_0 and
    Var = [alpha_p(alpha_0 - alpha_p) + alpha_d(alpha_0 - alpha_d) + 2 alpha_p alpha_d]
    / (alpha_0^2 (alpha_0 + 1)), from the Dirichlet's variances and covariance.
    On the -1..1 scale.
    """
    ad = np.asarray(d, dtype=float) + prior
    aa = np.asarray(a, dtype=float) + prior
    ap = np.asarray(p, dtype=float) + prior
    a0 = ad + aa + ap
    mean = (ap - ad) / a0
    var = (ap * (a0 - ap) + ad * (a0 - ad) + 2.0 * ap * ad) / (a0**2 * (a0 + 1.0))
    return mean, var


def _bayes(d, a, p, confidence, seed, n_resamples, prior):
    rng = np.random.default_rng(seed)
    alpha = np.stack([d, a, p], axis=1).astype(float) + prior
    draws = rng.standard_gamma(alpha[:, None, :], size=(len(d), n_resamples, 3))
    theta = draws / draws.sum(axis=2, keepdims=True)
    diff = theta[:, :, 2] - theta[:, :, 0]
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(diff, [tail, 1.0 - tail], axis=1)
    _, var = bayes_moments(d, a, p, prior)
    with np.errstate(invalid="ignore", divide="ignore"):
        est = (p - d) / (d + a + p)
    return est, np.sqrt(var), low, high


FINITE_METHODS: tuple[str, ...] = ("adjusted-wald", "wald")
"""Methods that take a finite population (the others assume sampling with replacement)."""


def finite_population_factor(n, population) -> np.ndarray:
    """sqrt((N - n) / (N - 1)): how much a population of N shrinks the standard error at n.

    1 for ``population=None`` (infinite), 0 when everyone answered.

    Raises
    ------
    ParameterError
        A population below 1, or smaller than the number of answers.

    Examples
    --------
    >>> round(float(finite_population_factor(1800, 3000)), 4)
    0.6326
    """
    n = np.asarray(n, dtype=float)
    if population is None:
        return np.ones_like(n)
    big = np.asarray(population, dtype=float)
    if np.any(~np.isfinite(big) & ~np.isposinf(big)) or np.any(big < 1):
        raise ParameterError(f"population={population!r}: give the number of people who could "
                             "have answered (at least 1), or leave it out for a very large one")
    if np.any(n > big):
        raise ParameterError(
            f"population={population!r} is smaller than the {int(np.max(n)):,} answers counted: "
            "the population is everyone who could have answered, so it cannot be smaller")
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.where(np.isposinf(big), 1.0, np.sqrt(np.where(big > 1, (big - n) / (big - 1), 0.0)))
    return f


def interval_arrays(
    d,
    a,
    p,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
    seed: int | None = 0,
    n_resamples: int = 10_000,
    prior: float = 0.5,
    population=None,
) -> dict[str, np.ndarray]:
    """NPS, se and interval for many groups at once, in points.

    Parameters
    ----------
    d, a, p : array-like of int
        Detractor, passive and promoter counts per group.
    method : {"adjusted-wald", "wald", "score", "bootstrap", "bayes"}
    confidence : float
        Confidence level in (0, 1).
    seed : int or None
        Seed of the resampling methods (bootstrap, bayes); the same seed gives the same numbers.
    n_resamples : int
        Bootstrap replicates or posterior draws.
    prior : float
        Dirichlet concentration per category for ``"bayes"`` (0.5 = Jeffreys, 1 = uniform).
    population : float, array-like or None
        People who could have answered, per group (see "Finite population" in the module
        docstring); Wald and adjusted Wald only. None: a very large population.

    Returns
    -------
    dict of numpy arrays
        ``nps`` (the observed NPS, p - d), ``se``, ``low``, ``high``; all in points, NaN for
        empty groups, limits clamped to [-100, 100]; ``fallback`` (bool): True where the
        method's interval excluded the observed NPS and Tango's score interval is given instead.
    """
    check_option("method", method, METHODS)
    confidence = check_confidence(confidence)
    d = np.atleast_1d(np.asarray(d, dtype=float))
    a = np.atleast_1d(np.asarray(a, dtype=float))
    p = np.atleast_1d(np.asarray(p, dtype=float))
    if method in ("bootstrap", "bayes"):
        if int(n_resamples) != n_resamples or n_resamples < 100:
            raise ParameterError(f"n_resamples={n_resamples!r} must be a whole number of at least 100")
        n_resamples = int(n_resamples)
    if method == "bayes" and not prior > 0:
        raise ParameterError(f"prior={prior!r} must be > 0 (0.5 is the Jeffreys prior)")
    z = z_value(confidence)
    if population is not None and method not in FINITE_METHODS:
        raise ParameterError(f"a finite population works with the methods "
                             f"{', '.join(FINITE_METHODS)}; method {method!r} assumes a very large "
                             "population (leave population out, or choose adjusted-wald)")
    factor = finite_population_factor(d + a + p, population)
    if method == "wald":
        est, se, low, high = _wald(d, a, p, z)
    elif method == "adjusted-wald":
        _, se, low, high = _adjusted_wald(d, a, p, z)
        with np.errstate(invalid="ignore", divide="ignore"):
            est = (p - d) / (d + a + p)
    elif method == "score":
        est, se, low, high = _score(d, a, p, z)
    elif method == "bootstrap":
        est, se, low, high = _bootstrap(d, a, p, confidence, seed, n_resamples)
    else:
        est, se, low, high = _bayes(d, a, p, confidence, seed, n_resamples, prior)
    if method in FINITE_METHODS and population is not None:
        centre = (low + high) / 2.0
        se = se * factor
        low, high = centre - z * se, centre + z * se
    empty = (d + a + p) == 0
    low, high = np.clip(low, -1.0, 1.0), np.clip(high, -1.0, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = (p - d) / (d + a + p)
    fallback = ~empty & ((observed < low - 1e-12) | (observed > high + 1e-12))
    if fallback.any():
        _, _, s_low, s_high = _score(d[fallback], a[fallback], p[fallback], z)
        low, high = low.copy(), high.copy()
        low[fallback] = np.minimum(np.clip(s_low, -1.0, 1.0), observed[fallback])
        high[fallback] = np.maximum(np.clip(s_high, -1.0, 1.0), observed[fallback])
    out = {
        "nps": 100.0 * est,
        "se": 100.0 * se,
        "low": 100.0 * low,
        "high": 100.0 * high,
    }
    out = {k: np.where(empty, np.nan, v) for k, v in out.items()}
    out["fallback"] = fallback
    return out


FALLBACK_METHOD = "score"
"""Interval given where a method's own interval excludes the observed NPS."""


def row_methods(method: str, fallback: np.ndarray) -> np.ndarray:
    """The interval method of each row: ``method``, or ``"score"`` where it fell back."""
    return np.where(np.asarray(fallback, dtype=bool), FALLBACK_METHOD, method).astype(object)


@dataclass(frozen=True)
class NPSInterval:
    """An NPS with its standard error and confidence interval, in points.

    Attributes
    ----------
    nps : float
        Observed NPS, 100 (promoters - detractors) / n.
    low, high : float
        Interval limits, clamped to [-100, 100].
    se : float
        Standard error in points (method-specific: adjusted for adjusted-wald, the replicate sd for
        bootstrap, the posterior sd for bayes, the Wald se for wald and score).
    n : int
    method : str
        The interval's method: the one asked for, or ``"score"`` where that one excluded the
        observed NPS (see the module docstring).
    confidence : float
    counts : Counts
    """

    nps: float
    low: float
    high: float
    se: float
    n: int
    method: str
    confidence: float
    counts: Counts

    @property
    def summary(self) -> pd.DataFrame:
        """One-row table of the result."""
        return pd.DataFrame(
            [{
                "n": self.n, "detractors": self.counts.detractors, "passives": self.counts.passives,
                "promoters": self.counts.promoters, "nps": self.nps, "se": self.se,
                "ci_low": self.low, "ci_high": self.high, "method": self.method,
                "confidence": self.confidence,
            }]
        )

    def __str__(self) -> str:
        return (
            f"NPS {self.nps:.1f} points, {self.confidence:.0%} CI [{self.low:.1f}, {self.high:.1f}] "
            f"({self.method}, n = {self.n})"
        )

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def nps_interval(
    counts,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
    *,
    seed: int | None = 0,
    n_resamples: int = 10_000,
    prior: float = 0.5,
    population: float | None = None,
) -> NPSInterval:
    """NPS with a confidence interval, in points.

    Parameters
    ----------
    counts : tuple (detractors, passives, promoters), Counts, or array-like of scores
        A tuple of three numbers is read as counts; a list, array or Series as 0-10 scores.
    method : {"adjusted-wald", "wald", "score", "bootstrap", "bayes"}
        See the module docstring for formulas and sources.
    confidence : float
        Level in (0, 1), e.g. 0.95.
    seed, n_resamples, prior
        For ``"bootstrap"`` and ``"bayes"``; see :func:`interval_arrays`.
    population : float, optional
        People who could have answered (finite population correction; Wald and adjusted Wald).

    Returns
    -------
    NPSInterval

    Examples
    --------
    >>> r = nps_interval((362, 176, 462), method="wald")
    >>> round(r.low, 4), round(r.high, 4)
    (4.4081, 15.5919)
    """
    c = as_counts(counts)
    out = interval_arrays(c.detractors, c.passives, c.promoters, method, confidence,
                          seed=seed, n_resamples=n_resamples, prior=prior, population=population)
    return NPSInterval(
        nps=float(out["nps"][0]), low=float(out["low"][0]), high=float(out["high"][0]),
        se=float(out["se"][0]), n=c.n, method=str(row_methods(method, out["fallback"])[0]),
        confidence=float(confidence), counts=c,
    )


__all__ = [
    "ADJUSTMENT", "bayes_moments", "FALLBACK_METHOD", "finite_population_factor", "FINITE_METHODS", "interval_arrays", "METHODS",
    "nps_interval", "nps_variance", "NPSInterval", "row_methods", "z_value",
]
