"""The same counting expressions on a local PySpark session through Ibis (``local[1]``).

Spark reads the shared real file itself; summaries and wave comparisons must equal the pandas
path exactly in counts and to 1e-9 in estimates, and invalid scores must be reported, not
coerced. Needs Java 17 (installed by .ci/run when missing) and the ``spark`` extra.
"""

import os
import sys

import ibis
import numpy as np
import pandas as pd
import pytest

from nps_kit.engines.counting import counts_expr
from nps_kit.errors import DataError
from nps_kit.engines.dispatch import read_responses
from nps_kit.engines.reading import read_source
from nps_kit.engines.dispatch import summarize
from nps_kit.waves.changes import compare_waves
from paths import REALDATA

SO = REALDATA / "stackoverflow2018_recommend_sample.csv"
SCORES = ["StackOverflowRecommend", "StackOverflowJobsRecommend"]


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    session = (SparkSession.builder.master("local[1]").appName("nps-kit-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
               .config("spark.sql.warehouse.dir", str(warehouse))
               .config("spark.driver.memory", "1g").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def spark_con(spark):
    return ibis.pyspark.connect(spark)


@pytest.fixture(scope="module")
def so_table(spark_con):
    return spark_con.read_csv(str(SO), header=True, nullValue="NA", inferSchema=True, escape='"')


def close(ref: pd.DataFrame, got: pd.DataFrame, by=()):
    assert len(ref) == len(got)
    for col in by:
        assert ref[col].tolist() == got[col].tolist()
    for col in ("n", "detractors", "passives", "promoters", "nonrespondents"):
        assert ref[col].tolist() == got[col].tolist(), col
    for col in ("nps", "se", "ci_low", "ci_high"):
        np.testing.assert_allclose(got[col].to_numpy(float), ref[col].to_numpy(float), rtol=0, atol=1e-9)


def test_summary_on_spark_equals_pandas(spark_con, so_table):
    loaded = read_responses(SO, SCORES[0], id="Respondent")
    got = read_source(so_table, SCORES[0], id="Respondent", by="Employment")
    assert got.engine.startswith("pyspark") and got.rows_read == 1000 and got.rows_dropped == 0
    assert got.nonrespondents == loaded.nonrespondents
    ref = summarize(loaded.data, SCORES[0], by="Employment")
    close(ref, summarize(got, by="Employment"), ["Employment"])
    close(summarize(loaded.data, SCORES[0], nonresponse="detractor"),
          summarize(got, nonresponse="detractor"))
    counted = counts_expr(so_table, SCORES[0]).to_pandas()
    assert counted[["detractors", "passives", "promoters"]].iloc[0].tolist() == \
        ref[["detractors", "passives", "promoters"]].sum().tolist()


def test_panel_comparison_on_spark_equals_pandas(spark_con, tmp_path):
    raw = pd.read_csv(SO)
    long = pd.concat([raw[["Respondent", s]].rename(columns={s: "score"}).assign(wave=f"W{k + 1}")
                      for k, s in enumerate(SCORES)], ignore_index=True)
    pq = tmp_path / "panel.parquet"
    long.to_parquet(pq)
    ref = compare_waves(long, "score", "wave", id="Respondent")
    got = compare_waves(spark_con.read_parquet(str(pq)), "score", "wave", id="Respondent")
    assert got.changes.n_matched.tolist() == ref.changes.n_matched.tolist()
    for col in ("n_from", "n_to", "design"):
        assert got.changes[col].tolist() == ref.changes[col].tolist()
    for col in ("delta", "estimate", "se", "ci_low", "ci_high", "z", "p_value"):
        np.testing.assert_allclose(got.changes[col].to_numpy(float), ref.changes[col].to_numpy(float), atol=1e-9)
    assert got.transitions["count"].tolist() == ref.transitions["count"].tolist()
    close(ref.waves, got.waves)


def test_invalid_scores_on_spark_are_reported_not_coerced(spark, spark_con):
    frame = pd.DataFrame({"id": [1, 2, 3, 4, 5], "score": ["10", "ten", "8.5", None, "12"]})
    spark.createDataFrame(frame).createOrReplaceTempView("bad_scores")
    spark_table = spark_con.table("bad_scores")
    with pytest.raises(DataError) as err:
        read_source(spark_table, "score")
    msg = str(err.value)
    for fact in ("3 row(s) with invalid data", "not a 0-10 score: 'ten'",
                 "fractional score 8.5", "score 12 is outside the 0-10 scale", "no row numbers"):
        assert fact in msg
    r = read_source(spark_table, "score", errors="drop")
    assert (r.rows_read, r.rows_kept, r.rows_dropped, r.nonrespondents) == (5, 2, 3, 1)
    assert sorted(r.report.value) == ["12", "8.5", "ten"]


def test_integer_scores_on_spark_blanks_and_out_of_range(spark, spark_con):
    frame = pd.DataFrame({"score": pd.array([10, 11, None, -3, 7, 0], dtype="Int64"),
                          "team": ["a", "a", "b", "b", "b", "a"]})
    spark.createDataFrame(frame.astype(object).where(frame.notna(), None)).createOrReplaceTempView("int_scores")
    r = read_source(spark_con.table("int_scores"), "score", by="team", errors="drop")
    assert (r.rows_read, r.rows_kept, r.rows_dropped, r.nonrespondents) == (6, 4, 2, 1)
    assert sorted(r.report.reason) == ["score -3 is outside the 0-10 scale",
                                       "score 11 is outside the 0-10 scale"]
    got = summarize(r, by="team")
    assert got[["detractors", "passives", "promoters"]].to_numpy().tolist() == [[1, 0, 1], [0, 1, 0]]
