"""Argument types and output helpers shared by the CLI commands."""

from __future__ import annotations

import argparse
import math

import numpy as np
import pandas as pd


def parse_level(text: str) -> float:
    """A confidence or rate given as a fraction (0.95) or a percentage (95)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value >= 1.0 and value < 100.0:
        value /= 100.0
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(
            f"{text!r} must lie strictly between 0 and 1 (or 0 and 100 as a percentage)"
        )
    return value


def parse_confidence(text: str) -> float:
    """A confidence level as a fraction (0.95) or a percentage of 50 or more (95)."""
    value = parse_level(text)
    if float(text) >= 1.0 and value < 0.5:
        raise argparse.ArgumentTypeError(
            f"{text!r} is ambiguous: give the level as a fraction between 0 and 1 (0.95) "
            "or as a percentage between 50 and 100 (95)"
        )
    return value


def add_confidence_argument(parser: argparse.ArgumentParser) -> None:
    """The ``--confidence`` option, as 0.95 or 95."""
    parser.add_argument("--confidence", type=parse_confidence, default=0.95,
                        help="confidence level, as 0.95 or 95 (default 0.95)")


def json_value(value):
    """A JSON-safe Python value: numpy scalars unwrapped, NaN and NA as None."""
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def frame_to_records(frame: pd.DataFrame) -> list[dict]:
    """Rows of a DataFrame as JSON-safe dicts."""
    return [{str(k): json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]
