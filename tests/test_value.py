"""nps_kit.outcomes.by_category and nps_kit.outcomes.aggregate: join reporting, category statistics, correlation,
revenue at risk, aggregate points and their warning."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from nps_kit.errors import DataError, NPSKitWarning, ParameterError
from nps_kit.data.paths import resolve_path
from nps_kit.engines.dispatch import summarize
from nps_kit.outcomes.by_category import (
    CAVEATS,
    JoinResult,
    caveats,
    category_outcomes,
    check_one_per_customer,
    correlation_interval,
    join_outcomes,
    load_value_data,
    mean_by_category,
    rank_correlation,
    rate_by_category,
    expected_churn_loss,
)
from nps_kit.outcomes.aggregate import aggregate_correlation, outcome_points


@pytest.fixture
def small():
    responses = pd.DataFrame({
        "respondent_id": ["a", "b", "c", "c", "d", "x", None, "e"],
        "wave": ["w1", "w1", "w1", "w2", "w2", "w2", "w2", "w2"],
        "score": [9.0, 3.0, 5.0, 10.0, np.nan, 7.0, 8.0, 8.0],
        "segment": ["s", "s", "t", "t", "s", "t", "s", "t"],
    })
    outcomes = pd.DataFrame({
        "customer_id": ["a", "b", "c", "d", "e", "f", "g"],
        "ltv": [100.0, 50.0, 80.0, 10.0, 60.0, 5.0, 7.0],
        "churned": [0, 1, 0, 1, 0, 1, 0],
    })
    return responses, outcomes


def test_join_latest_counts_and_tables(small):
    responses, outcomes = small
    j = join_outcomes(responses, outcomes, responses_file="r.csv", outcomes_file="o.csv")
    assert isinstance(j, JoinResult)
    # kept: a (w1), b (w1), c (w2, its latest), e; d has no score; x not in outcomes; one no id
    assert sorted(j.data["respondent_id"]) == ["a", "b", "c", "e"]
    c_row = j.data.loc[j.data["respondent_id"] == "c"].iloc[0]
    assert c_row["wave"] == "w2" and c_row["score"] == 10.0 and c_row["category"] == "promoter"
    assert c_row["ltv"] == 80.0
    assert (j.matched, j.no_score, j.outside_window, j.unmatched_responses,
            j.missing_id_responses) == (4, 1, 1, 1, 1)
    assert j.responses_read == j.matched + j.no_score + j.outside_window + \
        j.unmatched_responses + j.missing_id_responses
    # outcomes: d (no scored response), f, g unmatched
    assert j.unmatched_outcomes == 3
    assert j.outcomes_read == j.matched + j.unmatched_outcomes + j.missing_id_outcomes
    assert list(j.unmatched_responses_table["id"]) == ["x"]
    assert list(j.unmatched_responses_table["row"]) == [7]  # data row 5 -> file row 7
    assert sorted(j.unmatched_outcomes_table["id"]) == ["d", "f", "g"]
    assert set(j.dropped["file"]) == {"r.csv", "o.csv"}
    # the summary carries counts only: no identifiers
    s = j.summary
    assert "id" not in s.columns and s.loc[s["what"] == "read", "rows"].tolist() == [8, 7]
    assert "<table" in j._repr_html_()


def test_join_wave_window(small):
    responses, outcomes = small
    j = join_outcomes(responses, outcomes, window="wave", wave_value="w1")
    assert sorted(j.data["respondent_id"]) == ["a", "b", "c"]
    assert j.data.loc[j.data["respondent_id"] == "c", "score"].item() == 5.0
    assert j.outside_window == 3  # c, x and e scored in w2; d has no score; one row has no id
    assert j.responses_read == j.matched + j.no_score + j.outside_window + j.missing_id_responses
    with pytest.raises(DataError, match="no scored response in wave 'w9'"):
        join_outcomes(responses, outcomes, window="wave", wave_value="w9")
    with pytest.raises(ParameterError, match="wave_value"):
        join_outcomes(responses, outcomes, window="wave")


def test_join_all_keeps_repeats_and_models_refuse_them(small):
    responses, outcomes = small
    j = join_outcomes(responses, outcomes, window="all")
    assert (j.data["respondent_id"] == "c").sum() == 2
    with pytest.raises(DataError, match="count several times"):
        check_one_per_customer(j.data, "respondent_id")
    with pytest.raises(DataError, match="window='latest'"):
        category_outcomes(j.data, id="respondent_id")


def test_join_matches_numeric_and_text_ids():
    r = pd.DataFrame({"respondent_id": [101, 102], "score": [9.0, 2.0]})
    o = pd.DataFrame({"customer_id": ["101", " 102 "], "ltv": [1.0, 2.0], "churned": [0, 1]})
    j = join_outcomes(r, o, wave=None)
    assert j.matched == 2 and j.unmatched_outcomes == 0
    # integer ids read as floats because of a blank id elsewhere still match
    r2 = pd.DataFrame({"respondent_id": [101.0, np.nan], "score": [9.0, 2.0]})
    j = join_outcomes(r2, o, wave=None)
    assert j.matched == 1 and j.missing_id_responses == 1 and j.unmatched_outcomes == 1


def test_duplicate_outcomes_name_file_and_rows(small):
    responses, outcomes = small
    dup = pd.concat([outcomes, outcomes.iloc[[1]]], ignore_index=True)
    with pytest.raises(DataError) as exc:
        join_outcomes(responses, dup, outcomes_file="outcomes.csv")
    msg = str(exc.value)
    assert "outcomes.csv" in msg and "'b' in rows 3, 9" in msg and "customer_id" in msg


def test_bad_outcome_values_name_rows(small):
    responses, outcomes = small
    bad = outcomes.assign(churned=[0, 1, 0, "yes", 0, 1, 0])
    with pytest.raises(DataError, match=r"churned.*row 5: 'yes'"):
        join_outcomes(responses, bad)
    bad = outcomes.assign(churned=[0, 1, 0, 2, 0, 1, 0])
    with pytest.raises(DataError, match="0 or 1"):
        join_outcomes(responses, bad)
    with pytest.raises(DataError, match="'revenue' not found"):
        join_outcomes(responses, outcomes, ltv="revenue")
    with pytest.raises(ParameterError, match="window"):
        join_outcomes(responses, outcomes, window="first")


def test_same_wave_duplicate_cannot_pick_latest():
    r = pd.DataFrame({"respondent_id": ["a", "a"], "wave": ["w1", "w1"], "score": [1.0, 9.0]})
    o = pd.DataFrame({"customer_id": ["a"], "ltv": [1.0], "churned": [0]})
    with pytest.raises(DataError, match="latest response cannot be chosen"):
        join_outcomes(r, o)


def test_load_demo_accounts_for_every_row():
    j = load_value_data("demo:responses.csv", "demo:outcomes.csv", customers="demo:customers.csv",
                        customer_columns=["annual_revenue"])
    raw = pd.read_csv(resolve_path("demo:responses.csv"))
    assert j.responses_read == len(raw)
    assert j.responses_read == (j.matched + j.no_score + j.outside_window + j.unmatched_responses
                                + j.missing_id_responses)
    assert j.data["respondent_id"].is_unique
    assert j.matched == raw.loc[raw["score"].notna(), "respondent_id"].nunique()
    assert j.data["annual_revenue"].notna().all()
    assert len(j.dropped) == j.responses_read - j.matched + j.unmatched_outcomes


# ---------------------------------------------------------------------------------------------
# category statistics


@pytest.fixture
def customers():
    rng = np.random.default_rng(11)
    n = 900
    cat = rng.choice(["detractor", "passive", "promoter"], n, p=[0.25, 0.35, 0.4])
    return pd.DataFrame({
        "category": cat,
        "ltv": rng.lognormal(8, 1, n),
        "churned": (rng.random(n) < np.where(cat == "detractor", 0.3, 0.1)).astype(int),
        "revenue": rng.lognormal(9, 0.5, n),
        "score": np.select([cat == "detractor", cat == "passive"], [rng.integers(0, 7, n),
                           rng.integers(7, 9, n)], rng.integers(9, 11, n)).astype(float),
    })


def test_t_interval_matches_scipy(customers):
    out = mean_by_category(customers, "ltv", method="t", confidence=0.9)
    for row in out.itertuples():
        v = customers.loc[customers["category"] == row.category, "ltv"].to_numpy()
        low, high = stats.t.interval(0.9, len(v) - 1, loc=v.mean(), scale=stats.sem(v))
        assert row.n == len(v)
        assert row.mean == pytest.approx(v.mean())
        assert (row.ci_low, row.ci_high) == pytest.approx((low, high))


def test_bootstrap_interval_seeded_and_close_to_t_for_symmetric_data():
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"category": np.repeat(["detractor", "passive", "promoter"], 800),
                       "ltv": rng.normal(100, 10, 2400)})
    a = mean_by_category(df, method="bootstrap", seed=5, n_resamples=4000)
    b = mean_by_category(df, method="bootstrap", seed=5, n_resamples=4000)
    pd.testing.assert_frame_equal(a, b)
    t = mean_by_category(df, method="t")
    width = (t["ci_high"] - t["ci_low"]).to_numpy()
    assert np.allclose(a["ci_low"], t["ci_low"], atol=0.08 * width)
    assert np.allclose(a["ci_high"], t["ci_high"], atol=0.08 * width)
    c = mean_by_category(df, method="bootstrap", seed=6, n_resamples=4000)
    assert not np.array_equal(a["ci_low"], c["ci_low"])


def test_wilson_matches_hand_formula(customers):
    out = rate_by_category(customers, "churned", confidence=0.95)
    z = stats.norm.ppf(0.975)
    for row in out.itertuples():
        v = customers.loc[customers["category"] == row.category, "churned"].to_numpy()
        n, p = len(v), v.mean()
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        assert row.rate == pytest.approx(p)
        assert (row.ci_low, row.ci_high) == pytest.approx((centre - half, centre + half))


def test_category_outcomes_columns(customers):
    out = category_outcomes(customers, ltv="ltv", churn="churned")
    assert list(out.columns[:8]) == ["category", "n", "mean_ltv", "ltv_ci_low", "ltv_ci_high",
                                     "churn_rate", "churn_ci_low", "churn_ci_high"]
    assert list(out["category"]) == ["detractor", "passive", "promoter"]
    assert out["n"].sum() == len(customers)
    assert (out["ltv_ci_low"] < out["mean_ltv"]).all() and (out["mean_ltv"] < out["ltv_ci_high"]).all()
    with pytest.raises(ParameterError, match="'t', 'bootstrap'"):
        category_outcomes(customers, ltv_interval="bca")
    with pytest.raises(DataError, match="detractor/passive/promoter"):
        category_outcomes(customers.assign(category="fan"))


def test_missing_outcomes_are_counted_not_used(customers):
    df = customers.copy()
    df.loc[:9, "ltv"] = np.nan
    out = category_outcomes(df)
    assert out["n"].sum() == len(df) and out["n_ltv"].sum() == len(df) - 10


# ---------------------------------------------------------------------------------------------
# correlation


def test_spearman_interval_hand_computation(customers):
    res = rank_correlation(customers, "score", "ltv", confidence=0.95)
    r = stats.spearmanr(customers["score"], customers["ltv"]).statistic
    n = len(customers)
    se = np.sqrt((1 + r**2 / 2) / (n - 3))  # Bonett & Wright (2000)
    z = stats.norm.ppf(0.975)
    assert res.r == pytest.approx(r)
    assert (res.low, res.high) == pytest.approx((np.tanh(np.arctanh(r) - z * se),
                                                 np.tanh(np.arctanh(r) + z * se)))
    assert list(res.summary.columns[:6]) == ["term", "label", "estimate", "ci_low", "ci_high", "p_value"]


def test_spearman_intervals_cover_the_true_value():
    # bivariate normal: Spearman's rho_s = (6 / pi) arcsin(rho / 2)
    rho, n, reps = 0.5, 80, 300
    true = 6 / np.pi * np.arcsin(rho / 2)
    rng = np.random.default_rng(2024)
    x = rng.standard_normal((reps, n))
    y = rho * x + np.sqrt(1 - rho**2) * rng.standard_normal((reps, n))
    rx, ry = stats.rankdata(x, axis=1), stats.rankdata(y, axis=1)
    r = np.array([np.corrcoef(a, b)[0, 1] for a, b in zip(rx, ry)])
    lims = np.array([correlation_interval(v, n, "spearman", 0.95) for v in r])
    cover = np.mean((lims[:, 0] <= true) & (true <= lims[:, 1]))
    lo, hi = stats.binom.ppf([0.001, 0.999], reps, 0.95) / reps
    assert lo <= cover <= hi


def test_bootstrap_spearman_reproducible_and_near_fisher(customers):
    a = rank_correlation(customers, method="bootstrap", seed=1, n_resamples=1000)
    b = rank_correlation(customers, method="bootstrap", seed=1, n_resamples=1000)
    f = rank_correlation(customers)
    assert a == b
    assert a.low == pytest.approx(f.low, abs=0.03) and a.high == pytest.approx(f.high, abs=0.03)


# ---------------------------------------------------------------------------------------------
# revenue at risk


def test_revenue_at_risk_hand_computation():
    df = pd.DataFrame({
        "category": ["detractor"] * 4 + ["passive"] * 2 + ["promoter"] * 4,
        "revenue": [100, 200, 300, 400, 50, 50, 1000, 1000, 1000, 1000],
        "churned": [1, 1, 0, 0, 0, 1, 0, 0, 0, 1],
    })
    res = expected_churn_loss(df, "revenue", "churned")
    assert res.detractor_loss == pytest.approx(1000 * 0.5)
    assert res.total_loss == pytest.approx(1000 * 0.5 + 100 * 0.5 + 4000 * 0.25)
    assert res.revenue_total == 5100
    wil = rate_by_category(df, "churned")
    assert res.detractor_low == pytest.approx(1000 * wil["ci_low"][0])
    var = 1000**2 * 0.25 / 4 + 100**2 * 0.25 / 2 + 4000**2 * 0.1875 / 4
    assert res.total_high - res.total_loss == pytest.approx(stats.norm.ppf(0.975) * np.sqrt(var))
    assert res.summary["category"].tolist()[-1] == "total"


def test_revenue_at_risk_rejects_negative_revenue():
    df = pd.DataFrame({"category": ["detractor", "promoter"], "revenue": [-1.0, 2.0], "churned": [1, 0]})
    with pytest.raises(DataError, match="negative"):
        expected_churn_loss(df, "revenue")


def test_caveats_cover_the_three_themes():
    text = " ".join(caveats()).lower()
    assert "causation" in text and "survivorship" in text and "who answered" in text
    assert caveats() == list(CAVEATS)


# ---------------------------------------------------------------------------------------------
# aggregate level


def test_outcome_points_match_summarize():
    j = load_value_data("demo:responses.csv", "demo:outcomes.csv", window="all")
    pts = outcome_points(j.data, "ltv", by=["wave", "segment"])
    ref = summarize(j.data, "score", by=["wave", "segment"])
    assert np.allclose(pts["nps"], ref["nps"]) and (pts["n"] == ref["n"]).all()
    first = pts.iloc[0]
    sub = j.data[(j.data["wave"] == first["wave"]) & (j.data["segment"] == first["segment"])]
    assert first["outcome_value"] == pytest.approx(sub["ltv"].mean())
    assert len(pts) == 12


def test_aggregate_correlation_pearson_and_no_warning_with_enough_points():
    rng = np.random.default_rng(0)
    pts = pd.DataFrame({"nps": rng.normal(20, 10, 15)}).assign(outcome_value=lambda d: d.nps * 2 + rng.normal(0, 5, 15))
    with warnings.catch_warnings():
        warnings.simplefilter("error", NPSKitWarning)
        res = aggregate_correlation(pts)
    assert res.r == pytest.approx(np.corrcoef(pts.nps, pts.outcome_value)[0, 1])
    assert res.warning == ""
    assert res.low < res.r < res.high
    slope, intercept = np.polyfit(pts.nps, pts.outcome_value, 1)
    assert (res.slope, res.intercept) == pytest.approx((slope, intercept))


def test_aggregate_warns_with_few_points():
    pts = pd.DataFrame({"nps": [10.0, 20, 30, 40, 50], "outcome_value": [1.0, 3, 2, 5, 4]})
    with pytest.warns(NPSKitWarning, match="Only 5 point"):
        res = aggregate_correlation(pts, kind="spearman")
    assert "too few" in res.warning and res.n_points == 5
    assert "Warning" in res._repr_html_()
    with pytest.warns(NPSKitWarning):
        tiny = aggregate_correlation(pts.head(3))
    assert np.isnan(tiny.low) and np.isnan(tiny.high)


def test_within_group_correlation_is_the_partial_correlation():
    import statsmodels.api as sm

    rng = np.random.default_rng(5)
    seg = np.repeat(["a", "b", "c"], 8)
    shift = np.repeat([0.0, 30.0, -20.0], 8)
    nps = rng.normal(20, 8, 24) + shift
    out = 5 * shift + 0.8 * nps + rng.normal(0, 6, 24)
    pts = pd.DataFrame({"segment": seg, "nps": nps, "outcome_value": out})
    res = aggregate_correlation(pts, within="segment")
    dummies = pd.get_dummies(seg, drop_first=True).to_numpy(dtype=float)
    Z = sm.add_constant(dummies)
    rx = sm.OLS(nps, Z).fit().resid
    ry = sm.OLS(out, Z).fit().resid
    assert res.r == pytest.approx(np.corrcoef(rx, ry)[0, 1])
    full = sm.OLS(out, np.column_stack([Z, nps])).fit()
    assert res.p_value == pytest.approx(full.pvalues[-1])
    z = stats.norm.ppf(0.975)
    se = 1 / np.sqrt(24 - 2 - 3)
    assert res.low == pytest.approx(np.tanh(np.arctanh(res.r) - z * se))
    assert res.x == "nps_within" and "nps_within" in res.points.columns
    assert "within segment" in res.summary["label"][0]


def test_plots_draw_the_given_intervals():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nps_kit.plots import CATEGORY_COLORS
    from nps_kit.plots.value import category_outcomes_plot, estimates_plot, nps_outcome_plot
    from nps_kit.outcomes.models import ltv_model

    j = load_value_data("demo:responses.csv", "demo:outcomes.csv")
    table = category_outcomes(j.data)
    ax1, ax2 = category_outcomes_plot(table)
    bars = [p for p in ax1.patches if p.get_height() > 0]
    assert [round(b.get_height(), 6) for b in bars] == [round(v, 6) for v in table["mean_ltv"]]
    assert matplotlib.colors.to_hex(bars[0].get_facecolor()) == CATEGORY_COLORS["detractor"]
    segs = ax2.collections[0].get_segments()  # error bars: one vertical segment per category
    drawn = np.array([s[:, 1] for s in segs])
    assert np.allclose(drawn, 100 * table[["churn_ci_low", "churn_ci_high"]].to_numpy())
    ax = estimates_plot(ltv_model(j.data, model="gamma").summary)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["passive vs detractor", "promoter vs detractor"]
    pts = pd.DataFrame({"nps": np.arange(12.0), "outcome_value": 3 * np.arange(12.0) + 1,
                        "segment": ["a", "b"] * 6})
    ax = nps_outcome_plot(aggregate_correlation(pts))
    line = ax.get_lines()[-1]
    assert line.get_ydata()[0] == pytest.approx(1.0) and line.get_ydata()[-1] == pytest.approx(34.0)
    plt.close("all")
