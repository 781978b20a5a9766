"""Ingest layout files (ingest_layouts/<edition>.toml), validated against a schema.

Every key is checked: unknown or misspelt keys, missing keys and wrong types are named with the
file and line (a misspelt key gets a "did you mean"); TOML syntax errors become a message.
The output name (`seed_name`) must match SEED_NAME_PATTERN, so it can never be a path or SQL."""
from __future__ import annotations

import difflib
import importlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEED_NAME_PATTERN = re.compile(r"^raw_[a-z0-9_]+__[a-z0-9_]+$")
EDITION_PATTERN = re.compile(r"^[a-z0-9_]+$")
COVERAGES = ("all", "partial", "substitutions")  # as cfg_editions.expected_coverage

TOP_KEYS: dict[str, tuple[type, bool]] = {  # key -> (type, required)
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
    if data.get("kind") == "survey":  # realfiles (#15): survey layouts have their own reader and keys
        survey = importlib.import_module(".ingest_survey", __package__)
        layout: Layout = survey.SurveyLayout.from_toml(data)
        return layout
    lines = _Lines(text)
    errors = _check_keys(path, data, TOP_KEYS, lines, None, "the layout")
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
        block_errors = _check_keys(path, s, SOURCE_KEYS, lines, i, what)
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
        questions = s["questions"]
        if not questions:
            errors.append(f"{_where(path, start)}: [sources.questions] of {what} is empty")
        bad = [k for k, v in questions.items() if not isinstance(v, str) or not v.strip()]
        if bad:
            errors.append(f"{_where(path, lines.of(bad[0], i))}: question {bad[0]!r} in {what} must map to a question id (text)")
        normalised: dict[str, str] = {}
        for label, question in questions.items():
            key = normalise_label(label)
            if key in normalised:
                errors.append(f"{_where(path, lines.of(label, i))}: header {label!r} appears twice in {what} "
                              "(after normalisation)")
            normalised[key] = question
        sources.append(Source(
            pattern=s["pattern"], sheet=s.get("sheet"), header_rows=list(header_rows), first_data_row=first,
            code_column=s["code_column"], name_column=s.get("name_column"), questions=normalised,
            code_digits=digits, ignore_columns=tuple(normalise_label(c) for c in ignore),
        ))
    if errors:
        raise LayoutError("\n".join(errors))
    return Layout(data["edition_id"], data["seed_name"], coverage, sources, path)
