"""``usage`` and ``health`` given the sending number as a manager writes it, or a window
given the wrong way.

A per-agent cost report called ``usage("+1 (212) 555-0199", ...)`` (the number as the
dialer shows it) and got 0 messages and a cost of 0: the history records E.164, so the
text matched nothing and the agent's month looked free. ``"212-555-0199"`` likewise.
A naive ``since`` raised ``TypeError`` from inside the loop, and ``since`` after
``until`` (arguments swapped) answered zero usage instead of saying so.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger import sender_health, usage
from smskit.policy import SendRequest
from smskit.pricing import RateCard

from .conftest import T0, Rig, consent

CARD = RateCard.from_dict({
    "currency": "USD",
    "countries": {"US": {"10dlc": {"sms_per_segment": "0.0079",
                                   "sms_carrier_fee_per_segment": "0.0030"}}},
})
DAY = timedelta(days=1)


def _sent_one(rig: Rig) -> None:
    consent(rig)
    request = SendRequest(
        "+12125550123", body="Acme: rates dropped. Reply STOP to opt out", idempotency_key="k1"
    )
    assert rig.messenger.send(request, rig.sender, T0).outcome.value == "sent"


@pytest.mark.parametrize("written", ["+1 (212) 555-0199", "+1 212-555-0199", "+1.212.555.0199"])
def test_a_number_written_with_its_country_code_is_read_as_e164(rig: Rig, written: str) -> None:
    _sent_one(rig)
    used = rig.messenger.usage(written, since=T0 - DAY, until=T0, rates=CARD)
    assert (used.messages_out, used.segments_out) == (1, 1)
    assert used.cost == Decimal("0.0109")  # 0.0079 + 0.0030, one segment
    assert used.sender == "+12125550199"
    assert rig.messenger.health(written, T0 + timedelta(minutes=1)).sent == 1


@pytest.mark.parametrize("written", ["(212) 555-0199", "212-555-0199", "2125550199"])
def test_a_national_number_is_refused_not_read_as_unused(rig: Rig, written: str) -> None:
    _sent_one(rig)
    with pytest.raises(ConfigurationError) as caught:
        rig.messenger.usage(written, since=T0 - DAY, until=T0, rates=CARD)
    assert caught.value.field == "sender"
    assert "E.164" in str(caught.value)
    assert "555-0199" not in str(caught.value)
    assert "5550199" not in str(caught.value)
    with pytest.raises(ConfigurationError):
        sender_health(rig.history, written, T0)


def test_short_codes_and_named_senders_are_matched_as_given(rig: Rig) -> None:
    for sender in ("12345", "Acme", "MG0123456789abcdef0123456789abcdef"):
        assert usage(rig.history, sender, since=T0 - DAY, until=T0).messages_out == 0


def test_a_naive_window_is_a_configuration_error(rig: Rig) -> None:
    _sent_one(rig)
    naive = datetime(2026, 11, 20)
    with pytest.raises(ConfigurationError) as caught:
        rig.messenger.usage(rig.sender, since=naive, until=T0)
    assert caught.value.field == "since"
    with pytest.raises(ConfigurationError) as caught:
        rig.messenger.usage(rig.sender, since=T0 - DAY, until="2026-11-21")  # type: ignore[arg-type]
    assert caught.value.field == "until"


def test_a_window_given_backwards_is_refused(rig: Rig) -> None:
    _sent_one(rig)
    with pytest.raises(ConfigurationError) as caught:
        rig.messenger.usage(rig.sender, since=T0, until=T0 - DAY)
    assert caught.value.field == "until"
    assert "before" in str(caught.value)


# fix26o: a number with its extension, as a desk phone's contact card writes it, passed
# through unchanged and matched no record: usage 0, health clean.
@pytest.mark.parametrize(
    "written",
    [
        "+1 (212) 555-0199 ext 5",
        "+1 (212) 555-0199 ext. 5",
        "+1 212 555 0199 extension 12",
        "+12125550199 x5",
        "+12125550199 X 5",
        "+1 212 555 0199;ext=5",
        "+1 212 555 0199 #5",
        "+12125550199,5",
        "(212) 555-0199 ext 5",
        "whatsapp:+1 212 555 0199 ext 5",
    ],
)
def test_a_number_with_an_extension_is_refused_saying_what_to_pass(
    rig: Rig, written: str
) -> None:
    _sent_one(rig)
    for call in (
        lambda: rig.messenger.usage(written, since=T0 - DAY, until=T0, rates=CARD),
        lambda: rig.messenger.health(written, T0),
        lambda: sender_health(rig.history, written, T0),
    ):
        with pytest.raises(ConfigurationError) as caught:
            call()
        message = str(caught.value)
        assert caught.value.field == "sender"
        assert "extension" in message
        assert "E.164" in message
        assert "SenderProfile" in message
        assert "555-0199" not in message
        assert "5550199" not in message
        assert "555 0199" not in message
