"""ABC classes, the join of responses to customers, NPS per class and the class comparison."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency, norm
from statsmodels.stats.multitest import multipletests

from nps_kit.errors import DataError, NPSKitWarning, ParameterError
from nps_kit.revenue.by_class import class_counts, class_table, compare_classes
from nps_kit.revenue.classes import abc_classes, join_responses, lorenz_curve


def _customers(revenues, ids=None):
    ids = ids or [f"c{i:02d}" for i in range(len(revenues))]
    return pd.DataFrame({"customer_id": ids, "annual_revenue": revenues})


def _classes_of(result):
    c = result.customers
    return dict(zip(c["customer_id"], c["class"].astype(str)))


def test_default_split_is_20_30_50_of_customers():
    res = abc_classes(_customers(list(range(100, 0, -10))))  # c00 richest ... c09 poorest
    got = _classes_of(res)
    assert [got[f"c{i:02d}"] for i in range(10)] == list("AABBBCCCCC")
    s = res.summary
    assert s["customers"].tolist() == [2, 3, 5]
    assert s["revenue"].tolist() == [190.0, 210.0, 150.0]
    assert s["revenue_share"].sum() == pytest.approx(1.0)
    assert res.customers["rank"].tolist() == list(range(1, 11))


def test_row_order_does_not_matter():
    base = _customers([100, 90, 90, 80, 70, 60, 50, 40, 30, 20])
    shuffled = base.sample(frac=1.0, random_state=3)
    assert _classes_of(abc_classes(base)) == _classes_of(abc_classes(shuffled))


def test_tie_across_the_a_b_boundary_goes_to_a():
    # positions 0..9; A ends after position 1, but c01 and c02 tie at 90: both A
    res = abc_classes(_customers([100, 90, 90, 80, 70, 60, 50, 40, 30, 20]))
    got = _classes_of(res)
    assert [got[f"c{i:02d}"] for i in range(10)] == list("AAABBCCCCC")
    assert res.summary["customers"].tolist() == [3, 2, 5]


def test_tie_across_the_b_c_boundary_goes_to_b():
    # B ends after position 4; c04, c05, c06 tie at 60
    res = abc_classes(_customers([100, 90, 80, 70, 60, 60, 60, 40, 30, 20]))
    got = _classes_of(res)
    assert [got[f"c{i:02d}"] for i in range(10)] == list("AABBBBBCCC")


def test_all_equal_revenue_is_one_class():
    res = abc_classes(_customers([5.0] * 6))
    assert set(_classes_of(res).values()) == {"A"}


def test_zero_revenue_is_kept_and_always_c():
    # seven of ten have zero revenue: their tie group starts at position 3 (inside B) but they
    # are class C by the zero-revenue rule
    res = abc_classes(_customers([100, 50, 10] + [0] * 7))
    got = _classes_of(res)
    assert [got[f"c{i:02d}"] for i in range(3)] == ["A", "A", "B"]
    assert all(got[f"c{i:02d}"] == "C" for i in range(3, 10))
    assert res.n_unclassified == 0


def test_missing_and_negative_revenue_are_reported_not_lost():
    df = _customers([100, None, 50, -20, 10, 0])
    res = abc_classes(df, file="cust.csv")
    assert res.n_customers == 4 and res.n_unclassified == 2
    assert res.n_customers + res.n_unclassified == len(df)
    u = res.unclassified.set_index("customer_id")
    assert u.loc["c01", "reason"] == "missing revenue"
    assert u.loc["c01", "row"] == 3  # data row 1 is file row 3
    assert u.loc["c03", "reason"].startswith("negative revenue")
    assert u.loc["c03", "revenue"] == "-20.0"


def test_revenue_text_is_parsed_and_bad_text_names_rows():
    ok = abc_classes(_customers(["100", " 50 ", "", "10"]))
    assert ok.n_customers == 3 and ok.unclassified["reason"].tolist() == ["missing revenue"]
    with pytest.raises(DataError, match=r"cust\.csv.*'annual_revenue'.*row 3: '\$50'"):
        abc_classes(_customers(["100", "$50", "10"]), file="cust.csv")


def test_duplicate_ids_name_the_rows():
    df = _customers([1, 2, 3, 4], ids=["x", "y", "x", "z"])
    with pytest.raises(DataError, match=r"cust\.csv.*unique.*row 2: 'x'; row 4: 'x'"):
        abc_classes(df, file="cust.csv")


def test_missing_id_and_missing_column():
    with pytest.raises(DataError, match=r"empty in 1 row.*\[3\]"):
        abc_classes(_customers([1, 2], ids=["a", None]))
    with pytest.raises(DataError, match="'revenue' not found"):
        abc_classes(_customers([1, 2]), revenue="revenue")


def test_revenue_mode_80_15_5():
    # shares before each customer: 0, .5, .8, .9, .95, .99
    res = abc_classes(_customers([50, 30, 10, 5, 4, 1]), mode="revenue")
    got = _classes_of(res)
    assert [got[f"c{i:02d}"] for i in range(6)] == list("AABBCC")
    assert res.cuts == (0.8, 0.95)


def test_revenue_mode_ties_share_a_class():
    # c01 crosses 80 %, c02 ties with it: both A
    res = abc_classes(_customers([60, 30, 30, 5, 5]), mode="revenue", revenue_cuts=(0.7, 0.9))
    got = _classes_of(res)
    assert [got[f"c{i:02d}"] for i in range(5)] == list("AAACC")


def test_revenue_mode_all_zero_is_an_error():
    with pytest.raises(DataError, match="zero"):
        abc_classes(_customers([0, 0, 0]), mode="revenue")


def test_bad_options():
    with pytest.raises(ParameterError, match="'customers', 'revenue'"):
        abc_classes(_customers([1, 2]), mode="pareto")
    with pytest.raises(ParameterError, match="0 < first < second < 1"):
        abc_classes(_customers([1, 2]), cuts=(0.5, 0.2))


def test_lorenz_curve_ends_at_one_and_is_concave():
    res = abc_classes(_customers([100, 60, 30, 10]))
    curve = lorenz_curve(res)
    assert curve.iloc[0][["customer_share", "revenue_share"]].tolist() == [0.0, 0.0]
    assert curve["revenue_share"].iloc[-1] == pytest.approx(1.0)
    assert curve["revenue_share"].tolist() == pytest.approx([0, 0.5, 0.8, 0.95, 1.0])


# --- join -------------------------------------------------------------------------------


@pytest.fixture
def small():
    customers = _customers([1000, 800, 600, 400, 300, 200, 150, 100, 50, None])
    responses = pd.DataFrame({
        "respondent_id": ["c00", "c01", "c05", "c08", "zz", "c09", "c00", "c03"],
        "wave": ["w2", "w2", "w2", "w2", "w2", "w2", "w1", "w2"],
        "score": [10, 3, 8, None, 9, 7, 5, 6],
        "comment": ["great", "slow", None, None, "hi", "ok", "old", "meh"],
    })
    return abc_classes(customers), responses


def test_join_reports_every_row(small):
    classes, responses = small
    j = join_responses(classes, responses, wave_column="wave", wave="w2", comment="comment",
                       file="resp.csv")
    assert j.rows_in == 8 and j.rows_other_waves == 1
    assert j.rows_matched == 5 and j.rows_unmatched == 2
    assert j.rows_in == j.rows_other_waves + j.rows_matched + j.rows_unmatched
    u = j.unmatched.set_index("respondent_id")
    assert u.loc["zz", "reason"].startswith("no customer")
    assert u.loc["zz", "row"] == 6
    assert u.loc["c09", "reason"].startswith("the customer has no usable revenue")
    assert j.declined == 1
    s = j.summary.iloc[0]
    assert (s["without_customer"], s["customer_without_revenue"], s["matched"]) == (1, 1, 5)
    d = j.data.set_index("customer_id")
    assert d.loc["c01", "category"] == "detractor" and d.loc["c01", "comment"] == "slow"
    assert pd.isna(d.loc["c08", "category"])


def test_join_defaults_to_latest_wave_and_checks_wave(small):
    classes, responses = small
    assert join_responses(classes, responses, wave_column="wave").wave == "w2"
    with pytest.raises(DataError, match="wave 'w9' not found.*'w1', 'w2'"):
        join_responses(classes, responses, wave_column="wave", wave="w9")
    with pytest.raises(ParameterError, match="wave_column"):
        join_responses(classes, responses, wave="w2")


def test_join_rejects_a_customer_answering_twice(small):
    classes, responses = small
    with pytest.raises(DataError, match=r"more than once.*row 2: 'c00'; row 8: 'c00'"):
        join_responses(classes, responses)


def test_join_nonresponse_rule(small):
    classes, responses = small
    j = join_responses(classes, responses, wave_column="wave", nonresponse="detractor")
    assert j.data.set_index("customer_id").loc["c08", "category"] == "detractor"
    counts = class_counts(j).set_index("class")
    # c00 A promoter; c01 A detractor; c03 B detractor; c05 C passive; c08 C declined -> detractor
    assert counts.loc["A", ["detractors", "passives", "promoters"]].tolist() == [1, 0, 1]
    assert counts.loc["B", ["detractors", "passives", "promoters"]].tolist() == [1, 0, 0]
    assert counts.loc["C", ["detractors", "passives", "promoters", "declined"]].tolist() == [1, 1, 0, 1]


def test_ids_match_across_types():
    classes = abc_classes(pd.DataFrame({"customer_id": [101, 102, 103], "annual_revenue": [3, 2, 1]}))
    responses = pd.DataFrame({"respondent_id": ["101", " 103"], "score": [9, 2]})
    assert join_responses(classes, responses).rows_matched == 2


# --- per class ----------------------------------------------------------------------------


def _population(n_per_class=(20, 30, 50)):
    n = sum(n_per_class)
    return _customers(list(np.arange(n, 0, -1) * 10.0), ids=[f"k{i:03d}" for i in range(n)])


def test_class_table_counts_rates_and_nps():
    classes = abc_classes(_population())  # A = k000..k019, B = k020..k049, C = k050..k099
    ids = ["k000", "k001", "k002", "k003", "k020", "k021", "k050", "k051", "k052", "k053"]
    scores = [10, 9, 3, 7, 10, 10, 0, 1, 2, 9]
    j = join_responses(classes, pd.DataFrame({"respondent_id": ids, "score": scores}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = class_table(classes, j, method="wald").set_index("class")
    assert t["customers"].tolist() == [20, 30, 50]
    assert t["respondents"].tolist() == [4, 2, 4]
    assert t["response_rate"].tolist() == pytest.approx([4 / 20, 2 / 30, 4 / 50])
    assert t["nps"].tolist() == pytest.approx([25.0, 100.0, -50.0])
    # Wald se for A: shares d = .25, p = .5 -> v = .75 - .0625
    assert t.loc["A", "se"] == pytest.approx(100 * np.sqrt((0.75 - 0.0625) / 4))


def test_low_response_is_flagged_and_warned():
    classes = abc_classes(_population())
    ids = [f"k{i:03d}" for i in range(10)] + ["k020", "k021", "k022", "k023", "k024", "k025", "k050"]
    j = join_responses(classes, pd.DataFrame({"respondent_id": ids, "score": [9] * len(ids)}))
    # rates: A 10/20 = .5, B 6/30 = .2, C 1/50 = .02; half of the top is .25
    with pytest.warns(NPSKitWarning, match=r"class\(es\) B \(20.0%\), C \(2.0%\)"):
        t = class_table(classes, j)
    assert t["low_response"].tolist() == [False, True, True]


def test_no_warning_when_rates_are_close():
    classes = abc_classes(_population())
    ids = [f"k{i:03d}" for i in (0, 1, 20, 21, 22, 50, 51, 52, 53, 54)]
    j = join_responses(classes, pd.DataFrame({"respondent_id": ids, "score": [9] * 10}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = class_table(classes, j)
    assert not t["low_response"].any()


def test_compare_classes_against_scipy_and_hand_formula():
    rng = np.random.default_rng(7)
    classes = abc_classes(_population((40, 60, 100)))
    ids = classes.customers["customer_id"].to_numpy()
    scores = rng.integers(0, 11, len(ids))
    j = join_responses(classes, pd.DataFrame({"respondent_id": ids, "score": scores}))
    res = compare_classes(j, method="wald")
    table = class_counts(j)[["detractors", "passives", "promoters"]].to_numpy()
    ref = chi2_contingency(table, correction=False)
    assert res.chi2 == pytest.approx(ref.statistic) and res.p_value == pytest.approx(ref.pvalue)
    assert res.dof == 4 and res.note == ""
    row = res.pairwise.iloc[0]  # A vs B
    x1, x2 = table[0] / table[0].sum(), table[1] / table[1].sum()
    v1 = x1[2] + x1[0] - (x1[2] - x1[0]) ** 2
    v2 = x2[2] + x2[0] - (x2[2] - x2[0]) ** 2
    se = 100 * np.sqrt(v1 / table[0].sum() + v2 / table[1].sum())
    diff = 100 * ((x1[2] - x1[0]) - (x2[2] - x2[0]))
    assert (row["class_1"], row["class_2"]) == ("A", "B")
    assert row["difference"] == pytest.approx(diff) and row["se"] == pytest.approx(se)
    assert row["p_value"] == pytest.approx(2 * norm.sf(abs(diff / se)))
    ref_holm = multipletests(res.pairwise["p_value"], method="holm")[1]
    assert res.pairwise["p_holm"].to_numpy() == pytest.approx(ref_holm)


def test_compare_classes_notes_small_expected_counts():
    classes = abc_classes(_population())
    ids = ["k000", "k001", "k020", "k021", "k050", "k051"]
    j = join_responses(classes, pd.DataFrame({"respondent_id": ids, "score": [10, 3, 8, 9, 0, 10]}))
    res = compare_classes(j)
    assert "below 5" in res.note and res.min_expected < 5
    assert res.method == "adjusted-wald"


def test_figures_draw_from_the_tables():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nps_kit.revenue.study import abc_analysis
    from nps_kit.plots.segments import (
        lorenz_plot,
        nps_by_class_plot,
        response_rate_plot,
        revenue_at_risk_plot,
    )

    customers = _population()
    ids = [f"k{i:03d}" for i in (0, 1, 2, 3, 20, 21, 22, 50, 51, 52, 53)]
    responses = pd.DataFrame({"respondent_id": ids, "score": [10, 9, 3, 7, 10, 2, 8, 0, 9, 9, 6]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = abc_analysis(customers, responses, n_resamples=200)
    ax = lorenz_plot(lorenz_curve(a.classes), a.classes.summary)
    assert [t.get_text() for t in ax.texts if len(t.get_text()) == 1] == ["A", "B", "C"]
    x, y = ax.lines[0].get_data()
    assert x[-1] == pytest.approx(100) and y[-1] == pytest.approx(100)
    ax = nps_by_class_plot(a.by_class, a.weighted)
    assert [t.get_text() for t in ax.get_xticklabels()][0].startswith("A\n(n = 4)")
    ax = revenue_at_risk_plot(a.revenue.table)
    heights = [p.get_height() for p in ax.patches]
    assert len(heights) == 6 and max(heights) > 0
    ax = response_rate_plot(a.by_class)
    assert [p.get_height() for p in ax.patches] == pytest.approx([20.0, 10.0, 8.0])
    plt.close("all")
