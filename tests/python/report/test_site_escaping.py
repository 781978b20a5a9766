"""Names from files never reach the site's HTML unescaped. The site is Evidence (Svelte): text
interpolated with `{value}` is escaped by Svelte, and DataTable/charts render values as text. What
could bypass that is raw-HTML insertion in our own pages and components; none may use it. (The
hand-written Jinja site that #11 hardened was retired in #16.)"""
from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO

RAW_HTML = re.compile(r"\{@html|innerHTML|outerHTML|insertAdjacentHTML|document\.write|\.html\(")


def _site_sources() -> list[Path]:
    roots = [REPO / "reports" / "pages", REPO / "reports" / "components"]
    return sorted(p for root in roots for p in root.rglob("*") if p.suffix in {".md", ".svelte", ".js", ".ts"})


def test_the_site_has_pages_and_components_to_check() -> None:
    names = {p.name for p in _site_sources()}
    assert "index.md" in names and any(n.endswith(".svelte") for n in names)


def test_no_page_or_component_inserts_raw_html() -> None:
    offenders = [
        f"{p.relative_to(REPO)}:{i}: {line.strip()}"
        for p in _site_sources()
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if RAW_HTML.search(line)
    ]
    assert offenders == [], "raw HTML insertion would let a name from a file reach the page unescaped"


def test_the_rule_catches_raw_html() -> None:
    for line in ("{@html row.name}", "el.innerHTML = name", "sel.html(name)"):
        assert RAW_HTML.search(line)
    assert not RAW_HTML.search("{row.municipality_name}")
