"""The raw answer seeds are reproducible from shared/data/raw, and the loaders refuse bad input."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import RAW, REPO
from jdx.loaders import card_issuance, dashboard

needs_raw = pytest.mark.skipif(not RAW.is_dir(), reason="shared/data/raw not beside this clone")


@needs_raw
def test_survey_seeds_reproduce_byte_for_byte(tmp_path: Path) -> None:
    assert dashboard.convert(RAW, REPO, tmp_path) == 15 * 1741
    assert card_issuance.convert(RAW, REPO, tmp_path) == 3 * 1741
    for name, committed in (("raw_da_dx_dashboard__fy2023.csv", REPO / "data" / "answers"),
                            ("raw_mic_mynumber_card__issuance.csv", REPO / "seeds" / "raw")):
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name


MUNIS = [("011002", "札幌市"), ("012025", "函館市"), ("394050", "梼原町")]


def test_column_mapping_accepts_listed_variant_only() -> None:
    header = ["", "", "札幌市", "函館市", "檮原町", ""]
    mapped = dashboard.map_columns(header, MUNIS, {"394050": {"檮原町"}}, "f.csv")
    assert [(c, code) for c, code, _ in mapped] == [(2, "011002"), (3, "012025"), (4, "394050")]
    with pytest.raises(dashboard.DashboardError, match="column 5 is '檮原町'"):
        dashboard.map_columns(header, MUNIS, {}, "f.csv")


def test_column_mapping_detects_shifted_columns() -> None:
    header = ["", "", "函館市", "札幌市", "梼原町"]
    with pytest.raises(dashboard.DashboardError, match="column 3 is '函館市'.*011002"):
        dashboard.map_columns(header, MUNIS, {}, "f.csv")


def test_column_mapping_detects_missing_column() -> None:
    with pytest.raises(dashboard.DashboardError, match="2 municipality columns, the MIC list has 3"):
        dashboard.map_columns(["", "", "札幌市", "函館市"], MUNIS, {}, "f.csv")


def test_card_name_resolution_needs_a_unique_suffix_match() -> None:
    mic = [
        {"municipality_code": "133817", "municipality_name": "三宅村", "prefecture_name": "東京都"},
        {"municipality_code": "293628", "municipality_name": "三宅町", "prefecture_name": "奈良県"},
    ]
    assert card_issuance._by_name("東京都", "三宅島三宅村", mic) == "133817"
    with pytest.raises(card_issuance.MynumberError, match="0 candidates"):
        card_issuance._by_name("東京都", "三宅町", mic)
