"""Consent values: validation that names the field, masking, scopes."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest

from smskit.consent import (
    Channel,
    ConsentEvent,
    ConsentKind,
    ConsentLedger,
    ConsentScope,
    ConsentSource,
    EventKind,
    Evidence,
    MemoryStore,
    Purpose,
    normalize_recipient,
)
from smskit.errors import ConsentError

T0 = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
WRITTEN = Evidence(
    form_url="https://acme.example/join?v=4",
    consent_text="I agree to receive marketing texts from Acme at this number...",
)


@pytest.fixture
def ledger() -> ConsentLedger:
    return ConsentLedger(MemoryStore())


@pytest.mark.parametrize(
    ("text", "e164"),
    [("+1 (415) 555-0123", "+14155550123"), ("415.555.0123", "+14155550123"),
     ("+44 7911 123456", "+447911123456")],
)
def test_numbers_are_normalised_to_e164(text: str, e164: str) -> None:
    assert normalize_recipient(text) == e164


@pytest.mark.parametrize(
    ("text", "why"),
    [("12", "number"), ("not a number", "letters"), ("+442071234567", "not a mobile-format"),
     ("+18005550199", "not a mobile-format"), ("+1 415 555 01234 5", "number")],
)
def test_bad_numbers_name_the_field_and_are_never_echoed(text: str, why: str) -> None:
    with pytest.raises(ConsentError, match=why) as info:
        normalize_recipient(text)
    assert info.value.field == "number"
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) >= 6:
        assert digits not in str(info.value).replace(" ", "")


def test_naive_datetime_is_an_error_naming_the_field(ledger: ConsentLedger) -> None:
    with pytest.raises(ConsentError, match="naive datetime") as info:
        ledger.grant("+14155550123", scope="acme", purposes="informational", kind="express",
                     source="api", at=datetime(2025, 6, 1, 9, 0))
    assert info.value.field == "at"
    with pytest.raises(ConsentError) as status_info:
        ledger.status("+14155550123", "informational", scope="acme", at=datetime(2025, 6, 1))
    assert status_info.value.field == "at"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"purposes": ["promo"]}, "purposes"), ({"channels": ["fax"]}, "channels"),
     ({"purposes": []}, "purposes"), ({"kind": "strong"}, "kind"),
     ({"source": "billboard"}, "source"), ({"scope": ""}, "scope"),
     ({"scope": "acme//app"}, "scope")],
)
def test_unknown_values_name_the_field(
    ledger: ConsentLedger, overrides: dict[str, object], field: str
) -> None:
    args: dict[str, object] = {"scope": "acme", "purposes": ["informational"],
                               "kind": "express", "source": "api", "at": T0}
    args.update(overrides)
    with pytest.raises(ConsentError) as info:
        ledger.grant("+14155550123", **args)  # type: ignore[arg-type]
    assert info.value.field == field
    assert field in str(info.value)


@pytest.mark.parametrize(
    "evidence",
    [None, Evidence(), Evidence(form_url="https://acme.example/join"),
     Evidence(consent_text="I agree..."), Evidence(consent_text="   ", form_url="https://x.example")],
)
def test_express_written_consent_needs_text_and_locator(
    ledger: ConsentLedger, evidence: Evidence | None
) -> None:
    with pytest.raises(ConsentError, match="consent_text") as info:
        ledger.grant("+14155550123", scope="acme", purposes="marketing",
                     kind=ConsentKind.EXPRESS_WRITTEN, source="web_form", at=T0,
                     evidence=evidence)
    assert info.value.field == "evidence"


def test_bad_ip_address_is_rejected() -> None:
    with pytest.raises(ConsentError) as info:
        Evidence(ip_address="999.1.1.1")
    assert info.value.field == "evidence.ip_address"


def test_a_number_given_as_the_ip_address_is_not_echoed_in_full() -> None:
    # Review of audit30: a CRM column mapped to the wrong field put the number, in full,
    # into the message. Worked by hand: digits 12015550123, the first and the last two kept.
    with pytest.raises(ConsentError) as info:
        Evidence(ip_address="+1 (201) 555-0123")
    assert "'+1********23' is not an IPv4/IPv6 address" in str(info.value)
    assert "555-0123" not in str(info.value)
    with pytest.raises(ConsentError) as typo:
        Evidence(ip_address="999.1.1.1")  # a mistyped address still shown as typed
    assert "'999.1.1.1' is not an IPv4" in str(typo.value)


def test_implied_consent_needs_a_basis(ledger: ConsentLedger) -> None:
    with pytest.raises(ConsentError) as info:
        ledger.grant("+14155550123", scope="acme", purposes="informational", kind="implied",
                     source="api", at=T0)
    assert info.value.field == "implied_basis"
    with pytest.raises(ConsentError) as other:
        ledger.grant("+14155550123", scope="acme", purposes="informational", kind="implied",
                     implied_basis="other", source="api", at=T0)
    assert other.value.field == "expires_at"


def test_revocation_needs_a_method() -> None:
    with pytest.raises(ConsentError) as info:
        ConsentEvent(kind=EventKind.REVOKED, recipient="+14155550123",
                     scope=ConsentScope(("acme",)),
                     channels=frozenset({Channel.SMS}), purposes=frozenset({Purpose.MARKETING}),
                     occurred_at=T0, source=ConsentSource.API)
    assert info.value.field == "revocation_method"


def test_reprs_mask_the_number(ledger: ConsentLedger) -> None:
    event = ledger.grant("+14155550123", scope="acme", purposes="marketing",
                         kind="express_written", source="web_form", at=T0, evidence=WRITTEN)
    status = ledger.status("+14155550123", "marketing", scope="acme", at=T0)
    for text in (repr(event), repr(status), str(event), repr(ledger.history("+14155550123"))):
        assert "4155550123" not in text
        assert "+1********23" in text


def test_scope_covers_itself_and_everything_below() -> None:
    partner = ConsentScope.parse("acme/partner-42")
    assert partner.covers(ConsentScope.parse("acme/partner-42"))
    assert partner.covers(ConsentScope.parse("acme/partner-42/app-7"))
    assert not partner.covers(ConsentScope.parse("acme"))
    assert not partner.covers(ConsentScope.parse("acme/partner-420"))
    assert str(partner) == "acme/partner-42"


# -- found in review -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "value"),
    [("confirms", "abc"), ("confirms", True), ("confirms", 0), ("confirms", 1.5),
     ("sequence", True), ("sequence", 2.0)],
)
def test_confirms_and_sequence_must_be_whole_numbers(name: str, value: object) -> None:
    fields: dict[str, object] = {
        "kind": "granted", "recipient": "+14155550123", "scope": "acme",
        "channels": ["sms"], "purposes": ["informational"],
        "occurred_at": datetime(2025, 6, 1, tzinfo=UTC), "source": "api",
        "consent_kind": "express", name: value,
    }
    with pytest.raises(ConsentError) as err:
        ConsentEvent(**fields)  # type: ignore[arg-type]
    assert err.value.field == name


@pytest.mark.parametrize("locator", [{"form_url": "   "}, {"reference": "\t"}, {"reply_text": " "}])
def test_a_blank_locator_is_not_evidence_of_written_consent(
    ledger: ConsentLedger, locator: dict[str, str]
) -> None:
    with pytest.raises(ConsentError) as err:
        ledger.grant("+14155550123", scope="acme", purposes="marketing",
                     kind="express_written", source="web_form",
                     at=datetime(2025, 6, 1, tzinfo=UTC),
                     evidence=Evidence(consent_text="I agree to marketing texts.", **locator))
    assert err.value.field == "evidence"


def test_canonical_form_is_pinned_byte_for_byte() -> None:
    # Written by hand: sorted keys, no spaces, raw UTF-8, sets as sorted lists, datetimes
    # with their own offset and microseconds. Stored hashes depend on every byte.
    from smskit.consent._codec import canonical_bytes, event_hash

    ny = timezone(timedelta(hours=-4))
    event = ConsentEvent(
        kind="granted", recipient="+14155550123", scope="caf\u00e9/app", channels=["sms", "mms"],
        purposes=["marketing", "informational"],
        occurred_at=datetime(2025, 6, 1, 9, 30, 0, 250, tzinfo=ny), source="web_form",
        evidence=Evidence(consent_text="J'accepte \u2014 oui", form_url="https://x.example/f"),
        consent_kind="express_written", recorded_at=datetime(2025, 6, 1, 13, 31, tzinfo=UTC),
        sequence=1, prev_hash="0" * 64,
    )
    expected = (
        '{"channels":["mms","sms"],"confirms":null,"consent_kind":"express_written",'
        '"evidence":{"actor":null,"consent_text":"J\'accepte \u2014 oui",'
        '"form_url":"https://x.example/f","ip_address":null,"reference":null,'
        '"reply_text":null,"user_agent":null},"expires_at":null,"implied_basis":null,'
        '"kind":"granted","occurred_at":"2025-06-01T09:30:00.000250-04:00",'
        '"prev_hash":"' + "0" * 64 + '","purposes":["informational","marketing"],'
        '"recipient":"+14155550123","recorded_at":"2025-06-01T13:31:00+00:00",'
        '"revocation_method":null,"scope":"caf\u00e9/app","sequence":1,"source":"web_form"}'
    ).encode("utf-8")
    assert canonical_bytes(event) == expected
    assert event_hash(event) == hashlib.sha256(expected).hexdigest()
