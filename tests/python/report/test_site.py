"""The built Evidence site as files: every page prerendered, and the data each municipality page
shows (the query results Evidence prerendered as Arrow files) equal to the marts for every body."""
from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
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


def _one_row_per_page(site: Path, query: str, columns: list[str]) -> list[tuple[Path, dict]]:
    """Each page that runs `query`, as its query manifest and the one row Evidence prerendered for it.
    Fails if such a page runs another query, or if its result is not one row of exactly these columns."""
    queries = site / "api" / "prerendered_queries"
    key = f"{query}_data"
    found = []
    for manifest in (site / "api").rglob("all-queries.json"):
        names = json.loads(manifest.read_text(encoding="utf-8"))
        if key not in names:
            continue
        assert [name for name in names if name.endswith("_data")] == [key], manifest
        rows = _arrow_rows(queries / f"{names[key]}.arrow")
        assert len(rows) == 1 and list(rows[0]) == columns, manifest
        found.append((manifest, rows[0]))
    return found


# The municipality page's one query (`municipality`) reads one row of rpt_municipality_page, from the
# source of its prefecture (municipality_page_<first two digits of its code>, written by the site build):
# the body's facts as columns and the rows of each part (scores, gaps, items) as JSON text, each row an
# array of values in the page's column order; the page splits it so
# (pages/municipalities/[municipality_code].md, BODY and PARTS).
BODY = ["municipality_code", "municipality_name", "municipality_kana", "municipality_label", "prefecture_code",
        "prefecture_name", "mic_type_ja", "size_class_ja", "population", "substitution_reason"]
PARTS = {
    "scores": ["分野", "年度", "fiscal_year", "偏差値", "分野の実施率", "同規模での順位", "県内での順位", "入力"],
    "gaps": ["年度", "項目", "分野", "同規模の実施率", "県内の実施率", "出所"],
    "items": ["分野", "項目", "年度", "値", "出所", "同規模の実施率", "県内の実施率"],
}


def _page_results(site: Path) -> dict[str, dict[str, list[dict]]]:
    """Per municipality code, the page's one prerendered query result split as the page splits it:
    `body` (one row) and each part's rows in order, with the part's columns. Fails if a page runs
    another query, if its result is not one row of exactly these columns, or if a part's row does not
    hold one value per column."""
    pages: dict[str, dict[str, list[dict]]] = {}
    for manifest, row in _one_row_per_page(site, "municipality", BODY + list(PARTS)):
        results: dict[str, list[dict]] = {"body": [{column: row[column] for column in BODY}]}
        for part, columns in PARTS.items():
            values = json.loads(row[part])
            assert all(len(value) == len(columns) for value in values), (manifest, part)
            results[part] = [dict(zip(columns, value, strict=True)) for value in values]
        pages[row["municipality_code"]] = results
    return pages


def test_each_prefecture_has_its_municipality_page_source(site: Path, warehouse) -> None:
    """The site's data holds one municipality page source per prefecture (the page reads the one of its
    code's first two digits), each with exactly its prefecture's bodies in code order, and no source of
    all bodies: what keeps each page query's read small."""
    import pyarrow.parquet as pq

    data = site / "data" / "warehouse"
    expected: dict[str, list[str]] = {}
    for code, in warehouse.sql("select municipality_code from dim_municipalities order by municipality_code").fetchall():
        expected.setdefault(code[:2], []).append(code)
    prefectures = {r[0] for r in warehouse.sql("select prefecture_code from dim_prefectures").fetchall()}
    assert set(expected) == prefectures
    sources = {p.name for p in data.iterdir() if p.name.startswith("municipality_page")}
    assert sources == {f"municipality_page_{code}" for code in expected}, sorted(sources)
    for code, bodies in expected.items():
        table = pq.read_table(data / f"municipality_page_{code}" / f"municipality_page_{code}.parquet")
        assert table.column_names == BODY + list(PARTS), code
        assert table.column("municipality_code").to_pylist() == bodies, code
        assert set(table.column("prefecture_code").to_pylist()) == {code}, code


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
    items: dict[str, list[tuple]] = {}
    for code, domain, item, year, value, source in warehouse.sql(
        """select municipality_code, domain_name_ja, item_name_ja, fiscal_year, value_label_ja, source_label_ja
           from rpt_municipality_items order by municipality_code, domain_sort_order, item_sort_order, fiscal_year""").fetchall():
        items.setdefault(code, []).append((domain, item, f"{year}年度", value, source))
    scores = {(c, f"{y}年度", d): s for c, y, d, s in warehouse.sql(
        """select municipality_code, fiscal_year, coalesce(domain_name_ja, '総合（カードを除く5分野の平均）'), deviation_score
           from rpt_municipality_deviation""").fetchall()}
    n_scores = dict(warehouse.sql("select municipality_code, count(*) from rpt_municipality_deviation group by 1").fetchall())
    bodies = {r[0]: r for r in warehouse.sql(
        "select municipality_code, municipality_label, size_class_ja, prefecture_code, population from dim_municipalities").fetchall()}
    ranks = _ranks(warehouse)
    for code, results in pages.items():
        body = results["body"][0]
        assert (body["municipality_code"], body["municipality_label"], body["size_class_ja"], body["prefecture_code"],
                body["population"]) == bodies[code], code
        shown_items = [(r["分野"], r["項目"], r["年度"], r["値"], r["出所"]) for r in results["items"]]
        assert shown_items == items[code], code
        assert len(results["scores"]) == n_scores[code], code
        for row in results["scores"]:
            assert row["偏差値"] == pytest.approx(scores[(code, row["年度"], row["分野"])]), code
            assert (row["同規模での順位"], row["県内での順位"]) == ranks[(code, row["年度"], row["分野"])], (code, row)


def _ranked_scores(warehouse) -> list[dict]:
    """Every row of rpt_municipality_deviation with the body's ranks, computed here from
    rpt_municipality_deviation and dim_municipalities without the site's SQL: within the body's size
    class and within its prefecture (that year and domain), 1 + the number of bodies with a higher
    score, out of the n bodies with a score (a body without one ranks after all of them, n + 1)."""
    columns = ("code", "year", "domain", "domain_name", "score", "size_class", "prefecture")
    rows = [dict(zip(columns, row, strict=True)) for row in warehouse.sql(
        """select deviation.municipality_code, deviation.fiscal_year, deviation.domain,
                  coalesce(deviation.domain_name_ja, '総合（カードを除く5分野の平均）'), deviation.deviation_score,
                  municipalities.size_class, municipalities.prefecture_code
           from rpt_municipality_deviation as deviation
           inner join dim_municipalities as municipalities
               on deviation.municipality_code = municipalities.municipality_code""").fetchall()]
    groups: dict[tuple, list[float]] = {}
    for row in rows:
        if row["score"] is not None:
            groups.setdefault(("class", row["year"], row["domain"], row["size_class"]), []).append(row["score"])
            groups.setdefault(("prefecture", row["year"], row["domain"], row["prefecture"]), []).append(row["score"])
    for row in rows:
        for within, group in (("class", row["size_class"]), ("prefecture", row["prefecture"])):
            scores = groups.get((within, row["year"], row["domain"], group), [])
            row[f"n_in_{within}"] = len(scores)
            row[f"rank_in_{within}"] = (len(scores) + 1 if row["score"] is None
                                        else 1 + sum(other > row["score"] for other in scores))
    return rows


def _ranks(warehouse) -> dict[tuple[str, str, str], tuple[str, str]]:
    """Per body, year label and domain name, its ranks as the municipality page shows them (「n位／m」)."""
    return {(row["code"], f"{row['year']}年度", row["domain_name"]): (
        f"{row['rank_in_class']}位／{row['n_in_class']}", f"{row['rank_in_prefecture']}位／{row['n_in_prefecture']}")
        for row in _ranked_scores(warehouse)}


# The prefecture page's one query (`prefecture`) reads one row of rpt_prefecture_page (source
# prefecture_page.sql): the prefecture's facts as columns and the rows of its two scores tables and its map
# as JSON text, each an object keyed by fiscal year, each row an array of values in the page's column order
# (pages/prefectures/[prefecture_code].md, FACTS, BODIES and MAP).
PREFECTURE_FACTS = ["prefecture_code", "prefecture_name", "region_name_ja", "n_municipalities", "n_towns_and_villages",
                    "population"]
PREFECTURE_PARTS = {
    "bodies": ["団体", "人口規模区分", "d0", "d1", "d2", "d3", "d4", "d5", "d6", "県内順位", "同規模での順位", "href"],
    "map_bodies": ["code", "name", "value", "href"],
}
# the scores tables' columns d0 … d6
TABLE_DOMAINS = ["overall_excl_mynumber", "dx_governance", "service_advancement", "service_improvement",
                 "online_high_volume", "online_life_events", "mynumber_card"]


def _prefecture_results(site: Path) -> dict[str, dict]:
    """Per prefecture code, the page's one prerendered query result: `facts` and, per part, its rows by
    year (each row a dict of the part's columns). Fails if a page runs another query, if its result is not
    one row of exactly these columns, or if a row does not hold one value per column."""
    pages: dict[str, dict] = {}
    for manifest, row in _one_row_per_page(site, "prefecture", PREFECTURE_FACTS + list(PREFECTURE_PARTS)):
        result: dict = {"facts": tuple(row[column] for column in PREFECTURE_FACTS)}
        for part, columns in PREFECTURE_PARTS.items():
            by_year = json.loads(row[part])
            assert all(len(value) == len(columns) for values in by_year.values() for value in values), (manifest, part)
            result[part] = {year: [dict(zip(columns, value, strict=True)) for value in values]
                            for year, values in by_year.items()}
        pages[row["prefecture_code"]] = result
    return pages


def test_every_prefecture_page_shows_its_bodies_scores_and_ranks(site: Path, warehouse) -> None:
    """Each prefecture page's one result: the prefecture's facts as in dim_prefectures; per year, its
    bodies in code order with their deviation scores per domain (rpt_municipality_deviation) and overall
    ranks computed in the test; the map's 2023 overall scores."""
    pages = _prefecture_results(site)
    facts = {row[0]: row for row in warehouse.sql(
        "select prefecture_code, prefecture_name, region_name_ja, n_municipalities, n_towns_and_villages, population "
        "from dim_prefectures").fetchall()}
    assert sorted(pages) == sorted(facts)
    names = dict(warehouse.sql("select municipality_code, municipality_name from dim_municipalities").fetchall())
    classes = dict(warehouse.sql("select municipality_code, size_class_ja from dim_municipalities").fetchall())
    by_key = {(row["code"], row["year"], row["domain"]): row for row in _ranked_scores(warehouse)}
    years = sorted({year for _code, year, _domain in by_key}, reverse=True)
    n_rows = 0
    for prefecture, result in pages.items():
        assert result["facts"] == facts[prefecture], prefecture
        for year in years:
            codes = sorted({code for code, y, _domain in by_key if y == year and code[:2] == prefecture})
            shown = result["bodies"].get(str(year), [])
            assert [row["href"] for row in shown] == [f"/municipalities/{code}" for code in codes], (prefecture, year)
            for code, row in zip(codes, shown, strict=True):
                overall = by_key[(code, year, "overall_excl_mynumber")]
                assert (row["団体"], row["人口規模区分"], row["県内順位"], row["同規模での順位"]) == (
                    names[code], classes[code], overall["rank_in_prefecture"], overall["rank_in_class"]), (code, year)
                for index, domain in enumerate(TABLE_DOMAINS):
                    expected = by_key[(code, year, domain)]["score"] if (code, year, domain) in by_key else None
                    assert row[f"d{index}"] == (None if expected is None else pytest.approx(expected)), (code, year, domain)
                n_rows += 1
        shown_map = result["map_bodies"]["2023"]
        assert [(row["code"], row["name"], row["href"]) for row in shown_map] == [
            (code, names[code], f"/municipalities/{code}") for code in sorted(names) if code[:2] == prefecture]
        for row in shown_map:
            assert row["value"] == pytest.approx(by_key[(row["code"], 2023, "overall_excl_mynumber")]["score"]), row
    assert n_rows == len({(code, year) for code, year, _domain in by_key}) > 0


def test_no_page_names_a_raw_code_or_missing_marker(site: Path) -> None:
    for page in site.rglob("index.html"):
        if "dbt" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        assert "&lt;NA&gt;" not in text and "<NA>" not in text, page


def test_the_page_sources_are_one_per_prefecture_and_checked(tmp_path: Path) -> None:
    """`write_page_sources` (run before `evidence sources`): one source per prefecture of the warehouse's
    rpt_municipality_page, each selecting that prefecture's rows in code order, any other file of the folder
    removed; a prefecture code that is not two digits stops it before any file is written."""
    from jdx.report.evidence_site import SiteError, write_page_sources

    db = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create table rpt_municipality_page as select * from (values ('131024', '13'), ('011002', '01'), "
                "('131016', '13')) as t(municipality_code, prefecture_code)")
    for column in [c for c in BODY + list(PARTS) if c not in ("municipality_code", "prefecture_code")]:
        con.execute(f"alter table rpt_municipality_page add column {column} varchar")
    con.close()
    folder = tmp_path / "municipality_page"
    folder.mkdir()
    (folder / "municipality_page_99.sql").write_text("select 1", encoding="utf-8")
    assert write_page_sources(db, folder) == ["01", "13"]
    assert sorted(p.name for p in folder.iterdir()) == ["municipality_page_01.sql", "municipality_page_13.sql"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        result = con.sql((folder / "municipality_page_13.sql").read_text(encoding="utf-8"))
        assert result.columns == BODY + list(PARTS)
        assert [row[0] for row in result.fetchall()] == ["131016", "131024"]
    finally:
        con.close()

    con = duckdb.connect(str(db))
    con.execute("insert into rpt_municipality_page (municipality_code, prefecture_code) values ('x', '1'' or true --')")
    con.close()
    other = tmp_path / "other"
    with pytest.raises(SiteError, match="not two digits"):
        write_page_sources(db, other)
    assert not other.exists()


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
