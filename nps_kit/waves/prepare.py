"""Responses prepared for wave comparisons: integer codes of wave, category, segment and id.

:func:`prepare_rows` codes a DataFrame of responses once (the strict score and id rules hold);
:class:`PreparedWaves` is what every estimator of :mod:`nps_kit.waves.changes` reads, from rows
or, counted in an engine, from :mod:`nps_kit.waves.engine`. :func:`comparison_pairs` lists the
pairs of waves compared (consecutive, and against a baseline).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from nps_kit.core.scores import NONRESPONSE_POLICIES, category_codes, parse_scores
from nps_kit.core.waveorder import wave_labels, wave_order
from nps_kit.errors import DataError, ParameterError, check_option
from nps_kit.core.columns import as_columns

# ----------------------------------------------------------------------------- preparation
def row_labels(data: pd.DataFrame, mask: np.ndarray, limit: int = 5) -> str:
    """Rows as a person sees them in the file: the ``row`` index of read_responses, else i + 2."""
    idx = np.flatnonzero(mask)[:limit]
    if data.index.name == "row":
        return ", ".join(str(r) for r in data.index.to_numpy()[idx])
    return ", ".join(str(i + 2) for i in idx)


def _categories(data: pd.DataFrame, score: str, nonresponse: str) -> np.ndarray:
    """Category code per row (0 detractor, 1 passive, 2 promoter, -1 not counted)."""
    s = data[score]
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        values = s.to_numpy(dtype=float, na_value=np.nan)
        bad = ~np.isnan(values) & ((values < 0) | (values > 10) | (values != np.round(values)))
        reasons = None
    else:
        parsed = parse_scores(s)
        values, bad, reasons = parsed.values, parsed.invalid, parsed.reasons
    if bad.any():
        shown = row_labels(data, bad)
        first = s.to_numpy(dtype=object)[np.flatnonzero(bad)[:5]].tolist()
        raise DataError(
            f"column {score!r}: {int(bad.sum())} invalid score(s) at rows {shown}: {first}"
            + (f" ({reasons[np.flatnonzero(bad)[0]]})" if reasons is not None else "")
            + "; scores must be whole numbers 0-10. Read the file with "
            "nps_kit.read_responses(..., errors='drop') to drop such rows with a report."
        )
    codes = category_codes(values)
    if nonresponse == "detractor":
        codes = np.where(codes < 0, 0, codes)
    elif nonresponse == "passive":
        codes = np.where(codes < 0, 1, codes)
    return codes


@dataclass(frozen=True)
class PreparedWaves:
    """Counted responses as integer codes: wave position, category, segment group, id."""

    wave: np.ndarray             # position in ``order`` of each counted response
    cat: np.ndarray              # 0 detractor, 1 passive, 2 promoter
    group: np.ndarray            # segment group code (0 without segments)
    idc: np.ndarray              # respondent id code, -1 for no id (or no id column)
    groups: pd.DataFrame         # segment values of each group code (no columns without by)
    order: list
    basis: str
    by: list[str]
    has_id: bool
    wave_codes: np.ndarray       # position in ``order`` of every row of the data
    counted: object = None       # nps_kit.waves.engine.WaveCounts when counted in an engine (no rows)

    def without_by(self) -> "PreparedWaves":
        """The same responses without segment columns (for overall results)."""
        return replace(self, group=np.zeros_like(self.group), groups=pd.DataFrame(index=[0]), by=[],
                       counted=None if self.counted is None else self.counted.flat)


def prepare_rows(data, score, wave, id, by, nonresponse, waves=None) -> PreparedWaves:
    """Code a DataFrame of responses for the wave estimators; the strict rules raise DataError
    (invalid scores, rows without a wave, an id repeated within a wave), naming the rows."""
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"expected a DataFrame of responses, got {type(data).__name__}")
    by = as_columns(by)
    check_option("nonresponse", nonresponse, NONRESPONSE_POLICIES)
    needed = [score, wave, *by] + ([id] if id is not None else [])
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise DataError(
            f"column(s) {', '.join(map(repr, missing))} not found; the data has columns: "
            + ", ".join(map(repr, data.columns))
        )
    if wave in by or (id is not None and id in by):
        raise ParameterError("the wave and id columns cannot also be segment (by) columns")
    no_wave = data[wave].isna().to_numpy()
    if no_wave.any():
        raise DataError(
            f"column {wave!r}: {int(no_wave.sum())} row(s) without a wave, rows "
            f"{row_labels(data, no_wave)}; fill in the wave or remove these rows"
        )
    raw_codes, uniques = pd.factorize(data[wave])
    unique_text = wave_labels(pd.Series(uniques, dtype=data[wave].dtype
                                        if not isinstance(data[wave].dtype, pd.CategoricalDtype)
                                        else object))
    if waves is None and isinstance(data[wave].dtype, pd.CategoricalDtype) and data[wave].cat.ordered:
        present = set(unique_text)
        order = [str(c) for c in data[wave].cat.categories if str(c) in present]
        basis = "the order of the categories"
    else:
        order, basis = wave_order(unique_text, waves)
    position = {w: i for i, w in enumerate(order)}
    wave_pos = np.array([position[t] for t in unique_text], dtype=np.int64)[raw_codes]
    codes = _categories(data, score, nonresponse)
    if by:
        group = data.groupby(by, sort=True, dropna=False, observed=True).ngroup().to_numpy()
        first = pd.Series(np.arange(len(data))).groupby(group).first().to_numpy()
        groups = data[by].iloc[first].reset_index(drop=True)
    else:
        group = np.zeros(len(data), dtype=np.int64)
        groups = pd.DataFrame(index=[0])
    id_codes = np.full(len(data), -1, dtype=np.int64)
    if id is not None:
        ids = data[id]
        id_codes, id_uniques = pd.factorize(ids)
        key = pd.Series(wave_pos * (len(id_uniques) + 1) + id_codes)
        dup = (id_codes >= 0) & key.duplicated(keep=False).to_numpy()
        if dup.any():
            raise DataError(
                f"column {id!r}: respondent ids repeat within a wave at rows {row_labels(data, dup)} "
                f"(ids {ids.to_numpy()[dup][:5].tolist()}); each respondent may answer a wave once. "
                "Read the file with nps_kit.read_responses(..., errors='drop') to drop them."
            )
    keep = codes >= 0
    return PreparedWaves(wave=wave_pos[keep], cat=codes[keep], group=np.asarray(group)[keep].astype(np.int64),
                     idc=np.asarray(id_codes)[keep].astype(np.int64), groups=groups, order=order,
                     basis=basis, by=by, has_id=id is not None, wave_codes=wave_pos)



def comparison_pairs(order: list, baseline) -> list[tuple[int, int, str]]:
    """(from, to, kind) positions: consecutive waves, then each wave against the baseline."""
    pairs = {(i, i + 1): "consecutive" for i in range(len(order) - 1)}
    if baseline is not None:
        b = baseline_position(order, baseline)
        for j in range(len(order)):
            if j == b:
                continue
            key = (b, j) if j > b else (j, b)
            pairs[key] = "consecutive, baseline" if key in pairs else "baseline"
    return [(i, j, kind) for (i, j), kind in sorted(pairs.items())]


def baseline_position(order: list, baseline) -> int:
    """Position of the baseline wave in ``order`` (ParameterError naming the waves if absent)."""
    labels = [str(w) for w in order]
    if str(baseline) not in labels:
        raise ParameterError(
            f"baseline={baseline!r} is not a wave of the data; the waves are: {', '.join(labels)}"
        )
    return labels.index(str(baseline))




__all__ = ["PreparedWaves", "baseline_position", "comparison_pairs", "prepare_rows",
           "row_labels"]
