"""Counting responses where they live: Ibis expressions from rows to NPS counts.

Every statistic in nps-kit depends on the data only through counts: three per group
(detractors, passives, promoters) and nine per transition table of a panel. This module writes
those counts as Ibis expressions, so one GROUP BY runs in whichever engine holds the rows
(DuckDB on a laptop, the embedded default; PySpark, Postgres, BigQuery, Snowflake, ... through
their Ibis backends) and only a table of counts comes back to Python.

The strict loading rules of :mod:`nps_kit.data.files` are written in the same expressions. Each row gets
a *score code*:

==========  =================================================================================
0 .. 10     a valid score
11          no answer (NULL, NaN, blank or one of :data:`nps_kit.core.scores.NA_TOKENS`)
12          not a 0-10 score (text without a leading number: ``"ten"``, ``"great"``)
13          a fractional score (``8.5``)
14          a score outside 0-10 (``11``, ``-2``)
==========  =================================================================================

Text scores follow :func:`nps_kit.core.scores.parse_scores`: a leading number with an optional
label (``"10 (Very Likely)"``), matched with one regular expression that DuckDB (RE2) and Spark
(Java) read the same way. Nothing is coerced: a text score that is not a number is code 12, not
NULL. A respondent id that repeats within a wave is flagged by a window count over
(wave, id).

Functions here build expressions; running them is the caller's (:mod:`nps_kit.engines.sources` runs
them and turns the codes into the dropped-row report).

Categories follow Reichheld (2003, "The one number you need to grow", Harvard Business Review
81(12)): detractors 0-6, passives 7-8, promoters 9-10; NPS = % promoters - % detractors, and every
estimator in nps-kit needs only these counts (METHODS.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from nps_kit.errors import DataError, check_option
from nps_kit.core.scores import NA_TOKENS, NONRESPONSE_POLICIES
from nps_kit.core.columns import as_columns

CODE_NO_ANSWER = 11
CODE_NOT_A_SCORE = 12
CODE_FRACTIONAL = 13
CODE_OUT_OF_RANGE = 14
INVALID_CODES: tuple[int, ...] = (CODE_NOT_A_SCORE, CODE_FRACTIONAL, CODE_OUT_OF_RANGE)

CODE = "_nps_code"
"""Column of the score code in the expressions built here."""
DUP = "_nps_dup"
"""Column flagging a respondent id that repeats within its wave."""
TIMES = "_nps_times"
"""Column with the number of rows of that id in that wave."""
N = "_nps_n"

COUNT_TABLE_COLUMNS: tuple[str, ...] = ("detractors", "passives", "promoters", "nonrespondents")
"""Columns of :func:`counts_expr` after the group columns."""

# The score text of nps_kit.core.scores (_SCORE_TEXT), written once for RE2 and Java regex: the
# label's first character is an opening bracket, dash, colon, comma, semicolon, a Latin letter
# or any character from U+00C0 on (written literally, so both engines read the same class).
SCORE_PATTERN = r"^\s*([+-]?\d+(?:\.\d*)?)\s*(?:([(\-–—:,;A-Za-z" + "\u00c0-\uffff" + r"].*?))?\s*$"


def _column(table: ir.Table, name: str) -> ir.Column:
    if name not in table.columns:
        raise DataError(f"column {name!r} not found; the table has columns: "
                        + ", ".join(repr(c) for c in table.columns))
    return table[name]


def score_number(table: ir.Table, score: str) -> ir.FloatingColumn:
    """The number a score cell holds, as float (NULL for no answer and for text without one)."""
    s = _column(table, score)
    dtype = s.type()
    if dtype.is_integer() or dtype.is_floating() or dtype.is_decimal():
        return s.cast("float64")
    text = s if dtype.is_string() else s.cast("string")
    return text.re_extract(SCORE_PATTERN, 1).nullif("").try_cast("float64")


def score_code(table: ir.Table, score: str) -> ir.IntegerColumn:
    """Score code per row (0-10 valid, 11 no answer, 12-14 invalid; see the module docstring).

    Parameters
    ----------
    table : ibis Table
    score : str
        Score column: integer, floating, decimal or text (any other type is read as text).

    Returns
    -------
    ibis integer column

    Raises
    ------
    DataError
        The column holds true/false values.
    """
    s = _column(table, score)
    dtype = s.type()
    if dtype.is_boolean():
        raise DataError(f"score column {score!r} holds true/false values, not 0-10 scores")
    if dtype.is_integer():
        return ibis.cases(
            (s.isnull(), CODE_NO_ANSWER),
            ((s >= 0) & (s <= 10), s.cast("int8")),
            else_=CODE_OUT_OF_RANGE,
        ).cast("int8")
    if dtype.is_floating() or dtype.is_decimal():
        f = s.cast("float64")
        return ibis.cases(
            (f.isnull() | f.isnan(), CODE_NO_ANSWER),
            (f.isinf(), CODE_OUT_OF_RANGE),
            ((f % 1.0) != 0.0, CODE_FRACTIONAL),
            ((f < 0.0) | (f > 10.0), CODE_OUT_OF_RANGE),
            else_=f.cast("int8"),
        ).cast("int8")
    text = s if dtype.is_string() else s.cast("string")
    num = score_number(table, score)
    return ibis.cases(
        (text.isnull(), CODE_NO_ANSWER),
        (text.strip().lower().isin(sorted(NA_TOKENS)), CODE_NO_ANSWER),
        (~text.re_search(SCORE_PATTERN) | num.isnull(), CODE_NOT_A_SCORE),
        ((num % 1.0) != 0.0, CODE_FRACTIONAL),
        ((num < 0.0) | (num > 10.0), CODE_OUT_OF_RANGE),
        else_=num.cast("int8"),
    ).cast("int8")


def score_label(table: ir.Table, score: str) -> ir.StringColumn | None:
    """The label after the number of a text score (``"(Very Likely)"``); None for number columns."""
    s = _column(table, score)
    if not (s.type().is_string() or not (s.type().is_numeric() or s.type().is_boolean())):
        return None
    text = s if s.type().is_string() else s.cast("string")
    return text.re_extract(SCORE_PATTERN, 2)


def _keys(id: str | None, wave: str | None) -> list[str]:
    return [k for k in (wave, id) if k is not None]


def coded(table: ir.Table, score: str, *, id: str | None = None, wave: str | None = None) -> ir.Table:
    """The table with the score code (:data:`CODE`) and, with an id, the repeat flag (:data:`DUP`)
    and the number of rows of the id in its wave (:data:`TIMES`)."""
    cols = {CODE: score_code(table, score)}
    if id is not None:
        ident = _column(table, id)
        if wave is not None:
            _column(table, wave)
        times = ident.count().over(group_by=[table[k] for k in _keys(id, wave)])
        cols[TIMES] = times
        cols[DUP] = ident.notnull() & (times > 1)
    else:
        cols[DUP] = ibis.literal(False)
    return table.mutate(**cols)


def kept_rows(table: ir.Table, score: str, *, id: str | None = None, wave: str | None = None) -> ir.Table:
    """Rows the strict rules keep: a valid score or no answer, and no repeated id in the wave."""
    x = coded(table, score, id=id, wave=wave)
    return x.filter((x[CODE] <= CODE_NO_ANSWER) & ~x[DUP])


def tally_expr(
    table: ir.Table,
    score: str,
    keys: Sequence[str] = (),
    *,
    id: str | None = None,
    wave: str | None = None,
) -> ir.Table:
    """Rows per (keys, score key, repeat flag): counts and the checks of the strict rules in one pass.

    For an integer score column the score key is the score clamped to -1..11 (NULL kept), one
    branch-free operation, so the pass costs what a bare ``GROUP BY keys, score`` costs;
    :func:`decode_tally` turns it into the score code (-1 and 11 are out of range). For other
    columns the key is the score code itself. Without an id the repeat flag is not grouped on.

    Parameters
    ----------
    table : ibis Table
    score : str
    keys : sequence of str
        Group columns (wave and segments).
    id, wave : str, optional
        Respondent id and wave columns for the repeat check.

    Returns
    -------
    ibis Table
        ``keys``, :data:`CODE` (the score key), :data:`DUP` (with ``id``), :data:`N` (rows).
    """
    s = _column(table, score)
    if s.type().is_integer():
        # greatest/least skip NULLs in most engines, so a blank is kept apart first
        key = ibis.ifelse(s.isnull(), ibis.null("int8"), ibis.greatest(ibis.least(s, 11), -1).cast("int8"))
    else:
        key = score_code(table, score)
    if id is None:
        x = table.mutate(**{CODE: key})
        return x.group_by([*keys, CODE]).agg(**{N: x.count()})
    x = coded(table, score, id=id, wave=wave).mutate(**{CODE: key})
    return x.group_by([*keys, CODE, DUP]).agg(**{N: x.count()})


def decode_tally(tally: pd.DataFrame, table: ir.Table, score: str) -> pd.DataFrame:
    """The result of :func:`tally_expr` with :data:`CODE` as score codes and :data:`DUP` filled in."""
    out = tally.copy()
    if DUP not in out.columns:
        out[DUP] = False
    key = out[CODE]
    if table[score].type().is_integer():
        k = key.to_numpy(dtype=float, na_value=np.nan)
        code = np.where(np.isnan(k), CODE_NO_ANSWER,
                        np.where((k < 0) | (k > 10), CODE_OUT_OF_RANGE, np.nan_to_num(k)))
        out[CODE] = code.astype(np.int64)
    else:
        out[CODE] = key.to_numpy(dtype=np.int64)
    out[DUP] = out[DUP].astype(bool)
    return out


def counts_expr(
    table: ir.Table,
    score: str,
    by: str | Sequence[str] | None = None,
    *,
    id: str | None = None,
    wave: str | None = None,
    nonresponse: str | None = None,
) -> ir.Table:
    """The counts table of the rows the strict rules keep, as one Ibis expression.

    ``detractors`` = rows with score 0-6, ``passives`` 7-8, ``promoters`` 9-10 and
    ``nonrespondents`` rows without an answer, per group of (``wave``, ``by``). Rows with an
    invalid score or a repeated id within the wave (with ``id``) are left out;
    :func:`nps_kit.engines.reading.read_source` counts and reports them. The result feeds
    :func:`nps_kit.core.summary.summarize` (``score=None``), which applies its non-response rule to
    the ``nonrespondents`` column.

    Parameters
    ----------
    table : ibis Table
    score : str
    by : str or list of str, optional
        Group columns.
    id, wave : str, optional
        Respondent id and wave columns; the wave is a group column too.
    nonresponse : {"exclude", "detractor", "passive"}, optional
        Apply the rule in the engine instead: blanks are added to the detractors or passives (or
        left out) and the ``nonrespondents`` column is not returned (so no later step applies a
        rule twice).

    Examples
    --------
    >>> t = ibis.memtable({"score": [10, 9, 3, None, 7], "team": ["a", "a", "b", "b", "b"]})
    >>> counts_expr(t, "score", by="team").order_by("team").to_pandas()
      team  detractors  passives  promoters  nonrespondents
    0    a           0         0          2               0
    1    b           1         1          0               1
    >>> counts_expr(t, "score", nonresponse="detractor").to_pandas()
       detractors  passives  promoters
    0           2         1          2
    """
    by_list = as_columns(by)
    keys = list(dict.fromkeys([*([wave] if wave else []), *by_list]))
    if nonresponse is not None:
        check_option("nonresponse", nonresponse, NONRESPONSE_POLICIES)
    x = kept_rows(table, score, id=id, wave=wave)
    c = x[CODE]
    blank = c == CODE_NO_ANSWER
    metrics = {
        "detractors": ((c <= 6) | (blank if nonresponse == "detractor" else False)).sum().cast("int64"),
        "passives": (((c >= 7) & (c <= 8)) | (blank if nonresponse == "passive" else False)).sum().cast("int64"),
        "promoters": ((c >= 9) & (c <= 10)).sum().cast("int64"),
    }
    if nonresponse is None:
        metrics["nonrespondents"] = blank.sum().cast("int64")
    return x.group_by(keys).agg(**metrics) if keys else x.aggregate(**metrics)


def category_expr(code: ir.IntegerColumn, nonresponse: str = "exclude") -> ir.IntegerColumn:
    """Category per valid code: 0 detractor, 1 passive, 2 promoter; no answer by the rule, else NULL."""
    check_option("nonresponse", nonresponse, NONRESPONSE_POLICIES)
    missing = {"exclude": ibis.null("int8"), "detractor": 0, "passive": 1}[nonresponse]
    return ibis.cases(
        (code <= 6, 0), (code <= 8, 1), (code <= 10, 2), (code == CODE_NO_ANSWER, missing),
        else_=ibis.null("int8"),
    ).cast("int8")


def wave_position_expr(column: ir.Column, order_values: Sequence) -> ir.IntegerColumn:
    """Position of each row's wave in ``order_values`` (NULL for other waves)."""
    cases = [(column == _python(v), i) for i, v in enumerate(order_values)]
    return ibis.cases(*cases, else_=ibis.null("int32")).cast("int32") if cases else \
        ibis.null("int32")


def transitions_expr(
    table: ir.Table,
    score: str,
    wave: str,
    id: str,
    order_values: Sequence,
    pairs: Sequence[tuple[int, int]],
    by: Sequence[str] = (),
    nonresponse: str = "exclude",
) -> ir.Table:
    """3 x 3 transition counts of the respondents matched between waves, as one Ibis expression.

    A respondent is matched between waves ``i`` and ``j`` of a pair when the same id (and the same
    segment, with ``by``) has a counted answer in both. Rows with invalid scores or repeated ids
    are left out, as in :func:`counts_expr`.

    Parameters
    ----------
    table : ibis Table
    score, wave, id : str
    order_values : sequence
        Wave values in order; pairs refer to positions in it.
    pairs : sequence of (int, int)
        Pairs of wave positions (from, to).
    by : sequence of str
        Segment columns: respondents match within their segment.
    nonresponse : {"exclude", "detractor", "passive"}

    Returns
    -------
    ibis Table
        ``_from``, ``_to`` (positions), the ``by`` columns, ``from_category``, ``to_category``
        (0 detractor, 1 passive, 2 promoter) and ``count``; cells without respondents are absent.
    """
    x = kept_rows(table, score, id=id, wave=wave)
    x = x.filter(x[id].notnull())
    x = x.mutate(_w=wave_position_expr(x[wave], order_values), _cat=category_expr(x[CODE], nonresponse))
    x = x.filter(x._w.notnull() & x._cat.notnull())
    seg = {f"_s{k}": x[c] for k, c in enumerate(by)}
    a = x.select(_wa=x._w, _ca=x._cat, _ida=x[id], **{f"{k}a": v for k, v in seg.items()})
    b = x.select(_wb=x._w, _cb=x._cat, _idb=x[id], **{f"{k}b": v for k, v in seg.items()}).view()
    if not pairs:
        pairs = [(-1, -1)]
    pair_pred = None
    for i, j in pairs:
        cond = (a._wa == int(i)) & (b._wb == int(j))
        pair_pred = cond if pair_pred is None else (pair_pred | cond)
    preds = [a._ida == b._idb, pair_pred]
    preds += [a[f"{k}a"].identical_to(b[f"{k}b"]) for k in seg]
    joined = a.join(b, preds)
    out = joined.group_by(
        [joined._wa.name("_from"), joined._wb.name("_to"),
         *[joined[f"_s{k}a"].name(c) for k, c in enumerate(by)],
         joined._ca.name("from_category"), joined._cb.name("to_category")]
    ).agg(count=joined.count())
    return out


def _python(value):
    """A plain Python value for an Ibis literal (numpy scalars unwrapped)."""
    if isinstance(value, np.generic):
        return value.item()
    return value


__all__ = [
    "category_expr", "CODE", "CODE_FRACTIONAL", "CODE_NO_ANSWER", "CODE_NOT_A_SCORE",
    "CODE_OUT_OF_RANGE", "coded", "COUNT_TABLE_COLUMNS", "counts_expr", "decode_tally", "DUP",
    "INVALID_CODES", "kept_rows", "N", "score_code", "score_label", "score_number",
    "SCORE_PATTERN", "tally_expr", "TIMES", "transitions_expr", "wave_position_expr",
]
