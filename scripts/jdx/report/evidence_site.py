"""Build the Evidence site (reports/) from a warehouse file: python -m jdx.report.evidence_site --db X --out Y.

Steps: `npm ci` in reports/ when node_modules is missing or older than the lockfile; copy the
warehouse (read-only use) to reports/.warehouse/ so Evidence never locks the published file;
copy the static dbt docs to reports/static/dbt/; `evidence sources`; `evidence build` into a
cleared reports/build/; then fail when either log names a query error (Evidence itself exits 0
when a page query fails); translate the interface strings Evidence 39 hard-codes in English and
set `lang="ja"` in the built files (`localize`, see docs/site.md); copy the output to --out
(cleared first). Prints time per step.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
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


# Interface strings Evidence 39.1.13 (core-components 4.8.10) hard-codes in English, with no
# setting to change them: (what, pattern, replacement, where). `where` is "js" (the client
# bundle, so pages drawn or redrawn in the browser say it too) or "html" (the prerendered pages,
# which is all a reader without JavaScript sees). The patterns are the compiled forms (a Svelte
# text node `x="…"`, a call `Qe("…")`/`Ke(n,"…")`, an attribute), narrow enough to leave alone
# the same words as keyboard keys (`key:"Home"`, `e.key==="Home"`) or data. Every rule must match
# in the build: an Evidence upgrade that moves a string fails the build instead of showing English.
Replacement = str | Callable[[re.Match[str]], str]
LOCALIZE: list[tuple[str, re.Pattern[str], Replacement, str]] = [
    ("lang", re.compile(r'<html lang="en">'), '<html lang="ja">', "html"),
    ("Home (sidebar, breadcrumbs)", re.compile(r'(?<=[\w$]=)"Home"(?=[,;)])'), '"トップ"', "js"),
    ("Home (sidebar, breadcrumbs)", re.compile(r'>Home</a>'), '>トップ</a>', "html"),
    ("Loading...", re.compile(r'(?<=[\w$]=)"Loading\.\.\."|(?<=message:)"Loading\.\.\."'), '"読み込み中…"', "js"),
    ("Loading...", re.compile(r'>Loading\.\.\.</span>'), '>読み込み中…</span>', "js"),
    ("Loading...", re.compile(r'>Loading\.\.\.<'), '>読み込み中…<', "html"),
    ("No Results", re.compile(r'(?<=[\w$]=)"No Results"'), '"該当なし"', "js"),
    ("No Results", re.compile(r'>No Results<'), '>該当なし<', "html"),
    ("Open sidebar", re.compile(r'(?<=[\w$]=)"Open sidebar"'), '"メニューを開く"', "js"),
    ("Open sidebar", re.compile(r'>Open sidebar<'), '>メニューを開く<', "html"),
    ("Close sidebar", re.compile(r'(?<=[\w$]=)"Close sidebar"'), '"メニューを閉じる"', "js"),
    ("Close sidebar", re.compile(r'>Close sidebar<'), '>メニューを閉じる<', "js"),
    ("Download", re.compile(r'(?<=text:)([\w$]+)="Download"'), r'\1="ダウンロード"', "js"),
    ("Search (table search box)", re.compile(r'(?<=placeholder:)([\w$]+)="Search"'), r'\1="検索"', "js"),
    ("Search (table search box)", re.compile(r'placeholder="Search"'), 'placeholder="検索"', "html"),
    ("Search Failed", re.compile(r'"Search Failed"'), '"検索に失敗しました"', "js"),
    ("Fullscreen", re.compile(r'(?<=[\w$]=)"Fullscreen"'), '"全画面"', "js"),
    ("Fullscreen", re.compile(r'"aria-label","Enter Fullscreen"'), '"aria-label","全画面で表示"', "js"),
    ("Save Image", re.compile(r'"Save Image"'), '"画像を保存"', "js"),
    ("Download Data", re.compile(r'"Download Data"'), '"データをダウンロード"', "js"),
    ("See more", re.compile(r'"See more"'), '"詳しく見る"', "js"),
    ("See more", re.compile(r'>See more<'), '>詳しく見る<', "html"),
    ("Links", re.compile(r'>Links</span>'), '>リンク</span>', "js"),
    ("Links", re.compile(r'>Links</span>'), '>リンク</span>', "html"),
    ("Page (pagination)", re.compile(r'`Page(\s+)`'), r'`ページ\1`', "js"),
    ("Page (pagination)", re.compile(r'>Page(\s+)<input'), r'>ページ\1<input', "html"),
    ("records (print)", re.compile(r'"records":"record"'), '"件":"件"', "js"),
    ("records (print)", re.compile(r'" of "'), '" / "', "js"),
    ("records (print)", re.compile(r'" records"'), '" 件"', "js"),
    ("records (print)", re.compile(r'(\d) of ([\d,]+) records?<'), r'\1 / \2 件<', "html"),
    ("page buttons", re.compile(r'"aria-label","(first|previous|next|last)-page"'),
     lambda m: f'"aria-label","{PAGE_BUTTONS[m.group(1)]}"', "js"),
    ("page buttons", re.compile(r'aria-label="(first|previous|next|last)-page"'),
     lambda m: f'aria-label="{PAGE_BUTTONS[m.group(1)]}"', "html"),
    ("Page Not Found", re.compile(r'"Page Not Found"'), '"ページが見つかりません"', "js"),
]
PAGE_BUTTONS: dict[str, str] = {"first": "最初のページ", "previous": "前のページ", "next": "次のページ", "last": "最後のページ"}


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


def localize(build_dir: Path) -> dict[str, int]:
    """Apply LOCALIZE to the built site in place; return replacements per rule name. Raises
    SiteError when a rule matches nowhere (Evidence changed: the string would stay English)."""
    files = {"html": sorted(build_dir.rglob("*.html")),
             "js": sorted((build_dir / "_app").rglob("*.js"))}
    texts = {path: path.read_text(encoding="utf-8") for group in files.values() for path in group}
    counts: dict[str, int] = {}
    for index, (name, pattern, replacement, where) in enumerate(LOCALIZE):
        hits = 0
        for path in files[where]:
            texts[path], n = pattern.subn(replacement, texts[path])
            hits += n
        if hits == 0:
            raise SiteError(f"site: localize rule {index} ({name}, {pattern.pattern!r} in {where}) matched nothing: "
                            "Evidence's output changed; update LOCALIZE in scripts/jdx/report/evidence_site.py")
        counts[name] = counts.get(name, 0) + hits
    for group in files.values():
        for path in group:
            path.write_text(texts[path], encoding="utf-8")
    return counts


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
    started_localize = time.monotonic()
    counts = localize(REPORTS / "build")
    times["localize"] = time.monotonic() - started_localize
    progress(f"site: localize done in {times['localize']:.1f} s ({sum(counts.values()):,} replacements)")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(REPORTS / "build", out)
    times["total"] = time.monotonic() - started
    n_pages = sum(1 for _ in out.rglob("index.html"))
    progress(f"site: {n_pages} pages in {out} ({times['total']:.0f} s)")
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jdx.report.evidence_site", description=__doc__.splitlines()[0])
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
