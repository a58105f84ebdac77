"""``nps-kit ltv``: LTV and churn by NPS category, with the regression coefficients."""

from __future__ import annotations

import argparse
import json
import sys

from nps_kit.cli.common import add_confidence_argument, frame_to_records
from nps_kit.value import MEAN_INTERVALS, category_outcomes, load_value_data
from nps_kit.value_models import CHURN_PREDICTORS, LTV_MODELS, churn_model, ltv_model

CATEGORY_COLUMNS = ["category", "n", "mean_ltv", "ltv_ci_low", "ltv_ci_high", "churn_rate",
                    "churn_ci_low", "churn_ci_high"]
MODEL_COLUMNS = ["term", "label", "estimate", "ci_low", "ci_high", "p_value", "scale"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--responses", required=True, metavar="FILE",
                        help="responses file (.csv, .xlsx, .parquet) or demo:<name>")
    parser.add_argument("--outcomes", required=True, metavar="FILE",
                        help="outcomes file, one row per customer, or demo:<name>")
    parser.add_argument("--respondent-id", default="respondent_id", metavar="COL",
                        help="respondent id column of the responses (default respondent_id)")
    parser.add_argument("--customer-id", default="customer_id", metavar="COL",
                        help="customer id column of the outcomes (default customer_id)")
    parser.add_argument("--score-column", default="score", metavar="COL", help="0-10 score column")
    parser.add_argument("--ltv-column", default="ltv", metavar="COL", help="LTV column")
    parser.add_argument("--churn-column", default="churned", metavar="COL", help="churn 0/1 column")
    parser.add_argument("--wave-column", default="wave", metavar="COL",
                        help="wave column of the responses (orders a customer's responses)")
    parser.add_argument("--no-wave-column", action="store_true",
                        help="the responses have no wave column (each customer answers once)")
    parser.add_argument("--wave", metavar="W",
                        help="use only the responses of wave W (default: each customer's latest "
                             "scored response)")
    parser.add_argument("--control", action="append", default=[], metavar="COL",
                        help="control column of the models (repeat for several)")
    parser.add_argument("--model", default="ols", choices=LTV_MODELS,
                        help="LTV model: ols (differences), log (%% differences), gamma (ratios)")
    parser.add_argument("--churn-on", default="category", choices=CHURN_PREDICTORS,
                        help="logistic regression of churn on category or on the score")
    parser.add_argument("--ltv-interval", default="t", choices=MEAN_INTERVALS,
                        help="interval of mean LTV: t or bootstrap (default t)")
    add_confidence_argument(parser)
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    parser.add_argument("--json", action="store_true",
                        help="print categories, model coefficients and the join counts as JSON")


def run(args: argparse.Namespace) -> int:
    wave_col = None if args.no_wave_column else args.wave_column
    joined = load_value_data(
        args.responses, args.outcomes, respondent_id=args.respondent_id,
        customer_id=args.customer_id, score=args.score_column, wave=wave_col,
        window="wave" if args.wave else "latest", wave_value=args.wave, ltv=args.ltv_column,
        churn=args.churn_column,
    )
    data = joined.data
    table = category_outcomes(data, args.ltv_column, args.churn_column, confidence=args.confidence,
                              ltv_interval=args.ltv_interval, id=args.respondent_id, seed=args.seed)
    lm = ltv_model(data, args.ltv_column, controls=args.control, model=args.model,
                   confidence=args.confidence)
    cm = churn_model(data, args.churn_column, on=args.churn_on, score=args.score_column,
                     controls=args.control, confidence=args.confidence)
    if args.json:
        out = {
            "categories": frame_to_records(table[CATEGORY_COLUMNS]),
            "ltv_model": {"model": lm.model, "n": lm.n, "n_dropped": lm.n_dropped,
                          "cov_type": lm.cov_type,
                          "coefficients": frame_to_records(lm.summary[MODEL_COLUMNS])},
            "churn_model": {"model": cm.model, "on": cm.on, "n": cm.n, "n_dropped": cm.n_dropped,
                            "coefficients": frame_to_records(cm.summary[MODEL_COLUMNS])},
            "join": joined.counts,
            "window": joined.window, "wave": joined.wave, "confidence": args.confidence,
            "ltv_interval": args.ltv_interval,
            "note": "associations between categories and outcomes, not causal effects",
        }
        print(json.dumps(out, indent=2))
        return 0
    rule = f"wave {args.wave}" if args.wave else "each customer's latest scored response"
    print(f"Responses: {joined.matched} customers matched ({rule}); "
          f"{joined.unmatched_responses} responses without outcome, "
          f"{joined.unmatched_outcomes} customers without response, {joined.no_score} without score.")
    print()
    print(table[CATEGORY_COLUMNS].to_string(index=False, float_format=lambda v: f"{v:,.3f}"))
    for title, m in ((f"LTV model ({lm.model}, HC3 standard errors)", lm),
                     (f"Churn model (logistic, odds ratios, on {cm.on})", cm)):
        print(f"\n{title}, n = {m.n}:")
        print(m.summary[["label", "estimate", "ci_low", "ci_high", "p_value"]].to_string(
            index=False, float_format=lambda v: f"{v:,.4g}"))
    print(f"\n{args.confidence:.0%} intervals. Associations, not causal effects.", file=sys.stdout)
    return 0
