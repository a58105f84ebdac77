"""Survey-tool exports read directly: Qualtrics, SurveyMonkey (CSV and XLSX), Google Forms, Typeform.

The files in tests/data/exports/ are small synthetic exports written by hand to each tool's
documented layout. The expected numbers are counted here from the raw cells with the csv module
(a second, independent reading), and the literal hand counts are repeated in the comments.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from nps_kit.errors import DataError, ParameterError
from nps_kit.reports.html import privacy_problems
from nps_kit.data.layouts import EXPORT_LAYOUTS, detect_layout, layout_of
from nps_kit.engines.dispatch import read_responses, read_table
from nps_kit.privacy.redact import identifier_columns, identifier_values, is_identifier_column
from nps_kit.core.scores import counts
from tests.envelopes import envelope_of

DATA = Path(__file__).resolve().parent / "data" / "exports"
QUALTRICS = DATA / "qualtrics.csv"
CHOICE = DATA / "qualtrics_choice_text.csv"
MONKEY = DATA / "surveymonkey.csv"
GOOGLE = DATA / "google_forms.csv"
TYPEFORM = DATA / "typeform.csv"
PLAIN = DATA / "plain_lookalike.csv"

NPS_Q = "How likely is it that you would recommend Acme to a friend or colleague?"
NPS_Q_SHORT = "How likely are you to recommend Acme to a friend or colleague?"


def records(path: Path, header_rows: int):
    """(spreadsheet row, cells) of every record, read with the csv module."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[:header_rows], [(i + 1, r) for i, r in enumerate(rows) if i >= header_rows]


def hand_count(path: Path, header_rows: int, column: int):
    """Detractors, passives, promoters; rows of blank answers; rows of answers that are no score.

    A score is a whole number 0-10, written alone or followed by " - label".
    """
    _, recs = records(path, header_rows)
    d = a = p = 0
    blank, bad = [], []
    for row, cells in recs:
        text = cells[column].strip()
        head = text.split(" - ")[0].strip()
        if text == "":
            blank.append(row)
        elif head.isdigit() and 0 <= int(head) <= 10:
            v = int(head)
            d, a, p = d + (v <= 6), a + (7 <= v <= 8), p + (v >= 9)
        else:
            bad.append(row)
    return (d, a, p), blank, bad


def nps_kit(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "nps_kit.cli.main", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


# (file, header rows, index of the score column in the file, --score-column, layout, sentence,
#  hand count (d, a, p), dropped row, blank row)
CASES = [
    (QUALTRICS, 3, 17, "recommend", "qualtrics", "read as a Qualtrics export (3 header rows",
     (2, 2, 3), 10, 8),
    (MONKEY, 2, 9, "how likely", "surveymonkey", "read as a SurveyMonkey export (2 header rows",
     (3, 2, 2), 9, 7),
    (GOOGLE, 1, 2, "recommend", "google-forms", "read as a Google Forms export (1 header row",
     (2, 1, 3), 7, 5),
    (TYPEFORM, 1, 1, "how likely", "typeform", "read as a Typeform export (1 header row",
     (2, 2, 4), 8, 6),
]


@pytest.mark.parametrize("path,k,col,name,layout,sentence,hand,bad_row,blank_row", CASES,
                         ids=[c[4] for c in CASES])
def test_library_reads_each_export(path, k, col, name, layout, sentence, hand, bad_row, blank_row):
    counted, blank, bad = hand_count(path, k, col)
    assert counted == hand and bad == [bad_row] and blank == [blank_row]  # the file is as documented
    loaded = read_responses(path, name, errors="drop")
    assert loaded.layout == layout
    assert loaded.notes[0].startswith(sentence)
    assert tuple(counts(loaded.data[loaded.score].dropna())) == counted
    assert loaded.rows_read == len(records(path, k)[1]) == loaded.rows_kept + loaded.rows_dropped
    assert loaded.report["row"].tolist() == bad  # spreadsheet rows, header rows counted
    assert loaded.nonrespondents == len(blank)
    assert blank[0] in loaded.data.index and pd.isna(loaded.data.loc[blank[0], loaded.score])
    headers, _ = records(path, k)
    question = headers[1][col] if layout == "qualtrics" else headers[0][col]
    assert question in " ".join(loaded.notes)  # the score's question text is said
    if layout == "qualtrics":
        assert loaded.question == question and loaded.score == headers[0][col]


def test_qualtrics_columns_are_ids_and_questions_are_kept():
    frame = read_table(QUALTRICS)
    headers, recs = records(QUALTRICS, 3)
    assert list(frame.columns) == headers[0]
    assert len(frame) == len(recs)
    layout = layout_of(frame)
    assert layout.name == "qualtrics" and layout.first_row == 4
    assert layout.question("Q1") == NPS_Q
    assert layout.question("Q2").startswith("What is the main reason")  # a two-line header cell
    assert layout.import_ids[headers[0].index("Q1")] == "QID1"
    assert layout.derived == ("Q1_NPS_GROUP",)


def test_qualtrics_without_the_import_id_row(tmp_path):
    lines = QUALTRICS.read_text(encoding="utf-8").splitlines(keepends=True)
    import_row = next(i for i, line in enumerate(lines) if line.startswith('"{""ImportId'))
    p = tmp_path / "two_rows.csv"
    p.write_text("".join(lines[:import_row] + lines[import_row + 1:]), encoding="utf-8")
    loaded = read_responses(p, "recommend", errors="drop")
    assert loaded.layout == "qualtrics" and loaded.score == "Q1"
    assert loaded.notes[0].startswith("read as a Qualtrics export (2 header rows")
    assert "'Response ID' under 'ResponseId'" in loaded.notes[0]
    assert loaded.report["row"].tolist() == [hand_count(QUALTRICS, 3, 17)[2][0] - 1]  # one row less
    assert tuple(counts(loaded.data["Q1"].dropna())) == hand_count(QUALTRICS, 3, 17)[0]


def test_qualtrics_nps_group_is_never_the_score():
    for name in ("recommend", NPS_Q, NPS_Q.upper(), "Q1"):
        loaded = read_responses(QUALTRICS, name, errors="drop")
        assert loaded.score == "Q1"
        assert loaded.data[loaded.score].max() == 10  # the group codes go up to 3 only
        assert any("'Q1_NPS_GROUP' is Qualtrics' group code" in n for n in loaded.notes)
    with pytest.raises(DataError) as err:
        read_responses(QUALTRICS, "Q1_NPS_GROUP")
    msg = str(err.value)
    assert "group code" in msg and "not the 0-10 score" in msg and "'Q1'" in msg
    assert "--score-column" in msg


def test_ambiguous_question_lists_candidates_with_ids():
    with pytest.raises(DataError) as err:
        read_responses(QUALTRICS, "how likely")
    msg = str(err.value)
    assert "ambiguous" in msg and "--score-column" in msg and str(QUALTRICS) in msg
    assert f"'Q1' ({NPS_Q!r})" in msg
    assert "'Q4' ('How likely are you to buy from Acme again?')" in msg
    assert "Q1_NPS_GROUP" not in msg
    with pytest.raises(DataError, match="ambiguous.*renew"):
        read_responses(GOOGLE, "how likely")


def test_default_score_name_does_not_pick_the_reason_question():
    with pytest.raises(DataError) as err:
        read_responses(QUALTRICS, "score")
    msg = str(err.value)
    assert "'Q2'" in msg and "not 0-10 scores" in msg and "'Q1'" in msg and "--score-column" in msg


def test_unknown_name_lists_likely_columns():
    with pytest.raises(DataError) as err:
        read_responses(TYPEFORM, "satisfaction")
    msg = str(err.value)
    assert "not found" in msg and repr(NPS_Q_SHORT) in msg and "--score-column" in msg


def test_qualtrics_choice_text_reads_the_leading_number():
    counted, blank, bad = hand_count(CHOICE, 3, 3)  # "10 - Extremely likely" counts as 10
    assert counted == (2, 1, 3) and bad == [10] and blank == [8]
    loaded = read_responses(CHOICE, "Q1", errors="drop")
    assert tuple(counts(loaded.data["Q1"].dropna())) == counted
    assert loaded.report["row"].tolist() == bad
    assert "'Extremely likely'" in loaded.report["reason"].iloc[0]
    note = next(n for n in loaded.notes if "choice text" in n)
    assert "0 'Not at all likely'" in note and "10 'Extremely likely'" in note


def test_choice_text_without_numbers_is_refused(tmp_path):
    text = CHOICE.read_text(encoding="utf-8")
    for number, label in (("10 - Extremely likely", "Extremely likely"),
                          ("0 - Not at all likely", "Not at all likely"),
                          (",9,", ",Very likely,"), (",7,", ",Likely,"), (",5,", ",Neutral,")):
        text = text.replace(number, label)
    p = tmp_path / "labels_only.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_responses(p, "Q1", errors="drop")
    msg = str(err.value)
    assert "without guessing" in msg and "numeric values" in msg and "'Q1'" in msg


def test_one_to_ten_question_text_is_refused(tmp_path):
    text = QUALTRICS.read_text(encoding="utf-8").replace(
        NPS_Q + ",", "On a scale of 1-10, how likely is it that you would recommend Acme?,", 1)
    text = text.replace(",0,1,Billing", ",1,1,Billing")  # nobody chose 0
    p = tmp_path / "one_to_ten.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_responses(p, "Q1", errors="drop")
    msg = str(err.value)
    assert "1-10 scale" in msg and "On a scale of 1-10" in msg and "'Q1'" in msg


def test_surveymonkey_flattened_names():
    frame = read_table(MONKEY)
    cols = list(frame.columns)
    assert cols[:9] == ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
                        "Email Address", "First Name", "Last Name", "Custom Data 1"]
    assert cols[9:] == [
        NPS_Q, "What is the main reason for your score?",
        "Which of these features did you use? - Reports",
        "Which of these features did you use? - Dashboards",
        "Which of these features did you use? - Other (please specify)",
        "Which plan are you on?", "Which plan are you on? - Other (please specify)",
    ]
    assert len(set(cols)) == len(cols)
    layout = layout_of(frame)
    assert layout.question(cols[12]) == "Which of these features did you use?"
    assert layout.subanswers[cols.index(NPS_Q)] == "Response"
    assert frame.loc[3, "Which of these features did you use? - Other (please specify)"] == "API"
    with pytest.raises(DataError, match="ambiguous"):
        read_responses(MONKEY, "which")
    with pytest.raises(DataError, match="not 0-10 scores"):
        read_responses(MONKEY, "which plan")  # one question, its main column holds plan names


def write_xlsx(csv_path: Path, target: Path) -> Path:
    """The same cells as an Excel workbook, numbers as numbers (as SurveyMonkey writes XLSX)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    with open(csv_path, encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            sheet.append([int(c) if c.isdigit() else (c or None) for c in row])
    book.save(target)
    return target


def test_surveymonkey_xlsx(tmp_path):
    xlsx = write_xlsx(MONKEY, tmp_path / "surveymonkey.xlsx")
    from_csv = read_responses(MONKEY, "how likely", errors="drop")
    from_xlsx = read_responses(xlsx, "how likely", errors="drop")
    assert from_xlsx.layout == "surveymonkey" and from_xlsx.score == NPS_Q
    assert list(from_xlsx.data.columns) == list(from_csv.data.columns)
    assert from_xlsx.report["row"].tolist() == from_csv.report["row"].tolist() == [9]
    assert tuple(counts(from_xlsx.data[NPS_Q].dropna())) == hand_count(MONKEY, 2, 9)[0]


def test_typeform_hidden_field_as_id():
    loaded = read_responses(TYPEFORM, "how likely", id="customer_id", errors="drop")
    assert loaded.id == "customer_id" and loaded.layout == "typeform"
    assert loaded.data["customer_id"].tolist()[:2] == ["C0001", "C0002"]


def test_plain_file_takes_the_plain_path():
    frame = read_table(PLAIN)
    pd.testing.assert_frame_equal(frame, pd.read_csv(PLAIN))
    assert layout_of(frame) is None and detect_layout(PLAIN) == ("plain", "no survey-tool signature")
    loaded = read_responses(PLAIN, "score", id="respondent_id", errors="drop")
    assert loaded.layout == "plain" and loaded.notes == () and loaded.question is None
    assert loaded.report["row"].tolist() == [7]  # header row 1, so record 6 is row 7
    with pytest.raises(DataError, match="not found"):
        read_responses(PLAIN, "sco")  # no matching by part of a name in a plain table


@pytest.mark.parametrize("name", ["stackoverflow2018_recommend_sample.csv", "biont_recommend_counts.csv"])
def test_real_files_stay_plain(name):
    from paths import REALDATA

    path = REALDATA / name
    assert detect_layout(path)[0] == "plain"
    pd.testing.assert_frame_equal(read_table(path), pd.read_csv(path))


@pytest.mark.parametrize("path,export,needle", [
    (PLAIN, "qualtrics", "ImportId"),
    (GOOGLE, "surveymonkey", "Respondent ID"),
    (QUALTRICS, "typeform", "Submit Date (UTC)"),
    (TYPEFORM, "google-forms", "Timestamp"),
])
def test_forced_wrong_layout_is_a_clear_error(path, export, needle):
    with pytest.raises(DataError) as err:
        read_responses(path, "score", export=export)
    msg = str(err.value)
    assert str(path) in msg and f"--export {export}" in msg and needle in msg
    assert "--export auto" in msg


def test_forced_layouts(tmp_path):
    forced = read_responses(QUALTRICS, "Q1", errors="drop", export="qualtrics")
    assert "as asked with export='qualtrics'" in forced.notes[0]
    with pytest.raises(DataError) as err:  # the header rows 2 and 3 are then records
        read_responses(QUALTRICS, "Q1", export="plain")
    assert "row 2" in str(err.value) and "row 3" in str(err.value)
    parquet = tmp_path / "r.parquet"
    pd.DataFrame({"score": [9, 10]}).to_parquet(parquet)
    assert read_responses(parquet, "score").layout == "plain"
    with pytest.raises(DataError, match="CSV and Excel"):
        read_responses(parquet, "score", export="qualtrics")
    with pytest.raises(ParameterError, match="'typeform'"):
        read_responses(QUALTRICS, "Q1", export="qualtrix")
    assert EXPORT_LAYOUTS[0] == "auto"


@pytest.mark.parametrize("module", ["nps_kit.data.layouts", "nps_kit.privacy.redact"])
def test_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


# --------------------------------------------------------------------------- identifiers

def test_identifier_columns_of_every_export():
    found = {p.name: identifier_columns(read_table(p).columns) for p in (QUALTRICS, MONKEY, GOOGLE, TYPEFORM)}
    assert found["qualtrics.csv"] == ["IPAddress", "RecipientLastName", "RecipientFirstName",
                                      "RecipientEmail", "ExternalReference", "LocationLatitude",
                                      "LocationLongitude"]
    assert found["surveymonkey.csv"] == ["IP Address", "Email Address", "First Name", "Last Name",
                                         "Custom Data 1"]
    assert found["google_forms.csv"] == ["Email Address"]
    assert found["typeform.csv"] == ["Network ID"]
    for name in ("Q1", "Respondent ID", "Start Date", NPS_Q, "Which plan are you on?", "Timestamp"):
        assert not is_identifier_column(name)
    assert is_identifier_column("e-mail") and is_identifier_column("Custom Data 12")


def test_identifier_values_stop_a_shareable_page():
    frame = read_table(QUALTRICS)
    values = identifier_values(frame)
    assert "203.0.113.10" in values and "52.2297" in values and "Nowak" in values
    page = "<html><body><table><tr><td>203.0.113.12</td><td>9</td></tr></table></body></html>"
    assert privacy_problems(page) == []  # an IP address is not an e-mail: only the list catches it
    assert privacy_problems(page, values)
    assert privacy_problems("<p>NPS 14.3</p>", values) == []


# --------------------------------------------------------------------------- the command line

@pytest.mark.parametrize("path,k,col,name,layout,sentence,hand,bad_row,blank_row", CASES,
                         ids=[c[4] for c in CASES])
def test_cli_score_json(path, k, col, name, layout, sentence, hand, bad_row, blank_row):
    out = nps_kit("score", str(path), "--score-column", name, "--errors", "drop", "--json")
    assert out.returncode == 0, out.stderr
    env = envelope_of(out, "score")
    assert any(n.startswith(sentence) for n in env["notes"])
    assert env["parameters"]["export"] == "auto"
    (group,) = env["results"]["groups"]
    d, a, p = hand_count(path, k, col)[0]
    assert (group["detractors"], group["passives"], group["promoters"]) == (d, a, p)
    assert group["n"] == d + a + p
    assert group["nps"] == pytest.approx(100 * (p - d) / (d + a + p))
    assert [r["row"] for r in env["dropped"]] == [bad_row]
    assert env["summary"]["rows_read"] == len(records(path, k)[1])
    headers, _ = records(path, k)
    assert env["summary"]["export"] == layout
    assert env["summary"]["score_question"] == (headers[1] if layout == "qualtrics" else headers[0])[col]
    assert env["summary"]["score_column"] == headers[0][col]


def test_cli_xlsx_and_text_output(tmp_path):
    xlsx = write_xlsx(MONKEY, tmp_path / "monkey.xlsx")
    out = nps_kit("score", str(xlsx), "--score-column", "how likely", "--errors", "drop")
    assert out.returncode == 0, out.stderr
    assert "read as a SurveyMonkey export" in out.stderr and "row 9" in out.stderr
    d, a, p = hand_count(MONKEY, 2, 9)[0]
    assert f"{100 * (p - d) / (d + a + p):.1f}" in out.stdout


@pytest.mark.parametrize("args,needles", [
    (("score", str(PLAIN), "--score-column", "score", "--export", "qualtrics"),
     ("--export qualtrics", "ImportId", "--export auto")),
    (("score", str(QUALTRICS), "--score-column", "how likely"),
     ("ambiguous", "'Q1'", "'Q4'", "--score-column")),
    (("score", str(QUALTRICS), "--score-column", "Q1_NPS_GROUP"), ("group code", "'Q1'")),
])
def test_cli_errors_exit_2(args, needles):
    out = nps_kit(*args)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    for needle in needles:
        assert needle in out.stderr


@pytest.mark.parametrize("command", ["score", "compare", "enps", "themes", "abc", "ltv"])
def test_every_reading_command_has_the_export_option(command):
    out = nps_kit(command, "--help")
    assert out.returncode == 0 and "--export" in out.stdout and "typeform" in out.stdout


def test_cli_themes_and_abc_on_an_export(tmp_path):
    reason = "What is the main reason for your score?"
    out = nps_kit("themes", str(TYPEFORM), "--score-column", "how likely", "--comment-column",
                  reason, "--errors", "drop", "--json")
    assert out.returncode == 0, out.stderr
    env = envelope_of(out, "themes")
    assert any(n.startswith("read as a Typeform export") for n in env["notes"])
    customers = tmp_path / "customers.csv"
    customers.write_text("customer_id,annual_revenue\n" + "".join(
        f"C{i:04d},{1000 * i}\n" for i in range(1, 11)))
    out = nps_kit("abc", "--customers", str(customers), "--responses", str(TYPEFORM),
                  "--score-column", "how likely", "--errors", "drop", "--json")
    assert out.returncode == 0, out.stderr
    env = envelope_of(out, "abc")
    assert any(n.startswith("read as a Typeform export") for n in env["notes"])
    d, a, p = hand_count(TYPEFORM, 1, 1)[0]
    assert sum(c["respondents"] for c in env["results"]["classes"]) == d + a + p
