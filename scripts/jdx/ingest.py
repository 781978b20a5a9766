"""Ingest official answer files (MIC workbooks, Digital Agency / card CSVs) into raw answer files.

The layout of an edition is configuration (ingest_layouts/<edition>.toml, validated by
jdx.layout): which workbook or CSV, which sheet, header rows, the code column and, for each
question, its header text -> question id. Everything is read as text, within caps (jdx.ingest_read).

Every cell is accounted for. In each data row (a row with any non-empty cell that is not a lone
footnote), every cell under a question header, and every non-empty cell under any other header
(unmapped, empty or duplicated; only the code, name and declared ignore_columns are exempt) is an
answer cell read. Each one is written or quarantined with its reason; nothing is guessed. A cell
is quarantined (an error without --quarantine) for: an unmapped, empty or duplicated header; a
merged data cell; a formula without a cached value; a number formatted as a percent (stored as a
fraction); a mark not in cfg_answer_vocabulary; a rate outside 0-100; and, for the whole row, a
code that is missing, malformed, unknown, duplicated, without the check digit, or whose name
disagrees with the code list. The closing line counts the cells read from the sheet separately
and must equal written + quarantined.

Problems that are not about cells (a layout error, a missing sheet, code column or question
header, a question id not in the crosswalk, a cap reached) are fatal: nothing is written, even
with --quarantine."""
from __future__ import annotations

import csv
import importlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .answers import ANSWER_HEADER
from .codes import check_digit, is_valid_code6
from .ingest_read import Budget, IngestError, Limits, Sheet, list_inputs, matches, read_sheet
from .ingest_read import decode_csv as decode_csv_bounded
from .io import progress, stage_csv
from .layout import SEED_NAME_PATTERN, Layout, LayoutError, Source, normalise_label

__all__ = ["IngestError", "Layout", "LayoutError", "Result", "ingest", "write", "QUARANTINE_HEADER"]

FOOTNOTE_MARKS = ("※", "注", "（注", "(注", "出典", "備考")
QUARANTINE_HEADER = ("file", "sheet", "row", "column", "code", "question_id", "value", "reason")


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


class Config(NamedTuple):  # a tuple, so `municipalities, value_types, editions, vocabulary = _config(repo)` works
    municipalities: dict[str, str]
    value_types: dict[tuple[str, str], str]
    editions: dict[str, str]
    vocabulary: list[dict[str, str]]


def _config(repo: Path) -> Config:
    def rows(name: str) -> list[dict[str, str]]:
        with (repo / "seeds" / name).open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    municipalities = {r["municipality_code"]: r["municipality_name"] for r in rows("reference/ref_mic_municipalities.csv")}
    editions = {r["edition_id"]: (r["stands_in_for"] or r["edition_id"]) for r in rows("config/cfg_editions.csv")}
    items = {r["item_code"]: r["value_type"] for r in rows("config/cfg_items.csv")}
    value_types = {(r["edition_id"], r["question_id"]): items[r["item_code"]] for r in rows("config/cfg_item_crosswalk.csv")}
    return Config(municipalities, value_types, editions, rows("config/cfg_answer_vocabulary.csv"))


def _mark_ok(value: str, value_type: str, vocabulary: list[dict[str, str]]) -> bool:
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


def _out_of_range(value: str, value_type: str) -> str | None:
    """Reason when a percent is outside 0-100 (the vocabulary accepts any number of digits)."""
    if value_type != "percent":
        return None
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)%?", value)
    if m and not 0 <= float(m.group(1)) <= 100:
        return "rate outside 0-100"
    return None


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _same_name(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return "".join(unicodedata.normalize("NFKC", text).split())

    return norm(a) == norm(b)


def _code_digits_missing(grid: list[list[str]], code_col: int, first: int) -> tuple[int, str] | None:
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


def _normalise_code(raw: str, digits: int, without_cd: tuple[int, str] | None = None) -> tuple[str | None, str | None]:
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


def ingest(layout: Layout, inputs: list[Path], repo: Path, limits: Limits | None = None) -> Result:
    if getattr(layout, "survey_rules", False):  # realfiles (#15): survey layouts have their own reader
        survey = importlib.import_module(".ingest_survey", __package__)
        result: Result = survey.ingest_survey(layout, inputs, repo)
        return result
    limits = limits or Limits.from_env()
    config = _config(repo)
    if layout.edition_id not in config.editions:
        raise IngestError(f"edition {layout.edition_id!r} is not in seeds/config/cfg_editions.csv: add its row first")
    result = Result()
    budget = Budget(limits)
    members = list_inputs(inputs, [s.pattern for s in layout.sources], budget)
    seen: dict[tuple[str, str, str], int] = {}  # (file, sheet, code) -> first row
    for source in layout.sources:
        matched = [m for m in members if matches(m.name, source.pattern)]
        if not matched:
            raise IngestError(f"no input file matches {source.pattern!r} (files read: {[m.name for m in members]})")
        for member in matched:
            progress(f"ingest: reading {member.origin}")
            sheet = read_sheet(member.name, member.read(), source.sheet, limits)
            result.notes += sheet.notes
            _ingest_sheet(result, layout, source, sheet, config, seen)
    return result


def _header_labels(sheet: Sheet, source: Source, width: int) -> list[str]:
    grid = sheet.grid
    header = {h - 1 for h in source.header_rows}
    filled: dict[tuple[int, int], str] = {}
    for r0, c0, r1, c1, _ in sheet.merged:  # a merged header cell names every column it spans
        if r0 in header and r0 < len(grid) and c0 < len(grid[r0]):
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if r in header:
                        filled[(r, c)] = grid[r0][c0]
    labels = []
    for c in range(width):
        parts: list[str] = []
        for h in source.header_rows:
            row = grid[h - 1]
            raw = row[c] if c < len(row) and row[c] != "" else filled.get((h - 1, c), "")
            value = normalise_label(raw)
            if value and value not in parts:
                parts.append(value)
        labels.append(" ".join(parts))
    return labels


def _ingest_sheet(result: Result, layout: Layout, source: Source, sheet: Sheet, config: Config,
                  seen: dict[tuple[str, str, str], int]) -> None:
    name, sheet_name, grid = sheet.name, sheet.sheet, sheet.grid
    crosswalk_edition = config.editions[layout.edition_id]

    def problem(row: int | None, col: int | None, value: str | None, reason: str, fatal: bool = False) -> Problem:
        p = Problem(name, sheet_name, row, None if col is None else _column_letter(col), value, reason, fatal)
        result.problems.append(p)
        return p

    if len(grid) < max(source.header_rows):
        raise IngestError(f"{name} sheet {sheet_name}: {len(grid)} rows, fewer than the header rows {source.header_rows}")
    width = max(len(r) for r in grid)
    labels = _header_labels(sheet, source, width)
    columns: dict[str, list[int]] = {}
    for c, label in enumerate(labels):
        if label:
            columns.setdefault(label, []).append(c)

    def meta_column(label: str | None, what: str) -> int | None:
        if label is None:
            return None
        found = columns.get(normalise_label(label), [])
        if not found:
            raise IngestError(f"{name} sheet {sheet_name}: no {what} column {label!r} in the header rows {source.header_rows}")
        if len(found) > 1:
            raise IngestError(f"{name} sheet {sheet_name}: the {what} column {label!r} appears "
                              f"{len(found)} times (columns {', '.join(_column_letter(c) for c in found)})")
        return found[0]

    code_col = meta_column(source.code_column, "code")
    assert code_col is not None
    name_col = meta_column(source.name_column, "name")
    meta = {code_col} | ({name_col} if name_col is not None else set())
    ignored = {c for c, label in enumerate(labels) if label in source.ignore_columns and c not in meta}

    question_cols: list[tuple[int, str]] = []
    bad_cols: dict[int, str] = {}  # column -> reason every non-empty cell under it is quarantined
    for label, cols in columns.items():
        if label in source.questions and len(cols) > 1:
            where = ", ".join(_column_letter(c) for c in cols)
            problem(None, None, label, f"header appears {len(cols)} times (columns {where}): which one holds the "
                    "answers cannot be told", fatal=True)
            for c in cols:
                bad_cols[c] = f"duplicated header {label!r} (columns {where})"
        elif label in source.questions:
            question_cols.append((cols[0], source.questions[label]))
        elif any(c in meta or c in ignored for c in cols):
            continue
        else:
            for c in cols:
                problem(None, c, label, "unmapped header (not in the layout's questions)")
                bad_cols[c] = f"unmapped header {label!r}"
    for c in range(width):
        if not labels[c] and c not in meta:
            bad_cols[c] = "answer column with an empty header"
    for label in source.questions:
        if label not in columns:
            problem(None, None, label, "header missing from the sheet (renamed or dropped?)", fatal=True)
    for question in source.questions.values():
        if (crosswalk_edition, question) not in config.value_types:
            problem(None, None, question, f"question id not in cfg_item_crosswalk for edition {crosswalk_edition}", fatal=True)
    question_cols.sort()

    first = source.first_data_row - 1
    merged_in_data: dict[tuple[int, int], str] = {}
    for r0, c0, r1, c1, ref in sheet.merged:
        if r1 >= first:
            for r in range(max(r0, first), r1 + 1):
                for c in range(c0, c1 + 1):
                    merged_in_data[(r, c)] = ref
    without_cd = _code_digits_missing(grid, code_col, first) if source.code_digits == 6 else None
    empty_header_reported: set[int] = set()
    data_rows: list[int] = []
    n_answers, n_quarantined = len(result.answers), len(result.quarantined)
    for r in range(first, len(grid)):
        row = grid[r] + [""] * (width - len(grid[r]))
        nonempty = [c for c in range(width) if row[c].strip() != "" or (r, c) in sheet.flags]
        if not nonempty:
            result.rows_skipped += 1
            continue
        if len(nonempty) == 1 and row[nonempty[0]].strip().startswith(FOOTNOTE_MARKS) \
                and nonempty[0] not in {c for c, _ in question_cols}:
            result.rows_skipped += 1  # a footnote: one text cell (often merged across the row), nothing else
            continue
        data_rows.append(r)
        result.rows_read += 1
        # the answer cells of this row: every question cell, every non-empty cell under another header
        cells: list[tuple[int, str]] = [(c, q) for c, q in question_cols]
        cells += [(c, "") for c in sorted(bad_cols) if c in nonempty and c not in meta and c not in ignored]
        raw_code = row[code_col].strip()
        code: str | None = None
        row_reason: str | None = None
        meta_flags = [(c, f"merged cell {merged_in_data[(r, c)]}" if (r, c) in merged_in_data else sheet.flags[(r, c)][0])
                      for c in sorted(meta) if (r, c) in merged_in_data or (r, c) in sheet.flags]
        if meta_flags:
            c, why = meta_flags[0]
            row_reason = f"code or name cell cannot be read ({why})"
            problem(r + 1, c, row[c], row_reason)
        elif raw_code == "":
            row_reason = "data row without a municipality code"
            problem(r + 1, code_col, None, row_reason + f" ({len(nonempty)} non-empty cells, e.g. column "
                    f"{_column_letter(nonempty[0])} {row[nonempty[0]]!r})")
        else:
            code, code_reason = _normalise_code(raw_code, source.code_digits, without_cd)
            if code_reason:
                row_reason = code_reason
            elif code not in config.municipalities:
                row_reason = "unknown municipality code"
            elif (name, sheet_name, code) in seen:
                row_reason = f"duplicate municipality code (first at row {seen[(name, sheet_name, code)]})"
            elif name_col is not None and not _same_name(row[name_col], config.municipalities[code]):
                row_reason = (f"name {row[name_col].strip()!r} disagrees with the code list "
                              f"({code} is {config.municipalities[code]!r})")
            if row_reason:
                problem(r + 1, code_col, raw_code, row_reason)
            if unicodedata.normalize("NFKC", raw_code) != raw_code and code and not row_reason:
                result.notes.append(f"{name} row {r + 1}: code {raw_code!r} normalised to {code}")
        if row_reason:
            for c, question in cells:
                result.quarantined.append((name, sheet_name, str(r + 1), _column_letter(c), raw_code, question,
                                           row[c], row_reason))
            if code is not None and (name, sheet_name, code) not in seen:
                seen[(name, sheet_name, code)] = r + 1
            continue
        assert code is not None
        seen[(name, sheet_name, code)] = r + 1
        for c, question in cells:
            value = row[c].strip()
            reason: str | None = None
            if c in bad_cols:
                reason = bad_cols[c]
                if reason.startswith("answer column with an empty header") and c not in empty_header_reported:
                    empty_header_reported.add(c)
                    problem(r + 1, c, row[c], "answer column with an empty header (first non-empty cell shown)")
            elif (r, c) in merged_in_data:
                reason = f"merged data cell (range {merged_in_data[(r, c)]})"
                problem(r + 1, c, row[c], reason)
            elif (r, c) in sheet.flags:
                reason, shown = sheet.flags[(r, c)]
                value = shown
                problem(r + 1, c, shown, reason)
            else:
                vtype = config.value_types.get((crosswalk_edition, question))
                if vtype is None:
                    reason = "question id not in cfg_item_crosswalk"
                elif not _mark_ok(value, vtype, config.vocabulary):
                    reason = f"unknown answer mark for {vtype} question {question!r}"
                    problem(r + 1, c, value, reason)
                elif (range_reason := _out_of_range(value, vtype)) is not None:
                    reason = f"{range_reason} for {vtype} question {question!r}"
                    problem(r + 1, c, value, reason)
            if reason:
                result.quarantined.append((name, sheet_name, str(r + 1), _column_letter(c), code, question, value, reason))
                continue
            result.answers.append((layout.edition_id, name, r + 1, c + 1, code,
                                   row[name_col].strip() if name_col is not None else config.municipalities[code],
                                   sheet_name, question, value))
    # the closing count, from the cells themselves: per data row, its question cells and its
    # non-empty cells under any other non-exempt header
    exempt = meta | ignored | {c for c, _ in question_cols}
    counted = 0
    for r in data_rows:
        row = grid[r] + [""] * (width - len(grid[r]))
        counted += len(question_cols) + sum(1 for c in range(width) if c not in exempt
                                            and (row[c].strip() != "" or (r, c) in sheet.flags))
    produced = len(result.answers) - n_answers + len(result.quarantined) - n_quarantined
    if counted != produced:
        raise IngestError(f"{name} sheet {sheet_name}: internal accounting error: {counted} answer cells read but "
                          f"{produced} written or quarantined; nothing written (please report this)")
    result.cells_read += counted
    if layout.expected_coverage == "all":
        present = {code for (file, _, code) in seen if file == name}
        missing = sorted(set(config.municipalities) - present)
        if missing:
            problem(None, None, None, f"{len(missing)} municipalities missing from the edition, e.g. "
                    f"{', '.join(f'{c} {config.municipalities[c]}' for c in missing[:5])}")


# ---- the former helpers, bounded now, for modules written against them (jdx.ingest_survey, layout_draft)

def decode_csv(name: str, data: bytes) -> tuple[list[list[str]], str]:
    """Rows of a CSV in UTF-8 (with or without BOM) or Shift_JIS/CP932, and the encoding used (capped)."""
    sheet = decode_csv_bounded(name, data, Limits.from_env())
    return sheet.grid, sheet.notes[0].rsplit(" ", 1)[-1]


def _read_inputs(path: Path) -> list[tuple[str, bytes]]:
    """(name, bytes) of every file in a zip, a folder, or a single file, within the caps."""
    budget = Budget(Limits.from_env())
    return [(m.name, m.read()) for m in list_inputs([path], ["*"], budget)]


def _sheet_rows(name: str, data: bytes, sheet: str | None) -> tuple[list[list[str]], str, list[str]]:
    """All cell values of one sheet as text, read within the caps; merged cells filled from their
    top-left cell as before. A formula without a cached value or a percent stored as a fraction
    stops the read (this helper cannot quarantine a cell)."""
    read = read_sheet(name, data, sheet, Limits.from_env())
    if read.flags:
        (r, c), (reason, value) = sorted(read.flags.items())[0]
        raise IngestError(f"{name} sheet {read.sheet} row {r + 1} column {_column_letter(c)}: {reason}: value {value!r}")
    grid = read.grid
    for r0, c0, r1, c1, _ in read.merged:
        top = grid[r0][c0] if r0 < len(grid) and c0 < len(grid[r0]) else ""
        for r in range(r0, min(r1 + 1, len(grid))):
            for c in range(c0, min(c1 + 1, len(grid[r]))):
                if grid[r][c] == "":
                    grid[r][c] = top
    return grid, read.sheet, read.notes


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
            # rows of 6 (file, sheet, row, code, question_id, reason), as jdx.ingest_survey writes them, get
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
