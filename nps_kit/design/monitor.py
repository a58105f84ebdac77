"""Fielding: where a running survey stands, when to stop, and interim tests that stay honest.

:func:`fielding_status` takes the answers so far and the invitations sent and says the current
margin (the one the report will print: adjusted Wald with the finite population correction),
the respondents and invitations still needed at the observed response rate, and the
pre-registered stopping rule "stop when the margin is reached". Stopping on precision keeps the
intervals' coverage; stopping at the first significant change does not: testing after every
100 answers and stopping at the first p < 0.05 raises the false-alarm rate of ten looks to about
0.19 (Armitage, McPherson & Rowe 1969).

An interim test of change is therefore refused unless the number of looks is fixed in advance;
then each look is tested against a group-sequential boundary (:func:`sequential_boundaries`):
Pocock's (one constant) or O'Brien & Fleming's (strict early, close to 1.96 at the end), for
equally spaced looks, computed here by numerical integration so that the chance of crossing any
boundary when nothing changed is exactly alpha.

References
----------
Armitage, P., McPherson, C. K., & Rowe, B. C. (1969). Repeated significance tests on
accumulating data. Journal of the Royal Statistical Society A 132, 235-244.
Pocock, S. J. (1977). Group sequential methods in the design and analysis of clinical trials.
Biometrika 64, 191-199.
O'Brien, P. C., & Fleming, T. R. (1979). A multiple testing procedure for clinical trials.
Biometrics 35, 549-556.
Jennison, C., & Turnbull, B. W. (2000). Group Sequential Methods with Applications to Clinical
Trials. Chapman & Hall/CRC (tables 2.1 and 2.3 for the constants).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.stats import norm

from nps_kit.core.intervals import interval_arrays
from nps_kit.design.sample_size import nps_sample_size
from nps_kit.errors import ParameterError, check_confidence, check_option

__all__ = ["FieldingStatus", "InterimTest", "SPENDING", "fielding_status", "interim_test",
           "sequential_boundaries"]

SPENDING: tuple[str, ...] = ("obrien-fleming", "pocock")


@lru_cache(maxsize=64)
def _constant(looks: int, alpha: float, kind: str) -> float:
    """The constant c with P(cross any boundary | no change) = alpha (two-sided)."""
    grid = np.linspace(-12, 12, 2401)
    h = grid[1] - grid[0]

    def crossing(c: float) -> float:
        # density of the partial sum S_k (variance k) restricted to the continuation region
        dens = norm.pdf(grid)
        total = 0.0
        for k in range(1, looks + 1):
            if k > 1:
                dens = np.convolve(dens, norm.pdf(np.arange(-600, 601) * h) * h, mode="same")
            bound = (c if kind == "pocock" else c * np.sqrt(looks / k)) * np.sqrt(k)
            inside = np.abs(grid) < bound
            total += float(dens[~inside].sum() * h)
            dens = np.where(inside, dens, 0.0)
        return total

    lo, hi = 1.0, 6.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if crossing(mid) > alpha:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def sequential_boundaries(looks: int, alpha: float = 0.05, kind: str = "obrien-fleming") -> pd.DataFrame:
    """Two-sided z boundaries for ``looks`` equally spaced looks with overall level ``alpha``.

    Returns
    -------
    DataFrame
        ``look``, ``information`` (k / K), ``z_boundary``, ``nominal_p`` (the p-value a look
        must beat).

    Examples
    --------
    Jennison & Turnbull (2000), tables 2.1 and 2.3: for 5 looks at 5 %, Pocock's constant is
    2.413 and O'Brien-Fleming's 2.040 (its last boundary).

    >>> round(float(sequential_boundaries(5, 0.05, "pocock")["z_boundary"].iloc[0]), 2)
    2.41
    >>> round(float(sequential_boundaries(5, 0.05, "obrien-fleming")["z_boundary"].iloc[-1]), 2)
    2.04
    """
    check_option("spending", kind, SPENDING)
    if int(looks) != looks or looks < 1 or looks > 50:
        raise ParameterError(f"looks={looks!r} must be a whole number from 1 to 50")
    if not 0 < alpha < 0.5:
        raise ParameterError(f"alpha={alpha!r} must lie in (0, 0.5)")
    c = _constant(int(looks), float(alpha), kind)
    k = np.arange(1, int(looks) + 1)
    z = np.full(len(k), c) if kind == "pocock" else c * np.sqrt(looks / k)
    return pd.DataFrame({"look": k, "information": k / looks, "z_boundary": z,
                         "nominal_p": 2 * norm.sf(z)})


@dataclass(frozen=True)
class FieldingStatus:
    """Where fielding stands.

    Attributes
    ----------
    answers : int
        Scored answers so far (blank scores are not answers).
    invited : int
    response_rate : float
        answers / invited so far.
    nps, ci_low, ci_high, margin : float
        The NPS so far with the interval the report will print, and its half-width.
    target_margin : float
    needed : int
        Respondents needed for the target at the observed shares (finite population).
    still_needed : int
    invitations_needed : int or None
        Further invitations at the observed response rate (None when nobody has answered yet).
    people_left : int
        Population not yet invited.
    stop : bool
        The pre-registered rule: stop once the margin is at or below the target.
    sentences : tuple of str
    """

    answers: int
    invited: int
    response_rate: float
    nps: float
    ci_low: float
    ci_high: float
    margin: float
    target_margin: float
    needed: int
    still_needed: int
    invitations_needed: int | None
    people_left: int
    stop: bool
    sentences: tuple[str, ...] = field(default=())


def fielding_status(counts, population: int, confidence: float, margin: float,
                    invited: int) -> FieldingStatus:
    """The current margin, what is still needed, and whether to stop (module docstring).

    Parameters
    ----------
    counts : (detractors, passives, promoters)
        Answers so far.
    population : int
        People who could be invited.
    confidence : float
    margin : float
        Target margin in points.
    invited : int
        Invitations sent so far.
    """
    confidence = check_confidence(confidence)
    d, a, p = (int(x) for x in counts)
    n = d + a + p
    if invited < n:
        raise ParameterError(f"invited={invited:,} is fewer than the {n:,} answers so far; give "
                             "the number of invitations sent")
    if invited > population:
        raise ParameterError(f"invited={invited:,} exceeds the population of {population:,}")
    if n == 0:
        res = {"nps": [np.nan], "low": [np.nan], "high": [np.nan]}
    else:
        res = interval_arrays([d], [a], [p], "adjusted-wald", confidence, population=population)
    lo, hi = float(res["low"][0]), float(res["high"][0])
    half = (hi - lo) / 2 if n else float("inf")
    shares = (d, a, p) if n else None
    needed = nps_sample_size(margin, confidence, population, expected=shares,
                             method="adjusted-wald").n
    still = max(needed - n, 0)
    rate = n / invited if invited else 0.0
    left = population - invited
    more = int(np.ceil(still / rate)) if rate > 0 else None
    stop = bool(n and half <= margin + 1e-9)
    lines = []
    if n:
        lines.append(f"{n:,} answers from {invited:,} invitations ({rate:.0%} response so far): NPS "
                     f"{float(res['nps'][0]):+.1f}, {confidence:.0%} interval {lo:+.1f} to {hi:+.1f} "
                     f"(+-{half:.1f} points; the report will print this interval).")
    else:
        lines.append(f"No answers yet from {invited:,} invitations.")
    if stop:
        lines.append(f"The margin +-{half:.1f} is within the target +-{margin:g}: stop fielding "
                     "(the pre-registered rule), and report.")
    else:
        lines.append(f"The target +-{margin:g} needs about {needed:,} answers at the shares seen so far: "
                     f"{still:,} more.")
        if more is not None:
            if more <= left:
                lines.append(f"At the {rate:.0%} response rate seen so far that means about {more:,} "
                             f"more invitations ({left:,} people not yet invited).")
            else:
                lines.append(f"At the {rate:.0%} response rate seen so far that needs {more:,} more "
                             f"invitations, but only {left:,} people are left: invite everyone, and "
                             "raise the response rate (reminders, phone follow-up) or accept a "
                             "wider margin.")
    lines.append("Stop on the margin, never on a significant change: looking for a change after "
                 "every batch and stopping at the first p < 0.05 turns a 5 % false-alarm rate into "
                 "about 19 % for ten looks. An interim test of change needs its looks fixed in "
                 "advance (--looks) and a group-sequential boundary.")
    return FieldingStatus(answers=n, invited=int(invited), response_rate=rate,
                          nps=float(res["nps"][0]), ci_low=lo, ci_high=hi, margin=half,
                          target_margin=float(margin), needed=needed, still_needed=still,
                          invitations_needed=more, people_left=left, stop=stop,
                          sentences=tuple(lines))


@dataclass(frozen=True)
class InterimTest:
    """One interim look at a change against a group-sequential boundary."""

    look: int
    looks: int
    spending: str
    change: float
    z: float
    z_boundary: float
    nominal_p: float
    crossed: bool
    sentence: str


def interim_test(current, previous, look: int, looks: int, alpha: float = 0.05,
                 spending: str = "obrien-fleming") -> InterimTest:
    """Test the change from ``previous`` counts to ``current`` counts at look ``look`` of ``looks``.

    Independent samples, z of the change with the Wald standard error (as in
    :mod:`nps_kit.core.compare`), compared with the boundary of :func:`sequential_boundaries`.
    """
    from nps_kit.core.compare import difference_arrays

    if int(look) != look or not 1 <= look <= looks:
        raise ParameterError(f"look={look!r} must be a whole number from 1 to looks={looks}")
    bounds = sequential_boundaries(looks, alpha, spending)
    b = float(bounds["z_boundary"].iloc[look - 1])
    res = difference_arrays(np.asarray(previous, float)[None, :], np.asarray(current, float)[None, :],
                            method="wald")
    z = float(res["z"][0])
    delta = float(res["delta"][0])
    crossed = bool(abs(z) >= b)
    sentence = (f"Look {look} of {looks} ({spending}): change {delta:+.1f} points, z = {z:+.2f} "
                f"against the boundary +-{b:.2f} (nominal p {2 * norm.sf(b):.4f}): "
                + ("a real change; the study may stop here." if crossed else
                   "not a real change yet; keep fielding to the next planned look."))
    return InterimTest(look=int(look), looks=int(looks), spending=spending, change=delta, z=z,
                       z_boundary=b, nominal_p=float(2 * norm.sf(b)), crossed=crossed,
                       sentence=sentence)
