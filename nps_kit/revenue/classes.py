"""ABC revenue classes of customers, responses joined to them, and NPS per class.

ABC analysis (METHODS.md, "Study practice"): rank customers by revenue; by default class A holds
the top 20 % of customers, B the next 30 % and C the remaining 50 %. On request the split follows
the cumulative revenue share instead (A = the customers that make the first 80 % of revenue,
B = the next 15 %, C = the last 5 %).

Tie rule (both modes): customers with equal revenue always share one class, the class of the
first of them in descending order of revenue. A tie that straddles a boundary therefore goes
up (to the richer class), and a class can hold a few more customers than its nominal share; the
class table reports the actual shares. The rule does not depend on the row order of the file.

Revenue values: zero is a valid revenue, ranked last and always class C (even when so many
customers have zero revenue that their tie group would start inside B); missing and negative
revenue (credit
notes exceeding sales) cannot be ranked, so those customers are left out of the classes and
listed in :attr:`ABCClasses.unclassified` with the reason; text that is not a number is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nps_kit.errors import DataError, ParameterError, check_option
from nps_kit.core.scores import CATEGORY_DTYPE, NONRESPONSE_POLICIES, category_codes, parse_scores
from nps_kit.core.columns import require_columns

CLASSES: tuple[str, str, str] = ("A", "B", "C")
"""Class labels, richest first."""

CLASS_DTYPE = pd.CategoricalDtype(list(CLASSES), ordered=True)

MODES: tuple[str, ...] = ("customers", "revenue")
"""How classes are cut: by share of customers, or by cumulative share of revenue."""

TIE_RULE = (
    "customers with equal revenue share one class: the class of the first of them in "
    "descending order of revenue"
)

_SHOWN = 5
_RESPONSE_FIELDS = ("response_row", "score", "category", "declined", "comment", "wave")


def _row_numbers(frame: pd.DataFrame) -> np.ndarray:
    """Row numbers as seen in the file: the index of :func:`nps_kit.read_responses` (named
    ``row``), otherwise position + 2 (header = row 1)."""
    if frame.index.name == "row" and pd.api.types.is_integer_dtype(frame.index.dtype):
        return frame.index.to_numpy(dtype=np.int64)
    return np.arange(len(frame), dtype=np.int64) + 2


def _quote_rows(rows: np.ndarray, values) -> str:
    shown = "; ".join(f"row {r}: {v!r}" for r, v in list(zip(rows, values))[:_SHOWN])
    more = f" ... and {len(rows) - _SHOWN} more" if len(rows) > _SHOWN else ""
    return shown + more


def _check_cuts(name: str, cuts) -> tuple[float, float]:
    try:
        c1, c2 = (float(c) for c in cuts)
    except (TypeError, ValueError):
        raise ParameterError(f"{name}={cuts!r} must be two numbers such as (0.2, 0.5)") from None
    if not 0.0 < c1 < c2 < 1.0:
        raise ParameterError(
            f"{name}={cuts!r}: need 0 < first < second < 1 (cumulative fractions where class A "
            "ends and class B ends), e.g. (0.2, 0.5)"
        )
    return c1, c2


def _ids_as_text(values: pd.Series) -> pd.Series:
    """Ids compared as trimmed text, so 1001 in one file matches "1001" in the other."""
    return values.astype(str).str.strip()


@dataclass(frozen=True)
class ABCClasses:
    """Customers assigned to revenue classes A, B and C.

    Attributes
    ----------
    customers : DataFrame
        Classified customers, richest first: the original columns plus ``row`` (file row),
        ``rank`` (1 = highest revenue), ``class`` (ordered categorical A < B < C),
        ``customer_share_cum`` and ``revenue_share_cum`` (cumulative shares up to and including
        the customer: the points of the Lorenz curve, read from the top).
    unclassified : DataFrame
        Customers left out: ``row``, the id, the revenue value as text and the ``reason``.
    id, revenue : str
        Column names.
    mode : str
    cuts : tuple of float
        The cut points used (customer shares or revenue shares, depending on ``mode``).
    n_customers, n_unclassified : int
    total_revenue : float
        Revenue of the classified customers.
    file : str
    """

    customers: pd.DataFrame = field(repr=False)
    unclassified: pd.DataFrame = field(repr=False)
    id: str
    revenue: str
    mode: str
    cuts: tuple[float, float]
    n_customers: int
    n_unclassified: int
    total_revenue: float
    file: str

    @property
    def summary(self) -> pd.DataFrame:
        """Per class: customers, their share, revenue, its share, and the revenue range."""
        c = self.customers
        g = c.groupby("class", observed=False)[self.revenue]
        out = pd.DataFrame({
            "class": list(CLASSES),
            "customers": g.size().reindex(list(CLASSES), fill_value=0).to_numpy(dtype=np.int64),
            "revenue": g.sum().reindex(list(CLASSES), fill_value=0.0).to_numpy(dtype=float),
            "min_revenue": g.min().reindex(list(CLASSES)).to_numpy(dtype=float),
            "max_revenue": g.max().reindex(list(CLASSES)).to_numpy(dtype=float),
        })
        with np.errstate(invalid="ignore", divide="ignore"):
            out.insert(2, "customer_share", out["customers"] / max(self.n_customers, 1))
            out.insert(4, "revenue_share", out["revenue"] / self.total_revenue)
        return out

    @property
    def tie_rule(self) -> str:
        """The tie rule in words."""
        return TIE_RULE

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def abc_classes(
    customers: pd.DataFrame,
    id: str = "customer_id",
    revenue: str = "annual_revenue",
    cuts: tuple[float, float] = (0.2, 0.5),
    mode: str = "customers",
    revenue_cuts: tuple[float, float] = (0.8, 0.95),
    *,
    file: str | None = None,
) -> ABCClasses:
    """Assign customers to ABC classes by revenue.

    Customers are ranked by revenue, highest first. Let ``s`` be the position (0-based) of the
    first customer of a customer's tie group (customers with equal revenue) and ``N`` the number
    of classified customers.

    - ``mode="customers"``: A if ``s < ceil(cuts[0] N)``, B if ``s < ceil(cuts[1] N)``, else C;
      with the defaults (0.2, 0.5), A is the top 20 % of customers, B the next 30 %, C the rest.
    - ``mode="revenue"``: with ``R`` the revenue share of all customers ranked strictly above
      the tie group, A if ``R < revenue_cuts[0]``, B if ``R < revenue_cuts[1]``, else C; the
      customer who crosses 80 % of revenue is still in A (defaults 80/15/5).

    Parameters
    ----------
    customers : DataFrame
        One row per customer.
    id, revenue : str
        Id column (unique) and revenue column (numbers for one period, e.g. annual revenue).
    cuts : (float, float)
        Cumulative customer shares where A and B end (``mode="customers"``).
    mode : {"customers", "revenue"}
    revenue_cuts : (float, float)
        Cumulative revenue shares where A and B end (``mode="revenue"``).
    file : str, optional
        File name used in error messages.

    Returns
    -------
    ABCClasses

    Raises
    ------
    DataError
        Missing columns, missing or repeated ids, revenue text that is not a number, no
        customer with usable revenue, or (revenue mode) a total revenue of zero.

    Notes
    -----
    Ties: see the module docstring (:data:`TIE_RULE`). Zero revenue is ranked last and always
    class C; missing or negative revenue is reported in ``unclassified``.

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": list("abcdefghij"), "annual_revenue": range(10, 0, -1)})
    >>> abc_classes(df).summary[["class", "customers"]].to_dict("list")
    {'class': ['A', 'B', 'C'], 'customers': [2, 3, 5]}
    """
    check_option("mode", mode, MODES)
    cuts_used = _check_cuts("cuts", cuts) if mode == "customers" else _check_cuts("revenue_cuts", revenue_cuts)
    label = file or "customers table"
    require_columns(customers, [id, revenue], label)
    rows = _row_numbers(customers)

    ids = customers[id]
    no_id = ids.isna().to_numpy() | (_ids_as_text(ids) == "").to_numpy()
    if no_id.any():
        where = np.flatnonzero(no_id)
        raise DataError(
            f"{label}: column {id!r} is empty in {len(where)} row(s): rows "
            f"{rows[where[:_SHOWN]].tolist()}. Every customer needs an id; fill them in or "
            "remove those rows."
        )
    key = _ids_as_text(ids)
    dup = key.duplicated(keep=False).to_numpy()
    if dup.any():
        where = np.flatnonzero(dup)
        raise DataError(
            f"{label}: customer ids in column {id!r} must be unique; {key[dup].nunique()} id(s) "
            f"repeat: {_quote_rows(rows[where], key.to_numpy()[where])}. Merge the duplicate rows "
            "(one row per customer, revenue summed) and run again."
        )

    raw = customers[revenue]
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        values = raw.to_numpy(dtype=float, na_value=np.nan)
        not_number = ~np.isfinite(values) & ~np.isnan(values)
    else:
        stripped = raw.astype("string").str.strip()
        blank = stripped.isna().to_numpy() | (stripped == "").fillna(False).to_numpy(dtype=bool)
        values = pd.to_numeric(stripped.where(~blank, None), errors="coerce").to_numpy(dtype=float)
        not_number = (~blank & np.isnan(values)) | np.isinf(values)
    if not_number.any():
        where = np.flatnonzero(not_number)
        raise DataError(
            f"{label}: column {revenue!r} must hold numbers; {len(where)} value(s) are not: "
            f"{_quote_rows(rows[where], raw.to_numpy(dtype=object)[where])}. Write plain numbers "
            "(no currency signs or thousands separators), or leave the cell blank for unknown "
            "revenue (such customers are reported, not classified)."
        )
    missing = np.isnan(values)
    negative = ~missing & (values < 0)
    usable = ~missing & ~negative
    reasons = np.where(missing, "missing revenue", "negative revenue (cannot be ranked)")
    unclassified = pd.DataFrame({
        "row": rows[~usable], id: ids.to_numpy(dtype=object)[~usable],
        "revenue": [None if pd.isna(v) else str(v) for v in raw.to_numpy(dtype=object)[~usable]],
        "reason": reasons[~usable],
    })

    n = int(usable.sum())
    if n == 0:
        raise DataError(f"{label}: no customer has a usable revenue in column {revenue!r}")
    kept = customers.loc[usable].assign(**{revenue: values[usable]})
    kept.insert(0, "row", rows[usable])
    # richest first; equal revenue in id order, for a stable listing only (classes do not depend on it)
    order = np.lexsort((key.to_numpy()[usable], -values[usable]))
    kept = kept.iloc[order].reset_index(drop=True)
    r = kept[revenue].to_numpy(dtype=float)
    start = np.searchsorted(-r, -r, side="left")  # first position of each tie group
    total = float(r.sum())
    cum = np.cumsum(r)
    before = np.concatenate(([0.0], cum))[start]
    if mode == "customers":
        ends = np.ceil(np.array(cuts_used) * n - 1e-9)
        klass = np.where(start < ends[0], 0, np.where(start < ends[1], 1, 2))
        klass = np.where(r > 0, klass, 2)  # no revenue, no place among the valuable classes
    else:
        if total <= 0:
            raise DataError(
                f"{label}: every usable revenue in column {revenue!r} is zero, so revenue shares "
                "are undefined; use mode='customers'"
            )
        share_before = before / total
        eps = 1e-12
        klass = np.where(share_before < cuts_used[0] - eps, 0,
                         np.where(share_before < cuts_used[1] - eps, 1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        kept = kept.assign(
            rank=np.arange(1, n + 1),
            **{"class": pd.Categorical.from_codes(klass, dtype=CLASS_DTYPE)},
            customer_share_cum=np.arange(1, n + 1) / n,
            revenue_share_cum=cum / total if total > 0 else np.full(n, np.nan),
        )
    return ABCClasses(
        customers=kept, unclassified=unclassified, id=id, revenue=revenue, mode=mode,
        cuts=cuts_used, n_customers=n, n_unclassified=int((~usable).sum()),
        total_revenue=total, file=label,
    )


@dataclass(frozen=True)
class JoinedResponses:
    """Responses of one wave joined to the classified customers.

    Attributes
    ----------
    data : DataFrame
        One row per matched response: the customer's columns (with ``class``, ``rank``) and the
        response fields ``response_row`` (row in the responses file), ``score`` (float, NaN =
        declined), ``category`` (ordered categorical after the non-response rule; missing when
        excluded), ``declined`` (bool), ``comment`` and ``wave``.
    unmatched : DataFrame
        Responses that could not be used: ``row``, ``respondent_id``, ``reason`` (no customer
        with that id, the customer has no usable revenue, or no id).
    wave : str or None
        The wave analysed.
    rows_in, rows_other_waves, rows_matched, rows_unmatched, declined : int
        ``rows_in == rows_other_waves + rows_matched + rows_unmatched``.
    nonresponse : str
    file : str
    """

    data: pd.DataFrame = field(repr=False)
    unmatched: pd.DataFrame = field(repr=False)
    wave: str | None
    rows_in: int
    rows_other_waves: int
    rows_matched: int
    rows_unmatched: int
    declined: int
    nonresponse: str
    file: str

    @property
    def summary(self) -> pd.DataFrame:
        """One-row account of the join (counts only, no identifiers)."""
        reasons = self.unmatched["reason"].value_counts()
        return pd.DataFrame([{
            "wave": self.wave, "responses_read": self.rows_in,
            "other_waves": self.rows_other_waves, "matched": self.rows_matched,
            "without_customer": int(reasons.get(_NO_CUSTOMER, 0)),
            "customer_without_revenue": int(reasons.get(_NO_REVENUE, 0)),
            "without_id": int(reasons.get(_NO_ID, 0)),
            "declined_score": self.declined, "nonresponse": self.nonresponse,
        }])

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


_NO_CUSTOMER = "no customer with this id in the customers table"
_NO_REVENUE = "the customer has no usable revenue (see the unclassified customers)"
_NO_ID = "no respondent id"


def join_responses(
    classes: ABCClasses,
    responses: pd.DataFrame,
    respondent_id: str = "respondent_id",
    score: str = "score",
    *,
    wave_column: str | None = None,
    wave: str | None = None,
    comment: str | None = None,
    nonresponse: str = "exclude",
    file: str | None = None,
) -> JoinedResponses:
    """Join one wave of responses to the classified customers; report what does not match.

    Parameters
    ----------
    classes : ABCClasses
    responses : DataFrame
        One row per response; ids match the customers' ids (compared as text).
    respondent_id, score : str
        Id column and 0-10 score column (numbers or survey text; blank = declined).
    wave_column, wave : str, optional
        Keep only the rows of ``wave``. Without ``wave`` (or with ``"latest"``), the latest wave
        (last in sorted order) is used and stated in the result.
    comment : str, optional
        Open-answer column carried to the call list.
    nonresponse : {"exclude", "detractor", "passive"}
        What a blank score counts as.
    file : str, optional
        File name for messages.

    Returns
    -------
    JoinedResponses

    Raises
    ------
    DataError
        Missing columns, invalid scores, a wave that is not in the data, or a customer who
        answered twice in the wave.
    """
    check_option("nonresponse", nonresponse, NONRESPONSE_POLICIES)
    label = file or "responses table"
    cols = [respondent_id, score] + [c for c in (wave_column, comment) if c]
    require_columns(responses, cols, label)
    if wave_column is None and wave == "latest":
        wave = None  # one wave in the file: it is the latest
    if wave is not None and wave_column is None:
        raise ParameterError(f"wave={wave!r} needs wave_column, the column that holds the waves")
    rows = _row_numbers(responses)
    rows_in = len(responses)
    in_wave = np.ones(rows_in, dtype=bool)
    if wave_column:
        waves = responses[wave_column].astype(str)
        present = sorted(waves.dropna().unique().tolist())
        if (wave is None or wave == "latest") and present and "latest" not in present:
            wave = present[-1]
        if wave is not None and str(wave) not in present:
            raise DataError(
                f"{label}: wave {wave!r} not found in column {wave_column!r}; the waves are: "
                + ", ".join(map(repr, present))
            )
        if wave is not None:
            in_wave = (waves == str(wave)).to_numpy()
    sel = responses.loc[in_wave]
    sel_rows = rows[in_wave]

    parsed = parse_scores(sel[score])
    if parsed.invalid.any():
        where = np.flatnonzero(parsed.invalid)
        raise DataError(
            f"{label}: column {score!r} has {len(where)} invalid score(s): "
            + "; ".join(f"row {sel_rows[i]}: {parsed.reasons[i]}" for i in where[:_SHOWN])
            + ". Scores are whole numbers 0-10; read the file with "
            "nps_kit.read_responses(..., errors='drop') to drop such rows with a report."
        )
    ids = sel[respondent_id]
    key = _ids_as_text(ids).to_numpy(dtype=object)
    no_id = ids.isna().to_numpy() | (key == "")
    dup = pd.Series(key).where(~no_id).duplicated(keep=False).to_numpy() & ~no_id
    if dup.any():
        where = np.flatnonzero(dup)
        raise DataError(
            f"{label}: a customer answered more than once"
            + (f" in wave {wave!r}" if wave is not None else "")
            + f": {_quote_rows(sel_rows[where], key[where])}. Keep one response per customer "
            "per wave (or give the wave column and a wave)."
        )

    cust = classes.customers
    cust_key = _ids_as_text(cust[classes.id])
    unclassified_key = set(_ids_as_text(classes.unclassified[classes.id]).tolist())
    pos = pd.Index(cust_key).get_indexer(key)
    matched = (pos >= 0) & ~no_id
    no_revenue = ~matched & ~no_id & pd.Series(key).isin(unclassified_key).to_numpy()
    reason = np.where(no_id, _NO_ID, np.where(no_revenue, _NO_REVENUE, _NO_CUSTOMER))
    unmatched = pd.DataFrame({
        "row": sel_rows[~matched], "respondent_id": ids.to_numpy(dtype=object)[~matched],
        "reason": reason[~matched],
    })

    values = parsed.values[matched]
    codes = category_codes(values)
    declined = codes < 0
    if nonresponse == "detractor":
        codes = np.where(declined, 0, codes)
    elif nonresponse == "passive":
        codes = np.where(declined, 1, codes)
    customer_part = cust.iloc[pos[matched]].reset_index(drop=True)
    clash = {c: f"{c}_customers" for c in customer_part.columns if c in _RESPONSE_FIELDS}
    customer_part = customer_part.rename(columns=clash)
    data = customer_part.assign(
        response_row=sel_rows[matched],
        score=values,
        category=pd.Categorical.from_codes(codes, dtype=CATEGORY_DTYPE),
        declined=declined,
        comment=(sel[comment].to_numpy(dtype=object)[matched] if comment else None),
        wave=wave,
    )
    return JoinedResponses(
        data=data, unmatched=unmatched, wave=None if wave is None else str(wave), rows_in=rows_in,
        rows_other_waves=int((~in_wave).sum()), rows_matched=int(matched.sum()),
        rows_unmatched=int((~matched).sum()), declined=int(declined.sum()),
        nonresponse=nonresponse, file=label,
    )


def lorenz_curve(classes: ABCClasses) -> pd.DataFrame:
    """Revenue concentration curve, read from the richest customer down.

    Returns
    -------
    DataFrame
        ``customer_share`` (cumulative share of customers, richest first), ``revenue_share``
        (their cumulative share of revenue) and ``class``; starts at (0, 0). A curve far above
        the diagonal means revenue sits with few customers.
    """
    c = classes.customers
    start = pd.DataFrame({"customer_share": [0.0], "revenue_share": [0.0], "class": ["A"]})
    curve = pd.DataFrame({
        "customer_share": c["customer_share_cum"].to_numpy(dtype=float),
        "revenue_share": c["revenue_share_cum"].to_numpy(dtype=float),
        "class": c["class"].astype(str).to_numpy(),
    })
    return pd.concat([start, curve], ignore_index=True)


__all__ = [
    "abc_classes", "ABCClasses", "CLASS_DTYPE", "CLASSES", "join_responses", "JoinedResponses",
    "lorenz_curve", "MODES", "TIE_RULE",
]
