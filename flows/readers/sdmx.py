"""Read an SDMX data message through sdmx1 into flat observations, refusing what it cannot read.

A message read by hand needs no registration: its identity (agency, dataflow or structure id)
comes from the message, and each series key follows the structure's dimension order whatever
the layout (a cross-sectional message puts its observation-level dimension last in sdmx1's
keys; chiso puts it back where the structure, or SDMX-JSON's keyPosition, says).
"""

from __future__ import annotations

import io
import json
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import replace
from typing import Any

import sdmx

# sdmx1 2.28 imports its SDMX-ML 3.0 reader on the first 3.0 message it meets; when a
# structure-specific 2.1 message was read before, that import fails (a ValueError naming the 2.1
# data set's namespace). Importing it here, before any message is read, avoids the trap.
import sdmx.reader.xml.v30
from sdmx.message import DataMessage, StructureMessage
from sdmx.model.common import Agency, DataAttribute, Dimension
from sdmx.model.v21 import DataStructureDefinition, PrimaryMeasure

from flows.core.errors import CorruptFileError, UnexpectedResponseError, UnsupportedFormatError
from flows.readers.sdmx_data import TIME_DIMENSIONS, SdmxData, SdmxObservation
from flows.readers.sdmx_json2 import read_json_2

log = logging.getLogger(__name__)

GENERIC = "SDMX-ML 2.1 generic data"
STRUCTURE_SPECIFIC = "SDMX-ML 2.1 structure-specific data"
STRUCTURE_SPECIFIC_30 = "SDMX-ML 3.0 structure-specific data"
JSON_1 = "SDMX-JSON 1.0"
JSON_2 = "SDMX-JSON 2.0"
CSV_2 = "SDMX-CSV 2.0"
_MESSAGE_21 = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
_MESSAGE_30 = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message"
_FOOTER_MESSAGE = re.compile(rb"<(?:\w+:)?Message\b[^>]*>(.*?)</(?:\w+:)?Message>", re.S)
_URL = re.compile(r"https?://[^\s<>\"']+")
_ROOTS_21 = {
    "GenericData": GENERIC, "GenericTimeSeriesData": GENERIC,
    "StructureSpecificData": STRUCTURE_SPECIFIC,
    "StructureSpecificTimeSeriesData": STRUCTURE_SPECIFIC,
}  # fmt: skip
_ASK = "ask the provider for SDMX-ML 2.1 or SDMX-JSON 1.0"
# Without its structure, sdmx1 takes every XML attribute of a structure-specific <Series> for a
# dimension (IMF's PCPS file: UNIT_MEASURE, UNIT_MULT, TIME_FORMAT). These SDMX cross-domain
# concepts are attributes in every structure that uses them, so they are taken back out; so is
# COLLECTION, the collection indicator of ECB's structures (SDMX-ML 3.0 EXR), else ECB's
# series would get a key of six codes beside the five of its other messages.
CROSS_DOMAIN_ATTRIBUTES = frozenset({
    "BASE_PER", "COLL_METHOD", "COLLECTION", "COMMENT", "COMPILATION", "CONF_STATUS",
    "CONF_STATUS_OBS", "DECIMALS", "OBS_COM", "OBS_CONF", "OBS_STATUS", "PUBLICATION_DATE",
    "SOURCE_AGENCY", "SOURCE_PUB", "TIME_FORMAT", "TIME_PER_COLLECT", "TITLE", "TITLE_COMPL",
    "UNIT", "UNIT_MEASURE", "UNIT_MULT", "UPDATE_DATE",
})  # fmt: skip
# The first line of SDMX-CSV 2.0: "STRUCTURE," or "STRUCTURE[|];" (sub-delimiter, delimiter).
_CSV_2_HEADER = re.compile(r"STRUCTURE(?:\[.\])?([,;\t|])")


def read_sdmx_data(data: bytes, name: str, structure: bytes | None = None) -> SdmxData:
    """The observations of the SDMX data message `data` (a file called `name`).

    `structure` is the structure message holding the message's data structure definition:
    used for SDMX-CSV, structure-specific data and cross-sectional layouts, and to check
    codes. Raises UnsupportedFormatError for formats sdmx1 cannot read and messages that are
    not data, UnexpectedResponseError for a provider's error message (or a footer saying the
    answer was written to a file elsewhere), CorruptFileError for damaged files.
    """
    kind, delimiter = detect_format(data, name)
    if kind == JSON_2:
        return read_json_2(json.loads(data), name)
    dsd = read_structure(structure, name) if structure is not None else None
    if kind == CSV_2 and dsd is None:
        dsd = csv_structure(data, delimiter)
        log.info("%s: SDMX-CSV without its structure; its columns before OBS_VALUE are taken "
                 "as the dimensions, in order, as SDMX-CSV 2.0 writes them", name)
    if kind == STRUCTURE_SPECIFIC and dsd is None:
        log.info("%s: structure-specific data without its structure; sdmx1 infers one", name)
    message = _convert(data, name, kind, dsd, delimiter)
    inferred = kind in (STRUCTURE_SPECIFIC, STRUCTURE_SPECIFIC_30) and structure is None
    order = _dimension_order(message, data, name, kind, dsd)
    labelled = kind == CSV_2 and _csv_labelled(data, delimiter)
    observations = [
        item for dataset in message.data
        for item in _flatten(dataset, inferred, order, labelled)
    ]
    if kind == STRUCTURE_SPECIFIC_30:
        observations = _with_components(observations, data, name)
    if not observations:
        _refuse_empty_with_footer(data, name)
    dataset_attributes = {
        key: str(value.value)
        for dataset in message.data
        for key, value in _attributes(dataset).items()
    }
    prepared = message.header.prepared if kind != CSV_2 else None
    agency, flow, structure_id = _identity(message, data, kind, dsd)
    return SdmxData(kind, prepared, dataset_attributes, observations, enumerated_codes(dsd),
                    agency, flow, structure_id)


def detect_format(data: bytes, name: str) -> tuple[str, str]:
    """The message's format (and its delimiter, for SDMX-CSV), from its first bytes."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return _xml_format(data, name), ""
    if head in (b"{", b"["):
        return _json_format(data, name), ""
    return CSV_2, _csv_delimiter(data, name)


def read_structure(data: bytes, name: str) -> DataStructureDefinition:
    """The one data structure definition in the structure message `data`."""
    _refuse_entities(data, name)
    try:
        message = sdmx.read_sdmx(io.BytesIO(data), format="XML")
    except Exception as exc:  # sdmx1 raises bare KeyError, ValueError ... on bad content
        raise CorruptFileError(
            f"{name}: its structure part could not be read by sdmx1 ({type(exc).__name__}: "
            f"{_first_line(exc)}); expected an SDMX-ML 2.1 structure message with the data's DSD"
        ) from None
    found: list[DataStructureDefinition] = []
    if isinstance(message, StructureMessage):
        found = [s for s in message.structure.values() if isinstance(s, DataStructureDefinition)]
    if len(found) != 1:
        raise UnsupportedFormatError(
            f"{name}: its structure part holds {len(found)} data structure definitions; "
            "expected exactly one, the DSD of the data (ask for /datastructure/<agency>/<id>)"
        )
    return found[0]


def enumerated_codes(dsd: DataStructureDefinition | None) -> dict[str, frozenset[str]]:
    """Dimension id -> its codelist's codes, where the structure lists them.

    A codelist the structure only references (`isExternalReference`, as in ECB's sample DSD)
    lists no codes and so constrains nothing here.
    """
    if dsd is None:
        return {}
    codes: dict[str, frozenset[str]] = {}
    for dimension in dsd.dimensions.components:
        representation = dimension.local_representation
        codelist = representation.enumerated if representation is not None else None
        if codelist is not None and len(codelist) > 0:
            codes[dimension.id] = frozenset(code.id for code in codelist)
    return codes


def _convert(
    data: bytes, name: str, kind: str, dsd: DataStructureDefinition | None, delimiter: str
) -> DataMessage:
    kwargs: dict[str, Any] = {}
    if dsd is not None and kind != JSON_1:  # sdmx1's JSON reader takes its structure inline
        kwargs["structure"] = dsd
    if kind == CSV_2:
        kwargs["delimiter"] = delimiter
    hint = {JSON_1: "JSON", CSV_2: "CSV"}.get(kind, "XML")
    try:
        message = _sdmx1(data, hint, dsd is None, kwargs)
    except Exception as exc:  # sdmx1 raises bare KeyError, ValueError ... on bad content
        repaired = _structure_ref_repaired(data) if kind == STRUCTURE_SPECIFIC else None
        if repaired is not None and dsd is None:
            try:
                return _data_message(_sdmx1(repaired, hint, True, kwargs), name, kind)
            except Exception:  # the first failure is the one to report
                pass
        if kind == STRUCTURE_SPECIFIC and dsd is None and _well_formed(data):
            # Not damaged: sdmx1 infers a structure from the header's <Structure> only when
            # the data set's structureRef names it (ISTAT's 22_289 names another id).
            raise UnsupportedFormatError(
                f"{name}: sdmx1 could not infer the structure of this {kind} message "
                f"({type(exc).__name__}: {_first_line(exc)}); give its structure message "
                "(--structure FILE by hand, the `structure` column of sdmx_datasets.csv)"
            ) from None
        raise CorruptFileError(
            f"{name}: sdmx1 could not read this {kind} message ({type(exc).__name__}: "
            f"{_first_line(exc)}); the file may be damaged or cut short (fetch it again), or "
            "its structure part may be another flow's DSD"
        ) from None
    return _data_message(message, name, kind)


def _sdmx1(data: bytes, hint: str, quiet: bool, kwargs: dict[str, Any]) -> Any:
    # sdmx1 prints a dump of its reader's state to stdout before raising XMLParseError.
    with _quiet_about_missing_structure(quiet), redirect_stdout(io.StringIO()):
        return sdmx.read_sdmx(io.BytesIO(data), format=hint, **kwargs)


def _data_message(message: Any, name: str, kind: str) -> DataMessage:
    if not isinstance(message, DataMessage):
        raise UnsupportedFormatError(f"{name}: sdmx1 read no data message from this {kind} file")
    return message


_HEADER_STRUCTURE_ID = re.compile(rb'<(?:\w+:)?Structure\s[^>]*?structureID="([^"]+)"')
_STRUCTURE_REF = re.compile(rb'(\bss:structureRef=")([^"]+)(")')


def _structure_ref_repaired(data: bytes) -> bytes | None:
    """The message with its data set's structureRef set to the header's structureID, when the
    two differ (ISTAT's web service names the dataflow in one, the DSD in the other): sdmx1
    infers a structure only when they agree. None when they agree already."""
    header = _HEADER_STRUCTURE_ID.search(data[:20000])
    ref = _STRUCTURE_REF.search(data)
    if header is None or ref is None or header.group(1) == ref.group(2):
        return None
    return _STRUCTURE_REF.sub(lambda m: m.group(1) + header.group(1) + m.group(3), data)


def _well_formed(data: bytes) -> bool:
    try:
        ET.fromstring(data)  # entities were refused before sdmx1 saw the bytes
    except ET.ParseError:
        return False
    return True


@contextmanager
def _quiet_about_missing_structure(missing: bool) -> Iterator[None]:
    """sdmx1 warns on every structure-specific message read without its structure; chiso reads
    those on purpose (IMF sends none) and says so in the release, so the warning is noise."""
    logger = logging.getLogger("sdmx.reader.xml.v21")
    level = logger.level
    if missing:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _flatten(
    dataset: Any, inferred: bool, order: tuple[str, ...], labelled: bool
) -> list[SdmxObservation]:
    """The data set's observations, each key in `order` (the structure's; empty: sdmx1's).

    `inferred`: sdmx1 guessed the structure from the data; `labelled`: SDMX-CSV cells written
    "A: Value A" (code and label), of which the code is kept.
    """
    place = {dimension: n for n, dimension in enumerate(order)}
    found = []
    for obs in dataset.obs:
        key = [(kv.id, _code_of(str(kv.value), labelled)) for kv in obs.key.values.values()]
        attributes = {k: _code_of(str(v.value), labelled) for k, v in _attributes(dataset).items()}
        attributes.update({k: _code_of(str(v.value), labelled) for k, v in obs.attrib.items()})
        if inferred:
            attributes.update((k, v) for k, v in key if k in CROSS_DOMAIN_ATTRIBUTES)
            key = [(k, v) for k, v in key if k not in CROSS_DOMAIN_ATTRIBUTES]
        time = next((v for k, v in key if k in TIME_DIMENSIONS), "")
        series = sorted(((k, v) for k, v in key if k not in TIME_DIMENSIONS),
                        key=lambda kv: place.get(kv[0], len(place)))
        value = "" if obs.value is None else str(obs.value)
        found.append(SdmxObservation(tuple(series), time, value, attributes))
    return found


def _code_of(text: str, labelled: bool) -> str:
    return text.split(": ", 1)[0] if labelled else text


def _dimension_order(
    message: DataMessage, data: bytes, name: str, kind: str,
    dsd: DataStructureDefinition | None,
) -> tuple[str, ...]:
    """The structure's dimension order: the DSD's when given, SDMX-JSON's keyPosition, else
    the message's own (right for a time-series layout, where sdmx1 keeps the message's order).

    A cross-sectional SDMX-ML message without its structure is refused: the place of its
    observation-level dimension in the series key is written nowhere in the message.
    """
    if dsd is not None:
        return tuple(d.id for d in dsd.dimensions.components)
    if kind == JSON_1:
        return _json_order(data)
    at_obs = message.observation_dimension
    at_obs = at_obs[0] if isinstance(at_obs, list) and len(at_obs) == 1 else at_obs
    dimension = getattr(at_obs, "id", None)
    if isinstance(dimension, str) and dimension not in TIME_DIMENSIONS:
        raise UnsupportedFormatError(
            f"{name}: a cross-sectional message (dimensionAtObservation {dimension}) without "
            f"its structure: where {dimension} goes in the series key is not in the message; "
            "give the structure message too (--structure FILE, the provider's "
            "/datastructure/<agency>/<id>), or ask for the time-series layout"
        )
    return ()


def _json_order(data: bytes) -> tuple[str, ...]:
    """SDMX-JSON 1.0's dimensions by keyPosition (the time dimension, which has none, last)."""
    dimensions = _json_part(_json_part(json.loads(data), "structure"), "dimensions")
    found = [d for level in ("dataSet", "series", "observation")
             for d in _json_list(dimensions, level) if isinstance(d, dict)]
    placed = sorted((d for d in found if isinstance(d.get("keyPosition"), int)),
                    key=lambda d: d["keyPosition"])
    return tuple(str(d.get("id", "")) for d in placed)


def _json_part(tree: Any, name: str) -> dict[str, Any]:
    part = tree.get(name) if isinstance(tree, dict) else None
    return part if isinstance(part, dict) else {}


def _json_list(tree: dict[str, Any], name: str) -> list[Any]:
    part = tree.get(name)
    return part if isinstance(part, list) else []


def _with_components(
    observations: list[SdmxObservation], data: bytes, name: str
) -> list[SdmxObservation]:
    """SDMX-ML 3.0 observations with the attributes sdmx1 2.28 drops: those an <Obs> gives
    in <Comp> elements (OBS_STATUS among them), several values joined by a space."""
    found = []
    for element in ET.fromstring(data).iter():
        if element.tag.rpartition("}")[2] != "Obs":
            continue
        found.append({
            comp.get("id", ""): " ".join(
                (value.text or "").strip() for value in comp
                if value.tag.rpartition("}")[2] == "Value")
            for comp in element if comp.tag.rpartition("}")[2] == "Comp"
        })
    if len(found) != len(observations):
        raise UnsupportedFormatError(
            f"{name}: sdmx1 read {len(observations)} observations of this SDMX-ML 3.0 message, "
            f"which holds {len(found)} <Obs>; chiso cannot pair their <Comp> attributes: ask "
            "the provider for SDMX-ML 2.1"
        )
    return [replace(obs, attributes={**obs.attributes, **comps}) if comps else obs
            for obs, comps in zip(observations, found, strict=True)]


def _refuse_empty_with_footer(data: bytes, name: str) -> None:
    """A message without data whose footer says the answer was written to a file elsewhere
    (Eurostat's answer to a large query: "will be available at https://..."): a clear error
    pointing at that file, not "no observations"."""
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return
    texts = [
        " ".join(t.strip() for t in element.itertext() if t.strip())
        for element in ET.fromstring(data).iter()
        if element.tag.rpartition("}")[2] == "Footer"
    ]
    said = " ".join(texts)
    url = _URL.search(said)
    if url is not None:
        raise UnexpectedResponseError(
            f"{name}: no data: the provider wrote its answer to a file at {url.group(0)} "
            f"(its footer says: {said[:200]}); download that file once it is ready and "
            "ingest it instead"
        )


def _identity(
    message: DataMessage, data: bytes, kind: str, dsd: DataStructureDefinition | None
) -> tuple[str, str, str]:
    """(agency, dataflow or structure id, structure id) as the message names them."""
    if kind == JSON_1:
        return _json_identity(data, message)
    if kind == CSV_2:
        agency, _, rest = _csv_structure_id(data).partition(":")
        flow = rest.split("(", 1)[0]
        return agency, flow, flow
    described = dsd or next((ds.structured_by for ds in message.data if ds.structured_by), None)
    structure_id = str(getattr(described, "id", "") or "")
    maintainer = getattr(described, "maintainer", None)
    agency = str(getattr(maintainer, "id", "") or "")
    flow_agency, flow = _flow_reference(data)
    if not flow and message.dataflow is not None and message.dataflow.id:
        flow = str(message.dataflow.id)
        flow_agency = str(getattr(message.dataflow.maintainer, "id", "") or "")
    sender = str(getattr(message.header.sender, "id", "") or "")
    return flow_agency or agency or sender, flow or structure_id, structure_id


# The header's <StructureUsage>: a <Ref agencyID=".." id=".."/> (2.1) or a URN (3.0).
_USAGE_REF = re.compile(
    rb"<(?:\w+:)?StructureUsage>\s*<(?:\w+:)?Ref\b([^>]*)>|"
    rb"<(?:\w+:)?StructureUsage>\s*urn:[^=<]*Dataflow=([^:<]+):([^(<]+)\(")
_ATTRIBUTE = re.compile(rb'(\w+)="([^"]*)"')


def _flow_reference(data: bytes) -> tuple[str, str]:
    """The dataflow the header's StructureUsage names: (agency, id), or ("", "")."""
    match = _USAGE_REF.search(data[:20000])
    if match is None:
        return "", ""
    if match.group(1) is not None:
        found = dict(_ATTRIBUTE.findall(match.group(1)))
        return found.get(b"agencyID", b"").decode(), found.get(b"id", b"").decode()
    return match.group(2).decode(), match.group(3).decode()


def _json_identity(data: bytes, message: DataMessage) -> tuple[str, str, str]:
    """SDMX-JSON 1.0 names its dataflow in a link: ".../dataflow/ECB/EXR/1.0"."""
    links = _json_list(_json_part(json.loads(data), "structure"), "links")
    sender = str(getattr(message.header.sender, "id", "") or "")
    for link in (link for link in links if isinstance(link, dict)):
        href = str(link.get("href", "") or link.get("urn", ""))
        parts = [p for p in re.split(r"[/=:(),]", href) if p]
        if link.get("rel") in ("dataflow", "datastructure") and len(parts) >= 3:
            agency, flow = parts[-3], parts[-2]
            return agency, flow, flow if link.get("rel") == "datastructure" else ""
    return sender, "", ""


def csv_structure(data: bytes, delimiter: str) -> DataStructureDefinition:
    """The structure SDMX-CSV 2.0's header implies: the columns between ACTION (or the
    SERIES_KEY and OBS_KEY columns) and OBS_VALUE are the dimensions, in the DSD's order;
    those after it the attributes (the SDMX-CSV 2.0 specification orders them so)."""
    header = data.decode("utf-8-sig", errors="replace").lstrip().split("\n", 1)[0]
    columns = [c.strip().split(": ", 1)[0] for c in header.strip().split(delimiter)]
    measure = columns.index("OBS_VALUE") if "OBS_VALUE" in columns else len(columns)
    agency, _, rest = _csv_structure_id(data).partition(":")
    dsd = DataStructureDefinition(id=rest.split("(", 1)[0] or "CSV",
                                  maintainer=Agency(id=agency or "UNKNOWN"))
    for column in columns[3:measure]:
        if column not in ("SERIES_KEY", "OBS_KEY"):
            dsd.dimensions.append(Dimension(id=column))
    dsd.measures.append(PrimaryMeasure(id="OBS_VALUE"))
    for column in columns[measure + 1:]:
        dsd.attributes.append(DataAttribute(id=column))
    return dsd


def _csv_labelled(data: bytes, delimiter: str) -> bool:
    """Whether the SDMX-CSV file writes labels beside codes ("DIM_1: Dimension 1")."""
    header = data.decode("utf-8-sig", errors="replace").lstrip().split("\n", 1)[0]
    return any(": " in column for column in header.split(delimiter)[3:])


def _first_line(exc: Exception) -> str:
    # sdmx1's XMLParseError appends a dump of its reader's state after the first line.
    return str(exc).splitlines()[0] if str(exc) else ""


def _attributes(dataset: Any) -> dict[str, Any]:
    # sdmx1's SDMX-CSV reader builds SDMX 3.0 data sets, which keep no data set attributes.
    attributes: dict[str, Any] = getattr(dataset, "attrib", {})
    return attributes


def _xml_format(data: bytes, name: str) -> str:
    namespace, local = _root(data, name)
    if namespace == _MESSAGE_21 and local in _ROOTS_21:
        return _ROOTS_21[local]
    if namespace == _MESSAGE_30 and local == "StructureSpecificData":
        return STRUCTURE_SPECIFIC_30
    if namespace == _MESSAGE_30:
        raise UnsupportedFormatError(
            f"{name}: SDMX-ML 3.0 <{local}> is not a data message sdmx1 reads; ask the provider "
            "for structure-specific data (SDMX-ML 3.0 or 2.1) or SDMX-JSON 1.0"
        )
    if namespace.lower().endswith("/v2_0/message"):
        raise UnsupportedFormatError(f"{name}: SDMX-ML 2.0 is not supported by sdmx1; {_ASK}")
    if namespace == _MESSAGE_21 and local == "Error":
        raise UnexpectedResponseError(
            f"{name}: the provider answered with an SDMX error message ({_error_text(data)}), "
            "not data; check the flow and key in sdmx_datasets.csv"
        )
    if namespace == _MESSAGE_21 and local == "Structure":
        raise UnsupportedFormatError(_structure_message_problem(data, name))
    raise UnsupportedFormatError(
        f"{name}: an XML document with root <{local}> is not an SDMX data message; expected "
        f"SDMX-ML 2.1 GenericData or StructureSpecificData, or SDMX-ML 3.0 "
        f"StructureSpecificData ({_ASK})"
    )


def _root(data: bytes, name: str) -> tuple[str, str]:
    """The namespace and local name of the root element."""
    _refuse_entities(data, name)
    try:
        for _event, element in ET.iterparse(io.BytesIO(data), events=("start",)):
            namespace, _, local = element.tag.rpartition("}")
            return namespace.lstrip("{"), local
    except ET.ParseError as exc:
        raise CorruptFileError(
            f"{name}: not well-formed XML ({exc}); the download may be cut short or an HTML "
            "error page: fetch it again"
        ) from None
    raise CorruptFileError(f"{name}: an empty XML document; fetch it again")


def _refuse_entities(data: bytes, name: str) -> None:
    """Refuse XML that declares entities anywhere (a comment can push a DTD past any prefix):
    expanded they are a "billion laughs" bomb, resolved an external one reads local files."""
    if b"<!ENTITY" in data:
        raise UnsupportedFormatError(f"{name}: XML declaring entities is refused; no SDMX "
                                     "message needs them")


def _structure_message_problem(data: bytes, name: str) -> str:
    tags = {element.tag.rpartition("}")[2] for element in ET.fromstring(data).iter()}
    if "DataStructures" not in tags and "Constraints" in tags:
        return (
            f"{name}: an SDMX availability constraint (which series and periods exist), not "
            "data; ask the provider's /data/<flow>/<key> resource instead of "
            "/availableconstraint/"
        )
    return (
        f"{name}: an SDMX structure message, not data; give it beside the data file "
        "(`chiso ingest sdmx --file DATA --structure THIS`), or as a part of a fetched release "
        "(the `structure` column of sdmx_datasets.csv)"
    )


def _error_text(data: bytes) -> str:
    """"100: No Results Found" from each <ErrorMessage code="100"> of an SDMX error message."""
    found = []
    for element in ET.fromstring(data).iter():
        if element.tag.rpartition("}")[2] == "ErrorMessage":
            text = " ".join(t.strip() for t in element.itertext() if t.strip())
            found.append(f"{element.get('code', '?')}: {text}")
    return "; ".join(found)[:300] or "no ErrorMessage"


def _json_format(data: bytes, name: str) -> str:
    try:
        tree = json.loads(data)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CorruptFileError(
            f"{name}: not valid JSON ({exc}); the download may be cut short: fetch it again"
        ) from None
    if not isinstance(tree, dict):
        raise UnsupportedFormatError(f"{name}: JSON that is not an SDMX-JSON message; {_ASK}")
    if "meta" in tree and "data" in tree:
        return JSON_2  # sdmx1 2.28 does not read it: flows/readers/sdmx_json2.py does
    if "errors" in tree and "dataSets" not in tree:
        raise UnexpectedResponseError(
            f"{name}: the provider answered with an SDMX-JSON error message "
            f"({str(tree['errors'])[:300]}); check the flow and key in sdmx_datasets.csv"
        )
    if "header" not in tree or "dataSets" not in tree:
        raise UnsupportedFormatError(
            f"{name}: JSON without the `header` and `dataSets` of an SDMX-JSON 1.0 data "
            f"message; {_ASK}"
        )
    return JSON_1


def _csv_delimiter(data: bytes, name: str) -> str:
    first = data.decode("utf-8-sig", errors="replace").lstrip().split("\n", 1)[0]
    match = _CSV_2_HEADER.match(first)
    if match is not None:
        return match.group(1)
    if first.upper().startswith("DATAFLOW"):
        raise UnsupportedFormatError(
            f"{name}: SDMX-CSV 1.0 is not supported by sdmx1 (it reads SDMX-CSV 2.0); {_ASK}"
        )
    raise UnsupportedFormatError(
        f"{name}: not an SDMX message: expected SDMX-ML (XML), SDMX-JSON or SDMX-CSV 2.0 "
        f"starting with STRUCTURE, found {first[:60]!r}"
    )


def _csv_structure_id(data: bytes) -> str:
    """The STRUCTURE_ID of the first row ("ESTAT:NA_MAIN(1.6.0)"), without a label."""
    lines = data.decode("utf-8-sig", errors="replace").splitlines()
    fields = lines[1].split(_csv_delimiter(data, "")) if len(lines) > 1 else []
    return fields[1].split(": ", 1)[0] if len(fields) > 1 else "the DSD it names"
