"""One JSON envelope for every ``--json`` output of the command line.

Scripts that read nps-kit's JSON see the same top-level shape from every command::

    {
      "schema": "nps-kit/envelope/1",   # name and version of this shape
      "nps_kit": "0.4.0",               # the kit's version
      "command": "score",               # which command produced it
      "ok": true,
      "parameters": {...},              # every option in force, defaults included
      "method": {...},                  # how the numbers were computed (method, confidence, ...)
      "summary": {...},                 # counts: rows read / kept / dropped and other totals
      "results": {...},                 # the command's tables (lists of rows) and figures
      "dropped": [...],                 # every row not used, with its row number and reason
      "warnings": [...],                # what the text output flags as a warning
      "notes": [...]                    # every other sentence the text output says
    }

The JSON Schema of this shape is ``nps_kit/schemas/envelope.schema.json`` (:func:`schema`);
a test checks the output of every command against it. Numbers keep full precision here; the
text output rounds them for reading.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from typing import Any, Mapping, Sequence

import pandas as pd

from nps_kit._version import __version__

SCHEMA_ID = "nps-kit/envelope/1"
"""Name and version of the envelope; bumped only when a key is removed or changes meaning."""

KEYS: tuple[str, ...] = ("schema", "nps_kit", "command", "ok", "parameters", "method", "summary",
                         "results", "dropped", "warnings", "notes")
"""Top-level keys of every envelope, in the order they are written."""


def _plain(value: Any) -> Any:
    from nps_kit.core.jsonable import to_jsonable

    if isinstance(value, pd.DataFrame):
        return to_jsonable(value)
    return to_jsonable(value)


def dropped_records(report: pd.DataFrame | None) -> list[dict]:
    """Rows of a dropped-rows report (``row``, ``reason`` and any other columns) as dicts."""
    if report is None or len(report) == 0:
        return []
    return _plain(report.reset_index(drop=True))


def envelope(
    command: str,
    *,
    results: Mapping[str, Any],
    parameters: Mapping[str, Any] | None = None,
    method: Mapping[str, Any] | None = None,
    summary: Mapping[str, Any] | None = None,
    dropped: pd.DataFrame | Sequence[Mapping[str, Any]] | None = None,
    warnings: Sequence[str] = (),
    notes: Sequence[str] = (),
    ok: bool = True,
) -> dict[str, Any]:
    """Build the JSON envelope of one command's result.

    Parameters
    ----------
    command : str
        The command name (``score``, ``compare``, ...).
    results : mapping
        The command's results: tables as DataFrames (written as lists of row objects) or
        plain values.
    parameters : mapping, optional
        Every option in force, defaults included (file paths as the user gave them).
    method : mapping, optional
        How the numbers were computed (interval method, confidence, adjustment, ...).
    summary : mapping, optional
        Totals: ``rows_read``, ``rows_kept``, ``rows_dropped`` and command-specific counts.
    dropped : DataFrame or list of dict, optional
        Rows that were read but not used, each with ``row`` (as a spreadsheet numbers it) and
        ``reason``.
    warnings, notes : sequence of str
        The sentences the text output prints as warnings and as other notes.
    ok : bool
        False when the command ran but reports a failure (``nps-kit run`` of a failing cell).

    Returns
    -------
    dict
        JSON-ready, with the keys of :data:`KEYS` in that order.
    """
    if isinstance(dropped, pd.DataFrame) or dropped is None:
        dropped_rows = dropped_records(dropped)
    else:
        dropped_rows = _plain(list(dropped))
    return {
        "schema": SCHEMA_ID,
        "nps_kit": __version__,
        "command": command,
        "ok": bool(ok),
        "parameters": _plain(dict(parameters or {})),
        "method": _plain(dict(method or {})),
        "summary": _plain(dict(summary or {})),
        "results": _plain(dict(results)),
        "dropped": dropped_rows,
        "warnings": [str(w) for w in warnings],
        "notes": [str(n) for n in notes],
    }


def dumps(payload: Mapping[str, Any]) -> str:
    """Strict JSON text of an envelope (no NaN), two-space indent, key order kept."""
    return json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False)


def emit(payload: Mapping[str, Any], stream=None) -> None:
    """Print an envelope to standard output (or ``stream``)."""
    print(dumps(payload), file=stream or sys.stdout)


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the envelope, as shipped with the package."""
    text = resources.files("nps_kit.schemas").joinpath("envelope.schema.json").read_text("utf-8")
    return json.loads(text)


def parameters_from_args(args: Any, skip: Sequence[str] = ("json", "command", "wave_default")) -> dict[str, Any]:
    """Every option of a parsed command line, by its long name with dashes as underscores."""
    return {k: v for k, v in sorted(vars(args).items()) if k not in skip and not k.startswith("_")}


__all__ = [
    "dropped_records", "dumps", "emit", "envelope", "KEYS", "parameters_from_args", "schema",
    "SCHEMA_ID",
]
