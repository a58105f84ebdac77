"""Fielding: the monitor's figures, the stopping rule, and interim looks simulated.

Two waves with the same true distribution are fielded in ten batches of 100; after each batch a
change is tested. Stopping at the first p < 0.05 raises false alarms to about 0.19; the
group-sequential boundaries keep them at 0.05. Simulated here with numpy, 4,000 runs."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.stats import norm

from nps_kit.design.monitor import fielding_status, interim_test, sequential_boundaries

SHARES = np.array([0.2, 0.3, 0.5])


def _z_paths(rng, runs=4000, looks=10, batch=100):
    a = rng.multinomial(batch, SHARES, size=(runs, looks)).cumsum(axis=1)
    b = rng.multinomial(batch, SHARES, size=(runs, looks)).cumsum(axis=1)
    n = batch * np.arange(1, looks + 1)[None, :]
    nps = lambda c: (c[..., 2] - c[..., 0]) / n  # noqa: E731
    var = lambda c: (c[..., 2] + c[..., 0]) / n - nps(c) ** 2  # noqa: E731
    return (nps(b) - nps(a)) / np.sqrt((var(a) + var(b)) / n)


def test_naive_looks_inflate_false_alarms_and_boundaries_do_not():
    z = _z_paths(np.random.default_rng(42))
    naive = (np.abs(z) >= norm.ppf(0.975)).any(axis=1).mean()
    assert 0.17 <= naive <= 0.22, naive  # Armitage et al. (1969): about 0.19 for ten looks
    for kind in ("obrien-fleming", "pocock"):
        b = sequential_boundaries(10, 0.05, kind)["z_boundary"].to_numpy()
        rate = (np.abs(z) >= b[None, :]).any(axis=1).mean()
        assert 0.04 <= rate <= 0.06, (kind, rate)
    single = (np.abs(z[:, -1]) >= norm.ppf(0.975)).mean()  # one look at the end
    assert 0.04 <= single <= 0.06


def test_boundaries_match_the_published_constants():
    # Jennison & Turnbull (2000), tables 2.1 and 2.3, two-sided 5 %
    for looks, pocock, obf in ((2, 2.178, 1.977), (5, 2.413, 2.040), (10, 2.555, 2.087)):
        assert sequential_boundaries(looks, 0.05, "pocock")["z_boundary"].iloc[0] == pytest.approx(pocock, abs=0.005)
        assert sequential_boundaries(looks, 0.05, "obrien-fleming")["z_boundary"].iloc[-1] == pytest.approx(obf, abs=0.005)


def test_stopping_on_the_margin_keeps_coverage():
    rng = np.random.default_rng(9)
    truth, hits, sizes = 100 * (SHARES[2] - SHARES[0]), 0, []
    for _ in range(800):
        counts = np.zeros(3, dtype=int)
        while True:
            counts += rng.multinomial(50, SHARES)
            s = fielding_status(tuple(counts), 10**7, 0.95, 6, 10**6)
            if s.stop:
                break
        hits += s.ci_low <= truth <= s.ci_high
        sizes.append(counts.sum())
    assert 0.93 <= hits / 800 <= 0.97
    # it stops near the planned size: 1.96^2 x 0.61 / 0.06^2 = 651 (batches of 50 overshoot a little)
    assert 640 <= np.mean(sizes) <= 710


def test_status_figures_for_a_worked_example():
    s = fielding_status((35, 53, 87), 2000, 0.95, 6, 700)
    assert s.answers == 175 and s.response_rate == pytest.approx(0.25)
    assert not s.stop and s.still_needed == s.needed - 175
    assert s.invitations_needed == int(np.ceil(s.still_needed / 0.25))
    assert s.people_left == 1300
    assert s.ci_low <= s.nps <= s.ci_high


def test_cli_refuses_an_unplanned_interim_test_and_prints_a_planned_one(cli, tmp_path):
    import pandas as pd

    rng = np.random.default_rng(1)
    for name in ("now", "before"):
        pd.DataFrame({"score": rng.integers(0, 11, 150)}).to_csv(tmp_path / f"{name}.csv", index=False)
    base = ["fielding", tmp_path / "now.csv", "--population", 2000, "--confidence", "95%",
            "--margin", 6, "--invited", 600]
    refused = cli(*base, "--previous", tmp_path / "before.csv")
    assert refused.returncode == 2 and "--looks" in refused.stderr and "Traceback" not in refused.stderr
    done = cli(*base, "--previous", tmp_path / "before.csv", "--looks", 4, "--look", 1, "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["command"] == "fielding" and out["results"]["answers"] == 150
    assert out["results"]["interim"]["z_boundary"] > 3  # O'Brien-Fleming is strict early
    assert any("Look 1 of 4" in n for n in out["notes"])
