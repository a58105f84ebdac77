"""The reader-first layout of a report: title with its period, summary, details, method last.

A template runs top to bottom, but its findings are known only at the end. :func:`open_page`
shows the page's head at the top of the notebook (title, period, when and from what, the
"Summary" heading) and keeps a display handle; :meth:`Page.close` fills it in once the numbers
are known and shows the closing "How this was computed" section. The executed notebook and
the HTML export therefore both read in the order a manager reads:

1. the title naming the period ("NPS report: wave 2025-H2"), and one line with the period,
   when the report was made and from which data;
2. "Summary": 3 to 6 findings in plain words (built by :mod:`nps_kit.reports.findings`);
3. the details, one section per question; a section with nothing to show is not shown at all
   (:meth:`Page.section` returns False and :meth:`Page.leave_out` records why);
4. "How this was computed": the template's method text, one line per section left out and
   why, and the demo notice only when the bundled demo data was used.

Every string that may come from the data (the period, file names, findings) reaches the page
through :func:`nps_kit.core.safetext.display_text`; the page's own words are fixed text.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from nps_kit.core.safetext import display_text
from nps_kit.data.paths import DEMO_PREFIX
from nps_kit.reports.record import record

__all__ = ["Page", "PAGE_STYLE", "open_page", "is_demo_source", "section_id"]

MAX_FINDINGS = 6
"""A summary shows at most this many findings (the issue's 3 to 6)."""

PAGE_STYLE = (
    "<style>"
    ".nkp-head h1{margin:0.2em 0 0.1em 0;font-size:1.9em;line-height:1.2}"
    ".nkp-head .nkp-period{font-size:1.05em;color:#333;margin:0.2em 0 0.6em 0}"
    ".nkp-summary{border-left:4px solid #2f6db5;background:#f4f8fc;padding:0.4em 1em;"
    "margin:0.6em 0 1.2em 0;max-width:60em}"
    ".nkp-summary h2{margin:0.3em 0 0.3em 0}"
    ".nkp-summary li{margin:0.25em 0;line-height:1.45}"
    ".nkp-how{color:#333;max-width:60em}"
    ".nkp-how li{margin:0.2em 0}"
    ".nkp-demo{border-left:4px solid #c77d00;background:#fff6e5;padding:0.4em 0.8em}"
    # phones: every figure as wide as the screen, one under another, and no sideways scroll
    "@media (max-width:600px){.jp-OutputArea-output img{width:100%!important;height:auto}"
    ".jp-OutputArea-prompt{display:none!important}"
    ".jp-Cell,.jp-Notebook{padding-left:4px!important;padding-right:4px!important}"
    ".jp-OutputArea-output{overflow-x:visible}}"
    "</style>"
)
"""Styles of the page's own blocks (inline: the page loads nothing from anywhere)."""


def is_demo_source(*sources: Any) -> bool:
    """True when any input is the bundled demo data (``demo:<name>``)."""
    return any(str(s).startswith(DEMO_PREFIX) for s in sources if s)


def section_id(title: str) -> str:
    """The anchor of a section heading: lower case words joined by ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", str(title).lower()).strip("-") or "section"


def _e(text: Any) -> str:
    return display_text(text, "html", None)


@dataclass
class Page:
    """A report page being built; made by :func:`open_page`.

    Attributes
    ----------
    title : str
        The report's name ("NPS report"); the period is added when the page is closed.
    sources : tuple of str
        The data the report reads, as given (file names, ``demo:`` names).
    left_out : list of (str, str)
        Sections not shown, with the reason (stated under "How this was computed").
    """

    title: str
    sources: tuple[str, ...]
    made: str
    left_out: list[tuple[str, str]] = field(default_factory=list)
    _handle: Any = field(default=None, repr=False)
    closed: bool = False
    no_period: str = "all answers in the data (no period column)"

    @property
    def demo(self) -> bool:
        """Whether the report reads the bundled demo data."""
        return is_demo_source(*self.sources)

    def head_html(self, period: str | None = None, findings: Iterable[str] = (),
                  extra: str | None = None) -> str:
        """The page head: title with the period, the period line, and the summary."""
        title = f"{self.title}: {period}" if period else self.title
        data = ", ".join(s.removeprefix(DEMO_PREFIX) + (" (demo data)" if s.startswith(DEMO_PREFIX)
                                                       else "") for s in self.sources)
        when = self.no_period if self.closed else "computing…"
        line = [f"Period: {period}" if period else f"Period: {when}",
                f"made {self.made}", f"from {data}" if data else ""]
        parts = [PAGE_STYLE, '<div class="nkp-head">', f"<h1 id=\"report-title\">{_e(title)}</h1>",
                 f'<p class="nkp-period">{_e(" · ".join(p for p in line if p))}</p>']
        if extra:
            parts.append(f"<p>{_e(extra)}</p>")
        items = [f for f in findings if f][:MAX_FINDINGS]
        parts.append('<div class="nkp-summary"><h2 id="summary">Summary</h2>')
        if items:
            parts.append("<ul>" + "".join(f"<li>{_e(f)}</li>" for f in items) + "</ul>")
        else:
            parts.append("<p>The findings appear here once the report has run.</p>")
        parts.append("</div></div>")
        return "".join(parts)

    def section(self, title: str, intro: str = "", *, show: bool = True, reason: str = "") -> bool:
        """Start a section when it has something to show, else record why it is left out.

        Parameters
        ----------
        title : str
            Heading (fixed template text).
        intro : str
            One or two sentences under the heading: what the reader sees (plain text).
        show : bool
            Whether the section has anything to show.
        reason : str
            Why not, when ``show`` is False (one line under "How this was computed").

        Returns
        -------
        bool
            ``show``: the template draws the section's content only when True.
        """
        if not show:
            self.leave_out(title, reason)
            return False
        from IPython.display import HTML, display

        body = f"<p>{_e(intro)}</p>" if intro else ""
        display(HTML(f'<h2 id="{section_id(title)}">{_e(title)}</h2>{body}'))
        return True

    def leave_out(self, title: str, reason: str) -> None:
        """Record that the section ``title`` is not shown, and why."""
        self.left_out.append((str(title), str(reason or "nothing to show")))

    def close(self, period: str | None, findings: Iterable[str], method: Iterable[str] = (),
              extra: str | None = None, no_period: str | None = None) -> None:
        """Fill in the head (period, summary) and show "How this was computed".

        Parameters
        ----------
        period : str or None
            The period reported (a wave label, a month, a date range).
        findings : iterable of str
            The summary's findings, most important first (at most :data:`MAX_FINDINGS`).
        method : iterable of str
            Paragraphs of method text (fixed template text).
        extra : str, optional
            One line under the period line (for example a warning that applies to every figure).
        no_period : str, optional
            What the period line says when ``period`` is None (default: all answers in the data).
        """
        from IPython.display import HTML, display

        findings = [str(f) for f in findings if f][:MAX_FINDINGS]
        if no_period:
            self.no_period = str(no_period)
        self.closed = True
        head = HTML(self.head_html(period, findings, extra))
        if self._handle is not None:
            self._handle.update(head)
        else:  # pragma: no cover - a page used without open_page
            display(head)
        parts = ['<div class="nkp-how"><h2 id="how-this-was-computed">How this was computed</h2>']
        parts += [f"<p>{_e(p)}</p>" for p in method if p]
        if self.left_out:
            parts.append("<p>Not shown, with the reason:</p><ul>")
            parts += [f"<li>{_e(t)}: {_e(r)}</li>" for t, r in self.left_out]
            parts.append("</ul>")
        if self.demo:
            parts.append('<p class="nkp-demo">This report uses the bundled <strong>synthetic</strong> '
                         "demo data. Point the input parameter at your own file (a CSV, Excel or "
                         "Parquet file, a survey-tool export, a folder or glob of Parquet files, or "
                         "a duckdb:FILE.duckdb:TABLE table) to report on your survey.</p>")
        parts.append("</div>")
        display(HTML("".join(parts)))
        record("title", f"{self.title}: {period}" if period else self.title)
        record("period", period)
        record("findings", findings)
        record("left_out", [{"section": t, "reason": r} for t, r in self.left_out])
        self.closed = True


def open_page(title: str, *sources: Any) -> Page:
    """Show the head of a report page at the top of the notebook and return the page.

    Parameters
    ----------
    title : str
        The report's name (fixed template text).
    *sources : str
        The data the report reads, as given (shown in the period line).
    """
    from IPython.display import HTML, display

    made = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    page = Page(title=str(title), sources=tuple(str(s) for s in sources if s), made=made)
    page._handle = display(HTML(page.head_html()), display_id=True)
    return page
