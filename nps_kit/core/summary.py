"""One table of NPS results, overall or per group: :func:`summarize`.

Everything statistical works on counts, so the heavy step is a single ``numpy.bincount`` over
``group * 11 + score``; intervals are then computed for all groups at once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from nps_kit.errors import DataError, ParameterError, check_confidence, check_option
from nps_kit.core.intervals import METHODS, interval_arrays, row_methods
from nps_kit.core.scores import NONRESPONSE_POLICIES, parse_scores
from nps_kit.core.columns import as_columns

COUNT_COLUMNS: tuple[str, str, str] = ("detractors", "passives", "promoters")

SUMMARY_COLUMNS: tuple[str, ...] = (
    "n", "detractors", "passives", "promoters", "detractor_share", "passive_share",
    "promoter_share", "nps", "se", "ci_low", "ci_high", "method", "confidence", "nonresponse",
    "nonrespondents",
)
"""Columns of :func:`summarize` after the group columns."""


def _compact_integers(s: pd.Series):
    """(values, min, max) of a NaN-free integer column whose range is small enough to index
    groups directly; None otherwise."""
    if s.dtype.kind not in "iu" or len(s) == 0:  # numpy integers only: they cannot hold NaN
        return None
    arr = s.to_numpy()
    limit = 4 * len(arr) + 1024
    # one pass in the usual case: seen as unsigned, the maximum is the true one when no value is
    # negative, and the table can then start at 0 (empty groups are dropped later)
    top = int(arr.view(np.dtype(f"u{arr.dtype.itemsize}")).max())
    if top <= limit:
        return arr, 0, top
    lo, hi = int(arr.min()), int(arr.max())
    if hi - lo > limit:
        return None
    return arr, lo, hi


def _group_codes(frame: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer code per row (0..G-1) and the table of group values, in sorted group order.

    Categorical columns use their codes and integer columns with a compact range their offsets,
    so no hashing pass is needed for those; other columns are factorised.
    """
    n = len(frame)
    if not by:
        return np.zeros(n, dtype=np.intp), pd.DataFrame(index=[0])
    level_codes, level_values, sizes = [], [], []
    for col in by:
        s = frame[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            codes = s.cat.codes.to_numpy().astype(np.intp)
            uniques = pd.Index(s.cat.categories)
        elif _compact_integers(s) is not None:
            arr, lo, hi = _compact_integers(s)
            codes = arr - lo if lo else arr
            uniques = pd.Index(np.arange(lo, hi + 1, dtype=arr.dtype))
        else:
            codes, uniques = pd.factorize(s, sort=True, use_na_sentinel=True)
        if (codes < 0).any():
            codes = np.where(codes < 0, len(uniques), codes)
            uniques = uniques.append(pd.Index([None], dtype=object)) if uniques.dtype == object \
                else pd.Index(list(uniques) + [np.nan])
        level_codes.append(codes)
        level_values.append(uniques)
        sizes.append(max(len(uniques), 1))
    if len(by) == 1:
        return level_codes[0].astype(np.intp), pd.DataFrame({by[0]: level_values[0]})
    combined = np.zeros(n, dtype=np.int64)
    for codes, size in zip(level_codes, sizes):
        combined = combined * size + codes
    total = int(np.prod(sizes, dtype=np.int64))
    if total <= max(4 * n, 1_000_000):
        present = np.flatnonzero(np.bincount(combined, minlength=total))
    else:
        present = np.unique(combined)
    remap = np.searchsorted(present, combined)
    parts = np.unravel_index(present, sizes)
    groups = pd.DataFrame({col: vals.take(idx) for col, vals, idx in zip(by, level_values, parts)})
    return remap.astype(np.intp), groups


def _score_matrix(scores: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer scores 0..10 with 11 for no answer, and a validity check that raises on bad values."""
    if scores.dtype.kind in "iu":  # numpy integers: no missing values possible
        values = scores.to_numpy()
        # one pass: seen as unsigned, a negative score is huge, so max > 10 catches both ends
        as_unsigned = values.view(np.dtype(f"u{values.dtype.itemsize}"))
        if len(values) and as_unsigned.max() > 10:
            bad = np.flatnonzero((values < 0) | (values > 10))
            raise DataError(
                f"score column {scores.name!r} has {len(bad)} value(s) outside 0-10, first at "
                f"positions {bad[:5].tolist()}: {values[bad[:5]].tolist()}; "
                "read the file with nps_kit.read_responses(..., errors='drop') to drop them"
            )
        return values, np.zeros(0, dtype=bool)
    if pd.api.types.is_float_dtype(scores.dtype):
        values = scores.to_numpy(dtype=float, na_value=np.nan)
        missing = np.isnan(values)
        ok = ~missing
        bad = ok & ((values < 0) | (values > 10) | (values != np.round(values)))
        if bad.any():
            idx = np.flatnonzero(bad)
            raise DataError(
                f"score column {scores.name!r} has {len(idx)} invalid value(s) (outside 0-10 or "
                f"fractional), first at positions {idx[:5].tolist()}: {values[idx[:5]].tolist()}; "
                "read the file with nps_kit.read_responses(..., errors='drop') to drop them"
            )
        out = np.where(missing, 11, values).astype(np.intp)
        return out, missing
    parsed = parse_scores(scores)
    if parsed.invalid.any():
        idx = np.flatnonzero(parsed.invalid)
        shown = "; ".join(f"position {i}: {parsed.reasons[i]}" for i in idx[:5])
        raise DataError(
            f"score column {scores.name!r} has {len(idx)} invalid value(s): {shown}; "
            "read the file with nps_kit.read_responses(..., errors='drop') to drop them"
        )
    return _score_matrix(pd.Series(parsed.values, name=scores.name))


def _counts_from_responses(data: pd.DataFrame, score: str, by: list[str]):
    values, _ = _score_matrix(data[score])
    compact = _compact_integers(data[by[0]]) if len(by) == 1 else None
    if compact is not None:
        # one integer group column: its values index the table directly, offset folded in
        arr, lo, hi = compact
        n_groups = hi - lo + 1
        key = np.multiply(arr, 12, dtype=np.int64, casting="unsafe")
        key += values
        if lo:
            key -= 12 * lo
        groups = pd.DataFrame({by[0]: np.arange(lo, hi + 1, dtype=arr.dtype)})
    else:
        codes, groups = _group_codes(data, by)
        n_groups = len(groups)
        key = np.multiply(codes, 12, dtype=np.int64, casting="unsafe")
        key += values
    table = np.bincount(key, minlength=n_groups * 12).reshape(n_groups, 12)
    keep = table.sum(axis=1) > 0
    if not keep.all():
        table = table[keep]
        groups = groups.loc[keep].reset_index(drop=True)
    d = table[:, 0:7].sum(axis=1)
    a = table[:, 7:9].sum(axis=1)
    p = table[:, 9:11].sum(axis=1)
    missing = table[:, 11]
    return groups, d, a, p, missing


def summarize(
    data: pd.DataFrame,
    score: str | None = None,
    by: str | Sequence[str] | None = None,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
    nonresponse: str = "exclude",
    *,
    seed: int | None = 0,
    n_resamples: int = 10_000,
    prior: float = 0.5,
    population=None,
    weights: str | None = None,
    strata: str | None = None,
) -> pd.DataFrame:
    """NPS with intervals overall or per group, one row per group.

    Parameters
    ----------
    data : DataFrame, Ibis table or DuckDB relation
        Either responses, one row per respondent with a 0-10 ``score`` column (numbers or survey
        text; missing = no answer), or an aggregated table with ``detractors``, ``passives`` and
        ``promoters`` columns (``score=None``), as counted in a database; an optional
        ``nonrespondents`` column there counts blank scores for the ``nonresponse`` rule. An Ibis
        table (any backend: DuckDB, PySpark, Postgres, ...) or a DuckDB relation is counted in its
        engine by :mod:`nps_kit.engines.counting` (invalid scores raise, as for a DataFrame) and only the
        counts come back; so is a :class:`nps_kit.engines.reading.SourceResponses`.
    score : str, optional
        Score column. Omit for aggregated input.
    by : str or list of str, optional
        Group columns. Groups are sorted; groups without a row do not appear; rows with a missing
        group value form a group of their own (missing value, listed last), so no row is lost.
    method : {"adjusted-wald", "wald", "score", "bootstrap", "bayes"}
    confidence : float
        Level in (0, 1).
    nonresponse : {"exclude", "detractor", "passive"}
        What a missing score counts as. The chosen rule is reported in every row; keep it fixed
        across waves (METHODS.md, "Study practice").
    seed, n_resamples, prior
        For the resampling methods; see :func:`nps_kit.core.intervals.interval_arrays`.
    population : float, mapping or None
        People who could have answered (sampled without replacement): a number overall, or a
        mapping group value -> number with one ``by`` column. The standard errors get the finite
        population correction (:mod:`nps_kit.core.intervals`), so a plan's margin is the
        reported one. Wald, adjusted Wald and weighted rows.
    weights : str, optional
        A weight column (responses only): the NPS, shares and interval are weighted, with the
        linearised variance of :mod:`nps_kit.core.weighted` (``method`` "linearized"), and an
        ``n_effective`` column (Kish) is added. Counts stay the unweighted answers.
    strata : str, optional
        A stratum column for the weighted variance (each stratum sampled on its own).

    Returns
    -------
    DataFrame
        Group columns, then :data:`SUMMARY_COLUMNS`: ``n`` respondents counted, the three counts
        and shares, ``nps``, ``se``, ``ci_low``, ``ci_high`` in points, the interval method of the
        row (``"score"`` where the chosen one excluded the observed NPS), confidence and
        non-response rule, and ``nonrespondents`` (missing scores in the group).

    Examples
    --------
    >>> df = pd.DataFrame({"score": [10, 9, 3, 7, None], "team": ["a", "a", "b", "b", "b"]})
    >>> summarize(df, "score", by="team", method="wald")[["team", "n", "nps"]]
      team  n    nps
    0    a  2  100.0
    1    b  2  -50.0
    """
    check_option("method", method, METHODS)
    confidence = check_confidence(confidence)
    check_option("nonresponse", nonresponse, NONRESPONSE_POLICIES)
    by_list = as_columns(by)
    if strata is not None and weights is None:
        raise ParameterError("strata work with weights: give the weight column as well "
                             "(a column of 1s for a self-weighting sample)")
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"summarize here takes a DataFrame of responses or counts, got "
                             f"{type(data).__name__}; an Ibis table or DuckDB relation is counted "
                             "where it lives by nps_kit.summarize")
    missing_cols = [c for c in by_list + ([score] if score else []) if c not in data.columns]
    if missing_cols:
        raise DataError(
            f"column(s) {missing_cols} not found; the data has columns {list(data.columns)}"
        )
    if score is None:
        absent = [c for c in COUNT_COLUMNS if c not in data.columns]
        if absent:
            raise DataError(
                "give score=<column> for responses, or a table with columns detractors, passives, "
                f"promoters; missing: {absent}"
            )
        count_cols = list(COUNT_COLUMNS) + (["nonrespondents"] if "nonrespondents" in data.columns else [])
        counts_frame = data[list(by_list) + count_cols]
        values = counts_frame[count_cols].to_numpy(dtype=float, na_value=np.nan)
        bad = ~np.isfinite(values) | (values < 0) | (values != np.round(values))
        if bad.any():
            rows = np.flatnonzero(bad.any(axis=1))
            raise DataError(
                f"counts must be whole numbers >= 0; rows {rows[:5].tolist()} are not: "
                f"{values[rows[:5]].tolist()}"
            )
        if by_list:
            grouped = counts_frame.groupby(by_list, sort=True, observed=True, dropna=False)[count_cols].sum()
            groups = grouped.index.to_frame(index=False)
            d, a, p = (grouped[c].to_numpy(dtype=float) for c in COUNT_COLUMNS)
            missing = grouped[count_cols[3]].to_numpy(dtype=float) if len(count_cols) > 3 else np.zeros(len(d))
        else:
            groups = pd.DataFrame(index=[0])
            d, a, p, missing = (np.array([values[:, i].sum() if i < values.shape[1] else 0.0])
                                for i in range(4))
    elif weights is not None:
        return _weighted_summary(data, score, by_list, weights, strata, confidence, nonresponse,
                                 population)
    else:
        groups, d, a, p, missing = _counts_from_responses(data, score, by_list)
    if weights is not None:
        raise ParameterError("weights need the responses, one row per answer (score=<column>), "
                             "not a table of counts")
    if nonresponse == "detractor":
        d = d + missing
    elif nonresponse == "passive":
        a = a + missing
    n = d + a + p
    res = interval_arrays(d, a, p, method, confidence, seed=seed, n_resamples=n_resamples,
                          prior=prior, population=_per_group(population, groups, by_list))
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = [x / n for x in (d, a, p)]
    out = groups.reset_index(drop=True) if by_list else pd.DataFrame(index=range(len(d)))
    cols = {
        "n": n.astype(np.int64), "detractors": d.astype(np.int64), "passives": a.astype(np.int64),
        "promoters": p.astype(np.int64), "detractor_share": shares[0],
        "passive_share": shares[1], "promoter_share": shares[2], "nps": res["nps"], "se": res["se"],
        "ci_low": res["low"], "ci_high": res["high"],
        "method": row_methods(method, res["fallback"]),
        "confidence": confidence, "nonresponse": nonresponse,
        "nonrespondents": np.asarray(missing).astype(np.int64),
    }
    return out.assign(**cols)


def _per_group(population, groups: pd.DataFrame, by_list: list[str]):
    """The population of each group: a number overall, or a mapping with one group column."""
    if population is None:
        return None
    if isinstance(population, dict) or hasattr(population, "items"):
        if len(by_list) != 1:
            raise ParameterError("a population per group needs exactly one group column (by=...)")
        values = groups[by_list[0]].tolist()
        missing = [v for v in values if v not in population]
        if missing:
            raise ParameterError(f"no population given for group(s) {missing[:5]}; give one for "
                                 "every group, or leave population out")
        return np.array([float(population[v]) for v in values])
    if by_list:
        raise ParameterError("population is one number for the whole data; with groups (by=...) "
                             "give a mapping group -> population")
    return float(population)


def _weighted_summary(data, score, by_list, weights, strata, confidence, nonresponse, population):
    from nps_kit.core.weighted import WEIGHTED_METHOD, check_weights, weighted_arrays

    missing_cols = [c for c in (weights, strata) if c and c not in data.columns]
    if missing_cols:
        raise DataError(f"column(s) {missing_cols} not found; the data has columns "
                        f"{list(data.columns)}")
    values, _ = _score_matrix(data[score])
    w = check_weights(data[weights], weights)
    s = np.select([values <= 6, values <= 8, values <= 10], [-1.0, 0.0, 1.0], default=np.nan)
    blank = values == 11
    if nonresponse == "detractor":
        s = np.where(blank, -1.0, s)
    elif nonresponse == "passive":
        s = np.where(blank, 0.0, s)
    codes, groups = _group_codes(data, by_list)
    keep = ~np.isnan(s)
    n_groups = len(groups)
    missing = np.bincount(codes[blank], minlength=n_groups) if nonresponse == "exclude" \
        else np.zeros(n_groups, dtype=np.int64)
    strata_codes = None
    if strata:
        strata_codes = pd.factorize(data[strata].astype(object).where(data[strata].notna(),
                                                                       "(blank)"))[0][keep]
    res = weighted_arrays(codes[keep], n_groups, s[keep], w[keep], strata_codes, confidence,
                          population=_per_group(population, groups, by_list))
    counts = [np.bincount(codes[keep], weights=(s[keep] == k).astype(float), minlength=n_groups)
              for k in (-1.0, 0.0, 1.0)]
    present = (res["n"] > 0) | (missing > 0)
    out = groups.reset_index(drop=True) if by_list else pd.DataFrame(index=range(n_groups))
    cols = {
        "n": res["n"].astype(np.int64), "detractors": counts[0].astype(np.int64),
        "passives": counts[1].astype(np.int64), "promoters": counts[2].astype(np.int64),
        "detractor_share": res["detractor_share"], "passive_share": res["passive_share"],
        "promoter_share": res["promoter_share"], "nps": res["nps"], "se": res["se"],
        "ci_low": res["low"], "ci_high": res["high"], "method": WEIGHTED_METHOD,
        "confidence": confidence, "nonresponse": nonresponse,
        "nonrespondents": np.asarray(missing).astype(np.int64), "n_effective": res["n_effective"],
    }
    out = out.assign(**cols)
    return out.loc[present].reset_index(drop=True)


__all__ = ["COUNT_COLUMNS", "summarize", "SUMMARY_COLUMNS"]
