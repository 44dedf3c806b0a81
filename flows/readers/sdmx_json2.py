"""Read an SDMX-JSON 2.0 data message, which sdmx1 2.28 does not read, into SdmxData.

SDMX-JSON 2.0 writes each key as indexes into its structure's lists of dimension values
("0:1" is the first value of the first series dimension, the second of the next), each
observation as [measure value, attribute value indexes...], and names its dataflow in a link.
The figures are taken as the message writes them; nothing is inferred.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flows.core.errors import CorruptFileError
from flows.readers.sdmx_data import TIME_DIMENSIONS, SdmxData, SdmxObservation

JSON_2 = "SDMX-JSON 2.0"


def read_json_2(tree: dict[str, Any], name: str) -> SdmxData:
    """The observations of an SDMX-JSON 2.0 data message (parsed JSON `tree`)."""
    try:
        return _read(tree)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        raise CorruptFileError(
            f"{name}: an SDMX-JSON 2.0 message chiso could not follow ({type(exc).__name__}: "
            f"{exc}): an index points past its structure's values; fetch it again"
        ) from None


def _read(tree: dict[str, Any]) -> SdmxData:
    meta = tree.get("meta", {})
    data = tree["data"]
    structures = data["structures"]
    observations: list[SdmxObservation] = []
    dataset_attributes: dict[str, str] = {}
    for dataset in data.get("dataSets", []):
        structure = structures[dataset.get("structure", 0)]
        found, attributes = _dataset(dataset, structure)
        observations += found
        dataset_attributes.update(attributes)
    agency, flow, structure_id = _identity(structures[0] if structures else {})
    prepared = meta.get("prepared")
    return SdmxData(
        JSON_2, datetime.fromisoformat(prepared) if prepared else None, dataset_attributes,
        observations, {}, agency or str(meta.get("sender", {}).get("id", "")), flow,
        structure_id,
    )


def _dataset(
    dataset: dict[str, Any], structure: dict[str, Any]
) -> tuple[list[SdmxObservation], dict[str, str]]:
    dimensions = structure.get("dimensions", {})
    attributes = structure.get("attributes", {})
    fixed = [(d["id"], _code(d["values"][0]), d) for d in dimensions.get("dataSet", [])]
    series_dims = dimensions.get("series", [])
    obs_dims = dimensions.get("observation", [])
    measures = len(structure.get("measures", {}).get("observation", [])) or 1
    order = {d["id"]: d.get("keyPosition", 10_000) for level in ("dataSet", "series", "observation")
             for d in dimensions.get(level, [])}
    dataset_attributes = _attached(attributes.get("dataSet", []), dataset.get("attributes"))
    found = []
    series_list = dataset.get("series")
    groups = series_list.items() if series_list is not None else [("", dataset)]
    for series_key, series in groups:
        series_values = _key(series_dims, series_key)
        series_attributes = _attached(attributes.get("series", []), series.get("attributes"))
        for obs_key, obs in series.get("observations", {}).items():
            key = [(i, v) for i, v, _ in fixed] + series_values + _key(obs_dims, obs_key)
            own = _attached(attributes.get("observation", []), obs[measures:])
            time = next((v for i, v in key if i in TIME_DIMENSIONS), "")
            dims = sorted(((i, v) for i, v in key if i not in TIME_DIMENSIONS),
                          key=lambda kv: order.get(kv[0], 10_000))
            value = "" if obs[0] is None else str(obs[0])
            found.append(SdmxObservation(
                tuple(dims), time, value, {**dataset_attributes, **series_attributes, **own}))
    return found, dataset_attributes


def _key(dimensions: list[dict[str, Any]], key: str) -> list[tuple[str, str]]:
    """("CURRENCY", "NZD") ... from "0:1", indexes into each dimension's values."""
    if not dimensions:
        return []
    indexes = [int(i) for i in key.split(":")]
    return [(d["id"], _code(d["values"][i])) for d, i in zip(dimensions, indexes, strict=True)]


def _attached(declared: list[dict[str, Any]], indexes: list[Any] | None) -> dict[str, str]:
    """Attribute id -> its value: by index where `indexes` gives one, else a lone value."""
    found: dict[str, str] = {}
    for n, attribute in enumerate(declared):
        values = attribute.get("values", [])
        index = indexes[n] if indexes is not None and n < len(indexes) else None
        if index is None and indexes is None and len(values) == 1:
            index = 0
        if index is not None:
            found[attribute["id"]] = _code(values[index])
    return found


def _code(value: dict[str, Any] | str) -> str:
    if not isinstance(value, dict):
        return str(value)
    for field in ("id", "value", "name"):
        if value.get(field) is not None:
            return str(value[field])
    return ""


def _identity(structure: dict[str, Any]) -> tuple[str, str, str]:
    """(agency, dataflow, structure) from the structure's links (URN or URL)."""
    agency = flow = structure_id = ""
    for link in structure.get("links", []):
        urn = str(link.get("urn", ""))
        if "=" in urn:
            owner, _, rest = urn.split("=", 1)[1].partition(":")
            artefact = rest.split("(", 1)[0]
        else:
            parts = [p for p in str(link.get("href", "")).split("/") if p]
            owner, artefact = (parts[-3], parts[-2]) if len(parts) >= 3 else ("", "")
        if link.get("rel") == "dataflow":
            agency, flow = owner, artefact
        elif link.get("rel") == "datastructure":
            agency, structure_id = agency or owner, artefact
    return agency, flow or structure_id, structure_id
