"""Five ingest defects found with hostile and ordinary-but-awkward files (issue 22), each shown by a
test that failed before its fix: a layout that maps one question twice; the same bodies in two files;
a workbook whose used range runs to row 1,048,576; unmapped columns of a survey layout outside the
reconciliation under --quarantine; and a pattern that matches no file. Each input problem exits 2
with a message naming file, sheet, row, column and value, and writes nothing."""
from __future__ import annotations

import csv
import io
import re
import resource
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Font
from test_ingest import BODIES, FULL, QUESTIONS, base_rows, workbook_bytes, write_layout, xlsx
from test_ingest_hostile import WB_NAME, answer_rows, closing, fails, out_files, quarantine_rows, run

LAST_ROW = 1_048_576


# ---- 1. a layout that maps one question twice ------------------------------------------------

def test_a_layout_mapping_one_question_twice_is_refused(tmp_path: Path) -> None:
    layout = write_layout(tmp_path)
    text = layout.read_text(encoding="utf-8")
    text = text.replace(f'"推進体制 {QUESTIONS[1]}" = "{QUESTIONS[1]}"', f'"推進体制 {QUESTIONS[1]}" = "{QUESTIONS[0]}"')
    layout.write_text(text, encoding="utf-8")
    fails(run(tmp_path, layout, xlsx(tmp_path, workbook_bytes(base_rows()))), tmp_path,
          str(layout), f"question id {QUESTIONS[0]!r} is mapped twice in [[sources]] block 1",
          f"推進体制 {QUESTIONS[0]}", f"推進体制 {QUESTIONS[1]}", "line 17")


SURVEY_LAYOUT = """kind = "survey"
edition_id = "mic_dx_survey_r5"
seed_name = "raw_test__r5"
expected_coverage = "all"

[[sources]]
pattern = "*.csv"
header_rows = [1]
code_column = "団体コード"
name_column = "団体名"
[sources.questions]
"{q0}" = "{q0}"
"{q1}" = "{id1}"
"""


def _survey_layout(tmp: Path, id1: str = QUESTIONS[1]) -> Path:
    path = tmp / "survey.toml"
    path.write_text(SURVEY_LAYOUT.format(q0=QUESTIONS[0], q1=QUESTIONS[1], id1=id1), encoding="utf-8")
    return path


def _survey_csv(tmp: Path, memo: dict[int, str] | None = None) -> Path:
    memo = memo or {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["団体コード", "団体名", *QUESTIONS, "メモ"])
    for i, row in enumerate(base_rows()):
        writer.writerow([row[0], row[2], row[3], row[4], memo.get(i, "")])
    path = tmp / "survey.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_a_survey_layout_mapping_one_question_twice_is_refused_by_the_same_schema(tmp_path: Path) -> None:
    layout = _survey_layout(tmp_path, id1=QUESTIONS[0])
    fails(run(tmp_path, layout, _survey_csv(tmp_path)), tmp_path,
          str(layout), f"question id {QUESTIONS[0]!r} is mapped twice in [[sources]] block 1")


def test_a_survey_layout_is_checked_key_by_key_like_any_layout(tmp_path: Path) -> None:
    layout = _survey_layout(tmp_path)
    layout.write_text(layout.read_text(encoding="utf-8").replace("header_rows =", "skip_prefecture_row = true\nheader_rows ="),
                      encoding="utf-8")
    fails(run(tmp_path, layout, _survey_csv(tmp_path)), tmp_path,
          "unknown key 'skip_prefecture_row' in [[sources]] block 1", "did you mean 'skip_prefecture_rows'?", "line 8")


# ---- 2. the same bodies in two files ----------------------------------------------------------

def test_the_same_workbook_twice_in_a_zip_names_both_files(tmp_path: Path) -> None:
    z = tmp_path / "R05.zip"
    data = workbook_bytes(base_rows())
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(WB_NAME, data)
        zf.writestr(WB_NAME.replace(".xlsx", " (1).xlsx"), data)  # a browser's second download of the file
    for extra in ((), ("--quarantine",)):
        output = fails(run(tmp_path, write_layout(tmp_path), z, extra=extra), tmp_path,
                       f"{BODIES[0][0]} {BODIES[0][2]}: question {QUESTIONS[0]!r} answered twice",
                       f"{WB_NAME} sheet 市町村 row 5 column D value '実施'",
                       f"{WB_NAME.replace('.xlsx', ' (1).xlsx')} sheet 市町村 row 5 column D value '実施'",
                       f"{FULL} answers twice")
        assert "nothing written" in output


def test_two_files_with_the_same_bodies_are_an_error(tmp_path: Path) -> None:
    first = xlsx(tmp_path, workbook_bytes(base_rows()), name="市町村_前半.xlsx")
    second = xlsx(tmp_path, workbook_bytes(base_rows()[:10]), name="市町村_再提出.xlsx")
    fails(run(tmp_path, write_layout(tmp_path), first, second), tmp_path,
          "answered twice", "市町村_前半.xlsx sheet 市町村 row 5", "市町村_再提出.xlsx sheet 市町村 row 5",
          f"{10 * len(QUESTIONS)} answers twice")


# ---- 3. a used range down to row 1,048,576 ----------------------------------------------------

def _formatted_to_the_last_row(rows: list[list[object]]) -> bytes:
    """As Excel saves a sheet whose whole columns were formatted: a styled empty cell at row 1,048,576."""
    wb = load_workbook(io.BytesIO(workbook_bytes(rows)))
    ws = wb["市町村"]
    ws.cell(row=LAST_ROW, column=4).font = Font(bold=True)
    ws.column_dimensions["E"].font = Font(bold=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _two_gib() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))


def test_a_used_range_down_to_the_last_row_is_read_blank_rows_skipped(tmp_path: Path) -> None:
    data = _formatted_to_the_last_row(base_rows())
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert f'r="D{LAST_ROW}"'.encode() in sheet_xml and f':E{LAST_ROW}"'.encode() in sheet_xml
    result = run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, data), preexec=_two_gib)  # memory bounded
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(answer_rows(tmp_path)) == FULL
    skipped = int(re.search(r"\((\d+) blank or footnote rows skipped\)", result.stdout).group(1))
    last_data_row = 4 + len(BODIES) + 2  # header rows 3-4, the bodies, a blank row, the footnote
    assert skipped == LAST_ROW - last_data_row + 2  # the blank rows after it, the blank row and the footnote
    assert f"A1:E{LAST_ROW}" in result.stderr  # the declared range is named in a note


def test_the_row_cap_counts_rows_that_hold_data(tmp_path: Path) -> None:
    data = _formatted_to_the_last_row(base_rows())
    fails(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, data), env_extra={"JDX_INGEST_MAX_ROWS": "1000"}),
          tmp_path, f"{WB_NAME} sheet 市町村: more than 1,000 rows holding data", "reading stopped at row 1002")


# ---- 4. unmapped columns under --quarantine ---------------------------------------------------

def test_unmapped_cells_of_a_survey_layout_are_in_the_reconciliation(tmp_path: Path) -> None:
    result = run(tmp_path, _survey_layout(tmp_path), _survey_csv(tmp_path, memo={0: "要確認", 7: "=1+1"}),
                 extra=("--quarantine",))
    assert result.returncode == 0, result.stderr[-2000:]
    read, written, quarantined = closing(result)
    assert (read, written, quarantined) == (FULL + 2, FULL, 2)
    assert "column E: unmapped header (not in the layout's questions): value 'メモ'" in result.stderr
    rows = quarantine_rows(tmp_path)
    assert [(r["row"], r["column"], r["code"], r["value"]) for r in rows] == [
        ("2", "E", BODIES[0][0], "要確認"), ("9", "E", BODIES[7][0], "'=1+1")]
    assert all(r["reason"] == "unmapped header 'メモ'" for r in rows)


def test_unmapped_cells_of_a_survey_layout_stop_the_ingest_without_quarantine(tmp_path: Path) -> None:
    fails(run(tmp_path, _survey_layout(tmp_path), _survey_csv(tmp_path, memo={0: "要確認"})), tmp_path,
          "survey.csv column E: unmapped header (not in the layout's questions): value 'メモ'",
          f"{FULL + 1} answer cells read = {FULL} written + 1 quarantined")


# ---- 5. a pattern that matches no file --------------------------------------------------------

def test_no_matching_file_lists_the_files_seen_and_says_what_to_do(tmp_path: Path) -> None:
    folder = tmp_path / "download"
    folder.mkdir()
    xlsx(folder, workbook_bytes(base_rows()), name=WB_NAME.replace(".xlsx", ".xlsm"))
    (folder / "readme.txt").write_text("MIC", encoding="utf-8")
    fails(run(tmp_path, write_layout(tmp_path), folder), tmp_path,
          "no input file matches '*.xlsx'", "files seen:", WB_NAME.replace(".xlsx", ".xlsm"), "readme.txt",
          "an .xlsm (macro-enabled workbook) is read like an .xlsx: widen the layout's pattern (e.g. '*.xls[xm]')")


def test_no_matching_member_of_a_zip_lists_the_members(tmp_path: Path) -> None:
    z = tmp_path / "R05.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(WB_NAME.replace(".xlsx", ".xlsm"), workbook_bytes(base_rows()))
    output = fails(run(tmp_path, write_layout(tmp_path), z), tmp_path,
                   "no input file matches '*.xlsx'", f"R05.zip:{WB_NAME.replace('.xlsx', '.xlsm')}", "'*.xls[xm]'")
    assert out_files(tmp_path) == [] and "Traceback" not in output
