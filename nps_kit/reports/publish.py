"""Shareable outputs of a notebook executed by plain papermill: HTML, JSON and .xlsx.

``papermill templates/nps_report.ipynb out/nps_report.ipynb -p responses_file my.csv`` followed
by ``nps-kit publish out/nps_report.ipynb`` gives the same files ``nps-kit run`` writes: the HTML
export (:func:`nps_kit.reports.html.notebook_to_html`: no code, no script, no identifiers), the
JSON of recorded results with provenance (the parameters papermill injected, the SHA-256 of the
input files named in them) and the workbook of the reader tables. A notebook with a failed cell
is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nps_kit.errors import DataError

__all__ = ["Published", "publish_notebook"]


@dataclass(frozen=True)
class Published:
    """Files written by :func:`publish_notebook`."""

    html: Path
    json: Path
    workbook: Path | None


def publish_notebook(notebook: str | Path, outdir: str | Path | None = None) -> Published:
    """Write ``NAME.html``, ``NAME.json`` (and ``NAME.xlsx``) next to an executed notebook.

    Parameters
    ----------
    notebook : str or Path
        A notebook executed by papermill (``.ipynb``).
    outdir : str or Path, optional
        Folder for the outputs (default: the notebook's folder).

    Raises
    ------
    DataError
        The file is not a notebook, was not executed, or has a failed cell.
    """
    import nbformat

    from nps_kit.reports.html import notebook_to_html
    from nps_kit.reports.record import private_from_notebook, results_from_notebook
    from nps_kit.reports.runner import write_report_files

    path = Path(notebook)
    try:
        nb = nbformat.read(str(path), as_version=4)
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read the notebook {path}: {exc}; give an .ipynb file executed "
                        "by papermill") from None
    meta = nb.metadata.get("papermill") or {}
    failed = [c for c in nb.cells if c.cell_type == "code" and any(
        o.get("output_type") == "error" for o in c.get("outputs", []))]
    if failed or meta.get("exception"):
        raise DataError(f"{path} has a failed cell; fix the input and run papermill again "
                        "before publishing")
    if not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"):
        raise DataError(f"{path} has no outputs: execute it with papermill first")
    results = results_from_notebook(nb)
    name = path.stem
    out = Path(outdir) if outdir else path.parent
    page = notebook_to_html(nb, title=str(results.get("title") or name),
                            private_values=private_from_notebook(nb))
    provenance = {"notebook": str(path), "parameters": meta.get("parameters", {}),
                  "input_path": meta.get("input_path"), "papermill_version": meta.get("version")}
    timing = {"started": meta.get("start_time"), "finished": meta.get("end_time"),
              "seconds": meta.get("duration")}
    written = write_report_files(out, name, nb, page, results, provenance, timing,
                                 notebook=path.name)
    return Published(html=written["html"], json=written["json"], workbook=written["workbook"])
