"""The HTML report on the demo warehouse (with the Department of Industry and Trade's September
report loaded as a press article, for Hải Phòng's industries): real figures, nothing fetched
from anywhere, every label escaped; and the flows refreshing it after a load."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flows.archive import Archive
from flows.core.errors import ChisoError
from flows.core.model import ReleaseRef
from flows.pipeline import load_archived
from flows.present import charts
from flows.present.charts import Bar, Frame, Line
from flows.present.report import write_report
from warehouse.connect import reader, writer
from warehouse.query import REPORT_DIR, named_query, statement

FIXTURES = Path(__file__).parent / "fixtures"
# The department's September 2024 report: whole industry, seven industries, exports and plan.
ARTICLE = FIXTURES / "prose" / "haiphong-doit-2024-09.txt"
EVIL = "<script>alert('chiso')</script>"
PRESENT = Path(__file__).parents[1] / "flows" / "present"
REPORT_QUERIES = sorted(p.stem for p in REPORT_DIR.glob("*.sql"))


def city_warehouse(bundled: Path, folder: Path) -> Path:
    """A copy of the demo warehouse with the department's report loaded as a press article."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = shutil.copyfile(bundled, folder / "chiso.duckdb")
    ref = ReleaseRef("press", "Báo Hải Phòng", "", datetime(2024, 10, 15), "", title=ARTICLE.name)
    archived = [Archive(folder / "archive").store_local(ARTICLE, ref)]
    with writer(copy) as session:
        outcome = load_archived(archived, session)
    assert outcome.status == "new", outcome.message
    return copy


@pytest.fixture(scope="module")
def warehouse(bundled_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return city_warehouse(bundled_warehouse, tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def page(warehouse: Path) -> str:
    return write_report(warehouse.parent / "report.html", warehouse=warehouse).read_text("utf-8")


FIGURE = re.compile(r"[+-]?[0-9][0-9,]*(\.[0-9]+)?")


def row(*cells: str) -> str:
    """The start of a table row with these cells (figures right-aligned: class num)."""
    return "<tr>" + "".join(
        f'<td class="{"text" if len(c) > 24 else "short"}'
        f'{" num" if FIGURE.fullmatch(c) else ""}">{c}</td>' for c in cells)


def test_the_national_figures_are_the_published_ones(page: str) -> None:
    # IIP for September 2024: 110.84 when first published (6 October), 108.30 a month later.
    assert row("September 2024", "110.84", "2024-10-06", "108.30", "2024-11-06", "-2.54") in page
    assert row("August 2024", "109.50", "2024-09-06", "108.38", "2024-10-06", "-1.12") in page
    # Exports and imports of September 2024 (million USD) in the national figures table.
    assert row("September 2024", "108.30", "34,049.6") in page
    assert "Viet Nam: exports and imports of goods" in page
    assert "Source: General Statistics Office of Viet Nam" in page
    assert "as published on 2025-01-06" in page  # December's report, the latest in the charts


def test_the_haiphong_panel_is_the_articles(page: str) -> None:
    # Industries by their VSIC names, diacritics intact, growth on January-September 2023.
    for name, growth in [("Sản xuất máy vi tính và thiết bị ngoại vi của máy vi tính", "+106.17"),
                         ("Sản xuất xe có động cơ", "+56.38"),
                         ("Đóng tàu và cấu kiện nổi", "+27.74")]:
        assert f"<title>{name}: {growth}</title>" in page
    assert "Hải Phòng: industrial production by industry, January–September 2024" in page
    assert "annual plan +15%" in page
    # Both publishers' whole-industry figures, side by side: 14.09 and 15.14.
    assert "Toàn ngành công nghiệp (Hải Phòng City Statistics Office): +14.09" in page
    assert "Toàn ngành công nghiệp (Hải Phòng Department of Industry and Trade): +15.14" in page
    # Exports against the plan: 26,351.9 is 79.8% of a plan of 33,022.4 million USD.
    assert "January–September 2024: 26,351.9" in page
    assert "Annual plan 2024 (implied: 79.8% achieved): 33,022.4" in page
    assert "January–September 2023: 20,786.7" in page


def test_freshness_and_conflicts(page: str) -> None:
    freshness = page.split('id="freshness"')[1].split("</section>")[0]
    assert "overdue by" in freshness and "2024-12" in freshness and "2025-02-06" in freshness
    conflicts = page.split('id="conflicts"')[1].split("</section>")[0]
    assert row("Industrial production index, Hải Phòng") in conflicts
    assert "114.09" in conflicts and "115.14" in conflicts and "+1.05" in conflicts
    assert "354,671.3" in conflicts and "353,782.0" in conflicts  # GSO against the World Bank


def test_nothing_is_fetched_from_anywhere(page: str) -> None:
    links = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", page)
    assert links and all(link.startswith("#") for link in links), links
    assert re.search(r"https?:|//[a-z]", page) is None
    for tag in ("<script", "<link", "<img", "<iframe", "@import", "url("):
        assert tag not in page.lower()
    assert "default-src 'none'" in page  # and the browser is told to fetch nothing


def test_charts_escape_every_label() -> None:
    frame = Frame(EVIL, EVIL, EVIL, EVIL)
    svgs = [charts.bar_chart(frame, [Bar(EVIL, 1.0)], str),
            charts.line_chart(frame, [EVIL, "Feb"], [Line(EVIL, [1.0, 2.0])], str),
            charts.column_chart(frame, [EVIL], [1.0], str)]
    for svg in svgs:
        assert "<script" not in svg and "&lt;script&gt;alert(&#x27;chiso&#x27;)" in svg


def test_the_page_escapes_names_from_the_warehouse(warehouse: Path, tmp_path: Path) -> None:
    copy = shutil.copyfile(warehouse, tmp_path / "chiso.duckdb")
    with duckdb.connect(str(copy)) as con:
        con.execute("update source set name = ? where source = 'haiphong_doit'", [EVIL])
    page = write_report(tmp_path / "report.html", warehouse=copy).read_text("utf-8")
    assert "<script" not in page and "&lt;script&gt;" in page


def test_as_of_shows_the_warehouse_as_it_stood(warehouse: Path) -> None:
    page = write_report(warehouse.parent / "as-of.html", as_of=date(2024, 9, 30),
                        warehouse=warehouse).read_text("utf-8")
    assert "as it stood at the end of 2024-09-30" in page
    # July as revised in September's report; August as first published; no September yet.
    assert row("July 2024", "111.23", "2024-07-29", "111.08", "2024-09-06", "-0.15") in page
    assert row("August 2024", "109.50", "2024-09-06", "109.50", "2024-09-06", "+0.00") in page
    assert "September 2024" not in page.split('id="revisions"')[1].split("</section>")[0]
    assert "34,049.6" not in page


def section(page: str, name: str) -> str:
    return page.split(f'id="{name}"')[1].split("</section>")[0]


def test_as_of_applies_to_freshness_and_conflicts(warehouse: Path, page: str) -> None:
    early = write_report(warehouse.parent / "as-of-tables.html", as_of=date(2024, 9, 30),
                         warehouse=warehouse).read_text("utf-8")
    # By the end of 30 September GSO had published August (on the 6th), September was due on
    # 6 October; the Department's September page, due on the 29th, was a day late.
    gso = "General Statistics Office of Viet Nam (National Statistics Office since 2025)"
    assert row(gso, "8", "2024-08", "2024-09-06", "2024-09", "2024-10-06", "on time") in section(
        early, "freshness")
    assert row("Hải Phòng Department of Industry and Trade", "1", "2024-08", "2024-09-05",
               "2024-09", "2024-09-29", "overdue by 1 day") in section(early, "freshness")
    assert row(gso, "12", "2024-12") in section(page, "freshness")
    # The Department's 115.14 against the Statistics Office's 114.09 came with its September
    # page on 4 October: no conflict before.
    assert "115.14" in section(page, "conflicts")
    assert "None." in section(early, "conflicts")


def test_another_series(warehouse: Path) -> None:
    page = write_report(warehouse.parent / "exports.html", "EXPORTS.VN._Z._T._Z.LEVEL.USD_MN",
                        warehouse=warehouse).read_text("utf-8")
    assert "<h2>Revisions: Exports of goods, Viet Nam</h2>" in page
    assert row("September 2024", "34,049.6") in page
    with pytest.raises(ChisoError, match="series 'NO_SUCH' is not in the warehouse"):
        write_report(warehouse.parent / "x.html", "NO_SUCH", warehouse=warehouse)


def test_the_command_writes_the_report(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from flows.present.cli import main

    monkeypatch.setenv("CHISO_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("CHISO_REPORT", str(tmp_path / "default.html"))
    assert main(["report"]) == 0
    assert capsys.readouterr().out == f"report: {tmp_path / 'default.html'}\n"
    output = tmp_path / "chosen.html"
    assert main(["report", "--output", str(output), "--as-of", "2024-10-31"]) == 0
    assert "as it stood at the end of 2024-10-31" in output.read_text("utf-8")


def test_nice_ticks() -> None:
    assert charts.nice_ticks(93.19, 118.86) == [90, 100, 110, 120]
    assert charts.nice_ticks(0, 37589.7) == [0, 10000, 20000, 30000, 40000]
    assert charts.nice_ticks(-2.54, 1.44) == [-3, -2, -1, 0, 1, 2]


@pytest.mark.flow
@pytest.mark.slow
def test_a_run_that_loads_refreshes_the_report(
    prefect_harness: None, warehouse_env: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.core.config import BUNDLED_MIRROR
    from flows.orchestration.flows import run_all

    monkeypatch.setenv("CHISO_MIRROR", str(BUNDLED_MIRROR))
    state = run_all(names=["haiphong_doit"], return_state=True)
    report = warehouse_env.parent / "report.html"
    assert "Hải Phòng: exports of goods" in report.read_text("utf-8")
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["chiso-report"])))
    # Once, by run_all itself: its source subflow leaves the report to it.
    mine = [a for a in artifacts if a.data and report.resolve().as_uri() in str(a.data)]
    assert [a.flow_run_id for a in mine] == [state.state_details.flow_run_id]
    report.unlink()
    run_all(names=["haiphong_doit"])  # nothing new: the report is left alone
    assert not report.exists()


@pytest.mark.parametrize("name", REPORT_QUERIES)
def test_report_queries_run_and_are_used(warehouse: Path, name: str) -> None:
    """Each sql/report query runs with its header's example values and is asked by name."""
    params = {p.name: p.example for p in named_query(name, REPORT_DIR).params}
    text, bound = statement(name, directory=REPORT_DIR, **params)
    con = reader(warehouse)
    try:
        con.execute(text, bound).fetchall()
    finally:
        con.close()
    code = "".join(p.read_text(encoding="utf-8") for p in PRESENT.glob("*.py"))
    assert f'"{name}"' in code


# --- readable on any screen, figures aligned, publishers told apart ----------------------------


def test_columns_of_figures_are_right_aligned(page: str) -> None:
    revisions = section(page, "revisions")
    head = re.search(r"<thead><tr>(.*?)</tr></thead>", revisions)
    assert head is not None
    assert re.findall(r'<th( class="num")?>([^<]*)</th>', head.group(1)) == [
        ("", "period"), (' class="num"', "first published"), ("", "published on"),
        (' class="num"', "latest"), ("", "published on"), (' class="num"', "revision")]
    freshness = section(page, "freshness")
    assert '<th class="num">releases</th>' in freshness and '<th>last period</th>' in freshness
    assert "td.num, th.num { text-align: right; }" in page


def test_every_chart_is_drawn_wide_and_narrow(page: str) -> None:
    figures = re.findall(r"<figure>(.*?)</figure>", page, re.S)
    assert len(figures) == 8
    for figure in figures:
        boxes = re.findall(r'<svg class="chart (wide|narrow)" [^>]*viewBox="0 0 (\d+) ', figure)
        assert boxes == [("wide", "760"), ("narrow", "360")], figure[:200]
    # the narrow drawing labels fewer periods: 24 months, every 4th instead of every 2nd
    national = figures[3]
    wide, narrow = national.split('<svg class="chart narrow"')
    assert wide.count('class="period"') > narrow.count('class="period"') >= 6


def test_publishers_have_their_own_colour_and_a_legend(page: str) -> None:
    industries = re.findall(r"<figure>(.*?)</figure>", page, re.S)[0].split(
        '<svg class="chart narrow"')[0]
    fills = {name: fill for fill, name in re.findall(
        r'<rect class="mark" [^>]*fill="(#[0-9a-f]{6})"><title>Toàn ngành công nghiệp '
        r"\(([^)]*)\)", industries)}
    assert set(fills) == {"Hải Phòng City Statistics Office",
                          "Hải Phòng Department of Industry and Trade", "Press articles"}
    assert len(set(fills.values())) == 3, fills
    legend = re.findall(r'<rect x="[^"]*" y="[^"]*" width="16" height="12" fill="(#[0-9a-f]{6})"/>'
                        r'\n<text class="legend" [^>]*>([^<]*)</text>', industries)
    assert {name: fill for fill, name in legend} == fills


def test_no_revisions_is_said_not_drawn(warehouse: Path) -> None:
    # Mining's month-on-month index: twelve months, none revised by a later report.
    unrevised = section(write_report(warehouse.parent / "unrevised.html",
                                     "IIP.VN.05._Z._Z.INDEX_POP.INDEX", warehouse=warehouse)
                        .read_text("utf-8"), "revisions")
    assert "No revisions: every figure below stands as first published." in unrevised
    assert "revision, latest minus first release" not in unrevised and "+0.00</text>" not in (
        unrevised)
    assert unrevised.count("<figure>") == 1 and unrevised.count("<tr>") == 13
    assert "revision, latest minus first release" in section(
        write_report(warehouse.parent / "revised.html", warehouse=warehouse).read_text("utf-8"),
        "revisions")
