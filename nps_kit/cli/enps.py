"""``nps-kit enps``: employee NPS by group, with small groups suppressed.

Each ``--group COL`` gives its own table; ``--cross`` adds the crossing of all ``--group``
columns (e.g. department x location). Suppression runs over all tables at once, so nothing
printed lets a reader work out a suppressed group by subtraction.
"""

from __future__ import annotations

import argparse
import json
import sys

from nps_kit.cli.common import add_confidence_argument
from nps_kit.enps import DEFAULT_MIN_GROUP_SIZE, enps_report
from nps_kit.intervals import METHODS
from nps_kit.io import ERROR_MODES, read_responses


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="responses file (.csv, .tsv, .xlsx, .parquet) or demo:<name>")
    parser.add_argument("--score-column", required=True, help="column with the 0-10 scores")
    parser.add_argument("--group", action="append", default=[], metavar="COL",
                        help="group column; repeat for more groupings, each its own table")
    parser.add_argument("--cross", action="store_true",
                        help="also show the crossing of all --group columns (one more table)")
    parser.add_argument("--min-group-size", type=int, default=DEFAULT_MIN_GROUP_SIZE, metavar="K",
                        help=f"anonymity threshold: groups with fewer answers are suppressed "
                             f"(default {DEFAULT_MIN_GROUP_SIZE}; below 3 needs "
                             "--allow-small-threshold)")
    parser.add_argument("--allow-small-threshold", action="store_true",
                        help="permit --min-group-size 1 or 2 (recorded in the output)")
    parser.add_argument("--headcount", metavar="FILE",
                        help="headcount file (group columns + 'headcount') for participation rates")
    parser.add_argument("--method", default="adjusted-wald", choices=METHODS, help="interval method")
    add_confidence_argument(parser)
    parser.add_argument("--errors", default="raise", choices=ERROR_MODES,
                        help="stop at invalid rows (raise) or drop them with a report (drop)")
    parser.add_argument("--seed", type=int, default=0, help="seed of bootstrap and bayes (default 0)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON entry per group of every table (null where suppressed)")


def run(args: argparse.Namespace) -> int:
    groups = list(dict.fromkeys(args.group))
    groupings: list = list(groups)
    if args.cross and len(groups) >= 2:
        groupings.append(groups)
    loaded = read_responses(args.file, args.score_column, errors=args.errors, columns=groups)
    if loaded.rows_dropped:
        print(f"nps-kit enps: dropped {loaded.rows_dropped} of {loaded.rows_read} rows; reasons: "
              + "; ".join(f"row {r.row}: {r.reason}" for r in loaded.report.head(5).itertuples())
              + (" ..." if len(loaded.report) > 5 else ""), file=sys.stderr)
    report = enps_report(
        loaded.data, args.score_column, groupings, min_group_size=args.min_group_size,
        headcount=args.headcount, method=args.method, confidence=args.confidence,
        allow_below_3=args.allow_small_threshold, seed=args.seed,
    )
    if report.threshold_override:
        print(f"nps-kit enps: WARNING: threshold lowered to {report.min_group_size} by "
              "--allow-small-threshold; individual answers may be recognisable", file=sys.stderr)
    if not report.unmatched_headcount.empty:
        print(f"nps-kit enps: {len(report.unmatched_headcount)} group(s) have answers but no "
              "headcount row; their participation is not shown", file=sys.stderr)
    if args.json:
        print(json.dumps(report.records(), indent=2, allow_nan=False))
        return 0
    for name in report.tables:
        print(f"== {name} ==")
        print(report.display_table(name).to_string(index=False))
        print()
    print(f"eNPS in points (-100..100); {args.confidence:.0%} intervals by {args.method}; groups "
          f"with fewer than {report.min_group_size} answers are suppressed, and further groups "
          "where needed so that none can be worked out by subtraction"
          + (" (threshold lowered by explicit override)." if report.threshold_override else "."))
    return 0
