"""make bench: how the build scales, what dbt itself costs, and the analyst's pandas alternative.

Scale k copies every answer seed k-1 more times as further editions (edition ids suffixed, analysis
years shifted by 1000 per copy) with their rows in cfg_editions, cfg_item_crosswalk and
cfg_substitutions: more editions x the same items, in the raw shape the pipeline reads."""
from __future__ import annotations

import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import duckdb

from . import bench_pandas
from .io import progress

IGNORE = shutil.ignore_patterns(".venv", "target", "build", "logs", "warehouse", ".git", "__pycache__", ".pytest_cache",
                                ".mypy_cache", ".ruff_cache")
BI_QUERIES = {
    "national item rates (fig 2/6/10)": "select * from rpt_fig02_06_10_item_rates_national where fiscal_year = 2023 order by domain_sort_order, item_sort_order",
    "rates by class (fig 3/7/11/14)": "select * from rpt_fig03_07_11_14_rates_by_size_class where domain = 'service_advancement' and row_kind = 'domain_mean'",
    "prefecture deviation (fig 23)": "select prefecture_name, domain, deviation_score from rpt_fig17_23_prefecture_deviation where fiscal_year = 2023 order by prefecture_code",
    "one municipality profile": "select * from fct_survey_answers where municipality_code = '012335' and fiscal_year = 2023",
    "municipality deviation ranking": "select municipality_label, deviation_score from rpt_municipality_deviation where domain = 'overall_excl_mynumber' and fiscal_year = 2023 order by deviation_score desc limit 20",
    "scorecard summary": "select measure, input_basis, count(*), avg(abs(diff)) from rpt_reproduction_scorecard group by all",
}


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def answer_files(project: Path) -> list[Path]:
    return sorted(p for p in (project / "data/answers").rglob("*.csv"))


def scaled_project(repo: Path, dest: Path, scale: int) -> tuple[Path, list[str]]:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(repo, dest, ignore=IGNORE)
    (dest / "warehouse").mkdir(exist_ok=True)
    extra: list[str] = []
    if scale == 1:
        return dest, extra
    cfg = dest / "seeds/config"
    eh, editions = _rows(cfg / "cfg_editions.csv")
    ch, crosswalk = _rows(cfg / "cfg_item_crosswalk.csv")
    sh, subs = _rows(cfg / "cfg_substitutions.csv")
    e = {c: i for i, c in enumerate(eh)}
    replicated = {r[e["edition_id"]] for r in editions if not r[e["edition_id"]].startswith("mic_mynumber_card")}
    originals = answer_files(dest)
    bench_dir = dest / "data/answers/bench"
    bench_dir.mkdir()
    for n in range(1, scale):
        suffix, offset = f"_b{n}", 1000 * n
        for r in list(editions):
            if r[e["edition_id"]] in replicated and not r[e["edition_id"]].endswith(tuple(f"_b{i}" for i in range(1, n + 1))):
                new = list(r)
                new[e["edition_id"]] += suffix
                if new[e["analysis_fiscal_year"]]:
                    new[e["analysis_fiscal_year"]] = str(int(new[e["analysis_fiscal_year"]]) + offset)
                if new[e["stands_in_for"]]:
                    new[e["stands_in_for"]] += suffix
                editions.append(new)
        crosswalk += [[r[0] + suffix, *r[1:]] for r in list(crosswalk) if r[0] in replicated]
        subs += [[r[0], r[1], str(int(r[2]) + offset), r[3], r[4] + suffix, r[5]] for r in list(subs) if "_b" not in r[4]]
        for path in originals:
            header, rows = _rows(path)
            k = header.index("edition_id")
            for row in rows:
                row[k] += suffix
            name = f"raw_bench_b{n}__{path.stem}"
            _write(bench_dir / f"{name}.csv", header, rows)
            extra.append(name)
    _write(cfg / "cfg_editions.csv", eh, editions)
    _write(cfg / "cfg_item_crosswalk.csv", ch, crosswalk)
    _write(cfg / "cfg_substitutions.csv", sh, subs)
    return dest, extra


def floor_project(repo_project: Path, dest: Path) -> Path:
    """A project with the same numbers of models, seeds and data tests that does no work."""
    manifest = json.loads((repo_project / "target/manifest.json").read_text(encoding="utf-8"))
    kinds = {"model": 0, "seed": 0, "test": 0}
    for node in manifest["nodes"].values():
        if node["resource_type"] in kinds:
            kinds[node["resource_type"]] += 1
    if dest.exists():
        shutil.rmtree(dest)
    for folder in ("models", "seeds", "tests"):
        (dest / folder).mkdir(parents=True)
    shutil.copy(repo_project / "profiles.yml", dest / "profiles.yml")
    (dest / "dbt_project.yml").write_text(
        "name: jichitai_dx\nversion: '0.1.0'\nconfig-version: 2\nprofile: jichitai_dx\n"
        "flags:\n  send_anonymous_usage_stats: false\n", encoding="utf-8")
    for i in range(kinds["model"]):
        (dest / f"models/m{i:03d}.sql").write_text("select 1 as x\n", encoding="utf-8")
    for i in range(kinds["seed"]):
        (dest / f"seeds/s{i:03d}.csv").write_text("x\n1\n", encoding="utf-8")
    for i in range(kinds["test"]):
        (dest / f"tests/t{i:03d}.sql").write_text("select 1 as x where false\n", encoding="utf-8")
    (dest / "warehouse").mkdir()
    return dest


def _dbt(project: Path, args: list[str]) -> float:
    env = dict(os.environ, JDX_DUCKDB_PATH=str(project / "warehouse/jichitai_dx.duckdb"), DO_NOT_TRACK="1")
    dbt = str(Path(sys.executable).parent / "dbt")
    started = time.monotonic()
    result = subprocess.run([dbt, *args], cwd=project, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        raise RuntimeError(f"dbt {' '.join(args)} failed in {project}:\n{result.stdout[-3000:]}")
    return elapsed


def median_runs(fn, runs: int) -> tuple[float, list[float]]:
    times = [fn() for _ in range(runs)]
    return statistics.median(times), times


def run(repo: Path, scales: list[int], runs: int, out: Path) -> str:
    work = repo / "build" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    results = []
    pandas_check = ""
    for scale in scales:
        project, extra = scaled_project(repo, work / f"x{scale}", scale)
        vars_arg: list[str] = []  # the copies are found by vars.answer_files
        n_answers = sum(sum(1 for _ in p.open(encoding="utf-8")) - 1 for p in answer_files(project))
        progress(f"bench: scale {scale}x, {n_answers:,} raw answer rows; dbt build x{runs}")
        build_median, build_times = median_runs(partial(_dbt, project, ["build", "--full-refresh", *vars_arg]), runs)
        files = answer_files(project)
        seed_dir = project / "seeds" / "bench_answers"  # the same files loaded the other way, as dbt seeds
        seed_dir.mkdir(exist_ok=True)
        project_yml = project / "dbt_project.yml"
        original_yml = project_yml.read_text(encoding="utf-8")
        columns = "".join(f"          {c}: varchar\n" for c in ("seed_row", "edition_id", "source_file", "source_row",
                                                                "source_column", "municipality_code", "municipality_name",
                                                                "question_group", "question_id", "raw_value"))
        assert original_yml.rstrip().endswith("+schema: raw"), "dbt_project.yml must end with the seeds block"
        project_yml.write_text(original_yml.rstrip() + "\n    bench_answers:\n      +column_types:\n" + columns,
                               encoding="utf-8")
        for i, f in enumerate(files):
            shutil.copy(f, seed_dir / f"bench_seed_{i:04d}.csv")
        seed_median, _ = median_runs(partial(_dbt, project, ["seed", "--full-refresh", "--select", "path:seeds/bench_answers"]), runs)
        shutil.rmtree(seed_dir)
        project_yml.write_text(original_yml, encoding="utf-8")

        def read_csv_load(files: list[Path] = files) -> float:
            started = time.monotonic()
            con = duckdb.connect()
            con.execute("create table answers as select * from read_csv(?, all_varchar = true, union_by_name = true)",
                        [[str(f) for f in files]])
            con.close()
            return time.monotonic() - started

        read_median, _ = median_runs(read_csv_load, runs)
        pandas_median, _ = median_runs(partial(_time, partial(bench_pandas.compute, project, files)), runs)
        con = duckdb.connect(str(project / "warehouse/jichitai_dx.duckdb"), read_only=True)
        n_facts = con.sql("select count(*) from fct_survey_answers").fetchall()[0][0]
        if scale == scales[0]:
            pandas_check = check_pandas(project, files, con)
        con.close()
        results.append({"scale": scale, "answers": n_answers, "facts": n_facts, "build": build_median, "build_runs": build_times,
                        "seed": seed_median, "read_csv": read_median, "pandas": pandas_median})
        progress(f"bench: {scale}x build {build_median:.1f} s, pandas {pandas_median:.1f} s")
    floor = floor_project(work / f"x{scales[0]}", work / "floor")
    floor_median, _ = median_runs(lambda: _dbt(floor, ["build"]), runs)
    bi = bi_latency(work / f"x{scales[0]}" / "warehouse/jichitai_dx.duckdb")
    measured = {"results": results, "floor": floor_median, "bi": bi, "pandas_check": pandas_check, "runs": runs,
                "machine": f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, duckdb {duckdb.__version__}"}
    out.with_suffix(".json").write_text(json.dumps(measured, indent=1), encoding="utf-8")
    text = render(measured)
    out.write_text(text, encoding="utf-8")
    return text


def _time(fn) -> float:
    started = time.monotonic()
    fn()
    return time.monotonic() - started


def check_pandas(project: Path, files: list[Path], con: duckdb.DuckDBPyConnection) -> str:
    r = bench_pandas.compute(project, files)
    w = con.sql("""select fiscal_year as year, domain, size_class, rate_pct from rpt_fig03_07_11_14_rates_by_size_class
                   where row_kind = 'domain_mean' and domain != 'mynumber_card'""").df()
    x = r["rates_by_class"].merge(w, on=["year", "domain", "size_class"])
    rate_diff = float((x.domain_rate_pct - x.rate_pct).abs().max())
    t = con.sql("""select fiscal_year as year, domain, size_class, all_items_achieved, no_item_achieved
                   from rpt_fig04_08_12_achievement_tallies where size_class != 'all' and domain != 'total_23_items'""").df()
    y = r["tallies"].merge(t, on=["year", "domain", "size_class"], suffixes=("_p", "_w"))
    tally_diff = int((y.all_items_achieved_p != y.all_items_achieved_w).sum() + (y.no_item_achieved_p != y.no_item_achieved_w).sum())
    d = con.sql("""select fiscal_year as year, domain, prefecture_code, deviation_score from rpt_fig17_23_prefecture_deviation
                   where domain not in ('overall_excl_mynumber', 'mynumber_card')""").df()
    z = r["prefecture_deviation"].merge(d, on=["year", "domain", "prefecture_code"], suffixes=("_p", "_w"))
    dev_diff = float((z.deviation_score_p - z.deviation_score_w).abs().max())
    if len(x) == 0 or len(y) == 0 or len(z) == 0 or rate_diff > 1e-9 or tally_diff or dev_diff > 1e-9:
        raise RuntimeError(f"pandas baseline and warehouse disagree: rates {rate_diff}, tallies {tally_diff}, deviation {dev_diff}")
    return (f"{len(x)} class rates (max diff {rate_diff:.1e}), {len(y)} class tallies ({tally_diff} differ), "
            f"{len(z)} prefecture deviation scores (max diff {dev_diff:.1e})")


def bi_latency(db: Path, reps: int = 40) -> dict[str, tuple[float, float]]:
    con = duckdb.connect(str(db), read_only=True)
    out = {}
    for name, sql in BI_QUERIES.items():
        times = []
        for _ in range(reps):
            started = time.perf_counter()
            con.sql(sql).fetchall()
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        out[name] = (statistics.median(times), times[int(0.95 * (len(times) - 1))])
    con.close()
    return out


def targets(measured: dict) -> list[str]:
    results, floor, bi = measured["results"], measured["floor"], measured["bi"]
    one, top = results[0], results[-1]
    p95 = max(v[1] for v in bi.values())
    rows = [
        ("full `dbt build` at 1x within 2x of dbt's floor", f"{one['build']:.1f} s = {one['build'] / floor:.2f}x the {floor:.1f} s floor",
         one["build"] <= 2 * floor, "dbt's own per-node overhead (parse, 200 nodes, 180 data tests) is most of the 1x build"),
        (f"`dbt build` at {top['scale']}x under 60 s", f"{top['build']:.1f} s", top["build"] < 60,
         "the raw answers grow 20x; validation, the fact grid and every mart and test grow with them"),
        ("mart queries under 50 ms p95", f"worst p95 {p95:.1f} ms", p95 < 50, "DuckDB reads the small marts from one file"),
        ("faster than the pandas baseline at 1x", f"{one['build']:.1f} s vs {one['pandas']:.1f} s ({one['build'] / one['pandas']:.1f}x slower)",
         one["build"] < one["pandas"],
         "the build does far more than the baseline: it loads, validates and quarantines every answer, builds all 23 "
         "tables and 6 views, and runs 180 data tests; dbt's fixed overhead alone (the floor) exceeds the baseline's whole run"),
        (f"at least 5x faster than pandas at {top['scale']}x", f"{top['build']:.1f} s vs {top['pandas']:.1f} s "
         f"(ours / pandas = {top['build'] / top['pandas']:.2f})", top["build"] * 5 <= top["pandas"],
         "the gap narrows as data grows (DuckDB scales better than pandas' merges), but the extra work above stays"),
    ]
    out = ["| target | measured | met | why |", "|---|---|---|---|"]
    out += [f"| {t} | {m} | {'yes' if ok else '**no**'} | {'' if ok else why} |" for t, m, ok, why in rows]
    return out


def render(measured: dict) -> str:
    results, floor, bi, pandas_check, runs = (measured["results"], measured["floor"], measured["bi"],
                                              measured["pandas_check"], measured["runs"])
    one = results[0]
    lines = [
        "# Benchmarks",
        "",
        "Regenerated by `make bench` (`python -m jdx bench`); do not edit by hand. Every time is the median of "
        f"{runs} runs on this machine: {measured['machine']}. Raw numbers: `docs/benchmarks.json`.",
        "",
        "## Targets",
        "",
        *targets(measured),
        "",
        "## Build at scale",
        "",
        "Scale k = the answer files k times over (more editions, same items; see `scripts/jdx/bench.py`). "
        "Raw answer rows count the files under data/answers (the card table is a seed and is not scaled).",
        "",
        "| scale | raw answer rows | fact rows | `dbt build` (s) | load answers: dbt seed (s) | load answers: DuckDB read_csv (s) | pandas baseline (s) | ours / pandas |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r['scale']}x | {r['answers']:,} | {r['facts']:,} | {r['build']:.1f} | {r['seed']:.1f} | {r['read_csv']:.2f} | "
                     f"{r['pandas']:.1f} | {r['build'] / r['pandas']:.1f} |")
    lines += [
        "",
        f"dbt's floor (a project with the same numbers of models, seeds and tests doing no work): **{floor:.1f} s**; "
        f"the 1x build is {one['build'] / floor:.1f}x the floor.",
        "",
        f"The pandas baseline (`scripts/jdx/bench_pandas.py`) reads the same raw files and configuration and agrees with "
        f"the warehouse at 1x: {pandas_check}.",
        "",
        "## BI queries (read-only connection, 1x warehouse)",
        "",
        "| query | p50 (ms) | p95 (ms) |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {p50:.1f} | {p95:.1f} |" for name, (p50, p95) in bi.items()]
    lines += ["", "Loading the raw answers with DuckDB's `read_csv` beat loading them as dbt seeds at every scale, so "
              "the answers are files read by `stg_survey__answers` (configuration stays in seeds)."]
    return "\n".join(lines) + "\n"
