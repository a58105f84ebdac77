"""``nps-kit score``: NPS with intervals from a responses file."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from nps_kit.cli.common import (add_confidence_argument, add_errors_options, add_export_option,
                                add_id_option, add_json_option, add_score_option, add_wave_options,
                                load_notes, load_summary, say, wave_column)
from nps_kit.cli.common import text_table
from nps_kit.cli.engine import add_engine_option, read_for_command
from nps_kit.cli.envelope import emit, envelope, parameters_from_args
from nps_kit.core.intervals import METHODS
from nps_kit.core.smalln import MIN_ANSWERS, TOO_FEW, too_few
from nps_kit.core.scores import NONRESPONSE_POLICIES
from nps_kit.engines.dispatch import summarize


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="responses file (.csv, .tsv, .xlsx, .parquet) or demo:<name>")
    add_score_option(parser)
    add_export_option(parser)
    parser.add_argument("--by", action="append", default=[], metavar="COL",
                        help="group column (repeat for crossings)")
    add_id_option(parser, default=None)
    add_wave_options(parser, default=None, purpose=" (respondent ids must be unique within a wave)")
    parser.add_argument("--method", default="adjusted-wald", choices=METHODS, help="interval method")
    add_confidence_argument(parser)
    parser.add_argument("--nonresponse", default="exclude", choices=NONRESPONSE_POLICIES,
                        help="what a blank score counts as (default: exclude)")
    add_errors_options(parser)
    parser.add_argument("--seed", type=int, default=0, help="seed of bootstrap and bayes (default 0)")
    parser.add_argument("--shrink", action="store_true",
                        help="with --by: add empirical-Bayes shrunk NPS per group with intervals, "
                             "rank and probability of being best / worst (nps_shrunk, shrunk_low, "
                             "shrunk_high, p_best, p_worst)")
    parser.add_argument("--prior", default="overall-shares", choices=("overall-shares", "full"),
                        help="with --shrink: prior mean fixed at the overall shares (default) or "
                             "fitted too (full)")
    parser.add_argument("--no-scale-check", action="store_true",
                        help="do not stop on data that looks like a 1-10 scale")
    parser.add_argument("--population", metavar="N",
                        help="people who could have answered (finite population correction of "
                             "the intervals; without --by; wald and adjusted-wald)")
    from nps_kit.cli.common import add_weight_options

    add_weight_options(parser, "weighted NPS with a linearised interval and the effective n (Kish)")
    add_engine_option(parser)
    add_json_option(parser)


def run(args: argparse.Namespace) -> int:
    from nps_kit.design.sample_size import as_count

    wave, wave_optional = wave_column(args)
    population = None if args.population is None else as_count(args.population, "--population")
    design_columns = [c for c in (args.weight_column, args.strata_column) if c]
    if design_columns:
        from nps_kit.errors import ParameterError

        if getattr(args, "engine", "auto") == "duckdb":
            raise ParameterError("--weight-column needs every answer's weight: use --engine pandas "
                                 "or auto")
        args.engine = "pandas"
    loaded, data, engine = read_for_command(
        args, id=args.id_column, wave=wave, wave_optional=wave_optional,
        columns=[*args.by, *design_columns], check_scale=not args.no_scale_check)
    notes = [*load_notes("score", loaded, args), engine]
    table = summarize(
        data, score=loaded.score, by=args.by or None, method=args.method,
        confidence=args.confidence, nonresponse=args.nonresponse, seed=args.seed,
        population=population, weights=args.weight_column, strata=args.strata_column,
    )
    if population is not None:
        notes.append(f"finite population: {population:,} people could have answered; intervals "
                     "corrected by sqrt((N - n) / (N - 1))")
    if args.weight_column:
        eff = table["n_effective"].round(1).tolist()
        notes.append(f"weighted by {args.weight_column!r}"
                     + (f" within strata {args.strata_column!r}" if args.strata_column else "")
                     + f": linearised intervals; effective n {eff} (Kish)")
    nonrespondents = int(table["nonrespondents"].sum())
    shrink_notes: list[str] = []
    if args.shrink:
        from nps_kit.errors import ParameterError
        from nps_kit.groups.shrinkage import shrink_table

        if not args.by:
            raise ParameterError("--shrink compares groups: give the group column with --by COL")
        shrunk = shrink_table(table, args.by, args.prior, args.confidence, seed=args.seed)
        table, shrink_notes = shrunk.table, list(shrunk.notes)
    used = "linearisation (weights)" if args.weight_column else args.method
    closing = (f"NPS in points (-100..100); {args.confidence:.0%} intervals by {used}; "
               f"blank scores: {args.nonresponse} ({nonrespondents} in all). Intervals cover "
               "sampling error only, under random response.")
    few = too_few(table["n"]) & (table["n"] > 0)
    table = table.assign(too_few_answers=few)
    policy = []
    if few.any():
        policy.append(f"{int(few.sum())} group(s) have fewer than {MIN_ANSWERS} answers: their "
                      f"interval is shown as '{TOO_FEW}'")
    fell_back = (table["method"] == "score") & (args.method != "score") & table["n"].gt(0)
    if fell_back.any():
        policy.append(f"{int(fell_back.sum())} group(s) get Tango's score interval (method "
                      f"'score'): the {args.method} interval excluded their observed NPS")
    if args.json:
        emit(envelope(
            "score", results={"groups": table}, parameters=parameters_from_args(args),
            method={"intervals": used, "confidence": args.confidence, "population": population,
                    "weights": args.weight_column, "strata": args.strata_column,
                    "nonresponse": args.nonresponse, "seed": args.seed, "units": "points",
                    "shrinkage": args.prior if args.shrink else None},
            summary=load_summary(loaded), dropped=loaded.report,
            notes=[*notes, *shrink_notes, *policy, closing],
        ))
        return 0
    say("score", notes)
    extra = ["nps_shrunk", "shrunk_low", "shrunk_high", "rank", "p_best", "p_worst"] if args.shrink else []
    extra += ["n_effective"] if args.weight_column else []
    shown = table[[*args.by, "n", "detractors", "passives", "promoters", "nps", "ci_low", "ci_high", *extra]]
    pretty = {c: shown[c].map("{:.3f}".format) for c in ("p_best", "p_worst") if c in extra}
    pretty.update({c: [TOO_FEW if small else ("" if pd.isna(v) else f"{v:.1f}")
                       for small, v in zip(few, shown[c])] for c in ("ci_low", "ci_high")})
    shown = shown.assign(**pretty)
    if fell_back.any():
        shown["interval_method"] = np.where(fell_back, "score", args.method)
    print(text_table(shown, float_format=lambda v: f"{v:.1f}"))
    for line in [*shrink_notes, *policy]:
        print(line)
    print("\n" + closing)
    return 0


__all__ = ["add_arguments", "run"]
