"""Speed of nps_kit.summarize against a numpy floor and a naive pandas version.

Prints ratios measured in one process (absolute times on shared machines are noise):
- summarize / floor, the floor being one numpy.bincount over group * 11 + score on the same
  integer arrays (the least work any exact method must do);
- naive / summarize, the naive version being pandas groupby(...).apply with a Python function;
- bootstrap interval on one million responses with 10,000 replicates: resampling the counts
  (nps_kit) against resampling the raw responses.

Usage: python benchmarks/bench_summarize.py [--n 10000000] [--groups 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from nps_kit.core.intervals import nps_interval
from nps_kit.engines.dispatch import summarize


def best_of(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def floor(groups: np.ndarray, scores: np.ndarray, n_groups: int) -> np.ndarray:
    table = np.bincount(groups * 11 + scores, minlength=n_groups * 11).reshape(n_groups, 11)
    return np.stack([table[:, :7].sum(1), table[:, 7:9].sum(1), table[:, 9:].sum(1)], axis=1)


def naive(frame: pd.DataFrame) -> pd.DataFrame:
    def one(s: pd.Series) -> pd.Series:
        n = len(s)
        p, d = (s >= 9).sum() / n, (s <= 6).sum() / n
        v = p + d - (p - d) ** 2
        return pd.Series({"n": n, "nps": 100 * (p - d), "se": 100 * np.sqrt(v / n)})

    return frame.groupby("group")["score"].apply(one).unstack()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--groups", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    rng = np.random.default_rng(0)
    groups = rng.integers(0, args.groups, args.n)
    scores = rng.choice(11, size=args.n, p=np.r_[np.full(7, 0.3 / 7), 0.15, 0.15, 0.2, 0.2])
    frame = pd.DataFrame({"group": groups, "score": scores})

    ref = floor(groups, scores, args.groups)
    out = summarize(frame, "score", by="group", method="wald")
    assert np.array_equal(out[["detractors", "passives", "promoters"]].to_numpy(), ref)

    t_floor = best_of(lambda: floor(groups, scores, args.groups), args.repeat)
    t_kit = best_of(lambda: summarize(frame, "score", by="group"), args.repeat)
    t_naive = best_of(lambda: naive(frame), max(1, args.repeat // 2))
    print(f"summarize: {args.n:,} responses in {args.groups:,} groups (best of {args.repeat})")
    print(f"  summarize / floor (numpy bincount)        = {t_kit / t_floor:5.2f}x  (target <= 1.5)")
    print(f"  naive groupby.apply / summarize           = {t_naive / t_kit:5.2f}x")
    print(f"  naive groupby.apply / floor               = {t_naive / t_floor:5.2f}x")

    n_boot, n_resp = 10_000, 1_000_000
    one_m = rng.choice(11, size=n_resp, p=np.r_[np.full(7, 0.3 / 7), 0.15, 0.15, 0.2, 0.2])
    cat = np.where(one_m >= 9, 1, np.where(one_m <= 6, -1, 0)).astype(np.int8)
    c = (int((cat == -1).sum()), int((cat == 0).sum()), int((cat == 1).sum()))

    def raw_bootstrap(chunk=100):
        g = np.random.default_rng(1)
        reps = np.empty(n_boot)
        for i in range(0, n_boot, chunk):
            idx = g.integers(0, n_resp, size=(chunk, n_resp))
            reps[i:i + chunk] = cat[idx].mean(axis=1)
        return np.quantile(reps, [0.025, 0.975])

    t_counts = best_of(lambda: nps_interval(c, method="bootstrap", n_resamples=n_boot), 3)
    raw_reps = 200  # the raw resampler is slow; time a slice and scale linearly
    t0 = time.perf_counter()
    g = np.random.default_rng(1)
    for _ in range(raw_reps // 100):
        cat[g.integers(0, n_resp, size=(100, n_resp))].mean(axis=1)
    t_raw = (time.perf_counter() - t0) * n_boot / raw_reps
    print(f"bootstrap: {n_resp:,} responses, {n_boot:,} replicates")
    print(f"  raw-resampling / count-resampling         = {t_raw / t_counts:8.0f}x"
          f"  (raw timed on {raw_reps} replicates, scaled)")


if __name__ == "__main__":
    main()
