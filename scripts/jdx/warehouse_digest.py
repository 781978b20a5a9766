"""Per-table digests and comparisons of a built warehouse's marts (dim_, fct_, rpt_).

A digest is the SHA-256 of a table's column names and types and of every row, rows taken in a
stated order (`order by all`), values written with Python's repr (floats to the last bit). Two
builds with byte-identical marts have equal digests for every mart, whatever order DuckDB stored
the rows in. `compare` checks two warehouses' marts value by value with a tolerance, for changes
that must keep results (issue #13: within 1e-12)."""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

MART_PREFIXES = ("dim_", "fct_", "rpt_")


def _connect(db: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(db), read_only=True)
    con.execute("set enable_progress_bar = false")
    return con


def mart_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Marts (tables or views named dim_, fct_ or rpt_) in any schema, sorted."""
    rows = con.execute(
        "select distinct table_name from information_schema.tables where table_catalog = current_database()"
    ).fetchall()
    return sorted(r[0] for r in rows if r[0].startswith(MART_PREFIXES))


def _qualified(con: duckdb.DuckDBPyConnection, name: str) -> str:
    schema = con.execute(
        "select table_schema from information_schema.tables where table_name = ? and table_catalog = current_database()"
        " order by table_schema = 'main' desc limit 1",
        [name],
    ).fetchone()
    if schema is None:
        raise KeyError(name)
    return f'"{schema[0]}"."{name}"'


def table_digest(con: duckdb.DuckDBPyConnection, name: str) -> str:
    relation = con.sql(f"select * from {_qualified(con, name)} order by all")
    digest = hashlib.sha256()
    digest.update(repr(list(zip(relation.columns, map(str, relation.types), strict=True))).encode())
    while batch := relation.fetchmany(10_000):
        for row in batch:
            digest.update(repr(row).encode())
            digest.update(b"\n")
    return digest.hexdigest()


def digests(db: Path) -> dict[str, str]:
    con = _connect(db)
    try:
        return {name: table_digest(con, name) for name in mart_names(con)}
    finally:
        con.close()


@dataclass
class TableComparison:
    name: str
    rows_a: int
    rows_b: int
    columns_only_a: list[str] = field(default_factory=list)
    columns_only_b: list[str] = field(default_factory=list)
    max_abs_diff: float = 0.0
    mismatches: list[str] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return self.rows_a == self.rows_b and not self.columns_only_a and not self.mismatches


def _close(a: Any, b: Any, tol: float) -> tuple[bool, float]:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is None and b is None, 0.0
        if math.isnan(a) and math.isnan(b):
            return True, 0.0
        diff = abs(float(a) - float(b))
        return diff <= tol * max(1.0, abs(float(a)), abs(float(b))), diff
    return a == b, 0.0


def compare_tables(con_a: duckdb.DuckDBPyConnection, con_b: duckdb.DuckDBPyConnection, name: str,
                   tol: float = 1e-12, shown: int = 5) -> TableComparison:
    """Row-by-row comparison of the columns both tables have, each sorted by its non-float
    columns then the rest, floats equal within `tol` (relative for values above 1 in magnitude)."""
    qa, qb = _qualified(con_a, name), _qualified(con_b, name)
    cols_a = con_a.sql(f"select * from {qa} limit 0")
    cols_b = con_b.sql(f"select * from {qb} limit 0")
    types_a = dict(zip(cols_a.columns, map(str, cols_a.types), strict=True))
    names_b = set(cols_b.columns)
    common = [c for c in cols_a.columns if c in names_b]
    count_a = con_a.sql(f"select count(*) from {qa}").fetchone()
    count_b = con_b.sql(f"select count(*) from {qb}").fetchone()
    if count_a is None or count_b is None:
        raise RuntimeError(f"select count(*) returned no row for {name}")
    result = TableComparison(
        name,
        count_a[0],
        count_b[0],
        [c for c in cols_a.columns if c not in names_b],
        [c for c in cols_b.columns if c not in types_a],
    )
    floats = [c for c in common if types_a[c] in ("DOUBLE", "FLOAT")]
    keys = [c for c in common if c not in floats] + floats
    order = ", ".join(f'"{c}"' for c in keys)
    select = ", ".join(f'"{c}"' for c in common)
    rows_a = con_a.sql(f"select {select} from {qa} order by {order}").fetchall()
    rows_b = con_b.sql(f"select {select} from {qb} order by {order}").fetchall()
    for i, (ra, rb) in enumerate(zip(rows_a, rows_b, strict=False)):
        for column, va, vb in zip(common, ra, rb, strict=True):
            ok, diff = _close(va, vb, tol)
            result.max_abs_diff = max(result.max_abs_diff, diff)
            if not ok and len(result.mismatches) < shown:
                result.mismatches.append(f"row {i} column {column}: {va!r} != {vb!r}")
            elif not ok:
                result.mismatches.append("")
    result.mismatches = [m for m in result.mismatches if m] + (
        [f"... {sum(1 for m in result.mismatches if not m)} more"] if any(not m for m in result.mismatches) else []
    )
    return result


def compare(db_a: Path, db_b: Path, tol: float = 1e-12) -> list[TableComparison]:
    con_a, con_b = _connect(db_a), _connect(db_b)
    try:
        names = sorted(set(mart_names(con_a)) | set(mart_names(con_b)))
        out = []
        for name in names:
            if name not in mart_names(con_a) or name not in mart_names(con_b):
                out.append(TableComparison(name, -1, -1, mismatches=["mart missing from one warehouse"]))
                continue
            out.append(compare_tables(con_a, con_b, name, tol))
        return out
    finally:
        con_a.close()
        con_b.close()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="compare the marts of two warehouses")
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--tol", type=float, default=1e-12)
    args = parser.parse_args(argv)
    bad = 0
    for c in compare(args.a, args.b, args.tol):
        status = "equal" if c.equal else "DIFFERENT"
        extra = ""
        if c.columns_only_b:
            extra += f" new columns {c.columns_only_b}"
        if c.columns_only_a:
            extra += f" dropped columns {c.columns_only_a}"
        print(f"{c.name:45s} rows {c.rows_a:>9} / {c.rows_b:>9}  max |diff| {c.max_abs_diff:.3g}  {status}{extra}")
        for m in c.mismatches:
            print("    " + m)
        bad += not c.equal
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
