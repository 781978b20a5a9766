"""Digital Agency DX dashboard (自治体DXの取組に関するダッシュボード) -> raw answer seed.

The municipal file is wide: one row per indicator, one column per municipality, names only.
Columns are mapped to codes by position (the 1,741 columns are in MIC code order) and the
mapping is proved name by name; a name that differs must be a listed variant
(seeds/config/cfg_name_variants.csv), otherwise the loader stops and names the column.
"""
from __future__ import annotations

from pathlib import Path

from ..csv_files import progress, read_csv_dicts, read_csv_rows, write_csv
from .answers import ANSWER_HEADER, AnswerRow

SOURCE_ID = "da_dx_dashboard"
EDITION_ID = "da_dx_dashboard_20240712"
MUNICIPAL_FILE = "市区町村毎のDX進捗状況_市区町村比較.csv"
FIRST_MUNICIPAL_COLUMN = 2  # 0-based: col 0 category, col 1 indicator


class DashboardError(RuntimeError):
    pass


def load_reference(repo: Path) -> list[tuple[str, str]]:
    rows = read_csv_dicts(repo / "seeds" / "reference" / "ref_mic_municipalities.csv")
    return sorted((r["municipality_code"], r["municipality_name"]) for r in rows)


def load_variants(repo: Path) -> dict[str, set[str]]:
    variants: dict[str, set[str]] = {}
    for r in read_csv_dicts(repo / "seeds" / "config" / "cfg_name_variants.csv"):
        if r["source_id"] == SOURCE_ID:
            variants.setdefault(r["municipality_code"], set()).add(r["variant_name"])
    return variants


def map_columns(header: list[str], municipalities: list[tuple[str, str]], variants: dict[str, set[str]],
                file_name: str) -> list[tuple[int, str, str]]:
    """(0-based column, code, name as written) for every municipality column, proved by name."""
    names = header[FIRST_MUNICIPAL_COLUMN:]
    while names and names[-1] == "":
        names = names[:-1]  # the file ends with an empty column
    if len(names) != len(municipalities):
        raise DashboardError(
            f"{file_name}: header has {len(names)} municipality columns, the MIC list has {len(municipalities)}"
        )
    mapped = []
    for offset, (written, (code, mic_name)) in enumerate(zip(names, municipalities, strict=True)):
        col = FIRST_MUNICIPAL_COLUMN + offset
        if written != mic_name and written not in variants.get(code, set()):
            raise DashboardError(
                f"{file_name}: column {col + 1} is {written!r} but position {offset + 1} in MIC code order is "
                f"{code} {mic_name!r} (not a listed variant): the column order is not MIC code order"
            )
        mapped.append((col, code, written))
    return mapped


def convert(raw: Path, repo: Path, out: Path) -> int:
    path = raw / "digital_agency_dx_dashboard" / MUNICIPAL_FILE
    rows = read_csv_rows(path)
    if not rows:
        raise DashboardError(f"{path}: empty file")
    header = rows[0]
    if header[:FIRST_MUNICIPAL_COLUMN] != ["", ""]:
        raise DashboardError(f"{path.name}: line 1 should start with two empty cells, found {header[:2]!r}")
    mapped = map_columns(header, load_reference(repo), load_variants(repo), path.name)
    out_rows: list[AnswerRow] = []
    for line_no, row in enumerate(rows[1:], start=2):
        if len(row) < len(header) - 1:
            raise DashboardError(f"{path.name}: line {line_no} has {len(row)} cells, header has {len(header)}")
        category, label = row[0], row[1]
        if label != label.strip():
            progress(f"{path.name}: line {line_no}: indicator label {label!r} trimmed to {label.strip()!r}")
        for col, code, written in mapped:
            out_rows.append(
                AnswerRow(
                    edition_id=EDITION_ID,
                    source_file=path.name,
                    source_row=line_no,
                    source_column=col + 1,
                    municipality_code=code,
                    municipality_name=written,
                    question_group=category,
                    question_id=label.strip(),
                    raw_value=row[col],
                )
            )
    n = write_csv(out / "raw_da_dx_dashboard__fy2023.csv", ANSWER_HEADER, [r.as_seed_row(i) for i, r in enumerate(out_rows, 1)])
    progress(f"raw_da_dx_dashboard__fy2023: {n} answers = {len(rows) - 1} indicators x {len(mapped)} municipalities")
    return n
