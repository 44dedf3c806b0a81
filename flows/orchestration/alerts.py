"""Alerts: the notification block and the three automations that use it, created idempotently.

`chiso-release-overdue` fires on the `chiso.release.overdue` event a source flow emits when a
release the calendar expects has not arrived; `chiso-release-published` forwards the
`chiso.release.published` event a source flow emits once it has loaded and published a new
release, with its headline figures; `chiso-run-failed` fires when a run of one of chiso's
flows fails or crashes. All send through one block made from `CHISO_WEBHOOK_URL`; without it
they still fire (the UI's event feed shows them) but send nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit
from uuid import UUID

from prefect.automations import (
    Automation,
    DoNothing,
    EventTrigger,
    Posture,
    SendNotification,
)
from prefect.blocks.abstract import NotificationBlock
from prefect.blocks.notifications import (
    CustomWebhookNotificationBlock,
    MicrosoftTeamsWebhook,
    SlackWebhook,
)
from prefect.client.orchestration import get_client

from flows.core.errors import ConfigError
from flows.orchestration.announce import PUBLISHED_EVENT

BLOCK_NAME = "chiso-alerts"
OVERDUE_EVENT = "chiso.release.overdue"
# Flow runs that end in these states alert; Crashed is the process dying (killed, out of memory).
FAILED_EVENTS = ("prefect.flow-run.Failed", "prefect.flow-run.Crashed")
# The generic webhook's JSON body: `text` is what Slack and Teams incoming webhooks show;
# `subject` and `body` are there for relays that turn a webhook into an e-mail.
WEBHOOK_JSON = {"text": "{{subject}}\n{{body}}", "subject": "{{subject}}", "body": "{{body}}"}
# Hosts that have a dedicated Prefect block (formatting their own way); any other URL gets the
# generic JSON webhook above.
DEDICATED_BLOCKS: dict[str, type[NotificationBlock]] = {
    "hooks.slack.com": SlackWebhook,
    "logic.azure.com": MicrosoftTeamsWebhook,        # Teams Workflows ("Power Automate")
    "powerautomate.com": MicrosoftTeamsWebhook,
}


@dataclass(frozen=True)
class Alert:
    """One automation: its name, the events it reacts to, what it sends."""

    name: str
    description: str
    trigger: EventTrigger
    subject: str
    body: str


def webhook_url() -> str | None:
    """`CHISO_WEBHOOK_URL`, or None when unset (alerts then send nothing)."""
    return os.environ.get("CHISO_WEBHOOK_URL", "").strip() or None


def notification_block(url: str) -> NotificationBlock:
    """The block for `url`: Slack's or Teams' own block for their hosts, else a JSON webhook."""
    host = (urlsplit(url).hostname or "").lower()
    for suffix, kind in DEDICATED_BLOCKS.items():
        if host == suffix or host.endswith("." + suffix):
            try:
                return kind(url=url)  # type: ignore[call-arg]
            except ValueError as exc:  # the URL is a secret: name its host only
                raise ConfigError(f"CHISO_WEBHOOK_URL (host {host}) is not a valid "
                                  f"{kind.get_block_type_name()} URL: copy it again from the "
                                  f"channel's webhook settings ({type(exc).__name__})") from None
    return CustomWebhookNotificationBlock(name="chiso", url=url, json_data=WEBHOOK_JSON,
                                          headers=None, cookies=None)


def _each_source(event: str) -> EventTrigger:
    """Fire on every `event` a chiso source emits (resource chiso.source.<name>)."""
    return EventTrigger(expect={event}, match={"prefect.resource.id": "chiso.source.*"},
                        posture=Posture.Reactive, threshold=1)


def overdue_alert() -> Alert:
    return Alert(
        name="chiso-release-overdue",
        description="A release the publisher's calendar expects has not arrived in time.",
        trigger=_each_source(OVERDUE_EVENT),
        subject="chiso: {{ event.payload.source }} {{ event.payload.period }} is overdue",
        body=(
            "{{ event.payload.source }} has not published its release for "
            "{{ event.payload.period }}, expected on {{ event.payload.expected }}. "
            "Check the publisher's site; once it is out, run: prefect deployment run "
            "'source/{{ event.payload.source }}' --param period={{ event.payload.period }}"
        ),
    )


def published_alert() -> Alert:
    """The announcement of a new release: its source, period and headline figures."""
    return Alert(
        name="chiso-release-published",
        description="A new release is loaded and published: its headline figures.",
        trigger=_each_source(PUBLISHED_EVENT),
        subject="chiso: {{ event.payload.source }} {{ event.payload.period }} is out",
        body=(
            "{{ event.payload.source }} has published {{ event.payload.period }} "
            "({{ event.payload.file }}, {{ event.payload.figures }} figures), now in v_latest:"
            "{% for f in event.payload.headline %}\n{{ f.indicator }} {{ f.geo }} "
            "{{ f.period_type }} to {{ f.period_end }}: {{ '%.2f'|format(f.value) }} {{ f.unit }}"
            " ({{ f.measure }}){% endfor %}"
        ),
    )


def failed_alert(flow_names: list[str]) -> Alert:
    return Alert(
        name="chiso-run-failed",
        description="A run of one of chiso's flows failed or crashed.",
        trigger=EventTrigger(
            expect=set(FAILED_EVENTS),
            match={"prefect.resource.id": "prefect.flow-run.*"},
            match_related={"prefect.resource.role": "flow",
                           "prefect.resource.name": sorted(flow_names)},
            posture=Posture.Reactive,
            threshold=1,
        ),
        subject="chiso: flow run {{ flow_run.name }} {{ flow_run.state.name }}",
        body=(
            "Flow {{ flow.name }}, run {{ flow_run.name }}: {{ flow_run.state.name }}: "
            "{{ flow_run.state.message }}\nParameters: {{ flow_run.parameters }}\n"
            "{{ flow_run|ui_url }}"
        ),
    )


def ensure_alerts(flow_names: list[str], url: str | None) -> dict[str, UUID]:
    """Save the block (when `url` is given) and create or update the automations; returns
    each automation's id. Running it again changes them in place, never duplicates them."""
    block_id: UUID | None = None
    if url:
        saved = notification_block(url).save(BLOCK_NAME, overwrite=True)
        assert isinstance(saved, UUID)  # the synchronous call returns the id
        block_id = saved
    return {alert.name: _upsert(alert, block_id)
            for alert in (overdue_alert(), published_alert(), failed_alert(flow_names))}


def _upsert(alert: Alert, block_id: UUID | None) -> UUID:
    action = (SendNotification(block_document_id=block_id, subject=alert.subject, body=alert.body)
              if block_id else DoNothing())
    wanted = Automation(name=alert.name, description=alert.description, enabled=True,
                        trigger=alert.trigger, actions=[action])
    with get_client(sync_client=True) as client:
        existing = client.read_automations_by_name(alert.name)
        for duplicate in existing[1:]:
            client.delete_automation(duplicate.id)
    if not existing:
        created = wanted.create()
        assert isinstance(created, Automation) and created.id is not None  # synchronous call
        return created.id
    wanted.id = existing[0].id
    wanted.update()
    return existing[0].id
