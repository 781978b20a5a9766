"""Loud failure, nothing lost: each kind of broken answer file stops `dbt build` with a non-zero
exit and a message naming the file, the row and the value.

The row-level defects (an unknown mark, an unknown or duplicate municipality code, an unmapped
question, an unknown edition) are each in another row of the same answer file and stop one build
together: the validation names every problem in one message (macro raise_on_issues, up to five per
kind), and each test asserts its own problem's file, row and value in it. A body missing from its
edition (a deleted row, which would hide the duplicate above) and a column too many (which stops
DuckDB's reader before any check) each have a build of their own."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import copy_project, run_dbt

SEED = Path("data/answers/raw_da_dx_dashboard__fy2023.csv")
SEED_NAME = "raw_da_dx_dashboard__fy2023"

Rows = list[list[str]]


def _edit_seed(project: Path, edit: Callable[[Rows], None]) -> None:
    path = project / SEED
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line.split(",") for line in lines]  # the seed has no quoted commas (checked below)
    assert all(len(r) == len(rows[0]) for r in rows)
    edit(rows)
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")


def _unknown_mark(rows: Rows) -> None:
    assert rows[5][-1] in ("実施", "未実施")
    rows[5][-1] = "済み"


def _unknown_municipality_code(rows: Rows) -> None:
    rows[7][5] = "999999"


def _duplicate_municipality_code(rows: Rows) -> None:
    rows[2][5] = rows[1][5]  # second body of line 2 now repeats the first body's code


def _unmapped_question(rows: Rows) -> None:
    rows[9][8] = "CIOの任命（改）"


def _unknown_edition(rows: Rows) -> None:
    rows[3][1] = "da_dx_dashboard_29991231"


def _municipality_missing_from_edition(rows: Rows) -> None:
    assert rows[1][5] == "011002"
    del rows[1]


def _unknown_column(rows: Rows) -> None:
    rows[0].append("respondent_note")
    for r in rows[1:]:
        r.append("")


# the broken project copies, each built once: its edits, applied in order to the answer file
BUILDS: dict[str, tuple[Callable[[Rows], None], ...]] = {
    "rows": (_unknown_mark, _unknown_municipality_code, _duplicate_municipality_code, _unmapped_question, _unknown_edition),
    "missing": (_municipality_missing_from_edition,),
    "column": (_unknown_column,),
}


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], tuple[int, str]]:
    """(exit code, output) of `dbt build +int_survey_answers_validated` on the project copy named in
    BUILDS, built at its first use in this module."""
    done: dict[str, tuple[int, str]] = {}

    def build(name: str) -> tuple[int, str]:
        if name not in done:
            project = copy_project(tmp_path_factory.mktemp(f"bad-{name}") / "proj")
            for edit in BUILDS[name]:
                _edit_seed(project, edit)
            result = run_dbt(project, "build", "--select", "+int_survey_answers_validated", "--indirect-selection", "cautious")
            done[name] = (result.returncode, result.stdout + result.stderr)
        return done[name]

    return build


def _failed(broken_build: Callable[[str], tuple[int, str]], name: str) -> str:
    returncode, out = broken_build(name)
    assert returncode != 0, "dbt build should have failed"
    return out


def _issue(out: str, kind: str) -> str:
    """The lines of one kind of problem in the build's message (one per problem: 'kind: answers <file> row ...'),
    so that a test's row and value are those of its own problem, not of another in the same build."""
    return "\n".join(line for line in out.splitlines() if line.strip().startswith(f"{kind}: "))


# the problems of the "rows" build: (what the message calls it, the answer file's row it names, the value it
# quotes, or None where the problem is the row itself); the edits that made them are BUILDS["rows"]
ROW_PROBLEMS = [
    ("unknown answer mark", 5, "value '済み'"),
    ("unknown municipality code", 7, "value '999999'"),
    ("duplicate municipality", 2, None),
    ("unmapped question", 9, "CIOの任命（改）"),
    ("unknown edition", 3, "da_dx_dashboard_29991231"),
]


@pytest.mark.slow(reason="dbt builds +int_survey_answers_validated of a project copy with broken rows in an answer file")
@pytest.mark.parametrize(("kind", "row", "value"), ROW_PROBLEMS, ids=[k.replace(" ", "_") for k, _, _ in ROW_PROBLEMS])
def test_a_broken_row_is_named_with_its_row_and_value(broken_build, kind: str, row: int, value: str | None) -> None:
    out = _failed(broken_build, "rows")
    assert kind in out
    issue = _issue(out, kind)
    assert f"answers {SEED_NAME} row {row} " in issue, out[-3000:]
    if value is not None:
        assert value in issue, out[-3000:]


@pytest.mark.slow(reason="dbt builds +int_survey_answers_validated of a project copy with one row deleted from an answer file")
def test_municipality_missing_from_edition(broken_build) -> None:
    out = _failed(broken_build, "missing")
    assert "municipality missing from edition" in out
    assert "011002 札幌市" in out
    assert SEED_NAME in out


@pytest.mark.slow(reason="dbt builds +int_survey_answers_validated of a project copy with a column too many in an answer file")
def test_unknown_column(broken_build) -> None:
    out = _failed(broken_build, "column")
    # the CSV format is stated (10 columns), so DuckDB's reader stops at the first line of another
    # width, naming the file, the line and its text
    assert f"data/answers/{SEED_NAME}.csv" in out
    assert "Expected Number of Columns: 10 Found: 11" in out
    assert "respondent_note" in out
