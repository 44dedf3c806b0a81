"""Download a publisher's file carefully: one session, retries, size limit, mirror, no debris."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import re
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import requests
import truststore
from requests.adapters import HTTPAdapter
from requests.utils import requote_uri
from urllib3.exceptions import NameResolutionError

from flows.core import config, secrets
from flows.core.errors import (
    FetchError,
    NotModified,
    OfflineError,
    TooLargeError,
    TransientFetchError,
)
from flows.core.killpoints import killpoint

log = logging.getLogger(__name__)

# 64 KiB: a 50 MB file in under a thousand writes; the size limit is overshot by a chunk at most.
CHUNK_BYTES = 64 * 1024
# Publishers redirect http -> https and old paths -> new ones; more than five hops is a loop.
MAX_REDIRECTS = 5
# Responses worth another try: rate limited, or the server or its gateway is having a bad moment.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Listing and report pages are ~200 KB of HTML; 5 MB means something other than a page came back.
MAX_PAGE_BYTES = 5 * 1024 * 1024
# Characters Windows (and setuptools' package-data globs) refuse in a file name, plus "/" which
# would split a query into folders; a mirrored query string has them percent-escaped.
_UNSAFE_IN_NAMES = frozenset('\\/:*?"<>|')
# Temporary downloads are named so the archive's stale-temp sweep and a human can spot them.
TEMP_PREFIX = ".fetch-"
TEMP_SUFFIX = ".part"
# A link to one of these formats that answers with an HTML page got an error or login page.
FILE_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".ods", ".pdf", ".zip", ".csv", ".json", ".xml")
# An HTML page says so in its first bytes (a BOM and blank lines at most before the tag).
HTML_SNIFF_BYTES = 1024
_HTML_START = (b"<!doctype html", b"<html")
# Query keys whose values must never reach a log line or an error message.
_SECRET_PARAM = re.compile(
    r"(?i)(?<=[?&;#])([^&=;?#\s]*(?:key|token|secret|passw(?:or)?d|pwd|signature|auth|credential)"
    r"[^&=;?#\s]*)=([^&;#\s'\"]*)"
)
REDACTED = "REDACTED"
_HIDE = rf"\1={REDACTED}"
# Failures of the connection itself (refused, reset, timed out, cut mid-body): worth retrying.
_TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
TimeoutSpec = float | tuple[float, float]
Sleep = Callable[[float], None]


class _FromConfig(Enum):
    """Sentinel: read the mirror setting when the call is made, not when the module is imported."""

    MIRROR = "config.mirror_dir()"


FROM_CONFIG = _FromConfig.MIRROR  # the default `mirror=`: `config.mirror_dir()` at call time


@dataclass(frozen=True)
class Fetched:
    """A downloaded body sitting in a temporary file, waiting for the archive to adopt it.

    `path` is a temporary file in `fetch`'s `dest_dir` that `Archive.store` moves into place.
    `url` is the URL asked for, before any redirect. `fetched_at` is timezone-aware UTC.
    """

    url: str
    path: Path
    sha256: str
    size: int
    fetched_at: datetime
    etag: str | None
    last_modified: str | None
    media_type: str | None
    from_mirror: bool


@dataclass(frozen=True)
class _Plan:
    """Everything one network fetch needs, so helpers take one argument instead of nine."""

    url: str
    headers: dict[str, str]
    max_bytes: int
    timeout: TimeoutSpec
    allowed_hosts: frozenset[str]
    retries: int
    backoff: float
    sleep: Sleep
    credential: secrets.Credential | None = None


@dataclass(eq=False)
class _Retryable(Exception):
    """One attempt failed in a way worth trying again; carries the server's Retry-After if any."""

    cause: str
    retry_after: float | None = None


def redact(url: str) -> str:
    """`url` with secret-looking query values and any userinfo password replaced by REDACTED,
    and any registered API key (flows.core.secrets) by ***."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        netloc = netloc.replace(f":{parts.password}@", f":{REDACTED}@", 1)
    query = _SECRET_PARAM.sub(_HIDE, "?" + parts.query)[1:]
    fragment = _SECRET_PARAM.sub(_HIDE, "#" + parts.fragment)[1:]
    return secrets.scrub(urlunsplit((parts.scheme, netloc, parts.path, query, fragment)))


class _TruststoreAdapter(HTTPAdapter):
    """Verifies TLS against the operating system's store (nso.gov.vn's chain is not in certifi)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        proxy_kwargs.setdefault("ssl_context", truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
        return super().proxy_manager_for(proxy, **proxy_kwargs)


_SESSION_LOCK = threading.Lock()
_SESSIONS: dict[int, requests.Session] = {}


def session() -> requests.Session:
    """The session every source shares (one per process); TLS verified against the system store."""
    with _SESSION_LOCK:
        pid = os.getpid()
        if pid not in _SESSIONS:
            _SESSIONS.clear()
            made = requests.Session()
            made.headers["User-Agent"] = config.USER_AGENT
            made.mount("https://", _TruststoreAdapter(max_retries=0))  # fetch() does the retrying
            _SESSIONS[pid] = made
        return _SESSIONS[pid]


def mirror_path(url: str, mirror: Path) -> Path:
    """Where `wget --mirror --restrict-file-names=windows` would have saved `url` under `mirror`.

    `<mirror>/<host>[+port]/<path>`; a path ending in "/" is `index.html`; a query string is kept
    after an `@` (`index.html@paged=2`), with the characters Windows refuses in a file name
    percent-escaped (`date=2000%3A2024`), so the mirror packages and checks out anywhere.
    Percent-escapes in the path are decoded.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        raise FetchError(f"{redact(url)}: no host in the URL; expected http(s)://host/path.")
    if parts.port is not None and parts.port != {"http": 80, "https": 443}.get(parts.scheme):
        host = f"{host}+{parts.port}"
    segments = unquote(parts.path or "/").split("/")
    # the host is a folder of the mirror too: "https://../x" would name the mirror's parent
    if any(s in (".", "..") or "\0" in s for s in (parts.hostname or "", *segments)):
        raise FetchError(
            f"{redact(url)}: '.' or '..' as the host or in the path would escape the mirror "
            f"{mirror}; expected a canonical URL. Fix the link the source discovered."
        )
    segments[-1] = segments[-1] or "index.html"
    # a path may hold them too (web.archive.org's "/web/<time>/http://..." addresses)
    segments = [_safe_name(s) for s in segments]
    if parts.query:
        segments[-1] += "@" + _safe_name(parts.query)
    return mirror.joinpath(host, *[s for s in segments if s])


def _safe_name(text: str) -> str:
    """`text` with the characters no portable file name may hold percent-escaped (as wget's
    `--restrict-file-names=windows` does)."""
    return "".join(f"%{ord(c):02X}" if c in _UNSAFE_IN_NAMES else c for c in text)


def fetch(
    url: str,
    dest_dir: Path,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = config.MAX_DOWNLOAD_BYTES,
    mirror: Path | _FromConfig | None = FROM_CONFIG,
    timeout: TimeoutSpec = config.TIMEOUT_SECONDS,
    retries: int | None = None,
    backoff: float | None = None,
    sleep: Sleep = time.sleep,
    allowed_hosts: set[str] | None = None,
) -> Fetched:
    """Download `url` into a temporary file in `dest_dir`; on any failure nothing is left there.

    `mirror` defaults to `config.mirror_dir()` read at call time; None forces the network.
    `retries` and `backoff` default to config.MAX_RETRIES and config.BACKOFF_SECONDS at call
    time. `allowed_hosts` (default: the URL's own host) bounds where redirects may lead. The
    API key of the source being run (`flows.core.secrets.using`) goes with each network request,
    never into `Fetched.url`. A link to a file (FILE_SUFFIXES) that brings an HTML page is
    refused. Raises NotModified (304), TooLargeError, TransientFetchError (retries used up) or
    FetchError.
    """
    dest_dir.mkdir(parents=True, exist_ok=True)
    where = config.mirror_dir() if mirror is FROM_CONFIG else mirror
    if isinstance(where, Path):
        return _refuse_html(_fetch_mirror(url, dest_dir, where, max_bytes))
    conditions = {"If-None-Match": etag, "If-Modified-Since": last_modified}
    headers = {name: value for name, value in conditions.items() if value}
    if allowed_hosts is None:
        allowed_hosts = {urlsplit(url).hostname or ""}
    hosts = frozenset(host.lower() for host in allowed_hosts)
    plan = _Plan(
        url, headers, max_bytes, timeout, hosts,
        config.MAX_RETRIES if retries is None else retries,
        config.BACKOFF_SECONDS if backoff is None else backoff, sleep, secrets.active(),
    )
    return _refuse_html(_with_retries(plan, dest_dir))


def get_bytes(
    url: str,
    *,
    max_bytes: int = MAX_PAGE_BYTES,
    mirror: Path | _FromConfig | None = FROM_CONFIG,
    timeout: TimeoutSpec = config.TIMEOUT_SECONDS,
    retries: int | None = None,
    backoff: float | None = None,
    sleep: Sleep = time.sleep,
    allowed_hosts: set[str] | None = None,
) -> bytes:
    """The body of a small page (listing or report HTML), fetched exactly as `fetch` would."""
    with tempfile.TemporaryDirectory(prefix="chiso-page-") as scratch:
        return fetch(
            url, Path(scratch), max_bytes=max_bytes, mirror=mirror, timeout=timeout,
            retries=retries, backoff=backoff, sleep=sleep, allowed_hosts=allowed_hosts,
        ).path.read_bytes()


def _fetch_mirror(url: str, dest_dir: Path, mirror: Path, max_bytes: int) -> Fetched:
    """Copy the mirror's copy of `url` into a temporary file, as if it had been downloaded."""
    source = mirror_path(url, mirror)
    if not source.is_file():
        raise FetchError(
            f"{redact(url)}: not in the mirror; expected the file {source}. Add it to the mirror "
            "(wget --mirror --restrict-file-names=windows) or unset CHISO_MIRROR to fetch it."
        )
    _check_declared(url, source.stat().st_size, max_bytes, "the mirror file is")
    with source.open("rb") as handle:
        chunks = iter(lambda: handle.read(CHUNK_BYTES), b"")
        path, digest, size = _write_temp(chunks, dest_dir, url, max_bytes, None)
    # The type of the file the URL names, not of its query string (`index.html@paged=2`).
    media_type, _ = mimetypes.guess_type(mirror_path(url.split("?", 1)[0], mirror).name)
    return Fetched(url, path, digest, size, datetime.now(UTC), None, None, media_type, True)


def _with_retries(plan: _Plan, dest_dir: Path) -> Fetched:
    """Run attempts until one succeeds, a permanent error is raised, or retries are used up."""
    attempts = max(1, plan.retries + 1)
    cause = ""
    for attempt in range(1, attempts + 1):
        try:
            return _attempt(plan, dest_dir)
        except _Retryable as exc:
            cause = exc.cause.rstrip(".")
            if attempt == attempts:
                break
            wait = plan.backoff * 2 ** (attempt - 1) if exc.retry_after is None else exc.retry_after
            delay = min(wait, config.BACKOFF_CAP_SECONDS)
            log.warning(
                "%s: attempt %d of %d failed (%s); retrying in %.1f s",
                redact(plan.url), attempt, attempts, cause, delay,
            )
            plan.sleep(delay)
    raise TransientFetchError(
        f"{redact(plan.url)}: still failing after {attempts} attempts; last cause: {cause}. "
        "The publisher may be down or throttling us; run the flow again later."
    )


def _attempt(plan: _Plan, dest_dir: Path) -> Fetched:
    """One GET (following allowed redirects) streamed to a temporary file."""
    response = _open(plan)
    killpoint("fetch.headers")
    head = response.headers
    with response:
        declared = int(head["Content-Length"]) if head.get("Content-Length", "").isdigit() else None
        _check_declared(plan.url, declared or 0, plan.max_bytes, "Content-Length says")
        identity = head.get("Content-Encoding", "identity").lower() == "identity"
        path, digest, size = _write_temp(
            _chunks(response), dest_dir, plan.url, plan.max_bytes, declared if identity else None
        )
    media = head.get("Content-Type", "").split(";", 1)[0].strip().lower() or None
    return Fetched(
        plan.url, path, digest, size, datetime.now(UTC), head.get("ETag"),
        head.get("Last-Modified"), media, False,
    )


def _open(plan: _Plan) -> requests.Response:
    """The final non-redirect response for `plan.url`, with a 2xx status."""
    url = plan.url
    for _hop in range(MAX_REDIRECTS + 1):
        response = _send(url, plan)
        target = session().get_redirect_target(response)
        if target is None:
            _check_status(response, plan)
            return response
        response.close()
        next_url = requote_uri(urljoin(url, target))
        _check_redirect(plan, url, next_url)
        url = next_url
    raise FetchError(
        f"{redact(plan.url)}: more than {MAX_REDIRECTS} redirects; expected the file within a "
        "few hops. Open the URL in a browser to see the loop and fix the link."
    )


def _send(url: str, plan: _Plan) -> requests.Response:
    """One request, with requests' exceptions sorted into retryable and permanent."""
    key = plan.credential
    try:
        return session().get(
            url, params=key.params() if key else None,
            headers=(plan.headers | key.headers()) if key else plan.headers,
            stream=True, timeout=plan.timeout, allow_redirects=False,
        )
    except requests.exceptions.SSLError as exc:
        if "certificate" not in str(exc).lower():  # a handshake cut short is a bad moment, retry
            raise _Retryable(_describe(exc)) from None
        raise FetchError(
            f"{redact(url)}: TLS verification failed ({_describe(exc)}) against the system trust "
            "store (truststore). Install the missing CA there; do not turn verification off."
        ) from None
    except _TRANSIENT as exc:
        if _unresolved(exc):
            raise OfflineError(
                f"{urlsplit(url).hostname}: this machine could not resolve the name (no network "
                "or no DNS here; the publisher is not the cause). Check the connection, or read "
                "the offline mirror: --mirror bundled"
            ) from None
        raise _Retryable(_describe(exc)) from None
    except requests.RequestException as exc:
        raise FetchError(
            f"{redact(url)}: request failed ({_describe(exc)}); expected a plain http(s) URL. "
            "Check the link the source discovered."
        ) from None


def _unresolved(exc: BaseException) -> bool:
    """Whether a connection failed because the host's name did not resolve on this machine:
    retrying the publisher would only repeat it."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NameResolutionError)


def _chunks(response: requests.Response) -> Iterator[bytes]:
    """The body in chunks; a connection that breaks mid-body is a retryable failure."""
    try:
        yield from response.iter_content(CHUNK_BYTES)
    except _TRANSIENT as exc:
        raise _Retryable(_describe(exc)) from None


def _check_status(response: requests.Response, plan: _Plan) -> None:
    """Pass a 2xx; otherwise close the response and raise what the status means for us."""
    status = response.status_code
    if 200 <= status < 300:
        return
    response.close()
    url = redact(plan.url)
    if status == 304:
        raise NotModified(
            f"{url}: 304 Not Modified for {plan.headers or 'an unconditional GET'}. The archived "
            "copy is current; nothing to fetch."
        )
    if status in RETRY_STATUSES:
        # Retry-After in seconds is honoured; an HTTP date falls back to the usual backoff.
        wait = response.headers.get("Retry-After", "").strip()
        after = float(wait) if wait.isdigit() else None
        raise _Retryable(f"HTTP {status} {response.reason}", after)
    raise FetchError(
        f"{url}: HTTP {status} {response.reason}; expected 200 with the file. Open the listing "
        "page to see whether the publisher moved or renamed it, then update the source."
    )


def _check_redirect(plan: _Plan, url: str, target: str) -> None:
    """Refuse a redirect off the allowed hosts, or from https down to http."""
    host = (urlsplit(target).hostname or "").lower()
    if host not in plan.allowed_hosts:
        raise FetchError(
            f"{redact(plan.url)}: redirected to {redact(target)}, outside the allowed hosts "
            f"{sorted(plan.allowed_hosts)}. A publisher should serve its own files; check the "
            "link by hand and, if the new host is legitimate, pass it in allowed_hosts."
        )
    if urlsplit(url).scheme == "https" and urlsplit(target).scheme != "https":
        raise FetchError(
            f"{redact(plan.url)}: redirected from https down to {redact(target)}. Refusing to "
            "drop TLS; report the broken redirect to the publisher or use the https URL."
        )


def _check_declared(url: str, size: int, max_bytes: int, what: str) -> None:
    """Raise TooLargeError when `size` is over the limit (declared, or read so far)."""
    if size > max_bytes:
        raise TooLargeError(
            f"{redact(url)}: {what} {size} bytes, over the {max_bytes} byte limit. If the file "
            "really is that large, raise config.MAX_DOWNLOAD_BYTES (or pass max_bytes)."
        )


def _write_temp(
    chunks: Iterable[bytes], dest_dir: Path, url: str, max_bytes: int, expected: int | None
) -> tuple[Path, str, int]:
    """Stream `chunks` into a new temporary file in `dest_dir`; remove it if anything fails."""
    handle, name = tempfile.mkstemp(dir=dest_dir, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    path, digest, size = Path(name), hashlib.sha256(), 0
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                _check_declared(url, size, max_bytes, "the body passed")
                digest.update(chunk)
                out.write(chunk)
                killpoint("fetch.chunk")
        if expected is not None and size < expected:
            raise _Retryable(f"short body: {size} of the {expected} bytes Content-Length declared")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    killpoint("fetch.downloaded")
    return path, digest.hexdigest(), size


def _describe(exc: BaseException) -> str:
    """An exception as one line, with secret query values and registered keys scrubbed out."""
    return secrets.scrub(_SECRET_PARAM.sub(_HIDE, f"{type(exc).__name__}: {exc}"))


def _refuse_html(fetched: Fetched) -> Fetched:
    """`fetched`, unless a link to a file brought an HTML page (then removed, FetchError)."""
    path = urlsplit(fetched.url).path
    if not path.lower().endswith(FILE_SUFFIXES):
        return fetched
    with fetched.path.open("rb") as handle:
        start = handle.read(HTML_SNIFF_BYTES).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not start.startswith(_HTML_START):
        return fetched
    fetched.path.unlink(missing_ok=True)
    name = unquote(path.rsplit("/", 1)[-1])
    raise FetchError(
        f"{redact(fetched.url)}: an HTML page ({fetched.media_type or 'no Content-Type'}, "
        f"{fetched.size} bytes) came back instead of the file {name}; the publisher served an "
        "error or login page. Open the URL in a browser and run the flow again once the file "
        "is back."
    )
