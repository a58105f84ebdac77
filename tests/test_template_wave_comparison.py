"""The wave_comparison template, executed with papermill on a python3 kernel."""

from __future__ import annotations

import json

import nbformat
import numpy as np
import pandas as pd
import pytest

from nps_kit import waves
from nps_kit.core.compare import compare_nps
from nps_kit.engines.dispatch import read_responses
from nps_kit.reports import find_template
from nps_kit.reports.record import PRIVATE_MIMETYPE
from nps_kit.waves.changes import wave_changes

NAME = "wave_comparison"


def test_template_has_parameters_and_no_outputs():
    nb = nbformat.read(str(find_template(NAME).path), as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in first_code.metadata.get("tags", [])
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    params = {p.name: p for p in find_template(NAME).parameters}
    assert params["responses_file"].default == "demo:responses.csv"
    assert params["protocol_file"].default == "demo:protocol.yaml"
    for name in ("score_column", "wave_column", "id_column", "segment_column", "channel_column",
                 "baseline", "method", "confidence"):
        assert name in params and params[name].help


def test_template_on_demo_data(run_template, tmp_path):
    nb_path, res = run_template(NAME, tmp_path)
    assert res["wave_order"] == ["2024-H1", "2024-H2", "2025-H1", "2025-H2"]
    # the e-mail-only, reworded wave 2025-H1 is flagged both ways
    flagged = {(f["from"], f["to"], f["field"]) for f in res["protocol_flags"]}
    assert ("2024-H2", "2025-H1", "channels") in flagged and ("2025-H1", "2025-H2", "question") in flagged
    assert any("2025-H1" in n and "Channel mix" in n for n in res["comparability_notes"])
    # changes agree with the library on the same data
    data = read_responses("demo:responses.csv", "score", id="respondent_id", wave="wave").data
    ref = wave_changes(data, "score", "wave", id="respondent_id")
    got = pd.DataFrame(res["changes"])
    assert got["delta"].tolist() == pytest.approx(ref["delta"].tolist())
    assert set(got["design"]) == {"overlap"}
    # overall and segment changes were adjusted as one family: adjusted >= raw, and at least as
    # strict as adjusting the overall comparisons alone
    assert (got["p_adjusted"] >= got["p_value"]).all()
    assert (got["p_adjusted"].to_numpy() >= ref["p_adjusted"].to_numpy() - 1e-12).all()
    seg = pd.DataFrame(res["segment_changes"])
    assert set(seg["segment"]) == {"SMB", "Mid-market", "Enterprise"} and len(seg) == 9
    std = pd.DataFrame(res["standardized"]).set_index("wave")
    assert std.loc["2025-H1", "nps_standardized"] is None or np.isnan(std.loc["2025-H1", "nps_standardized"])
    assert len(res["summary"]) >= 3 and any("protocol changed" in s for s in res["summary"])
    assert pd.DataFrame(res["transitions"])["count"].sum() > 0
    assert len(res["themes"]) > 0
    # no respondent id appears in any output except the private list for the HTML export
    texts = []
    for cell in nbformat.read(str(nb_path), as_version=4).cells:
        for out in cell.get("outputs", []):
            texts.append(str(out.get("text", "")))
            texts += [json.dumps(v) for k, v in out.get("data", {}).items() if k != PRIVATE_MIMETYPE]
    visible = "\n".join(texts)
    ids = data["respondent_id"].drop_duplicates()
    assert not any(i in visible for i in ids)
    from nps_kit.reports.html import notebook_to_html, visible_text
    from nps_kit.reports.record import private_from_notebook
    from tests.report_checks import assert_reader_tables

    nb = nbformat.read(str(nb_path), as_version=4)
    page = notebook_to_html(nb, private_values=private_from_notebook(nb))
    assert_reader_tables(page, min_tables=9)
    text = visible_text(page)
    # every column of the 22-column change table is there; the question wording in full
    for label in ("n in both", "Adjusted change", "Detectable change", "Adjusted p-value", "z"):
        assert f">{label}</th>" in page
    question = next(f["to_value"] for f in res["protocol_flags"] if f["field"] == "question")
    assert len(question) > 50 and question in text
    assert "Design: overlap" in text and "p-value adjustment: holm" in text
    # equivalence (TOST) at the default 5-point margin, per change, from the library
    from nps_kit.core.equivalence import describe_equivalence, wave_equivalence

    ref_eq, _ = wave_equivalence(waves.compare_waves(data, "score", "wave", id="respondent_id",
                                                     by="segment"), 5.0)
    eq = pd.DataFrame(res["equivalence"])
    assert eq["p_equivalence"].tolist() == pytest.approx(ref_eq["p_equivalence"].tolist(), abs=1e-12)
    assert eq["equivalence"].tolist() == ref_eq["equivalence"].tolist()
    assert set(eq["equivalence"]) <= {"equivalent", "not shown equivalent", "changed"}
    # "no significant change" is never left to be read as "no change": the summary says which
    for sentence in describe_equivalence(ref_eq):
        assert sentence in res["summary"]
    assert "Did NPS stay the same?" in text and len(res["segment_equivalence"]) == 9


def test_template_one_file_per_wave_without_optional_columns(run_template, tmp_path):
    rng = np.random.default_rng(4)
    files = []
    for wave, shares in (("W9", (0.3, 0.3, 0.4)), ("W10", (0.2, 0.3, 0.5)), ("W11", (0.2, 0.3, 0.5))):
        scores = np.array([3, 8, 10])[rng.choice(3, size=150, p=shares)]
        path = tmp_path / f"{wave}.csv"
        pd.DataFrame({"score": scores}).to_csv(path, index=False)
        files.append(str(path))
    nb_path, res = run_template(NAME, tmp_path, responses_file=";".join(files), id_column="",
                          segment_column="", channel_column="", comment_column="",
                          protocol_file="", baseline="W9", method="wald", confidence=0.9,
                          adjust="fdr_bh")
    assert res["wave_order"] == ["W9", "W10", "W11"]
    got = pd.DataFrame(res["changes"])
    assert list(zip(got["from"], got["to"])) == [("W9", "W10"), ("W10", "W11"), ("W9", "W11")]
    assert set(got["design"]) == {"independent"}
    first = compare_nps(pd.read_csv(files[0])["score"].to_numpy(), pd.read_csv(files[1])["score"].to_numpy(),
                        method="wald", confidence=0.9)
    assert got.loc[0, "delta"] == pytest.approx(first.delta) and got.loc[0, "se"] == pytest.approx(first.se)
    assert res["protocol_flags"] == [] and res["comparability_notes"] == []
    assert res["rows"][0]["rows_read"] == 450
    from nps_kit.reports.html import notebook_to_html, visible_text
    from tests.report_checks import assert_reader_tables

    page = notebook_to_html(nbformat.read(str(nb_path), as_version=4))
    assert_reader_tables(page, min_tables=3)
    # consecutive and baseline comparisons differ per row, so the column stays in the table
    assert ">Comparison</th>" in page and "Comparison: " not in visible_text(page)
    assert "Confidence: 90%" in visible_text(page) and ">90% interval</th>" in page
