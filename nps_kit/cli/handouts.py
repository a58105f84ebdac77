"""``nps-kit handouts``: teaching notebooks as self-contained HTML handouts, formulas rendered offline."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``nps-kit handouts``."""
    from nps_kit.cli.common import add_json_option

    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK.ipynb",
                        help="teaching notebooks (run with papermill first when they have no outputs)")
    parser.add_argument("-o", "--outdir", metavar="DIR", required=True,
                        help="folder for the executed notebooks and the HTML handouts")
    parser.add_argument("--solutions", action="store_true",
                        help="keep the worked answers: the lecturer's key, written as NAME-key.html")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                        default=[], help="a notebook parameter, as for papermill -p (repeatable)")
    add_json_option(parser)


def run(args: argparse.Namespace) -> int:
    """Write one HTML handout per notebook; print where each is."""
    from nps_kit.cli.common import plain
    from nps_kit.cli.envelope import emit, envelope, parameters_from_args
    from nps_kit.reports.handouts import make_handouts

    import yaml

    params = {}
    for name, value in args.parameter:
        try:
            params[name] = yaml.safe_load(value)
        except yaml.YAMLError:
            params[name] = value
    done = make_handouts(args.notebooks, args.outdir, solutions=args.solutions, parameters=params)
    files = [str(h.html) for h in done]
    if args.json:
        emit(envelope("handouts", results={"files": files,
                                          "executed": [str(h.executed) for h in done]},
                      parameters=parameters_from_args(args), summary={"handouts": len(files)},
                      notes=[f"wrote {f}" for f in files]))
    else:
        for f in files:
            print(plain(f"wrote {f}"))
    return 0


__all__ = ["add_arguments", "run"]
