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
    "RESULT_MIMETYPE", "results_from_notebook",
]
