"""Ingest layout files (ingest_layouts/<edition>.toml), validated against one schema for both kinds:
`kind = "table"` (the default: one row per body, a header text per question, read by jdx.ingest.table)
and `kind = "survey"` (the same keys plus the survey rules documented in jdx.ingest.survey).

Every key is checked, in survey layouts too (their [[sources.choices]], [[sources.pair_blocks]] and
[[code_corrections]] tables included): unknown or misspelt keys, missing keys and wrong types are named with the
file and line (a misspelt key gets a "did you mean"); TOML syntax errors become a message.
The output name (`seed_name`) must match SEED_NAME_PATTERN, so it can never be a path or SQL."""
from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEED_NAME_PATTERN = re.compile(r"^raw_[a-z0-9_]+__[a-z0-9_]+$")
EDITION_PATTERN = re.compile(r"^[a-z0-9_]+$")
COVERAGES = ("all", "partial", "substitutions")  # as cfg_editions.expected_coverage

KINDS = ("table", "survey")
TOP_KEYS: dict[str, tuple[type, bool]] = {  # key -> (type, required)
    "kind": (str, False),
    "edition_id": (str, True),
    "seed_name": (str, True),
    "expected_coverage": (str, False),
    "sources": (list, True),
}
SOURCE_KEYS: dict[str, tuple[type, bool]] = {
    "pattern": (str, True),
    "sheet": (str, False),
    "header_rows": (list, False),
    "first_data_row": (int, False),
    "code_column": (str, True),
    "name_column": (str, False),
    "code_digits": (int, False),
    "ignore_columns": (list, False),
    "questions": (dict, True),
}
# survey layouts: the same keys, and the survey rules (jdx.ingest.survey); a source's questions may
# come from choices or pair blocks instead of [sources.questions]
SURVEY_TOP_KEYS: dict[str, tuple[type, bool]] = TOP_KEYS | {"code_corrections": (list, False)}
SURVEY_SOURCE_KEYS: dict[str, tuple[type, bool]] = SOURCE_KEYS | {
    "questions": (dict, False),
    "skip_prefecture_rows": (bool, False),
    "listed_columns_only": (bool, False),
    "fill_header_right": (list, False),
    "respondent_column": (str, False),
    "respondent_values": (list, False),
    "non_respondent_values": (list, False),
    "check_names": (bool, False),
    "choices": (list, False),
    "code_column_letter": (str, False),
    "name_column_letter": (str, False),
    "pair_blocks": (list, False),
}
CHOICE_KEYS: dict[str, tuple[type, bool]] = {
    "question_id": (str, True),
    "header_starts_with": (str, True),
    "options": (list, True),
    "mark": (str, False),
}
PAIR_BLOCK_KEYS: dict[str, tuple[type, bool]] = {
    "first_column": (int, True),
    "step": (int, True),
    "count": (int, True),
    "label_row": (int, True),
    "online_offset": (int, False),
}
CODE_CORRECTION_KEYS: dict[str, tuple[type, bool]] = {
    "raw_code": (str, True),
    "raw_name": (str, True),
    "code": (str, True),
    "reason": (str, True),
}


class LayoutError(ValueError):
    """A layout file that does not follow the schema (message names file and line)."""


def normalise_label(text: str) -> str:
    """Header text as compared: NFKC, no line breaks, trimmed, inner whitespace collapsed."""
    text = unicodedata.normalize("NFKC", str(text)).replace("\n", "").replace("\r", "")
    return " ".join(text.split())


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
    path: Path | None = None

    @classmethod
    def load(cls, path: Path) -> Layout:
        return load(path)


@dataclass
class Choice:
    question_id: str
    header_starts_with: str
    options: list[str]
    mark: str = "○"


@dataclass
class PairBlock:
    first_column: int
    step: int
    count: int
    label_row: int
    online_offset: int = 1


@dataclass
class SurveySource(Source):
    skip_prefecture_rows: bool = False
    listed_columns_only: bool = False
    fill_header_right: tuple[int, ...] = ()
    respondent_column: str | None = None
    respondent_values: tuple[str, ...] = ()
    non_respondent_values: tuple[str, ...] = ()
    check_names: bool = False
    choices: list[Choice] = field(default_factory=list)
    code_column_letter: str | None = None
    name_column_letter: str | None = None
    pair_blocks: list[PairBlock] = field(default_factory=list)


@dataclass
class CodeCorrection:
    raw_code: str
    raw_name: str
    code: str
    reason: str


@dataclass
class SurveyLayout(Layout):
    code_corrections: list[CodeCorrection] = field(default_factory=list)


class _Lines:
    """Line numbers of keys in the TOML text (tomllib keeps none): good enough to point a person at."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.source_starts = [i + 1 for i, line in enumerate(self.lines) if line.strip().startswith("[[sources]]")]

    def of(self, key: str, block: int | None = None) -> int | None:
        start = 0 if block is None else self.source_starts[block] if block < len(self.source_starts) else 0
        end = (self.source_starts[block + 1] - 1 if block is not None and block + 1 < len(self.source_starts)
               else len(self.lines))
        if block is None and self.source_starts:
            end = self.source_starts[0] - 1
        pattern = re.compile(r'^\s*(?:"' + re.escape(key) + r'"|' + re.escape(key) + r")\s*=")
        for i in range(start, end):
            if pattern.match(self.lines[i]):
                return i + 1
        return None


def _where(path: Path, line: int | None) -> str:
    return f"{path}" + (f" line {line}" if line else "")


def _check_keys(path: Path, table: dict[str, Any], schema: dict[str, tuple[type, bool]], lines: _Lines,
                block: int | None, what: str) -> list[str]:
    errors = []
    for key, value in table.items():
        if key not in schema:
            close = difflib.get_close_matches(key, schema, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(schema)})"
            errors.append(f"{_where(path, lines.of(key, block))}: unknown key {key!r} in {what}{hint}")
            continue
        kind, _ = schema[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            errors.append(f"{_where(path, lines.of(key, block))}: {key!r} in {what} must be a {kind.__name__}, "
                          f"not {type(value).__name__} {value!r}")
    for key, (_, required) in schema.items():
        if required and key not in table:
            line = lines.source_starts[block] if block is not None and block < len(lines.source_starts) else None
            errors.append(f"{_where(path, line)}: missing key {key!r} in {what}")
    return errors


def load(path: Path) -> Layout:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LayoutError(f"{path}: no such layout file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LayoutError(f"{path}: cannot read the layout file: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(f"{path}: not valid TOML: {exc}") from None
    lines = _Lines(text)
    kind = data.get("kind", "table")
    if kind not in KINDS:
        raise LayoutError(f"{_where(path, lines.of('kind'))}: kind {kind!r} must be one of {KINDS}")
    survey = kind == "survey"
    errors = _check_keys(path, data, SURVEY_TOP_KEYS if survey else TOP_KEYS, lines, None, "the layout")
    if errors:
        raise LayoutError("\n".join(errors))
    if not SEED_NAME_PATTERN.match(data["seed_name"]):
        errors.append(f"{_where(path, lines.of('seed_name'))}: seed_name {data['seed_name']!r} must match "
                      f"{SEED_NAME_PATTERN.pattern} (it becomes a file name under data/answers/)")
    if not EDITION_PATTERN.match(data["edition_id"]):
        errors.append(f"{_where(path, lines.of('edition_id'))}: edition_id {data['edition_id']!r} must match "
                      f"{EDITION_PATTERN.pattern}")
    coverage = data.get("expected_coverage", "all")
    if coverage not in COVERAGES:
        errors.append(f"{_where(path, lines.of('expected_coverage'))}: expected_coverage {coverage!r} must be one of {COVERAGES}")
    if not data["sources"]:
        errors.append(f"{_where(path, lines.of('sources'))}: no [[sources]] block")
    sources = []
    for i, s in enumerate(data["sources"]):
        what = f"[[sources]] block {i + 1}"
        if not isinstance(s, dict):
            errors.append(f"{path}: {what} is not a table")
            continue
        block_errors = _check_keys(path, s, SURVEY_SOURCE_KEYS if survey else SOURCE_KEYS, lines, i, what)
        if survey and not block_errors:
            block_errors = _check_survey_tables(path, s, lines, i, what)
        errors += block_errors
        if block_errors:
            continue
        header_rows = s.get("header_rows", [1])
        start = lines.source_starts[i] if i < len(lines.source_starts) else None
        if not header_rows or not all(isinstance(h, int) and not isinstance(h, bool) and h >= 1 for h in header_rows):
            errors.append(f"{_where(path, lines.of('header_rows', i) or start)}: header_rows in {what} must be a "
                          f"non-empty list of row numbers >= 1, not {header_rows!r}")
            continue
        first = s.get("first_data_row", max(header_rows) + 1)
        if first <= max(header_rows):
            errors.append(f"{_where(path, lines.of('first_data_row', i) or start)}: first_data_row {first} in {what} "
                          f"must come after the header rows {header_rows}")
        digits = s.get("code_digits", 6)
        if digits not in (5, 6):
            errors.append(f"{_where(path, lines.of('code_digits', i))}: code_digits in {what} must be 5 or 6, not {digits!r}")
        ignore = s.get("ignore_columns", [])
        if not all(isinstance(c, str) for c in ignore):
            errors.append(f"{_where(path, lines.of('ignore_columns', i))}: ignore_columns in {what} must be a list of texts")
            ignore = []
        questions = s.get("questions", {})
        if not questions and not (survey and (s.get("choices") or s.get("pair_blocks"))):
            errors.append(f"{_where(path, start)}: [sources.questions] of {what} is empty"
                          + (" (and it has no choices or pair_blocks)" if survey else ""))
        bad = [k for k, v in questions.items() if not isinstance(v, str) or not v.strip()]
        if bad:
            errors.append(f"{_where(path, lines.of(bad[0], i))}: question {bad[0]!r} in {what} must map to a question id (text)")
        mapped: dict[str, str] = {}  # question id -> the header (or choice) that maps it first
        for label, question in [*questions.items(),
                                *((f"choice {c.get('header_starts_with')!r}", c.get("question_id"))
                                  for c in (s.get("choices", []) if survey else []) if isinstance(c, dict))]:
            if isinstance(question, str) and question in mapped:
                errors.append(f"{_where(path, lines.of(label, i) or lines.of('question_id', i))}: question id {question!r} "
                              f"is mapped twice in {what}: by {mapped[question]!r} and by {label!r} (a body has one "
                              "answer per question and edition: map each question once)")
            mapped.setdefault(str(question), label)
        normalised: dict[str, str] = {}
        for label, question in questions.items():
            key = normalise_label(label)
            if key in normalised:
                errors.append(f"{_where(path, lines.of(label, i))}: header {label!r} appears twice in {what} "
                              "(after normalisation)")
            normalised[key] = question
        common = dict(pattern=s["pattern"], sheet=s.get("sheet"), header_rows=list(header_rows), first_data_row=first,
                      code_column=s["code_column"], name_column=s.get("name_column"), questions=normalised,
                      code_digits=digits, ignore_columns=tuple(normalise_label(c) for c in ignore))
        sources.append(_survey_source(s, common) if survey else Source(**common))
    if errors:
        raise LayoutError("\n".join(errors))
    if survey:
        corrections = [CodeCorrection(c["raw_code"], c["raw_name"], c["code"], c["reason"])
                       for c in data.get("code_corrections", [])]
        return SurveyLayout(data["edition_id"], data["seed_name"], coverage, sources, path, code_corrections=corrections)
    return Layout(data["edition_id"], data["seed_name"], coverage, sources, path)


def _check_survey_tables(path: Path, s: dict[str, Any], lines: _Lines, block: int, what: str) -> list[str]:
    """The survey rules' own tables and lists, through the same key checks as every other table."""
    errors: list[str] = []
    for key, schema in (("choices", CHOICE_KEYS), ("pair_blocks", PAIR_BLOCK_KEYS)):
        for j, table in enumerate(s.get(key, [])):
            inner = f"[[sources.{key}]] {j + 1} of {what}"
            if not isinstance(table, dict):
                errors.append(f"{_where(path, lines.of(key, block))}: {inner} is not a table")
                continue
            errors += _check_keys(path, table, schema, lines, block, inner)
    for key in ("respondent_values", "non_respondent_values"):
        if not all(isinstance(v, str) for v in s.get(key, [])):
            errors.append(f"{_where(path, lines.of(key, block))}: {key} in {what} must be a list of texts")
    if not all(isinstance(h, int) and not isinstance(h, bool) for h in s.get("fill_header_right", [])):
        errors.append(f"{_where(path, lines.of('fill_header_right', block))}: fill_header_right in {what} must be a list "
                      "of row numbers")
    for j, c in enumerate(s.get("choices", [])):
        if isinstance(c, dict) and not all(isinstance(o, str) for o in c.get("options", [])):
            errors.append(f"{_where(path, lines.of('options', block))}: options of choice {j + 1} in {what} must be texts")
    return errors


def _survey_source(s: dict[str, Any], common: dict[str, Any]) -> SurveySource:
    """A checked survey source: its choices count as questions (`<choice ...>` keys)."""
    choices = [Choice(c["question_id"], normalise_label(c["header_starts_with"]),
                      [normalise_label(o) for o in c["options"]], c.get("mark", "○"))
               for c in s.get("choices", [])]
    common["questions"] = dict(common["questions"]) | {f"<choice {c.header_starts_with}>": c.question_id for c in choices}
    return SurveySource(
        **common,
        skip_prefecture_rows=s.get("skip_prefecture_rows", False),
        listed_columns_only=s.get("listed_columns_only", False),
        fill_header_right=tuple(s.get("fill_header_right", [])),
        respondent_column=s.get("respondent_column"),
        respondent_values=tuple(s.get("respondent_values", [])),
        non_respondent_values=tuple(s.get("non_respondent_values", [])),
        check_names=s.get("check_names", False),
        choices=choices,
        code_column_letter=s.get("code_column_letter"),
        name_column_letter=s.get("name_column_letter"),
        pair_blocks=[PairBlock(b["first_column"], b["step"], b["count"], b["label_row"], b.get("online_offset", 1))
                     for b in s.get("pair_blocks", [])],
    )
