"""The autouse guard in conftest.py: tests reach 127.0.0.1 and ::1, never another machine."""

from __future__ import annotations

import contextlib
import socket

import pytest

from conftest import NetworkBlocked, NetworkGuard

# A private address nothing answers on: the guard must refuse it before any packet leaves.
REMOTE = ("10.255.255.1", 9)


def test_connect_to_another_machine_is_refused(network_guard: NetworkGuard) -> None:
    with socket.socket() as sock, pytest.raises(NetworkBlocked, match=r"10\.255\.255\.1"):
        sock.connect(REMOTE)
    with socket.socket() as sock, pytest.raises(NetworkBlocked, match="mark the test `live`"):
        sock.connect_ex(REMOTE)
    with pytest.raises(NetworkBlocked, match="create_connection"):
        socket.create_connection(REMOTE, timeout=0.1)
    assert len(network_guard.blocked) == 3
    network_guard.blocked.clear()  # refused as expected: do not fail this test for them


def test_a_refusal_fails_the_test_even_if_the_code_swallows_it(
    network_guard: NetworkGuard,
) -> None:
    with contextlib.suppress(Exception):  # code under test that tolerates network errors
        socket.create_connection(REMOTE, timeout=0.1)
    assert network_guard.blocked == ["socket.create_connection(('10.255.255.1', 9))"]
    network_guard.blocked.clear()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_is_allowed(host: str, network_guard: NetworkGuard) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        with socket.create_connection((host, port), timeout=5):
            pass
        with socket.socket() as client:
            assert client.connect_ex(("127.0.0.1", port)) == 0
    assert network_guard.blocked == []


def test_ipv6_loopback_is_allowed(network_guard: NetworkGuard) -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        server = socket.socket(socket.AF_INET6)
        server.bind(("::1", 0))
    except OSError:
        pytest.skip("::1 is not configured on this machine")
    with server:
        server.listen(1)
        with socket.socket(socket.AF_INET6) as client:
            client.connect(("::1", server.getsockname()[1]))
    assert network_guard.blocked == []


def test_unix_sockets_are_allowed(network_guard: NetworkGuard) -> None:
    left, right = socket.socketpair(socket.AF_UNIX)
    with left, right:
        left.sendall(b"x")
        assert right.recv(1) == b"x"
    assert network_guard.blocked == []
