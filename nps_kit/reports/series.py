"""A report series: one folder of reports per period, a history store and a static site.

``nps-kit series SOURCE -o DIR --date-column COL --period month`` keeps a periodic series from
the raw responses:

1. SOURCE (a growing CSV, Excel or Parquet file, a folder or glob, a ``duckdb:`` table) is read
   once; each row's period is its date rolled up to week, month or quarter
   (:mod:`nps_kit.core.periods`), or the label in a wave column. Rows without a readable date
   are listed as dropped, with their row number and value.
2. Each period's rows are hashed (SHA-256 of their CSV text, with the templates and parameters
   of the run). A period whose hash is in ``DIR/series.json`` and whose reports are in place is
   not touched; a new period, or one whose rows changed, is built: its rows go to a work file
   inside DIR (removed afterwards, never recorded as an input of the series), and every template
   runs on them into ``DIR/periods/LABEL/`` (HTML, JSON, .ipynb, .xlsx).
3. A period that fails (bad scores, a template error) fails alone: the others are built, and
   the run names the period and the reason; the command exits 1.
4. The key results of every built period (counts, NPS and interval, overall and per segment,
   with the data's hash, the kit version and when it was built) go to the history store,
   ``DIR/history/periods.parquet`` and ``DIR/history/segments.parquet``. Parquet, not an
   embedded database file: each is rewritten whole through the kit's one atomic writer
   (:mod:`nps_kit.data.writer`), so a killed run never leaves a half-written store, and pandas,
   DuckDB or Spark read it as it is. The store holds one row per period and segment, so
   rewriting it whole costs nothing.
5. The site ``DIR/index.html`` (:mod:`nps_kit.reports.site`) is drawn from the history store
   alone, without reading the responses again.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from nps_kit._version import __version__
from nps_kit.errors import DataError, NPSKitError, ParameterError

__all__ = ["HISTORY_FOLDER", "MANIFEST", "PeriodBuild", "SeriesResult", "build_series",
           "period_folder", "read_history"]

MANIFEST = "series.json"
"""The series' own record in DIR: per period its hash, status, files and when it was built."""

HISTORY_FOLDER = "history"
PERIOD_COLUMN = "nps_kit_period"
_SERIES_TEMPLATE = "nps_report"


@dataclass(frozen=True)
class PeriodBuild:
    """What happened to one period in a run of the series.

    Attributes
    ----------
    period : str
    status : {"built", "rebuilt", "unchanged", "failed"}
    rows : int
        Rows of the source in the period.
    hash : str
        SHA-256 of the period's rows (and the run's templates and parameters).
    folder : str
        The period's folder, relative to DIR.
    reason : str
        Why it failed (empty otherwise).
    """

    period: str
    status: str
    rows: int
    hash: str
    folder: str
    reason: str = ""


@dataclass(frozen=True)
class SeriesResult:
    """The outcome of :func:`build_series`."""

    outdir: Path
    site: Path
    periods: tuple[PeriodBuild, ...]
    dropped: pd.DataFrame = field(repr=False)
    history: pd.DataFrame = field(repr=False)

    @property
    def failed(self) -> list[PeriodBuild]:
        """The periods that failed in this run."""
        return [p for p in self.periods if p.status == "failed"]

    def counts(self) -> dict[str, int]:
        """Periods per status."""
        out: dict[str, int] = {}
        for p in self.periods:
            out[p.status] = out.get(p.status, 0) + 1
        return out


def period_folder(label: str) -> str:
    """A folder name for a period label: safe characters kept, others as ``_`` plus a short hash."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", str(label)).strip("._") or "period"
    if safe != str(label):
        safe = f"{safe[:40]}-{hashlib.sha256(str(label).encode()).hexdigest()[:8]}"
    return safe


def _period_labels(table: pd.DataFrame, source: str, date_column: str | None, period: str,
                   wave_column: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    from nps_kit.core.periods import add_period_column

    from nps_kit.data.paths import is_dataset

    plain_text = not is_dataset(source) and not str(source).lower().endswith((".parquet", ".pq"))
    first = 2 if plain_text else 1  # row numbers as a person sees the file (header = row 1)
    rows = pd.RangeIndex(first, len(table) + first)
    if date_column:
        rolled = add_period_column(table.assign(), date_column, period, file=source, errors="drop",
                                   rows=rows.to_numpy())
        data = rolled.data.rename(columns={rolled.column: PERIOD_COLUMN})
        return data, rolled.dropped
    if wave_column not in table.columns:
        raise DataError(f"{source} has no wave column {wave_column!r}; its columns are: "
                        f"{', '.join(map(str, table.columns[:20]))}. Name the period with "
                        "--date-column COL --period month, or the wave column with --wave-column.")
    labels = table[wave_column].astype("string").str.strip()
    bad = (labels.isna() | (labels == "")).to_numpy()
    dropped = pd.DataFrame({"row": rows.to_numpy()[bad], "column": wave_column,
                            "value": table[wave_column].astype(object).to_numpy()[bad],
                            "reason": "no wave label"})
    data = table.loc[~bad].copy()
    data[PERIOD_COLUMN] = labels[~bad].astype(str).to_numpy()
    return data, dropped


def _short_reason(message: str, input_file: str, label: str) -> str:
    """The reason a period failed, for a reader: the data's problem, not the template's cell."""
    text = " ".join(message.replace(input_file, f"the rows of {label}").split())
    m = re.search(r"\): (?:\w+Error): (.*?)(?:; the executed notebook is kept as .*)?$", text)
    reason = m.group(1).strip() if m else text
    if re.search(r"\brows? \d", reason):
        reason += f" (row numbers count the rows of {label} only, in file order)"
    return reason


def _hash(rows: pd.DataFrame, settings: dict) -> str:
    h = hashlib.sha256()
    h.update(json.dumps(settings, sort_keys=True, default=str).encode())
    h.update(rows.to_csv(index=False).encode())
    return h.hexdigest()


def _read_manifest(outdir: Path) -> dict:
    path = outdir / MANIFEST
    if not path.exists():
        return {"periods": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path} is not the record of a series ({exc}); move it away or choose "
                        "another output folder") from None
    if not isinstance(data, dict) or not isinstance(data.get("periods"), dict):
        raise DataError(f"{path} is not the record of a series; move it away or choose another "
                        "output folder")
    return data


def read_history(outdir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The history store of a series: (periods, segments); empty frames before the first build."""
    folder = Path(outdir) / HISTORY_FOLDER
    periods = (pd.read_parquet(folder / "periods.parquet") if (folder / "periods.parquet").exists()
               else pd.DataFrame())
    segments = (pd.read_parquet(folder / "segments.parquet")
                if (folder / "segments.parquet").exists() else pd.DataFrame())
    return periods, segments


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _history_rows(label: str, folder: str, digest: str, rows: int, results: dict, source: str,
                  start: str | None, end: str | None, segment_column: str) -> tuple[dict, list[dict]]:
    counts = results.get("counts") or {}
    ci = results.get("ci") or [None, None]
    built = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    period_row = {
        "period": label, "folder": folder, "first_date": start, "last_date": end, "rows": rows,
        "n": int(results.get("n") or 0), "nonrespondents": int(results.get("nonrespondents") or 0),
        "detractors": int(counts.get("detractors", 0)), "passives": int(counts.get("passives", 0)),
        "promoters": int(counts.get("promoters", 0)), "nps": results.get("nps"),
        "ci_low": ci[0], "ci_high": ci[1], "confidence": results.get("confidence"),
        "method": results.get("method"), "hash": digest, "source": source,
        "nps_kit_version": __version__, "built": built,
    }
    segs = []
    for r in results.get("by_segment") or []:
        if segment_column not in r:
            continue
        segs.append({"period": label, "segment_column": segment_column,
                     "segment": str(r[segment_column]), "n": int(r.get("n") or 0),
                     "detractors": int(r.get("detractors") or 0),
                     "passives": int(r.get("passives") or 0),
                     "promoters": int(r.get("promoters") or 0), "nps": r.get("nps"),
                     "ci_low": r.get("ci_low"), "ci_high": r.get("ci_high")})
    return period_row, segs


def build_series(
    source: str,
    outdir: str | Path,
    *,
    date_column: str | None = None,
    period: str = "month",
    wave_column: str | None = None,
    templates: Sequence[str] = (_SERIES_TEMPLATE,),
    parameters: dict[str, Any] | None = None,
    score_column: str = "score",
    segment_column: str = "segment",
    cwd: str | Path | None = None,
    progress=None,
) -> SeriesResult:
    """Build or update the report series of ``source`` in ``outdir``.

    Parameters
    ----------
    source : str
        Responses: a file, folder, glob or ``duckdb:FILE:TABLE`` (``demo:<name>`` for the demo).
    outdir : str or Path
        The series folder (created if missing).
    date_column : str, optional
        Timestamp column rolled up to ``period``; give this or ``wave_column``.
    period : {"week", "month", "quarter"}
    wave_column : str, optional
        A column whose labels are the periods (instead of dates).
    templates : sequence of str
        Templates run for every period; ``nps_report`` always runs (the history comes from it).
        A template takes the period's rows as ``responses_file``.
    parameters : dict, optional
        Further template parameters (the same for every period and template that declares them).
    score_column, segment_column : str
        Passed to the templates; ``segment_column`` also keys the per-segment history.
    cwd : str or Path, optional
        Where relative paths resolve (default: the current directory).
    progress : callable, optional
        Called with one line of text per period.

    Returns
    -------
    SeriesResult

    Raises
    ------
    ParameterError, DataError
        Before any period is built: no date or wave column, an unknown template or parameter,
        an unreadable source.
    """
    from nps_kit.core.periods import PERIODS, period_range
    from nps_kit.core.waveorder import order_waves
    from nps_kit.data.writer import write_bytes, write_text
    from nps_kit.engines.dispatch import read_table
    from nps_kit.reports.catalog import find_template
    from nps_kit.reports.runner import run_template
    from nps_kit.reports.site import build_site

    if bool(date_column) == bool(wave_column):
        raise ParameterError("give the periods either as a date column (--date-column COL "
                             "--period month) or as a wave column (--wave-column COL), not both "
                             "and not neither")
    if period not in PERIODS:
        raise ParameterError(f"period {period!r} is not one of: {', '.join(PERIODS)}")
    names = [_SERIES_TEMPLATE] + [t for t in templates if t != _SERIES_TEMPLATE]
    chosen = [find_template(t) for t in names]
    for tpl in chosen:
        if "responses_file" not in tpl.parameter_names:
            raise ParameterError(f"template {tpl.name!r} has no responses_file parameter, so it "
                                 "cannot run on one period's responses; leave it out of --template")
    parameters = dict(parameters or {})
    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError(f"cannot create the output folder {outdir}: {exc}") from None
    manifest = _read_manifest(outdir)

    table = read_table(source)
    data, dropped = _period_labels(table, str(source), date_column, period, wave_column)
    if data.empty:
        raise DataError(f"{source}: no row has a period ({len(dropped)} row(s) dropped: "
                        f"{dropped['reason'].iloc[0] if len(dropped) else 'the file is empty'}); "
                        "check --date-column / --wave-column")
    order = [str(p) for p in order_waves(data[PERIOD_COLUMN].tolist())]
    settings = {"templates": names, "parameters": parameters, "score": score_column,
                "segment": segment_column, "period": period, "version": __version__}
    old_periods, old_segments = read_history(outdir)
    history_rows: dict[str, dict] = {}
    segment_rows: dict[str, list[dict]] = {}
    if len(old_periods):
        for r in old_periods.to_dict("records"):
            history_rows[str(r["period"])] = r
    if len(old_segments):
        for r in old_segments.to_dict("records"):
            segment_rows.setdefault(str(r["period"]), []).append(r)

    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(str(source).split(":")[-1]).stem)[:40] or "responses"
    work = Path(tempfile.mkdtemp(prefix=".series-work-", dir=outdir))
    builds: list[PeriodBuild] = []
    record = dict(manifest["periods"])
    try:
        for label in order:
            rows = data[data[PERIOD_COLUMN].astype(str) == label]
            folder = period_folder(label)
            digest = _hash(rows.drop(columns=[PERIOD_COLUMN]), settings)
            before = record.get(label, {})
            target = outdir / "periods" / folder
            done = all((target / f"{t}.html").exists() for t in names)
            if before.get("hash") == digest and before.get("status") == "built" and done \
                    and label in history_rows:
                builds.append(PeriodBuild(label, "unchanged", len(rows), digest, f"periods/{folder}"))
                if progress:
                    progress(f"{label}: unchanged ({len(rows)} rows)")
                continue
            status = "rebuilt" if before.get("status") == "built" else "built"
            input_file = work / f"{stem}-{folder}.parquet"
            write_bytes(input_file, _parquet_bytes(rows))
            try:
                results = None
                for tpl in chosen:
                    values = {k: v for k, v in parameters.items() if k in tpl.parameter_names}
                    values["responses_file"] = str(input_file)
                    for key, value in (("score_column", score_column), ("wave_column", PERIOD_COLUMN),
                                       ("wave", label), ("segment_column", segment_column)):
                        if key in tpl.parameter_names:
                            values[key] = value
                    run = run_template(tpl, values, target, cwd=cwd)
                    if tpl.name == _SERIES_TEMPLATE:
                        results = run.results
            except NPSKitError as exc:
                reason = _short_reason(str(exc), str(input_file), label)
                builds.append(PeriodBuild(label, "failed", len(rows), digest, f"periods/{folder}",
                                          reason))
                record[label] = {"hash": digest, "status": "failed", "reason": reason}
                history_rows.pop(label, None)
                segment_rows.pop(label, None)
                if progress:
                    progress(f"{label}: FAILED: {reason}")
                continue
            finally:
                input_file.unlink(missing_ok=True)
            dates = period_range(rows[date_column]) if date_column else None
            prow, srows = _history_rows(label, f"periods/{folder}", digest, len(rows), results or {},
                                        str(source), *(dates or (None, None)), segment_column)
            history_rows[label] = prow
            segment_rows[label] = srows
            record[label] = {"hash": digest, "status": "built", "folder": f"periods/{folder}",
                             "built": prow["built"], "rows": len(rows),
                             "files": sorted(p.name for p in target.iterdir() if p.is_file())}
            builds.append(PeriodBuild(label, status, len(rows), digest, f"periods/{folder}"))
            if progress:
                progress(f"{label}: {status} ({len(rows)} rows)")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    keep = [p for p in order if p in history_rows]
    history = pd.DataFrame([history_rows[p] for p in keep])
    segments = pd.DataFrame([r for p in keep for r in segment_rows.get(p, [])])
    write_bytes(outdir / HISTORY_FOLDER / "periods.parquet", _parquet_bytes(history))
    write_bytes(outdir / HISTORY_FOLDER / "segments.parquet", _parquet_bytes(segments))
    manifest = {"source": str(source), "period": period if date_column else None,
                "date_column": date_column, "wave_column": wave_column, "templates": names,
                "order": order, "periods": record, "nps_kit_version": __version__,
                "dropped_rows": int(len(dropped))}
    write_text(outdir / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")
    failures = [(b.period, b.reason) for b in builds if b.status == "failed"]
    site = build_site(outdir, history, segments, source=str(source), failures=failures,
                      templates=names, dropped=len(dropped))
    return SeriesResult(outdir=outdir, site=site, periods=tuple(builds), dropped=dropped,
                        history=history)
