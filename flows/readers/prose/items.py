"""What a figure in prose is about: the industry after "ngành", or the item of a list.

A list: "… như: sản xuất xe có động cơ (+56,38%); đóng tàu và cấu kiện nổi (+27,74%); …".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from flows.core.reference import commodities, industries
from flows.core.text import fold
from flows.readers.numbers import NUMBER_IN_TEXT
from flows.readers.prose.lexicon import VSIC_BREAKDOWNS, find
from flows.readers.prose.measures import Figure

# A list needs at least two items after its colon; one figure in brackets is a remark.
MIN_LIST_ITEMS = 2
# A list item's figure: a signed or worded percentage alone in brackets, "(+106,17%)",
# "(tăng 21,87%)"; brackets holding more ("(9 tháng/2023 đạt 20.786,7 triệu USD)") are no item.
_ITEM_FIGURE = re.compile(
    rf"\(\s*(?:(?:tăng|giảm|bằng)\s+)?[+\-\u2212]?{NUMBER_IN_TEXT.pattern}\s*%\s*\)"
)
_NGANH = re.compile(r"(?<!\w)ngành\s+")
# Glue left around a list item's label: separators, the ellipsis, a closing "và" ("and").
_LABEL_EDGES = " \t;,.…:"
_LEADING_AND = re.compile(r"^(?:và|cùng)\s+")


@dataclass(frozen=True)
class ListItem:
    """One item of a list: its label as written and the bracket holding its figure."""

    label: str
    start: int  # the opening bracket
    end: int  # after the closing bracket


@dataclass(frozen=True)
class IndustryMention:
    """ "ngành X" in a sentence: the VSIC code of X, or None when X is no industry chiso knows.

    `whole` marks "ngành công nghiệp" and "toàn ngành": the whole industry (sections B-E), `_T`
    where the indicator's total is the industry (IIP) and no code where it is the economy (GRDP).
    """

    start: int
    end: int
    code: str | None
    label: str
    whole: bool = False


def list_items(text: str, search: str, figures: list[Figure]) -> tuple[int, dict[int, ListItem]]:
    """The colon of a list sentence and its items by figure index; (-1, {}) when no list.

    Every figure after the colon must be an item's: a sentence mixing items and other figures
    after its colon is read figure by figure instead.
    """
    colon = text.find(":")
    if colon < 0:
        return -1, {}
    items: dict[int, ListItem] = {}
    position = colon + 1
    for bracket in _ITEM_FIGURE.finditer(search, colon):
        inside = [i for i, f in enumerate(figures) if bracket.start() < f.start < bracket.end()]
        if len(inside) != 1:
            return -1, {}
        label = _LEADING_AND.sub("", text[position : bracket.start()].strip(_LABEL_EDGES))
        items[inside[0]] = ListItem(label, bracket.start(), bracket.end())
        position = bracket.end()
    after_colon = [i for i, f in enumerate(figures) if f.start > colon]
    if len(items) < MIN_LIST_ITEMS or sorted(items) != after_colon:
        return -1, {}
    return colon, items


def item_code(breakdown: str, indicator: str, label: str) -> str | None:
    """The code of a list item under an indicator broken down by `breakdown`; None if unknown."""
    key = fold(label)
    if breakdown in VSIC_BREAKDOWNS:
        return industries().get(key)
    if breakdown == "product":
        found = commodities().get((indicator, "commodity", key), [])
        return found[0].code if len({c.code for c in found}) == 1 else None
    return None


def industry_mentions(search: str, stops: set[int]) -> list[IndustryMention]:
    """Each "ngành X" of a sentence: X through industry_aliases.csv, or a generic use of the word
    (prose_phrases.csv, kind generic: "ngành công nghiệp" is the whole industry, "các sở, ban,
    ngành" no industry at all), or unknown.

    An alias counts only where the industry's name ends: before punctuation, a figure, or a
    phrase starting at one of the offsets `stops` (a change, status, comparison or period:
    "tăng", "ước", "tháng 9"), so "ngành dệt may" is not "dệt" (textiles, 13).
    """
    generic = find("generic", search)
    found = []
    for match in _NGANH.finditer(search):
        alias = _alias_pattern().match(search, match.end())
        if alias is not None and _name_ends(search, alias.end(), stops):
            code = industries()[alias.group("alias")]
            found.append(IndustryMention(match.start(), alias.end(), code, alias.group("alias")))
            continue
        cover = next((g for g in generic if g.start <= match.start() < g.end), None)
        if cover is not None:
            if cover.code:
                found.append(
                    IndustryMention(cover.start, cover.end, cover.code, cover.phrase, True)
                )
            continue
        words = search[match.end() :].split()[:4]
        found.append(IndustryMention(match.start(), match.end(), None, " ".join(words)))
    return found


def _name_ends(search: str, end: int, stops: set[int]) -> bool:
    rest = search[end:].lstrip()
    return not rest or not rest[0].isalpha() or len(search) - len(rest) in stops


@cache
def _alias_pattern() -> re.Pattern[str]:
    names = sorted(industries(), key=len, reverse=True)
    return re.compile(rf"(?P<alias>{'|'.join(re.escape(n) for n in names)})(?!\w)")
