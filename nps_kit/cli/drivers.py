"""``nps-kit drivers``: which attributes go with promoters and detractors, in NPS points."""

from __future__ import annotations

import argparse

import pandas as pd

from nps_kit.cli.common import (add_confidence_argument, add_errors_options, add_id_option,
                                add_json_option, add_score_option, load_notes, say)
from nps_kit.cli.common import plain, text_table
from nps_kit.groups.drivers import describe_drivers, key_drivers
from nps_kit.cli.envelope import emit, envelope, parameters_from_args
from nps_kit.errors import ParameterError
from nps_kit.engines.dispatch import read_responses
from nps_kit.core.scores import NONRESPONSE_POLICIES

SHOWN = ["attribute", "level", "reference", "n_level", "nps_effect", "ci_low", "ci_high", "p_value"]
"""Columns of the text output (the JSON has every column)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="responses file (.csv, .tsv, .xlsx, .parquet) or demo:<name>")
    add_score_option(parser)
    add_id_option(parser, default=None, purpose="checked for repeats, never shown")
    parser.add_argument("--categorical", action="append", default=[], metavar="COL",
                        help="categorical attribute (repeat): one effect per level against a "
                             "reference level")
    parser.add_argument("--numeric", action="append", default=[], metavar="COL",
                        help="numeric attribute (repeat): effect per unit")
    parser.add_argument("--flag", action="append", default=[], metavar="COL",
                        help="yes/no attribute (repeat; true/false, 1/0, yes/no)")
    parser.add_argument("--reference", action="append", default=[], metavar="COL=LEVEL",
                        help="reference level of a categorical attribute (default: most frequent)")
    parser.add_argument("--comment-column", default=None, metavar="COL",
                        help="code this column's comments into themes and use each theme as a flag")
    parser.add_argument("--codebook", default="",
                        help="with --comment-column: YAML codebook or starter:customer / starter:enps")
    parser.add_argument("--nonresponse", default="exclude", choices=NONRESPONSE_POLICIES,
                        help="what a blank score counts as (default: exclude)")
    add_confidence_argument(parser)
    add_errors_options(parser)
    add_json_option(parser)


def _references(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        col, sep, level = item.partition("=")
        if not sep or not col:
            raise ParameterError(f"--reference {item!r}: write it as COLUMN=LEVEL, e.g. --reference plan=basic")
        out[col] = level
    return out


def run(args: argparse.Namespace) -> int:
    columns = [*args.categorical, *args.numeric, *args.flag]
    if args.comment_column:
        columns.append(args.comment_column)
    loaded = read_responses(args.file, args.score_column, id=args.id_column, errors=args.errors,
                            columns=columns)
    notes = load_notes("drivers", loaded, args)
    data, flags = loaded.data, list(args.flag)
    if args.comment_column:
        from nps_kit.themes.coding import code_comments

        coded = code_comments(data, args.comment_column, args.codebook or None)
        used = [c for c in coded.columns if 0 < coded[c].sum() < len(coded)]
        unused = [c for c in coded.columns if c not in used]
        coded = coded[used].rename(columns=lambda c: f"theme: {c}")
        data = pd.concat([data, coded.astype(int)], axis=1)
        flags += list(coded.columns)
        notes.append(f"{len(used)} themes of the codebook used as flags"
                     + (f"; left out (mentioned by nobody or everybody): {', '.join(unused)}" if unused else ""))
    result = key_drivers(data, loaded.score, args.categorical, args.numeric, flags,
                         reference=_references(args.reference), confidence=args.confidence,
                         nonresponse=args.nonresponse)
    sentences = describe_drivers(result)
    if len(result.dropped):
        reasons = result.dropped["reason"].value_counts()
        notes.append(f"{len(result.dropped)} rows left out of the model: "
                     + "; ".join(f"{k}: {v}" for k, v in reasons.items()))
    closing = (f"Effects in NPS points = 100 x (AME promoter - AME detractor) from a multinomial "
               f"logit; {args.confidence:.0%} delta-method intervals.")
    dropped = pd.concat([loaded.report.drop(columns=["file"], errors="ignore"), result.dropped],
                        ignore_index=True)
    summary = {"file": loaded.file, "rows_read": loaded.rows_read, "rows_kept": result.n,
               "rows_dropped": loaded.rows_read - result.n,
               "events_per_parameter": result.events_per_parameter}
    if args.json:
        emit(envelope(
            "drivers", results={"drivers": result.table, "fit": result.fit, "sentences": sentences},
            parameters=parameters_from_args(args),
            method={"model": "multinomial logit (statsmodels MNLogit), reference detractor",
                    "effects": "average marginal effects on NPS, points",
                    "intervals": "delta method", "confidence": args.confidence,
                    "nonresponse": args.nonresponse, "units": "points"},
            summary=summary, dropped=dropped, warnings=list(result.warnings),
            notes=[*notes, closing],
        ))
        if result.warnings:
            say("drivers", result.warnings)
        return 0
    say("drivers", notes)
    print(text_table(result.table[SHOWN], float_format=lambda v: f"{v:.1f}"))
    print()
    for sentence in sentences:
        print(plain(sentence))
    for warning in result.warnings:
        print(f"Warning: {plain(warning)}")
    print("\n" + closing)
    return 0


__all__ = ["add_arguments", "run", "SHOWN"]
