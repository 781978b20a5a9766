"""Bad-input suite for the ingestion CLI (python -m jdx ingest): MIC-shaped workbooks and CSVs
built here with openpyxl, each broken in one way. Every case checks the exit code, the message,
and that nothing was written half-way (or, with --quarantine, that the counts reconcile)."""
from __future__ import annotations

import csv
import io
import re
import subprocess
import zipfile
from pathlib import Path

from openpyxl import Workbook

from conftest import REPO, run_jdx

QUESTIONS = ["DX推進専任部署の設置", "外部デジタル人材の任用"]
LAYOUT = """
edition_id = "{edition}"
seed_name = "raw_test__r5"
expected_coverage = "all"

[[sources]]
pattern = "{pattern}"
{sheet_line}
header_rows = [{header_rows}]
first_data_row = {first}
code_column = "団体コード"
name_column = "団体名"
code_digits = {digits}
ignore_columns = ["都道府県名"]
[sources.questions]
{questions}
"""


def _bodies() -> list[tuple[str, str, str]]:
    with (REPO / "seeds/reference/ref_mic_municipalities.csv").open(encoding="utf-8") as fh:
        return [(r["municipality_code"], r["prefecture_name"], r["municipality_name"]) for r in csv.DictReader(fh)]


BODIES = _bodies()


def base_rows() -> list[list[object]]:
    return [[code, pref, name, "実施" if i % 3 == 0 else "未実施", "実施" if i % 5 == 0 else "未実施"]
            for i, (code, pref, name) in enumerate(BODIES)]


def workbook_bytes(rows: list[list[object]], *, sheet: str = "市町村", headers: list[str] | None = None,
                   extra_sheets: tuple[str, ...] = (), footnote: bool = True) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws["A1"] = "令和5年度 自治体DX・情報化推進概要 個別資料（推進体制）"
    heads = headers or ["団体コード", "都道府県名", "団体名", *QUESTIONS]
    for c, label in enumerate(heads[:3], start=1):  # code, prefecture, name: merged over the two header rows
        ws.cell(row=3, column=c, value=label)
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.cell(row=3, column=4, value="推進体制")  # a group header merged over the question columns
    ws.merge_cells(start_row=3, start_column=4, end_row=3, end_column=len(heads))
    for c, label in enumerate(heads[3:], start=4):
        ws.cell(row=4, column=c, value=label)
    for r, row in enumerate(rows, start=5):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    if footnote:
        ws.cell(row=5 + len(rows) + 1, column=1, value="※ 令和5年4月1日現在。能登半島地震の被災団体は調査無し。")
    for name in extra_sheets:
        wb.create_sheet(name)["A1"] = "都道府県の集計"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_layout(tmp: Path, *, pattern: str = "*.xlsx", sheet: str | None = "市町村", header_rows: str = "3, 4",
                 first: int = 5, digits: int = 6, edition: str = "mic_dx_survey_r5", questions: list[str] | None = None) -> Path:
    qs = questions or [f"推進体制 {q}" for q in QUESTIONS]
    text = LAYOUT.format(
        edition=edition, pattern=pattern, sheet_line=f'sheet = "{sheet}"' if sheet else "", header_rows=header_rows,
        first=first, digits=digits,
        questions="\n".join(f'"{label}" = "{label.split(" ")[-1]}"' for label in qs),
    )
    path = tmp / "layout.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run(tmp: Path, layout: Path, *inputs: Path, extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """`jdx ingest` of these inputs (in this process: conftest.run_jdx) into tmp/out and tmp/quarantine."""
    return run_jdx("ingest", str(layout), *map(str, inputs), "--out", str(tmp / "out"),
                   "--quarantine-dir", str(tmp / "quarantine"), *extra)


def assert_fails(result: subprocess.CompletedProcess[str], tmp: Path, *needles: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    for needle in needles:
        assert needle in output, f"{needle!r} not in:\n{output[-2000:]}"
    assert not (tmp / "out").exists() or not any((tmp / "out").iterdir()), "something was written"


def assert_ok(result: subprocess.CompletedProcess[str], tmp: Path, n_answers: int) -> list[dict[str, str]]:
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    with (tmp / "out" / "raw_test__r5.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n_answers
    return rows


def xlsx(tmp: Path, data: bytes, name: str = "【R05個別資料】推進体制.xlsx") -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


FULL = len(BODIES) * len(QUESTIONS)


def test_valid_workbook_with_merged_headers_and_footnote(tmp_path: Path) -> None:
    rows = assert_ok(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(base_rows()))), tmp_path, FULL)
    assert rows[0]["municipality_code"] == "011002" and rows[0]["question_id"] == QUESTIONS[0]
    assert rows[0]["source_row"] == "5" and rows[0]["source_column"] == "4"


def test_zip_of_workbooks(tmp_path: Path) -> None:
    z = tmp_path / "R05.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("【R05個別資料】推進体制.xlsx", workbook_bytes(base_rows()))
        zf.writestr("readme.txt", "MIC")
    assert_ok(run(tmp_path, write_layout(tmp_path, pattern="【R05個別資料】*.xlsx"), z), tmp_path, FULL)


def _csv_bytes(encoding: str, bom: bool = False, rows: list[list[object]] | None = None, header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header or ["団体コード", "都道府県名", "団体名", *QUESTIONS])
    w.writerows(rows or base_rows())
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def _csv_layout(tmp: Path) -> Path:
    return write_layout(tmp, pattern="*.csv", sheet=None, header_rows="1", first=2, questions=QUESTIONS)


def test_shift_jis_csv(tmp_path: Path) -> None:
    path = tmp_path / "dx.csv"
    path.write_bytes(_csv_bytes("cp932"))
    result = run(tmp_path, _csv_layout(tmp_path), path)
    assert_ok(result, tmp_path, FULL)
    assert "read as cp932" in result.stderr


def test_utf8_csv_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "dx.csv"
    path.write_bytes(_csv_bytes("utf-8", bom=True))
    result = run(tmp_path, _csv_layout(tmp_path), path)
    rows = assert_ok(result, tmp_path, FULL)
    assert rows[0]["municipality_code"] == "011002"
    assert "read as utf-8-sig" in result.stderr


def test_csv_in_no_known_encoding(tmp_path: Path) -> None:
    path = tmp_path / "dx.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\x00\xfd" * 50)
    assert_fails(run(tmp_path, _csv_layout(tmp_path), path), tmp_path, "neither UTF-8 nor Shift_JIS")


def test_full_width_digits_in_codes_are_normalised(tmp_path: Path) -> None:
    rows = base_rows()
    rows[0][0] = "０１１００２"
    result = run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(rows)))
    assert_ok(result, tmp_path, FULL)
    assert "normalised to 011002" in result.stderr


def test_numeric_code_cells_lose_their_leading_zero_and_get_it_back(tmp_path: Path) -> None:
    rows = base_rows()
    for row in rows[:50]:
        row[0] = int(row[0])
    out = assert_ok(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(rows))), tmp_path, FULL)
    assert out[0]["municipality_code"] == "011002"


def test_codes_without_check_digit_are_refused_by_a_six_digit_layout(tmp_path: Path) -> None:
    rows = base_rows()
    for row in rows:
        row[0] = row[0][:5]
    assert_fails(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(rows))), tmp_path,
                 "code without the check digit", "column A", "row 5")


def test_codes_without_check_digit_with_a_five_digit_layout(tmp_path: Path) -> None:
    rows = base_rows()
    for row in rows:
        row[0] = row[0][:5]
    out = assert_ok(run(tmp_path, write_layout(tmp_path, digits=5), xlsx(tmp_path, workbook_bytes(rows))), tmp_path, FULL)
    assert out[0]["municipality_code"] == "011002"


def test_wrong_check_digit(tmp_path: Path) -> None:
    rows = base_rows()
    rows[0][0] = "011003"
    assert_fails(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(rows))), tmp_path,
                 "check digit does not match", "row 5", "'011003'")


def test_code_that_is_not_a_number(tmp_path: Path) -> None:
    rows = base_rows()
    rows[3][0] = "札幌"
    assert_fails(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(rows))), tmp_path,
                 "code is not a number", "row 8")


def test_trailing_spaces_in_header_labels(tmp_path: Path) -> None:
    headers = ["団体コード ", "都道府県名", "団体名 ", *(q + "  " for q in QUESTIONS)]
    assert_ok(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(base_rows(), headers=headers))), tmp_path, FULL)


def test_bare_percent_in_a_flag_column(tmp_path: Path) -> None:
    rows = base_rows()
    rows[10][3] = "%"
    assert_fails(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(rows))), tmp_path,
                 "unknown answer mark", "row 15", "column D", "value '%'")


def test_unknown_mark(tmp_path: Path) -> None:
    rows = base_rows()
    rows[20][4] = "済み"
    assert_fails(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(rows))), tmp_path,
                 "unknown answer mark", "row 25", "column E", "'済み'")


def test_blank_rows_are_skipped_and_counted(tmp_path: Path) -> None:
    rows = base_rows()
    rows = rows[:100] + [[None] * 5, [None] * 5] + rows[100:]
    result = run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(rows, footnote=False)))
    assert_ok(result, tmp_path, FULL)
    assert "(2 blank or footnote rows skipped)" in result.stdout


def test_footnote_rows_are_skipped_and_counted(tmp_path: Path) -> None:
    result = run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(base_rows(), footnote=True)))
    assert_ok(result, tmp_path, FULL)
    assert "(2 blank or footnote rows skipped)" in result.stdout  # the empty row above the note, and the note


def test_renamed_header(tmp_path: Path) -> None:
    headers = ["団体コード", "都道府県名", "団体名", "DX推進の専任部署の設置", QUESTIONS[1]]
    assert_fails(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(base_rows(), headers=headers))),
                 tmp_path, "header missing from the sheet", "DX推進専任部署の設置", "unmapped header", "column D")


def test_extra_unmapped_column(tmp_path: Path) -> None:
    headers = ["団体コード", "都道府県名", "団体名", *QUESTIONS, "テレワークの導入"]
    rows = [r + ["実施"] for r in base_rows()]
    assert_fails(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(rows, headers=headers))),
                 tmp_path, "unmapped header", "テレワークの導入", "column F")


def test_extra_sheet_is_ignored_and_said(tmp_path: Path) -> None:
    result = run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(base_rows(), extra_sheets=("都道府県",))))
    assert_ok(result, tmp_path, FULL)
    assert "sheets ['都道府県'] ignored" in result.stderr


def test_missing_sheet(tmp_path: Path) -> None:
    assert_fails(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(base_rows(), sheet="都道府県"))),
                 tmp_path, "no sheet '市町村'", "都道府県")


def test_unknown_municipality_code(tmp_path: Path) -> None:
    rows = base_rows()
    rows[5][0] = "999997"
    assert_fails(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(rows))), tmp_path,
                 "unknown municipality code", "row 10")


def test_duplicate_municipality_code(tmp_path: Path) -> None:
    rows = base_rows()
    rows[1][0] = rows[0][0]
    assert_fails(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(rows))), tmp_path,
                 "duplicate municipality code", "row 6", "first at")


def test_municipality_missing_from_the_edition(tmp_path: Path) -> None:
    rows = base_rows()[1:]
    assert_fails(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(rows))), tmp_path,
                 "1 municipalities missing from the edition", "011002 札幌市")


def test_empty_file(tmp_path: Path) -> None:
    assert_fails(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, b"")), tmp_path, "empty file")


def test_truncated_workbook(tmp_path: Path) -> None:
    data = workbook_bytes(base_rows())
    assert_fails(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, data[: len(data) // 2])), tmp_path,
                 "not a readable workbook (truncated or corrupt)")


def test_truncated_zip(tmp_path: Path) -> None:
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("【R05個別資料】推進体制.xlsx", workbook_bytes(base_rows()))
    path = tmp_path / "R05.zip"
    path.write_bytes(z.getvalue()[:2000])
    assert_fails(run(tmp_path, write_layout(tmp_path), path), tmp_path, "not a readable zip")


def test_no_workbook_matches_the_layout(tmp_path: Path) -> None:
    assert_fails(run(tmp_path, write_layout(tmp_path, pattern="【R05個別資料】*情報化*.xlsx"),
                     xlsx(tmp_path, workbook_bytes(base_rows()))), tmp_path, "no input file matches")


def test_edition_not_configured(tmp_path: Path) -> None:
    assert_fails(run(tmp_path, write_layout(tmp_path, edition="mic_dx_survey_r9"), xlsx(tmp_path, workbook_bytes(base_rows()))),
                 tmp_path, "edition 'mic_dx_survey_r9' is not in seeds/config/cfg_editions.csv")


def test_question_not_in_the_crosswalk(tmp_path: Path) -> None:
    headers = ["団体コード", "都道府県名", "団体名", QUESTIONS[0], "DX推進計画の進捗管理"]
    layout = write_layout(tmp_path, questions=[f"推進体制 {QUESTIONS[0]}", "推進体制 DX推進計画の進捗管理"])
    assert_fails(run(tmp_path, layout, xlsx(tmp_path, workbook_bytes(base_rows(), headers=headers))), tmp_path,
                 "question id not in cfg_item_crosswalk", "DX推進計画の進捗管理")


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    result = run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(base_rows())), extra=("--dry-run",))
    assert result.returncode == 0 and "dry run, nothing written" in result.stdout
    assert not (tmp_path / "out").exists()


def test_dry_run_reports_problems_and_writes_nothing(tmp_path: Path) -> None:
    rows = base_rows()
    rows[2][3] = "?"
    result = run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(rows)), extra=("--dry-run",))
    assert_fails(result, tmp_path, "unknown answer mark", "row 7")


def test_quarantine_writes_good_rows_and_reconciles(tmp_path: Path) -> None:
    rows = base_rows()
    rows[2][3] = "?"        # one bad cell
    rows[7][0] = "999997"   # one bad row (both questions)
    result = run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, workbook_bytes(rows)), extra=("--quarantine",))
    assert result.returncode == 0, result.stderr
    written = assert_ok(result, tmp_path, FULL - 3)
    with (tmp_path / "quarantine" / "raw_test__r5__quarantine.csv").open(encoding="utf-8") as fh:
        quarantined = list(csv.DictReader(fh))
    assert len(quarantined) == 3
    assert {q["reason"] for q in quarantined} >= {"unknown municipality code"}
    m = re.search(r"(\d+) answer cells read = (\d+) written \+ (\d+) quarantined", result.stdout)
    assert m and int(m.group(1)) == int(m.group(2)) + int(m.group(3)) == FULL
    assert int(m.group(2)) == len(written)
