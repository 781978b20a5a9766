"""Shared fixtures: paths, the scratch warehouse built by `make dbt-test`, and a way to run dbt
on a throw-away copy of the project (for tests that break an input on purpose)."""
from __future__ import annotations

import contextlib
import csv
import fcntl
import functools
import io
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
    """Where _parsed_project puts its copy: pytest's temporary folder of this session, or, under pytest-xdist,
    the folder its workers' temporary folders share (one parsed copy for the whole run)."""
    global _parsed_copy_root
    base = tmp_path_factory.getbasetemp()
    _parsed_copy_root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@functools.cache
def _parsed_project() -> Path:
    """One copy of the project for the test run, parsed by dbt once (target/partial_parse.msgpack and
    target/manifest.json): made by the first test process that needs it, under a file lock that the other
    pytest-xdist worker waits on, then read by both.

    Every copy_project() is a copy of it, target/ included, so dbt in the copy parses only the files the
    test changed (dbt compares every file's checksum with the saved parse) instead of the whole project,
    5-10 s for each dbt command. It stays unchanged until the run ends: dbt reads a seed the test
    did not change from the copy the parse was made in (the seed's root_path), the same bytes."""
    root = _parsed_copy_root or Path(tempfile.mkdtemp(prefix="jdx-"))  # outside pytest: a folder of its own
    folder = root / "parsed-project"
    project = folder / "proj"
    with (root / "parsed-project.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (folder / "parsed").exists():  # else another worker made it
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(REPO, project, ignore=PROJECT_COPY_IGNORE)
            (project / "warehouse").mkdir(exist_ok=True)
            parsed = run_dbt(project, "parse")
            if parsed.returncode != 0 or not all((project / "target" / name).exists()
                                                 for name in ("partial_parse.msgpack", "manifest.json")):
                raise RuntimeError(f"dbt parse of the project copy {project} failed:\n"
                                   f"{parsed.stdout[-3000:]}{parsed.stderr[-3000:]}")
            (folder / "parsed").touch()
    return project


def copy_project(dest: Path) -> Path:
    """A copy of the dbt project (no venv, no build output) to break on purpose, with dbt's saved parse of
    the unchanged project in target/ (partial_parse.msgpack and manifest.json; see _parsed_project; the
    files are the repository's)."""
    shutil.copytree(_parsed_project(), dest)
    return dest


@contextlib.contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    """os.environ with these values for the block only: each name gets back its value from before, or is
    removed again if it had none (run_dbt and run_jdx run their commands in the test process)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_dbt(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`dbt ARGS` in a project copy, run in this test process through dbt's own programmatic entry point
    (dbtRunner: the command line's parsing, logging and result) instead of a `dbt` process per call, which
    spends about 1.6 s of CPU importing dbt each time (docs/benchmarking.md). As the command would: the
    working directory is the project (its profiles.yml and the relative COPY_WAREHOUSE), what dbt prints is
    captured, and the exit code is 0 on success, 1 when a node failed, 2 when dbt itself stopped. dbt-duckdb
    keeps its database handle in the process between commands: it is closed after each, so the test can
    open the file and the next command in another project copy opens its own."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner

    out, err = io.StringIO(), io.StringIO()
    # project / COPY_WAREHOUSE: dbt runs in the project
    with _environ({"JDX_DUCKDB_PATH": COPY_WAREHOUSE, "DO_NOT_TRACK": "1"}), contextlib.chdir(project):
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                result = dbtRunner().invoke(list(args))
        finally:
            with DuckDBConnectionManager._LOCK:
                if DuckDBConnectionManager._ENV is not None:
                    DuckDBConnectionManager._ENV.close()
                    DuckDBConnectionManager._ENV = None
    if result.exception is not None:
        print(f"dbt stopped: {result.exception!r}", file=err)
    code = 0 if result.success else 2 if result.exception is not None else 1
    return subprocess.CompletedProcess(["dbt", *args], code, out.getvalue(), err.getvalue())


def run_jdx(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m jdx ARGS` run in this test process, through the command's own main(): the same parsing,
    messages and exit codes (main() turns every error into a message and an exit code, a bug into exit 3)
    without starting an interpreter and importing the package for each of the ingest tests' runs. Its
    standard output and error are captured; `env` is set in os.environ for the run only (the ingest caps
    are read when it runs). A check that needs a process of its own (a resource limit, another copy of
    the project's package) runs `python -m jdx` in a subprocess instead."""
    from jdx.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    saved_field_limit = csv.field_size_limit()  # the ingest sets the csv module's cap for the process
    with _environ(env or {}):
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = main(list(args))
                except SystemExit as exc:  # argparse: a usage error (2) or --help (0)
                    code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        finally:
            csv.field_size_limit(saved_field_limit)
    return subprocess.CompletedProcess(["jdx", *args], code, out.getvalue(), err.getvalue())


# the raw answer files' header (data/answers/*.csv), as a fixture answer file writes it
RAW_ANSWER_HEADER = ("seed_row,edition_id,source_file,source_row,source_column,municipality_code,municipality_name,"
                     "question_group,question_id,raw_value")


def append_seed_row(path: Path, values: dict[str, str]) -> None:
    """Append a row to a seed CSV by column name (columns not given stay empty), as a person editing the
    seed would; a name the seed has no column for fails the test."""
    with path.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    unknown = set(values) - set(header)
    assert not unknown, f"{path.name} has no columns {unknown}"
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow([values.get(column, "") for column in header])


def append_crosswalk_row(project: Path, edition_id: str, question_id: str, item_code: str) -> None:
    """Map a fixture edition's question to an item in a project copy's cfg_item_crosswalk, as an ordinary
    MIC survey item: counted in domain means and tallies, no comparability break, not a proxy."""
    append_seed_row(project / "seeds/config/cfg_item_crosswalk.csv", {
        "edition_id": edition_id, "question_id": question_id, "item_code": item_code,
        "survey_program": "mic_dx_survey", "in_domain_mean": "true", "in_tallies": "true",
        "comparability_break": "false", "is_proxy_for_report": "false",
    })


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
