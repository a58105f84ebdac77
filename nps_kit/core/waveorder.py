"""One wave order for the whole kit: wave labels in their natural order.

"2024-H1" < "2024-H2" < "2025-Q1", "Wave 2" < "Wave 10", dates by date; an order given by the
caller wins. Used by wave comparisons, the engine path, control charts and theme changes alike,
so "W10" never comes before "W9" anywhere.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from nps_kit.errors import ParameterError

# -------------------------------------------------------------------------------- wave order
_PERIOD_YEAR_FIRST = re.compile(r"^\s*(\d{4})\s*[-_/ ]?\s*([HhQq])\s*([1-4])\s*$")
_PERIOD_YEAR_LAST = re.compile(r"^\s*([HhQq])\s*([1-4])\s*[-_/ ]?\s*(\d{4})\s*$")
_DIGITS = re.compile(r"(\d+)")


def _period_key(text: str):
    """(year, first month, months) of "2024-H1", "2024 Q3", "H2 2024", "Q1-2025"; None otherwise."""
    m = _PERIOD_YEAR_FIRST.match(text)
    if m:
        year, kind, k = int(m.group(1)), m.group(2).upper(), int(m.group(3))
    else:
        m = _PERIOD_YEAR_LAST.match(text)
        if not m:
            return None
        kind, k, year = m.group(1).upper(), int(m.group(2)), int(m.group(3))
    if kind == "H" and k > 2:
        return None
    months = 6 if kind == "H" else 3
    return (year, (k - 1) * months + 1, months)


def _natural_key(text: str) -> tuple:
    """Split into text and numbers so that "W10" sorts after "W9" and "Wave 2" before "Wave 10"."""
    parts = _DIGITS.split(text.strip().lower())
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


def _ordering(values) -> tuple[list, str]:
    """Distinct wave values in natural order, and the basis of that order."""
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if isinstance(s.dtype, pd.CategoricalDtype) and s.cat.ordered:
        present = set(s.dropna().unique())
        return [c for c in s.cat.categories if c in present], "the order of the categories"
    uniques = pd.unique(s.dropna())
    if len(uniques) == 0:
        return [], "no waves"
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return sorted(uniques), "dates"
    objs = pd.Series(uniques, dtype=object)
    if all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
           for v in uniques):
        return sorted(uniques, key=float), "numbers"
    text = objs.astype(str).str.strip()
    numeric = pd.to_numeric(text, errors="coerce")
    if numeric.notna().all():
        order = np.argsort(numeric.to_numpy(), kind="stable")
        return [uniques[i] for i in order], "numbers"
    periods = [_period_key(t) for t in text]
    if all(p is not None for p in periods):
        order = sorted(range(len(uniques)), key=lambda i: periods[i])
        kinds = {p[2] for p in periods}
        unit = "half-years" if kinds == {6} else "quarters" if kinds == {3} else "periods"
        return [uniques[i] for i in order], f"{unit} (year, then period)"
    if all(isinstance(v, (pd.Timestamp, np.datetime64)) for v in uniques) or \
            text.str.match(r"^\d{4}-\d{1,2}(-\d{1,2})?([ T].*)?$").all():
        dates = pd.to_datetime(text, errors="coerce", format="mixed")
        if dates.notna().all():
            order = np.argsort(dates.to_numpy(), kind="stable")
            return [uniques[i] for i in order], "dates"
    keys = [_natural_key(t) for t in text]
    try:
        order = sorted(range(len(uniques)), key=lambda i: keys[i])
    except TypeError:  # labels with different shapes ("W2" and "2024"): compare as text
        order = sorted(range(len(uniques)), key=lambda i: str(keys[i]))
    return [uniques[i] for i in order], "labels, with the numbers in them compared as numbers"


def order_waves(values) -> list:
    """Distinct wave values in their natural order.

    Recognised, in this order: an ordered categorical (its categories' order), numbers
    (``1 < 2 < 10``, also as text), half-years and quarters (``"2024-H1"``, ``"2024 Q3"``,
    ``"H2 2024"``; ordered by year, then start month), dates (``"2024-03-01"``, ``"2024-03"``,
    datetime values) and any other labels in natural order, numbers inside a label compared as
    numbers (``"W9" < "W10"``, ``"Wave 2" < "Wave 10"``). Missing values are left out.

    Parameters
    ----------
    values : array-like or Series

    Returns
    -------
    list
        The distinct values (as given, not converted), first wave first.

    Examples
    --------
    >>> order_waves(["W10", "W9", "W1"])
    ['W1', 'W9', 'W10']
    >>> order_waves(["2025-H1", "2024-H2", "2024-H1"])
    ['2024-H1', '2024-H2', '2025-H1']
    """
    return _ordering(values)[0]


def describe_order(values) -> str:
    """A sentence stating the wave order used and on what it is based.

    Examples
    --------
    >>> describe_order(["2024-H2", "2024-H1"])
    'Waves in order: 2024-H1 < 2024-H2 (ordered as half-years (year, then period)).'
    """
    order, basis = _ordering(values)
    return f"Waves in order: {' < '.join(map(str, order))} (ordered as {basis})."



def wave_order(labels: list[str], waves=None) -> tuple[list[str], str]:
    """The order of the wave labels present, and the basis of that order: ``waves`` as given
    (every present label must be listed), or the natural order of :func:`order_waves`."""
    present = set(labels)
    if waves is not None:
        order = [str(w) for w in waves]
        unknown = sorted(present - set(order))
        if unknown:
            raise ParameterError(f"waves={order} does not list the wave(s) {unknown} of the data")
        return [w for w in order if w in present], "the order given"
    return _ordering(labels)


def wave_labels(values: pd.Series) -> pd.Series:
    """Wave values as text labels: dates as ``YYYY-MM-DD`` (with the time only when there is one),
    everything else as ``str(value)``."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        normal = (values.dropna() == values.dropna().dt.normalize()).all()
        return values.dt.strftime("%Y-%m-%d" if normal else "%Y-%m-%d %H:%M:%S").astype(object)
    return pd.Series([str(v) for v in values.astype(object)], index=values.index, dtype=object)




__all__ = ["describe_order", "order_waves", "wave_labels", "wave_order"]
