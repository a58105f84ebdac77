"""``nps-kit series``: a periodic report series with its own site, built incrementally."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``nps-kit series``."""
    from nps_kit.cli.common import add_json_option
    from nps_kit.core.periods import PERIODS

    parser.add_argument("source", metavar="SOURCE",
                        help="responses: a growing CSV, Excel or Parquet file, a Parquet folder or "
                             "glob, or duckdb:FILE.duckdb:TABLE (demo:<name> for the demo data)")
    parser.add_argument("-o", "--outdir", required=True, metavar="DIR",
                        help="the series folder: one folder per period, the history store, index.html")
    parser.add_argument("--date-column", metavar="COL",
                        help="timestamp column rolled up to --period")
    parser.add_argument("--period", default="month", choices=PERIODS,
                        help="roll-up of the date column (default: month)")
    parser.add_argument("--wave-column", metavar="COL",
                        help="a column whose labels are the periods (instead of --date-column)")
    parser.add_argument("--score-column", default="score", metavar="COL",
                        help="column with the 0-10 answers (default: score)")
    parser.add_argument("--segment-column", default="segment", metavar="COL",
                        help="column for the per-segment history (default: segment; absent: none)")
    parser.add_argument("--template", action="append", default=[], metavar="NAME",
                        help="another template to run for every period (repeatable; nps_report "
                             "always runs)")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"),
                        help="a template parameter for every period (read by its declared type)")
    parser.add_argument("-f", "--parameters-file", metavar="PARAMS.yaml",
                        help="YAML file of template parameters; -p values override it")
    add_json_option(parser)


def run(args: argparse.Namespace) -> int:
    """Build or update the series; exit 1 when a period failed (named, with the reason)."""
    from nps_kit.cli.common import plain, say
    from nps_kit.cli.envelope import emit, envelope, parameters_from_args
    from nps_kit.reports.catalog import check_parameters, find_template
    from nps_kit.reports.runner import load_parameter_file
    from nps_kit.reports.series import build_series

    values = load_parameter_file(args.parameters_file) if args.parameters_file else {}
    text_names = set()
    for name, value in args.parameter:
        values[name] = value
        text_names.add(name)
    if values:  # typed and checked once, before any period is built
        tpl = find_template("nps_report")
        known = {k: v for k, v in values.items() if k in tpl.parameter_names}
        unknown = sorted(set(values) - set(known) - {
            p for t in args.template for p in find_template(t).parameter_names})
        if unknown:
            from nps_kit.errors import ParameterError

            raise ParameterError(f"unknown template parameter(s) {', '.join(unknown)}; see "
                                 "`nps-kit templates` for the parameters of each template")
        typed = check_parameters(tpl, known, from_text=text_names & set(known))
        values.update({k: typed[k] for k in known})
    lines = []
    progress = None if args.json else (lambda line: say("series", [line]))
    result = build_series(args.source, args.outdir, date_column=args.date_column,
                          period=args.period, wave_column=args.wave_column,
                          templates=args.template, parameters=values,
                          score_column=args.score_column, segment_column=args.segment_column,
                          progress=progress)
    counts = result.counts()
    summary = ", ".join(f"{v} {k}" for k, v in counts.items())
    lines.append(f"{len(result.periods)} period(s): {summary}; site: {result.site}")
    if len(result.dropped):
        rows = ", ".join(str(r) for r in result.dropped["row"][:10])
        lines.append(f"{len(result.dropped)} row(s) without a period left out "
                     f"({result.dropped['reason'].iloc[0]}): rows {rows}"
                     f"{' ...' if len(result.dropped) > 10 else ''}")
    for p in result.failed:
        lines.append(f"period {p.period} FAILED: {p.reason}")
    if args.json:
        emit(envelope(
            "series", ok=not result.failed,
            results={"site": str(result.site), "periods": [p.__dict__ for p in result.periods],
                     "history": result.history},
            parameters=parameters_from_args(args), summary=counts,
            dropped=result.dropped, notes=lines))
    else:
        for line in lines:
            print(plain(line))
    if result.failed:
        print(f"nps-kit series: error: {len(result.failed)} period(s) failed: "
              + "; ".join(f"{p.period}: {p.reason}" for p in result.failed), file=sys.stderr)
        return 1
    return 0


__all__ = ["add_arguments", "run"]
