"""The scorecard in README.md and docs/scorecard.md is what the warehouse computes now."""
from __future__ import annotations

import os
from pathlib import Path

from conftest import REPO
from jdx import scorecard


def _db() -> Path:
    return Path(os.environ.get("JDX_DUCKDB_PATH", REPO / "warehouse" / "jichitai_dx.duckdb"))


def test_readme_scorecard_is_current(warehouse) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    fresh = scorecard.replace_between_markers(readme, scorecard.summary_markdown(_db()))
    assert fresh == readme, "README scorecard is stale: run `make build` and commit README.md"


def test_detail_scorecard_is_current(warehouse) -> None:
    detail = (REPO / "docs" / "scorecard.md").read_text(encoding="utf-8")
    assert detail == scorecard.detail_markdown(_db()), "docs/scorecard.md is stale: run `make build`"


def test_detail_lists_every_published_value(warehouse) -> None:
    n_rows = warehouse.sql("select count(*) from rpt_reproduction_scorecard").fetchone()[0]
    n_published = sum(
        len((REPO / "seeds" / "published" / f).read_text(encoding="utf-8").splitlines()) - 1
        for f in ("jri_item_rates.csv", "jri_prefecture_deviation.csv", "jri_class_counts.csv")
    ) + 2 * (len((REPO / "seeds" / "published" / "jri_achievement.csv").read_text(encoding="utf-8").splitlines()) - 1)
    assert n_rows == n_published
    table_rows = [line for line in (REPO / "docs" / "scorecard.md").read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    assert len(table_rows) - 1 == n_published  # minus the header row
