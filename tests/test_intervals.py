"""One-sample intervals against the R package NPS, closed forms and simulation."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nps_kit.errors import ParameterError
from nps_kit.core.intervals import METHODS, bayes_moments, interval_arrays, nps_interval, nps_variance
from paths import REFERENCE

REF = pd.read_csv(REFERENCE / "r_nps_one_sample.csv")


@pytest.mark.parametrize("row", REF.to_dict("records"), ids=lambda r: f"{r['method']}-{r['detractors']}-{r['passives']}-{r['promoters']}-{r['confidence']}")
def test_matches_r_package(row):
    r = nps_interval((row["detractors"], row["passives"], row["promoters"]),
                     method=row["method"], confidence=row["confidence"])
    low, high = np.clip(row["low"], -1, 1), np.clip(row["high"], -1, 1)
    observed = (row["promoters"] - row["detractors"]) / (
        row["detractors"] + row["passives"] + row["promoters"])
    if not low <= observed <= high:
        # R's interval misses the observed NPS (adjusted Wald at n = 1): the kit prints Tango's
        # score interval instead, says so, and holds the observed value
        assert r.method == "score" and r.low <= r.nps <= r.high
        return
    # R reports on -1..1 without clamping; the kit clamps and reports points.
    assert r.method == row["method"]
    assert r.low == pytest.approx(100 * low, abs=1e-4)
    assert r.high == pytest.approx(100 * high, abs=1e-4)


def test_reference_covers_edge_counts():
    # the reference file includes degenerate tables; make sure the test above exercised them
    assert ((REF.detractors == 0) | (REF.promoters == 0) | (REF.passives == 0)).any()


def test_r_bundled_dataset_se():
    # R NPS package data set: counts by score 0..10, NPS 0.1, variance 0.814, se 0.0285306852
    by_score = [74, 10, 22, 35, 40, 140, 41, 57, 119, 227, 235]
    c = (sum(by_score[:7]), sum(by_score[7:9]), sum(by_score[9:]))
    r = nps_interval(c, method="wald")
    assert r.nps == pytest.approx(10.0)
    assert float(nps_variance(*c)) == pytest.approx(0.814)
    assert r.se == pytest.approx(2.85306852, abs=1e-8)


@pytest.mark.parametrize("c,expected", [((1, 2, 3), 5 / 9), ((1, 0, 1), 1.0), ((0, 1, 1), 0.25),
                                        ((1, 1, 1), 2 / 3), ((0, 5, 0), 0.0), ((7, 0, 0), 0.0)])
def test_variance_r_unit_tests(c, expected):
    assert float(nps_variance(*c)) == pytest.approx(expected)


def test_adjusted_wald_by_hand():
    r = nps_interval((362, 176, 462))
    d, p = 362.75 / 1003, 462.75 / 1003
    v = p + d - (p - d) ** 2
    half = 1.959963984540054 * np.sqrt(v / 1003)
    assert r.nps == pytest.approx(10.0)
    assert r.low == pytest.approx(100 * (p - d - half))
    assert r.high == pytest.approx(100 * (p - d + half))
    assert r.se == pytest.approx(100 * np.sqrt(v / 1003))


def test_bayes_moments_closed_form_against_draws():
    c = (12, 30, 58)
    mean, var = bayes_moments(*c, prior=0.5)
    rng = np.random.default_rng(1)
    theta = rng.dirichlet(np.array(c) + 0.5, size=400_000)
    diff = theta[:, 2] - theta[:, 0]
    assert float(mean) == pytest.approx(diff.mean(), abs=2e-3)
    assert float(var) == pytest.approx(diff.var(), rel=1e-2)
    r = nps_interval(c, method="bayes", confidence=0.9, n_resamples=100_000)
    assert r.se == pytest.approx(100 * np.sqrt(float(var)))
    q = np.quantile(diff, [0.05, 0.95]) * 100
    assert r.low == pytest.approx(q[0], abs=0.25) and r.high == pytest.approx(q[1], abs=0.25)


def test_bayes_uniform_prior_changes_result():
    a = nps_interval((1, 1, 8), method="bayes", prior=0.5)
    b = nps_interval((1, 1, 8), method="bayes", prior=1.0)
    assert a.low != b.low


def test_bootstrap_converges_to_wald_at_large_n():
    c = (36_200, 17_600, 46_200)
    w = nps_interval(c, method="wald")
    b = nps_interval(c, method="bootstrap", seed=3, n_resamples=20_000)
    assert b.se == pytest.approx(w.se, rel=0.03)
    assert b.low == pytest.approx(w.low, abs=0.05)
    assert b.high == pytest.approx(w.high, abs=0.05)


def test_resampling_is_reproducible_and_seed_dependent():
    for method in ("bootstrap", "bayes"):
        a = nps_interval((20, 30, 50), method=method, seed=7)
        b = nps_interval((20, 30, 50), method=method, seed=7)
        c = nps_interval((20, 30, 50), method=method, seed=8)
        assert (a.low, a.high, a.se) == (b.low, b.high, b.se)
        # limits of a bootstrap sit on a lattice of 1/n steps and may coincide; the sd does not
        assert a.se != c.se if method == "bootstrap" else (a.low, a.high) != (c.low, c.high)


def test_wald_degenerate_at_edge_and_adjusted_is_not():
    w = nps_interval((0, 0, 20), method="wald")
    assert w.low == w.high == 100.0
    aw = nps_interval((0, 0, 20))
    assert aw.low < 100.0 and aw.high == 100.0


def test_empty_counts_give_nan():
    r = nps_interval((0, 0, 0))
    assert np.isnan(r.nps) and np.isnan(r.low) and r.n == 0


def test_unknown_method_lists_valid_ones():
    with pytest.raises(ParameterError, match="adjusted-wald"):
        nps_interval((1, 2, 3), method="exact")


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.1, "high"])
def test_bad_confidence(bad):
    with pytest.raises(ParameterError, match="confidence"):
        nps_interval((1, 2, 3), confidence=bad)


def test_result_object_is_frozen_and_has_summary():
    r = nps_interval((10, 20, 30), method="score", confidence=0.9)
    with pytest.raises(AttributeError):
        r.nps = 5  # type: ignore[misc]
    assert list(r.summary.columns[:4]) == ["n", "detractors", "passives", "promoters"]
    assert "<table" in r._repr_html_()
    assert "90% CI" in str(r)


def test_scores_and_counts_agree():
    scores = [0, 6, 7, 8, 9, 10, 10, 3]
    assert nps_interval(scores) == nps_interval((3, 2, 3))


counts_st = st.tuples(*(st.integers(0, 400),) * 3).filter(lambda c: sum(c) > 0)


@settings(max_examples=150, deadline=None)
@given(c=counts_st, method=st.sampled_from(METHODS), conf=st.floats(0.5, 0.995))
def test_bounds_and_order(c, method, conf):
    r = nps_interval(c, method=method, confidence=conf, n_resamples=500)
    assert -100.0 <= r.low <= r.high <= 100.0
    assert -100.0 <= r.nps <= 100.0
    assert r.se >= 0


@settings(max_examples=150, deadline=None)
@given(c=counts_st, method=st.sampled_from(["wald", "score", "adjusted-wald"]), conf=st.floats(0.5, 0.995))
def test_interval_contains_estimate(c, method, conf):
    # every printed interval holds the observed NPS: wald and score by construction; adjusted
    # Wald is centred on 100 (p - d) / (n + 3), so at the edges and low confidence (30 promoters
    # of 30 at 50 %) it can miss the observed NPS, and Tango's score interval is given instead
    r = nps_interval(c, method=method, confidence=conf)
    assert r.low - 1e-9 <= r.nps <= r.high + 1e-9
    if method == "adjusted-wald" and r.method == "adjusted-wald":
        d, _, p = c
        centre = 100 * (p - d) / (sum(c) + 3)
        assert r.low - 1e-9 <= centre <= r.high + 1e-9
    assert r.method in (method, "score")


@settings(max_examples=60, deadline=None)
@given(c=counts_st, conf=st.floats(0.5, 0.99), higher=st.floats(0.001, 0.009))
def test_higher_confidence_is_wider(c, conf, higher):
    for method in ("wald", "adjusted-wald", "score"):
        a = nps_interval(c, method=method, confidence=conf)
        b = nps_interval(c, method=method, confidence=conf + higher)
        assert b.low <= a.low + 1e-9 and b.high >= a.high - 1e-9


@settings(max_examples=60, deadline=None)
@given(c=counts_st)
def test_mirror_symmetry(c):
    # swapping detractors and promoters mirrors the estimate and interval
    d, a, p = c
    for method in ("wald", "adjusted-wald", "score"):
        r = nps_interval((d, a, p), method=method)
        m = nps_interval((p, a, d), method=method)
        assert m.nps == pytest.approx(-r.nps, abs=1e-9)
        assert m.low == pytest.approx(-r.high, abs=1e-6)
        assert m.high == pytest.approx(-r.low, abs=1e-6)


def test_vectorised_equals_one_at_a_time():
    rng = np.random.default_rng(0)
    c = rng.integers(0, 50, size=(40, 3))
    for method in METHODS:
        many = interval_arrays(c[:, 0], c[:, 1], c[:, 2], method, 0.95, seed=5, n_resamples=500)
        if method in ("bootstrap", "bayes"):
            continue  # one stream of random numbers serves all groups; checked for bounds above
        for i in (0, 17, 39):
            one = nps_interval(tuple(c[i]), method=method)
            assert many["low"][i] == pytest.approx(one.low)
            assert many["high"][i] == pytest.approx(one.high)
