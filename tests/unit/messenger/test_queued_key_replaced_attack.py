"""A queued key sent again (rev26w's review of user28's "latest text replaces").

Two holes: a call for *another* number under a queued key that the engine blocks (that
number gave no consent) failed the first number's queued message; and ``send_due``,
having read an entry as due, sent the text it read even when a caller had replaced it
since (another process on the same outbox): the customer got the old time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smskit import ConfigurationError, SendOutcome, SendRequest
from smskit.consent import Evidence
from smskit.messenger import MemoryOutbox, Messenger, Outbox, OutboxEntry, OutboxState, SQLiteOutbox

from .conftest import ALICE, build_rig, consent

NIGHT = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)  # Friday 22:00 in New York
LATER_THAT_NIGHT = datetime(2026, 11, 21, 3, 30, tzinfo=UTC)
JUST_BEFORE = datetime(2026, 11, 21, 12, 59, 30, tzinfo=UTC)  # 07:59:30, still quiet
MORNING = datetime(2026, 11, 21, 13, 0, tzinfo=UTC)  # Saturday 08:00 in New York
FIRST = "Acme: your tune-up is Mon 9-11 AM. Reply STOP to opt out"
MOVED = "Acme: your tune-up MOVED to Tue 1-3 PM. Reply STOP to opt out"
BOB = "+12125550124"  # gave no consent


def _request(body: str, number: str = ALICE) -> SendRequest:
    return SendRequest(number, body=body, idempotency_key="job-77-reminder")


def test_another_number_blocked_under_a_queued_key_leaves_the_first_queued() -> None:
    rig = build_rig()
    consent(rig)
    rig.messenger.send(_request(FIRST), rig.sender, NIGHT, queue=True)
    again = rig.messenger.send(_request(MOVED, BOB), rig.sender, LATER_THAT_NIGHT, queue=True)
    assert again.outcome is SendOutcome.BLOCKED
    assert "another number" in again.reason
    entry = rig.outbox.get("job-77-reminder")
    assert entry is not None
    assert entry.state is OutboxState.DEFERRED
    rig.messenger.send_due(MORNING)
    assert [(m.to, m.body) for m in rig.provider.messages] == [(ALICE, FIRST)]


def test_another_number_blocked_under_a_key_waiting_out_a_retry_leaves_it_waiting() -> None:
    rig = build_rig()
    consent(rig)
    morning = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # Friday 10:00 in New York
    rig.provider.fail_next("rate_limited")
    assert rig.messenger.send(_request(FIRST), rig.sender, morning).queued
    again = rig.messenger.send(_request(MOVED, BOB), rig.sender,
                               datetime(2026, 11, 20, 15, 0, 20, tzinfo=UTC))
    assert again.outcome is SendOutcome.BLOCKED
    assert "another number" in again.reason
    rig.messenger.send_due(datetime(2026, 11, 20, 15, 1, tzinfo=UTC))
    assert [(m.to, m.body) for m in rig.provider.messages] == [(ALICE, FIRST)]


GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


def _with_photo(body: str) -> SendRequest:  # the file as bytes: it cannot wait in a queue
    return SendRequest(ALICE, body=body, media=(GIF,), idempotency_key="job-77-reminder")


def _mms_consent(rig: object) -> None:
    rig.ledger.grant(  # type: ignore[attr-defined]
        ALICE, scope="acme", purposes=["marketing"], channels=["sms", "mms"],
        kind="express_written", source="web_form", at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        evidence=Evidence(consent_text="Yes", form_url="https://acme.example/join"),
    )


def test_a_new_request_that_cannot_wait_does_not_leave_the_old_text_queued_unsaid() -> None:
    # It answered deferred, queued=False (as if nothing were queued), and the morning's
    # send_due sent the first text the caller had just replaced.
    rig = build_rig()
    _mms_consent(rig)
    rig.messenger.send(_request(FIRST), rig.sender, NIGHT, queue=True)
    with pytest.raises(ConfigurationError, match="queued under this key") as caught:
        rig.messenger.send(_with_photo(MOVED), rig.sender, LATER_THAT_NIGHT,
                           media_urls=["https://acme.example/p.gif"])
    assert caught.value.field == "queue"
    entry = rig.outbox.get("job-77-reminder")
    assert entry is not None
    assert FIRST in entry.payload  # left as it was, and the caller was told


def test_a_new_request_that_cannot_wait_under_a_key_waiting_out_a_retry_is_refused() -> None:
    rig = build_rig()
    _mms_consent(rig)
    morning = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    rig.provider.fail_next("rate_limited")
    assert rig.messenger.send(_request(FIRST), rig.sender, morning).queued
    with pytest.raises(ConfigurationError, match="queued under this key"):
        rig.messenger.send(_with_photo(MOVED), rig.sender,
                           datetime(2026, 11, 20, 15, 0, 20, tzinfo=UTC),
                           media_urls=["https://acme.example/p.gif"])


def test_a_blocked_new_text_says_the_queued_one_is_cancelled() -> None:
    # The same number, the new text blocked (Alice withdrew her consent meanwhile):
    # the queued text is failed, not sent later, and the answer says so.
    rig = build_rig()
    consent(rig)
    rig.messenger.send(_request(FIRST), rig.sender, NIGHT, queue=True)
    rig.ledger.revoke(ALICE, scope="acme", at=NIGHT)
    again = rig.messenger.send(_request(MOVED), rig.sender, LATER_THAT_NIGHT, queue=True)
    assert again.outcome is SendOutcome.BLOCKED
    assert "queued under this key" in again.reason
    entry = rig.outbox.get("job-77-reminder")
    assert entry is not None
    assert entry.state is OutboxState.FAILED
    assert rig.messenger.send_due(MORNING) == ()
    assert len(rig.provider.messages) == 0


class _Racing:
    """An outbox whose ``due`` lets another process act between reading the queue and
    the worker deciding what it read (a deterministic interleaving of two workers)."""

    def __init__(self, box: Outbox, between: Callable[[], None]) -> None:
        self._box = box
        self._between = between

    def due(
        self, at: datetime, *, limit: int | None = None, after: OutboxEntry | None = None
    ) -> tuple[OutboxEntry, ...]:
        rows = self._box.due(at, limit=limit, after=after)
        between, self._between = self._between, lambda: None
        between()
        return rows

    def __getattr__(self, name: str) -> object:
        return getattr(self._box, name)


@contextmanager
def _two_handles(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[Outbox, Outbox]]:
    """Two handles on one outbox: one object in memory, two connections otherwise."""
    if kind == "memory":
        box = MemoryOutbox()
        yield box, box
    elif kind == "sqlite":
        with SQLiteOutbox(tmp_path / "o.db") as one, SQLiteOutbox(tmp_path / "o.db") as two:
            yield one, two
    else:
        open_store = request.getfixturevalue("pg_outboxes")
        with open_store() as one, open_store() as two:
            yield one, two


@pytest.mark.parametrize("kind", ["memory", "sqlite", "postgres"])
def test_send_due_never_sends_a_text_replaced_after_it_read_the_queue(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with _two_handles(kind, tmp_path, request) as (mine, theirs):
        caller = build_rig(theirs)  # type: ignore[arg-type]
        consent(caller)
        assert caller.messenger.send(_request(FIRST), caller.sender, NIGHT, queue=True).queued

        def replace_it() -> None:  # the job, on another host, sends the moved time
            again = caller.messenger.send(_request(MOVED), caller.sender, JUST_BEFORE)
            assert again.outcome is SendOutcome.DEFERRED
            assert again.queued

        worker = build_rig(_Racing(mine, replace_it))  # type: ignore[arg-type]
        consent(worker)
        worker.messenger.send_due(MORNING)
        worker.messenger.send_due(MORNING.replace(minute=1))
        assert [m.body for m in worker.provider.messages] == [MOVED]


def test_a_new_text_from_another_sending_number_is_not_sent_from_the_queued_one(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # send_due finds the profile by the number the entry was queued from: the new text
    # went out from the first number, decided under the first profile, unsaid.
    rig = build_rig()
    consent(rig)
    other = replace(rig.sender, sender_id="+12125550198")
    rig.messenger = Messenger(
        rig.provider, rig.messenger.pipeline, rig.ledger, rig.history, rig.outbox,
        senders=[rig.sender, other],
    )
    rig.messenger.send(_request(FIRST), rig.sender, NIGHT, queue=True)
    with caplog.at_level(logging.WARNING, logger="smskit.messenger"):
        again = rig.messenger.send(_request(MOVED), other, LATER_THAT_NIGHT, queue=True)
    assert again.outcome is SendOutcome.DEFERRED
    assert "another sending number" in again.reason
    assert "another sending number" in caplog.text
    rig.messenger.send_due(MORNING)
    assert [(m.sender, m.body) for m in rig.provider.messages] == [(rig.sender.sender_id, FIRST)]


def test_another_number_under_a_sent_key_is_named(caplog: pytest.LogCaptureFixture) -> None:
    # docs/messenger.md: "when its text (or number) differs, the reason says so and a
    # warning is logged"; the number was never compared.
    rig = build_rig()
    consent(rig)
    consent(rig, BOB)
    morning = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    assert rig.messenger.send(_request(FIRST), rig.sender, morning).outcome is SendOutcome.SENT
    with caplog.at_level(logging.WARNING, logger="smskit.messenger"):
        again = rig.messenger.send(_request(FIRST, "(212) 555-0124"), rig.sender, morning)
    assert again.outcome is SendOutcome.DUPLICATE
    assert "another number" in again.reason
    assert "another number" in caplog.text
    assert "5550124" not in caplog.text
    assert "5550123" not in caplog.text
    assert len(rig.provider.messages) == 1


def test_a_queued_key_sent_again_when_allowed_goes_at_once_with_the_new_text() -> None:
    rig = build_rig()
    consent(rig)
    rig.messenger.send(_request(FIRST), rig.sender, NIGHT, queue=True)
    again = rig.messenger.send(_request(MOVED), rig.sender, MORNING)
    assert again.outcome is SendOutcome.SENT
    assert rig.messenger.send_due(MORNING.replace(minute=5)) == ()
    assert [m.body for m in rig.provider.messages] == [MOVED]
    late = rig.messenger.send(_request(FIRST), rig.sender, MORNING.replace(minute=6))
    assert late.outcome is SendOutcome.DUPLICATE
    assert "another text" in late.reason


class _DecidesSlowly:
    """A pipeline that lets another worker act while it decides (one time only)."""

    def __init__(self, pipeline: object, meanwhile: Callable[[], None]) -> None:
        self._pipeline = pipeline
        self._meanwhile = meanwhile

    def decide(self, *args: object) -> object:
        meanwhile, self._meanwhile = self._meanwhile, lambda: None
        meanwhile()
        return self._pipeline.decide(*args)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._pipeline, name)


def test_a_replacement_does_not_cut_short_a_retry_wait_begun_while_it_decided() -> None:
    # The caller read the key queued for 08:00; while it decided, a worker whose clock
    # read 08:00 handed it over and the provider answered 429: wait until 08:01. The
    # replacement, compared with the entry as it was then, set 08:00 again.
    rig = build_rig()
    consent(rig)
    rig.messenger.send(_request(FIRST), rig.sender, NIGHT, queue=True)
    worker = build_rig(rig.outbox)
    consent(worker)
    worker.provider.fail_next("rate_limited")
    rig.messenger.pipeline = _DecidesSlowly(  # type: ignore[assignment]
        rig.messenger.pipeline, lambda: worker.messenger.send_due(MORNING) and None
    )
    again = rig.messenger.send(_request(MOVED), rig.sender, JUST_BEFORE)
    assert again.outcome is SendOutcome.PENDING
    entry = rig.outbox.get("job-77-reminder")
    assert entry is not None
    assert entry.not_before == MORNING.replace(minute=1)
    assert worker.messenger.send_due(MORNING.replace(second=30)) == ()
