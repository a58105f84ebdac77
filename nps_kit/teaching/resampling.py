"""The bootstrap by hand, for notebook 08: resample the answers, recompute the NPS, read the
percentiles (Efron and Tibshirani 1993, ch. 13)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from nps_kit.teaching.helpers import child_seed, positive_int, probability


def category_scores(counts: Sequence[int]) -> np.ndarray:
    """The -1 / 0 / +1 scores of a sample given as (detractors, passives, promoters) counts."""
    d, a, p = (int(c) for c in counts)
    if min(d, a, p) < 0 or d + a + p == 0:
        from nps_kit.errors import ParameterError

        raise ParameterError(f"counts={tuple(counts)!r}: give three whole numbers >= 0, not all 0")
    return np.repeat([-1, 0, 1], [d, a, p])


def bootstrap_by_hand(counts: Sequence[int], n_resamples: int, seed: int) -> np.ndarray:
    """NPS (points) of ``n_resamples`` resamples of the sample, each drawn with replacement.

    Each resample picks n answers from the n answers of the sample, with replacement, and
    computes 100 x mean(score) with promoters +1, passives 0, detractors -1.
    """
    scores = category_scores(counts)
    n_resamples = positive_int("n_resamples", n_resamples)
    rng = np.random.default_rng(child_seed(seed, 81))
    picks = rng.integers(0, len(scores), size=(n_resamples, len(scores)))
    return 100.0 * scores[picks].mean(axis=1)


def percentile_interval(replicates: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """The middle ``confidence`` of the replicates: their (1 - c)/2 and (1 + c)/2 quantiles."""
    confidence = probability("confidence", confidence)
    lo, hi = np.quantile(np.asarray(replicates, dtype=float), [(1 - confidence) / 2, (1 + confidence) / 2])
    return float(lo), float(hi)


def bootstrap_coverage(true_shares: Sequence[float], n: int, n_samples: int, n_resamples: int,
                       seed: int, confidence: float = 0.95) -> pd.DataFrame:
    """Coverage of the by-hand percentile interval and of the adjusted Wald interval.

    ``n_samples`` samples of ``n`` answers are drawn from ``true_shares``; each gets a bootstrap
    percentile interval from ``n_resamples`` resamples and an adjusted Wald interval.

    Returns
    -------
    DataFrame
        ``method`` ("bootstrap percentile", "adjusted Wald"), ``coverage``, ``mean_width``,
        ``zero_width`` (share of intervals of width 0).
    """
    from nps_kit.core.intervals import nps_interval

    n = positive_int("n", n)
    n_samples = positive_int("n_samples", n_samples)
    p = np.asarray(true_shares, dtype=float)
    truth = 100 * (p[2] - p[0])
    rng = np.random.default_rng(child_seed(seed, 82))
    rows = {"bootstrap percentile": [], "adjusted Wald": []}
    for i in range(n_samples):
        c = rng.multinomial(n, p)
        lo, hi = percentile_interval(bootstrap_by_hand(c, n_resamples, child_seed(seed, 83, i)), confidence)
        rows["bootstrap percentile"].append((lo, hi))
        r = nps_interval(tuple(int(x) for x in c), "adjusted-wald", confidence)
        rows["adjusted Wald"].append((r.low, r.high))
    out = []
    for method, limits in rows.items():
        a = np.asarray(limits)
        out.append({"method": method, "coverage": float(np.mean((a[:, 0] <= truth) & (truth <= a[:, 1]))),
                    "mean_width": float(np.mean(a[:, 1] - a[:, 0])),
                    "zero_width": float(np.mean(a[:, 1] - a[:, 0] == 0))})
    return pd.DataFrame(out)


__all__ = ["bootstrap_by_hand", "bootstrap_coverage", "category_scores", "percentile_interval"]
