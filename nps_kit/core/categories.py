"""Categories in the order a reader expects: ranges by value, or the order the caller gives.

Tenure bands sorted as text read ``1-3y, 3-5y, 5y+, <1y``; a reader expects
``<1y, 1-3y, 3-5y, 5y+``. :func:`category_order` sorts labels that all hold a number by that
number ("under"/"<" just below it, "+"/"over" just above), other labels naturally (``Team 2``
before ``Team 10``); an order given by the caller wins, and labels it does not name follow.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

import pandas as pd

__all__ = ["category_order", "order_by"]

_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)")
_BELOW = re.compile(r"^\s*(<|under\b|less than\b|below\b|up to\b)", re.IGNORECASE)
_ABOVE = re.compile(r"(\+\s*$|^\s*(>|over\b|more than\b|above\b))", re.IGNORECASE)


def _range_key(text: str) -> tuple[float, int] | None:
    m = _NUMBER.search(text)
    if not m:
        return None
    value = float(m.group(1).replace(",", "."))
    shift = -1 if _BELOW.search(text) else (1 if _ABOVE.search(text) else 0)
    return value, shift


def _natural(text: str) -> tuple:
    parts = re.split(r"(\d+)", text.lower())
    return tuple((0, int(p), "") if i % 2 else (1, 0, p) for i, p in enumerate(parts))


def category_order(values: Any, order: Sequence[Any] = ()) -> list:
    """The distinct values of ``values`` in reading order.

    Examples
    --------
    >>> category_order(["1-3y", "3-5y", "5y+", "<1y"])
    ['<1y', '1-3y', '3-5y', '5y+']
    >>> category_order(["SMB", "Enterprise", "Mid-market"], order=["Enterprise"])
    ['Enterprise', 'Mid-market', 'SMB']
    """
    distinct = list(pd.unique(pd.Series(list(values), dtype=object).dropna()))
    given = [v for v in order if v in distinct]
    rest = [v for v in distinct if v not in given]
    keys = [_range_key(str(v)) for v in rest]
    if rest and all(k is not None for k in keys):
        rest = [v for _, v in sorted(zip(keys, rest), key=lambda kv: (kv[0], _natural(str(kv[1]))))]
    else:
        rest = sorted(rest, key=lambda v: _natural(str(v)))
    return given + rest


def order_by(frame: pd.DataFrame, column: str, order: Sequence[Any] = ()) -> pd.DataFrame:
    """``frame`` with its rows in the reading order of ``column`` (:func:`category_order`)."""
    if not column or column not in frame.columns or frame.empty:
        return frame
    ranks = {v: i for i, v in enumerate(category_order(frame[column], order))}
    key = frame[column].map(lambda v: ranks.get(v, len(ranks)))
    return frame.assign(_rank=key.to_numpy()).sort_values("_rank", kind="stable").drop(
        columns="_rank").reset_index(drop=True)
