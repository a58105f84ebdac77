"""Every demo report and the demo index, opened in headless Chromium and checked from the page.

The demo (``run_demo``, what ``nps-kit demo -o DIR`` runs) is built once per session into a
temporary folder; each page is opened from its ``file://`` URL in two views:

- desktop, 1280 x 800 CSS px: no console errors and no uncaught exceptions; every ``<img>``
  loaded (``complete`` and ``naturalWidth > 0``), as many as the notebook has figures; no
  horizontal scroll, neither of the page (``scrollWidth <= clientWidth`` of the document) nor
  inside any box of the page (a table cut at the right edge of its output box scrolls there
  and is reported too: at desktop width a reader should see the whole table);
- phone, 390 x 844 CSS px with mobile emulation (a ``<meta name="viewport">`` is honoured,
  without one the page is laid out 980 px wide and shrunk): the viewport meta is present and
  the layout is 390 px wide; the page itself does not scroll sideways; the one thing allowed
  to be wider than the screen is a ``<table>``, and only inside a box that scrolls
  horizontally and itself fits the screen (the reader swipes the table, not the page); text is
  at least 12 px (computed ``font-size`` of every element holding visible text).

A failed layout check names the offending elements (tag, class, text, width in px). Each view
also saves a screenshot (the viewport, top of the page) in the session's temporary folder; the
test checks they are PNGs of the view's size that are not blank.

Chromium is Debian's package ``chromium``, driven over the DevTools protocol (tests/cdp.py):
no Python package and no driver binary needed. Without it these tests fail (never skip), with a
message saying to install the package; ``.ci/run`` installs it when missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, urlparse

import nbformat
import pytest
from PIL import Image

from cdp import PageLog
from nps_kit.reports.html import shareable_notebook
from nps_kit.reports.catalog import list_templates

TEMPLATES = [t.name for t in list_templates()]
PAGES = ["index", *TEMPLATES]
VIEWS = {"desktop": (1280, 800, False), "phone": (390, 844, True)}
MIN_FONT_PX = 12.0

# Measured in the page after its load event; returns plain JSON.
MEASURE = r"""
(() => {
  const de = document.documentElement, vw = de.clientWidth;
  const text = el => (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 80);
  const heads = [...document.querySelectorAll('h1, h2, h3, h4')];
  const section = el => {  // the last heading before el: where a reader finds it
    const h = heads.filter(h => h !== el && (h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING));
    return h.length ? text(h[h.length - 1]).replace(/\u00b6$/, '') : '';
  };
  const describe = el => {
    const r = el.getBoundingClientRect();
    return {tag: el.tagName.toLowerCase(), cls: typeof el.className === 'string' ? el.className : '',
            text: text(el), section: section(el), left: Math.round(r.left), right: Math.round(r.right),
            width: Math.round(r.width)};
  };
  const overflowX = el => getComputedStyle(el).overflowX;
  const clipsX = el => ['auto', 'scroll', 'hidden', 'clip'].includes(overflowX(el));
  const nearestClip = el => {
    for (let a = el.parentElement; a && a !== document.body && a !== de; a = a.parentElement)
      if (clipsX(a)) return a;
    return null;
  };
  const outermost = list => list.filter(el => !list.some(o => o !== el && o.contains(el)));
  const all = [...document.body.querySelectorAll('*')];

  // What sticks out past the right edge of the viewport, not held in by a clipping box.
  const sticking = outermost(all.filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > vw + 1 && !nearestClip(el);
  }));

  // Boxes that scroll sideways, and what sticks out of each.
  const scrollers = all.filter(el => ['auto', 'scroll'].includes(overflowX(el))
                                     && el.scrollWidth > el.clientWidth + 1).map(box => {
    const br = box.getBoundingClientRect(), limit = br.left + box.clientLeft + box.clientWidth;
    const out = outermost([...box.querySelectorAll('*')].filter(el =>
      nearestClip(el) === box && el.getBoundingClientRect().right > limit + 1));
    return {box: describe(box), fits: br.right <= vw + 1, scroll_width: box.scrollWidth,
            client_width: box.clientWidth, content: out.map(describe)};
  });

  // Visible text smaller than the minimum.
  const small = [], seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || seen.has(el) || el.getClientRects().length === 0) continue;
    seen.add(el);
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < %(min_font)s) small.push({...describe(el), font_px: px});
  }

  const meta = document.querySelector('meta[name="viewport"]');
  const offscreen = [...document.querySelectorAll('td, th')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > vw + 1;
  });
  return {
    headings: heads.filter(h => ['H1', 'H2'].includes(h.tagName)).map(h => [h.tagName, text(h).replace(/\u00b6$/, '')]),
    offscreen_cells: offscreen.slice(0, 5).map(describe), offscreen_count: offscreen.length,
    layout_width: vw, inner_width: window.innerWidth, scroll_width: de.scrollWidth,
    viewport_meta: meta ? meta.getAttribute('content') : null,
    images: [...document.images].map(i => ({src: i.src.slice(0, 40), complete: i.complete,
                                            natural_width: i.naturalWidth,
                                            width: Math.round(i.getBoundingClientRect().width)})),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    sticking: sticking.map(describe), scrollers: scrollers, small_text: small,
  };
})()
""".replace("%(min_font)s", repr(MIN_FONT_PX))


@dataclass(frozen=True)
class Visit:
    """One page opened in one view: its log, what the page measured and its screenshot."""

    page: str
    view: str
    log: PageLog
    facts: dict[str, Any]
    screenshot: Path


def _element(e: dict) -> str:
    cls = "." + ".".join(e["cls"].split()) if e["cls"].strip() else ""
    where = f" under heading {e['section']!r}" if e["section"] else ""
    return f"<{e['tag']}{cls}>{where}, {e['width']} px wide (x {e['left']}..{e['right']}): {e['text']!r}"


def _scroller(s: dict) -> str:
    inside = "; ".join(_element(c) for c in s["content"]) or "(no single element)"
    return (f"{_element(s['box'])} scrolls sideways ({s['scroll_width']} px of content in "
            f"{s['client_width']} px); sticking out: {inside}")


# ------------------------------------------------------------------ fixtures

@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    from nps_kit.reports.demo import run_demo

    return run_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="session")
def visit(browser, demo, shots) -> Callable[[str, str], Visit]:
    """``visit(page, view)``: the page opened once per session in that view."""
    cache: dict[tuple[str, str], Visit] = {}

    def _visit(page: str, view: str) -> Visit:
        if (page, view) not in cache:
            path = demo.index.parent / f"{page}.html"
            assert path.is_file(), f"the demo wrote no {path.name}: {demo.summary.to_string()}"
            width, height, mobile = VIEWS[view]
            tab = browser.open(path.as_uri(), width, height, mobile=mobile)
            facts = tab.evaluate(MEASURE)
            shot = tab.screenshot(shots / f"{page}_{width}.png")
            tab.close()
            cache[page, view] = Visit(page, view, tab.log, facts, shot)
        return cache[page, view]

    return _visit


def expected_figures(ipynb: Path) -> int:
    """PNG/JPEG figures the shareable report of an executed notebook shows."""
    nb = shareable_notebook(nbformat.read(str(ipynb), as_version=4))
    return sum(
        1 for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])
        if {"image/png", "image/jpeg"} & set(out.get("data") or {})
    )


# ------------------------------------------------------------------ tests

def test_demo_writes_every_report_and_the_index(demo):
    assert not demo.failed, "\n".join(f"{i.template}: {i.error}" for i in demo.failed)
    assert sorted(i.template for i in demo.items) == sorted(TEMPLATES)
    assert demo.index.is_file()


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("page", PAGES)
def test_no_console_errors_and_no_page_errors(visit, page, view):
    v = visit(page, view)
    assert v.log.console_errors == [], f"{page} ({view}) console errors:\n" + "\n".join(v.log.console_errors)
    assert v.log.page_errors == [], f"{page} ({view}) uncaught exceptions:\n" + "\n".join(v.log.page_errors)


@pytest.mark.parametrize("page", PAGES)
def test_every_image_loaded_and_every_figure_shown(visit, demo, page):
    images = visit(page, "desktop").facts["images"]
    broken = [i for i in images if not (i["complete"] and i["natural_width"] > 0 and i["width"] > 0)]
    assert broken == [], f"{page}: images not loaded or not shown: {broken}"
    figures = 0 if page == "index" else expected_figures(demo.index.parent / f"{page}.ipynb")
    assert len(images) == figures, f"{page}: the notebook has {figures} figures, the page shows {len(images)} images"


def test_the_templates_that_draw_show_their_figures(visit):
    # Guards the check above against a page that shows nothing: the NPS report draws charts.
    assert len(visit("nps_report", "desktop").facts["images"]) >= 2


@pytest.mark.parametrize("page", PAGES)
def test_no_horizontal_scroll_at_1280(visit, page):
    f = visit(page, "desktop").facts
    assert f["layout_width"] == 1280
    problems = [f"page is {f['scroll_width']} px wide in a {f['layout_width']} px window"] if f["scroll_width"] > f["layout_width"] else []
    problems += [f"past the right edge: {_element(e)}" for e in f["sticking"]]
    problems += [_scroller(s) for s in f["scrollers"]]
    assert problems == [], f"{page} at 1280 px scrolls sideways:\n" + "\n".join(problems)


@pytest.mark.parametrize("page", PAGES)
def test_phone_viewport_meta_gives_a_390_px_layout(visit, page):
    f = visit(page, "phone").facts
    assert f["viewport_meta"] is not None, f"{page}: no <meta name=\"viewport\">; a phone lays it out 980 px wide"
    assert re.search(r"width\s*=\s*device-width", f["viewport_meta"]), f["viewport_meta"]
    assert (f["layout_width"], f["inner_width"]) == (390, 390)


@pytest.mark.parametrize("page", PAGES)
def test_at_390_only_tables_scroll_and_only_in_their_own_box(visit, page):
    f = visit(page, "phone").facts
    problems = [f"page is {f['scroll_width']} px wide on a {f['layout_width']} px screen"] if f["scroll_width"] > f["layout_width"] else []
    problems += [f"past the right edge: {_element(e)}" for e in f["sticking"]]
    for s in f["scrollers"]:
        if not s["fits"]:
            problems.append("a scrolling box wider than the screen: " + _scroller(s))
        elif not s["content"] or any(c["tag"] != "table" for c in s["content"]):
            problems.append("something other than a table scrolls sideways: " + _scroller(s))
    assert problems == [], f"{page} at 390 px:\n" + "\n".join(problems)


@pytest.mark.parametrize("page", PAGES)
def test_text_at_least_12_px_at_390(visit, page):
    small = visit(page, "phone").facts["small_text"]
    assert small == [], f"{page}: text under {MIN_FONT_PX:g} px:\n" + "\n".join(
        f"{e['font_px']:g} px {_element(e)}" for e in small)


REPORTS = ("nps_report", "wave_comparison", "abc_segmentation", "enps_study", "feedback_themes",
           "nps_ltv", "study_design")


@pytest.mark.parametrize("page", REPORTS)
def test_report_opens_with_its_period_then_summary_and_ends_with_the_method(visit, demo, page):
    import json

    recorded = json.loads((demo.index.parent / f"{page}.json").read_text())["results"]
    heads = visit(page, "desktop").facts["headings"]
    assert heads[0][0] == "H1" and heads[0][1] == recorded["title"], heads[:2]
    if recorded["period"]:
        assert heads[0][1].endswith(str(recorded["period"])), heads[0]
    assert heads[1] == ["H2", "Summary"], heads[:3]
    assert heads[-1] == ["H2", "How this was computed"], heads[-3:]
    assert 1 <= len(recorded["findings"]) <= 6


@pytest.mark.parametrize("page", REPORTS)
def test_at_390_every_table_cell_is_on_screen(visit, page):
    f = visit(page, "phone").facts
    assert f["offscreen_count"] == 0, "\n".join(_element(e) for e in f["offscreen_cells"])


@pytest.mark.parametrize("page", REPORTS)
def test_at_390_chart_text_is_at_least_11_px(visit, page):
    from nps_kit.plots import MIN_FONT_POINTS

    smallest_px = MIN_FONT_POINTS * 100 / 72  # figures are drawn at 100 dpi
    small = [(i["src"], i["width"], i["natural_width"], round(smallest_px * i["width"] / i["natural_width"], 1))
             for i in visit(page, "phone").facts["images"]
             if i["natural_width"] > 50 and smallest_px * i["width"] / i["natural_width"] < 11]
    assert small == [], f"{page}: figures whose smallest text is under 11 px at 390: {small}"


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("page", PAGES)
def test_screenshot_is_a_nonblank_png_of_the_view(visit, page, view):
    shot = visit(page, view).screenshot
    width, height, _ = VIEWS[view]
    with Image.open(shot) as img:
        assert img.format == "PNG"
        assert img.size == (width, height)
        grey = img.convert("L")
        background = grey.getpixel((0, 0))
        inked = sum(n for value, n in enumerate(grey.histogram()) if abs(value - background) > 32)
    # Text and figures cover well over 1 % of the top of every page; a blank page covers none.
    assert inked > 0.01 * width * height, f"{shot.name}: only {inked} pixels differ from the background"


def test_index_links_every_report_and_every_link_resolves(visit, demo):
    links = visit("index", "desktop").facts["links"]
    files = [Path(unquote(urlparse(u).path)) for u in links if urlparse(u).scheme == "file"]
    assert len(files) == len(links), f"index links outside the demo folder: {links}"
    missing = [p.name for p in files if not p.is_file()]
    assert missing == [], f"index links to files the demo did not write: {missing}"
    assert {f"{t}.html" for t in TEMPLATES} <= {p.name for p in files}


BAD_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>bad</title></head><body>
<h2>Faults</h2>
<p style="font-size:10px">tiny print</p>
<div class="wide" style="width:2000px">a line far too wide</div>
<div class="box" style="overflow-x:auto"><p class="long" style="width:3000px">not a table</p></div>
<img src="missing.png" alt="gone">
<script>console.error("logged", 7); setTimeout(() => { throw new Error("thrown late"); }, 0);</script>
</body></html>
"""


def test_the_checks_catch_a_page_with_each_fault(browser, tmp_path):
    # The same measurements on a page made with every fault the tests look for: each is seen.
    page = tmp_path / "bad.html"
    page.write_text(BAD_PAGE, encoding="utf-8")
    tab = browser.open(page.as_uri(), *VIEWS["phone"])
    facts = tab.evaluate(MEASURE)
    tab.evaluate("new Promise(r => setTimeout(r, 100))")  # let the late exception arrive
    tab.close()
    assert facts["viewport_meta"] is None and facts["layout_width"] == 980
    assert facts["scroll_width"] > facts["layout_width"]
    assert [(e["tag"], e["cls"]) for e in facts["sticking"]] == [("div", "wide")]
    boxes = [s for s in facts["scrollers"] if s["box"]["cls"] == "box"]
    assert [(c["tag"], c["cls"]) for c in boxes[0]["content"]] == [("p", "long")]
    assert [(e["text"], e["font_px"]) for e in facts["small_text"]] == [("tiny print", 10.0)]
    assert [i["natural_width"] for i in facts["images"]] == [0]
    assert "console.error: logged 7" in tab.log.console_errors
    assert any("missing.png" in line for line in tab.log.console_errors), tab.log.console_errors
    assert any("thrown late" in line for line in tab.log.page_errors), tab.log.page_errors
