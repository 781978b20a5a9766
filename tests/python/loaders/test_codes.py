from __future__ import annotations

import pytest

from jdx.loaders.codes import CodeError, check_digit, is_valid_code6, normalise_code6


@pytest.mark.parametrize(
    ("code5", "expected"),
    [("01100", 2), ("13101", 6), ("47382", 1), ("39405", 0), ("07213", 3)],
)
def test_check_digit_known_codes(code5: str, expected: int) -> None:
    # 011002 札幌市, 131016 千代田区, 473821 与那国町, 394050 梼原町, 072133 伊達市 (福島県)
    assert check_digit(code5) == expected


def test_normalise_restores_leading_zero_and_checks() -> None:
    assert normalise_code6("11002") == "011002"
    assert normalise_code6("０１１００２") == "011002"  # full-width digits
    assert normalise_code6(" 473821 ") == "473821"


@pytest.mark.parametrize("bad", ["011003", "01100", "abc", "", "1100"])
def test_normalise_rejects(bad: str) -> None:
    with pytest.raises(CodeError):
        normalise_code6(bad)


def test_is_valid_code6_rejects_wrong_length() -> None:
    assert not is_valid_code6("11002")
    assert is_valid_code6("011002")
