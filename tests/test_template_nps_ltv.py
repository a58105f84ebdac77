"""The nps_ltv template, executed with papermill on a python3 kernel."""

import json

import nbformat
import pytest

from nps_kit.reports.catalog import find_template
from nps_kit.outcomes.by_category import category_outcomes, load_value_data
from nps_kit.outcomes.models import ltv_model


def test_template_is_committed_clean_with_typed_parameters():
    template = find_template("nps_ltv")
    nb = nbformat.read(str(template.path), as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    params = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in params.metadata.get("tags", [])
    assert nb.metadata["kernelspec"]["name"] == "python3"
    declared = {p.name: p for p in template.parameters}
    assert declared["responses_file"].default == "demo:responses.csv"
    assert declared["outcomes_file"].default == "demo:outcomes.csv"
    assert declared["controls"].default == ["segment"] and declared["controls"].type == "list[str]"
    assert declared["window"].default == "latest"
    assert all(p.type and p.help for p in template.parameters)


def test_defaults_run_and_record(run_template, tmp_path):
    nb_path, res = run_template("nps_ltv", tmp_path)
    assert set(res) >= {"join", "categories", "ltv_model", "churn_model", "spearman", "aggregate",
                        "aggregate_within", "what_if", "expected_churn_loss", "caveats",
                        "repeat_purchases"}
    assert [r["category"] for r in res["repeat_purchases"]] == ["detractor", "passive", "promoter"]
    j = load_value_data("demo:responses.csv", "demo:outcomes.csv")
    assert res["join"] == j.counts
    ref = category_outcomes(j.data)
    assert [r["n"] for r in res["categories"]] == ref["n"].tolist()
    assert res["categories"][2]["churn_rate"] == pytest.approx(ref["churn_rate"][2])
    m = ltv_model(j.data, controls=["segment"], model="gamma")
    promoter = next(r for r in res["ltv_model"] if r["term"] == "category[promoter]")
    assert promoter["estimate"] == pytest.approx(m.term("category[promoter]")["estimate"])
    assert all(r["interpretation"] == "associational, not causal" for r in res["what_if"])
    assert len(res["what_if"]) == 4
    assert res["aggregate"][0]["n_points"] == 12
    text = " ".join(res["caveats"]).lower()
    assert "causation" in text and "survivorship" in text
    # no respondent id appears in any visible output
    nb = nbformat.read(str(nb_path), as_version=4)
    visible = json.dumps([o.get("data", {}).get("text/html", "") + str(o.get("data", {}).get("text/plain", ""))
                          for c in nb.cells for o in c.get("outputs", [])])
    assert "C00192" not in visible
    from nps_kit.reports.html import notebook_to_html
    from nps_kit.reports.record import private_from_notebook
    from tests.report_checks import assert_reader_tables

    page = notebook_to_html(nb, private_values=private_from_notebook(nb))
    assert_reader_tables(page, min_tables=10)
    assert f"{res['categories'][0]['mean_ltv']:,.0f}" in page  # money: whole units, separators


def test_wave_window_and_ols(run_template, tmp_path):
    _, res = run_template("nps_ltv", tmp_path, window="wave", wave="2024-H2", ltv_model_type="ols",
                          churn_on="score", customers_file="", aggregate_within="",
                          repeat_column="")
    assert res["join"]["outside_window"] > 0
    assert not {"expected_churn_loss", "aggregate_within", "repeat_purchases"} & set(res)
    assert [r["term"] for r in res["churn_model"]][:2] == ["Intercept", "score"]
    assert next(r for r in res["ltv_model"] if r["term"] == "category[passive]")["scale"] == "difference in mean"
