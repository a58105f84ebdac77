"""Redacting open answers before they are shown: e-mail addresses, phone numbers, listed names.

Comments quoted in a shareable report must not identify anyone (house rule "Privacy"). This
module replaces

- e-mail addresses with ``[email]``,
- phone numbers (7 to 15 digits, the E.164 maximum, written with spaces, dots, dashes, slashes,
  parentheses, an optional ``+`` or ``00`` prefix) with ``[phone]``; dates such as
  ``2024-03-15`` or ``15.03.2024`` are kept,
- the names on a stop list (whole words, case-insensitive, with or without diacritics:
  ``"Łukasz"`` on the list also hides ``"lukasz"``) with ``[name]``.

Everything else is left as it is. The work is done by a few compiled regular expressions applied
with pandas string methods, so a column of any length is redacted without a Python loop over rows.

Whole columns that identify a respondent (e-mail, name, IP address, location, network id: the
columns survey-tool exports carry, see :mod:`nps_kit.data.layouts`) are recognised by their name with
:func:`identifier_columns`; :func:`identifier_values` lists their values for
:func:`nps_kit.reports.record.keep_private`, so a shareable report that shows one is refused.

Examples
--------
>>> import pandas as pd
>>> redact(pd.Series(["Mail anna@example.com or call +48 601 234 567, Anna"]), names=["anna"]).iloc[0]
'Mail [email] or call [phone], [name]'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

EMAIL_TOKEN = "[email]"
PHONE_TOKEN = "[phone]"
NAME_TOKEN = "[name]"

EMAIL_PATTERN = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])",
)
# A run of digit groups with single separators, an optional international prefix and an optional
# area code in parentheses; the digit count is checked afterwards.
_PHONE = re.compile(
    r"(?<![\w@+])"
    r"(?:\+\s?)?"
    r"(?:\(\d{1,5}\)\s?[-.]?\s?)?"
    r"\d+(?:(?:\s|\s?[-./]\s?)\d+|\s?\(\d{1,5}\)\s?[-.]?\s?\d+)*"
    r"(?![\w@])"
)
_DATE = re.compile(
    r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}|\d{1,2}[-./]\d{1,2}[-./]\d{2}"
)
_MIN_DIGITS, _MAX_DIGITS = 7, 15

_NO_DECOMPOSITION = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ı": "i", "ŀ": "l",
                                   "ŧ": "t"})
_COMBINING = re.compile("[\u0300-\u036f]")
# A run of words (letters first; apostrophes inside) separated by spaces or hyphens.
_WORD_RUN = re.compile(r"(?<!\w)[^\W\d_][\w'’]*(?:(?:\s+|\s*[-‐–]\s*)[^\W\d_][\w'’]*)*")
_SEPARATOR = re.compile(r"(\s+|\s*[-‐–]\s*)")


def fold_word(word: str) -> str:
    """A word case-folded and without diacritics, for comparing names (``"Łukasz"`` -> ``"lukasz"``)."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return unicodedata.normalize("NFC", _COMBINING.sub("", decomposed)).translate(_NO_DECOMPOSITION)


def _name_key(name: str) -> tuple[str, ...]:
    return tuple(fold_word(w) for w in _SEPARATOR.split(unicodedata.normalize("NFC", name.strip()))[::2] if w)


class _NameReplacer:
    """Replaces listed names inside a run of words, longest name first, left to right."""

    def __init__(self, names: Iterable[str]):
        self.keys = {_name_key(str(n)) for n in names
                     if n is not None and not pd.isna(n) and str(n).strip()}
        self.keys.discard(())
        self.longest = max((len(k) for k in self.keys), default=0)

    def __call__(self, match: re.Match) -> str:
        parts = _SEPARATOR.split(match.group(0))
        words, seps = parts[::2], parts[1::2]
        folded = [fold_word(w) for w in words]
        out: list[str] = []
        i = 0
        while i < len(words):
            for k in range(min(self.longest, len(words) - i), 0, -1):
                key = folded[i:i + k]
                suffix = ""
                if tuple(key) not in self.keys and key[-1][-2:] in ("'s", "’s"):
                    key = key[:-1] + [key[-1][:-2]]  # possessive: "Tom's" -> "[name]'s"
                    suffix = words[i + k - 1][-2:]
                if tuple(key) in self.keys:
                    out.append(NAME_TOKEN + suffix)
                    i += k
                    break
            else:
                out.append(words[i])
                i += 1
            if i < len(words):
                out.append(seps[i - 1])
        return "".join(out)


def _phone_or_keep(match: re.Match) -> str:
    text = match.group(0)
    digits = sum(ch.isdigit() for ch in text)
    if not _MIN_DIGITS <= digits <= _MAX_DIGITS or _DATE.fullmatch(text.strip()):
        return text
    lead = text[: len(text) - len(text.lstrip())]
    return lead + PHONE_TOKEN


def redact(texts: pd.Series, names: Iterable[str] = ()) -> pd.Series:
    """Replace e-mail addresses, phone numbers and the given names in free-text answers.

    Parameters
    ----------
    texts : Series
        Comments (any string-like dtype); missing values stay missing.
    names : iterable of str, optional
        Names to hide (people, companies), matched as whole words, case-insensitively and with
        or without diacritics. A full name (``"Anna Kowalska"``) matches only in full; list the
        parts as well to hide them on their own.

    Returns
    -------
    Series
        Same index and name, with ``[email]``, ``[phone]`` and ``[name]`` in place of what was
        found; other text unchanged (Unicode NFC normalised).

    Notes
    -----
    A phone number is a run of 7 to 15 digits (the E.164 maximum length) in groups separated
    by single spaces, dots, dashes or slashes, optionally with a ``+``/``00`` prefix and an area
    code in parentheses. Runs that form a date (``2024-03-15``, ``15/03/2024``) are kept. Long
    digit runs such as order numbers are hidden too: in a shareable report a false alarm costs
    less than a leaked number.

    Examples
    --------
    >>> import pandas as pd
    >>> redact(pd.Series(["Call (555) 123-4567 on 2024-03-15"])).iloc[0]
    'Call [phone] on 2024-03-15'
    """
    if not isinstance(texts, pd.Series):
        texts = pd.Series(texts)
    out = texts.astype(object).where(texts.notna())
    present = out.notna()
    if not present.any():
        return texts.copy()
    s = out[present].astype(str).str.normalize("NFC")
    s = s.str.replace(EMAIL_PATTERN, EMAIL_TOKEN, regex=True)
    s = s.str.replace(_PHONE, _phone_or_keep, regex=True)
    replacer = _NameReplacer(names)
    if replacer.keys:
        s = s.str.replace(_WORD_RUN, replacer, regex=True)
    result = out.copy()
    result[present] = s.to_numpy(dtype=object)
    if pd.api.types.is_string_dtype(texts.dtype) and not isinstance(texts.dtype, pd.CategoricalDtype):
        result = result.astype(texts.dtype if texts.dtype != object else object)
    return result.rename(texts.name)


IDENTIFIER_COLUMNS: frozenset[str] = frozenset({
    # e-mail and names
    "email", "emailaddress", "recipientemail", "contactemail", "respondentemail",
    "name", "fullname", "firstname", "lastname", "surname", "recipientfirstname",
    "recipientlastname", "contactname", "respondentname",
    # phone
    "phone", "phonenumber", "mobile", "mobilenumber", "telephone",
    # network and location (Qualtrics, SurveyMonkey, Typeform metadata)
    "ip", "ipaddress", "networkid", "locationlatitude", "locationlongitude", "latitude",
    "longitude",
    # references a tool carries from the sender's own records
    "externalreference", "externaldatareference",
})
"""Column names (folded: lower case, letters and digits only) that identify a respondent.

Taken from the metadata columns of the exports of Qualtrics (``RecipientEmail``,
``RecipientFirstName``, ``RecipientLastName``, ``IPAddress``, ``LocationLatitude``,
``LocationLongitude``, ``ExternalReference``), SurveyMonkey (``Email Address``, ``First Name``,
``Last Name``, ``IP Address``, ``Custom Data 1``...), Google Forms (``Email Address``) and
Typeform (``Network ID``), plus common spellings of the same.
"""
_CUSTOM_DATA = re.compile(r"^customdata\d*$")


def _fold_column(name) -> str:
    return re.sub(r"[^0-9a-z]", "", fold_word(str(name)))


def is_identifier_column(name) -> bool:
    """Whether a column name says the column identifies a respondent.

    The name is folded (case, diacritics, spaces and punctuation ignored) and looked up in
    :data:`IDENTIFIER_COLUMNS`; SurveyMonkey's ``Custom Data 1``, ``Custom Data 2``... count
    too, since they carry whatever the sender attached to the invitation (often an e-mail
    address or a customer number).

    Examples
    --------
    >>> is_identifier_column("IP Address"), is_identifier_column("RecipientEmail")
    (True, True)
    >>> is_identifier_column("How likely are you to recommend us?")
    False
    """
    folded = _fold_column(name)
    return folded in IDENTIFIER_COLUMNS or bool(_CUSTOM_DATA.match(folded))


def identifier_columns(columns: Iterable) -> list[str]:
    """The columns, in order, whose name says they identify a respondent (see
    :func:`is_identifier_column`).

    Examples
    --------
    >>> identifier_columns(["Respondent ID", "Email Address", "Q1", "Network ID"])
    ['Email Address', 'Network ID']
    """
    return [str(c) for c in columns if is_identifier_column(c)]


def identifier_values(frame: pd.DataFrame) -> list[str]:
    """The distinct values of a table's identifier columns, for
    :func:`nps_kit.reports.record.keep_private` (sorted, blanks left out).

    Examples
    --------
    >>> import pandas as pd
    >>> identifier_values(pd.DataFrame({"Email Address": ["a@x.org", None], "score": [9, 7]}))
    ['a@x.org']
    """
    values: set[str] = set()
    for column in identifier_columns(frame.columns):
        col = frame[column].dropna().astype(str).str.strip()
        values.update(col[col != ""])
    return sorted(values)


__all__ = [
    "EMAIL_PATTERN", "EMAIL_TOKEN", "fold_word", "IDENTIFIER_COLUMNS", "identifier_columns",
    "identifier_values", "is_identifier_column", "NAME_TOKEN", "PHONE_TOKEN", "redact",
]
