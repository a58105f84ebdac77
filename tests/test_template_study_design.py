"""The ``study_design`` template, executed with papermill on a real kernel."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from nps_kit.design.sample_size import plan_sample_size
from nps_kit.design.fieldwork import allocate_segments, blended_response_rate, previous_wave_counts
from nps_kit.design.power import detectable_change
from nps_kit.reports.catalog import find_template

TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "study_design.ipynb"


def test_template_is_committed_clean_with_documented_parameters():
    nb = nbformat.read(TEMPLATE, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in first_code.metadata.get("tags", [])
    template = find_template("study_design")
    names = set(template.parameter_names)
    assert {"confidence", "margin", "segments", "channels", "change", "expected_shares"} <= names
    assert all(p.help and p.type for p in template.parameters)


def test_default_run_on_demo_data(run_template, tmp_path):
    nb_path, results = run_template("study_design", tmp_path)
    assert nb_path.exists()
    # The same figures straight from the API, with the demo data's latest wave as anticipated shares.
    counts, _ = previous_wave_counts("demo:responses.csv")
    rate = blended_response_rate({"email": (0.7, 0.25), "phone": (0.3, 0.6)})
    plan = plan_sample_size(2000, 0.95, 6.0, expected=counts, response_rate=rate)
    assert results["population"] == 2000  # the demo customer list
    for key in ("classic_n", "nps_n", "nps_n_adjusted_wald", "invitations"):
        assert results[key] == getattr(plan, key)
    assert results["nps_margin_at_classic_n"] == pytest.approx(plan.nps_margin_at_classic_n)
    # the side-by-side lesson: the classic n falls short of +-6 NPS points
    assert results["nps_margin_at_classic_n"] > 6
    assert results["detectable_change_independent"] == pytest.approx(
        detectable_change(plan.nps_n, 0.8, 0.05, expected1=counts, population=2000))
    assert results["detectable_change_panel"] < results["detectable_change_independent"]
    segs = {r["segment"]: r for r in results["segment_allocation"]}
    assert set(segs) == {"SMB", "Mid-market", "Enterprise"}
    assert all(r["margin"] <= 10 for r in segs.values())
    channels = {r["channel"] for r in results["invitations_by_segment_channel"]}
    assert channels == {"email", "phone"}
    assert any("phone" in line for line in results["advice"])
    # two figures: margin curve and power curve
    nb = nbformat.read(nb_path, as_version=4)
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == 2
    from nps_kit.reports.html import notebook_to_html
    from nps_kit.reports.record import private_from_notebook
    from tests.report_checks import assert_reader_tables

    page = notebook_to_html(nb, private_values=private_from_notebook(nb))
    assert_reader_tables(page, min_tables=6)
    assert f"{results['invitations']:,}" in page


def test_run_with_literal_inputs(run_template, tmp_path):
    segments = {"A": 600, "B": 900, "C": 1500}
    _, results = run_template(
        "study_design", tmp_path, customers_file="", previous_responses="", segments=segments,
        expected_shares=None, confidence=0.99, margin=3.0, segment_margin=5.0, panel_correlation=None,
        channels={"email": [1.0, 0.3]},
    )
    plan = plan_sample_size(3000, 0.99, 3.0, response_rate=0.3)
    assert results["population"] == 3000
    assert results["classic_n"] == plan.classic_n == 1142
    assert results["nps_n"] == plan.nps_n
    assert results["invitations"] == plan.invitations
    assert "detectable_change_panel" not in results
    expected_alloc = allocate_segments(segments, 5.0, 0.99, response_rate=0.3)
    assert [r["respondents"] for r in results["segment_allocation"]] == expected_alloc["respondents"].tolist()
    advice = " ".join(results["advice"])
    assert "over-represents loyal customers" in advice  # email only
    assert "Too few people" in advice  # +-5 points per segment at 99 % cannot be reached by email alone
