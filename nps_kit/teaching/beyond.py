"""Simulations and sentences behind notebook 06 (beyond significance), one seed per section.

- :func:`equivalence_scenarios`, :func:`tost_coverage`: pairs of waves with a known change, judged
  by two one-sided tests (:mod:`nps_kit.core.equivalence`);
- :func:`simulate_stores`, :func:`describe_lucky_store`, :func:`describe_interval_coverage`: a
  league table of stores with known true NPS, for empirical-Bayes shrinkage;
- :func:`simulate_driver_customers`, :func:`true_driver_effects`: customers drawn from a known
  multinomial logit, and its exact average marginal effects in NPS points;
- :func:`simulate_months`, :func:`chart_against_truth`: monthly waves with a known drop, and which
  control-chart signals came before it (false alarms) or after it (detections), each credited to
  the month at which it could be known (:func:`nps_kit.waves.control_chart.signals`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import binom

from nps_kit.core.compare import compare_nps, difference_arrays
from nps_kit.core.equivalence import equivalence_test, tost_arrays
from nps_kit.errors import ParameterError
from nps_kit.teaching.helpers import child_seed, positive_int

BASE_SHARES = np.array([0.25, 0.35, 0.40])
"""Detractor, passive and promoter shares of the simulations (NPS +15)."""


def equivalence_scenarios(wave_n: int, margin: float, seed: int) -> pd.DataFrame:
    """Four simulated pairs of waves judged by TOST against ``margin`` points.

    The scenarios: no change with ``wave_n`` answers per wave; no change with 150; a real change
    of +12 points with ``wave_n``; a real change of +2 points with 40 x ``wave_n``.

    Returns
    -------
    DataFrame
        ``scenario``, ``n_per_wave``, ``true_change``, ``counts_1``, ``counts_2``, ``estimate``,
        ``se``, ``tost_low``, ``tost_high`` (the 90 % interval), ``p_value`` (the ordinary test
        of zero change), ``p_equivalence``, ``verdict``.
    """
    wave_n = positive_int("wave_n", wave_n, 2)
    base = BASE_SHARES
    scenarios = [
        ("no change, large waves", wave_n, base, base),
        ("no change, small waves", 150, base, base),
        ("real change of +12 points", wave_n, base, base + [-0.06, 0.0, 0.06]),
        ("real change of +2 points, huge waves", 40 * wave_n, base, base + [-0.01, 0.0, 0.01]),
    ]
    rows = []
    for k, (name, n, s1, s2) in enumerate(scenarios):
        rng = np.random.default_rng(child_seed(seed, 1, k))
        c1, c2 = rng.multinomial(n, s1), rng.multinomial(n, s2)
        result = equivalence_test(compare_nps(tuple(map(int, c1)), tuple(map(int, c2))), margin)
        rows.append({"scenario": name, "n_per_wave": n, "true_change": 100 * ((s2[2] - s2[0]) - (s1[2] - s1[0])),
                     "counts_1": list(map(int, c1)), "counts_2": list(map(int, c2)),
                     "estimate": result.estimate, "se": result.se, "tost_low": result.low,
                     "tost_high": result.high, "p_value": result.p_value,
                     "p_equivalence": result.p_equivalence, "verdict": result.verdict})
    return pd.DataFrame(rows)


def tost_coverage(n_reps: int, margin: float, seed: int, n: int = 400, change: float = 6.0) -> float:
    """Share of ``n_reps`` simulated pairs of waves whose 90 % TOST interval holds the true change.

    Each pair: ``n`` answers per wave, the second wave's promoter share up and detractor share
    down by ``change / 200`` (a true change of ``change`` points).
    """
    n_reps = positive_int("n_reps", n_reps)
    rng = np.random.default_rng(child_seed(seed, 2))
    shift = np.array([-change / 200, 0.0, change / 200])
    c1 = rng.multinomial(n, BASE_SHARES, size=n_reps)
    c2 = rng.multinomial(n, BASE_SHARES + shift, size=n_reps)
    diff = difference_arrays(c1, c2, None, "adjusted-wald", 0.95)
    tost = tost_arrays(diff["estimate"], diff["se"], margin, 0.95)
    return float(np.mean((tost["tost_low"] <= change) & (change <= tost["tost_high"])))


def simulate_stores(n_stores: int, seed: int, smallest: int = 6, largest: int = 300,
                    concentration: float = 25.0) -> pd.DataFrame:
    """Stores whose true shares come from one Dirichlet distribution; the smallest is all promoters.

    Sizes run evenly from ``smallest`` to ``largest`` answers. The true shares are drawn from a
    Dirichlet with parameters ``concentration`` x :data:`BASE_SHARES`; the smallest store's
    answers are then set to all promoters (the lucky small store of the lesson).

    Returns
    -------
    DataFrame
        ``store``, ``n``, ``detractors``, ``passives``, ``promoters``, ``nps``, ``true_nps``.
    """
    n_stores = positive_int("n_stores", n_stores, 3)
    rng = np.random.default_rng(child_seed(seed, 3))
    sizes = np.linspace(smallest, largest, n_stores).astype(int)
    shares = rng.dirichlet(concentration * BASE_SHARES, size=n_stores)
    counts = np.array([rng.multinomial(n, s) for n, s in zip(sizes, shares)])
    counts[0] = [0, 0, sizes[0]]
    stores = pd.DataFrame({"store": [f"S{i + 1:02d}" for i in range(n_stores)], "n": sizes,
                           "detractors": counts[:, 0], "passives": counts[:, 1], "promoters": counts[:, 2]})
    stores["nps"] = 100 * (stores["promoters"] - stores["detractors"]) / stores["n"]
    stores["true_nps"] = 100 * (shares[:, 2] - shares[:, 0])
    return stores


def describe_lucky_store(league: pd.DataFrame, prior_nps: float, concentration: float) -> str:
    """What shrinkage did to the smallest store, and why, from its own numbers.

    The shrunk value is (roughly) a weighted average of the store's raw NPS, with weight
    n / (A + n), and the prior NPS, with weight A / (A + n), where A is the fitted
    concentration.
    """
    small = league.loc[league["n"].idxmin()]
    n = float(small["n"])
    weight = n / (concentration + n)
    inside = small["shrunk_low"] <= small["true_nps"] <= small["shrunk_high"]
    return (f"The {int(n)}-answer store: raw {small['nps']:+.0f}, shrunk {small['nps_shrunk']:+.1f} "
            f"(95 % interval {small['shrunk_low']:+.1f} to {small['shrunk_high']:+.1f}; true NPS "
            f"{small['true_nps']:+.1f}). With a fitted concentration of A = {concentration:.0f}, its own "
            f"{int(n)} answers get a weight of about n / (A + n) = {weight:.0%} and the overall NPS "
            f"({prior_nps:+.1f}) the rest, so the estimate moves "
            f"{'most of' if weight < 0.5 else 'part of'} the way back to the overall. "
            + ("The interval holds the true value: the shrunk figure is the honest one, the +100 was luck."
               if inside else
               "Even so the interval misses the true value: an interval from 6 answers can be wrong, "
               "shrunk or not."))


def describe_interval_coverage(league: pd.DataFrame, confidence: float = 0.95) -> str:
    """How many stores' shrunk intervals hold their true NPS, against the nominal level.

    Names the binomial probability of seeing that few (or fewer) covered if each interval
    covered with probability ``confidence`` independently, and what kind of promise a
    posterior interval makes.
    """
    covered = (league["shrunk_low"] <= league["true_nps"]) & (league["true_nps"] <= league["shrunk_high"])
    k, n = int(covered.sum()), len(league)
    p_low = float(binom.cdf(k, n, confidence))
    missed = league.loc[~covered, "store"].tolist()
    text = (f"The shrunk intervals hold the true NPS for {k} of {n} stores ({k / n:.0%}) against a nominal "
            f"{confidence:.0%}")
    if k / n >= confidence:
        text += ": as promised or better."
    else:
        text += (f". With {n} stores, {k} or fewer would happen by chance with probability {p_low:.2f} if every "
                 f"interval covered {confidence:.0%} of the time")
        text += (", so this alone is no evidence against the model." if p_low >= 0.05 else
                 ", so the model's prior is probably too tight for these stores.")
    text += (" These are posterior (credible) intervals: they promise 95 % on average over stores like "
             "these, not for each store; a store far from the others is the one they tend to miss"
             + (f" (missed here: {', '.join(missed)})." if missed else "."))
    return text


DRIVER_COEFFICIENTS = np.array([[0.8, 1.0], [0.3, 0.9], [-0.2, -0.6], [0.05, 0.15], [-0.4, -1.2]])
"""True multinomial-logit coefficients: rows intercept, premium, trial, tenure (years),
complained; columns passive and promoter against detractor."""


def simulate_driver_customers(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Customers whose category follows :data:`DRIVER_COEFFICIENTS`, with a 0-10 score.

    Plan is basic / premium / trial (50 / 30 / 20 %), tenure Gamma(2, 2) years, a complaint with
    probability 0.25. The score is drawn uniformly within the category (0-6, 7-8, 9-10).

    Returns
    -------
    (DataFrame, ndarray)
        ``score``, ``plan``, ``tenure_years``, ``complained``; and the design matrix (intercept,
        premium, trial, tenure, complained) for :func:`true_driver_effects`.
    """
    n = positive_int("n", n, 2)
    rng = np.random.default_rng(child_seed(seed, 4))
    plan = rng.choice(["basic", "premium", "trial"], size=n, p=[0.5, 0.3, 0.2])
    tenure = rng.gamma(2.0, 2.0, size=n).round(1)
    complained = rng.random(n) < 0.25
    x = np.column_stack([np.ones(n), plan == "premium", plan == "trial", tenure, complained]).astype(float)
    p = _category_probabilities(x)
    cat = (rng.random(n)[:, None] > np.cumsum(p, axis=1)).sum(axis=1)
    score = np.select([cat == 0, cat == 1], [rng.integers(0, 7, n), rng.integers(7, 9, n)], rng.integers(9, 11, n))
    frame = pd.DataFrame({"score": score, "plan": plan, "tenure_years": tenure, "complained": complained})
    return frame, x


def _category_probabilities(design: np.ndarray) -> np.ndarray:
    eta = np.column_stack([np.zeros(len(design)), design @ DRIVER_COEFFICIENTS])
    e = np.exp(eta - eta.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _nps_of(design: np.ndarray) -> float:
    p = _category_probabilities(design)
    return float(100 * np.mean(p[:, 2] - p[:, 0]))


def true_driver_effects(design: np.ndarray) -> dict[tuple[str, object], float]:
    """Exact average marginal effects on NPS (points) of the simulated customers' model.

    Plans against basic ("everyone on premium" minus "everyone on basic", the other attributes
    as observed), tenure per year (central difference), complaint yes minus no.
    """
    ref = design.copy()
    ref[:, 1:3] = 0
    out: dict[tuple[str, object], float] = {}
    for col, level in ((1, "premium"), (2, "trial")):
        at = ref.copy()
        at[:, col] = 1
        out[("plan", level)] = _nps_of(at) - _nps_of(ref)
    h = 1e-5
    up, down = design.copy(), design.copy()
    up[:, 3] += h
    down[:, 3] -= h
    out[("tenure_years", None)] = (_nps_of(up) - _nps_of(down)) / (2 * h)
    yes, no = design.copy(), design.copy()
    yes[:, 4], no[:, 4] = 1, 0
    out[("complained", True)] = _nps_of(yes) - _nps_of(no)
    return out


def simulate_months(n_months: int, drop_month: int, drop_points: float, seed: int) -> pd.DataFrame:
    """Monthly counts (150 to 400 answers) with a true drop of ``drop_points`` from ``drop_month``.

    Months are labelled ``2024-01`` onwards; ``drop_month`` counts from 1. A ``drop_month``
    after the last month means no drop.

    Returns
    -------
    DataFrame
        ``month``, ``detractors``, ``passives``, ``promoters``, ``true_nps``.
    """
    n_months = positive_int("n_months", n_months, 3)
    drop_month = positive_int("drop_month", drop_month)
    rng = np.random.default_rng(child_seed(seed, 5))
    sizes = rng.integers(150, 401, size=n_months)
    shift = np.array([drop_points / 200, 0.0, -drop_points / 200])
    shares = [BASE_SHARES + (shift if i + 1 >= drop_month else 0.0) for i in range(n_months)]
    if np.min(shares) < 0:
        raise ParameterError(f"drop_points={drop_points!r} is too large for shares {BASE_SHARES.tolist()}")
    counts = np.array([rng.multinomial(n, s) for n, s in zip(sizes, shares)])
    return pd.DataFrame({"month": [f"{2024 + i // 12}-{i % 12 + 1:02d}" for i in range(n_months)],
                         "detractors": counts[:, 0], "passives": counts[:, 1], "promoters": counts[:, 2],
                         "true_nps": [100 * (s[2] - s[0]) for s in shares]})


@dataclass(frozen=True)
class ChartAgainstTruth:
    """A control chart's signals against a known drop.

    Attributes
    ----------
    signals : DataFrame
        :func:`nps_kit.waves.control_chart.signals` with ``kind`` ("false alarm" when known
        before the drop, "detection" otherwise).
    drop_month : str or None
        The first month of the drop (None when the drop lies after the chart).
    detection : str or None
        The month at which the first signal on or after the drop is known.
    detection_rule : str or None
    delay : int or None
        Months from the drop to that detection (0 = the drop's own month).
    false_alarms : tuple of str
        Months at which a signal became known before the drop.
    sentence : str
    """

    signals: pd.DataFrame
    drop_month: str | None
    detection: str | None
    detection_rule: str | None
    delay: int | None
    false_alarms: tuple[str, ...]
    sentence: str


def chart_against_truth(chart, drop_month: int) -> ChartAgainstTruth:
    """Sort a chart's signals into false alarms and detections of a drop starting at ``drop_month``.

    Every signal is credited to the month it could be known (a run at its ``run_length``-th
    month), never to the first month it marks.
    """
    from nps_kit.waves.control_chart import signals as chart_signals

    found = chart_signals(chart)
    months = chart.table[chart.wave].tolist()
    first = drop_month - 1
    found["kind"] = np.where(found["position"] < first, "false alarm", "detection")
    alarms = tuple(found.loc[found["kind"] == "false alarm", "known_at"])
    hits = found[found["kind"] == "detection"]
    drop = months[first] if first < len(months) else None
    detection = rule = delay = None
    if drop is not None and len(hits):
        detection, rule = hits["known_at"].iloc[0], hits["rule"].iloc[0]
        delay = int(hits["position"].iloc[0] - first)
    parts = []
    if drop is None:
        parts.append(f"No drop within these {len(months)} months: every signal is a false alarm.")
    elif detection is None:
        parts.append(f"The true drop starts in {drop}; the chart does not flag it within the {len(months) - first} "
                     "months shown.")
    else:
        how = "a month outside the limits" if rule == "outside" else f"the run rule ({chart.run_length} in a row)"
        parts.append(f"The true drop starts in {drop}; the chart first signals it in {detection}, "
                     f"{delay} month(s) later, by {how}.")
    parts.append(f"False alarms before the drop: {len(alarms)}" + (f" ({', '.join(alarms)})." if alarms else "."))
    return ChartAgainstTruth(found, drop, detection, rule, delay, alarms, " ".join(parts))


__all__ = [
    "BASE_SHARES", "chart_against_truth", "ChartAgainstTruth", "describe_interval_coverage",
    "describe_lucky_store", "DRIVER_COEFFICIENTS", "equivalence_scenarios", "simulate_driver_customers",
    "simulate_months", "simulate_stores", "tost_coverage", "true_driver_effects",
]
