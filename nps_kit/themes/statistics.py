"""Theme statistics: shares by category and segment, lift among detractors, changes by wave.

Shares are fractions of the non-blank comments of a group with Wilson intervals (Wilson 1927);
the lift of a theme is its share among detractors over its share among promoters, with Fisher's
exact test (or a two-proportion z test) and p-values adjusted across themes
(:func:`nps_kit.core.compare.adjust_pvalues`; Holm 1979). Waves follow the kit's one order
(:mod:`nps_kit.core.waveorder`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

from nps_kit.core.columns import as_columns, require_columns
from nps_kit.core.compare import adjust_pvalues
from nps_kit.core.scores import CATEGORIES, classify
from nps_kit.core.waveorder import order_waves
from nps_kit.errors import DataError, check_confidence, check_option
from nps_kit.themes.codebook import Codebook, load_codebook
from nps_kit.themes.coding import (ADJUSTMENTS, CATEGORY, PAIRS, TESTS, answered, code_comments)

# --------------------------------------------------------------------------------------------
# frequencies
# --------------------------------------------------------------------------------------------

def with_category(data: pd.DataFrame, score: str | None, by: list[str]) -> pd.DataFrame:
    """``data`` with a detractor/passive/promoter column (:data:`CATEGORY`) classified from
    ``score``; without a score, ``data`` as it is (grouping by category then needs that column)."""
    if score is None:
        if CATEGORY in by and CATEGORY not in data.columns:
            raise DataError(
                f"data: grouping by {CATEGORY!r} needs the score column (score=...) or a "
                f"{CATEGORY!r} column"
            )
        return data
    require_columns(data, [score])
    return data.assign(**{CATEGORY: classify(data[score])})


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
    groups = as_columns(by)
    frame = with_category(data, score, groups)
    require_columns(frame, [comment, *groups])
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
    require_columns(data, [comment, score])
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
        "p_value": p, "p_adjusted": adjust_pvalues(p, adjust), "test": test, "adjust": adjust,
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
    return order_waves(list(present))  # the kit's one natural order: "W9" before "W10"


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
    require_columns(data, [comment, wave])
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
        adjusted[idx] = adjust_pvalues(p[idx], adjust)
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
    require_columns(data, [comment, wave, score])
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


__all__ = ["theme_changes", "theme_frequencies", "theme_lift", "themes_by_wave", "with_category"]
