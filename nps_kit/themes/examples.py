"""Example comments per theme and category, redacted, chosen reproducibly."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from nps_kit.core.scores import CATEGORIES
from nps_kit.errors import DataError
from nps_kit.privacy.redact import redact
from nps_kit.themes.codebook import Codebook, load_codebook, normalize_text
from nps_kit.themes.coding import CATEGORY, answered, code_comments
from nps_kit.themes.statistics import with_category

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
    replaced (:func:`nps_kit.privacy.redact.redact`); no respondent identifier or other column is carried.

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
    frame = with_category(data, score, [])
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


__all__ = ["example_comments", "uncoded_examples"]
