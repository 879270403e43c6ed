"""Value types, categories, the Twilio code table and loading adapters by name."""

from __future__ import annotations

import dataclasses

import pytest

from smskit.errors import ConfigurationError, ProviderRejectedError
from smskit.providers import (
    TWILIO_ERROR_CODES,
    DeliveryStatus,
    EmailGatewayProvider,
    ErrorCategory,
    InboundMessage,
    MemoryProvider,
    MessageStatus,
    OutboundMessage,
    TwilioProvider,
    load_provider,
    provider_names,
    twilio_error_code,
)

# The codes issue 11 requires, and the category each gets from Twilio's own
# description of it (https://www.twilio.com/docs/api/errors/<code>), written out
# by hand here rather than read from the table under test.
REQUIRED = {
    "20003": ErrorCategory.ACCOUNT,
    "20429": ErrorCategory.RATE_LIMITED,
    "21211": ErrorCategory.INVALID_NUMBER,
    "21610": ErrorCategory.UNSUBSCRIBED,
    "21611": ErrorCategory.RATE_LIMITED,
    "21614": ErrorCategory.LANDLINE,
    "21617": ErrorCategory.CONTENT_REJECTED,
    "21623": ErrorCategory.CONTENT_REJECTED,
    "21635": ErrorCategory.LANDLINE,
    "30001": ErrorCategory.RATE_LIMITED,
    "30002": ErrorCategory.ACCOUNT,
    "30003": ErrorCategory.UNREACHABLE,
    "30004": ErrorCategory.FILTERED,
    "30005": ErrorCategory.INVALID_NUMBER,
    "30006": ErrorCategory.LANDLINE,
    "30007": ErrorCategory.FILTERED,
    "30008": ErrorCategory.TEMPORARY,
    "30019": ErrorCategory.CONTENT_REJECTED,
    "30022": ErrorCategory.RATE_LIMITED,
    "30024": ErrorCategory.UNREGISTERED_SENDER,
    "30026": ErrorCategory.RATE_LIMITED,
    "30027": ErrorCategory.RATE_LIMITED,
    "30032": ErrorCategory.UNREGISTERED_SENDER,
    "30034": ErrorCategory.UNREGISTERED_SENDER,
    "30036": ErrorCategory.TEMPORARY,
    "30037": ErrorCategory.ACCOUNT,
    "30450": ErrorCategory.TEMPORARY,
    "30500": ErrorCategory.TEMPORARY,
    "63038": ErrorCategory.RATE_LIMITED,
}


def test_every_required_code_has_its_category_and_source() -> None:
    assert set(REQUIRED) <= set(TWILIO_ERROR_CODES)
    for code, category in REQUIRED.items():
        info = twilio_error_code(int(code))
        assert info.category is category, code
        assert info.source == f"https://www.twilio.com/docs/api/errors/{code}"
        assert info.status in {"V", "S"}
        assert info.title


def test_only_30026_is_an_early_warning() -> None:
    assert [c for c, i in TWILIO_ERROR_CODES.items() if i.early_warning] == ["30026"]


def test_retryable_categories() -> None:
    retryable = {c for c in ErrorCategory if c.retryable}
    assert retryable == {ErrorCategory.RATE_LIMITED, ErrorCategory.TEMPORARY,
                         ErrorCategory.UNREACHABLE}  # fmt: skip
    assert not ErrorCategory.UNKNOWN.retryable
    assert twilio_error_code(20429).retryable
    assert not twilio_error_code(21610).retryable


@pytest.mark.parametrize("code", [None, "", "abc", 99999, " 12345 "])
def test_unknown_codes_keep_the_original(code: object) -> None:
    info = twilio_error_code(code)  # type: ignore[arg-type]
    assert info.category is ErrorCategory.UNKNOWN
    assert info.status == "U"
    assert info.code == ("" if code is None else str(code).strip())


def test_rejected_error_takes_retryable_from_its_category() -> None:
    error = ProviderRejectedError("x", provider="p", category=ErrorCategory.RATE_LIMITED)
    assert error.retryable
    assert not ProviderRejectedError("x", provider="p", category=ErrorCategory.LANDLINE).retryable


def test_message_status_covers_twilios_enum() -> None:
    twilio_message = pytest.importorskip("twilio.rest.api.v2010.account.message")
    status_class = twilio_message.MessageInstance.Status  # plain class of str constants
    sdk_values = {v for k, v in vars(status_class).items() if k.isupper()}
    assert len(sdk_values) == 13
    assert {s.value for s in MessageStatus} == sdk_values


def test_outbound_message_validation_and_freezing() -> None:
    message = OutboundMessage(to="+14155550123", sender="+1", body="x", media_urls=["a"])  # type: ignore[arg-type]
    assert message.media_urls == ("a",)
    hash(message)
    with pytest.raises(dataclasses.FrozenInstanceError):
        message.body = "y"  # type: ignore[misc]
    for bad in (
        {"to": "", "sender": "+1", "body": "x"},
        {"to": "+1", "sender": "+1", "body": ""},
        {"to": "+1", "body": "x"},
        {"to": "+1", "sender": "+1", "body": "x", "validity_period": 0},
    ):
        with pytest.raises(ConfigurationError):
            OutboundMessage(**bad)  # type: ignore[arg-type]


def test_reprs_mask_numbers_and_hide_bodies() -> None:
    number = "+14155550123"
    values = [
        OutboundMessage(to=number, sender=number, body="secret text"),
        InboundMessage(message_id="SM1", sender=number, to=number, body="secret text"),
        DeliveryStatus(message_id="SM1", status=MessageStatus.SENT, to=number, sender=number),
        MemoryProvider().send(OutboundMessage(to=number, sender=number, body="secret text")),
    ]
    for value in values:
        assert "4155550123" not in repr(value)
        assert "secret" not in repr(value)


def test_raw_params_are_read_only() -> None:
    raw = {"A": "1"}
    message = InboundMessage(message_id="SM1", sender="+1", to="+1", body="", raw=raw)
    raw["A"] = "2"
    assert message.raw["A"] == "1"
    with pytest.raises(TypeError):
        message.raw["A"] = "3"  # type: ignore[index]


def test_adapters_load_by_name() -> None:
    assert {"memory", "twilio", "email_gateway"} <= set(provider_names())
    assert load_provider("memory") is MemoryProvider
    assert load_provider("twilio") is TwilioProvider
    assert load_provider("email_gateway") is EmailGatewayProvider


def test_unknown_adapter_name_says_what_is_installed() -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_provider("carrier-pigeon")
    assert "carrier-pigeon" in str(caught.value)
    assert "memory" in str(caught.value)
    assert "smskit.providers" in str(caught.value)
