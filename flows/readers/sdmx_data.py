"""What an SDMX data message holds, in the message's own terms: the types every SDMX reader
(flows/readers/sdmx.py through sdmx1, flows/readers/sdmx_json2.py for SDMX-JSON 2.0) builds,
and the normalisers read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# SDMX 2.1 fixes the id of the time dimension; some providers (Eurostat) write it in lower case.
TIME_DIMENSION = "TIME_PERIOD"
TIME_DIMENSIONS = frozenset({"TIME_PERIOD", "time_period", "TIME"})


@dataclass(frozen=True)
class SdmxObservation:
    """One observation as the message gives it, before any mapping to chiso's codes."""

    key: tuple[tuple[str, str], ...]  # the series' dimensions in structure order, time left out
    time: str
    value: str  # as published: "1.3413"; SDMX-JSON numbers as Python writes them
    attributes: dict[str, str]  # of the data set, the series and the observation

    @property
    def key_text(self) -> str:
        """The SDMX series key: "M.USD.EUR.SP00.E"."""
        return ".".join(code for _, code in self.key)


@dataclass(frozen=True)
class SdmxData:
    """What a data message holds, in the terms of the message."""

    format: str
    prepared: datetime | None  # the header's `prepared`; SDMX-CSV has no header
    dataset_attributes: dict[str, str]
    observations: list[SdmxObservation]
    # Dimension id -> the codes its codelist enumerates, for dimensions whose structure lists
    # them; empty without a structure or where a codelist is only referenced.
    codes: dict[str, frozenset[str]]
    agency: str = ""  # the maintainer of the message's dataflow or structure ("ECB", "IT1")
    flow: str = ""  # the dataflow's id where the message names it, else the structure's
    structure_id: str = ""  # the data structure definition's id ("ECB_EXR_NG")
