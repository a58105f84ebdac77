"""Wall time of `nps-kit demo` against a floor measured in the same run.

The floor is one papermill execution (as a subprocess, like the demo) of a notebook that only
imports nps_kit and its dependencies (pandas, numpy, scipy, statsmodels, matplotlib, seaborn):
the cost of starting Python, papermill and one kernel with the kit loaded, which no template
run can avoid. The script prints demo / floor and, per template, the kernel execution time
recorded in its JSON (``timing.seconds``), so one sees where the time goes.

Usage: python benchmarks/bench_demo.py [--jobs N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

FLOOR_CODE = (
    "import nps_kit, nps_kit.core.summary, nps_kit.data.files, nps_kit.reports\n"
    "import numpy, pandas, scipy.stats, statsmodels.api, matplotlib.pyplot, seaborn"
)


FAILURES: list[str] = []


def timed(cmd: list[str], cwd: Path, allow_failure: bool = False) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        if not allow_failure:
            sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
        FAILURES.extend(line for line in proc.stderr.splitlines() if "error:" in line)
    return seconds


def floor_seconds(work: Path) -> float:
    nb = new_notebook(cells=[new_code_cell(FLOOR_CODE)],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                               "language": "python"}})
    src = work / "floor.ipynb"
    nbformat.write(nb, str(src))
    return timed([sys.executable, "-m", "papermill", "--no-progress-bar", "-k", "python3",
                  str(src), str(work / "floor_out.ipynb")], work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=None, help="passed to nps-kit demo")
    parser.add_argument("--repeat", type=int, default=1, help="demo runs (the best is reported)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        floors, demos = [floor_seconds(work)], []
        for r in range(args.repeat):
            out = work / f"demo{r}"
            cmd = [sys.executable, "-m", "nps_kit.cli.main", "demo", "-o", str(out)]
            if args.jobs:
                cmd += ["--jobs", str(args.jobs)]
            demos.append(timed(cmd, work, allow_failure=True))
            floors.append(floor_seconds(work))
        floor, demo = min(floors), min(demos)
        per_template = {
            p.stem: json.loads(p.read_text())["timing"]["seconds"]
            for p in sorted(out.glob("*.json"))
        }

    jobs = args.jobs or os.cpu_count()
    print(f"cpus: {os.cpu_count()}, demo jobs: {jobs}, templates: {len(per_template)}, "
          f"load average (1 min) at the end: {os.getloadavg()[0]:.1f}")
    print(f"floor (papermill, imports only):   {floor:7.2f} s   (runs: "
          + ", ".join(f"{f:.2f}" for f in floors) + ")")
    print(f"nps-kit demo (all templates):      {demo:7.2f} s")
    print(f"demo / floor:                      {demo / floor:7.2f}")
    print(f"ideal with {jobs} parallel jobs:     ~{len(per_template) / jobs:5.2f} floors "
          "(each template pays at least one floor)")
    print("kernel execution per template (timing.seconds in its JSON):")
    for name, s in sorted(per_template.items(), key=lambda kv: -kv[1]):
        print(f"  {name:24s} {s:7.2f} s   ({s / floor:5.2f} floors)")
    for line in FAILURES:
        print(f"  FAILED (not in the figures above): {line}")
    total = sum(per_template.values())
    print(f"  {'sum':24s} {total:7.2f} s; demo wall time is {demo / total:.0%} of the sum "
          "(the rest of the sum ran in parallel)")


if __name__ == "__main__":
    main()
