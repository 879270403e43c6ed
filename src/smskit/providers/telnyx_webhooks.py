"""Telnyx webhooks: Ed25519 signatures, inbound messages, delivery events (extra ``telnyx``).

Telnyx signs each webhook with its account's Ed25519 key: the header
``telnyx-signature-ed25519`` carries the base64 signature (64 bytes) of the
``telnyx-timestamp`` header's text (Unix seconds), a ``|``, and the raw body, and
the receiver checks it with the account's public key from the portal
(https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks), refusing
timestamps more than 5 minutes away, as Telnyx's Python SDK does
(team-telnyx/telnyx-python, src/telnyx/lib/webhook_verification.py). The check
needs the raw body as received: a body parsed and serialised again is not what
Telnyx signed. Ed25519 comes from the ``cryptography`` package.

Events are JSON: ``data.event_type`` (``message.received`` for an inbound text;
``message.sent`` and ``message.finalized`` for an outbound one), ``data.id`` (the
event), ``data.occurred_at`` and ``data.payload``, the message record (``id``,
``from.phone_number``, ``to[].phone_number`` and ``to[].status``, ``text``,
``media[]``, ``parts``, ``errors[]``).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any, Final

from ..consent import Clock, SystemClock
from ..errors import (
    ConfigurationError,
    MissingExtraError,
    ProviderResponseError,
    WebhookSignatureError,
    install_hint,
)
from ._telnyx_codes import telnyx_error_code
from .model import DeliveryStatus, InboundMessage, MediaItem, OptOutType
from .protocols import WebhookParams, header_pairs
from .telnyx import telnyx_status

__all__ = [
    "DEFAULT_TOLERANCE",
    "RAW_BODY_FIELD",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "TelnyxSignatureVerifier",
    "TelnyxWebhookParser",
    "parse_telnyx_inbound",
    "parse_telnyx_status",
    "telnyx_form",
    "verify_telnyx_signature",
]

SIGNATURE_HEADER: Final = "telnyx-signature-ed25519"
TIMESTAMP_HEADER: Final = "telnyx-timestamp"
#: How far a webhook's timestamp may be from the time it is checked, either way.
DEFAULT_TOLERANCE: Final = timedelta(minutes=5)
_NAME: Final = "telnyx"
_MAX_MEDIA: Final = 10
_INBOUND_EVENT: Final = "message.received"
_EVENT_NAME: Final = re.compile(r"[a-z_]{1,30}(\.[a-z_]{1,30}){0,3}")

#: What a webhook's body may be handed over as: the raw body (text or bytes), the
#: mapping :func:`telnyx_form` makes of it, or for parsing only, the JSON already
#: decoded by the framework.
TelnyxBody = str | bytes | bytearray | Mapping[str, Any]
#: The one key of the mapping :func:`telnyx_form` returns.
RAW_BODY_FIELD: Final = "telnyx_raw_body"


def telnyx_form(body: bytes | bytearray | str) -> Mapping[str, str]:
    """The raw body as a one-entry read-only mapping, for APIs that take form parameters.

    ``Messenger.handle_inbound`` and ``handle_status`` take the parsed form a
    Twilio webhook is; Telnyx posts JSON, and its signature covers the raw bytes.
    Pass ``telnyx_form(request.get_data())`` there: :class:`TelnyxSignatureVerifier`
    checks the bytes it carries and :class:`TelnyxWebhookParser` reads them. Bytes
    that are not UTF-8 are carried unchanged (as ``surrogateescape`` does), so they
    fail the signature or the parse, never pass as something else.

    >>> telnyx_form(b'{"data": {}}')["telnyx_raw_body"]
    '{"data": {}}'
    """
    if isinstance(body, bytes | bytearray):
        text = bytes(body).decode("utf-8", "surrogateescape")
    elif isinstance(body, str):
        text = body
    else:
        raise ProviderResponseError(
            f"telnyx_form takes the raw body (bytes or text), not a {type(body).__name__}",
            provider=_NAME,
        )
    return MappingProxyType({RAW_BODY_FIELD: text})


def _carried(params: object) -> bytes | None:
    """The raw body a :func:`telnyx_form` mapping carries; ``None`` for any other mapping."""
    if not isinstance(params, Mapping) or list(params) != [RAW_BODY_FIELD]:
        return None
    text = params[RAW_BODY_FIELD]
    if not isinstance(text, str):
        return None
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raise ProviderResponseError(
            "webhook body with a lone surrogate: it cannot be encoded as UTF-8, so it is not "
            "what Telnyx signed; pass the raw body bytes to telnyx_form",
            provider=_NAME,
        ) from None


def _crypto() -> tuple[Any, Any]:
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError as exc:
        raise MissingExtraError(
            f"Telnyx webhook signatures need the cryptography package: {install_hint('telnyx')}",
            extra="telnyx",
        ) from exc
    return Ed25519PublicKey, InvalidSignature


def _public_key(key: object) -> Any:
    """The Ed25519 public key from its base64 text (as the portal shows it) or 32 bytes."""
    ed25519, _ = _crypto()
    if isinstance(key, str):
        text = key.strip()
        if text != key:
            raise ConfigurationError(
                "the Telnyx public key has leading or trailing whitespace (a newline kept "
                "from a file?); strip it",
                field="public_key",
            )
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raw = b""
    elif isinstance(key, bytes | bytearray):
        raw = bytes(key)
    else:
        raise ConfigurationError(
            f"the Telnyx public key must be base64 text or 32 bytes, not {type(key).__name__}",
            field="public_key",
        )
    if len(raw) != 32:
        raise ConfigurationError(
            "the Telnyx public key is not an Ed25519 public key (base64 of 32 bytes, as the "
            "portal's Keys & Credentials page shows it); is it the API key instead?",
            field="public_key",
        )
    if raw[:31] + bytes([raw[31] & 0x7F]) in _SMALL_ORDER:
        # With such a key Ed25519 checks nothing: a signature made of a small-order
        # point and S = 0 passes for any body (always with the identity, for most
        # bodies with the others), and OpenSSL accepts these keys.
        raise ConfigurationError(
            "the Telnyx public key is a placeholder, not a real key (a point of small "
            "order, such as all zero bytes, which any forged signature passes); copy the "
            "account's public key from the portal",
            field="public_key",
        )
    return ed25519.from_public_bytes(raw)


# The encodings of Ed25519's eight small-order points, sign bit cleared, with the
# non-canonical y = p and y = p + 1 (as libsodium's check lists them).
_SMALL_ORDER: Final = frozenset(
    bytes.fromhex(h)
    for h in (
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    )
)


def _header(headers: object, name: str) -> str | None:
    for key, value in header_pairs(headers, _NAME):
        if key.lower() == name:
            return value
    return None


def _body_bytes(body: object) -> bytes:
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    if isinstance(body, str):
        try:
            return body.encode("utf-8")
        except UnicodeEncodeError:
            raise ProviderResponseError(
                "webhook body with a lone surrogate: it cannot be encoded as UTF-8, so it is "
                "not what Telnyx signed; pass the raw body bytes (request.get_data(), "
                "request.body)",
                provider=_NAME,
            ) from None
    raise ProviderResponseError(
        f"webhook body is a {type(body).__name__}; the signature covers the raw body, so "
        "pass it as received (bytes or text), not parsed",
        provider=_NAME,
    )


def _check(
    key: Any, body: object, headers: object, at: datetime, tolerance: timedelta
) -> None:
    _, invalid_signature = _crypto()
    signed = _body_bytes(body)
    signature_text = _header(headers, SIGNATURE_HEADER)
    timestamp = _header(headers, TIMESTAMP_HEADER)
    if not signature_text or not timestamp:
        missing = SIGNATURE_HEADER if not signature_text else TIMESTAMP_HEADER
        raise WebhookSignatureError(
            f"webhook not verified: no {missing} header (a request not from Telnyx, or a "
            "proxy that drops it); nothing was recorded",
            provider=_NAME,
        )
    stamp = timestamp.strip()
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12):
        raise WebhookSignatureError(
            f"webhook not verified: {TIMESTAMP_HEADER} is not Unix seconds", provider=_NAME
        )
    skew = abs(at.timestamp() - int(stamp))
    if skew > tolerance.total_seconds():
        raise WebhookSignatureError(
            f"webhook not verified: its timestamp is {int(skew)} s from the time checked, "
            f"beyond the {int(tolerance.total_seconds())} s allowed (a replayed request, "
            "or a clock that is off)",
            provider=_NAME,
        )
    try:
        signature = base64.b64decode(signature_text.strip(), validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    if len(signature) != 64:
        raise WebhookSignatureError(
            f"webhook not verified: {SIGNATURE_HEADER} is not a base64 Ed25519 signature",
            provider=_NAME,
        )
    try:
        # The digits checked above; HTTP strips the whitespace around a header value.
        key.verify(signature, stamp.encode("ascii") + b"|" + signed)
    except invalid_signature:
        raise WebhookSignatureError(
            "webhook signature does not match: check the account's public key and that the "
            "body is passed exactly as received; nothing was recorded",
            provider=_NAME,
        ) from None


def _require_at(at: object, tolerance: object) -> None:
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ConfigurationError(
            "the time a Telnyx webhook is checked at must be a timezone-aware datetime",
            field="at",
        )
    _require_tolerance(tolerance)


def _require_tolerance(tolerance: object) -> None:
    if not isinstance(tolerance, timedelta) or tolerance < timedelta(0):
        raise ConfigurationError(
            "tolerance must be a timedelta of 0 or more (Telnyx's SDK uses 5 minutes)",
            field="tolerance",
        )


def verify_telnyx_signature(
    body: str | bytes | bytearray,
    headers: Mapping[str, str],
    public_key: str | bytes,
    *,
    at: datetime,
    tolerance: timedelta = DEFAULT_TOLERANCE,
) -> None:
    """Check a Telnyx webhook's Ed25519 signature and timestamp; return if both hold.

    Args:
        body: the raw request body, exactly as received.
        headers: the request headers (names in any case).
        public_key: the account's public key (base64 text, or its 32 bytes).
        at: the time to judge the timestamp by (pass your clock's now).
        tolerance: how far the timestamp may be from ``at``, either way.

    Raises:
        WebhookSignatureError: a header is missing or malformed, the timestamp is
            stale (or in the future) beyond ``tolerance``, or the signature fails.
        ProviderResponseError: the body is not bytes or text, or the headers are
            not a mapping of text.
        ConfigurationError: the key is not an Ed25519 public key, ``at`` is naive,
            or ``tolerance`` is negative.
        MissingExtraError: the ``telnyx`` extra (cryptography) is not installed.
    """
    _require_at(at, tolerance)
    _check(_public_key(public_key), body, headers, at, tolerance)


class TelnyxSignatureVerifier:
    """Checks Telnyx webhook signatures (implements :class:`SignatureVerifier`).

    Args:
        public_key: the account's Ed25519 public key (base64 text, or 32 bytes).
        tolerance: how far a webhook's timestamp may be from the clock's time.
        clock: the time :meth:`verify` judges timestamps by (:meth:`check` takes it).

    Raises:
        ConfigurationError: the key is not an Ed25519 public key; ``tolerance`` is negative.
        MissingExtraError: the ``telnyx`` extra (cryptography) is not installed.
    """

    def __init__(
        self,
        public_key: str | bytes,
        *,
        tolerance: timedelta = DEFAULT_TOLERANCE,
        clock: Clock | None = None,
    ) -> None:
        self._key = _public_key(public_key)
        _require_tolerance(tolerance)
        self._tolerance = tolerance
        self._clock = clock or SystemClock()

    def check(
        self, body: str | bytes | bytearray, headers: Mapping[str, str], at: datetime
    ) -> None:
        """As :func:`verify_telnyx_signature` with this verifier's key and tolerance."""
        _require_at(at, self._tolerance)
        _check(self._key, body, headers, at, self._tolerance)

    def verify(
        self, url: str, params: WebhookParams | str | bytes, headers: Mapping[str, str]
    ) -> bool:
        """True when the raw body ``params`` is signed by Telnyx within the tolerance.

        ``params`` is the raw body, or :func:`telnyx_form` of it. ``url`` is not
        signed by Telnyx and is not used. Any other mapping (the JSON parsed) cannot
        be checked, as it is not the bytes Telnyx signed: it is False.

        Raises:
            ProviderResponseError: the headers are not a mapping of text, or the body
                holds a lone surrogate.
        """
        return self.failure(params, headers) is None

    def failure(
        self, params: WebhookParams | str | bytes, headers: Mapping[str, str]
    ) -> str | None:
        """Why :meth:`verify` is False (the error's text), or ``None`` when it is True.

        The messenger raises this text, so a stale timestamp or a parsed body is
        named as such rather than as a wrong key.

        Raises:
            ProviderResponseError: as :meth:`verify`.
        """
        if isinstance(params, Mapping):
            carried = _carried(params)
            if carried is None:
                return (
                    "webhook not verified: the body was given parsed, and Telnyx signs the "
                    "raw bytes; pass telnyx_form(raw body) (request.get_data(), "
                    "request.body); nothing was recorded"
                )
            params = carried
        try:
            self.check(params, headers, self._clock.now())
        except WebhookSignatureError as error:
            return str(error)
        return None


# --- parsing -------------------------------------------------------------------


def _malformed(what: str) -> ProviderResponseError:
    return ProviderResponseError(
        f"Telnyx webhook {what}: is this URL configured for Telnyx messaging events, and "
        "is the body passed as received?",
        provider=_NAME,
    )


def _event(body: object) -> tuple[str, Mapping[str, Any], Mapping[str, Any]]:
    """(event type, the event's data, its payload) of a webhook body."""
    carried = _carried(body)
    if carried is not None:
        body = carried
    if isinstance(body, Mapping):
        document: object = body
    elif isinstance(body, str | bytes | bytearray):
        try:
            document = json.loads(body)
        except (ValueError, RecursionError):
            raise _malformed("body is not JSON") from None
    else:
        raise _malformed(f"body is a {type(body).__name__}, not JSON text or bytes")
    data = document.get("data") if isinstance(document, Mapping) else None
    if not isinstance(data, Mapping):
        raise _malformed("without a data object")
    event_type = data.get("event_type")
    payload = data.get("payload")
    if not isinstance(event_type, str) or not event_type:
        raise _malformed("without data.event_type")
    if not isinstance(payload, Mapping):
        raise _malformed("without a data.payload object")
    return event_type[:60], data, payload


def _shown(event_type: str) -> str:
    """The event type for an error message: Telnyx's are dotted lower-case words; any
    other text (a number, a terminal escape) comes from the body and is not echoed."""
    if _EVENT_NAME.fullmatch(event_type):
        return repr(event_type)
    return "an unrecognised"


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _required(value: object, name: str) -> str:
    text = _text(value)
    if text is None:
        raise _malformed(f"without {name}")
    return text


def _number(entry: object) -> str | None:
    return _text(entry.get("phone_number")) if isinstance(entry, Mapping) else None


def _first(value: object) -> object:
    return value[0] if isinstance(value, list) and value else None


def _raw(event_type: str, data: Mapping[str, Any], payload: Mapping[str, Any]) -> dict[str, str]:
    """The event's scalar fields as text (nested objects are left out)."""
    raw = {"event_type": event_type}
    for name, value in (("event_id", data.get("id")), ("occurred_at", data.get("occurred_at"))):
        if isinstance(value, str):
            raw[name] = value
    for name, value in payload.items():
        if isinstance(name, str) and isinstance(value, str | int | float | bool):
            raw[name] = str(value) if not isinstance(value, bool) else str(value).lower()
    return raw


def _media(payload: Mapping[str, Any]) -> tuple[MediaItem, ...]:
    items = []
    media = payload.get("media")
    for entry in media[:_MAX_MEDIA] if isinstance(media, list) else ():
        url = _text(entry.get("url")) if isinstance(entry, Mapping) else None
        if url:
            items.append(MediaItem(url, _text(entry.get("content_type"))))
    return tuple(items)


def _parts(payload: Mapping[str, Any]) -> int | None:
    parts = payload.get("parts")
    return parts if type(parts) is int and 0 < parts < 1_000_000 else None


def _completed_at(payload: Mapping[str, Any]) -> datetime | None:
    """``completed_at`` (ISO 8601 with an offset: when Telnyx finalized the message);
    ``None`` when absent, without an offset, or unreadable."""
    text = payload.get("completed_at")
    if not isinstance(text, str) or len(text) > 40:
        return None
    try:
        # Python 3.11 reads "Z" and fractions of any length up to microseconds.
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.utcoffset() is not None else None


def _autoresponse(payload: Mapping[str, Any]) -> OptOutType | None:
    """``autoresponse_type``: which of Telnyx's keyword operations (opt-out, opt-in,
    help) the reply triggered, as Twilio's ``OptOutType`` says (Telnyx's advanced
    opt-in/out page, "Track opt-out behavior via webhooks"). The values read, STOP,
    START and HELP in any case, are those public integrations check for; the page
    names the field, not its values. Anything else is ``None``."""
    value = payload.get("autoresponse_type")
    if not isinstance(value, str):
        return None
    try:
        return OptOutType(value.strip().lower())
    except ValueError:
        return None


def parse_telnyx_inbound(
    params: TelnyxBody, headers: Mapping[str, str] | None = None
) -> InboundMessage:
    """Read a ``message.received`` webhook (raw body, or the JSON already decoded).

    ``payload.id``, ``payload.from.phone_number`` and the first
    ``payload.to[].phone_number`` are required; the event's scalar fields are kept
    in ``raw``. ``autoresponse_type`` (the keyword operation Telnyx's own handling
    ran: STOP, START, HELP) becomes ``opt_out_type``. ``headers`` is accepted for the
    :class:`InboundParser` role and unused.

    Raises:
        ProviderResponseError: the body is not a Telnyx event, a required field is
            missing, or the event is an outbound message's (``message.sent``/``finalized``).
    """
    event_type, data, payload = _event(params)
    if event_type != _INBOUND_EVENT:
        raise ProviderResponseError(
            f"Telnyx {_shown(event_type)} event posted to the inbound-message route: only "
            f"{_INBOUND_EVENT!r} is an inbound text; send delivery events to the status route",
            provider=_NAME,
        )
    return InboundMessage(
        message_id=_required(payload.get("id"), "payload.id"),
        sender=_required(_number(payload.get("from")), "payload.from.phone_number"),
        to=_required(_number(_first(payload.get("to"))), "payload.to[0].phone_number"),
        body=_text(payload.get("text")) or "",
        media=_media(payload),
        num_segments=_parts(payload),
        messaging_service=_text(payload.get("messaging_profile_id")),
        account=_text(payload.get("organization_id")),
        opt_out_type=_autoresponse(payload),
        raw=_inbound_raw(event_type, data, payload),
    )


def _inbound_raw(
    event_type: str, data: Mapping[str, Any], payload: Mapping[str, Any]
) -> dict[str, str]:
    """:func:`_raw`, and ``autoresponse_type`` posted as null kept as ``""``: Telnyx
    then said its keyword handling did not act, which differs from a body without
    the field (the messenger guesses Telnyx's block only for the latter)."""
    raw = _raw(event_type, data, payload)
    if "autoresponse_type" in payload and payload["autoresponse_type"] is None:
        raw["autoresponse_type"] = ""
    return raw


def parse_telnyx_status(
    params: TelnyxBody, headers: Mapping[str, str] | None = None
) -> DeliveryStatus:
    """Read a delivery event (``message.sent``, ``message.finalized``).

    ``payload.id`` and the first recipient's ``status`` are required. The first
    ``errors[].code`` is mapped to its category and kept as given. A status smskit
    does not know (``delivery_unconfirmed``, one added later) parses as ``UNKNOWN``
    with the value in ``raw_status``. ``completed_at`` (when Telnyx finalized the
    message) becomes ``carrier_done_at``, as Twilio's ``RawDlrDoneDate`` does.

    Raises:
        ProviderResponseError: the body is not a Telnyx event, a required field is
            missing, or it is an inbound text (``message.received``).
    """
    event_type, data, payload = _event(params)
    if event_type == _INBOUND_EVENT:
        raise ProviderResponseError(
            "Telnyx inbound message posted to the status route: point the messaging "
            "profile's inbound webhook at the inbound route",
            provider=_NAME,
        )
    message_id = _required(payload.get("id"), "payload.id")
    recipient = _first(payload.get("to"))
    reported = recipient.get("status") if isinstance(recipient, Mapping) else None
    _required(reported, "payload.to[0].status")
    status, raw_status = telnyx_status(reported)
    error = _first(payload.get("errors"))
    code_value = error.get("code") if isinstance(error, Mapping) else None
    code = str(code_value).strip()[:40] if isinstance(code_value, str | int) else None
    info = telnyx_error_code(code) if code else None
    return DeliveryStatus(
        message_id=message_id,
        status=status,
        to=_number(recipient),
        sender=_number(payload.get("from")),
        error_code=code or None,
        category=info.category if info else None,
        carrier_done_at=_completed_at(payload),
        account=_text(payload.get("organization_id")),
        raw_status=raw_status,
        raw=_raw(event_type, data, payload),
    )


class TelnyxWebhookParser:
    """Both webhook-parsing roles for Telnyx (:class:`InboundParser`, :class:`StatusParser`)."""

    def parse_inbound(
        self, params: TelnyxBody, headers: Mapping[str, str] | None = None
    ) -> InboundMessage:
        """See :func:`parse_telnyx_inbound`."""
        return parse_telnyx_inbound(params, headers)

    def parse_status(
        self, params: TelnyxBody, headers: Mapping[str, str] | None = None
    ) -> DeliveryStatus:
        """See :func:`parse_telnyx_status`."""
        return parse_telnyx_status(params, headers)
