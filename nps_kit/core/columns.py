"""Column names given by a caller: one normalisation, one check.

:func:`as_columns` turns the ``by`` argument every grouping function takes (a name, a list of
names, or None) into a list; :func:`require_columns` raises a DataError naming the table, the
missing columns and the columns there are, and says what to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from nps_kit.errors import DataError


def as_columns(by: str | Iterable[str] | None) -> list[str]:
    """``"segment"`` -> ``["segment"]``; a list or tuple -> a list; None -> ``[]``.

    Examples
    --------
    >>> as_columns("segment"), as_columns(("wave", "segment")), as_columns(None)
    (['segment'], ['wave', 'segment'], [])
    """
    return [by] if isinstance(by, str) else list(by or [])


def require_columns(frame: pd.DataFrame, columns: Iterable[str | None], file: str | Path = "data",
                    what: str = "column") -> None:
    """Raise a DataError naming ``file``, the missing columns and the columns the table has.

    ``None`` entries (optional columns not given) are skipped.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"score": [9]}), ["score", None])
    """
    if not hasattr(frame, "columns"):  # a DataFrame, or an engine table with named columns
        raise DataError(f"{file}: expected a table, got {type(frame).__name__}")
    missing = [c for c in columns if c is not None and c not in frame.columns]
    if missing:
        raise DataError(
            f"{file}: {what}(s) {', '.join(repr(c) for c in missing)} not found; "
            f"the table has columns: {', '.join(repr(c) for c in frame.columns)}. "
            "Name the right columns."
        )


__all__ = ["as_columns", "require_columns"]
