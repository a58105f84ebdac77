"""Two-sample NPS comparisons: R reference values, simulation of the paired and overlap
variances, p-value adjustment and the minimum detectable change."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from nps_kit.core.compare import (
    NPSComparison,
    adjust_pvalues,
    compare_nps,
    compare_overlap,
    compare_paired,
    difference_arrays,
    min_detectable_change,
)
from nps_kit.errors import DataError, ParameterError
from nps_kit.design.power import detectable_change
from paths import REFERENCE

SCORE = np.array([-1.0, 0.0, 1.0])


@pytest.fixture(scope="module")
def r_two_sample() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "r_nps_two_sample.csv")


def test_matches_r_two_sample_reference(r_two_sample):
    assert len(r_two_sample) >= 4
    for row in r_two_sample.itertuples():
        x = (row.x_detractors, row.x_passives, row.x_promoters)
        y = (row.y_detractors, row.y_passives, row.y_promoters)
        res = compare_nps(x, y, method=row.method, confidence=row.confidence)
        # R reports |NPS_x - NPS_y| with an interval centred on it; ours is NPS_y - NPS_x.
        sign = -1.0 if res.estimate < 0 else 1.0
        low, high = sorted((sign * res.low / 100, sign * res.high / 100))
        assert abs(res.estimate) / 100 == pytest.approx(row.abs_delta, abs=1e-6)
        assert res.se / 100 == pytest.approx(row.se, abs=1e-6)
        assert res.p_value == pytest.approx(row.p_value, abs=1e-6)
        assert low == pytest.approx(row.low, abs=1e-6)
        assert high == pytest.approx(row.high, abs=1e-6)
        assert res.design == "independent"


def test_hand_computed_wald_difference():
    # wave 1: 20 d, 30 a, 50 p -> 0.30, v = 0.7 - 0.09 = 0.61; wave 2: 10, 30, 60 -> 0.50,
    # v = 0.7 - 0.25 = 0.45; se = sqrt(0.61/100 + 0.45/100) = sqrt(0.0106)
    res = compare_nps((20, 30, 50), (10, 30, 60), method="wald")
    se = np.sqrt(0.0106)
    assert res.delta == pytest.approx(20.0)
    assert res.se == pytest.approx(100 * se)
    assert res.z == pytest.approx(0.2 / se)
    assert res.p_value == pytest.approx(2 * norm.sf(0.2 / se))
    assert res.low == pytest.approx(100 * (0.2 - norm.ppf(0.975) * se))
    assert isinstance(res.summary, pd.DataFrame) and "<table" in res._repr_html_()


def test_adjusted_wald_centres_on_adjusted_difference_but_reports_observed_delta():
    res = compare_nps((20, 30, 50), (10, 30, 60))
    adjusted = (60.75 - 10.75) / 103 - (50.75 - 20.75) / 103
    assert res.delta == pytest.approx(20.0)
    assert res.estimate == pytest.approx(100 * adjusted)
    assert (res.low + res.high) / 2 == pytest.approx(100 * adjusted)


def test_result_is_frozen():
    res = compare_nps((1, 2, 3), (3, 2, 1))
    with pytest.raises(Exception):
        res.delta = 0.0  # type: ignore[misc]
    assert isinstance(res, NPSComparison)


def _paired_var(joint: np.ndarray, n: int) -> float:
    """Var(mean(t) - mean(s)) from a joint probability table, computed here directly."""
    i, j = np.indices((3, 3))
    diff = SCORE[j] - SCORE[i]
    mean = (joint * diff).sum()
    return ((joint * diff**2).sum() - mean**2) / n


def test_paired_formula_from_table_by_hand():
    table = np.array([[10, 2, 0], [3, 20, 9], [0, 4, 30]])
    n = table.sum()
    res = compare_paired(table, method="wald")
    assert res.design == "paired" and res.n_matched == n == res.n_1 == res.n_2
    assert res.se == pytest.approx(100 * np.sqrt(_paired_var(table / n, n)))
    indep = compare_nps(tuple(table.sum(axis=1)), tuple(table.sum(axis=0)), method="wald")
    assert res.delta == pytest.approx(indep.delta)
    assert res.se < indep.se  # opinions persist: positive covariance


def test_paired_variance_matches_monte_carlo():
    rng = np.random.default_rng(11)
    joint = np.array([[0.12, 0.06, 0.02], [0.05, 0.20, 0.10], [0.01, 0.06, 0.38]])
    n, reps = 200, 40_000
    draws = rng.multinomial(n, joint.ravel(), size=reps).reshape(reps, 3, 3)
    nps1 = (draws.sum(axis=2) @ SCORE) / n
    nps2 = (draws.sum(axis=1) @ SCORE) / n
    sim_sd = np.std(nps2 - nps1, ddof=1)
    # formula with the true table (expected counts) against the simulated spread
    res = compare_paired(joint * n, method="wald")
    assert res.se / 100 == pytest.approx(sim_sd, rel=0.02)
    assert res.se / 100 == pytest.approx(np.sqrt(_paired_var(joint, n)), rel=1e-9)
    # treating the panel as independent overstates the se
    indep = compare_nps(tuple(joint.sum(axis=1) * n), tuple(joint.sum(axis=0) * n), method="wald")
    assert indep.se / 100 > 1.3 * sim_sd
    # the estimated paired se from each replicate is unbiased enough on average
    est = difference_arrays(draws.sum(axis=2)[:2000], draws.sum(axis=1)[:2000], draws[:2000],
                            method="wald")
    assert np.mean(est["se"]) / 100 == pytest.approx(sim_sd, rel=0.03)


def test_overlap_variance_matches_monte_carlo():
    rng = np.random.default_rng(5)
    joint = np.array([[0.15, 0.05, 0.01], [0.04, 0.22, 0.08], [0.01, 0.05, 0.39]])
    m1, m2 = joint.sum(axis=1), joint.sum(axis=0)
    n1, n2, m, reps = 300, 250, 120, 40_000
    both = rng.multinomial(m, joint.ravel(), size=reps).reshape(reps, 3, 3)
    only1 = rng.multinomial(n1 - m, m1, size=reps)
    only2 = rng.multinomial(n2 - m, m2, size=reps)
    c1 = both.sum(axis=2) + only1
    c2 = both.sum(axis=1) + only2
    sim_sd = np.std(c2 @ SCORE / n2 - c1 @ SCORE / n1, ddof=1)
    v1 = m1 @ SCORE**2 - (m1 @ SCORE) ** 2
    v2 = m2 @ SCORE**2 - (m2 @ SCORE) ** 2
    cov = SCORE @ joint @ SCORE - (m1 @ SCORE) * (m2 @ SCORE)
    var = v1 / n1 + v2 / n2 - 2 * m * cov / (n1 * n2)
    assert np.sqrt(var) == pytest.approx(sim_sd, rel=0.02)
    # expected counts are fractional, so use the array form (compare_overlap wants whole counts)
    res = difference_arrays([m1 * n1], [m2 * n2], [joint * m], method="wald")
    assert res["design"][0] == "overlap"
    assert res["se"][0] / 100 == pytest.approx(np.sqrt(var), rel=1e-9)
    indep = difference_arrays([m1 * n1], [m2 * n2], None, method="wald")
    assert indep["se"][0] > res["se"][0]
    # and on one simulated replicate with whole counts, compare_overlap agrees with the arrays
    r0 = compare_overlap(tuple(c1[0]), tuple(c2[0]), both[0], method="wald")
    a0 = difference_arrays(c1[:1], c2[:1], both[:1], method="wald")
    assert r0.design == "overlap" and r0.se == pytest.approx(a0["se"][0])


def test_overlap_reduces_to_paired_and_independent():
    table = np.array([[8, 3, 1], [2, 15, 6], [1, 3, 25]])
    full = compare_overlap(tuple(table.sum(axis=1)), tuple(table.sum(axis=0)), table)
    paired = compare_paired(table)
    assert full.design == "paired"
    assert full.se == pytest.approx(paired.se) and full.low == pytest.approx(paired.low)
    none = compare_overlap((10, 20, 30), (12, 18, 25), np.zeros((3, 3)))
    indep = compare_nps((10, 20, 30), (12, 18, 25))
    assert none.design == "independent" and none.se == pytest.approx(indep.se)


def test_adjusted_paired_margins_get_one_sample_adjustment():
    table = np.array([[5, 1, 0], [1, 6, 2], [0, 1, 9]])
    res = compare_paired(table)
    rows, cols = table.sum(axis=1) + [0.75, 1.5, 0.75], table.sum(axis=0) + [0.75, 1.5, 0.75]
    expected = (cols[2] - cols[0]) / cols.sum() - (rows[2] - rows[0]) / rows.sum()
    assert res.estimate == pytest.approx(100 * expected)
    # an all-promoter panel still gets a non-degenerate interval
    all_p = compare_paired([[0, 0, 0], [0, 0, 0], [0, 0, 20]])
    assert all_p.se > 0 and all_p.low < 0 < all_p.high


def test_inconsistent_overlap_table_is_rejected():
    with pytest.raises(DataError, match="subset"):
        compare_overlap((5, 5, 5), (5, 5, 5), [[9, 0, 0], [0, 0, 0], [0, 0, 0]])
    with pytest.raises(DataError):
        compare_paired([[1, 2], [3, 4]])
    with pytest.raises(ParameterError, match="adjusted-wald"):
        compare_nps((1, 2, 3), (3, 2, 1), method="bootstrap")


def test_adjust_pvalues_holm_and_bh_by_hand():
    p = np.array([0.01, 0.04, 0.03, np.nan])
    holm = adjust_pvalues(p, "holm")
    # sorted 0.01, 0.03, 0.04 -> 3 x 0.01, max(0.03, 2 x 0.03), max(0.06, 1 x 0.04)
    assert holm[:3] == pytest.approx([0.03, 0.06, 0.06])
    assert np.isnan(holm[3])
    bh = adjust_pvalues(p, "fdr_bh")
    # BH: 0.01 * 3/1 = 0.03; 0.03 * 3/2 = 0.045; 0.04 * 3/3 = 0.04 -> monotone: 0.03, 0.04, 0.04
    assert bh[:3] == pytest.approx([0.03, 0.04, 0.04])
    with pytest.raises(ParameterError, match="holm"):
        adjust_pvalues(p, "bonferonni")


def test_min_detectable_change_agrees_with_power_module():
    shares1, shares2 = (0.2, 0.3, 0.5), (0.25, 0.35, 0.4)
    n = 400
    res = compare_nps(tuple(np.array(shares1) * n), tuple(np.array(shares2) * n), method="wald")
    ours = min_detectable_change(res.se, confidence=0.95, power=0.8)
    theirs = detectable_change(n, power=0.8, alpha=0.05, expected1=shares1, expected2=shares2)
    assert ours == pytest.approx(theirs, rel=1e-9)
    # a true change of exactly the MDC crosses the upper critical value with probability 0.8
    # (the lower tail adds about 1e-6 more)
    z = norm.ppf(0.975)
    assert norm.sf(z - ours / res.se) == pytest.approx(0.8, abs=1e-12)


@pytest.mark.parametrize("name", ["nps_kit.core.compare", "nps_kit.core.waveorder", "nps_kit.waves.channels",
                                  "nps_kit.waves.protocol"])
def test_docstring_examples(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("table, match", [
    ([[1, 2], [3, 4]], "shape \\(2, 2\\)"),
    ("not a table", "3 x 3 table of counts"),
    ([[1.5, 0, 0], [0, 0, 0], [0, 0, 1]], "whole numbers >= 0"),
    ([[1, -1, 0], [0, 0, 0], [0, 0, 1]], "whole numbers >= 0"),
])
def test_bad_panel_tables_are_data_errors(table, match):
    with pytest.raises(DataError, match=match):
        compare_paired(table)


@pytest.mark.parametrize("table, match", [
    ([[1, 2], [3, 4]], "give 3 x 3 numbers"),
    ([[0] * 3] * 3, "positive total"),
    ([[0.1, -0.1, 0], [0, 0.5, 0], [0, 0, 0.5]], "numbers >= 0"),
])
def test_bad_planning_transitions_are_parameter_errors(table, match):
    from nps_kit.design.power import transition_table

    with pytest.raises(ParameterError, match=match):
        transition_table(table)
    assert transition_table([[2, 1, 0], [0, 1, 0], [0, 0, 4]]).sum() == pytest.approx(1.0)


def test_p_values_and_adjustments_match_scipy_and_statsmodels():
    # computed in numpy and the standard library so that comparing imports neither
    from scipy.stats import norm
    from statsmodels.stats.multitest import multipletests

    from nps_kit.core.compare import adjust_pvalues, two_sided_p

    rng = np.random.default_rng(1)
    z = rng.normal(0, 3, 500)
    assert np.allclose(two_sided_p(z), 2 * norm.sf(np.abs(z)), rtol=0, atol=1e-14)
    for _ in range(300):
        p = rng.random(int(rng.integers(1, 15))) ** rng.uniform(0.3, 3)
        p[-1] = p[0]  # ties
        for method in ("holm", "fdr_bh"):
            assert np.allclose(adjust_pvalues(p, method), multipletests(p, method=method)[1],
                               rtol=0, atol=1e-12)
