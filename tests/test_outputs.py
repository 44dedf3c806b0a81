"""Outputs that cannot hurt: an `--output` that resolves to the warehouse or into the archive is
refused before anything is written, and a CSV cell a spreadsheet would run as a formula reaches
it as text (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_cli_usage import demo, fingerprint, run  # noqa: F401 (the fixture)

from flows.present.outputs import spreadsheet_safe
from warehouse.file_backend import writer_path


@pytest.mark.parametrize("command", [
    ["report"],
    ["sql", "select 1 as one"],
    ["query", "freshness"],
    ["export", "--format", "csv"],
])
@pytest.mark.parametrize("target", ["warehouse", "writer", "wal", "archive"])
def test_an_output_onto_the_warehouse_or_the_archive_is_refused(
    demo: Path, capsys: pytest.CaptureFixture[str], command: list[str],  # noqa: F811
    target: str,
) -> None:
    output = {"warehouse": demo, "writer": writer_path(demo),
              "wal": demo.with_name(demo.name + ".wal"),
              "archive": demo.parent / "archive" / "report.html"}[target]
    before = fingerprint(demo)
    code, out, err = run([*command, "--output", str(output)], capsys)
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"--output {output}" in err and "choose another path" in err
    assert fingerprint(demo) == before


def test_a_report_elsewhere_is_still_written(
    demo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path,  # noqa: F811
) -> None:
    output = tmp_path / "elsewhere" / "report.html"
    code, _, err = run(["report", "--output", str(output)], capsys)
    assert code == 0, err
    assert output.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_csv_cells_a_spreadsheet_would_run_are_neutralised() -> None:
    frame = pd.DataFrame({
        "text": ['=HYPERLINK("http://example.invalid","x")', "+cmd", "-2+3", "@SUM(A1)",
                 "\tx", "\rx", "-5,2", "+3", "-0.25", "1e3", "Hải Phòng", None],
        "value": range(12),
    })
    safe = spreadsheet_safe(frame)
    assert list(safe["text"][:11]) == [
        "'=HYPERLINK(\"http://example.invalid\",\"x\")", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx",
        "'\rx", "-5,2", "+3", "-0.25", "1e3", "Hải Phòng"]
    assert pd.isna(safe["text"][11])  # a missing value stays missing
    assert list(safe["value"]) == list(range(12))
    assert frame["text"][0].startswith("=")  # the caller's frame is left as it was


def test_sql_to_csv_writes_a_formula_as_text(
    demo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path,  # noqa: F811
) -> None:
    output = tmp_path / "answer.csv"
    code, _, err = run(["sql", "select '=1+1' as sum, 2 as two", "--format", "csv",
                        "--output", str(output)], capsys)
    assert code == 0, err
    assert output.read_text(encoding="utf-8").splitlines() == ["sum,two", "'=1+1,2"]
