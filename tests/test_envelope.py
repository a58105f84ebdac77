"""The one ``--json`` envelope: every command's output fits the schema kept in the repo."""

from __future__ import annotations

import json

import jsonschema
import pytest

from nps_kit.cli.main import COMMANDS
from nps_kit.cli.envelope import KEYS, SCHEMA_ID, envelope, schema
from tests.envelopes import envelope_of
from tests.paths import REPO

RUNS = {
    "score": ["score", "demo:responses.csv", "--by", "segment"],
    "compare": ["compare", "demo:responses.csv", "--id-column", "respondent_id"],
    "abc": ["abc", "--customers", "demo:customers.csv", "--responses", "demo:responses.csv",
            "--resamples", "200"],
    "enps": ["enps", "demo:employees.csv", "--by", "department"],
    "ltv": ["ltv", "--responses", "demo:responses.csv", "--outcomes", "demo:outcomes.csv"],
    "themes": ["themes", "demo:responses.csv"],
    "sample-size": ["sample-size", "--population", "3000", "--confidence", "95", "--margin", "5"],
    "templates": ["templates"],
    "trend": ["trend", "demo:responses.csv"],
    "drivers": ["drivers", "demo:responses.csv", "--categorical", "segment", "--categorical", "channel"],
    "score --shrink": ["score", "demo:responses.csv", "--by", "segment", "--shrink"],
    "compare --equivalence": ["compare", "demo:responses.csv", "--equivalence", "5"],
    "score --engine duckdb": ["score", "demo:responses.csv", "--by", "segment", "--engine", "duckdb"],
}


def test_schema_is_valid_and_shipped():
    shipped = schema()
    jsonschema.Draft202012Validator.check_schema(shipped)
    in_repo = json.loads((REPO / "nps_kit" / "schemas" / "envelope.schema.json").read_text("utf-8"))
    assert shipped == in_repo and shipped["$id"] == SCHEMA_ID
    assert tuple(shipped["required"]) == KEYS
    assert set(COMMANDS) <= set(shipped["properties"]["command"]["enum"])


def test_schema_rejects_what_is_not_an_envelope():
    good = envelope("score", results={"groups": []})
    jsonschema.validate(good, schema())
    for broken in ({k: v for k, v in good.items() if k != "dropped"}, {**good, "extra": 1},
                   {**good, "schema": "other/1"}, {**good, "dropped": [{"row": 3}]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema())


@pytest.mark.parametrize("command", sorted(RUNS))
def test_every_command_prints_one_envelope(cli, command, tmp_path):
    proc = cli(*RUNS[command], "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    env = envelope_of(proc, command.split()[0])
    assert env["ok"] is True and env["results"]
    assert "json" not in env["parameters"]
    if "rows_read" in env["summary"]:
        s = env["summary"]
        assert s["rows_read"] == s["rows_kept"] + s["rows_dropped"]
        assert len(env["dropped"]) == s["rows_dropped"]
    # every sentence of the text output is in the JSON, as a note or a warning
    text = cli(*RUNS[command], cwd=tmp_path)
    said = " ".join(env["notes"] + env["warnings"])
    for line in (text.stderr.splitlines()):
        line = line.split(": ", 1)[1] if line.startswith("nps-kit ") else line
        line = line.removeprefix("warning: ").removeprefix("WARNING: ")
        assert line in said, line
    last = [ln for ln in text.stdout.strip().splitlines() if ln.strip()][-1]
    assert last.strip() in said or command == "templates" or command == "sample-size"
