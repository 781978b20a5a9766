"""jdx.csv_files.write_csv (used by the sample generator `make build` runs, the loaders and ingest) is
atomic: two writers of the same file at once never interleave, a reader sees one whole version
or the other, and a failed write leaves the target as it was and no temporary file."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO
from jdx.csv_files import neutralise_formula, write_csv

WRITER = """
import sys
from pathlib import Path
from jdx.csv_files import write_csv
target, tag = Path(sys.argv[1]), sys.argv[2]
for _ in range(25):
    write_csv(target, ("k", "v"), [(i, tag * 20) for i in range(20000)])
"""


def _version(text: str) -> str:
    lines = text.splitlines()
    assert lines[0] == "k,v" and len(lines) == 20001, f"a half-written file: {len(lines)} lines"
    tags = {line.split(",")[1][0] for line in lines[1:]}
    assert len(tags) == 1, f"two writers interleaved: {tags}"
    return tags.pop()


def test_two_writers_at_once_never_interleave(tmp_path: Path) -> None:
    target = tmp_path / "answers" / "raw_sample__x.csv"
    env = dict(os.environ, PYTHONPATH=str(REPO / "scripts"))
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(target), tag], env=env) for tag in "ab"]
    seen = set()
    while any(w.poll() is None for w in writers):
        if target.exists():
            seen.add(_version(target.read_text(encoding="utf-8")))
        time.sleep(0.01)
    assert [w.returncode for w in writers] == [0, 0]
    seen.add(_version(target.read_text(encoding="utf-8")))
    assert seen <= {"a", "b"} and seen
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary file left


def test_failed_write_keeps_the_old_file_and_leaves_no_tmp(tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    write_csv(target, ("k", "v"), [(1, "old")])
    before = target.read_bytes()
    with pytest.raises(ValueError, match="row has 1 values for 2 columns"):
        write_csv(target, ("k", "v"), [(1, "new"), (2,)])
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_neutralised_for_people(tmp_path: Path, value: str) -> None:
    assert neutralise_formula(value) == "'" + value
    target = tmp_path / "q.csv"
    write_csv(target, ("v",), [(value,)], for_people=True)
    assert target.read_text(encoding="utf-8").splitlines()[1].lstrip('"').startswith("'")
    write_csv(target, ("v",), [(value,)])  # data files keep their values as they are
    assert neutralise_formula(5) == 5 and neutralise_formula("実施") == "実施"
