"""A scheduled poll's first question: has any page the source watches changed since the last
poll that finished?

On a due day a source is polled every few minutes (flows/orchestration/schedule.py), so a poll
that finds nothing must cost next to nothing: one conditional GET of each page the source
watches (its listing), sending the ETag / Last-Modified of the last poll that completed. A
304, or a page linking to the same pages as before (a server without validators, whose pages
differ at each request by a nonce or a "generated at" comment), means nothing was posted: the
poll stops there. A changed page is handed on to discovery (not fetched twice), and its validators
are remembered only once the poll's releases are all loaded, so a poll that failed half-way is
tried again in full.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flows.core.errors import NotModified
from flows.fetch import MAX_PAGE_BYTES, fetch
from flows.sources.base import Get

# Beside the archive's manifest: which version of each watched page the last poll finished on.
STATE_FILE = "watched.json"
# The target of an <a href="..."> (HTML pages as publishers write them).
_LINK = re.compile(rb"""<a\s[^>]*?href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


@dataclass(frozen=True)
class Seen:
    """A watched page as a poll saw it: its validators and the hash of what it links to."""

    etag: str | None
    last_modified: str | None
    sha256: str  # of the page's sorted link targets; of its body when it has no links


@dataclass
class Probe:
    """What one poll's conditional requests found: the pages that changed (with their bodies)."""

    state_file: Path
    seen: dict[str, Seen]
    bodies: dict[str, bytes] = field(default_factory=dict)
    requests: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.bodies)

    def serving(self, get: Get) -> Get:
        """`get`, answering the pages this probe fetched from memory (discovery reads the
        listing again; the publisher is asked once)."""

        def answer(url: str) -> bytes:
            body = self.bodies.get(url)
            return get(url) if body is None else body

        return answer

    def remember(self) -> None:
        """Record the pages as seen now: the next poll asks whether they changed since."""
        state = _load(self.state_file)
        state.update({url: asdict(seen) for url, seen in self.seen.items()})
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=self.state_file.parent, prefix=".watched-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(state, out, indent=1, sort_keys=True)
        os.replace(name, self.state_file)


def probe(urls: Iterable[str], state_dir: Path, mirror: Path | None) -> Probe:
    """Ask each of `urls` whether it changed since the last finished poll (state kept in
    `state_dir`); one request each."""
    state_file = state_dir / STATE_FILE
    known = {url: Seen(row.get("etag"), row.get("last_modified"), str(row.get("sha256")))
             for url, row in _load(state_file).items() if isinstance(row, dict)}
    found = Probe(state_file, {})
    with tempfile.TemporaryDirectory(prefix="chiso-watch-") as scratch:
        for url in urls:
            before = known.get(url)
            found.requests += 1
            try:
                fetched = fetch(url, Path(scratch), max_bytes=MAX_PAGE_BYTES, mirror=mirror,
                                etag=before.etag if before else None,
                                last_modified=before.last_modified if before else None)
            except NotModified:
                assert before is not None  # a 304 answers only the validators we sent
                found.seen[url] = before
                continue
            body = fetched.path.read_bytes()
            now = Seen(fetched.etag, fetched.last_modified, fingerprint(body))
            found.seen[url] = now
            if before is None or before.sha256 != now.sha256:
                found.bodies[url] = body
    return found


def fingerprint(body: bytes) -> str:
    """What a listing says, as a hash: the targets of its links (a new release is a new link),
    sorted; the whole body when it has none."""
    links = sorted(set(_LINK.findall(body)))
    return hashlib.sha256(b"\n".join(links) if links else body).hexdigest()


def _load(state_file: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # never polled, or a state file cut short: ask in full
        return {}
    return loaded if isinstance(loaded, dict) else {}
