"""v_unit_slips: revisions no publisher makes. A level about a thousand times the value it
replaced is a unit printed a size off: GSO's April 2024 workbook gives mobile phone components in
"Nghìn tỷ đồng" (trillion dong) with figures in billions, between March's and May's tables that
do not. An index 100 points off is a rate of change printed where the index belongs: December
2018's services trade."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from flows.present.cli import main

from samples import GSO_UPLOADS

MARCH_2024 = GSO_UPLOADS / "2024" / "03" / "02-Bieu-3.2024-ngay-28.3-1.xlsx"
APRIL_2024 = GSO_UPLOADS / "2024" / "04" / "02.-Bieu-so-lieu-T4.2024-1.xlsx"
MAY_2024 = GSO_UPLOADS / "2024" / "05" / "02-Bieu-so-lieu-T5.2024-1.xlsx"
COMPONENTS = "IND_PRODUCTION.VN._Z.LINH_KIEN_DIEN_THOAI._Z.LEVEL.THOUS_BN_VND"


def ingest(path: Path, published: str, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(["ingest", "gso", "--file", str(path), "--published-at", published])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    assert code == 0, capsys.readouterr().err


def test_april_2024s_components_in_the_wrong_size_are_listed(
    warehouse_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path, published in ((MARCH_2024, "2024-03-29"), (APRIL_2024, "2024-04-29"),
                            (MAY_2024, "2024-05-29")):
        ingest(path, published, capsys)
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        slips = con.execute(
            "select series_key, period_end, round(previous_value, 2), round(value, 2), "
            "power_of_ten, provenance, slip from v_unit_slips order by period_end").fetchall()
        revisions = con.execute("select count(*) from v_revisions").fetchone()
    # March as March's table gave it (44.32), then as April's (40,143.82, "3.SPCNthang!C36");
    # April as April's table gave it (35,546.49), then as May's (39.95).
    assert [row[:5] for row in slips] == [
        (COMPONENTS, date(2024, 3, 31), 44.32, 40143.82, 3),
        (COMPONENTS, date(2024, 4, 30), 35546.49, 39.95, -3),
    ]
    assert [row[5:] for row in slips] == [("3.SPCNthang!C36", "size"), ("3.SP CN!C36", "size")]
    # the hundreds of ordinary revisions of the three releases are not listed
    assert revisions is not None and revisions[0] > 100


SEPTEMBER_2018 = "gso/2018-09-28-03-Bieu-9.2018-N-1.xlsx"
DECEMBER_2018 = "gso/2018-12-27-03-So-lieu-2018-1.xls"


@pytest.mark.extended
def test_december_2018s_services_rates_are_listed(
    shared_releases: Path, warehouse_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # September gives the third quarter's services exports against 2017 as an index (108.76),
    # December under the same header as a rate (XNKdichvu!E10, 8.91): 11 rows of the table.
    ingest(shared_releases / SEPTEMBER_2018, "2018-09-28", capsys)
    ingest(shared_releases / DECEMBER_2018, "2018-12-27", capsys)
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        rates = con.execute(
            "select series_key, round(previous_value, 2), round(value, 2), provenance "
            "from v_unit_slips where slip = 'rate' order by provenance").fetchall()
    assert len(rates) == 11
    assert ("SERVICES_TRADE.VN._Z.EXPORTS._Z.INDEX_YOY.INDEX", 108.76, 8.91,
            "XNKdichvu!E10") in rates
    assert {provenance.split("!")[0] for *_, provenance in rates} == {"XNKdichvu"}
