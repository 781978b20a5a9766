"""Small CSV helpers: every seed is UTF-8 (no BOM), LF line ends, all values quoted as text where needed."""
from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path


def read_csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def read_csv_dicts(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            if len(row) != len(header):
                raise ValueError(f"{path.name}: row has {len(row)} values for {len(header)} columns: {row!r}")
            writer.writerow(["" if v is None else v for v in row])
            n += 1
    tmp.replace(path)
    return n


def progress(msg: str) -> None:
    print(f"[jdx] {msg}", file=sys.stderr, flush=True)
