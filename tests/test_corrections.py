"""A release corrected after loading (issue 15): a wrong publication date set right, or a
release withdrawn, with its history kept and a rebuild giving the corrected warehouse.

GSO's August 2024 workbook loaded as published 2099-01-01 shadowed September's revision of
August's figures in v_latest, and loading the file again with the right date changed nothing;
`chiso release redate` sets it right, `chiso release withdraw` takes a release back."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from flows.archive import Archive
from flows.orchestration.rebuild import rebuild
from flows.present.cli import main
from warehouse.checks import run_checks

from samples import AUGUST_2024, GSO_UPLOADS, SEPTEMBER_2024

OCTOBER_2024 = GSO_UPLOADS / "2024" / "11" / "02.-Bieu-T10.2024.xlsx"
IIP = "IIP.VN._T._Z._Z.INDEX_YOY.INDEX"
# Every table a correction changes, as test_rebuild.py compares them (less loading times).
COMPARED = {
    "release": "select * exclude (loaded_at) from release order by release_id",
    "observation": "select * from observation order by all",
    "release_correction": "select * from release_correction order by all",
}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ingest(path: Path, published: str, capsys: pytest.CaptureFixture[str], *more: str) -> str:
    code, out, err = run(["ingest", "gso", "--file", str(path), "--published-at", published,
                          *more], capsys)
    assert code == 0, err
    return out


def rows(warehouse: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def snapshot(warehouse: Path) -> dict[str, list[tuple[object, ...]]]:
    return {name: rows(warehouse, sql) for name, sql in COMPARED.items()}


def release_of(warehouse: Path, path: Path) -> str:
    found = rows(warehouse, "select release_id from release where file_name = ?", path.name)
    assert len(found) == 1
    return str(found[0][0])


def latest(warehouse: Path, at: str = "infinity") -> list[tuple[object, ...]]:
    return rows(warehouse, "select * from as_of(?) order by all", at)


def journal(warehouse: Path) -> list[dict[str, object]]:
    path = warehouse.parent / "archive" / "corrections.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def assert_checks_pass(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert {name: found for name, found in run_checks(con).items() if found} == {}


@pytest.fixture(scope="module")
def shadowed_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """August loaded as published 2099-01-01 (forced), September on its real day, by the
    command as a test would (warehouse_env's settings). Loaded once for the module (two
    workbooks, ~1 s), not per test: each test gets a copy (`shadowed`)."""
    from flows.orchestration import service

    root = tmp_path_factory.mktemp("shadowed")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CHISO_WAREHOUSE", str(root / "wh" / "chiso.duckdb"))
        env.setenv("CHISO_ARCHIVE", str(root / "wh" / "archive"))
        env.delenv("CHISO_MIRROR", raising=False)
        env.delenv("PREFECT_API_URL", raising=False)
        env.setattr(service, "default_home", lambda: root / "no-service")
        for path, published, *more in ((AUGUST_2024, "2099-01-01", "--force-date"),
                                       (SEPTEMBER_2024, "2024-10-06")):
            assert main(["ingest", "gso", "--file", str(path), "--published-at", published,
                         *more]) == 0
    return root / "wh"


@pytest.fixture
def shadowed(shadowed_folder: Path, warehouse_env: Path) -> Path:
    """A copy of the shadowed warehouse and its archive where warehouse_env points chiso: a test
    may correct, load or break it without touching the others'."""
    shutil.copytree(shadowed_folder, warehouse_env.parent)
    return warehouse_env


def test_a_wrong_date_is_corrected_and_the_later_release_counts_again(
    shadowed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    august, september = release_of(shadowed, AUGUST_2024), release_of(shadowed, SEPTEMBER_2024)
    figure = ("select value, release_id from {} where series_key = ? and period_type = 'M' "
              "and period_end = date '2024-08-31'")
    by_august = rows(shadowed, figure.format("reported") + " and release_id = ?", IIP, august)
    by_september = rows(shadowed, figure.format("reported") + " and release_id = ?", IIP,
                        september)
    assert by_august[0][0] != by_september[0][0]  # September revised August's IIP
    assert rows(shadowed, figure.format("v_latest"), IIP) == by_august  # the defect
    wrong = rows(shadowed, "select * from observation where valid_from = timestamp '2099-01-01' "
                 "order by all")
    assert len(wrong) == rows(shadowed, "select count(*) from reported where release_id = ?",
                              august)[0][0]

    # loading the file again with the right date changes nothing, and says what would
    out = ingest(AUGUST_2024, "2024-09-06", capsys)
    assert "1 unchanged" in out
    assert f"chiso release redate {august} --published-at 2024-09-06" in out
    assert rows(shadowed, figure.format("v_latest"), IIP) == by_august

    code, out, err = run(["release", "redate", "gso:2024-08", "--published-at", "2024-09-06",
                          "--reason", "typed 2099 for 2024"], capsys)
    assert code == 0, err
    assert f"redated {august}: published 2024-09-06, not 2099-01-01" in out
    assert rows(shadowed, figure.format("v_latest"), IIP) == by_september
    revision = rows(shadowed, "select previous_value, value, lag_days from v_revisions "
                    "where series_key = ? and period_type = 'M' and period_end = "
                    "date '2024-08-31'", IIP)
    assert revision == [(by_august[0][0], by_september[0][0], 30)]
    assert rows(shadowed, figure.format("v_first_release"), IIP) == by_august
    assert rows(shadowed, figure.format("as_of('2024-09-30')"), IIP) == by_august

    # history kept: the correction, the old date, and the 2099 vintages as they were
    assert rows(shadowed, "select correction_id, release_id, action, old_published_at::date, "
                "new_published_at::date, reason from release_correction") == [
        (1, august, "redate", date(2099, 1, 1),
         date(2024, 9, 6), "typed 2099 for 2024")]
    retired = rows(shadowed, "select * exclude (correction_id) from vintage_retired "
                   "where valid_from = timestamp '2099-01-01' order by all")
    assert retired == wrong
    assert not rows(shadowed, "select * from observation where valid_from > now()")
    assert [(j["correction"], j["action"], j["release_id"], j["published_at"])
            for j in journal(shadowed)] == [(1, "redate", august, "2024-09-06T00:00:00")]
    assert_checks_pass(shadowed)

    # again: nothing to do, nothing recorded
    before = snapshot(shadowed)
    code, out, _ = run(["release", "redate", august, "--published-at", "2024-09-06"], capsys)
    assert code == 0 and f"unchanged: {august} is already dated 2024-09-06" in out
    assert snapshot(shadowed) == before and len(journal(shadowed)) == 1


def test_a_withdrawn_release_leaves_v_latest_and_stays_in_history(
    shadowed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["release", "redate", AUGUST_2024.name, "--published-at", "2024-09-06"],
               capsys)[0] == 0
    september = release_of(shadowed, SEPTEMBER_2024)
    with_september = latest(shadowed)
    observations = rows(shadowed, COMPARED["observation"])

    code, out, err = run(["release", "withdraw", september, "--reason",
                          "GSO replaced the file"], capsys)
    assert code == 0, err
    assert f"withdrew {september}" in out
    (withdrawn_at,) = rows(shadowed, "select withdrawn_at from v_withdrawn where release_id = ?",
                           september)[0]
    # v_latest is what August alone gives; as_of before the withdrawal is what it was
    alone = tmp_path / "alone" / "chiso.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CHISO_WAREHOUSE", str(alone))
        patch.setenv("CHISO_ARCHIVE", str(alone.parent / "archive"))
        ingest(AUGUST_2024, "2024-09-06", capsys)
    assert latest(shadowed) == latest(alone)
    assert latest(shadowed, "2025-01-01") == with_september
    before = f"{withdrawn_at - timedelta(seconds=1)}"
    assert latest(shadowed, before) == with_september
    # taken back: no revision of its own, no first publication, none brought back either
    for view in ("v_revisions", "v_first_release"):
        assert rows(shadowed, f"select * from {view} order by all") == rows(
            alone, f"select * from {view} order by all"), view
    # the named questions answer alike: now without it, before the withdrawal with it
    from warehouse.query import query

    history = query("revision_history", None, series=IIP, period="2024-09")
    assert history.empty  # September alone gave September
    history = query("revision_history", "2025-01-01", series=IIP, period="2024-08")
    assert list(history["kind"]) == ["first release", "revision"]
    assert list(history["release_id"])[-1] == september
    # its vintages are closed, not deleted
    assert rows(shadowed, "select count(*) from observation where release_id = ? and valid_to "
                "= ?", september, withdrawn_at) == rows(
        shadowed, "select count(*) from reported where release_id = ?", september)
    assert_checks_pass(shadowed)

    # loading its file again does not bring it back; reinstating does, exactly
    out = ingest(SEPTEMBER_2024, "2024-10-06", capsys)
    assert f"{september} was withdrawn" in out and f"chiso release reinstate {september}" in out
    assert latest(shadowed) == latest(alone)
    code, out, _ = run(["release", "withdraw", "gso:2024-09", "--reason", "twice"], capsys)
    assert code == 0 and "already withdrawn" in out
    assert run(["release", "reinstate", "gso:2024-09"], capsys)[0] == 0
    assert rows(shadowed, COMPARED["observation"]) == observations
    assert [a for (a,) in rows(shadowed, "select action from release_correction order by 1")] \
        == ["redate", "reinstate", "withdraw"]


def test_a_rebuild_gives_the_corrected_warehouse(
    shadowed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Redated, withdrawn, and a later release loaded after both: the archive and its journal
    rebuild the same release rows, vintages and corrections."""
    assert run(["release", "redate", "gso:2024-08", "--published-at", "2024-09-06"],
               capsys)[0] == 0
    assert run(["release", "withdraw", "gso:2024-09", "--reason", "test"], capsys)[0] == 0
    ingest(OCTOBER_2024, "2024-11-06", capsys)
    assert_checks_pass(shadowed)
    target = tmp_path / "rebuilt.duckdb"
    outcomes = rebuild(Archive(shadowed.parent / "archive"), target)
    assert [o.status for o in outcomes] == ["new", "new", "new"]
    assert snapshot(target) == snapshot(shadowed)
    assert latest(target) == latest(shadowed)
    assert not rows(target, "select * from release where published_at > now()")


def test_a_torn_journal_line_fails_the_rebuild_naming_it(
    shadowed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A correction the rebuild cannot read must not pass for applied: the 2099 date would
    come back unnoticed."""
    assert run(["release", "redate", "gso:2024-08", "--published-at", "2024-09-06"],
               capsys)[0] == 0
    path = shadowed.parent / "archive" / "corrections.jsonl"
    path.write_text(path.read_text(encoding="utf-8")[:-30], encoding="utf-8")
    target = tmp_path / "rebuilt.duckdb"
    outcomes = rebuild(Archive(shadowed.parent / "archive"), target)
    assert [(o.status, o.file_name) for o in outcomes] == [
        ("new", AUGUST_2024.name), ("new", SEPTEMBER_2024.name),
        ("failed", "corrections.jsonl")]
    assert "line 1 cannot be read" in outcomes[2].message
    assert rows(target, "select published_at::date::varchar from release "
                "where reference_period = '2024-08'") == [("2099-01-01",)]


def test_a_correction_the_warehouse_lacks_is_applied_by_the_next(
    shadowed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A crash between the journal line and the warehouse's commit: the next correction
    applies the journal's line first, under its own number."""
    august = release_of(shadowed, AUGUST_2024)
    line = {"correction": 1, "release_id": august, "source": "gso", "action": "redate",
            "published_at": "2024-09-06T00:00:00", "old_published_at": "2099-01-01T00:00:00",
            "effective_at": "2026-01-01T00:00:00", "reason": "crashed",
            "recorded_at": "2025-12-31T17:00:00"}
    archive = shadowed.parent / "archive" / "corrections.jsonl"
    archive.write_text(json.dumps(line) + "\n", encoding="utf-8")
    code, out, err = run(["release", "withdraw", "gso:2024-09", "--reason", "test"], capsys)
    assert code == 0, err
    assert f"applied correction 1 from the archive first (redate {august})" in out
    assert rows(shadowed, "select correction_id, action from release_correction order by 1") \
        == [(1, "redate"), (2, "withdraw")]
    assert [j["correction"] for j in journal(shadowed)] == [1, 2]


BAD = {
    "in the future": (["release", "redate", "gso:2024-08", "--published-at", "2099-02-01"],
                      ["--published-at 2099-02-01 is in the future", "--force-date"]),
    "before its period": (["release", "redate", "gso:2024-09", "--published-at", "2024-08-15"],
                          ["--published-at 2024-08-15 is before 2024-09 began"]),
    "not a day": (["release", "redate", "gso:2024-08", "--published-at", "6/9/2024"],
                  ["'6/9/2024' is not a day written YYYY-MM-DD"]),
    "unknown release": (["release", "withdraw", "gso:2024-9", "--reason", "x"],
                        ["no release 'gso:2024-9'", "did you mean gso:2024-09"]),
    "no reason to withdraw": (["release", "withdraw", "gso:2024-09"],
                              ["required: --reason"]),
    "no date to redate": (["release", "redate", "gso:2024-09"],
                          ["required: --published-at"]),
    "no action": (["release"], ["say what to do with the release", "chiso release redate"]),
}


def test_a_bad_correction_is_one_line_and_exit_2(
    shadowed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each case on the same warehouse (two workbooks take seconds to load): refused in one
    line naming the problem, nothing recorded, nothing changed."""
    before = snapshot(shadowed)
    for case, (argv, words) in BAD.items():
        code, out, err = run(argv, capsys)
        assert (code, out) == (2, ""), case
        assert len(err.strip().splitlines()) == 1, (case, err)
        for word in words:
            assert word in err, (case, err)
        assert snapshot(shadowed) == before and journal(shadowed) == [], case


def test_force_date_lets_a_refused_date_through(
    shadowed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["release", "redate", "gso:2024-09", "--published-at", "2024-08-15",
                       "--force-date", "--reason", "a plan"], capsys)
    assert code == 0, err
    assert rows(shadowed, "select published_at::date::varchar from release "
                "where reference_period = '2024-09'") == [("2024-08-15",)]
    assert_checks_pass(shadowed)
