"""The site in a real browser (Debian's Chromium through Playwright): charts draw, no console
errors, no request leaves 127.0.0.1. Screenshots go to build/screenshots/."""
from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import REPO

SITE = Path(os.environ.get("JDX_SITE_DIR", REPO / "build" / "site"))
SHOTS = REPO / "build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def server():
    if not (SITE / "index.html").exists():
        pytest.fail(f"no site at {SITE}")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: `make browser-deps` installs Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def _visit(browser, url: str, shot: str) -> tuple[object, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    errors: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: foreign.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1", None) and not r.url.startswith("data:") else None)
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(500)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / shot), full_page=False)
    return page, errors, foreign


@pytest.mark.parametrize(
    ("path", "shot", "needle"),
    [
        ("index.html", "index.png", "再現レポート"),
        ("fig-rates.html", "figure_rates.png", "自治体DXの推進体制"),
        ("fig-deviation.html", "map.png", "総合偏差値"),
        ("municipalities/012335.html", "profile_date_hokkaido.png", "伊達市（北海道）"),
        ("municipalities/072133.html", "profile_date_fukushima.png", "伊達市（福島県）"),
    ],
)
def test_page_draws_without_errors_or_foreign_requests(server: str, browser, path: str, shot: str, needle: str) -> None:
    page, errors, foreign = _visit(browser, f"{server}/{path}", shot)
    assert needle in page.content()
    assert not errors, errors
    assert not foreign, foreign
    if path != "index.html":
        assert page.locator(".js-plotly-plot").count() >= 1
        assert page.locator(".js-plotly-plot .main-svg").count() >= 1
    if path == "fig-deviation.html":
        assert page.locator(".js-plotly-plot canvas").count() >= 1  # the MapLibre map drew
    page.close()


def test_search_finds_both_date_cities_with_their_prefectures(server: str, browser) -> None:
    page, errors, foreign = _visit(browser, f"{server}/municipalities/index.html", "search.png")
    page.fill("#q", "伊達市")
    page.wait_for_timeout(200)
    items = page.locator("#results li").all_inner_texts()
    assert any("伊達市（北海道）" in t for t in items) and any("伊達市（福島県）" in t for t in items)
    assert not errors and not foreign
    page.close()
