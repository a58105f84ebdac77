"""NPS against customer value: joining survey answers to outcomes, and respondent-level statistics.

The questions: do promoters bring more revenue (LTV) and churn less than detractors, and by how
much? This module joins each respondent's category to what the customer did afterwards and
summarises outcomes by category with intervals. Regressions and the what-if estimate live in
:mod:`nps_kit.value_models`; NPS against outcomes across waves and segments in
:mod:`nps_kit.value_aggregate`.

Every association here is observational: promoters may spend more because they are larger or
older customers, and customers who had already left could not answer (survivorship). The
functions say so in their results; the template repeats it.

Outcome window
--------------
A customer who answered several waves must count once in respondent-level statistics. The rule
is a parameter, ``window``:

``"latest"`` (default)
    Each customer's latest *scored* response (latest by the wave column's sort order, e.g.
    ``2024-H1 < 2024-H2``); earlier responses are reported as superseded. Suits outcomes measured
    after the last wave, as in the demo data.
``"wave"``
    Only the responses of one wave (``wave=...``); the others are reported as outside the window.
``"all"``
    Every scored response: for the aggregate level (one point per wave and segment) only. The
    respondent-level functions refuse data in which an id occurs twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from nps_kit.errors import DataError, ParameterError, check_confidence, check_option
from nps_kit.scores import CATEGORIES, CATEGORY_DTYPE, category_codes

WINDOWS: tuple[str, ...] = ("latest", "wave", "all")
"""Rules choosing which responses of a customer enter the join (see the module docstring)."""

MEAN_INTERVALS: tuple[str, ...] = ("t", "bootstrap")
"""Interval methods for mean LTV by category."""

CORRELATION_INTERVALS: tuple[str, ...] = ("fisher", "bootstrap")
"""Interval methods for a rank correlation."""

DROP_COLUMNS: tuple[str, ...] = ("source", "file", "row", "id", "reason")
"""Columns of the table of responses and outcomes left out of a join."""

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

_NO_SCORE = "no score (the respondent declined the question)"
_SUPERSEDED = "earlier response of a customer with a later scored response (window 'latest')"
_OTHER_WAVE = "response from another wave (window 'wave')"
_NO_OUTCOME = "respondent id not found in the outcomes"
_NO_RESPONSE = "customer without a scored response in the window"
_NO_ID = "missing id"


@dataclass(frozen=True)
class JoinResult:
    """Responses joined to outcomes, with an account of everything left out.

    Attributes
    ----------
    data : DataFrame
        One row per kept response: the response columns, a ``category`` column (ordered
        categorical detractor < passive < promoter) and the outcome columns (outcome columns whose
        name clashes with a response column get the suffix ``_outcome``).
    dropped : DataFrame
        One row per response or outcome row left out: ``source`` ("responses" or "outcomes"),
        ``file``, ``row`` (as in the file), ``id`` and ``reason``. Contains identifiers: do not
        put it in a shared report.
    window : str
    wave : str or None
    responses_read, outcomes_read, matched : int
    no_score, outside_window, unmatched_responses, unmatched_outcomes, missing_id : int
        ``responses_read == matched + no_score + outside_window + unmatched_responses +
        missing_id_responses`` and ``outcomes_read == matched + unmatched_outcomes +
        missing_id_outcomes`` (with window ``"all"``, matched counts responses, so several may
        share one outcome row).
    """

    data: pd.DataFrame = field(repr=False)
    dropped: pd.DataFrame = field(repr=False)
    window: str
    wave: str | None
    id: str
    responses_read: int
    outcomes_read: int
    matched: int
    no_score: int
    outside_window: int
    unmatched_responses: int
    unmatched_outcomes: int
    missing_id_responses: int
    missing_id_outcomes: int

    @property
    def counts(self) -> dict[str, int]:
        """The counts as a plain dict (for JSON and recorded results)."""
        names = ("responses_read", "outcomes_read", "matched", "no_score", "outside_window",
                 "unmatched_responses", "unmatched_outcomes", "missing_id_responses",
                 "missing_id_outcomes")
        return {k: int(getattr(self, k)) for k in names}

    @property
    def unmatched_responses_table(self) -> pd.DataFrame:
        """Responses whose id is not in the outcomes (file, row, id)."""
        d = self.dropped
        return d.loc[(d["source"] == "responses") & (d["reason"] == _NO_OUTCOME)].reset_index(drop=True)

    @property
    def unmatched_outcomes_table(self) -> pd.DataFrame:
        """Outcome rows without a kept response (file, row, id)."""
        d = self.dropped
        return d.loc[(d["source"] == "outcomes") & (d["reason"] == _NO_RESPONSE)].reset_index(drop=True)

    @property
    def summary(self) -> pd.DataFrame:
        """Counts of the join, one row per outcome of a row (no identifiers)."""
        rows = [
            ("responses", "read", self.responses_read),
            ("responses", "matched to an outcome", self.matched),
            ("responses", _NO_SCORE, self.no_score),
            ("responses", _SUPERSEDED if self.window == "latest" else _OTHER_WAVE, self.outside_window),
            ("responses", _NO_OUTCOME, self.unmatched_responses),
            ("responses", _NO_ID, self.missing_id_responses),
            ("outcomes", "read", self.outcomes_read),
            ("outcomes", _NO_RESPONSE, self.unmatched_outcomes),
            ("outcomes", _NO_ID, self.missing_id_outcomes),
        ]
        if self.window == "all":
            rows.pop(3)
        return pd.DataFrame(rows, columns=["source", "what", "rows"])

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def _file_rows(frame: pd.DataFrame, first_row: int = 2) -> np.ndarray:
    """Row numbers as seen in the file: the index when it is named ``row`` (as read_responses
    leaves it), else position + first_row."""
    if frame.index.name == "row":
        return frame.index.to_numpy(dtype=np.int64)
    return np.arange(len(frame), dtype=np.int64) + first_row


def _id_strings(values: pd.Series) -> np.ndarray:
    """Ids as stripped strings (so 101 and "101" match); missing stays None."""
    s = values.astype(object)
    miss = s.isna().to_numpy()
    out = s.astype(str).str.strip().to_numpy(dtype=object)
    out[miss | (out == "")] = None
    return out


def _drop_table(source, file, rows, ids, reason) -> pd.DataFrame:
    n = len(rows)
    return pd.DataFrame({
        "source": np.full(n, source, dtype=object), "file": np.full(n, file, dtype=object),
        "row": np.asarray(rows, dtype=np.int64), "id": np.asarray(ids, dtype=object),
        "reason": np.full(n, reason, dtype=object) if isinstance(reason, str) else reason,
    }, columns=list(DROP_COLUMNS))


def _require(frame: pd.DataFrame, columns, file: str) -> None:
    missing = [c for c in columns if c is not None and c not in frame.columns]
    if missing:
        raise DataError(
            f"{file}: column(s) {', '.join(repr(c) for c in missing)} not found; the file has "
            f"columns: {', '.join(repr(c) for c in frame.columns)}. Pass the right column names."
        )


def _check_outcome_values(outcomes: pd.DataFrame, rows: np.ndarray, file: str,
                          numeric: list[str], binary: list[str]) -> pd.DataFrame:
    """Numeric outcome columns as floats, 0/1 columns as floats 0/1; bad values raise DataError."""
    out = {}
    for col in numeric + binary:
        raw = outcomes[col]
        if pd.api.types.is_bool_dtype(raw.dtype):
            num = raw.astype(float)
        else:
            num = pd.to_numeric(raw, errors="coerce")
        bad = (num.isna() & raw.notna()).to_numpy().copy()
        if col in binary:
            bad |= (num.notna() & ~num.isin([0.0, 1.0])).to_numpy()
        if bad.any():
            idx = np.flatnonzero(bad)
            shown = "; ".join(f"row {rows[i]}: {raw.iloc[i]!r}" for i in idx[:5])
            what = "0 or 1 (1 = churned)" if col in binary else "a number"
            raise DataError(
                f"{file}: column {col!r} must hold {what}; {len(idx)} row(s) do not: {shown}"
                f"{' ...' if len(idx) > 5 else ''}. Correct these values in the file."
            )
        out[col] = num.to_numpy(dtype=float)
    return outcomes.assign(**out)


def join_outcomes(
    responses: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    respondent_id: str = "respondent_id",
    customer_id: str = "customer_id",
    score: str = "score",
    wave: str | None = "wave",
    window: str = "latest",
    wave_value: str | None = None,
    ltv: str | None = "ltv",
    churn: str | None = "churned",
    numeric: tuple[str, ...] | list[str] = (),
    responses_file: str = "responses",
    outcomes_file: str = "outcomes",
) -> JoinResult:
    """Join survey responses to customer outcomes by id and report what did not match.

    Parameters
    ----------
    responses : DataFrame
        One row per response, with a 0-10 score column (numbers; NaN = declined) as
        :func:`nps_kit.io.read_responses` returns it (its ``row`` index gives the file rows).
    outcomes : DataFrame
        One row per customer: id and outcome columns (LTV, churn 0/1, ...).
    respondent_id, customer_id : str
        Id columns of responses and outcomes; ids are compared as text (``101`` matches ``"101"``).
    score : str
        Score column of the responses.
    wave : str or None
        Wave column of the responses (orders responses for ``window="latest"``).
    window : {"latest", "wave", "all"}
        Which responses of a customer enter: see the module docstring.
    wave_value : str, optional
        The wave kept with ``window="wave"``.
    ltv, churn : str or None
        Outcome columns checked as numbers and as 0/1; None skips the check.
    numeric : sequence of str
        Further outcome columns that must be numbers (e.g. ``repeat_purchases``, revenue).
    responses_file, outcomes_file : str
        File names used in messages and in the ``dropped`` table.

    Returns
    -------
    JoinResult

    Raises
    ------
    DataError
        A column is missing; an outcome value is not a number or not 0/1; a customer id occurs
        more than once in the outcomes (the message lists ids and rows); with ``window="latest"``
        a respondent has two responses in the same wave (or two without a wave column).
    """
    check_option("window", window, WINDOWS)
    if window == "wave" and wave_value is None:
        raise ParameterError("window='wave' needs wave_value=<the wave to keep>, e.g. '2025-H2'")
    if window == "wave" and wave is None:
        raise ParameterError("window='wave' needs the wave column (wave=...)")
    _require(responses, [respondent_id, score, wave], responses_file)
    outcome_cols = [c for c in (ltv, churn) if c is not None] + list(numeric)
    _require(outcomes, [customer_id, *outcome_cols], outcomes_file)

    r_rows = _file_rows(responses)
    o_rows = _file_rows(outcomes)
    outcomes = _check_outcome_values(outcomes, o_rows, outcomes_file,
                                     [c for c in [ltv, *numeric] if c is not None],
                                     [churn] if churn is not None else [])
    r_ids = _id_strings(responses[respondent_id])
    o_ids = _id_strings(outcomes[customer_id])

    o_has = np.array([v is not None for v in o_ids], dtype=bool)
    dup = pd.Series(o_ids).duplicated(keep=False).to_numpy() & o_has
    if dup.any():
        sub = pd.DataFrame({"id": o_ids[dup], "row": o_rows[dup]})
        listed = sub.groupby("id", sort=False)["row"].agg(lambda s: ", ".join(map(str, s)))
        shown = "; ".join(f"{i!r} in rows {rows}" for i, rows in listed.head(5).items())
        raise DataError(
            f"{outcomes_file}: column {customer_id!r} must identify one customer per row, but "
            f"{len(listed)} id(s) occur more than once: {shown}{' ...' if len(listed) > 5 else ''}. "
            "Keep one row per customer (aggregate the outcomes first)."
        )

    parts = []
    r_has = np.array([v is not None for v in r_ids], dtype=bool)
    parts.append(_drop_table("responses", responses_file, r_rows[~r_has], r_ids[~r_has], _NO_ID))
    scores = pd.to_numeric(responses[score], errors="coerce").to_numpy(dtype=float)
    scored = np.isfinite(scores)
    bad = scored & ((scores < 0) | (scores > 10) | (scores != np.round(scores)))
    if bad.any():
        idx = np.flatnonzero(bad)
        raise DataError(
            f"{responses_file}: column {score!r} has values that are not 0-10 scores: "
            + "; ".join(f"row {r_rows[i]}: {scores[i]!r}" for i in idx[:5])
            + ". Read the file with nps_kit.io.read_responses, which parses and checks scores."
        )
    no_score = r_has & ~scored
    parts.append(_drop_table("responses", responses_file, r_rows[no_score], r_ids[no_score], _NO_SCORE))
    keep = r_has & scored

    outside = np.zeros(len(responses), dtype=bool)
    if window == "wave":
        outside = keep & (responses[wave].astype(str).to_numpy() != str(wave_value))
        if not (keep & ~outside).any():
            waves = sorted(pd.unique(responses[wave].dropna().astype(str)))
            raise DataError(
                f"{responses_file}: no scored response in wave {wave_value!r} (column {wave!r}); "
                f"the waves are: {', '.join(waves)}"
            )
        parts.append(_drop_table("responses", responses_file, r_rows[outside], r_ids[outside], _OTHER_WAVE))
    elif window == "latest":
        order_key = (responses[wave].astype(str).to_numpy() if wave is not None
                     else np.zeros(len(responses), dtype=object))
        cand = pd.DataFrame({"id": r_ids, "key": order_key, "pos": np.arange(len(responses))}).loc[keep]
        tied = cand.duplicated(["id", "key"], keep=False).to_numpy()
        if tied.any():
            t = cand.loc[tied]
            shown = "; ".join(f"{i!r} in rows {r_rows[p]}" for i, p in zip(t["id"].head(6), t["pos"].head(6)))
            where = f"the same wave ({wave!r})" if wave is not None else "the file (no wave column given)"
            raise DataError(
                f"{responses_file}: respondent id(s) with several scored responses in {where}: "
                f"{shown}. The latest response cannot be chosen; give the wave column or remove "
                "the duplicates."
            )
        latest = cand.sort_values(["id", "key"], kind="stable").drop_duplicates("id", keep="last")
        outside = keep.copy()
        outside[latest["pos"].to_numpy()] = False
        parts.append(_drop_table("responses", responses_file, r_rows[outside], r_ids[outside], _SUPERSEDED))
    keep &= ~outside

    in_outcomes = pd.Index(o_ids[o_has])
    found = keep & pd.Index(r_ids).isin(in_outcomes)
    unmatched = keep & ~found
    parts.append(_drop_table("responses", responses_file, r_rows[unmatched], r_ids[unmatched], _NO_OUTCOME))

    answered = pd.Index(r_ids[found])
    o_unmatched = o_has & ~pd.Index(o_ids).isin(answered)
    parts.append(_drop_table("outcomes", outcomes_file, o_rows[~o_has], o_ids[~o_has], _NO_ID))
    parts.append(_drop_table("outcomes", outcomes_file, o_rows[o_unmatched], o_ids[o_unmatched], _NO_RESPONSE))

    left = responses.loc[found].copy()
    left.index = pd.Index(r_rows[found], name="row")
    left["_key"] = r_ids[found]
    left["category"] = pd.Categorical.from_codes(category_codes(scores[found]), dtype=CATEGORY_DTYPE)
    right = outcomes.loc[o_has].drop(columns=[customer_id])
    clash = {c: f"{c}_outcome" for c in right.columns if c in left.columns}
    right = right.rename(columns=clash)
    right["_key"] = o_ids[o_has]
    data = left.reset_index().merge(right, on="_key", how="left", validate="many_to_one")
    data = data.drop(columns="_key").set_index("row")
    data[score] = scores[found]

    dropped = pd.concat([p for p in parts if len(p)] or [_drop_table("responses", "", [], [], "")],
                        ignore_index=True)
    return JoinResult(
        data=data, dropped=dropped, window=window, wave=None if wave_value is None else str(wave_value),
        id=respondent_id, responses_read=int(len(responses)), outcomes_read=int(len(outcomes)),
        matched=int(found.sum()), no_score=int(no_score.sum()), outside_window=int(outside.sum()),
        unmatched_responses=int(unmatched.sum()), unmatched_outcomes=int(o_unmatched.sum()),
        missing_id_responses=int((~r_has).sum()), missing_id_outcomes=int((~o_has).sum()),
    )


def load_value_data(
    responses: str | Path,
    outcomes: str | Path,
    *,
    respondent_id: str = "respondent_id",
    customer_id: str = "customer_id",
    score: str = "score",
    wave: str | None = "wave",
    window: str = "latest",
    wave_value: str | None = None,
    ltv: str | None = "ltv",
    churn: str | None = "churned",
    numeric: tuple[str, ...] | list[str] = (),
    customers: str | Path | None = None,
    customer_columns: tuple[str, ...] | list[str] = (),
) -> JoinResult:
    """Read a responses file and an outcomes file (``demo:`` paths work) and join them.

    The responses are read strictly with :func:`nps_kit.io.read_responses` (invalid scores or an
    id repeated within a wave raise a DataError naming the rows). ``customers`` optionally names a
    third file, one row per customer, whose ``customer_columns`` (e.g. ``annual_revenue``) are
    added to the outcomes by ``customer_id`` before the join; a customer missing there gets
    missing values in those columns. Other parameters as in :func:`join_outcomes`.
    """
    from nps_kit.io import read_responses, read_table, resolve_path

    loaded = read_responses(responses, score, id=respondent_id, wave=wave, errors="raise")
    out = read_table(outcomes)
    first = 1 if resolve_path(outcomes).suffix.lower() in (".parquet", ".pq") else 2
    out.index = pd.Index(np.arange(len(out)) + first, name="row")
    if customers is not None:
        cust = read_table(customers)
        cols = list(customer_columns)
        _require(cust, [customer_id, *cols], str(customers))
        cids = _id_strings(cust[customer_id])
        dup = pd.Series(cids).duplicated(keep=False).to_numpy() & pd.notna(cids)
        if dup.any():
            rows = np.flatnonzero(dup)[:5] + 2
            raise DataError(f"{customers}: customer ids repeat in column {customer_id!r} (rows "
                            f"{', '.join(map(str, rows))}); keep one row per customer")
        extra = cust[cols].set_axis(cids, axis=0)
        oids = _id_strings(out[customer_id])
        add = extra.reindex(pd.Index(oids)).set_axis(out.index, axis=0)
        out = out.assign(**{c: add[c] for c in cols if c not in out.columns})
    return join_outcomes(
        loaded.data, out, respondent_id=respondent_id, customer_id=customer_id, score=score,
        wave=wave, window=window, wave_value=wave_value, ltv=ltv, churn=churn,
        numeric=list(numeric) + [c for c in customer_columns if c not in numeric],
        responses_file=str(responses), outcomes_file=str(outcomes),
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


def _categories(data: pd.DataFrame, category: str) -> pd.Categorical:
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
    groups = _group_values(data, outcome, _categories(data, category))
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
    groups = _group_values(data, outcome, _categories(data, category))
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
    cats = _categories(data, category)
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
    z = stats.norm.ppf(0.5 + confidence / 2.0)
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
class RevenueAtRisk:
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


def revenue_at_risk(
    data: pd.DataFrame,
    revenue: str = "annual_revenue",
    churn: str = "churned",
    category: str = "category",
    confidence: float = 0.95,
    *,
    id: str | None = None,
) -> RevenueAtRisk:
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
    RevenueAtRisk
    """
    confidence = check_confidence(confidence)
    check_one_per_customer(data, id)
    cats = _categories(data, category)
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
    z = stats.norm.ppf(0.5 + confidence / 2.0)
    rtot = float(R.sum())
    return RevenueAtRisk(
        table=table, detractor_loss=float(table["expected_loss"][0]),
        detractor_low=float(table["loss_ci_low"][0]), detractor_high=float(table["loss_ci_high"][0]),
        total_loss=total, total_low=max(0.0, total - z * np.sqrt(var)),
        total_high=min(rtot, total + z * np.sqrt(var)), revenue_total=rtot, confidence=confidence,
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
    groups = _group_values(data, outcome, _categories(data, category))
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
