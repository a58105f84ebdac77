"""Seeded random draws the demo world and the teaching notebooks share: scores from shares, counts,
independent random streams per part of the world."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from nps_kit.errors import ParameterError

DEFAULT_SEED = 2024
"""Seed of the bundled demo data."""

# independent random streams, one per part of the world
STREAM = {"customers": 1, "loyalty": 2, "responses": 3, "outcomes": 4, "employees": 5,
           "headcount": 6}

# ---------------------------------------------------------------------------------------------
# small helpers

def stream_rng(seed: int | None, part: str) -> np.random.Generator:
    return np.random.default_rng([DEFAULT_SEED if seed is None else int(seed), STREAM[part]])


def expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def score_from_latent(latent: np.ndarray, rng: np.random.Generator, centre: float,
                       slope: float, noise: float) -> np.ndarray:
    """0-10 scores as floats: the rounded, clipped value of centre + slope*latent + noise."""
    raw = centre + slope * latent + rng.normal(0.0, noise, size=latent.shape)
    return np.clip(np.rint(raw), 0, 10)


def category_index(scores: np.ndarray) -> np.ndarray:
    """0 detractor, 1 passive, 2 promoter; scores must be finite."""
    return np.where(scores >= 9, 2, np.where(scores >= 7, 1, 0))


def phrase_table(bank: dict[str, dict[str, tuple[str, ...]]], themes: Sequence[str]) -> np.ndarray:
    """Phrase bank as an array indexed [category, theme, k]."""
    return np.array([[list(bank[c][t]) for t in themes] for c in ("detractor", "passive", "promoter")],
                    dtype=object)


def fake_phones(rng: np.random.Generator, n: int) -> np.ndarray:
    """Phone numbers in the fictional 555-0100..0199 range, in a few common formats."""
    line = rng.integers(100, 200, size=n).astype(str)
    area = rng.integers(200, 1000, size=n).astype(str)
    style = rng.integers(0, 3, size=n)
    formats = np.array([
        "+1 " + pd.Series(area) + " 555 0" + pd.Series(line),
        "(" + pd.Series(area) + ") 555-0" + pd.Series(line),
        pd.Series(area) + "-555-0" + pd.Series(line),
    ], dtype=object)
    return formats[style, np.arange(n)] if n else np.array([], dtype=object)


def wave_window(wave: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Fieldwork window of a wave label ``YYYY-H1`` (March) or ``YYYY-H2`` (September): 4 weeks
    starting on the first Monday of the month."""
    m = re.fullmatch(r"(\d{4})-H([12])", str(wave))
    if not m:
        raise ParameterError(f"wave {wave!r} is not a half-year label such as '2024-H1' or '2024-H2'")
    first = pd.Timestamp(int(m.group(1)), 3 if m.group(2) == "1" else 9, 1)
    start = first + pd.Timedelta(days=(7 - first.weekday()) % 7)
    return start, start + pd.Timedelta(days=25)


def check_waves(waves: Sequence[str]) -> tuple[str, ...]:
    waves = tuple(str(w) for w in waves)
    if not waves:
        raise ParameterError("waves is empty; give at least one wave label such as '2024-H1'")
    if len(set(waves)) != len(waves):
        raise ParameterError(f"waves {waves!r} contain duplicates")
    starts = [wave_window(w)[0] for w in waves]
    if starts != sorted(starts):
        raise ParameterError(f"waves {waves!r} are not in time order")
    return waves


def check_n(name: str, n: int, minimum: int = 1) -> int:
    try:
        ok = not isinstance(n, bool) and float(n).is_integer() and n >= minimum
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ParameterError(f"{name}={n!r} must be a whole number >= {minimum}")
    return int(n)


def three_shares(shares: Sequence[float]) -> np.ndarray:
    """Probabilities over (detractor, passive, promoter) from 3 shares or 11 score probabilities."""
    probs = score_probabilities(shares)
    return np.array([probs[:7].sum(), probs[7:9].sum(), probs[9:].sum()])


# within-category spread used when only (d, a, p) shares are given: detractors lean to 5-6
WITHIN = np.array([0.03, 0.03, 0.05, 0.08, 0.13, 0.28, 0.40, 0.5, 0.5, 0.5, 0.5])


def score_probabilities(shares: Sequence[float]) -> np.ndarray:
    """Probabilities over the scores 0..10 from (d, a, p) shares or 11 score probabilities."""
    p = np.asarray(shares, dtype=float).ravel()
    if p.size not in (3, 11):
        raise ParameterError(
            f"shares has {p.size} values; give 3 shares (detractors, passives, promoters) "
            "or 11 probabilities for the scores 0..10"
        )
    if not np.all(np.isfinite(p)) or np.any(p < 0) or abs(p.sum() - 1.0) > 1e-9:
        raise ParameterError(f"shares {tuple(p.tolist())} must be >= 0 and add up to 1")
    if p.size == 3:
        p = WITHIN * np.repeat(p, [7, 2, 2])
    return p / p.sum()


# ---------------------------------------------------------------------------------------------
# teaching helpers

def simulate_scores(n: int, shares: Sequence[float] = (0.25, 0.35, 0.40),
                    seed: int | None = DEFAULT_SEED) -> np.ndarray:
    """Draw ``n`` independent 0-10 scores.

    Parameters
    ----------
    n : int
        Number of scores.
    shares : sequence of 3 or 11 floats
        Either the shares ``(detractors, passives, promoters)`` (within a category the scores are
        spread with detractors leaning to 5-6, passives and promoters evenly), or probabilities
        for each score 0..10. Must add up to 1.
    seed : int or None
        Seed of ``np.random.default_rng`` (default 2024); ``None`` draws fresh, unrepeatable
        randomness.

    Returns
    -------
    numpy.ndarray
        Float array of length ``n`` with whole scores 0..10.

    Examples
    --------
    >>> s = simulate_scores(5, (0.2, 0.3, 0.5), seed=1)
    >>> s.shape, bool(((s >= 0) & (s <= 10)).all())
    ((5,), True)
    """
    n = check_n("n", n, minimum=0)
    probs = score_probabilities(shares)
    rng = np.random.default_rng(seed)
    return rng.choice(11, size=n, p=probs).astype(float)


def simulate_counts(n: int | Sequence[int], shares: Sequence[float] = (0.25, 0.35, 0.40),
                    size: int | None = None, seed: int | None = DEFAULT_SEED) -> np.ndarray:
    """Multinomial counts ``(detractors, passives, promoters)`` of samples of ``n`` respondents.

    NPS depends on a sample only through these counts, so simulating counts directly is exact
    and its cost does not grow with ``n`` (METHODS.md, "Bootstrap").

    Parameters
    ----------
    n : int or array of int
        Respondents per sample (an array gives one sample per entry).
    shares : sequence of 3 or 11 floats
        True shares ``(d, a, p)`` or probabilities of the scores 0..10 (collapsed to categories).
    size : int, optional
        Number of samples. ``None`` returns a single sample of shape ``(3,)`` (or one per entry
        of an array ``n``).
    seed : int or None
        Seed of ``np.random.default_rng`` (default 2024); ``None`` draws fresh, unrepeatable
        randomness.

    Returns
    -------
    numpy.ndarray
        Integer array of shape ``(size, 3)`` (or ``(3,)``), columns ordered (detractors,
        passives, promoters), each row adding up to ``n``.

    Examples
    --------
    >>> c = simulate_counts(100, (0.2, 0.3, 0.5), size=4, seed=0)
    >>> c.shape, c.sum(axis=1).tolist()
    ((4, 3), [100, 100, 100, 100])
    """
    n_arr = np.asarray(n)
    if (not np.issubdtype(n_arr.dtype, np.number) or np.any(n_arr < 0)
            or np.any(n_arr != np.round(n_arr))):
        raise ParameterError(f"n={n!r} must be whole numbers >= 0")
    if size is not None:
        size = check_n("size", size)
    probs = three_shares(shares)
    rng = np.random.default_rng(seed)
    return rng.multinomial(n_arr.astype(np.int64), probs, size=size)


__all__ = [
    "category_index", "check_n", "check_waves", "DEFAULT_SEED", "expit", "fake_phones",
    "phrase_table", "score_from_latent", "score_probabilities", "simulate_counts",
    "simulate_scores", "STREAM", "stream_rng", "three_shares", "wave_window", "WITHIN",
]
