"""Answer files the build cannot miss, names that never become SQL and the two-editions error: each case
builds a throw-away copy of the project (issues #11, #12). A partial edition is loaded in
test_new_editions.py."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from conftest import RAW_ANSWER_HEADER, append_crosswalk_row, append_seed_row, copy_project, drop_user_answer_files, run_dbt

DASHBOARD = "raw_da_dx_dashboard__fy2023"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "proj")
    drop_user_answer_files(project)
    return project


def _lines(project: Path, name: str = DASHBOARD) -> list[str]:
    return (project / f"data/answers/{name}.csv").read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _failed(project: Path, *select: str) -> str:
    result = run_dbt(project, "build", "--select", *select, "--indirect-selection", "cautious")
    out = result.stdout + result.stderr
    assert result.returncode != 0, "dbt build should have failed:\n" + out[-3000:]
    return out


@pytest.mark.slow(reason="dbt builds the answer chain of a project copy with a broken or extra answer file")
def test_every_file_shape_problem_is_named_in_one_build(project: Path) -> None:
    answers = project / "data/answers"
    lines = _lines(project)
    # 1. an answer file with an upper-case extension is not read: named
    _write(answers / "raw_user__upper.CSV", lines[:1] + [lines[1].replace("1,", "1,", 1)])
    # 2. an empty file, 3. a header-only file, 4. a file two folders down
    (answers / "raw_user__empty.csv").write_text("", encoding="utf-8")
    _write(answers / "raw_user__header_only.csv", [RAW_ANSWER_HEADER])
    _write(answers / "deep/er/raw_user__deep.csv", lines[:2])
    # 5. columns in another order (same width): not the raw answer shape
    swapped = RAW_ANSWER_HEADER.replace("seed_row,edition_id", "edition_id,seed_row")
    _write(answers / "raw_user__swapped.csv", [swapped])
    # 6. a non-numeric and 7. a duplicated seed_row in the dashboard file
    rows = [line.split(",") for line in lines]
    rows[3][0] = "3a"
    rows[5][0] = rows[4][0]
    _write(answers / f"{DASHBOARD}.csv", [",".join(r) for r in rows])
    # 8. the same file name found twice
    _write(answers / "extra" / f"{DASHBOARD}.csv", lines[:1])

    out = _failed(project, "+int_survey_answers_validated")
    assert "answer file not read" in out
    for name in ("raw_user__upper.CSV", "raw_user__empty.csv", "deep/er/raw_user__deep.csv"):
        assert f"file 'data/answers/{name}' is under data/answers/ but is not read" in out, name
    assert "header only: answers file 'data/answers/raw_user__header_only.csv' has a header line and no answer rows" in out
    assert "answers file 'data/answers/raw_user__swapped.csv' does not have the raw answer shape" in out
    assert f"answers file 'data/answers/{DASHBOARD}.csv' seed_row '3a'" in out
    assert f"duplicate seed_row: answers file 'data/answers/{DASHBOARD}.csv' row 4: seed_row 4 appears 2 times" in out
    assert (f"answer file name '{DASHBOARD}.csv' is found twice: data/answers/extra/{DASHBOARD}.csv, "
            f"data/answers/{DASHBOARD}.csv") in out


@pytest.mark.slow(reason="dbt builds the answer chain of a project copy with a broken or extra answer file")
def test_a_percent_above_100_is_named(project: Path) -> None:
    path = project / "data/answers/sample/raw_sample__da_online_procedures_2023.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    row = lines[7].split(",")
    assert row[-1].endswith("%"), row
    row[-1] = "250%"
    lines[7] = ",".join(row)
    _write(path, lines)
    out = _failed(project, "+int_survey_answers_validated")
    assert "percent out of range" in out
    assert f"answers raw_sample__da_online_procedures_2023 row {row[0]} " in out
    assert "column raw_value, value '250%'" in out


@pytest.mark.slow(reason="dbt builds the answer chain of a project copy with a broken or extra answer file")
def test_a_hostile_file_name_stays_data(project: Path) -> None:
    """A file name with a quote, a semicolon and COPY is read as answers and appears as data; no
    statement in it runs (the COPY would write pwned.csv)."""
    hostile = "raw_x'); COPY (select 42) TO 'pwned.csv'; --"
    answers = project / "data/answers"
    (answers / f"{DASHBOARD}.csv").rename(answers / f"{hostile}.csv")
    result = run_dbt(project, "build", "--select", "+fct_survey_answers", "--exclude", "resource_type:test", "resource_type:unit_test")
    assert result.returncode == 0, result.stdout[-3000:]
    assert not list(project.rglob("pwned.csv")), "a file name ran as SQL"
    con = duckdb.connect(str(project / "warehouse/jichitai_dx.duckdb"), read_only=True)
    n = con.execute("select count(*) from fct_survey_answers where source_relation = ?", [hostile]).fetchone()[0]
    con.close()
    assert n > 20_000  # the dashboard's answers, filed under the hostile name verbatim


def _fixture_edition(project: Path, edition_id: str, coverage: str, year: str = "2024") -> None:
    append_seed_row(project / "seeds/config/cfg_editions.csv", {
        "edition_id": edition_id, "source_id": "mic_dx_survey", "edition_year": year,
        "analysis_fiscal_year": year, "expected_coverage": coverage, "is_sample": "false", "notes": "test fixture",
    })
    append_crosswalk_row(project, edition_id, "CIOの任命", "cio_appointed")


@pytest.mark.slow(reason="dbt builds the answer chain of a project copy with a broken or extra answer file")
def test_two_editions_for_one_item_and_year_are_named(project: Path) -> None:
    _fixture_edition(project, "fixture_first_2024", "all")
    _fixture_edition(project, "fixture_second_2024", "all")
    out = _failed(project, "+fct_survey_answers")
    assert ("two editions feed one item and year: editions fixture_first_2024, fixture_second_2024 both feed item "
            "'cio_appointed' for fiscal year 2024") in out
