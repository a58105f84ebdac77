"""Templates and demo data are found both from an installed package and from a source checkout."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nps_kit.data.bundled import bundled_folder
from nps_kit.errors import ParameterError
from paths import REPO as REPO_ROOT

PROBE = (
    "import json, nps_kit; from nps_kit.data.bundled import bundled_folder; "
    "from nps_kit.reports.catalog import list_templates; from nps_kit.data.paths import demo_files; "
    "print(json.dumps({'package': nps_kit.__file__, 'templates': [t.name for t in list_templates()], "
    "'demo': demo_files()}))"
)


def _probe(cwd) -> dict:
    proc = subprocess.run([sys.executable, "-c", PROBE], cwd=cwd, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("where", ["checkout", "elsewhere"])
def test_same_templates_and_demo_files_from_checkout_and_from_elsewhere(where, tmp_path):
    # run in the checkout, `python -c` imports nps_kit from the source tree (sys.path[0] is the
    # working directory); elsewhere it imports whatever is installed
    found = _probe(REPO_ROOT if where == "checkout" else tmp_path)
    if where == "checkout":
        assert found["package"].startswith(str(REPO_ROOT))
    expected_templates = sorted(p.stem for p in (REPO_ROOT / "templates").glob("*.ipynb"))
    expected_demo = sorted(p.name for p in (REPO_ROOT / "data").iterdir() if p.suffix in (".csv", ".yaml"))
    assert found["templates"] == expected_templates
    assert found["demo"] == expected_demo


def test_unknown_kind_is_refused():
    with pytest.raises(ParameterError, match="templates"):
        bundled_folder("notebooks")
