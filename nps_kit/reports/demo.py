"""Running every installed template on the bundled demo data, with an index page.

Each template's defaults point at the demo data (``demo:`` paths), so a demo run passes no
parameters. Templates are independent: they run in parallel, one kernel each.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from nps_kit._version import __version__
from nps_kit.errors import ParameterError, TemplateError
from nps_kit.reports.html import CONTENT_SECURITY_POLICY
from nps_kit.core.safetext import display_text
from nps_kit.reports.catalog import Template, list_templates
from nps_kit.data.writer import write_text


@dataclass(frozen=True)
class DemoItem:
    """Outcome of one template in a demo run.

    ``headline`` is the first two findings of the report's Summary (so the index states the
    same verdict as the page), else the template's recorded ``headline`` string, else the names
    of the results it recorded.
    """

    template: str
    purpose: str
    ok: bool
    seconds: float
    headline: str
    error: str


@dataclass(frozen=True)
class DemoResult:
    """Outcome of a demo run: the index page and one item per template."""

    index: Path
    items: tuple[DemoItem, ...]
    seconds: float

    @property
    def failed(self) -> tuple[DemoItem, ...]:
        """Items whose template failed."""
        return tuple(i for i in self.items if not i.ok)

    @property
    def summary(self) -> pd.DataFrame:
        """One row per template: template, ok, seconds, headline, error."""
        return pd.DataFrame([
            {"template": i.template, "ok": i.ok, "seconds": i.seconds, "headline": i.headline,
             "error": i.error} for i in self.items
        ])

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def _run_one(template: Template, outdir: Path) -> DemoItem:
    from nps_kit.reports.runner import run_template

    t0 = time.perf_counter()
    try:
        result = run_template(template, {}, outdir)
    except (TemplateError, ParameterError) as exc:
        return DemoItem(template.name, template.purpose, False, time.perf_counter() - t0, "", str(exc))
    findings = result.results.get("findings")
    headline = (" ".join(str(f) for f in findings[:2]) if isinstance(findings, list) and findings
                else result.results.get("headline"))  # the summary's first findings, verdict included
    if not isinstance(headline, str) or not headline:
        keys = [k for k in result.results if k != "headline"]
        more = f" and {len(keys) - 6} more" if len(keys) > 6 else ""
        headline = ("results recorded: " + ", ".join(keys[:6]) + more) if keys else ""
    return DemoItem(template.name, template.purpose, True, time.perf_counter() - t0, headline, "")


def _text(value: str) -> str:
    return display_text(value, "html", None)


def index_page(items: tuple[DemoItem, ...] | list[DemoItem]) -> str:
    """A self-contained HTML page linking each template's report with its one-line summary."""
    rows = []
    for i in sorted(items, key=lambda x: x.template):
        name = _text(i.template)
        title = _text(i.purpose or i.template)
        if i.ok:
            line = _text(i.headline) if i.headline else ""
            rows.append(
                f'<li><a href="{name}.html"><strong>{title}</strong></a>'
                f'<div class="headline">{line}</div>'
                f'<div class="files">{name}: <a href="{name}.html">report</a> · '
                f'<a href="{name}.ipynb">notebook</a> · <a href="{name}.json">results (JSON)</a></div></li>'
            )
        else:
            rows.append(
                f'<li class="failed"><strong>{title}</strong><div class="headline">failed: '
                f'{_text(i.error)}</div></li>'
            )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">"
        "<title>nps-kit demo reports</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
        "color:#252525}li{margin:0 0 1.2rem}.headline{margin:.2rem 0}.files{font-size:.85rem;"
        "color:#636363}.failed{color:#d7301f}a{color:#1a6fb0}</style></head><body>"
        "<h1>nps-kit demo reports</h1>"
        "<p>Every report template of nps-kit, run on the bundled <strong>synthetic</strong> demo "
        f"data (nps-kit {_text(__version__)}). Each report is a self-contained page.</p>"
        "<ul>" + "".join(rows) + "</ul></body></html>\n"
    )


def run_demo(
    outdir: str | Path = "nps-kit-demo",
    *,
    jobs: int | None = None,
    progress: Callable[[DemoItem, int, int], None] | None = None,
) -> DemoResult:
    """Run every installed template with its defaults and write ``index.html``.

    Parameters
    ----------
    outdir : str or Path
        Folder for the reports (``TEMPLATE.ipynb/.html/.json`` each) and ``index.html``.
    jobs : int, optional
        Templates run at the same time (default: the number of CPUs).
    progress : callable, optional
        Called as ``progress(item, done, total)`` when a template finishes.

    Returns
    -------
    DemoResult
        The index path and one item per template (failed ones carry their error).
    """
    if jobs is not None and jobs < 1:
        raise ParameterError(f"jobs={jobs} must be at least 1")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    templates = list_templates()
    workers = max(1, min(jobs or os.cpu_count() or 1, len(templates) or 1))
    t0 = time.perf_counter()
    items: list[DemoItem] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_run_one, t, outdir) for t in templates]
        for future in as_completed(futures):
            items.append(future.result())
            if progress is not None:
                progress(items[-1], len(items), len(templates))
    items.sort(key=lambda i: i.template)
    index = outdir / "index.html"
    write_text(index, index_page(items))
    return DemoResult(index=index, items=tuple(items), seconds=time.perf_counter() - t0)


__all__ = ["DemoItem", "DemoResult", "index_page", "run_demo"]
