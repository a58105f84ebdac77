"""``nps-kit fielding``: where a running survey stands, what is still needed, when to stop."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``nps-kit fielding``."""
    from nps_kit.cli.common import add_errors_options, add_json_option, add_score_option
    from nps_kit.design.monitor import SPENDING

    parser.add_argument("responses", metavar="RESPONSES",
                        help="the answers so far (.csv, .xlsx, .parquet, or demo:<name>)")
    add_score_option(parser)
    parser.add_argument("--population", required=True, metavar="N",
                        help="people who could be invited")
    parser.add_argument("--confidence", required=True, metavar="C",
                        help="confidence level, as 0.95, 95 or 95%%")
    parser.add_argument("--margin", required=True, type=float, metavar="E",
                        help="target margin in NPS points (the pre-registered stopping rule)")
    parser.add_argument("--invited", required=True, metavar="K", help="invitations sent so far")
    parser.add_argument("--previous", metavar="FILE",
                        help="the previous wave's responses, for an interim test of change "
                             "(needs --looks and --look)")
    parser.add_argument("--looks", type=int, metavar="K",
                        help="number of interim looks planned before fielding began")
    parser.add_argument("--look", type=int, metavar="k", help="which look this is (1..K)")
    parser.add_argument("--spending", default="obrien-fleming", choices=SPENDING,
                        help="group-sequential boundary (default obrien-fleming)")
    parser.add_argument("--alpha", type=float, default=0.05, help="overall level (default 0.05)")
    add_errors_options(parser)
    add_json_option(parser)


def run(args: argparse.Namespace) -> int:
    """Print the status; exit 0 (the answer is in the output, not in the exit code)."""
    from nps_kit.cli.common import load_notes, load_summary, plain, say
    from nps_kit.cli.envelope import emit, envelope, parameters_from_args
    from nps_kit.core.scores import as_counts
    from nps_kit.design.monitor import fielding_status, interim_test
    from nps_kit.design.sample_size import as_count, as_fraction
    from nps_kit.engines.dispatch import read_responses
    from nps_kit.errors import ParameterError

    population = as_count(args.population, "population")
    invited = as_count(args.invited, "invited")
    confidence = as_fraction(args.confidence, "confidence", allow_one=False)
    loaded = read_responses(args.responses, args.score_column, errors=args.errors,
                            id_optional=True, wave_optional=True)
    notes = load_notes("fielding", loaded, args)
    c = as_counts(loaded.data[loaded.score])
    status = fielding_status((c.detractors, c.passives, c.promoters), population, confidence,
                             args.margin, invited)
    lines = list(status.sentences)
    interim = None
    if args.previous:
        if not args.looks or not args.look:
            raise ParameterError(
                "an interim test of change needs its looks fixed before fielding began: give "
                "--looks K (planned looks) and --look k (this one). Testing at will and stopping "
                "at the first p < 0.05 inflates false alarms (about 19 % for ten looks).")
        prev = read_responses(args.previous, args.score_column, errors=args.errors,
                              id_optional=True, wave_optional=True)
        pc = as_counts(prev.data[prev.score])
        interim = interim_test((c.detractors, c.passives, c.promoters),
                               (pc.detractors, pc.passives, pc.promoters), args.look, args.looks,
                               args.alpha, args.spending)
        lines.append(interim.sentence)
    if args.json:
        results = {k: getattr(status, k) for k in status.__dataclass_fields__ if k != "sentences"}
        if interim is not None:
            results["interim"] = {k: getattr(interim, k) for k in interim.__dataclass_fields__}
        emit(envelope("fielding", results=results, parameters=parameters_from_args(args),
                      method={"interval": "adjusted-wald", "finite_population": population,
                              "confidence": confidence, "spending": args.spending if interim else None},
                      summary=load_summary(loaded), dropped=loaded.report, notes=[*notes, *lines]))
        return 0
    say("fielding", notes)
    for line in lines:
        print(plain(line))
    return 0


__all__ = ["add_arguments", "run"]
