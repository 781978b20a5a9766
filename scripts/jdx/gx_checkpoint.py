"""Great Expectations checkpoint over the key marts, run on pandas DataFrames read from the
DuckDB file (GX 1.24.1's SQL route does not work with DuckDB). Writes static Data Docs under
build/gx/data_docs and fails (exit 1) when any expectation fails."""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import duckdb  # noqa: E402
import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
import pandas as pd  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

INPUT_BASES = ["official", "official_proxy", "sample", "mixed", "incomplete"]
SIZE_CLASSES = ["designated_city", "core_city", "large_city", "mid_city", "small_city", "town", "village"]
ANSWER_STATUSES = ["implemented", "not_implemented", "value", "not_surveyed", "not_applicable", "missing"]


@dataclass(frozen=True)
class Suite:
    table: str
    expectations: Callable[[], list[gxe.Expectation]]


SUITES = [
    Suite("dim_municipalities", lambda: [
        gxe.ExpectTableRowCountToEqual(value=1741),
        gxe.ExpectColumnValuesToBeUnique(column="municipality_code"),
        gxe.ExpectColumnValuesToMatchRegex(column="municipality_code", regex=r"^[0-9]{6}$"),
        gxe.ExpectColumnValuesToBeInSet(column="size_class", value_set=SIZE_CLASSES),
        gxe.ExpectColumnValuesToBeBetween(column="population", min_value=1),
        gxe.ExpectColumnValuesToNotBeNull(column="prefecture_name"),
    ]),
    Suite("fct_survey_answers", lambda: [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["municipality_code", "fiscal_year", "item_code"]),
        gxe.ExpectColumnValuesToBeInSet(column="answer_status", value_set=ANSWER_STATUSES),
        gxe.ExpectColumnValuesToNotBeNull(column="is_sample"),
        gxe.ExpectColumnValuesToNotBeNull(column="edition_id"),
        gxe.ExpectColumnValuesToBeBetween(column="value_numeric", min_value=0),
    ]),
    Suite("rpt_fig02_06_10_item_rates_national", lambda: [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["fiscal_year", "domain", "item_code"]),
        gxe.ExpectColumnValuesToBeBetween(column="rate_pct", min_value=0, max_value=100),
        gxe.ExpectColumnValuesToBeInSet(column="input_basis", value_set=INPUT_BASES),
    ]),
    Suite("rpt_fig17_23_prefecture_deviation", lambda: [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["fiscal_year", "prefecture_code", "domain"]),
        gxe.ExpectColumnValuesToBeBetween(column="deviation_score", min_value=0, max_value=100),
        gxe.ExpectColumnValuesToBeInSet(column="input_basis", value_set=INPUT_BASES),
        gxe.ExpectColumnDistinctValuesToEqualSet(
            column="prefecture_code", value_set=[f"{i:02d}" for i in range(1, 48)]
        ),
    ]),
    Suite("rpt_reproduction_scorecard", lambda: [
        gxe.ExpectColumnValuesToBeUnique(column="scorecard_key"),
        # text claims with a name or set rule have no numeric tolerance: every row has a rule and a status
        gxe.ExpectColumnValuesToNotBeNull(column="rule_kind"),
        gxe.ExpectColumnValuesToBeInSet(
            column="status", value_set=["match", "close", "miss", "no_value", "not_computable"]
        ),
        gxe.ExpectColumnValuesToBeInSet(column="input_basis", value_set=[*INPUT_BASES, "not_computable"]),
    ]),
]


def read_table(db: Path, table: str) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(f"select * from main.{table}").df()
    finally:
        con.close()


def run(db: Path, docs_dir: Path) -> bool:
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.add_data_docs_site(
        site_name="jichitai_dx",
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir.resolve())},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    source = context.data_sources.add_pandas(name="jichitai_dx_marts")
    all_ok = True
    for spec in SUITES:
        frame = read_table(db, spec.table)
        asset = source.add_dataframe_asset(name=spec.table)
        batch = asset.add_batch_definition_whole_dataframe(name=f"{spec.table}_whole")
        suite = context.suites.add(gx.ExpectationSuite(name=f"{spec.table}_suite"))
        for expectation in spec.expectations():
            suite.add_expectation(expectation)
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{spec.table}_validation", data=batch, suite=suite)
        )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=f"{spec.table}_checkpoint",
                validation_definitions=[validation],
                actions=[gx.checkpoint.UpdateDataDocsAction(name="update_docs", site_names=["jichitai_dx"])],
            )
        )
        result = checkpoint.run(batch_parameters={"dataframe": frame})
        n_failed = sum(
            1 for vr in result.run_results.values() for r in vr.results if not r.success
        )
        print(f"[gx] {spec.table}: {len(frame)} rows, {len(spec.expectations())} expectations, "
              f"{'all passed' if result.success else f'{n_failed} failed'}", flush=True)
        all_ok = all_ok and bool(result.success)
    print(f"[gx] Data Docs: {docs_dir / 'index.html'}")
    return all_ok
