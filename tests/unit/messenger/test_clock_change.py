"""The messenger's waits are real time, also in the hour a clock change repeats.

Two aware datetimes sharing one zone compare by wall clock (Python ignores ``fold``),
and ``at + timedelta`` adds wall-clock time: in Auckland's repeated hour (clocks go
back from 03:00 NZDT to 02:00 NZST on Sunday 4 April 2027, a Saturday morning in New
York, inside every quiet-hours window) 02:05 NZST comes six real minutes after
02:59 NZDT, yet reads as earlier.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger import MemoryOutbox, OutboxEntry, OutboxState, SendOutcome, SQLiteOutbox
from smskit.policy import SendRequest

from .conftest import ALICE, OURS, Rig, build_rig, consent, outbox_of

AUCKLAND = ZoneInfo("Pacific/Auckland")
BEFORE = datetime(2027, 4, 4, 2, 59, tzinfo=AUCKLAND)  # NZDT, 13:59 UTC
HALF_A_MINUTE_LATER = datetime(2027, 4, 4, 2, 59, 30, tzinfo=AUCKLAND)  # 13:59:30 UTC
SIX_MINUTES_LATER = datetime(2027, 4, 4, 2, 5, fold=1, tzinfo=AUCKLAND)  # NZST, 14:05 UTC


def test_the_zone_reads_as_the_docstring_says() -> None:
    assert BEFORE.astimezone(UTC) == datetime(2027, 4, 3, 13, 59, tzinfo=UTC)
    assert SIX_MINUTES_LATER.astimezone(UTC) == datetime(2027, 4, 3, 14, 5, tzinfo=UTC)
    assert SIX_MINUTES_LATER < BEFORE  # by wall clock: what the messenger must not do


def _request() -> SendRequest:
    return SendRequest(
        recipient=ALICE, body="Acme: 20% off today. Reply STOP to opt out",
        purpose="marketing", idempotency_key="k1",  # type: ignore[arg-type]
    )


def test_an_in_flight_reservation_expires_after_real_time(rig: Rig) -> None:
    consent(rig)
    rig.clock.set(BEFORE)  # the provider stamps what it takes by this clock
    rig.provider.time_out_next(processed=True)
    rig.messenger.send(_request(), rig.sender, BEFORE)
    # Six real minutes on, past in_flight (two): looked up and found, not "in flight".
    later = rig.messenger.send(_request(), rig.sender, SIX_MINUTES_LATER)
    assert later.outcome is SendOutcome.SENT, later.reason
    assert len(rig.provider.messages) == 1


def test_reconcile_leaves_alone_only_what_is_younger_in_real_time(rig: Rig) -> None:
    consent(rig)
    rig.clock.set(BEFORE)
    rig.provider.time_out_next(processed=True)
    rig.messenger.send(_request(), rig.sender, BEFORE)
    [found] = rig.messenger.reconcile(SIX_MINUTES_LATER, older_than=timedelta(minutes=1))
    assert found.outcome is SendOutcome.SENT, found.reason


def test_a_queued_retry_waits_real_time(rig: Rig) -> None:
    consent(rig)
    rig.provider.time_out_next(processed=False)
    first = rig.messenger.send(_request(), rig.sender, BEFORE)
    assert first.queued
    assert first.not_before is not None
    assert first.not_before.astimezone(UTC) == datetime(2027, 4, 3, 14, 0, tzinfo=UTC)
    # Half a minute on, the minute's wait is not over: nothing is due and a caller
    # retrying with the key is told to wait.
    assert rig.messenger.send_due(HALF_A_MINUTE_LATER) == ()
    again = rig.messenger.send(_request(), rig.sender, HALF_A_MINUTE_LATER)
    assert again.outcome is SendOutcome.DEFERRED, again.reason
    assert rig.provider.messages == ()
    [retry] = rig.messenger.send_due(SIX_MINUTES_LATER)
    assert retry.outcome is SendOutcome.SENT, retry.reason


@pytest.mark.parametrize("kind", ["memory", "sqlite", "postgres"])
def test_a_failed_hand_over_in_the_repeated_hour_is_queued_by_every_outbox(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # The SQL outboxes read an entry back in UTC; the compare-and-set compared it with
    # the entry as reserved, in Auckland, by ==, which is never true across zones for
    # a time in a repeated hour. Before (review rev31m): SQLite and PostgreSQL left the
    # key reserved, "moved by another worker", not queued; the memory outbox, which
    # gave back the object it was given, queued it, so tests passed.
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        rig.provider.time_out_next(processed=False)
        first = rig.messenger.send(_request(), rig.sender, BEFORE)
        assert first.queued, first.reason
        [retry] = rig.messenger.send_due(SIX_MINUTES_LATER)
        assert retry.outcome is SendOutcome.SENT, retry.reason
        assert len(rig.provider.messages) == 1


def test_the_memory_outbox_orders_and_releases_by_real_time() -> None:
    box = MemoryOutbox()
    # 02:30 NZST (fold 1) comes an hour after 02:30 NZDT though the wall clocks agree,
    # and after 02:40 NZDT too.
    waits = {
        "second": datetime(2027, 4, 4, 2, 30, fold=1, tzinfo=AUCKLAND),
        "first": datetime(2027, 4, 4, 2, 40, tzinfo=AUCKLAND),
    }
    for key, not_before in waits.items():
        box.reserve(OutboxEntry(key, ALICE, "acme", OutboxState.RESERVED, BEFORE, BEFORE))
        box.update(key, OutboxState.DEFERRED, at=BEFORE, not_before=not_before)
    assert [e.key for e in box.due(HALF_A_MINUTE_LATER)] == ["first"]
    later = datetime(2027, 4, 4, 2, 31, fold=1, tzinfo=AUCKLAND)
    assert [e.key for e in box.due(later)] == ["first", "second"]


def test_waits_are_added_in_real_time() -> None:
    # The one helper behind the requeue's not_before, the health recheck's and the
    # health window's start.
    from smskit.messenger.history import _elapsed

    hour_later = _elapsed(datetime(2027, 4, 4, 2, 30, tzinfo=AUCKLAND), timedelta(hours=1))
    assert (hour_later.hour, hour_later.minute, hour_later.fold) == (2, 30, 1)
    assert hour_later.tzinfo is AUCKLAND
    back = _elapsed(SIX_MINUTES_LATER, -timedelta(minutes=6))
    assert back.astimezone(UTC) == BEFORE.astimezone(UTC)


def test_a_naive_now_is_refused_before_any_wait_is_judged(rig: Rig, tmp_path: Path) -> None:
    # A naive time made aware by astimezone would be read in the host's zone, silently:
    # refused with the field named, as the engine refuses it.
    consent(rig)
    rig.provider.time_out_next(processed=False)
    assert rig.messenger.send(_request(), rig.sender, BEFORE).queued
    naive = HALF_A_MINUTE_LATER.replace(tzinfo=None)
    calls = [
        lambda: rig.messenger.send(_request(), rig.sender, naive),
        lambda: rig.messenger.send_due(naive),
        lambda: rig.messenger.reconcile(naive),
        lambda: rig.outbox.due(naive),
    ]
    with SQLiteOutbox(tmp_path / "outbox.db") as box:
        calls.append(lambda: box.due(naive))
        for call in calls:
            with pytest.raises(ConfigurationError, match="aware") as caught:
                call()
            assert caught.value.field == "at"


def test_a_lookup_finds_a_message_taken_after_the_clocks_went_back(rig: Rig) -> None:
    # The provider takes it six real minutes after the send began, its clock reading
    # 02:05 NZST (earlier than 02:59 NZDT by wall clock): still "since" the send began,
    # so reconciling finds it instead of sending it a second time.
    consent(rig)
    rig.clock.set(SIX_MINUTES_LATER)
    rig.provider.time_out_next(processed=True)
    assert rig.messenger.send(_request(), rig.sender, BEFORE).outcome is SendOutcome.PENDING
    [found] = rig.messenger.reconcile(SIX_MINUTES_LATER)
    assert found.outcome is SendOutcome.SENT, found.reason
    assert len(rig.provider.messages) == 1


def test_the_memory_provider_looks_up_in_real_time() -> None:
    from smskit.providers import MemoryProvider, OutboundMessage
    from smskit.testing import FixedClock

    provider = MemoryProvider(clock=FixedClock(SIX_MINUTES_LATER))
    message = OutboundMessage(to=ALICE, body="hi", sender=OURS, idempotency_key="k")
    provider.send(message)
    assert provider.lookup(message, since=BEFORE) is not None
    assert provider.lookup(message, since=BEFORE, until=HALF_A_MINUTE_LATER) is None
    # Past Twilio's 2-minute lookup_skew, which the memory provider's lookup keeps too
    # (in UTC: SIX_MINUTES_LATER + 3 min would be 02:08 NZDT, fold dropped, an hour early).
    after = (SIX_MINUTES_LATER.astimezone(UTC) + timedelta(minutes=3)).astimezone(AUCKLAND)
    assert provider.lookup(message, since=after) is None



def test_a_memory_provider_whose_clock_is_naive_says_so() -> None:
    from smskit.providers import MemoryProvider, OutboundMessage

    class Naive:  # a user's clock that forgot its zone
        def now(self) -> datetime:
            return BEFORE.replace(tzinfo=None)

    provider = MemoryProvider(clock=Naive())
    with pytest.raises(ConfigurationError, match="naive"):
        provider.send(OutboundMessage(to=ALICE, body="hi", sender=OURS))


def test_unresolved_entries_come_oldest_first_in_real_time() -> None:
    box = MemoryOutbox()
    for key, at in (("later", SIX_MINUTES_LATER), ("earlier", BEFORE)):
        box.reserve(OutboxEntry(key, ALICE, "acme", OutboxState.RESERVED, at, at))
    assert [e.key for e in box.unresolved()] == ["earlier", "later"]
