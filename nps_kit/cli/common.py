"""Argument types and output helpers shared by the CLI commands."""

from __future__ import annotations

import argparse
import math
import sys

import numpy as np
import pandas as pd

from nps_kit.core.formatting import p_value_text
from nps_kit.core.safetext import display_text
from nps_kit.data.writer import write_csv


def parse_level(text: str) -> float:
    """A confidence or rate given as a fraction (0.95) or a percentage (95)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value >= 1.0 and value < 100.0:
        value /= 100.0
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(
            f"{text!r} must lie strictly between 0 and 1 (or 0 and 100 as a percentage)"
        )
    return value


def parse_confidence(text: str) -> float:
    """A confidence level as a fraction (0.95) or a percentage of 50 or more (95)."""
    value = parse_level(text)
    if float(text) >= 1.0 and value < 0.5:
        raise argparse.ArgumentTypeError(
            f"{text!r} is ambiguous: give the level as a fraction between 0 and 1 (0.95) "
            "or as a percentage between 50 and 100 (95)"
        )
    return value


def add_confidence_argument(parser: argparse.ArgumentParser) -> None:
    """The ``--confidence`` option, as 0.95 or 95."""
    parser.add_argument("--confidence", type=parse_confidence, default=0.95,
                        help="confidence level, as 0.95 or 95 (default 0.95)")


def json_value(value):
    """A JSON-safe Python value: numpy scalars unwrapped, NaN and NA as None."""
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def frame_to_records(frame: pd.DataFrame) -> list[dict]:
    """Rows of a DataFrame as JSON-safe dicts."""
    return [{str(k): json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]


def alias(parser: argparse.ArgumentParser, old: str, dest: str, **kwargs) -> None:
    """An earlier spelling of an option, still accepted and not listed in ``--help``."""
    parser.add_argument(old, dest=dest, default=argparse.SUPPRESS, help=argparse.SUPPRESS, **kwargs)


def add_score_option(parser: argparse.ArgumentParser, default: str | None = "score") -> None:
    """``--score-column``: the 0-10 answers."""
    parser.add_argument("--score-column", default=default, metavar="COL",
                        help="column with the 0-10 answers; its name or, in a survey-tool export, "
                             f"its question id or text (default {default})")


def add_export_option(parser: argparse.ArgumentParser) -> None:
    """``--export``: the survey-tool layout of the responses file, detected or forced."""
    from nps_kit.data.layouts import EXPORT_LAYOUTS

    parser.add_argument("--export", default="auto", choices=EXPORT_LAYOUTS,
                        help="layout of the responses file: auto (default) detects a Qualtrics, "
                             "SurveyMonkey, Google Forms or Typeform export and says so; the "
                             "other values force one (plain: one header row)")


def add_id_option(parser: argparse.ArgumentParser, default: str | None = "respondent_id",
                  purpose: str = "checked for repeats within a wave") -> None:
    """``--id-column`` (earlier ``--respondent-id``): the respondent id of the responses file."""
    shown = f"default {default}" if default else "default: none"
    parser.add_argument("--id-column", default=default, metavar="COL",
                        help=f"respondent id column of the responses, {purpose} ({shown})")
    alias(parser, "--respondent-id", "id_column", metavar="COL")


def add_customer_id_option(parser: argparse.ArgumentParser, file: str) -> None:
    """``--customer-id-column`` (earlier ``--customer-id``): the key of a customers/outcomes file."""
    parser.add_argument("--customer-id-column", default="customer_id", metavar="COL",
                        help=f"customer id column of the {file} file; responses without the id "
                             "column are joined on their own column of this name "
                             "(default customer_id)")
    alias(parser, "--customer-id", "customer_id_column", metavar="COL")


def add_wave_options(parser: argparse.ArgumentParser, default: str | None = "wave",
                     purpose: str = "") -> None:
    """``--wave-column COL`` and ``--no-wave-column``, the same in every command.

    An absent default column means one wave, said in the output; ``--no-wave-column`` (or
    ``--wave-column ''``) says so explicitly.
    """
    shown = (f"default {default}; a file without it is one wave" if default else "default: none")
    parser.add_argument("--wave-column", default=None, metavar="COL",
                        help=f"column naming the survey wave{purpose} ({shown})")
    parser.set_defaults(wave_default=default)
    parser.add_argument("--no-wave-column", action="store_true",
                        help="the responses have no wave column: all rows are one wave")
    from nps_kit.core.periods import PERIODS

    parser.add_argument("--date-column", metavar="COL",
                        help="a date column rolled up to --period; the periods are the waves "
                             "(instead of --wave-column)")
    parser.add_argument("--period", default="month", choices=PERIODS,
                        help="roll-up of --date-column: week (ISO), month or quarter (default: month)")


def wave_column(args: argparse.Namespace) -> tuple[str | None, bool]:
    """The wave column asked for, and whether an absent one may be read as one wave."""
    if getattr(args, "no_wave_column", False) or args.wave_column == "":
        return None, True
    if args.wave_column is None:
        return getattr(args, "wave_default", None), True
    return args.wave_column, False


def add_weight_options(parser: argparse.ArgumentParser, purpose: str) -> None:
    """``--weight-column`` and ``--strata-column``, the same in every command that weights."""
    parser.add_argument("--weight-column", metavar="COL", help=f"survey weights: {purpose}")
    parser.add_argument("--strata-column", metavar="COL",
                        help="with --weight-column: the strata the sample was drawn in")


def add_errors_options(parser: argparse.ArgumentParser) -> None:
    """``--errors raise|drop`` and ``--dropped-report CSV``."""
    from nps_kit.data.files import ERROR_MODES

    parser.add_argument("--errors", default="raise", choices=ERROR_MODES,
                        help="stop at invalid rows (raise, default) or drop them with a report (drop)")
    parser.add_argument("--dropped-report", metavar="CSV",
                        help="with --errors drop: also write the dropped rows and reasons to this CSV")
    add_encoding_option(parser)


def add_encoding_option(parser: argparse.ArgumentParser) -> None:
    """``--encoding NAME``: text encoding of the CSV/TSV files read (default UTF-8)."""
    parser.add_argument("--encoding", metavar="NAME", default=None,
                        help="text encoding of CSV/TSV input files, e.g. cp1252 or latin-1 "
                             "(default: UTF-8)")


def add_json_option(parser: argparse.ArgumentParser) -> None:
    """``--json``: the whole result in the envelope of :mod:`nps_kit.cli.envelope`."""
    parser.add_argument("--json", action="store_true",
                        help="print the whole result as JSON (one envelope for every command; "
                             "schema: nps_kit/schemas/envelope.schema.json)")


def load_summary(loaded) -> dict:
    """Row counts of a :class:`~nps_kit.data.files.LoadedResponses` (or, counted in an engine, a
    :class:`~nps_kit.engines.reading.SourceResponses`) for the envelope's ``summary``; an engine's
    provenance (engine, counting query, files, row counts) goes under ``source``."""
    summary = {"file": loaded.file, "rows_read": loaded.rows_read, "rows_kept": loaded.rows_kept,
               "rows_dropped": loaded.rows_dropped, "nonrespondents": loaded.nonrespondents,
               "id_column": loaded.id, "wave_column": loaded.wave,
               "score_column": loaded.score, "export": getattr(loaded, "layout", "plain"),
               "score_question": getattr(loaded, "question", None)}
    provenance = getattr(loaded, "provenance", None)
    summary["engine"] = provenance.engine if provenance is not None else "pandas"
    if provenance is not None:
        summary["source"] = provenance.as_dict()
    return summary


def load_notes(command: str, loaded, args: argparse.Namespace) -> list[str]:
    """What a command says about how it read its responses file; writes ``--dropped-report``."""
    notes = [*getattr(loaded, "layout_notes", ()), *loaded.notes]
    if loaded.rows_dropped:
        shown = "; ".join(f"row {r.row}: {r.reason}" for r in loaded.report.head(5).itertuples())
        more = " ..." if len(loaded.report) > 5 else ""
        notes.append(f"dropped {loaded.rows_dropped} of {loaded.rows_read} rows "
                     f"({loaded.rows_kept} kept); reasons: {shown}{more}")
        target = getattr(args, "dropped_report", None)
        if target:
            write_csv(loaded.report, target)
            notes.append(f"dropped rows listed in {target}")
    return notes


def say(command: str, lines, stream=None) -> None:
    """Print notes or warnings of a command to standard error, each prefixed with its name.

    Each line is literal text (:func:`nps_kit.core.safetext.display_text`): a value from the data
    in a note cannot send control sequences to the terminal.
    """
    for line in lines:
        print(f"nps-kit {command}: {display_text(line, 'plain', None)}", file=stream or sys.stderr)


def plain(line: str) -> str:
    """A sentence for standard output as literal text (no control characters)."""
    return display_text(line, "plain", None)


def text_table(frame: pd.DataFrame, formatters: dict | None = None, **to_string) -> str:
    """A table for the terminal: every text cell and column name through
    :func:`nps_kit.core.safetext.display_text` (control characters gone, labels shortened),
    p-value columns as :func:`nps_kit.core.formatting.p_value_text`, no index."""
    out = frame.copy()
    formatters = dict(formatters or {})
    for col in out.columns:
        if col in P_COLUMNS and col not in formatters:
            out[col] = out[col].map(lambda v: p_value_text(v) if pd.notna(v) else "")
        elif out[col].dtype == object or pd.api.types.is_string_dtype(out[col]) \
                or isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(object).map(
                lambda v: display_text(v, "plain") if isinstance(v, str) else v)
    names = {c: display_text(c, "plain") for c in out.columns}
    out = out.rename(columns=names)
    formatters = {names.get(k, k): f for k, f in formatters.items()}
    return out.to_string(index=False, formatters=formatters or None, **to_string)


P_COLUMNS = frozenset({"p_value", "p_adjusted", "p_equivalence", "p_equivalence_adjusted",
                       "p_holm"})
"""Columns written as p-values by :func:`text_table`."""


__all__ = [
    "add_confidence_argument", "add_customer_id_option", "add_encoding_option",
    "add_errors_options", "add_export_option", "add_id_option", "add_json_option",
    "add_score_option", "add_wave_options", "add_weight_options", "alias", "frame_to_records", "json_value",
    "load_notes", "load_summary", "parse_confidence", "parse_level", "say", "wave_column",
]
