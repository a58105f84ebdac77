"""Start-up imports only what a command uses, checked in a fresh interpreter per command.

- ``nps-kit --help`` and ``--version``: no pandas, numpy or pyarrow;
- ``score`` and ``compare`` on a small CSV with the pandas engine: no Ibis, sqlglot, DuckDB,
  SciPy, statsmodels or matplotlib;
- ``import nps_kit``: no Ibis, DuckDB, statsmodels, seaborn or matplotlib.

Times are measured by benchmarks/bench_startup.py (ratios, never asserted here).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import contextlib, io, json, sys
args = json.loads(sys.argv[1])
if args is None:
    import nps_kit
else:
    from nps_kit.cli.main import main
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            code = main(args)
        except SystemExit as exc:
            code = exc.code
    assert code in (0, None), code
heavy = ["pandas", "numpy", "pyarrow", "ibis", "sqlglot", "duckdb", "scipy", "statsmodels",
         "matplotlib", "seaborn"]
print(json.dumps([m for m in heavy if m in sys.modules]))
"""

CASES = {
    "--help": (["--help"], {"pandas", "numpy", "pyarrow"}),
    "--version": (["--version"], {"pandas", "numpy", "pyarrow"}),
    "score": (["score", "{csv}", "--engine", "pandas"],
              {"ibis", "sqlglot", "duckdb", "scipy", "statsmodels", "matplotlib"}),
    "compare": (["compare", "demo:responses.csv", "--engine", "pandas"],
                {"ibis", "sqlglot", "duckdb", "scipy", "statsmodels", "matplotlib"}),
    "import nps_kit": (None, {"ibis", "duckdb", "statsmodels", "seaborn", "matplotlib"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_start_up_imports_only_what_the_command_uses(case, tmp_path):
    args, forbidden = CASES[case]
    csv = tmp_path / "small.csv"
    csv.write_text("score,segment\n9,a\n3,b\n10,a\n7,b\n")
    if args is not None:
        args = [a.format(csv=csv) for a in args]
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    loaded = set(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert loaded & forbidden == set(), f"{case} imported {sorted(loaded & forbidden)}"
