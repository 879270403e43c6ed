"""``PostgresMessageHistory``: the message history shared by several hosts (the
``postgres`` extra).

It extends :class:`~smskit.timing.PostgresSendHistory` as
:class:`~smskit.messenger.SQLiteMessageHistory` extends the SQLite send history:
one object, in one schema, serves caps (the ``send_history`` table) and usage,
delivery health, suppression and the processed webhooks (three tables of its own,
the ``message_history`` component of ``smskit_schema``). An outbound message and
its send record are written in one transaction. :meth:`mark_processed` is one
``INSERT ... ON CONFLICT DO NOTHING``: of any number of hosts marking one webhook,
exactly one is told it was first.

Instants are ``timestamptz`` (microseconds, like Python). Tables are created only
by :meth:`PostgresMessageHistory.create_schema`, which also creates the send
history's table when the schema does not hold it yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from .._postgres import PostgresStore, refuse_nul
from ..pricing import Direction, MessageKind
from ..purpose import Purpose
from ..routes import Route
from ..timing import postgres as _sends
from ..timing.caps import require_e164
from .history import DeliveryRecord, MessageRecord, _aware, _direction, _send_record

if TYPE_CHECKING:
    import psycopg

__all__ = ["SCHEMA_VERSION", "PostgresMessageHistory"]

#: Version of the ``message_history`` tables, recorded in ``smskit_schema``.
SCHEMA_VERSION = 1

_DDL: tuple[str, ...] = (
    # cost is text, as SQLite keeps it: a Decimal comes back as it went in
    # (numeric would turn Decimal("1E+2") into 100 and refuse what it cannot hold).
    """CREATE TABLE {schema}.messages (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        direction text NOT NULL,
        sender text NOT NULL,
        contact text NOT NULL,
        at timestamptz NOT NULL,
        segments integer NOT NULL CHECK (segments >= 0),
        kind text NOT NULL,
        route text NOT NULL,
        purpose text,
        subject text,
        provider_id text,
        key text,
        reply text,
        cost text,
        currency text
    )""",
    "CREATE INDEX messages_by_sender ON {schema}.messages (sender, at)",
    # A suppression reads a number's own messages (its inbound texts since a failure).
    "CREATE INDEX messages_by_contact ON {schema}.messages (contact, at)",
    # Usage and health read every message or report of a window, whatever its sender.
    "CREATE INDEX messages_by_at ON {schema}.messages (at)",
    """CREATE TABLE {schema}.deliveries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        provider_id text NOT NULL,
        sender text NOT NULL,
        contact text NOT NULL,
        at timestamptz NOT NULL,
        status text NOT NULL,
        category text,
        code text
    )""",
    "CREATE INDEX deliveries_by_sender ON {schema}.deliveries (sender, at)",
    "CREATE INDEX deliveries_by_contact ON {schema}.deliveries (contact, at)",
    "CREATE INDEX deliveries_by_at ON {schema}.deliveries (at)",
    """CREATE TABLE {schema}.processed_webhooks (
        key text PRIMARY KEY,
        at timestamptz NOT NULL
    )""",
)

_MESSAGE_COLUMNS = (
    "direction, sender, contact, at, segments, kind, route, purpose, subject, "
    "provider_id, key, reply, cost, currency"
)
_DELIVERY_COLUMNS = "provider_id, sender, contact, at, status, category, code"
# Read back as UTC wall time, made aware again: read in the session's zone, an instant
# of 9999-12-31 (or 0001-01-01) UTC is past year 9999 (or before year 1) there, which
# psycopg cannot load, and every read over it would fail (review rev29p).
_AT_UTC = "at AT TIME ZONE 'UTC'"
_MESSAGE_READ = _MESSAGE_COLUMNS.replace(", at,", f", {_AT_UTC},")
_DELIVERY_READ = _DELIVERY_COLUMNS.replace(", at,", f", {_AT_UTC},")


_NAME = "PostgresMessageHistory"


def _where(
    since: datetime, until: datetime, **equal: str | None
) -> tuple[str, list[object]]:
    """The WHERE clause and arguments of a read over ``(since, until]`` where each
    column named in ``equal`` that is given (not ``None``) equals its value."""
    refuse_nul(_NAME, **equal)
    _aware(since, "since")
    _aware(until, "until")
    where = ["at > %s", "at <= %s"]
    args: list[object] = [since, until]
    for column, value in equal.items():
        if value is not None:
            where.append(f"{column} = %s")  # column names come from this module only
            args.append(value)
    return " AND ".join(where), args


class PostgresMessageHistory(_sends.PostgresSendHistory):
    """A :class:`~smskit.messenger.MessageHistory` in PostgreSQL, shared by every host.

    Several messengers given one schema share caps, usage, delivery health,
    suppression and the record of processed webhooks: a webhook retried to
    another host is seen as handled.

    Args:
        connection: a psycopg ``Connection`` (not inside a transaction of the
            application's), a ``psycopg_pool.ConnectionPool`` (a connection per
            operation), or a conninfo string (the history opens one connection
            and closes it in :meth:`close`).
        schema: the PostgreSQL schema of the tables (create them with
            :meth:`create_schema`).
        attempts: tries of an operation rolled back by contention before a
            retryable :class:`~smskit.errors.StoreError`.
        lock_timeout: seconds an operation waits for a lock per attempt.

    Raises:
        MissingExtraError: psycopg is not installed (the ``postgres`` extra).

    Every operation raises :class:`~smskit.errors.StoreError` when the tables
    (its own or the send history's) are missing or of another version (call
    :meth:`create_schema`). :meth:`prune` removes send records only, as the
    other histories' does: messages, reports and webhooks stay.
    """

    _component = "message_history"
    _version = SCHEMA_VERSION
    _ddl = _DDL
    # Its own, empty: inherited, the send history's upgrades (its next version's)
    # would be taken for this component's, and run against its version row.
    _upgrades: ClassVar[Mapping[int, tuple[str, ...]]] = {}
    _validations: ClassVar[tuple[tuple[str, str], ...]] = ()

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
        sends = _sends.PostgresSendHistory
        self._db.requires = ((sends._component, sends._version, frozenset(sends._upgrades)),)
        self._insert_message = self._db.sql(
            f"INSERT INTO {{schema}}.messages ({_MESSAGE_COLUMNS}) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        )
        self._insert_delivery = self._db.sql(
            f"INSERT INTO {{schema}}.deliveries ({_DELIVERY_COLUMNS}) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)"
        )
        self._mark = self._db.sql(
            "INSERT INTO {schema}.processed_webhooks (key, at) VALUES (%s, %s) "
            "ON CONFLICT (key) DO NOTHING"
        )
        self._seen = self._db.sql("SELECT 1 FROM {schema}.processed_webhooks WHERE key = %s")

    def create_schema(self) -> bool:
        """Create the schema, the version table, the send history's table and this
        history's tables, whichever are missing.

        Idempotent and safe from several hosts at once; run it once at deployment as
        the role that owns the schema. A schema a :class:`~smskit.timing.PostgresSendHistory`
        already uses keeps its send records. Returns ``True`` if any table was
        created now.

        Raises:
            StoreError: the schema holds another version of either.
        """
        sends = _sends.PostgresSendHistory
        created = self._db.create(
            (self._db.sql(statement) for statement in sends._ddl),
            # Upgraded as PostgresSendHistory.create_schema() would, in place.
            {
                version: [self._db.sql(statement) for statement in statements]
                for version, statements in sends._upgrades.items()
            },
            sends._validations,
            component=sends._component,
            version=sends._version,
        )
        return PostgresStore.create_schema(self) or created

    def record_message(self, message: MessageRecord) -> None:
        """Keep ``message`` (and its send record, outbound) in one transaction,
        committed before returning.

        Raises:
            ConfigurationError: an outbound message's contact is not E.164, or a
                text field holds a NUL character (PostgreSQL text cannot).
            StoreError: the database failed (``retryable`` after contention).
        """
        refuse_nul(
            _NAME, sender=message.sender, contact=message.contact, subject=message.subject,
            provider_id=message.provider_id, key=message.key, reply=message.reply,
            currency=message.currency,
        )
        row = (
            message.direction.value,
            message.sender,
            message.contact,
            message.at,
            message.segments,
            message.kind.value,
            message.route.value,
            None if message.purpose is None else message.purpose.value,
            message.subject,
            message.provider_id,
            message.key,
            message.reply,
            None if message.cost is None else str(message.cost),
            message.currency,
        )
        send = None
        if message.direction is Direction.OUTBOUND:
            send = _send_record(message)
            require_e164(send)  # refused before anything is written, as record() does

        def write(conn: psycopg.Connection[Any]) -> None:
            conn.execute(self._insert_message, row)
            if send is not None:
                conn.execute(
                    self._insert,
                    (send.recipient, send.sender, send.subject, send.purpose.value, send.at),
                )

        self._db.run(write, what="record_message")

    def record_delivery(self, delivery: DeliveryRecord) -> None:
        """Keep a delivery report, committed before returning.

        Raises:
            ConfigurationError: a text field holds a NUL character (PostgreSQL text
                cannot).
        """
        refuse_nul(
            _NAME, provider_id=delivery.provider_id, sender=delivery.sender,
            contact=delivery.contact, status=delivery.status, category=delivery.category,
            code=delivery.code,
        )
        row = (
            delivery.provider_id,
            delivery.sender,
            delivery.contact,
            delivery.at,
            delivery.status,
            delivery.category,
            delivery.code,
        )
        self._db.run(
            lambda conn: conn.execute(self._insert_delivery, row), what="record_delivery"
        )

    def _select(self, columns: str, table: str, where: str, args: list[object]) -> list[Any]:
        # Ties in the instant come back in the order they were recorded (the id).
        query = self._db.sql(
            f"SELECT {columns} FROM {{schema}}.{table} WHERE {where} ORDER BY at, id"
        )
        return self._db.run(
            lambda conn: conn.execute(query, args).fetchall(), what="read", write=False
        )

    def messages(
        self,
        *,
        since: datetime,
        until: datetime,
        sender: str | None = None,
        direction: Direction | None = None,
        contact: str | None = None,
    ) -> tuple[MessageRecord, ...]:
        """Messages in ``(since, until]``, oldest first (``contact``: with that person
        only); instants in UTC."""
        chosen = _direction(direction)
        where, args = _where(
            since, until, sender=sender, direction=None if chosen is None else chosen.value,
            contact=contact,
        )
        return tuple(
            MessageRecord(
                direction=Direction(direction_),
                sender=sender_,
                contact=contact_,
                at=at.replace(tzinfo=UTC),
                segments=segments,
                kind=MessageKind(kind),
                route=Route(route),
                purpose=None if purpose is None else Purpose(purpose),
                subject=subject,
                provider_id=provider_id,
                key=key,
                reply=reply,
                cost=None if cost is None else Decimal(cost),
                currency=currency,
            )
            for (
                direction_, sender_, contact_, at, segments, kind, route, purpose, subject,
                provider_id, key, reply, cost, currency,
            ) in self._select(_MESSAGE_READ, "messages", where, args)
        )

    def deliveries(
        self,
        *,
        since: datetime,
        until: datetime,
        sender: str | None = None,
        contact: str | None = None,
    ) -> tuple[DeliveryRecord, ...]:
        """Delivery reports in ``(since, until]``, oldest first; instants in UTC."""
        where, args = _where(since, until, sender=sender, contact=contact)
        return tuple(
            DeliveryRecord(provider_id, sender_, contact_, at.replace(tzinfo=UTC), status,
                           category, code)
            for provider_id, sender_, contact_, at, status, category, code in self._select(
                _DELIVERY_READ, "deliveries", where, args
            )
        )

    def processed(self, webhook_key: str) -> bool:
        """Whether the webhook was handled, by this host or any other (a key holding a
        NUL character is refused, as :meth:`mark_processed` refuses it)."""
        refuse_nul(_NAME, webhook_key=webhook_key)
        rows = self._db.run(
            lambda conn: conn.execute(self._seen, (webhook_key,)).fetchall(),
            what="read", write=False,
        )
        return bool(rows)

    def mark_processed(self, webhook_key: str, at: datetime) -> bool:
        """Remember a handled webhook; ``False`` if it already was (here or on
        another host): one ``INSERT ... ON CONFLICT DO NOTHING``, committed."""
        _aware(at, "at")
        refuse_nul(_NAME, webhook_key=webhook_key)
        return bool(self._db.run(
            lambda conn: conn.execute(self._mark, (webhook_key, at)).rowcount == 1,
            what="mark_processed",
        ))
