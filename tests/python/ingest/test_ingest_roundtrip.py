"""Round trip: an edition written as MIC-shaped workbooks (from the sample R5 seed), zipped,
ingested with the real layout file, built with dbt and published, gives the same fact rows as the
seed it was made from; and the published warehouse's views still bind after the rename."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from conftest import REPO, copy_project

SEED = REPO / "data/answers/sample/raw_sample__mic_dx_survey_r5.csv"
LAYOUT = REPO / "ingest_layouts/mic_dx_survey_r5.toml"


def _workbook(source: dict, answers: dict[str, dict[str, str]], names: dict[str, tuple[str, str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = source["sheet"]
    ws["A1"] = "令和5年度 自治体DX・情報化推進概要（個別資料）"
    heads = ["団体コード", "都道府県名", "団体名", *source["questions"].keys()]
    for c, label in enumerate(heads, start=1):
        if c <= 3:
            ws.cell(row=3, column=c, value=label)
            ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
        else:
            ws.cell(row=4, column=c, value=label)
    for r, code in enumerate(sorted(answers), start=5):
        pref, name = names[code]
        ws.cell(row=r, column=1, value=int(code))  # a number cell, as Excel keeps codes
        ws.cell(row=r, column=2, value=pref)
        ws.cell(row=r, column=3, value=name)
        for c, question in enumerate(source["questions"].values(), start=4):
            ws.cell(row=r, column=c, value=answers[code][question])
    ws.cell(row=5 + len(answers) + 1, column=1, value="※ 出典：総務省（テスト用に生成）")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.slow(reason="ingests workbooks of a whole edition, then dbt-builds and publishes a project copy")
def test_workbooks_ingested_and_built_give_the_same_facts(tmp_path: Path, warehouse) -> None:
    with SEED.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    answers: dict[str, dict[str, str]] = {}
    for r in rows:
        answers.setdefault(r["municipality_code"], {})[r["question_id"]] = r["raw_value"]
    with (REPO / "seeds/reference/ref_mic_municipalities.csv").open(encoding="utf-8") as fh:
        names = {r["municipality_code"]: (r["prefecture_name"], r["municipality_name"]) for r in csv.DictReader(fh)}
    layout = tomllib.loads(LAYOUT.read_text(encoding="utf-8"))
    archive = tmp_path / "R05_kobetsu.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i, source in enumerate(layout["sources"]):
            name = source["pattern"].replace("*", "（テスト）" if i == 0 else "")
            zf.writestr(name, _workbook(source, answers, names))
    # the real layout, pointed at the sample edition so the built facts can be compared 1:1
    fixture_layout = tmp_path / "layout.toml"
    fixture_layout.write_text(LAYOUT.read_text(encoding="utf-8")
                              .replace('edition_id = "mic_dx_survey_r5"', 'edition_id = "mic_dx_survey_r5__sample"')
                              .replace('seed_name = "raw_mic_dx_survey__r5"', 'seed_name = "raw_sample__mic_dx_survey_r5"'),
                              encoding="utf-8")
    project = copy_project(tmp_path / "proj")
    env = dict(os.environ, PYTHONPATH=str(REPO / "scripts"))
    ingest = subprocess.run([sys.executable, "-m", "jdx", "ingest", str(fixture_layout), str(archive),
                             "--out", str(project / "data/answers/sample"), "--replace"], env=env, capture_output=True, text=True)
    assert ingest.returncode == 0, ingest.stderr[-3000:]
    with (project / "data/answers/sample/raw_sample__mic_dx_survey_r5.csv").open(encoding="utf-8") as fh:
        ingested = {(r["municipality_code"], r["question_id"], r["raw_value"]) for r in csv.DictReader(fh)}
    assert ingested == {(r["municipality_code"], r["question_id"], r["raw_value"]) for r in rows}

    env = dict(os.environ, PYTHONPATH=str(project / "scripts"), DO_NOT_TRACK="1")
    published = subprocess.run([sys.executable, "-m", "jdx", "publish", "--warehouse", str(project / "warehouse/jichitai_dx.duckdb")],
                               cwd=project, env=env, capture_output=True, text=True, timeout=900)
    assert published.returncode == 0, published.stdout[-3000:]
    query = """select municipality_code, item_code, answer_status, is_in_place, edition_id, is_sample
               from fct_survey_answers where fiscal_year = 2023 and edition_id = 'mic_dx_survey_r5__sample' order by all"""
    con = duckdb.connect(str(project / "warehouse/jichitai_dx.duckdb"), read_only=True)
    got = con.sql(query).fetchall()
    n_view_rows = con.sql("select count(*) from intermediate.int_survey_answers_validated").fetchone()[0]
    con.close()
    assert got == warehouse.sql(query).fetchall()
    assert len(got) > 1700 * 10
    assert n_view_rows == warehouse.sql("select count(*) from intermediate.int_survey_answers_validated").fetchone()[0]
