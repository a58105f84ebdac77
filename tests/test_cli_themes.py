"""``nps-kit themes`` as a subprocess: JSON output, text output and errors."""

from __future__ import annotations

import pandas as pd
import pytest

from nps_kit.themes.statistics import theme_lift

from tests.envelopes import envelope_of

FIELDS = ["theme", "comments", "share", "share_detractors", "share_promoters", "lift", "p_adjusted"]


@pytest.fixture
def survey(tmp_path):
    det = ["price too high", "Zu teuer, der Preis", "价格太贵了", "price and delivery both bad"] * 5
    pro = ["great support", "delivery on time", "客服很好", "love the price"] * 5
    df = pd.DataFrame({"id": range(40), "nps": [2] * 20 + [10] * 20, "text": det + pro})
    path = tmp_path / "survey.csv"
    df.to_csv(path, index=False)
    book = tmp_path / "book.yaml"
    book.write_text(
        "name: test\nthemes:\n"
        "  - name: price\n    keywords: [price, Preis, zu teuer, 价格]\n"
        "  - name: support\n    keywords: [support, 客服]\n"
        "  - name: delivery\n    keywords: [delivery]\n",
        encoding="utf-8",
    )
    return path, book, df


def test_json_per_theme_matches_the_library(cli, survey):
    path, book, df = survey
    res = cli("themes", path, "--comment-column", "text", "--score-column", "nps",
              "--codebook", book, "--json")
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    env = envelope_of(res, "themes")
    rows = env["results"]["themes"]
    assert [r["theme"] for r in rows] == ["price", "support", "delivery"]
    assert all(set(FIELDS) <= set(r) for r in rows)
    # issue 15.3: the coded / uncoded / blank counts the text output gives
    s = env["summary"]
    assert s["comments"] == s["coded"] + s["uncoded"] and s["rows"] == s["comments"] + s["blank"]
    assert s["comments"] == 40 and any("coded" in n for n in env["notes"])
    price = rows[0]
    # detractors: all 20 mention price; promoters: 5 of 20 ("love the price")
    assert price["comments"] == 25 and price["share"] == pytest.approx(25 / 40)
    assert price["share_detractors"] == 1.0 and price["share_promoters"] == pytest.approx(0.25)
    assert price["lift"] == pytest.approx(4.0)
    expected = theme_lift(df, "text", "nps", codebook=str(book))
    assert [r["p_adjusted"] for r in rows] == pytest.approx(expected["p_adjusted"].tolist())
    support = rows[1]
    assert support["share_detractors"] == 0 and support["lift"] == 0


def test_default_codebook_and_text_output_on_demo(cli):
    res = cli("themes", "demo:responses.csv", "--comment-column", "comment", "--score-column", "score")
    assert res.returncode == 0, res.stderr
    assert "price/value" in res.stdout and "billing" in res.stdout
    assert "coded" in res.stdout and "starter:customer" in res.stdout
    js = cli("themes", "demo:responses.csv", "--comment-column", "comment", "--score-column", "score",
             "--json")
    env = envelope_of(js)
    rows = env["results"]["themes"]
    assert (env["summary"]["coded"], env["summary"]["uncoded"], env["summary"]["blank"]) == (616, 0, 427)
    assert len(rows) == 8
    assert all(0 <= r["share"] <= 1 for r in rows)


def test_infinite_lift_is_null_in_json(cli, tmp_path):
    df = pd.DataFrame({"s": [0, 0, 10, 10], "c": ["price", "price", "ok", "fine"]})
    path = tmp_path / "x.csv"
    df.to_csv(path, index=False)
    res = cli("themes", path, "--comment-column", "c", "--score-column", "s", "--json")
    assert res.returncode == 0, res.stderr
    price = envelope_of(res)["results"]["themes"][0]
    assert price["theme"] == "price/value" and price["lift"] is None


@pytest.mark.parametrize("extra,needle", [
    (["--comment-column", "nope", "--score-column", "nps"], "'nope' not found"),
    (["--comment-column", "text", "--score-column", "nps", "--codebook", "missing.yaml"], "not found"),
    (["--comment-column", "text", "--score-column", "nps", "--codebook", "BAD"], "regular expression"),
])
def test_errors_exit_2_without_traceback(cli, survey, tmp_path, extra, needle):
    path, _, _ = survey
    bad = tmp_path / "bad.yaml"
    bad.write_text("- name: price\n  patterns: ['[unclosed']\n", encoding="utf-8")
    extra = [str(bad) if e == "BAD" else e for e in extra]
    res = cli("themes", path, *extra, cwd=tmp_path)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert needle in res.stderr and res.stderr.startswith("nps-kit themes: error:")


def test_invalid_scores_are_reported(cli, tmp_path):
    df = pd.DataFrame({"s": ["0", "eleven", "10"], "c": ["price", "price", "support"]})
    path = tmp_path / "x.csv"
    df.to_csv(path, index=False)
    res = cli("themes", path, "--comment-column", "c", "--score-column", "s")
    assert res.returncode == 2 and "row 3" in res.stderr
    dropped = cli("themes", path, "--comment-column", "c", "--score-column", "s", "--errors", "drop", "--json")
    env = envelope_of(dropped)
    assert dropped.returncode == 0 and any("dropped 1 of 3" in n for n in env["notes"])
    assert env["results"]["themes"][0]["comments"] == 1 and env["dropped"][0]["row"] == 3
