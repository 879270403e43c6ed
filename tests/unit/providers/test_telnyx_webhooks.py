"""Telnyx webhooks: Ed25519 signatures with locally generated keys, and event parsing."""

from __future__ import annotations

import base64
import contextlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _services import require_module
from smskit.errors import (
    ConfigurationError,
    ProviderResponseError,
    WebhookSignatureError,
)
from smskit.providers import (
    ErrorCategory,
    MessageStatus,
    OptOutType,
    TelnyxSignatureVerifier,
    TelnyxWebhookParser,
    parse_telnyx_inbound,
    parse_telnyx_status,
    telnyx_form,
    verify_telnyx_signature,
)
from smskit.testing import FixedClock

ed25519 = require_module("cryptography.hazmat.primitives.asymmetric.ed25519", "telnyx")
serialization = require_module("cryptography.hazmat.primitives.serialization", "telnyx")
INVALID_SIGNATURE = require_module("cryptography.exceptions", "telnyx").InvalidSignature

NOW = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)
STAMP = str(int(NOW.timestamp()))
PRIVATE = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
PUBLIC = base64.b64encode(
    PRIVATE.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
).decode()


def _signed(body: bytes, stamp: str = STAMP, key: Any = PRIVATE) -> dict[str, str]:
    signature = key.sign(stamp.encode() + b"|" + body)
    return {"Telnyx-Signature-Ed25519": base64.b64encode(signature).decode(),
            "Telnyx-Timestamp": stamp}  # fmt: skip


def _event(event_type: str, payload: dict[str, Any]) -> bytes:
    document = {
        "data": {"event_type": event_type, "id": "ev-1", "occurred_at": "2026-12-03T19:00:00Z",
                 "payload": payload, "record_type": "event"},
        "meta": {"attempt": 1, "delivered_to": "https://hooks.example/telnyx"},
    }  # fmt: skip
    return json.dumps(document).encode()


INBOUND = _event("message.received", {
    "id": "in-1", "direction": "inbound", "type": "MMS", "text": "STOP please",
    "from": {"phone_number": "+14155550123", "carrier": "T-Mobile", "line_type": "Wireless"},
    "to": [{"phone_number": "+14155550199", "status": "webhook_delivered"}],
    "media": [{"url": "https://media.example/a.jpg", "content_type": "image/jpeg"}],
    "parts": 1, "messaging_profile_id": "prof-1", "organization_id": "org-1",
})  # fmt: skip
FINALIZED = _event("message.finalized", {
    "id": "out-1", "direction": "outbound",
    "from": {"phone_number": "+14155550199"},
    "to": [{"phone_number": "+14155550123", "status": "delivery_failed"}],
    "errors": [{"code": "40300", "title": "Blocked due to STOP message"}],
    "parts": 1, "organization_id": "org-1",
})  # fmt: skip


# --- signatures ---------------------------------------------------------------------


def test_a_signed_body_verifies_with_any_header_case() -> None:
    verify_telnyx_signature(INBOUND, _signed(INBOUND), PUBLIC, at=NOW)
    lower = {k.lower(): v for k, v in _signed(INBOUND).items()}
    verify_telnyx_signature(INBOUND.decode(), lower, PUBLIC, at=NOW)


def test_the_verifier_role_uses_its_clock() -> None:
    verifier = TelnyxSignatureVerifier(PUBLIC, clock=FixedClock(NOW))
    assert verifier.verify("https://hooks.example/telnyx", INBOUND.decode(), _signed(INBOUND))
    late = TelnyxSignatureVerifier(PUBLIC, clock=FixedClock(NOW + timedelta(minutes=6)))
    assert not late.verify("https://hooks.example/telnyx", INBOUND.decode(), _signed(INBOUND))


def test_a_parsed_body_cannot_be_verified() -> None:
    verifier = TelnyxSignatureVerifier(PUBLIC, clock=FixedClock(NOW))
    assert not verifier.verify("u", json.loads(INBOUND), _signed(INBOUND))


def test_telnyx_form_carries_the_exact_bytes() -> None:
    verifier = TelnyxSignatureVerifier(PUBLIC, clock=FixedClock(NOW))
    assert verifier.verify("u", telnyx_form(INBOUND), _signed(INBOUND))
    assert parse_telnyx_inbound(telnyx_form(INBOUND)) == parse_telnyx_inbound(INBOUND)
    garbled = INBOUND.replace(b"STOP", b"ST\xffP")  # not UTF-8, yet what was signed
    assert verifier.verify("u", telnyx_form(garbled), _signed(garbled))
    with pytest.raises(ProviderResponseError, match="not JSON"):
        parse_telnyx_inbound(telnyx_form(garbled))
    assert not verifier.verify("u", telnyx_form(garbled), _signed(INBOUND))
    mixed = {**telnyx_form(INBOUND), "extra": "1"}  # not telnyx_form's mapping: no body to check
    assert not verifier.verify("u", mixed, _signed(INBOUND))


@pytest.mark.parametrize("offset", [300, -300])
def test_timestamps_at_the_tolerance_are_accepted(offset: int) -> None:
    stamp = str(int(NOW.timestamp()) + offset)
    verify_telnyx_signature(INBOUND, _signed(INBOUND, stamp), PUBLIC, at=NOW)


@pytest.mark.parametrize("offset", [301, -301])
def test_stale_and_future_timestamps_are_refused(offset: int) -> None:
    stamp = str(int(NOW.timestamp()) + offset)
    with pytest.raises(WebhookSignatureError, match="beyond the 300 s"):
        verify_telnyx_signature(INBOUND, _signed(INBOUND, stamp), PUBLIC, at=NOW)


def test_tolerance_is_a_parameter() -> None:
    stamp = str(int(NOW.timestamp()) - 301)
    verify_telnyx_signature(
        INBOUND, _signed(INBOUND, stamp), PUBLIC, at=NOW, tolerance=timedelta(minutes=10)
    )
    with pytest.raises(WebhookSignatureError):
        verify_telnyx_signature(INBOUND, _signed(INBOUND), PUBLIC, at=NOW + timedelta(seconds=2),
                                tolerance=timedelta(seconds=1))  # fmt: skip


def test_a_tampered_body_or_another_key_fails() -> None:
    headers = _signed(INBOUND)
    with pytest.raises(WebhookSignatureError, match="does not match"):
        verify_telnyx_signature(INBOUND.replace(b"STOP", b"STAR"), headers, PUBLIC, at=NOW)
    other = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(32))
    with pytest.raises(WebhookSignatureError, match="does not match"):
        verify_telnyx_signature(INBOUND, _signed(INBOUND, key=other), PUBLIC, at=NOW)


def test_the_timestamp_is_part_of_what_is_signed() -> None:
    headers = _signed(INBOUND)
    headers["Telnyx-Timestamp"] = str(int(STAMP) + 1)
    with pytest.raises(WebhookSignatureError, match="does not match"):
        verify_telnyx_signature(INBOUND, headers, PUBLIC, at=NOW)


@pytest.mark.parametrize(
    ("headers", "match"),
    [
        ({}, "no telnyx-signature-ed25519"),
        ({"telnyx-signature-ed25519": "AAAA"}, "no telnyx-timestamp"),
        ({"telnyx-signature-ed25519": "AAAA", "telnyx-timestamp": "12:00"}, "Unix seconds"),
        ({"telnyx-signature-ed25519": "not base64!", "telnyx-timestamp": STAMP}, "base64"),
        ({"telnyx-signature-ed25519": "AAAA", "telnyx-timestamp": STAMP}, "base64 Ed25519"),
    ],
)
def test_missing_or_malformed_headers_fail_clearly(headers: dict[str, str], match: str) -> None:
    with pytest.raises(WebhookSignatureError, match=match):
        verify_telnyx_signature(INBOUND, headers, PUBLIC, at=NOW)


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("not a key", "public_key"),
        (base64.b64encode(bytes(31)).decode(), "public_key"),
        (PUBLIC + "\n", "public_key"),
        (12, "public_key"),
    ],
)
def test_a_wrong_public_key_is_a_configuration_error(key: Any, field: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        TelnyxSignatureVerifier(key)
    assert caught.value.field == field


_SMALL_ORDER_POINTS = [
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
]


@pytest.mark.parametrize("point", _SMALL_ORDER_POINTS)
def test_a_small_order_placeholder_key_is_refused(point: str) -> None:
    # "AAAA...A=" (all zeros) is a likely placeholder; with it, or the identity, a
    # forged signature passes: refused before any webhook is checked.
    key = base64.b64encode(bytes.fromhex(point)).decode()
    with pytest.raises(ConfigurationError, match="placeholder") as caught:
        TelnyxSignatureVerifier(key)
    assert caught.value.field == "public_key"


def test_why_the_identity_key_is_refused() -> None:
    # What the check above prevents: cryptography (OpenSSL) takes the identity as a
    # public key, and then R = identity, S = 0 verifies for every body.
    identity = ed25519.Ed25519PublicKey.from_public_bytes(bytes([1]) + bytes(31))
    forged = bytes([1]) + bytes(63)
    for body in (INBOUND, FINALIZED):
        identity.verify(forged, STAMP.encode() + b"|" + body)  # raises if refused


def test_naive_time_and_negative_tolerance_are_configuration_errors() -> None:
    with pytest.raises(ConfigurationError):
        verify_telnyx_signature(INBOUND, _signed(INBOUND), PUBLIC, at=datetime(2026, 12, 3))
    with pytest.raises(ConfigurationError):
        TelnyxSignatureVerifier(PUBLIC, tolerance=timedelta(seconds=-1))


def test_a_body_that_is_not_bytes_or_text_is_refused() -> None:
    with pytest.raises(ProviderResponseError):
        verify_telnyx_signature(json.loads(INBOUND), _signed(INBOUND), PUBLIC, at=NOW)  # type: ignore[arg-type]


# RFC 8032 section 7.1, TEST 1 and TEST 2: the public key as Telnyx's portal shows
# keys (base64 of the 32 bytes) must decode to the key that checks the RFC's signature.
@pytest.mark.parametrize(
    ("public_hex", "message_hex", "signature_hex"),
    [
        (
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
            "c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        ),
        (
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e"
            "458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
        ),
    ],
)
def test_rfc8032_vectors_check_through_the_key_parser(
    public_hex: str, message_hex: str, signature_hex: str
) -> None:
    from smskit.providers.telnyx_webhooks import _public_key

    key = _public_key(base64.b64encode(bytes.fromhex(public_hex)).decode())
    key.verify(bytes.fromhex(signature_hex), bytes.fromhex(message_hex))  # raises if wrong
    with pytest.raises(INVALID_SIGNATURE):
        key.verify(bytes.fromhex(signature_hex), bytes.fromhex(message_hex) + b"x")


# --- parsing ------------------------------------------------------------------------


def test_inbound_message_fields() -> None:
    inbound = parse_telnyx_inbound(INBOUND)
    assert inbound.message_id == "in-1"
    assert inbound.sender == "+14155550123"
    assert inbound.to == "+14155550199"
    assert inbound.body == "STOP please"
    assert [(m.url, m.content_type) for m in inbound.media] == [
        ("https://media.example/a.jpg", "image/jpeg")]  # fmt: skip
    assert inbound.num_segments == 1
    assert inbound.messaging_service == "prof-1"
    assert inbound.account == "org-1"
    assert inbound.raw["event_type"] == "message.received"
    assert inbound.raw["event_id"] == "ev-1"
    assert inbound.dedup_key == "in-1:received"
    assert "4155550123" not in repr(inbound)


def test_the_parser_role_takes_decoded_json_too() -> None:
    parsed = TelnyxWebhookParser().parse_inbound(json.loads(INBOUND))
    assert parsed == parse_telnyx_inbound(INBOUND)


def test_finalized_failure_maps_status_and_code() -> None:
    status = parse_telnyx_status(FINALIZED)
    assert status.message_id == "out-1"
    assert status.status is MessageStatus.UNDELIVERED
    assert status.to == "+14155550123"
    assert status.sender == "+14155550199"
    assert status.error_code == "40300"
    assert status.category is ErrorCategory.UNSUBSCRIBED
    assert status.dedup_key == "out-1:undelivered"


@pytest.mark.parametrize(
    ("reported", "status", "raw"),
    [
        ("sent", MessageStatus.SENT, None),
        ("delivered", MessageStatus.DELIVERED, None),
        ("sending_failed", MessageStatus.FAILED, None),
        ("expired", MessageStatus.UNDELIVERED, None),
        ("delivery_failed", MessageStatus.UNDELIVERED, None),
        ("scheduled", MessageStatus.SCHEDULED, None),
        ("cancelled", MessageStatus.CANCELED, None),
        ("delivery_unconfirmed", MessageStatus.UNKNOWN, "delivery_unconfirmed"),
    ],
)
def test_delivery_statuses(reported: str, status: MessageStatus, raw: str | None) -> None:
    body = _event("message.sent", {"id": "o", "to": [{"phone_number": "+1", "status": reported}]})
    parsed = parse_telnyx_status(body)
    assert parsed.status is status
    assert parsed.raw_status == raw
    assert parsed.error_code is None
    assert parsed.category is None


def test_events_posted_to_the_wrong_route_are_refused() -> None:
    with pytest.raises(ProviderResponseError, match=r"'message\.finalized' event posted to the"):
        parse_telnyx_inbound(FINALIZED)
    for odd in ("+14155550123", "\x1b]0;pwned\x07"):  # from an unverified body: not echoed
        with pytest.raises(ProviderResponseError, match="inbound-message route") as caught:
            parse_telnyx_inbound(_event(odd, {"id": "x"}))
        assert "4155550123" not in str(caught.value)
        assert "pwned" not in str(caught.value)
    with pytest.raises(ProviderResponseError, match="status route"):
        parse_telnyx_status(INBOUND)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[1, 2]",
        b"{\"data\": 3}",
        b"{\"data\": {\"event_type\": \"message.received\"}}",
        _event("message.received", {"id": "x", "from": {}, "to": []}),
        _event("message.finalized", {"id": "x", "to": [{"phone_number": "+1"}]}),
        b"[" * 100_000,
        b"\xff\xfe\x00",
    ],
)
def test_malformed_bodies_are_response_errors(body: bytes) -> None:
    with pytest.raises(ProviderResponseError):
        parse_telnyx_inbound(body)
    with pytest.raises(ProviderResponseError):
        parse_telnyx_status(body)


def test_a_timestamp_with_unicode_space_is_judged_not_crashed() -> None:
    headers = _signed(INBOUND)
    headers["Telnyx-Timestamp"] = "\xa0" + STAMP
    verify_telnyx_signature(INBOUND, headers, PUBLIC, at=NOW)  # the digits are what was signed
    headers["Telnyx-Timestamp"] = "\u0663" * 3  # Arabic-Indic digits: isdigit, not ASCII
    with pytest.raises(WebhookSignatureError, match="Unix seconds"):
        verify_telnyx_signature(INBOUND, headers, PUBLIC, at=NOW)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
_keys = st.sampled_from(["id", "text", "from", "to", "media", "parts", "errors", "status"])
_payloads = st.dictionaries(_keys, _json | st.lists(st.dictionaries(
    st.sampled_from(["phone_number", "status", "url", "code"]), _json, max_size=3), max_size=2))


@given(
    event_type=st.sampled_from(["message.received", "message.finalized"]) | st.text(max_size=5),
    payload=_payloads,
)
def test_parsing_any_event_shape_returns_or_refuses(
    event_type: str, payload: dict[str, Any]
) -> None:
    body = json.dumps({"data": {"event_type": event_type, "payload": payload}})
    for parse in (parse_telnyx_inbound, parse_telnyx_status):
        with contextlib.suppress(ProviderResponseError):
            parse(body)


_headers = st.dictionaries(
    st.sampled_from(["telnyx-signature-ed25519", "Telnyx-Timestamp", "x-other"]),
    st.one_of(st.text(max_size=90), st.just(STAMP), st.binary(max_size=8)),
    max_size=3,
)
_bodies = st.one_of(st.binary(max_size=200), st.text(max_size=200), st.just(INBOUND))


@given(body=_bodies, headers=_headers)
def test_verification_and_parsing_never_crash(body: bytes | str, headers: dict[str, Any]) -> None:
    verifier = TelnyxSignatureVerifier(PUBLIC, clock=FixedClock(NOW))
    bytes_values = any(isinstance(v, bytes) for v in headers.values())
    if bytes_values:  # headers not decoded: refused with a message, not a crash
        with pytest.raises(ProviderResponseError):
            verifier.verify("u", body, headers)
    else:
        assert verifier.verify("u", body, headers) is False  # no forged signature passes
    for parse in (parse_telnyx_inbound, parse_telnyx_status):
        with contextlib.suppress(ProviderResponseError):
            parse(body)


@pytest.mark.parametrize(
    ("completed", "expected"),
    [
        ("2019-12-09T21:32:14.148+00:00", datetime(2019, 12, 9, 21, 32, 14, 148000, tzinfo=UTC)),
        ("2026-11-20T18:05:00-05:00", datetime(2026, 11, 20, 23, 5, tzinfo=UTC)),
        ("2026-11-20T23:05:00", None),  # no offset: not guessed
        ("yesterday", None),
        (12345, None),
    ],
)
def test_completed_at_is_the_carrier_done_time(completed: object, expected: object) -> None:
    # Twilio's RawDlrDoneDate filled carrier_done_at; Telnyx's completed_at was dropped.
    body = _event("message.finalized", {
        "id": "out-2", "completed_at": completed,
        "to": [{"phone_number": "+14155550123", "status": "delivered"}],
    })  # fmt: skip
    assert parse_telnyx_status(body).carrier_done_at == expected


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("40004", ErrorCategory.TEMPORARY),  # "retry after delay"
        ("40013", ErrorCategory.UNREGISTERED_SENDER),  # our number refused
        ("40015", ErrorCategory.FILTERED),  # Telnyx's internal spam filter
    ],
)
def test_more_delivery_codes_of_the_error_page_are_mapped(
    code: str, category: ErrorCategory
) -> None:
    # They came back "unknown", so a sending number the carrier refuses looked like
    # a one-off failure rather than a configuration problem.
    body = _event("message.finalized", {
        "id": "out-3", "errors": [{"code": code}],
        "to": [{"phone_number": "+14155550123", "status": "delivery_failed"}],
    })  # fmt: skip
    assert parse_telnyx_status(body).category is category


@pytest.mark.parametrize(
    ("given", "expected", "in_raw"),
    [
        ("STOP", OptOutType.STOP, "STOP"),
        (" start ", OptOutType.START, " start "),
        ("HELP", OptOutType.HELP, "HELP"),
        ("custom", None, "custom"),  # an operation smskit has no name for
        (None, None, ""),  # posted null: Telnyx's handling did nothing
        (7, None, "7"),
    ],
)
def test_autoresponse_type_is_the_opt_out_type(
    given: object, expected: OptOutType | None, in_raw: str
) -> None:
    body = _event("message.received", {
        "id": "in-3", "text": "x", "autoresponse_type": given,
        "from": {"phone_number": "+14155550123"}, "to": [{"phone_number": "+14155550199"}],
    })  # fmt: skip
    inbound = parse_telnyx_inbound(body)
    assert inbound.opt_out_type is expected
    assert inbound.raw["autoresponse_type"] == in_raw
    absent = _event("message.received", {
        "id": "in-4", "text": "STOP",
        "from": {"phone_number": "+14155550123"}, "to": [{"phone_number": "+14155550199"}],
    })  # fmt: skip
    assert "autoresponse_type" not in parse_telnyx_inbound(absent).raw


@pytest.mark.parametrize(
    "headers",
    [
        {"Telnyx-Signature-Ed25519": "\x1b]52;c;AAAA\x07", "Telnyx-Timestamp": STAMP},
        {"Telnyx-Signature-Ed25519": "QUJD", "Telnyx-Timestamp": "17\x1b[2J"},
        {"Telnyx-Signature-Ed25519": base64.b64encode(b"\x00" * 64).decode(),
         "Telnyx-Timestamp": STAMP},
    ],
)
def test_failure_echoes_no_header_or_body_and_no_expected_signature(
    headers: dict[str, str],
) -> None:
    # The messenger raises this text to a caller that may be the attacker: it names
    # the cause only, never the header text, the body or a signature it expected.
    verifier = TelnyxSignatureVerifier(PUBLIC, clock=FixedClock(NOW))
    reason = verifier.failure(telnyx_form(INBOUND), headers)
    assert reason is not None
    assert reason.isprintable()
    assert reason.isascii()
    for shown in ("AAAA", "QUJD", "\x1b", "+1", PUBLIC):
        assert shown not in reason
    assert verifier.failure(telnyx_form(INBOUND), _signed(INBOUND)) is None
