"""The benchmark's scale generator and its report (the timings themselves run in `make bench`)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import REPO
from jdx.bench import benchmark as bench
from jdx.bench import site_bench


def _count(path: Path) -> int:
    with path.open(encoding="utf-8") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def test_scale_three_triples_the_answers_and_their_configuration(tmp_path: Path) -> None:
    project, extra = bench.scaled_project(REPO, tmp_path / "x3", 3)
    originals = bench.answer_files(REPO)
    assert len(extra) == 2 * len(originals)
    assert sum(_count(p) for p in bench.answer_files(project)) == 3 * sum(_count(p) for p in originals)
    eds = _count(project / "seeds/config/cfg_editions.csv")
    card = sum(1 for r in csv.DictReader((REPO / "seeds/config/cfg_editions.csv").open(encoding="utf-8"))
               if r["edition_id"].startswith("mic_mynumber_card"))
    assert eds == 3 * _count(REPO / "seeds/config/cfg_editions.csv") - 2 * card
    assert _count(project / "seeds/config/cfg_substitutions.csv") == 3 * _count(REPO / "seeds/config/cfg_substitutions.csv")
    years = {r["analysis_fiscal_year"] for r in csv.DictReader((project / "seeds/config/cfg_editions.csv").open(encoding="utf-8"))}
    assert {"2021", "2023", "3021", "3023", "4021", "4023"} <= years


def test_committed_benchmark_report_renders_from_its_json() -> None:
    """The committed report is exactly what its two JSON files render: the scale benchmark, then the
    site section (benchmarks_site.json); no number in it was edited by hand."""
    measured = json.loads((REPO / "docs/generated/benchmarks.json").read_text(encoding="utf-8"))
    site = json.loads((REPO / "docs/generated/benchmarks_site.json").read_text(encoding="utf-8"))
    expected = bench.render(measured).rstrip("\n") + "\n\n" + site_bench.section(site)
    assert expected == (REPO / "docs/generated/benchmarks.md").read_text(encoding="utf-8")


def test_one_new_edition_adds_its_file_and_configuration(tmp_path: Path) -> None:
    project, _ = bench.scaled_project(REPO, tmp_path / "x2", 2)
    before = sum(_count(p) for p in bench.answer_files(project))
    added = bench.add_edition(project, 2)
    assert added > 1000
    assert sum(_count(p) for p in bench.answer_files(project)) == before + added
    editions = {r["edition_id"]: r for r in csv.DictReader((project / "seeds/config/cfg_editions.csv").open(encoding="utf-8"))}
    assert editions["mic_dx_survey_r5__sample_e2"]["stands_in_for"] == "mic_dx_survey_r5_e2"
    assert editions["mic_dx_survey_r5_e2"]["analysis_fiscal_year"] == "4023"
    crosswalk = [r for r in csv.DictReader((project / "seeds/config/cfg_item_crosswalk.csv").open(encoding="utf-8"))
                 if r["edition_id"] == "mic_dx_survey_r5_e2"]
    assert len(crosswalk) > 10


def test_the_plain_floor_has_the_projects_nodes_and_real_seeds(tmp_path: Path) -> None:
    manifest = {"nodes": {
        "model.p.a": {"resource_type": "model", "config": {"materialized": "table"}, "depends_on": {"nodes": []}},
        "model.p.b": {"resource_type": "model", "config": {"materialized": "view"}, "depends_on": {"nodes": []}},
        "test.p.t1": {"resource_type": "test", "config": {}, "depends_on": {"nodes": ["model.p.a"]}},
        "test.p.t2": {"resource_type": "test", "config": {}, "depends_on": {"nodes": ["seed.p.cfg_items"]}},
    }}
    project = tmp_path / "p"
    for folder in ("seeds", "macros", "target"):
        (project / folder).mkdir(parents=True)
    (project / "seeds/cfg_items.csv").write_text("item_code\nx\n", encoding="utf-8")
    (project / "profiles.yml").write_text("", encoding="utf-8")
    (project / "dbt_project.yml").write_text("name: p\n", encoding="utf-8")
    (project / "target/manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    floor = bench.floor_project(project, tmp_path / "floor", kind="plain")
    models = sorted(p.read_text(encoding="utf-8") for p in (floor / "models").glob("*.sql"))
    assert [m.splitlines()[0] for m in models] == ["{{ config(materialized='table') }}", "{{ config(materialized='view') }}"]
    assert len(list((floor / "tests/dbt").glob("*.sql"))) == 1  # the seed's own test comes with the seed YAML
    assert (floor / "seeds/cfg_items.csv").read_text(encoding="utf-8") == "item_code\nx\n"


def _probe_report(cpus: list[float]) -> dict:
    runs = [{"wall": c, "cpu": c, "load": 1.0} for c in cpus]
    return {"scales": {"1": {"timings": {bench.PROBE: {"runs": runs}}}}}


def test_speed_probe_says_when_the_host_drifted() -> None:
    steady = " ".join(bench.probe_lines(_probe_report([1.00, 1.04, 1.02])))
    drifted = " ".join(bench.probe_lines(_probe_report([1.00, 1.30, 1.10])))
    assert "held steady" in steady and "max/min 1.04" in steady
    assert "drifted" in drifted and "1.00 to 1.30" in drifted and "max/min 1.30" in drifted
    assert bench.probe_lines({"scales": {"1": {"timings": {}}}}) == []


def test_alternate_times_the_probe_first_in_every_round() -> None:
    order: list[str] = []
    timings = bench.alternate({"a": lambda: order.append("a"), "b": lambda: order.append("b")}, runs=2)
    assert list(timings) == [bench.PROBE, "a", "b"]
    assert order == ["a", "b", "a", "b"]
    assert len(timings[bench.PROBE]["runs"]) == 2 and timings[bench.PROBE]["cpu"] > 0


def test_the_sample_generators_timing_is_reported_not_asserted() -> None:
    runs = [{"wall": 3.0, "cpu": 2.5, "load": 1.0}, {"wall": 4.0, "cpu": 3.5, "load": 1.0}]
    measured = {"sample": {bench.PROBE: {"wall": 1.0, "cpu": 0.9, "runs": runs},
                           bench.SAMPLE: {"wall": 3.5, "cpu": 3.0, "runs": runs}}}
    text = "\n".join(bench.sample_lines(measured))
    assert "## Sample generator" in text and "median 3.50 s wall, 3.00 s CPU over 2 runs" in text
    assert bench.sample_lines({}) == []
