"""``nps-kit enps``: employee NPS by group, with small groups suppressed.

Each ``--group COL`` gives its own table; ``--cross`` adds the crossing of all ``--group``
columns (e.g. department x location). Suppression runs over all tables at once, so nothing
printed lets a reader work out a suppressed group by subtraction.
"""

from __future__ import annotations

import argparse

from nps_kit.cli.common import (alias, add_confidence_argument, add_errors_options,
                                add_export_option, add_id_option, add_json_option,
                                add_score_option, load_notes, load_summary, say)
from nps_kit.cli.common import plain, text_table
from nps_kit.enps.report import DEFAULT_MIN_GROUP_SIZE, enps_report
from nps_kit.cli.envelope import emit, envelope, parameters_from_args
from nps_kit.core.intervals import METHODS
from nps_kit.engines.dispatch import read_responses
from nps_kit.privacy.suppression import audit_record


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="responses file (.csv, .tsv, .xlsx, .parquet) or demo:<name>")
    add_score_option(parser)
    add_export_option(parser)
    add_id_option(parser, default=None, purpose="checked for repeats, never shown")
    parser.add_argument("--by", action="append", default=[], metavar="COL", dest="group",
                        help="group column; repeat for more groupings, each its own table")
    alias(parser, "--group", "group", action="append", metavar="COL")
    parser.add_argument("--cross", action="store_true",
                        help="also show the crossing of all --by columns (one more table)")
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
    add_errors_options(parser)
    parser.add_argument("--seed", type=int, default=0, help="seed of bootstrap and bayes (default 0)")
    add_json_option(parser)


def run(args: argparse.Namespace) -> int:
    groups = list(dict.fromkeys(args.group))
    groupings: list = list(groups)
    if args.cross and len(groups) >= 2:
        groupings.append(groups)
    loaded = read_responses(args.file, args.score_column, id=args.id_column, errors=args.errors,
                            columns=groups, export=args.export)
    notes = load_notes("enps", loaded, args)
    report = enps_report(
        loaded.data, loaded.score, groupings, min_group_size=args.min_group_size,
        headcount=args.headcount, method=args.method, confidence=args.confidence,
        allow_below_3=args.allow_small_threshold, seed=args.seed,
    )
    warnings = []
    if report.threshold_override:
        warnings.append(f"threshold lowered to {report.min_group_size} by --allow-small-threshold; "
                        "individual answers may be recognisable")
    if not report.unmatched_headcount.empty:
        notes.append(f"{len(report.unmatched_headcount)} group(s) have answers but no headcount "
                     "row; their participation is not shown")
    closing = (f"eNPS in points (-100..100); {args.confidence:.0%} intervals by {args.method}; "
               f"groups with fewer than {report.min_group_size} answers are suppressed, and further "
               "groups where needed so that none can be worked out by subtraction"
               + (" (threshold lowered by explicit override)." if report.threshold_override else "."))
    say("enps", (f"WARNING: {w}" for w in warnings))  # on standard error with --json too
    if args.json:
        suppressed = sum(int(t["suppressed"].sum()) for t in report.tables.values())
        emit(envelope(
            "enps", results={"groups": report.records()}, parameters=parameters_from_args(args),
            method={"intervals": args.method, "confidence": args.confidence,
                    "min_group_size": report.min_group_size,
                    "threshold_override": report.threshold_override, "seed": args.seed,
                    "suppression": "threshold, then complementary suppression across all tables",
                    "disclosure_audit": audit_record(report.audit),
                    "units": "points"},
            summary={**load_summary(loaded), "tables": len(report.tables),
                     "groups_suppressed": suppressed, "audit": report.audit.sentence()},
            dropped=loaded.report, warnings=warnings,
            notes=[*notes, closing, report.audit.sentence()],
        ))
        return 0
    say("enps", notes)
    for name in report.tables:
        print(f"== {plain(name)} ==")
        print(text_table(report.display_table(name)))
        print()
    print(closing)
    print(report.audit.sentence())
    return 0


__all__ = ["add_arguments", "run"]
