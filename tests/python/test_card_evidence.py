"""Issue acceptance on the built warehouse: official 2023 rates, the Noto substitution, the
card evidence. Expected values are read from the report's published seeds, never from our output."""
from __future__ import annotations

import csv

import pytest

from conftest import REPO, WAREHOUSE_PATH
from jdx import card_evidence

NOTO = {"172014", "172022", "172031", "172049", "172057", "173657", "174076", "174637"}


def _published_rates() -> dict[tuple[str, int], float]:
    with (REPO / "seeds" / "published" / "jri_item_rates.csv").open(encoding="utf-8") as fh:
        return {(r["item_code"], int(r["fiscal_year"])): float(r["rate_pct"]) for r in csv.DictReader(fh)}


@pytest.mark.parametrize(
    "item_code",
    ["cio_appointed", "dx_master_plan", "cross_department_structure", "ai_adopted", "rpa_adopted"],
)
def test_official_2023_rates_match_the_report(warehouse, item_code: str) -> None:
    rate, n = warehouse.execute(
        """
        select 100.0 * count(*) filter (where is_in_place) / count(*), count(*)
        from fct_survey_answers
        where fiscal_year = 2023 and item_code = ? and is_answered and not is_sample
        """,
        [item_code],
    ).fetchone()
    assert n > 1700
    assert round(rate, 1) == pytest.approx(_published_rates()[(item_code, 2023)], abs=0.05)


def test_noto_bodies_are_substituted_from_the_2022_edition(warehouse) -> None:
    rows = warehouse.sql(
        """
        select municipality_code, bool_and(is_substituted), min(edition_year), max(edition_year), count(*)
        from fct_survey_answers
        where fiscal_year = 2023 and survey_program = 'mic_dx_survey'
        group by 1
        having bool_or(is_substituted)
        """
    ).fetchall()
    assert {r[0] for r in rows} == NOTO
    for code, all_substituted, min_year, max_year, n in rows:
        assert all_substituted and min_year == max_year == 2022, code
        assert n >= 21  # 7 governance + 5 systems + reference item + 8 improvement items at least


def test_noto_ai_and_rpa_keep_their_own_2023_answers(warehouse) -> None:
    rows = warehouse.sql(
        """
        select count(*) from fct_survey_answers
        where fiscal_year = 2023 and item_code in ('ai_adopted', 'rpa_adopted')
          and municipality_code in ('172014', '174637') and not is_substituted and is_answered
        """
    ).fetchone()
    assert rows == (4,)


def test_every_cell_without_a_value_says_why(warehouse) -> None:
    n = warehouse.sql(
        "select count(*) from fct_survey_answers where not is_answered and missing_reason is null"
    ).fetchone()[0]
    assert n == 0


def test_card_2022_04_snapshot_is_the_best_fit_for_figure_23() -> None:
    db = WAREHOUSE_PATH
    fits = card_evidence.card_fit(db, 2021)
    best = min(fits, key=lambda f: f[2])
    assert best[0] == "2022-04-01" and best[1] == "issued_over_population"
    assert best[2] <= 1.0
    assert all(f[2] > 1.0 for f in fits if f != best)
