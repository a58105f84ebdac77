"""Periods from dates: a timestamp column rolled up to week, month or quarter, as dashboards do.

Labels sort in time order as text and as waves (:mod:`nps_kit.core.waveorder`):

- ``week``: ISO 8601 week, ``2025-W07`` (the ISO year: 29 Dec 2025 is in ``2026-W01``);
- ``month``: ``2025-11``;
- ``quarter``: ``2025-Q4``.

Every command and template that reads responses accepts a date column and a period
(``--date-column``, ``--period``; template parameters ``date_column``, ``period``); the period
label then takes the place of the wave column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from nps_kit.errors import DataError, ParameterError

__all__ = ["PERIODS", "PERIOD_COLUMN", "PeriodColumn", "add_period_column", "period_labels",
           "period_range"]

PERIODS: tuple[str, ...] = ("week", "month", "quarter")
"""The roll-ups offered."""

PERIOD_COLUMN = "period"
"""Name of the added column (``period_2`` and so on when the data has a ``period`` column)."""


def _check_period(period: str) -> str:
    text = str(period).strip().lower()
    if text not in PERIODS:
        raise ParameterError(f"period {period!r} is not one of: {', '.join(PERIODS)}; give the "
                             "roll-up of the date column (for example --period month)")
    return text


def _parse(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        out = values
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_convert("UTC").dt.tz_localize(None)
        return out
    text = values.astype("string").str.strip()
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=True)
    missing = parsed.isna() & text.notna() & (text != "")
    if missing.any():  # day-first or other common layouts
        again = pd.to_datetime(text[missing], errors="coerce", format="mixed", dayfirst=False,
                               utc=True)
        parsed = parsed.where(~missing, again)
    return parsed.dt.tz_convert("UTC").dt.tz_localize(None)


def period_labels(dates: pd.Series, period: str) -> pd.Series:
    """The period label of each date (missing where the date is blank or not a date).

    Parameters
    ----------
    dates : Series
        Datetimes, or text in ISO 8601 (``2025-11-03``, ``2025-11-03T10:15:00Z``) or another
        common layout.
    period : {"week", "month", "quarter"}

    Examples
    --------
    >>> period_labels(pd.Series(["2025-12-29", "2025-11-03", None]), "week").tolist()
    ['2026-W01', '2025-W45', <NA>]
    >>> period_labels(pd.Series(["2025-11-03"]), "quarter").tolist()
    ['2025-Q4']
    """
    period = _check_period(period)
    parsed = _parse(pd.Series(dates).reset_index(drop=True))
    ok = parsed.notna().to_numpy()
    out = pd.Series(pd.NA, index=range(len(parsed)), dtype="string")
    if ok.any():
        d = parsed[ok]
        if period == "month":
            labels = d.dt.strftime("%Y-%m")
        elif period == "quarter":
            labels = d.dt.year.astype(str) + "-Q" + d.dt.quarter.astype(str)
        else:
            iso = d.dt.isocalendar()
            labels = iso["year"].astype(str) + "-W" + iso["week"].astype(int).map("{:02d}".format)
        out[ok] = labels.to_numpy()
    out.index = pd.Series(dates).index
    return out


def period_range(dates: pd.Series) -> tuple[str, str] | None:
    """(first day, last day) of the dates present, as ``YYYY-MM-DD``; None without dates."""
    parsed = _parse(pd.Series(dates)).dropna()
    if parsed.empty:
        return None
    return parsed.min().strftime("%Y-%m-%d"), parsed.max().strftime("%Y-%m-%d")


@dataclass(frozen=True)
class PeriodColumn:
    """The responses with a period column, and the rows whose date could not be read.

    Attributes
    ----------
    data : DataFrame
        Rows with a readable date, with the added column.
    column : str
        Name of the added column.
    dropped : DataFrame
        ``row`` (1-based data row), ``column``, ``value``, ``reason`` of the rows left out.
    """

    data: pd.DataFrame
    column: str
    dropped: pd.DataFrame


def add_period_column(data: pd.DataFrame, date: str, period: str, *, file: str = "the responses",
                      errors: str = "raise", rows: np.ndarray | None = None) -> PeriodColumn:
    """Add the period label of ``date`` as a column (the wave of every later step).

    Parameters
    ----------
    data : DataFrame
    date : str
        Date or timestamp column.
    period : {"week", "month", "quarter"}
    file : str
        Name of the source, for messages.
    errors : {"raise", "drop"}
        A blank or unreadable date stops with a message naming the rows, or the row is left
        out and listed in ``dropped``.
    rows : array, optional
        The data-row numbers of ``data`` (default: 1..n).

    Raises
    ------
    DataError
        The column is missing, or (``errors="raise"``) dates cannot be read.
    """
    period = _check_period(period)
    if date not in data.columns:
        raise DataError(f"{file} has no date column {date!r}; its columns are: "
                        f"{', '.join(map(str, data.columns[:20]))}. Name the date column with "
                        "--date-column (template parameter date_column).")
    labels = period_labels(data[date], period)
    bad = labels.isna().to_numpy()
    numbers = np.asarray(rows) if rows is not None else np.arange(1, len(data) + 1)
    dropped = pd.DataFrame({"row": numbers[bad], "column": date,
                            "value": data[date].astype(object).to_numpy()[bad],
                            "reason": "date blank or not a date"})
    if bad.any() and errors == "raise":
        shown = ", ".join(f"row {r} ({v!r})" for r, v in zip(dropped["row"][:5], dropped["value"][:5]))
        raise DataError(f"{file}, column {date!r}: {int(bad.sum())} row(s) without a readable date: "
                        f"{shown}{' ...' if bad.sum() > 5 else ''}. Write dates as YYYY-MM-DD, or "
                        "pass --errors drop to leave those rows out (they are listed).")
    name = PERIOD_COLUMN
    while name in data.columns:
        name = f"{name}_2" if not name[-1].isdigit() else f"{name[:-1]}{int(name[-1]) + 1}"
    out = data.loc[~bad].copy()
    out[name] = labels[~bad].astype(str).to_numpy()
    return PeriodColumn(out, name, dropped)
