"""``nps-kit demo``: run every template on the bundled demo data and write an index page."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``nps-kit demo``."""
    parser.add_argument("-o", "--outdir", default="nps-kit-demo", metavar="OUTDIR",
                        help="folder for the reports and index.html (default: nps-kit-demo)")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="templates run at the same time (default: number of CPUs)")
    from nps_kit.cli.common import add_json_option

    add_json_option(parser)


def run(args: argparse.Namespace) -> int:
    """Run the demo; progress on a terminal, quiet otherwise; exit 1 if a template failed."""
    from nps_kit.reports.demo import run_demo
    from nps_kit.reports.catalog import list_templates

    tty = sys.stderr.isatty()
    if tty:
        names = ", ".join(t.name for t in list_templates())
        print(f"running templates on the demo data: {names}", file=sys.stderr, flush=True)

    def progress(item, done, total):
        if tty:
            status = "ok" if item.ok else "FAILED"
            print(f"  [{done}/{total}] {item.template}: {status} ({item.seconds:.1f} s)",
                  file=sys.stderr, flush=True)

    result = run_demo(args.outdir, jobs=args.jobs, progress=progress)
    if args.json:
        from nps_kit.cli.envelope import emit, envelope, parameters_from_args

        emit(envelope(
            "demo", ok=not result.failed, parameters=parameters_from_args(args),
            results={"index": str(result.index), "reports": result.summary},
            summary={"templates": len(result.items), "failed": len(result.failed),
                     "seconds": round(result.seconds, 3)},
            warnings=[str(item.error) for item in result.failed],
        ))
    for item in result.failed:
        print(f"nps-kit demo: error: {item.error}", file=sys.stderr)
    if result.failed:
        print(f"{len(result.failed)} of {len(result.items)} templates failed; "
              f"the others are linked from {result.index}", file=sys.stderr)
        return 1
    print(f"{len(result.items)} reports written in {result.seconds:.1f} s; open {result.index.resolve()}")
    return 0


__all__ = ["add_arguments", "run"]
