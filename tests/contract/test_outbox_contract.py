"""One suite for every Outbox implementation.

Memory, SQLite on a real file, and PostgreSQL on a real server (a schema of its own per test).

A new store adds a name to ``OUTBOXES`` and a branch to ``_open``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from smskit.errors import ConfigurationError, OutboxConflictError, StoreError
from smskit.messenger import MemoryOutbox, Outbox, OutboxEntry, OutboxState, SQLiteOutbox

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ALICE = "+13055550123"
OUTBOXES = ["memory", "sqlite", "postgres"]


def _open(kind: str, path: Path, request: pytest.FixtureRequest) -> Outbox:
    if kind == "memory":
        return MemoryOutbox()
    if kind == "sqlite":
        return SQLiteOutbox(path / "outbox.sqlite3")
    from smskit.messenger import PostgresOutbox

    pg = PostgresOutbox(
        request.getfixturevalue("postgres_dsn"), schema=request.getfixturevalue("pg_schema")
    )
    pg.create_schema()
    return pg


@pytest.fixture(params=OUTBOXES)
def outbox(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Outbox]:
    store = _open(request.param, tmp_path, request)
    yield store
    store.close()


def _entry(key: str, state: OutboxState = OutboxState.RESERVED, minutes: int = 0) -> OutboxEntry:
    at = T0 + timedelta(minutes=minutes)
    return OutboxEntry(
        key=key,
        recipient=ALICE,
        sender="+18005550100",
        state=state,
        created_at=at,
        updated_at=at,
        payload='{"body": "hi"}',
    )


def test_reserve_is_first_come_and_returns_the_stored_entry(outbox: Outbox) -> None:
    first, created = outbox.reserve(_entry("k1"))
    assert created
    assert first.state is OutboxState.RESERVED
    second, created_again = outbox.reserve(_entry("k1", OutboxState.DEFERRED, minutes=5))
    assert not created_again
    assert second.state is OutboxState.RESERVED
    assert second.created_at == T0
    assert outbox.get("k1") == first
    assert outbox.get("missing") is None


def test_entries_round_trip_every_field(outbox: Outbox) -> None:
    entry = OutboxEntry(
        key="k",
        recipient=ALICE,
        sender="MG1",
        state=OutboxState.DEFERRED,
        created_at=T0,
        updated_at=T0,
        payload='{"x": 1}',
        attempts=0,
        not_before=T0 + timedelta(hours=3, microseconds=7),
        error="quiet hours",
    )
    outbox.reserve(entry)
    assert outbox.get("k") == entry


def test_update_moves_counts_attempts_and_keeps_the_provider_id(outbox: Outbox) -> None:
    outbox.reserve(_entry("k"))
    later = T0 + timedelta(seconds=1)
    amb = outbox.update(
        "k", OutboxState.AMBIGUOUS, at=later, provider_id="SM1", error="timeout", attempted=True
    )
    assert (amb.state, amb.attempts, amb.provider_id, amb.error) == (
        OutboxState.AMBIGUOUS,
        1,
        "SM1",
        "timeout",
    )
    sent = outbox.update("k", OutboxState.SENT, at=later)
    assert (sent.provider_id, sent.attempts, sent.error, sent.updated_at) == ("SM1", 1, None, later)
    assert outbox.get("k") == sent


@pytest.mark.parametrize("final", [OutboxState.SENT, OutboxState.FAILED])
def test_final_states_never_move(outbox: Outbox, final: OutboxState) -> None:
    outbox.reserve(_entry("k"))
    outbox.update("k", final, at=T0)
    for target in OutboxState:
        with pytest.raises(StoreError, match="final"):
            outbox.update("k", target, at=T0)
    stored = outbox.get("k")
    assert stored is not None
    assert stored.state is final


def test_a_late_receipt_corrects_a_not_sent_final_entry_by_compare_and_set_only(
    outbox: Outbox,
) -> None:
    # A hand-over that outlived its lease reports the provider took the text after the
    # key was queued again and cancelled: the one move out of a final state.
    outbox.reserve(_entry("k", OutboxState.DEFERRED))
    cancelled = outbox.update("k", OutboxState.CANCELLED, at=T0, error="appt cancelled")
    later = T0 + timedelta(minutes=3)
    with pytest.raises(StoreError, match="final"):  # not a plain move
        outbox.update("k", OutboxState.SENT, at=later, provider_id="SM1")
    with pytest.raises(StoreError, match="final"):  # not without the provider's id
        outbox.update("k", OutboxState.SENT, at=later, expected=cancelled)
    with pytest.raises(StoreError, match="final"):  # never back into play
        outbox.update("k", OutboxState.DEFERRED, at=later, expected=cancelled)
    with pytest.raises(StoreError, match="final"):  # nor another message (rev29m)
        outbox.update("k", OutboxState.SENT, at=later, provider_id="SM1",
                      payload='{"body": "another text"}', expected=cancelled)
    sent = outbox.update("k", OutboxState.SENT, at=later, provider_id="SM1",
                         error="sent after all", attempted=True, expected=cancelled)
    assert (sent.state, sent.provider_id, sent.attempts) == (OutboxState.SENT, "SM1", 1)
    assert outbox.get("k") == sent
    with pytest.raises(StoreError, match="final"):  # sent stays sent
        outbox.update("k", OutboxState.SENT, at=later, provider_id="SM2", expected=sent)


def test_a_note_on_a_reserved_entry_is_no_second_claim(outbox: Outbox) -> None:
    # Messenger.cancel records a cancel asked for in flight: the entry as read, written
    # back at its own updated_at. Anything else that keeps it reserved is refused, so
    # two workers still cannot both take one queued entry.
    queued, _ = outbox.reserve(_entry("k", OutboxState.DEFERRED))
    claimed = outbox.update("k", OutboxState.RESERVED, at=T0, expected=queued)
    later = T0 + timedelta(minutes=1)
    with pytest.raises(StoreError):  # a second claim of the entry read as queued
        outbox.update("k", OutboxState.RESERVED, at=later, expected=queued)
    with pytest.raises(StoreError):  # not without the entry as read
        outbox.update("k", OutboxState.RESERVED, at=T0, payload='{"note": 1}')
    with pytest.raises(StoreError):  # nor as a new lease
        outbox.update("k", OutboxState.RESERVED, at=later, payload='{"note": 1}',
                      expected=claimed)
    with pytest.raises(StoreError):  # nor as a hand-over
        outbox.update("k", OutboxState.RESERVED, at=T0, attempted=True, expected=claimed)
    noted = outbox.update("k", OutboxState.RESERVED, at=T0, payload='{"note": 1}',
                          expected=claimed)
    assert (noted.state, noted.updated_at, noted.attempts) == (OutboxState.RESERVED, T0, 0)
    assert outbox.get("k") == noted
    assert [e.key for e in outbox.unresolved()] == ["k"]


def test_a_deferred_entry_cannot_jump_to_sent_without_being_reserved(outbox: Outbox) -> None:
    outbox.reserve(_entry("k", OutboxState.DEFERRED))
    with pytest.raises(StoreError):
        outbox.update("k", OutboxState.SENT, at=T0)
    with pytest.raises(StoreError, match="no entry"):
        outbox.update("other", OutboxState.SENT, at=T0)


def test_unresolved_lists_reserved_and_ambiguous_oldest_first(outbox: Outbox) -> None:
    outbox.reserve(_entry("late", minutes=9))
    outbox.reserve(_entry("early", minutes=1))
    outbox.reserve(_entry("done", minutes=0))
    outbox.reserve(_entry("queued", OutboxState.DEFERRED, minutes=0))
    outbox.update("done", OutboxState.SENT, at=T0)
    outbox.update("late", OutboxState.AMBIGUOUS, at=T0)
    assert [e.key for e in outbox.unresolved()] == ["early", "late"]


def test_due_lists_deferred_entries_whose_time_has_come(outbox: Outbox) -> None:
    for key, hours in (("b", 2), ("a", 1), ("c", 5)):
        outbox.reserve(_entry(key))
        outbox.update(key, OutboxState.DEFERRED, at=T0, not_before=T0 + timedelta(hours=hours))
    assert [e.key for e in outbox.due(T0 + timedelta(hours=2))] == ["a", "b"]
    assert outbox.due(T0) == ()
    outbox.update("a", OutboxState.RESERVED, at=T0)
    assert [e.key for e in outbox.due(T0 + timedelta(hours=9))] == ["b", "c"]


def _queue(outbox: Outbox) -> None:
    """Seven deferred entries: two due at one time (key decides), one due at its creation
    (no not_before), one given in another zone, one not yet due; and one not deferred."""
    new_york = timezone(timedelta(hours=-5))
    for key, minutes, due in (
        ("e", 0, T0 + timedelta(minutes=30)),
        ("d", 0, T0 + timedelta(minutes=30)),
        ("a", 0, T0 + timedelta(minutes=10)),
        ("f", 0, (T0 + timedelta(minutes=40)).astimezone(new_york)),
        ("c", 20, None),
        ("b", 0, T0 + timedelta(minutes=15)),
        ("late", 0, T0 + timedelta(hours=5)),
    ):
        outbox.reserve(_entry(key, OutboxState.DEFERRED, minutes=minutes))
        if due is not None:
            outbox.update(key, OutboxState.DEFERRED, at=T0, not_before=due)
    outbox.reserve(_entry("sending", minutes=1))


def test_due_with_a_limit_gives_the_earliest_entries_only(outbox: Outbox) -> None:
    _queue(outbox)
    at = T0 + timedelta(hours=1)
    assert [e.key for e in outbox.due(at)] == ["a", "b", "c", "d", "e", "f"]
    assert [e.key for e in outbox.due(at, limit=1)] == ["a"]
    assert [e.key for e in outbox.due(at, limit=4)] == ["a", "b", "c", "d"]
    assert [e.key for e in outbox.due(at, limit=50)] == ["a", "b", "c", "d", "e", "f"]
    assert outbox.due(T0, limit=3) == ()


def test_due_after_an_entry_reads_the_next_page(outbox: Outbox) -> None:
    _queue(outbox)
    at = T0 + timedelta(hours=1)
    d = outbox.get("d")
    assert d is not None
    assert [e.key for e in outbox.due(at, after=d)] == ["e", "f"]  # "d" and "e" tie on time
    assert [e.key for e in outbox.due(at, limit=1, after=d)] == ["e"]
    pages, after = [], None
    while page := outbox.due(at, limit=2, after=after):
        pages.append([e.key for e in page])
        after = page[-1]
    assert pages == [["a", "b"], ["c", "d"], ["e", "f"]]


def test_due_after_an_entry_since_moved_goes_by_the_entry_as_given(outbox: Outbox) -> None:
    _queue(outbox)
    at = T0 + timedelta(hours=1)
    b = outbox.get("b")
    assert b is not None
    outbox.update("b", OutboxState.RESERVED, at=T0)  # another worker took it
    assert [e.key for e in outbox.due(at, limit=2, after=b)] == ["c", "d"]
    outbox.update("b", OutboxState.DEFERRED, at=T0, not_before=T0 + timedelta(hours=3))
    assert [e.key for e in outbox.due(at, limit=2, after=b)] == ["c", "d"]


@pytest.mark.parametrize("limit", [0, -1, True, 1.5, "3"])
def test_due_refuses_a_limit_that_is_not_a_positive_whole_number(
    outbox: Outbox, limit: object
) -> None:
    with pytest.raises(ConfigurationError, match="limit"):
        outbox.due(T0, limit=limit)  # type: ignore[arg-type]


def test_concurrent_reservations_of_one_key_let_exactly_one_win(outbox: Outbox) -> None:
    wins: list[bool] = []
    barrier = threading.Barrier(8)

    def reserve() -> None:
        barrier.wait()
        wins.append(outbox.reserve(_entry("same"))[1])

    threads = [threading.Thread(target=reserve) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * 7 + [True]


def test_sqlite_outbox_survives_reopening(tmp_path: Path) -> None:
    with SQLiteOutbox(tmp_path / "o.db") as first:
        first.reserve(_entry("k"))
        first.update("k", OutboxState.AMBIGUOUS, at=T0, attempted=True)
    with SQLiteOutbox(tmp_path / "o.db") as again:
        assert [(e.key, e.state, e.attempts) for e in again.unresolved()] == [
            ("k", OutboxState.AMBIGUOUS, 1)
        ]


def test_repr_masks_the_number() -> None:
    assert ALICE not in repr(_entry("k"))
    assert "'k'" in repr(_entry("k"))


def test_sqlite_outbox_synchronous_is_checked(tmp_path: Path) -> None:
    with SQLiteOutbox(tmp_path / "n.db", synchronous="normal") as box:
        box.reserve(_entry("k"))
        assert box.get("k") is not None
    with pytest.raises(ConfigurationError, match="synchronous"):
        SQLiteOutbox(tmp_path / "x.db", synchronous="off")


def test_taking_a_queued_entry_is_a_compare_and_set(outbox: Outbox) -> None:
    outbox.reserve(_entry("q", OutboxState.DEFERRED))
    outbox.update("q", OutboxState.RESERVED, at=T0)  # one worker takes it
    with pytest.raises(OutboxConflictError):  # the other, which also read it as due
        outbox.update("q", OutboxState.RESERVED, at=T0)


def test_two_connections_to_one_file_cannot_both_take_a_queued_entry(tmp_path: Path) -> None:
    with (
        SQLiteOutbox(tmp_path / "o.sqlite3") as first,
        SQLiteOutbox(tmp_path / "o.sqlite3") as second,
    ):
        first.reserve(_entry("q", OutboxState.DEFERRED))
        assert [e.key for e in second.due(T0)] == ["q"]
        first.update("q", OutboxState.RESERVED, at=T0)
        with pytest.raises(OutboxConflictError):
            second.update("q", OutboxState.RESERVED, at=T0)


def test_resolving_a_stale_reservation_is_a_compare_and_set(outbox: Outbox) -> None:
    # Two callers read one stale RESERVED entry. The first queues it and takes it
    # again to send (RESERVED once more); the second's move, allowed by the state
    # machine on its own, must fail because the entry is not the one it read.
    stale, _ = outbox.reserve(_entry("k"))
    later = T0 + timedelta(minutes=5)
    outbox.update("k", OutboxState.DEFERRED, at=later, not_before=later, expected=stale)
    outbox.update("k", OutboxState.RESERVED, at=later)
    with pytest.raises(OutboxConflictError, match="changed since it was read"):
        outbox.update("k", OutboxState.DEFERRED, at=later, not_before=later, expected=stale)
    with pytest.raises(OutboxConflictError):
        outbox.update("k", OutboxState.SENT, at=later, provider_id="SM1", expected=stale)
    current = outbox.get("k")
    assert current is not None
    assert current.state is OutboxState.RESERVED
    assert current.provider_id is None
    moved = outbox.update("k", OutboxState.SENT, at=later, provider_id="SM1", expected=current)
    assert outbox.get("k") == moved


def test_concurrent_compare_and_sets_on_one_stale_entry_let_exactly_one_win(
    outbox: Outbox,
) -> None:
    stale, _ = outbox.reserve(_entry("k"))
    barrier = threading.Barrier(6)
    wins: list[bool] = []

    def resolve(n: int) -> None:
        at = T0 + timedelta(minutes=5, seconds=n)
        barrier.wait()
        try:
            outbox.update("k", OutboxState.DEFERRED, at=at, not_before=at, expected=stale)
        except OutboxConflictError:
            wins.append(False)
        else:
            wins.append(True)

    threads = [threading.Thread(target=resolve, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * 5 + [True]


def test_a_queued_entry_queued_again_is_not_the_one_read(outbox: Outbox) -> None:
    # What send_due relies on: a worker read the entry as due; another took it, was
    # refused and queued it again (same state, a later wait). Taking it with the
    # entry as first read must fail, or the wait the provider asked for is cut short.
    read, _ = outbox.reserve(_entry("q", OutboxState.DEFERRED))
    later = T0 + timedelta(minutes=1)
    outbox.update("q", OutboxState.RESERVED, at=later, expected=read)
    outbox.update("q", OutboxState.DEFERRED, at=later, not_before=later + timedelta(minutes=10),
                  error="rate limited", attempted=True)
    with pytest.raises(OutboxConflictError, match="changed since it was read"):
        outbox.update("q", OutboxState.RESERVED, at=later, expected=read)
    again = outbox.get("q")
    assert again is not None
    assert again.state is OutboxState.DEFERRED
    assert outbox.update("q", OutboxState.RESERVED, at=later, expected=again).attempts == 1


def test_due_takes_a_limit_beyond_any_queue(outbox: Outbox) -> None:
    # Review rev24d: past SQLite's and PostgreSQL's 64 bits, SQLite raised a bare
    # OverflowError and PostgreSQL a failed read, where memory read the queue.
    _queue(outbox)
    at = T0 + timedelta(hours=1)
    assert [e.key for e in outbox.due(at, limit=2**63)] == ["a", "b", "c", "d", "e", "f"]
    assert [e.key for e in outbox.due(at, limit=10**30)] == ["a", "b", "c", "d", "e", "f"]


@pytest.mark.parametrize("after", ["d", 3, T0])
def test_due_refuses_an_after_that_is_not_an_entry(outbox: Outbox, after: object) -> None:
    # Review rev24d: an AttributeError ('str' object has no attribute 'not_before').
    with pytest.raises(ConfigurationError, match="after"):
        outbox.due(T0, after=after)  # type: ignore[arg-type]


# --- retention: prune ---------------------------------------------------------


def _at(key: str, state: OutboxState, updated_minutes: int) -> OutboxEntry:
    """An entry stored as ``state`` whose last change was at T0 + ``updated_minutes``."""
    at = T0 + timedelta(minutes=updated_minutes)
    return OutboxEntry(key=key, recipient=ALICE, sender="+18005550100", state=state,
                       created_at=T0 - timedelta(days=400), updated_at=at,
                       not_before=at if state is OutboxState.DEFERRED else None)


def test_prune_removes_only_finished_entries_older_than_the_cut_off(outbox: Outbox) -> None:
    for key, state, minutes in [
        ("sent-old", OutboxState.SENT, 0), ("failed-old", OutboxState.FAILED, 5),
        ("sent-at-cut", OutboxState.SENT, 10), ("sent-new", OutboxState.SENT, 20),
        # However old, these are queued or in flight: never pruned.
        ("deferred-due", OutboxState.DEFERRED, -60), ("reserved-old", OutboxState.RESERVED, -60),
        ("ambiguous-old", OutboxState.AMBIGUOUS, -60),
    ]:
        outbox.reserve(_at(key, state, minutes))
    assert outbox.prune(T0 + timedelta(minutes=10)) == 2
    assert outbox.get("sent-old") is None
    assert outbox.get("failed-old") is None
    # "before" is strict: an entry updated exactly at the cut-off stays.
    for kept in ("sent-at-cut", "sent-new", "deferred-due", "reserved-old", "ambiguous-old"):
        assert outbox.get(kept) is not None, kept
    # The due queue and the unresolved list read as before.
    assert [e.key for e in outbox.due(T0)] == ["deferred-due"]
    assert [e.key for e in outbox.unresolved()] == ["ambiguous-old", "reserved-old"]
    assert outbox.prune(T0 + timedelta(minutes=10)) == 0


def test_prune_is_bounded_by_limit_and_a_loop_drains_it(outbox: Outbox) -> None:
    for n in range(7):
        outbox.reserve(_at(f"k{n}", OutboxState.SENT, n))
    assert outbox.prune(T0 + timedelta(hours=1), limit=3) == 3
    assert outbox.prune(T0 + timedelta(hours=1), limit=3) == 3
    assert outbox.prune(T0 + timedelta(hours=1), limit=3) == 1
    assert outbox.prune(T0 + timedelta(hours=1), limit=3) == 0


def test_prune_compares_instants_not_wall_clocks(outbox: Outbox) -> None:
    outbox.reserve(_at("k", OutboxState.SENT, 0))
    # T0 - 1 minute written in New York's zone (UTC-5): earlier than the entry.
    new_york = timezone(timedelta(hours=-5))
    assert outbox.prune((T0 - timedelta(minutes=1)).astimezone(new_york)) == 0
    assert outbox.prune((T0 + timedelta(minutes=1)).astimezone(new_york)) == 1


def test_a_pruned_key_can_be_reserved_again(outbox: Outbox) -> None:
    """What the docs warn of: a forgotten key is a new message."""
    outbox.reserve(_at("k", OutboxState.SENT, 0))
    assert outbox.prune(T0 + timedelta(minutes=1)) == 1
    assert outbox.reserve(_entry("k"))[1] is True


@pytest.mark.parametrize(("before", "limit", "field"), [
    (datetime(2026, 11, 20, 12, 0), 10, "before"),  # naive: the host's time
    ("2026-11-20T12:00:00+00:00", 10, "before"),
    (T0, 0, "limit"),
    (T0, -1, "limit"),
    (T0, 2.5, "limit"),
    (T0, True, "limit"),
])
def test_prune_refuses_a_naive_cut_off_or_a_bad_limit(
    outbox: Outbox, before: object, limit: object, field: str
) -> None:
    outbox.reserve(_at("k", OutboxState.SENT, -60))
    with pytest.raises(ConfigurationError) as info:
        outbox.prune(before, limit=limit)  # type: ignore[arg-type]
    assert info.value.field == field
    assert outbox.get("k") is not None


def test_a_compare_and_set_on_an_entry_pruned_since_it_was_read_is_a_conflict(
    outbox: Outbox,
) -> None:
    """A worker read the entry as due; another sent it and a prune removed it: the first
    worker's claim is lost like any other (OutboxConflictError), not a store failure."""
    read, _ = outbox.reserve(_at("k", OutboxState.DEFERRED, -60))
    outbox.update("k", OutboxState.RESERVED, at=T0, expected=read)
    outbox.update("k", OutboxState.SENT, at=T0)
    assert outbox.prune(T0 + timedelta(minutes=1)) == 1
    with pytest.raises(OutboxConflictError, match="gone since it was read"):
        outbox.update("k", OutboxState.RESERVED, at=T0, expected=read)
    # Without expected= an unknown key is still the caller's mistake, not a lost race.
    with pytest.raises(StoreError) as info:
        outbox.update("k", OutboxState.RESERVED, at=T0)
    assert not isinstance(info.value, OutboxConflictError)


@pytest.mark.parametrize("limit", [2**63, 10**30])
def test_prune_with_a_limit_beyond_64_bits_removes_them_all_and_the_store_goes_on(
    outbox: Outbox, limit: int
) -> None:
    """"As many as there are" written as a huge number. Review rev25r: SQLite raised a
    bare OverflowError with its BEGIN IMMEDIATE still open, so the file stayed write
    locked and every later write on the store failed ("cannot start a transaction
    within a transaction"); PostgreSQL failed with "bigint out of range"."""
    outbox.reserve(_at("old", OutboxState.SENT, 0))
    outbox.reserve(_at("queued", OutboxState.DEFERRED, 0))
    assert outbox.prune(T0 + timedelta(minutes=1), limit=limit) == 1
    assert outbox.reserve(_entry("next"))[1] is True
    assert outbox.get("queued") is not None


@pytest.mark.parametrize(("field", "value"), [
    ("provider_id", "SM\x001"), ("error", "timeout\x00"), ("payload", '{"a": "\x00"}'),
])
def test_an_update_with_a_nul_is_kept_as_given_or_refused_whole(
    outbox: Outbox, field: str, value: str
) -> None:
    """PostgreSQL text cannot hold a NUL: PostgresOutbox refuses it with the field named
    (rough29: update did not, and the server's StoreError named neither), as its
    reserve and get do; the others keep the value as given. Never half-written."""
    stored, _ = outbox.reserve(_entry("k"))
    later = T0 + timedelta(seconds=5)
    if type(outbox).__name__ == "PostgresOutbox":
        with pytest.raises(ConfigurationError,
                           match=rf"^PostgresOutbox: {field} holds a NUL character"):
            outbox.update("k", OutboxState.SENT, at=later, **{field: value})
        assert outbox.get("k") == stored
        value = value.replace("\x00", "")  # the same move without it goes through
    moved = outbox.update("k", OutboxState.SENT, at=later, **{field: value})
    assert getattr(moved, field) == value
    assert outbox.get("k") == moved


@pytest.mark.parametrize("key", ["lead-\ud800", "\udcff-reminder"])
def test_a_key_with_half_a_surrogate_pair_is_refused_by_get_and_update_too(
    outbox: Outbox, key: str
) -> None:
    """Review of audit30: OutboxEntry refused such a key, but get and update took it to
    the driver, and SQLite's and PostgreSQL's raised UnicodeEncodeError (a traceback from
    Messenger.send, which reads the key first, and from Messenger.cancel). Every store
    refuses it alike, naming the key field; no such key can be stored to be found."""
    for call in (
        lambda: outbox.get(key),
        lambda: outbox.update(key, OutboxState.SENT, at=T0),
    ):
        with pytest.raises(ConfigurationError, match="surrogate") as info:
            call()
        assert info.value.field == "key"
    outbox.reserve(_entry("k"))  # the store goes on
    assert outbox.get("k") is not None
