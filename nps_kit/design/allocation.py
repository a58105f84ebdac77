"""A stratified plan: how many to ask in each segment so that the overall and the per-segment
margins hold at once, and the weights to analyse with.

For segments (strata) h with N_h people, anticipated variance v_h (:func:`anticipated_variance`,
worst case 1) and n_h respondents, the weighted overall NPS has variance

    Var = sum_h W_h^2 (v_h / n_h) (N_h - n_h) / (N_h - 1),   W_h = N_h / N,

and segment h alone has margin z sqrt(v_h / n_h (N_h - n_h) / (N_h - 1)) (Cochran 1977, ch. 5).
Three shapes of allocation are compared:

- ``proportional``: n_h proportional to N_h (self-weighting: every weight is N / n);
- ``neyman``: n_h proportional to N_h sqrt(v_h), the smallest overall variance for a given n;
- ``equal``: the same n_h in every segment (best for comparing segments).

For each shape the smallest total n that meets the overall margin is found, then every segment
is raised to the n_h its own margin needs (never above what it can give: N_h times its response
rate); the plan says which shape meets both targets with the fewest respondents (the one to
field), its weights N_h / n_h, and where a target cannot be met.

References
----------
Cochran, W. G. (1977). Sampling Techniques, 3rd ed. Wiley, chapter 5.
Neyman, J. (1934). On the two different aspects of the representative method. Journal of the
Royal Statistical Society 97, 558-625.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from nps_kit.core.intervals import z_value
from nps_kit.core.safetext import display_text
from nps_kit.design.sample_size import anticipated_variance, as_fraction
from nps_kit.errors import ParameterError, check_confidence

__all__ = ["ALLOCATIONS", "StratifiedPlan", "overall_margin", "stratified_plan"]

ALLOCATIONS: tuple[str, ...] = ("proportional", "neyman", "equal")


def overall_margin(populations: Sequence[float], respondents: Sequence[float],
                   variances: Sequence[float], confidence: float = 0.95) -> float:
    """Margin in NPS points of the weighted overall NPS of a stratified sample (module docstring).

    Examples
    --------
    Two equal halves of 1,000, 100 answers each, worst case: 196 sqrt(2 x 0.25 / 100 x 900 / 999)

    >>> round(overall_margin([1000, 1000], [100, 100], [1, 1]), 2)
    13.15
    """
    big = np.asarray(populations, dtype=float)
    n = np.asarray(respondents, dtype=float)
    v = np.asarray(variances, dtype=float)
    if np.any(n < 1) or np.any(n > big):
        raise ParameterError("every segment needs between 1 and its population of respondents")
    w = big / big.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        fpc = np.where(big > 1, (big - n) / (big - 1), 0.0)
    return float(100 * z_value(confidence) * np.sqrt((w ** 2 * v / n * fpc).sum()))


@dataclass(frozen=True)
class StratifiedPlan:
    """Allocations compared, and the one to field.

    Attributes
    ----------
    table : DataFrame
        One row per allocation and segment: ``allocation``, ``segment``, ``population``,
        ``respondents``, ``invitations``, ``weight`` (N_h / n_h), ``margin`` (points),
        ``reachable`` (N_h x response rate), ``meets_segment_margin``.
    summary : DataFrame
        One row per allocation: ``respondents``, ``invitations``, ``overall_margin``,
        ``design_effect`` (Kish, of the weights), ``meets_overall``, ``meets_segments`` (a
        segment that cannot reach its margin counts as met when everyone reachable is asked).
    recommended : str or None
        The allocation that meets both targets with the fewest respondents (None: none does).
    notes : tuple of str
    """

    table: pd.DataFrame = field(repr=False)
    summary: pd.DataFrame = field(repr=False)
    recommended: str | None
    notes: tuple[str, ...]

    @property
    def weights(self) -> pd.DataFrame:
        """The recommended plan's weight per segment (N_h / n_h), to analyse with."""
        pick = self.recommended or self.summary.sort_values("overall_margin")["allocation"].iloc[0]
        t = self.table[self.table["allocation"] == pick]
        return t[["segment", "population", "respondents", "weight"]].reset_index(drop=True)


def stratified_plan(strata: pd.DataFrame, margin: float, segment_margin: float | None = None,
                    confidence: float = 0.95, *, segment: str = "segment",
                    population: str = "population",
                    expected: Mapping | Sequence[float] | None = None,
                    response_rate: float | Mapping | None = None) -> StratifiedPlan:
    """Compare proportional, Neyman and equal allocations against both margins.

    Parameters
    ----------
    strata : DataFrame
        One row per segment: ``segment`` and ``population`` columns.
    margin : float
        Target margin of the overall (weighted) NPS, in points.
    segment_margin : float, optional
        Target margin of each segment's NPS, in points (None: no per-segment target).
    confidence : float
    expected : (d, a, p), or mapping segment -> (d, a, p), optional
        Anticipated shares (worst case when None).
    response_rate : float or mapping segment -> float, optional
        Expected response rate (fraction or percentage) for invitations and reachability.
    """
    confidence = check_confidence(confidence)
    segs = strata[segment].astype(str).tolist()
    big = strata[population].to_numpy(dtype=float)
    if len(segs) < 2 or np.any(big < 1) or len(set(segs)) != len(segs):
        raise ParameterError("a stratified plan needs at least two segments, each named once, "
                             "each with a population of at least 1")
    if isinstance(expected, Mapping):
        v = np.array([anticipated_variance(expected.get(s)) for s in segs])
    else:
        v = np.full(len(segs), anticipated_variance(expected))
    if isinstance(response_rate, Mapping):
        rate = np.array([as_fraction(response_rate[s], f"response rate of {s}") for s in segs])
    else:
        rate = np.full(len(segs), 1.0 if response_rate is None else
                       as_fraction(response_rate, "response rate"))
    reach = np.floor(np.round(big * rate, 9))
    need_seg = (np.array([_segment_need(segment_margin, confidence, b, vv) for b, vv in zip(big, v)])
                if segment_margin is not None else np.ones(len(segs)))
    rows, summary = [], []
    for shape in ALLOCATIONS:
        share = {"proportional": big, "neyman": big * np.sqrt(v), "equal": np.ones(len(big))}[shape]
        share = share / share.sum()
        n = _smallest_total(share, big, v, reach, margin, confidence)
        n = np.minimum(np.maximum(n, need_seg), reach)
        n = np.maximum(n, 1)
        om = overall_margin(big, n, v, confidence)
        seg_m = 100 * z_value(confidence) * np.sqrt(v / n * np.where(big > 1, (big - n) / (big - 1), 0))
        weights = big / n
        meets_seg = seg_m <= (segment_margin if segment_margin is not None else np.inf) + 1e-9
        inv = np.ceil(np.round(n / rate, 9))
        for i, s in enumerate(segs):
            rows.append({"allocation": shape, "segment": s, "population": int(big[i]),
                         "respondents": int(n[i]), "invitations": int(inv[i]),
                         "weight": float(weights[i]), "margin": float(seg_m[i]),
                         "reachable": int(reach[i]), "meets_segment_margin": bool(meets_seg[i])})
        deff = len(n) and float(n.sum() * (n * weights ** 2).sum() / (n * weights).sum() ** 2)
        summary.append({"allocation": shape, "respondents": int(n.sum()),
                        "invitations": int(inv.sum()), "overall_margin": om,
                        "design_effect": deff, "meets_overall": om <= margin + 1e-9,
                        # a segment that cannot reach its target counts as met when all of it is asked
                        "meets_segments": bool((meets_seg | (n >= reach)).all())})
    summary = pd.DataFrame(summary)
    ok = summary[summary["meets_overall"] & summary["meets_segments"]]
    recommended = str(ok.sort_values(["respondents", "design_effect"])["allocation"].iloc[0]) \
        if len(ok) else None
    notes = []
    short = [s for s, n_need, r in zip(segs, need_seg, reach) if n_need > r]
    if short:
        names = ", ".join(display_text(x, "plain", 40) for x in short)
        notes.append(f"segment(s) {names} cannot reach +-{segment_margin:g} points even "
                     "if everyone is invited: the plan invites everyone there and states the "
                     "margin it gets")
    if recommended is None:
        best = summary.sort_values("overall_margin").iloc[0]
        notes.append(f"no allocation meets every target; the closest overall is "
                     f"{best['allocation']} at +-{best['overall_margin']:.1f} points")
    else:
        pick = summary.set_index("allocation").loc[recommended]
        notes.append(f"field the {recommended} allocation: {int(pick['respondents']):,} respondents "
                     f"({int(pick['invitations']):,} invitations) give +-{pick['overall_margin']:.1f} "
                     f"points overall (weighted, design effect {pick['design_effect']:.2f})"
                     + (f" and at most +-{segment_margin:g} in every segment that can reach it"
                        if segment_margin else "")
                     + "; analyse with the weights N_h / n_h of the plan")
    notes.append("Margins cover sampling error only, under random response within each segment.")
    return StratifiedPlan(table=pd.DataFrame(rows), summary=summary, recommended=recommended,
                          notes=tuple(notes))


def _segment_need(segment_margin: float, confidence: float, big: float, v: float) -> int:
    """Respondents a segment of ``big`` people needs for its own margin (Wald, variance v)."""
    z = z_value(confidence)
    n0 = (z * 100 / segment_margin) ** 2 * v
    return int(np.ceil(np.round(n0 / (1 + (n0 - 1) / big), 9))) if np.isfinite(big) else int(np.ceil(n0))


def _smallest_total(share, big, v, reach, margin, confidence) -> np.ndarray:
    """The smallest allocation of the given shape whose overall margin meets ``margin``."""
    def alloc(total):
        return np.clip(np.ceil(np.round(total * share, 9)), 1, reach.clip(min=1))

    lo, hi = 1, int(reach.sum())
    if overall_margin(big, alloc(hi), v, confidence) > margin:
        return alloc(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if overall_margin(big, alloc(mid), v, confidence) <= margin:
            hi = mid
        else:
            lo = mid
    return alloc(hi)
