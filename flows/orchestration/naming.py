"""Flow run names given when a run is created, so Prefect's UI never shows a random name
('tactful-hog') that the run renames once it starts.

A flow's `flow_run_name` is a `str.format` template of its parameters or a function that takes
them (Prefect calls it with none, inside the run: it then reads `prefect.runtime`). Prefect
applies it only after the run has started; `run_named` creates the run under that name and
then runs the flow in it. A deployment's runs are named when created with
`run_deployment(..., flow_run_name=run_name(flow, parameters))` or
`prefect deployment run 'source/gso' --flow-run-name gso`; runs its schedules create take the
name when they start (Prefect 3.9 has no name template for scheduled runs).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from prefect import Flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import FlowRun
from prefect.context import TagsContext
from prefect.flow_engine import run_flow
from prefect.runtime import flow_run
from prefect.states import Pending

from flows.present.summary import sources_label

R = TypeVar("R")  # what the flow returns


def run_all_name(parameters: Mapping[str, Any] | None = None) -> str:
    """run_all's flow_run_name: from `parameters`, or inside a run from prefect.runtime."""
    given = flow_run.parameters if parameters is None else parameters
    return sources_label(given.get("names"))


def run_name(flow: Flow[..., Any], parameters: Mapping[str, Any]) -> str | None:
    """The name `flow` gives a run with `parameters` (defaults filled in); None when the flow
    names none (Prefect then picks one)."""
    bound = inspect.signature(flow.fn).bind_partial(**parameters)
    bound.apply_defaults()
    template = flow.flow_run_name
    if callable(template):
        return str(cast(Callable[..., Any], template)(bound.arguments))
    return template.format(**bound.arguments) if template else None


def create_run(flow: Flow[..., Any], parameters: Mapping[str, Any]) -> FlowRun:
    """A Pending flow run of `flow` with `parameters`, created under its final name."""
    with get_client(sync_client=True) as client:
        return client.create_flow_run(
            flow, name=run_name(flow, parameters),
            parameters=flow.serialize_parameters(dict(parameters)), state=Pending(),
            tags=TagsContext.get().current_tags,
        )


def run_named(flow: Flow[..., R], **parameters: Any) -> R:
    """Run `flow` in this process, in a flow run created under its final name; returns what
    the flow returns (or raises what it raises), as calling it would."""
    return cast(R, run_flow(flow, flow_run=create_run(flow, parameters), parameters=parameters))
