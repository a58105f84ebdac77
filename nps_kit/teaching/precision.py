"""Notebook 02 (precision and sample size): the simulated margin of error of a finite population."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from nps_kit.errors import ParameterError, check_confidence

from nps_kit.teaching.helpers import nps_of_counts, positive_int, shares3

# --------------------------------------------------------------------------- 2. precision


def population_counts(population: int, shares: Sequence[float]) -> np.ndarray:
    """Whole numbers of detractors, passives and promoters in a population of ``population``
    with the given shares (largest remainder, so they add up)."""
    population = positive_int("population", population)
    s = np.asarray(shares3(shares))
    exact = s * population
    k = np.floor(exact).astype(np.int64)
    k[np.argsort(-(exact - k), kind="stable")[: population - int(k.sum())]] += 1
    return k


def simulated_margin(
    population: int,
    n: int,
    shares: Sequence[float] = (0.5, 0.0, 0.5),
    confidence: float = 0.95,
    n_sim: int = 20_000,
    seed: int | None = 0,
) -> float:
    """Margin of error of an NPS from ``n`` of ``population`` people, found by simulation.

    Draws ``n_sim`` samples of ``n`` without replacement (multivariate hypergeometric) from a
    population with the given category shares and returns the ``confidence`` quantile of
    |sample NPS - population NPS| in points. It should agree with the closed form
    100 z sqrt(v / n) sqrt((N - n) / (N - 1)) of :func:`nps_kit.design.sample_size.nps_margin`.

    Parameters
    ----------
    population : int
        Population size N.
    n : int
        Sample size (at most N).
    shares : (d, a, p)
        Category shares in the population; (0.5, 0, 0.5) is the worst case (v = 1).
    confidence : float
    n_sim : int
        Number of simulated samples.
    seed : int or None

    Returns
    -------
    float
        Margin in NPS points.
    """
    confidence = check_confidence(confidence)
    pop = population_counts(population, shares)
    n = positive_int("n", n)
    if n > population:
        raise ParameterError(f"n={n} exceeds the population of {population}")
    n_sim = positive_int("n_sim", n_sim, 100)
    rng = np.random.default_rng(seed)
    draws = rng.multivariate_hypergeometric(pop, n, size=n_sim)
    est = nps_of_counts(draws[:, 0], draws[:, 1], draws[:, 2])
    truth = 100.0 * (pop[2] - pop[0]) / pop.sum()
    return float(np.quantile(np.abs(est - truth), confidence))


def calculator_versions(population: int, confidence: float, margin: float) -> "pd.DataFrame":
    """The classic calculator's answer as published calculators compute it.

    Four versions: the exact critical value or one rounded to two decimals (2.58 at 99 %, 1.96 at
    95 %), each with the finite population correction n0 / (1 + (n0 - 1) / N) (Cochran 1977;
    Creative Research Systems, Raosoft) or n0 / (1 + n0 / N) (SurveyMonkey). They differ by a
    few respondents only; this table shows where published figures such as 1,144 and 1,145 for
    3,000 customers at 99 % and +-3 % come from, next to the exact 1,142.

    Returns
    -------
    DataFrame
        ``critical value``, ``z``, ``correction``, ``n0``, ``respondents``.
    """
    import pandas as pd

    from nps_kit.design.sample_size import classic_sample_size, critical_value

    exact = critical_value(confidence)
    rows = []
    for label, z in (("exact", None), ("rounded to 2 decimals", round(exact, 2))):
        for fpc, name in (("cochran", "n0 / (1 + (n0 - 1) / N)"), ("surveymonkey", "n0 / (1 + n0 / N)")):
            r = classic_sample_size(margin, confidence, population, z=z, fpc=fpc)
            rows.append({"critical value": label, "z": exact if z is None else z, "correction": name,
                         "n0": float(r.n0), "respondents": int(r.n)})
    return pd.DataFrame(rows)


def describe_calculator_versions(table: "pd.DataFrame") -> str:
    """One sentence naming the spread of :func:`calculator_versions` and why it arises."""
    exact = table[table["critical value"] == "exact"]["respondents"]
    rounded = table[table["critical value"] != "exact"]
    z = rounded["z"].iloc[0]
    lo, hi = int(table["respondents"].min()), int(table["respondents"].max())
    if lo == hi:
        return (f"All four versions agree on {lo:,} respondents: rounding z to {z:.2f} and the two "
                "forms of the correction make no difference here.")
    return (f"Calculators that round z to {z:.2f} publish {' or '.join(f'{n:,}' for n in sorted(set(rounded['respondents'])))}, "
            f"and the exact z = {table['z'].iloc[0]:.4f} gives {', '.join(f'{n:,}' for n in sorted(set(exact)))}: "
            f"the spread of {hi - lo} respondent(s) comes from the rounded critical value and the two "
            "forms of the finite population correction, not from a different method.")



__all__ = [
    "calculator_versions", "describe_calculator_versions",
    "population_counts", "simulated_margin",
]
