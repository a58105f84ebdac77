"""Property tests: no figure outside its scale, every interval holds its estimate, on any counts.

Count tables are drawn by hypothesis with empty groups, n = 1, one-category groups and large
groups mixed. Checked for every interval method, for summarize, for changes between waves
(independent and panel), for shrunk league tables and for control-chart slopes:

- NPS, its limits and shrunk values in [-100, 100]; changes and their limits in [-200, 200];
- the printed interval holds the printed estimate (the observed NPS, the observed change);
- an empty group gives NaN, never a number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nps_kit.core.compare import difference_arrays
from nps_kit.core.intervals import METHODS, interval_arrays
from nps_kit.groups.shrinkage import shrink_table
from nps_kit.engines.dispatch import summarize
from nps_kit.waves.control_chart import control_chart_counts

EXAMPLES = 150
small = st.integers(0, 3)
count = st.one_of(small, st.integers(0, 40), st.integers(0, 5000))
triple = st.tuples(count, count, count)
one_category = st.integers(1, 30).flatmap(
    lambda n: st.sampled_from([(n, 0, 0), (0, n, 0), (0, 0, n)]))
group = st.one_of(triple, one_category, st.just((0, 0, 0)), st.sampled_from(
    [(1, 0, 0), (0, 1, 0), (0, 0, 1)]))
tables = st.lists(group, min_size=1, max_size=12)
RUN = settings(max_examples=EXAMPLES, deadline=None,
               suppress_health_check=[HealthCheck.too_slow])
EPS = 1e-9


def _check_interval(est, low, high, n, bound):
    est, low, high, n = map(np.asarray, (est, low, high, n))
    empty = n == 0
    assert np.isnan(est[empty]).all() and np.isnan(low[empty]).all()
    e, lo, hi = est[~empty], low[~empty], high[~empty]
    assert np.isfinite(e).all() and np.isfinite(lo).all() and np.isfinite(hi).all()
    assert (e >= -bound - EPS).all() and (e <= bound + EPS).all()
    assert (lo >= -bound - EPS).all() and (hi <= bound + EPS).all()
    assert (lo <= e + EPS).all() and (e <= hi + EPS).all(), (e, lo, hi)


@RUN
@given(tables, st.sampled_from(METHODS), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_every_method_holds_the_observed_nps_inside_the_scale(counts, method, confidence):
    c = np.array(counts, dtype=float)
    res = interval_arrays(c[:, 0], c[:, 1], c[:, 2], method, confidence, seed=1,
                          n_resamples=200)
    _check_interval(res["nps"], res["low"], res["high"], c.sum(axis=1), 100)
    # the fallback is used only where the method itself missed the observed NPS
    assert not res["fallback"][c.sum(axis=1) == 0].any()


@RUN
@given(tables)
def test_summarize_by_group_holds_its_estimates(counts):
    c = np.array(counts, dtype=np.int64)
    table = pd.DataFrame({"group": [f"g{i}" for i in range(len(c))],
                          "detractors": c[:, 0], "passives": c[:, 1], "promoters": c[:, 2]})
    out = summarize(table, by="group")
    _check_interval(out["nps"], out["ci_low"], out["ci_high"], out["n"], 100)
    assert set(out["method"]) <= {"adjusted-wald", "score"}


@RUN
@given(tables, tables, st.booleans())
def test_changes_hold_the_observed_change_inside_200(first, second, panel):
    k = min(len(first), len(second))
    c1 = np.array(first[:k], dtype=float)
    c2 = np.array(second[:k], dtype=float)
    t = None
    if panel:  # the matched respondents: the smaller of the two counts per category, diagonal
        t = np.zeros((k, 3, 3))
        for i in range(k):
            np.fill_diagonal(t[i], np.minimum(c1[i], c2[i]))
    for method in ("adjusted-wald", "wald"):
        res = difference_arrays(c1, c2, t, method)
        n = np.minimum(c1.sum(axis=1), c2.sum(axis=1))
        _check_interval(res["delta"], res["low"], res["high"], n, 200)


@RUN
@given(st.lists(st.one_of(triple, one_category, st.sampled_from([(1, 0, 0), (0, 0, 1)])),
                min_size=3, max_size=10))
def test_shrunk_values_stay_on_the_scale(counts):
    c = np.array(counts, dtype=np.int64)
    table = pd.DataFrame({"g": [f"g{i}" for i in range(len(c))], "detractors": c[:, 0],
                          "passives": c[:, 1], "promoters": c[:, 2]})
    if (c.sum(axis=1) > 0).sum() < 3 or (c.sum(axis=0) == 0).all():
        return
    res = shrink_table(summarize(table, by="g"), "g", seed=0, n_draws=500)
    t = res.table[res.table["n"] > 0]
    for col in ("nps_shrunk", "shrunk_low", "shrunk_high"):
        assert t[col].between(-100 - EPS, 100 + EPS).all(), col
    assert (t["shrunk_low"] <= t["nps_shrunk"] + EPS).all()
    assert (t["nps_shrunk"] <= t["shrunk_high"] + EPS).all()


@RUN
@given(st.lists(st.one_of(triple, one_category), min_size=2, max_size=12))
def test_trend_slope_needs_five_waves_and_stays_within_200(counts):
    c = np.array(counts, dtype=np.int64)
    if (c.sum(axis=1) == 0).any():
        return  # a wave without answers is not a wave
    waves = pd.DataFrame({"wave": [f"W{i:02d}" for i in range(len(c))], "detractors": c[:, 0],
                          "passives": c[:, 1], "promoters": c[:, 2]})
    chart = control_chart_counts(waves, "wave")
    if len(c) < 5:
        assert np.isnan(chart.slope) and np.isnan(chart.slope_low)
    else:
        assert -200 <= chart.slope_low <= chart.slope <= chart.slope_high <= 200
    assert chart.table["nps"].between(-100, 100).all()
    assert chart.table["lcl"].between(-100, 100).all() and chart.table["ucl"].between(-100, 100).all()
