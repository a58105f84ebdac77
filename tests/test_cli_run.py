"""`nps-kit templates`, `nps-kit run` and `nps-kit demo` as subprocesses."""

from __future__ import annotations

import hashlib
import html
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from nps_kit.data.bundled import bundled_folder
from nps_kit.reports.catalog import list_templates
from tests.envelopes import envelope_of

DEMO = bundled_folder("demo_data")
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def _run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "nps_kit.cli.main", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=600)


def _notebook(path: Path, *code: str, params: str = "x: int = 1  # a number") -> Path:
    cells = [new_markdown_cell("# Tiny"), new_code_cell(params, metadata={"tags": ["parameters"]})]
    cells += [new_code_cell(c) for c in code]
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC}), str(path))
    return path


def _without_timing(path: Path) -> bytes:
    """The JSON file's bytes with the timing block removed (it is the only part that may differ)."""
    data = json.loads(path.read_text())
    data.pop("timing")
    return json.dumps(data, sort_keys=True, indent=2).encode()


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run1")
    proc = _run_cli("run", "nps_report", "-o", out, "-p", "confidence", "0.9", "-p", "wave", "2025-H1")
    return proc, out


def test_run_writes_notebook_html_and_json(first_run):
    proc, out = first_run
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["nps_report.html", "nps_report.ipynb", "nps_report.json",
                                                     "nps_report.xlsx"]
    assert f"wrote {out / 'nps_report.html'}" in proc.stdout
    report = json.loads((out / "nps_report.json").read_text())
    assert set(report) == {"results", "provenance", "timing", "outputs"}
    assert report["outputs"]["workbook"] == "nps_report.xlsx" and "NPS by segment" in report["outputs"]["sheets"]
    assert set(report["timing"]) == {"started", "finished", "seconds"}
    prov = report["provenance"]
    assert prov["parameters"]["confidence"] == 0.9 and prov["parameters"]["wave"] == "2025-H1"
    assert prov["inputs"]["responses_file"] == [{
        "path": "demo:responses.csv",
        "sha256": hashlib.sha256((DEMO / "responses.csv").read_bytes()).hexdigest(),
    }]
    assert prov["seed"] == 0 and prov["template"]["name"] == "nps_report"
    assert report["results"]["wave"] == "2025-H1" and report["results"]["confidence"] == 0.9
    page = (out / "nps_report.html").read_text()
    assert "<script" not in page.lower() and "read_responses" not in page
    assert 'class="jp-InputPrompt' not in page and "@" not in page.split("<body", 1)[1].replace("@media", "")
    # 2025-H1 was surveyed by e-mail only: the channel cannot be a key driver there, and the
    # report says so instead of failing
    assert "&#x27;channel&#x27; is left out of the key-driver model" in page or \
        "'channel' is left out of the key-driver model" in page
    assert {row["attribute"] for row in report["results"]["drivers"]} == {"segment"}


def test_same_inputs_give_byte_identical_results_and_provenance(first_run, tmp_path):
    _, out1 = first_run
    proc = _run_cli("run", "nps_report", "-o", tmp_path, "-p", "wave", "2025-H1", "-p", "confidence", "0.9",
                    "--json")
    assert proc.returncode == 0, proc.stderr
    assert _without_timing(out1 / "nps_report.json") == _without_timing(tmp_path / "nps_report.json")
    text1, text2 = (out1 / "nps_report.json").read_text(), (tmp_path / "nps_report.json").read_text()
    assert text1.split('"timing"')[0] == text2.split('"timing"')[0]  # byte for byte up to the times
    printed = envelope_of(proc, "run")
    assert printed["results"]["recorded"] == json.loads(text2)["results"]
    assert printed["method"]["provenance"] == json.loads(text2)["provenance"]


def test_unknown_parameter_and_wrong_type_exit_2_before_any_kernel(cli, tmp_path):
    marker = tmp_path / "kernel_ran"
    nb = _notebook(tmp_path / "touch.ipynb", f"open({str(marker)!r}, 'w').close()",
                   params="confidence: float = 0.95  # level\nlabel: str = 'a'  # text")
    out = tmp_path / "out"
    proc = cli("run", nb, "-o", out, "-p", "confidnce", "0.9")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "no parameter 'confidnce'; its parameters are: confidence, label" in proc.stderr
    proc = cli("run", nb, "-o", out, "-p", "confidence", "abc")
    assert proc.returncode == 2 and "declared as float" in proc.stderr and "'abc'" in proc.stderr
    proc = cli("run", "nps_report", "-o", out, "-p", "responses_file", "missing.csv", cwd=tmp_path)
    assert proc.returncode == 2 and "missing.csv" in proc.stderr and "does not exist" in proc.stderr
    proc = cli("run", nb, "-o", out, "--seed", "3")
    assert proc.returncode == 2 and "no seed parameter" in proc.stderr
    proc = cli("run", "no_such_template")
    assert proc.returncode == 2 and "nps_report" in proc.stderr
    assert not marker.exists() and not out.exists()
    proc = cli("run", nb, "-o", out, "--no-html", "-p", "label", "12")
    assert proc.returncode == 0 and marker.exists()
    assert sorted(p.name for p in out.iterdir()) == ["touch.ipynb", "touch.json"]
    assert json.loads((out / "touch.json").read_text())["provenance"]["parameters"]["label"] == "12"


def test_failing_cell_exits_1_keeps_failed_notebook_and_earlier_report(cli, tmp_path):
    src = tmp_path / "weekly.ipynb"
    out = tmp_path / "reports"
    _notebook(src, "from nps_kit.reports import record\nrecord('value', x * 2)")
    assert cli("run", src, "-o", out).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    _notebook(src, "from nps_kit.reports import record", "y = x + 1\nz = y / (x - 1)")
    proc = cli("run", src, "-o", out)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "template 'weekly' failed in cell 4" in proc.stderr
    assert "line 2: z = y / (x - 1)" in proc.stderr and "ZeroDivisionError" in proc.stderr
    failed = out / "weekly.failed.ipynb"
    assert failed.exists() and "weekly.failed.ipynb" in proc.stderr
    assert any(o.get("ename") == "ZeroDivisionError" for c in nbformat.read(str(failed), 4).cells
               for o in c.get("outputs", []))
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.name != "weekly.failed.ipynb"}
    assert after == before  # the earlier report is untouched, no temporary files left behind
    # a later successful run replaces the report and clears the stale failure
    _notebook(src, "from nps_kit.reports import record\nrecord('value', x * 3)")
    assert cli("run", src, "-o", out, "-p", "x", "5").returncode == 0
    assert not failed.exists()
    assert json.loads((out / "weekly.json").read_text())["results"] == {"value": 15}


def test_privacy_violation_exits_1_and_writes_no_html(cli, tmp_path):
    src = _notebook(tmp_path / "leak.ipynb", "print('contact: jane.doe@example.com')")
    proc = cli("run", src, "-o", tmp_path / "out")
    assert proc.returncode == 1 and "e-mail" in proc.stderr and "jane.doe@example.com" not in proc.stderr
    assert not (tmp_path / "out" / "leak.html").exists()


def test_parameters_file_and_relative_paths_resolve_against_the_callers_directory(cli, tmp_path):
    shutil.copy(DEMO / "responses.csv", tmp_path / "survey.csv")
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "2024-H2.yaml").write_text(
        "responses_file: survey.csv\nwave: 2024-H2\nconfidence: 0.8\nmethod: wald\n")
    proc = cli("run", "nps_report", "-f", "params/2024-H2.yaml", "-p", "method", "score",
               "-o", "reports/2024-H2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "reports" / "2024-H2" / "nps_report.json").read_text())
    assert report["provenance"]["inputs"]["responses_file"][0]["path"] == "survey.csv"
    assert report["results"]["method"] == "score"  # -p overrides the file
    assert report["results"]["confidence"] == 0.8 and report["results"]["wave"] == "2024-H2"
    raw = pd.read_csv(tmp_path / "survey.csv")
    assert report["results"]["n"] == int(raw.loc[raw.wave == "2024-H2", "score"].notna().sum())
    (tmp_path / "bad.yaml").write_text("- just\n- a list\n")
    proc = cli("run", "nps_report", "-f", "bad.yaml", cwd=tmp_path)
    assert proc.returncode == 2 and "mapping" in proc.stderr


def test_templates_lists_every_template_with_parameters(cli):
    proc = cli("templates", "--json")
    assert proc.returncode == 0, proc.stderr
    listed = {t["name"]: t for t in envelope_of(proc, "templates")["results"]["templates"]}
    assert set(listed) == {t.name for t in list_templates()}
    report = listed["nps_report"]
    assert report["purpose"].startswith("NPS for one survey wave")
    params = {p["name"]: p for p in report["parameters"]}
    assert params["confidence"] == {"name": "confidence", "type": "float", "default": 0.95,
                                    "help": "confidence level of the intervals"}
    assert params["responses_file"]["default"] == "demo:responses.csv"
    text = cli("templates").stdout
    assert "nps_report: NPS for one survey wave" in text and "confidence: float = 0.95" in text


def test_demo_runs_every_template_and_writes_an_index(cli, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    proc = cli("demo", "-o", tmp_path / "demo", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr == ""  # quiet when not on a terminal
    index = tmp_path / "demo" / "index.html"
    assert f"open {index.resolve()}" in proc.stdout
    page = index.read_text()
    for t in list_templates():
        assert f'href="{t.name}.html"' in page
        assert (tmp_path / "demo" / f"{t.name}.html").exists()
        assert (tmp_path / "demo" / f"{t.name}.json").exists()
    for t in list_templates():
        results = json.loads((tmp_path / "demo" / f"{t.name}.json").read_text())["results"]
        headline = " ".join(results["findings"][:2])  # the index states the page's own verdict
        assert headline and html.escape(headline) in page, t.name
    # files a template writes (the ABC call list) land in the demo folder, not in the working directory
    assert (tmp_path / "demo" / "call_list.csv").exists()
    assert list(work.iterdir()) == []
    # a second identical run records identical results and provenance for every template (timings
    # aside), and does not take the first run's outputs for inputs
    again = cli("demo", "-o", tmp_path / "demo2", cwd=work)
    assert again.returncode == 0, again.stderr
    for t in list_templates():
        first = _without_timing(tmp_path / "demo" / f"{t.name}.json")
        assert first == _without_timing(tmp_path / "demo2" / f"{t.name}.json"), t.name
        inputs = json.dumps(json.loads(first)["provenance"].get("inputs", {}))
        assert "call_list" not in inputs and "demo2" not in inputs and str(tmp_path) not in inputs, t.name
    assert list(work.iterdir()) == []
