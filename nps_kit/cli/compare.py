"""``nps-kit compare``: wave-over-wave NPS changes with tests, from one responses file."""

from __future__ import annotations

import argparse
from dataclasses import replace

import pandas as pd

from nps_kit.cli.common import (add_confidence_argument, add_errors_options, add_export_option,
                                add_id_option, add_json_option, add_score_option, add_wave_options,
                                load_notes, load_summary, say, wave_column)
from nps_kit.cli.common import plain, text_table
from nps_kit.core.compare import ADJUST_METHODS, COMPARE_METHODS
from nps_kit.cli.engine import add_engine_option, read_for_command
from nps_kit.cli.envelope import emit, envelope, parameters_from_args
from nps_kit.errors import DataError
from nps_kit.core.intervals import METHODS
from nps_kit.waves.changes import compare_waves, describe_changes

SHOWN = ["from", "to", "design", "n_matched", "delta", "estimate", "ci_low", "ci_high", "p_value",
         "p_adjusted", "mdc"]
"""Columns of the changes table in the text output (the JSON has every column)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="responses file (.csv, .tsv, .xlsx, .parquet) or demo:<name>")
    add_score_option(parser)
    add_export_option(parser)
    add_wave_options(parser, default="wave")
    add_id_option(parser, default=None,
                  purpose="matching respondents across waves (panel and overlap designs)")
    parser.add_argument("--by", action="append", default=[], metavar="COL",
                        help="segment column (repeat for crossings); changes per segment too")
    parser.add_argument("--baseline", metavar="WAVE", help="also compare every wave with this one")
    parser.add_argument("--method", default="adjusted-wald", choices=METHODS,
                        help="interval method of the per-wave NPS; the change test uses it when it "
                             "is wald or adjusted-wald, else adjusted-wald (default adjusted-wald)")
    add_confidence_argument(parser)
    parser.add_argument("--adjust", default="holm", choices=ADJUST_METHODS,
                        help="p-value adjustment over all comparisons (default holm)")
    parser.add_argument("--population", metavar="N",
                        help="people each wave could reach: finite population correction of the "
                             "overall intervals and changes (wald, adjusted-wald)")
    from nps_kit.cli.common import add_weight_options

    add_weight_options(parser, "weighted NPS per wave and changes between independent waves with "
                               "linearised standard errors (no --by, no panel)")
    parser.add_argument("--equivalence", type=float, default=None, metavar="M",
                        help="also test equivalence within +-M NPS points (two one-sided tests, "
                             "Schuirmann 1987): adds p_equivalence and the verdict equivalence")
    add_errors_options(parser)
    add_engine_option(parser)
    add_json_option(parser)


def _wave_text(frame: pd.DataFrame, wave: str) -> pd.DataFrame:
    return frame.rename(columns={wave: "wave"}).assign(wave=lambda f: f["wave"].astype(str))


def _weighted(args, loaded, notes) -> int:
    from nps_kit.cli.common import plain, say, text_table
    from nps_kit.design.sample_size import as_count
    from nps_kit.errors import ParameterError
    from nps_kit.waves.weighted import weighted_wave_changes

    if args.by or args.baseline or args.equivalence:
        raise ParameterError("--weight-column compares the overall NPS of consecutive waves; "
                             "leave out --by, --baseline and --equivalence")
    population = None if args.population is None else as_count(args.population, "--population")
    waves, changes = weighted_wave_changes(
        loaded.data, loaded.score, loaded.wave, args.weight_column, strata=args.strata_column,
        id=loaded.id, confidence=args.confidence, adjust=args.adjust, population=population)
    notes = [*notes, f"weighted by {args.weight_column!r}: linearised standard errors, waves as "
                     "independent samples; effective n per wave "
                     f"{waves['n_effective'].round(1).tolist()} (Kish)"]
    closing = (f"Changes in NPS points, {args.confidence:.0%} intervals; p-values adjusted by "
               f"{args.adjust}. Intervals cover sampling error only, under random response.")
    if args.json:
        emit(envelope("compare", results={"waves": waves, "changes": changes},
                      parameters=parameters_from_args(args),
                      method={"changes": "linearized (weights)", "weights": args.weight_column,
                              "strata": args.strata_column, "adjust": args.adjust,
                              "confidence": args.confidence, "population": population},
                      summary=load_summary(loaded), dropped=loaded.report,
                      notes=[*notes, closing]))
        return 0
    say("compare", notes)
    print(text_table(waves[[loaded.wave, "n", "n_effective", "nps", "ci_low", "ci_high"]],
                     float_format=lambda v: f"{v:.1f}"))
    print()
    print(text_table(changes[["from", "to", "delta", "ci_low", "ci_high", "p_value", "p_adjusted"]],
                     float_format=lambda v: f"{v:.1f}"))
    print("\n" + plain(closing))
    return 0


def run(args: argparse.Namespace) -> int:
    wave, optional = wave_column(args)
    if args.weight_column:
        args.engine = "pandas"  # every answer's weight is needed
    loaded, data, engine = read_for_command(
        args, id=args.id_column, wave=wave, wave_optional=optional,
        columns=[*args.by, *[c for c in (args.weight_column, args.strata_column) if c]])
    if loaded.wave is None:
        raise DataError(
            f"{args.file}: a comparison needs waves, and the file has no wave column"
            + (f" {wave!r}" if wave else "") + f" (columns: {', '.join(map(repr, loaded.data.columns))}). "
            "Name the column that holds the wave of each answer with --wave-column COL."
        )
    notes = [*load_notes("compare", loaded, args), engine]
    if args.weight_column:
        return _weighted(args, loaded, notes)
    test_method = args.method if args.method in COMPARE_METHODS else "adjusted-wald"
    if test_method != args.method:
        notes.append(f"changes are tested with adjusted-wald ({args.method} is used for the "
                     "per-wave intervals only)")
    from nps_kit.design.sample_size import as_count

    population = None if args.population is None else as_count(args.population, "--population")
    result = compare_waves(
        data, loaded.score, loaded.wave, id=loaded.id, by=args.by or None,
        baseline=args.baseline, method=test_method, confidence=args.confidence,
        adjust=args.adjust, interval_method=args.method, population=population,
    )
    if population is not None:
        notes.append(f"finite population: each wave could reach {population:,} people; overall "
                     "intervals and changes corrected, segments not (their populations are not given)")
    waves = _wave_text(result.waves, loaded.wave)
    sentences = list(describe_changes(result.changes, result.segment_changes, args.by))
    shown = list(SHOWN)
    if args.equivalence is not None:
        from nps_kit.core.equivalence import describe_equivalence, wave_equivalence

        changes, segment_changes = wave_equivalence(result, args.equivalence)
        result = replace(result, changes=changes, segment_changes=segment_changes)
        sentences += describe_equivalence(changes)
        if segment_changes is not None:
            sentences += describe_equivalence(segment_changes, args.by)
        shown += ["p_equivalence", "equivalence"]
    closing = (f"NPS and changes in points; {args.confidence:.0%} intervals ({args.method} per wave, "
               f"{test_method} for changes, centred on the estimate); p-values adjusted by "
               f"{args.adjust} over all comparisons; mdc = change detectable with 80 % power.")
    if args.equivalence is not None:
        closing += (f" Equivalence: two one-sided tests against +-{args.equivalence:g} points "
                    f"(Schuirmann 1987) with {1 - 2 * (1 - args.confidence):.0%} intervals, "
                    f"p_equivalence adjusted by {args.adjust}; verdicts: equivalent, "
                    "not shown equivalent, changed.")
    if args.json:
        results = {"wave_order": [str(w) for w in result.wave_order], "waves": waves,
                   "changes": result.changes, "sentences": sentences}
        if result.segment_waves is not None:
            results["segment_waves"] = _wave_text(result.segment_waves, loaded.wave)
        if result.segment_changes is not None:
            results["segment_changes"] = result.segment_changes
        if result.transitions is not None and len(result.transitions):
            results["transitions"] = result.transitions
        emit(envelope(
            "compare", results=results, parameters=parameters_from_args(args),
            method={"intervals": args.method, "test": test_method, "adjust": args.adjust,
                    "confidence": args.confidence, "order_basis": result.order_basis,
                    "units": "points", "equivalence_margin": args.equivalence},
            summary={**load_summary(loaded), "waves": len(result.wave_order),
                     "comparisons": int(len(result.changes))},
            dropped=loaded.report, notes=[*notes, result.order_sentence, closing],
        ))
        return 0
    say("compare", notes)
    fmt = {"float_format": lambda v: f"{v:.1f}"}
    print(plain(result.order_sentence))
    print()
    print(text_table(waves[["wave", "n", "nps", "ci_low", "ci_high"]], **fmt))
    for frame, cols in ((result.changes, shown), (result.segment_changes, [*args.by, *shown])):
        if frame is None or not len(frame):
            continue
        print()
        print(text_table(frame[cols], **fmt))
    print()
    for sentence in sentences:
        print(sentence)
    print("\n" + closing)
    return 0


__all__ = ["add_arguments", "run", "SHOWN"]
