"""Revenue at risk, good revenue and revenue-weighted NPS."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nps_kit.errors import ParameterError
from nps_kit.revenue.at_risk import bootstrap_ratios, revenue_at_risk, revenue_weighted_nps
from nps_kit.revenue.classes import abc_classes, join_responses


def _hand_example():
    """Ten customers; A = c0, c1 (revenue 1200 + 800 = 2000), B = c2..c4, C = c5..c9.

    Respondents: A: c0 passive (1200)... see the test for the figures.
    """
    customers = pd.DataFrame({
        "customer_id": [f"c{i}" for i in range(10)],
        "annual_revenue": [1200.0, 800.0, 300.0, 200.0, 100.0, 50.0, 40.0, 30.0, 20.0, 10.0],
    })
    responses = pd.DataFrame({
        "respondent_id": ["c0", "c1", "c2", "c3", "c4", "c5", "c9"],
        "score": [8, 2, 10, 6, 9, 3, 10],
    })
    classes = abc_classes(customers)
    return classes, join_responses(classes, responses)


def test_revenue_at_risk_by_hand():
    classes, joined = _hand_example()
    res = revenue_at_risk(classes, joined, n_resamples=2000)
    t = res.table.set_index(["category", "class"])
    # A: respondents c0 (passive, 1200) and c1 (detractor, 800): 800 / 2000 at risk, all of A
    # answered so the projection equals the observed amount
    a = t.loc[("detractor", "A")]
    assert (a["respondents"], a["respondents_revenue"], a["category_revenue"]) == (2, 2000.0, 800.0)
    assert a["share"] == pytest.approx(0.4) and a["projected"] == pytest.approx(800.0)
    # B: c2 promoter 300, c3 detractor 200, c4 promoter 100: at risk 200 / 600 of B's 600
    b = t.loc[("detractor", "B")]
    assert b["share"] == pytest.approx(1 / 3) and b["projected"] == pytest.approx(200.0)
    assert t.loc[("promoter", "B"), "projected"] == pytest.approx(400.0)
    # C: c5 detractor 50, c9 promoter 10 (of 60); class revenue 150 -> 150 * 50/60 = 125
    c = t.loc[("detractor", "C")]
    assert c["share"] == pytest.approx(50 / 60) and c["class_revenue"] == 150.0
    assert c["projected"] == pytest.approx(125.0)
    assert t.loc[("promoter", "C"), "projected"] == pytest.approx(25.0)
    # total: 800 + 200 + 125 = 1125 of 2750; respondents' own share (800+200+50) / 2660
    tot = t.loc[("detractor", "all")]
    assert tot["projected"] == pytest.approx(1125.0) and res.at_risk == pytest.approx(1125.0)
    assert res.at_risk_share == pytest.approx(1125.0 / 2750.0)
    assert tot["share"] == pytest.approx(1050.0 / 2660.0)
    assert res.good == pytest.approx(0 + 400.0 + 25.0)
    for _, row in res.table.iterrows():
        assert row["projected_low"] <= row["projected"] <= row["projected_high"]


def _random_example(n=300, seed=11):
    rng = np.random.default_rng(seed)
    customers = pd.DataFrame({"customer_id": [f"r{i}" for i in range(n)],
                              "annual_revenue": rng.lognormal(10, 1, n).round(2)})
    classes = abc_classes(customers)
    picked = rng.choice(n, n // 3, replace=False)
    responses = pd.DataFrame({"respondent_id": customers["customer_id"].to_numpy()[picked],
                              "score": rng.integers(0, 11, len(picked))})
    return classes, join_responses(classes, responses)


def test_revenue_at_risk_is_reproducible_and_seeded():
    classes, joined = _random_example()
    one = revenue_at_risk(classes, joined, seed=5, n_resamples=500).table
    two = revenue_at_risk(classes, joined, seed=5, n_resamples=500).table
    other = revenue_at_risk(classes, joined, seed=6, n_resamples=500).table
    pd.testing.assert_frame_equal(one, two)
    assert not one["projected_low"].equals(other["projected_low"])
    assert not one["projected_low"].isna().any()
    with pytest.raises(ParameterError, match="at least 100"):
        revenue_at_risk(classes, joined, n_resamples=10)


def test_total_interval_is_the_sum_of_class_replicates():
    # stratified bootstrap: the total's interval is at least as wide as the widest class's
    classes, joined = _random_example()
    t = revenue_at_risk(classes, joined, n_resamples=2000).table
    d = t[t["category"] == "detractor"].set_index("class")
    width = d["projected_high"] - d["projected_low"]
    assert width["all"] >= width[["A", "B", "C"]].max()
    assert width["all"] <= width[["A", "B", "C"]].sum()
    assert d.loc["all", "projected"] == pytest.approx(d.loc[["A", "B", "C"], "projected"].sum())


def test_class_without_respondents_has_no_estimate():
    customers = pd.DataFrame({"customer_id": list("abcdefghij"), "annual_revenue": range(10, 0, -1)})
    classes = abc_classes(customers)
    joined = join_responses(classes, pd.DataFrame({"respondent_id": ["a", "f"], "score": [3, 9]}))
    t = revenue_at_risk(classes, joined, n_resamples=200).table.set_index(["category", "class"])
    assert np.isnan(t.loc[("detractor", "B"), "projected"])
    assert np.isnan(t.loc[("detractor", "B"), "projected_low"])
    assert np.isnan(t.loc[("detractor", "all"), "projected"])


def test_bootstrap_interval_agrees_with_the_binomial_interval():
    # With equal revenues the share at risk is the detractor proportion; the percentile
    # bootstrap interval should be close to p +- 1.96 sqrt(p (1 - p) / n).
    n = 400
    customers = pd.DataFrame({"customer_id": [f"x{i}" for i in range(n)], "annual_revenue": 1.0})
    scores = np.r_[np.full(100, 3), np.full(300, 9)]
    classes = abc_classes(customers, cuts=(0.999, 0.9995))  # everyone in A (one tie group)
    joined = join_responses(classes, pd.DataFrame({"respondent_id": customers["customer_id"],
                                                    "score": scores}))
    res = revenue_at_risk(classes, joined, n_resamples=20_000, seed=1)
    a = res.table.set_index(["category", "class"]).loc[("detractor", "A")]
    half = 1.96 * np.sqrt(0.25 * 0.75 / n)
    assert a["projected_share_low"] == pytest.approx(0.25 - half, abs=0.006)
    assert a["projected_share_high"] == pytest.approx(0.25 + half, abs=0.006)


def test_bootstrap_ratios_shapes_and_blocks():
    rng = np.random.default_rng(0)
    r = rng.uniform(1, 10, 50)
    y = np.column_stack([rng.integers(0, 2, 50), np.ones(50)])
    reps = bootstrap_ratios(r, y, 300, np.random.default_rng(1))
    assert reps.shape == (300, 2)
    assert np.allclose(reps[:, 1], 1.0)  # weighted mean of ones
    assert np.isnan(bootstrap_ratios(np.array([]), np.empty((0, 1)), 100, rng)).all()


def test_revenue_weighted_nps_by_hand():
    classes, joined = _hand_example()
    w = revenue_weighted_nps(classes, joined, method="wald", n_resamples=2000).set_index("class")
    # A: passive 1200, detractor 800 -> 100 * (-800) / 2000 = -40; plain NPS -50
    assert w.loc["A", "weighted_nps"] == pytest.approx(-40.0)
    assert w.loc["A", "nps"] == pytest.approx(-50.0)
    # B: promoter 300, detractor 200, promoter 100 -> 100 * 200 / 600
    assert w.loc["B", "weighted_nps"] == pytest.approx(100 * 200 / 600)
    # all: promoters 300 + 100 + 10, detractors 800 + 200 + 50, total 2660
    assert w.loc["all", "weighted_nps"] == pytest.approx(100 * (410 - 1050) / 2660)
    assert w.loc["all", "nps"] == pytest.approx(100 * (3 - 3) / 7)
    assert (w["weighted_ci_low"] <= w["weighted_nps"] + 1e-9).all()
    assert (w["weighted_nps"] <= w["weighted_ci_high"] + 1e-9).all()


def test_weighted_equals_plain_when_revenues_are_equal():
    customers = pd.DataFrame({"customer_id": [f"x{i}" for i in range(20)], "annual_revenue": 7.0})
    classes = abc_classes(customers)
    scores = [0, 5, 7, 8, 9, 10, 10, 10, 3, 9, 9, 8, 6, 10, 2, 9, 7, 10, 9, 1]
    joined = join_responses(classes, pd.DataFrame({"respondent_id": customers["customer_id"],
                                                    "score": scores}))
    w = revenue_weighted_nps(classes, joined, n_resamples=500).set_index("class")
    assert w.loc["all", "weighted_nps"] == pytest.approx(w.loc["all", "nps"])
