"""Self-contained HTML handouts of the teaching notebooks, readable offline, formulas rendered.

A handout keeps what a class reads (text, code, figures, tables, the exercises and their
self-checks) and leaves out the plumbing: cells tagged ``plumbing`` (what only the test suite
needs), the worked answers tagged ``solution`` (unless ``solutions=True``, the lecturer's key),
papermill's error cell and every recorded result.

Formulas are turned into MathML before the page is written (:func:`math_to_mathml`, with the
``latex2mathml`` package), so they render in any current browser with no script and no network:
the page carries the same no-script policy as the reports
(:data:`nps_kit.reports.html.CONTENT_SECURITY_POLICY`).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nps_kit.errors import ParameterError, TemplateError

PLUMBING_TAG = "plumbing"
"""Cells only the tests need (recording results); never in a handout."""
SOLUTION_TAG = "solution"
"""Worked answers; in a handout only with ``solutions=True``."""

_DROP_TAGS = {PLUMBING_TAG, "papermill-error-cell-tag", "remove-cell"}
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
# $...$ not touching a space inside, not a price like "$5 and $6"
_INLINE = re.compile(r"(?<![\\$\w])\$(?=\S)([^$\n]+?)(?<=\S)\$(?![\w$])")
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)


def math_to_mathml(markdown: str) -> str:
    """``markdown`` with every ``$$...$$`` and ``$...$`` formula replaced by MathML.

    Code spans and fenced code are left as they are. A formula latex2mathml cannot read is kept
    as its TeX source, so nothing is lost.
    """
    from latex2mathml.converter import convert

    def render(tex: str, display: str) -> str:
        try:
            out = convert(tex.strip(), display=display)
        except Exception:  # latex2mathml raises many kinds; the TeX stays readable as text
            return f"<code>{tex}</code>"
        return out if display == "inline" else f"\n\n<div class=\"formula\">{out}</div>\n\n"

    pieces = _CODE.split(markdown)
    for i in range(0, len(pieces), 2):  # even pieces are outside code
        text = _DISPLAY.sub(lambda m: render(m.group(1), "block"), pieces[i])
        pieces[i] = _INLINE.sub(lambda m: render(m.group(1), "inline"), text)
    return "".join(pieces)


def handout_notebook(nb: Any, solutions: bool = False) -> Any:
    """A copy of an executed notebook with only what a handout shows, formulas as MathML."""
    from nps_kit.reports.record import PRIVATE_MIMETYPE, RESULT_MIMETYPE

    nb = copy.deepcopy(nb)
    drop = set(_DROP_TAGS) | (set() if solutions else {SOLUTION_TAG})
    cells = []
    for cell in nb.cells:
        meta = cell.get("metadata") or {}
        if set(meta.get("tags", [])) & drop:
            continue
        meta.pop("jupyter", None)  # collapsed solutions open in the key
        if cell.cell_type == "markdown":
            cell.source = math_to_mathml(cell.source)
        elif cell.cell_type == "code":
            kept = []
            for out in cell.get("outputs", []):
                data = out.get("data") or {}
                if RESULT_MIMETYPE in data or PRIVATE_MIMETYPE in data:
                    continue
                if "text/markdown" in data:
                    text = data["text/markdown"]
                    data["text/markdown"] = math_to_mathml("".join(text) if isinstance(text, list) else text)
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    continue
                kept.append(out)
            cell.outputs = kept
        cells.append(cell)
    nb.cells = cells
    return nb


_STYLE = """<style>
.formula { overflow-x: auto; margin: 0.6em 0; }
math[display="block"] { font-size: 1.1em; }
@media (max-width: 600px) { body { font-size: 15px; } .jp-Cell { padding: 2px; } }
</style>"""


def handout_html(nb: Any, title: str, solutions: bool = False) -> str:
    """An executed teaching notebook as one self-contained HTML page (no script, no network).

    Raises
    ------
    TemplateError
        If the page would still load something or hold live markup (a fault of nps-kit).
    """
    from nbconvert import HTMLExporter

    from nps_kit.reports.html import live_markup, remote_resources, strip_remote_resources, with_security_policy

    exporter = HTMLExporter(template_name="lab", exclude_input_prompt=True, exclude_output_prompt=True,
                            embed_images=True)
    page, _ = exporter.from_notebook_node(handout_notebook(nb, solutions), resources={"metadata": {"name": title}})
    page = strip_remote_resources(page)
    head_end = page.lower().find("</head>")
    page = page[:head_end] + _STYLE + page[head_end:] if head_end >= 0 else _STYLE + page
    page = with_security_policy(page)
    left = remote_resources(page)
    live = live_markup(page)
    if left or live:  # pragma: no cover - guards against a changed nbconvert template
        raise TemplateError(f"the handout would load or run something: {(left + live)[:3]}")
    return page


@dataclass(frozen=True)
class Handout:
    """One handout written: the notebook it came from, the executed copy and the page."""

    source: Path
    executed: Path
    html: Path


def _has_outputs(nb: Any) -> bool:
    return any(c.cell_type == "code" and c.get("outputs") for c in nb.cells)


def make_handouts(notebooks: list[str | Path], outdir: str | Path, solutions: bool = False,
                  parameters: dict[str, Any] | None = None) -> list[Handout]:
    """Execute (when not yet executed) and export teaching notebooks as HTML handouts.

    Parameters
    ----------
    notebooks : list of path
        Notebooks, as committed (no outputs: they are run with papermill on a ``python3`` kernel)
        or already executed (exported as they are).
    outdir : path
        Folder for ``NAME.ipynb`` (the executed copy) and ``NAME.html``; nothing is written
        elsewhere.
    solutions : bool
        Keep the collapsed worked answers (the lecturer's key, ``NAME-key.html``).
    parameters : dict, optional
        Parameters for papermill, applied to every notebook that declares them.

    Returns
    -------
    list of Handout
    """
    import nbformat

    from nps_kit.data.writer import write_text

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    done = []
    for source in map(Path, notebooks):
        if not source.is_file():
            raise ParameterError(f"{source}: no such notebook; give the path of an .ipynb file "
                                 "(the course is in notebooks/)")
        try:
            nb = nbformat.read(source, as_version=4)
        except Exception as exc:
            raise ParameterError(f"{source}: not a notebook ({type(exc).__name__}); give an .ipynb file") from None
        name = source.stem
        executed = out / f"{name}.ipynb"
        if not _has_outputs(nb):
            import shutil
            import tempfile

            import papermill as pm

            from nps_kit.reports.runner import run_notebook

            declared = pm.inspect_notebook(str(source))
            given = {k: v for k, v in (parameters or {}).items() if k in declared}
            if executed.resolve() == source.resolve():
                raise ParameterError(f"{source}: the output folder is the notebook's own folder; "
                                     "give another -o DIR")
            # papermill writes into a private work folder; the kept copy goes through the one writer
            work = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=out))
            try:
                try:
                    run_notebook(source, work / f"{name}.ipynb", given, source.parent)
                except pm.PapermillExecutionError as exc:
                    failed = out / f"{name}.failed.ipynb"
                    write_text(failed, (work / f"{name}.ipynb").read_text(encoding="utf-8"))
                    raise TemplateError(f"{source}: cell {exc.exec_count} failed ({exc.ename}: {exc.evalue}); "
                                        f"the executed copy with the error is {failed}") from None
                nb = nbformat.read(work / f"{name}.ipynb", as_version=4)
            finally:
                shutil.rmtree(work, ignore_errors=True)
            write_text(executed, nbformat.writes(nb))
        else:
            executed = source
        title = next((c.source.splitlines()[0].lstrip("# ").strip() for c in nb.cells
                      if c.cell_type == "markdown" and c.source.startswith("# ")), name)
        html = out / (f"{name}-key.html" if solutions else f"{name}.html")
        write_text(html, handout_html(nb, title, solutions))
        done.append(Handout(source, executed, html))
    return done


__all__ = ["Handout", "handout_html", "handout_notebook", "make_handouts", "math_to_mathml",
           "PLUMBING_TAG", "SOLUTION_TAG"]
