"""The registry of sources. Adding one: a module with a `SOURCE`, listed here, and a row in
flows/reference/sources.csv (its precedence when sources disagree)."""

from __future__ import annotations

from flows.errors import ConfigError
from flows.sources import gso
from flows.sources.base import Source

SOURCES: dict[str, Source] = {source.name: source for source in (gso.SOURCE,)}


def source(name: str) -> Source:
    """The registered source called `name`."""
    try:
        return SOURCES[name]
    except KeyError:
        known = ", ".join(sorted(SOURCES))
        raise ConfigError(f"unknown source {name!r}; chiso knows: {known}") from None
