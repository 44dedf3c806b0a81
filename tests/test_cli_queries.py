"""`chiso query`, `chiso sql`, `chiso series search` and `chiso export` on the demo warehouse:
help with examples that run, readable tables, files in every format, one-line errors."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pandas as pd
import pytest

from flows.present.cli import EXAMPLES, _parser, main
from flows.present.terminal import display_width, render_table, truncate
from warehouse.query import named_queries

QUERY_COMMANDS = ["query", "sql", "series", "export"]
FIGURE_FORMATS = ["csv", "json", "parquet", "xlsx"]


@pytest.fixture
def wh(bundled_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CHISO_WAREHOUSE", str(bundled_warehouse))
    monkeypatch.delenv("COLUMNS", raising=False)
    return bundled_warehouse


def argv(example: str) -> list[str]:
    """An example command line without `chiso` and its trailing comment."""
    words = shlex.split(example, comments=True)
    assert words[0] == "chiso"
    return words[1:]


def read(path: Path, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(path)
    if fmt == "json":
        return pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))
    if fmt == "parquet":
        return pd.read_parquet(path)
    return pd.read_excel(path, engine="calamine")


# --- help and examples -------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["query"], ["sql"], ["series"], ["series", "search"],
                                     ["export"]])
def test_help_shows_an_example(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*command, "--help"])
    assert exit_.value.code == 0
    assert f"example:\n  {EXAMPLES[command[0]]}" in capsys.readouterr().out


def test_every_example_parses() -> None:
    examples = [EXAMPLES[c] for c in QUERY_COMMANDS]
    examples += [q.example for q in named_queries().values()]
    for example in examples:
        args = _parser().parse_args(argv(example))
        assert callable(args.handler), example


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_each_query_example_runs(wh: Path, name: str, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    words = argv(named_queries()[name].example)
    assert main(words) == 0
    out = capsys.readouterr().out
    assert out.strip() and out.strip() != "(no rows)", out


@pytest.mark.parametrize("command", QUERY_COMMANDS)
def test_each_command_example_runs(wh: Path, command: str, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    words = argv(EXAMPLES[command])
    if "--output" in words:  # write under tmp_path, not into /tmp
        words[words.index("--output") + 1] = str(tmp_path / "out.xlsx")
    assert main(words) == 0
    assert capsys.readouterr().out.strip()


# --- what the terminal shows ------------------------------------------------------------------


def test_table_aligns_numbers_right_and_keeps_vietnamese(
    wh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", "national_iip_by_industry", "--param", "period=2024-09"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header, total = lines[0], lines[1]
    assert header.split()[:3] == ["industry", "industry_name", "month_yoy"]
    assert total.startswith("_T        Toàn ngành công nghiệp")
    # numbers end where their header ends
    end = header.index("month_yoy_first") + len("month_yoy_first")
    assert total[:end].endswith("110.84")
    assert any("Sản xuất xe có động cơ" in line for line in lines)


def test_table_cuts_text_to_the_terminal_width() -> None:
    frame = pd.DataFrame({"code": ["2620"], "name": [
        "Sản xuất máy vi tính và thiết bị ngoại vi của máy vi tính"], "value": [206.17]})
    wide = render_table(frame, width=200).splitlines()
    assert wide[1] == "2620  Sản xuất máy vi tính và thiết bị ngoại vi của máy vi tính  206.17"
    narrow = render_table(frame, width=40).splitlines()
    assert all(display_width(line) <= 40 for line in narrow)
    assert narrow[1].startswith("2620  Sản xuất máy vi") and narrow[1].endswith("…  206.17")
    assert truncate("Hải Phòng", 4) == "Hải…"
    assert render_table(frame.iloc[0:0]) == "(no rows)"


def test_columns_env_sets_the_width(wh: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", "110")
    assert main(["query", "national_iip_by_industry"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(display_width(line) <= 110 for line in lines)
    assert lines[1].startswith("_T        Toàn ngành c") and "…" in lines[1]
    assert "110.84" in lines[1]  # numbers are never cut


# --- files -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FIGURE_FORMATS)
def test_query_writes_each_format(wh: Path, fmt: str, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"iip.{fmt}"
    assert main(["query", "national_iip_by_industry", "--param", "period=2024-09",
                 "--format", fmt, "--output", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote 37 rows to {out}"
    frame = read(out, fmt)
    total = frame[frame["industry"] == "_T"].iloc[0]
    assert (total["month_yoy_first"], total["ytd_yoy"]) == (110.84, 108.64)
    assert total["industry_name"] == "Toàn ngành công nghiệp"


def test_csv_and_json_go_to_the_terminal(wh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "conflicts", "--param", "geo=VN-31", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("indicator,geo,series_key,")
    assert ",haiphong_stats,114.09,haiphong_doit,115.14," in lines[1]
    assert main(["series", "search", "Hải Phòng IIP", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert {row["series_key"] for row in found} == {"IIP.VN-31._T._Z._Z.INDEX_YOY.INDEX",
                                                    "IIP.VN-31._T._Z._Z.PLAN.INDEX"}


@pytest.mark.parametrize("fmt", ["parquet", "csv", "xlsx"])
def test_export_writes_every_current_observation(wh: Path, fmt: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    import duckdb

    assert main(["export", "--format", fmt, "--output", str(tmp_path)]) == 0
    path = tmp_path / f"chiso-observations.{fmt}"
    assert capsys.readouterr().out.strip().endswith(f"rows to {path}")
    frame = read(path, fmt)
    with duckdb.connect(str(wh), read_only=True) as con:
        latest = con.execute("select count(*) from v_latest").fetchone()
    assert latest is not None and len(frame) == latest[0]
    iip = frame[(frame["series_key"] == "IIP.VN._T._Z._Z.INDEX_YOY.INDEX")
                & (frame["period_type"] == "M")]
    aug = iip[pd.to_datetime(iip["period_end"]) == pd.Timestamp("2024-08-31")].iloc[0]
    assert (aug["value"], aug["industry_vi"], aug["indicator_en"]) == (
        108.38, "Toàn ngành công nghiệp", "Index of industrial production")


def test_export_as_of_a_date(wh: Path, tmp_path: Path) -> None:
    out = tmp_path / "then.parquet"
    assert main(["export", "--format", "parquet", "--as-of", "2024-09-10", "--output",
                 str(out)]) == 0
    frame = pd.read_parquet(out)
    assert frame["published_at"].max() <= pd.Timestamp("2024-09-10 23:59:59")
    aug = frame[(frame["series_key"] == "IIP.VN._T._Z._Z.INDEX_YOY.INDEX")
                & (frame["period_type"] == "M")
                & (frame["period_end"] == pd.Timestamp("2024-08-31"))]
    assert aug["value"].tolist() == [109.50]


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("words", "message", "code"), [
    (["query", "hp_ytd"], "chiso: unknown query 'hp_ytd' (did you mean hp_industry_ytd or ytd?); "
     "known: catalog_search, conflicts,", 2),
    (["query", "hp_industry_ytd", "--param", "period=Sept"],
     "chiso: query 'hp_industry_ytd': period='Sept' is not a month like 2024-09", 2),
    (["query", "hp_industry_ytd", "--param", "2024-09"],
     "chiso: --param '2024-09' is not KEY=VALUE, e.g. --param period=2024-09", 2),
    (["query", "freshness", "--as-of", "last week"], "chiso: as_of 'last week' is not a date", 2),
    (["query"], "chiso: name a query (chiso query NAME) or list them: chiso query --list", 2),
    (["sql", "delete from observation"], "chiso: the warehouse is read-only here: DELETE "
     "statements are refused", 2),
    (["sql", "select nothing from nowhere"], "chiso: SQL error: Catalog Error: Table with name "
     "nowhere does not exist!", 1),
    (["query", "national_iip_by_industry", "--format", "parquet"],
     "chiso: --format parquet writes a file: give --output FILE", 2),
    (["series"], "chiso: say what to do with series, e.g. chiso series search", 2),
])
def test_errors_are_one_line_and_fail(wh: Path, words: list[str], message: str, code: int,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Exit 2 for a question asked wrong (bad usage), 1 for one that failed."""
    assert main(words) == code
    captured = capsys.readouterr()
    assert captured.err.startswith(message), captured.err
    assert captured.err.count("\n") == 1
    assert captured.out == ""


def test_a_missing_warehouse_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CHISO_WAREHOUSE", str(tmp_path / "nothing.duckdb"))
    assert main(["sql", "select 1"]) == 1
    assert "does not exist yet: run `chiso run`" in capsys.readouterr().err
