"""The site benchmark's Evidence floor: the same pages as reports/, each one one-row query, and the
templated pages linked for the same bodies and prefectures (the build itself runs in `make bench`)."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb

from conftest import REPO, WAREHOUSE_PATH
from jdx.bench import site_bench


def test_floor_has_every_page_with_one_query_and_links_every_body(tmp_path: Path) -> None:
    db = WAREHOUSE_PATH
    floor = site_bench.floor_reports(REPO / "reports", db, tmp_path / "floor")
    real = sorted(p.relative_to(REPO / "reports/pages").as_posix() for p in (REPO / "reports/pages").rglob("*.md"))
    reduced = sorted(p.relative_to(floor / "pages").as_posix() for p in (floor / "pages").rglob("*.md"))
    assert reduced == real
    for page in (floor / "pages").rglob("*.md"):
        assert len(re.findall(r"^```sql ", page.read_text(encoding="utf-8"), flags=re.M)) == 1, page
    assert [p.name for p in (floor / "sources/warehouse").glob("*.sql")] == ["floor_rows.sql"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        bodies = {r[0] for r in con.execute("select municipality_code from dim_municipalities").fetchall()}
        prefectures = {r[0] for r in con.execute("select prefecture_code from dim_prefectures").fetchall()}
    finally:
        con.close()
    linked = set(re.findall(r'href="/municipalities/(\w+)"', (floor / "pages/municipalities/index.md").read_text(encoding="utf-8")))
    assert linked == bodies and len(bodies) == 1741
    linked = set(re.findall(r'href="/prefectures/(\w+)"', (floor / "pages/prefectures/index.md").read_text(encoding="utf-8")))
    assert linked == prefectures and len(prefectures) == 47
