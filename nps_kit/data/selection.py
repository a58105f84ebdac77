"""Choosing the slice of responses a one-wave report is about."""

from __future__ import annotations

import pandas as pd

from nps_kit.errors import DataError

LATEST = "latest"


def select_wave(data: pd.DataFrame, wave: str = LATEST, column: str | None = "wave",
                file: str = "the responses") -> tuple[pd.DataFrame, str]:
    """Rows of one survey wave, and the wave's label.

    Parameters
    ----------
    data : DataFrame
        Responses with a wave column.
    wave : str
        A wave label as written in the file (``"2025-H2"``), or ``"latest"`` for the last label
        in sorted order (labels such as ``2024-H1`` or ``2025-03`` sort chronologically).
    column : str or None
        Wave column; ``None`` or ``""`` when the file holds one wave (all rows are kept and the
        label is ``"all"``).
    file : str
        Name of the data source, for error messages.

    Returns
    -------
    (DataFrame, str)
        The wave's rows (rows without a wave label belong to no wave) and its label.

    Raises
    ------
    DataError
        If the wave does not occur in the data; the message lists the waves that do.

    Examples
    --------
    >>> df = pd.DataFrame({"wave": ["2024-H2", "2025-H1", "2025-H1"], "score": [9, 3, 10]})
    >>> rows, label = select_wave(df)
    >>> label, len(rows)
    ('2025-H1', 2)
    """
    if not column:
        return data, "all"
    if column not in data.columns:
        raise DataError(f"{file}: no wave column {column!r}; the columns are: "
                        + ", ".join(repr(c) for c in data.columns))
    labels = data[column].astype("string")
    waves = sorted(labels.dropna().unique())
    if not waves:
        raise DataError(f"{file}: column {column!r} has no wave labels; fill it or pass wave_column=''")
    label = waves[-1] if wave == LATEST else str(wave)
    if label not in waves:
        raise DataError(
            f"{file}: wave {label!r} does not occur in column {column!r}; the waves are: "
            + ", ".join(waves) + f" (or use {LATEST!r})"
        )
    return data.loc[(labels == label).fillna(False).to_numpy()], label


__all__ = ["LATEST", "select_wave"]
