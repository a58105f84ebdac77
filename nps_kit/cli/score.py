"""``nps-kit score``: NPS with intervals from a responses file."""

from __future__ import annotations

import argparse
import json
import sys

from nps_kit.cli.common import add_confidence_argument, frame_to_records
from nps_kit.intervals import METHODS
from nps_kit.io import ERROR_MODES, read_responses
from nps_kit.scores import NONRESPONSE_POLICIES
from nps_kit.summary import summarize


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="responses file (.csv, .tsv, .xlsx, .parquet) or demo:<name>")
    parser.add_argument("--score-column", required=True, help="column with the 0-10 scores")
    parser.add_argument("--by", action="append", default=[], metavar="COL",
                        help="group column (repeat for crossings)")
    parser.add_argument("--id-column", help="respondent id column (checked for duplicates)")
    parser.add_argument("--wave-column", help="wave column (ids must be unique within a wave)")
    parser.add_argument("--method", default="adjusted-wald", choices=METHODS, help="interval method")
    add_confidence_argument(parser)
    parser.add_argument("--nonresponse", default="exclude", choices=NONRESPONSE_POLICIES,
                        help="what a blank score counts as (default: exclude)")
    parser.add_argument("--errors", default="raise", choices=ERROR_MODES,
                        help="stop at invalid rows (raise) or drop them with a report (drop)")
    parser.add_argument("--dropped-report", metavar="CSV",
                        help="with --errors drop: write the dropped rows and reasons to this CSV")
    parser.add_argument("--seed", type=int, default=0, help="seed of bootstrap and bayes (default 0)")
    parser.add_argument("--no-scale-check", action="store_true",
                        help="do not stop on data that looks like a 1-10 scale")
    parser.add_argument("--json", action="store_true", help="print the summary rows as JSON")


def run(args: argparse.Namespace) -> int:
    loaded = read_responses(
        args.file, args.score_column, id=args.id_column, wave=args.wave_column,
        errors=args.errors, columns=args.by, check_scale=not args.no_scale_check,
    )
    if loaded.rows_dropped:
        print(
            f"nps-kit score: dropped {loaded.rows_dropped} of {loaded.rows_read} rows "
            f"({loaded.rows_kept} kept); reasons: "
            + "; ".join(f"row {r.row}: {r.reason}" for r in loaded.report.head(5).itertuples())
            + (" ..." if len(loaded.report) > 5 else ""),
            file=sys.stderr,
        )
        if args.dropped_report:
            loaded.report.to_csv(args.dropped_report, index=False)
            print(f"nps-kit score: dropped rows listed in {args.dropped_report}", file=sys.stderr)
    table = summarize(
        loaded.data, score=args.score_column, by=args.by or None, method=args.method,
        confidence=args.confidence, nonresponse=args.nonresponse, seed=args.seed,
    )
    if args.json:
        print(json.dumps(frame_to_records(table), indent=2))
        return 0
    shown = table[[*args.by, "n", "detractors", "passives", "promoters", "nps", "ci_low", "ci_high"]]
    print(shown.to_string(index=False, float_format=lambda v: f"{v:.1f}"))
    print(
        f"\nNPS in points (-100..100); {args.confidence:.0%} intervals by {args.method}; "
        f"blank scores: {args.nonresponse} ({int(table['nonrespondents'].sum())} in all)."
    )
    return 0
