"""The registry of sources: how each one discovers its releases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flows.release import ReleaseRef
from flows.sources import gso

Discover = Callable[[Callable[[str], bytes], date | None], list[ReleaseRef]]


def _gso(get: Callable[[str], bytes], since: date | None) -> list[ReleaseRef]:
    return gso.discover(get, since=since)


# Sources by name. Adding one: a discovery function here, a row in flows/reference/sources.csv.
DISCOVERY: dict[str, Discover] = {"gso": _gso}
