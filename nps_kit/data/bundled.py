"""Where the bundled templates and demo data live, installed or in a source checkout.

An installed nps-kit carries them as the packages ``nps_kit.templates`` and ``nps_kit.demo_data``
(``pyproject.toml`` maps the repository's top-level ``templates/`` and ``data/`` folders onto
those names). When the package is imported straight from a checkout - ``python -m ...`` run in the
repository, or a notebook kernel started there - those two names do not exist, and the folders are
found beside the ``nps_kit/`` directory instead. Both routes give the same files.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from nps_kit.errors import check_option

FOLDERS: dict[str, str] = {"templates": "templates", "demo_data": "data"}


def bundled_folder(kind: str) -> Path:
    """The folder holding the bundled ``"templates"`` or ``"demo_data"``.

    Parameters
    ----------
    kind : {"templates", "demo_data"}

    Returns
    -------
    Path
        A real directory (wheels install as plain files, so no extraction is needed).

    Examples
    --------
    >>> (bundled_folder("demo_data") / "responses.csv").is_file()
    True
    """
    check_option("kind", kind, tuple(FOLDERS))
    try:
        return Path(str(resources.files(f"nps_kit.{kind}")))
    except ModuleNotFoundError:
        checkout = Path(__file__).resolve().parents[2] / FOLDERS[kind]
        if (checkout / "__init__.py").is_file():
            return checkout
        raise


__all__ = ["bundled_folder", "FOLDERS"]
