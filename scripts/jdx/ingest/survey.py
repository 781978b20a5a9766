"""Survey-style layouts for `jdx ingest` (realfiles, issue #15): official questionnaires whose
answer files are one row per body with many questions, such as the open-data surveys.

A layout opts in with `kind = "survey"` at the top. Beside the keys of every layout (jdx.ingest.layout checks them all, these too) it understands
(every key is documented again in the layout files that use it):

- per source
  - `skip_prefecture_rows = true`: rows whose code is a prefecture's (digits 3-5 are 000) are not
    municipal answers; they are skipped and counted.
  - `listed_columns_only = true`: read only the listed questions; every other column is counted
    and named in a note instead of stopping the ingest as an unmapped header.
  - `fill_header_right = [1]`: header rows in which a blank cell repeats the text to its left
    (a question spanning its answer options without merged cells, as in CSV exports).
  - `respondent_column`, `respondent_values`, `non_respondent_values`: the submission status of
    each body. A non-respondent's answer to every read question is its status text (e.g. 未提出),
    read from the status column, so it reaches the warehouse as an explicit `not_surveyed`
    (cfg_answer_vocabulary); a non-respondent with any answer, or an unknown status, is a problem.
  - `check_names = true`: the name column must be the MIC name of the code (optionally after the
    prefecture name; cfg_name_variants allowed), else the row is a problem (a wrong code).
  - `[[sources.choices]]`: a single-choice question spread over one column per option, the chosen
    option marked (`mark`, e.g. ○). `header_starts_with` finds the question in the first header
    row; `options` are the option labels of the second header row, in order (a changed list is a
    problem). The answer written is the chosen option's label (raw_value) at the chosen column;
    two marks, or another value than the mark, are problems.
  - `code_column_letter`, `name_column_letter`: find the code (name) column by position (e.g. "B")
    where the header text is not known; `code_column` is then only a label for messages.
  - `[[sources.pair_blocks]]`: procedure blocks as (exists 有/無, online 済/未) pairs:
    `first_column` (1-based column of the first 有/無 cell), `step` (columns from one procedure to
    the next), `count`, `online_offset` (columns from 有/無 to 済/未, default 1) and `label_row`
    (the header row naming the procedure above its 有/無 cell). Each pair gives two answers,
    question ids `<procedure>（有無）` and `<procedure>（オンライン化）`; 有/無 must be one of
    those two, 済/未 blank or 済/未, and 済 where the procedure is 無 is a problem.
- per layout
  - `[[code_corrections]]`: `raw_code`, `raw_name`, `code`, `reason`: a known wrong code in the
    official file, corrected only on the row whose code and name both match. A rule that matches
    no row is a problem (the file changed).

Counts reconcile as in jdx.ingest.table: data rows read = bodies answered + bodies quarantined, and
answers = written + quarantined; skipped rows (blank, footnote, prefecture) are counted apart."""
from __future__ import annotations

import csv
import fnmatch
import unicodedata
from pathlib import Path

from ..csv_files import progress
from .checks import FOOTNOTE_MARKS, Problem, Result, load_config, mark_ok, normalise_code
from .layout import Choice, SurveyLayout, SurveySource, normalise_label
from .read import IngestError, column_letter, filled_sheet, no_match_message, read_all

EXISTS_SUFFIX = "（有無）"
ONLINE_SUFFIX = "（オンライン化）"


def _column_index(letter: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letter) - 1


def _name_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _reference(repo: Path) -> tuple[dict[str, set[str]], set[str]]:
    """Accepted name spellings per code (name, prefecture+name, variants) and the prefecture codes."""
    names: dict[str, set[str]] = {}
    prefectures: set[str] = set()
    with (repo / "seeds/reference/ref_mic_municipalities.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            names[r["municipality_code"]] = {_name_key(r["municipality_name"]),
                                             _name_key(r["prefecture_name"] + r["municipality_name"])}
            prefectures.add(r["prefecture_code"])
    with (repo / "seeds/config/cfg_name_variants.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            for known in list(names.get(r["municipality_code"], ())):
                names[r["municipality_code"]].add(known.replace(_name_key(r["canonical_name"]), _name_key(r["variant_name"])))
    return names, prefectures


def _labels(grid: list[list[str]], source: SurveySource, width: int) -> tuple[list[str], dict[int, list[str]]]:
    """Joined header label per column, and each header row's (filled) cells."""
    rows: dict[int, list[str]] = {}
    for h in source.header_rows:
        cells = [normalise_label(v) for v in grid[h - 1]] + [""] * (width - len(grid[h - 1]))
        if h in source.fill_header_right:
            for c in range(1, width):
                if cells[c] == "":
                    cells[c] = cells[c - 1]
        rows[h] = cells
    labels = []
    for c in range(width):
        parts: list[str] = []
        for h in source.header_rows:
            if rows[h][c] and rows[h][c] not in parts:
                parts.append(rows[h][c])
        labels.append(" ".join(parts))
    return labels, rows


def _choice_columns(grid: list[list[str]], source: SurveySource, choice: Choice, width: int,
                    name: str, sheet: str, problems: list[Problem]) -> list[int] | None:
    """Columns of a choice question's options, checked against the layout's option list."""
    first, second = source.header_rows[0], source.header_rows[-1]
    top = [normalise_label(v) for v in grid[first - 1]] + [""] * width
    starts = [c for c in range(width) if top[c].startswith(choice.header_starts_with)]
    if len(starts) != 1:
        problems.append(Problem(name, sheet, first, None, choice.header_starts_with,
                                f"choice question {choice.question_id!r}: {len(starts)} header cells start with this text (expected 1)"))
        return None
    end = starts[0] + 1
    while end < width and top[end] == "":
        end += 1
    columns = list(range(starts[0], end))
    found = [normalise_label(grid[second - 1][c]) if c < len(grid[second - 1]) else "" for c in columns]
    if found != choice.options:
        problems.append(Problem(name, sheet, second, column_letter(starts[0]), " | ".join(found),
                                f"choice question {choice.question_id!r}: options differ from the layout's {choice.options}"))
        return None
    return columns


def ingest_survey(layout: SurveyLayout, inputs: list[Path], repo: Path) -> Result:
    municipalities, value_types, editions, vocabulary = load_config(repo)
    names, _ = _reference(repo)
    result = Result()
    if layout.edition_id not in editions:
        raise IngestError(f"edition {layout.edition_id!r} is not in seeds/config/cfg_editions.csv: add its row first")
    crosswalk_edition = editions[layout.edition_id]
    files = [f for path in inputs for f in read_all(path)]
    used_corrections: set[int] = set()
    for source in layout.sources:
        assert isinstance(source, SurveySource)
        pattern = unicodedata.normalize("NFKC", source.pattern)
        matched = [(n, d) for n, d in files if fnmatch.fnmatch(unicodedata.normalize("NFKC", n), pattern)]
        if not matched:
            raise IngestError(no_match_message(source.pattern, [n for n, _ in files]))
        for name, data in matched:
            progress(f"ingest: reading {name} (survey layout)")
            grid, sheet, notes = filled_sheet(name, data, source.sheet)
            result.notes += notes
            if len(grid) < max(source.header_rows):
                raise IngestError(f"{name} sheet {sheet}: {len(grid)} rows, fewer than the header rows {source.header_rows}")
            width = max(len(r) for r in grid)
            labels, _ = _labels(grid, source, width)
            by_label: dict[str, int] = {}
            for c, label in enumerate(labels):
                if label and label not in by_label:
                    by_label[label] = c
            code_col = (_column_index(source.code_column_letter) if source.code_column_letter
                        else by_label.get(normalise_label(source.code_column)))
            if code_col is None:
                raise IngestError(f"{name} sheet {sheet}: no code column {source.code_column!r} in the header rows {source.header_rows}")
            name_col = (_column_index(source.name_column_letter) if source.name_column_letter
                        else by_label.get(normalise_label(source.name_column)) if source.name_column else None)
            status_col = by_label.get(normalise_label(source.respondent_column)) if source.respondent_column else None
            if source.respondent_column and status_col is None:
                raise IngestError(f"{name} sheet {sheet}: no respondent column {source.respondent_column!r}")
            plain = [(by_label[label], q) for label, q in source.questions.items()
                     if label in by_label and q not in {ch.question_id for ch in source.choices}]
            for label, q in source.questions.items():
                if label not in by_label and q not in {ch.question_id for ch in source.choices}:
                    result.problems.append(Problem(name, sheet, None, None, label, "header missing from the sheet (renamed or dropped?)"))
            choices: list[tuple[Choice, list[int]]] = []
            for choice in source.choices:
                cols = _choice_columns(grid, source, choice, width, name, sheet, result.problems)
                if cols is not None:
                    choices.append((choice, cols))
            pairs: list[tuple[int, int, str]] = []  # (exists column, online column, procedure)
            for block in source.pair_blocks:
                for i in range(block.count):
                    c = block.first_column - 1 + i * block.step
                    label_cells = grid[block.label_row - 1] if block.label_row - 1 < len(grid) else []
                    label = normalise_label(label_cells[c]) if c < len(label_cells) else ""
                    if c + block.online_offset >= width or not label:
                        result.problems.append(Problem(name, sheet, block.label_row, column_letter(c), label,
                                                       "procedure pair block: no procedure name above the 有/無 column "
                                                       "(or the sheet ends): the block's columns differ from the layout"))
                        continue
                    pairs.append((c, c + block.online_offset, label))
            plain = plain + [(c, p + EXISTS_SUFFIX) for c, _, p in pairs] + [(o, p + ONLINE_SUFFIX) for _, o, p in pairs]
            for q in [q for _, q in plain] + [ch.question_id for ch in source.choices]:
                if (crosswalk_edition, q) not in value_types:
                    result.problems.append(Problem(name, sheet, None, None, q,
                                                   f"question id not in cfg_item_crosswalk for edition {crosswalk_edition}"))
            read_cols = {code_col, *( [name_col] if name_col is not None else []), *([status_col] if status_col is not None else []),
                         *(c for c, _ in plain), *(c for _, cols in choices for c in cols)}
            unread = [c for c, label in enumerate(labels) if c not in read_cols and label not in source.ignore_columns]
            unmapped: list[int] = []  # columns whose non-empty cells are read and quarantined
            if unread and not source.listed_columns_only:
                unmapped = unread
                for c in unread:
                    result.problems.append(Problem(name, sheet, None, column_letter(c), labels[c], "unmapped header (not in the layout's questions)"))
            elif unread:
                result.notes.append(f"{name}: {len(unread)} of {width} columns not read (listed_columns_only: the layout reads "
                                    f"{len(read_cols)} columns)")
            seen: dict[str, int] = {}
            counts = {"prefecture": 0, "non_respondent": 0, "respondent_blank": 0, "corrected": 0}
            n_questions = len(plain) + len(choices)
            counted, produced_before = 0, len(result.answers) + len(result.quarantined)
            for r in range(source.first_data_row - 1, len(grid)):
                row = grid[r] + [""] * (width - len(grid[r]))
                raw_code = row[code_col].strip()
                if all(v.strip() == "" for v in row) or raw_code == "" or raw_code.startswith(FOOTNOTE_MARKS):
                    result.rows_skipped += 1
                    continue
                raw_name = row[name_col].strip() if name_col is not None else ""
                code, reason = normalise_code(raw_code, source.code_digits)
                for i, rule in enumerate(layout.code_corrections):
                    if code == rule.raw_code.zfill(6) and _name_key(raw_name) == _name_key(rule.raw_name):
                        result.notes.append(f"{name} row {r + 1}: code {raw_code} of {raw_name!r} corrected to {rule.code} "
                                            f"(code_corrections: {rule.reason})")
                        code, reason = rule.code, None
                        used_corrections.add(i)
                        counts["corrected"] += 1
                if source.skip_prefecture_rows and code and code[2:5] == "000":
                    result.rows_skipped += 1
                    counts["prefecture"] += 1
                    continue
                result.rows_read += 1
                # every cell read is accounted for: one per question, and each non-empty cell under an unmapped header
                filled_unmapped = [c for c in unmapped if row[c].strip()]
                counted += n_questions + len(filled_unmapped)
                for c in filled_unmapped:
                    result.quarantined.append((name, sheet, str(r + 1), column_letter(c), code or raw_code, "",
                                               row[c].strip(), f"unmapped header {labels[c]!r}"))
                where = (name, sheet, r + 1, column_letter(code_col), raw_code)
                row_problem = None
                if reason:
                    row_problem = Problem(*where, reason)
                elif code not in municipalities:
                    row_problem = Problem(*where, "unknown municipality code")
                elif source.check_names and name_col is not None and _name_key(raw_name) not in names.get(code, set()):
                    row_problem = Problem(name, sheet, r + 1, column_letter(name_col), raw_name,
                                          f"name does not match code {code} ({municipalities[code]}): a wrong code? "
                                          "(a known one is corrected by the layout's code_corrections)")
                elif code in seen:
                    row_problem = Problem(*where, f"duplicate municipality code (first at row {seen[code]})")
                status = row[status_col].strip() if status_col is not None else None
                if row_problem is None and status is not None and status not in source.respondent_values + source.non_respondent_values:
                    row_problem = Problem(name, sheet, r + 1, column_letter(status_col or 0), status,
                                          f"unknown respondent status (layout knows {list(source.respondent_values + source.non_respondent_values)})")
                is_non_respondent = status is not None and status in source.non_respondent_values
                if row_problem is None and is_non_respondent:
                    answered = [c for c in sorted(read_cols - {code_col, name_col, status_col}) if row[c].strip()]
                    if answered:
                        row_problem = Problem(name, sheet, r + 1, column_letter(answered[0]), row[answered[0]].strip(),
                                              f"answer from a body whose status is {status!r} (non-respondent)")
                if row_problem:
                    result.problems.append(row_problem)
                    for q in [q for _, q in plain] + [ch.question_id for ch, _ in choices]:
                        result.quarantined.append((name, sheet, str(r + 1), raw_code, q, row_problem.reason))
                    continue
                assert code is not None
                seen[code] = r + 1
                body_name = raw_name or municipalities[code]
                if is_non_respondent:
                    counts["non_respondent"] += 1
                    assert status_col is not None and status is not None
                    for q in [q for _, q in plain] + [ch.question_id for ch, _ in choices]:
                        result.answers.append((layout.edition_id, name, r + 1, status_col + 1, code, body_name, sheet, q, status))
                    continue
                cells: list[tuple[int, str, str]] = [(c, q, row[c].strip()) for c, q in plain]
                pair_problem = next(((c, o, p) for c, o, p in pairs
                                     if row[c].strip() not in ("有", "無") or row[o].strip() not in ("", "済", "未")
                                     or (row[c].strip() == "無" and row[o].strip() == "済")), None)
                if pair_problem:
                    c, o, p = pair_problem
                    problem = Problem(name, sheet, r + 1, column_letter(c), f"{row[c].strip()} / {row[o].strip()}",
                                      f"procedure {p!r}: expected 有/無 then blank, 済 or 未 (済 only where 有)")
                    result.problems.append(problem)
                    for q in [q for _, q in plain] + [ch.question_id for ch, _ in choices]:
                        result.quarantined.append((name, sheet, str(r + 1), code, q, problem.reason))
                    continue
                for choice, cols in choices:
                    values = {c: row[c].strip() for c in cols if row[c].strip()}
                    odd = {c: v for c, v in values.items() if v != choice.mark}
                    if odd or len(values) > 1:
                        c = next(iter(odd or values))
                        reason_text = (f"value other than the mark {choice.mark!r}" if odd
                                       else f"{len(values)} options marked in a single-choice question")
                        problem = Problem(name, sheet, r + 1, column_letter(c), values[c],
                                          f"choice question {choice.question_id!r}: {reason_text}")
                        result.problems.append(problem)
                        result.quarantined.append((name, sheet, str(r + 1), code, choice.question_id, problem.reason))
                        continue
                    if values:
                        c = next(iter(values))
                        cells.append((c, choice.question_id, choice.options[cols.index(c)]))
                    else:
                        cells.append((cols[0], choice.question_id, ""))
                for c, q, value in cells:
                    vtype = value_types.get((crosswalk_edition, q))
                    if vtype and not mark_ok(value, vtype, vocabulary):
                        problem = Problem(name, sheet, r + 1, column_letter(c), value, f"unknown answer mark for {vtype} question {q!r}")
                        result.problems.append(problem)
                        result.quarantined.append((name, sheet, str(r + 1), code, q, problem.reason))
                        continue
                    if value == "":
                        counts["respondent_blank"] += 1
                    result.answers.append((layout.edition_id, name, r + 1, c + 1, code, body_name, sheet, q, value))
            produced = len(result.answers) + len(result.quarantined) - produced_before
            if counted != produced:
                raise IngestError(f"{name} sheet {sheet}: internal accounting error: {counted} answer cells read but "
                                  f"{produced} written or quarantined; nothing written (please report this)")
            result.cells_read += counted
            result.notes.append(
                f"{name}: {counts['prefecture']} prefecture rows skipped; {counts['non_respondent']} non-respondents x "
                f"{n_questions} question(s) written as their status ({', '.join(source.non_respondent_values) or '-'}); "
                f"{counts['respondent_blank']} blank answers from respondents; {counts['corrected']} code(s) corrected")
            if layout.expected_coverage == "all":
                present = set(seen) | {q[3] for q in result.quarantined if q[0] == name}
                missing = sorted(set(municipalities) - present)
                if missing:
                    result.problems.append(Problem(name, sheet, None, None, None,
                                                   f"{len(missing)} municipalities missing from the edition, e.g. "
                                                   f"{', '.join(f'{c} {municipalities[c]}' for c in missing[:5])}"))
    for i, rule in enumerate(layout.code_corrections):
        if i not in used_corrections:
            result.problems.append(Problem(", ".join(n for n, _ in files), "", None, None, f"{rule.raw_code} {rule.raw_name}",
                                           "code_corrections rule matched no row (the file changed? review the rule)"))
    return result
