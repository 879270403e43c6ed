"""Webhook parsers never crash: any dict gives a value or a clear ProviderResponseError."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from smskit.errors import ProviderResponseError
from smskit.providers import (
    DeliveryStatus,
    InboundMessage,
    MessageStatus,
    parse_twilio_inbound,
    parse_twilio_status,
)

FIELDS = [
    "MessageSid", "SmsSid", "SmsMessageSid", "From", "To", "Body", "NumMedia", "NumSegments",
    "MediaUrl0", "MediaContentType0", "MediaUrl1", "OptOutType", "FromCity", "ToZip",
    "MessageStatus", "SmsStatus", "ErrorCode", "RawDlrDoneDate", "AccountSid",
]  # fmt: skip
keys = st.one_of(st.sampled_from(FIELDS), st.text(max_size=10))
values = st.one_of(
    st.text(max_size=20),
    st.sampled_from([s.value for s in MessageStatus] + ["STOP", "99", "-1", "2612031907"]),
    st.lists(st.text(max_size=5), max_size=3),
)
param_dicts = st.dictionaries(keys, values, max_size=12)
header_dicts = st.one_of(st.none(), st.dictionaries(st.text(max_size=30), st.text(max_size=10)))


def _outcome(parse, params, headers):  # type: ignore[no-untyped-def]
    try:
        return parse(params, headers)
    except ProviderResponseError as exc:  # the one error allowed, checked by the caller
        return exc


@given(param_dicts, header_dicts)
def test_inbound_parser_never_crashes(params: dict, headers: dict | None) -> None:  # type: ignore[type-arg]
    message = _outcome(parse_twilio_inbound, params, headers)
    if isinstance(message, ProviderResponseError):
        # A required field missing, or a status callback sent to the inbound route.
        assert "Twilio webhook without" in str(message) or (
            "posted to the inbound-message route" in str(message)
            and "Body" not in params
        )
        return
    assert isinstance(message, InboundMessage)
    assert message.message_id
    assert message.sender
    assert message.to
    assert len(message.media) <= 10
    assert message.dedup_key


@given(param_dicts, header_dicts)
def test_status_parser_never_crashes(params: dict, headers: dict | None) -> None:  # type: ignore[type-arg]
    status = _outcome(parse_twilio_status, params, headers)
    if isinstance(status, ProviderResponseError):
        assert "Twilio" in str(status)
        return
    assert isinstance(status, DeliveryStatus)
    assert (status.category is None) == (status.error_code is None)
    done = status.carrier_done_at
    assert done is None or (done.tzinfo is not None and done.second == 0)


# Review: what a JSON-decoded body or a hand-made dict may hold besides strings.
hostile_values = st.one_of(
    values,
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
    st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=3)), max_size=3),
)
hostile_keys = st.one_of(keys, st.integers(), st.none())
hostile_dicts = st.dictionaries(hostile_keys, hostile_values, max_size=12)


@given(hostile_dicts, header_dicts)
def test_parsers_refuse_non_text_with_a_provider_error(params: dict, headers: dict | None) -> None:  # type: ignore[type-arg]
    for parse in (parse_twilio_inbound, parse_twilio_status):
        result = _outcome(parse, params, headers)
        assert isinstance(result, InboundMessage | DeliveryStatus | ProviderResponseError)


@given(st.text(min_size=1, max_size=30).filter(lambda t: t.strip()))
def test_any_non_blank_status_is_kept_known_or_not(text: str) -> None:
    # Twilio adds statuses: none may be refused (the callback would be lost),
    # and the value reported must survive in the result.
    status = parse_twilio_status({"MessageSid": "SM1", "MessageStatus": text})
    normalised = text.strip().lower()
    assert status.reported == normalised
    assert status.dedup_key == f"SM1:{normalised}"
    known = {s.value for s in MessageStatus}
    assert (status.raw_status is None) == (normalised in known)
    assert (status.status is MessageStatus.UNKNOWN) == (
        normalised not in known or normalised == "unknown")
