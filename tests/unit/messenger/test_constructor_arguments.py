"""``Messenger(...)`` arguments a new user gets wrong (user31).

``senders=profile`` (one profile, not a list) raised ``TypeError: 'SenderProfile' object
is not iterable``, and ``senders=["+1..."]`` an ``AttributeError``; a relative
``status_callback`` ("/sms/status") was accepted, and Twilio refuses every message
created with it (error 21609), STOP confirmations included.
"""

from __future__ import annotations

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger import MemoryOutbox, Messenger

from .conftest import OURS, build_rig


def _messenger(**options: object) -> Messenger:
    rig = build_rig()
    return Messenger(
        rig.provider, rig.messenger.pipeline, rig.ledger, rig.history, MemoryOutbox(),
        **options,  # type: ignore[arg-type]
    )


def test_one_profile_for_senders_says_to_give_a_list() -> None:
    rig = build_rig()
    with pytest.raises(ConfigurationError, match=r"senders=\[profile\]") as caught:
        _messenger(senders=rig.sender)
    assert caught.value.field == "senders"


@pytest.mark.parametrize("given", [[OURS], ["acme"], [None]])
def test_a_sender_that_is_no_profile_is_named(given: list[object]) -> None:
    with pytest.raises(ConfigurationError, match="SenderProfile") as caught:
        _messenger(senders=given)
    assert caught.value.field == "senders"
    assert OURS not in str(caught.value)  # never a number in full


@pytest.mark.parametrize("url", [
    "/sms/status", "sms.example.com/sms/status", "ftp://sms.example.com/status",
    "https:///sms/status", "", 42, "http://[::1/status",
])
def test_a_status_callback_twilio_would_refuse_is_a_configuration_error(url: object) -> None:
    with pytest.raises(ConfigurationError, match="http") as caught:
        _messenger(status_callback=url)
    assert caught.value.field == "status_callback"


@pytest.mark.parametrize("url", [
    None, "https://sms.example.com/sms/status", "http://127.0.0.1:8000/sms/status?x=1",
])
def test_a_full_status_callback_url_is_accepted(url: str | None) -> None:
    _messenger(status_callback=url)


def test_stores_given_in_the_wrong_places_are_named() -> None:
    # The history given as the ledger built a messenger whose every webhook raised
    # AttributeError ('ConsentLedger' object has no attribute 'processed').
    rig = build_rig()
    pipeline = rig.messenger.pipeline
    cases = [
        ((rig.history, rig.ledger, MemoryOutbox()), "ledger"),
        ((rig.ledger, MemoryOutbox(), rig.history), "history"),
        ((rig.ledger, rig.history, rig.history), "outbox"),
    ]
    for (ledger, history, outbox), field in cases:
        with pytest.raises(ConfigurationError, match="the order is Messenger") as caught:
            Messenger(rig.provider, pipeline, ledger, history, outbox)  # type: ignore[arg-type]
        assert caught.value.field == field
