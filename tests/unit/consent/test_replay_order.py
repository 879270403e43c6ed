"""``sort_for_replay``: the replay order, with no sort when the events already follow it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from smskit.consent import Channel, ConsentScope, ConsentSource, EventKind, Purpose
from smskit.consent.fold import EventFacts, sort_for_replay

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
ACME = ConsentScope.parse("acme")


def _event(sequence: int, kind: EventKind, at: datetime) -> EventFacts:
    return EventFacts(sequence, "+14155550123", kind, ACME, frozenset({Channel.SMS}),
                      frozenset(Purpose), at, ConsentSource.API)


def _order(events: list[EventFacts]) -> list[int]:
    sort_for_replay(events)
    return [e.sequence for e in events]


def test_events_in_time_order_stay_as_they_are() -> None:
    events = [_event(1, EventKind.GRANTED, T0), _event(2, EventKind.REVOKED, T0 + timedelta(1)),
              _event(3, EventKind.REGRANTED, T0 + timedelta(2))]
    assert _order(events) == [1, 2, 3]


def test_an_event_recorded_late_is_replayed_when_it_occurred() -> None:
    events = [_event(1, EventKind.GRANTED, T0), _event(2, EventKind.REGRANTED, T0 + timedelta(2)),
              _event(3, EventKind.REVOKED, T0 + timedelta(1))]
    assert _order(events) == [1, 3, 2]


def test_at_one_instant_a_revocation_comes_last_whatever_its_sequence() -> None:
    # The same instant written in two zones is a tie, not an order.
    new_york = T0.astimezone(timezone(timedelta(hours=-5)))
    events = [_event(1, EventKind.REVOKED, T0), _event(2, EventKind.GRANTED, new_york),
              _event(3, EventKind.GRANTED, T0 + timedelta(1))]
    assert _order(events) == [2, 1, 3]


def test_ties_of_other_kinds_go_by_sequence() -> None:
    events = [_event(5, EventKind.GRANTED, T0), _event(4, EventKind.REGRANTED, T0)]
    assert _order(events) == [4, 5]
    assert _order([]) == []
