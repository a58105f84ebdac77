"""Where a source is: demo files, user paths, and whether a path is one file or a dataset.

A path written ``demo:<file>`` names a file of the bundled synthetic demo data. A dataset is read
through an engine (:mod:`nps_kit.engines`): a folder of Parquet files, a glob, or
``duckdb:FILE:TABLE``. Nothing here reads a file.
"""

from __future__ import annotations

from pathlib import Path

from nps_kit.data.bundled import bundled_folder
from nps_kit.errors import DataError

DEMO_PREFIX = "demo:"
"""Prefix of a bundled demo file: ``demo:responses.csv``."""

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
    (:func:`nps_kit.engines.sources.open_source`)."""
    text = str(path)
    if text.startswith(DUCKDB_PREFIX) or is_glob(text):
        return True
    return not text.startswith("demo:") and Path(text).expanduser().is_dir()


def demo_files() -> list[str]:
    """Names of the bundled demo data files."""
    root = bundled_folder("demo_data")
    return sorted(p.name for p in root.iterdir() if p.name.endswith((".csv", ".yaml")))


def resolve_path(path: str | Path) -> Path:
    """Turn a user's path into an absolute path.

    ``demo:<name>`` resolves to the bundled demo file of that name; other relative paths resolve
    against the current working directory.

    Examples
    --------
    >>> resolve_path("demo:responses.csv").name
    'responses.csv'
    """
    text = str(path)
    if text.startswith(DEMO_PREFIX):
        name = text[len(DEMO_PREFIX):]
        target = bundled_folder("demo_data") / name
        if not target.is_file():
            raise DataError(
                f"there is no demo file {name!r}; the demo files are: {', '.join(demo_files())}"
            )
        return Path(str(target))
    try:
        return Path(text).expanduser().resolve()
    except (RuntimeError, OSError):  # a loop of links
        raise DataError(f"{text}: a link that leads back to itself (a loop of links); give the "
                        "file itself") from None


__all__ = ["CSV_SUFFIXES", "DEMO_PREFIX", "DUCKDB_PREFIX", "EXCEL_SUFFIXES", "PARQUET_SUFFIXES",
           "demo_files", "is_dataset", "is_glob", "resolve_path"]
