"""Running a report template: papermill in a fresh kernel, then .ipynb, .html and .json.

:func:`run_template` is what ``nps-kit run`` and ``nps-kit demo`` call. Parameters are checked
against the template's declarations before any kernel starts; outputs are written to a
temporary folder inside OUTDIR and written in (:mod:`nps_kit.data.writer`: atomically, never through
a link) only when everything succeeded, so a failed run leaves earlier reports untouched and keeps
only ``TEMPLATE.failed.ipynb`` for inspection. Work folders of killed runs are removed by the
next run (:func:`remove_stale_work_folders`).
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
import logging
import os
import re
import shutil
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from nps_kit.errors import ParameterError, TemplateError
from nps_kit.reports.catalog import Template, check_parameters, find_template
from nps_kit.data.writer import OutputError, write_text

KERNEL_NAME = "python3"
OUTPUT_DIR_PARAMETER = "output_dir"
"""A template that writes files besides the report declares this parameter; the runner sets it
to the run's output folder, and every ``*_output`` parameter names a file inside it."""
OUTPUT_SUFFIX = "_output"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_TRACE_LINE = re.compile(r"^-+> *(\d+) (.*)$", re.MULTILINE)
_PAPERMILL_TAGS = ("injected-parameters", "papermill-error-cell-tag")


class TemplateRunError(TemplateError):
    """A template's cell failed (or its kernel died); ``nps-kit run`` exits with code 1.

    Attributes
    ----------
    template : str
        Template name.
    cell : int or None
        1-based position of the failing cell in the template.
    failed_notebook : Path or None
        Where the partly executed notebook was kept.
    """

    def __init__(self, message: str, template: str, cell: int | None = None,
                 failed_notebook: Path | None = None) -> None:
        super().__init__(message)
        self.template = template
        self.cell = cell
        self.failed_notebook = failed_notebook


@dataclass(frozen=True)
class RunResult:
    """Outcome of a successful template run: where the files are and what was recorded."""

    template: str
    notebook: Path
    html: Path | None
    json: Path
    results: dict[str, Any] = field(repr=False)
    provenance: dict[str, Any] = field(repr=False)
    timing: dict[str, Any] = field(repr=False)
    workbook: Path | None = None

    @property
    def summary(self) -> pd.DataFrame:
        """One row per recorded result that is a single number or string."""
        rows = [(k, v) for k, v in self.results.items() if isinstance(v, (int, float, str, bool))]
        return pd.DataFrame(rows, columns=["result", "value"])

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def report_json(results: dict, provenance: dict, timing: dict, outputs: dict | None = None) -> str:
    """The text of ``TEMPLATE.json``: sorted keys, two-space indent, strict JSON, final newline."""
    payload = {"results": results, "provenance": provenance, "timing": timing}
    if outputs is not None:
        payload["outputs"] = outputs
    return json.dumps(payload, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds")


def _failed_cell(nb: Any) -> tuple[int | None, str, str]:
    """(1-based template cell number, the failing line, 'Name: message') of the failing cell."""
    position = 0
    for cell in nb.cells:
        if set(cell.get("metadata", {}).get("tags", [])) & set(_PAPERMILL_TAGS):
            continue
        position += 1
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "error":
                lines = [ln.strip() for ln in cell.source.splitlines() if ln.strip()]
                where = f"line 1: {lines[0]}" if lines else ""
                for frame in out.get("traceback", []):
                    m = _TRACE_LINE.search(_ANSI.sub("", frame))
                    if m:
                        where = f"line {m.group(1)}: {m.group(2).strip()}"
                        break
                error = f"{out.get('ename', 'Error')}: {_ANSI.sub('', str(out.get('evalue', '')))}"
                return position, where, error
    return None, "", ""


def _engine_name() -> str:
    """Register (once) a papermill engine whose kernel writes its own log to a file.

    The kernel process's stderr carries ipykernel's start/stop chatter, not cell output (cell
    output is captured in the notebook); it goes to ``kernel.log`` next to the running notebook
    instead of the user's terminal.
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    name = "nps-kit"
    if name in papermill_engines._engines:
        return name

    class _QuietKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None,
                                     kernel_log=None, kernel_env=None, **kwargs):
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log=logging.getLogger("papermill"),
                log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, **final)
            start = {} if kernel_env is None else {"env": kernel_env}  # the kernel's own environment
            if kernel_log is None:
                return client.execute(**start)
            return client.execute(stdout=kernel_log, stderr=kernel_log, **start)

    papermill_engines.register(name, _QuietKernelEngine)
    return name


def _execute(template: Template, parameters: dict[str, Any], target: Path, cwd: Path) -> None:
    import papermill as pm

    # Parameters were checked against the template already; papermill's own (stricter) parser
    # would only repeat warnings such as "Passed unknown parameter" for valid ones.
    logging.getLogger("papermill").setLevel(logging.ERROR)
    # Templates written without cell ids are valid nbformat 4; nbformat's nag is not for users.
    warnings.filterwarnings("ignore", message="Cell is missing an id field")
    from nps_kit.core.hints import CONTEXT_VARIABLE, PARAMETERS_VARIABLE, TEMPLATE_CONTEXT

    # Messages inside the kernel name template parameters. The variables go to the kernel's own
    # environment, never to this process's: runs in parallel threads (the demo) would race on it.
    env = {**os.environ, CONTEXT_VARIABLE: TEMPLATE_CONTEXT,
           PARAMETERS_VARIABLE: ",".join(template.parameter_names)}
    with open(target.parent / "kernel.log", "wb") as log:
        pm.execute_notebook(
            str(template.path), str(target), parameters=parameters, kernel_name=KERNEL_NAME,
            engine_name=_engine_name(), kernel_log=log, kernel_env=env, cwd=str(cwd),
            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
        )


def run_notebook(source: Path, target: Path, parameters: dict[str, Any], cwd: Path) -> None:
    """Execute any notebook with papermill on the ``python3`` kernel, the kernel's log in
    ``kernel.log`` beside ``target`` (not on the user's terminal).

    Raises
    ------
    papermill.PapermillExecutionError
        When a cell fails; ``target`` then holds the notebook with the error.
    """
    import papermill as pm

    logging.getLogger("papermill").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="Cell is missing an id field")
    with open(target.parent / "kernel.log", "wb") as log:
        pm.execute_notebook(
            str(source), str(target), parameters=parameters, kernel_name=KERNEL_NAME,
            engine_name=_engine_name(), kernel_log=log, cwd=str(cwd),
            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
        )


CHECK_COLUMNS_BYTES = 50_000_000
"""Input files up to this size are read before the kernel starts, to check column parameters."""


def check_input_columns(template: Template, parameters: dict[str, Any], given: set[str] | frozenset[str],
                        cwd: Path | None = None) -> None:
    """Refuse, before a kernel starts, a column parameter the user set that no input file has.

    Only parameters the user gave (``given``) and that end in ``_column`` or ``_columns`` are
    checked, against the columns of every ``*_file`` input that is a plain CSV, Excel or Parquet
    file up to :data:`CHECK_COLUMNS_BYTES` (a survey-tool export, whose score column may be
    named by its question text, and datasets are left to the template).

    Raises
    ------
    ParameterError
        Naming the parameter, the value, the files and their columns, and how to set it.
    """
    from nps_kit.data.files import read_file
    from nps_kit.data.layouts import LAYOUT_KEY
    from nps_kit.data.paths import is_dataset, resolve_path

    score_in_responses = "responses_file" in parameters  # the score is always needed there
    wanted = {k: v for k, v in parameters.items()
              if (k in given or (k == "score_column" and score_in_responses)) and
              (k.endswith("_column") or k.endswith("_columns")) and v}
    if not wanted:
        return
    files = {}
    for key, value in parameters.items():
        if not key.endswith("_file") or not value or not isinstance(value, str) or is_dataset(value):
            continue
        try:
            path = resolve_path(value) if value.startswith("demo:") or cwd is None \
                else (Path(cwd) / value if not Path(value).is_absolute() else Path(value))
            if not path.is_file() or path.stat().st_size > CHECK_COLUMNS_BYTES:
                continue
            frame = read_file(str(path))
        except Exception:  # the template reports unreadable files in its own words
            continue
        layout = frame.attrs.get(LAYOUT_KEY)
        if layout is not None and getattr(layout, "name", "plain") != "plain":
            continue
        files[value] = [str(c) for c in frame.columns]
    if not files:
        return
    known = set().union(*files.values())
    for key, value in wanted.items():
        names = value if isinstance(value, (list, tuple)) else [value]
        missing = [str(v) for v in names if str(v) not in known]
        if missing:
            listing = "; ".join(f"{f}: {', '.join(repr(c) for c in cols[:30])}"
                                for f, cols in files.items())
            raise ParameterError(
                f"template {template.name!r}: parameter {key} = {value!r} names no column of the "
                f"input ({', '.join(repr(m) for m in missing)} not found). The columns are: "
                f"{listing}. Set it with -p {key} NAME; nothing was run.")


def run_template(
    template: str | Path | Template,
    parameters: dict[str, Any] | None = None,
    outdir: str | Path = ".",
    *,
    html: bool = True,
    text_parameters: set[str] | frozenset[str] = frozenset(),
    cwd: str | Path | None = None,
) -> RunResult:
    """Run a report template and write ``TEMPLATE.ipynb``, ``.html`` and ``.json`` into ``outdir``.

    Parameters
    ----------
    template : str, Path or Template
        Name of an installed template, or the path of a notebook.
    parameters : dict, optional
        Values for declared parameters; the others keep their defaults.
    outdir : str or Path
        Folder for the outputs (created if missing).
    html : bool
        Also write the shareable HTML report.
    text_parameters : set of str
        Names whose values are raw command-line text, parsed by the declared type.
    cwd : str or Path, optional
        Working directory of the kernel (default: the current directory), so relative data
        paths resolve where the user ran the command.

    Returns
    -------
    RunResult

    Raises
    ------
    TemplateError, ParameterError
        Unknown template or parameter, a value that does not fit its declared type, a missing
        input file: raised before any kernel starts.
    TemplateRunError
        A cell failed; the executed notebook is kept as ``OUTDIR/TEMPLATE.failed.ipynb``.
    PrivacyError
        The HTML would show identifiers; nothing but the failed notebook is written.
    """
    import nbformat

    from nps_kit.reports.html import notebook_to_html
    from nps_kit.reports.provenance import provenance as make_provenance
    from nps_kit.reports.record import private_from_notebook, results_from_notebook

    tpl = template if isinstance(template, Template) else find_template(template)
    given = dict(parameters or {})
    if OUTPUT_DIR_PARAMETER in given:
        raise ParameterError(f"parameter {OUTPUT_DIR_PARAMETER!r} is set by the run itself to its "
                             "output folder; choose the folder with -o OUTDIR (outdir=...)")
    effective = check_parameters(tpl, given, from_text=text_parameters)
    _check_output_names(effective)
    cwd = Path(cwd or os.getcwd())
    check_input_columns(tpl, effective, set(given), cwd)
    prov = make_provenance(tpl, effective)  # hashes inputs; fails early on a missing file

    outdir = Path(outdir)
    if OUTPUT_DIR_PARAMETER in tpl.parameter_names:
        effective[OUTPUT_DIR_PARAMETER] = str(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError(f"cannot create the output folder {outdir}: {exc}") from None
    name = tpl.name
    remove_stale_work_folders(outdir, name)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=outdir))
        (tmp / _OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
    except OSError as exc:
        raise OutputError(f"cannot write into the output folder {outdir}: "
                          f"{exc.strerror or exc}; free some space or choose another -o") from None
    failed_path = outdir / f"{name}.failed.ipynb"
    final_notebook = outdir / f"{name}.ipynb"
    try:
        executed = tmp / f"{name}.ipynb"
        started, t0 = _now(), time.perf_counter()
        try:
            _execute(tpl, effective, executed, cwd)
        except Exception as exc:  # a failing cell, a dead kernel, a kernel that cannot start
            if isinstance(exc, OSError) and exc.errno in _DISK_ERRORS:
                raise OutputError(f"cannot write into the output folder {outdir}: "
                                  f"{exc.strerror}; free some space or choose another -o") from None
            if executed.exists():
                nb = nbformat.read(str(executed), as_version=4)
                cell, first, error = _failed_cell(nb)
                write_text(failed_path, _notebook_text(nb, failed_path))
            else:
                cell, first, error = None, "", ""
            error = error or f"{type(exc).__name__}: {_ANSI.sub('', str(exc)).strip()}"
            where = f" in cell {cell} of the template ({first})" if cell else ""
            kept = f"; the executed notebook is kept as {failed_path}" if failed_path.exists() else ""
            raise TemplateRunError(
                f"template {name!r} failed{where}: {error}{kept}", name, cell,
                failed_path if failed_path.exists() else None,
            ) from None
        finished, seconds = _now(), time.perf_counter() - t0

        nb = nbformat.read(str(executed), as_version=4)
        results = results_from_notebook(nb)
        if html:
            try:
                page = notebook_to_html(nb, title=str(results.get("title") or tpl.purpose or name),
                                        private_values=private_from_notebook(nb))
            except TemplateError:
                write_text(failed_path, _notebook_text(nb, failed_path))
                raise
        timing = {"started": started, "finished": finished, "seconds": round(seconds, 3)}
        write_text(final_notebook, _notebook_text(nb, final_notebook))
        written = write_report_files(outdir, name, nb, page if html else None, results, prov,
                                     timing, notebook=final_notebook.name)
        if failed_path.exists():
            failed_path.unlink()  # a stale failure from an earlier run no longer applies
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return RunResult(
        template=name,
        notebook=outdir / f"{name}.ipynb",
        html=outdir / f"{name}.html" if html else None,
        workbook=written["workbook"],
        json=outdir / f"{name}.json",
        results=results,
        provenance=prov,
        timing=timing,
    )


def write_report_files(outdir: Path, name: str, nb: Any, page: str | None, results: dict,
                       provenance: dict, timing: dict, *, notebook: str) -> dict[str, Path | None]:
    """Write ``NAME.html`` (when ``page``), ``NAME.xlsx`` (the reader tables, when any) and
    ``NAME.json`` through the one writer; the JSON's ``outputs`` names what was written.

    Used by :func:`run_template` and :func:`nps_kit.reports.publish.publish_notebook`.
    """
    from nps_kit.data.writer import write_workbook
    from nps_kit.reports.record import tables_from_notebook

    outdir = Path(outdir)
    sheets = tables_from_notebook(nb)
    outputs = {"notebook": notebook, "html": f"{name}.html" if page is not None else None,
               "workbook": f"{name}.xlsx" if sheets else None, "sheets": list(sheets)}
    html = write_text(outdir / f"{name}.html", page) if page is not None else None
    book = write_workbook(sheets, outdir / f"{name}.xlsx") if sheets else None
    js = write_text(outdir / f"{name}.json", report_json(results, provenance, timing, outputs))
    return {"html": html, "workbook": book, "json": js}


_OWNER_FILE = "owner.pid"
_DISK_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def remove_stale_work_folders(outdir: Path, name: str) -> list[Path]:
    """Remove ``.TEMPLATE-xxxx`` work folders in ``outdir`` left by runs that were killed.

    A work folder records the process that made it; one whose process is gone (or that records
    none) is stale. Folders of runs still going are kept. Returns what was removed.
    """
    removed = []
    for folder in Path(outdir).glob(f".{name}-*"):
        if not folder.is_dir() or folder.is_symlink():
            continue
        try:
            pid = int((folder / _OWNER_FILE).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            pid = None
        if pid is None or not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _notebook_text(nb, path: Path) -> str:
    """The executed notebook as it is saved: papermill's record of where it was written points
    at its final place, not at the run's temporary folder."""
    import nbformat

    meta = nb.metadata.get("papermill")
    if isinstance(meta, dict) and "output_path" in meta:
        meta["output_path"] = str(path)
    return nbformat.writes(nb)


def output_path(output_dir: str | Path, name: str, parameter: str = "output") -> Path:
    """Where a template writes the file ``name``: always inside the run's output folder.

    Parameters
    ----------
    output_dir : str or Path
        The run's output folder (the ``output_dir`` parameter that :func:`run_template` sets).
    name : str
        A file name or a relative path below ``output_dir`` (``call_list.csv``,
        ``lists/call_list.csv``).
    parameter : str
        The parameter that gave ``name``, for the message.

    Raises
    ------
    ParameterError
        ``name`` is empty, absolute, climbs out of the output folder with ``..`` or passes
        through a linked folder: a run writes only under the output folder it was given.
    """
    rel = _relative_output(name, parameter, output_dir)
    target = Path(output_dir) / rel
    folder = Path(output_dir)
    for part in rel.parts[:-1]:
        folder = folder / part
        if folder.is_symlink():
            raise ParameterError(f"parameter {parameter!r} = {str(name)!r}: {folder} is a link; "
                                 "a run writes only into real folders under its output folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _relative_output(name: str, parameter: str, output_dir: str | Path = "the -o folder") -> Path:
    rel = Path(str(name))
    if not str(name).strip() or rel.is_absolute() or ".." in rel.parts or rel.drive:
        raise ParameterError(
            f"parameter {parameter!r} = {str(name)!r}: give a file name inside the output folder "
            f"(for example 'call_list.csv'); a run writes only under its output folder "
            f"({output_dir}), so absolute paths and '..' are not allowed. Choose the folder with -o."
        )
    return rel


def _check_output_names(parameters: dict[str, Any]) -> None:
    for name, value in parameters.items():
        if name.endswith(OUTPUT_SUFFIX) and isinstance(value, str):
            _relative_output(value, name)


def load_parameter_file(path: str | Path) -> dict[str, Any]:
    """Read a YAML (or JSON) file of parameter values: a mapping of name -> value.

    Raises
    ------
    ParameterError
        If the file is missing, not valid YAML, or not a mapping.
    """
    import yaml

    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ParameterError(f"cannot read the parameters file {p}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise ParameterError(f"the parameters file {p} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError(
            f"the parameters file {p} must be a mapping of name: value lines, "
            f"not a {type(data).__name__}"
        )
    return {str(k): v for k, v in data.items()}


__all__ = [
    "CHECK_COLUMNS_BYTES", "check_input_columns", "KERNEL_NAME", "load_parameter_file", "OUTPUT_DIR_PARAMETER", "output_path", "OUTPUT_SUFFIX",
    "remove_stale_work_folders", "report_json", "run_notebook", "run_template", "write_report_files", "RunResult", "TemplateRunError",
]
