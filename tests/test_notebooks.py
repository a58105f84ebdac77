"""Execute the teaching notebooks in notebooks/ with papermill and check what they record.

Each notebook runs on a real python3 kernel into tmp_path (the ``run_template`` fixture of
conftest.py); the recorded key numbers are checked against computations made here by hand or
with independent code.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from nps_kit.io import read_responses, read_table

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _nb(name: str) -> Path:
    path = NOTEBOOKS / f"{name}.ipynb"
    assert path.exists(), path
    return path


def _demo_responses() -> pd.DataFrame:
    return read_responses("demo:responses.csv", score="score", id="respondent_id", wave="wave").data


ALL = ["01_nps_basics"]


@pytest.mark.parametrize("name", ALL)
def test_committed_without_outputs_and_with_parameters_cell(name):
    nb = json.loads(_nb(name).read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    first = code[0]
    assert "parameters" in first["metadata"].get("tags", [])
    lines = [ln for ln in "".join(first["source"]).splitlines() if ln.strip()]
    # every parameter: "name: type = literal  # help"
    assert lines and all(":" in ln.split("=")[0] and "=" in ln and "  # " in ln for ln in lines)
    # the course ends with exercises
    assert "## Exercises" in "".join(nb["cells"][-1]["source"])


def test_01_nps_basics(run_template, tmp_path):
    _, res = run_template(_nb("01_nps_basics"), tmp_path)
    # constructed waves: 20 % 0, 20 % 7, 60 % 10 and 25 % 6, 20 % 8, 55 % 9
    assert res["mean_before"] == pytest.approx(0.2 * 0 + 0.2 * 7 + 0.6 * 10)
    assert res["mean_after"] == pytest.approx(0.25 * 6 + 0.2 * 8 + 0.55 * 9)
    assert res["nps_before"] == pytest.approx(100 * (0.6 - 0.2))
    assert res["nps_after"] == pytest.approx(100 * (0.55 - 0.25))
    assert res["mean_after"] > res["mean_before"] and res["nps_after"] < res["nps_before"]
    # the demo wave, counted independently with pandas
    r = _demo_responses()
    s = r.loc[r["wave"] == res["demo_wave"], "score"].dropna()
    d, a, p = int((s <= 6).sum()), int(((s >= 7) & (s <= 8)).sum()), int((s >= 9).sum())
    assert res["demo_counts"] == [d, a, p]
    assert res["demo_nps"] == pytest.approx(100 * (p - d) / (d + a + p))
    waves = {row["wave"]: row for row in res["nps_by_wave"]}
    assert sorted(waves) == sorted(r["wave"].unique())
    for w, row in waves.items():
        sw = r.loc[r["wave"] == w, "score"].dropna()
        assert row["nps"] == pytest.approx(100 * ((sw >= 9).mean() - (sw <= 6).mean()))
        assert row["ci_low"] < row["nps"] < row["ci_high"]
