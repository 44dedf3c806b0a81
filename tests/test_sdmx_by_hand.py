"""Any SDMX data message by hand (`chiso ingest sdmx --file`), with no row in sdmx_datasets.csv:
its identity from the message, series keys in the structure's order whatever the layout, every
observation either loaded or quarantined with its cause, and every value as sdmx1 reads it."""

from __future__ import annotations

import io
import json
import math
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
import sdmx
from sdmx.message import DataMessage, StructureMessage

from flows.core import sdmx_catalog
from flows.core.config import BUNDLED_MIRROR
from flows.core.errors import ConfigError, CorruptFileError
from flows.core.model import ReleaseRef
from flows.orchestration.rebuild import rebuild
from flows.pipeline import default_archive, ingest_local
from flows.present.cli import main
from flows.readers.sdmx import (
    CROSS_DOMAIN_ATTRIBUTES,
    csv_structure,
    detect_format,
    read_sdmx_data,
)
from warehouse.connect import writer

FIXTURES = Path(__file__).parent / "fixtures" / "sdmx"
ECB = BUNDLED_MIRROR / "data-api.ecb.europa.eu" / "service"
ECB_STRUCTURE = ECB / "datastructure" / "ECB" / "ECB_EXR_NG" / "1.0"
ECB_DAILY = ECB / "data" / "EXR" / "D.NZD+RUB.EUR.SP00.A@format=jsondata"
PUBLISHED = datetime(2024, 11, 13)


def ingest(path: Path, *parts: Path, published: datetime = PUBLISHED) -> str:
    """Load one file by hand as `chiso ingest sdmx` does; its outcome's status."""
    ref = ReleaseRef("sdmx", "local-file", "", published, "", title=path.name,
                     parts=tuple(p.name for p in parts))
    with writer() as session:
        outcome = ingest_local([path, *parts], ref, default_archive(), session)
    assert outcome.status != "failed", outcome.message
    return outcome.status


def query(warehouse: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_time_series_and_cross_sectional_layouts_give_one_key_per_series(
    warehouse_env: Path, tmp_path: Path,
) -> None:
    """ECB's figures in both layouts, SDMX-ML and SDMX-JSON, into one warehouse: the keys
    follow the structure (M.CHF.EUR.SP00.E, never EUR_SP00_E_CHF), so the second layout is
    the same release, and a figure revised in the other layout is a revision of the series."""
    assert ingest(FIXTURES / "ECB_EXR_ng-xs.xml", ECB_STRUCTURE) == "new"
    assert ingest(FIXTURES / "ECB_EXR_ng-ts.xml") == "unchanged"
    assert ingest(FIXTURES / "ECB_EXR_xs.json") == "new"
    assert ingest(ECB_DAILY) == "unchanged"
    keys = query(warehouse_env, "select distinct series_key from v_latest order by 1")
    assert [k for (k,) in keys] == [
        f"EXR._Z._Z.{c}_EUR_SP00_{v}._Z.LEVEL.{c}_PER_EUR"
        for c, v in (("CHF", "E"), ("GBP", "E"), ("JPY", "E"), ("NZD", "A"), ("RUB", "A"),
                     ("USD", "E"))]
    assert query(warehouse_env, "select count(*), count(distinct (series_key, period_start)) "
                 "from observation") == [(16, 16)]
    provenance = query(warehouse_env, "select distinct provenance from reported where "
                       "provenance like '%CHF%2010-08'")
    assert provenance == [("ECB:EXR M.CHF.EUR.SP00.E 2010-08",)]
    revised = tmp_path / "ECB_EXR_ng-ts-revised.xml"
    text = (FIXTURES / "ECB_EXR_ng-ts.xml").read_text("utf-8")
    revised.write_text(text.replace('value="1.3089"', 'value="1.3090"', 1), "utf-8")
    assert ingest(revised, published=datetime(2024, 12, 2)) == "new"
    assert query(warehouse_env, "select value from v_vintages where series_key like "
                 "'%.CHF_EUR_SP00_E.%' and period_start = '2010-09-01' order by valid_from, "
                 "value") == [(1.3089,), (1.309,)]


def test_a_cross_sectional_message_without_its_structure_says_to_give_it(
    warehouse_env: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["ingest", "sdmx", "--file", str(FIXTURES / "ECB_EXR_ng-xs.xml"),
                 "--published-at", "2024-11-13"])
    assert code == 1
    assert ("a cross-sectional message (dimensionAtObservation CURRENCY) without its "
            "structure") in capsys.readouterr().out
    code = main(["ingest", "sdmx", "--file", str(FIXTURES / "ECB_EXR_ng-xs.xml"),
                 "--structure", str(ECB_STRUCTURE), "--published-at", "2024-11-13"])
    assert code == 0
    assert query(warehouse_env, "select count(*) from v_latest") == [(12,)]


def test_a_file_whose_every_observation_is_quarantined_lands_its_causes(
    warehouse_env: Path,
) -> None:
    """Weekly periods, status M with and without a number, a period not of its frequency;
    and a CSV with no time dimension: each row quarantined, naming why."""
    ingest(FIXTURES / "ECB_EXR_ng-ts-quarantined.xml")
    ingest(FIXTURES / "v3_csv_example-01.csv")
    rows = query(warehouse_env, "select r.file_name, q.label, q.error_code, q.message, q.raw from "
                 "quarantine q join release r using (release_id) order by 1, 2, q.cell")
    causes = Counter((title, label, code) for title, label, code, _, _ in rows)
    assert causes == {
        ("ECB_EXR_ng-ts-quarantined.xml", "W.CHF.EUR.SP00.E", "period-unparseable"): 3,
        ("ECB_EXR_ng-ts-quarantined.xml", "M.GBP.EUR.SP00.E", "value-flagged-missing"): 3,
        ("ECB_EXR_ng-ts-quarantined.xml", "M.JPY.EUR.SP00.E", "value-missing"): 3,
        ("ECB_EXR_ng-ts-quarantined.xml", "M.USD.EUR.SP00.E", "period-unparseable"): 3,
        ("v3_csv_example-01.csv", "A.B.2014-01", "period-unparseable"): 1,
        ("v3_csv_example-01.csv", "A.B.2014-02", "period-unparseable"): 1,
    }
    said = {(label, str(message).split(": ", 1)[1]) for _, label, _, message, _ in rows}
    assert ("W.CHF.EUR.SP00.E", "FREQ 'W' periods (2010-08) have no period type in chiso "
            "(M, Q, H, A, YTD, D)") in said
    assert ("M.GBP.EUR.SP00.E", "OBS_STATUS 'M' says the value is missing, yet the message "
            "gives 0.82363; check it with the provider") in said
    assert ("M.JPY.EUR.SP00.E", "OBS_VALUE NaN (OBS_STATUS M): the provider sent no figure "
            "for this period") in said
    assert any(label == "A.B.2014-01" and "no time dimension (TIME_PERIOD)" in message
               for label, message in said)
    assert query(warehouse_env, "select file_name, rows_reported, reference_period from release "
                 "order by 1") == [("ECB_EXR_ng-ts-quarantined.xml", 0, "2024-11"),
                                   ("v3_csv_example-01.csv", 0, "2024-11")]


def test_a_mapping_and_a_reference_folder_give_chiso_codes(
    warehouse_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ISTAT's population (OBS_STATUS e, no unit): the documented mapping file names the
    indicator, unit and status; the user's reference folder maps the area; the package's CSVs
    are left alone."""
    folder = tmp_path / "reference"
    folder.mkdir()
    (folder / "sdmx_codes.csv").write_text(
        "concept,code,chiso,name_en\nREF_AREA,IT,IT-ISTAT,Italy as ISTAT counts it\n", "utf-8")
    monkeypatch.setenv("CHISO_REFERENCE_DIR", str(folder))
    sdmx_catalog.codes.cache_clear()
    try:
        ingest(FIXTURES / "ISTAT_22_289.xml", FIXTURES / "ISTAT_22_289.toml")
    finally:
        sdmx_catalog.codes.cache_clear()
    found = query(warehouse_env, "select series_key, status, value from v_latest where "
                  "period_start >= '2021-01-01' order by 1, period_start")
    key = "POPULATION.IT-ISTAT._Z.JAN_{}_TOTAL_99._Z.LEVEL.PERSON"
    assert found == [
        (key.format(1), "official", 28866226.0), (key.format(1), "estimate", 28747417.0),
        (key.format(2), "official", 30369987.0), (key.format(2), "estimate", 30235705.0)]


def test_a_release_with_its_structure_and_mapping_rebuilds_from_the_archive(
    warehouse_env: Path, tmp_path: Path,
) -> None:
    ingest(FIXTURES / "ISTAT_22_289.xml", FIXTURES / "ISTAT_22_289-structure.xml",
           FIXTURES / "ISTAT_22_289.toml")
    outcomes = rebuild(default_archive(), tmp_path / "rebuilt.duckdb")
    assert [o.status for o in outcomes] == ["new"]
    sql = "select series_key, period_start, value, status from v_latest order by 1, 2"
    assert query(tmp_path / "rebuilt.duckdb", sql) == query(warehouse_env, sql)
    assert len(query(warehouse_env, sql)) == 8


def test_sdmx_ml_3_lands_in_ecbs_series_with_its_status_as_sent(warehouse_env: Path) -> None:
    """ECB's SDMX-ML 3.0 sample: the five codes of ECB's keys (COLLECTION is an attribute),
    the rate's unit, and OBS_STATUS as its <Comp> sends it (several values: kept as given)."""
    ingest(FIXTURES / "v3_xml_ECB_EXR_CA.xml")
    assert query(warehouse_env, "select series_key, period_start, value, status, provenance "
                 "from v_latest "
                 "order by 2") == [
        ("EXR._Z._Z.CAD_EUR_SP00_A._Z.LEVEL.CAD_PER_EUR", date(2017, 1, 1), 1.46472274509804,
         "A F", "ECB:EXR A.CAD.EUR.SP00.A 2017"),
        ("EXR._Z._Z.CAD_EUR_SP00_A._Z.LEVEL.CAD_PER_EUR", date(2018, 1, 1), 1.529364705882353,
         "J U N", "ECB:EXR A.CAD.EUR.SP00.A 2018"),
        ("EXR._Z._Z.CAD_EUR_SP00_A._Z.LEVEL.CAD_PER_EUR", date(2019, 1, 1), 1.485477254901961,
         "official", "ECB:EXR A.CAD.EUR.SP00.A 2019"),
    ]


def test_without_a_mapping_the_provider_codes_are_kept(warehouse_env: Path) -> None:
    """Eurostat's lowercase dimensions: geo is the area, unit the unit; no row anywhere."""
    ingest(FIXTURES / "ESTAT_NAMA_10_GDP-ss.xml")
    assert query(warehouse_env, "select distinct series_key from v_latest") == [
        ("ESTAT_NAMA_10_GDP.LU._Z.B1GQ._Z.LEVEL.CP_MEUR",)]


def test_sdmx_json_2_is_the_same_release_as_its_sdmx_json_1_twin(warehouse_env: Path) -> None:
    """sdmx1 does not read SDMX-JSON 2.0; chiso's own reader gives the figures, keys and
    provenance sdmx1's reading of the same data in SDMX-JSON 1.0 gives."""
    assert ingest(ECB_DAILY) == "new"
    assert ingest(FIXTURES / "v3_json_data_exr-time-series.json") == "unchanged"
    assert query(warehouse_env, "select count(*) from v_latest") == [(4,)]


# Data files as sdmx1 reads them, beside chiso: the shared folder's, and the trimmed or
# unchanged copies in tests/fixtures (the default run). SDMX-JSON 2.0, which sdmx1 does not
# read, is compared with sdmx1's reading of the same figures in SDMX-JSON 1.0 (its twin: the
# shared ECB_EXR_ts.json, which the mirror holds unchanged).
TWINS = {"v3_json_data_exr-time-series.json": ECB_DAILY}
STRUCTURES = {
    "ECB_EXR_ng-ts-ss.xml": "ECB_EXR_ng-structure.xml",
    "INSEE_IPI-2010-A21.xml": "INSEE_IPI-2010-A21-structure.xml",
    "ISTAT_22_289.xml": "ISTAT_22_289-structure.xml",
}
NOT_DATA = {"ECB_EXR_ng-structure.xml", "INSEE_IPI-2010-A21-structure.xml",
            "ISTAT_22_289-structure.xml", "IMF_STA_availableconstraint_CPI.xml"}
FIXTURE_FILES = ["ECB_EXR_ng-ts.xml", "ESTAT_NAMA_10_GDP-ss.xml", "ISTAT_22_289.xml",
                 "WB_gh-78.xml", "v3_csv_example-01.csv", "v3_csv_example-04.csv",
                 "v3_xml_ECB_EXR_CA.xml", "v3_json_data_exr-time-series.json",
                 "INSEE_IPI-2010-A21-trimmed.xml"]
# The bundled mirror's copies of the shared files (test_sdmx.py checks them unchanged).
MIRRORED = {
    "ECB_EXR_ng-ts-ss.xml": (ECB / "data" / "EXR" /
                             "M.CHF+GBP+JPY+USD.EUR.SP00.E@format=structurespecificdata"),
    "IMF_PCPS.xml": BUNDLED_MIRROR / "api.imf.org/external/sdmx/2.1/data/PCPS/M.W00.PZINC",
}


def sdmx1_values(path: Path, structure: Path | None) -> Counter[tuple[str, str]]:
    """(period, value) of every observation, as sdmx1 reads the file on its own."""
    path = TWINS.get(path.name, path)
    data = path.read_bytes()
    _, delimiter = detect_format(data, path.name)
    kwargs: dict[str, object] = {}
    if structure is not None:
        structures = sdmx.read_sdmx(structure)
        assert isinstance(structures, StructureMessage)
        kwargs["structure"] = next(iter(structures.structure.values()))
    if path.suffix == ".csv":
        kwargs.update(delimiter=delimiter)
        kwargs.setdefault("structure", csv_structure(data, delimiter))
    hint = "CSV" if path.suffix == ".csv" else "JSON" if data.startswith(b"{") else "XML"
    message = sdmx.read_sdmx(io.BytesIO(data), format=hint, **kwargs)
    assert isinstance(message, DataMessage)
    found: Counter[tuple[str, str]] = Counter()
    for dataset in message.data:
        for obs in dataset.obs:
            key = {k: str(v.value).split(": ")[0] for k, v in obs.key.values.items()
                   if k not in CROSS_DOMAIN_ATTRIBUTES}
            found[key.get("TIME_PERIOD", ""), _number(obs.value)] += 1
    return found


def _number(value: object) -> str:
    text = "" if value is None else str(value)
    try:
        number = float(text)
    except ValueError:
        return text
    return "nan" if math.isnan(number) else repr(number)


def chiso_values(warehouse: Path, title: str) -> Counter[tuple[str, str]]:
    """(period, value) of every observation of the release: loaded or quarantined."""
    loaded = query(warehouse, "select p.provenance, p.value from reported p join release r "
                   f"using (release_id) where r.file_name = '{title}'")
    held = query(warehouse, "select q.cell, q.raw from quarantine q join release r "
                 f"using (release_id) where r.file_name = '{title}'")
    found: Counter[tuple[str, str]] = Counter()
    for provenance, value in loaded:
        found[str(provenance).rsplit(" ", 1)[1], repr(float(value))] += 1  # type: ignore[arg-type]
    for cell, raw in held:
        period = str(cell).rsplit(" ", 1)[1] if " " in str(cell) else ""
        found[period, _number(raw)] += 1
    return found


def check_against_sdmx1(warehouse: Path, folder: Path, name: str) -> None:
    structure = folder / STRUCTURES[name] if name in STRUCTURES else None
    ingest(folder / name, *([structure] if structure else []))
    expected = sdmx1_values(folder / name, structure)
    assert sum(expected.values()) > 0, name
    assert chiso_values(warehouse, name) == expected, name


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_every_value_of_a_bundled_message_is_sdmx1s(warehouse_env: Path, name: str) -> None:
    check_against_sdmx1(warehouse_env, FIXTURES, name)


@pytest.mark.parametrize("name", sorted(MIRRORED))
def test_every_value_of_a_mirrored_message_is_sdmx1s(
    warehouse_env: Path, tmp_path: Path, name: str,
) -> None:
    """The mirror's ECB (with its structure) and IMF messages, copied under their shared
    names and loaded by hand: no registration, every value sdmx1's."""
    (tmp_path / name).write_bytes(MIRRORED[name].read_bytes())
    (tmp_path / "ECB_EXR_ng-structure.xml").write_bytes(ECB_STRUCTURE.read_bytes())
    check_against_sdmx1(warehouse_env, tmp_path, name)


@pytest.mark.extended
def test_every_shared_sdmx_message_loads_value_for_value(
    shared_releases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each real message of ../shared/releases/sdmx, none registered, loads by hand (with its
    structure where the folder has one, and without), and every value is sdmx1's."""
    folder = shared_releases / "sdmx"
    names = sorted(p.name for p in folder.iterdir() if p.name not in NOT_DATA)
    assert len(names) == 12
    for name in names:
        structure = folder / STRUCTURES[name] if name in STRUCTURES else None
        for given in {structure, None}:
            home = tmp_path / f"{name}-{given is not None}"
            monkeypatch.setenv("CHISO_WAREHOUSE", str(home / "chiso.duckdb"))
            monkeypatch.setenv("CHISO_ARCHIVE", str(home / "archive"))
            ingest(folder / name, *([given] if given else []))
            expected = sdmx1_values(folder / name, structure)  # sdmx1 needs ISTAT's
            assert sum(expected.values()) > 0, name
            assert chiso_values(home / "chiso.duckdb", name) == expected, (name, given)


def test_the_reference_folder_replaces_and_adds_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CHISO_REFERENCE_DIR", str(tmp_path))
    (tmp_path / "sdmx_codes.csv").write_text(
        "concept,code,chiso,name_en\nREF_AREA,VNM,VN-X,replaced\nREF_AREA,FM,FR-M,added\n",
        "utf-8")
    sdmx_catalog.codes.cache_clear()
    try:
        found = sdmx_catalog.codes()
        assert (found["REF_AREA", "VNM"], found["REF_AREA", "FM"]) == ("VN-X", "FR-M")
        assert found["REF_AREA", "VIE"] == "VN"  # the package's other rows stay
        (tmp_path / "sdmx_codes.csv").write_text("concept,code,geo\nREF_AREA,FM,FR\n", "utf-8")
        sdmx_catalog.codes.cache_clear()
        with pytest.raises(ConfigError, match=r"sdmx_codes\.csv: line 2 has the columns"):
            sdmx_catalog.codes()
    finally:
        sdmx_catalog.codes.cache_clear()


def test_structure_is_an_option_of_sdmx_alone(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ingest", "worldbank", "--file", str(FIXTURES / "ECB_EXR_xs.json"),
                 "--structure", str(ECB_STRUCTURE), "--published-at", "2024-11-13"])
    assert code == 2
    assert "--structure is the SDMX structure message of an SDMX file; ingest worldbank takes " \
        "none" in capsys.readouterr().err


def test_an_sdmx_json_2_index_past_its_values_is_a_corrupt_file() -> None:
    name = "v3_json_data_exr-time-series.json"
    tree = json.loads((FIXTURES / name).read_text("utf-8"))
    series = tree["data"]["dataSets"][0]["series"]
    series["7"] = series.pop("1")  # a series key pointing past the one CURRENCY list
    with pytest.raises(CorruptFileError, match=r"^v3\.json: an SDMX-JSON 2\.0 message chiso could "
                       r"not follow \(IndexError"):
        read_sdmx_data(json.dumps(tree).encode(), "v3.json")
