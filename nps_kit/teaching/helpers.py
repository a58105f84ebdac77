"""Small helpers the teaching simulations share: seeds, argument checks, NPS of counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nps_kit.errors import ParameterError


# --------------------------------------------------------------------------- small helpers


def child_seed(seed: int | None, *keys: int) -> int:
    """An integer seed for stream ``keys`` derived from ``seed`` (independent streams)."""
    return int(np.random.SeedSequence([0 if seed is None else int(seed), *keys]).generate_state(1)[0])


def positive_int(name: str, value, minimum: int = 1) -> int:
    try:
        ok = not isinstance(value, bool) and float(value).is_integer() and value >= minimum
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ParameterError(f"{name}={value!r} must be a whole number >= {minimum}")
    return int(value)


def probability(name: str, value) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name}={value!r} is not a number") from None
    if not 0.0 <= x <= 1.0:
        raise ParameterError(f"{name}={value!r} must lie between 0 and 1")
    return x


def shares3(shares: Sequence[float], name: str = "shares") -> tuple[float, float, float]:
    arr = np.asarray(shares, dtype=float).ravel()
    if arr.size != 3 or not np.all(np.isfinite(arr)) or np.any(arr < 0) or abs(arr.sum() - 1) > 1e-9:
        raise ParameterError(
            f"{name}={tuple(np.atleast_1d(shares))!r}: give three shares (detractors, passives, "
            "promoters) >= 0 that add up to 1"
        )
    return float(arr[0]), float(arr[1]), float(arr[2])


def nps_of_counts(d, a, p):
    """100 (p - d) / n for arrays of counts."""
    d, a, p = (np.asarray(x, dtype=float) for x in (d, a, p))
    with np.errstate(invalid="ignore", divide="ignore"):
        return 100.0 * (p - d) / (d + a + p)


@dataclass(frozen=True)
class LessonResult:
    """Base of the small result objects: a ``.summary`` table and its HTML repr."""

    @property
    def summary(self) -> pd.DataFrame:  # pragma: no cover - overridden
        raise NotImplementedError

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


__all__ = [
    "child_seed", "LessonResult", "nps_of_counts", "positive_int", "probability", "shares3",
]
