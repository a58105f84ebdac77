"""Comparing two NPS: independent samples, a panel (paired) and partially overlapping samples.

Every design reduces to one variance formula for the difference of two NPS. With each respondent
scored s (first wave) and t (second wave) in {-1, 0, 1}, n_1 and n_2 respondents in all and m of
them answering both:

    Var(NPS_2 - NPS_1) = v_1 / n_1 + v_2 / n_2 - 2 m cov(s, t) / (n_1 n_2)

where v = p + d - (p - d)^2 is the per-respondent variance of a wave and cov(s, t) the covariance
over the m matched respondents, read from their 3 x 3 transition table of categories (rows the
first wave's category, columns the second's, both ordered detractor, passive, promoter).

- independent samples: m = 0, so se = sqrt(v_1/n_1 + v_2/n_2);
- panel (the same people in both waves): m = n_1 = n_2 = n, so Var = (v_1 + v_2 - 2 cov) / n;
- partial overlap: 0 < m, with some respondents in only one wave.

Methods
-------
``"wald"``
    The observed shares as they are.
``"adjusted-wald"`` (default)
    Each wave's counts get 0.75 detractors, 1.5 passives and 0.75 promoters first (n + 3), as the
    R package ``NPS`` does for two samples (Rocks 2016); the interval and the test are centred on
    the adjusted difference. For matched respondents nps-kit adds 3 pseudo-pairs spread as the
    outer product of (1/4, 1/2, 1/4) with itself, so both margins of the transition table get
    exactly the one-sample adjustment and the pseudo-pairs carry no covariance (an nps-kit
    convention; it reduces to the R package's adjustment when m = 0).

Results are in points: delta, se and the interval are 100 times their -1..1 values; the interval
is clamped to [-200, 200]. The test is the two-sided z test of no change.

References
----------
Rocks, B. (2016). Interval estimation for the "Net Promoter Score". The American Statistician
70(4), 365-372.
Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scandinavian Journal of
Statistics 6, 65-70.
Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate: a practical and
powerful approach to multiple testing. JRSS B 57, 289-300.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from nps_kit.errors import DataError, NPSKitError, ParameterError, check_confidence, check_option
from nps_kit.core.intervals import finite_population_factor, ADJUSTMENT, z_value
from nps_kit.core.scores import as_counts
from nps_kit.core.formatting import p_text

COMPARE_METHODS: tuple[str, ...] = ("adjusted-wald", "wald")
"""Methods of the two-sample test."""

ADJUST_METHODS: tuple[str, ...] = ("holm", "fdr_bh")
"""P-value adjustments of wave comparisons (statsmodels ``multipletests`` names)."""

P_ADJUSTMENTS: tuple[str, ...] = ("holm", "fdr_bh", "bonferroni", "none")
"""Every adjustment :func:`adjust_pvalues` computes (``none``: the raw p-values)."""

DESIGNS: tuple[str, ...] = ("independent", "paired", "overlap")
"""Designs of a comparison: no respondent in both waves, all of them, or some."""

_SCORE = np.array([-1.0, 0.0, 1.0])  # detractor, passive, promoter
_PAIR_PSEUDO = 3.0 * np.outer([0.25, 0.5, 0.25], [0.25, 0.5, 0.25])


def design_of(n1, n2, m) -> np.ndarray:
    """Design label per comparison from the wave sizes and the number of matched respondents."""
    n1, n2, m = (np.asarray(x) for x in (n1, n2, m))
    return np.where(m == 0, "independent", np.where((m == n1) & (m == n2), "paired", "overlap"))


def difference_arrays(
    counts_1,
    counts_2,
    tables=None,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
    population=None,
) -> dict[str, np.ndarray]:
    """Differences NPS_2 - NPS_1 for many comparisons at once, in points.

    Parameters
    ----------
    counts_1, counts_2 : array-like, shape (K, 3)
        Counts (detractors, passives, promoters) of all respondents of each wave.
    tables : array-like, shape (K, 3, 3), optional
        Transition tables of the respondents in both waves (rows first wave, columns second
        wave); omitted or all zero for independent samples.
    method : {"adjusted-wald", "wald"}
    confidence : float
    population : float, array-like or None
        People each wave could have reached (per comparison): each wave's variance term gets the
        finite population correction (N - n) / (N - 1) of :mod:`nps_kit.core.intervals`; the
        covariance of a panel is left as it is (conservative).

    Returns
    -------
    dict of numpy arrays
        ``nps_1``, ``nps_2`` and ``delta`` (observed, points), ``estimate`` (centre of the
        interval: the adjusted difference for adjusted-wald), ``se``, ``low``, ``high``, ``z``,
        ``p_value``, ``n_1``, ``n_2``, ``n_matched``, ``cov`` (matched covariance, -1..1 scale)
        and ``design``. NaN where a wave is empty. Changes and limits lie in [-200, 200]; where
        the adjusted interval would exclude the observed ``delta`` (a handful of answers) it is
        widened to reach it, so every printed interval holds the printed change.
    """
    check_option("method", method, COMPARE_METHODS)
    z_crit = z_value(confidence)
    c1 = np.atleast_2d(np.asarray(counts_1, dtype=float))
    c2 = np.atleast_2d(np.asarray(counts_2, dtype=float))
    if c1.shape != c2.shape or c1.shape[-1] != 3:
        raise ParameterError("counts_1 and counts_2 must both have shape (K, 3)")
    k = c1.shape[0]
    t = np.zeros((k, 3, 3)) if tables is None else np.asarray(tables, dtype=float).reshape(k, 3, 3)
    n1, n2, m = c1.sum(axis=1), c2.sum(axis=1), t.sum(axis=(1, 2))
    if np.any(t.sum(axis=2) > c1 + 1e-9) or np.any(t.sum(axis=1) > c2 + 1e-9):
        raise DataError(
            "a transition table has more respondents in a category than the wave itself; its rows "
            "must be a subset of the first wave's counts and its columns of the second wave's"
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        nps_1 = (c1[:, 2] - c1[:, 0]) / n1
        nps_2 = (c2[:, 2] - c2[:, 0]) / n2
    if method == "adjusted-wald":
        c1 = c1 + np.asarray(ADJUSTMENT)
        c2 = c2 + np.asarray(ADJUSTMENT)
        t = t + np.where(m > 0, 1.0, 0.0)[:, None, None] * _PAIR_PSEUDO
    nn1, nn2, mm = c1.sum(axis=1), c2.sum(axis=1), t.sum(axis=(1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        est_1 = (c1[:, 2] - c1[:, 0]) / nn1
        est_2 = (c2[:, 2] - c2[:, 0]) / nn2
        v1 = (c1[:, 2] + c1[:, 0]) / nn1 - est_1**2
        v2 = (c2[:, 2] + c2[:, 0]) / nn2 - est_2**2
        mean_s = (t.sum(axis=2) @ _SCORE) / mm
        mean_t = (t.sum(axis=1) @ _SCORE) / mm
        cov = np.einsum("kij,i,j->k", t, _SCORE, _SCORE) / mm - mean_s * mean_t
        cov = np.where(mm > 0, cov, 0.0)
        f1 = finite_population_factor(n1, population) ** 2
        f2 = finite_population_factor(n2, population) ** 2
        var = f1 * v1 / nn1 + f2 * v2 / nn2 - 2.0 * mm * cov / (nn1 * nn2)
        se = np.sqrt(np.maximum(var, 0.0))
        estimate = est_2 - est_1
        zstat = estimate / se
    p_value = np.where(se > 0, two_sided_p(zstat),
                       np.where(estimate == 0, 1.0, 0.0))
    empty = (n1 == 0) | (n2 == 0)
    observed = nps_2 - nps_1
    # an interval never excludes the change printed beside it: at a handful of answers the
    # adjusted interval can miss the observed change, and is then widened to reach it
    with np.errstate(invalid="ignore"):
        low = np.fmin(np.clip(estimate - z_crit * se, -2.0, 2.0), observed)
        high = np.fmax(np.clip(estimate + z_crit * se, -2.0, 2.0), observed)
    out = {
        "nps_1": 100.0 * nps_1, "nps_2": 100.0 * nps_2, "delta": 100.0 * observed,
        "estimate": 100.0 * estimate, "se": 100.0 * se,
        "low": 100.0 * low,
        "high": 100.0 * high,
        "z": zstat, "p_value": p_value, "cov": np.where(m > 0, cov, np.nan),
    }
    out = {key: np.where(empty, np.nan, v) for key, v in out.items()}
    out.update(n_1=n1.astype(np.int64), n_2=n2.astype(np.int64), n_matched=m.astype(np.int64),
               design=design_of(n1, n2, m))
    return out


@dataclass(frozen=True)
class NPSComparison:
    """The change NPS_2 - NPS_1 with its standard error, interval and test, in points.

    Attributes
    ----------
    delta : float
        Observed change NPS_2 - NPS_1.
    estimate : float
        Centre of the interval and of the test: the adjusted change for adjusted-wald, else delta.
    se, low, high : float
        Standard error and interval of the change.
    z, p_value : float
        Two-sided z test of no change.
    design : str
        "independent", "paired" or "overlap".
    nps_1, nps_2 : float
        Observed NPS of the two samples.
    n_1, n_2, n_matched : int
        Respondents in each sample and in both.
    method : str
    confidence : float
    """

    delta: float
    estimate: float
    se: float
    low: float
    high: float
    z: float
    p_value: float
    design: str
    nps_1: float
    nps_2: float
    n_1: int
    n_2: int
    n_matched: int
    method: str
    confidence: float

    @property
    def summary(self) -> pd.DataFrame:
        """One-row table of the result."""
        return pd.DataFrame([{
            "design": self.design, "n_1": self.n_1, "n_2": self.n_2, "n_matched": self.n_matched,
            "nps_1": self.nps_1, "nps_2": self.nps_2, "delta": self.delta, "se": self.se,
            "ci_low": self.low, "ci_high": self.high, "z": self.z, "p_value": self.p_value,
            "method": self.method, "confidence": self.confidence,
        }])

    def __str__(self) -> str:
        return (
            f"change {self.delta:+.1f} points ({self.nps_1:.1f} -> {self.nps_2:.1f}), "
            f"{self.confidence:.0%} CI [{self.low:.1f}, {self.high:.1f}], {p_text(self.p_value)} "
            f"({self.design}, {self.method})"
        )

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def _result(arrays: dict, method: str, confidence: float) -> NPSComparison:
    return NPSComparison(
        delta=float(arrays["delta"][0]), estimate=float(arrays["estimate"][0]),
        se=float(arrays["se"][0]), low=float(arrays["low"][0]), high=float(arrays["high"][0]),
        z=float(arrays["z"][0]), p_value=float(arrays["p_value"][0]),
        design=str(arrays["design"][0]), nps_1=float(arrays["nps_1"][0]),
        nps_2=float(arrays["nps_2"][0]), n_1=int(arrays["n_1"][0]), n_2=int(arrays["n_2"][0]),
        n_matched=int(arrays["n_matched"][0]), method=method, confidence=float(confidence),
    )


def as_transition_table(table, *, counts: bool = True, error: type[NPSKitError] = DataError) -> np.ndarray:
    """Check a 3 x 3 table of (first-wave category, second-wave category).

    Rows are the first wave's category and columns the second's, both ordered detractor, passive,
    promoter; a nested list, array or DataFrame. ``counts=True`` asks for whole numbers (observed
    panel counts), ``counts=False`` allows shares (a planning assumption). ``error`` is the
    exception raised: :class:`DataError` for data, :class:`ParameterError` for a parameter.
    """
    what = "counts" if counts else "numbers"
    try:
        t = np.asarray(table, dtype=float)
    except (TypeError, ValueError):
        raise error(f"a transition table must be a 3 x 3 table of {what}") from None
    if t.shape != (3, 3):
        raise error(
            f"the transition table has shape {t.shape}; give 3 x 3 {what} (rows the first wave's "
            "category, columns the second's, ordered detractor, passive, promoter)"
        )
    if not np.all(np.isfinite(t)) or np.any(t < 0) or (counts and np.any(t != np.round(t))):
        raise error(f"transition table entries must be {'whole numbers' if counts else 'numbers'} >= 0")
    return t


def compare_nps(
    counts_1,
    counts_2,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
) -> NPSComparison:
    """Compare the NPS of two independent samples (different respondents).

    delta = NPS_2 - NPS_1, se = sqrt(v_1/n_1 + v_2/n_2), z = delta / se, with
    v = p + d - (p - d)^2 per sample; adjusted-wald adjusts each sample first (Rocks 2016).

    Parameters
    ----------
    counts_1, counts_2 : tuple (detractors, passives, promoters), Counts, or scores
        The two samples; a tuple of three numbers is read as counts, a list or array as scores.
    method : {"adjusted-wald", "wald"}
    confidence : float

    Returns
    -------
    NPSComparison

    Examples
    --------
    >>> r = compare_nps((83, 47, 120), (91, 49, 110), method="wald")
    >>> round(r.delta, 1), round(r.se, 4)
    (-7.2, 7.9707)
    """
    check_option("method", method, COMPARE_METHODS)
    confidence = check_confidence(confidence)
    c1, c2 = as_counts(counts_1), as_counts(counts_2)
    arrays = difference_arrays([c1], [c2], None, method, confidence)
    return _result(arrays, method, confidence)


def compare_paired(
    table,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
) -> NPSComparison:
    """Compare two NPS measured on the same respondents, from their 3 x 3 transition table.

    Var(NPS_2 - NPS_1) = (v_1 + v_2 - 2 cov(s, t)) / n with s, t the -1/0/+1 scores of a person
    in the two waves; v_1, v_2 come from the table's row and column margins and cov(s, t) from its
    cells. A positive covariance (people keep their opinion) makes the paired se smaller than the
    independent one.

    Parameters
    ----------
    table : 3 x 3 counts
        Rows: category in the first wave; columns: category in the second wave (detractor,
        passive, promoter).
    method : {"adjusted-wald", "wald"}
    confidence : float

    Returns
    -------
    NPSComparison
        With design "paired".

    Examples
    --------
    >>> r = compare_paired([[10, 2, 0], [3, 20, 9], [0, 4, 30]], method="wald")
    >>> r.design, round(r.delta, 2), round(r.se, 2)  # independent se would be 11.69
    ('paired', 5.13, 5.41)
    """
    check_option("method", method, COMPARE_METHODS)
    confidence = check_confidence(confidence)
    t = as_transition_table(table)
    if t.sum() == 0:
        raise DataError("the transition table is empty: no respondent answered both waves")
    arrays = difference_arrays([t.sum(axis=1)], [t.sum(axis=0)], [t], method, confidence)
    return _result(arrays, method, confidence)


def compare_overlap(
    counts_1,
    counts_2,
    table,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
) -> NPSComparison:
    """Compare two NPS whose samples share some respondents (partial overlap).

    Var(NPS_2 - NPS_1) = v_1/n_1 + v_2/n_2 - 2 m cov(s, t) / (n_1 n_2), with cov(s, t) over the
    m respondents in both samples (their transition table). m = 0 gives the independent se;
    m = n_1 = n_2 the paired one.

    Parameters
    ----------
    counts_1, counts_2 : tuple (detractors, passives, promoters) or Counts
        All respondents of each sample, matched ones included.
    table : 3 x 3 counts
        Transition table of the m matched respondents.
    method : {"adjusted-wald", "wald"}
    confidence : float

    Returns
    -------
    NPSComparison
        Its ``design`` says which case the numbers are ("independent", "paired", "overlap").
    """
    check_option("method", method, COMPARE_METHODS)
    confidence = check_confidence(confidence)
    c1, c2 = as_counts(tuple(counts_1)), as_counts(tuple(counts_2))
    t = as_transition_table(table)
    arrays = difference_arrays([c1], [c2], [t], method, confidence)
    return _result(arrays, method, confidence)


def two_sided_p(z) -> np.ndarray:
    """Two-sided p-value 2 (1 - Phi(|z|)) = erfc(|z| / sqrt 2) of standard normal statistics.

    The standard library's ``math.erfc`` elementwise, so comparing needs no SciPy (NaN stays NaN).

    Examples
    --------
    >>> round(float(two_sided_p(1.959963984540054)), 6)
    0.05
    """
    z = np.abs(np.asarray(z, dtype=float))
    with np.errstate(invalid="ignore"):  # NaN statistics (empty groups) give NaN p-values
        return np.asarray(_ERFC(z / math.sqrt(2.0)), dtype=float)


_ERFC = np.frompyfunc(lambda v: math.erfc(v) if v == v else float("nan"), 1, 1)


def adjust_pvalues(p_values, method: str = "holm") -> np.ndarray:
    """Adjust a family of p-values for multiple testing; NaN entries stay NaN and are not counted.

    Parameters
    ----------
    p_values : array-like
    method : {"holm", "fdr_bh", "bonferroni", "none"}
        Holm's (1979) step-down method (family-wise error), Bonferroni's p m, no adjustment,
        or Benjamini and Hochberg's (1995)
        false discovery rate (the adjusted values of ``statsmodels.stats.multitest.multipletests``,
        computed here in numpy: Holm, p_(i) (m - i + 1) made monotone from the smallest up;
        Benjamini-Hochberg, p_(i) m / i made monotone from the largest down; capped at 1).

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, float("nan")]).tolist()
    [0.02, 0.04, nan]
    """
    check_option("adjust", method, P_ADJUSTMENTS)
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if method == "none":
        out[ok] = p[ok]
        return out
    if ok.any():
        q = p[ok]
        m = len(q)
        order = np.argsort(q, kind="stable")
        ranked = q[order]
        if method == "holm":
            adj = np.maximum.accumulate(ranked * (m - np.arange(m)))
        elif method == "bonferroni":
            adj = ranked * m
        else:
            adj = np.minimum.accumulate((ranked * m / np.arange(1, m + 1))[::-1])[::-1]
        back = np.empty(m)
        back[order] = np.minimum(adj, 1.0)
        out[ok] = back
    return out


def min_detectable_change(se, confidence: float = 0.95, power: float = 0.8):
    """Smallest true change a comparison with this se detects with the given power, in points.

    MDC = (z_{1 - alpha/2} + z_{power}) se with alpha = 1 - confidence: the two-sided z test at
    level alpha rejects with probability ``power`` when the true change is MDC. With two
    independent waves of n each and variances v_1, v_2 this is
    nps_kit.design.power.detectable_change(n, ...); here the observed se covers unequal sizes, panels
    and overlap. A non-significant change smaller than the MDC says little: the waves were too
    small to see it.

    Parameters
    ----------
    se : float or array-like
        Standard error of the change in points.
    confidence : float
        1 - alpha of the two-sided test.
    power : float
        Wanted power, e.g. 0.8.

    Examples
    --------
    >>> round(min_detectable_change(10.0), 2)
    28.02
    """
    confidence = check_confidence(confidence)
    if not 0.0 < float(power) < 1.0:
        raise ParameterError(f"power={power!r} must lie strictly between 0 and 1 (e.g. 0.8)")
    out = (z_value(confidence) + NormalDist().inv_cdf(float(power))) * np.asarray(se, dtype=float)
    return float(out) if np.ndim(out) == 0 else out


__all__ = [
    "ADJUST_METHODS", "COMPARE_METHODS", "DESIGNS", "P_ADJUSTMENTS", "NPSComparison", "adjust_pvalues",
    "compare_nps", "compare_overlap", "compare_paired", "design_of", "difference_arrays",
    "min_detectable_change", "two_sided_p",
]
