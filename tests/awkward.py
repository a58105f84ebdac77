"""Awkward data nobody shaped for the kit: tiny, blank-only and one-category groups, 100 segments,
one or two waves, very long and non-ASCII labels; and a checker for recorded results.

Used by tests/test_awkward_data.py.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

LONG = "Ünïcødé 市场部 — " + "a very long segment name " * 400  # about 10,000 characters
NPS_KEYS = {"nps", "enps", "nps_shrunk", "shrunk_low", "shrunk_high", "nps_1", "nps_2",
            "nps_from", "nps_to", "nps_previous", "nps_current", "enps_previous",
            "enps_current", "lcl", "ucl", "centre", "weighted_nps"}
CHANGE_KEYS = {"delta", "change", "nps_effect", "slope", "slope_low", "slope_high"}
ESTIMATES = ("nps", "enps", "delta", "nps_effect", "change")


def _segments(rng: np.random.Generator, n: int) -> np.ndarray:
    """100 segments: one large, a long-named one, one-respondent ones, one-category ones."""
    names = [f"S{i:03d}" for i in range(96)] + [LONG, "Kundenservice Köln", "東京", "solo"]
    weights = np.r_[np.full(96, 1.0), 30.0, 5.0, 5.0, 0.0]
    weights[:40] = 0.05  # many segments of one or two respondents
    seg = rng.choice(names, size=n, p=weights / weights.sum())
    seg[:1] = "solo"  # exactly one respondent
    return seg


def write_awkward(folder: Path, seed: int = 7) -> dict[str, dict[str, Any]]:
    """Write the awkward files; return the parameters of every template for them."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n = 900
    seg = _segments(rng, n)
    score = rng.integers(0, 11, n).astype(float)
    score[seg == "東京"] = 10.0  # one-category group: all promoters
    score[seg == "Kundenservice Köln"] = rng.choice([0.0, 3.0], (seg == "Kundenservice Köln").sum())
    blank_only = np.isin(seg, ["S050", "S051"])
    score[blank_only] = np.nan  # segments with only blank scores
    score[rng.random(n) < 0.1] = np.nan
    ids = np.array([f"C{i:05d}" for i in range(n)])
    comments = np.where(rng.random(n) < 0.5, "Support was slow and the price is too high", "")
    comments[seg == LONG] = "Ünïcødé comment ✓ about the onboarding 👍"
    one = pd.DataFrame({"respondent_id": ids, "wave": "2026-10", "channel":
                        rng.choice(["email", "phone"], n, p=[0.97, 0.03]), "segment": seg,
                        "score": score, "comment": comments})
    one.to_csv(folder / "one_wave.csv", index=False)
    two = one.copy()
    two.loc[two.index[::2], "wave"] = "2026-09"
    two.to_csv(folder / "two_waves.csv", index=False)
    one.drop(columns=["segment"]).to_csv(folder / "no_segment.csv", index=False)

    customers = pd.DataFrame({
        "customer_id": ids, "company": [f"Firma {i}" for i in range(n)],
        "contact_name": [f"Person {i}" for i in range(n)],
        "contact_email": [f"p{i}@example.com" for i in range(n)], "segment": seg,
        "region": "EU", "annual_revenue": np.round(rng.lognormal(8, 2, n), 2)})
    customers.loc[customers.index[:3], "annual_revenue"] = 0.0
    customers.to_csv(folder / "customers.csv", index=False)
    churn = (rng.random(n) < 0.05).astype(int)
    pd.DataFrame({"customer_id": ids, "ltv": np.round(rng.lognormal(9, 1, n), 2),
                  "churned": churn, "repeat_purchases": rng.integers(0, 4, n)}
                 ).to_csv(folder / "outcomes.csv", index=False)

    m = 140
    dept = rng.choice(["Sales", LONG[:300], "Ops", "Legal", "Tiny"], m, p=[0.4, 0.2, 0.3, 0.07, 0.03])
    emp = pd.DataFrame({"respondent_id": [f"E{i:04d}" for i in range(m)], "department": dept,
                        "location": rng.choice(["Köln", "東京"], m), "tenure_band":
                        rng.choice(["<1y", "1-3y", "3-5y", "5y+"], m),
                        "score": rng.integers(0, 11, m).astype(float), "comment": ""})
    emp.loc[emp["department"] == "Legal", "score"] = 10.0  # one-category group
    emp.to_csv(folder / "employees.csv", index=False)
    # the same people a wave earlier, one of Ops gone
    prev = emp[emp.index != emp.index[emp["department"] == "Ops"][0]]
    prev.to_csv(folder / "employees_previous.csv", index=False)

    f = {k: str(folder / k) for k in ("one_wave.csv", "two_waves.csv", "no_segment.csv",
                                       "customers.csv", "outcomes.csv", "employees.csv",
                                       "employees_previous.csv")}
    return {
        "nps_report": {"responses_file": f["one_wave.csv"]},
        "wave_comparison": {"responses_file": f["two_waves.csv"], "protocol_file": ""},
        "feedback_themes": {"responses_file": f["no_segment.csv"], "names_file": ""},
        "abc_segmentation": {"responses_file": f["one_wave.csv"],
                             "customers_file": f["customers.csv"], "n_resamples": 300},
        "nps_ltv": {"responses_file": f["one_wave.csv"], "outcomes_file": f["outcomes.csv"],
                    "customers_file": f["customers.csv"]},
        "enps_study": {"responses_file": f["employees.csv"], "headcount_file": "",
                       "previous_file": f["employees_previous.csv"]},
        "study_design": {"customers_file": f["customers.csv"],
                         "previous_responses": f["one_wave.csv"]},
    }


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return None if math.isnan(v) else float(v)


def scale_problems(results: Any, where: str = "") -> list[str]:
    """Every recorded number outside its scale, and every interval not holding its estimate."""
    problems: list[str] = []
    if isinstance(results, dict):
        rec = results
        for key, value in rec.items():
            v = _number(value)
            if v is None:
                problems += scale_problems(value, f"{where}.{key}")
                continue
            if key in NPS_KEYS and not -100 - 1e-9 <= v <= 100 + 1e-9:
                problems.append(f"{where}.{key} = {v} outside [-100, 100]")
            if key in CHANGE_KEYS and not -200 - 1e-9 <= v <= 200 + 1e-9:
                problems.append(f"{where}.{key} = {v} outside [-200, 200]")
        low, high = _number(rec.get("ci_low")), _number(rec.get("ci_high"))
        est_key = next((k for k in ESTIMATES if _number(rec.get(k)) is not None), None)
        if low is not None and high is not None and est_key is not None:
            bound = 100 if est_key in NPS_KEYS else 200  # an interval of an NPS or of a change
            for name, v in (("ci_low", low), ("ci_high", high)):
                if not -bound - 1e-9 <= v <= bound + 1e-9:
                    problems.append(f"{where}.{name} = {v} outside [-{bound}, {bound}]")
            est = _number(rec[est_key])
            if not low - 1e-6 <= est <= high + 1e-6:
                problems.append(f"{where}: {est_key} {est} outside its interval [{low}, {high}]")
    elif isinstance(results, list):
        for i, item in enumerate(results):
            problems += scale_problems(item, f"{where}[{i}]")
    return problems
