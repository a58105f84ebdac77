"""Cell suppression for everything one eNPS publication shows, with a disclosure audit.

A publication shows several tables of the same respondents: the total, one table per grouping
(department, location, ...) and crossings (department x location). Every published cell is the
sum of some *finest cells*: the groups of the crossing of every column any table uses (department
x location x tenure). Hiding a small cell is not enough: its counts may follow by subtraction,
also between tables whose columns are not nested (when every department sits in one location,
a location minus its other departments is the hidden department).

The model, as in the disclosure-control tools of official statistics (tau-argus, sdcTable;
Hundepool et al. 2012, *Statistical Disclosure Control*, Wiley, ch. 4-5; de Wolf 2002, "HiTaS"):

- unknowns: the detractors, passives and promoters of every finest cell with respondents
  (the attacker is assumed to know which crossings hold anybody, e.g. from the organisation
  chart);
- knowledge: every published cell's counts as the sum of its finest cells, non-negativity,
  the published reason of every hidden cell (a primary cell has at most ``K - 1`` answers, a
  complementary one at least ``K``) and every published headcount (``n <= headcount``);
- protected: every hidden cell (a complementary cell shown as hidden must stay hidden too) and
  every finest cell with fewer than ``K`` answers (a small crossing that no table shows is
  still a small group);
- the audit: for every protected group and each of n, detractors, passives and promoters, the
  minimum and maximum over everything above (linear programs, SciPy's HiGHS), rounded inward to
  whole respondents. The group is *pinned* when that range is narrower than the protection level
  ``P`` (default 1: the attacker must be left with at least two whole values, the true one and
  one at least 1 respondent away).

Suppression:

1. **Primary**: every published cell with fewer than ``K`` answers.
2. **Complementary, by rule** (fast, repeated until nothing changes): in every partition of a
   published cell into cells of another table (found from the finest cells, so implicit nesting
   counts), the hidden parts must be none, or at least two that together have at least ``K``
   answers and one of each category; otherwise the smallest published part, or the parent, is
   hidden too.
3. **Complementary, by audit**: while the audit pins a protected group, hide the published cell
   sharing respondents with it that unpins it (smallest first; the total last), then step 2
   again.

The result carries the final :class:`DisclosureAudit`. Steps 2-3 are heuristics: they do not hide
the fewest possible cells, but the audit they end with is exact for the linear relaxation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

PRIMARY = "primary"
"""Reason code of a cell hidden because it has fewer than ``K`` respondents."""

COMPLEMENTARY = "complementary"
"""Reason code of a cell hidden so that another hidden cell cannot be computed by subtraction."""

DEFAULT_PROTECTION = 1
"""Protection level ``P`` in respondents: the narrowest range an attacker may be left with."""

COUNT_NAMES = ("n", "detractors", "passives", "promoters")


@dataclass(frozen=True)
class DisclosureAudit:
    """What an attacker can work out about the protected groups of one publication.

    Attributes
    ----------
    protected : int
        Protected groups audited (hidden cells and small finest cells).
    pinned : int
        Protected groups with a count whose range is narrower than ``protection`` (0 after
        :func:`suppress_publication`).
    protection : int
        Required width of every range, in respondents.
    narrowest : float or None
        Narrowest range over every count of every protected group (None when none is protected).
    ranges : ndarray, shape (protected, 4, 2)
        Minimum and maximum of n, detractors, passives and promoters per protected group.
    """

    protected: int
    pinned: int
    protection: int
    narrowest: float | None
    ranges: np.ndarray = field(repr=False)

    @property
    def passed(self) -> bool:
        """True when no protected group is pinned."""
        return self.pinned == 0

    def sentence(self) -> str:
        """The audit in one sentence for a report."""
        if self.protected == 0:
            return "Disclosure audit: no group has fewer answers than the threshold."
        verdict = ("none can be worked out" if self.passed
                   else f"{self.pinned} can still be narrowed down")
        width = "" if self.narrowest is None or not np.isfinite(self.narrowest) else (
            f"; from everything shown, each of their counts stays uncertain by at least "
            f"{int(self.narrowest)} respondent{'s' if self.narrowest != 1 else ''}")
        return (f"Disclosure audit over every table shown: {self.protected} hidden or small "
                f"group(s) protected, {verdict}{width}.")


def audit_record(audit: DisclosureAudit) -> dict:
    """The audit as JSON-safe numbers (no group names, no counts): what a ``--json`` carries."""
    return {"protected_groups": audit.protected, "pinned_groups": audit.pinned,
            "protection_level": audit.protection,
            "narrowest_range": None if audit.narrowest is None or not np.isfinite(audit.narrowest)
            else audit.narrowest,
            "passed": audit.passed,
            "model": "linear programs over the finest cells of every table shown (HiGHS)"}


def _members(members: Sequence[Sequence[int]]) -> list[np.ndarray]:
    return [np.unique(np.asarray(m, dtype=np.intp)) for m in members]


def partitions_of(members: Sequence[Sequence[int]], table_of: Sequence[int],
                  n: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """Partitions ``(parent, children)`` between published tables, from the finest cells.

    A cell of one table is partitioned by the cells of another table that lie inside it when
    together they hold exactly its finest cells (column nesting, or nesting in the data, such as
    every department in one location). Cells without respondents take no part.
    """
    mem = _members(members)
    sets = [frozenset(m.tolist()) for m in mem]
    table_of = np.asarray(table_of)
    out: list[tuple[int, np.ndarray]] = []
    for u, su in enumerate(sets):
        if not su:
            continue
        for t in np.unique(table_of):
            if t == table_of[u]:
                continue
            kids = [c for c in np.flatnonzero(table_of == t) if sets[c] and sets[c] <= su]
            if kids and frozenset().union(*(sets[c] for c in kids)) == su:
                out.append((u, np.asarray(kids, dtype=np.intp)))
    return out


class _Model:
    """The attacker's linear program for one set of hidden cells."""

    def __init__(self, fine, mem, hidden, reason, k, headcount):
        from scipy.sparse import coo_matrix

        self.fine = fine
        n_f = len(fine)
        self.nv = 3 * n_f
        rows, cols, vals, b_eq = [], [], [], []
        r = 0
        for c, m in enumerate(mem):
            if hidden[c] or len(m) == 0:
                continue
            for j in range(3):
                rows += [r] * len(m)
                cols += (3 * m + j).tolist()
                vals += [1.0] * len(m)
                b_eq.append(float(fine[m, j].sum()))
                r += 1
        self.a_eq = coo_matrix((vals, (rows, cols)), shape=(r, self.nv)).tocsr() if r else None
        self.b_eq = np.asarray(b_eq) if r else None
        rows, cols, vals, b_ub = [], [], [], []
        r = 0
        for c, m in enumerate(mem):
            if len(m) == 0:
                continue
            limits = []
            if reason[c] == PRIMARY:
                limits.append((1.0, float(k - 1)))
            elif reason[c] == COMPLEMENTARY:
                limits.append((-1.0, -float(k)))
            if headcount is not None and np.isfinite(headcount[c]):
                limits.append((1.0, float(headcount[c])))
            for sign, bound in limits:
                idx = (3 * m[:, None] + np.arange(3)).ravel()
                rows += [r] * len(idx)
                cols += idx.tolist()
                vals += [sign] * len(idx)
                b_ub.append(bound)
                r += 1
        self.a_ub = coo_matrix((vals, (rows, cols)), shape=(r, self.nv)).tocsr() if r else None
        self.b_ub = np.asarray(b_ub) if r else None

    def solve(self, objective: np.ndarray) -> np.ndarray | None:
        """An optimal solution, or None when the objective is unbounded (nothing caps it)."""
        from scipy.optimize import linprog

        res = linprog(objective, A_ub=self.a_ub, b_ub=self.b_ub, A_eq=self.a_eq, b_eq=self.b_eq,
                      bounds=(0, None), method="highs")
        if res.status == 3:
            return None
        if res.status != 0:  # the truth is a solution, so only a solver failure gets here
            raise RuntimeError(f"internal: the disclosure audit's linear program failed: "
                               f"{res.message}")
        return res.x

    def objective(self, m: np.ndarray, which: int) -> np.ndarray:
        o = np.zeros(self.nv)
        if which == 0:
            o[(3 * m[:, None] + np.arange(3)).ravel()] = 1.0
        else:
            o[3 * m + which - 1] = 1.0
        return o

    def range_of(self, m: np.ndarray, which: int) -> tuple[float, float]:
        """Whole-number minimum and maximum of count ``which`` (0 = n) of the finest cells m."""
        o = self.objective(m, which)
        lo = self.solve(o)  # counts are >= 0, so the minimum always exists
        hi = self.solve(-o)
        top = np.inf if hi is None else float(np.floor(o @ hi + 1e-6)) + 0.0
        return float(np.ceil(o @ lo - 1e-6)) + 0.0, top


def _targets(fine: np.ndarray, mem: list[np.ndarray], hidden: np.ndarray, reason: np.ndarray,
             k: int) -> list[np.ndarray]:
    """Protected groups as arrays of finest cells: hidden cells, then small finest cells."""
    out, seen = [], set()
    n_fine = fine.sum(axis=1)
    for c, m in enumerate(mem):
        key = frozenset(m.tolist())
        if hidden[c] and len(m) and key not in seen:
            seen.add(key)
            out.append(m)
    for f in np.flatnonzero((n_fine > 0) & (n_fine < k)):
        if frozenset([int(f)]) not in seen:
            seen.add(frozenset([int(f)]))
            out.append(np.array([f], dtype=np.intp))
    return out


def _pinned(model: _Model, targets: list[np.ndarray], protection: int,
            pool_size: int = 6) -> list[int]:
    """Indices of the targets with a count narrower than ``protection``.

    A pool of seeded random solutions shows most counts free at once; only the rest need their
    own minimum and maximum.
    """
    rng = np.random.default_rng(0)
    pool = [x for x in (model.solve(rng.random(model.nv)) for _ in range(pool_size))
            if x is not None]
    out = []
    for i, m in enumerate(targets):
        for which in range(4):
            o = model.objective(m, which)
            if pool and np.ptp([o @ x for x in pool]) >= protection + 1e-6:
                continue
            lo, hi = model.range_of(m, which)
            if hi - lo < protection:
                out.append(i)
                break
    return out


def audit_publication(
    fine: np.ndarray,
    members: Sequence[Sequence[int]],
    hidden: np.ndarray,
    reason: Sequence[str],
    min_group_size: int,
    headcount: np.ndarray | None = None,
    protection: int = DEFAULT_PROTECTION,
) -> DisclosureAudit:
    """Audit one publication: how narrowly can each protected group's counts be worked out?

    Parameters
    ----------
    fine : array of shape (finest cells, 3)
        Detractors, passives and promoters of every finest cell.
    members : sequence of int sequences
        For every published cell, the finest cells it sums.
    hidden : bool array
        Which published cells are hidden.
    reason : sequence of str
        :data:`PRIMARY`, :data:`COMPLEMENTARY` or ``""`` per published cell (published too).
    min_group_size : int
        ``K``.
    headcount : array, optional
        Published headcount per cell (NaN where none).
    protection : int
        ``P``: the narrowest acceptable range, in respondents.

    Returns
    -------
    DisclosureAudit

    Notes
    -----
    For a protected group G and count c, the range is
    ``[ceil(min c_G), floor(max c_G)]`` over ``x >= 0`` with ``A_pub x = b_pub`` (every published
    cell), ``n_h <= K - 1`` (primary), ``n_h >= K`` (complementary) and ``n_h <= headcount_h``;
    two linear programs per count (HiGHS). Hundepool et al. (2012), ch. 4.
    """
    fine = np.asarray(fine, dtype=np.int64).reshape(-1, 3)
    mem = _members(members)
    hidden = np.asarray(hidden, dtype=bool)
    reason = np.asarray(reason, dtype=object)
    k = int(min_group_size)
    targets = _targets(fine, mem, hidden, reason, k)
    ranges = np.zeros((len(targets), 4, 2))
    if not targets:
        return DisclosureAudit(0, 0, protection, None, ranges)
    model = _Model(fine, mem, hidden, reason, k, headcount)
    for i, m in enumerate(targets):
        for which in range(4):
            ranges[i, which] = model.range_of(m, which)
    widths = ranges[:, :, 1] - ranges[:, :, 0]
    pinned = int((widths < protection).any(axis=1).sum())
    return DisclosureAudit(len(targets), pinned, protection, float(widths.min()), ranges)


def _rule_ok(counts: np.ndarray, hidden_kids: np.ndarray, k: int) -> bool:
    if len(hidden_kids) == 0:
        return True
    together = counts[hidden_kids].sum(axis=0)
    return len(hidden_kids) >= 2 and together.sum() >= k and together.min() >= 1


def _smallest(candidates: np.ndarray, n: np.ndarray) -> int:
    order = np.lexsort((candidates, n[candidates]))
    return int(candidates[order[0]])


def suppress_publication(
    fine: np.ndarray,
    members: Sequence[Sequence[int]],
    table_of: Sequence[int],
    min_group_size: int,
    headcount: np.ndarray | None = None,
    protection: int = DEFAULT_PROTECTION,
) -> tuple[np.ndarray, np.ndarray, DisclosureAudit]:
    """Decide which published cells to hide, over every table of one publication at once.

    Parameters
    ----------
    fine : array of shape (finest cells, 3)
        Counts of the finest cells.
    members : sequence of int sequences
        Finest cells of every published cell.
    table_of : sequence of int
        Table of every published cell (partitions are looked for between tables).
    min_group_size : int
        ``K``: cells with fewer answers are hidden.
    headcount : array, optional
        Published headcount per cell (NaN where none).
    protection : int
        ``P`` of :func:`audit_publication`.

    Returns
    -------
    hidden : bool array
    reason : str array
        ``"primary"``, ``"complementary"`` or ``""`` per published cell.
    audit : DisclosureAudit
        The audit of the result (``audit.passed`` is True unless even hiding every cell leaves
        a count narrower than ``P``, which only a threshold below ``P + 1`` can cause).

    Examples
    --------
    Departments D1..D4, every one in one location (D2 and D3 share L2); D3 has 4 answers:

    >>> fine = np.array([[8, 4, 8], [12, 3, 5], [2, 1, 1], [5, 5, 10]])
    >>> members = [[0, 1, 2, 3], [0], [1], [2], [3], [0], [1, 2], [3]]
    >>> hidden, reason, audit = suppress_publication(fine, members, [0, 1, 1, 1, 1, 2, 2, 2], 5)
    >>> hidden.astype(int).tolist(), audit.passed
    ([0, 0, 1, 1, 0, 0, 0, 0], True)
    """
    fine = np.asarray(fine, dtype=np.int64).reshape(-1, 3)
    mem = _members(members)
    k = int(min_group_size)
    counts = np.array([fine[m].sum(axis=0) if len(m) else np.zeros(3, np.int64) for m in mem],
                      dtype=np.int64).reshape(-1, 3)
    n = counts.sum(axis=1)
    m_cells = len(mem)
    # smallest parents first, so a hidden cell's nearest siblings protect it
    parts = sorted(partitions_of(mem, table_of, n), key=lambda part: (n[part[0]], part[0]))
    hidden = n < k
    reason = np.where(hidden, PRIMARY, "").astype(object)
    # the total (the one cell holding every finest cell) is hidden last
    everyone = np.array([len(m) == len(fine) for m in mem])

    def hide(cell: int) -> None:
        hidden[cell] = True
        reason[cell] = COMPLEMENTARY

    def apply_rule() -> None:
        for _ in range(4 * m_cells + 4):
            changed = False
            for parent, children in parts:
                if hidden[parent]:
                    continue
                kids = children[hidden[children]]
                if _rule_ok(counts, kids, k):
                    continue
                open_kids = children[~hidden[children]]
                hide(_smallest(open_kids, n) if len(open_kids) else parent)
                changed = True
            if not changed:
                return

    apply_rule()
    for _ in range(4 * m_cells + 4):
        model = _Model(fine, mem, hidden, reason, k, headcount)
        targets = _targets(fine, mem, hidden, reason, k)
        pinned = _pinned(model, targets, protection)
        if not pinned:
            break
        target = targets[pinned[0]]
        tset = set(target.tolist())
        near = np.array([c for c in range(m_cells)
                         if not hidden[c] and tset & set(mem[c].tolist())], dtype=np.intp)
        if len(near) == 0:
            break  # everything around it is hidden; only a threshold below P + 1 gets here
        near = near[np.lexsort((near, n[near], everyone[near]))]
        chosen = int(near[0])
        for cell in near[:8]:
            trial_h, trial_r = hidden.copy(), reason.copy()
            trial_h[cell], trial_r[cell] = True, COMPLEMENTARY
            trial = _Model(fine, mem, trial_h, trial_r, k, headcount)
            if not _pinned(trial, [target], protection):
                chosen = int(cell)
                break
        hide(chosen)
        apply_rule()
    audit = audit_publication(fine, mem, hidden, reason.astype(str), k, headcount, protection)
    return hidden, reason.astype(str), audit


__all__ = [
    "COMPLEMENTARY", "COUNT_NAMES", "DEFAULT_PROTECTION", "DisclosureAudit", "PRIMARY",
    "audit_publication", "audit_record", "partitions_of", "suppress_publication",
]
