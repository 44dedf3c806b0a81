"""The raw archive's manifest as read so far (flows/archive.py): every line taken in once,
the lines appended since read at each use, so a store and a `latest_for` cost the same whether
the manifest holds ten lines or ten thousand."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, NamedTuple, Protocol, TypeVar


class Fetch(Protocol):
    """What the index needs of a manifest line's entry (flows.archive.F)."""

    @property
    def url(self) -> str: ...

    @property
    def fetched_at(self) -> datetime: ...


F = TypeVar("F", bound=Fetch)


class Line(NamedTuple, Generic[F]):
    """What one manifest line says."""

    row: str | None  # the line's JSON as `canonical` writes it; None when it is not JSON
    entry: F | None  # None when the line is unreadable,
    problem: str = ""  # and then why


class ManifestIndex(Generic[F]):
    """The manifest as read so far, brought up to date by reading only what was appended since.

    Other processes append to the manifest too (each line whole, under the lock), so every use
    starts with `refresh`. Only complete lines are taken in: the bytes after the last newline
    are a write in progress or a line a crash tore, parsed again at each refresh (`tail`) until
    a newline ends them (append_json_line ends a torn line before writing its own, so the torn
    bytes become a line of their own, unreadable). A manifest shorter than what was read,
    another file in its place (another inode), or one without a newline where the last line
    read ended, is read again from the start.
    """

    def __init__(self, manifest: Path, parse: Callable[[int, str, bool], Line[F]]) -> None:
        self.manifest = manifest
        self.parse = parse  # Archive._line
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        """Forget what was read: the next refresh reads the manifest from its start."""
        self.inode: int | None = None
        self.done = 0  # bytes of complete lines taken in
        self.lines = 0  # how many lines they were
        self.rows: set[str] = set()  # every line that is JSON, as `canonical` writes it
        self.entries: list[F] = []
        self.problems: list[str] = []
        self.latest: dict[str, F] = {}  # the latest fetch of each (redacted) URL
        self.tail: Line[F] | None = None

    def refresh(self) -> None:
        """Take in the complete lines appended since the last refresh."""
        data = self._appended()
        end = data.rfind(b"\n") + 1
        for line in data[:end].split(b"\n")[:-1]:
            self._take(line.decode("utf-8", errors="replace"))
        self.done += end
        rest = data[end:].decode("utf-8", errors="replace")
        self.tail = self.parse(self.lines + 1, rest, True) if rest.strip() else None

    def holds(self, row: dict[str, Any]) -> bool:
        """Whether the manifest has this row already (on a line, or as a last line that lost
        its newline)."""
        key = canonical(row)
        return key in self.rows or (self.tail is not None and self.tail.row == key)

    def latest_for(self, url: str) -> F | None:
        """The latest readable fetch of `url` (redacted), the last line included."""
        latest = self.latest.get(url)
        tail = self.tail.entry if self.tail else None
        return later(latest, tail) if tail is not None and tail.url == url else latest

    def readable(self) -> tuple[list[F], list[str]]:
        """Every readable line's entry and every other's problem, the last line included."""
        tail = [self.tail] if self.tail else []
        return (self.entries + [line.entry for line in tail if line.entry],
                self.problems + [line.problem for line in tail if line.problem])

    def _appended(self) -> bytes:
        """The manifest's bytes after those taken in; all of them if it is not the file read."""
        try:
            with self.manifest.open("rb") as handle:
                stat = os.fstat(handle.fileno())
                handle.seek(max(self.done - 1, 0))
                # the newline that ended the last line taken in is still there
                ended = handle.read(1) == b"\n" if self.done else True
                if stat.st_ino != self.inode or stat.st_size < self.done or not ended:
                    self.clear()
                    self.inode = stat.st_ino
                    handle.seek(0)
                return handle.read()
        except FileNotFoundError:
            self.clear()
            return b""

    def _take(self, text: str) -> None:
        self.lines += 1
        if not text.strip():
            return
        line = self.parse(self.lines, text, False)
        if line.row is not None:
            self.rows.add(line.row)
        if line.entry is None:
            self.problems.append(line.problem)
        else:
            self.latest[line.entry.url] = later(self.latest.get(line.entry.url), line.entry)
            self.entries.append(line.entry)


def later(known: F | None, entry: F) -> F:
    """The later fetch of the two; `entry`, written after `known`, wins a tie."""
    return entry if known is None or entry.fetched_at >= known.fetched_at else known


def canonical(row: Any) -> str:
    """A manifest row as one string, the same whatever the order of its keys or its spacing:
    a set of these tells in one look whether a row was written already."""
    return json.dumps(row, sort_keys=True)
