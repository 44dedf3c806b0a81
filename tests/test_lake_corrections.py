"""`chiso release redate | withdraw | reinstate` in lake mode (catalog in a real PostgreSQL):
the same corrections give the lake what they give the single-file warehouse, with their history
(release_correction, vintage_retired) and the journal a rebuild replays."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

import pytest
from test_corrections import IIP, run

from lake_server import lake_env, lake_server  # noqa: F401  (fixtures)
from samples import AUGUST_2024, SEPTEMBER_2024

pytestmark = pytest.mark.lake

# Each table a correction writes (without recorded_at, the wall-clock time it was recorded).
COMPARED = {
    "release": "select release_id, published_at, rows_reported from release",
    "observation": "select * from observation",
    "release_correction": "select * exclude (recorded_at) from release_correction",
    "vintage_retired": "select * from vintage_retired",
    "v_latest": "select * from v_latest",
    "v_revisions": "select * from v_revisions",
    "august_iip": f"select release_id from v_latest where series_key = '{IIP}' "
                  "and period_type = 'M' and period_end = date '2024-08-31'",
}


# A withdrawal or reinstatement takes effect when it is made, and the vintages it closes or
# opens are dated then: both runs make their corrections on this clock, a minute apart.
START = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


def corrected(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
              ) -> dict[str, list[tuple[object, ...]]]:
    """August loaded as published 2099 (forced), September on its day; August redated,
    September withdrawn, reinstated and withdrawn again: every table a correction touches."""
    from flows.orchestration import corrections
    from warehouse.connect import reader

    minutes = itertools.count()

    class Clock(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Clock:
            moment = START + timedelta(minutes=next(minutes))
            return cls.fromtimestamp(moment.timestamp(), tz)

    monkeypatch.setattr(corrections, "datetime", Clock)

    for path, published, *more in ((AUGUST_2024, "2099-01-01", "--force-date"),
                                   (SEPTEMBER_2024, "2024-10-06")):
        code, _, err = run(["ingest", "gso", "--file", str(path), "--published-at", published,
                            *more], capsys)
        assert code == 0, err
    for argv in (["redate", "gso:2024-08", "--published-at", "2024-09-06", "--reason", "2099"],
                 ["withdraw", "gso:2024-09", "--reason", "replaced"],
                 ["reinstate", "gso:2024-09"],
                 ["withdraw", "gso:2024-09", "--reason", "replaced again"]):
        code, out, err = run(["release", *argv], capsys)
        assert code == 0, err
        assert "unchanged" not in out
    con = reader()
    try:
        return {name: sorted(con.execute(sql).fetchall(), key=repr)
                for name, sql in COMPARED.items()}
    finally:
        con.close()


def test_release_corrections_give_the_lake_what_they_give_the_file(
    lake_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    lake = corrected(capsys, monkeypatch)
    lake_journal = [json.loads(line) for line in
                    (tmp_path / "archive" / "corrections.jsonl").read_text().splitlines()]

    monkeypatch.delenv("CHISO_LAKE")
    monkeypatch.setenv("CHISO_WAREHOUSE", str(tmp_path / "file" / "chiso.duckdb"))
    monkeypatch.setenv("CHISO_ARCHIVE", str(tmp_path / "file" / "archive"))
    single_file = corrected(capsys, monkeypatch)

    assert lake == single_file
    # the corrections did what they say: August's own figure is latest again, September's
    # vintages are kept, closed by the last withdrawal, and every correction is recorded in
    # order
    assert [row[2] for row in lake["release_correction"]] == [
        "redate", "withdraw", "reinstate", "withdraw"]
    assert [release for (release,) in lake["august_iip"]] == [
        release for release, *_ in lake["release"] if str(release).startswith("gso:2024-08")]
    # (vintages end where September revised August, or at the last withdrawal, in Viet Nam's
    # time, or are current)
    withdrawn = datetime(2026, 1, 5, 9, 3)
    assert {row[-1] for row in lake["observation"]} == {datetime(2024, 10, 6), withdrawn, None}
    assert [(j["correction"], j["action"]) for j in lake_journal] == [
        (1, "redate"), (2, "withdraw"), (3, "reinstate"), (4, "withdraw")]
