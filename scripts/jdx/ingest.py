"""Ingest official answer files (MIC workbooks, Digital Agency / card CSVs) into raw answer seeds.

The layout of an edition is configuration (ingest_layouts/<edition>.toml): which workbook or CSV,
which sheet, header rows, the code column and, for each question, its header text -> question id.
Everything is read as text. Every problem is collected with file, sheet, row, column and value;
by default any problem means nothing is written and the exit code is 2. With quarantine, good
rows are written and each bad row goes to a quarantine CSV with its reason; the counts always
reconcile: data rows read = answers written + answers quarantined (blank and footnote rows are
counted apart)."""
from __future__ import annotations

import csv
import fnmatch
import io
import tomllib
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .answers import ANSWER_HEADER
from .codes import check_digit, is_valid_code6
from .io import progress, write_csv

FOOTNOTE_MARKS = ("※", "注", "（注", "(注", "出典", "備考")


class IngestError(RuntimeError):
    """The input cannot be ingested at all (empty, truncated, wrong layout)."""


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

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
class Source:
    pattern: str
    sheet: str | None
    header_rows: list[int]
    first_data_row: int
    code_column: str
    name_column: str | None
    questions: dict[str, str]
    code_digits: int = 6
    ignore_columns: tuple[str, ...] = ()


@dataclass
class Layout:
    edition_id: str
    seed_name: str
    expected_coverage: str
    sources: list[Source]

    @classmethod
    def load(cls, path: Path) -> Layout:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        sources = [
            Source(
                pattern=s["pattern"], sheet=s.get("sheet"), header_rows=list(s.get("header_rows", [1])),
                first_data_row=int(s.get("first_data_row", max(s.get("header_rows", [1])) + 1)),
                code_column=s["code_column"], name_column=s.get("name_column"),
                questions={normalise_label(k): v for k, v in s["questions"].items()},
                code_digits=int(s.get("code_digits", 6)),
                ignore_columns=tuple(normalise_label(c) for c in s.get("ignore_columns", [])),
            )
            for s in data["sources"]
        ]
        return cls(data["edition_id"], data["seed_name"], data.get("expected_coverage", "all"), sources)


@dataclass
class Result:
    answers: list[tuple[object, ...]] = field(default_factory=list)
    quarantined: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_skipped: int = 0


def normalise_label(text: str) -> str:
    """Header text as compared: NFKC, no line breaks, trimmed, inner whitespace collapsed."""
    text = unicodedata.normalize("NFKC", str(text)).replace("\n", "").replace("\r", "")
    return " ".join(text.split())


def _config(repo: Path) -> tuple[dict[str, str], dict[tuple[str, str], str], dict[str, str], list[dict[str, str]]]:
    def rows(name: str) -> list[dict[str, str]]:
        with (repo / "seeds" / name).open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    municipalities = {r["municipality_code"]: r["municipality_name"] for r in rows("reference/ref_mic_municipalities.csv")}
    editions = {r["edition_id"]: (r["stands_in_for"] or r["edition_id"]) for r in rows("config/cfg_editions.csv")}
    items = {r["item_code"]: r["value_type"] for r in rows("config/cfg_items.csv")}
    value_type = {(r["edition_id"], r["question_id"]): items[r["item_code"]] for r in rows("config/cfg_item_crosswalk.csv")}
    return municipalities, value_type, editions, rows("config/cfg_answer_vocabulary.csv")


def _mark_ok(value: str, value_type: str, vocabulary: list[dict[str, str]]) -> bool:
    import re

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


def _read_inputs(path: Path) -> list[tuple[str, bytes]]:
    """(name, bytes) of every file in a zip, a folder, or a single file."""
    if path.is_dir():
        return [(p.name, p.read_bytes()) for p in sorted(path.iterdir()) if p.is_file()]
    data = path.read_bytes()
    if not data:
        raise IngestError(f"{path.name}: empty file")
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return [(Path(n).name, zf.read(n)) for n in sorted(zf.namelist()) if not n.endswith("/")]
        except zipfile.BadZipFile as exc:
            raise IngestError(f"{path.name}: not a readable zip (truncated or corrupt): {exc}") from exc
    return [(path.name, data)]


def decode_csv(name: str, data: bytes) -> tuple[list[list[str]], str]:
    """Rows of a CSV in UTF-8 (with or without BOM) or Shift_JIS/CP932, and the encoding used."""
    if not data:
        raise IngestError(f"{name}: empty file")
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            return list(csv.reader(io.StringIO(text))), encoding
        except UnicodeDecodeError:
            continue
    raise IngestError(f"{name}: neither UTF-8 nor Shift_JIS (CP932)")


def _sheet_rows(name: str, data: bytes, sheet: str | None) -> tuple[list[list[str]], str, list[str]]:
    """All cell values of one sheet as text (merged header cells filled from their top-left cell)."""
    if name.lower().endswith(".csv"):
        rows, encoding = decode_csv(name, data)
        return rows, "", [f"{name}: read as {encoding}"]
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise IngestError(f"{name}: not a readable workbook (truncated or corrupt): {type(exc).__name__}: {exc}") from exc
    notes = []
    if sheet is None or sheet not in wb.sheetnames:
        raise IngestError(f"{name}: no sheet {sheet!r}; sheets are {wb.sheetnames}")
    extra = [s for s in wb.sheetnames if s != sheet]
    if extra:
        notes.append(f"{name}: sheets {extra} ignored (layout reads {sheet!r})")
    ws = wb[sheet]
    grid = [["" if c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        top = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row - 1 < len(grid) else ""
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if r - 1 < len(grid) and c - 1 < len(grid[r - 1]) and grid[r - 1][c - 1] == "":
                    grid[r - 1][c - 1] = top
    return grid, sheet, notes


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _normalise_code(raw: str, digits: int) -> tuple[str | None, str | None]:
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
    if len(text) == 5 and not is_valid_code6(text.zfill(6)):
        return None, "code without the check digit (5 digits; layout expects 6, set code_digits = 5 if the file has none)"
    code = text.zfill(6)
    if not is_valid_code6(code):
        return None, "check digit does not match"
    return code, None


def ingest(layout: Layout, inputs: list[Path], repo: Path) -> Result:
    municipalities, value_types, editions, vocabulary = _config(repo)
    result = Result()
    if layout.edition_id not in editions:
        raise IngestError(f"edition {layout.edition_id!r} is not in seeds/config/cfg_editions.csv: add its row first")
    crosswalk_edition = editions[layout.edition_id]
    files = [f for path in inputs for f in _read_inputs(path)]
    seen: dict[tuple[str, str, str], int] = {}  # (file, sheet, code) -> first row
    for source in layout.sources:
        matched = [(n, d) for n, d in files if fnmatch.fnmatch(unicodedata.normalize("NFKC", n), unicodedata.normalize("NFKC", source.pattern))]
        if not matched:
            raise IngestError(f"no input file matches {source.pattern!r} (files: {[n for n, _ in files]})")
        for name, data in matched:
            progress(f"ingest: reading {name}")
            if not data:
                raise IngestError(f"{name}: empty file")
            grid, sheet, notes = _sheet_rows(name, data, source.sheet)
            result.notes += notes
            if len(grid) < max(source.header_rows):
                raise IngestError(f"{name} sheet {sheet}: {len(grid)} rows, fewer than the header rows {source.header_rows}")
            width = max(len(r) for r in grid)
            labels = []
            for c in range(width):
                parts = []
                for h in source.header_rows:
                    row = grid[h - 1]
                    value = normalise_label(row[c]) if c < len(row) else ""
                    if value and value not in parts:
                        parts.append(value)
                labels.append(" ".join(parts))
            by_label = {label: c for c, label in enumerate(labels) if label}
            code_col = by_label.get(normalise_label(source.code_column))
            if code_col is None:
                raise IngestError(f"{name} sheet {sheet}: no code column {source.code_column!r} in the header rows {source.header_rows}")
            name_col = by_label.get(normalise_label(source.name_column)) if source.name_column else None
            known = {normalise_label(source.code_column), *source.ignore_columns} | (
                {normalise_label(source.name_column)} if source.name_column else set())
            for label, c in by_label.items():
                if label not in source.questions and label not in known:
                    result.problems.append(Problem(name, sheet, None, _column_letter(c), label,
                                                   "unmapped header (not in the layout's questions)"))
            for label in source.questions:
                if label not in by_label:
                    result.problems.append(Problem(name, sheet, None, None, label,
                                                   "header missing from the sheet (renamed or dropped?)"))
            for question in source.questions.values():
                if (crosswalk_edition, question) not in value_types:
                    result.problems.append(Problem(name, sheet, None, None, question,
                                                   f"question id not in cfg_item_crosswalk for edition {crosswalk_edition}"))
            questions = [(by_label[label], question) for label, question in source.questions.items() if label in by_label]
            for r in range(source.first_data_row - 1, len(grid)):
                row = grid[r] + [""] * (width - len(grid[r]))
                raw_code = row[code_col].strip()
                if all(v.strip() == "" for v in row):
                    result.rows_skipped += 1
                    continue
                if raw_code == "" or raw_code.startswith(FOOTNOTE_MARKS):
                    result.rows_skipped += 1
                    continue
                result.rows_read += 1
                code, reason = _normalise_code(raw_code, source.code_digits)
                row_problem = None
                if reason:
                    row_problem = Problem(name, sheet, r + 1, _column_letter(code_col), raw_code, reason)
                elif code not in municipalities:
                    row_problem = Problem(name, sheet, r + 1, _column_letter(code_col), raw_code, "unknown municipality code")
                elif (name, sheet, code) in seen:
                    row_problem = Problem(name, sheet, r + 1, _column_letter(code_col), raw_code,
                                          f"duplicate municipality code (first at row {seen[(name, sheet, code)]})")
                if unicodedata.normalize("NFKC", raw_code) != raw_code and code:
                    result.notes.append(f"{name} row {r + 1}: code {raw_code!r} normalised to {code}")
                if row_problem:
                    result.problems.append(row_problem)
                    for _column, question in questions:
                        result.quarantined.append((name, sheet, str(r + 1), raw_code, question, row_problem.reason))
                    continue
                assert code is not None  # a row without a valid code has a row_problem above
                seen[(name, sheet, code)] = r + 1
                for c, question in questions:
                    value = row[c].strip()
                    vtype = value_types.get((crosswalk_edition, question))
                    if vtype and not _mark_ok(value, vtype, vocabulary):
                        problem = Problem(name, sheet, r + 1, _column_letter(c), value, f"unknown answer mark for {vtype} question {question!r}")
                        result.problems.append(problem)
                        result.quarantined.append((name, sheet, str(r + 1), code, question, problem.reason))
                        continue
                    result.answers.append((layout.edition_id, name, r + 1, c + 1, code,
                                           row[name_col].strip() if name_col is not None else municipalities[code],
                                           sheet, question, value))
            if layout.expected_coverage == "all":
                present = {code for (file, _, code) in seen if file == name} | {
                    q[3] for q in result.quarantined if q[0] == name}
                missing = sorted(set(municipalities) - present)
                if missing:
                    result.problems.append(Problem(name, sheet, None, None, None,
                                                   f"{len(missing)} municipalities missing from the edition, e.g. "
                                                   f"{', '.join(f'{c} {municipalities[c]}' for c in missing[:5])}"))
    return result


def write(result: Result, layout: Layout, out_dir: Path, quarantine_dir: Path | None) -> tuple[Path, Path | None]:
    seed = out_dir / f"{layout.seed_name}.csv"
    write_csv(seed, ANSWER_HEADER, [(i, *a) for i, a in enumerate(result.answers, start=1)])
    qpath = None
    if quarantine_dir is not None:
        qpath = quarantine_dir / f"{layout.seed_name}__quarantine.csv"
        write_csv(qpath, ("file", "sheet", "row", "code", "question_id", "reason"), result.quarantined)
    return seed, qpath
