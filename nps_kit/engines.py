"""Which engine counts a source: pandas in memory, or DuckDB where the rows lie.

Kept apart from :mod:`nps_kit.sources` so that choosing costs no import of Ibis or DuckDB (the
command line asks on every run).
"""

from __future__ import annotations

from pathlib import Path

from nps_kit.errors import check_option

ENGINES: tuple[str, ...] = ("auto", "pandas", "duckdb")
"""Values of ``--engine``."""
AUTO_DUCKDB_BYTES = 100 * 2**20
"""``--engine auto`` counts a file of this size (100 MiB) or more in DuckDB, a smaller one in
pandas (which needs several times a CSV's size in memory)."""
DUCKDB_PREFIX = "duckdb:"
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
PARQUET_SUFFIXES = (".parquet", ".pq")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def is_glob(text: str) -> bool:
    """Whether ``text`` is a glob pattern rather than the name of an existing file."""
    return any(ch in text for ch in "*?[") and not Path(text).expanduser().exists()


def is_dataset(path) -> bool:
    """Whether ``path`` names a dataset rather than one file: a folder of Parquet files (hive
    partitions too), a glob, or ``duckdb:FILE:TABLE``; such sources are read through DuckDB
    (:func:`nps_kit.sources.open_source`)."""
    text = str(path)
    if text.startswith(DUCKDB_PREFIX) or is_glob(text):
        return True
    return not text.startswith("demo:") and Path(text).expanduser().is_dir()


def choose_engine(path: str, engine: str = "auto") -> tuple[str, str]:
    """The engine the CLI uses for a file, and the sentence saying why.

    ``auto`` picks DuckDB for a Parquet glob, a Parquet folder, a ``duckdb:`` table, or a file of
    :data:`AUTO_DUCKDB_BYTES` (100 MiB) or more; pandas otherwise (and always for Excel).
    """
    check_option("engine", engine, ENGINES)
    if engine != "auto":
        return engine, f"--engine {engine}"
    text = str(path)
    if text.startswith(DUCKDB_PREFIX):
        return "duckdb", "a duckdb: table is counted where it is"
    from nps_kit.io import resolve_path

    if is_glob(text):
        return "duckdb", "a glob of files is read as one table by DuckDB"

    p = resolve_path(text)
    if p.is_dir():
        return "duckdb", "a folder is read as one Parquet dataset by DuckDB"
    if not p.is_file() or p.suffix.lower() in EXCEL_SUFFIXES:
        return "pandas", "--engine auto"
    size = p.stat().st_size
    mib = size / 2**20
    if size >= AUTO_DUCKDB_BYTES:
        return "duckdb", f"the file is {mib:,.0f} MiB, at least the {AUTO_DUCKDB_BYTES // 2**20} MiB " \
                         "from which --engine auto counts in DuckDB"
    return "pandas", f"the file is {mib:,.1f} MiB, under the {AUTO_DUCKDB_BYTES // 2**20} MiB from " \
                     "which --engine auto counts in DuckDB"
