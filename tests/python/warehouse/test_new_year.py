"""A new survey year is rows, not code: a hypothetical fiscal 2024 edition added through data
only (an answers file, an edition row, a crosswalk row) reaches the fact table."""
from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, copy_project, drop_user_answer_files, run_dbt

FIXTURE_SEED = "raw_fixture__fy2024"


def _tree_digest(root: Path, folders: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _append_row(path: Path, values: dict[str, str]) -> None:
    """Append a row by column name (columns not given stay empty), as a person editing the seed would."""
    with path.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    unknown = set(values) - set(header)
    assert not unknown, f"{path.name} has no columns {unknown}"
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow([values.get(column, "") for column in header])


@pytest.mark.slow(reason="a full dbt build of a project copy with a new edition: every node and data test must pass on it")
def test_fy2024_edition_flows_through_seeds_only(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "proj")
    drop_user_answer_files(project)  # the walkthrough must not meet a user's own FY2024 file
    codes = [
        line.split(",")[0]
        for line in (project / "seeds/reference/ref_mic_municipalities.csv").read_text(encoding="utf-8").splitlines()[1:]
    ]
    # Body i has the item in place when i is divisible by 4: 436 of 1,741 (25.04%).
    lines = ["seed_row,edition_id,source_file,source_row,source_column,municipality_code,municipality_name,"
             "question_group,question_id,raw_value"]
    for i, code in enumerate(codes, start=1):
        mark = "○" if i % 4 == 0 else ""
        lines.append(f"{i},fixture_mic_dx_survey_r6,fixture.xlsx,{i + 5},7,{code},,推進体制,CIOの任命,{mark}")
    (project / f"data/answers/{FIXTURE_SEED}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _append_row(project / "seeds/config/cfg_editions.csv", {
        "edition_id": "fixture_mic_dx_survey_r6", "source_id": "mic_dx_survey", "edition_year": "2024",
        "analysis_fiscal_year": "2024", "reference_date": "2024-04-01", "expected_coverage": "all",
        "is_sample": "true", "notes": "test fixture",
    })
    _append_row(project / "seeds/config/cfg_item_crosswalk.csv", {
        "edition_id": "fixture_mic_dx_survey_r6", "question_id": "CIOの任命", "item_code": "cio_appointed",
        "survey_program": "mic_dx_survey", "in_domain_mean": "true", "in_tallies": "true",
        "comparability_break": "false", "is_proxy_for_report": "false",
    })
    # Blank cells follow the vocabulary as it stands (blank = not_surveyed): no configuration change.

    before = _tree_digest(REPO, ("models", "macros"))
    result = run_dbt(project, "build")  # the new file is found by vars.answer_files: no list to edit
    assert result.returncode == 0, result.stdout[-4000:]
    assert _tree_digest(project, ("models", "macros")) == before, "the fixture must not change SQL"

    con = duckdb.connect(str(project / "warehouse" / "jichitai_dx.duckdb"), read_only=True)
    n, in_place, not_surveyed, sample = con.sql(
        """
        select count(*), count(*) filter (where is_in_place), count(*) filter (where answer_status = 'not_surveyed'),
               bool_and(is_sample)
        from fct_survey_answers where fiscal_year = 2024 and item_code = 'cio_appointed'
        """
    ).fetchone()
    con.close()
    assert n == 1741
    assert in_place == 1741 // 4
    assert not_surveyed == 1741 - 1741 // 4
    assert sample is True
