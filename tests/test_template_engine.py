"""The NPS report counted inside DuckDB: a hive-partitioned Parquet folder and a duckdb: table
give the pandas path's numbers, and the record says which engine ran which query on what."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nps_kit.reports.html import visible_text
from nps_kit.engines.dispatch import read_table

FIGURES = ("n", "nps", "se", "ci", "counts", "nonrespondents", "wave", "by_segment",
           "by_segment_shrunk", "trend", "trend_sentences", "headline")


def _run(out, *params):
    args = [a for name, value in params for a in ("-p", name, str(value))]
    proc = subprocess.run([sys.executable, "-m", "nps_kit.cli.main", "run", "nps_report", "-o", out, *args],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads((out / "nps_report.json").read_text()), (out / "nps_report.html").read_text()


@pytest.fixture(scope="module")
def pandas_run(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("pandas"), ("engine", "pandas"))


def test_hive_folder_in_duckdb_gives_the_pandas_numbers(pandas_run, tmp_path):
    raw = read_table("demo:responses.csv")
    folder = tmp_path / "responses"
    pq.write_to_dataset(pa.Table.from_pandas(raw, preserve_index=False), str(folder), partition_cols=["wave"])
    record, page = _run(tmp_path / "out", ("responses_file", folder))  # engine auto: a folder is DuckDB's
    reference = pandas_run[0]["results"]
    for key in FIGURES:
        assert record["results"][key] == reference[key], key
    source = record["results"]["source"]
    assert source["engine"].startswith("duckdb") and source["rows_read"] == len(raw) == source["rows_kept"]
    assert "GROUP BY" in source["query"].upper()
    files = record["provenance"]["inputs"]["responses_file"]
    assert len(files) == raw["wave"].nunique() and all(len(f["sha256"]) == 64 for f in files)
    text = visible_text(page)
    assert "engine: duckdb" in text
    assert "counted in an engine, so only the three categories were read" in text
    assert "source" not in pandas_run[0]["results"]


def test_duckdb_table_gives_the_pandas_numbers(pandas_run, tmp_path):
    raw = read_table("demo:responses.csv")
    database = tmp_path / "survey.duckdb"
    with duckdb.connect(str(database)) as con:
        con.register("raw", raw)
        con.execute("CREATE TABLE responses AS SELECT * FROM raw")
    record, _ = _run(tmp_path / "out", ("responses_file", f"duckdb:{database}:responses"))
    for key in FIGURES:
        assert record["results"][key] == pandas_run[0]["results"][key], key
    assert record["provenance"]["inputs"]["responses_file"][0]["path"] == str(database)


def test_a_folder_with_invalid_scores_stops_with_the_rows_named(tmp_path):
    raw = read_table("demo:responses.csv")
    raw["score"] = [None if v != v else str(int(v)) for v in raw["score"]]  # a text column, as exported
    raw.loc[5, "score"] = "eleven"
    folder = tmp_path / "bad"
    folder.mkdir()
    raw.to_parquet(folder / "part-0.parquet")
    proc = subprocess.run([sys.executable, "-m", "nps_kit.cli.main", "run", "nps_report", "-o", tmp_path / "out",
                           "-p", "responses_file", str(folder)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1 and "'eleven'" in proc.stderr and "Traceback" not in proc.stderr


def test_every_reader_takes_a_folder_glob_or_duckdb_table(tmp_path):
    from nps_kit.engines.dispatch import read_responses

    raw = read_table("demo:responses.csv")
    folder = tmp_path / "responses"
    pq.write_to_dataset(pa.Table.from_pandas(raw, preserve_index=False), str(folder), partition_cols=["wave"])
    plain = read_responses("demo:responses.csv", "score", id="respondent_id", wave="wave")
    # the glob reads the files without their hive partition (the wave), so ids repeat across
    # waves: read it without the id check
    for source, id in ((folder, "respondent_id"), (f"{folder}/*/*.parquet", None)):
        loaded = read_responses(source, "score", id=id, wave="wave", id_optional=True,
                                wave_optional=True, optional_columns=["segment"])
        assert loaded.rows_read == loaded.rows_kept == len(raw)
        assert loaded.notes[0].startswith("engine: duckdb")
        key = ["respondent_id", "date"]
        a = loaded.data.sort_values(key)["score"].to_numpy()
        b = plain.data.sort_values(key)["score"].to_numpy(dtype=float)
        assert (a[~(a != a)] == b[~(b != b)]).all() and (a != a).sum() == (b != b).sum()


def test_wave_comparison_on_a_hive_folder_gives_the_csv_results(tmp_path):
    raw = read_table("demo:responses.csv")
    folder = tmp_path / "responses"
    pq.write_to_dataset(pa.Table.from_pandas(raw, preserve_index=False), str(folder), partition_cols=["wave"])
    runs = {}
    for name, source in (("csv", "demo:responses.csv"), ("folder", folder)):
        out = tmp_path / name
        proc = subprocess.run([sys.executable, "-m", "nps_kit.cli.main", "run", "wave_comparison", "-o", out,
                               "-p", "responses_file", str(source)], capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        runs[name] = json.loads((out / "wave_comparison.json").read_text())
    a, b = runs["csv"]["results"], runs["folder"]["results"]
    for key in ("waves", "changes", "segment_changes", "transitions", "equivalence", "summary", "themes"):
        assert a[key] == b[key], key
    assert len(runs["folder"]["provenance"]["inputs"]["responses_file"]) == raw["wave"].nunique()
