"""Network faults end to end: the GSO source flow against a local server standing in for
www.gso.gov.vn (the bundled mirror, its links pointing back at the server), with three of the
twelve workbooks misbehaving. tests/test_fetch.py covers each fault at the fetch level."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from flows.core import config

# flows.orchestration.flows is imported at collection: Prefect configures logging as its flow module
# loads, which inside a test would take caplog's handler off the root logger.
from flows.orchestration.flows import source_flow
from flows.sources import gso

from gso_site import XLSX, GsoSite, workbook
from httpserver import reset, static, status

HTML_PAGE = b"""<!DOCTYPE html>
<html><head><title>503 - Bao tri he thong</title></head>
<body><h1>He thong dang bao tri</h1><p>Xin vui long quay lai sau.</p></body></html>
"""
UPLOADS = "/wp-content/uploads/2024"
HTML_TARGET = f"{UPLOADS}/03/02-Bieu-3.2024-ngay-28.3-1.xlsx"  # March: an error page, status 200
BUSY_TARGET = f"{UPLOADS}/05/02-Bieu-so-lieu-T5.2024-1.xlsx"  # May: 503 + Retry-After, then OK
RESET_TARGET = f"{UPLOADS}/07/02-Bieu-so-lieu-T7.2024.xlsx"  # July: connection reset, then OK


@pytest.fixture
def site(warehouse_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GsoSite]:
    """GSO's site served locally with its three faults; retries back off for milliseconds."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setattr(config, "BACKOFF_SECONDS", 0.001)
    monkeypatch.setattr(config, "BACKOFF_CAP_SECONDS", 0.01)  # Retry-After: 120 waits 10 ms
    server = GsoSite()
    with server:
        server.route(HTML_TARGET, status(200, {"Content-Type": "text/html"}, HTML_PAGE))
        server.route(BUSY_TARGET, status(503, {"Retry-After": "120"}, b"busy"),
                     static(workbook(BUSY_TARGET), content_type=XLSX))
        server.route(RESET_TARGET, reset(), static(workbook(RESET_TARGET), content_type=XLSX))
        monkeypatch.setenv(gso.BASE_URL_ENV, server.url(""))
        yield server


def reported_rows(path: Path) -> set[tuple[object, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return set(con.execute(
            "select release_id, series_key, period_type, period_start, period_end, value "
            "from reported where release_id like 'gso:%'").fetchall())


@pytest.mark.slow
def test_faulty_workbooks_fail_alone_or_load_after_retries(
    prefect_harness: None, site: GsoSite, warehouse_env: Path, bundled_warehouse: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="flows.fetch")
    outcomes = source_flow("gso")

    by_period = {o.reference_period: o for o in outcomes}
    assert sorted(by_period) == [f"2024-{m:02d}" for m in range(1, 13)]
    march = by_period.pop("2024-03")
    assert march.status == "failed"
    assert "02-Bieu-3.2024-ngay-28.3-1.xlsx" in march.message
    assert "an HTML page (text/html" in march.message and "instead of the file" in march.message
    assert {o.status for o in by_period.values()} == {"new"}

    # Transient faults were retried once each; the HTML page was not retried.
    assert [site.hits(t) for t in (HTML_TARGET, BUSY_TARGET, RESET_TARGET)] == [1, 2, 2]
    retries = [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()]
    assert len(retries) == 2
    assert any("T5.2024-1.xlsx: attempt 1 of 5 failed (HTTP 503" in m for m in retries)
    assert any("T7.2024.xlsx: attempt 1 of 5 failed (ConnectionError" in m for m in retries)

    # Nothing of the HTML page reached the archive: no blob, no manifest line, no temp file.
    archive = warehouse_env.parent / "archive"
    manifest = [json.loads(line) for line in (archive / "manifest.jsonl").read_text().splitlines()]
    assert len(manifest) == 11
    assert not any(row["url"].endswith(HTML_TARGET) for row in manifest)
    page_sha = hashlib.sha256(HTML_PAGE).hexdigest()
    assert not list(archive.glob(f"sha256/*/{page_sha}*"))
    assert list((archive / "tmp").iterdir()) == []

    # Nor the warehouse; the other eleven releases hold exactly the demo warehouse's rows.
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        files = [f for (f,) in con.execute("select file_name from release order by 1").fetchall()]
        failures = con.execute("select count(*) from load_failure").fetchone()
    assert len(files) == 11 and "02-Bieu-3.2024-ngay-28.3-1.xlsx" not in files
    assert failures == (0,)
    expected = {row for row in reported_rows(bundled_warehouse)
                if not str(row[0]).startswith("gso:2024-03:")}
    assert reported_rows(warehouse_env) == expected
    hits = [site.hits(t) for t in (HTML_TARGET, BUSY_TARGET, RESET_TARGET)]
    print(f"\nGSO flow: 11 of 12 releases loaded, {len(expected)} reported rows as in the demo "
          f"warehouse; requests html/503/reset = {hits}; March: {march.message}")
