"""Hostile and broken inputs for `jdx ingest`, built here (openpyxl workbooks, zips with crafted
flags and names, patched sheet XML, oversized CSV fields, malformed layouts). Every case checks the
exit code, the message (file, sheet, row, column, value where there is one), that no Python
traceback reaches the user, and that nothing was written or lost: an existing answer file keeps
its bytes, no temporary file is left, and with --quarantine every answer cell read is written or
quarantined (counted from the cells)."""
from __future__ import annotations

import csv
import io
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from test_ingest import BODIES, FULL, QUESTIONS, base_rows, workbook_bytes, write_layout, xlsx

from conftest import REPO, run_jdx

WB_NAME = "【R05個別資料】推進体制.xlsx"
PCT_Q = "処理件数が多い手続き（22手続）のオンライン化率"


def run(tmp: Path, layout: Path, *inputs: Path, extra: tuple[str, ...] = (), env_extra: dict[str, str] | None = None,
        preexec=None) -> subprocess.CompletedProcess[str]:
    """`jdx ingest` of these inputs into tmp/out and tmp/quarantine: in this process (conftest.run_jdx), or,
    with `preexec` (a resource limit to set), in a `python -m jdx` process of its own."""
    args = ("ingest", str(layout), *map(str, inputs), "--out", str(tmp / "out"), "--quarantine-dir", str(tmp / "quarantine"),
            *extra)
    if preexec is None:
        return run_jdx(*args, env=env_extra)
    import os

    env = dict(os.environ, PYTHONPATH=str(REPO / "scripts"), **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "jdx", *args], env=env, capture_output=True, text=True, timeout=300,
                          preexec_fn=preexec)


def out_files(tmp: Path) -> list[str]:
    found = []
    for folder in (tmp / "out", tmp / "quarantine"):
        if folder.exists():
            found += [p.name for p in folder.iterdir()]
    return found


def fails(result: subprocess.CompletedProcess[str], tmp: Path, *needles: str, exit_code: int = 2) -> str:
    output = result.stdout + result.stderr
    assert result.returncode == exit_code, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    for needle in needles:
        assert needle in output, f"{needle!r} not in:\n{output[-3000:]}"
    assert out_files(tmp) == [], f"something was written: {out_files(tmp)}"
    return output


def closing(result: subprocess.CompletedProcess[str]) -> tuple[int, int, int]:
    m = re.search(r"(\d+) answer cells read = (\d+) written \+ (\d+) quarantined", result.stdout)
    assert m, result.stdout
    read, written, quarantined = map(int, m.groups())
    assert read == written + quarantined
    return read, written, quarantined


def quarantine_rows(tmp: Path) -> list[dict[str, str]]:
    with (tmp / "quarantine" / "raw_test__r5__quarantine.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def answer_rows(tmp: Path) -> list[dict[str, str]]:
    with (tmp / "out" / "raw_test__r5.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def good_workbook(tmp: Path, rows: list[list[object]] | None = None, **kwargs) -> Path:
    return xlsx(tmp, workbook_bytes(rows or base_rows(), **kwargs))


# ---- layout files: schema, syntax, output names -----------------------------------------------

def _layout_text(tmp: Path) -> str:
    return write_layout(tmp).read_text(encoding="utf-8")


LAYOUT_CASES = {
    "toml_syntax_error": (lambda t: t.replace('header_rows = [3, 4]', 'header_rows = [3, 4'),
                          ["not valid TOML", "line"]),
    "misspelt_top_key": (lambda t: t.replace("seed_name =", "seed_nme ="),
                         ["unknown key 'seed_nme' in the layout", "did you mean 'seed_name'?", "layout.toml line 3",
                          "missing key 'seed_name'"]),
    "misspelt_source_key": (lambda t: t.replace("header_rows =", "header_row ="),
                            ["unknown key 'header_row' in [[sources]] block 1", "did you mean 'header_rows'?", "line 9"]),
    "missing_code_column": (lambda t: t.replace('code_column = "団体コード"\n', ""),
                            ["missing key 'code_column' in [[sources]] block 1", "layout.toml line 6"]),
    "wrong_type": (lambda t: t.replace("first_data_row = 5", 'first_data_row = "5"'),
                   ["'first_data_row' in [[sources]] block 1 must be a int, not str '5'", "line 10"]),
    "seed_name_path": (lambda t: t.replace('seed_name = "raw_test__r5"', 'seed_name = "../../seeds/raw_x__y"'),
                       ["seed_name '../../seeds/raw_x__y' must match", "line 3"]),
    "seed_name_sql": (lambda t: t.replace('seed_name = "raw_test__r5"', "seed_name = \"raw_x__y') to 'evil.csv' --\""),
                      ["seed_name \"raw_x__y') to 'evil.csv' --\" must match ^raw_[a-z0-9_]+__[a-z0-9_]+$"]),
    "code_digits_7": (lambda t: t.replace("code_digits = 6", "code_digits = 7"), ["code_digits in [[sources]] block 1 must be 5 or 6"]),
    "first_row_in_header": (lambda t: t.replace("first_data_row = 5", "first_data_row = 4"),
                            ["first_data_row 4 in [[sources]] block 1 must come after the header rows [3, 4]"]),
    "empty_questions": (lambda t: t[: t.index("[sources.questions]") + len("[sources.questions]")] + "\n",
                        ["[sources.questions] of [[sources]] block 1 is empty"]),
    "bad_coverage": (lambda t: t.replace('expected_coverage = "all"', 'expected_coverage = "most"'),
                     ["expected_coverage 'most' must be one of"]),
    "no_sources": (lambda t: t[: t.index("[[sources]]")] + "sources = []\n", ["no [[sources]] block"]),
    "questions_twice_after_nfkc": (lambda t: t + '"推進体制 ＤＸ推進専任部署の設置" = "x"\n',
                                   ["appears twice in [[sources]] block 1 (after normalisation)"]),
}


@pytest.mark.parametrize("case", sorted(LAYOUT_CASES))
def test_malformed_layout_is_named_with_file_and_line(tmp_path: Path, case: str) -> None:
    edit, needles = LAYOUT_CASES[case]
    layout = tmp_path / "layout.toml"
    layout.write_text(edit(_layout_text(tmp_path)), encoding="utf-8")
    fails(run(tmp_path, layout, good_workbook(tmp_path)), tmp_path, "jdx: error:", str(layout), *needles)


def test_missing_layout_file(tmp_path: Path) -> None:
    fails(run(tmp_path, tmp_path / "nope.toml", good_workbook(tmp_path)), tmp_path, "nope.toml: no such layout file")


def test_missing_input_file(tmp_path: Path) -> None:
    fails(run(tmp_path, write_layout(tmp_path), tmp_path / "R05.zip"), tmp_path, "R05.zip: no such file or folder")


def _existing(tmp: Path, edition: str = "mic_dx_survey_r5") -> bytes:
    (tmp / "out").mkdir()
    data = f"seed_row,edition_id\n1,{edition}\n".encode()
    (tmp / "out" / "raw_test__r5.csv").write_bytes(data)
    return data


def test_existing_answer_file_is_not_overwritten_without_replace(tmp_path: Path) -> None:
    before = _existing(tmp_path)
    result = run(tmp_path, write_layout(tmp_path), good_workbook(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "raw_test__r5.csv exists: pass --replace to overwrite it" in result.stderr
    assert (tmp_path / "out" / "raw_test__r5.csv").read_bytes() == before
    assert sorted(out_files(tmp_path)) == ["raw_test__r5.csv"]


def test_another_editions_answer_file_is_never_overwritten(tmp_path: Path) -> None:
    before = _existing(tmp_path, edition="da_dx_dashboard_20240712")
    result = run(tmp_path, write_layout(tmp_path), good_workbook(tmp_path), extra=("--replace",))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "holds the answers of edition 'da_dx_dashboard_20240712', not 'mic_dx_survey_r5'" in result.stderr
    assert (tmp_path / "out" / "raw_test__r5.csv").read_bytes() == before


def test_replace_overwrites_the_same_editions_file(tmp_path: Path) -> None:
    _existing(tmp_path)
    result = run(tmp_path, write_layout(tmp_path), good_workbook(tmp_path), extra=("--replace",))
    assert result.returncode == 0, result.stderr
    assert len(answer_rows(tmp_path)) == FULL
    assert sorted(out_files(tmp_path)) == ["raw_test__r5.csv"]  # no temporary file left


def test_uncreatable_quarantine_folder_writes_nothing(tmp_path: Path) -> None:
    rows = base_rows()
    rows[2][3] = "?"
    (tmp_path / "quarantine").write_text("a file where the folder should be", encoding="utf-8")
    result = run(tmp_path, write_layout(tmp_path), good_workbook(tmp_path, rows), extra=("--quarantine",))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "cannot create the quarantine folder" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))


def test_full_disk_while_writing_leaves_no_tmp_and_no_answer_file(tmp_path: Path) -> None:
    """RLIMIT_FSIZE fails every write past 50 kB, as a full disk does (EFBIG rather than ENOSPC)."""
    fails(run(tmp_path, write_layout(tmp_path), good_workbook(tmp_path), preexec=_limit_file_size), tmp_path,
          "cannot write raw_test__r5.csv: File too large; nothing written")


# ---- zips: flags, methods, sizes, names --------------------------------------------------------

def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def _patch_headers(data: bytes, *, flag_or: int = 0, method: int | None = None) -> bytes:
    """Set bits in the general-purpose flag / replace the method of every local and central header."""
    buf = bytearray(data)
    for sig, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (i := buf.find(sig, start)) >= 0:
            flags = int.from_bytes(buf[i + flag_at:i + flag_at + 2], "little") | flag_or
            buf[i + flag_at:i + flag_at + 2] = flags.to_bytes(2, "little")
            if method is not None:
                buf[i + method_at:i + method_at + 2] = method.to_bytes(2, "little")
            start = i + 4
    return bytes(buf)


def _zip_path(tmp: Path, data: bytes) -> Path:
    path = tmp / "R05_kobetsu.zip"
    path.write_bytes(data)
    return path


def _zip_layout(tmp: Path) -> Path:
    return write_layout(tmp, pattern="【R05個別資料】*.xlsx")


def test_encrypted_zip_member(tmp_path: Path) -> None:
    data = _patch_headers(_zip({WB_NAME: workbook_bytes(base_rows())}), flag_or=0x1)
    fails(run(tmp_path, _zip_layout(tmp_path), _zip_path(tmp_path, data)), tmp_path,
          f"R05_kobetsu.zip: member '{WB_NAME}': the member is encrypted (password-protected)")


def test_deflate64_zip_member(tmp_path: Path) -> None:
    data = _patch_headers(_zip({WB_NAME: workbook_bytes(base_rows())}), method=9)
    fails(run(tmp_path, _zip_layout(tmp_path), _zip_path(tmp_path, data)), tmp_path,
          f"member '{WB_NAME}': compressed with Deflate64, which Python's zipfile cannot inflate")


def test_corrupt_zip_member(tmp_path: Path) -> None:
    data = bytearray(_zip({WB_NAME: workbook_bytes(base_rows())}))
    start = data.find(b"PK\x03\x04") + 30 + len(WB_NAME.encode()) + 200
    data[start:start + 400] = bytes(400)  # zeros over the deflated stream
    fails(run(tmp_path, _zip_layout(tmp_path), _zip_path(tmp_path, bytes(data))), tmp_path,
          f"member '{WB_NAME}': corrupt member, cannot be inflated")


def test_zip_member_declaring_more_than_the_cap(tmp_path: Path) -> None:
    data = _zip({WB_NAME: workbook_bytes(base_rows())})
    fails(run(tmp_path, _zip_layout(tmp_path), _zip_path(tmp_path, data), env_extra={"JDX_INGEST_MAX_MEMBER_BYTES": "10000"}),
          tmp_path, f"member '{WB_NAME}': declares", "more than the cap of 10,000 (JDX_INGEST_MAX_MEMBER_BYTES)")


def test_zip_bomb_over_the_total_cap(tmp_path: Path) -> None:
    member = _csv_text(base_rows()).encode()
    data = _zip({"dx_a.csv": member, "dx_b.csv": member})
    assert len(data) < len(member)  # smaller on disk than inflated
    fails(run(tmp_path, _csv_layout(tmp_path), _zip_path(tmp_path, data),
              env_extra={"JDX_INGEST_MAX_TOTAL_BYTES": str(int(len(member) * 1.5))}),
          tmp_path, "R05_kobetsu.zip: member 'dx_b.csv': the inputs inflate to more than", "refusing a possible zip bomb")


def test_zip_member_lying_about_its_size_stops_at_the_declared_size(tmp_path: Path) -> None:
    data = bytearray(_zip({WB_NAME: workbook_bytes(base_rows())}))
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        i = data.find(sig)
        data[i + size_at:i + size_at + 4] = (1000).to_bytes(4, "little")  # declares 1,000 bytes inflated
    fails(run(tmp_path, _zip_layout(tmp_path), _zip_path(tmp_path, bytes(data))), tmp_path, "corrupt member")


def test_shift_jis_member_names_from_japanese_windows(tmp_path: Path) -> None:
    sjis = WB_NAME.encode("cp932")
    placeholder = "X" * len(sjis)
    data = _zip({placeholder: workbook_bytes(base_rows())}).replace(placeholder.encode(), sjis)
    info = zipfile.ZipFile(io.BytesIO(data)).infolist()[0]
    assert not info.flag_bits & 0x800 and info.filename != WB_NAME  # what Python alone makes of it
    result = run(tmp_path, _zip_layout(tmp_path), _zip_path(tmp_path, data))
    assert result.returncode == 0, result.stderr
    assert len(answer_rows(tmp_path)) == FULL
    assert answer_rows(tmp_path)[0]["source_file"] == WB_NAME


def test_only_the_members_the_layout_names_are_read(tmp_path: Path) -> None:
    bad = _patch_headers(_zip({"README.txt": b"x" * 5000}), flag_or=0x1)  # an encrypted member nobody asked for
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(WB_NAME, workbook_bytes(base_rows()))
        zf.writestr("都道府県.xlsx", b"not a workbook at all")
        zf.writestr("nested.zip", bad)
    result = run(tmp_path, _zip_layout(tmp_path), _zip_path(tmp_path, out.getvalue()))
    assert result.returncode == 0, result.stderr
    assert len(answer_rows(tmp_path)) == FULL


def test_same_file_given_twice(tmp_path: Path) -> None:
    wb = good_workbook(tmp_path)
    z = tmp_path / "R05.zip"
    z.write_bytes(_zip({WB_NAME: wb.read_bytes()}))
    fails(run(tmp_path, _zip_layout(tmp_path), wb, z), tmp_path, f"{WB_NAME}: found twice")


# ---- sheets and CSVs: bounded ----------------------------------------------------------------

def _patch_sheet_xml(xlsx_bytes: bytes, edit) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(xlsx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()
            zf.writestr(info.filename, data)
    return out.getvalue()


def test_declared_used_range_xfd1048576_costs_nothing(tmp_path: Path) -> None:
    data = _patch_sheet_xml(workbook_bytes(base_rows()), lambda x: re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:XFD1048576"', x))
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    result = run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, data))
    assert result.returncode == 0, result.stderr
    assert len(answer_rows(tmp_path)) == FULL


def test_a_cell_at_xfd1048576_stops_at_the_column_cap_not_the_row_cap(tmp_path: Path) -> None:
    """The blank rows before it are skipped (the row cap counts rows holding data); its 16,384 columns are refused."""
    cell = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    data = _patch_sheet_xml(workbook_bytes(base_rows()), lambda x: x.replace("</sheetData>", cell))
    fails(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, data), env_extra={"JDX_INGEST_MAX_ROWS": "5000"}),
          tmp_path, f"{WB_NAME} sheet 市町村 row 1048576: 16,384 columns", "more than the cap of 2,000")


def test_too_many_columns(tmp_path: Path) -> None:
    rows = base_rows()
    data = workbook_bytes(rows)
    cell = '<c r="DDD6" t="inlineStr"><is><t>x</t></is></c></row>'
    data = _patch_sheet_xml(data, lambda x: x.replace("</row>", cell, 6).replace(cell, "</row>", 5))
    fails(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, data), env_extra={"JDX_INGEST_MAX_COLUMNS": "100"}),
          tmp_path, "sheet 市町村 row 7: 2,812 columns, more than the cap of 100 (JDX_INGEST_MAX_COLUMNS)")


def _csv(tmp: Path, text: str, name: str = "dx.csv") -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def _csv_layout(tmp: Path) -> Path:
    return write_layout(tmp, pattern="*.csv", sheet=None, header_rows="1", first=2, questions=QUESTIONS)


def _csv_text(rows: list[list[object]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["団体コード", "都道府県名", "団体名", *QUESTIONS], *rows])
    return out.getvalue()


def test_oversized_csv_field(tmp_path: Path) -> None:
    rows = base_rows()
    rows[3][3] = "x" * 200_000
    fails(run(tmp_path, _csv_layout(tmp_path), _csv(tmp_path, _csv_text(rows))), tmp_path,
          "dx.csv line 5: not a readable CSV: field larger than field limit (131072)")


def test_csv_over_the_row_cap(tmp_path: Path) -> None:
    fails(run(tmp_path, _csv_layout(tmp_path), _csv(tmp_path, _csv_text(base_rows())), env_extra={"JDX_INGEST_MAX_ROWS": "100"}),
          tmp_path, "dx.csv line 101: more than 100 rows")


def test_csv_with_a_nul_byte_is_named(tmp_path: Path) -> None:
    text = _csv_text(base_rows()).replace("札幌市", "札幌\x00市", 1)
    fails(run(tmp_path, _csv_layout(tmp_path), _csv(tmp_path, text)), tmp_path,
          "dx.csv row 2 column A: name '札幌\\x00市' disagrees with the code list")


def test_password_protected_workbook(tmp_path: Path) -> None:
    ole = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(4000)  # an encrypted .xlsx is an OLE compound file
    fails(run(tmp_path, write_layout(tmp_path), xlsx(tmp_path, ole)), tmp_path,
          f"{WB_NAME}: not an .xlsx package (an encrypted workbook or an old .xls file)")


def test_workbook_without_a_sheet_in_the_layout(tmp_path: Path) -> None:
    fails(run(tmp_path, write_layout(tmp_path, sheet=None), good_workbook(tmp_path)), tmp_path,
          f"{WB_NAME}: the layout gives no sheet for a workbook")


# ---- cells: every one accounted for, nothing guessed ---------------------------------------------

def _pct_rows(values: list[object]) -> list[list[object]]:
    return [[code, pref, name, values[i] if i < len(values) else 50] for i, (code, pref, name) in enumerate(BODIES)]


def _pct_workbook(tmp: Path, rows: list[list[object]], percent_format_row: int | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "市町村"
    for c, label in enumerate(["団体コード", "都道府県名", "団体名"], start=1):
        ws.cell(row=3, column=c, value=label)
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.cell(row=3, column=4, value="手続")
    ws.cell(row=4, column=4, value=PCT_Q)
    for r, row in enumerate(rows, start=5):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if r == percent_format_row and c == 4:
                cell.number_format = "0.0%"
    out = io.BytesIO()
    wb.save(out)
    return xlsx(tmp, out.getvalue())


def _pct_layout(tmp: Path) -> Path:
    return write_layout(tmp, edition="da_online_procedures_2023", questions=[f"手続 {PCT_Q}"])


def test_percent_stored_as_a_fraction(tmp_path: Path) -> None:
    values = [50] * len(BODIES)
    values[4] = 0.7  # shown as 70.0% in Excel
    fails(run(tmp_path, _pct_layout(tmp_path), _pct_workbook(tmp_path, _pct_rows(values), percent_format_row=9)), tmp_path,
          f"{WB_NAME} sheet 市町村 row 9 column D: number formatted as a percent (0.0%): stored 0.7, shown as 70%",
          "value '0.7'")


def test_rate_over_100(tmp_path: Path) -> None:
    values = [50] * len(BODIES)
    values[6] = "250%"
    fails(run(tmp_path, _pct_layout(tmp_path), _pct_workbook(tmp_path, _pct_rows(values))), tmp_path,
          "row 11 column D: rate outside 0-100 for percent question", "value '250%'")


def test_formula_without_a_cached_value(tmp_path: Path) -> None:
    rows = base_rows()
    rows[3][3] = '=IF(B8="北海道","実施","未実施")'  # openpyxl stores formulas without a cached value
    fails(run(tmp_path, write_layout(tmp_path), good_workbook(tmp_path, rows)), tmp_path,
          "sheet 市町村 row 8 column D: formula without a cached value", "value '=IF(B8=\"北海道\",\"実施\",\"未実施\")'")


def _merged_workbook(tmp: Path, ref: str) -> Path:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(workbook_bytes(base_rows())))
    wb["市町村"].merge_cells(ref)
    out = io.BytesIO()
    wb.save(out)
    return xlsx(tmp, out.getvalue())


def test_merged_data_cells_are_not_copied(tmp_path: Path) -> None:
    fails(run(tmp_path, write_layout(tmp_path), _merged_workbook(tmp_path, "E10:E12")), tmp_path,
          "row 10 column E: merged data cell (range E10:E12)", "row 12 column E: merged data cell (range E10:E12)")


def test_merged_code_cells(tmp_path: Path) -> None:
    fails(run(tmp_path, write_layout(tmp_path), _merged_workbook(tmp_path, "A20:A21")), tmp_path,
          "row 20 column A: code or name cell cannot be read (merged cell A20:A21)")


def test_duplicated_header(tmp_path: Path) -> None:
    headers = ["団体コード", "都道府県名", "団体名", QUESTIONS[0], QUESTIONS[1], QUESTIONS[0]]
    rows = [r + ["実施"] for r in base_rows()]
    fails(run(tmp_path, write_layout(tmp_path), good_workbook(tmp_path, rows, headers=headers), extra=("--quarantine",)),
          tmp_path, f"value '推進体制 {QUESTIONS[0]}'", "header appears 2 times (columns D, F)", "no quarantine can hold")


def test_answer_column_with_an_empty_header(tmp_path: Path) -> None:
    rows = [r + ["実施"] for r in base_rows()]
    fails(run(tmp_path, write_layout(tmp_path), good_workbook(tmp_path, rows)), tmp_path,
          "row 5 column F: answer column with an empty header", "value '実施'")


def test_answers_without_a_code_are_not_a_footnote(tmp_path: Path) -> None:
    rows = base_rows() + [[None, None, None, "実施", "未実施"]]
    fails(run(tmp_path, write_layout(tmp_path), good_workbook(tmp_path, rows, footnote=False)), tmp_path,
          f"row {5 + len(BODIES)} column A: data row without a municipality code (2 non-empty cells, e.g. column D '実施')")


def test_footnote_mark_in_the_code_column_of_a_row_with_answers(tmp_path: Path) -> None:
    rows = base_rows()
    rows[1][0] = "※011002"
    fails(run(tmp_path, write_layout(tmp_path), good_workbook(tmp_path, rows)), tmp_path,
          "row 6 column A: code is not a number: value '※011002'")


def test_name_that_disagrees_with_the_code(tmp_path: Path) -> None:
    rows = base_rows()
    rows[0][2] = "函館市"
    fails(run(tmp_path, write_layout(tmp_path), good_workbook(tmp_path, rows)), tmp_path,
          "row 5 column A: name '函館市' disagrees with the code list (011002 is '札幌市'): value '011002'")


def test_missing_header_is_fatal_even_with_quarantine(tmp_path: Path) -> None:
    headers = ["団体コード", "都道府県名", "団体名", QUESTIONS[0], "外部人材"]
    fails(run(tmp_path, write_layout(tmp_path), good_workbook(tmp_path, headers=headers), extra=("--quarantine",)),
          tmp_path, "header missing from the sheet (renamed or dropped?)", "no quarantine can hold")


def test_codes_without_check_digits_are_never_filed_under_other_bodies(tmp_path: Path) -> None:
    codes = {c for c, _, _ in BODIES}
    rows = base_rows()
    for row in rows:
        row[0] = row[0][:5]
    lookalikes = [r[0] for r in rows if r[0].zfill(6) in codes]  # 5 digits that read as another body's code
    assert lookalikes, "the fixture needs codes that collide"
    result = run(tmp_path, write_layout(tmp_path), good_workbook(tmp_path, rows), extra=("--quarantine",))
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert answer_rows(tmp_path) == []
    quarantined = quarantine_rows(tmp_path)
    assert len(quarantined) == FULL
    assert all(q["reason"].startswith("code without the check digit") for q in quarantined)
    assert {q["code"] for q in quarantined} >= set(lookalikes)  # kept as written, never re-read
    assert closing(result) == (FULL, 0, FULL)


def test_quarantine_holds_the_cells_under_an_unmapped_header(tmp_path: Path) -> None:
    headers = ["団体コード", "都道府県名", "団体名", *QUESTIONS, "テレワークの導入"]
    rows = [r + ["実施"] for r in base_rows()]
    result = run(tmp_path, write_layout(tmp_path), good_workbook(tmp_path, rows, headers=headers), extra=("--quarantine",))
    assert result.returncode == 0, result.stderr
    assert closing(result) == (FULL + len(BODIES), FULL, len(BODIES))
    quarantined = quarantine_rows(tmp_path)
    assert {q["reason"] for q in quarantined} == {"unmapped header '推進体制 テレワークの導入'"}
    assert {q["column"] for q in quarantined} == {"F"} and {q["value"] for q in quarantined} == {"実施"}


def test_quarantine_csv_neutralises_formulas(tmp_path: Path) -> None:
    rows = base_rows()
    rows[2][3] = '=HYPERLINK("http://evil.example","x")'
    rows[3][4] = "@SUM(1+1)"
    result = run(tmp_path, write_layout(tmp_path), good_workbook(tmp_path, rows), extra=("--quarantine",))
    assert result.returncode == 0, result.stderr
    values = {q["value"] for q in quarantine_rows(tmp_path)}
    assert values == {"'@SUM(1+1)"} | {v for v in values if v.startswith("'=")}  # a leading quote on each
    assert closing(result) == (FULL, FULL - 2, 2)
    text = (tmp_path / "quarantine" / "raw_test__r5__quarantine.csv").read_text(encoding="utf-8")
    assert not re.search(r"(^|,)[=@+\-]", text, re.M)


def test_every_cell_accounted_for_with_several_faults(tmp_path: Path) -> None:
    rows = base_rows()
    rows[2][3] = "?"          # a bad mark: one cell
    rows[7][0] = "999997"     # an unknown code: both cells of the row
    rows[9][2] = "別の町"      # a name that disagrees: both cells
    rows = [r + [None] for r in rows]
    rows[11][5] = "メモ"       # one cell under an empty header
    result = run(tmp_path, write_layout(tmp_path), good_workbook(tmp_path, rows), extra=("--quarantine",))
    assert result.returncode == 0, result.stderr
    read, written, quarantined = closing(result)
    assert (read, written, quarantined) == (FULL + 1, FULL - 5, 6)
    assert len(answer_rows(tmp_path)) == written and len(quarantine_rows(tmp_path)) == quarantined


def test_an_unexpected_error_is_one_clear_line_not_a_traceback(tmp_path: Path, monkeypatch, capsys) -> None:
    """A bug is not hidden: exit 3, its type and message, where it happened, and how to see the traceback."""
    from jdx import __main__ as cli
    from jdx.ingest import run as ingest_run

    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError("simulated bug")

    monkeypatch.setattr(ingest_run, "ingest", broken)
    rc = cli.main(["ingest", str(write_layout(tmp_path)), str(good_workbook(tmp_path)), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert rc == 3
    assert "jdx: internal error in ingest: TypeError: simulated bug (at test_ingest_hostile.py:" in err
    assert "This is a bug" in err and "JDX_DEBUG=1 shows the traceback" in err
    assert "Traceback" not in err and out_files(tmp_path) == []
