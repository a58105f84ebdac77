"""eNPS anonymity for notebook 09: a naive publication that hides only small groups, the
subtraction attack that undoes it, and the audit of :mod:`nps_kit.privacy.suppression` that
catches it.

A publication is every number released together: here one table of groups and the overall.
Hiding a group with fewer than K answers is *primary* suppression. If the overall is published
and only one group is hidden, the hidden group's counts are the overall minus the shown groups:
the subtraction attack. *Complementary* suppression hides further groups so that what is left
to subtract is a sum of several groups with at least K answers (Hundepool et al. 2012,
*Statistical Disclosure Control*, ch. 4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from nps_kit.core.safetext import display_text
from nps_kit.errors import ParameterError
from nps_kit.privacy.suppression import PRIMARY, DisclosureAudit, audit_publication
from nps_kit.teaching.helpers import positive_int

_COUNTS = ["detractors", "passives", "promoters"]


def group_counts(data: pd.DataFrame, score: str, group: str) -> pd.DataFrame:
    """Answers per group: ``group``, ``n``, ``detractors``, ``passives``, ``promoters``, ``enps``.

    Rows without a score are not answers and are left out.
    """
    for col in (score, group):
        if col not in data.columns:
            raise ParameterError(f"column {col!r} not found; the data have {', '.join(map(str, data.columns))}")
    s = pd.to_numeric(data[score], errors="coerce")
    keep = data.loc[s.notna(), [group]].assign(_s=s[s.notna()])
    out = keep.groupby(group, sort=True)["_s"].agg(
        detractors=lambda x: int((x <= 6).sum()), passives=lambda x: int(((x >= 7) & (x <= 8)).sum()),
        promoters=lambda x: int((x >= 9).sum())).reset_index()
    out["n"] = out[_COUNTS].sum(axis=1)
    out["enps"] = 100 * (out["promoters"] - out["detractors"]) / out["n"]
    return out[[group, "n", *_COUNTS, "enps"]]


@dataclass(frozen=True)
class NaivePublication:
    """One table with only primary suppression, the overall, and its audit.

    Attributes
    ----------
    table : DataFrame
        Per group: counts and eNPS, blanked (NaN) for the hidden groups, and ``hidden``.
    overall : dict
        ``n``, the three counts and ``enps`` of everyone.
    audit : DisclosureAudit
        :func:`nps_kit.privacy.suppression.audit_publication` of what this publication shows.
    """

    table: pd.DataFrame
    overall: dict
    audit: DisclosureAudit


def naive_publication(counts: pd.DataFrame, group: str, min_group_size: int) -> NaivePublication:
    """Publish every group with at least ``min_group_size`` answers and the overall, nothing more."""
    k = positive_int("min_group_size", min_group_size)
    fine = counts[_COUNTS].to_numpy(dtype=float)
    hidden_groups = counts["n"].to_numpy() < k
    table = counts.copy()
    table["hidden"] = hidden_groups
    table.loc[table["hidden"], ["n", *_COUNTS, "enps"]] = np.nan
    overall = {"n": int(counts["n"].sum()), **{c: int(counts[c].sum()) for c in _COUNTS}}
    overall["enps"] = 100 * (overall["promoters"] - overall["detractors"]) / overall["n"]
    members = [[i] for i in range(len(counts))] + [list(range(len(counts)))]
    hidden = np.append(hidden_groups, False)
    reason = [PRIMARY if h else "" for h in hidden]
    audit = audit_publication(fine, members, hidden, reason, k)
    return NaivePublication(table, overall, audit)


def subtraction_attack(table: pd.DataFrame, overall: dict, group: str) -> pd.DataFrame:
    """What an attacker learns: the overall minus every shown group.

    Returns
    -------
    DataFrame
        One row: ``groups`` (the hidden groups, joined), ``hidden_groups`` (how many), ``n``,
        the three counts and ``enps`` of their sum. With one hidden group this *is* that
        group; with several, only their total is learnt.
    """
    shown = table[~table["hidden"]]
    left = {c: int(overall[c] - shown[c].sum()) for c in ["n", *_COUNTS]}
    names = [str(v) for v in table.loc[table["hidden"], group]]
    enps = 100 * (left["promoters"] - left["detractors"]) / left["n"] if left["n"] else float("nan")
    listed = " + ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return pd.DataFrame([{"groups": listed or "(none hidden)", "hidden_groups": len(names),
                          **left, "enps": enps}])


def describe_attack(attack: pd.DataFrame, min_group_size: int) -> str:
    """One sentence: what the subtraction recovered and whether it exposes anyone."""
    row = attack.iloc[0]
    k = int(min_group_size)
    if row["hidden_groups"] == 0:
        return f"No group has fewer than {k} answers, so nothing is hidden and there is nothing to recover."
    groups = display_text(row["groups"], max_chars=None)
    what = (f"the hidden group {groups}" if row["hidden_groups"] == 1
            else f"the {int(row['hidden_groups'])} hidden groups together ({groups})")
    text = (f"Overall minus the shown groups gives {what}: {int(row['n'])} answers, "
            f"{int(row['detractors'])} detractors, {int(row['passives'])} passives, {int(row['promoters'])} promoters "
            f"(eNPS {row['enps']:+.0f}).")
    if row["hidden_groups"] == 1:
        text += " The suppression protected nobody: the group's exact counts are recovered."
    elif row["n"] < k:
        text += (f" Only their total is learnt, but that total has fewer than {k} answers: a group below the "
                 "threshold is still exposed.")
    else:
        text += f" Only their total is learnt, and it has at least {k} answers."
    return text


__all__ = ["describe_attack", "group_counts", "naive_publication", "NaivePublication", "subtraction_attack"]
