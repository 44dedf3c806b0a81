"""Fold published labels into the keys the alias tables use."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
    # str.split() splits where the pattern \s+ would match (str.isspace) and drops the ends:
    # the same text as re.sub(r"\s+", " ", ...).strip() in a fifth of the time.
    return " ".join(unicodedata.normalize("NFC", text).split())


@lru_cache(maxsize=1 << 16)  # a backfill folds the same few thousand labels again and again
def fold(label: str) -> str:
    """The alias key of a row label: NFC, whitespace folded, lower case, lead-ins and
    numbering ("A.", "1.") dropped, no space before a comma, semicolon or colon.

    GSO spells "hoá" and "hóa" interchangeably (two tone placements), so both fold to one.
    """
    # Each step is skipped where it cannot apply, without a pattern scanning the text: a
    # backfill folds 12,000 labels and headers it has not seen before, 6.5 us each in full.
    text = nfc(label).lower()
    if "," in text or ";" in text or ":" in text:
        text = _SPACE_BEFORE_PUNCTUATION.sub("", text)
    if "*" in text:
        text = _FOOTNOTE.sub("", text)
    text = _cut(_LEAD_IN, _cut(_NUMBERING, _cut(_BULLET, text.strip())))
    text = _TONED.sub(_modern_tone, text)
    for word in _MISSPELLINGS:
        if word in text:
            text = _MISSPELT.sub(lambda m: _MISSPELLINGS[m.group()], text)
            break
    return text.strip(" .:;,")


def _cut(opening: re.Pattern[str], text: str) -> str:
    """`text` without what `opening` (anchored at the start) matches there."""
    found = opening.match(text)
    return text[found.end():] if found else text


def _modern_tone(found: re.Match[str]) -> str:
    return _TONE_PLACEMENT[found.group()]


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
# One pass for all of them: a replacement ("oà") holds no pair, so none makes another.
_TONED = re.compile("|".join(_TONE_PLACEMENT))


def has_diacritics(text: str) -> bool:
    """Whether `text` holds a letter beyond ASCII: the reference files' labels come in both
    languages in one column, and only the Vietnamese ones carry such letters."""
    return any(ord(c) > 127 for c in text)
