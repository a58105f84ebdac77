"""NPS control chart: limits by hand, run rule, WLS trend against statsmodels, false-alarm rate,
CLI."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.stats import norm

import nps_kit.waves.control_chart as trmod
from nps_kit.errors import DataError, ParameterError
from nps_kit.simulate.draws import simulate_scores
from nps_kit.waves.control_chart import CHART_COLUMNS, control_chart, control_chart_counts, describe_chart


def _table(counts, labels=None):
    counts = np.asarray(counts)
    labels = labels or [f"M{i + 1:02d}" for i in range(len(counts))]
    return pd.DataFrame({"month": labels, "detractors": counts[:, 0], "passives": counts[:, 1],
                         "promoters": counts[:, 2]})


COUNTS = np.array([[30, 40, 50], [25, 45, 60], [40, 30, 30], [20, 30, 90], [28, 42, 50],
                   [10, 20, 20], [31, 39, 70]])


def test_examples_run():
    res = doctest.testmod(trmod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.attempted > 0 and res.failed == 0


def test_limits_by_hand():
    chart = control_chart_counts(_table(COUNTS), "month")
    d, p, n = COUNTS[:, 0].sum(), COUNTS[:, 2].sum(), COUNTS.sum()
    pb, db = p / n, d / n
    centre = 100 * (pb - db)
    v = pb + db - (pb - db) ** 2
    t = chart.table
    assert list(t.columns) == ["month", *CHART_COLUMNS]
    assert chart.centre == pytest.approx(centre)
    for i, row in t.iterrows():
        ni = COUNTS[i].sum()
        se = 100 * math.sqrt(v / ni)
        assert row["se"] == pytest.approx(se)
        assert row["lcl"] == pytest.approx(max(centre - 3 * se, -100))
        assert row["ucl"] == pytest.approx(min(centre + 3 * se, 100))
        nps = 100 * (COUNTS[i, 2] - COUNTS[i, 0]) / ni
        assert row["nps"] == pytest.approx(nps)
        assert row["outside"] == (nps > centre + 3 * se or nps < centre - 3 * se)
    # wave 4 (90 promoters of 140) is far above; wave 3 far below
    assert t["outside"].tolist()[2:4] == [True, True]
    sentences = describe_chart(chart)
    assert any("M04" in s and "above the upper limit" in s for s in sentences)


def test_centre_from_reference_waves():
    chart = control_chart_counts(_table(COUNTS), "month", centre_waves=["M01", "M02"])
    ref = COUNTS[:2].sum(axis=0)
    assert chart.centre == pytest.approx(100 * (ref[2] - ref[0]) / ref.sum())
    assert chart.centre_waves == ("M01", "M02")
    with pytest.raises(ParameterError, match="M99"):
        control_chart_counts(_table(COUNTS), "month", centre_waves=["M99"])


def test_run_rule():
    # NPS -2 three times, +2 eight times, -2 five times: centre exactly 0, nothing outside
    below, above = [[103, 100, 97]], [[97, 100, 103]]
    chart = control_chart_counts(_table(np.array(below * 3 + above * 8 + below * 5)), "month")
    t = chart.table
    assert chart.centre == pytest.approx(0.0, abs=1e-12) and not t["outside"].any()
    assert t["run"].tolist() == [False] * 3 + [True] * 8 + [False] * 5
    assert any("8 waves in a row above the centre" in s for s in describe_chart(chart))
    shorter = np.array(below * 3 + above * 7 + below * 4)
    assert not control_chart_counts(_table(shorter), "month").table["run"].any()
    assert control_chart_counts(_table(shorter), "month", run_length=7).table["run"].sum() == 7
    # a wave exactly on the centre line ends a run
    broken = np.array(below * 4 + above * 4 + [[100, 100, 100]] + above * 4 + below * 4)
    assert not control_chart_counts(_table(broken), "month").table["run"].any()


def test_trend_against_statsmodels_wls():
    chart = control_chart_counts(_table(COUNTS), "month")
    fixed = control_chart_counts(_table(COUNTS), "month", slope_method="fixed")
    adj = COUNTS + np.array([0.75, 1.5, 0.75])
    na = adj.sum(axis=1)
    pa, da = adj[:, 2] / na, adj[:, 0] / na
    var = 100**2 * (pa + da - (pa - da) ** 2) / na
    y = 100 * (COUNTS[:, 2] - COUNTS[:, 0]) / COUNTS.sum(axis=1)
    x = sm.add_constant(np.arange(len(y), dtype=float))
    fit = sm.WLS(y, x, weights=1 / var).fit()
    assert chart.slope == pytest.approx(fit.params[1]) and fixed.slope == pytest.approx(fit.params[1])
    # statsmodels estimates the scale: fixed = bse / sqrt(scale); overdispersed = bse when scale > 1
    assert fixed.slope_se == pytest.approx(fit.bse[1] / math.sqrt(fit.scale))
    assert fit.scale > 1 and chart.slope_se == pytest.approx(fit.bse[1])
    assert chart.dispersion == pytest.approx(fit.scale)
    lo, hi = fit.conf_int(0.05)[1]
    assert (chart.slope_low, chart.slope_high) == pytest.approx((lo, hi))
    assert chart.slope_p == pytest.approx(fit.pvalues[1])
    z = norm.ppf(0.975)
    assert fixed.slope_high == pytest.approx(fixed.slope + z * fixed.slope_se)
    assert chart.table["trend"].to_numpy() == pytest.approx(fit.fittedvalues)


def test_false_alarm_rate_of_3_sigma_limits_when_stable():
    """Stable process, n = 400 per wave: a wave falls outside 3-sigma limits about 0.27 % of the
    time (normal approximation), checked over 20,000 charts of 12 waves."""
    rng = np.random.default_rng(8)
    reps, waves, n = 20_000, 12, 400
    shares = np.array([0.25, 0.35, 0.40])
    c = rng.multinomial(n, shares, size=(reps, waves))
    # vectorised version of the chart's own formulas, then the module on a sample of charts
    pooled = c.sum(axis=1) / (n * waves)
    centre = pooled[:, 2] - pooled[:, 0]
    v = pooled[:, 2] + pooled[:, 0] - centre**2
    nps = (c[..., 2] - c[..., 0]) / n
    rate = np.mean(np.abs(nps - centre[:, None]) > 3 * np.sqrt(v / n)[:, None])
    assert rate == pytest.approx(2 * norm.sf(3), abs=0.0015)
    for r in range(0, reps, 2000):
        chart = control_chart_counts(_table(c[r]), "month")
        expect = np.abs(nps[r] - centre[r]) > 3 * np.sqrt(v[r] / n)
        assert chart.table["outside"].tolist() == expect.tolist()


def test_from_responses_in_wave_order():
    frames = []
    for i, nps_shift in enumerate([0, 0, 0, 0, 0, 0.12]):
        shares = (0.25 - nps_shift / 2, 0.35, 0.40 + nps_shift / 2)
        frames.append(pd.DataFrame({"wave": f"2024-{i + 1:02d}",
                                    "score": simulate_scores(500, shares, seed=i)}))
    data = pd.concat(frames[::-1], ignore_index=True)  # shuffled order on purpose
    chart = control_chart(data, "score", "wave")
    assert chart.table["wave"].tolist() == [f"2024-{i:02d}" for i in range(1, 7)]
    for w, grp in data.groupby("wave"):
        s = grp["score"].dropna()
        row = chart.table.set_index("wave").loc[w]
        assert row["nps"] == pytest.approx(100 * ((s >= 9).mean() - (s <= 6).mean()))
        assert row["n"] == len(s)


def test_bad_input():
    with pytest.raises(DataError, match="at least 2 waves"):
        control_chart_counts(_table(COUNTS[:1]), "month")
    with pytest.raises(ParameterError, match="sigma"):
        control_chart_counts(_table(COUNTS), "month", sigma=0)
    with pytest.raises(ParameterError, match="run_length"):
        control_chart_counts(_table(COUNTS), "month", run_length=1)


def test_cli_trend_json_and_text(cli, tmp_path):
    from envelopes import envelope_of

    rng = np.random.default_rng(3)
    rows = []
    for i, c in enumerate(COUNTS):
        scores = np.concatenate([rng.integers(0, 7, c[0]), rng.integers(7, 9, c[1]), rng.integers(9, 11, c[2])])
        rows.append(pd.DataFrame({"month": f"2025-{i + 1:02d}", "score": scores}))
    path = tmp_path / "monthly.csv"
    pd.concat(rows).to_csv(path, index=False)
    proc = cli("trend", path, "--wave-column", "month", "--json")
    assert proc.returncode == 0, proc.stderr
    env = envelope_of(proc, "trend")
    ref = control_chart_counts(_table(COUNTS, [f"2025-{i + 1:02d}" for i in range(len(COUNTS))]), "month")
    got = pd.DataFrame(env["results"]["waves"])
    assert got["nps"].to_numpy() == pytest.approx(ref.table["nps"].to_numpy())
    assert got["ucl"].to_numpy() == pytest.approx(ref.table["ucl"].to_numpy())
    assert got["outside"].tolist() == ref.table["outside"].tolist()
    assert env["results"]["trend"]["slope"] == pytest.approx(ref.slope)
    assert env["summary"]["rows_read"] == env["summary"]["rows_kept"] + env["summary"]["rows_dropped"]
    text = cli("trend", path, "--wave-column", "month")
    for sentence in env["results"]["sentences"] + env["notes"]:
        assert sentence in text.stdout
    missing = cli("trend", path)
    assert missing.returncode == 2 and "--wave-column" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_signals_are_credited_to_the_wave_at_which_they_can_be_known():
    """A run is known at its run_length-th wave, not at its first; an outside wave at once."""
    from nps_kit.waves.control_chart import control_chart_counts, describe_chart, signals

    # 12 steady waves around +15, then 10 waves lower (a run), one of them far outside
    steady = [(100, 140, 160)] * 12
    low = [(130, 140, 130)] * 10
    low[5] = (220, 140, 40)
    rows = steady + low
    table = pd.DataFrame(rows, columns=["detractors", "passives", "promoters"]).assign(
        wave=[f"w{i:02d}" for i in range(len(rows))])
    chart = control_chart_counts(table, "wave", centre_waves=[f"w{i:02d}" for i in range(12)])
    found = signals(chart)
    run = found[found["rule"] == "run"].iloc[0]
    assert (run["first"], run["known_at"]) == ("w12", f"w{12 + chart.run_length - 1:02d}")
    outside = found[found["rule"] == "outside"]
    assert "w17" in set(outside["known_at"]) and (outside["first"] == outside["known_at"]).all()
    assert list(found["position"]) == sorted(found["position"])
    assert any(f"known from wave w{12 + chart.run_length - 1:02d}" in line for line in describe_chart(chart))
    assert np.issubdtype(found["position"].dtype, np.integer)
