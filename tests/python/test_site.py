"""The static site: every page there, nothing fetched from elsewhere, sample data labelled."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import REPO

SITE = Path(os.environ.get("JDX_SITE_DIR", REPO / "build" / "site"))
FIGURE_PAGES = ["fig-rates.html", "fig-tallies.html", "fig-prefecture-ranges.html", "fig-deviation.html",
                "fig-towns-villages.html", "fig-mynumber.html"]


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail(f"no site at {SITE}: run `make test` (it builds one) or `make report`")
    return SITE


def test_every_page_is_there(site: Path, warehouse) -> None:
    for page in FIGURE_PAGES + ["index.html", "data.html", "municipalities/index.html"]:
        assert (site / page).exists(), page
    n_bodies = warehouse.sql("select count(*) from dim_municipalities").fetchone()[0]
    assert len(list((site / "municipalities").glob("[0-9]*.html"))) == n_bodies


def test_no_page_loads_anything_from_another_host(site: Path) -> None:
    external = re.compile(r"""(src|href)\s*=\s*["']\s*(https?:)?//""", re.IGNORECASE)
    for path in [*site.glob("*.html"), *list((site / "municipalities").glob("*.html"))[:50]]:
        text = path.read_text(encoding="utf-8")
        assert not external.search(text), f"{path.name} references another host"
    assert (site / "assets" / "plotly.min.js").stat().st_size > 1_000_000


def test_every_figure_page_says_what_rests_on_sample_data(site: Path) -> None:
    for page in FIGURE_PAGES:
        text = (site / page).read_text(encoding="utf-8")
        assert "サンプルデータ" in text, page
        assert "SQLモデル" in text and "rpt_" in text, page


def test_profile_pages_tell_same_names_apart(site: Path) -> None:
    hokkaido = (site / "municipalities" / "012335.html").read_text(encoding="utf-8")
    fukushima = (site / "municipalities" / "072133.html").read_text(encoding="utf-8")
    assert "伊達市（北海道）" in hokkaido and "伊達市（福島県）" in fukushima
