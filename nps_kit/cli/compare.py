"""``nps-kit compare``: wave-over-wave NPS changes with tests, from one responses file."""

from __future__ import annotations

import argparse
import json

import pandas as pd

from nps_kit.cli.common import add_confidence_argument, frame_to_records
from nps_kit.compare import ADJUST_METHODS, COMPARE_METHODS
from nps_kit.intervals import METHODS
from nps_kit.io import read_responses
from nps_kit.waves import compare_waves, describe_changes

WAVE_KEYS = ["wave", "n", "nps", "ci_low", "ci_high"]
CHANGE_KEYS = ["from", "to", "delta", "se", "ci_low", "ci_high", "p_value", "p_adjusted", "design",
               "comparison", "n_from", "n_to", "n_matched", "z", "significant", "mdc"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="responses file (.csv, .tsv, .xlsx, .parquet) or demo:<name>")
    parser.add_argument("--score-column", required=True, help="column with the 0-10 scores")
    parser.add_argument("--wave-column", required=True, help="column naming the wave of each answer")
    parser.add_argument("--id-column", help="respondent id column: enables paired/overlap designs")
    parser.add_argument("--by", action="append", default=[], metavar="COL",
                        help="segment column (repeat for crossings); changes per segment too")
    parser.add_argument("--baseline", metavar="WAVE", help="also compare every wave with this one")
    parser.add_argument("--method", default="adjusted-wald", choices=METHODS,
                        help="interval method of the per-wave NPS; the change test uses it when it "
                             "is wald or adjusted-wald, else adjusted-wald (default adjusted-wald)")
    add_confidence_argument(parser)
    parser.add_argument("--adjust", default="holm", choices=ADJUST_METHODS,
                        help="p-value adjustment over all comparisons (default holm)")
    parser.add_argument("--json", action="store_true",
                        help="print an object with wave_order, waves and changes as JSON")


def _change_records(frame: pd.DataFrame | None, by: list[str]) -> list[dict]:
    if frame is None or frame.empty:
        return []
    cols = [c for c in by if c in frame.columns] + CHANGE_KEYS
    return frame_to_records(frame[cols])


def run(args: argparse.Namespace) -> int:
    loaded = read_responses(args.file, args.score_column, id=args.id_column, wave=args.wave_column,
                            columns=args.by)
    test_method = args.method if args.method in COMPARE_METHODS else "adjusted-wald"
    result = compare_waves(
        loaded.data, args.score_column, args.wave_column, id=args.id_column, by=args.by or None,
        baseline=args.baseline, method=test_method, confidence=args.confidence,
        adjust=args.adjust, interval_method=args.method,
    )
    overall = result.changes.assign(**{c: None for c in args.by})
    waves = result.waves.rename(columns={args.wave_column: "wave"})
    if args.json:
        out = {
            "wave_order": list(result.wave_order),
            "order_basis": result.order_basis,
            "waves": frame_to_records(waves[WAVE_KEYS].assign(wave=waves["wave"].astype(str))),
            "changes": _change_records(overall, args.by) + _change_records(result.segment_changes, args.by),
            "method": {"intervals": args.method, "test": test_method, "adjust": args.adjust,
                       "confidence": args.confidence},
        }
        if result.segment_waves is not None:
            seg = result.segment_waves.rename(columns={args.wave_column: "wave"})
            out["segment_waves"] = frame_to_records(
                seg[["wave", *args.by, "n", "nps", "ci_low", "ci_high"]].assign(wave=seg["wave"].astype(str)))
        print(json.dumps(out, indent=2))
        return 0
    fmt = {"float_format": lambda v: f"{v:.1f}", "index": False}
    print(result.order_sentence)
    print()
    print(waves[["wave", "n", "nps", "ci_low", "ci_high"]].to_string(**fmt))
    print()
    shown = ["from", "to", "design", "n_matched", "delta", "ci_low", "ci_high", "p_value",
             "p_adjusted", "mdc"]
    table = result.changes[shown].assign(p_value=result.changes["p_value"].map("{:.3g}".format),
                                         p_adjusted=result.changes["p_adjusted"].map("{:.3g}".format))
    print(table.to_string(**fmt))
    if result.segment_changes is not None and len(result.segment_changes):
        seg = result.segment_changes
        print()
        print(seg[[*args.by, *shown]].assign(p_value=seg["p_value"].map("{:.3g}".format),
                                              p_adjusted=seg["p_adjusted"].map("{:.3g}".format)
                                              ).to_string(**fmt))
    print()
    for sentence in describe_changes(result.changes, result.segment_changes, args.by):
        print(sentence)
    print(
        f"\nNPS and changes in points; {args.confidence:.0%} intervals ({args.method} per wave, "
        f"{test_method} for changes); p-values adjusted by {args.adjust} over all "
        "comparisons; mdc = change detectable with 80 % power."
    )
    return 0
