"""``--engine auto|pandas|duckdb``: where ``nps-kit score`` and ``nps-kit compare`` count.

``pandas`` reads the file into memory (:func:`nps_kit.read_responses`); ``duckdb`` counts it
where it lies (:func:`nps_kit.engines.reading.read_source`), with memory that does not grow with the
number of rows; ``auto`` (default) picks DuckDB for a Parquet glob or folder, a
``duckdb:FILE.duckdb:TABLE`` source or a file of a million rows or more
(:data:`nps_kit.engines.choice.AUTO_DUCKDB_ROWS`), pandas otherwise. The same strict rules and the same
results hold either way; the output says which engine counted, and why.
"""

from __future__ import annotations

import argparse

from nps_kit.data.paths import is_dataset
from nps_kit.errors import ParameterError
from nps_kit.engines.choice import AUTO_DUCKDB_ROWS, ENGINES, choose_engine
from nps_kit.data.paths import CSV_SUFFIXES, DUCKDB_PREFIX, is_glob


def add_engine_option(parser: argparse.ArgumentParser) -> None:
    """The ``--engine`` option."""
    parser.add_argument(
        "--engine", default="auto", choices=ENGINES,
        help="where to count: pandas (in memory), duckdb (in place, memory independent of the "
             "number of rows; also reads a Parquet glob, a Parquet folder or "
             "duckdb:FILE.duckdb:TABLE) or auto (default: duckdb for those sources and for files "
             f"of {AUTO_DUCKDB_ROWS:,} rows or more, else pandas)")


def _export_layout(args: argparse.Namespace) -> tuple[str, str]:
    """The survey-tool layout of a single CSV/Excel file ("plain" for the other sources)."""
    from nps_kit.data.layouts import detect_layout
    from nps_kit.data.paths import resolve_path

    text = str(args.file)
    export = getattr(args, "export", "auto")
    if text.startswith(DUCKDB_PREFIX) or is_glob(text):
        return "plain", "not a single file"
    path = resolve_path(text)
    if not path.is_file() or path.suffix.lower() not in CSV_SUFFIXES:
        return "plain", "not a CSV file"
    return detect_layout(path, export, file=text)


def read_for_command(args: argparse.Namespace, *, id, wave, wave_optional: bool, columns,
                     check_scale: bool = True):
    """Read the command's responses with the engine asked for.

    Returns
    -------
    (loaded, data, note)
        ``loaded`` has the row accounting and report (LoadedResponses or SourceResponses);
        ``data`` is what summarize / compare_waves take (the DataFrame, or the counted source);
        ``note`` is the sentence saying which engine counted and why.
    """
    from nps_kit.engines.dispatch import read_responses

    engine, why = choose_engine(args.file, args.engine)
    date = getattr(args, "date_column", None)
    if date and engine == "duckdb" and not is_dataset(args.file):
        if args.engine == "duckdb":
            raise ParameterError("--date-column is rolled up by pandas: use --engine pandas or auto")
        engine, why = "pandas", "dates are rolled up to periods by pandas"
    if engine == "duckdb":
        layout, reason = _export_layout(args)
        if layout != "plain":
            if args.engine == "duckdb":
                raise ParameterError(
                    f"{args.file} is a {layout} export ({reason}); --engine duckdb reads plain "
                    "tables (one header row): use --engine pandas, or export the data as a plain table")
            engine, why = "pandas", f"a {layout} export is read by pandas"
    if engine == "pandas":
        loaded = read_responses(
            args.file, args.score_column, id=id, wave=wave, errors=args.errors, columns=columns,
            check_scale=check_scale, wave_optional=wave_optional,
            export=getattr(args, "export", "auto"), date=date,
            period=getattr(args, "period", "month"))
        return loaded, loaded.data, f"engine: pandas ({why})"
    if date:
        raise ParameterError(f"{args.file} is read through DuckDB, where --date-column is not "
                             "rolled up yet: add a period column and pass it as --wave-column, or "
                             "use `nps-kit series`, which rolls up the dates of any source")
    from nps_kit.engines.reading import engine_note, read_source  # Ibis and DuckDB from here on

    loaded = read_source(args.file, args.score_column, id=id, wave=wave, by=columns,
                         errors=args.errors, check_scale=check_scale, wave_optional=wave_optional)
    return loaded, loaded, engine_note(loaded, why)


__all__ = ["add_engine_option", "read_for_command"]
