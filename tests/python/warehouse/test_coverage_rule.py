"""Honest coverage (issue #12): a hypothetical FY2024 edition with 3 items, added as the README's
"Adding a survey year" says, gives 2024 item rates, but null domain means, tallies and deviation
scores, each with the reason, because no domain has all its items that year. A partial edition
(5 bodies) gives rates that say they rest on 5 bodies."""
from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, copy_project, run_dbt

# (question as the file writes it, item, domain); dx_governance has 7 items, service_advancement 9
QUESTIONS = [
    ("CIOの任命", "cio_appointed", "dx_governance"),
    ("DXを推進するための全体方針の策定", "dx_master_plan", "dx_governance"),
    ("AIの導入", "ai_adopted", "service_advancement"),
]


# the marts these tests read, with everything upstream of them (and their data tests)
COVERAGE_MARTS = ("+rpt_fig02_06_10_item_rates_national", "+rpt_fig03_07_11_14_rates_by_size_class",
                  "+rpt_fig04_08_12_achievement_tallies", "+rpt_fig17_23_prefecture_deviation", "+rpt_municipality_deviation")


def _append_row(path: Path, values: dict[str, str]) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert not set(values) - set(header)
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow([values.get(column, "") for column in header])


def _project_with_edition(tmp_path: Path, edition_id: str, coverage: str, n_bodies: int | None) -> Path:
    project = copy_project(tmp_path / "proj")
    # the test depends on committed files only: drop answer files a user added (sample/ is generated)
    tracked = set(subprocess.run(["git", "ls-files", "data/answers"], cwd=REPO, capture_output=True, text=True,
                                 check=True).stdout.split())
    for path in (project / "data/answers").glob("*.csv"):
        if str(path.relative_to(project)) not in tracked:
            path.unlink()
    codes = [row["municipality_code"] for row in
             csv.DictReader((project / "seeds/reference/ref_mic_municipalities.csv").open(encoding="utf-8"))]
    if n_bodies is not None:
        codes = codes[:n_bodies]
    lines = ["seed_row,edition_id,source_file,source_row,source_column,municipality_code,municipality_name,"
             "question_group,question_id,raw_value"]
    seed_row = 0
    for column, (question, _, _) in enumerate(QUESTIONS, start=7):
        for i, code in enumerate(codes, start=1):
            seed_row += 1
            mark = "○" if i % (column - 5) == 0 else "×"  # every 2nd, 3rd, 4th body has the item
            lines.append(f"{seed_row},{edition_id},fixture.xlsx,{i + 5},{column},{code},,推進体制,{question},{mark}")
    (project / f"data/answers/raw_fixture__{edition_id}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _append_row(project / "seeds/config/cfg_editions.csv", {
        "edition_id": edition_id, "source_id": "mic_dx_survey", "edition_year": "2024",
        "analysis_fiscal_year": "2024", "reference_date": "2024-04-01", "expected_coverage": coverage,
        "is_sample": "true", "notes": "test fixture",
    })
    for question, item, _ in QUESTIONS:
        _append_row(project / "seeds/config/cfg_item_crosswalk.csv", {
            "edition_id": edition_id, "question_id": question, "item_code": item,
            "survey_program": "mic_dx_survey", "in_domain_mean": "true", "in_tallies": "true",
            "comparability_break": "false", "is_proxy_for_report": "false",
        })
    return project


@pytest.mark.slow(reason="dbt builds the five rate, tally and deviation marts of a project copy with a three-item edition")
def test_fy2024_three_items_rates_but_no_domain_figures(tmp_path: Path) -> None:
    project = _project_with_edition(tmp_path, "fixture_mic_dx_survey_r6", "all", None)
    result = run_dbt(project, "build", "--select", *COVERAGE_MARTS, "--indirect-selection", "cautious")
    assert result.returncode == 0, result.stdout[-4000:]
    con = duckdb.connect(str(project / "warehouse" / "jichitai_dx.duckdb"), read_only=True)

    items = con.sql("""select item_code, rate_pct, n_answered, n_items_in_domain, n_items_present
                       from rpt_fig02_06_10_item_rates_national where fiscal_year = 2024 and row_kind = 'item'
                       order by item_code""").fetchall()
    expected = {"cio_appointed": (1741 // 2, 2, 7), "dx_master_plan": (1741 // 3, 2, 7), "ai_adopted": (1741 // 4, 1, 9)}
    assert {row[0] for row in items} == set(expected)
    for item_code, rate, n_answered, n_in_domain, n_present in items:
        in_place, present, in_domain = expected[item_code]
        assert rate == pytest.approx(100.0 * in_place / 1741)
        assert (n_answered, n_present, n_in_domain) == (1741, present, in_domain)

    means = con.sql("""select domain, rate_pct, coverage_reason, coverage_reason_ja from rpt_fig02_06_10_item_rates_national
                       where fiscal_year = 2024 and row_kind = 'domain_mean'""").fetchall()
    assert {row[0] for row in means} == {"dx_governance", "service_advancement"}
    for domain, rate, reason, reason_ja in means:
        assert rate is None, domain
        assert reason.startswith("partial domain: ") and ("of 7 items" in reason or "of 9 items" in reason)
        assert "算出しない" in reason_ja
    # the 2023 domain means are untouched
    assert con.sql("""select count(*) from rpt_fig02_06_10_item_rates_national where fiscal_year = 2023
                      and row_kind = 'domain_mean' and rate_pct is not null and coverage_reason is null""").fetchone()[0] >= 5

    by_class = con.sql("""select count(*), count(rate_pct), count(coverage_reason) from rpt_fig03_07_11_14_rates_by_size_class
                          where fiscal_year = 2024 and row_kind = 'domain_mean'""").fetchone()
    assert by_class[0] > 0 and by_class[1] == 0 and by_class[2] == by_class[0]

    tallies = con.sql("""select domain, all_items_achieved, no_item_achieved, coverage_reason
                         from rpt_fig04_08_12_achievement_tallies where fiscal_year = 2024""").fetchall()
    assert {row[0] for row in tallies} >= {"dx_governance", "service_advancement", "total_23_items"}
    assert all(row[1] is None and row[2] is None and row[3] for row in tallies)

    scores = con.sql("""select domain, count(*), count(deviation_score), count(coverage_reason)
                        from rpt_fig17_23_prefecture_deviation where fiscal_year = 2024 group by 1""").fetchall()
    assert {row[0] for row in scores} >= {"dx_governance", "service_advancement", "overall_excl_mynumber"}
    assert all(n == 47 and n_scores == 0 and n_reasons == 47 for _, n, n_scores, n_reasons in scores)

    municipal = con.sql("""select count(*), count(deviation_score), count(coverage_reason)
                           from rpt_municipality_deviation where fiscal_year = 2024""").fetchone()
    assert municipal[0] >= 1741 * 2 and municipal[1] == 0 and municipal[2] == municipal[0]
    con.close()


@pytest.fixture(scope="module")
def five_body_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A FY2024 edition answered by 5 bodies only (cfg_editions.expected_coverage = 'partial')."""
    project = _project_with_edition(tmp_path_factory.mktemp("five"), "fixture_partial_r6", "partial", 5)
    result = run_dbt(project, "build", "--select", "+rpt_fig02_06_10_item_rates_national", "+fct_survey_answers",
                     "--indirect-selection", "cautious")
    assert result.returncode == 0, result.stdout[-4000:]
    return project / "warehouse" / "jichitai_dx.duckdb"


@pytest.mark.slow(reason="shares a module fixture that dbt-builds the rates mart of a project copy with a five-body edition")
def test_five_body_edition_rates_say_five_bodies(five_body_warehouse: Path) -> None:
    con = duckdb.connect(str(five_body_warehouse), read_only=True)
    rows = con.sql("""select item_code, rate_pct, n_answered, n_bodies_covered from rpt_fig02_06_10_item_rates_national
                      where fiscal_year = 2024 and row_kind = 'item' order by item_code""").fetchall()
    con.close()
    # bodies 1-5: every 4th (ai_adopted), 2nd (cio_appointed), 3rd (dx_master_plan) has the item
    assert [(r[0], r[2], r[3]) for r in rows] == [("ai_adopted", 5, 5), ("cio_appointed", 5, 5), ("dx_master_plan", 5, 5)]
    assert [round(r[1], 6) for r in rows] == [20.0, 40.0, 20.0]


@pytest.mark.slow(reason="shares a module fixture that dbt-builds the rates mart of a project copy with a five-body edition")
def test_five_body_edition_other_bodies_are_outside_it(five_body_warehouse: Path) -> None:
    con = duckdb.connect(str(five_body_warehouse), read_only=True)
    statuses = dict(con.sql("""select answer_status, count(*) from fct_survey_answers
                               where fiscal_year = 2024 group by 1""").fetchall())
    con.close()
    assert statuses.get("missing", 0) == 0 and statuses.get("not_in_edition") == 3 * (1741 - 5)
