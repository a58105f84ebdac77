"""Score parsing, categories, counts and the point estimate."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nps_kit import Counts, classify, counts, mean_score, median_score, nps
from nps_kit.errors import DataError, ParameterError
from nps_kit.core.scores import parse_scores


def test_r_package_unit_test_value():
    assert nps([0, 7, 7, 9, 9, 9]) == pytest.approx(100 / 3)


def test_category_boundaries():
    cats = classify(list(range(11)))
    assert list(cats[:7]) == ["detractor"] * 7
    assert list(cats[7:9]) == ["passive"] * 2
    assert list(cats[9:]) == ["promoter"] * 2
    assert cats.ordered and list(cats.categories) == ["detractor", "passive", "promoter"]


def test_classify_keeps_series_index_and_missing():
    s = pd.Series([10, None, 3], index=["a", "b", "c"], name="q")
    out = classify(s)
    assert list(out.index) == ["a", "b", "c"] and out.name == "q"
    assert pd.isna(out["b"]) and out["c"] == "detractor"


@pytest.mark.parametrize("text,value", [("10 (Very Likely)", 10), ("0 - Not at all likely", 0),
                                        (" 7 ", 7), (7.0, 7), ("7.0", 7), ("9: likely", 9), (3, 3)])
def test_survey_text_is_parsed(text, value):
    assert parse_scores([text]).values[0] == value


@pytest.mark.parametrize("blank", ["", "  ", "NA", "n/a", None, np.nan, "Don't know"])
def test_blank_is_no_answer(blank):
    parsed = parse_scores([blank])
    assert np.isnan(parsed.values[0]) and not parsed.invalid[0]


@pytest.mark.parametrize("bad,why", [(11, "outside"), (-1, "outside"), (8.5, "fractional"),
                                     ("8.5", "fractional"), ("very likely", "not a 0-10"),
                                     ("7 8", "not a 0-10"), ("10/10", "not a 0-10")])
def test_invalid_scores_have_reasons(bad, why):
    parsed = parse_scores([bad])
    assert parsed.invalid[0] and why in parsed.reasons[0]
    with pytest.raises(DataError, match=why):
        counts([bad])


def test_labels_are_collected():
    assert parse_scores(["1 (Not likely)", "10 (Very Likely)"]).labels == {1: "Not likely", 10: "Very Likely"}


def test_counts_and_nonresponse_policies():
    s = [10, 9, 3, None, 7, None]
    assert counts(s) == Counts(1, 1, 2)
    assert counts(s, nonresponse="detractor") == Counts(3, 1, 2)
    assert counts(s, nonresponse="passive") == Counts(1, 3, 2)
    with pytest.raises(ParameterError, match="exclude"):
        counts(s, nonresponse="ignore")


def test_tuple_is_counts_and_list_is_scores():
    assert nps((1, 2, 3)) == pytest.approx(100 * 2 / 6)
    assert nps([1, 2, 3]) == -100.0
    with pytest.raises(DataError):
        nps((1, -2, 3))
    assert np.isnan(nps([]))


def test_mean_is_not_nps_and_can_move_the_other_way():
    before = [10, 10, 10, 0, 0]          # NPS 20, mean 6
    after = [9, 9, 8, 8, 8]              # NPS 40, mean 8.4
    worse = [6, 6, 6, 10, 9]             # NPS -20, mean 7.4
    assert mean_score(after) > mean_score(before) and nps(after) > nps(before)
    assert mean_score(worse) > mean_score(before) and nps(worse) < nps(before)
    assert median_score([0, 10, 8]) == 8.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=200), st.randoms(use_true_random=False))
def test_order_invariance_and_bounds(scores, rnd):
    shuffled = list(scores)
    rnd.shuffle(shuffled)
    assert nps(scores) == nps(shuffled)
    assert -100 <= nps(scores) <= 100
    assert counts(scores).n == len(scores)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 10), st.none()), min_size=1, max_size=200))
def test_scores_and_counts_agree(scores):
    c = counts(scores)
    answered = [s for s in scores if s is not None]
    if answered:
        assert nps(scores) == pytest.approx(nps(tuple(c)))
        assert c.promoters == sum(s >= 9 for s in answered)
        assert c.detractors == sum(s <= 6 for s in answered)
