"""NPS against customer value: respondent-level statistics by category.

The questions: do promoters bring more revenue (LTV) and churn less than detractors, and by how
much? Responses are joined to outcomes by :mod:`nps_kit.outcomes.join` (re-exported here:
:func:`load_value_data`, :func:`join_outcomes`, :class:`JoinResult`); this module summarises the
outcomes by category with intervals, correlates the score with LTV, and computes revenue at risk.
Regressions and the what-if estimate live in :mod:`nps_kit.outcomes.models`; NPS against outcomes
across waves and segments in :mod:`nps_kit.outcomes.aggregate`.

Every association here is observational: promoters may spend more because they are larger or
older customers, and customers who had already left could not answer (survivorship). The
functions say so in their results (:func:`caveats`); the template repeats it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from nps_kit.errors import DataError, check_confidence, check_option
from nps_kit.core.scores import CATEGORIES, CATEGORY_DTYPE
from nps_kit.core.intervals import z_value
from nps_kit.outcomes.join import (  # noqa: F401  (re-exported)
    DROP_COLUMNS,
    WINDOWS,
    JoinResult,
    join_outcomes,
    load_value_data,
)

MEAN_INTERVALS: tuple[str, ...] = ("t", "bootstrap")
"""Interval methods for mean LTV by category."""

CORRELATION_INTERVALS: tuple[str, ...] = ("fisher", "bootstrap")
"""Interval methods for a rank correlation."""

CAVEATS: tuple[str, ...] = (
    "Correlation, not causation: promoters and detractors differ in more than their answer "
    "(size, age, segment, product). Controls remove only the differences you measured.",
    "Survivorship: customers who had already left could not answer, so the survey sees the "
    "survivors; churn among the unhappy is understated if they left before the survey.",
    "Who answered: respondents are not a random sample of customers (e-mail answers lean towards "
    "loyal customers); outcomes of non-respondents are not in these figures.",
    "What-if figures move customers between categories in a fitted model; they describe how "
    "outcomes differ between categories today, not what would happen if a detractor were won over.",
)


# ---------------------------------------------------------------------------------------------
# respondent-level statistics


def check_one_per_customer(data: pd.DataFrame, id: str | None) -> None:
    """Raise a DataError when ``id`` repeats: one customer must not count twice in a model."""
    if id is None or id not in data.columns:
        return
    dup = data[id].duplicated(keep=False).to_numpy() & data[id].notna().to_numpy()
    if dup.any():
        ids = pd.unique(data.loc[dup, id].astype(str))[:5]
        raise DataError(
            f"column {id!r}: {int(dup.sum())} rows share a customer id ({', '.join(ids)} ...); a "
            "customer who answered several waves would count several times. Join with "
            "window='latest' or window='wave'."
        )


def category_column(data: pd.DataFrame, category: str) -> pd.Categorical:
    if category not in data.columns:
        raise DataError(f"column {category!r} not found; the data has columns {list(data.columns)}")
    values = data[category]
    bad = values.notna() & ~values.astype(object).isin(CATEGORIES)
    if bad.any():
        raise DataError(
            f"column {category!r} must hold detractor/passive/promoter; found "
            f"{sorted(pd.unique(values[bad].astype(str)))[:5]}"
        )
    return pd.Categorical(values.astype(object), dtype=CATEGORY_DTYPE)


def _group_values(data: pd.DataFrame, column: str, cats: pd.Categorical) -> list[np.ndarray]:
    if column not in data.columns:
        raise DataError(f"column {column!r} not found; the data has columns {list(data.columns)}")
    v = pd.to_numeric(data[column], errors="coerce").to_numpy(dtype=float)
    codes = np.asarray(cats.codes)
    return [v[(codes == k) & np.isfinite(v)] for k in range(len(CATEGORIES))]


def bootstrap_means(values: np.ndarray, confidence: float, rng: np.random.Generator,
                    n_resamples: int = 10_000) -> tuple[float, float]:
    """Percentile bootstrap interval of a mean (resampling the values with replacement).

    Draws are made in blocks of at most about 4 million values so memory stays bounded.
    """
    n = len(values)
    if n < 2:
        return float("nan"), float("nan")
    block = max(1, 4_000_000 // n)
    means = np.empty(n_resamples)
    for start in range(0, n_resamples, block):
        stop = min(n_resamples, start + block)
        idx = rng.integers(0, n, size=(stop - start, n))
        means[start:stop] = values[idx].mean(axis=1)
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(means, [tail, 1.0 - tail])
    return float(low), float(high)


def mean_by_category(
    data: pd.DataFrame,
    outcome: str = "ltv",
    category: str = "category",
    method: str = "t",
    confidence: float = 0.95,
    *,
    id: str | None = None,
    seed: int | None = 0,
    n_resamples: int = 10_000,
) -> pd.DataFrame:
    """Mean of an outcome (LTV) per category with a confidence interval.

    ``"t"``: mean +- t_{n-1, 1-alpha/2} s / sqrt(n) (Student). ``"bootstrap"``: percentile
    interval of the means of ``n_resamples`` resamples with replacement within the category
    (Efron & Tibshirani 1993, ch. 13), seeded. LTV is usually right-skewed (a few very large
    customers): the t interval then tends to be too narrow on the side of the long tail in small
    groups, and the percentile bootstrap shares that weakness; compare both, and prefer a model on
    the log scale (``value_models.ltv_model(model="log")``) for the shape of the difference.

    Parameters
    ----------
    data : DataFrame
        One row per customer (e.g. :attr:`JoinResult.data`).
    outcome : str
        Numeric outcome column; missing values are left out (``n`` counts the rest).
    category : str
        Column with detractor/passive/promoter.
    method : {"t", "bootstrap"}
    confidence : float
    id : str, optional
        Customer id column; when given, a repeated id raises a DataError.
    seed, n_resamples
        For the bootstrap.

    Returns
    -------
    DataFrame
        One row per category in scale order: ``category``, ``n``, ``mean``, ``sd``, ``ci_low``,
        ``ci_high``, ``method``, ``confidence``.

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.
    """
    check_option("method", method, MEAN_INTERVALS)
    confidence = check_confidence(confidence)
    check_one_per_customer(data, id)
    groups = _group_values(data, outcome, category_column(data, category))
    rng = np.random.default_rng(seed)
    rows = []
    for name, v in zip(CATEGORIES, groups):
        n = len(v)
        mean = float(v.mean()) if n else float("nan")
        sd = float(v.std(ddof=1)) if n > 1 else float("nan")
        if n < 2:
            low = high = float("nan")
        elif method == "t":
            half = stats.t.ppf(0.5 + confidence / 2.0, n - 1) * sd / np.sqrt(n)
            low, high = mean - half, mean + half
        else:
            low, high = bootstrap_means(v, confidence, rng, n_resamples)
        rows.append({"category": name, "n": n, "mean": mean, "sd": sd, "ci_low": low,
                     "ci_high": high, "method": method, "confidence": confidence})
    return pd.DataFrame(rows)


def rate_by_category(
    data: pd.DataFrame,
    outcome: str = "churned",
    category: str = "category",
    confidence: float = 0.95,
    *,
    id: str | None = None,
) -> pd.DataFrame:
    """Share of customers with a 0/1 outcome (churn) per category, with Wilson intervals.

    Wilson (1927) score interval, as ``statsmodels.stats.proportion.proportion_confint(...,
    method="wilson")``: good coverage even for rates near 0 or 1 and small groups.

    Returns
    -------
    DataFrame
        ``category``, ``n``, ``events``, ``rate``, ``ci_low``, ``ci_high``, ``method``
        ("wilson"), ``confidence``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    JASA 22, 209-212.
    """
    from statsmodels.stats.proportion import proportion_confint

    confidence = check_confidence(confidence)
    check_one_per_customer(data, id)
    groups = _group_values(data, outcome, category_column(data, category))
    for v in groups:
        if len(v) and not np.isin(v, (0.0, 1.0)).all():
            raise DataError(f"column {outcome!r} must hold 0/1 (1 = the event, e.g. churned)")
    n = np.array([len(v) for v in groups])
    events = np.array([v.sum() for v in groups])
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = events / n
        low, high = proportion_confint(events, np.maximum(n, 1), alpha=1 - confidence, method="wilson")
    low = np.where(n > 0, low, np.nan)
    high = np.where(n > 0, high, np.nan)
    return pd.DataFrame({
        "category": list(CATEGORIES), "n": n, "events": events.astype(np.int64), "rate": rate,
        "ci_low": low, "ci_high": high, "method": "wilson", "confidence": confidence,
    })


def category_outcomes(
    data: pd.DataFrame,
    ltv: str = "ltv",
    churn: str | None = "churned",
    category: str = "category",
    confidence: float = 0.95,
    ltv_interval: str = "t",
    *,
    id: str | None = None,
    seed: int | None = 0,
    n_resamples: int = 10_000,
) -> pd.DataFrame:
    """LTV and churn by category in one table (what ``nps-kit ltv --json`` prints per category).

    Returns
    -------
    DataFrame
        One row per category: ``category``, ``n`` (customers in the category), ``mean_ltv``,
        ``ltv_ci_low``, ``ltv_ci_high`` (see :func:`mean_by_category`), ``churn_rate``,
        ``churn_ci_low``, ``churn_ci_high`` (Wilson, :func:`rate_by_category`), then
        ``n_ltv`` and ``n_churn`` (non-missing values used), ``ltv_interval``, ``confidence``.
    """
    check_one_per_customer(data, id)
    cats = category_column(data, category)
    n = np.bincount(np.asarray(cats.codes)[np.asarray(cats.codes) >= 0], minlength=3)
    m = mean_by_category(data, ltv, category, ltv_interval, confidence, seed=seed,
                         n_resamples=n_resamples)
    out = pd.DataFrame({
        "category": list(CATEGORIES), "n": n, "mean_ltv": m["mean"], "ltv_ci_low": m["ci_low"],
        "ltv_ci_high": m["ci_high"],
    })
    if churn is not None:
        r = rate_by_category(data, churn, category, confidence)
        out = out.assign(churn_rate=r["rate"], churn_ci_low=r["ci_low"], churn_ci_high=r["ci_high"],
                         n_churn=r["n"])
    return out.assign(n_ltv=m["n"], ltv_interval=ltv_interval, confidence=m["confidence"])


# ---------------------------------------------------------------------------------------------
# correlation


def correlation_interval(r: float, n: int, kind: str = "spearman", confidence: float = 0.95
                         ) -> tuple[float, float]:
    """Fisher-z interval of a Pearson or Spearman correlation.

    z = atanh(r); Pearson: se = 1 / sqrt(n - 3) (Fisher 1921); Spearman: se =
    sqrt((1 + r^2 / 2) / (n - 3)) (Bonett & Wright 2000, after Fieller, Hartley & Pearson 1957).
    Limits tanh(z -+ z_crit se). NaN for n < 4 or |r| = 1.

    Examples
    --------
    >>> [round(v, 4) for v in correlation_interval(0.3, 103, "pearson")]
    [0.113, 0.4664]

    References
    ----------
    Bonett, D. G. & Wright, T. A. (2000). Sample size requirements for estimating Pearson,
    Kendall and Spearman correlations. Psychometrika 65(1), 23-28.
    Fisher, R. A. (1921). On the "probable error" of a coefficient of correlation deduced from a
    small sample. Metron 1, 3-32.
    """
    check_option("kind", kind, ("pearson", "spearman"))
    confidence = check_confidence(confidence)
    if n < 4 or not np.isfinite(r) or abs(r) >= 1.0:
        return float("nan"), float("nan")
    se = np.sqrt((1.0 + r * r / 2.0) / (n - 3)) if kind == "spearman" else 1.0 / np.sqrt(n - 3)
    z = z_value(confidence)
    c = np.arctanh(r)
    return float(np.tanh(c - z * se)), float(np.tanh(c + z * se))


@dataclass(frozen=True)
class Correlation:
    """A correlation coefficient with its interval and p-value.

    Attributes
    ----------
    r, low, high, p_value : float
    n : int
        Pairs used (rows with both values present).
    kind : str
        "spearman" or "pearson".
    method : str
        Interval method: "fisher" (Fisher z; Bonett-Wright se for Spearman) or "bootstrap".
    x, y : str
        Column names.
    confidence : float
    """

    r: float
    low: float
    high: float
    p_value: float
    n: int
    kind: str
    method: str
    x: str
    y: str
    confidence: float

    @property
    def summary(self) -> pd.DataFrame:
        """One-row table: term, label, estimate, ci_low, ci_high, p_value, n, method."""
        return pd.DataFrame([{
            "term": f"{self.kind}({self.x}, {self.y})",
            "label": f"{self.kind.capitalize()} correlation of {self.x} with {self.y}",
            "estimate": self.r, "ci_low": self.low, "ci_high": self.high, "p_value": self.p_value,
            "n": self.n, "method": self.method, "confidence": self.confidence,
        }])

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def _rank_rows(a: np.ndarray) -> np.ndarray:
    return stats.rankdata(a, axis=1)


def rank_correlation(
    data: pd.DataFrame,
    x: str = "score",
    y: str = "ltv",
    confidence: float = 0.95,
    method: str = "fisher",
    *,
    id: str | None = None,
    seed: int | None = 0,
    n_resamples: int = 2_000,
) -> Correlation:
    """Spearman rank correlation of the score with an outcome, with an interval.

    Ties (many equal scores) get average ranks. ``method="fisher"``: Fisher z with the
    Bonett-Wright (2000) standard error (see :func:`correlation_interval`); ``"bootstrap"``:
    percentile interval over ``n_resamples`` resampled pairs (seeded). The p-value is the one of
    ``scipy.stats.spearmanr`` (t approximation).

    Returns
    -------
    Correlation
    """
    check_option("method", method, CORRELATION_INTERVALS)
    confidence = check_confidence(confidence)
    check_one_per_customer(data, id)
    for c in (x, y):
        if c not in data.columns:
            raise DataError(f"column {c!r} not found; the data has columns {list(data.columns)}")
    xv = pd.to_numeric(data[x], errors="coerce").to_numpy(dtype=float)
    yv = pd.to_numeric(data[y], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(xv) & np.isfinite(yv)
    xv, yv = xv[ok], yv[ok]
    n = len(xv)
    if n < 3:
        raise DataError(f"a correlation needs at least 3 pairs of {x!r} and {y!r}; found {n}")
    res = stats.spearmanr(xv, yv)
    r, p = float(res.statistic), float(res.pvalue)
    if method == "fisher":
        low, high = correlation_interval(r, n, "spearman", confidence)
    else:
        rng = np.random.default_rng(seed)
        block = max(1, 2_000_000 // n)
        reps = np.empty(n_resamples)
        for start in range(0, n_resamples, block):
            stop = min(n_resamples, start + block)
            idx = rng.integers(0, n, size=(stop - start, n))
            rx, ry = _rank_rows(xv[idx]), _rank_rows(yv[idx])
            rx -= rx.mean(axis=1, keepdims=True)
            ry -= ry.mean(axis=1, keepdims=True)
            with np.errstate(invalid="ignore", divide="ignore"):
                reps[start:stop] = (rx * ry).sum(1) / np.sqrt((rx * rx).sum(1) * (ry * ry).sum(1))
        tail = (1.0 - confidence) / 2.0
        low, high = (float(v) for v in np.nanquantile(reps, [tail, 1.0 - tail]))
    return Correlation(r=r, low=low, high=high, p_value=p, n=n, kind="spearman", method=method,
                       x=x, y=y, confidence=confidence)


# ---------------------------------------------------------------------------------------------
# revenue at risk


@dataclass(frozen=True)
class ChurnLoss:
    """Expected revenue lost to churn, from the observed churn rate of each category.

    Attributes
    ----------
    table : DataFrame
        Per category: ``category``, ``n``, ``revenue`` (sum over the category's customers),
        ``churn_rate`` with Wilson ``churn_ci_low``/``churn_ci_high``, ``expected_loss`` =
        revenue x churn rate with ``loss_ci_low``/``loss_ci_high`` (revenue x Wilson limits).
    detractor_loss, detractor_low, detractor_high : float
        The detractors' row: revenue at risk from detractors.
    total_loss, total_low, total_high : float
        Sum over the categories, with a normal-approximation interval (see Notes).
    revenue_total : float
    confidence : float
    """

    table: pd.DataFrame = field(repr=False)
    detractor_loss: float
    detractor_low: float
    detractor_high: float
    total_loss: float
    total_low: float
    total_high: float
    revenue_total: float
    confidence: float

    @property
    def summary(self) -> pd.DataFrame:
        """The per-category table with a total row."""
        total = pd.DataFrame([{
            "category": "total", "n": int(self.table["n"].sum()), "revenue": self.revenue_total,
            "expected_loss": self.total_loss, "loss_ci_low": self.total_low,
            "loss_ci_high": self.total_high,
        }])
        return pd.concat([self.table, total], ignore_index=True)

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def expected_churn_loss(
    data: pd.DataFrame,
    revenue: str = "annual_revenue",
    churn: str = "churned",
    category: str = "category",
    confidence: float = 0.95,
    *,
    id: str | None = None,
) -> ChurnLoss:
    """Revenue at risk from churn, using each category's observed churn rate.

    expected loss = sum over categories c of R_c x p_c, with R_c the revenue of the category's
    customers and p_c its observed churn rate (no fixed percentages). Revenue at risk from
    detractors is the detractor term R_d x p_d; METHODS.md ("Study practice") defines revenue at
    risk as the revenue that comes from detractors, here weighted by how often they actually leave.

    Notes
    -----
    The rate is applied to the category's whole revenue, which assumes churn within a category
    does not depend on customer size. Per-category limits are R_c times the Wilson limits of p_c;
    the total's interval is normal: Var = sum_c R_c^2 p_c (1 - p_c) / n_c, limits clamped to
    [0, total revenue].

    Returns
    -------
    ChurnLoss
    """
    confidence = check_confidence(confidence)
    check_one_per_customer(data, id)
    cats = category_column(data, category)
    rates = rate_by_category(data, churn, category, confidence)
    rev = pd.to_numeric(data[revenue], errors="coerce") if revenue in data.columns else None
    if rev is None:
        raise DataError(f"column {revenue!r} not found; the data has columns {list(data.columns)}")
    if (rev.dropna() < 0).any():
        raise DataError(f"column {revenue!r} has negative revenue; revenue at risk needs values >= 0")
    codes = np.asarray(cats.codes)
    R = np.array([np.nansum(rev.to_numpy(dtype=float)[codes == k]) for k in range(3)])
    p = rates["rate"].to_numpy(dtype=float)
    n = rates["n"].to_numpy(dtype=float)
    table = pd.DataFrame({
        "category": list(CATEGORIES), "n": rates["n"], "revenue": R, "churn_rate": p,
        "churn_ci_low": rates["ci_low"], "churn_ci_high": rates["ci_high"], "expected_loss": R * p,
        "loss_ci_low": R * rates["ci_low"].to_numpy(), "loss_ci_high": R * rates["ci_high"].to_numpy(),
    })
    ok = n > 0
    total = float(np.sum((R * p)[ok]))
    var = float(np.sum((R**2 * p * (1 - p) / np.where(ok, n, 1))[ok]))
    z = z_value(confidence)
    rtot = float(R.sum())
    return ChurnLoss(
        table=table, detractor_loss=float(table["expected_loss"][0]),
        detractor_low=float(table["loss_ci_low"][0]), detractor_high=float(table["loss_ci_high"][0]),
        total_loss=total, total_low=float(max(0.0, total - z * np.sqrt(var))),
        total_high=float(min(rtot, total + z * np.sqrt(var))), revenue_total=rtot,
        confidence=confidence,
    )


def compare_mean_intervals(
    data: pd.DataFrame,
    outcome: str = "ltv",
    category: str = "category",
    confidence: float = 0.95,
    *,
    id: str | None = None,
    seed: int | None = 0,
    n_resamples: int = 10_000,
) -> pd.DataFrame:
    """Mean outcome by category with both the t and the bootstrap interval, side by side.

    For skewed LTV the two can differ; showing both lets a reader see whether the conclusion
    depends on the choice (see :func:`mean_by_category`).

    Returns
    -------
    DataFrame
        ``category``, ``n``, ``mean``, ``t_low``, ``t_high``, ``bootstrap_low``,
        ``bootstrap_high``, ``skewness`` (sample skewness of the outcome in the category).
    """
    t = mean_by_category(data, outcome, category, "t", confidence, id=id)
    b = mean_by_category(data, outcome, category, "bootstrap", confidence, id=id, seed=seed,
                         n_resamples=n_resamples)
    groups = _group_values(data, outcome, category_column(data, category))
    skew = [float(stats.skew(v)) if len(v) > 2 else float("nan") for v in groups]
    return pd.DataFrame({
        "category": t["category"], "n": t["n"], "mean": t["mean"], "t_low": t["ci_low"],
        "t_high": t["ci_high"], "bootstrap_low": b["ci_low"], "bootstrap_high": b["ci_high"],
        "skewness": skew,
    })


def caveats(joined: JoinResult | None = None) -> list[str]:
    """The caveats every NPS-value analysis must carry, as plain sentences (for reports).

    With a :class:`JoinResult`, a last sentence gives the coverage of this analysis: how many
    of the customers with outcomes answered with a score, and how many declined the score.
    """
    out = list(CAVEATS)
    if joined is not None:
        with_outcome = joined.matched + joined.unmatched_outcomes
        share = joined.matched / with_outcome if with_outcome else float("nan")
        out.append(
            f"This analysis covers {joined.matched} of {with_outcome} customers with outcomes "
            f"({share:.0%}); {joined.no_score} response(s) had no score and "
            f"{joined.unmatched_responses} response(s) had no outcome. The rest of the customer "
            "base may behave differently."
        )
    return out


__all__ = [
    "bootstrap_means", "category_column", "category_outcomes", "CAVEATS", "caveats",
    "check_one_per_customer", "compare_mean_intervals", "Correlation", "correlation_interval",
    "CORRELATION_INTERVALS", "mean_by_category", "MEAN_INTERVALS", "rank_correlation",
    "rate_by_category", "expected_churn_loss", "ChurnLoss",
]
