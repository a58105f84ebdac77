"""Key drivers: AMEs against statsmodels predictions and margeff, truth recovery, warnings,
dropped rows, CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from nps_kit.groups.drivers import DRIVER_COLUMNS, describe_drivers, key_drivers
from nps_kit.errors import DataError, ParameterError
from paths import REALDATA

SO = str(REALDATA / "stackoverflow2018_recommend_sample.csv")
TRUE_B = np.array([[0.8, 1.0],     # intercept: passive, promoter (vs detractor)
                   [0.3, 0.9],     # plan = premium (vs basic)
                   [-0.2, -0.6],   # plan = trial
                   [0.05, 0.15],   # tenure (years)
                   [-0.4, -1.2]])  # flag: complained


def _simulate(n, seed):
    rng = np.random.default_rng(seed)
    plan = rng.choice(["basic", "premium", "trial"], size=n, p=[0.5, 0.3, 0.2])
    tenure = rng.gamma(2.0, 2.0, size=n)
    complained = rng.random(n) < 0.25
    x = np.column_stack([np.ones(n), plan == "premium", plan == "trial", tenure, complained]).astype(float)
    eta = np.column_stack([np.zeros(n), x @ TRUE_B])
    p = np.exp(eta) / np.exp(eta).sum(axis=1, keepdims=True)
    cat = (rng.random(n)[:, None] > np.cumsum(p, axis=1)).sum(axis=1)
    score = np.where(cat == 0, rng.integers(0, 7, n), np.where(cat == 1, rng.integers(7, 9, n), rng.integers(9, 11, n)))
    df = pd.DataFrame({"score": score, "plan": plan, "tenure": tenure, "complained": complained})
    return df, x


def _probs(x, b):
    eta = np.column_stack([np.zeros(len(x)), x @ b])
    e = np.exp(eta - eta.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _fit_sm(df):
    y = np.where(df["score"] <= 6, 0, np.where(df["score"] <= 8, 1, 2))
    x = pd.DataFrame({"const": 1.0, "premium": (df["plan"] == "premium").astype(float),
                      "trial": (df["plan"] == "trial").astype(float), "tenure": df["tenure"],
                      "complained": df["complained"].astype(float)})
    return sm.MNLogit(y, x).fit(method="newton", disp=0), x


def test_effects_against_statsmodels_predictions():
    df, _ = _simulate(3000, 1)
    res = key_drivers(df, "score", categorical=["plan"], numeric=["tenure"], flags=["complained"],
                      reference={"plan": "basic"})
    assert list(res.table.columns) == list(DRIVER_COLUMNS)
    t = res.table
    model, x = _fit_sm(df)

    def nps(frame):
        p = model.predict(frame)
        return 100 * (np.asarray(p)[:, 2] - np.asarray(p)[:, 0]).mean()

    # numeric: finite difference of predicted probabilities
    h = 1e-4
    up, dn = x.copy(), x.copy()
    up["tenure"] += h
    dn["tenure"] -= h
    tenure = res.table[res.table["attribute"] == "tenure"].iloc[0]
    assert tenure["nps_effect"] == pytest.approx((nps(up) - nps(dn)) / (2 * h), rel=1e-5)
    # categorical: everyone at the level minus everyone at the reference
    base = x.assign(premium=0.0, trial=0.0)
    for level in ("premium", "trial"):
        row = t[(t["attribute"] == "plan") & (t["level"] == level)].iloc[0]
        assert row["reference"] == "basic" and row["n_level"] == int((df["plan"] == level).sum())
        assert row["nps_effect"] == pytest.approx(nps(base.assign(**{level: 1.0})) - nps(base), rel=1e-7)
    flag = t[t["attribute"] == "complained"].iloc[0]
    assert flag["nps_effect"] == pytest.approx(nps(x.assign(complained=1.0)) - nps(x.assign(complained=0.0)), rel=1e-7)
    # per-category AMEs add up to zero (probabilities sum to one)
    assert (res.table[["ame_detractor", "ame_passive", "ame_promoter"]].sum(axis=1).abs() < 1e-8).all()


def test_numeric_delta_method_se_against_statsmodels_margeff():
    df, _ = _simulate(3000, 2)
    res = key_drivers(df[["score", "tenure"]], "score", numeric=["tenure"])
    y = np.where(df["score"] <= 6, 0, np.where(df["score"] <= 8, 1, 2))
    model = sm.MNLogit(y, sm.add_constant(df[["tenure"]])).fit(method="newton", disp=0)
    me = model.get_margeff(at="overall", method="dydx")
    q = me.margeff.shape[0]
    cov = me.margeff_cov  # category-major: index = category * q + variable
    var = cov[0, 0] + cov[2 * q, 2 * q] - 2 * cov[0, 2 * q]
    row = res.table.iloc[0]
    assert row["nps_effect"] == pytest.approx(100 * (me.margeff[0, 2] - me.margeff[0, 0]), rel=1e-6)
    assert row["se"] == pytest.approx(100 * np.sqrt(var), rel=1e-4)


def test_recovers_the_true_effect():
    df, x = _simulate(40_000, 3)
    res = key_drivers(df, "score", categorical=["plan"], numeric=["tenure"], flags=["complained"],
                      reference={"plan": "basic"})
    base = x.copy()
    base[:, 1:3] = 0
    for col, level in ((1, "premium"), (2, "trial")):
        at = base.copy()
        at[:, col] = 1
        truth = 100 * np.mean((_probs(at, TRUE_B) - _probs(base, TRUE_B))[:, [0, 2]] @ [-1, 1])
        row = res.table[(res.table["attribute"] == "plan") & (res.table["level"] == level)].iloc[0]
        assert abs(row["nps_effect"] - truth) < 3 * row["se"], (level, row["nps_effect"], truth)
    assert not res.warnings


def test_events_per_parameter_warning():
    df, _ = _simulate(150, 4)
    res = key_drivers(df, "score", categorical=["plan"], numeric=["tenure"], flags=["complained"])
    assert res.events_per_parameter == pytest.approx(min(res.category_counts.values()) / 4)
    assert res.events_per_parameter < 10
    assert any("Peduzzi" in w for w in res.warnings)
    big = key_drivers(_simulate(5000, 4)[0], "score", categorical=["plan"])
    assert not any("Peduzzi" in w for w in big.warnings)


def test_dropped_rows_are_listed_and_counted():
    df, _ = _simulate(800, 5)
    df = df.astype({"tenure": object, "score": float})
    df.loc[[3, 10], "tenure"] = None
    df.loc[[5], "score"] = np.nan
    df.loc[[7], "plan"] = None
    res = key_drivers(df, "score", categorical=["plan"], numeric=["tenure"])
    assert res.n + len(res.dropped) == len(df)
    assert sorted(res.dropped["row"]) == [3 + 2, 5 + 2, 7 + 2, 10 + 2]
    assert set(res.dropped["reason"]) == {"no value in tenure", "no score (non-response excluded)", "no value in plan"}
    # nonresponse as detractor keeps the blank score
    res2 = key_drivers(df, "score", categorical=["plan"], numeric=["tenure"], nonresponse="detractor")
    assert res2.n == res.n + 1


def test_bad_input_messages():
    df, _ = _simulate(300, 6)
    with pytest.raises(DataError, match="categorical"):
        key_drivers(df, "score", numeric=["plan"])
    with pytest.raises(ParameterError, match="gold"):
        key_drivers(df, "score", categorical=["plan"], reference={"plan": "gold"})
    with pytest.raises(DataError, match="not found"):
        key_drivers(df, "score", categorical=["region"])
    with pytest.raises(ParameterError, match="at least one attribute"):
        key_drivers(df, "score")
    with pytest.raises(DataError, match="flag"):
        key_drivers(df.assign(complained="maybe"), "score", flags=["complained"])


def test_separation_is_named():
    df, _ = _simulate(2000, 7)
    df["vip"] = False
    df.loc[df.index[df["score"] >= 9][:15], "vip"] = True
    res = key_drivers(df, "score", categorical=["plan"], flags=["vip"])
    assert any("vip = True" in w and "separation" in w for w in res.warnings)


def test_describe_mentions_every_row():
    df, _ = _simulate(2000, 8)
    res = key_drivers(df, "score", categorical=["plan"], flags=["complained"])
    lines = describe_drivers(res)
    assert len(lines) == 1 + len(res.table)
    assert any("complained (yes vs no)" in line for line in lines)


def test_cli_drivers_json_and_text(cli, tmp_path):
    from envelopes import envelope_of

    df, _ = _simulate(1500, 9)
    df.loc[[4, 9], "plan"] = None
    path = tmp_path / "survey.csv"
    df.to_csv(path, index=False)
    args = ["drivers", path, "--categorical", "plan", "--numeric", "tenure", "--flag", "complained",
            "--reference", "plan=basic"]
    proc = cli(*args, "--json")
    assert proc.returncode == 0, proc.stderr
    env = envelope_of(proc, "drivers")
    from nps_kit.engines.dispatch import read_responses

    data = read_responses(str(path), "score", columns=["plan", "tenure", "complained"]).data
    api = key_drivers(data, "score", ["plan"], ["tenure"], ["complained"], reference={"plan": "basic"})
    got = pd.DataFrame(env["results"]["drivers"])
    assert got["nps_effect"].to_numpy() == pytest.approx(api.table["nps_effect"].to_numpy())
    assert got["se"].to_numpy() == pytest.approx(api.table["se"].to_numpy())
    s = env["summary"]
    assert s["rows_read"] == 1500 and s["rows_kept"] == api.n == 1498
    assert s["rows_read"] == s["rows_kept"] + s["rows_dropped"] == s["rows_kept"] + len(env["dropped"])
    text = cli(*args)
    assert text.returncode == 0
    for sentence in env["results"]["sentences"]:
        assert sentence in text.stdout
    for note in env["notes"]:
        assert note in text.stdout + text.stderr
    bad = cli("drivers", path, "--numeric", "plan")
    assert bad.returncode == 2 and "--categorical" in bad.stderr and "Traceback" not in bad.stderr


def test_cli_drivers_theme_flags_and_real_file(cli):
    from envelopes import envelope_of

    proc = cli("drivers", "demo:responses.csv", "--categorical", "channel", "--comment-column",
               "comment", "--json")
    assert proc.returncode == 0, proc.stderr
    env = envelope_of(proc, "drivers")
    attrs = {r["attribute"] for r in env["results"]["drivers"]}
    assert "channel" in attrs and any(a.startswith("theme: ") for a in attrs)
    phone = next(r for r in env["results"]["drivers"] if r["attribute"] == "channel")
    assert phone["nps_effect"] < 0 and phone["ci_high"] < 0   # the demo's e-mail bias, seen from the other side
    real = cli("drivers", SO, "--score-column", "StackOverflowRecommend", "--categorical",
               "StackOverflowVisit", "--categorical", "Employment", "--json")
    assert real.returncode == 0, real.stderr
    warn = envelope_of(real, "drivers")["warnings"]
    assert any("Peduzzi" in w for w in warn)   # 22 detractors of ~530 answers: too few
