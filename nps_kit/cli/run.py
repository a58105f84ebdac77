"""``nps-kit run``: run a report template and write TEMPLATE.ipynb, .html and .json."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``nps-kit run``."""
    parser.add_argument("template", metavar="TEMPLATE",
                        help="template name (see `nps-kit templates`) or path of a .ipynb file")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"),
                        help="set a parameter; VALUE is read by its declared type "
                             "(lists as YAML, e.g. '[a, b]'); repeatable")
    parser.add_argument("-f", "--parameters-file", metavar="PARAMS.yaml",
                        help="YAML file of name: value lines; -p values override it")
    parser.add_argument("-o", "--outdir", default="reports", metavar="OUTDIR",
                        help="folder for the outputs (default: reports)")
    parser.add_argument("--no-html", action="store_true", help="do not write the HTML report")
    parser.add_argument("--seed", type=int, metavar="N",
                        help="random seed (same as -p seed N; for templates with a seed parameter)")
    from nps_kit.cli.common import add_json_option

    add_json_option(parser)


def run(args: argparse.Namespace) -> int:
    """Check the parameters, run the template, report where the outputs are."""
    from nps_kit.errors import ParameterError
    from nps_kit.reports.html import PrivacyError
    from nps_kit.reports.runner import TemplateRunError, load_parameter_file, run_template
    from nps_kit.reports.catalog import find_template

    template = find_template(args.template)
    values = load_parameter_file(args.parameters_file) if args.parameters_file else {}
    text_names = set()
    for name, value in args.parameter:
        values[name] = value
        text_names.add(name)
    if args.seed is not None:
        if "seed" not in template.parameter_names:
            raise ParameterError(f"template {template.name!r} has no seed parameter; drop --seed")
        values["seed"] = args.seed
        text_names.discard("seed")
    from nps_kit.cli.envelope import emit, envelope, parameters_from_args

    try:
        result = run_template(template, values, args.outdir, html=not args.no_html,
                              text_parameters=text_names)
    except (TemplateRunError, PrivacyError) as exc:
        print(f"nps-kit run: error: {exc}", file=sys.stderr)
        if args.json:
            emit(envelope("run", ok=False, results={"template": template.name, "error": str(exc)},
                          parameters=parameters_from_args(args)))
        return 1
    written = [p for p in (result.notebook, result.html, result.workbook, result.json) if p is not None]
    if args.json:
        emit(envelope(
            "run", results={"template": result.template, "files": [str(p) for p in written],
                            "recorded": result.results},
            parameters={**parameters_from_args(args), "template_parameters":
                        result.provenance["parameters"]},
            method={"provenance": result.provenance}, summary={"files": len(written)},
            notes=[f"wrote {p}" for p in written],
        ))
    else:
        for p in written:
            print(f"wrote {p}")
    return 0


__all__ = ["add_arguments", "run"]
