"""MIC 個別資料 layouts for R3, R5 (online use) and R6 (ingest_layouts/): for each, a fixture
workbook built here in the shape its layout describes (sheet names, header and data rows, 5- or
6-digit codes, a prefecture row before each prefecture's municipalities, procedure blocks as
(有/無, 済/未) pairs), zipped under the real member name, round-trips through `jdx ingest`.

The procedure pairs have no items in cfg_item_crosswalk yet, so the ingest runs on a copy of
scripts/ and seeds/ with test-only crosswalk and item rows for them (the copy is thrown away)."""
from __future__ import annotations

import csv
import io
import os
import random
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.utils import column_index_from_string

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
from jdx.ingest.layout import normalise_label  # noqa: E402
from jdx.ingest.survey import EXISTS_SUFFIX, ONLINE_SUFFIX  # noqa: E402
from jdx.loaders.codes import check_digit  # noqa: E402

LAYOUTS = ["mic_dx_survey_r3.toml", "mic_dx_survey_r5_online_use.toml", "mic_dx_survey_r6.toml"]


def _bodies() -> list[dict[str, str]]:
    with (REPO / "seeds/reference/ref_mic_municipalities.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


BODIES = _bodies()


def _code(code6: str, digits: int) -> int:
    return int(code6[:5]) if digits == 5 else int(code6)


def build_workbook(source: dict, rng: random.Random, breakage: str | None = None) -> tuple[bytes, set[tuple[str, str, str]]]:
    """A workbook in the layout's shape and the (code, question, value) answers it holds."""
    wb = Workbook()
    ws = wb.active
    ws.title = source.get("sheet") or "Sheet1"
    header_rows = source["header_rows"]
    ws.cell(row=1, column=1, value="令和X年度 自治体DX・情報化推進概要（テスト用に生成）") if header_rows[0] > 1 else None
    last = header_rows[-1]
    code_col = column_index_from_string(source["code_column_letter"]) if "code_column_letter" in source else 1
    name_col = column_index_from_string(source["name_column_letter"]) if "name_column_letter" in source else 2
    ws.cell(row=last, column=code_col, value=source["code_column"])
    ws.cell(row=last, column=name_col, value=source.get("name_column", "団体名"))
    questions = list(source.get("questions", {}).items())
    plain_cols = []
    for i, (label, _) in enumerate(questions):
        c = max(code_col, name_col) + 1 + i
        parts = label.split(" ")
        rows = header_rows[-len(parts):] if len(parts) <= len(header_rows) else [last]
        for r, part in zip(rows, parts if len(parts) <= len(header_rows) else [label], strict=True):
            ws.cell(row=r, column=c, value=part)
        plain_cols.append(c)
    pairs = []
    for b in source.get("pair_blocks", []):
        for i in range(b["count"]):
            c = b["first_column"] + i * b["step"]
            name = f"指定手続{len(pairs) + 1:02d}"
            ws.cell(row=b["label_row"], column=c, value=name)
            pairs.append((c, c + b.get("online_offset", 1), name))
    expected: set[tuple[str, str, str]] = set()
    digits = source.get("code_digits", 6)
    r = source["first_data_row"]
    prefecture = None
    for n, body in enumerate(BODIES):
        if body["prefecture_code"] != prefecture:  # a prefecture row before its municipalities
            prefecture = body["prefecture_code"]
            pref5 = prefecture + "000"
            ws.cell(row=r, column=code_col, value=_code(pref5 + str(check_digit(pref5)), digits))
            ws.cell(row=r, column=name_col, value=body["prefecture_name"])
            r += 1
        ws.cell(row=r, column=code_col, value=_code(body["municipality_code"], digits))
        ws.cell(row=r, column=name_col, value=body["prefecture_name"] + body["municipality_name"])
        for (_, question), c in zip(questions, plain_cols, strict=True):
            value = rng.choice(["○", "×"])
            ws.cell(row=r, column=c, value=value)
            expected.add((body["municipality_code"], question, value))
        for c, o, name in pairs:
            exists = rng.choice(["有", "無"])
            online = rng.choice(["済", "未"]) if exists == "有" else rng.choice(["", "未"])
            if breakage == "online_without_procedure" and n == 100 and c == pairs[0][0]:
                exists, online = "無", "済"
            ws.cell(row=r, column=c, value=exists)
            ws.cell(row=r, column=o, value=online or None)
            expected.add((body["municipality_code"], name + EXISTS_SUFFIX, exists))
            expected.add((body["municipality_code"], name + ONLINE_SUFFIX, online))
        r += 1
    ws.cell(row=r + 1, column=1, value="※ 出典：総務省（テスト用に生成）")
    if "sheet" in source:
        wb.create_sheet("都道府県")["A1"] = "都道府県の表（読まない）"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), expected


def project_with_pair_items(tmp: Path, layout: dict, expected: set[tuple[str, str, str]]) -> Path:
    """scripts/ and seeds/ copied, with test-only items for the procedure-pair questions."""
    project = tmp / "proj"
    shutil.copytree(REPO / "scripts", project / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "seeds", project / "seeds")
    pair_questions = sorted({q for _, q, _ in expected if q.endswith((EXISTS_SUFFIX, ONLINE_SUFFIX))})
    with (project / "seeds/config/cfg_items.csv").open("a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for i, _ in enumerate(pair_questions):
            writer.writerow([f"test_procedure_{i}", "dashboard_extra", "テスト手続", "test procedure", "flag", "false", 900 + i, "test only"])
    with (project / "seeds/config/cfg_item_crosswalk.csv").open("a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for i, q in enumerate(pair_questions):
            writer.writerow([layout["edition_id"], q, f"test_procedure_{i}", "mic_dx_survey", "false", "false", "false", "", "false"])
    return project


def ingest(project: Path, layout_path: Path, archive: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(project / "scripts"))
    return subprocess.run([sys.executable, "-m", "jdx", "ingest", str(layout_path), str(archive), "--out", str(out),
                           "--quarantine-dir", str(out.parent / "quarantine")],
                          env=env, capture_output=True, text=True, timeout=600)


def _member(pattern: str) -> str:
    return pattern.replace("*", "（テスト）")


@pytest.mark.parametrize("layout_name", LAYOUTS)
def test_fixture_workbook_round_trips(tmp_path: Path, layout_name: str) -> None:
    layout_path = REPO / "ingest_layouts" / layout_name
    layout = tomllib.loads(layout_path.read_text(encoding="utf-8"))
    rng = random.Random(layout_name)
    expected: set[tuple[str, str, str]] = set()
    archive = tmp_path / "kobetsu.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for source in layout["sources"]:
            data, answers = build_workbook(source, rng)
            zf.writestr(_member(source["pattern"]), data)
            expected |= answers
        zf.writestr("readme.txt", "not read")
    project = project_with_pair_items(tmp_path, layout, expected)
    result = ingest(project, layout_path, archive, tmp_path / "out")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "47 prefecture rows skipped" in result.stderr
    with (tmp_path / "out" / f"{layout['seed_name']}.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    got = {(r["municipality_code"], r["question_id"], r["raw_value"]) for r in rows}
    assert got == expected
    assert len(rows) == len(expected)
    n_questions = len({q for _, q, _ in expected})
    assert len(rows) == 1741 * n_questions


def test_online_without_procedure_stops(tmp_path: Path) -> None:
    layout_path = REPO / "ingest_layouts" / "mic_dx_survey_r5_online_use.toml"
    layout = tomllib.loads(layout_path.read_text(encoding="utf-8"))
    source = layout["sources"][0]
    data, expected = build_workbook(source, random.Random(1), breakage="online_without_procedure")
    archive = tmp_path / "R05.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(source["pattern"], data)
    project = project_with_pair_items(tmp_path, layout, expected)
    result = ingest(project, layout_path, archive, tmp_path / "out")
    assert result.returncode == 2
    assert "procedure '指定手続01': expected 有/無 then blank, 済 or 未 (済 only where 有)" in result.stderr
    assert "value '無 / 済'" in result.stderr


def test_real_repo_config_stops_on_unmapped_procedures(tmp_path: Path) -> None:
    """Without items for the procedures the ingest says so for each, and writes nothing."""
    layout_path = REPO / "ingest_layouts" / "mic_dx_survey_r5_online_use.toml"
    layout = tomllib.loads(layout_path.read_text(encoding="utf-8"))
    source = layout["sources"][0]
    data, _ = build_workbook(source, random.Random(2))
    archive = tmp_path / "R05.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(source["pattern"], data)
    result = ingest(REPO, layout_path, archive, tmp_path / "out")
    assert result.returncode == 2
    assert ("question id not in cfg_item_crosswalk for edition mic_dx_survey_r5: value "
            f"'{normalise_label('指定手続01')}{EXISTS_SUFFIX}'") in result.stderr
    assert not (tmp_path / "out").exists()
