"""`jdx layout draft <zip|xlsx|csv>`: read a downloaded file and write a draft ingest layout.

For every workbook sheet (or CSV) it finds the code column (the column whose values are most
often known 全国地方公共団体コード, 6-digit with check digit or 5-digit without), the first data
row and the header rows above it, the name and respondent-status columns, and for every other
column the best-matching question of cfg_item_crosswalk with a similarity score (difflib from the
standard library; a crosswalk question found whole inside a header scores at least 0.9).
Consecutive columns that match the same question and hold only marks (○) are drafted as a
single-choice group. Nothing is ingested: a person reviews the draft, fills edition_id and
seed_name, and runs `jdx ingest`. File contents never reach a path or a shell; the draft is
written with every string escaped as a TOML basic string."""
from __future__ import annotations

import csv
import difflib
import io
import json
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..loaders.codes import check_digit, is_valid_code6
from .layout import normalise_label
from .read import IngestError, csv_grid

MAX_INPUT_BYTES = 200 * 1024 * 1024  # a file larger than this is refused, not read
MAX_ROWS = 20_000  # rows examined per sheet
MAX_COLUMNS = 2_000
MAX_HEADER_ROWS = 4
MARKS = {"○", "〇", "●", "◯"}
STATUS_VALUES = {"提出済", "未提出", "未確認"}


@dataclass
class ColumnDraft:
    index: int
    letter: str
    label: str
    question_id: str | None
    item_code: str | None
    edition_id: str | None
    score: float
    fill_pct: float
    values: list[str]
    top_label: str = ""  # the upper header rows' text (a question over several option columns)
    option: str = ""  # the last header row's text (the option of a one-column-per-option question)

    @property
    def is_marks(self) -> bool:
        return bool(self.values) and set(self.values) <= MARKS


@dataclass
class SheetDraft:
    file: str
    sheet: str | None
    n_rows: int
    header_rows: list[int]
    first_data_row: int | None
    code_column: str | None
    code_column_letter: str | None
    code_digits: int | None
    code_share: float
    name_column: str | None
    respondent_column: str | None
    respondent_values: list[str]
    columns: list[ColumnDraft] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _grids(name: str, data: bytes) -> list[tuple[str, str | None, list[list[str]]]]:
    """(file, sheet, rows as text) for a CSV, every sheet of a workbook, or every such member of a zip."""
    lower = name.lower()
    if lower.endswith(".zip"):
        out = []
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                total = 0
                for info in zf.infolist():
                    if info.is_dir() or not info.filename.lower().endswith((".csv", ".xlsx", ".xlsm")):
                        continue
                    total += info.file_size
                    if info.file_size > MAX_INPUT_BYTES or total > MAX_INPUT_BYTES:
                        raise IngestError(f"{name}: member {info.filename!r} would inflate past {MAX_INPUT_BYTES} bytes")
                    out += _grids(Path(info.filename).name, zf.read(info))
        except zipfile.BadZipFile as exc:
            raise IngestError(f"{name}: not a readable zip (truncated or corrupt): {exc}") from exc
        return out
    if lower.endswith(".csv"):
        rows, _ = csv_grid(name, data)
        return [(name, None, [r[:MAX_COLUMNS] for r in rows[:MAX_ROWS]])]
    if lower.endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=False, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise IngestError(f"{name}: not a readable workbook: {type(exc).__name__}: {exc}") from exc
        out = []
        for ws in wb.worksheets:
            grid = []
            for row in ws.iter_rows(values_only=True, max_row=min(ws.max_row or 0, MAX_ROWS),
                                     max_col=min(ws.max_column or 0, MAX_COLUMNS)):
                grid.append(["" if v is None else str(v) for v in row])
            for merged in ws.merged_cells.ranges:  # fill merged header cells from their top-left cell
                if merged.min_row - 1 >= len(grid):
                    continue
                top = grid[merged.min_row - 1][merged.min_col - 1]
                for r in range(merged.min_row, min(merged.max_row, len(grid)) + 1):
                    for c in range(merged.min_col, merged.max_col + 1):
                        if c - 1 < len(grid[r - 1]) and grid[r - 1][c - 1] == "":
                            grid[r - 1][c - 1] = top
            out.append((name, ws.title, grid))
        return out
    raise IngestError(f"{name}: not a zip, .xlsx or .csv file")


def _reference(repo: Path) -> tuple[set[str], set[str], list[tuple[str, str, str, str]]]:
    codes: set[str] = set()
    names: set[str] = set()
    with (repo / "seeds/reference/ref_mic_municipalities.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            codes.add(r["municipality_code"])
            pref5 = r["prefecture_code"] + "000"
            codes.add(pref5 + str(check_digit(pref5)))
            names.add(_key(r["municipality_name"]))
            names.add(_key(r["prefecture_name"] + r["municipality_name"]))
    with (repo / "seeds/config/cfg_item_crosswalk.csv").open(encoding="utf-8", newline="") as fh:
        questions = [(r["question_id"], normalise_label(r["question_id"]), r["item_code"], r["edition_id"])
                     for r in csv.DictReader(fh)]
    return codes, names, questions


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _as_code(value: str, digits: int, known: set[str]) -> bool:
    text = unicodedata.normalize("NFKC", value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit():
        return False
    if digits == 6:
        return len(text) <= 6 and is_valid_code6(text.zfill(6)) and text.zfill(6) in known
    if len(text) > 5:
        return False
    code5 = text.zfill(5)
    return code5 + str(check_digit(code5)) in known


def similarity(label: str, question: str, floor: float = 0.0) -> float:
    """difflib ratio of the normalised texts; a question found whole in the header (or the header
    in the question) scores at least 0.9, more the closer the lengths. Below `floor` the exact
    ratio is not computed (difflib's quick upper bound is returned instead)."""
    if not label or not question:
        return 0.0
    short, long_ = sorted((label, question), key=len)
    if len(short) >= 6 and short in long_:
        return round(0.9 + 0.1 * len(short) / len(long_), 3)
    matcher = difflib.SequenceMatcher(None, label[:400], question[:400], autojunk=False)
    if matcher.quick_ratio() <= floor:
        return round(matcher.quick_ratio(), 3)
    return round(matcher.ratio(), 3)


def _best(label: str, questions: list[tuple[str, str, str, str]]) -> tuple[float, tuple[str, str, str, str] | None]:
    best: tuple[float, tuple[str, str, str, str] | None] = (0.0, None)
    for q in questions:
        s = similarity(label, q[1], floor=best[0])
        if s > best[0]:
            best = (s, q)
    return best


def draft_sheet(file: str, sheet: str | None, grid: list[list[str]], repo: Path, min_score: float) -> SheetDraft:
    known, names, questions = _reference(repo)
    width = min(max((len(r) for r in grid), default=0), MAX_COLUMNS)
    rows = [r + [""] * (width - len(r)) for r in grid]
    # the code column: most values that are known codes (6-digit with check digit preferred)
    best_code: tuple[float, int, int] = (0.0, 0, -1)  # (share, digits, column)
    for c in range(width):
        values = [r[c] for r in rows if r[c].strip()]
        if not values:
            continue
        for digits in (6, 5):
            share = sum(_as_code(v, digits, known) for v in values) / len(rows)
            if (share, digits) > best_code[:2]:
                best_code = (share, digits, c)
    draft = SheetDraft(file, sheet, len(rows), [], None, None, None, None, round(best_code[0], 3), None, None, [])
    if best_code[2] < 0 or best_code[0] < 0.3:
        draft.notes.append("no column holds mostly municipality codes: not an answer table (or codes in an unknown form)")
        return draft
    code_col, digits = best_code[2], best_code[1]
    first = next(r for r in range(len(rows)) if _as_code(rows[r][code_col], digits, known))
    header: list[int] = []
    r = first - 1
    while r >= 0 and len(header) < MAX_HEADER_ROWS:
        filled = sum(1 for v in rows[r] if v.strip())
        if filled == 0 or (filled == 1 and header):  # a blank row or a lone title ends the header
            break
        header.insert(0, r)
        r -= 1
    if not header:
        draft.notes.append("no header row above the first code: columns are named by letter only")
    # upper header rows: a blank cell repeats the text to its left (a question over its option columns)
    filled_rows = []
    for i, h in enumerate(header):
        cells = [normalise_label(v) for v in rows[h]]
        if i < len(header) - 1:
            for c in range(1, width):
                if cells[c] == "":
                    cells[c] = cells[c - 1]
        filled_rows.append(cells)
    labels = []
    for c in range(width):
        parts: list[str] = []
        for cells in filled_rows:
            if cells[c] and cells[c] not in parts:
                parts.append(cells[c])
        labels.append(" ".join(parts))
    draft.header_rows = [h + 1 for h in header]
    draft.first_data_row = first + 1
    draft.code_column = labels[code_col] or None
    draft.code_column_letter = _letter(code_col)
    draft.code_digits = digits
    data = rows[first:]
    best_name = (0.0, -1)
    for c in range(width):
        if c == code_col:
            continue
        values = [v for v in (r[c] for r in data) if v.strip()]
        share = sum(_key(v) in names for v in values) / max(len(data), 1)
        if share > best_name[0]:
            best_name = (share, c)
        distinct = set(v.strip() for v in values)
        if distinct and distinct <= STATUS_VALUES and draft.respondent_column is None:
            draft.respondent_column = labels[c]
            draft.respondent_values = sorted(distinct)
    if best_name[0] >= 0.5:
        draft.name_column = labels[best_name[1]]
    special = {code_col} | ({best_name[1]} if draft.name_column else set())
    for c in range(width):
        if c in special or (draft.respondent_column and labels[c] == draft.respondent_column):
            continue
        values = [v.strip() for v in (r[c] for r in data) if v.strip()]
        kinds = sorted(set(values))
        score, q = _best(labels[c], questions) if labels[c] else (0.0, None)
        matched = q is not None and score >= min_score
        draft.columns.append(ColumnDraft(
            c, _letter(c), labels[c], q[0] if matched and q else None, q[2] if matched and q else None,
            q[3] if matched and q else None, score, round(100 * len(values) / max(len(data), 1), 1), kinds[:8],
            top_label=filled_rows[0][c] if len(filled_rows) > 1 else "",
            option=filled_rows[-1][c] if filled_rows else ""))
    return draft


def draft_layout(path: Path, repo: Path, min_score: float = 0.8) -> list[SheetDraft]:
    if path.stat().st_size > MAX_INPUT_BYTES:
        raise IngestError(f"{path.name}: larger than {MAX_INPUT_BYTES} bytes, not read")
    data = path.read_bytes()
    if not data:
        raise IngestError(f"{path.name}: empty file")
    return [draft_sheet(f, s, g, repo, min_score) for f, s, g in _grids(path.name, data)]


def _q(text: str) -> str:
    """A TOML basic string (JSON escaping is valid TOML for these characters)."""
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str) -> str:
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _choice_groups(draft: SheetDraft) -> list[tuple[str, list[ColumnDraft]]]:
    groups: list[tuple[str, list[ColumnDraft]]] = []
    for col in draft.columns:
        if col.question_id and col.is_marks:
            last = groups[-1][1][-1] if groups else None
            if (groups and last is not None and groups[-1][0] == col.question_id and last.index == col.index - 1
                    and last.top_label == col.top_label):
                groups[-1][1].append(col)
                continue
            groups.append((col.question_id, [col]))
    return [g for g in groups if len(g[1]) > 1]


def render(drafts: list[SheetDraft], source_name: str, min_score: float) -> str:
    out = [
        f"# DRAFT layout written by `jdx layout draft` from {_comment(source_name)}: review every line before `jdx ingest`.",
        "# Fill edition_id and seed_name (cfg_editions), delete the questions you do not want, check the scores.",
        f"# Similarity: difflib ratio of the NFKC-normalised texts (1.0 = same text); matched at >= {min_score}.",
        'kind = "survey"',
        'edition_id = "TODO"',
        'seed_name = "TODO"',
        'expected_coverage = "all"',
        "",
    ]
    for d in drafts:
        where = f"{d.file}" + (f" sheet {d.sheet}" if d.sheet else "")
        if d.code_column_letter is None:
            out += [f"# {_comment(where)}: skipped ({'; '.join(d.notes)})", ""]
            continue
        grouped = {c.index for _, cols in _choice_groups(d) for c in cols}
        out += [
            f"# {_comment(where)}: {d.n_rows} rows; codes in column {d.code_column_letter} "
            f"({round(100 * d.code_share, 1)}% of rows are known codes, {d.code_digits}-digit)",
            "[[sources]]",
            f"pattern = {_q(d.file)}",
        ]
        if d.sheet:
            out.append(f"sheet = {_q(d.sheet)}")
        out += [
            f"header_rows = {d.header_rows}",
            f"first_data_row = {d.first_data_row}",
        ]
        if len(d.header_rows) > 1:
            out.append(f"fill_header_right = {d.header_rows[:-1]}")
        out += [
            f"code_column = {_q(d.code_column or d.code_column_letter)}",
            f"code_digits = {d.code_digits}",
        ]
        if d.name_column:
            out += [f"name_column = {_q(d.name_column)}", "check_names = true"]
        out.append("skip_prefecture_rows = true")
        out.append("listed_columns_only = true")
        if d.respondent_column:
            out += [f"respondent_column = {_q(d.respondent_column)}",
                    f"respondent_values = {_q_list([v for v in d.respondent_values if v == '提出済'])}",
                    f"non_respondent_values = {_q_list([v for v in d.respondent_values if v != '提出済'])}"]
        out.append("[sources.questions]")
        for col in d.columns:
            if col.question_id and col.index not in grouped:
                out.append(f"# column {col.letter}, score {col.score}, item {col.item_code} ({col.edition_id}), "
                           f"filled {col.fill_pct}%, values {_comment(' | '.join(col.values[:5]))[:200]}")
                out.append(f"{_q(col.label)} = {_q(col.question_id)}")
        for question_id, cols in _choice_groups(d):
            out += [
                f"# columns {cols[0].letter}-{cols[-1].letter}: one option per column, marked {cols[0].values}; "
                f"scores {[c.score for c in cols]}, item {cols[0].item_code} ({cols[0].edition_id})",
                "[[sources.choices]]",
                f"question_id = {_q(question_id)}",
                f"header_starts_with = {_q(cols[0].top_label or _common_prefix([c.label for c in cols]))}",
                f"options = {_q_list([c.option for c in cols])}",
                f"mark = {_q(cols[0].values[0])}",
            ]
        unmatched = [c for c in d.columns if not c.question_id]
        out.append(f"# {len(unmatched)} unmatched column(s) (best score below {min_score}):")
        for col in unmatched:
            out.append(f"#   {col.letter} score {col.score}: {_comment(col.label)[:160]}")
        out.append("")
    return "\n".join(out)


def _q_list(values: list[str]) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def _common_prefix(labels: list[str]) -> str:
    prefix = labels[0]
    for label in labels[1:]:
        while not label.startswith(prefix):
            prefix = prefix[:-1]
    return prefix.strip()


def write(path: Path, repo: Path, out: Path, min_score: float = 0.8) -> tuple[Path, list[SheetDraft]]:
    drafts = draft_layout(path, repo, min_score)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text(render(drafts, path.name, min_score) + "\n", encoding="utf-8")
    tmp.replace(out)
    return out, drafts
