"""Loud failure, nothing lost: each kind of broken answer file stops `dbt build` with a non-zero
exit and a message naming the file, the row and the value."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import copy_project, run_dbt

SEED = Path("data/answers/raw_da_dx_dashboard__fy2023.csv")
SEED_NAME = "raw_da_dx_dashboard__fy2023"


def _edit_seed(project: Path, edit: Callable[[list[list[str]]], None]) -> None:
    path = project / SEED
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line.split(",") for line in lines]  # the seed has no quoted commas (checked below)
    assert all(len(r) == len(rows[0]) for r in rows)
    edit(rows)
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")


def _build(project: Path) -> str:
    result = run_dbt(project, "build", "--select", "+int_survey_answers_validated", "--indirect-selection", "cautious")
    assert result.returncode != 0, "dbt build should have failed"
    return result.stdout + result.stderr


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "proj")


@pytest.mark.slow(reason="dbt builds +int_survey_answers_validated of a project copy with one broken answer file")
def test_unknown_mark(project: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        assert rows[5][-1] in ("実施", "未実施")
        rows[5][-1] = "済み"

    _edit_seed(project, edit)
    out = _build(project)
    assert "unknown answer mark" in out
    assert f"answers {SEED_NAME} row 5 " in out
    assert "value '済み'" in out


@pytest.mark.slow(reason="dbt builds +int_survey_answers_validated of a project copy with one broken answer file")
def test_unknown_municipality_code(project: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        rows[7][5] = "999999"

    _edit_seed(project, edit)
    out = _build(project)
    assert "unknown municipality code" in out
    assert f"answers {SEED_NAME} row 7 " in out
    assert "value '999999'" in out


@pytest.mark.slow(reason="dbt builds +int_survey_answers_validated of a project copy with one broken answer file")
def test_duplicate_municipality_code(project: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        rows[2][5] = rows[1][5]  # second body of line 2 now repeats the first body's code

    _edit_seed(project, edit)
    out = _build(project)
    assert "duplicate municipality" in out
    assert f"answers {SEED_NAME} row 2 " in out


@pytest.mark.slow(reason="dbt builds +int_survey_answers_validated of a project copy with one broken answer file")
def test_unmapped_question(project: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        rows[9][8] = "CIOの任命（改）"

    _edit_seed(project, edit)
    out = _build(project)
    assert "unmapped question" in out
    assert f"answers {SEED_NAME} row 9 " in out
    assert "CIOの任命（改）" in out


@pytest.mark.slow(reason="dbt builds +int_survey_answers_validated of a project copy with one broken answer file")
def test_municipality_missing_from_edition(project: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        assert rows[1][5] == "011002"
        del rows[1]

    _edit_seed(project, edit)
    out = _build(project)
    assert "municipality missing from edition" in out
    assert "011002 札幌市" in out
    assert SEED_NAME in out


@pytest.mark.slow(reason="dbt builds +int_survey_answers_validated of a project copy with one broken answer file")
def test_unknown_edition(project: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        rows[3][1] = "da_dx_dashboard_29991231"

    _edit_seed(project, edit)
    out = _build(project)
    assert "unknown edition" in out
    assert f"answers {SEED_NAME} row 3 " in out
    assert "da_dx_dashboard_29991231" in out


@pytest.mark.slow(reason="dbt builds +int_survey_answers_validated of a project copy with one broken answer file")
def test_unknown_column(project: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        rows[0].append("respondent_note")
        for r in rows[1:]:
            r.append("")

    _edit_seed(project, edit)
    out = _build(project)
    # the CSV format is stated (10 columns), so DuckDB's reader stops at the first line of another
    # width, naming the file, the line and its text
    assert f"data/answers/{SEED_NAME}.csv" in out
    assert "Expected Number of Columns: 10 Found: 11" in out
    assert "respondent_note" in out
