"""Primary and complementary cell suppression for tables of small groups (eNPS anonymity).

A report publishes several tables of the same respondents: the total, one table per grouping
(department, location, ...) and crossings (department x location). Each published cell carries
its counts of detractors, passives and promoters (directly, or through n, eNPS and the interval,
which determine them). Hiding a small cell is not enough: its counts follow by subtraction from
its parent (the total, or a margin of a crossing) and its published siblings. This module
decides which cells to hide.

The cells and the additive relations between them are given as a *lattice*: cell counts and a
list of partitions ``(parent, children)`` meaning ``counts[parent] == counts[children].sum()``
(every published table whose groups refine another published table's groups gives one partition
per cell of the coarser table).

Algorithm (a heuristic in the spirit of the usual cell-suppression heuristics; Hundepool et al.
2012, *Statistical Disclosure Control*, Wiley, ch. 5; Cox 1980, "Suppression methodology and
statistical disclosure control", JASA 75, 377-385):

1. **Primary suppression**: every cell with fewer than ``K`` respondents.
2. **Complementary suppression**, repeated until nothing changes: in every partition whose
   parent is published, the hidden children must be either none, or at least two cells that
   *together* have at least ``K`` respondents and at least one detractor, one passive and one
   promoter (otherwise the sum of the hidden cells is itself a small group, or shows that none
   of them has, say, a promoter). When the rule fails the smallest published child is hidden
   too; when every child is hidden already the parent is hidden.
3. **Linear audit**: a hidden cell is still exposed when it follows from a chain of
   subtractions across tables (a "bridge" between otherwise protected blocks of a crossing).
   With ``A`` the matrix of the partition equations restricted to the hidden cells, a hidden
   cell ``j`` is determined exactly when the unit vector ``e_j`` lies in the row space of ``A``,
   i.e. when row ``j`` of a basis of the null space of ``A`` is zero. Such a cell gets one more
   hidden neighbour (the smallest that makes it undetermined), and step 2 runs again.
4. **Integer audit**: bounds can pin a cell even when equations alone do not (two hidden cells
   of at most 4 people that together hold 8; a group whose hidden part has no promoters). For
   every hidden cell, :func:`exposed_cells` looks for another whole-number solution of
   everything published that changes the cell's n, a count or its eNPS; a cell with none gets
   one more hidden neighbour as in step 3, and steps 2-4 run again.

Guarantee (tested in ``tests/test_suppression_attack.py`` by an integer-programming attack):
no hidden cell's n, detractors, passives, promoters or eNPS is uniquely determined by the
published cells, the partition equations, non-negativity, whole numbers, the published reasons
(a primary cell has fewer than ``K`` respondents, a complementary one at least ``K``) and the
published headcounts. Steps 1-3 are a heuristic: they do not hide the fewest possible cells.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.linalg import null_space

PRIMARY = "primary"
"""Reason code of a cell hidden because it has fewer than ``K`` respondents."""

COMPLEMENTARY = "complementary"
"""Reason code of a cell hidden so that another hidden cell cannot be computed by subtraction."""

Partition = tuple[int, np.ndarray]


def _as_partitions(partitions: Sequence[tuple[int, Sequence[int]]]) -> list[Partition]:
    return [(int(parent), np.asarray(children, dtype=np.intp)) for parent, children in partitions]


def determined_cells(
    n_cells: int, partitions: Sequence[tuple[int, Sequence[int]]], hidden: np.ndarray
) -> np.ndarray:
    """Hidden cells whose value follows linearly from the published cells.

    Parameters
    ----------
    n_cells : int
        Number of cells in the lattice.
    partitions : sequence of (parent, children)
        Additive relations ``x[parent] = sum(x[children])``.
    hidden : bool array of length ``n_cells``
        Which cells are hidden.

    Returns
    -------
    bool array
        True for hidden cells that equal a linear combination of published values (for every
        count at once: the equations are the same for n, detractors, passives and promoters).
    """
    hidden = np.asarray(hidden, dtype=bool)
    unknown = np.flatnonzero(hidden)
    out = np.zeros(n_cells, dtype=bool)
    if len(unknown) == 0:
        return out
    col = np.full(n_cells, -1, dtype=np.intp)
    col[unknown] = np.arange(len(unknown))
    rows = []
    for parent, children in _as_partitions(partitions):
        row = np.zeros(len(unknown))
        if hidden[parent]:
            row[col[parent]] += 1.0
        kids = children[hidden[children]]
        np.subtract.at(row, col[kids], 1.0)
        if row.any():
            rows.append(row)
    if not rows:
        return out
    basis = null_space(np.vstack(rows))
    if basis.size == 0:
        out[unknown] = True
        return out
    out[unknown] = np.all(np.abs(basis) < 1e-9, axis=1)
    return out


def _bounds_of_n(reason: np.ndarray, headcount: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """What the published reason and headcount tell about a hidden cell's n."""
    lower = np.where(reason == COMPLEMENTARY, float(k), 0.0)
    upper = np.where(reason == PRIMARY, float(k - 1), np.inf)
    return lower, np.fmin(upper, np.where(np.isnan(headcount), np.inf, headcount))


def exposed_cells(
    counts: np.ndarray,
    partitions: Sequence[tuple[int, Sequence[int]]],
    hidden: np.ndarray,
    reason: np.ndarray,
    min_group_size: int,
    headcount: np.ndarray | None = None,
    check: Sequence[int] | None = None,
) -> np.ndarray:
    """Hidden cells whose n, a count or eNPS an attacker can pin down exactly.

    Only the cells in ``check`` are examined when it is given (default: every hidden cell).

    The attacker knows the published cells, the partition equations, that counts are whole
    numbers >= 0, the reasons (a primary cell has n <= K - 1, a complementary one n >= K) and
    n <= headcount. For each hidden cell the minimum and maximum of n, detractors, passives,
    promoters or ``(p - d) - e n`` (e = the cell's true eNPS / 100, so the term is 0 exactly
    when the eNPS is unchanged) must take another value than the truth in some whole-number
    solution; otherwise the cell is exposed. Solutions come from mixed integer programs
    (``scipy.optimize.milp``, HiGHS): a small pool from seeded random objectives, then the
    maximum and minimum of each target not yet seen to change.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    counts = np.asarray(counts, dtype=np.int64).reshape(-1, 3)
    m = len(counts)
    hidden = np.asarray(hidden, dtype=bool)
    cells = np.flatnonzero(hidden)
    out = np.zeros(m, dtype=bool)
    if len(cells) == 0:
        return out
    hc = np.full(m, np.nan) if headcount is None else np.asarray(headcount, dtype=float)
    col = np.full(m, -1, dtype=np.intp)
    col[cells] = np.arange(len(cells))
    nv = 3 * len(cells)
    eq, rhs = [], []
    for parent, children in _as_partitions(partitions):
        coef = np.zeros((3, nv))
        known = np.zeros(3)
        for sign, group in ((1.0, np.array([parent])), (-1.0, children)):
            for cell in group:
                if hidden[cell]:
                    coef[np.arange(3), 3 * col[cell] + np.arange(3)] += sign
                else:
                    known -= sign * counts[cell]
        if coef.any():
            eq.append(coef)
            rhs.append(known)
    lower, upper = _bounds_of_n(np.asarray(reason), hc, min_group_size)
    sums = np.zeros((len(cells), nv))
    sums[np.repeat(np.arange(len(cells)), 3), np.arange(nv)] = 1.0
    constraints = [LinearConstraint(sums, lower[cells], upper[cells])]
    if eq:
        a_eq, b_eq = np.vstack(eq), np.concatenate(rhs)
        constraints.append(LinearConstraint(a_eq, b_eq, b_eq))
    bounds = Bounds(np.zeros(nv), np.full(nv, np.inf))
    integrality = np.ones(nv)
    truth = counts[cells].ravel().astype(float)

    def solve(objective: np.ndarray) -> np.ndarray | None:
        res = milp(objective, constraints=constraints, bounds=bounds, integrality=integrality)
        return np.round(res.x) if res.success else None

    # Targets per cell: n, d, a, p and (p - d) - e n, which is 0 at the truth.
    def targets(j: int, x: np.ndarray) -> np.ndarray:
        d, a, p = x[3 * j: 3 * j + 3]
        t = counts[cells[j]]
        e = (t[2] - t[0]) / t.sum() if t.sum() else 0.0
        return np.array([d + a + p, d, a, p, (p - d) - e * (d + a + p)])

    def objective(j: int, which: int) -> np.ndarray:
        o = np.zeros(nv)
        if which == 0:
            o[3 * j: 3 * j + 3] = 1.0
        elif which < 4:
            o[3 * j + which - 1] = 1.0
        else:
            t = counts[cells[j]]
            e = (t[2] - t[0]) / t.sum() if t.sum() else 0.0
            o[3 * j: 3 * j + 3] = (-1.0 - e, -e, 1.0 - e)
        return o

    # A pool of other solutions: a cell's target is free when some solution changes it.
    rng = np.random.default_rng(0)
    pool = [x for x in (solve(rng.standard_normal(nv)) for _ in range(4)) if x is not None]
    examine = cells if check is None else [c for c in cells if c in set(check)]
    for cell in examine:
        j = int(col[cell])
        base = targets(j, truth)
        for which in range(5):
            if which == 4 and counts[cell].sum() == 0:
                continue
            if any(abs(targets(j, x)[which] - base[which]) > 1e-9 for x in pool):
                continue
            for sense in (-1.0, 1.0):
                x = solve(sense * objective(j, which))
                if x is not None:
                    pool.append(x)
                    if abs(targets(j, x)[which] - base[which]) > 1e-9:
                        break
            else:
                out[cell] = True
                break
    return out


def _partition_ok(counts: np.ndarray, hidden_kids: np.ndarray, k: int) -> bool:
    if len(hidden_kids) == 0:
        return True
    together = counts[hidden_kids].sum(axis=0)
    return len(hidden_kids) >= 2 and together.sum() >= k and together.min() >= 1


def _pick_smallest(candidates: np.ndarray, n: np.ndarray) -> int:
    """The candidate with the fewest respondents (first in cell order on ties)."""
    order = np.lexsort((candidates, n[candidates]))
    return int(candidates[order[0]])


def _neighbours(cell: int, parts: list[Partition], hidden: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Published cells sharing a partition with ``cell``, smallest first."""
    near = [np.append(children, parent) for parent, children in parts
            if cell == parent or cell in children]
    if not near:
        return np.zeros(0, dtype=np.intp)
    cand = np.unique(np.concatenate(near))
    cand = cand[~hidden[cand]]
    return cand[np.lexsort((cand, n[cand]))]


def suppress_cells(
    counts: np.ndarray,
    partitions: Sequence[tuple[int, Sequence[int]]],
    min_group_size: int,
    headcount: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Decide which cells of a lattice of tables to hide.

    Parameters
    ----------
    counts : array of shape (cells, 3)
        Detractors, passives and promoters of every cell of every table.
    partitions : sequence of (parent, children)
        Additive relations ``counts[parent] == counts[children].sum(axis=0)``.
    min_group_size : int
        ``K``: cells with fewer respondents are hidden (primary suppression).
    headcount : array, optional
        Published headcount per cell (NaN where none): an attacker knows n <= headcount.

    Returns
    -------
    hidden : bool array
        Cells to hide.
    reason : str array
        ``"primary"``, ``"complementary"`` or ``""`` (published) per cell.

    Notes
    -----
    See the module docstring for the algorithm and the guarantee.

    Examples
    --------
    >>> counts = np.array([[4, 4, 12], [1, 1, 1], [1, 1, 5], [2, 2, 6]])
    >>> hidden, reason = suppress_cells(counts, [(0, [1, 2, 3])], 5)
    >>> reason.tolist()
    ['', 'primary', 'complementary', '']
    """
    counts = np.asarray(counts, dtype=np.int64).reshape(-1, 3)
    n = counts.sum(axis=1)
    m = len(n)
    parts = _as_partitions(partitions)
    hidden = n < min_group_size
    reason = np.where(hidden, PRIMARY, "").astype(object)

    def hide(cell: int) -> None:
        hidden[cell] = True
        reason[cell] = COMPLEMENTARY

    def still_exposed(cell: int, trial_cell: int) -> bool:
        trial, trial_reason = hidden.copy(), reason.copy()
        trial[trial_cell], trial_reason[trial_cell] = True, COMPLEMENTARY
        if determined_cells(m, parts, trial)[cell]:
            return True
        return bool(exposed_cells(counts, parts, trial, trial_reason, min_group_size,
                                  headcount, check=[cell])[cell])

    for _ in range(4 * m + 4):
        changed = False
        for parent, children in parts:
            if hidden[parent]:
                continue
            kids = children[hidden[children]]
            if _partition_ok(counts, kids, min_group_size):
                continue
            open_kids = children[~hidden[children]]
            hide(_pick_smallest(open_kids, n) if len(open_kids) else parent)
            changed = True
        if changed:
            continue
        exposed = np.flatnonzero(determined_cells(m, parts, hidden))
        if len(exposed) == 0:
            exposed = np.flatnonzero(exposed_cells(counts, parts, hidden, reason.astype(str),
                                                   min_group_size, headcount))
        if len(exposed) == 0:
            break
        target = int(exposed[0])
        order = _neighbours(target, parts, hidden, n)
        if len(order) == 0:  # nothing published around it is left: hide everything
            for cell in np.flatnonzero(~hidden):
                hide(int(cell))
            break
        chosen = next((int(c) for c in order if not still_exposed(target, int(c))), int(order[0]))
        hide(chosen)
    return hidden, reason.astype(str)
