"""Reading a source strictly in its engine: the rules of :func:`nps_kit.read_responses` written
as SQL, the dropped-row report, the counts, and where they came from.

:func:`read_source` applies the strict rules to a :class:`nps_kit.engines.sources.Source` (or
anything :func:`nps_kit.engines.sources.open_source` opens) and returns :class:`SourceResponses`:
the counts, the dropped-row report, rows read = kept + dropped, and the provenance (engine, the
counting query's SQL, row counts). :func:`engine_counts` is what
:func:`nps_kit.summarize` counts an engine table with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import ibis.expr.types as ir
import numpy as np
import pandas as pd

from nps_kit.engines import counting as cnt
from nps_kit.errors import DataError, check_option
from nps_kit.data.keys import resolve_keys
from nps_kit.core.columns import as_columns
from nps_kit.core.hints import drop_hint, scale_hint

from nps_kit.data.files import LoadedResponses, ResponsesRead
from nps_kit.engines.sources import FILE, REPORT_LIMIT, ROW, Source, open_source

_SHOWN = 5  # offending rows quoted in a message, as in nps_kit.data.files

# --------------------------------------------------------------------------------- reading
@dataclass(frozen=True)
class Provenance:
    """Where counted responses came from: engine, query and row counts.

    Attributes
    ----------
    source, kind, engine : str
    files : tuple of str
    query : str
        SQL of the counting query the engine ran (counts and the checks in one pass).
    row_numbers : str
    rows_read, rows_kept, rows_dropped : int
    """

    source: str
    kind: str
    engine: str
    files: tuple[str, ...]
    query: str
    row_numbers: str
    rows_read: int
    rows_kept: int
    rows_dropped: int

    def as_dict(self) -> dict:
        return {"source": self.source, "kind": self.kind, "engine": self.engine,
                "files": list(self.files), "query": self.query, "row_numbers": self.row_numbers,
                "rows_read": self.rows_read, "rows_kept": self.rows_kept,
                "rows_dropped": self.rows_dropped}


@dataclass(frozen=True, kw_only=True)
class SourceResponses(ResponsesRead):
    """Responses read strictly in an engine (:class:`nps_kit.data.files.ResponsesRead`, the same
    row account and report as pandas, plus the counts); the rows stay in the engine.

    Attributes
    ----------
    data : ibis Table
        The kept rows, the score column as float 0-10 (NULL = no answer).
    counts : DataFrame
        Per group of the counted keys (wave, then ``by``): ``detractors``, ``passives``,
        ``promoters``, ``nonrespondents`` of the kept rows. Ready for
        :func:`nps_kit.core.summary.summarize` (``score=None``).
    by : tuple of str
    provenance : Provenance
    source : Source

    The ``report`` holds at most :data:`nps_kit.engines.sources.REPORT_LIMIT` lines, every
    dropped row counted in ``rows_dropped`` (row None where the engine gives no row numbers).
    """

    data: ir.Table = field(repr=False)
    counts: pd.DataFrame = field(repr=False)
    by: tuple[str, ...] = ()
    provenance: Provenance = field(repr=False)
    source: Source = field(repr=False)

    @property
    def engine(self) -> str:
        return self.source.engine

    @property
    def summary(self) -> pd.DataFrame:
        """One-row account of the read."""
        return pd.DataFrame([{
            "file": self.file, "engine": self.engine, "rows_read": self.rows_read,
            "rows_kept": self.rows_kept, "rows_dropped": self.rows_dropped,
            "nonrespondents": self.nonrespondents,
        }])

    def to_loaded(self):
        """The kept rows in pandas, as :class:`nps_kit.data.files.LoadedResponses` (for small sources).

        The index holds the row numbers where the engine gives them (named ``row``).
        """
        src = self.source
        base = src.numbered if src.numbered is not None else src.table
        kept = cnt.kept_rows(base, self.score, id=self.id, wave=self.wave)
        kept = kept.mutate(**{self.score: cnt.score_number(kept, self.score)})
        kept = kept.drop(*[c for c in (cnt.CODE, cnt.DUP, cnt.TIMES, FILE) if c in kept.columns])
        if src.numbered is not None:
            frame = src.run(kept.order_by(ROW))
            frame.index = pd.Index(frame.pop(ROW).to_numpy(dtype=np.int64), name="row")
        else:
            frame = src.run(kept)
        frame[self.score] = frame[self.score].astype(float)
        return LoadedResponses(
            data=frame, report=self.report, file=self.file, score=self.score,
            rows_read=self.rows_read, rows_kept=self.rows_kept, rows_dropped=self.rows_dropped,
            nonrespondents=self.nonrespondents, id=self.id, wave=self.wave, notes=self.notes)


def _value_text(value, dtype) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if dtype.is_integer():
        return str(int(value))
    if dtype.is_floating():
        return str(float(value))
    return str(value)


def _number_text(num: float):
    return int(num) if float(num).is_integer() else float(num)


def _reason(code: int, text: str | None, num) -> str:
    if code == cnt.CODE_NOT_A_SCORE:
        return "not a 0-10 score: " + repr(text)
    if code == cnt.CODE_FRACTIONAL:
        return f"fractional score {_number_text(num)!r}: the scale has whole numbers 0-10"
    return f"score {_number_text(num)!r} is outside the 0-10 scale"


def _report_lines(src: Source, score: str, id: str | None, wave: str | None, n_bad_scores: int,
                  n_dups: int, limit: int) -> pd.DataFrame:
    """The dropped-row report: one line per row and reason, in row order (first ``limit``)."""
    base = src.numbered if src.numbered is not None else src.table
    x = cnt.coded(base, score, id=id, wave=wave)
    x = x.mutate(_nps_num=cnt.score_number(x, score), _nps_text=x[score].cast("string"))
    has_rows = src.numbered is not None
    has_file = has_rows and FILE in base.columns
    order = ([FILE] if has_file else []) + [ROW] if has_rows else [cnt.CODE, "_nps_text"]
    lines = []
    dtype = base[score].type()
    if n_bad_scores:
        cols = [score, cnt.CODE, "_nps_num", *([ROW] if has_rows else []), *([FILE] if has_file else [])]
        got = src.run(x.filter(x[cnt.CODE] >= cnt.CODE_NOT_A_SCORE).select(*cols, "_nps_text")
                      .order_by(order).limit(limit))
        for r in got.to_dict("records"):
            text = _value_text(r[score], dtype)
            lines.append({"file": r[FILE] if has_file else src.label,
                          "row": int(r[ROW]) if has_rows else None, "column": score,
                          "value": text, "reason": _reason(int(r[cnt.CODE]), text, r["_nps_num"])})
    if n_dups:
        keys = [k for k in (wave, id) if k is not None]
        cols = [*dict.fromkeys([*keys]), cnt.TIMES, *([ROW] if has_rows else []), *([FILE] if has_file else [])]
        dorder = order if has_rows else keys
        got = src.run(x.filter(x[cnt.DUP]).select(*cols).order_by(dorder).limit(limit))
        id_type = base[id].type()
        wave_type = base[wave].type() if wave is not None else None
        if has_rows and len(got):
            rows_of = got.groupby(keys, sort=False, dropna=False)[ROW].agg(list)
        for r in got.to_dict("records"):
            ident = _value_text(r[id], id_type)
            reason = f"respondent id {ident!r} appears {int(r[cnt.TIMES])} times"
            if wave is not None:
                reason += f" in wave {_value_text(r[wave], wave_type)}"
            if has_rows:
                key = tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]
                try:
                    listed = rows_of.loc[key]
                except KeyError:  # a missing wave value as key
                    listed = [r[ROW]]
                listed = sorted(int(v) for v in listed)
                more = ", ..." if len(listed) < int(r[cnt.TIMES]) else ""
                reason += f" (rows {', '.join(map(str, listed))}{more})"
            lines.append({"file": r[FILE] if has_file else src.label,
                          "row": int(r[ROW]) if has_rows else None, "column": id,
                          "value": ident, "reason": reason})
    report = pd.DataFrame(lines, columns=["file", "row", "column", "value", "reason"])
    if has_rows and len(report):
        report["row"] = report["row"].astype("int64")
        report = report.sort_values([*(["file"] if has_file else []), "row", "column"], kind="stable")
    return report.head(limit).reset_index(drop=True)


def _label_of_one(src: Source, score: str) -> str | None:
    """The label that the value 1 carries in a text score column ("1 (Not likely)"), first in row order."""
    base = src.numbered if src.numbered is not None else src.table
    label = cnt.score_label(base, score)
    if label is None:
        return None
    x = base.mutate(_nps_code=cnt.score_code(base, score), _nps_label=label)
    x = x.filter((x._nps_code == 1) & (x._nps_label != ""))
    if src.numbered is not None:
        got = src.run(x.group_by("_nps_label").agg(_first=x[ROW].min()))
        got = got.sort_values(["_first", "_nps_label"])
    else:
        got = src.run(x.select("_nps_label").distinct()).sort_values("_nps_label")
    for raw in got["_nps_label"]:
        text = str(raw).strip(" ()-–—:,;")
        if text:
            return text
    return None


def read_source(
    source,
    score: str,
    id: str | None = None,
    wave: str | None = None,
    by: str | Sequence[str] | None = None,
    errors: str = "raise",
    *,
    check_scale: bool = True,
    sheet: str | int | None = None,
    id_fallbacks: Sequence[str] = (),
    id_optional: bool = False,
    wave_optional: bool = False,
    report_limit: int = REPORT_LIMIT,
) -> SourceResponses:
    """Read responses strictly in an engine and count them: the engine's :func:`~nps_kit.read_responses`.

    The same rules as the pandas loader, evaluated in the engine: scores outside 0-10,
    fractional scores and text that is not a score are invalid (nothing is coerced: ``"ten"``
    in a text column is an error, not a missing value); a respondent id repeated within a wave
    (within the source without a wave column) is invalid; a 1-10 scale (no 0 at all, and the
    column name or the label of 1 says so) stops the read. Blank cells and the texts of
    :data:`nps_kit.core.scores.NA_TOKENS` are no answer.

    The counts and the checks come from one aggregation over (wave, ``by``, score code, repeat
    flag); offending rows are fetched only when there are some.

    Parameters
    ----------
    source
        Anything :func:`open_source` opens.
    score : str
        Score column.
    id, wave : str, optional
        Respondent id (enables the repeat check and panels) and wave columns.
    by : str or list of str, optional
        Group columns to count by (besides the wave).
    errors : {"raise", "drop"}
        ``"raise"``: a DataError naming the source, column, first offending rows and values (the
        facts of :func:`nps_kit.read_responses`' message). ``"drop"``: leave those rows out
        and list them in ``report``.
    check_scale : bool
        Check for a 1-10 scale.
    sheet : str or int, optional
        Excel sheet.
    id_fallbacks, id_optional, wave_optional
        As in :func:`nps_kit.read_responses`.
    report_limit : int
        Dropped rows listed one by one (all are counted).

    Returns
    -------
    SourceResponses

    Examples
    --------
    >>> r = read_source(pd.DataFrame({"score": [10, 9, "ten", None]}), "score", errors="drop")
    >>> r.rows_read, r.rows_kept, r.rows_dropped, r.report.reason[0]
    (4, 3, 1, "not a 0-10 score: 'ten'")
    """
    check_option("errors", errors, ("raise", "drop"))
    src = open_source(source, sheet=sheet)
    try:
        return _read(src, score, id, wave, by, errors, check_scale, id_fallbacks, id_optional,
                     wave_optional, report_limit)
    except Exception as exc:  # noqa: BLE001 - only DuckDB's type conversion errors are retried
        if src.reopen is None or type(exc).__name__ != "ConversionException":
            raise
    full = src.reopen()
    out = _read(full, score, id, wave, by, errors, check_scale, id_fallbacks, id_optional,
                wave_optional, report_limit)
    note = (f"{src.label}: column types detected from every row (a value after DuckDB's sample "
            "did not fit the type guessed from the sample)")
    return _with_notes(out, (note,))


def _with_notes(out: SourceResponses, notes: tuple[str, ...]) -> SourceResponses:
    from dataclasses import replace

    return replace(out, notes=(*out.notes, *notes))


def _read(src: Source, score, id, wave, by, errors, check_scale, id_fallbacks, id_optional,
          wave_optional, report_limit) -> SourceResponses:
    from nps_kit.data.files import ONE_TO_TEN, missing_score_message
    from nps_kit.core.columns import require_columns

    by_list = as_columns(by)
    label = src.label
    columns = src.columns
    keys_info = resolve_keys(columns, label, id=id, wave=wave, id_fallbacks=id_fallbacks,
                             id_optional=id_optional, wave_optional=wave_optional)
    id, wave = keys_info.id, keys_info.wave
    if score not in columns:
        raise DataError(missing_score_message(columns, score, label))
    require_columns(src.table, [score, id, wave, *by_list], label)
    keys = list(dict.fromkeys([*([wave] if wave else []), *by_list]))
    expr = cnt.tally_expr(src.table, score, keys, id=id, wave=wave)
    query = src.sql(expr)
    tally = cnt.decode_tally(src.run(expr), src.table, score)
    code = tally[cnt.CODE].to_numpy(np.int64)
    dup = tally[cnt.DUP].to_numpy(bool)
    n = tally[cnt.N].to_numpy(np.int64)
    rows_read = int(n.sum())
    bad_score = np.isin(code, cnt.INVALID_CODES)
    answered = int(n[code <= 10].sum())
    if check_scale and answered and not int(n[code == 0].sum()):
        hints = []
        if ONE_TO_TEN.search(score):
            hints.append(f"the column name {score!r} says 1-10")
        one = _label_of_one(src, score)
        if one:
            hints.append(f"the value 1 is labelled {one!r} (the end of the scale)")
        if hints:
            raise DataError(
                f"{label}: column {score!r} looks like a 1-10 scale ({'; '.join(hints)}; "
                f"no 0 among {answered} answers). NPS is defined on the 0-10 scale and a "
                "1-10 answer cannot be converted to it; use a 0-10 question. If the scale really "
                f"is 0-10 and nobody chose 0, turn the check off ({scale_hint()})."
            )
    drop = bad_score | dup
    n_bad_rows = int(n[drop].sum())
    n_lines = int(n[bad_score].sum()) + int(n[dup].sum())
    report = pd.DataFrame(columns=["file", "row", "column", "value", "reason"])
    notes = list(keys_info.notes)
    if n_bad_rows:
        limit = _SHOWN if errors == "raise" else report_limit
        report = _report_lines(src, score, id, wave, int(n[bad_score].sum()), int(n[dup].sum()),
                               max(limit, _SHOWN))
        if errors == "raise":
            shown = "; ".join(
                (f"row {r.row}, " if r.row is not None and not pd.isna(r.row) else "")
                + f"{r.column} = {r.value!r}: {r.reason}" for r in report.head(_SHOWN).itertuples())
            more = f" ... and {n_lines - _SHOWN} more" if n_lines > _SHOWN else ""
            where = "" if src.numbered is not None else f" ({src.engine} gives no row numbers: {src.row_numbers})"
            raise DataError(
                f"{label}: {n_bad_rows} row(s) with invalid data{where}: {shown}{more}. Correct "
                f"these rows in the file, or drop them with a report ({drop_hint()})."
            )
        if n_lines > len(report):
            notes.append(f"the dropped-row report lists the first {len(report):,} of {n_lines:,} "
                         f"lines (report_limit={report_limit}); every dropped row is counted")
        if src.numbered is None:
            notes.append(f"{label}: dropped rows are named by their values: {src.row_numbers}")
    kept = ~drop
    cells = tally.loc[kept, [*keys, cnt.CODE, cnt.N]]
    c = cells[cnt.CODE].to_numpy(np.int64)
    m = cells[cnt.N].to_numpy(np.int64)
    parts = pd.DataFrame({
        "detractors": np.where(c <= 6, m, 0), "passives": np.where((c >= 7) & (c <= 8), m, 0),
        "promoters": np.where((c >= 9) & (c <= 10), m, 0),
        "nonrespondents": np.where(c == cnt.CODE_NO_ANSWER, m, 0)})
    if keys:
        parts = pd.concat([cells[keys].reset_index(drop=True), parts], axis=1)
        counts = parts.groupby(keys, sort=True, dropna=False, observed=True)[
            list(cnt.COUNT_TABLE_COLUMNS)].sum().reset_index()
    else:
        counts = parts.sum().to_frame().T.astype(np.int64)
    rows_kept = rows_read - n_bad_rows
    nonresp = int(counts["nonrespondents"].sum()) if len(counts) else 0
    data = cnt.kept_rows(src.table, score, id=id, wave=wave)
    data = data.mutate(**{score: cnt.score_number(data, score)}).drop(
        *[col for col in (cnt.CODE, cnt.DUP, cnt.TIMES) if col in data.columns])
    prov = Provenance(source=label, kind=src.kind, engine=src.engine, files=src.files, query=query,
                      row_numbers=src.row_numbers, rows_read=rows_read, rows_kept=rows_kept,
                      rows_dropped=n_bad_rows)
    return SourceResponses(
        data=data, counts=counts, report=report, file=label, score=score, rows_read=rows_read,
        rows_kept=rows_kept, rows_dropped=n_bad_rows, nonrespondents=nonresp, id=id, wave=wave,
        by=tuple(by_list), notes=tuple(notes), provenance=prov, source=src)


def engine_note(loaded: SourceResponses, why: str = "") -> str:
    """A sentence for the output: which engine counted the responses and how rows are numbered."""
    reason = f" ({why})" if why else ""
    return (f"engine: {loaded.engine}{reason}; {loaded.file} ({loaded.source.kind}) counted in one "
            f"query, rows numbered {loaded.source.row_numbers}")


def is_engine_table(data) -> bool:
    """True for the inputs counted in an engine: Ibis tables, DuckDB relations, read sources."""
    return isinstance(data, (ir.Table, SourceResponses, Source)) or \
        type(data).__name__ == "DuckDBPyRelation"


def engine_counts(data, score: str | None, by: list[str]) -> pd.DataFrame:
    """The counts table of an engine table, for :func:`nps_kit.core.summary.summarize`.

    ``data`` is an Ibis table or DuckDB relation of responses (``score`` given: read strictly
    with :func:`nps_kit.engines.reading.read_source`, invalid values raise), such a table of counts
    (``score=None``), or :class:`nps_kit.engines.reading.SourceResponses` (already counted).
    """
    from nps_kit.core.summary import COUNT_COLUMNS

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


__all__ = [
    "engine_counts", "engine_note", "is_engine_table", "Provenance", "read_source",
    "SourceResponses",
]
