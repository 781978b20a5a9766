"""The sample generator (its timing is reported by `make bench`, never asserted here): deterministic to the byte, every calibration target met, and its
report and manifest in docs/generated/ are what it writes now."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO
from jdx.sample import calibration, generate
from jdx.sample.universe import load_published, load_universe


@pytest.fixture(scope="module")
def sample() -> generate.Sample:
    """One generation shared by the tests that read it (about 20 s each)."""
    return generate.generate(REPO)


@pytest.mark.slow(reason="shares a module fixture that generates the whole sample (every body, item and year), about 20 s")
def test_regenerating_twice_gives_byte_identical_seeds_matching_the_manifest(sample: generate.Sample, tmp_path: Path) -> None:
    """The first generation is the one `make sample` wrote into data/answers/sample/ (another process,
    before the tests: `make test` runs it); the second, this session's, written to a folder of its own."""
    generate.write_seeds(REPO, sample, tmp_path / "a")
    manifest_a = generate.manifest(tmp_path / "a")
    assert manifest_a == generate.manifest(REPO / generate.SAMPLE_DIR), (
        f"the seeds in {generate.SAMPLE_DIR} differ from a new generation: run make sample (make test does)")
    assert manifest_a == (REPO / "docs" / "generated" / "sample_manifest.sha256").read_text(encoding="utf-8")
    assert len(manifest_a.splitlines()) == len(list((tmp_path / "a").glob("raw_sample__*.csv"))) >= 8


@pytest.mark.slow(reason="shares a module fixture that generates the whole sample (every body, item and year), about 20 s")
def test_every_calibration_target_is_met_and_the_report_is_current(sample: generate.Sample) -> None:
    universe = load_universe(REPO)
    checks = calibration.checks(sample, universe, load_published(REPO, universe))
    failed = [c for c in checks if not c.passed]
    assert not failed, failed
    assert len(checks) > 150
    committed = (REPO / "docs" / "generated" / "calibration.md").read_text(encoding="utf-8")
    assert committed == calibration.report_markdown(checks, sample.misses), "docs/generated/calibration.md is stale: run make sample"


@pytest.mark.slow(reason="shares a module fixture that generates the whole sample (every body, item and year), about 20 s")
def test_official_cells_are_not_generated(sample: generate.Sample) -> None:
    universe = load_universe(REPO)
    from jdx.sample.universe import load_official_flags

    official = load_official_flags(REPO, universe)
    for (domain, year), mask in sample.official_mask.items():
        matrix = sample.flags[(domain, year)]
        for j, item in enumerate(sample.flag_items[domain]):
            if year == 2023 and item in official:
                answered = official[item] >= 0
                assert (mask[:, j] == answered).all()
                assert (matrix[answered, j] == official[item][answered]).all(), item


def test_size_classes_match_the_warehouse(warehouse) -> None:
    from jdx.sample.universe import size_classes

    ours = size_classes(REPO)
    rows = dict(warehouse.sql("select municipality_code, size_class from dim_municipalities").fetchall())
    assert ours == rows
