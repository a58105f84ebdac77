"""Coding open answers into themes and comparing the themes by category, wave and segment.

The number says how many; the comments say why. This module codes comments; theme statistics
are in :mod:`nps_kit.themes.statistics`, examples in :mod:`nps_kit.themes.examples` and codebook
drafting in :mod:`nps_kit.themes.drafting`. A codebook (:mod:`nps_kit.themes.codebook`) turns each
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
from dataclasses import dataclass

import pandas as pd

from nps_kit.core.columns import require_columns
from nps_kit.core.compare import P_ADJUSTMENTS
from nps_kit.privacy.redact import EMAIL_PATTERN
from nps_kit.themes.codebook import Codebook, load_codebook, normalize_text

TESTS: tuple[str, ...] = ("fisher", "z")
"""Tests of a difference between two shares: Fisher's exact test or the pooled z test."""

ADJUSTMENTS: tuple[str, ...] = P_ADJUSTMENTS
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

def answered(data: pd.DataFrame, comment: str) -> pd.Series:
    """True where the comment is non-blank (not missing, not only spaces)."""
    require_columns(data, [comment])
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
    require_columns(data, [comment])
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


__all__ = [
    "ADJUSTMENTS", "answered", "CATEGORY", "code_comments", "coding_summary", "CodingSummary",
    "PAIRS", "TESTS", "UNCODED", "uncoded_comments",
]
