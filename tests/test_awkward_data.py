"""Every template on data nobody shaped for the kit (tests/awkward.py): it writes its report, and
every recorded figure is on its scale, every interval holds the estimate printed beside it.

The files: 100 segments (40 of one or two respondents, two with only blank scores, one of a
single respondent, one all promoters, one all detractors, one named by 10,000 non-ASCII
characters), one wave and two waves, a file without the default segment column, customers with
zero revenue, employees in groups of one category and a previous wave one person smaller.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from awkward import LONG, scale_problems, write_awkward
from nps_kit.reports.runner import run_template
from nps_kit.reports.catalog import list_templates

TEMPLATES = [t.name for t in list_templates()]


@pytest.fixture(scope="session")
def awkward_runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("awkward")
    params = write_awkward(folder / "data")

    def one(name):
        try:
            return name, run_template(name, params[name], folder / "out")
        except Exception as exc:
            return name, f"{type(exc).__name__}: {exc}"

    with ThreadPoolExecutor(2) as pool:
        return dict(pool.map(one, TEMPLATES))


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_runs_and_stays_on_scale(template, awkward_runs):
    run = awkward_runs[template]
    assert not isinstance(run, str), f"{template} failed on awkward data: {run}"
    assert scale_problems(run.results) == []
    page = Path(run.html).read_text(encoding="utf-8")
    assert LONG not in page  # the long label is shortened for display
    if template == "nps_report":
        assert "too few answers" in page
        assert run.results["by_segment"] and any(r["n"] == 1 for r in run.results["by_segment"])


def test_small_and_separated_driver_levels_are_not_findings(awkward_runs):
    run = awkward_runs["nps_report"]
    text = " ".join(run.results["driver_sentences"])
    assert "pooled as '(other levels)'" in text or "left out of the model" in text
    for row in run.results["drivers"]:
        if row["reported"]:
            assert -200 <= row["ci_low"] <= row["nps_effect"] <= row["ci_high"] <= 200
            assert row["n_level"] >= 10
