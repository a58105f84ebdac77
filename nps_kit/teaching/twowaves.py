"""Simulations behind notebook 07 (comparing two waves): panel against independent samples,
regression to the mean, and many teams tested at once (Holm). One seed per section.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nps_kit.core.compare import adjust_pvalues, compare_nps, compare_paired, difference_arrays
from nps_kit.teaching.helpers import child_seed, positive_int, probability, shares3


def two_waves(n: int, shares: Sequence[float], change: float, seed: int) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """Counts of two independent waves of ``n`` answers; the second moves by ``change`` points.

    The promoter share rises and the detractor share falls by ``change / 200`` each.
    """
    n = positive_int("n", n, 2)
    p = np.asarray(shares3(shares, "shares"), dtype=float)
    q = p + np.array([-change / 200, 0.0, change / 200])
    if q.min() < 0:
        from nps_kit.errors import ParameterError

        raise ParameterError(f"change={change!r} moves a share below 0 for shares {tuple(p)}")
    rng = np.random.default_rng(child_seed(seed, 70))
    a, b = rng.multinomial(n, p), rng.multinomial(n, q)
    return tuple(int(x) for x in a), tuple(int(x) for x in b)


def describe_difference(result, what: str = "The change") -> str:
    """One sentence for an :class:`~nps_kit.core.compare.NPSComparison`: the change, its interval,
    and whether the interval includes 0."""
    text = (f"{what} is {result.delta:+.1f} points (95 % interval {result.low:+.1f} to {result.high:+.1f}, "
            f"p = {result.p_value:.3f}); ")
    if result.low <= 0 <= result.high:
        return text + "the interval includes 0, so chance alone could give a change this size."
    return text + ("the interval lies above 0: a real rise, of a size somewhere in the interval."
                   if result.low > 0 else "the interval lies below 0: a real fall, of a size somewhere in the interval.")


def simulate_panel(n: int, shares: Sequence[float], stay: float, seed: int) -> np.ndarray:
    """A 3 x 3 transition table of ``n`` people asked twice, with no true change.

    Each person keeps their category with probability ``stay``; otherwise they answer anew from
    ``shares``. Both waves then have the same expected shares, and ``stay`` sets how strongly a
    person's two answers go together.

    Returns
    -------
    ndarray of shape (3, 3)
        Rows: first-wave category (detractor, passive, promoter); columns: second wave.
    """
    n = positive_int("n", n, 2)
    stay = probability("stay", stay)
    p = np.asarray(shares3(shares, "shares"), dtype=float)
    rng = np.random.default_rng(child_seed(seed, 71))
    first = rng.choice(3, size=n, p=p)
    keep = rng.random(n) < stay
    second = np.where(keep, first, rng.choice(3, size=n, p=p))
    table = np.zeros((3, 3), dtype=int)
    np.add.at(table, (first, second), 1)
    return table


def panel_against_independent(table: np.ndarray) -> pd.DataFrame:
    """The same change read as a panel (paired) and as if the two waves were independent.

    Returns
    -------
    DataFrame
        ``design`` ("panel (same people)", "independent samples"), ``change``, ``se``,
        ``ci_low``, ``ci_high``, ``p_value``, ``half_width``.
    """
    t = np.asarray(table)
    rows = []
    for name, res in (("panel (same people)", compare_paired(t)),
                      ("independent samples", compare_nps(tuple(t.sum(axis=1)), tuple(t.sum(axis=0))))):
        rows.append({"design": name, "change": res.delta, "se": res.se, "ci_low": res.low, "ci_high": res.high,
                     "p_value": res.p_value, "half_width": (res.high - res.low) / 2})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class RegressionToTheMean:
    """Stores measured twice with no true change; the worst of wave 1 followed into wave 2.

    Attributes
    ----------
    stores : DataFrame
        ``store``, ``n``, ``true_nps``, ``nps_1``, ``nps_2``, ``worst`` (among the ``k`` lowest of
        wave 1).
    k : int
    worst_change : float
        Mean change wave 1 to wave 2 of the worst ``k`` stores (points).
    worst_true_gap : float
        Mean (wave-1 NPS minus true NPS) of the worst ``k``: how unlucky they were.
    all_change : float
        Mean change over all stores (about 0).
    """

    stores: pd.DataFrame
    k: int
    worst_change: float
    worst_true_gap: float
    all_change: float


def regression_to_the_mean(n_stores: int, n_per_store: int, k: int, seed: int,
                           shares: Sequence[float] = (0.25, 0.35, 0.40), spread: float = 20.0) -> RegressionToTheMean:
    """Simulate ``n_stores`` stores whose true NPS never changes, and follow the worst ``k``.

    True store NPS values spread around the shares' NPS (Dirichlet concentration chosen so the
    true values have a standard deviation of about ``spread`` points); every store is measured
    twice with ``n_per_store`` answers. Selecting the lowest ``k`` of wave 1 selects bad luck as
    well as bad stores, and the luck does not repeat (Galton 1886; Barnett, van der Pols and
    Dobson 2005).
    """
    n_stores = positive_int("n_stores", n_stores, 2)
    n_per_store = positive_int("n_per_store", n_per_store, 1)
    k = positive_int("k", k, 1)
    if k >= n_stores:
        k = n_stores - 1
    p = np.asarray(shares3(shares, "shares"), dtype=float)
    rng = np.random.default_rng(child_seed(seed, 72))
    v = p[2] + p[0] - (p[2] - p[0]) ** 2
    concentration = max(100 ** 2 * v / max(spread, 1e-6) ** 2 - 1, 1.0)
    true = rng.dirichlet(concentration * p, size=n_stores)
    c1 = np.array([rng.multinomial(n_per_store, s) for s in true])
    c2 = np.array([rng.multinomial(n_per_store, s) for s in true])
    nps = lambda c: 100 * (c[:, 2] - c[:, 0]) / n_per_store  # noqa: E731
    stores = pd.DataFrame({"store": [f"S{i + 1:02d}" for i in range(n_stores)], "n": n_per_store,
                           "true_nps": 100 * (true[:, 2] - true[:, 0]), "nps_1": nps(c1), "nps_2": nps(c2)})
    order = np.argsort(stores["nps_1"].to_numpy(), kind="stable")
    stores["worst"] = False
    stores.loc[order[:k], "worst"] = True
    worst = stores[stores["worst"]]
    return RegressionToTheMean(stores, k, float((worst["nps_2"] - worst["nps_1"]).mean()),
                               float((worst["nps_1"] - worst["true_nps"]).mean()),
                               float((stores["nps_2"] - stores["nps_1"]).mean()))


def many_teams(n_teams: int, n_per_team: int, seed: int, shares: Sequence[float] = (0.25, 0.35, 0.40),
               alpha: float = 0.05, real_changes: int = 0, change: float = 15.0) -> pd.DataFrame:
    """``n_teams`` teams measured in two independent waves; the first ``real_changes`` really improve.

    A team that improves gains ``change`` points (promoter share up and detractor share down by
    ``change / 200``). Each team's change is tested (adjusted Wald, independent samples) and the
    p-values are adjusted across teams with Holm's method (Holm 1979).

    Returns
    -------
    DataFrame
        ``team``, ``real`` (a true change), ``change``, ``p_value``, ``p_holm``,
        ``significant`` (p < alpha), ``significant_holm``.
    """
    n_teams = positive_int("n_teams", n_teams, 1)
    n_per_team = positive_int("n_per_team", n_per_team, 2)
    alpha = probability("alpha", alpha)
    p = np.asarray(shares3(shares, "shares"), dtype=float)
    rng = np.random.default_rng(child_seed(seed, 73))
    real = np.arange(n_teams) < int(real_changes)
    shift = np.array([-change / 200, 0.0, change / 200])
    c1 = rng.multinomial(n_per_team, p, size=n_teams)
    c2 = np.array([rng.multinomial(n_per_team, p + (shift if r else 0.0)) for r in real])
    diff = difference_arrays(c1, c2, None, "adjusted-wald", 1 - alpha)
    p_values = np.asarray(diff["p_value"], dtype=float)
    holm = adjust_pvalues(p_values, "holm")
    return pd.DataFrame({"team": [f"T{i + 1:02d}" for i in range(n_teams)], "real": real,
                         "change": np.asarray(diff["delta"], dtype=float), "p_value": p_values, "p_holm": holm,
                         "significant": p_values < alpha, "significant_holm": holm < alpha})


__all__ = ["describe_difference", "many_teams", "two_waves", "panel_against_independent", "regression_to_the_mean", "RegressionToTheMean",
           "simulate_panel"]
