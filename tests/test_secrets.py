"""API keys: looked up from the environment or a Prefect Secret block, sent to a local server that
requires them, and never seen in logs, Prefect run logs, the manifest, artifacts, the warehouse
or error messages, even when the server fails with the key in the requested URL."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit

import duckdb
import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings
from pydantic import SecretStr

from flows import fetch
from flows.core import config, sdmx_catalog, secrets
from flows.core.config import BUNDLED_MIRROR
from flows.core.errors import ConfigError, TransientFetchError

# Imported at collection: Prefect configures logging as its flow module loads, which inside a
# test would take caplog's handler off the root logger.
from flows.orchestration.flows import source_flow
from flows.pipeline import Outcome
from flows.sources import sdmx

from httpserver import LocalServer, Seen, reset, status

# '/', '+' and '=' make the key's URL-encoded form differ from the key itself.
KEY = "k3y-Zq9/+x=TAIL5ECRET"
TAIL = "TAIL5ECRET"  # any text holding this holds some form of the key
PARAM = sdmx.API_KEY.name
# Where each provider's answers live in the bundled mirror, by the path prefix served locally.
PROVIDERS = {"ECB": "https://data-api.ecb.europa.eu/service",
             "IMF": "https://api.imf.org/external/sdmx/2.1"}
DAILY = "/ECB/data/EXR/D.NZD+RUB.EUR.SP00.A?format=jsondata"
ZINC = "/IMF/data/PCPS/M.W00.PZINC"


@dataclass
class KeyedMirror(LocalServer):
    """The SDMX providers of the bundled mirror behind a key: 401 without it. After the first
    answer for a target (discovery), `faults[target]` scripts the next ones, the last repeating;
    targets are written without the key."""

    faults: dict[str, list[int | str]] = field(default_factory=dict)
    served: dict[str, int] = field(default_factory=dict)

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        query = parse_qsl(parts.query)
        others = urlencode([pair for pair in query if pair[0] != PARAM])
        bare = parts.path + (f"?{others}" if others else "")
        with self._lock:
            self.seen.append(Seen(handler.path, dict(handler.headers.items())))
            count = self.served[bare] = self.served.get(bare, 0) + 1
        if dict(query).get(PARAM) != KEY:
            return status(401, body=f"no key for {handler.path}".encode())(handler)
        script = self.faults.get(bare, [])
        fault = script[min(count - 2, len(script) - 1)] if count > 1 and script else None
        if fault == "reset":
            return reset()(handler)
        if fault == "garbage":
            return status(200, {"Content-Type": "application/json"}, b"not an SDMX message")(
                handler)
        if isinstance(fault, int):  # the body echoes the target, key included, as servers do
            return status(fault, body=f"failed: {handler.path}".encode())(handler)
        prefix, rest = bare[1:].split("/", 1)
        body = fetch.mirror_path(f"{PROVIDERS[prefix]}/{rest}", BUNDLED_MIRROR).read_bytes()
        return status(200, {"Content-Type": "application/xml"}, body)(handler)


class Refusing(LocalServer):
    """Answers 403 to every request: a Prefect API behind a gateway that refuses us."""

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        status(403, body=b"forbidden")(handler)


@pytest.fixture
def keyed_sdmx(warehouse_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KeyedMirror]:
    """The SDMX source pointed at a local server that requires KEY; retries without waiting."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setattr(config, "BACKOFF_SECONDS", 0.001)
    monkeypatch.delenv(secrets.env_name("sdmx"), raising=False)
    server = KeyedMirror()
    with server:
        base = f"http://127.0.0.1:{server.port}"
        local = {name: replace(p, base_url=f"{base}/{name}")
                 for name, p in sdmx_catalog.providers().items()}
        monkeypatch.setattr(sdmx_catalog, "providers", lambda: local)
        yield server


@dataclass
class Leaks:
    """Where the key was looked for after a run, and how many items each place held."""

    places: dict[str, list[str]]

    def found(self) -> dict[str, int]:
        return {place: sum(TAIL in text for text in texts) for place, texts in self.places.items()}

    def counts(self) -> dict[str, int]:
        return {place: len(texts) for place, texts in self.places.items()}


def run_and_collect(
    caplog: pytest.LogCaptureFixture, warehouse: Path
) -> tuple[list[Outcome], Leaks]:
    """Run the SDMX source flow; gather every text the run left where the key could leak."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        LogFilter,
        LogFilterFlowRunId,
    )
    from prefect.logging.handlers import APILogHandler

    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="urllib3")  # logs every request line, key included
    state = source_flow("sdmx", return_state=True)
    outcomes = state.result()
    run_id = state.state_details.flow_run_id
    assert run_id is not None
    APILogHandler().flush()
    with get_client(sync_client=True) as client:
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))
        run = client.read_flow_run(run_id)
    archive = warehouse.parent / "archive"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        failures = [json.dumps(row, default=str) for row in
                    con.execute("select * from load_failure").fetchall()]
        releases = [json.dumps(row, default=str) for row in
                    con.execute("select * from release").fetchall()]
    handler = logging.Formatter()
    return outcomes, Leaks({
        "caplog records": [handler.format(r) for r in caplog.records],
        "prefect run logs": [log.message for log in logs],
        "manifest lines": (archive / "manifest.jsonl").read_text().splitlines(),
        "artifacts": [f"{a.key} {json.dumps(a.data)} {a.description}" for a in artifacts],
        "load_failure rows": failures,
        "release rows": releases,
        "outcome messages": [o.message for o in outcomes],
        "flow run state": [f"{run.state_name} {run.state.message if run.state else ''}"],
    })


def check_run(server: KeyedMirror, outcomes: list[Outcome], leaks: Leaks, code: int) -> None:
    statuses = sorted(o.status for o in outcomes)
    assert statuses == ["failed", "failed", "new"], outcomes
    assert all(f"{PARAM}={quote_plus(KEY)}" in s.target for s in server.seen)  # always sent
    assert server.served[ZINC] >= 2 and server.served[DAILY] == 2
    failed = [o.message for o in outcomes if o.status == "failed"]
    assert any(f"HTTP {code}" in m and "M.W00.PZINC" in m for m in failed), failed
    assert leaks.found() == dict.fromkeys(leaks.places, 0), leaks.found()
    counts = leaks.counts()
    assert counts["load_failure rows"] == 1 and counts["release rows"] == 1
    keys = {text.split(" ", 1)[0] for text in leaks.places["artifacts"]}
    assert {"chiso-sdmx-run", "chiso-sdmx-quality"} <= keys and counts["prefect run logs"] > 0
    masked = sum(secrets.MASK in text for text in leaks.places["caplog records"])
    assert masked > 0  # urllib3's request lines carried the key and were masked
    print(f"\nHTTP {code}: searched {counts}; key found {leaks.found()}; "
          f"{masked} log records masked")


def test_a_key_from_the_environment_never_leaks(
    prefect_harness: None, keyed_sdmx: KeyedMirror, warehouse_env: Path,
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(secrets.env_name("sdmx"), KEY)
    keyed_sdmx.faults = {DAILY: ["garbage"], ZINC: ["reset", 500]}
    outcomes, leaks = run_and_collect(caplog, warehouse_env)
    check_run(keyed_sdmx, outcomes, leaks, 500)
    retried = [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()]
    assert len(retried) == config.MAX_RETRIES  # a reset, then 500s: retried, named without key
    assert all(m.startswith(keyed_sdmx.url(ZINC) + ": attempt") for m in retried)


def test_a_key_from_a_prefect_secret_block_never_leaks(
    prefect_harness: None, keyed_sdmx: KeyedMirror, warehouse_env: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from prefect.blocks.system import Secret

    Secret(value=SecretStr(KEY)).save(secrets.block_name("sdmx"), overwrite=True)
    try:
        keyed_sdmx.faults = {DAILY: ["garbage"], ZINC: [401]}
        outcomes, leaks = run_and_collect(caplog, warehouse_env)
    finally:
        Secret.delete(secrets.block_name("sdmx"))
    check_run(keyed_sdmx, outcomes, leaks, 401)


# -- lookup, masking, and the log filter as plain functions ---------------------------------------


def test_names_follow_the_source() -> None:
    assert secrets.env_name("haiphong_stats") == "CHISO_HAIPHONG_STATS_API_KEY"
    assert secrets.block_name("haiphong_stats") == "chiso-haiphong-stats-api-key"


def test_no_key_and_no_server_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHISO_WORLDBANK_API_KEY", raising=False)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        assert secrets.api_key("worldbank") is None
        assert secrets.credential("worldbank", None) is None


def test_the_environment_comes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHISO_WORLDBANK_API_KEY", " wb-env-key-123 ")
    found = secrets.credential("worldbank", secrets.ApiKey("X-Key"))
    assert found is not None and found.headers() == {"X-Key": "wb-env-key-123"}
    assert found.params() == {} and "wb-env-key-123" not in repr(found)
    assert secrets.scrub("GET /x?k=wb-env-key-123") == "GET /x?k=***"


def test_an_unreadable_block_is_one_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.delenv("CHISO_SDMX_API_KEY", raising=False)
    with (
        Refusing() as server,
        temporary_settings(updates={PREFECT_API_URL: server.url("/api")}),
        pytest.raises(ConfigError) as caught,
    ):
        secrets.api_key("sdmx")
    message = str(caught.value)
    assert "Prefect Secret block 'chiso-sdmx-api-key' could not be read" in message
    assert server.url("/api") in message and "CHISO_SDMX_API_KEY" in message
    assert "\n" not in message.strip()


def test_the_filter_masks_every_logger_and_traceback(caplog: pytest.LogCaptureFixture) -> None:
    value = "flt-Key/+=99ZZ"
    secrets.register(value)
    caplog.set_level(logging.DEBUG)
    for name in ("flows.fetch", "prefect.engine", "prefect", "somelib.child"):
        logging.getLogger(name).warning("GET %s and %s", f"/a?k={value}", quote_plus(value))
    try:
        raise RuntimeError(f"boom at /b?k={value}")
    except RuntimeError:
        logging.getLogger("flows.pipeline").exception("failed")
    assert all(secrets.MASK in r.getMessage() for r in caplog.records[:4])
    assert "99ZZ" not in caplog.text
    assert all(secrets.FILTER in logging.getLogger(n).filters for n in secrets.LOGGERS)


def test_network_errors_are_scrubbed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A key in a parameter whose name looks harmless; requests' error text names the URL."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    value = "plain-Value-77QQ"
    secrets.register(value)
    with LocalServer() as server:
        url = server.url("/f.json")  # nobody listens there once the server is gone
    found = secrets.Credential(secrets.ApiKey("sid", "query"), value)
    with secrets.using(found), pytest.raises(TransientFetchError) as caught:
        fetch.fetch(url, tmp_path, mirror=None, retries=1, sleep=lambda _s: None)
    assert "Max retries exceeded with url: /f.json?sid=***" in str(caught.value)
    assert "77QQ" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []
