"""Value types every provider speaks: what to send, what came back, what came in.

All are frozen dataclasses; none repeats a phone number in full in its ``repr``
(numbers are masked with :func:`smskit.mask_number`), and message bodies show
only their length there.

>>> msg = OutboundMessage(to="+14155550123", sender="+14155550199", body="Hi")
>>> msg
OutboundMessage(to='+1********23', sender='+1********99', body=<2 chars>, media=0)
>>> ErrorCategory.RATE_LIMITED.retryable, ErrorCategory.UNSUBSCRIBED.retryable
(True, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from ..errors import ConfigurationError, ErrorCategory
from ..findings import reduce_frozen
from ..numbers import mask_number, mask_sender

__all__ = [
    "Capabilities",
    "DeliveryStatus",
    "ErrorCategory",
    "Geography",
    "InboundMessage",
    "MediaItem",
    "MessageStatus",
    "OptOutType",
    "OutboundMessage",
    "SendReceipt",
]


class MessageStatus(StrEnum):
    """Every ``MessageStatus`` value Twilio's Messages API documents, and ``UNKNOWN``.

    ``read`` is reported for WhatsApp and RCS only; ``failed`` means the provider
    could not send, ``undelivered`` that the carrier reported non-delivery.
    ``unknown`` is smskit's: a status callback or send response with a value added
    after this release (the value itself is in :attr:`DeliveryStatus.raw_status` or
    :attr:`SendReceipt.raw_status`).
    """

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    RECEIVING = "receiving"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    READ = "read"
    PARTIALLY_DELIVERED = "partially_delivered"
    CANCELED = "canceled"
    UNKNOWN = "unknown"

    @property
    def final(self) -> bool:
        """True when no later status will follow (``read`` may still follow delivered)."""
        return self in _FINAL


_FINAL = frozenset(
    {
        MessageStatus.FAILED,
        MessageStatus.DELIVERED,
        MessageStatus.UNDELIVERED,
        MessageStatus.RECEIVED,
        MessageStatus.READ,
        MessageStatus.CANCELED,
    }
)


class OptOutType(StrEnum):
    """What a provider's own opt-out handling recognised in an inbound message."""

    STOP = "stop"
    START = "start"
    HELP = "help"


def _require_utf8(name: str, text: str | None) -> None:
    # A lone surrogate cannot go on the wire; found here, it is the caller's
    # mistake, not a transport failure to retry and look up.
    if text is None:
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ConfigurationError(
            f"OutboundMessage.{name} has a lone surrogate (U+{ord(text[exc.start]):04X}) at "
            f"index {exc.start}: it cannot be sent as UTF-8; fix how the text was decoded",
            field=name.split("[")[0],
        ) from None


def _text_fields(message: OutboundMessage) -> dict[str, str | None]:
    return {
        "to": message.to, "body": message.body, "sender": message.sender,
        "messaging_service": message.messaging_service,
        "status_callback": message.status_callback, "idempotency_key": message.idempotency_key,
    }  # fmt: skip


def _require_types(message: OutboundMessage) -> None:
    # A number or bytes here would fail later with a bare AttributeError, or go
    # out as its repr; the message names the field only (it may be a number).
    for name, value in _text_fields(message).items():
        if not isinstance(value, str) and (value is not None or name == "body"):
            raise ConfigurationError(
                f"OutboundMessage.{name} must be text (str), not {type(value).__name__}",
                field=name,
            )
    for url in message.media_urls:
        if not isinstance(url, str):
            raise ConfigurationError(
                f"OutboundMessage.media_urls must hold URLs as text (str), not "
                f"{type(url).__name__}",
                field="media_urls",
            )


@dataclass(frozen=True, slots=True, repr=False)
class OutboundMessage:
    """One text to send.

    Attributes:
        to: the recipient, E.164 (``"+14155550123"``).
        body: the text, already prepared (prefix, footer); may be empty with media.
        sender: the sending number or sender ID; may be ``None`` when a
            ``messaging_service`` chooses it.
        messaging_service: a provider-side sender pool (Twilio's
            ``MessagingServiceSid``).
        media_urls: public URLs of media to attach (MMS).
        status_callback: where the provider should post delivery statuses.
        validity_period: seconds the provider may keep it queued before giving up.
        idempotency_key: the caller's key for this message (the outbox's key);
            providers that support one send it, the others keep it in the receipt.
    """

    to: str
    body: str = ""
    sender: str | None = None
    messaging_service: str | None = None
    media_urls: tuple[str, ...] = ()
    status_callback: str | None = None
    validity_period: int | None = None
    idempotency_key: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.media_urls, str | bytes):
            # tuple() of one URL would be a tuple of its characters.
            raise ConfigurationError(
                "OutboundMessage.media_urls takes a tuple of URLs, not one string; "
                "write media_urls=(url,)",
                field="media_urls",
            )
        # A list given for media_urls would make the value unhashable and mutable.
        object.__setattr__(self, "media_urls", tuple(self.media_urls))
        _require_types(self)
        # Blank is empty here: spaces are no address, and the provider would refuse them
        # only after the message had been reserved and handed over.
        if not self.to.strip():
            raise ConfigurationError("an OutboundMessage needs a recipient (to)", field="to")
        if not self.body and not self.media_urls:
            raise ConfigurationError("an OutboundMessage needs a body or media", field="body")
        if not (self.sender or "").strip() and not (self.messaging_service or "").strip():
            raise ConfigurationError(
                "an OutboundMessage needs a sender or a messaging_service", field="sender"
            )
        for name in ("sender", "messaging_service"):
            value = getattr(self, name)
            if value and not value.strip():  # beside the other one: still sent as it is
                raise ConfigurationError(
                    f"{name} is blank: give it or leave it out (None)", field=name
                )
        texts = _text_fields(self)
        texts.update((f"media_urls[{i}]", url) for i, url in enumerate(self.media_urls))
        for name, text in texts.items():
            _require_utf8(name, text)
        period = self.validity_period
        if period is not None and (type(period) is not int or period < 1):
            raise ConfigurationError(
                f"validity_period must be a whole number of seconds, at least 1; got "
                f"{period!r:.40}",
                field="validity_period",
            )

    def __repr__(self) -> str:
        # A number masked; a short code or alphanumeric ID shown, as SenderProfile does.
        sender = mask_sender(self.sender) if self.sender else self.messaging_service
        return (
            f"OutboundMessage(to={mask_number(self.to)!r}, sender={sender!r}, "
            f"body=<{len(self.body)} chars>, media={len(self.media_urls)})"
        )


@dataclass(frozen=True, slots=True, repr=False)
class SendReceipt:
    """What the provider said when it took a message.

    Attributes:
        provider: the provider's name (``"twilio"``, ``"memory"``).
        message_id: the provider's id for the message (Twilio's ``MessageSid``).
        status: the status it reported at once (``queued``, ``accepted``...).
        to: the recipient, E.164.
        accepted_at: when it was taken, timezone-aware (the provider's time when
            it says, else the adapter's clock).
        segments: how many segments the provider counted, if it said (``None`` when
            it had not counted yet: Twilio's ``0`` through a Messaging Service).
        idempotency_key: the caller's key, carried through.
        recovered: True when the receipt was found by looking the message up
            after an ambiguous failure, not from the create response.
        raw_status: with ``UNKNOWN`` (a status smskit does not know), the value
            reported (stripped, lower case), as :attr:`DeliveryStatus.raw_status`;
            ``None`` otherwise.
    """

    provider: str
    message_id: str
    status: MessageStatus
    to: str
    accepted_at: datetime
    segments: int | None = None
    idempotency_key: str | None = None
    recovered: bool = False
    raw_status: str | None = None
    # Pickles with reduce_frozen: datetime drops a repeated hour's fold before protocol 4.
    __reduce__ = reduce_frozen

    @property
    def reported(self) -> str:
        """The status as reported: ``raw_status`` when unknown, else ``status``'s value."""
        if self.status is MessageStatus.UNKNOWN and self.raw_status:
            return self.raw_status
        return self.status.value

    def __repr__(self) -> str:
        return (
            f"SendReceipt(provider={self.provider!r}, message_id={self.message_id!r}, "
            f"status={self.reported!r}, to={mask_number(self.to)!r}, "
            f"accepted_at={self.accepted_at.isoformat()!r}, segments={self.segments!r}, "
            f"recovered={self.recovered!r})"
        )


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a provider can carry, so the engine can check before sending.

    Attributes:
        mms: whether it sends media at all.
        max_media_count: media items per message (0 without MMS).
        max_media_bytes: total media size per message, or ``None`` if unknown.
        max_body_chars: the longest body it accepts, in UTF-16 code units (an
            emoji counts two, as Twilio counts its 1,600: error 21617).
        reports_delivery: whether delivery statuses come back.
    """

    mms: bool
    max_media_count: int
    max_media_bytes: int | None
    max_body_chars: int
    reports_delivery: bool


@dataclass(frozen=True, slots=True)
class MediaItem:
    """One media attachment of an inbound message."""

    url: str
    content_type: str | None


@dataclass(frozen=True, slots=True)
class Geography:
    """Where the provider places a number (Twilio's ``FromCity``... fields); all optional."""

    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country: str | None = None


def _frozen(raw: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(raw))


@dataclass(frozen=True, slots=True, repr=False)
class InboundMessage:
    """A text someone sent to one of your numbers.

    Attributes:
        message_id: the provider's id (Twilio ``MessageSid``).
        sender: who sent it, E.164 (Twilio ``From``).
        to: your number it was sent to.
        body: the text as received.
        media: attachments, in order.
        opt_out_type: what the provider's own opt-out handling matched, if anything.
        from_geo, to_geo: the provider's location data for both numbers.
        num_segments: segments the provider counted, if it said.
        messaging_service: the sender pool the number belongs to, if any.
        account: the provider account (Twilio ``AccountSid``).
        idempotency_token: the provider's webhook retry token, if it sent one.
        raw: every parameter received, unchanged (providers add fields without notice).
    """

    message_id: str
    sender: str
    to: str
    body: str
    media: tuple[MediaItem, ...] = ()
    opt_out_type: OptOutType | None = None
    from_geo: Geography = Geography()
    to_geo: Geography = Geography()
    num_segments: int | None = None
    messaging_service: str | None = None
    account: str | None = None
    idempotency_token: str | None = None
    raw: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "raw", _frozen(self.raw))

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable (queues, copy.deepcopy) though raw is a read-only mapping.
        return reduce_frozen(self)

    @property
    def dedup_key(self) -> str:
        """Key under which a retried delivery of this webhook is recognised.

        The provider's idempotency token when it sent one, else the message id
        (an inbound message is received once).
        """
        return self.idempotency_token or f"{self.message_id}:received"

    def __repr__(self) -> str:
        return (
            f"InboundMessage(message_id={self.message_id!r}, sender={mask_number(self.sender)!r}, "
            f"to={mask_sender(self.to)!r}, body=<{len(self.body)} chars>, "
            f"media={len(self.media)}, opt_out_type={self.opt_out_type!r})"
        )


@dataclass(frozen=True, slots=True, repr=False)
class DeliveryStatus:
    """A status callback: what became of a message sent earlier.

    Attributes:
        message_id: the provider's id of the message.
        status: the status reported; ``UNKNOWN`` for a value smskit does not know.
        to, sender: the message's recipient and sender, when the callback says.
        error_code: the provider's error code as given (kept even when unknown).
        category: the normalised category of ``error_code``; ``None`` without a code.
        early_warning: the code warns of a limit being approached (Twilio 30026:
            70% of a daily cap used) rather than reporting a failed message.
        carrier_done_at: Twilio's ``RawDlrDoneDate``: when the carrier says it
            finished, to the minute. Twilio gives no time zone; it is read as
            UTC (an assumption, not documented by Twilio) and the raw text stays
            in ``raw``. Telnyx's ``completed_at`` (when it finalized the message,
            with its offset). ``None`` when absent or unreadable.
        account: the provider account (Twilio ``AccountSid``).
        idempotency_token: the provider's webhook retry token, if it sent one.
        raw_status: with ``UNKNOWN``, the value reported (stripped, lower case);
            ``None`` otherwise. :attr:`reported` is what the messenger records.
        raw: every parameter received, unchanged.
    """

    message_id: str
    status: MessageStatus
    to: str | None = None
    sender: str | None = None
    error_code: str | None = None
    category: ErrorCategory | None = None
    early_warning: bool = False
    carrier_done_at: datetime | None = None
    account: str | None = None
    idempotency_token: str | None = None
    raw_status: str | None = None
    raw: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "raw", _frozen(self.raw))

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable (queues, copy.deepcopy) though raw is a read-only mapping.
        return reduce_frozen(self)

    @property
    def dedup_key(self) -> str:
        """Key under which a retried callback is recognised and processed once.

        The provider's idempotency token when it sent one, else message id and
        status (the same message reports each status once).
        """
        return self.idempotency_token or f"{self.message_id}:{self.reported}"

    @property
    def reported(self) -> str:
        """The status as reported: ``raw_status`` when unknown, else ``status``'s value."""
        # A known status is recorded as itself even when a parser kept its raw code:
        # health and the history match on "failed" and "undelivered".
        if self.status is MessageStatus.UNKNOWN and self.raw_status:
            return self.raw_status
        return self.status.value

    def __repr__(self) -> str:
        to = mask_number(self.to) if self.to else None
        return (
            f"DeliveryStatus(message_id={self.message_id!r}, status={self.reported!r}, "
            f"to={to!r}, error_code={self.error_code!r}, "
            f"category={self.category.value if self.category else None!r})"
        )
