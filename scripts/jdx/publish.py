"""Safe publishing of the warehouse: build into a staging file of the same name in another folder,
then move it over warehouse/jichitai_dx.duckdb with one atomic rename.

BI tools keep the published file open (read-only) while people work. The build never opens that
file, so it never waits on their lock; a reader keeps the version it opened until it reconnects.
A build that fails or is killed half-way leaves the published warehouse exactly as it was.
The staging file keeps the name jichitai_dx.duckdb because dbt-duckdb views bind to the
database name (the file's stem)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from .io import progress


def publish(repo: Path, warehouse: Path, build_cmd: list[str] | None = None, staging_root: Path | None = None) -> int:
    staging_dir = staging_root or repo / "build" / "staging"
    if staging_dir.exists():
        shutil.rmtree(staging_dir)
    staging_dir.mkdir(parents=True)
    staging = staging_dir / warehouse.name
    env = dict(os.environ, JDX_DUCKDB_PATH=str(staging))
    cmd = build_cmd or [str(Path(sys.executable).parent / "dbt"), "build", "--full-refresh", "--target-path", "target/publish"]
    progress(f"publish: building into {staging} (the published {warehouse} stays as it is until the build passes)")
    rc = subprocess.run(cmd, cwd=repo, env=env).returncode
    if rc != 0:
        print(f"publish: build failed (exit {rc}); {warehouse} is unchanged", file=sys.stderr)
        return rc
    if not staging.exists():
        print(f"publish: the build wrote no {staging}; {warehouse} is unchanged", file=sys.stderr)
        return 1
    con = duckdb.connect(str(staging))
    con.execute("checkpoint")  # fold the WAL into the file: the rename must carry everything
    con.close()
    wal = staging.with_name(staging.name + ".wal")
    if wal.exists():
        print(f"publish: {wal} left after checkpoint; {warehouse} is unchanged", file=sys.stderr)
        return 1
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staging, warehouse)  # atomic on one filesystem: readers see the old or the new file, never half
    progress(f"publish: {warehouse} replaced atomically")
    return 0
