"""Wave over wave: per-wave NPS, changes between waves, segment x wave and panel transitions.

A *wave* is one round of a periodic survey ("2024-H1", "2024-Q3", "Wave 2", a fieldwork date).
:func:`order_waves` puts wave labels in their natural order; :func:`wave_table` gives NPS with
intervals per wave; :func:`wave_changes` tests the change between consecutive waves (and against
a baseline wave), overall or per segment, picking the design of each comparison from the
respondent ids:

- ``"independent"``: no respondent answered both waves (or no id column);
- ``"paired"``: exactly the same respondents answered both waves;
- ``"overlap"``: some respondents answered both.

The variance formulas are in :mod:`nps_kit.core.compare`. All comparisons of a call (waves x
segments) are one family for the p-value adjustment (Holm by default, Benjamini-Hochberg on
request), and both raw and adjusted p-values are reported. Each comparison also carries the
minimum detectable change (80 % power), so "no significant change" can be read against what the
wave sizes could have shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nps_kit.core.compare import ADJUST_METHODS, COMPARE_METHODS, adjust_pvalues, difference_arrays, \
    min_detectable_change
from nps_kit.errors import ParameterError, check_confidence, check_option
from nps_kit.core.intervals import METHODS
from nps_kit.core.scores import CATEGORIES
from nps_kit.engines.dispatch import summarize
from nps_kit.core.formatting import p_text
from nps_kit.core.safetext import label
from nps_kit.core.columns import as_columns
from nps_kit.waves.prepare import (PreparedWaves, baseline_position, comparison_pairs,
                                   prepare_rows)

CHANGE_COLUMNS: tuple[str, ...] = (
    "from", "to", "comparison", "design", "n_from", "n_to", "n_matched", "nps_from", "nps_to",
    "delta", "estimate", "se", "ci_low", "ci_high", "z", "p_value", "p_adjusted", "significant",
    "mdc", "method", "confidence", "adjust",
)
"""Columns of :func:`wave_changes` after the segment columns. ``delta`` is the observed change,
``estimate`` the centre of the interval and of the test (the adjusted change for adjusted-wald,
Rocks 2016; equal to ``delta`` for wald)."""

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

    A thin layer over :func:`nps_kit.core.summary.summarize` with the wave column as an ordered
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
        :func:`nps_kit.core.summary.summarize` (n, counts, shares, nps, se, ci_low, ci_high, ...).
    """
    check_option("method", method, METHODS)
    prep = prepare_rows(data, score, wave, None, by, nonresponse, waves)
    return _wave_table(data, score, wave, prep, method, confidence, nonresponse, seed)


def _wave_table(data, score, wave, prep: PreparedWaves, method, confidence, nonresponse, seed,
                population=None):
    per_wave = None if population is None else {w: population for w in prep.order}
    if prep.counted is not None:  # counted in an engine: the counts table of (wave, segments)
        return summarize(prep.counted.frame(wave, prep.order), by=[wave, *prep.by], method=method,
                         confidence=confidence, nonresponse=nonresponse, seed=seed,
                         population=per_wave)
    frame = data[[score, *prep.by]].assign(
        **{wave: pd.Categorical.from_codes(prep.wave_codes, categories=prep.order, ordered=True)})
    return summarize(frame, score, by=[wave, *prep.by], method=method, confidence=confidence,
                     nonresponse=nonresponse, seed=seed, population=per_wave)


# ------------------------------------------------------------------------------- comparisons
def _counts(prep: PreparedWaves) -> np.ndarray:
    """Counts per (group, wave, category), shape (G, W, 3)."""
    if prep.counted is not None:
        return prep.counted.categories
    g, w = len(prep.groups), len(prep.order)
    key = (prep.group * w + prep.wave) * 3 + prep.cat
    return np.bincount(key, minlength=g * w * 3).reshape(g, w, 3)


def _wave_keys(prep: PreparedWaves) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
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


def _matched(prep: PreparedWaves, i: int, j: int, keys=None) -> np.ndarray:
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


def _comparison_frame(prep: PreparedWaves, baseline) -> pd.DataFrame:
    """One row per (segment, pair of waves) with both waves' counts and the matched table."""
    counts = _counts(prep)
    keys = _wave_keys(prep) if prep.has_id else None
    groups, c1, c2, tabs, pair_from, pair_to, kinds = [], [], [], [], [], [], []
    for i, j, kind in comparison_pairs(prep.order, baseline):
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
    :mod:`nps_kit.core.compare` for the variance of each. Respondents match on their id within the
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
    prep = prepare_rows(data, score, wave, id, by, nonresponse, waves)
    return _changes(prep, baseline, method, confidence, adjust, power)


def _changes(prep: PreparedWaves, baseline, method, confidence, adjust, power,
             population=None) -> pd.DataFrame:
    columns = [*prep.by, *CHANGE_COLUMNS]
    if baseline is not None:
        baseline_position(prep.order, baseline)
    table = _comparison_frame(prep, baseline)
    if table.empty:
        return pd.DataFrame(columns=columns)
    c1 = table[["c0_1", "c1_1", "c2_1"]].to_numpy(dtype=float)
    c2 = table[["c0_2", "c1_2", "c2_2"]].to_numpy(dtype=float)
    tabs = table[[f"t{k}" for k in range(9)]].to_numpy(dtype=float).reshape(-1, 3, 3)
    res = difference_arrays(c1, c2, tabs, method, confidence, population=population)
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
    prep = prepare_rows(data, score, wave, id, by, nonresponse, waves)
    if from_wave is not None:
        pairs = [(baseline_position(prep.order, from_wave), baseline_position(prep.order, to_wave))]
    else:
        pairs = [(i, i + 1) for i in range(len(prep.order) - 1)]
    return _transitions(prep, pairs)


def _transitions(prep: PreparedWaves, pairs: list[tuple[int, int]]) -> pd.DataFrame:
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
    promoter). Ready for :func:`nps_kit.core.compare.compare_paired`.
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
    population: float | None = None,
) -> WaveComparison:
    """Per-wave NPS and wave-over-wave changes, overall and per segment, in one call.

    The overall changes and the per-segment changes are adjusted as one family (Holm by default).

    Parameters
    ----------
    data, score, wave, id, by, baseline, method, confidence, adjust, nonresponse, power, waves
        As in :func:`wave_changes`. ``data`` may also be an Ibis table (any backend), a DuckDB
        relation or a :class:`nps_kit.engines.reading.SourceResponses`: the counts per (wave, segment)
        and the 3 x 3 transition tables of matched respondents are then computed in the engine
        (:mod:`nps_kit.engines.counting`) and the same tables come back.
    interval_method : str, optional
        Interval method of the per-wave tables (any of :data:`nps_kit.core.intervals.METHODS`);
        default ``method``.
    seed : int
        For bootstrap and bayes intervals.
    population : float, optional
        People each wave could have reached: the overall per-wave intervals and changes get the
        finite population correction (:mod:`nps_kit.core.intervals`); segments, whose own
        populations are not given, do not (conservative).

    Returns
    -------
    WaveComparison
    """
    interval_method = method if interval_method is None else interval_method
    check_option("method", method, COMPARE_METHODS)
    check_option("interval_method", interval_method, METHODS)
    by_list = as_columns(by)
    if isinstance(data, pd.DataFrame):
        prep = prepare_rows(data, score, wave, id, by_list, nonresponse, waves)
    else:  # an Ibis table, DuckDB relation or read source: counts and transitions from the engine
        from nps_kit.waves.engine import prepare_waves

        prep = prepare_waves(data, score, wave, id, by_list, nonresponse, waves, baseline)
    check_option("adjust", adjust, ADJUST_METHODS)
    confidence = check_confidence(confidence)
    order = prep.order
    flat = prep.without_by()
    overall = _changes(flat, baseline, method, confidence, adjust, power, population=population)
    seg = _changes(prep, baseline, method, confidence, adjust, power) if by_list else None
    if seg is not None and len(seg):
        raw = np.concatenate([overall["p_value"].to_numpy(float), seg["p_value"].to_numpy(float)])
        adj = adjust_pvalues(raw, adjust)
        alpha = 1.0 - confidence
        overall = overall.assign(p_adjusted=adj[:len(overall)], significant=adj[:len(overall)] < alpha)
        seg = seg.assign(p_adjusted=adj[len(overall):], significant=adj[len(overall):] < alpha)
    wt = _wave_table(data, score, wave, flat, interval_method, confidence, nonresponse, seed,
                     population=population)
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
        From :func:`nps_kit.waves.protocol.protocol_flags`.

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
    by_list = as_columns(by)
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


__all__ = [
    "CHANGE_COLUMNS", "compare_waves", "describe_changes", "transition_matrix", "transitions",
    "wave_changes", "wave_table", "WaveComparison",
]
