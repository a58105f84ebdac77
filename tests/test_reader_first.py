"""Reader-first reports: the summary follows the numbers, sections with nothing are left out,
categories read in order, messages name template parameters, workbooks are formula-safe, and
plain papermill users get the same shareable files.

Kernels are shared: one run of the NPS report on the Stack Overflow extract (real data, no wave
column), one on the demo data rolled up to quarters, one papermill run on a hostile file.
"""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pytest

from paths import REALDATA

SO = REALDATA / "stackoverflow2018_recommend_sample.csv"


# ------------------------------------------------------------------ findings, unit level

def _overall(n, nps, low, high, promoters=0.4, detractors=0.2):
    return {"n": n, "nps": nps, "ci_low": low, "ci_high": high, "promoter_share": promoters,
            "detractor_share": detractors}


def test_too_few_answers_gives_one_sentence_and_no_figures():
    from nps_kit.reports.findings import nps_report_findings

    lines = nps_report_findings(_overall(6, 50.0, -10.0, 90.0), "2025-11")
    assert len(lines) == 1 and "too few answers" in lines[0].lower() and "+50" not in lines[0]


@pytest.mark.parametrize("p_value,signal,real_words,contradiction", [
    (0.01, False, "larger than chance", True),
    (0.01, True, "larger than chance", False),
    (0.40, False, "not a real change", False),
    (0.40, True, "not a real change", True),
])
def test_change_sentence_and_the_two_questions_sentence_follow_the_tests(p_value, signal,
                                                                          real_words, contradiction):
    from nps_kit.reports.findings import nps_report_findings

    change = {"from": "2025-10", "nps_from": 30.0, "change": -12.0, "ci_low": -20.0,
              "ci_high": -4.0, "p_value": p_value}
    lines = nps_report_findings(_overall(300, 18.0, 10.0, 26.0), "2025-11", change=change,
                                chart_latest={"signal": signal})
    text = " ".join(lines)
    assert real_words in text
    assert ("answer different questions" in text) == contradiction


def test_segment_sentence_says_whether_the_gap_may_be_chance():
    from nps_kit.reports.findings import nps_report_findings

    seg = pd.DataFrame({"team": ["a", "b", "tiny"], "n": [200, 200, 4],
                        "nps": [40.0, 10.0, 90.0], "ci_low": [32.0, 2.0, 0.0],
                        "ci_high": [48.0, 18.0, 100.0]})
    apart = " ".join(nps_report_findings(_overall(404, 25.0, 20.0, 30.0), "Q", by_segment=seg,
                                         segment_column="team"))
    assert "Highest team group: a" in apart and "lowest: b" in apart and "do not overlap" in apart
    assert "tiny" not in apart  # under the small-n line a group is not a finding
    seg.loc[1, "ci_high"] = 35.0
    close = " ".join(nps_report_findings(_overall(404, 25.0, 20.0, 30.0), "Q", by_segment=seg,
                                         segment_column="team"))
    assert "may be chance" in close


def test_comparison_names_an_unadjusted_interval_beside_an_adjusted_verdict():
    from nps_kit.reports.findings import wave_comparison_findings

    changes = pd.DataFrame([{"comparison": "consecutive", "from": "H1", "to": "H2", "delta": -18.4,
                             "ci_low": -30.6, "ci_high": -5.4, "p_value": 0.003,
                             "p_adjusted": 0.07, "adjust": "holm"}] * 2)
    waves = pd.DataFrame({"wave": ["H1", "H2"], "nps": [40.0, 21.0], "n": [200, 250],
                          "ci_low": [30.0, 12.0], "ci_high": [48.0, 30.0]})
    text = " ".join(wave_comparison_findings(changes, waves, "wave"))
    assert "not adjusted" in text and "could be chance after adjusting for 2 tests" in text


def test_money_is_whole_with_currency_and_intervals_hold_small_n():
    from nps_kit.reports.findings import interval_text, money_text

    assert money_text(37844734.959513165, "EUR") == "EUR 37,844,735"
    assert interval_text(-10, 30, n=9).startswith("too few answers")
    assert interval_text(11.7, 30.4, n=258) == "95% interval +12 to +30"


def test_categories_read_in_order():
    from nps_kit.core.categories import category_order, order_by

    assert category_order(["5y+", "<1y", "3-5y", "1-3y"]) == ["<1y", "1-3y", "3-5y", "5y+"]
    assert category_order(["12-14 years", "0-2 years", "30 or more years", "3-5 years"]) == [
        "0-2 years", "3-5 years", "12-14 years", "30 or more years"]
    assert category_order(["Team 10", "Team 2", "Ops"]) == ["Ops", "Team 2", "Team 10"]
    frame = pd.DataFrame({"band": ["b", "a", "c"], "x": [1, 2, 3]})
    assert order_by(frame, "band", ["c"])["band"].tolist() == ["c", "a", "b"]


def test_messages_name_the_template_parameter_inside_a_template(monkeypatch):
    from nps_kit.core.hints import (CONTEXT_VARIABLE, PARAMETERS_VARIABLE, TEMPLATE_CONTEXT,
                                    drop_hint, option_hint)

    monkeypatch.delenv(CONTEXT_VARIABLE, raising=False)
    assert option_hint("--score-column NAME", "score=NAME") == \
        "CLI: --score-column NAME; Python: score=NAME"
    monkeypatch.setenv(CONTEXT_VARIABLE, TEMPLATE_CONTEXT)
    monkeypatch.setenv(PARAMETERS_VARIABLE, "responses_file,score_column")
    assert option_hint("--score-column NAME", "score=NAME") == \
        "template parameter: -p score_column NAME"
    assert "--errors drop" in drop_hint() and "no parameter" in drop_hint()


# ------------------------------------------------------------------ runs (shared kernels)

@pytest.fixture(scope="module")
def so_report(tmp_path_factory):
    """The NPS report on the Stack Overflow extract: no wave column, ranges as segments."""
    from nps_kit.reports.runner import run_template

    out = tmp_path_factory.mktemp("so")
    run = run_template("nps_report", {
        "responses_file": str(SO), "score_column": "StackOverflowRecommend", "wave_column": "",
        "segment_column": "YearsCoding", "driver_columns": ["Employment"],
        "id_column": "Respondent"}, out)
    return run


def test_real_file_report_leaves_out_the_empty_trend_and_says_why(so_report):
    import os

    from nps_kit.core.hints import CONTEXT_VARIABLE

    # the template context reaches the kernel only, never this process (parallel runs would race)
    assert CONTEXT_VARIABLE not in os.environ
    r = so_report.results
    assert [x["section"] for x in r["left_out"]] == ["Signal or noise? NPS over the periods"]
    page = so_report.html.read_text()
    assert "Signal or noise" in page.split("How this was computed")[1]  # only in the method
    assert ">Signal or noise" not in page.split("How this was computed")[0]
    assert r["period"] is None and "all answers in the data" in page
    assert r["findings"][0].startswith("All answers: NPS +")


def test_real_file_segments_are_in_the_order_of_their_ranges(so_report):
    order = [row["YearsCoding"] for row in so_report.results["by_segment"]]
    assert order[:4] == ["0-2 years", "3-5 years", "6-8 years", "9-11 years"]
    assert order[-1] == "30 or more years"


def test_summary_figures_are_the_reported_figures(so_report):
    r = so_report.results
    first = r["findings"][0]
    assert f"NPS {int(round(r['nps'])):+d} from {r['n']:,} answers" in first
    assert f"interval {int(round(r['ci'][0])):+d} to {int(round(r['ci'][1])):+d}" in first
    # an independent count of the same file
    raw = pd.read_csv(SO)["StackOverflowRecommend"].dropna()
    scores = raw.str.extract(r"^(\d+)")[0].astype(int)
    assert r["n"] == len(scores)
    assert r["nps"] == pytest.approx(100 * ((scores >= 9).mean() - (scores <= 6).mean()))


def test_workbook_holds_every_reader_table_as_numbers_where_numbers(so_report):
    from openpyxl import load_workbook

    meta = json.loads(so_report.json.read_text())["outputs"]
    book = load_workbook(so_report.workbook)
    assert book.sheetnames == [s[:31].replace("?", " ").strip() for s in meta["sheets"]]
    assert "NPS by segment" in book.sheetnames
    sheet = book["NPS by segment"]
    header = [c.value for c in sheet[1]]
    n_col = header.index("n") + 1
    assert all(isinstance(sheet.cell(row=i, column=n_col).value, int) for i in range(2, 5))


@pytest.fixture(scope="module")
def quarterly(tmp_path_factory):
    from nps_kit.reports.runner import run_template

    out = tmp_path_factory.mktemp("quarters")
    return run_template("nps_report", {"date_column": "date", "period": "quarter",
                                       "wave_column": ""}, out)


def test_periods_from_dates_name_the_period_in_title_and_summary(quarterly):
    r = quarterly.results
    assert r["period"] == "2025-Q3" and r["title"] == "NPS report: 2025-Q3"
    assert r["findings"][0].startswith("2025-Q3: NPS")
    assert "Against 2025-Q1" in r["findings"][1]
    assert [w["period"] for w in r["trend"]] == ["2024-Q1", "2024-Q3", "2025-Q1", "2025-Q3"]
    assert r["left_out"] == []
    assert "synthetic" in quarterly.html.read_text()  # the demo notice, at the end
    page = quarterly.html.read_text()
    assert page.index("Summary") < page.index("How this was computed") < page.index("synthetic")


def test_a_wrong_column_is_refused_before_a_kernel_starts(cli, tmp_path):
    started = time.perf_counter()
    done = cli("run", "nps_report", "-p", "score_column", "Score2", "-o", tmp_path / "out")
    seconds = time.perf_counter() - started
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "-p score_column NAME" in done.stderr and "'Score2'" in done.stderr
    assert "'score'" in done.stderr  # the columns the file has
    assert not list((tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else True
    assert seconds < 600  # a hang guard only; the point is that no kernel ran (no .ipynb)


def test_a_missing_default_score_column_names_the_parameter(cli, tmp_path):
    f = tmp_path / "answers.csv"
    f.write_text("id,rating\n1,9\n2,3\n", encoding="utf-8")
    done = cli("run", "nps_report", "-p", "responses_file", f, "-o", tmp_path / "out")
    assert done.returncode == 2
    assert "-p score_column NAME" in done.stderr and "'rating'" in done.stderr


def test_publish_a_papermill_run_of_a_hostile_file(cli, run_template, tmp_path):
    from openpyxl import load_workbook

    bad = pd.DataFrame({
        "respondent_id": range(1, 61), "wave": "W1",
        "segment": ["=HYPERLINK(\"http://x\",\"y\")", "<img src=x onerror=alert(1)>", "ok"] * 20,
        "score": np.tile([0, 5, 7, 8, 9, 10], 10)})
    src = tmp_path / "hostile.csv"
    bad.to_csv(src, index=False)
    nb, _ = run_template("nps_report", tmp_path, responses_file=str(src), driver_columns=[])
    done = cli("publish", nb, "-o", tmp_path / "pub")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "pub" / "nps_report.html").read_text()
    assert "<img src=x" not in page
    assert "&lt;img src=x" in page or "&#60;img" in page
    data = json.loads((tmp_path / "pub" / "nps_report.json").read_text())
    assert data["results"]["title"] == "NPS report: W1"
    assert data["provenance"]["parameters"]["responses_file"] == str(src)
    book = load_workbook(tmp_path / "pub" / "nps_report.xlsx")
    values = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in values)


def test_publish_refuses_a_failed_notebook(cli, tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1/0")
    cell.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="x",
                                           traceback=[])]
    nb.cells = [cell]
    path = tmp_path / "bad.ipynb"
    nbformat.write(nb, str(path))
    done = cli("publish", path)
    assert done.returncode == 2 and "failed cell" in done.stderr
    assert not (tmp_path / "bad.html").exists()


# ------------------------------------------------------------------ the other summaries

def test_abc_summary_states_too_few_and_money_with_currency():
    from nps_kit.reports.findings import abc_findings

    by_class = pd.DataFrame({"class": ["A", "B", "C"], "nps": [31.0, 13.0, 19.0],
                             "respondents": [85, 8, 120], "revenue_share": [0.72, 0.19, 0.09]})
    lines = abc_findings(by_class, {"amount": 37844734.96, "low": 23611019.1, "high": 55493804.3,
                                    "share": 0.19}, {"follow_up": 148, "thank": 110},
                         wave_label="2025-H2", currency="EUR")
    assert lines[0] == "2025-H2: class A NPS +31; class B too few answers (n = 8); class C NPS +19."
    assert "EUR 37,844,735, 19% of revenue" in lines[1]
    assert "call back 148 customers" in lines[-1]


def test_enps_summary_uses_published_groups_only():
    from nps_kit.reports.findings import enps_findings

    records = [{"table": "overall", "n": 300, "enps": -12.0, "suppressed": False},
               {"table": "team", "team": "Ops", "n": 40, "enps": -30.0, "suppressed": False},
               {"table": "team", "team": "Tiny", "n": 3, "enps": None, "suppressed": True},
               {"table": "team", "team": "Sales", "n": 60, "enps": 10.0, "suppressed": False}]
    lines = enps_findings({"n": 300, "enps": -11.7, "ci_low": -20.1, "ci_high": -3.0,
                           "participation": 0.66}, records, min_group=5)
    text = " ".join(lines)
    assert "eNPS -12 from 300 employees" in text and "66% took part" in text
    assert "Lowest group shown: Ops (team)" in text and "Tiny" not in text
    assert "2 group(s) shown, 1 hidden" in text
    assert enps_findings({"n": 3, "enps": None}, [], min_group=5) == [
        "Fewer than 5 answers in all: nothing can be shown."]


def test_themes_summary_warns_when_most_comments_are_uncoded():
    from nps_kit.reports.findings import themes_findings

    lift = pd.DataFrame({"theme": ["price/value", "billing"], "lift": [2.4, 0.8],
                         "p_adjusted": [0.01, 0.6]})
    lines = themes_findings(60, 616, lift, period="all waves")
    assert lines[0].startswith("All waves: 60 of 616 comments coded")
    assert "Under half of the comments are coded" in lines[1]
    assert "price/value" in lines[2] and "2.4 times" in lines[2]
    lines = themes_findings(600, 616, lift.assign(p_adjusted=[0.2, 0.6]))
    assert len(lines) == 2 and "No theme is mentioned by detractors more often" in lines[1]


def test_ltv_and_design_summaries():
    from nps_kit.reports.findings import ltv_findings, study_design_findings

    cats = pd.DataFrame({"category": ["detractor", "passive", "promoter"],
                         "churn_rate": [0.36, 0.22, 0.10]})
    lines = ltv_findings(cats, matched=677, what_if={"moved": 13.1, "total": 284604.2,
                                                     "total_low": -146447.0, "total_high": 715654.0,
                                                     "confidence": 0.95}, currency="USD")
    assert lines[0] == "Churn: detractors 36%, passives 22%, promoters 10% (677 respondents matched to outcomes)."
    assert "If 13 detractors became passives" in lines[1] and "USD 284,604" in lines[1]
    plan = study_design_findings(2000, 482, 1591, 6.0, 0.95, detectable_change=13.9)
    assert "Ask 482 of 2,000 people" in plan[0] and "sampling error only" in plan[0]
    assert "about 14 points" in plan[1]


def test_list_parameters_work_with_plain_papermill_p_and_y(tmp_path):
    import subprocess
    import sys

    from nps_kit.data.bundled import bundled_folder
    from nps_kit.reports import recorded_results

    src = bundled_folder("templates") / "nps_report.ipynb"
    runs = {"p": ["-p", "driver_columns", "[segment]", "-p", "segment_order", "[SMB, Enterprise]"],
            "y": ["-y", "driver_columns: [segment]\nsegment_order: [SMB, Enterprise]"]}
    for key, args in runs.items():
        out = tmp_path / f"{key}.ipynb"
        done = subprocess.run([sys.executable, "-m", "papermill", str(src), str(out), *args,
                               "--cwd", str(tmp_path), "--no-progress-bar"],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        r = recorded_results(out)
        assert {d["attribute"] for d in r["drivers"]} == {"segment"}, key
        assert [s["segment"] for s in r["by_segment"]] == ["SMB", "Enterprise", "Mid-market"], key


def test_a_list_parameter_that_is_not_a_list_is_refused_by_name():
    from nps_kit.errors import ParameterError
    from nps_kit.reports.parameters import as_list, as_mapping

    with pytest.raises(ParameterError, match="parameter driver_columns must be a list"):
        as_list("segment", "driver_columns")
    with pytest.raises(ParameterError, match="segments"):
        as_mapping("[1, 2]", "segments")


@pytest.mark.parametrize("args", [
    ["score", "demo:responses.csv"],
    ["compare", "demo:responses.csv", "--id-column", "respondent_id"],
    ["trend", "demo:responses.csv"],
    ["abc", "--customers", "demo:customers.csv", "--responses", "demo:responses.csv",
     "--resamples", "200"],
    ["ltv", "--responses", "demo:responses.csv", "--outcomes", "demo:outcomes.csv"],
])
def test_every_command_with_waves_rolls_dates_up_to_periods(cli, args):
    done = cli(*args, "--date-column", "date", "--period", "quarter", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert any("rolled up to quarters" in n for n in out["notes"]), out["notes"]
