"""The built Evidence site as files: every page prerendered, and the data each municipality page
shows (the query results Evidence prerendered as Arrow files) equal to the marts for every body."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow.ipc as ipc
import pytest

from conftest import REPO

SITE = Path(os.environ.get("JDX_SITE_DIR", REPO / "build" / "site"))


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail(f"no site at {SITE}: run `make site-test` (make test builds it) or `make report`")
    return SITE


def _arrow_rows(path: Path) -> list[dict]:
    with path.open("rb") as handle:
        return ipc.open_stream(handle).read_all().to_pylist()


def _page_results(site: Path) -> dict[str, dict[str, list[dict]]]:
    """Per municipality code, the prerendered result of each query of its page."""
    queries = site / "api" / "prerendered_queries"
    pages: dict[str, dict[str, list[dict]]] = {}
    for manifest in (site / "api").rglob("all-queries.json"):
        names = json.loads(manifest.read_text(encoding="utf-8"))
        if "gaps_data" not in names or "body_data" not in names:
            continue
        results = {key[: -len("_data")]: _arrow_rows(queries / f"{value}.arrow")
                   for key, value in names.items() if key.endswith("_data")}
        body = results["body"]
        assert len(body) == 1, manifest
        pages[body[0]["municipality_code"]] = results
    return pages


def test_every_page_is_prerendered(site: Path, warehouse) -> None:
    for page in ["index.html", "data/index.html", "map/index.html", "municipalities/index.html", "prefectures/index.html",
                 *[f"figures/{f}/index.html" for f in ("rates", "tallies", "prefecture-ranges", "deviation", "towns-villages", "mynumber")]]:
        assert (site / page).exists(), page
    codes = {r[0] for r in warehouse.sql("select municipality_code from dim_municipalities").fetchall()}
    assert {p.name for p in (site / "municipalities").iterdir() if p.is_dir()} == codes
    prefs = {r[0] for r in warehouse.sql("select prefecture_code from dim_prefectures").fetchall()}
    assert {p.name for p in (site / "prefectures").iterdir() if p.is_dir()} == prefs
    assert (site / "dbt" / "static_index.html").exists()


def test_every_municipality_page_lists_the_warehouses_peer_gaps(site: Path, warehouse) -> None:
    pages = _page_results(site)
    codes = [r[0] for r in warehouse.sql("select municipality_code from dim_municipalities").fetchall()]
    assert sorted(pages) == sorted(codes)
    expected: dict[str, list[tuple[str, str]]] = {code: [] for code in codes}
    for code, year, item in warehouse.sql(
        "select municipality_code, fiscal_year, item_name_ja from rpt_municipality_peer_gaps order by fiscal_year desc, gap_rank"
    ).fetchall():
        expected[code].append((f"{year}年度", item))
    n_gaps = 0
    for code in codes:
        shown = [(r["年度"], r["項目"]) for r in pages[code]["gaps"]]
        assert shown == expected[code], code
        n_gaps += len(shown)
    assert n_gaps == warehouse.sql("select count(*) from rpt_municipality_peer_gaps").fetchone()[0] > 0
    # 檜枝岐村 (the example): its gaps are sample-based and move with the sample's
    # calibration (デジタルデバイド対策 in the build, ホームページの評価 today): the page shows
    # exactly the warehouse's, and there is at least one
    assert expected["073644"], "檜枝岐村 has no peer gap in the warehouse"


def test_every_municipality_page_shows_its_items_and_scores(site: Path, warehouse) -> None:
    pages = _page_results(site)
    items = dict(warehouse.sql("select municipality_code, count(*) from rpt_municipality_items group by 1").fetchall())
    scores = {(c, f"{y}年度", d): s for c, y, d, s in warehouse.sql(
        """select municipality_code, fiscal_year, coalesce(domain_name_ja, '総合（カードを除く5分野の平均）'), deviation_score
           from rpt_municipality_deviation""").fetchall()}
    for code, results in pages.items():
        assert len(results["items"]) == items[code], code
        for row in results["scores"]:
            assert row["偏差値"] == pytest.approx(scores[(code, row["年度"], row["分野"])]), code


def test_no_page_names_a_raw_code_or_missing_marker(site: Path) -> None:
    for page in site.rglob("index.html"):
        if "dbt" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        assert "&lt;NA&gt;" not in text and "<NA>" not in text, page


def test_the_build_step_recognises_evidence_query_errors() -> None:
    """Evidence exits 0 when a page query fails: jdx.report.evidence_site fails on these log lines instead."""
    from jdx.report.evidence_site import query_errors

    log = "\n".join([
        "✓ built in 1m 15s",
        "Error in Query! Catalog Error: Table with name nope does not exist!",
        "  municipalities ✔ Finished, wrote 1741 rows.",
        "Binder Error: Referenced column \"x\" not found",
    ])
    assert query_errors(log) == [
        "Error in Query! Catalog Error: Table with name nope does not exist!",
        "Binder Error: Referenced column \"x\" not found",
    ]
    assert query_errors("✓ built in 1m 15s\n  prefectures ✔ Finished, wrote 47 rows.") == []
