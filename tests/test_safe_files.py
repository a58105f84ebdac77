"""Files the kit writes and files it is given: no formulas, no writes through links, no hangs.

- every CSV the kit writes (call lists from the CLI and the template, dropped-rows reports)
  neutralises text cells a spreadsheet would run as formulas, and keeps numbers numbers;
- a link planted in the output folder is replaced, never followed; a killed run's work folder is
  removed by the next run; the executed notebook records no temporary path;
- a full disk, a damaged workbook, a loop of links, a named pipe and a Latin-1 CSV end with
  exit code 2 and a message naming the file, never a traceback or a hang.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from nps_kit.engines.dispatch import read_table
from nps_kit.data.writer import OutputError, neutralise_cell, write_bytes, write_csv

FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil","x")', "@SUM(1+1)", "+1+1",
            "-2+3", "\t=1", "\r=1"]
IN_DATA = FORMULAS[:5]  # a carriage return in a test file would need quoting to survive


def _cells(path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as f:
        return [cell for row in csv.reader(f) for cell in row]


def _live_formulas(path) -> list[str]:
    return [c for c in _cells(path) if c[:1] in ("=", "+", "-", "@", "\t", "\r")
            and neutralise_cell(c) != c]


def test_write_csv_neutralises_text_and_keeps_numbers(tmp_path):
    frame = pd.DataFrame({"text": FORMULAS, "number": range(-3, 4), "signed": ["-5"] * 7,
                          "=col": ["ok"] * 7})
    path = write_csv(frame, tmp_path / "out.csv")
    assert _live_formulas(path) == []
    back = pd.read_csv(path, keep_default_na=False)
    assert back["text"].tolist() == ["'" + f for f in FORMULAS]
    assert back["number"].tolist() == list(range(-3, 4))  # still numbers
    assert back["signed"].tolist() == [-5] * 7  # a plain signed number runs nothing
    assert "'=col" in back.columns


@pytest.fixture(scope="module")
def formula_customers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formulas")
    customers = read_table("demo:customers.csv")
    for col in ("company", "contact_name", "contact_email"):
        customers[col] = [IN_DATA[i % len(IN_DATA)] + str(i) for i in range(len(customers))]
    responses = read_table("demo:responses.csv")
    responses["comment"] = [IN_DATA[i % len(IN_DATA)] for i in range(len(responses))]
    responses["score"] = responses["score"].astype(object)
    responses.loc[responses.index[:3], "score"] = ["=1+1", "@SUM(9)", "+9x"]
    customers.to_csv(folder / "customers.csv", index=False)
    responses.iloc[3:].to_csv(folder / "responses_valid.csv", index=False)
    responses.to_csv(folder / "responses.csv", index=False)
    return folder


def test_cli_call_list_and_dropped_report_hold_no_formula(cli, formula_customers, tmp_path):
    f = formula_customers
    res = cli("abc", "--customers", str(f / "customers.csv"), "--responses",
              str(f / "responses.csv"), "--errors", "drop", "--call-list",
              str(tmp_path / "calls.csv"), "--dropped-report", str(tmp_path / "dropped.csv"))
    assert res.returncode == 0, res.stderr
    calls = _cells(tmp_path / "calls.csv")
    assert sum(c.startswith("'") for c in calls) > 100  # the formulas are there, neutralised
    assert _live_formulas(tmp_path / "calls.csv") == []
    dropped = _cells(tmp_path / "dropped.csv")
    assert "'=1+1" in dropped and "'@SUM(9)" in dropped
    assert _live_formulas(tmp_path / "dropped.csv") == []


def test_a_run_replaces_planted_links_and_cleans_up(cli, formula_customers, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.csv"
    victim.write_text("precious\n")
    (out / "call_list.csv").symlink_to(victim)
    (out / "abc_segmentation.html").symlink_to(victim)
    stale = out / ".abc_segmentation-killed"  # what a kill -9 leaves: no live owner
    stale.mkdir()
    (stale / "owner.pid").write_text("999999999")
    f = formula_customers
    res = cli("run", "abc_segmentation", "-o", str(out), "-p", "n_resamples", "300",
              "-p", "customers_file", str(f / "customers.csv"),
              "-p", "responses_file", str(f / "responses_valid.csv"), timeout=600)
    assert res.returncode == 0, res.stderr
    assert victim.read_text() == "precious\n"
    for name in ("call_list.csv", "abc_segmentation.html"):
        assert not (out / name).is_symlink() and (out / name).is_file()
    assert not stale.exists()
    assert sorted(p.name for p in out.iterdir()) == [
        "abc_segmentation.html", "abc_segmentation.ipynb", "abc_segmentation.json",
        "abc_segmentation.xlsx", "call_list.csv"]
    notebook = (out / "abc_segmentation.ipynb").read_text()
    assert ".abc_segmentation-" not in notebook and str(tmp_path) + "/out/abc" in notebook
    assert _live_formulas(out / "call_list.csv") == []
    assert sum(c.startswith("'") for c in _cells(out / "call_list.csv")) > 100


def test_a_full_disk_is_an_output_error_and_leaves_nothing(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError, match="disk is full"):
        write_bytes(tmp_path / "x.csv", b"a,b\n")
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_in_the_cli_exits_2_without_traceback(tmp_path):
    code = (
        "import errno, os, sys\n"
        "def full(fd): raise OSError(errno.ENOSPC, 'No space left on device')\n"
        "os.fsync = full\n"
        "from nps_kit.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    res = subprocess.run([sys.executable, "-c", code, "abc", "--customers", "demo:customers.csv",
                          "--responses", "demo:responses.csv", "--call-list",
                          str(tmp_path / "calls.csv")], capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr and "calls.csv" in res.stderr and "disk is full" in res.stderr


def _broken_inputs(folder):
    (folder / "garbage.xlsx").write_bytes(b"PK\x03\x04" + os.urandom(500))
    import zipfile

    with zipfile.ZipFile(folder / "zip_not_workbook.xlsx", "w") as z:
        z.writestr("hello.txt", "not a workbook")
    (folder / "loop_a.csv").symlink_to(folder / "loop_b.csv")
    (folder / "loop_b.csv").symlink_to(folder / "loop_a.csv")
    os.mkfifo(folder / "pipe.csv")
    (folder / "latin.csv").write_bytes("score,segment\n9,Café\n3,Bébé\n".encode("latin-1"))
    return {
        "garbage.xlsx": "damaged or not a real XLSX",
        "zip_not_workbook.xlsx": "damaged or not a real XLSX",
        "loop_a.csv": "loop of links",
        "pipe.csv": "named pipe",
        "latin.csv": "--encoding",
    }


def test_broken_inputs_end_in_exit_2_with_the_file_named(cli, tmp_path):
    for name, words in _broken_inputs(tmp_path).items():
        res = cli("score", str(tmp_path / name), "--score-column", "score", "--json", timeout=60)
        assert res.returncode == 2, (name, res.stderr)
        assert "Traceback" not in res.stderr, name
        assert name in res.stderr and words in res.stderr, (name, res.stderr)
        assert json.loads(res.stdout)["ok"] is False
    res = cli("score", str(tmp_path / "latin.csv"), "--score-column", "score", "--by", "segment",
              "--encoding", "cp1252")
    assert res.returncode == 0, res.stderr
    assert "Café" in res.stdout and "Bébé" in res.stdout
    res = cli("score", str(tmp_path / "latin.csv"), "--score-column", "score",
              "--encoding", "klingon")
    assert res.returncode == 2 and "klingon" in res.stderr


def test_terminal_output_carries_no_control_sequence_from_the_data(cli, tmp_path):
    # a value or column name holding an ANSI escape reaches the terminal as literal text
    path = tmp_path / "esc.csv"
    path.write_text('score,"seg\x1b[2Jment"\n9,"a\x1b[31mred"\n3,b\n10,a\n', encoding="utf-8")
    for args in (["score", str(path), "--by", "seg\x1b[2Jment"],
                 ["score", str(path), "--by", "seg\x1b[2Jment", "--errors", "drop"]):
        res = cli(*args)
        assert res.returncode == 0, res.stderr
        assert "\x1b" not in res.stdout and "\x1b" not in res.stderr
        assert "a [31mred" in res.stdout
