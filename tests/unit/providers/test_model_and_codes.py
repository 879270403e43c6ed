"""Value types, categories, the Twilio code table and loading adapters by name."""

from __future__ import annotations

import dataclasses
from pathlib import Path

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
    # UNKNOWN is smskit's own: a value Twilio adds after the SDK pinned here.
    assert {s.value for s in MessageStatus} - {"unknown"} == sdk_values


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


def test_an_adapter_that_cannot_be_imported_is_named_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A third-party adapter installed without its own dependency.
    (tmp_path / "broken_adapter.py").write_text("import no_such_module_for_smskit_tests\n")
    info = tmp_path / "broken_adapter-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-adapter\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[smskit.providers]\nbroken = broken_adapter:BrokenProvider\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "broken" in provider_names()
    with pytest.raises(ConfigurationError) as caught:
        load_provider("broken")
    assert "broken_adapter" in str(caught.value)
    assert "no_such_module_for_smskit_tests" in str(caught.value)


def test_a_single_url_string_as_media_urls_is_refused_not_split_into_characters() -> None:
    # tuple("https://...") is a tuple of one-letter "URLs": 25 media items that
    # the provider refuses as too many (21623), for a message with one picture.
    with pytest.raises(ConfigurationError) as caught:
        OutboundMessage(
            to="+14155550123", sender="+14155550199", media_urls="https://example.com/a.jpg"  # type: ignore[arg-type]
        )
    assert caught.value.field == "media_urls"
    assert "tuple" in str(caught.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("to", 14155550123),
        ("body", b"hello"),
        ("sender", 14155550199),
        ("media_urls", (1, 2)),
        ("status_callback", 5),
        ("idempotency_key", 7),
    ],
)
def test_wrong_types_are_refused_with_the_field_named(field: str, value: object) -> None:
    fields: dict[str, object] = {"to": "+14155550123", "sender": "+14155550199", "body": "hi"}
    fields[field] = value
    with pytest.raises(ConfigurationError) as caught:
        OutboundMessage(**fields)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert "14155550" not in str(caught.value)


@pytest.mark.parametrize("period", ["600", 600.5, True, -5])
def test_validity_period_must_be_whole_seconds(period: object) -> None:
    # A float or a bool is a mistake, not a number of seconds; a string used
    # to fail with a bare TypeError.
    with pytest.raises(ConfigurationError) as caught:
        OutboundMessage(
            to="+14155550123", sender="+14155550199", body="hi", validity_period=period  # type: ignore[arg-type]
        )
    assert caught.value.field == "validity_period"


def test_validity_period_whole_seconds_are_accepted() -> None:
    for period in (1, 36000):
        message = OutboundMessage(
            to="+14155550123", sender="+14155550199", body="hi", validity_period=period
        )
        assert message.validity_period == period


def test_an_empty_sender_without_a_messaging_service_is_refused() -> None:
    # "" is no sender: the create request would go out without From or
    # MessagingServiceSid and be refused by the provider.
    for fields in ({"sender": ""}, {"sender": "", "messaging_service": ""}):
        with pytest.raises(ConfigurationError) as caught:
            OutboundMessage(to="+14155550123", body="hi", **fields)  # type: ignore[arg-type]
        assert caught.value.field == "sender"


def test_a_none_body_with_media_is_refused_not_a_crash_in_repr() -> None:
    with pytest.raises(ConfigurationError) as caught:
        OutboundMessage(
            to="+14155550123", sender="+14155550199", body=None, media_urls=("https://e/a.jpg",)  # type: ignore[arg-type]
        )
    assert caught.value.field == "body"


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"to": "  ", "sender": "+14155550199"}, "to"),
     ({"to": "+14155550123", "sender": " "}, "sender"),
     ({"to": "+14155550123", "messaging_service": "\t"}, "sender")],
)
def test_a_blank_recipient_or_sender_is_refused_like_an_empty_one(
    fields: dict[str, str], field: str
) -> None:
    # Only "" was refused: spaces passed as a recipient or a sender, which the provider
    # then refused after the message had been reserved and handed over.
    with pytest.raises(ConfigurationError) as info:
        OutboundMessage(body="Hi", **fields)
    assert info.value.field == field
