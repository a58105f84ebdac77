"""Key drivers: which attributes go with being a promoter or a detractor, in NPS points.

A multinomial logit of the category (detractor = reference, passive, promoter) on the
attributes (McFadden 1974), fitted with ``statsmodels`` ``MNLogit``:

    P(y = k | x) = exp(x'b_k) / (1 + exp(x'b_passive) + exp(x'b_promoter)),  b_detractor = 0

Attributes: categorical columns (one-hot, one reference level left out: the most frequent
unless given), numeric columns as they are, and yes/no flags (themes coded from comments by
:func:`nps_kit.themes.coding.code_comments`). Raw coefficients are log odds ratios against
detractors, which nobody reads as NPS; every attribute is reported instead as its average
marginal effect (AME) on the NPS, in points:

    effect = 100 (AME_promoter - AME_detractor)

- categorical level j against the reference, and a flag (1 against 0): the discrete change
  averaged over the respondents, everyone set to level j minus everyone set to the reference,
  the other attributes as observed: AME_k = mean_i [P_k(x_i, level j) - P_k(x_i, reference)].
  (statsmodels' ``get_margeff(dummy=True)`` switches one dummy at a time, which for a column
  with three or more levels mixes impossible profiles; so nps-kit computes the contrasts.)
- numeric: the derivative averaged over respondents, dP_k/dx = P_k (b_k - sum_m P_m b_m), in
  points per unit of the attribute.

Intervals: delta method, Var(effect) = J V J' with V the model's covariance of the
coefficients and J the Jacobian of the effects in the coefficients, by central differences
(step 1e-5); z intervals (clamped to [-200, 200], the widest possible change) and two-sided z tests.

Small levels and separation (:mod:`nps_kit.core.smalln`): a level of a categorical attribute with
fewer than :data:`~nps_kit.core.smalln.MIN_LEVEL_ANSWERS` answers, or without a detractor, a passive or
a promoter (separation: its coefficients run off to infinity, Albert & Anderson 1984), is pooled
with the other such levels into :data:`OTHER_LEVEL`; if the pool is still small or separated, its
rows are left out and listed in ``dropped``. An attribute left with one level leaves the model.
An effect whose fit is still degenerate (a coefficient beyond +-:data:`MAX_ABS_COEFFICIENT`, a
non-finite or scale-wide standard error) is kept in the table with ``reported = False`` and is
never stated as a finding.

Sample size: a warning when the events per parameter (respondents in the least frequent
category divided by the number of attribute columns) fall below 10, the rule of thumb of
Peduzzi et al. (1996) for logistic regression; coefficients and effects are then biased and
their intervals unreliable.

References
----------
McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior. In Frontiers in
Econometrics, ed. P. Zarembka, 105-142. Academic Press.
Peduzzi, P., Concato, J., Kemper, E., Holford, T. R. and Feinstein, A. R. (1996). A simulation
study of the number of events per variable in logistic regression analysis. Journal of Clinical
Epidemiology 49(12), 1373-1379.
Albert, A. and Anderson, J. A. (1984). On the existence of maximum likelihood estimates in
logistic regression models. Biometrika 71(1), 1-10.
Greene, W. H. (2012). Econometric Analysis, 7th ed. Pearson (average partial effects and the
delta method, sections 17.3 and 18.2).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import norm

from nps_kit.errors import DataError, ParameterError, check_confidence, check_option
from nps_kit.core.scores import CATEGORIES, NONRESPONSE_POLICIES, category_codes, parse_scores
from nps_kit.core.smalln import MIN_LEVEL_ANSWERS
from nps_kit.core.formatting import p_text
from nps_kit.core.safetext import label
from nps_kit.core.intervals import z_value

MIN_EVENTS_PER_PARAMETER = 10
"""Peduzzi et al. (1996): fewer events per parameter than this makes a logit unreliable."""

DRIVER_COLUMNS: tuple[str, ...] = (
    "attribute", "level", "reference", "kind", "n_level", "ame_detractor", "ame_passive",
    "ame_promoter", "nps_effect", "se", "ci_low", "ci_high", "z", "p_value", "reported",
)

OTHER_LEVEL = "(other levels)"
"""Name of the pool of small or separated levels of a categorical attribute."""

MAX_ABS_COEFFICIENT = 15.0
"""A log odds ratio beyond this means the fit ran off (quasi-separation): effect not reported."""
"""Columns of :attr:`DriversResult.table` (AMEs and the NPS effect in points)."""

_STEP = 1e-5


@dataclass(frozen=True)
class DriversResult:
    """Average marginal effects of the attributes on NPS, from a multinomial logit.

    Attributes
    ----------
    table : DataFrame
        One row per categorical level (against its reference), flag and numeric attribute:
        :data:`DRIVER_COLUMNS`.
    dropped : DataFrame
        Rows left out of the model: ``row``, ``column``, ``value``, ``reason``.
    n : int
        Respondents in the model.
    category_counts : dict
        Detractors, passives, promoters in the model.
    parameters : int
        Attribute columns of the design (intercept excluded).
    events_per_parameter : float
        Least frequent category count / parameters.
    llf, pseudo_r2 : float
        Log-likelihood and McFadden's pseudo R^2 of the fit.
    warnings : tuple of str
    confidence : float
    """

    table: pd.DataFrame = field(repr=False)
    dropped: pd.DataFrame = field(repr=False)
    n: int
    category_counts: Mapping[str, int]
    parameters: int
    events_per_parameter: float
    llf: float
    pseudo_r2: float
    warnings: tuple[str, ...]
    confidence: float

    @property
    def summary(self) -> pd.DataFrame:
        """The table of effects."""
        return self.table

    @property
    def fit(self) -> dict:
        """Facts about the fit as a plain dict."""
        return {"n": self.n, "category_counts": dict(self.category_counts),
                "parameters": self.parameters, "events_per_parameter": self.events_per_parameter,
                "llf": self.llf, "pseudo_r2": self.pseudo_r2, "confidence": self.confidence,
                "model": "multinomial logit (statsmodels MNLogit), reference detractor",
                "units": "NPS points"}

    def _repr_html_(self) -> str:
        return self.table.to_html(index=False)


def _row_labels(data: pd.DataFrame, mask: np.ndarray) -> np.ndarray:
    if data.index.name == "row":
        return data.index.to_numpy()[mask]
    return np.flatnonzero(mask) + 2


def _probs(x: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Category probabilities (n, 3) for design x (n, q) and coefficients b (q, 2)."""
    eta = np.column_stack([np.zeros(len(x)), x @ b])
    eta -= eta.max(axis=1, keepdims=True)
    e = np.exp(eta)
    return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class _Term:
    attribute: str
    level: object
    reference: object
    kind: str
    column: int            # design column of this term
    group: tuple[int, ...]  # design columns of the attribute (all dummies of a categorical)
    n_level: int


def _effects(x: np.ndarray, b: np.ndarray, terms: list[_Term]) -> np.ndarray:
    """AMEs (len(terms), 3) on the probabilities of detractor, passive, promoter."""
    out = np.empty((len(terms), 3))
    p = _probs(x, b)
    bb = np.column_stack([np.zeros(len(b)), b])  # (q, 3) with the reference's zeros
    for i, t in enumerate(terms):
        if t.kind == "numeric":
            slope = bb[t.column]                              # (3,)
            out[i] = np.mean(p * (slope[None, :] - (p @ slope)[:, None]), axis=0)
        else:
            x0 = x.copy()
            x0[:, list(t.group)] = 0.0
            x1 = x0.copy()
            x1[:, t.column] = 1.0
            out[i] = np.mean(_probs(x1, b) - _probs(x0, b), axis=0)
    return out


def _design(frame: pd.DataFrame, categorical, numeric, flags, reference):
    cols = [np.ones(len(frame))]
    names = ["const"]
    terms: list[_Term] = []
    for col in categorical:
        values = frame[col].astype(str)
        counts = values.value_counts()
        levels = sorted(counts.index)
        if len(levels) < 2:
            raise DataError(f"column {col!r} has a single level ({levels[0]!r}) among the rows used; "
                            "it cannot explain anything: leave it out")
        if col in reference:
            ref = str(reference[col])
            if ref not in levels:
                raise ParameterError(f"reference level {ref!r} of {col!r} is not among its levels: "
                                     + ", ".join(levels))
        else:
            top = counts.max()
            ref = min(level for level in levels if counts[level] == top)
        start = len(cols)
        others = [level for level in levels if level != ref]
        group = tuple(range(start, start + len(others)))
        for k, level in enumerate(others):
            cols.append((values == level).to_numpy(dtype=float))
            names.append(f"{col}[{level}]")
            terms.append(_Term(col, level, ref, "categorical", start + k, group, int(counts[level])))
    for col in numeric:
        cols.append(frame[col].to_numpy(dtype=float))
        names.append(col)
        terms.append(_Term(col, None, None, "numeric", len(cols) - 1, (len(cols) - 1,), len(frame)))
    for col in flags:
        v = frame[col].to_numpy(dtype=float)
        cols.append(v)
        names.append(col)
        terms.append(_Term(col, True, False, "flag", len(cols) - 1, (len(cols) - 1,), int(v.sum())))
    return np.column_stack(cols), names, terms


def _prepare(data, score, categorical, numeric, flags, nonresponse):
    used = [*categorical, *numeric, *flags]
    missing = [c for c in [score, *used] if c not in data.columns]
    if missing:
        raise DataError(f"column(s) {missing} not found; the data has columns {list(data.columns)}")
    dup = sorted({c for c in used if used.count(c) > 1})
    if dup or score in used:
        raise ParameterError(f"each column can be one kind of attribute only, and not the score: {dup or [score]}")
    parsed = parse_scores(data[score])
    if parsed.invalid.any():
        idx = np.flatnonzero(parsed.invalid)
        raise DataError(f"column {score!r}: {len(idx)} invalid score(s) at rows "
                        f"{_row_labels(data, parsed.invalid)[:5].tolist()}: "
                        f"{data[score].to_numpy(dtype=object)[idx[:5]].tolist()}; scores must be whole "
                        "numbers 0-10. Read the file with errors='drop' (CLI: --errors drop).")
    codes = category_codes(parsed.values)
    if nonresponse == "detractor":
        codes = np.where(codes < 0, 0, codes)
    elif nonresponse == "passive":
        codes = np.where(codes < 0, 1, codes)
    reasons: list[tuple[np.ndarray, str, str]] = [(codes < 0, score, "no score (non-response excluded)")]
    frame = data[used].copy()
    for col in numeric:
        raw = frame[col]
        num = pd.to_numeric(raw, errors="coerce")
        bad = num.isna() & raw.notna()
        if bad.any():
            rows = _row_labels(data, bad.to_numpy())[:5].tolist()
            raise DataError(f"column {col!r} is given as numeric but has non-numbers at rows {rows}: "
                            f"{raw[bad].head(5).tolist()}; pass it as a categorical attribute "
                            "(--categorical) or fix the values")
        frame[col] = num
    for col in flags:
        raw = frame[col]
        mapped = raw.map(lambda v: v if isinstance(v, (bool, np.bool_)) else
                         {0: False, 1: True, "0": False, "1": True, "true": True, "false": False,
                          "yes": True, "no": False}.get(str(v).strip().lower() if isinstance(v, str) else v, "bad")
                         if pd.notna(v) else np.nan)
        bad = mapped.astype(object).eq("bad").to_numpy()
        if bad.any():
            rows = _row_labels(data, bad)[:5].tolist()
            raise DataError(f"column {col!r} is given as a flag but has values other than yes/no, "
                            f"true/false or 1/0 at rows {rows}: {raw[bad].head(5).tolist()}")
        frame[col] = mapped.astype(float)
    for col in used:
        reasons.append((frame[col].isna().to_numpy(), col, f"no value in {col}"))
    drop = np.zeros(len(data), dtype=bool)
    records = []
    for mask, col, why in reasons:
        new = mask & ~drop
        if new.any():
            vals = data[col].to_numpy(dtype=object)[new]
            for r, v in zip(_row_labels(data, new), vals):
                records.append({"row": int(r), "column": col,
                                "value": None if pd.isna(v) else str(v), "reason": why})
        drop |= mask
    dropped = pd.DataFrame(records, columns=["row", "column", "value", "reason"])
    return frame.loc[~drop].reset_index(drop=True), codes[~drop], dropped


def key_drivers(
    data: pd.DataFrame,
    score: str,
    categorical: Sequence[str] = (),
    numeric: Sequence[str] = (),
    flags: Sequence[str] = (),
    *,
    reference: Mapping[str, object] | None = None,
    confidence: float = 0.95,
    nonresponse: str = "exclude",
) -> DriversResult:
    """Average marginal effects of attributes on NPS (points) from a multinomial logit.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    score : str
        0-10 score column.
    categorical : list of str
        Columns one-hot encoded against a reference level.
    numeric : list of str
        Columns used as numbers (effect per unit).
    flags : list of str
        Yes/no columns (booleans, 1/0, yes/no): effect of 1 against 0.
    reference : dict, optional
        Reference level per categorical column (default: its most frequent level).
    confidence : float
    nonresponse : {"exclude", "detractor", "passive"}

    Returns
    -------
    DriversResult
        Rows with a missing score (under "exclude") or attribute are left out of the model and
        listed in ``dropped``; ``n`` + ``len(dropped)`` = rows of ``data``.
    """
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning

    confidence = check_confidence(confidence)
    check_option("nonresponse", nonresponse, NONRESPONSE_POLICIES)
    categorical, numeric, flags = list(categorical), list(numeric), list(flags)
    if not (categorical or numeric or flags):
        raise ParameterError("give at least one attribute: categorical, numeric or flag columns")
    frame, y, dropped = _prepare(data, score, categorical, numeric, flags, nonresponse)
    frame, y, dropped, categorical, pool_notes = _pool_small_levels(frame, y, dropped, categorical,
                                                                    reference or {})
    if not (categorical or numeric or flags):
        return _empty_result(dropped, y, confidence, pool_notes)
    counts = np.bincount(y, minlength=3) if len(y) else np.zeros(3, dtype=int)
    if (counts == 0).any():
        absent = [c for c, k in zip(CATEGORIES, counts) if k == 0]
        raise DataError(f"the {len(y)} rows used have no {' and no '.join(absent)}s; a drivers model "
                        "needs detractors, passives and promoters")
    x, names, terms = _design(frame, categorical, numeric, flags, dict(reference or {}))
    n_params = x.shape[1] - 1
    notes: list[str] = list(pool_notes)
    epv = float(counts.min()) / n_params
    if epv < MIN_EVENTS_PER_PARAMETER:
        least = CATEGORIES[int(np.argmin(counts))]
        notes.append(
            f"Too few respondents for {n_params} attribute parameters: {int(counts.min())} {least}s "
            f"give {epv:.1f} events per parameter, below the {MIN_EVENTS_PER_PARAMETER} of Peduzzi et "
            "al. (1996); effects are biased and their intervals unreliable. Use fewer attributes or "
            "merge small levels.")
    for t in terms:
        if t.kind == "numeric":
            continue
        at = x[:, t.column] == 1
        ref = ~x[:, list(t.group)].any(axis=1)
        for what, mask in ((f"{label(t.attribute)} = {label(t.level)}", at),
                           (f"{label(t.attribute)} = {label(t.reference)}", ref)):
            held = np.bincount(y[mask], minlength=3)
            if (held == 0).any() and what not in " ".join(notes):
                absent = " or ".join(f"{c}s" for c, k in zip(CATEGORIES, held) if k == 0)
                notes.append(f"{what} ({int(mask.sum())} respondents) has no {absent}: its "
                             "coefficients run off to infinity (separation), so its effect and "
                             "interval are unreliable; merge it with another level or leave it out.")
    if np.linalg.matrix_rank(x) < x.shape[1]:
        raise DataError("the attributes are collinear (a level or flag is a combination of others, "
                        f"columns {names[1:]}); leave one of them out")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = sm.MNLogit(y, pd.DataFrame(x, columns=names)).fit(method="newton", maxiter=200, disp=0)
        except np.linalg.LinAlgError:
            raise DataError("the model cannot be fitted: some level or flag predicts the category "
                            "perfectly (separation); merge small levels or leave it out") from None
    if any(issubclass(w.category, (ConvergenceWarning, HessianInversionWarning)) for w in caught) or \
            not model.mle_retvals.get("converged", True):
        notes.append("The fit did not converge cleanly (often a level with all respondents in one "
                     "category); treat its effects with care.")
    b = model.params.to_numpy()
    cov = model.cov_params().to_numpy()
    flat = b.ravel(order="F")
    q = b.shape[0]

    def eff(v: np.ndarray) -> np.ndarray:
        return _effects(x, v.reshape(q, 2, order="F"), terms)

    base = eff(flat)
    nps = base[:, 2] - base[:, 0]
    jac = np.empty((len(terms), flat.size))
    for j in range(flat.size):
        h = _STEP * max(1.0, abs(flat[j]))
        up, dn = flat.copy(), flat.copy()
        up[j] += h
        dn[j] -= h
        e_up, e_dn = eff(up), eff(dn)
        jac[:, j] = ((e_up[:, 2] - e_up[:, 0]) - (e_dn[:, 2] - e_dn[:, 0])) / (2 * h)
    se = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", jac, cov, jac), 0.0))
    zc = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        zstat = nps / se
    runaway = np.abs(b) > MAX_ABS_COEFFICIENT
    degenerate = np.array([bool(runaway[list(t.group), :].any()) for t in terms], dtype=bool)
    reported = np.isfinite(se) & (se > 0) & (100 * se < 100.0) & ~degenerate
    if (~reported).any():
        shown = ", ".join(_term_label(t) for t, ok in zip(terms, reported) if not ok)
        notes.append(f"Not estimated reliably and not reported as findings: {shown} (the fit runs "
                     "off to infinity or the interval spans the scale).")
    table = pd.DataFrame({
        "attribute": [t.attribute for t in terms],
        "level": [t.level for t in terms], "reference": [t.reference for t in terms],
        "kind": [t.kind for t in terms], "n_level": [t.n_level for t in terms],
        "ame_detractor": 100 * base[:, 0], "ame_passive": 100 * base[:, 1],
        "ame_promoter": 100 * base[:, 2], "nps_effect": 100 * nps, "se": 100 * se,
        "ci_low": np.maximum(100 * (nps - zc * se), -200.0),
        "ci_high": np.minimum(100 * (nps + zc * se), 200.0), "z": zstat,
        "p_value": 2.0 * norm.sf(np.abs(zstat)), "reported": reported,
    })
    return DriversResult(
        table=table, dropped=dropped, n=int(len(y)),
        category_counts=dict(zip(CATEGORIES, map(int, counts))), parameters=int(n_params),
        events_per_parameter=epv, llf=float(model.llf), pseudo_r2=float(model.prsquared),
        warnings=tuple(notes), confidence=confidence,
    )


def _term_label(t) -> str:
    if t.kind == "categorical":
        return f"{label(t.attribute)} = {label(t.level)}"
    return label(t.attribute)


def _pool_small_levels(frame: pd.DataFrame, y: np.ndarray, dropped: pd.DataFrame,
                       categorical: list[str], reference: Mapping[str, object]):
    """Pool levels with too few answers or a missing category; see the module docstring."""
    notes: list[str] = []
    keep = np.ones(len(frame), dtype=bool)
    records = []
    kept_columns = []
    frame = frame.copy()
    for col in categorical:
        values = frame[col].astype(str)
        table = pd.crosstab(values[keep], y[keep]).reindex(columns=range(3), fill_value=0)
        small = [lvl for lvl, row in table.iterrows()
                 if (row.sum() < MIN_LEVEL_ANSWERS or row.min() == 0)
                 and str(reference.get(col, "\0")) != lvl]
        if small:
            values = values.where(~values.isin(small), OTHER_LEVEL)
            pooled = (values == OTHER_LEVEL).to_numpy() & keep
            held = np.bincount(y[pooled], minlength=3)
            names = ", ".join(map(label, sorted(small)[:5])) + (f" and {len(small) - 5} more" if len(small) > 5 else "")
            if held.sum() >= MIN_LEVEL_ANSWERS and held.min() > 0:
                notes.append(f"{col}: {len(small)} level(s) with fewer than {MIN_LEVEL_ANSWERS} "
                             f"answers or without one of the three categories ({names}) are "
                             f"pooled as {OTHER_LEVEL!r}.")
            else:
                notes.append(f"{col}: {len(small)} level(s) with fewer than {MIN_LEVEL_ANSWERS} "
                             f"answers or without one of the three categories ({names}) are too "
                             f"small even pooled ({int(held.sum())} answers); their rows are left "
                             "out of the model.")
                for i in np.flatnonzero(pooled):
                    records.append({"row": int(i) + 2, "column": col, "value": frame[col].iloc[i],
                                    "reason": f"level of {col} with too few answers for the "
                                              "key-driver model"})
                keep &= ~pooled
            frame[col] = values
        if frame.loc[keep, col].nunique() < 2:
            notes.append(f"{col} is left out of the key-driver model: fewer than two of its levels "
                         f"have {MIN_LEVEL_ANSWERS} answers or more with every category.")
        else:
            kept_columns.append(col)
    if records:
        dropped = pd.concat([dropped, pd.DataFrame(records, columns=dropped.columns)],
                            ignore_index=True)
    return frame.loc[keep].reset_index(drop=True), y[keep], dropped, kept_columns, notes


def _empty_result(dropped, y, confidence, notes) -> "DriversResult":
    counts = np.bincount(y, minlength=3) if len(y) else np.zeros(3, dtype=int)
    return DriversResult(
        table=pd.DataFrame(columns=list(DRIVER_COLUMNS)), dropped=dropped, n=int(len(y)),
        category_counts=dict(zip(CATEGORIES, map(int, counts))), parameters=0,
        events_per_parameter=float("nan"), llf=float("nan"), pseudo_r2=float("nan"),
        warnings=(*notes, "No attribute is left for the key-driver model."),
        confidence=confidence)


def varying_attributes(data: pd.DataFrame, columns: Sequence[str]) -> tuple[list[str], list[str]]:
    """The columns that take at least two values in ``data`` (only those can go into
    :func:`key_drivers`), and a sentence for each one left out.

    Examples
    --------
    >>> varying_attributes(pd.DataFrame({"a": ["x", "y"], "b": ["z", "z"]}), ["a", "b"])
    (['a'], ["'b' is left out of the key-driver model: it has one value here ('z')"])
    """
    kept, notes = [], []
    for col in columns:
        values = data[col].dropna().unique()
        if len(values) >= 2:
            kept.append(col)
        else:
            shown = f"({values[0]!r})" if len(values) else "(no values)"
            notes.append(f"{col!r} is left out of the key-driver model: it has one value here {shown}")
    return kept, notes


def describe_drivers(result: DriversResult, alpha: float | None = None) -> list[str]:
    """Plain-language sentences: one per attribute row, strongest effects first."""
    alpha = 1.0 - result.confidence if alpha is None else alpha
    level = f"{result.confidence:.0%}"
    if result.table.empty:
        return ["No key-driver model: no attribute has two levels with enough answers "
                f"({MIN_LEVEL_ANSWERS} or more, with every category)."]
    lines = [f"Multinomial logit of detractor / passive / promoter on {result.parameters} attribute "
             f"parameters, {result.n} respondents (McFadden pseudo R^2 {result.pseudo_r2:.3f}); "
             "effects are average marginal effects on NPS in points, other attributes as observed."]
    order = result.table.assign(_abs=result.table["nps_effect"].abs()).sort_values("_abs", ascending=False)
    for r in order.to_dict("records"):
        if not r.get("reported", True):
            continue
        ci = f"{level} CI {r['ci_low']:+.1f} to {r['ci_high']:+.1f}, {p_text(r['p_value'])}"
        sig = "" if r["p_value"] < alpha else "; not significant"
        if r["kind"] == "categorical":
            what = f"{label(r['attribute'])} = {label(r['level'])} (vs {label(r['reference'])})"
        elif r["kind"] == "flag":
            what = f"{label(r['attribute'])} (yes vs no)"
        else:
            what = f"{label(r['attribute'])} (per unit)"
        lines.append(f"{what}: {r['nps_effect']:+.1f} NPS points ({ci}{sig}).")
    lines += [w for w in result.warnings if w.startswith(("Not estimated", "No attribute"))
              or " pooled as " in w or "left out of the model" in w]
    return lines


__all__ = ["DRIVER_COLUMNS", "MAX_ABS_COEFFICIENT", "OTHER_LEVEL", "DriversResult", "MIN_EVENTS_PER_PARAMETER", "describe_drivers",
           "key_drivers", "varying_attributes"]
