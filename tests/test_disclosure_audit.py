"""An attacker who knows the organisation chart tries to recover hidden eNPS groups.

Unlike tests/test_suppression_attack.py, this attacker knows which crossings of the grouping
columns hold anybody (which department sits in which location, from the organisation chart), so
tables that are nested in the data but not in their columns (``--by department --by location``
when every department is in one location) can be subtracted from each other. Unknowns: the
detractors, passives and promoters of every non-empty finest cell. Knowledge: every published
row as the sum of its finest cells, whole numbers >= 0, the published reasons (fewer than K, or
hidden to protect another group: n >= K). The attack (integer programs, ``scipy.optimize.milp``)
pins a hidden row's n, a count or its eNPS when the minimum equals the maximum. Written here,
independently of nps_kit.privacy.suppression.
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
FIXED = {"table", "n", "headcount", "participation", "detractors", "passives", "promoters",
         "detractor_share", "passive_share", "promoter_share", "enps", "ci_low", "ci_high",
         "suppressed", "reason"}


def people(spec: list[tuple[dict, tuple[int, int, int]]]) -> pd.DataFrame:
    """Rows of employees: each item is (group values, (detractors, passives, promoters))."""
    rows = []
    for groups, (d, a, p) in spec:
        rows += [{**groups, "score": s} for s in [3] * d + [7] * a + [10] * p]
    return pd.DataFrame(rows)


def attack(data: pd.DataFrame, rows: list[dict]) -> dict[int, list[str]]:
    """Hidden rows whose n, a count or eNPS the attacker pins down."""
    cols_of = {}
    for r in rows:
        cols_of.setdefault(r["table"], [c for c in r if c not in FIXED])
    all_cols = list(dict.fromkeys(c for cs in cols_of.values() for c in cs))
    scored = data[data["score"].notna()]
    finest = scored.groupby(all_cols).size().index.to_frame(index=False) if all_cols else \
        pd.DataFrame(index=[0])
    nf = len(finest)
    nv = 3 * nf

    def member(row: dict) -> np.ndarray:
        mask = np.ones(nf, dtype=bool)
        for c in cols_of[row["table"]]:
            mask &= (finest[c] == row[c]).to_numpy()
        return np.flatnonzero(mask)

    eq, rhs, sums, lo, hi = [], [], [], [], []
    for r in rows:
        m = member(r)
        if not r["suppressed"]:
            for j, c in enumerate(CATS):
                v = np.zeros(nv)
                v[3 * m + j] = 1
                eq.append(v)
                rhs.append(r[c])
        else:
            v = np.zeros(nv)
            v[(3 * m[:, None] + np.arange(3)).ravel()] = 1
            sums.append(v)
            lo.append(K if r["reason"] == COMPLEMENTARY_REASON else 0)
            hi.append(K - 1 if r["reason"] == primary_reason(K) else np.inf)
    constraints = [LinearConstraint(np.array(eq), rhs, rhs)]
    if sums:
        constraints.append(LinearConstraint(np.array(sums), lo, hi))
    bounds = Bounds(np.zeros(nv), np.full(nv, np.inf))

    def extreme(obj: np.ndarray, sense: float) -> float:
        res = milp(sense * obj, constraints=constraints, bounds=bounds, integrality=np.ones(nv))
        if res.status == 3:  # unbounded: not pinned
            return sense * np.inf
        assert res.success, res.message
        return sense * res.fun

    found: dict[int, list[str]] = {}
    for i, r in enumerate(rows):
        if not r["suppressed"]:
            continue
        m = member(r)
        truth = scored
        for c in cols_of[r["table"]]:
            truth = truth[truth[c] == r[c]]
        s = truth["score"]
        d, a, p = int((s <= 6).sum()), int(s.between(7, 8).sum()), int((s >= 9).sum())
        pinned = []
        for name, idx in (("n", [0, 1, 2]), ("detractors", [0]), ("passives", [1]),
                          ("promoters", [2])):
            obj = np.zeros(nv)
            obj[(3 * m[:, None] + np.array(idx)).ravel()] = 1
            if extreme(obj, -1) == extreme(obj, 1):
                pinned.append(name)
        if d + a + p:
            e = (p - d) / (d + a + p)
            obj = np.zeros(nv)
            for j, w in enumerate((-1 - e, -e, 1 - e)):
                obj[3 * m + j] = w
            if abs(extreme(obj, -1)) < 1e-9 and abs(extreme(obj, 1)) < 1e-9:
                pinned.append("enps")
        if pinned:
            found[i] = pinned
    return found


def published(report) -> list[dict]:
    return json.loads(json.dumps(report.records(), allow_nan=False))


ISSUE_EXAMPLE = [  # departments each in one location; D3 (4 people) shares L2 with D2
    ({"department": "D1", "location": "L1"}, (8, 4, 8)),
    ({"department": "D2", "location": "L2"}, (12, 3, 5)),
    ({"department": "D3", "location": "L2"}, (2, 1, 1)),
    ({"department": "D4", "location": "L3"}, (5, 5, 10)),
]


def test_the_subtraction_attack_of_the_issue_fails(cli, tmp_path):
    data = people(ISSUE_EXAMPLE)
    path = tmp_path / "employees.csv"
    data.to_csv(path, index=False)
    res = cli("enps", str(path), "--score-column", "score",
              "--by", "department", "--by", "location", "--json")
    assert res.returncode == 0, res.stderr
    env = json.loads(res.stdout)
    rows = env["results"]["groups"]
    shown = {(r["table"], r.get("department") or r.get("location")): r for r in rows}
    assert shown[("department", "D3")]["suppressed"]
    # L2 - D2 was D3 exactly; now one of them is hidden
    assert shown[("department", "D2")]["suppressed"] or shown[("location", "L2")]["suppressed"]
    # D1 was hidden only as a side effect before; it protects nobody
    assert not shown[("department", "D1")]["suppressed"]
    assert attack(data, rows) == {}
    audit = env["method"]["disclosure_audit"]
    assert audit["passed"] and audit["pinned_groups"] == 0 and audit["narrowest_range"] >= 1
    text = cli("enps", str(path), "--score-column", "score",
               "--by", "department", "--by", "location")
    assert "Disclosure audit over every table shown" in text.stdout
    assert "none can be worked out" in text.stdout


def _org(seed: int, nested: bool) -> pd.DataFrame:
    """Departments (some tiny), in one location each (nested) or spread over three (crossed),
    and a tenure band crossing everything."""
    rng = np.random.default_rng(seed)
    spec = []
    for i in range(10):
        size = int(rng.integers(1, 5)) if i % 3 == 0 else int(rng.integers(6, 25))
        locs = [f"L{i % 3}"] if nested else list(rng.choice(["L0", "L1", "L2"], size=2,
                                                           replace=False))
        for j in range(size):
            loc = locs[j % len(locs)]
            tenure = ["<1y", "1-3y", "3y+"][int(rng.integers(0, 3))]
            cat = int(rng.choice(3, p=[0.35, 0.25, 0.4]))
            counts = tuple(int(c == cat) for c in range(3))
            spec.append(({"department": f"D{i}", "location": loc, "tenure": tenure}, counts))
    return people(spec)


CASES = {
    "nested in the data": (True, ["department", "location"]),
    "nested in the columns": (True, ["department", "location", ["department", "location"]]),
    "crossed": (False, ["department", "location"]),
    "crossed with the crossing": (False, ["department", "location", ["department", "location"]]),
    "overlapping": (False, ["department", "location", "tenure"]),
    "overlapping crossings": (False, [["department", "tenure"], ["location", "tenure"]]),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("seed", [11, 12])
def test_no_hidden_group_is_pinned_by_an_attacker_who_knows_the_org_chart(case, seed):
    nested, groupings = CASES[case]
    data = _org(seed, nested)
    report = enps_report(data, "score", groupings)
    rows = published(report)
    assert any(r["suppressed"] for r in rows)
    assert attack(data, rows) == {}, case
    assert report.audit.passed and report.audit.protected >= 1
    # every small finest cell is protected too, not only the hidden rows
    assert report.audit.narrowest >= 1


def test_the_attacker_is_not_toothless():
    # suppressing only the small group (per table, as before) is caught
    data = people(ISSUE_EXAMPLE)
    report = enps_report(data, "score", ["department", "location"])
    rows = published(report)
    naive = [dict(r) for r in rows]
    for r in naive:
        if r["suppressed"] and r["reason"] == COMPLEMENTARY_REASON:
            key = [c for c in r if c not in FIXED][0]
            r.update(suppressed=False, reason=None)
            r.update({c: int(v) for c, v in zip(CATS, _true(data, key, r[key]))})
    assert attack(data, naive)


def _true(data: pd.DataFrame, col: str, value: str) -> tuple[int, int, int]:
    s = data.loc[data[col] == value, "score"]
    return int((s <= 6).sum()), int(s.between(7, 8).sum()), int((s >= 9).sum())
