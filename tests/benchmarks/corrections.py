"""Benchmark: what a withdrawn release costs the vintage derivation, and what a correction
costs.

    python tests/benchmarks/corrections.py [--quick] [--rounds N]

The bundled GSO workbooks of 2024 are loaded into a fresh warehouse (not timed). Each round
then derives the vintage chains of every key of the source (sql/load/derive_vintages.sql,
what a load out of order does for the keys it touches) with no release withdrawn, and again
with September's workbook withdrawn (its keys go the moment-by-moment way); and applies a
withdrawal of September and its reinstatement (warehouse/corrections.py: the correction's
row, its keys' chains derived again, the replaced vintages kept), each in a transaction
rolled back so every round starts alike. Figures: the ratio of the derivation with a
withdrawal to the one without (paired by round), and the median seconds of a correction.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import datetime
from pathlib import Path

from common import ROOT, Timing, arguments, figure, paired_ratio, timed

UPLOADS = ROOT / "flows" / "mirror" / "www.gso.gov.vn" / "wp-content" / "uploads" / "2024"


def build(work: Path, months: int) -> Path:
    """The first `months` bundled GSO workbooks of 2024, each as published on the 6th of the
    month after; returns the writer's file."""
    from flows.archive import Archive
    from flows.core.model import ReleaseRef
    from flows.pipeline import load_archived, store_local
    from warehouse.connect import writer

    archive = Archive(work / "archive")
    published = work / "chiso.duckdb"
    with writer(published) as session:
        for path in sorted(UPLOADS.glob("*/*.xlsx"))[:months]:
            month = int(path.parent.name)
            ref = ReleaseRef("gso", "local-file", "", datetime(2024, month, 6), "",
                             title=path.name)
            load_archived(store_local([path], ref, archive), session)
    return published.with_name("chiso.writer.duckdb")


def main() -> None:
    def extra(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--rounds", type=int, default=7)

    args = arguments(__doc__, extra)
    import duckdb

    from warehouse.corrections import Correction, apply
    from warehouse.load import sql_text

    rounds = 2 if args.quick else args.rounds
    plain, withdrawn, correction = Timing(), Timing(), Timing()
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(build(Path(tmp), 3 if args.quick else 12)))
        september = con.execute("select release_id from release order by published_at desc "
                                "limit 1 offset ?", [0 if args.quick else 2]).fetchone()[0]
        con.execute("create temp table touched as select *, row_number() over () as key_id "
                    "from (select distinct series_key, period_type, period_start, period_end "
                    "from reported)")
        keys = con.execute("select count(*) from touched").fetchone()[0]
        derive = sql_text("derive_vintages")
        now = datetime(2026, 1, 1)
        for _ in range(rounds):
            with timed(plain):
                con.execute(derive, {"source": "gso"})
            con.execute("begin")
            con.execute("insert into release_correction values (1, ?, 'withdraw', ?, ?, ?, "
                        "'benchmark', ?)", [september, now, now, now, now])
            with timed(withdrawn):
                con.execute(derive, {"source": "gso"})
            con.execute("rollback")
            con.execute("drop table derived")
            with timed(correction):
                for n, action in enumerate(("withdraw", "reinstate"), 1):
                    apply(con, Correction(n, september, action, None, now, "benchmark", now))
            con.execute("delete from release_correction; delete from vintage_retired")
            con.execute("create or replace temp table touched as select *, row_number() over "
                        "() as key_id from (select distinct series_key, period_type, "
                        "period_start, period_end from reported)")
        figures = con.execute("select count(*) from reported where release_id = ?",
                              [september]).fetchone()[0]
        con.close()
    print(f"{keys:,} keys of {september}'s source; {figures:,} figures of it withdrawn")
    figure("derivation with a release withdrawn vs none", paired_ratio(withdrawn, plain), "x")
    figure("derivation of every key, none withdrawn", plain.median, "s")
    figure("withdraw and reinstate a release", correction.median, "s")


if __name__ == "__main__":
    main()
