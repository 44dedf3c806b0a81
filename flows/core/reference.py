"""Reference data (codelists and label aliases) loaded from the CSV files in flows/reference."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flows.core.config import REFERENCE_DIR
from flows.core.errors import ConfigError
from flows.core.text import fold


@dataclass(frozen=True)
class Commodity:
    flow: str
    section: str
    code: str
    qty_unit: str
    parent: str


@dataclass(frozen=True)
class CpiGroup:
    indicator: str
    code: str
    parent: str


@dataclass(frozen=True)
class Source:
    source: str
    name: str
    precedence: int
    homepage: str


def read_rows(name: str, directory: Path = REFERENCE_DIR) -> list[dict[str, str]]:
    """The rows of one reference CSV file in flows/reference (or `directory`)."""
    path = directory / name
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError:
        raise ConfigError(
            f"reference file {path} is missing; restore it from the repository"
        ) from None


def _check_folded(name: str, aliases: list[str]) -> None:
    bad = [a for a in aliases if fold(a) != a]
    if bad:
        raise ConfigError(f"{name}: aliases must be folded with flows.core.text.fold: {bad[:5]}")


@cache
def industries() -> dict[str, str]:
    """Folded IIP row label -> VSIC code (section letter, two-digit division, or _T)."""
    rows = read_rows("industry_aliases.csv")
    _check_folded("industry_aliases.csv", [r["alias"] for r in rows])
    return {r["alias"]: r["code"] for r in rows}


@cache
def vsic_codes() -> frozenset[str]:
    return frozenset(r["code"] for r in read_rows("vsic.csv"))


@cache
def commodities() -> dict[tuple[str, str, str], list[Commodity]]:
    """(flow, section, folded label) -> the commodities that label can name."""
    rows = read_rows("commodities.csv")
    _check_folded("commodities.csv", [r["alias"] for r in rows])
    table: dict[tuple[str, str, str], list[Commodity]] = {}
    for r in rows:
        item = Commodity(r["flow"], r["section"], r["code"], r["qty_unit"], r.get("parent", ""))
        table.setdefault((r["flow"], r["section"], r["alias"]), []).append(item)
    return table


@cache
def cpi_groups() -> dict[str, list[CpiGroup]]:
    """Folded CPI-table row label -> the groups (or price indicators) it can name."""
    rows = read_rows("cpi_groups.csv")
    _check_folded("cpi_groups.csv", [r["alias"] for r in rows])
    table: dict[str, list[CpiGroup]] = {}
    for r in rows:
        table.setdefault(r["alias"], []).append(CpiGroup(r["indicator"], r["code"], r["parent"]))
    return table


@cache
def sources() -> dict[str, Source]:
    """The publishers chiso knows, with their precedence (1 wins over 2 for the same figure)."""
    return {
        r["source"]: Source(r["source"], r["name"], int(r["precedence"]), r["homepage"])
        for r in read_rows("sources.csv")
    }
