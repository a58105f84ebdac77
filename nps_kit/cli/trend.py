"""``nps-kit trend``: NPS by wave on a control chart (limits from the counts), runs and a trend."""

from __future__ import annotations

import argparse

from nps_kit.cli.common import (add_confidence_argument, add_errors_options, add_id_option,
                                add_json_option, add_score_option, add_wave_options, load_notes,
                                load_summary, say, wave_column)
from nps_kit.cli.common import plain, text_table
from nps_kit.cli.envelope import emit, envelope, parameters_from_args
from nps_kit.errors import DataError
from nps_kit.engines.dispatch import read_responses
from nps_kit.core.scores import NONRESPONSE_POLICIES
from nps_kit.waves.control_chart import RUN_LENGTH, SLOPE_METHODS, control_chart, describe_chart

SHOWN = ["n", "nps", "lcl", "ucl", "outside", "run", "trend"]
"""Columns of the text output after the wave (the JSON has every column)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="responses file (.csv, .tsv, .xlsx, .parquet) or demo:<name>")
    add_score_option(parser)
    add_wave_options(parser, default="wave")
    add_id_option(parser, default=None, purpose="checked for repeats within a wave")
    parser.add_argument("--sigma", type=float, default=3.0,
                        help="control limits at centre +- SIGMA standard errors (default 3)")
    parser.add_argument("--run-length", type=int, default=RUN_LENGTH,
                        help=f"waves in a row on one side of the centre that count as a signal "
                             f"(default {RUN_LENGTH}, Western Electric)")
    parser.add_argument("--centre-wave", action="append", default=[], metavar="WAVE",
                        help="reference wave for the centre line (repeat; default: all waves)")
    parser.add_argument("--slope", default="overdispersed", choices=SLOPE_METHODS,
                        help="trend interval with the residual dispersion (default) or sampling "
                             "error only (fixed)")
    parser.add_argument("--nonresponse", default="exclude", choices=NONRESPONSE_POLICIES,
                        help="what a blank score counts as (default: exclude)")
    add_confidence_argument(parser)
    add_errors_options(parser)
    add_json_option(parser)


def run(args: argparse.Namespace) -> int:
    wave, optional = wave_column(args)
    loaded = read_responses(args.file, args.score_column, id=args.id_column, wave=wave,
                            errors=args.errors, wave_optional=optional, date=args.date_column,
                            period=args.period)
    if loaded.wave is None:
        raise DataError(
            f"{args.file}: a control chart needs waves, and the file has no wave column"
            + (f" {wave!r}" if wave else "") + f" (columns: {', '.join(map(repr, loaded.data.columns))}). "
            "Name the column that holds the wave of each answer with --wave-column COL."
        )
    notes = load_notes("trend", loaded, args)
    chart = control_chart(loaded.data, loaded.score, loaded.wave, nonresponse=args.nonresponse,
                          sigma=args.sigma, run_length=args.run_length,
                          centre_waves=args.centre_wave or None, slope_method=args.slope,
                          confidence=args.confidence)
    sentences = describe_chart(chart)
    closing = (f"NPS in points; limits = centre +- {args.sigma:g} se from the pooled shares and "
               f"each wave's n (p-chart analogue); runs of {args.run_length}; trend by weighted "
               f"least squares in points per wave, {args.confidence:.0%} interval ({args.slope}); "
               f"blank scores: {args.nonresponse}.")
    if args.json:
        emit(envelope(
            "trend", results={"waves": chart.table, "trend": chart.trend, "sentences": sentences},
            parameters=parameters_from_args(args),
            method={"chart": "NPS control chart (p-chart analogue)", "sigma": args.sigma,
                    "run_length": args.run_length, "centre_waves": list(chart.centre_waves),
                    "slope": args.slope, "confidence": args.confidence,
                    "nonresponse": args.nonresponse, "units": "points"},
            summary={**load_summary(loaded), "waves": int(len(chart.table)),
                     "signals": int(chart.table["signal"].sum())},
            dropped=loaded.report, notes=[*notes, closing],
        ))
        return 0
    say("trend", notes)
    table = chart.table.rename(columns={loaded.wave: "wave"})
    print(text_table(table[["wave", *SHOWN]], float_format=lambda v: f"{v:.1f}"))
    print()
    for sentence in sentences:
        print(plain(sentence))
    print("\n" + closing)
    return 0


__all__ = ["add_arguments", "run", "SHOWN"]
