"""Money behind the scores: revenue at risk, "good revenue" and revenue-weighted NPS per ABC class.

Revenue at risk is the share of annual revenue that comes from detractors (METHODS.md, "Study
practice"); "good revenue" is the same for promoters. Among a class's respondents with revenues
r_i, the share is a ratio s = sum(r_i [detractor_i]) / sum(r_i). Projected to the whole class
(ratio estimator: the class's non-respondents are assumed to split their revenue like its
respondents), the amount at risk is s x R, where R is the revenue of every customer in the class.
The total over classes is the sum of the class projections (a stratified ratio estimate).

Intervals come from a percentile bootstrap over respondents within each class (Efron and
Tibshirani 1993, ch. 13): a replicate draws n_c respondents with replacement, done as one
vector of draw counts per replicate so the work is a matrix product, not a loop over rows.
Replicates of the classes are drawn from independent child streams of one seeded generator
(``numpy.random.Generator.spawn``), so the same seed gives the same numbers; the total's
interval adds the class replicates (a stratified bootstrap).

Revenue-weighted NPS scores each respondent -1 (detractor), 0 (passive) or +1 (promoter) and
weights by revenue: NPS_w = 100 sum(r_i x_i) / sum(r_i), in points; its interval is a percentile
bootstrap over customers (respondents).

References
----------
Efron, B. and Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.
Cochran, W. G. (1977). Sampling Techniques, 3rd ed., ch. 6 (ratio estimators). Wiley.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nps_kit.errors import ParameterError, check_confidence, check_option
from nps_kit.core.intervals import METHODS
from nps_kit.revenue.classes import CLASSES, ABCClasses, JoinedResponses
from nps_kit.engines.dispatch import summarize

ALL = "all"
"""Label of the row that covers every class."""

_CELLS_PER_BLOCK = 4_000_000  # replicate x respondent weights held in memory at once


def _check_resamples(n_resamples: int) -> int:
    if int(n_resamples) != n_resamples or n_resamples < 100:
        raise ParameterError(f"n_resamples={n_resamples!r} must be a whole number of at least 100")
    return int(n_resamples)


def bootstrap_ratios(
    revenue: np.ndarray, values: np.ndarray, n_resamples: int, rng: np.random.Generator
) -> np.ndarray:
    """Bootstrap replicates of revenue-weighted means sum(r_i y_ik) / sum(r_i).

    Parameters
    ----------
    revenue : array of shape (n,)
    values : array of shape (n, k)
        One column per quantity (e.g. detractor indicator, promoter indicator).
    n_resamples : int
    rng : numpy.random.Generator

    Returns
    -------
    array of shape (n_resamples, k)
        NaN in a replicate whose drawn revenues sum to zero; all NaN when n = 0.
    """
    r = np.asarray(revenue, dtype=float)
    y = np.asarray(values, dtype=float)
    y = y[:, None] if y.ndim == 1 else y
    n, k = y.shape
    out = np.full((n_resamples, k), np.nan)
    if n == 0:
        return out
    ry = r[:, None] * y
    block = max(1, _CELLS_PER_BLOCK // n)
    for start in range(0, n_resamples, block):  # blocks of replicates bound the memory
        b = min(start + block, n_resamples) - start
        stop = start + b
        # how often each respondent is drawn in each replicate (a multinomial(n, 1/n) vector)
        drawn = rng.integers(0, n, size=(b, n)) + (np.arange(b) * n)[:, None]
        weights = np.bincount(drawn.ravel(), minlength=b * n).reshape(b, n).astype(float)
        den = weights @ r
        with np.errstate(invalid="ignore", divide="ignore"):
            out[start:stop] = (weights @ ry) / den[:, None]
    return out


def _respondents(joined: JoinedResponses, revenue: str, klass: str | None):
    data = joined.data
    use = data["category"].notna().to_numpy().copy()
    if klass is not None:
        use &= (data["class"].astype(str) == klass).to_numpy()
    r = data[revenue].to_numpy(dtype=float)[use]
    cat = data["category"].astype(str).to_numpy()[use]
    return r, cat


@dataclass(frozen=True)
class RevenueAtRisk:
    """Revenue from detractors (at risk) and promoters (good revenue) per class, projected.

    Attributes
    ----------
    table : DataFrame
        One row per class (A, B, C, then ``all``) and category (``detractor``, ``promoter``):
        ``respondents``, ``respondents_revenue``, ``category_revenue`` (revenue of the
        respondents in the category), ``share`` (category_revenue / respondents_revenue),
        ``class_revenue`` (all customers of the class), ``projected`` (share x class_revenue),
        ``projected_low``, ``projected_high``, ``projected_share`` (projected / class_revenue),
        ``projected_share_low``, ``projected_share_high``.
    at_risk, at_risk_low, at_risk_high, at_risk_share : float
        Projected detractor revenue over all classes, its interval and share of total revenue.
    good, good_low, good_high, good_share : float
        The same for promoters.
    total_revenue : float
    confidence : float
    n_resamples : int
    seed : int or None
    """

    table: pd.DataFrame = field(repr=False)
    at_risk: float
    at_risk_low: float
    at_risk_high: float
    at_risk_share: float
    good: float
    good_low: float
    good_high: float
    good_share: float
    total_revenue: float
    confidence: float
    n_resamples: int
    seed: int | None

    @property
    def summary(self) -> pd.DataFrame:
        """The per-class table."""
        return self.table

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def revenue_at_risk(
    classes: ABCClasses,
    joined: JoinedResponses,
    confidence: float = 0.95,
    *,
    seed: int | None = 0,
    n_resamples: int = 10_000,
) -> RevenueAtRisk:
    """Revenue at risk (detractors) and good revenue (promoters) per ABC class, with intervals.

    For class c with respondents i (revenue r_i) and class revenue R_c:
    share_c = sum_{i detractor} r_i / sum_i r_i, projected_c = share_c x R_c; the total is
    sum_c projected_c and its share of revenue sum_c projected_c / sum_c R_c. Intervals are
    percentile bootstrap intervals over respondents within each class (see the module
    docstring). A class without respondents has no estimate (NaN), and then neither does the
    total.

    Parameters
    ----------
    classes, joined
        From :func:`nps_kit.revenue.classes.abc_classes` and :func:`nps_kit.revenue.classes.join_responses`.
    confidence : float
    seed : int or None
        Seed of the bootstrap; the same seed gives the same numbers.
    n_resamples : int
        Bootstrap replicates (at least 100).

    Returns
    -------
    RevenueAtRisk

    Examples
    --------
    Class A respondents with revenues 100 (detractor), 300 (promoter) and 600 (passive) put
    100 / 1000 = 10 % of respondents' revenue at risk; with a class revenue of 2000 the projected
    amount is 200.
    """
    confidence = check_confidence(confidence)
    n_resamples = _check_resamples(n_resamples)
    alpha = 1.0 - confidence
    class_revenue = classes.summary.set_index("class")["revenue"]
    rngs = np.random.default_rng(seed).spawn(len(CLASSES))
    rows, reps = [], []
    for klass, rng in zip(CLASSES, rngs):  # three strata, each vectorised over respondents
        r, cat = _respondents(joined, classes.revenue, klass)
        y = np.column_stack([cat == "detractor", cat == "promoter"]).astype(float)
        rep = bootstrap_ratios(r, y, n_resamples, rng) * float(class_revenue[klass])
        reps.append(rep)
        total_r = float(r.sum())
        for j, category in enumerate(("detractor", "promoter")):
            amount = float((r * y[:, j]).sum())
            share = amount / total_r if total_r > 0 else np.nan
            rows.append({
                "class": klass, "category": category, "respondents": len(r),
                "respondents_revenue": total_r, "category_revenue": amount, "share": share,
                "class_revenue": float(class_revenue[klass]),
                "projected": share * float(class_revenue[klass]),
                "_rep": rep[:, j],
            })
    r_all, cat_all = _respondents(joined, classes.revenue, None)
    total_rep = np.sum(reps, axis=0)  # NaN if any class has no estimate
    for j, category in enumerate(("detractor", "promoter")):
        class_rows = [row for row in rows if row["category"] == category]
        amount = float(r_all[cat_all == category].sum())
        rows.append({
            "class": ALL, "category": category, "respondents": len(r_all),
            "respondents_revenue": float(r_all.sum()), "category_revenue": amount,
            "share": amount / r_all.sum() if r_all.sum() > 0 else np.nan,
            "class_revenue": classes.total_revenue,
            "projected": float(np.sum([row["projected"] for row in class_rows])),
            "_rep": total_rep[:, j],
        })
    table = pd.DataFrame(rows)
    rep_matrix = np.vstack(table.pop("_rep").to_numpy())
    all_nan = np.isnan(rep_matrix).all(axis=1)
    with np.errstate(invalid="ignore"):
        safe = np.where(all_nan[:, None], 0.0, rep_matrix)
        low = np.where(all_nan, np.nan, np.nanquantile(safe, alpha / 2, axis=1))
        high = np.where(all_nan, np.nan, np.nanquantile(safe, 1 - alpha / 2, axis=1))
    undefined = np.isnan(table["projected"].to_numpy())
    table["projected_low"] = np.where(undefined, np.nan, low)
    table["projected_high"] = np.where(undefined, np.nan, high)
    with np.errstate(invalid="ignore", divide="ignore"):
        base = table["class_revenue"].to_numpy(dtype=float)
        base = np.where(base > 0, base, np.nan)
        for col in ("projected", "projected_low", "projected_high"):
            table[col.replace("projected", "projected_share")] = table[col] / base
    table = table.sort_values(["category", "class"], key=lambda s: s.map(_ORDER), kind="stable")
    table = table.reset_index(drop=True)
    total = table[table["class"] == ALL].set_index("category")
    return RevenueAtRisk(
        table=table,
        at_risk=float(total.loc["detractor", "projected"]),
        at_risk_low=float(total.loc["detractor", "projected_low"]),
        at_risk_high=float(total.loc["detractor", "projected_high"]),
        at_risk_share=float(total.loc["detractor", "projected_share"]),
        good=float(total.loc["promoter", "projected"]),
        good_low=float(total.loc["promoter", "projected_low"]),
        good_high=float(total.loc["promoter", "projected_high"]),
        good_share=float(total.loc["promoter", "projected_share"]),
        total_revenue=classes.total_revenue, confidence=confidence, n_resamples=n_resamples,
        seed=seed,
    )


_ORDER = {"detractor": 0, "promoter": 1, "A": 0, "B": 1, "C": 2, ALL: 3}


def revenue_weighted_nps(
    classes: ABCClasses,
    joined: JoinedResponses,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
    *,
    seed: int | None = 0,
    n_resamples: int = 10_000,
) -> pd.DataFrame:
    """Revenue-weighted NPS per class and overall, next to the plain NPS, in points.

    NPS_w = 100 sum_i r_i x_i / sum_i r_i with x_i = -1 (detractor), 0 (passive), +1 (promoter)
    and r_i the respondent's revenue. Its interval is a seeded percentile bootstrap over
    respondents (customers). The plain NPS and its interval come from
    :func:`nps_kit.core.summary.summarize` with ``method``.

    Parameters
    ----------
    classes, joined
        From :func:`nps_kit.revenue.classes.abc_classes` and :func:`nps_kit.revenue.classes.join_responses`.
    method : {"adjusted-wald", "wald", "score", "bootstrap", "bayes"}
        Interval method of the plain NPS.
    confidence : float
    seed : int or None
    n_resamples : int

    Returns
    -------
    DataFrame
        Rows A, B, C, all: ``class``, ``respondents``, ``respondents_revenue``, ``nps``,
        ``ci_low``, ``ci_high``, ``weighted_nps``, ``weighted_ci_low``, ``weighted_ci_high``.

    Examples
    --------
    A detractor with revenue 300 and a promoter with revenue 100: plain NPS 0, weighted NPS
    100 (100 - 300) / 400 = -50.
    """
    check_option("method", method, METHODS)
    confidence = check_confidence(confidence)
    n_resamples = _check_resamples(n_resamples)
    alpha = 1.0 - confidence
    rngs = np.random.default_rng(seed).spawn(len(CLASSES) + 1)
    rows = []
    for klass, rng in zip((*CLASSES, ALL), rngs):
        r, cat = _respondents(joined, classes.revenue, None if klass == ALL else klass)
        x = (cat == "promoter").astype(float) - (cat == "detractor").astype(float)
        counts = pd.DataFrame({"detractors": [int((cat == "detractor").sum())],
                               "passives": [int((cat == "passive").sum())],
                               "promoters": [int((cat == "promoter").sum())]})
        plain = summarize(counts, method=method, confidence=confidence, seed=seed,
                          n_resamples=n_resamples).iloc[0]
        reps = 100.0 * bootstrap_ratios(r, x[:, None], n_resamples, rng)[:, 0]
        ok = ~np.isnan(reps)
        weighted = 100.0 * float((r * x).sum() / r.sum()) if r.sum() > 0 else np.nan
        defined = ok.any() and np.isfinite(weighted)
        low, high = (np.quantile(reps[ok], [alpha / 2, 1 - alpha / 2]) if defined
                     else (np.nan, np.nan))
        rows.append({
            "class": klass, "respondents": len(r), "respondents_revenue": float(r.sum()),
            "nps": plain["nps"], "ci_low": plain["ci_low"], "ci_high": plain["ci_high"],
            "weighted_nps": weighted, "weighted_ci_low": float(low), "weighted_ci_high": float(high),
        })
    return pd.DataFrame(rows)


__all__ = ["ALL", "bootstrap_ratios", "revenue_at_risk", "revenue_weighted_nps", "RevenueAtRisk"]
