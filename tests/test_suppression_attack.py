"""The attack test: from everything an eNPS report publishes, try to recover a suppressed group.

The attacker sees the JSON records of every table (overall, one-way groupings, crossings,
headcount and participation) and the reason of each suppressed cell ("fewer than K answers"
means n <= K - 1, the complementary reason means n >= K). Unknowns: the detractor, passive and
promoter counts of every suppressed cell. Knowledge: every additive relation between the tables
(a coarser group is the sum of the finer groups inside it), whole numbers >= 0, the reason
bounds, and n <= headcount where a headcount is published.

Two attacks, written here independently of nps_kit.privacy.suppression:
1. single differences: a parent minus its published children, when one child is hidden;
2. integer programming: the minimum and maximum of each hidden cell's n, detractors, passives and
   promoters under all the constraints (scipy.optimize.milp), and whether its eNPS can differ
   from the true one. A cell is recovered when min == max (or the eNPS cannot differ).
Both must fail for every suppressed cell.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from nps_kit.enps.report import COMPLEMENTARY_REASON, enps_report, primary_reason

K = 5
CATS = ("detractors", "passives", "promoters")
GROUPINGS = ["department", "location", "tenure", ["department", "location"]]


def make_survey(seed: int, n_departments: int = 12) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Employees in many small departments, 3 locations, 4 tenure bands; and a headcount."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 25, n_departments)
    sizes[: n_departments // 3] = rng.integers(1, 5, n_departments // 3)  # several tiny ones
    dept = np.repeat([f"D{i:02d}" for i in range(n_departments)], sizes)
    n = len(dept)
    loc = rng.choice(["North", "South", "West"], size=n, p=[0.5, 0.3, 0.2])
    tenure = rng.choice(["<1y", "1-3y", "3-5y", "5y+"], size=n)
    shares = rng.dirichlet([2, 2, 2], size=n_departments)
    dept_idx = np.repeat(np.arange(n_departments), sizes)
    u = rng.random(n)
    cum = shares.cumsum(axis=1)[dept_idx]
    cat = (u[:, None] > cum).sum(axis=1)
    score = np.choose(cat, [rng.integers(0, 7, n), rng.integers(7, 9, n), rng.integers(9, 11, n)])
    score = np.where(rng.random(n) < 0.05, np.nan, score.astype(float))
    data = pd.DataFrame({"respondent_id": [f"P{i:05d}" for i in range(n)], "department": dept,
                         "location": loc, "tenure": tenure, "score": score})
    hc = data.groupby(["department", "location"]).size().rename("answered").reset_index()
    hc["headcount"] = hc["answered"] + rng.integers(0, 6, len(hc))
    extra = pd.DataFrame({"department": ["D00", "D01"], "location": ["West", "West"],
                          "headcount": [3, 2]})
    hc = pd.concat([hc.drop(columns="answered"), extra], ignore_index=True)
    hc = hc.drop_duplicates(["department", "location"], keep="first")
    return data, hc


def published(report) -> list[dict]:
    """What leaves the module: the JSON records, through a JSON round trip."""
    return json.loads(json.dumps(report.records(), allow_nan=False))


def group_columns(rows: list[dict]) -> dict[str, tuple[str, ...]]:
    fixed = {"table", "n", "headcount", "participation", "detractors", "passives", "promoters",
             "detractor_share", "passive_share", "promoter_share", "enps", "ci_low", "ci_high",
             "suppressed", "reason"}
    out = {}
    for r in rows:
        out.setdefault(r["table"], tuple(c for c in r if c not in fixed))
    return out


def known_counts(row: dict) -> np.ndarray:
    """Counts of a published row, worked out from n and the published shares."""
    n = row["n"]
    vec = np.array([round(row[c[:-1] + "_share"] * n) for c in CATS], dtype=np.int64)
    assert vec.sum() == n
    assert vec.tolist() == [row[c] for c in CATS]
    return vec


def relations(rows: list[dict]) -> list[tuple[int, list[int]]]:
    """(parent row, children rows) for every pair of tables where one refines the other."""
    cols = group_columns(rows)
    by_table: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_table.setdefault(r["table"], []).append(i)
    out = []
    for tu, cu in cols.items():
        for tt, ct in cols.items():
            if not set(cu) < set(ct):
                continue
            for parent in by_table[tu]:
                key = tuple(rows[parent][c] for c in cu)
                kids = [i for i in by_table[tt] if tuple(rows[i][c] for c in cu) == key]
                out.append((parent, kids))
    return out


def single_difference_attack(rows: list[dict]) -> list[int]:
    """Hidden rows whose counts follow as parent minus published siblings."""
    recovered = []
    for parent, kids in relations(rows):
        hidden = [k for k in kids if rows[k]["suppressed"]]
        if not rows[parent]["suppressed"] and len(hidden) == 1:
            recovered.append(hidden[0])
        if rows[parent]["suppressed"] and kids and not hidden:
            recovered.append(parent)
    return recovered


def integer_attack(rows: list[dict], truth: dict[int, np.ndarray]) -> dict[int, list[str]]:
    """For every hidden row, which of n, counts and eNPS the attacker pins down exactly."""
    hidden = [i for i, r in enumerate(rows) if r["suppressed"]]
    col = {row: j for j, row in enumerate(hidden)}
    nv = 3 * len(hidden)
    eq_rows, eq_rhs = [], []
    for parent, kids in relations(rows):
        for c in range(3):
            coef = np.zeros(nv)
            rhs = 0.0
            for sign, cells in ((1.0, [parent]), (-1.0, kids)):
                for cell in cells:
                    if rows[cell]["suppressed"]:
                        coef[3 * col[cell] + c] += sign
                    else:
                        rhs -= sign * known_counts(rows[cell])[c]
            if coef.any():
                eq_rows.append(coef)
                eq_rhs.append(rhs)
            else:
                assert rhs == 0  # the published tables are consistent
    sum_rows = np.zeros((len(hidden), nv))
    lo, hi = np.zeros(len(hidden)), np.full(len(hidden), np.inf)
    for j, row in enumerate(hidden):
        sum_rows[j, 3 * j: 3 * j + 3] = 1.0
        r = rows[row]
        if r["reason"] == primary_reason(K):
            hi[j] = K - 1
        else:
            assert r["reason"] == COMPLEMENTARY_REASON
            lo[j] = K
        if r.get("headcount") is not None:
            hi[j] = min(hi[j], r["headcount"])
        assert r["n"] is None and r["enps"] is None and r["ci_low"] is None
        assert r.get("participation") is None
    constraints = [LinearConstraint(sum_rows, lo, hi)]
    if eq_rows:
        eq = np.vstack(eq_rows)
        constraints.append(LinearConstraint(eq, eq_rhs, eq_rhs))
    bounds = Bounds(np.zeros(nv), np.full(nv, np.inf))
    integrality = np.ones(nv)

    def extreme(objective: np.ndarray, sense: float) -> float:
        res = milp(sense * objective, constraints=constraints, bounds=bounds,
                   integrality=integrality)
        assert res.success, res.message  # the truth is feasible
        return sense * res.fun

    def pinned(objective: np.ndarray, true_value: float) -> bool:
        """min == max of the objective (the truth lies between, so stop once one differs)."""
        if abs(extreme(objective, -1.0) - true_value) > 1e-9:
            return False
        return abs(extreme(objective, 1.0) - true_value) <= 1e-9

    recovered: dict[int, list[str]] = {}
    for j, row in enumerate(hidden):
        found = []
        d, a, p = truth[row]
        targets = {"n": ([0, 1, 2], d + a + p), "detractors": ([0], d), "passives": ([1], a),
                   "promoters": ([2], p)}
        for name, (idx, value) in targets.items():
            obj = np.zeros(nv)
            obj[[3 * j + i for i in idx]] = 1.0
            if pinned(obj, value):
                found.append(name)
        if d + a + p > 0:
            e = (p - d) / (d + a + p)
            obj = np.zeros(nv)  # (p - d) - e n: 0 at the truth, 0 everywhere if eNPS is fixed
            obj[3 * j: 3 * j + 3] = (-1.0 - e, -e, 1.0 - e)
            if pinned(obj, 0.0):
                found.append("enps")
        if found:
            recovered[row] = found
    return recovered


def true_counts(data: pd.DataFrame, rows: list[dict]) -> dict[int, np.ndarray]:
    """The real counts behind every row, computed here from the raw data."""
    cols = group_columns(rows)
    scored = data[data["score"].notna()]
    cat = pd.cut(scored["score"], [-1, 6, 8, 10], labels=list(CATS))
    out = {}
    for i, r in enumerate(rows):
        mask = np.ones(len(scored), dtype=bool)
        for c in cols[r["table"]]:
            mask &= (scored[c] == r[c]).to_numpy()
        out[i] = cat[mask].value_counts().reindex(list(CATS)).to_numpy(dtype=np.int64)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_no_suppressed_cell_can_be_recovered(seed):
    data, hc = make_survey(seed)
    report = enps_report(data, "score", GROUPINGS, min_group_size=K, headcount=hc)
    rows = published(report)
    truth = true_counts(data, rows)
    hidden = [i for i, r in enumerate(rows) if r["suppressed"]]
    # the data really has small groups, in every kind of table
    assert len(hidden) >= 5
    assert {rows[i]["table"] for i in hidden} >= {"department", "department x location"}
    # published rows are right; hidden ones are blank and below K or complementary
    for i, r in enumerate(rows):
        if r["suppressed"]:
            assert r["reason"] in (primary_reason(K), COMPLEMENTARY_REASON)
            assert (truth[i].sum() < K) == (r["reason"] == primary_reason(K))
        else:
            assert truth[i].sum() >= K
            assert known_counts(r).tolist() == truth[i].tolist()
    assert single_difference_attack(rows) == []
    recovered = integer_attack(rows, truth)
    assert recovered == {}, {rows[i]["table"] + str(rows[i]): v for i, v in recovered.items()}


def test_attack_finds_a_naively_suppressed_cell():
    """The attack has teeth: with only primary suppression, it recovers the small groups."""
    data, hc = make_survey(3)
    report = enps_report(data, "score", GROUPINGS, min_group_size=K, headcount=hc)
    rows = published(report)
    truth = true_counts(data, rows)
    for i, r in enumerate(rows):  # undo the complementary suppression
        if r["reason"] == COMPLEMENTARY_REASON:
            d, a, p = (int(x) for x in truth[i])
            n = d + a + p
            r.update(suppressed=False, reason=None, n=n, detractors=d, passives=a, promoters=p,
                     detractor_share=d / n, passive_share=a / n, promoter_share=p / n)
    recovered = integer_attack(rows, truth)
    singles = single_difference_attack(rows)
    assert singles or recovered
    assert recovered  # the integer attack alone pins down at least one small group


def test_demo_data_is_protected():
    from nps_kit.engines.dispatch import read_table

    data = read_table("demo:employees.csv")
    report = enps_report(data, "score", ["department", "location", "tenure_band",
                                         ["department", "location"]],
                         headcount="demo:headcount.csv")
    rows = published(report)
    hidden = [r for r in rows if r["suppressed"]]
    assert {r["department"] for r in hidden if r["table"] == "department"} >= {"Legal", "Facilities"}
    assert single_difference_attack(rows) == []
    assert integer_attack(rows, true_counts(data, rows)) == {}


def test_overlapping_crossings_are_protected():
    """Two crossings sharing a column (department x tenure, location x tenure) and their margins."""
    data, hc = make_survey(11)
    report = enps_report(data, "score", ["department", "location", "tenure",
                                         ["department", "tenure"], ["location", "tenure"]],
                         min_group_size=K, headcount=hc)
    rows = published(report)
    assert sum(r["suppressed"] for r in rows if r["table"] == "location x tenure") >= 2
    assert single_difference_attack(rows) == []
    assert integer_attack(rows, true_counts(data, rows)) == {}
