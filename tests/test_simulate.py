"""Tests of the synthetic demo world (nps_kit.simulate.world) and the committed files in data/."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from nps_kit import simulate as sim
from nps_kit.simulate import draws as sim_draws
from nps_kit.simulate import phrases as sim_phrases
from nps_kit.simulate import world as sim_world
from nps_kit.errors import ParameterError
from nps_kit.core.scores import counts, nps

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def world() -> dict[str, pd.DataFrame]:
    return sim.simulate_world()


@pytest.fixture(scope="module")
def files() -> dict[str, pd.DataFrame]:
    """The committed demo files, read as a user would read them."""
    return {name: pd.read_csv(DATA / f"{name}.csv", keep_default_na=False, na_values=[""])
            for name in ("customers", "responses", "outcomes", "employees", "headcount")}


def _nps(scores: pd.Series) -> float:
    return nps(scores.astype(float).to_numpy())


# --- reproducibility ------------------------------------------------------------------------

def test_regenerated_files_are_byte_identical_to_data(tmp_path):
    written = sim.write_demo_data(tmp_path)
    assert [p.name for p in written] == list(sim.DEMO_FILES)
    for name in sim.DEMO_FILES:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_module_main_regenerates_data(tmp_path):
    out = tmp_path / "demo"
    proc = subprocess.run([sys.executable, "-m", "nps_kit.simulate", "--out", str(out)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    for name in sim.DEMO_FILES:
        assert (out / name).read_bytes() == (DATA / name).read_bytes(), name


def test_two_calls_give_identical_tables():
    a, b = sim.simulate_world(7), sim.simulate_world(7)
    for key in a:
        pd.testing.assert_frame_equal(a[key], b[key])


def test_different_seed_gives_different_data():
    a, b = sim.demo_file_bytes(2024), sim.demo_file_bytes(2025)
    for name in ("customers.csv", "responses.csv", "outcomes.csv", "employees.csv"):
        assert a[name] != b[name], name


def test_files_equal_world_tables(world, files):
    for name in ("customers", "responses", "outcomes", "employees", "headcount"):
        pd.testing.assert_frame_equal(files[name], world[name], check_dtype=False)
    assert world["responses"]["score"].dtype == float


def test_file_format_is_fixed():
    raw = (DATA / "customers.csv").read_bytes()
    assert b"\r" not in raw
    revenue = pd.read_csv(io.BytesIO(raw), dtype=str)["annual_revenue"]
    assert revenue.str.fullmatch(r"\d+\.\d\d").all()
    doc = yaml.safe_load((DATA / "protocol.yaml").read_text())
    assert doc["synthetic"] is True
    assert [w["wave"] for w in doc["waves"]] == list(sim.DEFAULT_WAVES)


def test_responses_rederive_loyalty_from_file(world, files):
    """simulate_responses on customers.csv read back reproduces the demo responses."""
    again = sim.simulate_responses(files["customers"], seed=sim.DEFAULT_SEED)
    pd.testing.assert_frame_equal(again, world["responses"])


# --- plausibility of the world --------------------------------------------------------------

def test_revenue_is_concentrated(files):
    rev = np.sort(files["customers"]["annual_revenue"].to_numpy())[::-1]
    top20 = rev[: len(rev) // 5].sum() / rev.sum()
    assert 0.60 <= top20 <= 0.80


def test_customer_table_is_synthetic_and_unique(files):
    c = files["customers"]
    assert len(c) == 2000
    assert c["customer_id"].is_unique and c["contact_email"].is_unique
    assert c["contact_email"].str.fullmatch(r"[a-z]+\.[a-z]+\d*@example\.(com|org)").all()
    assert set(c["segment"]) == set(sim.SEGMENTS)
    assert "loyalty" not in c.columns


def test_email_nps_above_phone_nps(files):
    r = files["responses"]
    by = r.groupby(["wave", "channel"])["score"].apply(_nps).unstack()
    both = by.dropna()
    assert len(both) >= 3
    assert (both["email"] > both["phone"]).all()
    assert _nps(r.loc[r["channel"] == "email", "score"]) > _nps(r.loc[r["channel"] == "phone", "score"]) + 10


def test_changed_wave_is_email_only_in_protocol_and_data(world, files):
    proto = world["protocol"].set_index("wave")
    assert proto.loc[sim.CHANGED_WAVE, "channels"] == ("email",)
    others = proto.drop(index=sim.CHANGED_WAVE)
    assert (others["channels"] == ("email", "phone")).all()
    assert proto.loc[sim.CHANGED_WAVE, "question"] != others["question"].iloc[0]
    assert others["question"].nunique() == 1
    r = files["responses"]
    share_email = r.groupby("wave")["channel"].apply(lambda s: (s == "email").mean())
    assert share_email[sim.CHANGED_WAVE] == 1.0
    assert (share_email.drop(sim.CHANGED_WAVE) < 0.85).all()


def test_responses_fall_in_fieldwork_windows(world, files):
    r = files["responses"].merge(world["protocol"][["wave", "fieldwork_start", "fieldwork_end"]],
                                 on="wave", how="left", validate="many_to_one")
    assert r["fieldwork_start"].notna().all()
    assert ((r["date"] >= r["fieldwork_start"]) & (r["date"] <= r["fieldwork_end"])).all()


def test_scores_are_whole_0_to_10_or_blank(files):
    for name in ("responses", "employees"):
        s = files[name]["score"]
        present = s.dropna()
        assert s.isna().any(), name  # some declined
        assert ((present >= 0) & (present <= 10) & (present == np.round(present))).all(), name
        assert s.isna().mean() < 0.15, name


def test_wave_sizes_and_partial_panel(files):
    r = files["responses"]
    assert not r.duplicated(["respondent_id", "wave"]).any()
    per_wave = r.groupby("wave").size()
    assert (per_wave >= 150).all() and (per_wave <= 600).all()
    ids = r.groupby("wave")["respondent_id"].apply(set)
    waves = list(sim.DEFAULT_WAVES)
    for a, b in zip(waves, waves[1:]):
        overlap = len(ids[a] & ids[b])
        assert 0 < overlap < min(len(ids[a]), len(ids[b])) / 2, (a, b, overlap)


def test_segments_drift_in_opposite_directions(files):
    """True drift: SMB down, Enterprise up; first vs last wave on the phone-inclusive waves."""
    r = files["responses"]
    first, last = sim.DEFAULT_WAVES[0], sim.DEFAULT_WAVES[-1]
    by = r.groupby(["segment", "wave"])["score"].apply(_nps)
    assert by["Enterprise", last] - by["Enterprise", first] > 0
    assert by["SMB", last] - by["SMB", first] < 0


def test_responses_segment_matches_customers(files):
    m = files["responses"].merge(files["customers"][["customer_id", "segment"]],
                                 left_on="respondent_id", right_on="customer_id", how="left",
                                 suffixes=("", "_customer"))
    assert (m["segment"] == m["segment_customer"]).all()


def test_comments_follow_category_and_carry_contacts(files):
    r = files["responses"]
    comments = r["comment"].fillna("")
    assert (comments[r["score"].isna()] == "").all()
    assert 0.2 < (comments == "").mean() < 0.6
    email = comments.str.contains(r"[\w.]+@example\.(?:com|org)", regex=True)
    phone = comments.str.contains(r"555[ -]01\d\d", regex=True)
    assert email.sum() >= 3 and phone.sum() >= 3
    praise = comments.str.contains("Excellent support team|Great value for money", regex=True)
    assert (r.loc[praise, "score"] >= 9).all() and praise.any()
    complaint = comments.str.contains("Too expensive for what we get", regex=False)
    assert (r.loc[complaint, "score"] <= 6).all() and complaint.any()


def test_detractors_churn_more_and_are_worth_less(files):
    r = files["responses"].dropna(subset=["score"])
    last = r.sort_values("wave").drop_duplicates("respondent_id", keep="last")
    m = last.merge(files["outcomes"], left_on="respondent_id", right_on="customer_id",
                   validate="one_to_one")
    cat = pd.cut(m["score"], [-1, 6, 8, 10], labels=["detractor", "passive", "promoter"])
    churn = m.groupby(cat, observed=True)["churned"].mean()
    assert churn["detractor"] > churn["promoter"] + 0.1
    ratio = (m["ltv"] / m["annual_revenue"] if "annual_revenue" in m else
             m["ltv"] / m.merge(files["customers"], on="customer_id")["annual_revenue"])
    by_ratio = ratio.groupby(cat, observed=True).median()
    assert by_ratio["promoter"] > by_ratio["detractor"]
    purchases = m.groupby(cat, observed=True)["repeat_purchases"].mean()
    assert purchases["promoter"] > purchases["detractor"]
    # noisy, not deterministic: some promoters churn too
    assert churn["promoter"] > 0


def test_outcomes_consistent(files):
    o = files["outcomes"]
    assert len(o) == len(files["customers"]) and o["customer_id"].is_unique
    assert set(o["churned"]) == {0, 1}
    assert o.loc[o["churned"] == 1, "churn_date"].notna().all()
    assert o.loc[o["churned"] == 0, "churn_date"].isna().all()
    assert (o["churn_date"].dropna() > sim.simulate_protocol()["fieldwork_end"].max()).all()
    assert (o["ltv"] >= 0).all() and (o["repeat_purchases"] >= 0).all()


def test_small_departments_and_headcount(files):
    e, h = files["employees"], files["headcount"]
    assert len(e) == 320 and e["respondent_id"].is_unique
    sizes = e["department"].value_counts()
    assert sizes["Legal"] == 3 and sizes["Facilities"] == 4
    assert (sizes < 5).sum() >= 2
    assert set(e["tenure_band"]) == set(sim.TENURE_BANDS)
    assert 2 <= e["location"].nunique() <= 3
    resp = e.groupby(["department", "location"]).size().rename("respondents").reset_index()
    m = h.merge(resp, on=["department", "location"], how="outer", indicator=True)
    assert (m["_merge"] != "right_only").all()  # every respondent's place has a headcount
    assert (m["headcount"] > m["respondents"].fillna(0)).all()
    assert h["headcount"].sum() > len(e)


def test_employee_comments_contain_identifiers(files):
    c = files["employees"]["comment"].fillna("")
    names = "|".join(sim_phrases.COLLEAGUES)
    assert c.str.contains(names, regex=True).sum() >= 3
    assert c.str.contains("@example.org", regex=False).any()
    assert c.str.contains(r"555[ -]01\d\d", regex=True).any()
    themes = {"workload", "pay", "culture"}
    assert themes <= set(sim.EMPLOYEE_THEMES)


# --- small helpers --------------------------------------------------------------------------

def test_simulate_counts_shape_and_mean():
    shares = (0.2, 0.3, 0.5)
    c = sim.simulate_counts(400, shares, size=5000, seed=3)
    assert c.shape == (5000, 3) and (c.sum(axis=1) == 400).all()
    np.testing.assert_allclose(c.mean(axis=0) / 400, shares, atol=0.005)
    # spread of simulated NPS matches the formula sd = 100 * sqrt(v / n) (METHODS.md)
    v = 0.5 + 0.2 - (0.5 - 0.2) ** 2
    sim_nps = 100 * (c[:, 2] - c[:, 0]) / 400
    assert abs(sim_nps.std() / (100 * np.sqrt(v / 400)) - 1) < 0.05


def test_simulate_counts_single_and_vector_n():
    assert sim.simulate_counts(10, (0.2, 0.3, 0.5), seed=1).shape == (3,)
    c = sim.simulate_counts(np.array([5, 50, 500]), (0.2, 0.3, 0.5), seed=1)
    assert c.sum(axis=1).tolist() == [5, 50, 500]
    np.testing.assert_array_equal(sim.simulate_counts(30, (0.2, 0.3, 0.5), size=4, seed=9),
                                  sim.simulate_counts(30, (0.2, 0.3, 0.5), size=4, seed=9))


def test_simulate_scores_match_shares():
    s = sim.simulate_scores(20000, (0.1, 0.3, 0.6), seed=5)
    c = counts(s)
    np.testing.assert_allclose(np.array(c) / c.n, (0.1, 0.3, 0.6), atol=0.01)
    probs = np.zeros(11)
    probs[[0, 10]] = 0.5
    s11 = sim.simulate_scores(1000, probs, seed=5)
    assert set(np.unique(s11)) == {0.0, 10.0}


@pytest.mark.parametrize("shares", [(0.5, 0.5), (0.5, 0.6, 0.1), (-0.1, 0.5, 0.6)])
def test_bad_shares_raise(shares):
    with pytest.raises(ParameterError, match="shares"):
        sim.simulate_counts(10, shares)


def test_helpers_default_seed_is_fixed():
    np.testing.assert_array_equal(sim.simulate_scores(50), sim.simulate_scores(50))
    assert not np.array_equal(sim.simulate_scores(50, seed=1), sim.simulate_scores(50, seed=2))


@pytest.mark.parametrize("n", [-1, 2.5, "ten", True])
def test_bad_n_raises(n):
    with pytest.raises(ParameterError, match="n="):
        sim.simulate_counts(n)


def test_bad_parameters_raise():
    with pytest.raises(ParameterError, match="2024-Q1"):
        sim.simulate_protocol(["2024-Q1"])
    with pytest.raises(ParameterError, match="time order"):
        sim.simulate_protocol(["2025-H1", "2024-H1"])
    with pytest.raises(ParameterError, match="n="):
        sim.simulate_customers(0)
    with pytest.raises(ParameterError, match="segment"):
        sim.simulate_responses(pd.DataFrame({"customer_id": ["C1"], "segment": ["Huge"]}))


def test_custom_waves_and_small_world():
    customers = sim.simulate_customers(300, seed=1)
    waves = ("2026-H1", "2026-H2")
    r = sim.simulate_responses(customers, waves, seed=1)
    assert set(r["wave"]) == set(waves)
    assert set(r["channel"]) == {"email", "phone"}  # the changed wave is not among them
    o = sim.simulate_outcomes(customers, r, seed=1)
    assert (o["churn_date"].replace("", np.nan).dropna() > "2026-09").all()
    e = sim.simulate_employees(60, seed=1)
    assert len(e) == 60 and (e["department"].value_counts()[["Legal", "Facilities"]] == [3, 4]).all()


def test_docs_say_synthetic():
    assert "SYNTHETIC" in sim.__doc__
    readme = (DATA / "README.md").read_text()
    assert "SYNTHETIC" in readme
    assert re.search(r"python -m nps_kit\.simulate", readme)


# --- ground truth ---------------------------------------------------------------------------

def test_true_nps_matches_monte_carlo():
    """The closed-form expected NPS equals the NPS of every customer answering, simulated."""
    customers = sim.simulate_customers(20000, seed=11)
    truth = sim.true_nps(customers, seed=11).set_index(["wave", "segment"])["nps"]
    rng = np.random.default_rng(99)
    loyalty = sim_world._loyalty(customers, 11)
    seg = sim_world._segment_index(customers)
    for t, wave in enumerate(sim.DEFAULT_WAVES):
        latent = loyalty + t * sim_world._DRIFT_PER_WAVE[seg] + rng.normal(0, sim_world._WAVE_NOISE, len(seg))
        scores = sim_draws.score_from_latent(latent, rng, sim_world._SCORE_CENTRE, sim_world._SCORE_SLOPE,
                                        sim_world._SCORE_NOISE)
        assert abs(nps(scores) - truth[wave, "All"]) < 2.0  # se about 0.6 points
        smb = scores[seg == 0]
        assert abs(nps(smb) - truth[wave, "SMB"]) < 2.5


def test_email_overstates_truth_and_phone_follow_up_helps(world, files):
    truth = sim.true_nps(world["customers"]).query("segment == 'All'").set_index("wave")["nps"]
    r = files["responses"]
    email = r[r["channel"] == "email"].groupby("wave")["score"].apply(_nps)
    combined = r.groupby("wave")["score"].apply(_nps)
    assert (email - truth > 15).all()
    phone_waves = [w for w in sim.DEFAULT_WAVES if w != sim.CHANGED_WAVE]
    assert ((combined - truth).abs()[phone_waves] < (email - truth).abs()[phone_waves]).all()
    # the true drift is modest overall, and opposite for SMB and Enterprise
    full = sim.true_nps(world["customers"]).set_index(["segment", "wave"])["nps"]
    first, last = sim.DEFAULT_WAVES[0], sim.DEFAULT_WAVES[-1]
    assert abs(full["All", last] - full["All", first]) < 15
    assert full["SMB", last] < full["SMB", first] - 5
    assert full["Enterprise", last] > full["Enterprise", first] + 5
