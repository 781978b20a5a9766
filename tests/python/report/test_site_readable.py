"""The site as a visitor reads it (issue 23), in Chromium through Playwright, on the site
`make site-test` builds: Japanese chrome and `lang="ja"`, the site's own text mark in the header,
tables readable at 1280 px and not scrolling the page at 390 px, an index that opens on search,
the map and the report's headline findings (equal to the marts), a scorecard summary whose
groups are named and whose differences carry their own unit, and no console error on any page."""
from __future__ import annotations

import re

import pytest
from site_browser import DESKTOP, PHONE, SITE, SitePages

SITE_TITLE = "自治体DXの進捗状況 再現データ"
# Interface strings Evidence 39 writes in English (jdx.report.evidence_site.LOCALIZE translates them).
ENGLISH_CHROME = re.compile(
    r"\b(Home|Loading|No Results|Open sidebar|Close sidebar|Download|Search|Fullscreen|See more|Links|Page|records?"
    r"|first-page|previous-page|next-page|last-page|Print PDF|Show Queries|Appearance|Menu)\b")
READABLE_PAGES = ["municipalities/073644", "municipalities/012335", "municipalities/172049", "prefectures/07",
                  "prefectures/17"]
MIN_CELL_PX = 56

# Every text node and the interface attributes of the page, hidden ones included (a screen reader
# or a search engine reads those too); `inside` says whether the node is in the page's article.
_TEXTS_JS = r"""() => {
    const article = document.getElementById('evidence-main-article');
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
        const el = node.parentElement;
        if (!el || el.closest('script, style, code, pre')) continue;
        const text = node.textContent.trim();
        if (text) out.push([text, !!(article && article.contains(node))]);
    }
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], [alt]'))
        for (const a of ['aria-label', 'placeholder', 'title', 'alt'])
            if (el.getAttribute(a)) out.push([el.getAttribute(a), !!(article && article.contains(el))]);
    return out;
}"""


def test_every_built_page_says_lang_ja_and_no_english_placeholder() -> None:
    """The prerendered HTML (what a reader without JavaScript or a search engine gets)."""
    pages = [p for p in SITE.rglob("index.html") if "dbt" not in p.relative_to(SITE).parts]
    assert len(pages) > 40
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert html.lstrip().startswith("<!doctype html>\n<html lang=\"ja\">") or '<html lang="ja">' in html[:200], path
        for english in (">Home<", ">Loading...<", ">No Results<", ">Open sidebar<", ">See more<", "first-page"):
            assert english not in html, (path, english)


@pytest.mark.parametrize("path", ["", "municipalities", "municipalities/073644", "prefectures/07", "figures",
                                  "figures/towns-villages", "map", "data"])
@pytest.mark.visits()
def test_the_chrome_is_japanese_with_the_sites_own_mark(pages: SitePages, path: str) -> None:
    page = pages.get(path).page
    assert page.evaluate("document.documentElement.lang") == "ja"
    header = page.locator("header").first
    assert SITE_TITLE in header.inner_text()
    assert header.locator("img").count() == 0  # no Evidence logo
    texts = page.evaluate(_TEXTS_JS)
    outside = [t for t, inside in texts if not inside and re.search(r"[A-Za-z]{3,}", t)]
    assert not outside, outside  # header, sidebar, breadcrumbs, contents: no English at all
    english = [t for t, _ in texts if ENGLISH_CHROME.search(t)]
    assert not english, english
    if path:  # the breadcrumbs start at the site's top page, in Japanese
        assert page.locator('main a[href="/"]').first.inner_text().strip() == "トップ"
    sidebar_home = page.locator('a[href="/"]').all_inner_texts()
    assert "トップ" in [t.strip() for t in sidebar_home], sidebar_home


@pytest.mark.visits("municipalities")
def test_table_buttons_and_search_box_are_japanese(pages: SitePages) -> None:
    page = pages.get("municipalities").page  # hovering a table leaves the page as it was
    assert page.get_by_placeholder("検索").count() >= 1
    page.locator("#evidence-main-article table").last.hover()
    download = page.locator("button[aria-label=ダウンロード]")
    download.first.wait_for(timeout=10_000)
    assert "ダウンロード" in download.first.inner_text()


@pytest.mark.parametrize("path", READABLE_PAGES)
@pytest.mark.visits(width=DESKTOP)
def test_tables_are_readable_at_1280_px(pages: SitePages, path: str) -> None:
    assert DESKTOP == 1280
    page = pages.get(path, width=DESKTOP).page  # settled: its tables drawn
    found = page.evaluate(
        """() => [...document.querySelectorAll('#evidence-main-article table')]
            .filter(t => !t.closest('dialog') && t.getBoundingClientRect().width > 0 && t.querySelector('td'))
            .map(t => {
                const box = t.closest('.scrollbox') || t.parentElement;
                const heads = [...t.querySelectorAll('th')].filter(th => th.innerText.trim()).map(th => th.innerText.trim());
                const cells = [...t.querySelectorAll('td, th')].filter(c => c.innerText.trim())
                    .map(c => [c.innerText.trim(), c.getBoundingClientRect().width]);
                const firstCol = [...t.querySelectorAll('tbody tr')].map(tr => {
                    const td = tr.querySelector('td'); if (!td) return 0;
                    const range = document.createRange(); range.selectNodeContents(td);
                    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
                });
                return {width: t.scrollWidth, box: box.clientWidth, heads, cells, lines: Math.max(0, ...firstCol)};
            })""")
    assert found, path
    for table in found:
        assert table["width"] <= table["box"] + 1, (path, table["heads"], table["width"], table["box"])
        narrow = [(text, round(w)) for text, w in table["cells"] if w < MIN_CELL_PX]
        assert not narrow, (path, table["heads"], narrow[:10])
    if path.startswith("municipalities/"):
        items = [t for t in found if "分野" in t["heads"] and "値" in t["heads"]]
        assert len(items) == 1 and items[0]["heads"][0] == "項目", [t["heads"] for t in found]
        assert items[0]["lines"] <= 2, (path, items[0]["lines"])  # 項目 reads on one or two lines
    else:
        for table in found:
            assert table["heads"][0] == "団体" and table["lines"] <= 2, (path, table["heads"], table["lines"])


@pytest.mark.parametrize("path", ["", "municipalities/012335", "municipalities/172049", "prefectures/17"])
@pytest.mark.visits(width=PHONE)
def test_no_page_scrolls_sideways_at_390_px_and_tables_scroll_in_their_box(pages: SitePages, path: str) -> None:
    page = pages.get(path, width=PHONE).page  # settled: its tables drawn
    assert page.evaluate("[...document.querySelectorAll('#evidence-main-article table')].some(t => t.querySelector('td'))")
    width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    assert width <= PHONE, f"{path}: {width} px wide"


def _fmt(value: float, digits: int) -> str:
    return f"{value:,.{digits}f}"


@pytest.mark.visits("")
def test_index_opens_on_search_map_and_findings_equal_to_the_marts(pages: SitePages, warehouse) -> None:
    page = pages.get("").page
    page.wait_for_function("document.querySelector('#index-map svg') && +document.querySelector('#index-map svg').dataset.areas > 0",
                           timeout=60_000)
    order = page.evaluate(
        """() => ['search', 'index-map', 'findings', 'scorecard'].map(id => {
            const el = id === 'search' ? document.querySelector('input[placeholder="例：わじま"]') : document.getElementById(id);
            return el ? el.getBoundingClientRect().top + window.scrollY : null; })""")
    assert None not in order and order == sorted(order), order
    n_bodies = warehouse.execute("select count(*) from dim_municipalities").fetchone()[0]
    assert int(page.locator("#index-map svg").get_attribute("data-areas")) == n_bodies - 8

    year = warehouse.execute("select max(fiscal_year) from rpt_fig02_06_10_item_rates_national").fetchone()[0]
    cio = warehouse.execute(
        """select item_name_ja, rate_pct, input_basis_ja from rpt_fig02_06_10_item_rates_national
           where item_code = 'cio_appointed' and fiscal_year = ?""", [year]).fetchone()
    all_items = warehouse.execute(
        """select all_items_achieved, input_basis_ja from rpt_fig04_08_12_achievement_tallies
           where fiscal_year = ? and domain = 'total_23_items' and size_class = 'all'""", [year]).fetchone()
    top = warehouse.execute(
        """select prefecture_name, deviation_score, input_basis_ja from rpt_fig17_23_prefecture_deviation
           where fiscal_year = ? and domain = 'overall_excl_mynumber' and rank_in_year = 1""", [year]).fetchone()
    card = warehouse.execute(
        """select pearson_r, overall_basis_ja, card_basis_ja from rpt_fig19_mynumber_card_correlations
           where fiscal_year = ? and level = 'prefecture'""", [year]).fetchone()
    rows = page.evaluate(
        """() => { const h = document.getElementById('findings');
            const t = [...document.querySelectorAll('table')].find(t => h.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING && !t.closest('dialog'));
            return [...t.querySelectorAll('tr')].filter(tr => tr.querySelector('td')).map(tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim())); }""")
    assert len(rows) == 4
    assert all(r[0] == f"{year}年度" for r in rows)
    assert cio[0] in rows[0][1] and rows[0][2] == _fmt(cio[1], 1) + "%" and rows[0][3] == cio[2]
    assert rows[1][2] == f"{all_items[0]:,}団体" and rows[1][3] == all_items[1]
    assert rows[2][1].endswith("：" + top[0]) and rows[2][2] == _fmt(top[1], 1) and rows[2][3] == top[2]
    assert rows[3][2] == _fmt(card[0], 2) and card[1] in rows[3][3] and card[2] in rows[3][3]
    for row in rows:  # each finding says whether it rests on official or sample data
        assert "公式" in row[3] or "サンプル" in row[3], row


@pytest.mark.visits("")
def test_index_scorecard_summary_names_every_group_and_gives_each_difference_its_unit(pages: SitePages,
                                                                                          warehouse) -> None:
    page = pages.get("").page  # settled: its tables drawn
    rows = page.evaluate(
        """() => { const h = document.getElementById('scorecard');
            const t = [...document.querySelectorAll('table')].find(t => h.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING && !t.closest('dialog'));
            return [...t.querySelectorAll('tr')].filter(tr => tr.querySelector('td')).map(tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim())); }""")
    body = page.inner_text("body")
    assert "（未分類）" not in body
    expected = warehouse.execute(
        """select group_ja, input_basis_ja, n_published, n_within_tolerance, max_abs_diff, coalesce(unit_ja, '')
           from rpt_scorecard_summary order by row_kind_order, group_ja, input_basis""").fetchall()
    assert len(rows) == len(expected)
    # every published value of the scorecard is counted once, in a named group
    assert sum(int(r[2].replace(",", "")) for r in rows) == warehouse.execute(
        "select count(*) from rpt_reproduction_scorecard").fetchone()[0]
    for row, (group, basis, n, n_ok, max_diff, unit) in zip(rows, expected, strict=True):
        assert row[0] == group and group.strip() and row[1] == basis
        assert row[2] == f"{n:,}" and row[3] == f"{n_ok:,}"
        if max_diff is None:
            assert row[4] in ("-", ""), row
        else:
            assert row[4] == _fmt(max_diff, 2) + unit, row
    # the persons row (size-class population bounds) in persons, the tallies in bodies: read from
    # the scorecard itself, not from the summary mart
    persons = warehouse.execute(
        """select max(abs(diff)) from rpt_reproduction_scorecard
           where row_kind = 'text_claim' and measure like 'size_class_%_population'""").fetchone()[0]
    assert any(r[4] == _fmt(persons, 2) + "人" for r in rows), rows
    tallies = warehouse.execute(
        "select measure_ja, max(abs(diff)) from rpt_reproduction_scorecard where measure = 'all_items_achieved' group by 1"
    ).fetchone()
    assert any(r[0] == tallies[0] and r[4] == _fmt(tallies[1], 2) + "団体" for r in rows), rows


def test_index_search_finds_a_body(pages: SitePages) -> None:
    visit = pages.fresh("")  # typing changes the page: a page of its own
    page = visit.page
    page.get_by_placeholder("例：わじま").fill("わじま")
    page.wait_for_function("document.body.innerText.includes('輪島市（石川県）')", timeout=30_000)
    assert page.locator("#results").count() == 1
    assert not visit.errors
    visit.close()


def _untemplated_pages() -> list[str]:
    pages = []
    for path in sorted(SITE.rglob("index.html")):
        parts = path.relative_to(SITE).parts[:-1]
        if parts and parts[0] in ("dbt", "api", "_app", "data"):
            if parts[0] != "data" or len(parts) > 1:
                continue
        if len(parts) == 2 and parts[0] in ("municipalities", "prefectures"):
            continue  # templated: sampled below
        pages.append("/".join(parts))
    return pages


def test_every_untemplated_page_is_found() -> None:
    pages = _untemplated_pages()
    for wanted in ("", "figures", "figures/rates", "map", "data", "municipalities", "prefectures"):
        assert wanted in pages, pages


@pytest.mark.parametrize("path", [*_untemplated_pages(), "municipalities/011002", "municipalities/073644",
                                  "municipalities/472140", "prefectures/01", "prefectures/47"])
@pytest.mark.visits()
def test_no_console_error_or_failed_request(pages: SitePages, path: str) -> None:
    visit = pages.get(path)  # settled: no request for 500 ms, then what it draws, then 1 s
    assert not visit.errors, (path, visit.errors)
    assert not visit.failed, (path, visit.failed)
