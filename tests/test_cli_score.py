"""nps-kit score, run as a subprocess."""

import subprocess
import sys

import pytest

from nps_kit.cli.main import main
from paths import REALDATA
from tests.envelopes import envelope_of

SO = str(REALDATA / "stackoverflow2018_recommend_sample.csv")


def nps_kit(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "nps_kit.cli.main", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_json_output_matches_api():
    from nps_kit.engines.dispatch import read_responses
    from nps_kit.engines.dispatch import summarize

    out = nps_kit("score", SO, "--score-column", "StackOverflowRecommend", "--by", "Employment",
                  "--method", "score", "--confidence", "90", "--json")
    assert out.returncode == 0, out.stderr
    rows = envelope_of(out, "score")["results"]["groups"]
    data = read_responses(SO, "StackOverflowRecommend").data
    ref = summarize(data, "StackOverflowRecommend", by="Employment", method="score", confidence=0.9)
    assert len(rows) == len(ref)
    for row, (_, r) in zip(rows, ref.iterrows()):
        assert row["n"] == r.n and row["nps"] == pytest.approx(r.nps) and row["ci_low"] == pytest.approx(r.ci_low)
        assert row["method"] == "score" and row["confidence"] == 0.9 and row["nonresponse"] == "exclude"
        for key in ("detractors", "passives", "promoters", "se", "ci_high", "detractor_share"):
            assert key in row


def test_table_output():
    out = nps_kit("score", SO, "--score-column", "StackOverflowRecommend")
    assert out.returncode == 0 and "nps" in out.stdout and "adjusted-wald" in out.stdout


@pytest.mark.parametrize("content,needle", [("id,score\n1,10\n2,eleven\n", "row 3"),
                                            ("id,score\n1,10\n1,9\n", "appears 2 times"),
                                            ("id,score\n1,10.5\n", "fractional")])
def test_bad_input_exit_2_without_traceback(tmp_path, content, needle):
    p = tmp_path / "bad.csv"
    p.write_text(content)
    out = nps_kit("score", str(p), "--score-column", "score", "--id-column", "id")
    assert out.returncode == 2
    assert needle in out.stderr and str(p) in out.stderr and "Traceback" not in out.stderr


def test_drop_mode_writes_report(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("id,score\n1,10\n2,eleven\n3,\n")
    rep = tmp_path / "dropped.csv"
    out = nps_kit("score", str(p), "--score-column", "score", "--errors", "drop", "--json",
                  "--dropped-report", str(rep))
    assert out.returncode == 0
    env = envelope_of(out, "score")
    assert any("dropped 1 of 3 rows" in n for n in env["notes"])
    assert env["summary"]["rows_read"] == env["summary"]["rows_kept"] + env["summary"]["rows_dropped"] == 3
    assert [(d["row"], d["value"]) for d in env["dropped"]] == [(3, "eleven")]
    group = env["results"]["groups"][0]
    assert group["n"] == 1 and group["nonrespondents"] == 1
    assert "eleven" in rep.read_text()


def test_relative_path_resolves_against_cwd(tmp_path):
    (tmp_path / "r.csv").write_text("score\n10\n0\n")
    out = nps_kit("score", "r.csv", "--score-column", "score", "--json", cwd=tmp_path)
    assert out.returncode == 0 and envelope_of(out)["results"]["groups"][0]["nps"] == 0.0


def test_json_error_is_an_envelope_too(tmp_path):
    (tmp_path / "r.csv").write_text("score\n10\n12\n")
    out = nps_kit("score", "r.csv", "--json", cwd=tmp_path)
    assert out.returncode == 2 and "row 3" in out.stderr
    env = envelope_of(out, "score")
    assert env["ok"] is False and "row 3" in env["results"]["error"]


@pytest.mark.parametrize("args,needle", [(["score", SO], "--score-column NAME"),
                                             (["score", SO], "'StackOverflowRecommend'"),
                                         (["score", SO, "--score-column", "StackOverflowRecommend", "--confidence", "1.5"], "ambiguous"),
                                         (["score", SO, "--score-column", "StackOverflowRecommend", "--confidence", "0"], "between 0 and 1"),
                                         (["score", SO, "--score-column", "StackOverflowRecommend", "--method", "exact"], "invalid choice"),
                                         (["score", "missing.csv", "--score-column", "s"], "file not found")])
def test_usage_errors(args, needle):
    out = nps_kit(*args)
    assert out.returncode == 2 and needle in out.stderr and "Traceback" not in out.stderr


def test_version_and_help(capsys):
    out = nps_kit("--version")
    assert out.returncode == 0 and out.stdout.startswith("nps-kit ")
    assert nps_kit("score", "--help").returncode == 0
    assert main([]) == 0 and "COMMAND" in capsys.readouterr().out
