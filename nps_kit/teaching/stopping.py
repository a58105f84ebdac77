"""Interim looks and stopping rules for notebook 10: how peeking inflates false alarms, the
group-sequential boundaries that prevent it, and a precision stop during fielding with
:mod:`nps_kit.design.monitor`. One seed per section.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from nps_kit.teaching.helpers import child_seed, positive_int, probability, shares3


def false_alarms_by_looks(looks: Sequence[int], batch: int, runs: int, shares: Sequence[float],
                          seed: int, alpha: float = 0.05) -> pd.DataFrame:
    """False-alarm rate of each stopping rule for several numbers of looks (no true change).

    Uses :func:`nps_kit.teaching.pitfalls.peeking` once per number of looks, each with its own
    seed stream.

    Returns
    -------
    DataFrame
        ``looks``, ``rule``, ``false_alarm_rate``.
    """
    from nps_kit.teaching.pitfalls import peeking

    frames = []
    for k in looks:
        k = positive_int("looks", k)
        frames.append(peeking(runs=runs, looks=k, batch=batch, shares=shares, alpha=alpha,
                              seed=child_seed(seed, 101, k))[["rule", "false_alarm_rate"]].assign(looks=k))
    return pd.concat(frames, ignore_index=True)[["looks", "rule", "false_alarm_rate"]]


def sequential_change(looks: int, batch: int, shares: Sequence[float], change: float, seed: int,
                      spending: str = "obrien-fleming", alpha: float = 0.05) -> pd.DataFrame:
    """One study of two waves fielded in ``looks`` batches, tested at each look.

    The second wave's promoter share is up and its detractor share down by ``change / 200``
    (a true change of ``change`` points). At each look the cumulative counts are tested with
    :func:`nps_kit.design.monitor.interim_test` against the ``spending`` boundary, and with a
    naive 1.96.

    Returns
    -------
    DataFrame
        ``look``, ``answers_per_wave``, ``change``, ``z``, ``z_boundary``, ``crossed``,
        ``naive_crossed``, ``sentence``.
    """
    from nps_kit.design.monitor import interim_test

    looks = positive_int("looks", looks)
    batch = positive_int("batch", batch)
    alpha = probability("alpha", alpha)
    p = np.asarray(shares3(shares, "shares"), dtype=float)
    q = p + np.array([-change / 200, 0.0, change / 200])
    rng = np.random.default_rng(child_seed(seed, 102))
    a = rng.multinomial(batch, p, size=looks).cumsum(axis=0)
    b = rng.multinomial(batch, q, size=looks).cumsum(axis=0)
    rows = []
    for k in range(looks):
        t = interim_test(b[k], a[k], k + 1, looks, alpha, spending)
        rows.append({"look": k + 1, "answers_per_wave": batch * (k + 1), "change": t.change, "z": t.z,
                     "z_boundary": t.z_boundary, "crossed": t.crossed, "naive_crossed": abs(t.z) >= 1.959964,
                     "sentence": t.sentence})
    return pd.DataFrame(rows)


def fielding_run(population: int, shares: Sequence[float], response_rate: float, batch_invites: int,
                 margin: float, confidence: float, seed: int) -> pd.DataFrame:
    """Invite ``batch_invites`` people at a time until the margin reaches ``margin`` points.

    Each batch's answers are drawn with ``response_rate`` and ``shares``; after each batch
    :func:`nps_kit.design.monitor.fielding_status` says where fielding stands. The run stops at
    the first batch whose margin is at or below the target, or when everyone has been invited.

    Returns
    -------
    DataFrame
        ``batch``, ``invited``, ``answers``, ``nps``, ``margin``, ``still_needed``, ``stop``.
    """
    from nps_kit.design.monitor import fielding_status

    population = positive_int("population", population, 2)
    batch_invites = positive_int("batch_invites", batch_invites)
    response_rate = probability("response_rate", response_rate)
    p = np.asarray(shares3(shares, "shares"), dtype=float)
    rng = np.random.default_rng(child_seed(seed, 103))
    counts = np.zeros(3, dtype=int)
    invited, rows, k = 0, [], 0
    while invited < population:
        k += 1
        new = min(batch_invites, population - invited)
        invited += new
        answered = rng.binomial(new, response_rate)
        counts += rng.multinomial(answered, p)
        if counts.sum() == 0:
            rows.append({"batch": k, "invited": invited, "answers": 0, "nps": np.nan, "margin": np.nan,
                         "still_needed": np.nan, "stop": False})
            continue
        st = fielding_status(tuple(counts), population, confidence, margin, invited)
        rows.append({"batch": k, "invited": invited, "answers": st.answers, "nps": st.nps, "margin": st.margin,
                     "still_needed": st.still_needed, "stop": st.stop})
        if st.stop:
            break
    return pd.DataFrame(rows)


__all__ = ["false_alarms_by_looks", "fielding_run", "sequential_change"]
