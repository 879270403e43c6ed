"""One suite for every SendHistory implementation.

Memory, SQLite on a real file, and PostgreSQL on a real server (a schema of its own per test).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit.purpose import Purpose
from smskit.timing.caps import MemorySendHistory, SendHistory, SendRecord, SQLiteSendHistory

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ALICE = "+13055550123"
BOB = "+12125550123"


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def history(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SendHistory]:
    if request.param == "memory":
        yield MemorySendHistory()
    elif request.param == "sqlite":
        with SQLiteSendHistory(tmp_path / "sends.sqlite3") as store:
            yield store
    else:
        from smskit.timing import PostgresSendHistory

        with PostgresSendHistory(
            request.getfixturevalue("postgres_dsn"), schema=request.getfixturevalue("pg_schema")
        ) as pg:
            pg.create_schema()
            yield pg


def _send(history: SendHistory, minutes: int, **kw: object) -> None:
    fields: dict[str, object] = {"recipient": ALICE, "sender": "+18005550100", "subject": None}
    fields.update(kw)
    history.record(
        SendRecord(
            recipient=str(fields["recipient"]),
            sender=str(fields["sender"]),
            at=T0 + timedelta(minutes=minutes),
            subject=fields["subject"] if fields["subject"] is None else str(fields["subject"]),
            purpose=Purpose(str(fields.get("purpose", "marketing"))),
        )
    )


def test_window_excludes_since_and_includes_until(history: SendHistory) -> None:
    for minutes in (0, 10, 20):
        _send(history, minutes)
    found = history.sent_at(since=T0, until=T0 + timedelta(minutes=20), recipient=ALICE)
    assert found == (T0 + timedelta(minutes=10), T0 + timedelta(minutes=20))


def test_results_are_ascending_whatever_the_insertion_order(history: SendHistory) -> None:
    for minutes in (30, 5, 15):
        _send(history, minutes)
    found = history.sent_at(since=T0, until=T0 + timedelta(hours=1), recipient=ALICE)
    assert found == tuple(T0 + timedelta(minutes=m) for m in (5, 15, 30))


def test_filters_by_recipient_and_sender(history: SendHistory) -> None:
    _send(history, 1, recipient=ALICE, sender="A")
    _send(history, 2, recipient=BOB, sender="A")
    _send(history, 3, recipient=ALICE, sender="B")
    window = {"since": T0, "until": T0 + timedelta(hours=1)}
    assert len(history.sent_at(**window, recipient=ALICE)) == 2
    assert len(history.sent_at(**window, sender="A")) == 2
    assert history.sent_at(**window, recipient=ALICE, sender="B") == (T0 + timedelta(minutes=3),)
    assert len(history.sent_at(**window)) == 3


def test_subject_matches_itself_and_unknown_subjects(history: SendHistory) -> None:
    _send(history, 1, subject="sale")
    _send(history, 2, subject="renewal")
    _send(history, 3, subject=None)
    found = history.sent_at(
        since=T0, until=T0 + timedelta(hours=1), recipient=ALICE, subject="sale"
    )
    assert found == (T0 + timedelta(minutes=1), T0 + timedelta(minutes=3))


def test_filters_by_purpose(history: SendHistory) -> None:
    _send(history, 1, purpose="marketing")
    _send(history, 2, purpose="transactional")
    found = history.sent_at(
        since=T0,
        until=T0 + timedelta(hours=1),
        recipient=ALICE,
        purposes=frozenset({Purpose.MARKETING}),
    )
    assert found == (T0 + timedelta(minutes=1),)


def test_instants_in_other_zones_compare_as_instants(history: SendHistory) -> None:
    from zoneinfo import ZoneInfo

    local = datetime(2026, 11, 20, 7, 30, tzinfo=ZoneInfo("America/New_York"))  # 12:30 UTC
    history.record(SendRecord(recipient=ALICE, sender="A", at=local))
    found = history.sent_at(since=T0, until=T0 + timedelta(hours=1), recipient=ALICE)
    assert found == (datetime(2026, 11, 20, 12, 30, tzinfo=UTC),)


def test_records_many_groups_by_recipient_within_the_window(history: SendHistory) -> None:
    for minutes in (30, 0, 10, 20):
        _send(history, minutes, subject="spring")
    _send(history, 5, recipient=BOB, purpose="informational")
    _send(history, 6, recipient="+16175550123")  # not asked for
    found = history.records_many(
        [ALICE, BOB, "+13125550199"], since=T0, until=T0 + timedelta(minutes=20)
    )
    assert [r.at for r in found[ALICE]] == [
        T0 + timedelta(minutes=10), T0 + timedelta(minutes=20)
    ]
    assert {r.subject for r in found[ALICE]} == {"spring"}
    assert [(r.recipient, r.purpose) for r in found[BOB]] == [(BOB, Purpose.INFORMATIONAL)]
    assert list(found.get("+13125550199", ())) == []
    assert "+16175550123" not in found


def test_records_many_agrees_with_sent_at(history: SendHistory) -> None:
    for minutes in (3, 1, 2, 7):
        _send(history, minutes)
        _send(history, minutes, recipient=BOB)
    since, until = T0, T0 + timedelta(minutes=5)
    found = history.records_many([ALICE, BOB], since=since, until=until)
    for who in (ALICE, BOB):
        assert tuple(r.at for r in found[who]) == history.sent_at(
            since=since, until=until, recipient=who
        )


def test_records_many_of_nobody_is_empty(history: SendHistory) -> None:
    _send(history, 1)
    assert dict(history.records_many([], since=T0, until=T0 + timedelta(hours=1))) == {}


def test_a_naive_window_is_a_configuration_error(history: SendHistory) -> None:
    # PostgreSQL read a naive instant in the session's TimeZone (a silently shifted
    # window); the memory and SQLite stores raised a raw TypeError.
    from smskit.errors import ConfigurationError

    _send(history, 0)
    naive = datetime(2026, 11, 20, 11, 0)
    with pytest.raises(ConfigurationError, match="since"):
        history.sent_at(since=naive, until=T0, recipient=ALICE)
    with pytest.raises(ConfigurationError, match="until"):
        history.records_many([ALICE], since=T0 - timedelta(hours=1), until=naive)


# --- retention: prune ---------------------------------------------------------


def test_prune_removes_sends_before_the_cut_off_and_nothing_else(history: SendHistory) -> None:
    for minutes in (0, 5, 10, 20):
        _send(history, minutes)
        _send(history, minutes, recipient=BOB, sender="+18005550111")
    assert history.prune(T0 + timedelta(minutes=10)) == 4
    everything = {"since": T0 - timedelta(days=1), "until": T0 + timedelta(days=1)}
    # Strict: the sends at the cut-off itself stay.
    assert history.sent_at(**everything, recipient=ALICE) == (
        T0 + timedelta(minutes=10), T0 + timedelta(minutes=20))
    assert history.sent_at(**everything, sender="+18005550111") == (
        T0 + timedelta(minutes=10), T0 + timedelta(minutes=20))
    assert len(history.sent_at(**everything)) == 4
    found = history.records_many([ALICE, BOB], **everything)
    assert [r.at for r in found[BOB]] == [T0 + timedelta(minutes=10), T0 + timedelta(minutes=20)]
    # Recording and reading go on as before, equal instants included.
    _send(history, 20)
    assert len(history.sent_at(**everything, recipient=ALICE)) == 3
    assert history.prune(T0 + timedelta(minutes=10)) == 0


def test_prune_is_bounded_by_limit(history: SendHistory) -> None:
    for minutes in range(5):
        _send(history, minutes)
    assert history.prune(T0 + timedelta(hours=1), limit=2) == 2
    assert history.prune(T0 + timedelta(hours=1), limit=2) == 2
    assert history.prune(T0 + timedelta(hours=1), limit=2) == 1
    assert history.prune(T0 + timedelta(hours=1), limit=2) == 0


@pytest.mark.parametrize(("before", "limit", "field"), [
    (datetime(2026, 11, 20, 12, 0), 10, "before"),
    (T0, 0, "limit"),
    (T0, 1.0, "limit"),
])
def test_prune_refuses_a_naive_cut_off_or_a_bad_limit(
    history: SendHistory, before: object, limit: object, field: str
) -> None:
    from smskit.errors import ConfigurationError

    _send(history, -60)
    with pytest.raises(ConfigurationError) as info:
        history.prune(before, limit=limit)  # type: ignore[arg-type]
    assert info.value.field == field
    assert len(history.sent_at(since=T0 - timedelta(days=1), until=T0)) == 1


@pytest.mark.parametrize("limit", [2**63, 10**30])
def test_prune_with_a_limit_beyond_64_bits_removes_them_all_and_the_store_goes_on(
    history: SendHistory, limit: int
) -> None:
    """Review rev25r: SQLite raised a bare OverflowError inside its open BEGIN IMMEDIATE
    (the file stayed write locked: the next record failed); PostgreSQL "bigint out of
    range"."""
    _send(history, 0)
    _send(history, 10)
    assert history.prune(T0 + timedelta(minutes=5), limit=limit) == 1
    _send(history, 20)
    assert len(history.sent_at(since=T0 - timedelta(days=1), until=T0 + timedelta(days=1))) == 2
