"""Recording a template's key results inside a notebook, and reading them back.

A template calls :func:`record` for every number a later run or another program should read
(the overall NPS, its interval, a per-segment table). The value travels as a display output
with its own MIME type, :data:`RESULT_MIMETYPE`, in the executed notebook; the runner collects
those outputs into ``TEMPLATE.json`` and strips them from the HTML report.
"""

from __future__ import annotations

import json
from os import PathLike
from typing import Any

from nps_kit.core.jsonable import to_jsonable

RESULT_MIMETYPE = "application/vnd.nps-kit.result+json"
"""MIME type of the display outputs that carry recorded results."""

PRIVATE_MIMETYPE = "application/vnd.nps-kit.private+json"
TABLE_MIMETYPE = "application/vnd.nps-kit.table+json"
"""A reader table's cells as shown (caption, columns, rows of text), for the report's workbook."""
"""MIME type of the display outputs that list values the HTML report must not show."""


def record(key: str, value: Any) -> None:
    """Record one key result of a template run.

    The value is converted with :func:`to_jsonable` (a DataFrame becomes a list of records,
    NaN becomes null) and emitted as an invisible display output; ``nps-kit run`` writes all
    recorded values into the ``results`` of ``TEMPLATE.json``. Recording the same key twice
    keeps the last value.

    Parameters
    ----------
    key : str
        Name of the result, e.g. ``"nps"`` or ``"by_segment"``.
    value : Any
        Number, string, list, dict, DataFrame, Series or frozen result object.

    Examples
    --------
    >>> record("nps", 23.5)  # doctest: +SKIP
    """
    if not isinstance(key, str) or not key:
        raise TypeError("record() needs a non-empty string key")
    payload = {key: to_jsonable(value)}
    # Check it is strict JSON now, in the notebook, rather than later in the runner.
    json.dumps(payload, allow_nan=False)
    try:
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return
    # An empty text/plain keeps JupyterLab from warning about an unknown MIME type.
    display({RESULT_MIMETYPE: payload, "text/plain": ""}, raw=True)


def keep_private(values: Any) -> None:
    """Declare values (respondent ids, names) that the shareable HTML report must not show.

    ``nps-kit run`` refuses to write an HTML page whose visible text contains one of them (or
    any e-mail address). The values are not written to ``TEMPLATE.json``.

    Parameters
    ----------
    values : iterable
        For example ``responses.data["respondent_id"]``.
    """
    import pandas as pd

    items = pd.Series(list(values) if not isinstance(values, pd.Series) else values).dropna()
    unique = sorted(set(items.astype(str)))
    try:
        from IPython.display import display
    except ImportError:  # pragma: no cover
        return
    display({PRIVATE_MIMETYPE: {"values": unique}, "text/plain": ""}, raw=True)


def private_from_notebook(nb: Any) -> list[str]:
    """Values declared with :func:`keep_private` in an executed notebook."""
    values: set[str] = set()
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            payload = (output.get("data") or {}).get(PRIVATE_MIMETYPE)
            if payload:
                if isinstance(payload, str):
                    payload = json.loads(payload)
                values.update(payload.get("values", []))
    return sorted(values)


def results_from_notebook(nb: Any) -> dict[str, Any]:
    """Collect recorded results from an in-memory notebook (nbformat node), in cell order."""
    results: dict[str, Any] = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            if RESULT_MIMETYPE in data:
                payload = data[RESULT_MIMETYPE]
                if isinstance(payload, str):
                    payload = json.loads(payload)
                results.update(payload)
    return results


def tables_from_notebook(nb: Any) -> dict[str, Any]:
    """The reader tables shown in an executed notebook, as sheet name -> DataFrame, in page order.

    A sheet is named after the section heading it appears under (the ``<h2>`` of
    :meth:`nps_kit.reports.page.Page.section`), or its caption; a second table in a section gets
    `` (2)``. The cells are the text the page shows.
    """
    import re

    import pandas as pd

    heading = "Report"
    sheets: dict[str, Any] = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            page = data.get("text/html")
            page = "".join(page) if isinstance(page, list) else page
            if isinstance(page, str) and TABLE_MIMETYPE not in data:
                found = re.findall(r"<h2[^>]*>(.*?)</h2>", page, flags=re.S)
                if found:
                    import html as _html

                    heading = _html.unescape(re.sub(r"<[^>]+>", "", found[-1])).strip() or heading
            if TABLE_MIMETYPE in data:
                payload = data[TABLE_MIMETYPE]
                if isinstance(payload, str):
                    payload = json.loads(payload)
                name = payload.get("caption") or heading
                base, k = name, 2
                while name in sheets:
                    name, k = f"{base} ({k})", k + 1
                frame = pd.DataFrame(payload.get("rows", []), columns=payload.get("columns"))
                sheets[name] = frame.apply(_numbers_where_all_numbers)
    return sheets


def _numbers_where_all_numbers(column):
    """A column of shown text as numbers when every cell is a plain number (``1,043``, ``-4.5``)."""
    import pandas as pd

    text = column.astype(str).str.replace(",", "", regex=False).str.strip()
    numbers = pd.to_numeric(text, errors="coerce")
    return numbers if len(column) and numbers.notna().all() else column


def recorded_results(notebook_path: str | PathLike[str]) -> dict[str, Any]:
    """Return the results recorded with :func:`record` in an executed notebook.

    Parameters
    ----------
    notebook_path : str or path-like
        An executed ``.ipynb`` file.

    Returns
    -------
    dict
        Key -> value, as JSON types; later records of a key replace earlier ones.
    """
    import nbformat

    nb = nbformat.read(str(notebook_path), as_version=4)
    return results_from_notebook(nb)


__all__ = [
    "keep_private", "private_from_notebook", "PRIVATE_MIMETYPE", "record", "recorded_results",
    "RESULT_MIMETYPE", "results_from_notebook", "TABLE_MIMETYPE", "tables_from_notebook",
]
