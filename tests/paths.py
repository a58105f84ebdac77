"""Locations the tests read from: the repository and the shared reference/real data beside it."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REFERENCE = SHARED / "reference"
REALDATA = SHARED / "realdata"
