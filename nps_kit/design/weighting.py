"""Weights that make the respondents look like the population: raking to known margins.

Raking (iterative proportional fitting; Deming & Stephan 1940) adjusts weights one variable at
a time so that the weighted share of every level of every raking variable (segment, channel,
region) equals its known population share, and repeats until all margins hold at once. The
result is the weight closest to the starting weights in the Kullback-Leibler sense among all
that reproduce the margins (Ireland & Kullback 1968); each respondent's weight is its start
weight times one factor per variable level.

Trimming caps weights at ``trim`` times the mean weight (and at least ``1 / trim`` of it),
then rakes again, a few rounds; the margins then hold only approximately and the result says
by how much. The design effect of the weights, 1 + CV^2 of the weights (Kish 1965), and the
effective sample size n / deff say what the weighting costs in precision; analyse with
:func:`nps_kit.core.summary.summarize` (``weights=``), whose linearised intervals carry it.

References
----------
Deming, W. E., & Stephan, F. F. (1940). On a least squares adjustment of a sampled frequency
table when the expected marginal totals are known. Annals of Mathematical Statistics 11, 427-444.
Ireland, C. T., & Kullback, S. (1968). Contingency tables with given marginals. Biometrika 55,
179-188.
Kish, L. (1965). Survey Sampling. Wiley.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import pandas as pd

from nps_kit.errors import DataError, ParameterError

__all__ = ["RakingResult", "design_effect", "margins_table", "rake"]


@dataclass(frozen=True)
class RakingResult:
    """Raked weights and how well they hold the margins.

    Attributes
    ----------
    weights : Series
        One weight per respondent (index of the data), scaled to sum to the number of
        respondents (multiply by N / n for expansion weights).
    converged : bool
        Whether every margin holds within ``tolerance`` (before trimming).
    iterations : int
        Raking sweeps used.
    max_error : float
        Largest absolute difference between a weighted share and its target, after trimming.
    design_effect : float
        1 + CV^2 of the weights (Kish).
    n_effective : float
        n / design_effect.
    trimmed : int
        Weights capped in the last trimming round.
    margins : DataFrame
        ``variable``, ``level``, ``target``, ``sample_share`` (unweighted), ``weighted_share``.
    """

    weights: pd.Series = field(repr=False)
    converged: bool
    iterations: int
    max_error: float
    design_effect: float
    n_effective: float
    trimmed: int
    margins: pd.DataFrame = field(repr=False)


def design_effect(weights) -> float:
    """Kish's design effect of unequal weights: n sum(w^2) / sum(w)^2 = 1 + CV^2.

    Examples
    --------
    >>> design_effect([1, 1, 1, 1]), round(design_effect([1, 1, 1, 3]), 3)
    (1.0, 1.333)
    """
    w = np.asarray(weights, dtype=float)
    return float(len(w) * (w ** 2).sum() / w.sum() ** 2)


def _targets(data: pd.DataFrame, margins: Mapping[str, Mapping], file: str) -> dict[str, pd.Series]:
    out = {}
    for column, shares in margins.items():
        if column not in data.columns:
            raise DataError(f"{file} has no column {column!r} to rake on; its columns are: "
                            f"{', '.join(map(str, data.columns[:20]))}")
        target = pd.Series({k: float(v) for k, v in dict(shares).items()}, dtype=float)
        if (target < 0).any() or target.sum() <= 0:
            raise ParameterError(f"margins of {column!r} must be numbers >= 0 with a positive total")
        target = target / target.sum()
        seen = set(data[column].dropna().unique())
        missing = sorted(map(str, seen - set(target.index)))
        if missing:
            raise DataError(f"{file}, column {column!r}: level(s) {', '.join(missing[:5])} have no "
                            "population share; give a share for every level in the data")
        empty = [str(k) for k, v in target.items() if v > 0 and k not in seen]
        if empty:
            raise DataError(f"{file}, column {column!r}: nobody answered in level(s) "
                            f"{', '.join(empty[:5])}, so no weight can stand for them; merge "
                            "those levels with a neighbour or drop them from the margins")
        if data[column].isna().any():
            rows = np.flatnonzero(data[column].isna().to_numpy())[:5] + 1
            raise DataError(f"{file}, column {column!r}: {int(data[column].isna().sum())} row(s) "
                            f"without a value (rows {rows.tolist()}); fill them or drop them")
        out[column] = target
    return out


def rake(data: pd.DataFrame, margins: Mapping[str, Mapping], *, start: str | None = None,
         tolerance: float = 1e-6, max_iterations: int = 200, trim: float | None = None,
         trim_rounds: int = 5, file: str = "the responses") -> RakingResult:
    """Rake the respondents' weights to known population margins.

    Parameters
    ----------
    data : DataFrame
        One row per respondent, with every raking variable.
    margins : mapping column -> mapping level -> share
        The population's share (or count) of every level of every raking variable, e.g.
        ``{"segment": {"SMB": 0.7, "Mid-market": 0.2, "Enterprise": 0.1}}``.
    start : str, optional
        A column of starting (design) weights; default 1 for everyone.
    tolerance : float
        Largest allowed gap between a weighted share and its target.
    max_iterations : int
        Raking sweeps before giving up (the result says ``converged=False``).
    trim : float, optional
        Cap weights at ``trim`` times the mean (and floor at mean / ``trim``), then rake again.

    Returns
    -------
    RakingResult

    Examples
    --------
    >>> df = pd.DataFrame({"seg": ["a", "a", "a", "b"]})
    >>> r = rake(df, {"seg": {"a": 0.5, "b": 0.5}})
    >>> r.weights.round(3).tolist(), round(r.design_effect, 3)
    ([0.667, 0.667, 0.667, 2.0], 1.333)
    """
    if not len(data):
        raise DataError(f"{file} has no rows to weight")
    if trim is not None and not trim > 1:
        raise ParameterError(f"trim={trim!r} must be above 1 (for example 5: no weight above five "
                             "times the mean)")
    targets = _targets(data, margins, file)
    w = (np.ones(len(data)) if start is None else
         pd.to_numeric(data[start], errors="coerce").to_numpy(dtype=float))
    if not np.all(np.isfinite(w)) or (w <= 0).any():
        raise DataError(f"{file}, start weight column {start!r}: every weight must be a number > 0")
    codes = {c: pd.Categorical(data[c], categories=list(t.index)).codes for c, t in targets.items()}

    def sweep(w):
        for c, t in targets.items():
            totals = np.bincount(codes[c], weights=w, minlength=len(t))
            with np.errstate(invalid="ignore", divide="ignore"):
                factor = np.where(totals > 0, t.to_numpy() * w.sum() / totals, 0.0)
            w = w * factor[codes[c]]
        return w

    def error(w):
        return max(float(np.abs(np.bincount(codes[c], weights=w, minlength=len(t)) / w.sum()
                                - t.to_numpy()).max()) for c, t in targets.items())

    iterations, converged = 0, False
    for iterations in range(1, max_iterations + 1):
        w = sweep(w)
        if error(w) <= tolerance:
            converged = True
            break
    trimmed = 0
    if trim is not None:
        for _ in range(trim_rounds):
            mean = w.mean()
            capped = np.clip(w, mean / trim, mean * trim)
            trimmed = int((capped != w).sum())
            if not trimmed:
                break
            w = capped
            for _ in range(max_iterations):
                w = sweep(w)
                if error(w) <= tolerance:
                    break
        for _ in range(100):  # the cap relative to the mean, holding after the final scaling
            w = np.clip(w / w.mean(), 1.0 / trim, trim)
            if w.max() <= trim * w.mean() * (1 + 1e-12) and w.min() >= w.mean() / trim * (1 - 1e-12):
                break
    w = w * len(w) / w.sum()
    rows = []
    for c, t in targets.items():
        sample = np.bincount(codes[c], minlength=len(t)) / len(w)
        weighted = np.bincount(codes[c], weights=w, minlength=len(t)) / w.sum()
        rows += [{"variable": c, "level": lvl, "target": float(t[lvl]), "sample_share": float(s),
                  "weighted_share": float(ws)} for lvl, s, ws in zip(t.index, sample, weighted)]
    deff = design_effect(w)
    return RakingResult(weights=pd.Series(w, index=data.index, name="weight"), converged=converged,
                        iterations=iterations, max_error=error(w), design_effect=deff,
                        n_effective=len(w) / deff, trimmed=trimmed, margins=pd.DataFrame(rows))


def margins_table(frame: pd.DataFrame, variable: str = "variable", level: str = "level",
                  share: str = "share") -> dict[str, dict]:
    """Margins from a tidy table (one row per variable and level) in the form :func:`rake` takes.

    Examples
    --------
    >>> margins_table(pd.DataFrame({"variable": ["seg", "seg"], "level": ["a", "b"],
    ...                             "share": [0.3, 0.7]}))
    {'seg': {'a': 0.3, 'b': 0.7}}
    """
    out: dict[str, dict] = {}
    for r in frame.to_dict("records"):
        out.setdefault(str(r[variable]), {})[r[level]] = float(r[share])
    return out
