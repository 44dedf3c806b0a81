"""A release found is announced in the run that loaded it: a Prefect event carrying its
source, its period and its headline figures, which an automation forwards (docs/operations.md,
"Release-day polling")."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
from prefect.events import emit_event

from flows.pipeline import Outcome
from flows.present.headline import headline

PUBLISHED_EVENT = "chiso.release.published"


def announce(con: duckdb.DuckDBPyConnection, outcomes: Sequence[Outcome]) -> list[str]:
    """Emit PUBLISHED_EVENT for each new release of `outcomes`, read from the published
    warehouse `con`; returns the release ids announced."""
    announced = []
    for outcome in outcomes:
        if outcome.status != "new" or not outcome.release_id:
            continue
        emit_event(
            PUBLISHED_EVENT,
            resource={"prefect.resource.id": f"chiso.source.{outcome.source}",
                      "prefect.resource.name": outcome.source},
            related=[{"prefect.resource.id": f"chiso.release.{outcome.release_id}",
                      "prefect.resource.role": "release"}],
            payload={"source": outcome.source, "period": outcome.reference_period,
                     "release_id": outcome.release_id, "file": outcome.file_name,
                     "figures": outcome.reported,
                     "headline": headline(con, outcome.release_id)},
        )
        announced.append(outcome.release_id)
    return announced
