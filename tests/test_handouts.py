"""``nps-kit handouts``: teaching notebooks as self-contained HTML, formulas rendered offline.

Runs the command as a subprocess on a committed notebook (executed with papermill on a real
kernel) and on an already executed one (the lecturer's key, with the worked answers), then opens
the handout from disk in headless Chromium with no network: the formulas are MathML elements
with a real size, no raw ``$...$`` is left, no script is present or allowed, and the plumbing
cells and (in the student's version) the worked answers are absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nps_kit.reports.handouts import math_to_mathml

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_math_to_mathml_converts_formulas_and_leaves_code_and_prices():
    out = math_to_mathml("Inline $\\hat p - \\hat d$ and\n\n$$\n\\text{NPS} = 100\\,(p - d)\n$$\n")
    assert out.count("<math") == 2 and 'display="block"' in out and "$" not in out
    assert math_to_mathml("costs $5 and $6 a month") == "costs $5 and $6 a month"
    assert math_to_mathml("code `$x$` stays") == "code `$x$` stays"


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    """One student handout (executed here) and one key (from the executed notebook)."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("handouts")
    run = lambda *a: subprocess.run([sys.executable, "-m", "nps_kit.cli.main", *map(str, a)],  # noqa: E731
                                    capture_output=True, text=True, timeout=600)
    student = run("handouts", NOTEBOOKS / "07_two_waves.ipynb", "-o", out / "student", "--json")
    assert student.returncode == 0, student.stderr[-2000:]
    key = run("handouts", out / "student" / "07_two_waves.ipynb", "-o", out / "key", "--solutions")
    assert key.returncode == 0, key.stderr[-2000:]
    return out, json.loads(student.stdout), key


def test_handouts_written_where_asked_and_reported_in_json(handouts):
    out, envelope, key = handouts
    assert envelope["ok"] and envelope["results"]["files"] == [str(out / "student" / "07_two_waves.html")]
    assert (out / "key" / "07_two_waves-key.html").exists()
    # only the handout and the executed copy: no work folder, no kernel log left behind
    assert sorted(p.name for p in (out / "student").iterdir()) == ["07_two_waves.html", "07_two_waves.ipynb"]
    assert "wrote" in key.stdout and not list((out / "key").glob("*.ipynb"))  # executed copy not re-run


def test_student_handout_has_no_plumbing_and_no_answers_the_key_has_them(handouts):
    out, _, _ = handouts
    student = (out / "student" / "07_two_waves.html").read_text(encoding="utf-8")
    key = (out / "key" / "07_two_waves-key.html").read_text(encoding="utf-8")
    for page in (student, key):
        assert "record(" not in page and "For the test suite" not in page
        assert "<script" not in page.lower() and "Content-Security-Policy" in page
        assert "application/vnd.nps-kit" not in page
    assert "Answer to exercise" not in student and "solution(check_" not in student
    assert "Answer to exercise 1" in key
    assert "Exercise 1: Set up first." in student  # the self-checks stay (default parameters)


def test_handout_formulas_render_offline_in_chromium(handouts, browser, tmp_path):
    out, _, _ = handouts
    page = out / "student" / "07_two_waves.html"
    tab = browser.open(page.as_uri(), 1000, 1400)
    try:
        n_math = tab.evaluate("document.querySelectorAll('math').length")
        sizes = tab.evaluate("Array.from(document.querySelectorAll('math[display=block]'))"
                             ".map(m => { const r = m.getBoundingClientRect(); return [r.width, r.height]; })")
        raw = tab.evaluate("document.body.innerText.includes('$$')")
        scripts = tab.evaluate("document.scripts.length")
        tab.evaluate("document.querySelector('math[display=block]').scrollIntoView()")
        shot = tab.screenshot(tmp_path / "handout.png")
    finally:
        tab.close()
    assert n_math >= 5 and sizes and all(w > 50 and h > 15 for w, h in sizes)
    assert not raw and scripts == 0
    assert shot.stat().st_size > 10_000


def test_handouts_refuse_a_missing_notebook(cli, tmp_path):
    done = cli("handouts", tmp_path / "nope.ipynb", "-o", tmp_path / "out")
    assert done.returncode == 2 and "nope.ipynb: no such notebook" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_failing_notebook_exits_2_naming_the_cell_and_keeps_the_failed_copy(cli, tmp_path):
    done = cli("handouts", NOTEBOOKS / "01_nps_basics.ipynb", "-o", tmp_path, "-p", "n_per_wave", "0")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "cell" in done.stderr and "must be a whole number" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["01_nps_basics.failed.ipynb"]
