"""Copy the report's published figures (shared/reference/jri-2024-032) into seeds/published.

The transcriptions are plain CSV; one row of class_counts.csv has an unquoted comma in its last
(free-text) column. Such rows are repaired by joining the surplus fields back into the last
column, which is only done for the last column and is reported; any other shape error fails.
"""
from __future__ import annotations

import csv
from pathlib import Path

from ..csv_files import progress, write_csv

FILES = {
    "class_counts.csv": "jri_class_counts.csv",
    "item_catalog.csv": "jri_item_catalog.csv",
    "published_item_rates.csv": "jri_item_rates.csv",
    "published_achievement.csv": "jri_achievement.csv",
    "published_prefecture_deviation.csv": "jri_prefecture_deviation.csv",
    "published_text_claims.csv": "jri_text_claims.csv",
}


class PublishedError(RuntimeError):
    pass


def copy_published(reference: Path, out: Path) -> dict[str, int]:
    counts = {}
    for src_name, dst_name in FILES.items():
        src = reference / src_name
        with src.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        header, body = rows[0], rows[1:]
        fixed = []
        for lineno, row in enumerate(body, start=2):
            if len(row) > len(header):
                repaired = row[: len(header) - 1] + [",".join(row[len(header) - 1 :])]
                progress(f"{src_name}: line {lineno}: {len(row)} fields for {len(header)} columns; "
                         f"surplus joined into last column {header[-1]!r}")
                row = repaired
            if len(row) != len(header):
                raise PublishedError(f"{src}: line {lineno}: {len(row)} fields for {len(header)} columns: {row!r}")
            fixed.append(row)
        counts[dst_name] = write_csv(out / dst_name, header, fixed)
    return counts
