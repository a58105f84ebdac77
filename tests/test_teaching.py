"""Tests of nps_kit.teaching: the simulations behind the teaching notebooks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from nps_kit import teaching as t
from nps_kit.teaching import pitfalls as t_pitfalls
from nps_kit.design.sample_size import nps_margin
from nps_kit.errors import ParameterError
from nps_kit.engines.dispatch import read_responses, read_table
from nps_kit.core.scores import mean_score, nps


# ----------------------------------------------------------------------------- basics
def test_mean_rises_while_nps_falls_by_hand():
    data = t.mean_rises_nps_falls(n=100)
    before = data.loc[data["wave"] == "before", "score"]
    after = data.loc[data["wave"] == "after", "score"]
    # before: 20 x 0, 20 x 7, 60 x 10 -> mean 7.4, NPS 60 - 20 = 40
    assert mean_score(before) == pytest.approx(7.4)
    assert nps(before) == pytest.approx(40.0)
    # after: 25 x 6, 20 x 8, 55 x 9 -> mean 8.05, NPS 55 - 25 = 30
    assert mean_score(after) == pytest.approx(8.05)
    assert nps(after) == pytest.approx(30.0)
    stats = t.score_statistics(data).set_index("wave")
    assert stats.loc["after", "mean"] > stats.loc["before", "mean"]
    assert stats.loc["after", "nps"] < stats.loc["before", "nps"]
    assert stats.loc["before", "promoter_share"] == pytest.approx(0.6)


def test_scores_from_distribution_exact_counts():
    s = t.scores_from_distribution({0: 1 / 3, 5: 1 / 3, 10: 1 / 3}, 10)
    assert len(s) == 10
    assert sorted(np.bincount(s.astype(int), minlength=11)[[0, 5, 10]].tolist()) == [3, 3, 4]
    with pytest.raises(ParameterError):
        t.scores_from_distribution({11: 1.0}, 5)
    with pytest.raises(ParameterError):
        t.scores_from_distribution({3: 0.5}, 5)


# ----------------------------------------------------------------------------- precision
def test_simulated_margin_matches_closed_form_with_fpc():
    # worst case (half promoters, half detractors), 3,000 people, 1,142 sampled, 99 %
    sim = t.simulated_margin(3000, 1142, (0.5, 0.0, 0.5), 0.99, n_sim=20_000, seed=1)
    closed = nps_margin(1142, 0.99, 3000)
    assert sim == pytest.approx(closed, rel=0.05)
    # without the finite population correction the margin would be clearly larger
    assert nps_margin(1142, 0.99, None) > sim * 1.15


def test_population_counts_add_up():
    assert t.population_counts(7, (0.25, 0.35, 0.40)).sum() == 7


# ----------------------------------------------------------------------------- coverage
@pytest.fixture(scope="module")
def small_study():
    return t.coverage_study(ns=(10, 2000), true_shares={"edge": (0.02, 0.08, 0.90), "mid": (0.25, 0.35, 0.40)},
                            methods=("wald", "adjusted-wald", "score", "bootstrap", "bayes"),
                            n_sim=2000, seed=3, n_sim_resampling=300, n_resamples=300)


def test_wald_undercovers_at_small_n_near_the_edge(small_study):
    s = small_study.set_index(["scenario", "n", "method"])["coverage"]
    # Wald at n = 10 with 90 % promoters: all-promoter samples (0.9^10 = 35 %) give a zero-width
    # interval that misses the truth, so coverage is at most about 65 %
    assert s[("edge", 10, "wald")] < 0.75
    assert s[("edge", 10, "wald")] == pytest.approx(1 - 0.9**10 - 0.02, abs=0.08)
    assert abs(s[("mid", 2000, "adjusted-wald")] - 0.95) < 0.015
    assert abs(s[("edge", 2000, "adjusted-wald")] - 0.95) < 0.015
    assert s[("edge", 10, "adjusted-wald")] > 0.85


def test_coverage_study_shape_and_columns(small_study):
    assert len(small_study) == 2 * 2 * 5
    assert set(small_study["method"]) == {"wald", "adjusted-wald", "score", "bootstrap", "bayes"}
    res = small_study[small_study["method"].isin(["bootstrap", "bayes"])]
    assert (res["n_sim"] == 300).all() and (res["n_resamples"] == 300).all()
    closed = small_study[small_study["method"] == "wald"]
    assert (closed["n_sim"] == 2000).all() and (closed["n_resamples"] == 0).all()
    np.testing.assert_allclose(small_study["coverage"] + small_study["miss_low"] + small_study["miss_high"], 1.0)
    assert sorted(small_study["true_nps"].unique()) == pytest.approx([15.0, 88.0])


def test_coverage_study_reproducible_and_seed_sensitive():
    kw = dict(ns=(20,), true_shares=[(0.3, 0.3, 0.4)], methods=("wald", "bootstrap"), n_sim=200,
              n_sim_resampling=100, n_resamples=200)
    a = t.coverage_study(seed=5, **kw)
    b = t.coverage_study(seed=5, **kw)
    c = t.coverage_study(seed=6, **kw)
    pd.testing.assert_frame_equal(a, b)
    assert not a["mean_width"].equals(c["mean_width"])
    assert a["scenario"].iloc[0] == "30%/30%/40%"


def test_coverage_verdict_and_conclusions(small_study):
    v = t.coverage_verdict(small_study, tolerance=0.02).set_index("method")
    assert not v.loc["wald", "near_nominal_everywhere"]
    assert v.loc["wald", "worst_scenario"] == "edge" and v.loc["wald", "worst_n"] == 10
    assert v.loc["wald", "stable_from_n"] == 2000
    assert v.loc["adjusted-wald", "band"] == pytest.approx(0.02 + 2 * np.sqrt(0.95 * 0.05 / 2000))
    text = t.coverage_conclusions(small_study)
    assert len(text) == 6
    assert any(s.startswith("wald: lowest coverage") and "from n = 2,000 on" in s for s in text)


def test_coverage_options_checked():
    with pytest.raises(ParameterError, match="method"):
        t.coverage_study(ns=(10,), methods=("walt",), n_sim=10)
    with pytest.raises(ParameterError):
        t.coverage_study(ns=(10,), true_shares=[(0.5, 0.5, 0.5)], n_sim=10)


# ----------------------------------------------------------------------------- pitfalls
def test_latent_score_nps_matches_simulation():
    rng = np.random.default_rng(0)
    raw = np.clip(np.rint(7.6 + 1.5 * rng.standard_normal(400_000) + rng.normal(0, 0.9, 400_000)), 0, 10)
    sim = 100 * ((raw >= 9).mean() - (raw <= 6).mean())
    assert t.latent_score_nps() == pytest.approx(sim, abs=0.5)


def test_email_only_is_biased_up_and_phone_follow_up_reduces_it():
    res = t.simulate_email_only_bias(invited=800, n_sim=300, seed=2)
    email = res.bias("e-mail only")
    pooled = res.bias("e-mail + phone, pooled")
    weighted = res.bias("e-mail + phone, weighted")
    assert email > 15  # loyal customers answer the e-mail
    assert 0 < pooled < email
    assert abs(weighted) < abs(pooled) / 2
    assert abs(res.bias("everyone invited")) < 0.6  # only sampling error
    # without loyalty in the phone answer, the weighted estimate is unbiased
    flat = t.simulate_email_only_bias(invited=800, n_sim=300, seed=2, phone_slope=0.0)
    se = flat.summary.set_index("estimator").loc["e-mail + phone, weighted", "sd"] / np.sqrt(300)
    assert abs(flat.bias("e-mail + phone, weighted")) < 4 * se + 0.3
    # without loyalty in the e-mail answer there is nothing to correct
    none = t.simulate_email_only_bias(invited=800, n_sim=300, seed=2, email_slope=0.0, phone_slope=0.0)
    assert abs(none.bias("e-mail only")) < 1.0


def test_nonresponse_rules_on_hand_data():
    df = pd.DataFrame({"wave": ["a"] * 5 + ["b"] * 4, "score": [10, 9, 3, None, None, 10, 7, 2, None]})
    wide = t.nonresponse_rules(df, shape="wide", method="wald").set_index("wave")
    # wave a: exclude -> (2 - 1) / 3; detractor -> (2 - 3) / 5
    assert wide.loc["a", "nps_exclude"] == pytest.approx(100 / 3)
    assert wide.loc["a", "nps_detractor"] == pytest.approx(-20.0)
    assert wide.loc["a", "gap"] == pytest.approx(-20 - 100 / 3)
    assert wide.loc["b", "nonrespondents"] == 1
    long = t.nonresponse_rules(df, shape="long")
    assert sorted(set(long["nonresponse"])) == ["detractor", "exclude"]
    overall = t.nonresponse_rules(df, by=None, shape="wide", rules=("exclude", "passive"))
    assert overall["nps_passive"].iloc[0] == pytest.approx(100 * (3 - 2) / 9)
    with pytest.raises(ParameterError):
        t.nonresponse_rules(df, shape="tall")


def test_measured_vs_truth_on_demo_data():
    r = read_responses("demo:responses.csv", score="score", id="respondent_id", wave="wave").data
    c = read_table("demo:customers.csv")
    table = t.measured_vs_truth(r, c).set_index("wave")
    assert table.loc["2025-H1", "channels"] == "email"
    assert table.loc["2024-H1", "channels"] == "email, phone"
    # e-mail only overstates the truth every wave, most in the e-mail-only wave
    assert (table["gap"] > 0).all()
    assert table["gap"].idxmax() == "2025-H1"
    # the measured change into the changed wave has the wrong sign
    assert table.loc["2025-H1", "measured_change"] > 5 > 0 > table.loc["2025-H1", "true_change"]
    # the e-mail-only figure of the changed wave is its measured figure
    assert table.loc["2025-H1", "email_nps"] == pytest.approx(table.loc["2025-H1", "measured_nps"])


def test_incentive_inflation_moves_reported_not_true():
    res = t.incentive_inflation(n_per_wave=4000, shares=(0.2, 0.4, 0.4), push=0.5, n_waves=6,
                                incentive_from=4, seed=1)
    w = res.waves
    np.testing.assert_allclose(w["true_nps"], 20.0)
    np.testing.assert_allclose(w.loc[~w["incentive"], "reported_nps"], w.loc[~w["incentive"], "honest_nps"])
    # 100 x push x passive share = 20 points expected
    assert res.expected_jump == pytest.approx(20.0, abs=0.5)
    assert res.measured_jump == pytest.approx(20.0, abs=3.0)
    honest_shift = w.loc[w["incentive"], "honest_nps"].mean() - w.loc[~w["incentive"], "honest_nps"].mean()
    assert abs(honest_shift) < 3.0
    none = t.incentive_inflation(push=0.0, seed=1)
    np.testing.assert_allclose(none.waves["reported_nps"], none.waves["honest_nps"])
    with pytest.raises(ParameterError):
        t.incentive_inflation(incentive_from=20)


def test_small_sample_swings_against_theory():
    res = t.small_sample_swings(n_per_wave=50, n_waves=8, shares=(0.25, 0.35, 0.40), n_series=2000, seed=4)
    v = 0.40 + 0.25 - 0.15**2
    assert res.expected_sd == pytest.approx(100 * np.sqrt(v / 50))
    assert res.sd == pytest.approx(res.expected_sd, rel=0.05)
    # change of two independent waves: sd sqrt(2) x expected_sd; P(|change| >= 10) from the normal
    p_big = 2 * norm.sf(10 / (np.sqrt(2) * res.expected_sd))
    assert res.share_big_changes == pytest.approx(p_big, abs=0.05)
    assert res.share_big_changes > 0.4
    assert res.share_significant == pytest.approx(0.05, abs=0.02)
    assert res.share_with_trend > 0.1
    big = t.small_sample_swings(n_per_wave=5000, n_series=300, seed=4)
    assert big.share_big_changes < 0.01


def test_has_run():
    signs = np.array([[1, 1, 1, -1], [1, -1, 1, -1], [0, 0, 0, 1], [-1, -1, -1, -1]])
    assert t_pitfalls._has_run(signs, 3).tolist() == [True, False, False, True]


def test_same_seed_same_numbers():
    a = t.simulate_email_only_bias(invited=200, n_sim=20, seed=9).summary
    b = t.simulate_email_only_bias(invited=200, n_sim=20, seed=9).summary
    pd.testing.assert_frame_equal(a, b)
