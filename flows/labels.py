"""Fold published labels into the keys the alias tables use."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
# Footnote markers GSO hangs on labels: "Ô tô nguyên chiếc(*)", "Chỉ số giá sản xuất(**)".
_FOOTNOTE = re.compile(r"\(\*+\)|\*+$")
# Lead-ins that introduce a sub-item rather than name it: "Trong đó: Lương thực".
_LEAD_IN = re.compile(r"^(trong đó|gồm|bao gồm|chia ra|trđ)\s*:?\s*", re.IGNORECASE)
_BULLET = re.compile(r"^[-+•*–]\s*")


def nfc(text: str) -> str:
    """Unicode NFC with runs of whitespace (line breaks inside names too) folded to one space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(label: str) -> str:
    """The alias key of a row label: NFC, whitespace folded, lower case, lead-ins dropped.

    GSO spells "hoá" and "hóa" interchangeably (two tone placements), so both fold to one.
    """
    text = nfc(label).lower()
    text = _FOOTNOTE.sub("", text).strip()
    text = _BULLET.sub("", text)
    text = _LEAD_IN.sub("", text)
    for old, new in _TONE_PLACEMENT.items():
        text = text.replace(old, new)
    return text.strip(" .:;,")


# Old-style tone marks on the first vowel of oa/oe/uy pairs, mapped to the modern placement.
_TONE_PLACEMENT = {
    "òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ",
    "òe": "oè", "óe": "oé", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ",
    "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ",
}
