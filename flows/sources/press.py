"""The `press` source: a news article saved by hand (text or HTML), read as statistical prose.

`chiso ingest press --file ARTICLE --published-at DATE [--publisher NAME]` archives the file and
reads its figures with flows.readers.prose.report. The article's place is the one it names
most often (flows/reference/places.csv); every figure is that place's. The release's reference
period is the latest month any figure that passed validation covers (`settle`).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from bs4 import BeautifulSoup

from flows.core.config import REFERENCE_DIR
from flows.core.errors import ConfigError, NotAnArticleError
from flows.core.model import Observation, ReleaseRef
from flows.core.text import nfc
from flows.readers.prose.report import ProseFigures, read_prose
from flows.sources.base import Contents, Source

NAME = "press"
ACCEPTS = (".txt", ".html", ".htm")
PLACES_FILE = "places.csv"
# Where the article's body is, tried in order: NukeViet's news module (thongkehaiphong.gov.vn,
# most Vietnamese government and newspaper sites), then HTML5 article markup, then everything.
BODY_SELECTORS = ("div#news-bodyhtml", "div.bodytext", "article", "main", "body")
# Page furniture that is never the article: menus, scripts, the footer's address and phone.
DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe")
# Elements that end a line of text, so headings and paragraphs stay apart; inline tags (<b>,
# <a>, <span>) inside a sentence must not split it.
BLOCK_TAGS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "blockquote",
              "section", "article", "table", "ul", "ol")  # fmt: skip
# A file saved as .txt that is really a web page starts with one of these.
_HTML_START = re.compile(r"^\s*(?:<!doctype\s+html|<html|<head|<body)", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    """A place name of places.csv and its geography code."""

    name: str
    geo: str


def read(paths: list[Path], ref: ReleaseRef) -> ProseFigures:
    """The figures of a press article (the release's only file), for the place it names most."""
    path, name = paths[0], _display_name(paths[0], ref)
    text = article_text(path)
    geo = main_place(text, name)
    return read_prose(text, geo=geo, published=ref.published_at.date(), source_name=name)


def normalise(figures: ProseFigures, ref: ReleaseRef) -> Contents:
    """The article's figures; its month waits for validation (`settle`)."""
    return Contents(figures.observations, figures.rejected, ref.reference_period,
                    addresses=figures.addresses)


def settle(figures: ProseFigures, contents: Contents, ref: ReleaseRef) -> Contents:
    """The article's month: the latest its valid figures cover."""
    return replace(contents, reference_period=reference_period(contents.observations, ref))


def article_text(path: Path) -> str:
    """The article's text, one heading or paragraph a line; HTML is stripped of its tags.

    Raises NotAnArticleError for a binary file, text that is not UTF-8, or no text at all.
    """
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotAnArticleError(
            f"{path.name}: UTF-16 text (it starts with a UTF-16 byte-order mark); save the "
            "article as UTF-8 and ingest it again"
        )
    if b"\0" in data[:4096]:
        raise NotAnArticleError(
            f"{path.name}: a binary file, not an article; press takes a .txt or .html article "
            "saved from the publisher's page"
        )
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotAnArticleError(
            f"{path.name}: not UTF-8 text (byte {exc.start}); save the article as UTF-8 and "
            "ingest it again"
        ) from None
    is_html = path.suffix.lower() in (".html", ".htm") or _HTML_START.match(decoded)
    text = html_text(decoded) if is_html else decoded
    lines = [nfc(line) for line in text.splitlines()]
    if not any(lines):
        raise NotAnArticleError(f"{path.name}: holds no text; expected the article's words")
    return "\n".join(line for line in lines if line)


def html_text(html: str) -> str:
    """The article body of a web page as lines of text: blocks end lines, inline tags do not."""
    soup = BeautifulSoup(html, "html.parser")
    title = soup.find("h1")
    heading = title.get_text(" ", strip=True) if title is not None else ""
    for tag in soup.find_all(list(DROP_TAGS)):
        tag.decompose()
    body = next((found for s in BODY_SELECTORS if (found := soup.select_one(s)) is not None), soup)
    for block in body.find_all(list(BLOCK_TAGS)):
        block.insert_before("\n")
        block.insert_after("\n")
    text = body.get_text()
    # The title names the period and the place ("… tháng 9/2024 thành phố Hải Phòng"); keep
    # it first when the body selector left it out.
    return text if not heading or heading in text else f"{heading}\n{text}"


def main_place(text: str, name: str = "") -> str:
    """The geography code of the place the article names most often (places.csv).

    Ties go to the place named first (titles and leads name the subject). Raises
    NotAnArticleError when the article names no place in places.csv.
    """
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for match in _place_pattern().finditer(text):
        geo = _places()[match.group()].geo
        counts[geo] += 1
        first.setdefault(geo, match.start())
    if not counts:
        raise NotAnArticleError(
            f"{name or 'the article'}: names no place in flows/reference/{PLACES_FILE} "
            "(a province, 'Việt Nam' or 'cả nước'); its figures would belong nowhere. Add the "
            "place to the file if it is missing"
        )
    return min(counts, key=lambda geo: (-counts[geo], first[geo]))


def reference_period(observations: list[Observation], ref: ReleaseRef) -> str:
    """The latest month any observation covers, as YYYY-MM.

    A plan covers the year it is set for, not months reported on, so plans do not count.
    With no observation at all: the period given with the file, else the publication month.
    """
    ends = [o.period.end for o in observations if o.measure != "plan"]
    if ends:
        return f"{max(ends):%Y-%m}"
    return ref.reference_period or f"{ref.published_at:%Y-%m}"


def _display_name(path: Path, ref: ReleaseRef) -> str:
    """The file as the user knows it (the archive stores it under its hash)."""
    if ref.url:
        return ref.url
    return ref.title or path.name


@cache
def _places() -> dict[str, Place]:
    path = REFERENCE_DIR / PLACES_FILE
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except FileNotFoundError:
        raise ConfigError(
            f"reference file {path} is missing; restore it from the repository"
        ) from None
    places: dict[str, Place] = {}
    for row in rows:
        name = nfc(row["name"])
        # A name may open a sentence ("Cả nước", "Thành phố Hồ Chí Minh") or stand in a title
        # in capitals ("THÀNH PHỐ HẢI PHÒNG"). Otherwise it keeps its capitals, so "hoà bình"
        # (peace) is not Hoà Bình province.
        first_upper, first_lower = name[0].upper() + name[1:], name[0].lower() + name[1:]
        for variant in {name, first_upper, first_lower, name.upper()}:
            places[variant] = Place(name, row["geo"])
    return places


@cache
def _place_pattern() -> re.Pattern[str]:
    names = sorted(_places(), key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(n) for n in names)})(?!\w)")


SOURCE = Source(NAME, read=read, normalise=normalise, discover=None, accepts=ACCEPTS,
                settle=settle)
