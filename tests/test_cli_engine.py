"""``--engine`` on nps-kit score and compare, run as a subprocess: DuckDB equals pandas."""

import duckdb
import numpy as np
import pandas as pd
import pytest

from paths import REALDATA
from tests.envelopes import envelope_of

SO = REALDATA / "stackoverflow2018_recommend_sample.csv"
SCORE = "StackOverflowRecommend"


def same_rows(a: list[dict], b: list[dict], exact=("n", "detractors", "passives", "promoters",
                                                      "nonrespondents")):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        for key in exact:
            assert x[key] == y[key], key
        for key in ("nps", "se", "ci_low", "ci_high"):
            assert (x[key] is None and y[key] is None) or abs(x[key] - y[key]) <= 1e-9


def test_score_duckdb_equals_pandas_and_says_which_engine(cli):
    runs = {e: cli("score", SO, "--score-column", SCORE, "--by", "Employment", "--json",
                   "--engine", e) for e in ("pandas", "duckdb")}
    env = {e: envelope_of(p, "score") for e, p in runs.items()}
    same_rows(env["pandas"]["results"]["groups"], env["duckdb"]["results"]["groups"])
    assert [r["Employment"] for r in env["pandas"]["results"]["groups"]] == \
        [r["Employment"] for r in env["duckdb"]["results"]["groups"]]
    for e in ("pandas", "duckdb"):
        assert any(n.startswith(f"engine: {e}") for n in env[e]["notes"])
        s = env[e]["summary"]
        assert s["rows_read"] == 1000 == s["rows_kept"] + s["rows_dropped"]
        assert s["engine"].startswith(e)
    # the JSON carries what ran where: the engine's counting query and its row counts
    source = env["duckdb"]["summary"]["source"]
    assert "GROUP BY" in source["query"].upper() and source["rows_read"] == 1000
    assert "source" not in env["pandas"]["summary"]
    text = cli("score", SO, "--score-column", SCORE, "--engine", "duckdb")
    assert text.returncode == 0 and "engine: duckdb" in text.stderr


def test_auto_picks_duckdb_for_a_parquet_folder(cli, tmp_path):
    raw = pd.read_csv(SO)
    raw["half"] = np.where(raw.Respondent % 2 == 0, "even", "odd")
    raw.to_parquet(tmp_path / "data", partition_cols=["half"])
    out = cli("score", tmp_path / "data", "--score-column", SCORE, "--by", "half", "--json")
    env = envelope_of(out, "score")
    assert any("engine: duckdb" in n and "folder" in n for n in env["notes"])
    ref = envelope_of(cli("score", SO, "--score-column", SCORE, "--json"), "score")
    groups = env["results"]["groups"]
    assert [g["half"] for g in groups] == ["even", "odd"]
    assert sum(g["n"] for g in groups) == ref["results"]["groups"][0]["n"]
    assert sum(g["promoters"] for g in groups) == ref["results"]["groups"][0]["promoters"]


@pytest.mark.parametrize("content,needle", [("id,score\n1,10\n2,eleven\n", "row 3"),
                                            ("id,score\n1,10\n1,9\n", "appears 2 times"),
                                            ("id,score\n1,10.5\n", "fractional")])
def test_bad_input_exit_2_without_traceback(cli, tmp_path, content, needle):
    p = tmp_path / "bad.csv"
    p.write_text(content)
    out = cli("score", p, "--score-column", "score", "--id-column", "id", "--engine", "duckdb")
    assert out.returncode == 2
    assert needle in out.stderr and str(p) in out.stderr and "Traceback" not in out.stderr


def test_drop_mode_same_report_as_pandas(cli, tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("id,score\n1,10\n2,eleven\n3,\n4,8.5\n")
    env = {}
    for e in ("pandas", "duckdb"):
        rep = tmp_path / f"dropped-{e}.csv"
        out = cli("score", p, "--errors", "drop", "--json", "--dropped-report", rep, "--engine", e)
        env[e] = envelope_of(out, "score")
        assert env[e]["summary"]["rows_read"] == 4 and env[e]["summary"]["rows_dropped"] == 2
    assert env["pandas"]["dropped"] == env["duckdb"]["dropped"]
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "dropped-pandas.csv"),
                                  pd.read_csv(tmp_path / "dropped-duckdb.csv"))


def test_compare_duckdb_equals_pandas_on_a_panel(cli, tmp_path):
    raw = pd.read_csv(SO)
    long = pd.concat([raw[["Respondent", s]].rename(columns={s: "score"}).assign(wave=f"W{k + 1}")
                      for k, s in enumerate([SCORE, "StackOverflowJobsRecommend"])], ignore_index=True)
    p = tmp_path / "panel.csv"
    long.to_csv(p, index=False)
    env = {e: envelope_of(cli("compare", p, "--id-column", "Respondent", "--json", "--engine", e),
                          "compare") for e in ("pandas", "duckdb")}
    a, b = (env[e]["results"]["changes"] for e in ("pandas", "duckdb"))
    assert [r["n_matched"] for r in a] == [r["n_matched"] for r in b] and a[0]["n_matched"] > 0
    for x, y in zip(a, b):
        for key in ("delta", "se", "z", "p_value"):
            assert abs(x[key] - y[key]) <= 1e-9
    assert env["pandas"]["results"]["transitions"] == env["duckdb"]["results"]["transitions"]
    assert any(n.startswith("engine: duckdb") for n in env["duckdb"]["notes"])


def test_duckdb_table_source_on_the_command_line(cli, tmp_path):
    db = tmp_path / "survey.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(f"CREATE TABLE responses AS SELECT * FROM read_csv('{SO}', nullstr='NA')")
    out = cli("score", f"duckdb:{db}:responses", "--score-column", SCORE, "--json")
    env = envelope_of(out, "score")
    ref = envelope_of(cli("score", SO, "--score-column", SCORE, "--json"), "score")
    same_rows(ref["results"]["groups"], env["results"]["groups"])
    assert any("duckdb: table" in n for n in env["notes"])
