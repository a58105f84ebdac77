"""Coding open answers into themes and comparing the themes by category, wave and segment.

The number says how many; the comments say why. A codebook (:mod:`nps_kit.codebook`) turns each
comment into yes/no flags, one per theme; a comment can carry several themes, and non-blank
comments that match none are *uncoded* and listed so the codebook can grow.

Shares are fractions (0..1) of the non-blank comments in a group: a respondent without a
comment says nothing about themes and is left out of every denominator (the counts of blank
comments are reported by :func:`coding_summary`). Intervals for shares are Wilson score
intervals (Wilson 1927). The *lift* of a theme is its share among detractors divided by its
share among promoters; a lift above 1 means detractors mention the theme more often. Each lift
comes with Fisher's exact test (or a two-proportion z test) and p-values adjusted across themes
with Holm's step-down method (Holm 1979).

References
----------
Wilson, E. B. (1927), "Probable inference, the law of succession, and statistical inference",
JASA 22, 209-212.
Holm, S. (1979), "A simple sequentially rejective multiple test procedure", Scandinavian Journal
of Statistics 6, 65-70.
Newcombe, R. G. (1998), "Interval estimation for the difference between independent
proportions: comparison of eleven methods", Statistics in Medicine 17, 873-890.
Katz, D., Baptista, J., Azen, S. P. and Pike, M. C. (1978), "Obtaining confidence intervals for
the risk ratio in cohort studies", Biometrics 34, 469-474.
"""

from __future__ import annotations

import warnings

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

from nps_kit.codebook import Codebook, load_codebook, normalize_text
from nps_kit.errors import DataError, check_confidence, check_option
from nps_kit.redact import EMAIL_PATTERN, redact
from nps_kit.scores import CATEGORIES, classify

TESTS: tuple[str, ...] = ("fisher", "z")
"""Tests of a difference between two shares: Fisher's exact test or the pooled z test."""

ADJUSTMENTS: tuple[str, ...] = ("holm", "fdr_bh", "bonferroni", "none")
"""P-value adjustments across themes (statsmodels ``multipletests`` names; ``none`` = raw)."""

PAIRS: tuple[str, ...] = ("all", "last")
"""Which consecutive waves :func:`theme_changes` compares."""

CATEGORY = "category"
"""Name of the derived detractor/passive/promoter column when a score column is given."""

UNCODED = "(uncoded)"
"""Theme label of comments that match no theme."""


# --------------------------------------------------------------------------------------------
# coding
# --------------------------------------------------------------------------------------------

def _require(data: pd.DataFrame, columns: Iterable[str | None]) -> None:
    missing = [c for c in columns if c is not None and c not in data.columns]
    if missing:
        raise DataError(
            f"data: column(s) {', '.join(map(repr, missing))} not found; the data has columns: "
            + ", ".join(map(repr, data.columns))
        )


def answered(data: pd.DataFrame, comment: str) -> pd.Series:
    """True where the comment is non-blank (not missing, not only spaces)."""
    _require(data, [comment])
    s = data[comment]
    return s.notna() & s.astype(object).where(s.notna(), "").astype(str).str.strip().ne("")


def code_comments(data: pd.DataFrame, comment: str,
                  codebook: Codebook | str | None = None) -> pd.DataFrame:
    """Flag the themes each comment mentions.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    comment : str
        Column with the open answers.
    codebook : Codebook, str or None
        A loaded codebook, a YAML path, ``"starter:enps"``; None = the customer starter codebook.

    Returns
    -------
    DataFrame
        Same index as ``data``; one boolean column per theme (codebook order). Blank comments
        are False everywhere.

    Notes
    -----
    Comments are normalised once (NFKC, casefold, diacritics folded unless the codebook says
    ``accents: keep``); each theme's keywords and patterns are one compiled regex applied with
    ``Series.str.contains`` to the distinct texts, so the work is one vectorised pass per
    theme. E-mail addresses
    are removed before matching, so a name inside an address cannot trigger a theme.

    Examples
    --------
    >>> df = pd.DataFrame({"c": ["Too expensive and delivery was late", "", "Nice"]})
    >>> code_comments(df, "c")[["price/value", "delivery/shipping"]].sum().tolist()
    [1, 1]
    """
    cb = load_codebook(codebook)
    _require(data, [comment])
    # each distinct text is normalised and matched once (answers repeat: "good", "too expensive")
    raw = data[comment]
    codes, uniques = pd.factorize(raw.astype(object).where(raw.notna(), "").astype(str))
    uniques = pd.Series(uniques, dtype=object)
    blank = uniques.str.strip().eq("").to_numpy()
    # e-mail addresses carry names, not themes ("omar.costa@..." is not about cost)
    text = normalize_text(uniques, cb.accents).astype(object).str.replace(EMAIL_PATTERN, " ", regex=True)
    flags = {}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*has match groups.*", category=UserWarning)
        for name, rx in cb.regexes.items():  # a loop over themes, vectorised over comments
            hit = text.str.contains(rx, regex=True).to_numpy(dtype=bool) & ~blank
            flags[name] = hit[codes]
    return pd.DataFrame(flags, index=data.index, columns=cb.theme_names)


@dataclass(frozen=True)
class CodingSummary:
    """How much of a comment column a codebook codes.

    Attributes
    ----------
    rows : int
        Rows in the data.
    blank : int
        Rows without a comment.
    comments : int
        Non-blank comments (``rows - blank``).
    coded : int
        Comments with at least one theme.
    uncoded : int
        Comments with no theme.
    multi_theme : int
        Comments with two or more themes.
    coded_share : float
        ``coded / comments`` (NaN without comments).
    """

    rows: int
    blank: int
    comments: int
    coded: int
    uncoded: int
    multi_theme: int
    coded_share: float

    @property
    def summary(self) -> pd.DataFrame:
        """One-row table of the counts."""
        return pd.DataFrame([{
            "rows": self.rows, "blank": self.blank, "comments": self.comments,
            "coded": self.coded, "uncoded": self.uncoded, "multi_theme": self.multi_theme,
            "coded_share": self.coded_share,
        }])

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def coding_summary(data: pd.DataFrame, comment: str,
                   codebook: Codebook | str | None = None) -> CodingSummary:
    """Count blank, coded, uncoded and multi-theme comments.

    Examples
    --------
    >>> df = pd.DataFrame({"c": ["Too expensive", None, "Hello", "price and support"]})
    >>> coding_summary(df, "c").uncoded
    1
    """
    flags = code_comments(data, comment, codebook)
    has = answered(data, comment)
    k = flags.sum(axis=1)
    n_comments = int(has.sum())
    coded = int((k > 0).sum())
    return CodingSummary(
        rows=int(len(data)), blank=int(len(data) - n_comments), comments=n_comments,
        coded=coded, uncoded=n_comments - coded, multi_theme=int((k > 1).sum()),
        coded_share=coded / n_comments if n_comments else float("nan"),
    )


def uncoded_comments(data: pd.DataFrame, comment: str,
                     codebook: Codebook | str | None = None) -> pd.DataFrame:
    """The non-blank comments no theme matched, for growing the codebook (not redacted).

    Returns
    -------
    DataFrame
        The rows of ``data`` (index kept, e.g. file row numbers) with just the comment column.
        For a shareable report use :func:`uncoded_examples`, which redacts.
    """
    flags = code_comments(data, comment, codebook)
    mask = answered(data, comment) & ~flags.any(axis=1)
    return data.loc[mask, [comment]]


# --------------------------------------------------------------------------------------------
# frequencies
# --------------------------------------------------------------------------------------------

def _with_category(data: pd.DataFrame, score: str | None, by: list[str]) -> pd.DataFrame:
    if score is None:
        if CATEGORY in by and CATEGORY not in data.columns:
            raise DataError(
                f"data: grouping by {CATEGORY!r} needs the score column (score=...) or a "
                f"{CATEGORY!r} column"
            )
        return data
    _require(data, [score])
    return data.assign(**{CATEGORY: classify(data[score])})


def _as_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _wilson(count: np.ndarray, nobs: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    count = np.asarray(count, dtype=float)
    nobs = np.asarray(nobs, dtype=float)
    low = np.full(count.shape, np.nan)
    high = np.full(count.shape, np.nan)
    ok = nobs > 0
    if ok.any():
        lo, hi = proportion_confint(count[ok], nobs[ok], alpha=1 - confidence, method="wilson")
        share = count[ok] / nobs[ok]
        # rounding can leave an end a hair on the wrong side of 0, 1 or the share itself
        low[ok] = np.clip(np.minimum(lo, share), 0, 1)
        high[ok] = np.clip(np.maximum(hi, share), 0, 1)
    return low, high


def theme_frequencies(
    data: pd.DataFrame,
    comment: str,
    by: str | Sequence[str] | None = None,
    *,
    score: str | None = None,
    codebook: Codebook | str | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Share of comments mentioning each theme, overall or per group, with Wilson intervals.

    Parameters
    ----------
    data : DataFrame
    comment : str
        Comment column.
    by : str or list of str, optional
        Group columns (wave, segment, ...). ``"category"`` groups by detractor / passive /
        promoter when ``score`` is given.
    score : str, optional
        0-10 score column; adds the derived ``category`` column (respondents without a score
        fall out of category groups).
    codebook : Codebook, str or None
        See :func:`code_comments`.
    confidence : float
        Level of the intervals.

    Returns
    -------
    DataFrame
        One row per group and theme: the group columns, ``theme``, ``n`` (non-blank comments
        in the group), ``comments`` (those mentioning the theme), ``share = comments / n``,
        ``ci_low``, ``ci_high`` (Wilson score interval, Wilson 1927) and ``confidence``.

    Examples
    --------
    >>> df = pd.DataFrame({"c": ["expensive", "late delivery", "price!", None], "s": [3, 5, 10, 9]})
    >>> t = theme_frequencies(df, "c", score="s")
    >>> row = t.set_index("theme").loc["price/value"]
    >>> int(row.n), int(row.comments), round(float(row.share), 4)
    (3, 2, 0.6667)
    """
    conf = check_confidence(confidence)
    cb = load_codebook(codebook)
    groups = _as_list(by)
    frame = _with_category(data, score, groups)
    _require(frame, [comment, *groups])
    flags = code_comments(frame, comment, cb)
    has = answered(frame, comment)
    flags = flags.loc[has.to_numpy()]
    keys = [frame.loc[has.to_numpy(), g] for g in groups]
    if groups:
        grouped = flags.groupby(keys, observed=True, dropna=True, sort=True)
        hits = grouped.sum()
        n = grouped.size()
        table = hits.stack(future_stack=True).rename("comments").reset_index()
        table = table.rename(columns={table.columns[len(groups)]: "theme"})
        table["n"] = n.reindex(pd.MultiIndex.from_frame(table[groups]) if len(groups) > 1
                               else pd.Index(table[groups[0]])).to_numpy()
    else:
        table = pd.DataFrame({"theme": cb.theme_names, "comments": flags.sum().to_numpy(),
                              "n": len(flags)})
    table["comments"] = table["comments"].astype(np.int64)
    table["n"] = table["n"].astype(np.int64)
    share = np.where(table["n"] > 0, table["comments"] / table["n"].where(table["n"] > 0, 1), np.nan)
    low, high = _wilson(table["comments"].to_numpy(), table["n"].to_numpy(), conf)
    table = table.assign(share=share, ci_low=low, ci_high=high, confidence=conf)
    table["theme"] = pd.Categorical(table["theme"], categories=cb.theme_names)
    table = table.sort_values([*groups, "theme"], kind="stable").reset_index(drop=True)
    table["theme"] = table["theme"].astype(object)
    return table[[*groups, "theme", "n", "comments", "share", "ci_low", "ci_high", "confidence"]]


# --------------------------------------------------------------------------------------------
# tests
# --------------------------------------------------------------------------------------------

def _two_share_p(a: int, n1: int, b: int, n2: int, test: str) -> float:
    """Two-sided p-value for share a/n1 against b/n2."""
    if n1 == 0 or n2 == 0:
        return float("nan")
    if test == "fisher":
        return float(fisher_exact([[a, n1 - a], [b, n2 - b]], alternative="two-sided").pvalue)
    if a + b == 0 or a + b == n1 + n2:
        return 1.0  # both shares 0 or both 1: no evidence of a difference
    return float(proportions_ztest(np.array([a, b]), np.array([n1, n2]))[1])


def _adjust(p: np.ndarray, method: str) -> np.ndarray:
    out = np.full(len(p), np.nan)
    ok = np.isfinite(p)
    if method == "none":
        out[ok] = p[ok]
    elif ok.any():
        out[ok] = multipletests(p[ok], method=method)[1]
    return out


def theme_lift(
    data: pd.DataFrame,
    comment: str,
    score: str,
    *,
    codebook: Codebook | str | None = None,
    test: str = "fisher",
    adjust: str = "holm",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """How much more often detractors mention each theme than promoters, with tests.

    For theme t with a_t of n_D detractor comments and b_t of n_P promoter comments:
    ``share_detractors = a_t / n_D``, ``share_promoters = b_t / n_P`` and
    ``lift = share_detractors / share_promoters`` (infinite when only detractors mention it).
    The interval of the lift is Katz et al.'s (1978) log interval (when a_t and b_t are both
    positive). The p-value tests equal shares with Fisher's exact test on the 2x2 table
    (``test="fisher"``) or the pooled two-proportion z test (``"z"``); ``p_adjusted`` adjusts
    across themes (Holm 1979 by default).

    Parameters
    ----------
    data : DataFrame
    comment, score : str
        Comment column and 0-10 score column.
    codebook : Codebook, str or None
        See :func:`code_comments`.
    test : {"fisher", "z"}
    adjust : {"holm", "fdr_bh", "bonferroni", "none"}
    confidence : float
        Level of the lift interval.

    Returns
    -------
    DataFrame
        One row per theme: ``theme``, ``n`` (non-blank comments, every category and blank
        scores included), ``comments``, ``share``, ``detractors`` and ``detractor_comments``,
        ``share_detractors``, ``promoters`` and ``promoter_comments``, ``share_promoters``,
        ``lift``, ``lift_low``, ``lift_high``, ``p_value``, ``p_adjusted``, ``test``, ``adjust``.

    Examples
    --------
    >>> df = pd.DataFrame({"c": ["too expensive"] * 8 + ["great support"] * 8,
    ...                    "s": [2] * 8 + [10] * 8})
    >>> lift = theme_lift(df, "c", "s")
    >>> float(lift.loc[lift.theme == "price/value", "p_value"].iloc[0]) < 0.001
    True
    """
    check_option("test", test, TESTS)
    check_option("adjust", adjust, ADJUSTMENTS)
    conf = check_confidence(confidence)
    cb = load_codebook(codebook)
    _require(data, [comment, score])
    flags = code_comments(data, comment, cb)
    has = answered(data, comment).to_numpy()
    cat = np.asarray(classify(data[score]).astype(object))
    det = has & (cat == CATEGORIES[0])
    pro = has & (cat == CATEGORIES[2])
    m = flags.to_numpy(dtype=bool)
    n_all, n_d, n_p = int(has.sum()), int(det.sum()), int(pro.sum())
    hits = m[has].sum(axis=0)
    a = m[det].sum(axis=0)
    b = m[pro].sum(axis=0)
    share_d = a / n_d if n_d else np.full(len(a), np.nan)
    share_p = b / n_p if n_p else np.full(len(b), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        lift = np.where((share_p == 0) & (share_d == 0), np.nan, share_d / share_p)
    low = np.full(len(a), np.nan)
    high = np.full(len(a), np.nan)
    p = np.full(len(a), np.nan)
    for j in range(len(a)):  # a loop over themes
        p[j] = _two_share_p(int(a[j]), n_d, int(b[j]), n_p, test)
        if a[j] > 0 and b[j] > 0:
            low[j], high[j] = confint_proportions_2indep(
                int(a[j]), n_d, int(b[j]), n_p, method="log", compare="ratio", alpha=1 - conf)
    return pd.DataFrame({
        "theme": cb.theme_names, "n": n_all, "comments": hits.astype(np.int64),
        "share": hits / n_all if n_all else np.nan,
        "detractors": n_d, "detractor_comments": a.astype(np.int64), "share_detractors": share_d,
        "promoters": n_p, "promoter_comments": b.astype(np.int64), "share_promoters": share_p,
        "lift": lift, "lift_low": low, "lift_high": high,
        "p_value": p, "p_adjusted": _adjust(p, adjust), "test": test, "adjust": adjust,
    })


def _wave_order(values: pd.Series, waves: Sequence | None) -> list:
    present = pd.unique(values.dropna())
    if waves is not None:
        order = list(waves)
        unknown = [w for w in present if w not in order]
        if unknown:
            raise DataError(f"data: wave value(s) {unknown[:5]} are not in waves={order}; "
                            "list every wave in order")
        return [w for w in order if w in set(present)]
    if isinstance(values.dtype, pd.CategoricalDtype):
        return [w for w in values.cat.categories if w in set(present)]
    return sorted(present)


def theme_changes(
    data: pd.DataFrame,
    comment: str,
    wave: str,
    *,
    codebook: Codebook | str | None = None,
    waves: Sequence | None = None,
    test: str = "z",
    adjust: str = "holm",
    confidence: float = 0.95,
    pairs: str = "all",
) -> pd.DataFrame:
    """Themes that grew or shrank from each wave to the next.

    For each pair of consecutive waves and each theme: the change in share
    ``share_wave - share_previous`` with Newcombe's (1998) hybrid score interval, a two-sided
    test of equal shares (z test or Fisher's exact test) and p-values adjusted across the themes
    of that pair (Holm 1979 by default). ``direction`` is ``"grew"`` / ``"shrank"`` when the
    adjusted p-value is below ``1 - confidence``, else ``"no clear change"``.

    Parameters
    ----------
    data : DataFrame
    comment, wave : str
        Comment and wave columns.
    codebook : Codebook, str or None
    waves : sequence, optional
        Wave order; default the categorical order, else sorted values ("2024-H1" < "2024-H2").
    test : {"z", "fisher"}
    adjust : {"holm", "fdr_bh", "bonferroni", "none"}
    confidence : float
    pairs : {"all", "last"}
        Every pair of consecutive waves, or only the last wave against the one before.

    Returns
    -------
    DataFrame
        ``wave``, ``previous_wave``, ``theme``, ``n``, ``comments``, ``share``, ``previous_n``,
        ``previous_comments``, ``previous_share``, ``change``, ``change_low``, ``change_high``,
        ``p_value``, ``p_adjusted``, ``direction``; empty with one wave.
    """
    check_option("test", test, TESTS)
    check_option("adjust", adjust, ADJUSTMENTS)
    check_option("pairs", pairs, PAIRS)
    conf = check_confidence(confidence)
    cb = load_codebook(codebook)
    _require(data, [comment, wave])
    order = _wave_order(data[wave], waves)
    if pairs == "last":
        order = order[-2:]
        data = data[data[wave].isin(order).to_numpy()]
    freq = theme_frequencies(data, comment, by=wave, codebook=cb, confidence=conf)
    cols = ["wave", "previous_wave", "theme", "n", "comments", "share", "previous_n",
            "previous_comments", "previous_share", "change", "change_low", "change_high",
            "p_value", "p_adjusted", "direction"]
    if len(order) < 2:
        return pd.DataFrame(columns=cols)
    freq = freq.rename(columns={wave: "wave"})
    cur = freq[freq["wave"].isin(order[1:])].copy()
    cur["previous_wave"] = cur["wave"].map(dict(zip(order[1:], order[:-1])))
    prev = freq[["wave", "theme", "n", "comments", "share"]].rename(columns={
        "wave": "previous_wave", "n": "previous_n", "comments": "previous_comments",
        "share": "previous_share"})
    table = cur.merge(prev, on=["previous_wave", "theme"], how="left")
    table["change"] = table["share"] - table["previous_share"]
    a, n1 = table["comments"].to_numpy(), table["n"].to_numpy()
    b, n2 = table["previous_comments"].to_numpy(), table["previous_n"].to_numpy()
    p = np.array([_two_share_p(int(x), int(y), int(u), int(v), test) for x, y, u, v in zip(a, n1, b, n2)])
    low = np.full(len(table), np.nan)
    high = np.full(len(table), np.nan)
    for i in np.flatnonzero((n1 > 0) & (n2 > 0)):  # a loop over wave pairs x themes
        low[i], high[i] = confint_proportions_2indep(
            int(a[i]), int(n1[i]), int(b[i]), int(n2[i]), method="newcomb", compare="diff",
            alpha=1 - conf)
    adjusted = np.full(len(table), np.nan)
    for w in order[1:]:
        idx = np.flatnonzero(table["wave"].to_numpy() == w)
        adjusted[idx] = _adjust(p[idx], adjust)
    alpha = 1 - conf
    direction = np.where(adjusted < alpha, np.where(table["change"] > 0, "grew", "shrank"),
                         "no clear change")
    table = table.assign(change_low=low, change_high=high, p_value=p, p_adjusted=adjusted,
                         direction=direction)
    table["_w"] = table["wave"].map({w: i for i, w in enumerate(order)})
    table["_t"] = table["theme"].map({t: i for i, t in enumerate(cb.theme_names)})
    table = table.sort_values(["_w", "_t"]).reset_index(drop=True)
    return table[cols]


def themes_by_wave(
    data: pd.DataFrame,
    comment: str,
    score: str | None,
    wave: str,
    codebook: Codebook | str | None = None,
    *,
    waves: Sequence | None = None,
    adjust: str = "holm",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """One table of themes per wave for wave-comparison reports.

    Parameters
    ----------
    data : DataFrame
    comment : str
        Comment column.
    score : str or None
        0-10 score column; None leaves out the detractor/promoter columns.
    wave : str
        Wave column.
    codebook : Codebook, str or None
        See :func:`code_comments`.
    waves : sequence, optional
        Wave order (see :func:`theme_changes`).
    adjust : {"holm", "fdr_bh", "bonferroni", "none"}
        Adjustment of the change p-values across themes within each wave.
    confidence : float

    Returns
    -------
    DataFrame
        One row per wave and theme: ``wave``, ``theme``, ``n``, ``comments``, ``share``,
        ``ci_low``, ``ci_high`` (Wilson), ``share_detractors``, ``share_promoters``, ``lift``
        (detractor share / promoter share within the wave; only with ``score``), and against the
        previous wave ``change``, ``change_low``, ``change_high``, ``p_adjusted`` and
        ``direction`` (missing for the first wave). See :func:`theme_frequencies`,
        :func:`theme_lift` and :func:`theme_changes` for the formulas.

    Examples
    --------
    >>> df = pd.DataFrame({"w": ["A", "A", "B", "B"], "s": [2, 10, 3, 9],
    ...                    "c": ["expensive", "great support", "expensive", "price ok"]})
    >>> themes_by_wave(df, "c", "s", "w").query("theme == 'price/value'")["share"].tolist()
    [0.5, 1.0]
    """
    conf = check_confidence(confidence)
    cb = load_codebook(codebook)
    _require(data, [comment, wave, score])
    order = _wave_order(data[wave], waves)
    freq = theme_frequencies(data, comment, by=wave, codebook=cb, confidence=conf)
    freq = freq.rename(columns={wave: "wave"}).drop(columns="confidence")
    if score is not None:
        by_cat = theme_frequencies(data, comment, by=[wave, CATEGORY], score=score, codebook=cb,
                                   confidence=conf)
        wide = by_cat.pivot_table(index=[wave, "theme"], columns=CATEGORY, values="share",
                                  observed=False, dropna=False).reset_index()
        wide = wide.rename(columns={wave: "wave"})
        for c in (CATEGORIES[0], CATEGORIES[2]):
            if c not in wide.columns:
                wide[c] = np.nan
        wide = wide.rename(columns={"detractor": "share_detractors", "promoter": "share_promoters"})
        freq = freq.merge(wide[["wave", "theme", "share_detractors", "share_promoters"]],
                          on=["wave", "theme"], how="left")
        d, pr = freq["share_detractors"].to_numpy(float), freq["share_promoters"].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            freq["lift"] = np.where((d == 0) & (pr == 0), np.nan, d / pr)
    changes = theme_changes(data, comment, wave, codebook=cb, waves=order, adjust=adjust,
                            confidence=conf)
    freq = freq.merge(changes[["wave", "theme", "change", "change_low", "change_high",
                               "p_adjusted", "direction"]], on=["wave", "theme"], how="left")
    freq["_w"] = freq["wave"].map({w: i for i, w in enumerate(order)})
    freq["_t"] = freq["theme"].map({t: i for i, t in enumerate(cb.theme_names)})
    return freq.sort_values(["_w", "_t"]).drop(columns=["_w", "_t"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# example comments for reports
# --------------------------------------------------------------------------------------------

def _texts_and_keys(data: pd.DataFrame, comment: str) -> tuple[pd.Series, np.ndarray]:
    """Comments as text ("" when blank, positional index) and a code per row that is equal for
    comments that read the same after normalisation (for showing each comment once)."""
    raw = data[comment]
    text = raw.astype(object).where(answered(data, comment), "").astype(str).reset_index(drop=True)
    codes, uniques = pd.factorize(text)
    key = normalize_text(pd.Series(uniques, dtype=object)).str.strip()
    return text, pd.factorize(key)[0][codes]


def _pick(text: pd.Series, key: np.ndarray, mask: np.ndarray, n: int, rng: np.random.Generator,
          names: Iterable[str], max_chars: int | None) -> pd.Series:
    """Up to n distinct texts where mask, drawn with rng, redacted, in data order."""
    positions = np.flatnonzero(mask)
    _, first = np.unique(key[positions], return_index=True)
    positions = np.sort(positions[first])
    if len(positions) == 0:
        return pd.Series([], dtype=object)
    chosen = np.sort(positions[rng.permutation(len(positions))[:n]])
    picked = redact(text.iloc[chosen], names)
    if max_chars is None:  # reports show comments in full (wrapped), redacted
        return picked
    too_long = picked.str.len() > max_chars
    return picked.where(~too_long, picked.str.slice(0, max_chars - 1).str.rstrip() + "…")


def example_comments(
    data: pd.DataFrame,
    comment: str,
    *,
    codebook: Codebook | str | None = None,
    score: str | None = None,
    n: int = 3,
    seed: int = 0,
    names: Iterable[str] = (),
    max_chars: int | None = None,
) -> pd.DataFrame:
    """A few redacted example comments per theme for a report.

    Distinct comments are drawn without replacement with ``np.random.default_rng(seed)``, so the
    same data and seed give the same examples. E-mail addresses, phone numbers and ``names`` are
    replaced (:func:`nps_kit.redact.redact`); no respondent identifier or other column is carried.

    Parameters
    ----------
    data : DataFrame
    comment : str
    codebook : Codebook, str or None
    score : str, optional
        When given, examples are drawn per theme and category (detractor, passive, promoter).
    n : int
        Examples per theme (per theme and category with ``score``).
    seed : int
    names : iterable of str
        Names to hide.
    max_chars : int, optional
        Cut longer comments to this many characters, ending with an ellipsis. Default None:
        every comment in full, as a shareable report shows it (redacted, never cut).

    Returns
    -------
    DataFrame
        ``theme`` (and ``category``) and ``comment``.
    """
    if int(n) < 1:
        raise DataError(f"n={n!r}: ask for at least one example per theme")
    cb = load_codebook(codebook)
    frame = _with_category(data, score, [])
    flags = code_comments(frame, comment, cb)
    text, key = _texts_and_keys(frame, comment)
    names = list(names)
    rng = np.random.default_rng(seed)
    groups = [None] if score is None else list(CATEGORIES)
    cat = None if score is None else np.asarray(frame[CATEGORY].astype(object))
    rows = []
    for theme in cb.theme_names:  # a loop over themes (and categories)
        for g in groups:
            mask = flags[theme].to_numpy()
            if g is not None:
                mask = mask & (cat == g)
            picked = _pick(text, key, mask, int(n), rng, names, max_chars)
            part = pd.DataFrame({"theme": theme, "comment": picked.to_numpy(dtype=object)})
            if g is not None:
                part.insert(1, CATEGORY, g)
            rows.append(part)
    cols = ["theme", *([CATEGORY] if score is not None else []), "comment"]
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=cols)
    return out[cols]


def uncoded_examples(
    data: pd.DataFrame,
    comment: str,
    *,
    codebook: Codebook | str | None = None,
    n: int = 5,
    seed: int = 0,
    names: Iterable[str] = (),
    max_chars: int | None = None,
) -> pd.DataFrame:
    """A few redacted uncoded comments (seeded, distinct), to show what the codebook misses.

    Returns
    -------
    DataFrame
        One column ``comment``; no identifiers.
    """
    if int(n) < 1:
        raise DataError(f"n={n!r}: ask for at least one example")
    flags = code_comments(data, comment, codebook)
    mask = (answered(data, comment) & ~flags.any(axis=1)).to_numpy()
    text, key = _texts_and_keys(data, comment)
    picked = _pick(text, key, mask, int(n), np.random.default_rng(seed), list(names), max_chars)
    return pd.DataFrame({"comment": picked.to_numpy(dtype=object)})


# --------------------------------------------------------------------------------------------
# drafting a codebook
# --------------------------------------------------------------------------------------------

STOP_WORDS: frozenset[str] = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each even ever every few for
from further get got had has have having he her here hers him his how i if in into is it its
itself just let me more most much my no nor not now of off on once only or other our ours out
over own quite really same she should so some still such than that the their theirs them then
there these they this those through to too under until up us very was we were what when where
which while who whom why will with would you your yours yet one two lot lots bit thing things
""".split())
"""English words :func:`draft_codebook` never proposes."""


def _terms(texts: pd.Series) -> pd.Series:
    """Per comment, the set of its words (3+ letters, not stop words) and CJK/Thai bigrams."""
    norm = normalize_text(texts).astype(object)
    words = norm.str.findall(r"[^\W\d_]{3,}")
    spaceless = norm.str.findall(r"[\u0e00-\u0eff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]{2,}")
    exploded = pd.concat([words.explode(), spaceless.explode()])
    exploded = exploded.dropna()
    is_run = exploded.str.contains(r"[\u0e00-\u0eff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]",
                                   regex=True)
    runs = exploded[is_run]
    pieces = []
    if len(runs):
        # character bigrams of runs written without spaces: one slice per position, not per row
        for k in range(int(runs.str.len().max()) - 1):
            piece = runs.str.slice(k, k + 2)
            pieces.append(piece[piece.str.len() == 2])
    bigrams = pd.concat(pieces) if pieces else pd.Series([], dtype=object)
    terms = pd.concat([exploded[~is_run], bigrams])
    terms = terms[~terms.isin(STOP_WORDS)]
    frame = pd.DataFrame({"doc": terms.index, "term": terms.to_numpy(dtype=object)})
    return frame.drop_duplicates()


def draft_codebook(uncoded: pd.Series, coded: pd.Series | None = None,
                   n_terms: int = 20, min_count: int = 2) -> pd.DataFrame:
    """Candidate keywords: the words that most distinguish uncoded comments from coded ones.

    Each term is counted once per comment (words of 3+ letters without English stop words;
    character bigrams for Chinese, Japanese, Korean and Thai). Terms are ranked by the log odds
    ratio of appearing in an uncoded against a coded comment, with 0.5 added to each cell:
    ``log((u + 0.5) / (U - u + 0.5)) - log((c + 0.5) / (C - c + 0.5))`` for a term in u of U
    uncoded and c of C coded comments. Without ``coded`` the ranking is by ``u``.

    Parameters
    ----------
    uncoded : Series
        Comments no theme matched (e.g. from :func:`uncoded_comments`).
    coded : Series, optional
        Coded comments, as the contrast.
    n_terms : int
        Terms to return.
    min_count : int
        Minimum number of uncoded comments a term must appear in.

    Returns
    -------
    DataFrame
        ``term``, ``uncoded`` (comments), ``coded`` (comments), ``log_odds``; best first.

    Examples
    --------
    >>> u = pd.Series(["the invoice portal is slow", "invoice portal login fails"])
    >>> draft_codebook(u, n_terms=2)["term"].tolist()
    ['invoice', 'portal']
    """
    u_terms = _terms(pd.Series(uncoded).reset_index(drop=True))
    U = int(pd.Series(uncoded).notna().sum())
    u_count = u_terms.groupby("term").size()
    if coded is not None:
        c_terms = _terms(pd.Series(coded).reset_index(drop=True))
        C = int(pd.Series(coded).notna().sum())
        c_count = c_terms.groupby("term").size().reindex(u_count.index, fill_value=0)
    else:
        C = 0
        c_count = pd.Series(0, index=u_count.index)
    table = pd.DataFrame({"term": u_count.index, "uncoded": u_count.to_numpy(),
                          "coded": c_count.to_numpy()})
    table = table[table["uncoded"] >= min_count]
    if coded is not None:
        u, c = table["uncoded"], table["coded"]
        table["log_odds"] = np.log((u + 0.5) / (U - u + 0.5)) - np.log((c + 0.5) / (C - c + 0.5))
        key = ["log_odds", "uncoded", "term"]
        asc = [False, False, True]
    else:
        table["log_odds"] = np.nan
        key, asc = ["uncoded", "term"], [False, True]
    table = table.sort_values(key, ascending=asc, kind="stable").head(int(n_terms))
    return table.reset_index(drop=True)


__all__ = [
    "ADJUSTMENTS", "CATEGORY", "PAIRS", "TESTS", "UNCODED", "CodingSummary", "answered", "code_comments",
    "coding_summary", "draft_codebook", "example_comments", "theme_changes", "theme_frequencies",
    "theme_lift", "themes_by_wave", "uncoded_comments", "uncoded_examples",
]
