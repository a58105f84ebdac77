"""nps_kit.outcomes.models: recovery of built-in effects, false-positive rates, what-if.

Each simulated data set has a known effect of the NPS category on LTV or churn. Over many seeds,
the 95 % intervals must cover the truth about 95 % of the time, and with no effect the tests
must reject about 5 % of the time: both checked against binomial limits (0.1 % and 99.9 %
quantiles), so a correct implementation fails with probability about 0.2 % per check, fixed
by the seeds.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from nps_kit.errors import DataError, ParameterError
from nps_kit.outcomes.by_category import rank_correlation
from nps_kit.outcomes.models import ASSOCIATIONAL, churn_model, ltv_model, what_if, what_if_table

CATS = np.array(["detractor", "passive", "promoter"])
SEGS = np.array(["Enterprise", "Mid", "SMB"])


def _limits(reps, p):
    lo, hi = stats.binom.ppf([0.001, 0.999], reps, p)
    return lo / reps, hi / reps


def _world(reps, n, seed):
    """Covariates for `reps` data sets of n customers, generated at once."""
    rng = np.random.default_rng(seed)
    cat = rng.choice(3, size=(reps, n), p=[0.3, 0.3, 0.4])
    seg = rng.choice(3, size=(reps, n), p=[0.2, 0.3, 0.5])
    return rng, cat, seg


def _frame(cat, seg, **cols):
    return pd.DataFrame({"category": CATS[cat], "segment": SEGS[seg], **cols})


def _coverage_and_rejections(fits, term, true):
    rows = [f.term(term) for f in fits]
    low = np.array([r["ci_low"] for r in rows])
    high = np.array([r["ci_high"] for r in rows])
    p = np.array([r["p_value"] for r in rows])
    return np.mean((low <= true) & (true <= high)), np.mean(p < 0.05)


def test_ols_recovers_additive_effect_with_skewed_heteroscedastic_noise():
    reps, n = 200, 300
    rng, cat, seg = _world(reps, n, 1)
    effect = np.array([0.0, 300.0, 800.0])
    seg_shift = np.array([3000.0, 1000.0, 0.0])
    spread = np.array([400.0, 600.0, 900.0])[cat]  # noise grows with category: HC3 needed
    noise = spread * (rng.exponential(1.0, (reps, n)) - 1.0)  # skewed, mean 0
    ltv = 1000 + effect[cat] + seg_shift[seg] + noise
    fits = [ltv_model(_frame(cat[i], seg[i], ltv=ltv[i]), controls=["segment"]) for i in range(reps)]
    cover, _ = _coverage_and_rejections(fits, "category[promoter]", 800.0)
    lo, hi = _limits(reps, 0.95)
    assert lo <= cover <= hi
    cover_p, _ = _coverage_and_rejections(fits, "category[passive]", 300.0)
    assert lo <= cover_p <= hi
    est = np.mean([f.term("category[promoter]")["estimate"] for f in fits])
    assert est == pytest.approx(800.0, abs=30.0)


def test_ols_false_positive_rate_without_effect():
    reps, n = 200, 300
    rng, cat, seg = _world(reps, n, 2)
    seg_shift = np.array([3000.0, 1000.0, 0.0])
    ltv = seg_shift[seg] + rng.lognormal(7, 0.8, (reps, n))
    fits = [ltv_model(_frame(cat[i], seg[i], ltv=ltv[i]), controls=["segment"]) for i in range(reps)]
    _, rate = _coverage_and_rejections(fits, "category[promoter]", 0.0)
    lo, hi = _limits(reps, 0.05)
    assert lo <= rate <= hi


def test_gamma_recovers_ratio_and_log_recovers_percent():
    reps, n = 150, 300
    rng, cat, seg = _world(reps, n, 3)
    b = np.array([0.0, 0.1, 0.3])
    mu = np.exp(8.0 + b[cat] + np.array([1.0, 0.5, 0.0])[seg])
    shape = 2.0
    ltv = rng.gamma(shape, mu / shape)
    fits = [ltv_model(_frame(cat[i], seg[i], ltv=ltv[i]), controls=["segment"], model="gamma")
            for i in range(reps)]
    cover, _ = _coverage_and_rejections(fits, "category[promoter]", np.exp(0.3))
    lo, hi = _limits(reps, 0.95)
    assert lo <= cover <= hi
    # log model: log(1 + LTV) linear with normal errors, so the truth is 100 (exp(b) - 1) %
    log_ltv = np.expm1(8.0 + b[cat] + rng.normal(0, 0.7, (reps, n)))
    fits = [ltv_model(_frame(cat[i], seg[i], ltv=log_ltv[i]), model="log") for i in range(reps)]
    cover, _ = _coverage_and_rejections(fits, "category[promoter]", 100 * np.expm1(0.3))
    assert lo <= cover <= hi
    assert fits[0].term("category[promoter]")["scale"] == "% difference"


def test_gamma_false_positive_rate_without_effect():
    reps, n = 200, 300
    rng, cat, seg = _world(reps, n, 4)
    ltv = rng.gamma(1.5, np.exp(7 + np.array([1.0, 0.5, 0.0])[seg]) / 1.5)
    fits = [ltv_model(_frame(cat[i], seg[i], ltv=ltv[i]), controls=["segment"], model="gamma")
            for i in range(reps)]
    _, rate = _coverage_and_rejections(fits, "category[passive]", 1.0)
    lo, hi = _limits(reps, 0.05)
    assert lo <= rate <= hi


def test_logit_recovers_odds_ratio_on_category_and_score():
    reps, n = 150, 500
    rng, cat, seg = _world(reps, n, 5)
    logit = -0.5 + np.array([0.0, -0.5, -1.2])[cat]
    churn = (rng.random((reps, n)) < 1 / (1 + np.exp(-logit))).astype(int)
    fits = [churn_model(_frame(cat[i], seg[i], churned=churn[i])) for i in range(reps)]
    cover, _ = _coverage_and_rejections(fits, "category[promoter]", np.exp(-1.2))
    lo, hi = _limits(reps, 0.95)
    assert lo <= cover <= hi
    score = rng.integers(0, 11, (reps, n)).astype(float)
    churn = (rng.random((reps, n)) < 1 / (1 + np.exp(-(1.0 - 0.25 * score)))).astype(int)
    fits = [churn_model(_frame(cat[i], seg[i], churned=churn[i], score=score[i]), on="score")
            for i in range(reps)]
    cover, _ = _coverage_and_rejections(fits, "score", np.exp(-0.25))
    assert lo <= cover <= hi


def test_logit_and_spearman_false_positive_rates_without_effect():
    reps, n = 200, 400
    rng, cat, seg = _world(reps, n, 6)
    churn = (rng.random((reps, n)) < 0.2).astype(int)
    ltv = rng.lognormal(8, 1, (reps, n))
    score = rng.integers(0, 11, (reps, n)).astype(float)
    lo, hi = _limits(reps, 0.05)
    fits = [churn_model(_frame(cat[i], seg[i], churned=churn[i]), controls=["segment"])
            for i in range(reps)]
    _, rate = _coverage_and_rejections(fits, "category[promoter]", 1.0)
    assert lo <= rate <= hi
    miss = [rank_correlation(pd.DataFrame({"score": score[i], "ltv": ltv[i]})) for i in range(reps)]
    rate = np.mean([(m.low > 0) | (m.high < 0) for m in miss])
    assert lo <= rate <= hi


def test_what_if_ols_is_coefficient_times_moved():
    rng, cat, seg = _world(1, 400, 7)
    ltv = 1000 + np.array([0, 200, 500])[cat[0]] + rng.normal(0, 300, 400)
    df = _frame(cat[0], seg[0], ltv=ltv)
    m = ltv_model(df, controls=["segment"])
    w = what_if(m, share=0.2, to="promoter")
    b = m.term("category[promoter]")
    n_d = (df["category"] == "detractor").sum()
    assert w.detractors == n_d and w.moved == pytest.approx(0.2 * n_d)
    assert w.per_customer == pytest.approx(b["estimate"])
    assert (w.per_customer_low, w.per_customer_high) == pytest.approx((b["ci_low"], b["ci_high"]))
    assert w.total == pytest.approx(0.2 * n_d * b["estimate"])
    assert w.note == ASSOCIATIONAL and "not causal" in w.summary["interpretation"][0]
    w2 = what_if(m, share=0.2, to="promoter", detractors=10_000)
    assert w2.total == pytest.approx(2000 * b["estimate"])


def test_what_if_gamma_without_controls_is_difference_of_group_means():
    rng, cat, seg = _world(1, 600, 8)
    ltv = rng.gamma(2.0, np.exp(8 + np.array([0, 0.2, 0.4])[cat[0]]) / 2.0)
    df = _frame(cat[0], seg[0], ltv=ltv)
    w = what_if(ltv_model(df, model="gamma"), share=0.5, to="passive")
    means = df.groupby("category")["ltv"].mean()
    assert w.per_customer == pytest.approx(means["passive"] - means["detractor"], rel=1e-6)


def test_what_if_gamma_interval_covers_the_true_difference():
    reps, n = 150, 400
    rng, cat, seg = _world(reps, n, 9)
    b = np.array([0.0, 0.15, 0.35])
    base = 8.0 + np.array([1.0, 0.5, 0.0])[seg]
    ltv = rng.gamma(2.0, np.exp(base + b[cat]) / 2.0)
    hits = []
    for i in range(reps):
        w = what_if(ltv_model(_frame(cat[i], seg[i], ltv=ltv[i]), controls=["segment"], model="gamma"),
                    share=0.1, to="promoter")
        d = cat[i] == 0
        true = np.mean(np.exp(base[i][d]) * (np.exp(0.35) - 1.0))  # given these detractors
        hits.append(w.per_customer_low <= true <= w.per_customer_high)
    lo, hi = _limits(reps, 0.95)
    assert lo <= np.mean(hits) <= hi


def test_what_if_table_and_options():
    rng, cat, seg = _world(1, 300, 10)
    df = _frame(cat[0], seg[0], ltv=rng.lognormal(8, 1, 300))
    m = ltv_model(df, model="log")
    t = what_if_table(m, shares=(0.1, 0.5))
    assert len(t) == 4 and set(t["to"]) == {"passive", "promoter"}
    with pytest.raises(ParameterError, match="'passive', 'promoter'"):
        what_if(m, to="detractor")
    with pytest.raises(ParameterError, match="share"):
        what_if(m, share=1.5)
    with pytest.raises(ParameterError, match="ltv_model"):
        what_if(churn_model(df.assign(churned=rng.integers(0, 2, 300))))


def test_model_input_errors():
    df = pd.DataFrame({"category": ["detractor", "passive", "promoter"] * 10,
                       "ltv": np.r_[0.0, np.arange(1, 30.0)], "churned": [1, 0, 0] * 10,
                       "segment": ["a", "b"] * 15})
    with pytest.raises(DataError, match="Gamma model needs"):
        ltv_model(df, model="gamma")
    with pytest.raises(ParameterError, match="'ols', 'log', 'gamma'"):
        ltv_model(df, model="tobit")
    with pytest.raises(DataError, match="perfect separation"):
        churn_model(df)
    with pytest.raises(DataError, match="'tenure' not found"):
        ltv_model(df, controls=["tenure"])
    m = ltv_model(df.assign(ltv=df["ltv"].mask(df.index < 3)), controls=["segment"])
    assert m.n == 27 and m.n_dropped == 3
    assert m.summary.columns[:6].tolist() == ["term", "label", "estimate", "ci_low", "ci_high", "p_value"]
    assert "segment: b vs a" in m.summary["label"].tolist()


def test_numeric_control_enters_linearly():
    rng = np.random.default_rng(12)
    n = 2000
    cat = rng.choice(3, n)
    tenure = rng.uniform(0, 10, n)
    ltv = 100 + 50 * tenure + np.array([0, 10, 40])[cat] + rng.normal(0, 20, n)
    m = ltv_model(pd.DataFrame({"category": CATS[cat], "tenure": tenure, "ltv": ltv}), controls=["tenure"])
    row = m.term("tenure")
    assert row["ci_low"] < 50 < row["ci_high"] and row["label"] == "tenure (per unit)"
