"""The reference seeds are reproducible from the raw files, and the loader refuses bad input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import RAW, REFERENCE, REPO
from jdx.loaders import published_figures, reference

needs_raw = pytest.mark.skipif(not RAW.is_dir(), reason="shared/data/raw not beside this clone")


@needs_raw
def test_reference_seeds_reproduce_byte_for_byte(tmp_path: Path) -> None:
    counts = reference.convert_all(RAW, tmp_path)
    assert counts["ref_mic_municipalities"] == 1741
    for name in counts:
        fresh = (tmp_path / f"{name}.csv").read_bytes()
        committed = (REPO / "seeds" / "reference" / f"{name}.csv").read_bytes()
        assert fresh == committed, f"{name}.csv differs from what `make seeds-reference` writes"


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="shared/reference not beside this clone")
def test_published_seeds_reproduce_byte_for_byte(tmp_path: Path) -> None:
    counts = published_figures.copy_published(REFERENCE, tmp_path)
    for name in counts:
        assert (tmp_path / name).read_bytes() == (REPO / "seeds" / "published" / name).read_bytes()


def _fake_raw(tmp_path: Path, items: list[dict]) -> Path:
    raw = tmp_path / "raw"
    (raw / "jichitai_code_mic").mkdir(parents=True)
    (raw / "jichitai_code_mic" / "index.json").write_text(json.dumps({"items": items}), encoding="utf-8")
    return raw


def test_municipalities_drop_non_municipal_rows_and_keep_leading_zero(tmp_path: Path) -> None:
    items = [
        {"c": "010006", "s": "01000", "n": "北海道", "k": "ﾎｯｶｲﾄﾞｳ", "p": "北海道", "t": "prefecture", "u": False},
        {"c": "011002", "s": "01100", "n": "札幌市", "k": "ｻｯﾎﾟﾛｼ", "p": "北海道", "t": "designated_city", "u": False},
        {"c": "016969", "s": "01696", "n": "泊村", "k": "ﾄﾏﾘﾑﾗ", "p": "北海道", "t": "village", "u": True},
    ]
    raw = _fake_raw(tmp_path, items)
    assert reference.convert_municipalities(raw, tmp_path / "out") == 1
    text = (tmp_path / "out" / "ref_mic_municipalities.csv").read_text(encoding="utf-8")
    assert "011002,01100,札幌市,サッポロシ,01,北海道,designated_city" in text
    assert "泊村" not in text


def test_municipalities_bad_check_digit_fails_with_code(tmp_path: Path) -> None:
    items = [{"c": "011003", "s": "01100", "n": "札幌市", "k": "ｻｯﾎﾟﾛｼ", "p": "北海道", "t": "city", "u": False}]
    raw = _fake_raw(tmp_path, items)
    with pytest.raises(reference.ReferenceError, match="011003"):
        reference.convert_municipalities(raw, tmp_path / "out")
