"""The static site of a report series: ``DIR/index.html``, drawn from the history store alone.

The page works from a folder or any static host: no script, the same Content-Security-Policy
as the reports (:data:`nps_kit.reports.html.CONTENT_SECURITY_POLICY`), the trend figure embedded
as a PNG, relative links to each period's reports. It reads, top to bottom:

1. the latest period and a strip of key figures against the previous period
   ("NPS +21 (-3 vs 2025-11; not a real change)");
2. the trend over all periods with intervals and control limits
   (:func:`nps_kit.waves.control_chart.control_chart_counts`);
3. every period with its figures and links to its reports (newest first);
4. the history per segment (NPS per segment and period; "too few answers" under the small-n line);
5. periods that failed in the last run, with the reason; rows dropped for want of a period.

Every value from the data (period labels, segment names, file names) reaches the page through
:func:`nps_kit.core.safetext.display_text`.
"""

from __future__ import annotations

import base64
import datetime as _dt
import io
from pathlib import Path
from typing import Sequence
from urllib.parse import quote

import numpy as np
import pandas as pd

from nps_kit.core.safetext import display_text
from nps_kit.core.smalln import MIN_ANSWERS, TOO_FEW

__all__ = ["SITE_FILE", "build_site", "key_figures", "site_html"]

SITE_FILE = "index.html"

_STYLE = (
    "<style>"
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;"
    "max-width:72em;padding:0.8em 1em;color:#1a1a1a;line-height:1.45}"
    "h1{font-size:1.8em;margin:0.2em 0}h2{margin:1.2em 0 0.4em 0}"
    ".period{color:#333;margin:0.2em 0 0.8em 0}"
    ".strip{display:flex;flex-wrap:wrap;gap:0.6em;margin:0.6em 0 1em 0}"
    ".fig{border:1px solid #ccd;border-radius:6px;padding:0.5em 0.8em;min-width:12em;flex:1 1 14em;"
    "background:#f7f9fc}"
    ".fig .big{font-size:1.7em;font-weight:650}.fig .sub{color:#444;font-size:0.92em}"
    "img{max-width:100%;height:auto}"
    ".box{overflow-x:auto;max-width:100%}"
    "table{border-collapse:collapse;font-size:0.92em}"
    "th,td{padding:0.25em 0.6em;border-bottom:1px solid #d0d0d0;text-align:right;white-space:nowrap}"
    "th{border-bottom:2px solid #888}"
    "th:first-child,td:first-child{text-align:left;position:sticky;left:0;background:#fff}"
    ".warn{border-left:4px solid #c77d00;background:#fff6e5;padding:0.4em 0.8em}"
    "@media (max-width:600px){body{padding:0.5em}"
    "table.periods thead{display:none}table.periods tr{display:block;border-bottom:2px solid #bbb;"
    "padding:0.3em 0}table.periods td{display:flex;justify-content:space-between;border:none;"
    "white-space:normal;position:static;text-align:right}"
    "table.periods td::before{content:attr(data-label);font-weight:600;text-align:left;"
    "padding-right:1em}}"
    "</style>"
)


def _e(value) -> str:
    return display_text(value, "html", None)


def _pts(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "–"
    return f"{int(round(float(v))):+d}" if int(round(float(v))) else "0"


def key_figures(history: pd.DataFrame, alpha: float = 0.05) -> list[dict]:
    """The strip of key figures: latest NPS, its change against the previous period, answers.

    Returns a list of dicts with ``label``, ``value`` and ``detail`` (plain text). The change
    is tested as two independent samples (:func:`nps_kit.core.compare.difference_arrays`);
    under :data:`nps_kit.core.smalln.MIN_ANSWERS` answers the figure says so.
    """
    from nps_kit.core.compare import difference_arrays

    if history.empty:
        return []
    last = history.iloc[-1]
    n = int(last["n"])
    figures = []
    if n < MIN_ANSWERS:
        figures.append({"label": f"NPS {last['period']}", "value": TOO_FEW,
                        "detail": f"{n} answer(s); at least {MIN_ANSWERS} are needed"})
    else:
        detail = (f"{float(last['confidence']):.0%} interval {_pts(last['ci_low'])} to "
                  f"{_pts(last['ci_high'])}" if pd.notna(last.get("ci_low")) else "")
        if len(history) >= 2:
            prev = history.iloc[-2]
            cols = ["detractors", "passives", "promoters"]
            if int(prev["n"]) >= MIN_ANSWERS:
                d = difference_arrays(prev[cols].to_numpy(float)[None, :],
                                      last[cols].to_numpy(float)[None, :])
                real = float(d["p_value"][0]) < alpha
                detail = (f"{_pts(d['delta'][0])} vs {prev['period']}; "
                          + ("a real change" if real else "not a real change")
                          + (f" · {detail}" if detail else ""))
            else:
                detail = f"{prev['period']} had too few answers to compare · {detail}"
        figures.append({"label": f"NPS {last['period']}", "value": _pts(last["nps"]),
                        "detail": detail})
    figures.append({"label": "Answers", "value": f"{n:,}",
                    "detail": f"{int(last['rows']):,} rows in the period"})
    figures.append({"label": "Promoters / detractors",
                    "value": (f"{last['promoters'] / n:.0%} / {last['detractors'] / n:.0%}"
                              if n else "–"), "detail": "shares of the answers"})
    return figures


def _trend_png(history: pd.DataFrame) -> str | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nps_kit.plots import FIGURE_WIDTH
    from nps_kit.plots.trend import control_chart_plot
    from nps_kit.waves.control_chart import control_chart_counts

    rated = history[history["n"] > 0].reset_index(drop=True)
    if len(rated) < 2:
        return None
    chart = control_chart_counts(rated[["period", "detractors", "passives", "promoters"]], "period")
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4.2))
    control_chart_plot(chart, ax=ax)
    ax.errorbar(np.arange(len(rated)), rated["nps"],
                yerr=[rated["nps"] - rated["ci_low"], rated["ci_high"] - rated["nps"]],
                fmt="none", ecolor="#555", elinewidth=1, capsize=2, zorder=1)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _period_table(history: pd.DataFrame, outdir: Path, templates: Sequence[str]) -> str:
    head = ["Period", "Answers", "NPS", "Interval", "Change", "Reports"]
    rows = []
    hist = history.reset_index(drop=True)
    for i in range(len(hist) - 1, -1, -1):
        r = hist.iloc[i]
        n = int(r["n"])
        nps = _pts(r["nps"]) if n >= MIN_ANSWERS else TOO_FEW
        interval = (f"{_pts(r['ci_low'])} to {_pts(r['ci_high'])}" if n >= MIN_ANSWERS
                    and pd.notna(r["ci_low"]) else "–")
        change = "–"
        if i > 0 and n >= MIN_ANSWERS and int(hist.iloc[i - 1]["n"]) >= MIN_ANSWERS:
            change = _pts(float(r["nps"]) - float(hist.iloc[i - 1]["nps"]))
        links = []
        for t in templates:
            for ext in ("html", "xlsx", "json", "ipynb"):
                rel = f"{r['folder']}/{t}.{ext}"
                if (outdir / rel).exists():
                    label = t.replace("_", " ") if ext == "html" else ext
                    links.append(f'<a href="{_e(quote(rel))}">{_e(label)}</a>')
        cells = [r["period"], f"{n:,}", nps, interval, change]
        tds = "".join(f'<td data-label="{h}">{_e(c)}</td>' for h, c in zip(head, cells))
        tds += f'<td data-label="Reports">{" · ".join(links)}</td>'
        rows.append(f"<tr>{tds}</tr>")
    ths = "".join(f'<th scope="col">{h}</th>' for h in head)
    return (f'<div class="box"><table class="periods"><thead><tr>{ths}</tr></thead><tbody>'
            + "".join(rows) + "</tbody></table></div>")


def _segment_tables(segments: pd.DataFrame, periods: list[str], last: int = 12) -> str:
    if segments.empty:
        return ""
    shown = periods[-last:]
    parts = []
    from nps_kit.core.categories import category_order

    for column, frame in segments.groupby("segment_column", sort=False):
        ths = "".join(f'<th scope="col">{_e(p)}</th>' for p in shown)
        parts.append(f"<h3>By {_e(str(column).replace('_', ' '))}</h3>"
                     f'<div class="box"><table><thead><tr><th scope="col">'
                     f"{_e(str(column).replace('_', ' ').capitalize())}</th>{ths}</tr></thead><tbody>")
        for seg in category_order(frame["segment"]):
            cells = []
            for p in shown:
                hit = frame[(frame["segment"] == seg) & (frame["period"] == p)]
                if hit.empty:
                    cells.append("–")
                elif int(hit["n"].iloc[0]) < MIN_ANSWERS:
                    cells.append(f"{TOO_FEW.lower()} ({int(hit['n'].iloc[0])})")
                else:
                    cells.append(_pts(hit["nps"].iloc[0]))
            tds = "".join(f"<td>{_e(c)}</td>" for c in cells)
            parts.append(f"<tr><td>{_e(seg)}</td>{tds}</tr>")
        parts.append("</tbody></table></div>")
    note = (f"<p>NPS per segment and period (the last {len(shown)} periods); under {MIN_ANSWERS} "
            "answers a cell says so instead of showing a figure.</p>")
    return note + "".join(parts)


def site_html(outdir: Path, history: pd.DataFrame, segments: pd.DataFrame, *, source: str,
              failures: Sequence[tuple[str, str]] = (), templates: Sequence[str] = ("nps_report",),
              dropped: int = 0) -> str:
    """The site's page as text (see the module docstring)."""
    from nps_kit.reports.html import with_security_policy

    made = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    periods = [str(p) for p in history["period"]] if len(history) else []
    latest = periods[-1] if periods else None
    title = f"NPS series: {latest}" if latest else "NPS series"
    span = f"{periods[0]} to {latest}, {len(periods)} period(s)" if periods else "no period built yet"
    out = ["<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_e(title)}</title>{_STYLE}</head><body>",
           f'<h1 id="title">{_e(title)}</h1>',
           f'<p class="period">{_e(f"Latest period: {latest} · all periods: {span} · made {made} from {source}")}</p>']
    if failures:
        items = "".join(f"<li>{_e(p)}: {_e(r)}</li>" for p, r in failures)
        out.append(f'<div class="warn" role="note"><strong>Not built in the last run:</strong>'
                   f"<ul>{items}</ul></div>")
    figures = key_figures(history)
    if figures:
        out.append('<div class="strip">')
        for f in figures:
            out.append(f'<div class="fig"><div class="sub">{_e(f["label"])}</div>'
                       f'<div class="big">{_e(f["value"])}</div>'
                       f'<div class="sub">{_e(f["detail"])}</div></div>')
        out.append("</div>")
    png = _trend_png(history) if len(history) else None
    if png:
        out.append('<h2 id="trend">NPS over the periods</h2><p>Each point is a period\'s NPS with '
                   "its interval; the grey band is where it would fall by chance alone if nothing "
                   "changed (control limits from the pooled shares, +-3 standard errors).</p>"
                   f'<img alt="NPS per period with intervals and control limits" '
                   f'src="data:image/png;base64,{png}">')
    if len(history):
        out.append('<h2 id="periods">Every period</h2>')
        out.append(_period_table(history, outdir, templates))
    seg = _segment_tables(segments, periods)
    if seg:
        out.append(f'<h2 id="segments">History per segment</h2>{seg}')
    how = ["Each period's reports are built from that period's rows only; a period is rebuilt "
           "only when its rows change (SHA-256 of the rows).",
           "The change against the previous period treats the two as independent samples.",
           "This page is drawn from the history store (history/periods.parquet, "
           "history/segments.parquet), not from the responses."]
    if dropped:
        how.append(f"{dropped} row(s) of the source had no period (no readable date or wave "
                   "label) and are left out; series.json lists the count, the command lists them.")
    out.append('<h2 id="how">How this was computed</h2>'
               + "".join(f"<p>{_e(h)}</p>" for h in how))
    out.append("</body></html>")
    return with_security_policy("".join(out))


def build_site(outdir: str | Path, history: pd.DataFrame, segments: pd.DataFrame, *,
               source: str, failures: Sequence[tuple[str, str]] = (),
               templates: Sequence[str] = ("nps_report",), dropped: int = 0) -> Path:
    """Write ``DIR/index.html`` through the one writer; refuse a page with live markup."""
    from nps_kit.data.writer import write_text
    from nps_kit.errors import TemplateError
    from nps_kit.reports.html import live_markup

    outdir = Path(outdir)
    page = site_html(outdir, history, segments, source=source, failures=failures,
                     templates=templates, dropped=dropped)
    live = live_markup(page)
    if live:
        raise TemplateError(f"the series site would hold live markup ({live[:3]}); this is a "
                            "fault of nps-kit, please report it")
    return write_text(outdir / SITE_FILE, page)
