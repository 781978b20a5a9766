"""MIC My Number card issuance tables (Code for Japan extraction) -> raw seed, official row shape.

団体コード is an integer without its leading zero; it is zero-padded and checked. Two 2022
snapshots leave it empty (<NA>) for 三宅村 and 八丈町: those rows are resolved by prefecture and
name against the MIC list (the card tables prefix towns and villages with their 郡 or island
name, so a suffix match is used and must be unique), and the resolution is recorded per row.
"""
from __future__ import annotations

from pathlib import Path

from ..csv_files import progress, read_csv_dicts, write_csv
from .codes import CodeError, normalise_code6

SNAPSHOTS = ("20210401", "20220401", "20221231")
MISSING_CODE = {"", "<NA>"}

HEADER = (
    "seed_row",
    "edition_id",
    "source_file",
    "source_row",
    "snapshot_date",
    "prefecture_name",
    "municipality_name_raw",
    "population",
    "cards_issued",
    "issuance_rate_pct",
    "population_date",
    "issued_date",
    "municipality_code_raw",
    "municipality_code",
    "code_resolution",
)


class MynumberError(RuntimeError):
    pass


def _by_name(prefecture: str, name: str, mic: list[dict[str, str]]) -> str:
    hits = [m["municipality_code"] for m in mic if m["prefecture_name"] == prefecture and name.endswith(m["municipality_name"])]
    if len(hits) != 1:
        raise MynumberError(f"cannot resolve {prefecture} {name!r} by name: {len(hits)} candidates {hits}")
    return hits[0]


def convert(raw: Path, repo: Path, out: Path) -> int:
    mic = read_csv_dicts(repo / "seeds" / "reference" / "ref_mic_municipalities.csv")
    known = {m["municipality_code"] for m in mic}
    rows: list[tuple[object, ...]] = []
    for snap in SNAPSHOTS:
        path = raw / "mynumbercard_cfj" / snap / "all_localgovs.csv"
        rel = f"mynumbercard_cfj/{snap}/all_localgovs.csv"
        seen: set[str] = set()
        for line_no, rec in enumerate(read_csv_dicts(path), start=2):
            raw_code = rec["団体コード"]
            if raw_code in MISSING_CODE:
                code = _by_name(rec["都道府県名"], rec["市区町村名"], mic)
                how = "by_prefecture_and_name"
            else:
                try:
                    code = normalise_code6(raw_code)
                except CodeError as exc:
                    raise MynumberError(f"{rel}: line {line_no}: 団体コード: {exc}") from exc
                how = "zero_padded"
            if code not in known:
                raise MynumberError(f"{rel}: line {line_no}: code {code} ({rec['市区町村名']}) is not in the MIC list")
            if code in seen:
                raise MynumberError(f"{rel}: line {line_no}: duplicate code {code} ({rec['市区町村名']})")
            seen.add(code)
            rows.append(
                (
                    len(rows) + 1,
                    f"mic_mynumber_card_{snap}",
                    rel,
                    line_no,
                    rec["算出基準日"].replace("/", "-"),
                    rec["都道府県名"],
                    rec["市区町村名"],
                    rec["総数（人口）"],
                    rec["交付枚数"],
                    rec["人口に対する交付枚数率"],
                    rec["人口算出基準日"].replace("/", "-"),
                    rec["交付件数基準日"].replace("/", "-"),
                    "" if raw_code in MISSING_CODE else raw_code,
                    code,
                    how,
                )
            )
        if len(seen) != len(known):
            missing = sorted(known - seen)[:5]
            raise MynumberError(f"{rel}: {len(seen)} municipalities, expected {len(known)}; missing e.g. {missing}")
        progress(f"{rel}: {len(seen)} rows")
    return write_csv(out / "raw_mic_mynumber_card__issuance.csv", HEADER, rows)
