"""Wave over wave: per-wave NPS, changes between waves, segment x wave and panel transitions.

A *wave* is one round of a periodic survey ("2024-H1", "2024-Q3", "Wave 2", a fieldwork date).
:func:`order_waves` puts wave labels in their natural order; :func:`wave_table` gives NPS with
intervals per wave; :func:`wave_changes` tests the change between consecutive waves (and against
a baseline wave), overall or per segment, picking the design of each comparison from the
respondent ids:

- ``"independent"``: no respondent answered both waves (or no id column);
- ``"paired"``: exactly the same respondents answered both waves;
- ``"overlap"``: some respondents answered both.

The variance formulas are in :mod:`nps_kit.compare`. All comparisons of a call (waves x
segments) are one family for the p-value adjustment (Holm by default, Benjamini-Hochberg on
request), and both raw and adjusted p-values are reported. Each comparison also carries the
minimum detectable change (80 % power), so "no significant change" can be read against what the
wave sizes could have shown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from nps_kit.compare import ADJUST_METHODS, COMPARE_METHODS, adjust_pvalues, difference_arrays, \
    min_detectable_change
from nps_kit.errors import DataError, ParameterError, check_confidence, check_option
from nps_kit.intervals import METHODS
from nps_kit.scores import CATEGORIES, NONRESPONSE_POLICIES, category_codes, parse_scores
from nps_kit.summary import summarize
from nps_kit.wording import p_text
from nps_kit.safetext import label

CHANGE_COLUMNS: tuple[str, ...] = (
    "from", "to", "comparison", "design", "n_from", "n_to", "n_matched", "nps_from", "nps_to",
    "delta", "estimate", "se", "ci_low", "ci_high", "z", "p_value", "p_adjusted", "significant",
    "mdc", "method", "confidence", "adjust",
)
"""Columns of :func:`wave_changes` after the segment columns. ``delta`` is the observed change,
``estimate`` the centre of the interval and of the test (the adjusted change for adjusted-wald,
Rocks 2016; equal to ``delta`` for wald)."""

# -------------------------------------------------------------------------------- wave order
_PERIOD_YEAR_FIRST = re.compile(r"^\s*(\d{4})\s*[-_/ ]?\s*([HhQq])\s*([1-4])\s*$")
_PERIOD_YEAR_LAST = re.compile(r"^\s*([HhQq])\s*([1-4])\s*[-_/ ]?\s*(\d{4})\s*$")
_DIGITS = re.compile(r"(\d+)")


def _period_key(text: str):
    """(year, first month, months) of "2024-H1", "2024 Q3", "H2 2024", "Q1-2025"; None otherwise."""
    m = _PERIOD_YEAR_FIRST.match(text)
    if m:
        year, kind, k = int(m.group(1)), m.group(2).upper(), int(m.group(3))
    else:
        m = _PERIOD_YEAR_LAST.match(text)
        if not m:
            return None
        kind, k, year = m.group(1).upper(), int(m.group(2)), int(m.group(3))
    if kind == "H" and k > 2:
        return None
    months = 6 if kind == "H" else 3
    return (year, (k - 1) * months + 1, months)


def _natural_key(text: str) -> tuple:
    """Split into text and numbers so that "W10" sorts after "W9" and "Wave 2" before "Wave 10"."""
    parts = _DIGITS.split(text.strip().lower())
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


def _ordering(values) -> tuple[list, str]:
    """Distinct wave values in natural order, and the basis of that order."""
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if isinstance(s.dtype, pd.CategoricalDtype) and s.cat.ordered:
        present = set(s.dropna().unique())
        return [c for c in s.cat.categories if c in present], "the order of the categories"
    uniques = pd.unique(s.dropna())
    if len(uniques) == 0:
        return [], "no waves"
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return sorted(uniques), "dates"
    objs = pd.Series(uniques, dtype=object)
    if all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
           for v in uniques):
        return sorted(uniques, key=float), "numbers"
    text = objs.astype(str).str.strip()
    numeric = pd.to_numeric(text, errors="coerce")
    if numeric.notna().all():
        order = np.argsort(numeric.to_numpy(), kind="stable")
        return [uniques[i] for i in order], "numbers"
    periods = [_period_key(t) for t in text]
    if all(p is not None for p in periods):
        order = sorted(range(len(uniques)), key=lambda i: periods[i])
        kinds = {p[2] for p in periods}
        unit = "half-years" if kinds == {6} else "quarters" if kinds == {3} else "periods"
        return [uniques[i] for i in order], f"{unit} (year, then period)"
    if all(isinstance(v, (pd.Timestamp, np.datetime64)) for v in uniques) or \
            text.str.match(r"^\d{4}-\d{1,2}(-\d{1,2})?([ T].*)?$").all():
        dates = pd.to_datetime(text, errors="coerce", format="mixed")
        if dates.notna().all():
            order = np.argsort(dates.to_numpy(), kind="stable")
            return [uniques[i] for i in order], "dates"
    keys = [_natural_key(t) for t in text]
    try:
        order = sorted(range(len(uniques)), key=lambda i: keys[i])
    except TypeError:  # labels with different shapes ("W2" and "2024"): compare as text
        order = sorted(range(len(uniques)), key=lambda i: str(keys[i]))
    return [uniques[i] for i in order], "labels, with the numbers in them compared as numbers"


def order_waves(values) -> list:
    """Distinct wave values in their natural order.

    Recognised, in this order: an ordered categorical (its categories' order), numbers
    (``1 < 2 < 10``, also as text), half-years and quarters (``"2024-H1"``, ``"2024 Q3"``,
    ``"H2 2024"``; ordered by year, then start month), dates (``"2024-03-01"``, ``"2024-03"``,
    datetime values) and any other labels in natural order, numbers inside a label compared as
    numbers (``"W9" < "W10"``, ``"Wave 2" < "Wave 10"``). Missing values are left out.

    Parameters
    ----------
    values : array-like or Series

    Returns
    -------
    list
        The distinct values (as given, not converted), first wave first.

    Examples
    --------
    >>> order_waves(["W10", "W9", "W1"])
    ['W1', 'W9', 'W10']
    >>> order_waves(["2025-H1", "2024-H2", "2024-H1"])
    ['2024-H1', '2024-H2', '2025-H1']
    """
    return _ordering(values)[0]


def describe_order(values) -> str:
    """A sentence stating the wave order used and on what it is based.

    Examples
    --------
    >>> describe_order(["2024-H2", "2024-H1"])
    'Waves in order: 2024-H1 < 2024-H2 (ordered as half-years (year, then period)).'
    """
    order, basis = _ordering(values)
    return f"Waves in order: {' < '.join(map(str, order))} (ordered as {basis})."


# ----------------------------------------------------------------------------- preparation
def _as_list(by) -> list[str]:
    return [by] if isinstance(by, str) else list(by or [])


def _row_labels(data: pd.DataFrame, mask: np.ndarray, limit: int = 5) -> str:
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
        shown = _row_labels(data, bad)
        first = s.to_numpy(dtype=object)[np.flatnonzero(bad)[:5]].tolist()
        raise DataError(
            f"column {score!r}: {int(bad.sum())} invalid score(s) at rows {shown}: {first}"
            + (f" ({reasons[np.flatnonzero(bad)[0]]})" if reasons is not None else "")
            + "; scores must be whole numbers 0-10. Read the file with "
            "nps_kit.io.read_responses(..., errors='drop') to drop such rows with a report."
        )
    codes = category_codes(values)
    if nonresponse == "detractor":
        codes = np.where(codes < 0, 0, codes)
    elif nonresponse == "passive":
        codes = np.where(codes < 0, 1, codes)
    return codes


@dataclass(frozen=True)
class _Prepared:
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
    counted: object = None       # nps_kit.counting.WaveCounts when counted in an engine (no rows)

    def without_by(self) -> "_Prepared":
        """The same responses without segment columns (for overall results)."""
        return replace(self, group=np.zeros_like(self.group), groups=pd.DataFrame(index=[0]), by=[],
                       counted=None if self.counted is None else self.counted.flat)


def _prepare(data, score, wave, id, by, nonresponse, waves=None) -> _Prepared:
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"expected a DataFrame of responses, got {type(data).__name__}")
    by = _as_list(by)
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
            f"{_row_labels(data, no_wave)}; fill in the wave or remove these rows"
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
                f"column {id!r}: respondent ids repeat within a wave at rows {_row_labels(data, dup)} "
                f"(ids {ids.to_numpy()[dup][:5].tolist()}); each respondent may answer a wave once. "
                "Read the file with nps_kit.io.read_responses(..., errors='drop') to drop them."
            )
    keep = codes >= 0
    return _Prepared(wave=wave_pos[keep], cat=codes[keep], group=np.asarray(group)[keep].astype(np.int64),
                     idc=np.asarray(id_codes)[keep].astype(np.int64), groups=groups, order=order,
                     basis=basis, by=by, has_id=id is not None, wave_codes=wave_pos)


def wave_order(labels: list[str], waves=None) -> tuple[list[str], str]:
    """The order of the wave labels present, and the basis of that order: ``waves`` as given
    (every present label must be listed), or the natural order of :func:`order_waves`."""
    present = set(labels)
    if waves is not None:
        order = [str(w) for w in waves]
        unknown = sorted(present - set(order))
        if unknown:
            raise ParameterError(f"waves={order} does not list the wave(s) {unknown} of the data")
        return [w for w in order if w in present], "the order given"
    return _ordering(labels)


def wave_labels(values: pd.Series) -> pd.Series:
    """Wave values as text labels: dates as ``YYYY-MM-DD`` (with the time only when there is one),
    everything else as ``str(value)``."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        normal = (values.dropna() == values.dropna().dt.normalize()).all()
        return values.dt.strftime("%Y-%m-%d" if normal else "%Y-%m-%d %H:%M:%S").astype(object)
    return pd.Series([str(v) for v in values.astype(object)], index=values.index, dtype=object)


# ------------------------------------------------------------------------------ loading
@dataclass(frozen=True)
class LoadedWaves:
    """Responses of one or more files, with the report of every dropped row.

    Attributes
    ----------
    data : DataFrame
        Kept rows of all files, with the wave column (the file name's stem for files without
        one); the index holds the row numbers in each file.
    report : DataFrame
        Dropped rows: file, row, column, value, reason.
    files : tuple of str
    rows_read, rows_kept, rows_dropped : int
    """

    data: pd.DataFrame = field(repr=False)
    report: pd.DataFrame = field(repr=False)
    files: tuple
    rows_read: int
    rows_kept: int
    rows_dropped: int

    @property
    def summary(self) -> pd.DataFrame:
        """One-row account of the load (all files together)."""
        return pd.DataFrame([{"files": ", ".join(self.files), "rows_read": self.rows_read,
                              "rows_kept": self.rows_kept, "rows_dropped": self.rows_dropped}])

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def read_waves(
    files: str | Sequence[str],
    score: str,
    wave: str,
    id: str | None = None,
    columns: Sequence[str] | None = None,
    errors: str = "raise",
) -> LoadedWaves:
    """Read responses from one file with a wave column, or from one file per wave.

    Parameters
    ----------
    files : str or list of str
        One path, several paths separated by ``;``, or a list. ``demo:<name>`` works too.
    score, wave : str
        Score and wave columns. A file without the wave column is one wave named after the
        file (its stem, e.g. ``2024-H1`` for ``2024-H1.csv``).
    id : str, optional
        Respondent id column (unique within a wave; checked per file by
        :func:`nps_kit.io.read_responses` and across files by :func:`wave_changes`).
    columns : list of str, optional
        Further columns that must exist (segment, channel).
    errors : {"raise", "drop"}
        As in :func:`nps_kit.io.read_responses`.

    Returns
    -------
    LoadedWaves
    """
    from nps_kit.io import read_responses, read_table, resolve_path

    paths = [p.strip() for p in files.split(";")] if isinstance(files, str) else [str(p) for p in files]
    paths = [p for p in paths if p]
    if not paths:
        raise ParameterError("give at least one responses file")
    parts, reports, read, kept = [], [], 0, 0
    for path in paths:
        has_wave = len(paths) == 1 or wave in read_table(path).columns
        loaded = read_responses(path, score, id=id, wave=wave if has_wave else None,
                                errors=errors, columns=list(columns or []))
        data = loaded.data
        if not has_wave:
            data = data.assign(**{wave: resolve_path(path).stem})
        parts.append(data)
        reports.append(loaded.report)
        read += loaded.rows_read
        kept += loaded.rows_kept
    data = pd.concat(parts) if len(parts) > 1 else parts[0]
    report = pd.concat(reports, ignore_index=True) if len(reports) > 1 else reports[0]
    return LoadedWaves(data=data, report=report, files=tuple(paths), rows_read=read,
                       rows_kept=kept, rows_dropped=read - kept)


# ------------------------------------------------------------------------------ per-wave table
def wave_table(
    data: pd.DataFrame,
    score: str,
    wave: str,
    by: str | Sequence[str] | None = None,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
    nonresponse: str = "exclude",
    *,
    waves: Sequence | None = None,
    seed: int | None = 0,
) -> pd.DataFrame:
    """NPS with intervals per wave (and segment), waves in natural order.

    A thin layer over :func:`nps_kit.summary.summarize` with the wave column as an ordered
    categorical of the wave labels (as text), so rows and charts follow :func:`order_waves`.

    Parameters
    ----------
    data : DataFrame
        One row per response.
    score, wave : str
        Score and wave columns.
    by : str or list of str, optional
        Segment columns.
    method : {"adjusted-wald", "wald", "score", "bootstrap", "bayes"}
    confidence : float
    nonresponse : {"exclude", "detractor", "passive"}
    waves : sequence, optional
        An explicit wave order instead of the natural one.
    seed : int
        For bootstrap and bayes.

    Returns
    -------
    DataFrame
        ``wave`` column (named as in the data), the segment columns, then the columns of
        :func:`nps_kit.summary.summarize` (n, counts, shares, nps, se, ci_low, ci_high, ...).
    """
    check_option("method", method, METHODS)
    prep = _prepare(data, score, wave, None, by, nonresponse, waves)
    return _wave_table(data, score, wave, prep, method, confidence, nonresponse, seed)


def _wave_table(data, score, wave, prep: _Prepared, method, confidence, nonresponse, seed):
    if prep.counted is not None:  # counted in an engine: the counts table of (wave, segments)
        return summarize(prep.counted.frame(wave, prep.order), by=[wave, *prep.by], method=method,
                         confidence=confidence, nonresponse=nonresponse, seed=seed)
    frame = data[[score, *prep.by]].assign(
        **{wave: pd.Categorical.from_codes(prep.wave_codes, categories=prep.order, ordered=True)})
    return summarize(frame, score, by=[wave, *prep.by], method=method, confidence=confidence,
                     nonresponse=nonresponse, seed=seed)


# ------------------------------------------------------------------------------- comparisons
def _pairs(order: list, baseline) -> list[tuple[int, int, str]]:
    """(from, to, kind) positions: consecutive waves, then each wave against the baseline."""
    pairs = {(i, i + 1): "consecutive" for i in range(len(order) - 1)}
    if baseline is not None:
        b = _baseline_position(order, baseline)
        for j in range(len(order)):
            if j == b:
                continue
            key = (b, j) if j > b else (j, b)
            pairs[key] = "consecutive, baseline" if key in pairs else "baseline"
    return [(i, j, kind) for (i, j), kind in sorted(pairs.items())]


def _baseline_position(order: list, baseline) -> int:
    labels = [str(w) for w in order]
    if str(baseline) not in labels:
        raise ParameterError(
            f"baseline={baseline!r} is not a wave of the data; the waves are: {', '.join(labels)}"
        )
    return labels.index(str(baseline))


def _counts(prep: _Prepared) -> np.ndarray:
    """Counts per (group, wave, category), shape (G, W, 3)."""
    if prep.counted is not None:
        return prep.counted.categories
    g, w = len(prep.groups), len(prep.order)
    key = (prep.group * w + prep.wave) * 3 + prep.cat
    return np.bincount(key, minlength=g * w * 3).reshape(g, w, 3)


def _wave_keys(prep: _Prepared) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per wave: (key, group, category) of the responses with an id, key = group x ids + id."""
    if prep.counted is not None:
        return None
    n_ids = int(prep.idc.max()) + 1 if prep.has_id and len(prep.idc) else 0
    has = prep.idc >= 0
    rows = np.flatnonzero(has)
    rows = rows[np.argsort(prep.wave[rows], kind="stable")]
    bounds = np.searchsorted(prep.wave[rows], np.arange(len(prep.order) + 1))
    out = []
    for w in range(len(prep.order)):
        r = rows[bounds[w]:bounds[w + 1]]
        out.append((prep.group[r] * n_ids + prep.idc[r], prep.group[r], prep.cat[r]))
    return out


def _matched(prep: _Prepared, i: int, j: int, keys=None) -> np.ndarray:
    """Transition tables (G, 3, 3) of respondents with the same id and segment in waves i and j."""
    if prep.counted is not None:
        return prep.counted.table(i, j)
    g = len(prep.groups)
    if not prep.has_id:
        return np.zeros((g, 3, 3), dtype=np.int64)
    keys = _wave_keys(prep) if keys is None else keys
    (key_i, grp_i, cat_i), (key_j, _, cat_j) = keys[i], keys[j]
    _, at_i, at_j = np.intersect1d(key_i, key_j, assume_unique=True, return_indices=True)
    cell = grp_i[at_i] * 9 + cat_i[at_i] * 3 + cat_j[at_j]
    return np.bincount(cell, minlength=g * 9).reshape(g, 3, 3)


def _comparison_frame(prep: _Prepared, baseline) -> pd.DataFrame:
    """One row per (segment, pair of waves) with both waves' counts and the matched table."""
    counts = _counts(prep)
    keys = _wave_keys(prep) if prep.has_id else None
    groups, c1, c2, tabs, pair_from, pair_to, kinds = [], [], [], [], [], [], []
    for i, j, kind in _pairs(prep.order, baseline):
        c_i, c_j = counts[:, i], counts[:, j]
        both = np.flatnonzero((c_i.sum(axis=1) > 0) & (c_j.sum(axis=1) > 0))
        groups.append(both)
        c1.append(c_i[both])
        c2.append(c_j[both])
        tabs.append(_matched(prep, i, j, keys)[both])
        pair_from.append(np.full(len(both), i))
        pair_to.append(np.full(len(both), j))
        kinds += [kind] * len(both)
    if not kinds:
        return pd.DataFrame()
    group = np.concatenate(groups)
    c1, c2 = np.concatenate(c1), np.concatenate(c2)
    cols = {f"c{k}_1": c1[:, k] for k in range(3)}
    cols.update({f"c{k}_2": c2[:, k] for k in range(3)})
    cols.update({f"t{k}": np.concatenate(tabs).reshape(-1, 9)[:, k] for k in range(9)})
    cols.update(_from=np.concatenate(pair_from), _to=np.concatenate(pair_to),
                comparison=np.array(kinds, dtype=object))
    out = pd.DataFrame(cols)
    if prep.by:
        out = pd.concat([prep.groups.iloc[group].reset_index(drop=True), out], axis=1)
    return out


def wave_changes(
    data: pd.DataFrame,
    score: str,
    wave: str,
    id: str | None = None,
    by: str | Sequence[str] | None = None,
    baseline=None,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
    adjust: str = "holm",
    *,
    nonresponse: str = "exclude",
    power: float = 0.8,
    waves: Sequence | None = None,
) -> pd.DataFrame:
    """Changes in NPS between consecutive waves (and against a baseline), with tests.

    For every pair of waves compared, overall or within each segment of ``by``: the change
    delta = NPS_to - NPS_from in points, its se, interval, z and two-sided p-value. The design
    of each comparison follows from the ids: "independent" (no respondent in both waves, or
    no ``id``), "paired" (the same respondents in both) or "overlap" (some in both); see
    :mod:`nps_kit.compare` for the variance of each. Respondents match on their id within the
    same segment. P-values of all rows (pairs x segments) form one family for ``adjust``.

    Parameters
    ----------
    data : DataFrame
        One row per response.
    score, wave : str
        Score and wave columns. Waves are ordered by :func:`order_waves`.
    id : str, optional
        Respondent id column; enables the paired and overlap designs. Ids must be unique
        within a wave.
    by : str or list of str, optional
        Segment columns: one comparison per segment.
    baseline : optional
        A wave label: every other wave is compared with it too (column ``comparison`` says
        "consecutive", "baseline" or both). Every pair runs from the earlier to the later wave,
        so for waves before the baseline ``from`` is that wave and ``to`` the baseline.
    method : {"adjusted-wald", "wald"}
        Test method. The interval methods "score", "bootstrap" and "bayes" have no two-sample
        form here; pass them to :func:`wave_table` instead.
    confidence : float
        Level of the intervals; ``significant`` is p_adjusted < 1 - confidence.
    adjust : {"holm", "fdr_bh"}
        Holm (1979) or Benjamini-Hochberg (1995) over all comparisons of the call.
    nonresponse : {"exclude", "detractor", "passive"}
    power : float
        Power for the minimum detectable change ``mdc`` = (z_{1-alpha/2} + z_power) se.
    waves : sequence, optional
        Explicit wave order.

    Returns
    -------
    DataFrame
        Segment columns, then :data:`CHANGE_COLUMNS`: ``from``, ``to`` (wave labels as text),
        ``comparison``, ``design``, ``n_from``, ``n_to``, ``n_matched``, ``nps_from``,
        ``nps_to``, ``delta``, ``se``, ``ci_low``, ``ci_high``, ``z``, ``p_value``,
        ``p_adjusted``, ``significant``, ``mdc``, ``method``, ``confidence``, ``adjust``.
        The interval and z are centred on the adjusted change for adjusted-wald; ``delta`` is
        the observed change.
    """
    check_option("method", method, COMPARE_METHODS)
    check_option("adjust", adjust, ADJUST_METHODS)
    confidence = check_confidence(confidence)
    prep = _prepare(data, score, wave, id, by, nonresponse, waves)
    return _changes(prep, baseline, method, confidence, adjust, power)


def _changes(prep: _Prepared, baseline, method, confidence, adjust, power) -> pd.DataFrame:
    columns = [*prep.by, *CHANGE_COLUMNS]
    if baseline is not None:
        _baseline_position(prep.order, baseline)
    table = _comparison_frame(prep, baseline)
    if table.empty:
        return pd.DataFrame(columns=columns)
    c1 = table[["c0_1", "c1_1", "c2_1"]].to_numpy(dtype=float)
    c2 = table[["c0_2", "c1_2", "c2_2"]].to_numpy(dtype=float)
    tabs = table[[f"t{k}" for k in range(9)]].to_numpy(dtype=float).reshape(-1, 3, 3)
    res = difference_arrays(c1, c2, tabs, method, confidence)
    p_adj = adjust_pvalues(res["p_value"], adjust)
    labels = np.array([str(w) for w in prep.order], dtype=object)
    out = table[prep.by].copy() if prep.by else pd.DataFrame(index=table.index)
    out = out.assign(**{
        "from": labels[table["_from"].to_numpy()], "to": labels[table["_to"].to_numpy()],
        "comparison": table["comparison"].to_numpy(), "design": res["design"],
        "n_from": res["n_1"], "n_to": res["n_2"], "n_matched": res["n_matched"],
        "nps_from": res["nps_1"], "nps_to": res["nps_2"], "delta": res["delta"],
        "estimate": res["estimate"], "se": res["se"],
        "ci_low": res["low"], "ci_high": res["high"], "z": res["z"], "p_value": res["p_value"],
        "p_adjusted": p_adj, "significant": p_adj < 1.0 - confidence,
        "mdc": min_detectable_change(res["se"], confidence, power),
        "method": method, "confidence": confidence, "adjust": adjust,
    })
    order = np.lexsort([table["_to"].to_numpy(), table["_from"].to_numpy(),
                        np.where(table["comparison"].to_numpy() == "baseline", 1, 0)])
    out = out.iloc[order]
    return out.reset_index(drop=True)[columns]


# -------------------------------------------------------------------------------- transitions
def transitions(
    data: pd.DataFrame,
    score: str,
    wave: str,
    id: str,
    by: str | Sequence[str] | None = None,
    *,
    from_wave=None,
    to_wave=None,
    nonresponse: str = "exclude",
    waves: Sequence | None = None,
) -> pd.DataFrame:
    """Transition table of categories for the respondents who answered two waves (a panel).

    How many detractors of one wave became passives or promoters in the next, and back. By
    default every pair of consecutive waves; ``from_wave`` and ``to_wave`` pick one pair.

    Parameters
    ----------
    data : DataFrame
    score, wave, id : str
        Score, wave and respondent id columns.
    by : str or list of str, optional
        Segment columns (respondents match within a segment).
    from_wave, to_wave : optional
        One pair of waves to tabulate (both or neither).
    nonresponse : {"exclude", "detractor", "passive"}
    waves : sequence, optional
        Explicit wave order.

    Returns
    -------
    DataFrame
        Segment columns, ``from``, ``to``, ``from_category``, ``to_category`` (ordered
        categoricals), ``count`` (all 9 cells, zeros included) and ``row_share`` (share of the
        ``from_category`` respondents who moved to ``to_category``).
    """
    if (from_wave is None) != (to_wave is None):
        raise ParameterError("give both from_wave and to_wave, or neither")
    prep = _prepare(data, score, wave, id, by, nonresponse, waves)
    if from_wave is not None:
        pairs = [(_baseline_position(prep.order, from_wave), _baseline_position(prep.order, to_wave))]
    else:
        pairs = [(i, i + 1) for i in range(len(prep.order) - 1)]
    return _transitions(prep, pairs)


def _transitions(prep: _Prepared, pairs: list[tuple[int, int]]) -> pd.DataFrame:
    labels = [str(w) for w in prep.order]
    cols = [*prep.by, "from", "to", "from_category", "to_category", "count", "row_share"]
    frames = []
    cell = np.arange(9)
    keys = _wave_keys(prep)
    for i, j in pairs:
        tabs = _matched(prep, i, j, keys)
        g = len(prep.groups)
        counts = tabs.reshape(g, 9)
        rows = prep.groups.loc[np.repeat(np.arange(g), 9)].reset_index(drop=True) if prep.by else \
            pd.DataFrame(index=range(9 * g))
        row_total = np.repeat(tabs.sum(axis=2), 3, axis=1).reshape(-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(row_total > 0, counts.reshape(-1) / np.maximum(row_total, 1), np.nan)
        frames.append(rows.assign(**{
            "from": labels[i], "to": labels[j],
            "from_category": pd.Categorical.from_codes(np.tile(cell // 3, g), categories=list(CATEGORIES), ordered=True),
            "to_category": pd.Categorical.from_codes(np.tile(cell % 3, g), categories=list(CATEGORIES), ordered=True),
            "count": counts.reshape(-1).astype(np.int64), "row_share": share,
        }))
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols]


def transition_matrix(
    data: pd.DataFrame,
    score: str,
    wave: str,
    id: str,
    from_wave,
    to_wave,
    *,
    nonresponse: str = "exclude",
) -> pd.DataFrame:
    """The 3 x 3 transition table of one pair of waves as a matrix of counts.

    Rows: category in ``from_wave``; columns: category in ``to_wave`` (detractor, passive,
    promoter). Ready for :func:`nps_kit.compare.compare_paired`.
    """
    long = transitions(data, score, wave, id, from_wave=from_wave, to_wave=to_wave,
                       nonresponse=nonresponse)
    mat = long.pivot_table(index="from_category", columns="to_category", values="count",
                           aggfunc="sum", observed=False).reindex(index=list(CATEGORIES),
                                                                  columns=list(CATEGORIES))
    mat.index.name = f"{from_wave} \\ {to_wave}"
    mat.columns.name = None
    return mat.fillna(0).astype(np.int64)


# ------------------------------------------------------------------------------ everything
@dataclass(frozen=True)
class WaveComparison:
    """Per-wave NPS and the changes between waves, with the wave order used.

    Attributes
    ----------
    waves : DataFrame
        Overall NPS per wave (:func:`wave_table`).
    changes : DataFrame
        Overall changes (:func:`wave_changes`), adjusted together with the segment changes.
    segment_waves, segment_changes : DataFrame or None
        The same per segment when ``by`` was given.
    wave_order : tuple of str
    order_basis : str
        What the order rests on ("half-years (year, then period)", "numbers", ...).
    transitions : DataFrame or None
        Category transitions of respondents in consecutive waves (with ``id``).
    """

    waves: pd.DataFrame = field(repr=False)
    changes: pd.DataFrame = field(repr=False)
    wave_order: tuple
    order_basis: str
    segment_waves: pd.DataFrame | None = field(default=None, repr=False)
    segment_changes: pd.DataFrame | None = field(default=None, repr=False)
    transitions: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def order_sentence(self) -> str:
        """The wave order in words."""
        return (f"Waves in order: {' < '.join(map(label, self.wave_order))} "
                f"(ordered as {self.order_basis}).")

    @property
    def summary(self) -> pd.DataFrame:
        """The overall change table."""
        return self.changes

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def compare_waves(
    data: pd.DataFrame,
    score: str,
    wave: str,
    id: str | None = None,
    by: str | Sequence[str] | None = None,
    baseline=None,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
    adjust: str = "holm",
    *,
    interval_method: str | None = None,
    nonresponse: str = "exclude",
    power: float = 0.8,
    waves: Sequence | None = None,
    seed: int | None = 0,
) -> WaveComparison:
    """Per-wave NPS and wave-over-wave changes, overall and per segment, in one call.

    The overall changes and the per-segment changes are adjusted as one family (Holm by default).

    Parameters
    ----------
    data, score, wave, id, by, baseline, method, confidence, adjust, nonresponse, power, waves
        As in :func:`wave_changes`. ``data`` may also be an Ibis table (any backend), a DuckDB
        relation or a :class:`nps_kit.sources.SourceResponses`: the counts per (wave, segment)
        and the 3 x 3 transition tables of matched respondents are then computed in the engine
        (:mod:`nps_kit.counting`) and the same tables come back.
    interval_method : str, optional
        Interval method of the per-wave tables (any of :data:`nps_kit.intervals.METHODS`);
        default ``method``.
    seed : int
        For bootstrap and bayes intervals.

    Returns
    -------
    WaveComparison
    """
    interval_method = method if interval_method is None else interval_method
    check_option("method", method, COMPARE_METHODS)
    check_option("interval_method", interval_method, METHODS)
    by_list = _as_list(by)
    if isinstance(data, pd.DataFrame):
        prep = _prepare(data, score, wave, id, by_list, nonresponse, waves)
    else:  # an Ibis table, DuckDB relation or read source: counts and transitions from the engine
        from nps_kit.counting import prepare_waves

        prep = prepare_waves(data, score, wave, id, by_list, nonresponse, waves, baseline)
    check_option("adjust", adjust, ADJUST_METHODS)
    confidence = check_confidence(confidence)
    order = prep.order
    flat = prep.without_by()
    overall = _changes(flat, baseline, method, confidence, adjust, power)
    seg = _changes(prep, baseline, method, confidence, adjust, power) if by_list else None
    if seg is not None and len(seg):
        raw = np.concatenate([overall["p_value"].to_numpy(float), seg["p_value"].to_numpy(float)])
        adj = adjust_pvalues(raw, adjust)
        alpha = 1.0 - confidence
        overall = overall.assign(p_adjusted=adj[:len(overall)], significant=adj[:len(overall)] < alpha)
        seg = seg.assign(p_adjusted=adj[len(overall):], significant=adj[len(overall):] < alpha)
    wt = _wave_table(data, score, wave, flat, interval_method, confidence, nonresponse, seed)
    swt = _wave_table(data, score, wave, prep, interval_method, confidence, nonresponse, seed) \
        if by_list else None
    trans = _transitions(flat, [(i, i + 1) for i in range(len(order) - 1)]) if id is not None else None
    return WaveComparison(
        waves=wt, changes=overall, wave_order=tuple(str(w) for w in order),
        order_basis=prep.basis, segment_waves=swt, segment_changes=seg, transitions=trans,
    )


# ---------------------------------------------------------------------------- plain language
def _fmt(x: float) -> str:
    return f"{x:+.1f}"


def describe_changes(
    changes: pd.DataFrame,
    segment_changes: pd.DataFrame | None = None,
    by: str | Sequence[str] | None = None,
    protocol_flags: pd.DataFrame | None = None,
) -> list[str]:
    """Plain-language sentences on what changed between waves and what did not.

    One sentence per overall comparison (direction, size, interval, adjusted p-value, and when
    not significant whether the waves could have detected a change of that size), one on the
    segments that moved significantly, and one per pair of waves whose protocol changed.

    Parameters
    ----------
    changes : DataFrame
        Overall changes from :func:`wave_changes` (or ``WaveComparison.changes``).
    segment_changes : DataFrame, optional
        Per-segment changes.
    by : str or list of str, optional
        Segment columns of ``segment_changes``.
    protocol_flags : DataFrame, optional
        From :func:`nps_kit.protocol.protocol_flags`.

    Returns
    -------
    list of str
    """
    sentences: list[str] = []
    flagged = {}
    if protocol_flags is not None and len(protocol_flags):
        for (a, b), grp in protocol_flags.groupby(["from", "to"], sort=False):
            flagged[(str(a), str(b))] = list(dict.fromkeys(grp["field"]))
    for r in changes.to_dict("records"):
        conf = f"{r['confidence']:.0%}"
        adj = {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg"}.get(r["adjust"], r["adjust"])
        head = f"From {label(r['from'])} to {label(r['to'])} ({r['design']} samples, n = {r['n_from']} and {r['n_to']}"
        head += f", {r['n_matched']} in both)" if r["n_matched"] else ")"
        if np.isnan(r["delta"]):
            sentences.append(head + ": no comparison possible (a wave has no respondents).")
            continue
        size = f"{_fmt(r['delta'])} points ({r['nps_from']:.1f} to {r['nps_to']:.1f}; {conf} CI " \
               f"{r['ci_low']:.1f} to {r['ci_high']:.1f})"
        if r["significant"]:
            verb = "rose" if r["delta"] > 0 else "fell"
            text = f"{head} NPS {verb} by {abs(r['delta']):.1f} points: {size}; significant after " \
                   f"{adj} adjustment ({p_text(r['p_value'])}, {p_text(r['p_adjusted'], 'adjusted')})."
        else:
            text = f"{head} NPS changed by {size}: not significant after {adj} adjustment " \
                   f"({p_text(r['p_value'])}, {p_text(r['p_adjusted'], 'adjusted')})."
            if abs(r["delta"]) < r["mdc"]:
                text += f" These wave sizes detect a change of about {r['mdc']:.0f} points with " \
                        "80 % power; smaller true changes easily go unseen, so this does not show " \
                        "that NPS stayed put."
        if (r["from"], r["to"]) in flagged:
            text += " Caution: the survey protocol changed between these waves (" + \
                    ", ".join(flagged[(r["from"], r["to"])]) + "), so the change cannot be read " \
                    "as a change in loyalty."
        sentences.append(text)
    by_list = _as_list(by)
    if segment_changes is not None and by_list:
        moved = segment_changes[segment_changes["significant"].astype(bool)]
        if len(moved):
            parts = [
                f"{' / '.join(label(row[c]) for c in by_list)} {label(row['from'])} to "
                f"{label(row['to'])} "
                f"({_fmt(row['delta'])} points)"
                for row in moved.to_dict("records")
            ]
            sentences.append("Segments that moved significantly after adjustment: " + "; ".join(parts) + ".")
        else:
            sentences.append(
                f"No group of {' x '.join(map(label, by_list))} moved significantly after adjustment "
                f"({len(segment_changes)} segment comparisons)."
            )
    return sentences
