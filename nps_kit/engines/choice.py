"""Which engine counts a source: pandas in memory, or DuckDB where the rows lie.

Kept apart from :mod:`nps_kit.engines.sources` so that choosing costs no import of Ibis or DuckDB (the
command line asks on every run).
"""

from __future__ import annotations

from pathlib import Path

from nps_kit.data.paths import CSV_SUFFIXES, DUCKDB_PREFIX, PARQUET_SUFFIXES, is_glob, resolve_path
from nps_kit.errors import check_option

ENGINES: tuple[str, ...] = ("auto", "pandas", "duckdb")
"""Values of ``--engine``."""
AUTO_DUCKDB_ROWS = 1_000_000
"""``--engine auto`` counts a file of this many rows or more in DuckDB, a smaller one in pandas
(which holds every row in memory, several times the file's size)."""

_SAMPLE_BYTES = 256 * 2**10


def estimated_rows(path: Path) -> tuple[int, str]:
    """Rows of a file without reading it: a Parquet file's metadata (exact), or a CSV's size over
    the mean length of its first lines (an estimate). Returns (rows, "exactly" or "about")."""
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows), "exactly"
    size = path.stat().st_size
    with open(path, "rb") as handle:
        sample = handle.read(_SAMPLE_BYTES)
    lines = sample.count(b"\n")
    if size <= len(sample):
        return max(lines - 1, 0), "exactly"
    per_line = len(sample) / max(lines, 1)
    return int(size / per_line), "about"


def choose_engine(path: str, engine: str = "auto") -> tuple[str, str]:
    """The engine the CLI uses for a source, and the sentence saying why.

    ``auto`` picks DuckDB for a Parquet glob, a Parquet folder, a ``duckdb:`` table, or a file of
    :data:`AUTO_DUCKDB_ROWS` rows or more (Parquet: from its metadata; CSV: estimated from its
    size and first lines); pandas otherwise (and always for Excel). Rows, not bytes, decide: a
    50-million-row Parquet file of 90 MiB is counted in DuckDB.
    """
    check_option("engine", engine, ENGINES)
    if engine != "auto":
        return engine, f"--engine {engine}"
    text = str(path)
    if text.startswith(DUCKDB_PREFIX):
        return "duckdb", "a duckdb: table is counted where it is"
    if is_glob(text):
        return "duckdb", "a glob of files is read as one table by DuckDB"
    p = resolve_path(text)
    if p.is_dir():
        return "duckdb", "a folder is read as one Parquet dataset by DuckDB"
    if not p.is_file() or p.suffix.lower() not in (*CSV_SUFFIXES, *PARQUET_SUFFIXES):
        return "pandas", "--engine auto"
    try:
        rows, how = estimated_rows(p)
    except (OSError, ValueError):  # unreadable here: the reader says why
        return "pandas", "--engine auto"
    limit = f"{AUTO_DUCKDB_ROWS:,} rows"
    if rows >= AUTO_DUCKDB_ROWS:
        return "duckdb", f"the file has {how} {rows:,} rows, at least the {limit} from which " \
                         "--engine auto counts in DuckDB"
    return "pandas", f"the file has {how} {rows:,} rows, under the {limit} from which --engine " \
                     "auto counts in DuckDB"


__all__ = ["AUTO_DUCKDB_ROWS", "ENGINES", "choose_engine", "estimated_rows"]
