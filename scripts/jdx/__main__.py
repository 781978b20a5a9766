"""Command line: `jdx <command>` (installed by `make venv` from pyproject.toml) or `python -m jdx <command>`."""
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

from . import build_stamp, card_evidence, publish, scorecard
from .ingest import layout as ingest_layout
from .ingest import run as ingest_run
from .ingest import write as ingest_write
from .ingest.read import IngestError
from .loaders import card_issuance, dashboard, published_figures, reference

REPO = Path(__file__).resolve().parents[2]
DEFAULT_RAW = REPO.parent / "shared" / "data" / "raw"
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference" / "jri-2024-032"


def _ingest(args: argparse.Namespace) -> int:
    layout = ingest_layout.load(args.layout)
    if not args.dry_run:
        ingest_write.check_target(layout, args.out, args.replace)  # refuse early, before the reading
    result = ingest_run.ingest(layout, args.inputs, REPO)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    for problem in result.problems:
        print(f"problem: {problem}", file=sys.stderr)
    n_questions = sum(len(s.questions) for s in layout.sources)
    if result.cells_read or not (result.answers or result.quarantined):
        cells = f"{result.cells_read} answer cells read"  # counted from the sheets, apart from the two outputs
    else:
        cells = f"{len(result.answers) + len(result.quarantined)} answers"  # a reader that does not count cells
    print(f"ingest: {result.rows_read} data rows read ({result.rows_skipped} blank or footnote rows skipped); "
          f"{cells} = {len(result.answers)} written + {len(result.quarantined)} quarantined ({n_questions} questions)")
    if args.dry_run:
        print("ingest: dry run, nothing written")
        return 2 if result.problems else 0
    if result.fatal:
        print(f"jdx: error: {len(result.fatal)} problem(s) no quarantine can hold (first: {result.fatal[0]}); "
              "nothing written", file=sys.stderr)
        return 2
    if result.problems and not args.quarantine:
        print(f"jdx: error: {len(result.problems)} problem(s); nothing written (use --quarantine to write the good cells)",
              file=sys.stderr)
        return 2
    seed, qpath = ingest_write.write(result, layout, args.out, args.quarantine_dir if args.quarantine else None, args.replace)
    print(f"ingest: wrote {seed}" + (f" and {qpath}" if qpath else ""))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line: every command and every option with its help."""
    parser = argparse.ArgumentParser(
        prog="jdx",
        description="jichitai_dx's command line: build and publish the warehouse (dbt on DuckDB), ingest official "
                    "answer files by a layout, rebuild the seeds from the raw public files, generate the calibrated "
                    "sample answers, check the marts, build the Evidence site and time the build. "
                    "Input problems exit 2 with a message naming file, sheet, row, column and value.",
        epilog="`jdx COMMAND --help` explains each command's options.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", help="what to do:")
    p_pub2 = sub.add_parser("publish", help="dbt build into a staging file, then replace the warehouse atomically",
                            description="Run `dbt build` into a private staging copy, then replace the warehouse file by "
                                        "one rename: readers keep the version they opened, never see a half-built one.")
    p_pub2.add_argument("--warehouse", type=Path, default=REPO / "warehouse" / "jichitai_dx.duckdb",
                        help="the published DuckDB file to replace (default %(default)s)")
    p_pub2.add_argument("--staging-root", type=Path, default=None,
                        help="folder for the private staging folder (default: beside the warehouse; same file system)")
    p_ing = sub.add_parser("ingest", help="ingest official workbooks / CSVs into an answer file, by a layout file",
                           description="Read official answer files (zip, folder, .xlsx or .csv) by a layout "
                                       "(ingest_layouts/*.toml) into data/answers/<seed_name>.csv. Every cell read is "
                                       "written or quarantined: the closing line reconciles read = written + quarantined.")
    p_ing.add_argument("layout", type=Path, help="layout file, e.g. ingest_layouts/mic_dx_survey_r5.toml")
    p_ing.add_argument("inputs", type=Path, nargs="+", help="zip files, folders or single .xlsx / .csv files")
    p_ing.add_argument("--out", type=Path, default=REPO / "data" / "answers",
                       help="folder of the answer file (default %(default)s)")
    p_ing.add_argument("--quarantine", action="store_true",
                       help="write the good cells; the bad ones (with their reasons) to a quarantine CSV")
    p_ing.add_argument("--quarantine-dir", type=Path, default=REPO / "build" / "quarantine",
                       help="folder of the quarantine CSV with --quarantine (default %(default)s)")
    p_ing.add_argument("--dry-run", action="store_true", help="read and check everything, write nothing")
    p_ing.add_argument("--replace", action="store_true", help="overwrite an existing answer file of the same edition")
    p_lay = sub.add_parser("layout", help="layout tools: `layout draft FILE` drafts an ingest layout from a download",
                           description="Tools for ingest layouts (ingest_layouts/*.toml).")
    lay_sub = p_lay.add_subparsers(dest="layout_command", required=True, metavar="TOOL", help="the layout tool:")
    p_draft = lay_sub.add_parser("draft", help="read a zip / xlsx / csv and write a draft layout for review",
                                 description="Find the code column, header rows and question columns of a download and "
                                             "write a draft layout, each column matched to a known question by similarity.")
    p_draft.add_argument("input", type=Path, help="the downloaded file (zip, .xlsx or .csv)")
    p_draft.add_argument("--out", type=Path, default=None,
                         help="draft file (default build/layout_drafts/<input stem>.draft.toml)")
    p_draft.add_argument("--min-score", type=float, default=0.8,
                         help="similarity (0-1) from which a column is matched to a question (default %(default)s)")
    p_ref = sub.add_parser("reference", help="rebuild seeds/reference from the raw reference files",
                           description="Convert the raw public reference files (code lists, populations, ...) into "
                                       "the seeds under seeds/reference.")
    p_ref.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="raw data folder (default %(default)s)")
    p_ref.add_argument("--out", type=Path, default=REPO / "seeds" / "reference", help="seed folder (default %(default)s)")
    p_pub = sub.add_parser("published", help="copy the report's published figures into seeds/published",
                           description="Copy the figures the JRI report publishes into seeds/published, which the "
                                       "reproduction scorecard compares against.")
    p_pub.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE,
                       help="folder of the report's transcribed figures (default %(default)s)")
    p_pub.add_argument("--out", type=Path, default=REPO / "seeds" / "published", help="seed folder (default %(default)s)")
    p_srv = sub.add_parser("survey", help="rebuild the dashboard answer file (data/answers) and the card-issuance seed (seeds/raw)",
                           description="Convert the Digital Agency dashboard download into an answer file and the card "
                                       "issuance download into its raw seed.")
    p_srv.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="raw data folder (default %(default)s)")
    p_srv.add_argument("--out", type=Path, default=REPO / "seeds" / "raw", help="folder of the card-issuance seed (default %(default)s)")
    p_srv.add_argument("--answers-out", type=Path, default=REPO / "data" / "answers",
                       help="folder of the dashboard answer file (default %(default)s)")
    p_smp = sub.add_parser("sample", help="generate the calibrated sample answer files and the calibration report",
                           description="Generate the deterministic sample answers (calibrated to the report's published "
                                       "figures), the calibration report and the files' SHA-256 manifest.")
    p_smp.add_argument("--out", type=Path, default=REPO / "data" / "answers" / "sample",
                       help="folder of the sample answer files (default %(default)s)")
    p_smp.add_argument("--report", type=Path, default=REPO / "docs" / "generated" / "calibration.md",
                       help="calibration report, one line per target (default %(default)s)")
    p_smp.add_argument("--manifest", type=Path, default=REPO / "docs" / "generated" / "sample_manifest.sha256",
                       help="SHA-256 manifest of the written files (default %(default)s)")
    p_smp.add_argument("--strict", action="store_true", help="exit 1 when any calibration target is missed")
    p_sc = sub.add_parser("scorecard", help="rewrite the README scorecard summary and docs/generated/scorecard.md",
                          description="Read rpt_reproduction_scorecard and rewrite the README's summary and the "
                                      "detailed scorecard (every value against the report's).")
    p_sc.add_argument("--db", type=Path, default=REPO / "warehouse" / "jichitai_dx.duckdb",
                      help="warehouse to read (default %(default)s)")
    p_sc.add_argument("--readme", type=Path, default=REPO / "README.md", help="README whose summary block is rewritten (default %(default)s)")
    p_sc.add_argument("--detail", type=Path, default=REPO / "docs" / "generated" / "scorecard.md", help="detailed scorecard file (default %(default)s)")
    p_card = sub.add_parser("card-evidence", help="print how each card snapshot x aggregation fits figure 23",
                            description="Print, as Markdown, which card-issuance snapshot and prefecture aggregation "
                                        "reproduce figure 23's card column (read-only on the warehouse).")
    p_card.add_argument("--db", type=Path, default=REPO / "warehouse" / "jichitai_dx.duckdb",
                        help="warehouse to read (default %(default)s)")
    p_card.add_argument("--year", type=int, default=2021, help="fiscal year of the card column (default %(default)s)")
    p_gx = sub.add_parser("gx", help="run the Great Expectations checkpoint on the marts, write Data Docs",
                          description="Run the Great Expectations checkpoint on the marts; exit 1 when it fails.")
    p_gx.add_argument("--db", type=Path, default=REPO / "warehouse" / "jichitai_dx.duckdb",
                      help="warehouse to check (default %(default)s)")
    p_gx.add_argument("--docs", type=Path, default=REPO / "build" / "gx" / "data_docs",
                      help="folder of the Data Docs written (default %(default)s)")
    p_stamp = sub.add_parser("build-stamp", help="record what `make build` built (begin, write), or say whether `make test` may test it (check)",
                             description="begin: record the digest of every input file as the build starts (after the "
                                         "sample). write: record in --stamp that digest, the warehouse's sha256 and the "
                                         "site's file listing (the last step of `make build`); no stamp when an input "
                                         "changed while the build ran. "
                                         "check: exit 0 when all three still match (`make test` then tests that warehouse "
                                         "and site instead of building them again), else exit 1 with the reason.")
    p_stamp.add_argument("action", choices=["begin", "write", "check"],
                         help="begin a build's stamp, write it at the build's end, or check it")
    p_stamp.add_argument("--warehouse", type=Path, default=REPO / "warehouse" / "jichitai_dx.duckdb",
                         help="the published warehouse (default %(default)s)")
    p_stamp.add_argument("--site", type=Path, default=REPO / "build" / "site", help="the built site (default %(default)s)")
    p_stamp.add_argument("--stamp", type=Path, default=REPO / "build" / "build-stamp.json",
                         help="the stamp file (default %(default)s)")
    p_rep = sub.add_parser("report", help="build the Evidence site (reports/) from a warehouse into --out",
                           description="Build the Evidence site (reports/) from a warehouse, with the dbt docs page; "
                                       "fails on any query error in Evidence's logs.")
    p_rep.add_argument("--db", type=Path, default=REPO / "warehouse" / "jichitai_dx.duckdb",
                       help="warehouse the site reads (default %(default)s)")
    p_rep.add_argument("--out", type=Path, default=REPO / "build" / "site", help="folder of the built site (default %(default)s)")
    p_rep.add_argument("--dbt-docs", type=Path, default=REPO / "target" / "docs" / "static_index.html",
                       help="the static dbt docs page (`dbt docs generate --static`) copied into the site (default %(default)s)")
    p_bench = sub.add_parser("bench", help="time the build at several scales, dbt's floor, pandas, BI queries, the sample generator, the site against its Evidence floor",
                             description="Time `dbt build` at several scales of the answers against dbt's own floor, "
                                         "plain SQL and pandas, a new edition, BI queries and the sample generator; "
                                         "write the report and its JSON.")
    p_bench.add_argument("--scales", type=int, nargs="+", default=[1, 20], help="answer scales to build (default 1 20)")
    p_bench.add_argument("--runs", type=int, default=3, help="rounds of timings per scale (default %(default)s)")
    p_bench.add_argument("--out", type=Path, default=REPO / "docs" / "generated" / "benchmarks.md",
                         help="report (its raw numbers go beside it as .json) (default %(default)s)")
    p_bench.add_argument("--render-only", action="store_true", help="rewrite the Markdown from the saved JSON, run nothing")
    p_bench.add_argument("--site-only", action="store_true",
                         help="only the site part: the Evidence site of reports/ against its Evidence floor, alternating "
                              "--runs rounds over --db; rewrites the report's site section")
    p_bench.add_argument("--db", type=Path, default=REPO / "build" / "scratch" / "jichitai_dx.duckdb",
                         help="warehouse the site part reads (default %(default)s)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "reference":
            counts = reference.convert_all(args.raw, args.out)
            for name, n in counts.items():
                print(f"{name}: {n} rows")
        elif args.command == "survey":
            print(f"raw_da_dx_dashboard__fy2023: {dashboard.convert(args.raw, REPO, args.answers_out)} rows")
            print(f"raw_mic_mynumber_card__issuance: {card_issuance.convert(args.raw, REPO, args.out)} rows")
        elif args.command == "card-evidence":
            print(card_evidence.card_fit_markdown(args.db, args.year))
        elif args.command == "scorecard":
            scorecard.write(args.db, args.readme, args.detail)
            print(f"scorecard written to {args.readme} (summary) and {args.detail} (every value)")
        elif args.command == "gx":
            from . import gx_checkpoint  # heavy import, only for this command

            if not gx_checkpoint.run(args.db, args.docs):
                print("jdx: error: Great Expectations checkpoint failed (see Data Docs)", file=sys.stderr)
                return 1
        elif args.command == "sample":
            from .sample import calibration
            from .sample import generate as sample_generate
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
            from .report import evidence_site

            return evidence_site.main(["--db", str(args.db), "--out", str(args.out), "--dbt-docs", str(args.dbt_docs)])
        elif args.command == "publish":
            return publish.publish(REPO, args.warehouse, staging_root=args.staging_root)
        elif args.command == "bench":
            from .bench import benchmark as bench
            from .bench import site_bench

            if args.site_only:
                site_bench.run(REPO, args.db.resolve(), args.runs, args.out)
                print(args.out.read_text(encoding="utf-8"))
            elif args.render_only:
                measured = json.loads(args.out.with_suffix(".json").read_text(encoding="utf-8"))
                args.out.write_text(bench.render(measured), encoding="utf-8")
                site_bench.append_saved(args.out)
            else:  # the whole benchmark, then its site part over the smallest scale's warehouse
                bench.run(REPO, args.scales, args.runs, args.out)
                site_bench.run(REPO, REPO / "build" / "bench" / f"x{min(args.scales)}" / "warehouse" / "jichitai_dx.duckdb",
                               args.runs, args.out)
                print(args.out.read_text(encoding="utf-8"))
        elif args.command == "build-stamp":
            if args.action == "begin":
                build_stamp.begin(REPO, args.stamp)
                print("build-stamp: inputs recorded as the build begins")
            elif args.action == "write":
                if build_stamp.write(REPO, args.warehouse, args.site, args.stamp) is None:
                    print("build-stamp: an input file changed while the build ran (or `build-stamp begin` did not run): "
                          "no stamp, so `make test` builds everything itself")
                else:
                    print(f"build-stamp: wrote {args.stamp}")
            else:
                verdict = build_stamp.check(REPO, args.warehouse, args.site, args.stamp)
                print(f"build-stamp: {'reuse' if verdict.reusable else 'build again'}: {verdict.reason}")
                return 0 if verdict.reusable else 1
        elif args.command == "ingest":
            return _ingest(args)
        elif args.command == "layout":
            from .ingest import draft as layout_draft

            out = args.out or REPO / "build" / "layout_drafts" / f"{args.input.stem}.draft.toml"
            path, drafts = layout_draft.write(args.input, REPO, out, args.min_score)
            for d in drafts:
                matched = sum(1 for c in d.columns if c.question_id)
                print(f"layout draft: {d.file}{' sheet ' + d.sheet if d.sheet else ''}: code column "
                      f"{d.code_column_letter} {d.code_column!r} ({d.code_digits}-digit), header rows {d.header_rows}, "
                      f"data from row {d.first_data_row}; {matched} of {len(d.columns)} columns matched")
            print(f"layout draft: wrote {path} (review it, then run jdx ingest)")
        elif args.command == "published":
            for name, n in published_figures.copy_published(args.reference, args.out).items():
                print(f"{name}: {n} rows")
    except (IngestError, ingest_layout.LayoutError) as exc:
        print(f"jdx: error: {exc}", file=sys.stderr)
        print("jdx: nothing written", file=sys.stderr)
        return 2
    except publish.PublishError as exc:
        print(f"jdx: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("jdx: interrupted; nothing written (published files are replaced only by a complete rename)", file=sys.stderr)
        return 130
    except (reference.ReferenceError, published_figures.PublishedError, dashboard.DashboardError,
            card_issuance.MynumberError, FileNotFoundError) as exc:
        print(f"jdx: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a full disk, a folder that cannot be created, permissions
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"jdx: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: one clear line, the traceback only on request
        if os.environ.get("JDX_DEBUG"):
            raise
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        print(f"jdx: internal error in {args.command}: {type(exc).__name__}: {exc} "
              f"(at {Path(tb.filename).name}:{tb.lineno}). This is a bug: please report it with the command; "
              "JDX_DEBUG=1 shows the traceback", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
