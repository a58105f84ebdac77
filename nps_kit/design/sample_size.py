"""How many respondents a study needs, and how precise a given number of them is.

Two calculators, always shown side by side so nobody reads a +-3 % *proportion* margin as +-3 NPS
*points*:

The classic proportion calculator (online survey tools)
    n0 = z^2 p (1 - p) / e^2 with p = 0.5 and e the margin as a fraction (3 % -> 0.03), then a
    finite population correction for a population of N, rounded up:

    - ``fpc="cochran"``: n = n0 / (1 + (n0 - 1) / N) (Cochran 1977; the form given by Creative
      Research Systems, https://www.surveysystem.com/sscalc.htm, and used by Raosoft,
      http://www.raosoft.com/samplesize.html);
    - ``fpc="surveymonkey"``: n = n0 / (1 + n0 / N) (SurveyMonkey's sample size calculator,
      https://www.surveymonkey.com/mp/sample-size-calculator/).

    Some calculators use a rounded critical value (1.65, 1.96, 2.58); pass ``z=`` to reproduce
    them.

The NPS calculator
    Each respondent scores -1 (detractor), 0 (passive) or +1 (promoter); with anticipated shares
    (d, a, p) the per-respondent variance is v = p + d - (p - d)^2, at most 1 (the worst case, used
    when no shares are given). For a margin of +-E points (e = E / 100 on the -1..1 scale):
    n0 = z^2 v / e^2, with the same finite population correction. In the worst case NPS needs four
    times the respondents of the proportion calculator (v = 1 against p (1 - p) = 1/4): a sample
    sized "for +-3 %" gives about +-6 NPS points.

Both corrections have an exact inverse, which is the margin a sample of n gives:

- Cochran's form inverts to e = z sqrt(v / n) sqrt((N - n) / (N - 1)),
- SurveyMonkey's form to e = z sqrt(v / n) sqrt((N - n) / N).

Interval method of the NPS figures
    ``method="wald"`` is the closed form above. ``method="adjusted-wald"`` is what nps-kit reports
    by default later (Rocks 2016): the margin at n is z sqrt(v~ / (n + 3)) times the same
    correction factor, where v~ comes from the anticipated shares after adding 0.75 detractors,
    1.5 passives and 0.75 promoters to n d, n a and n p (the worst case keeps v~ = 1). Its
    sample size is the smallest n whose margin meets the target.

Rounding
    Sizes are rounded *up*, after rounding to 9 decimals, so that a product such as
    2.58^2 x 0.25 / 0.03^2 = 1849 (1849.0000000000002 in floating point) is not pushed to 1850.

References
----------
Cochran, W. G. (1977). Sampling Techniques, 3rd ed. Wiley (section 4.4).
Rocks, B. (2016). Interval estimation for the "Net Promoter Score". The American Statistician
70(4), 365-372.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from nps_kit.errors import ParameterError, check_confidence, check_option
from nps_kit.core.intervals import finite_population_factor, ADJUSTMENT, z_value

FPC_FORMS: tuple[str, ...] = ("cochran", "surveymonkey")
"""Finite population corrections: n0 / (1 + (n0 - 1) / N) and n0 / (1 + n0 / N)."""

SIZE_METHODS: tuple[str, ...] = ("wald", "adjusted-wald")
"""Interval methods the NPS sample size and margin can assume."""

_DECIMALS = 9


# --------------------------------------------------------------------------- input helpers
def as_fraction(value, name: str, *, allow_one: bool = True, one_is_ambiguous: bool = False) -> float:
    """Read a rate or level given as a fraction (0.3), a percentage (30) or with a sign ("30%").

    A value in (0, 1] is a fraction (``allow_one=False`` excludes 1, as for a confidence level);
    a value in (1, 100] is a percentage and is divided by 100; text ending in ``%`` is always a
    percentage. Ambiguous values are refused rather than guessed: a confidence level between 1
    and 50 ("1.5": 1.5 % or a typo for 0.95?), and with ``one_is_ambiguous`` (text typed on the
    command line) a bare 1 for a rate (1 % or 100 %?).

    Raises
    ------
    ParameterError
        For a value that is not a number, lies outside (0, 100], or is ambiguous.

    Examples
    --------
    >>> as_fraction(95, "confidence", allow_one=False), as_fraction("30%", "response rate")
    (0.95, 0.3)
    """
    text = str(value).strip() if isinstance(value, str) else None
    percent = text is not None and text.endswith("%")
    try:
        x = float(text[:-1].strip() if percent else (text if text is not None else value))
    except (TypeError, ValueError):
        raise ParameterError(f"{name}={value!r} is not a number: write it as 0.3, 30 or 30%") from None
    if percent:
        if not np.isfinite(x) or x <= 0 or x > 100 or (not allow_one and x >= 100):
            raise ParameterError(f"{name}={value!r} is out of range: give a percentage above 0 and "
                                 f"{'at most' if allow_one else 'below'} 100")
        return x / 100.0
    upper = 100.0 if allow_one else 100.0 - 1e-12
    if not np.isfinite(x) or x <= 0 or x > upper or (not allow_one and x == 1.0):
        rng = "(0, 1] as a fraction or (1, 100] as a percentage" if allow_one else \
            "(0, 1) as a fraction or (1, 100) as a percentage"
        raise ParameterError(f"{name}={value!r} is out of range: give a value in {rng}")
    if not allow_one and 1.0 < x < 50.0:
        raise ParameterError(f"{name}={value!r} is ambiguous: write a confidence level as 0.95, 95 "
                             "or 95%")
    if one_is_ambiguous and x == 1.0:
        raise ParameterError(f"{name}={value!r} is ambiguous (1 % or 100 %?): write 1% or 100%")
    return x / 100.0 if x > 1.0 else x


def as_count(value, name: str) -> int:
    """A whole number of people (a population, invitations) given as text or a number.

    Raises
    ------
    ParameterError
        For a value that is not a whole number of at least 1 ("20.5", "abc", "-3").

    Examples
    --------
    >>> as_count("3,000", "population"), as_count(20.0, "population")
    (3000, 20)
    """
    text = str(value).replace(",", "").replace("_", "").strip()
    try:
        x = float(text)
    except ValueError:
        raise ParameterError(f"{name}={value!r} is not a number: give a whole number of people "
                             "such as 3000") from None
    if not np.isfinite(x) or x < 1 or x != round(x):
        raise ParameterError(f"{name}={value!r} must be a whole number of people, at least 1")
    return int(round(x))


def as_shares(values: Sequence[float] | None, name: str = "expected") -> tuple[float, float, float] | None:
    """Anticipated (detractor, passive, promoter) shares from shares, percentages or counts.

    Any three non-negative numbers with a positive total are accepted and divided by their total,
    so ``(0.2, 0.3, 0.5)``, ``(20, 30, 50)`` and a previous wave's counts ``(362, 176, 462)`` all
    work. ``None`` stays ``None`` (the worst case).
    """
    if values is None:
        return None
    try:
        arr = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ParameterError(f"{name}={values!r}: give three numbers (detractors, passives, promoters)") from None
    if arr.size != 3:
        raise ParameterError(
            f"{name}={values!r} has {arr.size} values; give three: detractors, passives, promoters"
        )
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or arr.sum() <= 0:
        raise ParameterError(f"{name}={values!r} must be three numbers >= 0 with a positive total")
    s = arr / arr.sum()
    return float(s[0]), float(s[1]), float(s[2])


def parse_shares(text: str) -> tuple[float, float, float]:
    """Parse ``"D,A,P"`` shares that sum to 1 (fractions) or 100 (percentages).

    Examples
    --------
    >>> parse_shares("20,30,50")
    (0.2, 0.3, 0.5)
    """
    parts = [t.strip() for t in str(text).split(",")]
    try:
        vals = [float(t) for t in parts]
    except ValueError:
        raise ParameterError(
            f"expected shares {text!r} are not three numbers; write them as D,A,P, e.g. 0.2,0.3,0.5"
        ) from None
    if len(vals) != 3:
        raise ParameterError(f"expected shares {text!r} have {len(vals)} values; write D,A,P, e.g. 20,30,50")
    if any(v < 0 for v in vals):
        raise ParameterError(f"expected shares {text!r} contain a negative value")
    total = sum(vals)
    if not (abs(total - 1.0) < 1e-6 or abs(total - 100.0) < 1e-4):
        raise ParameterError(
            f"expected shares {text!r} sum to {total:g}; they must sum to 1 (fractions) or 100 (percentages)"
        )
    return as_shares(vals)  # type: ignore[return-value]


def _check_margin(margin: float, name: str = "margin") -> float:
    try:
        m = float(margin)
    except (TypeError, ValueError):
        raise ParameterError(f"{name}={margin!r} is not a number") from None
    if not np.isfinite(m) or m <= 0 or m > 100:
        raise ParameterError(
            f"{name}={margin!r} is out of range: a margin must be above 0 and at most 100 "
            "(3 means +-3)"
        )
    return m


def _check_population(population: float | None) -> float:
    """np.inf for None (an infinite population), otherwise a number >= 1."""
    if population is None:
        return np.inf
    try:
        n = float(population)
    except (TypeError, ValueError):
        raise ParameterError(f"population={population!r} is not a number") from None
    if np.isnan(n) or n < 1:
        raise ParameterError(
            f"population={population!r} is smaller than 1: give the number of people who could be "
            "invited (at least 1), or inf for a very large population"
        )
    return n


def critical_value(confidence: float = 0.95, z: float | None = None) -> float:
    """Two-sided critical value z_{1 - (1 - confidence)/2}, or ``z`` itself when given.

    ``z`` overrides the exact value, to reproduce calculators that use 1.65, 1.96 or 2.58.
    """
    if z is not None:
        try:
            zf = float(z)
        except (TypeError, ValueError):
            raise ParameterError(f"z={z!r} is not a number") from None
        if not np.isfinite(zf) or zf <= 0:
            raise ParameterError(f"z={z!r} must be a positive number such as 1.96")
        return zf
    return z_value(confidence)


def _ceil(x):
    return np.ceil(np.round(x, _DECIMALS))


def apply_fpc(n0, population: float | None, fpc: str = "cochran"):
    """Finite population correction of an infinite-population size ``n0`` (not rounded).

    ``"cochran"``: n0 / (1 + (n0 - 1) / N); ``"surveymonkey"``: n0 / (1 + n0 / N). A population of
    ``None`` (infinite) returns ``n0``.
    """
    check_option("fpc", fpc, FPC_FORMS)
    big_n = _check_population(population)
    n0 = np.asarray(n0, dtype=float)
    if np.isinf(big_n):
        return n0
    return n0 / (1.0 + (n0 - 1.0) / big_n) if fpc == "cochran" else n0 / (1.0 + n0 / big_n)


def fpc_factor(n, population: float | None, fpc: str = "cochran"):
    """Factor by which a population of N shrinks the margin at n respondents.

    sqrt((N - n) / (N - 1)) for ``"cochran"`` and sqrt((N - n) / N) for ``"surveymonkey"``: the
    exact inverses of the two corrections in :func:`apply_fpc`. 1 for an infinite population,
    0 once n reaches N.
    """
    check_option("fpc", fpc, FPC_FORMS)
    big_n = _check_population(population)
    n = np.asarray(n, dtype=float)
    if np.any(n <= 0):
        raise ParameterError(f"n={n.tolist()!r} must be at least 1 respondent")
    if np.isinf(big_n):
        return np.ones_like(n)
    if np.any(n > big_n):
        raise ParameterError(f"n={n.max():g} respondents exceeds the population of {big_n:g}")
    if fpc == "cochran":  # the correction the analysis applies (one formula for both)
        return finite_population_factor(n, big_n)
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.sqrt(np.where(big_n > 0, (big_n - n) / big_n, 0.0))
    return f


def _as_array_or_float(x, like):
    return float(x) if np.ndim(like) == 0 else np.asarray(x)


# --------------------------------------------------------------------------- classic calculator
@dataclass(frozen=True)
class ClassicSampleSize:
    """Result of the classic proportion calculator (what online survey tools report).

    Attributes
    ----------
    n : int
        Respondents needed, after the finite population correction, rounded up.
    n0 : float
        Infinite-population size z^2 p (1 - p) / e^2, not rounded.
    margin : float
        Target margin in percent of a proportion (3 means +-3 %), NOT NPS points.
    confidence, z, proportion, population, fpc
        The inputs and the critical value used; ``population`` is None for infinite.
    """

    n: int
    n0: float
    margin: float
    confidence: float
    z: float
    proportion: float
    population: float | None
    fpc: str

    @property
    def summary(self) -> pd.DataFrame:
        """One-row table of the result."""
        return pd.DataFrame([asdict(self)])

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def classic_sample_size(
    margin: float,
    confidence: float = 0.95,
    population: float | None = None,
    *,
    proportion: float = 0.5,
    z: float | None = None,
    fpc: str = "cochran",
) -> ClassicSampleSize:
    """Sample size of the classic proportion calculator.

    n0 = z^2 p (1 - p) / e^2, then n = n0 / (1 + (n0 - 1) / N) (``fpc="cochran"``) or
    n = n0 / (1 + n0 / N) (``fpc="surveymonkey"``), rounded up.

    Parameters
    ----------
    margin : float
        Margin of error in percent of a proportion: 3 means +-3 %.
    confidence : float
        Confidence level in (0, 1).
    population : float or None
        Population size N; None for an infinite population.
    proportion : float
        Anticipated proportion p in (0, 1); 0.5 (the default) is the worst case.
    z : float, optional
        Critical value to use instead of the exact one (e.g. 1.96, 2.58).
    fpc : {"cochran", "surveymonkey"}
        Form of the finite population correction.

    Returns
    -------
    ClassicSampleSize

    References
    ----------
    Creative Research Systems, sample size formulas, https://www.surveysystem.com/sscalc.htm;
    Raosoft sample size calculator, http://www.raosoft.com/samplesize.html.

    Examples
    --------
    Raosoft's and Creative Research Systems' worked example (population 20,000, 95 %, +-5 %):

    >>> classic_sample_size(5, 0.95, 20000).n
    377
    """
    e = _check_margin(margin) / 100.0
    if not 0 < float(proportion) < 1:
        raise ParameterError(f"proportion={proportion!r} must lie strictly between 0 and 1")
    zz = critical_value(confidence, z)
    n0 = zz**2 * proportion * (1 - proportion) / e**2
    n = int(_ceil(apply_fpc(n0, population, fpc)))
    return ClassicSampleSize(
        n=n, n0=float(n0), margin=float(margin), confidence=check_confidence(confidence),
        z=zz, proportion=float(proportion), population=None if population is None else float(population), fpc=fpc,
    )


def classic_margin(
    n,
    confidence: float = 0.95,
    population: float | None = None,
    *,
    proportion: float = 0.5,
    z: float | None = None,
    fpc: str = "cochran",
):
    """Margin in percent of a proportion that n respondents give: z sqrt(p (1 - p) / n) x FPC.

    The correction factor is the inverse of the chosen sample size correction (see
    :func:`fpc_factor`). Raosoft's calculator reports, for a population of 20,000 at 95 %,
    margins of 9.78 %, 6.89 % and 5.62 % for 100, 200 and 300 respondents (Cochran's form).

    Examples
    --------
    >>> [round(float(m), 2) for m in classic_margin([100, 200, 300], 0.95, 20000)]
    [9.78, 6.89, 5.62]
    """
    zz = critical_value(confidence, z)
    nn = np.asarray(n, dtype=float)
    m = 100.0 * zz * np.sqrt(proportion * (1 - proportion) / nn) * fpc_factor(nn, population, fpc)
    return _as_array_or_float(m, n)


# --------------------------------------------------------------------------- NPS calculator
MIN_SHARE = 0.02
"""Smallest anticipated share of a category used for sizing: an anticipated 0 % (everyone a
promoter) would give a variance of 0 and "1 respondent"; each share is floored here and the
shares renormalised (the plan says so)."""


def floor_shares(shares: tuple[float, float, float] | None) -> tuple[tuple[float, float, float] | None, bool]:
    """Shares with each at least :data:`MIN_SHARE` (renormalised), and whether any was raised."""
    if shares is None:
        return None, False
    arr = np.asarray(shares, dtype=float)
    if arr.min() >= MIN_SHARE:
        return shares, False
    arr = np.maximum(arr, MIN_SHARE)
    arr = arr / arr.sum()
    return (float(arr[0]), float(arr[1]), float(arr[2])), True


def anticipated_variance(expected: Sequence[float] | None = None) -> float:
    """Per-respondent variance v = p + d - (p - d)^2 on the -1..1 scale; 1 (worst case) for None.

    ``expected`` is (detractors, passives, promoters) as shares, percentages or counts; each
    share is floored at :data:`MIN_SHARE` (:func:`floor_shares`), so v is never 0.

    Examples
    --------
    >>> anticipated_variance(), anticipated_variance((0.2, 0.3, 0.5))
    (1.0, 0.61)
    >>> round(anticipated_variance((0, 0, 1)), 4)  # floored: about 2 % detractors and passives
    0.0928
    """
    s, _ = floor_shares(as_shares(expected))
    if s is None:
        return 1.0
    d, _, p = s
    return float(round(p + d - (p - d) ** 2, 15))


def nps_margin(
    n,
    confidence: float = 0.95,
    population: float | None = None,
    *,
    expected: Sequence[float] | None = None,
    method: str = "wald",
    z: float | None = None,
    fpc: str = "cochran",
):
    """Margin of error in NPS points that n respondents give (half-width of the interval).

    ``"wald"``: 100 z sqrt(v / n) x FPC. ``"adjusted-wald"``: 100 z sqrt(v~ / (n + 3)) x FPC with
    v~ from the anticipated shares after adding 0.75 / 1.5 / 0.75 to n d, n a, n p (worst case:
    v~ = 1). FPC is :func:`fpc_factor` (Cochran: sqrt((N - n) / (N - 1))).

    Parameters
    ----------
    n : int or array-like of int
        Respondents; an array gives an array of margins (vectorised).
    confidence : float
        Confidence level in (0, 1).
    population : float or None
        Population size; None for infinite.
    expected : (d, a, p), optional
        Anticipated shares or a previous wave's counts; None for the worst case (v = 1).
    method : {"wald", "adjusted-wald"}
    z : float, optional
        Critical value override.
    fpc : {"cochran", "surveymonkey"}

    Returns
    -------
    float or numpy.ndarray
        Margin in points.

    Examples
    --------
    1,068 respondents (the classic calculator's answer for +-3 % at 95 %) give about +-6 NPS
    points in the worst case:

    >>> round(nps_margin(1068, 0.95), 2)
    6.0
    """
    check_option("method", method, SIZE_METHODS)
    zz = critical_value(confidence, z)
    try:
        nn = np.asarray(n, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(f"n={n!r} is not a number of respondents") from None
    factor = fpc_factor(nn, population, fpc)
    shares = as_shares(expected)
    if method == "wald":
        v = anticipated_variance(shares)
        m = zz * np.sqrt(v / nn)
    else:
        if shares is None:
            v_adj = np.ones_like(nn)
        else:
            ad, aa, ap = ADJUSTMENT
            total = nn + ad + aa + ap
            d_adj = (nn * shares[0] + ad) / total
            p_adj = (nn * shares[2] + ap) / total
            v_adj = p_adj + d_adj - (p_adj - d_adj) ** 2
        m = zz * np.sqrt(v_adj / (nn + sum(ADJUSTMENT)))
    return _as_array_or_float(100.0 * m * factor, n)


@dataclass(frozen=True)
class NPSSampleSize:
    """Respondents needed for an NPS margin of +-``margin`` points.

    Attributes
    ----------
    n : int
        Respondents needed (rounded up, after the finite population correction).
    n0 : float
        Infinite-population Wald size z^2 v / e^2, not rounded.
    margin : float
        Target margin in NPS points.
    achieved_margin : float
        Margin in points that ``n`` respondents give under ``method``.
    variance : float
        Anticipated per-respondent variance on the -1..1 scale (1 = worst case).
    expected : tuple or None
        Anticipated (detractor, passive, promoter) shares; None = worst case.
    confidence, z, population, fpc, method
        Inputs and the critical value used.
    """

    n: int
    n0: float
    margin: float
    achieved_margin: float
    variance: float
    expected: tuple[float, float, float] | None
    confidence: float
    z: float
    population: float | None
    fpc: str
    method: str

    @property
    def summary(self) -> pd.DataFrame:
        """One-row table of the result."""
        row = asdict(self)
        row["expected"] = None if self.expected is None else ", ".join(f"{s:.3f}" for s in self.expected)
        return pd.DataFrame([row])

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def nps_sample_size(
    margin: float,
    confidence: float = 0.95,
    population: float | None = None,
    *,
    expected: Sequence[float] | None = None,
    method: str = "wald",
    z: float | None = None,
    fpc: str = "cochran",
) -> NPSSampleSize:
    """Respondents needed for an NPS margin of +-``margin`` points.

    ``"wald"``: n0 = z^2 v / e^2 with e = margin / 100 and v = p + d - (p - d)^2 (1 in the worst
    case), then the finite population correction of :func:`apply_fpc`, rounded up.
    ``"adjusted-wald"``: the smallest n whose :func:`nps_margin` under the adjusted Wald method
    is at or below the target (the margin decreases with n; found by bisection below the
    worst-case Wald size z^2 / e^2, which bounds it because the adjusted variance is at most 1).

    Parameters
    ----------
    margin : float
        Target margin in NPS points (3 means +-3 points), in (0, 100].
    confidence : float
        Confidence level in (0, 1).
    population : float or None
        Population size N (customers who could be invited); None for infinite.
    expected : (d, a, p), optional
        Anticipated shares, percentages or a previous wave's counts; None = worst case.
    method : {"wald", "adjusted-wald"}
        Interval method the figure assumes.
    z : float, optional
        Critical value override.
    fpc : {"cochran", "surveymonkey"}

    Returns
    -------
    NPSSampleSize

    Examples
    --------
    >>> nps_sample_size(3, 0.95).n  # 1.959964^2 / 0.03^2 = 4268.3
    4269
    """
    check_option("method", method, SIZE_METHODS)
    m = _check_margin(margin)
    e = m / 100.0
    zz = critical_value(confidence, z)
    shares = as_shares(expected)
    v = anticipated_variance(shares)
    n0 = zz**2 * v / e**2
    big_n = _check_population(population)
    if method == "wald":
        n = int(max(_ceil(apply_fpc(n0, population, fpc)), 1))
    else:
        # The adjusted variance never exceeds 1, so the worst-case Wald size bounds the search;
        # the margin decreases with n, so bisection finds the smallest n that meets the target.
        lo, hi = 0, int(_ceil(zz**2 / e**2))
        if np.isfinite(big_n):
            hi = min(hi, int(big_n))
        hi = max(hi, 1)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            m_mid = nps_margin(mid, confidence, population, expected=shares, method=method, z=zz, fpc=fpc)
            if np.round(m_mid, _DECIMALS) <= m:
                hi = mid
            else:
                lo = mid
        n = hi
    achieved = nps_margin(n, confidence, population, expected=shares, method=method, z=zz, fpc=fpc)
    return NPSSampleSize(
        n=n, n0=float(n0), margin=m, achieved_margin=float(achieved), variance=v, expected=shares,
        confidence=float(confidence), z=zz, population=None if population is None else float(population),
        fpc=fpc, method=method,
    )


def margin_curve(
    n,
    confidence: float = 0.95,
    population: float | None = None,
    *,
    expected: Sequence[float] | None = None,
    z: float | None = None,
    fpc: str = "cochran",
) -> pd.DataFrame:
    """Margin in NPS points against respondents, as tidy data for a figure.

    Parameters
    ----------
    n : int or array-like of int
        Respondent counts to evaluate (values above the population are dropped); a single
        number n_max means 200 points spread evenly on a log scale from 10 (or n_max) to n_max.
    confidence, population, expected, z, fpc
        As in :func:`nps_margin`.

    Returns
    -------
    DataFrame
        Columns ``n``, ``scenario`` ("worst case" and, when ``expected`` is given,
        "anticipated shares"), ``method`` ("wald", "adjusted-wald"), ``margin`` (points), plus
        ``classic_margin`` (the proportion calculator's margin in %, for comparison).
    """
    if np.ndim(n) == 0:
        n_max = float(n)
        nn = np.unique(np.round(np.geomspace(min(10.0, n_max), n_max, 200)))
    else:
        nn = np.unique(np.asarray(n, dtype=float))
    big_n = _check_population(population)
    nn = nn[(nn >= 1) & (nn <= big_n)]
    scenarios = [("worst case", None)]
    if expected is not None:
        scenarios.append(("anticipated shares", as_shares(expected)))
    frames = []
    classic = classic_margin(nn, confidence, population, z=z, fpc=fpc)
    for label, shares in scenarios:
        for method in SIZE_METHODS:
            frames.append(pd.DataFrame({
                "n": nn.astype(int), "scenario": label, "method": method,
                "margin": nps_margin(nn, confidence, population, expected=shares, method=method, z=z, fpc=fpc),
                "classic_margin": classic,
            }))
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------- the plan shown side by side
@dataclass(frozen=True)
class SampleSizePlan:
    """The classic calculator's answer next to the NPS answer, and invitations.

    Attributes
    ----------
    classic_n : int
        Respondents the proportion calculator asks for a +-``margin`` % margin.
    nps_n : int
        Respondents for +-``margin`` NPS points (Wald, anticipated shares or worst case).
    nps_n_adjusted_wald : int
        The same under the adjusted Wald interval nps-kit reports by default.
    nps_margin_at_classic_n : float
        NPS margin in points that ``classic_n`` respondents give (anticipated shares if given,
        otherwise worst case; Wald).
    nps_margin_at_classic_n_worst_case : float
        The same in the worst case (v = 1).
    invitations : int or None
        ceil(nps_n / response_rate) when a response rate is given.
    population, confidence, margin, expected, response_rate, z, fpc
        The inputs (``z`` as given, None for exact); ``z_used`` is the critical value used.
    reachable_n : int or None
        The most answers the population can give: floor(N x response rate) (N without a rate);
        None for a very large population.
    feasible : bool
        Whether ``nps_n`` is within ``reachable_n``.
    reachable_margin : float or None
        The NPS margin if everyone is invited and ``reachable_n`` answer.
    shares_floored : bool
        Whether an anticipated share under :data:`MIN_SHARE` was raised to it.
    nonresponse_bounds : (float, float) or None
        With a response rate: where the NPS of all invitees could lie when respondents show the
        anticipated NPS, with no assumption about those who do not answer
        (:func:`nonresponse_bounds`).
    """

    classic_n: int
    nps_n: int
    nps_n_adjusted_wald: int
    nps_margin_at_classic_n: float
    nps_margin_at_classic_n_worst_case: float
    invitations: int | None
    population: float | None
    confidence: float
    margin: float
    expected: tuple[float, float, float] | None
    response_rate: float | None
    z: float | None
    z_used: float
    fpc: str
    reachable_n: int | None = None
    feasible: bool = True
    reachable_margin: float | None = None
    shares_floored: bool = False
    nonresponse_bounds: tuple[float, float] | None = None

    def to_dict(self) -> dict:
        """JSON-ready dictionary (the CLI's ``--json`` output)."""
        out = asdict(self)
        out["expected_shares"] = None if self.expected is None else list(self.expected)
        del out["expected"]
        out["method"] = "wald"
        if self.population is not None and float(self.population).is_integer():
            out["population"] = int(self.population)
        return out

    @property
    def summary(self) -> pd.DataFrame:
        """Tidy table: one row per figure with its value and what it means."""
        pts = "worst case" if self.expected is None else "anticipated shares"
        rows = [
            ("classic_n", self.classic_n, f"respondents the proportion calculator asks for +-{self.margin:g} %"),
            ("nps_n", self.nps_n, f"respondents for +-{self.margin:g} NPS points (Wald, {pts})"),
            ("nps_n_adjusted_wald", self.nps_n_adjusted_wald,
             f"respondents for +-{self.margin:g} NPS points (adjusted Wald, {pts})"),
            ("nps_margin_at_classic_n", self.nps_margin_at_classic_n,
             f"NPS margin in points that the classic calculator's respondents give ({pts})"),
            ("nps_margin_at_classic_n_worst_case", self.nps_margin_at_classic_n_worst_case,
             "NPS margin in points that the classic calculator's respondents give (worst case)"),
        ]
        if self.invitations is not None:
            rows.append(("invitations", self.invitations,
                         f"invitations for those NPS respondents at a {self.response_rate:.0%} response rate"))
        return pd.DataFrame(rows, columns=["figure", "value", "meaning"])

    def sentences(self) -> list[str]:
        """Sentences explaining the figures in plain words (feasibility and wording included)."""
        conf = f"{self.confidence:.0%}" if round(self.confidence * 100, 6).is_integer() else f"{self.confidence:.1%}"
        pop = "a very large population" if self.population is None else f"a population of {self.population:,.0f}"
        basis = "in the worst case" if self.expected is None else "with the anticipated shares"
        reach = self.reachable_n
        capped = reach is not None and self.classic_n > reach
        out = [
            f"A classic survey calculator asks for {_people(self.classic_n, 'respondent')} from {pop} "
            f"for +-{self.margin:g} % at {conf} confidence, but that is a margin for a proportion: "
            + (f"only {_people(reach, 'person')} can answer, who give" if capped else
               f"{_people(self.classic_n, 'respondent')} give")
            + f" an NPS margin of about +-{self.nps_margin_at_classic_n:.1f} points {basis}.",
        ]
        if self.feasible:
            out.append(f"For +-{self.margin:g} NPS points you need {_people(self.nps_n, 'respondent')} "
                       f"({self.nps_n_adjusted_wald:,} with the adjusted Wald interval nps-kit reports).")
            if self.invitations is not None:
                out.append(f"At a {self.response_rate:.0%} response rate that means sending "
                           f"{self.invitations:,} invitations.")
        else:
            rate = f" at a {self.response_rate:.0%} response rate" if self.response_rate else ""
            if not reach:
                out.append(f"For +-{self.margin:g} NPS points you would need "
                           f"{_people(self.nps_n, 'respondent')}, but nobody is expected to answer"
                           f"{rate} from {pop}: this plan cannot be reached.")
            else:
                out.append(f"For +-{self.margin:g} NPS points you would need "
                           f"{_people(self.nps_n, 'respondent')}, but at most {_people(reach, 'person')} "
                           f"of {pop} can answer{rate}: inviting everyone gives about "
                           f"+-{self.reachable_margin:.0f} NPS points. Plan for that margin, or raise "
                           "the response rate (phone follow-up of non-responders).")
        if self.shares_floored:
            out.append(f"An anticipated share under {MIN_SHARE:.0%} was raised to {MIN_SHARE:.0%}: a "
                       "category nobody is expected to choose would otherwise size the study at a "
                       "handful of answers.")
        out.append("These margins cover sampling error only, under random response; they say "
                   "nothing about who does not answer.")
        if self.nonresponse_bounds is not None:
            lo, hi = self.nonresponse_bounds
            nps = 0.0 if self.expected is None else 100 * (self.expected[2] - self.expected[0])
            out.append(f"With a {self.response_rate:.0%} response rate and respondents at NPS "
                       f"{nps:+.0f}, the NPS of everyone invited could lie anywhere from {lo:+.0f} "
                       f"to {hi:+.0f} without assumptions about the others (Manski bounds).")
        return out

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def plan_sample_size(
    population: float | None,
    confidence: float,
    margin: float,
    *,
    expected: Sequence[float] | None = None,
    response_rate: float | None = None,
    z: float | None = None,
    fpc: str = "cochran",
) -> SampleSizePlan:
    """Classic calculator and NPS sizes side by side, with invitations.

    Parameters
    ----------
    population : float or None
        Population size; None for infinite.
    confidence : float
        Confidence level in (0, 1).
    margin : float
        The margin: percent for the classic calculator, points for NPS (the same number, on
        purpose, to show the difference).
    expected : (d, a, p), optional
        Anticipated shares or counts; None = worst case.
    response_rate : float, optional
        Expected response rate as a fraction (0.3) or a percentage (30).
    z : float, optional
        Critical value override (applies to every figure).
    fpc : {"cochran", "surveymonkey"}

    Returns
    -------
    SampleSizePlan

    Examples
    --------
    >>> plan = plan_sample_size(None, 0.95, 3)
    >>> plan.classic_n, plan.nps_n, round(plan.nps_margin_at_classic_n, 1)
    (1068, 4269, 6.0)
    """
    confidence = check_confidence(confidence)
    if confidence < 0.8:
        import warnings

        from nps_kit.errors import NPSKitWarning

        warnings.warn(f"confidence {confidence:.0%} is unusually low for a survey plan (80 % to 99 % "
                      "is usual): a margin at this level is often read as a near-certainty",
                      NPSKitWarning, stacklevel=2)
    shares = as_shares(expected)
    _, floored = floor_shares(shares)
    rate = None if response_rate is None else as_fraction(response_rate, "response_rate")
    classic = classic_sample_size(margin, confidence, population, z=z, fpc=fpc)
    nps_w = nps_sample_size(margin, confidence, population, expected=shares, z=z, fpc=fpc)
    nps_aw = nps_sample_size(margin, confidence, population, expected=shares, method="adjusted-wald", z=z, fpc=fpc)
    big_n = _check_population(population)
    reach = None if np.isinf(big_n) else int(np.floor(np.round(big_n * (rate or 1.0), 9)))
    shown = classic.n if reach is None else min(classic.n, reach)
    at_classic = (nps_margin(shown, confidence, population, expected=shares, z=z, fpc=fpc)
                  if shown >= 1 else float("nan"))
    at_classic_worst = (nps_margin(shown, confidence, population, z=z, fpc=fpc)
                        if shown >= 1 else float("nan"))
    inv = None if rate is None else int(_ceil(nps_w.n / rate))
    feasible = reach is None or nps_w.n <= reach
    reach_margin = (float(nps_margin(reach, confidence, population, expected=shares, z=z, fpc=fpc))
                    if reach and not feasible else None)
    bounds = None
    if rate is not None:
        nps = 0.0 if shares is None else 100.0 * (shares[2] - shares[0])
        bounds = nonresponse_bounds(nps, rate)
    return SampleSizePlan(
        classic_n=classic.n, nps_n=nps_w.n, nps_n_adjusted_wald=nps_aw.n,
        nps_margin_at_classic_n=float(at_classic), nps_margin_at_classic_n_worst_case=float(at_classic_worst),
        invitations=inv, population=None if population is None else float(population),
        confidence=confidence, margin=float(margin), expected=shares, response_rate=rate,
        z=None if z is None else float(z), z_used=classic.z, fpc=fpc, reachable_n=reach,
        feasible=feasible, reachable_margin=reach_margin, shares_floored=floored,
        nonresponse_bounds=bounds,
    )


def _people(n: int, word: str) -> str:
    """``1 respondent``, ``2 respondents``, ``1 person``, ``20 people``."""
    if word == "person":
        return f"{n:,} {'person' if n == 1 else 'people'}"
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def nonresponse_bounds(nps: float, response_rate: float) -> tuple[float, float]:
    """Where the NPS of everyone invited can lie, given the respondents' NPS and the response rate.

    No assumption about non-respondents (Manski 1989; 2003): each could be a detractor or a
    promoter, so with response rate r and respondents' NPS x (points) the invitees' NPS lies in
    [r x - 100 (1 - r), r x + 100 (1 - r)].

    Examples
    --------
    >>> nonresponse_bounds(30, 0.3)
    (-61.0, 79.0)

    References
    ----------
    Manski, C. F. (1989). Anatomy of the selection problem. Journal of Human Resources 24, 343-360.
    Manski, C. F. (2003). Partial Identification of Probability Distributions. Springer.
    """
    r = float(response_rate)
    if not 0 < r <= 1:
        raise ParameterError(f"response_rate={response_rate!r} must lie in (0, 1]")
    centre = r * float(nps)
    return round(centre - 100 * (1 - r), 10), round(centre + 100 * (1 - r), 10)


def size_table(
    population: float | None,
    confidence: float,
    margins: Sequence[float],
    *,
    expected: Sequence[float] | None = None,
    z: float | None = None,
    fpc: str = "cochran",
) -> pd.DataFrame:
    """The sample size table: for each margin, classic and NPS sizes side by side.

    Returns
    -------
    DataFrame
        One row per margin: ``margin``, ``classic_n``, ``nps_n`` (Wald), ``nps_n_adjusted_wald``,
        ``nps_n_worst_case``, ``nps_margin_at_classic_n`` (points, anticipated shares or worst
        case).
    """
    rows = []
    for m in margins:
        plan = plan_sample_size(population, confidence, m, expected=expected, z=z, fpc=fpc)
        worst = nps_sample_size(m, confidence, population, z=z, fpc=fpc).n
        rows.append({
            "margin": float(m), "classic_n": plan.classic_n, "nps_n": plan.nps_n,
            "nps_n_adjusted_wald": plan.nps_n_adjusted_wald, "nps_n_worst_case": worst,
            "nps_margin_at_classic_n": plan.nps_margin_at_classic_n,
        })
    return pd.DataFrame(rows)


__all__ = [
    "anticipated_variance", "apply_fpc", "as_count", "floor_shares", "MIN_SHARE",
    "nonresponse_bounds", "as_fraction", "as_shares", "classic_margin",
    "classic_sample_size", "ClassicSampleSize", "critical_value", "fpc_factor", "FPC_FORMS",
    "margin_curve", "nps_margin", "nps_sample_size", "NPSSampleSize", "parse_shares",
    "plan_sample_size", "SampleSizePlan", "SIZE_METHODS", "size_table",
]
