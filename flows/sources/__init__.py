"""The registry of sources. Adding one: a module with a `SOURCE`, listed here, and a row in
flows/reference/sources.csv (its precedence when sources disagree)."""

from __future__ import annotations

from typing import Any

from flows.core.errors import ConfigError
from flows.sources import files, gso, haiphong_doit, haiphong_stats, nsdp, press, sdmx, worldbank
from flows.sources.base import Source

SOURCES: dict[str, Source[Any]] = {source.name: source for source in (
    gso.SOURCE, worldbank.SOURCE, files.SOURCE, haiphong_stats.SOURCE, haiphong_doit.SOURCE,
    sdmx.SOURCE, nsdp.SOURCE, press.SOURCE)}


def source(name: str) -> Source[Any]:
    """The registered source called `name`."""
    try:
        return SOURCES[name]
    except KeyError:
        known = ", ".join(sorted(SOURCES))
        raise ConfigError(f"unknown source {name!r}; chiso knows: {known}") from None
