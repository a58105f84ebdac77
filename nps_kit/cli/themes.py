"""``nps-kit themes``: code open answers into themes and compare detractors with promoters."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from nps_kit.cli.common import (add_errors_options, add_export_option, add_id_option,
                                add_json_option, add_score_option, load_notes, load_summary, say)
from nps_kit.cli.common import text_table
from nps_kit.themes.codebook import load_codebook
from nps_kit.cli.envelope import emit, envelope, parameters_from_args
from nps_kit.engines.dispatch import read_responses
from nps_kit.themes.coding import ADJUSTMENTS, TESTS, coding_summary
from nps_kit.themes.statistics import theme_lift

JSON_FIELDS = ("theme", "comments", "share", "share_detractors", "share_promoters", "lift", "p_adjusted")
"""Columns of the text output (the JSON has every column of the theme table)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="responses file (.csv, .tsv, .xlsx, .parquet) or demo:<name>")
    parser.add_argument("--comment-column", default="comment", metavar="COL",
                        help="column with the open answers (default comment)")
    add_score_option(parser)
    add_export_option(parser)
    add_id_option(parser, default=None, purpose="checked for repeats, never shown")
    parser.add_argument("--codebook", default="",
                        help="YAML codebook, or starter:customer / starter:enps "
                             "(default: the starter customer codebook of the comments' language: "
                             "en, de, fr, es, it, pt or nl)")
    parser.add_argument("--test", default="fisher", choices=TESTS,
                        help="test of detractor vs promoter share (default fisher)")
    parser.add_argument("--adjust", default="holm", choices=ADJUSTMENTS,
                        help="p-value adjustment across themes (default holm)")
    add_errors_options(parser)
    add_json_option(parser)


def run(args: argparse.Namespace) -> int:
    codebook = load_codebook(args.codebook) if args.codebook else None
    loaded = read_responses(args.file, args.score_column, id=args.id_column, errors=args.errors,
                            columns=[args.comment_column], export=args.export)
    notes = load_notes("themes", loaded, args)
    if codebook is None:
        from nps_kit.themes.language import codebook_for

        codebook, why, _ = codebook_for(loaded.data[args.comment_column])
        notes.append(why)
    lift = theme_lift(loaded.data, args.comment_column, loaded.score, codebook=codebook,
                      test=args.test, adjust=args.adjust)
    coding = coding_summary(loaded.data, args.comment_column, codebook)
    if coding.comments and coding.coded_share < 0.5:
        notes.append(f"only {coding.coded_share:.0%} of the comments are coded: the codebook "
                     f"{codebook.name} does not fit them; the figures describe the coded part "
                     "only (pass your own codebook with --codebook)")
    closing = (
        f"{coding.comments} comments ({coding.blank} rows blank); coded {coding.coded} "
        f"({coding.coded_share:.0%}), uncoded {coding.uncoded}, with several themes "
        f"{coding.multi_theme}. Codebook: {codebook.source}.\n"
        "share = comments with the theme / non-blank comments; lift = detractor share / "
        f"promoter share; p_adjusted: {args.test} test, {args.adjust} across themes."
    )
    if args.json:
        emit(envelope(
            "themes", results={"themes": lift}, parameters=parameters_from_args(args),
            method={"test": args.test, "adjust": args.adjust, "codebook": codebook.source},
            summary={**load_summary(loaded), **asdict(coding)},
            dropped=loaded.report, notes=[*notes, *closing.split("\n")],
        ))
        return 0
    say("themes", notes)
    shown = lift[list(JSON_FIELDS)].copy()
    for col in ("share", "share_detractors", "share_promoters"):
        shown[col] = (100 * shown[col]).map(lambda v: f"{v:.1f}%")
    shown["lift"] = shown["lift"].map(lambda v: "no promoter mention" if v == float("inf")
                                      else f"{v:.2f}")
    print(text_table(shown))
    print("\n" + closing)
    return 0


__all__ = ["add_arguments", "JSON_FIELDS", "run"]
