"""Employee NPS (eNPS) by group, with anonymity protection by construction.

eNPS is the NPS of the question "How likely are you to recommend this company as a place to
work?", computed exactly like NPS (METHODS.md, "The score"). It is read by managers about small
teams, so every result here is protected:

- groups with fewer than ``min_group_size`` (``K``, default 5) respondents with a score are
  suppressed in every table (primary suppression); ``K`` below 3 needs an explicit override,
  which is recorded in the result;
- further groups are suppressed so that no suppressed group can be worked out by subtraction
  from the total, a parent group or an overlapping grouping (complementary suppression, see
  :mod:`nps_kit.privacy.suppression`);
- participation (answers / headcount) is suppressed wherever the answers are;
- results are aggregates only: no respondent identifiers or rows leave this module.

Tools commonly suppress groups below 5 (some use 3) and hide figures recoverable by subtraction
(METHODS.md, "Study practice"). Intervals: :mod:`nps_kit.core.intervals` (Rocks 2016).

Comments and themes for the same report live in :mod:`nps_kit.enps.comments`, the change since
a previous wave in :mod:`nps_kit.enps.waves`, the figure in :mod:`nps_kit.plots.enps`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from nps_kit.errors import DataError, ParameterError, check_confidence, check_option
from nps_kit.core.intervals import METHODS, interval_arrays
from nps_kit.engines.dispatch import summarize
from nps_kit.privacy.suppression import (COMPLEMENTARY, PRIMARY, DisclosureAudit,
                                 suppress_publication)

DEFAULT_MIN_GROUP_SIZE = 5
"""Default anonymity threshold ``K``."""

LOWEST_THRESHOLD = 3
"""Thresholds below this need ``allow_below_3=True``."""

MISSING_GROUP = "(not given)"
"""Group value of respondents who left a group column blank."""

OVERALL = "overall"
"""Name of the table with the whole survey."""

COMPLEMENTARY_REASON = "suppressed so that another group cannot be worked out by subtraction"

COMPLEMENTARY_LABEL = "suppressed to protect another group"
"""Short form of :data:`COMPLEMENTARY_REASON` for table cells and figure labels."""

RESULT_COLUMNS: tuple[str, ...] = (
    "n", "headcount", "participation", "detractors", "passives", "promoters",
    "detractor_share", "passive_share", "promoter_share", "enps", "ci_low", "ci_high",
    "suppressed", "reason",
)
"""Columns of every table after the group columns (``headcount`` and ``participation`` are
missing when no headcount is given for that grouping)."""

_HIDDEN_WHEN_SUPPRESSED = (
    "n", "participation", "detractors", "passives", "promoters", "detractor_share",
    "passive_share", "promoter_share", "enps", "ci_low", "ci_high",
)

Grouping = str | Sequence[str]


def primary_reason(min_group_size: int) -> str:
    """Reason shown for a group below the threshold, e.g. ``"fewer than 5 answers"``."""
    return f"fewer than {min_group_size} answers"


def check_threshold(min_group_size: int, allow_below_3: bool = False) -> int:
    """Validate the anonymity threshold ``K``.

    Raises ParameterError for a non-integer or ``K < 1``, and for ``K < 3`` unless
    ``allow_below_3`` is True.
    """
    try:
        k = int(min_group_size)
    except (TypeError, ValueError):
        raise ParameterError(f"min_group_size={min_group_size!r} is not a whole number") from None
    if k != min_group_size or k < 1:
        raise ParameterError(f"min_group_size={min_group_size!r} must be a whole number >= 1")
    if k < LOWEST_THRESHOLD and not allow_below_3:
        raise ParameterError(
            f"min_group_size={k} is below {LOWEST_THRESHOLD}: groups of 1 or 2 people expose "
            "individual answers. Use 5 (the usual threshold) or 3; to go lower anyway pass "
            "allow_below_3=True (--allow-small-threshold), which is written into the report."
        )
    return k


def normalise_groupings(groups: Grouping | Sequence[Grouping] | None) -> list[tuple[str, ...]]:
    """Groupings as tuples of columns: ``"dept"`` -> ``[("dept",)]``;
    ``["dept", "loc", ["dept", "loc"]]`` -> ``[("dept",), ("loc",), ("dept", "loc")]``.
    Duplicates are dropped (first kept); a crossing's column order is kept."""
    if groups is None:
        return []
    if isinstance(groups, str):
        groups = [groups]
    out: list[tuple[str, ...]] = []
    for g in groups:
        cols = (g,) if isinstance(g, str) else tuple(g)
        if not cols or not all(isinstance(c, str) and c for c in cols):
            raise ParameterError(f"grouping {g!r} must be a column name or a list of column names")
        if len(set(cols)) != len(cols):
            raise ParameterError(f"grouping {g!r} names a column twice")
        if not any(set(cols) == set(o) for o in out):
            out.append(cols)
    return out


def grouping_columns(groups: Grouping | Sequence[Grouping] | None) -> list[str]:
    """Every column named by the groupings, once each, in order of appearance.

    Examples
    --------
    >>> grouping_columns(["department", "location", ["department", "location"]])
    ['department', 'location']
    """
    return list(dict.fromkeys(c for g in normalise_groupings(groups) for c in g))


def _reading_order(t: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """Rows in the reading order of each grouping column (tenure bands by value, then A-Z)."""
    from nps_kit.core.categories import category_order

    if not cols or t.empty:
        return t.reset_index(drop=True)
    keys = {f"_rank{i}": t[c].map({v: j for j, v in enumerate(category_order(t[c]))})
            for i, c in enumerate(cols)}
    return (t.assign(**keys).sort_values(list(keys), kind="stable").drop(columns=list(keys))
            .reset_index(drop=True))


def table_name(columns: Sequence[str]) -> str:
    """``()`` -> ``"overall"``, ``("department",)`` -> ``"department"``,
    ``("department", "location")`` -> ``"department x location"``."""
    return " x ".join(columns) if columns else OVERALL


def group_keys(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Group columns as text, blanks as :data:`MISSING_GROUP`."""
    out = {}
    for c in columns:
        s = frame[c]
        out[c] = s.astype(object).where(s.notna(), MISSING_GROUP).astype(str).to_numpy()
    return pd.DataFrame(out, index=frame.index)


def _read_headcount(headcount, key_columns: Sequence[str]) -> pd.DataFrame | None:
    if headcount is None:
        return None
    from nps_kit.engines.dispatch import read_table

    label = "headcount table"
    if isinstance(headcount, (str, Path)):
        label = str(headcount)
        headcount = read_table(headcount)
    if not isinstance(headcount, pd.DataFrame):
        raise DataError(f"headcount must be a DataFrame or a file, got {type(headcount).__name__}")
    if "headcount" not in headcount.columns:
        raise DataError(f"{label}: column 'headcount' not found; the table has columns "
                        f"{list(headcount.columns)}; give one row per group with its headcount")
    keys = [c for c in headcount.columns if c != "headcount" and c in key_columns]
    if not keys:
        raise DataError(f"{label}: none of its columns {list(headcount.columns)} is a grouping "
                        f"column ({list(key_columns)}); name the group columns as in the responses")
    values = pd.to_numeric(headcount["headcount"], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0) | (values != np.round(values))
    if bad.any():
        rows = np.flatnonzero(bad)[:5]
        shown = ", ".join(f"row {i + 2}: {headcount['headcount'].iloc[i]!r}" for i in rows)
        raise DataError(f"{label}: column 'headcount' must hold whole numbers >= 0; {shown}; "
                        "fix these rows")
    out = group_keys(headcount, keys)
    out["headcount"] = values.astype(np.int64)
    out.attrs["label"] = label
    return out


@dataclass(frozen=True)
class ENPSReport:
    """eNPS overall and per grouping, with suppressed cells marked.

    Attributes
    ----------
    tables : mapping of table name -> DataFrame
        ``"overall"`` first, then one table per grouping (``"department"``,
        ``"department x location"``): the group columns, then :data:`RESULT_COLUMNS`. Suppressed
        rows have missing numbers (except the non-sensitive headcount), ``suppressed=True`` and
        a ``reason``.
    groupings : tuple of tuples of str
    min_group_size : int
    threshold_override : bool
        True when a threshold below 3 was allowed explicitly.
    method, confidence : str, float
        Interval method and level.
    n, enps, ci_low, ci_high, participation : float or None
        The overall figures (None when the whole survey is below the threshold).
    unmatched_headcount : DataFrame
        Groups (in the headcount's columns) with respondents but no headcount row; every group
        containing them has no participation.
    audit : DisclosureAudit
        The disclosure audit over every table of the report together
        (:func:`nps_kit.privacy.suppression.audit_publication`).
    """

    tables: Mapping[str, pd.DataFrame] = field(repr=False)
    groupings: tuple[tuple[str, ...], ...]
    min_group_size: int
    threshold_override: bool
    method: str
    confidence: float
    n: int | None
    enps: float | None
    ci_low: float | None
    ci_high: float | None
    participation: float | None
    unmatched_headcount: pd.DataFrame = field(repr=False)
    audit: DisclosureAudit | None = field(default=None, repr=False)

    def table(self, grouping: Grouping = OVERALL) -> pd.DataFrame:
        """One table (a copy) by name (``"department x location"``) or columns."""
        name = grouping if isinstance(grouping, str) else table_name(tuple(grouping))
        if name not in self.tables:
            raise ParameterError(f"no table {name!r}; the report has: {', '.join(self.tables)}")
        return self.tables[name].copy()

    @property
    def n_suppressed(self) -> int:
        """Number of suppressed cells over all tables."""
        return int(sum(t["suppressed"].sum() for t in self.tables.values()))

    @property
    def summary(self) -> pd.DataFrame:
        """All tables in one long frame: ``table``, ``group`` (values joined by " / "), then
        n, headcount, participation, enps, ci_low, ci_high, suppressed, reason."""
        parts = []
        for name, t in self.tables.items():
            cols = [c for c in t.columns if c not in RESULT_COLUMNS]
            group = (t[cols].astype(str).agg(" / ".join, axis=1) if cols
                     else pd.Series("all", index=t.index))
            keep = [c for c in ("n", "headcount", "participation", "enps", "ci_low", "ci_high",
                                "suppressed", "reason") if c in t.columns]
            parts.append(t[keep].assign(table=name, group=group.to_numpy()))
        out = pd.concat(parts, ignore_index=True)
        return out[["table", "group", *[c for c in out.columns if c not in ("table", "group")]]]

    def records(self) -> list[dict]:
        """Every row of every table as JSON-safe dicts (``null`` where suppressed), each with
        the ``table`` name: what the CLI prints and templates record."""
        from nps_kit.core.jsonable import to_jsonable

        out: list[dict] = []
        for name, t in self.tables.items():
            for row in to_jsonable(t):
                out.append({"table": name, **row})
        return out

    def display_table(self, grouping: Grouping = OVERALL, decimals: int = 1) -> pd.DataFrame:
        """A table for people: numbers as text, suppressed cells spelled out, never blank."""
        return format_table(self.table(grouping), decimals=decimals)

    def _repr_html_(self) -> str:
        return self.summary.to_html()


def format_table(table: pd.DataFrame, decimals: int = 1) -> pd.DataFrame:
    """Text version of a report table for people.

    eNPS is signed, the interval written "low to high", shares and participation in % with one
    decimal, counts with thousands separators. A suppressed row
    shows its reason in the ``n`` column ("fewer than 5 answers", or
    :data:`COMPLEMENTARY_LABEL`) and "suppressed" in every other number column: never a zero or
    a blank.
    """
    group_cols = [c for c in table.columns if c not in RESULT_COLUMNS]
    hidden = table["suppressed"].to_numpy(dtype=bool)
    reason = table["reason"].astype(object).where(table["reason"].notna(), "").to_numpy()
    reason = np.where(reason == COMPLEMENTARY_REASON, COMPLEMENTARY_LABEL, reason)

    def text(values, fmt, fill="suppressed"):
        out = np.array([fmt(v) if pd.notna(v) else "n/a" for v in values], dtype=object)
        return np.where(hidden, fill, out)

    f = f"{{:+.{decimals}f}}"
    show = {c: table[c].to_numpy() for c in group_cols}
    show["n"] = text(table["n"], lambda v: f"{int(v):,}", reason)
    if "headcount" in table.columns:
        show["headcount"] = [f"{int(v):,}" if pd.notna(v) else "n/a" for v in table["headcount"]]
        show["participation"] = text(table["participation"], lambda v: f"{100 * v:.1f}%")
    show["eNPS"] = text(table["enps"], f.format)
    pairs = zip(table["ci_low"].to_numpy(), table["ci_high"].to_numpy())
    interval = [f"{f.format(lo)} to {f.format(hi)}" if pd.notna(lo) else "n/a" for lo, hi in pairs]
    show["interval"] = np.where(hidden, "suppressed", np.array(interval, dtype=object))
    for c, label in (("promoter_share", "promoters"), ("detractor_share", "detractors")):
        show[label] = text(table[c], lambda v: f"{100 * v:.1f}%")
    return pd.DataFrame(show, index=table.index)


def _members(frame: pd.DataFrame, score: str, all_cols: list[str], tables: list[pd.DataFrame],
             columns: list[tuple[str, ...]]) -> tuple[np.ndarray, list[np.ndarray], np.ndarray]:
    """Finest cells (the crossing of every grouping column) and the finest cells of each
    published cell, with the table number of each published cell."""
    fine_t = summarize(frame, score, by=all_cols or None, method="wald")
    fine_t = fine_t[fine_t["n"] > 0].reset_index(drop=True)
    fine = fine_t[["detractors", "passives", "promoters"]].to_numpy(dtype=np.int64)
    members: list[np.ndarray] = []
    table_of: list[int] = []
    for it, (cols, t) in enumerate(zip(columns, tables)):
        if cols:
            keys = t[list(cols)].reset_index(drop=True).assign(_cell=np.arange(len(t)))
            joined = fine_t[list(cols)].assign(_fine=np.arange(len(fine_t))).merge(
                keys, on=list(cols), how="inner")
            per = joined.groupby("_cell")["_fine"].apply(np.asarray)
            members += [per.get(i, np.zeros(0, dtype=np.intp)).astype(np.intp)
                        for i in range(len(t))]
        else:
            members.append(np.arange(len(fine_t), dtype=np.intp))
        table_of += [it] * len(t)
    return fine, members, np.asarray(table_of)


def enps_report(
    data: pd.DataFrame,
    score: str,
    groups: Grouping | Sequence[Grouping] | None = None,
    *,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    headcount: pd.DataFrame | str | Path | None = None,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
    allow_below_3: bool = False,
    seed: int | None = 0,
) -> ENPSReport:
    """eNPS overall and by group with intervals, participation and anonymity protection.

    Parameters
    ----------
    data : DataFrame
        One row per respondent: a 0-10 ``score`` column (missing = no answer) and the group
        columns. Identifier columns are ignored and never copied into the result.
    score : str
        Score column.
    groups : str or list
        Groupings: each item a column (one table per column) or a list of columns (their
        crossing, e.g. ``["department", "location"]``). ``["department", "location",
        ["department", "location"]]`` gives three tables.
    min_group_size : int
        Anonymity threshold ``K``: groups with fewer respondents (with a score) are suppressed.
    headcount : DataFrame or path, optional
        Invited employees per group: a ``headcount`` column and group columns (any subset of the
        grouping columns, e.g. department and location). Participation = n / headcount is given
        for every table whose columns the headcount covers. Groups in the headcount without
        answers appear with n = 0 (suppressed).
    method : {"adjusted-wald", "wald", "score", "bootstrap", "bayes"}
        Interval method (:mod:`nps_kit.core.intervals`).
    confidence : float
        Interval level.
    allow_below_3 : bool
        Permit ``min_group_size`` 1 or 2; recorded as ``threshold_override`` in the result.
    seed : int
        Seed of the resampling interval methods.

    Returns
    -------
    ENPSReport

    Notes
    -----
    eNPS = 100 (promoters - detractors) / n, promoters scoring 9-10 and detractors 0-6 (as for
    NPS). Blank group values form a group "(not given)". Suppression: primary (n < K) and
    complementary, over all tables at once (:func:`nps_kit.privacy.suppression.suppress_publication`): a
    suppressed group's n, counts and eNPS cannot be worked out from what is published.

    Examples
    --------
    >>> df = pd.DataFrame({"score": [9, 10, 3, 8, 9, 7, 10, 2, 6, 9, 10, 9],
    ...                    "team": list("aaaaabbbbbcc")})
    >>> r = enps_report(df, "score", "team")
    >>> r.table("team")[["team", "n", "enps", "suppressed"]]
      team     n  enps  suppressed
    0    a  <NA>   NaN        True
    1    b     5   0.0       False
    2    c  <NA>   NaN        True
    >>> r.table("team")["reason"].tolist()[::2]
    ['suppressed so that another group cannot be worked out by subtraction', 'fewer than 5 answers']
    """
    check_option("method", method, METHODS)
    confidence = check_confidence(confidence)
    k = check_threshold(min_group_size, allow_below_3)
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"enps_report needs a DataFrame, got {type(data).__name__}")
    groupings = normalise_groupings(groups)
    all_cols = grouping_columns(groupings)
    missing = [c for c in [score, *all_cols] if c not in data.columns]
    if missing:
        raise DataError(f"column(s) {missing} not found; the data has columns {list(data.columns)}")
    frame = group_keys(data, all_cols).assign(**{score: data[score].to_numpy()})
    hc = _read_headcount(headcount, all_cols)

    columns = [()] + groupings
    tables: list[pd.DataFrame] = []
    unmatched_frame = pd.DataFrame()
    if hc is not None:
        hc_keys = [c for c in hc.columns if c != "headcount"]
        known = hc[hc_keys].drop_duplicates().assign(_known=True)
        matched = frame[hc_keys].merge(known, on=hc_keys, how="left")["_known"].notna().to_numpy()
        frame = frame.assign(_no_headcount=~matched)
        unmatched_frame = (frame.loc[~matched, hc_keys].drop_duplicates()
                           .sort_values(hc_keys).reset_index(drop=True))
    for cols in columns:
        counted = summarize(frame, score, by=list(cols) or None, method="wald")
        t = counted[[*cols, "n", "detractors", "passives", "promoters"]].reset_index(drop=True)
        if hc is not None and set(cols) <= set(hc.columns):
            # a group holding anyone without a headcount row has no known headcount
            if cols:
                per = hc.groupby(list(cols), sort=True)["headcount"].sum().reset_index()
                gaps = frame.loc[frame["_no_headcount"], list(cols)].drop_duplicates()
                t = t.merge(per, on=list(cols), how="outer", sort=True)
                gap = t[list(cols)].merge(gaps.assign(_gap=True), on=list(cols), how="left")["_gap"]
                t.loc[gap.notna().to_numpy(), "headcount"] = np.nan
            else:
                t = t.assign(headcount=np.nan if frame["_no_headcount"].any()
                             else int(hc["headcount"].sum()))
            for c in ("n", "detractors", "passives", "promoters"):
                t[c] = t[c].fillna(0).astype(np.int64)
            t["headcount"] = t["headcount"].astype("Int64")
            over = t["headcount"].notna() & (t["n"] > t["headcount"].fillna(0))
            if over.any():
                shown = t.loc[over, [*cols, "n", "headcount"]].head(5).to_dict("records")
                raise DataError(
                    f"{hc.attrs.get('label', 'headcount')}: fewer people invited than answered "
                    f"for {table_name(cols)}: {shown}; check the headcount file"
                )
        tables.append(_reading_order(t, list(cols)))

    offsets = np.cumsum([0] + [len(t) for t in tables])
    fine, members, table_of = _members(frame, score, all_cols, tables, columns)
    counts = np.vstack([t[["detractors", "passives", "promoters"]].to_numpy(dtype=np.int64)
                        for t in tables])
    heads = np.concatenate([
        t["headcount"].to_numpy(dtype=float, na_value=np.nan) if "headcount" in t.columns
        else np.full(len(t), np.nan) for t in tables
    ])
    hidden, why, audit = suppress_publication(fine, members, table_of, k, heads)
    d, a, p = counts[:, 0], counts[:, 1], counts[:, 2]
    n = counts.sum(axis=1)
    ok = n > 0
    est = {key: np.full(len(n), np.nan) for key in ("nps", "low", "high")}
    if ok.any():
        res = interval_arrays(d[ok], a[ok], p[ok], method, confidence, seed=seed)
        for key in est:
            est[key][ok] = res[key]
        est["nps"][ok] = 100.0 * (p[ok] - d[ok]) / n[ok]
    reason_text = np.select([why == PRIMARY, why == COMPLEMENTARY],
                            [primary_reason(k), COMPLEMENTARY_REASON], default="")

    out: dict[str, pd.DataFrame] = {}
    for cols, t, start in zip(columns, tables, offsets[:-1]):
        sl = slice(int(start), int(start) + len(t))
        hid = hidden[sl]
        nn = n[sl].astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            cells = {
                "n": n[sl], "detractors": d[sl], "passives": a[sl], "promoters": p[sl],
                "detractor_share": d[sl] / nn, "passive_share": a[sl] / nn,
                "promoter_share": p[sl] / nn, "enps": est["nps"][sl], "ci_low": est["low"][sl],
                "ci_high": est["high"][sl],
            }
            if "headcount" in t.columns:
                hcv = t["headcount"].to_numpy(dtype=float, na_value=np.nan)
                cells["participation"] = np.where(hcv > 0, nn / np.where(hcv > 0, hcv, 1), np.nan)
        table = t[list(cols)].copy() if cols else pd.DataFrame(index=range(len(t)))
        for c in RESULT_COLUMNS:
            if c == "headcount":
                if "headcount" in t.columns:
                    table[c] = t["headcount"].to_numpy()
                continue
            if c == "participation" and "participation" not in cells:
                continue
            if c == "suppressed":
                table[c] = hid
            elif c == "reason":
                table[c] = pd.array(np.where(hid, reason_text[sl], None), dtype="str")
            elif c in ("n", "detractors", "passives", "promoters"):
                table[c] = pd.array(np.where(hid, pd.NA, cells[c]).tolist(), dtype="Int64")
            else:
                table[c] = np.where(hid, np.nan, cells[c])
        out[table_name(cols)] = table

    overall = out[OVERALL].iloc[0]

    def num(v):
        return None if pd.isna(v) else float(v)

    return ENPSReport(
        tables=MappingProxyType(out), groupings=tuple(groupings), min_group_size=k,
        threshold_override=k < LOWEST_THRESHOLD, method=method, confidence=confidence,
        n=None if pd.isna(overall["n"]) else int(overall["n"]), enps=num(overall["enps"]),
        ci_low=num(overall["ci_low"]), ci_high=num(overall["ci_high"]),
        participation=num(overall["participation"]) if "participation" in overall else None,
        unmatched_headcount=unmatched_frame, audit=audit,
    )


__all__ = [
    "check_threshold", "COMPLEMENTARY_LABEL", "COMPLEMENTARY_REASON", "DEFAULT_MIN_GROUP_SIZE",
    "enps_report", "ENPSReport", "format_table", "group_keys", "Grouping", "grouping_columns",
    "LOWEST_THRESHOLD", "MISSING_GROUP", "normalise_groupings", "OVERALL", "primary_reason",
    "RESULT_COLUMNS", "table_name",
]
