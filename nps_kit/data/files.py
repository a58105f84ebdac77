"""Reading survey files strictly: every row read is either kept or reported as dropped.

Supported: CSV (``.csv``, ``.txt``; ``.tsv`` tab-separated), Excel (``.xlsx``, ``.xlsm``,
``.xls``) and Parquet (``.parquet``, ``.pq``). A path written ``demo:<file>`` names a file of the
bundled synthetic demo data.

Row numbers in messages are the ones a person sees when opening the file in a spreadsheet:
the header is row 1, so the first record is row 2 (Parquet has no header row: record 1 is row 1).

Survey-tool exports (Qualtrics, SurveyMonkey, Google Forms, Typeform) are recognised and read as
they come (:mod:`nps_kit.data.layouts`); their header rows count in row numbers (a Qualtrics export's
first record is row 4).
"""

from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from nps_kit.errors import DataError, ParameterError, check_option
from nps_kit.data.paths import is_dataset, resolve_path
from nps_kit.core.hints import drop_hint, option_hint, scale_hint
from nps_kit.data.layouts import LAYOUT_KEY, detect_layout, layout_of, read_export, score_and_notes
from nps_kit.data.inputfiles import check_input_file, current_encoding, decode_problem, text_encoding
from nps_kit.data.keys import (DEFAULT_CUSTOMER_ID_COLUMN, DEFAULT_ID_COLUMN, DEFAULT_WAVE_COLUMN,
                           resolve_keys)
from nps_kit.core.scores import parse_scores
from nps_kit.core.columns import require_columns

ERROR_MODES: tuple[str, ...] = ("raise", "drop")
REPORT_COLUMNS: tuple[str, ...] = ("file", "row", "column", "value", "reason")
_SHOWN = 5  # offending rows quoted in an error message
ONE_TO_TEN = re.compile(r"(?<!\d)1\s*(?:-|–|to|\.\.)\s*10(?!\d)", re.IGNORECASE)


def _first_row(path: Path) -> int:
    """Row number of the first record as a person sees it (1-based, after the header)."""
    return 1 if path.suffix.lower() in (".parquet", ".pq") else 2


WIDE_FILE_COLUMNS = 1_000
"""A plain file with more columns than this is read for the columns a command names only."""


def read_file(path: str | Path, sheet: str | int | None = None,
               export: str = "auto", encoding: str | None = None,
               needed: Sequence[str] | None = None) -> pd.DataFrame:
    """Read a CSV, Excel or Parquet file into a DataFrame, with clear errors.

    Parameters
    ----------
    path : str or Path
        File path, or ``demo:<name>`` for a bundled demo file. A Parquet folder, a glob or a
        ``duckdb:FILE:TABLE`` is a dataset, read by :func:`nps_kit.read_table` through DuckDB.
    sheet : str or int, optional
        Excel sheet (default: the first).
    export : {"auto", "plain", "qualtrics", "surveymonkey", "google-forms", "typeform"}
        Layout of a survey-tool export (see :mod:`nps_kit.data.layouts`): detected (``"auto"``) or
        forced. An export's header rows are removed and its layout (question text of each
        column, the note saying how it was read) is kept in ``frame.attrs``
        (:func:`nps_kit.data.layouts.layout_of`); a plain table is read exactly as before.
    encoding : str, optional
        Text encoding of a CSV or TSV file (default UTF-8, see
        :func:`nps_kit.data.inputfiles.text_encoding`), e.g. ``"cp1252"`` or ``"latin-1"``.
    needed : sequence of str, optional
        The columns the caller uses. A plain CSV, TSV or Parquet file wider than
        :data:`WIDE_FILE_COLUMNS` is read for those only (a million-column file costs its header,
        not its width); ``frame.attrs["columns_in_file"]`` then holds the file's column count.

    Returns
    -------
    DataFrame
        Columns as in the file; the standard missing-value markers (blank, NA, N/A, null, NaN)
        read as missing.

    Raises
    ------
    DataError
        The file does not exist, is not a regular file (a pipe, a device, a loop of links), has
        an unsupported type, is not in the encoding, cannot be parsed, or has no rows.
    """
    with text_encoding(encoding):
        return _read_file(path, sheet, export, needed)


def _usecols(p: Path, suffix: str, needed: Sequence[str] | None, enc: str):
    """The header names to read when the file is wide, else None (read everything)."""
    if needed is None:
        return None
    if suffix in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        header = pq.read_schema(p).names
    else:
        sep = "\t" if suffix == ".tsv" else ("," if suffix == ".csv" else None)
        if sep is None:
            return None
        with open(p, encoding=enc, newline="") as handle:
            header = next(csv.reader(handle, delimiter=sep), [])
    if len(header) <= WIDE_FILE_COLUMNS:
        return None
    wanted = {str(c).strip() for c in needed if c}
    if suffix in (".parquet", ".pq"):
        return [h for h in header if str(h).strip() in wanted], len(header)
    return [i for i, h in enumerate(header) if str(h).strip() in wanted], len(header)


def _read_file(path: str | Path, sheet: str | int | None, export: str,
                needed: Sequence[str] | None = None) -> pd.DataFrame:
    if is_dataset(path):
        raise DataError(f"{path}: a folder, glob or duckdb: table is read through an engine; "
                        "use nps_kit.read_table or nps_kit.read_responses")
    p = resolve_path(path)
    shown = str(path)
    check_input_file(p, shown)
    suffix = p.suffix.lower()
    enc = current_encoding()
    try:
        layout, reason = detect_layout(p, export, sheet=sheet, file=shown)
        if layout in ("qualtrics", "surveymonkey"):
            frame, info = read_export(p, layout, reason, sheet=sheet, file=shown)
            frame.attrs[LAYOUT_KEY] = info
            return frame
        narrow = _usecols(p, suffix, needed, enc) if layout == "plain" else None
        use, width = narrow if narrow else (None, None)
        if suffix in (".csv", ".txt"):
            frame = (pd.read_csv(p, sep=None, engine="python", encoding=enc) if suffix == ".txt"
                     else pd.read_csv(p, encoding=enc, usecols=use))
        elif suffix == ".tsv":
            frame = pd.read_csv(p, sep="\t", encoding=enc, usecols=use)
        elif suffix in (".xlsx", ".xlsm", ".xls"):
            frame = pd.read_excel(p, sheet_name=0 if sheet is None else sheet)
        elif suffix in (".parquet", ".pq"):
            frame = pd.read_parquet(p, columns=use)
        else:
            raise DataError(
                f"{shown}: unsupported file type {suffix or '(none)'!r}; "
                "use .csv, .tsv, .xlsx or .parquet"
            )
    except (DataError, ParameterError):
        raise
    except pd.errors.EmptyDataError:
        raise DataError(f"{shown}: the file is empty; expected a header row and data rows") from None
    except UnicodeDecodeError as exc:
        raise DataError(decode_problem(shown, exc)) from None
    except (zipfile.BadZipFile, KeyError) as exc:
        raise DataError(f"{shown}: cannot be read as {suffix[1:].upper()}: the file is damaged or "
                        f"not a real {suffix[1:].upper()} workbook ({type(exc).__name__}); open "
                        "it in a spreadsheet and save it again, or export it as CSV") from None
    except (pd.errors.ParserError, ValueError, OSError, ImportError, EOFError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"{shown}: cannot be read as {suffix[1:].upper()}: {first}") from None
    if frame.shape[1] == 0:
        raise DataError(f"{shown}: no columns found; expected a header row")
    frame.columns = [str(c).strip() for c in frame.columns]
    if width is not None:
        frame.attrs["columns_in_file"] = width
    if layout != "plain":
        frame, info = read_export(p, layout, reason, sheet=sheet, file=shown, frame=frame)
        frame.attrs[LAYOUT_KEY] = info
    return frame


_SCORE_WORDS = ("recommend", "nps", "likely", "likelihood", "score")


def missing_score_message(columns, score: str, file: str) -> str:
    """Name the missing score column, the columns that look like an NPS question, and the option."""
    names = [str(c) for c in columns]
    likely = [c for c in names if any(w in c.lower() for w in _SCORE_WORDS)]
    hint = (f" Columns that look like a 0-10 recommend question: {', '.join(repr(c) for c in likely)}."
            if likely else "")
    return (f"{file}: score column {score!r} not found.{hint} Pass the score column by name "
            f"({option_hint('--score-column NAME', 'score=NAME')}); the file has columns: "
            f"{', '.join(repr(c) for c in names)}")


@dataclass(frozen=True, kw_only=True)
class ResponsesRead:
    """What every reader of responses returns, from pandas or from an engine: the account of
    every row read and the report of every dropped one.

    Attributes
    ----------
    report : DataFrame
        One line per dropped row and reason: file, row, column, value, reason.
    file : str
    score : str
    rows_read, rows_kept, rows_dropped, nonrespondents : int
        ``rows_read == rows_kept + rows_dropped`` always; nonrespondents are kept rows without a
        score.
    id, wave : str or None
        The respondent id and wave columns used.
    notes : tuple of str
        How the source was read where that was not the obvious (export layout, score column
        named by its question, defaults that did not fit, the engine).
    """

    report: pd.DataFrame = field(repr=False)
    file: str
    score: str
    rows_read: int
    rows_kept: int
    rows_dropped: int
    nonrespondents: int
    id: str | None = None
    wave: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def summary(self) -> pd.DataFrame:
        """One-row account of the read."""
        return pd.DataFrame([{
            "file": self.file, "rows_read": self.rows_read, "rows_kept": self.rows_kept,
            "rows_dropped": self.rows_dropped, "nonrespondents": self.nonrespondents,
        }])

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


@dataclass(frozen=True, kw_only=True)
class LoadedResponses(ResponsesRead):
    """Responses read into pandas (:class:`ResponsesRead` plus the kept rows).

    Attributes
    ----------
    data : DataFrame
        Kept rows; the score column parsed to float 0-10 (NaN = no answer); the index holds the
        row numbers in the file (named ``row``).
    layout : str
        ``"plain"`` or the survey-tool export layout (:mod:`nps_kit.data.layouts`).
    question : str or None
        Question text of the score column in an export (None for a plain table).
    """

    data: pd.DataFrame = field(repr=False)
    layout: str = "plain"
    question: str | None = None


def _problem_rows(frame, score, id, wave, check_scale, file_label, first_row, question=""):
    """Rows with problems as (position, column, value, reason) arrays, and whole-column errors."""
    parsed = parse_scores(frame[score])
    positions = [np.flatnonzero(parsed.invalid)]
    columns = [np.full(len(positions[0]), score, dtype=object)]
    values = [frame[score].to_numpy(dtype=object)[positions[0]]]
    reasons = [parsed.reasons[positions[0]]]

    answered = parsed.values[~np.isnan(parsed.values)]
    if check_scale and len(answered) and not (answered == 0).any():
        hints = []
        if ONE_TO_TEN.search(score):
            hints.append(f"the column name {score!r} says 1-10")
        elif question and ONE_TO_TEN.search(question):
            hints.append(f"the question {question!r} says 1-10")
        if 1 in parsed.labels:
            hints.append(f"the value 1 is labelled {parsed.labels[1]!r} (the end of the scale)")
        if hints:
            raise DataError(
                f"{file_label}: column {score!r} looks like a 1-10 scale ({'; '.join(hints)}; "
                f"no 0 among {len(answered)} answers). NPS is defined on the 0-10 scale and a "
                "1-10 answer cannot be converted to it; use a 0-10 question. If the scale really "
                f"is 0-10 and nobody chose 0, turn the check off ({scale_hint()})."
            )

    if id is not None:
        keys = [id] if wave is None else [wave, id]
        has_id = frame[id].notna().to_numpy()
        dup = frame.duplicated(subset=keys, keep=False).to_numpy() & has_id
        if dup.any():
            sub = frame.loc[dup, keys].copy()
            sub["_pos"] = np.flatnonzero(dup)
            rows_of = sub.groupby(keys, sort=False, dropna=False)["_pos"].transform(
                lambda s: ", ".join(str(r + first_row) for r in s)
            )
            times = sub.groupby(keys, sort=False, dropna=False)["_pos"].transform("size")
            where = "" if wave is None else " in wave " + sub[wave].astype(str)
            reason = (
                "respondent id " + sub[id].astype(str).map(repr) + " appears "
                + times.astype(str) + " times" + where + " (rows " + rows_of + ")"
            )
            positions.append(sub["_pos"].to_numpy())
            columns.append(np.full(len(sub), id, dtype=object))
            values.append(sub[id].to_numpy(dtype=object))
            reasons.append(reason.to_numpy(dtype=object))
    return (np.concatenate(positions), np.concatenate(columns), np.concatenate(values),
            np.concatenate(reasons), parsed.values)


def read_file_responses(
    path: str | Path,
    score: str,
    id: str | None = None,
    wave: str | None = None,
    errors: str = "raise",
    *,
    columns: list[str] | None = None,
    optional_columns: Sequence[str] = (),
    check_scale: bool = True,
    sheet: str | int | None = None,
    id_fallbacks: Sequence[str] = (),
    id_optional: bool = False,
    wave_optional: bool = False,
    export: str = "auto",
    encoding: str | None = None,
    date: str | None = None,
    period: str = "month",
) -> LoadedResponses:
    """Read a responses file and validate its 0-10 scores.

    Errors in the data: scores outside 0-10, fractional scores (8.5), text that is not a score,
    and a respondent id repeated within one wave (or within the file when there is no wave
    column). A 1-10 scale (no 0 at all, and a column name or a label on 1 that says so) is an
    error for the whole column. A blank score is no answer, not an error.

    Parameters
    ----------
    path : str or Path
        CSV, Excel or Parquet file, or ``demo:<name>``.
    score : str
        Score column. In a survey-tool export also its question text or an unambiguous part of
        it (``"how likely"``); see :func:`nps_kit.data.layouts.resolve_score`.
    id : str, optional
        Respondent id column; enables the duplicate check.
    wave : str, optional
        Wave column; ids must be unique within each wave.
    errors : {"raise", "drop"}
        ``"raise"``: a DataError naming the file, column, first offending rows and values.
        ``"drop"``: drop those rows and list each in ``report`` with its reason.
    columns : list of str, optional
        Further columns that must exist (group columns, for instance).
    optional_columns : sequence of str
        Columns used when the file has them (a default segment column, say); each absent one is
        said in ``notes``, and the caller leaves out what needs it.
    check_scale : bool
        Check for a 1-10 scale (see above).
    sheet : str or int, optional
        Excel sheet.
    id_fallbacks, id_optional, wave_optional
        What to do when the id or wave column is absent (see :func:`nps_kit.data.keys.resolve_keys`):
        use another id column, go on without an id, read all rows as one wave. Each such choice
        is said in ``notes``; the columns used are ``id`` and ``wave`` of the result.
    export : {"auto", "plain", "qualtrics", "surveymonkey", "google-forms", "typeform"}
        Survey-tool layout, detected or forced (see :func:`read_table`); the layout used is said
        in ``notes``, and row numbers count the export's header rows.
    encoding : str, optional
        Text encoding of a CSV or TSV file (default UTF-8), e.g. ``"cp1252"``.

    Returns
    -------
    LoadedResponses

    Examples
    --------
    >>> loaded = read_file_responses("demo:responses.csv", score="score", id="respondent_id",
    ...                              wave="wave")
    >>> loaded.rows_read == loaded.rows_kept + loaded.rows_dropped
    True
    """
    check_option("errors", errors, ERROR_MODES)
    if date:
        wave, wave_optional = None, True
    needed = [score, id, wave, date, *(columns or []), *optional_columns, *id_fallbacks,
              DEFAULT_ID_COLUMN, DEFAULT_WAVE_COLUMN, DEFAULT_CUSTOMER_ID_COLUMN]
    frame = read_file(path, sheet=sheet, export=export, encoding=encoding,
                       needed=[c for c in needed if isinstance(c, str)])
    label = str(path)
    layout = layout_of(frame)
    layout_notes: tuple[str, ...] = ()
    if layout is not None:
        score, layout_notes = score_and_notes(frame, score, layout, label)
    date_notes: tuple[str, ...] = ()
    if date:
        from nps_kit.core.periods import PERIOD_COLUMN, period_labels

        require_columns(frame, [date], label, what="date column")
        wave = PERIOD_COLUMN
        while wave in frame.columns:
            wave = f"{wave}_"
        frame = frame.assign(**{wave: period_labels(frame[date], period).astype(object)})
        date_notes = (f"periods: {date!r} rolled up to {period}s ({frame[wave].nunique()} "
                      f"period(s), column {wave!r})",)
        wave_optional = False
    keys = resolve_keys(frame.columns, label, id=id, wave=wave, id_fallbacks=id_fallbacks,
                        id_optional=id_optional, wave_optional=wave_optional)
    id, wave = keys.id, keys.wave
    if score not in frame.columns:
        raise DataError(missing_score_message(frame.columns, score, label))
    require_columns(frame, [score, id, wave, *(columns or [])], label)
    absent = tuple(f"{label} has no column {c!r}: the parts that use it are left out (name "
                   "another column to change this)" for c in optional_columns if c and c not in frame.columns)
    first_row = _first_row(resolve_path(path)) if layout is None else layout.first_row
    question = None if layout is None else layout.question(score)
    pos, cols, vals, reasons, parsed = _problem_rows(frame, score, id, wave, check_scale, label,
                                                     first_row, question or "")
    if date:
        undated = np.flatnonzero(frame[wave].isna().to_numpy())
        pos = np.concatenate([pos, undated])
        cols = np.concatenate([cols, np.full(len(undated), date, dtype=object)])
        vals = np.concatenate([vals, frame[date].to_numpy(dtype=object)[undated]])
        reasons = np.concatenate([reasons, np.full(len(undated), "date blank or not a date",
                                                   dtype=object)])
    report = pd.DataFrame({
        "file": label, "row": pos + first_row, "column": cols,
        "value": [None if pd.isna(v) else str(v) for v in vals], "reason": reasons,
    }, columns=list(REPORT_COLUMNS)).sort_values(["row", "column"], kind="stable").reset_index(drop=True)
    if len(report) and errors == "raise":
        bad_rows = np.unique(pos)
        shown = "; ".join(
            f"row {r.row}, {r.column} = {r.value!r}: {r.reason}" for r in report.head(_SHOWN).itertuples()
        )
        more = f" ... and {len(report) - _SHOWN} more" if len(report) > _SHOWN else ""
        raise DataError(
            f"{label}: {len(bad_rows)} row(s) with invalid data: {shown}{more}. Correct these rows "
            f"in the file, or drop them with a report ({drop_hint()})."
        )
    keep = np.ones(len(frame), dtype=bool)
    keep[pos] = False
    data = frame.assign(**{score: parsed}).loc[keep]
    data.index = pd.Index(np.flatnonzero(keep) + first_row, name="row")
    nonresp = int(np.isnan(data[score].to_numpy(dtype=float)).sum())
    dropped = int(len(frame) - keep.sum())
    return LoadedResponses(
        data=data, report=report, file=label, score=score, rows_read=int(len(frame)),
        rows_kept=int(keep.sum()), rows_dropped=dropped, nonrespondents=nonresp,
        id=id, wave=wave, notes=layout_notes + date_notes + keys.notes + absent,
        layout="plain" if layout is None else layout.name,
        question=question,
    )


def load_names(path: str, column: str) -> list[str]:
    """Names to redact, read from one column of a file (CSV, Excel, Parquet or ``demo:<file>``).

    Blank cells are skipped and duplicates removed (sorted, so the result is reproducible).
    The names go to :func:`nps_kit.privacy.redact.redact` (privacy reads no files).

    Raises
    ------
    DataError
        The file cannot be read or has no such column (the message lists the columns).

    Examples
    --------
    >>> len(load_names("demo:customers.csv", "contact_name")) > 100
    True
    """
    frame = read_file(path)
    require_columns(frame, [column], path)
    values = frame[column].dropna().astype(str).str.strip()
    return sorted(set(values[values != ""]))


__all__ = [
    "ERROR_MODES", "load_names", "LoadedResponses", "missing_score_message", "ONE_TO_TEN",
    "read_file", "read_file_responses", "REPORT_COLUMNS", "ResponsesRead", "WIDE_FILE_COLUMNS",
]
