"""A real HTTP server on 127.0.0.1 whose answer for each path is scripted, for download tests."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import struct
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

# How often serve_forever checks for shutdown; the default 0.5 s would dominate a short test.
POLL_SECONDS = 0.02

Behaviour = Callable[[BaseHTTPRequestHandler], None]


@dataclass(frozen=True)
class Seen:
    """One request the server received: the target (path and query) and its headers."""

    target: str
    headers: dict[str, str]


@dataclass
class _Route:
    """Behaviours answered in turn; the last one repeats for every later request."""

    behaviours: list[Behaviour]
    served: int = 0

    def next(self) -> Behaviour:
        index = min(self.served, len(self.behaviours) - 1)
        self.served += 1
        return self.behaviours[index]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a dripping handler must not hold up the end of a test

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client refusing our self-signed certificate is the point of that test


@dataclass
class LocalServer:
    """Start with `with LocalServer() as server:`; script paths with `server.route(...)`."""

    tls: ssl.SSLContext | None = None
    seen: list[Seen] = field(default_factory=list)
    _routes: dict[str, _Route] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._httpd = _Server(("127.0.0.1", 0), _handler_for(self))
        self.port = int(self._httpd.server_address[1])
        if self.tls is not None:
            self._httpd.socket = self.tls.wrap_socket(
                self._httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": POLL_SECONDS}, daemon=True
        )

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, target: str, host: str = "127.0.0.1") -> str:
        """The full URL of `target` ("/path?query") on this server, under `host`."""
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host}:{self.port}{target}"

    def route(self, target: str, *behaviours: Behaviour) -> None:
        """Answer requests for `target` with `behaviours` in turn, repeating the last."""
        self._routes[target] = _Route(list(behaviours))

    def hits(self, target: str) -> int:
        """How many requests for `target` arrived."""
        return sum(1 for seen in self.seen if seen.target == target)

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.seen.append(Seen(handler.path, dict(handler.headers.items())))
            route = self._routes.get(handler.path)
            behaviour = route.next() if route else status(404)
        # The client may hang up mid-answer (size limit, timeout); that is what the test wanted.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            behaviour(handler)


def self_signed(folder: Path) -> ssl.SSLContext | None:
    """A server TLS context with a new self-signed certificate for 127.0.0.1 (None: no openssl)."""
    if shutil.which("openssl") is None:
        return None
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # one request per connection; the body ends at close

        def do_GET(self) -> None:
            server.answer(self)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _head(handler: BaseHTTPRequestHandler, code: int, headers: dict[str, str]) -> None:
    handler.send_response(code)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()


def static(
    body: bytes,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    content_type: str = "application/octet-stream",
) -> Behaviour:
    """200 with `body`, ETag and Last-Modified; 304 when the client's validators match."""

    def serve(handler: BaseHTTPRequestHandler) -> None:
        validators = {"ETag": etag, "Last-Modified": last_modified}
        headers = {k: v for k, v in validators.items() if v is not None}
        matches = (etag is not None and handler.headers.get("If-None-Match") == etag) or (
            last_modified is not None
            and handler.headers.get("If-Modified-Since") == last_modified
        )
        if matches:
            _head(handler, 304, headers)
            return
        headers |= {"Content-Type": content_type, "Content-Length": str(len(body))}
        _head(handler, 200, headers)
        handler.wfile.write(body)

    return serve


def status(code: int, headers: dict[str, str] | None = None, body: bytes = b"") -> Behaviour:
    """A bare status with optional headers (Retry-After, Location) and body."""

    def serve(handler: BaseHTTPRequestHandler) -> None:
        _head(handler, code, {**(headers or {}), "Content-Length": str(len(body))})
        handler.wfile.write(body)

    return serve


def redirect(location: str, code: int = 302) -> Behaviour:
    """A redirect to `location`."""
    return status(code, {"Location": location})


def reset() -> Behaviour:
    """Hang up without sending a response (linger 0: the close ends in a TCP reset)."""

    def serve(handler: BaseHTTPRequestHandler) -> None:
        handler.connection.setsockopt(
            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
        )
        handler.close_connection = True

    return serve


def short(body: bytes, declared: int) -> Behaviour:
    """Promise `declared` bytes in Content-Length, send only `body`, then close."""

    def serve(handler: BaseHTTPRequestHandler) -> None:
        _head(handler, 200, {"Content-Length": str(declared)})
        handler.wfile.write(body)

    return serve


def unsized(body: bytes) -> Behaviour:
    """200 with no Content-Length: the body simply runs until the connection closes."""

    def serve(handler: BaseHTTPRequestHandler) -> None:
        _head(handler, 200, {"Content-Type": "application/octet-stream"})
        for start in range(0, len(body), 16 * 1024):
            handler.wfile.write(body[start : start + 16 * 1024])

    return serve


def drip(body: bytes, pause: float) -> Behaviour:
    """Send half the body, stall for `pause` seconds, then send the rest."""

    def serve(handler: BaseHTTPRequestHandler) -> None:
        _head(handler, 200, {"Content-Length": str(len(body))})
        half = len(body) // 2
        handler.wfile.write(body[:half])
        handler.wfile.flush()
        time.sleep(pause)
        handler.wfile.write(body[half:])

    return serve
