"""Small CSV helpers: every seed is UTF-8 (no BOM), LF line ends, all values quoted as text where needed.

Writes are atomic: rows go to a uniquely named temporary file in the target's folder, which then
replaces the target with os.replace. Two writers never share a temporary file, a reader never sees
half a file, and a failed write (a full disk, a killed process aside) leaves no temporary file."""
from __future__ import annotations

import csv
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def read_csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def read_csv_dicts(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def neutralise_formula(value: object) -> object:
    """A text cell Excel would run as a formula (starts with = + - @ tab or CR) gets a leading single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def stage_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]], *,
              for_people: bool = False) -> tuple[Path, int]:
    """Write the rows to a new temporary file beside `path`; return (temporary file, rows written).

    `for_people`: the file is meant to be opened in a spreadsheet, so formula-like text is neutralised.
    On any error the temporary file is removed and the error raised."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow([neutralise_formula(h) for h in header] if for_people else header)
            for row in rows:
                if len(row) != len(header):
                    raise ValueError(f"{path.name}: row has {len(row)} values for {len(header)} columns: {row!r}")
                values = ["" if v is None else v for v in row]
                writer.writerow([neutralise_formula(v) for v in values] if for_people else values)
                n += 1
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the mode a plain open() would
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, n


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]], *, for_people: bool = False) -> int:
    tmp, n = stage_csv(path, header, rows, for_people=for_people)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return n


def progress(msg: str) -> None:
    print(f"[jdx] {msg}", file=sys.stderr, flush=True)
