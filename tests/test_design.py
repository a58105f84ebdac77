"""Sample size, margins, change detection and fieldwork planning (nps_kit.design.sample_size, .power, .fieldwork).

Known values are derived by hand in the comments next to each assertion; published calculator
figures are cited where they are used.
"""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nps_kit.design.sample_size import (
    anticipated_variance,
    apply_fpc,
    as_fraction,
    as_shares,
    classic_margin,
    classic_sample_size,
    critical_value,
    fpc_factor,
    margin_curve,
    nps_margin,
    nps_sample_size,
    parse_shares,
    plan_sample_size,
    size_table,
)
from nps_kit.errors import ParameterError
from nps_kit.design.fieldwork import allocate_segments, fieldwork_advice, invitations, questionnaire
from nps_kit.core.intervals import nps_interval
from nps_kit.design.power import (
    change_power,
    change_sample_size,
    change_table,
    detectable_change,
    difference_variance,
    power_curve,
    transition_table,
)

# --------------------------------------------------------------------------- classic calculator


def test_classic_infinite_population_95_5():
    # exact z = 1.959964: n0 = 1.959964^2 * 0.25 / 0.0025 = 384.146 -> 385
    assert classic_sample_size(5, 0.95).n == 385
    # rounded z = 1.96: n0 = 3.8416 * 0.25 / 0.0025 = 384.16 -> 385
    r = classic_sample_size(5, 0.95, z=1.96)
    assert r.n0 == pytest.approx(384.16)
    assert r.n == 385


@pytest.mark.parametrize("fpc", ["cochran", "surveymonkey"])
def test_raosoft_and_creative_research_systems_example(fpc):
    # Raosoft (raosoft.com/samplesize.html) and Creative Research Systems (surveysystem.com/sscalc.htm)
    # report 377 for a population of 20,000 at 95 % and +-5 %.
    # Cochran:      384.16 / (1 + 383.16 / 20000) = 384.16 / 1.019158 = 376.94 -> 377
    # SurveyMonkey: 384.16 / (1 + 384.16 / 20000) = 384.16 / 1.019208 = 376.92 -> 377
    # Both forms give 377 here, with the exact z too (384.146 / 1.019157 = 376.93).
    assert classic_sample_size(5, 0.95, 20000, fpc=fpc).n == 377
    assert classic_sample_size(5, 0.95, 20000, z=1.96, fpc=fpc).n == 377


def test_rounded_z_and_the_two_corrections_differ():
    # Population 3,000, 99 %, +-3 %.
    # z = 2.58: n0 = 2.58^2 * 0.25 / 0.03^2 = 6.6564 * 0.25 / 0.0009 = 1849 (exactly; floating point
    # gives 1849.0000000000002, which must not round up to 1850).
    assert classic_sample_size(3, 0.99, z=2.58).n == 1849
    # Cochran:      1849 / (1 + 1848 / 3000) = 1849 / 1.616     = 1144.18 -> 1145
    # SurveyMonkey: 1849 / (1 + 1849 / 3000) = 1849 / 1.6163333 = 1143.95 -> 1144
    assert classic_sample_size(3, 0.99, 3000, z=2.58, fpc="cochran").n == 1145
    assert classic_sample_size(3, 0.99, 3000, z=2.58, fpc="surveymonkey").n == 1144
    # exact z = 2.575829: n0 = 6.634897 * 0.25 / 0.0009 = 1843.03;
    # Cochran 1843.03 / 1.614009 = 1141.89 -> 1142; SurveyMonkey 1843.03 / 1.614342 = 1141.66 -> 1142
    assert classic_sample_size(3, 0.99, 3000, fpc="cochran").n == 1142
    assert classic_sample_size(3, 0.99, 3000, fpc="surveymonkey").n == 1142


def test_exact_versus_rounded_z_99_percent():
    # Infinite population, 99 %, +-5 %: exact z gives 6.634897 * 0.25 / 0.0025 = 663.49 -> 664,
    # the rounded z = 2.58 gives 665.64 -> 666 (the figure in many printed tables).
    assert classic_sample_size(5, 0.99).n == 664
    assert classic_sample_size(5, 0.99, z=2.58).n == 666
    assert critical_value(0.99) == pytest.approx(2.5758293, abs=1e-7)
    assert critical_value(0.99, z=2.58) == 2.58


def test_raosoft_margins_for_given_samples():
    # Raosoft's calculator shows, for a population of 20,000 at 95 %: 100, 200, 300 respondents give
    # margins of 9.78 %, 6.89 %, 5.62 %. By hand: 1.96 * sqrt(0.25 / 100) * sqrt(19900 / 19999)
    # = 0.098 * 0.99752 = 9.776 %.
    m = classic_margin([100, 200, 300], 0.95, 20000)
    assert np.round(m, 2).tolist() == [9.78, 6.89, 5.62]


@settings(max_examples=60, deadline=None)
@given(
    margin=st.floats(1, 20),
    confidence=st.floats(0.8, 0.995),
    population=st.integers(2, 200_000),
    fpc=st.sampled_from(["cochran", "surveymonkey"]),
)
def test_margin_is_the_exact_inverse_of_the_size(margin, confidence, population, fpc):
    # The size is the smallest n whose margin (with the matching correction) meets the target.
    n = classic_sample_size(margin, confidence, population, fpc=fpc).n
    assert 1 <= n <= population
    assert classic_margin(n, confidence, population, fpc=fpc) <= margin + 1e-7
    if n > 1:
        assert classic_margin(n - 1, confidence, population, fpc=fpc) > margin - 1e-7


def test_fpc_forms():
    # n0 = 400, N = 1000: Cochran 400 / (1 + 399/1000) = 285.92; SurveyMonkey 400 / 1.4 = 285.71
    assert apply_fpc(400, 1000, "cochran") == pytest.approx(400 / 1.399)
    assert apply_fpc(400, 1000, "surveymonkey") == pytest.approx(400 / 1.4)
    assert apply_fpc(400, None) == 400
    assert fpc_factor(1000, 1000).item() == 0.0
    assert fpc_factor(10, None).item() == 1.0
    with pytest.raises(ParameterError, match="fpc='exact' is not a valid option.*'cochran'"):
        apply_fpc(400, 1000, "exact")
    with pytest.raises(ParameterError, match="exceeds the population"):
        fpc_factor(1001, 1000)


# --------------------------------------------------------------------------- NPS sizes and margins


def test_methods_worked_example_3_percent_is_6_points():
    # METHODS.md: a sample sized "for +-3 %" gives roughly +-6 NPS points in the worst case.
    # Classic: 1.959964^2 * 0.25 / 0.0009 = 1067.07 -> 1068; NPS margin = 1.959964 / sqrt(1068) = 5.997.
    plan = plan_sample_size(None, 0.95, 3)
    assert plan.classic_n == 1068
    assert plan.nps_margin_at_classic_n == pytest.approx(100 * 1.959964 / math.sqrt(1068), abs=1e-4)
    assert round(plan.nps_margin_at_classic_n) == 6
    # and +-3 NPS points need 1.959964^2 / 0.0009 = 4268.29 -> 4269 respondents: about 4x
    assert plan.nps_n == 4269
    assert nps_sample_size(3, 0.95).n0 == pytest.approx(4 * classic_sample_size(3, 0.95).n0)


def test_nps_size_with_anticipated_shares_and_previous_counts():
    # shares (0.2, 0.3, 0.5): v = 0.5 + 0.2 - 0.3^2 = 0.61
    assert anticipated_variance((0.2, 0.3, 0.5)) == pytest.approx(0.61)
    # z = 1.96, +-5 points: n0 = 3.8416 * 0.61 / 0.0025 = 937.35 -> 938
    assert nps_sample_size(5, 0.95, expected=(0.2, 0.3, 0.5), z=1.96).n == 938
    # percentages and counts give the same shares
    assert nps_sample_size(5, 0.95, expected=(20, 30, 50), z=1.96).n == 938
    # previous wave counts (362, 176, 462): v = 0.824 - 0.1^2 = 0.814;
    # 3.8416 * 0.814 / 0.0025 = 1250.82 -> 1251
    assert anticipated_variance((362, 176, 462)) == pytest.approx(0.814)
    assert nps_sample_size(5, 0.95, expected=(362, 176, 462), z=1.96).n == 1251


def test_nps_size_with_population():
    # worst case, +-5 points, 95 %, z = 1.96: n0 = 3.8416 / 0.0025 = 1536.64;
    # N = 3000 (Cochran): 1536.64 / (1 + 1535.64 / 3000) = 1536.64 / 1.51188 = 1016.38 -> 1017
    r = nps_sample_size(5, 0.95, 3000, z=1.96)
    assert r.n == 1017
    assert r.achieved_margin <= 5
    # a population of 50 cannot give more than 50 respondents
    assert nps_sample_size(1, 0.95, 50).n <= 50


@pytest.mark.parametrize("method", ["wald", "adjusted-wald"])
def test_margin_matches_the_interval_module(method):
    # The planned margin at n with the observed shares is the half-width the kit will report.
    counts = (362, 176, 462)
    ci = nps_interval(counts, method=method, confidence=0.95)
    half = (ci.high - ci.low) / 2
    assert nps_margin(1000, 0.95, expected=counts, method=method) == pytest.approx(half, rel=1e-12)


@pytest.mark.parametrize("expected", [None, (0.2, 0.3, 0.5), (0.05, 0.15, 0.8)])
@pytest.mark.parametrize("population", [None, 2500])
def test_adjusted_wald_size_is_smallest_n_meeting_target(expected, population):
    r = nps_sample_size(4, 0.95, population, expected=expected, method="adjusted-wald")
    assert r.achieved_margin <= 4 + 1e-9
    before = nps_margin(r.n - 1, 0.95, population, expected=expected, method="adjusted-wald")
    assert before > 4
    # close to the Wald size (the adjustment adds 3 pseudo-respondents)
    wald = nps_sample_size(4, 0.95, population, expected=expected).n
    assert abs(r.n - wald) <= 10


def test_margin_coverage_by_simulation_with_finite_population():
    # Draw samples without replacement from a population of 3,000 (600 detractors, 900 passives,
    # 1500 promoters: NPS 30) at the planned size for +-5 points (Cochran's correction) and check
    # that the estimate falls within the planned margin about 95 % of the time.
    # 20,000 samples: the binomial sd of the share is sqrt(.95 * .05 / 20000) = 0.0015; allow 0.01
    # for that and the normal approximation.
    pop = np.array([600, 900, 1500])
    plan = nps_sample_size(5, 0.95, 3000, expected=pop)
    rng = np.random.default_rng(20240501)
    draws = rng.multivariate_hypergeometric(pop, plan.n, size=20_000)
    est = 100 * (draws[:, 2] - draws[:, 0]) / plan.n
    within = np.mean(np.abs(est - 30) <= plan.achieved_margin)
    assert within == pytest.approx(0.95, abs=0.01)
    # without the correction the same n would claim a wider margin than it achieves
    assert nps_margin(plan.n, 0.95, None, expected=pop) > plan.achieved_margin


def test_margin_curve_and_size_table():
    curve = margin_curve(np.arange(50, 2001, 50), 0.95, 3000, expected=(0.2, 0.3, 0.5))
    assert set(curve["scenario"]) == {"worst case", "anticipated shares"}
    assert set(curve["method"]) == {"wald", "adjusted-wald"}
    worst = curve[(curve["scenario"] == "worst case") & (curve["method"] == "wald")]
    assert worst["margin"].is_monotonic_decreasing
    # the NPS margin in the worst case is twice the proportion margin (sqrt(1) vs sqrt(1/4))
    np.testing.assert_allclose(worst["margin"], 2 * worst["classic_margin"])
    table = size_table(3000, 0.95, [3, 5, 10])
    assert list(table.columns) == ["margin", "classic_n", "nps_n", "nps_n_adjusted_wald", "nps_n_worst_case",
                                   "nps_margin_at_classic_n"]
    assert (table["nps_n"] > table["classic_n"]).all()
    assert table["nps_n"].is_monotonic_decreasing


def test_plan_invitations_and_outputs():
    plan = plan_sample_size(3000, 0.95, 5, response_rate=30)
    # nps_n (worst case, exact z): 1536.58 / (1 + 1535.58 / 3000) = 1016.4 -> 1017; / 0.3 = 3390
    assert plan.nps_n == 1017
    assert plan.invitations == 3390
    d = plan.to_dict()
    for key in ("classic_n", "nps_n", "nps_margin_at_classic_n", "invitations", "population", "confidence",
                "margin", "expected_shares", "response_rate", "z", "fpc"):
        assert key in d
    # 3,000 people at 30 % give at most 900 answers: the plan cannot be reached, and says so
    assert not plan.feasible and plan.reachable_n == 900
    assert plan.reachable_margin == pytest.approx(nps_margin(900, 0.95, 3000))
    text = " ".join(plan.sentences())
    assert "at most 900 people" in text and f"+-{plan.reachable_margin:.0f} NPS points" in text
    assert "sampling error only" in text and "Manski" in text
    assert "classic_n" in plan.summary["figure"].tolist()
    assert "<table" in plan._repr_html_()


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: nps_sample_size(0, 0.95), "margin=0 is out of range"),
        (lambda: nps_sample_size(101, 0.95), "margin=101 is out of range"),
        (lambda: nps_sample_size(3, 1.5), "confidence=1.5 must lie strictly between 0 and 1"),
        (lambda: nps_sample_size(3, 0.95, 0), "population=0 is smaller than 1"),
        (lambda: nps_sample_size(3, 0.95, method="score"), "method='score' is not a valid option"),
        (lambda: classic_sample_size(3, 0.95, z=-1), "z=-1 must be a positive number"),
        (lambda: as_shares((1, 2)), "has 2 values"),
        (lambda: as_shares((1, -2, 3)), ">= 0"),
        (lambda: parse_shares("0.2,0.3,0.4"), "sum to 0.9"),
        (lambda: as_fraction(0, "response rate"), "response rate=0 is out of range"),
        (lambda: plan_sample_size(100, 0.95, 3, response_rate=120), "response_rate=120 is out of range"),
    ],
)
def test_nonsense_inputs_raise_parameter_errors(call, match):
    with pytest.raises(ParameterError, match=match):
        call()


def test_fraction_and_share_parsing():
    assert as_fraction(95, "c", allow_one=False) == 0.95
    assert as_fraction(1, "rate") == 1.0
    with pytest.raises(ParameterError):
        as_fraction(1, "confidence", allow_one=False)
    assert parse_shares("0.2, 0.3, 0.5") == pytest.approx((0.2, 0.3, 0.5))
    assert parse_shares("20,30,50") == pytest.approx((0.2, 0.3, 0.5))


# --------------------------------------------------------------------------- change detection


def test_change_sample_size_hand_values():
    # worst case, independent: (1.959964 + 0.841621)^2 * 2 / 0.1^2 = 7.848879 * 200 = 1569.78 -> 1570
    r = change_sample_size(10)
    assert r.n == 1570
    assert r.variance == 2.0
    assert r.achieved_power >= 0.8
    # a panel with correlation 0.5 between the waves' scores: V = 1 + 1 - 2 * 0.5 = 1 -> 784.9 -> 785
    assert change_sample_size(10, design="panel", correlation=0.5).n == 785
    # anticipated shares (0.2, 0.3, 0.5) in both waves: V = 1.22 -> 7.848879 * 1.22 / 0.01 = 957.56 -> 958
    assert change_sample_size(10, expected1=(0.2, 0.3, 0.5)).n == 958
    # the sign of the change does not matter
    assert change_sample_size(-10).n == 1570


def test_transition_variance_by_hand():
    # Half of the wave-1 detractors become promoters, everyone else stays:
    # t - s = +2 with probability 0.25, 0 otherwise -> mean 0.5, E[x^2] = 1, Var = 1 - 0.25 = 0.75
    table = [[0.25, 0, 0.25], [0, 0, 0], [0, 0, 0.5]]
    assert difference_variance(design="panel", transition=table) == pytest.approx(0.75)
    # nobody changes: no variance of the change
    # nobody moves: the variance is floored (1 % up and 1 % down), not 0 ("1 respondent")
    assert difference_variance(design="panel", transition=np.diag([10, 20, 70])) == 0.02
    # counts and shares give the same table
    np.testing.assert_allclose(transition_table([[1, 1, 0], [0, 2, 0], [0, 0, 4]]).sum(), 1.0)


def test_transition_agrees_with_correlation_form():
    table = np.array([[200, 80, 20], [40, 300, 60], [10, 50, 240]], dtype=float)
    p = table / table.sum()
    s = np.array([-1.0, 0.0, 1.0])
    m1, m2 = p.sum(axis=1), p.sum(axis=0)
    v1 = m1 @ s**2 - (m1 @ s) ** 2
    v2 = m2 @ s**2 - (m2 @ s) ** 2
    cov = s @ p @ s - (m1 @ s) * (m2 @ s)
    rho = cov / math.sqrt(v1 * v2)
    via_table = difference_variance(design="panel", transition=table)
    via_rho = difference_variance(tuple(m1), tuple(m2), design="panel", correlation=rho)
    assert via_table == pytest.approx(via_rho)
    assert via_table == pytest.approx(v1 + v2 - 2 * cov)


def test_detectable_change_inverts_sample_size():
    for kwargs in ({}, {"design": "panel", "correlation": 0.4}, {"expected1": (0.3, 0.3, 0.4)}):
        n = change_sample_size(6, **kwargs).n
        mdc = detectable_change(n, **kwargs)
        assert mdc <= 6 + 1e-9
        assert detectable_change(n - 1, **kwargs) > 6


def test_power_under_null_is_alpha():
    assert change_power(500, 1e-12) == pytest.approx(0.05)


def _simulated_independent_power(n, shares1, shares2, rng, n_sim):
    c1 = rng.multinomial(n, shares1, size=n_sim)
    c2 = rng.multinomial(n, shares2, size=n_sim)

    def est_var(c):
        d, p = c[:, 0] / n, c[:, 2] / n
        return p - d, p + d - (p - d) ** 2

    e1, v1 = est_var(c1)
    e2, v2 = est_var(c2)
    z = (e2 - e1) / np.sqrt(v1 / n + v2 / n)
    return np.mean(np.abs(z) > 1.959963984540054)


def test_independent_power_by_simulation():
    # Wave 1 NPS 20 (0.25, 0.30, 0.45), wave 2 NPS 28 (0.21, 0.30, 0.49): 8 points.
    s1, s2 = (0.25, 0.30, 0.45), (0.21, 0.30, 0.49)
    plan = change_sample_size(8, 0.8, 0.05, expected1=s1, expected2=s2)
    rng = np.random.default_rng(7)
    n_sim = 20_000
    empirical = _simulated_independent_power(plan.n, s1, s2, rng, n_sim)
    # Monte Carlo sd: sqrt(0.8 * 0.2 / 20000) = 0.0028; 4 sd = 0.011, plus 0.005 for the normal
    # approximation with estimated variances.
    assert empirical == pytest.approx(plan.achieved_power, abs=0.016)
    # and the nominal power at half the sample is clearly not reached
    assert _simulated_independent_power(plan.n // 2, s1, s2, rng, n_sim) < 0.6


def test_panel_power_by_simulation():
    # Joint table of (wave 1, wave 2) categories; margins: wave 1 (0.30, 0.40, 0.30) -> NPS 0,
    # wave 2 (0.25, 0.38, 0.37) -> NPS 12.
    table = np.array([[0.20, 0.07, 0.03],
                      [0.04, 0.28, 0.08],
                      [0.01, 0.03, 0.26]])
    change = 100 * (table.sum(axis=0)[2] - table.sum(axis=0)[0] - table.sum(axis=1)[2] + table.sum(axis=1)[0])
    assert change == pytest.approx(12)
    plan = change_sample_size(change, 0.8, 0.05, design="panel", transition=table)
    independent = change_sample_size(change, 0.8, 0.05, expected1=tuple(table.sum(axis=1)),
                                     expected2=tuple(table.sum(axis=0)))
    assert plan.n < independent.n / 2  # the panel needs far fewer respondents here
    rng = np.random.default_rng(11)
    n_sim = 20_000
    cells = rng.multinomial(plan.n, table.ravel(), size=n_sim)
    i, j = np.indices((3, 3))
    diff = (j - i).ravel().astype(float)
    mean = cells @ diff / plan.n
    var = cells @ diff**2 / plan.n - mean**2
    z = mean / np.sqrt(var / plan.n)
    empirical = np.mean(np.abs(z) > 1.959963984540054)
    # Monte Carlo sd 0.0028 (4 sd = 0.011) plus 0.01 for the normal approximation at n ~ 180.
    assert empirical == pytest.approx(plan.achieved_power, abs=0.021)
    # analysing this panel as independent waves would lose most of the power
    z_ind = mean / np.sqrt(independent.variance / plan.n)
    assert np.mean(np.abs(z_ind) > 1.96) < empirical - 0.2


def test_power_curve_and_change_table():
    curve = power_curve(1000, np.arange(0, 21, 2), correlation=0.5)
    assert set(curve["design"]) == {"independent", "panel"}
    ind = curve[curve["design"] == "independent"]
    assert ind["power"].is_monotonic_increasing
    assert (curve[curve["design"] == "panel"]["power"].to_numpy() >= ind["power"].to_numpy()).all()
    table = change_table([5, 10], correlation=0.5)
    # panel V = 1 is half of the independent V = 2, so half the respondents (6280 -> 3140)
    assert table.set_index(["design", "change"]).loc[("panel", 5.0), "n"] == 3140
    assert table.set_index(["design", "change"]).loc[("independent", 5.0), "n"] == 6280


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: change_sample_size(0), "change=0 must be a non-zero"),
        (lambda: change_sample_size(5, power=1.2), "power=1.2 must lie strictly"),
        (lambda: change_sample_size(5, design="panel"), "needs an anticipated transition table"),
        (lambda: change_sample_size(5, design="cohort"), "design='cohort' is not a valid option"),
        (lambda: change_sample_size(5, correlation=0.3), "apply to design='panel' only"),
        (lambda: difference_variance(design="panel", transition=[[1, 2], [3, 4]]), "shape"),
        (lambda: difference_variance(design="panel", correlation=1.5), "between -1 and 1"),
    ],
)
def test_change_errors(call, match):
    with pytest.raises(ParameterError, match=match):
        call()


# --------------------------------------------------------------------------- fieldwork


def test_invitations_per_channel():
    # 300 respondents: email 70 % at 25 % response -> 210 / 0.25 = 840; phone 30 % at 60 % -> 90 / 0.6 = 150
    table = invitations(300, {"email": (0.7, 0.25), "phone": (30, 60)})
    assert table["respondents"].tolist() == [210, 90]
    assert table["invitations"].tolist() == [840, 150]
    # one rate for everyone, rounded up: 1017 / 0.3 = 3390
    assert invitations(1017, 0.3)["invitations"].tolist() == [3390]
    with pytest.raises(ParameterError, match="sum to 0.9"):
        invitations(300, {"email": (0.6, 0.25), "phone": (0.3, 0.6)})
    with pytest.raises(ParameterError, match="response rate of channel 'email'"):
        invitations(300, {"email": (1.0, 0)})


def test_allocate_segments_each_meets_its_margin():
    # ABC classes of 1,000 customers, +-10 points, 95 %, worst case: n0 = 384.146
    # A (200): 384.146 / (1 + 383.146 / 200) = 131.75 -> 132
    # B (300): 384.146 / (1 + 383.146 / 300) = 168.66 -> 169
    # C (500): 384.146 / (1 + 383.146 / 500) = 217.44 -> 218
    segs = pd.DataFrame({"abc_class": ["A", "B", "C"], "customers": [200, 300, 500]})
    out = allocate_segments(segs, 10, 0.95, segment="abc_class", population="customers", response_rate=0.4)
    assert out["respondents"].tolist() == [132, 169, 218]
    assert (out["margin"] <= 10).all()
    assert out["invitations"].tolist() == [330, 423, 545]  # 132/.4, 169/.4 = 422.5, 218/.4
    # sizing segments separately costs more than one overall sample of 1,000 (278)
    assert out["respondents"].sum() > nps_sample_size(10, 0.95, 1000).n
    same = allocate_segments({"A": 200, "B": 300, "C": 500}, 10, 0.95)
    assert same["respondents"].tolist() == [132, 169, 218]
    with pytest.raises(ParameterError, match="lacks column"):
        allocate_segments(segs, 10, 0.95)


def test_questionnaire_and_advice():
    q = questionnaire("Acme")
    assert q.loc[0, "question"].startswith("How likely are you to recommend Acme to a friend or colleague?")
    by_group = dict(zip(q["shown_to"], q["question"]))
    assert by_group["detractors"] == "What is the main reason for your score?"
    assert "raise your score by one point" in by_group["passives"]
    assert "value most" in by_group["promoters"]
    email_only = " ".join(fieldwork_advice(channels={"email": (1, 0.3)}))
    assert "phone" in email_only and "over-represents loyal" in email_only
    mixed = " ".join(fieldwork_advice(channels={"email": (0.7, 0.3), "phone": (0.3, 0.6)}, nonresponse="detractor"))
    assert "over-represents" not in mixed and "counted as detractors" in mixed
    short = fieldwork_advice(invitations_needed=7000, population=3000)
    assert any("only 3,000 people" in s for s in short)
    assert not any("only" in s and "people can be invited" in s for s in fieldwork_advice(invitations_needed=100,
                                                                                          population=3000))
    assert any("same procedure every wave" in s for s in fieldwork_advice(waves=2))
    assert not any("same procedure every wave" in s for s in fieldwork_advice(waves=1))


# --------------------------------------------------------------------------- figures


def test_figures_draw_planned_n_and_curves():
    import matplotlib.pyplot as plt

    from nps_kit.plots.design import margin_plot, power_plot

    curve = margin_curve(np.arange(50, 1501, 50), 0.95, 3000, expected=(0.2, 0.3, 0.5))
    ax = margin_plot(curve, planned_n=1017, target_margin=5)
    xs = [line.get_xdata() for line in ax.get_lines()]
    assert any(len(x) == 2 and x[0] == 1017 for x in xs)  # the planned-n marker
    assert len(ax.get_lines()) >= 4  # two scenarios, classic, markers
    plt.close(ax.figure)
    ax = power_plot(power_curve(1000, np.arange(0, 21), correlation=0.5), target_change=10)
    assert ax.get_ylim()[1] >= 1
    plt.close(ax.figure)


def test_blended_rate_and_invitation_plan_per_segment_and_channel():
    from nps_kit.design.fieldwork import blended_response_rate, segment_invitations

    channels = {"email": (0.7, 0.25), "phone": (0.3, 0.6)}
    # one respondent costs 0.7 / 0.25 + 0.3 / 0.6 = 2.8 + 0.5 = 3.3 invitations -> rate 1 / 3.3
    assert blended_response_rate(channels) == pytest.approx(1 / 3.3)
    alloc = pd.DataFrame({"segment": ["A", "B"], "population": [100, 1000], "respondents": [80, 100]})
    plan = segment_invitations(alloc, channels)
    assert plan[["segment", "channel"]].values.tolist() == [["A", "email"], ["A", "phone"],
                                                           ["B", "email"], ["B", "phone"]]
    # A: email 56 respondents / 0.25 = 224, phone 24 / 0.6 = 40 -> 264 > 100 people
    # B: email 70 / 0.25 = 280, phone 30 / 0.6 = 50 -> 330 <= 1000
    assert plan["respondents"].tolist() == [56, 24, 70, 30]
    assert plan["invitations"].tolist() == [224, 40, 280, 50]
    assert plan["enough_people"].tolist() == [False, False, True, True]
    advice = fieldwork_advice(allocation=alloc.assign(invitations=[264, 330]))
    assert any("A (264 invitations for 100 people)" in s for s in advice)
    assert not any("B (" in s for s in advice)


def test_segment_sizes_and_previous_wave_counts():
    from nps_kit.design.fieldwork import previous_wave_counts, segment_sizes
    from nps_kit.engines.dispatch import read_table
    from nps_kit.core.scores import counts as count_scores

    customers = pd.DataFrame({"abc": ["A", "B", None, "B", "C"]})
    sizes = segment_sizes(customers, "abc")
    assert dict(zip(sizes["segment"], sizes["population"])) == {"(missing)": 1, "A": 1, "B": 2, "C": 1}
    assert sizes["population"].sum() == len(customers)  # nobody lost
    assert segment_sizes({"A": 600, "B": 900})["population"].tolist() == [600, 900]
    with pytest.raises(ParameterError, match="numbers >= 1"):
        segment_sizes({"A": 0})
    # previous wave counts agree with counting the demo file's latest wave directly
    c, label = previous_wave_counts("demo:responses.csv")
    raw = read_table("demo:responses.csv")
    latest = sorted(raw["wave"].dropna().unique())[-1]
    assert label == latest
    assert c == count_scores(raw.loc[raw["wave"] == latest, "score"])


def test_adjusted_wald_is_not_degenerate_at_the_edge():
    # With every respondent anticipated a promoter the Wald variance is 0 and Wald asks for 1
    # respondent; the adjusted Wald margin stays honest and asks for a real sample.
    # the anticipated shares are floored at 2 %, so Wald no longer asks for 1 respondent
    assert nps_sample_size(3, 0.95, expected=(0, 0, 1)).n > 100
    r = nps_sample_size(3, 0.95, expected=(0, 0, 1), method="adjusted-wald")
    assert r.n > 100
    assert r.achieved_margin <= 3 < nps_margin(r.n - 1, 0.95, expected=(0, 0, 1), method="adjusted-wald")
