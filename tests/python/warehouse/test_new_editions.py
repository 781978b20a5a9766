"""Survey editions added as data only, in one project copy built once by a full `dbt build` (every node
and data test), each edition in a fiscal year of its own:

- FY2024, a new survey year (README "Adding a survey year"): an answers file, an edition row and a
  crosswalk row, no SQL, reach the fact table; blank cells follow the vocabulary as it stands.
- FY2025, honest coverage (issue #12): an edition with 3 items gives item rates, but null domain means,
  tallies and deviation scores, each with the reason, because no domain has all its items that year.
- FY2026, a partial edition answered by 5 bodies (cfg_editions.expected_coverage = 'partial'): its rates
  say they rest on 5 bodies, and every other body is outside the edition, not missing."""
from __future__ import annotations

import csv
import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from conftest import RAW_ANSWER_HEADER, REPO, append_crosswalk_row, append_seed_row, copy_project, drop_user_answer_files, run_dbt

NEW_YEAR = "fixture_mic_dx_survey_r6"  # FY2024: CIOの任命 only
THREE_ITEMS = "fixture_mic_dx_survey_r7"  # FY2025: three items of two domains, every body
PARTIAL = "fixture_partial_r8"  # FY2026: the same three items, five bodies

# (question as the file writes it, item, domain); dx_governance has 7 items, service_advancement 9
QUESTIONS = [
    ("CIOの任命", "cio_appointed", "dx_governance"),
    ("DXを推進するための全体方針の策定", "dx_master_plan", "dx_governance"),
    ("AIの導入", "ai_adopted", "service_advancement"),
]


def _tree_digest(root: Path, folders: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _add_edition(project: Path, edition_id: str, year: int, coverage: str, answers: list[str],
                 questions: list[tuple[str, str, str]]) -> None:
    """An answers file, an edition row and one crosswalk row per question: what a person adds for a new edition."""
    (project / f"data/answers/raw_fixture__{edition_id}.csv").write_text("\n".join([RAW_ANSWER_HEADER, *answers]) + "\n", encoding="utf-8")
    append_seed_row(project / "seeds/config/cfg_editions.csv", {
        "edition_id": edition_id, "source_id": "mic_dx_survey", "edition_year": str(year),
        "analysis_fiscal_year": str(year), "reference_date": f"{year}-04-01", "expected_coverage": coverage,
        "is_sample": "true", "notes": "test fixture",
    })
    for question, item, _ in questions:
        append_crosswalk_row(project, edition_id, question, item)


def _marked_answers(edition_id: str, codes: list[str]) -> list[str]:
    """Every 2nd, 3rd, 4th body has the first, second, third question's item (○), the others not (×)."""
    lines = []
    for column, (question, _, _) in enumerate(QUESTIONS, start=7):
        for i, code in enumerate(codes, start=1):
            mark = "○" if i % (column - 5) == 0 else "×"
            lines.append(f"{len(lines) + 1},{edition_id},fixture.xlsx,{i + 5},{column},{code},,推進体制,{question},{mark}")
    return lines


@dataclass(frozen=True)
class Build:
    project: Path
    result: subprocess.CompletedProcess[str]
    models_and_macros_unchanged: bool

    def query(self, sql: str) -> list[tuple]:
        assert self.result.returncode == 0, self.result.stdout[-4000:]
        con = duckdb.connect(str(self.project / "warehouse" / "jichitai_dx.duckdb"), read_only=True)
        try:
            return con.sql(sql).fetchall()
        finally:
            con.close()


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    project = copy_project(tmp_path_factory.mktemp("editions") / "proj")
    drop_user_answer_files(project)  # committed files only: a user's own FY2024 file must not meet the fixtures
    with (project / "seeds/reference/ref_mic_municipalities.csv").open(encoding="utf-8") as fh:
        codes = [row["municipality_code"] for row in csv.DictReader(fh)]
    # FY2024: body i has the item in place when i is divisible by 4 (436 of 1,741); the other cells are blank
    _add_edition(project, NEW_YEAR, 2024, "all", [
        f"{i},{NEW_YEAR},fixture.xlsx,{i + 5},7,{code},,推進体制,CIOの任命,{'○' if i % 4 == 0 else ''}"
        for i, code in enumerate(codes, start=1)], QUESTIONS[:1])
    _add_edition(project, THREE_ITEMS, 2025, "all", _marked_answers(THREE_ITEMS, codes), QUESTIONS)
    _add_edition(project, PARTIAL, 2026, "partial", _marked_answers(PARTIAL, codes[:5]), QUESTIONS)
    before = _tree_digest(REPO, ("models", "macros"))
    result = run_dbt(project, "build")  # the new files are found by vars.answer_files: no list to edit
    return Build(project, result, _tree_digest(project, ("models", "macros")) == before)


@pytest.mark.slow(reason="a full dbt build of a project copy with three new editions: every node and data test must pass on it")
def test_fy2024_edition_flows_through_seeds_only(build: Build) -> None:
    assert build.result.returncode == 0, build.result.stdout[-4000:]
    assert build.models_and_macros_unchanged, "the fixtures must not change SQL"
    # blank cells follow the vocabulary as it stands (blank = not_surveyed): no configuration change
    [(n, in_place, not_surveyed, sample)] = build.query(
        """
        select count(*), count(*) filter (where is_in_place), count(*) filter (where answer_status = 'not_surveyed'),
               bool_and(is_sample)
        from fct_survey_answers where fiscal_year = 2024 and item_code = 'cio_appointed'
        """
    )
    assert n == 1741
    assert in_place == 1741 // 4
    assert not_surveyed == 1741 - 1741 // 4
    assert sample is True


@pytest.mark.slow(reason="reads the module's full dbt build of a project copy with three new editions")
def test_fy2025_three_items_rates_but_no_domain_figures(build: Build) -> None:
    items = build.query("""select item_code, rate_pct, n_answered, n_items_in_domain, n_items_present
                           from rpt_fig02_06_10_item_rates_national where fiscal_year = 2025 and row_kind = 'item'
                           order by item_code""")
    expected = {"cio_appointed": (1741 // 2, 2, 7), "dx_master_plan": (1741 // 3, 2, 7), "ai_adopted": (1741 // 4, 1, 9)}
    assert {row[0] for row in items} == set(expected)
    for item_code, rate, n_answered, n_in_domain, n_present in items:
        in_place, present, in_domain = expected[item_code]
        assert rate == pytest.approx(100.0 * in_place / 1741)
        assert (n_answered, n_present, n_in_domain) == (1741, present, in_domain)

    means = build.query("""select domain, rate_pct, coverage_reason, coverage_reason_ja from rpt_fig02_06_10_item_rates_national
                           where fiscal_year = 2025 and row_kind = 'domain_mean'""")
    assert {row[0] for row in means} == {"dx_governance", "service_advancement"}
    for domain, rate, reason, reason_ja in means:
        assert rate is None, domain
        assert reason.startswith("partial domain: ") and ("of 7 items" in reason or "of 9 items" in reason)
        assert "算出しない" in reason_ja
    # the 2023 domain means are untouched
    assert build.query("""select count(*) from rpt_fig02_06_10_item_rates_national where fiscal_year = 2023
                          and row_kind = 'domain_mean' and rate_pct is not null and coverage_reason is null""")[0][0] >= 5

    [by_class] = build.query("""select count(*), count(rate_pct), count(coverage_reason) from rpt_fig03_07_11_14_rates_by_size_class
                                where fiscal_year = 2025 and row_kind = 'domain_mean'""")
    assert by_class[0] > 0 and by_class[1] == 0 and by_class[2] == by_class[0]

    tallies = build.query("""select domain, all_items_achieved, no_item_achieved, coverage_reason
                             from rpt_fig04_08_12_achievement_tallies where fiscal_year = 2025""")
    assert {row[0] for row in tallies} >= {"dx_governance", "service_advancement", "total_23_items"}
    assert all(row[1] is None and row[2] is None and row[3] for row in tallies)

    scores = build.query("""select domain, count(*), count(deviation_score), count(coverage_reason)
                            from rpt_fig17_23_prefecture_deviation where fiscal_year = 2025 group by 1""")
    assert {row[0] for row in scores} >= {"dx_governance", "service_advancement", "overall_excl_mynumber"}
    assert all(n == 47 and n_scores == 0 and n_reasons == 47 for _, n, n_scores, n_reasons in scores)

    [municipal] = build.query("""select count(*), count(deviation_score), count(coverage_reason)
                                 from rpt_municipality_deviation where fiscal_year = 2025""")
    assert municipal[0] >= 1741 * 2 and municipal[1] == 0 and municipal[2] == municipal[0]


@pytest.mark.slow(reason="reads the module's full dbt build of a project copy with three new editions")
def test_five_body_edition_rates_say_five_bodies(build: Build) -> None:
    rows = build.query("""select item_code, rate_pct, n_answered, n_bodies_covered from rpt_fig02_06_10_item_rates_national
                          where fiscal_year = 2026 and row_kind = 'item' order by item_code""")
    # bodies 1-5: every 4th (ai_adopted), 2nd (cio_appointed), 3rd (dx_master_plan) has the item
    assert [(r[0], r[2], r[3]) for r in rows] == [("ai_adopted", 5, 5), ("cio_appointed", 5, 5), ("dx_master_plan", 5, 5)]
    assert [round(r[1], 6) for r in rows] == [20.0, 40.0, 20.0]


@pytest.mark.slow(reason="reads the module's full dbt build of a project copy with three new editions")
def test_five_body_edition_other_bodies_are_outside_it(build: Build) -> None:
    statuses = dict(build.query("select answer_status, count(*) from fct_survey_answers where fiscal_year = 2026 group by 1"))
    assert statuses.get("missing", 0) == 0 and statuses.get("not_in_edition") == 3 * (1741 - 5)


@pytest.mark.slow(reason="reads the module's full dbt build of a project copy with three new editions")
def test_a_partial_edition_loads_and_says_which_bodies_it_covers(build: Build) -> None:
    rows = build.query(
        f"""
        select is_in_edition_coverage, answer_status, count(*), count(*) filter (where is_in_place),
               count(*) filter (where missing_reason like 'not in edition: {PARTIAL} is a partial edition%')
        from fct_survey_answers where fiscal_year = 2026 and item_code = 'cio_appointed'
        group by all order by all
        """
    )
    # bodies 1-5, every 2nd has the item: bodies 2 and 4
    assert rows == [
        (False, "not_in_edition", 1741 - 5, 0, 1741 - 5),
        (True, "implemented", 2, 2, 0),
        (True, "not_implemented", 3, 0, 0),
    ]
