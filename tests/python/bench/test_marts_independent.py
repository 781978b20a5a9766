"""The dbt marts against an independent computation, and two builds against each other.

The plain-DuckDB SQL of scripts/jdx/bench/sql_baseline.py and the pandas of bench/pandas_baseline.py compute the key
results (class domain means, achievement tallies, prefecture deviation scores) from the same raw
answer files and configuration CSVs, sharing no SQL with the models: whatever the sample generator
writes, the marts must equal both within 1e-12 (relative above 1). And the same inputs built twice
give byte-identical marts (per-table SHA-256 of every row in a stated order)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import REPO, WAREHOUSE_PATH, copy_project, run_dbt
from jdx import warehouse_digest
from jdx.bench import benchmark as bench
from jdx.bench import pandas_baseline, sql_baseline

TOL = 1e-12


def _marts(warehouse) -> dict[str, pd.DataFrame]:
    return {
        "rates_by_class": warehouse.sql(
            """select fiscal_year as year, domain, size_class, rate_pct as domain_rate_pct
               from rpt_fig03_07_11_14_rates_by_size_class
               where row_kind = 'domain_mean' and domain != 'mynumber_card' and size_class != 'all'"""
        ).df(),
        "tallies": warehouse.sql(
            """select fiscal_year as year, domain, size_class, all_items_achieved, no_item_achieved
               from rpt_fig04_08_12_achievement_tallies where size_class != 'all' and domain != 'total_23_items'"""
        ).df(),
        "prefecture_deviation": warehouse.sql(
            """select fiscal_year as year, domain, prefecture_code, rate_pct as rate, deviation_score
               from rpt_fig17_23_prefecture_deviation
               where domain not in ('overall_excl_mynumber', 'mynumber_card')"""
        ).df(),
    }


VALUES = {
    "rates_by_class": ["domain_rate_pct"],
    "tallies": ["all_items_achieved", "no_item_achieved"],
    "prefecture_deviation": ["rate", "deviation_score"],
}


@pytest.fixture(scope="module")
def independent() -> dict[str, dict[str, pd.DataFrame]]:
    files = bench.answer_files(REPO)
    return {"sql": sql_baseline.compute(REPO, files), "pandas": pandas_baseline.compute(REPO, files)}


@pytest.mark.parametrize("how", ["sql", "pandas"])
@pytest.mark.parametrize("result", sorted(VALUES))
def test_marts_equal_an_independent_computation(warehouse, independent, how: str, result: str) -> None:
    mart = _marts(warehouse)[result]
    other = independent[how][result]
    other = other[other["domain"] != "mynumber_card"]  # the card domain is a prefecture figure (fig 23), not a class mean
    keys = [c for c in other.columns if c not in VALUES[result]]
    mart[keys[0]] = mart[keys[0]].astype(other[keys[0]].dtype)
    merged = mart.merge(other, on=keys, how="outer", suffixes=("_mart", "_other"), indicator=True)
    unmatched = merged[merged["_merge"] != "both"]
    assert unmatched.empty, f"{result}: rows in one and not the other:\n{unmatched.head(10)}"
    assert len(merged) >= 20, f"{result}: too few rows to mean anything ({len(merged)})"
    for column in VALUES[result]:
        a = merged[f"{column}_mart"].astype(float)
        b = merged[f"{column}_other"].astype(float)
        both_null = a.isna() & b.isna()
        diff = (a - b).abs()
        limit = TOL * pd.concat([a.abs(), b.abs()], axis=1).max(axis=1).clip(lower=1.0)
        bad = merged[~both_null & ~(diff <= limit)]
        assert bad.empty, f"{result}.{column} differs from {how} beyond {TOL}:\n{bad.head(10)}"


@pytest.mark.slow(reason="one dbt build (seeds and models) of a project copy, compared with the scratch warehouse")
def test_two_builds_give_byte_identical_marts(tmp_path: Path) -> None:
    """The first build is the scratch warehouse `make test` built (JDX_DUCKDB_PATH, the same inputs);
    the second, every seed and model built again in a copy of the project."""
    digests_1 = warehouse_digest.digests(WAREHOUSE_PATH)
    project = copy_project(tmp_path / "proj")
    db = project / "warehouse" / "jichitai_dx.duckdb"
    # seeds and models only: no data or unit tests (make test runs them on its own build)
    second = run_dbt(project, "build", "--exclude", "resource_type:test", "resource_type:unit_test")
    assert second.returncode == 0, second.stdout[-3000:]
    digests_2 = warehouse_digest.digests(db)
    assert len(digests_1) >= 12, sorted(digests_1)
    assert sorted(digests_1) == sorted(digests_2), "the two builds have different marts"
    differ = sorted(name for name in digests_1 if digests_1[name] != digests_2.get(name))
    assert not differ, f"marts differ between two builds of the same inputs: {differ}"


def test_digest_sees_a_last_bit_change(tmp_path: Path) -> None:
    """The digest is not blind: a float changed in its last bit changes the table's digest."""
    import duckdb

    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create table rpt_x as select cast(0.1 as double) + cast(0.2 as double) as v, 1 as k")
    con.close()
    before = warehouse_digest.digests(db)
    con = duckdb.connect(str(db))
    con.execute("update rpt_x set v = 0.3")  # 0.30000000000000004 -> 0.3
    con.close()
    assert warehouse_digest.digests(db)["rpt_x"] != before["rpt_x"]
