"""summarize: groups, aggregated input, policies, agreement with nps_interval."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nps_kit.errors import DataError, ParameterError
from nps_kit.core.intervals import METHODS, nps_interval
from nps_kit.core.scores import counts
from nps_kit.core.summary import SUMMARY_COLUMNS
from nps_kit.engines.dispatch import summarize


@pytest.fixture
def responses():
    rng = np.random.default_rng(4)
    n = 600
    return pd.DataFrame({
        "score": rng.integers(0, 11, n).astype(float),
        "team": rng.choice(["north", "south", "east"], n),
        "size": rng.choice([1, 2], n),
    }).assign(score=lambda d: d.score.mask(rng.random(n) < 0.1))


def test_columns_and_overall(responses):
    out = summarize(responses, "score")
    assert list(out.columns) == list(SUMMARY_COLUMNS)
    c = counts(responses.score)
    row = out.iloc[0]
    assert (row.detractors, row.passives, row.promoters) == tuple(c)
    assert row.nonrespondents == responses.score.isna().sum()
    assert row.detractor_share + row.passive_share + row.promoter_share == pytest.approx(1)


@pytest.mark.parametrize("method", METHODS)
def test_groups_agree_with_nps_interval(responses, method):
    out = summarize(responses, "score", by="team", method=method, confidence=0.9, seed=1, n_resamples=1000)
    assert list(out.team) == ["east", "north", "south"]
    for row in out.itertuples():
        c = counts(responses.loc[responses.team == row.team, "score"])
        assert (row.detractors, row.passives, row.promoters) == tuple(c)
        if method not in ("bootstrap", "bayes"):
            ref = nps_interval(tuple(c), method=method, confidence=0.9)
            assert (row.nps, row.ci_low, row.ci_high, row.se) == pytest.approx((ref.nps, ref.low, ref.high, ref.se))
        assert row.method == method and row.confidence == 0.9


def test_crossed_groups_sum_to_total(responses):
    out = summarize(responses, "score", by=["team", "size"])
    assert len(out) == 6 and out.n.sum() == responses.score.notna().sum()


def test_nonresponse_policies(responses):
    excl = summarize(responses, "score").iloc[0]
    det = summarize(responses, "score", nonresponse="detractor").iloc[0]
    pas = summarize(responses, "score", nonresponse="passive").iloc[0]
    assert det.detractors == excl.detractors + excl.nonrespondents
    assert pas.passives == excl.passives + excl.nonrespondents
    assert det.nps < excl.nps and det.nonresponse == "detractor"


def test_aggregated_input_gives_same_as_responses(responses):
    by_resp = summarize(responses, "score", by="team")
    agg = by_resp[["team", "detractors", "passives", "promoters"]]
    by_counts = summarize(pd.concat([agg, agg.assign(detractors=0, passives=0, promoters=0)]), by="team")
    pd.testing.assert_series_equal(by_resp.ci_low, by_counts.ci_low)
    total = summarize(agg)
    assert total.n.iloc[0] == by_resp.n.sum()


def test_missing_group_values_form_their_own_group():
    df = pd.DataFrame({"score": [10, 3, 9], "g": ["a", None, "a"]})
    out = summarize(df, "score", by="g")
    assert out.n.sum() == 3 and out.g.isna().iloc[-1]


def test_text_scores_and_categorical_groups():
    df = pd.DataFrame({"score": ["10 (Very Likely)", "3", "8"],
                       "g": pd.Categorical(["x", "y", "x"], categories=["y", "x", "unused"])})
    out = summarize(df, "score", by="g")
    assert list(out.g) == ["y", "x"] and list(out.n) == [1, 2]


@pytest.mark.parametrize("bad", [[11, 3], [8.5, 3], ["abc", 3]])
def test_bad_scores_raise(bad):
    with pytest.raises(DataError, match="score column"):
        summarize(pd.DataFrame({"s": bad}), "s")


def test_bad_options_and_columns(responses):
    with pytest.raises(ParameterError):
        summarize(responses, "score", method="nope")
    with pytest.raises(DataError, match="not found"):
        summarize(responses, "score", by="region")
    with pytest.raises(DataError, match="detractors"):
        summarize(responses)
    with pytest.raises(DataError, match="whole numbers"):
        summarize(pd.DataFrame({"detractors": [1.5], "passives": [1], "promoters": [2]}))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 30)), min_size=1, max_size=300))
def test_integer_group_ids_any_range(rows):
    df = pd.DataFrame(rows, columns=["score", "g"])
    out = summarize(df, "score", by="g", method="wald")
    assert out.n.sum() == len(df)
    assert sorted(out.g) == sorted(df.g.unique()) == list(out.g)
    for row in out.itertuples():
        assert row.nps == pytest.approx(100 * ((df[df.g == row.g].score >= 9).mean() - (df[df.g == row.g].score <= 6).mean()))


@pytest.mark.parametrize("gtype,stype", [("int32", "int8"), ("uint16", "int64"), ("int64", "uint8"),
                                         ("Int64", "Int64"), ("int8", "float32")])
def test_narrow_and_nullable_integer_dtypes(gtype, stype):
    df = pd.DataFrame({"g": pd.array([3, 3, 5, 7], dtype=gtype), "s": pd.array([10, 0, 8, 9], dtype=stype)})
    out = summarize(df, "s", by="g", method="wald")
    assert out.g.tolist() == [3, 5, 7] and out.nps.tolist() == [0.0, 0.0, 100.0]


def test_negative_integer_groups():
    df = pd.DataFrame({"g": [-5, -5, 2], "s": [10, 9, 0]})
    assert summarize(df, "s", by="g").g.tolist() == [-5, 2]
