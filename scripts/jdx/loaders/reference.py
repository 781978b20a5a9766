"""Convert the raw reference files (MIC code list, designations, 住基 population, prefectures) into seeds."""
from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..csv_files import progress, read_csv_dicts, write_csv
from .codes import CodeError, is_valid_code6, normalise_code6

MUNICIPAL_TYPES = ("designated_city", "city", "special_ward", "town", "village")
MIC_LIST_DATE = "2024-01-01"
DESIGNATION_LIST_DATE = "2022-07-05"
POPULATION_SNAPSHOT = "20210401"


class ReferenceError(RuntimeError):
    """Raw reference data does not have the shape the warehouse relies on."""


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    prefecture_name: str
    mic_type: str


def _load_mic_items(raw: Path) -> list[dict]:
    path = raw / "jichitai_code_mic" / "index.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["items"]


def municipalities_from_mic(raw: Path) -> list[Municipality]:
    """The 1,741 municipalities in code order (Northern Territories villages dropped)."""
    out = []
    for item in _load_mic_items(raw):
        if item["t"] in MUNICIPAL_TYPES and not item["u"]:
            out.append(Municipality(item["c"], item["n"], item["p"], item["t"]))
    return sorted(out, key=lambda m: m.code)


def convert_municipalities(raw: Path, out: Path) -> int:
    items = _load_mic_items(raw)
    kept = []
    dropped: Counter[str] = Counter()
    for item in items:
        if item["t"] not in MUNICIPAL_TYPES:
            dropped[f"type {item['t']} (not a municipality)"] += 1
            continue
        if item["u"]:
            dropped["Northern Territories village (u=true), outside the 1,741"] += 1
            continue
        if not is_valid_code6(item["c"]):
            raise ReferenceError(f"index.json: code {item['c']!r} ({item['n']}) fails the check digit")
        kept.append(item)
    kept.sort(key=lambda i: i["c"])
    rows = [
        (
            i["c"],
            i["s"],
            i["n"],
            unicodedata.normalize("NFKC", i["k"]),
            i["c"][:2],
            i["p"],
            i["t"],
            MIC_LIST_DATE,
        )
        for i in kept
    ]
    n = write_csv(
        out / "ref_mic_municipalities.csv",
        (
            "municipality_code",
            "municipality_code5",
            "municipality_name",
            "municipality_kana",
            "prefecture_code",
            "prefecture_name",
            "mic_type",
            "code_list_date",
        ),
        rows,
    )
    progress(f"ref_mic_municipalities: {n} rows kept of {len(items)}; left out: {dict(dropped)}")
    return n


def convert_designations(raw: Path, out: Path) -> int:
    path = raw / "designated_core_cities" / "designations2022.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for entry in data["seirei"]:
        rows.append((normalise_code6(entry["code"]), "designated_city", entry["transitioned"], DESIGNATION_LIST_DATE))
    for code in data["chukaku"]:
        rows.append((normalise_code6(code), "core_city", "", DESIGNATION_LIST_DATE))
    for code in data["tokurei"]:
        rows.append((normalise_code6(code), "special_case_city", "", DESIGNATION_LIST_DATE))
    dupes = [c for c, k in Counter(r[0] for r in rows).items() if k > 1]
    if dupes:
        raise ReferenceError(f"{path.name}: codes listed under two designations: {dupes}")
    rows.sort()
    n = write_csv(
        out / "ref_city_designations.csv",
        ("municipality_code", "designation", "transitioned_on_ja", "list_date"),
        rows,
    )
    progress(f"ref_city_designations: {n} rows (seirei {len(data['seirei'])}, chukaku {len(data['chukaku'])}, tokurei {len(data['tokurei'])})")
    return n


def convert_population(raw: Path, out: Path) -> int:
    path = raw / "mynumbercard_cfj" / POPULATION_SNAPSHOT / "all_localgovs.csv"
    rows = []
    for lineno, rec in enumerate(read_csv_dicts(path), start=2):
        try:
            code = normalise_code6(rec["団体コード"])
        except CodeError as exc:
            raise ReferenceError(f"{path}: line {lineno}: 団体コード: {exc}") from exc
        pop = rec["総数（人口）"]
        if not pop.isdigit():
            raise ReferenceError(f"{path}: line {lineno}: 総数（人口） {pop!r} is not a whole number")
        date = rec["人口算出基準日"].replace("/", "-")
        rows.append((code, int(pop), date, rec["算出基準日"].replace("/", "-")))
    rows.sort()
    n = write_csv(
        out / "ref_resident_population.csv",
        ("municipality_code", "population", "population_date", "source_snapshot_date"),
        rows,
    )
    progress(f"ref_resident_population: {n} rows from {path.parent.name}/{path.name}")
    return n


def convert_prefectures(raw: Path, out: Path) -> int:
    path = raw / "localgovjp" / "prefjp-utf8.csv"
    rows = []
    for rec in read_csv_dicts(path):
        code = rec["pid"].zfill(2)
        rows.append((code, rec["pref"], rec["prefkana"], rec["pref_en"], rec["ISO3166-2"], rec["capital"]))
    rows.sort()
    if len(rows) != 47:
        raise ReferenceError(f"{path}: expected 47 prefectures, found {len(rows)}")
    return write_csv(
        out / "ref_prefectures.csv",
        ("prefecture_code", "prefecture_name", "prefecture_kana", "prefecture_name_en", "iso_3166_2", "capital_name"),
        rows,
    )


def convert_all(raw: Path, out: Path) -> dict[str, int]:
    if not (raw / "jichitai_code_mic").is_dir():
        raise ReferenceError(f"{raw} does not look like shared/data/raw (no jichitai_code_mic/ folder)")
    return {
        "ref_mic_municipalities": convert_municipalities(raw, out),
        "ref_city_designations": convert_designations(raw, out),
        "ref_resident_population": convert_population(raw, out),
        "ref_prefectures": convert_prefectures(raw, out),
    }
