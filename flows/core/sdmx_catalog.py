"""The SDMX providers and datasets chiso pulls, and their REST URLs, from flows/reference/."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flows.core.config import REFERENCE_DIR
from flows.core.errors import ConfigError
from flows.core.reference import read_rows

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


def rows(name: str, directory: Path = REFERENCE_DIR) -> list[dict[str, str]]:
    """The rows of one reference CSV file."""
    return read_rows(name, directory)


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
