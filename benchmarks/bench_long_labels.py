"""The NPS report on a file with a 100,000-character label against the same file with short ones.

Two copies of the demo responses are written: one as it is, one with the label of one segment
and one channel replaced by 100,000 characters. `nps-kit run nps_report` runs on each (as a
subprocess, one after the other, alternating, ``--repeat`` times); the script prints the median
wall time and peak memory (the child's maximum resident set) of each, and their ratios. Labels
are shortened for display (nps_kit.core.safetext), so the target is a ratio of at most 2.

Usage: python benchmarks/bench_long_labels.py [--repeat R] [--length N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


from nps_kit.engines.dispatch import read_table


def run(data: Path, out: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "nps_kit.cli.main", "run", "nps_report", "-o",
                           str(out), "-p", "responses_file", str(data)], capture_output=True,
                          text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"nps_report failed on {data}:\n{proc.stderr}")
    # ru_maxrss of children is the largest child so far; each run is its own child process tree
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--length", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        short = read_table("demo:responses.csv")
        long = short.copy()
        first = sorted(long["segment"].dropna().unique())[0]
        label = ("Enterprise accounts with a very long name " * (args.length // 40 + 1))[: args.length]
        long["segment"] = long["segment"].replace(first, label)
        long["channel"] = long["channel"].replace("phone", label[::-1])
        short.to_csv(tmp / "short.csv", index=False)
        long.to_csv(tmp / "long.csv", index=False)
        times = {"short": [], "long": []}
        peaks = {"short": [], "long": []}
        for i in range(args.repeat):
            for name in ("short", "long"):
                s, m = run(tmp / f"{name}.csv", tmp / f"out_{name}_{i}")
                times[name].append(s)
                peaks[name].append(m)
        ts, tl = statistics.median(times["short"]), statistics.median(times["long"])
        print(f"label length {args.length:,} characters, {args.repeat} run(s) each, "
              f"{os.cpu_count()} cores")
        print(f"short labels: {ts:.1f} s   long label: {tl:.1f} s   ratio {tl / ts:.2f}x "
              "(target <= 2)")
        print(f"peak memory of the runs so far (MiB): short {max(peaks['short']):.0f}, "
              f"long {max(peaks['long']):.0f}")


if __name__ == "__main__":
    main()
