"""NPS per ABC class and whether the classes differ.

:func:`class_table` gives each class's population, response rate and NPS with its interval, and
flags classes that answer far less than the others (non-response bias); :func:`compare_classes`
tests the class x category table (chi-square) and the pairwise NPS differences with
Holm-adjusted p-values. Both work on :class:`nps_kit.revenue.classes.JoinedResponses`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency

from nps_kit.core.compare import adjust_pvalues, compare_nps
from nps_kit.errors import NPSKitWarning, check_confidence, check_option
from nps_kit.core.intervals import METHODS
from nps_kit.core.scores import CATEGORIES
from nps_kit.core.scores import nps as nps_points
from nps_kit.revenue.classes import CLASSES, ABCClasses, JoinedResponses
from nps_kit.engines.dispatch import summarize
from nps_kit.core.formatting import p_text

LOW_RESPONSE_RATIO = 0.5
"""A class whose response rate is below this fraction of the highest class's rate is flagged."""


def class_counts(joined: JoinedResponses) -> pd.DataFrame:
    """Detractors, passives and promoters per class (all three classes, zeros included)."""
    cat = joined.data["category"]
    table = pd.crosstab(joined.data["class"], cat, dropna=False).reindex(
        index=list(CLASSES), columns=list(CATEGORIES), fill_value=0
    )
    out = pd.DataFrame({
        "class": list(CLASSES),
        "detractors": table["detractor"].to_numpy(dtype=np.int64),
        "passives": table["passive"].to_numpy(dtype=np.int64),
        "promoters": table["promoter"].to_numpy(dtype=np.int64),
    })
    declined = joined.data.groupby("class", observed=False)["declined"].sum()
    return out.assign(declined=declined.reindex(list(CLASSES), fill_value=0).to_numpy(dtype=np.int64))


def class_table(
    classes: ABCClasses,
    joined: JoinedResponses,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
    *,
    seed: int | None = 0,
    n_resamples: int = 10_000,
    low_response_ratio: float = LOW_RESPONSE_RATIO,
) -> pd.DataFrame:
    """NPS per ABC class with intervals, response rates and a low-response flag.

    Parameters
    ----------
    classes, joined
        From :func:`abc_classes` and :func:`join_responses`.
    method, confidence, seed, n_resamples
        Interval options of :func:`nps_kit.core.summary.summarize`.
    low_response_ratio : float
        A class is flagged (``low_response``) when its response rate is below this fraction of
        the highest class's rate; a :class:`~nps_kit.errors.NPSKitWarning` names it, since the
        respondents of a class that rarely answers may not speak for it (non-response bias).

    Returns
    -------
    DataFrame
        One row per class: ``class``, ``customers``, ``customer_share``, ``revenue``,
        ``revenue_share``, ``respondents`` (counted in the NPS), ``declined``,
        ``response_rate`` (respondents / customers), ``detractors`` ... ``promoter_share``,
        ``nps``, ``se``, ``ci_low``, ``ci_high`` (points), ``method``, ``confidence``,
        ``low_response``.
    """
    pop = classes.summary[["class", "customers", "customer_share", "revenue", "revenue_share"]]
    counts = class_counts(joined)
    stats = summarize(counts, by="class", method=method, confidence=confidence, seed=seed,
                      n_resamples=n_resamples)
    stats = stats.assign(**{"class": stats["class"].astype(str)})
    keep = ["class", "detractors", "passives", "promoters", "detractor_share", "passive_share",
            "promoter_share", "nps", "se", "ci_low", "ci_high", "method", "confidence"]
    out = pop.merge(stats[keep], on="class", how="left")
    n = out[["detractors", "passives", "promoters"]].sum(axis=1).to_numpy(dtype=np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = n / out["customers"].to_numpy(dtype=float)
    out.insert(5, "respondents", n)
    out.insert(6, "declined", counts["declined"].to_numpy())
    out.insert(7, "response_rate", rate)
    top = np.nanmax(rate) if np.any(np.isfinite(rate)) else np.nan
    low = np.isfinite(rate) & (out["customers"].to_numpy() > 0) & (rate < low_response_ratio * top)
    out["low_response"] = low
    if low.any():
        warnings.warn(
            f"response rate below {low_response_ratio * top:.1%} ({low_response_ratio:.0%} of the "
            f"highest class's {top:.1%}) in class(es) "
            + ", ".join(f"{c} ({r:.1%})" for c, r in zip(out["class"][low], rate[low]))
            + ": their NPS may not represent the class (non-response bias)",
            NPSKitWarning, stacklevel=2,
        )
    return out


@dataclass(frozen=True)
class ClassComparison:
    """Do the classes differ? Chi-square test and pairwise NPS differences.

    Attributes
    ----------
    chi2, dof, p_value : float
        Pearson chi-square test of independence on the class x category table (NaN when fewer
        than two classes or categories are observed).
    min_expected : float
        Smallest expected cell count.
    note : str
        Caveat when expected counts are below 5 (the chi-square approximation is then rough).
    table : DataFrame
        The class x category counts tested.
    pairwise : DataFrame
        ``class_1``, ``class_2``, ``nps_1``, ``nps_2``, ``difference`` (nps_1 - nps_2, points),
        ``se``, ``z``, ``p_value``, ``p_holm`` (Holm-adjusted), ``significant``. With the adjusted
        Wald method, ``se``, ``z`` and the p-values come from the adjusted counts (so ``z`` is
        the adjusted difference over ``se``); ``difference`` is the observed one.
    method : str
        Variance used for the pairwise se ("adjusted-wald" or "wald").
    confidence : float
    """

    chi2: float
    dof: int
    p_value: float
    min_expected: float
    note: str
    table: pd.DataFrame = field(repr=False)
    pairwise: pd.DataFrame = field(repr=False)
    method: str
    confidence: float

    @property
    def summary(self) -> pd.DataFrame:
        """The pairwise differences (the chi-square test is in the attributes)."""
        return self.pairwise

    def _repr_html_(self) -> str:
        head = (f"<p>Chi-square test class x category: chi2 = {self.chi2:.2f}, dof = {self.dof}, "
                f"{p_text(self.p_value)}. {self.note}</p>")
        return head + self.summary.to_html(index=False)


def _pairwise(counts: pd.DataFrame, method: str, confidence: float) -> pd.DataFrame:
    """NPS_1 - NPS_2 for each pair of classes via :func:`nps_kit.core.compare.compare_nps`."""
    cnt = counts.set_index("class")[["detractors", "passives", "promoters"]]
    rows = []
    for c1, c2 in combinations(CLASSES, 2):
        x1 = tuple(int(v) for v in cnt.loc[c1])
        x2 = tuple(int(v) for v in cnt.loc[c2])
        if sum(x1) == 0 or sum(x2) == 0:
            rows.append((c1, c2, nps_points(x1), nps_points(x2), np.nan, np.nan, np.nan, np.nan))
            continue
        res = compare_nps(x2, x1, method=method, confidence=confidence)  # delta = NPS_c1 - NPS_c2
        rows.append((c1, c2, res.nps_2, res.nps_1, res.delta, res.se, res.z, res.p_value))
    out = pd.DataFrame(rows, columns=["class_1", "class_2", "nps_1", "nps_2", "difference", "se",
                                      "z", "p_value"])
    out["p_holm"] = adjust_pvalues(out["p_value"].to_numpy(), "holm")
    out["significant"] = out["p_holm"] < 1 - confidence
    return out


def compare_classes(
    joined: JoinedResponses, method: str = "adjusted-wald", confidence: float = 0.95
) -> ClassComparison:
    """Test whether NPS categories differ between classes: chi-square and pairwise differences.

    The chi-square test uses :func:`scipy.stats.chi2_contingency` on the class x category table
    (classes or categories without any respondent are left out). Pairwise, for classes i and j
    (independent samples, METHODS.md "Comparing NPS"): difference = NPS_i - NPS_j,
    se = sqrt(v_i/n_i + v_j/n_j) with v = p + d - (p - d)^2, z = difference / se, two-sided normal
    p-value (:func:`nps_kit.core.compare.compare_nps`), then Holm's adjustment over the three pairs
    (:func:`nps_kit.core.compare.adjust_pvalues`). With ``method="adjusted-wald"`` each class's counts
    are adjusted first (0.75, 1.5, 0.75; Rocks 2016) for the se and the test; any other interval
    method uses the plain Wald variance. The reported difference is always the observed one.

    Parameters
    ----------
    joined : JoinedResponses
    method : {"adjusted-wald", "wald", "score", "bootstrap", "bayes"}
    confidence : float
        Significance is judged at 1 - confidence on the Holm-adjusted p-values.

    Returns
    -------
    ClassComparison

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scandinavian
    Journal of Statistics 6(2), 65-70.
    Rocks, B. (2016). Interval estimation for the "Net Promoter Score". The American
    Statistician 70(4), 365-372.
    """
    check_option("method", method, METHODS)
    confidence = check_confidence(confidence)
    counts = class_counts(joined)
    table = counts.set_index("class")[["detractors", "passives", "promoters"]]
    obs = table.to_numpy(dtype=float)
    obs = obs[obs.sum(axis=1) > 0][:, obs.sum(axis=0) > 0]
    pair_method = "adjusted-wald" if method == "adjusted-wald" else "wald"
    pairwise = _pairwise(counts, pair_method, confidence)
    if obs.shape[0] < 2 or obs.shape[1] < 2:
        return ClassComparison(np.nan, 0, np.nan, np.nan,
                               "fewer than two classes or categories observed: no chi-square test",
                               table.reset_index(), pairwise, pair_method, confidence)
    res = chi2_contingency(obs, correction=False)
    expected = res.expected_freq
    small = int((expected < 5).sum())
    note = (f"{small} of {expected.size} expected counts are below 5: the chi-square "
            "approximation is rough; read the p-value with care" if small else "")
    return ClassComparison(
        chi2=float(res.statistic), dof=int(res.dof), p_value=float(res.pvalue),
        min_expected=float(expected.min()), note=note, table=table.reset_index(),
        pairwise=pairwise, method=pair_method, confidence=confidence,
    )


__all__ = [
    "class_counts", "class_table", "ClassComparison", "compare_classes", "LOW_RESPONSE_RATIO",
]
