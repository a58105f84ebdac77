"""Wave tables, natural wave order, change designs, segment x wave, transitions, real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nps_kit.core.compare import compare_nps, compare_paired
from nps_kit.errors import DataError, ParameterError
from nps_kit.core.scores import parse_scores
from nps_kit.waves.changes import (
    compare_waves,
    describe_changes,
    transition_matrix,
    transitions,
    wave_changes,
    wave_table,
)
from nps_kit.core.waveorder import describe_order, order_waves
from paths import REALDATA

CAT = np.array([0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2])  # category of each score 0..10
S = np.array([-1.0, 0.0, 1.0])


# ------------------------------------------------------------------------------ wave order
@pytest.mark.parametrize("values, expected", [
    (["W10", "W9", "W1", "W2"], ["W1", "W2", "W9", "W10"]),
    (["Wave 10", "Wave 2", "Wave 1"], ["Wave 1", "Wave 2", "Wave 10"]),
    (["2025-H1", "2024-H2", "2024-H1"], ["2024-H1", "2024-H2", "2025-H1"]),
    (["2024-Q3", "2023-Q4", "2024-Q1"], ["2023-Q4", "2024-Q1", "2024-Q3"]),
    (["Q2 2024", "Q1 2025", "Q4 2024"], ["Q2 2024", "Q4 2024", "Q1 2025"]),
    (["10", "9", "1"], ["1", "9", "10"]),
    ([3, 1, 10, 2], [1, 2, 3, 10]),
    (["2024-11-01", "2024-02-15", "2023-12-31"], ["2023-12-31", "2024-02-15", "2024-11-01"]),
    (["spring", "autumn"], ["autumn", "spring"]),
])
def test_order_waves(values, expected):
    assert order_waves(values) == expected


def test_order_waves_keeps_categorical_order_and_drops_missing():
    s = pd.Series(pd.Categorical(["late", "early", None], categories=["early", "late"], ordered=True))
    assert order_waves(s) == ["early", "late"]
    assert order_waves(["W2", None, "W1"]) == ["W1", "W2"]
    assert "half-years" in describe_order(["2024-H2", "2024-H1"])
    assert describe_order(["W10", "W9"]).startswith("Waves in order: W9 < W10")


# ------------------------------------------------------------------------------ helpers
def _responses(rng, waves, n, shares, ids=None):
    """Responses with scores drawn so each category has the given shares."""
    rows = []
    for w, k, sh in zip(waves, n, shares):
        cat = rng.choice(3, size=k, p=sh)
        score = np.array([3, 7, 10])[cat]
        rows.append(pd.DataFrame({"wave": w, "score": score,
                                  "id": (ids[w] if ids else np.arange(k))}))
    return pd.concat(rows, ignore_index=True)


def test_wave_table_natural_order_and_counts():
    df = pd.DataFrame({"wave": ["W10"] * 3 + ["W9"] * 2, "score": [10, 9, 0, 7, np.nan]})
    table = wave_table(df, "score", "wave", method="wald")
    assert table["wave"].astype(str).tolist() == ["W9", "W10"]
    assert table["n"].tolist() == [1, 3]
    assert table["nps"].tolist() == pytest.approx([0.0, 100 / 3])
    assert table["nonrespondents"].tolist() == [1, 0]


def test_design_detection_and_values_match_compare_functions():
    # W1 and W2: the same 4 ids (paired); W2 -> W3: 2 of them again plus 2 new (overlap);
    # W3 -> W4: new ids only (independent)
    df = pd.DataFrame({
        "wave": ["W1"] * 4 + ["W2"] * 4 + ["W3"] * 4 + ["W4"] * 3,
        "id": ["a", "b", "c", "d", "a", "b", "c", "d", "a", "b", "x", "y", "p", "q", "r"],
        "score": [10, 9, 3, 7, 10, 5, 3, 9, 8, 10, 1, 10, 9, 9, 2],
    })
    ch = wave_changes(df, "score", "wave", id="id", method="wald")
    assert ch["design"].tolist() == ["paired", "overlap", "independent"]
    assert ch["n_matched"].tolist() == [4, 2, 0]
    # paired: table of (W1, W2) categories built by hand
    table = np.zeros((3, 3))
    for s1, s2 in [(10, 10), (9, 5), (3, 3), (7, 9)]:
        table[CAT[s1], CAT[s2]] += 1
    ref = compare_paired(table, method="wald")
    assert ch.loc[0, "se"] == pytest.approx(ref.se)
    assert ch.loc[0, "delta"] == pytest.approx(ref.delta)
    # independent
    ref3 = compare_nps([8, 10, 1, 10], [9, 9, 2], method="wald")
    assert ch.loc[2, "se"] == pytest.approx(ref3.se)
    # without ids every comparison is independent
    assert set(wave_changes(df, "score", "wave", method="wald")["design"]) == {"independent"}


def test_paired_only_when_all_respondents_match():
    df = pd.DataFrame({"wave": ["A"] * 3 + ["B"] * 3, "id": [1, 2, 3, 1, 2, 4],
                       "score": [10, 0, 8, 9, 3, 7]})
    assert wave_changes(df, "score", "wave", id="id")["design"].tolist() == ["overlap"]
    # a respondent who declined the score in B is not matched (nonresponse excluded)
    df2 = pd.DataFrame({"wave": ["A"] * 3 + ["B"] * 3, "id": [1, 2, 3, 1, 2, 3],
                        "score": [10, 0, 8, 9, 3, np.nan]})
    ch = wave_changes(df2, "score", "wave", id="id")
    assert ch["design"].tolist() == ["overlap"] and ch["n_matched"].tolist() == [2]
    # ... unless non-response counts as detractor, then all three match
    ch2 = wave_changes(df2, "score", "wave", id="id", nonresponse="detractor")
    assert ch2["design"].tolist() == ["paired"] and ch2["n_to"].tolist() == [3]


def test_baseline_and_adjustment_family():
    rng = np.random.default_rng(3)
    df = _responses(rng, ["W1", "W2", "W3", "W4"], [200, 200, 200, 200],
                    [(0.3, 0.3, 0.4), (0.3, 0.3, 0.4), (0.2, 0.3, 0.5), (0.15, 0.3, 0.55)])
    ch = wave_changes(df, "score", "wave", baseline="W1", adjust="holm")
    pairs = list(zip(ch["from"], ch["to"]))
    assert pairs == [("W1", "W2"), ("W2", "W3"), ("W3", "W4"), ("W1", "W3"), ("W1", "W4")]
    assert ch["comparison"].tolist()[0] == "consecutive, baseline"
    p = ch["p_value"].to_numpy()
    # Holm by hand over the 5 comparisons
    order = np.argsort(p)
    holm = np.maximum.accumulate(np.minimum(p[order] * (len(p) - np.arange(len(p))), 1))
    expected = np.empty_like(p)
    expected[order] = holm
    assert ch["p_adjusted"].to_numpy() == pytest.approx(expected)
    assert (ch["p_adjusted"] >= ch["p_value"]).all()
    bh = wave_changes(df, "score", "wave", baseline="W1", adjust="fdr_bh")
    assert (bh["p_adjusted"] <= ch["p_adjusted"] + 1e-12).all()
    with pytest.raises(ParameterError, match="W1, W2"):
        wave_changes(df, "score", "wave", baseline="W7")
    with pytest.raises(ParameterError):
        wave_changes(df, "score", "wave", adjust="bonferroni")


def test_segment_changes_and_joint_family():
    rng = np.random.default_rng(8)
    a = _responses(rng, ["2024-H1", "2024-H2"], [300, 300], [(0.3, 0.3, 0.4), (0.1, 0.3, 0.6)])
    b = _responses(rng, ["2024-H1", "2024-H2"], [300, 300], [(0.3, 0.3, 0.4), (0.3, 0.3, 0.4)])
    df = pd.concat([a.assign(segment="moved"), b.assign(segment="steady")], ignore_index=True)
    ch = wave_changes(df, "score", "wave", by="segment")
    assert ch["segment"].tolist() == ["moved", "steady"]
    moved = ch.set_index("segment")
    assert moved.loc["moved", "significant"] and not moved.loc["steady", "significant"]
    for seg in ("moved", "steady"):
        sub = df[df["segment"] == seg]
        ref = compare_nps(sub.loc[sub.wave == "2024-H1", "score"].to_numpy(),
                          sub.loc[sub.wave == "2024-H2", "score"].to_numpy())
        assert moved.loc[seg, "delta"] == pytest.approx(ref.delta)
        assert moved.loc[seg, "ci_low"] == pytest.approx(ref.low)
    res = compare_waves(df, "score", "wave", by="segment")
    assert res.wave_order == ("2024-H1", "2024-H2") and "half-years" in res.order_sentence
    # overall and segment comparisons adjusted as one family of 3 (Holm)
    p = np.concatenate([res.changes["p_value"], res.segment_changes["p_value"]])
    assert res.segment_changes["p_adjusted"].max() >= min(1.0, 2 * np.sort(p)[1]) - 1e-12
    text = describe_changes(res.changes, res.segment_changes, "segment")
    assert any("moved significantly" in s and "moved 2024-H1 to 2024-H2" in s for s in text)


def test_transitions_counts_and_matrix():
    df = pd.DataFrame({
        "wave": ["A"] * 5 + ["B"] * 5,
        "id": [1, 2, 3, 4, 5, 1, 2, 3, 4, 6],
        "score": [0, 0, 8, 10, 10, 9, 0, 10, 7, 10],
    })
    mat = transition_matrix(df, "score", "wave", "id", "A", "B")
    expected = np.array([[1, 0, 1], [0, 0, 1], [0, 1, 0]])
    assert mat.to_numpy().tolist() == expected.tolist()
    long = transitions(df, "score", "wave", "id")
    assert len(long) == 9 and long["count"].sum() == 4
    det = long[long["from_category"] == "detractor"]
    assert det["row_share"].tolist() == pytest.approx([0.5, 0.0, 0.5])


def test_bad_input_errors_name_rows():
    df = pd.DataFrame({"wave": ["A", "A", "B"], "id": [1, 1, 2], "score": [1, 2, 3]})
    with pytest.raises(DataError, match="rows 2, 3"):
        wave_changes(df, "score", "wave", id="id")
    df2 = pd.DataFrame({"wave": ["A", None, "B"], "score": [1, 2, 3]})
    with pytest.raises(DataError, match="without a wave, rows 3"):
        wave_changes(df2, "score", "wave")
    df3 = pd.DataFrame({"wave": ["A", "B"], "score": ["ten", 3]})
    with pytest.raises(DataError, match="rows 2"):
        wave_table(df3, "score", "wave")
    with pytest.raises(DataError, match="not found"):
        wave_changes(df2, "nps", "wave")


# ------------------------------------------------------------------------------ real data
@pytest.fixture(scope="module")
def stackoverflow_long() -> pd.DataFrame:
    raw = pd.read_csv(REALDATA / "stackoverflow2018_recommend_sample.csv",
                      usecols=["Respondent", "StackOverflowRecommend", "StackOverflowJobsRecommend"])
    long = raw.melt(id_vars="Respondent", var_name="question", value_name="score")
    long["wave"] = long["question"].map({"StackOverflowRecommend": "W1",
                                         "StackOverflowJobsRecommend": "W2"})
    long["score"] = parse_scores(long["score"]).values
    return long


def test_stackoverflow_two_questions_as_paired_waves(stackoverflow_long):
    long = stackoverflow_long
    ch = wave_changes(long, "score", "wave", id="Respondent", method="wald")
    assert ch.loc[0, "design"] == "overlap"  # some answered only one question
    answered = long.dropna(subset=["score"])
    both_ids = answered.groupby("Respondent")["wave"].nunique().pipe(lambda s: s[s == 2].index)
    assert 400 <= len(both_ids) <= 440 and ch.loc[0, "n_matched"] == len(both_ids)

    panel = answered[answered["Respondent"].isin(both_ids)]
    res = compare_waves(panel, "score", "wave", id="Respondent", method="wald")
    assert res.changes.loc[0, "design"] == "paired"
    trans = res.transitions
    assert trans["count"].sum() == len(both_ids)

    # covariance and correlation computed here, independently of nps_kit
    wide = panel.pivot(index="Respondent", columns="wave", values="score")
    s, t = S[CAT[wide["W1"].astype(int)]], S[CAT[wide["W2"].astype(int)]]
    n = len(wide)
    cov = np.mean(s * t) - s.mean() * t.mean()
    se_paired = np.sqrt((s.var() + t.var() - 2 * cov) / n)
    se_indep = np.sqrt(s.var() / n + t.var() / n)
    assert res.changes.loc[0, "se"] == pytest.approx(100 * se_paired)
    assert res.changes.loc[0, "delta"] == pytest.approx(100 * (t.mean() - s.mean()))
    indep = compare_nps(tuple(np.bincount(CAT[wide["W1"].astype(int)], minlength=3)),
                        tuple(np.bincount(CAT[wide["W2"].astype(int)], minlength=3)), method="wald")
    assert indep.se == pytest.approx(100 * se_indep)
    # the direction of the difference follows the sign of the observed correlation
    assert np.sign(res.changes.loc[0, "se"] - indep.se) == -np.sign(cov) != 0
    # the jobs site is recommended far less: a large, clearly significant drop
    assert res.changes.loc[0, "delta"] < -30 and res.changes.loc[0, "p_value"] < 1e-10


def test_biont_two_workshops_change_not_significant():
    counts = pd.read_csv(REALDATA / "biont_recommend_counts.csv")
    scores = [f"score_{k}" for k in range(11)]
    long = counts.melt(id_vars="wave", value_vars=scores, var_name="s", value_name="count")
    long["score"] = long["s"].str[6:].astype(int)
    # one row per respondent, built from the published counts
    responses = long.loc[long.index.repeat(long["count"])][["wave", "score"]]
    assert responses.groupby("wave").size().tolist() == counts["n"].tolist()
    ch = wave_changes(responses, "score", "wave")
    assert ch.loc[0, "design"] == "independent"
    assert ch.loc[0, "p_value"] > 0.05 and not ch.loc[0, "significant"]
    assert ch.loc[0, "ci_low"] < 0 < ch.loc[0, "ci_high"]
    # the waves are small: only a very large change was detectable
    assert ch.loc[0, "mdc"] > 30
    text = describe_changes(ch)
    assert "not significant" in text[0] and "with 80 % power" in text[0]


def test_read_waves_one_file_per_wave(tmp_path):
    from nps_kit.waves.read import read_waves

    (tmp_path / "2024-H2.csv").write_text("score\n10\n3\n")
    (tmp_path / "2024-H1.csv").write_text("score\n9\n9\n8\n")
    loaded = read_waves(f"{tmp_path / '2024-H2.csv'}; {tmp_path / '2024-H1.csv'}", "score", "wave")
    assert loaded.rows_read == 5 == loaded.rows_kept and loaded.rows_dropped == 0
    table = wave_table(loaded.data, "score", "wave", method="wald")
    assert table["wave"].astype(str).tolist() == ["2024-H1", "2024-H2"]
    assert table["nps"].tolist() == pytest.approx([200 / 3, 0.0])


def test_wave_figures_draw_from_tables():
    import matplotlib

    matplotlib.use("Agg")
    from nps_kit.plots import waves as wave_plots

    rng = np.random.default_rng(2)
    a = _responses(rng, ["W1", "W2"], [300, 300], [(0.4, 0.3, 0.3), (0.1, 0.3, 0.6)])
    b = _responses(rng, ["W1", "W2"], [300, 300], [(0.3, 0.3, 0.4), (0.3, 0.3, 0.4)])
    df = pd.concat([a.assign(segment="up"), b.assign(segment="flat")], ignore_index=True)
    res = compare_waves(df, "score", "wave", by="segment")
    ax = wave_plots.change_heatmap(res.segment_changes, "segment")
    labels = sorted(t.get_text() for t in ax.texts)
    up = res.segment_changes.set_index("segment").loc["up", "delta"]
    assert f"{up:+.1f}*" in labels  # the significant change is starred
    ax = wave_plots.trend_plot(res.waves)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["W1", "W2"]
    ax = wave_plots.shares_plot(res.waves)
    assert len(ax.patches) == 6  # 3 categories x 2 waves
    matplotlib.pyplot.close("all")
