"""Ingest official answer files (MIC workbooks, Digital Agency / card CSVs) into raw answer files.

The layout of an edition is configuration (ingest_layouts/<edition>.toml, validated by
jdx.ingest.layout): which workbook or CSV, which sheet, header rows, the code column and, for each
question, its header text -> question id. Everything is read as text, within caps (jdx.ingest.read).

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

import unicodedata
from pathlib import Path

from ..csv_files import progress
from .checks import (
    FOOTNOTE_MARKS,
    Config,
    Problem,
    Result,
    code_digits_missing,
    load_config,
    mark_ok,
    normalise_code,
    out_of_range,
    same_name,
)
from .layout import Layout, Source, normalise_label
from .read import Budget, IngestError, Limits, Sheet, column_letter, list_inputs, matches, no_match_message, read_sheet


def ingest_table(layout: Layout, inputs: list[Path], repo: Path, limits: Limits | None = None) -> Result:
    limits = limits or Limits.from_env()
    config = load_config(repo)
    if layout.edition_id not in config.editions:
        raise IngestError(f"edition {layout.edition_id!r} is not in seeds/config/cfg_editions.csv: add its row first")
    result = Result()
    budget = Budget(limits)
    seen_files: list[str] = []
    members = list_inputs(inputs, [s.pattern for s in layout.sources], budget, seen_files)
    seen: dict[tuple[str, str, str], int] = {}  # (file, sheet, code) -> first row
    for source in layout.sources:
        matched = [m for m in members if matches(m.name, source.pattern)]
        if not matched:
            raise IngestError(no_match_message(source.pattern, seen_files))
        for member in matched:
            progress(f"ingest: reading {member.origin}")
            sheet = read_sheet(member.name, member.read(), source.sheet, limits)
            result.notes += sheet.notes
            result.rows_skipped += sheet.trailing_blank_rows
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
        p = Problem(name, sheet_name, row, None if col is None else column_letter(col), value, reason, fatal)
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
                              f"{len(found)} times (columns {', '.join(column_letter(c) for c in found)})")
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
            where = ", ".join(column_letter(c) for c in cols)
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
    without_cd = code_digits_missing(grid, code_col, first) if source.code_digits == 6 else None
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
                    f"{column_letter(nonempty[0])} {row[nonempty[0]]!r})")
        else:
            code, code_reason = normalise_code(raw_code, source.code_digits, without_cd)
            if code_reason:
                row_reason = code_reason
            elif code not in config.municipalities:
                row_reason = "unknown municipality code"
            elif (name, sheet_name, code) in seen:
                row_reason = f"duplicate municipality code (first at row {seen[(name, sheet_name, code)]})"
            elif name_col is not None and not same_name(row[name_col], config.municipalities[code]):
                row_reason = (f"name {row[name_col].strip()!r} disagrees with the code list "
                              f"({code} is {config.municipalities[code]!r})")
            if row_reason:
                problem(r + 1, code_col, raw_code, row_reason)
            if unicodedata.normalize("NFKC", raw_code) != raw_code and code and not row_reason:
                result.notes.append(f"{name} row {r + 1}: code {raw_code!r} normalised to {code}")
        if row_reason:
            for c, question in cells:
                result.quarantined.append((name, sheet_name, str(r + 1), column_letter(c), raw_code, question,
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
                elif not mark_ok(value, vtype, config.vocabulary):
                    reason = f"unknown answer mark for {vtype} question {question!r}"
                    problem(r + 1, c, value, reason)
                elif (range_reason := out_of_range(value, vtype)) is not None:
                    reason = f"{range_reason} for {vtype} question {question!r}"
                    problem(r + 1, c, value, reason)
            if reason:
                result.quarantined.append((name, sheet_name, str(r + 1), column_letter(c), code, question, value, reason))
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
