"""Reading the responses of one or more waves: one file with a wave column, or a file per wave."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from nps_kit.errors import ParameterError

# ------------------------------------------------------------------------------ loading
@dataclass(frozen=True)
class LoadedWaves:
    """Responses of one or more files, with the report of every dropped row.

    Attributes
    ----------
    data : DataFrame
        Kept rows of all files, with the wave column (the file name's stem for files without
        one); the index holds the row numbers in each file.
    report : DataFrame
        Dropped rows: file, row, column, value, reason.
    files : tuple of str
    rows_read, rows_kept, rows_dropped : int
    """

    data: pd.DataFrame = field(repr=False)
    report: pd.DataFrame = field(repr=False)
    files: tuple
    rows_read: int
    rows_kept: int
    rows_dropped: int

    @property
    def summary(self) -> pd.DataFrame:
        """One-row account of the load (all files together)."""
        return pd.DataFrame([{"files": ", ".join(self.files), "rows_read": self.rows_read,
                              "rows_kept": self.rows_kept, "rows_dropped": self.rows_dropped}])

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def read_waves(
    files: str | Sequence[str],
    score: str,
    wave: str,
    id: str | None = None,
    columns: Sequence[str] | None = None,
    errors: str = "raise",
    date: str | None = None,
    period: str = "month",
) -> LoadedWaves:
    """Read responses from one file with a wave column, or from one file per wave.

    Parameters
    ----------
    files : str or list of str
        One path, several paths separated by ``;``, or a list. ``demo:<name>`` works too.
    score, wave : str
        Score and wave columns. A file without the wave column is one wave named after the
        file (its stem, e.g. ``2024-H1`` for ``2024-H1.csv``).
    id : str, optional
        Respondent id column (unique within a wave; checked per file by
        :func:`nps_kit.read_responses` and across files by :func:`wave_changes`).
    columns : list of str, optional
        Further columns that must exist (segment, channel).
    errors : {"raise", "drop"}
        As in :func:`nps_kit.read_responses`.
    date, period : str, optional
        A date column rolled up to week, month or quarter (:mod:`nps_kit.core.periods`); the
        period labels then fill the column named ``wave``.

    Returns
    -------
    LoadedWaves
    """
    from nps_kit.engines.dispatch import read_responses, read_table
    from nps_kit.data.paths import resolve_path

    paths = [p.strip() for p in files.split(";")] if isinstance(files, str) else [str(p) for p in files]
    paths = [p for p in paths if p]
    if not paths:
        raise ParameterError("give at least one responses file")
    parts, reports, read, kept = [], [], 0, 0
    for path in paths:
        if date:
            loaded = read_responses(path, score, id=id, errors=errors, columns=list(columns or []),
                                    date=date, period=period)
            data = loaded.data.drop(columns=[wave], errors="ignore").rename(columns={loaded.wave: wave})
            parts.append(data)
            reports.append(loaded.report)
            read += loaded.rows_read
            kept += loaded.rows_kept
            continue
        has_wave = len(paths) == 1 or wave in read_table(path).columns
        loaded = read_responses(path, score, id=id, wave=wave if has_wave else None,
                                errors=errors, columns=list(columns or []))
        data = loaded.data
        if not has_wave:
            data = data.assign(**{wave: resolve_path(path).stem})
        parts.append(data)
        reports.append(loaded.report)
        read += loaded.rows_read
        kept += loaded.rows_kept
    data = pd.concat(parts) if len(parts) > 1 else parts[0]
    report = pd.concat(reports, ignore_index=True) if len(reports) > 1 else reports[0]
    return LoadedWaves(data=data, report=report, files=tuple(paths), rows_read=read,
                       rows_kept=kept, rows_dropped=read - kept)




__all__ = ["LoadedWaves", "read_waves"]
