"""Viet Nam's National Summary Data Page (source nsdp) on its 14 real files, as the bundled
mirror holds them: every number in the warehouse as sdmx1 reads it, each of the 100 values
that are not SDMX numbers quarantined or read by a declared rule, periods of every frequency,
releases dated and identified as the source says, and the IIP cross-check against GSO."""

from __future__ import annotations

import io
import shutil
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
import sdmx

from flows.core.config import BUNDLED_MIRROR
from flows.core.model import ReleaseRef
from flows.fetch import get_bytes, mirror_path
from flows.normalise.nsdp import coded
from flows.normalise.nsdp_values import Unread, read_value
from flows.sources import nsdp

# The <Series> attributes sdmx1 takes for dimensions when it reads these files without their
# structure (the IMF's ECOFIN_DSD is not shipped with them), and the time dimension.
NOT_IN_THE_KEY = {"BASE_PER", "UNIT_MULT", "TIME_PERIOD"}
# What the files hold (November 2024): observations, and those that are not SDMX numbers.
OBSERVATIONS = 30_212
NOT_NUMBERS = 100


def _number(text: str) -> float | None:
    """The value as a number the way sdmx1's users read one (float(); one value of the stock
    indexes ends in a no-break space, which float() and chiso trim), or None."""
    try:
        return float(text)
    except ValueError:
        return None


def _sdmx1_observations() -> list[tuple[str, str, str, str]]:
    """(file, series key, period, value as written) of every observation, as sdmx1 reads the
    mirrored files by itself."""
    found = []
    for item in nsdp.files().values():
        message = sdmx.read_sdmx(io.BytesIO(mirror_path(item.url, BUNDLED_MIRROR).read_bytes()))
        for dataset in message.data:
            for obs in dataset.obs:
                values = {k: str(v.value) for k, v in obs.key.values.items()}
                key = ".".join(v for k, v in values.items() if k not in NOT_IN_THE_KEY)
                found.append((item.file, key, values["TIME_PERIOD"], str(obs.value)))
    return found


@pytest.fixture(scope="module")
def sdmx1_observations() -> list[tuple[str, str, str, str]]:
    return _sdmx1_observations()


@pytest.fixture(scope="module")
def con(bundled_warehouse: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(bundled_warehouse), read_only=True)


def _loaded(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[float, str, str, str]]:
    """provenance (file, key, period) -> (value, status, period type, series key) of every
    NSDP figure in the warehouse, and the rule that read it when one did."""
    rows = con.execute(
        "select p.provenance, p.value, p.status, p.period_type, p.series_key "
        "from reported p join release r using (release_id) where r.source = 'nsdp'"
    ).fetchall()
    return {provenance: (value, status, kind, key)
            for provenance, value, status, kind, key in rows}


def test_every_sdmx_number_of_the_14_files_is_in_the_warehouse_as_sdmx1_reads_it(
    con: duckdb.DuckDBPyConnection, sdmx1_observations: list[tuple[str, str, str, str]]
) -> None:
    assert len(sdmx1_observations) == OBSERVATIONS
    loaded = {p.split(" (read by", 1)[0]: row for p, row in _loaded(con).items()}
    numbers = [(f, k, t, v) for f, k, t, v in sdmx1_observations if _number(v) is not None]
    assert len(numbers) == OBSERVATIONS - NOT_NUMBERS
    missing, different = [], []
    for file, key, period, value in numbers:
        row = loaded.get(f"{file} {key} {period}")
        if row is None:
            missing.append((file, key, period))
        elif row[0] != _number(value) or row[1] != "official":
            different.append((file, key, period, value, row))
    assert missing == [] and different == []


def test_each_of_the_100_values_that_are_not_sdmx_numbers_is_quarantined_or_read_by_a_rule(
    con: duckdb.DuckDBPyConnection, sdmx1_observations: list[tuple[str, str, str, str]]
) -> None:
    dirty = {(f"{k} {t}", v) for f, k, t, v in sdmx1_observations if _number(v) is None}
    assert len(dirty) == NOT_NUMBERS
    quarantined = con.execute(
        "select q.cell, q.raw, q.error_code from quarantine q join release r using (release_id) "
        "where r.source = 'nsdp'").fetchall()
    by_rule = {p: row for p, row in _loaded(con).items() if "(read by the NSDP rule" in p}
    assert Counter(code for _, _, code in quarantined) == {
        "value-not-available": 42, "value-scale-unconfirmed": 3, "value-spreadsheet-error": 2,
        "value-unparseable": 1}
    assert Counter(p.rsplit("rule ", 1)[1].rstrip(")") for p in by_rule) == {
        "dot-thousands-decimal-comma": 47, "space-thousands": 3, "sb-preliminary": 2}
    # every one accounted for once: by its series and period, with the raw text it had
    read = {" ".join(p.split(" ")[1:3]) for p in by_rule}
    assert {(cell, raw) for cell, raw, _ in quarantined} | {
        (cell, raw) for cell, raw in dirty if cell in read} == dirty
    assert len(quarantined) + len(by_rule) == NOT_NUMBERS


def test_the_declared_rules_read_what_they_say(con: duckdb.DuckDBPyConnection) -> None:
    loaded = {p.split(" (read by", 1)[0]: row for p, row in _loaded(con).items()}
    debt = loaded["MOF_CGD_Vietnam.xml CGD.VN.VNM_CGD_TDF_XDC._Z.A 2018"]
    assert debt[:2] == (1067817.12, "official")  # "1.067.817,12", beside 2017's plain 1,0xx,xxx
    assert debt[3] == "NSDP.VNM_CGD_TDF_XDC.VN._Z._Z._Z.PROVIDER.BN_VND"
    unemployed = loaded["LMIVNM.xml LMI.VN.LUM_PE_NUM._Z.Q 2023-Q2"]
    assert unemployed[:2] == (519.4, "preliminary")  # "519.4sb": sơ bộ
    assert loaded["LMIVNM.xml LMI.VN.LMEF_AVG_XDC._Z.Q 2023-Q1"][0] == 7347.0  # "7 347.0"
    assert unemployed[3] == "NSDP.LUM_PE_NUM.VN._Z._Z._Z.PROVIDER.THOUS_PERSONS"


@pytest.mark.parametrize(("text", "scale", "value", "status", "decimals"), [
    ("116.27", None, 116.27, "official", 2),
    ("104", None, 104.0, "official", 0),
    ("-3.5E2", None, -350.0, "official", None),  # an exponent does not say the precision
    ("519.4sb", None, 519.4, "preliminary", 1),
    ("7 347.0", 6649.1, 7347.0, "official", 1),
    ("1.067.817,12", 1_000_000.0, 1067817.12, "official", 2),
    ("99,30", 120.0, 99.3, "official", 2),
])
def test_a_value_a_rule_reads(text: str, scale: float | None, value: float, status: str,
                              decimals: int | None) -> None:
    reading = read_value(text, scale)
    assert (reading.value, reading.status, reading.decimals) == (value, status, decimals)


def test_a_figure_the_nsdp_rounded_is_compared_at_its_precision(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The NSDP writes some series rounded (the employed labour force of mid-2024 as 51449.6);
    GSO's workbook holds the unrounded figure (51,449.563...). The places the NSDP wrote are
    kept, so the two agree in v_conflicts, as a reader comparing the printed figures finds."""
    rounded = con.execute("""
        select a.series_key, a.period_end
        from v_vintages a join v_vintages b using (series_key, period_type, period_end)
        where a.valid_to is null and b.valid_to is null and a.source = 'gso'
          and b.source = 'nsdp' and a.value <> b.value
          and round(a.value, b.decimals) = b.value""").fetchall()
    assert ("LABOUR.VN._Z.LAO_DONG_TU_15_TUOI_TRO_LEN_DANG_LAM_VIEC_HANG_N._Z.LEVEL.THOUS_PERSONS",
            date(2024, 6, 30)) in rounded
    conflicts = set(con.execute("""select series_key, period_end from v_conflicts
        where 'nsdp' in (source, other_source)""").fetchall())
    assert conflicts.isdisjoint(rounded)


@pytest.mark.parametrize(("text", "scale", "code"), [
    ("na", None, "value-not-available"),
    ("ERROR:  #N/A", None, "value-spreadsheet-error"),
    ("1336167. 72", 1_500_000.0, "value-unparseable"),
    ("1,234", 1.2, "value-unparseable"),  # a thousands comma or a decimal one: not guessed
    ("99,30", 35_941.8, "value-scale-unconfirmed"),  # 99.30 among values of 36,000
    ("1.067.817,12", None, "value-scale-unconfirmed"),  # nothing to confirm the scale by
])
def test_a_value_no_rule_reads_is_named(text: str, scale: float | None, code: str) -> None:
    with pytest.raises(Unread) as raised:
        read_value(text, scale)
    assert raised.value.code == code


def test_periods_of_every_frequency(con: duckdb.DuckDBPyConnection) -> None:
    rows = {p.split(" (read by", 1)[0]: p for p in _loaded(con)}
    asked = {
        "IIPVNM.xml IND.VN.AIP_ISIC4_IX._Z.M 2024-09": ("M", date(2024, 9, 1), date(2024, 9, 30)),
        "GDPVNM.xml NAG.VN.NGDP_PA_XDC._Z.Q 2024-Q3": ("Q", date(2024, 7, 1), date(2024, 9, 30)),
        "MOF_CGD_Vietnam.xml CGD.VN.VNM_CGD_TD_XDC._Z.S 2019-S1":
            ("H", date(2019, 1, 1), date(2019, 6, 30)),
        "POPVNM.xml POP.VN.LP_PE_NUM._Z.A 2023": ("A", date(2023, 1, 1), date(2023, 12, 31)),
    }
    for provenance, period in asked.items():
        found = con.execute("select period_type, period_start, period_end from reported "
                            "where provenance = ?", [rows[provenance]]).fetchall()
        assert found == [period], provenance


def test_the_code_list_gives_chiso_series_and_the_rest_keeps_the_providers_code(
    con: duckdb.DuckDBPyConnection
) -> None:
    latest = dict(con.execute(
        "select series_key, value from v_vintages where source = 'nsdp' and valid_to is null "
        "and period_type = 'M' and period_end = date '2024-09-30'").fetchall())
    assert latest["IIP.VN._T._Z._Z.INDEX_BASE.INDEX_2015"] == 165.34
    assert latest["IIP.VN.C._Z._Z.INDEX_BASE.INDEX_2015"] == 182.22
    # the NSDP's CPI is GSO's, figure for figure: the same series, so v_conflicts compares them
    gso_cpi = con.execute(
        "select value from v_vintages where source = 'gso' and valid_to is null and "
        "series_key = 'CPI.VN._Z.CP09._Z.INDEX_BASE.INDEX_2019' and period_type = 'M' "
        "and period_end = date '2024-09-30'").fetchone()
    assert gso_cpi is not None
    assert latest["CPI.VN._Z.CP09._Z.INDEX_BASE.INDEX_2019"] == pytest.approx(gso_cpi[0])
    indicators = dict(con.execute(
        "select starts_with(s.indicator, 'NSDP.'), count(distinct s.indicator) from series s "
        "where s.series_key in (select series_key from reported p join release r "
        "using (release_id) where r.source = 'nsdp') group by 1").fetchall())
    codes = {dict(zip(("file", "key", "period", "value"), o, strict=True))["key"].split(".")[2]
             for o in _sdmx1_observations()}
    assert indicators[True] == len({c for c in codes if c not in coded()})
    assert {c for c in coded()} <= codes  # no row of the code list is for a code never sent


def test_coverage_says_how_many_series_keep_the_providers_code(
    con: duckdb.DuckDBPyConnection
) -> None:
    from flows.present.coverage import provider_codes

    (line,) = provider_codes(con, "nsdp")
    coded_series, kept = con.execute(
        "select count(distinct s.series_key) filter (where not starts_with(s.indicator, 'NSDP.')),"
        " count(distinct s.series_key) filter (where starts_with(s.indicator, 'NSDP.')) "
        "from series s join reported p using (series_key) join release r using (release_id) "
        "where r.source = 'nsdp'").fetchone() or (0, 0)
    assert kept > 300 and coded_series > 100
    assert line.startswith(f"nsdp: {coded_series:,} series coded to chiso's indicators, "
                           f"{kept:,} kept under the provider's code")


def test_a_release_per_file_dated_by_its_prepared_time() -> None:
    refs = nsdp.discover(lambda url: get_bytes(url, mirror=BUNDLED_MIRROR))
    assert sorted(r.dataset for r in refs) == sorted(nsdp.files())
    iip = next(r for r in refs if r.dataset == "prod_index")
    # <message:Prepared>2024-11-13T06:48:52Z</message:Prepared>, in Viet Nam's time
    assert iip.published_at == datetime(2024, 11, 13, 13, 48, 52)
    assert iip.reference_period == "2024-10"
    assert set(nsdp.SOURCE.watch()) == {item.url for item in nsdp.files().values()}  # type: ignore[misc]


def _identity(body: bytes) -> str:
    ref = ReleaseRef("nsdp", "prod_index", nsdp.files()["prod_index"].url,
                     datetime(2024, 11, 13), "2024-10", title="IIPVNM.xml")
    message = nsdp.Message("IIPVNM.xml", nsdp.read_sdmx_data(body, "IIPVNM.xml"))
    contents = nsdp.normalise(message, ref)
    settled = nsdp.settle(message, contents, ref)
    assert settled.identity is not None
    return settled.identity


def test_the_same_figures_posted_again_are_the_same_release_a_changed_figure_a_new_one() -> None:
    body = mirror_path(nsdp.files()["prod_index"].url, BUNDLED_MIRROR).read_bytes()
    restamped = body.replace(b"2024-11-13T06:48:52Z", b"2024-12-02T01:00:00Z").replace(
        b"IREF805356", b"IREF900001")
    revised = body.replace(b'TIME_PERIOD="2024-09" OBS_VALUE="165.34"',
                           b'TIME_PERIOD="2024-09" OBS_VALUE="165.40"')
    assert restamped != body and revised != body
    assert _identity(restamped) == _identity(body)
    assert _identity(revised) != _identity(body)


def test_the_iip_cross_check_lists_september_2024(con: duckdb.DuckDBPyConnection) -> None:
    row = con.execute(
        "select level, level_year_before, derived_yoy, gso_first, gso_latest, first_disagrees, "
        "latest_disagrees from v_iip_yoy_check where industry = '_T' "
        "and period_end = date '2024-09-30'").fetchone()
    assert row is not None
    level, before, derived, first, latest, first_off, latest_off = row
    assert (level, before, derived) == (165.34, 152.3, 108.56)
    assert (first, latest) == (110.84, 108.3)
    assert first_off and latest_off


@pytest.mark.parametrize(("gso", "listed"), [(108.56, False), (108.57, False), (108.58, True),
                                             (108.54, True)])
def test_the_iip_cross_check_leaves_out_what_agrees_within_the_precision(
    bundled_warehouse: Path, tmp_path: Path, gso: float, listed: bool
) -> None:
    """September 2024 with GSO's figures set to `gso`, first and latest: 165.34 / 152.30 x 100
    is 108.5621, within 0.0119 of 108.56 and 108.57 (the levels' rounding carried through the
    ratio, plus GSO's), beyond it from 108.58 and 108.54."""
    copy = tmp_path / "chiso.duckdb"
    shutil.copyfile(bundled_warehouse, copy)
    with duckdb.connect(str(copy)) as scratch:
        scratch.execute(
            "update observation set value = ? where source = 'gso' and period_type = 'M' and "
            "series_key = 'IIP.VN._T._Z._Z.INDEX_YOY.INDEX' and period_end = date '2024-09-30'",
            [gso])
        found = scratch.execute(
            "select first_disagrees, latest_disagrees from v_iip_yoy_check "
            "where industry = '_T' and period_end = date '2024-09-30'").fetchall()
    assert found == ([(True, True)] if listed else [])


def test_a_poll_asks_each_file_once_and_stops_when_none_changed(tmp_path: Path) -> None:
    from flows import watch

    first = watch.probe(nsdp.watched(), tmp_path, BUNDLED_MIRROR)
    assert first.requests == 14 and len(first.bodies) == 14
    first.remember()
    again = watch.probe(nsdp.watched(), tmp_path, BUNDLED_MIRROR)
    assert again.requests == 14 and not again.changed


@pytest.mark.extended
def test_the_mirror_holds_the_shared_files_at_their_addresses(shared_releases: Path) -> None:
    """The bundled files are the workplace's copies byte for byte, each at the address
    ../shared/releases/nsdp/urls.csv gives for its dataset."""
    import csv

    folder = shared_releases / "nsdp"
    with (folder / "urls.csv").open(encoding="utf-8", newline="") as handle:
        urls = {row["database"]: row["database_link"] for row in csv.DictReader(handle)}
    assert urls == {item.dataset: item.url for item in nsdp.files().values()}
    for item in nsdp.files().values():
        mirrored = mirror_path(item.url, BUNDLED_MIRROR).read_bytes()
        assert mirrored == (folder / item.file).read_bytes(), item.file


def test_a_file_fetched_again_unchanged_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The release is known by its figures' hash, not its file's; the same bytes fetched
    again are still known by the blob they were archived as, before they are read. The same
    figures in other bytes are read, and then known by their identity."""
    from flows import pipeline
    from flows.archive import Archive
    from warehouse.connect import writer

    refs = nsdp.discover(lambda url: get_bytes(url, mirror=BUNDLED_MIRROR))
    ref = next(r for r in refs if r.dataset == "prod_index")
    archive = Archive(tmp_path / "archive")
    with writer(tmp_path / "chiso.duckdb") as session:
        first = pipeline.load_archived(pipeline.fetch_release(ref, archive, BUNDLED_MIRROR),
                                       session)
        assert (first.status, first.reported) == ("new", 470)
        read = pipeline.read_archived
        monkeypatch.setattr(pipeline, "read_archived", lambda files: pytest.fail("read again"))
        again = pipeline.fetch_release(ref, archive, BUNDLED_MIRROR, force=True)
        assert pipeline.load_archived(again, session).status == "unchanged"
        assert [o.status for o in pipeline.load_archived_together([(again, None)], session)] \
            == ["unchanged"]
        monkeypatch.setattr(pipeline, "read_archived", read)
        body = mirror_path(ref.url, BUNDLED_MIRROR).read_bytes()
        restamped = tmp_path / "IIPVNM.xml"
        restamped.write_bytes(body.replace(b"2024-11-13T06:48:52Z", b"2024-12-02T01:00:00Z"))
        other = [archive.store_local(restamped, ref)]
        assert pipeline.blob_path(other) != pipeline.blob_path(again)
        assert pipeline.load_archived(other, session).status == "unchanged"
