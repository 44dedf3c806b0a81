"""The ten headline tables of the GSO workbook as named-query series (`chiso query gso_table`),
on the bundled warehouse: each table answers, and its September 2024 figures as first
published equal the cells of the September workbook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from tests.samples import SEPTEMBER_2024
from warehouse.query import query

TABLES = ("iip", "products", "exports", "imports", "trade_balance", "cpi", "fdi", "investment",
          "retail", "gdp")


@pytest.fixture
def wh(bundled_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CHISO_WAREHOUSE", str(bundled_warehouse))
    return bundled_warehouse


def cell(ref: str) -> float:
    """A cell of the September 2024 workbook, as calamine reads it: "9.SPCNthang!D8"."""
    sheet, address = ref.rsplit("!", 1)
    column = ord(address[0]) - 65
    row = int(address[1:]) - 1
    rows = CalamineWorkbook.from_path(str(SEPTEMBER_2024)).get_sheet_by_name(sheet).to_python(
        skip_empty_area=False)
    return float(rows[row][column])


def row(frame: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    (found,) = frame[mask].itertuples(index=False)
    return pd.Series(found._asdict())


@pytest.mark.parametrize("table", TABLES)
def test_every_table_answers_for_september_2024(wh: Path, table: str) -> None:
    frame = query("gso_table", table=table, period="2024-09")
    assert len(frame) > 0
    assert (frame["period_end"].astype(str) == "2024-09-30").all()
    assert frame["level"].notna().any() or frame["index_yoy"].notna().any()


@pytest.mark.parametrize(
    ("table", "where", "ref"),
    [
        ("products", {"item": "THAN_DA_THAN_SACH", "period_type": "M"}, "9.SPCNthang!D8"),
        ("exports", {"indicator": "EXPORTS", "item": "_T", "period_type": "YTD"},
         "23.XK tháng!G9"),
        ("imports", {"indicator": "IMPORTS", "item": "_T", "period_type": "YTD"},
         "25.NK tháng!G9"),
        ("fdi", {"indicator": "FDI_CAPITAL_NEW", "item": "_T", "period_type": "YTD"},
         "20.FDI!D7"),
        ("investment", {"indicator": "INV_STATE_BUDGET", "item": "_T", "period_type": "M"},
         "18.VNSNN tháng!D9"),
        ("retail", {"indicator": "RETAIL", "item": "_T", "period_type": "M"}, "21.Tongmuc!D11"),
        ("gdp", {"indicator": "GDP_CURRENT", "item": "_T", "period_type": "Q"},
         "1.GDP-HH!D8"),
    ],
)
def test_levels_as_first_published_are_the_workbooks_cells(
    wh: Path, table: str, where: dict[str, str], ref: str
) -> None:
    frame = query("gso_table", table=table, period="2024-09", geo="VN")
    assert row(frame, **where)["first_level"] == pytest.approx(cell(ref), abs=1e-9)


def test_products_carry_their_units_and_names(wh: Path) -> None:
    frame = query("gso_table", table="products", period="2024-09")
    coal = row(frame, item="THAN_DA_THAN_SACH", period_type="M")
    assert (coal["unit"], coal["item_name"]) == ("THOUS_T", "Than đá (than sạch)")
    assert frame["unit"].notna().all()


def test_trade_balance_is_exports_less_imports(wh: Path) -> None:
    frame = query("gso_table", table="trade_balance", period="2024-09")
    ytd = row(frame, period_type="YTD")
    assert ytd["first_level"] == pytest.approx(cell("23.XK tháng!G9") - cell("25.NK tháng!G9"))


def test_cpi_index_of_september(wh: Path) -> None:
    frame = query("gso_table", table="cpi", period="2024-09")
    assert row(frame, indicator="CPI", item="_T", period_type="M")["index_yoy"] == (
        pytest.approx(cell("28.CPI!E12")))
