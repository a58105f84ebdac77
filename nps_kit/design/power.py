"""Can a study see a change? Respondents per wave, power and the smallest detectable change.

Two waves, a two-sided z test of NPS_2 - NPS_1 = 0 at level alpha, wanted power 1 - beta, change
delta (points / 100 on the -1..1 scale):

    n per wave = (z_{1 - alpha/2} + z_{1 - beta})^2 V / delta^2

Independent samples (different respondents in each wave)
    V = v_1 + v_2, with v = p + d - (p - d)^2 from each wave's anticipated shares (1 each in the
    worst case).
Panel (the same respondents in both waves)
    V = Var(t - s), the variance of the per-person change of the -1/0/+1 score s (wave 1) to t
    (wave 2) = v_1 + v_2 - 2 cov(s, t). It comes from an anticipated 3 x 3 transition table of
    categories (joint counts or shares; rows wave 1, columns wave 2, both in the order detractor,
    passive, promoter) or from a correlation rho between s and t: V = v_1 + v_2 - 2 rho
    sqrt(v_1 v_2).

The inverse, the smallest change n respondents per wave can detect, is
delta = (z_{1 - alpha/2} + z_{1 - beta}) sqrt(V / n); the power at n for a change delta is
Phi(|delta| / sqrt(V / n) - z_{1 - alpha/2}) + Phi(-|delta| / sqrt(V / n) - z_{1 - alpha/2}).

Sizes ignore the finite population correction (conservative when the sample is a large part of
the population) and are rounded up after rounding to 9 decimals.

References
----------
The formulas follow the usual normal-approximation sample size for a difference of means (e.g.
Chow, Shao & Wang (2008), Sample Size Calculations in Clinical Research, 2nd ed., ch. 3) applied
to the -1/0/+1 score; the NPS variance and the panel variance are in nps-kit's METHODS notes
(Rocks 2016 for v).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Sequence

import numpy as np
import pandas as pd
from scipy.stats import norm

from nps_kit.core.compare import as_transition_table
from nps_kit.core.intervals import finite_population_factor
from nps_kit.design.sample_size import anticipated_variance, as_shares
from nps_kit.errors import ParameterError, check_option

DESIGNS: tuple[str, ...] = ("independent", "panel")
"""Wave designs: different respondents each wave, or the same respondents (panel)."""


def _check_level(value: float, name: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name}={value!r} is not a number") from None
    if not 0.0 < x < 1.0:
        raise ParameterError(f"{name}={value!r} must lie strictly between 0 and 1 (e.g. 0.05 or 0.8)")
    return x


def _check_change(change: float) -> float:
    try:
        c = float(change)
    except (TypeError, ValueError):
        raise ParameterError(f"change={change!r} is not a number") from None
    if not np.isfinite(c) or c == 0 or abs(c) > 200:
        raise ParameterError(f"change={change!r} must be a non-zero number of NPS points, at most 200 in size")
    return c


MIN_CHANGE_VARIANCE = 0.02
"""Smallest per-respondent variance of a change used for sizing (the -1..1 scale): a panel
anticipated to keep every answer (correlation 1, an identity transition table) would otherwise
need "1 respondent". 0.02 is the variance when 1 % of the panel moves one category up and 1 %
one category down."""


def _check_power(power: float, alpha: float) -> None:
    if power <= alpha:
        raise ParameterError(f"power={power:g} is at or below alpha={alpha:g}: a test with that "
                             "power finds a change no more often than a false alarm; plan for 0.8 "
                             "or more")


def transition_table(table) -> np.ndarray:
    """A 3 x 3 joint table of (wave-1 category, wave-2 category) as shares summing to 1.

    Accepts counts or shares, as a nested list, array or DataFrame; rows are wave 1 and columns
    wave 2, both ordered detractor, passive, promoter.
    """
    t = as_transition_table(table, counts=False, error=ParameterError)
    if t.sum() <= 0:
        raise ParameterError("the transition table needs a positive total")
    return t / t.sum()


def difference_variance(
    expected1: Sequence[float] | None = None,
    expected2: Sequence[float] | None = None,
    *,
    design: str = "independent",
    transition=None,
    correlation: float | None = None,
) -> float:
    """Per-respondent variance V of the wave-to-wave change on the -1..1 scale.

    Parameters
    ----------
    expected1, expected2 : (d, a, p), optional
        Anticipated shares (or counts) in wave 1 and wave 2; None = worst case (v = 1);
        ``expected2`` defaults to ``expected1``.
    design : {"independent", "panel"}
    transition : 3 x 3 table, optional
        Panel only: joint counts or shares of categories (rows wave 1, columns wave 2). When
        given it determines V entirely (its margins are the two waves' shares).
    correlation : float, optional
        Panel only: correlation of s and t in [-1, 1], used when no transition table is given.

    Returns
    -------
    float
        v_1 + v_2 (independent), Var(t - s) from the table, or v_1 + v_2 - 2 rho sqrt(v_1 v_2).

    Examples
    --------
    >>> difference_variance()  # two worst-case waves
    2.0
    >>> difference_variance(design="panel", correlation=0.5)
    1.0
    """
    check_option("design", design, DESIGNS)
    if design == "independent":
        if transition is not None or correlation is not None:
            raise ParameterError("transition and correlation apply to design='panel' only")
        e1 = as_shares(expected1, "expected1")
        e2 = e1 if expected2 is None else as_shares(expected2, "expected2")
        return anticipated_variance(e1) + anticipated_variance(e2)
    if transition is not None:
        t = transition_table(transition)
        i, j = np.indices((3, 3))
        change = (j - i).astype(float)  # t - s with scores -1, 0, 1 at indices 0, 1, 2
        mean = float((t * change).sum())
        return float(max((t * change**2).sum() - mean**2, MIN_CHANGE_VARIANCE))
    if correlation is None:
        raise ParameterError(
            "design='panel' needs an anticipated transition table (transition=) or a correlation "
            "between the two waves' scores (correlation=)"
        )
    rho = float(correlation)
    if not -1.0 <= rho <= 1.0:
        raise ParameterError(f"correlation={correlation!r} must lie between -1 and 1")
    e1 = as_shares(expected1, "expected1")
    e2 = e1 if expected2 is None else as_shares(expected2, "expected2")
    v1, v2 = anticipated_variance(e1), anticipated_variance(e2)
    return float(max(v1 + v2 - 2.0 * rho * np.sqrt(v1 * v2), MIN_CHANGE_VARIANCE))


@dataclass(frozen=True)
class ChangeSampleSize:
    """Respondents per wave needed to detect a change of ``change`` NPS points.

    Attributes
    ----------
    n : int
        Respondents per wave (the same people twice for a panel), rounded up.
    change : float
        Change to detect, in points.
    power, alpha : float
        Wanted power and two-sided significance level.
    achieved_power : float
        Power at ``n`` (both tails, normal approximation).
    variance : float
        Per-respondent variance of the change on the -1..1 scale (V).
    design : str
        "independent" or "panel".
    """

    n: int
    change: float
    power: float
    alpha: float
    achieved_power: float
    variance: float
    design: str

    @property
    def summary(self) -> pd.DataFrame:
        """One-row table of the result."""
        return pd.DataFrame([asdict(self)])

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def change_power(
    n,
    change: float,
    alpha: float = 0.05,
    *,
    expected1: Sequence[float] | None = None,
    expected2: Sequence[float] | None = None,
    design: str = "independent",
    transition=None,
    correlation: float | None = None,
    population: float | None = None,
):
    """Power of the two-sided test to detect a change of ``change`` points with n per wave.

    Power = Phi(|delta| / sqrt(V / n) - z) + Phi(-|delta| / sqrt(V / n) - z), z = z_{1 - alpha/2}.
    Vectorised over ``n`` and ``change`` (numpy broadcasting). With ``population`` (each wave
    drawn from N people) V / n is multiplied by (N - n) / (N - 1).
    """
    alpha = _check_level(alpha, "alpha")
    v = difference_variance(expected1, expected2, design=design, transition=transition, correlation=correlation)
    nn = np.asarray(n, dtype=float)
    if np.any(nn < 1):
        raise ParameterError("n must be at least 1 respondent per wave")
    v = v * finite_population_factor(nn, population) ** 2
    delta = np.abs(np.asarray(change, dtype=float)) / 100.0
    z = norm.ppf(1.0 - alpha / 2.0)
    with np.errstate(divide="ignore"):
        shift = np.where(v > 0, delta / np.sqrt(v / nn), np.inf)
    out = norm.cdf(shift - z) + norm.cdf(-shift - z)
    return float(out) if np.ndim(out) == 0 else out


def change_sample_size(
    change: float,
    power: float = 0.8,
    alpha: float = 0.05,
    *,
    expected1: Sequence[float] | None = None,
    expected2: Sequence[float] | None = None,
    design: str = "independent",
    transition=None,
    correlation: float | None = None,
    population: float | None = None,
) -> ChangeSampleSize:
    """Respondents per wave needed to detect a change of ``change`` NPS points.

    n = (z_{1 - alpha/2} + z_{1 - beta})^2 V / delta^2 with delta = change / 100 and V from
    :func:`difference_variance`; rounded up.

    Parameters
    ----------
    change : float
        Change in NPS points (the sign does not matter).
    power : float
        Wanted power 1 - beta, e.g. 0.8.
    alpha : float
        Two-sided significance level, e.g. 0.05.
    expected1, expected2, design, transition, correlation
        See :func:`difference_variance`.
    population : float, optional
        People each wave is drawn from: n = n0 / (1 + (n0 - 1) / N), the correction the analysis
        applies (:mod:`nps_kit.core.intervals`). A change that needs more than N per wave cannot
        be seen; the result then has n = N and its power.

    Returns
    -------
    ChangeSampleSize

    Examples
    --------
    Worst case, 10 points, 80 % power, 5 % level: (1.959964 + 0.841621)^2 x 2 / 0.1^2 = 1569.8.

    >>> change_sample_size(10).n
    1570
    """
    power = _check_level(power, "power")
    alpha = _check_level(alpha, "alpha")
    _check_power(power, alpha)
    delta = _check_change(change) / 100.0
    v = difference_variance(expected1, expected2, design=design, transition=transition, correlation=correlation)
    zsum = norm.ppf(1.0 - alpha / 2.0) + norm.ppf(power)
    n0 = zsum**2 * v / delta**2
    if population is not None:
        n0 = min(n0 / (1 + (n0 - 1) / float(population)), float(population))
    n = int(max(np.ceil(np.round(n0, 9)), 1))
    achieved = change_power(n, change, alpha, expected1=expected1, expected2=expected2, design=design,
                            transition=transition, correlation=correlation, population=population)
    return ChangeSampleSize(n=n, change=float(change), power=power, alpha=alpha, achieved_power=float(achieved),
                            variance=v, design=design)


def detectable_change(
    n,
    power: float = 0.8,
    alpha: float = 0.05,
    *,
    expected1: Sequence[float] | None = None,
    expected2: Sequence[float] | None = None,
    design: str = "independent",
    transition=None,
    correlation: float | None = None,
    population: float | None = None,
):
    """Smallest change in NPS points that n respondents per wave detect with the given power.

    delta = 100 (z_{1 - alpha/2} + z_{1 - beta}) sqrt(V / n). Vectorised over ``n``.

    Examples
    --------
    >>> round(detectable_change(1570), 2)
    10.0
    """
    power = _check_level(power, "power")
    alpha = _check_level(alpha, "alpha")
    _check_power(power, alpha)
    v = difference_variance(expected1, expected2, design=design, transition=transition, correlation=correlation)
    nn = np.asarray(n, dtype=float)
    if np.any(nn < 1):
        raise ParameterError("n must be at least 1 respondent per wave")
    v = v * finite_population_factor(nn, population) ** 2
    out = 100.0 * (norm.ppf(1.0 - alpha / 2.0) + norm.ppf(power)) * np.sqrt(v / nn)
    return float(out) if np.ndim(out) == 0 else out


def power_curve(
    n: int,
    changes,
    alpha: float = 0.05,
    *,
    expected1: Sequence[float] | None = None,
    expected2: Sequence[float] | None = None,
    transition=None,
    correlation: float | None = None,
) -> pd.DataFrame:
    """Power against the size of the change for n respondents per wave, as tidy data.

    Always includes the independent design; adds the panel when a ``transition`` table or a
    ``correlation`` is given.

    Returns
    -------
    DataFrame
        Columns ``design``, ``n``, ``change`` (points), ``power``.
    """
    ch = np.asarray(changes, dtype=float)
    frames = [pd.DataFrame({
        "design": "independent", "n": int(n), "change": ch,
        "power": change_power(n, ch, alpha, expected1=expected1, expected2=expected2),
    })]
    if transition is not None or correlation is not None:
        frames.append(pd.DataFrame({
            "design": "panel", "n": int(n), "change": ch,
            "power": change_power(n, ch, alpha, expected1=expected1, expected2=expected2, design="panel",
                                  transition=transition, correlation=correlation),
        }))
    return pd.concat(frames, ignore_index=True)


def change_table(
    changes: Sequence[float],
    power: float = 0.8,
    alpha: float = 0.05,
    *,
    expected1: Sequence[float] | None = None,
    expected2: Sequence[float] | None = None,
    transition=None,
    correlation: float | None = None,
    population: float | None = None,
    response_rate: float | None = None,
) -> pd.DataFrame:
    """Respondents per wave for each change, independent and (when specified) panel, tidy.

    With ``population`` each size is corrected for a finite population (:func:`change_sample_size`)
    and ``feasible`` says whether the population can give it: n at most N times
    ``response_rate`` (a fraction; N when not given).

    Returns
    -------
    DataFrame
        Columns ``design``, ``change``, ``n``, ``power``, ``alpha``, ``variance``, ``feasible``.
    """
    designs = ["independent"] + (["panel"] if transition is not None or correlation is not None else [])
    rows = []
    for design in designs:
        extra = {} if design == "independent" else {"transition": transition, "correlation": correlation}
        for c in changes:
            r = change_sample_size(c, power, alpha, expected1=expected1, expected2=expected2,
                                   design=design, population=population, **extra)
            rows.append({"design": design, "change": float(c), "n": r.n, "power": power, "alpha": alpha,
                         "variance": r.variance,
                         "feasible": population is None or
                         r.n <= np.floor(float(population) * (response_rate or 1.0))})
    return pd.DataFrame(rows)


__all__ = [
    "change_power", "change_sample_size", "change_table", "ChangeSampleSize", "DESIGNS",
    "detectable_change", "difference_variance", "power_curve", "transition_table",
]
