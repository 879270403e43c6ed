"""``SQLiteStore``: the durable, embedded consent store.

One SQLite file in WAL mode. Each append is one ``BEGIN IMMEDIATE`` transaction
that reads the head of the chain and inserts the sealed event, so several
threads and several processes may append to the same file at once without
losing, duplicating or forking events. Rows are append-only (triggers refuse
UPDATE and DELETE); every event read is checked against its stored hash, and
:meth:`smskit.consent.ConsentLedger.verify` checks the whole chain.

Beside the chain, a ``facts`` table holds what decisions read of each event
(:class:`~smskit.consent.fold.EventFacts`: no evidence text, no hash), written in
the same transaction as the event. :meth:`SQLiteStore.facts_many` answers from it
without decoding or re-hashing events (the compliance engine's hot path);
``verify`` checks every facts row against the event it was derived from, so an
edited projection is caught like an edited event. A schema-1 file (before the
projection) is upgraded in place when opened writable, its facts derived from
hash-checked events; a schema-2 file (before ``received_by``, the number a reply
reached) gains that column, NULL in its rows as in their events. Opened read-only,
either is read through its events.

A file written by another schema version, a file that is not a consent ledger,
or a corrupt row raises :class:`~smskit.errors.LedgerIntegrityError` rather than
answering from doubtful data. A file that cannot be used *now* (locked by another
writer past the timeout, a full disk, a missing directory) raises a retryable
:class:`~smskit.errors.StoreError` instead: the data is not in doubt.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sqlite3
import threading
import urllib.parse
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from types import TracebackType
from typing import Any

from .._sqlite import (
    LEDGER_APPLICATION_ID,
    check_timeout,
    is_corruption,
    is_retryable,
    switch_to_wal,
)
from ..errors import LedgerIntegrityError, StoreError
from ._codec import GENESIS_HASH, canonical_bytes, scope_of, seal, stored_event
from ._rules import REVOKE_ALL_CHANNELS
from .fold import EventFacts, facts_of
from .model import (
    Channel,
    ConsentEvent,
    ConsentKind,
    ConsentScope,
    ConsentSource,
    EventKind,
    ImpliedBasis,
    Purpose,
    RevocationMethod,
    scope_key,
)
from .store import Decide, FoldingStore, decided

__all__ = ["SCHEMA_VERSION", "SQLiteStore"]

SCHEMA_VERSION = 3
APPLICATION_ID = LEDGER_APPLICATION_ID  # marks the file as a consent ledger ("SMSC")
_SCAN_BATCH = 2000
_IN_CHUNK = 500
# Bound scope parameters (with _IN_CHUNK, under SQLite's old limit of 999 per query).
_MAX_SCOPE_PARAMS = 400

_SCHEMA = (
    """CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        recipient TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        body TEXT NOT NULL
    )""",
    "CREATE INDEX events_by_recipient ON events (recipient, seq)",
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
       BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
       BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END""",
)
# Schema 2: the projection decisions read (one row per event, same sequence).
# Schema 2: what decisions read of each event (the projection), one row per event,
# stored by (recipient, seq) so one person's rows are read together.
_FACTS_SCHEMA = (
    """CREATE TABLE facts (
        recipient TEXT NOT NULL,
        seq INTEGER NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        scope TEXT NOT NULL,
        channels TEXT NOT NULL,
        purposes TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        source TEXT NOT NULL,
        consent_kind TEXT,
        implied_basis TEXT,
        expires_at TEXT,
        revocation_method TEXT,
        confirms INTEGER,
        recorded_at TEXT,
        reply_text TEXT,
        PRIMARY KEY (recipient, seq)
    ) WITHOUT ROWID""",
    """CREATE TRIGGER facts_no_update BEFORE UPDATE ON facts
       BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END""",
    """CREATE TRIGGER facts_no_delete BEFORE DELETE ON facts
       BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END""",
    _EVENTS_NEED_FACTS := (
        # The projection row is written first; an event without one is refused. An
        # smskit from before the projection, still running when another process
        # upgraded the file, would otherwise append events the engine never reads
        # (a STOP it would not honour).
        "CREATE TRIGGER events_need_facts BEFORE INSERT ON events\n"
        "WHEN NOT EXISTS (SELECT 1 FROM facts WHERE seq = NEW.seq AND recipient = NEW.recipient)\n"
        "BEGIN SELECT RAISE(ABORT, 'an event without its decision projection row: this ledger "
        "is schema 2, upgraded by a newer smskit; update this program'); END"
    ),
)
# Schema 3: the number a reply reached (ConsentEvent.received_by), NULL for events
# written before it was kept. Added by ALTER TABLE in new files too, so a new file and
# an upgraded one hold the same schema text (which is compared when a file is opened).
_RECEIVED_BY_SCHEMA = ("ALTER TABLE facts ADD COLUMN received_by TEXT",)
_PRAGMAS = (
    f"PRAGMA application_id = {APPLICATION_ID}",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)
_FACTS_COLUMNS = (
    "seq, recipient, kind, scope, channels, purposes, occurred_at, source, consent_kind, "
    "implied_basis, expires_at, revocation_method, confirms, recorded_at, reply_text, "
    "received_by"
)
_INSERT_FACTS = f"INSERT INTO facts ({_FACTS_COLUMNS}) VALUES ({', '.join('?' * 16)})"

_Row = tuple[int, str, str, str]
_FactsRow = tuple[object, ...]


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _facts_row(event: ConsentEvent) -> _FactsRow:
    """The projection row of a sealed event (sets as sorted comma-joined values)."""
    return (
        event.sequence, event.recipient, event.kind.value, str(event.scope),
        ",".join(sorted(c.value for c in event.channels)),
        ",".join(sorted(p.value for p in event.purposes)),
        event.occurred_at.isoformat(), event.source.value,
        None if event.consent_kind is None else event.consent_kind.value,
        None if event.implied_basis is None else event.implied_basis.value,
        _time(event.expires_at),
        None if event.revocation_method is None else event.revocation_method.value,
        event.confirms, _time(event.recorded_at), event.evidence.reply_text,
        event.received_by,
    )


def _members(enum: type[StrEnum]) -> dict[object, Any]:
    return {member.value: member for member in enum}


_KINDS = _members(EventKind)
_SOURCES = _members(ConsentSource)
_CONSENT_KINDS = {**_members(ConsentKind), None: None}
_BASES = {**_members(ImpliedBasis), None: None}
_METHODS = {**_members(RevocationMethod), None: None}


@functools.lru_cache(maxsize=256)
def _channels(text: str) -> frozenset[Channel]:
    return frozenset(Channel(value) for value in text.split(","))


@functools.lru_cache(maxsize=256)
def _purposes(text: str) -> frozenset[Purpose]:
    return frozenset(Purpose(value) for value in text.split(","))


assert EventFacts._fields == (
    "sequence", "recipient", "kind", "scope", "channels", "purposes", "occurred_at", "source",
    "consent_kind", "implied_basis", "expires_at", "revocation_method", "confirms",
    "recorded_at", "reply_text", "received_by",
)


def _facts(row: Sequence[Any]) -> EventFacts:
    """An :class:`EventFacts` from its projection row (columns in field order), each
    value looked up strictly (a value no event can have raises ``KeyError`` or
    ``ValueError``). This is the engine's per-event cost: one tuple, built at once."""
    occurred = datetime.fromisoformat(row[6])
    if occurred.tzinfo is None:
        raise ValueError("naive occurred_at")
    if type(row[0]) is not int or not (row[12] is None or type(row[12]) is int) or not (
            row[14] is None or type(row[14]) is str) or not (
            row[15] is None or type(row[15]) is str):
        raise TypeError("seq, confirms, reply_text or received_by of another type")
    return EventFacts._make((
        row[0], row[1], _KINDS[row[2]], scope_of(row[3]), _channels(row[4]),
        _purposes(row[5]), occurred, _SOURCES[row[7]], _CONSENT_KINDS[row[8]],
        _BASES[row[9]], None if row[10] is None else _aware(row[10]), _METHODS[row[11]],
        row[12], None if row[13] is None else _aware(row[13]), row[14], row[15],
    ))


# The engine's read hands the eight columns that repeat across a ledger (kind, scope,
# sets, source, ...) to Python as they are stored and converts them once per distinct
# combination, found by the tuple of raw values. Handing over plain columns costs SQLite
# about a third less than joining them into one text (measured on the benchmark
# ledger). A value of another type (a BLOB, a number) never equals a text one, so it
# misses the memo and fails the strict conversion, as in _facts.
_REPEATED = ("kind", "scope", "channels", "purposes", "source", "consent_kind",
             "implied_basis", "revocation_method")
_READ_COLUMNS = (f"seq, recipient, {', '.join(_REPEATED)}, occurred_at, expires_at, "
                 "confirms, recorded_at, reply_text, received_by")
# Bounded: a ledger repeats a few combinations; a pathological one cannot grow it.
_SHARED_LIMIT = 4096
_shared_memo: dict[tuple[Any, ...], tuple[Any, ...]] = {}


def _shared(raw: tuple[Any, ...]) -> tuple[Any, ...]:
    """The eight repeated fields of a row, converted (strictly, as in :func:`_facts`)."""
    kind, scope, channels, purposes, source, consent, basis, method = raw
    for value in (kind, scope, channels, purposes, source):
        if type(value) is not str:
            raise TypeError("a required column is not text")
    for value in (consent, basis, method):
        if value is not None and type(value) is not str:
            raise TypeError("an optional column is neither NULL nor text")
    converted = (_KINDS[kind], scope_of(scope), _channels(channels), _purposes(purposes),
                 _SOURCES[source], _CONSENT_KINDS[consent], _BASES[basis], _METHODS[method])
    if len(_shared_memo) >= _SHARED_LIMIT:
        _shared_memo.clear()
    _shared_memo[raw] = converted
    return converted


def _read_facts(rows: Iterable[tuple[Any, ...]], found: Mapping[str, list[EventFacts]]
                ) -> None:
    """Append to ``found`` (by recipient) the :class:`EventFacts` of ``_READ_COLUMNS``
    rows: what :func:`_facts` builds from the same projection rows (the property tests
    hold them equal). One loop for all the rows: a call per row cost a fifth of the
    conversion."""
    memo, convert, parse = _shared_memo.get, _shared, datetime.fromisoformat
    new_tuple = tuple.__new__
    row: tuple[Any, ...] = ()
    try:
        for row in rows:
            raw = row[2:10]
            kind, scope, channels, purposes, source, consent, basis, method = (
                memo(raw) or convert(raw))
            seq, recipient = row[0], row[1]
            occurred, expires, confirms, recorded, reply, received = row[10:]
            # Handed over as stored: a value of another type is a corrupt row.
            if type(seq) is not int or not (confirms is None or type(confirms) is int) or not (
                    reply is None or type(reply) is str) or not (
                    received is None or type(received) is str):
                raise TypeError("seq, confirms, reply_text or received_by of another type")
            occurred_at = parse(occurred)
            recorded_at = None if recorded is None else parse(recorded)
            if occurred_at.tzinfo is None or (recorded_at is not None
                                              and recorded_at.tzinfo is None):
                raise ValueError("naive occurred_at or recorded_at")
            found[recipient].append(new_tuple(EventFacts, (
                seq, recipient, kind, scope, channels, purposes, occurred_at, source, consent,
                basis, None if expires is None else _aware(expires), method, confirms,
                recorded_at, reply, received,
            )))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _corrupt_facts(row[0] if row else None, exc) from None


def _aware(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("naive timestamp")
    return parsed


def _corrupt_facts(sequence: object, exc: Exception) -> LedgerIntegrityError:
    return LedgerIntegrityError(
        f"the decision projection of ledger event {sequence} is corrupt "
        f"({type(exc).__name__}); run ConsentLedger.verify and restore from a verified export",
        sequence=sequence if isinstance(sequence, int) else None,
    )



# The SQL function giving a stored scope text's key (registered on each connection).
_SCOPE_KEY_SQL = "smskit_scope_key"
# A row's scope key. ASCII text (as many bytes as characters: the common case) folds
# to its lowercase, which SQLite's lower() gives in C; other text is folded in Python,
# a call per row that made a filtered read 1.5 times as slow when made for every row.
_SCOPE_KEY_OF_ROW = ("(CASE WHEN length(CAST(scope AS BLOB)) = length(scope) THEN "
                     f"lower(scope) ELSE {_SCOPE_KEY_SQL}(scope) END)")


def _sql_scope_key(text: object) -> str | None:
    # A value that is not text (a corrupt row) has no key (NULL): it matches no scope
    # and the row is left out of a filtered read, as SQLite left out such a row
    # before; raising would fail the whole query.
    return scope_key(text) if isinstance(text, str) else None


def _scope_filter(scopes: Collection[ConsentScope] | None) -> tuple[str, tuple[str, ...]]:
    """The SQL condition keeping the rows whose scope covers or is covered by one of
    ``scopes`` (:func:`~smskit.consent.store.related_scope`), and its parameters.

    Rows are compared by their scope's key (case-folded, ``scope_key``: the stored
    text keeps its case, as hashed). A scope covering ``a/b`` is one of its prefixes
    (``a``, ``a/b``), compared whole; one covered by it is ``a/b`` followed by ``/``
    and more parts, which (parts hold no ``/``) is exactly the text ``>= 'a/b/'``
    and ``< 'a/b0'`` in SQLite's binary order (``0`` follows ``/``), with no
    pattern characters to escape. Too many scopes to bind: no filter (keeping every
    row is correct).
    """
    if scopes is None:
        return "", ()
    covering = sorted({"/".join(s.key[:n]) for s in scopes for n in range(1, len(s.key) + 1)})
    below = sorted({"/".join(s.key) for s in scopes})
    if not covering:
        return " AND 0", ()  # no scope asked: no event is related
    if len(covering) + 2 * len(below) > _MAX_SCOPE_PARAMS:
        return "", ()
    key = _SCOPE_KEY_OF_ROW
    terms = [f"{key} IN ({', '.join('?' * len(covering))})"]
    terms += [f"({key} >= ? AND {key} < ?)"] * len(below)
    params = (*covering, *(p for text in below for p in (text + "/", text + "0")))
    return f" AND ({' OR '.join(terms)})", params


# The opt-out read (SQLiteStore.facts_for_opt_outs). A person's latest revocation of
# every purpose over every text channel (or, from a second after revoke-all's start, of
# any purpose or channel), at least a second before the instant asked
# (julianday() is exact to the millisecond; the second makes any rounding err on the
# side of reading more). Their events in the caller's other scopes from a second before
# it on are read, and their replies that reached a toll-free number whenever they
# came; with no such revocation, all of them; with no row that may be a revocation at
# all (a kind other than those that grant, ask or note a reply), none.
_EVERY_PURPOSE_TEXT = ",".join(sorted(p.value for p in Purpose))
_ORDERED_CHANNELS = sorted(c.value for c in Channel)
assert "mms,rcs,sms" in ",".join(_ORDERED_CHANNELS)  # the three text channels, adjacent
_NOT_REVOKING = ("requested", "granted", "confirmed", "regranted", "noted")
_MARGIN_DAYS = 1 / 86400
_UNIX_EPOCH_JULIAN_DAY = 2440587.5


# A reply that reached a toll-free number (+1 8XX, as SenderProfile requires of a
# toll-free sender) is kept whenever it is: a STOP to that number is held until a
# START or UNSTOP reaches it, however long before the last opt-out it came.
_TO_TOLL_FREE = ("substr(received_by, 1, 5) IN "
                 "('+1800', '+1833', '+1844', '+1855', '+1866', '+1877', '+1888')")


def _numbered(fragment: str, first: int) -> str:
    """``fragment`` with its ``?`` placeholders numbered from ``first`` on."""
    pieces = fragment.split("?")
    return "".join(f"{piece}?{first + i}" for i, piece in enumerate(pieces[:-1])) + pieces[-1]


def _opt_out_read(size: int, related: str, caller: str, params: int) -> str:
    """The query for ``size`` recipients (``?1``...), the related scopes' filter and the
    caller's (numbered already), and the index of the three values after them."""
    wanted = ", ".join(f"?{i}" for i in range(1, size + 1))
    every, before, margin, since = params, params + 1, params + 2, params + 3
    # Sets are stored sorted and comma-joined, and no channel sorts between MMS, RCS
    # and SMS: a set holding the three holds this text (an unsorted, corrupt set does
    # not count, so its person's events are all read).
    text_channels = "instr(channels, 'mms,rcs,sms')"
    # Under revoke-all a revocation counts when it names a robocall or robotext channel
    # (an e-mail unsubscribe alone does not; the names are no part of 'email').
    robo = " OR ".join(f"instr(channels, '{c.value}')" for c in sorted(REVOKE_ALL_CHANNELS))
    columns = _READ_COLUMNS.replace("seq, recipient,", "f.seq, f.recipient,", 1)
    # One julianday() a row: min(j, before) is j when j < before, and nullif drops
    # the rest; a time SQLite cannot read is NULL, so it never cuts and its row is read.
    return (
        "WITH cut AS (SELECT recipient, max(CASE WHEN kind = 'revoked' AND ((purposes = "
        f"?{every} AND {text_channels}) OR (julianday(occurred_at) >= ?{since} "
        f"AND ({robo}))) "
        f"THEN nullif(min(julianday(occurred_at), ?{before}), "
        f"?{before}) END) AS since FROM facts WHERE recipient IN ({wanted}){caller} "
        f"AND NOT coalesce(kind IN ({', '.join(repr(k) for k in _NOT_REVOKING)}), 0) "
        "GROUP BY recipient) "
        f"SELECT {columns} FROM facts f LEFT JOIN cut c ON c.recipient = f.recipient "
        f"WHERE f.recipient IN ({wanted}) AND ((1{related}) OR (c.recipient IS NOT NULL"
        f"{caller} AND (coalesce(julianday(occurred_at) >= c.since - ?{margin}, 1)"
        f" OR {_TO_TOLL_FREE}))) "
        "ORDER BY f.recipient, f.seq"
    )


def _schema_of(conn: sqlite3.Connection) -> list[tuple[str, str, str | None]]:
    return conn.execute(
        "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()


@functools.cache
def _expected_schema(version: int = SCHEMA_VERSION) -> tuple[tuple[str, str, str | None], ...]:
    # Read back from a fresh database, so the comparison uses SQLite's own spelling.
    conn = sqlite3.connect(":memory:")
    try:
        for statement in (_SCHEMA + (_FACTS_SCHEMA if version >= 2 else ())
                          + (_RECEIVED_BY_SCHEMA if version >= 3 else ())):
            conn.execute(statement)
        return tuple(_schema_of(conn))
    finally:
        conn.close()


def _read_error(path: str, exc: sqlite3.Error) -> StoreError:
    if is_corruption(exc):
        return LedgerIntegrityError(f"cannot read {path}: {exc}; restore it from a verified export")
    if not is_retryable(exc):
        return StoreError(f"cannot read {path}: {exc}", retryable=False)
    return StoreError(f"cannot read {path} now: {exc}", retryable=True)


class SQLiteStore(FoldingStore):
    """Consent events in one SQLite file (created if missing).

    Args:
        path: the database file.
        durable: ``True`` (default) syncs every commit to disk
            (``synchronous=FULL``); ``False`` uses ``NORMAL``, faster, and may
            lose the last commits on power loss (never on a process crash).
        timeout: seconds to wait for another writer before giving up.
        read_only: open the file read-only even if this process may write it
            (an auditor's tool): nothing is created, converted or changed; a
            missing or empty file is an error, never a fresh ledger.

    A file this process may not write (an auditor's copy) is opened read-only
    too: every question works, an append raises :class:`~smskit.errors.StoreError`.
    Close the store with :meth:`close` or use it as a context manager.

    Raises:
        LedgerIntegrityError: the file is not a consent ledger, is corrupt, or
            was written by another schema version.
        StoreError: (``retryable=True``) the file cannot be opened now: locked
            by another writer past ``timeout``, a full disk, no permission.
        ConfigurationError: ``timeout`` is negative, not finite or over a day.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        durable: bool = True,
        timeout: float = 30.0,
        read_only: bool = False,
    ) -> None:
        self._path = os.fspath(path)
        timeout = check_timeout(timeout)
        self._lock = threading.RLock()
        # False: a read-only file of schema 1 (no projection) or 2 (no received_by in
        # it), read through its events.
        self._projected = True
        self.read_only = read_only or (
            os.path.isfile(self._path) and not os.access(self._path, os.W_OK)
        )
        try:
            if self.read_only:
                uri = f"file:{urllib.parse.quote(os.path.abspath(self._path))}?mode=ro"
                self._conn = sqlite3.connect(
                    uri, uri=True, timeout=timeout, isolation_level=None,
                    check_same_thread=False,
                )
            else:
                self._conn = sqlite3.connect(
                    self._path, timeout=timeout, isolation_level=None, check_same_thread=False
                )
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot open {self._path} as a consent ledger: {exc}", retryable=True
            ) from None
        try:
            self._conn.create_function(_SCOPE_KEY_SQL, 1, _sql_scope_key, deterministic=True)
            self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            if not self.read_only:
                switch_to_wal(self._conn, timeout)
                self._conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
            self._prepare_schema()
        except sqlite3.Error as exc:
            self._conn.close()
            if is_corruption(exc):
                raise LedgerIntegrityError(
                    f"{self._path} is not a readable consent ledger ({exc}); "
                    "restore it from a verified export"
                ) from None
            raise StoreError(
                f"cannot open {self._path} as a consent ledger now ({exc}); the data is not "
                "in doubt: retry later, free disk space or check the file's permissions",
                retryable=True,
            ) from None
        except BaseException:
            self._conn.close()
            raise

    def __repr__(self) -> str:
        return f"SQLiteStore({self._path!r})"

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _add_projection(self) -> None:
        """Schema 1 -> 3 inside the open write transaction: the facts of every event,
        derived from events whose hash is checked on the way."""
        conn = self._conn
        for statement in _FACTS_SCHEMA + _RECEIVED_BY_SCHEMA:
            conn.execute(statement)
        last = 0
        while True:
            rows = conn.execute(
                "SELECT seq, hash, body, recipient FROM events WHERE seq > ? ORDER BY seq "
                "LIMIT ?", (last, _SCAN_BATCH),
            ).fetchall()
            if not rows:
                break
            conn.executemany(_INSERT_FACTS, [_facts_row(self._event(row)) for row in rows])
            last = rows[-1][0]
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @staticmethod
    def _without_guard(conn: sqlite3.Connection, version: int = SCHEMA_VERSION) -> bool:
        schema = tuple(_schema_of(conn))
        return schema != _expected_schema(version) and schema == tuple(
            row for row in _expected_schema(version) if row[1] != "events_need_facts"
        )

    def _add_received_by(self, guarded: bool) -> None:
        """Schema 2 -> 3 inside the open write transaction: one column, NULL (not known)
        in every row written so far, as in their events. No row is rewritten."""
        conn = self._conn
        if not guarded:
            conn.execute(_EVENTS_NEED_FACTS)
        for statement in _RECEIVED_BY_SCHEMA:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _prepare_schema(self) -> None:
        conn = self._conn
        conn.execute("BEGIN" if self.read_only else "BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            if version == 0 and app_id == 0 and self.read_only:
                raise LedgerIntegrityError(
                    f"{self._path} is opened read-only and is not a consent ledger (an empty "
                    "or foreign file); give the path of one"
                )
            if version == 0 and app_id == 0:
                tables = conn.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                ).fetchone()[0]
                if tables:
                    raise LedgerIntegrityError(
                        f"{self._path} is a SQLite file of another application (or smskit's "
                        "message history or outbox), not a consent ledger, which needs a "
                        "file of its own; give a new path"
                    )
                for statement in _SCHEMA + _FACTS_SCHEMA + _RECEIVED_BY_SCHEMA + _PRAGMAS:
                    conn.execute(statement)
            elif app_id != APPLICATION_ID:
                raise LedgerIntegrityError(
                    f"{self._path} is not an smskit consent ledger (application_id {app_id})"
                )
            elif version == 1 and tuple(_schema_of(conn)) == _expected_schema(1):
                # Before the projection: upgrade a writable file, read the other by events.
                if not self.read_only:
                    self._add_projection()
                else:
                    self._projected = False
            elif version == 2 and (
                tuple(_schema_of(conn)) == _expected_schema(2) or self._without_guard(conn, 2)
            ):
                # Before received_by: upgrade a writable file (one column added), read
                # the other through its events (their facts are derived from them).
                if not self.read_only:
                    self._add_received_by(guarded=not self._without_guard(conn, 2))
                else:
                    self._projected = False
            elif version != SCHEMA_VERSION:
                raise LedgerIntegrityError(
                    f"{self._path} was written with consent-ledger schema {version}; this "
                    f"smskit reads schema {SCHEMA_VERSION}. Use the matching smskit version "
                    "or migrate it through export_jsonl/import_jsonl"
                )
            elif tuple(_schema_of(conn)) != _expected_schema():
                # A changed column type or index silently changes what a lookup finds.
                raise LedgerIntegrityError(
                    f"{self._path}: the stored schema of the consent ledger was altered "
                    "or corrupted; restore it from a verified export"
                )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    # -- writing -------------------------------------------------------------

    def append(self, event: ConsentEvent) -> ConsentEvent:
        return self.append_many((event,))[0]

    def append_many(self, events: Iterable[ConsentEvent]) -> list[ConsentEvent]:
        drafts = list(events)
        if not drafts:
            return []
        self._writable()
        return self._append(None, lambda _: drafts)[0]

    def append_and_read(self, event: ConsentEvent) -> tuple[ConsentEvent, list[ConsentEvent]]:
        """Append one draft; also return the recipient's earlier events, read in the
        same write transaction (nothing can be appended between the read and the write).
        """
        sealed, before = self.append_decided(event.recipient, lambda _: (event,))
        return sealed[0], before

    def append_decided(
        self, recipient: str, decide: Decide
    ) -> tuple[list[ConsentEvent], list[ConsentEvent]]:
        """Read the person's events, decide, append: one ``BEGIN IMMEDIATE`` transaction,
        which holds the file's write lock from the read on (other threads and processes
        wait for it, up to ``timeout``)."""
        if self.read_only:
            # Nothing can be appended by this process; a decision to record nothing
            # (a "Yes" with no id to note) is still answered.
            read = list(self.events(recipient))
            if decided(recipient, decide, read):
                self._writable()
            return [], read
        return self._append(recipient, decide)

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(
                f"{self._path} was opened read-only (this process may not write the file); "
                "append through a writable copy"
            )

    def _append(
        self, recipient: str | None, decide: Decide
    ) -> tuple[list[ConsentEvent], list[ConsentEvent]]:
        """``decide`` over ``recipient``'s events (none read without one) and append what
        it returns, in one write transaction."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(
                    f"cannot start a write on {self._path}: {exc}", retryable=is_retryable(exc)
                ) from None
            try:
                read = [] if recipient is None else self._events_of(recipient)
                drafts = (
                    list(decide(read)) if recipient is None else decided(recipient, decide, read)
                )
                sequence, previous = self._head()
                sealed, rows = [], []
                for draft in drafts:
                    sequence += 1
                    event = seal(draft, sequence, previous)
                    body = canonical_bytes(event)
                    previous = hashlib.sha256(body).hexdigest()
                    sealed.append(event)
                    rows.append(
                        (sequence, event.recipient, event.occurred_at.isoformat(),
                         event.prev_hash, previous, body.decode("utf-8"))
                    )
                # Facts first: the events_need_facts trigger refuses an event without its row.
                conn.executemany(_INSERT_FACTS, [_facts_row(event) for event in sealed])
                conn.executemany(
                    "INSERT INTO events (seq, recipient, occurred_at, prev_hash, hash, body) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )
                conn.execute("COMMIT")
            except BaseException as exc:
                # SQLite has already rolled back after some errors (a full disk).
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(
                        f"append to {self._path} failed, nothing was stored: {exc}",
                        retryable=is_retryable(exc),
                    ) from None
                raise
        return sealed, read

    # -- reading -------------------------------------------------------------

    def _head(self) -> tuple[int, str]:
        row = self._conn.execute(
            "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return (0, GENESIS_HASH) if row is None else (int(row[0]), str(row[1]))

    def _event(self, row: _Row, recipient: str | None = None) -> ConsentEvent:
        sequence, hash_, body, stored_recipient = row
        return stored_event(sequence, hash_, body, stored_recipient, recipient)

    def _query(self, sql: str, params: tuple[object, ...]) -> list[Any]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                raise _read_error(self._path, exc) from None

    def _events_of(self, recipient: str) -> list[ConsentEvent]:
        rows = self._conn.execute(
            "SELECT seq, hash, body, recipient FROM events WHERE recipient = ? ORDER BY seq",
            (recipient,),
        ).fetchall()
        return [self._event(row, recipient) for row in rows]

    def events(self, recipient: str) -> Sequence[ConsentEvent]:
        with self._lock:
            try:
                return self._events_of(recipient)
            except sqlite3.DatabaseError as exc:
                raise _read_error(self._path, exc) from None

    def events_many(self, recipients: Iterable[str]) -> Mapping[str, Sequence[ConsentEvent]]:
        wanted = list(dict.fromkeys(recipients))
        found: dict[str, list[ConsentEvent]] = {recipient: [] for recipient in wanted}
        # Chunks stay under SQLite's limit on bound parameters (999 in old builds).
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = tuple(wanted[start:start + _IN_CHUNK])
            rows = self._query(
                "SELECT seq, hash, body, recipient FROM events WHERE recipient IN "
                f"({', '.join('?' * len(chunk))}) ORDER BY recipient, seq",
                chunk,
            )
            for row in rows:
                found[row[3]].append(self._event(row, row[3]))
        return found

    def facts_many(
        self,
        recipients: Iterable[str],
        *,
        verify: bool = False,
        scopes: Collection[ConsentScope] | None = None,
    ) -> Mapping[str, Sequence[EventFacts]]:
        """From the projection, not re-hashed (``verify=True``: from the hash-checked
        events); see the module docstring. With ``scopes``, SQLite leaves out the rows
        of unrelated scopes, so they are never handed over or built."""
        if verify or not self._projected:
            return super().facts_many(recipients, scopes=scopes)
        wanted = list(dict.fromkeys(recipients))
        found: dict[str, list[EventFacts]] = {recipient: [] for recipient in wanted}
        where, scope_params = _scope_filter(scopes)
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = tuple(wanted[start:start + _IN_CHUNK])
            rows = self._query(
                f"SELECT {_READ_COLUMNS} FROM facts WHERE recipient IN "
                f"({', '.join('?' * len(chunk))}){where} ORDER BY recipient, seq",
                chunk + scope_params,
            )
            self._projected_facts(rows, found)
        return found

    def _projected_facts(self, rows: Iterable[tuple[Any, ...]],
                    found: Mapping[str, list[EventFacts]]) -> None:
        """:func:`_read_facts`; a row it cannot read is told apart by its event."""
        try:
            _read_facts(rows, found)
        except LedgerIntegrityError as exc:
            # A value this smskit lacks may be a newer smskit's, held by the event as
            # well: reading the hash-checked event then says so (upgrade, not restore,
            # which would lose the events since). An event that reads is what the
            # projection row was edited away from: corrupt, as raised.
            if type(exc.sequence) is int:
                event = self._query(
                    "SELECT seq, hash, body, recipient FROM events WHERE seq = ?",
                    (exc.sequence,))
                if event:
                    self._event(event[0])
            raise

    def facts_for_opt_outs(
        self, recipients: Iterable[str], *, scopes: Collection[ConsentScope], at: datetime,
        since: datetime | None = None,
    ) -> Mapping[str, Sequence[EventFacts]] | None:
        """Each person's events related to ``scopes`` (as :meth:`facts_many`), and of
        their other events in the scopes' caller (the first part, one for all of
        ``scopes``) those an opt-out question at or after ``at`` over SMS, MMS or RCS
        can need under FCC revoke-all (in force from ``since``): from their last
        opt-out before ``at`` on.

        The opt-out in force is found by replaying from the last revocation of every
        purpose, or from ``since`` on of any purpose or channel (a request made in
        response to one type of message covers them all), so what came before it
        cannot change the answer; a person who never revoked anything has no opt-out
        to find. A STOP that reached a toll-free number
        holds until START or UNSTOP reaches that number, however old: replies to a
        toll-free number (``received_by``) are read whenever they came. ``None`` when
        the read cannot be cut this way (several callers, too many scopes to bind,
        verified reads): read with :meth:`facts_many`.
        """
        callers = {s.key[0] for s in scopes}
        if len(callers) != 1 or not self._projected:
            return None
        related, related_params = _scope_filter(scopes)
        caller, caller_params = _scope_filter([ConsentScope((callers.pop(),))])
        if not related or not caller:
            return None
        wanted = list(dict.fromkeys(recipients))
        found: dict[str, list[EventFacts]] = {recipient: [] for recipient in wanted}
        before = (at.timestamp() / 86400 + _UNIX_EPOCH_JULIAN_DAY) - _MARGIN_DAYS
        # A second after the start: a revocation read near it as the engine does not
        # is then not counted, which cuts earlier and reads more (NULL: none counted).
        rule_start = (None if since is None else
                      since.timestamp() / 86400 + _UNIX_EPOCH_JULIAN_DAY + _MARGIN_DAYS)
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = tuple(wanted[start:start + _IN_CHUNK])
            first = len(chunk) + 1
            numbered_related = _numbered(related, first)
            numbered_caller = _numbered(caller, first + len(related_params))
            extra = first + len(related_params) + len(caller_params)
            rows = self._query(
                _opt_out_read(len(chunk), numbered_related, numbered_caller, extra),
                chunk + related_params + caller_params
                + (_EVERY_PURPOSE_TEXT, before, _MARGIN_DAYS, rule_start),
            )
            self._projected_facts(rows, found)
        return found

    def scan(self, *, after: int = 0) -> Iterator[ConsentEvent]:
        """Events above sequence ``after`` in order; a full scan (``after=0``)
        starts with SQLite's own check of the whole file.

        The chain is read through the table; lookups by number go through the
        ``(recipient, seq)`` index, which the chain cannot vouch for. A damaged
        index would hide a person's events from ``status``, so verification and
        export start with ``PRAGMA integrity_check`` (index content included).
        A partial scan (for :meth:`ConsentLedger.verify_incremental`) skips it to
        stay cheap.

        Each event's row in the decision projection is checked against the event
        (it must be exactly :func:`~smskit.consent.fold.facts_of` it), and once
        the events run out, that the projection holds no row without an event.
        """
        if not after:
            problems = self._query("PRAGMA integrity_check(5)", ())
            if [tuple(p) for p in problems] != [("ok",)]:
                found = "; ".join(str(p[0]) for p in problems)
                raise LedgerIntegrityError(
                    f"{self._path} fails SQLite's integrity check ({found}); "
                    "restore it from a verified export"
                )
        # A full scan starts below every sequence the table can hold (a row filed under
        # 0 or a negative sequence is read by events() and must meet the chain check).
        last: float = after if after > 0 else float("-inf")
        if not self._projected:
            yield from self._scan_events(last)
            return
        problem: LedgerIntegrityError | None = None
        while True:
            rows = self._query(
                f"SELECT e.seq, e.hash, e.body, e.recipient, f.seq IS NOT NULL, "
                f"{', '.join('f.' + c.strip() for c in _FACTS_COLUMNS.split(','))} "
                "FROM events e LEFT JOIN facts f ON f.seq = e.seq WHERE e.seq > ? "
                "ORDER BY e.seq LIMIT ?",
                (last, _SCAN_BATCH),
            )
            if not rows:
                break
            for row in rows:
                event = self._event(row[:4])
                # Reported once the chain is read, so a broken chain is named first.
                problem = problem or self._check_facts(event, row[4], row[5:])
                yield event
            last = rows[-1][0]
        if problem is not None:
            raise problem
        # Any row without its event, not only past the chain's end: a row filed under
        # sequence 0, -3 or 1.5 is read by facts_many like any other. A partial scan
        # looks only above ``after``, as it does for events.
        extra = self._query(
            "SELECT f.seq, 0, 0, 0 FROM facts f WHERE (? OR f.seq > ?) AND NOT EXISTS "
            "(SELECT 1 FROM events e WHERE e.seq = f.seq) ORDER BY f.seq LIMIT 1",
            (after <= 0, after),
        )
        if extra:
            stray = extra[0][0]
            raise LedgerIntegrityError(
                f"the decision projection holds a row for ledger event {stray}, which "
                "the chain does not have: the file was edited; restore from a verified export",
                sequence=stray if isinstance(stray, int) else None,
            )

    def _check_facts(
        self, event: ConsentEvent, present: object, row: Sequence[Any]
    ) -> LedgerIntegrityError | None:
        """The problem with ``event``'s projection row, if any."""
        if not present:
            return LedgerIntegrityError(
                f"ledger event {event.sequence} has no row in the decision projection: the "
                "file was edited; restore from a verified export",
                sequence=event.sequence,
            )
        try:
            stored = _facts(row)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            return _corrupt_facts(event.sequence, exc)
        # Also the stored text: an offset changed to another one for the same instant
        # compares equal as a datetime, yet findings quote the time as stored.
        if stored != facts_of(event) or tuple(row) != _facts_row(event):
            return LedgerIntegrityError(
                f"the decision projection of ledger event {event.sequence} disagrees with the "
                "event: the file was edited; restore from a verified export",
                sequence=event.sequence,
            )
        return None

    def event_by_sequence(self, sequence: int) -> ConsentEvent | None:
        """The event at ``sequence`` (``None``: none), for :meth:`ConsentLedger.event`:
        one row, its projection checked as :meth:`scan` checks it. Not ``scan``: from 0
        it starts with an integrity check of the whole file, and it reads a batch."""
        if not self._projected:
            rows = self._query(
                "SELECT seq, hash, body, recipient FROM events WHERE seq = ?", (sequence,))
            return self._event(rows[0]) if rows else None
        rows = self._query(
            f"SELECT e.seq, e.hash, e.body, e.recipient, f.seq IS NOT NULL, "
            f"{', '.join('f.' + c.strip() for c in _FACTS_COLUMNS.split(','))} "
            "FROM events e LEFT JOIN facts f ON f.seq = e.seq WHERE e.seq = ?",
            (sequence,),
        )
        if not rows:
            return None
        event = self._event(rows[0][:4])
        problem = self._check_facts(event, rows[0][4], rows[0][5:])
        if problem is not None:
            raise problem
        return event

    def _scan_events(self, last: float) -> Iterator[ConsentEvent]:
        while True:
            rows = self._query(
                "SELECT seq, hash, body, recipient FROM events WHERE seq > ? ORDER BY seq "
                "LIMIT ?",
                (last, _SCAN_BATCH),
            )
            if not rows:
                return
            for row in rows:
                yield self._event(row)
            last = rows[-1][0]

    def head(self) -> tuple[int, str]:
        with self._lock:
            try:
                return self._head()
            except sqlite3.DatabaseError as exc:
                raise _read_error(self._path, exc) from None

    def count(self) -> int:
        rows = self._query("SELECT count(*), 0, 0, 0 FROM events", ())
        return int(rows[0][0])

    def close(self) -> None:
        """Close the connection; the store is unusable afterwards. Closing twice is fine."""
        with self._lock:
            self._conn.close()
