"""The foundation's acceptance checks, read from the built warehouse and compared with the
report's published class counts (seeds/published/jri_class_counts.csv, never our own output)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import REPO, copy_project, run_dbt


def _published_class_counts() -> dict[str, int]:
    with (REPO / "seeds" / "published" / "jri_class_counts.csv").open(encoding="utf-8") as fh:
        return {r["size_class"]: int(r["n_bodies"]) for r in csv.DictReader(fh)}


def test_size_class_counts_match_the_report(warehouse) -> None:
    published = _published_class_counts()
    rows = warehouse.sql("select size_class, count(*) from dim_municipalities group by 1").fetchall()
    ours = dict(rows)
    assert sum(ours.values()) == published.pop("all")
    assert ours == published


def test_same_name_is_told_apart_by_prefecture(warehouse) -> None:
    rows = warehouse.sql(
        "select municipality_code, municipality_label from dim_municipalities "
        "where municipality_name = '伊達市' order by 1"
    ).fetchall()
    assert rows == [("012335", "伊達市（北海道）"), ("072133", "伊達市（福島県）")]


def test_special_wards_are_classed_by_population(warehouse) -> None:
    rows = dict(
        warehouse.sql(
            "select size_class, count(*) from dim_municipalities where mic_type = 'special_ward' group by 1"
        ).fetchall()
    )
    # 21 large, 中央区 mid, 千代田区 small (shared/data/raw/README.md, measured on 住基 2020-01-01)
    assert rows == {"large_city": 21, "mid_city": 1, "small_city": 1}


@pytest.mark.slow(reason="dbt builds +dim_municipalities of a project copy with a changed threshold")
def test_changed_threshold_makes_the_class_test_fail(tmp_path: Path) -> None:
    """The class-count data test can fail: move the large-city threshold and dbt build must stop."""
    project = copy_project(tmp_path / "proj")
    seed = project / "seeds" / "config" / "cfg_size_classes.csv"
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace(",200000,\n", ",150000,\n").replace(",100000,200000", ",100000,150000"), encoding="utf-8")
    result = run_dbt(project, "build", "--select", "+dim_municipalities")
    assert result.returncode != 0
    assert "group_counts_match_dim_municipalities_size_class" in result.stdout
