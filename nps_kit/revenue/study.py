"""The whole ABC study in one call: classes, join, NPS per class, tests, money and call lists.

:func:`abc_analysis` chains :func:`nps_kit.revenue.classes.abc_classes`,
:func:`nps_kit.revenue.classes.join_responses`, :func:`nps_kit.revenue.by_class.class_table`,
:func:`nps_kit.revenue.by_class.compare_classes`, :func:`nps_kit.revenue.at_risk.revenue_at_risk`,
:func:`nps_kit.revenue.at_risk.revenue_weighted_nps` and :func:`nps_kit.revenue.calllist.call_list`;
:func:`abc_from_files` reads the two files first; :func:`abc_summary_text` says what the numbers
mean in plain language (the template shows it; nothing in it identifies a customer).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from nps_kit.revenue.calllist import CallList, call_list
from nps_kit.errors import check_confidence, check_option
from nps_kit.core.intervals import METHODS
from nps_kit.engines.dispatch import read_responses, read_table
from nps_kit.data.keys import DEFAULT_CUSTOMER_ID_COLUMN, DEFAULT_ID_COLUMN, DEFAULT_WAVE_COLUMN
from nps_kit.revenue.at_risk import ALL, RevenueAtRisk, revenue_at_risk, revenue_weighted_nps
from nps_kit.core.scores import NONRESPONSE_POLICIES
from nps_kit.core.safetext import display_text
from nps_kit.revenue.by_class import ClassComparison, class_table, compare_classes
from nps_kit.revenue.classes import ABCClasses, JoinedResponses, abc_classes, join_responses
from nps_kit.core.formatting import p_text

OVERVIEW_COLUMNS: tuple[str, ...] = (
    "class", "customers", "respondents", "response_rate", "nps", "ci_low", "ci_high", "revenue",
    "revenue_share", "revenue_at_risk", "revenue_at_risk_low", "revenue_at_risk_high",
    "revenue_at_risk_share", "respondents_revenue_at_risk", "good_revenue", "good_revenue_share",
    "weighted_nps", "weighted_ci_low", "weighted_ci_high", "low_response",
)
"""Columns of :attr:`ABCAnalysis.summary` (the CLI's ``--json`` rows)."""


@dataclass(frozen=True)
class ABCAnalysis:
    """Every result of an ABC study.

    Attributes
    ----------
    classes : ABCClasses
    joined : JoinedResponses
    by_class : DataFrame
        :func:`nps_kit.revenue.by_class.class_table`.
    comparison : ClassComparison
    revenue : RevenueAtRisk
    weighted : DataFrame
        :func:`nps_kit.revenue.at_risk.revenue_weighted_nps`.
    calls : CallList
    dropped : DataFrame
        Rows dropped while reading the responses file (``errors="drop"``), with reasons.
    method : str
    confidence : float
    warnings : tuple of str
        Warnings raised on the way (also issued as :class:`~nps_kit.errors.NPSKitWarning`).
    notes : tuple of str
        How the files were read where a default did not fit (no wave column: one wave; responses
        keyed by the customer id).
    """

    classes: ABCClasses = field(repr=False)
    joined: JoinedResponses = field(repr=False)
    by_class: pd.DataFrame = field(repr=False)
    comparison: ClassComparison = field(repr=False)
    revenue: RevenueAtRisk = field(repr=False)
    weighted: pd.DataFrame = field(repr=False)
    calls: CallList = field(repr=False)
    dropped: pd.DataFrame = field(repr=False)
    method: str
    confidence: float
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def summary(self) -> pd.DataFrame:
        """One row per class: population, response, NPS, money (:data:`OVERVIEW_COLUMNS`)."""
        return abc_overview(self)

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def abc_overview(analysis: ABCAnalysis) -> pd.DataFrame:
    """Per-class overview table (:data:`OVERVIEW_COLUMNS`); no identifiers."""
    t = analysis.by_class.set_index("class")
    rar = analysis.revenue.table
    risk = rar[(rar["category"] == "detractor") & (rar["class"] != ALL)].set_index("class")
    good = rar[(rar["category"] == "promoter") & (rar["class"] != ALL)].set_index("class")
    w = analysis.weighted[analysis.weighted["class"] != ALL].set_index("class")
    out = pd.DataFrame({
        "class": t.index.astype(str),
        "customers": t["customers"], "respondents": t["respondents"],
        "response_rate": t["response_rate"], "nps": t["nps"], "ci_low": t["ci_low"],
        "ci_high": t["ci_high"], "revenue": t["revenue"], "revenue_share": t["revenue_share"],
        "revenue_at_risk": risk["projected"], "revenue_at_risk_low": risk["projected_low"],
        "revenue_at_risk_high": risk["projected_high"],
        "revenue_at_risk_share": risk["projected_share"],
        "respondents_revenue_at_risk": risk["category_revenue"],
        "good_revenue": good["projected"], "good_revenue_share": good["projected_share"],
        "weighted_nps": w["weighted_nps"], "weighted_ci_low": w["weighted_ci_low"],
        "weighted_ci_high": w["weighted_ci_high"], "low_response": t["low_response"],
    })
    return out.reset_index(drop=True)[list(OVERVIEW_COLUMNS)]


def abc_analysis(
    customers: pd.DataFrame,
    responses: pd.DataFrame,
    *,
    customer_id: str = "customer_id",
    revenue: str = "annual_revenue",
    respondent_id: str = "respondent_id",
    score: str = "score",
    wave_column: str | None = None,
    wave: str | None = None,
    comment: str | None = None,
    contact_columns: list[str] | None = None,
    mode: str = "customers",
    cuts: tuple[float, float] = (0.2, 0.5),
    revenue_cuts: tuple[float, float] = (0.8, 0.95),
    method: str = "adjusted-wald",
    confidence: float = 0.95,
    nonresponse: str = "exclude",
    seed: int | None = 0,
    n_resamples: int = 10_000,
    customers_file: str | None = None,
    responses_file: str | None = None,
    dropped: pd.DataFrame | None = None,
) -> ABCAnalysis:
    """Run the ABC study on a customers table and a responses table.

    Parameters
    ----------
    customers, responses : DataFrame
    customer_id, revenue : str
        Customers' id and revenue columns.
    respondent_id, score, wave_column, wave, comment : str
        Responses' columns (ids equal to customer ids); ``wave`` picks the wave (default: the
        latest in ``wave_column``).
    contact_columns : list of str, optional
        Customer columns for the call list (default: company, contact_name, contact_email when
        present).
    mode, cuts, revenue_cuts
        See :func:`nps_kit.revenue.classes.abc_classes`.
    method, confidence, nonresponse, seed, n_resamples
        Interval method and level, non-response rule, bootstrap seed and replicates.
    customers_file, responses_file : str, optional
        File names for messages.
    dropped : DataFrame, optional
        Rows already dropped while reading (kept in the result).

    Returns
    -------
    ABCAnalysis
    """
    check_option("method", method, METHODS)
    confidence = check_confidence(confidence)
    check_option("nonresponse", nonresponse, NONRESPONSE_POLICIES)
    classes = abc_classes(customers, customer_id, revenue, cuts=cuts, mode=mode,
                          revenue_cuts=revenue_cuts, file=customers_file)
    joined = join_responses(classes, responses, respondent_id, score, wave_column=wave_column,
                            wave=wave, comment=comment, nonresponse=nonresponse, file=responses_file)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        by_class = class_table(classes, joined, method, confidence, seed=seed,
                               n_resamples=n_resamples)
    messages = tuple(str(w.message) for w in caught)
    for w in caught:
        warnings.warn(w.message, w.category, stacklevel=2)
    return ABCAnalysis(
        classes=classes, joined=joined, by_class=by_class,
        comparison=compare_classes(joined, method, confidence),
        revenue=revenue_at_risk(classes, joined, confidence, seed=seed, n_resamples=n_resamples),
        weighted=revenue_weighted_nps(classes, joined, method, confidence, seed=seed,
                                      n_resamples=n_resamples),
        calls=call_list(classes, joined, contact_columns),
        dropped=dropped if dropped is not None else pd.DataFrame(
            columns=["file", "row", "column", "value", "reason"]),
        method=method, confidence=confidence, warnings=messages,
    )


def abc_from_files(
    customers_file: str | Path,
    responses_file: str | Path,
    *,
    customer_id: str = DEFAULT_CUSTOMER_ID_COLUMN,
    revenue: str = "annual_revenue",
    respondent_id: str = DEFAULT_ID_COLUMN,
    score: str = "score",
    wave_column: str | None = DEFAULT_WAVE_COLUMN,
    errors: str = "raise",
    export: str = "auto",
    date: str | None = None,
    period: str = "month",
    **options,
) -> ABCAnalysis:
    """Read the customers and responses files (``demo:`` paths allowed) and run
    :func:`abc_analysis`. ``errors="drop"`` drops invalid response rows with a report
    (:attr:`ABCAnalysis.dropped`); other keyword options go to :func:`abc_analysis`.

    Defaults that do not fit the responses file are handled as :mod:`nps_kit.data.keys` says: without
    a ``respondent_id`` column the responses are joined on their ``customer_id`` column, and
    without the default ``wave`` column all responses are one wave. Both are said in
    :attr:`ABCAnalysis.notes`. ``export`` is the layout of the responses file
    (:mod:`nps_kit.data.layouts`; a survey-tool export's score column may be named by its question).
    ``date`` and ``period`` roll a date column up to weeks, months or quarters, which then are the
    waves (:mod:`nps_kit.core.periods`).
    """
    customers = read_table(customers_file)
    loaded = read_responses(responses_file, score, id=respondent_id, wave=wave_column,
                            errors=errors, columns=[c for c in (options.get("comment"),) if c],
                            id_fallbacks=(customer_id,),
                            wave_optional=wave_column == DEFAULT_WAVE_COLUMN, export=export,
                            date=date, period=period)
    result = abc_analysis(
        customers, loaded.data, customer_id=customer_id, revenue=revenue,
        respondent_id=loaded.id, score=loaded.score, wave_column=loaded.wave,
        customers_file=str(customers_file), responses_file=str(responses_file),
        dropped=loaded.report, **options,
    )
    return replace(result, notes=loaded.notes + result.notes)


def _money(x: float) -> str:
    if not np.isfinite(x):
        return "n/a"
    for size, suffix in ((1e9, " bn"), (1e6, " m"), (1e3, " k")):
        if abs(x) >= size:
            return f"{x / size:,.1f}{suffix}"
    return f"{x:,.0f}"


def abc_summary_text(analysis: ABCAnalysis) -> str:
    """A few plain-language sentences (Markdown) on what the ABC study found.

    The only value from the data in it, the wave label, is literal text
    (:func:`nps_kit.core.safetext.display_text`).

    Covers revenue concentration, NPS per class with intervals, whether classes differ, revenue
    at risk and good revenue, the revenue-weighted NPS against the plain one, low response
    rates, and what was left out of the join. Numbers only; no customer is named.
    """
    a = analysis
    cls = a.classes.summary.set_index("class")
    t = a.by_class.set_index("class")
    pct = f"{a.confidence:.0%}"
    mode_text = ("top {:.0%} of customers by revenue".format(a.classes.cuts[0])
                 if a.classes.mode == "customers" else
                 "customers making the first {:.0%} of revenue".format(a.classes.cuts[0]))
    lines = [
        f"**Concentration.** Class A ({mode_text}: {int(cls.loc['A', 'customers'])} of "
        f"{a.classes.n_customers} customers) brings {cls.loc['A', 'revenue_share']:.0%} of revenue; "
        f"class C ({int(cls.loc['C', 'customers'])} customers) brings "
        f"{cls.loc['C', 'revenue_share']:.0%}.",
    ]
    parts = []
    for k in t.index:
        if t.loc[k, "respondents"] > 0:
            parts.append(f"{k} {t.loc[k, 'nps']:+.0f} ({pct} CI {t.loc[k, 'ci_low']:+.0f} to "
                         f"{t.loc[k, 'ci_high']:+.0f}, n = {int(t.loc[k, 'respondents'])})")
        else:
            parts.append(f"{k}: no respondents")
    wave = f" in wave {display_text(a.joined.wave)}" if a.joined.wave else ""
    lines.append(f"**NPS by class{wave}** (points): " + "; ".join(parts) + ".")
    c = a.comparison
    if np.isfinite(c.p_value):
        verdict = ("the classes differ in how their customers score"
                   if c.p_value < 1 - a.confidence else
                   "the data do not show that the classes differ")
        sig = c.pairwise[c.pairwise["significant"]]
        pair_text = ("; pairs that differ after Holm's adjustment: "
                     + ", ".join(f"{r.class_1} vs {r.class_2} ({r.difference:+.0f} points)"
                                 for r in sig.itertuples())) if len(sig) else \
            "; no pair of classes differs after Holm's adjustment"
        lines.append(f"**Do classes differ?** Chi-square {p_text(c.p_value)}: {verdict}"
                     f"{pair_text}." + (f" Note: {c.note}." if c.note else ""))
    r = a.revenue
    lines.append(
        f"**Revenue at risk.** Projected to all customers, {_money(r.at_risk)} "
        f"({r.at_risk_share:.0%} of revenue; {pct} CI {_money(r.at_risk_low)} to "
        f"{_money(r.at_risk_high)}) comes from customers like the detractors; "
        f"{_money(r.good)} ({r.good_share:.0%}) from customers like the promoters. "
        "The projection assumes each class's non-respondents split like its respondents."
    )
    w = a.weighted.set_index("class").loc[ALL]
    if np.isfinite(w["weighted_nps"]):
        direction = ("higher than" if w["weighted_nps"] > w["nps"] + 1 else
                     "lower than" if w["weighted_nps"] < w["nps"] - 1 else "close to")
        lines.append(
            f"**Weighted by revenue** the NPS is {w['weighted_nps']:+.0f} ({pct} CI "
            f"{w['weighted_ci_low']:+.0f} to {w['weighted_ci_high']:+.0f}), {direction} the plain "
            f"NPS of {w['nps']:+.0f}: "
            + ("the larger accounts are happier than the smaller ones." if direction == "higher than"
               else "the larger accounts are less happy than the smaller ones."
               if direction == "lower than" else "big and small accounts score alike.")
        )
    low = t[t["low_response"]]
    if len(low):
        lines.append(
            "**Caution.** Response rate is far below the other classes in "
            + ", ".join(f"class {k} ({row.response_rate:.0%})" for k, row in low.iterrows())
            + ": its NPS may not speak for the class."
        )
    j = a.joined.summary.iloc[0]
    left_out = int(j["without_customer"]) + int(j["customer_without_revenue"]) + int(j["without_id"])
    lines.append(
        f"**Data.** {int(j['matched'])} responses matched to classified customers; "
        f"{left_out} could not be used (no matching customer or no revenue) and "
        f"{a.classes.n_unclassified} customers have no usable revenue; "
        f"{int(j['declined_score'])} respondents declined the score (rule: {a.joined.nonresponse})."
    )
    return "\n\n".join(lines)


def _whole(values: pd.Series) -> pd.Series:
    return values.round(0).astype("Int64")


def _percent(values) -> pd.Series:
    return pd.Series(values).map(lambda v: "" if pd.isna(v) else f"{100 * v:.1f} %")


def display_tables(analysis: ABCAnalysis) -> dict[str, pd.DataFrame]:
    """Rounded, labelled copies of the results for reading in a report (no identifiers).

    Keys: ``"classes"`` (population and revenue), ``"nps"`` (respondents, response rate, NPS,
    interval, shares), ``"revenue"`` (amounts at risk and good, with intervals) and
    ``"weighted"`` (plain and revenue-weighted NPS). Amounts are rounded to whole units, NPS to
    0.1 point, shares shown as percentages. Use the unrounded attributes for further work.
    """
    a = analysis
    cls = a.classes.summary
    classes = pd.DataFrame({
        "class": cls["class"], "customers": cls["customers"],
        "share of customers": _percent(cls["customer_share"]),
        "revenue": _whole(cls["revenue"]), "share of revenue": _percent(cls["revenue_share"]),
        "smallest revenue": _whole(cls["min_revenue"]), "largest revenue": _whole(cls["max_revenue"]),
    })
    t = a.by_class
    nps = pd.DataFrame({
        "class": t["class"], "customers": t["customers"], "respondents": t["respondents"],
        "declined": t["declined"], "response rate": _percent(t["response_rate"]),
        "detractors": _percent(t["detractor_share"]), "passives": _percent(t["passive_share"]),
        "promoters": _percent(t["promoter_share"]), "NPS": t["nps"].round(1),
        "CI low": t["ci_low"].round(1), "CI high": t["ci_high"].round(1),
        "low response": t["low_response"].map({True: "yes", False: ""}),
    })
    r = a.revenue.table
    revenue = pd.DataFrame({
        "class": r["class"], "category": r["category"],
        "share of respondents' revenue": _percent(r["share"]),
        "class revenue": _whole(r["class_revenue"]), "projected": _whole(r["projected"]),
        "CI low": _whole(r["projected_low"]), "CI high": _whole(r["projected_high"]),
        "share of class revenue": _percent(r["projected_share"]),
    })
    w = a.weighted
    weighted = pd.DataFrame({
        "class": w["class"], "respondents": w["respondents"], "NPS": w["nps"].round(1),
        "CI low": w["ci_low"].round(1), "CI high": w["ci_high"].round(1),
        "revenue-weighted NPS": w["weighted_nps"].round(1),
        "weighted CI low": w["weighted_ci_low"].round(1),
        "weighted CI high": w["weighted_ci_high"].round(1),
    })
    return {"classes": classes, "nps": nps, "revenue": revenue, "weighted": weighted}


__all__ = [
    "abc_analysis", "abc_from_files", "abc_overview", "abc_summary_text", "ABCAnalysis",
    "display_tables", "OVERVIEW_COLUMNS",
]
