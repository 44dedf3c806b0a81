"""Discover GSO's monthly reports; read the workbook each attaches and normalise its tables."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from flows.core.errors import DiscoveryError
from flows.core.model import ReleaseRef
from flows.core.text import nfc
from flows.normalise.gso import normalise_workbook
from flows.normalise.gso_cells import account
from flows.readers.workbook.gso import WorkbookTables, read_gso_tables
from flows.sources.base import Contents, Get, Source

log = logging.getLogger(__name__)

NAME = "gso"
DATASET = "monthly-workbook"
BASE_URL = "https://www.gso.gov.vn"
LISTING_PATH = "/bao-cao-tinh-hinh-kinh-te-xa-hoi-hang-thang/"
LISTING_URL = BASE_URL + LISTING_PATH
# Points discovery at another site (GSO became the NSO, www.nso.gov.vn; a local stand-in in
# tests); the links on its pages are then followed as they are written.
BASE_URL_ENV = "CHISO_GSO_BASE_URL"
# The widget GSO's report pages list their attachments in (DOMAIN.md, "at the time of writing").
ATTACHMENTS_WIDGET_ID = "file_attachments_widget-3"
WORKBOOK_SUFFIXES = (".xlsx", ".xls")
# Decree 62/2024/ND-CP, in force 1 Aug 2024, moved the report from about the 29th of the reference
# month to the 6th of the following month; it decides the fallback when a title names no period.
DECREE_62_IN_FORCE = date(2024, 8, 1)
_NEXT_STEP = "GSO may have changed its layout; check the page and update flows/sources/gso.py"

# The listing's date line ends with the publication date: "Ngày đăng: 06/09/2024".
_LISTED_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_MONTH_WORDS = {
    "một": 1, "hai": 2, "ba": 3, "tư": 4, "năm": 5, "sáu": 6,
    "bảy": 7, "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12,
}  # fmt: skip
_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# "tháng 8 năm 2024", "tháng 9/2024", "tháng 01 năm 2024"; not "9 tháng năm 2024".
_NUMBERED_MONTH = re.compile(r"\btháng\s+0?(1[0-2]|[1-9])(?!\d)", re.IGNORECASE)
# "tháng Tám", "tháng Mười một". "năm" is also the word for "year": in "9 tháng năm 2024"
# ("nine months of 2024") it is followed by the year, so a month word right before a year is not
# taken as a month (GSO writes May as "tháng Năm và 5 tháng năm 2024").
_NAMED_MONTH = re.compile(
    r"\btháng\s+(mười\s+một|mười\s+hai|mười|một|hai|ba|tư|năm|sáu|bảy|tám|chín)(?!\w)(?!\s*\d{4})",
    re.IGNORECASE,
)
_QUARTER = re.compile(r"\bquý\s+(IV|III|II|I|[1-4])(?!\w)", re.IGNORECASE)
# Year to date: "9 tháng năm 2024", "6 tháng đầu năm 2024".
_CUMULATIVE = re.compile(r"(?<!\d)(1[0-2]|[1-9])\s+tháng\b", re.IGNORECASE)
# The whole year: "năm 2024" ("quý IV và năm 2024" is caught by the quarter first).
_WHOLE_YEAR = re.compile(r"\bnăm\s+((?:19|20)\d{2})(?!\d)", re.IGNORECASE)

# Tried in order; the first that matches gives the reference month.
_PERIOD_RULES: tuple[tuple[re.Pattern[str], Callable[[str], int]], ...] = (
    (_NUMBERED_MONTH, int),
    (_NAMED_MONTH, lambda word: _MONTH_WORDS[" ".join(word.lower().split())]),
    (_QUARTER, lambda quarter: 3 * _QUARTERS[quarter.upper()]),
    (_CUMULATIVE, int),
    (_WHOLE_YEAR, lambda _: 12),
)


@dataclass(frozen=True)
class ListingItem:
    """One report on a listing page: its page, its title and the date the listing gives."""

    url: str
    title: str
    published: date


def listing_page_url(listing_url: str, page: int) -> str:
    """Page `page` of the listing: the listing URL itself, then WordPress's `?paged=N`."""
    if page == 1:
        return listing_url
    return f"{listing_url}{'&' if '?' in listing_url else '?'}paged={page}"


def parse_listing(html: bytes | str, page_url: str) -> tuple[list[ListingItem], int]:
    """The reports on one listing page, newest first as listed, and the number of pages.

    Raises DiscoveryError when the page lacks `div.archive-container` or its report entries.
    """
    soup = _soup(html)
    container = soup.select_one("div.archive-container")
    if container is None:
        raise DiscoveryError(
            f"{page_url}: expected the list of reports in div.archive-container, found no such "
            f"element; {_NEXT_STEP}"
        )
    items = list(_listing_items(container, page_url))
    if not items:
        raise DiscoveryError(
            f"{page_url}: div.archive-container holds no report entries (a <p><a href> followed "
            f"by a <section> with span.archive-issue-date); {_NEXT_STEP}"
        )
    return items, _page_count(soup)


def parse_report(html: bytes | str, page_url: str) -> str:
    """The absolute URL of the workbook a report page attaches.

    The first link in the attachments widget whose path ends in .xlsx or .xls: some pages list a
    PDF report first, and some an English twin workbook after the Vietnamese one.
    """
    widget = _attachments_widget(_soup(html), page_url)
    hrefs = [str(link.get("href", "")).strip() for link in widget.select("a[href]")]
    for href in hrefs:
        if urlsplit(href).path.lower().endswith(WORKBOOK_SUFFIXES):
            return urljoin(page_url, href)
    found = ", ".join(hrefs) or "no links at all"
    raise DiscoveryError(
        f"{page_url}: expected a .xlsx or .xls link in the attachments widget, found {found}; "
        f"if GSO attached no workbook this month there is nothing to load, otherwise {_NEXT_STEP}"
    )


def reference_period(title: str, published: date) -> str:
    """The latest period a report covers, as `YYYY-MM`, read from its title.

    "tháng Tám và 8 tháng năm 2024" and "tháng 8 năm 2024" give 2024-08, "quý III và 9 tháng năm
    2024" 2024-09, "6 tháng đầu năm 2024" 2024-06, "quý IV và năm 2024" and "năm 2024" 2024-12.
    A title naming no period falls back on the release calendar: before Decree 62/2024 the report
    came out in its reference month, since then in the month after it.
    """
    text = nfc(title)
    for pattern, to_month in _PERIOD_RULES:
        match = pattern.search(text)
        if match is not None:
            return _with_year(text, match, to_month(match.group(1)), published)
    year, month = published.year, published.month
    if published >= DECREE_62_IN_FORCE:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    period = f"{year:04d}-{month:02d}"
    log.warning(
        "GSO report title %r names no period; took %s from its publication date %s",
        title, period, published.isoformat(),
    )  # fmt: skip
    return period


def discover(
    get: Callable[[str], bytes],
    *,
    listing_url: str = LISTING_URL,
    max_pages: int | None = None,
    since: date | None = None,
) -> list[ReleaseRef]:
    """The GSO monthly workbooks the listing shows, oldest first.

    `get` returns the bytes at a URL (the shared HTTP session or the local mirror). Walks the
    listing pages (at most `max_pages`), stops at the first page reaching reports published
    before `since` and leaves those out, then opens each report page to find its workbook.
    """
    if max_pages is not None and max_pages < 1:
        raise ValueError(f"max_pages must be at least 1, got {max_pages}")
    refs = [_release(get, item) for item in _walk_listing(get, listing_url, max_pages, since)]
    return sorted(refs, key=lambda ref: (ref.published_at, ref.reference_period, ref.url))


def _walk_listing(
    get: Callable[[str], bytes], listing_url: str, max_pages: int | None, since: date | None
) -> list[ListingItem]:
    items: dict[str, ListingItem] = {}
    page, last = 1, 1
    while page <= last:
        url = listing_page_url(listing_url, page)
        found, pages = parse_listing(get(url), url)
        last = pages if max_pages is None else min(pages, max_pages)
        # setdefault: a report posted while we walk pushes the others down a page, so one may
        # be listed twice.
        for item in found:
            if since is None or item.published >= since:
                items.setdefault(item.url, item)
        if since is not None and any(item.published < since for item in found):
            log.info("GSO listing page %s reaches reports before %s; stopping there", url, since)
            break
        page += 1
    return list(items.values())


def _release(get: Callable[[str], bytes], item: ListingItem) -> ReleaseRef:
    workbook = parse_report(get(item.url), item.url)
    return ReleaseRef(
        source=NAME,
        dataset=DATASET,
        url=workbook,
        published_at=datetime.combine(item.published, time()),
        reference_period=reference_period(item.title, item.published),
        title=item.title,
        page_url=item.url,
    )


def _soup(html: bytes | str) -> BeautifulSoup:
    # GSO's WordPress serves UTF-8; decoding here keeps BeautifulSoup from guessing an encoding.
    text = html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html
    return BeautifulSoup(text, "html.parser")


def _listing_items(container: Tag, page_url: str) -> Iterator[ListingItem]:
    """The entries among the container's direct children: a <p><a> then its <section>."""
    link: Tag | None = None
    for child in container.find_all(recursive=False):
        if child.name == "p" and (anchor := child.select_one("a[href]")) is not None:
            if link is not None:
                raise _missing_section(page_url, link)
            link = anchor
        elif child.name == "section" and link is not None:
            yield _listing_item(link, child, page_url)
            link = None
    if link is not None:
        raise _missing_section(page_url, link)


def _listing_item(link: Tag, section: Tag, page_url: str) -> ListingItem:
    url = urljoin(page_url, str(link.get("href", "")).strip())
    span = section.select_one("span.archive-issue-date")
    if span is None:
        raise DiscoveryError(
            f"{page_url}: expected a span.archive-issue-date in the entry for {url}, found none; "
            f"{_NEXT_STEP}"
        )
    text = span.get_text(" ", strip=True)
    match = _LISTED_DATE.search(text)
    try:
        if match is None:
            raise ValueError(text)
        published = date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        raise DiscoveryError(
            f"{page_url}: expected the date of {url} to end with dd/mm/yyyy, found {text!r}; "
            f"{_NEXT_STEP}"
        ) from None
    # The NSO variant of the listing leaves the link empty and puts the title in the section.
    heading = section.select_one("h2, h3")
    title = nfc(link.get_text(" ", strip=True)) or nfc(heading.get_text(" ") if heading else "")
    return ListingItem(url=url, title=title, published=published)


def _missing_section(page_url: str, link: Tag) -> DiscoveryError:
    href = urljoin(page_url, str(link.get("href", "")))
    return DiscoveryError(
        f"{page_url}: expected a <section> with the date after the link to {href}, found none; "
        f"{_NEXT_STEP}"
    )


def _page_count(soup: BeautifulSoup) -> int:
    # WordPress draws the current page as span.page-numbers.current, not a link, so the links
    # alone undercount on the last page. No pagination at all means everything fits on one page.
    numbers = [
        int(text)
        for element in soup.select("div.pagination-wrap .page-numbers")
        if (text := element.get_text(strip=True)).isdigit()
    ]
    return max(numbers, default=1)


def _attachments_widget(soup: BeautifulSoup, page_url: str) -> Tag:
    widget = soup.select_one(f"section#{ATTACHMENTS_WIDGET_ID}")
    if widget is not None:
        return widget
    # Fallback: "-3" is the WordPress widget's instance number, which changes when an editor
    # removes and re-adds the widget; any file_attachments_widget-N section is the same widget.
    widget = soup.select_one('section[id^="file_attachments_widget"]')
    if widget is not None:
        log.warning(
            "%s has no section#%s; using section#%s instead",
            page_url, ATTACHMENTS_WIDGET_ID, widget.get("id"),
        )  # fmt: skip
        return widget
    raise DiscoveryError(
        f"{page_url}: expected the workbook link in section#{ATTACHMENTS_WIDGET_ID} (or another "
        f"file_attachments_widget section), found no such section; {_NEXT_STEP}"
    )


def _with_year(text: str, match: re.Match[str], month: int, published: date) -> str:
    """`YYYY-MM` with the year named after the period in the title, else the nearest past one."""
    year_match = _YEAR.search(text, match.start()) or _YEAR.search(text)
    if year_match is not None:
        return f"{int(year_match.group(1)):04d}-{month:02d}"
    year = published.year if month <= published.month else published.year - 1
    log.info("GSO report title %r names no year; took %d from its publication date", text, year)
    return f"{year:04d}-{month:02d}"


def read(paths: list[Path], ref: ReleaseRef) -> WorkbookTables:
    """The tables of a GSO monthly workbook (the release's only file)."""
    return read_gso_tables(paths[0], ref.reference_period or None)


def normalise(found: WorkbookTables, ref: ReleaseRef) -> Contents:
    """The workbook's tables as observations, in the release's month."""
    observations, rejected = normalise_workbook(found)
    period = ref.reference_period or f"{found.reference_period.start:%Y-%m}"
    return Contents(observations, rejected, period)


def listing_url() -> str:
    """The listing discovery starts from: on CHISO_GSO_BASE_URL when set, else on GSO's site."""
    base = os.environ.get(BASE_URL_ENV, "").strip().rstrip("/") or BASE_URL
    return base + LISTING_PATH


def _discover(get: Get, since: date | None) -> list[ReleaseRef]:
    return discover(get, listing_url=listing_url(), since=since)


def settle(found: WorkbookTables, contents: Contents, ref: ReleaseRef) -> Contents:
    """The validated release with its cell accounting: every numeric cell of every sheet."""
    cells = account(found.grids, found.tables, contents.observations, contents.rejected,
                    contents.repeated)
    return replace(contents, cells=cells)


def watched() -> tuple[str, ...]:
    """The page a new report appears on first: the listing's first page."""
    return (listing_url(),)


SOURCE = Source(NAME, read=read, normalise=normalise, discover=_discover, settle=settle,
                watch=watched)
