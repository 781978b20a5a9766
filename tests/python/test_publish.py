"""Safe publishing: a reader holding the warehouse open read-only during a build, and a build
killed half-way, both leave the previous warehouse readable and whole."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from conftest import REPO
from jdx.publish import publish

WRITE = "import duckdb, os; c = duckdb.connect(os.environ['JDX_DUCKDB_PATH']); c.execute('create table t as select {v} as v'); c.close()"
KILLED = ("import duckdb, os, signal; c = duckdb.connect(os.environ['JDX_DUCKDB_PATH']); "
          "c.execute('create table t as select 3 as v from range(100000)'); os.kill(os.getpid(), signal.SIGKILL)")
READER = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); print(c.sql('select v from t').fetchone()[0], flush=True); "
          "sys.stdin.readline(); print(c.sql('select v from t').fetchone()[0], flush=True)")


def _warehouse(tmp: Path) -> Path:
    path = tmp / "warehouse" / "jichitai_dx.duckdb"
    path.parent.mkdir()
    con = duckdb.connect(str(path))
    con.execute("create table t as select 1 as v")
    con.close()
    return path


def test_reader_keeps_its_version_while_the_build_publishes(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(warehouse)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "1"  # the BI tool has the file open
    rc = publish(REPO, warehouse, [sys.executable, "-c", WRITE.format(v=2)], tmp_path / "staging")
    assert rc == 0
    out, _ = reader.communicate("\n", timeout=30)
    assert out.strip() == "1"  # still the version it opened, never a half-built one
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.sql("select v from t").fetchone()[0] == 2  # a new connection sees the new warehouse
    con.close()


def test_build_killed_half_way_leaves_the_warehouse_whole(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path)
    before = warehouse.read_bytes()
    rc = publish(REPO, warehouse, [sys.executable, "-c", KILLED], tmp_path / "staging")
    assert rc != 0
    assert warehouse.read_bytes() == before
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.sql("select v from t").fetchone()[0] == 1
    con.close()


def test_failed_build_leaves_the_warehouse_whole(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path)
    before = warehouse.read_bytes()
    assert publish(REPO, warehouse, [sys.executable, "-c", "raise SystemExit(1)"], tmp_path / "staging") == 1
    assert warehouse.read_bytes() == before
