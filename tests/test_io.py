"""Strict loading: every bad-input class, the drop report, all formats, and the real files."""

import csv

import numpy as np
import pandas as pd
import pytest

from nps_kit.errors import DataError
from nps_kit.engines.dispatch import read_responses, read_table
from nps_kit.data.paths import resolve_path
from nps_kit.core.scores import counts
from nps_kit.engines.dispatch import summarize
from paths import REALDATA

SO = REALDATA / "stackoverflow2018_recommend_sample.csv"
BIONT = REALDATA / "biont_recommend_counts.csv"


def write(tmp_path, text, name="r.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


GOOD_THEN_BAD = "id,wave,score\n1,A,10\n2,A,{bad}\n3,A,7\n"


@pytest.mark.parametrize("bad,reason", [("11", "outside the 0-10 scale"), ("-2", "outside"),
                                        ("8.5", "fractional"), ("great", "not a 0-10 score")])
def test_bad_score_names_file_column_row_value(tmp_path, bad, reason):
    p = write(tmp_path, GOOD_THEN_BAD.format(bad=bad))
    with pytest.raises(DataError) as err:
        read_responses(p, "score")
    msg = str(err.value)
    assert str(p) in msg and "score" in msg and "row 3" in msg and repr(bad) in msg and reason in msg
    assert "errors='drop'" in msg


def test_drop_reports_every_row(tmp_path):
    p = write(tmp_path, "id,wave,score\n1,A,10\n2,A,8.5\n3,A,x\n1,A,7\n4,A,\n5,B,12\n1,B,0\n")
    r = read_responses(p, "score", id="id", wave="wave", errors="drop")
    assert r.rows_read == 7 == r.rows_kept + r.rows_dropped
    assert r.rows_dropped == 5 and r.nonrespondents == 1
    assert sorted(r.report.row.unique()) == [2, 3, 4, 5, 7]
    assert list(r.data.index) == [6, 8]  # rows as seen in the file
    assert r.report.loc[r.report.row == 5, "reason"].iloc[0].startswith("respondent id '1' appears 2 times in wave A")
    assert list(r.report.columns) == ["file", "row", "column", "value", "reason"]


def test_duplicate_ids_across_waves_are_fine(tmp_path):
    p = write(tmp_path, "id,wave,score\n1,A,10\n1,B,9\n")
    assert read_responses(p, "score", id="id", wave="wave").rows_kept == 2
    with pytest.raises(DataError, match="appears 2 times"):
        read_responses(p, "score", id="id")


def test_blank_is_nonresponse_not_error(tmp_path):
    p = write(tmp_path, "id,score\n1,10\n2,\n3,NA\n4,3\n")
    r = read_responses(p, "score")
    assert r.rows_kept == 4 and r.nonrespondents == 2 and r.rows_dropped == 0


@pytest.mark.parametrize("text", ["rating_1-10\n1\n5\n10\n7\n", "score\n1 (Not likely)\n5\n10 (Very likely)\n"])
def test_one_to_ten_scale_is_refused(tmp_path, text):
    p = write(tmp_path, text)
    col = text.split("\n")[0]
    with pytest.raises(DataError, match="1-10 scale"):
        read_responses(p, col)
    assert read_responses(p, col, check_scale=False).rows_kept == text.count("\n") - 1


def test_no_zero_without_a_hint_is_fine(tmp_path):
    p = write(tmp_path, "score\n9\n10\n8\n")
    assert read_responses(p, "score").rows_kept == 3


def test_missing_column_lists_available(tmp_path):
    p = write(tmp_path, "a,b\n1,2\n")
    with pytest.raises(DataError, match="'score' not found.*'a', 'b'"):
        read_responses(p, "score")


@pytest.mark.parametrize("name,content,match", [("x.json", "{}", "unsupported"), ("e.csv", "", "empty"),
                                                ("missing.csv", None, "not found")])
def test_unreadable_files(tmp_path, name, content, match):
    p = tmp_path / name
    if content is not None:
        p.write_text(content)
    with pytest.raises(DataError, match=match):
        read_table(p)


@pytest.mark.parametrize("fmt", ["xlsx", "parquet", "tsv"])
def test_other_formats(tmp_path, fmt):
    frame = pd.DataFrame({"id": [1, 2, 3, 4], "score": ["10 (Very Likely)", "3", None, "12"]})
    p = tmp_path / f"r.{fmt}"
    if fmt == "xlsx":
        frame.to_excel(p, index=False)
    elif fmt == "parquet":
        frame.to_parquet(p)
    else:
        frame.to_csv(p, sep="\t", index=False)
    r = read_responses(p, "score", id="id", errors="drop")
    assert r.rows_kept == 3 and r.nonrespondents == 1
    first = 1 if fmt == "parquet" else 2
    assert r.report.row.tolist() == [3 + first]
    # the engine path reads the same rows and drops the same one, with the same report
    from nps_kit.engines.reading import read_source

    engine = read_source(p, "score", id="id", errors="drop")
    assert (engine.rows_kept, engine.nonrespondents) == (3, 1)
    pd.testing.assert_frame_equal(r.report, engine.report, check_dtype=False)


def test_demo_prefix_resolves_and_unknown_demo_file_is_explained():
    with pytest.raises(DataError, match="no demo file"):
        resolve_path("demo:nothing.csv")


def _so_counts(column):
    """Independent count of the Stack Overflow file with the csv module."""
    d = a = p = blank = 0
    with open(SO, newline="") as fh:
        for row in csv.DictReader(fh):
            v = row[column]
            if v == "NA":
                blank += 1
                continue
            s = int(v.split(" ")[0])
            d, a, p = d + (s <= 6), a + (s in (7, 8)), p + (s >= 9)
    return (d, a, p), blank


@pytest.mark.parametrize("column", ["StackOverflowRecommend", "StackOverflowJobsRecommend"])
def test_real_stackoverflow_file(column):
    r = read_responses(SO, column, id="Respondent")
    expected, blank = _so_counts(column)
    assert r.rows_read == 1000 and r.rows_dropped == 0
    assert tuple(counts(r.data[column])) == expected
    assert r.nonrespondents == blank
    assert r.data[column].dropna().isin(range(11)).all()


def test_real_biont_counts_file():
    raw = read_table(BIONT)
    scores = [f"score_{i}" for i in range(11)]
    assert (raw[scores].sum(axis=1) == raw.n).all()
    table = raw.assign(detractors=raw[scores[:7]].sum(axis=1), passives=raw[scores[7:9]].sum(axis=1),
                       promoters=raw[scores[9:]].sum(axis=1))
    out = summarize(table, by="wave")
    # workshop 1: 1 detractor, 5 passives, 22 promoters; workshop 2: 0, 7, 13
    assert out.nps.round(6).tolist() == [round(100 * 21 / 28, 6), round(100 * 13 / 20, 6)]
    assert np.all(out.ci_low < out.nps) and np.all(out.ci_high <= 100)
