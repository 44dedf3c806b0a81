"""One series whole: `chiso series show`, `chiso export --series` and `warehouse.series()` give
back every vintage a real release published; search puts the headline first and knows English
and accentless place names; terminal tables never cut a key or a code."""

from __future__ import annotations

import io
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from flows.archive import Archive
from flows.core.model import ReleaseRef
from flows.pipeline import load_archived, store_local
from flows.present.cli import SERIES_SHOW_EXAMPLE, main
from flows.present.terminal import display_width, render_table
from warehouse import search, series
from warehouse.connect import writer
from warehouse.labels import labels
from warehouse.query import UnknownSeriesError

from samples import AUGUST_2024, SEPTEMBER_2024

IIP = "IIP.VN._T._Z._Z.INDEX_YOY.INDEX"
HP_IIP = "IIP.VN-31._T._Z._Z.INDEX_YOY.INDEX"
HP_SOURCES = ("haiphong_stats", "haiphong_doit")


@pytest.fixture
def wh(bundled_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CHISO_WAREHOUSE", str(bundled_warehouse))
    monkeypatch.delenv("COLUMNS", raising=False)
    return bundled_warehouse


@pytest.fixture(scope="module")
def two_releases_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """GSO's August 2024 workbook (published 6 September) and its September one (6 October),
    which revised August's production index; the September one is loaded twice. Loaded once
    for the module, not per test: each test gets a copy (`two_releases`)."""
    root = tmp_path_factory.mktemp("two-releases")
    archive = Archive(root / "archive")
    statuses = []
    with writer(root / "wh" / "chiso.duckdb") as session:
        for path, published, period in [(AUGUST_2024, datetime(2024, 9, 6), "2024-08"),
                                        (SEPTEMBER_2024, datetime(2024, 10, 6), "2024-09"),
                                        (SEPTEMBER_2024, datetime(2024, 10, 6), "2024-09")]:
            ref = ReleaseRef("gso", "local-file", "", published, period, title=path.name)
            statuses.append(load_archived(store_local([path], ref, archive), session).status)
    assert statuses == ["new", "new", "unchanged"]
    return root


@pytest.fixture
def two_releases(two_releases_folder: Path, warehouse_env: Path, tmp_path: Path) -> Path:
    """A copy of the two releases' warehouse and archive, where warehouse_env points chiso."""
    shutil.copytree(two_releases_folder / "wh", warehouse_env.parent)
    shutil.copytree(two_releases_folder / "archive", tmp_path / "archive")
    return warehouse_env


def _csv(capsys: pytest.CaptureFixture[str]) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(capsys.readouterr().out))


# --- one series, round trip ---------------------------------------------------------------------


def test_series_show_gives_both_vintages_of_august(
    two_releases: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["series", "show", IIP, "--vintages", "--format", "csv"]) == 0
    shown = _csv(capsys)
    august = shown[(shown["period_type"] == "M") & (shown["period_end"] == "2024-08-31")]
    assert august[["vintage", "value", "status"]].values.tolist() == [
        [1, 109.50, "estimate"], [2, 108.38, "preliminary"]]
    assert august["published_at"].tolist() == ["2024-09-06", "2024-10-06"]
    assert august["valid_to"].tolist()[0] == "2024-10-06"
    assert august["revision"].round(2).tolist()[1] == -1.12

    assert main(["series", "show", IIP, "--vintages"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"{IIP}\n  vi             chỉ số phát triển sản xuất công nghiệp · "
                           "Toàn ngành công nghiệp · Việt Nam\n")
    assert "  en             Index of industrial production · Total industry" in text
    assert "latest         110.84 for M 2024-09-30 (estimate, gso), published 2024-10-06" in text
    assert "first release  2024-09-06, gso:2024-08:" in text
    assert "M     2024-08-31  gso     2  108.38" in text


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_export_series_writes_every_vintage(two_releases: Path, tmp_path: Path, fmt: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", "--series", IIP, "--format", fmt, "--output", str(out)]) == 0
    path = out / f"chiso-series.{fmt}"
    assert capsys.readouterr().out.strip().endswith(f"rows to {path}")
    frame = (pd.read_csv(path) if fmt == "csv" else pd.read_parquet(path) if fmt == "parquet"
             else pd.read_excel(path, engine="calamine"))
    assert set(frame["series_key"]) == {IIP}
    august = frame[(frame["period_type"] == "M")
                   & (pd.to_datetime(frame["period_end"]) == pd.Timestamp("2024-08-31"))]
    assert august["value"].tolist() == [109.50, 108.38]
    assert pd.to_datetime(august["valid_from"]).tolist() == [pd.Timestamp("2024-09-06"),
                                                            pd.Timestamp("2024-10-06")]
    assert august["indicator_en"].iloc[0] == "Index of industrial production"
    # every vintage the warehouse holds for the series, not only the current ones
    with duckdb.connect(str(two_releases), read_only=True) as con:
        held = con.execute("select count(*) from observation where series_key = ?", [IIP])
        assert len(frame) == held.fetchone()[0]  # type: ignore[index]


def test_python_series_as_of_a_day(two_releases: Path) -> None:
    def august(frame: pd.DataFrame) -> list[float]:
        rows = frame[(frame["period_type"] == "M")
                     & (frame["period_end"] == pd.Timestamp("2024-08-31"))]
        return rows["value"].tolist()

    assert august(series(IIP, as_of="2024-09-10")) == [109.50]
    assert august(series(IIP)) == [108.38]
    assert august(series(IIP, vintages=True)) == [109.50, 108.38]
    assert series(IIP, as_of="2024-09-10")["published_at"].max() <= pd.Timestamp("2024-09-10")


def test_the_help_example_runs(wh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["series", "show", "--help"])
    assert f"example:\n  {SERIES_SHOW_EXAMPLE}" in capsys.readouterr().out
    assert main(SERIES_SHOW_EXAMPLE.split()[1:]) == 0
    assert "every vintage of the last 6 M periods" in capsys.readouterr().out


def test_query_observations_takes_a_series(wh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "observations", "--param", f"series={HP_IIP}", "--format", "csv"]) == 0
    frame = _csv(capsys)
    assert set(frame["series_key"]) == {HP_IIP}
    # the city statistics office (precedence 20) before the department (30) for September
    september = frame[frame["period_end"] == "2024-09-30"]
    assert september[["value", "source"]].values.tolist() == [[114.09, "haiphong_stats"]]


@pytest.mark.parametrize("words", [
    ["series", "show", "IIP.VN.T.INDEX_YOY"],
    ["export", "--series", IIP, "IIP.VN._T._Z._Z.INDEX_YOY", "--format", "csv"],
    ["query", "observations", "--param", "series=IIP.VN._T._Z._Z.INDEX_YOY"],
])
def test_an_unknown_key_names_the_closest(wh: Path, words: list[str], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*words, "--output", str(tmp_path / "x.csv")] if words[0] == "export"
                else words) == 2  # the user's mistake: bad usage
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(("chiso: unknown series 'IIP.VN",
                                    "chiso: query 'observations': unknown series 'IIP.VN"))
    assert f"(did you mean {IIP}" in captured.err
    assert not (tmp_path / "x.csv").exists()


def test_a_key_in_another_case_is_the_key(wh: Path) -> None:
    assert series(IIP.lower()).equals(series(IIP))
    with pytest.raises(UnknownSeriesError, match="no key is close"):
        series("nothing like a key")


# --- search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Viet Nam IIP", "Vietnam IIP", "viet nam iip",
                                  "toan nganh cong nghiep", "toàn ngành công nghiệp"])
def test_search_lists_the_whole_industry_first(wh: Path, text: str) -> None:
    found = search(text)
    assert found["series_key"].iloc[0] == IIP, found["series_key"].head(5).tolist()
    # then the whole industry's other series: GSO's month-on-month, the NSDP's 2015 = 100 levels
    assert set(found["series_key"].iloc[1:3]) == {"IIP.VN._T._Z._Z.INDEX_POP.INDEX",
                                                  "IIP.VN._T._Z._Z.INDEX_BASE.INDEX_2015"}


def test_search_knows_places_in_english_and_without_accents(wh: Path) -> None:
    keys = {t: set(search(t)["series_key"]) for t in ["Hải Phòng IIP", "Hai Phong IIP",
                                                      "Haiphong IIP", "haiphong iip"]}
    assert keys["Hải Phòng IIP"] == {HP_IIP, "IIP.VN-31._T._Z._Z.PLAN.INDEX"}
    assert all(found == keys["Hải Phòng IIP"] for found in keys.values())
    # Hải Dương merged into Hải Phòng in 2025: a note says so, but it is not Hải Phòng's name
    assert not any(".VN-30." in key for key in search("Hai Phong")["series_key"])


def test_names_say_which_item_and_which_industry(wh: Path) -> None:
    """A series of an item of the GSO catalogue's lists is named with the item (its Vietnamese
    name, the only one the lists give), and the producer price index of industry B-E with
    "Total industry (sections B-E)": without them the two read as the indicator as a whole."""
    names = search("Bo Y te").set_index("series_key")["name_en"]
    assert names["INV_STATE_BUDGET.VN._Z.BO_Y_TE._Z.LEVEL.BN_VND"] == (
        "Realised investment from the state budget · Bộ Y tế · Viet Nam")
    names = search("PPI").set_index("series_key")["name_en"]
    assert names["PPI.VN._T._Z._Z.INDEX_YOY.INDEX"] == (
        "Producer price indexes · Total industry (sections B-E) · Viet Nam")
    assert names["PPI.VN.C._Z._Z.INDEX_YOY.INDEX"] == (
        "Producer price indexes · Manufacturing · Viet Nam")


def test_a_code_has_one_name_whatever_its_indicator() -> None:
    """The catalogue's item products carry no indicator scope ('' in `label`), and the named
    queries join a product on its indicator's scope or on ''. No code may be both, or a series
    would come back twice."""
    found = labels()
    products = found[found["dimension"] == "product"]
    unscoped = set(products.loc[products["scope"] == "", "code"])
    assert unscoped and not unscoped & set(products.loc[products["scope"] != "", "code"])


def test_search_says_how_many_it_found(wh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with duckdb.connect(str(wh), read_only=True) as con:
        national = con.execute("select count(*) from series where indicator = 'IIP' and geo = "
                               "'VN'").fetchone()[0]  # type: ignore[index]
    assert national > 50
    assert search("Viet Nam IIP").attrs["found"] == national
    assert main(["series", "search", "Viet Nam IIP"]) == 0
    assert capsys.readouterr().out.rstrip().endswith(f"\n50 of {national} rows shown")
    assert main(["series", "search", "Viet Nam IIP", "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 51
    assert captured.err == f"50 of {national} rows written\n"


# --- terminal tables ----------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("words", [["query", "conflicts", "--param", "geo=VN-31"],
                                   ["series", "search", "Hai Phong IIP"],
                                   ["series", "show", HP_IIP, "--period-type", "all"]])
def test_keys_and_sources_survive_a_narrow_terminal(
    wh: Path, width: int, words: list[str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(words) == 0
    out = capsys.readouterr().out
    assert HP_IIP in out
    for source in HP_SOURCES:  # whole words, never "haiphon…"
        assert f"{source} " in out or f"{source}\n" in out or f"{source}," in out, source
    assert "haiphon…" not in out and "IIP.VN-3…" not in out
    if words[1] != "show":  # the heading of `series show` names things in full, one a line
        assert all(display_width(line) <= width for line in out.splitlines())


def test_names_are_cut_first_and_codes_never() -> None:
    frame = pd.DataFrame({
        "series_key": [HP_IIP, "IIP.VN._T._Z._Z.INDEX_POP.INDEX"],
        "name": ["chỉ số phát triển sản xuất công nghiệp · Toàn ngành công nghiệp · Hải Phòng",
                 "chỉ số phát triển sản xuất công nghiệp · Toàn ngành công nghiệp · Việt Nam"],
        "sources": ["haiphong_doit, haiphong_stats", "gso"],
        "value": [114.09, 99.81],
    })
    lines = render_table(frame, width=90).splitlines()
    assert all(display_width(line) <= 90 for line in lines)
    # a name's first part (the indicator, the same in every row) goes first: the item and the
    # place tell the rows apart
    assert lines[1] == f"{HP_IIP}  …Toàn ngành cô…  haiphong_doit, haiphong_stats  114.09"
    wider = render_table(frame, width=120).splitlines()
    assert wider[1].startswith(f"{HP_IIP}  chỉ số … · Toàn ngành công nghiệp · Hải Phòng  ")
    # too narrow for the codes and numbers side by side: one field a line, nothing cut but names
    vertical = render_table(frame, width=50).splitlines()
    assert vertical[:2] == ["-[ row 1 ]", f"series_key  {HP_IIP}"]
    assert "sources     haiphong_doit, haiphong_stats" in vertical
    assert all(display_width(line) <= 50 for line in vertical)
    assert render_table(frame, width=90, total=75).splitlines()[-1] == "2 of 75 rows shown"
