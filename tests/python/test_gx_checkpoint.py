"""The Great Expectations checkpoint passes on the built marts and fails on a broken copy."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from conftest import WAREHOUSE_PATH


def test_checkpoint_fails_on_a_duplicated_municipality(tmp_path: Path) -> None:
    # imported here, not at collection: GX with what it pulls in (scipy, altair, pandas) takes about 4 s to
    # import, in every pytest-xdist worker that collects this file, and one worker runs this test
    from jdx import gx_checkpoint

    broken = tmp_path / "jichitai_dx.duckdb"
    shutil.copy(WAREHOUSE_PATH, broken)
    con = duckdb.connect(str(broken))
    con.execute("insert into main.dim_municipalities select * from main.dim_municipalities limit 1")
    con.close()
    assert gx_checkpoint.run(broken, tmp_path / "docs") is False
    assert (tmp_path / "docs" / "index.html").exists()
