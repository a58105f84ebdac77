"""Regressions of customer value on NPS category, and the what-if estimate built on them.

- :func:`ltv_model`: LTV on category (detractors as reference) with optional controls, by OLS
  with HC3 robust standard errors, OLS on log(1 + LTV), or a Gamma GLM with log link.
- :func:`churn_model`: logistic regression of churn (0/1) on category or on the 0-10 score;
  odds ratios with intervals.
- :func:`what_if`: revenue implied by moving a share of detractors to passives or promoters in
  the fitted LTV model, with a delta-method interval. Associational, not causal.

Controls: a non-numeric column (segment, ABC class) enters as indicators with its first level in
sort order as reference; a numeric column (tenure) enters linearly. Rows with a missing value in
any column used are left out and counted in the result (``n_dropped``).

References
----------
Long, J. S. & Ervin, L. H. (2000). Using heteroscedasticity consistent standard errors in the
linear regression model. The American Statistician 54(3), 217-224 (HC3).
Duan, N. (1983). Smearing estimate: a nonparametric retransformation method. JASA 78, 605-610.
Manning, W. G. & Mullahy, J. (2001). Estimating log models: to transform or not to transform?
Journal of Health Economics 20, 461-494 (log OLS against the Gamma GLM for skewed costs).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from nps_kit.errors import DataError, ParameterError, check_confidence, check_option
from nps_kit.core.scores import CATEGORIES
from nps_kit.outcomes.by_category import category_column, check_one_per_customer
from nps_kit.core.intervals import z_value

LTV_MODELS: tuple[str, ...] = ("ols", "log", "gamma")
"""Models of LTV: OLS (differences in currency), log (percent differences), gamma (ratios)."""

CHURN_PREDICTORS: tuple[str, ...] = ("category", "score")
"""What churn is regressed on."""

WHAT_IF_TARGETS: tuple[str, ...] = ("passive", "promoter")
"""Categories detractors can be moved to in :func:`what_if`."""

ASSOCIATIONAL = (
    "Associational, not causal: the figure compares customers who are detractors today with "
    "similar customers who are passives or promoters today. It does not show that turning a "
    "detractor into a promoter would produce this revenue."
)

SUMMARY_COLUMNS: tuple[str, ...] = ("term", "label", "estimate", "ci_low", "ci_high", "p_value",
                                    "scale", "coef", "se")


@dataclass(frozen=True)
class _Design:
    X: np.ndarray
    names: list[str]
    labels: list[str]
    kinds: list[str]  # "intercept", "category", "score", "control"
    rows: pd.Index
    n_dropped: int


def _design(data: pd.DataFrame, on: str, category: str, score: str,
            controls: list[str], used: list[str]) -> _Design:
    for c in [*used, *controls]:
        if c not in data.columns:
            raise DataError(f"column {c!r} not found; the data has columns {list(data.columns)}")
    frame = data[list(dict.fromkeys([*used, *controls]))]
    ok = frame.notna().all(axis=1).to_numpy()
    frame = frame.loc[ok]
    cols = [np.ones(len(frame))]
    names, labels, kinds = ["Intercept"], ["baseline (detractor, reference levels)"], ["intercept"]
    if on == "category":
        codes = np.asarray(category_column(frame, category).codes)
        for k in (1, 2):
            cols.append((codes == k).astype(float))
            names.append(f"category[{CATEGORIES[k]}]")
            labels.append(f"{CATEGORIES[k]} vs detractor")
            kinds.append("category")
    else:
        cols.append(pd.to_numeric(frame[score], errors="coerce").to_numpy(dtype=float))
        names.append(score)
        labels.append(f"{score} (per point on 0-10)")
        kinds.append("score")
        labels[0] = f"baseline ({score} = 0, reference levels)"
    for c in controls:
        v = frame[c]
        if pd.api.types.is_numeric_dtype(v.dtype) and not pd.api.types.is_bool_dtype(v.dtype):
            cols.append(v.to_numpy(dtype=float))
            names.append(c)
            labels.append(f"{c} (per unit)")
            kinds.append("control")
        else:
            levels = sorted(pd.unique(v.astype(str)))
            vs = v.astype(str).to_numpy()
            for lev in levels[1:]:
                cols.append((vs == lev).astype(float))
                names.append(f"{c}[{lev}]")
                labels.append(f"{c}: {lev} vs {levels[0]}")
                kinds.append("control")
    X = np.column_stack(cols)
    if len(X) <= X.shape[1]:
        raise DataError(f"{len(X)} complete rows cannot fit a model with {X.shape[1]} coefficients")
    if np.linalg.matrix_rank(X) < X.shape[1]:
        empty = [names[i] for i in range(1, X.shape[1]) if not X[:, i].any()]
        raise DataError(
            "the model cannot be estimated: some terms are not identified"
            + (f" (no rows in {', '.join(empty)})" if empty else " (a control duplicates another term)")
            + "; drop a control or check the data"
        )
    return _Design(X, names, labels, kinds, frame.index, int((~ok).sum()))


def _table(coef, se, p, names, labels, kinds, confidence, transform, scale, intercept_scale):
    z = z_value(confidence)
    low, high = coef - z * se, coef + z * se
    est, lo, hi = transform(coef), transform(low), transform(high)
    scales = [intercept_scale if k == "intercept" else scale for k in kinds]
    return pd.DataFrame({
        "term": names, "label": labels, "estimate": est, "ci_low": lo, "ci_high": hi,
        "p_value": p, "scale": scales, "coef": coef, "se": se,
    }, columns=list(SUMMARY_COLUMNS))


@dataclass(frozen=True)
class ModelResult:
    """A fitted regression with a readable coefficient table.

    Attributes
    ----------
    kind : str
        "ltv" or "churn".
    model : str
        "ols", "log", "gamma" (LTV) or "logit" (churn).
    on : str
        "category" or "score".
    outcome : str
    controls : tuple of str
    n : int
        Rows used; ``n_dropped`` rows had a missing value.
    confidence : float
    cov_type : str
        Standard errors: "HC3" (robust) or "nonrobust" (model-based, logistic).
    table : DataFrame
        ``term``, ``label``, ``estimate``, ``ci_low``, ``ci_high``, ``p_value``, ``scale`` (what
        the estimate means: a difference in currency, a percent difference, a ratio, an odds
        ratio), ``coef`` and ``se`` (on the model's own scale). Intervals are Wald intervals on
        the model scale, transformed.
    params, cov : ndarray
        Coefficients and their covariance (model scale).
    X : ndarray
        Design matrix used (for :func:`what_if`).
    smearing : float
        Duan's smearing factor mean(exp(residual)) for ``model="log"``; 1 otherwise.
    """

    kind: str
    model: str
    on: str
    outcome: str
    controls: tuple[str, ...]
    n: int
    n_dropped: int
    confidence: float
    cov_type: str
    table: pd.DataFrame = field(repr=False)
    params: np.ndarray = field(repr=False, compare=False)
    cov: np.ndarray = field(repr=False, compare=False)
    X: np.ndarray = field(repr=False, compare=False)
    names: tuple[str, ...] = field(repr=False)
    smearing: float = 1.0

    @property
    def summary(self) -> pd.DataFrame:
        """The coefficient table (see :attr:`table`)."""
        return self.table

    def term(self, name: str) -> pd.Series:
        """One row of the table by term (``"category[promoter]"``, ``"score"``, ...)."""
        hit = self.table.loc[self.table["term"] == name]
        if hit.empty:
            raise ParameterError(f"term={name!r} is not in the model; terms: {list(self.table['term'])}")
        return hit.iloc[0]

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def ltv_model(
    data: pd.DataFrame,
    outcome: str = "ltv",
    category: str = "category",
    controls: list[str] | tuple[str, ...] = (),
    model: str = "ols",
    confidence: float = 0.95,
    *,
    id: str | None = None,
) -> ModelResult:
    """Regression of LTV on NPS category, detractors as reference.

    ``model="ols"``: LTV = b0 + b_passive P + b_promoter Q + controls; estimates are differences in
    mean LTV against detractors (currency), with HC3 heteroscedasticity-robust standard errors
    (Long & Ervin 2000), since LTV spread grows with its level.
    ``model="log"``: OLS of log(1 + LTV), HC3; estimates are percent differences
    100 (exp(b) - 1) (in the geometric mean, roughly), limits transformed the same way.
    ``model="gamma"``: GLM with Gamma family and log link, HC3; exp(b) is the ratio of mean LTV
    against detractors (Manning & Mullahy 2001). Requires LTV > 0.

    Parameters
    ----------
    data : DataFrame
        One row per customer (``JoinResult.data`` with window "latest" or "wave").
    outcome : str
        LTV column.
    category : str
        detractor/passive/promoter column.
    controls : list of str
        Control columns; non-numeric as indicators (first level in sort order is the reference),
        numeric linearly.
    model : {"ols", "log", "gamma"}
    confidence : float
    id : str, optional
        Customer id column; a repeated id raises a DataError.

    Returns
    -------
    ModelResult
        ``table`` rows: the baseline (intercept; mean LTV of a detractor at the reference levels
        for "ols", exp for "gamma", exp - 1 for "log"), ``category[passive]``,
        ``category[promoter]``, then the controls.
    """
    import statsmodels.api as sm

    check_option("model", model, LTV_MODELS)
    confidence = check_confidence(confidence)
    check_one_per_customer(data, id)
    controls = list(controls)
    d = _design(data, "category", category, "", controls, [outcome, category])
    y = pd.to_numeric(data.loc[d.rows, outcome], errors="coerce").to_numpy(dtype=float)
    if not np.isfinite(y).all():
        raise DataError(f"column {outcome!r} must hold numbers")
    if model == "log" and (y < 0).any():
        raise DataError(f"column {outcome!r} has negative values; model='log' needs LTV >= 0")
    if model == "gamma" and (y <= 0).any():
        raise DataError(
            f"column {outcome!r} has {int((y <= 0).sum())} value(s) <= 0; the Gamma model needs "
            "LTV > 0: use model='log' (log(1 + LTV)) or model='ols'"
        )
    smear = 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if model == "ols":
            fit = sm.OLS(y, d.X).fit(cov_type="HC3")
            transform, scale, iscale = (lambda b: b), "difference in mean", "mean"
        elif model == "log":
            fit = sm.OLS(np.log1p(y), d.X).fit(cov_type="HC3")
            smear = float(np.mean(np.exp(fit.resid)))
            transform, scale, iscale = (lambda b: 100.0 * np.expm1(b)), "% difference", "exp(b) - 1"
        else:
            fam = sm.families.Gamma(link=sm.families.links.Log())
            fit = sm.GLM(y, d.X, family=fam).fit(cov_type="HC3")
            transform, scale, iscale = np.exp, "ratio of means", "mean"
    coef, cov = np.asarray(fit.params), np.asarray(fit.cov_params())
    se = np.sqrt(np.diag(cov))
    p = 2 * stats.norm.sf(np.abs(coef / se))
    table = _table(coef, se, p, d.names, d.labels, d.kinds, confidence, transform, scale, iscale)
    if model == "log":
        table.loc[0, ["estimate", "ci_low", "ci_high"]] = np.expm1(
            table.loc[0, ["coef"]].to_numpy(dtype=float)[0] + np.array([0.0, -1.0, 1.0])
            * z_value(confidence) * se[0])
    return ModelResult(
        kind="ltv", model=model, on="category", outcome=outcome, controls=tuple(controls),
        n=len(y), n_dropped=d.n_dropped, confidence=confidence, cov_type="HC3", table=table,
        params=coef, cov=cov, X=d.X, names=tuple(d.names), smearing=smear,
    )


def churn_model(
    data: pd.DataFrame,
    outcome: str = "churned",
    on: str = "category",
    category: str = "category",
    score: str = "score",
    controls: list[str] | tuple[str, ...] = (),
    confidence: float = 0.95,
    *,
    id: str | None = None,
) -> ModelResult:
    """Logistic regression of churn (0/1) on NPS category or on the 0-10 score.

    logit P(churn) = b0 + b_passive P + b_promoter Q + controls (``on="category"``, detractors as
    reference) or b0 + b_score score + controls (``on="score"``). Estimates are odds ratios
    exp(b) with Wald limits exp(b -+ z se) from the model-based (maximum likelihood) standard
    errors; the intercept row is the baseline odds.

    Returns
    -------
    ModelResult

    Raises
    ------
    DataError
        The outcome is not 0/1, or a group never or always churns (perfect separation: the odds
        ratio is infinite and cannot be estimated).
    """
    import statsmodels.api as sm

    check_option("on", on, CHURN_PREDICTORS)
    confidence = check_confidence(confidence)
    check_one_per_customer(data, id)
    controls = list(controls)
    d = _design(data, on, category, score, controls, [outcome, category if on == "category" else score])
    y = pd.to_numeric(data.loc[d.rows, outcome], errors="coerce").to_numpy(dtype=float)
    if not np.isin(y, (0.0, 1.0)).all():
        raise DataError(f"column {outcome!r} must hold 0/1 (1 = churned)")
    if on == "category":
        group = np.where(d.X[:, 2] == 1, 2, np.where(d.X[:, 1] == 1, 1, 0))
        for k, name in enumerate(CATEGORIES):
            yk = y[group == k]
            if len(yk) and yk.min() == yk.max():
                raise DataError(
                    f"every {name} has {outcome} = {int(yk[0])} ({len(yk)} customers): the odds "
                    "ratio is infinite or undefined (perfect separation); report the churn rates "
                    "by category (rate_by_category) instead"
                )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = sm.GLM(y, d.X, family=sm.families.Binomial()).fit()
        except Exception as exc:  # statsmodels raises several types on separation
            raise DataError(f"the logistic regression could not be fitted: {exc}") from None
    coef, cov = np.asarray(fit.params), np.asarray(fit.cov_params())
    se = np.sqrt(np.diag(cov))
    p = 2 * stats.norm.sf(np.abs(coef / se))
    table = _table(coef, se, p, d.names, d.labels, d.kinds, confidence, np.exp, "odds ratio",
                   "baseline odds")
    return ModelResult(
        kind="churn", model="logit", on=on, outcome=outcome, controls=tuple(controls), n=len(y),
        n_dropped=d.n_dropped, confidence=confidence, cov_type="nonrobust", table=table,
        params=coef, cov=cov, X=d.X, names=tuple(d.names),
    )


@dataclass(frozen=True)
class WhatIf:
    """Revenue implied by moving a share of detractors to another category in a fitted model.

    Attributes
    ----------
    to : str
        "passive" or "promoter".
    share : float
        Share of detractors moved (0-1).
    detractors : float
        Detractors the share applies to (default: those in the model data).
    moved : float
        share x detractors.
    per_customer, per_customer_low, per_customer_high : float
        Predicted mean LTV difference per moved detractor, with its interval.
    total, total_low, total_high : float
        moved x per_customer, with its interval.
    model : str
    confidence : float
    method : str
        "delta" (delta method with the model's robust covariance).
    note : str
        The associational-not-causal label.
    """

    to: str
    share: float
    detractors: float
    moved: float
    per_customer: float
    per_customer_low: float
    per_customer_high: float
    total: float
    total_low: float
    total_high: float
    model: str
    confidence: float
    method: str
    note: str = ASSOCIATIONAL

    @property
    def summary(self) -> pd.DataFrame:
        """One-row table of the what-if."""
        return pd.DataFrame([{
            "scenario": f"{self.share:.0%} of detractors -> {self.to}s", "to": self.to,
            "share": self.share, "detractors": self.detractors, "moved": self.moved,
            "per_customer": self.per_customer, "per_customer_low": self.per_customer_low,
            "per_customer_high": self.per_customer_high, "total": self.total,
            "total_low": self.total_low, "total_high": self.total_high, "model": self.model,
            "confidence": self.confidence, "method": self.method,
            "interpretation": "associational, not causal",
        }])

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False) + f"<p><em>{self.note}</em></p>"


def what_if(
    model: ModelResult,
    share: float = 0.1,
    to: str = "passive",
    detractors: float | None = None,
    confidence: float | None = None,
) -> WhatIf:
    """Revenue implied by moving a share of detractors to passives or promoters.

    For each detractor i in the model data with covariates x_i, the model predicts the mean LTV
    mu(x_i) as a detractor and mu(x_i + e_to) in the target category. The per-customer figure is
    Delta = mean_i [mu(x_i + e_to) - mu(x_i)] and the total is share x detractors x Delta:

    - ols: mu = x b, so Delta = b_to exactly;
    - gamma: mu = exp(x b), Delta = mean_i exp(x_i b) (exp(b_to) - 1);
    - log: mu = S exp(x b) - 1 with Duan's (1983) smearing factor S = mean(exp(residual)),
      treated as fixed.

    The interval is the delta method: Var(Delta) = g' V g with g = dDelta/db and V the model's
    HC3 covariance; limits Delta -+ z sqrt(Var), scaled by the number moved.

    Associational, not causal (see :data:`ASSOCIATIONAL`): the result says so in ``note``.

    Parameters
    ----------
    model : ModelResult
        From :func:`ltv_model`.
    share : float
        Share of detractors moved, in (0, 1].
    to : {"passive", "promoter"}
    detractors : float, optional
        Number of detractors to apply the share to (e.g. all detractors in the customer base);
        default: the detractors in the model data. The per-customer difference is always the
        average over the model's detractors.
    confidence : float, optional
        Default: the model's.

    Returns
    -------
    WhatIf
    """
    check_option("to", to, WHAT_IF_TARGETS)
    if not isinstance(model, ModelResult) or model.kind != "ltv" or model.on != "category":
        raise ParameterError("what_if needs an LTV model on category, as returned by ltv_model()")
    try:
        share = float(share)
    except (TypeError, ValueError):
        raise ParameterError(f"share={share!r} is not a number; give a share such as 0.1") from None
    if not 0.0 < share <= 1.0:
        raise ParameterError(f"share={share!r} must lie in (0, 1], e.g. 0.1 for 10 % of detractors")
    confidence = model.confidence if confidence is None else check_confidence(confidence)
    k = model.names.index(f"category[{to}]")
    X = model.X
    Xd = X[(X[:, 1] == 0) & (X[:, 2] == 0)]
    if len(Xd) == 0:
        raise DataError("the model data has no detractors; nothing to move")
    Xt = Xd.copy()
    Xt[:, k] = 1.0
    b = model.params
    if model.model == "ols":
        delta = float(b[k])
        g = np.zeros_like(b)
        g[k] = 1.0
    else:
        s = model.smearing
        et, ed = np.exp(Xt @ b), np.exp(Xd @ b)
        delta = float(s * np.mean(et - ed))
        g = s * ((et[:, None] * Xt) - (ed[:, None] * Xd)).mean(axis=0)
    se = float(np.sqrt(g @ model.cov @ g))
    z = z_value(confidence)
    n_d = float(len(Xd)) if detractors is None else float(detractors)
    if n_d < 0:
        raise ParameterError(f"detractors={detractors!r} must be >= 0")
    moved = share * n_d
    return WhatIf(
        to=to, share=share, detractors=n_d, moved=moved, per_customer=delta,
        per_customer_low=delta - z * se, per_customer_high=delta + z * se, total=moved * delta,
        total_low=moved * (delta - z * se), total_high=moved * (delta + z * se),
        model=model.model, confidence=confidence, method="delta",
    )


def what_if_table(model: ModelResult, shares=(0.1, 0.25), targets=WHAT_IF_TARGETS,
                  detractors: float | None = None) -> pd.DataFrame:
    """:func:`what_if` for every share and target, stacked into one table."""
    return pd.concat(
        [what_if(model, s, t, detractors).summary for t in targets for s in shares],
        ignore_index=True,
    )


__all__ = [
    "ASSOCIATIONAL", "churn_model", "CHURN_PREDICTORS", "ltv_model", "LTV_MODELS", "ModelResult",
    "SUMMARY_COLUMNS", "what_if", "what_if_table", "WHAT_IF_TARGETS", "WhatIf",
]
