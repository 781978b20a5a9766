"""What the sample generator conditions on: the 1,741 bodies with class and prefecture, the
official answers already in the warehouse's seeds, and the report's published targets."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

CLASSES = ("designated_city", "core_city", "large_city", "mid_city", "small_city", "town", "village")
DASHBOARD_SEED = Path("data/answers/raw_da_dx_dashboard__fy2023.csv")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class Universe:
    codes: list[str]
    names: list[str]
    pref: np.ndarray  # 0..46
    pref_codes: list[str]
    cls: np.ndarray  # index into CLASSES
    noto: np.ndarray  # bool: bodies substituted from the 2022 edition in 2023
    index: dict[str, int] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.codes)

    def pref_sizes(self) -> np.ndarray:
        return np.bincount(self.pref, minlength=len(self.pref_codes))


def size_classes(repo: Path) -> dict[str, str]:
    """The size class of every body, by the rules of seeds/config/cfg_size_classes.csv."""
    municipalities = _rows(repo / "seeds/reference/ref_mic_municipalities.csv")
    population = {r["municipality_code"]: int(r["population"]) for r in _rows(repo / "seeds/reference/ref_resident_population.csv")}
    designation = {r["municipality_code"]: r["designation"] for r in _rows(repo / "seeds/reference/ref_city_designations.csv")}
    rules = _rows(repo / "seeds/config/cfg_size_classes.csv")
    out = {}
    for m in municipalities:
        code, mic_type = m["municipality_code"], m["mic_type"]
        des = designation.get(code)
        des = des if des in ("designated_city", "core_city") else None
        hits = []
        for rule in rules:
            types = rule["mic_types"].split(";") if rule["mic_types"] else []
            if rule["rule"] == "designation" and des == rule["designation"]:
                hits.append(rule["size_class"])
            elif rule["rule"] == "population" and des is None and mic_type in types:
                lo = int(rule["min_population"])
                hi = int(rule["max_population_exclusive"]) if rule["max_population_exclusive"] else None
                if population[code] >= lo and (hi is None or population[code] < hi):
                    hits.append(rule["size_class"])
            elif rule["rule"] == "mic_type" and des is None and mic_type in types:
                hits.append(rule["size_class"])
        if len(hits) != 1:
            raise ValueError(f"{code}: size class rules give {hits}")
        out[code] = hits[0]
    return out


def load_universe(repo: Path) -> Universe:
    municipalities = sorted(_rows(repo / "seeds/reference/ref_mic_municipalities.csv"), key=lambda r: r["municipality_code"])
    classes = size_classes(repo)
    pref_codes = sorted({m["prefecture_code"] for m in municipalities})
    noto = {r["municipality_code"] for r in _rows(repo / "seeds/config/cfg_substitutions.csv")}
    codes = [m["municipality_code"] for m in municipalities]
    u = Universe(
        codes=codes,
        names=[m["municipality_name"] for m in municipalities],
        pref=np.array([pref_codes.index(m["prefecture_code"]) for m in municipalities]),
        pref_codes=pref_codes,
        cls=np.array([CLASSES.index(classes[c]) for c in codes]),
        noto=np.array([c in noto for c in codes]),
    )
    u.index = {c: i for i, c in enumerate(codes)}
    return u


def load_official_flags(repo: Path, u: Universe) -> dict[str, np.ndarray]:
    """Official 2023 flag answers per item from the dashboard seed: 1, 0, or -1 (no answer)."""
    crosswalk = {
        r["question_id"]: r["item_code"]
        for r in _rows(repo / "seeds/config/cfg_item_crosswalk.csv")
        if r["edition_id"] == "da_dx_dashboard_20240712"
    }
    marks = {"実施": 1, "未実施": 0}
    out: dict[str, np.ndarray] = {}
    for r in _rows(repo / DASHBOARD_SEED):
        item = crosswalk.get(r["question_id"])
        if item is None:
            continue
        arr = out.setdefault(item, np.full(u.n, -1, dtype=np.int8))
        if r["raw_value"] in marks:
            arr[u.index[r["municipality_code"]]] = marks[r["raw_value"]]
    return out


@dataclass
class Published:
    item_rates: dict[tuple[str, str, int], tuple[float, str]]  # (domain, item, year) -> (rate, source text)
    tallies: dict[tuple[str, str, int], tuple[int, int]]  # (domain, class, year) -> (all, none)
    deviation: dict[tuple[str, int], np.ndarray]  # (domain, year) -> z per prefecture index


def load_published(repo: Path, u: Universe) -> Published:
    rates = {
        (r["domain"], r["item_code"], int(r["fiscal_year"])): (float(r["rate_pct"]), r["source"])
        for r in _rows(repo / "seeds/published/jri_item_rates.csv")
    }
    tallies = {
        (r["domain"], r["size_class"], int(r["fiscal_year"])): (int(r["all_items_achieved"]), int(r["no_item_achieved"]))
        for r in _rows(repo / "seeds/published/jri_achievement.csv")
    }
    deviation: dict[tuple[str, int], np.ndarray] = {}
    for r in _rows(repo / "seeds/published/jri_prefecture_deviation.csv"):
        key = (r["domain"], int(r["fiscal_year"]))
        arr = deviation.setdefault(key, np.full(len(u.pref_codes), np.nan))
        arr[u.pref_codes.index(r["pref_code"])] = float(r["deviation_score"])
    return Published(rates, tallies, deviation)


def domain_items(repo: Path) -> dict[str, list[str]]:
    """Items that enter each flag domain's mean, in cfg_items order (the reference item excluded)."""
    crosswalk = _rows(repo / "seeds/config/cfg_item_crosswalk.csv")
    in_mean = {r["item_code"] for r in crosswalk if r["in_domain_mean"] == "true"}
    out: dict[str, list[str]] = {}
    for r in sorted(_rows(repo / "seeds/config/cfg_items.csv"), key=lambda r: int(r["sort_order"])):
        if r["value_type"] == "flag" and r["is_report_item"] == "true" and r["item_code"] in in_mean:
            out.setdefault(r["domain"], []).append(r["item_code"])
    return out
