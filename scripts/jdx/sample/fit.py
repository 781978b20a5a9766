"""The calibration engine: fill the free cells of a body x item matrix so that, together with
the fixed (official) cells, it hits the targets exactly where integers allow.

Model: each body has a latent propensity theta (size class + prefecture + body noise, plus its
official answers where it has some). Construction, in three exact steps:
 1. per size class, the bodies with every item (tally "all") and with none are the eligible
    bodies with the highest / lowest propensity;
 2. every other body gets a count of items in place between its bounds, allocated within its
    prefecture along the propensity (a logistic curve shifted per prefecture), so that each
    prefecture's total equals the total its published deviation score implies;
 3. the items are dealt to the bodies (row sums from step 2, column sums from the item rates)
    by a greedy with augmenting-path repair, preferring bodies with high propensity for the
    item; cells can be forbidden (a 2021 item only where the body has it in 2023).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def largest_remainder(values: np.ndarray, total: int, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Integers within [lo, hi] close to `values` that add up to `total` (when the bounds allow)."""
    base = np.clip(np.floor(values), lo, hi).astype(int)
    gap = total - int(base.sum())
    frac = values - np.floor(values)
    if gap > 0:
        order = np.argsort(-frac, kind="stable")
        while gap > 0:
            moved = False
            for i in order:
                if base[i] < hi[i]:
                    base[i] += 1
                    gap -= 1
                    moved = True
                    if gap == 0:
                        break
            if not moved:
                break
    elif gap < 0:
        order = np.argsort(frac, kind="stable")
        while gap < 0:
            moved = False
            for i in order:
                if base[i] > lo[i]:
                    base[i] -= 1
                    gap += 1
                    moved = True
                    if gap == 0:
                        break
            if not moved:
                break
    return base


def prefecture_totals(z: np.ndarray, sizes: np.ndarray, n_items: int, grand_total: int, spread: float) -> np.ndarray:
    """Integer in-place totals per prefecture whose means sit at the published deviation scores:
    mean_p = M + spread (z_p - 50) / 10, with M set so that the totals add up to grand_total."""
    n = sizes.sum()
    m = (100.0 * grand_total / n_items - spread * float((sizes * (z - 50) / 10).sum())) / n
    means = m + spread * (z - 50) / 10
    real = sizes * n_items * means / 100.0
    totals = largest_remainder(real, grand_total, np.zeros_like(sizes), sizes * n_items)
    return _refine_totals(totals, z, sizes * n_items)


DEVIATION_AIM = 0.45  # the figure tables accept |diff| <= 0.5 per prefecture: aim a little inside


def _deviation_error(totals: np.ndarray, z: np.ndarray, cells: np.ndarray) -> np.ndarray:
    means = totals / cells
    return 50 + 10 * (means - means.mean()) / means.std() - z


def _refine_totals(totals: np.ndarray, z: np.ndarray, cells: np.ndarray, max_moves: int = 50) -> np.ndarray:
    """Rounding to whole answers can leave a small prefecture's deviation score more than half a
    point from the published one (one answer of 17 bodies x 7 items moves it ~1.1 points). Move
    single answers between prefectures (the grand total stays) while that lowers the excess over
    DEVIATION_AIM, then the summed |diff|; deterministic (first best move in prefecture order)."""
    totals = totals.copy()

    def cost(t: np.ndarray) -> tuple[float, float]:
        err = np.abs(_deviation_error(t, z, cells))
        return float(np.maximum(err - DEVIATION_AIM, 0).sum()), float(err.sum())

    current = cost(totals)
    for _ in range(max_moves):
        if current[0] == 0:
            break
        err = _deviation_error(totals, z, cells)
        hot = np.flatnonzero(np.abs(err) > DEVIATION_AIM)
        best = None
        for h in hot:
            sign = -1 if err[h] > 0 else 1  # the hot prefecture gives (too high) or takes (too low) one answer
            for other in range(len(totals)):
                if other == h:
                    continue
                trial = totals.copy()
                trial[h] += sign
                trial[other] -= sign
                if trial[h] < 0 or trial[h] > cells[h] or trial[other] < 0 or trial[other] > cells[other]:
                    continue
                c = cost(trial)
                if c < current and (best is None or c < best[0]):
                    best = (c, trial)
        if best is None:
            break
        current, totals = best
    return totals


@dataclass
class FlagProblem:
    fixed: np.ndarray  # n x k int8: 1 / 0 fixed official answer, -1 free cell
    allowed: np.ndarray  # n x k bool: may a free cell be 1
    column_totals: np.ndarray  # k: target count of 1s per item over all bodies
    prefecture_total: np.ndarray  # P: target count of 1s over the prefecture's bodies and all items
    tally_all: np.ndarray  # C: bodies per class with every item in place
    tally_none: np.ndarray  # C: bodies per class with none
    theta: np.ndarray  # n: body propensity
    item_bias: np.ndarray  # n x k: extra propensity of a body for an item
    pref: np.ndarray
    cls: np.ndarray


@dataclass
class FlagResult:
    matrix: np.ndarray
    misses: list[str]


def _choose_tally_rows(p: FlagProblem, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, list[str]]:
    n, k = p.fixed.shape
    free = p.fixed < 0
    fixed_in = (p.fixed == 1).sum(axis=1)
    fixed_n = (~free).sum(axis=1)
    free_n = k - fixed_n
    ub = (free & p.allowed).sum(axis=1)
    forced_none = (fixed_in == 0) & (ub == 0)
    forced_all = (fixed_in == fixed_n) & (free_n == 0) & (fixed_n > 0)
    eligible_all = (fixed_in == fixed_n) & (ub == free_n) & ~forced_all
    eligible_none = (fixed_in == 0) & ~forced_none
    is_all = forced_all.copy()
    is_none = forced_none.copy()
    misses = []
    noise = rng.gumbel(size=(n,)) * 0.5
    for c in range(len(p.tally_all)):
        in_c = p.cls == c
        need_all = int(p.tally_all[c]) - int((forced_all & in_c).sum())
        need_none = int(p.tally_none[c]) - int((forced_none & in_c).sum())
        cand = np.flatnonzero(eligible_all & in_c)
        if need_all > len(cand) or need_all < 0:
            misses.append(f"class {c}: tally all needs {p.tally_all[c]}, feasible {int((forced_all & in_c).sum())}..{int((forced_all & in_c).sum()) + len(cand)}")
        take = cand[np.argsort(-(p.theta[cand] + noise[cand]), kind="stable")][: max(need_all, 0)]
        is_all[take] = True
        cand = np.flatnonzero(eligible_none & in_c & ~is_all)
        if need_none > len(cand) or need_none < 0:
            misses.append(f"class {c}: tally none needs {p.tally_none[c]}, feasible {int((forced_none & in_c).sum())}..{int((forced_none & in_c).sum()) + len(cand)}")
        take = cand[np.argsort(p.theta[cand] + noise[cand], kind="stable")][: max(need_none, 0)]
        is_none[take] = True
    return is_all, is_none, misses


def _row_counts(p: FlagProblem, is_all: np.ndarray, is_none: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Free-cell count per body so that prefecture totals are met."""
    n, k = p.fixed.shape
    free = p.fixed < 0
    fixed_in = (p.fixed == 1).sum(axis=1)
    fixed_n = (~free).sum(axis=1)
    free_n = k - fixed_n
    ub = (free & p.allowed).sum(axis=1)
    lo = np.where(fixed_in == 0, 1, 0)
    hi = np.where(fixed_in == fixed_n, np.minimum(ub, free_n - 1), ub)
    lo = np.minimum(lo, hi)
    rows = np.zeros(n, dtype=int)
    rows[is_all] = free_n[is_all]
    rows[is_none] = 0
    mid = ~(is_all | is_none)
    misses = []
    for q in range(len(p.prefecture_total)):
        in_q = p.pref == q
        m = np.flatnonzero(in_q & mid)
        target = int(p.prefecture_total[q]) - int(fixed_in[in_q].sum()) - int(rows[in_q & ~mid].sum())
        lo_q, hi_q = lo[m], hi[m]
        if target < lo_q.sum() or target > hi_q.sum():
            misses.append(f"prefecture {q}: needs {target} free in-place cells, bounds {lo_q.sum()}..{hi_q.sum()}")
            target = int(np.clip(target, lo_q.sum(), hi_q.sum()))
        if len(m) == 0:
            continue
        a, b = -30.0, 30.0
        for _ in range(60):
            mid_shift = (a + b) / 2
            val = (lo_q + (hi_q - lo_q) * sigmoid(p.theta[m] + mid_shift)).sum()
            if val < target:
                a = mid_shift
            else:
                b = mid_shift
        real = lo_q + (hi_q - lo_q) * sigmoid(p.theta[m] + (a + b) / 2)
        rows[m] = largest_remainder(real, target, lo_q, hi_q)
    return rows, misses


def _deal(p: FlagProblem, rows: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, list[str]]:
    """0/1 free cells with the given row sums and the item column totals."""
    n, k = p.fixed.shape
    free = (p.fixed < 0) & p.allowed
    col_need = p.column_totals - (p.fixed == 1).sum(axis=0)
    misses = []
    gap = int(rows.sum() - col_need.sum())
    if gap != 0:
        # spread the difference over the items (each stays within its tolerance when gap is small)
        order = np.argsort(-col_need, kind="stable")
        step = 1 if gap > 0 else -1
        for idx in range(abs(gap)):
            col_need[order[idx % k]] += step
        misses.append(f"row sums and item totals differed by {gap}: item totals adjusted")
    col_need = np.clip(col_need, 0, free.sum(axis=0))
    x = np.zeros((n, k), dtype=np.int8)
    remaining = rows.astype(float).copy()
    pref_score = p.theta[:, None] + p.item_bias + rng.gumbel(size=(n, k)) * 0.3
    col_order = np.argsort(free.sum(axis=0) - col_need, kind="stable")
    for j in col_order:
        cand = np.flatnonzero(free[:, j] & (remaining > 0))
        avail = (free & (x == 0)).sum(axis=1)[cand]
        urgency = remaining[cand] / np.maximum(avail, 1)
        key = urgency * 10.0 + sigmoid(pref_score[cand, j])
        take = cand[np.argsort(-key, kind="stable")][: int(col_need[j])]
        x[take, j] = 1
        remaining[take] -= 1
    # repair: augmenting paths (body short -> item -> body holding it -> other item ... -> item short)
    # where the allowed cells cannot take every count (a 2021 item only where the body has it in
    # 2023), the search may use any free cell: such an item is a fall from 2021 to 2023, which the
    # coherence target bounds (at least 95% of 2021 holders keep the item)
    col_short = col_need - x.sum(axis=0)
    any_free = p.fixed < 0
    for i in np.flatnonzero(remaining > 0):
        while remaining[i] > 0:
            path = _augmenting_path(x, free, col_short, int(i), limit=n) or _augmenting_path(x, any_free, col_short, int(i), limit=n)
            if path is None:
                # last resort, row first: the body's count (its prefecture total and its tally) is kept,
                # an item total moves by one body (0.06 points of a national rate)
                spare = np.flatnonzero(any_free[i] & (x[i] == 0))
                if len(spare) == 0:
                    misses.append(f"body {i}: {int(remaining[i])} item(s) could not be placed")
                    break
                j = spare[np.argmax(pref_score[i, spare])]
                x[i, j] = 1
                remaining[i] -= 1
                misses.append(f"body {i}: item {j} placed beyond its item total (+1 body)")
                continue
            for body, item, value in path:
                x[body, item] = value
            col_short[path[-1][1]] -= 1  # the short item's flip is last

            remaining[i] -= 1
    return x, misses


def _augmenting_path(x: np.ndarray, free: np.ndarray, col_short: np.ndarray, start: int,
                     limit: int = 300) -> list[tuple[int, int, int]] | None:
    """Breadth-first search (over at most `limit` bodies) for cell flips that give body `start` one more item and one short item
    one more holder, every other count unchanged: start takes item j1; a holder of j1 gives it up
    and takes j2; ... until an item that is short is taken. Returns (body, item, new value) flips
    with the short item's flip last."""
    parent: dict[int, tuple[int, int]] = {}  # body -> (body that took the item it gave up, that item)
    queue = [start]
    seen = {start}
    holders = [set(np.flatnonzero(x[:, j] == 1).tolist()) for j in range(x.shape[1])]
    while queue and len(seen) <= limit:
        body = queue.pop(0)
        for j in np.flatnonzero(free[body] & (x[body] == 0)):
            if col_short[j] > 0:
                flips = [(body, int(j), 1)]
                b = body
                while b != start:
                    taker, item = parent[b]
                    flips.append((taker, item, 1))
                    flips.append((b, item, 0))
                    b = taker
                flips.reverse()
                return flips
            for holder in sorted(holders[j]):
                if holder not in seen:
                    seen.add(int(holder))
                    parent[int(holder)] = (body, int(j))
                    queue.append(int(holder))
    return None


def solve_flags(p: FlagProblem, rng: np.random.Generator) -> FlagResult:
    is_all, is_none, misses = _choose_tally_rows(p, rng)
    rows, more = _row_counts(p, is_all, is_none)
    x, even_more = _deal(p, rows, rng)
    full = np.where(p.fixed >= 0, p.fixed, x).astype(np.int8)
    return FlagResult(full, misses + more + even_more)
