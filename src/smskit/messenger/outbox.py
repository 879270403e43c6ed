"""The outbox: one durable row per idempotency key, written *before* the provider is called.

An entry moves through a small state machine::

    DEFERRED ──► RESERVED ──► SENT        (final)
     │  ▲            │   └──► FAILED      (final)
     │  └────────────┤
     │               └──► AMBIGUOUS ──► SENT / FAILED / DEFERRED (after a lookup)
     ├──► CANCELLED   (final: Messenger.cancel)
     └──► EXPIRED     (final: its send-by instant passed before it went)

    CANCELLED / EXPIRED / FAILED ──► SENT   (a late receipt: see below)

A hand-over can outlive its lease: another worker then looks the key up, finds
nothing yet, queues it, and it may be cancelled, expire or fail. When the stalled
hand-over's provider answers that it took the text after all, the row is corrected
to ``SENT`` (a compare-and-set carrying the provider's id): the record says what
happened to the customer, not what was hoped.

``RESERVED`` and ``AMBIGUOUS`` entries are *unresolved*: the provider may or may
not hold the message. After a crash, the messenger looks each one up at the
provider before anything with that key is sent again; that is what makes "one
key, at most one message" survive ``kill -9`` between the provider's answer and
the record. :class:`MemoryOutbox` and :class:`SQLiteOutbox` implement
:class:`Outbox`.
"""

from __future__ import annotations

import heapq
import sqlite3
import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from operator import itemgetter
from pathlib import Path
from typing import Protocol

from .._sqlite import (
    check_timeout,
    create_schema,
    is_retryable,
    refuse_ledger_file,
    switch_to_wal,
    write_transaction,
)
from ..errors import ConfigurationError, OutboxConflictError, StoreError, closed_store
from ..findings import _shown as _shown_key  # a key's repr, digit runs masked
from ..findings import reduce_frozen
from ..numbers import mask_number
from ..numbers.parse import mask_sender
from ..timing.caps import PRUNE_LIMIT, check_prune

__all__ = ["MemoryOutbox", "Outbox", "OutboxEntry", "OutboxState", "SQLiteOutbox"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class OutboxState(StrEnum):
    """Where an outbox entry stands (stored values: never renamed)."""

    RESERVED = "reserved"
    SENT = "sent"
    FAILED = "failed"
    DEFERRED = "deferred"
    AMBIGUOUS = "ambiguous"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @property
    def unresolved(self) -> bool:
        """The provider may or may not hold this message: look it up before resending."""
        return self in (OutboxState.RESERVED, OutboxState.AMBIGUOUS)

    @property
    def final(self) -> bool:
        """Nothing moves this entry again (``SENT``, ``FAILED``, ``CANCELLED``,
        ``EXPIRED``): ``prune`` may remove it. (A provider's late receipt still
        corrects the last three to ``SENT``: see the module's notes.)"""
        return self in _FINAL


_MOVES: dict[OutboxState, frozenset[OutboxState]] = {
    # Only a queued entry can be cancelled or expire: a reserved one may be at the
    # provider already, and nothing takes a message back from there.
    OutboxState.DEFERRED: frozenset(
        {
            OutboxState.RESERVED,
            OutboxState.FAILED,
            OutboxState.DEFERRED,
            OutboxState.CANCELLED,
            OutboxState.EXPIRED,
        }
    ),
    OutboxState.RESERVED: frozenset(
        {
            OutboxState.SENT,
            OutboxState.FAILED,
            OutboxState.AMBIGUOUS,
            OutboxState.DEFERRED,
        }
    ),
    OutboxState.AMBIGUOUS: frozenset(
        {
            OutboxState.SENT,
            OutboxState.FAILED,
            OutboxState.RESERVED,
            OutboxState.AMBIGUOUS,
            OutboxState.DEFERRED,  # a lookup said the provider does not have it
        }
    ),
    OutboxState.SENT: frozenset(),
    OutboxState.FAILED: frozenset(),
    OutboxState.CANCELLED: frozenset(),
    OutboxState.EXPIRED: frozenset(),
}
#: The states no move leaves: the only entries ``prune`` removes.
_FINAL = frozenset(state for state, moves in _MOVES.items() if not moves)
#: Final states that say "nothing went out". A provider's receipt for the key, from a
#: hand-over that outlived its lease while another worker queued the key and it was
#: cancelled, expired or failed, corrects them to SENT: the only move out of a final
#: state, and only as a compare-and-set that names the provider's message id.
LATE_RECEIPT = frozenset({OutboxState.CANCELLED, OutboxState.EXPIRED, OutboxState.FAILED})
#: The final states as a SQL list, for the SQL stores' DELETE (and PostgreSQL's trigger).
FINAL_SQL = ", ".join(f"'{state.value}'" for state in sorted(_FINAL))


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One idempotency key and what became of it.

    Attributes:
        key: the idempotency key (unique in the outbox).
        recipient: E.164 number (masked in ``repr``).
        sender: the sending number or messaging-service id.
        state: where it stands.
        created_at: when it was first reserved or queued.
        updated_at: the last change.
        payload: what the messenger needs to send it again (JSON text; opaque here).
        attempts: how many times it was handed to the provider.
        provider_id: the provider's message id once known.
        not_before: for a deferral, the earliest instant it may go.
        error: why it failed or is ambiguous (a category or provider code and a sentence),
            or why it was cancelled or expired.
    """

    key: str
    recipient: str = field(repr=False)
    sender: str
    state: OutboxState
    created_at: datetime
    updated_at: datetime
    payload: str = field(default="{}", repr=False)
    attempts: int = 0
    provider_id: str | None = None
    not_before: datetime | None = None
    error: str | None = None
    # Pickles with reduce_frozen: datetime drops a repeated hour's fold before protocol 4.
    __reduce__ = reduce_frozen

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key:
            raise ConfigurationError("outbox key must be a non-empty str", field="key")
        refuse_broken_key(self.key)
        object.__setattr__(self, "state", OutboxState(self.state))
        for name in ("created_at", "updated_at", "not_before"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, datetime) or value.utcoffset() is None):
                raise ConfigurationError(f"{name} must be an aware datetime", field=name)

    def __repr__(self) -> str:
        return (
            f"OutboxEntry(key={_shown_key(self.key)}, recipient={mask_number(self.recipient)!r}, "
            f"sender={mask_sender(self.sender)!r}, state={self.state.value!r}, "
            f"attempts={self.attempts}, "
            f"provider_id={self.provider_id!r})"
        )


class Outbox(Protocol):
    """Protocol: durable idempotency keys and the state of each message."""

    def reserve(self, entry: OutboxEntry) -> tuple[OutboxEntry, bool]:
        """Store ``entry`` unless its key exists; return the stored entry and whether it is new.

        Atomic: of two concurrent calls with one key, exactly one gets ``True``.
        """
        ...

    def get(self, key: str) -> OutboxEntry | None:
        """The entry for ``key``, or ``None``."""
        ...

    def update(
        self,
        key: str,
        state: OutboxState,
        *,
        at: datetime,
        provider_id: str | None = None,
        not_before: datetime | None = None,
        error: str | None = None,
        attempted: bool = False,
        payload: str | None = None,
        expected: OutboxEntry | None = None,
    ) -> OutboxEntry:
        """Move ``key`` to ``state`` (``attempted`` counts one more hand-over to the provider).

        ``provider_id`` and ``payload`` are kept when not given again (a
        deferred message decided anew may read differently: give its payload).
        With ``expected`` (the entry as the caller read it) the move is a
        compare-and-set: it happens only if the stored entry is still exactly
        that one. Resolving a stale ``RESERVED`` entry needs it: that move is
        allowed by the state machine, so without it two callers that both read
        the stale entry could both queue and resend it. A ``RESERVED`` entry
        written back as ``RESERVED`` with ``expected`` and ``at`` its own
        ``updated_at`` (no hand-over counted) is a note (a new ``payload`` or
        ``error``), not a move: how a cancel asked for in flight is recorded.

        Raises:
            StoreError: unknown key.
            OutboxConflictError: a move the state machine forbids (from a final
                state, but ``CANCELLED``, ``EXPIRED`` or ``FAILED`` to ``SENT`` with
                ``expected`` and a ``provider_id``, its payload kept: a late receipt;
                or taking an entry another worker has already reserved),
                or the entry is no longer ``expected`` (gone too: another worker
                settled it and it was pruned).
        """
        ...

    def unresolved(self) -> tuple[OutboxEntry, ...]:
        """``RESERVED`` and ``AMBIGUOUS`` entries, oldest first."""
        ...

    def due(
        self, at: datetime, *, limit: int | None = None, after: OutboxEntry | None = None
    ) -> tuple[OutboxEntry, ...]:
        """``DEFERRED`` entries whose ``not_before`` is at or before ``at``, earliest first.

        They sort by due time (``not_before``, else ``created_at``), in UTC, then key.
        ``limit``: at most that many (the first ones). ``after``: only the entries
        that sort after it, by its due time and key as given (a page's last entry,
        to read the next page; it need not still be stored as it was).
        """
        ...

    def prune(self, before: datetime, *, limit: int = PRUNE_LIMIT) -> int:
        """Remove at most ``limit`` final entries (``SENT``, ``FAILED``, ``CANCELLED``,
        ``EXPIRED``) last updated before ``before``; how many went.

        Never an entry that is ``DEFERRED`` (due or not), ``RESERVED`` or ``AMBIGUOUS``,
        however old: those are queued or in flight. Each call is one short
        transaction: call it again until it returns fewer than ``limit``. A pruned
        key is forgotten: a request reusing it is a new message (keep entries longer
        than any caller retries a key). Outboxes written before this method existed
        keep working; only :meth:`smskit.messenger.Messenger.prune_outbox` needs it.

        Raises:
            ConfigurationError: a naive ``before`` or a ``limit`` below 1.
        """
        ...

    def close(self) -> None:
        """Release the store's resources."""
        ...


def _check_now(at: object) -> None:
    """Refuse a naive ``at``: made aware by ``astimezone`` it would be the host's time."""
    if not isinstance(at, datetime) or at.utcoffset() is None:
        raise ConfigurationError(
            "at must be an aware datetime (e.g. datetime.now(UTC)), not "
            f"{at!r:.60}", field="at",
        )


#: More rows than any queue holds: SQLite's and PostgreSQL's LIMIT stop at 64 bits.
_MAX_ROWS = 2**63 - 1


def _check_page(limit: object, after: object) -> int | None:
    """``due``'s ``limit`` and ``after`` checked; the limit to give a SQL ``LIMIT``."""
    if limit is not None and (type(limit) is not int or limit < 1):
        raise ConfigurationError(
            f"due limit must be a whole number, at least 1, or None; got {limit!r:.40}",
            field="limit",
        )
    if after is not None and not isinstance(after, OutboxEntry):
        raise ConfigurationError(
            f"due after= must be an OutboxEntry (a page's last) or None; got a "
            f"{type(after).__name__}",
            field="after",
        )
    return None if limit is None else min(limit, _MAX_ROWS)


def _due_order(entry: OutboxEntry) -> tuple[datetime, str]:
    """Where ``due`` puts an entry: its due time, then its key.

    In UTC: two times in one zone compare by wall clock, which a clock change
    repeats (as the SQLite outbox's microseconds do not)."""
    return (entry.not_before or entry.created_at).astimezone(UTC), entry.key


def refuse_broken_key(key: str) -> None:
    """A :class:`ConfigurationError` for a key holding half a UTF-16 surrogate pair: SQLite's
    and PostgreSQL's drivers raise UnicodeEncodeError on it (a traceback). Every outbox
    refuses it in reserve, get and update alike: no store can hold such a key."""
    if not key.isascii():
        try:
            key.encode("utf-8")
        except UnicodeEncodeError:
            raise ConfigurationError(
                "outbox key holds half a UTF-16 surrogate pair (a broken character); "
                "repair it or replace it with U+FFFD", field="key"
            ) from None


def _missing(key: str, expected: OutboxEntry | None) -> StoreError:
    """The error for an ``update`` of a key not stored.

    With ``expected`` the caller read the entry, so it was there: another worker
    settled it and ``prune`` removed it since. That is a lost compare-and-set like
    any other (``OutboxConflictError``), not a failing store."""
    if expected is not None:
        return OutboxConflictError(
            f"outbox entry {_shown_key(key)} is gone since it was read (settled by another caller "
            "and pruned); not moved"
        )
    return StoreError(f"outbox has no entry {_shown_key(key)}")


def same_entry(a: OutboxEntry, b: OutboxEntry) -> bool:
    """Whether two entries hold one stored state: every field equal, instants compared
    in UTC. ``==`` compares aware datetimes of two zones as never equal when one falls
    in an hour a clock change repeats (and of one zone by wall clock, fold ignored);
    the SQL outboxes read entries back in UTC, so an entry as the messenger reserved
    it, in the recipient's zone, never matched the stored one then."""
    return _in_utc(a) == _in_utc(b)


def same_instant(a: datetime, b: datetime) -> bool:
    """Whether two aware datetimes are one instant (in UTC, not by ``==``: see
    :func:`same_entry`)."""
    return a.astimezone(UTC) == b.astimezone(UTC)


def _check_move(
    entry: OutboxEntry, state: OutboxState, expected: OutboxEntry | None = None,
    provider_id: str | None = None, note: bool = False, payload: str | None = None,
) -> None:
    # Any write changes the entry (at least its updated_at, the writer's "now",
    # which for an entry read as stale is later than what was read).
    if expected is not None and not same_entry(entry, expected):
        raise OutboxConflictError(
            f"outbox entry {_shown_key(entry.key)} changed since it was read (now "
            f"{entry.state.value}): another caller resolved it first; not moved"
        )
    if note:
        return  # a note on a reserved entry as read (a cancel asked for in flight)
    if (
        state is OutboxState.SENT and entry.state in LATE_RECEIPT and expected is not None
        and provider_id is not None and payload in (None, entry.payload)
    ):
        # A late receipt (see LATE_RECEIPT): the text went out after all. It says what
        # became of the message the entry holds; it does not replace that message.
        return
    # Taking a queued entry to send it (DEFERRED -> RESERVED) is a compare-and-set:
    # RESERVED -> RESERVED is not a move, so of two workers that both read the
    # entry as due, one takes it and the other gets OutboxConflictError.
    if state not in _MOVES[entry.state]:
        raise OutboxConflictError(
            f"outbox entry {_shown_key(entry.key)} is {entry.state.value}; it cannot become "
            f"{state.value} (sent, failed, cancelled and expired entries are final; a "
            "reserved one is being sent by another worker)"
        )


def _moved(
    entry: OutboxEntry,
    state: OutboxState,
    at: datetime,
    provider_id: str | None,
    not_before: datetime | None,
    error: str | None,
    attempted: bool,
    payload: str | None = None,
    expected: OutboxEntry | None = None,
) -> OutboxEntry:
    # RESERVED -> RESERVED is no move (it would let two workers take one queued entry),
    # but the entry as read, written back at its own updated_at and no hand-over
    # counted, is a note on it: Messenger.cancel records a cancel asked for in flight.
    note = (
        state is entry.state is OutboxState.RESERVED and expected is not None
        and same_instant(at, entry.updated_at) and not attempted
    )
    _check_move(entry, state, expected, provider_id, note, payload)
    return replace(
        entry,
        payload=payload if payload is not None else entry.payload,
        state=state,
        updated_at=at,
        provider_id=provider_id if provider_id is not None else entry.provider_id,
        not_before=not_before,
        error=error,
        attempts=entry.attempts + (1 if attempted else 0),
    )


class MemoryOutbox:
    """A complete in-process :class:`Outbox` (lost with the process: tests and dry runs).

    It answers as the SQL outboxes do: a stored entry comes back with its instants in
    UTC, and every call after :meth:`close` raises ``StoreError``.
    """

    def __init__(self) -> None:
        self._entries: dict[str, OutboxEntry] = {}
        self._lock = threading.Lock()
        self._closed = False

    def _check_open(self) -> None:
        """Raise if closed; the caller holds the lock."""
        if self._closed:
            raise closed_store(self)

    def reserve(self, entry: OutboxEntry) -> tuple[OutboxEntry, bool]:
        """Store ``entry`` unless its key exists."""
        with self._lock:
            self._check_open()
            existing = self._entries.get(entry.key)
            if existing is not None:
                return existing, False
            self._entries[entry.key] = _in_utc(entry)
            return entry, True

    def get(self, key: str) -> OutboxEntry | None:
        """The entry for ``key``, or ``None``."""
        refuse_broken_key(key)
        with self._lock:
            self._check_open()
            return self._entries.get(key)

    def update(
        self,
        key: str,
        state: OutboxState,
        *,
        at: datetime,
        provider_id: str | None = None,
        not_before: datetime | None = None,
        error: str | None = None,
        attempted: bool = False,
        payload: str | None = None,
        expected: OutboxEntry | None = None,
    ) -> OutboxEntry:
        """Move ``key`` to ``state``."""
        refuse_broken_key(key)
        state = OutboxState(state)
        with self._lock:
            self._check_open()
            entry = self._entries.get(key)
            if entry is None:
                raise _missing(key, expected)
            moved = _moved(
                entry, state, at, provider_id, not_before, error, attempted, payload, expected
            )
            self._entries[key] = _in_utc(moved)
            return moved

    def unresolved(self) -> tuple[OutboxEntry, ...]:
        """Entries the provider may or may not hold, oldest first."""
        with self._lock:
            self._check_open()
            found = [e for e in self._entries.values() if e.state.unresolved]
        # In UTC, as due(): by wall clock the repeated hour's second pass sorts first.
        return tuple(sorted(found, key=lambda e: (e.created_at.astimezone(UTC), e.key)))

    def due(
        self, at: datetime, *, limit: int | None = None, after: OutboxEntry | None = None
    ) -> tuple[OutboxEntry, ...]:
        """Deferred entries due at ``at``, earliest first (at most ``limit``, after ``after``)."""
        _check_now(at)
        _check_page(limit, after)
        instant = at.astimezone(UTC)
        start = None if after is None else _due_order(after)
        with self._lock:
            self._check_open()
            found = (
                (order, e)
                for e in self._entries.values()
                if e.state is OutboxState.DEFERRED
                and (order := _due_order(e))[0] <= instant
                and (start is None or order > start)
            )
            # nsmallest keeps `limit` items, not a sorted copy of the whole queue.
            first = (
                sorted(found, key=itemgetter(0))
                if limit is None
                else heapq.nsmallest(limit, found, key=itemgetter(0))
            )
        return tuple(e for _, e in first)

    def prune(self, before: datetime, *, limit: int = PRUNE_LIMIT) -> int:
        """Remove at most ``limit`` final entries last updated before ``before``
        (the oldest); how many went."""
        limit = check_prune(before, limit)
        cut = before.astimezone(UTC)
        with self._lock:
            self._check_open()
            old = heapq.nsmallest(limit, (
                (e.updated_at.astimezone(UTC), e.key) for e in self._entries.values()
                if e.state.final and e.updated_at.astimezone(UTC) < cut
            ))
            for _, key in old:
                del self._entries[key]
        return len(old)

    def close(self) -> None:
        """Make the outbox unusable, as the SQL ones' ``close`` does; closing twice is fine."""
        with self._lock:
            self._closed = True

    def __enter__(self) -> MemoryOutbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _in_utc(entry: OutboxEntry) -> OutboxEntry:
    """``entry`` with its instants in UTC, as the SQL outboxes store and read them back."""
    return replace(
        entry, created_at=entry.created_at.astimezone(UTC),
        updated_at=entry.updated_at.astimezone(UTC),
        not_before=None if entry.not_before is None else entry.not_before.astimezone(UTC),
    )


_SCHEMA = """
CREATE TABLE IF NOT EXISTS smskit_outbox (
    key TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    recipient TEXT NOT NULL,
    sender TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_us INTEGER NOT NULL,
    updated_us INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    provider_id TEXT,
    not_before_us INTEGER,
    error TEXT
);
CREATE INDEX IF NOT EXISTS smskit_outbox_state ON smskit_outbox (state, not_before_us);
CREATE INDEX IF NOT EXISTS smskit_outbox_due
    ON smskit_outbox (state, COALESCE(not_before_us, created_us), key);
"""
# smskit_outbox_due serves due() in its own order: a page is a seek and LIMIT rows, not
# a read and sort of every deferred row. A file made before it gains it when opened
# (CREATE ... IF NOT EXISTS; the rows are untouched).

_COLUMNS = (
    "key, state, recipient, sender, payload, created_us, updated_us, attempts, "
    "provider_id, not_before_us, error"
)


def _micros(at: datetime) -> int:
    return (at - _EPOCH) // timedelta(microseconds=1)


def _instant(value: int | None) -> datetime | None:
    return None if value is None else _EPOCH + timedelta(microseconds=value)


def _row(entry: OutboxEntry) -> tuple[object, ...]:
    return (
        entry.key,
        entry.state.value,
        entry.recipient,
        entry.sender,
        entry.payload,
        _micros(entry.created_at),
        _micros(entry.updated_at),
        entry.attempts,
        entry.provider_id,
        None if entry.not_before is None else _micros(entry.not_before),
        entry.error,
    )


def _entry(row: tuple[object, ...]) -> OutboxEntry:
    key, state, recipient, sender, payload, created, updated, attempts, pid, nb, error = row
    created_at, updated_at = _instant(int(str(created))), _instant(int(str(updated)))
    assert created_at is not None
    assert updated_at is not None
    return OutboxEntry(
        key=str(key),
        recipient=str(recipient),
        sender=str(sender),
        state=OutboxState(str(state)),
        created_at=created_at,
        updated_at=updated_at,
        payload=str(payload),
        attempts=int(str(attempts)),
        provider_id=None if pid is None else str(pid),
        not_before=_instant(None if nb is None else int(str(nb))),
        error=None if error is None else str(error),
    )


class SQLiteOutbox:
    """A durable :class:`Outbox` in one SQLite file (WAL; each change one transaction).

    A change is committed before the method returns, so a process killed right
    after :meth:`reserve` or :meth:`update` leaves the row behind for
    reconciliation. Several processes may share the file; a writer waits up to
    ``timeout`` seconds for another. Use as a context manager or call :meth:`close`.

    Args:
        path: the database file.
        timeout: seconds a writer waits for another.
        synchronous: ``"full"`` (default) syncs the file on every commit, so a
            reservation also survives a power cut or an operating-system crash;
            ``"normal"`` survives a killed process only, and is about 60 times
            faster on a disk where a sync takes milliseconds (measured by
            ``benchmarks/bench_messenger.py``). A reservation lost to a power cut
            after the provider took the message is a message sent twice.
    """

    def __init__(
        self, path: str | Path, *, timeout: float = 30.0, synchronous: str = "full"
    ) -> None:
        if synchronous not in ("full", "normal"):
            raise ConfigurationError(
                f"synchronous must be 'full' or 'normal', not {synchronous!r}",
                field="synchronous",
            )
        timeout = check_timeout(timeout)
        try:
            self._db = sqlite3.connect(
                str(path), timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open outbox {str(path)!r}: {exc}") from exc
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            refuse_ledger_file(self._db, path, "outbox")
            switch_to_wal(self._db, timeout)
            self._db.execute(f"PRAGMA synchronous = {synchronous.upper()}")
            create_schema(self._db, _SCHEMA)
        except sqlite3.Error as exc:
            self._db.close()  # never leave the connection to the garbage collector
            raise StoreError(
                f"cannot open outbox {str(path)!r}: {exc}", retryable=is_retryable(exc)
            ) from exc
        self._path = str(path)
        # Re-entrant: close() takes it, and a shutdown signal handler closing the store
        # runs in the thread that may be inside a call holding it (a plain lock hung).
        self._lock = threading.RLock()

    def _select(self, where: str, args: tuple[object, ...]) -> list[OutboxEntry]:
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM smskit_outbox WHERE {where}", args)
        return [_entry(tuple(row)) for row in rows.fetchall()]

    def reserve(self, entry: OutboxEntry) -> tuple[OutboxEntry, bool]:
        """Store ``entry`` unless its key exists (one ``INSERT OR IGNORE``, committed)."""
        what = f"reserving {_shown_key(entry.key)} in {self._path!r}"
        with self._lock, write_transaction(self._db, what):
            cursor = self._db.execute(
                f"INSERT OR IGNORE INTO smskit_outbox ({_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _row(entry),
            )
            created = cursor.rowcount == 1
            stored = entry if created else self._select("key = ?", (entry.key,))[0]
        return stored, created

    def get(self, key: str) -> OutboxEntry | None:
        """The entry for ``key``, or ``None``."""
        refuse_broken_key(key)
        with self._lock:
            try:
                found = self._select("key = ?", (key,))
            except sqlite3.Error as exc:
                raise StoreError(f"reading outbox {self._path!r} failed: {exc}") from exc
        return found[0] if found else None

    def update(
        self,
        key: str,
        state: OutboxState,
        *,
        at: datetime,
        provider_id: str | None = None,
        not_before: datetime | None = None,
        error: str | None = None,
        attempted: bool = False,
        payload: str | None = None,
        expected: OutboxEntry | None = None,
    ) -> OutboxEntry:
        """Move ``key`` to ``state`` (read, check and write in one transaction)."""
        refuse_broken_key(key)
        state = OutboxState(state)
        # A refused move (OutboxConflictError, a naive ``at``) rolls back.
        with self._lock, write_transaction(
            self._db, f"updating {_shown_key(key)} in {self._path!r}"
        ):
            found = self._select("key = ?", (key,))
            if not found:
                raise _missing(key, expected)
            moved = _moved(
                found[0], state, at, provider_id, not_before, error, attempted, payload,
                expected,
            )
            self._db.execute(
                "UPDATE smskit_outbox SET state = ?, payload = ?, updated_us = ?, "
                "attempts = ?, provider_id = ?, not_before_us = ?, error = ? WHERE key = ?",
                _row(moved)[1:2] + _row(moved)[4:5] + _row(moved)[6:] + (key,),
            )
        return moved

    def unresolved(self) -> tuple[OutboxEntry, ...]:
        """Entries the provider may or may not hold, oldest first."""
        with self._lock:
            try:
                found = self._select(
                    "state IN ('reserved', 'ambiguous') ORDER BY created_us, key", ()
                )
            except sqlite3.Error as exc:
                raise StoreError(f"reading outbox {self._path!r} failed: {exc}") from exc
        return tuple(found)

    def due(
        self, at: datetime, *, limit: int | None = None, after: OutboxEntry | None = None
    ) -> tuple[OutboxEntry, ...]:
        """Deferred entries due at ``at``, earliest first (at most ``limit``, after ``after``)."""
        _check_now(at)
        limit = _check_page(limit, after)
        where = "state = 'deferred' AND COALESCE(not_before_us, created_us) <= ?"
        args: tuple[object, ...] = (_micros(at),)
        if after is not None:
            # The ">=" lets SQLite seek the index to the page's start; it does not with
            # the row value alone (SQLite 3.40).
            since = _micros(after.not_before or after.created_at)
            where += (
                " AND COALESCE(not_before_us, created_us) >= ?"
                " AND (COALESCE(not_before_us, created_us), key) > (?, ?)"
            )
            args += (since, since, after.key)
        where += " ORDER BY COALESCE(not_before_us, created_us), key"
        if limit is not None:
            where += " LIMIT ?"
            args += (limit,)
        with self._lock:
            try:
                found = self._select(where, args)
            except sqlite3.Error as exc:
                raise StoreError(f"reading outbox {self._path!r} failed: {exc}") from exc
        return tuple(found)

    def prune(self, before: datetime, *, limit: int = PRUNE_LIMIT) -> int:
        """Remove at most ``limit`` final entries last updated before ``before``; how
        many went.

        One ``BEGIN IMMEDIATE`` transaction of at most ``limit`` rows. A worker's
        claim (``DEFERRED`` to ``RESERVED``) is a transaction of its own on the same
        write lock, so the two take turns and the state read here is the committed one.

        Raises:
            ConfigurationError: a naive ``before`` or a ``limit`` below 1.
            StoreError: the file stayed locked past ``timeout``, or SQLite failed.
        """
        limit = check_prune(before, limit)
        with self._lock, write_transaction(self._db, f"pruning outbox {self._path!r}"):
            removed = self._db.execute(
                "DELETE FROM smskit_outbox WHERE key IN (SELECT key FROM smskit_outbox "
                f"WHERE state IN ({FINAL_SQL}) AND updated_us < ? LIMIT ?)",
                (_micros(before), limit),
            ).rowcount
        return int(removed)

    def close(self) -> None:
        """Close the database, once a call under way in another thread has finished
        (closed under it, the process crashed); closing twice is fine."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> SQLiteOutbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
