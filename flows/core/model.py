"""The records that travel along the path of a release."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flows.core.codes import require_quarantine, require_skip
from flows.core.periods import Period


@dataclass(frozen=True)
class ReleaseRef:
    """A release a source can see, before anything is fetched.

    `published_at` is the publisher's own date and time (Asia/Ho_Chi_Minh, naive), the vintage
    time of every figure in the release; midnight when only the date is known.
    `reference_period` is the latest period the release reports, as `YYYY-MM`.
    """

    source: str
    dataset: str
    url: str
    published_at: datetime
    reference_period: str
    title: str = ""
    page_url: str | None = None
    # Further files of the same release: pages 2..n of an API answer, an analyst's mapping.
    parts: tuple[str, ...] = ()


@dataclass(slots=True, init=False, unsafe_hash=True)  # hashed as a frozen one
class Observation:
    """One published figure in the canonical model."""

    indicator: str
    geo: str
    industry: str
    product: str
    partner: str
    measure: str
    unit: str
    period: Period
    value: float
    status: str
    provenance: str  # where it was published: "sheet!D9" of a workbook, a report's sentence
    # Decimal places as published ("26.351,9" has 1); None when the file holds the exact number.
    # Two sources disagree only when they differ beyond the coarser precision.
    decimals: int | None = None
    # Made from the fields above, once: validation and the load each ask every figure for it.
    series_key: str = field(init=False, repr=False, compare=False, default="")

    def __init__(
        self, indicator: str, geo: str, industry: str, product: str, partner: str,
        measure: str, unit: str, period: Period, value: float, status: str, provenance: str,
        decimals: int | None = None, series_key: str = "",
    ) -> None:
        # Plain stores into the slots: the interpreter's fastest way to fill an object, which
        # a frozen class forbids (its __setattr__ raises, and writing each field through its
        # slot's setter instead took a quarter of normalising a workbook: 300,000 of these in
        # a backfill of 125). Nothing changes an observation once made; `replace` makes another.
        self.indicator = indicator
        self.geo = geo
        self.industry = industry
        self.product = product
        self.partner = partner
        self.measure = measure
        self.unit = unit
        self.period = period
        self.value = value
        self.status = status
        self.provenance = provenance
        self.decimals = decimals
        # A normaliser may pass the key, made in parts it shares between figures
        # (series_key_of): joining it here took a third of making an observation.
        self.series_key = series_key or series_key_of(
            indicator, geo, industry, product, partner, measure, unit)


def observation(
    indicator: str, geo: str, industry: str, product: str, partner: str, measure: str,
    unit: str, period: Period, value: float, status: str, provenance: str,
    decimals: int | None, series_key: str,
) -> Observation:
    """An Observation as `Observation(...)` makes it, its series key given (series_key_of),
    for the normalisers' loops over every cell: calling a class packs the arguments into a
    tuple, and again with the new object in front, before __init__ runs, which was a fifth
    of making each of the 315,000 observations of a backfill; a function's call does not.
    Every field is set as __init__ sets it (tests/test_series_keys.py checks)."""
    made = _NEW(Observation)
    made.indicator = indicator
    made.geo = geo
    made.industry = industry
    made.product = product
    made.partner = partner
    made.measure = measure
    made.unit = unit
    made.period = period
    made.value = value
    made.status = status
    made.provenance = provenance
    made.decimals = decimals
    made.series_key = series_key
    return made


_NEW = object.__new__


def series_key_of(indicator: str, geo: str, industry: str, product: str, partner: str,
                  measure: str, unit: str) -> str:
    """The key of the series of an observation of these dimensions, as Observation makes it:
    them joined by dots, the measure in capitals. A normaliser passing its own keys makes
    them so, in parts: where the figures go (geo to partner) once a row, the measure's
    capitals once a column."""
    return ".".join((indicator, geo, industry, product, partner, measure.upper(), unit))


@dataclass(frozen=True, slots=True)
class Rejected:
    """A row or cell that could not be turned into an observation, and why."""

    sheet: str
    cell: str
    label: str
    raw: str
    code: str  # registered in flows/reference/codes.csv (docs/codes.md)
    message: str

    def __post_init__(self) -> None:
        # A set lookup per rejected row: an unregistered code fails where it is made.
        require_quarantine(self.code)


# How a numeric cell of a workbook ended (cell accounting).
OUTCOMES = ("figure", "quarantined", "skipped", "unaccounted")


@dataclass(frozen=True, slots=True)
class CellTally:
    """How many numeric cells of one sheet ended one way.

    `table` is the table kind from the catalogue (flows/reference/gso_tables.csv), '' on a sheet
    where no table was recognised. `outcome` is one of OUTCOMES; `reason` is the quarantine code
    (quarantined), the registered skip reason (skipped), else ''.
    """

    sheet: str
    table: str
    outcome: str
    reason: str
    cells: int

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"cell outcome {self.outcome!r} is not one of {OUTCOMES}")
        if self.outcome == "skipped":
            require_skip(self.reason)
        elif self.outcome == "quarantined":
            require_quarantine(self.reason)
