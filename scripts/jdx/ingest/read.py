"""Bounded reading of official answer files: zips, folders, workbooks and CSVs.

Work on a file is capped (Limits): the inflated size of each zip member and of all members
together (the sizes the zip declares are checked first, and the bytes are counted again while
inflating), a sheet's rows and columns (openpyxl in read-only mode with the declared dimension
ignored, so a used range reaching XFD1048576 costs nothing), and a CSV field's size.
Only the members whose names the layout asks for are inflated. Member names written by Japanese
Windows (Shift_JIS bytes, UTF-8 flag unset) are decoded as CP932. Every failure is an IngestError
with a message, never a traceback."""
from __future__ import annotations

import csv
import fnmatch
import io
import os
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MiB = 1024 * 1024
ZIP_UTF8_FLAG = 0x800
ZIP_ENCRYPTED_FLAG = 0x1
ZIP_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "Deflate", zipfile.ZIP_BZIP2: "BZIP2",
               zipfile.ZIP_LZMA: "LZMA"}
ZIP_METHOD_NAMES = {9: "Deflate64", 6: "Implode", 98: "PPMd", 93: "Zstandard", 95: "XZ", 99: "AES (WinZip)"}


class IngestError(RuntimeError):
    """The input cannot be ingested at all (empty, truncated, too big, wrong layout)."""


@dataclass(frozen=True)
class Limits:
    member_bytes: int = 200 * MiB     # one inflated zip member, or one file given directly
    total_bytes: int = 1024 * MiB     # all inflated members together
    rows: int = 200_000               # rows of one sheet or CSV
    columns: int = 2_000              # columns of one sheet or CSV
    field_bytes: int = 128 * 1024     # one CSV field

    @classmethod
    def from_env(cls) -> Limits:
        """Defaults, or JDX_INGEST_MAX_{MEMBER_BYTES,TOTAL_BYTES,ROWS,COLUMNS,FIELD_BYTES}."""
        values = {}
        for name in ("member_bytes", "total_bytes", "rows", "columns", "field_bytes"):
            raw = os.environ.get(f"JDX_INGEST_MAX_{name.upper()}")
            if raw:
                try:
                    values[name] = int(raw)
                except ValueError:
                    raise IngestError(f"JDX_INGEST_MAX_{name.upper()}={raw!r} is not a whole number") from None
        return cls(**values)


@dataclass
class Budget:
    limits: Limits
    used: int = 0

    def spend(self, where: str, n: int) -> None:
        self.used += n
        if self.used > self.limits.total_bytes:
            raise IngestError(f"{where}: the inputs inflate to more than {self.limits.total_bytes:,} bytes in all "
                              "(cap JDX_INGEST_MAX_TOTAL_BYTES): refusing a possible zip bomb")


@dataclass
class Member:
    """One input file: `name` is its base name (as the layout's patterns see it), `origin` where it came from."""

    name: str
    origin: str
    read: Callable[[], bytes]


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name: UTF-8 when the zip says so; otherwise Python decoded the bytes as CP437,
    but Japanese Windows wrote Shift_JIS (CP932): take the bytes back and decode them as CP932."""
    name = info.filename
    if not info.flag_bits & ZIP_UTF8_FLAG:
        try:
            name = name.encode("cp437").decode("cp932")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass  # not Shift_JIS either: keep what the zip says
    return name


def matches(name: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(unicodedata.normalize("NFKC", name), unicodedata.normalize("NFKC", pattern))


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, budget: Budget) -> bytes:
    limits = budget.limits
    if info.flag_bits & ZIP_ENCRYPTED_FLAG:
        raise IngestError(f"{where}: the member is encrypted (password-protected); unzip it with the password "
                          "and ingest the files")
    if info.compress_type not in ZIP_METHODS:
        method = ZIP_METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
        raise IngestError(f"{where}: compressed with {method}, which Python's zipfile cannot inflate; "
                          "unzip it with another tool (e.g. 7-Zip) and ingest the files")
    if info.file_size > limits.member_bytes:
        raise IngestError(f"{where}: declares {info.file_size:,} bytes inflated, more than the cap of "
                          f"{limits.member_bytes:,} (JDX_INGEST_MAX_MEMBER_BYTES)")
    chunks, n = [], 0
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(1 * MiB)
                if not chunk:
                    break
                n += len(chunk)
                if n > limits.member_bytes:
                    raise IngestError(f"{where}: inflates to more than {limits.member_bytes:,} bytes "
                                      "(cap JDX_INGEST_MAX_MEMBER_BYTES; its header declared "
                                      f"{info.file_size:,}): refusing a possible zip bomb")
                budget.spend(where, len(chunk))
                chunks.append(chunk)
    except IngestError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise IngestError(f"{where}: corrupt member, cannot be inflated ({type(exc).__name__}: {exc})") from None
    return b"".join(chunks)


def list_inputs(paths: list[Path], patterns: list[str], budget: Budget, seen: list[str] | None = None) -> list[Member]:
    """Every input file whose base name some pattern matches (zips opened, folders listed, nothing read yet);
    `seen` collects the name of every file and zip member looked at, matched or not."""
    seen = [] if seen is None else seen
    members: list[Member] = []
    limits = budget.limits
    for path in paths:
        if not path.exists():
            raise IngestError(f"{path}: no such file or folder")
        files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix.lower() == ".zip":
                members += _zip_members(file, patterns, budget, seen)
                continue
            seen.append(file.name)
            if any(matches(file.name, p) for p in patterns):
                size = file.stat().st_size
                if size > limits.member_bytes:
                    raise IngestError(f"{file}: {size:,} bytes, more than the cap of {limits.member_bytes:,} "
                                      "(JDX_INGEST_MAX_MEMBER_BYTES)")

                def read(file: Path = file, size: int = size) -> bytes:
                    budget.spend(str(file), size)
                    return file.read_bytes()

                members.append(Member(file.name, str(file), read))
    origins: dict[str, str] = {}
    for m in members:
        if m.name in origins:
            raise IngestError(f"{m.name}: found twice ({origins[m.name]} and {m.origin}); give each file once")
        origins[m.name] = m.origin
    return members


def no_match_message(pattern: str, seen: list[str]) -> str:
    """No input file matches a layout's pattern: the files seen, and what to do about the near misses."""
    hints = []
    suffixes = {n.rsplit("/", 1)[-1].rsplit(".", 1)[-1].lower() for n in seen if "." in n}
    if "xlsm" in suffixes and pattern.lower().endswith(".xlsx"):
        hints.append(f"an .xlsm (macro-enabled workbook) is read like an .xlsx: widen the layout's pattern "
                     f"(e.g. {pattern[:-1] + '[xm]'!r}) or save the file as .xlsx")
    if "xls" in suffixes:
        hints.append("an .xls (Excel 97-2003 workbook) cannot be read: save it as .xlsx")
    if not hints:
        hints.append("check the layout's pattern against the names above (it matches base names, case-sensitively)")
    listed = ", ".join(seen) if seen else "none (an empty folder or zip?)"
    return f"no input file matches {pattern!r}; files seen: {listed}; " + "; ".join(hints)


def _zip_members(path: Path, patterns: list[str], budget: Budget, seen: list[str]) -> list[Member]:
    if path.stat().st_size == 0:
        raise IngestError(f"{path.name}: empty file")
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise IngestError(f"{path.name}: not a readable zip (truncated or corrupt): {exc}") from None
    out = []
    for info in infos:
        if info.is_dir():
            continue
        name = member_name(info).replace("\\", "/").rsplit("/", 1)[-1]
        seen.append(f"{path.name}:{member_name(info)}")
        if not any(matches(name, p) for p in patterns):
            continue  # only what the layout names is inflated
        where = f"{path.name}: member {member_name(info)!r}"

        def read(info: zipfile.ZipInfo = info, where: str = where) -> bytes:
            return _read_member(zf, info, where, budget)

        out.append(Member(name, f"{path.name}:{member_name(info)}", read))
    return out


# ---- sheets -----------------------------------------------------------------------------------

@dataclass
class Sheet:
    """One sheet (or CSV) as text, 1-based rows/columns in messages, 0-based here.

    `flags[(r, c)]`: why a cell cannot be taken as it is (formula without a cached value, percent
    stored as a fraction); `merged`: every merged range as (min_row, min_col, max_row, max_col, ref)."""

    name: str
    sheet: str
    grid: list[list[str]]
    flags: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)  # -> (reason, value shown)
    merged: list[tuple[int, int, int, int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    trailing_blank_rows: int = 0  # blank rows after the last row holding data (read, counted, not kept)


def decode_csv(name: str, data: bytes, limits: Limits) -> Sheet:
    """A CSV in UTF-8 (with or without BOM) or Shift_JIS/CP932."""
    if not data:
        raise IngestError(f"{name}: empty file")
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        csv.field_size_limit(limits.field_bytes)
        reader = csv.reader(io.StringIO(text))
        rows: list[list[str]] = []
        try:
            for row in reader:
                if len(rows) >= limits.rows:
                    raise IngestError(f"{name} line {reader.line_num}: more than {limits.rows:,} rows "
                                      "(cap JDX_INGEST_MAX_ROWS); reading stopped")
                if len(row) > limits.columns:
                    raise IngestError(f"{name} line {reader.line_num}: {len(row):,} columns, more than the cap of "
                                      f"{limits.columns:,} (JDX_INGEST_MAX_COLUMNS)")
                rows.append(row)
        except csv.Error as exc:
            raise IngestError(f"{name} line {reader.line_num}: not a readable CSV: {exc} "
                              f"(cap JDX_INGEST_MAX_FIELD_BYTES = {limits.field_bytes:,})") from None
        return Sheet(name, "", rows, notes=[f"{name}: read as {encoding}"])
    raise IngestError(f"{name}: neither UTF-8 nor Shift_JIS (CP932)")


def _cell_text(value: object) -> str:
    return "" if value is None else str(value)


def _check_package(name: str, data: bytes, limits: Limits) -> None:
    """An .xlsx is itself a zip: its parts' declared sizes are capped before openpyxl inflates them
    (zipfile never inflates a part past its declared size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = 0
            for info in zf.infolist():
                if info.file_size > limits.member_bytes:
                    raise IngestError(f"{name}: workbook part {info.filename!r} declares {info.file_size:,} bytes, "
                                      f"more than the cap of {limits.member_bytes:,} (JDX_INGEST_MAX_MEMBER_BYTES)")
                if info.flag_bits & ZIP_ENCRYPTED_FLAG or info.compress_type not in ZIP_METHODS:
                    raise IngestError(f"{name}: workbook part {info.filename!r} is encrypted or compressed in a way "
                                      "Excel does not write; not a readable workbook")
                total += info.file_size
            if total > limits.total_bytes:
                raise IngestError(f"{name}: workbook parts declare {total:,} bytes, more than the cap of "
                                  f"{limits.total_bytes:,} (JDX_INGEST_MAX_TOTAL_BYTES)")
    except zipfile.BadZipFile:
        if data[:8] == bytes.fromhex("d0cf11e0a1b11ae1"):
            raise IngestError(f"{name}: not an .xlsx package (an encrypted workbook or an old .xls file); "
                              "save it as an unprotected .xlsx") from None
        raise IngestError(f"{name}: not a readable workbook (truncated or corrupt)") from None


def read_sheet(name: str, data: bytes, sheet: str | None, limits: Limits) -> Sheet:
    """All cell values of one sheet as text, streamed in read-only mode within the limits. The row cap
    counts rows holding data: blank rows (a used range formatted down to row 1,048,576) are skipped,
    and those after the last row holding data are only counted (Sheet.trailing_blank_rows)."""
    if not data:
        raise IngestError(f"{name}: empty file")
    if name.lower().endswith(".csv"):
        return decode_csv(name, data, limits)
    if sheet is None:
        raise IngestError(f"{name}: the layout gives no sheet for a workbook (add sheet = \"...\")")
    _check_package(name, data, limits)
    from openpyxl import load_workbook

    try:
        wb_values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        wb_formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except IngestError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise IngestError(f"{name}: not a readable workbook (truncated or corrupt): {type(exc).__name__}: {exc}") from None
    try:
        if sheet not in wb_values.sheetnames:
            raise IngestError(f"{name}: no sheet {sheet!r}; sheets are {wb_values.sheetnames}")
        out = Sheet(name, sheet, [])
        extra = [s for s in wb_values.sheetnames if s != sheet]
        if extra:
            out.notes.append(f"{name}: sheets {extra} ignored (layout reads {sheet!r})")
        ws_v, ws_f = wb_values[sheet], wb_formulas[sheet]
        declared = ws_v.calculate_dimension() if ws_v.max_row else "unsized"
        ws_v.reset_dimensions()  # the declared used range may be A1:XFD1048576: read only the cells present
        ws_f.reset_dimensions()
        try:
            blank_run, data_rows = 0, 0
            for r, (row_v, row_f) in enumerate(zip(ws_v.iter_rows(), ws_f.iter_rows(), strict=True)):
                if len(row_v) > limits.columns:
                    raise IngestError(f"{name} sheet {sheet} row {r + 1}: {len(row_v):,} columns, more than the cap "
                                      f"of {limits.columns:,} (JDX_INGEST_MAX_COLUMNS)")
                texts = []
                for c, cell in enumerate(row_v):
                    value = cell.value
                    texts.append(_cell_text(value))
                    formula = row_f[c] if c < len(row_f) else None
                    if formula is not None and getattr(formula, "data_type", None) == "f" and value is None:
                        out.flags[(r, c)] = ("formula without a cached value (open and save the file in Excel "
                                             "so the value is stored)", _cell_text(formula.value))
                    elif isinstance(value, (int, float)) and not isinstance(value, bool) \
                            and "%" in str(getattr(cell, "number_format", "") or ""):
                        out.flags[(r, c)] = (f"number formatted as a percent ({cell.number_format}): stored "
                                             f"{value!r}, shown as {value * 100:g}%; enter the percent as shown",
                                             _cell_text(value))
                if not any(texts) and not any((r, c) in out.flags for c in range(len(texts))):
                    blank_run += 1  # a blank (perhaps only formatted) row: counted, kept only before a row with data
                    continue
                data_rows += 1
                if data_rows > limits.rows:
                    raise IngestError(f"{name} sheet {sheet}: more than {limits.rows:,} rows holding data (declared "
                                      f"range {declared}; cap JDX_INGEST_MAX_ROWS); reading stopped at row {r + 1}")
                out.grid.extend([] for _ in range(blank_run))
                blank_run = 0
                out.grid.append(texts)
            out.trailing_blank_rows = blank_run
            if blank_run:
                out.notes.append(f"{name} sheet {sheet}: declared range {declared}; {blank_run:,} blank rows after "
                                 "the last row holding data skipped")
            out.merged = _merged_ranges(wb_values, ws_v)
        except IngestError:
            raise
        except Exception as exc:
            raise IngestError(f"{name} sheet {sheet}: not a readable worksheet: {type(exc).__name__}: {exc}") from None
        return out
    finally:
        wb_values.close()
        wb_formulas.close()


def _merged_ranges(wb: Any, ws: Any) -> list[tuple[int, int, int, int, str]]:
    """Merged ranges from the sheet XML (read-only worksheets do not expose them), streamed."""
    from openpyxl.utils.cell import range_boundaries

    out = []
    archive = wb._archive
    with archive.open(ws._worksheet_path) as src:
        for _, elem in ET.iterparse(src, events=("end",)):
            if elem.tag.endswith("}mergeCell"):
                ref = elem.get("ref", "")
                min_col, min_row, max_col, max_row = range_boundaries(ref)
                out.append((min_row - 1, min_col - 1, max_row - 1, max_col - 1, ref))
            elem.clear()
    return out


def column_letter(index: int) -> str:
    """Excel's letter of a 0-based column index (0 -> A)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def csv_grid(name: str, data: bytes) -> tuple[list[list[str]], str]:
    """Rows of a CSV in UTF-8 (with or without BOM) or Shift_JIS/CP932, and the encoding used (capped)."""
    sheet = decode_csv(name, data, Limits.from_env())
    return sheet.grid, sheet.notes[0].rsplit(" ", 1)[-1]


def read_all(path: Path) -> list[tuple[str, bytes]]:
    """(name, bytes) of every file in a zip, a folder, or a single file, within the caps."""
    budget = Budget(Limits.from_env())
    return [(m.name, m.read()) for m in list_inputs([path], ["*"], budget)]


def filled_sheet(name: str, data: bytes, sheet: str | None) -> tuple[list[list[str]], str, list[str]]:
    """All cell values of one sheet as text, read within the caps; merged cells filled from their
    top-left cell as before. A formula without a cached value or a percent stored as a fraction
    stops the read (this helper cannot quarantine a cell)."""
    read = read_sheet(name, data, sheet, Limits.from_env())
    if read.flags:
        (r, c), (reason, value) = sorted(read.flags.items())[0]
        raise IngestError(f"{name} sheet {read.sheet} row {r + 1} column {column_letter(c)}: {reason}: value {value!r}")
    grid = read.grid
    for r0, c0, r1, c1, _ in read.merged:
        top = grid[r0][c0] if r0 < len(grid) and c0 < len(grid[r0]) else ""
        for r in range(r0, min(r1 + 1, len(grid))):
            for c in range(c0, min(c1 + 1, len(grid[r]))):
                if grid[r][c] == "":
                    grid[r][c] = top
    return grid, read.sheet, read.notes
