"""A table dated by an earlier edition's template (code stale-headers): the December 2024
workbook's quarterly state-budget investment table is titled "các quý năm 2023" and estimates
"quý IV năm 2023", over 2024's figures. Read as dated, its figures revised 2023's; none is read,
each is quarantined, and the rest of the workbook reads as before."""

from __future__ import annotations

from flows.pipeline import read_gso_workbook

from samples import GSO_UPLOADS, SEPTEMBER_2024

DECEMBER_2024 = GSO_UPLOADS / "2025" / "01" / "02.Bieu-T12.2024.xlsx"
STALE = "24. VĐT NSNN quy"


def test_a_table_headed_by_last_years_template_is_quarantined_whole() -> None:
    read = read_gso_workbook(DECEMBER_2024, "2024-12")
    assert not [o for o in read.observations if o.provenance.startswith(f"{STALE}!")]
    stale = [r for r in read.rejected if r.sheet == STALE]
    assert {r.code for r in stale} == {"stale-headers"}
    # every figure of the table, the Ministry of Agriculture's row (12) among them: its
    # "quý III năm 2023" 2685.06 is 2024's third quarter, which September gave as 2710.46
    cells = {r.cell: float(r.raw) for r in stale}
    assert cells[f"{STALE}!D12"] == 2685.06
    assert cells[f"{STALE}!C8"] == 145019.70763
    assert "2023-Q4" in stale[0].message and "2024-12" in stale[0].message
    # the monthly table beside it, headed right, still reads
    monthly = [o for o in read.observations if o.provenance.startswith("23. VĐT NSNN!")]
    assert monthly and all(o.period.end.year == 2024 for o in monthly)
    # and no figure of the workbook is an estimate of a period long over
    assert all(o.period.end.year == 2024 for o in read.observations if o.status == "estimate")


def test_a_table_headed_for_its_own_quarter_reads() -> None:
    read = read_gso_workbook(SEPTEMBER_2024, "2024-09")
    quarterly = [o for o in read.observations if o.provenance == "19.VNSNN quý!E12"]
    assert [(str(o.period), o.value, o.status) for o in quarterly] == [
        ("2024-Q3", 2710.46, "estimate")]
    assert not [r for r in read.rejected if r.code == "stale-headers"]
