"""What a run shows in Prefect's UI: its name from the moment it is created, a summary artifact
from every run (a no-op's and a failed one's included), the report linked, and an all-sources
run that fails, naming why, when every source failed."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from flows.core.config import BUNDLED_MIRROR
from flows.core.errors import SourcesFailedError

pytestmark = [pytest.mark.flow, pytest.mark.slow]


def artifacts_of(run_id: UUID) -> dict[str, Any]:
    """The artifacts a flow run left, by key."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))
    return {a.key: a for a in found}


def test_runs_are_named_at_creation_and_always_leave_a_summary(
    prefect_harness: None, warehouse_env: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterName

    from flows.orchestration.flows import run_all, source_flow
    from flows.orchestration.naming import create_run, run_name, run_named

    runs_logger = logging.getLogger("prefect.flow_runs")  # Prefect's: it does not propagate
    runs_logger.addHandler(caplog.handler)
    request.addfinalizer(lambda: runs_logger.removeHandler(caplog.handler))
    monkeypatch.setenv("CHISO_MIRROR", str(BUNDLED_MIRROR))

    # Created under its name, before it starts (Prefect names a run only once it runs).
    assert run_name(run_all, {}) == "all sources"
    assert run_name(source_flow, {"source": "gso"}) == "gso"
    created = create_run(run_all, {"names": ["haiphong_doit"]})
    with get_client(sync_client=True) as client:
        assert client.read_flow_run(created.id).name == "haiphong_doit"
        assert created.state is not None and created.state.is_pending()
    outcomes = run_named(run_all, names=["haiphong_doit"])
    assert [o.status for o in outcomes] == ["new", "new"]
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(
            name=FlowRunFilterName(any_=["haiphong_doit"])))
    # the newest: other tests of the session may have run sources under the same name
    parent = max((r for r in runs if r.parent_task_run_id is None and r.state
                  and r.state.is_completed() and r.created is not None),
                 key=lambda r: str(r.created))
    made = artifacts_of(parent.id)
    assert {"chiso-all-summary", "chiso-report"} <= set(made)
    assert "releases: 2 new, 0 unchanged, 0 failed" in str(made["chiso-all-summary"].data)

    # A run that loads nothing still says so, and links the report it left as it was.
    report = warehouse_env.parent / "report.html"
    written = report.stat().st_mtime_ns
    state = source_flow("haiphong_doit", since=date(2099, 1, 1), return_state=True)
    assert state.is_completed() and state.result() == []
    made = artifacts_of(state.state_details.flow_run_id)
    assert "nothing new" in str(made["chiso-haiphong-doit-summary"].data)
    assert report.resolve().as_uri() in str(made["chiso-report"].data)
    assert report.stat().st_mtime_ns == written

    # Every source failing fails the run, and the run says which and why.
    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    monkeypatch.setenv("CHISO_MIRROR", str(empty))
    state = run_all(names=["haiphong_doit"], return_state=True)
    assert state.is_failed()
    assert state.message is not None and "every source failed: haiphong_doit:" in state.message
    assert "socongthuong.haiphong.gov.vn" in state.message  # the page it could not get
    with pytest.raises(SourcesFailedError, match="every source failed: haiphong_doit"):
        state.result()
    made = artifacts_of(state.state_details.flow_run_id)
    assert "Every source failed: haiphong_doit" in str(made["chiso-all-summary"].data)
    # one source of two failing does not fail the run
    monkeypatch.setenv("CHISO_MIRROR", str(BUNDLED_MIRROR))
    mixed = tmp_path / "mixed-mirror"
    mixed.mkdir()
    (mixed / "socongthuong.haiphong.gov.vn").symlink_to(
        BUNDLED_MIRROR / "socongthuong.haiphong.gov.vn")
    monkeypatch.setenv("CHISO_MIRROR", str(mixed))
    state = run_all(names=["haiphong_doit", "haiphong_stats"], return_state=True)
    assert state.is_completed()
    statuses = {(o.source, o.status) for o in state.result()}
    assert statuses == {("haiphong_doit", "unchanged"), ("haiphong_stats", "failed")}
    # Only this run, off the bundled mirror, warns that the department's October 2024 report
    # (due 29 October 2024) has not arrived, in the words of `chiso query freshness`.
    # (each record once: it may reach caplog by propagation as well as through the handler)
    late = [r.getMessage() for r in dict.fromkeys(caplog.records)
            if "has not arrived" in r.getMessage()]
    days = (date.today() - date(2024, 10, 29)).days
    assert late == [f"haiphong_doit: the 2024-10 release, expected on 2024-10-29, has not "
                    f"arrived ({days} days overdue)"], late
