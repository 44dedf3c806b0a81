"""www.gso.gov.vn served on 127.0.0.1 from the bundled mirror, its absolute links moved onto
the local server: the network-fault tests script faults on it, the release-day tests and
benchmark post a new report on it at a chosen moment."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler

from bs4 import BeautifulSoup

from flows import fetch
from flows.core.config import BUNDLED_MIRROR
from flows.sources import gso

from httpserver import LocalServer, Seen, static, status

GSO = "https://www.gso.gov.vn"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The last two reports of the bundled listing: November 2024's (posted 6 December 2024) and
# December 2024's (posted 6 January 2025), and December's workbook.
_REPORTS = f"{GSO}/du-lieu-va-so-lieu-thong-ke"
NOVEMBER_2024 = (f"{_REPORTS}/2024/12/"
                 "bao-cao-tinh-hinh-kinh-te-xa-hoi-thang-muoi-mot-va-11-thang-nam-2024-2/")
DECEMBER_2024 = f"{_REPORTS}/2025/01/bao-cao-tinh-hinh-kinh-te-xa-hoi-quy-iv-va-nam-2024/"
DECEMBER_2024_WORKBOOK = "/wp-content/uploads/2025/01/02.Bieu-T12.2024.xlsx"


class GsoSite(LocalServer):
    """www.gso.gov.vn from the bundled mirror, its absolute links rewritten to this server;
    a path given a route answers as scripted instead."""

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.path in self._routes:
            return super().answer(handler)
        with self._lock:
            self.seen.append(Seen(handler.path, dict(handler.headers.items())))
        return mirrored(handler, self.url(""))


def mirrored(handler: BaseHTTPRequestHandler, base: str) -> None:
    """The mirror's copy of `GSO + handler.path`; HTML with GSO's links moved onto `base`."""
    copy = fetch.mirror_path(GSO + handler.path, BUNDLED_MIRROR)
    if not copy.is_file():
        return status(404)(handler)
    body = copy.read_bytes()
    if copy.name.startswith("index.html"):
        return static(body.replace(GSO.encode(), base.encode()), content_type="text/html")(handler)
    return static(body, content_type=XLSX)(handler)


def workbook(target: str) -> bytes:
    return fetch.mirror_path(GSO + target, BUNDLED_MIRROR).read_bytes()


class ReleaseDaySite(GsoSite):
    """GSO's site on a release day: the listing (one page, with an ETag, answering 304 to a
    matching If-None-Match as WordPress behind a cache does) shows the reports `shown`, and
    the report `new` as well once `post()` is called."""

    def __init__(self, shown: Iterable[str], new: str) -> None:
        super().__init__()
        self.shown, self.new, self.posted = tuple(shown), new, False
        self.not_modified = 0  # 304s answered

    def post(self) -> None:
        self.posted = True

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.path != gso.LISTING_PATH:
            return super().answer(handler)
        body = self.listing()
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        with self._lock:
            self.seen.append(Seen(handler.path, dict(handler.headers.items())))
            self.not_modified += handler.headers.get("If-None-Match") == etag
        return static(body, etag=etag, content_type="text/html")(handler)

    def listing(self) -> bytes:
        """The mirror's first listing page with only the reports on show, on one page."""
        page = fetch.mirror_path(GSO + gso.LISTING_PATH, BUNDLED_MIRROR).read_text("utf-8")
        soup = BeautifulSoup(page.replace(GSO, self.url("")), "html.parser")
        wanted = {self.url(_path(url)) for url in (*self.shown, *([self.new] * self.posted))}
        container = soup.select_one("div.archive-container")
        assert container is not None
        for link in container.select("p > a[href]"):
            if link["href"] not in wanted:
                entry = link.parent
                assert entry is not None
                section = entry.find_next_sibling("section")
                assert section is not None
                section.decompose()
                entry.decompose()
        for pagination in soup.select("div.pagination-wrap"):
            pagination.decompose()
        return str(soup).encode("utf-8")


def _path(url: str) -> str:
    return url.removeprefix(GSO)
