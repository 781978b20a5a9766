"""Names from files never reach the hand-written site's HTML or <script> unescaped: a copy of the
scratch warehouse gets hostile municipality names, the site is written from it, and the pages
carry the names only as escaped text."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import REPO
from jdx.report.site import build, script_json

HOSTILE = "</script><img src=x onerror=alert(1)>"
HOSTILE_KANA = "<!--\u2028&amp;\"'"


def test_script_json_cannot_close_the_script_element() -> None:
    value = [{"n": HOSTILE, "k": HOSTILE_KANA}]
    text = script_json(value)
    assert json.loads(text) == value
    for char in ("<", ">", "&", "\u2028"):
        assert char not in text


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = Path(os.environ.get("JDX_DUCKDB_PATH", REPO / "warehouse" / "jichitai_dx.duckdb"))
    if not source.exists():
        pytest.fail(f"no warehouse at {source}: run `make dbt-test` first")
    tmp = tmp_path_factory.mktemp("hostile")
    db = tmp / "jichitai_dx.duckdb"
    shutil.copy(source, db)
    con = duckdb.connect(str(db))
    con.execute("update main.dim_municipalities set municipality_name = ?, municipality_kana = ?, municipality_label = ? "
                "where municipality_code = '011002'", [HOSTILE, HOSTILE_KANA, HOSTILE + "（北海道）"])
    con.close()
    out = tmp / "site"
    build(db, out, tmp / "no-dbt-docs.html")
    return out


def test_search_page_carries_names_only_as_escaped_json(hostile_site: Path) -> None:
    page = (hostile_site / "municipalities" / "index.html").read_text(encoding="utf-8")
    assert HOSTILE not in page and "<img" not in page
    assert "\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e" in page
    assert page.count("</script>") == page.count("<script")  # only the page's own script elements close
    assert "innerHTML" not in page and "textContent" in page


def test_municipality_page_escapes_the_name(hostile_site: Path) -> None:
    page = (hostile_site / "municipalities" / "011002.html").read_text(encoding="utf-8")
    assert HOSTILE not in page and "<img" not in page
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
