"""The two Hải Phòng sources against the bundled mirror: discovery from the category listings,
report pages, pages that lost their structure, and both September 2024 reports end to end."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flows.archive import Archive
from flows.core.config import BUNDLED_MIRROR
from flows.core.errors import DiscoveryError, NotAReportPageError, ReadError
from flows.core.model import ReleaseRef
from flows.fetch import get_bytes
from flows.pipeline import Outcome, fetch_release, load_archived, read_release
from flows.sources import haiphong_doit, haiphong_stats, source
from flows.sources.haiphong import NewsSite, parse_listing, parse_report_page, reference_period
from warehouse.connect import writer

STATS = "https://thongkehaiphong.gov.vn"
DOIT = "https://socongthuong.haiphong.gov.vn"
STATS_2024 = (f"{STATS}/thong-tin-kinh-te-xa-hoi/"
              "tinh-hinh-kinh-te-xa-hoi-thang-9-9-thang-nam-2024-thanh-pho-hai-phong-586.html")
STATS_2019 = (f"{STATS}/tinh-hinh-kinh-te-xa-hoi/"
              "tinh-hinh-kinh-te-xa-hoi-thanh-pho-hai-phong-thang-9-2019-59.html")
DOIT_REPORT = "tinh-hinh-thuc-hien-ke-hoach-san-xuat-cong-nghiep-va-hoat-dong-thuong-mai"
DOIT_AUG = f"{DOIT}/tin-tuc-su-kien/{DOIT_REPORT}-thang-8-va-8-thang-nam-705944"
DOIT_SEP = f"{DOIT}/thong-tin-chi-dao-dieu-hanh/{DOIT_REPORT}-thang-9-va-9-thang-nam-711409"
STATS_PAGE_2 = f"{STATS}/tinh-hinh-kinh-te-xa-hoi/page-2"
DOIT_PAGE_2 = f"{DOIT}/tin-tuc-su-kien/page-2"

# (page, published_at from its date line, reference period), oldest first.
EXPECTED = {
    "haiphong_stats": [
        (STATS_2019, datetime(2019, 9, 29, 11, 10), "2019-09"),
        (STATS_2024, datetime(2024, 9, 29, 10, 30), "2024-09"),
    ],
    "haiphong_doit": [
        (DOIT_AUG, datetime(2024, 9, 5, 15, 20), "2024-08"),
        (DOIT_SEP, datetime(2024, 10, 4, 9, 45), "2024-09"),
    ],
}
SITES = {"haiphong_stats": haiphong_stats.SITE, "haiphong_doit": haiphong_doit.SITE}

Get = Callable[[str], bytes]


def mirror(seen: list[str] | None = None, replace: dict[str, bytes] | None = None) -> Get:
    """The bundled mirror as discovery sees it, recording each URL asked for; `replace` serves
    other bytes for some URLs (a page that lost its structure)."""

    def get(url: str) -> bytes:
        if seen is not None:
            seen.append(url)
        if replace and url in replace:
            return replace[url]
        return get_bytes(url, mirror=BUNDLED_MIRROR)

    return get


def report_page(body: str, *, title: str = "Tình hình KT-XH TP Hải Phòng tháng 1 năm 2023",
                dateline: str = "Thứ ba - 31/01/2023 16:05", body_tag: str = "") -> bytes:
    """A report page in NukeViet's detail structure around `body`."""
    wrapper = body_tag or '<div id="news-bodyhtml" class="bodytext margin-bottom-lg">'
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
        '<div class="news_column panel panel-default"><div class="panel-body">'
        f'<h1 class="title margin-bottom-lg">{title}</h1>'
        f'<div class="row"><div class="col-md-12"><span class="h5">{dateline}</span></div></div>'
        '<div class="clearfix"><div class="hometext m-bottom">Tóm tắt.</div></div>'
        f"{wrapper}{body}</div></div></div></body></html>"
    ).encode()


# -- discovery ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SITES))
def test_discovery_finds_the_monthly_reports_and_nothing_else(name: str) -> None:
    seen: list[str] = []
    refs = SITES[name].discover(mirror(seen), None)
    found = [(ref.url, ref.published_at, ref.reference_period) for ref in refs]
    assert found == EXPECTED[name]
    assert all(ref.source == name and ref.dataset == "monthly-report" for ref in refs)
    assert all(ref.page_url == ref.url and ref.title for ref in refs)
    # Pagination is followed, and no page outside the listings and the reports is opened: the
    # press releases, price indices and fair notices on the listings are filtered by title.
    assert (STATS_PAGE_2 if name == "haiphong_stats" else DOIT_PAGE_2) in seen
    reports = {url for url, _, _ in EXPECTED[name]}
    listings = set(SITES[name].listings) | {STATS_PAGE_2, DOIT_PAGE_2}
    assert set(seen) <= reports | listings
    # Each report is opened once, the 2024 one listed under three categories too.
    assert all(seen.count(url) == 1 for url in reports)


def test_the_sources_are_registered_with_their_discovery() -> None:
    from flows.sources import SOURCES

    for name in SITES:
        assert SOURCES[name].discover is not None and SOURCES[name].accepts == (".html",)


def test_since_stops_at_older_listing_pages() -> None:
    seen: list[str] = []
    refs = haiphong_stats.SITE.discover(mirror(seen), date(2024, 1, 1))
    assert [ref.url for ref in refs] == [STATS_2024]
    # Page 1 of tinh-hinh-kinh-te-xa-hoi already lists a 2020 article: page 2 is not fetched.
    assert STATS_PAGE_2 not in seen and STATS_2019 not in seen

    seen.clear()
    refs = haiphong_doit.SITE.discover(mirror(seen), date(2024, 9, 10))
    assert [ref.url for ref in refs] == [DOIT_SEP]
    assert DOIT_AUG not in seen  # listed on 05/09/2024, before `since`: its page is not opened


def test_a_listing_page_gives_its_items_and_the_next_page() -> None:
    url = f"{DOIT}/tin-tuc-su-kien/"
    first = parse_listing(mirror()(url), url)
    assert first.next_url == DOIT_PAGE_2
    second = parse_listing(mirror()(DOIT_PAGE_2), DOIT_PAGE_2)
    assert second.next_url is None
    assert (second.items[0].url, second.items[0].listed) == (DOIT_AUG, date(2024, 9, 5))


@pytest.mark.parametrize(
    ("title", "published", "expected"),
    [
        ("Tình hình kinh tế - xã hội thành phố Hải Phòng tháng 9/2019", date(2019, 9, 29),
         "2019-09"),
        ("Tình hình KT-XH TP Hải Phòng tháng 1 năm 2023", date(2023, 1, 31), "2023-01"),
        ("Tình hình KT-XH tháng 6, 6 tháng năm 2018 thành phố Hải Phòng", date(2018, 6, 29),
         "2018-06"),
        ("Tình hình kinh tế - xã hội thành phố Hải Phòng 8 tháng năm 2022", date(2022, 10, 1),
         "2022-08"),
        ("Tình hình sản xuất công nghiệp, thương mại tháng 9 và 9 tháng năm 2024",
         date(2024, 10, 4), "2024-09"),
        # No year: the latest such month up to publication (December's report out in January).
        ("Tình hình sản xuất công nghiệp, thương mại tháng 12", date(2025, 1, 3), "2024-12"),
        ("Tình hình sản xuất công nghiệp, thương mại tuần này", date(2025, 1, 3), None),
    ],
)
def test_reference_period_from_the_title(title: str, published: date, expected: str) -> None:
    assert reference_period(title, published) == expected


@pytest.mark.parametrize(
    ("site", "title", "is_report"),
    [
        (haiphong_stats.SITE, "Tình hình kinh tế - xã hội thành phố Hải Phòng tháng 9/2019", True),
        (haiphong_stats.SITE, "Tình hình KT-XH TP Hải Phòng tháng 1 năm 2023", True),
        (haiphong_stats.SITE, "Tình hình KT–XH tháng 6, 6 tháng năm 2018 thành phố Hải Phòng",
         True),
        (haiphong_stats.SITE, "Tình hình kinh tế - xã hội cả nước quý III và 9 tháng năm 2024",
         False),
        (haiphong_stats.SITE, "Chỉ số giá tiêu dùng tháng 9 năm 2024 thành phố Hải Phòng", False),
        (haiphong_doit.SITE, "Tình hình sản xuất công nghiệp, thương mại tháng 9 và 9 tháng năm "
         "2024", True),
        (haiphong_doit.SITE, "Tình hình thực hiện kế hoạch sản xuất công nghiệp và hoạt động "
         "thương mại tháng 8 và 8 tháng năm 2024", True),
        (haiphong_doit.SITE, "Tình hình thị trường xăng dầu trên địa bàn thành phố tháng 8 năm "
         "2024", False),
    ],
)
def test_report_titles(site: NewsSite, title: str, is_report: bool) -> None:
    assert site.is_report(title) is is_report


# -- report pages -------------------------------------------------------------------------------


def test_a_report_page_gives_title_date_line_lead_and_body() -> None:
    page = parse_report_page(mirror()(DOIT_SEP), DOIT_SEP)
    assert page.title.startswith("Tình hình thực hiện kế hoạch sản xuất công nghiệp")
    assert page.published == datetime(2024, 10, 4, 9, 45)
    assert page.lead.startswith("Sở Công Thương báo cáo")
    assert page.body_from == "div#news-bodyhtml"
    assert page.body[:2] == ["1. Về sản xuất công nghiệp", "- Kế hoạch năm: tăng 15% so năm 2023."]
    assert "26.351,9 triệu USD" in page.body[-1]
    assert page.text.splitlines()[:2] == [page.title, page.lead]


def test_lists_line_breaks_and_the_older_body_class() -> None:
    html = report_page(
        "<p><strong>1. Sản xuất công nghiệp</strong><br>Đoạn thứ hai.</p>"
        "<ul><li>Ngành khai khoáng</li><li>+ Ngành chế biến</li></ul>"
        "<table><tr><td>Chỉ tiêu</td><td>Ước tính</td></tr></table>",
        body_tag='<div class="bodytext">',
    )
    page = parse_report_page(html, "https://example.invalid/a/b-1.html")
    assert page.body_from == "div.bodytext"
    assert page.body == ["1. Sản xuất công nghiệp", "Đoạn thứ hai.", "- Ngành khai khoáng",
                         "+ Ngành chế biến", "Chỉ tiêu | Ước tính"]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (report_page("<p>Văn bản.</p>", title=""), "expected the report title in h1.title"),
        (report_page("<p>Văn bản.</p>", dateline="Cập nhật gần đây"), "expected the date line"),
        (report_page("<p>Văn bản.</p>", dateline="Thứ hai - 31/02/2023 10:00"),
         "found 31/02/2023 10:00"),
        (report_page("", body_tag='<div class="content">'), "expected the report body"),
    ],
    ids=["no-title", "no-date-line", "impossible-date", "no-body"],
)
def test_a_report_page_without_its_structure_fails_discovery(html: bytes, expected: str) -> None:
    with pytest.raises(DiscoveryError) as raised:
        haiphong_stats.SITE.discover(mirror(replace={STATS_2024: html}), None)
    assert STATS_2024 in str(raised.value) and expected in str(raised.value)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (b"<html><body><h1>503 Service Unavailable</h1></body></html>", "div.news_column"),
        ('<div class="news_column"><h3><a href="/">Trang chủ</a></h3></div>'.encode(),
         "link no article"),
    ],
    ids=["error-page", "no-articles"],
)
def test_a_listing_without_its_structure_fails_discovery(html: bytes, expected: str) -> None:
    listing = haiphong_doit.LISTINGS[0]
    with pytest.raises(DiscoveryError) as raised:
        haiphong_doit.SITE.discover(mirror(replace={listing: html}), None)
    assert str(raised.value).startswith(f"{listing}: ")
    assert expected in str(raised.value)


def test_reading_a_page_that_is_not_a_report_is_a_read_error(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"<html><body><h1>503 Service Unavailable</h1></body></html>")
    ref = ReleaseRef("haiphong_stats", "monthly-report", STATS_2024, datetime(2024, 9, 29),
                     "2024-09")
    with pytest.raises(NotAReportPageError) as raised:
        read_release(haiphong_stats.SOURCE, [path], ref)
    assert isinstance(raised.value, ReadError)
    assert str(raised.value).startswith(f"{STATS_2024}: expected the report title")


def test_the_fallback_body_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    html = report_page("<p>Văn bản.</p>", body_tag='<div class="bodytext_news">')
    with caplog.at_level(logging.WARNING, logger="flows.sources.haiphong"):
        page = parse_report_page(html, "https://example.invalid/a/b-1.html")
    assert page.body_from == "div[class^=bodytext]"
    assert "reading the body from div[class^=bodytext]" in caplog.text


# -- reading and loading (through the prose reader) --------------------------------------------

IIP_YTD_SEPTEMBER_2024 = (
    "indicator = 'IIP' and geo = 'VN-31' and industry = '_T' and measure = 'index_yoy' "
    "and period_type = 'YTD' and period_start = '2024-01-01' and period_end = '2024-09-30'"
)


def september_2024() -> list[ReleaseRef]:
    """Both publishers' September 2024 reports, as discovery finds them in the mirror."""
    get = mirror()
    refs = [ref for site in SITES.values() for ref in site.discover(get, None)]
    return [ref for ref in refs if ref.reference_period == "2024-09"]


def load(refs: list[ReleaseRef], archive: Archive) -> list[Outcome]:
    """Fetch each release from the mirror into the archive and load it, as the flow does."""
    outcomes = []
    with writer() as session:
        for ref in refs:
            files = fetch_release(ref, archive, BUNDLED_MIRROR)
            assert files is not None
            outcomes.append(load_archived(files, session))
    return outcomes


# Every figure each mirror page gives, (series key, period): value; the mirror READMEs say
# where each comes from. "tăng 15,14%" is index_yoy 115.14; a plan "tăng 15% so năm 2023" is
# plan 115 for the year.
IIP_YOY = "IIP.VN-31._T._Z._Z.INDEX_YOY.INDEX"
IIP_PLAN = "IIP.VN-31._T._Z._Z.PLAN.INDEX"
GRDP_YOY = "GRDP.VN-31._T._Z._Z.INDEX_YOY.INDEX"
EXPORTS = "EXPORTS.VN-31._Z._T._Z.LEVEL.USD_MN"
PAGE_FIGURES = {
    STATS_2024: {(IIP_YOY, "2024-YTD09"): 114.09},
    STATS_2019: {
        (GRDP_YOY, "2019-YTD09"): 116.42,
        (GRDP_YOY, "2018-YTD09"): 116.2,  # "(9 tháng/2018 tăng 16,20%)"
        ("GRDP.VN-31._T._Z._Z.PLAN.INDEX", "2019"): 115.5,  # "vượt kế hoạch năm (tăng 15,5%)"
    },
    DOIT_AUG: {(IIP_YOY, "2024-YTD08"): 115.14, (IIP_PLAN, "2024"): 115.0},
    DOIT_SEP: {
        (IIP_YOY, "2024-YTD09"): 115.14,
        (IIP_PLAN, "2024"): 115.0,
        (EXPORTS, "2024-YTD09"): 26351.9,
        ("EXPORTS.VN-31._Z._T._Z.INDEX_YOY.INDEX", "2024-YTD09"): 126.77,
        ("EXPORTS.VN-31._Z._T._Z.PCT_OF_PLAN.PCT", "2024-YTD09"): 79.8,
        (EXPORTS, "2023-YTD09"): 20786.7,
    },
}


@pytest.mark.parametrize("url", sorted(PAGE_FIGURES))
def test_reading_a_report_page(url: str, tmp_path: Path) -> None:
    name = "haiphong_stats" if url.startswith(STATS) else "haiphong_doit"
    ref = next(ref for ref in SITES[name].discover(mirror(), None) if ref.url == url)
    path = tmp_path / "page.html"
    path.write_bytes(mirror()(url))
    contents = read_release(source(name), [path], ref)
    assert contents.reference_period == ref.reference_period
    figures = {(o.series_key, str(o.period)): o.value for o in contents.observations}
    assert figures == PAGE_FIGURES[url]
    assert contents.rejected == []
    # Each figure keeps its sentence as provenance, and the decimals it was published with.
    text = parse_report_page(path.read_bytes(), url).text
    assert all(o.provenance and o.provenance in text for o in contents.observations)
    decimals = {(o.series_key, str(o.period)): o.decimals for o in contents.observations}
    assert decimals.get((IIP_YOY, "2024-YTD09"), 2) == 2  # "14,09%", "15,14%"
    assert decimals.get((EXPORTS, "2024-YTD09"), 1) == 1  # "26.351,9 triệu USD"


def test_a_page_without_figures_is_not_an_empty_release(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(report_page(
        "<p><strong>I. PHÁT TRIỂN KINH TẾ</strong></p>"
        "<p>Thành phố tiếp tục triển khai các nhiệm vụ phát triển kinh tế - xã hội.</p>"
    ))
    ref = ReleaseRef("haiphong_stats", "monthly-report", STATS_2024, datetime(2023, 1, 31),
                     "2023-01")
    with pytest.raises(NotAReportPageError) as raised:
        read_release(haiphong_stats.SOURCE, [path], ref)
    assert str(raised.value).startswith(
        f"no statistical figures in {STATS_2024}: is this a report page?"
    )


def test_both_september_reports_load_and_the_statistics_office_takes_precedence(
    warehouse_env: Path, tmp_path: Path
) -> None:
    archive = Archive(tmp_path / "archive")
    first = load(september_2024(), archive)
    assert [(o.source, o.reference_period, o.status) for o in first] == [
        ("haiphong_stats", "2024-09", "new"), ("haiphong_doit", "2024-09", "new")
    ], [o.message for o in first]
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        # haiphong_stats has precedence 20, haiphong_doit 30 (flows/reference/sources.csv).
        latest = con.execute(
            f"select value, source from v_latest where {IIP_YTD_SEPTEMBER_2024}"
        ).fetchall()
        assert latest == [(114.09, "haiphong_stats")]
        vintages = con.execute(
            f"select source, value, provenance from v_vintages where {IIP_YTD_SEPTEMBER_2024} "
            "order by source"
        ).fetchall()
        assert [(source, value) for source, value, _ in vintages] == [
            ("haiphong_doit", 115.14), ("haiphong_stats", 114.09)
        ]
        assert "15,14%" in vintages[0][2] and "14,09%" in vintages[1][2]

    again = load(september_2024(), archive)
    assert [o.status for o in again] == ["unchanged", "unchanged"]
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        assert con.execute("select count(*) from release").fetchone() == (2,)
