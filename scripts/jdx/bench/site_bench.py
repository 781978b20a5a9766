"""The site part of the benchmark (`python -m jdx bench --site-only`): the Evidence site of reports/
against its Evidence floor, alternating runs.

- **site**: what `jdx.report.evidence_site` runs in reports/: `evidence sources` then `evidence build`
  into a cleared build/ (the warehouse copied to reports/.warehouse/ and the municipality page's
  sources written first, as the site build does).
- **floor**: a copy of reports/ in build/bench/site_floor/ (the same layout, components, static files,
  settings and Evidence: node_modules is a link to reports/node_modules) where the warehouse source is
  one small table (`floor_rows`: every body and prefecture code) and every page is reduced to one
  one-row query of it; the templated pages are prerendered for the same parameters (the index page
  beside each lists them as plain links, which Evidence follows as the site's tables do).

Both outputs must hold the same number of pages (`index.html` files) and no query error, else the
run fails. Each run records wall time, CPU time of the process tree (resource.getrusage of the
children: npx, node and what they wait for) and the 1-minute load average.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
from collections.abc import Callable
from pathlib import Path

import duckdb

from ..report import evidence_site
from .benchmark import PROBE, alternate

SITE = "site (sources + build)"
FLOOR = "Evidence floor (sources + build)"
SECTION = "## Site: Evidence build against its floor"
# Templated pages and the warehouse query that lists their parameters (the floor links each one).
TEMPLATED = {
    "municipalities/[municipality_code].md": "select municipality_code from dim_municipalities order by 1",
    "prefectures/[prefecture_code].md": "select prefecture_code from dim_prefectures order by 1",
}
FLOOR_SOURCE = (
    "-- the floor's one source (jdx.bench.site_bench): every body and prefecture code\n"
    "select municipality_code as code from dim_municipalities\n"
    "union all\n"
    "select prefecture_code as code from dim_prefectures\n"
    "order by code\n"
)
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_PARAM = re.compile(r"\[(\w+)\]")


def _evidence(folder: Path, step: str, log: Path) -> None:
    with log.open("w", encoding="utf-8") as handle:
        result = subprocess.run(["npx", "--no-install", "evidence", step], cwd=folder, env=evidence_site._env(),
                                stdout=handle, stderr=subprocess.STDOUT, check=False)
    text = log.read_text(encoding="utf-8", errors="replace")
    errors = evidence_site.query_errors(text)
    if result.returncode != 0 or errors:
        raise RuntimeError(f"site bench: evidence {step} in {folder} failed (exit {result.returncode}, log {log}):\n"
                           + "\n".join(errors[:20] or text.splitlines()[-20:]))


def build_in(folder: Path, logs: Path, name: str) -> int:
    """`evidence sources` and `evidence build` into a cleared build/ of `folder`; the page count."""
    _evidence(folder, "sources", logs / f"bench-{name}-sources.log")
    shutil.rmtree(folder / "build", ignore_errors=True)
    _evidence(folder, "build", logs / f"bench-{name}-build.log")
    return pages(folder / "build")


def pages(build_dir: Path) -> int:
    return sum(1 for _ in build_dir.rglob("index.html"))


def floor_reports(reports: Path, db: Path, dest: Path) -> Path:
    """The floor copy of `reports` (see the module docstring), reading warehouse `db`."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(reports, dest, ignore=shutil.ignore_patterns("node_modules", "build", ".evidence", ".warehouse"))
    (dest / "node_modules").symlink_to(reports / "node_modules")
    (dest / ".warehouse").mkdir()
    shutil.copyfile(db, dest / ".warehouse" / "jichitai_dx.duckdb")
    source_dir = dest / "sources" / "warehouse"
    for path in source_dir.iterdir():  # every source file and folder (the site's generated page sources too)
        if path.is_dir():
            shutil.rmtree(path)
        elif path.name != "connection.yaml":
            path.unlink()
    (source_dir / "floor_rows.sql").write_text(FLOOR_SOURCE, encoding="utf-8")
    con = duckdb.connect(str(db), read_only=True)
    try:
        params = {page: [str(row[0]) for row in con.execute(query).fetchall()] for page, query in TEMPLATED.items()}
    finally:
        con.close()
    page_dir = dest / "pages"
    for page in sorted(page_dir.rglob("*.md")):
        relative = page.relative_to(page_dir).as_posix()
        original = page.read_text(encoding="utf-8")
        front = _FRONT.match(original)
        head = front.group(0) if front else ""
        param = _PARAM.search(page.name)
        if param:
            if relative not in TEMPLATED:
                raise RuntimeError(f"site bench: templated page {relative} has no parameter list in TEMPLATED")
            query = f"select code from warehouse.floor_rows where code = '${{params.{param.group(1)}}}'"
        else:
            query = "select code from warehouse.floor_rows order by code limit 1"
        body = f"{head}\n```sql floor_row\n{query}\n```\n\nfloor page {{floor_row[0].code}}\n"
        for templated, codes in params.items():
            folder = templated.rsplit("/", 1)[0]
            if relative == f"{folder}/index.md":
                body += "\n" + " ".join(f'<a href="/{folder}/{code}">{code}</a>' for code in codes) + "\n"
        page.write_text(body, encoding="utf-8")
    for templated in TEMPLATED:
        if not (page_dir / templated.rsplit("/", 1)[0] / "index.md").exists():
            raise RuntimeError(f"site bench: no index page beside {templated} to link its parameters from")
    return dest


def run(repo: Path, db: Path, runs: int, out: Path) -> dict:
    reports = repo / "reports"
    logs = repo / "build" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    evidence_site.ensure_node_modules()
    copy_dir = reports / ".warehouse"
    copy_dir.mkdir(exist_ok=True)
    shutil.copyfile(db, copy_dir / "jichitai_dx.duckdb")
    (copy_dir / "jichitai_dx.duckdb.wal").unlink(missing_ok=True)
    evidence_site.write_page_sources(db)  # what the site build does before `evidence sources`
    evidence_site.clear_source_data(reports)
    floor = floor_reports(reports, db, repo / "build" / "bench" / "site_floor")
    counts: dict[str, list[int]] = {SITE: [], FLOOR: []}

    def site() -> None:
        counts[SITE].append(build_in(reports, logs, "site"))

    def floor_build() -> None:
        counts[FLOOR].append(build_in(floor, logs, "floor"))

    things: dict[str, Callable[[], None]] = {SITE: site, FLOOR: floor_build}
    timings = alternate(dict(things), runs)
    if len(set(counts[SITE] + counts[FLOOR])) != 1:
        raise RuntimeError(f"site bench: page counts differ: site {counts[SITE]}, floor {counts[FLOOR]}")
    measured = {"runs": runs, "pages": counts[SITE][0], "timings": timings, "db": str(db),
                "machine_cores": os.cpu_count(), "git": _git(repo)}
    out.with_name(out.stem + "_site.json").write_text(json.dumps(measured, indent=1), encoding="utf-8")
    write_section(out, measured)
    return measured


def _git(repo: Path) -> str:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True, check=False)
    return result.stdout.strip()


def section(measured: dict) -> str:
    t = measured["timings"]
    site, floor = t[SITE], t[FLOOR]
    loads = [r["load"] for name in (SITE, FLOOR) for r in t[name]["runs"]]
    ratio_wall, ratio_cpu = site["wall"] / floor["wall"], site["cpu"] / floor["cpu"]
    lines = [
        SECTION,
        "",
        f"Measured by `python -m jdx bench --site-only` (`scripts/jdx/bench/site_bench.py`) at commit {measured['git']}, "
        f"{measured['runs']} alternating rounds; raw runs in `docs/generated/benchmarks_site.json`. Both build "
        f"**{measured['pages']:,} pages** (`index.html` files; the run fails if the counts differ or a log names a "
        "query error).",
        "",
        "| what | wall (s), median | CPU (s), median | every run: wall / CPU / load |",
        "|---|---:|---:|---|",
    ]
    for name in (SITE, FLOOR):
        runs_ = "; ".join(f"{r['wall']:.0f} / {r['cpu']:.0f} / {r['load']:.1f}" for r in t[name]["runs"])
        lines.append(f"| {name} | {t[name]['wall']:.1f} | {t[name]['cpu']:.1f} | {runs_} |")
    lines += [
        "",
        f"**Site / floor: {ratio_wall:.2f}x wall, {ratio_cpu:.2f}x CPU** (target: at most 1.5x; "
        + ("met" if ratio_wall <= 1.5 else "**not met**") + "). "
        f"1-minute load average at the start of the runs: min {min(loads):.1f}, median {statistics.median(loads):.1f}, "
        f"max {max(loads):.1f} on {measured['machine_cores']} cores"
        + (" (other work was running: wall times are inflated and noisy; CPU times, of the build's own process "
           "tree, are the steadier comparison)." if statistics.median(loads) > 1.5 else "."),
        f"The speed probe beside each round: median {t[PROBE]['cpu']:.2f} s CPU.",
        "",
        "- **site**: `evidence sources` + `evidence build` of `reports/` (what `jdx report` runs, without its "
        "copy and translation steps) over the scratch warehouse.",
        "- **floor**: the same `reports/` (layout, components, static files, Evidence) with one source table of "
        "the body and prefecture codes and every page reduced to one one-row query of it; the templated "
        "pages are prerendered for the same bodies and prefectures, linked from their index pages.",
        "",
    ]
    return "\n".join(lines)


def write_section(out: Path, measured: dict) -> None:
    """Replace (or append) the site section of the benchmark report, keeping its other sections."""
    text = out.read_text(encoding="utf-8") if out.exists() else "# Benchmarks\n"
    start = text.find(SECTION)
    if start >= 0:
        following = text.find("\n## ", start + len(SECTION))
        text = text[:start].rstrip("\n") + ("\n\n" + text[following + 1:] if following >= 0 else "")
    out.write_text(text.rstrip("\n") + "\n\n" + section(measured), encoding="utf-8")


def append_saved(out: Path) -> None:
    """After `make bench` rewrites the report: put back the site section from its saved JSON."""
    saved = out.with_name(out.stem + "_site.json")
    if saved.exists():
        write_section(out, json.loads(saved.read_text(encoding="utf-8")))
