"""The feedback_themes template, executed with papermill on a python3 kernel."""

from __future__ import annotations

import json
import re

import nbformat
import pandas as pd
import pytest

from nps_kit.engines.dispatch import read_table
from nps_kit.data.files import load_names
from nps_kit.themes.coding import coding_summary
from nps_kit.themes.examples import example_comments
from nps_kit.themes.statistics import theme_lift
from tests.report_checks import assert_reader_tables


def visible_text(nb_path) -> str:
    """Everything a reader of the executed notebook sees in the outputs."""
    nb = nbformat.read(str(nb_path), as_version=4)
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            data = out.get("data", {})
            parts.extend(str(data.get(k, "")) for k in ("text/plain", "text/html", "text/markdown"))
    return "\n".join(parts)


def _report_page(nb_path):
    """The shareable HTML of an executed template, as ``nps-kit run`` writes it."""
    from nps_kit.reports.html import notebook_to_html
    from nps_kit.reports.record import private_from_notebook

    nb = nbformat.read(str(nb_path), as_version=4)
    return notebook_to_html(nb, private_values=private_from_notebook(nb))


def _visible(page):
    from nps_kit.reports.html import visible_text as text_of

    return text_of(page)


def test_defaults_run_on_the_demo_data(run_template, tmp_path):
    nb_path, results = run_template("feedback_themes", tmp_path)
    demo = read_table("demo:responses.csv")
    coding = coding_summary(demo, "comment")
    assert results["comments"] == coding.comments > 0
    assert results["coded"] == coding.coded
    assert results["coded_share"] >= 0.9
    lift = theme_lift(demo, "comment", "score")
    assert [r["theme"] for r in results["lift"]] == lift["theme"].tolist()
    assert [r["p_adjusted"] for r in results["lift"]] == pytest.approx(lift["p_adjusted"].tolist())
    by_cat = pd.DataFrame(results["by_category"])
    assert set(by_cat["category"]) == {"detractor", "passive", "promoter"}
    assert (by_cat["ci_low"] <= by_cat["share"]).all() and (by_cat["share"] <= by_cat["ci_high"]).all()
    changes = pd.DataFrame(results["changes"])
    assert changes["wave"].nunique() == 1 and changes["wave"].iloc[0] == demo["wave"].max()
    assert len(results["by_segment"]) == demo["segment"].nunique() * 8
    text = visible_text(nb_path)
    assert "@example" not in text
    assert not any(rid in text for rid in demo["respondent_id"].head(200))
    page = _report_page(nb_path)
    assert_reader_tables(page, min_tables=8)
    # the example comments are shown in full and redacted (the report's own parameters)
    shown = example_comments(demo, "comment", score="score", n=2, seed=0,
                             names=load_names("demo:customers.csv", "contact_name"))
    longest = sorted(shown["comment"], key=len)[-3:]
    assert min(len(c) for c in longest) > 50  # pandas would have cut these at 50 characters
    import html
    for comment in longest:
        assert html.escape(comment, quote=False) in page
    assert any("[email]" in c or "[phone]" in c or "[name]" in c for c in shown["comment"])
    assert "@" not in _visible(page)


def test_own_file_codebook_and_redaction(run_template, tmp_path):
    comments = [
        "Dostawa była za wolna, dzwońcie +48 601 234 567",
        "DOSTAWA spóźniona, pisać do jan.kowalski@firma.pl",
        "obsługa klienta świetna, pani Anna Nowak pomogła",
        "价格太贵了",
        "客服很好",
        "nic do dodania",
        "",
    ]
    df = pd.DataFrame({"rid": [f"R{i}" for i in range(7)], "ocena": [2, 3, 10, 4, 9, 8, 7],
                       "uwagi": comments})
    data = tmp_path / "ankieta.csv"
    df.to_csv(data, index=False)
    names = tmp_path / "names.csv"
    pd.DataFrame({"who": ["Anna Nowak"]}).to_csv(names, index=False)
    book = tmp_path / "book.yaml"
    book.write_text(
        "themes:\n"
        "  - name: dostawa\n    keywords: [dostaw*, spóźnion*]\n"
        "  - name: obsługa\n    keywords: [obsługa klienta, 客服]\n"
        "  - name: cena\n    keywords: [cena, 价格]\n",
        encoding="utf-8",
    )
    nb_path, results = run_template(
        "feedback_themes", tmp_path, responses_file=str(data), comment_column="uwagi",
        score_column="ocena", codebook=str(book), wave_column="", segment_column="",
        id_column="rid", names_file=str(names), names_column="who", examples=5,
    )
    assert results["comments"] == 6 and results["coded"] == 5 and results["uncoded"] == 1
    assert "changes" not in results and "by_segment" not in results
    lift = {r["theme"]: r for r in results["lift"]}
    assert lift["dostawa"]["share_detractors"] == pytest.approx(2 / 3)
    assert lift["dostawa"]["share_promoters"] == 0
    text = visible_text(nb_path)
    assert "601 234" not in text and "kowalski@" not in text and "Nowak" not in text
    assert "[phone]" in text and "[email]" in text and "[name]" in text
    assert "nic do dodania" in text                     # the uncoded example is listed
    assert_reader_tables(_report_page(nb_path), min_tables=6)
    assert not re.search(r"\bR[0-6]\b", text)           # ids never shown
    json.dumps(results)
