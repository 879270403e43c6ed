"""``PostgresOutbox``: the outbox shared by several hosts (the ``postgres`` extra).

One row per idempotency key, the key the primary key. :meth:`PostgresOutbox.reserve`
is one ``INSERT ... ON CONFLICT DO NOTHING``: of any number of callers on any
number of hosts, the one whose row went in wins, and the others read the row it
committed. :meth:`PostgresOutbox.update` locks the row (``SELECT ... FOR UPDATE``),
checks the move against the outbox's state machine and writes, in one
transaction. A trigger also refuses any change to a row in a final state
(``sent``, ``failed``, ``cancelled``, ``expired``), so final states hold even
against another program writing the table; its one exception is a late receipt
(a ``cancelled``, ``expired`` or ``failed`` row becoming ``sent`` with the
provider's message id).

Instants are ``timestamptz`` (microseconds, like Python). Tables are created
only by :meth:`PostgresOutbox.create_schema`, which also upgrades a version 1
table (before ``cancelled`` and ``expired``) and a version 2 one (before a late
receipt could correct a final row to ``sent``) in place.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .._postgres import PostgresStore, refuse_nul
from ..errors import StoreError
from ..findings import _shown as _shown_key  # a key's repr, digit runs masked
from ..timing.caps import PRUNE_LIMIT, check_prune
from .outbox import (
    FINAL_SQL,
    LATE_RECEIPT,
    OutboxEntry,
    OutboxState,
    _check_now,
    _check_page,
    _missing,
    _moved,
    refuse_broken_key,
)

if TYPE_CHECKING:
    import psycopg

__all__ = ["SCHEMA_VERSION", "PostgresOutbox"]

#: Version of the ``outbox`` table, recorded in ``smskit_schema``. 2 added the
#: ``cancelled`` and ``expired`` states (the state CHECK and the final-row trigger);
#: 3 lets a late receipt correct a cancelled, expired or failed row to ``sent`` (the
#: trigger only).
SCHEMA_VERSION = 3

_STATES = ", ".join(f"'{state.value}'" for state in OutboxState)
_LATE_SQL = ", ".join(f"'{state.value}'" for state in sorted(LATE_RECEIPT))

_DDL = (
    f"""CREATE TABLE {{schema}}.outbox (
        key text PRIMARY KEY,
        state text NOT NULL CHECK (state IN ({_STATES})),
        recipient text NOT NULL,
        sender text NOT NULL,
        payload text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        attempts integer NOT NULL CHECK (attempts >= 0),
        provider_id text,
        not_before timestamptz,
        error text
    )""",
    # Partial indexes: the two scans read only the few rows still in play.
    """CREATE INDEX outbox_unresolved ON {schema}.outbox (created_at, key)
       WHERE state IN ('reserved', 'ambiguous')""",
    """CREATE INDEX outbox_due ON {schema}.outbox (COALESCE(not_before, created_at), key)
       WHERE state = 'deferred'""",
    # The message names the table and the state; it never quotes the row.
    """CREATE FUNCTION {schema}.smskit_outbox_final() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'smskit: %.% row is %, a final state: it cannot change',
           TG_TABLE_SCHEMA, TG_TABLE_NAME, OLD.state USING ERRCODE = 'check_violation';
       END $$""",
    # The one move out of a final state: a late receipt (outbox.LATE_RECEIPT), which
    # names the provider's message id. It says what became of the message the row
    # holds, so the message itself (key, number, sender, text, creation) stays as it
    # is (review rev29m: any of them could be rewritten along with it).
    _FINAL_TRIGGER := f"""CREATE TRIGGER outbox_final_states BEFORE UPDATE ON {{schema}}.outbox
       FOR EACH ROW WHEN (OLD.state IN ({FINAL_SQL}) AND NOT (
         OLD.state IN ({_LATE_SQL}) AND NEW.state = 'sent'
         AND NEW.provider_id IS NOT NULL AND NEW.key = OLD.key
         AND NEW.recipient = OLD.recipient AND NEW.sender = OLD.sender
         AND NEW.payload = OLD.payload AND NEW.created_at = OLD.created_at))
       EXECUTE FUNCTION {{schema}}.smskit_outbox_final()""",
)
# Version 1 -> 2, in create_schema()'s transaction: no row is rewritten. The CHECK
# keeps the name PostgreSQL gave the column constraint, as a new table has it. It
# goes in NOT VALID (no scan while the transaction's ACCESS EXCLUSIVE lock stalls
# the workers) and is validated after the commit, under a lock that lets them run.
_UPGRADES = {
    1: (
        "ALTER TABLE {schema}.outbox DROP CONSTRAINT outbox_state_check, "
        f"ADD CONSTRAINT outbox_state_check CHECK (state IN ({_STATES})) NOT VALID",
        "DROP TRIGGER outbox_final_states ON {schema}.outbox",
        _FINAL_TRIGGER,
    ),
    # Version 2 -> 3: the trigger alone (no column, no check, no row touched). A
    # process of version 2 already running keeps working: it never writes the move.
    2: (
        "DROP TRIGGER outbox_final_states ON {schema}.outbox",
        _FINAL_TRIGGER,
    ),
}

_COLUMNS = (
    "key, state, recipient, sender, payload, created_at, updated_at, attempts, "
    "provider_id, not_before, error"
)


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


def _entry(row: tuple[Any, ...]) -> OutboxEntry:
    key, state, recipient, sender, payload, created, updated, attempts, pid, nb, error = row
    return OutboxEntry(
        key=key, recipient=recipient, sender=sender, state=OutboxState(state),
        created_at=created.astimezone(UTC), updated_at=updated.astimezone(UTC),
        payload=payload, attempts=attempts, provider_id=pid, not_before=_utc(nb), error=error,
    )


class PostgresOutbox(PostgresStore):
    """An :class:`~smskit.messenger.Outbox` in PostgreSQL, shared by every host.

    Each change is committed before the method returns, so a process killed
    right after :meth:`reserve` or :meth:`update` leaves the row behind for
    reconciliation, on whichever host runs it next.

    Args:
        connection: a psycopg ``Connection`` (not inside a transaction of the
            application's; the outbox's operations take turns on it), a
            ``psycopg_pool.ConnectionPool`` (a connection per operation), or a
            conninfo string (the outbox opens one connection and closes it in
            :meth:`close`).
        schema: the PostgreSQL schema of the table (create it with
            :meth:`create_schema`).
        attempts: tries of an operation rolled back by contention before a
            retryable :class:`~smskit.errors.StoreError`.
        lock_timeout: seconds an operation waits for a row lock per attempt.

    Raises:
        MissingExtraError: psycopg is not installed (the ``postgres`` extra).
        ConfigurationError: a bad argument.

    Every operation raises :class:`~smskit.errors.StoreError` when the table
    is missing or of another version (call :meth:`create_schema`).
    """

    _component = "outbox"
    _version = SCHEMA_VERSION
    _ddl = _DDL
    _upgrades = _UPGRADES
    _validations = (("outbox", "outbox_state_check"),)

    def __init__(
        self,
        connection: psycopg.Connection[Any] | Any,
        *,
        schema: str = "smskit",
        attempts: int = 5,
        lock_timeout: float = 10.0,
    ) -> None:
        super().__init__(
            connection, schema=schema, attempts=attempts, lock_timeout=lock_timeout
        )
        db = self._db
        self._insert = db.sql(
            f"INSERT INTO {{schema}}.outbox ({_COLUMNS}) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (key) DO NOTHING RETURNING key"
        )
        self._get = db.sql(f"SELECT {_COLUMNS} FROM {{schema}}.outbox WHERE key = %s")
        self._lock_row = db.sql(
            f"SELECT {_COLUMNS} FROM {{schema}}.outbox WHERE key = %s FOR UPDATE"
        )
        self._write = db.sql(
            "UPDATE {schema}.outbox SET state = %s, payload = %s, updated_at = %s, "
            "attempts = %s, provider_id = %s, not_before = %s, error = %s WHERE key = %s"
        )
        self._unresolved = db.sql(
            f"SELECT {_COLUMNS} FROM {{schema}}.outbox "
            "WHERE state IN ('reserved', 'ambiguous') ORDER BY created_at, key"
        )
        self._due = db.sql(
            f"SELECT {_COLUMNS} FROM {{schema}}.outbox "
            "WHERE state = 'deferred' AND COALESCE(not_before, created_at) <= %(at)s "
            "AND (%(after)s::timestamptz IS NULL "
            "OR (COALESCE(not_before, created_at), key) > (%(after)s, %(after_key)s)) "
            "ORDER BY COALESCE(not_before, created_at), key LIMIT %(limit)s"
        )
        # Final rows only, in both the pick and the delete (the delete's condition is
        # checked again on a row changed meanwhile). No FOR UPDATE: it would need the
        # UPDATE privilege, which the retention role has no use for. No ORDER BY: no
        # index serves it, and the LIMIT lets the scan stop early.
        self._prune = db.sql(
            f"DELETE FROM {{schema}}.outbox WHERE state IN ({FINAL_SQL}) AND key IN ("
            f"SELECT key FROM {{schema}}.outbox WHERE state IN ({FINAL_SQL}) "
            "AND updated_at < %s LIMIT %s)"
        )

    def reserve(self, entry: OutboxEntry) -> tuple[OutboxEntry, bool]:
        """Store ``entry`` unless its key exists; return the stored entry and whether it is new.

        Atomic across hosts: of concurrent calls with one key exactly one gets
        ``True``; the others wait for its commit and get the row it stored.

        Raises:
            ConfigurationError: a text field (the idempotency key first) holds a NUL
                character, which PostgreSQL text cannot; nothing is stored.
        """
        refuse_nul(
            "PostgresOutbox", key=entry.key, recipient=entry.recipient, sender=entry.sender,
            payload=entry.payload, provider_id=entry.provider_id, error=entry.error,
        )
        row = (
            entry.key, entry.state.value, entry.recipient, entry.sender, entry.payload,
            entry.created_at, entry.updated_at, entry.attempts, entry.provider_id,
            entry.not_before, entry.error,
        )

        def reserve(conn: psycopg.Connection[Any]) -> tuple[OutboxEntry, bool]:
            if conn.execute(self._insert, row).fetchone() is not None:
                return entry, True
            # A new statement: under READ COMMITTED it sees the winner's commit,
            # which the conflicting INSERT waited for.
            found = conn.execute(self._get, (entry.key,)).fetchone()
            if found is None:  # pragma: no cover - the winner's row cannot vanish here
                raise StoreError(
                    f"PostgresOutbox: {_shown_key(entry.key)} conflicted but is not stored"
                )
            return _entry(found), False

        return self._db.run(reserve, what="reserve")

    def get(self, key: str) -> OutboxEntry | None:
        """The entry for ``key``, or ``None`` (a key holding a NUL character is refused,
        as :meth:`reserve` refuses it)."""
        refuse_nul("PostgresOutbox", key=key)
        refuse_broken_key(key)
        row = self._db.run(
            lambda conn: conn.execute(self._get, (key,)).fetchone(), what="read", write=False
        )
        return None if row is None else _entry(row)

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
        """Move ``key`` to ``state`` (lock, check and write in one transaction).

        Raises:
            ConfigurationError: the key, ``provider_id``, ``error`` or ``payload``
                holds a NUL character, which PostgreSQL text cannot; nothing is
                written (as :meth:`reserve` refuses it).
            StoreError: unknown key.
            OutboxConflictError: a move the state machine forbids, or the row
                is no longer ``expected`` (checked under the row lock; a row gone
                since it was read, settled and pruned, too).
        """
        refuse_nul(
            "PostgresOutbox", key=key, provider_id=provider_id, error=error, payload=payload
        )
        refuse_broken_key(key)
        state = OutboxState(state)

        def update(conn: psycopg.Connection[Any]) -> OutboxEntry:
            found = conn.execute(self._lock_row, (key,)).fetchone()
            if found is None:
                raise _missing(key, expected)
            moved = _moved(
                _entry(found), state, at, provider_id, not_before, error, attempted, payload,
                expected,
            )
            conn.execute(self._write, (
                moved.state.value, moved.payload, moved.updated_at, moved.attempts,
                moved.provider_id, moved.not_before, moved.error, key,
            ))
            return moved

        return self._db.run(update, what="update")

    def unresolved(self) -> tuple[OutboxEntry, ...]:
        """``RESERVED`` and ``AMBIGUOUS`` entries, oldest first."""
        rows = self._db.run(
            lambda conn: conn.execute(self._unresolved).fetchall(), what="read", write=False
        )
        return tuple(_entry(row) for row in rows)

    def due(
        self, at: datetime, *, limit: int | None = None, after: OutboxEntry | None = None
    ) -> tuple[OutboxEntry, ...]:
        """``DEFERRED`` entries whose ``not_before`` is at or before ``at``, earliest first
        (at most ``limit``, after ``after``: see :meth:`Outbox.due`)."""
        _check_now(at)  # PostgreSQL would read a naive one in the session's zone
        limit = _check_page(limit, after)
        args = {
            "at": at,
            "after": None if after is None else after.not_before or after.created_at,
            "after_key": None if after is None else after.key,
            "limit": limit,  # LIMIT NULL: no limit
        }
        rows = self._db.run(
            lambda conn: conn.execute(self._due, args).fetchall(), what="read", write=False
        )
        return tuple(_entry(row) for row in rows)

    def prune(self, before: datetime, *, limit: int = PRUNE_LIMIT) -> int:
        """Remove at most ``limit`` final entries (``sent``, ``failed``, ``cancelled``,
        ``expired``) last updated
        before ``before``; how many went.

        One short transaction per call. A worker's claim moves a ``deferred`` row,
        which this never selects; under READ COMMITTED a row changed meanwhile is read
        again as committed before it is deleted, so only rows final at the delete go.

        Raises:
            ConfigurationError: a naive ``before`` or a ``limit`` below 1.
            StoreError: the database failed (``retryable`` after contention).
        """
        limit = check_prune(before, limit)
        return int(self._db.run(
            lambda conn: conn.execute(self._prune, (before, limit)).rowcount, what="prune"
        ))
