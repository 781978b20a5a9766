"""The raw answer shape every survey source is written in (one row per answer cell).

Staging unions every seed of this shape; the fact table traces each value back to
(seed, seed_row) and to the official file, line and column it came from.
"""
from __future__ import annotations

from dataclasses import dataclass

ANSWER_HEADER = (
    "seed_row",
    "edition_id",
    "source_file",
    "source_row",
    "source_column",
    "municipality_code",
    "municipality_name",
    "question_group",
    "question_id",
    "raw_value",
)


@dataclass(frozen=True)
class AnswerRow:
    edition_id: str
    source_file: str
    source_row: int
    source_column: int
    municipality_code: str
    municipality_name: str
    question_group: str
    question_id: str
    raw_value: str

    def as_seed_row(self, seed_row: int) -> tuple[object, ...]:
        return (
            seed_row,
            self.edition_id,
            self.source_file,
            self.source_row,
            self.source_column,
            self.municipality_code,
            self.municipality_name,
            self.question_group,
            self.question_id,
            self.raw_value,
        )
