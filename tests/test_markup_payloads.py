"""Values from the data never become markup, a link or a script: every template, in Chromium.

tests/payloads.py replaces every text field of the demo data (segment, channel, department,
location and tenure values, company names, wave labels, comments, and the segment, channel and
tenure column names) by a corpus of payloads: tags, event handlers, ``javascript:`` and
``data:`` URLs, Markdown links, emphasis and headings, ``$...$`` formulas. Every template runs on
those files (once per session, two at a time) and every page is opened in headless Chromium.
Checked per page: no dialog opened, no script ran (no Content-Security-Policy violation was
even attempted), no element carries an event handler, no link or frame points at a script or a
``data:`` URL, the only images are the embedded PNG figures, the policy itself is in the page;
and the payloads are on the page as the text they are.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from nps_kit.reports.runner import run_template
from nps_kit.reports.catalog import list_templates
from payloads import (CHANNEL_COLUMN, PAYLOADS, SEGMENT_COLUMN, TENURE_COLUMN, WAVE_SUFFIX,
                      write_poisoned_demo)

TEMPLATES = [t.name for t in list_templates()]

INSPECT = r"""
(() => {
  const all = [...document.querySelectorAll('*')];
  return {
    handlers: all.filter(e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on')))
                 .map(e => e.outerHTML.slice(0, 80)),
    script_links: [...document.querySelectorAll('[href],[src],[action],[formaction]')]
                 .map(e => (e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action')
                            || e.getAttribute('formaction') || '').replace(/\s/g, '').toLowerCase())
                 .filter(u => u.startsWith('javascript:') || u.startsWith('vbscript:')
                              || (u.startsWith('data:') && !u.startsWith('data:image/png'))),
    active: [...document.querySelectorAll('script, iframe, frame, object, embed, form, base')]
                 .map(e => e.tagName.toLowerCase()),
    images: [...document.images].map(i => i.getAttribute('src').slice(0, 22)),
    policy: (document.querySelector('meta[http-equiv="Content-Security-Policy"]') || {}).content || null,
    text: document.body.innerText,
  };
})()
"""


@pytest.fixture(scope="session")
def poisoned_pages(tmp_path_factory) -> dict[str, Path | str]:
    folder = tmp_path_factory.mktemp("payloads")
    params = write_poisoned_demo(folder / "data")

    def one(name: str) -> tuple[str, Path | str]:
        try:
            return name, run_template(name, params[name], folder / "out").html
        except Exception as exc:  # reported by the test of that template
            return name, f"{type(exc).__name__}: {exc}"

    with ThreadPoolExecutor(2) as pool:
        return dict(pool.map(one, TEMPLATES))


@pytest.fixture(scope="session")
def inspected(browser, poisoned_pages) -> dict[str, tuple[dict, object]]:
    out = {}
    for name, page in poisoned_pages.items():
        if isinstance(page, Path):
            tab = browser.open(page.as_uri(), 1280, 800)
            facts = tab.evaluate(INSPECT)
            tab.close()
            out[name] = (facts, tab.log)
    return out


@pytest.mark.parametrize("template", TEMPLATES)
def test_no_payload_becomes_markup_or_runs(template, poisoned_pages, inspected):
    page = poisoned_pages[template]
    assert isinstance(page, Path), f"{template} failed on the payload data: {page}"
    facts, log = inspected[template]
    assert log.dialogs == []
    assert not [e for e in log.console_errors if "Content Security Policy" in e], log.console_errors
    assert log.page_errors == []
    assert facts["handlers"] == []
    assert facts["script_links"] == []
    assert facts["active"] == []
    assert all(src.startswith("data:image/png") for src in facts["images"]), facts["images"]
    assert facts["policy"] and "script-src 'none'" in facts["policy"]
    everything = (*PAYLOADS, SEGMENT_COLUMN, CHANNEL_COLUMN, TENURE_COLUMN, WAVE_SUFFIX.strip())
    assert [p for p in everything if p in facts["text"]], "no payload is shown as text"


def test_every_payload_is_shown_as_the_text_it_is(inspected):
    shown = "\n".join(facts["text"] for facts, _ in inspected.values())
    assert [p for p in PAYLOADS if p not in shown] == []
    report = inspected["nps_report"][0]["text"]
    # the segment column name and every segment label, whole and unmangled
    assert SEGMENT_COLUMN in report and "<script>alert(1)</script>" in report
    assert TENURE_COLUMN in inspected["enps_study"][0]["text"]
