"""``nps-kit abc``: ABC revenue classes, NPS per class, revenue at risk and the call list."""

from __future__ import annotations

import argparse
import json
import sys
import warnings

from nps_kit.abc import abc_from_files
from nps_kit.calllist import write_call_list
from nps_kit.cli.common import add_confidence_argument, frame_to_records
from nps_kit.intervals import METHODS
from nps_kit.io import ERROR_MODES
from nps_kit.scores import NONRESPONSE_POLICIES
from nps_kit.segments import MODES


def _two_fractions(text: str) -> tuple[float, float]:
    parts = [p for p in text.replace(";", ",").split(",") if p.strip()]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give two numbers such as 0.2,0.5") from None
    if len(values) != 2:
        raise argparse.ArgumentTypeError(f"{text!r}: give exactly two numbers such as 0.2,0.5")
    return values  # type: ignore[return-value]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--customers", required=True, metavar="FILE",
                        help="customers file (one row per customer with revenue) or demo:customers.csv")
    parser.add_argument("--responses", required=True, metavar="FILE",
                        help="responses file or demo:responses.csv")
    parser.add_argument("--customer-id", default="customer_id", metavar="COL",
                        help="customer id column (default customer_id)")
    parser.add_argument("--revenue", default="annual_revenue", metavar="COL",
                        help="revenue column (default annual_revenue)")
    parser.add_argument("--respondent-id", default="respondent_id", metavar="COL",
                        help="respondent id column, equal to the customer id (default respondent_id)")
    parser.add_argument("--score-column", default="score", metavar="COL",
                        help="0-10 score column (default score)")
    parser.add_argument("--wave-column", default="wave", metavar="COL",
                        help="wave column (default wave; '' when the file has none); with several "
                             "waves the latest is used unless --wave")
    parser.add_argument("--wave", default=None, help="wave to analyse")
    parser.add_argument("--comment-column", default=None, metavar="COL",
                        help="open-answer column copied to the call list")
    parser.add_argument("--mode", default="customers", choices=MODES,
                        help="cut classes by share of customers (20/30/50) or of revenue (80/15/5)")
    parser.add_argument("--cuts", type=_two_fractions, default=None, metavar="A,B",
                        help="where A and B end, cumulative: customer shares (default 0.2,0.5) "
                             "or with --mode revenue revenue shares (default 0.8,0.95)")
    parser.add_argument("--method", default="adjusted-wald", choices=METHODS, help="interval method")
    add_confidence_argument(parser)
    parser.add_argument("--nonresponse", default="exclude", choices=NONRESPONSE_POLICIES,
                        help="what a blank score counts as (default: exclude)")
    parser.add_argument("--errors", default="raise", choices=ERROR_MODES,
                        help="stop at invalid response rows (raise) or drop them with a report")
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    parser.add_argument("--resamples", type=int, default=10_000, help="bootstrap replicates (default 10000)")
    parser.add_argument("--call-list", metavar="CSV",
                        help="write the close-the-loop call list (contains customer identifiers) here")
    parser.add_argument("--json", action="store_true", help="print one JSON object per class")


def run(args: argparse.Namespace) -> int:
    cut_options = {}
    if args.cuts is not None:
        cut_options["revenue_cuts" if args.mode == "revenue" else "cuts"] = args.cuts
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the warnings are kept in the result and printed below
        analysis = abc_from_files(
            args.customers, args.responses, customer_id=args.customer_id, revenue=args.revenue,
            respondent_id=args.respondent_id, score=args.score_column,
            wave_column=args.wave_column or None, errors=args.errors, wave=args.wave,
            comment=args.comment_column, mode=args.mode, method=args.method,
            confidence=args.confidence, nonresponse=args.nonresponse, seed=args.seed,
            n_resamples=args.resamples, **cut_options,
        )
    joined = analysis.joined.summary.iloc[0]
    notes = []
    if analysis.joined.wave is not None:
        notes.append(f"wave {analysis.joined.wave} ({int(joined['other_waves'])} rows of other waves not used)")
    if len(analysis.dropped):
        notes.append(f"{len(analysis.dropped)} invalid response row(s) dropped")
    if analysis.joined.rows_unmatched:
        notes.append(f"{analysis.joined.rows_unmatched} response(s) without a classified customer "
                     f"({int(joined['without_customer'])} unknown id, "
                     f"{int(joined['customer_without_revenue'])} customer without revenue)")
    if analysis.classes.n_unclassified:
        notes.append(f"{analysis.classes.n_unclassified} customer(s) without usable revenue left out")
    notes.extend(f"warning: {w}" for w in analysis.warnings)
    for note in notes:
        print(f"nps-kit abc: {note}", file=sys.stderr)
    if args.call_list:
        path = write_call_list(analysis.calls, args.call_list)
        print(f"nps-kit abc: call list written to {path} ({analysis.calls.n_follow_up} to call back, "
              f"{analysis.calls.n_thank} to thank)", file=sys.stderr)
    table = analysis.summary
    if args.json:
        print(json.dumps(frame_to_records(table), indent=2))
        return 0
    shown = table[["class", "customers", "respondents", "response_rate", "nps", "ci_low", "ci_high",
                   "revenue", "revenue_at_risk", "revenue_at_risk_share"]]
    print(shown.to_string(index=False, formatters={
        "response_rate": "{:.1%}".format, "revenue_at_risk_share": "{:.1%}".format,
        "nps": "{:.1f}".format, "ci_low": "{:.1f}".format, "ci_high": "{:.1f}".format,
        "revenue": "{:,.0f}".format, "revenue_at_risk": "{:,.0f}".format,
    }))
    c = analysis.comparison
    print(
        f"\nNPS in points; {args.confidence:.0%} intervals by {args.method}. Revenue at risk: "
        f"detractors' share of respondents' revenue projected to the class. Chi-square class x "
        f"category: p = {c.p_value:.3g}." + (f" {c.note}." if c.note else "")
    )
    return 0
