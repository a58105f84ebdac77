"""``nps-kit publish``: the shareable HTML, JSON and .xlsx of a notebook executed by papermill."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``nps-kit publish``."""
    from nps_kit.cli.common import add_json_option

    parser.add_argument("notebook", metavar="NOTEBOOK.ipynb",
                        help="a report template executed by papermill")
    parser.add_argument("-o", "--outdir", metavar="DIR",
                        help="folder for the outputs (default: the notebook's folder)")
    add_json_option(parser)


def run(args: argparse.Namespace) -> int:
    """Write NAME.html, NAME.json and NAME.xlsx; print where they are."""
    from nps_kit.cli.common import plain
    from nps_kit.cli.envelope import emit, envelope, parameters_from_args
    from nps_kit.reports.publish import publish_notebook

    done = publish_notebook(args.notebook, args.outdir)
    files = [str(p) for p in (done.html, done.workbook, done.json) if p is not None]
    if args.json:
        emit(envelope("publish", results={"files": files}, parameters=parameters_from_args(args),
                      summary={"files": len(files)}, notes=[f"wrote {f}" for f in files]))
    else:
        for f in files:
            print(plain(f"wrote {f}"))
    return 0


__all__ = ["add_arguments", "run"]
