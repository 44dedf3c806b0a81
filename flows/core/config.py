"""Paths and settings in one place; imports nothing else of the project but its errors."""

from __future__ import annotations

import os
from pathlib import Path

from flows.core.errors import ConfigError

# The checkout (or, for an installed chiso, the site-packages folder holding flows/).
ROOT = Path(__file__).resolve().parents[2]
# A wheel ships the top-level sql/ as the package data warehouse/sql/ (see pyproject.toml).
_WHEEL_SQL = ROOT / "warehouse" / "sql"
# True for a wheel installed with `pip install .`; False for a checkout or an editable install.
INSTALLED = _WHEEL_SQL.is_dir()
SQL_DIR = _WHEEL_SQL if INSTALLED else ROOT / "sql"
REFERENCE_DIR = ROOT / "flows" / "reference"
# The bundled offline mirror: publisher URLs mapped to <host>/<path> under this folder.
BUNDLED_MIRROR = ROOT / "flows" / "mirror"
# Its last year (GSO's December 2024 report): every release due since is missing from it.
BUNDLED_MIRROR_ENDS = 2024

USER_AGENT = "chiso/0.1 (+https://github.com/chiso-project/chiso; official statistics warehouse)"
# Publishers' servers are slow but not that slow: 10 s to connect, 60 s between bytes.
TIMEOUT_SECONDS = (10.0, 60.0)
# A GSO workbook is under 1 MB; 50 MB leaves room for growth and stops a runaway download.
MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
# Transient failures are retried this many times, backing off 1, 2, 4 ... seconds (capped).
MAX_RETRIES = 4
BACKOFF_SECONDS = 1.0
BACKOFF_CAP_SECONDS = 30.0


def warehouse_path() -> Path:
    """The published warehouse analysts open (`CHISO_WAREHOUSE` overrides the default).

    The default is `warehouse/chiso.duckdb` in the checkout; an installed chiso never writes
    into site-packages, so it uses `warehouse/chiso.duckdb` under the current directory.
    """
    home = Path.cwd() if INSTALLED else ROOT
    return Path(os.environ.get("CHISO_WAREHOUSE", home / "warehouse" / "chiso.duckdb"))


def archive_dir() -> Path:
    """Where raw releases are kept, content-addressed (`CHISO_ARCHIVE` overrides)."""
    default = warehouse_path().parent / "archive"
    return Path(os.environ.get("CHISO_ARCHIVE", default))


def lake_catalog() -> str | None:
    """DuckLake mode's catalog (`CHISO_LAKE`), e.g. `postgres:dbname=chiso host=db.internal`;
    None keeps the single-file warehouse (the default). See warehouse/lake.py."""
    value = os.environ.get("CHISO_LAKE", "").strip()
    return value.removeprefix("ducklake:") or None


def lake_data_path() -> str | None:
    """Where DuckLake writes its data files (`CHISO_LAKE_DATA`: a folder or `s3://...`); needed
    only when the lake is created, the catalog remembers it afterwards."""
    return os.environ.get("CHISO_LAKE_DATA", "").strip() or None


def task_runner_name() -> str:
    """How backfills read releases (`CHISO_TASK_RUNNER`): `threads` (default) or `dask`."""
    return os.environ.get("CHISO_TASK_RUNNER", "threads").strip() or "threads"


def batch_figures() -> int:
    """How many figures a backfill reads before loading them as one transaction
    (`CHISO_BATCH_FIGURES`, default 400,000). A batch's workbooks, rows and figures stay in
    memory until it is loaded: about 800 MB for the 314,000 figures of the 125 shared GSO
    workbooks, which load in one batch. A smaller batch needs less memory and loads slower
    (docs/benchmarks.md)."""
    value = os.environ.get("CHISO_BATCH_FIGURES", "").strip().replace("_", "")
    if not value:
        return 400_000
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"CHISO_BATCH_FIGURES={value!r}: give a whole number of figures "
                          "above 0, e.g. 100000, or unset it for the default")
    return int(value)


def report_path() -> Path:
    """Where runs write the HTML report (`CHISO_REPORT` overrides; next to the warehouse)."""
    default = warehouse_path().parent / "report.html"
    return Path(os.environ.get("CHISO_REPORT", default))


def reference_overrides() -> Path | None:
    """A folder of the user's own reference CSVs (`CHISO_REFERENCE_DIR`), read on top of the
    package's: its rows add to them, or replace those with the same key. None when unset.
    Reference data is changed there, never in site-packages (docs/sources.md)."""
    value = os.environ.get("CHISO_REFERENCE_DIR", "").strip()
    return Path(value).expanduser() if value else None


def mirror_dir() -> Path | None:
    """A local folder standing in for the publishers (`CHISO_MIRROR`); None means the network.

    `CHISO_MIRROR=bundled` selects the mirror shipped in the repository.
    """
    value = os.environ.get("CHISO_MIRROR", "").strip()
    if not value:
        return None
    return BUNDLED_MIRROR if value == "bundled" else Path(value)


def bundled_mirror() -> bool:
    """Whether the publishers are read from the bundled mirror (the demo)."""
    return mirror_dir() == BUNDLED_MIRROR
