"""The command line's arguments, checked before anything runs.

A bad argument is refused in one line that names it and the forms accepted, with exit 2:
not an empty answer that reads like "no data", a run that does nothing, a query pointed at
another file, or a traceback. argparse calls the `type` functions here on each value; the
`check_*` functions look at a command's arguments together.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from flows.core.errors import UsageError
from flows.core.suggest import did_you_mean
from flows.sources import SOURCES

MONTH = "a month written YYYY-MM, e.g. 2024-09"
DAY = "a day written YYYY-MM-DD, e.g. 2024-10-31"
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
# Named-query keyword arguments of warehouse.query.query() that --param must not reach: the
# day has its own option, and the warehouse file is CHISO_WAREHOUSE's to say.
_OPTIONS = {"as_of": "--as-of DATE, e.g. --as-of 2024-10-31"}


class Parser(argparse.ArgumentParser):
    """argparse with its errors in one line and exit 2, the usage left to --help."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message}; see `{self.prog} --help`", file=sys.stderr)
        raise SystemExit(2)


def month(text: str) -> str:
    """A reference period: YYYY-MM."""
    if not _MONTH.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not {MONTH}")
    return text.strip()


def day(text: str) -> date:
    """A calendar day: YYYY-MM-DD."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {DAY}") from None


def source(text: str) -> str:
    """The name of a registered source."""
    if text in SOURCES:
        return text
    raise argparse.ArgumentTypeError(
        f"unknown source {text!r}{did_you_mean(text, SOURCES)}; the sources: "
        f"{', '.join(sorted(SOURCES))}")


def check_paths(args: argparse.Namespace) -> None:
    """The files and folders a command was given exist (or, for --into, do not yet). Checked
    once the command line has parsed, so a documented example with a placeholder path still
    parses."""
    for option, check in _PATHS.items():
        value = getattr(args, option, None)
        if value:
            check(f"--{option}", value)


def _file(option: str, text: str) -> None:
    path = Path(text).expanduser()
    if path.is_dir():
        raise UsageError(f"{option} {text} is a folder, not a file; name one file in it "
                         f"({text.rstrip('/')}/NAME)")
    if not path.is_file():
        raise UsageError(f"{option} {text}: no such file; give the path of a file on this "
                         "machine")


def _folder(option: str, text: str) -> None:
    path = Path(text).expanduser()
    if not path.is_dir():
        what = "a file, not a folder" if path.exists() else "no such folder"
        raise UsageError(f"{option} {text}: {what}; give the folder holding the files")


def _mirror(option: str, text: str) -> None:
    """'bundled' (the demo's offline copy) or a folder laid out host/path."""
    if text != "bundled":
        _folder(option, text)


def _new_file(option: str, text: str) -> None:
    path = Path(text).expanduser()
    if path.exists():
        raise UsageError(f"{option} {text} exists; give a new path (or remove it first)")
    if not path.parent.is_dir():
        raise UsageError(f"{option} {text}: the folder {path.parent} does not exist")


# Options naming a path, by the name argparse gives them, and what each must be.
_PATHS: dict[str, Callable[[str, str], None]] = {
    "file": _file, "mapping": _file, "structure": _file, "folder": _folder, "mirror": _mirror,
    "into": _new_file}


def count(text: str) -> int:
    """A whole number of at least 1."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more, e.g. 20")
    return int(text)


def check_run(names: list[str] | None) -> None:
    """`chiso run --source`: sources whose releases chiso finds itself."""
    for name in names or []:
        _discoverable(name)


def check_ingest(name: str, mapping: str | None, published_at: date | None,
                 structure: str | None = None) -> None:
    if structure and name != "sdmx":
        raise UsageError(f"--structure is the SDMX structure message of an SDMX file; "
                         f"ingest {name} takes none: leave it out")
    if name == "files" and not mapping:
        raise UsageError("ingest files needs --mapping FILE.toml, the mapping that says "
                         "how to read the table (docs/sources.md)")
    if published_at is None and name != "gso":
        raise UsageError(f"ingest {name} needs --published-at YYYY-MM-DD, the day "
                         f"{name} published the file: it places the figures in the "
                         "warehouse's history")


def check_published(published_at: date | None, reference_period: str | None,
                    today: date) -> None:
    """A publication day in the future, or before the period it reports begins, is a mistake:
    such a vintage would shadow every correct later one in v_latest. (Not "before the period
    ends": GSO's workbooks of 2016-2024 came out on the 29th with the month's estimate.)"""
    if published_at is None:
        return
    if published_at > today:
        raise UsageError(f"--published-at {published_at} is in the future (today is {today}); "
                         "give the day the file was published, or --force-date if it truly is")
    if reference_period and published_at < date.fromisoformat(f"{reference_period}-01"):
        raise UsageError(f"--published-at {published_at} is before {reference_period} began: "
                         "nothing reports a month before it starts; check both dates, or "
                         "--force-date for a plan or forecast")


def check_backfill(name: str, start: str, end: str, from_folder: bool) -> None:
    if start > end:
        raise UsageError(f"--from {start} is after --to {end}; give the earlier month first "
                         f"(--from {end} --to {start})")
    if from_folder and name != "gso":
        raise UsageError(f"--folder reads GSO workbooks only; for {name}, leave --folder out "
                         "(the publisher, or --mirror)")
    if not from_folder:
        _discoverable(name)


def _discoverable(name: str) -> None:
    if SOURCES[name].discover is None:
        raise UsageError(f"source {name!r} takes files by hand: chiso ingest {name} --file "
                         "FILE --published-at YYYY-MM-DD")


def query_params(name: str, items: list[str]) -> dict[str, Any]:
    """`--param KEY=VALUE`s of the named query `name`, each known to the query and of its type
    (warehouse.query.bind raises ParameterError, a UsageError, naming what it takes)."""
    from warehouse.query import bind, named_query

    params: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--param {item!r} is not KEY=VALUE, e.g. --param period=2024-09")
        if key in _OPTIONS:
            raise UsageError(f"--param {key}: not a parameter; use {_OPTIONS[key]}")
        params[key] = value
    bind(named_query(name), params)
    return params
