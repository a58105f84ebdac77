"""Drafting a codebook from the uncoded comments: frequent terms as candidate themes."""

from __future__ import annotations


import numpy as np
import pandas as pd

from nps_kit.themes.codebook import normalize_text

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


__all__ = ["draft_codebook", "STOP_WORDS"]
