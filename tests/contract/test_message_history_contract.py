"""One suite for every MessageHistory implementation (memory, SQLite on a real file,
PostgreSQL on the real server in a schema of the test's own).

A new store adds a name to ``HISTORIES`` and a branch to ``_open``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger import (
    DeliveryRecord,
    MemoryMessageHistory,
    MessageHistory,
    MessageRecord,
    SQLiteMessageHistory,
)
from smskit.pricing import Direction, MessageKind
from smskit.purpose import Purpose
from smskit.routes import Route

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ALICE = "+13055550123"
BOB = "+12125550123"
US = "+18005550100"
HISTORIES = ["memory", "sqlite", "postgres"]


def _open(request: pytest.FixtureRequest, path: Path) -> MessageHistory:
    if request.param == "memory":
        return MemoryMessageHistory()
    if request.param == "sqlite":
        return SQLiteMessageHistory(path / "history.sqlite3")
    from smskit.messenger import PostgresMessageHistory

    pg = PostgresMessageHistory(
        request.getfixturevalue("postgres_dsn"), schema=request.getfixturevalue("pg_schema")
    )
    pg.create_schema()
    return pg


@pytest.fixture(params=HISTORIES)
def history(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MessageHistory]:
    store = _open(request, tmp_path)
    yield store
    close = getattr(store, "close", None)
    if close is not None:
        close()


def _msg(minutes: int, direction: Direction = Direction.OUTBOUND, **kw: object) -> MessageRecord:
    fields: dict[str, object] = {
        "direction": direction,
        "sender": US,
        "contact": ALICE,
        "at": T0 + timedelta(minutes=minutes),
        "segments": 1,
        "purpose": Purpose.MARKETING if direction is Direction.OUTBOUND else None,
    }
    fields.update(kw)
    return MessageRecord(**fields)  # type: ignore[arg-type]


def test_every_field_of_a_message_round_trips(history: MessageHistory) -> None:
    full = _msg(
        1,
        segments=3,
        kind=MessageKind.MMS,
        route=Route.TOLL_FREE,
        subject="sale",
        provider_id="SM1",
        key="k1",
        cost=Decimal("0.0237"),
        currency="USD",
    )
    inbound = _msg(2, Direction.INBOUND, contact=BOB, reply="opt_out", segments=2)
    history.record_message(full)
    history.record_message(inbound)
    assert history.messages(since=T0, until=T0 + timedelta(hours=1)) == (full, inbound)


def test_messages_filter_by_window_sender_and_direction(history: MessageHistory) -> None:
    history.record_message(_msg(0))
    history.record_message(_msg(5, sender="MG2"))
    history.record_message(_msg(3, Direction.INBOUND))
    end = T0 + timedelta(minutes=5)
    assert [m.at.minute for m in history.messages(since=T0, until=end)] == [3, 5]
    assert [m.sender for m in history.messages(since=T0, until=end, sender="MG2")] == ["MG2"]
    inbound = history.messages(since=T0, until=end, direction=Direction.INBOUND)
    assert [m.direction for m in inbound] == [Direction.INBOUND]


def test_outbound_messages_feed_the_send_history_and_inbound_ones_do_not(
    history: MessageHistory,
) -> None:
    history.record_message(_msg(1, subject="sale"))
    history.record_message(_msg(2, Direction.INBOUND))
    found = history.sent_at(since=T0, until=T0 + timedelta(hours=1), recipient=ALICE)
    assert found == (T0 + timedelta(minutes=1),)
    assert (
        history.sent_at(
            since=T0, until=T0 + timedelta(hours=1), purposes=frozenset({Purpose.TRANSACTIONAL})
        )
        == ()
    )


def test_deliveries_round_trip_and_filter(history: MessageHistory) -> None:
    one = DeliveryRecord(
        "SM1", US, ALICE, T0 + timedelta(minutes=1), "undelivered", "invalid_number", "30006"
    )
    two = DeliveryRecord("SM2", US, BOB, T0 + timedelta(minutes=2), "delivered")
    history.record_delivery(two)
    history.record_delivery(one)
    end = T0 + timedelta(hours=1)
    assert history.deliveries(since=T0, until=end) == (one, two)
    assert history.deliveries(since=T0, until=end, contact=ALICE) == (one,)
    assert history.deliveries(since=T0, until=end, sender="other") == ()


def test_windows_exclude_since_include_until_and_keep_ties_in_recorded_order(
    history: MessageHistory,
) -> None:
    # Two messages and two reports at one instant: they come back as recorded, not
    # sorted by any other field.
    history.record_message(_msg(0, provider_id="before"))
    history.record_message(_msg(5, provider_id="z"))
    history.record_message(_msg(5, Direction.INBOUND, provider_id="a"))
    history.record_message(_msg(6, provider_id="after"))
    history.record_delivery(DeliveryRecord("z", US, ALICE, T0 + timedelta(minutes=5), "sent"))
    history.record_delivery(DeliveryRecord("a", US, ALICE, T0 + timedelta(minutes=5), "sent"))
    window = {"since": T0, "until": T0 + timedelta(minutes=5)}
    assert [m.provider_id for m in history.messages(**window)] == ["z", "a"]
    assert [d.provider_id for d in history.deliveries(**window)] == ["z", "a"]


def test_messages_filter_by_contact_and_read_instants_in_any_zone(
    history: MessageHistory,
) -> None:
    history.record_message(_msg(1))
    history.record_message(_msg(2, Direction.INBOUND, contact=BOB))
    paris = timezone(timedelta(hours=1))
    # 13:00 in Paris is 12:00 UTC, T0: the window is the same instants.
    found = history.messages(since=T0.astimezone(paris), until=T0.astimezone(paris)
                             + timedelta(hours=1), contact=BOB)
    assert [(m.contact, m.at) for m in found] == [(BOB, T0 + timedelta(minutes=2))]


def test_webhooks_are_marked_processed_once(history: MessageHistory) -> None:
    assert not history.processed("SM1:received")
    assert history.mark_processed("SM1:received", T0)
    assert history.processed("SM1:received")
    assert not history.mark_processed("SM1:received", T0 + timedelta(seconds=1))


def test_records_refuse_float_money_and_negative_segments() -> None:
    with pytest.raises(ConfigurationError, match="Decimal"):
        _msg(0, cost=0.01)
    with pytest.raises(ConfigurationError, match="segments"):
        _msg(0, segments=-1)
    with pytest.raises(ConfigurationError, match="aware"):
        _msg(0, at=datetime(2026, 1, 1))


def test_reprs_mask_numbers() -> None:
    assert ALICE not in repr(_msg(0))
    assert ALICE not in repr(DeliveryRecord("SM1", US, ALICE, T0, "sent"))


def test_sqlite_history_survives_reopening(tmp_path: Path) -> None:
    with SQLiteMessageHistory(tmp_path / "h.db") as first:
        first.record_message(_msg(1))
        first.mark_processed("tok", T0)
    with SQLiteMessageHistory(tmp_path / "h.db") as again:
        assert len(again.messages(since=T0, until=T0 + timedelta(hours=1))) == 1
        assert again.processed("tok")


def test_prune_removes_send_records_and_keeps_messages_and_reports(
    history: MessageHistory,
) -> None:
    """What caps read goes; what usage, health and suppression read stays."""
    for minutes in (0, 10, 20):
        history.record_message(_msg(minutes, provider_id=f"SM{minutes}"))
    history.mark_processed("hook-1", T0)
    assert history.prune(T0 + timedelta(minutes=15)) == 2
    window = {"since": T0 - timedelta(days=1), "until": T0 + timedelta(days=1)}
    assert history.sent_at(**window, recipient=ALICE) == (T0 + timedelta(minutes=20),)
    assert len(history.messages(**window)) == 3
    assert history.processed("hook-1")
    # An outbound message recorded after a prune is a send record again.
    history.record_message(_msg(30))
    assert len(history.sent_at(**window, recipient=ALICE)) == 2
