"""Opening a source of responses in an engine (reading it strictly: :mod:`nps_kit.engines.reading`).

:func:`open_source` turns any of these into an Ibis table plus a description of where the rows
live (:class:`Source`):

==============================  ================================================================
``pandas.DataFrame``            counted by the embedded DuckDB
Ibis table                      counted by its own backend (DuckDB, PySpark, Postgres, BigQuery,
                                Snowflake, ...)
DuckDB relation                 counted by its own DuckDB connection
``"survey.csv"`` / ``.tsv``     read by DuckDB's CSV reader (``.txt``: delimiter detected)
``"survey.parquet"``            read by DuckDB's Parquet reader
``"exports/*.parquet"``         a glob of Parquet (or CSV) files, read as one table
``"exports/"``                  a folder of Parquet files, hive partitions (``wave=2024-H1/``)
                                becoming columns
``"duckdb:PATH.duckdb:TABLE"``  a table or view of a DuckDB database file, opened read-only;
                                ``TABLE`` may be ``schema.table``; the last ``:`` separates
                                the file from the table
``"survey.xlsx"``               read by pandas (DuckDB has no Excel reader here), then counted
                                by DuckDB
==============================  ================================================================

:func:`read_source` applies the strict rules of :func:`nps_kit.read_responses` in the engine
and returns :class:`SourceResponses`: the counts, the dropped-row report, rows read = kept +
dropped, and the provenance (engine, the counting query's SQL, row counts).

Row numbers in reports are the ones a person sees, as in :mod:`nps_kit.data.files`: a CSV's header is
row 1 (first record row 2), a Parquet file's first record is row 1, both in file order (DuckDB
numbers Parquet rows with ``file_row_number`` and CSV rows with ``row_number() OVER ()`` over
the scan, which keeps file order); a DuckDB table's rows are ``rowid + 1``. Other engines (Spark,
SQL warehouses) hold unordered tables: there the report names the values, ids and waves but no
row numbers, and says so.
"""

from __future__ import annotations

import glob as globlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from nps_kit.data.paths import (CSV_SUFFIXES, DUCKDB_PREFIX, EXCEL_SUFFIXES, PARQUET_SUFFIXES,
                                is_glob)
from nps_kit.errors import DataError

ROW = "__nps_row"
"""Column of the row number (as a person sees it) in a numbered source table."""
FILE = "__nps_file"
"""Column of the file name in a numbered multi-file source table."""
FULL_SNIFF_BYTES = 64 * 2**20
"""CSV files below this size have their column types detected from every row (DuckDB
``sample_size=-1``); larger ones from a sample, re-read with every row if a later value does not
fit the sampled type."""
REPORT_LIMIT = 10_000
"""Dropped rows listed one by one in a report; every one is counted."""

# pandas.read_csv's default missing-value markers, so DuckDB reads the same cells as missing
PANDAS_NA = ("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
             "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null")
_SHOWN = 5
_MEMTABLE = "ibis_pandas_memtable"  # prefix of the generated names of ibis.memtable tables


def _quote(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _ident(text: str) -> str:
    return '"' + str(text).replace('"', '""') + '"'


@dataclass(frozen=True)
class Source:
    """Rows of responses in an engine, and where they come from.

    Attributes
    ----------
    table : ibis Table
        The rows, with the source's own columns.
    numbered : ibis Table or None
        The same rows with :data:`ROW` (row number as a person sees it) and, for several files,
        :data:`FILE`; None when the engine cannot number rows.
    label : str
        The source as given, for messages.
    kind : str
        "dataframe", "ibis", "duckdb-relation", "csv", "parquet", "parquet-glob", "csv-glob",
        "hive-folder", "duckdb-table" or "excel".
    engine : str
        Engine and version ("duckdb 1.5.6", "pyspark 4.0.5").
    files : tuple of str
    row_numbers : str
        How rows are numbered in reports (or why they are not).
    """

    table: ir.Table = field(repr=False)
    numbered: ir.Table | None = field(repr=False)
    label: str
    kind: str
    engine: str
    files: tuple[str, ...] = ()
    row_numbers: str = ""
    backend: Any = field(default=None, repr=False)
    relation: Any = field(default=None, repr=False)
    relation_name: str = ""
    reopen: Callable[[], "Source"] | None = field(default=None, repr=False)

    def run(self, expr: ir.Expr) -> pd.DataFrame:
        """Run an expression over this source's table and return the (small) result.

        DuckDB's errors while reading the rows (a file it cannot decode, for instance) become a
        DataError naming the source; a type conversion error of a sampled CSV is left to
        :func:`read_source`, which reads the file again with every row typed.
        """
        try:
            if self.relation is not None:
                return self.relation.query(self.relation_name,
                                           str(ibis.to_sql(expr, dialect="duckdb"))).df()
            if self.backend is not None:
                return self.backend.execute(expr)
            return expr.to_pandas()
        except Exception as exc:  # noqa: BLE001 - only DuckDB's own errors are translated
            if not type(exc).__module__.lstrip("_").startswith("duckdb"):
                raise
            if type(exc).__name__ == "ConversionException" and self.reopen is not None:
                raise
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise DataError(f"{self.label}: DuckDB could not read the rows: {first}") from None

    def sql(self, expr: ir.Expr) -> str:
        """The SQL the engine runs for ``expr`` (in-memory tables' generated names as ``memtable``)."""
        if self.relation is not None:
            text = str(ibis.to_sql(expr, dialect="duckdb"))
        elif self.backend is not None:
            text = str(ibis.to_sql(expr, dialect=self.backend.name))
        else:
            text = str(ibis.to_sql(expr))
        return re.sub(_MEMTABLE + r"_[a-z0-9]+", "memtable", text)

    def rows_where(self, predicate: Callable[[ir.Table], ir.BooleanColumn], limit: int = 5) -> list[int]:
        """Row numbers of the first rows meeting ``predicate`` (empty without row numbers)."""
        if self.numbered is None:
            return []
        t = self.numbered
        got = self.run(t.filter(predicate(t)).select(ROW).order_by(ROW).limit(limit))
        return [int(r) for r in got[ROW]]

    @property
    def columns(self) -> list[str]:
        return list(self.table.columns)


# --------------------------------------------------------------------------------- opening
_LOCAL: list = []


def _local_duckdb():
    """The embedded DuckDB connection (through Ibis) that counts DataFrames and Excel sheets."""
    if not _LOCAL:
        _LOCAL.append(ibis.duckdb.connect())
    return _LOCAL[0]


def _engine_name(backend) -> str:
    try:
        return f"{backend.name} {backend.version}"
    except Exception:  # noqa: BLE001 - a backend without a version string still has a name
        return str(getattr(backend, "name", "ibis"))


def _arrow_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns Arrow can hold: categoricals as their values, mixed object columns as text."""
    import pyarrow as pa

    out = {}
    for col in frame.columns:
        s = frame[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        if s.dtype == object:
            try:
                pa.array(s.to_numpy(dtype=object), from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                s = s.map(lambda v: v if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
        out[str(col)] = s.to_numpy() if not isinstance(s.dtype, pd.api.extensions.ExtensionDtype) else s
    return pd.DataFrame(out, index=range(len(frame)))


def _from_frame(frame: pd.DataFrame, label: str, kind: str = "dataframe", files=(),
                first_row: int = 2) -> Source:
    if frame.index.name == "row" and pd.api.types.is_integer_dtype(frame.index.dtype):
        rows = frame.index.to_numpy(dtype=np.int64)
        how = "from the DataFrame's 'row' index"
    else:
        rows = np.arange(len(frame), dtype=np.int64) + first_row
        how = (f"by position, the first row {first_row}" if kind == "dataframe"
               else f"in file order (first record row {first_row})")
    if ROW in frame.columns:
        raise DataError(f"{label}: the column name {ROW!r} is reserved by nps-kit; rename it")
    safe = _arrow_safe(frame)
    safe[ROW] = rows
    numbered = ibis.memtable(safe)
    backend = _local_duckdb()
    return Source(table=numbered.drop(ROW), numbered=numbered, label=label, kind=kind,
                  engine=_engine_name(backend), files=tuple(files), row_numbers=how, backend=backend)


def _from_relation(rel, label: str) -> Source:
    from ibis.backends.sql.datatypes import DuckDBType

    name = "nps_relation"  # the virtual table of relation.query: scoped to each query
    schema = ibis.schema({c: DuckDBType.from_string(str(t)) for c, t in zip(rel.columns, rel.types)})
    import duckdb

    return Source(table=ibis.table(schema, name=name), numbered=None, label=label,
                  kind="duckdb-relation", engine=f"duckdb {duckdb.__version__}",
                  row_numbers="not given: a DuckDB relation has no row order of its own",
                  relation=rel, relation_name=name)


def _from_ibis(table: ir.Table, label: str) -> Source:
    try:
        backend = table._find_backend(use_default=True)
    except Exception:  # noqa: BLE001 - an unbound table: run on the embedded DuckDB
        backend = _local_duckdb()
    name = getattr(backend, "name", "ibis")
    return Source(table=table, numbered=None, label=label, kind="ibis", engine=_engine_name(backend),
                  row_numbers=f"not given: a {name} table has no row order, so rows are named by "
                              "their values, ids and waves", backend=backend)


def _strip_names(table: ir.Table) -> ir.Table:
    """Column names without surrounding spaces, as :func:`nps_kit.read_table` gives them."""
    renames = {c.strip(): c for c in table.columns if c != c.strip()}
    return table.rename(renames) if renames else table


def _csv_call(path_literal: str, suffix: str, full_sniff: bool, filename: bool) -> str:
    opts = ["header=true", "nullstr=[" + ", ".join(_quote(v) for v in PANDAS_NA) + "]",
            "auto_type_candidates=['BOOLEAN', 'BIGINT', 'DOUBLE', 'VARCHAR']"]
    if suffix == ".tsv":
        opts.append("delim='\\t'")
    elif suffix == ".csv":
        opts.append("delim=','")
    if full_sniff:
        opts.append("sample_size=-1")
    if filename:
        opts.append(f"filename={_quote(FILE)}")
    return f"read_csv({path_literal}, {', '.join(opts)})"


def _from_duckdb_sql(plain_sql: str, numbered_sql: str | None, label: str, kind: str, files,
                     how: str, con=None, reopen=None) -> Source:
    con = con or ibis.duckdb.connect()
    try:
        table = _strip_names(con.sql(plain_sql))
        numbered = _strip_names(con.sql(numbered_sql)) if numbered_sql else None
    except Exception as exc:  # noqa: BLE001 - DuckDB's reader errors become a DataError
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"{label}: cannot be read by DuckDB: {first}") from None
    return Source(table=table, numbered=numbered, label=label, kind=kind, engine=_engine_name(con),
                  files=tuple(files), row_numbers=how, backend=con, reopen=reopen)


def _open_csv(path: Path, label: str, full_sniff: bool | None = None) -> Source:
    if path.stat().st_size == 0:
        raise DataError(f"{label}: the file is empty; expected a header row and data rows")
    full = path.stat().st_size < FULL_SNIFF_BYTES if full_sniff is None else full_sniff
    lit = _quote(str(path))
    call = _csv_call(lit, path.suffix.lower(), full, False)
    return _from_duckdb_sql(
        f"SELECT * FROM {call}",
        f"SELECT *, row_number() OVER () + 1 AS {ROW} FROM {call}",
        label, "csv", [str(path)], "in file order (header row 1, first record row 2)",
        reopen=None if full else (lambda: _open_csv(path, label, full_sniff=True)))


def _parquet_sqls(target: str, hive: bool, several: bool) -> tuple[str, str]:
    extra = ", hive_partitioning=true" if hive else ""
    plain = f"SELECT * FROM read_parquet({_quote(target)}{extra})"
    fname = f", filename={_quote(FILE)}" if several else ""
    numbered = (f"SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS {ROW} FROM "
                f"read_parquet({_quote(target)}{extra}, file_row_number=true{fname})")
    return plain, numbered


def _open_path(text: str, sheet=None) -> Source:
    from nps_kit.data.files import read_file
    from nps_kit.data.paths import resolve_path

    if text.startswith(DUCKDB_PREFIX):
        return _open_duckdb_table(text)
    if is_glob(text):
        pattern = str(Path(text).expanduser())
        files = sorted(globlib.glob(pattern, recursive=True))
        if not files:
            raise DataError(f"{text}: no file matches this pattern; check the path")
        suffixes = {Path(f).suffix.lower() for f in files}
        if suffixes <= set(PARQUET_SUFFIXES):
            plain, numbered = _parquet_sqls(pattern, hive=False, several=True)
            return _from_duckdb_sql(plain, numbered, text, "parquet-glob", files,
                                    "in file order within each file (first record row 1)")
        if suffixes <= {".csv"}:
            call = _csv_call(_quote(pattern), ".csv", True, False)
            return _from_duckdb_sql(f"SELECT * FROM {call}", None, text, "csv-glob", files,
                                    "not given for a glob of CSV files (DuckDB reads them in "
                                    "parallel); rows are named by their values")
        raise DataError(f"{text}: the pattern matches files of types {sorted(suffixes)}; use one "
                        "type, .parquet or .csv")
    path = resolve_path(text)
    if not path.exists():
        raise DataError(f"{text}: file not found (looked for {path}); check the path")
    if path.is_dir():
        files = sorted(str(p) for p in path.rglob("*") if p.suffix.lower() in PARQUET_SUFFIXES)
        if not files:
            raise DataError(f"{text}: a folder without Parquet files; a folder source is a "
                            "(hive-partitioned) Parquet dataset such as exports/wave=2024-H1/part-0.parquet")
        target = str(path / "**" / "*.parquet") if all(f.endswith(".parquet") for f in files) \
            else str(path / "**" / "*")
        plain, numbered = _parquet_sqls(target, hive=True, several=True)
        return _from_duckdb_sql(plain, numbered, text, "hive-folder", files,
                                "in file order within each file (first record row 1)")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _open_csv(path, text)
    if suffix in PARQUET_SUFFIXES:
        plain, numbered = _parquet_sqls(str(path), hive=False, several=False)
        return _from_duckdb_sql(plain, numbered, text, "parquet", [str(path)],
                                "in file order (first record row 1)")
    if suffix in EXCEL_SUFFIXES:
        frame = read_file(text, sheet=sheet)
        return _from_frame(frame, text, kind="excel", files=[str(path)], first_row=2)
    raise DataError(f"{text}: unsupported file type {suffix or '(none)'!r}; "
                    "use .csv, .tsv, .xlsx, .parquet, a Parquet folder or duckdb:FILE.duckdb:TABLE")


def _open_duckdb_table(text: str) -> Source:
    body = text[len(DUCKDB_PREFIX):]
    if ":" not in body:
        raise DataError(f"{text}: write a DuckDB table as duckdb:PATH.duckdb:TABLE "
                        "(for example duckdb:survey.duckdb:responses)")
    db, name = body.rsplit(":", 1)
    path = Path(db).expanduser().resolve()
    if not path.is_file():
        raise DataError(f"{text}: database file not found (looked for {path}); check the path")
    try:
        con = ibis.duckdb.connect(str(path), read_only=True)
    except Exception as exc:  # noqa: BLE001
        raise DataError(f"{text}: cannot be opened as a DuckDB database: {str(exc).splitlines()[0]}") from None
    qualified = ".".join(_ident(p) for p in name.split("."))
    tables = sorted(con.list_tables())
    try:
        con.sql(f"SELECT * FROM {qualified} LIMIT 0")
    except Exception:  # noqa: BLE001
        raise DataError(f"{text}: no table or view {name!r} in {db}; it has: "
                        + (", ".join(map(repr, tables)) or "no tables")) from None
    numbered = f"SELECT *, rowid + 1 AS {ROW} FROM {qualified}"
    how = "as DuckDB's rowid + 1 (insertion order)"
    try:
        con.sql(numbered + " LIMIT 0")
    except Exception:  # noqa: BLE001 - a view has no rowid
        numbered, how = None, "not given: a DuckDB view has no rowid"
    return _from_duckdb_sql(f"SELECT * FROM {qualified}", numbered, text, "duckdb-table", [str(path)],
                            how, con=con)


def open_source(source, *, sheet: str | int | None = None) -> Source:
    """Open a source of responses as an Ibis table with its description.

    Parameters
    ----------
    source : DataFrame, Ibis table, DuckDB relation, str or Path
        See the module docstring for the forms (files, globs, folders, ``duckdb:PATH:TABLE``).
    sheet : str or int, optional
        Excel sheet.

    Returns
    -------
    Source

    Raises
    ------
    DataError
        The file, folder, database or table does not exist or cannot be read.

    Examples
    --------
    >>> src = open_source(pd.DataFrame({"score": [10, 7, 3]}))
    >>> src.kind, src.engine.split()[0]
    ('dataframe', 'duckdb')
    """
    if isinstance(source, Source):
        return source
    if isinstance(source, pd.DataFrame):
        return _from_frame(source, "<DataFrame>")
    if isinstance(source, ir.Table):
        name = getattr(source.op(), "name", None) or "Ibis table"
        return _from_ibis(source, "<in-memory table>" if str(name).startswith(_MEMTABLE) else f"<{name}>")
    if type(source).__name__ == "DuckDBPyRelation":
        return _from_relation(source, "<DuckDB relation>")
    if isinstance(source, (str, os.PathLike)):
        return _open_path(str(source), sheet=sheet)
    raise DataError(f"cannot read responses from a {type(source).__name__}; give a file path, a "
                    "Parquet folder, duckdb:FILE.duckdb:TABLE, a DataFrame, an Ibis table or a "
                    "DuckDB relation")


__all__ = [
    "FILE", "FULL_SNIFF_BYTES", "open_source", "PANDAS_NA", "REPORT_LIMIT", "ROW", "Source",
]
