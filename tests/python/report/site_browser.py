"""What the browser tests of the site share (test_site_browser.py, test_site_readable.py): a static
host as Evidence expects one, Debian's Chromium through Playwright, and the pages a module visits.

One visit per page and width for the whole test session: `SitePages.get(path)` loads a page once,
waits until it has settled (no request for 500 ms, its charts, maps and tables drawn, then 1 s for
late scripts) and hands the same open page to every read-only check, of either module, that asks for it, with the console errors,
page errors, requests off 127.0.0.1 and failed responses it collected since it began to load. The
host serves the content-hashed files under /_app/immutable/ as immutable, as a production host
would, and Chromium runs with a profile on disk (a persistent context in a temporary folder), whose
HTTP cache keeps the 18-22 MB DuckDB-Wasm module and the 7 MB of scripts between pages, as a visitor's
browser does: the in-memory cache of an incognito context is too small for the module, and every page
downloaded it again (~1 s of CPU a page, measured in docs/benchmarking.md). Each page gets its width
before it loads, in one of OPEN_PAGES tabs: a new page loads in the tab of the page read least
recently (a new document in the same renderer process, instead of a new tab and process). At 390 px
(FOLLOWED_WIDTHS) the pages are read as a visitor on a phone reads the site: the first page opens at
that width, and each next page is reached from the page before by a link of the site, in the same tab
(SvelteKit's client-side navigation: the page's scripts and DuckDB-Wasm are not started again, a
quarter of a full load's CPU, measured in docs/benchmarking.md). Checks that
type or click get a tab of their own (`SitePages.fresh`). The fixtures
(`server`, `browser`, `pages`) are session-scoped in tests/python/conftest.py, and every check that
takes `pages` runs on one pytest-xdist worker (its `xdist_group`), so both modules share one browser
and one set of settled pages."""
from __future__ import annotations

import functools
import http.server
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import REPO

SITE = Path(os.environ.get("JDX_SITE_DIR", REPO / "build" / "site"))
SHOTS = REPO / "build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
DESKTOP = 1280
PHONE = 390
HEIGHT = 1000
CACHE_BYTES = 512 * 1024 * 1024  # Chromium keeps no cache entry over 1/8 of the cache: room for the 22 MB Wasm module
OPEN_PAGES = 2  # settled pages kept open at once, each in a tab of its own (the least recently read one's tab loads the next; ~400 MB each)
FOLLOWED_WIDTHS = (PHONE,)  # widths whose pages are reached by following a link from the page before (SitePages.get)

# what a settled page has drawn, by path: charts (ECharts), maps (svg with data-areas), tables
_CHARTS = "document.querySelectorAll('[_echarts_instance_] canvas, [_echarts_instance_] svg').length >= 1"
_MAP = "document.querySelector('svg[data-areas]') && +document.querySelector('svg[data-areas]').dataset.areas > 0"
_TABLE = "[...document.querySelectorAll('#evidence-main-article table')].some(t => t.querySelector('td'))"


def settled_when(path: str) -> list[str]:
    """The conditions a page at this path meets once drawn (each a JavaScript expression)."""
    wanted = []
    if path.startswith(("figures/", "municipalities/")) and path != "figures/deviation":
        wanted.append(_CHARTS)
    if path.startswith("prefectures/") or path in ("", "map", "figures/deviation"):
        wanted.append(_MAP)
    if path.startswith(("municipalities/", "prefectures/")) or path in ("", "municipalities", "prefectures"):
        wanted.append(_TABLE)
    return wanted


class _Handler(http.server.SimpleHTTPRequestHandler):
    """A static host as Evidence expects one: /a/b serves a/b.html or a/b/index.html."""

    def translate_path(self, path: str) -> str:
        local = Path(super().translate_path(path))
        if local.is_dir() and (local / "index.html").exists():
            return str(local / "index.html")
        if not local.exists() and local.with_name(local.name + ".html").exists():
            return str(local.with_name(local.name + ".html"))
        return str(local)

    def send_response(self, code: int, message: str | None = None) -> None:
        super().send_response(code, message)
        if code == 200 and self.path.startswith("/_app/immutable/"):  # names carry their content's hash
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")

    def log_message(self, *args: object) -> None:
        pass


def serve_site() -> Iterator[str]:
    """A local static host of the site (SITE) for as long as the generator is open: its base URL."""
    if not (SITE / "index.html").exists():
        pytest.fail(f"no site at {SITE}: run `make site-test` (make test builds it)")
    handler = functools.partial(_Handler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def launch_chromium() -> Iterator[object]:
    """Debian's Chromium through Playwright with a throw-away profile on disk, for as long as the
    generator is open: its one browser context (Playwright's persistent context), whose disk cache the
    pages share. The cache is given room for the largest immutable file (Chromium keeps no entry over an
    eighth of the cache)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: `make browser-deps` installs Debian's chromium")
    with tempfile.TemporaryDirectory(prefix="jdx-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", f"--disk-cache-size={CACHE_BYTES}"],
            viewport={"width": DESKTOP, "height": HEIGHT}, accept_downloads=True)
        yield context
        context.close()


class Visit:
    """One page of the site in a browser tab, loaded at this width, with what went wrong while it loaded
    (collected from the moment it began to load until `detach`)."""

    def __init__(self, tab, url: str, width: int = DESKTOP, wait_until: str = "networkidle", follow: bool = False) -> None:
        """Load the page at `url` in `tab` at this width; with `follow`, reach it instead from the page the tab
        shows by a link of the site (the tab keeps its width)."""
        self.page = tab
        self.path = urlparse(url).path.strip("/")
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.failed: list[str] = []
        self._listeners = {
            "console": lambda m: self.errors.append(m.text) if m.type == "error" else None,
            "pageerror": lambda e: self.errors.append(str(e)),
            "request": self._request,
            "response": lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        }
        for event, listener in self._listeners.items():
            self.page.on(event, listener)
        if follow:
            self._follow(url)
        else:
            self.page.set_viewport_size({"width": width, "height": HEIGHT})  # before it loads: as if opened at this width
            self.page.goto(url, wait_until=wait_until, timeout=90_000)

    def _follow(self, url: str) -> None:
        """Click a link to `url` on the page the tab shows, as a link of the site's sidebar or tables would be
        clicked (SvelteKit handles it: a client-side navigation), and wait until the tab shows that page."""
        target = urlparse(url).path
        self.page.evaluate(
            """(href) => { const a = document.createElement('a'); a.href = href; document.body.appendChild(a);
                           a.click(); a.remove(); }""", target)
        self.page.wait_for_url(lambda shown: urlparse(shown).path.strip("/") == self.path, timeout=90_000)

    def _request(self, request) -> None:
        host = urlparse(request.url).hostname
        if host not in ("127.0.0.1", None) and not request.url.startswith(("data:", "blob:")):
            self.foreign.append(request.url)

    def settle(self) -> Visit:
        for condition in settled_when(self.path):
            self.page.wait_for_function(condition, timeout=60_000)
        self.page.wait_for_timeout(1000)
        return self

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / name), full_page=False)

    def detach(self):
        """Stop collecting and hand back the tab, for the next page to load in (a new document in the same
        renderer process: a quarter less CPU a page than a new tab, measured in docs/benchmarking.md)."""
        for event, listener in self._listeners.items():
            self.page.remove_listener(event, listener)
        return self.page

    def close(self) -> None:
        self.page.close()


class SitePages:
    """The pages the browser checks visit: in the browser's one context (sharing its disk cache), one
    settled visit per page and width, reused by every check that only reads it; OPEN_PAGES tabs, each
    loading the next page once the page it holds is the one read least recently."""

    def __init__(self, context, server: str) -> None:
        self.context = context
        self.server = server
        self.open: OrderedDict[tuple[str, int], Visit] = OrderedDict()
        self.followed: dict[int, Visit] = {}  # by width in FOLLOWED_WIDTHS: the tab that moves by links, at its page

    def get(self, path: str, width: int = DESKTOP) -> Visit:
        """The settled page at this path and width, loaded on first use; at a width of FOLLOWED_WIDTHS, the first
        page is loaded and every other reached from the page before by a link (one tab for the width)."""
        if width in FOLLOWED_WIDTHS:
            current = self.followed.get(width)
            if current is None or current.path != path.strip("/"):
                url = f"{self.server}/{path}"
                current = (Visit(self.context.new_page(), url, width) if current is None
                           else Visit(current.detach(), url, width, follow=True)).settle()
                self.followed[width] = current
            return current
        key = (path, width)
        if key in self.open:
            self.open.move_to_end(key)
            return self.open[key]
        # the tab of the page read least recently, once OPEN_PAGES are open, else a new tab
        tab = self.open.popitem(last=False)[1].detach() if len(self.open) >= OPEN_PAGES else self.context.new_page()
        visit = Visit(tab, f"{self.server}/{path}", width).settle()
        self.open[key] = visit
        return visit

    def fresh(self, path: str, width: int = DESKTOP) -> Visit:
        """A page of its own, for a check that types or clicks (the caller closes it)."""
        return Visit(self.context.new_page(), f"{self.server}/{path}", width)

    def close(self) -> None:
        for visit in [*self.open.values(), *self.followed.values()]:
            visit.close()
        self.open.clear()
        self.followed.clear()


def page_key(item: pytest.Item) -> tuple[str, int] | None:
    """The page and width a browser check reads: `@pytest.mark.visits(path, width=...)`, the path
    from the marker or from the check's `path` parameter."""
    marker = item.get_closest_marker("visits")
    if marker is None:
        return None
    params = getattr(getattr(item, "callspec", None), "params", {})
    path = marker.args[0] if marker.args else params.get("path")
    return None if path is None else (str(path), int(marker.kwargs.get("width", DESKTOP)))


def order_by_page(items: list[pytest.Item]) -> None:
    """The checks that read the same page and width run one after the other (where the first of them
    stood), whichever module they are in, so that each page is loaded once and few stay open."""
    groups: dict[tuple[str, int], list[pytest.Item]] = {}
    for item in items:
        key = page_key(item)
        if key is not None:
            groups.setdefault(key, []).append(item)
    ordered: list[pytest.Item] = []
    for item in items:
        key = page_key(item)
        if key is None:
            ordered.append(item)
            continue
        group = groups.pop(key, None)
        if group:
            ordered.extend(group)
    items[:] = ordered


def table_rows(page, heading_id: str) -> list[list[str]]:
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
