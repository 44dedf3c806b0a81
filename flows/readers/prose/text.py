"""Split a report's text into headings and sentences, keeping figures such as "26.351,9" whole."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from flows.core.text import nfc

# Hải Phòng's reports number their sections "I. PHÁT TRIỂN KINH TẾ", "1. Sản xuất công nghiệp",
# "1.1 Tài chính", "a) Xuất khẩu". A numbered line longer than this is a numbered paragraph.
MAX_HEADING_CHARS = 120
# Abbreviations that end in a dot inside a sentence ("UBND TP. Hải Phòng", "TS. Nguyễn"); a
# dot after them followed by a capital letter does not end the sentence.
ABBREVIATIONS = frozenset({"TP", "Tp", "tp", "TS", "ThS", "Th.S", "PGS", "GS", "TT", "Q", "P",
                           "v.v", "St", "Mr", "Mrs", "Dr"})
_NUMBERED = re.compile(r"^(?:[IVX]{1,4}\.|\d{1,2}\.(?:\d{1,2}\.?)*|[a-zđ]\))\s+\S")
# Bullets: "*", "+", "-" (and the dashes and dots word processors turn them into), then a space.
_BULLET = re.compile(r"^[*+\-–—•·]+\s+")
# A sentence ends at ".", "!", "?" or "…" (closing quotes or brackets may follow) before white
# space and a capital letter, a digit or an opening quote or bracket.
_END = re.compile(r"[.!?…]+[\"”’)]*\s+(?=[\"“(\d]|[^\W\d_])")
_WORD_BEFORE = re.compile(r"(\S+?)[.!?…]*$")


@dataclass(frozen=True)
class Heading:
    """A section heading: it sets the topic (indicator, period) of the sentences below it."""

    text: str


@dataclass(frozen=True)
class Sentence:
    """One sentence, whole and trimmed; `number` counts sentences from 1 ("s12" in rejects)."""

    number: int
    text: str
    heading: str
    paragraph: int


def split_report(text: str) -> list[Heading | Sentence]:
    """The report's headings and sentences in order; blank lines are dropped."""
    parts: list[Heading | Sentence] = []
    heading, paragraph, number = "", 0, 0
    for raw_line in text.splitlines():
        line = nfc(raw_line)
        if not line:
            continue
        if is_heading(line):
            heading = _BULLET.sub("", line)
            parts.append(Heading(heading))
            continue
        paragraph += 1
        for sentence in split_sentences(_BULLET.sub("", line)):
            number += 1
            parts.append(Sentence(number, sentence, heading, paragraph))
    return parts


def is_heading(line: str) -> bool:
    """A numbered line that reads as a title, a line in capitals, or a short label ending in ":".

    A title has no sentence end (".", ";", "!", "?") and no figure: "1. Sản xuất công nghiệp:"
    is a heading, "1. Chỉ số sản xuất tăng 5,2%." is a numbered paragraph.
    """
    bare = _BULLET.sub("", line)
    if len(bare) > MAX_HEADING_CHARS or bare[-1] in ".;!?…" or re.search(r"\d%", bare):
        return False
    if _NUMBERED.match(bare):
        return True
    letters = [c for c in bare if c.isalpha()]
    if len(bare.split()) >= 2 and letters and not any(c.islower() for c in letters):
        return True
    return bare.endswith(":") and len(bare.split()) <= 8


def split_sentences(paragraph: str) -> Iterator[str]:
    """The sentences of one paragraph. Dots inside numbers never split ("26.351,9" has no space
    after its dot) and neither do the dots of abbreviations ("TP. Hải Phòng")."""
    start = 0
    for match in _END.finditer(paragraph):
        if _after_abbreviation(paragraph, match.start()):
            continue
        sentence = paragraph[start : match.end()].strip()
        if sentence:
            yield sentence
        start = match.end()
    rest = paragraph[start:].strip()
    if rest:
        yield rest


def _after_abbreviation(paragraph: str, end: int) -> bool:
    """Whether the punctuation at `end` closes an abbreviation or an initial ("V. A.")."""
    if paragraph[end] != ".":
        return False
    word = _WORD_BEFORE.search(paragraph[:end])
    token = word.group(1) if word else ""
    return token in ABBREVIATIONS or (len(token) == 1 and token.isupper())


def iter_sentences(parts: list[Heading | Sentence]) -> Iterator[Sentence]:
    """Only the sentences of `split_report`'s result."""
    return (part for part in parts if isinstance(part, Sentence))
