"""Generate the calibrated sample answers (python -m jdx sample).

Every cell the report needs but no official file in this workplace provides is filled with a
generated answer, written as a raw answer seed of a sample edition (cfg_editions.is_sample,
stands_in_for the official edition). Official answers are inputs: they are never rewritten,
they fix their cells, and they shift the propensity of the body's other answers.
"""
from __future__ import annotations

import csv
import hashlib
import re
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..csv_files import progress, write_csv
from .fit import FlagProblem, prefecture_totals, solve_flags
from .universe import CLASSES, Published, Universe, domain_items, load_official_flags, load_published, load_universe

FLAG_DOMAINS = ("dx_governance", "service_advancement", "service_improvement")
PROCEDURE_DOMAINS = {"online_high_volume": "procedures_high_volume", "online_life_events": "procedures_life_events"}
YEARS = (2023, 2021)  # 2023 first: 2021 is drawn inside what bodies have in 2023
REFERENCE_ITEM = "online_application_system"
ANSWER_HEADER = (
    "seed_row", "edition_id", "source_file", "source_row", "source_column", "municipality_code",
    "municipality_name", "question_group", "question_id", "raw_value",
)
SAMPLE_DIR = Path("data/answers/sample")

# Which official edition each generated (item, year) stands in for.
EDITION_OF = {
    2021: {"ai_adopted": "mic_ai_rpa_2021", "rpa_adopted": "mic_ai_rpa_2021", "open_data": "da_open_data_2021"},
    2023: {"open_data": "da_open_data_2023"},
}
MIC_EDITION = {2021: "mic_dx_survey_r3", 2023: "mic_dx_survey_r5"}
PROCEDURE_EDITION = {2021: "da_online_procedures_2021", 2023: "da_online_procedures_2023"}
NOTO_EDITION = "mic_dx_survey_r4"


@dataclass
class Sample:
    """Everything generated plus the official values it was conditioned on (for calibration)."""
    flags: dict[tuple[str, int], np.ndarray] = field(default_factory=dict)  # (domain, year) -> n x k
    flag_items: dict[str, list[str]] = field(default_factory=dict)
    official_mask: dict[tuple[str, int], np.ndarray] = field(default_factory=dict)
    reference: dict[int, np.ndarray] = field(default_factory=dict)
    procedures: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # existing, online
    plan_followup: dict[str, np.ndarray] = field(default_factory=dict)  # 2023 item -> 1 / 0 / -1 (not asked)
    misses: list[str] = field(default_factory=list)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _item_target(pub: Published, assumptions: dict, domain: str, item: str, year: int) -> float | None:
    key = f"{domain}.{item}.{year}"
    if key in assumptions["flag_item_rates"]:
        return float(assumptions["flag_item_rates"][key])
    hit = pub.item_rates.get((domain, item, year))
    if hit and "bound" not in hit[1]:
        return hit[0]
    return None


def _propensity(u: Universe, assumptions: dict, z: np.ndarray, body: np.ndarray, own: np.ndarray) -> np.ndarray:
    class_effect = np.array([assumptions["class_effect"][c] for c in CLASSES])
    return class_effect[u.cls] + 0.06 * (z[u.pref] - 50) + 0.7 * body + 0.5 * own


def _gradient_targets(assumptions: dict, domain: str, year: int) -> dict[int, tuple[float, float]]:
    out = {}
    for key, (lo, hi) in assumptions.get("class_gradient", {}).items():
        d, y, c = key.split(".")
        if d == domain and int(y) == year:
            out[CLASSES.index(c)] = (float(lo), float(hi))
    return out


def _flag_domain_year(u: Universe, pub: Published, assumptions: dict, official: dict[str, np.ndarray], items: list[str],
                      domain: str, year: int, body: np.ndarray, rng: np.random.Generator,
                      later: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    n, k = u.n, len(items)
    fixed = np.full((n, k), -1, dtype=np.int8)
    if year == 2023:
        for j, item in enumerate(items):
            if item in official:
                fixed[:, j] = official[item]  # -1 where not surveyed (the Noto bodies): generated from R4
    totals = np.zeros(k, dtype=int)
    for j, item in enumerate(items):
        target = _item_target(pub, assumptions, domain, item, year)
        if target is None:
            answered = fixed[:, j] >= 0
            if not answered.any():
                raise ValueError(f"no target rate for {domain}.{item}.{year}: add one to assumptions.toml")
            target = 100.0 * (fixed[answered, j] == 1).mean()
        ones, free_cells = int((fixed[:, j] == 1).sum()), int((fixed[:, j] < 0).sum())
        totals[j] = int(np.clip(round(target * n / 100), ones, ones + free_cells))
    z = pub.deviation[(domain, year)]
    spread = float(assumptions["prefecture_spread"][f"{domain}.{year}"])
    pref_total = prefecture_totals(z, u.pref_sizes(), k, int(totals.sum()), spread)
    tallies_all = np.array([pub.tallies[(domain, c, year)][0] for c in CLASSES])
    tallies_none = np.array([pub.tallies[(domain, c, year)][1] for c in CLASSES])
    allowed = np.ones((n, k), dtype=bool) if later is None else later == 1
    own = rng.normal(size=n)
    official_share = np.where((fixed >= 0).sum(axis=1) > 0, (fixed == 1).sum(axis=1) / np.maximum((fixed >= 0).sum(axis=1), 1), 0.5)
    gradient = _gradient_targets(assumptions, domain, year)
    shift = np.zeros(len(CLASSES))
    for _ in range(25):
        theta = _propensity(u, assumptions, z, body, own) + 2.0 * (official_share - 0.5) + shift[u.cls]
        problem = FlagProblem(fixed, allowed, totals, pref_total, tallies_all, tallies_none, theta,
                              np.zeros((n, k)), u.pref, u.cls)
        result = solve_flags(problem, np.random.default_rng(rng.integers(2**32)))
        if not gradient:
            break
        means = np.array([result.matrix[u.cls == c].mean() * 100 for c in range(len(CLASSES))])
        off = {c: (lo - means[c]) if means[c] < lo else (hi - means[c]) if means[c] > hi else 0.0
               for c, (lo, hi) in gradient.items()}
        if all(abs(v) < 1e-9 for v in off.values()):
            break
        for c, v in off.items():
            shift[c] += 0.08 * v
    misses = [f"{domain} {year}: {m}" for m in result.misses]
    return result.matrix, fixed >= 0, misses


def _procedures(u: Universe, pub: Published, assumptions: dict, domain: str, year: int, body: np.ndarray,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    spec = assumptions["procedures"][f"{domain}.{year}"]
    n_proc, mean_rate, share = int(spec["n_procedures"]), float(spec["mean_rate"]), float(spec["mean_existing_share"])
    z = pub.deviation[(domain, year)]
    spread = float(assumptions["prefecture_spread"][f"{domain}.{year}"])
    sizes = u.pref_sizes()
    m = mean_rate - spread * float((sizes * (z - 50) / 10).sum()) / u.n
    target = m + spread * (z - 50) / 10
    class_effect = np.array([assumptions["class_effect"][c] for c in CLASSES])
    existing_p = np.clip(share + 0.05 * (class_effect[u.cls] - class_effect[u.cls].mean()), 0.3, 0.99)
    existing = np.maximum(rng.binomial(n_proc, existing_p), 1)
    theta = class_effect[u.cls] + 0.7 * body + 0.5 * rng.normal(size=u.n)
    online = np.zeros(u.n, dtype=int)
    for q in range(len(u.pref_codes)):
        idx = np.flatnonzero(u.pref == q)
        centred = theta[idx] - theta[idx].mean()
        rate = np.clip(target[q] + 12.0 * centred, 0, 100)
        online[idx] = np.clip(np.round(existing[idx] * rate / 100), 0, existing[idx])
        noise = rng.gumbel(size=len(idx)) * 0.3
        for _ in range(5000):
            cur = (100.0 * online[idx] / existing[idx]).sum()
            need = target[q] * len(idx) - cur
            step = 100.0 / existing[idx]
            if need > 0:
                ok = (online[idx] < existing[idx]) & (step <= 2 * need)
                if not ok.any():
                    break
                pick = np.flatnonzero(ok)[np.argmax((theta[idx] + noise)[ok])]
                online[idx[pick]] += 1
            elif need < 0:
                ok = (online[idx] > 0) & (step <= -2 * need)
                if not ok.any():
                    break
                pick = np.flatnonzero(ok)[np.argmin((theta[idx] + noise)[ok])]
                online[idx[pick]] -= 1
            else:
                break
    return existing, online


def _compensate(u: Universe, existing: np.ndarray, online: np.ndarray, q: int, need: float, theta: np.ndarray,
                can_change) -> None:
    """Move single procedures online or offline at other bodies of prefecture q until the sum of
    the prefecture's body rates has changed by `need` points (within half a step), so prefecture
    means (and the deviation scores) stay where the construction put them. `can_change(j, +1/-1)`
    says whether body j may take the step; the most (least) propensed body moves first."""
    idx = np.flatnonzero(u.pref == q)
    for _ in range(10000):
        step = 100.0 / existing[idx]
        if need > 0:
            ok = (online[idx] < existing[idx]) & (step <= 2 * need)
            ok &= np.array([can_change(j, +1) for j in idx])
            if not ok.any():
                return
            pick = idx[np.flatnonzero(ok)[np.argmax(theta[idx][ok])]]
            online[pick] += 1
            need -= 100.0 / existing[pick]
        elif need < 0:
            ok = (online[idx] > 0) & (step <= -2 * need)
            ok &= np.array([can_change(j, -1) for j in idx])
            if not ok.any():
                return
            pick = idx[np.flatnonzero(ok)[np.argmin(theta[idx][ok])]]
            online[pick] -= 1
            need += 100.0 / existing[pick]
        else:
            return


def _pooled_online(repo: Path, u: Universe, assumptions: dict, sample: Sample, year: int, body: np.ndarray) -> None:
    """The text's pooled online procedures ((1)+(2) online / (1)+(2) existing per body): exactly
    `zero_bodies` bodies with none online, and in a year with `top_rate`, `top_bodies` bodies at
    exactly that rate (one decimal) and none above it. Each change is compensated inside the
    prefecture and domain (_compensate)."""
    claims = assumptions["pooled_online"].get(str(year))
    if claims is None:
        return
    spec = {key: claim_value(repo, claim_id) for key, claim_id in claims.items()}
    class_effect = np.array([assumptions["class_effect"][c] for c in CLASSES])
    theta = class_effect[u.cls] + 0.7 * body
    domains = list(PROCEDURE_DOMAINS)
    ex = {d: sample.procedures[(d, year)][0] for d in domains}
    on = {d: sample.procedures[(d, year)][1] for d in domains}
    total_ex = sum(ex[d] for d in domains)
    if not isinstance(total_ex, np.ndarray):
        raise TypeError(f"{year}: no procedure domains to pool")
    top = float(spec.get("top_rate", 100.0))

    def total_on(j: int) -> int:
        return int(sum(on[d][j] for d in domains))

    protected = np.zeros(u.n, dtype=bool)

    def can_change(j: int, sign: int) -> bool:
        if protected[j]:
            return False
        if sign < 0:
            return total_on(j) > 1  # never makes a new body with nothing online
        return 100.0 * (total_on(j) + 1) / total_ex[j] < top - 0.05

    def set_online(j: int, d: str, value: int) -> None:
        old = on[d][j]
        on[d][j] = value
        _compensate(u, ex[d], on[d], int(u.pref[j]), -100.0 * (value - old) / ex[d][j], theta, can_change)

    zero = np.argsort(theta, kind="stable")[: int(spec["zero_bodies"])]
    protected[zero] = True
    for j in zero:
        for d in domains:
            set_online(int(j), d, 0)
    for j in np.flatnonzero(~protected):
        if total_on(int(j)) == 0:
            protected[j] = True
            d = max(domains, key=lambda dd: ex[dd][j])
            set_online(int(j), d, 1)
            protected[j] = False
    if "top_rate" in spec:
        # the bodies at the top: those whose procedures allow exactly the top rate, most propensed first
        exact = [j for j in np.argsort(-theta, kind="stable")
                 if not protected[j] and abs(round(top * total_ex[j] / 100) - top * total_ex[j] / 100) < 1e-9]
        chosen = exact[: int(spec["top_bodies"])]
        protected[chosen] = True
        for j in chosen:
            want = int(round(top * total_ex[j] / 100))
            for d in sorted(domains, key=lambda dd: -ex[dd][j]):
                set_online(int(j), d, min(int(ex[d][j]), want))
                want -= on[d][j]
        for j in np.argsort(-theta, kind="stable"):
            while not protected[j] and 100.0 * total_on(j) / total_ex[j] >= top - 0.05:
                protected[j] = True
                d = max(domains, key=lambda dd: on[dd][j])
                set_online(int(j), d, int(on[d][j]) - 1)
                protected[j] = False
    for d in domains:
        sample.procedures[(d, year)] = (ex[d], on[d])


def _joint_unit_structure(repo: Path, u: Universe, assumptions: dict, sample: Sample) -> None:
    """Cross-department structure × dedicated DX unit (the text: bodies with a structure and no
    unit). Moves the dedicated unit from a body without a structure to one with a structure and
    no unit, inside the same prefecture and size class, so item totals, prefecture totals and
    the class tallies stay as built (the giver keeps another item, the taker still lacks one);
    2021 stays inside 2023. Official cells are never moved."""
    spec = assumptions.get("joint_unit_structure", {})
    items = sample.flag_items["dx_governance"]
    cross, unit = items.index("cross_department_structure"), items.index("dedicated_dx_unit")
    for year in (2023, 2021):
        if str(year) not in spec:
            continue
        target = claim_value(repo, spec[str(year)])
        x = sample.flags[("dx_governance", year)]
        fixed = sample.official_mask[("dx_governance", year)]
        other = sample.flags[("dx_governance", 2021 if year == 2023 else 2023)]
        k = x.shape[1]
        for _ in range(u.n):
            n_now = int(((x[:, cross] == 1) & (x[:, unit] == 0)).sum())
            if n_now <= int(target):
                break
            givers = (x[:, unit] == 1) & (x[:, cross] == 0) & (x.sum(axis=1) >= 2) & ~fixed[:, unit]
            takers = (x[:, unit] == 0) & (x[:, cross] == 1) & (x.sum(axis=1) <= k - 2) & ~fixed[:, unit]
            if year == 2023:
                givers &= other[:, unit] == 0  # the 2021 unit must stay inside 2023
            else:
                takers &= other[:, unit] == 1
            moved = False
            for g in np.flatnonzero(givers):
                same = np.flatnonzero(takers & (u.pref == u.pref[g]) & (u.cls == u.cls[g]))
                if len(same):
                    x[g, unit], x[same[0], unit] = 0, 1
                    moved = True
                    break
            if not moved:
                sample.misses.append(f"dx_governance {year}: structure without unit stays at {n_now} (target {target})")
                break


def _pooled_tallies(repo: Path, u: Universe, assumptions: dict, sample: Sample) -> None:
    """The pooled 23-item tally of the text (2021: no body with all 23, one body at 22; 2023: the
    published number with all 23 by size-class group). Exchanges the service-improvement answers
    (2021 and 2023 together) of two bodies of the same prefecture and size class: every item total,
    prefecture total, class tally and the 2021-inside-2023 nesting stay as built."""
    spec = assumptions.get("pooled_tallies")
    if not spec:
        return
    groups = {name: [CLASSES.index(c) for c in members] for name, members in spec["class_groups"].items()}
    imp = {y: sample.flags[("service_improvement", y)] for y in (2021, 2023)}
    fixed = sample.official_mask[("service_improvement", 2023)] | sample.official_mask[("service_improvement", 2021)]
    base = {y: sample.flags[("dx_governance", y)].sum(axis=1) + sample.flags[("service_advancement", y)].sum(axis=1)
            for y in (2021, 2023)}
    full = sum(len(sample.flag_items[d]) for d in FLAG_DOMAINS)
    cls_group = np.full(u.n, -1)
    for g, members in enumerate(groups.values()):
        cls_group[np.isin(u.cls, members)] = g
    want_2023 = np.array([int(claim_value(repo, spec["all_2023"][name])) for name in groups])
    at_max_2021 = claim_value(repo, spec["at_max_2021"])

    def cost(t21: np.ndarray, t23: np.ndarray) -> float:
        c = 10.0 * float((t21 == full).sum()) + abs(float((t21 == full - 1).sum()) - at_max_2021)
        got = np.bincount(cls_group[t23 == full], minlength=len(groups))
        return c + float(np.abs(got - want_2023).sum())

    t = {y: base[y] + imp[y].sum(axis=1) for y in (2021, 2023)}
    current = cost(t[2021], t[2023])
    swappable = ~fixed.any(axis=1)
    for _ in range(20):
        improved = False
        hot = np.flatnonzero(swappable & ((t[2021] >= full - 2) | (t[2023] >= full - 2)))
        for a in hot:
            peers = np.flatnonzero(swappable & (u.pref == u.pref[a]) & (u.cls == u.cls[a]))
            for b in peers:
                if b == a or all((imp[y][a] == imp[y][b]).all() for y in (2021, 2023)):
                    continue
                trial = {y: t[y].copy() for y in (2021, 2023)}
                for y in (2021, 2023):
                    trial[y][a], trial[y][b] = base[y][a] + imp[y][b].sum(), base[y][b] + imp[y][a].sum()
                c = cost(trial[2021], trial[2023])
                if c < current - 1e-9:
                    for y in (2021, 2023):
                        imp[y][[a, b]] = imp[y][[b, a]]
                    t, current, improved = trial, c, True
                    break
        if not improved or current == 0:
            break
    if current > 0:
        sample.misses.append(f"pooled 23-item tallies: cost {current:.0f} left after exchanges")


def claim_band(repo: Path, claim_id: str) -> tuple[float, float, float | None]:
    """The interval a claim's rule accepts (its CLOSE band where it has one, else its MATCH band)
    and the published number to prefer inside it."""
    for row in _rows(repo / "seeds/published/jri_text_claims.csv"):
        if row["claim_id"] != claim_id:
            continue
        rule = row["rule"]
        hit = re.search(r"MATCH \|d\|<=([0-9.e-]+)(?:; CLOSE \|d\|<=([0-9.e-]+))?", rule)
        if hit:
            p = claim_value(repo, claim_id)
            tol = float(hit.group(2) or hit.group(1)) * 0.95
            return p - tol, p + tol, p
        hit = re.search(r"MATCH in \[(-?[0-9.]+),(-?[0-9.]+)\]", rule)
        if hit:
            return float(hit.group(1)), float(hit.group(2)), None
        hit = re.search(r"MATCH (>=|>|<=|<)\s*(-?[0-9.]+)", rule)
        if hit:
            x = float(hit.group(2))
            eps = 1e-6 if hit.group(1) in (">", "<") else 0.0
            return (x + eps, np.inf, None) if hit.group(1).startswith(">") else (-np.inf, x - eps, None)
        raise ValueError(f"claim {claim_id}: rule {rule!r} has no band the generator can aim at")
    raise ValueError(f"claim {claim_id} not in jri_text_claims.csv")


def _coupled_ok(other: np.ndarray, year: int, a: int, b: int, j: int, k: int) -> bool:
    """An exchange (a gives j takes k, b gives k takes j) in `year` keeps 2021 inside 2023 by
    making the same exchange in the other year where needed; both bodies switch there or neither,
    so the other year's item totals stay as built."""
    if year == 2023:  # 2021: a had j iff b had k; where they did, a lacked k and b lacked j
        if other[a, j] != other[b, k]:
            return False
        return bool(other[a, j] == 0 or (other[a, k] == 0 and other[b, j] == 0))
    # 2023: a lacks k iff b lacks j; where they do, a has j and b has k there
    if (other[a, k] == 0) != (other[b, j] == 0):
        return False
    return bool(other[a, k] == 1 or (other[a, j] == 1 and other[b, k] == 1))


def _exchange(x: np.ndarray, other: np.ndarray | None, year: int, a: int, b: int, j: int, k: int | None,
              sign: int) -> None:
    """Apply (sign +1) or undo (-1) the exchange of _coupled_ok; k None: the item moves alone."""
    if k is None:
        x[b, j], x[a, j] = (1, 0) if sign > 0 else (0, 1)
        return
    if other is None:
        raise ValueError("an exchange with a partner item needs the other year's matrix")
    if sign > 0:
        switch = (other[a, j] == 1) if year == 2023 else (other[a, k] == 0)
        x[a, j], x[a, k], x[b, j], x[b, k] = 0, 1, 1, 0
        if switch:
            other[a, j], other[a, k], other[b, j], other[b, k] = 0, 1, 1, 0
        x_switch_log.append(bool(switch))
    else:
        switch = x_switch_log.pop()
        x[a, j], x[a, k], x[b, j], x[b, k] = 1, 0, 0, 1
        if switch:
            other[a, j], other[a, k], other[b, j], other[b, k] = 1, 0, 0, 1


x_switch_log: list[bool] = []
AT_100_PROGRESS = 12  # prefectures below 100% whose progress an at_100 target counts
R_TRY, G_TRY = 3, 8  # receivers and givers tried per place, item and partner item


def _prefecture_item_profiles(repo: Path, u: Universe, assumptions: dict, sample: Sample) -> None:
    """Per-item prefecture extremes of the text (gaps between the top and bottom prefecture, the
    named top prefecture, prefectures at 0% or 100%). Exchange: body a of one prefecture gives
    item j and takes item k of the same domain, body b of another prefecture gives k and takes j:
    item totals, prefecture domain totals, every body's count (so class tallies and the pooled
    tally), the structure-unit joint count and the 2021-inside-2023 nesting stay as built;
    official cells never move. The reference item has no domain total: it moves alone."""
    targets = assumptions.get("prefecture_item_targets", [])
    if not targets:
        return
    sizes = u.pref_sizes().astype(float)
    pref_index = {code: q for q, code in enumerate(u.pref_codes)}
    specs = []
    for t in targets:
        lo, hi, p = (0.0, np.inf, None) if t["measure"] == "top" else claim_band(repo, t["claim"])
        specs.append((t["domain"], t["item"], int(t["year"]), t["measure"], pref_index.get(t.get("prefecture", ""), -1),
                      lo, hi, p))

    def matrix(domain: str, year: int) -> np.ndarray:
        return sample.reference[year][:, None] if domain == "reference" else sample.flags[(domain, year)]

    def column(domain: str, item: str) -> int:
        return 0 if domain == "reference" else sample.flag_items[domain].index(item)

    def measure(domain: str, item: str, year: int, kind: str, q: int) -> float:
        rates = 100.0 * np.bincount(u.pref, weights=matrix(domain, year)[:, column(domain, item)],
                                    minlength=len(sizes)) / sizes
        if kind == "gap":
            return float(rates.max() - rates.min())
        if kind == "bottom":
            return float(rates.min())
        if kind == "rate":
            return float(rates[q])
        if kind == "top":  # the named prefecture strictly above every other
            return float(rates[q] - np.delete(rates, q).max()) - 1e-6
        if kind == "at_0":
            return float((rates <= 1e-9).sum())
        full = rates >= 100 - 1e-9
        # at_100: the count, plus the progress of the closest prefectures below 100% (so a search sees
        # a body placed in any of them, not only in the closest one, which may have no exchange left)
        below = np.sort(rates[~full])[::-1][:AT_100_PROGRESS]
        return float(full.sum()) + (0.9 * float(below.mean()) / 100 if len(below) else 0.0)

    def spec_cost(spec: tuple) -> float:
        domain, item, year, kind, q, lo, hi, p = spec
        v = measure(domain, item, year, kind, q)
        if kind == "at_100":
            v_count = float(np.floor(v))
            return (max(lo - v, 0.0) + max(v_count - hi, 0.0)) if not lo <= v_count <= hi else 0.0
        return max(lo - v, 0.0) + max(v - hi, 0.0) + (0.001 * abs(v - p) if p is not None else 0.0)

    def cost(only: tuple | None = None) -> float:
        """Total cost, or only that of the targets on (domain, year, items) when given."""
        if only is None:
            return sum(spec_cost(sp) for sp in specs)
        domain, year, items = only
        return sum(spec_cost(sp) for sp in specs if sp[0] == domain and sp[2] == year and sp[1] in items)

    gov = sample.flag_items["dx_governance"]
    joint = {gov.index("cross_department_structure"), gov.index("dedicated_dx_unit")}
    current = cost()
    pick_rng = np.random.default_rng(int(assumptions["seed"]))
    stuck: set[int] = set()
    retries = int(assumptions.get("prefecture_item_retries", 0))
    for _ in range(int(assumptions.get("prefecture_item_rounds", 400))):
        order = pick_rng.permutation(u.n)
        if current < 0.05:
            break
        improved = False
        for n_spec, spec in enumerate(specs):
            domain, item, year, kind, q, lo, hi, p = spec
            if n_spec in stuck or spec_cost(spec) <= 0.01:
                continue
            x = matrix(domain, year)
            j = column(domain, item)
            rates = np.bincount(u.pref, weights=x[:, j], minlength=len(sizes)) / sizes
            places = {int(rates.argmax()), int(rates.argmin())} | ({q} if q >= 0 else set())
            if kind in ("at_0", "at_100"):
                places |= set(np.argsort(rates if kind == "at_0" else -rates, kind="stable")[:12].tolist())
            fixed = sample.official_mask.get((domain, year), np.zeros_like(x, dtype=bool))
            other_year = 2021 if year == 2023 else 2023
            other = None if domain == "reference" else sample.flags[(domain, other_year)]
            other_fixed = sample.official_mask.get((domain, other_year), np.zeros_like(x, dtype=bool))
            ks: list[int | None] = [None] if domain == "reference" else [
                k for k in range(x.shape[1]) if k != j and not ({j, k} == joint and domain == "dx_governance")]
            best = None
            for place in sorted(places):
                for into in (True, False):
                    inside = u.pref == place
                    for k in ks:
                        # receiver takes j (gives k), giver gives j (takes k)
                        recv = ~fixed[:, j] & (x[:, j] == 0)
                        give = ~fixed[:, j] & (x[:, j] == 1)
                        if k is not None:
                            recv &= ~fixed[:, k] & (x[:, k] == 1)
                            give &= ~fixed[:, k] & (x[:, k] == 0)
                            if year == 2021:  # official 2023 cells: only exchanges that need no 2023 switch
                                movable = ~other_fixed[:, j] & ~other_fixed[:, k]
                                recv &= movable | (other is not None and other[:, j] == 1)
                                give &= movable | (other is not None and other[:, k] == 1)
                        recv &= inside if into else ~inside
                        give &= ~inside if into else inside
                        r_all, g_all = np.flatnonzero(recv), np.flatnonzero(give)
                        r_list = r_all[order[: len(r_all)] % len(r_all)][:R_TRY] if len(r_all) else r_all
                        g_list = g_all[order[: len(g_all)] % len(g_all)][:G_TRY] if len(g_all) else g_all
                        names = {item} if k is None else {item, sample.flag_items[domain][k]}
                        local = cost((domain, year, names)) + (0.0 if k is None else cost((domain, other_year, names)))
                        for b in r_list:
                            for a in g_list:
                                if u.pref[a] == u.pref[b]:
                                    continue
                                if domain == "dx_governance" and (j in joint or k in joint):
                                    if other is None:
                                        raise ValueError("dx_governance needs the other year's matrix")
                                    if (x[a, min(joint)] != x[b, min(joint)]
                                            or other[a, min(joint)] != other[b, min(joint)]):
                                        continue  # the unit moves between bodies alike in structure, both years
                                if k is not None:
                                    if other is None:
                                        raise ValueError(f"{domain}: an exchange with item {k} needs the other year's matrix")
                                    if not _coupled_ok(other, year, a, b, j, k):
                                        continue
                                    if year == 2021 and other[a, k] == 0 and (
                                            other_fixed[a, j] or other_fixed[a, k] or other_fixed[b, j] or other_fixed[b, k]):
                                        continue  # the 2023 switch would move an official cell
                                _exchange(x, other, year, a, b, j, k, +1)
                                c = current - local + cost((domain, year, names)) + (
                                    0.0 if k is None else cost((domain, other_year, names)))
                                _exchange(x, other, year, a, b, j, k, -1)
                                if c < current - 1e-9 and (best is None or c < best[0]):
                                    best = (c, a, b, k)
            if best is not None:
                c, a, b, k = best
                _exchange(x, other, year, a, b, j, k, +1)
                current, improved = c, True
            else:
                stuck.add(n_spec)  # no exchange of this draw helps this target: skip it until a new draw
        if not improved:
            if retries <= 0:
                break
            retries -= 1  # a fresh draw of candidate bodies for every target still outside its band
            stuck.clear()
    for spec in specs:
        domain, item, year, kind, q, lo, hi, p = spec
        v = measure(domain, item, year, kind, q)
        if spec_cost(spec) > 0.01:
            sample.misses.append(f"prefecture extremes: {domain}.{item} {year} {kind} = {v:.2f} (band {lo:.2f}..{hi:.2f})")


def _class_item_minima(repo: Path, u: Universe, assumptions: dict, sample: Sample) -> None:
    """Size-class minima of the text ("every item 8〜9割" in the large classes): the class's lowest
    item rate reaches the claim's bound. Exchange inside one prefecture: a body of the class takes
    its lowest item from a body of another class and gives back its highest one, so every total
    (prefecture, item, body, class mean and tally) and the prefecture extremes stay as they are."""
    for target in assumptions.get("class_item_minima", []):
        domain, year = target["domain"], int(target["year"])
        lo = claim_band(repo, target["claim"])[0]
        c = CLASSES.index(target["size_class"])
        protected = [CLASSES.index(x) for x in target["protected_classes"]]
        x = sample.flags[(domain, year)]
        other = sample.flags[(domain, 2021 if year == 2023 else 2023)]
        fixed = sample.official_mask[(domain, year)] | sample.official_mask[(domain, 2021 if year == 2023 else 2023)]
        members = u.cls == c
        for _ in range(int(members.sum()) * 2):
            rates = 100.0 * x[members].mean(axis=0)
            if rates.min() >= lo:
                break
            j = int(rates.argmin())
            moved = False
            for k in np.argsort(-rates, kind="stable"):
                k = int(k)
                if k == j or rates[k] - 100.0 / members.sum() < lo:
                    continue
                takers = np.flatnonzero(members & (x[:, j] == 0) & (x[:, k] == 1) & ~fixed[:, j] & ~fixed[:, k])
                for b in takers:
                    givers = np.flatnonzero((u.pref == u.pref[b]) & ~np.isin(u.cls, protected) & (x[:, j] == 1)
                                            & (x[:, k] == 0) & ~fixed[:, j] & ~fixed[:, k])
                    for a in givers:
                        if _coupled_ok(other, year, int(a), int(b), j, k):
                            _exchange(x, other, year, int(a), int(b), j, k, +1)
                            x_switch_log.clear()
                            moved = True
                            break
                    if moved:
                        break
                if moved:
                    break
            if not moved:
                sample.misses.append(f"class minimum: {domain} {year} {target['size_class']} lowest item {rates.min():.1f}")
                break


def _plan_without_website(repo: Path, u: Universe, assumptions: dict, sample: Sample) -> None:
    """The text's 500+ bodies with a master plan (official) and no website evaluation (sample),
    2023: a body with a plan gives its website evaluation to a body of the same prefecture without
    a plan and takes another service-improvement item back (prefecture, item and body totals, the
    prefecture extremes and the large classes' minima stay as they are)."""
    spec = assumptions.get("plan_without_website")
    if not spec:
        return
    bound = claim_band(repo, spec["claim"])[0]
    gov, imp = sample.flag_items["dx_governance"], sample.flag_items["service_improvement"]
    plan = sample.flags[("dx_governance", 2023)][:, gov.index("dx_master_plan")] == 1
    x, other = sample.flags[("service_improvement", 2023)], sample.flags[("service_improvement", 2021)]
    fixed = sample.official_mask[("service_improvement", 2023)] | sample.official_mask[("service_improvement", 2021)]
    j = imp.index("website_evaluated")
    free = ~np.isin(u.cls, [CLASSES.index(c) for c in spec["protected_classes"]])
    for _ in range(u.n):
        if int((plan & (x[:, j] == 0)).sum()) >= bound:
            break
        moved = False
        for a in np.flatnonzero(plan & free & (x[:, j] == 1) & ~fixed[:, j]):
            for b in np.flatnonzero(~plan & free & (u.pref == u.pref[a]) & (x[:, j] == 0) & ~fixed[:, j]):
                for k in range(len(imp)):
                    if k == j or x[a, k] == 1 or x[b, k] == 0 or fixed[a, k] or fixed[b, k]:
                        continue
                    if _coupled_ok(other, 2023, int(a), int(b), j, k):  # a gives j takes k, b the reverse
                        _exchange(x, other, 2023, int(a), int(b), j, k, +1)
                        moved = True
                        break
                if moved:
                    break
            if moved:
                break
        if not moved:
            sample.misses.append(f"plan without website evaluation: {int((plan & (x[:, j] == 0)).sum())} (bound {bound:g})")
            break
    x_switch_log.clear()


def claim_value(repo: Path, claim_id: str) -> float:
    """The published number of a claim in seeds/published/jri_text_claims.csv (its leading
    number, e.g. 7 of '7 (implied)'): assumptions name claims, never repeat their values."""
    for row in _rows(repo / "seeds/published/jri_text_claims.csv"):
        if row["claim_id"] == claim_id:
            hit = re.match(r"\s*(-?[0-9.]+)", row["published_value"])
            if hit is None:
                raise ValueError(f"claim {claim_id}: no number in {row['published_value']!r}")
            return float(hit.group(1))
    raise ValueError(f"claim {claim_id} not in jri_text_claims.csv")


def _plan_followup(repo: Path, u: Universe, assumptions: dict, master_plan: np.ndarray, body: np.ndarray,
                   rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The 2023 questions asked of bodies with a master plan (roadmap with progress management,
    KPIs measured): the published number of bodies, picked among plan holders by propensity,
    each later item inside the one before it (KPIs measured only where a roadmap is managed)."""
    class_effect = np.array([assumptions["class_effect"][c] for c in CLASSES])
    has_plan = master_plan == 1
    allowed = has_plan.copy()
    out = {}
    for item, claim_id in assumptions["plan_followup"].items():
        target = int(round(claim_value(repo, claim_id)))
        score = class_effect[u.cls] + 0.7 * body + 0.8 * rng.normal(size=u.n)
        score = np.where(allowed, score, -np.inf)
        x = np.where(has_plan, 0, -1).astype(np.int8)
        x[np.argsort(-score, kind="stable")[: min(target, int(allowed.sum()))]] = 1
        out[item] = x
        allowed = x == 1
    return out


def generate(repo: Path) -> Sample:
    started = time.monotonic()
    assumptions = tomllib.loads((Path(__file__).parent / "assumptions.toml").read_text(encoding="utf-8"))
    rng = np.random.default_rng(int(assumptions["seed"]))
    u = load_universe(repo)
    pub = load_published(repo, u)
    official = load_official_flags(repo, u)
    items = domain_items(repo)
    body = rng.normal(size=u.n)  # a body's general DX propensity, shared by every domain and year
    sample = Sample(flag_items={d: items[d] for d in FLAG_DOMAINS})
    for domain in FLAG_DOMAINS:
        domain_rng = np.random.default_rng(rng.integers(2**32))
        later = None
        for year in YEARS:
            matrix, mask, misses = _flag_domain_year(u, pub, assumptions, official, items[domain], domain, year, body,
                                                     domain_rng, later)
            sample.flags[(domain, year)] = matrix
            sample.official_mask[(domain, year)] = mask
            sample.misses += misses
            later = matrix
            progress(f"sample: {domain} {year} done ({time.monotonic() - started:.1f} s)")
    _joint_unit_structure(repo, u, assumptions, sample)
    _pooled_tallies(repo, u, assumptions, sample)
    # the reworded reference item: its own rates, correlated with the body's advancement propensity
    ref_rng = np.random.default_rng(rng.integers(2**32))
    adv23 = sample.flags[("service_advancement", 2023)].mean(axis=1)
    for year, score in ((2023, adv23 + 0.15 * ref_rng.normal(size=u.n)), (2021, None)):
        if score is None:
            score = sample.reference[2023] + 0.5 * adv23 + 0.6 * ref_rng.normal(size=u.n)
        rate = pub.item_rates[("service_advancement_reference", REFERENCE_ITEM, year)][0]
        x = np.zeros(u.n, dtype=np.int8)
        x[np.argsort(-score, kind="stable")[: int(round(rate * u.n / 100))]] = 1
        sample.reference[year] = x
    for domain in PROCEDURE_DOMAINS:
        proc_rng = np.random.default_rng(rng.integers(2**32))
        for year in (2021, 2023):
            sample.procedures[(domain, year)] = _procedures(u, pub, assumptions, domain, year, body, proc_rng)
    for year in (2021, 2023):
        _pooled_online(repo, u, assumptions, sample, year, body)
    plan_rng = np.random.default_rng(rng.integers(2**32))
    governance = sample.flag_items["dx_governance"]
    sample.plan_followup = _plan_followup(
        repo, u, assumptions, sample.flags[("dx_governance", 2023)][:, governance.index("dx_master_plan")], body, plan_rng
    )
    _prefecture_item_profiles(repo, u, assumptions, sample)
    _class_item_minima(repo, u, assumptions, sample)
    _plan_without_website(repo, u, assumptions, sample)
    progress(f"sample: prefecture item profiles done ({time.monotonic() - started:.1f} s)")
    progress(f"sample: generated in {time.monotonic() - started:.1f} s")
    return sample


def _questions(repo: Path) -> dict[tuple[str, str], str]:
    """(official edition, item) -> question id, from cfg_item_crosswalk."""
    return {(r["edition_id"], r["item_code"]): r["question_id"] for r in _rows(repo / "seeds/config/cfg_item_crosswalk.csv")}


def _mark(value: int) -> str:
    return "実施" if value == 1 else "未実施"


def write_seeds(repo: Path, sample: Sample, out_dir: Path | None = None) -> dict[str, int]:
    """Write one raw answer seed per sample edition; returns rows per file."""
    u = load_universe(repo)
    questions = _questions(repo)
    out_dir = out_dir or repo / SAMPLE_DIR
    cells: dict[str, list[tuple[int, str, str]]] = {}  # official edition -> (body, question, raw value)

    def put(edition: str, i: int, item: str, value: str) -> None:
        cells.setdefault(edition, []).append((i, questions[(edition, item)], value))

    for (domain, year), matrix in sample.flags.items():
        mask = sample.official_mask[(domain, year)]
        for j, item in enumerate(sample.flag_items[domain]):
            edition = EDITION_OF[year].get(item, MIC_EDITION[year])
            for i in range(u.n):
                if mask[i, j]:
                    continue  # official answer: never written by the generator
                if year == 2023 and u.noto[i] and edition == MIC_EDITION[2023]:
                    # MIC-survey item of a Noto body: R5 did not survey it; the report takes R4
                    put(NOTO_EDITION, i, item, _mark(matrix[i, j]))
                    if (MIC_EDITION[2023], item) in questions:
                        put(MIC_EDITION[2023], i, item, "調査無し")
                else:
                    put(edition, i, item, _mark(matrix[i, j]))
    for year, x in sample.reference.items():
        for i in range(u.n):
            if year == 2023 and u.noto[i]:
                put(NOTO_EDITION, i, REFERENCE_ITEM, _mark(x[i]))
                put(MIC_EDITION[2023], i, REFERENCE_ITEM, "調査無し")
            else:
                put(MIC_EDITION[year], i, REFERENCE_ITEM, _mark(x[i]))
    for item, x in sample.plan_followup.items():
        for i in range(u.n):
            value = "－" if x[i] < 0 else _mark(x[i])
            if u.noto[i]:
                put(NOTO_EDITION, i, item, value)
                put(MIC_EDITION[2023], i, item, "調査無し")
            else:
                put(MIC_EDITION[2023], i, item, value)
    for (domain, year), (existing, online) in sample.procedures.items():
        item = PROCEDURE_DOMAINS[domain]
        edition = PROCEDURE_EDITION[year]
        for i in range(u.n):
            put(edition, i, f"{item}_existing", str(int(existing[i])))
            put(edition, i, f"{item}_online", str(int(online[i])))
            put(edition, i, item, f"{100.0 * online[i] / existing[i]:.2f}%")
    counts = {}
    question_order = list(dict.fromkeys(questions.values()))
    for edition, rows in sorted(cells.items()):
        rows.sort(key=lambda r: (question_order.index(r[1]), r[0]))
        file_name = f"raw_sample__{edition}.csv"
        col_of = {q: c for c, q in enumerate(dict.fromkeys(q for _, q, _ in rows), start=3)}
        line_of: dict[int, int] = {}
        body_lines = sorted({i for i, _, _ in rows})
        for line, i in enumerate(body_lines, start=2):
            line_of[i] = line
        out_rows = [
            (n, f"{edition}__sample", f"sample/{file_name}", line_of[i], col_of[q], u.codes[i], u.names[i],
             "サンプル（生成データ）", q, value)
            for n, (i, q, value) in enumerate(rows, start=1)
        ]
        counts[file_name] = write_csv(out_dir / file_name, ANSWER_HEADER, out_rows)
    return counts


def manifest(out_dir: Path) -> str:
    lines = []
    for path in sorted(out_dir.glob("raw_sample__*.csv")):
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}")
    return "\n".join(lines) + "\n"

