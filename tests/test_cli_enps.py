"""``nps-kit enps`` as a subprocess: JSON per group, suppression, threshold override, errors."""

from __future__ import annotations

import pandas as pd
import pytest

from nps_kit.enps.report import COMPLEMENTARY_REASON, enps_report
from nps_kit.engines.dispatch import read_table
from tests.envelopes import envelope_of


def test_json_one_entry_per_group_with_nulls_for_suppressed(cli):
    res = cli("enps", "demo:employees.csv", "--score-column", "score", "--by", "department",
              "--by", "location", "--cross", "--headcount", "demo:headcount.csv", "--json")
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    env = envelope_of(res, "enps")
    rows = env["results"]["groups"]
    assert env["method"]["min_group_size"] == 5 and env["summary"]["groups_suppressed"] > 0
    tables = {r["table"] for r in rows}
    assert tables == {"overall", "department", "location", "department x location"}
    expected = enps_report(read_table("demo:employees.csv"), "score",
                           ["department", "location", ["department", "location"]],
                           headcount="demo:headcount.csv")
    assert len(rows) == sum(len(t) for t in expected.tables.values())
    for r in rows:
        assert {"n", "enps", "ci_low", "ci_high", "suppressed"} <= set(r)
        if r["suppressed"]:
            assert r["n"] is None and r["enps"] is None and r["ci_low"] is None
            assert r["ci_high"] is None and r["participation"] is None
            assert r["reason"] in ("fewer than 5 answers", COMPLEMENTARY_REASON)
        else:
            assert r["n"] >= 5 and r["enps"] is not None
    legal = [r for r in rows if r["table"] == "department" and r["department"] == "Legal"][0]
    assert legal["suppressed"] and legal["headcount"] == 5
    overall = [r for r in rows if r["table"] == "overall"][0]
    assert overall["enps"] == pytest.approx(expected.enps)
    assert "E0001" not in res.stdout and "respondent_id" not in res.stdout


def test_text_output_spells_out_suppression(cli):
    res = cli("enps", "demo:employees.csv", "--score-column", "score", "--group", "department")
    assert res.returncode == 0, res.stderr
    assert "== department ==" in res.stdout
    line = [x for x in res.stdout.splitlines() if x.strip().startswith("Legal")][0]
    assert "fewer than 5 answers" in line and "suppressed" in line
    assert "department x" not in res.stdout  # no --cross: no crossing


def test_small_threshold_needs_the_flag(cli, tmp_path):
    res = cli("enps", "demo:employees.csv", "--score-column", "score", "--group", "department",
              "--min-group-size", "2")
    assert res.returncode == 2
    assert "nps-kit enps: error:" in res.stderr and "--allow-small-threshold" in res.stderr
    assert "Traceback" not in res.stderr
    res = cli("enps", "demo:employees.csv", "--score-column", "score", "--group", "department",
              "--min-group-size", "2", "--allow-small-threshold", "--json")
    assert res.returncode == 0, res.stderr
    assert "WARNING" in res.stderr and "threshold lowered to 2" in res.stderr
    env = envelope_of(res)
    assert any("threshold lowered to 2" in w for w in env["warnings"])
    rows = env["results"]["groups"]
    legal = [r for r in rows if r.get("department") == "Legal"][0]
    data = read_table("demo:employees.csv")
    scored = int(data.loc[data["department"] == "Legal", "score"].notna().sum())
    assert scored == 2 and legal["n"] == 2 and not legal["suppressed"]


def test_bad_input_is_a_clean_error(cli, tmp_path):
    res = cli("enps", "demo:employees.csv", "--score-column", "score", "--group", "team")
    assert res.returncode == 2 and "Traceback" not in res.stderr and "team" in res.stderr
    bad = tmp_path / "hc.csv"
    pd.DataFrame({"department": ["Sales"], "heads": [3]}).to_csv(bad, index=False)
    res = cli("enps", "demo:employees.csv", "--score-column", "score", "--group", "department",
              "--headcount", str(bad))
    assert res.returncode == 2 and "'headcount' not found" in res.stderr
    assert "Traceback" not in res.stderr
