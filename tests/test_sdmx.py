"""The SDMX source: each format sdmx1 reads, the mapping to the model, clear refusals, discovery
from the bundled mirror, and loading through the plain pipeline functions."""

from __future__ import annotations

import logging
import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flows.core.config import BUNDLED_MIRROR
from flows.core.errors import (
    CorruptFileError,
    DiscoveryError,
    ReadError,
    UnexpectedResponseError,
    UnsupportedFormatError,
)
from flows.core.model import Observation, Rejected, ReleaseRef
from flows.core.sdmx_catalog import dataset
from flows.fetch import get_bytes
from flows.normalise.sdmx import normalise_sdmx, sdmx_period, unit_code
from flows.pipeline import default_archive, fetch_release, load_archived, read_release
from flows.readers.sdmx import read_sdmx_data
from flows.readers.sdmx_data import SdmxData, SdmxObservation
from flows.sources import sdmx
from flows.validate import validate
from warehouse.connect import writer

FIXTURES = Path(__file__).parent / "fixtures" / "sdmx"
ECB = BUNDLED_MIRROR / "data-api.ecb.europa.eu" / "service"
ECB_MONTHLY = ECB / "data" / "EXR" / "M.CHF+GBP+JPY+USD.EUR.SP00.E@format=structurespecificdata"
ECB_DAILY = ECB / "data" / "EXR" / "D.NZD+RUB.EUR.SP00.A@format=jsondata"
ECB_STRUCTURE = ECB / "datastructure" / "ECB" / "ECB_EXR_NG" / "1.0"
IMF_PCPS = BUNDLED_MIRROR / "api.imf.org" / "external" / "sdmx" / "2.1" / "data" / "PCPS"
IMF_ZINC = IMF_PCPS / "M.W00.PZINC"
USD_MONTHLY = "EXR._Z._Z.USD_EUR_SP00_E._Z.LEVEL.USD_PER_EUR"
MONTHLY = dataset("ecb-exr-monthly")


def checked(
    observations: list[Observation], rejected: list[Rejected]
) -> tuple[list[Observation], list[Rejected]]:
    """Normalised figures through the pipeline's validation."""
    good, invalid = validate(observations)
    return good, rejected + invalid


def read(
    path: Path, item: str, structure: Path | None = None
) -> tuple[list[Observation], list[Rejected]]:
    parts = structure.read_bytes() if structure else None
    data = read_sdmx_data(path.read_bytes(), path.name, parts)
    return checked(*normalise_sdmx(data, dataset(item)))


def by_key(observations: list[Observation]) -> dict[tuple[str, str], Observation]:
    return {(o.series_key, str(o.period)): o for o in observations}


def mirror_get(url: str) -> bytes:
    return get_bytes(url, mirror=BUNDLED_MIRROR)


def test_generic_structure_specific_and_csv_give_the_same_observations() -> None:
    generic, rejected = read(FIXTURES / "ECB_EXR_ng-ts.xml", "ecb-exr-monthly")
    specific, rejected_ss = read(ECB_MONTHLY, "ecb-exr-monthly", ECB_STRUCTURE)
    csv, rejected_csv = read(FIXTURES / "ECB_EXR_ng-ts.csv", "ecb-exr-monthly", ECB_STRUCTURE)
    assert rejected == rejected_ss == rejected_csv == []
    assert len(generic) == 12  # four currencies, three months
    assert generic == specific == csv
    found = by_key(generic)
    assert [found[USD_MONTHLY, month].value for month in ("2010-08", "2010-09", "2010-10")] == [
        1.2894, 1.3067, 1.3898]
    assert found["EXR._Z._Z.JPY_EUR_SP00_E._Z.LEVEL.JPY_PER_EUR", "2010-10"].value == 113.67
    gbp = found["EXR._Z._Z.GBP_EUR_SP00_E._Z.LEVEL.GBP_PER_EUR", "2010-09"]
    assert (gbp.value, gbp.decimals) == (0.83987, 5)  # DECIMALS as published, per series
    usd = found[USD_MONTHLY, "2010-08"]
    assert usd.provenance == "ECB:EXR M.USD.EUR.SP00.E 2010-08"
    assert (usd.period.type, usd.period.start, usd.period.end) == (
        "M", date(2010, 8, 1), date(2010, 8, 31))
    assert (usd.status, usd.geo, usd.industry, usd.partner, usd.decimals) == (
        "official", "_Z", "_Z", "_Z", 4)


def test_sdmx_json_daily_rates() -> None:
    observations, rejected = read(ECB_DAILY, "ecb-exr-daily")
    assert rejected == []
    found = {(o.product, str(o.period)): o for o in observations}
    assert {key: o.value for key, o in found.items()} == {
        ("NZD_EUR_SP00_A", "2013-01-18"): 1.5931, ("NZD_EUR_SP00_A", "2013-01-21"): 1.5925,
        ("RUB_EUR_SP00_A", "2013-01-18"): 40.3426, ("RUB_EUR_SP00_A", "2013-01-21"): 40.3,
    }
    nzd = found["NZD_EUR_SP00_A", "2013-01-21"]
    assert (nzd.period.type, nzd.period.start, nzd.period.end) == (
        "D", date(2013, 1, 21), date(2013, 1, 21))
    assert nzd.series_key == "EXR._Z._Z.NZD_EUR_SP00_A._Z.LEVEL.NZD_PER_EUR"
    assert nzd.provenance == "ECB:EXR D.NZD.EUR.SP00.A 2013-01-21"
    assert nzd.decimals is None  # SDMX-JSON carries the number, not its printed decimals


def test_imf_structure_specific_data_without_its_structure() -> None:
    """sdmx1 infers a structure; the cross-domain attributes are taken back out of the key."""
    (zinc,), rejected = read(IMF_ZINC, "imf-pcps-zinc")
    assert rejected == []
    assert zinc.series_key == "COMMODITY_PRICE.1W._Z.PZINC._Z.LEVEL.USD"
    assert (str(zinc.period), zinc.value, zinc.provenance) == (
        "2021-01", 2705.345, "IMF:PCPS M.W00.PZINC 2021-01")


@pytest.mark.parametrize(
    ("unit", "multiplier", "expected"),
    [("USD", "6", "USD_MN"), ("VND", "9", "BN_VND"), ("usd", "3", "USD_THOUS"), ("USD", "0", "USD"),
     ("EUR/USD", "0", "EUR_USD"), ("USD", "5", None)],
)
def test_unit_code_carries_the_multiplier(unit: str, multiplier: str, expected: str | None) -> None:
    assert unit_code(unit, multiplier) == expected


def zinc(**changes: str) -> SdmxObservation:
    """The IMF zinc observation with some dimensions or attributes changed."""
    key = {"FREQ": "M", "REF_AREA": "W00", "COMMODITY": "PZINC"}
    attributes = {"UNIT_MEASURE": "USD", "UNIT_MULT": "0"}
    for name, value in changes.items():
        (key if name in key else attributes)[name] = value
    time = attributes.pop("TIME_PERIOD", "2021-01")
    value = attributes.pop("OBS_VALUE", "2705.345")
    return SdmxObservation(tuple(key.items()), time, value, attributes)


def normalise_one(obs: SdmxObservation) -> tuple[list[Observation], list[Rejected]]:
    data = SdmxData("test", None, {}, [obs], {})
    return checked(*normalise_sdmx(data, dataset("imf-pcps-zinc")))


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"UNIT_MULT": "6"}, "unit", "USD_MN"),
        ({"UNIT_MEASURE": "VND", "UNIT_MULT": "9"}, "unit", "BN_VND"),
        ({"OBS_STATUS": "P"}, "status", "preliminary"),
        ({"OBS_STATUS": "E"}, "status", "estimate"),
        ({"REF_AREA": "VNM"}, "geo", "VN"),
        ({"REF_AREA": "VIE"}, "geo", "VN"),
        ({"REF_AREA": "DE"}, "geo", "DE"),
        ({"FREQ": "Q", "TIME_PERIOD": "2024-Q3"}, "period", "2024-Q3"),
        ({"FREQ": "A", "TIME_PERIOD": "2024"}, "period", "2024"),
        ({"FREQ": "S", "TIME_PERIOD": "2024-S2"}, "period", "2024-H2"),
        ({"TIME_PERIOD": "2024-M09"}, "period", "2024-09"),
    ],
)
def test_dimensions_and_attributes_map_to_the_model(
    changes: dict[str, str], field: str, expected: str
) -> None:
    (obs,), rejected = normalise_one(zinc(**changes))
    assert rejected == []
    assert str(getattr(obs, field)) == expected


@pytest.mark.parametrize(
    ("changes", "code", "says"),
    [
        ({"FREQ": "W", "TIME_PERIOD": "2024-W05"}, "period-unparseable", "FREQ 'W'"),
        ({"FREQ": "Q", "TIME_PERIOD": "2024-09"}, "period-unparseable", "'2024-09'"),
        ({"UNIT_MEASURE": ""}, "unit-missing", "no UNIT_MEASURE"),
        ({"OBS_VALUE": "n.a."}, "value-unparseable", "'n.a.'"),
        ({"OBS_VALUE": "2705.345", "OBS_STATUS": "M"}, "value-flagged-missing",
         "OBS_STATUS 'M' says the value is missing, yet the message gives 2705.345"),
        ({"OBS_VALUE": "NaN", "OBS_STATUS": "M"}, "value-missing", "OBS_VALUE NaN (OBS_STATUS M)"),
        ({"OBS_VALUE": ""}, "value-missing", "no value"),
        ({"TIME_PERIOD": ""}, "period-unparseable", "no time dimension"),
    ],
)
def test_what_chiso_cannot_map_is_quarantined(
    changes: dict[str, str], code: str, says: str
) -> None:
    observations, (reject,) = normalise_one(zinc(**changes))
    assert observations == []
    assert reject.code == code and says in reject.message
    assert reject.message.startswith(f"IMF:PCPS {reject.label} ")  # flow and series key


@pytest.mark.parametrize(
    ("changes", "field", "expected", "warned"),
    [
        ({"OBS_STATUS": "Z"}, "status", "Z", "OBS_STATUS Z"),
        ({"REF_AREA": "XYZ"}, "geo", "XYZ", "REF_AREA XYZ"),
        ({"FREQ": "X"}, "period", "2021-01", "FREQ X"),
        ({"UNIT_MULT": "5"}, "unit", "USD_E5", ""),
        ({"UNIT_MULT": "0", "SCALE": "6"}, "unit", "USD", ""),
        ({"UNIT_MULT": "", "SCALE": "6"}, "unit", "USD_MN", ""),
    ],
)
def test_codes_chiso_cannot_map_are_kept_as_the_providers(
    changes: dict[str, str], field: str, expected: str, warned: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="flows.normalise.sdmx")
    (obs,), rejected = normalise_one(zinc(**changes))
    assert rejected == []
    assert str(getattr(obs, field)) == expected
    if warned:
        assert f"kept as the provider's codes, chiso has no mapping for them: {warned}" in (
            caplog.text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024", "A 2024-01-01 2024-12-31"), ("2024-A1", "A 2024-01-01 2024-12-31"),
     ("2024-S1", "H 2024-01-01 2024-06-30"), ("2024-Q3", "Q 2024-07-01 2024-09-30"),
     ("2024-02", "M 2024-02-01 2024-02-29"), ("2024-M09", "M 2024-09-01 2024-09-30"),
     ("2024-09-30", "D 2024-09-30 2024-09-30"), ("2024-W05", None), ("2024-02-30", None)],
)
def test_sdmx_time_periods(text: str, expected: str | None) -> None:
    period = sdmx_period(text)
    found = None if period is None else f"{period.type} {period.start} {period.end}"
    assert found == expected


def test_codes_missing_from_the_structure_are_quarantined() -> None:
    structure = FIXTURES / "ECB_EXR_ng-structure-codes.xml"
    clean, none = read(ECB_MONTHLY, "ecb-exr-monthly", structure)
    assert (len(clean), none) == (12, [])
    observations, rejected = read(
        FIXTURES / "ECB_EXR_ng-ts-ss-unknown-code.xml", "ecb-exr-monthly", structure)
    assert len(observations) == 9
    assert [(r.code, r.label, r.cell) for r in rejected] == [
        ("unknown-code", "M.JPN.EUR.SP00.E", f"M.JPN.EUR.SP00.E 2010-{month}")
        for month in ("08", "09", "10")
    ]
    assert "CURRENCY 'JPN' is not in the structure's codelist" in rejected[0].message
    assert rejected[0].raw == "110.04"


@pytest.mark.parametrize(
    ("name", "error", "says"),
    [
        ("IMF_STA_availableconstraint_CPI.xml", UnsupportedFormatError,
         "an SDMX availability constraint (which series and periods exist), not data"),
        ("ECB_EXR_ng-structure-codes.xml", UnsupportedFormatError,
         "an SDMX structure message, not data"),
    ],
)
def test_formats_chiso_cannot_read_fail_clearly(
    name: str, error: type[ReadError], says: str
) -> None:
    path = FIXTURES / name
    with pytest.raises(error) as raised:
        read_sdmx_data(path.read_bytes(), name)
    assert str(raised.value).startswith(f"{name}: ") and says in str(raised.value)


def test_damaged_and_error_messages_fail_clearly() -> None:
    cut = ECB_MONTHLY.read_bytes()[:1500]
    with pytest.raises(CorruptFileError, match=r"^EXR\.xml: sdmx1 could not read .* cut short"):
        read_sdmx_data(cut, "EXR.xml")
    error = (
        b'<?xml version="1.0" encoding="UTF-8"?><message:Error xmlns:message="http://www.sdmx.org'
        b'/resources/sdmxml/schemas/v2_1/message" xmlns:common="http://www.sdmx.org/resources/'
        b'sdmxml/schemas/v2_1/common"><message:ErrorMessage code="100"><common:Text>No Results '
        b"Found</common:Text></message:ErrorMessage></message:Error>"
    )
    says = r"^CPI\.xml: the provider answered with an SDMX error message \(100: No Results Found\)"
    with pytest.raises(UnexpectedResponseError, match=says):
        read_sdmx_data(error, "CPI.xml")


def test_a_footer_naming_a_file_at_a_url_is_its_own_error() -> None:
    """Eurostat answers a large query with no data and a footer (code 413) naming the file the
    answer will be written to: the error says so, not "no observations"."""
    name = "ESTAT_footer-file-url.xml"
    with pytest.raises(UnexpectedResponseError) as raised:
        read_sdmx_data((FIXTURES / name).read_bytes(), name)
    assert str(raised.value).startswith(
        f"{name}: no data: the provider wrote its answer to a file at "
        "https://ec.europa.eu/eurostat/SDMX/diss-web/file/Xk4ZAc3pv9VZmHSJ (its footer says: "
        "413 Due to the large query")
    assert str(raised.value).endswith("download that file once it is ready and ingest it "
                                      "instead")


def test_a_file_of_no_registered_dataset_is_read_by_what_it_says() -> None:
    """A file by hand needs no row; a registered flow's file lands in its series."""
    ref = ReleaseRef("sdmx", "local-file", "", datetime(2024, 1, 1), "2024-01")
    by_hand = read_release(sdmx.SOURCE, [ECB_MONTHLY, ECB_STRUCTURE], ref)
    fetched, _ = read(ECB_MONTHLY, "ecb-exr-monthly", ECB_STRUCTURE)
    assert by_hand.rejected == [] and by_hand.observations == fetched


def test_discovery_from_the_mirror() -> None:
    refs = {ref.dataset: ref for ref in sdmx.discover(mirror_get)}
    assert sorted(refs) == ["ecb-exr-daily", "ecb-exr-monthly", "imf-pcps-zinc"]
    monthly = refs["ecb-exr-monthly"]
    assert monthly.url == (
        "https://data-api.ecb.europa.eu/service/data/EXR/M.CHF+GBP+JPY+USD.EUR.SP00.E"
        "?format=structurespecificdata")
    assert monthly.parts == (
        "https://data-api.ecb.europa.eu/service/datastructure/ECB/ECB_EXR_NG/1.0",)
    # <message:Prepared>2010-01-04T16:21:49+01:00, in Viet Nam's time
    assert (monthly.published_at, monthly.reference_period) == (
        datetime(2010, 1, 4, 22, 21, 49), "2010-10")
    assert refs["ecb-exr-daily"].published_at == datetime(2012, 11, 29, 15, 40, 26)
    assert refs["ecb-exr-daily"].parts == ()
    # IMF's Prepared has no zone: taken as UTC
    assert refs["imf-pcps-zinc"].published_at == datetime(2025, 1, 9, 19, 59, 18)
    later = sdmx.discover(mirror_get, since=date(2012, 1, 1))
    assert [ref.dataset for ref in later] == ["ecb-exr-daily", "imf-pcps-zinc"]


def test_a_dataset_the_mirror_lacks_fails_alone(caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(DiscoveryError) as raised:
        sdmx.discover(mirror_get, datasets=["imf-cpi-vn"])
    message = str(raised.value)
    assert message.startswith("SDMX dataset imf-cpi-vn: https://api.imf.org/external/sdmx/2.1/"
                              "data/IMF.STA,CPI/VNM.CPI._T.IX.M: not in the mirror")
    caplog.set_level(logging.ERROR, logger="flows.sources.sdmx")
    refs = sdmx.discover(mirror_get, datasets=["imf-cpi-vn", "imf-pcps-zinc"])
    assert [ref.dataset for ref in refs] == ["imf-pcps-zinc"]
    assert "SDMX dataset imf-cpi-vn" in caplog.text


def test_published_at_prefers_the_data_set_update_date() -> None:
    data = SdmxData("test", datetime.fromisoformat("2024-10-07T00:00:00+00:00"),
                    {"UPDATE_DATE": "2024-10-06T09:00:00+02:00"}, [], {})
    assert sdmx.published_at(data) == datetime(2024, 10, 6, 14, 0)
    assert sdmx.published_at(SdmxData("test", None, {}, [], {})) is None


def run_once() -> list[str]:
    archive = default_archive()
    statuses = []
    with writer() as session:
        for ref in sdmx.discover(mirror_get):
            files = fetch_release(ref, archive, BUNDLED_MIRROR)
            assert files is not None
            statuses.append(load_archived(files, session).status)
    return statuses


def test_load_through_the_pipeline_then_nothing_new(warehouse_env: Path) -> None:
    assert run_once() == ["new", "new", "new"]
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        latest = dict(con.execute(
            "select series_key || ' ' || period_type || ' ' || period_start, value from v_latest "
            "where source = 'sdmx'").fetchall())
        assert len(latest) == 12 + 4 + 1
        assert latest[f"{USD_MONTHLY} M 2010-09-01"] == 1.3067
        assert latest["EXR._Z._Z.RUB_EUR_SP00_A._Z.LEVEL.RUB_PER_EUR D 2013-01-18"] == 40.3426
        assert latest["COMMODITY_PRICE.1W._Z.PZINC._Z.LEVEL.USD M 2021-01-01"] == 2705.345
        releases = con.execute(
            "select dataset, reference_period, published_at, rows_reported from release "
            "order by published_at").fetchall()
        assert releases == [
            ("ecb-exr-monthly", "2010-10", datetime(2010, 1, 4, 22, 21, 49), 12),
            ("ecb-exr-daily", "2013-01", datetime(2012, 11, 29, 15, 40, 26), 4),
            ("imf-pcps-zinc", "2021-01", datetime(2025, 1, 9, 19, 59, 18), 1),
        ]
        provenance = con.execute(
            "select provenance from reported where series_key = ? and period_start = '2010-08-01'",
            [USD_MONTHLY]).fetchone()
        assert provenance == ("ECB:EXR M.USD.EUR.SP00.E 2010-08",)
    before = warehouse_env.stat().st_mtime_ns
    assert run_once() == ["unchanged", "unchanged", "unchanged"]
    assert warehouse_env.stat().st_mtime_ns == before


def test_an_answer_stamped_anew_at_each_request_is_loaded_once(
    warehouse_env: Path, tmp_path: Path
) -> None:
    # A service stamps `prepared` and the message id at every request: the same figures asked
    # for again come back in other bytes, and are the same release. A changed figure is not.
    mirror = tmp_path / "mirror"
    shutil.copytree(BUNDLED_MIRROR / "data-api.ecb.europa.eu", mirror / "data-api.ecb.europa.eu")
    answer = mirror / ECB_MONTHLY.relative_to(BUNDLED_MIRROR)
    first = answer.read_text("utf-8")
    archive = default_archive()

    def poll(text: str) -> str:
        answer.write_text(text, "utf-8")
        ref = sdmx.release(lambda url: get_bytes(url, mirror=mirror), MONTHLY)
        with writer() as session:
            return load_archived(fetch_release(ref, archive, mirror), session).status

    def restamped(text: str, day: int) -> str:
        return (text.replace("<message:ID>Generic<", f"<message:ID>IREF{day:06d}<")
                .replace("2010-01-04T16:21:49+01:00", f"2010-02-{day:02d}T06:00:00+01:00"))

    assert poll(first) == "new"
    assert poll(restamped(first, 1)) == "unchanged"
    revised = first.replace('"2010-09" OBS_VALUE="1.3067"', '"2010-09" OBS_VALUE="1.3070"')
    assert revised != first
    assert poll(restamped(revised, 2)) == "new"
    assert poll(restamped(revised, 3)) == "unchanged"
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        assert con.execute("select count(*), sum(rows_reported) from release").fetchone() == (
            2, 24)
        assert con.execute(
            "select value, valid_from from v_vintages where series_key = ? "
            "and period_start = '2010-09-01' order by valid_from", [USD_MONTHLY]
        ).fetchall() == [(1.3067, datetime(2010, 1, 4, 22, 21, 49)),
                         (1.307, datetime(2010, 2, 2, 12, 0))]


# Each file: how many observations it holds, or what its refusal says.
SHARED_OUTCOMES: dict[str, int | str] = {
    "ECB_EXR_ng-structure.xml": "an SDMX structure message, not data",
    "ECB_EXR_ng-ts-ss.xml": 12,
    "ECB_EXR_ng-ts.xml": 12,
    "ECB_EXR_ts.json": 4,
    "ESTAT_NAMA_10_GDP-ss.xml": 4,  # structure-specific; sdmx1 infers its structure
    "IMF_PCPS.xml": 1,
    "IMF_STA_availableconstraint_CPI.xml": "availability constraint",
    "INSEE_IPI-2010-A21-structure.xml": "an SDMX structure message, not data",
    "INSEE_IPI-2010-A21.xml": 3230,  # generic; reads with or without its structure
    "ISTAT_22_289-structure.xml": "an SDMX structure message, not data",
    "ISTAT_22_289.xml": 8,
    "WB_gh-78.xml": 1,
    "v3_csv_example-01.csv": 2,  # its header's columns before OBS_VALUE are the dimensions
    "v3_csv_example-04.csv": 2,
    "v3_json_data_exr-time-series.json": 4,  # SDMX-JSON 2.0, read by chiso itself
    "v3_xml_ECB_EXR_CA.xml": 3,
}
# Data files read with their structure message, as a release holds them.
SHARED_STRUCTURES = {
    "ECB_EXR_ng-ts-ss.xml": "ECB_EXR_ng-structure.xml",
    "INSEE_IPI-2010-A21.xml": "INSEE_IPI-2010-A21-structure.xml",
    "ISTAT_22_289.xml": "ISTAT_22_289-structure.xml",
}
# Without its structure, ISTAT's message (whose structureRef is not its header's structureID)
# reads all the same: chiso gives sdmx1 the header's id.
SHARED_WITHOUT_STRUCTURE = {"ISTAT_22_289.xml": 8}


@pytest.mark.extended
def test_every_shared_sdmx_file_reads_or_fails_clearly(shared_releases: Path) -> None:
    folder = shared_releases / "sdmx"
    assert sorted(p.name for p in folder.iterdir()) == sorted(SHARED_OUTCOMES)
    for name, expected in SHARED_OUTCOMES.items():
        data = (folder / name).read_bytes()
        if isinstance(expected, int):
            structure = SHARED_STRUCTURES.get(name)
            found = read_sdmx_data(
                data, name, (folder / structure).read_bytes() if structure else None)
            assert len(found.observations) == expected, name
            continue
        with pytest.raises(ReadError, match=expected):
            read_sdmx_data(data, name)
    for name, count in SHARED_WITHOUT_STRUCTURE.items():
        assert len(read_sdmx_data((folder / name).read_bytes(), name).observations) == count


@pytest.mark.extended
def test_the_mirror_holds_the_shared_files_unchanged(shared_releases: Path) -> None:
    folder = shared_releases / "sdmx"
    assert ECB_MONTHLY.read_bytes() == (folder / "ECB_EXR_ng-ts-ss.xml").read_bytes()
    assert ECB_STRUCTURE.read_bytes() == (folder / "ECB_EXR_ng-structure.xml").read_bytes()
    assert ECB_DAILY.read_bytes() == (folder / "ECB_EXR_ts.json").read_bytes()
    assert IMF_ZINC.read_bytes() == (folder / "IMF_PCPS.xml").read_bytes()
    assert (FIXTURES / "ECB_EXR_ng-ts.xml").read_bytes() == (
        folder / "ECB_EXR_ng-ts.xml").read_bytes()
