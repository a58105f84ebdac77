"""Entry point of the ``nps-kit`` command.

Each subcommand lives in its own module ``nps_kit.cli.<name>`` with two functions:
``add_arguments(parser)`` and ``run(args) -> int``. Modules are imported only when their
command is used, so starting the CLI stays fast and one command cannot break another.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from nps_kit._version import __version__
from nps_kit.errors import NPSKitError

# command name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "score": ("nps_kit.cli.score", "NPS with intervals from a responses file, overall or by group"),
    "templates": ("nps_kit.cli.templates", "list the report templates and their parameters"),
    "run": ("nps_kit.cli.run", "run a report template with papermill and write .ipynb, .html and .json"),
    "demo": ("nps_kit.cli.demo", "run every template on the bundled demo data and write an index page"),
    "sample-size": ("nps_kit.cli.sample_size", "respondents and invitations needed for an NPS margin"),
    "compare": ("nps_kit.cli.compare", "wave-over-wave NPS changes with tests"),
    "abc": ("nps_kit.cli.abc", "ABC revenue classes, NPS per class and revenue at risk"),
    "enps": ("nps_kit.cli.enps", "employee NPS by group with anonymity protection"),
    "ltv": ("nps_kit.cli.ltv", "NPS categories against LTV and churn"),
    "themes": ("nps_kit.cli.themes", "code open answers into themes and compare them by category"),
    "trend": ("nps_kit.cli.trend", "NPS by wave on a control chart: limits, runs and a fitted trend"),
    "fielding": ("nps_kit.cli.fielding", "during fielding: the current margin, answers and invitations still needed, when to stop"),
    "series": ("nps_kit.cli.series", "a periodic report series: one folder per period, a history, a site"),
    "publish": ("nps_kit.cli.publish", "turn a notebook executed by papermill into the shareable HTML, JSON and .xlsx"),
    "handouts": ("nps_kit.cli.handouts", "teaching notebooks as self-contained HTML handouts, formulas rendered offline"),
    "drivers": ("nps_kit.cli.drivers", "key drivers: change in NPS points per attribute (multinomial logit)"),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Build the top-level parser; only the chosen command's module is imported."""
    parser = argparse.ArgumentParser(
        prog="nps-kit",
        description="nps-kit: Net Promoter Score research kit.",
    )
    parser.add_argument("--version", action="version", version=f"nps-kit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            importlib.import_module(module).add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (0 ok, 1 a run failed, 2 bad input)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    if command not in COMMANDS:
        command = None
    parser = build_parser(command)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        from nps_kit.data.inputfiles import text_encoding

        with text_encoding(getattr(args, "encoding", None)):
            return int(module.run(args) or 0)
    except NPSKitError as exc:
        print(f"nps-kit {args.command}: error: {exc}", file=sys.stderr)
        if getattr(args, "json", False):
            from nps_kit.cli.envelope import emit, envelope, parameters_from_args

            emit(envelope(args.command, ok=False, results={"error": str(exc)},
                          parameters=parameters_from_args(args)))
        return 2
    except OSError as exc:  # a file that could not be read or written, outside the checks
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"nps-kit {args.command}: error: {where}{exc.strerror or exc}; check the file and "
              "the output folder", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nps-kit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader (``| head``) went away; point stdout at devnull so the final flush is quiet
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


__all__ = ["build_parser", "COMMANDS", "main"]
