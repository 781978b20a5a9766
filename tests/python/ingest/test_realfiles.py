"""Real files no one here wrote (issue #15): the two official open-data surveys through `jdx ingest`
with their layouts, and `jdx layout draft` on them.

Tests on the raw files need ../shared/data/raw (the raw CSVs, 1 and 1.8 MB, are not copied into
the repo); they skip with the reason when it is absent. The synthetic fixtures below, built from
the committed MIC code list in the shape of the real files, run from a clean clone."""
from __future__ import annotations

import csv
import io
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import RAW, REPO, run_jdx

R2_RAW = RAW / "opendata_survey_r2" / "r2_survey_answers.csv"
R6_RAW = RAW / "opendata_survey_r6" / "20250210_resources_data_questionnaire_outline_04.csv"
R2_LAYOUT = REPO / "ingest_layouts" / "cio_open_data_survey_r2.toml"
R6_LAYOUT = REPO / "ingest_layouts" / "da_open_data_survey_r6.toml"
R6_Q3 = "Q3【回答対象：全団体】貴団体はオープンデータに取り組んでいますか？"
R2_NO2 = "[No.2]オープンデータの公開開始予定時期について、あてはまるものを１つ選択してください。"
needs_raw = pytest.mark.skipif(not (R2_RAW.exists() and R6_RAW.exists()),
                               reason="../shared/data/raw (the official open-data survey files) is not beside the repo")


def ingest(tmp: Path, layout: Path, *inputs: Path) -> subprocess.CompletedProcess[str]:
    return run_jdx("ingest", str(layout), *map(str, inputs), "--out", str(tmp / "out"),
                   "--quarantine-dir", str(tmp / "quarantine"))


def _bodies() -> list[dict[str, str]]:
    with (REPO / "seeds/reference/ref_mic_municipalities.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


BODIES = _bodies()


# --- the committed answer files are what `jdx ingest` makes from the raw files -------------------

@needs_raw
@pytest.mark.parametrize("layout, raw, seed", [
    (R2_LAYOUT, R2_RAW, "raw_cio_open_data_survey__r2.csv"),
    (R6_LAYOUT, R6_RAW, "raw_da_open_data_survey__r6.csv"),
])
def test_reingest_reproduces_committed_file_byte_for_byte(tmp_path: Path, layout: Path, raw: Path, seed: str) -> None:
    result = ingest(tmp_path, layout, raw)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "out" / seed).read_bytes() == (REPO / "data" / "answers" / seed).read_bytes()


@needs_raw
def test_r2_counts_and_correction(tmp_path: Path) -> None:
    result = ingest(tmp_path, R2_LAYOUT, R2_RAW)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "1741 data rows read" in result.stdout and "3482 answer cells read = 3482 written + 0 quarantined" in result.stdout
    assert "47 prefecture rows skipped; 73 non-respondents" in result.stderr
    assert "code 132209 of '福岡県 苅田町' corrected to 406210" in result.stderr
    with (tmp_path / "out" / "raw_cio_open_data_survey__r2.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["question_id"] == R2_NO2]
    by_code = {r["municipality_code"]: r for r in rows}
    assert len(by_code) == 1741
    assert by_code["406210"]["municipality_name"] == "福岡県 苅田町"
    assert by_code["132209"]["municipality_name"] == "東京都 東大和市"
    values = [r["raw_value"] for r in rows]
    assert values.count("オープンデータをすでに公開している") == 924
    assert values.count("未提出") + values.count("未確認") == 73


@needs_raw
def test_r2_without_the_correction_rule_stops(tmp_path: Path) -> None:
    text = R2_LAYOUT.read_text(encoding="utf-8")
    start = text.index("\n[[code_corrections]]")
    end = text.index("\n[[sources]]")
    layout = tmp_path / "r2_no_rule.toml"
    layout.write_text(text[:start] + text[end:], encoding="utf-8")
    result = ingest(tmp_path, layout, R2_RAW)
    assert result.returncode == 2
    assert "福岡県 苅田町" in result.stderr and "name does not match code 132209 (東大和市)" in result.stderr
    assert "1 municipalities missing from the edition, e.g. 406210 苅田町" in result.stderr
    assert not (tmp_path / "out").exists()


# --- the R6 shape, synthetic: runs from a clean clone --------------------------------------------

R6_HEADER = ["地方公共団体コード", "地方公共団体コード6桁", "地方公共団体名", "都道府県名", "都道府県名または市町村名", "状態",
             "Q1【回答対象：全団体】オープンデータについて、どの程度ご存知ですか。当てはまるものを１つ選択してください。", R6_Q3]


def r6_rows() -> list[list[str]]:
    """47 prefectures then the 1,741 municipalities, codes without their leading zero, every 7th
    body not submitted (blank answers)."""
    prefs = sorted({(b["prefecture_code"], b["prefecture_name"]) for b in BODIES})
    rows = []
    for code2, name in prefs:
        code5 = code2 + "000"
        from jdx.loaders.codes import check_digit

        rows.append([str(int(code5)), str(int(code5 + str(check_digit(code5)))), name, name, name, "提出済", "良く知っている", "取組んでいる"])
    for i, b in enumerate(BODIES):
        status = "未提出" if i % 7 == 0 else "提出済"
        answer = "" if status != "提出済" else ("取組んでいる" if i % 3 else "取組んでいない")
        rows.append([str(int(b["municipality_code5"])), str(int(b["municipality_code"])),
                     f"{b['prefecture_name']} {b['municipality_name']}", b["prefecture_name"], b["municipality_name"],
                     status, "知らない" if answer else "", answer])
    return rows


def write_r6(tmp: Path, rows: list[list[str]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([R6_HEADER, *rows])
    path = tmp / "20250210_resources_data_questionnaire_outline_04.csv"
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    return path


def test_r6_shape_ingests_with_explicit_non_respondents(tmp_path: Path) -> None:
    result = ingest(tmp_path, R6_LAYOUT, write_r6(tmp_path, r6_rows()))
    assert result.returncode == 0, result.stderr[-3000:]
    with (tmp_path / "out" / "raw_da_open_data_survey__r6.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1741 and rows[0]["municipality_code"] == "011002"
    not_submitted = [r for r in rows if r["raw_value"] == "未提出"]
    assert len(not_submitted) == len(range(0, 1741, 7))
    assert {r["source_column"] for r in not_submitted} == {"6"}  # the status column, not the blank cell


@pytest.mark.parametrize("break_row, needle", [
    (lambda rows: rows[47].__setitem__(7, "取組んでいる"), "answer from a body whose status is '未提出'"),
    (lambda rows: rows[48].__setitem__(5, "回答中"), "unknown respondent status"),
    (lambda rows: rows[48].__setitem__(7, "取り組み中"), "unknown answer mark"),
    (lambda rows: rows[48].__setitem__(1, rows[49][1]), "name does not match code"),
    (lambda rows: rows.pop(60), "1 municipalities missing from the edition"),
])
def test_r6_shape_anomalies_stop(tmp_path: Path, break_row, needle: str) -> None:  # type: ignore[no-untyped-def]
    rows = r6_rows()
    break_row(rows)
    result = ingest(tmp_path, R6_LAYOUT, write_r6(tmp_path, rows))
    assert result.returncode == 2, result.stdout + result.stderr
    assert needle in result.stderr, result.stderr[-2000:]
    assert not (tmp_path / "out").exists()


# --- jdx layout draft --------------------------------------------------------------------------

def draft(tmp: Path, path: Path) -> tuple[dict, str]:  # type: ignore[type-arg]
    out = tmp / "draft.toml"
    result = run_jdx("layout", "draft", str(path), "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    return tomllib.loads(text), text


@needs_raw
def test_draft_on_r6_proposes_code_column_and_open_data_question(tmp_path: Path) -> None:
    layout, text = draft(tmp_path, R6_RAW)
    source = layout["sources"][0]
    assert source["code_column"] == "地方公共団体コード6桁" and source["code_digits"] == 6
    assert source["header_rows"] == [1] and source["first_data_row"] == 2
    assert source["respondent_column"] == "状態"
    assert source["questions"] == {"Q3【回答対象:全団体】貴団体はオープンデータに取り組んでいますか?": R6_Q3}
    assert "item open_data_survey_in_place (da_open_data_survey_r6)" in text
    assert "unmatched column(s)" in text


@needs_raw
def test_draft_on_r2_proposes_code_column_and_open_data_question(tmp_path: Path) -> None:
    layout, _ = draft(tmp_path, R2_RAW)
    source = layout["sources"][0]
    assert source["code_column"] == "地方公共団体コード" and source["code_digits"] == 6
    assert source["header_rows"] == [1, 2] and source["first_data_row"] == 3
    by_question = {c["question_id"]: c for c in source["choices"]}
    assert by_question[R2_NO2]["options"] == ["2020年度中", "2021年上期", "2021年下期", "未計画", "オープンデータをすでに公開している"]
    assert by_question[R2_NO2]["header_starts_with"].startswith("[No.2]")


@needs_raw
def test_draft_of_r2_ingests_once_edition_and_correction_are_added(tmp_path: Path) -> None:
    """The reviewed draft is a working layout: add the edition and the known code correction."""
    _, text = draft(tmp_path, R2_RAW)
    rule = R2_LAYOUT.read_text(encoding="utf-8")
    rule = rule[rule.index("\n[[code_corrections]]"):rule.index("\n[[sources]]")] + "\n"
    text = (text.replace('edition_id = "TODO"', 'edition_id = "cio_open_data_survey_r2"')
            .replace('seed_name = "TODO"', 'seed_name = "raw_cio_open_data_survey__r2"')
            .replace("[[sources]]", rule + "[[sources]]", 1))
    layout = tmp_path / "reviewed.toml"
    layout.write_text(text, encoding="utf-8")
    result = ingest(tmp_path, layout, R2_RAW)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "out" / "raw_cio_open_data_survey__r2.csv").read_bytes() == \
        (REPO / "data/answers/raw_cio_open_data_survey__r2.csv").read_bytes()


def test_draft_on_a_renamed_mic_workbook_in_a_zip(tmp_path: Path) -> None:
    """Next year's file: a title row, a blank row, two merged header rows, 5-digit codes and
    reworded headers. The drafter finds the layout and maps the renamed headers by similarity."""
    wb = Workbook()
    ws = wb.active
    ws.title = "市町村"
    ws["A1"] = "令和7年度 自治体DX・情報化推進概要 個別資料（推進体制）"
    heads = ["団体コード", "都道府県名", "団体名"]
    for c, label in enumerate(heads, start=1):
        ws.cell(row=3, column=c, value=label)
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.cell(row=3, column=4, value="推進体制")
    ws.merge_cells(start_row=3, start_column=4, end_row=3, end_column=6)
    renamed = ["DX推進専任部署の設置状況", "外部デジタル人材の任用（副業・兼業を含む）", "職員の通勤手段"]
    for c, label in enumerate(renamed, start=4):
        ws.cell(row=4, column=c, value=label)
    for r, b in enumerate(BODIES, start=5):
        for c, value in enumerate([int(b["municipality_code5"]), b["prefecture_name"], b["municipality_name"],
                                   "○" if r % 2 else "", "○" if r % 3 else "", "徒歩"], start=1):
            ws.cell(row=r, column=c, value=value)
    data = io.BytesIO()
    wb.save(data)
    archive = tmp_path / "R07_kobetsu.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("【R07個別資料】（１）推進体制.xlsx", data.getvalue())
        zf.writestr("readme.txt", "not a table")
    layout, text = draft(tmp_path, archive)
    source = layout["sources"][0]
    assert source["sheet"] == "市町村" and source["header_rows"] == [3, 4] and source["first_data_row"] == 5
    assert source["code_column"] == "団体コード" and source["code_digits"] == 5
    assert source["name_column"] == "団体名"
    assert source["questions"] == {
        "推進体制 DX推進専任部署の設置状況": "DX推進専任部署の設置",
        "推進体制 外部デジタル人材の任用(副業・兼業を含む)": "外部デジタル人材の任用",
    }
    assert "推進体制 職員の通勤手段" in text.split("unmatched column(s)")[1]
    scores = [line for line in text.splitlines() if line.startswith("# column D")]
    assert scores and "score 0.9" in scores[0]  # found whole, not the same text: below 1.0


def test_draft_refuses_a_file_that_is_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_bytes(b"%PDF-1.4")
    result = run_jdx("layout", "draft", str(path), "--out", str(tmp_path / "d.toml"))
    assert result.returncode == 2 and "not a zip, .xlsx or .csv file" in result.stderr
    assert "Traceback" not in result.stderr


def test_draft_escapes_hostile_header_text(tmp_path: Path) -> None:
    """Header texts from a file reach the draft only as escaped TOML strings and one-line comments."""
    hostile = 'CIOの任命" = "x"\n[evil]\nkey = """'
    rows = [["団体コード", "団体名", hostile]]
    rows += [[b["municipality_code"], b["municipality_name"], "○"] for b in BODIES]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path = tmp_path / "hostile.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    layout, text = draft(tmp_path, path)
    assert "evil" not in layout
    source = layout["sources"][0]
    assert source["code_column"] == "団体コード" and source["name_column"] == "団体名"
    assert list(source["questions"].values()) == ["CIOの任命"]  # matched by containment, escaped as a key
    assert all(line.startswith("#") or "=" in line or line.startswith("[") or not line for line in text.splitlines())
