"""Wave comparisons counted in an engine: the counts per (segment, wave) and the panel
transition tables come back from one GROUP BY each, and feed the same estimators as rows do.

:func:`prepare_waves` reads an Ibis table, a DuckDB relation or already-read
:class:`nps_kit.engines.reading.SourceResponses` strictly, in the engine, and returns a
:class:`nps_kit.waves.prepare.PreparedWaves` holding :class:`WaveCounts` instead of row codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from nps_kit.core.scores import NONRESPONSE_POLICIES
from nps_kit.core.waveorder import wave_labels, wave_order
from nps_kit.engines.counting import COUNT_TABLE_COLUMNS, transitions_expr
from nps_kit.errors import DataError, ParameterError, check_option
from nps_kit.waves.prepare import PreparedWaves, comparison_pairs

# ------------------------------------------------------------------------- wave comparisons
@dataclass(frozen=True)
class WaveCounts:
    """Counts per (segment group, wave) and transition tables per pair of waves, from an engine.

    What :func:`nps_kit.waves.changes.compare_waves` needs from the rows, computed in the engine; its
    estimators take it from here instead of from row arrays.

    Attributes
    ----------
    groups : DataFrame
        Segment values, one row per group (one row and no columns without segments).
    by : list of str
    raw : ndarray, shape (G, W, 3)
        Valid scores per category (detractors, passives, promoters).
    nonrespondents : ndarray, shape (G, W)
        Counted rows without an answer.
    nonresponse : str
    tables : dict
        (i, j) -> ndarray (G, 3, 3): matched respondents, rows wave i's category.
    flat : WaveCounts or None
        The same without segments (respondents match on the id alone).
    """

    groups: pd.DataFrame = field(repr=False)
    by: list
    raw: np.ndarray = field(repr=False)
    nonrespondents: np.ndarray = field(repr=False)
    nonresponse: str
    tables: dict = field(repr=False)
    flat: "WaveCounts | None" = field(default=None, repr=False)

    @property
    def categories(self) -> np.ndarray:
        """Counts (G, W, 3) with the non-response rule applied."""
        out = self.raw.copy()
        if self.nonresponse == "detractor":
            out[:, :, 0] += self.nonrespondents
        elif self.nonresponse == "passive":
            out[:, :, 1] += self.nonrespondents
        return out

    def table(self, i: int, j: int) -> np.ndarray:
        """Transition tables (G, 3, 3) of waves i and j (zeros without ids)."""
        got = self.tables.get((i, j))
        return np.zeros((len(self.groups), 3, 3), dtype=np.int64) if got is None else got

    def frame(self, wave: str, order: Sequence[str]) -> pd.DataFrame:
        """A counts table (wave, segments, counts, nonrespondents) of the (group, wave) cells with rows."""
        g, w = np.nonzero(self.raw.sum(axis=2) + self.nonrespondents)
        out = self.groups.iloc[g].reset_index(drop=True) if self.by else pd.DataFrame(index=range(len(g)))
        out.insert(0, wave, pd.Categorical.from_codes(w, categories=list(order), ordered=True))
        for k, col in enumerate(("detractors", "passives", "promoters")):
            out[col] = self.raw[g, w, k]
        out["nonrespondents"] = self.nonrespondents[g, w]
        return out


def _group_index(frame: pd.DataFrame, by: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """Sorted distinct groups of ``frame[by]`` (missing last, as pandas groupby) and each row's code."""
    if not by:
        return pd.DataFrame(index=[0]), np.zeros(len(frame), dtype=np.int64)
    codes = frame.groupby(by, sort=True, dropna=False, observed=True).ngroup().to_numpy()
    first = pd.Series(np.arange(len(frame))).groupby(codes).first().to_numpy()
    return frame[by].iloc[first].reset_index(drop=True), codes.astype(np.int64)


def prepare_waves(data, score: str, wave: str, id: str | None, by: list[str], nonresponse: str,
                  waves=None, baseline=None):
    """The prepared comparison of :mod:`nps_kit.waves.changes` from an engine table, counted in the engine.

    ``data`` is an Ibis table, a DuckDB relation or a :class:`nps_kit.engines.reading.SourceResponses`.
    The strict rules hold (invalid scores and repeated ids raise a DataError naming rows and
    values, as the pandas path does); rows without a wave are an error.
    """
    from nps_kit.engines.reading import SourceResponses, read_source

    check_option("nonresponse", nonresponse, NONRESPONSE_POLICIES)
    if wave in by or (id is not None and id in by):
        raise ParameterError("the wave and id columns cannot also be segment (by) columns")
    loaded = data if isinstance(data, SourceResponses) else read_source(
        data, score, id=id, wave=wave, by=by, errors="raise", check_scale=False)
    missing = [c for c in [wave, *by] if c not in loaded.counts.columns]
    if missing:
        raise DataError(f"column(s) {', '.join(map(repr, missing))} were not counted; read the "
                        "source with wave=... and by=[...] naming them")
    counts = loaded.counts
    no_wave = counts[wave].isna().to_numpy()
    if no_wave.any():
        n_rows = int(counts.loc[no_wave, list(COUNT_TABLE_COLUMNS)].to_numpy().sum())
        rows = loaded.source.rows_where(lambda t: t[wave].isnull(), limit=5)
        where = f", rows {', '.join(map(str, rows))}" if rows else " (the engine gives no row numbers)"
        raise DataError(f"column {wave!r}: {n_rows} row(s) without a wave{where}; fill in the wave "
                        "or remove these rows")
    values = sorted(pd.unique(counts[wave]), key=lambda v: (str(type(v)), v))
    labels = list(wave_labels(pd.Series(values) if values else pd.Series([], dtype=object)))
    label_of = dict(zip(values, labels))
    order, basis = wave_order(labels, waves)
    position = {lab: i for i, lab in enumerate(order)}
    value_of = {position[lab]: v for lab, v in zip(labels, values)}
    order_values = [value_of[i] for i in range(len(order))]
    pairs = comparison_pairs(order, baseline)
    pair_list = [(i, j) for i, j, _ in pairs]

    def build(by_cols: list[str]) -> WaveCounts:
        cell = counts.groupby([wave, *by_cols], sort=False, dropna=False, observed=True)[
            list(COUNT_TABLE_COLUMNS)].sum().reset_index()
        groups, gcode = _group_index(cell, by_cols)
        wpos = cell[wave].map(label_of).map(position).to_numpy(np.int64)
        raw = np.zeros((len(groups), len(order), 3), dtype=np.int64)
        nonresp = np.zeros((len(groups), len(order)), dtype=np.int64)
        for k, col in enumerate(("detractors", "passives", "promoters")):
            np.add.at(raw[:, :, k], (gcode, wpos), cell[col].to_numpy(np.int64))
        np.add.at(nonresp, (gcode, wpos), cell["nonrespondents"].to_numpy(np.int64))
        tables: dict = {}
        if id is not None and pair_list:
            expr = transitions_expr(loaded.source.table, score, wave, id, order_values, pair_list,
                                    by=by_cols, nonresponse=nonresponse)
            got = loaded.source.run(expr)
            if len(got):
                if by_cols:
                    key = groups.assign(_g=np.arange(len(groups)))
                    got = got.merge(key, on=by_cols, how="left")
                    g = got["_g"].to_numpy(np.int64)
                else:
                    g = np.zeros(len(got), dtype=np.int64)
                for (i, j), part in pd.DataFrame({"i": got["_from"], "j": got["_to"]}).groupby(["i", "j"]).groups.items():
                    tab = np.zeros((len(groups), 3, 3), dtype=np.int64)
                    idx = np.asarray(part)
                    np.add.at(tab, (g[idx], got["from_category"].to_numpy(np.int64)[idx],
                                    got["to_category"].to_numpy(np.int64)[idx]),
                              got["count"].to_numpy(np.int64)[idx])
                    tables[(int(i), int(j))] = tab
        return WaveCounts(groups=groups, by=list(by_cols), raw=raw, nonrespondents=nonresp,
                          nonresponse=nonresponse, tables=tables)

    flat = build([])
    seg = _with_flat(build(by), flat) if by else _with_flat(flat, flat)
    empty = np.zeros(0, dtype=np.int64)
    return PreparedWaves(wave=empty, cat=empty, group=empty, idc=empty, groups=seg.groups, order=order,
                     basis=basis, by=list(by), has_id=id is not None, wave_codes=empty, counted=seg)


def _with_flat(counts: WaveCounts, flat: WaveCounts) -> WaveCounts:
    """``counts`` with its overall (segment-free) counterpart attached."""
    return replace(counts, flat=flat)


__all__ = ["WaveCounts", "prepare_waves"]
