"""Execute the teaching notebooks in notebooks/ with papermill and check what they record.

Each notebook runs on a real python3 kernel into tmp_path (the ``run_template`` fixture of
conftest.py); the recorded key numbers are checked against computations made here by hand or
with independent code.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from nps_kit.engines.dispatch import read_responses, read_table

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _nb(name: str) -> Path:
    path = NOTEBOOKS / f"{name}.ipynb"
    assert path.exists(), path
    return path


def _demo_responses() -> pd.DataFrame:
    return read_responses("demo:responses.csv", score="score", id="respondent_id", wave="wave").data


ALL = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def test_the_course_has_ten_notebooks():
    assert len(ALL) == 10, ALL


@pytest.mark.parametrize("name", ALL)
def test_committed_without_outputs_and_with_parameters_cell(name):
    nb = json.loads(_nb(name).read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    first = code[0]
    assert "parameters" in first["metadata"].get("tags", [])
    lines = [ln for ln in "".join(first["source"]).splitlines() if ln.strip()]
    # every parameter: "name: type = literal  # help"
    assert lines and all(":" in ln.split("=")[0] and "=" in ln and "  # " in ln for ln in lines)
    # papermill documents every parameter (a "=" inside a help comment would hide it)
    import papermill as pm

    inferred = pm.inspect_notebook(str(_nb(name)))
    assert sorted(inferred) == sorted(ln.split(":")[0].strip() for ln in lines)
    assert all(p["help"] for p in inferred.values())
    # the course ends with exercises, then a quiz
    assert any("".join(c["source"]).lstrip().startswith(("## Exercises", "**1.")) or "\n## Exercises" in "".join(c["source"])
               for c in nb["cells"])


def test_01_nps_basics(run_template, tmp_path):
    _, res = run_template(_nb("01_nps_basics"), tmp_path)
    # constructed waves: 20 % 0, 20 % 7, 60 % 10 and 25 % 6, 20 % 8, 55 % 9
    assert res["mean_before"] == pytest.approx(0.2 * 0 + 0.2 * 7 + 0.6 * 10)
    assert res["mean_after"] == pytest.approx(0.25 * 6 + 0.2 * 8 + 0.55 * 9)
    assert res["nps_before"] == pytest.approx(100 * (0.6 - 0.2))
    assert res["nps_after"] == pytest.approx(100 * (0.55 - 0.25))
    assert res["mean_after"] > res["mean_before"] and res["nps_after"] < res["nps_before"]
    # the demo wave, counted independently with pandas
    r = _demo_responses()
    s = r.loc[r["wave"] == res["demo_wave"], "score"].dropna()
    d, a, p = int((s <= 6).sum()), int(((s >= 7) & (s <= 8)).sum()), int((s >= 9).sum())
    assert res["demo_counts"] == [d, a, p]
    assert res["demo_nps"] == pytest.approx(100 * (p - d) / (d + a + p))
    waves = {row["wave"]: row for row in res["nps_by_wave"]}
    assert sorted(waves) == sorted(r["wave"].unique())
    for w, row in waves.items():
        sw = r.loc[r["wave"] == w, "score"].dropna()
        assert row["nps"] == pytest.approx(100 * ((sw >= 9).mean() - (sw <= 6).mean()))
        assert row["ci_low"] < row["nps"] < row["ci_high"]


def _classic_n(population, confidence, margin, z=None):
    z = norm.ppf(0.5 + confidence / 2) if z is None else z
    n0 = z**2 * 0.25 / (margin / 100) ** 2
    return math.ceil(round(n0 / (1 + (n0 - 1) / population), 9))


def test_02_precision_and_sample_size(run_template, tmp_path):
    _, res = run_template(_nb("02_precision_and_sample_size"), tmp_path)
    z = norm.ppf(0.995)
    # 3,000 customers, 99 %, +-3 %: n0 = 2.5758^2 x 0.25 / 0.03^2 = 1843.0; Cochran's FPC -> 1141.9
    assert res["classic_n"] == _classic_n(3000, 0.99, 3) == 1142
    n, big_n = 1142, 3000
    fpc = math.sqrt((big_n - n) / (big_n - 1))
    assert res["nps_margin_at_classic_n_worst_case"] == pytest.approx(100 * z * math.sqrt(1 / n) * fpc)
    assert 5.9 < res["nps_margin_at_classic_n_worst_case"] < 6.1  # "+-3 %" is about +-6 points
    v = 0.40 + 0.25 - 0.15**2
    assert res["variance_expected"] == pytest.approx(v)
    assert res["nps_margin_at_classic_n_expected"] == pytest.approx(100 * z * math.sqrt(v / n) * fpc)
    # NPS sizes for +-3 points: n0 = z^2 v / e^2 with the same correction
    for key, var in (("nps_n_worst_case", 1.0), ("nps_n_expected", v)):
        n0 = z**2 * var / 0.03**2
        assert res[key] == math.ceil(n0 / (1 + (n0 - 1) / big_n))
    # the simulations agree with the formulas within a few percent
    assert res["simulated_margin_worst_case"] == pytest.approx(res["nps_margin_at_classic_n_worst_case"], rel=0.05)
    assert res["simulated_margin_expected"] == pytest.approx(res["nps_margin_at_classic_n_expected"], rel=0.05)
    assert res["invitations_classic_n"] == math.ceil(1142 / 0.25)
    assert res["reachable_respondents"] == 750
    zz = norm.ppf(0.975) + norm.ppf(0.8)
    assert res["change_n_per_wave"] == math.ceil(zz**2 * 2 * v / 0.1**2)
    assert res["detectable_change_at_reachable_n"] == pytest.approx(100 * zz * math.sqrt(2 * v / 750))


def test_02_with_95_percent(run_template, tmp_path):
    _, res = run_template(_nb("02_precision_and_sample_size"), tmp_path, confidence=0.95, n_sim=2000)
    # by hand: n0 = 1.96^2 x 0.25 / 0.03^2 = 1067.1; 1067.1 / (1 + 1066.1 / 3000) = 787.5 -> 788
    assert res["classic_n"] == _classic_n(3000, 0.95, 3) == 788
    assert res["nps_margin_at_classic_n_worst_case"] == pytest.approx(
        100 * norm.ppf(0.975) * math.sqrt(1 / 788) * math.sqrt((3000 - 788) / 2999))


def _wald_coverage_by_hand(n, shares, n_sim, seed):
    """Coverage of the plain Wald interval, simulated here without nps_kit."""
    rng = np.random.default_rng(seed)
    c = rng.multinomial(n, shares, size=n_sim)
    p, d = c[:, 2] / n, c[:, 0] / n
    est = p - d
    half = norm.ppf(0.975) * np.sqrt((p + d - est**2) / n)
    truth = shares[2] - shares[0]
    return float(np.mean((est - half <= truth + 1e-12) & (truth - 1e-12 <= est + half)))


def test_03_interval_methods(run_template, tmp_path):
    _, res = run_template(_nb("03_interval_methods"), tmp_path)
    cov = pd.DataFrame(res["coverage"])
    assert len(cov) == 8 * 4 * 5  # n x scenarios x methods
    assert set(cov["method"]) == {"adjusted-wald", "wald", "score", "bootstrap", "bayes"}
    cell = cov.set_index(["scenario", "n", "method"])
    # Wald near the top of the scale with 10 respondents, against an independent simulation
    wald10 = cell.loc[("near the top (3/12/85)", 10, "wald")]
    by_hand = _wald_coverage_by_hand(10, (0.03, 0.12, 0.85), 40_000, seed=11)
    assert wald10["coverage"] == pytest.approx(by_hand, abs=4 * math.sqrt(by_hand * (1 - by_hand) / 2000) + 0.005)
    assert wald10["coverage"] < 0.85  # well below nominal
    # the adjusted Wald interval is near nominal at n = 2,000 in every scenario
    aw = cov[(cov["method"] == "adjusted-wald") & (cov["n"] == 2000)]
    assert (aw["coverage"] - 0.95).abs().max() < 0.015
    # the verdict is the table's own numbers
    verdict = pd.DataFrame(res["verdict"]).set_index("method")
    for method, grp in cov.groupby("method"):
        assert verdict.loc[method, "min_coverage"] == pytest.approx(grp["coverage"].min())
    assert not verdict.loc["wald", "near_nominal_everywhere"]
    assert verdict.loc["adjusted-wald", "near_nominal_everywhere"]
    wald_line = next(c for c in res["conclusions"] if c.startswith("wald:"))
    assert f"{wald10['coverage']:.1%}" in wald_line
    # the small example: 1 detractor, 2 passives, 7 promoters; Wald by hand
    ex = {r["method"]: r for r in res["example_intervals"]}
    v = 0.7 + 0.1 - 0.6**2
    assert ex["wald"]["ci_low"] == pytest.approx(100 * (0.6 - norm.ppf(0.975) * math.sqrt(v / 10)))
    assert ex["wald"]["ci_high"] == 100.0  # clamped
    # adjusted Wald by hand: counts + (0.75, 1.5, 0.75), n + 3
    pa, da = 7.75 / 13, 1.75 / 13
    va = pa + da - (pa - da) ** 2
    assert ex["adjusted-wald"]["ci_low"] == pytest.approx(100 * (pa - da - norm.ppf(0.975) * math.sqrt(va / 13)))


def test_04_exercise_1_sentences_follow_the_numbers(tmp_path):
    """Exercise 1 (email_slope = 0): no e-mail bias, and the text must say so (it used to say
    'far more than its sampling error' and 'cuts the bias' in that run). Run with plain papermill
    and a list parameter given as text (-p), as a student would."""
    import subprocess
    import sys

    from nps_kit.reports import recorded_results

    out = tmp_path / "04.ipynb"
    done = subprocess.run([sys.executable, "-m", "papermill", str(_nb("04_pitfalls")), str(out),
                           "-p", "email_slope", "0", "-p", "shares", "[0.25, 0.35, 0.40]",
                           "-p", "n_sim", "200", "-p", "n_series", "200", "-p", "peek_runs", "300",
                           "--cwd", str(tmp_path), "--no-progress-bar"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    res = recorded_results(out)
    bias = {r["estimator"]: r for r in res["channel_bias"]}
    first = res["channel_sentences"][0]
    email = bias["e-mail only"]
    if abs(email["bias"]) <= email["sd"]:
        assert "within its sampling error" in first and "far more" not in first
    for line, (now, before) in zip(res["channel_sentences"][1:3],
                                   (("e-mail + phone, pooled", "e-mail only"),
                                    ("e-mail + phone, weighted", "e-mail + phone, pooled"))):
        if abs(bias[now]["bias"]) >= abs(bias[before]["bias"]):
            assert "cuts the bias" not in line, line


def test_04_pitfalls(run_template, tmp_path):
    _, res = run_template(_nb("04_pitfalls"), tmp_path)
    # peeking: ten naive looks inflate false alarms to about 0.19; boundaries keep about 0.05
    peek = {r["rule"]: r["false_alarm_rate"] for r in res["peeking"]}
    assert 0.16 <= peek["stop at the first p < alpha (naive)"] <= 0.23
    assert 0.03 <= peek["one test at the end"] <= 0.07
    assert 0.03 <= peek["Pocock boundary"] <= 0.07 and 0.03 <= peek["O'Brien-Fleming boundary"] <= 0.07
    # the model's truth, by an independent simulation of the latent score model
    rng = np.random.default_rng(21)
    raw = np.clip(np.rint(7.6 + 1.5 * rng.standard_normal(500_000) + rng.normal(0, 0.9, 500_000)), 0, 10)
    assert res["true_nps_model"] == pytest.approx(100 * ((raw >= 9).mean() - (raw <= 6).mean()), abs=0.4)
    # e-mail only is biased up; phone follow-up reduces the bias, weighting removes most of it
    assert res["bias_email_only"] > 20
    assert res["bias_email_only"] > res["bias_pooled"] > abs(res["bias_weighted"])
    assert abs(res["bias_weighted"]) < 6
    bias = {r["estimator"]: r for r in res["channel_bias"]}
    assert abs(bias["everyone invited"]["bias"]) < 4 * bias["everyone invited"]["sd"] / math.sqrt(500)

    # non-response rules, recomputed by hand from the demo file
    r = _demo_responses()
    for row in res["rules_by_wave"]:
        s = r.loc[r["wave"] == row["wave"], "score"]
        m = int(s.isna().sum())
        d, p, n = int((s <= 6).sum()), int((s >= 9).sum()), int(s.notna().sum())
        assert row["nps_exclude"] == pytest.approx(100 * (p - d) / n)
        assert row["nps_detractor"] == pytest.approx(100 * (p - d - m) / (n + m))
        assert row["nonrespondents"] == m
    s = r["score"]
    m, d, p, n = int(s.isna().sum()), int((s <= 6).sum()), int((s >= 9).sum()), int(s.notna().sum())
    assert res["rules_gap_overall"] == pytest.approx(100 * (p - d - m) / (n + m) - 100 * (p - d) / n)

    # the protocol change into the changed wave, read independently from the YAML
    import yaml
    from nps_kit.data.paths import resolve_path

    doc = yaml.safe_load(resolve_path("demo:protocol.yaml").read_text(encoding="utf-8"))
    waves = {w["wave"]: w for w in doc["waves"]}
    changed = {f["field"] for f in res["protocol_changes"] if f["to"] == "2025-H1"}
    assert {"channels", "question"} <= changed
    assert waves["2024-H2"]["question"] != waves["2025-H1"]["question"]
    assert "phone" not in waves["2025-H1"]["channels"]

    # measured vs truth: measured NPS by hand, truth from the simulator's ground truth
    from nps_kit.simulate.world import true_nps

    truth = true_nps(read_table("demo:customers.csv"))
    truth = truth[truth["segment"] == "All"].set_index("wave")["nps"]
    table = pd.DataFrame(res["measured_vs_truth"]).set_index("wave")
    for w, row in table.iterrows():
        sw = r.loc[r["wave"] == w, "score"].dropna()
        assert row["measured_nps"] == pytest.approx(100 * ((sw >= 9).mean() - (sw <= 6).mean()))
        assert row["true_nps"] == pytest.approx(truth[w])
    assert table.loc["2025-H1", "measured_change"] > 0 > table.loc["2025-H1", "true_change"]

    # incentives: 100 x push x passive share = 100 x 0.4 x 0.35 = 14 points
    assert res["incentive_expected_jump"] == pytest.approx(14.0)
    assert res["incentive_measured_jump"] == pytest.approx(14.0, abs=8)  # 4 waves of 300 on each side
    waves_inc = pd.DataFrame(res["incentive_waves"])
    assert waves_inc["true_nps"].nunique() == 1

    # small-sample swings against theory: sd 100 sqrt(v / 50), changes with sd sqrt(2) times that
    swings = {r["figure"]: r["value"] for r in res["swings"]}
    v = 0.40 + 0.25 - 0.15**2
    assert swings["expected_sd"] == pytest.approx(100 * math.sqrt(v / 50))
    assert swings["sd"] == pytest.approx(swings["expected_sd"], rel=0.06)
    assert swings["share_big_changes"] == pytest.approx(2 * norm.sf(10 / (math.sqrt(2) * swings["expected_sd"])), abs=0.05)
    assert swings["share_significant"] == pytest.approx(0.05, abs=0.02)


def test_05_score_to_action(run_template, tmp_path):
    nb_path, res = run_template(_nb("05_score_to_action"), tmp_path)
    # ABC classes and call lists recomputed independently: rank by revenue, 20 % / 30 % / 50 %
    cust = read_table("demo:customers.csv").sort_values("annual_revenue", ascending=False, ignore_index=True)
    n = len(cust)
    cust["class"] = np.where(np.arange(n) < 0.2 * n, "A", np.where(np.arange(n) < 0.5 * n, "B", "C"))
    r = _demo_responses()
    wave = r[(r["wave"] == "2025-H2") & r["score"].notna()].merge(
        cust, left_on="respondent_id", right_on="customer_id", how="inner")
    wave["category"] = np.where(wave["score"] >= 9, "promoter", np.where(wave["score"] >= 7, "passive", "detractor"))
    calls = pd.DataFrame(res["calls_by_class"]).set_index(["list", "class"])["rows"]
    for cls, grp in wave.groupby("class"):
        assert calls[("follow_up", cls)] == int((grp["category"] != "promoter").sum())
        assert calls[("thank", cls)] == int((grp["category"] == "promoter").sum())
    assert res["n_follow_up"] == int((wave["category"] != "promoter").sum())
    assert res["n_thank"] == int((wave["category"] == "promoter").sum())
    # NPS per class and the projected revenue at risk (ratio estimate per class, summed)
    by_class = pd.DataFrame(res["by_class"]).set_index("class")
    at_risk = 0.0
    for cls, grp in wave.groupby("class"):
        nps = 100 * ((grp["category"] == "promoter").mean() - (grp["category"] == "detractor").mean())
        assert by_class.loc[cls, "nps"] == pytest.approx(nps)
        share = grp.loc[grp["category"] == "detractor", "annual_revenue"].sum() / grp["annual_revenue"].sum()
        assert by_class.loc[cls, "revenue_at_risk_share"] == pytest.approx(share)
        at_risk += share * cust.loc[cust["class"] == cls, "annual_revenue"].sum()
    assert res["revenue_at_risk_share_total"] == pytest.approx(at_risk / cust["annual_revenue"].sum())
    # comments: the coding summary counts the wave's non-blank comments
    all_wave = r[r["wave"] == "2025-H2"]
    comments = all_wave["comment"].dropna().astype(str).str.strip().ne("").sum()
    coding = res["coding"][0]
    assert coding["rows"] == len(all_wave) and coding["comments"] == comments
    assert coding["coded"] + coding["uncoded"] == comments
    # the detractor share of a theme, checked on the "delivery/shipping" theme's lift inputs
    lift = pd.DataFrame(res["theme_lift"]).set_index("theme")
    shares = pd.DataFrame(res["theme_shares"]).set_index(["category", "theme"])
    for theme in lift.index:
        assert lift.loc[theme, "detractor_comments"] == shares.loc[("detractor", theme), "comments"]
    q = pd.DataFrame(res["questionnaire"])
    assert len(q) == 4 and "Larkspur Systems" in q["question"].iloc[0]
    # no customer identifier or e-mail address in any visible output of the executed notebook
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    visible = json.dumps([
        {k: v for k, v in (o.get("data") or {}).items() if k.startswith("text/")} | {"text": o.get("text", "")}
        for c in nb["cells"] for o in c.get("outputs", [])
    ])
    assert "@example." not in visible
    assert not any(cid in visible for cid in cust["customer_id"].astype(str))
    assert not any(name in visible for name in cust["contact_name"].astype(str))


def test_06_beyond_significance(run_template, tmp_path):
    _, res = run_template(_nb("06_beyond_significance"), tmp_path)
    margin, z1 = res["margin"], norm.ppf(0.95)
    # 1. TOST by hand from the recorded counts (adjusted Wald: + (0.75, 1.5, 0.75) per wave)
    for row in res["equivalence_scenarios"]:
        c1 = np.array(row["counts_1"]) + [0.75, 1.5, 0.75]
        c2 = np.array(row["counts_2"]) + [0.75, 1.5, 0.75]
        n1, n2 = c1.sum(), c2.sum()
        e1, e2 = (c1[2] - c1[0]) / n1, (c2[2] - c2[0]) / n2
        v1, v2 = (c1[2] + c1[0]) / n1 - e1**2, (c2[2] + c2[0]) / n2 - e2**2
        est, se = 100 * (e2 - e1), 100 * math.sqrt(v1 / n1 + v2 / n2)
        p_eq = max(norm.sf((est + margin) / se), norm.cdf((est - margin) / se))
        assert row["p_equivalence"] == pytest.approx(p_eq)
        assert (row["tost_low"], row["tost_high"]) == pytest.approx((est - z1 * se, est + z1 * se))
        p_change = 2 * norm.sf(abs(est) / se)
        expect = "equivalent" if p_eq < 0.05 else ("changed" if p_change < 0.05 else "not shown equivalent")
        assert row["verdict"] == expect
    verdicts = {r["scenario"]: r["verdict"] for r in res["equivalence_scenarios"]}
    assert verdicts["no change, small waves"] != "equivalent"      # 150 answers cannot show it
    assert verdicts["real change of +12 points"] == "changed"
    assert res["tost_coverage_reps"] >= 2000 and abs(res["tost_coverage"] - 0.90) < 0.015
    # 2. shrinkage: every shrunk NPS lies between the store's raw NPS and the prior mean
    stores = pd.DataFrame(res["stores"])
    prior = res["prior"]["prior_nps"]
    lo, hi = np.minimum(stores["nps"], prior), np.maximum(stores["nps"], prior)
    assert ((stores["nps_shrunk"] >= lo - 1e-9) & (stores["nps_shrunk"] <= hi + 1e-9)).all()
    small = stores.iloc[0]
    assert (small["n"], small["promoters"], small["nps"]) == (6, 6, 100.0)
    assert prior < small["nps_shrunk"] < 100
    assert stores["p_best"].sum() == pytest.approx(1.0)
    rmse = lambda col: math.sqrt(((stores[col] - stores["true_nps"]) ** 2).mean())  # noqa: E731
    assert res["rmse_raw"] == pytest.approx(rmse("nps")) and res["rmse_shrunk"] == pytest.approx(rmse("nps_shrunk"))
    assert res["rmse_shrunk"] < res["rmse_raw"]
    # 3. drivers: every estimate within 3.5 se of its true effect; the small sample is warned about
    for row in res["drivers"]:
        assert abs(row["nps_effect"] - row["true_effect"]) < 3.5 * row["se"], row
    assert not res["drivers_warnings"]
    assert res["small_sample_events_per_parameter"] < 10
    assert any("Peduzzi" in w for w in res["small_sample_warnings"])
    # 4. control chart: centre and limits by hand from the first 12 months, flags recomputed
    chart = pd.DataFrame(res["chart"])
    ref = chart[chart["month"].isin(res["chart_centre_waves"])]
    assert len(ref) == 12
    n_ref = ref["n"].sum()
    pb, db = ref["promoters"].sum() / n_ref, ref["detractors"].sum() / n_ref
    centre, v = 100 * (pb - db), pb + db - (pb - db) ** 2
    se = 100 * np.sqrt(v / chart["n"])
    nps = 100 * (chart["promoters"] - chart["detractors"]) / chart["n"]
    assert chart["centre"].to_numpy() == pytest.approx(np.full(len(chart), centre))
    assert chart["lcl"].to_numpy() == pytest.approx(np.maximum(centre - 3 * se, -100))
    assert chart["outside"].tolist() == ((nps > centre + 3 * se) | (nps < centre - 3 * se)).tolist()
    side = np.sign(nps - centre).to_numpy()
    in_run = np.zeros(len(side), bool)
    for i in range(len(side) - 7):
        if abs(side[i:i + 8].sum()) == 8:
            in_run[i:i + 8] = True
    assert chart["run"].tolist() == in_run.tolist()
    drop = chart["month"].tolist().index(res["true_drop"]["month"])
    assert chart["signal"].iloc[drop:].any()
    # each signal is credited to the month it can be known: a run at its 8th month, never its first
    months = chart["month"].tolist()
    for sig in res["chart_signals"]:
        start = months.index(sig["first"])
        known = start if sig["rule"] == "outside" else start + 7
        assert sig["known_at"] == months[known]
        assert sig["kind"] == ("false alarm" if known < drop else "detection")
    assert res["chart_false_alarms"] == [s["known_at"] for s in res["chart_signals"] if s["kind"] == "false alarm"]
    first = next(s for s in res["chart_signals"] if s["kind"] == "detection")
    assert res["chart_detection"]["delay"] == months.index(first["known_at"]) - drop
    assert res["chart_trend"]["slope_high"] < 0   # the series falls


def test_list_parameters_work_with_papermill_p(tmp_path):
    """The issue's case: -p expected_shares "[0.45, 0.10, 0.45]" used to split the text into
    characters; now it is read as the list it says, like -y."""
    import subprocess
    import sys

    from nps_kit.reports import recorded_results

    out = tmp_path / "02.ipynb"
    done = subprocess.run([sys.executable, "-m", "papermill", str(_nb("02_precision_and_sample_size")),
                           str(out), "-p", "expected_shares", "[0.45, 0.10, 0.45]",
                           "--cwd", str(tmp_path), "--no-progress-bar"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert recorded_results(out)
    bad = subprocess.run([sys.executable, "-m", "papermill", str(_nb("02_precision_and_sample_size")),
                          str(tmp_path / "bad.ipynb"), "-p", "expected_shares", "0.45",
                          "--cwd", str(tmp_path), "--no-progress-bar"],
                         capture_output=True, text=True, timeout=600)
    assert bad.returncode != 0 and "parameter expected_shares must be a list" in bad.stderr + bad.stdout
