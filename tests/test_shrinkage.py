"""Empirical-Bayes shrinkage: likelihood and fit against independent code, posterior by hand,
rank probabilities, eNPS anonymity, coverage by simulation, CLI."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize, minimize_scalar
from scipy.stats import dirichlet_multinomial

import nps_kit.groups.shrinkage as shmod
from nps_kit.errors import DataError
from nps_kit.groups.shrinkage import (SHRINK_COLUMNS, enps_shrinkage, fit_prior, marginal_loglik,
                               shrink, shrink_counts, shrink_table)
from paths import REALDATA

SO = str(REALDATA / "stackoverflow2018_recommend_sample.csv")
COUNTS = np.array([[0, 0, 6], [30, 30, 40], [25, 40, 35], [40, 30, 30], [10, 25, 15],
                   [5, 12, 30], [22, 18, 20]])


def _dm_loglik(alpha, counts):
    """Sum of scipy's Dirichlet-multinomial log pmf (includes the multinomial coefficients)."""
    return sum(dirichlet_multinomial.logpmf(x, alpha, x.sum()) for x in counts)


def _coef(counts):
    from scipy.special import gammaln

    n = counts.sum(axis=1)
    return float(np.sum(gammaln(n + 1) - gammaln(counts + 1).sum(axis=1)))


def test_examples_run():
    res = doctest.testmod(shmod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.attempted > 0 and res.failed == 0


def test_marginal_loglik_against_scipy():
    for alpha in ([1.0, 2.0, 3.0], [0.3, 5.0, 12.0], [50.0, 80.0, 120.0]):
        assert marginal_loglik(alpha, COUNTS) + _coef(COUNTS) == pytest.approx(_dm_loglik(alpha, COUNTS), rel=1e-10)


def test_full_fit_against_direct_numeric_optimisation():
    fitted = fit_prior(COUNTS, "full")
    res = minimize(lambda la: -_dm_loglik(np.exp(la), COUNTS), np.log([5.0, 5.0, 5.0]),
                   method="Nelder-Mead", options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 20000})
    assert np.array(fitted.alpha) == pytest.approx(np.exp(res.x), rel=2e-3)
    assert fitted.loglik + _coef(COUNTS) == pytest.approx(-res.fun, abs=1e-6)
    assert not fitted.at_bound


def test_overall_shares_fit_against_direct_optimisation():
    fitted = fit_prior(COUNTS, "overall-shares")
    m = COUNTS.sum(axis=0) / COUNTS.sum()
    res = minimize_scalar(lambda t: -_dm_loglik(np.exp(t) * m, COUNTS), bounds=(-5, 10),
                          method="bounded", options={"xatol": 1e-10})
    assert fitted.concentration == pytest.approx(np.exp(res.x), rel=1e-4)
    assert np.array(fitted.alpha) / fitted.concentration == pytest.approx(m)
    assert fitted.prior_nps == pytest.approx(100 * (m[2] - m[0]))


def test_plug_in_posterior_mean_and_interval_by_hand():
    res = shrink_counts(COUNTS, "overall-shares", uncertainty="plug-in", seed=3, n_draws=20_000)
    a = np.array(res["prior"].alpha)
    beta = a + COUNTS
    mean = 100 * (beta[:, 2] - beta[:, 0]) / beta.sum(axis=1)
    assert res["nps_shrunk"] == pytest.approx(mean)
    assert res["shrinkage_weight"] == pytest.approx(a.sum() / (a.sum() + COUNTS.sum(axis=1)))
    # interval against an independent large posterior sample with numpy's Dirichlet
    rng = np.random.default_rng(99)
    for g in range(len(COUNTS)):
        th = rng.dirichlet(beta[g], size=200_000)
        q = np.quantile(100 * (th[:, 2] - th[:, 0]), [0.025, 0.975])
        assert res["shrunk_low"][g] == pytest.approx(q[0], abs=0.6)
        assert res["shrunk_high"][g] == pytest.approx(q[1], abs=0.6)


def test_six_answer_plus_100_moves_toward_the_overall():
    res = shrink_counts(COUNTS, seed=0)
    overall = 100 * (COUNTS[:, 2].sum() - COUNTS[:, 0].sum()) / COUNTS.sum()
    assert overall < res["nps_shrunk"][0] < 100
    assert res["shrinkage_weight"][0] > 0.5          # 6 answers: mostly the prior
    assert res["shrinkage_weight"][1] < res["shrinkage_weight"][0]
    # raw ranking puts it first with certainty; shrunk, it is far from sure to be best
    assert res["p_best"][0] < 0.9


def test_rank_probabilities():
    res = shrink_counts(COUNTS, seed=1, n_draws=20_000)
    assert res["p_best"].sum() == pytest.approx(1.0) and res["p_worst"].sum() == pytest.approx(1.0)
    assert np.all(res["rank_low"] <= res["rank"]) and np.all(res["rank"] <= res["rank_high"])
    # the lowest shrunk NPS is the likeliest worst
    assert np.argmax(res["p_worst"]) == np.argmin(res["nps_shrunk"])


def test_seeded_reproducible():
    a, b = shrink_counts(COUNTS, seed=5), shrink_counts(COUNTS, seed=5)
    for k in SHRINK_COLUMNS:
        assert np.array_equal(a[k], b[k])
    c = shrink_counts(COUNTS, seed=6)
    assert not np.array_equal(a["shrunk_low"], c["shrunk_low"])


def test_homogeneous_groups_pool_completely_with_an_honest_interval():
    rng = np.random.default_rng(0)
    counts = rng.multinomial(200, [0.25, 0.35, 0.40], size=6)
    res = shrink_counts(counts, seed=0)
    prior = res["prior"]
    assert prior.at_bound and prior.concentration == pytest.approx(counts.sum(), rel=1e-6)
    v = 0.65 - 0.15**2
    overall = 2 * 1.96 * 100 * np.sqrt(v / counts.sum())   # 95 % width of the pooled NPS
    own = 2 * 1.96 * 100 * np.sqrt(v / 200)                 # 95 % width of one group alone
    plug = shrink_counts(counts, seed=0, uncertainty="plug-in")
    # plug-in: the prior is worth all N answers, so about the overall width, never zero
    width = plug["shrunk_high"] - plug["shrunk_low"]
    assert np.all(width > 0.8 * overall) and np.all(width < 1.2 * overall)
    # integrated over the concentration: between the pooled and the single-group width
    width = res["shrunk_high"] - res["shrunk_low"]
    assert np.all(width > overall) and np.all(width < own)


def test_too_few_groups_and_bad_counts():
    with pytest.raises(DataError, match="at least 3 groups"):
        fit_prior([[1, 2, 3], [3, 2, 1]])
    with pytest.raises(DataError, match="whole numbers"):
        fit_prior([[1, 2, 3.5], [3, 2, 1], [1, 1, 1]])


def test_empty_group_gets_no_estimate():
    t = pd.DataFrame({"g": list("abcde"), "detractors": [3, 4, 0, 5, 2],
                      "passives": [3, 2, 0, 5, 4], "promoters": [4, 6, 0, 2, 9]})
    r = shrink_table(t, "g")
    assert r.table.loc[2, ["nps_shrunk", "p_best"]].isna().all()
    assert r.table["p_best"].sum() == pytest.approx(1.0)


def test_plug_in_is_narrower_than_integrated():
    rng = np.random.default_rng(12)
    counts = rng.multinomial(40, [0.25, 0.35, 0.40], size=12)
    plug = shrink_counts(counts, seed=1, uncertainty="plug-in")
    full = shrink_counts(counts, seed=1)
    assert np.all(full["shrunk_high"] - full["shrunk_low"] > plug["shrunk_high"] - plug["shrunk_low"])


def test_coverage_by_simulation():
    """Hierarchical truth: theta_g ~ Dirichlet(20 x (0.25, 0.35, 0.40)), 30 groups of 5 to 120
    answers. 95 % shrinkage intervals cover the true group NPS within 1.5 points of 95 % over
    2,000 seeded replicates (60,000 intervals).

    Measured while building (94.5 % here). Known limit, not asserted: with 10 groups, or 25
    groups that differ little (concentration 50), coverage is about 93.8 %; plain plug-in
    empirical Bayes gives about 91 % there (Morris 1983)."""
    rng = np.random.default_rng(2024)
    reps, g = 2000, 30
    alpha = 20 * np.array([0.25, 0.35, 0.40])
    n = np.linspace(5, 120, g).astype(int)
    theta = rng.dirichlet(alpha, size=(reps, g))
    # multinomial counts for every group of every replicate at once (conditional binomials)
    d = rng.binomial(n, theta[..., 0])
    a = rng.binomial(n - d, theta[..., 1] / (theta[..., 1] + theta[..., 2]))
    counts = np.stack([d, a, n - d - a], axis=-1)
    truth = 100 * (theta[..., 2] - theta[..., 0])
    hits = 0
    for r in range(reps):
        res = shrink_counts(counts[r], seed=r, n_draws=1000)
        hits += int(np.sum((res["shrunk_low"] <= truth[r]) & (truth[r] <= res["shrunk_high"])))
    coverage = hits / (reps * g)
    assert abs(coverage - 0.95) < 0.015, coverage


def test_shrink_from_responses_matches_summarize():
    from nps_kit.engines.dispatch import summarize

    from nps_kit.engines.dispatch import read_responses

    data = read_responses(SO, "StackOverflowRecommend").data
    r = shrink(data, "StackOverflowRecommend", "CompanySize", seed=2)
    ref = summarize(data, "StackOverflowRecommend", by="CompanySize")
    pd.testing.assert_frame_equal(r.table[list(ref.columns)], ref)
    direct = shrink_counts(ref[["detractors", "passives", "promoters"]].to_numpy(), seed=2)
    assert r.table["nps_shrunk"].to_numpy() == pytest.approx(direct["nps_shrunk"], nan_ok=True)


def test_enps_shrinkage_uses_published_groups_only():
    from nps_kit.enps.report import enps_report
    from nps_kit.engines.dispatch import read_responses

    data = read_responses("demo:employees.csv", score="score", id="respondent_id").data
    report = enps_report(data, "score", ["department", "location"])
    table = report.table("department")
    assert table["suppressed"].any()
    res = enps_shrinkage(report, "department", seed=4)
    hidden = res.table["suppressed"].to_numpy(bool)
    assert res.table.loc[hidden, list(SHRINK_COLUMNS)].isna().all().all()
    assert res.table.loc[hidden, ["n", "enps"]].isna().all().all()
    assert res.table.loc[~hidden, "p_best"].sum() == pytest.approx(1.0)
    # the same as shrinking the published rows alone: a function of published numbers only
    published = table.loc[~table["suppressed"]].reset_index(drop=True)
    alone = shrink_table(published.astype({c: "int64" for c in ("detractors", "passives", "promoters")}),
                         "department", seed=4)
    assert res.table.loc[~hidden, "nps_shrunk"].to_numpy() == pytest.approx(alone.table["nps_shrunk"].to_numpy())
    # changing the answers inside a suppressed department changes nothing that is shown
    small = table.loc[table["suppressed"], "department"].iloc[0]
    changed = data.copy()
    rows = changed["department"] == small
    changed.loc[rows, "score"] = np.where(changed.loc[rows, "score"].notna(),
                                          10 - changed.loc[rows, "score"], np.nan)
    report2 = enps_report(changed, "score", ["department", "location"])
    if report2.table("department")["suppressed"].tolist() == table["suppressed"].tolist():
        res2 = enps_shrinkage(report2, "department", seed=4)
        pd.testing.assert_frame_equal(res.table, res2.table)


def test_cli_score_shrink_json_and_text(cli):
    from envelopes import envelope_of

    proc = cli("score", SO, "--score-column", "StackOverflowRecommend", "--by", "CompanySize",
               "--shrink", "--seed", "7", "--json")
    assert proc.returncode == 0, proc.stderr
    env = envelope_of(proc, "score")
    rows = env["results"]["groups"]
    for key in ("nps_shrunk", "shrunk_low", "shrunk_high", "p_best", "p_worst"):
        assert all(key in row for row in rows)
    from nps_kit.engines.dispatch import read_responses
    from nps_kit.engines.dispatch import summarize

    ref = summarize(read_responses(SO, "StackOverflowRecommend").data, "StackOverflowRecommend", by="CompanySize")
    direct = shrink_counts(ref[["detractors", "passives", "promoters"]].to_numpy(), seed=7)
    assert [row["nps_shrunk"] for row in rows] == pytest.approx(direct["nps_shrunk"].tolist())
    assert sum(row["p_best"] for row in rows) == pytest.approx(1.0)
    text = cli("score", SO, "--score-column", "StackOverflowRecommend", "--by", "CompanySize",
               "--shrink", "--seed", "7")
    for note in env["notes"]:
        assert note in text.stdout + text.stderr
    assert "nps_shrunk" in text.stdout


def test_cli_shrink_without_by_is_a_message(cli):
    proc = cli("score", SO, "--score-column", "StackOverflowRecommend", "--shrink")
    assert proc.returncode == 2 and "--by" in proc.stderr and "Traceback" not in proc.stderr
