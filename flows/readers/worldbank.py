"""Read World Bank Indicators API v2 JSON pages: their headers and rows, as the API sends them.

flows/normalise/worldbank.py turns the rows into observations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from flows.core.errors import UnexpectedResponseError

_REFETCH = "fetch the URL again and check that it answers format=json data"


@dataclass(frozen=True)
class Page:
    """One page of an API answer: the header's counts and vintage, and its rows."""

    number: int
    pages: int
    per_page: int
    total: int
    lastupdated: date
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class Answer:
    """An answer's pages, page 1 first, and the names (URLs) of their files for messages."""

    pages: list[Page]
    names: list[str]

    @property
    def lastupdated(self) -> date:
        return self.pages[0].lastupdated


def parse_page(data: bytes, where: str) -> Page:
    """One API v2 page, `[header, rows]`; rows is null in the API's answer when there are none.

    Raises UnexpectedResponseError, naming `where`, for the API's error array or any other shape.
    """
    try:
        parsed = json.loads(data, parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise UnexpectedResponseError(
            f"{where}: not JSON ({exc}); expected a World Bank API v2 page, [header, rows]. "
            f"The API may have sent an HTML error page: {_REFETCH}"
        ) from None
    error = api_error(parsed)
    if error is not None:
        raise UnexpectedResponseError(
            f"{where}: the World Bank API answered with an error instead of data: {error}. "
            "Check the indicator id and country codes in flows/reference/worldbank_*.csv "
            "against https://data.worldbank.org/indicator"
        )
    if not (isinstance(parsed, list) and len(parsed) == 2 and isinstance(parsed[0], dict)):
        raise _shape(where, "a two-element array [header, rows]", parsed)
    header, rows = parsed
    rows = [] if rows is None else rows
    if not (isinstance(rows, list) and all(_is_row(row) for row in rows)):
        raise _shape(where, "rows with indicator.id, country, date and value", rows)
    return Page(
        _count(header, "page", where), _count(header, "pages", where),
        _count(header, "per_page", where), _count(header, "total", where),
        _lastupdated(header, where), rows,
    )


def api_error(parsed: object) -> str | None:
    """The message of the API's one-element error array, `[{"message": [{id, key, value}]}]`."""
    if not (isinstance(parsed, list) and len(parsed) == 1 and isinstance(parsed[0], dict)):
        return None
    messages = parsed[0].get("message")
    if not isinstance(messages, list):
        return None
    return "; ".join(
        f"{m.get('id', '?')} {m.get('key', '')}: {m.get('value', '')}".strip()
        for m in messages if isinstance(m, dict)
    ) or "an empty error message"


def read_pages(paths: list[Path], names: list[str]) -> Answer:
    """Every page of an answer (in order, page 1 first), checked to be one whole answer.

    `names` name the files in messages (their URLs). Raises UnexpectedResponseError when a page
    is not API v2 JSON, a page is missing, or the pages come from different database updates.
    """
    pages = [parse_page(path.read_bytes(), name) for path, name in zip(paths, names, strict=True)]
    _check_complete(pages, names)
    return Answer(pages, names)


def _check_complete(pages: list[Page], names: list[str]) -> None:
    expected = pages[0].pages or 1  # an answer with no rows says "pages": 0
    numbers = [page.number or 1 for page in pages]
    if numbers != list(range(1, expected + 1)):
        raise UnexpectedResponseError(
            f"{names[0]}: the answer has {expected} page(s) but the release holds pages "
            f"{numbers}; fetch every page (&page=N) of the answer and load them together"
        )
    updates = sorted({page.lastupdated for page in pages})
    if len(updates) > 1:
        raise UnexpectedResponseError(
            f"{names[0]}: its pages come from different database updates "
            f"({', '.join(map(str, updates))}); the World Bank updated WDI while they were "
            "fetched: fetch every page again"
        )


def _is_row(row: object) -> bool:
    return (
        isinstance(row, dict)
        and isinstance(row.get("indicator"), dict) and "id" in row["indicator"]
        and ("countryiso3code" in row or isinstance(row.get("country"), dict))
        and "date" in row and "value" in row
    )


def _count(header: dict[str, Any], key: str, where: str) -> int:
    # The indicator endpoint gives numbers; other v2 endpoints give "per_page" as a string.
    value = header.get(key)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if type(value) is int:
        return value
    raise _shape(where, f'a header with a whole number "{key}"', header)


def _lastupdated(header: dict[str, Any], where: str) -> date:
    try:
        return date.fromisoformat(str(header["lastupdated"]))
    except (KeyError, ValueError):
        raise _shape(where, 'a header with "lastupdated": "YYYY-MM-DD"', header) from None


def _shape(where: str, expected: str, found: object) -> UnexpectedResponseError:
    shown = json.dumps(found, default=str)[:120]
    return UnexpectedResponseError(
        f"{where}: not a World Bank API v2 page; expected {expected}, found {shown}; {_REFETCH}"
    )
