"""Equivalence (TOST) of NPS changes: values by hand, verdicts, family adjustment, coverage."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm
from statsmodels.stats.multitest import multipletests

import nps_kit.core.equivalence as eqmod
from nps_kit.core.compare import compare_nps, compare_overlap, compare_paired, difference_arrays
from nps_kit.core.equivalence import (EQUIVALENCE_COLUMNS, VERDICTS, add_equivalence,
                                 describe_equivalence, equivalence_test, tost_arrays,
                                 wave_equivalence)
from nps_kit.errors import ParameterError
from nps_kit.simulate.draws import simulate_scores
from nps_kit.waves.changes import CHANGE_COLUMNS, compare_waves

SCORE = np.array([-1.0, 0.0, 1.0])


def _tost_by_hand(est, se, margin, alpha=0.05):
    p_lo = 1.0 - norm.cdf((est + margin) / se)
    p_hi = norm.cdf((est - margin) / se)
    z = norm.ppf(1 - alpha)
    return p_lo, p_hi, max(p_lo, p_hi), est - z * se, est + z * se


def test_examples_run():
    res = doctest.testmod(eqmod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.attempted > 0 and res.failed == 0


def test_independent_wald_by_hand():
    c1, c2, margin = (30, 50, 70), (35, 45, 80), 8.0
    n1, n2 = sum(c1), sum(c2)
    p1, d1, p2, d2 = c1[2] / n1, c1[0] / n1, c2[2] / n2, c2[0] / n2
    est = 100 * ((p2 - d2) - (p1 - d1))
    se = 100 * math.sqrt((p1 + d1 - (p1 - d1) ** 2) / n1 + (p2 + d2 - (p2 - d2) ** 2) / n2)
    r = equivalence_test(compare_nps(c1, c2, method="wald"), margin)
    p_lo, p_hi, p_eq, lo, hi = _tost_by_hand(est, se, margin)
    assert r.design == "independent"
    assert r.estimate == pytest.approx(est) and r.se == pytest.approx(se)
    assert (r.p_lower, r.p_upper, r.p_equivalence) == pytest.approx((p_lo, p_hi, p_eq), rel=1e-12)
    assert (r.low, r.high) == pytest.approx((lo, hi))
    assert r.verdict == ("equivalent" if p_eq < 0.05 else "not shown equivalent")


def test_paired_by_hand_from_individuals():
    table = np.array([[20, 6, 2], [5, 40, 12], [1, 8, 60]])
    # expand to people and compute the variance of the per-person change directly
    s = np.repeat(np.repeat(SCORE, 3), table.ravel())
    t = np.repeat(np.tile(SCORE, 3), table.ravel())
    n = table.sum()
    est = 100 * (t.mean() - s.mean())
    se = 100 * math.sqrt(np.var(t - s) / n)
    r = equivalence_test(compare_paired(table, method="wald"), 10.0)
    assert r.design == "paired"
    assert r.se == pytest.approx(se)
    p_lo, p_hi, p_eq, lo, hi = _tost_by_hand(est, se, 10.0)
    assert (r.p_lower, r.p_upper, r.p_equivalence, r.low, r.high) == pytest.approx((p_lo, p_hi, p_eq, lo, hi))


def test_overlap_by_hand():
    table = np.array([[5, 2, 0], [1, 10, 3], [0, 2, 12]])
    c1 = np.array([25, 40, 60]) + table.sum(axis=1)
    c2 = np.array([30, 35, 70]) + table.sum(axis=0)
    n1, n2, m = c1.sum(), c2.sum(), table.sum()
    s = np.repeat(np.repeat(SCORE, 3), table.ravel())
    t = np.repeat(np.tile(SCORE, 3), table.ravel())
    cov = np.mean(s * t) - s.mean() * t.mean()
    v = lambda c: (c[0] + c[2]) / c.sum() - ((c[2] - c[0]) / c.sum()) ** 2  # noqa: E731
    se = 100 * math.sqrt(v(c1) / n1 + v(c2) / n2 - 2 * m * cov / (n1 * n2))
    est = 100 * ((c2[2] - c2[0]) / n2 - (c1[2] - c1[0]) / n1)
    r = equivalence_test(compare_overlap(c1, c2, table, method="wald"), 12.0)
    assert r.design == "overlap" and r.se == pytest.approx(se)
    assert r.p_equivalence == pytest.approx(_tost_by_hand(est, se, 12.0)[2])


def test_verdicts_each_case():
    big = 200_000
    # a real but tiny change in huge samples: significant AND equivalent -> "equivalent"
    both = equivalence_test(compare_nps((0.25 * big, 0.35 * big, 0.40 * big),
                                        (0.24 * big, 0.35 * big, 0.41 * big), method="wald"), 5)
    assert both.p_value < 0.05 and both.p_equivalence < 0.05 and both.verdict == "equivalent"
    # a big change: "changed"
    ch = equivalence_test(compare_nps((300, 300, 400), (200, 300, 500), method="wald"), 5)
    assert ch.p_value < 0.05 and ch.verdict == "changed"
    # small samples, no change: neither
    none = equivalence_test(compare_nps((10, 10, 10), (10, 10, 10), method="wald"), 5)
    assert none.p_value == 1.0 and none.verdict == "not shown equivalent"
    assert {both.verdict, ch.verdict, none.verdict} == set(VERDICTS)
    text = describe_equivalence(both.summary.assign(**{"from": "A", "to": "B", "p_equivalence_adjusted": both.p_equivalence}))
    assert "also statistically significant" in text[0]


def test_equivalent_iff_interval_inside_margin():
    rng = np.random.default_rng(3)
    est = rng.uniform(-10, 10, 5000)
    se = rng.uniform(0.5, 6, 5000)
    r = tost_arrays(est, se, 5.0, 0.95)
    inside = (r["tost_low"] > -5.0) & (r["tost_high"] < 5.0)
    assert np.array_equal(r["p_equivalence"] < 0.05, inside)


def test_zero_se_and_nan():
    r = tost_arrays([0.0, 7.0, np.nan], [0.0, 0.0, 1.0], 5.0)
    assert r["p_equivalence"][0] == 0.0 and r["p_equivalence"][1] == 1.0
    assert np.isnan(r["p_equivalence"][2])


@pytest.mark.parametrize("margin", [0, -3, float("nan"), "five", 250])
def test_bad_margin(margin):
    with pytest.raises(ParameterError, match="margin"):
        tost_arrays([1.0], [1.0], margin)


def _panel_tables(rng, reps, n, joint):
    return rng.multinomial(n, joint.ravel(), size=reps).reshape(reps, 3, 3)


@pytest.mark.parametrize("design", ["independent", "paired", "overlap"])
def test_tost_interval_coverage_by_simulation(design):
    """The (1 - 2 alpha) = 90 % TOST interval covers the true change within 1.5 points of 90 %
    over 20,000 seeded replicates (Monte Carlo se about 0.2 points)."""
    rng = np.random.default_rng({"independent": 11, "paired": 12, "overlap": 13}[design])
    reps, n = 20_000, 300
    s1, s2 = np.array([0.25, 0.35, 0.40]), np.array([0.22, 0.36, 0.42])
    truth = 100 * ((s2[2] - s2[0]) - (s1[2] - s1[0]))
    if design == "independent":
        c1, c2, tabs = rng.multinomial(n, s1, size=reps), rng.multinomial(n, s2, size=reps), None
    else:
        # joint distribution with margins s1, s2 and positive dependence (people keep opinions)
        joint = 0.5 * np.diag(np.minimum(s1, s2)) + 0.5 * np.outer(s1, s2)
        # fix the margins exactly by iterative proportional fitting
        for _ in range(200):
            joint *= (s1 / joint.sum(axis=1))[:, None]
            joint *= (s2 / joint.sum(axis=0))[None, :]
        m = n if design == "paired" else 120
        tabs = _panel_tables(rng, reps, m, joint)
        c1, c2 = tabs.sum(axis=2), tabs.sum(axis=1)
        if design == "overlap":
            c1 = c1 + rng.multinomial(n - m, s1, size=reps)
            c2 = c2 + rng.multinomial(n - m, s2, size=reps)
    d = difference_arrays(c1, c2, tabs, "adjusted-wald", 0.95)
    assert set(d["design"]) == {design}
    r = tost_arrays(d["estimate"], d["se"], 5.0, 0.95)
    coverage = np.mean((r["tost_low"] <= truth) & (truth <= r["tost_high"]))
    assert abs(coverage - 0.90) < 0.015, coverage


def test_tost_size_at_the_margin():
    """At a true change equal to the margin, equivalence is (wrongly) shown about alpha = 5 % of
    the time, not more (TOST is a size-alpha test; Berger and Hsu 1996)."""
    rng = np.random.default_rng(5)
    reps, n = 20_000, 400
    s1 = np.array([0.25, 0.35, 0.40])
    s2 = np.array([0.20, 0.35, 0.45])  # true change +10 points
    c1, c2 = rng.multinomial(n, s1, size=reps), rng.multinomial(n, s2, size=reps)
    d = difference_arrays(c1, c2, None, "wald", 0.95)
    r = tost_arrays(d["estimate"], d["se"], 10.0, 0.95)
    rate = np.mean(r["p_equivalence"] < 0.05)
    # theory with the true se: P(M - z se < est < -M + z se ... ) = Phi(-z) - Phi(-2M/se + z)
    se = 100 * math.sqrt(((0.65 - 0.15**2) + (0.65 - 0.25**2)) / n)
    z = norm.ppf(0.95)
    expected = norm.cdf(-z) - norm.cdf(-2 * 10.0 / se + z)
    assert rate == pytest.approx(expected, abs=0.006)
    assert rate < 0.05 + 0.006


def _waves_data(seed=1):
    rng = np.random.default_rng(seed)
    frames = []
    for w, shares in (("W1", (0.25, 0.35, 0.40)), ("W2", (0.24, 0.36, 0.40)), ("W3", (0.15, 0.35, 0.50))):
        for seg in ("a", "b"):
            s = simulate_scores(400, shares, seed=int(rng.integers(1 << 30)))
            frames.append(pd.DataFrame({"wave": w, "segment": seg, "score": s}))
    return pd.concat(frames, ignore_index=True)


def test_wave_equivalence_keeps_columns_and_adjusts_one_family():
    data = _waves_data()
    res = compare_waves(data, "score", "wave", by="segment")
    changes, seg = wave_equivalence(res, 6.0)
    assert list(changes.columns) == [*CHANGE_COLUMNS, *EQUIVALENCE_COLUMNS]
    assert list(seg.columns) == ["segment", *CHANGE_COLUMNS, *EQUIVALENCE_COLUMNS]
    pd.testing.assert_frame_equal(changes[list(CHANGE_COLUMNS)], res.changes)
    raw = np.concatenate([changes["p_equivalence"], seg["p_equivalence"]])
    by_hand = np.maximum(norm.sf((np.concatenate([changes["estimate"], seg["estimate"]]) + 6) /
                                 np.concatenate([changes["se"], seg["se"]])),
                         norm.cdf((np.concatenate([changes["estimate"], seg["estimate"]]) - 6) /
                                  np.concatenate([changes["se"], seg["se"]])))
    assert raw == pytest.approx(by_hand)
    holm = multipletests(raw, method="holm")[1]
    assert np.concatenate([changes["p_equivalence_adjusted"], seg["p_equivalence_adjusted"]]) == pytest.approx(holm)
    for f in (changes, seg):
        expect = np.where(f["p_equivalence_adjusted"] < 0.05, "equivalent",
                          np.where(f["p_adjusted"] < 0.05, "changed", "not shown equivalent"))
        assert f["equivalence"].tolist() == expect.tolist()
    # W2 -> W3 is a 11-point jump in truth; W1 -> W2 only 1 point
    assert changes.loc[changes["to"] == "W3", "equivalence"].item() == "changed"


def test_add_equivalence_needs_a_changes_table():
    with pytest.raises(Exception, match="estimate"):
        add_equivalence(pd.DataFrame({"x": [1]}), 5)


def test_cli_compare_equivalence_json_and_text(cli):
    proc = cli("compare", "demo:responses.csv", "--id-column", "respondent_id", "--by", "segment",
               "--equivalence", "5", "--json")
    assert proc.returncode == 0, proc.stderr
    from envelopes import envelope_of

    env = envelope_of(proc, "compare")
    assert env["method"]["equivalence_margin"] == 5.0
    for table in ("changes", "segment_changes"):
        rows = env["results"][table]
        assert rows
        for row in rows:
            assert row["equivalence"] in VERDICTS
            est, se = row["estimate"], row["se"]
            assert row["p_equivalence"] == pytest.approx(
                max(norm.sf((est + 5) / se), norm.cdf((est - 5) / se)), rel=1e-9)
            for c in CHANGE_COLUMNS:
                assert c in row
    text = cli("compare", "demo:responses.csv", "--id-column", "respondent_id", "--by", "segment",
               "--equivalence", "5")
    assert text.returncode == 0
    for sentence in env["results"]["sentences"]:
        assert sentence in text.stdout
    closing = [n for n in env["notes"] if "Equivalence" in n]
    assert closing and closing[0] in text.stdout
    assert "p_equivalence" in text.stdout


def test_cli_compare_bad_margin_is_a_message(cli):
    proc = cli("compare", "demo:responses.csv", "--equivalence", "0")
    assert proc.returncode == 2
    assert "margin" in proc.stderr and "Traceback" not in proc.stderr
