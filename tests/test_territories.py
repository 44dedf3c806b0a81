"""Provinces with their borders in time (issue 16): the reference data, the territory a figure is
filed under, and Hải Phòng across the 1 July 2025 merger end to end, from report texts written
for these tests (tests/fixtures/prose/haiphong-stats-2025-09.txt says which figures are
illustrative) and the bundled mirror's September 2024 report of the old city."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from flows.archive import Archive
from flows.core import periods
from flows.core.config import BUNDLED_MIRROR
from flows.core.errors import ConfigError
from flows.core.model import ReleaseRef, series_key_of
from flows.core.reference import read_rows
from flows.core.territories import not_in_force, territories, territory_in_force
from flows.normalise.gso import normalise
from flows.pipeline import (
    fetch_release,
    load_archived,
    read_gso_workbook,
    read_report,
    store_local,
)
from flows.present.cli import main
from flows.readers.workbook.grid import read_workbook
from flows.readers.workbook.tables import find_tables
from flows.sources.press import main_place
from warehouse import query
from warehouse.connect import writer

FIXTURES = Path(__file__).parent / "fixtures" / "prose"
MERGER = date(2025, 7, 1)
STATS_2024 = ("https://thongkehaiphong.gov.vn/thong-tin-kinh-te-xa-hoi/"
              "tinh-hinh-kinh-te-xa-hoi-thang-9-9-thang-nam-2024-thanh-pho-hai-phong-586.html")
IIP_YTD = "IIP.{geo}._T._Z._Z.INDEX_YOY.INDEX"
GSO_2024_09 = "www.gso.gov.vn/wp-content/uploads/2024/10/2.Bieu-T9.2024.xlsx"
QUARTERS = "19.VNSNN quý"  # state-budget investment by quarter, by province


def fixture_text(name: str) -> str:
    """A fixture's report text without the header lines that say what it is."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("#"))


# -- the reference data ---------------------------------------------------------------------------


def test_the_63_former_provinces_are_present_with_names_and_links() -> None:
    known = territories()
    before = [t for t in known.values() if t.in_force(MERGER.replace(day=1, month=6))]
    assert len(before) == 63
    assert all(t.name_vi and t.name_en and t.name_en.isascii() for t in known.values())
    # every province places.csv names (but the country) is a territory, and keeps its code
    named = {r["geo"] for r in read_rows("places.csv")} - {"VN"}
    assert named <= set(known)
    assert {t.geo for t in before} == named - {"VN-HT"}  # Hà Tây ended in 2008
    for t in before:  # each either became exactly one territory, or continues unchanged
        assert (t.valid_to == date(2025, 6, 30) and t.successor) or (
            t.valid_to is None and not t.successor and t.in_force(MERGER)), t.geo
        assert t.unknown_from is None, t.geo
    # links both ways: what a territory became lists it among what that came from
    for t in known.values():
        if t.successor:
            assert t.geo in known[t.successor].predecessors, t.geo
        for p in t.predecessors:
            assert known[p].successor == t.geo, (t.geo, p)


def test_hai_phong_and_hai_duong_became_the_merged_city() -> None:
    known = territories()
    merged = known["VN-31-2025"]
    assert (merged.province, merged.name_vi, merged.valid_from) == ("VN-31", "Hải Phòng", MERGER)
    assert set(merged.predecessors) == {"VN-31", "VN-30"}
    for old in ("VN-31", "VN-30"):
        assert (known[old].valid_to, known[old].successor) == (date(2025, 6, 30), "VN-31-2025")
    assert merged.label_vi == "Hải Phòng (từ 1/7/2025)"
    assert known["VN-31"].label_en == "Hai Phong (to 30 June 2025)"


def test_the_34_provinces_in_force_from_1_july_2025() -> None:
    """Resolution 202/2025/QH15: 11 provinces unchanged, 52 merged into 23 (in twos and threes),
    each merged province under a code one of its predecessors had (Decision 19/2025/QĐ-TTg)."""
    known = territories()
    after = [t for t in known.values() if t.in_force(MERGER)]
    assert len(after) == 34
    merged = [t for t in after if t.predecessors and t.valid_from == MERGER]
    assert len(merged) == 23 and len(after) - len(merged) == 11
    assert sorted(len(t.predecessors) for t in merged) == [2] * 17 + [3] * 6
    assert all(t.province in t.predecessors and t.geo == f"{t.province}-2025" for t in merged)
    assert sum(len(t.predecessors) for t in merged) == 63 - 11


@pytest.mark.parametrize(("geo", "on", "expected"), [
    ("VN-31", date(2024, 9, 30), "VN-31"),
    ("VN-31", date(2025, 6, 30), "VN-31"),
    ("VN-31", date(2025, 7, 1), "VN-31-2025"),
    ("VN-31-2025", date(2024, 9, 30), "VN-31-2025"),  # recomputed on the merged borders
    ("VN-30", date(2025, 6, 30), "VN-30"),
    ("VN-30", date(2025, 9, 30), None),
    ("VN-27", date(2025, 9, 30), None),  # Bắc Ninh merged into VN-24-2025 (Bắc Giang's code)
    ("VN-24", date(2025, 9, 30), "VN-24-2025"),
    ("VN-01", date(2025, 9, 30), "VN-01"),  # Hà Nội unchanged: no break
    ("VN", date(2025, 9, 30), "VN"),
])
def test_the_territory_in_force(geo: str, on: date, expected: str | None) -> None:
    assert territory_in_force(geo, on) == expected


def test_why_a_province_has_no_territory_then() -> None:
    assert "Hải Dương (VN-30) was merged into Hải Phòng (VN-31-2025) on 2025-07-01" in (
        not_in_force("VN-30", date(2025, 9, 30)))
    assert "Bắc Ninh (VN-27) was merged into Bắc Ninh (VN-24-2025) on 2025-07-01" in (
        not_in_force("VN-27", date(2025, 9, 30)))


# -- readers --------------------------------------------------------------------------------------


def test_a_2025_report_is_the_merged_citys_and_refuses_the_old_units_figures() -> None:
    observations, rejected = read_report(
        fixture_text("haiphong-stats-2025-09.txt"), geo="VN-31", published=date(2025, 9, 29))
    got = {(o.series_key, f"{o.period.end:%Y-%m}"): o.value for o in observations}
    assert got[(IIP_YTD.format(geo="VN-31-2025"), "2025-09")] == 112.35
    # "the same period last year" recomputed on the merged city: the merged city's, not VN-31's
    assert got[(IIP_YTD.format(geo="VN-31-2025"), "2024-09")] == 111.2
    assert {o.geo for o in observations} == {"VN-31-2025"}
    assert [(r.code, "Hải Dương (cũ)" in r.label) for r in rejected] == [("territory-former", True)]


def test_a_2024_text_names_the_old_provinces() -> None:
    text = fixture_text("haiduong-2024-09.txt")
    assert main_place(text) == "VN-30"
    observations, _ = read_report(text, geo="VN-30", published=date(2024, 10, 2))
    assert [o.series_key for o in observations] == [IIP_YTD.format(geo="VN-30")]
    with pytest.raises(ConfigError, match="merged into Hải Phòng"):
        read_report(text, geo="VN-30", published=date(2025, 10, 2))


def test_a_gso_table_by_province_uses_the_borders_of_each_period() -> None:
    """The bundled September 2024 workbook's quarterly state-budget investment by province,
    its years moved on by one and a Hải Dương row added (a copy of Hải Phòng's figures: the
    figures are illustrative, the layout GSO's): quarters I and II of 2025 are on the old
    borders, quarter III on the new ones."""
    (grid,) = read_workbook(BUNDLED_MIRROR / GSO_2024_09, keep=lambda g: g.sheet == QUARTERS)
    rows = [[_a_year_on(cell) for cell in row] for row in grid.rows]
    hai_phong = next(n for n, row in enumerate(rows) if row[1] == "Hải Phòng")
    rows.insert(hai_phong + 1, ["", "Hải Dương", *rows[hai_phong][2:]])
    september = periods.month(2025, 9)
    (table,) = find_tables([replace(grid, rows=rows)], september)
    observations, rejected = normalise(table, september)
    levels = {(o.geo, str(o.period)) for o in observations
              if o.geo in {"VN-31", "VN-31-2025", "VN-30"} and o.measure == "level"}
    assert levels == {("VN-31", "2025-Q1"), ("VN-31", "2025-Q2"), ("VN-31-2025", "2025-Q3"),
                      ("VN-30", "2025-Q1"), ("VN-30", "2025-Q2")}
    # each series key names the territory of the figure's own period
    assert [o.series_key for o in observations] == [series_key_of(
        o.indicator, o.geo, o.industry, o.product, o.partner, o.measure, o.unit)
        for o in observations]
    refused = {r.label: r.message for r in rejected if r.code == "territory-unknown"}
    assert "merged into Hải Phòng (VN-31-2025)" in refused["Hải Dương"]
    # every province follows Resolution 202/2025/QH15: Hà Nội continues unchanged, Bình
    # Dương's figures are refused after it became part of Hồ Chí Minh City
    assert "merged into Thành phố Hồ Chí Minh (VN-79-2025)" in refused["Bình Dương"]
    assert ("VN-01", "2025-Q3") in {(o.geo, str(o.period)) for o in observations}
    assert not [r for r in rejected if "DOMAIN.md" in r.message]


@pytest.mark.extended
def test_ha_tay_is_a_province_in_gso_tables_up_to_its_merger(shared_releases: Path) -> None:
    """Hà Tây's rows in GSO's tables by province are its own (VN-HT), not a product of the whole
    country's (they were `VN ... HA_TAY` until December 2026), from 2001 to its 2008 figures.
    Its 2008 crop and school year, printed under its name, began before it became part of Hà
    Nội on 1 August 2008 and stay its own; no Hà Tây figure is refused."""
    found: dict[tuple[str, str, str], tuple[str, float]] = {}
    refused = []
    for name in ("2001-06-29-Bieu06-1.xls", "2008-06-30-Bieu0608-1.xls",
                 "2008-12-30-Bieu1208-1.xls"):
        workbook = read_gso_workbook(shared_releases / "gso" / name)
        found |= {(name[:7], o.provenance, o.indicator): (o.geo, o.value)
                  for o in workbook.observations if o.geo == "VN-HT" or "HA_TAY" in o.series_key}
        refused += [r for r in workbook.rejected
                    if "Hà Tây" in r.label and r.code == "territory-unknown"]
    assert found[("2001-06", "06DTNN!E37", "FDI_CAPITAL_NEW")] == ("VN-HT", 1827.0)
    assert found[("2008-06", "06DTNN!E27", "FDI_CAPITAL_NEW")] == ("VN-HT", 22200.0)
    assert found[("2008-06", "dxdp!B14", "AGRICULTURE_AREA")] == ("VN-HT", 76.0)
    assert found[("2008-12", "THPT!C13", "EDUCATION_UPPER_SEC_R1_CANDIDATES")] == (
        "VN-HT", 45576.0)
    assert {geo for geo, _ in found.values()} == {"VN-HT"}
    assert refused == []


def _a_year_on(cell: object) -> object:
    if isinstance(cell, str):
        return cell.replace("2024", "2025").replace("2023", "2024")
    return 2025.0 if cell == 2024.0 else cell


# -- the warehouse: Hải Phòng across the border date ----------------------------------------------


def report_page(text: str, title: str, dateline: str) -> bytes:
    """A report page in NukeViet's detail structure, as the city office posts it."""
    body = "".join(f"<p>{line}</p>" for line in text.splitlines()[1:])
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
        f'<div class="news_column"><h1 class="title">{title}</h1>'
        f'<span class="h5">{dateline}</span><div class="hometext">Tóm tắt.</div>'
        f'<div id="news-bodyhtml" class="bodytext">{body}</div></div></body></html>'
    ).encode()


@pytest.fixture(scope="module")
def across_the_merger_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The old city's September 2024 report (mirror), a 2024 Hải Dương article and the merged
    city's September 2025 report, loaded in that order. Loaded once for the module, not per
    test: each test gets a copy (`across_the_merger`)."""
    tmp_path = tmp_path_factory.mktemp("merger")
    archive = Archive(tmp_path / "archive")
    page = tmp_path / "hp-2025-09.html"
    page.write_bytes(report_page(
        fixture_text("haiphong-stats-2025-09.txt"),
        "Tình hình kinh tế - xã hội thành phố Hải Phòng tháng 9 và 9 tháng năm 2025",
        "Thứ hai - 29/09/2025 10:30"))
    article = tmp_path / "hai-duong.txt"
    article.write_text(fixture_text("haiduong-2024-09.txt"), encoding="utf-8")
    old = ReleaseRef("haiphong_stats", "monthly-report", STATS_2024,
                     datetime(2024, 9, 29, 10, 30), "2024-09")
    new = ReleaseRef("haiphong_stats", "monthly-report", "https://example.test/hp-2025-09.html",
                     datetime(2025, 9, 29, 10, 30), "2025-09")
    press = ReleaseRef("press", "article", "", datetime(2024, 10, 2), "",
                       title="hai-duong.txt")
    with writer(tmp_path / "wh" / "chiso.duckdb") as session:
        files = fetch_release(old, archive, BUNDLED_MIRROR)
        assert files is not None
        outcomes = [load_archived(files, session)]
        for path, ref in ((article, press), (page, new)):
            outcomes.append(load_archived(store_local([path], ref, archive), session))
    assert [o.status for o in outcomes] == ["new"] * 3, [o.message for o in outcomes]
    return tmp_path


@pytest.fixture
def across_the_merger(across_the_merger_folder: Path, warehouse_env: Path, tmp_path: Path
                      ) -> Path:
    """A copy of the warehouse across the merger and its archive, where warehouse_env points
    chiso."""
    shutil.copytree(across_the_merger_folder / "wh", warehouse_env.parent)
    shutil.copytree(across_the_merger_folder / "archive", tmp_path / "archive")
    return warehouse_env


def test_the_merger_is_no_revision(across_the_merger: Path) -> None:
    with duckdb.connect(str(across_the_merger), read_only=True) as con:
        same_period = con.execute(
            "select geo, value from v_vintages where indicator = 'IIP' and measure = 'index_yoy'"
            " and period_type = 'YTD' and period_end = '2024-09-30' and source = "
            "'haiphong_stats' order by geo").fetchall()
        assert same_period == [("VN-31", 114.09), ("VN-31-2025", 111.2)]
        assert con.execute("select count(*) from v_revisions").fetchone() == (0,)


def test_the_break_is_flagged_and_points_to_the_successor(across_the_merger: Path) -> None:
    with duckdb.connect(str(across_the_merger), read_only=True) as con:
        rows = con.execute(
            "select geo, change, changed_on, valid_to, related_geo, related_series_key, "
            "break_in_span from v_territory_changes where series_key like 'IIP.%.INDEX_YOY.INDEX'"
            " order by geo, related_geo").fetchall()
    merged_key = IIP_YTD.format(geo="VN-31-2025")
    assert rows == [
        # Hải Dương ends on 30 June 2025 and goes on as the merged city (no such series yet)
        ("VN-30", "ended", MERGER, date(2025, 6, 30), "VN-31-2025", merged_key, False),
        ("VN-31", "ended", MERGER, date(2025, 6, 30), "VN-31-2025", merged_key, False),
        ("VN-31-2025", "formed", MERGER, None, "VN-30", IIP_YTD.format(geo="VN-30"), False),
        ("VN-31-2025", "formed", MERGER, None, "VN-31", IIP_YTD.format(geo="VN-31"), False),
    ]


def test_queries_for_hai_phong_return_both_territories_labelled(across_the_merger: Path) -> None:
    frame = query("observations", indicator="IIP", geo="VN-31")
    labelled = set(zip(frame["geo"], frame["geo_vi"], frame["period_end"].astype(str), strict=True))
    assert labelled == {
        ("VN-31", "Hải Phòng (đến 30/6/2025)", "2024-09-30"),
        ("VN-31-2025", "Hải Phòng (từ 1/7/2025)", "2024-09-30"),
        ("VN-31-2025", "Hải Phòng (từ 1/7/2025)", "2025-09-30"),
    }
    ytd = query("hp_industry_ytd", period="2025-09")
    assert ytd[["geo", "territory", "index_yoy", "last_year_index"]].values.tolist() == [
        ["VN-31-2025", "Hải Phòng (từ 1/7/2025)", 112.35, 111.2]]  # never 114.09, the old city's
    both = query("hp_industry_ytd", period="2024-09")
    assert both[["geo", "index_yoy"]].values.tolist() == [["VN-31", 114.09],
                                                          ["VN-31-2025", 111.2]]
    # a year's months: one series per territory, never one spliced from both
    months = query("ytd", indicator="IIP", measure="index_yoy", geo="VN-31", year=2024)
    september = months[months["month"] == 9]
    assert sorted(september[["series_key", "value"]].values.tolist()) == [
        [IIP_YTD.format(geo="VN-31-2025"), 111.2], [IIP_YTD.format(geo="VN-31"), 114.09]]
    # the province asked for a period: its territory in force then
    trade = query("trade_ytd_vs_plan", period="2025-09", geo="VN-31")
    assert trade[["indicator", "geo", "ytd"]].values.tolist()[0] == ["EXPORTS", "VN-31-2025",
                                                                     28500.0]
    assert query("trade_ytd_vs_plan", period="2024-09", geo="VN-31")["geo"].tolist() == [
        "VN-31", "VN-31"]


def test_a_change_in_place_is_a_break_within_the_series(warehouse_env: Path,
                                                        tmp_path: Path) -> None:
    """Hà Nội took Hà Tây in on 1 August 2008 and kept its code: its series runs across the
    change, so the view flags the break (two articles written here; the figures illustrative)."""
    archive = Archive(tmp_path / "archive")
    outcomes = []
    with writer() as session:
        for year, growth in ((2007, "10,50"), (2009, "8,25")):
            path = tmp_path / f"ha-noi-{year}.txt"
            path.write_text(
                f"Hà Nội: chỉ số sản xuất công nghiệp 9 tháng năm {year} ước tính tăng {growth}% "
                "so với cùng kỳ năm trước.\n", encoding="utf-8")
            ref = ReleaseRef("press", "article", "", datetime(year, 10, 2), "", title=path.name)
            outcomes.append(load_archived(store_local([path], ref, archive), session))
    assert [o.status for o in outcomes] == ["new", "new"], [o.message for o in outcomes]
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        rows = con.execute(
            "select geo, change, changed_on, related_geo, first_period_start, last_period_end, "
            "break_in_span from v_territory_changes").fetchall()
    assert rows == [("VN-01", "absorbed", date(2008, 8, 1), "VN-HT", date(2007, 1, 1),
                     date(2009, 9, 30), True)]


def test_the_territory_changes_query_as_the_warehouse_stood(across_the_merger: Path) -> None:
    now = query("territory_changes", series=IIP_YTD.format(geo="VN-31"))
    assert now[["change", "changed_on", "related_series_key", "break_in_span"]].values.tolist() == [
        ["ended", pd.Timestamp(MERGER), IIP_YTD.format(geo="VN-31-2025"), False]]
    # before the merged city's report, the old city's series had no successor figures yet
    then = query("territory_changes", "2025-01-31", series=IIP_YTD.format(geo="VN-31"))
    assert then["related_series_key"].isna().tolist() == [True]
    assert set(query("territory_changes", geo="VN-31")["geo"]) == {"VN-31", "VN-31-2025"}


def test_series_show_says_where_the_old_citys_series_goes_on(
    across_the_merger: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["series", "show", IIP_YTD.format(geo="VN-31")]) == 0
    text = capsys.readouterr().out
    assert ("  borders        Hải Phòng to 2025-06-30; from 2025-07-01 the figure is "
            f"{IIP_YTD.format(geo='VN-31-2025')} (VN-31-2025 Hải Phòng)") in text
    assert main(["series", "show", IIP_YTD.format(geo="VN-31-2025")]) == 0
    text = capsys.readouterr().out
    assert "Hải Phòng from 2025-07-01, formed with VN-30 Hải Dương (its series: " in text
