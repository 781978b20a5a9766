"""Build the Evidence site (reports/) from a warehouse file: python -m jdx.evidence_site --db X --out Y.

Steps: `npm ci` in reports/ when node_modules is missing or older than the lockfile; copy the
warehouse (read-only use) to reports/.warehouse/ so Evidence never locks the published file;
copy the static dbt docs to reports/static/dbt/; `evidence sources`; `evidence build` into a
cleared reports/build/; then fail when either log names a query error (Evidence itself exits 0
when a page query fails) and copy the output to --out (cleared first). Prints time per step.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ..csv_files import progress

REPO = Path(__file__).resolve().parents[3]
REPORTS = REPO / "reports"

# Text Evidence writes when a source or page query fails, or a page fails to render.
ERROR_PATTERNS = [
    re.compile(p)
    for p in (
        r"Error in Query",
        r"Catalog Error",
        r"Binder Error",
        r"Parser Error",
        r"Conversion Error",
        r"Invalid Input Error",
        r"Build failed",
        r"\bFailed\b.*\bquer",
        r"✗",
    )
]


class SiteError(RuntimeError):
    pass


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["SEND_ANONYMOUS_USAGE_STATS"] = "no"
    env["DO_NOT_TRACK"] = "1"
    env.setdefault("NODE_OPTIONS", "")
    return env


def _run(step: str, cmd: list[str], log: Path) -> float:
    started = time.monotonic()
    progress(f"site: {step} ({' '.join(cmd)}), log {log.relative_to(REPO) if log.is_relative_to(REPO) else log}")
    with log.open("w", encoding="utf-8") as handle:
        result = subprocess.run(cmd, cwd=REPORTS, env=_env(), stdout=handle, stderr=subprocess.STDOUT, check=False)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:])
        raise SiteError(f"site: {step} failed with exit code {result.returncode} after {seconds:.0f} s:\n{tail}")
    progress(f"site: {step} done in {seconds:.1f} s")
    return seconds


def query_errors(text: str) -> list[str]:
    """Lines of an Evidence log that report a failed query or page."""
    return [line.strip() for line in text.splitlines() if any(p.search(line) for p in ERROR_PATTERNS)]


def ensure_node_modules() -> None:
    lock = REPORTS / "package-lock.json"
    marker = REPORTS / "node_modules" / ".package-lock.json"
    if marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime:
        return
    if shutil.which("npm") is None:
        raise SiteError("site: npm not found: install Node.js 20 (Debian: apt-get install nodejs npm)")
    logs = REPO / "build" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    _run("npm ci", ["npm", "ci", "--no-audit", "--no-fund"], logs / "npm-ci.log")


def build(db: Path, out: Path, dbt_docs: Path | None) -> dict[str, float]:
    if not db.exists():
        raise SiteError(f"site: no warehouse at {db}")
    logs = REPO / "build" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    times: dict[str, float] = {}
    started = time.monotonic()
    ensure_node_modules()
    copy_dir = REPORTS / ".warehouse"
    copy_dir.mkdir(exist_ok=True)
    shutil.copyfile(db, copy_dir / "jichitai_dx.duckdb")
    wal = db.with_suffix(db.suffix + ".wal")
    if wal.exists():
        shutil.copyfile(wal, copy_dir / "jichitai_dx.duckdb.wal")
    else:
        (copy_dir / "jichitai_dx.duckdb.wal").unlink(missing_ok=True)
    docs_dir = REPORTS / "static" / "dbt"
    docs_dir.mkdir(parents=True, exist_ok=True)
    if dbt_docs is None or not dbt_docs.exists():
        raise SiteError(f"site: no dbt docs at {dbt_docs}: run `dbt docs generate --static` first (the data page links them)")
    if dbt_docs.resolve() != (docs_dir / "static_index.html").resolve():
        shutil.copyfile(dbt_docs, docs_dir / "static_index.html")
    times["sources"] = _run("evidence sources", ["npx", "--no-install", "evidence", "sources"], logs / "evidence-sources.log")
    errors = query_errors((logs / "evidence-sources.log").read_text(encoding="utf-8", errors="replace"))
    if errors:
        raise SiteError("site: a source query failed:\n" + "\n".join(errors[:20]))
    shutil.rmtree(REPORTS / "build", ignore_errors=True)
    times["build"] = _run("evidence build", ["npx", "--no-install", "evidence", "build"], logs / "evidence-build.log")
    errors = query_errors((logs / "evidence-build.log").read_text(encoding="utf-8", errors="replace"))
    if errors:
        raise SiteError(f"site: {len(errors)} query error(s) in the build (log build/logs/evidence-build.log):\n"
                        + "\n".join(errors[:20]))
    if not (REPORTS / "build" / "index.html").exists():
        raise SiteError("site: evidence build wrote no index.html")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(REPORTS / "build", out)
    times["total"] = time.monotonic() - started
    n_pages = sum(1 for _ in out.rglob("index.html"))
    progress(f"site: {n_pages} pages in {out} ({times['total']:.0f} s)")
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jdx.evidence_site", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=REPO / "warehouse" / "jichitai_dx.duckdb")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "site")
    parser.add_argument("--dbt-docs", type=Path, default=REPO / "target" / "docs" / "static_index.html")
    args = parser.parse_args(argv)
    try:
        build(args.db.resolve(), args.out.resolve(), args.dbt_docs.resolve())
    except SiteError as exc:
        print(f"jdx: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
