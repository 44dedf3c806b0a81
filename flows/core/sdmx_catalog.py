"""The SDMX providers and datasets chiso pulls, and their REST URLs, from flows/reference/;
and the dataset a message loaded by hand stands for, which needs no row.

Each of these CSVs may be extended or overridden from a folder of the user's own
(CHISO_REFERENCE_DIR): a row there replaces the package's row with the same key (dataset,
provider, or concept and code) or adds one, so nothing in site-packages is ever edited.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from flows.core.config import REFERENCE_DIR, reference_overrides
from flows.core.errors import ConfigError
from flows.core.reference import read_rows

log = logging.getLogger(__name__)

PROVIDERS_FILE = "sdmx_providers.csv"
DATASETS_FILE = "sdmx_datasets.csv"
CODES_FILE = "sdmx_codes.csv"
# The measures of the canonical model (flows/core/model.py); a dataset row must use one.
MEASURES = frozenset({
    "level", "share", "index_yoy", "index_pop", "index_dec", "index_base", "pct_of_plan", "plan",
})  # fmt: skip


@dataclass(frozen=True)
class Provider:
    """An SDMX web service: `<base_url>/data/<flow>/<key>` answers data queries."""

    provider: str  # also the agency named in provenance when a flow_ref names none
    name: str
    sdmx1_source: str  # sdmx1's id for the service (`sdmx.Client(...)`), empty when it has none
    base_url: str
    default_format: str  # what the service answers when not asked for a format
    format_parameter: str  # the query parameter that asks for another format, if any


@dataclass(frozen=True)
class Dataset:
    """One query chiso runs against a provider, and how its answer maps to the model."""

    dataset: str
    provider: str
    flow_ref: str  # as the URL writes it: "EXR", or "IMF.STA,CPI" (agency, flow)
    key: str
    format: str
    structure: str  # the structure resource under base_url: "datastructure/ECB/ECB_EXR_NG/1.0"
    indicator: str
    measure: str
    unit: str  # empty: UNIT_MEASURE (or UNIT) with UNIT_MULT; else a code or "{DIM}" template
    geo: str  # for data without a REF_AREA dimension
    default: bool  # pulled by `chiso run`; False for rows the bundled mirror cannot serve
    notes: str

    @property
    def flow_label(self) -> str:
        """The flow as provenance names it: "ECB:EXR", "IMF.STA:CPI"."""
        if "," in self.flow_ref:
            agency, flow = self.flow_ref.split(",")[:2]
            return f"{agency}:{flow}"
        return f"{self.provider}:{self.flow_ref}"


# The columns that name a row of each file: a user's row with the same key replaces it.
KEYS = {PROVIDERS_FILE: ("provider",), DATASETS_FILE: ("dataset",),
        CODES_FILE: ("concept", "code")}
MAPPING_KEYS = frozenset({"indicator", "measure", "unit", "geo", "codes"})


def rows(name: str, directory: Path = REFERENCE_DIR) -> list[dict[str, str]]:
    """The rows of one reference CSV file, with those of CHISO_REFERENCE_DIR's file of the
    same name on top (when the folder has one)."""
    found = read_rows(name, directory)
    folder = reference_overrides()
    if folder is None or not (folder / name).is_file():
        return found
    own = read_rows(name, folder)
    columns = set(found[0]) if found else set()
    for n, row in enumerate(own, start=2):
        if columns and set(row) != columns:
            raise ConfigError(
                f"{folder / name}: line {n} has the columns {sorted(row)}; expected those of "
                f"the package's {name}: {sorted(columns)}"
            )
    key = KEYS.get(name, ())
    replaced = {tuple(row[k] for k in key) for row in own}
    return [row for row in found if tuple(row[k] for k in key) not in replaced] + own


@cache
def providers() -> dict[str, Provider]:
    """The SDMX services chiso knows, by provider id (IMF, ECB, ESTAT, ADB)."""
    return {r["provider"]: Provider(**r) for r in rows(PROVIDERS_FILE)}


@cache
def datasets() -> dict[str, Dataset]:
    """The datasets of sdmx_datasets.csv, by dataset id; checks each names a known provider."""
    found: dict[str, Dataset] = {}
    for r in rows(DATASETS_FILE):
        item = Dataset(
            r["dataset"], r["provider"], r["flow_ref"], r["key"], r["format"], r["structure"],
            r["indicator"], r["measure"], r["unit"], r["geo"], r["default"] == "yes", r["notes"],
        )
        if item.provider not in providers():
            raise ConfigError(
                f"{DATASETS_FILE}: dataset {item.dataset} names provider {item.provider!r}, "
                f"which {PROVIDERS_FILE} lacks; add the provider or fix the row"
            )
        if item.measure not in MEASURES:
            raise ConfigError(
                f"{DATASETS_FILE}: dataset {item.dataset} has measure {item.measure!r}; "
                f"expected one of {', '.join(sorted(MEASURES))}"
            )
        found[item.dataset] = item
    return found


def dataset(name: str) -> Dataset:
    """The dataset called `name`; ConfigError naming the known ones otherwise."""
    try:
        return datasets()[name]
    except KeyError:
        known = ", ".join(sorted(datasets()))
        raise ConfigError(
            f"unknown SDMX dataset {name!r}; expected one of {DATASETS_FILE}: {known}"
        ) from None


@cache
def codes() -> dict[tuple[str, str], str]:
    """(SDMX concept, code) -> chiso's value: FREQ -> period type, OBS_STATUS -> status,
    UNIT_MULT -> unit suffix, REF_AREA -> geography. An empty value is a known code that
    chiso keeps no figure for (weekly periods, missing values) or, for UNIT_MULT 0, no suffix."""
    return {(r["concept"], r["code"]): r["chiso"] for r in rows(CODES_FILE)}


def data_url(item: Dataset) -> str:
    """The SDMX 2.1 REST data URL of a dataset: `<base>/data/<flow>/<key>[?format=...]`."""
    provider = providers()[item.provider]
    url = f"{provider.base_url}/data/{item.flow_ref}/{item.key}"
    if item.format == provider.default_format:
        return url
    if not provider.format_parameter:
        raise ConfigError(
            f"{DATASETS_FILE}: dataset {item.dataset} asks for {item.format}, but "
            f"{provider.provider} answers {provider.default_format} and has no format "
            "parameter in sdmx_providers.csv; use its default format"
        )
    return f"{url}?{provider.format_parameter}={item.format}"


def structure_url(item: Dataset) -> str | None:
    """The URL of the dataset's structure message, or None when it names none."""
    if not item.structure:
        return None
    return f"{providers()[item.provider].base_url}/{item.structure}"


def message_dataset(name: str, agency: str, flow: str, structure_id: str,
                    mapping: dict[str, Any] | None = None) -> Dataset:
    """The dataset a message loaded by hand stands for, from what the message says.

    A row of sdmx_datasets.csv for the same flow or structure (ECB's EXR) gives its indicator,
    measure, unit and geo, so a file by hand lands in the series its fetched answers do;
    otherwise the indicator is the provider's flow under its agency ("IT1_22_289"), the
    measure a level, the unit and area the message's own. A mapping file's keys win.
    """
    known = _registered(agency, flow, structure_id)
    if known is not None:  # its flow_ref too: provenance as the fetched answers write it
        item = replace(known, dataset=name)
    else:
        indicator = "_".join(part for part in (agency, flow or structure_id) if part)
        flow_ref = f"{agency},{flow or structure_id}" if agency else flow or structure_id
        item = Dataset(name, agency, flow_ref, "all", "", "", _code(indicator) or "SDMX",
                       "level", "", "_Z", False, "read from the message")
    return mapped(item, mapping)


def mapped(item: Dataset, mapping: dict[str, Any] | None) -> Dataset:
    """The dataset with a mapping file's indicator, measure, unit and geo, where it gives them."""
    if not mapping:
        return item
    item = replace(item, indicator=str(mapping.get("indicator", item.indicator)),
                   measure=str(mapping.get("measure", item.measure)),
                   unit=str(mapping.get("unit", item.unit)), geo=str(mapping.get("geo", item.geo)))
    if item.measure not in MEASURES:
        raise ConfigError(f"the mapping's measure {item.measure!r} is not one of "
                          f"{', '.join(sorted(MEASURES))}")
    return item


def read_mapping(path: Path) -> dict[str, Any]:
    """An SDMX mapping file: TOML with indicator, measure, unit, geo and [codes.<CONCEPT>]
    tables (REF_AREA, OBS_STATUS, FREQ, UNIT_MULT) of the provider's codes to chiso's."""
    try:
        mapping = tomllib.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path.name}: not a TOML mapping ({exc}); see docs/sources.md, "
                          "Any SDMX file") from None
    unknown = sorted(set(mapping) - MAPPING_KEYS)
    if unknown:
        raise ConfigError(f"{path.name}: unknown keys {', '.join(unknown)}; an SDMX mapping "
                          f"takes {', '.join(sorted(MAPPING_KEYS))}")
    return mapping


def mapping_codes(mapping: dict[str, Any] | None) -> dict[tuple[str, str], str]:
    """(concept, code) -> chiso's value from a mapping's [codes.<CONCEPT>] tables."""
    tables = (mapping or {}).get("codes", {})
    return {(concept, str(code)): str(value)
            for concept, table in tables.items() for code, value in table.items()}


def _registered(agency: str, flow: str, structure_id: str) -> Dataset | None:
    """The first dataset of sdmx_datasets.csv for this agency's flow or structure."""
    for item in datasets().values():
        label_agency, _, label_flow = item.flow_label.partition(":")
        named = item.structure.split("/")
        if label_agency == agency and label_flow in (flow, structure_id):
            return item
        if len(named) >= 3 and named[1] == agency and named[2] in (flow, structure_id):
            return item
    return None


def _code(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.upper()).strip("_")
