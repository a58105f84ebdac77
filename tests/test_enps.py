"""eNPS reports: threshold edges, complementary suppression, crossings, participation, comments,
wave comparison and figures."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from nps_kit.core.compare import compare_nps
from nps_kit.enps.report import (
    COMPLEMENTARY_REASON,
    enps_report,
    grouping_columns,
    normalise_groupings,
    primary_reason,
)
from nps_kit.enps.comments import anonymity_note, eligible_rows, enps_comments, enps_themes
from nps_kit.enps.waves import compare_enps, format_changes
from nps_kit.errors import DataError, ParameterError
from nps_kit.core.intervals import nps_interval
from nps_kit.engines.dispatch import read_table
from nps_kit.privacy.suppression import audit_publication, suppress_publication


def team_data(sizes: dict[str, list[int]]) -> pd.DataFrame:
    """One row per score, team label per row."""
    rows = [(team, s) for team, scores in sizes.items() for s in scores]
    return pd.DataFrame({"respondent_id": [f"X{i:03d}" for i in range(len(rows))],
                         "team": [r[0] for r in rows], "score": [r[1] for r in rows]})


BIG_A = [0, 3, 6, 7, 8, 9, 10, 10, 9, 2, 7, 8]      # 12: d 4, a 4, p 4
BIG_B = [9, 9, 10, 10, 8, 7, 1, 5, 9, 10]           # 10: d 2, a 2, p 6
BIG_C = [3, 4, 5, 8, 9, 10, 10, 7, 2, 6, 9, 9, 10]  # 13: d 5, a 2, p 6


def test_threshold_edges_exactly_k_shown_k_minus_1_suppressed():
    exactly = [0, 7, 9, 10, 10]     # 5 answers: d 1, a 1, p 3 -> eNPS 40
    below = [10, 9, 1, 8]           # 4 answers: d 1, a 1, p 2 -> eNPS 25
    t = enps_report(team_data({"a": BIG_A, "b": BIG_B, "c": BIG_C, "k": exactly}),
                    "score", "team").table("team").set_index("team")
    assert not t["suppressed"].any()
    assert t.loc["k", "n"] == 5 and t.loc["k", "enps"] == pytest.approx(40.0)

    t = enps_report(team_data({"a": BIG_A, "b": BIG_B, "c": BIG_C, "small": below}),
                    "score", "team").table("team").set_index("team")
    assert t.loc["small", "suppressed"] and pd.isna(t.loc["small", "n"])
    assert t.loc["small", "reason"] == "fewer than 5 answers"
    # a hidden cell of a published total is never alone: the smallest other team (b, 10) goes too
    assert t.index[t["suppressed"]].tolist() == ["b", "small"]
    assert t.loc["b", "reason"] == COMPLEMENTARY_REASON and pd.isna(t.loc["b", "enps"])
    # K = 4 publishes the team of 4
    t4 = enps_report(team_data({"a": BIG_A, "b": BIG_B, "c": BIG_C, "small": below}), "score",
                     "team", min_group_size=4).table("team").set_index("team")
    assert not t4["suppressed"].any()
    assert t4.loc["small", "enps"] == pytest.approx(25.0)


def test_published_numbers_match_hand_computation_and_intervals():
    data = team_data({"a": BIG_A, "b": BIG_B, "c": BIG_C})
    r = enps_report(data, "score", "team", method="wald", confidence=0.9)
    row = r.table("team").set_index("team").loc["b"]
    assert (row["detractors"], row["passives"], row["promoters"]) == (2, 2, 6)
    assert row["enps"] == pytest.approx(40.0)
    ref = nps_interval((2, 2, 6), method="wald", confidence=0.9)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((ref.low, ref.high))
    assert r.n == 35 and r.enps == pytest.approx(100 * (16 - 11) / 35)


def test_threshold_below_3_needs_override_and_is_recorded():
    data = team_data({"a": BIG_A, "b": BIG_B})
    for bad in (2, 1):
        with pytest.raises(ParameterError, match="allow_below_3"):
            enps_report(data, "score", "team", min_group_size=bad)
    for bad in (0, -1, 2.5):
        with pytest.raises(ParameterError):
            enps_report(data, "score", "team", min_group_size=bad, allow_below_3=True)
    r = enps_report(data, "score", "team", min_group_size=2, allow_below_3=True)
    assert r.threshold_override and r.min_group_size == 2
    assert "explicit override" in anonymity_note(r)
    assert not enps_report(data, "score", "team", min_group_size=3).threshold_override
    with pytest.raises(ParameterError, match="method"):
        enps_report(data, "score", "team", method="exact")


def test_hidden_cells_without_a_category_pull_in_more_cells():
    # a (3) and b (6) are all detractors: hiding only them would show that nobody in either
    # is a promoter, so a third team must go as well
    data = team_data({"a": [1, 2, 3], "b": [0, 1, 2, 3, 4, 5], "c": BIG_A, "d": BIG_C})
    t = enps_report(data, "score", "team").table("team").set_index("team")
    assert t["suppressed"].sum() >= 3
    hidden = t.index[t["suppressed"]]
    scores = data[data["team"].isin(hidden)]["score"]
    assert (scores >= 9).any() and (scores <= 6).any() and scores.between(7, 8).any()


def test_crossing_rows_and_columns_never_have_a_single_hidden_cell():
    rng = np.random.default_rng(7)
    n = 400
    data = pd.DataFrame({
        "dept": rng.choice([f"D{i}" for i in range(9)], size=n, p=np.r_[[0.2] * 4, [0.04] * 5]),
        "site": rng.choice(["N", "S", "W"], size=n, p=[0.6, 0.3, 0.1]),
        "score": rng.integers(0, 11, n).astype(float),
    })
    r = enps_report(data, "score", ["dept", "site", ["dept", "site"]])
    cross = r.table(["dept", "site"])
    assert cross["suppressed"].any()
    for col, margin in (("dept", r.table("dept")), ("site", r.table("site"))):
        shown = set(margin.loc[~margin["suppressed"], col])
        hidden_per = cross[cross["suppressed"]].groupby(col).size()
        for value, count in hidden_per.items():
            if value in shown:
                assert count >= 2, (col, value)
    # the margins equal the crossing sums where both are published
    for col, margin in (("dept", r.table("dept")), ("site", r.table("site"))):
        full = cross.groupby(col)["suppressed"].sum() == 0
        sums = cross.groupby(col)["n"].sum()
        m = margin.set_index(col)["n"]
        for value in full[full].index:
            assert sums[value] == m[value]


def test_suppression_lattice_unit():
    # total = 1 + 2 + 3; a single primary cell pulls in the smallest sibling
    fine = np.array([[1, 1, 1], [1, 1, 5], [2, 2, 6]])
    members = [[0, 1, 2], [0], [1], [2]]
    hidden, reason, audit = suppress_publication(fine, members, [0, 1, 1, 1], 5)
    assert hidden.tolist() == [False, True, True, False]
    assert audit.passed and audit.protected == 2  # the small cell and its complement
    # hiding the small cell alone pins it: total minus the two published cells
    alone = audit_publication(fine, members, np.array([False, True, False, False]),
                              ["", "primary", "", ""], 5)
    assert alone.pinned == 1 and alone.narrowest == 0


def test_participation_and_headcount():
    data = team_data({"a": BIG_A, "b": BIG_B, "c": BIG_C, "tiny": [9, 9]})
    hc = pd.DataFrame({"team": ["a", "b", "c", "tiny", "new"], "headcount": [20, 10, 26, 4, 7]})
    r = enps_report(data, "score", "team", headcount=hc)
    t = r.table("team").set_index("team")
    assert t.loc["a", "participation"] == pytest.approx(12 / 20)
    assert t.loc["new", "n"] is pd.NA or pd.isna(t.loc["new", "n"])  # no answers: suppressed
    assert t.loc["new", "suppressed"] and t.loc["new", "headcount"] == 7
    assert pd.isna(t.loc["tiny", "participation"]) and t.loc["tiny", "headcount"] == 4
    assert r.participation == pytest.approx(37 / 67)
    with pytest.raises(DataError, match="fewer people invited than answered"):
        enps_report(data, "score", "team", headcount=hc.assign(headcount=[5, 10, 26, 4, 7]))
    with pytest.raises(DataError, match="'headcount' not found"):
        enps_report(data, "score", "team", headcount=hc.rename(columns={"headcount": "hc"}))
    with pytest.raises(DataError, match="whole numbers"):
        enps_report(data, "score", "team", headcount=hc.assign(headcount=[20, -1, 26, 4, 7]))
    partial = enps_report(data, "score", "team", headcount=hc.iloc[:2])
    assert set(partial.unmatched_headcount["team"]) == {"c", "tiny"}
    assert partial.participation is None  # the total misses the headcount of c and tiny
    pt = partial.table("team").set_index("team")
    assert pd.isna(pt.loc["c", "headcount"]) and pt.loc["a", "participation"] == pytest.approx(0.6)


def test_no_identifiers_or_rows_in_results():
    data = read_table("demo:employees.csv")
    r = enps_report(data, "score", ["department", ["department", "location"]],
                    headcount="demo:headcount.csv")
    text = json.dumps(r.records()) + r.summary.to_string() + r._repr_html_()
    assert "E0001" not in text and "respondent_id" not in text
    assert "comment" not in text
    assert len(r.records()) == sum(len(t) for t in r.tables.values())
    legal = r.table("department").set_index("department").loc["Legal"]
    assert legal["suppressed"] and legal["reason"] == primary_reason(5)
    assert all(pd.isna(legal[c]) for c in ("n", "enps", "ci_low", "ci_high", "participation",
                                          "detractors", "promoter_share"))
    rec = [x for x in r.records() if x["table"] == "department" and x["department"] == "Legal"][0]
    assert rec["n"] is None and rec["enps"] is None and rec["suppressed"] is True


def test_display_shows_the_reason_never_zero_or_blank():
    data = team_data({"a": BIG_A, "b": BIG_B, "c": BIG_C, "small": [10, 9, 1]})
    r = enps_report(data, "score", "team")
    shown = r.display_table("team").set_index("team")
    assert shown.loc["small", "n"] == "fewer than 5 answers"
    assert (shown.loc["small", ["eNPS", "interval", "promoters"]] == "suppressed").all()
    assert not shown.isin(["", "0", "nan", "NaN"]).any().any()
    other = r.table("team").query("suppressed and team != 'small'")["team"].iloc[0]
    assert shown.loc[other, "n"] == "suppressed to protect another group"
    hidden = r.table("team").query("suppressed")["team"].tolist()
    for team in hidden:
        text = " ".join(shown.loc[team].astype(str)).replace("fewer than 5 answers", "")
        assert not any(ch.isdigit() for ch in text)


def test_reproducible_byte_for_byte():
    data = read_table("demo:employees.csv")
    runs = [json.dumps(enps_report(data, "score", ["department", "tenure_band"],
                                   method="bootstrap", seed=3).records()) for _ in range(2)]
    assert runs[0] == runs[1]


def test_groupings_normalised():
    assert normalise_groupings(["a", ["a", "b"], ("b", "a"), "a"]) == [("a",), ("a", "b")]
    assert grouping_columns(["b", ["a", "b"]]) == ["b", "a"]
    with pytest.raises(ParameterError):
        normalise_groupings([["a", "a"]])
    data = team_data({"a": BIG_A})
    with pytest.raises(DataError, match="not found"):
        enps_report(data, "score", "nope")


def comment_data() -> pd.DataFrame:
    rows = []
    for team, scores in {"a": BIG_A, "b": BIG_B, "c": BIG_C, "small": [10, 9, 1]}.items():
        for i, s in enumerate(scores):
            rows.append((team, s, f"{team} comment {i}"))
    df = pd.DataFrame(rows, columns=["team", "score", "comment"])
    df.loc[0, "comment"] = "Ask Anna Nowak, anna.nowak@example.com or +48 601 234 567"
    df.loc[len(BIG_A) + len(BIG_B) + len(BIG_C), "comment"] = "small team secret"
    df.loc[1, "comment"] = None
    return df


def test_comments_only_from_shown_groups_and_redacted():
    df = comment_data()
    r = enps_report(df, "score", "team")
    hidden = set(r.table("team").query("suppressed")["team"])
    assert "small" in hidden
    c = enps_comments(r, df, "comment", by="team", names=["Anna Nowak", "Anna"])
    assert set(c["team"]).isdisjoint(hidden)
    text = " ".join(c["comment"])
    assert "small team secret" not in text
    assert "anna" not in text.lower() and "601" not in text and "@" not in text
    assert "[email]" in text and "[phone]" in text and "[name]" in text
    assert c["comment"].notna().all() and len(c.columns) == 2
    assert list(c["team"]) == sorted(c["team"])
    few = enps_comments(r, df, "comment", by="team", per_group=2)
    assert few.groupby("team").size().max() == 2
    with pytest.raises(ParameterError):
        enps_comments(r, df, "comment", by="site")


def test_comments_follow_crossing_suppression():
    data = read_table("demo:employees.csv")
    r = enps_report(data, "score", ["department", ["department", "location"]])
    ok = eligible_rows(r, data)
    cross = r.table(["department", "location"])
    hidden = cross[cross["suppressed"]][["department", "location"]]
    in_hidden = data.merge(hidden, on=["department", "location"], how="left", indicator=True)
    assert not ok[(in_hidden["_merge"] == "both").to_numpy()].any()
    marketing = data["department"].eq("Marketing")
    assert ok[marketing].any() and not ok[marketing].all()  # Marketing shown, its small sites not
    themes = enps_themes(r, data, "comment", by="department")
    shown = set(r.table("department").query("not suppressed")["department"])
    assert set(themes["department"]) <= shown
    n_per = themes.groupby("department")["n"].first()
    expected = data[ok & data["comment"].notna()].groupby("department").size()
    assert n_per.to_dict() == expected.to_dict()


def test_compare_enps_matches_two_sample_comparison_and_suppresses():
    cur = read_table("demo:employees.csv")
    prev = read_table("demo:employees_previous.csv")
    g = ["department"]
    r2, r1 = enps_report(cur, "score", g), enps_report(prev, "score", g)
    ch = compare_enps(r1, r2, "department").set_index("department")
    t1, t2 = r1.table("department").set_index("department"), r2.table("department").set_index("department")
    ref = compare_nps(tuple(int(t1.loc["Sales", c]) for c in ("detractors", "passives", "promoters")),
                      tuple(int(t2.loc["Sales", c]) for c in ("detractors", "passives", "promoters")))
    assert ch.loc["Sales", "change"] == pytest.approx(ref.delta)
    assert (ch.loc["Sales", "ci_low"], ch.loc["Sales", "ci_high"]) == pytest.approx((ref.low, ref.high))
    for dept in ch.index:
        assert ch.loc[dept, "suppressed"] == (t1.loc[dept, "suppressed"] or t2.loc[dept, "suppressed"])
    assert pd.isna(ch.loc["Legal", "change"]) and pd.isna(ch.loc["Legal", "n_current"])
    shown = format_changes(ch.reset_index()).set_index("department")
    assert shown.loc["Legal", "change"] == "suppressed in the current wave"
    overall = compare_enps(r1, r2)
    assert overall["change"].iloc[0] == pytest.approx(r2.enps - r1.enps)


def test_previous_wave_demo_file_is_the_generators_output():
    from nps_kit.data.paths import resolve_path
    from nps_kit.simulate.files import _csv_bytes
    from nps_kit.simulate.world import simulate_employees_previous

    assert resolve_path("demo:employees_previous.csv").read_bytes() == _csv_bytes(
        simulate_employees_previous())


def test_plot_marks_suppressed_rows_without_numbers():
    from nps_kit.plots.enps import enps_plot

    data = read_table("demo:employees.csv")
    r = enps_report(data, "score", ["department"])
    ax = enps_plot(r.table("department"))
    labels = [t.get_text() for t in ax.texts]
    assert sum("fewer than 5 answers" in s for s in labels) == 2
    assert len(ax.collections[1].get_offsets()) == 8  # one point per shown department
    ticks = {t.get_text(): t.get_position()[1] for t in ax.get_yticklabels()}
    assert sorted(t.get_position()[1] for t in ax.texts) == sorted([ticks["Facilities"],
                                                                     ticks["Legal"]])
    matplotlib.pyplot.close("all")


def test_comments_html_keeps_full_text_and_escapes():
    from nps_kit.enps.comments import comments_html

    long = "x" * 120 + " <script>alert(1)</script>"
    page = comments_html(pd.DataFrame({"team": ["a"], "comment": [long]}))
    assert "x" * 120 in page and "<script>" not in page and "&lt;script&gt;" in page


def test_theme_share_table_is_the_wide_form_of_the_shares():
    from nps_kit.enps.comments import theme_share_table

    data = read_table("demo:employees.csv")
    r = enps_report(data, "score", ["department"])
    themes = enps_themes(r, data, "comment", by="department")
    wide = theme_share_table(themes).set_index("department")
    row = themes[(themes["department"] == "Sales") & (themes["theme"] == "workload")].iloc[0]
    assert wide.loc["Sales", "workload"] == f"{100 * row['share']:.1f}%"
    assert wide.loc["Sales", "comments"] == row["n"]
    assert "Legal" not in wide.index


def test_survey_below_threshold_shows_nothing():
    data = team_data({"a": [9, 10], "b": [3, 8]})
    r = enps_report(data, "score", "team")
    assert r.n is None and r.enps is None and r.ci_low is None
    assert all(x["suppressed"] and x["n"] is None for x in r.records())
    assert "fewer than 5 answers" in r.display_table().iloc[0]["n"]
