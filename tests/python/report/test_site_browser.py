"""The Evidence site (reports/, built by `make site-test` into build/scratch/site) in a real browser:
Debian's Chromium through Playwright. Pages draw with no console error and no request off
127.0.0.1; what the pages show equals the marts (queried here, never typed in); CSV downloads
hold the mart's rows; search folds kana and kanji variants; the map colours every body the
boundary file can draw; at 390 px no page scrolls sideways. Screenshots go to build/screenshots/."""
from __future__ import annotations

import csv
import functools
import http.server
import io
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import REPO

SITE = Path(os.environ.get("JDX_SITE_DIR", REPO / "build" / "site"))
SHOTS = REPO / "build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"

FIGURE_PAGES = ["figures/rates", "figures/tallies", "figures/prefecture-ranges", "figures/deviation",
                "figures/towns-villages", "figures/mynumber"]
PREFECTURES = ["07", "17"]
MUNICIPALITIES = ["012335", "072133", "073644", "172049"]  # 伊達市 (北海道), 伊達市 (福島県), 檜枝岐村, 輪島市
OTHER_PAGES = ["", "map", "data", "prefectures", "municipalities"]


class _Handler(http.server.SimpleHTTPRequestHandler):
    """A static host as Evidence expects one: /a/b serves a/b.html or a/b/index.html."""

    def translate_path(self, path: str) -> str:
        local = Path(super().translate_path(path))
        if local.is_dir() and (local / "index.html").exists():
            return str(local / "index.html")
        if not local.exists() and local.with_name(local.name + ".html").exists():
            return str(local.with_name(local.name + ".html"))
        return str(local)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    if not (SITE / "index.html").exists():
        pytest.fail(f"no site at {SITE}: run `make site-test` (make test builds it)")
    handler = functools.partial(_Handler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: `make browser-deps` installs Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


class Visit:
    def __init__(self, browser, url: str, width: int = 1200) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 1000}, accept_downloads=True)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", self._request)
        self.page.goto(url, wait_until="networkidle", timeout=90_000)

    def _request(self, request) -> None:
        host = urlparse(request.url).hostname
        if host not in ("127.0.0.1", None) and not request.url.startswith(("data:", "blob:")):
            self.foreign.append(request.url)

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / name), full_page=False)

    def close(self) -> None:
        self.context.close()


def _wait_for_charts(page, n: int = 1) -> None:
    page.wait_for_function(f"document.querySelectorAll('[_echarts_instance_] canvas, [_echarts_instance_] svg').length >= {n}",
                           timeout=60_000)


def _table_rows(page, heading_id: str) -> list[list[str]]:
    """Cell texts of the first data table after the heading with this id."""
    return page.evaluate(
        """(id) => {
            const h = document.getElementById(id);
            if (!h) return [];
            const table = [...document.querySelectorAll('table')].find(
                t => h.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING && !t.closest('dialog'));
            if (!table) return [];
            return [...table.querySelectorAll('tr')].filter(tr => tr.querySelector('td')).map(tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim()));
        }""",
        heading_id,
    )


def _fmt(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


@pytest.mark.parametrize("path", ["", *FIGURE_PAGES, *[f"prefectures/{p}" for p in PREFECTURES],
                                  *[f"municipalities/{m}" for m in MUNICIPALITIES], "map", "data"])
def test_page_draws_without_errors_or_foreign_requests(server: str, browser, path: str) -> None:
    visit = Visit(browser, f"{server}/{path}")
    page = visit.page
    if path.startswith(("figures/", "municipalities/")) and path != "figures/deviation":
        _wait_for_charts(page)
    if path.startswith("prefectures/") or path in ("map", "figures/deviation"):
        page.wait_for_function("document.querySelector('svg[data-areas]') && +document.querySelector('svg[data-areas]').dataset.areas > 0",
                               timeout=60_000)
    page.wait_for_timeout(500)
    visit.shot(f"{path.replace('/', '_') or 'index'}.png")
    text = page.inner_text("body")
    assert "Error" not in text and "<NA>" not in text and "undefined" not in text, text[:500]
    assert not visit.errors, visit.errors
    assert not visit.foreign, visit.foreign
    visit.close()


def test_municipality_pages_show_the_marts_values(server: str, browser, warehouse) -> None:
    for code in MUNICIPALITIES:
        label, size_class = warehouse.execute(
            "select municipality_label, size_class_ja from dim_municipalities where municipality_code = ?", [code]).fetchone()
        visit = Visit(browser, f"{server}/municipalities/{code}")
        page = visit.page
        _wait_for_charts(page)
        assert page.locator("h1").first.inner_text().strip() == label
        assert size_class in page.inner_text("body")
        scores = warehouse.execute(
            """select fiscal_year, coalesce(domain_name_ja, '総合（カードを除く5分野の平均）'), deviation_score
               from rpt_municipality_deviation where municipality_code = ?""", [code]).fetchall()
        score_rows = _table_rows(page, "scores")
        shown = {(r[0], r[1]): r[2] for r in score_rows}
        assert len(shown) == len(scores)
        for r in score_rows:  # ranks as whole numbers: 3位／528
            assert re.fullmatch(r"\d+位／\d+", r[4]) and re.fullmatch(r"\d+位／\d+", r[5]), r
        for year, domain, score in scores:
            assert shown[(f"{year}年度", domain)] == _fmt(score, 1), (code, year, domain)
        items = warehouse.execute(
            "select count(*) from rpt_municipality_items where municipality_code = ?", [code]).fetchone()[0]
        assert len(_table_rows(page, "items")) == items
        gaps = warehouse.execute(
            """select fiscal_year, item_name_ja from rpt_municipality_peer_gaps where municipality_code = ?
               order by fiscal_year desc, gap_rank""", [code]).fetchall()
        gap_rows = _table_rows(page, "peer-gaps") if gaps else []
        assert [(r[1], r[0]) for r in gap_rows] == [(f"{y}年度", n) for y, n in gaps]  # 項目 first, then 年度
        visit.close()


def test_hinoemata_lists_its_peer_gaps(server: str, browser, warehouse) -> None:
    """檜枝岐村's page lists the peer gaps the warehouse has for it (the issue's example was
    デジタルデバイド対策 2023; the gaps rest on sample cells and move with the sample's calibration)."""
    gaps = warehouse.execute(
        """select fiscal_year, item_name_ja from rpt_municipality_peer_gaps where municipality_code = '073644'
           order by fiscal_year desc, gap_rank""").fetchall()
    assert gaps, "檜枝岐村 has no peer gap in the warehouse"
    visit = Visit(browser, f"{server}/municipalities/073644")
    visit.page.wait_for_selector("#peer-gaps")
    visit.page.wait_for_function(f"document.body.innerText.includes({gaps[0][1]!r})", timeout=60_000)
    rows = _table_rows(visit.page, "peer-gaps")
    assert [(r[1], r[0]) for r in rows] == [(f"{y}年度", n) for y, n in gaps]
    visit.close()


def test_wajima_shows_the_noto_substitution_and_its_reason(server: str, browser, warehouse) -> None:
    reason = warehouse.execute(
        "select distinct substitution_reason_ja from rpt_municipality_items where municipality_code = '172049' and is_substituted"
    ).fetchone()[0]
    visit = Visit(browser, f"{server}/municipalities/172049")
    visit.page.wait_for_function(f"document.body.innerText.includes({reason!r})", timeout=60_000)
    assert "令和4年度版で代替" in visit.page.inner_text("body")
    visit.close()


def test_figure_23_shows_our_and_the_reports_scores_in_both_years(server: str, browser, warehouse) -> None:
    visit = Visit(browser, f"{server}/figures/deviation")
    page = visit.page
    for year in (2021, 2023):
        page.wait_for_function(f"document.getElementById('fig23-{year}')")
        expected = warehouse.execute(
            """select d.prefecture_name, d.deviation_score, s.published_value
               from rpt_fig17_23_prefecture_deviation d
               left join rpt_reproduction_scorecard s on s.measure = 'deviation_score' and s.domain = d.domain
                    and s.prefecture_code = d.prefecture_code and s.fiscal_year = d.fiscal_year
               where d.domain = 'overall_excl_mynumber' and d.fiscal_year = ?""", [year]).fetchall()
        rows = {r[1]: r for r in _table_rows(page, f"fig23-{year}")}
        assert len(rows) == 47
        for name, ours, published in expected:
            # columns: region, prefecture, then (ours, report) for 7 domains in the report's order; overall is the 7th pair
            assert rows[name][14] == _fmt(ours, 2), (year, name)
            assert rows[name][15] == _fmt(published, 2), (year, name)
    visit.close()


def test_figure_2_rates_equal_the_mart(server: str, browser, warehouse) -> None:
    visit = Visit(browser, f"{server}/figures/rates")
    page = visit.page
    _wait_for_charts(page)
    expected = warehouse.execute(
        """select item_name_ja, fiscal_year, rate_pct from rpt_fig02_06_10_item_rates_national
           where domain = 'dx_governance' order by item_sort_order, fiscal_year""").fetchall()
    rows = _table_rows(page, "fig2")
    assert [(r[0], r[1], r[2]) for r in rows] == [(n, f"{y}年度", _fmt(v, 1) + "%") for n, y, v in expected]
    visit.close()


def test_prefecture_page_lists_its_municipalities_with_their_scores(server: str, browser, warehouse) -> None:
    for pref in PREFECTURES:
        expected = warehouse.execute(
            """select municipality_name, deviation_score from rpt_municipality_deviation
               where prefecture_code = ? and fiscal_year = 2023 and domain = 'overall_excl_mynumber'
               order by municipality_code""", [pref]).fetchall()
        visit = Visit(browser, f"{server}/prefectures/{pref}")
        page = visit.page
        page.wait_for_function(
            f"document.querySelector('#prefecture-map svg') && +document.querySelector('#prefecture-map svg').dataset.areas >= {len(expected) - 8}",
            timeout=60_000)
        rows = _table_rows(page, "scores-2023")
        assert [(r[0], r[2]) for r in rows] == [(n, _fmt(v, 1)) for n, v in expected]
        visit.close()


def test_table_csv_download_holds_the_marts_rows(server: str, browser, warehouse) -> None:
    visit = Visit(browser, f"{server}/figures/towns-villages")
    page = visit.page
    page.wait_for_function("document.getElementById('fig18-2023')")
    page.wait_for_timeout(1000)
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
    visit.close()


@pytest.mark.parametrize(("typed", "wanted", "exactly"), [
    ("わじま", "輪島市（石川県）", False),
    ("袖ヶ浦", "袖ケ浦市（千葉県）", False),
    ("東京都 府中", "府中市（東京都）", True),
])
def test_search_folds_kana_and_variants(server: str, browser, typed: str, wanted: str, exactly: bool) -> None:
    visit = Visit(browser, f"{server}/municipalities")
    page = visit.page
    page.get_by_placeholder("例：わじま").fill(typed)
    page.wait_for_function(f"document.body.innerText.includes({wanted!r})", timeout=30_000)
    rows = _table_rows(page, "results")
    names = [r[0] for r in rows]
    assert wanted in names
    if exactly:
        assert names == [wanted]
    assert not visit.errors and not visit.foreign
    visit.close()


def test_municipality_map_colours_every_drawable_body_and_lists_the_rest(server: str, browser, warehouse) -> None:
    visit = Visit(browser, f"{server}/map")
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
    visit.close()


@pytest.mark.parametrize("path", ["", *FIGURE_PAGES, "prefectures/07", "municipalities/073644", "municipalities", "map", "data"])
def test_no_page_scrolls_sideways_at_390_px(server: str, browser, path: str) -> None:
    visit = Visit(browser, f"{server}/{path}", width=390)
    visit.page.wait_for_timeout(1500)
    width = visit.page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    assert width <= 390, f"{path}: {width} px wide"
    visit.close()
