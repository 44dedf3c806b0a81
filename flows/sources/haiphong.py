"""Discover and read Hải Phòng's monthly report pages, published with the NukeViet news module.

Both city publishers (the statistics office, thongkehaiphong.gov.vn, and the Department of
Industry and Trade, socongthuong.haiphong.gov.vn) post their monthly report as a news article:

- a category listing: items are `div.news_column` panels whose `h3 > a` (`h2 > a` when featured)
  links to `/{category}/{slug}-{id}.html` (the DoIT site drops the `.html`), with the listed
  time in the panel's `.text-muted` line, newest first. Ids are counters, so report URLs come
  only from listings. Pagination is `ul.pagination`; we follow the link to the page after the
  active one (NukeViet writes `/{category}/page-2`) instead of building URLs ourselves.
- a report page: `h1.title`, a date line `{weekday} - dd/mm/yyyy HH:MM` in `span.h5`, a lead in
  `div.hometext` and the body in `div#news-bodyhtml.bodytext`.

The body's headings, bullets and sentences go, one per line, to the prose reader.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from flows.core.errors import ChisoError, DiscoveryError, NotAReportPageError
from flows.core.model import ReleaseRef
from flows.core.periods import parse_period
from flows.core.text import nfc
from flows.readers.prose.report import ProseFigures, read_prose
from flows.sources.base import Contents, Get

log = logging.getLogger(__name__)

# An article link: `/{category}/{slug}-{id}.html`; the DoIT site serves the same without `.html`.
ARTICLE_PATH = re.compile(r"^/[^/]+/[^/]+-\d+(?:\.html?)?$")
LISTING_LINKS = "div.news_column h2 > a[href], div.news_column h3 > a[href]"
# Tried in order. NukeViet 4.3+ themes write `h1.title`; older ones a bare h1 in div#news_detail.
TITLE_SELECTORS = ("h1.title", "div#news_detail h1", "div.news_column h1")
# The date line sits in span.h5 (4.3+) or span.time (older themes).
DATE_SELECTORS = ("span.h5", "span.time")
# The body: div#news-bodyhtml.bodytext; 4.4 themes name the class `bodytext_{module}` and older
# ones drop the id, so a bare div.bodytext is the fallback.
BODY_SELECTORS = ("div#news-bodyhtml", "div.bodytext", "div[class^=bodytext]")
LEAD_SELECTOR = "div.hometext"
# A category holds about ten items a page; the statistics office's go back to 2018, some thirty
# pages. Two hundred pages means the pagination loops, not that the history is that long.
MAX_LISTING_PAGES = 200
# Elements that end a line of text; `br` splits one too.
BLOCK_TAGS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "blockquote")
# The report page's date line, "Chủ nhật - 29/09/2019 11:10": hour and minute are the vintage.
DATE_TIME = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})")
# Without span.h5 the line is found by its full shape, weekday first, so no dated sentence of the
# body is mistaken for it.
DATE_LINE = re.compile(r"^(?:thứ\s+\S+|chủ\s+nhật)\s*[-–]\s*" + DATE_TIME.pattern + r"$", re.I)
# The listing's time, "29/09/2024 10:30:00 AM": only the day is needed to stop at `since`.
LISTED_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
# Bullets editors type themselves ("* Công tác huy động vốn", "+ Xuất khẩu", "- Kế hoạch năm").
BULLET = re.compile(r"^[-+*•–]")
_NEXT_STEP = (
    "the site may have changed its layout; check the page and update flows/sources/haiphong.py"
)


@dataclass(frozen=True)
class ListingItem:
    """One article on a listing page: its URL, its title and the day the listing gives, if any."""

    url: str
    title: str
    listed: date | None


@dataclass(frozen=True)
class ListingPage:
    items: list[ListingItem]
    next_url: str | None  # the page after this one, None on the last


@dataclass(frozen=True)
class ReportPage:
    """A report page's parts, as text; `body_from` says which selector found the body."""

    url: str
    title: str
    published: datetime
    lead: str
    body: list[str]
    body_from: str

    @property
    def text(self) -> str:
        """Title, lead and body, one heading, bullet or paragraph a line, for the prose reader."""
        return "\n".join(line for line in (self.title, self.lead, *self.body) if line)


def parse_listing(html: bytes | str, page_url: str) -> ListingPage:
    """The articles on one category listing page, as listed, and the next page's URL.

    Raises DiscoveryError when the page has no NukeViet news panels or none links an article.
    """
    soup = _soup(html)
    if soup.select_one("div.news_column") is None:
        raise DiscoveryError(
            f"{page_url}: expected a NukeViet news listing (div.news_column panels), found none; "
            f"{_NEXT_STEP}"
        )
    items = list(_listing_items(soup, page_url))
    if not items:
        raise DiscoveryError(
            f"{page_url}: the news panels link no article (an h3 > a to /category/slug-id.html); "
            f"{_NEXT_STEP}"
        )
    return ListingPage(items, _next_page(soup, page_url))


def parse_report_page(
    html: bytes | str, page_url: str, error: type[ChisoError] = DiscoveryError
) -> ReportPage:
    """The title, date line, lead and body of a report page.

    Raises `error` (DiscoveryError while discovering, a ReadError when reading an archived
    page) when the page has no title, date line or body.
    """
    soup = _soup(html)
    found = _first(soup, TITLE_SELECTORS)
    if found is None or not nfc(found[0].get_text(" ")):
        raise error(f"{page_url}: expected the report title in h1.title, found none; {_NEXT_STEP}")
    title = nfc(found[0].get_text(" "))
    published = _published(soup, page_url, error)
    body = _first(soup, BODY_SELECTORS)
    if body is None:
        raise error(
            f"{page_url}: expected the report body in div#news-bodyhtml (or div.bodytext), found "
            f"neither; {_NEXT_STEP}"
        )
    if body[1] != BODY_SELECTORS[0]:
        log.warning("%s has no %s; reading the body from %s", page_url, BODY_SELECTORS[0], body[1])
    lead = soup.select_one(LEAD_SELECTOR)
    return ReportPage(
        page_url, title, published, nfc(lead.get_text(" ")) if lead else "", _lines(body[0]),
        body[1],
    )


def reference_period(title: str, published: date) -> str | None:
    """The latest month a title reports on, as `YYYY-MM`, or None when it names no period.

    "tháng 9/2019" gives 2019-09; "tháng 9, 9 tháng năm 2024" and "tháng 9 và 9 tháng năm 2024"
    give 2024-09 (the cumulation ends in the month). A title without a year takes the latest
    such period up to its publication.
    """
    text = nfc(title)
    period = parse_period(text)
    if period is None:
        period = parse_period(text, default_year=published.year)
        if period is not None and period.start > published:
            period = parse_period(text, default_year=published.year - 1)
    return None if period is None else f"{period.end:%Y-%m}"


@dataclass(frozen=True)
class ReadReport:
    """What an archived report page says: its parts, its prose figures, and its name."""

    page: ReportPage
    figures: ProseFigures
    where: str  # the page as the user knows it: its URL, or the file given by hand


@dataclass(frozen=True)
class NewsSite:
    """A Hải Phòng publisher's way in: its categories and which titles are its monthly report."""

    name: str
    dataset: str
    listings: tuple[str, ...]
    report_title: re.Pattern[str]  # matched against the title, NFC and lower case
    # The province: read_prose files a page's figures under its territory on the publication
    # date (VN-31 to 30 June 2025, the merged city VN-31-2025 from 1 July).
    geo: str = "VN-31"

    def is_report(self, title: str) -> bool:
        return self.report_title.search(nfc(title).lower()) is not None

    def discover(self, get: Get, since: date | None = None) -> list[ReleaseRef]:
        """The monthly reports the listings show, oldest first, each dated by its own page."""
        items: dict[str, ListingItem] = {}
        for listing in self.listings:
            for item in walk_listing(get, listing, since):
                # An article filed under several categories is listed under each.
                items.setdefault(item.url, item)
        refs = [self._release(get, item) for item in items.values() if self.is_report(item.title)]
        kept = [
            ref for ref in refs
            if ref is not None and (since is None or ref.published_at.date() >= since)
        ]
        return sorted(kept, key=lambda ref: (ref.published_at, ref.url))

    def read(self, paths: list[Path], ref: ReleaseRef) -> ReadReport:
        """The figures of an archived report page, read from its prose."""
        where = ref.url or ref.title or paths[0].name
        page = parse_report_page(paths[0].read_bytes(), where, error=NotAReportPageError)
        figures = read_prose(
            page.text, geo=self.geo, published=page.published.date(), source_name=where
        )
        return ReadReport(page, figures, where)

    def normalise(self, read: ReadReport, ref: ReleaseRef) -> Contents:
        """The report's figures in the month its title names; a page without any is refused."""
        page, figures, where = read.page, read.figures, read.where
        if not figures.observations and not figures.rejected:
            raise NotAReportPageError(
                f"no statistical figures in {where}: is this a report page? Expected sentences "
                f"such as 'ước tính tăng 14,09% so với cùng kỳ năm trước' in {page.body_from}; "
                "check the URL the listing gave or the file you passed"
            )
        period = reference_period(page.title, page.published.date()) or ref.reference_period
        if not period:
            raise NotAReportPageError(
                f"{where}: the title {page.title!r} names no period; pass --reference-period "
                "YYYY-MM"
            )
        return Contents(figures.observations, figures.rejected, period,
                        addresses=figures.addresses)

    def _release(self, get: Get, item: ListingItem) -> ReleaseRef | None:
        page = parse_report_page(get(item.url), item.url)
        period = reference_period(page.title, page.published.date())
        if period is None:
            log.warning("%s: report title %r names no period; skipped", item.url, page.title)
            return None
        return ReleaseRef(
            source=self.name, dataset=self.dataset, url=item.url, published_at=page.published,
            reference_period=period, title=page.title, page_url=item.url,
        )  # fmt: skip


def walk_listing(get: Get, listing_url: str, since: date | None = None) -> Iterator[ListingItem]:
    """The articles of a category, page after page, until the last page or one reaching `since`."""
    url: str | None = listing_url
    for _ in range(MAX_LISTING_PAGES):
        if url is None:
            return
        page = parse_listing(get(url), url)
        yield from (i for i in page.items if since is None or i.listed is None or i.listed >= since)
        if since is not None and any(i.listed is not None and i.listed < since for i in page.items):
            log.info("%s reaches articles listed before %s; stopping there", url, since)
            return
        url = page.next_url
    log.warning("%s: stopped after %d listing pages", listing_url, MAX_LISTING_PAGES)


def _soup(html: bytes | str) -> BeautifulSoup:
    # NukeViet serves UTF-8; decoding here keeps BeautifulSoup from guessing an encoding.
    text = html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html
    return BeautifulSoup(text, "html.parser")


def _first(soup: BeautifulSoup, selectors: tuple[str, ...]) -> tuple[Tag, str] | None:
    for selector in selectors:
        element = soup.select_one(selector)
        if element is not None:
            return element, selector
    return None


def _listing_items(soup: BeautifulSoup, page_url: str) -> Iterator[ListingItem]:
    for link in soup.select(LISTING_LINKS):
        url = urljoin(page_url, str(link.get("href", "")).strip())
        if not ARTICLE_PATH.match(urlsplit(url).path):
            continue
        panel = link.find_parent("div", class_="panel-body") or link.find_parent("div")
        when = panel.select_one(".text-muted") if panel is not None else None
        match = LISTED_DATE.search(when.get_text(" ")) if when is not None else None
        listed = _date(match) if match else None
        yield ListingItem(url, nfc(link.get_text(" ")) or nfc(str(link.get("title", ""))), listed)


def _next_page(soup: BeautifulSoup, page_url: str) -> str | None:
    """The link to the page after the active one in ul.pagination, if there is one."""
    active = soup.select_one("ul.pagination li.active")
    current = active.get_text(strip=True) if active is not None else ""
    if not current.isdigit():
        return None
    for link in soup.select("ul.pagination a[href]"):
        href = str(link.get("href", "")).strip()
        if link.get_text(strip=True) == str(int(current) + 1) and href not in ("", "#"):
            return urljoin(page_url, href)
    return None


def _published(soup: BeautifulSoup, page_url: str, error: type[ChisoError]) -> datetime:
    """The date line's date and time."""
    match = None
    for selector in DATE_SELECTORS:
        for element in soup.select(selector):
            match = match or DATE_TIME.search(nfc(element.get_text(" ")))
    if match is None:
        lines = (nfc(line) for line in soup.get_text("\n").split("\n"))
        match = next((m for line in lines if (m := DATE_LINE.match(line))), None)
    try:
        if match is None:
            raise ValueError("no date line")
        day, month, year, hour, minute = (int(part) for part in match.groups())
        return datetime(year, month, day, hour, minute)
    except ValueError:
        raise error(
            f"{page_url}: expected the date line '{{weekday}} - dd/mm/yyyy HH:MM' (span.h5), "
            f"found {match.group(0) if match else 'none'}; {_NEXT_STEP}"
        ) from None


def _date(match: re.Match[str]) -> date | None:
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _lines(body: Tag) -> list[str]:
    """The body's text, one line per paragraph, heading, list item or table row."""
    for br in body.find_all("br"):
        br.replace_with("\n")
    for item in body.find_all("li"):
        if not BULLET.match(item.get_text(strip=True)):
            item.insert(0, "- ")
    for cell in body.find_all(("td", "th")):
        cell.insert(0, " | ")
    for block in body.find_all(BLOCK_TAGS):
        block.insert_before("\n")
        block.append("\n")
    return [line for raw in body.get_text().split("\n") if (line := nfc(raw).strip(" |"))]
