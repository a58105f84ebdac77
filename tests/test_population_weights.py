"""Population and weights in the analysis: the planned margin is the reported one, and the
reported intervals cover the population's NPS when sampling without replacement, unweighted
and weighted (simulated here; nothing is taken from the kit's own simulator)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nps_kit.core.intervals import nps_interval
from nps_kit.core.summary import summarize
from nps_kit.design.sample_size import plan_sample_size


def test_planned_margin_is_the_reported_margin_in_a_finite_population():
    # the case: 3,000 people, 99 %, +-3 points, anticipated 20/30/50
    plan = plan_sample_size(3000, 0.99, 3, expected=(0.2, 0.3, 0.5))
    assert plan.nps_n == 1800
    counts = (360, 540, 900)
    wald = nps_interval(counts, "wald", 0.99, population=3000)
    adjusted = nps_interval(counts, "adjusted-wald", 0.99, population=3000)
    assert (wald.high - wald.low) / 2 == pytest.approx(3.0, abs=0.01)
    assert (adjusted.high - adjusted.low) / 2 == pytest.approx(3.0, abs=0.05)
    without = nps_interval(counts, "wald", 0.99)
    assert (without.high - without.low) / 2 == pytest.approx(4.74, abs=0.01)


def test_a_population_smaller_than_the_answers_or_a_method_without_it_is_refused():
    from nps_kit.errors import ParameterError

    with pytest.raises(ParameterError, match="smaller than the 1,800 answers"):
        nps_interval((360, 540, 900), population=1000)
    with pytest.raises(ParameterError, match="finite population works with"):
        nps_interval((360, 540, 900), "bootstrap", population=3000)


def _population(sizes, shares, rng):
    """A population: per stratum, categories -1/0/1 in exactly the given shares, shuffled."""
    parts = []
    for h, (size, (d, a, p)) in enumerate(zip(sizes, shares)):
        cats = np.repeat([-1, 0, 1], [round(size * d), round(size * a), size - round(size * d) - round(size * a)])
        parts.append(pd.DataFrame({"stratum": h, "cat": rng.permutation(cats)}))
    return pd.concat(parts, ignore_index=True)


SCORE_OF = {-1: 3, 0: 7, 1: 10}


@pytest.mark.parametrize("method", ["wald", "adjusted-wald"])
def test_reported_intervals_cover_at_the_planned_level_without_replacement(method):
    rng = np.random.default_rng(20261206)
    pop = _population([3000], [(0.2, 0.3, 0.5)], rng)
    truth = 100 * pop["cat"].mean()
    plan = plan_sample_size(3000, 0.95, 4, expected=(0.2, 0.3, 0.5))
    n, hits, widths, naive_hits = plan.nps_n, 0, [], 0
    reps = 1500
    for _ in range(reps):
        sample = pop["cat"].to_numpy()[rng.choice(len(pop), n, replace=False)]
        counts = tuple(int((sample == k).sum()) for k in (-1, 0, 1))
        r = nps_interval(counts, method, 0.95, population=3000)
        hits += r.low <= truth <= r.high
        widths.append((r.high - r.low) / 2)
        naive = nps_interval(counts, method, 0.95)
        naive_hits += naive.low <= truth <= naive.high
    coverage = hits / reps
    assert 0.93 <= coverage <= 0.97, coverage  # 95 % +- 2 binomial se
    assert np.mean(widths) == pytest.approx(4.0, abs=0.1)  # the planned margin
    assert naive_hits / reps > 0.975  # ignoring the population overstates the uncertainty (~98 %)


def test_weighted_stratified_intervals_cover_and_the_unweighted_nps_is_biased():
    rng = np.random.default_rng(7)
    sizes, shares = [1000, 9000], [(0.1, 0.2, 0.7), (0.4, 0.3, 0.3)]
    pop = _population(sizes, shares, rng)
    truth = 100 * pop["cat"].mean()
    per = 300  # equal allocation: stratum 0 is sampled 9 times as heavily
    reps, hits, unweighted_hits, n_eff = 1000, 0, 0, []
    groups = [pop.index[pop["stratum"] == h].to_numpy() for h in range(2)]
    for _ in range(reps):
        idx = np.concatenate([rng.choice(g, per, replace=False) for g in groups])
        s = pop.loc[idx]
        frame = pd.DataFrame({"score": s["cat"].map(SCORE_OF).to_numpy(),
                              "stratum": s["stratum"].to_numpy(),
                              "w": np.where(s["stratum"].to_numpy() == 0, 1000 / per, 9000 / per)})
        row = summarize(frame, "score", weights="w", strata="stratum", population=10000).iloc[0]
        hits += row["ci_low"] <= truth <= row["ci_high"]
        n_eff.append(row["n_effective"])
        plain = summarize(frame, "score", method="wald", population=10000).iloc[0]
        unweighted_hits += plain["ci_low"] <= truth <= plain["ci_high"]
    assert 0.93 <= hits / reps <= 0.97, hits / reps
    assert unweighted_hits / reps < 0.01  # the unweighted NPS is biased by far more than its margin
    # Kish: (sum w)^2 / sum w^2 with 300 weights of 3.33 and 300 of 30
    expected = (300 * 1000 / per + 300 * 9000 / per) ** 2 / (300 * (1000 / per) ** 2 + 300 * (9000 / per) ** 2)
    assert np.mean(n_eff) == pytest.approx(expected)


def test_equal_weights_give_the_wald_interval_up_to_n_over_n_minus_1():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"score": rng.integers(0, 11, 400)})
    wald = summarize(frame, "score", method="wald").iloc[0]
    weighted = summarize(frame.assign(w=2.5), "score", weights="w").iloc[0]
    assert weighted["nps"] == pytest.approx(wald["nps"])
    assert weighted["se"] == pytest.approx(wald["se"] * np.sqrt(400 / 399))
    assert weighted["n_effective"] == pytest.approx(400)


def test_bad_weights_name_their_rows():
    from nps_kit.errors import DataError

    frame = pd.DataFrame({"score": [9, 3, 7], "w": [1.0, -2.0, None]})
    with pytest.raises(DataError, match="weight column 'w': 2 weight"):
        summarize(frame, "score", weights="w")


def test_wave_changes_take_the_population_into_the_se_of_the_change():
    from nps_kit.core.compare import difference_arrays

    c1, c2 = np.array([[60.0, 90, 150]]), np.array([[80.0, 90, 130]])
    plain = difference_arrays(c1, c2, method="wald")
    finite = difference_arrays(c1, c2, method="wald", population=1000)

    def v(c):
        n = c.sum()
        return (c[0, 2] + c[0, 0]) / n - ((c[0, 2] - c[0, 0]) / n) ** 2

    by_hand = 100 * np.sqrt(v(c1) / 300 * 700 / 999 + v(c2) / 300 * 700 / 999)
    assert finite["se"][0] == pytest.approx(by_hand)
    assert plain["se"][0] == pytest.approx(100 * np.sqrt(v(c1) / 300 + v(c2) / 300))


def test_compare_cli_with_a_population(cli):
    plain = cli("compare", "demo:responses.csv", "--json")
    finite = cli("compare", "demo:responses.csv", "--population", 2000, "--json")
    import json

    a, b = json.loads(plain.stdout)["results"], json.loads(finite.stdout)["results"]
    width = lambda rows: [r["ci_high"] - r["ci_low"] for r in rows]  # noqa: E731
    assert all(x < y for x, y in zip(width(b["changes"]), width(a["changes"])))
    assert any("finite population" in n for n in json.loads(finite.stdout)["notes"])


def test_change_sizes_account_for_a_finite_population():
    from nps_kit.design.power import change_power, change_sample_size, change_table

    big = change_sample_size(10)
    finite = change_sample_size(10, population=2000)
    # Cochran's correction of the infinite size: 1569.8 / (1 + 1568.8 / 2000) = 879.6 -> 880
    assert big.n == 1570 and finite.n == 880
    assert change_power(finite.n, 10, population=2000) == pytest.approx(0.8, abs=0.002)
    t = change_table([5, 10, 20], population=2000, response_rate=0.3)
    assert t.set_index("change")["feasible"].to_dict() == {5.0: False, 10.0: False, 20.0: True}


def test_weighted_wave_changes_refuse_a_panel_and_add_variances(cli, tmp_path):
    import json

    from nps_kit.waves.weighted import weighted_wave_changes

    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"score": rng.integers(0, 11, 600), "wave": np.repeat(["W1", "W2"], 300),
                          "w": rng.uniform(0.5, 2, 600)})
    waves, changes = weighted_wave_changes(frame, "score", "wave", "w")
    assert changes["se"].iloc[0] == pytest.approx(np.hypot(*waves["se"]))
    assert changes["delta"].iloc[0] == pytest.approx(waves["nps"].iloc[1] - waves["nps"].iloc[0])
    panel = frame.assign(id=np.tile(np.arange(300), 2))
    from nps_kit.errors import DataError

    with pytest.raises(DataError, match="more than one wave"):
        weighted_wave_changes(panel, "score", "wave", "w", id="id")
    frame.to_csv(tmp_path / "w.csv", index=False)
    done = cli("compare", tmp_path / "w.csv", "--weight-column", "w", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["results"]["changes"][0]["delta"] == pytest.approx(changes["delta"].iloc[0])
