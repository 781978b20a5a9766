"""Shared fixtures: paths, the scratch warehouse built by `make dbt-test`, and a way to run dbt
on a throw-away copy of the project (for tests that break an input on purpose)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
RAW = REPO.parent / "shared" / "data" / "raw"
REFERENCE = REPO.parent / "shared" / "reference" / "jri-2024-032"
DBT = Path(sys.executable).parent / "dbt"

sys.path.insert(0, str(REPO / "scripts"))

# the warehouse the tests read: the scratch one `make test` built (JDX_DUCKDB_PATH), else the published one
WAREHOUSE_PATH = Path(os.environ.get("JDX_DUCKDB_PATH", REPO / "warehouse" / "jichitai_dx.duckdb"))

# build outputs and caches; Evidence's node_modules and caches under reports/ are 1 GB and 65,000 files that
# no dbt build reads (copying them made every project copy, and pytest's clean-up of its tmp folders, minutes long)
COPY_IGNORE = shutil.ignore_patterns(".venv", "target", "build", "logs", "warehouse", ".git", "__pycache__", ".pytest_cache",
                                     ".mypy_cache", ".ruff_cache", "node_modules", ".evidence", ".warehouse")


@pytest.fixture(scope="session")
def warehouse() -> duckdb.DuckDBPyConnection:
    """Read-only connection to the database `make dbt-test` built (JDX_DUCKDB_PATH)."""
    if not WAREHOUSE_PATH.exists():
        pytest.fail(f"no warehouse at {WAREHOUSE_PATH}: run `make test` (it builds one first)")
    con = duckdb.connect(str(WAREHOUSE_PATH), read_only=True)
    yield con
    con.close()


def copy_project(dest: Path) -> Path:
    """A copy of the dbt project (no venv, no build output) to break on purpose."""
    shutil.copytree(REPO, dest, ignore=COPY_IGNORE)
    (dest / "warehouse").mkdir(exist_ok=True)
    return dest


def run_dbt(project: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["JDX_DUCKDB_PATH"] = str(project / "warehouse" / "jichitai_dx.duckdb")
    env["DO_NOT_TRACK"] = "1"
    return subprocess.run(
        [str(DBT), *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def drop_user_answer_files(project: Path) -> list[str]:
    """Remove from a project copy every file under data/answers/ that the repository does not
    track (a user's own answer files), keeping the generated sample (data/answers/sample/raw_sample__*).
    Returns the removed paths. Without git metadata nothing is removed."""
    listed = subprocess.run(["git", "ls-files", "data/answers"], cwd=REPO, capture_output=True, text=True)
    if listed.returncode != 0:
        return []
    tracked = set(listed.stdout.split())
    removed = []
    for path in sorted((project / "data/answers").rglob("*")):
        relative = path.relative_to(project).as_posix()
        if path.is_file() and relative not in tracked and not relative.startswith("data/answers/sample/raw_sample__"):
            path.unlink()
            removed.append(relative)
    return removed


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The site's browser checks that read one page run one after the other (report/site_browser.py)."""
    if not any(item.get_closest_marker("visits") for item in items):
        return
    from site_browser import order_by_page  # tests/python/report: on the path once its modules are collected

    order_by_page(items)
