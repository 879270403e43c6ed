"""Reply texts and rules come from the profile given in ``Messenger(senders=...)``.

docs/messenger.md: "HELP gets the help text ... The texts are the SenderProfile's."
The profile passed to the messenger was used for sending, but the ledger answered
replies with its own default profile: a custom HELP text was never sent, and a
toll-free profile's rule (YES never re-grants there) was not applied.
"""

from __future__ import annotations

from dataclasses import replace

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    MemoryMessageHistory,
    MemoryOutbox,
    MemoryProvider,
    MemoryStore,
    Messenger,
    Registration,
    Route,
    SenderProfile,
    default_policies,
)
from smskit.consent import EventKind
from smskit.testing import FixedClock

from .conftest import ALICE, T0

TOLL_FREE = "+18885550199"
HELP = "FixIt Home Services: help at 1-800-555-0100. Reply STOP to end."


def _rig(profile: SenderProfile, ledger_senders: dict[str, SenderProfile] | None = None
         ) -> tuple[Messenger, MemoryProvider, ConsentLedger]:
    clock = FixedClock(T0)
    provider = MemoryProvider(clock=clock)
    ledger = ConsentLedger(MemoryStore(), clock=clock, senders=ledger_senders)
    history = MemoryMessageHistory()
    pipeline = CompliancePipeline(default_policies(store=ledger.store, history=history),
                                  history=history)
    messenger = Messenger(provider, pipeline, ledger, history, MemoryOutbox(),
                          senders=[profile])
    return messenger, provider, ledger


FIXIT = SenderProfile(sender_id=TOLL_FREE, route=Route.TOLL_FREE,
                      registration=Registration.VERIFIED, consent_scope="fixit",
                      brand="FixIt", help_reply=HELP)


def test_help_is_answered_with_the_messenger_profile_text() -> None:
    messenger, provider, _ = _rig(FIXIT)
    done = messenger.handle_inbound(
        "https://x/sms", provider.inbound_params(ALICE, TOLL_FREE, "HELP"), {}, T0)
    assert done.outcome is not None
    assert done.outcome.reply is not None
    assert done.outcome.reply.text == HELP
    assert [m.body for m in provider.messages] == [HELP]


def test_the_profile_route_applies_yes_does_not_re_grant_on_toll_free() -> None:
    messenger, provider, ledger = _rig(FIXIT)
    messenger.handle_inbound(
        "https://x/sms", provider.inbound_params(ALICE, TOLL_FREE, "STOP"), {}, T0)
    done = messenger.handle_inbound(
        "https://x/sms", provider.inbound_params(ALICE, TOLL_FREE, "YES"), {}, T0)
    assert done.outcome is not None
    assert done.outcome.event is None
    # Nothing re-granted; the YES is noted, so its redelivery is known as handled.
    assert [e.kind for e in ledger.store.events(ALICE)] == [EventKind.REVOKED, EventKind.NOTED]


def test_a_profile_configured_on_the_ledger_for_the_scope_still_wins() -> None:
    own = SenderProfile(help_reply="Ledger's own help text. Reply STOP to end.")
    messenger, provider, _ = _rig(replace(FIXIT), {"fixit": own})
    done = messenger.handle_inbound(
        "https://x/sms", provider.inbound_params(ALICE, TOLL_FREE, "HELP"), {}, T0)
    assert done.outcome is not None
    assert done.outcome.reply is not None
    assert done.outcome.reply.text == own.help_reply
