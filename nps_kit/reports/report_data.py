"""What a report reads: responses in pandas, or counts from an engine, behind one object.

A report template asks for its data once, with the engine option the CLI has (``auto``,
``pandas``, ``duckdb``; see :func:`nps_kit.engines.choice.choose_engine`). On the pandas path the rows
are read by :func:`nps_kit.read_responses`; on the DuckDB path only the counts per wave and
group come back from :func:`nps_kit.engines.reading.read_source`, so a Parquet folder, a glob or a
``duckdb:FILE:TABLE`` of any size is reported on without loading its rows. Everything after the
read (:func:`nps_kit.core.summary.summarize`, :func:`nps_kit.data.selection.select_wave`, shrinkage, the
control chart) takes either ``table`` form with ``score`` (``None`` for counts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import pandas as pd

from nps_kit.engines.choice import choose_engine

__all__ = ["ReportData", "load_report_data", "wave_counts"]

_COUNTS = ("detractors", "passives", "promoters", "nonrespondents")


@dataclass(frozen=True)
class ReportData:
    """Responses or counts for a report.

    Attributes
    ----------
    table : DataFrame
        Responses (one row per respondent, ``score`` parsed to 0-10) or, from an engine, counts
        per wave and group (``detractors``, ``passives``, ``promoters``, ``nonrespondents``).
    score : str or None
        Score column of ``table``; None when ``table`` holds counts.
    wave, id : str or None
        Wave and respondent id columns used (None: one wave / no id), as in the load notes.
    groups : tuple of str
        The group columns present (an optional one the source lacks is left out, said in notes).
    summary : DataFrame
        One row: file, rows read, kept, dropped, declined to score.
    notes : tuple of str
        How the source was read (layout, engine, absent default columns, dropped rows).
    private : list of str
        Values the shareable report must not show (respondent ids, identifier columns of a
        survey-tool export); empty on the engine path, where no row leaves the engine.
    engine : {"pandas", "duckdb"}
    provenance : dict or None
        Engine path: engine, query SQL, files, row counts (:class:`nps_kit.engines.reading.Provenance`).
    """

    table: pd.DataFrame = field(repr=False)
    score: str | None
    wave: str | None
    id: str | None
    groups: tuple[str, ...]
    summary: pd.DataFrame = field(repr=False)
    notes: tuple[str, ...]
    private: list[str] = field(repr=False)
    engine: str
    provenance: dict | None = None


def load_report_data(
    source: str,
    score: str,
    *,
    id: str | None = None,
    wave: str | None = None,
    groups: Sequence[str] = (),
    engine: str = "auto",
    errors: str = "raise",
    date: str | None = None,
    period: str = "month",
) -> ReportData:
    """Read a report's responses from a file, folder, glob or ``duckdb:`` table.

    Absent default columns follow the rules of :func:`nps_kit.data.keys.resolve_keys` (no id: none;
    no wave: one wave); an absent group column is left out and said in ``notes``.

    Parameters
    ----------
    source : str
        File (CSV, Excel, Parquet, ``demo:<name>``), Parquet glob or folder, or
        ``duckdb:FILE.duckdb:TABLE``.
    score : str
        Score column (in a survey-tool export also its question id or text; pandas path).
    id, wave : str, optional
        Respondent id and wave columns.
    groups : sequence of str
        Group columns used when present.
    engine : {"auto", "pandas", "duckdb"}
        Where to count (see :func:`nps_kit.engines.choice.choose_engine`).
    errors : {"raise", "drop"}
        Invalid rows stop the read, or are dropped and listed (both engines, same rules).
    date : str, optional
        A date column rolled up to ``period`` (:mod:`nps_kit.core.periods`); the period label
        then takes the place of ``wave`` (read with pandas: the roll-up needs the rows).
    period : {"week", "month", "quarter"}

    Returns
    -------
    ReportData
    """
    wanted = [g for g in groups if g]
    if date and engine == "duckdb":
        from nps_kit.errors import ParameterError

        raise ParameterError("a date column rolled up to periods is read with pandas (the "
                             "roll-up needs the rows): use engine 'auto' or 'pandas', or give a "
                             "wave column instead of the date column")
    used, why = ("pandas", "dates are rolled up by pandas") if date else choose_engine(source, engine)
    if used == "pandas":
        from nps_kit.engines.dispatch import read_responses
        from nps_kit.privacy.redact import identifier_values

        loaded = read_responses(source, score=score, id=id, wave=wave, errors=errors,
                                optional_columns=wanted, id_optional=True, wave_optional=True,
                                date=date, period=period)
        present = tuple(g for g in wanted if g in loaded.data.columns)
        private = identifier_values(loaded.data)
        if loaded.id:
            private += sorted(set(loaded.data[loaded.id].dropna().astype(str)))
        return ReportData(table=loaded.data, score=loaded.score, wave=loaded.wave, id=loaded.id,
                          groups=present, summary=loaded.summary,
                          notes=tuple(loaded.notes) + _dropped_note(loaded), private=private,
                          engine="pandas")

    from nps_kit.engines.reading import engine_note, read_source
    from nps_kit.engines.sources import open_source

    columns = set(open_source(source).table.columns)
    present = tuple(g for g in wanted if g in columns)
    absent = tuple(f"{source} has no column {g!r}: the parts that use it are left out (name "
                   "another column to change this)" for g in wanted if g not in columns)
    loaded = read_source(source, score, id=id, wave=wave, by=list(present) or None, errors=errors,
                         id_optional=True, wave_optional=True)
    summary = pd.DataFrame([{"file": loaded.file, "rows_read": loaded.rows_read,
                             "rows_kept": loaded.rows_kept, "rows_dropped": loaded.rows_dropped,
                             "nonrespondents": loaded.nonrespondents}])
    notes = (engine_note(loaded, why), *loaded.notes, *absent, *_dropped_note(loaded))
    return ReportData(table=loaded.counts, score=None, wave=loaded.wave, id=loaded.id,
                      groups=present, summary=summary, notes=tuple(notes), private=[],
                      engine="duckdb", provenance=loaded.provenance.as_dict())


def _dropped_note(loaded) -> tuple[str, ...]:
    if not loaded.rows_dropped:
        return ()
    reasons = loaded.report["reason"].value_counts()
    listed = "; ".join(f"{count} {reason}" for reason, count in reasons.items())
    return (f"dropped {loaded.rows_dropped} of {loaded.rows_read} rows ({loaded.rows_kept} kept): "
            f"{listed}",)


def wave_counts(data: ReportData, nonresponse: str = "exclude") -> pd.DataFrame:
    """Counts per wave under the non-response rule, waves in their natural order
    (:func:`nps_kit.core.waveorder.order_waves`), from either form of :class:`ReportData`; the input of
    :func:`nps_kit.waves.control_chart.control_chart_counts`."""
    from nps_kit.engines.dispatch import summarize
    from nps_kit.core.waveorder import order_waves

    per_wave = summarize(data.table, data.score, by=data.wave, nonresponse=nonresponse)
    order = order_waves(per_wave[data.wave].tolist())
    per_wave = per_wave.set_index(data.wave).loc[order].reset_index()
    return per_wave[[data.wave, *_COUNTS]]
