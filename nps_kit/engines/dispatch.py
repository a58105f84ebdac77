"""The one conductor: a source enters here once, and pandas or an engine reads and counts it.

- :func:`read_table` and :func:`read_responses`: a file goes to the pandas readers of
  :mod:`nps_kit.data.files`; a dataset (a Parquet folder, a glob, ``duckdb:FILE:TABLE``) is read
  in DuckDB (:mod:`nps_kit.engines.sources`), where the strict rules run file by file and only
  the kept rows (or, for counting, the counts) come back.
- :func:`summarize`: a DataFrame or a table of counts goes to :func:`nps_kit.core.summary.summarize`;
  an Ibis table or DuckDB relation is counted where it lives first
  (:func:`nps_kit.engines.reading.engine_counts`).

Ibis and DuckDB are imported only when a dataset or an engine table comes in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from nps_kit.core.summary import summarize as summarize_frame
from nps_kit.data.files import LoadedResponses, read_file, read_file_responses
from nps_kit.core.columns import require_columns
from nps_kit.data.paths import is_dataset
from nps_kit.core.columns import as_columns


def read_table(path: str | Path, sheet: str | int | None = None, export: str = "auto",
               encoding: str | None = None,
               needed: Sequence[str] | None = None) -> pd.DataFrame:
    """Read a file (CSV, TSV, Excel, Parquet, ``demo:<name>``) or a dataset into a DataFrame.

    A file: :func:`nps_kit.data.files.read_file` (same parameters). A Parquet folder, a glob or
    a ``duckdb:FILE:TABLE``: read through DuckDB, all columns.
    """
    if is_dataset(path):
        from nps_kit.engines.sources import open_source

        src = open_source(str(path))
        return src.run(src.table)
    return read_file(path, sheet=sheet, export=export, encoding=encoding, needed=needed)


def read_responses(
    path: str | Path,
    score: str,
    id: str | None = None,
    wave: str | None = None,
    errors: str = "raise",
    *,
    columns: list[str] | None = None,
    optional_columns: Sequence[str] = (),
    check_scale: bool = True,
    sheet: str | int | None = None,
    id_fallbacks: Sequence[str] = (),
    id_optional: bool = False,
    wave_optional: bool = False,
    export: str = "auto",
    encoding: str | None = None,
    date: str | None = None,
    period: str = "month",
) -> LoadedResponses:
    """Read a responses file or dataset and validate its 0-10 scores.

    The parameters and the rules are those of :func:`nps_kit.data.files.read_file_responses`
    (every row read is kept or listed as dropped with its reason). A dataset (a Parquet folder,
    a glob, ``duckdb:FILE:TABLE``) is checked and numbered in DuckDB, file by file
    (:func:`nps_kit.engines.reading.read_source`), and the kept rows come back.

    Examples
    --------
    >>> loaded = read_responses("demo:responses.csv", score="score", id="respondent_id",
    ...                         wave="wave")
    >>> loaded.rows_read == loaded.rows_kept + loaded.rows_dropped
    True
    """
    if not is_dataset(path):
        return read_file_responses(
            path, score, id, wave, errors, columns=columns, optional_columns=optional_columns,
            check_scale=check_scale, sheet=sheet, id_fallbacks=id_fallbacks,
            id_optional=id_optional, wave_optional=wave_optional, export=export,
            encoding=encoding, date=date, period=period)
    if date:
        from nps_kit.errors import ParameterError

        raise ParameterError(
            f"{path} is read through DuckDB, where dates are not rolled up to periods yet: add a "
            "period column to the source and name it as the wave column, or use `nps-kit series`, "
            "which rolls up the dates of any source")
    from nps_kit.engines.reading import engine_note, read_source
    from nps_kit.engines.sources import open_source

    label = str(path)
    available = list(open_source(label).table.columns)
    require_columns(pd.DataFrame(columns=available), [*(columns or [])], label)
    engine = read_source(label, score, id=id, wave=wave, errors=errors, check_scale=check_scale,
                         id_fallbacks=id_fallbacks, id_optional=id_optional,
                         wave_optional=wave_optional)
    absent = tuple(f"{label} has no column {c!r}: the parts that use it are left out (name "
                   "another column to change this)" for c in optional_columns if c and c not in available)
    loaded = engine.to_loaded()
    why = "a folder, glob or duckdb: table is read through DuckDB"
    return replace(loaded, notes=(engine_note(engine, why), *loaded.notes, *absent))


def summarize(data, score: str | None = None, by: str | Sequence[str] | None = None,
              method: str = "adjusted-wald", confidence: float = 0.95,
              nonresponse: str = "exclude", *, seed: int | None = 0, n_resamples: int = 10_000,
              prior: float = 0.5, population=None, weights: str | None = None,
              strata: str | None = None) -> pd.DataFrame:
    """NPS with intervals per group, from rows, counts or an engine table.

    ``data``: a DataFrame of responses or of counts, an Ibis table or a DuckDB relation (counted
    where it lives), or :class:`nps_kit.engines.reading.SourceResponses`. Everything else is
    :func:`nps_kit.core.summary.summarize`, with the same parameters and columns.

    Examples
    --------
    >>> summarize(pd.DataFrame({"score": [10, 9, 3, 7]}), "score", method="wald")["nps"].item()
    25.0
    """
    if not isinstance(data, pd.DataFrame):  # an engine table: counted where it lives
        from nps_kit.engines.reading import engine_counts

        if weights is not None:
            from nps_kit.errors import ParameterError

            raise ParameterError("weights need every answer's weight: read the responses with "
                                 "pandas (engine 'pandas') to weight them")
        by_list = as_columns(by)
        data, score = engine_counts(data, score, by_list), None
    return summarize_frame(data, score, by=by, method=method, confidence=confidence,
                           nonresponse=nonresponse, seed=seed, n_resamples=n_resamples,
                           prior=prior, population=population, weights=weights, strata=strata)


__all__ = ["read_responses", "read_table", "summarize"]
