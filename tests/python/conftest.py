"""Shared fixtures: paths, the scratch warehouse built by `make dbt-test`, and a way to run dbt
on a throw-away copy of the project (for tests that break an input on purpose)."""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
RAW = REPO.parent / "shared" / "data" / "raw"
REFERENCE = REPO.parent / "shared" / "reference" / "jri-2024-032"
DBT = Path(sys.executable).parent / "dbt"

sys.path.insert(0, str(REPO / "scripts"))

from jdx.bench.benchmark import PROJECT_COPY_IGNORE  # noqa: E402  (the package is on the path from here)

# the warehouse the tests read: the scratch one `make test` built (JDX_DUCKDB_PATH), else the published one
WAREHOUSE_PATH = Path(os.environ.get("JDX_DUCKDB_PATH", REPO / "warehouse" / "jichitai_dx.duckdb"))


@pytest.fixture(scope="session")
def warehouse() -> duckdb.DuckDBPyConnection:
    """Read-only connection to the database `make dbt-test` built (JDX_DUCKDB_PATH)."""
    if not WAREHOUSE_PATH.exists():
        pytest.fail(f"no warehouse at {WAREHOUSE_PATH}: run `make test` (it builds one first)")
    con = duckdb.connect(str(WAREHOUSE_PATH), read_only=True)
    yield con
    con.close()


# every project copy's dbt writes its warehouse here, relative to the copy (run_dbt's working directory): one
# profile for every copy, so a copy can reuse the dbt parse of another (dbt's partial parsing refuses a saved
# parse made with another profile, and the database path is part of the profile)
COPY_WAREHOUSE = "warehouse/jichitai_dx.duckdb"

_parsed_copy_root: Path | None = None


@pytest.fixture(scope="session", autouse=True)
def _parsed_project_root(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Where _parsed_project puts its copy: pytest's temporary folder of this session (and process)."""
    global _parsed_copy_root
    _parsed_copy_root = tmp_path_factory.getbasetemp()


@functools.cache
def _parsed_project() -> Path:
    """One copy of the project per test process, parsed by dbt once (target/partial_parse.msgpack).

    Every copy_project() is a copy of it, target/ included, so dbt in the copy parses only the files the
    test changed (dbt compares every file's checksum with the saved parse) instead of the whole project,
    5-10 s for each dbt command. It stays unchanged until the process ends: dbt reads a seed the test
    did not change from the copy the parse was made in (the seed's root_path), the same bytes."""
    root = _parsed_copy_root or Path(tempfile.mkdtemp(prefix="jdx-"))  # outside pytest: a folder of its own
    project = Path(tempfile.mkdtemp(prefix="parsed-project-", dir=root)) / "proj"
    shutil.copytree(REPO, project, ignore=PROJECT_COPY_IGNORE)
    (project / "warehouse").mkdir(exist_ok=True)
    parsed = run_dbt(project, "parse")
    if parsed.returncode != 0 or not all((project / "target" / name).exists() for name in ("partial_parse.msgpack", "manifest.json")):
        raise RuntimeError(f"dbt parse of the project copy {project} failed:\n{parsed.stdout[-3000:]}{parsed.stderr[-3000:]}")
    return project


def copy_project(dest: Path) -> Path:
    """A copy of the dbt project (no venv, no build output) to break on purpose, with dbt's saved parse of
    the unchanged project in target/ (partial_parse.msgpack and manifest.json; see _parsed_project; the
    files are the repository's)."""
    shutil.copytree(_parsed_project(), dest)
    return dest


def run_dbt(project: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["JDX_DUCKDB_PATH"] = COPY_WAREHOUSE  # project / COPY_WAREHOUSE: dbt runs in the project
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


# the group of pytest-xdist workers (make pytest: -n 2 --dist loadgroup) that runs every check reading the site's
# settled pages (the `pages` fixture), whichever module it is in
SITE_BROWSER_GROUP = "site-browser"


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Which worker runs what, in which order: the checks of one file run on one worker (their module
    fixtures, such as a dbt build of a broken project copy, are made once), except the site's browser
    checks: every check that takes `pages` runs on one worker, in one browser, so that each page is
    loaded once per width for both modules that read it; and the checks that read the same page run one
    after the other (report/site_browser.py)."""
    def file_of(item: pytest.Item) -> str:
        return item.nodeid.split("::")[0]

    def reads_pages(item: pytest.Item) -> bool:
        return "pages" in getattr(item, "fixturenames", ())

    for item in items:
        item.add_marker(pytest.mark.xdist_group(SITE_BROWSER_GROUP if reads_pages(item) else file_of(item)))
    # the longest work first (make pytest passes --no-loadscope-reorder, so the workers take the groups in this
    # order): the browser checks, then the files with a slow test (each builds a warehouse of its own), then the
    # many short files, which fill in while the other worker ends its long one
    slow_files = {file_of(item) for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: 0 if reads_pages(item) else 1 if file_of(item) in slow_files else 2)
    if not any(item.get_closest_marker("visits") for item in items):
        return
    from site_browser import order_by_page  # tests/python/report: on the path once its modules are collected

    order_by_page(items)


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """A local static host of the site the browser checks read (report/site_browser.py)."""
    from site_browser import serve_site

    yield from serve_site()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium through Playwright, shared by every browser check of the session: its one
    browser context, with a profile (and so a disk cache) of its own (report/site_browser.py)."""
    from site_browser import launch_chromium

    yield from launch_chromium()


@pytest.fixture(scope="session")
def pages(browser, server: str) -> Iterator[object]:
    """The site's pages, each loaded and settled once per width for every check that reads it."""
    from site_browser import SitePages

    site_pages = SitePages(browser, server)
    yield site_pages
    site_pages.close()
