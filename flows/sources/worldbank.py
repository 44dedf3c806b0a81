"""Discover the World Bank indicators chiso follows from the API's headers; read and normalise
their pages."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

from flows.core.errors import DiscoveryError, UnexpectedResponseError
from flows.core.model import ReleaseRef
from flows.core.secrets import ApiKey
from flows.normalise.worldbank import (
    Asked,
    IndicatorSpec,
    countries,
    indicators,
    latest_month,
    normalise_pages,
    obs_statuses,
    parse_date,
)
from flows.readers.worldbank import Answer, Page, parse_page, read_pages
from flows.sources.base import Contents, Get, Source

log = logging.getLogger(__name__)

NAME = "worldbank"
API = "https://api.worldbank.org/v2"
# The years asked for. Fixed, so a release's URLs (and the bundled mirror's file names) stay the
# same from run to run: a new WDI update is then a new file at the same URL. Move the end year
# when WDI publishes figures for a new year.
YEARS = (2000, 2024)


def indicator_url(
    spec: IndicatorSpec, iso3: Sequence[str], years: tuple[int, int] = YEARS, api: str = API
) -> str:
    """Page 1 of an indicator for the countries `iso3` (the API joins several with ";")."""
    return (f"{api}/country/{';'.join(iso3)}/indicator/{spec.wb_id}"
            f"?format=json&per_page={spec.per_page}&date={years[0]}:{years[1]}")


def page_url(url: str, number: int) -> str:
    """Page `number` of the answer whose first page is `url`."""
    return url if number == 1 else f"{url}&page={number}"


def discover(
    get: Get,
    since: date | None = None,
    *,
    wb_ids: Sequence[str] | None = None,
    iso3: Sequence[str] | None = None,
    years: tuple[int, int] = YEARS,
    api: str = API,
) -> list[ReleaseRef]:
    """One release per indicator (all of worldbank_indicators.csv unless `wb_ids` are given).

    Reads page 1 of each answer for its header: `lastupdated` is the vintage, `pages` gives the
    further pages (the release's parts). Indicators not updated since `since` are left out, and
    so are answers without a single figure. Raises DiscoveryError, naming the indicator, when the
    API answers with its error array or anything but v2 JSON.
    """
    specs = indicators()
    unknown = [wb_id for wb_id in wb_ids or () if wb_id not in specs]
    if unknown:
        raise DiscoveryError(f"World Bank indicators {unknown} are not in "
                             "flows/reference/worldbank_indicators.csv; add a row for each")
    chosen = [specs[wb_id] for wb_id in wb_ids] if wb_ids else list(specs.values())
    asked = list(iso3 or countries())
    refs = (_release(get, spec, indicator_url(spec, asked, years, api), since) for spec in chosen)
    return [ref for ref in refs if ref is not None]


def _release(get: Get, spec: IndicatorSpec, url: str, since: date | None) -> ReleaseRef | None:
    first = _page(get, spec, url)
    if since is not None and first.lastupdated < since:
        log.info("World Bank %s: last updated %s, before %s; skipped",
                 spec.wb_id, first.lastupdated, since)
        return None
    latest = _latest_period(get, spec, url, first)
    if latest is None:
        log.warning("World Bank %s: %s has no figure at all; nothing to load", spec.wb_id, url)
        return None
    return ReleaseRef(
        source=NAME,
        dataset=spec.wb_id,
        url=url,
        published_at=datetime.combine(first.lastupdated, time()),
        reference_period=latest,
        title=spec.name,
        parts=tuple(page_url(url, n) for n in range(2, first.pages + 1)),
    )


def _page(get: Get, spec: IndicatorSpec, url: str) -> Page:
    try:
        return parse_page(get(url), url)
    except UnexpectedResponseError as exc:
        raise DiscoveryError(f"World Bank indicator {spec.wb_id}: {exc}") from None


def _latest_period(get: Get, spec: IndicatorSpec, url: str, first: Page) -> str | None:
    """YYYY-MM of the latest period with a figure (a year gives YYYY-12).

    The API lists the newest period first, so page 1 usually settles it; a page of nulls only
    (years not yet published) sends us on to the next page.
    """
    page = first
    while True:
        ends = [period.end for row in page.rows
                if row["value"] is not None and (period := parse_date(row["date"])) is not None]
        if ends:
            return f"{max(ends):%Y-%m}"
        if page.number >= first.pages:
            return None
        page = _page(get, spec, page_url(url, page.number + 1))


def asked_for(dataset: str) -> Asked:
    """What a release asked for: its indicator (every configured one for a file given by hand)."""
    specs = indicators()
    chosen = {dataset: specs[dataset]} if dataset in specs else specs
    return Asked(chosen, countries(), obs_statuses())


def read(paths: list[Path], ref: ReleaseRef) -> Answer:
    """An indicator's answer: page 1 first, then its further pages."""
    # Name the files as the user knows them: the URLs, or the names of files given by hand.
    given = [ref.url or ref.title, *ref.parts]
    names = given if len(given) == len(paths) and all(given) else [p.name for p in paths]
    answer = read_pages(paths, names)
    if answer.lastupdated != ref.published_at.date():
        log.warning("%s: the API says it was last updated %s, but the release is dated %s",
                    names[0], answer.lastupdated, ref.published_at.date())
    return answer


def normalise(answer: Answer, ref: ReleaseRef) -> Contents:
    """The answer's rows as observations of the indicator the release asked for."""
    observations, rejected = normalise_pages(answer, asked_for(ref.dataset))
    return Contents(observations, rejected, ref.reference_period)


def settle(answer: Answer, contents: Contents, ref: ReleaseRef) -> Contents:
    """The release's month: its latest valid figure's, else the one it was given."""
    period = latest_month(contents.observations) or ref.reference_period
    return replace(contents, reference_period=period)


def _discover(get: Get, since: date | None) -> list[ReleaseRef]:
    return discover(get, since)


# The optional API key (CHISO_WORLDBANK_API_KEY or the Secret block chiso-worldbank-api-key),
# for a deployment behind an API gateway; it goes in the header such gateways read.
API_KEY = ApiKey("Ocp-Apim-Subscription-Key", "header")

SOURCE = Source(NAME, read=read, normalise=normalise, discover=_discover, accepts=(".json",),
                api_key=API_KEY, settle=settle)
