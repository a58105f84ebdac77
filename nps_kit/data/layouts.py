"""Survey-tool exports read as they come: Qualtrics, SurveyMonkey, Google Forms, Typeform.

A file downloaded from a survey tool is not a plain table with one header row. This module
recognises four layouts, reads them into one DataFrame with one unique name per column, keeps
the question text of every column, and lets the score column be named by its column name, its
question text, or an unambiguous part of the question text.

Layouts (as each tool's help pages describe its export):

- ``qualtrics``: CSV with 3 header rows. Row 1 holds the column ids (``StartDate``,
  ``ResponseId``, ``Q1``, ``Q1_NPS_GROUP``), row 2 the question text, row 3 a JSON object per
  column such as ``{"ImportId":"QID1"}``. Columns are named by their row-1 id. An export
  without the import-id row (the legacy export, or row 3 deleted by hand) has 2 header rows
  and is recognised by "Response ID" in row 2 under ``ResponseId`` (legacy ``V1``) in row 1.
  Qualtrics adds ``<id>_NPS_GROUP`` to a Net Promoter question (1 detractor, 2 passive,
  3 promoter): it is never taken for the score.
- ``surveymonkey``: CSV or Excel with 2 header rows. Row 1 holds the question text, blank over
  the further columns of a multi-column question; row 2 the sub-answer (``Response``,
  ``Open-Ended Response``, a choice label, blank under the respondent columns). A column is
  named by its question; the further columns of a question, and a first column whose sub-answer
  is a choice label, are named ``"<question> - <sub-answer>"``.
- ``google-forms``: one header row of question text; the first column is ``Timestamp``.
- ``typeform``: one header row of question text, with the columns ``#`` and
  ``Submit Date (UTC)`` (or ``Start Date (UTC)``).
- ``plain``: anything else, read with one header row exactly as before.

Detection (``export="auto"``) looks only at the first three rows and takes the first layout
whose signature is there, in the order above: row 3 made of ``{"ImportId": ...}`` cells (or
"Response ID" in row 2 under ``ResponseId``); ``Respondent ID`` in row 1 with a blank cell
under it in row 2; ``Timestamp`` first; ``#`` with a ``(UTC)`` date column. The layout used is said in one note. A layout can be forced
(``export="qualtrics"``); a forced layout whose signature is absent is a DataError.
"""

from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from nps_kit.core.hints import option_hint
from nps_kit.errors import DataError, check_option
from nps_kit.data.inputfiles import current_encoding
from nps_kit.privacy.redact import identifier_columns
from nps_kit.core.scores import parse_scores

EXPORT_LAYOUTS: tuple[str, ...] = ("auto", "plain", "qualtrics", "surveymonkey", "google-forms",
                                   "typeform")
"""Values of ``export=`` (CLI ``--export``)."""

LAYOUT_KEY = "nps_kit.reports.html"
"""Key of :attr:`pandas.DataFrame.attrs` under which :func:`nps_kit.read_table` keeps the layout."""

_DETECTABLE = (".csv", ".tsv", ".xlsx", ".xlsm", ".xls")
_EXCEL = (".xlsx", ".xlsm", ".xls")
_IMPORT_ID = re.compile(r'^\s*\{\s*"ImportId"\s*:\s*"([^"]*)"')
_NPS_GROUP = re.compile(r"_NPS_GROUP$", re.IGNORECASE)
_MAIN_SUBANSWERS = frozenset({"", "response", "open-ended response"})
_TOOL = {"qualtrics": "Qualtrics", "surveymonkey": "SurveyMonkey", "google-forms": "Google Forms",
         "typeform": "Typeform", "plain": "plain"}
_SCORE_WORDS = ("recommend", "nps", "likely", "likelihood", "score")
_SHOWN = 8  # candidate columns quoted in a message


@dataclass(frozen=True)
class ExportLayout:
    """How a file was read: which layout, how many header rows, and each column's question.

    Attributes
    ----------
    name : str
        ``"plain"``, ``"qualtrics"``, ``"surveymonkey"``, ``"google-forms"`` or ``"typeform"``.
    header_rows : int
        Rows before the first record (the first record is row ``header_rows + 1``).
    columns : tuple of str
        Column names of the DataFrame read (unique).
    questions : tuple of str
        Question text of each column ("" where the file gives none).
    subanswers : tuple of str
        SurveyMonkey's row 2 for each column ("" elsewhere).
    import_ids : tuple of str
        Qualtrics' ImportId of each column ("" elsewhere).
    derived : tuple of str
        Columns that are never a score (Qualtrics' ``*_NPS_GROUP`` codes).
    note : str
        The sentence that says how the file was read.
    """

    name: str
    header_rows: int
    columns: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    subanswers: tuple[str, ...] = ()
    import_ids: tuple[str, ...] = ()
    derived: tuple[str, ...] = ()
    note: str = ""

    @property
    def first_row(self) -> int:
        """Row number of the first record, header rows counted (1-based)."""
        return self.header_rows + 1

    def question(self, column: str) -> str:
        """Question text of ``column`` ("" if none)."""
        try:
            return self.questions[self.columns.index(column)]
        except ValueError:
            return ""

    @property
    def summary(self) -> pd.DataFrame:
        """One row per column: name, question, sub-answer, import id, whether derived."""
        n = len(self.columns)
        return pd.DataFrame({
            "column": list(self.columns), "question": list(self.questions or [""] * n),
            "subanswer": list(self.subanswers or [""] * n),
            "import_id": list(self.import_ids or [""] * n),
            "derived": [c in self.derived for c in self.columns],
        })


# --------------------------------------------------------------------------- reading the header

def _cell(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _head_rows(path: Path, suffix: str, sheet, n: int = 3) -> list[list[str]] | None:
    """The first ``n`` records as lists of stripped strings; None when they cannot be read."""
    try:
        if suffix in _EXCEL:
            raw = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, header=None,
                                nrows=n, dtype=object)
            return [[_cell(v) for v in row] for row in raw.itertuples(index=False)]
        with open(path, encoding=current_encoding(), newline="") as handle:
            reader = csv.reader(handle, delimiter="\t" if suffix == ".tsv" else ",")
            rows = []
            for row in reader:
                rows.append([c.strip() for c in row])
                if len(rows) == n:
                    break
            return rows
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, ImportError, KeyError,
            zipfile.BadZipFile):
        return None


def _row(rows: list[list[str]], i: int, width: int) -> list[str]:
    row = rows[i] if i < len(rows) else []
    return list(row) + [""] * (width - len(row))


def _width(rows: list[list[str]]) -> int:
    return max((len(r) for r in rows), default=0)


def _import_id_row(rows: list[list[str]]) -> str | None:
    """Why row 3 is Qualtrics' import-id row, or None."""
    if len(rows) < 3:
        return None
    cells = [c for c in rows[2] if c]
    hits = sum(bool(_IMPORT_ID.match(c)) for c in cells)
    if cells and hits * 2 >= len(cells):
        return f'row 3 holds import ids ({hits} of {len(cells)} cells read {{"ImportId": ...}})'
    return None


def _qualtrics_signature(rows: list[list[str]]) -> str | None:
    """Why the rows look like a Qualtrics export, or None.

    Either row 3 holds import ids (the current export), or, in an export without that row (the
    legacy export, or row 3 deleted), row 2 reads "Response ID" under row 1's ``ResponseId``
    (legacy: ``V1``).
    """
    why = _import_id_row(rows)
    if why or len(rows) < 2:
        return why
    width = _width(rows)
    for top, text in zip(_row(rows, 0, width), _row(rows, 1, width)):
        if top.lower() in ("responseid", "v1") and text.lower().replace(" ", "") == "responseid":
            return (f"row 2 reads {text!r} under {top!r} in row 1 (question text under column "
                    "ids; no import-id row)")
    return None


def _qualtrics_header_rows(rows: list[list[str]]) -> int:
    return 3 if _import_id_row(rows) else 2


def _surveymonkey_signature(rows: list[list[str]]) -> str | None:
    if len(rows) < 2:
        return None
    width = _width(rows)
    top, sub = _row(rows, 0, width), _row(rows, 1, width)
    lowered = [c.lower() for c in top]
    if "respondent id" in lowered and not sub[lowered.index("respondent id")]:
        return "row 1 has 'Respondent ID' with a blank cell under it in row 2 (the sub-answer row)"
    return None


def _google_signature(rows: list[list[str]]) -> str | None:
    if rows and rows[0] and rows[0][0].lower() == "timestamp":
        return "the first column is 'Timestamp'"
    return None


def _typeform_signature(rows: list[list[str]]) -> str | None:
    if not rows:
        return None
    header = rows[0]
    dates = [c for c in header if c.lower() in ("submit date (utc)", "start date (utc)")]
    if "#" in header and dates:
        return f"columns '#' and {dates[0]!r}"
    return None


_SIGNATURES = (("qualtrics", _qualtrics_signature), ("surveymonkey", _surveymonkey_signature),
               ("google-forms", _google_signature), ("typeform", _typeform_signature))
_WHAT_IS_MISSING = {
    "qualtrics": 'row 3 of a Qualtrics export holds {"ImportId": ...} cells (in an export '
                 "without that row, row 2 reads 'Response ID' under 'ResponseId')",
    "surveymonkey": "row 1 of a SurveyMonkey export has 'Respondent ID' with a blank sub-answer "
                    "cell under it in row 2",
    "google-forms": "the first column of a Google Forms export is 'Timestamp'",
    "typeform": "a Typeform export has the columns '#' and 'Submit Date (UTC)' or "
                "'Start Date (UTC)'",
}
_HEADER_ROWS = {"qualtrics": 3, "surveymonkey": 2, "google-forms": 1, "typeform": 1, "plain": 1}
_DESCRIPTION = {
    "qualtrics": "3 header rows: row 1 column ids, row 2 question text, row 3 import ids; "
                 "records from row 4; columns named by their id",
    "qualtrics-2": "2 header rows: row 1 column ids, row 2 question text (no import-id row); "
                   "records from row 3; columns named by their id",
    "surveymonkey": "2 header rows: row 1 question text, row 2 sub-answer; records from row 3; "
                    "columns named by their question, with ' - <sub-answer>' for the further "
                    "columns of a multi-column question",
    "google-forms": "1 header row of question text",
    "typeform": "1 header row of question text",
}


def detect_layout(path: str | Path, export: str = "auto", sheet: str | int | None = None,
                  file: str | None = None) -> tuple[str, str]:
    """Which layout a file has, and why.

    Parameters
    ----------
    path : str or Path
        The file (already resolved).
    export : {"auto", "plain", "qualtrics", "surveymonkey", "google-forms", "typeform"}
        ``"auto"`` detects from the first three rows; any other value is checked against the
        file's signature (``"plain"`` always holds).
    sheet : str or int, optional
        Excel sheet.
    file : str, optional
        The file as the user named it, for messages.

    Returns
    -------
    (str, str)
        The layout and the reason (the signature found, or "as asked").

    Raises
    ------
    DataError
        A forced layout that the file does not have, or a forced layout on a file type that
        has no header rows (Parquet).

    Examples
    --------
    >>> from nps_kit.data.paths import resolve_path
    >>> detect_layout(resolve_path("demo:responses.csv"))
    ('plain', 'no survey-tool signature')
    """
    check_option("export", export, EXPORT_LAYOUTS)
    p = Path(path)
    shown = file or str(path)
    suffix = p.suffix.lower()
    if export == "plain":
        return "plain", "as asked"
    if suffix not in _DETECTABLE:
        if export == "auto":
            return "plain", "not a CSV or Excel file"
        raise DataError(
            f"{shown}: export={export!r} (CLI --export {export}) applies to CSV and Excel files, "
            f"and this is a {suffix or 'suffix-less'} file; use --export auto or plain"
        )
    rows = _head_rows(p, suffix, sheet)
    if rows is None:
        if export == "auto":
            return "plain", "header unreadable"
        raise DataError(f"{shown}: the first rows cannot be read to check the {_TOOL[export]} "
                        "layout; check the file, or use --export plain")
    if export == "auto":
        for name, signature in _SIGNATURES:
            why = signature(rows)
            if why:
                return name, why
        return "plain", "no survey-tool signature"
    why = dict(_SIGNATURES)[export](rows)
    if why is None:
        found = next((n for n, s in _SIGNATURES if s(rows)), "plain")
        looks = (f"it looks like a {_TOOL[found]} export" if found != "plain"
                 else "it looks like a plain table with one header row")
        first = ", ".join(repr(c) for c in _row(rows, 0, _width(rows))[:6])
        raise DataError(
            f"{shown}: export={export!r} (CLI --export {export}) asks to read a "
            f"{_TOOL[export]} export, but {_WHAT_IS_MISSING[export]} and this file does not "
            f"have that ({looks}; row 1 begins {first}). Use --export auto to detect the "
            "layout, or --export plain for a table with one header row."
        )
    return export, "as asked"


# --------------------------------------------------------------------------- naming the columns

def _unique(names: Sequence[str]) -> list[str]:
    """Names made unique by adding " (2)", " (3)", ... to repeats, in file order."""
    seen: dict[str, int] = {}
    taken = set(names)
    out = []
    for name in names:
        if name not in seen:
            seen[name] = 1
            out.append(name)
            continue
        k = seen[name]
        while True:
            k += 1
            candidate = f"{name} ({k})"
            if candidate not in taken:
                break
        seen[name] = k
        taken.add(candidate)
        out.append(candidate)
    return out


def _qualtrics_columns(rows: list[list[str]], width: int):
    ids, texts, imports = _row(rows, 0, width), _row(rows, 1, width), _row(rows, 2, width)
    import_ids = [(m.group(1) if (m := _IMPORT_ID.match(c)) else "") for c in imports]
    names = [i or t or f"column {k + 1}" for k, (i, t) in enumerate(zip(ids, texts))]
    names = _unique(names)
    derived = tuple(n for n, i, imp in zip(names, ids, import_ids)
                    if _NPS_GROUP.search(i) or _NPS_GROUP.search(imp))
    return names, texts, [""] * width, import_ids, derived


def _surveymonkey_columns(rows: list[list[str]], width: int):
    top, sub = _row(rows, 0, width), _row(rows, 1, width)
    names, questions = [], []
    current = ""
    for k, (q, s) in enumerate(zip(top, sub)):
        first = bool(q)
        if q:
            current = q
        question = current
        if not question:
            names.append(s or f"column {k + 1}")
        elif first and s.lower() in _MAIN_SUBANSWERS:
            names.append(question)
        else:
            names.append(f"{question} - {s}" if s else f"{question} - column {k + 1}")
        questions.append(question)
    return _unique(names), questions, sub, [""] * width, ()


# --------------------------------------------------------------------------- reading the file

def read_export(path: str | Path, layout: str, reason: str, sheet: str | int | None = None,
                file: str | None = None, frame: pd.DataFrame | None = None) -> tuple[pd.DataFrame, ExportLayout]:
    """Read a survey-tool export of a known layout into one DataFrame with unique column names.

    Parameters
    ----------
    path : str or Path
        The file (already resolved).
    layout : str
        One of the layouts of :func:`detect_layout` other than ``"plain"``.
    reason : str
        What :func:`detect_layout` found (goes into the note).
    sheet : str or int, optional
        Excel sheet.
    file : str, optional
        The file as the user named it, for messages.
    frame : DataFrame, optional
        For the one-header layouts (Google Forms, Typeform): the table already read the plain
        way; its columns carry the question text.

    Returns
    -------
    (DataFrame, ExportLayout)
        Records only (header rows removed), and how they were read.

    Raises
    ------
    DataError
        The data rows cannot be parsed, or have more cells than the header rows.
    """
    p = Path(path)
    shown = file or str(path)
    suffix = p.suffix.lower()
    how = "detected: " + reason if reason != "as asked" else f"as asked with export={layout!r}"
    k = _HEADER_ROWS[layout]
    if layout == "qualtrics":
        k = _qualtrics_header_rows(_head_rows(p, suffix, sheet, n=3) or [])
    description = _DESCRIPTION["qualtrics-2" if layout == "qualtrics" and k == 2 else layout]
    note = f"read as a {_TOOL[layout]} export ({description}; {how})"
    if k == 1:
        if frame is None:
            raise ValueError("the one-header layouts are read the plain way first")
        cols = tuple(str(c) for c in frame.columns)
        return frame, ExportLayout(layout, 1, cols, cols, ("",) * len(cols), ("",) * len(cols),
                                   (), note)
    rows = _head_rows(p, suffix, sheet, n=k) or []
    width = _width(rows)
    maker = _qualtrics_columns if layout == "qualtrics" else _surveymonkey_columns
    names, questions, subs, imports, derived = maker(rows, width)
    try:
        if suffix in _EXCEL:
            data = pd.read_excel(p, sheet_name=0 if sheet is None else sheet, header=None,
                                 skiprows=k)
            if data.shape[1] > width:
                extra = data.iloc[:, width:]
                if extra.notna().to_numpy().any():
                    raise DataError(
                        f"{shown}: data rows have {data.shape[1]} cells and the {k} header rows "
                        f"{width}; check that the header rows are the tool's own, or use "
                        "--export plain"
                    )
                data = data.iloc[:, :width]
            data = data.reindex(columns=range(width))
        else:
            data = pd.read_csv(p, header=None, skiprows=k, names=list(range(width)),
                               index_col=False, sep="\t" if suffix == ".tsv" else ",",
                               encoding=current_encoding())
    except DataError:
        raise
    except pd.errors.EmptyDataError:
        data = pd.DataFrame(columns=range(width))
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"{shown}: the records after the {k} header rows of a {_TOOL[layout]} "
                        f"export cannot be read: {first}") from None
    data.columns = names
    return data, ExportLayout(layout, k, tuple(names), tuple(questions), tuple(subs),
                              tuple(imports), derived, note)


def layout_of(frame: pd.DataFrame) -> ExportLayout | None:
    """The survey-tool layout a table was read with by :func:`nps_kit.read_table` (None: plain).

    Examples
    --------
    >>> from nps_kit.data.files import read_file
    >>> layout_of(read_file("demo:responses.csv")) is None
    True
    """
    layout = frame.attrs.get(LAYOUT_KEY)
    return layout if isinstance(layout, ExportLayout) else None


# --------------------------------------------------------------------------- the score column

def _fold(text: str) -> str:
    return " ".join(str(text).casefold().split())


def _describe(layout: ExportLayout, columns: Sequence[str]) -> str:
    parts = []
    for c in list(columns)[:_SHOWN]:
        q = layout.question(c)
        parts.append(f"{c!r} ({q!r})" if q and q != c else repr(c))
    more = f" and {len(columns) - _SHOWN} more" if len(columns) > _SHOWN else ""
    return ", ".join(parts) + more


def _looks_like_score(values: pd.Series) -> bool:
    """At least one answer, and at least half the answers, read as 0-10 scores."""
    parsed = parse_scores(values)
    answered = (~np.isnan(parsed.values)).sum()
    return bool(answered) and answered * 2 >= answered + parsed.invalid.sum()


def _likely(layout: ExportLayout, frame: pd.DataFrame) -> list[str]:
    return [c for c in layout.columns
            if c not in layout.derived and c in frame.columns
            and any(w in (_fold(c) + " " + _fold(layout.question(c))) for w in _SCORE_WORDS)
            and _looks_like_score(frame[c])]


def _collapse(layout: ExportLayout, candidates: list[str]) -> list[str]:
    """Several columns of one SurveyMonkey question: its main column stands for the question."""
    questions = {layout.question(c) for c in candidates}
    if len(candidates) > 1 and len(questions) == 1:
        main = [c for c in candidates if c == layout.question(c)]
        if len(main) == 1:
            return main
    return candidates


def _derived_message(layout: ExportLayout, column: str, file: str) -> str:
    base = _NPS_GROUP.sub("", column)
    use = f" use {base!r}" if base in layout.columns else " name the 0-10 question's column"
    return (f"{file}: column {column!r} is the group code Qualtrics adds to a Net Promoter "
            "question (1 = detractor, 2 = passive, 3 = promoter), not the 0-10 score; "
            f"{use.strip()} with --score-column (Python: score=...)")


def resolve_score(frame: pd.DataFrame, score: str, layout: ExportLayout,
                  file: str) -> tuple[str, str]:
    """The column a user meant by ``score`` in an export, and a note naming it and its question.

    The name is matched, in this order, against (1) the column names exactly, (2) the column
    names ignoring case and spacing, (3) the question texts in full, ignoring case and spacing,
    (4) a part of the question text or the column name, ignoring case. At steps 3 and 4 the
    columns that are never a score (Qualtrics' ``*_NPS_GROUP``) are left out, the columns of one
    SurveyMonkey question count as its main column, and a single match must hold 0-10 answers.

    Returns
    -------
    (str, str)
        Column name and the note (column, how it was named, question text).

    Raises
    ------
    DataError
        No column matches; several questions match (the message lists each as id and question
        text and says to pass the id); the name is a Qualtrics NPS group column; the one column
        matched by question text does not hold 0-10 answers.
    """
    columns = [c for c in layout.columns if c in frame.columns]
    if score in columns:
        chosen, how = score, None
    else:
        folded = _fold(score)
        by_name = [c for c in columns if _fold(c) == folded]
        chosen, how = (by_name[0], "by name") if len(by_name) == 1 else (None, None)
        if chosen is None:
            usable = [c for c in columns if c not in layout.derived]
            for how, test in (("by its question text",
                               lambda c: bool(layout.question(c)) and _fold(layout.question(c)) == folded),
                              ("by part of its question text",
                               lambda c: folded in _fold(layout.question(c)) or folded in _fold(c))):
                found = _collapse(layout, [c for c in usable if folded and test(c)])
                if len(found) > 1:
                    raise DataError(
                        f"{file}: score column {score!r} is ambiguous: it matches "
                        f"{len(found)} columns: {_describe(layout, found)}. Pass the "
                        + ("id (the name before the question text)" if layout.name == "qualtrics"
                           else "full column name")
                        + " of the one you mean with --score-column (Python: score=...), e.g. "
                        f"--score-column {found[0]!r}."
                    )
                if len(found) == 1:
                    chosen = found[0]
                    if not _looks_like_score(frame[chosen]):
                        sample = frame[chosen].dropna().astype(str).head(3).tolist()
                        likely = _likely(layout, frame)
                        hint = (f" Columns that hold 0-10 answers to a recommend question: "
                                f"{_describe(layout, likely)}." if likely else "")
                        raise DataError(
                            f"{file}: score column {score!r} matched {_describe(layout, [chosen])} "
                            f"{how}, but its answers are not 0-10 scores (e.g. "
                            f"{', '.join(map(repr, sample))}).{hint} Pass the score column's id "
                            "with --score-column (Python: score=...)."
                        )
                    break
        if chosen is None:
            likely = _likely(layout, frame)
            hint = (f" Columns that look like a 0-10 recommend question: {_describe(layout, likely)}."
                    if likely else "")
            raise DataError(
                f"{file}: score column {score!r} not found: no column name or question text "
                f"matches it.{hint} Pass the score column by id, question text or an unambiguous "
                f"part of it ({option_hint('--score-column TEXT', 'score=TEXT')}); the columns are: "
                f"{_describe(layout, columns[:40])}"
            )
    if chosen in layout.derived:
        raise DataError(_derived_message(layout, chosen, file))
    question = layout.question(chosen)
    named = f" (named {score!r} {how})" if how else ""
    note = f"score column {chosen!r}{named}" + (f": question {question!r}" if question and question != chosen else "")
    groups = [d for d in layout.derived if _NPS_GROUP.sub("", d) == chosen]
    if groups:
        note += (f"; {groups[0]!r} is Qualtrics' group code (1 detractor, 2 passive, 3 promoter) "
                 "and is not used")
    return chosen, note


def choice_text_note(frame: pd.DataFrame, score: str, layout: ExportLayout, file: str) -> str | None:
    """A note when the score answers carry choice text; a DataError when no answer has a number.

    A choice-text export writes an answer as its label. For a 0-10 question the label is the
    number itself, with the anchor text on the end points (``"10 - Extremely likely"``,
    ``"0 - Not at all likely"``): the leading integer is the score and the anchor text is not
    used. An answer without a leading number cannot be turned into a score without guessing.
    """
    parsed = parse_scores(frame[score])
    answered = int((~np.isnan(parsed.values)).sum())
    if parsed.labels:
        shown = ", ".join(f"{k} {v!r}" for k, v in sorted(parsed.labels.items()))
        return (f"score answers carry choice text; the leading number is the score and the "
                f"label is ignored (labels seen: {shown})")
    if answered == 0 and parsed.invalid.any():
        sample = frame[score][parsed.invalid].astype(str).head(3).tolist()
        raise DataError(
            f"{file}: column {score!r} holds choice text without numbers (e.g. "
            f"{', '.join(map(repr, sample))}); a 0-10 score cannot be read from it without "
            f"guessing. Download the {_TOOL[layout.name]} data again with numeric values "
            "(Qualtrics: 'Use numeric values'), or name the column of the 0-10 answers."
        )
    return None


def score_and_notes(frame: pd.DataFrame, score: str, layout: ExportLayout,
                    file: str) -> tuple[str, tuple[str, ...]]:
    """The score column of an export and every note on how the export was read.

    The notes are: the layout (:attr:`ExportLayout.note`), the score column with its question
    (:func:`resolve_score`), the choice text of the answers if any (:func:`choice_text_note`),
    and the columns that identify respondents (:func:`nps_kit.privacy.redact.identifier_columns`).
    """
    column, note = resolve_score(frame, score, layout, file)
    notes = [layout.note, note]
    choice = choice_text_note(frame, column, layout, file)
    if choice:
        notes.append(choice)
    ids = identifier_columns(frame.columns)
    if ids:
        notes.append(f"columns that identify respondents: {', '.join(map(repr, ids))} "
                     "(keep them out of shared reports; nps_kit.privacy.redact.identifier_values lists "
                     "their values for keep_private)")
    return column, tuple(notes)


__all__ = [
    "choice_text_note", "detect_layout", "EXPORT_LAYOUTS", "ExportLayout", "LAYOUT_KEY",
    "layout_of", "read_export", "resolve_score", "score_and_notes",
]
