"""The message history: every message in and out with its segments, every delivery report.

:class:`MessageHistory` extends :class:`smskit.timing.SendHistory`: the same
object feeds frequency caps (each outbound message is also a send record) and
usage and delivery health (messages, segments, costs, delivery outcomes). It
also remembers which webhooks were processed, so a retried webhook is handled
once. :class:`MemoryMessageHistory` and :class:`SQLiteMessageHistory`
implement it; the SQLite one keeps its tables in the same file as the send
history.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right, insort
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Protocol, TypeVar

from .._sqlite import add_index, create_schema, is_retryable, write_transaction
from ..errors import ConfigurationError, StoreError
from ..findings import _shown, reduce_frozen
from ..numbers import mask_number
from ..numbers.parse import mask_sender
from ..pricing import Direction, MessageKind
from ..purpose import Purpose
from ..routes import Route
from ..timing import MemorySendHistory, SendHistory, SendRecord, SQLiteSendHistory
from ..timing.caps import require_e164

__all__ = [
    "DeliveryRecord",
    "MemoryMessageHistory",
    "MessageHistory",
    "MessageRecord",
    "SQLiteMessageHistory",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_T = TypeVar("_T")


def _micros(at: datetime) -> int:
    return (at - _EPOCH) // timedelta(microseconds=1)


def _instant(value: object) -> datetime:
    return _EPOCH + timedelta(microseconds=int(str(value)))


def _aware(value: object, name: str) -> None:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ConfigurationError(f"{name} must be an aware datetime", field=name)


def _elapsed(at: datetime, delta: timedelta) -> datetime:
    """``delta`` of real time after ``at`` (before, when negative), in ``at``'s zone.

    Plain ``at + delta`` counts wall-clock time: in the hour a clock change repeats it
    lands up to an hour off, even on the wrong side of ``at``."""
    return (at.astimezone(UTC) + delta).astimezone(at.tzinfo)


def _direction(value: object) -> Direction | None:
    """``value`` as a :class:`Direction` (``"inbound"`` too), ``None`` for no filter."""
    if value is None or isinstance(value, Direction):
        return value
    allowed = [d.value for d in Direction]
    if isinstance(value, str) and value in allowed:
        return Direction(value)
    raise ConfigurationError(
        f"direction: unknown direction {_shown(value)}; use one of: {', '.join(allowed)}",
        field="direction",
    )


def _text(value: object, name: str) -> None:
    if not isinstance(value, str) or not value:
        raise ConfigurationError(f"{name} must be a non-empty str", field=name)


# The ids the messenger gives a refused or abandoned send: its idempotency key behind
# a prefix, and a CRM builds its keys from the number ("lead-12125550123-reminder").
_KEYED_IDS = ("rejected:", "gave-up:")


def _shown_id(provider_id: str | None) -> str:
    """A record's provider id for its repr: a key behind a messenger prefix shown with
    its digit runs masked; a provider's own id (hex, a UUID) as it is."""
    if provider_id is not None and provider_id.startswith(_KEYED_IDS):
        return _shown(provider_id)
    return repr(provider_id)


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """One message that went out or came in.

    Attributes:
        direction: outbound (we sent it) or inbound (the person wrote).
        sender: our side: the sending number or messaging-service id.
        contact: the person's number, E.164 (masked in ``repr``).
        at: when it was sent or received.
        segments: SMS segments it used (billing unit for SMS).
        kind: SMS or MMS (MMS is billed per message).
        route: the route of our number, for the rate card.
        purpose: why it was sent (outbound); ``None`` inbound.
        subject: the campaign or subject, for caps.
        provider_id: the provider's message id.
        key: the idempotency key (outbound).
        reply: for an inbound reply, what it asked (``"opt_out"``, ``"opt_in"``,
            ``"help"``), else ``None``.
        cost: what the decision priced it at, if a rate card was used.
        currency: the currency of ``cost``.
    """

    direction: Direction
    sender: str
    contact: str = field(repr=False)
    at: datetime
    segments: int
    kind: MessageKind = MessageKind.SMS
    route: Route = Route.TEN_DLC
    purpose: Purpose | None = None
    subject: str | None = None
    provider_id: str | None = None
    key: str | None = None
    reply: str | None = None
    cost: Decimal | None = None
    currency: str | None = None
    # Pickles with reduce_frozen: datetime drops a repeated hour's fold before protocol 4.
    __reduce__ = reduce_frozen

    def __post_init__(self) -> None:
        object.__setattr__(self, "direction", Direction(self.direction))
        object.__setattr__(self, "kind", MessageKind(self.kind))
        object.__setattr__(self, "route", Route(self.route))
        if self.purpose is not None:
            object.__setattr__(self, "purpose", Purpose(self.purpose))
        _text(self.sender, "sender")
        _text(self.contact, "contact")
        _aware(self.at, "at")
        if isinstance(self.segments, bool) or not isinstance(self.segments, int):
            raise ConfigurationError("segments must be an int", field="segments")
        if self.segments < 0:
            raise ConfigurationError("segments must be 0 or more", field="segments")
        if self.cost is not None and not isinstance(self.cost, Decimal):
            raise ConfigurationError(
                "cost must be a Decimal (money never is a float)", field="cost"
            )

    def __repr__(self) -> str:
        return (
            f"MessageRecord(direction={self.direction.value!r}, "
            f"sender={mask_sender(self.sender)!r}, "
            f"contact={mask_number(self.contact)!r}, at={self.at.isoformat()!r}, "
            f"segments={self.segments}, provider_id={_shown_id(self.provider_id)})"
        )


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """One delivery report from the provider.

    Attributes:
        provider_id: the provider's message id.
        sender: our side.
        contact: the recipient's number (masked in ``repr``).
        at: when the report arrived.
        status: the provider's status, normalised (``"delivered"``, ``"undelivered"``...).
        category: the normalised error category (``"invalid_number"``...), if any.
        code: the provider's own error code, always kept.
    """

    provider_id: str
    sender: str
    contact: str = field(repr=False)
    at: datetime
    status: str
    category: str | None = None
    code: str | None = None
    # Pickles with reduce_frozen: datetime drops a repeated hour's fold before protocol 4.
    __reduce__ = reduce_frozen

    def __post_init__(self) -> None:
        for name in ("provider_id", "sender", "contact", "status"):
            _text(getattr(self, name), name)
        _aware(self.at, "at")

    def __repr__(self) -> str:
        return (
            f"DeliveryRecord(provider_id={_shown_id(self.provider_id)}, "
            f"sender={mask_sender(self.sender)!r}, "
            f"contact={mask_number(self.contact)!r}, status={self.status!r}, "
            f"category={self.category!r}, code={self.code!r})"
        )


class MessageHistory(SendHistory, Protocol):
    """Protocol: a :class:`~smskit.timing.SendHistory` that also keeps messages and reports."""

    def record_message(self, message: MessageRecord) -> None:
        """Keep ``message``; an outbound one is also a send record for caps."""
        ...

    def record_delivery(self, delivery: DeliveryRecord) -> None:
        """Keep a delivery report."""
        ...

    def messages(
        self,
        *,
        since: datetime,
        until: datetime,
        sender: str | None = None,
        direction: Direction | None = None,
    ) -> tuple[MessageRecord, ...]:
        """Messages in ``(since, until]`` matching the filters, oldest first."""
        ...

    def deliveries(
        self,
        *,
        since: datetime,
        until: datetime,
        sender: str | None = None,
        contact: str | None = None,
    ) -> tuple[DeliveryRecord, ...]:
        """Delivery reports in ``(since, until]`` matching the filters, oldest first."""
        ...

    def processed(self, webhook_key: str) -> bool:
        """Whether the webhook with this de-duplication key was already handled."""
        ...

    def mark_processed(self, webhook_key: str, at: datetime) -> bool:
        """Remember a handled webhook; ``False`` if it already was."""
        ...


def _send_record(message: MessageRecord) -> SendRecord:
    return SendRecord(
        recipient=message.contact,
        sender=message.sender,
        at=message.at,
        subject=message.subject,
        purpose=message.purpose or Purpose.MARKETING,
    )


class MemoryMessageHistory(MemorySendHistory):
    """A complete in-process :class:`MessageHistory`.

    Records come back with their instant in UTC, as the SQL histories give them, and
    every call after :meth:`close` raises ``StoreError``.
    """

    def __init__(self) -> None:
        super().__init__()
        self._messages: list[tuple[int, int, MessageRecord]] = []
        self._deliveries: list[tuple[int, int, DeliveryRecord]] = []
        self._webhooks: set[str] = set()

    def record_message(self, message: MessageRecord) -> None:
        """Keep ``message`` (and its send record, outbound).

        Raises:
            ConfigurationError: an outbound message's contact is not E.164.
            StoreError: the history is closed.
        """
        if message.direction is Direction.OUTBOUND:
            self.record(_send_record(message))
        message = replace(message, at=message.at.astimezone(UTC))  # as SQL stores keep it
        with self._lock:
            self._check_open()
            insort(self._messages, (_micros(message.at), len(self._messages), message))

    def record_delivery(self, delivery: DeliveryRecord) -> None:
        """Keep a delivery report."""
        delivery = replace(delivery, at=delivery.at.astimezone(UTC))
        with self._lock:
            self._check_open()
            insort(self._deliveries, (_micros(delivery.at), len(self._deliveries), delivery))

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
        only)."""
        direction = _direction(direction)
        with self._lock:
            self._check_open()
            window = _window(self._messages, since, until)
        return tuple(
            m
            for m in window
            if (sender is None or m.sender == sender)
            and (direction is None or m.direction is direction)
            and (contact is None or m.contact == contact)
        )

    def deliveries(
        self,
        *,
        since: datetime,
        until: datetime,
        sender: str | None = None,
        contact: str | None = None,
    ) -> tuple[DeliveryRecord, ...]:
        """Delivery reports in ``(since, until]``, oldest first."""
        with self._lock:
            self._check_open()
            window = _window(self._deliveries, since, until)
        return tuple(
            d
            for d in window
            if (sender is None or d.sender == sender) and (contact is None or d.contact == contact)
        )

    def processed(self, webhook_key: str) -> bool:
        """Whether the webhook was handled."""
        with self._lock:
            self._check_open()
            return webhook_key in self._webhooks

    def mark_processed(self, webhook_key: str, at: datetime) -> bool:
        """Remember a handled webhook."""
        _aware(at, "at")
        with self._lock:
            self._check_open()
            if webhook_key in self._webhooks:
                return False
            self._webhooks.add(webhook_key)
            return True


def _window(entries: list[tuple[int, int, _T]], since: datetime, until: datetime) -> list[_T]:
    _aware(since, "since")  # a naive day start raised TypeError from the subtraction
    _aware(until, "until")
    end = len(entries) + 1
    first = bisect_right(entries, (_micros(since), end))
    last = bisect_right(entries, (_micros(until), end))
    return [item for _, _, item in entries[first:last]]


_SCHEMA = """
CREATE TABLE IF NOT EXISTS smskit_messages (
    id INTEGER PRIMARY KEY,
    direction TEXT NOT NULL,
    sender TEXT NOT NULL,
    contact TEXT NOT NULL,
    at_us INTEGER NOT NULL,
    segments INTEGER NOT NULL,
    kind TEXT NOT NULL,
    route TEXT NOT NULL,
    purpose TEXT,
    subject TEXT,
    provider_id TEXT,
    key TEXT,
    reply TEXT,
    cost TEXT,
    currency TEXT
);
CREATE INDEX IF NOT EXISTS smskit_messages_sender ON smskit_messages (sender, at_us);
CREATE TABLE IF NOT EXISTS smskit_deliveries (
    id INTEGER PRIMARY KEY,
    provider_id TEXT NOT NULL,
    sender TEXT NOT NULL,
    contact TEXT NOT NULL,
    at_us INTEGER NOT NULL,
    status TEXT NOT NULL,
    category TEXT,
    code TEXT
);
CREATE INDEX IF NOT EXISTS smskit_deliveries_sender ON smskit_deliveries (sender, at_us);
CREATE INDEX IF NOT EXISTS smskit_deliveries_contact ON smskit_deliveries (contact, at_us);
CREATE TABLE IF NOT EXISTS smskit_webhooks (key TEXT PRIMARY KEY, at_us INTEGER NOT NULL);
"""

# Added after files were made without it (a suppression reads a number's inbound texts
# by contact): created when a file is opened, unless the file is read-only to this
# process (it opened before, and must still: its reads then scan, as they did).
_CONTACT_INDEX = (
    "CREATE INDEX IF NOT EXISTS smskit_messages_contact ON smskit_messages (contact, at_us);"
)

_MESSAGE_COLUMNS = (
    "direction, sender, contact, at_us, segments, kind, route, purpose, subject, "
    "provider_id, key, reply, cost, currency"
)
_DELIVERY_COLUMNS = "provider_id, sender, contact, at_us, status, category, code"


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def _where(
    since: datetime, until: datetime, **equal: str | None
) -> tuple[str, list[object]]:
    """The WHERE clause and arguments of a read over ``(since, until]`` where each
    column named in ``equal`` that is given (not ``None``) equals its value."""
    _aware(since, "since")
    _aware(until, "until")
    where = ["at_us > ?", "at_us <= ?"]
    args: list[object] = [_micros(since), _micros(until)]
    for column, value in equal.items():
        if value is not None:
            where.append(f"{column} = ?")  # column names come from this module only
            args.append(value)
    return " AND ".join(where), args


class SQLiteMessageHistory(SQLiteSendHistory):
    """A durable :class:`MessageHistory`: the send-history file plus message tables.

    An outbound message and its send record are written in one transaction.
    Use as a context manager or call :meth:`close`.
    """

    def __init__(self, path: str | Path, *, timeout: float = 30.0) -> None:
        super().__init__(path, timeout=timeout)
        try:
            create_schema(self._db, _SCHEMA)
            add_index(self._db, _CONTACT_INDEX)
        except sqlite3.Error as exc:
            self.close()
            raise StoreError(
                f"cannot open message history {str(path)!r}: {exc}", retryable=is_retryable(exc)
            ) from exc

    def _write(self, what: str, statements: list[tuple[str, tuple[object, ...]]]) -> int:
        with self._lock, write_transaction(self._db, f"recording {what} in {self._path!r}"):
            changed = 0
            for sql, args in statements:
                changed += self._db.execute(sql, args).rowcount
        return changed

    def record_message(self, message: MessageRecord) -> None:
        """Keep ``message`` (and its send record, outbound), committed before returning.

        Raises:
            ConfigurationError: an outbound message's contact is not E.164.
        """
        statements: list[tuple[str, tuple[object, ...]]] = [
            (
                f"INSERT INTO smskit_messages ({_MESSAGE_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    message.direction.value,
                    message.sender,
                    message.contact,
                    _micros(message.at),
                    message.segments,
                    message.kind.value,
                    message.route.value,
                    _opt(message.purpose and message.purpose.value),
                    message.subject,
                    message.provider_id,
                    message.key,
                    message.reply,
                    _opt(message.cost),
                    message.currency,
                ),
            )
        ]
        if message.direction is Direction.OUTBOUND:
            send = _send_record(message)
            require_e164(send)  # as record() and the memory history refuse it
            statements.append(
                (
                    "INSERT INTO smskit_sends (recipient, sender, subject, purpose, at_us) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (
                        send.recipient,
                        send.sender,
                        send.subject,
                        send.purpose.value,
                        _micros(send.at),
                    ),
                )
            )
        self._write("a message", statements)

    def record_delivery(self, delivery: DeliveryRecord) -> None:
        """Keep a delivery report, committed before returning."""
        self._write(
            "a delivery report",
            [
                (
                    f"INSERT INTO smskit_deliveries ({_DELIVERY_COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        delivery.provider_id,
                        delivery.sender,
                        delivery.contact,
                        _micros(delivery.at),
                        delivery.status,
                        delivery.category,
                        delivery.code,
                    ),
                )
            ],
        )

    def _read(self, sql: str, args: list[object]) -> list[tuple[object, ...]]:
        with self._lock:
            try:
                return [tuple(row) for row in self._db.execute(sql, args).fetchall()]
            except sqlite3.Error as exc:
                raise StoreError(f"reading message history {self._path!r} failed: {exc}") from exc

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
        only)."""
        chosen = _direction(direction)
        where, args = _where(
            since, until, sender=sender, direction=None if chosen is None else chosen.value,
            contact=contact,
        )
        rows = self._read(
            f"SELECT {_MESSAGE_COLUMNS} FROM smskit_messages WHERE {where} ORDER BY at_us, id",
            args,
        )
        return tuple(_message(row) for row in rows)

    def deliveries(
        self,
        *,
        since: datetime,
        until: datetime,
        sender: str | None = None,
        contact: str | None = None,
    ) -> tuple[DeliveryRecord, ...]:
        """Delivery reports in ``(since, until]``, oldest first."""
        where, args = _where(since, until, sender=sender, contact=contact)
        rows = self._read(
            f"SELECT {_DELIVERY_COLUMNS} FROM smskit_deliveries WHERE {where} ORDER BY at_us, id",
            args,
        )
        return tuple(
            DeliveryRecord(
                provider_id=str(pid),
                sender=str(sender_),
                contact=str(contact_),
                at=_instant(at_us),
                status=str(status),
                category=_opt(category),
                code=_opt(code),
            )
            for pid, sender_, contact_, at_us, status, category, code in rows
        )

    def processed(self, webhook_key: str) -> bool:
        """Whether the webhook was handled."""
        return bool(self._read("SELECT 1 FROM smskit_webhooks WHERE key = ?", [webhook_key]))

    def mark_processed(self, webhook_key: str, at: datetime) -> bool:
        """Remember a handled webhook (``INSERT OR IGNORE``, committed)."""
        _aware(at, "at")
        return (
            self._write(
                "a webhook",
                [
                    (
                        "INSERT OR IGNORE INTO smskit_webhooks (key, at_us) VALUES (?, ?)",
                        (webhook_key, _micros(at)),
                    )
                ],
            )
            == 1
        )

    def __enter__(self) -> SQLiteMessageHistory:
        return self


def _message(row: tuple[object, ...]) -> MessageRecord:
    (
        direction,
        sender,
        contact,
        at_us,
        segments,
        kind,
        route,
        purpose,
        subject,
        pid,
        key,
        reply,
        cost,
        currency,
    ) = row
    return MessageRecord(
        direction=Direction(str(direction)),
        sender=str(sender),
        contact=str(contact),
        at=_instant(at_us),
        segments=int(str(segments)),
        kind=MessageKind(str(kind)),
        route=Route(str(route)),
        purpose=None if purpose is None else Purpose(str(purpose)),
        subject=_opt(subject),
        provider_id=_opt(pid),
        key=_opt(key),
        reply=_opt(reply),
        cost=None if cost is None else Decimal(str(cost)),
        currency=_opt(currency),
    )
