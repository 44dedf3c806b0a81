"""Pull the SDMX datasets of sdmx_datasets.csv (IMF, ECB, Eurostat, ADB) through sdmx1, and
load any SDMX data message given by hand (`chiso ingest sdmx --file`), which needs no row.

Discovery asks each dataset's REST data URL and takes the vintage from the answer: the data
set's UPDATE_DATE or PUBLICATION_DATE attribute, else the header's `prepared`. A dataset whose
data is structure-specific carries its structure message as a second file of the release.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NamedTuple

from flows.core import sdmx_catalog
from flows.core.errors import ChisoError, ConfigError, DiscoveryError, NoTablesError
from flows.core.model import Observation, Rejected, ReleaseRef
from flows.core.sdmx_catalog import Dataset
from flows.core.secrets import ApiKey
from flows.normalise.sdmx import normalise_sdmx
from flows.readers.sdmx import read_sdmx_data
from flows.readers.sdmx_data import SdmxData
from flows.sources.base import Contents, Get, Source

log = logging.getLogger(__name__)

NAME = "sdmx"
# Viet Nam keeps UTC+7 all year (no daylight saving), so a fixed offset is Asia/Ho_Chi_Minh.
VIETNAM = timezone(timedelta(hours=7))
# Data set attributes that date a vintage, most specific first; few providers send them.
VINTAGE_ATTRIBUTES = ("UPDATE_DATE", "PUBLICATION_DATE")


def discover(
    get: Get, since: date | None = None, datasets: Sequence[str] | None = None
) -> list[ReleaseRef]:
    """The releases of the chosen datasets (default: the rows marked `default`), oldest first.

    A dataset that cannot be fetched or read is logged and left out, so one broken query does
    not hide the others; DiscoveryError when every dataset failed.
    """
    chosen = _chosen(datasets)
    refs: list[ReleaseRef] = []
    problems: list[str] = []
    for item in chosen:
        try:
            ref = release(get, item)
        except ChisoError as exc:
            problems.append(f"SDMX dataset {item.dataset}: {exc}")
            log.error("%s", problems[-1])
            continue
        if since is not None and ref.published_at.date() < since:
            log.info("SDMX dataset %s was prepared before %s; skipped", item.dataset, since)
            continue
        refs.append(ref)
    if chosen and len(problems) == len(chosen):
        raise DiscoveryError("; ".join(problems))
    return sorted(refs, key=lambda ref: (ref.published_at, ref.dataset))


def release(get: Get, item: Dataset) -> ReleaseRef:
    """The release a dataset's query answers now: fetched once here to date and name it."""
    url = sdmx_catalog.data_url(item)
    structure_url = sdmx_catalog.structure_url(item)
    body = get(url)
    structure = get(structure_url) if structure_url else None
    data = read_sdmx_data(body, url, structure)
    published = published_at(data)
    if published is None:
        raise DiscoveryError(
            f"{url}: the answer has no UPDATE_DATE, PUBLICATION_DATE or header `prepared` to "
            "take as its publication date; ask for SDMX-ML 2.1 or SDMX-JSON 1.0"
        )
    observations, _ = normalise_sdmx(data, item)
    return ReleaseRef(
        source=NAME,
        dataset=item.dataset,
        url=url,
        published_at=published,
        reference_period=latest_month(observations) or f"{published:%Y-%m}",
        title=f"{item.flow_label} {item.key}",
        parts=(structure_url,) if structure_url else (),
    )


class Message(NamedTuple):
    """An archived SDMX release as read: its data file's name, what its messages say, and
    the analyst's mapping file, if one was given."""

    name: str
    data: SdmxData
    mapping: dict[str, Any] | None = None


def read(paths: list[Path], ref: ReleaseRef) -> Message:
    """One SDMX release as its files say: its data message first, then (any order) the
    structure message of its data and, for a file by hand, a TOML mapping (`.toml`)."""
    given = ref.parts if len(ref.parts) == len(paths) - 1 else [p.name for p in paths[1:]]
    mappings = [p for p, name in zip(paths[1:], given, strict=True)
                if name.lower().endswith(".toml")]
    structures = [p for p in paths[1:] if p not in mappings]
    if len(mappings) > 1 or len(structures) > 1:
        raise ConfigError(f"{paths[0].name}: an SDMX release takes one structure message and "
                          f"one mapping at most; given {', '.join(p.name for p in paths[1:])}")
    structure = structures[0].read_bytes() if structures else None
    mapping = sdmx_catalog.read_mapping(mappings[0]) if mappings else None
    data = read_sdmx_data(paths[0].read_bytes(), paths[0].name, structure)
    return Message(paths[0].name, data, mapping)


def normalise(message: Message, ref: ReleaseRef) -> Contents:
    """The message's observations in the canonical model, through the dataset's codes."""
    item = dataset_of(message, ref)
    observations, rejected = normalise_sdmx(
        message.data, item, sdmx_catalog.mapping_codes(message.mapping))
    return Contents(observations, rejected, ref.reference_period)


def dataset_of(message: Message, ref: ReleaseRef) -> Dataset:
    """The dataset a release stands for: its row of sdmx_datasets.csv (a fetched answer, or a
    file given with `--publisher <dataset>`), else what the message says of itself."""
    registered = sdmx_catalog.datasets().get(ref.dataset)
    if registered is not None:
        return sdmx_catalog.mapped(registered, message.mapping)
    data = message.data
    if not (data.agency or data.flow or data.structure_id):
        log.warning("%s: the message names no agency, dataflow or structure; its indicator "
                    "is SDMX unless a mapping file names one", message.name)
    return sdmx_catalog.message_dataset(
        ref.dataset, data.agency, data.flow, data.structure_id, message.mapping)


def settle(message: Message, contents: Contents, ref: ReleaseRef) -> Contents:
    """The release's month (its latest valid figure's) and its identity by what it says.

    A message whose every observation was quarantined is still a release: its quarantine rows
    say why (its month: the one given, else the publication's)."""
    name, data = message.name, message.data
    period = latest_month(contents.observations) or ref.reference_period
    if not period and contents.rejected:
        period = f"{ref.published_at:%Y-%m}"
    if not period:
        raise NoTablesError(
            f"{name}: an SDMX {data.format} message with no observations; check the query "
            "(the flow and key) that produced it"
        )
    identity = figures_identity(ref, data, contents.observations, contents.rejected)
    return replace(contents, reference_period=period, identity=identity)


def figures_identity(ref: ReleaseRef, data: SdmxData, observations: list[Observation],
                     rejected: list[Rejected]) -> str:
    """The release's identity by what it says: its dataset, vintage attributes, figures and
    rejects. A service stamps an answer's `prepared` and message id at each request, so the
    same figures asked for twice come in other bytes; they are one release, loaded once."""
    digest = hashlib.sha256(f"{ref.source}\n{ref.dataset}\n{ref.url}\n".encode())
    for name in VINTAGE_ATTRIBUTES:
        digest.update(f"{name}={data.dataset_attributes.get(name, '')}\n".encode())
    lines = sorted(repr((o.series_key, o.period.type, o.period.start.isoformat(),
                         o.period.end.isoformat(), o.value, o.status, o.provenance, o.decimals))
                   for o in observations)
    lines += sorted(repr((r.sheet, r.cell, r.label, r.raw, r.code)) for r in rejected)
    for line in lines:
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def published_at(data: SdmxData) -> datetime | None:
    """The vintage time of a message in Viet Nam's time, naive; None when it gives none.

    A time without a zone (IMF's `prepared`) is taken as UTC, as the services stamp it.
    """
    stamp: datetime | None = data.prepared
    for name in VINTAGE_ATTRIBUTES:
        text = data.dataset_attributes.get(name, "")
        try:
            stamp = datetime.fromisoformat(text)
            break
        except ValueError:
            continue
    return None if stamp is None else vietnam_time(stamp)


def vietnam_time(stamp: datetime) -> datetime:
    """`stamp` in Viet Nam's time, naive, as chiso keeps publication times; a stamp without a
    zone is taken as UTC, as SDMX services stamp their messages."""
    aware = stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)
    return aware.astimezone(VIETNAM).replace(tzinfo=None)


def latest_month(observations: list[Observation]) -> str:
    """The month of the latest period end, as YYYY-MM; empty without observations."""
    ends = [obs.period.end for obs in observations]
    return f"{max(ends):%Y-%m}" if ends else ""


def _chosen(names: Sequence[str] | None) -> list[Dataset]:
    if names is None:
        return [item for item in sdmx_catalog.datasets().values() if item.default]
    return [sdmx_catalog.dataset(name) for name in names]


def _discover(get: Get, since: date | None) -> list[ReleaseRef]:
    return discover(get, since)


# The optional API key (CHISO_SDMX_API_KEY or the Secret block chiso-sdmx-api-key) goes in the
# query as Azure API Management, which fronts api.imf.org's portal, takes it. It goes with every
# SDMX request, whatever the provider: set one only when every provider you pull accepts it.
API_KEY = ApiKey("subscription-key", "query")

SOURCE = Source(NAME, read=read, normalise=normalise, discover=_discover,
                accepts=(".xml", ".json", ".csv"), api_key=API_KEY, settle=settle)
