"""Literal display text: the one way a string from the data reaches any output.

Values, column names, wave labels, comments, theme names and file names come from files that
somebody else wrote. In a report they must read as themselves: never as HTML, a Markdown link or
emphasis, a formula, a spreadsheet formula or a terminal control sequence. :func:`display_text`
turns any such string into text that is literal for its target:

- ``"markup"`` (HTML and Markdown, which nbconvert turns into HTML): every ASCII character other
  than a letter, a digit or a space becomes a numeric character reference (``<`` -> ``&#60;``,
  ``*`` -> ``&#42;``, ``:`` -> ``&#58;``). A Markdown or HTML parser then sees no syntax at all
  (no tag, no emphasis, no link, no autolinked URL, no ``$`` for a formula), and the browser
  shows the original characters.
- ``"html"``: text inside HTML that no Markdown parser reads (tables and notes written as HTML):
  ``& < > " '`` become character references.
- ``"figure"``: matplotlib text; nothing is escaped, because :mod:`nps_kit.plots` turns
  matplotlib's mathtext off (a ``$`` is a dollar sign), but long labels are shortened.
- ``"plain"``: terminal text and files; nothing to escape beyond what every target gets.

Every target gets: control characters, line and paragraph separators and bidirectional
overrides replaced by a space (so a value cannot start a new Markdown block or reverse the
text around it), whitespace runs collapsed, and the text shortened to ``max_chars`` with an
ellipsis (full values stay in the JSON results).

Examples
--------
>>> display_text("<img src=x onerror=alert(1)>")
'&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62;'
>>> display_text("**bold** [x](javascript:alert(1))", "plain")
'**bold** [x](javascript:alert(1))'
>>> display_text("cost $5 $6", "figure")
'cost $5 $6'
>>> display_text("a" * 100, "plain", max_chars=10)
'aaaaaaaaa…'
"""

from __future__ import annotations

import html as _html
import math
import re
from typing import Any

TARGETS: tuple[str, ...] = ("markup", "html", "figure", "plain")
"""Where the text goes."""

LABEL_CHARS = 80
"""Default display length of a label (group value, column name, wave label)."""

_INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]+"
)
_SPACES = re.compile(r"\s+")
_MARKUP = {c: f"&#{ord(c)};" for c in map(chr, range(33, 127)) if not c.isalnum()}
_MARKUP_TABLE = str.maketrans(_MARKUP)


def _as_string(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "(blank)"
    return value if isinstance(value, str) else str(value)


def display_text(value: Any, target: str = "markup", max_chars: int | None = LABEL_CHARS) -> str:
    """Any value from the data as literal text for ``target``.

    Parameters
    ----------
    value : any
        The value (a string, a number, a label); None and NaN show as ``(blank)``.
    target : {"markup", "html", "figure", "plain"}
        Where the text goes (see the module docstring).
    max_chars : int or None
        Longest text shown (an ellipsis ends a shortened one); None keeps it whole (comments).

    Returns
    -------
    str
    """
    if target not in TARGETS:
        raise ValueError(f"target={target!r}; choose one of: {', '.join(TARGETS)}")
    text = _SPACES.sub(" ", _INVISIBLE.sub(" ", _as_string(value))).strip()
    if max_chars is not None and len(text) > max_chars:
        text = text[: max(max_chars - 1, 1)].rstrip() + "…"
    if target == "markup":
        return text.translate(_MARKUP_TABLE)
    if target == "html":
        return _html.escape(text, quote=True)
    return text


def label(value: Any) -> str:
    """A value from the data inside a plain-text sentence: ``display_text(value, "plain")``."""
    return display_text(value, "plain")


def markup_join(values: Any, sep: str = ", ", max_chars: int | None = LABEL_CHARS) -> str:
    """Several data values as one markup-safe list (``a, b, c``)."""
    return sep.join(display_text(v, "markup", max_chars) for v in values)


__all__ = ["LABEL_CHARS", "TARGETS", "display_text", "label", "markup_join"]
