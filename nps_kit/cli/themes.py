"""``nps-kit themes``: code open answers into themes and compare detractors with promoters."""

from __future__ import annotations

import argparse
import json
import sys

from nps_kit.codebook import load_codebook
from nps_kit.io import ERROR_MODES, read_responses
from nps_kit.record import to_jsonable
from nps_kit.themes import ADJUSTMENTS, TESTS, coding_summary, theme_lift

JSON_FIELDS = ("theme", "comments", "share", "share_detractors", "share_promoters", "lift", "p_adjusted")
"""Keys of each theme in ``--json`` output."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="responses file (.csv, .tsv, .xlsx, .parquet) or demo:<name>")
    parser.add_argument("--comment-column", required=True, help="column with the open answers")
    parser.add_argument("--score-column", required=True, help="column with the 0-10 scores")
    parser.add_argument("--codebook", default="",
                        help="YAML codebook, or starter:customer / starter:enps "
                             "(default: the starter customer codebook)")
    parser.add_argument("--test", default="fisher", choices=TESTS,
                        help="test of detractor vs promoter share (default fisher)")
    parser.add_argument("--adjust", default="holm", choices=ADJUSTMENTS,
                        help="p-value adjustment across themes (default holm)")
    parser.add_argument("--errors", default="raise", choices=ERROR_MODES,
                        help="stop at invalid scores (raise) or drop those rows with a report (drop)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object per theme: " + ", ".join(JSON_FIELDS))


def run(args: argparse.Namespace) -> int:
    codebook = load_codebook(args.codebook or None)
    loaded = read_responses(args.file, args.score_column, errors=args.errors,
                            columns=[args.comment_column])
    if loaded.rows_dropped:
        print(f"nps-kit themes: dropped {loaded.rows_dropped} of {loaded.rows_read} rows with "
              "invalid scores (--errors drop)", file=sys.stderr)
    lift = theme_lift(loaded.data, args.comment_column, args.score_column, codebook=codebook,
                      test=args.test, adjust=args.adjust)
    coding = coding_summary(loaded.data, args.comment_column, codebook)
    if args.json:
        print(json.dumps(to_jsonable(lift[list(JSON_FIELDS)]), indent=2, allow_nan=False))
        return 0
    shown = lift[list(JSON_FIELDS)].copy()
    for col in ("share", "share_detractors", "share_promoters"):
        shown[col] = (100 * shown[col]).map(lambda v: f"{v:.1f}%")
    shown["lift"] = shown["lift"].map(lambda v: f"{v:.2f}")
    shown["p_adjusted"] = shown["p_adjusted"].map(lambda v: f"{v:.3g}")
    print(shown.to_string(index=False))
    print(
        f"\n{coding.comments} comments ({coding.blank} rows blank); coded {coding.coded} "
        f"({coding.coded_share:.0%}), uncoded {coding.uncoded}, with several themes "
        f"{coding.multi_theme}. Codebook: {codebook.source}.\n"
        "share = comments with the theme / non-blank comments; lift = detractor share / "
        f"promoter share; p_adjusted: {args.test} test, {args.adjust} across themes."
    )
    return 0
