"""A scheduled poll's first question, against a real local server: one conditional request
per watched page; a 304, or a page linking to the same pages, is "nothing new"; a new link is
news, handed to discovery without a second request; the answer is kept only when remembered."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.watch import STATE_FILE, probe

from httpserver import LocalServer, static

LISTING = "/bao-cao/"
PAGE = (b"<html><body><!-- generated %s -->"
        b'<p><a href="https://example.org/2024/11/report/">November</a></p>%s</body></html>')
DECEMBER = b'<p><a href="https://example.org/2025/01/report/">December</a></p>'


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> LocalServer:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    return LocalServer()


def test_a_listing_with_an_etag_costs_one_304_until_it_changes(
    server: LocalServer, tmp_path: Path
) -> None:
    with server:
        url = server.url(LISTING)
        november = PAGE % (b"10:00", b"")
        server.route(LISTING, static(november, etag='"v1"', content_type="text/html"))
        first = probe([url], tmp_path, None)
        assert first.changed and first.requests == 1
        assert first.serving(lambda _: b"asked again")(url) == november
        first.remember()
        assert (tmp_path / STATE_FILE).is_file()

        again = probe([url], tmp_path, None)
        assert not again.changed and again.requests == 1
        assert server.seen[-1].headers.get("If-None-Match") == '"v1"'

        december = PAGE % (b"10:20", DECEMBER)
        server.route(LISTING, static(december, etag='"v2"', content_type="text/html"))
        posted = probe([url], tmp_path, None)
        assert posted.changed and posted.serving(lambda _: b"")(url) == december
        assert len(server.seen) == 3


def test_without_validators_only_new_links_are_news(server: LocalServer, tmp_path: Path) -> None:
    with server:
        url = server.url(LISTING)
        server.route(LISTING, static(PAGE % (b"10:00", b""), content_type="text/html"),
                     static(PAGE % (b"10:05", b""), content_type="text/html"),
                     static(PAGE % (b"10:10", DECEMBER), content_type="text/html"))
        probe([url], tmp_path, None).remember()
        regenerated = probe([url], tmp_path, None)  # the same links, another comment
        assert not regenerated.changed
        assert "If-None-Match" not in server.seen[-1].headers
        assert probe([url], tmp_path, None).changed


def test_a_poll_not_remembered_asks_in_full_again(server: LocalServer, tmp_path: Path) -> None:
    """A poll whose releases failed does not remember the page: the next one is news again."""
    with server:
        url = server.url(LISTING)
        server.route(LISTING, static(PAGE % (b"10:00", DECEMBER), etag='"v2"',
                                     content_type="text/html"))
        assert probe([url], tmp_path, None).changed  # not remembered
        retried = probe([url], tmp_path, None)
        assert retried.changed
        assert "If-None-Match" not in server.seen[-1].headers
