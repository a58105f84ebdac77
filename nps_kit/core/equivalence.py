"""Equivalence of two NPS: did nothing (that matters) change? Two one-sided tests (TOST).

A non-significant change is not evidence of no change: small waves miss real changes. To show
that NPS *stayed put* the user names a margin M in points (the smallest change that would
matter) and tests H0: |Delta| >= M against H1: |Delta| < M with Schuirmann's (1987) two one-sided
tests, here z tests on the NPS difference and its standard error from
:func:`nps_kit.core.compare.difference_arrays`, so every design works (independent samples, a panel,
partial overlap; Wald or adjusted Wald):

    z_lower = (estimate + M) / se,   p_lower = 1 - Phi(z_lower)   (H0: Delta <= -M)
    z_upper = (estimate - M) / se,   p_upper = Phi(z_upper)       (H0: Delta >= +M)
    p_equivalence = max(p_lower, p_upper)

Equivalence is shown at level alpha = 1 - confidence when p_equivalence < alpha, which is the
same as the (1 - 2 alpha) interval estimate +- z_{1-alpha} se lying inside (-M, M) (Schuirmann
1987; Berger and Hsu 1996 show the TOST is a size-alpha intersection-union test).

Verdicts (a closed set, :data:`VERDICTS`)
----------------------------------------
``"equivalent"``
    The TOST rejects: the change lies within +-M. This includes the case where the ordinary
    two-sided test *also* rejects (large samples can show a real change that is smaller than
    the margin): then NPS did change, but by less than the user's own threshold of what
    matters; the sentences of :func:`describe_equivalence` say so.
``"changed"``
    The ordinary two-sided test of no change rejects and the TOST does not.
``"not shown equivalent"``
    Neither test rejects: the data cannot tell a change of M points from no change.

With several comparisons (waves x segments) both tests use p-values adjusted over the family
(Holm 1979 by default, as :func:`nps_kit.waves.changes.compare_waves`); the TOST interval is per
comparison. With one comparison the adjusted and raw p-values are the same, and "equivalent"
means exactly that the (1 - 2 alpha) interval lies inside the margin.

References
----------
Schuirmann, D. J. (1987). A comparison of the two one-sided tests procedure and the power
approach for assessing the equivalence of average bioavailability. Journal of Pharmacokinetics
and Biopharmaceutics 15(6), 657-680.
Berger, R. L. and Hsu, J. C. (1996). Bioequivalence trials, intersection-union tests and
equivalence confidence sets. Statistical Science 11(4), 283-319.
Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scandinavian Journal of
Statistics 6, 65-70.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

from nps_kit.core.compare import ADJUST_METHODS, NPSComparison, adjust_pvalues
from nps_kit.errors import DataError, ParameterError, check_confidence, check_option
from nps_kit.core.columns import as_columns
from nps_kit.core.formatting import p_text
from nps_kit.core.safetext import label

VERDICTS: tuple[str, ...] = ("equivalent", "not shown equivalent", "changed")
"""The verdicts of an equivalence analysis."""

EQUIVALENCE_COLUMNS: tuple[str, ...] = (
    "margin", "p_lower", "p_upper", "p_equivalence", "p_equivalence_adjusted", "tost_low",
    "tost_high", "equivalence",
)
"""Columns :func:`add_equivalence` appends to a changes table (the table's own columns stay)."""


def check_margin(margin: float) -> float:
    """The equivalence margin in points: a number strictly between 0 and 200."""
    try:
        m = float(margin)
    except (TypeError, ValueError):
        raise ParameterError(f"margin={margin!r} is not a number; give the margin in NPS points, "
                             "e.g. 5") from None
    if not (math.isfinite(m) and 0.0 < m < 200.0):
        raise ParameterError(f"margin={margin!r} must lie strictly between 0 and 200 NPS points "
                             "(the smallest change that would matter, e.g. 5)")
    return m


def tost_arrays(estimate, se, margin: float, confidence: float = 0.95) -> dict[str, np.ndarray]:
    """Two one-sided z tests of |Delta| < margin, vectorised, everything in points.

    Parameters
    ----------
    estimate, se : array-like
        Estimated change and its standard error in points (the ``estimate`` and ``se`` of
        :func:`nps_kit.core.compare.difference_arrays`).
    margin : float
        Equivalence margin M in points (> 0).
    confidence : float
        1 - alpha; the TOST interval has level 1 - 2 alpha.

    Returns
    -------
    dict of numpy arrays
        ``p_lower`` (H0: Delta <= -M), ``p_upper`` (H0: Delta >= M), ``p_equivalence`` (the
        larger), ``tost_low`` and ``tost_high`` (estimate -+ z_{1-alpha} se). NaN where the
        estimate is NaN. A zero se gives p = 0 or 1 by the side of the margin the estimate is on.

    Examples
    --------
    >>> r = tost_arrays([1.0], [2.0], 5.0)
    >>> round(float(r["p_equivalence"][0]), 4)  # 1 - Phi((5 - 1) / 2)
    0.0228
    """
    m = check_margin(margin)
    confidence = check_confidence(confidence)
    est = np.asarray(estimate, dtype=float)
    s = np.asarray(se, dtype=float)
    z_one = float(norm.ppf(confidence))
    with np.errstate(invalid="ignore", divide="ignore"):
        z_lo = (est + m) / s
        z_hi = (est - m) / s
    zero = s == 0
    p_lower = np.where(zero, np.where(est > -m, 0.0, 1.0), norm.sf(z_lo))
    p_upper = np.where(zero, np.where(est < m, 0.0, 1.0), norm.cdf(z_hi))
    nan = np.isnan(est) | np.isnan(s)
    out = {
        "p_lower": p_lower, "p_upper": p_upper, "p_equivalence": np.maximum(p_lower, p_upper),
        "tost_low": est - z_one * s, "tost_high": est + z_one * s,
    }
    return {k: np.where(nan, np.nan, v) for k, v in out.items()}


def verdicts(p_equivalence, p_change, confidence: float = 0.95) -> np.ndarray:
    """Verdict per comparison from the equivalence and the two-sided p-values.

    ``"equivalent"`` when p_equivalence < alpha, else ``"changed"`` when p_change < alpha, else
    ``"not shown equivalent"`` (alpha = 1 - confidence); None where a p-value is missing.
    """
    alpha = 1.0 - check_confidence(confidence)
    pe = np.asarray(p_equivalence, dtype=float)
    pc = np.asarray(p_change, dtype=float)
    out = np.where(pe < alpha, VERDICTS[0], np.where(pc < alpha, VERDICTS[2], VERDICTS[1]))
    return np.where(np.isnan(pe) | np.isnan(pc), None, out.astype(object))


@dataclass(frozen=True)
class EquivalenceResult:
    """TOST of one change NPS_2 - NPS_1 against a margin, in points.

    Attributes
    ----------
    margin : float
    estimate, se : float
        The change (centre of the tests) and its standard error.
    p_lower, p_upper, p_equivalence : float
        One-sided p-values of H0: Delta <= -M and H0: Delta >= M; the larger of the two.
    low, high : float
        The (1 - 2 alpha) interval.
    p_value : float
        The ordinary two-sided test of no change.
    verdict : str
        One of :data:`VERDICTS`.
    design : str
    confidence : float
    """

    margin: float
    estimate: float
    se: float
    p_lower: float
    p_upper: float
    p_equivalence: float
    low: float
    high: float
    p_value: float
    verdict: str
    design: str
    confidence: float

    @property
    def summary(self) -> pd.DataFrame:
        """One-row table of the result."""
        return pd.DataFrame([{
            "design": self.design, "estimate": self.estimate, "se": self.se,
            "margin": self.margin, "p_lower": self.p_lower, "p_upper": self.p_upper,
            "p_equivalence": self.p_equivalence, "tost_low": self.low, "tost_high": self.high,
            "p_value": self.p_value, "equivalence": self.verdict, "confidence": self.confidence,
        }])

    def __str__(self) -> str:
        level = 1.0 - 2.0 * (1.0 - self.confidence)
        return (f"{self.verdict}: change {self.estimate:+.1f} points, {level:.0%} interval "
                f"[{self.low:.1f}, {self.high:.1f}] against a margin of +-{self.margin:g}; "
                f"p_equivalence = {self.p_equivalence:.3g}, p (no change) = {self.p_value:.3g}")

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def equivalence_test(comparison: NPSComparison, margin: float) -> EquivalenceResult:
    """TOST of one comparison from :func:`nps_kit.core.compare.compare_nps`, ``compare_paired`` or
    ``compare_overlap`` (any design, the comparison's method and confidence).

    Parameters
    ----------
    comparison : NPSComparison
    margin : float
        Equivalence margin in points.

    Returns
    -------
    EquivalenceResult

    Examples
    --------
    >>> from nps_kit.core.compare import compare_nps
    >>> r = equivalence_test(compare_nps((200, 300, 500), (210, 300, 490), method="wald"), 10)
    >>> r.verdict, round(r.low, 2), round(r.high, 2)
    ('equivalent', -7.77, 3.77)
    """
    if not isinstance(comparison, NPSComparison):
        raise ParameterError("equivalence_test needs an NPSComparison (from compare_nps, "
                             "compare_paired or compare_overlap)")
    arr = tost_arrays([comparison.estimate], [comparison.se], margin, comparison.confidence)
    verdict = verdicts(arr["p_equivalence"], [comparison.p_value], comparison.confidence)[0]
    return EquivalenceResult(
        margin=check_margin(margin), estimate=comparison.estimate, se=comparison.se,
        p_lower=float(arr["p_lower"][0]), p_upper=float(arr["p_upper"][0]),
        p_equivalence=float(arr["p_equivalence"][0]), low=float(arr["tost_low"][0]),
        high=float(arr["tost_high"][0]), p_value=comparison.p_value, verdict=str(verdict),
        design=comparison.design, confidence=comparison.confidence,
    )


def _check_changes(frame: pd.DataFrame) -> None:
    needed = ["estimate", "se", "p_value", "confidence"]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise DataError(f"a changes table needs the columns {needed} (as nps_kit.waves.changes.wave_changes "
                        f"returns); missing: {missing}")


def add_equivalence(
    changes: pd.DataFrame,
    margin: float,
    *others: pd.DataFrame,
    adjust: str | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, ...]:
    """Append the TOST columns to one or more changes tables adjusted as one family.

    Parameters
    ----------
    changes : DataFrame
        A table of :func:`nps_kit.waves.changes.wave_changes` (or ``WaveComparison.changes``); its
        columns are kept and :data:`EQUIVALENCE_COLUMNS` appended.
    margin : float
        Equivalence margin in points.
    *others : DataFrame
        Further changes tables of the same family (``WaveComparison.segment_changes``): all
        rows of all tables are one family for the adjustment, as in
        :func:`nps_kit.waves.changes.compare_waves`.
    adjust : {"holm", "fdr_bh"}, optional
        Adjustment of the equivalence p-values; default the tables' own ``adjust`` column.

    Returns
    -------
    DataFrame, or a tuple of DataFrames when ``others`` are given
        ``p_equivalence_adjusted`` is adjusted over the family; the verdict ``equivalence``
        uses it and the tables' ``p_adjusted`` (the two-sided test adjusted over the same
        family) when present, else the raw p-values.
    """
    frames = [changes, *others]
    for f in frames:
        _check_changes(f)
    if adjust is None:
        given = pd.concat([f["adjust"] for f in frames if "adjust" in f.columns and len(f)])\
            .unique().tolist() if any("adjust" in f.columns and len(f) for f in frames) else []
        adjust = given[0] if len(given) == 1 else "holm"
    check_option("adjust", adjust, ADJUST_METHODS)
    m = check_margin(margin)
    confs = pd.concat([f["confidence"] for f in frames]).unique()
    if len(confs) > 1:
        raise ParameterError(f"the changes tables mix confidence levels {sorted(confs)}; "
                             "compare them at one level")
    confidence = float(confs[0]) if len(confs) else 0.95
    sizes = [len(f) for f in frames]
    est = np.concatenate([f["estimate"].to_numpy(float) for f in frames])
    se = np.concatenate([f["se"].to_numpy(float) for f in frames])
    arr = tost_arrays(est, se, m, confidence)
    p_eq_adj = adjust_pvalues(arr["p_equivalence"], adjust)
    p_change = np.concatenate([
        (f["p_adjusted"] if "p_adjusted" in f.columns else f["p_value"]).to_numpy(float)
        for f in frames])
    verdict = verdicts(p_eq_adj, p_change, confidence)
    out, start = [], 0
    for f, k in zip(frames, sizes):
        sl = slice(start, start + k)
        out.append(f.assign(margin=m, p_lower=arr["p_lower"][sl], p_upper=arr["p_upper"][sl],
                            p_equivalence=arr["p_equivalence"][sl],
                            p_equivalence_adjusted=p_eq_adj[sl], tost_low=arr["tost_low"][sl],
                            tost_high=arr["tost_high"][sl], equivalence=verdict[sl]))
        start += k
    return out[0] if not others else tuple(out)


def wave_equivalence(result, margin: float) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """TOST columns for a :class:`nps_kit.waves.changes.WaveComparison`, overall and segment changes
    adjusted as one family (as the two-sided tests are).

    Returns
    -------
    (changes, segment_changes)
        The two tables with :data:`EQUIVALENCE_COLUMNS` appended (segment_changes None when
        the comparison has no segments).
    """
    if result.segment_changes is None:
        return add_equivalence(result.changes, margin), None
    return add_equivalence(result.changes, margin, result.segment_changes)


def describe_equivalence(changes: pd.DataFrame, by=None) -> list[str]:
    """One plain-language sentence per comparison of a table from :func:`add_equivalence`.

    Parameters
    ----------
    changes : DataFrame
        With the columns of :func:`nps_kit.waves.changes.wave_changes` and :data:`EQUIVALENCE_COLUMNS`.
    by : str or list of str, optional
        Segment columns, named in each sentence.
    """
    by_list = as_columns(by)
    sentences = []
    for r in changes.to_dict("records"):
        where = " / ".join(label(r[c]) for c in by_list)
        head = (f"{where + ': ' if where else ''}{label(r.get('from', 'first'))} to "
                f"{label(r.get('to', 'second'))}")
        if r["equivalence"] is None or (isinstance(r["equivalence"], float) and np.isnan(r["equivalence"])):
            sentences.append(f"{head}: no equivalence test possible (a wave has no respondents).")
            continue
        level = 1.0 - 2.0 * (1.0 - float(r["confidence"]))
        interval = (f"{level:.0%} interval {r['tost_low']:+.1f} to {r['tost_high']:+.1f} points, "
                    f"margin +-{r['margin']:g}, {p_text(r['p_equivalence'], 'equivalence p')}"
                    + (f", {p_text(r['p_equivalence_adjusted'], 'adjusted')}"
                       if r["p_equivalence_adjusted"] != r["p_equivalence"] else ""))
        significant = r["p_adjusted"] if "p_adjusted" in r else r["p_value"]
        if r["equivalence"] == "equivalent":
            text = f"{head}: equivalent within +-{r['margin']:g} points ({interval})."
            if significant < 1.0 - float(r["confidence"]):
                text += (" The change is also statistically significant: NPS did move, but by "
                         "less than the margin.")
        elif r["equivalence"] == "changed":
            text = (f"{head}: changed (the test of no change rejects; the change is not shown "
                    f"to be within the margin; {interval}).")
        else:
            text = (f"{head}: not shown equivalent ({interval}: the interval reaches beyond the "
                    "margin) and not shown changed (the test of no change does not reject); "
                    "the data show neither.")
        sentences.append(text)
    return sentences


__all__ = [
    "EQUIVALENCE_COLUMNS", "EquivalenceResult", "VERDICTS", "add_equivalence", "check_margin",
    "describe_equivalence", "equivalence_test", "tost_arrays", "verdicts", "wave_equivalence",
]
