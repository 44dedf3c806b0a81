"""The scheduled service against a real `prefect server start` on 127.0.0.1, started and stopped
by this module: deployments, a run by hand through the worker, the schedules, the alerts."""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest
import yaml

from flows.core.calendars import due_days, expected_release
from flows.core.config import ROOT
from flows.core.errors import ConfigError
from flows.orchestration import schedule
from flows.orchestration.alerts import BLOCK_NAME, OVERDUE_EVENT, notification_block
from flows.orchestration.announce import PUBLISHED_EVENT
from flows.orchestration.service import POOL, Service, serve, status, stop

pytestmark = [
    pytest.mark.service,
    # apprise (behind Prefect's Slack and Teams blocks) still imports imghdr
    pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning"),
]

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# Bounded waits: a flow run through the worker takes ~10 s here, a notification ~1 s.
RUN_TIMEOUT_SECONDS = 120
# The worker takes only the runs sent to this queue: on a release day the schedules create runs
# due within minutes, which must not load the warehouse these tests inspect.
TEST_QUEUE = "tests"
NOTIFY_TIMEOUT_SECONDS = 60
DEPLOYMENTS = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1 that records the JSON bodies POSTed to it."""

    url: str
    posts: list[dict[str, Any]] = field(default_factory=list)

    def wait_for(self, *words: str) -> dict[str, Any]:
        """The first post whose text holds every word, polling up to NOTIFY_TIMEOUT_SECONDS."""
        deadline = time.monotonic() + NOTIFY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            for post in list(self.posts):
                if all(word in post.get("text", "") for word in words):
                    return post
            time.sleep(0.2)
        texts = [post.get("text", "") for post in self.posts]
        raise AssertionError(f"no notification with {words} in {NOTIFY_TIMEOUT_SECONDS} s; "
                             f"received: {texts}")


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    posts: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            posts.append(json.loads(body or b"{}"))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Receiver(f"http://127.0.0.1:{server.server_address[1]}/hook", posts)
    server.shutdown()
    server.server_close()


@dataclass
class Served:
    service: Service
    warehouse: Path
    seconds: float


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, receiver: Receiver) -> Iterator[Served]:
    """The whole service as `make serve` starts it, in a temporary PREFECT_HOME on a free port,
    loading from the bundled mirror into a temporary warehouse."""
    base = tmp_path_factory.mktemp("service")
    warehouse = base / "wh" / "chiso.duckdb"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CHISO_WAREHOUSE", str(warehouse))
        env.setenv("CHISO_ARCHIVE", str(base / "wh" / "archive"))
        env.setenv("CHISO_MIRROR", "bundled")
        env.setenv("CHISO_WEBHOOK_URL", receiver.url)
        env.setenv("PREFECT_WORKER_QUERY_SECONDS", "1")  # pick up runs at once (default 10 s)
        started = time.monotonic()
        try:
            service = serve(port=0, home=base / "prefect", work_queue=TEST_QUEUE)
            yield Served(service, warehouse, time.monotonic() - started)
        finally:
            stop(base / "prefect")


@pytest.fixture
def api(served: Served) -> Iterator[Served]:
    """Point this process's Prefect client at the service."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: served.service.api_url}):
        yield served


def test_serve_deploys_every_deployment_of_prefect_yaml(api: Served) -> None:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        pool = client.read_work_pool(POOL)
        assert (pool.type, pool.concurrency_limit) == ("process", 1)
        deployed = {d.name: d for d in client.read_deployments()}
        assert sorted(deployed) == sorted(d["name"] for d in DEPLOYMENTS)
        for spec in DEPLOYMENTS:
            deployment = deployed[spec["name"]]
            assert deployment.work_pool_name == POOL
            assert deployment.entrypoint == spec["entrypoint"]
            assert deployment.parameters == spec.get("parameters", {})
            stored = sorted(str(s.schedule.model_dump(exclude_none=True))
                            for s in deployment.schedules)
            assert stored == wanted_schedules(spec), spec["name"]
            if spec.get("build"):  # generated from the calendar: the runs are polls
                assert {json.dumps(s.parameters) for s in deployment.schedules} == {
                    '{"poll": true}'}, spec["name"]
        for name in ("chiso-release-overdue", "chiso-release-published", "chiso-run-failed"):
            assert len(client.read_automations_by_name(name)) == 1
    assert api.seconds < 120, f"serve took {api.seconds:.0f} s"


def test_serving_again_duplicates_nothing(api: Served, capsys: pytest.CaptureFixture[str]) -> None:
    from prefect.blocks.notifications import CustomWebhookNotificationBlock
    from prefect.client.orchestration import get_client

    again = serve(port=0, home=api.service.home)
    assert again == api.service
    out = capsys.readouterr().out
    assert "server: already running" in out and "worker: already running" in out
    with get_client(sync_client=True) as client:
        assert len(client.read_deployments()) == len(DEPLOYMENTS)
        automations = [a.name for a in client.read_automations()]
        assert sorted(automations) == [
            "chiso-release-overdue", "chiso-release-published", "chiso-run-failed"]
        blocks = [b.name for b in client.read_block_documents() if b.name == BLOCK_NAME]
        assert blocks == [BLOCK_NAME]
    assert CustomWebhookNotificationBlock.load(BLOCK_NAME).url.startswith("http://127.0.0.1:")


def test_a_deployment_run_by_hand_loads_its_release(api: Served) -> None:
    from prefect.deployments import run_deployment

    run = run_deployment("source/gso", parameters={"source": "gso", "period": "2024-09"},
                         timeout=RUN_TIMEOUT_SECONDS, poll_interval=1, work_queue_name=TEST_QUEUE)
    assert run.state is not None and run.state.is_completed(), run.state
    with duckdb.connect(str(api.warehouse), read_only=True) as con:
        releases = con.execute("select source, reference_period, file_name from release")
        assert releases.fetchall() == [("gso", "2024-09", "2.Bieu-T9.2024.xlsx")]


def wanted_schedules(spec: dict[str, Any]) -> list[str]:
    """A deployment's schedules as prefect.yaml asks: its crons, or for a calendar source
    (a build step) its RRule sets generated today (flows/orchestration/schedule.py)."""
    from prefect.client.schemas.schedules import CronSchedule, RRuleSchedule

    made: list[CronSchedule | RRuleSchedule]
    if spec.get("build"):
        made = [RRuleSchedule(rrule=rrule, timezone=schedule.TIMEZONE)
                for rrule in schedule.calendar_polls(spec["parameters"]["source"])["years"]]
    else:
        made = [CronSchedule(cron=s["cron"], timezone=s["timezone"])
                for s in spec.get("schedules", [])]
    return sorted(str(m.model_dump(exclude_none=True)) for m in made)


def poll_times(deployment: Any, start: datetime, n: int) -> list[datetime]:
    """The next `n` runs after `start` of a deployment's schedules, as stored on the server,
    computed by the server's own schedule code."""
    from prefect.server.schemas import schedules

    times: list[datetime] = []
    for stored in deployment.schedules:
        kind = getattr(schedules, type(stored.schedule).__name__)
        server = kind.model_validate(stored.schedule.model_dump())
        times += asyncio.run(server.get_dates(n=n, start=start))
    return sorted(times)[:n]


def local(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VIETNAM)


def every_five_minutes(day: date, opens: int, closes: int) -> list[datetime]:
    """A due day's polls: every five minutes from `opens` o'clock until `closes` o'clock."""
    return [local(day, hour, minute) for hour in range(opens, closes)
            for minute in range(0, 60, 5)]


def days(start: date, count: int) -> list[date]:
    return [start + timedelta(days=n) for n in range(count)]


def test_gso_is_polled_on_its_release_days(api: Served) -> None:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        gso = client.read_deployment_by_name("source/gso")

    def polls(after: datetime, n: int) -> list[datetime]:
        return poll_times(gso, after, n)

    # Tết 2027 covers 6-10 February: January's report moves to Thursday the 11th: polled
    # every five minutes 08:00-18:00 (Vietnam) that day, then daily 09:30 for nine days.
    assert expected_release("gso", "2027-01") == date(2027, 2, 11)
    assert polls(local(date(2027, 2, 1), 0, 0), 130) == [
        *every_five_minutes(date(2027, 2, 11), 8, 18),
        *[local(d, 9, 30) for d in days(date(2027, 2, 12), 9)], local(date(2027, 3, 6), 8, 0)]
    # A weekend does not move the release: 6 March 2027 is a Saturday.
    assert polls(local(date(2027, 3, 6), 0, 0), 1) == [local(date(2027, 3, 6), 8, 0)]
    # Every report the calendar expects until 2030 (deployed now: until the end of the fifth
    # year) is polled through its day.
    for year in range(2027, 2031):
        for expected in due_days("gso", year):
            assert polls(local(expected, 0, 0), 120) == every_five_minutes(expected, 8, 18), (
                expected)


def test_the_server_has_scheduled_the_next_polls(api: Served) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId

    deadline = time.monotonic() + NOTIFY_TIMEOUT_SECONDS
    with get_client(sync_client=True) as client:
        gso = client.read_deployment_by_name("source/gso")
        only_gso = DeploymentFilter(id=DeploymentFilterId(any_=[gso.id]))
        while not (runs := [r for r in client.read_flow_runs(deployment_filter=only_gso)
                            if r.state_type is not None and r.state_type.value == "SCHEDULED"]):
            assert time.monotonic() < deadline, "the scheduler created no gso runs"
            time.sleep(0.5)
    starts = sorted(r.expected_start_time.astimezone(VIETNAM) for r in runs
                    if r.expected_start_time is not None)
    assert all(s.minute % 5 == 0 for s in starts), starts
    # The first is the next poll due (or, on a release day, one already due: the test worker
    # leaves the schedules' runs alone); each is a time of the schedules (the server creates
    # each schedule's next runs, so together they need not be consecutive).
    assert starts[0] <= poll_times(gso, datetime.now(VIETNAM), 1)[0]
    assert set(starts) <= set(poll_times(gso, starts[0] - timedelta(seconds=1), 2000))
    assert {json.dumps(r.parameters, sort_keys=True) for r in runs} == {
        '{"poll": true, "source": "gso"}'}


def test_the_city_reports_are_polled_around_the_end_of_the_month(api: Served) -> None:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        city = client.read_deployment_by_name("source/haiphong_stats")
    assert expected_release("haiphong_stats", "2027-01") == date(2027, 1, 29)
    assert poll_times(city, local(date(2027, 1, 20), 0, 0), 149) == [
        *every_five_minutes(date(2027, 1, 29), 8, 20),
        *[local(d, 18, 0) for d in days(date(2027, 1, 30), 5)]]  # 30 Jan .. 3 Feb
    assert expected_release("haiphong_stats", "2027-02") == date(2027, 2, 28)


def emit(api_url: str, event: str, resource: dict[str, str], payload: dict[str, Any]) -> None:
    """Send one event to the server the way `prefect.events.emit_event` does."""
    from prefect.events.clients import PrefectEventsClient
    from prefect.events.schemas.events import Event, Resource

    async def send() -> None:
        async with PrefectEventsClient(api_url=api_url) as client:
            await client.emit(Event(event=event, resource=Resource(resource), payload=payload))

    asyncio.run(send())


def test_an_overdue_release_sends_a_notification(api: Served, receiver: Receiver) -> None:
    expected = expected_release("haiphong_stats", "2025-01")
    assert expected is not None
    emit(api.service.api_url, OVERDUE_EVENT, {"prefect.resource.id": "chiso.source.haiphong_stats"},
         {"source": "haiphong_stats", "period": "2025-01", "expected": expected.isoformat()})
    post = receiver.wait_for("haiphong_stats", "2025-01", "is overdue", "expected on 2025-01-29")
    assert post["subject"] == "chiso: haiphong_stats 2025-01 is overdue"


def test_a_published_release_is_forwarded_with_its_headline_figures(
    api: Served, receiver: Receiver,
) -> None:
    headline = [{"indicator": "IIP", "geo": "VN", "period_type": "M", "period_end": "2024-12-31",
                 "value": 108.84, "unit": "INDEX", "measure": "index_yoy"},
                {"indicator": "EXPORTS", "geo": "VN", "period_type": "M",
                 "period_end": "2024-12-31", "value": 36620.512345, "unit": "USD_MN",
                 "measure": "level"}]
    emit(api.service.api_url, PUBLISHED_EVENT, {"prefect.resource.id": "chiso.source.gso"},
         {"source": "gso", "period": "2024-12", "file": "02.Bieu-T12.2024.xlsx",
          "figures": 5040, "headline": headline})
    post = receiver.wait_for("gso has published 2024-12", "IIP VN M to 2024-12-31: 108.84 INDEX",
                             "EXPORTS VN M to 2024-12-31: 36620.51 USD_MN (level)")
    assert post["subject"] == "chiso: gso 2024-12 is out"


def test_a_failed_run_sends_a_notification(api: Served, receiver: Receiver) -> None:
    from prefect.deployments import run_deployment

    run = run_deployment("source/gso", parameters={"source": "no-such-source"},
                         timeout=RUN_TIMEOUT_SECONDS, poll_interval=1, work_queue_name=TEST_QUEUE)
    assert run.state is not None and run.state.is_failed(), run.state
    post = receiver.wait_for("no-such-source", "Failed", "unknown source 'no-such-source'")
    assert post["subject"] == "chiso: flow run no-such-source Failed"
    assert f"{api.service.ui_url}/runs/flow-run/{run.id}" in post["body"]


def test_status_says_what_runs(api: Served) -> None:
    text = status(api.service.home)
    assert "server: running" in text and "worker: running" in text
    assert f"UI {api.service.ui_url}" in text
    assert "source/gso               next " in text and "chiso-run/all-sources    by hand" in text
    assert "source/gso Completed" in text  # the run by hand
    assert "source/no-such-source Failed: Flow run encountered an exception: ConfigError" in text


@pytest.mark.parametrize(("url", "kind"), [
    ("https://hooks.slack.com/services/T0/B0/XXXX", "Slack Webhook"),
    ("https://prod-01.westeurope.logic.azure.com:443/workflows/ab12/triggers/manual/paths/invoke"
     "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SIG",
     "Microsoft Teams Webhook"),
    ("https://relay.example.org/hooks/chiso-to-email", "Custom Webhook"),
])
def test_each_webhook_gets_its_block(url: str, kind: str) -> None:
    assert notification_block(url).get_block_type_name() == kind


def test_a_malformed_webhook_is_one_clear_error() -> None:
    with pytest.raises(ConfigError, match=r"CHISO_WEBHOOK_URL \(host prod-01.westeurope.logic"):
        notification_block("https://prod-01.westeurope.logic.azure.com/not-a-workflow")


def test_stop_ends_every_process(served: Served) -> None:
    """Last: stop the service the module started (its fixture's own stop then does nothing)."""
    home = served.service.home
    pids = [int((home / f"{name}.pid").read_text()) for name in ("server", "worker")]
    stopped = stop(home)
    assert [s.split()[0] for s in stopped] == ["worker", "server"]
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert status(home) == "chiso service: not running (start it with `make serve`)"
    assert stop(home) == []
