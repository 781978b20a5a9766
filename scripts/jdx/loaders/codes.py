"""Local government codes (全国地方公共団体コード): check digit and normalisation."""
from __future__ import annotations

import unicodedata

_WEIGHTS = (6, 5, 4, 3, 2)


class CodeError(ValueError):
    """A value that cannot be a municipality code."""


def check_digit(code5: str) -> int:
    """MIC check digit for a 5-digit code: weights 6,5,4,3,2; cd = (11 - sum mod 11) mod 10."""
    if len(code5) != 5 or not code5.isdigit():
        raise CodeError(f"not a 5-digit code: {code5!r}")
    total = sum(int(d) * w for d, w in zip(code5, _WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def is_valid_code6(code: str) -> bool:
    return len(code) == 6 and code.isdigit() and check_digit(code[:5]) == int(code[5])


def normalise_code6(raw: str) -> str:
    """Turn '11002', '011002' or full-width digits into a checked 6-digit code; raise CodeError otherwise."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text.isdigit():
        raise CodeError(f"not a numeric code: {raw!r}")
    if len(text) == 5 and not is_valid_code6(text.zfill(6)):
        # 5 digits could also be a code written without its check digit: refuse to guess.
        raise CodeError(f"5-digit value {raw!r} is neither a zero-stripped 6-digit code nor checkable")
    code = text.zfill(6)
    if not is_valid_code6(code):
        raise CodeError(f"check digit fails for {raw!r} (normalised {code})")
    return code
