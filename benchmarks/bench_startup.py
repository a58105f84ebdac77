"""Start-up of each command against `python -c "import pandas"`, measured in the same run.

Each command runs as a fresh process (as a user starts it) ``--repeat`` times, alternating with
the baseline; the script prints the median wall time of each and its ratio to the baseline.
`--help` and `--version` import no pandas, so they should come in under 1x; `score` and `compare`
on a small CSV import pandas and the kit's counting, not Ibis, DuckDB, SciPy or statsmodels
(tests/test_startup.py checks the imports).

Usage: python benchmarks/bench_startup.py [--repeat R]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(cmd: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    py = sys.executable
    cli = [py, "-m", "nps_kit.cli.main"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "small.csv").write_text("score,segment\n9,a\n3,b\n10,a\n7,b\n")
        commands = {
            "baseline: import pandas": [py, "-c", "import pandas"],
            "python -c 'import nps_kit'": [py, "-c", "import nps_kit"],
            "nps-kit --version": [*cli, "--version"],
            "nps-kit --help": [*cli, "--help"],
            "nps-kit score small.csv": [*cli, "score", "small.csv"],
            "nps-kit compare demo data": [*cli, "compare", "demo:responses.csv"],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, cmd in commands.items():
                times[name].append(timed(cmd, tmp))
        base = statistics.median(times["baseline: import pandas"])
        print(f"{args.repeat} run(s) each; median wall time and ratio to `import pandas`")
        for name, values in times.items():
            med = statistics.median(values)
            print(f"  {name:30s} {med:6.2f} s   {med / base:5.2f}x")


if __name__ == "__main__":
    main()
