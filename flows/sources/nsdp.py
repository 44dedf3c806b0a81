"""Viet Nam's National Summary Data Page (NSDP): the headline series the statistics office, the
Ministry of Finance and the State Bank publish for the IMF's Data Standards, as SDMX files.

The files sit at fixed addresses (flows/reference/nsdp_files.csv, one row per file): a file is
a release, its vintage the message's `Prepared` time, its month the latest period it reports.
A scheduled poll asks the addresses conditionally (flows/watch.py) and discovers only when one
changed; a file posted again with new bytes but the same figures is the same release (its
identity is what it says, not its bytes), so it loads once.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import NamedTuple

from flows.core.errors import ChisoError, DiscoveryError, NoTablesError
from flows.core.model import Observation, Rejected, ReleaseRef
from flows.core.reference import read_rows
from flows.normalise.nsdp import normalise_nsdp
from flows.normalise.sdmx import sdmx_period
from flows.readers.sdmx import read_sdmx_data
from flows.readers.sdmx_data import SdmxData
from flows.sources.base import Contents, Get, Source
from flows.sources.sdmx import vietnam_time

log = logging.getLogger(__name__)

NAME = "nsdp"
FILES = "nsdp_files.csv"
# <message:Prepared>2024-11-13T06:48:52Z</message:Prepared>, in the header at the file's top.
_PREPARED = re.compile(rb"<(?:[\w.-]+:)?Prepared>\s*([^<\s]+)\s*</(?:[\w.-]+:)?Prepared>")
_HEADER_BYTES = 64 * 1024
_TIME_PERIOD = re.compile(rb'TIME_PERIOD="([^"]{4,10})"')


@dataclass(frozen=True)
class NsdpFile:
    """One file of the NSDP: its dataset name, the agency that posts it, its name, its URL."""

    dataset: str
    agency: str
    file: str
    url: str


@cache
def files() -> dict[str, NsdpFile]:
    """The NSDP files chiso follows, by dataset."""
    return {row["dataset"]: NsdpFile(**row) for row in read_rows(FILES)}


def watched() -> tuple[str, ...]:
    """The addresses a poll asks conditionally: the files themselves."""
    return tuple(item.url for item in files().values())


def discover(get: Get, since: date | None = None) -> list[ReleaseRef]:
    """A release per file, oldest first; a file that cannot be fetched or read is logged and
    left out, DiscoveryError when none could."""
    refs: list[ReleaseRef] = []
    problems: list[str] = []
    for item in files().values():
        try:
            ref = release(item, get(item.url))
        except ChisoError as exc:
            problems.append(f"NSDP file {item.dataset} ({item.url}): {exc}")
            log.error("%s", problems[-1])
            continue
        if since is not None and ref.published_at.date() < since:
            continue
        refs.append(ref)
    if problems and len(problems) == len(files()):
        raise DiscoveryError("; ".join(problems))
    return sorted(refs, key=lambda ref: (ref.published_at, ref.dataset))


def release(item: NsdpFile, body: bytes) -> ReleaseRef:
    """The release a file's current answer is: dated by its header's `Prepared`.

    Read from the bytes, not through sdmx1: discovery needs the date and the latest period
    only, and sdmx1 reading every file twice (here, then to load it) doubled a run's time.
    The load reads the file whole, and settles the release's month from its valid figures.
    """
    prepared = _PREPARED.search(body[:_HEADER_BYTES])
    published = _vietnam_time(prepared.group(1).decode("ascii", "replace")) if prepared else None
    if published is None:
        raise DiscoveryError(f"{item.file}: no SDMX message header with a Prepared date to take "
                             "as its vintage; an NSDP file always has one: fetch it again")
    return ReleaseRef(source=NAME, dataset=item.dataset, url=item.url, published_at=published,
                      reference_period=latest_period(body) or f"{published:%Y-%m}",
                      title=item.file)


def latest_period(body: bytes) -> str:
    """YYYY-MM of the latest period end the file's TIME_PERIODs name; empty without one."""
    times = {match.decode("ascii", "replace") for match in _TIME_PERIOD.findall(body)}
    ends = [p.end for text in times if (p := sdmx_period(text)) is not None]
    return f"{max(ends):%Y-%m}" if ends else ""


def _vietnam_time(text: str) -> datetime | None:
    """An SDMX `Prepared` stamp in Viet Nam's time, naive (a stamp without a zone is UTC)."""
    try:
        return vietnam_time(datetime.fromisoformat(text.strip()))
    except ValueError:
        return None


class Message(NamedTuple):
    """An archived NSDP file as read: its name and its message."""

    name: str
    data: SdmxData


def read(paths: list[Path], ref: ReleaseRef) -> Message:
    """The file's message (structure-specific; sdmx1 infers its structure from the data)."""
    name = ref.title or paths[0].name
    return Message(name, read_sdmx_data(paths[0].read_bytes(), name))


def normalise(message: Message, ref: ReleaseRef) -> Contents:
    """The file's figures through the code list and the NSDP's value rules; its rejects."""
    observations, rejected = normalise_nsdp(message.data, message.name)
    return Contents(observations, rejected, ref.reference_period)


def settle(message: Message, contents: Contents, ref: ReleaseRef) -> Contents:
    """The release's month (its latest valid figure's) and its identity by what it says."""
    ends = [obs.period.end for obs in contents.observations]
    if not ends and not contents.rejected:
        raise NoTablesError(f"{message.name}: an NSDP message with no observations")
    period = f"{max(ends):%Y-%m}" if ends else ref.reference_period
    identity = figures_identity(ref, contents.observations, contents.rejected)
    return replace(contents, reference_period=period, identity=identity)


def figures_identity(ref: ReleaseRef, observations: list[Observation],
                     rejected: list[Rejected]) -> str:
    """What the file says, as a hash: its dataset, figures and quarantined values. The header's
    `Prepared` and message id are left out, so the same figures posted again are one release."""
    digest = hashlib.sha256(f"{ref.source}\n{ref.dataset}\n".encode())
    lines = sorted(repr((o.series_key, o.period.type, o.period.start.isoformat(),
                         o.period.end.isoformat(), o.value, o.status)) for o in observations)
    lines += sorted(repr((r.cell, r.raw, r.code)) for r in rejected)
    for line in lines:
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


SOURCE = Source(NAME, read=read, normalise=normalise, discover=discover, accepts=(".xml",),
                settle=settle, watch=watched)
