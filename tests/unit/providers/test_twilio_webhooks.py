"""Twilio webhook signatures and parsing, against published vectors.

The signature vectors are the inputs and expected signatures of twilio-python's
own tests (tests/unit/test_request_validator.py in github.com/twilio/twilio-python):
Auth Token "12345", the URL and parameters below.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit.errors import ConfigurationError, ProviderResponseError
from smskit.providers import (
    ErrorCategory,
    MessageStatus,
    OptOutType,
    TwilioSignatureVerifier,
    compute_twilio_signature,
    parse_twilio_inbound,
    parse_twilio_status,
)

TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
    "Caller": "+14158675309",
}
EXPECTED = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
BODY = '{"property": "value", "boolean": true}'
BODY_HASH = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"


class MultiDict:
    """The part of Werkzeug's/multidict's interface signature code may use."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(dict.fromkeys(k for k, _ in self.pairs))

    def __getitem__(self, name: str) -> str:
        return next(v for k, v in self.pairs if k == name)

    def __len__(self) -> int:
        return len(dict.fromkeys(k for k, _ in self.pairs))

    def getall(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]


def verify(url: str, params: object, signature: str, **headers: str) -> bool:
    all_headers = {"X-Twilio-Signature": signature, **headers}
    return TwilioSignatureVerifier(TOKEN).verify(url, params, all_headers)  # type: ignore[arg-type]


def test_published_vector() -> None:
    assert compute_twilio_signature(URL, PARAMS, TOKEN) == EXPECTED
    assert verify(URL, PARAMS, EXPECTED)


@pytest.mark.parametrize(
    ("args", "field", "hint"),
    [
        ((URL, PARAMS, TOKEN.encode()), "key", "key must be a str, not bytes (decode"),
        ((URL.encode(), PARAMS, TOKEN), "url", "url must be a str, not bytes"),
        ((URL, PARAMS, None), "key", "key must be a str, not NoneType"),
        ((URL, PARAMS, TOKEN, 256), "algorithm", "algorithm must be a str, not int"),
    ],
)
def test_arguments_of_the_wrong_type_say_which(
    args: tuple[object, ...], field: str, hint: str
) -> None:
    # A token read as bytes (os.environb, a secrets file opened "rb") ended in
    # "AttributeError: 'bytes' object has no attribute 'encode'".
    with pytest.raises(ConfigurationError) as caught:
        compute_twilio_signature(*args)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert str(caught.value).startswith(hint)
    assert TOKEN not in str(caught.value)


def test_repeated_values_are_sorted_and_deduplicated() -> None:
    pairs = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")]
    assert compute_twilio_signature(URL, MultiDict(pairs), TOKEN) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="
    as_lists = {"Sid": ["CA123"], "SidAccount": ["AC123"], "Digits": ["5678", "1234", "5678"]}
    assert compute_twilio_signature(URL, as_lists, TOKEN) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="


@pytest.mark.parametrize(
    ("url", "signature"),
    [
        (URL.replace(".com", ".com:1234"), EXPECTED),  # the port dropped (https)
        (URL.replace(".com", ".com:1234").replace("https", "http"), "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="),
        (URL, "kvajT1Ptam85bY51eRf/AJRuM3w="),  # signed with :443 added
        (URL.replace("https", "http"), "0ZXoZLH/DfblKGATFgpif+LLRf4="),  # signed with :80
    ],
)
def test_port_quirk(url: str, signature: str) -> None:
    assert verify(url, PARAMS, signature)


def test_json_body_through_body_sha256() -> None:
    url = URL + "&bodySHA256=" + BODY_HASH
    assert hashlib.sha256(BODY.encode()).hexdigest() == BODY_HASH
    assert verify(url, BODY, "a9nBmqA0ju/hNViExpshrM61xv4=")
    assert not verify(url, BODY + " ", "a9nBmqA0ju/hNViExpshrM61xv4=")  # body changed
    assert not verify(URL, BODY, "a9nBmqA0ju/hNViExpshrM61xv4=")  # no bodySHA256 in the URL


@pytest.mark.parametrize(
    "tamper",
    [
        lambda u, p, s: (u.replace("foo=1", "foo=2"), p, s),
        lambda u, p, s: (u, {**p, "Digits": "1235"}, s),
        lambda u, p, s: (u, {**p, "Extra": ""}, s),
        lambda u, p, s: (u, p, s[:-2] + "A="),
        lambda u, p, s: (u, p, ""),
        lambda u, p, s: (u, p, "é" * 28),  # non-ASCII: compare_digest on str would raise
    ],
)
def test_tampered_requests_fail(tamper) -> None:  # type: ignore[no-untyped-def]
    url, params, signature = tamper(URL, PARAMS, EXPECTED)
    assert not verify(url, params, signature)


def test_header_names_in_any_case() -> None:
    verifier = TwilioSignatureVerifier(TOKEN)
    assert verifier.verify(URL, PARAMS, {"x-twilio-signature": EXPECTED})
    assert verifier.verify(URL, PARAMS, {"X-TWILIO-SIGNATURE": EXPECTED})
    assert not verifier.verify(URL, PARAMS, {})


def _sha256_signature(url: str, params: dict[str, str], secret: str) -> str:
    # Hand-computed: the signed string is the same as for SHA-1, only the hash changes
    # (https://www.twilio.com/docs/usage/webhooks/webhook-shared-keys).
    signed = url + "".join(k + params[k] for k in sorted(params))
    return base64.b64encode(
        hmac.new(secret.encode(), signed.encode(), hashlib.sha256).digest()
    ).decode()


def test_sha256_shared_key_selected_by_the_settings_header() -> None:
    secret = "shared-secret"
    signature = _sha256_signature(URL, PARAMS, secret)
    verifier = TwilioSignatureVerifier(TOKEN, shared_keys={"key_1": secret})
    settings = "key=key_1,algorithm=HMAC_SHA256"
    headers = {"X-Twilio-Signature": signature, "x-twilio-webhooks-signature-settings": settings}
    assert verifier.verify(URL, PARAMS, headers)
    # the same signature without the header is checked as SHA-1 with the Auth Token
    assert not verifier.verify(URL, PARAMS, {"X-Twilio-Signature": signature})
    # an unknown key id, or an unknown algorithm, fails
    unknown_key = {
        **headers,
        "x-twilio-webhooks-signature-settings": "key=nope,algorithm=HMAC_SHA256",
    }
    assert not verifier.verify(URL, PARAMS, unknown_key)
    other_algo = {**headers, "x-twilio-webhooks-signature-settings": "key=key_1,algorithm=HMAC_MD5"}
    assert not verifier.verify(URL, PARAMS, other_algo)
    # keys may come from a function (a secrets store)
    looked_up: list[str] = []

    def lookup(key_id: str) -> str | None:
        looked_up.append(key_id)
        return secret if key_id == "key_1" else None

    assert TwilioSignatureVerifier(TOKEN, shared_keys=lookup).verify(URL, PARAMS, headers)
    assert looked_up == ["key_1"]


def test_inbound_message_fields() -> None:
    params = {
        "MessageSid": "SM1",
        "AccountSid": "AC1",
        "MessagingServiceSid": "MG1",
        "From": "+14155550123",
        "To": "+14155550199",
        "Body": "STOP",
        "NumMedia": "2",
        "NumSegments": "1",
        "MediaUrl0": "https://api.twilio.com/m0",
        "MediaContentType0": "image/jpeg",
        "MediaUrl1": "https://api.twilio.com/m1",
        "MediaContentType1": "image/png",
        "OptOutType": "STOP",
        "FromCity": "SAN FRANCISCO",
        "FromState": "CA",
        "FromZip": "94105",
        "FromCountry": "US",
        "ToCountry": "US",
        "SomethingNew": "kept",
    }
    message = parse_twilio_inbound(params, {"I-Twilio-Idempotency-Token": "tok-1"})
    assert message.message_id == "SM1"
    assert message.sender == "+14155550123"
    assert message.to == "+14155550199"
    assert message.body == "STOP"
    assert [(m.url, m.content_type) for m in message.media] == [
        ("https://api.twilio.com/m0", "image/jpeg"),
        ("https://api.twilio.com/m1", "image/png"),
    ]
    assert message.opt_out_type is OptOutType.STOP
    assert message.from_geo.city == "SAN FRANCISCO"
    assert message.from_geo.zip == "94105"
    assert message.to_geo.country == "US"
    assert message.to_geo.city is None
    assert message.num_segments == 1
    assert message.messaging_service == "MG1"
    assert message.raw["SomethingNew"] == "kept"
    assert message.dedup_key == "tok-1"
    assert parse_twilio_inbound(params).dedup_key == "SM1:received"
    assert "4155550123" not in repr(message)
    assert "STOP" not in repr(message).replace("OptOutType.STOP", "")


def test_status_callback_fields() -> None:
    params = {
        "MessageSid": "SM9",
        "MessageStatus": "undelivered",
        "ErrorCode": "30007",
        "To": "+14155550123",
        "From": "+14155550199",
        "RawDlrDoneDate": "2612031907",
    }
    status = parse_twilio_status(params)
    assert status.status is MessageStatus.UNDELIVERED
    assert status.error_code == "30007"
    assert status.category is ErrorCategory.FILTERED
    assert status.carrier_done_at == datetime(2026, 12, 3, 19, 7, tzinfo=UTC)
    assert status.dedup_key == "SM9:undelivered"
    headers = {"i-twilio-idempotency-token": "abc"}
    assert parse_twilio_status(params, headers).dedup_key == "abc"


def test_status_unknown_code_is_kept() -> None:
    status = parse_twilio_status(
        {"MessageSid": "SM1", "MessageStatus": "failed", "ErrorCode": "31337"}
    )
    assert status.category is ErrorCategory.UNKNOWN
    assert status.error_code == "31337"


@pytest.mark.parametrize(
    "raw", ["", "26120319", "2613031907", "261203190x", "２６１２０３１９０７"]
)
def test_unreadable_raw_dlr_done_date_is_none_and_kept(raw: str) -> None:
    status = parse_twilio_status(
        {"MessageSid": "SM1", "MessageStatus": "delivered", "RawDlrDoneDate": raw}
    )
    assert status.carrier_done_at is None
    assert status.raw["RawDlrDoneDate"] == raw


@pytest.mark.parametrize("status", [s for s in MessageStatus if s is not MessageStatus.UNKNOWN])
def test_every_documented_status_parses(status: MessageStatus) -> None:
    parsed = parse_twilio_status({"SmsSid": "SM1", "SmsStatus": status.value.upper()})
    assert parsed.status is status
    assert parsed.raw_status is None
    assert parsed.dedup_key == f"SM1:{status.value}"


def test_a_status_added_later_parses_as_unknown_keeping_the_value() -> None:
    parsed = parse_twilio_status({"MessageSid": "SM1", "MessageStatus": " Exploded "})
    assert parsed.status is MessageStatus.UNKNOWN
    assert parsed.raw_status == "exploded"
    assert parsed.reported == "exploded"
    assert parsed.dedup_key == "SM1:exploded"
    assert parsed.raw["MessageStatus"] == " Exploded "
    assert "'exploded'" in repr(parsed)


def test_missing_or_blank_fields_raise_a_clear_error() -> None:
    with pytest.raises(ProviderResponseError, match="MessageStatus"):
        parse_twilio_status({"MessageSid": "SM1"})
    with pytest.raises(ProviderResponseError, match="blank MessageStatus"):
        parse_twilio_status({"MessageSid": "SM1", "MessageStatus": " \t"})
    with pytest.raises(ProviderResponseError, match="From"):
        parse_twilio_inbound({"MessageSid": "SM1", "To": "+1"})


def test_30026_is_flagged_as_an_early_warning() -> None:
    params = {"MessageSid": "SM1", "MessageStatus": "sent", "ErrorCode": "30026"}
    assert parse_twilio_status(params).early_warning
    assert not parse_twilio_status({**params, "ErrorCode": "30027"}).early_warning


@pytest.mark.parametrize("field", ["NumMedia", "NumSegments"])
def test_a_count_of_thousands_of_digits_is_ignored_not_a_crash(field: str) -> None:
    # int() refuses strings over 4300 digits (CPython's limit since 3.11).
    params = {"MessageSid": "SM1", "From": "+14155550123", "To": "+14155550199", field: "9" * 5000}
    message = parse_twilio_inbound(params)
    assert message.media == ()
    assert message.num_segments is None or field != "NumSegments"


def test_an_empty_auth_token_is_refused_not_a_key_anyone_can_sign_with() -> None:
    # os.environ.get("TWILIO_AUTH_TOKEN", "") on a misconfigured host: with ""
    # as the HMAC key, anyone can forge a signature every request passes.
    from smskit.errors import ConfigurationError

    with pytest.raises(ConfigurationError) as caught:
        TwilioSignatureVerifier("")
    assert caught.value.field == "auth_token"


def test_an_empty_shared_key_secret_verifies_nothing() -> None:
    url, params = "https://example.com/sms", {"Body": "STOP"}
    forged = compute_twilio_signature(url, params, "", "HMAC_SHA256")
    headers = {
        "X-Twilio-Signature": forged,
        "X-Twilio-Webhooks-Signature-Settings": "key=KS1,algorithm=HMAC_SHA256",
    }
    assert not TwilioSignatureVerifier("token", {"KS1": ""}).verify(url, params, headers)


def test_computing_with_an_unknown_algorithm_says_which_exist() -> None:
    from smskit.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="HMAC_SHA1, HMAC_SHA256") as caught:
        compute_twilio_signature("https://example.com/sms", {}, "token", "HMAC_SHA512")
    assert caught.value.field == "algorithm"


def test_an_unset_auth_token_is_refused_with_what_to_fix() -> None:
    # os.environ.get("TWILIO_AUTH_TOKEN") without a default is None on a host
    # where the variable is unset: that used to be a bare AttributeError.
    from smskit.errors import ConfigurationError

    with pytest.raises(ConfigurationError) as caught:
        TwilioSignatureVerifier(None)  # type: ignore[arg-type]
    assert caught.value.field == "auth_token"
    assert "environment variable" in str(caught.value)


def test_an_auth_token_read_as_bytes_is_told_to_be_decoded() -> None:
    # A token read from a secret store as bytes was told "is the environment variable
    # that holds it set?", which it is; compute_twilio_signature says to decode it.
    from smskit.errors import ConfigurationError

    with pytest.raises(ConfigurationError) as caught:
        TwilioSignatureVerifier(b"12345")  # type: ignore[arg-type]
    assert caught.value.field == "auth_token"
    assert "environment variable" not in str(caught.value)
    assert "decode" in str(caught.value)


@pytest.mark.parametrize("token", ["12345\n", " 12345", "12345\r\n"])
def test_an_auth_token_with_surrounding_whitespace_is_refused(token: str) -> None:
    # A token read from a file or a secret store often keeps its newline; as an
    # HMAC key it fails every genuine webhook (all answered 403). Twilio's
    # tokens are hex digits, so whitespace is always a reading mistake.
    from smskit.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="whitespace") as caught:
        TwilioSignatureVerifier(token)
    assert caught.value.field == "auth_token"
    assert "12345" not in str(caught.value)


@pytest.mark.parametrize(
    ("token", "says"),
    [
        ('"0123456789abcdef0123456789abcdef"', "quotes"),
        ("'0123456789abcdef0123456789abcdef'", "quotes"),
        ("AC0123456789abcdef0123456789abcdef", "Account SID"),
        ("SK0123456789ABCDEF0123456789ABCDEF", "API key SID"),
    ],
)
def test_a_token_that_cannot_be_one_is_refused(token: str, says: str) -> None:
    # user34: one credential row per tenant; a quoted value from a .env file, or the
    # SID column read for the token, made every webhook of that tenant a 403 (its
    # STOPs never recorded) with only "signature does not match" to go on.
    from smskit.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match=says) as caught:
        TwilioSignatureVerifier(token)
    assert caught.value.field == "auth_token"
    assert "0123456789" not in str(caught.value)


@pytest.mark.parametrize("token", ["0123456789abcdef0123456789abcdef", "it's", '"a', "ACtoken"])
def test_tokens_of_other_shapes_are_kept(token: str) -> None:
    url, params = "https://example.com/sms", {"Body": "STOP"}
    signature = compute_twilio_signature(url, params, token)
    assert TwilioSignatureVerifier(token).verify(url, params, {"X-Twilio-Signature": signature})


@given(st.text("0123456789abcdefABCDEF", min_size=32, max_size=32))
def test_no_auth_token_shape_is_refused(token: str) -> None:
    # Review rev29u: a live, test-credential or secondary Auth Token is 32 hex digits,
    # in either case, starting "ac" or "sk" as any other: none is taken for a SID.
    assert TwilioSignatureVerifier(token).verify(
        "https://example.com/sms", {}, {"X-Twilio-Signature":
                                        compute_twilio_signature("https://example.com/sms", {},
                                                                 token)})


@pytest.mark.parametrize("token", ["AC0123456789abcdef0123456789abcd",
                                   "SK0123456789abcdef0123456789abcd",
                                   "AC0123456789abcdef0123456789abcdef0"])
def test_a_token_only_starting_like_a_sid_is_kept(token: str) -> None:
    TwilioSignatureVerifier(token)  # 32 or 35 characters: not a SID's 34


@pytest.mark.parametrize("form", [{}, {"property": "other"}])
def test_a_json_post_checked_with_its_form_fields_does_not_skip_the_body(
    form: dict[str, str],
) -> None:
    # A JSON post is signed through bodySHA256 in the URL; the HMAC covers the URL
    # alone. Checked with the framework's form fields (Flask's request.form is
    # empty for a JSON post) instead of the raw body, the body was never compared
    # with its hash: any body passed with a genuine URL and signature.
    url = URL + "&bodySHA256=" + BODY_HASH
    signature = "a9nBmqA0ju/hNViExpshrM61xv4="  # the published vector for BODY at url
    assert verify(url, BODY, signature)
    assert not verify(url, form, signature)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("https://example.com/sms", {"Body": "STOP \ud83d"}),  # half a surrogate pair
        ("https://example.com/sms", {"Bo\udcff": "STOP"}),
        ("https://example.com/s\ud800", {"Body": "STOP"}),
        ("https://example.com/sms?bodySHA256=" + BODY_HASH, '{"a": "\ud83d"}'),
    ],
)
def test_a_lone_surrogate_is_refused_as_not_text_not_a_unicode_traceback(
    url: str, params: object
) -> None:
    # The messenger keeps an inbound body with half a surrogate pair; with a
    # verifier configured the same webhook raised UnicodeEncodeError out of
    # handle_inbound instead of an error smskit documents.
    verifier = TwilioSignatureVerifier(TOKEN)
    with pytest.raises(ProviderResponseError, match="surrogate"):
        verifier.verify(url, params, {"X-Twilio-Signature": EXPECTED})  # type: ignore[arg-type]


def test_a_shared_key_secret_that_is_not_text_says_what_to_fix() -> None:
    # A secret kept as bytes (read from a secrets store) was accepted, then every
    # webhook signed with that key raised a bare AttributeError ('bytes' has no
    # 'encode') out of verify.
    from smskit.errors import ConfigurationError

    with pytest.raises(ConfigurationError) as caught:
        TwilioSignatureVerifier(TOKEN, shared_keys={"key_1": b"shared-secret"})  # type: ignore[dict-item]
    assert caught.value.field == "shared_keys"
    assert "shared-secret" not in str(caught.value)
    verifier = TwilioSignatureVerifier(TOKEN, shared_keys=lambda _key: b"shared-secret")  # type: ignore[arg-type,return-value]
    headers = {
        "X-Twilio-Signature": _sha256_signature(URL, PARAMS, "shared-secret"),
        "X-Twilio-Webhooks-Signature-Settings": "key=key_1,algorithm=HMAC_SHA256",
    }
    with pytest.raises(ConfigurationError) as caught:
        verifier.verify(URL, PARAMS, headers)
    assert caught.value.field == "shared_keys"
