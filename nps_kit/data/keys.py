"""Which columns of a responses file identify the respondent and the wave.

Every command and template uses one vocabulary: ``id_column`` (CLI ``--id-column``) names the
respondent id, ``customer_id_column`` (``--customer-id-column``) the customer id of a customers or
outcomes file, ``wave_column`` (``--wave-column``, or ``--no-wave-column`` for none) the wave.
The defaults are column names (``respondent_id``, ``customer_id``, ``wave``). A default that the
file does not have is not an error when the data can do without it:

- no wave column means one wave, and the result says so;
- a respondent id that is absent falls back to the customer id column when the responses
  carry it (the usual layout of a file keyed by ``customer_id``), and the result says so.

A column the user named explicitly must exist; the error lists the columns the file has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from nps_kit.errors import DataError

DEFAULT_ID_COLUMN = "respondent_id"
DEFAULT_CUSTOMER_ID_COLUMN = "customer_id"
DEFAULT_WAVE_COLUMN = "wave"


@dataclass(frozen=True)
class KeyColumns:
    """The id and wave columns used, and a sentence for each choice that was not the obvious one.

    Attributes
    ----------
    id : str or None
        Respondent id column used (None: no id).
    wave : str or None
        Wave column used (None: all rows are one wave).
    notes : tuple of str
        What the output should say about these choices.
    """

    id: str | None
    wave: str | None
    notes: tuple[str, ...] = ()


def _listing(columns: Sequence[str]) -> str:
    return ", ".join(repr(str(c)) for c in columns)


def resolve_keys(
    columns: Iterable[str],
    file: str,
    *,
    id: str | None,
    wave: str | None,
    id_fallbacks: Sequence[str] = (),
    id_optional: bool = False,
    wave_optional: bool = False,
) -> KeyColumns:
    """Choose the id and wave columns of a responses table.

    Parameters
    ----------
    columns : iterable of str
        The columns the file has.
    file : str
        The file, for messages.
    id : str or None
        Respondent id column asked for (None: none).
    wave : str or None
        Wave column asked for (None or "": none).
    id_fallbacks : sequence of str
        Columns to use, in order, when ``id`` is absent (e.g. the customer id column).
    id_optional : bool
        When ``id`` and every fallback are absent, go on without an id (True) or raise (False).
    wave_optional : bool
        When ``wave`` is absent, read all rows as one wave (True) or raise (False). Callers pass
        True when ``wave`` is the default name rather than one the user typed.

    Returns
    -------
    KeyColumns

    Raises
    ------
    DataError
        A required column is absent; the message lists the file's columns and the option to pass.
    """
    cols = [str(c) for c in columns]
    present = set(cols)
    notes: list[str] = []
    wave = wave or None
    if wave is not None and wave not in present:
        if not wave_optional:
            raise DataError(
                f"{file}: wave column {wave!r} not found; the file has columns: {_listing(cols)}. "
                "Name the wave column (--wave-column COL, template parameter wave_column) or pass "
                "--no-wave-column (wave_column='') when the file holds one wave."
            )
        notes.append(f"{file} has no column {wave!r}: all rows are read as one wave "
                      "(name the wave column with --wave-column to change this)")
        wave = None
    if id is not None and id not in present:
        fallback = next((c for c in id_fallbacks if c and c in present), None)
        if fallback is not None:
            notes.append(f"{file} has no column {id!r}: respondents are identified by "
                         f"{fallback!r} (name another with --id-column)")
            id = fallback
        elif id_optional:
            notes.append(f"{file} has no column {id!r}: respondent ids are not checked")
            id = None
        else:
            tried = [id, *[c for c in id_fallbacks if c and c != id]]
            raise DataError(
                f"{file}: no respondent id column: looked for {_listing(tried)}; the file has "
                f"columns: {_listing(cols)}. Name the id column with --id-column COL (template "
                "parameter id_column)."
            )
    return KeyColumns(id=id, wave=wave, notes=tuple(notes))


__all__ = [
    "DEFAULT_CUSTOMER_ID_COLUMN", "DEFAULT_ID_COLUMN", "DEFAULT_WAVE_COLUMN", "KeyColumns",
    "resolve_keys",
]
