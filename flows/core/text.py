"""Fold published labels into the keys the alias tables use."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")
# Footnote markers GSO hangs on labels: "Ô tô nguyên chiếc(*)", "Chỉ số giá sản xuất(**)".
_FOOTNOTE = re.compile(r"\(\*+\)|\*+$")
# Lead-ins that introduce a sub-item rather than name it: "Trong đó: Lương thực".
# "Tđ:" is the 2008 imports table's short form ("Tđ: Nguyên chiếc").
_LEAD_IN = re.compile(r"^(trong đó|gồm|bao gồm|chia ra|trđ|tđ)\s*:?\s*", re.IGNORECASE)
# Numbering GSO puts before a part of a table: "A. Tổng trị giá", "B. Mặt hàng chủ yếu" (2000).
_NUMBERING = re.compile(r"^([a-h]|[ivx]{1,4}|\d{1,2})[.)]\s*(?=[^\W\d_])")
_BULLET = re.compile(r"^[-+•*–]\s*")
# A space typed before punctuation: "Công nghiệp chế biến , chế tạo" (IIP, September 2012).
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[,;:])")


def nfc(text: str) -> str:
    """Unicode NFC with runs of whitespace (line breaks inside names too) folded to one space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


@lru_cache(maxsize=1 << 16)  # a backfill folds the same few thousand labels again and again
def fold(label: str) -> str:
    """The alias key of a row label: NFC, whitespace folded, lower case, lead-ins and
    numbering ("A.", "1.") dropped, no space before a comma, semicolon or colon.

    GSO spells "hoá" and "hóa" interchangeably (two tone placements), so both fold to one.
    """
    text = _SPACE_BEFORE_PUNCTUATION.sub("", nfc(label).lower())
    text = _FOOTNOTE.sub("", text).strip()
    text = _BULLET.sub("", text)
    text = _NUMBERING.sub("", text)
    text = _LEAD_IN.sub("", text)
    for old, new in _TONE_PLACEMENT.items():
        text = text.replace(old, new)
    text = _MISSPELT.sub(lambda m: _MISSPELLINGS[m.group()], text)
    return text.strip(" .:;,")


# Words GSO has misspelt in row labels, as whole words, and what they stand for: "Hoạt độg
# dịch vụ hỗ trợ khai thác mỏ và quặng" (a dropped "n", found on a workbook outside the shared
# set). A word here is no word of its own in any label.
_MISSPELLINGS = {"độg": "động"}
_MISSPELT = re.compile(r"(?<!\w)(" + "|".join(_MISSPELLINGS) + r")(?!\w)")

# Old-style tone marks on the first vowel of oa/oe/uy pairs, mapped to the modern placement.
_TONE_PLACEMENT = {
    "òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ",
    "òe": "oè", "óe": "oé", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ",
    "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ",
}
