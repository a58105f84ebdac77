"""``nps-kit abc`` as a subprocess: JSON per class, the call list file, bad input exits 2."""

from __future__ import annotations


import pandas as pd
import pytest

from nps_kit.revenue.study import abc_from_files
from nps_kit.errors import NPSKitWarning
from tests.envelopes import envelope_of, results_of

KEYS = {"class", "customers", "respondents", "response_rate", "nps", "ci_low", "ci_high", "revenue",
        "revenue_at_risk", "revenue_at_risk_share"}


def _write(tmp_path):
    customers = pd.DataFrame({
        "id": [f"k{i}" for i in range(10)],
        "revenue": [900, 800, 700, 600, 500, 400, 300, 200, 100, 50],
        "contact_name": [f"Name {i}" for i in range(10)],
    })
    responses = pd.DataFrame({
        "cust": ["k0", "k1", "k2", "k3", "k5", "k6", "k8", "k9", "x1"],
        "nps": [10, 3, 9, 7, 0, 10, 8, 9, 10],
        "why": list("abcdefghi"),
    })
    customers.to_csv(tmp_path / "c.csv", index=False)
    responses.to_csv(tmp_path / "r.csv", index=False)
    return tmp_path / "c.csv", tmp_path / "r.csv"


def test_json_per_class_matches_the_library(cli, tmp_path):
    c, r = _write(tmp_path)
    args = ["abc", "--customers", c, "--responses", r, "--customer-id-column", "id", "--revenue-column", "revenue",
            "--id-column", "cust", "--score-column", "nps", "--wave-column", "",
            "--comment-column", "why", "--resamples", "500", "--call-list", tmp_path / "out" / "calls.csv",
            "--json"]
    res = cli(*args)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    rows = results_of(res, "classes", "abc")
    assert [row["class"] for row in rows] == ["A", "B", "C"]
    assert KEYS <= set(rows[0])
    by = {row["class"]: row for row in rows}
    # A = k0, k1 (900 + 800): k0 promoter, k1 detractor -> 800 / 1700 of A at risk = 800
    assert by["A"]["respondents"] == 2 and by["A"]["revenue"] == 1700
    assert by["A"]["revenue_at_risk"] == pytest.approx(800.0)
    assert by["A"]["revenue_at_risk_share"] == pytest.approx(800 / 1700)
    assert by["A"]["nps"] == pytest.approx(0.0)
    assert by["C"]["response_rate"] == pytest.approx(4 / 5)  # k5, k6, k8, k9 of k5..k9
    lib = abc_from_files(c, r, customer_id="id", revenue="revenue", respondent_id="cust",
                         score="nps", wave_column=None, n_resamples=500).summary
    assert [row["ci_low"] for row in rows] == pytest.approx(lib["ci_low"].tolist())
    assert [row["revenue_at_risk_low"] for row in rows] == pytest.approx(lib["revenue_at_risk_low"].tolist())
    env = envelope_of(res)
    assert any("1 response(s) without a classified customer" in n for n in env["notes"])
    assert env["summary"]["without_customer"] == 1 and env["results"]["call_list"]["follow_up"] == 4
    calls = pd.read_csv(tmp_path / "out" / "calls.csv")
    assert calls["id"].tolist() == ["k1", "k3", "k5", "k8", "k0", "k2", "k6", "k9"]
    assert calls["comment"].tolist() == ["b", "d", "e", "g", "a", "c", "f", "h"]
    assert calls["list"].tolist() == ["follow_up"] * 4 + ["thank"] * 4


def test_text_output_and_demo_data(cli, tmp_path):
    res = cli("abc", "--customers", "demo:customers.csv", "--responses", "demo:responses.csv",
              "--wave", "2025-H2", "--resamples", "200", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "revenue_at_risk" in res.stdout and "Chi-square" in res.stdout
    assert "wave 2025-H2" in res.stderr
    assert "@" not in res.stdout  # no e-mail addresses (nor any identifiers) in the table


def test_revenue_mode_and_cuts(cli, tmp_path):
    """Also: the earlier option spellings (--customer-id, --revenue, --respondent-id) still work."""
    c, r = _write(tmp_path)
    common = ["abc", "--customers", c, "--responses", r, "--customer-id", "id", "--revenue", "revenue",
              "--respondent-id", "cust", "--score-column", "nps", "--wave-column", "",
              "--resamples", "200", "--json"]
    rows = results_of(cli(*common, "--cuts", "0.1,0.6"), "classes")
    assert [row["customers"] for row in rows] == [1, 5, 4]
    rows = results_of(cli(*common, "--mode", "revenue"), "classes")
    # shares before each customer: 0, .2, .38, .53, .67, .78, .87, .93, .98, ...
    assert [row["customers"] for row in rows] == [6, 2, 2]


@pytest.mark.parametrize("extra, message", [
    (["--revenue", "turnover"], "'turnover' not found"),
    (["--cuts", "0.5,0.2"], "0 < first < second < 1"),
    (["--wave-column", "nps", "--wave", "w9"], "wave 'w9' not found"),
])
def test_bad_input_exits_2(cli, tmp_path, extra, message):
    c, r = _write(tmp_path)
    base = ["abc", "--customers", c, "--responses", r, "--customer-id-column", "id", "--revenue-column", "revenue",
            "--id-column", "cust", "--score-column", "nps", "--wave-column", ""]
    res = cli(*base, *extra)
    assert res.returncode == 2
    assert message in res.stderr and "Traceback" not in res.stderr


def test_missing_file_exits_2(cli, tmp_path):
    res = cli("abc", "--customers", tmp_path / "nope.csv", "--responses", "demo:responses.csv")
    assert res.returncode == 2 and "file not found" in res.stderr


def test_errors_drop_reports_rows_and_output_is_reproducible(cli, tmp_path):
    c, r = _write(tmp_path)
    bad = pd.read_csv(r).astype({"nps": object})
    bad.loc[2, "nps"] = "11"
    bad.to_csv(tmp_path / "bad.csv", index=False)
    base = ["abc", "--customers", c, "--responses", tmp_path / "bad.csv", "--customer-id-column", "id",
            "--revenue-column", "revenue", "--id-column", "cust", "--score-column", "nps",
            "--wave-column", "", "--resamples", "300", "--json"]
    strict = cli(*base)
    assert strict.returncode == 2 and "row 4" in strict.stderr
    first, second = cli(*base, "--errors", "drop"), cli(*base, "--errors", "drop")
    assert first.returncode == 0, first.stderr
    env = envelope_of(first)
    assert "1 invalid response row(s) dropped" in " ".join(env["notes"])
    assert [d["row"] for d in env["dropped"]] == [4] and env["summary"]["rows_dropped"] == 1
    assert first.stdout == second.stdout  # same inputs and seed: the same bytes
    with pytest.warns(NPSKitWarning, match=r"class\(es\) B"):  # k2 dropped: 1 of 3 in B
        lib = abc_from_files(c, tmp_path / "bad.csv", customer_id="id", revenue="revenue",
                             respondent_id="cust", score="nps", wave_column=None, errors="drop",
                             n_resamples=300)
    assert lib.dropped["row"].tolist() == [4] and "outside" in lib.dropped["reason"].iloc[0]
    assert lib.joined.rows_in == 8


def test_responses_keyed_by_customer_id_without_wave_column(cli, tmp_path):
    """Issue 15.2: no respondent_id and no wave column: join on customer_id, one wave, both said."""
    customers = pd.DataFrame({"customer_id": [f"k{i}" for i in range(10)],
                              "annual_revenue": [900, 800, 700, 600, 500, 400, 300, 200, 100, 50]})
    responses = pd.DataFrame({"customer_id": ["k0", "k1", "k2", "k5", "k8", "k9"],
                              "score": [10, 3, 9, 0, 8, 9]})
    customers.to_csv(tmp_path / "c.csv", index=False)
    responses.to_csv(tmp_path / "r.csv", index=False)
    text = cli("abc", "--customers", tmp_path / "c.csv", "--responses", tmp_path / "r.csv",
               "--resamples", "200")
    assert text.returncode == 0, text.stderr
    assert "no column 'wave': all rows are read as one wave" in text.stderr
    assert "identified by 'customer_id'" in text.stderr
    js = cli("abc", "--customers", tmp_path / "c.csv", "--responses", tmp_path / "r.csv",
             "--resamples", "200", "--json")
    env = envelope_of(js, "abc")
    assert env["summary"]["matched"] == 6 and env["summary"]["without_customer"] == 0
    assert sum(row["respondents"] for row in env["results"]["classes"]) == 6
    assert any("one wave" in n for n in env["notes"])
    explicit = cli("abc", "--customers", tmp_path / "c.csv", "--responses", tmp_path / "r.csv",
                   "--wave-column", "period")
    assert explicit.returncode == 2 and "wave column 'period' not found" in explicit.stderr
    assert "--no-wave-column" in explicit.stderr and "Traceback" not in explicit.stderr
