"""A report run straight on a survey-tool export: read as the export it is, and no identifier of
the export (e-mail, IP address, names) in the shareable HTML."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import nbformat
import pytest

from nps_kit.reports.html import visible_text
from nps_kit.reports.record import private_from_notebook
from tests.paths import REPO

EXPORT = REPO / "tests" / "data" / "exports" / "qualtrics.csv"


def test_nps_report_on_a_qualtrics_export_keeps_its_identifiers_private(tmp_path):
    # the export has one answer 'unsure' (an invalid score): the run stops and names it
    bad = subprocess.run([sys.executable, "-m", "nps_kit.cli.main", "run", "nps_report", "-o", tmp_path / "bad",
                          "-p", "responses_file", str(EXPORT), "-p", "score_column", "Q1"],
                         capture_output=True, text=True, timeout=600)
    assert bad.returncode == 1 and "'unsure'" in bad.stderr and "Traceback" not in bad.stderr
    lines = EXPORT.read_text().splitlines(keepends=True)
    clean = tmp_path / "qualtrics.csv"
    clean.write_text("".join(line for line in lines if ",unsure," not in line))
    assert len(clean.read_text().splitlines()) == len(lines) - 1
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "nps_kit.cli.main", "run", "nps_report", "-o", out,
                           "-p", "responses_file", str(clean), "-p", "score_column", "Q1",
                           "-p", "segment_column", "Q3"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    nb = nbformat.read(str(out / "nps_report.ipynb"), as_version=4)
    private = set(private_from_notebook(nb))
    # names, e-mail and IP address columns of the export are declared private ...
    assert {"Anna", "Nowak", "anna.nowak@example.com", "203.0.113.10"} <= private
    page = visible_text((out / "nps_report.html").read_text())
    # ... none is shown, and the page says how the file was read
    assert not any(value in page for value in private)
    assert "read as a Qualtrics export" in page
    # the numbers are those of the answers counted by hand with the csv module
    rows = list(csv.reader(clean.open(newline="")))
    answers = [int(r[rows[0].index("Q1")]) for r in rows[3:] if r[rows[0].index("Q1")] != ""]
    results = json.loads((out / "nps_report.json").read_text())["results"]
    promoters, detractors = sum(a >= 9 for a in answers), sum(a <= 6 for a in answers)
    assert results["n"] == len(answers) == 7 and results["nonrespondents"] == 1
    assert results["nps"] == pytest.approx(100 * (promoters - detractors) / len(answers), abs=1e-9)
    assert [row["Q3"] for row in results["by_segment"]] == ["Basic", "Pro"]


def test_nps_report_without_the_default_segment_column_says_so(tmp_path):
    data = tmp_path / "survey.csv"
    data.write_text("score\n10\n9\n3\n\n7\n")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "nps_kit.cli.main", "run", "nps_report", "-o", out,
                           "-p", "responses_file", str(data)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    page = visible_text((out / "nps_report.html").read_text())
    assert "has no column 'segment'" in page
    assert "NPS by segment: no segment column in the data" in page
    assert "has no column 'wave'" in page
    results = json.loads((out / "nps_report.json").read_text())["results"]
    assert results["by_segment"] == [] and results["n"] == 4
    assert results["nps"] == pytest.approx(25.0)
