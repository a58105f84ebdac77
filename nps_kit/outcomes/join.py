"""Joining survey responses to customer outcomes by id, with an account of every row left out.

Each response's category (detractor, passive, promoter) is attached to what the customer did
afterwards (LTV, churn, repeat purchases). Nothing is lost silently: responses without a score,
outside the outcome window or without an outcome, outcome rows without a response, and missing
ids are counted in :class:`JoinResult` and listed in its ``dropped`` table.

Outcome window
--------------
A customer who answered several waves must count once in respondent-level statistics. The rule
is a parameter, ``window``:

``"latest"`` (default)
    Each customer's latest *scored* response (latest by the wave column's sort order, e.g.
    ``2024-H1 < 2024-H2``); earlier responses are reported as superseded. Suits outcomes measured
    after the last wave, as in the demo data.
``"wave"``
    Only the responses of one wave (``wave_value=...``); the others are reported as outside the
    window.
``"all"``
    Every scored response: for the aggregate level (one point per wave and segment) only. The
    respondent-level functions refuse data in which an id occurs twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from nps_kit.errors import DataError, ParameterError, check_option
from nps_kit.data.keys import DEFAULT_CUSTOMER_ID_COLUMN, DEFAULT_ID_COLUMN, DEFAULT_WAVE_COLUMN
from nps_kit.core.scores import CATEGORY_DTYPE, category_codes
from nps_kit.core.columns import require_columns

WINDOWS: tuple[str, ...] = ("latest", "wave", "all")
"""Rules choosing which responses of a customer enter the join (see the module docstring)."""


DROP_COLUMNS: tuple[str, ...] = ("source", "file", "row", "id", "reason")
"""Columns of the table of responses and outcomes left out of a join."""


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
    notes : tuple of str
        How the files were read where a default did not fit (see :mod:`nps_kit.data.keys`).
    score : str or None
        The score column of ``data`` when it was found by :func:`load_value_data` (a
        survey-tool export's score may be named by its question text).
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
    notes: tuple[str, ...] = ()
    score: str | None = None

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
    """Ids as stripped strings (so 101, 101.0 and "101" match); missing stays None."""
    if pd.api.types.is_float_dtype(values.dtype):
        v = values.to_numpy(dtype=float)
        finite = np.isfinite(v)
        if (v[finite] == np.round(v[finite])).all():  # integer ids read as float beside blanks
            values = values.astype("Int64")
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
        :func:`nps_kit.read_responses` returns it (its ``row`` index gives the file rows).
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

    Examples
    --------
    >>> r = pd.DataFrame({"respondent_id": ["a", "a", "b", "z"], "wave": ["w1", "w2", "w1", "w1"],
    ...                   "score": [3.0, 9.0, 7.0, 10.0]})
    >>> o = pd.DataFrame({"customer_id": ["a", "b", "c"], "ltv": [120.0, 80.0, 50.0],
    ...                   "churned": [0, 1, 0]})
    >>> j = join_outcomes(r, o)
    >>> j.data[["respondent_id", "wave", "category", "ltv"]].to_numpy().tolist()
    [['a', 'w2', 'promoter', 120.0], ['b', 'w1', 'passive', 80.0]]
    >>> j.outside_window, j.unmatched_responses, j.unmatched_outcomes
    (1, 1, 1)
    """
    check_option("window", window, WINDOWS)
    if window == "wave" and wave_value is None:
        raise ParameterError("window='wave' needs wave_value=<the wave to keep>, e.g. '2025-H2'")
    if window == "wave" and wave is None:
        raise ParameterError("window='wave' needs the wave column (wave=...)")
    require_columns(responses, [respondent_id, score, wave], responses_file)
    outcome_cols = [c for c in (ltv, churn) if c is not None] + list(numeric)
    require_columns(outcomes, [customer_id, *outcome_cols], outcomes_file)

    r_rows = _file_rows(responses)
    o_rows = _file_rows(outcomes)
    outcomes = _check_outcome_values(outcomes, o_rows, outcomes_file,
                                     [c for c in [ltv, *numeric] if c is not None],
                                     [churn] if churn is not None else [])
    r_ids = _id_strings(responses[respondent_id])
    o_ids = _id_strings(outcomes[customer_id])

    o_has = pd.notna(o_ids)
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
    r_has = pd.notna(r_ids)
    parts.append(_drop_table("responses", responses_file, r_rows[~r_has], r_ids[~r_has], _NO_ID))
    scores = pd.to_numeric(responses[score], errors="coerce").to_numpy(dtype=float)
    scored = np.isfinite(scores)
    bad = scored & ((scores < 0) | (scores > 10) | (scores != np.round(scores)))
    if bad.any():
        idx = np.flatnonzero(bad)
        raise DataError(
            f"{responses_file}: column {score!r} has values that are not 0-10 scores: "
            + "; ".join(f"row {r_rows[i]}: {scores[i]!r}" for i in idx[:5])
            + ". Read the file with nps_kit.read_responses, which parses and checks scores."
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
    respondent_id: str = DEFAULT_ID_COLUMN,
    customer_id: str = DEFAULT_CUSTOMER_ID_COLUMN,
    score: str = "score",
    wave: str | None = DEFAULT_WAVE_COLUMN,
    window: str = "latest",
    wave_value: str | None = None,
    ltv: str | None = "ltv",
    churn: str | None = "churned",
    numeric: tuple[str, ...] | list[str] = (),
    customers: str | Path | None = None,
    customer_columns: tuple[str, ...] | list[str] = (),
    export: str = "auto",
    date: str | None = None,
    period: str = "month",
) -> JoinResult:
    """Read a responses file and an outcomes file (``demo:`` paths work) and join them.

    The responses are read strictly with :func:`nps_kit.read_responses` (invalid scores or an
    id repeated within a wave raise a DataError naming the rows). ``customers`` optionally names a
    third file, one row per customer, whose ``customer_columns`` (e.g. ``annual_revenue``) are
    added to the outcomes by ``customer_id`` before the join; a customer missing there gets
    missing values in those columns. Other parameters as in :func:`join_outcomes`.

    Defaults that do not fit the responses are handled as :mod:`nps_kit.data.keys` says: without a
    ``respondent_id`` column the responses are joined on their ``customer_id`` column; without
    the default ``wave`` column each customer's one response is used. Both are said in
    :attr:`JoinResult.notes`. ``export`` is the layout of the responses file
    (:mod:`nps_kit.data.layouts`); the score column found is :attr:`JoinResult.score`.
    ``date`` and ``period`` roll a date column up to periods that act as the waves
    (:mod:`nps_kit.core.periods`).
    """
    from nps_kit.engines.dispatch import read_responses, read_table
    from nps_kit.data.paths import resolve_path

    loaded = read_responses(responses, score, id=respondent_id, wave=wave, errors="raise",
                            id_fallbacks=(customer_id,), wave_optional=wave == DEFAULT_WAVE_COLUMN,
                            export=export, date=date, period=period)
    respondent_id, wave, score = loaded.id, loaded.wave, loaded.score
    out = read_table(outcomes)
    first = 1 if resolve_path(outcomes).suffix.lower() in (".parquet", ".pq") else 2
    out.index = pd.Index(np.arange(len(out)) + first, name="row")
    if customers is not None:
        cust = read_table(customers)
        cols = list(customer_columns)
        require_columns(cust, [customer_id, *cols], str(customers))
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
    joined = join_outcomes(
        loaded.data, out, respondent_id=respondent_id, customer_id=customer_id, score=score,
        wave=wave, window=window, wave_value=wave_value, ltv=ltv, churn=churn,
        numeric=list(numeric) + [c for c in customer_columns if c not in numeric],
        responses_file=str(responses), outcomes_file=str(outcomes),
    )
    return replace(joined, notes=loaded.notes + joined.notes, score=score)


__all__ = ["DROP_COLUMNS", "join_outcomes", "JoinResult", "load_value_data", "WINDOWS"]
