"""Notebook 02 (precision and sample size): the simulated margin of error of a finite population."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

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


__all__ = [
    "population_counts", "simulated_margin",
]
