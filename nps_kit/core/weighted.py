"""NPS with survey weights: the weighted estimate and its linearised (Taylor) variance.

With weights w_i and scores s_i in {-1, 0, +1} (detractor, passive, promoter), the weighted NPS
is the ratio R = sum(w_i s_i) / sum(w_i). Its variance is estimated by linearisation (Woodruff
1971; Lohr 2022, section 9.1): with z_i = w_i (s_i - R) / sum(w),

    Var(R) = sum over strata h of  n_h / (n_h - 1) * sum_{i in h} (z_i - mean_h(z))^2,

the with-replacement form for a stratified sample (one stratum when none is given), times the
finite population factor (N - n) / (N - 1) when the population N is given; with strata, each
stratum's term is multiplied by 1 - n_h / N_h instead, with N_h the stratum's share of the
weights times N (expansion weights N_h / n_h give N_h exactly). With equal weights
and no strata this is n / (n - 1) * v / n with v = p + d - (p - d)^2: the Wald variance up to
n / (n - 1). Kish's effective sample size n_eff = (sum w)^2 / sum(w^2) says how many unweighted
answers the weighted ones are worth (Kish 1965); n / n_eff is the design effect of the weights.

The interval is R +- z sqrt(Var), in points, clamped to [-100, 100]. It covers sampling error
under random response within the weighting cells, nothing else.

References
----------
Kish, L. (1965). Survey Sampling. Wiley.
Lohr, S. L. (2022). Sampling: Design and Analysis, 3rd ed. CRC Press.
Woodruff, R. S. (1971). A simple method for approximating the variance of a complicated
estimate. Journal of the American Statistical Association 66, 411-414.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nps_kit.core.intervals import finite_population_factor, z_value
from nps_kit.errors import DataError

__all__ = ["WEIGHTED_METHOD", "check_weights", "weighted_arrays"]

WEIGHTED_METHOD = "linearized"
"""The ``method`` of a weighted row."""


def check_weights(weights: pd.Series, column: str, file: str = "the data") -> np.ndarray:
    """Weights as floats; a missing, negative or non-numeric weight is an error naming its rows."""
    w = pd.to_numeric(weights, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        rows = np.flatnonzero(bad)[:5]
        shown = ", ".join(f"row {int(weights.index[r]) if isinstance(weights.index[r], (int, np.integer)) else r + 1}"
                          f" ({weights.iloc[r]!r})" for r in rows)
        raise DataError(f"{file}, weight column {column!r}: {int(bad.sum())} weight(s) missing, "
                        f"negative or not a number: {shown}. Give every answer a weight >= 0.")
    return w


def weighted_arrays(codes: np.ndarray, n_groups: int, s: np.ndarray, w: np.ndarray,
                    strata: np.ndarray | None = None, confidence: float = 0.95,
                    population=None) -> dict[str, np.ndarray]:
    """Weighted NPS per group with its linearised se and interval (see the module docstring).

    Parameters
    ----------
    codes : array of int
        Group of each answer (0 .. n_groups - 1).
    s : array
        Score of each answer in {-1, 0, 1}.
    w : array
        Weight of each answer (>= 0).
    strata : array of int, optional
        Stratum of each answer.
    population : float, array or None
        People who could have answered, per group.

    Returns
    -------
    dict
        Per group: ``nps``, ``se``, ``low``, ``high`` (points), ``n`` (answers),
        ``n_effective``, weighted shares ``detractor_share``, ``passive_share``,
        ``promoter_share``.
    """
    codes = np.asarray(codes, dtype=np.intp)
    s = np.asarray(s, dtype=float)
    w = np.asarray(w, dtype=float)
    n = np.bincount(codes, minlength=n_groups).astype(float)
    wsum = np.bincount(codes, weights=w, minlength=n_groups)
    w2 = np.bincount(codes, weights=w * w, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        est = np.bincount(codes, weights=w * s, minlength=n_groups) / wsum
        shares = [np.bincount(codes, weights=w * (s == k), minlength=n_groups) / wsum
                  for k in (-1, 0, 1)]
        z = w * (s - est[codes]) / wsum[codes]
    strata_given = strata is not None
    strata = np.zeros(len(s), dtype=np.intp) if strata is None else np.asarray(strata, dtype=np.intp)
    cell = codes * (int(strata.max()) + 1 if len(strata) else 1) + strata
    frame = pd.DataFrame({"g": codes, "cell": cell, "z": z, "w": w})
    per = frame.groupby("cell").agg(g=("g", "first"), m=("z", "size"), wsum=("w", "sum"),
                                    ss=("z", lambda x: float(((x - x.mean()) ** 2).sum())))
    with np.errstate(invalid="ignore", divide="ignore"):
        term = np.where(per["m"] > 1, per["m"] / (per["m"] - 1) * per["ss"], np.nan)
    stratified = strata_given and population is not None
    if stratified:  # each stratum's own correction, its size from the weights scaled to N
        big = np.broadcast_to(np.asarray(population, dtype=float), (n_groups,))
        finite_population_factor(n, big)  # checks N >= n
        g = per["g"].to_numpy(dtype=np.intp)
        n_cell = big[g] * per["wsum"].to_numpy() / wsum[g]
        term = term * np.clip(1.0 - per["m"].to_numpy() / n_cell, 0.0, 1.0)
    var = np.bincount(per["g"].to_numpy(dtype=np.intp), weights=np.nan_to_num(term, nan=0.0),
                      minlength=n_groups)
    single = np.bincount(per["g"].to_numpy(dtype=np.intp), weights=np.isnan(term).astype(float),
                         minlength=n_groups) > 0
    var = np.where(single | (n < 2), np.nan, var)
    if not stratified:
        var = var * finite_population_factor(n, population) ** 2
    se = np.sqrt(var)
    zc = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        n_eff = wsum ** 2 / w2
    low = np.clip(est - zc * se, -1.0, 1.0)
    high = np.clip(est + zc * se, -1.0, 1.0)
    empty = wsum <= 0
    out = {"nps": 100 * est, "se": 100 * se, "low": 100 * low, "high": 100 * high,
           "n_effective": n_eff, "detractor_share": shares[0], "passive_share": shares[1],
           "promoter_share": shares[2]}
    out = {k: np.where(empty, np.nan, v) for k, v in out.items()}
    out["n"] = n
    return out
