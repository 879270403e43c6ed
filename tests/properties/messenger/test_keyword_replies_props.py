"""Messenger(keyword_replies="provider") stays silent only where the provider answered.

Twilio's pages describe its default match as a reply of one of its words, case aside
(https://help.twilio.com/hc/en-us/articles/223134027). A reply the ledger wants
answered that the messenger leaves unanswered must be such a reply, or a STOP may get
no confirmation from anyone. The words below are typed from those pages, not read from
smskit.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from smskit.consent import ConsentLedger, MemoryStore
from smskit.consent.sender import Registration, SenderProfile
from smskit.messenger import MemoryMessageHistory, MemoryOutbox, Messenger
from smskit.policy import CompliancePipeline, default_policies
from smskit.providers import MemoryProvider
from smskit.testing import FixedClock

T0 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
ALICE, OURS = "+12125550123", "+12125550199"
TWILIO_LONG_CODE = {
    "STOP", "UNSUBSCRIBE", "END", "QUIT", "STOPALL", "REVOKE", "OPTOUT", "CANCEL",
    "START", "UNSTOP", "HELP", "INFO",
}
AROUND = st.lists(st.sampled_from(
    [" ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\u200b", "\ufeff", "\x1c", ".", "!",
     "\ufe0f", "\U0001f6d1"]
), max_size=3).map("".join)
LOOKALIKE = {"s": ["s", "S", "\u017f", "\uff33"], "k": ["k", "K", "\u212a"],
             "t": ["t", "T", "\uff54"], "i": ["i", "I", "\u0130", "\u0131"]}


@st.composite
def _replies(draw: st.DrawFn) -> str:
    word = draw(st.sampled_from(sorted(TWILIO_LONG_CODE | {"YES", "STOP ALL"})))
    letters = [draw(st.sampled_from(LOOKALIKE.get(c.lower(), [c.lower(), c.upper()])))
               for c in word]
    return draw(AROUND) + "".join(letters) + draw(AROUND)


@given(st.one_of(_replies(), st.text(max_size=12)))
def test_silent_only_on_one_of_the_providers_words(body: str) -> None:
    clock = FixedClock(T0)
    provider = MemoryProvider(clock=clock)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    ledger.grant(ALICE, scope="acme", purposes="informational", kind="express",
                 source="web_form", at=T0.replace(hour=9))
    history = MemoryMessageHistory()
    sender = SenderProfile(sender_id=OURS, registration=Registration.APPROVED,
                           consent_scope="acme", brand="Acme")
    messenger = Messenger(
        provider, CompliancePipeline(default_policies(store=ledger.store, history=history)),
        ledger, history, MemoryOutbox(), senders=[sender], keyword_replies="provider",
    )
    result = messenger.handle_inbound(
        "u", provider.inbound_params(ALICE, OURS, body), {}, T0
    )
    wanted = result.outcome is not None and result.outcome.reply is not None
    if wanted and result.reply is None:
        word = body.strip(" \t\r\n")
        assert word.isascii()
        assert word.upper() in TWILIO_LONG_CODE
