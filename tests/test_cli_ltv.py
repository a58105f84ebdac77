"""nps-kit ltv, run as a subprocess."""

import pandas as pd
import pytest

from nps_kit.data.paths import resolve_path
from nps_kit.outcomes.by_category import category_outcomes, load_value_data
from nps_kit.outcomes.models import ltv_model
from tests.envelopes import envelope_of

BASE = ("ltv", "--responses", "demo:responses.csv", "--outcomes", "demo:outcomes.csv")


def test_json_matches_api(cli):
    out = cli(*BASE, "--control", "segment", "--model", "gamma", "--confidence", "90", "--json")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    env = envelope_of(out, "ltv")
    res = env["results"]
    cats = res["categories"]
    assert [c["category"] for c in cats] == ["detractor", "passive", "promoter"]
    assert set(cats[0]) == {"category", "n", "mean_ltv", "ltv_ci_low", "ltv_ci_high", "churn_rate",
                            "churn_ci_low", "churn_ci_high"}
    j = load_value_data("demo:responses.csv", "demo:outcomes.csv")
    ref = category_outcomes(j.data, confidence=0.9)
    for row, (_, r) in zip(cats, ref.iterrows()):
        assert row["n"] == r.n
        assert row["mean_ltv"] == pytest.approx(r.mean_ltv)
        assert row["churn_ci_high"] == pytest.approx(r.churn_ci_high)
    terms = {c["term"]: c for c in res["ltv_model"]["coefficients"]}
    m = ltv_model(j.data, controls=["segment"], model="gamma", confidence=0.9)
    assert terms["category[promoter]"]["estimate"] == pytest.approx(m.term("category[promoter]")["estimate"])
    assert terms["category[promoter]"]["scale"] == "ratio of means"
    assert res["churn_model"]["coefficients"][1]["scale"] == "odds ratio"
    assert env["summary"]["matched"] == sum(c["n"] for c in cats)
    assert env["method"]["window"] == "latest"
    # every response not matched is listed with its reason
    s = env["summary"]
    assert len(env["dropped"]) == (s["no_score"] + s["outside_window"] + s["unmatched_responses"]
                                   + s["missing_id_responses"] + s["unmatched_outcomes"]
                                   + s["missing_id_outcomes"])


def test_wave_and_churn_on_score(cli):
    out = cli(*BASE, "--wave", "2024-H1", "--churn-on", "score", "--json")
    assert out.returncode == 0, out.stderr
    env = envelope_of(out)
    raw = pd.read_csv(resolve_path("demo:responses.csv"))
    assert env["summary"]["matched"] == int(((raw.wave == "2024-H1") & raw.score.notna()).sum())
    assert [c["term"] for c in env["results"]["churn_model"]["coefficients"]] == ["Intercept", "score"]
    assert env["method"]["wave"] == "2024-H1"


def test_table_output(cli):
    out = cli(*BASE)
    assert out.returncode == 0, out.stderr
    assert "promoter vs detractor" in out.stdout and "not causal" in out.stdout


@pytest.mark.parametrize("extra, message", [
    (("--ltv-column", "revenue"), "'revenue' not found"),
    (("--control", "tenure"), "'tenure' not found"),
    (("--wave", "1999-H1"), "no scored response in wave '1999-H1'"),
])
def test_bad_input_exits_2(cli, extra, message):
    out = cli(*BASE, *extra)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr


def test_duplicate_outcomes_exit_2_naming_rows(cli, tmp_path):
    o = pd.read_csv(resolve_path("demo:outcomes.csv"))
    o = pd.concat([o, o.iloc[[4]]], ignore_index=True)
    path = tmp_path / "outcomes.csv"
    o.to_csv(path, index=False)
    out = cli("ltv", "--responses", "demo:responses.csv", "--outcomes", path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "'C00005' in rows 6, 2002" in out.stderr and "outcomes.csv" in out.stderr


def test_missing_file_exit_2(cli, tmp_path):
    out = cli("ltv", "--responses", tmp_path / "none.csv", "--outcomes", "demo:outcomes.csv")
    assert out.returncode == 2 and "file not found" in out.stderr


def test_responses_keyed_by_customer_id_without_wave(cli, tmp_path):
    """Issue 15.2: one wave, no respondent_id column: joined on customer_id, said in the output."""
    raw = pd.read_csv(resolve_path("demo:responses.csv"))
    one = raw[raw.wave == "2025-H2"].drop(columns=["wave"]).rename(columns={"respondent_id": "customer_id"})
    one.to_csv(tmp_path / "r.csv", index=False)
    out = cli("ltv", "--responses", tmp_path / "r.csv", "--outcomes", "demo:outcomes.csv", "--json")
    env = envelope_of(out, "ltv")
    assert env["summary"]["matched"] == int(one.score.notna().sum())
    assert env["summary"]["id_column"] == "customer_id"
    assert any("one wave" in n for n in env["notes"]) and any("'customer_id'" in n for n in env["notes"])
    same = cli("ltv", "--responses", "demo:responses.csv", "--outcomes", "demo:outcomes.csv",
               "--wave", "2025-H2", "--json")
    assert envelope_of(same)["results"]["categories"] == env["results"]["categories"]
    text = cli("ltv", "--responses", tmp_path / "r.csv", "--outcomes", "demo:outcomes.csv")
    assert text.returncode == 0 and "one wave" in text.stderr
