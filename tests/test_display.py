"""nps_kit.reports.tables: the formatting rules of report tables, on small frames and on kit results."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from nps_kit.reports.tables import (DASH, FORMATS, column_format, column_label, format_value, note, show,
                             warning_notes)
from nps_kit.errors import NPSKitWarning, ParameterError
from nps_kit.reports.html import visible_text
from nps_kit.engines.dispatch import read_responses
from nps_kit.engines.dispatch import summarize
from tests.paths import REALDATA

INDEX_CELL = re.compile(r"<th[^>]*>\s*\d+\s*</th>")
SCIENTIFIC = re.compile(r"\d[eE][+-]?\d")


def summary_like(rows: int = 3) -> pd.DataFrame:
    """A frame shaped like summarize(..., by="segment") with awkward values."""
    return pd.DataFrame({
        "segment": [f"S{i}" for i in range(rows)],
        "n": [258, 1200, 60][:rows],
        "detractor_share": [0.2131782945736434, 0.15, 0.0][:rows],
        "nps": [21.31782945736434, -4.04, 0.0][:rows],
        "se": [4.768690822602043, 9.1391, 7.0][:rows],
        "ci_low": [11.726334669159213, -20.55, np.nan][:rows],
        "ci_high": [30.41925920057259, 12.25, np.nan][:rows],
        "method": "adjusted-wald", "confidence": 0.95, "nonresponse": "exclude",
    })


def test_summary_table_is_rounded_labelled_and_states_settings_once():
    t = show(summary_like())
    assert list(t.frame.columns) == ["Segment", "n", "Detractor share", "NPS", "Standard error",
                                     "95% interval"]
    assert t.frame.iloc[0].tolist() == ["S0", "258", "21.3%", "21.3", "4.8", "11.7 to 30.4"]
    assert t.frame.iloc[1].tolist() == ["S1", "1,200", "15.0%", "-4.0", "9.1", "-20.6 to 12.2"]
    assert dict(t.settings) == {"Method": "adjusted-wald", "Confidence": "95%",
                                "Nonresponse rule": "exclude"}
    page = t.to_html()
    assert page.count('class="nkt-settings"') == 1 and "adjusted-wald" in page
    assert page.count("adjusted-wald") == 1  # stated once, not per row
    assert "95% interval" in page and "21.3%" in page and "1,200" in page
    assert not INDEX_CELL.search(page)
    assert "NaN" not in page and "nan" not in page.lower().replace("nonresponse", "")


def test_missing_values_are_dashes_with_their_meaning_stated():
    t = show(summary_like(), missing="no respondents left after exclusion")
    assert t.frame.iloc[2]["95% interval"] == DASH
    assert t.footnotes == (f"{DASH} no respondents left after exclusion",)
    assert "NaN" not in t.to_html()
    # no footnote when nothing is missing
    assert show(summary_like(2)).footnotes == ()
    # a default meaning when the caller gives none
    assert show(pd.DataFrame({"x": [1.0, None]})).footnotes[0].startswith(DASH)


def test_a_varying_setting_column_stays_in_the_table():
    frame = summary_like().assign(method=["wald", "wald", "score"])
    t = show(frame)
    assert "Method" in t.frame.columns and "Method" not in dict(t.settings)
    assert dict(t.settings)["Confidence"] == "95%"


def test_fractions_are_shown_as_points_only_when_declared():
    frame = pd.DataFrame({"nps": [0.2131782945736434], "ci_low": [0.117], "ci_high": [0.304]})
    as_points = show(frame, kind="nps-fraction", confidence=0.9).frame.iloc[0].tolist()
    assert as_points == ["21.3", "11.7 to 30.4"]
    # undeclared, the same numbers are read as points: the size of a value is never a hint
    assert show(frame).frame.iloc[0].tolist() == ["0.2", "0.1 to 0.3"]
    assert show(frame, confidence=0.9).frame.columns[-1] == "90% interval"


def test_no_scientific_notation_money_with_thousands_separators():
    frame = pd.DataFrame({"category": ["detractor", "total"], "revenue": [3.389185e06, 1.2e10],
                          "p_value": [4.2e-12, 0.0123], "lift": [1e-7, np.inf],
                          "churn_rate": [2.5e-5, 0.35877862595419846]})
    page = show(frame).to_html()
    assert not SCIENTIFIC.search(visible_text(page))
    assert SCIENTIFIC.search(visible_text(frame.to_html()))  # pandas would have shown 3.389185e+06
    cells = show(frame).frame
    assert cells["Revenue"].tolist() == ["3,389,185", "12,000,000,000"]
    assert cells["p-value"].tolist() == ["<0.001", "0.012"]
    assert cells["Lift"].tolist() == ["0.00", "\u2013*"]  # not an infinity; a footnote says why
    assert any("no promoter mentioned the theme" in f for f in show(frame).footnotes)
    assert cells["Churn rate"].tolist() == ["0.0%", "35.9%"]


def test_every_row_and_column_of_a_wide_long_table_is_shown():
    wide = pd.DataFrame(np.arange(60 * 30, dtype=float).reshape(60, 30) + 0.123456,
                        columns=[f"value_{i}" for i in range(30)])
    with pd.option_context("display.max_rows", 5, "display.max_columns", 4):
        t = show(wide)
        page, plain = t.to_html(), str(t)
    assert page.count("<tr>") == 61 and page.count("<th ") == 30
    assert "..." not in page and "…" not in page and "rows ×" not in page and "rows x" not in page
    assert "..." not in plain and len(plain.splitlines()) == 61
    assert 'class="nkt-box"' in page and "overflow-x:auto" in page


def test_long_text_is_kept_in_full_escaped_and_wraps():
    comment = ("The dashboard exports fail every Monday and support takes days to answer; "
               "we lose the weekly report to our board. ") * 4 + "<b>really</b>"
    t = show(pd.DataFrame({"theme": ["reporting/analytics"], "comment": [comment]}))
    page = t.to_html()
    assert _escape_free(page).count(comment) == 1
    assert "<b>really</b>" not in page and "&lt;b&gt;really&lt;/b&gt;" in page
    assert t.text_columns == ("Comment",) and t.label_columns == ("Theme",)
    assert re.search(r'<td class="nkt-text"[^>]*>The dashboard', page)


def _escape_free(page: str) -> str:
    import html
    return html.unescape(page)


def test_named_index_becomes_a_column_unnamed_index_is_dropped():
    frame = pd.DataFrame({"nps": [10.04, 20.0]}, index=pd.Index(["a", "b"], name="segment"))
    assert show(frame).frame.columns.tolist() == ["Segment", "NPS"]
    frame = pd.DataFrame({"nps": [10.04, 20.0]}, index=[7, 9])
    page = show(frame).to_html()
    assert show(frame).frame.columns.tolist() == ["NPS"] and ">7<" not in page and ">9<" not in page


def test_share_tables_show_changes_in_percentage_points():
    frame = pd.DataFrame({"theme": ["price"], "share": [0.189], "ci_low": [0.13], "ci_high": [0.26],
                          "change": [0.1072], "change_low": [0.0226], "change_high": [0.1841]})
    row = show(frame, kind="share", confidence=0.95).frame.iloc[0]
    assert row.to_dict() == {"Theme": "price", "Share": "18.9%", "95% interval": "13.0% to 26.0%",
                             "Change": "+10.7 pp", "Change 95% interval": "+2.3 pp to +18.4 pp"}


def test_strings_in_number_columns_pass_through_and_stay_right_aligned():
    frame = pd.DataFrame({"team": ["a", "b"], "n": ["fewer than 5 answers", "1,204"],
                          "eNPS": ["suppressed", "-11.7"]})
    t = show(frame)
    assert t.frame["n"].tolist() == ["fewer than 5 answers", "1,204"]
    assert re.search(r'<td class="nkt-num"[^>]*>suppressed</td>', t.to_html())


def test_options_are_checked():
    with pytest.raises(ParameterError, match="kind"):
        show(summary_like(), kind="percent")
    with pytest.raises(ParameterError, match="format"):
        show(summary_like(), formats={"nps": "points-ish"})
    with pytest.raises(ParameterError, match="level"):
        note("x", level="error")


@pytest.mark.parametrize("value, fmt, expected", [
    (-0.04, "points", "0.0"), (-0.0004, "fraction-change", "+0.0"), (13.1, "count", "13.1"),
    (True, "yes-no", "yes"), (np.nan, "money", DASH), (pd.NA, "count", DASH), (None, "share", DASH),
    (0.95, "share", "95.0%"), (21.3178, "percent", "21.3%"), (-146446.92, "money", "-146,447"),
])
def test_format_value(value, fmt, expected):
    assert fmt in FORMATS
    assert format_value(value, fmt) == expected


def test_labels_and_formats_by_name_not_by_size():
    assert column_label("detractor_share") == "Detractor share"
    assert column_label("nps") == "NPS" and column_label("n") == "n"
    assert column_label("nps_standardized") == "Channel-standardised NPS"
    assert column_label("ltv_ci") == "LTV CI" and column_label("CI low") == "CI low"
    assert column_format("projected_share_low", pd.Series([0.2])) == "share"
    assert column_format("respondents_revenue", pd.Series([3.0])) == "money"
    assert column_format("unknown", pd.Series([1, 2])) == "count"
    assert column_format("unknown", pd.Series([1.5])) == "number"
    assert column_format("unknown", pd.Series([True])) == "yes-no"
    assert column_format("change", None, kind="share") == "share-change"
    assert column_format("change", None, kind="nps") == "change"


def test_a_real_survey_summary_renders_rounded_without_raw_numbers():
    loaded = read_responses(REALDATA / "stackoverflow2018_recommend_sample.csv",
                            "StackOverflowRecommend", id="Respondent", columns=["Employment"])
    result = summarize(loaded.data, "StackOverflowRecommend", by="Employment")
    t = show(result)
    page = t.to_html()
    assert len(t.frame) == len(result) and "Employment" in t.frame.columns
    for value, low in zip(result["nps"], result["ci_low"]):
        assert f"{value:.1f}" in t.frame["NPS"].tolist()
        assert repr(float(value)) not in page and repr(float(low)) not in page
    assert t.frame["n"].tolist() == [f"{int(v):,}" for v in result["n"]]
    assert "Method: adjusted-wald" in page and "NaN" not in page and not INDEX_CELL.search(page)


def test_warning_notes_collect_kit_warnings_and_pass_others_on():
    with warnings.catch_warnings(record=True) as outer:
        warnings.simplefilter("always")
        with warning_notes() as warned:
            warnings.warn("class C answered least", NPSKitWarning)
            warnings.warn("class C answered least", NPSKitWarning)  # shown once
            warnings.warn("a pandas thing", FutureWarning)
    assert list(warned) == ["class C answered least"]
    assert [str(w.message) for w in outer] == ["a pandas thing"]
    page = warned._repr_html_()
    assert "NPSKitWarning" not in page and page.count('role="note"') == 1
    assert "class C answered least" in page and "nkt-warning" in page


def test_note_is_styled_and_escaped():
    page = note("Fewer than <5> answers", level="info").to_html()
    assert 'class="nkt-note nkt-info"' in page and "&lt;5&gt;" in page
    assert note("x")._repr_html_().count("Warning.") == 1


def test_no_warnings_means_no_output_in_a_notebook():
    from IPython.core.interactiveshell import InteractiveShell

    formatter = InteractiveShell.instance().display_formatter
    with warning_notes() as warned:
        pass
    assert formatter.format(warned) == ({}, {})  # display(warned) publishes nothing
    table, _ = formatter.format(show(summary_like()))
    assert "95% interval" in table["text/html"] and "95% interval" in table["text/plain"]
