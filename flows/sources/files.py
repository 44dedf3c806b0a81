"""The analysts' own files: a CSV or Excel table read as its TOML mapping says.

`chiso ingest files --file TABLE --mapping MAPPING.toml --published-at DATE` archives the table
and its mapping together as one release, so the archive alone can rebuild it; the pipeline
hands both back to `read`, table first. The first user is the register of Hải Phòng's
industrial parks in flows/reference/registers/.
"""

from __future__ import annotations

from pathlib import Path

from flows.core.errors import MappingError
from flows.core.model import ReleaseRef
from flows.normalise.table import table_figures
from flows.readers.table.file import CSV_SUFFIXES, EXCEL_SUFFIXES, TableFile, read_table
from flows.readers.table.mapping import Mapping, load_mapping
from flows.sources.base import Contents, Source

NAME = "files"


def read(paths: list[Path], ref: ReleaseRef) -> tuple[TableFile, Mapping]:
    """An analyst's table (`paths[0]`) as its mapping (`paths[1]`) says to read it.

    The archive keeps files under their hashes, so messages use the names the analyst gave:
    the release's title for the table and its first part for the mapping. The reference period
    is the latest period in the table unless the release names one.
    """
    table_name = ref.title or paths[0].name
    if len(paths) < 2:
        raise MappingError(
            f"{table_name}: a files release needs the mapping that says how to read the table; "
            "give --mapping MAPPING.toml (see flows/reference/registers/ for examples)"
        )
    mapping_name = ref.parts[0] if ref.parts else paths[1].name
    mapping = load_mapping(paths[1], mapping_name)
    return read_table(paths[0], table_name, mapping.table, mapping_name), mapping


def normalise(read: tuple[TableFile, Mapping], ref: ReleaseRef) -> Contents:
    """The table's figures as its mapping says, in the period given or its latest."""
    observations, rejected, latest = table_figures(*read)
    return Contents(observations, rejected, ref.reference_period or f"{latest.end:%Y-%m}")


SOURCE = Source(NAME, read=read, normalise=normalise, discover=None,
                accepts=(*CSV_SUFFIXES, *EXCEL_SUFFIXES))
