"""The language of a set of comments, and the starter codebook that fits it.

Detection uses py3langid (Lui & Baldwin's langid.py, a naive Bayes classifier over byte
n-grams, with its model shipped inside the package; BSD-3-Clause), restricted to the languages
the kit has starter codebooks and stop words for (:data:`LANGUAGES`), so a short comment is
not assigned to a language nobody expects. Each comment of 3 or more words in a seeded sample
gets one vote; the set's language is the majority, reported with its share.

:func:`codebook_for` turns that into a codebook: the starter of the detected language when
there is one, else the English starter, with a sentence saying which and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

__all__ = ["LANGUAGES", "LANGUAGE_NAMES", "LanguageGuess", "codebook_for", "detect_language"]

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "pl": "Polish",
}
"""Languages the detector chooses between."""

LANGUAGES: tuple[str, ...] = tuple(LANGUAGE_NAMES)

MIN_WORDS = 3
"""Comments with fewer words do not vote (``ok``, ``great``)."""

SAMPLE = 400
"""At most this many comments vote (a seeded sample)."""


@dataclass(frozen=True)
class LanguageGuess:
    """The language of a set of comments.

    Attributes
    ----------
    language : str or None
        ISO 639-1 code of the majority (None when no comment could vote).
    share : float
        Share of the voting comments in that language.
    voters : int
        Comments that voted.
    counts : dict
        Votes per language.
    """

    language: str | None
    share: float
    voters: int
    counts: dict

    @property
    def name(self) -> str:
        """The language's English name ("German")."""
        return LANGUAGE_NAMES.get(self.language or "", "unknown")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(LANGUAGES))
    return ident


def detect_language(comments: pd.Series, seed: int = 0) -> LanguageGuess:
    """The majority language of ``comments`` (see the module docstring).

    Examples
    --------
    >>> detect_language(pd.Series(["Der Support war schnell und freundlich",
    ...                            "Die Preise sind leider zu hoch"])).language
    'de'
    """
    text = pd.Series(comments).dropna().astype(str).str.strip()
    text = text[text.str.split().str.len() >= MIN_WORDS]
    if len(text) > SAMPLE:
        text = text.sample(SAMPLE, random_state=seed)
    if text.empty:
        return LanguageGuess(None, 0.0, 0, {})
    ident = _identifier()
    votes = pd.Series([ident.classify(t)[0] for t in text]).value_counts()
    return LanguageGuess(str(votes.index[0]), float(votes.iloc[0] / votes.sum()), int(votes.sum()),
                         {str(k): int(v) for k, v in votes.items()})


def codebook_for(comments: pd.Series, kind: str = "customer", seed: int = 0):
    """The starter codebook for the language of ``comments``, and a sentence saying why.

    Parameters
    ----------
    comments : Series
    kind : {"customer", "enps"}
        The starter family; a language without a starter of that family gets the English one.

    Returns
    -------
    (Codebook, str, LanguageGuess)
    """
    from nps_kit.themes.codebook import STARTER_CODEBOOKS, STARTER_PREFIX, load_codebook

    guess = detect_language(comments, seed=seed)
    name = kind if guess.language in (None, "en") else f"{kind}-{guess.language}"
    if guess.language is None:
        why = "too few comments of 3 or more words to tell their language; English starter codebook"
        return load_codebook(STARTER_PREFIX + kind), why, guess
    found = f"comments detected as {guess.name} ({guess.share:.0%} of {guess.voters} voting)"
    if name in STARTER_CODEBOOKS:
        return load_codebook(STARTER_PREFIX + name), f"{found}: starter codebook {name}", guess
    return (load_codebook(STARTER_PREFIX + kind),
            f"{found}: no {guess.name} starter codebook for {kind}, so the English one is used; "
            "expect few comments coded, and pass your own codebook with --codebook", guess)
