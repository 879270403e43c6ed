"""A STOP texted to one of our numbers that is not in ``senders=`` (a call centre hands
agents new numbers every week) was recorded in the scope "default", which covers no
sender's scope: the next marketing text from a listed agent went out a minute later.
Without ``scope=``, such replies are now recorded in the narrowest scope covering every
listed sender's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    MemoryMessageHistory,
    MemoryOutbox,
    MemoryProvider,
    MemoryStore,
    Messenger,
    Registration,
    SenderProfile,
    SendRequest,
    default_policies,
)
from smskit.testing import FixedClock

AT = datetime(2026, 12, 8, 16, 0, tzinfo=UTC)  # 11:00 in Chicago, a Tuesday
LEAD = "+13125550123"
UNLISTED = "+12125550142"  # a new agent's number, not in senders=


def _profile(number: str, scope: str) -> SenderProfile:
    return SenderProfile(sender_id=number, registration=Registration.APPROVED,
                         consent_scope=scope, brand="Acme Mortgage")


def _stop_then_send(senders: list[SenderProfile], **options: str) -> tuple[str, str]:
    ledger = ConsentLedger(MemoryStore())
    history = MemoryMessageHistory()
    pipeline = CompliancePipeline(default_policies(store=ledger.store, history=history),
                                  history=history)
    provider = MemoryProvider(clock=FixedClock(AT))
    messenger = Messenger(provider, pipeline, ledger, history, MemoryOutbox(),
                          senders=senders, **options)  # type: ignore[arg-type]
    ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                 source="partner", at=AT - timedelta(days=1),
                 evidence=Evidence(consent_text="I agree to texts from Acme Mortgage",
                                   reference="lead-778"))
    stop = messenger.handle_inbound(
        "https://crm.example/sms", provider.inbound_params(LEAD, UNLISTED, "STOP"), {}, AT)
    assert stop.outcome.event is not None
    offer = SendRequest(LEAD, body="Acme Mortgage: rates from 6%. Reply STOP to opt out",
                        purpose="marketing", idempotency_key="offer-1")
    sent = messenger.send(offer, senders[0], AT + timedelta(minutes=1))
    return str(stop.outcome.event.scope), sent.outcome.value


@pytest.mark.parametrize(
    ("scopes", "recorded"),
    [(["acme"], "acme"), (["acme/east", "acme/west"], "acme"),
     (["acme/east/desk-1", "acme/east/desk-2"], "acme/east")],
)
def test_a_stop_to_an_unlisted_number_blocks_every_listed_sender(
    scopes: list[str], recorded: str
) -> None:
    # The lead's consent, at "acme", covers every scope below it.
    senders = [_profile(f"+1212555{100 + i:04d}", s) for i, s in enumerate(scopes)]
    scope, outcome = _stop_then_send(senders)
    assert scope == recorded
    assert outcome == "blocked"


def test_an_explicit_scope_still_wins() -> None:
    scope, outcome = _stop_then_send([_profile("+12125550100", "acme")], scope="acme/unlisted")
    assert scope == "acme/unlisted"
    assert outcome == "sent"  # what the caller asked for: "acme/unlisted" covers no sender


def test_senders_with_no_common_scope_keep_the_default() -> None:
    scope, _ = _stop_then_send([_profile("+12125550100", "acme"),
                                _profile("+12125550101", "beta")])
    assert scope == "default"


def test_a_profile_without_a_number_counts_in_the_common_scope() -> None:
    # A messaging service's profile has no sender_id: every reply to it comes to one of
    # the pool's numbers, none listed. Leaving it out made the common scope the numbered
    # profile's "acme/east", so a STOP to the pool blocked nothing the pool sends.
    pool = SenderProfile(registration=Registration.APPROVED, consent_scope="acme/pool",
                         brand="Acme Mortgage")
    messenger = Messenger(MemoryProvider(clock=FixedClock(AT)), CompliancePipeline(()),
                          ConsentLedger(MemoryStore()), MemoryMessageHistory(), MemoryOutbox(),
                          senders=[_profile("+12125550100", "acme/east"), pool])
    assert messenger.scope_for(UNLISTED) == "acme"
    assert messenger.scope_for("+12125550100") == "acme/east"
