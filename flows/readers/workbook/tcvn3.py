"""Convert Vietnamese text stored in the legacy TCVN3 (ABC) font encoding to Unicode.

GSO workbooks from about 2000 to 2008 keep Vietnamese in TCVN3: the cell holds Latin-1
looking characters (0xA1-0xFE) that a TCVN3 font (.VnTime, .VnArial...) draws as Vietnamese
letters, e.g. "§¬n vÞ tÝnh: Ngh×n ha" is "Đơn vị tính: Nghìn ha". Some 2008 workbooks mix
TCVN3 cells with Unicode cells, and even both inside one cell ("Thực hiện 6 th¸ng ®Çu năm").

Rule used by `to_unicode`, word by word (a word is a run of letters and TCVN3 code points):

1. A word is TCVN3 when it holds a TCVN3 code point that is no letter at all ("¸", "®", "§",
   "¬", "\\xad"...); when it is cased like no Unicode word ("tÝnh", "TÊn": an upper-case
   Latin-1 vowel after the first letter of a word with lower-case letters); or when it holds
   a letter Vietnamese never uses ("Ö", "ä", "ñ", "Þ"...) and reads as a Vietnamese syllable
   in TCVN3 ("NGHIÖP", "Thä").
2. The remaining TCVN3 code points are Unicode Vietnamese letters too ("á", "ò", "ê", "Ô"),
   so a word made of those is ambiguous: "vô" is Unicode "vô" or TCVN3 "vụ". It is TCVN3 when
   its Unicode reading is not a Vietnamese syllable and its TCVN3 reading is: "kú" -> "kỳ",
   "tèt" -> "tốt", "Hãa" -> "Hóa", and "Ưíc" -> "Ước" in a cell that mixes both encodings.
   A one-character word is always ambiguous ("«" is "ô" in "Lèp « t«", a guillemet elsewhere).
3. A word still ambiguous is converted only when the text holds more TCVN3 words than
   Unicode words (words with letters TCVN3 cannot encode, "ư", "ộ", "đ", "à"..., or that
   are syllables only in Unicode): "DÞch vô bưu chÝnh" -> "Dịch vụ bưu chính".
A converted word whose other letters are all upper case (two at least) is upper-cased:
"GI¸ TRÞ" -> "GIÁ TRỊ"; a one-letter-capital word follows an upper-case TCVN3 neighbour.

Limits: a lone ambiguous word ("Cã" = "Có", "sè hé" = "số hộ", "Lóa mú" = "Lúa mỳ") stays
as it is unless the caller passes `assume_tcvn3=True`, meant for a sheet known to hold no
Unicode text (`tcvn3_throughout`); the syllable check is spelling, not a dictionary ("mét" is
metre in Unicode, "một" in TCVN3); a Unicode word carrying a symbol ("Cola®") or a foreign
letter in TCVN3 company ("Zürich") is converted; Đắk Lắk-style words are not syllables
(final k), so they rely on rules 1 and 3.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Final

# TCVN3 code points per vowel, tones in the order the standard lays them out: grave, hook,
# tilde, acute, dot below (the base letter first where it is not plain ASCII).
_ROWS: Final = (
    ("\xb5\xb6\xb7\xb8\xb9", "àảãáạ"),
    ("\xa8\xbb\xbc\xbd\xbe\xc6", "ăằẳẵắặ"),
    ("\xa9\xc7\xc8\xc9\xca\xcb", "âầẩẫấậ"),
    ("\xcc\xce\xcf\xd0\xd1", "èẻẽéẹ"),
    ("\xaa\xd2\xd3\xd4\xd5\xd6", "êềểễếệ"),
    ("\xd7\xd8\xdc\xdd\xde", "ìỉĩíị"),
    ("\xdf\xe1\xe2\xe3\xe4", "òỏõóọ"),
    ("\xab\xe5\xe6\xe7\xe8\xe9", "ôồổỗốộ"),
    ("\xac\xea\xeb\xec\xed\xee", "ơờởỡớợ"),
    ("\xef\xf1\xf2\xf3\xf4", "ùủũúụ"),
    ("\xad\xf5\xf6\xf7\xf8\xf9", "ưừửữứự"),
    ("\xfa\xfb\xfc\xfd\xfe", "ỳỷỹýỵ"),
    ("\xae\xa1\xa2\xa3\xa4\xa5\xa6\xa7", "đĂÂÊÔƠƯĐ"),
)

TCVN3_TO_UNICODE: Final[Mapping[str, str]] = MappingProxyType(
    {code: letter for codes, letters in _ROWS for code, letter in zip(codes, letters, strict=True)}
)
"""The TCVN3 (ABC) code point -> Unicode letter map: 67 lower-case letters and the 7 capitals
Ă Â Ê Ô Ơ Ư Đ. TCVN3 has no capitals with tone marks; upper-case text reuses the lower-case
code points (drawn by an upper-case font), which `to_unicode` upper-cases inside upper-case
words, so every one of the 134 Vietnamese letters can come out."""

# Unicode Vietnamese letters that sit in Latin-1: as TCVN3 code points they are ambiguous.
_LATIN1_VIETNAMESE: Final = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_MARKERS: Final = frozenset(TCVN3_TO_UNICODE) - _LATIN1_VIETNAMESE
# Markers that are no letter in any language ("¸", "®", "\xad"...), unlike "ü", "ñ", "Ð", "ø".
_SYMBOL_MARKERS: Final = frozenset(c for c in _MARKERS if not c.isalpha())
_LOWER_CODES: Final = frozenset(c for c, letter in TCVN3_TO_UNICODE.items() if letter.islower())
# str.translate tables (a word's characters mapped in C, not one by one): the TCVN3 reading;
# the reading's letters but those of the lower-case code points (`_upper_word`); a word
# without its TCVN3 code points (`_classify`'s letters of another language).
_READING: Final = str.maketrans(dict(TCVN3_TO_UNICODE))
_CASED: Final = str.maketrans({c: None if c in _LOWER_CODES else letter
                               for c, letter in TCVN3_TO_UNICODE.items()})
_NOT_TCVN3: Final = str.maketrans(dict.fromkeys(TCVN3_TO_UNICODE))
_WORD: Final = re.compile("(?:[^\\W\\d_]|[" + re.escape("".join(TCVN3_TO_UNICODE)) + "])+")
# Upper-case Latin-1 vowels that TCVN3 uses for lower-case letters ("tÝnh", "TÊn").
_UPPER_AMBIGUOUS: Final = frozenset("ÈÉÊÌÒÓÔÕÝ")
_SPACES: Final = re.compile("[ \t]+")

# --- Vietnamese syllable check (spelling, not dictionary) ------------------------------------
_TONE_MARKS: Final = frozenset("\u0300\u0301\u0303\u0309\u0323")
_CHECKED_TONES: Final = frozenset("\u0301\u0323")  # the only tones a -p -t -c -ch syllable takes
_ONSET_TEXT: Final = "ngh ng nh ch gh gi kh ph th tr qu b c d đ g h k l m n p r s t v x"
_ONSETS: Final = (*_ONSET_TEXT.split(), "")
_RHYME_TEXT: Final = """a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt
    âc âm ân âng âp ât âu ây e ec em en eng eo ep et ê êch êm ên êng ênh êp êt êu
    i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
    o oc oi om on ong op ot oong ooc ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
    u ua uc ui um un ung up ut uôc uôi uôm uôn uông uôt
    ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu y yêm yên yêt yêu
    oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt
    oe oen oeo oet uân uâng uât uây uê uêch uênh uy uya uych uyên uyêt uynh uyt uyu uơ"""
_RHYMES: Final = frozenset(_RHYME_TEXT.split())


def _is_syllable(word: str) -> bool:
    """Whether `word` is spelt like one Vietnamese syllable (tone placement not checked)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONE_MARKS]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    if base.endswith(("p", "t", "c")) and (len(tones) != 1 or tones[0] not in _CHECKED_TONES):
        return False
    for onset in _ONSETS:
        rhyme = base[len(onset) :]
        if not base.startswith(onset) or rhyme not in _RHYMES:
            continue
        front = rhyme[0] in "ieêy"
        if (onset in ("k", "gh", "ngh") and not front) or (onset in ("c", "ng") and front):
            continue
        return True
    return False


def _tcvn3_reading(word: str) -> str:
    """`word` with its TCVN3 code points mapped, upper-cased when the word is upper case."""
    mapped = word.translate(_READING)
    return mapped.upper() if _upper_word(word) else mapped


def _upper_word(word: str) -> bool:
    """Two or more letters besides the TCVN3 lower-case code points, all upper case."""
    cased = word.translate(_CASED)
    return len(cased) >= 2 and all(map(str.isupper, cased))


_TCVN3, _UNICODE, _EITHER, _PLAIN = range(4)
# Workbooks repeat the same few thousand syllables; caching their verdict makes reading a
# workbook's 10,000 text cells cheap.
CLASSIFY_CACHE_WORDS = 1 << 16


@lru_cache(maxsize=CLASSIFY_CACHE_WORDS)
def _classify(word: str) -> int:
    """Which encoding a word is in: _TCVN3, _UNICODE, _EITHER (ambiguous) or _PLAIN."""
    reading = _tcvn3_reading(word)
    foreign = not word.translate(_NOT_TCVN3).isascii()
    if reading == word:
        return _UNICODE if foreign else _PLAIN
    if len(word) == 1:
        return _EITHER
    if _SYMBOL_MARKERS.intersection(word) or _odd_case(word):
        return _TCVN3
    unicode_ok, tcvn3_ok = _is_syllable(word), _is_syllable(reading)
    if tcvn3_ok and (not unicode_ok or _MARKERS.intersection(word)):
        return _TCVN3
    if foreign or (unicode_ok and not tcvn3_ok):
        return _UNICODE
    return _EITHER


def _odd_case(word: str) -> bool:
    """An upper-case Latin-1 vowel after the first letter of a word that has lower-case letters:
    no Unicode word is cased like that ("tÝnh", "TÊn", "MiÒn")."""
    return bool(_UPPER_AMBIGUOUS.intersection(word[1:])) and any(c.islower() for c in word)


def _evidence(kinds: list[int]) -> int:
    """TCVN3 words minus Unicode words."""
    return kinds.count(_TCVN3) - kinds.count(_UNICODE)


def looks_tcvn3(text: str) -> bool:
    """Whether `text` carries TCVN3 code points (at least one word that reads as TCVN3)."""
    if text.isascii():
        return False
    return _TCVN3 in map(_classify, _WORD.findall(_nfc(text)))


def tcvn3_throughout(texts: Iterable[str]) -> bool:
    """Whether a batch of cells (a sheet, a workbook) is TCVN3 with no Unicode text at all, so
    `to_unicode(..., assume_tcvn3=True)` is safe on each: some word reads as TCVN3 and none as
    Unicode. A TCVN3 title does not make a sheet TCVN3: the 2008 workbook has a sheet whose
    title is TCVN3 and whose "Thanh Hóa" is Unicode ("Thanh Húa" if assumed TCVN3)."""
    tcvn3 = False
    for text in texts:
        if text.isascii():
            continue  # ASCII words are plain in either encoding; a sheet's numbers and codes
        for word in _WORD.findall(_nfc(text)):
            kind = _classify(word)
            if kind == _UNICODE:
                return False  # most sheets: their first Vietnamese word settles it
            tcvn3 = tcvn3 or kind == _TCVN3
    return tcvn3


def to_unicode(text: str, *, assume_tcvn3: bool = False) -> str:
    """`text` with its TCVN3 words converted to Unicode, NFC (see the module docstring).

    Text that does not look TCVN3 comes back unchanged apart from NFC. `assume_tcvn3` says the
    text comes from a source known to be TCVN3 throughout (see `tcvn3_throughout`), so
    ambiguous words ("Cã", "sè") are converted even with no other TCVN3 word around them.
    """
    if text.isascii():
        return text  # NFC already, and no word of it reads otherwise (most sheet names)
    text = _nfc(text)
    matches = list(_WORD.finditer(text))
    kinds = [_classify(m.group()) for m in matches]
    convert_either = _evidence(kinds) + (1 if assume_tcvn3 else 0) > 0
    chosen = [k == _TCVN3 or (k == _EITHER and convert_either) for k in kinds]
    if not any(chosen):
        return text
    words = [m.group() for m in matches]
    # gaps[i] is the text before words[i]; gaps[-1] the text after the last word.
    cuts = [0, *(x for m in matches for x in m.span()), len(text)]
    gaps = [text[a:b] for a, b in zip(cuts[::2], cuts[1::2], strict=True)]
    out = [_tcvn3_reading(w) if c else w for c, w in zip(chosen, words, strict=True)]
    # A one-capital word ("C¶" in "C¶ N\xadíC") follows an upper-case TCVN3 neighbour across
    # spaces, one with tone letters ("N÷" in "T§: N÷" stays "Nữ").
    upper = [
        c and _upper_word(w) and not _LOWER_CODES.isdisjoint(w)
        for c, w in zip(chosen, words, strict=True)
    ]
    for i, word in enumerate(words):
        if not chosen[i] or not _single_capital(word):
            continue
        before = i > 0 and upper[i - 1] and _SPACES.fullmatch(gaps[i])
        after = i + 1 < len(words) and upper[i + 1] and _SPACES.fullmatch(gaps[i + 1])
        if before or after:
            out[i] = out[i].upper()
    return _nfc("".join(gap + word for gap, word in zip(gaps, [*out, ""], strict=True)))


def _single_capital(word: str) -> bool:
    """Exactly one letter besides the TCVN3 lower-case code points, and it is upper case."""
    cased = word.translate(_CASED)
    return len(cased) == 1 and cased.isupper()


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
