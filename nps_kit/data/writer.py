"""The one writer: every file nps-kit writes goes through here.

- **Atomic, never through a link**: the content goes to a new temporary file in the target's
  folder (created exclusively, so nothing already there is opened), which is then renamed over
  the target. A rename replaces a symbolic link planted at the target instead of following it,
  and a reader never sees half a file. A failed write (a full disk, a read-only folder) removes
  the temporary file and raises :class:`OutputError` naming the file and what to do.
- **No spreadsheet formulas**: in CSV and Excel files every text cell that a spreadsheet would
  read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a
  leading ``'``, as OWASP recommends against CSV injection; numbers stay numbers, and text that
  is just a signed number (``-5``, ``+3.5``) is left alone because no spreadsheet runs it.

OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from nps_kit.errors import NPSKitError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


class OutputError(NPSKitError):
    """A file could not be written (full disk, no permission, a folder in the way)."""


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full; free some space or choose another output folder"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "no permission to write there; choose another output folder"
    if exc.errno == errno.EISDIR:
        return "a folder of that name is in the way; choose another file name"
    return f"{exc.strerror or exc}; check the output folder"


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, replacing (never following) a link there.

    Parent folders are created. Returns the path.
    """
    target = Path(path)
    if target.is_dir() and not target.is_symlink():
        raise OutputError(f"cannot write {target}: a folder of that name is in the way; choose "
                          "another file name")
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {_why(exc)}") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return target


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # files get the permissions open() would give them


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write text atomically (:func:`write_bytes`)."""
    return write_bytes(path, text.encode(encoding))


def neutralise_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, with a leading ``'``.

    Examples
    --------
    >>> [neutralise_cell(v) for v in ["=1+1", "@SUM(A1)", "-5", "+1+1", "ok", 3]]
    ["'=1+1", "'@SUM(A1)", '-5', "'+1+1", 'ok', 3]
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) \
            and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_formulas(frame):
    """A copy of ``frame`` with every text cell (and column name) passed through
    :func:`neutralise_cell`; numeric columns are unchanged."""
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s) \
                or isinstance(s.dtype, pd.CategoricalDtype):
            out[col] = s.astype(object).map(neutralise_cell)
    out.columns = [neutralise_cell(c) for c in out.columns]
    return out


def write_csv(frame, path: str | Path, **to_csv: Any) -> Path:
    """Write a DataFrame as UTF-8 CSV, formulas neutralised, atomically; no index by default.

    Lines end in CRLF as RFC 4180 says, so a field holding a line break of either kind is quoted
    (with a bare LF ending, pandas leaves a field with a carriage return unquoted, and a
    spreadsheet splits the row there).
    """
    options = {"index": False, "lineterminator": "\r\n", **to_csv}
    return write_text(path, neutralise_formulas(frame).to_csv(**options))


def write_excel(frame, path: str | Path, sheet_name: str = "Sheet1") -> Path:
    """Write a DataFrame as an .xlsx file, formulas neutralised, atomically; no index.

    Text cells are written as text (openpyxl would otherwise store a leading ``=`` as a formula).
    """
    import io

    buffer = io.BytesIO()
    neutralise_formulas(frame).to_excel(buffer, index=False, sheet_name=sheet_name,
                                        engine="openpyxl")
    return write_bytes(path, buffer.getvalue())


def write_workbook(sheets, path: str | Path) -> Path:
    """Write several DataFrames as one .xlsx file, one sheet each, formulas neutralised, atomically.

    ``sheets`` maps a sheet name to a frame; names are cut to Excel's 31 characters, stripped of
    the characters Excel refuses (``[]:*?/\\``) and kept distinct.
    """
    import io

    import pandas as pd

    buffer = io.BytesIO()
    used: set[str] = set()
    with pd.ExcelWriter(buffer, engine="openpyxl") as book:
        for name, frame in sheets.items():
            base = re.sub(r"[\[\]:*?/\\]+", " ", str(name)).strip()[:31] or "Sheet"
            title, k = base, 2
            while title.lower() in used:
                suffix = f" ({k})"
                title, k = base[:31 - len(suffix)] + suffix, k + 1
            used.add(title.lower())
            neutralise_formulas(frame).to_excel(book, index=False, sheet_name=title)
    return write_bytes(path, buffer.getvalue())


__all__ = ["FORMULA_STARTS", "OutputError", "neutralise_cell", "neutralise_formulas",
           "write_bytes", "write_csv", "write_excel", "write_text", "write_workbook"]
