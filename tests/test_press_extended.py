"""The real seed article (../shared/seed/haiphong-industry-2024.txt) through the whole pipeline:
archived as an analyst's file, read by the `press` source, loaded into a private warehouse."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from flows.archive import Archive
from flows.core.model import ReleaseRef
from flows.pipeline import load_archived
from warehouse.connect import writer

from samples import SHARED_RELEASES

SEED = SHARED_RELEASES.parent / "seed" / "haiphong-industry-2024.txt"
PUBLISHED = datetime(2024, 10, 15)
YTD_2024 = ("YTD", "2024-01-01", "2024-09-30")
# The seven industries the article lists with their growth over January-September 2023.
INDUSTRIES = {"2620": 206.17, "29": 156.38, "2750": 121.87, "3011": 127.74, "1392": 128.42,
              "2710": 126.12, "2610": 114.50}  # fmt: skip

pytestmark = pytest.mark.extended


@pytest.fixture
def seed() -> Path:
    if not SEED.is_file():
        pytest.skip(f"extended test: {SEED} (the workplace's seed article) is absent")
    return SEED


def test_the_seed_article_loads(seed: Path, warehouse_env: Path, tmp_path: Path) -> None:
    ref = ReleaseRef("press", "Báo Hải Phòng", "", PUBLISHED, "", title=seed.name)
    archived = [Archive(tmp_path / "archive").store_local(seed, ref)]
    with writer() as session:
        outcome = load_archived(archived, session)
    assert (outcome.status, outcome.reference_period) == ("new", "2024-09"), outcome.message
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        rows = con.execute(
            "select indicator, industry, product, measure, unit, period_type, "
            "strftime(period_start, '%Y-%m-%d'), strftime(period_end, '%Y-%m-%d'), value, status "
            "from v_latest where geo = 'VN-31' and source = 'press'"
        ).fetchall()
        facts = {row[:8]: (row[8], row[9]) for row in rows}
        assert len(facts) == len(rows) == 12
        assert facts[("IIP", "_T", "_Z", "index_yoy", "INDEX", *YTD_2024)] == (115.14, "estimate")
        industries = {
            row[1]: row[8] for row in rows
            if row[0] == "IIP" and row[1] != "_T" and row[3] == "index_yoy" and row[5:8] == YTD_2024
        }
        assert industries == INDUSTRIES
        exports = ("EXPORTS", "_Z", "_T")
        assert facts[(*exports, "level", "USD_MN", *YTD_2024)] == (26351.9, "estimate")
        assert facts[(*exports, "index_yoy", "INDEX", *YTD_2024)] == (126.77, "estimate")
        assert facts[(*exports, "pct_of_plan", "PCT", *YTD_2024)] == (79.8, "estimate")
        assert facts[(*exports, "level", "USD_MN", "YTD", "2023-01-01", "2023-09-30")] == (
            20786.7, "official")
        provenance, decimals = con.execute(
            "select provenance, decimals from v_vintages where series_key = "
            "'EXPORTS.VN-31._Z._T._Z.LEVEL.USD_MN' and period_end = date '2024-09-30'"
        ).fetchone() or ("", None)
        assert provenance.startswith("Tổng kim ngạch xuất khẩu ước đạt 26.351,9 triệu USD")
        assert provenance.endswith("(9 tháng/2023 đạt 20.786,7 triệu USD).") and decimals == 1
        # Quarantined: the three figures with no indicator, which are not statistics of the city
        # (a park occupancy of 100% and the areas of planned parks and a planned economic zone).
        # The counts "14 KCN và 6 cụm công nghiệp" and "(1 + 2)" are not figures at all.
        quarantined = con.execute(
            "select cell, raw, error_code from quarantine order by cell, raw"
        ).fetchall()
        assert quarantined == [("s14", "100%", "unknown-indicator"),
                               ("s17", "20.000 ha", "unknown-indicator"),
                               ("s17", "6.200 ha", "unknown-indicator")]

