"""Reading the ``--json`` envelope of a CLI run in tests, checked against the shipped schema."""

from __future__ import annotations

import json
import subprocess

import jsonschema

from nps_kit.cli.envelope import KEYS, schema


def envelope_of(proc: subprocess.CompletedProcess, command: str | None = None) -> dict:
    """Parse a CLI run's standard output as one envelope and check it against the schema."""
    payload = json.loads(proc.stdout)
    jsonschema.validate(payload, schema())
    assert tuple(payload) == KEYS
    if command is not None:
        assert payload["command"] == command
    return payload


def results_of(proc: subprocess.CompletedProcess, table: str, command: str | None = None) -> list[dict]:
    """The rows of one table in a CLI run's envelope."""
    return envelope_of(proc, command)["results"][table]
