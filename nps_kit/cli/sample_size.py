"""``nps-kit sample-size``: respondents and invitations needed for an NPS margin.

A thin layer over :func:`nps_kit.design.sample_size.plan_sample_size`; it only reads the options.
"""

from __future__ import annotations

import argparse

from nps_kit.cli.common import add_json_option
from nps_kit.cli.envelope import emit, envelope, parameters_from_args

from nps_kit.design.sample_size import FPC_FORMS, as_fraction, parse_shares, plan_sample_size


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--population", required=True, metavar="N",
                        help="people who could be invited (use inf for a very large population)")
    parser.add_argument("--confidence", required=True, metavar="C",
                        help="confidence level, as 0.95, 95 or 95%%")
    parser.add_argument("--margin", type=float, required=True, metavar="E",
                        help="margin in NPS points (3 means +-3 points); the classic calculator "
                             "is shown for +-E %% for comparison")
    parser.add_argument("--expected-shares", metavar="D,A,P",
                        help="anticipated detractor, passive, promoter shares summing to 1 or 100 "
                             "(default: worst case)")
    parser.add_argument("--response-rate", metavar="R",
                        help="expected response rate, as 0.3, 30 or 30%%; adds the invitations "
                             "needed, checks the plan can be reached, and bounds the NPS of all "
                             "invitees")
    parser.add_argument("--z", type=float, metavar="Z",
                        help="critical value to use instead of the exact one (e.g. 1.96, 2.58), "
                             "to reproduce calculators that round it")
    parser.add_argument("--fpc", choices=FPC_FORMS, default="cochran",
                        help="finite population correction: cochran n0/(1+(n0-1)/N) (default) "
                             "or surveymonkey n0/(1+n0/N)")
    add_json_option(parser)


def run(args: argparse.Namespace) -> int:
    from nps_kit.design.sample_size import as_count

    confidence = as_fraction(args.confidence, "confidence", allow_one=False)
    shares = None if args.expected_shares is None else parse_shares(args.expected_shares)
    rate = (None if args.response_rate is None else
            as_fraction(args.response_rate, "response rate", one_is_ambiguous=True))
    text = str(args.population).strip().lower()
    population = None if text in ("inf", "infinite", "+inf") else as_count(args.population, "population")
    plan = plan_sample_size(population, confidence, args.margin, expected=shares, response_rate=rate,
                            z=args.z, fpc=args.fpc)
    if args.json:
        out = plan.to_dict()
        inputs = ("population", "confidence", "margin", "expected_shares", "response_rate", "z",
                  "fpc")
        emit(envelope(
            "sample-size", results={k: v for k, v in out.items() if k not in inputs},
            parameters=parameters_from_args(args),
            method={k: out[k] for k in (*inputs, "method", "z_used")},
            notes=list(plan.sentences()),
        ))
    else:
        print(" ".join(plan.sentences()))
    return 0


__all__ = ["add_arguments", "run"]
