"""Reader tables for shareable reports: one formatter for every table a template shows.

A result table of the kit is made for further work: full precision, snake_case columns, the
settings (method, confidence, ...) repeated on every row. :func:`show` turns it into a table for
a reader of the report, following one set of rules:

- NPS, its standard error, interval bounds and changes in points, to one decimal. Columns hold
  points in every public function of the kit; a table whose NPS-like columns hold -1..1 fractions
  says so with ``kind="nps-fraction"`` (or per column, ``formats={"nps": "fraction-points"}``):
  the unit is never guessed from the size of the numbers.
- Shares (0..1) as percentages with one decimal (``0.2131`` -> ``21.3%``); changes of shares in
  percentage points (``+10.7 pp``).
- Counts as integers with thousands separators (``1,043``); money in whole units with thousands
  separators (``3,389,185``); other numbers with two decimals; p-values with three decimals
  (``<0.001`` below). Never scientific notation.
- An interval, ``ci_low`` / ``ci_high`` (or any ``X_low`` / ``X_high`` pair), becomes one column
  labelled with its confidence: ``95% interval`` holding ``12.3 to 31.0``.
- Reader labels instead of snake_case headers (``detractor_share`` -> ``Detractor share``,
  ``nps`` -> ``NPS``); no index column.
- Setting columns (``method``, ``confidence``, ``nonresponse``, ``adjust``, ...) that hold one
  value for every row leave the table and are stated once, in a settings line above it.
- A missing value is shown as an en dash, and a line under the table says what the dash means;
  never ``NaN``.
- Every row and every column is shown (the HTML is written here, not by pandas, so no display
  option can elide anything); text (comments) is shown in full and wraps; a table wider than the
  page scrolls inside its own box.

The returned :class:`ReaderTable` has ``_repr_html_``, so ``display(show(frame))`` in a notebook
renders it; the formatted cells are in ``ReaderTable.frame`` (strings) for tests and other
output. Only the display is rounded: templates record the unrounded results with
:func:`nps_kit.reports.record.record`.

:func:`note` makes a styled note (a warning or an information box), and :func:`warning_notes`
collects the :class:`~nps_kit.errors.NPSKitWarning` s raised inside a ``with`` block so a report
shows them as notes instead of raw ``NPSKitWarning: ...`` lines.

Examples
--------
>>> import pandas as pd
>>> t = show(pd.DataFrame({"segment": ["A", "B"], "n": [1200, 85], "nps": [21.3178, -4.0],
...                        "ci_low": [11.7, -20.5], "ci_high": [30.4, 12.25],
...                        "method": "adjusted-wald", "confidence": 0.95}))
>>> t.frame.columns.tolist()
['Segment', 'n', 'NPS', '95% interval']
>>> t.frame.iloc[0].tolist()
['A', '1,200', '21.3', '11.7 to 30.4']
>>> dict(t.settings)
{'Method': 'adjusted-wald', 'Confidence': '95%'}
"""

from __future__ import annotations

import dataclasses
import math
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from nps_kit.errors import NPSKitWarning, check_option
from nps_kit.core.safetext import LABEL_CHARS, display_text
from nps_kit.core.smalln import MIN_ANSWERS, TOO_FEW, too_few
from nps_kit.core.formatting import p_value_text

__all__ = ["use_currency", "show", "note", "sentences", "warning_notes", "ReaderTable", "Note", "Notes",
           "Sentences", "FORMATS", "KINDS", "LEVELS", "DASH", "format_value", "column_format", "column_label"]

MAX_TEXT_CHARS = 2_000
"""Longest text shown in a table cell (a comment fits; the full value stays in the results)."""

DASH = "\u2013"

NO_PROMOTER_MENTION = "\u2013*"
"""Shown for a lift whose denominator (the promoters' share) is 0, instead of an infinity (a
footnote under the table says why; narrow, so a table keeps its width)."""
"""What a missing value is shown as (an en dash)."""

FORMATS: tuple[str, ...] = (
    "points", "fraction-points", "change", "fraction-change", "share", "share-change",
    "percent", "count", "money", "number", "p-value", "yes-no", "text",
)
"""Cell formats :func:`show` knows (see :func:`format_value`)."""

KINDS: tuple[str, ...] = ("nps", "nps-fraction", "share", "money", "number")
"""What a table's generic estimate columns (``estimate``, ``ci_low``, ``ci_high``, ``change``,
``change_low``, ``change_high``, ``delta``) measure: NPS points, NPS as a -1..1 fraction, a
share (0..1), money or a plain number (a ratio, a correlation)."""

LABEL_WIDTH = 24
"""Text columns whose values are all at most this long are labels, kept on one line; longer
text (comments, question wording) wraps."""

LEVELS: tuple[str, ...] = ("warning", "info")
"""Levels of :func:`note`."""

SETTING_COLUMNS: tuple[str, ...] = (
    "method", "confidence", "nonresponse", "adjust", "test", "model", "interpretation",
    "ltv_interval", "comparison", "design", "reference", "outcome", "scale",
)
"""Columns that describe how a table was computed rather than what it found: when one holds the
same value in every row it is stated once above the table (any column can be added with
``setting_columns=``)."""

_GENERIC = ("estimate", "ci_low", "ci_high", "change", "change_low", "change_high", "delta")
_KIND_FORMATS = {
    "nps": {"estimate": "change", "ci_low": "points", "ci_high": "points", "change": "change",
            "change_low": "points", "change_high": "points", "delta": "change"},
    "nps-fraction": {"estimate": "fraction-change", "ci_low": "fraction-points",
                     "ci_high": "fraction-points", "change": "fraction-change",
                     "change_low": "fraction-points", "change_high": "fraction-points",
                     "delta": "fraction-change", "nps": "fraction-points", "se": "fraction-points",
                     "mdc": "fraction-points"},
    "share": {"estimate": "share", "ci_low": "share", "ci_high": "share", "change": "share-change",
              "change_low": "share-change", "change_high": "share-change", "delta": "share-change"},
    "money": dict.fromkeys(_GENERIC, "money"),
    "number": dict.fromkeys(_GENERIC, "number"),
}

# Column names of the kit's result tables and what they hold. Names not listed here are
# formatted by their dtype: integers as counts, booleans as yes/no, text as text, other numbers
# with two decimals (see column_format).
_NAMED_FORMATS: dict[str, str] = {
    **dict.fromkeys(["nps", "se", "mdc", "nps_from", "nps_to", "nps_standardized", "enps",
                     "enps_previous", "enps_current", "weighted_nps", "weighted_ci_low",
                     "weighted_ci_high", "nps_ci_low", "nps_ci_high", "margin",
                     "nps_margin_at_classic_n", "revenue_weighted_nps", "nps_1", "nps_2",
                     "nps_shrunk", "shrunk", "tost", "centre", "lcl", "ucl", "trend"],
                    "points"),
    **dict.fromkeys(["adjustment", "difference", "previous eNPS", "current eNPS", "nps_effect"],
                    "change"),
    # the eNPS display tables (nps_kit.enps.report.format_table) arrive as text; named here so their
    # number columns stay right aligned
    **dict.fromkeys(["eNPS", "interval"], "points"), "headcount": "count", "p-value": "p-value",
    **dict.fromkeys(["n", "detractors", "passives", "promoters", "moved", "respondents", "customers",
                     "comments", "count", "rows"], "count"),
    **dict.fromkeys(["share", "row_share", "response_rate", "churn_rate", "churn_ci_low",
                     "churn_ci_high", "coded_share", "participation", "power", "alpha",
                     "previous_share", "share_of_population"], "share"),
    **dict.fromkeys(["revenue", "mean_ltv", "ltv_ci_low", "ltv_ci_high", "projected",
                     "projected_low", "projected_high", "per_customer", "per_customer_low",
                     "per_customer_high", "total", "total_low", "total_high", "amount",
                     "min_revenue", "max_revenue", "detractor_loss", "total_loss", "expected_loss",
                     "loss_ci_low", "loss_ci_high"], "money"),
    **dict.fromkeys(["p_value", "p_adjusted", "p", "p_holm", "p_equivalence",
                     "p_equivalence_adjusted", "p_lower", "p_upper"], "p-value"),
    **dict.fromkeys(["p_best", "p_worst", "shrinkage_weight"], "share"),
    **dict.fromkeys(["lift", "lift_low", "lift_high", "z", "chi2", "variance", "skewness", "sd",
                     "r"], "number"),
}

LABELS: dict[str, str] = {
    "n": "n", "nps": "NPS", "enps": "eNPS", "se": "Standard error", "p_value": "p-value",
    "p_adjusted": "Adjusted p-value", "mdc": "Detectable change", "delta": "Change",
    "nps_from": "NPS before", "nps_to": "NPS after", "n_from": "n before", "n_to": "n after",
    "n_matched": "n in both", "from": "From", "to": "To", "nonrespondents": "Declined to score",
    "nps_standardized": "Channel-standardised NPS", "mean_ltv": "Mean LTV",
    "ltv": "LTV", "ltv_interval": "LTV interval method", "sd": "Standard deviation",
    "z": "z", "chi2": "Chi-square", "multi_theme": "More than one theme",
    "nonresponse": "Nonresponse rule", "adjust": "p-value adjustment",
    "nps_n": "NPS n", "classic_n": "Classic calculator n",
    "nps_n_adjusted_wald": "NPS n (adjusted Wald)", "nps_n_worst_case": "NPS n (worst case)",
    "nps_margin_at_classic_n": "NPS margin at classic n",
    "margin": "Margin (points)", "from_category": "From category", "to_category": "To category",
    "row_share": "Share of first-wave category", "weighted_nps": "Revenue-weighted NPS",
    "weighted": "Revenue-weighted", "p_holm": "Holm-adjusted p-value", "t": "t",
    "min_revenue": "Smallest revenue", "max_revenue": "Largest revenue",
    "nps_shrunk": "NPS (shrunk)", "shrinkage_weight": "Weight of the overall",
    "p_best": "Chance of best", "p_worst": "Chance of worst", "p_equivalence": "p (equivalence)",
    "p_equivalence_adjusted": "Adjusted p (equivalence)", "equivalence": "Verdict",
    "lcl": "Lower limit", "ucl": "Upper limit", "centre": "Centre line", "trend": "Fitted trend",
    "outside": "Outside the limits", "run": "In a run", "signal": "Signal",
}
"""Reader labels of the kit's column names (others: words, first one capitalised, NPS/LTV in
capitals)."""

_SETTING_LABELS = {"method": "Method", "confidence": "Confidence", "nonresponse": "Nonresponse rule",
                   "adjust": "p-value adjustment", "test": "Test", "model": "Model",
                   "interpretation": "Reading", "ltv_interval": "LTV interval",
                   "comparison": "Comparison", "design": "Design", "reference": "Reference mix",
                   "outcome": "Outcome", "scale": "Scale"}
_ACRONYMS = {"nps": "NPS", "enps": "eNPS", "ltv": "LTV", "ci": "CI", "se": "SE", "id": "id",
             "n": "n", "p": "p", "abc": "ABC", "csv": "CSV"}

_MISSING_TEXT = f"{DASH} no value (not computed or not applicable for this row)"


# ---------------------------------------------------------------------------------- formats

def format_value(value: Any, fmt: str) -> str:
    """One cell as text in format ``fmt`` (one of :data:`FORMATS`).

    A missing value (``None``, ``NaN``, ``pd.NA``) is :data:`DASH`; a string is returned as it
    is (for example "fewer than 5 answers" in a suppressed eNPS cell); infinities are ``∞``.

    Examples
    --------
    >>> [format_value(v, f) for v, f in [(21.3178, "points"), (0.213178, "share"),
    ...  (-0.18372, "fraction-change"), (3389185.2, "money"), (1043, "count"), (0.00004, "p-value"),
    ...  (0.1072, "share-change"), (float("nan"), "points")]]
    ['21.3', '21.3%', '-18.4', '3,389,185', '1,043', '<0.001', '+10.7 pp', '–']
    """
    check_option("format", fmt, FORMATS)
    if value is None or (not isinstance(value, (str, bytes)) and _is_missing(value)):
        return DASH
    if isinstance(value, str):
        return value
    if fmt == "text":
        return str(value)
    if fmt == "yes-no" or isinstance(value, (bool, np.bool_)):
        return "yes" if bool(value) else "no"
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    if fmt == "points":
        return _fixed(v, 1)
    if fmt == "fraction-points":
        return _fixed(100 * v, 1)
    if fmt == "change":
        return _fixed(v, 1, sign=True)
    if fmt == "fraction-change":
        return _fixed(100 * v, 1, sign=True)
    if fmt == "share":
        return _fixed(100 * v, 1) + "%"
    if fmt == "percent":
        return _fixed(v, 1) + "%"
    if fmt == "share-change":
        return _fixed(100 * v, 1, sign=True) + " pp"
    if fmt == "count":
        return f"{v:,.0f}" if v == round(v) else f"{v:,.1f}"
    if fmt == "money":
        return _fixed(v, 0)
    if fmt == "p-value":
        return p_value_text(v)
    return _fixed(v, 2)  # number


def _fixed(v: float, decimals: int, sign: bool = False) -> str:
    text = f"{v:{'+' if sign else ''},.{decimals}f}"
    # no "-0.0": a value that rounds to zero is zero
    if re.fullmatch(r"[+-]0(\.0+)?", text):
        text = ("+" if sign else "") + text[1:]
    return text


def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def column_format(name: str, series: pd.Series | None = None, kind: str = "nps") -> str:
    """The format :func:`show` uses for column ``name`` of a table of ``kind``.

    The name decides first (the kit's column names, :data:`KINDS` for the generic estimate
    columns, then suffixes: ``*_share`` / ``share_*`` are shares, ``*_revenue`` money, ``n_*``
    / ``*_n`` counts); otherwise the dtype: integers are counts, booleans yes/no, text is text,
    other numbers get two decimals. The size of the values is never looked at.
    """
    check_option("kind", kind, KINDS)
    fmt = _named_format(name, kind)
    if fmt is None and (name.endswith("_low") or name.endswith("_high")):
        fmt = _named_format(name.rsplit("_", 1)[0], kind)  # a bound: the format of its estimate
    if fmt is not None:
        return fmt
    if series is None:
        return "number"
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "yes-no"
    if pd.api.types.is_integer_dtype(dtype):
        return "count"
    if pd.api.types.is_numeric_dtype(dtype):
        return "number"
    values = series.dropna()
    if len(values) and values.map(lambda v: isinstance(v, (bool, np.bool_))).all():
        return "yes-no"
    if len(values) and values.map(lambda v: isinstance(v, (int, np.integer))
                                   and not isinstance(v, (bool, np.bool_))).all():
        return "count"
    return "text"


def _named_format(name: str, kind: str) -> str | None:
    kind_map = _KIND_FORMATS[kind]
    if name in kind_map:
        return kind_map[name]
    if name in _NAMED_FORMATS:
        return _NAMED_FORMATS[name]
    if name.endswith("_share") or name.startswith("share_") or name.endswith("_rate"):
        return "share"
    if name.endswith("_revenue") or name.startswith("revenue_at_risk") or name.startswith("good_revenue"):
        return "money"
    if name.startswith("n_") or name.endswith("_n"):
        return "count"
    return None


def column_label(name: str) -> str:
    """A reader label for a column name: ``detractor_share`` -> ``Detractor share``."""
    name = str(name)
    if name in LABELS:
        return LABELS[name]
    if "_" not in name and name != name.lower():
        return name  # already a label ("CI low", "Share of revenue")
    words = [w for w in name.replace("-", " ").split("_") if w]
    words = [_ACRONYMS.get(w.lower(), w) for w in words] or [name]
    first = words[0]
    if first not in _ACRONYMS.values():
        first = first[:1].upper() + first[1:]
    return " ".join([first] + words[1:])


# ---------------------------------------------------------------------------------- tables

@dataclasses.dataclass(frozen=True)
class ReaderTable:
    """A table formatted for readers: rendered by Jupyter through ``_repr_html_``.

    Attributes
    ----------
    frame : DataFrame
        The cells as shown (strings), with reader labels as column names and no index.
    settings : tuple of (label, value)
        The settings stated once above the table.
    caption : str or None
        Title line above the table.
    footnotes : tuple of str
        Lines under the table (what a dash means).
    text_columns : tuple of str
        Labels of the columns shown as wrapped text (left aligned).
    label_columns : tuple of str
        Labels of the short text columns (group names, waves: at most
        :data:`LABEL_WIDTH` characters), shown left aligned on one line.
    """

    frame: pd.DataFrame
    settings: tuple[tuple[str, str], ...] = ()
    caption: str | None = None
    footnotes: tuple[str, ...] = ()
    text_columns: tuple[str, ...] = ()
    label_columns: tuple[str, ...] = ()

    def _cell_class(self, column: str) -> str:
        if column in self.label_columns:
            return "nkt-label"
        return "nkt-text" if column in self.text_columns else "nkt-num"

    def to_html(self) -> str:
        """The table as an HTML fragment: style, settings line, table in a scrolling box, notes."""
        def e(value: str) -> str:
            return display_text(value, "html", None)

        parts = [_STYLE, '<div class="nkt">']
        if self.caption:
            parts.append(f'<p class="nkt-caption">{e(self.caption)}</p>')
        if self.settings:
            items = " · ".join(f"{e(k)}: {e(v)}" for k, v in self.settings)
            parts.append(f'<p class="nkt-settings">{items}</p>')
        parts.append('<div class="nkt-box"><table class="nkt-table">')
        classes = [self._cell_class(c) for c in self.frame.columns]
        head = "".join(f'<th scope="col" class="{k}">{e(str(c))}</th>'
                       for k, c in zip(classes, self.frame.columns))
        parts.append(f"<thead><tr>{head}</tr></thead><tbody>")
        labels = [e(str(c)) for c in self.frame.columns]
        for row in self.frame.itertuples(index=False, name=None):
            cells = "".join(f'<td class="{k}" data-label="{h}">{e(v)}</td>'
                            for k, h, v in zip(classes, labels, row))
            parts.append(f"<tr>{cells}</tr>")
        if not len(self.frame):
            parts.append(f'<tr><td class="nkt-text" colspan="{max(len(self.frame.columns), 1)}">'
                         "(no rows)</td></tr>")
        parts.append("</tbody></table></div>")
        for line in self.footnotes:
            parts.append(f'<p class="nkt-foot">{e(line)}</p>')
        parts.append("</div>")
        return "".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """HTML for the page, plus the cells as text for the report's workbook."""
        from nps_kit.reports.record import TABLE_MIMETYPE

        cells = {"caption": self.caption, "columns": [str(c) for c in self.frame.columns],
                 "rows": [[str(v) for v in row] for row in
                          self.frame.itertuples(index=False, name=None)]}
        return {"text/html": self.to_html(), "text/plain": str(self), TABLE_MIMETYPE: cells}

    def __str__(self) -> str:
        lines = []
        if self.caption:
            lines.append(self.caption)
        if self.settings:
            lines.append(" · ".join(f"{k}: {v}" for k, v in self.settings))
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", None, "display.max_colwidth", None):
            lines.append(self.frame.to_string(index=False) if len(self.frame.columns) else "(empty)")
        lines.extend(self.footnotes)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)


_STYLE = (
    "<style>"
    ".nkt{max-width:100%;margin:0.4em 0 1.2em 0}"
    ".nkt .nkt-box{max-width:100%;overflow-x:auto}"
    ".nkt table.nkt-table{border-collapse:collapse;border:none;margin:0;table-layout:auto;"
    "width:auto;font-size:0.9em}"
    ".nkt table.nkt-table th,.nkt table.nkt-table td{padding:0.25em 0.5em;vertical-align:top;"
    "border:none;border-bottom:1px solid #d0d0d0;line-height:1.35}"
    ".nkt table.nkt-table th{white-space:normal;font-weight:600;border-bottom:2px solid #888;"
    "vertical-align:bottom;min-width:3em}"
    ".nkt table.nkt-table .nkt-num{text-align:right;white-space:nowrap}"
    ".nkt table.nkt-table th.nkt-num{white-space:normal}"
    ".nkt table.nkt-table .nkt-text{text-align:left;white-space:normal;overflow-wrap:break-word;"
    "min-width:10em;max-width:42em}"
    ".nkt table.nkt-table .nkt-label{text-align:left;white-space:nowrap}"
    ".nkt table.nkt-table tbody tr:nth-child(even){background:#f6f6f6}"
    ".nkt .nkt-settings,.nkt .nkt-foot{color:#444;font-size:0.88em;margin:0.2em 0}"
    ".nkt .nkt-caption{font-weight:600;margin:0.2em 0}"
    ".nkt-note{border-left:4px solid #c77d00;background:#fff6e5;padding:0.5em 0.8em;"
    "margin:0.5em 0;max-width:60em;overflow-wrap:anywhere}"
    ".nkt-note.nkt-info{border-left-color:#2f6db5;background:#eef4fb}"
    # phones: each row a card, each cell a line "label ... value", so no figure is off-screen
    "@media (max-width:600px){"
    ".nkt table.nkt-table thead{display:none}"
    ".nkt table.nkt-table,.nkt table.nkt-table tbody{display:block;width:100%}"
    ".nkt table.nkt-table tr{display:block;border-bottom:2px solid #999;padding:0.3em 0}"
    ".nkt table.nkt-table td{display:flex;justify-content:space-between;gap:1em;border:none;"
    "white-space:normal;text-align:right;min-width:0;max-width:none;padding:0.1em 0.3em}"
    ".nkt table.nkt-table td::before{content:attr(data-label);font-weight:600;text-align:left;"
    "flex:0 1 auto}"
    ".nkt table.nkt-table td.nkt-label:first-child{font-weight:700}}"
    "</style>"
)


_CURRENCY: list[str] = [""]


def use_currency(code: str) -> None:
    """State the currency of every money column shown from now on in this report (``EUR``).

    A report template calls it once with its ``currency`` parameter; each table with a money
    column then says "Amounts in: EUR" above it. Empty: no currency stated.
    """
    _CURRENCY[0] = str(code or "").strip()


def _interval_pairs(columns: list[str]) -> list[tuple[str, str, str]]:
    """(base, low column, high column) for every ``X_low`` with a matching ``X_high``."""
    pairs = []
    for c in columns:
        if isinstance(c, str) and c.endswith("_low"):
            base = c[: -len("_low")]
            if f"{base}_high" in columns:
                pairs.append((base, c, f"{base}_high"))
    return pairs


def _constant(series: pd.Series) -> bool:
    values = series.astype(object).where(series.notna(), None).tolist()
    return len(values) > 0 and all(v == values[0] for v in values)


def _setting_text(name: str, value: Any) -> str:
    if name == "confidence" and isinstance(value, (int, float, np.floating)) and not _is_missing(value):
        return f"{100 * float(value):g}%"
    return DASH if value is None or _is_missing(value) else str(value)


def show(
    frame: pd.DataFrame,
    kind: str = "nps",
    *,
    formats: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    settings: Mapping[str, Any] | None = None,
    setting_columns: Iterable[str] = (),
    caption: str | None = None,
    confidence: float | None = None,
    missing: str | None = None,
    notes: Iterable[str] = (),
) -> ReaderTable:
    """Format a result table for a reader of a report (the rules are in the module docstring).

    Parameters
    ----------
    frame : DataFrame
        A result table of the kit (full precision). A named index becomes columns; an unnamed
        index is not shown.
    kind : {"nps", "nps-fraction", "share", "money", "number"}
        What the generic columns ``estimate``, ``ci_low``, ``ci_high``, ``delta``, ``change``,
        ``change_low`` and ``change_high`` measure: NPS points (default), NPS as -1..1
        fractions (shown as points; ``nps``, ``se`` and ``mdc`` are then fractions too), shares
        (0..1), money, or plain numbers.
    formats : mapping, optional
        Column -> format (one of :data:`FORMATS`), overriding the defaults of
        :func:`column_format`. An interval takes the format of its ``_low`` column.
    labels : mapping, optional
        Column -> header label, overriding :func:`column_label` (for an interval, key it by the
        ``_low`` column or by the base name, e.g. ``"ci"``).
    settings : mapping, optional
        Further settings to state above the table (label -> value).
    setting_columns : iterable of str
        Columns to treat as settings besides :data:`SETTING_COLUMNS` (stated once when they hold
        one value, kept in the table otherwise).
    caption : str, optional
        A title line above the table.
    confidence : float, optional
        Confidence level for the interval labels; by default the ``confidence`` column's value.
    missing : str, optional
        What a dash means in this table (stated under it when a value is missing); by default
        "no value (not computed or not applicable for this row)".
    notes : iterable of str
        Further lines under the table.

    Returns
    -------
    ReaderTable
        Rendered as HTML by Jupyter; ``.frame`` holds the cells as strings.

    Raises
    ------
    ParameterError
        An unknown ``kind`` or format.
    """
    check_option("kind", kind, KINDS)
    formats = dict(formats or {})
    for fmt in formats.values():
        check_option("format", fmt, FORMATS)
    labels = dict(labels or {})
    data = frame
    if any(name is not None for name in data.index.names):
        data = data.reset_index()
    data = data.reset_index(drop=True)
    data.columns = [str(c) for c in data.columns]
    columns = list(data.columns)

    # settings: setting columns with one value for every row leave the table
    stated: list[tuple[str, str]] = []
    setting_names = list(SETTING_COLUMNS) + [c for c in setting_columns if c not in SETTING_COLUMNS]
    if confidence is None and "confidence" in columns and len(data) and _constant(data["confidence"]):
        confidence = data["confidence"].iloc[0]
    for name in setting_names:
        if name in columns and len(data) and _constant(data[name]):
            stated.append((labels.get(name, _SETTING_LABELS.get(name, column_label(name))),
                           _setting_text(name, data[name].iloc[0])))
            columns.remove(name)
    for key, value in (settings or {}).items():
        stated.append((str(key), _setting_text(str(key), value)))

    level = (f"{100 * float(confidence):g}% " if confidence is not None and not _is_missing(confidence)
             else "")
    pairs = {low: (base, high) for base, low, high in _interval_pairs(columns)}
    highs = {high for _, high in pairs.values()}
    shown: dict[str, list[str]] = {}
    text_labels: list[str] = []
    label_labels: list[str] = []
    any_missing = False
    for c in columns:
        if c in highs:
            continue
        if c in pairs:
            base, high = pairs[c]
            fmt = formats.get(c) or column_format(c, data[c], kind)
            fmt_high = formats.get(high) or column_format(high, data[high], kind)
            if base == "ci":
                label = labels.get(c) or labels.get(base) or f"{level}interval".capitalize()
            else:
                stem = base[: -len("_ci")] if base.endswith("_ci") else base
                label = labels.get(c) or labels.get(base) or f"{column_label(stem)} {level}interval"
            cells = []
            few = (too_few(pd.to_numeric(data["n"], errors="coerce").fillna(0))
                   & (pd.to_numeric(data["n"], errors="coerce").fillna(0) > 0)
                   if base == "ci" and "n" in data.columns else np.zeros(len(data), dtype=bool))
            if few.any():
                notes = [*notes, f"{TOO_FEW}: fewer than {MIN_ANSWERS} answers, too few for an "
                                 "interval (nps_kit.core.smalln)"]
            for lo, hi, small in zip(data[c].tolist(), data[high].tolist(), few):
                if small:
                    cells.append(TOO_FEW)
                    continue
                if isinstance(lo, str) and isinstance(hi, str) and lo == hi:
                    cells.append(lo)  # one reason for both bounds ("suppressed")
                    continue
                a, b = format_value(lo, fmt), format_value(hi, fmt_high)
                if base == "lift" and b == "∞":
                    b = NO_PROMOTER_MENTION
                if a == DASH and b == DASH:
                    cells.append(DASH)
                    any_missing = True
                else:
                    any_missing = any_missing or DASH in (a, b)
                    cells.append(f"{a} to {b}")
            shown[_unique(label, shown)] = cells
            continue
        fmt = formats.get(c) or column_format(c, data[c], kind)
        cells = [format_value(v, fmt) for v in data[c].astype(object).tolist()]
        if c in ("lift", "lift_low", "lift_high") and any(v in ("∞", "-∞") for v in cells):
            cells = [NO_PROMOTER_MENTION if v == "∞" else v for v in cells]
            notes = [*notes, f"{NO_PROMOTER_MENTION} no promoter mentioned the theme, so there is "
                             "no ratio (detractors only)"]
        if fmt == "text":  # labels (short as a rule) to LABEL_CHARS, comments to MAX_TEXT_CHARS
            typical = float(np.median([len(v) for v in cells])) if cells else 0.0
            limit = LABEL_CHARS if typical <= LABEL_CHARS / 2 else MAX_TEXT_CHARS
            cells = [v if len(v) <= limit else display_text(v, "plain", limit) for v in cells]
        any_missing = any_missing or any(v == DASH for v in cells)
        label = _unique(labels.get(c) or column_label(c), shown)
        shown[label] = cells
        if fmt == "text":
            longest = max((len(v) for v in cells), default=0)
            (label_labels if longest <= LABEL_WIDTH else text_labels).append(label)
    if _CURRENCY[0] and any((formats.get(c) or column_format(c, data[c], kind)) == "money"
                            for c in columns):
        stated.append(("Amounts in", display_text(_CURRENCY[0], "plain", 12)))
    out = pd.DataFrame(shown, columns=list(shown), dtype=object)
    footnotes = [f"{DASH} {missing}" if missing else _MISSING_TEXT] if any_missing else []
    footnotes += [str(n) for n in notes]
    return ReaderTable(frame=out, settings=tuple(stated), caption=caption,
                       footnotes=tuple(footnotes), text_columns=tuple(text_labels),
                       label_columns=tuple(label_labels))


def _unique(label: str, taken: Mapping[str, Any]) -> str:
    out, i = label, 2
    while out in taken:
        out, i = f"{label} ({i})", i + 1
    return out


# ---------------------------------------------------------------------------------- notes

@dataclasses.dataclass(frozen=True)
class Note:
    """A styled note in a report (``level`` "warning" or "info"); Jupyter renders its HTML."""

    text: str
    level: str = "warning"

    def to_html(self) -> str:
        title = "Warning." if self.level == "warning" else "Note."
        return (f'{_STYLE}<div class="nkt-note nkt-{self.level}" role="note">'
                f"<strong>{title}</strong> {display_text(self.text, 'html', None)}</div>")

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return f"{'Warning' if self.level == 'warning' else 'Note'}: {self.text}"

    def __repr__(self) -> str:
        return str(self)


@dataclasses.dataclass(frozen=True)
class Sentences:
    """Plain-text sentences shown as a paragraph or a list; every character is literal."""

    lines: tuple[str, ...]
    strong: bool = False

    def to_html(self) -> str:
        def one(line: str) -> str:
            text = display_text(line, "html", None)
            return f"<strong>{text}</strong>" if self.strong else text

        if len(self.lines) == 1:
            return f'<p class="nkt-text-block">{one(self.lines[0])}</p>'
        items = "".join(f"<li>{one(line)}</li>" for line in self.lines)
        return f'<ul class="nkt-text-block">{items}</ul>'

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return "\n".join(self.lines)

    def __repr__(self) -> str:
        return str(self)


def sentences(lines: str | Iterable[str], strong: bool = False) -> Sentences:
    """Sentences for a report, built by nps-kit from the data: one paragraph, or a list.

    This is how a template shows text that holds values from the data (group names, wave
    labels, column names): the text is plain, never Markdown or HTML, so a value such as
    ``<img onerror=...>`` or ``[x](javascript:...)`` is shown as those characters.

    Parameters
    ----------
    lines : str or iterable of str
        One sentence (a paragraph) or several (a bulleted list).
    strong : bool
        Bold (a headline).
    """
    lines = (lines,) if isinstance(lines, str) else tuple(str(line) for line in lines)
    return Sentences(lines, bool(strong))


def note(text: str, level: str = "warning") -> Note:
    """A styled note for a report: ``display(note("Class C answered least."))``.

    Parameters
    ----------
    text : str
        Plain text (HTML in it is escaped).
    level : {"warning", "info"}
    """
    check_option("level", level, LEVELS)
    return Note(str(text), level)


class Notes:
    """The warnings collected by :func:`warning_notes`, shown as one note each.

    ``messages`` lists the texts in the order they were raised (each once).
    """

    def __init__(self) -> None:
        self.messages: list[str] = []

    def _add(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)

    def __len__(self) -> int:
        return len(self.messages)

    def __iter__(self) -> Iterator[str]:
        return iter(self.messages)

    def _repr_html_(self) -> str:
        return "".join(note(m).to_html() for m in self.messages)

    def _ipython_display_(self) -> None:
        """``display(notes)`` in a notebook: the notes, or no output at all when there are none."""
        if self.messages:
            from IPython.display import publish_display_data

            publish_display_data({"text/html": self._repr_html_(), "text/plain": repr(self)})

    def __repr__(self) -> str:
        return "\n".join(str(note(m)) for m in self.messages)


@contextmanager
def warning_notes() -> Iterator[Notes]:
    """Collect the :class:`~nps_kit.errors.NPSKitWarning` s raised in a ``with`` block.

    Inside a template::

        with warning_notes() as warned:
            analysis = abc_from_files(...)
        display(warned)        # one styled note per warning (nothing when there was none)

    Other warnings (from pandas, numpy, ...) are passed on unchanged, so nothing is hidden; the
    kit's own warnings are shown as notes instead of ``NPSKitWarning: ...`` lines on stderr.
    """
    notes = Notes()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield notes
    for w in caught:
        if issubclass(w.category, NPSKitWarning):
            notes._add(str(w.message))
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
