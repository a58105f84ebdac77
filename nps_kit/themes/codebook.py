"""Codebooks for open answers: loading, validating and compiling them into one regex per theme.

A codebook is a YAML file with a list of themes (or a mapping with a ``themes`` list and
optional ``name``, ``description``, ``language`` and ``accents`` keys)::

    name: customer
    accents: fold            # fold (default): "zolty" and "żółty" match each other; keep: exact
    themes:
      - name: delivery/shipping
        description: Delivery times, shipping, logistics.
        keywords: [delivery, deliver*, shipping, late shipment, dostawa, 配送]
        patterns: ['\\bon[- ]time\\b']
        language: "pl: dostaw* covers dostawa/dostawy/dostawie"

Matching rules (both sides, keyword and comment, are normalised the same way):

1. Unicode NFKC normalisation (full-width letters, ligatures and compatibility forms become
   their plain forms) and case folding (``str.casefold``: ``"DOSTAWA"`` == ``"dostawa"``,
   ``"Straße"`` == ``"strasse"``).
2. With ``accents: fold`` (the default), diacritics are removed from Latin, Greek and Cyrillic
   letters (combining marks U+0300-U+036F after NFD, plus ``ł đ ø ħ ı`` and the ligatures
   ``æ œ``), so a keyword written with or without diacritics matches comments written either way.
   Japanese voicing marks and Hangul are untouched. Use ``accents: keep`` when diacritics tell
   words apart in your language.
3. Keywords in scripts that separate words with spaces match whole words or phrases: ``price``
   matches "price" and "Price!" but not "priceless" or "prices"; write ``price*`` to match
   every word starting with "price". Spaces and hyphens inside a phrase match any run of spaces
   or a hyphen (``follow up`` matches "follow-up").
4. Keywords in scripts written without spaces between words (Chinese, Japanese, Korean, Thai,
   Lao, Khmer, Myanmar, Tibetan) match anywhere (substring): ``价格`` matches "价格太贵了".
   Korean uses spaces but attaches particles to nouns, so substring matching suits it too.
5. ``patterns`` are Python regular expressions applied to the normalised comment, without regard
   to case; write them without diacritics when ``accents: fold`` (they are folded too). Runs of
   spaceless scripts are set off by a space in the normalised text ("app很好用" reads
   "app 很好用 ").

Validation on load raises :class:`~nps_kit.errors.DataError` naming the file, the theme and the
problem: a missing or duplicate name, a theme without keywords and patterns, an invalid regular
expression, unknown keys.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from types import MappingProxyType
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from collections.abc import Mapping
from typing import Any

import pandas as pd

from nps_kit.errors import DataError, check_option

ACCENT_MODES: tuple[str, ...] = ("fold", "keep")
"""Values of a codebook's ``accents`` setting."""

STARTER_CODEBOOKS: tuple[str, ...] = ("customer", "enps", "customer-de", "customer-fr",
                                       "customer-es", "customer-it", "customer-pt", "customer-nl")
"""Codebooks shipped with nps-kit; load with ``load_codebook("starter:customer")``."""

STARTER_PREFIX = "starter:"

THEME_KEYS: tuple[str, ...] = ("name", "description", "keywords", "patterns", "language")
CODEBOOK_KEYS: tuple[str, ...] = ("name", "description", "language", "accents", "themes")

# Scripts written without spaces between words (and Hangul, whose particles attach to nouns).
SPACELESS_RANGES = (
    "\u0e00-\u0eff"          # Thai, Lao
    "\u0f00-\u0fff"          # Tibetan
    "\u1000-\u109f"          # Myanmar
    "\u1100-\u11ff"          # Hangul Jamo
    "\u1780-\u17ff"          # Khmer
    "\u3040-\u30ff"          # Hiragana, Katakana
    "\u3130-\u318f"          # Hangul compatibility Jamo
    "\u31f0-\u31ff"          # Katakana extensions
    "\u3400-\u4dbf"          # CJK extension A
    "\u4e00-\u9fff"          # CJK unified ideographs
    "\uac00-\ud7af"          # Hangul syllables
    "\uf900-\ufaff"          # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # CJK extensions B-G
)
_SPACELESS_RUN = re.compile(f"([{SPACELESS_RANGES}]+)")
# Runs of spaceless scripts are set off by spaces before matching, so that \w boundaries work
# for the other scripts right next to them ("app很好用" -> "app 很好用 ").
_BEFORE_FIRST = r"(?<!\w.)"  # placed after the first character of a whole-word keyword
_AFTER = r"(?!\w)"
_GAP = r"(?:\s+|\s*[-‐‑–]\s*)"

_COMBINING = "[\u0300-\u036f]"
_FOLD_TABLE = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ı": "i", "ŀ": "l",
                             "ŧ": "t", "æ": "ae", "œ": "oe"})


def normalize_text(texts: pd.Series, accents: str = "fold") -> pd.Series:
    """Normalise comments for matching: NFKC, casefold and (``accents="fold"``) no diacritics.

    Vectorised with pandas string methods; missing values become empty strings.

    Examples
    --------
    >>> normalize_text(pd.Series(["Żółty  DOSTAWA", "ＡＢＣ"])).tolist()
    ['zolty  dostawa', 'abc']
    """
    check_option("accents", accents, ACCENT_MODES)
    s = pd.Series(texts, copy=False).astype(object).where(pd.notna(texts), "").astype(str)
    s = s.str.normalize("NFKC").str.casefold()
    if accents == "fold":
        s = (s.str.normalize("NFD").str.replace(_COMBINING, "", regex=True)
             .str.normalize("NFC").str.translate(_FOLD_TABLE))
    return s.str.replace(_SPACELESS_RUN, r" \1 ", regex=True)


def normalize_one(text: str, accents: str = "fold") -> str:
    """:func:`normalize_text` for a single string (used on keywords); same steps, plain Python."""
    s = unicodedata.normalize("NFKC", text).casefold()
    if accents == "fold":
        s = unicodedata.normalize("NFC", re.sub(_COMBINING, "", unicodedata.normalize("NFD", s)))
        s = s.translate(_FOLD_TABLE)
    return _SPACELESS_RUN.sub(r" \1 ", s)


def _casefold_outside_escapes(pattern: str) -> str:
    r"""Case-fold a regex without touching escapes (``\S`` must not become ``\s``)."""
    return re.sub(r"(\\.)|([^\\]+)", lambda m: m.group(1) or m.group(2).casefold(), pattern,
                  flags=re.DOTALL)


def keyword_atoms(keyword: str, accents: str = "fold") -> list[str]:
    """The keyword as a list of regex pieces (one per character, gap or boundary).

    A whole-word keyword starts with its first character followed by the look-behind
    ``(?<!\\w.)`` ("the character before this one is not a letter or digit"): putting the
    boundary after a literal lets the regex engine skip quickly to positions where a keyword can
    start, and lets keywords with a common beginning share it (see :func:`_trie_regex`).
    """
    kw = normalize_one(keyword, accents).strip()
    wildcard = kw.endswith("*")
    stem = kw.rstrip("*").strip()
    if not stem:
        raise ValueError("empty keyword")
    words = [w for w in re.split(r"[\s\-‐‑–]+", stem) if w] or [stem]
    spaceless = bool(_SPACELESS_RUN.search(stem))
    atoms: list[str] = []
    for i, word in enumerate(words):
        if i:
            atoms.append(_GAP)
        atoms.extend(re.escape(c) for c in word)
    if re.match(r"\w", words[0]) and not spaceless:
        atoms[0] += _BEFORE_FIRST
    if wildcard and not spaceless:
        atoms.append(r"\w*")
    elif re.match(r"\w", words[-1][-1]) and not spaceless:
        atoms.append(_AFTER)
    return atoms


def keyword_regex(keyword: str, accents: str = "fold") -> str:
    """Regular expression (source text) for one keyword, following the module's matching rules.

    Examples
    --------
    >>> bool(re.search(keyword_regex("deliver*"), "delivery was late"))
    True
    >>> bool(re.search(keyword_regex("price"), "priceless"))
    False
    """
    return "".join(keyword_atoms(keyword, accents))


_END = ""  # trie key marking the end of a keyword


def _trie_regex(node: dict) -> str:
    """Regex of a prefix tree of atoms: keywords sharing a beginning share its test."""
    branches = [atom + _trie_regex(child) for atom, child in node.items() if atom != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        return f"(?:{body})?"
    return body


def pattern_regex(pattern: str, accents: str = "fold") -> str:
    """A codebook pattern prepared for normalised text: NFKC, case-folded outside escapes, and
    without diacritics when ``accents="fold"``."""
    p = unicodedata.normalize("NFKC", pattern)
    p = _casefold_outside_escapes(p)
    if accents == "fold":
        p = unicodedata.normalize("NFD", p)
        p = re.sub(_COMBINING, "", p)
        p = unicodedata.normalize("NFC", p).translate(_FOLD_TABLE)
    return p


@dataclass(frozen=True)
class Theme:
    """One theme of a codebook.

    Attributes
    ----------
    name : str
    description : str
    keywords : tuple of str
        Words or phrases; a trailing ``*`` matches any word ending.
    patterns : tuple of str
        Python regular expressions.
    language : str
        Free notes on languages (what the keywords cover, known gaps).
    """

    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    language: str = ""


@dataclass(frozen=True)
class Codebook:
    """A validated set of themes with one compiled regular expression per theme.

    Build with :func:`load_codebook` (YAML file or starter) or :func:`make_codebook` (Python
    objects). ``regexes`` maps each theme name to its compiled pattern, to be applied to text
    normalised with :func:`normalize_text` (``accents`` of this codebook).
    """

    themes: tuple[Theme, ...]
    name: str = "codebook"
    description: str = ""
    language: str = ""
    accents: str = "fold"
    source: str = "<python>"
    regexes: Mapping[str, re.Pattern] = field(default_factory=dict, repr=False, compare=False)

    @property
    def theme_names(self) -> list[str]:
        """Theme names in codebook order."""
        return [t.name for t in self.themes]

    @cached_property
    def summary(self) -> pd.DataFrame:
        """One row per theme: theme, description, keywords, patterns (joined by ``", "``)."""
        return pd.DataFrame({
            "theme": [t.name for t in self.themes],
            "description": [t.description for t in self.themes],
            "keywords": [", ".join(t.keywords) for t in self.themes],
            "patterns": [", ".join(t.patterns) for t in self.themes],
        })

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def _as_str_list(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise DataError(f"{where}: '{key}' must be a list of strings, not {type(value).__name__}")
    bad = [v for v in value if not isinstance(v, (str, int, float)) or isinstance(v, bool)]
    if bad:
        raise DataError(f"{where}: '{key}' must hold strings; found {bad[0]!r}")
    return tuple(str(v) for v in value)


def _notes(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


def _compile_theme(theme: Theme, accents: str, where: str) -> re.Pattern:
    trie: dict = {}
    for kw in theme.keywords:
        try:
            atoms = keyword_atoms(kw, accents)
        except ValueError:
            raise DataError(f"{where}: keyword {kw!r} is empty; remove it") from None
        node = trie
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[_END] = {}
    parts = [_trie_regex(trie)] if trie else []
    for pat in theme.patterns:
        source = pattern_regex(pat, accents)
        try:
            re.compile(source)
        except re.error as exc:
            raise DataError(
                f"{where}: pattern {pat!r} is not a valid regular expression ({exc}); "
                "fix it or remove it"
            ) from None
        # patterns ignore case; keywords and text are already case-folded
        parts.append(f"(?i:{source})")
    try:
        return re.compile("|".join(parts))
    except re.error as exc:
        raise DataError(
            f"{where}: its keywords and patterns cannot be combined into one regular expression "
            f"({exc}); remove group names repeated across patterns and numbered back-references"
        ) from None


def make_codebook(themes: Any, *, name: str = "codebook", description: str = "",
                  language: str = "", accents: str = "fold", source: str = "<python>") -> Codebook:
    """Build and validate a codebook from Python objects.

    Parameters
    ----------
    themes : list of dict or Theme
        Each with ``name`` and at least one of ``keywords`` / ``patterns``; optional
        ``description`` and ``language``.
    name, description, language : str
        About the codebook.
    accents : {"fold", "keep"}
        Match with diacritics removed on both sides (``"fold"``) or as written (``"keep"``).
    source : str
        Where the codebook came from, used in error messages (the file name).

    Returns
    -------
    Codebook

    Raises
    ------
    DataError
        Naming ``source``, the theme and the problem.

    Examples
    --------
    >>> cb = make_codebook([{"name": "price", "keywords": ["price*", "expensive"]}])
    >>> cb.theme_names
    ['price']
    """
    if accents not in ACCENT_MODES:
        raise DataError(f"{source}: accents={accents!r} is not valid; use one of: "
                        + ", ".join(repr(a) for a in ACCENT_MODES))
    if not isinstance(themes, (list, tuple)) or not themes:
        raise DataError(f"{source}: the codebook has no themes; give a list of themes, each with "
                        "a name and keywords or patterns")
    built: list[Theme] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(themes, start=1):
        if isinstance(raw, Theme):
            raw = {k: getattr(raw, k) for k in THEME_KEYS}
        if not isinstance(raw, dict):
            raise DataError(f"{source}: theme {i} is a {type(raw).__name__}, not a mapping with "
                            "name, keywords and patterns")
        tname = raw.get("name")
        if tname is None or not str(tname).strip():
            raise DataError(f"{source}: theme {i} has no name; every theme needs 'name'")
        tname = str(tname).strip()
        where = f"{source}: theme {tname!r}"
        unknown = sorted(set(map(str, raw)) - set(THEME_KEYS))
        if unknown:
            raise DataError(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; "
                            f"allowed: {', '.join(THEME_KEYS)}")
        if tname in seen:
            raise DataError(f"{where}: the name is used by themes {seen[tname]} and {i}; "
                            "theme names must be unique")
        seen[tname] = i
        theme = Theme(
            name=tname,
            description=_notes(raw.get("description")),
            keywords=_as_str_list(raw.get("keywords"), where, "keywords"),
            patterns=_as_str_list(raw.get("patterns"), where, "patterns"),
            language=_notes(raw.get("language")),
        )
        if not theme.keywords and not theme.patterns:
            raise DataError(f"{where}: has neither keywords nor patterns; add at least one")
        built.append(theme)
    regexes = {t.name: _compile_theme(t, accents, f"{source}: theme {t.name!r}") for t in built}
    return Codebook(themes=tuple(built), name=name, description=description, language=language,
                    accents=accents, source=source, regexes=MappingProxyType(regexes))


def starter_path(kind: str) -> Path:
    """Path of a starter codebook shipped with nps-kit (``"customer"`` or ``"enps"``)."""
    check_option("starter codebook", kind, STARTER_CODEBOOKS)
    return Path(str(resources.files("nps_kit.themes.codebooks") / f"{kind}.yaml"))


def load_codebook(path: str | Path | Codebook | None = None) -> Codebook:
    """Load and validate a YAML codebook.

    Parameters
    ----------
    path : str, Path, Codebook or None
        A YAML file; ``"starter:customer"`` / ``"starter:enps"`` for a starter codebook;
        ``None`` or ``""`` for the customer starter codebook. A Codebook is returned as it is.

    Returns
    -------
    Codebook

    Raises
    ------
    DataError
        The file is missing, is not valid YAML, or a theme is invalid (the message names the
        file, the theme and the problem).

    Examples
    --------
    >>> "price/value" in load_codebook().theme_names
    True
    """
    if isinstance(path, Codebook):
        return path
    if path is None or str(path).strip() == "":
        path = STARTER_PREFIX + "customer"
    text = str(path)
    if text.startswith(STARTER_PREFIX):
        kind = text[len(STARTER_PREFIX):]
        if kind not in STARTER_CODEBOOKS:
            raise DataError(f"there is no starter codebook {kind!r}; use one of: "
                            + ", ".join(STARTER_PREFIX + k for k in STARTER_CODEBOOKS))
        return _starter(kind)
    from nps_kit.data.paths import resolve_path  # demo:... paths work too

    return _read_codebook(resolve_path(text), text)


@lru_cache(maxsize=None)
def _starter(kind: str) -> Codebook:
    """Starter codebooks are read and compiled once per process."""
    return _read_codebook(starter_path(kind), STARTER_PREFIX + kind)


def _read_codebook(p: Path, label: str) -> Codebook:
    if not p.is_file():
        raise DataError(f"{label}: codebook file not found (looked for {p}); check the path")
    import yaml

    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()
        raise DataError(f"{label}: not valid YAML ({' '.join(first[:3])}); fix the syntax") from None
    except UnicodeDecodeError:
        raise DataError(f"{label}: not UTF-8 text; save the codebook as UTF-8") from None
    meta: dict[str, Any] = {}
    if isinstance(raw, dict):
        unknown = sorted(set(map(str, raw)) - set(CODEBOOK_KEYS))
        if unknown:
            raise DataError(f"{label}: unknown top-level key(s) {', '.join(map(repr, unknown))}; "
                            f"allowed: {', '.join(CODEBOOK_KEYS)}")
        meta = {k: raw[k] for k in ("name", "description", "language", "accents") if k in raw}
        themes = raw.get("themes")
    else:
        themes = raw
    return make_codebook(
        themes,
        name=str(meta.get("name", p.stem)),
        description=_notes(meta.get("description")),
        language=_notes(meta.get("language")),
        accents=str(meta.get("accents", "fold")),
        source=label,
    )


__all__ = [
    "ACCENT_MODES", "Codebook", "CODEBOOK_KEYS", "keyword_atoms", "keyword_regex",
    "load_codebook", "make_codebook", "normalize_one", "normalize_text", "pattern_regex",
    "SPACELESS_RANGES", "STARTER_CODEBOOKS", "starter_path", "STARTER_PREFIX", "Theme",
    "THEME_KEYS",
]
