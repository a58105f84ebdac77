"""NPS against an outcome at the aggregate level: one point per wave and segment.

Does a group's NPS move with its mean LTV, churn rate or revenue growth? :func:`outcome_points`
builds one point per group (e.g. wave x segment) from joined responses; :func:`aggregate_correlation`
correlates NPS with the outcome across the points, with an interval, a fitted line for the
figure, and a plain warning when there are too few points to say anything.

A handful of points cannot carry a correlation: with 6 points even r = 0.7 has a 95 % interval
reaching from about -0.2 to 0.96. And points from the same customers in several waves are not
independent, so the interval is, if anything, too narrow.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from nps_kit.errors import DataError, NPSKitWarning, check_confidence, check_option
from nps_kit.engines.dispatch import summarize
from nps_kit.outcomes.by_category import correlation_interval
from nps_kit.core.columns import as_columns

AGGREGATE_KINDS: tuple[str, ...] = ("pearson", "spearman")
"""Correlation coefficients across points."""

OUTCOME_STATISTICS: tuple[str, ...] = ("mean", "sum")
"""How an outcome is summarised within a point (mean LTV, churn rate = mean of 0/1; total)."""

MIN_POINTS = 10
"""Fewer points than this: a warning that the correlation says little."""


def outcome_points(
    data: pd.DataFrame,
    outcome: str = "ltv",
    score: str = "score",
    by: str | Sequence[str] = ("wave", "segment"),
    statistic: str = "mean",
    confidence: float = 0.95,
    method: str = "adjusted-wald",
) -> pd.DataFrame:
    """One point per group: its NPS (points) with interval and its outcome.

    Parameters
    ----------
    data : DataFrame
        Responses joined to outcomes (``JoinResult.data``, typically with window ``"all"`` so
        every wave contributes).
    outcome : str
        Outcome column (LTV, 0/1 churn: the mean is then the churn rate).
    score : str
        0-10 score column; rows without a score are not counted.
    by : str or list of str
        Group columns (one point per combination present in the data).
    statistic : {"mean", "sum"}
        Outcome summary within a point.
    confidence, method
        For the NPS intervals (:func:`nps_kit.core.summary.summarize`).

    Returns
    -------
    DataFrame
        Group columns, ``n`` (scored respondents), ``nps``, ``nps_ci_low``, ``nps_ci_high``
        (points), ``outcome`` (the column name), ``outcome_n`` (non-missing outcome values),
        ``outcome_value``.
    """
    check_option("statistic", statistic, OUTCOME_STATISTICS)
    by_list = as_columns(by)
    for c in [outcome, score, *by_list]:
        if c not in data.columns:
            raise DataError(f"column {c!r} not found; the data has columns {list(data.columns)}")
    scored = data.loc[pd.to_numeric(data[score], errors="coerce").notna()]
    if scored.empty:
        raise DataError("no scored responses to build points from")
    table = summarize(scored, score, by=by_list, method=method, confidence=confidence)
    vals = scored.assign(_y=pd.to_numeric(scored[outcome], errors="coerce"))
    agg = vals.groupby(by_list, sort=True, dropna=False)["_y"].agg([statistic, "count"]).reset_index()
    out = table[[*by_list, "n", "nps", "ci_low", "ci_high"]].rename(
        columns={"ci_low": "nps_ci_low", "ci_high": "nps_ci_high"})
    out = out.merge(agg, on=by_list, how="left")
    return out.rename(columns={statistic: "outcome_value", "count": "outcome_n"}).assign(
        outcome=outcome)[[*by_list, "n", "nps", "nps_ci_low", "nps_ci_high", "outcome",
                          "outcome_n", "outcome_value"]]


@dataclass(frozen=True)
class AggregateCorrelation:
    """Correlation of NPS with an outcome across groups (waves, segments).

    Attributes
    ----------
    r, low, high, p_value : float
        Coefficient, Fisher-z interval (Bonett-Wright se for Spearman), two-sided p-value.
    n_points : int
    kind : str
        "pearson" or "spearman".
    slope, intercept : float
        Least-squares line outcome = intercept + slope x NPS (for the figure).
    x, y : str
        Columns correlated.
    confidence : float
    warning : str
        Empty, or the plain-language warning about too few points.
    within : str or None
        Grouping column the values were centred on (partial correlation), if any.
    points : DataFrame
        The points used.
    """

    r: float
    low: float
    high: float
    p_value: float
    n_points: int
    kind: str
    slope: float
    intercept: float
    x: str
    y: str
    confidence: float
    warning: str
    points: pd.DataFrame = field(repr=False)
    within: str | None = None

    @property
    def summary(self) -> pd.DataFrame:
        """One-row table: term, label, estimate, ci_low, ci_high, p_value, n_points, warning."""
        return pd.DataFrame([{
            "term": f"{self.kind}({self.x}, {self.y})",
            "label": f"{self.kind.capitalize()} correlation of NPS with {self.outcome_name} "
                     "across points" + (f", within {self.within}" if self.within else ""),
            "estimate": self.r, "ci_low": self.low, "ci_high": self.high,
            "p_value": self.p_value, "n_points": self.n_points, "slope": self.slope,
            "intercept": self.intercept, "confidence": self.confidence, "warning": self.warning,
        }])

    @property
    def outcome_name(self) -> str:
        """The outcome's name: the ``outcome`` column of the points if present, else ``y``."""
        if self.y.startswith("outcome_value") and "outcome" in self.points.columns and len(self.points):
            return str(self.points["outcome"].iloc[0])
        return self.y

    def _repr_html_(self) -> str:
        html = self.summary.to_html(index=False)
        return html + (f"<p><strong>Warning:</strong> {self.warning}</p>" if self.warning else "")


def aggregate_correlation(
    points: pd.DataFrame,
    x: str = "nps",
    y: str = "outcome_value",
    kind: str = "pearson",
    confidence: float = 0.95,
    min_points: int = MIN_POINTS,
    within: str | None = None,
) -> AggregateCorrelation:
    """Correlate NPS with an outcome across points, warning when there are too few.

    Pearson r with the Fisher z interval (se 1/sqrt(n - 3)), or Spearman with the Bonett-Wright
    (2000) se; see :func:`nps_kit.outcomes.by_category.correlation_interval`. p-values from
    ``scipy.stats.pearsonr`` / ``spearmanr``. With fewer than ``min_points`` points an
    :class:`~nps_kit.errors.NPSKitWarning` is issued and the text is kept in ``warning``; with
    fewer than 4 there is no interval (NaN).

    Parameters
    ----------
    points : DataFrame
        One row per point, e.g. from :func:`outcome_points`, or your own table (NPS and revenue
        growth per year, say).
    x, y : str
        NPS column and outcome column.
    kind : {"pearson", "spearman"}
    confidence : float
    min_points : int
        Below this, warn (default 10).
    within : str, optional
        A grouping column of the points (e.g. ``"segment"``). NPS and outcome are then centred on
        their group means before correlating, so only movement *within* a group counts: points
        that differ by segment (large Enterprise LTV, say) no longer drive the coefficient. This
        is the partial correlation given the group indicators; with q = groups - 1 the interval
        uses n - q in place of n (se 1/sqrt(n - q - 3) for Pearson) and the p-value the t test
        with n - q - 2 degrees of freedom. The centred values are added to ``points`` as
        ``<x>_within`` and ``<y>_within``, and ``x``/``y`` of the result name them.

    Returns
    -------
    AggregateCorrelation
    """
    check_option("kind", kind, AGGREGATE_KINDS)
    confidence = check_confidence(confidence)
    for c in (x, y):
        if c not in points.columns:
            raise DataError(f"column {c!r} not found; the points have columns {list(points.columns)}")
    if within is not None and within not in points.columns:
        raise DataError(f"column {within!r} not found; the points have columns {list(points.columns)}")
    xv = pd.to_numeric(points[x], errors="coerce").to_numpy(dtype=float)
    yv = pd.to_numeric(points[y], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(xv) & np.isfinite(yv)
    used = points.loc[ok].reset_index(drop=True)
    xv, yv = xv[ok], yv[ok]
    n = int(ok.sum())
    q = 0
    if within is not None:
        g = used[within].astype(str)
        xv = xv - pd.Series(xv).groupby(g).transform("mean").to_numpy()
        yv = yv - pd.Series(yv).groupby(g).transform("mean").to_numpy()
        q = int(g.nunique()) - 1
        x, y = f"{x}_within", f"{y}_within"
        used = used.assign(**{x: xv, y: yv})
    text = ""
    name = str(points["outcome"].iloc[0]) if (y == "outcome_value" and "outcome" in points.columns
                                             and len(points)) else y
    if n < min_points:
        text = (
            f"Only {n} point(s): too few to say whether NPS and {name} move together. With so few "
            "points a correlation can look strong or absent by chance; read the interval, not the "
            f"coefficient, and collect more waves or segments (at least {min_points})."
        )
        warnings.warn(text, NPSKitWarning, stacklevel=2)
    if n < 3 or np.ptp(xv) == 0 or np.ptp(yv) == 0:
        r = p = slope = intercept = float("nan")
    else:
        res = stats.pearsonr(xv, yv) if kind == "pearson" else stats.spearmanr(xv, yv)
        r, p = float(res.statistic), float(res.pvalue)
        slope, intercept = (float(v) for v in np.polyfit(xv, yv, 1))
        if q:
            df = n - q - 2
            p = (float(2 * stats.t.sf(abs(r) * np.sqrt(df / max(1e-300, 1 - r * r)), df))
                 if df > 0 else float("nan"))
    n_eff = n - q
    low, high = (correlation_interval(r, n_eff, kind, confidence) if n_eff >= 4
                 else (float("nan"), float("nan")))
    return AggregateCorrelation(
        r=r, low=low, high=high, p_value=p, n_points=n, kind=kind, slope=slope,
        intercept=intercept, x=x, y=y, confidence=confidence, warning=text, points=used,
        within=within,
    )


__all__ = [
    "aggregate_correlation", "AGGREGATE_KINDS", "AggregateCorrelation", "MIN_POINTS",
    "outcome_points", "OUTCOME_STATISTICS",
]
