"""A queued request's media facts and flags through real stores (rev23m).

fix23m kept each file's MediaInfo and the flags (prior_consent...) in the outbox.
Here: they come back from SQLite and PostgreSQL as from memory, and a kept
prior_consent waives quiet hours only: consent is decided again at send time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from smskit import (
    ErrorCategory,
    MemoryOutbox,
    Messenger,
    Outbox,
    OutboxEntry,
    OutboxState,
    PostgresOutbox,
    SendRequest,
    SQLiteOutbox,
)

from .test_media_needs_urls import AT, BODY, GIF, LEAD, _rig

URL = "https://lv.example/12-main.gif"
Damage = Callable[[dict[str, object]], str]


def _media_only_retry_is_sent(outbox: Outbox) -> None:
    rig, provider, toll_free = _rig(channels=("mms",))
    messenger = Messenger(provider, rig.pipeline, rig.ledger, rig.history, outbox,
                          senders=[toll_free])
    provider.fail_next(ErrorCategory.RATE_LIMITED)
    request = SendRequest(LEAD, body="", media=(GIF,), idempotency_key="photo-store")
    assert messenger.send(request, toll_free, AT, media_urls=[URL]).outcome.value == "failed"
    (retried,) = messenger.send_due(AT + timedelta(hours=1))
    assert retried.outcome.value == "sent", retried.reason
    assert provider.messages[-1].media_urls == (URL,)


def test_a_media_only_retry_through_sqlite(tmp_path: Path) -> None:
    with SQLiteOutbox(tmp_path / "outbox.db") as box:
        _media_only_retry_is_sent(box)


def test_a_media_only_retry_through_postgres(postgres_dsn: str, pg_schema: str) -> None:
    with PostgresOutbox(postgres_dsn, schema=pg_schema) as box:
        box.create_schema()
        _media_only_retry_is_sent(box)


def test_a_kept_prior_consent_does_not_outlive_a_stop() -> None:
    # A waiver is no consent: a STOP while the request waits blocks it at send time.
    messenger, provider, toll_free = _rig()
    provider.fail_next(ErrorCategory.RATE_LIMITED)
    request = SendRequest(LEAD, body=BODY, prior_consent=True, idempotency_key="pc-stop")
    assert messenger.send(request, toll_free, AT).outcome.value == "failed"
    messenger.ledger.revoke(LEAD, scope="lv", at=AT + timedelta(minutes=5))
    (due,) = messenger.send_due(AT + timedelta(hours=1))
    assert due.outcome.value == "blocked"
    assert "revoked" in (due.reason or "")
    assert len(provider.messages) == 0
    assert messenger.outbox.get("pc-stop").state.value == "failed"


def test_an_entry_queued_by_the_previous_version_blocks_as_documented() -> None:
    # Its request kept no media facts and no flags: a photo with no text is blocked on
    # its retry (content.empty, docs/messenger.md), and the entry ends failed, not stuck.
    messenger, provider, toll_free = _rig(channels=("mms",))
    provider.fail_next(ErrorCategory.RATE_LIMITED)
    request = SendRequest(LEAD, body="", media=(GIF,), idempotency_key="old-photo")
    messenger.send(request, toll_free, AT, media_urls=[URL])
    entry = messenger.outbox.get("old-photo")
    assert entry is not None
    data = json.loads(entry.payload)
    for name in ("media", "first_message", "prior_consent", "opt_out_confirmation"):
        del data["request"][name]
    messenger.outbox.update("old-photo", entry.state, at=AT, payload=json.dumps(data))
    (due,) = messenger.send_due(AT + timedelta(hours=1))
    assert due.outcome.value == "blocked"
    assert due.decision is not None
    assert "content.empty" in {finding.code for finding in due.decision.findings}
    assert messenger.outbox.get("old-photo").state.value == "failed"
    assert len(provider.messages) == 0


def _reply(data: dict[str, object]) -> dict[str, object]:
    """The payload as an auto-reply stores it (no request: sent as it is)."""
    return {k: v for k, v in data.items() if k != "request"}


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: "{not json",
        lambda data: json.dumps({**data, "request": {**data["request"], "purpose": "spam"}}),
        lambda data: json.dumps({**data, "request": {**data["request"], "media": "x.gif"}}),
        lambda data: json.dumps({**data, "request": {**data["request"], "values": [1]}}),
        lambda data: json.dumps({k: v for k, v in data.items() if k != "to"}),
        lambda data: json.dumps({**data, "cost": "a lot"}),
        lambda data: json.dumps([data]),
        lambda data: json.dumps({**data, "request": "+12125550123"}),
        lambda data: json.dumps({**data, "to": None}),
        lambda data: json.dumps({**data, "request": {**data["request"],
                                                     "recipient_region": "US-ZZ"}}),
        lambda data: json.dumps({**_reply(data), "send_by": "tomorrow"}),
        lambda data: json.dumps({**_reply(data), "send_by": "2026-12-07T16:05:00"}),
    ],
    ids=["not-json", "unknown-purpose", "media-not-a-list", "values-not-an-object",
         "no-recipient", "cost-not-a-number", "a-list", "request-not-an-object", "to-null",
         "unknown-region", "send-by-not-a-date", "send-by-naive"],
)
def test_a_damaged_entry_is_marked_and_the_rest_of_the_batch_goes(damage: Damage) -> None:
    # A row damaged in the store (a hand edit, a bad migration) stopped send_due with a
    # traceback, and every entry due after it waited with it.
    messenger, provider, toll_free = _rig()
    for key in ("damaged", "sound"):
        provider.fail_next(ErrorCategory.RATE_LIMITED)
        request = SendRequest(LEAD, body=BODY, idempotency_key=key)
        assert messenger.send(request, toll_free, AT).outcome.value == "failed"
    entry = messenger.outbox.get("damaged")
    assert entry is not None
    payload = damage(json.loads(entry.payload))
    messenger.outbox.update("damaged", entry.state, at=AT, payload=payload)
    results = {result.key: result for result in messenger.send_due(AT + timedelta(hours=1))}
    assert results["sound"].outcome.value == "sent"
    assert results["damaged"].outcome.value == "failed"
    assert "cannot be read" in (results["damaged"].reason or "")
    kept = messenger.outbox.get("damaged")
    assert kept is not None
    assert kept.state.value == "failed"
    assert kept.payload == payload  # kept as it was, for someone to read
    assert [m.idempotency_key for m in provider.messages] == ["sound"]


class _Racing:
    """An outbox whose due() lets another worker drain the queue before its reader goes on."""

    def __init__(self, inner: Outbox) -> None:
        self.inner = inner
        self.other: Messenger | None = None

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def due(
        self, at: datetime, *, limit: int | None = None, after: OutboxEntry | None = None
    ) -> tuple[OutboxEntry, ...]:
        found = self.inner.due(at, limit=limit, after=after)
        other, self.other = self.other, None
        if other is not None:
            other.send_due(at)
        return found


def _two_workers_read_one_damaged_row(outbox: Outbox) -> None:
    rig, provider, toll_free = _rig()
    racing = _Racing(outbox)
    first = Messenger(provider, rig.pipeline, rig.ledger, rig.history, racing,  # type: ignore[arg-type]
                      senders=[toll_free])
    racing.other = Messenger(provider, rig.pipeline, rig.ledger, rig.history, outbox,
                             senders=[toll_free])
    for key in ("damaged", "sound"):
        provider.fail_next(ErrorCategory.RATE_LIMITED)
        request = SendRequest(LEAD, body=BODY, idempotency_key=key)
        assert first.send(request, toll_free, AT).outcome.value == "failed"
    entry = outbox.get("damaged")
    assert entry is not None
    outbox.update("damaged", entry.state, at=AT, payload="{not json")
    # The other worker marks the row failed and sends the sound one first; this one
    # read both as due. Marking again raised OutboxConflictError (failed is final).
    results = {result.key: result for result in first.send_due(AT + timedelta(hours=1))}
    assert results["damaged"].outcome.value == "pending"
    assert results["sound"].outcome.value == "duplicate"  # already sent by the other
    assert [m.idempotency_key for m in provider.messages] == ["sound"]
    kept = outbox.get("damaged")
    assert kept is not None
    assert kept.state.value == "failed"
    assert "cannot be read" in (kept.error or "")


def test_two_workers_read_one_damaged_row_in_memory() -> None:
    _two_workers_read_one_damaged_row(MemoryOutbox())


def test_two_workers_read_one_damaged_row_through_sqlite(tmp_path: Path) -> None:
    with SQLiteOutbox(tmp_path / "outbox.db") as box:
        _two_workers_read_one_damaged_row(box)


def test_two_workers_read_one_damaged_row_through_postgres(
    postgres_dsn: str, pg_schema: str
) -> None:
    with PostgresOutbox(postgres_dsn, schema=pg_schema) as box:
        box.create_schema()
        _two_workers_read_one_damaged_row(box)


def test_a_damaged_row_is_not_marked_over_another_workers_claim() -> None:
    # The other worker took the row (deferred -> reserved) after this one read it as
    # due: an unconditional "failed" overwrote that claim (reserved -> failed is a
    # move the state machine allows), and the other worker's "sent" then raised.
    rig, provider, toll_free = _rig()
    outbox = MemoryOutbox()
    racing = _Racing(outbox)
    messenger = Messenger(provider, rig.pipeline, rig.ledger, rig.history,
                          racing,  # type: ignore[arg-type]
                          senders=[toll_free])
    provider.fail_next(ErrorCategory.RATE_LIMITED)
    request = SendRequest(LEAD, body=BODY, idempotency_key="claimed")
    assert messenger.send(request, toll_free, AT).outcome.value == "failed"
    entry = outbox.get("claimed")
    assert entry is not None
    outbox.update("claimed", entry.state, at=AT, payload="[]")
    later = AT + timedelta(hours=1)

    class _Claimer:
        def send_due(self, at: datetime) -> None:
            outbox.update("claimed", OutboxState.RESERVED, at=at)

    racing.other = _Claimer()  # type: ignore[assignment]
    (result,) = messenger.send_due(later)
    assert result.outcome.value == "pending"
    kept = outbox.get("claimed")
    assert kept is not None
    assert kept.state is OutboxState.RESERVED
