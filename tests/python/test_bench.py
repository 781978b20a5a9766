"""The benchmark's scale generator and its report (the timings themselves run in `make bench`)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import REPO
from jdx import bench


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
    measured = json.loads((REPO / "docs/benchmarks.json").read_text(encoding="utf-8"))
    assert bench.render(measured) == (REPO / "docs/benchmarks.md").read_text(encoding="utf-8")
