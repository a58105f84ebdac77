"""Monthly responses for the series tests: generated here, not shaped like the demo."""

from __future__ import annotations

import numpy as np
import pandas as pd


def monthly_responses(months: int = 12, per_month: int = 90, seed: int = 7,
                      start: str = "2025-01-01") -> pd.DataFrame:
    """``submitted_at`` timestamps over ``months`` months, 0-10 scores, a tenure band, an id."""
    rng = np.random.default_rng(seed)
    first = pd.Timestamp(start)
    frames = []
    for m in range(months):
        begin = first + pd.DateOffset(months=m)
        end = begin + pd.DateOffset(months=1)
        seconds = rng.integers(0, int((end - begin).total_seconds()), per_month)
        stamps = begin + pd.to_timedelta(np.sort(seconds), unit="s")
        drift = 0.08 * np.sin(m / 2)
        p = np.array([0.03, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.14, 0.16, 0.2, 0.19])
        p = np.clip(p + drift * np.linspace(-1, 1, 11) * p, 1e-3, None)
        scores = rng.choice(11, per_month, p=p / p.sum())
        frames.append(pd.DataFrame({
            "submitted_at": stamps.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "likelihood": scores,
            "tenure_band": rng.choice(["<1y", "1-3y", "3-5y", "5y+"], per_month),
            "resp": [f"R{m:02d}{i:04d}" for i in range(per_month)],
        }))
    return pd.concat(frames, ignore_index=True)
