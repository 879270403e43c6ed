"""``ConsentLedger(senders=...)`` takes a mapping of scope to profile; ``Messenger``
takes a list. The list, given to the ledger, raised ``AttributeError: 'list' object
has no attribute 'items'`` (found by user24)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from smskit.consent import ConsentLedger, MemoryStore
from smskit.consent.sender import SenderProfile
from smskit.errors import ConfigurationError

ACME = SenderProfile(brand="Acme", consent_scope="acme")


def test_a_list_of_profiles_is_refused_with_the_mapping_to_write() -> None:
    with pytest.raises(ConfigurationError, match=r"\{p\.consent_scope: p for p in profiles\}"):
        ConsentLedger(MemoryStore(), senders=[ACME])  # type: ignore[arg-type]


def test_a_value_that_is_not_a_profile_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="scope 'acme' must be a SenderProfile"):
        ConsentLedger(MemoryStore(), senders={"acme": "Acme"})  # type: ignore[dict-item]


def test_a_mapping_of_scope_to_profile_is_used_for_replies() -> None:
    ledger = ConsentLedger(MemoryStore(), senders={"acme": ACME})
    reply = ledger.handle_reply("+12025550143", "HELP", scope="acme",
                                at=datetime(2026, 12, 5, 15, tzinfo=UTC))
    assert reply.reply is not None
    assert reply.reply.text.startswith("Acme")


def test_a_mapping_keyed_by_sending_number_is_refused_without_the_number() -> None:
    # Review rev24d: {p.sender_id: p} was taken as a scope named after the number, so
    # replies in scope "acme" got the default profile (a HELP answer naming no brand);
    # with a value that was not a profile, the error quoted the number in full.
    profile = SenderProfile(brand="Acme", consent_scope="acme", sender_id="+12125550199")
    for senders in ({"+12125550199": profile}, {"+12125550199": "Acme"}):
        with pytest.raises(ConfigurationError, match=r"\+1\*{8}99") as raised:
            ConsentLedger(MemoryStore(), senders=senders)  # type: ignore[dict-item]
        assert "5550199" not in str(raised.value)
        assert "consent scope" in str(raised.value)
