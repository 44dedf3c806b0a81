"""The exceptions chiso raises, under one root so the CLI and flows can report them in one line.

    ChisoError
    ├── UsageError            a command was given what it cannot take (exit 2)
    ├── ConfigError           a setting or reference file is wrong
    ├── FetchError            a URL could not be fetched
    │   ├── TransientFetchError   worth retrying (timeout, reset, 5xx, 429)
    │   ├── OfflineError          this machine could not resolve the host: no network here
    │   ├── TooLargeError         the body is over the size limit
    │   └── NotModified           the publisher says nothing changed (304)
    ├── ArchiveError          the raw archive could not store or find a file
    │   └── CorruptBlobError      an archived file no longer hashes to its recorded sha256
    ├── ReadError             a file is not the kind of file it claims to be
    │   ├── CorruptFileError      truncated or damaged workbook
    │   ├── NotAWorkbookError     e.g. an HTML error page saved as .xlsx
    │   ├── NoTablesError         a workbook with none of the tables we read
    │   ├── MappingError          a `files` mapping is malformed or does not fit its table
    │   ├── NotAReportPageError   a web page with no report structure or no figures
    │   ├── UnexpectedResponseError  an API's error message, or JSON not in the API's shape
    │   ├── UnsupportedFormatError   SDMX-ML 3.0, SDMX-JSON 2.0, a structure message, ...
    │   └── NotAnArticleError     a press file with no readable text, or naming no place
    ├── PublicationDateError  a file given by hand dated before the period it reports began
    ├── DiscoveryError        a listing or report page lost the structure we rely on
    ├── LoadError             the warehouse refused a release
    ├── SourcesFailedError    a run over several sources, every one of which failed
    ├── WarehouseBusyError    another process holds the writer lock
    └── WarehouseDamagedError a warehouse file DuckDB cannot open, and it could not be mended
"""

from __future__ import annotations


class ChisoError(Exception):
    """Root of every error chiso raises on purpose."""


class UsageError(ChisoError):
    """A command was given an argument it cannot take: the user's to fix, not a failure."""


class ConfigError(ChisoError):
    """A setting, mapping or reference file is missing or inconsistent."""


class FetchError(ChisoError):
    """A URL could not be fetched."""


class TransientFetchError(FetchError):
    """A fetch failed in a way that may succeed if tried again."""


class OfflineError(FetchError):
    """The host's name could not be resolved on this machine: no network (or no DNS) here,
    which says nothing about the publisher; not retried."""


class TooLargeError(FetchError):
    """The response body is larger than the configured limit."""


class NotModified(FetchError):
    """The publisher answered 304: the file has not changed since we last fetched it."""


class ArchiveError(ChisoError):
    """The raw archive could not store or find a file."""


class CorruptBlobError(ArchiveError):
    """An archived file is missing or no longer holds the bytes its manifest line records."""


class ReadError(ChisoError):
    """A file could not be read as the format it claims to be."""


class CorruptFileError(ReadError):
    """The file is truncated or damaged."""


class NotAWorkbookError(ReadError):
    """The file is not a spreadsheet at all (often an HTML error page)."""


class NoTablesError(ReadError):
    """The workbook has none of the tables chiso knows how to read."""


class MappingError(ReadError):
    """A `files` mapping is malformed or names columns its table lacks."""


class NotAReportPageError(ReadError):
    """A web page without a report's structure (title, date line, body) or any figure."""


class UnexpectedResponseError(ReadError):
    """An API answered with an error message, or with JSON not shaped like its data format."""


class UnsupportedFormatError(ReadError):
    """A format, version or message kind chiso cannot read as data (SDMX-ML 3.0, a constraint)."""


class NotAnArticleError(ReadError):
    """A press file holds no readable text, or names no place its figures belong to."""


class PublicationDateError(ChisoError):
    """A file given by hand with a publication day before the period it reports began: read
    from the file when `--reference-period` was not given (--force-date lets it through)."""


class DiscoveryError(ChisoError):
    """A listing or report page no longer has the structure discovery relies on."""


class LoadError(ChisoError):
    """The warehouse could not load a release."""


class SourcesFailedError(ChisoError):
    """Every source of a run failed (one failing does not stop the others, or fail the run)."""


class WarehouseBusyError(ChisoError):
    """Another process is writing to the warehouse."""


class WarehouseDamagedError(ChisoError):
    """A warehouse file is damaged and could not be mended here (the message says how)."""
