"""What the scheduled service is doing: each deployment's next run and the last runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterId,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.client.schemas.sorting import FlowRunSort
from prefect.settings import PREFECT_API_URL, temporary_settings

# Runs shown by `status`, newest first: enough to see today's polls.
LAST_RUNS = 5
# The time zone runs are shown in: the publishers' and the schedules'.
VIETNAM = "Asia/Ho_Chi_Minh"


def next_runs(api_url: str) -> list[str]:
    """One line per deployment: its next scheduled run, or "by hand"."""
    scheduled = FlowRunFilter(state=FlowRunFilterState(
        type=FlowRunFilterStateType(any_=[StateType.SCHEDULED])))
    lines: dict[str, str] = {}
    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        flows = {flow.id: flow.name for flow in client.read_flows()}
        for deployment in client.read_deployments():
            runs = client.read_flow_runs(
                flow_run_filter=scheduled, sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=1,
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])))
            start = runs[0].expected_start_time if runs else None
            name = f"{flows.get(deployment.flow_id, '?')}/{deployment.name}"
            lines[name] = f"next {_local(start)}" if start else "by hand"
    return [f"  {name:24} {when}" for name, when in sorted(lines.items())]


def last_runs(api_url: str) -> list[str]:
    """The latest runs that have started, newest first, with their state."""
    started = FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(
        not_any_=[StateType.SCHEDULED])))
    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        flows = {flow.id: flow.name for flow in client.read_flows()}
        runs = client.read_flow_runs(flow_run_filter=started, limit=LAST_RUNS,
                                     sort=FlowRunSort.START_TIME_DESC)
    return [_describe(run, flows) for run in runs] or ["  (none yet)"]


def _describe(run: Any, flows: dict[Any, str]) -> str:
    when = run.start_time or run.expected_start_time
    line = f"  {_local(when) if when else '?':22} {flows.get(run.flow_id, '?')}/{run.name}"
    if run.state is None:
        return line
    failed = run.state.type in (StateType.FAILED, StateType.CRASHED) and run.state.message
    return f"{line} {run.state.name}" + (f": {run.state.message}" if failed else "")


def _local(moment: datetime, zone: str = VIETNAM) -> str:
    return f"{moment.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M %z}"
