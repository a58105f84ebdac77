"""``nps-kit templates``: list the report templates with their purpose and parameters."""

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``nps-kit templates``."""
    from nps_kit.cli.common import add_json_option

    add_json_option(parser)


def _format_default(value: object) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)


def run(args: argparse.Namespace) -> int:
    """Print every installed template: name, one-line purpose, parameters (type, default, help)."""
    from nps_kit.reports.catalog import list_templates

    templates = list_templates()
    if args.json:
        from nps_kit.cli.envelope import emit, envelope, parameters_from_args

        emit(envelope("templates", results={"templates": [t.as_dict() for t in templates]},
                      parameters=parameters_from_args(args), summary={"templates": len(templates)},
                      notes=["Run one with: nps-kit run TEMPLATE [-p NAME VALUE ...] [-o OUTDIR]"]))
        return 0
    if not templates:
        print("no templates are installed")
        return 0
    for t in templates:
        print(f"{t.name}: {t.purpose}" if t.purpose else t.name)
        for p in t.parameters:
            typ = f": {p.type}" if p.type else ""
            line = f"    {p.name}{typ} = {_format_default(p.default)}"
            print(f"{line}  # {p.help}" if p.help else line)
        print()
    print("Run one with: nps-kit run TEMPLATE [-p NAME VALUE ...] [-o OUTDIR]")
    return 0


__all__ = ["add_arguments", "run"]
