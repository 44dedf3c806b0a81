"""GSO discovery against the bundled mirror: listing pages, report pages, reference periods."""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from flows.core.config import BUNDLED_MIRROR
from flows.core.errors import DiscoveryError, FetchError
from flows.core.model import ReleaseRef
from flows.sources import gso

SHARED_GSO = Path(__file__).resolve().parents[1].parent / "shared" / "releases" / "gso"
UPLOADS = "https://www.gso.gov.vn/wp-content/uploads"
REPORTS = "https://www.gso.gov.vn/du-lieu-va-so-lieu-thong-ke"
PAGE_2 = gso.LISTING_URL + "?paged=2"
BC = "Báo cáo tình hình kinh tế – xã hội "

# (reference period, publication date, workbook URL, report page URL), oldest first.
# From the August 2024 report on (Decree 62/2024) the report comes out on the 6th of the next
# month, and both the page and the workbook sit under the month of posting.
EXPECTED = [
    ("2024-01", date(2024, 1, 29), f"{UPLOADS}/2024/01/02-Bieu-T1-2024-1.xlsx",
     f"{REPORTS}/2024/01/bao-cao-tinh-hinh-kinh-te-xa-hoi-thang-mot-nam-2024/"),
    ("2024-02", date(2024, 2, 29), f"{UPLOADS}/2024/02/02-Bieu-T2.2024-1.xlsx",
     f"{REPORTS}/2024/02/bao-cao-tinh-hinh-kinh-te-xa-hoi-thang-hai-va-2-thang-nam-2024/"),
    ("2024-03", date(2024, 3, 29), f"{UPLOADS}/2024/03/02-Bieu-3.2024-ngay-28.3-1.xlsx",
     f"{REPORTS}/2024/03/bao-cao-tinh-hinh-kinh-te-xa-hoi-quy-i-nam-2024/"),
    ("2024-04", date(2024, 4, 29), f"{UPLOADS}/2024/04/02.-Bieu-so-lieu-T4.2024-1.xlsx",
     f"{REPORTS}/2024/04/bao-cao-tinh-hinh-kinh-te-xa-hoi-thang-tu-va-4-thang-nam-2024/"),
    ("2024-05", date(2024, 5, 29), f"{UPLOADS}/2024/05/02-Bieu-so-lieu-T5.2024-1.xlsx",
     f"{REPORTS}/2024/05/bao-cao-tinh-hinh-kinh-te-xa-hoi-thang-nam-va-5-thang-nam-2024/"),
    ("2024-06", date(2024, 6, 29), f"{UPLOADS}/2024/06/02.Bieu-T6.2024.xlsx",
     f"{REPORTS}/2024/06/bao-cao-tinh-hinh-kinh-te-xa-hoi-quy-ii-va-6-thang-dau-nam-2024/"),
    ("2024-07", date(2024, 7, 29), f"{UPLOADS}/2024/07/02-Bieu-so-lieu-T7.2024.xlsx",
     f"{REPORTS}/2024/07/bao-cao-tinh-hinh-kinh-te-xa-hoi-thang-bay-va-7-thang-nam-2024/"),
    ("2024-08", date(2024, 9, 6), f"{UPLOADS}/2024/09/02.-Bieu-T8.2024.xlsx",
     f"{REPORTS}/2024/09/bao-cao-tinh-hinh-kinh-te-xa-hoi-thang-tam-va-8-thang-nam-2024/"),
    ("2024-09", date(2024, 10, 6), f"{UPLOADS}/2024/10/2.Bieu-T9.2024.xlsx",
     f"{REPORTS}/2024/10/bao-cao-tinh-hinh-kinh-te-xa-hoi-quy-iii-va-9-thang-nam-2024/"),
    ("2024-10", date(2024, 11, 6), f"{UPLOADS}/2024/11/02.-Bieu-T10.2024.xlsx",
     f"{REPORTS}/2024/11/bao-cao-tinh-hinh-kinh-te-xa-hoi-thang-muoi-va-10-thang-nam-2024/"),
    ("2024-11", date(2024, 12, 6), f"{UPLOADS}/2024/12/02.-Bieu-T11.2024.xlsx",
     f"{REPORTS}/2024/12/bao-cao-tinh-hinh-kinh-te-xa-hoi-thang-muoi-mot-va-11-thang-nam-2024-2/"),
    ("2024-12", date(2025, 1, 6), f"{UPLOADS}/2025/01/02.Bieu-T12.2024.xlsx",
     f"{REPORTS}/2025/01/bao-cao-tinh-hinh-kinh-te-xa-hoi-quy-iv-va-nam-2024/"),
]  # fmt: skip
SEPTEMBER_PAGE = EXPECTED[8][3]
JUNE_PAGE = EXPECTED[5][3]


def mirror_path(url: str) -> Path:
    """`url` as wget mirrors it: <host>/<path>, index.html for "/", the query after an "@"."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if path.endswith("/"):
        path += "index.html"
    if parts.query:
        path += "@" + parts.query.replace(":", "%3A")
    return BUNDLED_MIRROR / parts.netloc / path.lstrip("/")


class MirrorGet:
    """A `get` for discovery that reads the bundled mirror and remembers what it was asked."""

    def __init__(self, overrides: dict[str, bytes] | None = None) -> None:
        self.requested: list[str] = []
        self.overrides = overrides or {}

    def __call__(self, url: str) -> bytes:
        self.requested.append(url)
        if url in self.overrides:
            return self.overrides[url]
        path = mirror_path(url)
        if not path.is_file():
            raise FetchError(f"{url}: not in the bundled mirror (expected {path})")
        return path.read_bytes()


def page(body: str) -> str:
    return f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>"


def widget(links: str, widget_id: str = "file_attachments_widget-3") -> str:
    return page(f'<section id="{widget_id}" class="widget"><ul>{links}</ul></section>')


@pytest.fixture(scope="module")
def discovered() -> list[ReleaseRef]:
    return gso.discover(MirrorGet())


def test_discovers_the_twelve_2024_releases(discovered: list[ReleaseRef]) -> None:
    got = [(r.reference_period, r.published_at, r.url, r.page_url) for r in discovered]
    want = [(p, datetime(d.year, d.month, d.day), u, pg) for p, d, u, pg in EXPECTED]
    assert got == want
    assert {(r.source, r.dataset) for r in discovered} == {("gso", "monthly-workbook")}
    assert discovered[7].title == "Báo cáo tình hình kinh tế – xã hội tháng Tám và 8 tháng năm 2024"
    assert discovered[11].title == "Báo cáo tình hình kinh tế – xã hội quý IV và năm 2024"


def test_every_discovered_workbook_is_in_the_mirror(discovered: list[ReleaseRef]) -> None:
    for ref in discovered:
        path = mirror_path(ref.url)
        assert path.is_file(), f"{ref.url} is not mirrored at {path}"
        assert path.read_bytes()[:4] == b"PK\x03\x04", f"{path} is not an .xlsx (zip) file"


def test_listing_pages_and_page_count() -> None:
    get = MirrorGet()
    first, pages = gso.parse_listing(get(gso.LISTING_URL), gso.LISTING_URL)
    assert pages == 2
    assert len(first) == 10
    assert first[0].published == date(2025, 1, 6)
    assert first[-1].published == date(2024, 3, 29)
    # On the last page the current page number is a span, not a link: still two pages.
    second, pages = gso.parse_listing(get(PAGE_2), PAGE_2)
    assert pages == 2
    assert [item.published for item in second] == [date(2024, 2, 29), date(2024, 1, 29)]
    assert second[1].title == "Báo cáo tình hình kinh tế – xã hội tháng Một năm 2024"


def test_discover_walks_every_listing_page() -> None:
    get = MirrorGet()
    gso.discover(get)
    assert [url for url in get.requested if "hang-thang" in url] == [gso.LISTING_URL, PAGE_2]


def test_max_pages_stops_after_that_many_pages() -> None:
    get = MirrorGet()
    refs = gso.discover(get, max_pages=1)
    assert [r.reference_period for r in refs] == [p for p, *_ in EXPECTED[2:]]
    assert PAGE_2 not in get.requested


def test_since_stops_at_the_first_page_reaching_older_reports() -> None:
    get = MirrorGet()
    refs = gso.discover(get, since=date(2024, 6, 1))
    assert [r.reference_period for r in refs] == [p for p, *_ in EXPECTED[5:]]
    assert PAGE_2 not in get.requested
    # Older reports are not opened either.
    assert EXPECTED[4][3] not in get.requested
    assert len(get.requested) == 1 + 7


def test_since_is_inclusive_and_reaches_the_next_page_when_needed() -> None:
    refs = gso.discover(MirrorGet(), since=date(2024, 2, 29))
    assert [r.reference_period for r in refs] == [p for p, *_ in EXPECTED[1:]]


def test_a_pdf_listed_first_is_skipped() -> None:
    html = MirrorGet()(SEPTEMBER_PAGE)
    assert b'.pdf">' in html.split(b"file_attachments_widget-3")[1].split(b".xlsx")[0]
    assert gso.parse_report(html, SEPTEMBER_PAGE) == f"{UPLOADS}/2024/10/2.Bieu-T9.2024.xlsx"


def test_the_first_of_twin_workbooks_is_taken() -> None:
    html = MirrorGet()(JUNE_PAGE)
    assert b"02.Bieu-T6.2024-EN.xlsx" in html
    assert gso.parse_report(html, JUNE_PAGE) == f"{UPLOADS}/2024/06/02.Bieu-T6.2024.xlsx"


@pytest.mark.parametrize(
    ("links", "want"),
    [
        ('<a href="/uploads/B.XLSX">x</a>', "/uploads/B.XLSX"),
        ('<a href="a.pdf">r</a><a href="Bieu-T8.xls?ver=2">x</a>', "/r/Bieu-T8.xls?ver=2"),
        ('<a href="x.xlsx.pdf">r</a><a href="https://cdn.example/B.xlsx#t">x</a>', "https://cdn.example/B.xlsx#t"),
    ],
)  # fmt: skip
def test_workbook_links_by_suffix_ignoring_case_and_query(links: str, want: str) -> None:
    got = gso.parse_report(widget(links), "https://www.gso.gov.vn/r/")
    assert got == (want if want.startswith("https:") else "https://www.gso.gov.vn" + want)


def test_links_outside_the_widget_are_ignored() -> None:
    html = page(
        '<a href="/old.xlsx">old</a>'
        '<section id="file_attachments_widget-3"><a href="/new.xlsx">new</a></section>'
    )
    assert gso.parse_report(html, "https://www.gso.gov.vn/r/") == "https://www.gso.gov.vn/new.xlsx"


def test_another_attachments_widget_instance_is_accepted(caplog: pytest.LogCaptureFixture) -> None:
    html = widget('<a href="/B.xlsx">B</a>', widget_id="file_attachments_widget-7")
    with caplog.at_level(logging.WARNING, logger="flows.sources.gso"):
        assert (
            gso.parse_report(html, "https://www.gso.gov.vn/r/") == "https://www.gso.gov.vn/B.xlsx"
        )
    assert "file_attachments_widget-7" in caplog.text


def test_a_report_page_without_the_widget_names_its_url() -> None:
    url = "https://www.gso.gov.vn/du-lieu-va-so-lieu-thong-ke/2024/09/moved/"
    html = page('<aside><a href="/B.xlsx">B</a></aside>')
    with pytest.raises(DiscoveryError, match="file_attachments_widget-3") as info:
        gso.parse_report(html, url)
    assert url in str(info.value)
    assert "update flows/sources/gso.py" in str(info.value)


def test_a_widget_without_a_workbook_says_what_it_found() -> None:
    url = "https://www.gso.gov.vn/r/"
    with pytest.raises(DiscoveryError, match=r"\.xlsx or \.xls") as info:
        gso.parse_report(widget('<a href="/r.pdf">r</a>'), url)
    assert url in str(info.value)
    assert "/r.pdf" in str(info.value)


def test_a_listing_without_archive_container_names_its_url() -> None:
    html = page('<div class="posts"><p><a href="/a/">a</a></p></div>').encode()
    with pytest.raises(DiscoveryError, match=r"div\.archive-container") as info:
        gso.parse_listing(html, PAGE_2)
    assert PAGE_2 in str(info.value)
    assert "GSO may have changed its layout" in str(info.value)


def test_discover_reports_the_listing_page_that_lost_its_structure() -> None:
    get = MirrorGet({PAGE_2: page("<main>Không tìm thấy</main>").encode()})
    with pytest.raises(DiscoveryError, match=r"paged=2"):
        gso.discover(get)


def test_discover_reports_the_report_page_that_lost_its_widget() -> None:
    get = MirrorGet({SEPTEMBER_PAGE: page("<article>…</article>").encode()})
    with pytest.raises(DiscoveryError) as info:
        gso.discover(get)
    assert SEPTEMBER_PAGE in str(info.value)


@pytest.mark.parametrize(
    ("entry", "missing"),
    [
        ('<p><a href="/a/">a</a></p><section><span class="x">06/09/2024</span></section>',
         "span.archive-issue-date"),
        ('<p><a href="/a/">a</a></p><section><span class="archive-issue-date">6/9</span></section>',
         "dd/mm/yyyy"),
        ('<p><a href="/a/">a</a></p>', "<section>"),
        ("<p>no link</p>", "no report entries"),
    ],
)  # fmt: skip
def test_a_broken_listing_entry_says_what_is_missing(entry: str, missing: str) -> None:
    html = page(f'<div class="archive-container">{entry}</div>')
    with pytest.raises(DiscoveryError, match=missing) as info:
        gso.parse_listing(html, gso.LISTING_URL)
    assert gso.LISTING_URL in str(info.value)


def test_a_listing_without_pagination_is_one_page() -> None:
    html = page(
        '<div class="archive-container"><p><a href="/du-lieu/a/">Báo cáo quý I năm 2024</a></p>'
        '<section><span class="archive-issue-date">Ngày đăng: 29/03/2024</span></section></div>'
    )
    items, pages = gso.parse_listing(html, gso.LISTING_URL)
    assert pages == 1
    want = ("https://www.gso.gov.vn/du-lieu/a/", "Báo cáo quý I năm 2024", date(2024, 3, 29))
    assert [(item.url, item.title, item.published) for item in items] == [want]


@pytest.mark.parametrize(
    ("title", "published", "want"),
    [
        (BC + "tháng Tám và 8 tháng năm 2024", date(2024, 9, 6), "2024-08"),
        ("Tình hình kinh tế – xã hội tháng 8 năm 2024", date(2024, 9, 6), "2024-08"),
        ("Tình hình kinh tế - xã hội tháng 9/2024", date(2024, 10, 6), "2024-09"),
        (BC + "quý III và 9 tháng năm 2024", date(2024, 10, 6), "2024-09"),
        (BC + "quý I năm 2024", date(2024, 3, 29), "2024-03"),
        (BC + "quý II và 6 tháng đầu năm 2024", date(2024, 6, 29), "2024-06"),
        ("Tình hình kinh tế – xã hội 6 tháng đầu năm 2024", date(2024, 6, 29), "2024-06"),
        (BC + "quý IV và năm 2024", date(2025, 1, 6), "2024-12"),
        ("Tình hình kinh tế – xã hội năm 2024", date(2025, 1, 6), "2024-12"),
        (BC + "tháng Một năm 2024", date(2024, 1, 29), "2024-01"),
        (BC + "tháng Hai và 2 tháng năm 2024", date(2024, 2, 29), "2024-02"),
        (BC + "tháng Ba năm 2024", date(2024, 3, 29), "2024-03"),
        (BC + "tháng Tư và 4 tháng năm 2024", date(2024, 4, 29), "2024-04"),
        # "Năm" is May here; "5 tháng năm 2024" is "five months of 2024".
        (BC + "tháng Năm và 5 tháng năm 2024", date(2024, 5, 29), "2024-05"),
        (BC + "tháng Sáu năm 2024", date(2024, 6, 29), "2024-06"),
        (BC + "tháng Bảy và 7 tháng năm 2024", date(2024, 7, 29), "2024-07"),
        (BC + "tháng Chín năm 2024", date(2024, 10, 6), "2024-09"),
        (BC + "tháng Mười và 10 tháng năm 2024", date(2024, 11, 6), "2024-10"),
        (BC + "tháng Mười một và 11 tháng năm 2024", date(2024, 12, 6), "2024-11"),
        (BC + "tháng Mười hai năm 2024", date(2025, 1, 6), "2024-12"),
        (BC.upper() + "THÁNG MƯỜI MỘT NĂM 2024", date(2024, 12, 6), "2024-11"),
        # Decomposed letters (NFD), as some pages carry them, are folded to NFC first.
        ("Báo cáo tháng Ba\u0309y năm 2024", date(2024, 7, 29), "2024-07"),
        # The year in the title names the period, not the publication date's year.
        ("Tình hình kinh tế – xã hội tháng 12 năm 2023", date(2024, 1, 6), "2023-12"),
        # No year in the title: the latest such month on or before publication.
        (BC + "tháng Mười hai", date(2025, 1, 6), "2024-12"),
    ],
)
def test_reference_period_from_the_title(title: str, published: date, want: str) -> None:
    assert gso.reference_period(title, published) == want


@pytest.mark.parametrize(
    ("published", "want"),
    [
        (date(2024, 7, 29), "2024-07"),  # before Decree 62/2024: the month of publication
        (date(2024, 9, 6), "2024-08"),  # from August 2024: the month before
        (date(2025, 1, 6), "2024-12"),
    ],
)
def test_reference_period_falls_back_on_the_release_calendar(
    published: date, want: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="flows.sources.gso"):
        assert gso.reference_period("Báo cáo tình hình kinh tế – xã hội", published) == want
    assert "names no period" in caplog.text


def test_listing_page_url() -> None:
    assert gso.listing_page_url(gso.LISTING_URL, 1) == gso.LISTING_URL
    assert gso.listing_page_url(gso.LISTING_URL, 3) == gso.LISTING_URL + "?paged=3"
    assert gso.listing_page_url("https://h/list/?cat=5", 2) == "https://h/list/?cat=5&paged=2"


def test_max_pages_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="max_pages"):
        gso.discover(MirrorGet(), max_pages=0)


@pytest.mark.extended
def test_mirrored_workbooks_are_the_published_files_unchanged() -> None:
    if not SHARED_GSO.is_dir():
        pytest.skip(f"{SHARED_GSO} is absent: the shared releases are for developers and CI only")
    for _, published, url, _ in EXPECTED:
        name = url.rsplit("/", 1)[1]
        (source,) = SHARED_GSO.glob(f"2024-??-??-{name}")
        mirrored = mirror_path(url)
        assert mirrored.read_bytes() == source.read_bytes(), f"{mirrored} differs from {source}"
        assert url.startswith(f"{UPLOADS}/{published:%Y/%m}/")
