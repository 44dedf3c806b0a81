"""What a source is: how it discovers its releases and how it reads one archived release."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flows.core.model import Observation, Rejected, ReleaseRef
from flows.core.secrets import ApiKey

# Fetches a URL (through the shared session or the mirror) and returns its bytes.
Get = Callable[[str], bytes]


@dataclass(frozen=True)
class Contents:
    """What a reader found in a release: observations, rejects, and its latest month."""

    observations: list[Observation]
    rejected: list[Rejected]
    reference_period: str  # YYYY-MM
    # What makes two fetches one release when their bytes differ for no reason (an SDMX service
    # stamps its answer's header anew at every request): a hash of what the release says. None:
    # the release is its files' sha256.
    identity: str | None = None


@dataclass(frozen=True)
class Source:
    """A publisher's way in.

    `read` takes the archived files of one release (the main file first, then its parts) and
    the release's reference; `discover` lists the releases a source can see, or is None for
    sources that only take files given by hand (`press`, `files`).
    """

    name: str
    read: Callable[[list[Path], ReleaseRef], Contents]
    discover: Callable[[Get, date | None], list[ReleaseRef]] | None = None
    # The file kinds `chiso ingest` accepts for this source, for its help text.
    accepts: tuple[str, ...] = field(default=(".xlsx", ".xls"))
    # Where the source's optional API key goes (flows/core/secrets.py); None: it takes no key.
    api_key: ApiKey | None = None
