"""Which territory a province's figures are on at a date (flows/reference/territories.csv).

A figure's territory is part of what it means. A province code of places.csv (`VN-31`, the
code Decision 19/2025/QĐ-TTg gives Hải Phòng) names the province; a territory is one version of
its borders, with the dates it was in force:

    geo         territory code, the `geo` of a series: VN-31 the city to 30 June 2025,
                VN-31-2025 the merged city from 1 July 2025 (code, '-', the year it began)
    province    the province code the territory is a version of (VN-31 for both)
    valid_from  first day in force ('' = before any figure chiso reads)
    valid_to    last day in force ('' = still in force)
    unknown_from  the day from which the reference does not know the territory (blocked, not
                guessed); empty on every row since the 2025 merger was mapped
    successor   the territory it became; predecessors (`|`-separated) those it came from

Because each territory has its own `geo`, a figure for the merged city is a different series
from the old city's, even for the same period: a border change is never a revision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from flows.core.errors import ConfigError
from flows.core.reference import read_rows

TERRITORIES_FILE = "territories.csv"


@dataclass(frozen=True)
class Territory:
    """One version of a province's borders and the dates it was in force."""

    geo: str
    province: str
    name_vi: str
    name_en: str
    valid_from: date | None
    valid_to: date | None
    unknown_from: date | None
    successor: str
    predecessors: tuple[str, ...]
    basis: str
    notes: str

    @property
    def label_vi(self) -> str:
        """The name with the dates of these borders where they changed: "Hải Phòng (từ
        1/7/2025)" and "Hải Phòng (đến 30/6/2025)" tell the two cities apart in any listing."""
        return self.name_vi + _dates(self, "từ", "đến", lambda d: f"{d.day}/{d.month}/{d.year}")

    @property
    def label_en(self) -> str:
        """The English name with the dates of these borders: "Hai Phong (from 1 July 2025)"."""
        return self.name_en + _dates(self, "from", "to", lambda d: f"{d.day} {d:%B} {d.year}")

    def in_force(self, on: date) -> bool:
        """Whether these borders were the province's on `on` (as far as the reference knows)."""
        return ((self.valid_from is None or self.valid_from <= on)
                and (self.valid_to is None or on <= self.valid_to)
                and (self.unknown_from is None or on < self.unknown_from))


def _dates(territory: Territory, since: str, until: str, write: Callable[[date], str]) -> str:
    start, end = territory.valid_from, territory.valid_to
    if start and end:
        return f" ({write(start)}-{write(end)})"
    if start:
        return f" ({since} {write(start)})"
    if end:
        return f" ({until} {write(end)})"
    return ""


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@cache
def territories() -> dict[str, Territory]:
    """Every territory by its geo code, checked for links that lead nowhere."""
    found = {
        r["geo"]: Territory(
            r["geo"], r["province"], r["name_vi"], r["name_en"], _date(r["valid_from"]),
            _date(r["valid_to"]), _date(r["unknown_from"]), r["successor"],
            tuple(p for p in r["predecessors"].split("|") if p), r["basis"], r["notes"])
        for r in read_rows(TERRITORIES_FILE)
    }
    for t in found.values():
        broken = [g for g in (t.successor, *t.predecessors, t.province) if g and g not in found]
        if broken:
            raise ConfigError(
                f"flows/reference/{TERRITORIES_FILE}: {t.geo} links to {', '.join(broken)}, "
                "which the file does not hold; add the territory or fix the link")
    return found


def territory_in_force(geo: str, on: date) -> str | None:
    """The territory code for figures of `geo` (a province or territory code) on `on`.

    A province whose borders changed moves to the successor that continues it (VN-31 on
    2025-08-06 is VN-31-2025). Codes that are no province (VN, a country) pass as they are, and
    so does a territory named before it began: a figure recomputed on the merged city's
    borders for 2024 is still the merged city's. None when no territory of the province is
    known on `on` (`not_in_force` says why): one merged into another province, or one the
    reference cannot follow past the 2025 merger.
    """
    known = territories()
    territory = known.get(geo)
    while territory is not None and not territory.in_force(on):
        if territory.valid_from is not None and on < territory.valid_from:
            return territory.geo
        after = known.get(territory.successor)
        if after is None or after.province != territory.province:
            return None
        territory = after
    return geo if territory is None else territory.geo


def not_in_force(geo: str, on: date) -> str:
    """Why `territory_in_force(geo, on)` is None, and what to do, in one sentence."""
    known = territories()
    territory = known[geo]
    while territory.successor and territory.valid_to is not None and territory.valid_to < on:
        after = known[territory.successor]
        if after.province != territory.province:
            return (f"{territory.name_vi} ({territory.geo}) was merged into {after.name_vi} "
                    f"({after.geo}) on {territory.valid_to + timedelta(days=1)}, so a figure "
                    f"of {on:%Y-%m-%d} for it has no territory; file figures for the merged "
                    f"province under {after.geo}")
        territory = after
    return (f"{territory.name_vi} ({territory.geo}): flows/reference/{TERRITORIES_FILE} does not "
            f"know its territory on {on:%Y-%m-%d} ({territory.notes}); add the territory in "
            "force then, with its successor links, before loading figures for it")
