"""The report series: 12 generated months, a 13th added, one month broken, the site in Chromium.

The months are generated here (tests/seriesdata.py), with column names the kit does not
default to (``submitted_at``, ``likelihood``, ``tenure_band``, ``resp``), so every column is
named on the command line. One build of 12 months and one update are shared by all tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from seriesdata import monthly_responses

OPTIONS = ["--date-column", "submitted_at", "--period", "month", "--score-column", "likelihood",
           "--segment-column", "tenure_band", "-p", "id_column", "resp",
           "-p", "driver_columns", "[tenure_band]"]


def _series(source: Path, outdir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nps_kit.cli.main", "series", str(source),
                           "-o", str(outdir), *OPTIONS], capture_output=True, text=True,
                          timeout=1200)


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    """Build 12 months, then add a 13th, break May and add a row without a date; rerun."""
    root = tmp_path_factory.mktemp("series")
    source = root / "responses.csv"
    twelve = monthly_responses(months=12)
    twelve.to_csv(source, index=False)
    outdir = root / "site"
    first = _series(source, outdir)
    stamps = {p.parent.name: p.stat().st_mtime_ns for p in (outdir / "periods").glob("*/nps_report.html")}
    history_12 = pd.read_parquet(outdir / "history" / "periods.parquet")

    thirteen = monthly_responses(months=13)
    thirteen["likelihood"] = thirteen["likelihood"].astype(object)
    may = thirteen.index[thirteen["submitted_at"].str.startswith("2025-05")]
    thirteen.loc[may[3], "likelihood"] = "eleven"
    undated = pd.DataFrame([{"submitted_at": "not a date", "likelihood": 9,
                             "tenure_band": "1-3y", "resp": "RX"}])
    pd.concat([thirteen, undated], ignore_index=True).to_csv(source, index=False)
    second = _series(source, outdir)
    return {"root": root, "source": source, "outdir": outdir, "first": first, "second": second,
            "stamps": stamps, "history_12": history_12, "data": thirteen}


def test_first_build_makes_twelve_periods_each_with_its_reports(series):
    first, outdir = series["first"], series["outdir"]
    assert first.returncode == 0, first.stderr
    assert "12 period(s): 12 built" in first.stdout
    h = series["history_12"]
    assert h["period"].tolist() == [f"2025-{m:02d}" for m in range(1, 13)]
    for label in h["period"]:
        for ext in ("html", "json", "ipynb", "xlsx"):
            assert (outdir / "periods" / label / f"nps_report.{ext}").is_file(), (label, ext)


def test_history_counts_match_an_independent_count_of_each_month(series):
    data = monthly_responses(months=12)
    month = data["submitted_at"].str[:7]
    for r in series["history_12"].to_dict("records"):
        s = data.loc[month == r["period"], "likelihood"].astype(int)
        assert r["n"] == len(s)
        assert r["promoters"] == int((s >= 9).sum()) and r["detractors"] == int((s <= 6).sum())
        assert r["nps"] == pytest.approx(100 * ((s >= 9).mean() - (s <= 6).mean()))
        assert r["ci_low"] <= r["nps"] <= r["ci_high"]


def test_update_builds_only_the_new_month_and_fails_only_the_broken_one(series):
    second = series["second"]
    assert second.returncode == 1, second.stdout + second.stderr
    assert "1 built" in second.stdout and "11 unchanged" in second.stdout
    assert "1 failed" in second.stdout
    # the failure names the period and the reason, and says nothing of a temporary file
    assert "2025-05" in second.stderr and "eleven" in second.stderr
    assert "Traceback" not in second.stderr and ".series-work" not in second.stderr
    # the row without a date is listed as dropped with its number and reason
    assert "1 row(s) without a period left out (date blank or not a date): rows 1172" in second.stdout


def test_unchanged_periods_are_never_rewritten(series):
    outdir = series["outdir"]
    for name, stamp in series["stamps"].items():
        if name in ("2025-05",):
            continue
        now = (outdir / "periods" / name / "nps_report.html").stat().st_mtime_ns
        assert now == stamp, f"{name} was rewritten"
    assert (outdir / "periods" / "2026-01" / "nps_report.html").is_file()


def test_manifest_and_history_after_the_update(series):
    outdir = series["outdir"]
    manifest = json.loads((outdir / "series.json").read_text())
    assert manifest["periods"]["2025-05"]["status"] == "failed"
    assert "eleven" in manifest["periods"]["2025-05"]["reason"]
    assert manifest["periods"]["2026-01"]["status"] == "built"
    periods = pd.read_parquet(outdir / "history" / "periods.parquet")
    assert "2025-05" not in set(periods["period"]) and periods["period"].iloc[-1] == "2026-01"
    assert len(periods) == 12
    assert not list(outdir.glob(".series-work-*")), "the work folder was left behind"


def test_the_site_is_drawn_from_the_history_alone(series, tmp_path):
    from nps_kit.reports.series import read_history
    from nps_kit.reports.site import site_html

    outdir = series["outdir"]
    periods, segments = read_history(outdir)
    page = site_html(outdir, periods, segments, source="(removed)")  # no responses read
    for label in periods["period"]:
        assert f"periods/{label}/nps_report.html" in page
    assert "History per segment" in page and "&lt;1y" in page


def test_key_figures_state_the_change_and_whether_it_is_real(series):
    from nps_kit.core.compare import difference_arrays
    from nps_kit.reports.site import key_figures

    periods = pd.read_parquet(series["outdir"] / "history" / "periods.parquet")
    first = key_figures(periods)[0]
    cols = ["detractors", "passives", "promoters"]
    d = difference_arrays(periods.iloc[-2][cols].to_numpy(float)[None, :],
                          periods.iloc[-1][cols].to_numpy(float)[None, :])
    real = d["p_value"][0] < 0.05
    assert first["label"] == "NPS 2026-01"
    assert f"vs {periods.iloc[-2]['period']}" in first["detail"]
    assert ("a real change" if real else "not a real change") in first["detail"]
    assert first["value"] == f"{int(round(periods.iloc[-1]['nps'])):+d}"


@pytest.mark.parametrize("width,height,mobile", [(1280, 800, False), (390, 844, True)])
def test_site_in_chromium(series, browser, width, height, mobile):
    outdir = series["outdir"]
    tab = browser.open((outdir / "index.html").as_uri(), width, height, mobile=mobile)
    facts = tab.evaluate(r"""(() => {
      const de = document.documentElement, vw = de.clientWidth;
      const cells = [...document.querySelectorAll('table.periods td')];
      return {h1: document.querySelector('h1').innerText,
              strip: document.querySelector('.strip') ? document.querySelector('.strip').innerText : '',
              warn: document.querySelector('.warn') ? document.querySelector('.warn').innerText : '',
              images: [...document.images].map(i => [i.complete, i.naturalWidth, i.getBoundingClientRect().width]),
              links: [...document.querySelectorAll('a[href]')].map(a => a.href),
              page_scroll: de.scrollWidth - vw,
              offscreen: cells.filter(td => td.getBoundingClientRect().right > vw + 1).length,
              csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]') !== null};
    })()""")
    tab.close()
    assert tab.log.console_errors == [] and tab.log.page_errors == []
    assert facts["h1"] == "NPS series: 2026-01"
    assert "vs 2025-12" in facts["strip"]
    assert "2025-05" in facts["warn"] and "eleven" in facts["warn"]
    assert facts["csp"]
    assert facts["images"] and all(c and w > 0 for c, w, _ in facts["images"])
    assert facts["page_scroll"] <= 1 and facts["offscreen"] == 0
    files = [Path(os.path.normpath(link.removeprefix("file://"))) for link in facts["links"]]
    assert len(files) >= 12 * 3
    missing = [f for f in files if not f.exists()]
    assert missing == []
    if mobile:
        from nps_kit.plots import MIN_FONT_POINTS

        for _, natural, shown in facts["images"]:
            assert MIN_FONT_POINTS * 100 / 72 * shown / natural >= 11 or natural < 50


def test_a_wave_column_works_instead_of_dates(tmp_path):
    from nps_kit.reports.series import build_series

    result = build_series("demo:responses.csv", tmp_path / "s", wave_column="wave")
    assert [p.period for p in result.periods] == ["2024-H1", "2024-H2", "2025-H1", "2025-H2"]
    assert all(p.status == "built" for p in result.periods)
    assert result.history["n"].tolist() == [251, 294, 194, 258]


def test_series_refuses_neither_or_both_period_sources(cli, tmp_path):
    both = cli("series", "demo:responses.csv", "-o", tmp_path / "a", "--date-column", "date",
               "--wave-column", "wave")
    neither = cli("series", "demo:responses.csv", "-o", tmp_path / "b")
    for done in (both, neither):
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert "--date-column" in done.stderr
    assert not (tmp_path / "a" / "periods").exists()


def test_period_labels_sort_in_time_and_follow_iso_weeks():
    from nps_kit.core.periods import period_labels
    from nps_kit.core.waveorder import order_waves

    dates = pd.Series(["2025-12-29", "2026-01-04", "2025-01-01", "2024-12-30T23:59:59Z",
                       "2025-03-31", "2025-04-01", "", None, "31/02/2025"])
    assert period_labels(dates, "week").tolist()[:4] == ["2026-W01", "2026-W01", "2025-W01",
                                                         "2025-W01"]
    assert period_labels(dates, "quarter").tolist()[4:6] == ["2025-Q1", "2025-Q2"]
    assert period_labels(dates, "month").isna().tolist()[-3:] == [True, True, True]
    labels = [f"2025-{m:02d}" for m in (12, 1, 10, 2)]
    assert order_waves(labels) == sorted(labels)
    weeks = ["2025-W10", "2025-W02", "2024-W52"]
    assert order_waves(weeks) == ["2024-W52", "2025-W02", "2025-W10"]
    assert np.all(period_labels(pd.Series(pd.to_datetime(["2025-05-05"])), "month") == ["2025-05"])
