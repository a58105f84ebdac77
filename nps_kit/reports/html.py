"""Shareable HTML from an executed template: no code, figures embedded, nothing loaded remotely.

The report is meant for people who do not read code and may open it offline, so the export

- hides every code cell's input and all prompts (nbconvert's ``exclude_input``),
- drops the outputs that carry recorded results or private values (see :mod:`nps_kit.reports.record`),
  the injected-parameters cell and warning noise on stderr (nps-kit's own warnings are kept,
  as one plain line each),
- removes every ``<script>`` element and every stylesheet link to another host (figures are PNG
  data URIs, tables plain HTML: the page needs no JavaScript),
- carries a Content-Security-Policy (:data:`CONTENT_SECURITY_POLICY`) that lets no script run
  and loads nothing from anywhere: even a value that slipped through as markup could not act,
- refuses to write a page holding live markup (an event handler, a ``javascript:`` or
  ``data:`` link, a frame; :func:`live_markup`): every value from the data reaches the page as
  literal text through :func:`nps_kit.core.safetext.display_text`, so this only catches a fault,
- refuses to write a page that shows an e-mail address or a value the template declared
  private with :func:`nps_kit.reports.record.keep_private` (respondent ids, names).
"""

from __future__ import annotations

import copy
import html as _html
import re
from typing import Any, Iterable

from nps_kit.errors import TemplateError
from nps_kit.reports.record import PRIVATE_MIMETYPE, RESULT_MIMETYPE
from nps_kit.privacy.redact import EMAIL_PATTERN

# what counts as an e-mail address: the one pattern of nps_kit.privacy.redact

_HIDDEN_TAGS = ("injected-parameters", "papermill-error-cell-tag", "remove-cell")
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.IGNORECASE)
_REMOTE_PATTERNS = (
    re.compile(r"<script\b", re.IGNORECASE),
    re.compile(r"\bsrc\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE),
    _REMOTE_LINK,
    re.compile(r"@import\s+(?:url\()?[\"']?(?:https?:)?//", re.IGNORECASE),
    re.compile(r"url\(\s*[\"']?(?:https?:)?//", re.IGNORECASE),
)
_TOKEN = re.compile(r"[\w@+-]+(?:\.[\w@+-]+)*")
_WARNING_LINE = re.compile(r"^.*?:\d+: (NPSKitWarning: .*)$")


CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'none'; object-src 'none'; frame-src 'none'; "
    "img-src data:; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; "
    "form-action 'none'"
)
"""The page's policy: no script of any kind, inline styles, images and fonts only as data URIs."""

_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "srcset",
                             "poster", "background", "data", "cite", "longdesc", "srcdoc"})
_ACTIVE_TAGS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet",
                          "base", "form", "portal"})
_SAFE_DATA = re.compile(r"data:image/(?:png|jpeg|gif);base64,", re.IGNORECASE)


def live_markup(page: str) -> list[str]:
    """What in ``page`` could act when opened: active elements, event handlers, script links.

    Returns short descriptions (tag and attribute), empty when the page is inert apart from its
    own inline styles and embedded PNG/JPEG figures.
    """
    from html.parser import HTMLParser

    found: list[str] = []

    class _Scan(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in _ACTIVE_TAGS:
                found.append(f"<{tag}> element")
            if tag == "meta" and any(k == "http-equiv" and (v or "").lower() == "refresh"
                                     for k, v in attrs):
                found.append("<meta http-equiv=refresh>")
            for key, value in attrs:
                if key.startswith("on"):
                    found.append(f"<{tag} {key}=...> event handler")
                elif key in _URL_ATTRIBUTES and value:
                    url = re.sub(r"[\x00-\x20]", "", value).lower()
                    if url.startswith(("javascript:", "vbscript:")) or (
                            url.startswith("data:") and not (tag == "img" and key == "src"
                                                             and _SAFE_DATA.match(url))):
                        found.append(f"<{tag} {key}={url[:30]}...>")

        handle_startendtag = handle_starttag

    _Scan(convert_charrefs=True).feed(page)
    return found


def with_security_policy(page: str) -> str:
    """``page`` with :data:`CONTENT_SECURITY_POLICY` as the first element of its ``<head>``."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
    head = re.search(r"<head\b[^>]*>", page, re.IGNORECASE)
    if head is None:
        return meta + page
    return page[:head.end()] + meta + page[head.end():]


class PrivacyError(TemplateError):
    """The HTML report would show an e-mail address or a value declared private."""


def _clean_outputs(outputs: list) -> list:
    kept = []
    for out in outputs:
        data = out.get("data") or {}
        if RESULT_MIMETYPE in data or PRIVATE_MIMETYPE in data:
            continue
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            text = out.get("text", "")
            text = "".join(text) if isinstance(text, list) else text
            lines = [m.group(1) for m in map(_WARNING_LINE.match, text.splitlines()) if m]
            if not lines:
                continue
            out = copy.deepcopy(out)
            out["text"] = "\n".join(lines) + "\n"
        kept.append(out)
    return kept


def shareable_notebook(nb: Any) -> Any:
    """A copy of an executed notebook with only what the HTML report should show."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        tags = set((cell.get("metadata") or {}).get("tags", []))
        if tags & set(_HIDDEN_TAGS):
            continue
        if cell.cell_type == "code":
            cell.outputs = _clean_outputs(cell.get("outputs", []))
            if not cell.outputs:
                continue
        cells.append(cell)
    nb.cells = cells
    return nb


def strip_remote_resources(page: str) -> str:
    """Remove every ``<script>`` element and stylesheet links to other hosts."""
    page = _SCRIPT.sub("", page)
    return _REMOTE_LINK.sub("", page)


def remote_resources(page: str) -> list[str]:
    """Snippets of ``page`` that would load something when opened (scripts, remote src/links)."""
    found = []
    for pattern in _REMOTE_PATTERNS:
        found.extend(m.group(0) for m in pattern.finditer(page))
    return found


def visible_text(page: str) -> str:
    """The text a reader sees: no styles, scripts, tags or embedded images."""
    page = re.sub(r"<(style|script)\b[^>]*>.*?</\1\s*>", " ", page, flags=re.IGNORECASE | re.DOTALL)
    page = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+", " ", page)
    page = re.sub(r"<[^>]+>", " ", page)
    return _html.unescape(page)


def _significant(values: Iterable[Any]) -> set[str]:
    """Private values worth searching for: short numbers (like 17) would match counts."""
    out = set()
    for v in values:
        s = str(v).strip()
        if len(s) >= 6 or (len(s) >= 3 and re.search(r"[A-Za-z]", s) and re.search(r"\d", s)):
            out.add(s)
    return out


def privacy_problems(page: str, private_values: Iterable[Any] = ()) -> list[str]:
    """Describe what in ``page`` identifies a person (e-mail addresses, private values).

    The descriptions mask the values themselves, so an error message does not repeat them.
    """
    text = visible_text(page)
    problems = []
    emails = EMAIL_PATTERN.findall(text)
    if emails:
        problems.append(f"{len(emails)} e-mail address(es) (first: {emails[0][:2]}...@...)")
    private = _significant(private_values)
    if private:
        tokens = set(_TOKEN.findall(text))
        hits = {v for v in private if (v in tokens if _TOKEN.fullmatch(v) else v in text)}
        if hits:
            first = sorted(hits)[0]
            problems.append(f"{len(hits)} value(s) declared private (first: {first[:2]}...)")
    return problems


def notebook_to_html(nb: Any, title: str = "nps-kit report", private_values: Iterable[Any] = ()) -> str:
    """Export an executed notebook to a self-contained HTML report.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook.
    title : str
        Page title.
    private_values : iterable
        Strings that must not appear in the page (respondent ids, names).

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    PrivacyError
        If the page would show an e-mail address or a private value.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    page, _ = exporter.from_notebook_node(
        shareable_notebook(nb), resources={"metadata": {"name": title}}
    )
    page = with_security_policy(strip_remote_resources(page))
    left = remote_resources(page)
    if left:  # pragma: no cover - guards against a changed nbconvert template
        raise TemplateError(f"the HTML report would still load remote resources: {left[:3]}")
    live = live_markup(page)
    if live:
        raise TemplateError(
            f"the HTML report would hold live markup ({'; '.join(sorted(set(live))[:3])}): a "
            "value from the data reached the page as markup. This is a fault of nps-kit; please "
            "report it with the template's name. No report was written.")
    problems = privacy_problems(page, private_values)
    if problems:
        raise PrivacyError(
            "the HTML report would show " + "; ".join(problems)
            + ". Show aggregates only (or drop those columns) in the template."
        )
    return page


__all__ = [
    "CONTENT_SECURITY_POLICY", "EMAIL_PATTERN", "live_markup", "notebook_to_html",
    "privacy_problems", "PrivacyError", "remote_resources", "shareable_notebook",
    "strip_remote_resources", "visible_text", "with_security_policy",
]
