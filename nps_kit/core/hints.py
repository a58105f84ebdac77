"""How a message tells the user to name a column or an option, in the words of where they are.

A CLI user sets ``--score-column NAME``; a template user sets the parameter with
``-p score_column NAME`` (``nps-kit run`` or papermill); a Python user passes ``score=NAME``.
The report runner marks a template's kernel with :data:`CONTEXT_VARIABLE`, and messages ask
:func:`option_hint` for the right words instead of naming all three.
"""

from __future__ import annotations

import os

__all__ = ["CONTEXT_VARIABLE", "PARAMETERS_VARIABLE", "TEMPLATE_CONTEXT", "drop_hint",
           "option_hint", "scale_hint"]

CONTEXT_VARIABLE = "NPS_KIT_CONTEXT"
"""Environment variable the runner sets to :data:`TEMPLATE_CONTEXT` for a template's kernel."""

TEMPLATE_CONTEXT = "template"

PARAMETERS_VARIABLE = "NPS_KIT_TEMPLATE_PARAMETERS"
"""Comma-separated parameter names of the running template (set by the runner)."""

_PARAMETERS = {"--score-column": "score_column", "--id-column": "id_column",
               "--wave-column": "wave_column", "--errors": "errors",
               "--no-scale-check": "check_scale"}


def option_hint(cli: str, python: str, parameter: str | None = None) -> str:
    """``-p score_column NAME`` inside a template, else ``CLI: --score-column NAME; Python: score=NAME``.

    Parameters
    ----------
    cli : str
        The CLI form (``--score-column NAME``).
    python : str
        The Python form (``score=NAME``).
    parameter : str, optional
        The template parameter (default: from the CLI option's name).

    Examples
    --------
    >>> os.environ.pop(CONTEXT_VARIABLE, None) and None
    >>> option_hint("--score-column NAME", "score=NAME")
    'CLI: --score-column NAME; Python: score=NAME'
    """
    if os.environ.get(CONTEXT_VARIABLE) == TEMPLATE_CONTEXT:
        option, _, value = cli.partition(" ")
        name = parameter or _PARAMETERS.get(option) or option.lstrip("-").replace("-", "_")
        declared = [p for p in os.environ.get(PARAMETERS_VARIABLE, "").split(",") if p]
        if declared and name not in declared:
            return (f"this template has no parameter for it; the command line has {cli}, "
                    "Python has " + python)
        return f"template parameter: -p {name} {value or 'VALUE'}".rstrip()
    return f"CLI: {cli}; Python: {python}"


def drop_hint() -> str:
    """How to drop invalid rows with a report, in the user's words."""
    return option_hint("--errors drop", "errors='drop'")


def scale_hint() -> str:
    """How to turn the 0-10 scale check off, in the user's words."""
    return option_hint("--no-scale-check", "check_scale=False", "check_scale")
