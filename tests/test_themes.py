"""Coding comments into themes (codebooks, languages, word boundaries) and theme statistics."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy.stats import hypergeom, norm

from nps_kit.themes.codebook import (
    STARTER_CODEBOOKS,
    load_codebook,
    make_codebook,
    normalize_one,
    normalize_text,
)
from nps_kit.errors import DataError, ParameterError
from nps_kit.themes.coding import code_comments, coding_summary, uncoded_comments
from nps_kit.themes.drafting import draft_codebook
from nps_kit.themes.examples import example_comments, uncoded_examples
from nps_kit.themes.statistics import theme_changes, theme_frequencies, theme_lift, themes_by_wave

MULTI = make_codebook([
    {"name": "delivery", "keywords": ["delivery", "deliver*", "dostaw*", "Lieferung*", "配送", "ราคา"]},
    {"name": "service", "keywords": ["customer service", "obsługa klienta", "客服", "Kundendienst"]},
    {"name": "price", "keywords": ["price", "价格", "Preis", "zu teuer", "drogo"]},
    {"name": "colour", "keywords": ["żółty"]},
    {"name": "cat", "keywords": ["cat"]},
    {"name": "app", "keywords": ["app"]},
    {"name": "street", "keywords": ["Straße"]},
], name="multi")


def coded(texts, codebook=MULTI):
    df = pd.DataFrame({"c": texts})
    return code_comments(df, "c", codebook)


def themes_of(text, codebook=MULTI):
    row = coded([text], codebook).iloc[0]
    return sorted(row.index[row.to_numpy()])


# ---------------------------------------------------------------------------- matching rules

@pytest.mark.parametrize("text,expected", [
    ("Dostawa była za wolna", ["delivery"]),
    ("DOSTAWA BYŁA ZA WOLNA", ["delivery"]),
    ("dostawy nie było", ["delivery"]),
    ("obsługa klienta świetna", ["service"]),
    ("OBSŁUGA KLIENTA świetna", ["service"]),
    ("obsluga klienta swietna", ["service"]),          # typed without diacritics
    ("Samochód był żółty", ["colour"]),
    ("samochod byl ZOLTY", ["colour"]),
    ("Die Lieferung war zu spät und zu teuer", ["delivery", "price"]),
    ("Der Kundendienst ist gut", ["service"]),
    ("Preisgestaltung unklar", []),                     # whole word: Preis is not Preisgestaltung
    ("Der Preis ist fair", ["price"]),
    ("STRASSE gesperrt", ["street"]),                  # casefold: Straße == strasse
    ("价格太贵了", ["price"]),
    ("客服很好", ["service"]),
    ("客服很好，但是价格太贵了", ["price", "service"]),
    ("配送が遅い", ["delivery"]),
    ("ราคาแพงเกินไป", ["delivery"]),                    # Thai without spaces, substring match
    ("app很好用", ["app"]),                             # Latin keyword next to CJK text
    ("The app crashes", ["app"]),
    ("Happy with it", []),                              # "app" inside "happy": no
    ("Application form", []),
    ("education matters", []),                          # "cat" inside "education": no
    ("my cat, my CAT!", ["cat"]),
    ("priceless experience", []),                       # "price" does not match "priceless"
    ("ＰＲＩＣＥ too high", ["price"]),                  # full-width letters, NFKC
    ("price and delivery and customer-service", ["delivery", "price", "service"]),
    ("Customer   service was slow", ["service"]),
    ("They delivered late", ["delivery"]),              # deliver* wildcard
    ("undelivered parcel", []),                         # the wildcard is only at the end
    ("", []),
])
def test_matching_rules(text, expected):
    assert themes_of(text) == expected


def test_stem_wildcard_is_explicit():
    cb = make_codebook([{"name": "p", "keywords": ["price*"]}])
    assert themes_of("priceless", cb) == ["p"]
    assert themes_of("prices went up", cb) == ["p"]
    assert themes_of("the PRICE", cb) == ["p"]
    assert themes_of("overpriced", cb) == []


def test_accents_keep_distinguishes_letters():
    keep = make_codebook([{"name": "colour", "keywords": ["żółty"]}], accents="keep")
    fold = make_codebook([{"name": "colour", "keywords": ["zolty"]}], accents="fold")
    assert themes_of("ŻÓŁTY samochód", keep) == ["colour"]
    assert themes_of("zolty samochod", keep) == []
    assert themes_of("żółty samochód", fold) == ["colour"]


def test_patterns_ignore_case_and_keep_escapes():
    cb = make_codebook([
        {"name": "ticket", "patterns": [r"\bTICKET\s*#?\d+\b"]},
        {"name": "nonspace", "patterns": [r"^\S+$"]},       # \S must stay \S, not become \s
        {"name": "accented", "patterns": [r"za wolna|spóźnion\w*"]},
    ])
    assert themes_of("see ticket #123 please", cb) == ["ticket"]
    assert themes_of("oneword", cb) == ["nonspace"]
    assert themes_of("two words", cb) == []
    assert themes_of("Paczka SPOZNIONA", cb) == ["accented"]


def test_email_addresses_do_not_trigger_themes():
    cb = make_codebook([{"name": "cost", "keywords": ["cost*"]}])
    assert themes_of("Write to omar.costa@example.com", cb) == []
    assert themes_of("Costs are high, omar.costa@example.com", cb) == ["cost"]


def test_normalization_of_keywords_and_text_agree():
    assert normalize_text(pd.Series(["Żółw ŁÓDŹ Straße ＡＢＣ", None])).tolist() == ["zolw lodz strasse abc", ""]
    samples = ["Żółw ŁÓDŹ Straße ＡＢＣ", "app很好用", "が ガ ﾊﾟ", "Ǆemal Æsir œuvre", "Ünïcödé", "ราคาแพง",
               "가격이 비싸요", "ﬁnal", "İstanbul", "Ωμέγα Ёлка"]
    for accents in ("fold", "keep"):
        vectorised = normalize_text(pd.Series(samples), accents).tolist()
        assert vectorised == [normalize_one(s, accents) for s in samples]


def test_multi_theme_comments_and_index_kept():
    df = pd.DataFrame({"c": ["price and delivery", "nothing here", None, "  "]}, index=[5, 7, 9, 11])
    flags = code_comments(df, "c", MULTI)
    assert flags.index.tolist() == [5, 7, 9, 11]
    assert flags.columns.tolist() == MULTI.theme_names
    assert flags.sum(axis=1).tolist() == [2, 0, 0, 0]


def test_uncoded_are_counted_and_listed():
    df = pd.DataFrame({"c": ["price is fine", "no idea", None, "", "delivery ok", "something else"]},
                      index=pd.Index([2, 3, 4, 5, 6, 7], name="row"))
    s = coding_summary(df, "c", MULTI)
    assert (s.rows, s.blank, s.comments, s.coded, s.uncoded) == (6, 2, 4, 2, 2)
    assert s.coded_share == 0.5
    listed = uncoded_comments(df, "c", MULTI)
    assert listed.index.tolist() == [3, 7]
    assert listed["c"].tolist() == ["no idea", "something else"]
    assert "coded_share" in s.summary.columns and "<table" in s._repr_html_()


# ------------------------------------------------------------------------------ validation

def write(tmp_path, text, name="book.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_bad_regex_names_file_theme_and_problem(tmp_path):
    p = write(tmp_path, "themes:\n  - name: price\n    patterns: ['(unclosed']\n")
    with pytest.raises(DataError) as err:
        load_codebook(p)
    msg = str(err.value)
    assert "book.yaml" in msg and "'price'" in msg and "(unclosed" in msg and "regular expression" in msg


@pytest.mark.parametrize("yaml_text,needle", [
    ("- keywords: [a]\n", "theme 1 has no name"),
    ("- name: a\n  keywords: [x]\n- name: a\n  keywords: [y]\n", "unique"),
    ("- name: a\n", "neither keywords nor patterns"),
    ("- name: a\n  keyword: [x]\n", "unknown key"),
    ("- name: a\n  keywords: ['*']\n", "empty"),
    ("themes: []\n", "no themes"),
    ("themes:\n  - name: a\n    keywords: [x\n", "not valid YAML"),
    ("accents: strip\nthemes:\n  - name: a\n    keywords: [x]\n", "accents"),
    ("thems:\n  - name: a\n", "unknown top-level"),
])
def test_invalid_codebooks(tmp_path, yaml_text, needle):
    p = write(tmp_path, yaml_text)
    with pytest.raises(DataError, match=re.escape(needle)) as err:
        load_codebook(p)
    assert "book.yaml" in str(err.value)


def test_missing_file_and_unknown_starter(tmp_path):
    with pytest.raises(DataError, match="not found"):
        load_codebook(tmp_path / "nope.yaml")
    with pytest.raises(DataError, match="starter:customer"):
        load_codebook("starter:hotel")


def test_plain_list_yaml_and_language_notes(tmp_path):
    p = write(tmp_path, "- name: Lieferung\n  keywords: [Lieferung*]\n  language: {de: Stamm}\n")
    cb = load_codebook(p)
    assert cb.theme_names == ["Lieferung"] and cb.themes[0].language == "de: Stamm"
    assert cb.name == "book"


def test_starter_codebooks_have_the_planned_themes():
    assert STARTER_CODEBOOKS[:2] == ("customer", "enps")
    assert set(STARTER_CODEBOOKS[2:]) == {f"customer-{x}" for x in ("de", "fr", "es", "it", "pt", "nl")}
    assert load_codebook().theme_names == [
        "price/value", "support/service", "product quality/reliability", "delivery/shipping",
        "ease of use", "reporting/analytics", "onboarding/training", "billing"]
    assert load_codebook("starter:enps").theme_names == [
        "workload", "management/leadership", "pay/benefits", "career growth",
        "culture/colleagues", "tools/equipment", "remote/flexible work"]


def test_starter_codebook_codes_the_demo_comments():
    from nps_kit.engines.dispatch import read_table

    customers = coding_summary(read_table("demo:responses.csv"), "comment")
    employees = coding_summary(read_table("demo:employees.csv"), "comment", "starter:enps")
    assert customers.comments > 500 and customers.coded_share >= 0.9
    assert employees.comments > 100 and employees.coded_share >= 0.9


def test_missing_column_is_a_data_error():
    with pytest.raises(DataError, match="'comment'"):
        code_comments(pd.DataFrame({"text": ["a"]}), "comment")


# ----------------------------------------------------------------------------- frequencies

def wilson(k, n, z=norm.ppf(0.975)):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_frequencies_by_category_match_hand_counts():
    df = pd.DataFrame({
        "c": ["price"] * 3 + ["delivery"] * 2 + ["price and delivery"] + ["nothing"] * 4 + [None] * 2,
        "s": [0, 2, 9, 5, 10, 6, 9, 10, 7, 8, 0, 10],
    })
    t = theme_frequencies(df, "c", by="category", score="s", codebook=MULTI)
    det = t[(t.category == "detractor")].set_index("theme")
    # detractor comments: price(0), price(2), delivery(5), price and delivery(6) -> n = 4
    assert det.loc["price", "n"] == 4 and det.loc["price", "comments"] == 3
    assert det.loc["delivery", "comments"] == 2
    lo, hi = wilson(3, 4)
    assert det.loc["price", "ci_low"] == pytest.approx(lo) and det.loc["price", "ci_high"] == pytest.approx(hi)
    pro = t[(t.category == "promoter")].set_index("theme")
    assert pro.loc["price", "n"] == 4 and pro.loc["price", "share"] == pytest.approx(0.25)
    overall = theme_frequencies(df, "c", codebook=MULTI).set_index("theme")
    assert overall.loc["price", "n"] == 10 and overall.loc["price", "comments"] == 4
    assert list(t.columns) == ["category", "theme", "n", "comments", "share", "ci_low", "ci_high", "confidence"]


def test_frequencies_by_two_columns():
    df = pd.DataFrame({"w": ["A", "A", "B", "B", "B"], "g": ["x", "y", "x", "x", "y"],
                       "c": ["price", "price", "delivery", "price", "cat"]})
    t = theme_frequencies(df, "c", by=["w", "g"], codebook=MULTI)
    row = t[(t.w == "B") & (t.g == "x") & (t.theme == "price")].iloc[0]
    assert (row.n, row.comments, row.share) == (2, 1, 0.5)
    assert len(t) == 4 * len(MULTI.theme_names)


def test_category_without_score_is_an_error():
    with pytest.raises(DataError, match="score"):
        theme_frequencies(pd.DataFrame({"c": ["a"]}), "c", by="category")


# ------------------------------------------------------------------------------------ lift

def lift_data():
    # detractors: 20 comments, 10 about price; promoters: 40 comments, 4 about price;
    # delivery: 5 of 20 vs 10 of 40 (same share); passives and blanks must not count.
    det = ["price"] * 10 + ["delivery"] * 5 + ["other"] * 5
    pro = ["price"] * 4 + ["delivery"] * 10 + ["other"] * 26
    pas = ["price"] * 7 + ["other"] * 3
    return pd.DataFrame({
        "c": det + pro + pas + [None] * 5,
        "s": [3] * 20 + [10] * 40 + [8] * 10 + [0] * 5,
    })


def fisher_two_sided(a, n1, b, n2):
    """Two-sided Fisher p from the hypergeometric distribution (sum of tables as likely or less)."""
    m, total = a + b, n1 + n2
    dist = hypergeom(total, m, n1)
    support = np.arange(max(0, m - n2), min(m, n1) + 1)
    probs = dist.pmf(support)
    return float(probs[probs <= dist.pmf(a) * (1 + 1e-7)].sum())


def test_lift_on_constructed_data():
    cb = make_codebook([{"name": "price", "keywords": ["price"]},
                        {"name": "delivery", "keywords": ["delivery"]},
                        {"name": "never", "keywords": ["zzz"]}])
    t = theme_lift(lift_data(), "c", "s", codebook=cb).set_index("theme")
    assert t.loc["price", "share_detractors"] == 0.5 and t.loc["price", "share_promoters"] == 0.1
    assert t.loc["price", "lift"] == pytest.approx(5.0)
    assert t.loc["delivery", "lift"] == pytest.approx(1.0)
    assert np.isnan(t.loc["never", "lift"])
    assert t.loc["price", "n"] == 70 and t.loc["price", "comments"] == 21
    p_price = fisher_two_sided(10, 20, 4, 40)
    p_deliv = fisher_two_sided(5, 20, 10, 40)
    assert t.loc["price", "p_value"] == pytest.approx(p_price)
    assert t.loc["delivery", "p_value"] == pytest.approx(p_deliv)
    assert t.loc["never", "p_value"] == pytest.approx(1.0)
    # Holm over 3 tests: sorted p's times 3, 2, 1, made monotone, capped at 1
    ps = np.array([p_price, p_deliv, 1.0])
    order = np.argsort(ps)
    adj = np.minimum(1, np.maximum.accumulate(ps[order] * np.array([3, 2, 1])))
    expected = np.empty(3)
    expected[order] = adj
    assert t["p_adjusted"].to_numpy() == pytest.approx(expected)
    assert t.loc["price", "p_adjusted"] < 0.05
    # Katz log interval for the ratio of two proportions
    se = math.sqrt(1 / 10 - 1 / 20 + 1 / 4 - 1 / 40)
    assert t.loc["price", "lift_low"] == pytest.approx(5 * math.exp(-norm.ppf(0.975) * se))
    assert t.loc["price", "lift_high"] == pytest.approx(5 * math.exp(norm.ppf(0.975) * se))


def test_lift_z_test_matches_formula_and_options_are_checked():
    cb = make_codebook([{"name": "price", "keywords": ["price"]}])
    t = theme_lift(lift_data(), "c", "s", codebook=cb, test="z", adjust="none")
    pooled = 14 / 60
    z = (0.5 - 0.1) / math.sqrt(pooled * (1 - pooled) * (1 / 20 + 1 / 40))
    assert t["p_value"].iloc[0] == pytest.approx(2 * norm.sf(z))
    assert t["p_adjusted"].iloc[0] == t["p_value"].iloc[0]
    with pytest.raises(ParameterError, match="fisher"):
        theme_lift(lift_data(), "c", "s", codebook=cb, test="chi2")
    with pytest.raises(ParameterError, match="holm"):
        theme_lift(lift_data(), "c", "s", codebook=cb, adjust="sidak")


def test_lift_detects_a_real_difference_in_simulation():
    # a theme twice as common among detractors is flagged in most simulated surveys of 600
    rng = np.random.default_rng(7)
    cb = make_codebook([{"name": "price", "keywords": ["price"]}])
    hits = 0
    for _ in range(40):
        s = rng.choice([2, 8, 10], size=600, p=[0.3, 0.3, 0.4])
        p_theme = np.where(s <= 6, 0.3, 0.15)
        c = np.where(rng.random(600) < p_theme, "price", "other")
        t = theme_lift(pd.DataFrame({"c": c, "s": s}), "c", "s", codebook=cb, adjust="none")
        hits += t["p_value"].iloc[0] < 0.05
    assert hits >= 30
    # and under no difference, about 5 % or fewer are flagged (Fisher is conservative)
    false = 0
    for _ in range(100):
        s = rng.choice([2, 8, 10], size=300, p=[0.3, 0.3, 0.4])
        c = np.where(rng.random(300) < 0.2, "price", "other")
        t = theme_lift(pd.DataFrame({"c": c, "s": s}), "c", "s", codebook=cb, adjust="none")
        false += t["p_value"].iloc[0] < 0.05
    assert false <= 12


# ---------------------------------------------------------------------------------- waves

def wave_data():
    a = ["price"] * 5 + ["other"] * 45            # 10 %
    b = ["price"] * 30 + ["other"] * 20           # 60 %
    c = ["price"] * 28 + ["other"] * 22           # 56 %
    return pd.DataFrame({"w": ["2024-H1"] * 50 + ["2024-H2"] * 50 + ["2025-H1"] * 50,
                         "s": ([2] * 25 + [10] * 25) * 3, "c": a + b + c})


def test_changes_between_waves():
    cb = make_codebook([{"name": "price", "keywords": ["price"]},
                        {"name": "never", "keywords": ["zzz"]}])
    t = theme_changes(wave_data(), "c", "w", codebook=cb)
    first = t[(t.wave == "2024-H2") & (t.theme == "price")].iloc[0]
    assert first.previous_wave == "2024-H1"
    assert first.change == pytest.approx(0.5)
    assert first.change_low < 0.5 < first.change_high
    assert first.direction == "grew"
    second = t[(t.wave == "2025-H1") & (t.theme == "price")].iloc[0]
    assert second.change == pytest.approx(-0.04) and second.direction == "no clear change"
    pooled = 35 / 100
    z = 0.5 / math.sqrt(pooled * (1 - pooled) * (2 / 50))
    assert first.p_value == pytest.approx(2 * norm.sf(z))
    assert first.p_adjusted == pytest.approx(min(1, 2 * first.p_value))  # Holm with 2 themes, smallest p
    # an explicit order reverses the comparison
    rev = theme_changes(wave_data(), "c", "w", codebook=cb, waves=["2025-H1", "2024-H2", "2024-H1"])
    last = rev[(rev.wave == "2024-H1") & (rev.theme == "price")].iloc[0]
    assert last.change == pytest.approx(-0.5) and last.direction == "shrank"
    single = theme_changes(wave_data().query("w == '2024-H1'"), "c", "w", codebook=cb)
    assert single.empty


def test_themes_by_wave_for_the_wave_report():
    cb = make_codebook([{"name": "price", "keywords": ["price"]},
                        {"name": "delivery", "keywords": ["delivery"]}])
    df = wave_data()
    t = themes_by_wave(df, "c", "s", "w", cb)
    assert len(t) == 3 * 2
    assert t["wave"].tolist()[:2] == ["2024-H1", "2024-H1"]
    freq = theme_frequencies(df, "c", by="w", codebook=cb)
    assert t["share"].to_numpy() == pytest.approx(freq["share"].to_numpy())
    h2 = t[(t.wave == "2024-H2") & (t.theme == "price")].iloc[0]
    # 2024-H2: the first 25 (detractors) are all price, promoters 5 of 25
    assert h2.share_detractors == 1.0 and h2.share_promoters == pytest.approx(0.2)
    assert h2.lift == pytest.approx(5.0)
    assert h2.direction == "grew"
    assert t[t.wave == "2024-H1"]["change"].isna().all()
    no_score = themes_by_wave(df, "c", None, "w", cb)
    assert "lift" not in no_score.columns and len(no_score) == 6


# ------------------------------------------------------------------------------- examples

def example_data():
    return pd.DataFrame({
        "respondent_id": [f"C{i:03d}" for i in range(12)],
        "s": [0, 1, 2, 3, 9, 10, 9, 10, 7, 8, 5, 10],
        "c": ["price too high, call me at +48 601 234 567", "price is a joke, anna@example.com",
              "Price! Ask Anna Nowak", "price again", "fair price", "good price",
              "price ok C003", "delivery fine", "meh", None, "bad delivery", "price ok C003"],
    })


def test_examples_are_redacted_seeded_and_without_ids():
    df = example_data()
    ex = example_comments(df, "c", codebook=MULTI, n=3, seed=1, names=["Anna Nowak"])
    assert list(ex.columns) == ["theme", "comment"]
    price = ex[ex.theme == "price"]["comment"].tolist()
    assert len(price) == 3 and len(set(price)) == 3
    text = " ".join(ex["comment"])
    assert "@" not in text and "601" not in text and "Nowak" not in text
    again = example_comments(df, "c", codebook=MULTI, n=3, seed=1, names=["Anna Nowak"])
    pd.testing.assert_frame_equal(ex, again)
    all_price = example_comments(df, "c", codebook=MULTI, n=50, seed=3, names=["Anna Nowak"])
    # "price ok C003" appears twice but is shown once; 7 distinct price comments in all
    assert (all_price.theme == "price").sum() == 7
    seeds = {tuple(example_comments(df, "c", codebook=MULTI, n=2, seed=s)["comment"]) for s in range(10)}
    assert len(seeds) > 1


def test_examples_by_category_and_uncoded_examples():
    df = example_data()
    ex = example_comments(df, "c", codebook=MULTI, score="s", n=1, seed=0)
    assert list(ex.columns) == ["theme", "category", "comment"]
    price = ex[ex.theme == "price"]
    assert set(price.category) == {"detractor", "promoter"}   # no passive mentions price
    un = uncoded_examples(df, "c", codebook=MULTI, n=5, seed=0)
    assert un["comment"].tolist() == ["meh"]
    long = pd.DataFrame({"c": ["x" * 500]})
    cut = uncoded_examples(long, "c", codebook=MULTI, max_chars=50)["comment"].iloc[0]
    assert len(cut) == 50 and cut.endswith("…")


def test_draft_codebook_finds_the_missing_theme():
    un = pd.Series(["the invoice portal is down", "portal login fails again", "portal is slow",
                    "great people", "发票系统很慢", "发票错了"])
    co = pd.Series(["great price", "great delivery", "price ok", "people nice"] * 5)
    draft = draft_codebook(un, co, n_terms=3)
    assert draft["term"].iloc[0] == "portal"
    assert "great" not in draft["term"].tolist()
    assert "发票" in draft_codebook(un, co, n_terms=10)["term"].tolist()
    assert list(draft.columns) == ["term", "uncoded", "coded", "log_odds"]


def test_changes_last_pair_only():
    cb = make_codebook([{"name": "price", "keywords": ["price"]}])
    last = theme_changes(wave_data(), "c", "w", codebook=cb, pairs="last")
    assert last["wave"].tolist() == ["2025-H1"] and last["previous_wave"].tolist() == ["2024-H2"]
    full = theme_changes(wave_data(), "c", "w", codebook=cb)
    assert last["p_value"].iloc[0] == pytest.approx(full["p_value"].iloc[-1])
    with pytest.raises(ParameterError, match="last"):
        theme_changes(wave_data(), "c", "w", codebook=cb, pairs="first")


def test_load_names_from_a_file(tmp_path):
    from nps_kit.data.files import load_names

    p = tmp_path / "people.csv"
    pd.DataFrame({"who": ["Anna Nowak", None, " ", "Anna Nowak", "Tom"]}).to_csv(p, index=False)
    assert load_names(p, "who") == ["Anna Nowak", "Tom"]
    with pytest.raises(DataError, match="'name'"):
        load_names(p, "name")


# ---------------------------------------------------------------------------------- figures

def test_figures_draw_one_mark_per_theme_and_level():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nps_kit.plots.themes import theme_change_plot, theme_lift_plot, theme_share_plot

    df = lift_data()
    cb = make_codebook([{"name": "price", "keywords": ["price"]},
                        {"name": "delivery", "keywords": ["delivery"]},
                        {"name": "never", "keywords": ["zzz"]}])
    freq = theme_frequencies(df, "c", by="category", score="s", codebook=cb)
    ax = theme_share_plot(freq)
    widths = sorted(round(b.get_width(), 6) for c in ax.containers[:3] for b in c)
    assert len(widths) == 9                                   # 3 themes x 3 categories
    assert max(widths) == pytest.approx(70.0)                 # passives: 7 of 10 mention price
    lift = theme_lift(df, "c", "s", codebook=cb)
    ax = theme_lift_plot(lift)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["delivery", "price"]   # "never" has no lift
    assert "never" in ax.get_title(loc="left")
    ch = theme_changes(wave_data(), "c", "w", codebook=cb)
    ax = theme_change_plot(ch)
    assert len(ax.get_yticklabels()) == 3
    ax = theme_change_plot(ch.iloc[0:0])
    assert "only one wave" in ax.texts[0].get_text()
    plt.close("all")


def test_theme_changes_order_waves_naturally():
    # the kit's one wave order: "W9" comes before "W10" (a plain sort puts W10 first)
    from nps_kit.themes.statistics import theme_changes

    rows = []
    for wave, n in (("W9", 40), ("W10", 40)):
        rows += [{"wave": wave, "score": 3, "comment": "too expensive"}] * (n // 2)
        rows += [{"wave": wave, "score": 10, "comment": "great support"}] * (n // 2)
    out = theme_changes(pd.DataFrame(rows), "comment", "wave")
    assert set(out["wave"]) == {"W10"} and set(out["previous_wave"]) == {"W9"}
