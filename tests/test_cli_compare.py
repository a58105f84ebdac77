"""nps-kit compare, run as a subprocess."""

from __future__ import annotations


import pandas as pd
import pytest

from nps_kit.core.compare import compare_nps
from nps_kit.engines.dispatch import read_responses
from nps_kit.waves.changes import wave_changes
from tests.envelopes import envelope_of

DEMO = "demo:responses.csv"
BASE = ["compare", DEMO, "--score-column", "score", "--wave-column", "wave"]


def test_json_has_waves_changes_and_order(cli):
    out = cli(*BASE, "--id-column", "respondent_id", "--baseline", "2024-H1", "--json")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    env = envelope_of(out, "compare")
    res = env["results"]
    assert env["summary"]["rows_read"] == 1043 and env["summary"]["comparisons"] == 5
    assert res["wave_order"] == ["2024-H1", "2024-H2", "2025-H1", "2025-H2"]
    assert [w["wave"] for w in res["waves"]] == res["wave_order"]
    for w in res["waves"]:
        assert set(w) >= {"wave", "n", "nps", "ci_low", "ci_high"}
        assert w["ci_low"] < w["nps"] < w["ci_high"]
    keys = {"from", "to", "delta", "se", "ci_low", "ci_high", "p_value", "p_adjusted", "design"}
    assert all(keys <= set(c) for c in res["changes"])
    assert [(c["from"], c["to"]) for c in res["changes"]] == [
        ("2024-H1", "2024-H2"), ("2024-H2", "2025-H1"), ("2025-H1", "2025-H2"),
        ("2024-H1", "2025-H1"), ("2024-H1", "2025-H2")]
    # the demo panel re-invites customers: partial overlap between waves
    assert {c["design"] for c in res["changes"]} == {"overlap"}
    # numbers agree with the Python API
    data = read_responses(DEMO, "score", id="respondent_id", wave="wave").data
    ref = wave_changes(data, "score", "wave", id="respondent_id", baseline="2024-H1")
    assert [c["delta"] for c in res["changes"]] == pytest.approx(ref["delta"].tolist())
    assert [c["p_adjusted"] for c in res["changes"]] == pytest.approx(ref["p_adjusted"].tolist())
    # issue 15.3: the adjusted estimate that the interval and the test are centred on
    for c in res["changes"]:
        assert c["estimate"] == pytest.approx((c["ci_low"] + c["ci_high"]) / 2)
        assert c["estimate"] == pytest.approx(c["z"] * c["se"])
        assert abs(c["estimate"]) < abs(c["delta"])  # adjusted-wald pulls towards zero
    assert len(res["sentences"]) == 5 and env["method"]["test"] == "adjusted-wald"


def test_independent_json_matches_two_sample_test(cli, tmp_path):
    path = tmp_path / "two.csv"
    pd.DataFrame({"wave": ["W10"] * 5 + ["W9"] * 4,
                  "nps": [10, 10, 9, 3, 7, 0, 8, 10, 6]}).to_csv(path, index=False)
    out = cli("compare", path, "--score-column", "nps", "--wave-column", "wave",
              "--method", "wald", "--json")
    assert out.returncode == 0, out.stderr
    res = envelope_of(out)["results"]
    assert res["wave_order"] == ["W9", "W10"]
    (change,) = res["changes"]
    ref = compare_nps([0, 8, 10, 6], [10, 10, 9, 3, 7], method="wald")
    assert change["design"] == "independent"
    assert change["delta"] == pytest.approx(ref.delta) and change["se"] == pytest.approx(ref.se)
    assert change["estimate"] == change["delta"]  # wald: no adjustment
    assert change["p_adjusted"] == pytest.approx(ref.p_value)  # a family of one


def test_segments_and_text_output(cli):
    out = cli(*BASE, "--id-column", "respondent_id", "--by", "segment", "--adjust", "fdr_bh",
              "--confidence", "90", "--json")
    assert out.returncode == 0, out.stderr
    env = envelope_of(out)
    res = env["results"]
    seg, overall = res["segment_changes"], res["changes"]
    assert len(overall) == 3 and len(seg) == 9
    assert {c["segment"] for c in seg} == {"SMB", "Mid-market", "Enterprise"}
    assert env["method"]["adjust"] == "fdr_bh" and env["method"]["confidence"] == 0.9
    assert len(res["segment_waves"]) == 12
    text = cli(*BASE, "--method", "bootstrap")
    assert text.returncode == 0, text.stderr
    assert "Waves in order: 2024-H1 < 2024-H2 < 2025-H1 < 2025-H2" in text.stdout
    assert "bootstrap per wave, adjusted-wald for changes" in text.stdout


@pytest.mark.parametrize("content, args, needle", [
    ("wave,id,score\nA,1,10\nA,1,9\nB,2,3\n", ["--id-column", "id"], "appears 2 times"),
    ("wave,score\nA,10\nB,eleven\n", [], "row 3"),
    ("wave,score\nA,10\nB,3\n", ["--baseline", "C"], "baseline='C'"),
    ("wave,score\nA,10\nB,3\n", ["--by", "region"], "region"),
])
def test_bad_input_exit_2_without_traceback(cli, tmp_path, content, args, needle):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    out = cli("compare", path, "--score-column", "score", "--wave-column", "wave", *args)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert needle in out.stderr and out.stderr.startswith("nps-kit compare: error:")


def test_unknown_adjust_is_rejected_by_parser(cli):
    out = cli(*BASE, "--adjust", "bonferroni")
    assert out.returncode == 2 and "holm" in out.stderr and "Traceback" not in out.stderr
