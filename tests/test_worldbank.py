"""The World Bank source: discovery from API headers, pages, nulls, errors, vintages, fetching."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from flows import sources
from flows.archive import Archive
from flows.core.config import BUNDLED_MIRROR, REFERENCE_DIR
from flows.core.errors import DiscoveryError, UnexpectedResponseError
from flows.core.model import ReleaseRef
from flows.core.periods import annual, month, quarter
from flows.fetch import get_bytes, mirror_path
from flows.normalise.worldbank import (
    Asked,
    IndicatorSpec,
    latest_month,
    normalise_pages,
    parse_date,
)
from flows.pipeline import Outcome, fetch_release, load_archived, read_release, store_local
from flows.readers.worldbank import read_pages
from flows.sources import worldbank
from flows.sources.base import Contents
from warehouse.connect import writer

from httpserver import LocalServer, static
from samples import SHARED_RELEASES

FIXTURES = Path(__file__).parent / "fixtures" / "worldbank"
OLDER = FIXTURES / "older"
US_GNI = FIXTURES / "wb_v2_US_NY.GNP.PCAP.CD_1990-1997.json"
WB_IDS = ["NV.IND.MANF.ZS", "NV.IND.MANF.KD.ZG", "NY.GDP.MKTP.KD.ZG", "TX.VAL.TECH.MF.ZS",
          "TX.VAL.MRCH.CD.WT", "BX.KLT.DINV.CD.WD"]
GDP_GROWTH = "GDP.VN._T._Z._Z.INDEX_YOY.INDEX"
MANUF_SHARE = "GDP.VN.C._Z._Z.SHARE.PCT"
API_ERROR = (b'[{"message":[{"id":"120","key":"Invalid value",'
             b'"value":"The provided parameter value is not valid"}]}]')


def mirror_get(url: str) -> bytes:
    return get_bytes(url, mirror=BUNDLED_MIRROR)


@pytest.fixture(scope="module")
def refs() -> dict[str, ReleaseRef]:
    return {ref.dataset: ref for ref in worldbank.discover(mirror_get)}


def files_of(ref: ReleaseRef, mirror: Path = BUNDLED_MIRROR) -> list[Path]:
    return [mirror_path(url, mirror) for url in (ref.url, *ref.parts)]


def read(ref: ReleaseRef) -> Contents:
    return read_release(worldbank.SOURCE, files_of(ref), ref)


def by_year(contents: Contents) -> dict[int, float]:
    return {o.period.start.year: o.value for o in contents.observations}


def load(refs: list[ReleaseRef], archive_root: Path, mirror: Path | None = BUNDLED_MIRROR,
         ) -> list[Outcome]:
    """Fetch each release into the archive and load it, as the source flow does."""
    archive = Archive(archive_root)
    outcomes = []
    with writer() as session:
        for ref in refs:
            files = fetch_release(ref, archive, mirror)
            assert files is not None
            outcomes.append(load_archived(files, session))
    return outcomes


def older_ref(wb_id: str, years: str, published: date, period: str) -> ReleaseRef:
    url = (f"https://api.worldbank.org/v2/country/VNM/indicator/{wb_id}"
           f"?format=json&per_page=1000&date={years}")
    return ReleaseRef("worldbank", wb_id, url, datetime.combine(published, datetime.min.time()),
                      period, title=f"{wb_id}_{years.replace(':', '-')}.json")


OLDER_RELEASES = [
    (OLDER / "NV.IND.MANF.ZS_2000-2004.json",
     older_ref("NV.IND.MANF.ZS", "2000:2004", date(2020, 12, 16), "2004-12")),
    (OLDER / "NY.GDP.MKTP.KD.ZG_2022.json",
     older_ref("NY.GDP.MKTP.KD.ZG", "2022", date(2023, 7, 25), "2022-12")),
]


def load_older(archive_root: Path) -> list[Outcome]:
    archive = Archive(archive_root)
    with writer() as session:
        return [load_archived(store_local([path], ref, archive), session)
                for path, ref in OLDER_RELEASES]


# --- discovery ------------------------------------------------------------------------------


def test_discovery_reads_each_indicator_header(refs: dict[str, ReleaseRef]) -> None:
    assert list(refs) == WB_IDS
    assert {ref.published_at for ref in refs.values()} == {datetime(2025, 7, 1)}
    assert {wb_id: ref.reference_period for wb_id, ref in refs.items()} == {
        "NV.IND.MANF.ZS": "2024-12", "NV.IND.MANF.KD.ZG": "2023-12",
        "NY.GDP.MKTP.KD.ZG": "2024-12", "TX.VAL.TECH.MF.ZS": "2022-12",
        "TX.VAL.MRCH.CD.WT": "2024-12", "BX.KLT.DINV.CD.WD": "2024-12",
    }
    manuf = refs["NV.IND.MANF.ZS"]
    assert manuf.url == ("https://api.worldbank.org/v2/country/VNM/indicator/NV.IND.MANF.ZS"
                         "?format=json&per_page=1000&date=2000:2024")
    assert manuf.parts == () and manuf.title == "Manufacturing, value added (% of GDP)"
    assert sources.source("worldbank") is worldbank.SOURCE
    assert worldbank.SOURCE.accepts == (".json",)


def test_a_two_page_answer_lists_its_second_page(refs: dict[str, ReleaseRef]) -> None:
    gdp = refs["NY.GDP.MKTP.KD.ZG"]
    assert "per_page=15" in gdp.url
    assert gdp.parts == (f"{gdp.url}&page=2",)
    assert all(path.is_file() for path in files_of(gdp))


def test_since_skips_indicators_not_updated_since_then() -> None:
    assert worldbank.discover(mirror_get, date(2025, 7, 2)) == []
    assert len(worldbank.discover(mirror_get, date(2025, 7, 1))) == 6


def test_the_api_error_array_stops_discovery_naming_indicator_and_message() -> None:
    asked: list[str] = []

    def get(url: str) -> bytes:
        asked.append(url)
        return API_ERROR if "/NV.IND.MANF.KD.ZG?" in url else mirror_get(url)

    with pytest.raises(DiscoveryError) as error:
        worldbank.discover(get)
    message = str(error.value)
    assert message.startswith("World Bank indicator NV.IND.MANF.KD.ZG: ")
    assert "120 Invalid value: The provided parameter value is not valid" in message
    assert "worldbank_" in message  # says where to fix it
    assert len(asked) == 2  # stopped at the bad indicator


def test_an_indicator_missing_from_the_csv_is_refused() -> None:
    with pytest.raises(DiscoveryError, match=r"NY\.GNP\.PCAP\.CD"):
        worldbank.discover(mirror_get, wb_ids=["NY.GNP.PCAP.CD"])


# --- reading --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wb_id", "series_key", "year", "value", "decimals", "count"),
    [
        ("NV.IND.MANF.ZS", MANUF_SHARE, 2023, 24.17967, 5, 20),
        # -21.83876 % in 2010: the series' break year, stored as an index below 100.
        ("NV.IND.MANF.KD.ZG", "GDP.VN.C._Z._Z.INDEX_YOY.INDEX", 2010, 78.16124, 5, 24),
        ("NY.GDP.MKTP.KD.ZG", GDP_GROWTH, 2022, 108.5375, 5, 25),
        ("TX.VAL.TECH.MF.ZS", "MANUF_EXPORTS.VN._Z.HIGH_TECH._Z.SHARE.PCT", 2022, 42.68918, 5, 15),
        # 403,241,000,000 US$ is 403,241 million; whole dollars are 6 decimals of a million.
        ("TX.VAL.MRCH.CD.WT", "EXPORTS.VN._Z._T._Z.LEVEL.USD_MN", 2024, 403241.0, 6, 25),
        ("BX.KLT.DINV.CD.WD", "FDI_NET_INFLOWS.VN._Z._Z._Z.LEVEL.USD_MN", 2007, 6700.0, 6, 25),
    ],
)
def test_every_indicator_reads_its_real_values(
    refs: dict[str, ReleaseRef], wb_id: str, series_key: str, year: int, value: float,
    decimals: int, count: int,
) -> None:
    contents = read(refs[wb_id])
    assert contents.rejected == []
    assert len(contents.observations) == count
    assert {o.series_key for o in contents.observations} == {series_key}
    (obs,) = [o for o in contents.observations if o.period == annual(year)]
    assert (obs.value, obs.decimals, obs.status) == (value, decimals, "official")
    assert obs.provenance == f"{wb_id} VNM {year}"
    assert contents.reference_period == refs[wb_id].reference_period


def test_null_years_give_neither_an_observation_nor_a_reject(
    refs: dict[str, ReleaseRef],
) -> None:
    high_tech = read(refs["TX.VAL.TECH.MF.ZS"])
    assert sorted(by_year(high_tech)) == list(range(2008, 2023))
    assert high_tech.rejected == []
    page = json.loads(files_of(refs["TX.VAL.TECH.MF.ZS"])[0].read_bytes())
    assert sum(row["value"] is None for row in page[1]) == 10


def test_both_pages_are_read_in_order(refs: dict[str, ReleaseRef]) -> None:
    gdp = read(refs["NY.GDP.MKTP.KD.ZG"])
    values = by_year(gdp)
    assert sorted(values) == list(range(2000, 2025))
    assert values[2009] == 105.3979 and values[2024] == 107.09119  # page 2, page 1


def test_a_release_missing_a_page_is_refused(refs: dict[str, ReleaseRef]) -> None:
    gdp = refs["NY.GDP.MKTP.KD.ZG"]
    first = files_of(gdp)[:1]
    with pytest.raises(UnexpectedResponseError, match=r"has 2 page\(s\) but the release holds"):
        read_release(worldbank.SOURCE, first, ReleaseRef(
            "worldbank", gdp.dataset, gdp.url, gdp.published_at, gdp.reference_period))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (API_ERROR, "120 Invalid value: The provided parameter value is not valid"),
        (b"<html><body><h1>Service Unavailable</h1></body></html>", "not JSON"),
        (b'{"page":1,"pages":1}', "expected a two-element array [header, rows]"),
        (b'[{"page":1,"pages":1,"per_page":50,"total":1,"lastupdated":"2025-07-01"},'
         b'[{"date":"2024","value":7.09119}]]', "rows with indicator.id, country, date and value"),
        (b'[{"page":1,"pages":1,"per_page":50,"total":0},null]', '"lastupdated": "YYYY-MM-DD"'),
    ],
    ids=["api-error", "html", "object", "rows", "header"],
)
def test_a_page_not_in_the_v2_shape_is_a_read_error_naming_it(
    tmp_path: Path, body: bytes, expected: str
) -> None:
    page = tmp_path / "page.json"
    page.write_bytes(body)
    url = "https://api.worldbank.org/v2/country/VNM/indicator/NY.GDP.MKTP.KD.ZG?format=json"
    with pytest.raises(UnexpectedResponseError) as error:
        read_pages([page], [url])
    assert str(error.value).startswith(f"{url}: ")
    assert expected in str(error.value)


def test_rows_of_an_indicator_not_asked_for_are_quarantined(warehouse_env: Path,
                                                            tmp_path: Path) -> None:
    """A real answer for another indicator (US GNI per capita), given by hand."""
    ref = ReleaseRef("worldbank", "local-file", "", datetime(2020, 7, 1), "", title=US_GNI.name)
    with writer() as session:
        outcome = load_archived(store_local([US_GNI], ref, Archive(tmp_path / "archive")), session)
    assert (outcome.status, outcome.reported, outcome.quarantined) == ("new", 0, 8)
    assert outcome.quarantine_codes == {"unexpected-indicator": 8}
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        row = con.execute("select sheet, cell, label, raw, message from quarantine "
                          "where label = 'NY.GNP.PCAP.CD USA 1997'").fetchone()
    assert row is not None and row[:3] == ("page 1", "row 1", "NY.GNP.PCAP.CD USA 1997")
    assert json.loads(row[3])["value"] == 31270
    assert row[4].startswith(f"{US_GNI.name}, row 1 (NY.GNP.PCAP.CD USA 1997): indicator ")


def test_rows_of_a_country_not_asked_for_are_quarantined() -> None:
    # The US answer read as if its indicator were configured, for Viet Nam only, then the US.
    spec = IndicatorSpec("NY.GNP.PCAP.CD", "GNI_PER_CAPITA", "_Z", "_Z", "level", "USD", "", 0,
                         Decimal(0), 50, "GNI per capita, Atlas method (current US$)")
    gni = {"NY.GNP.PCAP.CD": spec}
    statuses = {"": "official"}
    answer = read_pages([US_GNI], ["us.json"])
    only_vn, only_vn_rejected = normalise_pages(answer, Asked(gni, {"VNM": "VN"}, statuses))
    assert only_vn == []
    assert {r.code for r in only_vn_rejected} == {"unexpected-country"}
    assert len(only_vn_rejected) == 8
    with_us, _ = normalise_pages(answer, Asked(gni, {"USA": "US"}, statuses))
    first = with_us[0]
    assert (first.geo, first.period, first.value, len(with_us)) == (
        "US", annual(1997), 31270.0, 8)
    assert latest_month(with_us) == "1997-12"


def test_row_fields_status_unit_date_and_value(refs: dict[str, ReleaseRef],
                                               tmp_path: Path) -> None:
    """Real rows of the manufacturing answer, each given one quirk the API can send."""
    ref = refs["NV.IND.MANF.ZS"]
    header, rows = json.loads(files_of(ref)[0].read_bytes())
    edits = {"2024": {"obs_status": "E"}, "2023": {"obs_status": "X"}, "2022": {"unit": "%"},
             "2021": {"date": "FY2021"}, "2020": {"value": "n/a"}, "2019": {"value": "23.78672"},
             "2018": {"decimal": None}}
    for row in rows:
        row.update(edits.get(row["date"], {}))
    page = tmp_path / "page.json"
    page.write_text(json.dumps([header, rows]), encoding="utf-8")
    contents = read_release(worldbank.SOURCE, [page], ref)
    codes = {r.label: r.code for r in contents.rejected}
    assert codes == {
        "NV.IND.MANF.ZS VNM 2023": "unknown-label",
        "NV.IND.MANF.ZS VNM 2022": "unit-mismatch",
        "NV.IND.MANF.ZS VNM FY2021": "period-unparseable",
        "NV.IND.MANF.ZS VNM 2020": "value-unparseable",
    }
    observed = {o.period.start.year: o for o in contents.observations}
    assert observed[2024].status == "estimate" and observed[2024].value == 24.43043
    assert observed[2019].value == 23.78672  # a number sent as a string, as the API once did
    assert observed[2018].decimals is None
    assert len(observed) == 20 - 4


def test_parse_date_by_frequency() -> None:
    assert parse_date("2023") == annual(2023)
    assert parse_date("2023Q4") == quarter(2023, 4)
    assert parse_date("2023M01") == month(2023, 1)
    assert [parse_date(text) for text in ("2023-01", "2023Q5", "FY2023", 2023)] == [None] * 4


# --- the warehouse --------------------------------------------------------------------------


def test_older_then_newer_vintage_records_the_revision(
    warehouse_env: Path, tmp_path: Path, refs: dict[str, ReleaseRef]
) -> None:
    older = load_older(tmp_path / "archive")
    assert [(o.status, o.reported) for o in older] == [("new", 5), ("new", 1)]
    newer = load(list(refs.values()), tmp_path / "archive")
    assert [o.status for o in newer] == ["new"] * 6
    assert [o.reported for o in newer] == [20, 24, 25, 15, 25, 25]
    assert [o.revised for o in newer] == [0, 0, 1, 0, 0, 0]
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        revision = con.execute(
            "select previous_value, value, measure, published_at, lag_days from v_revisions "
            "where series_key = ? and period_start = '2022-01-01' and period_type = 'A'",
            [GDP_GROWTH]).fetchall()
        assert revision == [(108.01979, 108.5375, "index_yoy", datetime(2025, 7, 1), 707)]
        assert con.execute("select count(*) from v_revisions").fetchone() == (1,)
        first = con.execute(
            "select value from v_first_release where series_key = ? and period_start = "
            "'2022-01-01'", [GDP_GROWTH]).fetchone()
        assert first == (108.01979,)
        # The newest answer has no figure for 2000-2004: it adds nothing for those years.
        early = con.execute(
            "select period_start, value, published_at from v_vintages where series_key = ? "
            "and period_start < '2005-01-01' order by period_start", [MANUF_SHARE]).fetchall()
        assert early[0] == (date(2000, 1, 1), 18.4469009116, datetime(2020, 12, 16))
        assert {row[2] for row in early} == {datetime(2020, 12, 16)} and len(early) == 5


def test_a_second_run_loads_nothing_new(warehouse_env: Path, tmp_path: Path) -> None:
    first = load(worldbank.discover(mirror_get), tmp_path / "archive")
    assert sum(o.added for o in first) == 134
    again = load(worldbank.discover(mirror_get), tmp_path / "archive")
    assert [o.status for o in again] == ["unchanged"] * 6
    assert sum(o.added for o in again) == 0
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        assert con.execute("select count(*) from release").fetchone() == (6,)
        assert con.execute("select count(*) from observation").fetchone() == (134,)


def test_an_error_page_fails_its_release_and_nothing_else(
    warehouse_env: Path, tmp_path: Path, refs: dict[str, ReleaseRef]
) -> None:
    """Page 2 of the GDP answer came back as the API's error array: that release fails alone."""
    mirror = tmp_path / "mirror"
    for ref in refs.values():
        for source, target in zip(files_of(ref), files_of(ref, mirror), strict=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    gdp = refs["NY.GDP.MKTP.KD.ZG"]
    files_of(gdp, mirror)[1].write_bytes(API_ERROR)
    outcomes = load(list(refs.values()), tmp_path / "archive", mirror)
    assert [o.status for o in outcomes] == ["new", "new", "failed", "new", "new", "new"]
    failed = outcomes[2]
    assert failed.message.startswith(f"{gdp.parts[0]}: the World Bank API answered with an error")
    assert "120 Invalid value" in failed.message
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        assert con.execute("select count(*) from release").fetchone() == (5,)
        assert con.execute("select count(*) from load_failure").fetchone() == (1,)
        assert con.execute("select count(*) from v_latest where series_key = ?",
                           [GDP_GROWTH]).fetchone() == (0,)
        assert con.execute("select value from v_latest where series_key = ? and period_start = "
                           "'2023-01-01'", [MANUF_SHARE]).fetchone() == (24.17967,)


def test_pages_fetched_from_a_real_http_server(warehouse_env: Path, tmp_path: Path,
                                               refs: dict[str, ReleaseRef]) -> None:
    gdp = refs["NY.GDP.MKTP.KD.ZG"]
    targets = [url.removeprefix("https://api.worldbank.org") for url in (gdp.url, *gdp.parts)]
    with LocalServer() as server:
        for target, path in zip(targets, files_of(gdp), strict=True):
            server.route(target, static(path.read_bytes(), content_type="application/json"))
        (ref,) = worldbank.discover(lambda url: get_bytes(url, mirror=None),
                                    wb_ids=["NY.GDP.MKTP.KD.ZG"], api=server.url("/v2"))
        (outcome,) = load([ref], tmp_path / "archive", mirror=None)
        assert [server.hits(target) for target in targets] == [2, 1]  # discovery, then fetch
    assert ref.parts == (f"{ref.url}&page=2",) and ref.published_at == datetime(2025, 7, 1)
    assert (outcome.status, outcome.reported, outcome.quarantined) == ("new", 25, 0)
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        url = con.execute("select url from release").fetchone()
        assert url == (server.url(targets[0]),)


# --- reference data -------------------------------------------------------------------------


def test_every_configured_indicator_is_mirrored(refs: dict[str, ReleaseRef]) -> None:
    with (REFERENCE_DIR / "worldbank_indicators.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["wb_id"] for row in rows] == WB_IDS
    assert all(row["unit"] == row["unit"].upper() for row in rows)


@pytest.mark.extended
def test_the_mirror_holds_every_value_of_the_shared_csv(
    shared_releases: Path, refs: dict[str, ReleaseRef]
) -> None:
    """Each figure of wdi_vietnam.csv, and nothing else, is in the rebuilt answers."""
    with (SHARED_RELEASES / "worldbank" / "wdi_vietnam.csv").open(encoding="utf-8") as handle:
        shared = {(r["indicator_id"], int(r["year"])): r["value"] for r in csv.DictReader(handle)}
    published = {}
    for wb_id, ref in refs.items():
        for path in files_of(ref):
            for row in json.loads(path.read_bytes(), parse_float=str, parse_int=str)[1]:
                if row["value"] is not None:
                    published[(wb_id, int(row["date"]))] = row["value"]
    assert published == shared
