"""The demo files: the world written as CSV and YAML bytes, and ``python -m nps_kit.simulate``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
import yaml

from nps_kit.data.writer import write_bytes
from nps_kit.simulate.draws import DEFAULT_SEED
from nps_kit.simulate.world import (
    DEMO_FILES,
    PREVIOUS_EMPLOYEES_FILE,
    PROTOCOL_FIELDS,
    VENDOR,
    simulate_employees_previous,
    simulate_world,
)

def protocol_records(protocol: pd.DataFrame) -> list[dict]:
    """The protocol table as plain records (channels as lists), the shape of ``protocol.yaml``."""
    records = protocol[PROTOCOL_FIELDS].to_dict(orient="records")
    return [{k: (list(v) if k == "channels" else str(v)) for k, v in r.items()} for r in records]


def _csv_bytes(df: pd.DataFrame) -> bytes:
    if "score" in df.columns:  # whole numbers, written without decimals; blank = no answer
        df = df.assign(score=pd.array(df["score"].to_numpy(dtype=float), dtype="Float64").astype("Int64"))
    return df.to_csv(index=False, lineterminator="\n", float_format="%.2f").encode("utf-8")


def _yaml_bytes(protocol: pd.DataFrame, seed: int) -> bytes:
    doc = {
        "synthetic": True,
        "description": (f"SYNTHETIC demo protocol of the fictional vendor {VENDOR}, written by "
                        f"nps_kit.simulate (seed {seed}). Not real survey data."),
        "waves": protocol_records(protocol),
    }
    text = yaml.safe_dump(doc, sort_keys=True, default_flow_style=False, allow_unicode=False,
                          width=100, line_break="\n")
    return text.encode("utf-8")


def demo_file_bytes(seed: int = DEFAULT_SEED) -> dict[str, bytes]:
    """The bytes of every demo file for ``seed``, keyed by file name."""
    world = simulate_world(seed)
    out = {f"{name}.csv": _csv_bytes(world[name])
           for name in ("customers", "responses", "outcomes", "employees", "headcount")}
    out[PREVIOUS_EMPLOYEES_FILE] = _csv_bytes(simulate_employees_previous(seed=seed))
    out["protocol.yaml"] = _yaml_bytes(world["protocol"], seed)
    return {name: out[name] for name in DEMO_FILES}


def write_demo_data(directory: str | Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the demo files into ``directory`` (created if needed); returns the paths written.

    Files: ``customers.csv``, ``responses.csv``, ``outcomes.csv``, ``employees.csv``,
    ``employees_previous.csv``, ``headcount.csv`` and ``protocol.yaml``. Same seed, same bytes.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in demo_file_bytes(seed).items():
        path = directory / name
        write_bytes(path, content)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """``python -m nps_kit.simulate --out data [--seed 2024]``: (re)write the demo files."""
    parser = argparse.ArgumentParser(prog="python -m nps_kit.simulate",
                                     description="Write the SYNTHETIC nps-kit demo data files.")
    parser.add_argument("--out", default="data", help="directory to write into (default: data)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed (default: {DEFAULT_SEED}, the bundled demo data)")
    args = parser.parse_args(argv)
    for path in write_demo_data(args.out, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = [
    "demo_file_bytes", "main", "protocol_records", "write_demo_data",
]
