"""Close-the-loop call lists: who to call back, who to thank, richest accounts first.

Closing the loop (METHODS.md, "Study practice") means calling detractors and passives back to
learn why they scored as they did, and thanking promoters (and asking them for a referral).
This is the one place in nps-kit where customer identifiers appear: the list is written to a CSV
for the customer team and must never be embedded in a shareable report (show its path and row
counts instead; :attr:`CallList.summary` holds counts only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nps_kit.errors import DataError
from nps_kit.revenue.classes import CLASSES, ABCClasses, JoinedResponses
from nps_kit.data.writer import write_csv

CONTACT_COLUMNS: tuple[str, ...] = ("company", "contact_name", "contact_email")
"""Customer columns copied to the list when present (unless others are named)."""

ACTIONS: dict[str, str] = {
    "detractor": "call back",
    "passive": "call back",
    "promoter": "thank and ask for a referral",
}
"""What the customer team does for each category."""

LISTS: tuple[str, str] = ("follow_up", "thank")
"""The two lists: detractors and passives to call back; promoters to thank."""


@dataclass(frozen=True)
class CallList:
    """Respondents to call back (detractors, passives) and to thank (promoters).

    Attributes
    ----------
    follow_up : DataFrame
        Detractors and passives, highest revenue first (equal revenue: by id).
    thank : DataFrame
        Promoters, highest revenue first.
    columns : tuple of str
        The columns of both lists: ``action``, ``class``, the customer id, contact columns,
        the revenue, ``score``, ``category``, ``comment``, ``wave``.

    Notes
    -----
    ``summary`` and the HTML repr show counts per list and class only, never the rows.
    """

    follow_up: pd.DataFrame = field(repr=False)
    thank: pd.DataFrame = field(repr=False)
    columns: tuple[str, ...]

    @property
    def summary(self) -> pd.DataFrame:
        """Rows per list and class (no identifiers)."""
        parts = []
        for name, frame in (("follow_up", self.follow_up), ("thank", self.thank)):
            counts = frame["class"].astype(str).value_counts().reindex(list(CLASSES), fill_value=0)
            parts.append(pd.DataFrame({"list": name, "class": list(CLASSES),
                                       "rows": counts.to_numpy(dtype=np.int64)}))
        return pd.concat(parts, ignore_index=True)

    @property
    def n_follow_up(self) -> int:
        return len(self.follow_up)

    @property
    def n_thank(self) -> int:
        return len(self.thank)

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def call_list(
    classes: ABCClasses,
    joined: JoinedResponses,
    contact_columns: list[str] | tuple[str, ...] | None = None,
) -> CallList:
    """Build the close-the-loop lists from responses joined to ABC classes.

    Parameters
    ----------
    classes, joined
        From :func:`nps_kit.revenue.classes.abc_classes` and :func:`nps_kit.revenue.classes.join_responses`.
        Respondents whose blank score is excluded (non-response rule ``"exclude"``) have no
        category and are on neither list.
    contact_columns : list of str, optional
        Customer columns to copy (default: those of :data:`CONTACT_COLUMNS` the customers table
        has). A named column the table lacks is an error.

    Returns
    -------
    CallList
    """
    data = joined.data
    if contact_columns is None:
        contacts = [c for c in CONTACT_COLUMNS if c in data.columns]
    else:
        contacts = list(contact_columns)
        missing = [c for c in contacts if c not in data.columns]
        if missing:
            raise DataError(
                f"{classes.file}: contact column(s) {', '.join(map(repr, missing))} not found; "
                f"the customers table has: {', '.join(map(repr, classes.customers.columns))}"
            )
    contacts = [c for c in contacts if c not in (classes.id, classes.revenue)]
    columns = ("action", "class", classes.id, *contacts, classes.revenue, "score", "category",
               "comment", "wave")
    has_cat = data["category"].notna().to_numpy()
    table = data.loc[has_cat].assign(
        action=data.loc[has_cat, "category"].astype(str).map(ACTIONS),
        **{"class": data.loc[has_cat, "class"].astype(str)},
        category=data.loc[has_cat, "category"].astype(str),
    )
    table = table.sort_values([classes.revenue, classes.id], ascending=[False, True], kind="stable")
    table = table[list(columns)].reset_index(drop=True)
    promoter = (table["category"] == "promoter").to_numpy()
    return CallList(
        follow_up=table.loc[~promoter].reset_index(drop=True),
        thank=table.loc[promoter].reset_index(drop=True),
        columns=columns,
    )


def write_call_list(calls: CallList, path: str | Path) -> Path:
    """Write both lists to one CSV (first column ``list``: follow_up or thank); return the path.

    Parent folders are created. The file holds identifiers: keep it with the customer team,
    not in a shared report. Written by :func:`nps_kit.data.writer.write_csv`: atomically, never
    through a link, spreadsheet formulas neutralised.
    """
    frames = [frame.assign(list=name) for name, frame in zip(LISTS, (calls.follow_up, calls.thank))]
    out = pd.concat(frames, ignore_index=True)
    out = out[["list", *calls.columns]]
    return write_csv(out, path)


__all__ = ["ACTIONS", "call_list", "CallList", "CONTACT_COLUMNS", "LISTS", "write_call_list"]
