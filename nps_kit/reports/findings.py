"""The "Summary" of each report: 3 to 6 findings in words a manager knows.

One function per template. Each takes the template's result tables (tidy frames, full
precision) and returns a list of plain sentences, most important first: the period and the
number of answers, the headline figure with its interval, the largest real change, and what to
act on. The sentences follow the numbers in every branch: an interval is printed only when
there are enough answers (:mod:`nps_kit.core.smalln`), a change is called real only when its
test says so, and where two tests answer different questions the summary says which is which.

Numbers are rounded for reading (whole points, whole money); the tables and the JSON keep full
precision. Values from the data (segment names, wave labels) are plain text here; the page
shows them through :func:`nps_kit.core.safetext.display_text`.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
import pandas as pd

from nps_kit.core.safetext import display_text
from nps_kit.core.smalln import MIN_ANSWERS, TOO_FEW

__all__ = [
    "abc_findings", "enps_findings", "interval_text", "ltv_findings", "money_text",
    "nps_report_findings", "points", "previous_wave_change", "study_design_findings",
    "themes_findings", "wave_comparison_findings",
]


def _label(value: Any) -> str:
    return display_text(value, "plain", 40)


def points(value: float, sign: bool = True) -> str:
    """A score in whole points for a summary: ``+21``, ``-4``, ``0``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    v = int(round(float(value)))
    return f"{v:+d}" if sign and v != 0 else f"{v:d}"


def interval_text(low: float, high: float, n: float | None = None, confidence: float = 0.95) -> str:
    """``95% interval +12 to +30``, or "too few answers for an interval" below the small-n line."""
    if n is not None and n < MIN_ANSWERS:
        return f"{TOO_FEW.lower()} for an interval (n = {int(n)})"
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (low, high)):
        return "no interval"
    return f"{confidence:.0%} interval {points(low)} to {points(high)}"


def money_text(amount: float, currency: str = "") -> str:
    """Whole money with thousands separators and the currency: ``EUR 1,234,568``."""
    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return "–"
    text = f"{int(round(float(amount))):,}"
    return f"{currency} {text}".strip() if currency else text


def previous_wave_change(per_wave: pd.DataFrame, wave: str, confidence: float = 0.95,
                         method: str = "adjusted-wald") -> dict | None:
    """The change from the previous wave to the last one in ``per_wave`` (independent samples).

    Parameters
    ----------
    per_wave : DataFrame
        Counts per wave in time order: ``wave`` plus ``detractors``, ``passives``, ``promoters``.

    Returns
    -------
    dict or None
        ``from``, ``to``, ``nps_from``, ``nps_to``, ``change``, ``ci_low``, ``ci_high``,
        ``p_value``, ``n_from``, ``n_to``; None with fewer than two waves.
    """
    from nps_kit.core.compare import difference_arrays

    if len(per_wave) < 2:
        return None
    cols = ["detractors", "passives", "promoters"]
    a = per_wave.iloc[-2][cols].to_numpy(float)[None, :]
    b = per_wave.iloc[-1][cols].to_numpy(float)[None, :]
    d = difference_arrays(a, b, method=method, confidence=confidence)
    return {"from": per_wave.iloc[-2][wave], "to": per_wave.iloc[-1][wave],
            "nps_from": float(d["nps_1"][0]), "nps_to": float(d["nps_2"][0]),
            "change": float(d["delta"][0]), "ci_low": float(d["low"][0]),
            "ci_high": float(d["high"][0]), "p_value": float(d["p_value"][0]),
            "n_from": int(a.sum()), "n_to": int(b.sum())}


def nps_report_findings(
    overall: pd.Series | dict,
    wave_label: str,
    *,
    by_segment: pd.DataFrame | None = None,
    segment_column: str = "",
    change: dict | None = None,
    chart_latest: dict | None = None,
    drivers: pd.DataFrame | None = None,
    confidence: float = 0.95,
    alpha: float = 0.05,
) -> list[str]:
    """The summary of the NPS report.

    Parameters
    ----------
    overall : Series or dict
        The overall row of :func:`nps_kit.core.summary.summarize` (``n``, ``nps``, ``ci_low``,
        ``ci_high``, shares).
    wave_label : str
        The period reported.
    by_segment : DataFrame, optional
        The per-segment rows of ``summarize`` (``segment_column``, ``n``, ``nps``, ``ci_low``,
        ``ci_high``).
    change : dict, optional
        :func:`previous_wave_change` of the report's waves.
    chart_latest : dict, optional
        The control chart's row of the reported wave (``signal``, ``lcl``, ``ucl``).
    drivers : DataFrame, optional
        The key-driver table (``attribute``, ``level``, ``reference``, ``nps_effect``,
        ``ci_low``, ``ci_high``, ``p_value``, ``reported``).
    confidence, alpha : float
    """
    o = dict(overall)
    n = int(o.get("n", 0))
    lines = []
    if n < MIN_ANSWERS:
        lines.append(f"{_label(wave_label)}: {n} answer(s), {TOO_FEW.lower()} for an NPS that "
                     "means anything; collect more before reading the figures below.")
        return lines
    lines.append(f"{_label(wave_label)}: NPS {points(o['nps'])} from {n:,} answers "
                 f"({interval_text(o['ci_low'], o['ci_high'], n, confidence)}); "
                 f"{o['promoter_share']:.0%} promoters, {o['detractor_share']:.0%} detractors.")
    if change is not None:
        real = change["p_value"] < alpha
        verdict = ("larger than chance alone would give" if real else
                   "within what chance alone gives, so not a real change")
        lines.append(f"Against {_label(change['from'])} (NPS {points(change['nps_from'])}): "
                     f"{points(change['change'])} points ({confidence:.0%} interval "
                     f"{points(change['ci_low'])} to {points(change['ci_high'])}), {verdict}.")
        if chart_latest is not None and bool(chart_latest.get("signal")) != real:
            lines.append("The control chart below compares this period with all periods pooled, "
                         "the change above with the previous period only; they answer different "
                         "questions, so one can flag what the other does not.")
    if by_segment is not None and segment_column and len(by_segment) >= 2:
        rated = by_segment[by_segment["n"] >= MIN_ANSWERS]
        if len(rated) >= 2:
            hi = rated.loc[rated["nps"].idxmax()]
            lo = rated.loc[rated["nps"].idxmin()]
            apart = hi["ci_low"] > lo["ci_high"]
            lines.append(f"Highest {_label(segment_column)} group: {_label(hi[segment_column])} "
                         f"(NPS {points(hi['nps'])}, n = {int(hi['n'])}); lowest: "
                         f"{_label(lo[segment_column])} (NPS {points(lo['nps'])}, n = {int(lo['n'])})"
                         + ("; their intervals do not overlap." if apart else
                            "; their intervals overlap, so the gap may be chance."))
    if drivers is not None and len(drivers):
        d = drivers
        if "reported" in d.columns:
            d = d[d["reported"].astype(bool)]
        real = d[d["p_value"] < alpha]
        if len(real):
            top = real.loc[real["nps_effect"].abs().idxmax()]
            lines.append(f"What to act on: {_label(top['attribute'])} {_label(top['level'])} "
                         f"goes with {points(top['nps_effect'])} NPS points against "
                         f"{_label(top['reference'])} ({confidence:.0%} interval "
                         f"{points(top['ci_low'])} to {points(top['ci_high'])}), other attributes "
                         "held as observed; an association, not proof of a cause.")
        else:
            lines.append("No attribute goes with a clear difference in NPS in this period.")
    return lines


def wave_comparison_findings(changes: pd.DataFrame, waves: pd.DataFrame, wave: str = "wave", *,
                             segment_changes: pd.DataFrame | None = None, by: str = "",
                             comparability: Sequence[str] = (), confidence: float = 0.95,
                             alpha: float = 0.05) -> list[str]:
    """The summary of the wave comparison: the latest change, adjusted, and what may explain it.

    ``changes`` and ``segment_changes`` are rows of :func:`nps_kit.waves.changes.wave_changes`
    (``from``, ``to``, ``delta``, ``ci_low``, ``ci_high``, ``p_value``, ``p_adjusted``,
    ``adjust``); ``waves`` the per-wave NPS (``wave``, ``nps``, ``n``, ``ci_low``, ``ci_high``).
    The interval printed beside an adjusted verdict is named as unadjusted when the family has
    more than one test.
    """
    lines = []
    if len(waves):
        last = waves.iloc[-1]
        lines.append(f"{_label(last[wave])}: NPS {points(last['nps'])} from {int(last['n']):,} "
                     f"answers ({interval_text(last['ci_low'], last['ci_high'], last['n'], confidence)}).")
    consecutive = changes[changes["comparison"] == "consecutive"] if "comparison" in changes else changes
    if len(consecutive):
        c = consecutive.iloc[-1]
        lines.append(_change_sentence(c, confidence, alpha, family=len(changes) + (
            len(segment_changes) if segment_changes is not None else 0)))
    if len(consecutive) > 1:
        moved = consecutive[consecutive["p_adjusted"] < alpha]
        lines.append(f"Over {len(consecutive)} consecutive comparisons, {len(moved)} "
                     "change(s) are real after adjusting for the number of tests.")
    if segment_changes is not None and by and len(segment_changes):
        last_pair = segment_changes[segment_changes["to"] == segment_changes["to"].iloc[-1]]
        real = last_pair[last_pair["p_adjusted"] < alpha]
        if len(real):
            top = real.loc[real["delta"].abs().idxmax()]
            lines.append(f"Largest real change by {_label(by)}: {_label(top[by])} "
                         f"{points(top['delta'])} points (adjusted p {top['p_adjusted']:.3f}).")
        else:
            lines.append(f"No {_label(by)} changed by more than chance in the latest comparison, "
                         "after adjusting for the number of tests.")
    if len(consecutive):
        c = consecutive.iloc[-1]
        pair = f"{c['from']} and {c['to']}"
        latest = [t for t in comparability if pair in str(t)]
        if latest:
            what = "; ".join(dict.fromkeys(str(t).split(":")[0] for t in latest))
            lines.append(f"Read with care: {what}, so the latest change may not be a change in "
                         "loyalty (see Comparability warnings).")
    return lines


def _change_sentence(c: Any, confidence: float, alpha: float, family: int) -> str:
    real = c["p_adjusted"] < alpha
    adjusted = family > 1 and c.get("adjust", "none") != "none"
    verdict = ("a real change" if real else "could be chance") + (
        f" after adjusting for {family} tests ({c['adjust']})" if adjusted else "")
    interval = (f"{confidence:.0%} interval {points(c['ci_low'])} to {points(c['ci_high'])}"
                + (", not adjusted" if adjusted else ""))
    return (f"{_label(c['from'])} to {_label(c['to'])}: {points(c['delta'])} points "
            f"({interval}); {verdict}.")


def abc_findings(by_class: pd.DataFrame, at_risk: dict, call_list: dict | None = None, *,
                 wave_label: str = "", currency: str = "", confidence: float = 0.95) -> list[str]:
    """The summary of the ABC segmentation: NPS per class, revenue at risk, whom to call.

    ``by_class``: ``class``, ``nps``, ``ci_low``, ``ci_high``, ``respondents`` (or ``n``),
    ``revenue_share``; ``at_risk``: ``amount``, ``low``, ``high``, ``share``.
    """
    lines = []
    n_col = "respondents" if "respondents" in by_class.columns else "n"
    parts = []
    for r in by_class.to_dict("records"):
        n = int(r.get(n_col, 0) or 0)
        nps = (f"NPS {points(r['nps'])}" if n >= MIN_ANSWERS else f"{TOO_FEW.lower()} (n = {n})")
        parts.append(f"class {_label(r['class'])} {nps}")
    prefix = f"{_label(wave_label)}: " if wave_label else ""
    lines.append(prefix + "; ".join(parts) + ".")
    if at_risk:
        lines.append(f"Revenue at risk (revenue of customers who are or would be detractors): "
                     f"{money_text(at_risk['amount'], currency)}, {at_risk['share']:.0%} of revenue "
                     f"({confidence:.0%} interval {money_text(at_risk['low'], currency)} to "
                     f"{money_text(at_risk['high'], currency)}).")
    top = by_class.iloc[0] if len(by_class) else None
    if top is not None and "revenue_share" in by_class.columns:
        lines.append(f"Class {_label(top['class'])} brings {top['revenue_share']:.0%} of revenue: "
                     "its detractors weigh most.")
    if call_list:
        lines.append(f"What to act on: call back {int(call_list.get('follow_up', 0)):,} customers "
                     f"(the call list); thank {int(call_list.get('thank', 0)):,} promoters.")
    return lines


def enps_findings(overall: dict, records: Sequence[dict] = (), *, min_group: int = 5,
                  confidence: float = 0.95) -> list[str]:
    """The summary of an eNPS study: headline, participation, lowest group shown, anonymity.

    ``overall``: ``n``, ``enps``, ``ci_low``, ``ci_high``, ``participation``; ``records``: the
    rows of every published table (``table`` naming the grouping, the group under that name,
    ``n``, ``enps``, ``suppressed``). Only published figures are used.
    """
    n = int(overall.get("n") or 0)
    if overall.get("enps") is None or n < max(min_group, 1):
        return [f"Fewer than {min_group} answers in all: nothing can be shown."]
    part = overall.get("participation")
    lines = [f"eNPS {points(overall['enps'])} from {n:,} employees "
             f"({interval_text(overall['ci_low'], overall['ci_high'], n, confidence)})"
             + (f"; {part:.0%} took part." if part is not None and not pd.isna(part) else ".")]
    groups = [r for r in records if r.get("table") not in (None, "overall")]
    shown = [r for r in groups if not r.get("suppressed") and r.get("enps") is not None
             and not pd.isna(r.get("enps"))]
    if shown:
        low = min(shown, key=lambda r: r["enps"])
        high = max(shown, key=lambda r: r["enps"])
        lines.append(f"Lowest group shown: {_group(low)} (eNPS {points(low['enps'])}, "
                     f"n = {int(low['n'])}); highest: {_group(high)} (eNPS {points(high['enps'])}, "
                     f"n = {int(high['n'])}).")
    hidden = len(groups) - len(shown)
    lines.append(f"Anonymity: {len(shown)} group(s) shown, {hidden} hidden (fewer than {min_group} "
                 "answers, or hidden so that no group can be worked out by subtraction).")
    return lines


def _group(record: dict) -> str:
    """``Sales (department)``; a crossed table ``department x location`` names both values."""
    columns = str(record["table"]).split(" x ")
    values = " / ".join(_label(record.get(c)) for c in columns)
    return f"{values} ({_label(record['table'])})"


def themes_findings(coded: int, comments: int, lift: pd.DataFrame | None = None, *,
                    period: str = "", alpha: float = 0.05) -> list[str]:
    """The summary of the feedback themes: coverage, the themes that go with detractors."""
    lines = []
    share = coded / comments if comments else 0.0
    lines.append((f"{_label(period)[:1].upper()}{_label(period)[1:]}: " if period else "")
                 + f"{coded:,} of {comments:,} comments coded to a theme ({share:.0%}).")
    if comments and share < 0.5:
        lines.append("Under half of the comments are coded: the codebook does not fit these "
                     "comments (another language or other topics); the figures below describe the "
                     "coded part only.")
    if lift is not None and len(lift):
        p = "p_adjusted" if "p_adjusted" in lift.columns else "p_value"
        real = lift[(lift[p] < alpha) & (lift["lift"] > 1)]
        if len(real):
            top = real.sort_values("lift", ascending=False).iloc[0]
            lines.append(f"What to act on: {_label(top['theme'])}, mentioned {top['lift']:.1f} times "
                         "as often by detractors as by others (a real difference after adjusting "
                         "for the number of themes).")
        else:
            lines.append("No theme is mentioned by detractors more often than chance would give, "
                         "after adjusting for the number of themes.")
    return lines


def ltv_findings(by_category: pd.DataFrame, *, matched: int, what_if: dict | None = None,
                 currency: str = "", spearman: dict | None = None) -> list[str]:
    """The summary of NPS against LTV and churn: churn by category, value, what a move is worth."""
    lines = []
    rates = {r["category"]: r for r in by_category.to_dict("records")}
    if rates:
        parts = [f"{c}s {rates[c]['churn_rate']:.0%}" for c in ("detractor", "passive", "promoter")
                 if c in rates]
        lines.append(f"Churn: {', '.join(parts)} ({matched:,} respondents matched to outcomes).")
    if spearman is not None:
        lines.append(f"Score and LTV: Spearman correlation {spearman['estimate']:.2f} "
                     f"({spearman['confidence']:.0%} interval {spearman['ci_low']:.2f} to "
                     f"{spearman['ci_high']:.2f}); "
                     + ("weak" if abs(spearman["estimate"]) < 0.3 else "clear") + " association.")
    if what_if:
        lines.append(f"If {int(round(what_if['moved'])):,} detractors became passives, expected "
                     f"LTV would change by {money_text(what_if['total'], currency)} "
                     f"({what_if['confidence']:.0%} interval {money_text(what_if['total_low'], currency)}"
                     f" to {money_text(what_if['total_high'], currency)}); an association, not a promise.")
    lines.append("Correlation, not causation: promoters and detractors differ in more than "
                 "their answer.")
    return lines


def study_design_findings(population: int, respondents: int, invitations: int, margin: float,
                          confidence: float, *, detectable_change: float | None = None,
                          feasible: bool = True, reachable_margin: float | None = None,
                          plan_note: str | None = None) -> list[str]:
    """The summary of a study design: whom to ask, how precise, what change could be seen."""
    if feasible and plan_note:
        lines = [f"An NPS within +-{margin:g} points overall at {confidence:.0%} confidence needs "
                 f"{respondents:,} of {population:,} people to answer ({invitations:,} "
                 "invitations), counting sampling error only; the segment targets decide the "
                 "plan to field:"]
    elif feasible:
        lines = [f"Ask {respondents:,} of {population:,} people to answer (send {invitations:,} "
                 f"invitations) for an NPS within +-{margin:g} points at {confidence:.0%} "
                 "confidence, counting sampling error only."]
    else:
        reach = (f" inviting everyone gives about +-{reachable_margin:.0f} points"
                 if reachable_margin else " nobody is expected to answer")
        lines = [f"+-{margin:g} points needs {respondents:,} answers, more than {population:,} "
                 f"people can give at the expected response rate:{reach}."]
    if plan_note:
        lines.append(plan_note[:1].upper() + plan_note[1:] + ".")
    if detectable_change is not None and not np.isnan(detectable_change):
        lines.append(f"Between two such waves, a change of about {detectable_change:.0f} points "
                     "or more would be seen (80% power).")
    return lines
