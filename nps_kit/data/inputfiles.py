"""What may be read as an input file, and in which text encoding.

Before a reader opens a path, :func:`check_input_file` makes sure it is something that can be
read to its end: a regular file (not a named pipe, a device or a socket, where a read could wait
for ever), not a link that points back at itself. Text files are read in the encoding of
:func:`text_encoding` (UTF-8, with or without a byte-order mark, unless a caller or ``--encoding``
says otherwise); a file that is not in that encoding gets a message naming the byte and the
option to use.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from nps_kit.errors import DataError, ParameterError

DEFAULT_ENCODING = "utf-8-sig"
"""UTF-8; a byte-order mark at the start (Excel's "CSV UTF-8") is skipped."""

_ENCODING: ContextVar[str] = ContextVar("nps_kit_text_encoding", default=DEFAULT_ENCODING)


def check_encoding(encoding: str) -> str:
    """The codec name, or ParameterError for one Python does not know."""
    try:
        return codecs.lookup(encoding).name
    except (LookupError, TypeError):
        raise ParameterError(
            f"encoding {encoding!r} is not known; use for example utf-8, latin-1, cp1252 or "
            "utf-16") from None


@contextmanager
def text_encoding(encoding: str | None) -> Iterator[str]:
    """Read text files in ``encoding`` inside the ``with`` block (None: keep the current one)."""
    if encoding is None:
        yield _ENCODING.get()
        return
    name = check_encoding(encoding)
    name = DEFAULT_ENCODING if name == "utf-8" else name
    token = _ENCODING.set(name)
    try:
        yield name
    finally:
        _ENCODING.reset(token)


def current_encoding() -> str:
    """The encoding text files are read in now."""
    return _ENCODING.get()


def decode_problem(shown: str, exc: UnicodeDecodeError) -> str:
    """A message for a text file that is not in the current encoding."""
    byte = exc.object[exc.start:exc.start + 1].hex() if exc.object else "?"
    now = current_encoding()
    now = "UTF-8" if now in (DEFAULT_ENCODING, "utf-8") else now
    return (f"{shown}: cannot be read as {now} text (byte 0x{byte} at position {exc.start}). "
            "The file is in another encoding: if it comes from Excel or an older system it is "
            "probably Latin-1 or Windows-1252; give --encoding cp1252 (or latin-1; in Python "
            "encoding='cp1252'), or save the file as UTF-8")


_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISDIR, "a folder"))


def check_input_file(path: Path, shown: str) -> None:
    """Raise DataError unless ``path`` is a regular file that exists and can be read.

    Named pipes, devices and sockets are refused before anything opens them, so a read never
    waits for a writer that does not come.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise DataError(f"{shown}: a link to a file that does not exist; fix the link or "
                            "give the file itself") from None
        raise DataError(f"{shown}: file not found (looked for {path}); check the path") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise DataError(f"{shown}: a link that leads back to itself (a loop of links); give "
                            "the file itself") from None
        raise DataError(f"{shown}: cannot be opened: {exc.strerror or exc}") from None
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise DataError(f"{shown}: is {kind}, not a file; give a .csv, .tsv, .xlsx or "
                            ".parquet file (a folder of Parquet files is read as one table)")
    if not os.access(path, os.R_OK):
        raise DataError(f"{shown}: no permission to read it; check the file's permissions")


__all__ = ["DEFAULT_ENCODING", "check_encoding", "check_input_file", "current_encoding",
           "decode_problem", "text_encoding"]
