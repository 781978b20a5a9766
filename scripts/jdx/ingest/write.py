"""The answer file and the quarantine CSV an ingest writes: staged, then renamed into place."""
from __future__ import annotations

import csv
import os
from pathlib import Path

from ..csv_files import stage_csv
from ..loaders.answers import ANSWER_HEADER
from .checks import Result
from .layout import SEED_NAME_PATTERN, Layout
from .read import IngestError

QUARANTINE_HEADER = ("file", "sheet", "row", "column", "code", "question_id", "value", "reason")


def check_target(layout: Layout, out_dir: Path, replace: bool) -> Path:
    """The answer file to write: inside out_dir, and never over another edition's file or, without
    replace, over any existing file."""
    if not SEED_NAME_PATTERN.match(layout.seed_name):
        raise IngestError(f"seed_name {layout.seed_name!r} must match {SEED_NAME_PATTERN.pattern}")
    out_dir = out_dir.resolve()
    target = (out_dir / f"{layout.seed_name}.csv").resolve()
    if target.parent != out_dir:
        raise IngestError(f"seed_name {layout.seed_name!r} resolves outside {out_dir}")
    if target.exists():
        with target.open(encoding="utf-8-sig", newline="") as fh:
            first = next(csv.DictReader(fh), None)
        other = first.get("edition_id") if first else None
        if other and other != layout.edition_id:
            raise IngestError(f"{target} holds the answers of edition {other!r}, not {layout.edition_id!r}: "
                              "give the layout its own seed_name; nothing written")
        if not replace:
            raise IngestError(f"{target} exists: pass --replace to overwrite it; nothing written")
    return target


def write(result: Result, layout: Layout, out_dir: Path, quarantine_dir: Path | None,
          replace: bool = False) -> tuple[Path, Path | None]:
    """Write the answer file (and the quarantine CSV): both are staged first, then renamed into place,
    so a failure (a full disk, an uncreatable folder) leaves neither half-written nor a .tmp behind."""
    target = check_target(layout, out_dir, replace)
    staged: list[tuple[Path, Path]] = []
    try:
        if quarantine_dir is not None:
            qpath = quarantine_dir / f"{layout.seed_name}__quarantine.csv"
            try:
                quarantine_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise IngestError(f"cannot create the quarantine folder {quarantine_dir}: {exc.strerror or exc}; "
                                  "nothing written") from None
            # rows of 6 (file, sheet, row, code, question_id, reason), as jdx.ingest.survey writes them, get
            # empty column and value fields
            rows = [q if len(q) == len(QUARANTINE_HEADER) else (*q[:3], "", *q[3:5], "", q[5]) for q in result.quarantined]
            tmp, _ = stage_csv(qpath, QUARANTINE_HEADER, rows, for_people=True)
            staged.append((tmp, qpath))
        tmp, _ = stage_csv(target, ANSWER_HEADER, [(i, *a) for i, a in enumerate(result.answers, start=1)])
        staged.append((tmp, target))
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise IngestError(f"cannot write {target.name}: {exc.strerror or exc}; nothing written") from None
    for tmp, path in staged:
        os.replace(tmp, path)
    return target, staged[0][1] if quarantine_dir is not None else None
