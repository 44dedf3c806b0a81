"""Every indicator the GSO table catalogue builds is named after what it measures: its table
kind's indicator and the variables its rows and columns name (warehouse.indicator_names), so
that search and series names say more than the place."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.indicator_names import derived_names
from warehouse.labels import install_labels, labels


def _named() -> dict[str, tuple[str, str]]:
    found = labels()
    indicators = found[found["dimension"] == "indicator"]
    return {code: (vi, en) for code, vi, en in zip(
        indicators["code"], indicators["name_vi"], indicators["name_en"], strict=True)}


def test_a_column_variable_a_row_variable_and_both() -> None:
    named = _named()
    found = derived_names(["FDI_CHARTER_CAPITAL", "LABOUR_TY_LE_THAT_NGHIEP_TRONG_DO_TUOI_LAO_DONG",
                           "POPULATION_CENSUS_URBAN_FEMALE", "NOT_A_KIND_X"], named)
    # a column of the FDI table ("Vốn điều lệ"): its code's words (its pattern is no name)
    assert found["FDI_CHARTER_CAPITAL"] == (named["FDI"][0], f"{named['FDI'][1]} (charter capital)")
    # a `variable:` row of labour.csv: its Vietnamese label, and the English edition's
    assert found["LABOUR_TY_LE_THAT_NGHIEP_TRONG_DO_TUOI_LAO_DONG"] == (
        "Tỷ lệ thất nghiệp trong độ tuổi lao động",
        f"{named['LABOUR'][1]} (unemployment rate of labour force at working age)")
    # the 1999 census table's "Thành thị" section, "Nữ" column (one column variable)
    assert found["POPULATION_CENSUS_URBAN_FEMALE"] == (
        "", f"{named['POPULATION_CENSUS'][1]} (urban female)")
    assert "NOT_A_KIND_X" not in found


def test_every_gso_series_is_named_by_what_it_measures(bundled_warehouse: Path) -> None:
    with duckdb.connect(str(bundled_warehouse), read_only=True) as con:
        install_labels(con)
        unnamed = con.execute("""
            select distinct s.indicator from series s
            join reported r using (series_key) join release l using (release_id)
            left join label i on i.dimension = 'indicator' and i.code = s.indicator
            where l.source = 'gso' and coalesce(i.name_en, '') = ''""").fetchall()
    assert unnamed == []
