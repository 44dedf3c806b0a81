"""fetch.py against a real HTTP server on 127.0.0.1: retries, limits, redirects, mirror, secrets."""

from __future__ import annotations

import hashlib
import logging
import socket
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
import truststore

from flows import fetch
from flows.core import config
from flows.core.errors import FetchError, NotModified, TooLargeError, TransientFetchError

from httpserver import (
    Behaviour,
    LocalServer,
    drip,
    redirect,
    reset,
    self_signed,
    short,
    static,
    status,
    unsized,
)

BODY = b"PK\x03\x04 pretend workbook " * 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LAST_MODIFIED = "Mon, 01 Jul 2024 02:00:00 GMT"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # a developer's proxy must not interfere
    monkeypatch.delenv("CHISO_MIRROR", raising=False)
    with LocalServer() as running:
        yield running


@pytest.fixture
def sleeps() -> list[float]:
    return []


def get(url: str, dest: Path, sleeps: list[float], **kwargs: Any) -> fetch.Fetched:
    """fetch() from the network with the sleep recorded instead of slept."""
    return fetch.fetch(url, dest, mirror=None, sleep=sleeps.append, **kwargs)


def leftovers(dest: Path) -> list[Path]:
    return sorted(dest.iterdir()) if dest.exists() else []


# -- the happy path and conditional GET ---------------------------------------------------------


def test_streams_body_into_temp_file_with_hash_and_validators(
    server: LocalServer, tmp_path: Path, sleeps: list[float]
) -> None:
    server.route(
        "/cpi.xlsx",
        static(BODY, etag='"v1"', last_modified=LAST_MODIFIED, content_type=f"{XLSX}; q=1"),
    )
    got = get(server.url("/cpi.xlsx"), tmp_path, sleeps)
    assert got.path.parent == tmp_path
    assert got.path.read_bytes() == BODY
    assert got.sha256 == hashlib.sha256(BODY).hexdigest()
    assert got.size == len(BODY)
    assert (got.etag, got.last_modified, got.media_type) == ('"v1"', LAST_MODIFIED, XLSX)
    assert got.fetched_at.tzinfo is UTC
    assert not got.from_mirror
    assert server.seen[0].headers["User-Agent"] == config.USER_AGENT
    assert sleeps == []


def test_conditional_get_sends_validators_and_304_is_not_modified(
    server: LocalServer, tmp_path: Path, sleeps: list[float]
) -> None:
    server.route("/cpi.xlsx", static(BODY, etag='"v1"', last_modified=LAST_MODIFIED))
    with pytest.raises(NotModified, match="304"):
        get(server.url("/cpi.xlsx"), tmp_path, sleeps, etag='"v1"')
    with pytest.raises(NotModified):
        get(server.url("/cpi.xlsx"), tmp_path, sleeps, last_modified=LAST_MODIFIED)
    assert server.seen[0].headers["If-None-Match"] == '"v1"'
    assert server.seen[1].headers["If-Modified-Since"] == LAST_MODIFIED
    assert leftovers(tmp_path) == []
    changed = get(server.url("/cpi.xlsx"), tmp_path, sleeps, etag='"v0"')
    assert changed.etag == '"v1"'


# -- retries --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "slept"),
    [
        (status(500), [1.0]),
        (status(502), [1.0]),
        (status(429), [1.0]),
        (status(503, {"Retry-After": "7"}), [7.0]),
        (status(503, {"Retry-After": "86400"}), [config.BACKOFF_CAP_SECONDS]),
        (status(503, {"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"}), [1.0]),
        (reset(), [1.0]),
        (short(BODY[:10], len(BODY)), [1.0]),
    ],
    ids=["500", "502", "429", "retry-after", "retry-after-capped", "retry-after-date", "reset",
         "short-body"],
)
def test_transient_failure_is_retried_after_a_backoff(
    server: LocalServer,
    tmp_path: Path,
    sleeps: list[float],
    first: Behaviour,
    slept: list[float],
) -> None:
    server.route("/cpi.xlsx", first, static(BODY))
    got = get(server.url("/cpi.xlsx"), tmp_path, sleeps, backoff=1.0)
    assert got.path.read_bytes() == BODY
    assert server.hits("/cpi.xlsx") == 2
    assert sleeps == slept
    assert leftovers(tmp_path) == [got.path]


def test_exhausted_retries_name_url_attempts_and_cause(
    server: LocalServer, tmp_path: Path, sleeps: list[float]
) -> None:
    server.route("/down", status(502))
    with pytest.raises(TransientFetchError) as caught:
        get(server.url("/down"), tmp_path, sleeps, retries=5, backoff=1.0)
    message = str(caught.value)
    assert server.url("/down") in message
    assert "6 attempts" in message
    assert "HTTP 502" in message
    assert server.hits("/down") == 6
    assert sleeps == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert leftovers(tmp_path) == []


def test_backoff_is_capped(server: LocalServer, tmp_path: Path, sleeps: list[float]) -> None:
    server.route("/down", status(500))
    with pytest.raises(TransientFetchError):
        get(server.url("/down"), tmp_path, sleeps, retries=3, backoff=10.0)
    assert sleeps == [10.0, 20.0, config.BACKOFF_CAP_SECONDS]


def test_slow_drip_past_the_read_timeout_is_retried(
    server: LocalServer, tmp_path: Path, sleeps: list[float]
) -> None:
    server.route("/slow", drip(BODY, pause=0.6))
    with pytest.raises(TransientFetchError, match="timed out"):
        get(server.url("/slow"), tmp_path, sleeps, timeout=(2.0, 0.15), retries=1)
    assert server.hits("/slow") == 2
    assert leftovers(tmp_path) == []
    server.route("/slow-once", drip(BODY, pause=0.6), static(BODY))
    got = get(server.url("/slow-once"), tmp_path, sleeps, timeout=(2.0, 0.15))
    assert got.path.read_bytes() == BODY


def test_refused_connection_is_transient(tmp_path: Path, sleeps: list[float]) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago has no listener now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransientFetchError, match="2 attempts"):
        get(f"http://127.0.0.1:{port}/x", tmp_path, sleeps, retries=1)
    assert len(sleeps) == 1


def test_other_4xx_fails_at_once(server: LocalServer, tmp_path: Path, sleeps: list[float]) -> None:
    with pytest.raises(FetchError, match="HTTP 404") as caught:
        get(server.url("/missing.xlsx"), tmp_path, sleeps)
    assert not isinstance(caught.value, TransientFetchError)
    assert server.url("/missing.xlsx") in str(caught.value)
    assert server.hits("/missing.xlsx") == 1
    assert sleeps == []
    assert leftovers(tmp_path) == []


# -- size limit -----------------------------------------------------------------------------------


def test_declared_length_over_limit_fails_before_reading(
    server: LocalServer, tmp_path: Path, sleeps: list[float]
) -> None:
    server.route("/big", static(b"x" * 200_000))
    with pytest.raises(TooLargeError, match="Content-Length says 200000 bytes"):
        get(server.url("/big"), tmp_path, sleeps, max_bytes=1000)
    assert server.hits("/big") == 1
    assert leftovers(tmp_path) == []


def test_streamed_body_crossing_the_limit_stops(
    server: LocalServer, tmp_path: Path, sleeps: list[float]
) -> None:
    server.route("/endless", unsized(b"x" * 1_000_000))
    with pytest.raises(TooLargeError, match="100000 byte limit"):
        get(server.url("/endless"), tmp_path, sleeps, max_bytes=100_000)
    assert server.hits("/endless") == 1
    assert sleeps == []
    assert leftovers(tmp_path) == []


# -- redirects ------------------------------------------------------------------------------------


def test_same_host_redirect_is_followed(
    server: LocalServer, tmp_path: Path, sleeps: list[float]
) -> None:
    server.route("/old.xlsx", redirect("/wp-content/new.xlsx", 301))
    server.route("/wp-content/new.xlsx", static(BODY))
    got = get(server.url("/old.xlsx"), tmp_path, sleeps)
    assert got.path.read_bytes() == BODY
    assert got.url == server.url("/old.xlsx")


def test_redirect_to_another_host_is_refused(
    server: LocalServer, tmp_path: Path, sleeps: list[float]
) -> None:
    elsewhere = server.url("/file.xlsx", host="localhost")
    server.route("/bounce", redirect(elsewhere))
    server.route("/file.xlsx", static(BODY))
    with pytest.raises(FetchError, match="outside the allowed hosts") as caught:
        get(server.url("/bounce"), tmp_path, sleeps)
    assert elsewhere in str(caught.value)
    assert server.hits("/file.xlsx") == 0
    assert sleeps == []
    got = get(server.url("/bounce"), tmp_path, sleeps, allowed_hosts={"127.0.0.1", "localhost"})
    assert got.path.read_bytes() == BODY


def test_redirect_loop_gives_up(server: LocalServer, tmp_path: Path, sleeps: list[float]) -> None:
    server.route("/loop", redirect("/loop"))
    with pytest.raises(FetchError, match="more than 5 redirects"):
        get(server.url("/loop"), tmp_path, sleeps)
    assert server.hits("/loop") == fetch.MAX_REDIRECTS + 1


# -- mirror ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.nso.gov.vn/wp-content/uploads/2024/07/CPI.xlsx",
         "www.nso.gov.vn/wp-content/uploads/2024/07/CPI.xlsx"),
        ("https://www.nso.gov.vn/bao-cao/", "www.nso.gov.vn/bao-cao/index.html"),
        ("https://www.nso.gov.vn/bao-cao-tinh-hinh/?paged=2",
         "www.nso.gov.vn/bao-cao-tinh-hinh/index.html@paged=2"),
        ("https://www.nso.gov.vn/archive?paged=2", "www.nso.gov.vn/archive@paged=2"),
        ("https://h/i?date=2000:2024&q=a/b*", "h/i@date=2000%3A2024&q=a%2Fb%2A"),
        ("https://WWW.NSO.gov.vn", "www.nso.gov.vn/index.html"),
        ("http://example.org:8080/a%20b.xlsx#top", "example.org+8080/a b.xlsx"),
        ("https://example.org:443/x.xls", "example.org/x.xls"),
    ],
)
def test_mirror_path_follows_wget_layout(url: str, expected: str) -> None:
    assert fetch.mirror_path(url, Path("/m")) == Path("/m") / expected


def test_mirror_path_refuses_to_escape_the_mirror() -> None:
    with pytest.raises(FetchError, match="escape the mirror"):
        fetch.mirror_path("https://h/a/../../etc/passwd", Path("/m"))


def test_fetch_from_mirror_reads_the_file_not_the_network(tmp_path: Path) -> None:
    mirror, dest = tmp_path / "mirror", tmp_path / "dest"
    page = mirror / "www.nso.gov.vn" / "cpi" / "index.html@paged=2"
    page.parent.mkdir(parents=True)
    page.write_bytes(b"<html>page 2</html>")
    got = fetch.fetch("https://www.nso.gov.vn/cpi/?paged=2", dest, mirror=mirror)
    assert got.from_mirror
    assert got.path.parent == dest
    assert got.path.read_bytes() == b"<html>page 2</html>"
    assert got.sha256 == hashlib.sha256(b"<html>page 2</html>").hexdigest()
    assert got.media_type == "text/html"
    assert page.exists()  # the mirror is read, never consumed


def test_mirror_comes_from_config_at_call_time(
    server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "mirror" / f"127.0.0.1+{server.port}" / "cpi.xlsx"
    target.parent.mkdir(parents=True)
    target.write_bytes(BODY)
    monkeypatch.setenv("CHISO_MIRROR", str(tmp_path / "mirror"))
    got = fetch.fetch(server.url("/cpi.xlsx"), tmp_path / "dest")
    assert got.from_mirror and got.path.read_bytes() == BODY
    assert server.seen == []


def test_missing_mirror_file_names_the_expected_path(tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    with pytest.raises(FetchError) as caught:
        fetch.fetch("https://www.nso.gov.vn/x.xlsx", dest, mirror=tmp_path)
    assert "https://www.nso.gov.vn/x.xlsx" in str(caught.value)
    assert str(tmp_path / "www.nso.gov.vn" / "x.xlsx") in str(caught.value)
    assert leftovers(dest) == []


def test_mirror_obeys_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "m" / "h" / "big.xlsx"
    big.parent.mkdir(parents=True)
    big.write_bytes(b"x" * 5000)
    with pytest.raises(TooLargeError):
        fetch.fetch("https://h/big.xlsx", tmp_path / "dest", mirror=tmp_path / "m", max_bytes=4999)
    assert leftovers(tmp_path / "dest") == []


# -- get_bytes, session, redaction -----------------------------------------------------------------


def test_get_bytes_reuses_retries_and_limit(server: LocalServer, sleeps: list[float]) -> None:
    server.route("/list/", status(503), static(b"<html>list</html>"))
    assert fetch.get_bytes(server.url("/list/"), mirror=None, sleep=sleeps.append) == (
        b"<html>list</html>"
    )
    assert sleeps == [config.BACKOFF_SECONDS]
    server.route("/huge/", static(b"x" * 2000))
    with pytest.raises(TooLargeError):
        fetch.get_bytes(server.url("/huge/"), mirror=None, max_bytes=1000)


def test_one_session_with_user_agent_and_system_trust_store() -> None:
    shared = fetch.session()
    assert fetch.session() is shared
    assert shared.headers["User-Agent"] == config.USER_AGENT
    assert shared.verify is True
    pool = shared.get_adapter("https://www.nso.gov.vn/").poolmanager  # type: ignore[attr-defined]
    assert isinstance(pool.connection_pool_kw["ssl_context"], truststore.SSLContext)


def test_an_untrusted_certificate_fails_at_once(
    tmp_path: Path, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    context = self_signed(tmp_path)
    if context is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with LocalServer(tls=context) as tls_server:
        tls_server.route("/cpi.xlsx", static(BODY))
        with pytest.raises(FetchError, match="TLS verification failed") as caught:
            get(tls_server.url("/cpi.xlsx"), tmp_path / "dest", sleeps)
    assert "certificate" in str(caught.value).lower()
    assert not isinstance(caught.value, TransientFetchError)
    assert tls_server.seen == [] and sleeps == []
    assert leftovers(tmp_path / "dest") == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://h/p?token=abc&paged=2", "https://h/p?token=REDACTED&paged=2"),
        ("https://h/p?paged=2&API_KEY=k1&x-amz-signature=s",
         "https://h/p?paged=2&API_KEY=REDACTED&x-amz-signature=REDACTED"),
        ("https://u:hunter2@h/p", "https://u:REDACTED@h/p"),
        ("https://h/p#access_token=t", "https://h/p#access_token=REDACTED"),
        ("https://h/key/page?paged=2", "https://h/key/page?paged=2"),
    ],
)
def test_redact(url: str, expected: str) -> None:
    assert fetch.redact(url) == expected


def test_secrets_stay_out_of_errors_and_logs(
    server: LocalServer, tmp_path: Path, sleeps: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    server.route("/data?token=s3cr3t&paged=2", status(500))
    caplog.set_level(logging.WARNING, logger="flows.fetch")
    with pytest.raises(TransientFetchError) as caught:
        get(server.url("/data?token=s3cr3t&paged=2"), tmp_path, sleeps, retries=2)
    assert server.hits("/data?token=s3cr3t&paged=2") == 3  # the real value was sent
    assert "s3cr3t" not in str(caught.value)
    assert "token=REDACTED" in str(caught.value)
    assert len(caplog.records) == 2
    assert all("s3cr3t" not in record.getMessage() for record in caplog.records)
