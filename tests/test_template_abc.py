"""The ``abc_segmentation`` template, executed with papermill on a real kernel."""

from __future__ import annotations

import json

import nbformat
import pandas as pd
import pytest

from nps_kit.revenue.study import abc_from_files
from nps_kit.errors import NPSKitWarning
from nps_kit.reports.html import visible_text
from nps_kit.engines.dispatch import read_table
from nps_kit.reports import run_template
from tests.paths import REPO
from tests.report_checks import assert_reader_tables

TEMPLATE = REPO / "templates" / "abc_segmentation.ipynb"


def test_template_is_committed_clean():
    nb = nbformat.read(str(TEMPLATE), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "customers_file: str = \"demo:customers.csv\"" in code[0].source


def test_demo_run_writes_the_call_list_and_keeps_it_out_of_the_html(tmp_path):
    out = tmp_path / "out"
    result = run_template("abc_segmentation", {"n_resamples": 2000}, out, cwd=tmp_path)
    res = result.results
    assert res["wave"] == "2025-H2"
    by_class = pd.DataFrame(res["by_class"])
    assert by_class["class"].tolist() == ["A", "B", "C"]
    assert by_class["customers"].tolist() == [400, 600, 1000]
    with pytest.warns(NPSKitWarning, match="class\\(es\\) C"):  # demo: class C answers least
        lib = abc_from_files("demo:customers.csv", "demo:responses.csv", wave="2025-H2",
                             comment="comment", n_resamples=2000).summary
    assert any("class(es) C" in w for w in res["warnings"])
    assert by_class["nps"].tolist() == pytest.approx(lib["nps"].tolist())
    assert by_class["revenue_at_risk_low"].tolist() == pytest.approx(lib["revenue_at_risk_low"].tolist())
    assert res["revenue_at_risk"]["amount"] == pytest.approx(lib["revenue_at_risk"].sum())
    assert 0 <= res["chi_square"]["p_value"] <= 1
    assert "Revenue at risk" in res["summary_text"]

    calls_path = out / "call_list.csv"
    calls = pd.read_csv(calls_path)
    assert res["call_list"]["path"] == "call_list.csv"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing written beside it
    assert len(calls) == res["call_list"]["follow_up"] + res["call_list"]["thank"] > 100
    assert set(calls["category"]) == {"detractor", "passive", "promoter"}
    for _, part in calls.groupby("list"):
        assert part["annual_revenue"].is_monotonic_decreasing

    page = result.html.read_text(encoding="utf-8")
    text = visible_text(page)
    assert "call_list.csv" in text
    assert_reader_tables(page, min_tables=8)
    # the low-response warning is a styled note, not a stderr line
    assert 'role="note"' in page and "class(es) C" in text and "NPSKitWarning" not in page
    assert f"{res['revenue_at_risk']['amount']:,.0f}" in text  # money: whole units, separators
    # names and e-mail addresses (with spaces or @, so never inside image data) nowhere in the page
    for value in pd.concat([calls["contact_name"], calls["contact_email"], calls["company"]]).unique():
        assert value not in page
    # ids and comments not in the visible text
    for value in calls["customer_id"]:
        assert value not in text
    for comment in calls["comment"].dropna().unique():
        assert comment not in text
    assert "@" not in text
    # the recorded results carry no identifiers either
    dumped = json.dumps(res)
    customers = read_table("demo:customers.csv")
    assert not any(cid in dumped for cid in customers["customer_id"])
    assert "@" not in dumped


def test_parameters_reach_the_analysis(run_template, tmp_path):
    customers = pd.DataFrame({"cid": [f"z{i}" for i in range(12)],
                              "turnover": [600, 300, 200, 150, 100, 90, 80, 70, 60, 50, None, 0]})
    responses = pd.DataFrame({
        "who": ["z0", "z1", "z2", "z3", "z4", "z5", "z6", "z10", "q9", "z0"],
        "round": ["r2"] * 9 + ["r1"],
        "s": [9, 2, 7, 10, 0, 9, 8, 5, 10, 1],
    })
    customers.to_csv(tmp_path / "customers.csv", index=False)
    responses.to_csv(tmp_path / "responses.csv", index=False)
    params = dict(customers_file="customers.csv", responses_file="responses.csv",
                  customer_id_column="cid", revenue_column="turnover", id_column="who",
                  score_column="s", wave_column="round", wave="latest", comment_column="",
                  mode="revenue", method="wald", confidence=0.9, n_resamples=500,
                  call_list_output="lists/calls.csv")
    _, res = run_template(TEMPLATE, tmp_path, **params)
    assert res["wave"] == "r2" and res["mode"] == "revenue" and res["cuts"] == [0.8, 0.95]
    join = res["join"]
    assert (join["matched"], join["without_customer"], join["customer_without_revenue"],
            join["other_waves"]) == (7, 1, 1, 1)
    assert res["unclassified_customers"] == 1
    with pytest.warns(NPSKitWarning):
        lib = abc_from_files(tmp_path / "customers.csv", tmp_path / "responses.csv",
                             customer_id="cid", revenue="turnover", respondent_id="who", score="s",
                             wave_column="round", mode="revenue", method="wald", confidence=0.9,
                             n_resamples=500).summary
    got = pd.DataFrame(res["by_class"])
    assert got["customers"].tolist() == lib["customers"].tolist()
    assert got["ci_high"].tolist() == pytest.approx(lib["ci_high"].tolist(), nan_ok=True)
    calls = pd.read_csv(tmp_path / "lists" / "calls.csv")
    assert len(calls) == 7 and calls["turnover"].iloc[0] == 300  # z1, the richest detractor


def test_cli_run_writes_only_under_its_output_folder_and_is_reproducible(cli, tmp_path):
    """Issue 15.1: the call list goes under -o; a second identical run records the same results
    and provenance, and never lists its own outputs as inputs."""
    args = ("run", "abc_segmentation", "-o", "out", "-p", "n_resamples", "300")
    first = cli(*args, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    report_1 = json.loads((tmp_path / "out" / "abc_segmentation.json").read_text())
    second = cli(*args, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    report_2 = json.loads((tmp_path / "out" / "abc_segmentation.json").read_text())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (tmp_path / "out" / "call_list.csv").is_file()
    assert report_1["results"] == report_2["results"]
    assert report_1["provenance"] == report_2["provenance"]
    inputs = report_2["provenance"]["inputs"]
    assert set(inputs) == {"customers_file", "responses_file"}
    assert "output_dir" not in report_2["provenance"]["parameters"]
    escape = cli("run", "abc_segmentation", "-o", "out", "-p", "call_list_output", "../x.csv",
                 cwd=tmp_path)
    assert escape.returncode == 2 and "inside the output folder" in escape.stderr
    assert not (tmp_path / "x.csv").exists()
