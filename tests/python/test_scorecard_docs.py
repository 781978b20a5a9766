"""The scorecard in README.md and docs/generated/scorecard.md is what the warehouse computes now."""
from __future__ import annotations

import csv

from conftest import REPO, WAREHOUSE_PATH
from jdx import scorecard


def test_readme_scorecard_is_current(warehouse) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    fresh = scorecard.replace_between_markers(readme, scorecard.summary_markdown(WAREHOUSE_PATH))
    assert fresh == readme, "README scorecard is stale: run `make build` and commit README.md"


def test_detail_scorecard_is_current(warehouse) -> None:
    detail = (REPO / "docs" / "generated" / "scorecard.md").read_text(encoding="utf-8")
    assert detail == scorecard.detail_markdown(WAREHOUSE_PATH), "docs/generated/scorecard.md is stale: run `make build`"


def _n_rows(name: str) -> int:
    with (REPO / "seeds" / "published" / name).open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def test_detail_lists_every_published_value(warehouse) -> None:
    n_rows = warehouse.sql("select count(*) from rpt_reproduction_scorecard").fetchone()[0]
    n_figure = sum(_n_rows(f) for f in ("jri_item_rates.csv", "jri_prefecture_deviation.csv", "jri_class_counts.csv"))
    n_figure += 2 * _n_rows("jri_achievement.csv")
    n_claims = _n_rows("jri_text_claims.csv")
    assert n_claims == 164
    assert n_rows == n_figure + n_claims
    table_rows = [line for line in (REPO / "docs" / "generated" / "scorecard.md").read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    assert len(table_rows) - 2 == n_figure + n_claims  # minus the two header rows


def test_every_text_claim_is_a_row_of_the_detail(warehouse) -> None:
    with (REPO / "seeds" / "published" / "jri_text_claims.csv").open(encoding="utf-8", newline="") as fh:
        claim_ids = [row["claim_id"] for row in csv.DictReader(fh)]
    detail = (REPO / "docs" / "generated" / "scorecard.md").read_text(encoding="utf-8")
    listed = {line.split(" | ")[0].removeprefix("| ") for line in detail.splitlines() if line.startswith("| ")}
    assert set(claim_ids) <= listed
    statuses = dict(warehouse.sql(
        "select claim_id, status from rpt_reproduction_scorecard where row_kind = 'text_claim'"
    ).fetchall())
    assert set(statuses) == set(claim_ids)
    # a claim needing data outside the warehouse is a row with its reason, never absent
    reasons = warehouse.sql(
        "select count(*) from rpt_reproduction_scorecard where status = 'not_computable' and not_computable_reason is null"
    ).fetchone()[0]
    assert reasons == 0
