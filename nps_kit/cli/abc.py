"""``nps-kit abc``: ABC revenue classes, NPS per class, revenue at risk and the call list."""

from __future__ import annotations

import argparse
import warnings

from nps_kit.revenue.study import abc_from_files
from nps_kit.revenue.calllist import write_call_list
from nps_kit.cli.common import (alias, add_confidence_argument, add_customer_id_option,
                                add_errors_options, add_export_option, add_id_option,
                                add_json_option, add_score_option, add_wave_options, say,
                                wave_column)
from nps_kit.cli.common import text_table
from nps_kit.cli.envelope import emit, envelope, parameters_from_args
from nps_kit.core.intervals import METHODS
from nps_kit.core.scores import NONRESPONSE_POLICIES
from nps_kit.revenue.classes import MODES
from nps_kit.data.writer import write_csv

SHOWN = ["class", "customers", "respondents", "response_rate", "nps", "ci_low", "ci_high",
         "revenue", "revenue_at_risk", "revenue_at_risk_share"]
"""Columns of the text output (the JSON has every column)."""


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
    add_customer_id_option(parser, "customers")
    parser.add_argument("--revenue-column", default="annual_revenue", metavar="COL",
                        help="revenue column of the customers file (default annual_revenue)")
    alias(parser, "--revenue", "revenue_column", metavar="COL")
    add_id_option(parser, purpose="equal to the customer id; without it the responses are "
                                  "joined on their customer id column")
    add_score_option(parser)
    add_export_option(parser)
    add_wave_options(parser, purpose="; with several waves the latest is used unless --wave")
    parser.add_argument("--wave", default=None, help="wave to analyse (default: the latest)")
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
    add_errors_options(parser)
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    parser.add_argument("--resamples", type=int, default=10_000, help="bootstrap replicates (default 10000)")
    parser.add_argument("--call-list", metavar="CSV",
                        help="write the close-the-loop call list (contains customer identifiers) here")
    add_json_option(parser)


def run(args: argparse.Namespace) -> int:
    cut_options = {}
    if args.cuts is not None:
        cut_options["revenue_cuts" if args.mode == "revenue" else "cuts"] = args.cuts
    wave, _ = wave_column(args)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the warnings are kept in the result and reported below
        analysis = abc_from_files(
            args.customers, args.responses, customer_id=args.customer_id_column,
            revenue=args.revenue_column, respondent_id=args.id_column, score=args.score_column,
            wave_column=wave, errors=args.errors, wave=args.wave, date=args.date_column,
            period=args.period,
            comment=args.comment_column, export=args.export, mode=args.mode, method=args.method,
            confidence=args.confidence, nonresponse=args.nonresponse, seed=args.seed,
            n_resamples=args.resamples, **cut_options,
        )
    joined = analysis.joined.summary.iloc[0]
    notes = list(analysis.notes)
    if analysis.joined.wave is not None:
        notes.append(f"wave {analysis.joined.wave} ({int(joined['other_waves'])} rows of other "
                     "waves not used)")
    if len(analysis.dropped):
        notes.append(f"{len(analysis.dropped)} invalid response row(s) dropped")
        if args.dropped_report:
            write_csv(analysis.dropped, args.dropped_report)
            notes.append(f"dropped rows listed in {args.dropped_report}")
    if analysis.joined.rows_unmatched:
        notes.append(f"{analysis.joined.rows_unmatched} response(s) without a classified customer "
                     f"({int(joined['without_customer'])} unknown id, "
                     f"{int(joined['customer_without_revenue'])} customer without revenue)")
    if analysis.classes.n_unclassified:
        notes.append(f"{analysis.classes.n_unclassified} customer(s) without usable revenue left out")
    call_list = None
    if args.call_list:
        path = write_call_list(analysis.calls, args.call_list)
        call_list = {"path": str(path), "follow_up": analysis.calls.n_follow_up,
                     "thank": analysis.calls.n_thank}
        notes.append(f"call list written to {path} ({analysis.calls.n_follow_up} to call back, "
                     f"{analysis.calls.n_thank} to thank)")
    c = analysis.comparison
    closing = (f"NPS in points; {args.confidence:.0%} intervals by {args.method}. Revenue at risk: "
               "detractors' share of respondents' revenue projected to the class. Chi-square "
               f"class x category: p = {c.p_value:.3g}." + (f" {c.note}." if c.note else ""))
    table = analysis.summary
    say("abc", (f"warning: {w}" for w in analysis.warnings))  # on standard error with --json too
    if args.json:
        r = analysis.revenue
        results = {
            "classes": table,
            "comparison": {"chi2": c.chi2, "dof": c.dof, "p_value": c.p_value,
                           "min_expected": c.min_expected, "note": c.note, "pairwise": c.pairwise},
            "revenue_at_risk": {"total_revenue": r.total_revenue, "at_risk": r.at_risk,
                                "share": r.at_risk_share, "low": r.at_risk_low,
                                "high": r.at_risk_high, "good": r.good, "good_share": r.good_share,
                                "good_low": r.good_low, "good_high": r.good_high},
            "weighted": analysis.weighted,
            "call_list": call_list,
        }
        emit(envelope(
            "abc", results=results, parameters=parameters_from_args(args),
            method={"intervals": args.method, "confidence": args.confidence, "mode": args.mode,
                    "cuts": list(analysis.classes.cuts), "nonresponse": args.nonresponse,
                    "seed": args.seed, "resamples": args.resamples, "units": "points"},
            summary={key: joined[key] for key in joined.index} | {
                "customers": analysis.classes.n_customers,
                "customers_unclassified": analysis.classes.n_unclassified,
                "rows_dropped": len(analysis.dropped)},
            dropped=analysis.dropped, warnings=analysis.warnings, notes=[*notes, closing],
        ))
        return 0
    say("abc", notes)
    print(text_table(table[SHOWN], formatters={
        "response_rate": "{:.1%}".format, "revenue_at_risk_share": "{:.1%}".format,
        "nps": "{:.1f}".format, "ci_low": "{:.1f}".format, "ci_high": "{:.1f}".format,
        "revenue": "{:,.0f}".format, "revenue_at_risk": "{:,.0f}".format,
    }))
    print("\n" + closing)
    return 0


__all__ = ["add_arguments", "run", "SHOWN"]
