"""Change of eNPS since a previous wave, per group, from two protected reports.

Only cells published in both waves enter a comparison, so a change reveals nothing the two
reports do not already show; a group suppressed in either wave has its change suppressed too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nps_kit.core.safetext import display_text
from nps_kit.enps.report import OVERALL, RESULT_COLUMNS, ENPSReport, Grouping, table_name
from nps_kit.core.formatting import p_value_text
from nps_kit.errors import check_confidence, check_option

CHANGE_COLUMNS: tuple[str, ...] = (
    "n_previous", "n_current", "enps_previous", "enps_current", "change", "ci_low", "ci_high",
    "p_value", "suppressed", "reason",
)
"""Columns of :func:`compare_enps` after the group columns."""


def compare_enps(
    previous: ENPSReport,
    current: ENPSReport,
    grouping: Grouping = OVERALL,
    method: str = "adjusted-wald",
    confidence: float | None = None,
) -> pd.DataFrame:
    """Change of eNPS since a previous wave, per group, from two protected reports.

    Uses the independent-samples comparison of :func:`nps_kit.core.compare.difference_arrays`
    (delta = eNPS_2 - eNPS_1, se = sqrt(v_1/n_1 + v_2/n_2), METHODS.md "Comparing NPS"). Only
    published cells enter, so a change reveals nothing that the two reports do not show: a
    group suppressed in either wave (or missing from one) has its change suppressed too.

    Parameters
    ----------
    previous, current : ENPSReport
        The two waves, made with the same groupings.
    grouping : str or list of str
        Table to compare (default: overall).
    method : {"adjusted-wald", "wald"}
    confidence : float, optional
        Default: the current report's level.

    Returns
    -------
    DataFrame
        Group columns, then :data:`CHANGE_COLUMNS` (change and interval in points).
    """
    from nps_kit.core.compare import COMPARE_METHODS, difference_arrays

    check_option("method", method, COMPARE_METHODS)
    conf = current.confidence if confidence is None else check_confidence(confidence)
    t2, t1 = current.table(grouping), previous.table(grouping)
    cols = [c for c in t2.columns if c not in RESULT_COLUMNS]
    keep = [*cols, "n", "detractors", "passives", "promoters", "enps", "suppressed"]
    if cols:
        both = t1[keep].merge(t2[keep], on=cols, how="outer", suffixes=("_1", "_2"), sort=True)
    else:
        both = pd.concat([t1[keep].add_suffix("_1"), t2[keep].add_suffix("_2")], axis=1)
    in_both = both["suppressed_1"].notna() & both["suppressed_2"].notna()
    hidden = (~in_both | both["suppressed_1"].fillna(True).astype(bool)
              | both["suppressed_2"].fillna(True).astype(bool)).to_numpy()
    c1 = np.column_stack([both[f"{c}_1"].fillna(0).to_numpy(dtype=float)
                          for c in ("detractors", "passives", "promoters")])
    c2 = np.column_stack([both[f"{c}_2"].fillna(0).to_numpy(dtype=float)
                          for c in ("detractors", "passives", "promoters")])
    res = difference_arrays(c1, c2, None, method, conf)
    why = np.where(~in_both.to_numpy(), "not in both waves",
                   np.where(both["suppressed_2"].fillna(False).astype(bool).to_numpy(),
                            "suppressed in the current wave", "suppressed in the previous wave"))
    out = both[cols].copy() if cols else pd.DataFrame(index=both.index)
    values = {
        "n_previous": both["n_1"], "n_current": both["n_2"],
        "enps_previous": both["enps_1"], "enps_current": both["enps_2"], "change": res["delta"],
        "ci_low": res["low"], "ci_high": res["high"], "p_value": res["p_value"],
    }
    for name, v in values.items():
        if name.startswith("n_"):
            out[name] = pd.array(np.where(hidden, pd.NA, v.astype(object)).tolist(), dtype="Int64")
        else:
            out[name] = np.where(hidden, np.nan, np.asarray(v, dtype=float))
    out["suppressed"] = hidden
    out["reason"] = pd.array(np.where(hidden, why, None), dtype="str")
    return out.reset_index(drop=True)


def format_changes(changes: pd.DataFrame, decimals: int = 1) -> pd.DataFrame:
    """Text version of :func:`compare_enps`: a suppressed change shows its reason, never a blank."""
    group_cols = [c for c in changes.columns if c not in CHANGE_COLUMNS]
    hidden = changes["suppressed"].to_numpy(dtype=bool)
    reason = changes["reason"].astype(object).where(changes["reason"].notna(), "").to_numpy()
    f = f"{{:+.{decimals}f}}"

    def text(values, fmt):
        out = np.array([fmt(v) if pd.notna(v) else "n/a" for v in values], dtype=object)
        return np.where(hidden, "suppressed", out)

    show = {c: changes[c].to_numpy() for c in group_cols}
    show["previous eNPS"] = text(changes["enps_previous"], f.format)
    show["current eNPS"] = text(changes["enps_current"], f.format)
    show["change"] = np.where(hidden, reason, text(changes["change"], f.format))
    pairs = zip(changes["ci_low"].to_numpy(), changes["ci_high"].to_numpy())
    interval = np.array([f"{f.format(lo)} to {f.format(hi)}" if pd.notna(lo) else "n/a"
                         for lo, hi in pairs], dtype=object)
    show["interval"] = np.where(hidden, "suppressed", interval)
    show["p-value"] = text(changes["p_value"], p_value_text)
    return pd.DataFrame(show, index=changes.index)


DIFFERENCING_GAP = (1, 2)
"""Changes of a group's size between waves that let a reader isolate one or two people."""


def differencing_warnings(previous: ENPSReport, current: ENPSReport,
                          grouping: Grouping = OVERALL) -> list[str]:
    """Groups published in both waves whose answers or headcount changed by 1 or 2.

    The anonymity guarantee holds per publication (METHODS.md, "Disclosure control"). Two
    publications of the same group, one with 6 answers and one with 5, let a reader who knows
    who left work out that person's answer from the two results (the "one person left" attack).
    This lists every such group so the publisher can decide before sharing both.

    Returns
    -------
    list of str
        One sentence per group, e.g. ``"department Legal: 6 answers in the previous wave, 5
        now"``; empty when there is none.
    """
    t2, t1 = current.table(grouping), previous.table(grouping)
    cols = [c for c in t2.columns if c not in RESULT_COLUMNS]
    keep = [*cols, "n", "suppressed", *(["headcount"] if "headcount" in t2.columns
                                        and "headcount" in t1.columns else [])]
    if cols:
        both = t1[keep].merge(t2[keep], on=cols, how="inner", suffixes=("_1", "_2"))
    else:
        both = pd.concat([t1[keep].add_suffix("_1"), t2[keep].add_suffix("_2")], axis=1)
    out = []
    name = table_name(tuple(cols))
    for _, row in both.iterrows():
        if bool(row["suppressed_1"]) or bool(row["suppressed_2"]):
            continue
        label = " / ".join(display_text(row[c], "plain") for c in cols) if cols else "everyone"
        for what, unit in (("n", "answers"), ("headcount", "people invited")):
            if f"{what}_1" not in both.columns:
                continue
            a, b = row[f"{what}_1"], row[f"{what}_2"]
            if pd.notna(a) and pd.notna(b) and abs(int(b) - int(a)) in DIFFERENCING_GAP:
                out.append(f"{name} {label}: {int(a)} {unit} in the previous wave, {int(b)} now")
    return out


__all__ = [
    "CHANGE_COLUMNS", "compare_enps", "DIFFERENCING_GAP", "differencing_warnings",
    "format_changes",
]
