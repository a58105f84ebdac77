"""Survey protocol per wave, and flags where it changed between compared waves.

A wave-over-wave change in NPS means something only if the procedure stayed the same: channels,
question wording, scale, non-response rule, fieldwork timing and sample source (METHODS.md,
"Study practice"). A protocol record holds these per wave; :func:`protocol_flags` lists every
field that differs between two compared waves and warns (:class:`nps_kit.errors.NPSKitWarning`).

The record is read from YAML (a ``waves:`` list of mappings, a bare list, or a mapping from wave
to fields; the demo's ``protocol.yaml``) or from a table with one row per wave and a ``wave``
column (CSV, Excel, Parquet). Lists (channels) are compared as sets and shown as
``"email, phone"``. Fieldwork start and end dates always differ between waves, so they are not
compared themselves; their length in days (``fieldwork_days``) is.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from nps_kit.errors import DataError, NPSKitWarning
from nps_kit.engines.dispatch import read_table
from nps_kit.data.paths import resolve_path

NOT_COMPARED: tuple[str, ...] = ("fieldwork_start", "fieldwork_end", "description", "notes")
"""Fields that are expected to differ between waves and are not flagged by default."""

FLAG_COLUMNS: tuple[str, ...] = ("from", "to", "field", "from_value", "to_value")
"""Columns of :func:`protocol_flags`."""

MISSING = "(no protocol record)"


def _value(v) -> str | None:
    """A protocol value as comparable text: lists as sorted, comma-separated items."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, (list, tuple, set)):
        return ", ".join(sorted(str(x).strip() for x in v))
    text = str(v).strip()
    return text if text else None


def _records_from_yaml(path: Path, shown: str) -> list[dict]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataError(f"{shown}: not valid YAML: {str(exc).splitlines()[0]}") from None
    if isinstance(doc, dict) and "waves" in doc:
        doc = doc["waves"]
    if isinstance(doc, dict):
        doc = [{"wave": k, **(v or {})} for k, v in doc.items() if isinstance(v, dict)]
    if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc) or not doc:
        raise DataError(
            f"{shown}: expected a list of waves (a 'waves:' list of mappings, each with a 'wave' "
            "key, or a mapping from wave to its fields)"
        )
    return doc


def read_protocol(path: str | Path) -> pd.DataFrame:
    """Read a protocol record: one row per wave.

    Parameters
    ----------
    path : str or Path
        ``.yaml``/``.yml``, or a table (``.csv``, ``.xlsx``, ``.parquet``) with a ``wave``
        column; ``demo:protocol.yaml`` for the demo's.

    Returns
    -------
    DataFrame
        ``wave`` (text) and one column per field, values as text (lists as ``"a, b"``);
        ``fieldwork_days`` added when ``fieldwork_start`` and ``fieldwork_end`` are given.

    Raises
    ------
    DataError
        Unreadable file, no ``wave`` field, or a wave listed twice.
    """
    p = resolve_path(path)
    shown = str(path)
    if p.suffix.lower() in (".yaml", ".yml"):
        if not p.exists():
            raise DataError(f"{shown}: file not found (looked for {p}); check the path")
        records = _records_from_yaml(p, shown)
        first_row = None
    else:
        records = read_table(path).to_dict("records")
        first_row = 2
    frame = pd.DataFrame([{str(k).strip(): _value(v) for k, v in r.items()} for r in records])
    if "wave" not in frame.columns or frame["wave"].isna().any():
        bad = np.flatnonzero(frame["wave"].isna()) if "wave" in frame.columns else np.arange(len(frame))
        where = f" (rows {', '.join(str(i + first_row) for i in bad[:5])})" if first_row else \
            f" (entries {', '.join(str(i + 1) for i in bad[:5])})"
        raise DataError(f"{shown}: every protocol record needs a 'wave' value{where}")
    dup = frame["wave"].duplicated(keep=False).to_numpy()
    if dup.any():
        raise DataError(
            f"{shown}: wave(s) {sorted(set(frame.loc[dup, 'wave']))} have more than one protocol "
            "record; keep one record per wave"
        )
    if {"fieldwork_start", "fieldwork_end"} <= set(frame.columns):
        start = pd.to_datetime(frame["fieldwork_start"], errors="coerce")
        end = pd.to_datetime(frame["fieldwork_end"], errors="coerce")
        days = (end - start).dt.days + 1
        frame["fieldwork_days"] = days.astype("Int64").astype(object).map(
            lambda d: None if d is pd.NA else str(d))
    return frame[["wave", *[c for c in frame.columns if c != "wave"]]].reset_index(drop=True)


def _pair_list(pairs) -> list[tuple[str, str]]:
    if isinstance(pairs, pd.DataFrame):
        if not {"from", "to"} <= set(pairs.columns):
            raise DataError("pairs must have 'from' and 'to' columns (a wave_changes table)")
        items = list(zip(pairs["from"], pairs["to"]))
    else:
        seq = list(pairs)
        if seq and not isinstance(seq[0], (tuple, list)):  # a wave order: consecutive pairs
            items = list(zip(seq[:-1], seq[1:]))
        else:
            items = [tuple(p) for p in seq]
    return list(dict.fromkeys((str(a), str(b)) for a, b in items))


def protocol_flags(
    protocol: pd.DataFrame | str | Path,
    pairs,
    *,
    ignore: Sequence[str] = NOT_COMPARED,
    warn: bool = True,
) -> pd.DataFrame:
    """Fields of the protocol that differ between compared waves.

    Parameters
    ----------
    protocol : DataFrame, str or Path
        A table from :func:`read_protocol`, or a path to read.
    pairs : DataFrame, sequence of (from, to), or sequence of waves
        The comparisons: a :func:`nps_kit.waves.changes.wave_changes` table (its ``from``/``to``
        columns), explicit pairs, or a wave order (consecutive pairs).
    ignore : sequence of str
        Fields not compared (default :data:`NOT_COMPARED`).
    warn : bool
        Issue an :class:`~nps_kit.errors.NPSKitWarning` naming the changed fields.

    Returns
    -------
    DataFrame
        ``from``, ``to``, ``field``, ``from_value``, ``to_value``: one row per changed field and
        pair; a wave without a record is flagged with field ``"protocol"``. Empty when the
        protocol stayed the same.
    """
    table = read_protocol(protocol) if isinstance(protocol, (str, Path)) else protocol
    if "wave" not in table.columns:
        raise DataError("the protocol table needs a 'wave' column")
    by_wave = {str(r["wave"]): r for r in table.to_dict("records")}
    fields = [c for c in table.columns if c != "wave" and c not in set(ignore)]
    rows = []
    for a, b in _pair_list(pairs):
        ra, rb = by_wave.get(a), by_wave.get(b)
        if ra is None or rb is None:
            rows.append({"from": a, "to": b, "field": "protocol",
                         "from_value": "recorded" if ra is not None else MISSING,
                         "to_value": "recorded" if rb is not None else MISSING})
            continue
        for f in fields:
            va, vb = _value(ra.get(f)), _value(rb.get(f))
            if va != vb:
                rows.append({"from": a, "to": b, "field": f, "from_value": va, "to_value": vb})
    flags = pd.DataFrame(rows, columns=list(FLAG_COLUMNS))
    if warn and len(flags):
        parts = [
            f"{a} -> {b}: " + ", ".join(grp["field"])
            for (a, b), grp in flags.groupby(["from", "to"], sort=False)
        ]
        warnings.warn(
            "the survey protocol differs between compared waves (" + "; ".join(parts) + "); a change "
            "in NPS across a changed procedure cannot be read as a change in loyalty",
            NPSKitWarning, stacklevel=2,
        )
    return flags


def flagged_pairs(flags: pd.DataFrame) -> pd.DataFrame:
    """One row per flagged pair of waves with the changed fields joined: ``from``, ``to``,
    ``protocol_changes`` (e.g. ``"channels, question"``); for merging onto a change table."""
    if flags.empty:
        return pd.DataFrame(columns=["from", "to", "protocol_changes"])
    return (flags.groupby(["from", "to"], sort=False)["field"]
            .agg(lambda s: ", ".join(dict.fromkeys(s))).rename("protocol_changes").reset_index())


def describe_flags(flags: pd.DataFrame) -> list[str]:
    """One plain-language warning per pair of waves whose protocol changed.

    Examples
    --------
    >>> f = pd.DataFrame([{"from": "W1", "to": "W2", "field": "scale", "from_value": "0-10",
    ...                    "to_value": "1-10"}])
    >>> describe_flags(f)[0]
    'Protocol changed between W1 and W2: scale (0-10 -> 1-10). A change in NPS between these waves cannot be read as a change in loyalty.'
    """
    out = []
    for (a, b), grp in flags.groupby(["from", "to"], sort=False):
        parts = []
        for r in grp.to_dict("records"):
            va, vb = r["from_value"], r["to_value"]
            if r["field"] in ("question", "sample_source") and va and vb:
                parts.append(f"{r['field']} (reworded: \"{va}\" -> \"{vb}\")")
            else:
                parts.append(f"{r['field']} ({va} -> {vb})")
        out.append(f"Protocol changed between {a} and {b}: " + "; ".join(parts)
                   + ". A change in NPS between these waves cannot be read as a change in loyalty.")
    return out


__all__ = [
    "describe_flags", "FLAG_COLUMNS", "flagged_pairs", "MISSING", "NOT_COMPARED",
    "protocol_flags", "read_protocol",
]
