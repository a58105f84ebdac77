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

from nps_kit.io import read_responses, read_table

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _nb(name: str) -> Path:
    path = NOTEBOOKS / f"{name}.ipynb"
    assert path.exists(), path
    return path


def _demo_responses() -> pd.DataFrame:
    return read_responses("demo:responses.csv", score="score", id="respondent_id", wave="wave").data


ALL = ["01_nps_basics", "02_precision_and_sample_size", "03_interval_methods"]


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
    # the course ends with exercises
    assert "## Exercises" in "".join(nb["cells"][-1]["source"])


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
