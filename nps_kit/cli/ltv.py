"""``nps-kit ltv``: LTV and churn by NPS category, with the regression coefficients."""

from __future__ import annotations

import argparse

from nps_kit.cli.common import (add_confidence_argument, add_customer_id_option,
                                add_encoding_option, add_export_option, add_id_option,
                                add_json_option, add_score_option, add_wave_options, say,
                                wave_column)
from nps_kit.cli.common import plain, text_table
from nps_kit.cli.envelope import emit, envelope, parameters_from_args
from nps_kit.outcomes.by_category import MEAN_INTERVALS, category_outcomes, load_value_data
from nps_kit.outcomes.models import CHURN_PREDICTORS, LTV_MODELS, churn_model, ltv_model

CATEGORY_COLUMNS = ["category", "n", "mean_ltv", "ltv_ci_low", "ltv_ci_high", "churn_rate",
                    "churn_ci_low", "churn_ci_high"]
MODEL_COLUMNS = ["term", "label", "estimate", "ci_low", "ci_high", "p_value", "scale"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--responses", required=True, metavar="FILE",
                        help="responses file (.csv, .xlsx, .parquet) or demo:<name>")
    parser.add_argument("--outcomes", required=True, metavar="FILE",
                        help="outcomes file, one row per customer, or demo:<name>")
    add_id_option(parser, purpose="equal to the customer id; without it the responses are "
                                  "joined on their customer id column")
    add_customer_id_option(parser, "outcomes")
    add_score_option(parser)
    add_export_option(parser)
    add_encoding_option(parser)
    parser.add_argument("--ltv-column", default="ltv", metavar="COL", help="LTV column")
    parser.add_argument("--churn-column", default="churned", metavar="COL", help="churn 0/1 column")
    add_wave_options(parser, purpose=" of the responses (orders a customer's responses)")
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
    add_json_option(parser)


def run(args: argparse.Namespace) -> int:
    wave_col, _ = wave_column(args)
    joined = load_value_data(
        args.responses, args.outcomes, respondent_id=args.id_column,
        customer_id=args.customer_id_column, score=args.score_column, wave=wave_col,
        window="wave" if args.wave else "latest", wave_value=args.wave, ltv=args.ltv_column,
        churn=args.churn_column, export=args.export, date=args.date_column, period=args.period,
    )
    data = joined.data
    table = category_outcomes(data, args.ltv_column, args.churn_column, confidence=args.confidence,
                              ltv_interval=args.ltv_interval, id=joined.id, seed=args.seed)
    lm = ltv_model(data, args.ltv_column, controls=args.control, model=args.model,
                   confidence=args.confidence)
    cm = churn_model(data, args.churn_column, on=args.churn_on,
                     score=joined.score or args.score_column, controls=args.control,
                     confidence=args.confidence)
    rule = f"wave {args.wave}" if args.wave else "each customer's latest scored response"
    join_sentence = (f"Responses: {joined.matched} customers matched ({rule}); "
                     f"{joined.unmatched_responses} responses without outcome, "
                     f"{joined.unmatched_outcomes} customers without response, "
                     f"{joined.no_score} without score.")
    closing = f"{args.confidence:.0%} intervals. Associations, not causal effects."
    models = ((f"LTV model ({lm.model}, HC3 standard errors)", lm),
              (f"Churn model (logistic, odds ratios, on {cm.on})", cm))
    if args.json:
        emit(envelope(
            "ltv",
            results={
                "categories": table[CATEGORY_COLUMNS],
                "ltv_model": {"model": lm.model, "n": lm.n, "n_dropped": lm.n_dropped,
                              "cov_type": lm.cov_type, "coefficients": lm.summary[MODEL_COLUMNS]},
                "churn_model": {"model": cm.model, "on": cm.on, "n": cm.n,
                                "n_dropped": cm.n_dropped,
                                "coefficients": cm.summary[MODEL_COLUMNS]},
            },
            parameters=parameters_from_args(args),
            method={"confidence": args.confidence, "ltv_interval": args.ltv_interval,
                    "ltv_model": lm.model, "ltv_cov_type": lm.cov_type, "churn_on": cm.on,
                    "window": joined.window, "wave": joined.wave, "seed": args.seed},
            summary={**joined.counts, "id_column": joined.id},
            dropped=joined.dropped, notes=[*joined.notes, join_sentence, closing],
        ))
        return 0
    say("ltv", joined.notes)
    print(plain(join_sentence))
    print()
    print(text_table(table[CATEGORY_COLUMNS], float_format=lambda v: f"{v:,.3f}"))
    for title, m in models:
        print(f"\n{title}, n = {m.n}:")
        print(text_table(m.summary[["label", "estimate", "ci_low", "ci_high", "p_value"]],
                         float_format=lambda v: f"{v:,.4g}"))
    print("\n" + closing)
    return 0


__all__ = ["add_arguments", "CATEGORY_COLUMNS", "MODEL_COLUMNS", "run"]
