"""Comments and comment themes of an eNPS report, only from groups large enough to show.

A comment is shown only when the respondent's group is published in *every* table of the
report (overall, each grouping and each crossing): a comment listed under "Sales" could still
point at "Sales / Toronto" if that crossing is suppressed, since comments often name a place or
team. Shown comments are redacted with :func:`nps_kit.privacy.redact.redact` (e-mail addresses, phone
numbers, and the names of an optional stop list) and sorted by group and text, so their order
carries nothing from the file. No identifiers are returned.

Theme shares (:func:`nps_kit.themes.statistics.theme_frequencies`) are computed from the same eligible
comments only, so subtracting a group's theme counts from the total reveals nothing about a
suppressed group.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from nps_kit.core.safetext import display_text, markup_join
from nps_kit.enps.report import (
    OVERALL,
    RESULT_COLUMNS,
    ENPSReport,
    Grouping,
    group_keys,
    table_name,
)
from nps_kit.errors import DataError, ParameterError
from nps_kit.core.columns import as_columns


def eligible_rows(report: ENPSReport, data: pd.DataFrame) -> pd.Series:
    """True for respondents whose group is published in every table of ``report``.

    Parameters
    ----------
    report : ENPSReport
        Made from ``data`` (same group columns).
    data : DataFrame
        The responses.

    Returns
    -------
    Series of bool, indexed like ``data``.
    """
    cols = list(dict.fromkeys(c for g in report.groupings for c in g))
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise DataError(f"column(s) {missing} of the report are not in the data; "
                        "pass the responses the report was made from")
    keys = group_keys(data, cols)
    ok = np.ones(len(data), dtype=bool)
    for name, table in report.tables.items():
        group_cols = [c for c in table.columns if c not in RESULT_COLUMNS]
        shown = ~table["suppressed"].to_numpy(dtype=bool)
        if not group_cols:
            ok &= bool(shown[0])
            continue
        lookup = table[group_cols].assign(_shown=shown)
        merged = keys[group_cols].merge(lookup, on=group_cols, how="left")
        ok &= merged["_shown"].fillna(False).to_numpy(dtype=bool)
    return pd.Series(ok, index=data.index, name="eligible")


def _by_columns(report: ENPSReport, by: Grouping | None) -> list[str]:
    if by is None or by == OVERALL:
        return []
    cols = as_columns(by)
    if table_name(cols) not in report.tables and not any(set(cols) == set(g) for g in report.groupings):
        raise ParameterError(
            f"by={by!r} is not a grouping of the report; use one of: "
            + ", ".join(repr(t) for t in report.tables)
        )
    return cols


def enps_comments(
    report: ENPSReport,
    data: pd.DataFrame,
    comment: str,
    by: Grouping | None = None,
    names: Iterable[str] = (),
    per_group: int | None = None,
) -> pd.DataFrame:
    """Redacted comments from groups large enough to show, listed by group.

    Parameters
    ----------
    report : ENPSReport
        The report made from ``data``; decides which groups are shown.
    data : DataFrame
        The responses.
    comment : str
        Comment column.
    by : str or list of str, optional
        A grouping of the report to list the comments under (default: none).
    names : iterable of str
        Names to hide (a stop list of staff names), besides e-mail addresses and phone numbers.
    per_group : int, optional
        Show at most this many comments per group (the first in sorted order).

    Returns
    -------
    DataFrame
        The ``by`` columns and ``comment`` (redacted), sorted; blank comments left out.
    """
    from nps_kit.privacy.redact import redact

    if comment not in data.columns:
        raise DataError(f"comment column {comment!r} not found; the data has columns "
                        f"{list(data.columns)}")
    cols = _by_columns(report, by)
    text = data[comment]
    blank = text.isna() | text.astype(object).where(text.notna(), "").astype(str).str.strip().eq("")
    keep = eligible_rows(report, data).to_numpy() & ~blank.to_numpy()
    out = group_keys(data.loc[keep], cols).reset_index(drop=True)
    out["comment"] = redact(text.loc[keep].astype(str).reset_index(drop=True), names=names).to_numpy()
    out = out.sort_values([*cols, "comment"], kind="stable", ignore_index=True)
    if per_group is not None:
        rank = out.groupby(cols, sort=False).cumcount() if cols else pd.Series(range(len(out)))
        out = out.loc[rank.to_numpy() < per_group].reset_index(drop=True)
    return out


def enps_themes(
    report: ENPSReport,
    data: pd.DataFrame,
    comment: str,
    by: Grouping | None = None,
    codebook="starter:enps",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Share of comments per theme, by group, from groups large enough to show.

    Parameters
    ----------
    report, data, comment, by
        As for :func:`enps_comments`.
    codebook : Codebook or str
        Default: the starter eNPS codebook (``nps_kit/themes/codebooks/enps.yaml``).
    confidence : float
        Level of the Wilson intervals of the shares.

    Returns
    -------
    DataFrame
        :func:`nps_kit.themes.statistics.theme_frequencies` on the eligible comments: the ``by`` columns,
        ``theme``, ``n`` (comments), ``comments`` (mentioning the theme), ``share``, ``ci_low``,
        ``ci_high``, ``confidence``.
    """
    from nps_kit.themes.statistics import theme_frequencies

    if comment not in data.columns:
        raise DataError(f"comment column {comment!r} not found; the data has columns "
                        f"{list(data.columns)}")
    cols = _by_columns(report, by)
    keep = eligible_rows(report, data).to_numpy()
    frame = group_keys(data.loc[keep], cols).assign(**{comment: data.loc[keep, comment].to_numpy()})
    return theme_frequencies(frame, comment, by=cols or None, codebook=codebook,
                             confidence=confidence)


def anonymity_note(report: ENPSReport) -> str:
    """A short Markdown note on how this report protects anonymity, with its own figures."""
    k = report.min_group_size
    tables = [t for t in report.tables if t != OVERALL]
    n_primary = sum(int(t["reason"].astype(str).str.startswith("fewer than").sum())
                    for t in report.tables.values())
    n_comp = report.n_suppressed - n_primary
    lines = [
        f"**How anonymity is protected.** Results are shown only for groups with at least {k} "
        "answers; smaller groups are marked *fewer than "
        f"{k} answers* in every table, figure and exported result, never shown as zero or blank.",
        "Because totals are published, a hidden group could otherwise be worked out by "
        "subtraction (total minus the other groups, or across overlapping groupings"
        + (f": {markup_join(tables)}" if tables else "") + "). Further groups are therefore hidden "
        "as well, marked *suppressed to protect another group*; "
        "the kit checks that no hidden group's number of answers, counts of promoters, passives "
        "and detractors, or eNPS can be recovered from what is shown.",
        f"In this report {n_primary} group(s) are below the threshold and {n_comp} more are "
        "hidden to protect them. Participation is hidden wherever the answers are.",
        *([report.audit.sentence() + " The guarantee covers this one report: two reports of the "
           "same people (another wave, another choice of tables) can still be compared against "
           "each other, so check group sizes before sharing both."] if report.audit else []),
        "Comments are quoted only from respondents whose groups are shown in every table, with "
        "e-mail addresses, phone numbers and listed names removed; comment themes use the same "
        "comments. No respondent identifiers appear in the report.",
    ]
    if report.threshold_override:
        lines.insert(0, f"**Warning: the threshold was lowered to {k} by an explicit override** "
                        "(below the minimum of 3); individual answers may be recognisable.")
    return "\n\n".join(lines)


def comments_html(comments: pd.DataFrame) -> str:
    """The comments table as HTML with every comment in full (pandas would cut long text).

    Every cell goes through :func:`nps_kit.core.safetext.display_text`, so a comment cannot inject
    markup into the report.
    """
    safe = comments.map(lambda v: display_text(v, "html", None))
    safe.columns = [display_text(c, "html", None) for c in comments.columns]
    with pd.option_context("display.max_colwidth", None):
        return safe.to_html(index=False, escape=False, border=0)


def theme_share_table(themes: pd.DataFrame) -> pd.DataFrame:
    """Wide view of :func:`enps_themes`: one row per group, one column per theme, share in %
    (one decimal).

    The last column, ``comments``, is the number of comments the shares are taken of.
    """
    group_cols = [c for c in themes.columns
                  if c not in ("theme", "n", "comments", "share", "ci_low", "ci_high", "confidence")]
    if not group_cols:
        themes = themes.assign(group="all")
        group_cols = ["group"]
    order = list(dict.fromkeys(themes["theme"]))
    wide = themes.pivot_table(index=group_cols, columns="theme", values="share", sort=True)
    wide = (100 * wide[order]).map(lambda v: f"{v:.1f}%" if pd.notna(v) else "n/a")
    wide["comments"] = themes.groupby(group_cols)["n"].first()
    wide.columns.name = None
    return wide.reset_index()


__all__ = [
    "anonymity_note", "comments_html", "eligible_rows", "enps_comments", "enps_themes",
    "theme_share_table",
]
