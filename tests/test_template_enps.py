"""The enps_study template through papermill: recorded results and a shareable HTML page that
shows no suppressed group's numbers, no names, no e-mail addresses and no respondent ids."""

from __future__ import annotations

import html
import re

import nbformat
import pytest

from nps_kit.enps.report import COMPLEMENTARY_LABEL, COMPLEMENTARY_REASON, enps_report, primary_reason
from nps_kit.enps.comments import enps_comments
from nps_kit.reports.html import notebook_to_html, privacy_problems, visible_text
from nps_kit.engines.dispatch import read_table
from nps_kit.reports.record import private_from_notebook
from tests.report_checks import assert_reader_tables

NAMES = ["Priya Raman", "Tom Becker", "Ana Sousa", "Jonas Weber", "Maya Chen", "Omar Haddad"]
GROUPINGS = ["department", "location", "tenure_band", ["department", "location"]]


def _page(nb_path) -> str:
    nb = nbformat.read(str(nb_path), as_version=4)
    page = notebook_to_html(nb, title="enps", private_values=private_from_notebook(nb))
    return page


def _cells_of_rows(page: str, label: str) -> list[list[str]]:
    """Text of the <td> cells of every table row whose cells include ``label``."""
    out = []
    for row in re.findall(r"<tr>(.*?)</tr>", page, flags=re.DOTALL):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.DOTALL)]
        if label in cells:
            out.append(cells)
    return out


def test_recorded_results_match_the_module(run_template, tmp_path):
    nb_path, results = run_template("enps_study", tmp_path)
    data = read_table("demo:employees.csv")
    report = enps_report(data, "score", GROUPINGS, headcount="demo:headcount.csv")
    assert results["enps"]["enps"] == pytest.approx(report.enps)
    assert results["enps"]["participation"] == pytest.approx(report.participation)
    assert results["min_group_size"] == 5 and results["threshold_override"] is False
    groups = results["groups"]
    assert len(groups) == sum(len(t) for t in report.tables.values())
    suppressed = [g for g in groups if g["suppressed"]]
    assert {g["department"] for g in suppressed if g["table"] == "department"} == {"Legal", "Facilities"}
    for g in suppressed:
        assert g["n"] is None and g["enps"] is None and g["ci_low"] is None
        assert g["reason"] in (primary_reason(5), COMPLEMENTARY_REASON)
    changes = results["changes"]["department"]
    legal = [c for c in changes if c["department"] == "Legal"][0]
    assert legal["suppressed"] and legal["change"] is None and legal["n_current"] is None
    shown = {g["department"] for g in groups if g["table"] == "department" and not g["suppressed"]}
    assert {t["department"] for t in results["themes"]} <= shown
    # the fair ranking shrinks only the published groups; suppressed ones carry no number
    from nps_kit.groups.shrinkage import enps_shrinkage

    ranked = {r["department"]: r for r in results["shrunk"]["department"]}
    expected = enps_shrinkage(report, "department", seed=0).table.set_index("department")
    for name, row in ranked.items():
        if name in ("Legal", "Facilities"):
            assert all(row[k] is None for k in ("n", "enps", "nps_shrunk", "shrunk_low", "p_best", "p_worst"))
        else:
            assert row["nps_shrunk"] == pytest.approx(expected.loc[name, "nps_shrunk"], abs=1e-12)
    assert sum(r["p_best"] for r in ranked.values() if r["p_best"] is not None) == pytest.approx(1)
    assert set(results["shrunk"]) == {"department", "location", "tenure_band"}

    page = _page(nb_path)
    text = visible_text(page)
    assert privacy_problems(page, NAMES) == []
    for name in NAMES:
        assert name not in text and name.split()[0] not in text
    assert "@" not in text and "E0001" not in text and "respondent_id" not in text
    assert "How anonymity is protected" in text and "fewer than 5 answers" in text
    assert_reader_tables(page, min_tables=10)
    assert "95% interval" in text
    # quoted comments are in full (redacted), never cut
    quoted = enps_comments(report, data, "comment", by="department", names=NAMES, per_group=3)
    longest = max(quoted["comment"], key=len)
    assert len(longest) > 50 and html.escape(longest, quote=False) in page
    # every table row of a suppressed group shows only its labels, the headcount and the reason
    by_dept = report.table("department").set_index("department")
    assert COMPLEMENTARY_LABEL in text and "..." not in text  # no truncated cells
    for dept in ("Legal", "Facilities"):
        rows = _cells_of_rows(page, dept)
        assert rows
        for cells in rows:
            allowed = {dept, primary_reason(5), COMPLEMENTARY_LABEL, "suppressed",
                       "suppressed in the current wave", "suppressed in the previous wave",
                       "not in both waves", "Berlin", "Lisbon", "Toronto"}
            allowed |= {str(int(by_dept.loc[dept, "headcount"]))}
            allowed |= {str(int(h)) for h in report.table(["department", "location"])
                        .query("department == @dept")["headcount"]}
            assert set(cells) <= allowed, cells
    true_counts = data[data["department"] == "Legal"]["score"].dropna()
    true_enps = 100 * ((true_counts >= 9).sum() - (true_counts <= 6).sum()) / len(true_counts)
    for cells in _cells_of_rows(page, "Legal"):
        assert f"{true_enps:+.1f}" not in cells


def test_threshold_override_is_written_into_the_report(run_template, tmp_path):
    nb_path, results = run_template(
        "enps_study", tmp_path, min_group_size=2, allow_below_3=True, previous_file="",
        headcount_file="", comment_column="", groupings=["department"],
    )
    assert results["threshold_override"] is True and results["min_group_size"] == 2
    assert "changes" not in results and "themes" not in results
    legal = [g for g in results["groups"] if g.get("department") == "Legal"][0]
    assert legal["suppressed"] is False and legal["n"] == 2
    text = visible_text(_page(nb_path))
    assert "lowered to 2 by an explicit override" in text


def test_committed_without_outputs_with_documented_parameters():
    import json

    from nps_kit.reports.catalog import find_template

    template = find_template("enps_study")
    nb = json.loads(template.path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3" and nb["nbformat"] == 4
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert "parameters" in code[0]["metadata"].get("tags", [])
    lines = [ln for ln in "".join(code[0]["source"]).splitlines() if ln.strip()]
    assert all(":" in ln.split("=")[0] and "  # " in ln for ln in lines)
    defaults = template.defaults
    assert defaults["responses_file"] == "demo:employees.csv"
    assert defaults["headcount_file"] == "demo:headcount.csv"
    assert defaults["min_group_size"] == 5 and defaults["allow_below_3"] is False
    assert ["department", "location"] in defaults["groupings"]
