"""Results as plain JSON: what a template records, a command prints and a report stores."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
from typing import Any


def to_jsonable(value: Any) -> Any:
    """Convert ``value`` to plain JSON types (dict, list, str, int, float, bool, None).

    DataFrames become a list of records (one dict per row, index dropped unless named), Series
    and mappings become dicts, numpy scalars and arrays become Python numbers and lists, dates
    become ISO strings, frozen dataclasses become dicts of their fields, and NaN / infinities /
    ``pd.NA`` become ``None`` so the result is strict JSON.
    """
    # numpy and pandas only when a value needs them: the CLI's start stays cheap
    import numpy as np
    import pandas as pd

    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, pd.DataFrame):
        frame = value
        if any(name is not None for name in frame.index.names):
            frame = frame.reset_index()
        frame = frame.astype(object).where(frame.notna(), None)
        return [
            {str(k): to_jsonable(v) for k, v in row.items()}
            for row in frame.to_dict(orient="records")
        ]
    if isinstance(value, pd.Series):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return [to_jsonable(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [to_jsonable(v) for v in items]
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if value is pd.NA or value is pd.NaT:
        return None
    raise TypeError(
        f"cannot record a value of type {type(value).__name__}; record numbers, strings, lists, "
        "dicts, DataFrames or Series"
    )


__all__ = ["to_jsonable"]
