"""Safe publishing of the warehouse: one publisher at a time, a private staging folder per build,
a check of the built file, then one atomic rename over warehouse/jichitai_dx.duckdb.

- **One publisher at a time**: an OS lock (fcntl.flock) on `<warehouse>.publish.lock` beside the
  warehouse. A second publisher stops at once with exit 2 and says who holds the lock since when.
  The kernel drops the lock when its holder dies (even by SIGKILL), so there is nothing to clean.
- **A private staging folder per build**: a fresh `.jdx-staging-<name>-XXXXXXXX/` folder beside the
  warehouse (the same file system, so the rename is atomic). The staged file keeps the name
  jichitai_dx.duckdb because dbt-duckdb views bind to the database name (the file's stem).
  Staging folders left by a killed publisher are removed by the next lock holder.
- **A check of the built file** before the rename: the build exited 0; the file checkpoints
  cleanly (no WAL left); every model and seed of the dbt manifest is a relation in the file;
  dim_municipalities has one row per body of the MIC code list; fct_survey_answers has
  bodies x items rows for every fiscal year (items counted from the file itself).
- **Nothing can alter the published file afterwards**: DuckDB replays `<file>.wal` into whatever
  file carries the name next. A live read-write holder of the published file (a BI tool opened
  without read_only) can write that WAL at any time, so the publish is refused while one holds it
  (the message names its PID): before the build (no build is wasted on a refused publish) and
  again before the rename (a holder may open the file while the build runs). A WAL with no live
  holder is a crash leftover: it is moved aside to `<file>.wal.stale-<UTC time>` before the rename.
A build that fails, is killed, or is refused leaves the published warehouse exactly as it was.
"""
from __future__ import annotations

import csv
import ctypes
import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import duckdb

from .csv_files import progress

STAGING_PREFIX = ".jdx-staging-"


class PublishError(RuntimeError):
    """The warehouse was not published; the message says why and what to do."""


@dataclass(frozen=True)
class Check:
    """What a built warehouse must hold before it replaces the published one."""

    n_municipalities: int
    relations: tuple[tuple[str, str], ...] = ()  # (schema, name) from the dbt manifest


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".publish.lock")


def wal_path(db: Path) -> Path:
    return db.with_name(db.name + ".wal")


def acquire_lock(warehouse: Path) -> IO[str]:
    """Hold the publish lock (returned file; closing it releases the lock) or raise PublishError."""
    path = lock_path(warehouse)
    fh = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        holder = fh.read().strip() or "another process (no details written yet)"
        fh.close()
        raise PublishError(f"another publish is running: {path} is locked by {holder}. "
                           f"Wait for it to finish; {warehouse} is unchanged") from None
    fh.seek(0)
    fh.truncate()
    fh.write(f"pid {os.getpid()} on {socket.gethostname()} since "
             f"{dt.datetime.now(dt.UTC).isoformat(timespec='seconds')} ({' '.join(sys.argv[:3])})\n")
    fh.flush()
    return fh


def read_write_holder(db: Path) -> int | None:
    """PID of a process holding `db` open read-write (DuckDB takes a POSIX write lock), or None.

    Returns -1 when a holder exists but the kernel did not say which process."""
    if not db.exists():
        return None
    fd = os.open(db, os.O_RDONLY)
    try:
        request = struct.pack("hhqqi4x", fcntl.F_RDLCK, os.SEEK_SET, 0, 0, 0)
        try:
            answer = fcntl.fcntl(fd, fcntl.F_GETLK, request)
        except OSError:
            try:
                fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                return -1
            return None
        l_type, _, _, _, l_pid = struct.unpack("hhqqi4x", answer)
        return None if l_type == fcntl.F_UNLCK else l_pid
    finally:
        os.close(fd)  # also drops any lock taken above


def refuse_a_read_write_holder(warehouse: Path) -> None:
    """Raise PublishError when a process holds the published file read-write (see the module's docstring)."""
    holder = read_write_holder(warehouse)
    if holder is not None:
        who = "a process" if holder < 0 else f"process {holder}"
        raise PublishError(f"{warehouse} is open read-write by {who}: its write-ahead log would be replayed into the "
                           "new file. Close it or reopen it read-only (duckdb.connect(path, read_only=True), "
                           f"or the BI tool's read-only option), then publish again; {warehouse} is unchanged")


def manifest_relations(manifest: Path) -> tuple[tuple[str, str], ...]:
    """(schema, name) of every enabled model and seed the dbt manifest materialises."""
    data = json.loads(manifest.read_text(encoding="utf-8"))
    out = set()
    for node in data.get("nodes", {}).values():
        if node.get("resource_type") not in ("model", "seed"):
            continue
        config = node.get("config", {})
        if not config.get("enabled", True) or config.get("materialized") == "ephemeral":
            continue
        out.add((node["schema"], node.get("alias") or node["name"]))
    return tuple(sorted(out))


def default_check(repo: Path, manifest: Path | None) -> Check:
    with (repo / "seeds" / "reference" / "ref_mic_municipalities.csv").open(encoding="utf-8", newline="") as fh:
        n = sum(1 for _ in csv.DictReader(fh))
    relations = manifest_relations(manifest) if manifest is not None and manifest.exists() else ()
    return Check(n_municipalities=n, relations=relations)


def check_built(con: duckdb.DuckDBPyConnection, check: Check) -> list[str]:
    """Problems with a built warehouse (empty list: fit to publish). Counts are read from the file."""
    present = {(s, t) for s, t in con.sql(
        "select table_schema, table_name from information_schema.tables where table_catalog = current_database()").fetchall()}
    problems = [f"relation {s}.{t} is missing" for s, t in check.relations if (s, t) not in present]
    for name in ("dim_municipalities", "fct_survey_answers"):
        if ("main", name) not in present:
            problems.append(f"table main.{name} is missing")
    if problems:
        return problems
    n_dim = con.sql("select count(*) from main.dim_municipalities").fetchone()[0]  # type: ignore[index]
    if n_dim != check.n_municipalities:
        problems.append(f"dim_municipalities has {n_dim:,} rows, expected {check.n_municipalities:,} (the MIC code list)")
    per_year = con.sql("""select fiscal_year, count(*), count(distinct item_code), count(distinct municipality_code)
                          from main.fct_survey_answers group by fiscal_year order by fiscal_year""").fetchall()
    if not per_year:
        problems.append("fct_survey_answers is empty")
    for year, n_rows, n_items, n_bodies in per_year:
        expected = check.n_municipalities * n_items
        if n_rows != expected or n_bodies != check.n_municipalities:
            problems.append(f"fct_survey_answers {year}: {n_rows:,} rows for {n_bodies:,} bodies, expected "
                            f"{check.n_municipalities:,} bodies x {n_items} items = {expected:,}")
    return problems


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the build gets SIGKILL when the publisher dies, so no orphan keeps writing."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _staging_prefix(warehouse: Path) -> str:
    return f"{STAGING_PREFIX}{warehouse.name}-"  # per warehouse: two warehouses may share a folder


def _remove_stale_staging(parent: Path, warehouse: Path) -> None:
    for old in parent.glob(_staging_prefix(warehouse) + "*"):
        progress(f"publish: removing {old} left by a publisher that did not finish")
        shutil.rmtree(old, ignore_errors=True)


def _same_file_system(a: Path, b: Path) -> bool:
    return os.stat(a).st_dev == os.stat(b).st_dev


def publish(repo: Path, warehouse: Path, build_cmd: list[str] | None = None, staging_root: Path | None = None,
            check: Check | None = None, manifest: Path | None = None) -> int:
    """Build, check and publish; return the exit code (0 published, 2 refused, else the build's code).

    Raises PublishError for a refusal (lock held, live read-write holder, other file system, bad build)."""
    warehouse = warehouse.absolute()
    try:
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        lock = acquire_lock(warehouse)
    except OSError as exc:
        raise PublishError(f"cannot create {lock_path(warehouse)}: {exc.strerror or exc}; {warehouse} is unchanged") from exc
    try:
        root = staging_root.absolute() if staging_root else warehouse.parent
        root.mkdir(parents=True, exist_ok=True)
        if not _same_file_system(root, warehouse.parent):
            raise PublishError(f"the staging folder {root} is on another file system than {warehouse.parent}: "
                               "the final rename could not be atomic (EXDEV); stage beside the warehouse "
                               "(the default) instead")
        refuse_a_read_write_holder(warehouse)  # before the build: a refused publish need not wait for one
        _remove_stale_staging(root, warehouse)  # we hold this warehouse's lock: any left is a dead publisher's
        staging_dir = Path(tempfile.mkdtemp(prefix=_staging_prefix(warehouse), dir=root))
        try:
            return _build_and_swap(repo, warehouse, staging_dir, build_cmd, check, manifest)
        finally:
            shutil.rmtree(staging_dir, ignore_errors=True)
    finally:
        lock.close()


def _build_and_swap(repo: Path, warehouse: Path, staging_dir: Path, build_cmd: list[str] | None,
                    check: Check | None, manifest: Path | None) -> int:
    staging = staging_dir / warehouse.name
    env = dict(os.environ, JDX_DUCKDB_PATH=str(staging))
    if build_cmd is None:
        build_cmd = [str(Path(sys.executable).parent / "dbt"), "build", "--full-refresh", "--target-path", "target/publish"]
        manifest = manifest or repo / "target" / "publish" / "manifest.json"
        if manifest.exists():
            manifest.unlink()  # a stale manifest must not stand in for this build's
    progress(f"publish: building into {staging} (the published {warehouse} stays as it is until the build passes)")
    rc = subprocess.run(build_cmd, cwd=repo, env=env, preexec_fn=_die_with_parent).returncode
    if rc != 0:
        print(f"publish: build failed (exit {rc}); {warehouse} is unchanged", file=sys.stderr)
        return rc if rc > 0 else 1
    if not staging.exists():
        raise PublishError(f"the build exited 0 but wrote no {staging}; {warehouse} is unchanged")
    check = check or default_check(repo, manifest)
    if manifest is not None and not check.relations:
        raise PublishError(f"the build exited 0 but wrote no dbt manifest at {manifest}; {warehouse} is unchanged")
    try:
        con = duckdb.connect(str(staging))
        try:
            con.execute("checkpoint")  # fold the staged WAL into the file: the rename must carry everything
            problems = check_built(con, check)
        finally:
            con.close()
    except duckdb.Error as exc:
        raise PublishError(f"the built file {staging} cannot be checked: {exc}; {warehouse} is unchanged") from exc
    if problems:
        raise PublishError(f"the built warehouse fails its check ({'; '.join(problems)}); {warehouse} is unchanged")
    if wal_path(staging).exists():
        raise PublishError(f"{wal_path(staging)} is left after the checkpoint; {warehouse} is unchanged")
    refuse_a_read_write_holder(warehouse)  # again: one may have opened the file while the build ran
    wal = wal_path(warehouse)
    if wal.exists():
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = wal.with_name(f"{wal.name}.stale-{stamp}")
        os.replace(wal, aside)
        progress(f"publish: moved the stale {wal.name} (no process holds {warehouse.name}) aside to {aside.name}")
    try:
        os.replace(staging, warehouse)  # atomic on one file system: readers see the old or the new file
    except OSError as exc:
        if exc.errno == errno.EXDEV:
            raise PublishError(f"{staging} and {warehouse} are on different file systems (EXDEV); "
                               f"{warehouse} is unchanged") from exc
        raise
    progress(f"publish: {warehouse} replaced atomically")
    return 0
