"""Command line: python -m jdx <command> (run with PYTHONPATH=scripts, or via the Makefile)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import dashboard, evidence, ingest, mynumber, publish, published, reference, scorecard

REPO = Path(__file__).resolve().parents[2]
DEFAULT_RAW = REPO.parent / "shared" / "data" / "raw"
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference" / "jri-2024-032"


def _ingest(args: argparse.Namespace) -> int:
    layout = ingest.Layout.load(args.layout)
    result = ingest.ingest(layout, args.inputs, REPO)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    for problem in result.problems:
        print(f"problem: {problem}", file=sys.stderr)
    n_questions = sum(len(s.questions) for s in layout.sources)
    cells = len(result.answers) + len(result.quarantined)
    print(f"ingest: {result.rows_read} data rows read ({result.rows_skipped} blank or footnote rows skipped); "
          f"{cells} answers = {len(result.answers)} written + {len(result.quarantined)} quarantined "
          f"({n_questions} questions)")
    if args.dry_run:
        print("ingest: dry run, nothing written")
        return 2 if result.problems else 0
    if result.problems and not args.quarantine:
        print(f"jdx: error: {len(result.problems)} problem(s); nothing written (use --quarantine to write the good rows)",
              file=sys.stderr)
        return 2
    seed, qpath = ingest.write(result, layout, args.out, args.quarantine_dir if args.quarantine else None)
    print(f"ingest: wrote {seed}" + (f" and {qpath}" if qpath else ""))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jdx", description="jichitai_dx loaders: raw public files -> seeds")
    sub = parser.add_subparsers(dest="command", required=True)
    p_ref = sub.add_parser("reference", help="rebuild seeds/reference from the raw reference files")
    p_ref.add_argument("--raw", type=Path, default=DEFAULT_RAW, help=f"raw data folder (default {DEFAULT_RAW})")
    p_ref.add_argument("--out", type=Path, default=REPO / "seeds" / "reference")
    p_pub = sub.add_parser("published", help="copy the report's published figures into seeds/published")
    p_pub.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    p_pub.add_argument("--out", type=Path, default=REPO / "seeds" / "published")
    p_srv = sub.add_parser("survey", help="rebuild the dashboard answer file (data/answers) and the card-issuance seed (seeds/raw)")
    p_srv.add_argument("--raw", type=Path, default=DEFAULT_RAW)
    p_srv.add_argument("--out", type=Path, default=REPO / "seeds" / "raw", help="folder of the card-issuance seed")
    p_srv.add_argument("--answers-out", type=Path, default=REPO / "data" / "answers", help="folder of answer files")
    p_card = sub.add_parser("card-evidence", help="print how each card snapshot x aggregation fits figure 23")
    p_card.add_argument("--db", type=Path, default=REPO / "warehouse" / "jichitai_dx.duckdb")
    p_card.add_argument("--year", type=int, default=2021)
    p_sc = sub.add_parser("scorecard", help="rewrite the README scorecard summary and docs/scorecard.md")
    p_sc.add_argument("--db", type=Path, default=REPO / "warehouse" / "jichitai_dx.duckdb")
    p_sc.add_argument("--readme", type=Path, default=REPO / "README.md")
    p_sc.add_argument("--detail", type=Path, default=REPO / "docs" / "scorecard.md")
    p_gx = sub.add_parser("gx", help="run the Great Expectations checkpoint on the marts, write Data Docs")
    p_gx.add_argument("--db", type=Path, default=REPO / "warehouse" / "jichitai_dx.duckdb")
    p_gx.add_argument("--docs", type=Path, default=REPO / "build" / "gx" / "data_docs")
    p_smp = sub.add_parser("sample", help="generate the calibrated sample answer files and the calibration report")
    p_smp.add_argument("--out", type=Path, default=REPO / "data" / "answers" / "sample")
    p_smp.add_argument("--report", type=Path, default=REPO / "docs" / "calibration.md")
    p_smp.add_argument("--manifest", type=Path, default=REPO / "docs" / "sample_manifest.sha256")
    p_smp.add_argument("--strict", action="store_true", help="exit 1 when any calibration target is missed")
    p_rep = sub.add_parser("report", help="build the Evidence site (reports/) from a warehouse into --out")
    p_rep.add_argument("--db", type=Path, default=REPO / "warehouse" / "jichitai_dx.duckdb")
    p_rep.add_argument("--out", type=Path, default=REPO / "build" / "site")
    p_rep.add_argument("--dbt-docs", type=Path, default=REPO / "target" / "docs" / "static_index.html")
    p_ing = sub.add_parser("ingest", help="ingest official workbooks / CSVs into a raw answer seed, by a layout file")
    p_ing.add_argument("layout", type=Path, help="layout file, e.g. ingest_layouts/mic_dx_survey_r5.toml")
    p_ing.add_argument("inputs", type=Path, nargs="+", help="zip files, folders or single .xlsx / .csv files")
    p_ing.add_argument("--out", type=Path, default=REPO / "data" / "answers")
    p_ing.add_argument("--quarantine", action="store_true", help="write good rows; bad rows to a quarantine CSV")
    p_ing.add_argument("--quarantine-dir", type=Path, default=REPO / "build" / "quarantine")
    p_ing.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
    p_pub2 = sub.add_parser("publish", help="dbt build into a staging file, then replace the warehouse atomically")
    p_pub2.add_argument("--warehouse", type=Path, default=REPO / "warehouse" / "jichitai_dx.duckdb")
    p_bench = sub.add_parser("bench", help="time the build at several scales, dbt's floor, pandas, BI queries")
    p_bench.add_argument("--scales", type=int, nargs="+", default=[1, 5, 20])
    p_bench.add_argument("--runs", type=int, default=3)
    p_bench.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md")
    p_bench.add_argument("--render-only", action="store_true", help="rewrite the Markdown from the saved JSON, run nothing")
    args = parser.parse_args(argv)
    try:
        if args.command == "reference":
            counts = reference.convert_all(args.raw, args.out)
            for name, n in counts.items():
                print(f"{name}: {n} rows")
        elif args.command == "survey":
            print(f"raw_da_dx_dashboard__fy2023: {dashboard.convert(args.raw, REPO, args.answers_out)} rows")
            print(f"raw_mic_mynumber_card__issuance: {mynumber.convert(args.raw, REPO, args.out)} rows")
        elif args.command == "card-evidence":
            print(evidence.card_fit_markdown(args.db, args.year))
        elif args.command == "scorecard":
            scorecard.write(args.db, args.readme, args.detail)
            print(f"scorecard written to {args.readme} (summary) and {args.detail} (every value)")
        elif args.command == "gx":
            from . import gx_checkpoint  # heavy import, only for this command

            if not gx_checkpoint.run(args.db, args.docs):
                print("jdx: error: Great Expectations checkpoint failed (see Data Docs)", file=sys.stderr)
                return 1
        elif args.command == "sample":
            from .sample import calibration, generate as sample_generate
            from .sample.universe import load_published, load_universe

            result = sample_generate.generate(REPO)
            counts = sample_generate.write_seeds(REPO, result, args.out)
            universe = load_universe(REPO)
            checks = calibration.checks(result, universe, load_published(REPO, universe))
            calibration.write_report(args.report, checks, result.misses)
            args.manifest.write_text(sample_generate.manifest(args.out), encoding="utf-8")
            n_pass = sum(c.passed for c in checks)
            print(f"sample: {sum(counts.values())} answers in {len(counts)} files under {args.out}; "
                  f"calibration {n_pass}/{len(checks)} targets met ({args.report})")
            if args.strict and n_pass != len(checks):
                print("jdx: error: calibration targets missed (see the report)", file=sys.stderr)
                return 1
        elif args.command == "report":
            from . import evidence_site

            return evidence_site.main(["--db", str(args.db), "--out", str(args.out), "--dbt-docs", str(args.dbt_docs)])
        elif args.command == "publish":
            return publish.publish(REPO, args.warehouse)
        elif args.command == "bench":
            from . import bench

            if args.render_only:
                measured = json.loads(args.out.with_suffix(".json").read_text(encoding="utf-8"))
                args.out.write_text(bench.render(measured), encoding="utf-8")
            else:
                print(bench.run(REPO, args.scales, args.runs, args.out))
        elif args.command == "ingest":
            return _ingest(args)
        elif args.command == "published":
            for name, n in published.copy_published(args.reference, args.out).items():
                print(f"{name}: {n} rows")
    except ingest.IngestError as exc:
        print(f"jdx: error: {exc}", file=sys.stderr)
        print("jdx: nothing written", file=sys.stderr)
        return 2
    except (reference.ReferenceError, published.PublishedError, dashboard.DashboardError,
            mynumber.MynumberError, FileNotFoundError) as exc:
        print(f"jdx: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
