"""``PostgresSendHistory``: the send history shared by several hosts (the ``postgres`` extra).

Sends are rows of one table, instants as ``timestamptz`` (microseconds, like
Python), indexed by recipient and by sender for the rolling-window queries of
:class:`~smskit.timing.FrequencyCap`. Tables are created only by
:meth:`PostgresSendHistory.create_schema`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .._postgres import PostgresStore, refuse_nul
from ..purpose import Purpose
from .caps import PRUNE_LIMIT, SendRecord, check_prune, require_e164
from .quiet_hours import require_aware

if TYPE_CHECKING:
    import psycopg

__all__ = ["SCHEMA_VERSION", "PostgresSendHistory"]

#: Version of the ``send_history`` tables, recorded in ``smskit_schema``.
SCHEMA_VERSION = 1
_ALL_PURPOSES = frozenset(Purpose)

_DDL: tuple[str, ...] = (
    """CREATE TABLE {schema}.send_history (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        recipient text NOT NULL,
        sender text NOT NULL,
        subject text,
        purpose text NOT NULL,
        at timestamptz NOT NULL
    )""",
    "CREATE INDEX send_history_by_recipient ON {schema}.send_history (recipient, at)",
    "CREATE INDEX send_history_by_sender ON {schema}.send_history (sender, at)",
)


class PostgresSendHistory(PostgresStore):
    """A :class:`~smskit.timing.SendHistory` in PostgreSQL, shared by every host.

    Args:
        connection: a psycopg ``Connection`` (not inside a transaction of the
            application's), a ``psycopg_pool.ConnectionPool`` (a connection per
            operation), or a conninfo string (the history opens one connection
            and closes it in :meth:`close`).
        schema: the PostgreSQL schema of the table (create it with
            :meth:`create_schema`).
        attempts: tries of an operation rolled back by contention before a
            retryable :class:`~smskit.errors.StoreError`.
        lock_timeout: seconds an operation waits for a lock per attempt.

    Raises:
        MissingExtraError: psycopg is not installed (the ``postgres`` extra).

    Every operation raises :class:`~smskit.errors.StoreError` when the table
    is missing or of another version (call :meth:`create_schema`).
    """

    _component = "send_history"
    _version = SCHEMA_VERSION
    _ddl = _DDL

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
        self._insert = self._db.sql(
            "INSERT INTO {schema}.send_history (recipient, sender, subject, purpose, at) "
            "VALUES (%s, %s, %s, %s, %s)"
        )
        # No ORDER BY: without an index on the instant alone it would sort the whole
        # table; the LIMIT lets the scan stop at the first ``limit`` old rows.
        self._prune = self._db.sql(
            "DELETE FROM {schema}.send_history WHERE id IN (SELECT id FROM "
            "{schema}.send_history WHERE at < %s LIMIT %s)"
        )

    def record(self, send: SendRecord) -> None:
        """Remember one send (committed before returning).

        Raises:
            ConfigurationError: the recipient is not E.164, or the sender or subject
                holds a NUL character (PostgreSQL text cannot).
            StoreError: the database failed (``retryable`` after contention).
        """
        require_e164(send)
        refuse_nul(type(self).__name__, sender=send.sender, subject=send.subject)
        row = (send.recipient, send.sender, send.subject, send.purpose.value, send.at)
        self._db.run(lambda conn: conn.execute(self._insert, row), what="record")

    def sent_at(
        self,
        *,
        since: datetime,
        until: datetime,
        recipient: str | None = None,
        sender: str | None = None,
        subject: str | None = None,
        purposes: frozenset[Purpose] = _ALL_PURPOSES,
    ) -> tuple[datetime, ...]:
        """Instants (UTC, ascending) of matching sends in ``(since, until]``."""
        require_aware(since, "since")
        require_aware(until, "until")
        refuse_nul(type(self).__name__, recipient=recipient, sender=sender, subject=subject)
        where = ["at > %s", "at <= %s"]
        args: list[object] = [since, until]
        if recipient is not None:
            where.append("recipient = %s")
            args.append(recipient)
        if sender is not None:
            where.append("sender = %s")
            args.append(sender)
        if subject is not None:
            where.append("(subject = %s OR subject IS NULL)")
            args.append(subject)
        if purposes != _ALL_PURPOSES:
            where.append("purpose = ANY(%s)")
            args.append(sorted(p.value for p in purposes))
        query = self._db.sql(
            "SELECT at FROM {schema}.send_history WHERE "
            + " AND ".join(where) + " ORDER BY at, id"
        )
        rows = self._db.run(
            lambda conn: conn.execute(query, args).fetchall(), what="read", write=False
        )
        return tuple(row[0].astimezone(UTC) for row in rows)

    def records_many(
        self, recipients: Sequence[str], *, since: datetime, until: datetime
    ) -> Mapping[str, Sequence[SendRecord]]:
        """Every send to each recipient in ``(since, until]``, ascending, by recipient:
        one query for the whole list."""
        require_aware(since, "since")
        require_aware(until, "until")
        wanted = sorted(set(recipients))
        out: dict[str, list[SendRecord]] = {}
        if not wanted:
            return out
        query = self._db.sql(
            "SELECT recipient, sender, subject, purpose, at FROM {schema}.send_history "
            "WHERE recipient = ANY(%s) AND at > %s AND at <= %s ORDER BY recipient, at, id"
        )
        rows = self._db.run(
            lambda conn: conn.execute(query, (wanted, since, until)).fetchall(),
            what="read", write=False,
        )
        for recipient, sender, subject, purpose, at in rows:
            out.setdefault(recipient, []).append(
                SendRecord(recipient, sender, at.astimezone(UTC), subject, Purpose(purpose))
            )
        return out

    def prune(self, before: datetime, *, limit: int = PRUNE_LIMIT) -> int:
        """Remove at most ``limit`` sends made before ``before``; how many went.

        One short transaction per call (rows are only ever inserted, so no row lock
        of a sender is waited for); call it again until it returns fewer than ``limit``.

        Raises:
            ConfigurationError: a naive ``before`` or a ``limit`` below 1.
            StoreError: the database failed (``retryable`` after contention).
        """
        limit = check_prune(before, limit)
        return int(self._db.run(
            lambda conn: conn.execute(self._prune, (before, limit)).rowcount, what="prune"
        ))
