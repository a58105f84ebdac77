"""Counting in DuckDB at scale: ``nps-kit score`` on a 50-million-row Parquet file.

Prints figures measured in one run (absolute times on a shared machine are noise, ratios less so):

1. ``nps-kit score FILE --by segment`` (default options: ``--engine auto`` counts 50 million
   rows in DuckDB, deciding by rows, not by the file's 90 MiB) as a subprocess on a generated Parquet file
   (score 0-10 with 2 % blanks, a string segment column with 1,000 values, a wave column): its peak
   resident memory (target < 1 GiB) and its wall time against a bare DuckDB
   ``SELECT segment, score, count(*) ... GROUP BY`` of the same counts, also run as a subprocess
   (target < 1.5x). The command's fixed start-up (importing pandas, scipy, Ibis) is timed too
   (``nps-kit score`` on a 3-row file), and in-process ratios to the same bare query on one DuckDB
   connection (``read_source`` + ``summarize``, and the whole command through ``cli.main``) are
   printed, so the per-row cost and the constant cost of starting Python can be told apart.
2. The pandas path on 10 million rows against the numpy bincount floor of
   benchmarks/bench_summarize.py (target <= 1.5x).
3. The counts of the two paths are checked equal before anything is timed.

Peak memory is ``ru_maxrss`` of the measured child, read by a small wrapper process around each
command (so one command's peak is not mixed with another's).

Usage: python benchmarks/bench_engine.py [--rows 50000000] [--pandas-rows 10000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_summarize import best_of, floor  # noqa: E402

from nps_kit.cli.main import main as cli_main  # noqa: E402
from nps_kit.engines.reading import read_source  # noqa: E402
from nps_kit.engines.dispatch import summarize  # noqa: E402

# Runs a command and prints its wall time and the peak RSS (KiB) of that command alone.
WRAPPER = ("import resource, subprocess, sys, time\n"
           "t = time.perf_counter()\n"
           "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
           "wall = time.perf_counter() - t\n"
           "if p.returncode: sys.exit(p.stderr)\n"
           "print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")


def measured(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MiB) of ``cmd`` run as a child of a fresh wrapper process."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], capture_output=True, text=True, check=True)
    wall, kib = out.stdout.split()
    return float(wall), int(kib) / 1024


def generate(path: Path, rows: int) -> None:
    """A deterministic Parquet file of ``rows`` responses, written by DuckDB in a stream."""
    duckdb.sql(f"""
        COPY (SELECT CASE WHEN hash(i + 2) % 50 = 0 THEN NULL
                          ELSE CAST(hash(i) % 11 AS TINYINT) END AS score,
                     'segment-' || lpad(CAST(hash(i + 1) % 1000 AS VARCHAR), 3, '0') AS segment,
                     CASE WHEN i % 2 = 0 THEN '2024-H1' ELSE '2024-H2' END AS wave
              FROM range({rows}) t(i))
        TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)
    """)


def bare_query(path: Path) -> str:
    return f"SELECT segment, score, count(*) AS n FROM read_parquet('{path}') GROUP BY ALL"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=50_000_000)
    ap.add_argument("--pandas-rows", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    nps_kit = [sys.executable, "-m", "nps_kit.cli.main"]

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "responses.parquet"
        t0 = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - t0:.1f} s "
              f"({path.stat().st_size / 2**20:,.0f} MiB Parquet)")

        # same numbers first: the CLI's counts against the bare GROUP BY
        out = subprocess.run([*nps_kit, "score", str(path), "--engine", "duckdb", "--by", "segment",
                              "--json"], capture_output=True, text=True, check=True)
        groups = pd.DataFrame(json.loads(out.stdout)["results"]["groups"])
        bare = duckdb.sql(bare_query(path)).df()
        bare["cat"] = pd.cut(bare.score, [-1, 6, 8, 10], labels=["detractors", "passives", "promoters"])
        ref = bare.dropna(subset=["score"]).pivot_table(index="segment", columns="cat", values="n",
                                                         aggfunc="sum", observed=False)
        assert len(groups) == 1000 and (groups.set_index("segment")[ref.columns].to_numpy() ==
                                        ref.to_numpy()).all()
        assert int(groups.nonrespondents.sum()) == int(bare.loc[bare.score.isna(), "n"].sum())
        print("counts: nps-kit score --engine duckdb == bare DuckDB GROUP BY (1,000 segments)")

        tiny = Path(tmp) / "tiny.parquet"
        pd.DataFrame({"score": [10, 3, 7], "segment": ["a", "b", "a"]}).to_parquet(tiny)
        bare_cmd = [sys.executable, "-c", f"import duckdb; duckdb.sql({bare_query(path)!r}).fetchall()"]
        kit_cmd = [*nps_kit, "score", str(path), "--by", "segment"]  # default options: auto
        start_cmd = [*nps_kit, "score", str(tiny), "--engine", "duckdb", "--by", "segment"]
        kit, base, start = [], [], []
        for _ in range(args.repeat):
            kit.append(measured(kit_cmd))
            base.append(measured(bare_cmd))
            start.append(measured(start_cmd))
        t_kit, t_bare, t_start = (min(w for w, _ in runs) for runs in (kit, base, start))
        rss = max(r for _, r in kit)
        print(f"nps-kit score {args.rows:,} rows --by segment, default options (best of {args.repeat}):")
        print(f"  peak RSS                                  = {rss:7.0f} MiB  (target < 1024)")
        print(f"  bare DuckDB GROUP BY peak RSS             = {max(r for _, r in base):7.0f} MiB")
        print(f"  wall: nps-kit {t_kit:.2f} s, bare DuckDB {t_bare:.2f} s, "
              f"nps-kit start-up on 3 rows {t_start:.2f} s")
        print(f"  nps-kit / bare DuckDB GROUP BY (wall)     = {t_kit / t_bare:5.2f}x  (target < 1.5)")
        print(f"  (nps-kit - start-up) / bare DuckDB        = {(t_kit - t_start) / t_bare:5.2f}x")

        # a fresh connection per call, as read_source and the command open one
        t_q = best_of(lambda: duckdb.connect().sql(bare_query(path)).fetchall(), args.repeat)
        t_lib = best_of(lambda: summarize(read_source(str(path), "score", by="segment"), by="segment"),
                        args.repeat)
        print(f"  in one process: read_source + summarize / bare query = {t_lib / t_q:5.2f}x "
              f"({t_lib:.2f} s vs {t_q:.2f} s)")

        def warm_cli():
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                assert cli_main(["score", str(path), "--engine", "duckdb", "--by", "segment"]) == 0

        t_cli = best_of(warm_cli, args.repeat)
        print(f"  in one process: nps-kit score (cli main) / bare query = {t_cli / t_q:5.2f}x "
              f"({t_cli:.2f} s vs {t_q:.2f} s; the command without interpreter start-up and imports)")

    rng = np.random.default_rng(0)
    n, n_groups = args.pandas_rows, 1000
    g = rng.integers(0, n_groups, n)
    s = rng.choice(11, size=n, p=np.r_[np.full(7, 0.3 / 7), 0.15, 0.15, 0.2, 0.2])
    frame = pd.DataFrame({"group": g, "score": s})
    assert np.array_equal(summarize(frame, "score", by="group")[["detractors", "passives", "promoters"]]
                          .to_numpy(), floor(g, s, n_groups))
    t_floor = best_of(lambda: floor(g, s, n_groups), args.repeat + 2)
    t_pandas = best_of(lambda: summarize(frame, "score", by="group"), args.repeat + 2)
    print(f"pandas path: {n:,} responses in {n_groups:,} groups (best of {args.repeat + 2})")
    print(f"  summarize / floor (numpy bincount)        = {t_pandas / t_floor:5.2f}x  (target <= 1.5)")


if __name__ == "__main__":
    main()
