"""jdx build-stamp: `make test` reuses the last `make build` only when nothing it read or wrote has changed."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from jdx import build_stamp
from jdx.__main__ import main


@pytest.fixture()
def built(tmp_path: Path) -> dict[str, Path]:
    repo = tmp_path / "repo"
    (repo / "models").mkdir(parents=True)
    (repo / "models" / "m.sql").write_text("select 1 as x\n", encoding="utf-8")
    (repo / "data" / "answers" / "sample").mkdir(parents=True)
    (repo / "data" / "answers" / "sample" / "a.csv").write_text("code,value\n011002,1\n", encoding="utf-8")
    (repo / "warehouse").mkdir()
    warehouse = repo / "warehouse" / "jichitai_dx.duckdb"
    warehouse.write_bytes(b"duckdb bytes")
    site = repo / "build" / "site"
    (site / "municipalities" / "011002").mkdir(parents=True)
    (site / "index.html").write_text("<html>top</html>", encoding="utf-8")
    (site / "municipalities" / "011002" / "index.html").write_text("<html>札幌市</html>", encoding="utf-8")
    stamp = repo / "build" / "build-stamp.json"
    build_stamp.begin(repo, stamp)
    assert build_stamp.write(repo, warehouse, site, stamp) is not None
    return {"repo": repo, "warehouse": warehouse, "site": site, "stamp": stamp}


def verdict(b: dict[str, Path]) -> build_stamp.Verdict:
    return build_stamp.check(b["repo"], b["warehouse"], b["site"], b["stamp"])


def test_unchanged_build_is_reused_and_outputs_are_not_inputs(built: dict[str, Path]) -> None:
    for output in ("target/manifest.json", "logs/dbt.log", "reports/.evidence/x.json", "models/__pycache__/a.pyc",
                   "reports/sources/warehouse/municipality_page/municipality_page_01.sql"):
        path = built["repo"] / output
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("written by a tool", encoding="utf-8")
    result = verdict(built)
    assert result.reusable, result.reason


@pytest.mark.parametrize("change", ["edit_model", "add_answer_file", "remove_sample", "edit_warehouse",
                                    "edit_page", "add_page", "no_stamp", "no_site"])
def test_any_change_means_build_again(built: dict[str, Path], change: str) -> None:
    repo, site = built["repo"], built["site"]
    if change == "edit_model":
        (repo / "models" / "m.sql").write_text("select 2 as x\n", encoding="utf-8")
    elif change == "add_answer_file":
        (repo / "data" / "answers" / "raw_user__fy2025.csv").write_text("code\n", encoding="utf-8")
    elif change == "remove_sample":
        (repo / "data" / "answers" / "sample" / "a.csv").unlink()
    elif change == "edit_warehouse":
        built["warehouse"].write_bytes(b"duckdb bytez")
    elif change == "edit_page":
        page = site / "index.html"
        page.write_text("<html>top!</html>", encoding="utf-8")
        os.utime(page, ns=(1, 1))
    elif change == "add_page":
        (site / "extra.html").write_text("x", encoding="utf-8")
    elif change == "no_stamp":
        built["stamp"].unlink()
    elif change == "no_site":
        for path in sorted(site.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
    result = verdict(built)
    assert not result.reusable
    assert result.reason


def test_command_exits_0_to_reuse_and_1_to_build_again(built: dict[str, Path], capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("jdx.__main__.REPO", built["repo"])
    args = ["build-stamp", "check", "--warehouse", str(built["warehouse"]), "--site", str(built["site"]),
            "--stamp", str(built["stamp"])]
    assert main(args) == 0
    assert "build-stamp: reuse:" in capsys.readouterr().out
    (built["repo"] / "models" / "m.sql").write_text("select 3 as x\n", encoding="utf-8")
    assert main(args) == 1
    assert "build-stamp: build again: an input file" in capsys.readouterr().out


def test_an_input_edited_while_the_build_ran_leaves_no_stamp(built: dict[str, Path]) -> None:
    repo = built["repo"]
    build_stamp.begin(repo, built["stamp"])
    assert not built["stamp"].exists()  # begin removes the stamp of the earlier build
    (repo / "models" / "m.sql").write_text("select 4 as x\n", encoding="utf-8")  # edited mid-build
    assert build_stamp.write(repo, built["warehouse"], built["site"], built["stamp"]) is None
    assert not built["stamp"].exists()
    assert not verdict(built).reusable
    # and a write without a begin stamps nothing either
    assert build_stamp.write(repo, built["warehouse"], built["site"], built["stamp"]) is None


def test_the_sources_the_site_build_writes_are_outputs() -> None:
    """The site build writes the municipality page's sources into reports/ (jdx.report.evidence_site): were
    they an input, the build that wrote them would change its own inputs and never stamp."""
    from jdx.report import evidence_site

    assert evidence_site.PAGE_SOURCES.relative_to(evidence_site.REPO).as_posix() in build_stamp.OUTPUT_PATHS
