"""Counting responses where they live: Ibis expressions from rows to NPS counts.

Every statistic in nps-kit depends on the data only through counts: three per group
(detractors, passives, promoters) and nine per transition table of a panel. This module writes
those counts as Ibis expressions, so one GROUP BY runs in whichever engine holds the rows
(DuckDB on a laptop, the embedded default; PySpark, Postgres, BigQuery, Snowflake, ... through
their Ibis backends) and only a table of counts comes back to Python.

The strict loading rules of :mod:`nps_kit.io` are written in the same expressions. Each row gets
a *score code*:

==========  =================================================================================
0 .. 10     a valid score
11          no answer (NULL, NaN, blank or one of :data:`nps_kit.scores.NA_TOKENS`)
12          not a 0-10 score (text without a leading number: ``"ten"``, ``"great"``)
13          a fractional score (``8.5``)
14          a score outside 0-10 (``11``, ``-2``)
==========  =================================================================================

Text scores follow :func:`nps_kit.scores.parse_scores`: a leading number with an optional
label (``"10 (Very Likely)"``), matched with one regular expression that DuckDB (RE2) and Spark
(Java) read the same way. Nothing is coerced: a text score that is not a number is code 12, not
NULL. A respondent id that repeats within a wave is flagged by a window count over
(wave, id).

Functions here build expressions; running them is the caller's (:mod:`nps_kit.sources` runs
them and turns the codes into the dropped-row report).

Categories follow Reichheld (2003, "The one number you need to grow", Harvard Business Review
81(12)): detractors 0-6, passives 7-8, promoters 9-10; NPS = % promoters - % detractors, and every
estimator in nps-kit needs only these counts (METHODS.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from nps_kit.errors import DataError, ParameterError, check_option
from nps_kit.scores import NA_TOKENS, NONRESPONSE_POLICIES

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

# The score text of nps_kit.scores (_SCORE_TEXT), written once for RE2 and Java regex: the
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
    :func:`nps_kit.sources.read_source` counts and reports them. The result feeds
    :func:`nps_kit.summary.summarize` (``score=None``), which applies its non-response rule to
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
    by_list = [by] if isinstance(by, str) else list(by or [])
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


# ------------------------------------------------------------------------- wave comparisons
@dataclass(frozen=True)
class WaveCounts:
    """Counts per (segment group, wave) and transition tables per pair of waves, from an engine.

    What :func:`nps_kit.waves.compare_waves` needs from the rows, computed in the engine; its
    estimators take it from here instead of from row arrays.

    Attributes
    ----------
    groups : DataFrame
        Segment values, one row per group (one row and no columns without segments).
    by : list of str
    raw : ndarray, shape (G, W, 3)
        Valid scores per category (detractors, passives, promoters).
    nonrespondents : ndarray, shape (G, W)
        Counted rows without an answer.
    nonresponse : str
    tables : dict
        (i, j) -> ndarray (G, 3, 3): matched respondents, rows wave i's category.
    flat : WaveCounts or None
        The same without segments (respondents match on the id alone).
    """

    groups: pd.DataFrame = field(repr=False)
    by: list
    raw: np.ndarray = field(repr=False)
    nonrespondents: np.ndarray = field(repr=False)
    nonresponse: str
    tables: dict = field(repr=False)
    flat: "WaveCounts | None" = field(default=None, repr=False)

    @property
    def categories(self) -> np.ndarray:
        """Counts (G, W, 3) with the non-response rule applied."""
        out = self.raw.copy()
        if self.nonresponse == "detractor":
            out[:, :, 0] += self.nonrespondents
        elif self.nonresponse == "passive":
            out[:, :, 1] += self.nonrespondents
        return out

    def table(self, i: int, j: int) -> np.ndarray:
        """Transition tables (G, 3, 3) of waves i and j (zeros without ids)."""
        got = self.tables.get((i, j))
        return np.zeros((len(self.groups), 3, 3), dtype=np.int64) if got is None else got

    def frame(self, wave: str, order: Sequence[str]) -> pd.DataFrame:
        """A counts table (wave, segments, counts, nonrespondents) of the (group, wave) cells with rows."""
        g, w = np.nonzero(self.raw.sum(axis=2) + self.nonrespondents)
        out = self.groups.iloc[g].reset_index(drop=True) if self.by else pd.DataFrame(index=range(len(g)))
        out.insert(0, wave, pd.Categorical.from_codes(w, categories=list(order), ordered=True))
        for k, col in enumerate(("detractors", "passives", "promoters")):
            out[col] = self.raw[g, w, k]
        out["nonrespondents"] = self.nonrespondents[g, w]
        return out


def _group_index(frame: pd.DataFrame, by: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """Sorted distinct groups of ``frame[by]`` (missing last, as pandas groupby) and each row's code."""
    if not by:
        return pd.DataFrame(index=[0]), np.zeros(len(frame), dtype=np.int64)
    codes = frame.groupby(by, sort=True, dropna=False, observed=True).ngroup().to_numpy()
    first = pd.Series(np.arange(len(frame))).groupby(codes).first().to_numpy()
    return frame[by].iloc[first].reset_index(drop=True), codes.astype(np.int64)


def _wave_order(labels: list[str], waves) -> tuple[list[str], str]:
    from nps_kit.waves import wave_order

    return wave_order(labels, waves)


def prepare_waves(data, score: str, wave: str, id: str | None, by: list[str], nonresponse: str,
                  waves=None, baseline=None):
    """The prepared comparison of :mod:`nps_kit.waves` from an engine table, counted in the engine.

    ``data`` is an Ibis table, a DuckDB relation or a :class:`nps_kit.sources.SourceResponses`.
    The strict rules hold (invalid scores and repeated ids raise a DataError naming rows and
    values, as the pandas path does); rows without a wave are an error.
    """
    from nps_kit.sources import SourceResponses, read_source
    from nps_kit.waves import _Prepared, _pairs, wave_labels

    check_option("nonresponse", nonresponse, NONRESPONSE_POLICIES)
    if wave in by or (id is not None and id in by):
        raise ParameterError("the wave and id columns cannot also be segment (by) columns")
    loaded = data if isinstance(data, SourceResponses) else read_source(
        data, score, id=id, wave=wave, by=by, errors="raise", check_scale=False)
    missing = [c for c in [wave, *by] if c not in loaded.counts.columns]
    if missing:
        raise DataError(f"column(s) {', '.join(map(repr, missing))} were not counted; read the "
                        "source with wave=... and by=[...] naming them")
    counts = loaded.counts
    no_wave = counts[wave].isna().to_numpy()
    if no_wave.any():
        n_rows = int(counts.loc[no_wave, list(COUNT_TABLE_COLUMNS)].to_numpy().sum())
        rows = loaded.source.rows_where(lambda t: t[wave].isnull(), limit=5)
        where = f", rows {', '.join(map(str, rows))}" if rows else " (the engine gives no row numbers)"
        raise DataError(f"column {wave!r}: {n_rows} row(s) without a wave{where}; fill in the wave "
                        "or remove these rows")
    values = sorted(pd.unique(counts[wave]), key=lambda v: (str(type(v)), v))
    labels = list(wave_labels(pd.Series(values) if values else pd.Series([], dtype=object)))
    label_of = dict(zip(values, labels))
    order, basis = _wave_order(labels, waves)
    position = {lab: i for i, lab in enumerate(order)}
    value_of = {position[lab]: v for lab, v in zip(labels, values)}
    order_values = [value_of[i] for i in range(len(order))]
    pairs = _pairs(order, baseline)
    pair_list = [(i, j) for i, j, _ in pairs]

    def build(by_cols: list[str]) -> WaveCounts:
        cell = counts.groupby([wave, *by_cols], sort=False, dropna=False, observed=True)[
            list(COUNT_TABLE_COLUMNS)].sum().reset_index()
        groups, gcode = _group_index(cell, by_cols)
        wpos = cell[wave].map(label_of).map(position).to_numpy(np.int64)
        raw = np.zeros((len(groups), len(order), 3), dtype=np.int64)
        nonresp = np.zeros((len(groups), len(order)), dtype=np.int64)
        for k, col in enumerate(("detractors", "passives", "promoters")):
            np.add.at(raw[:, :, k], (gcode, wpos), cell[col].to_numpy(np.int64))
        np.add.at(nonresp, (gcode, wpos), cell["nonrespondents"].to_numpy(np.int64))
        tables: dict = {}
        if id is not None and pair_list:
            expr = transitions_expr(loaded.source.table, score, wave, id, order_values, pair_list,
                                    by=by_cols, nonresponse=nonresponse)
            got = loaded.source.run(expr)
            if len(got):
                if by_cols:
                    key = groups.assign(_g=np.arange(len(groups)))
                    got = got.merge(key, on=by_cols, how="left")
                    g = got["_g"].to_numpy(np.int64)
                else:
                    g = np.zeros(len(got), dtype=np.int64)
                for (i, j), part in pd.DataFrame({"i": got["_from"], "j": got["_to"]}).groupby(["i", "j"]).groups.items():
                    tab = np.zeros((len(groups), 3, 3), dtype=np.int64)
                    idx = np.asarray(part)
                    np.add.at(tab, (g[idx], got["from_category"].to_numpy(np.int64)[idx],
                                    got["to_category"].to_numpy(np.int64)[idx]),
                              got["count"].to_numpy(np.int64)[idx])
                    tables[(int(i), int(j))] = tab
        return WaveCounts(groups=groups, by=list(by_cols), raw=raw, nonrespondents=nonresp,
                          nonresponse=nonresponse, tables=tables)

    flat = build([])
    seg = _with_flat(build(by), flat) if by else _with_flat(flat, flat)
    empty = np.zeros(0, dtype=np.int64)
    return _Prepared(wave=empty, cat=empty, group=empty, idc=empty, groups=seg.groups, order=order,
                     basis=basis, by=list(by), has_id=id is not None, wave_codes=empty, counted=seg)


def engine_counts(data, score: str | None, by: list[str]) -> pd.DataFrame:
    """The counts table of an engine table, for :func:`nps_kit.summary.summarize`.

    ``data`` is an Ibis table or DuckDB relation of responses (``score`` given: read strictly
    with :func:`nps_kit.sources.read_source`, invalid values raise), such a table of counts
    (``score=None``), or :class:`nps_kit.sources.SourceResponses` (already counted).
    """
    from nps_kit.sources import SourceResponses, is_engine_table, open_source, read_source
    from nps_kit.summary import COUNT_COLUMNS

    if isinstance(data, SourceResponses):
        missing = [c for c in by if c not in data.counts.columns]
        if missing:
            raise DataError(f"the responses were counted by {list(data.counts.columns[:-4])}, not by "
                            f"{missing}; read the source with by=[...] naming them")
        return data.counts
    if not is_engine_table(data):
        raise DataError(f"summarize needs a DataFrame, an Ibis table or a DuckDB relation, got "
                        f"{type(data).__name__}")
    if score is None:
        src = open_source(data)
        extra = ["nonrespondents"] if "nonrespondents" in src.columns else []
        absent = [c for c in [*by, *COUNT_COLUMNS] if c not in src.columns]
        if absent:
            raise DataError(
                "give score=<column> for responses, or a table with columns detractors, passives, "
                f"promoters; missing: {absent}")
        return src.run(src.table.select(*by, *COUNT_COLUMNS, *extra))
    return read_source(data, score, by=by, errors="raise", check_scale=False).counts


def _with_flat(counts: WaveCounts, flat: WaveCounts) -> WaveCounts:
    """``counts`` with its overall (segment-free) counterpart attached."""
    from dataclasses import replace

    return replace(counts, flat=flat)
