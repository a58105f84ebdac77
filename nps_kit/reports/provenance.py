"""Provenance of a report: what produced it, from which inputs, with which software.

Everything here is deterministic for the same inputs on the same installation, so two runs of a
template with the same parameters and files give byte-identical provenance. Times are not part
of it (the runner keeps them under their own key).
"""

from __future__ import annotations

import hashlib
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

from nps_kit._version import __version__
from nps_kit.errors import ParameterError
from nps_kit.core.jsonable import to_jsonable

KEY_PACKAGES: tuple[str, ...] = (
    "numpy", "pandas", "scipy", "statsmodels", "matplotlib", "seaborn", "papermill",
    "nbconvert", "ipykernel", "pyyaml",
)
"""Packages whose versions are recorded (the kit's scientific and report stack)."""

_PATH_SUFFIXES = ("_file", "_path", "_files", "_paths")
_OUTPUT_SUFFIX = "_output"
_OUTPUT_DIR = "output_dir"


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def package_versions(names: tuple[str, ...] = KEY_PACKAGES) -> dict[str, str | None]:
    """Installed version of each package (None when it is not installed)."""
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _candidate_paths(name: str, value: Any) -> list[str]:
    values = value if isinstance(value, (list, tuple)) else [value]
    return [v for v in values if isinstance(v, str) and v.strip()]


def input_files(parameters: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """The files named by parameters, each with its SHA-256.

    Parameters that name what the run writes (``output_dir`` and ``*_output``) are never inputs.
    A parameter names a file when its value (or an item of its list value) is a ``demo:`` path,
    an existing file, or when its name ends in ``_file``/``_path`` (then the file must exist).
    Paths are resolved with :func:`nps_kit.data.paths.resolve_path` (``demo:`` files, relative paths
    against the current directory), but recorded as the user wrote them so the provenance does
    not depend on where the kit is installed.

    Returns
    -------
    dict
        Parameter name -> list of ``{"path": as given, "sha256": hex}``.

    Raises
    ------
    ParameterError
        If a path parameter names a file that does not exist.
    """
    from nps_kit.data.paths import resolve_path

    found: dict[str, list[dict[str, str]]] = {}
    for name, value in parameters.items():
        if name.endswith(_OUTPUT_SUFFIX) or name == _OUTPUT_DIR:
            continue  # what a run writes is never one of its inputs
        is_path_param = name.endswith(_PATH_SUFFIXES) or name in ("file", "path")
        for text in _candidate_paths(name, value):
            dataset = _dataset_files(text)
            if dataset is not None:  # a folder, a glob or a duckdb: table: every file it reads
                if not dataset and is_path_param:
                    raise ParameterError(f"parameter {name!r}: {text!r} names no file (an empty "
                                         "folder, a glob that matches nothing, or a missing "
                                         "DuckDB database); check the path")
                found.setdefault(name, []).extend(
                    {"path": shown, "sha256": file_sha256(path)} for shown, path in dataset)
                continue
            try:
                path = resolve_path(text)
            except (OSError, ValueError) as exc:
                raise ParameterError(f"parameter {name!r}: {exc}") from None
            if path.is_file():
                found.setdefault(name, []).append({"path": text, "sha256": file_sha256(path)})
            elif is_path_param or text.startswith("demo:"):
                raise ParameterError(
                    f"parameter {name!r} names the file {text!r}, which does not exist "
                    f"(looked for {path}); relative paths are read from the directory you run from"
                )
    return found


def _dataset_files(text: str) -> list[tuple[str, Path]] | None:
    """The files behind a source that is not one file: a Parquet folder (every file below it),
    a glob, or ``duckdb:FILE:TABLE`` (the database file); None for anything else. Each file is
    given as written (folder/relative path) and as a path, sorted."""
    import glob

    from nps_kit.data.paths import DUCKDB_PREFIX, is_dataset

    if not is_dataset(text):
        return None
    if text.startswith(DUCKDB_PREFIX):
        database = text[len(DUCKDB_PREFIX):].rsplit(":", 1)[0]
        path = Path(database).expanduser()
        return [(database, path)] if path.is_file() else []
    path = Path(text).expanduser()
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        return [(f"{text.rstrip('/')}/{p.relative_to(path).as_posix()}", p) for p in files]
    matches = sorted(Path(m) for m in glob.glob(str(path), recursive=True))
    return [(m.as_posix(), m) for m in matches if m.is_file()]


def provenance(template: Any, parameters: dict[str, Any]) -> dict[str, Any]:
    """Everything that determines a report's numbers, as a JSON-ready dict.

    Parameters
    ----------
    template : Template
        The template (name and file).
    parameters : dict
        The effective parameters (defaults and given values).

    Returns
    -------
    dict
        ``nps_kit`` (version), ``template`` (name, sha256 of the notebook), ``parameters``,
        ``inputs`` (SHA-256 of every input file), ``seed`` (the ``seed`` parameter or None),
        ``python`` and ``packages`` (versions).
    """
    return {
        "nps_kit": __version__,
        "template": {"name": template.name, "sha256": file_sha256(template.path)},
        "parameters": to_jsonable({k: v for k, v in parameters.items() if k != _OUTPUT_DIR}),
        "inputs": input_files(parameters),
        "seed": parameters.get("seed"),
        "python": platform.python_version(),
        "packages": package_versions(),
    }


__all__ = ["file_sha256", "input_files", "KEY_PACKAGES", "package_versions", "provenance"]
