"""Run times of `nps-kit series`: the first build of 12 months, then the 13th month alone.

Baseline, measured in the same process: one `nps-kit run nps_report` on one month (the cost of
one period's report). The script prints each run's wall time as a ratio to that baseline, so
the numbers compare across machines: the first build should be about 12 baselines (one report
per month) and the update about one (only the new month is built, the 12 finished months are
hashed and skipped, and the site is redrawn from the history store).

Usage: python benchmarks/bench_series.py [--per-month N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from seriesdata import monthly_responses  # noqa: E402

OPTIONS = ["--date-column", "submitted_at", "--score-column", "likelihood",
           "--segment-column", "tenure_band", "-p", "id_column", "resp",
           "-p", "driver_columns", "[tenure_band]"]


def timed(args: list[str], allow: tuple[int, ...] = (0,)) -> float:
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "nps_kit.cli.main", *args], capture_output=True,
                          text=True)
    seconds = time.perf_counter() - t0
    if done.returncode not in allow:
        raise SystemExit(f"failed: {' '.join(args)}\n{done.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-month", type=int, default=300, help="responses per month")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        one = monthly_responses(months=1, per_month=args.per_month)
        one.assign(month=one["submitted_at"].str[:7]).to_csv(root / "one.csv", index=False)
        baseline = timed(["run", "nps_report", "-p", "responses_file", str(root / "one.csv"),
                          "-p", "score_column", "likelihood", "-p", "wave_column", "month",
                          "-p", "segment_column", "tenure_band", "-p", "id_column", "resp",
                          "-p", "driver_columns", "[tenure_band]", "-o", str(root / "one")])
        source = root / "responses.csv"
        monthly_responses(months=12, per_month=args.per_month).to_csv(source, index=False)
        first = timed(["series", str(source), "-o", str(root / "site"), *OPTIONS])
        monthly_responses(months=13, per_month=args.per_month).to_csv(source, index=False)
        update = timed(["series", str(source), "-o", str(root / "site"), *OPTIONS])
        again = timed(["series", str(source), "-o", str(root / "site"), *OPTIONS])
    print(f"baseline: one nps_report run on one month ({args.per_month} rows) = 1.00")
    print(f"first build, 12 months       {first / baseline:6.2f} x baseline")
    print(f"update with a 13th month     {update / baseline:6.2f} x baseline")
    print(f"rerun with nothing new       {again / baseline:6.2f} x baseline")
    print(f"(absolute on this machine: baseline {baseline:.1f} s, first {first:.1f} s, "
          f"update {update:.1f} s, rerun {again:.1f} s; noise on shared machines)")


if __name__ == "__main__":
    main()
