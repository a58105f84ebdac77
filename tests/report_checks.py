"""Checks every shareable report's HTML passes: its tables are reader tables (nps_kit.reports.tables)."""

from __future__ import annotations

import re

from nps_kit.reports.html import visible_text

_CHECKS = {
    "a NaN cell": (re.compile(r"\bNaN\b|\bnan\b|<NA>"), "text"),
    "scientific notation": (re.compile(r"\d(?:\.\d+)?[eE][+-]\d+"), "text"),
    "an index header cell": (re.compile(r"<th[^>]*>\s*\d+\s*</th>"), "page"),
    "pandas' 'N rows x M columns'": (re.compile(r"\d+\s+rows\s*[×x]\s*\d+\s+columns"), "text"),
    "a raw NPSKitWarning line": (re.compile(r"NPSKitWarning"), "text"),
    "a cell cut with '...'": (re.compile(r"(?:\.\.\.|…)\s*</t[dh]>"), "page"),
    "a raw DataFrame table": (re.compile(r'class="dataframe'), "page"),
}


def reader_table_problems(page: str) -> list[str]:
    """What in a report page is not formatted for a reader (empty when all is well)."""
    text = visible_text(page)
    problems = []
    for what, (pattern, where) in _CHECKS.items():
        hits = pattern.findall(text if where == "text" else page)
        if hits:
            problems.append(f"{what} ({len(hits)}x, first {hits[0]!r})")
    return problems


def assert_reader_tables(page: str, min_tables: int = 1) -> None:
    """Assert the page's tables follow the display rules and there are at least ``min_tables``."""
    assert reader_table_problems(page) == []
    assert page.count('class="nkt-table"') >= min_tables
