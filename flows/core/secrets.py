"""API keys: where a source's key comes from, how requests carry it, how logs never show it.

A source that takes a key declares where it goes (`ApiKey`: a header or a query parameter). The
value comes from the environment (`CHISO_<SOURCE>_API_KEY`) or else from a Prefect Secret block
(`chiso-<source>-api-key`), and is added to requests only as they are sent, so URLs kept in
releases, the archive manifest, the warehouse and artifacts never carry it. Every value found is
registered; `scrub` masks registered values in any text, and the log filter masks them in every
log record.
"""

from __future__ import annotations

import contextvars
import logging
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote, quote_plus

from flows.core.errors import ConfigError

MASK = "***"
# Loggers whose records are masked where they are logged: chiso's own and Prefect's (run logs
# reach the Prefect server through "prefect.flow_runs" and "prefect.task_runs").
LOGGERS = ("flows", "warehouse", "prefect")

_LOCK = threading.Lock()
_values: tuple[str, ...] = ()  # registered forms, longest first; replaced whole, never mutated
_installed = False


@dataclass(frozen=True)
class ApiKey:
    """Where a source sends its key: the header or query parameter called `name`."""

    name: str
    place: Literal["header", "query"] = "header"


@dataclass(frozen=True)
class Credential:
    """A source's key and where it goes; the value never shows in a repr."""

    spec: ApiKey
    value: str = field(repr=False)

    def headers(self) -> dict[str, str]:
        return {self.spec.name: self.value} if self.spec.place == "header" else {}

    def params(self) -> dict[str, str]:
        return {self.spec.name: self.value} if self.spec.place == "query" else {}


# The credential of the source whose flow is running; `flows.fetch` reads it per request.
_ACTIVE: contextvars.ContextVar[Credential | None] = contextvars.ContextVar(
    "chiso_credential", default=None
)


def env_name(source: str) -> str:
    """The environment variable holding `source`'s key: CHISO_SDMX_API_KEY."""
    return f"CHISO_{re.sub(r'[^A-Z0-9]+', '_', source.upper())}_API_KEY"


def block_name(source: str) -> str:
    """The Prefect Secret block holding `source`'s key: chiso-sdmx-api-key."""
    return f"chiso-{re.sub(r'[^a-z0-9]+', '-', source.lower())}-api-key"


def api_key(source: str) -> str | None:
    """`source`'s key: the environment first, then its Secret block; None when neither has one.

    The block is looked up only where a Prefect server is at hand (PREFECT_API_URL is set, or a
    flow is running), so a plain command never starts a server to look for a key. A block that
    exists but cannot be read raises ConfigError. The value found is registered for masking.
    """
    value = os.environ.get(env_name(source), "").strip()
    if not value and _prefect_at_hand():
        value = _from_block(source)
    if not value:
        return None
    register(value)
    return value


def credential(source: str, spec: ApiKey | None) -> Credential | None:
    """The credential a source sends, or None when it takes no key or none is configured."""
    if spec is None:
        return None
    value = api_key(source)
    return Credential(spec, value) if value else None


@contextmanager
def using(found: Credential | None) -> Iterator[None]:
    """Send `found` with every network request `flows.fetch` makes inside the block."""
    token = _ACTIVE.set(found)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def active() -> Credential | None:
    """The credential of the source being fetched (see `using`)."""
    return _ACTIVE.get()


def register(value: str) -> None:
    """Mask `value` (and its URL-encoded forms) from now on; installs the log filter."""
    global _values
    forms = {value, quote(value, safe=""), quote_plus(value)} - {""}
    with _LOCK:
        _values = tuple(sorted(set(_values) | forms, key=len, reverse=True))
    install()


def scrub(text: str) -> str:
    """`text` with every registered secret replaced by ***."""
    for value in _values:  # longest first, so an encoded form is masked before its raw part
        text = text.replace(value, MASK)
    return text


class SecretFilter(logging.Filter):
    """Masks registered secrets in a record's message, traceback and stack; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _values:
            _scrub_record(record)
        return True


FILTER = SecretFilter()


def install() -> None:
    """Put the filter on chiso's and Prefect's loggers, and on every record made from now on.

    A logger's filters see only records logged on that very logger, not those propagating from
    its children ("flows.fetch", "prefect.task_runs"), nor records reaching a handler added
    later (pytest's caplog); so the record factory passes each new record through it too.
    """
    global _installed
    with _LOCK:
        if _installed:
            return
        _installed = True
    for name in LOGGERS:
        logging.getLogger(name).addFilter(FILTER)
    previous = logging.getLogRecordFactory()

    def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        FILTER.filter(record)
        return record

    logging.setLogRecordFactory(masked_record)


def _scrub_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # bad %-args: logging reports it; still mask the template
        message = str(record.msg)
    clean = scrub(message)
    if clean != message:
        record.msg, record.args = clean, ()
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = scrub(record.exc_text)
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)


def _prefect_at_hand() -> bool:
    from prefect.context import FlowRunContext, TaskRunContext
    from prefect.settings import PREFECT_API_URL

    running = FlowRunContext.get() is not None or TaskRunContext.get() is not None
    return bool(PREFECT_API_URL.value()) or running


def _from_block(source: str) -> str:
    """The key in `source`'s Secret block; "" when there is no such block."""
    from prefect.blocks.system import Secret
    from prefect.exceptions import ObjectNotFound
    from prefect.settings import PREFECT_API_URL

    name = block_name(source)
    try:
        block = Secret.load(name)
    except Exception as exc:
        if isinstance(exc, ValueError) and isinstance(exc.__cause__, ObjectNotFound):
            return ""
        server = PREFECT_API_URL.value() or "the temporary Prefect server of this run"
        raise ConfigError(
            f"Prefect Secret block {name!r} could not be read from {server} "
            f"({type(exc).__name__}: {scrub(str(exc))}); check that the server answers "
            f"(`prefect config view`), or set {env_name(source)} instead"
        ) from None
    assert isinstance(block, Secret)  # called outside an event loop: the block, not a coroutine
    value = block.value.get_secret_value()
    if not isinstance(value, str):
        raise ConfigError(
            f"Prefect Secret block {name!r} holds a {type(value).__name__}; expected the API key "
            f"as a string: Secret(value='...').save({name!r}, overwrite=True)"
        )
    return value.strip()
