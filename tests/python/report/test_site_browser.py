"""The Evidence site (reports/, built by `make site-test` into build/scratch/site) in a real browser:
Debian's Chromium through Playwright. Pages draw with no console error and no request off
127.0.0.1; what the pages show equals the marts (queried here, never typed in); CSV downloads
hold the mart's rows; search folds kana and kanji variants; the map colours every body the
boundary file can draw; at 390 px no page scrolls sideways. Screenshots go to build/screenshots/.
Each page is visited once per width and read by every check that needs it (site_browser.py)."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from site_browser import PHONE, SitePages, Visit, table_rows

FIGURE_PAGES = ["figures/rates", "figures/tallies", "figures/prefecture-ranges", "figures/deviation",
                "figures/towns-villages", "figures/mynumber"]
PREFECTURES = ["07", "17"]
MUNICIPALITIES = ["012335", "072133", "073644", "172049"]  # 伊達市 (北海道), 伊達市 (福島県), 檜枝岐村, 輪島市
OTHER_PAGES = ["", "map", "data", "prefectures", "municipalities"]


def _fmt(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


@pytest.mark.parametrize("path", ["", "map", "data", *FIGURE_PAGES, *[f"prefectures/{p}" for p in PREFECTURES],
                                  *[f"municipalities/{m}" for m in MUNICIPALITIES]])
@pytest.mark.visits()
def test_page_draws_without_errors_or_foreign_requests(pages: SitePages, path: str) -> None:
    visit = pages.get(path)  # settled: its charts, maps and tables drawn (site_browser.settled_when)
    visit.shot(f"{path.replace('/', '_') or 'index'}.png")
    text = visit.page.inner_text("body")
    assert "Error" not in text and "<NA>" not in text and "undefined" not in text, text[:500]
    assert not visit.errors, visit.errors
    assert not visit.foreign, visit.foreign


@pytest.mark.parametrize("path", [f"municipalities/{m}" for m in MUNICIPALITIES])
@pytest.mark.visits()
def test_municipality_pages_show_the_marts_values(pages: SitePages, warehouse, path: str) -> None:
    code = path.split("/")[1]
    label, size_class = warehouse.execute(
        "select municipality_label, size_class_ja from dim_municipalities where municipality_code = ?", [code]).fetchone()
    page = pages.get(path).page
    assert page.locator("h1").first.inner_text().strip() == label
    assert size_class in page.inner_text("body")
    scores = warehouse.execute(
        """select fiscal_year, coalesce(domain_name_ja, '総合（カードを除く5分野の平均）'), deviation_score
           from rpt_municipality_deviation where municipality_code = ?""", [code]).fetchall()
    score_rows = table_rows(page, "scores")
    shown = {(r[0], r[1]): r[2] for r in score_rows}
    assert len(shown) == len(scores)
    for r in score_rows:  # ranks as whole numbers: 3位／528
        assert re.fullmatch(r"\d+位／\d+", r[4]) and re.fullmatch(r"\d+位／\d+", r[5]), r
    for year, domain, score in scores:
        assert shown[(f"{year}年度", domain)] == _fmt(score, 1), (code, year, domain)
    items = warehouse.execute(
        "select count(*) from rpt_municipality_items where municipality_code = ?", [code]).fetchone()[0]
    assert len(table_rows(page, "items")) == items
    gaps = warehouse.execute(
        """select fiscal_year, item_name_ja from rpt_municipality_peer_gaps where municipality_code = ?
           order by fiscal_year desc, gap_rank""", [code]).fetchall()
    if gaps:
        gap_rows = table_rows(page, "peer-gaps")
        assert [(r[1], r[0]) for r in gap_rows] == [(f"{y}年度", n) for y, n in gaps]  # 項目 first, then 年度
    else:  # the next table after the heading is the items table: the page says there is none instead
        assert "該当なし（どの年度にも、基準を満たす未実施の項目はありません）" in page.inner_text("body")


@pytest.mark.visits("municipalities/073644")
def test_hinoemata_lists_its_peer_gaps(pages: SitePages, warehouse) -> None:
    """檜枝岐村's page lists the peer gaps the warehouse has for it (the issue's example was
    デジタルデバイド対策 2023; the gaps rest on sample cells and move with the sample's calibration)."""
    gaps = warehouse.execute(
        """select fiscal_year, item_name_ja from rpt_municipality_peer_gaps where municipality_code = '073644'
           order by fiscal_year desc, gap_rank""").fetchall()
    assert gaps, "檜枝岐村 has no peer gap in the warehouse"
    page = pages.get("municipalities/073644").page
    page.wait_for_function(f"document.body.innerText.includes({gaps[0][1]!r})", timeout=60_000)
    rows = table_rows(page, "peer-gaps")
    assert [(r[1], r[0]) for r in rows] == [(f"{y}年度", n) for y, n in gaps]


@pytest.mark.visits("municipalities/172049")
def test_wajima_shows_the_noto_substitution_and_its_reason(pages: SitePages, warehouse) -> None:
    reason = warehouse.execute(
        "select distinct substitution_reason_ja from rpt_municipality_items where municipality_code = '172049' and is_substituted"
    ).fetchone()[0]
    page = pages.get("municipalities/172049").page
    page.wait_for_function(f"document.body.innerText.includes({reason!r})", timeout=60_000)
    assert "令和4年度版で代替" in page.inner_text("body")


@pytest.mark.parametrize("path", [f"prefectures/{p}" for p in PREFECTURES])
@pytest.mark.visits()
def test_prefecture_page_lists_its_municipalities_with_their_scores(pages: SitePages, warehouse, path: str) -> None:
    pref = path.split("/")[1]
    expected = warehouse.execute(
        """select municipality_name, deviation_score from rpt_municipality_deviation
           where prefecture_code = ? and fiscal_year = 2023 and domain = 'overall_excl_mynumber'
           order by municipality_code""", [pref]).fetchall()
    page = pages.get(path).page
    page.wait_for_function(
        f"document.querySelector('#prefecture-map svg') && +document.querySelector('#prefecture-map svg').dataset.areas >= {len(expected) - 8}",
        timeout=60_000)
    rows = table_rows(page, "scores-2023")
    assert [(r[0], r[2]) for r in rows] == [(n, _fmt(v, 1)) for n, v in expected]


@pytest.mark.visits("figures/deviation")
def test_figure_23_shows_our_and_the_reports_scores_in_both_years(pages: SitePages, warehouse) -> None:
    page = pages.get("figures/deviation").page
    for year in (2021, 2023):
        page.wait_for_function(f"document.getElementById('fig23-{year}')")
        expected = warehouse.execute(
            """select d.prefecture_name, d.deviation_score, s.published_value
               from rpt_fig17_23_prefecture_deviation d
               left join rpt_reproduction_scorecard s on s.measure = 'deviation_score' and s.domain = d.domain
                    and s.prefecture_code = d.prefecture_code and s.fiscal_year = d.fiscal_year
               where d.domain = 'overall_excl_mynumber' and d.fiscal_year = ?""", [year]).fetchall()
        rows = {r[1]: r for r in table_rows(page, f"fig23-{year}")}
        assert len(rows) == 47
        for name, ours, published in expected:
            # columns: region, prefecture, then (ours, report) for 7 domains in the report's order; overall is the 7th pair
            assert rows[name][14] == _fmt(ours, 2), (year, name)
            assert rows[name][15] == _fmt(published, 2), (year, name)


@pytest.mark.visits("figures/rates")
def test_figure_2_rates_equal_the_mart(pages: SitePages, warehouse) -> None:
    page = pages.get("figures/rates").page
    expected = warehouse.execute(
        """select item_name_ja, fiscal_year, rate_pct from rpt_fig02_06_10_item_rates_national
           where domain = 'dx_governance' order by item_sort_order, fiscal_year""").fetchall()
    rows = table_rows(page, "fig2")
    assert [(r[0], r[1], r[2]) for r in rows] == [(n, f"{y}年度", _fmt(v, 1) + "%") for n, y, v in expected]


@pytest.mark.visits("figures/towns-villages")
def test_table_csv_download_holds_the_marts_rows(pages: SitePages, warehouse) -> None:
    page = pages.get("figures/towns-villages").page  # marking the table and hovering it leave the page as it was
    page.wait_for_function("document.getElementById('fig18-2023')")
    found = page.evaluate(
        """(id) => {
            const h = document.getElementById(id);
            const table = [...document.querySelectorAll('table')].find(
                t => h.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING && !t.closest('dialog'));
            let box = table;
            while (box && !box.querySelector('.table-footer')) box = box.parentElement;
            if (!box) return false;
            box.setAttribute('data-csv-box', '1');
            return true;
        }""",
        "fig18-2023",
    )
    assert found
    page.locator("[data-csv-box] table").first.hover()
    with page.expect_download(timeout=30_000) as info:
        page.locator("[data-csv-box] button[aria-label=ダウンロード]").first.click()
    body = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    expected = warehouse.execute(
        """select prefecture_name, towns_and_villages_share_pct, overall_deviation_score
           from rpt_fig18_towns_villages_vs_overall where fiscal_year = 2023 order by prefecture_code""").fetchall()
    assert len(rows) == len(expected) == 47
    for row, (name, share, score) in zip(rows, expected, strict=True):
        assert row["都道府県"] == name
        assert abs(float(row["町村の割合"]) - share) < 1e-9
        assert abs(float(row["総合偏差値"]) - score) < 1e-9


@pytest.fixture(scope="module")
def search_page(pages: SitePages) -> Iterator[Visit]:
    """The list of municipalities in a tab of its own (typing changes the page), searched by each case below
    in turn, as a visitor types one search after another into the same box."""
    visit = pages.fresh("municipalities")
    yield visit
    visit.close()


@pytest.mark.parametrize(("typed", "wanted", "exactly"), [
    ("わじま", "輪島市（石川県）", False),
    ("袖ヶ浦", "袖ケ浦市（千葉県）", False),
    ("東京都 府中", "府中市（東京都）", True),
])
def test_search_folds_kana_and_variants(search_page: Visit, typed: str, wanted: str, exactly: bool) -> None:
    page = search_page.page
    page.get_by_placeholder("例：わじま").fill(typed)  # replaces what the case before typed
    page.wait_for_function(f"document.body.innerText.includes({wanted!r})", timeout=30_000)
    rows = table_rows(page, "results")
    names = [r[0] for r in rows]
    assert wanted in names
    if exactly:
        assert names == [wanted]
    assert not search_page.errors and not search_page.foreign


@pytest.mark.visits("map")
def test_municipality_map_colours_every_drawable_body_and_lists_the_rest(pages: SitePages, warehouse) -> None:
    visit = pages.get("map")
    page = visit.page
    page.wait_for_function("document.querySelector('#municipality-map svg') && +document.querySelector('#municipality-map svg').dataset.areas > 0",
                           timeout=60_000)
    svg = page.locator("#municipality-map svg")
    n_bodies = warehouse.execute("select count(*) from dim_municipalities").fetchone()[0]
    assert int(svg.get_attribute("data-areas")) == n_bodies - 8 == 1733
    fills = page.evaluate("[...document.querySelectorAll('#municipality-map a.map-area path')].map(p => p.getAttribute('fill'))")
    assert len(fills) == 1733 and "#d0d0d0" not in fills
    missing = page.locator("#municipality-map a.map-missing").all_inner_texts()
    assert len(missing) == 8
    for name in ("利島村", "青ヶ島村", "上島町", "姫島村", "座間味村", "粟国村", "渡名喜村", "太地町"):
        assert any(name in m for m in missing), name
    href = page.locator("#municipality-map a.map-area").first.get_attribute("href")
    assert href.startswith("/municipalities/")
    assert not visit.errors and not visit.foreign


@pytest.mark.parametrize("path", ["", *FIGURE_PAGES, "prefectures/07", "municipalities/073644", "municipalities", "map", "data"])
@pytest.mark.visits(width=PHONE)
def test_no_page_scrolls_sideways_at_390_px(pages: SitePages, path: str) -> None:
    visit = pages.get(path, width=PHONE)  # reached from the page before by a link of the site (site_browser.py)
    width = visit.page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    assert width <= PHONE, f"{path}: {width} px wide"
    assert not visit.errors, (path, visit.errors)
