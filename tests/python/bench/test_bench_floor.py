"""The benchmark's faithful dbt floor (bench.floor_project), the answer-chain split of a build's node
times and the report rows they feed. The floor is the project's own nodes doing no work: it must
build cleanly, with the same models, columns, types, column comments, tests, unit tests and
exposures as the project, every model empty, and without reading the answer files."""
from __future__ import annotations

import collections
import copy
import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, WAREHOUSE_PATH, copy_project, run_dbt
from jdx.bench import benchmark as bench


def _columns(db: Path) -> set[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return set(con.sql("select schema_name, table_name, column_name, data_type, comment from duckdb_columns() "
                           "where database_name = current_database()").fetchall())
    finally:
        con.close()


@pytest.mark.slow(reason="dbt builds the floor project: every node of the project, empty, with its data and unit tests")
def test_faithful_floor_builds_the_projects_nodes_empty_without_reading_answers(tmp_path: Path) -> None:
    """The floor is made from a project's manifest and its built warehouse: here a copy of the project
    with the manifest of dbt's parse of the same files (copy_project), beside a copy of the scratch
    warehouse `make test` built from the same files."""
    project = copy_project(tmp_path / "proj")
    assert (project / "target/manifest.json").exists(), "copy_project carries dbt's parse of the project"
    shutil.copy(WAREHOUSE_PATH,
                project / "warehouse" / "jichitai_dx.duckdb")
    floor = bench.floor_project(project, tmp_path / "floor")

    assert not (floor / "data").exists()  # a read of the answer files would fail
    models = sorted(p.relative_to(project).as_posix() for p in (project / "models").rglob("*.sql"))
    assert sorted(p.relative_to(floor).as_posix() for p in (floor / "models").rglob("*.sql")) == models
    for model in models:
        sql = [line for line in (floor / model).read_text(encoding="utf-8").splitlines() if not line.startswith("--")]
        assert not [line for line in sql if re.search(r"\bfrom\b", line, re.IGNORECASE)], model
    assert sorted(p.name for p in (floor / "models").rglob("*.yml")) == sorted(p.name for p in (project / "models").rglob("*.yml"))

    result = run_dbt(floor, "build", "--full-refresh")
    assert result.returncode == 0, result.stdout[-3000:]
    manifest = json.loads((project / "target/manifest.json").read_text(encoding="utf-8"))
    # an ephemeral model runs inside the models that read it: no node result of its own
    declared = collections.Counter(n["resource_type"] for n in manifest["nodes"].values()
                                   if n["config"].get("materialized") != "ephemeral")
    declared["unit_test"] = len(manifest["unit_tests"])
    declared["exposure"] = len(manifest["exposures"])
    results = json.loads((floor / "target/run_results.json").read_text(encoding="utf-8"))["results"]
    ran = collections.Counter(r["unique_id"].split(".")[0] for r in results)
    assert ran == declared and declared["unit_test"] >= 6 and declared["exposure"] > 0
    statuses = collections.Counter((r["unique_id"].split(".")[0], r["status"]) for r in results)
    assert {status for _, status in statuses} <= {"success", "pass", "warn", "no-op"}, statuses
    assert statuses[("unit_test", "pass")] == declared["unit_test"]

    # the same relations, columns, types and persisted column comments as the project; every model empty
    assert _columns(floor / "warehouse/jichitai_dx.duckdb") == _columns(project / "warehouse/jichitai_dx.duckdb")
    con = duckdb.connect(str(floor / "warehouse/jichitai_dx.duckdb"), read_only=True)
    try:
        for node in manifest["nodes"].values():
            if node["resource_type"] == "model" and node["config"].get("materialized") != "ephemeral":
                row = con.execute(f'select count(*) from "{node["schema"]}"."{node["alias"]}"').fetchone()
                assert row == (0,), node["name"]
    finally:
        con.close()


def test_answer_chain_split_sums_node_times(tmp_path: Path) -> None:
    results = [{"unique_id": f"model.jichitai_dx.{name}", "execution_time": 2.0} for name in bench.ANSWER_CHAIN]
    results += [{"unique_id": "model.jichitai_dx.dim_items", "execution_time": 0.5},
                {"unique_id": "test.jichitai_dx.not_null_fct_survey_answers_item_code.abc", "execution_time": 0.25},
                {"unique_id": "seed.jichitai_dx.cfg_items", "execution_time": 0.25}]
    (tmp_path / "target").mkdir()
    (tmp_path / "target/run_results.json").write_text(json.dumps({"results": results}), encoding="utf-8")
    assert bench.chain_split(tmp_path) == {"answer_chain": 8.0, "rest": 1.0}


def test_report_shows_both_floors_and_the_new_edition_split() -> None:
    measured = copy.deepcopy(json.loads((REPO / "docs/generated/benchmarks.json").read_text(encoding="utf-8")))
    scales = measured["scales"]
    small, top = scales[min(scales, key=int)], scales[max(scales, key=int)]
    old = small["timings"].pop("dbt floor", None) or small["timings"][bench.FLOOR]
    small["timings"][bench.FLOOR] = dict(old, wall=10.0)
    small["timings"][bench.PLAIN_FLOOR] = dict(old, wall=7.0)
    top["new_edition_node_seconds"] = {"answer_chain": 30.0, "rest": 10.0, "runs": []}
    text = bench.render(measured)
    rows = [line for line in text.splitlines() if line.startswith("| 1x |")]
    assert any(f"| {bench.FLOOR} | 10.00 |" in row for row in rows) and any(f"| {bench.PLAIN_FLOOR} | 7.00 |" in row for row in rows)
    assert f"the {10.0:.1f} s floor" in text  # the target is against the faithful floor
    assert f"- **{bench.FLOOR}**" in text and f"- **{bench.PLAIN_FLOOR}**" in text
    assert "30.0 s (75%)" in text and "10.0 s (25%)" in text
    assert "the answer chain takes 30.0 s of the 40.0 s summed node time" in text  # in the target table too
