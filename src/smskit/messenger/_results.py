"""Values the messenger returns and what it keeps in the outbox payload.

Public names are re-exported by :mod:`smskit.messenger`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from ..consent import Channel, ReplyOutcome
from ..findings import masked_repr, reduce_frozen
from ..mms import MediaInfo, MediaKind, sniff_media
from ..policy import Decision, SendRequest
from ..policy.model import MediaItem
from ..pricing import MessageKind, Template
from ..pricing.templates import is_empty_cell
from ..providers import (
    DeliveryStatus,
    ErrorCategory,
    InboundMessage,
    OutboundMessage,
    SendReceipt,
)
from ..purpose import Purpose
from ..routes import Route
from .outbox import OutboxEntry

__all__ = ["CancelOutcome", "InboundResult", "SendOutcome", "SendResult", "StatusResult"]


class SendOutcome(StrEnum):
    """What :meth:`Messenger.send` did (stored in reports: never renamed)."""

    SENT = "sent"  # the provider took it now, or a lookup found it taken earlier
    DUPLICATE = "duplicate"  # this key was already sent; nothing was sent again
    DEFERRED = "deferred"  # not now: see not_before
    BLOCKED = "blocked"  # the engine (or suppression) said no
    FAILED = "failed"  # the provider refused it
    PENDING = "pending"  # the provider may have it; reconciliation will tell
    CANCELLED = "cancelled"  # the key was cancelled (Messenger.cancel); nothing sent
    EXPIRED = "expired"  # the request's send_by passed before it could go; nothing sent


class CancelOutcome(StrEnum):
    """What :meth:`Messenger.cancel` found for a key (stored in reports: never renamed).

    Only ``CANCELLED`` means the message will not go out; every other value says
    why it could not be stopped, or that there was nothing to stop.
    """

    # Queued and now cancelled (or cancelled before): not sent, unless a hand-over that
    # outlived its in_flight lease turns out to have been taken (the row is then
    # corrected to sent, and a later cancel answers SENT).
    CANCELLED = "cancelled"
    SENT = "sent"  # the provider took it already; a sent text cannot be taken back
    # Handed to the provider, answer not recorded: may be sent. The cancel is recorded:
    # a hand-over that fails sending nothing ends cancelled, not queued to retry. Ask
    # again once it is settled: SENT or CANCELLED.
    IN_FLIGHT = "in_flight"
    FAILED = "failed"  # it failed before; nothing went out and nothing will
    EXPIRED = "expired"  # its send-by passed before it went; nothing went out
    UNKNOWN = "unknown"  # no entry under this key (never queued, or pruned)


@dataclass(frozen=True, slots=True)
class SendResult:
    """What happened to one send.

    Attributes:
        outcome: what was done.
        key: the idempotency key.
        receipt: the provider's receipt when it took the message.
        not_before: for a deferral, the earliest instant it may go.
        queued: whether the request waits in the outbox (deferrals, retryable failures).
        category: the provider's error category of a failure.
        code: the provider's own error code of a failure.
        reason: one line for a person.
        decision: the engine's decision (``None`` for auto-replies and reconciliation).
        unrecorded: a ``sent`` text that a history could not record (its store locked
            or down after the provider took it): usage, delivery health or the
            frequency caps reading that history do not count it, so a cap can let more
            texts through later. ``reason`` and a logged warning say which.
    """

    outcome: SendOutcome
    key: str
    receipt: SendReceipt | None = None
    not_before: datetime | None = None
    queued: bool = False
    category: ErrorCategory | None = None
    code: str | None = None
    reason: str = ""
    decision: Decision | None = None
    unrecorded: bool = False
    # Pickles with reduce_frozen: datetime drops a repeated hour's fold before protocol 4.
    __reduce__ = reduce_frozen

    def __repr__(self) -> str:
        # A CRM builds its keys from the number ("lead-12125550123-reminder").
        return masked_repr(self, "key")


@dataclass(frozen=True, slots=True)
class InboundResult:
    """What :meth:`Messenger.handle_inbound` did.

    Attributes:
        message: the inbound message.
        duplicate: a retried webhook already handled; nothing was done again.
        outcome: what the ledger recorded and which auto-reply it asked for.
        reply: the auto-reply's send result, if one was due (none when the provider
            answered a keyword its own handling matched, or a standard keyword with
            ``Messenger(keyword_replies="provider")``).
        opted_out: the provider's own opt-out handling matched a message the ledger
            did not read as one (a custom keyword), and a revocation was recorded.
    """

    message: InboundMessage
    duplicate: bool = False
    outcome: ReplyOutcome | None = None
    reply: SendResult | None = None
    opted_out: bool = False


@dataclass(frozen=True, slots=True)
class StatusResult:
    """What :meth:`Messenger.handle_status` did.

    Attributes:
        status: the delivery report.
        duplicate: a retried callback already handled.
        opted_out: a provider-reported opt-out was written to the ledger.
        suppressed: the number has now failed often enough to be suppressed.
    """

    status: DeliveryStatus
    duplicate: bool = False
    opted_out: bool = False
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class _Meta:
    """What the history needs about an outbound message, kept in the outbox payload."""

    purpose: Purpose
    subject: str | None
    segments: int
    kind: MessageKind
    route: Route
    cost: Decimal | None
    currency: str | None


def _payload(message: OutboundMessage, meta: _Meta, extra: Mapping[str, object]) -> str:
    data: dict[str, object] = {
        "to": message.to,
        "body": message.body,
        "sender": message.sender,
        "messaging_service": message.messaging_service,
        "media_urls": list(message.media_urls),
        "status_callback": message.status_callback,
        "validity_period": message.validity_period,
        "purpose": meta.purpose.value,
        "subject": meta.subject,
        "segments": meta.segments,
        "kind": meta.kind.value,
        "route": meta.route.value,
        "cost": None if meta.cost is None else str(meta.cost),
        "currency": meta.currency,
    }
    data.update(extra)
    return json.dumps(data, sort_keys=True)


def _from_payload(entry: OutboxEntry) -> tuple[OutboundMessage, _Meta]:
    data = json.loads(entry.payload)
    if not isinstance(data["to"], str):
        raise TypeError("to is not text")
    message = OutboundMessage(
        to=data["to"],
        body=data["body"],
        sender=data["sender"],
        messaging_service=data["messaging_service"],
        media_urls=tuple(data["media_urls"]),
        status_callback=data["status_callback"],
        validity_period=data["validity_period"],
        idempotency_key=entry.key,
    )
    subject = data["subject"]
    # As a SendRequest's: the send history refuses any other, after the provider took it.
    if subject is not None and (not isinstance(subject, str) or not subject.strip()):
        raise ValueError("subject is not a non-empty text")
    meta = _Meta(
        Purpose(data["purpose"]),
        subject,
        int(data["segments"]),
        MessageKind(data["kind"]),
        Route(data["route"]),
        None if data["cost"] is None else Decimal(data["cost"]),
        data["currency"],
    )
    return message, meta


def _request_data(request: SendRequest) -> dict[str, object]:
    """The parts of a text request a queue can keep (JSON)."""
    return {
        "recipient": request.number_text,
        "body": request.body,
        "template": None if request.template is None else request.template.source,
        # Text and integers keep their type (format specs need numbers); others as text.
        # No value stays no value: str(None) sent "Hi None," where the default was meant.
        "values": {
            k: None if v is None or is_empty_cell(v) else (
                v if isinstance(v, str | int) and not isinstance(v, bool) else str(v)
            )
            for k, v in request.values.items()
        },
        "purpose": request.purpose.value,
        # The files stay behind (their URLs go with the message); what the engine knew of
        # each (type, size) is kept, so a retry is judged as the MMS it is: a photo with
        # no text was "no text and no media" without it.
        "media": [_media_data(item) for item in request.media],
        "channel": (
            Channel.MMS if request.media and request.channel is Channel.SMS
            else request.channel
        ).value,
        "scope": request.scope,
        "subject": request.subject,
        "recipient_zone": request.recipient_zone,
        "recipient_region": request.recipient_region,
        "region": request.region,
        "first_message": request.first_message,
        "opt_out_confirmation": request.opt_out_confirmation,
        "prior_consent": request.prior_consent,
        "send_by": None if request.send_by is None else request.send_by.isoformat(),
    }


def _media_data(item: MediaItem) -> dict[str, object]:
    info = item if isinstance(item, MediaInfo) else sniff_media(item)
    return {
        "content_type": info.content_type,
        "kind": info.kind.value,
        "size": info.size,
        "width": info.width,
        "height": info.height,
        "animated": info.animated,
        "truncated": info.truncated,
        "declared_type": info.declared_type,
        "compatible_types": sorted(info.compatible_types),
        "location": info.location,
    }


def _media_from(data: Mapping[str, object]) -> MediaInfo:
    types = data["compatible_types"]
    if not isinstance(types, list):
        raise TypeError("compatible_types is not a list")
    return MediaInfo(
        content_type=_optional(data["content_type"]),
        kind=MediaKind(str(data["kind"])),
        size=int(str(data["size"])),
        width=None if data["width"] is None else int(str(data["width"])),
        height=None if data["height"] is None else int(str(data["height"])),
        animated=None if data["animated"] is None else bool(data["animated"]),
        truncated=bool(data["truncated"]),
        declared_type=_optional(data["declared_type"]),
        compatible_types=frozenset(str(t) for t in types),
        # Kept by smskit from user38 on; an older entry did not look (None).
        location=None if data.get("location") is None else bool(data["location"]),
    )


def _request_from(data: object, key: str) -> SendRequest:
    if not isinstance(data, dict):
        raise TypeError("request is not an object")
    template = data.get("template")
    values = data.get("values") or {}
    media = data.get("media") or []  # an entry stored by an older smskit: none kept
    if not isinstance(values, dict) or not isinstance(media, list):
        raise TypeError("values is not an object or media not a list")
    first = data.get("first_message")
    return SendRequest(
        recipient=str(data["recipient"]),
        body=None if data["body"] is None else str(data["body"]),
        template=None if template is None else Template(str(template)),
        values=values,
        media=tuple(_media_from(item) for item in media),
        purpose=Purpose(str(data["purpose"])),
        channel=Channel(str(data["channel"])),
        scope=_optional(data["scope"]),
        subject=_optional(data["subject"]),
        idempotency_key=key,
        recipient_zone=_optional(data["recipient_zone"]),
        recipient_region=_optional(data["recipient_region"]),
        region=str(data["region"]),
        first_message=None if first is None else bool(first),
        opt_out_confirmation=bool(data.get("opt_out_confirmation", False)),
        prior_consent=bool(data.get("prior_consent", False)),
        send_by=_send_by(data.get("send_by")),  # None in a row of an older smskit
    )


def _send_by(value: object) -> datetime | None:
    """A queued request's send-by (``TypeError``/``ValueError`` if damaged)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("send_by is not text")
    return datetime.fromisoformat(value)  # a naive one is refused by SendRequest


def _optional(value: object) -> str | None:
    return None if value is None else str(value)
