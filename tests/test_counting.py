"""Counting in DuckDB (nps_kit.engines.counting, nps_kit.engines.sources) against the pandas path.

The pandas loader (nps_kit.read_responses) and summarize on a DataFrame are the reference:
the engine path must give the same counts exactly, the same estimates to 1e-9, the same row
accounting and dropped-row report, and error messages with the same facts, on the shared real
files and on every bad-input case of tests/test_io.py.
"""

import duckdb
import ibis
import numpy as np
import pandas as pd
import pytest

from nps_kit.engines import sources
from nps_kit.engines.counting import counts_expr, transitions_expr
from nps_kit.errors import DataError
from nps_kit.engines.dispatch import read_responses
from nps_kit.engines.choice import choose_engine
from nps_kit.engines.sources import open_source
from nps_kit.engines.reading import read_source
from nps_kit.engines.dispatch import summarize
from nps_kit.waves.changes import compare_waves, transitions
from paths import REALDATA

SO = REALDATA / "stackoverflow2018_recommend_sample.csv"
BIONT = REALDATA / "biont_recommend_counts.csv"
SO_SCORES = ["StackOverflowRecommend", "StackOverflowJobsRecommend"]
COUNTS = ["n", "detractors", "passives", "promoters", "nonrespondents"]
ESTIMATES = ["nps", "se", "ci_low", "ci_high", "detractor_share", "promoter_share"]


def write(tmp_path, text, name="r.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def same_summary(ref: pd.DataFrame, got: pd.DataFrame, by=()):
    """Same groups in the same order, counts exactly, estimates to 1e-9."""
    assert len(ref) == len(got)
    for col in by:
        assert ref[col].astype(object).where(ref[col].notna(), None).tolist() == \
            got[col].astype(object).where(got[col].notna(), None).tolist()
    for col in COUNTS:
        assert ref[col].tolist() == got[col].tolist(), col
    for col in ESTIMATES:
        np.testing.assert_allclose(got[col].to_numpy(float), ref[col].to_numpy(float), rtol=0, atol=1e-9)


def raised(fn):
    with pytest.raises(DataError) as err:
        fn()
    return str(err.value)


# ------------------------------------------------------------------------------ real files
@pytest.mark.parametrize("column", SO_SCORES)
@pytest.mark.parametrize("by", [None, "Country", ["Employment", "Gender"]])
def test_real_stackoverflow_duckdb_equals_pandas(column, by):
    by_list = [by] if isinstance(by, str) else list(by or [])
    loaded = read_responses(SO, column, id="Respondent")
    got = read_source(SO, column, id="Respondent", by=by_list)
    assert (got.rows_read, got.rows_kept, got.rows_dropped, got.nonrespondents) == \
        (loaded.rows_read, loaded.rows_kept, loaded.rows_dropped, loaded.nonrespondents) == \
        (1000, 1000, 0, loaded.nonrespondents)
    for rule in ("exclude", "detractor", "passive"):
        ref = summarize(loaded.data, column, by=by, nonresponse=rule)
        same_summary(ref, summarize(got, by=by, nonresponse=rule), by_list)
    # the path users take: an Ibis table and a DuckDB relation handed to summarize
    con = ibis.duckdb.connect()
    table = con.read_csv(str(SO), nullstr="NA")
    same_summary(summarize(loaded.data, column, by=by), summarize(table, column, by=by), by_list)
    rel = duckdb.connect().sql(f"SELECT * FROM read_csv('{SO}', nullstr='NA')")
    same_summary(summarize(loaded.data, column, by=by, method="score"),
                 summarize(rel, column, by=by, method="score"), by_list)


def test_real_stackoverflow_panel_compare_equals_pandas(tmp_path):
    """The two recommend questions of one respondent as two waves: a real paired panel."""
    raw = pd.read_csv(SO)
    long = pd.concat([
        raw[["Respondent", "Employment", s]].rename(columns={s: "score"}).assign(wave=f"W{k + 1}")
        for k, s in enumerate(SO_SCORES)], ignore_index=True)
    pq = tmp_path / "panel.parquet"
    long.to_parquet(pq)
    ref = compare_waves(long, "score", "wave", id="Respondent", by="Employment")
    rel = duckdb.connect().sql(f"SELECT * FROM read_parquet('{pq}')")
    for data in (read_source(pq, "score", id="Respondent", wave="wave", by="Employment"),
                 ibis.memtable(long), rel):
        got = compare_waves(data, "score", "wave", id="Respondent", by="Employment")
        assert got.wave_order == ref.wave_order and got.changes["design"].tolist() == ["overlap"]
        assert got.changes["n_matched"].tolist() == ref.changes["n_matched"].tolist()
        for name in ("changes", "segment_changes"):
            a, b = getattr(ref, name), getattr(got, name)
            for col in ("n_from", "n_to", "n_matched", "from", "to", "design"):
                assert a[col].tolist() == b[col].tolist()
            for col in ("delta", "estimate", "se", "ci_low", "ci_high", "z", "p_value", "p_adjusted"):
                np.testing.assert_allclose(b[col].to_numpy(float), a[col].to_numpy(float), atol=1e-9)
        same_summary(ref.waves, got.waves)
        same_summary(ref.segment_waves, got.segment_waves)
        pd.testing.assert_frame_equal(ref.transitions, got.transitions, check_dtype=False)


def test_real_biont_counts_table_in_an_engine():
    raw = pd.read_csv(BIONT)
    scores = [f"score_{i}" for i in range(11)]
    table = raw.assign(detractors=raw[scores[:7]].sum(axis=1), passives=raw[scores[7:9]].sum(axis=1),
                       promoters=raw[scores[9:]].sum(axis=1))[["wave", "detractors", "passives", "promoters"]]
    ref = summarize(table, by="wave")
    got = summarize(ibis.memtable(table), by="wave")
    same_summary(ref, got, ["wave"])
    assert got.nps.round(6).tolist() == [round(100 * 21 / 28, 6), round(100 * 13 / 20, 6)]


# ------------------------------------------------------------------ bad input (tests/test_io.py)
GOOD_THEN_BAD = "id,wave,score\n1,A,10\n2,A,{bad}\n3,A,7\n"


@pytest.mark.parametrize("bad,reason", [("11", "outside the 0-10 scale"), ("-2", "outside"),
                                        ("8.5", "fractional"), ("great", "not a 0-10 score")])
def test_bad_score_same_message_as_pandas(tmp_path, bad, reason):
    p = write(tmp_path, GOOD_THEN_BAD.format(bad=bad))
    msg = raised(lambda: read_source(p, "score"))
    assert str(p) in msg and "score" in msg and "row 3" in msg and repr(bad) in msg and reason in msg
    assert "errors='drop'" in msg
    assert msg == raised(lambda: read_responses(p, "score"))


def test_drop_report_equals_pandas(tmp_path):
    p = write(tmp_path, "id,wave,score\n1,A,10\n2,A,8.5\n3,A,x\n1,A,7\n4,A,\n5,B,12\n1,B,0\n")
    ref = read_responses(p, "score", id="id", wave="wave", errors="drop")
    got = read_source(p, "score", id="id", wave="wave", errors="drop")
    assert got.rows_read == 7 == got.rows_kept + got.rows_dropped
    assert got.rows_dropped == 5 and got.nonrespondents == 1
    pd.testing.assert_frame_equal(ref.report, got.report, check_dtype=False)
    assert list(got.to_loaded().data.index) == [6, 8]
    assert got.report.loc[got.report.row == 5, "reason"].iloc[0].startswith(
        "respondent id '1' appears 2 times in wave A")
    # raise mode: the same message (the duplicate listed with its rows)
    assert raised(lambda: read_source(p, "score", id="id", wave="wave")) == \
        raised(lambda: read_responses(p, "score", id="id", wave="wave"))


def test_duplicate_ids_across_waves_are_fine(tmp_path):
    p = write(tmp_path, "id,wave,score\n1,A,10\n1,B,9\n")
    assert read_source(p, "score", id="id", wave="wave").rows_kept == 2
    msg = raised(lambda: read_source(p, "score", id="id"))
    assert "appears 2 times" in msg and msg == raised(lambda: read_responses(p, "score", id="id"))


def test_blank_is_nonresponse_not_error(tmp_path):
    p = write(tmp_path, "id,score\n1,10\n2,\n3,NA\n4,3\n")
    r = read_source(p, "score")
    assert r.rows_kept == 4 and r.nonrespondents == 2 and r.rows_dropped == 0


@pytest.mark.parametrize("text", ["rating_1-10\n1\n5\n10\n7\n", "score\n1 (Not likely)\n5\n10 (Very likely)\n"])
def test_one_to_ten_scale_is_refused(tmp_path, text):
    p = write(tmp_path, text)
    col = text.split("\n")[0]
    msg = raised(lambda: read_source(p, col))
    assert "1-10 scale" in msg and msg == raised(lambda: read_responses(p, col))
    assert read_source(p, col, check_scale=False).rows_kept == text.count("\n") - 1


def test_no_zero_without_a_hint_is_fine(tmp_path):
    p = write(tmp_path, "score\n9\n10\n8\n")
    assert read_source(p, "score").rows_kept == 3


def test_missing_column_lists_available(tmp_path):
    p = write(tmp_path, "a,b\n1,2\n")
    msg = raised(lambda: read_source(p, "score"))
    assert "'score' not found" in msg and "'a', 'b'" in msg
    assert msg == raised(lambda: read_responses(p, "score"))


@pytest.mark.parametrize("name,content,match", [("x.json", "{}", "unsupported"), ("e.csv", "", "empty"),
                                                ("missing.csv", None, "not found")])
def test_unreadable_files(tmp_path, name, content, match):
    p = tmp_path / name
    if content is not None:
        p.write_text(content)
    assert match in raised(lambda: open_source(p))


def test_text_score_is_never_coerced_past_duckdbs_type_sample(tmp_path, monkeypatch):
    """A column of integers with "ten" after DuckDB's sample: reported as invalid, not NULL."""
    monkeypatch.setattr(sources, "FULL_SNIFF_BYTES", 0)  # sample the types, as for a big file
    rows = "\n".join(str(i % 11) for i in range(30_000))
    p = write(tmp_path, f"score\n{rows}\nten\n5\n")
    msg = raised(lambda: read_source(p, "score"))
    assert "row 30002, score = 'ten': not a 0-10 score: 'ten'" in msg
    r = read_source(p, "score", errors="drop")
    assert (r.rows_read, r.rows_kept, r.rows_dropped) == (30_002, 30_001, 1)
    assert any("every row" in n for n in r.notes)


def test_engine_without_row_numbers_says_so():
    rel = duckdb.connect().sql("SELECT * FROM (VALUES (1, '10'), (2, 'ten'), (3, '7')) t(id, score)")
    msg = raised(lambda: summarize(rel, "score"))
    assert "gives no row numbers" in msg and "score = 'ten': not a 0-10 score: 'ten'" in msg
    r = read_source(rel, "score", errors="drop")
    assert r.report.row.isna().all() and r.report.value.tolist() == ["ten"]
    assert any("named by their values" in n for n in r.notes)


def test_summarize_on_an_engine_table_raises_like_pandas():
    frame = pd.DataFrame({"score": [10.0, 8.5, 3.0, 12.0]})
    msg = raised(lambda: summarize(ibis.memtable(frame), "score"))
    ref = raised(lambda: summarize(frame, "score"))
    assert "2 row(s) with invalid data" in msg and "2 invalid value(s)" in ref
    for fact in ("8.5", "fractional", "12", "outside"):
        assert fact in msg
    # a DataFrame read through sources is numbered by position (first row 2, as in its CSV)
    msg = raised(lambda: read_source(frame, "score"))
    assert "row 3, score = '8.5': fractional score 8.5" in msg and "row 5, score = '12.0'" in msg


# ------------------------------------------------------------------ globs, folders, databases
def _so_parts(tmp_path):
    raw = pd.read_csv(SO)
    raw["half"] = np.where(raw.Respondent % 2 == 0, "even", "odd")
    return raw


def test_parquet_glob_and_hive_folder_equal_pandas(tmp_path):
    raw = _so_parts(tmp_path)
    ref = summarize(raw, SO_SCORES[0], by="Employment")
    glob_dir = tmp_path / "glob"
    glob_dir.mkdir()
    for k, (_, part) in enumerate(raw.groupby("half")):
        part.to_parquet(glob_dir / f"part-{k}.parquet")
    got = read_source(str(glob_dir / "*.parquet"), SO_SCORES[0], by="Employment")
    assert got.source.kind == "parquet-glob" and len(got.source.files) == 2
    same_summary(ref, summarize(got, by="Employment"), ["Employment"])
    hive = tmp_path / "hive"
    raw.to_parquet(hive, partition_cols=["half"])
    got = read_source(hive, SO_SCORES[0], by=["half", "Employment"])
    assert got.source.kind == "hive-folder" and got.rows_read == 1000
    same_summary(summarize(raw, SO_SCORES[0], by=["half", "Employment"]),
                 summarize(got, by=["half", "Employment"]), ["half", "Employment"])


def test_glob_report_names_file_and_row(tmp_path):
    for k, scores in enumerate([[10, 9, 3], [7, 11, 8]]):
        pd.DataFrame({"score": scores}).to_parquet(tmp_path / f"w{k}.parquet")
    r = read_source(str(tmp_path / "w*.parquet"), "score", errors="drop")
    assert r.rows_read == 6 and r.rows_dropped == 1
    assert r.report.row.tolist() == [2] and r.report.file.iloc[0].endswith("w1.parquet")


def test_duckdb_table_source(tmp_path):
    db = tmp_path / "survey.duckdb"
    raw = pd.read_csv(SO)
    with duckdb.connect(str(db)) as con:
        con.register("raw_frame", raw)
        con.execute("CREATE TABLE responses AS SELECT * FROM raw_frame")
        con.execute("CREATE TABLE bad AS SELECT * FROM (VALUES (1, 10), (2, 12)) t(id, score)")
    got = read_source(f"duckdb:{db}:responses", SO_SCORES[1], by="Country")
    assert got.source.kind == "duckdb-table"
    same_summary(summarize(raw, SO_SCORES[1], by="Country"), summarize(got, by="Country"), ["Country"])
    msg = raised(lambda: read_source(f"duckdb:{db}:bad", "score"))
    assert "row 2, score = '12': score 12 is outside the 0-10 scale" in msg
    msg = raised(lambda: open_source(f"duckdb:{db}:nothing"))
    assert "no table or view 'nothing'" in msg and "'responses'" in msg


def test_provenance_records_engine_query_and_rows(tmp_path):
    p = write(tmp_path, "score,team\n10,a\n3,b\nx,a\n")
    r = read_source(p, "score", by="team", errors="drop")
    prov = r.provenance.as_dict()
    assert prov["engine"].startswith("duckdb ") and prov["kind"] == "csv"
    assert "GROUP BY" in prov["query"] and "read_csv" in prov["query"].lower()
    assert (prov["rows_read"], prov["rows_kept"], prov["rows_dropped"]) == (3, 2, 1)


# ---------------------------------------------------------------- the expressions themselves
def test_counts_and_transitions_expressions_equal_pandas():
    rng = np.random.default_rng(3)
    n = 2000
    frame = pd.DataFrame({"id": np.r_[np.arange(1000), np.arange(400, 1400)],
                          "wave": ["Q1"] * 1000 + ["Q2"] * 1000,
                          "score": rng.integers(0, 11, n).astype(float),
                          "seg": rng.choice(["x", "y"], n)})
    frame.loc[rng.choice(n, 50, replace=False), "score"] = np.nan
    t = ibis.memtable(frame)
    got = counts_expr(t, "score", by=["wave", "seg"]).to_pandas().sort_values(["wave", "seg"])
    ref = summarize(frame, "score", by=["wave", "seg"])
    assert got[["detractors", "passives", "promoters", "nonrespondents"]].to_numpy().tolist() == \
        ref[["detractors", "passives", "promoters", "nonrespondents"]].to_numpy().tolist()
    for rule in ("exclude", "detractor", "passive"):
        ruled = counts_expr(t, "score", by="seg", wave="wave", id="id", nonresponse=rule).to_pandas()
        ruled = ruled.sort_values(["wave", "seg"])
        ref_r = summarize(frame, "score", by=["wave", "seg"], nonresponse=rule)
        assert "nonrespondents" not in ruled.columns
        assert ruled[["detractors", "passives", "promoters"]].to_numpy().tolist() == \
            ref_r[["detractors", "passives", "promoters"]].to_numpy().tolist()
    cells = transitions_expr(t, "score", "wave", "id", ["Q1", "Q2"], [(0, 1)]).to_pandas()
    tab = np.zeros((3, 3), dtype=int)
    tab[cells.from_category, cells.to_category] = cells["count"]
    ref_t = transitions(frame, "score", "wave", "id")
    assert tab.reshape(-1).tolist() == ref_t["count"].tolist()


@pytest.mark.parametrize("path,expected", [("x.parquet", "pandas"), ("x/*.parquet", "duckdb"),
                                           ("duckdb:a.duckdb:t", "duckdb")])
def test_choose_engine(tmp_path, path, expected):
    if path == "x.parquet":
        pd.DataFrame({"score": [1]}).to_parquet(tmp_path / path)
    engine, why = choose_engine(str(tmp_path / path) if not path.startswith("duckdb") else path)
    assert engine == expected and why
    assert choose_engine("anything.csv", "duckdb") == ("duckdb", "--engine duckdb")


@pytest.mark.parametrize("name", ["nps_kit.engines.counting", "nps_kit.engines.sources"])
def test_examples_in_docstrings(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_to_loaded_gives_the_rows_of_read_responses(tmp_path):
    """What a report template calls with a `source`: rows, report and provenance."""
    ref = read_responses(SO, SO_SCORES[0], id="Respondent")
    pq = tmp_path / "so.parquet"
    pd.read_csv(SO).to_parquet(pq)
    for source, first in ((SO, 2), (pq, 1)):
        got = read_source(source, SO_SCORES[0], id="Respondent").to_loaded()
        assert got.rows_read == ref.rows_read and got.nonrespondents == ref.nonrespondents
        assert list(got.data.index) == [i - 2 + first for i in ref.data.index]
        np.testing.assert_array_equal(got.data[SO_SCORES[0]].to_numpy(float),
                                      ref.data[SO_SCORES[0]].to_numpy(float))
        assert got.data["Respondent"].tolist() == ref.data["Respondent"].tolist()


def test_provenance_is_the_same_for_the_same_input(tmp_path):
    frame = pd.DataFrame({"score": [10, 3, 7, None], "team": ["a", "b", "a", "b"]})
    first, second = (read_source(frame, "score", by="team").provenance.as_dict() for _ in range(2))
    assert first == second and "memtable" in first["query"]
    rel = duckdb.connect().sql("SELECT 10 AS score")
    assert read_source(rel, "score").provenance.as_dict() == read_source(rel, "score").provenance.as_dict()


def test_undecodable_file_and_brackets_in_a_file_name(tmp_path):
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(b"score,team\n10,caf\xe9\n")
    msg = raised(lambda: read_source(bad, "score"))
    assert str(bad) in msg and "DuckDB" in msg
    named = write(tmp_path, "score\n10\n3\n", name="wave[1].csv")
    assert read_source(named, "score").rows_kept == 2 and choose_engine(str(named))[0] == "pandas"


def test_the_path_users_take_create_table_on_duckdb_through_ibis():
    """ibis.duckdb.connect().create_table(name, df) works with the pinned ibis/duckdb/sqlglot."""
    raw = pd.read_csv(SO)
    con = ibis.duckdb.connect()
    table = con.create_table("responses", raw[["Respondent", "Employment", SO_SCORES[0]]])
    same_summary(summarize(raw, SO_SCORES[0], by="Employment"),
                 summarize(table, SO_SCORES[0], by="Employment"), ["Employment"])
    assert con.create_table("responses", raw.head(3), overwrite=True).count().to_pandas() == 3


def test_demo_files_and_unknown_demo_file():
    assert "no demo file" in raised(lambda: open_source("demo:nothing.csv"))
    ref = read_responses("demo:responses.csv", "score", id="respondent_id", wave="wave")
    got = read_source("demo:responses.csv", "score", id="respondent_id", wave="wave")
    assert (got.rows_read, got.rows_kept, got.nonrespondents) == (ref.rows_read, ref.rows_kept, ref.nonrespondents)
    same_summary(summarize(ref.data, "score", by="wave"), summarize(got, by="wave"), ["wave"])
    a = compare_waves(ref.data, "score", "wave", id="respondent_id")
    b = compare_waves(got, "score", "wave", id="respondent_id")
    for col in ("n_from", "n_to", "n_matched", "design"):
        assert a.changes[col].tolist() == b.changes[col].tolist()
    np.testing.assert_allclose(b.changes.se.to_numpy(float), a.changes.se.to_numpy(float), atol=1e-9)


def test_engine_auto_decides_by_rows_not_bytes(tmp_path):
    from nps_kit.engines.choice import AUTO_DUCKDB_ROWS, estimated_rows

    many = AUTO_DUCKDB_ROWS + 5
    frame = pd.DataFrame({"score": np.tile(np.arange(11, dtype=np.int8), many // 11 + 1)[:many]})
    frame.to_parquet(tmp_path / "many.parquet")  # a few hundred KiB, compressed
    assert (tmp_path / "many.parquet").stat().st_size < 10 * 2**20
    assert estimated_rows(tmp_path / "many.parquet") == (many, "exactly")
    engine, why = choose_engine(str(tmp_path / "many.parquet"))
    assert engine == "duckdb" and f"{many:,} rows" in why
    frame.iloc[:1000].to_csv(tmp_path / "few.csv", index=False)
    assert choose_engine(str(tmp_path / "few.csv"))[0] == "pandas"
    rows, how = estimated_rows(tmp_path / "few.csv")
    assert rows == 1000 and how == "exactly"
    big = "score,segment\n" + "9,some segment name\n" * 60_000
    (tmp_path / "big.csv").write_text(big)
    rows, how = estimated_rows(tmp_path / "big.csv")
    assert how == "about" and abs(rows - 60_001) / 60_001 < 0.05
