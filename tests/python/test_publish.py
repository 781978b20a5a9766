"""Safe publishing (jdx.publish): readers, failed and killed builds, two publishers at once, a
killed publisher, a read-write holder with uncommitted changes, a stale WAL, a bad build, another
file system, a full disk. Each leaves a published warehouse that is whole: every expected table and
the expected row counts (dim_municipalities 1,741; fct_survey_answers 1,741 x 33 items for 2021
and 1,741 x 38 for 2023 = 123,611 rows, the shape of the real marts).

The dbt build is stubbed by a small Python script (FAKE_BUILD) that writes the two tables the
publish check reads into JDX_DUCKDB_PATH, exactly where dbt would; publish itself (lock, staging,
checkpoint, check, WAL handling, rename) runs for real. The real dbt build is published in
test_ingest_roundtrip.py."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from conftest import REPO
from jdx.publish import PublishError, lock_path, publish, read_write_holder, wal_path

N_BODIES = 1741
ITEMS = {2021: 33, 2023: 38}
N_FACTS = N_BODIES * sum(ITEMS.values())  # 123,611

FAKE_BUILD = """
import duckdb, os, sys, time
marker, delay, n_bodies = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
if len(sys.argv) > 4:
    open(sys.argv[4], "w").write(str(os.getpid()))
time.sleep(delay)
c = duckdb.connect(os.environ["JDX_DUCKDB_PATH"])
c.execute(f"create table t as select {marker} as v")
c.execute(f"create table dim_municipalities as select lpad(range::varchar, 6, '0') as municipality_code from range({n_bodies})")
c.execute(\"\"\"create table fct_survey_answers as
    select municipality_code, 2021 as fiscal_year, 'item_' || i.range as item_code from dim_municipalities, range(33) i
    union all
    select municipality_code, 2023, 'item_' || i.range from dim_municipalities, range(38) i\"\"\")
c.close()
"""


def fake_build(marker: int, delay: float = 0.0, n_bodies: int = N_BODIES, pid_file: Path | None = None) -> list[str]:
    return [sys.executable, "-c", FAKE_BUILD, str(marker), str(delay), str(n_bodies), *([str(pid_file)] if pid_file else [])]


def make_warehouse(tmp: Path) -> Path:
    path = tmp / "warehouse" / "jichitai_dx.duckdb"
    assert publish(REPO, path, fake_build(1)) == 0
    return path


def assert_whole(warehouse: Path, marker: int) -> None:
    """Every expected table, the expected row counts, the expected version."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.sql("select v from t").fetchone()[0] == marker
        assert con.sql("select count(*) from dim_municipalities").fetchone()[0] == N_BODIES
        per_year = dict(con.sql("select fiscal_year, count(*) from fct_survey_answers group by 1").fetchall())
        assert per_year == {y: N_BODIES * n for y, n in ITEMS.items()}
    finally:
        con.close()
    assert not wal_path(warehouse).exists()
    assert not list(warehouse.parent.glob(".jdx-staging-*")), "a staging folder was left behind"


def publisher(warehouse: Path, build: list[str]) -> subprocess.Popen[str]:
    code = ("import sys; from pathlib import Path; from jdx.publish import publish; "
            f"sys.exit(publish(Path({str(REPO)!r}), Path({str(warehouse)!r}), {build!r}))")
    env = dict(os.environ, PYTHONPATH=str(REPO / "scripts"))
    return subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def cli_publish(warehouse: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO / "scripts"))
    return subprocess.run([sys.executable, "-m", "jdx", "publish", "--warehouse", str(warehouse), *extra],
                          env=env, capture_output=True, text=True, timeout=120)


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def test_reader_keeps_its_version_while_the_build_publishes(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    reader_code = ("import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); print(c.sql('select v from t').fetchone()[0], flush=True); "
                   "sys.stdin.readline(); print(c.sql('select v from t').fetchone()[0], flush=True)")
    reader = subprocess.Popen([sys.executable, "-c", reader_code, str(warehouse)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "1"  # the BI tool has the file open (read-only)
    assert publish(REPO, warehouse, fake_build(2)) == 0
    out, _ = reader.communicate("\n", timeout=30)
    assert out.strip() == "1"  # still the version it opened, never a half-built one
    assert_whole(warehouse, 2)  # a new connection sees the new warehouse


def test_build_killed_half_way_leaves_the_warehouse_whole(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    before = warehouse.read_bytes()
    killed = ("import duckdb, os, signal; c = duckdb.connect(os.environ['JDX_DUCKDB_PATH']); "
              "c.execute('create table t as select 3 as v from range(100000)'); os.kill(os.getpid(), signal.SIGKILL)")
    assert publish(REPO, warehouse, [sys.executable, "-c", killed]) != 0
    assert warehouse.read_bytes() == before
    assert_whole(warehouse, 1)


def test_failed_build_leaves_the_warehouse_whole(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    before = warehouse.read_bytes()
    assert publish(REPO, warehouse, [sys.executable, "-c", "raise SystemExit(1)"]) == 1
    assert warehouse.read_bytes() == before
    assert_whole(warehouse, 1)


def test_two_publishers_at_once_the_second_is_refused_with_the_lock_message(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    first = publisher(warehouse, fake_build(2, delay=3))
    wait_for(lambda: "pid" in lock_path(warehouse).read_text(encoding="utf-8") and
             any(warehouse.parent.glob(".jdx-staging-*")))
    second = cli_publish(warehouse)  # the real command, as a second `make build` runs it
    assert second.returncode == 2, second.stderr
    assert "another publish is running" in second.stderr
    assert f"pid {first.pid}" in second.stderr and "since 20" in second.stderr
    assert "Traceback" not in second.stderr
    assert_whole_while_building = duckdb.connect(str(warehouse), read_only=True)
    assert assert_whole_while_building.sql("select v from t").fetchone()[0] == 1  # untouched so far
    assert_whole_while_building.close()
    _, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert_whole(warehouse, 2)


def test_publisher_killed_mid_build_leaves_the_warehouse_whole_and_the_lock_free(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    before = warehouse.read_bytes()
    pid_file = tmp_path / "build.pid"
    victim = publisher(warehouse, fake_build(2, delay=30, pid_file=pid_file))
    wait_for(lambda: pid_file.exists() and pid_file.read_text() != "")
    build_pid = int(pid_file.read_text())
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)

    def build_gone() -> bool:
        try:
            os.kill(build_pid, 0)
        except ProcessLookupError:
            return True
        with open(f"/proc/{build_pid}/stat") as fh:  # a zombie waiting for its reaper is gone too
            return fh.read().split(")")[-1].split()[0] == "Z"

    wait_for(build_gone, timeout=10)  # the build dies with its publisher (PR_SET_PDEATHSIG), no orphan writes on
    assert warehouse.read_bytes() == before
    assert any(warehouse.parent.glob(".jdx-staging-*"))  # SIGKILL leaves the staging folder ...
    assert publish(REPO, warehouse, fake_build(3)) == 0  # ... the lock died with its holder; the next run cleans up
    assert_whole(warehouse, 3)


HOLDER = """
import duckdb, sys
c = duckdb.connect(sys.argv[1])  # read-write, as a BI tool opened without read_only
c.execute("set checkpoint_threshold = '10GB'")
c.execute("begin")
c.execute("delete from fct_survey_answers where fiscal_year = 2021")
c.execute("create table junk as select 1 as x")
print("holding", flush=True)
sys.stdin.readline()
"""


def test_read_write_holder_with_uncommitted_changes_refuses_the_publish(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(warehouse)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    assert read_write_holder(warehouse) == holder.pid
    result = cli_publish(warehouse)  # the real command: refused before it builds anything
    assert result.returncode == 2
    assert f"is open read-write by process {holder.pid}" in result.stderr and "read-only" in result.stderr
    assert "Traceback" not in result.stderr
    assert "building into" not in result.stderr, result.stderr  # no dbt build was started
    holder.kill()  # the BI tool dies with its transaction open
    holder.wait(timeout=10)
    assert_whole(warehouse, 1)  # nothing of the uncommitted transaction reached the published file
    assert publish(REPO, warehouse, fake_build(2)) == 0  # once the holder is gone, the publish goes through
    assert_whole(warehouse, 2)


def test_read_write_holder_that_opens_during_the_build_refuses_the_swap(tmp_path: Path) -> None:
    """The holder is not there when the publish starts (the check before the build passes) and opens
    the file while the build runs: the check before the rename refuses the swap."""
    warehouse = make_warehouse(tmp_path)
    started, go = tmp_path / "build.started", tmp_path / "build.go"
    wait_for_go = (f"import pathlib, time\npathlib.Path({str(started)!r}).touch()\n"
                   f"while not pathlib.Path({str(go)!r}).exists():\n    time.sleep(0.05)\n")
    outcome: dict[str, object] = {}

    def run_publish() -> None:
        try:
            outcome["rc"] = publish(REPO, warehouse, [sys.executable, "-c", wait_for_go + FAKE_BUILD, "2", "0", str(N_BODIES)])
        except PublishError as exc:
            outcome["error"] = str(exc)

    thread = threading.Thread(target=run_publish)
    thread.start()
    holder = None
    try:
        wait_for(started.exists)  # the publish is past its first check, building
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(warehouse)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True)
        assert holder.stdout.readline().strip() == "holding"
    finally:
        go.touch()
        thread.join(timeout=120)
    assert not thread.is_alive()
    assert "rc" not in outcome, outcome
    assert f"is open read-write by process {holder.pid}" in str(outcome["error"]) and "is unchanged" in str(outcome["error"])
    holder.kill()
    holder.wait(timeout=10)
    assert_whole(warehouse, 1)  # the published file is the one from before the publish
    assert not list(warehouse.parent.glob("jichitai_dx.duckdb.wal*")), "the holder's uncommitted changes reached a WAL"


STALE_WAL = """
import duckdb, os, signal, sys
c = duckdb.connect(sys.argv[1])
c.execute("set checkpoint_threshold = '10GB'")
c.execute("delete from fct_survey_answers where fiscal_year = 2021")  # committed, only in the WAL
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_stale_wal_of_a_dead_read_write_holder_cannot_alter_the_new_warehouse(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    subprocess.run([sys.executable, "-c", STALE_WAL, str(warehouse)])
    assert wal_path(warehouse).exists()  # the crash leftover the old publish replayed into the new file
    assert publish(REPO, warehouse, fake_build(2)) == 0
    aside = list(warehouse.parent.glob("jichitai_dx.duckdb.wal.stale-*"))
    assert len(aside) == 1  # kept, not deleted: someone may want what it holds
    con = duckdb.connect(str(warehouse))  # read-write, so DuckDB would replay a WAL if one were there
    con.close()
    assert_whole(warehouse, 2)  # all 123,611 fact rows, not the 2023 rows only


def test_build_that_fails_its_check_is_not_published(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    before = warehouse.read_bytes()
    with pytest.raises(PublishError, match=r"dim_municipalities has 1,700 rows, expected 1,741.*is unchanged"):
        publish(REPO, warehouse, fake_build(2, n_bodies=1700))
    assert warehouse.read_bytes() == before
    assert_whole(warehouse, 1)


def test_build_without_the_marts_is_not_published(tmp_path: Path) -> None:
    """The old defect: a build whose staging file vanished published a warehouse with no tables."""
    warehouse = make_warehouse(tmp_path)
    empty = "import duckdb, os; duckdb.connect(os.environ['JDX_DUCKDB_PATH']).close()"
    with pytest.raises(PublishError, match="table main.dim_municipalities is missing"):
        publish(REPO, warehouse, [sys.executable, "-c", empty])
    with pytest.raises(PublishError, match="wrote no .*jichitai_dx.duckdb; .* is unchanged"):
        publish(REPO, warehouse, [sys.executable, "-c", "pass"])
    assert_whole(warehouse, 1)


def test_staging_on_another_file_system_is_refused_before_building(tmp_path: Path) -> None:
    other = Path("/dev/shm")
    if not other.is_dir() or os.stat(other).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("no second file system here")
    warehouse = make_warehouse(tmp_path)
    result = cli_publish(warehouse, "--staging-root", str(other / f"jdx-test-{os.getpid()}"))
    assert result.returncode == 2
    assert "on another file system" in result.stderr and "EXDEV" in result.stderr
    assert "Traceback" not in result.stderr
    assert_whole(warehouse, 1)


def test_full_disk_during_the_build_leaves_nothing_behind(tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes every write past 2 MB fail, as a full disk does (EFBIG instead of ENOSPC)."""
    warehouse = make_warehouse(tmp_path)
    before = warehouse.read_bytes()
    big = ("import resource, duckdb, os; resource.setrlimit(resource.RLIMIT_FSIZE, (2_000_000, 2_000_000)); "
           "c = duckdb.connect(os.environ['JDX_DUCKDB_PATH']); "
           "c.execute('create table t as select range as v, md5(range::varchar) || md5((range + 1)::varchar) as pad from range(500000)'); c.execute('checkpoint')")
    assert publish(REPO, warehouse, [sys.executable, "-c", big]) != 0
    assert warehouse.read_bytes() == before
    assert_whole(warehouse, 1)
    assert sorted(p.name for p in warehouse.parent.iterdir()) == ["jichitai_dx.duckdb", "jichitai_dx.duckdb.publish.lock"]
