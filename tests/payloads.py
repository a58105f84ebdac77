"""A corpus of markup payloads, and the demo data with every text field replaced by them.

Used by tests/test_markup_payloads.py: every template runs on these files with parameters that
point at the poisoned columns, and the pages are opened in headless Chromium.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nps_kit.engines.dispatch import read_table

# Each payload is one kind of attack; the alert numbers tell which one fired.
PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    "<iframe src=javascript:alert(4)>",
    "[link](javascript:alert(5))",
    "**bold** _em_",
    "http://evil.example/x",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==",
    "$x^2$ $$y$$",
    '<a href="javascript:alert(7)">click</a>',
    "<b onmouseover=alert(8)>hover</b>",
    "# heading",
    "<style>body{display:none}</style>",
    "&lt;i&gt;entity&lt;/i&gt;",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoOSk+)",
    "`code` | pipe | table",
)

SEGMENT_COLUMN = "<i onclick=alert(10)>segment</i>"
CHANNEL_COLUMN = "[chan](javascript:alert(11))"
TENURE_COLUMN = "<u onclick=alert(12)>tenure</u>"
WAVE_SUFFIX = " <em onclick=alert(13)>w</em>"


def _relabel(series: pd.Series, start: int = 0) -> pd.Series:
    """Every distinct value replaced by a payload (blanks stay blank)."""
    values = sorted(series.dropna().astype(str).unique())
    mapping = {v: PAYLOADS[(start + i) % len(PAYLOADS)] for i, v in enumerate(values)}
    return series.map(lambda v: mapping.get(str(v), v) if pd.notna(v) else v)


def _poison_comments(series: pd.Series) -> pd.Series:
    out = series.astype(object).copy()
    filled = [i for i, v in out.items() if isinstance(v, str) and v.strip()]
    for j, i in enumerate(filled[: 4 * len(PAYLOADS)]):
        out[i] = f"{out[i]} {PAYLOADS[j % len(PAYLOADS)]}"
    return out


def write_poisoned_demo(folder: Path) -> dict[str, dict]:
    """Write the poisoned files into ``folder``; return the parameters of every template."""
    folder.mkdir(parents=True, exist_ok=True)
    responses = read_table("demo:responses.csv")
    responses["segment"] = _relabel(responses["segment"])
    responses["channel"] = _relabel(responses["channel"], 5)
    responses["comment"] = _poison_comments(responses["comment"])
    responses["wave"] = responses["wave"] + WAVE_SUFFIX
    responses = responses.rename(columns={"segment": SEGMENT_COLUMN, "channel": CHANNEL_COLUMN})
    responses.to_csv(folder / "responses.csv", index=False)

    customers = read_table("demo:customers.csv")
    customers["segment"] = _relabel(customers["segment"])
    customers["company"] = _relabel(customers["company"], 3)
    customers = customers.rename(columns={"segment": SEGMENT_COLUMN})
    customers.to_csv(folder / "customers.csv", index=False)

    employees = read_table("demo:employees.csv")
    previous = read_table("demo:employees_previous.csv")
    for col, start in (("department", 0), ("location", 6), ("tenure_band", 10)):
        both = pd.concat([employees[col], previous[col]])
        values = sorted(both.dropna().astype(str).unique())
        mapping = {v: PAYLOADS[(start + i) % len(PAYLOADS)] for i, v in enumerate(values)}
        employees[col] = employees[col].map(mapping)
        previous[col] = previous[col].map(mapping)
    employees["comment"] = _poison_comments(employees["comment"])
    employees = employees.rename(columns={"tenure_band": TENURE_COLUMN})
    previous = previous.rename(columns={"tenure_band": TENURE_COLUMN})
    employees.to_csv(folder / "employees.csv", index=False)
    previous.to_csv(folder / "employees_previous.csv", index=False)

    r, c = str(folder / "responses.csv"), str(folder / "customers.csv")
    return {
        "nps_report": {"responses_file": r, "segment_column": SEGMENT_COLUMN,
                       "driver_columns": [SEGMENT_COLUMN, CHANNEL_COLUMN]},
        "wave_comparison": {"responses_file": r, "segment_column": SEGMENT_COLUMN,
                            "channel_column": CHANNEL_COLUMN, "protocol_file": ""},
        "feedback_themes": {"responses_file": r, "segment_column": SEGMENT_COLUMN,
                            "names_file": c},
        "abc_segmentation": {"responses_file": r, "customers_file": c},
        "nps_ltv": {"responses_file": r, "customers_file": c, "controls": [SEGMENT_COLUMN],
                    "aggregate_by": ["wave", SEGMENT_COLUMN], "aggregate_within": SEGMENT_COLUMN},
        "enps_study": {"responses_file": str(folder / "employees.csv"), "headcount_file": "",
                       "groupings": ["department", "location", TENURE_COLUMN,
                                     ["department", "location"]],
                       "previous_file": str(folder / "employees_previous.csv")},
        "study_design": {"customers_file": c, "segment_column": SEGMENT_COLUMN,
                         "previous_responses": r},
    }
