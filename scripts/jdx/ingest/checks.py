"""What the ingest readers (jdx.ingest.table, jdx.ingest.survey) share: a problem and its place
(file, sheet, row, column, value), the result with its reconciliation counts, the configuration
seeds an answer is checked against, and the checks on municipality codes and answer marks."""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..loaders.codes import check_digit, is_valid_code6

FOOTNOTE_MARKS = ("※", "注", "（注", "(注", "出典", "備考")


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str
    row: int | None
    column: str | None
    value: str | None
    reason: str
    fatal: bool = False

    def __str__(self) -> str:
        where = f"{self.file}"
        if self.sheet:
            where += f" sheet {self.sheet}"
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f" column {self.column}"
        value = "" if self.value is None else f": value {self.value!r}"
        return f"{where}: {self.reason}{value}"


@dataclass
class Result:
    answers: list[tuple[object, ...]] = field(default_factory=list)
    quarantined: list[tuple[str, ...]] = field(default_factory=list)  # QUARANTINE_HEADER
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_skipped: int = 0
    cells_read: int = 0  # counted from the sheets, apart from the answers and quarantine lists

    @property
    def fatal(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]


class Config(NamedTuple):  # a tuple, so `municipalities, value_types, editions, vocabulary = load_config(repo)` works
    municipalities: dict[str, str]
    value_types: dict[tuple[str, str], str]
    editions: dict[str, str]
    vocabulary: list[dict[str, str]]


def load_config(repo: Path) -> Config:
    def rows(name: str) -> list[dict[str, str]]:
        with (repo / "seeds" / name).open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    municipalities = {r["municipality_code"]: r["municipality_name"] for r in rows("reference/ref_mic_municipalities.csv")}
    editions = {r["edition_id"]: (r["stands_in_for"] or r["edition_id"]) for r in rows("config/cfg_editions.csv")}
    items = {r["item_code"]: r["value_type"] for r in rows("config/cfg_items.csv")}
    value_types = {(r["edition_id"], r["question_id"]): items[r["item_code"]] for r in rows("config/cfg_item_crosswalk.csv")}
    return Config(municipalities, value_types, editions, rows("config/cfg_answer_vocabulary.csv"))


def mark_ok(value: str, value_type: str, vocabulary: list[dict[str, str]]) -> bool:
    for v in vocabulary:
        if v["value_type"] != value_type:
            continue
        if v["match_kind"] == "blank" and value == "":
            return True
        if v["match_kind"] == "exact" and value == v["raw_value"]:
            return True
        if v["match_kind"] == "regex" and re.fullmatch(v["raw_value"], value):
            return True
    return False


def out_of_range(value: str, value_type: str) -> str | None:
    """Reason when a percent is outside 0-100 (the vocabulary accepts any number of digits)."""
    if value_type != "percent":
        return None
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)%?", value)
    if m and not 0 <= float(m.group(1)) <= 100:
        return "rate outside 0-100"
    return None


def same_name(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).split())

    return norm(a) == norm(b)


def code_digits_missing(grid: list[list[str]], code_col: int, first: int) -> tuple[int, str] | None:
    """(row, value) of a 5-digit code that cannot be a zero-stripped 6-digit code: then the file's codes
    come without the check digit and no 5-digit code in it can be read as a 6-digit one."""
    for r in range(first, len(grid)):
        row = grid[r]
        text = unicodedata.normalize("NFKC", row[code_col] if code_col < len(row) else "").strip()
        if text.endswith(".0"):
            text = text[:-2]
        if text.isdigit() and len(text) <= 5 and not is_valid_code6(text.zfill(6)):
            return r + 1, row[code_col]
    return None


def normalise_code(raw: str, digits: int, without_cd: tuple[int, str] | None = None) -> tuple[str | None, str | None]:
    """(code, reason if not a code)."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if text.endswith(".0"):
        text = text[:-2]  # a numeric cell read as float text
    if not text.isdigit():
        return None, "code is not a number"
    if digits == 5:
        if len(text) > 5:
            return None, "code has more than 5 digits (layout says codes come without the check digit)"
        code5 = text.zfill(5)
        return code5 + str(check_digit(code5)), None
    if len(text) <= 5 and without_cd is not None:
        return None, (f"code without the check digit (the file has such codes, e.g. row {without_cd[0]} "
                      f"{without_cd[1]!r}; layout expects 6 digits, set code_digits = 5 if the file has none)")
    if len(text) > 6:
        return None, "code has more than 6 digits"
    code = text.zfill(6)
    if not is_valid_code6(code):
        return None, "check digit does not match"
    return code, None
