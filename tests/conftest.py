"""Shared fixtures: executing report templates with papermill and calling the CLI as a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

from nps_kit.data.bundled import bundled_folder

REPO_ROOT = Path(__file__).resolve().parents[1]


def _template_path(name: str | Path) -> Path:
    """A template given by name (``"nps_report"``) or by path to an ``.ipynb`` file."""
    candidate = Path(name)
    if candidate.suffix == ".ipynb" and candidate.exists():
        return candidate
    return bundled_folder("templates") / f"{name}.ipynb"


_CACHES = {".pytest_cache", ".hypothesis", "__pycache__"}


@pytest.fixture(autouse=True)
def _writes_nothing_into_the_checkout():
    """Fail the test that leaves a new file or folder at the top of the checkout (the working
    directory of the test run): every run writes only under the output folder it was given."""
    before = {p.name for p in REPO_ROOT.iterdir()}
    yield
    new = sorted(n for n in {p.name for p in REPO_ROOT.iterdir()} - before - _CACHES
                 if not n.endswith(".egg-info"))
    assert not new, f"the test wrote {new} into {REPO_ROOT}, outside its output folder"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (tests/cdp.py); a missing Chromium fails, never skips."""
    import os

    from cdp import CHROMIUM, MISSING, Browser

    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(MISSING.format(path=CHROMIUM), pytrace=False)
    b = Browser(CHROMIUM)
    yield b
    b.close()


@pytest.fixture
def run_template() -> Callable[..., tuple[Path, dict[str, Any]]]:
    """Execute a template with papermill on a python3 kernel and return (notebook, results).

    Usage: ``nb_path, results = run_template("nps_report", tmp_path, confidence=0.9)``.
    The executed notebook is written to ``tmp_path / "<name>.ipynb"``; the kernel's working
    directory is ``tmp_path``. ``results`` is what the template recorded with
    ``nps_kit.reports.record``.
    """
    import papermill as pm

    from nps_kit.reports import recorded_results

    def _run(name: str | Path, tmp_path: Path, **params: Any) -> tuple[Path, dict[str, Any]]:
        src = _template_path(name)
        out = Path(tmp_path) / f"{src.stem}.ipynb"
        pm.execute_notebook(
            str(src), str(out), parameters=params, kernel_name="python3",
            cwd=str(tmp_path), progress_bar=False, log_output=False,
        )
        return out, recorded_results(out)

    return _run


@pytest.fixture
def cli() -> Callable[..., subprocess.CompletedProcess]:
    """Run ``python -m nps_kit.cli.main *args`` as a subprocess; returns the CompletedProcess.

    Keyword arguments (``cwd=``, ``env=``, ``input=``, ``timeout=``) go to ``subprocess.run``;
    stdout and stderr are captured as text.
    """

    def _cli(*args: Any, **kwargs: Any) -> subprocess.CompletedProcess:
        kwargs.setdefault("timeout", 600)
        return subprocess.run(
            [sys.executable, "-m", "nps_kit.cli.main", *map(str, args)],
            capture_output=True, text=True, **kwargs,
        )

    return _cli
