"""Messenger(keyword_replies="provider"): the provider answers the standard keywords.

Twilio's default handling on long codes answers STOP (and its other opt-out words),
START, UNSTOP, HELP and INFO itself, without posting OptOutType
(https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out.md,
https://help.twilio.com/hc/en-us/articles/223134027). With the setting, the messenger
records consent exactly as before and sends none of those answers; what the provider
does not answer (a phrase our classifier reads as an opt-out, a double opt-in's
confirmation, a YES, not verified as one of its words) is still answered by us.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from smskit.consent.sender import Registration, SenderProfile
from smskit.errors import ConfigurationError
from smskit.messenger import InboundResult, Messenger, SendOutcome
from smskit.routes import Route

from .conftest import ALICE, OURS, T0, Rig, build_rig, consent

M = timedelta(minutes=1)


def _provider_answers(rig: Rig) -> Messenger:
    return Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                     rig.outbox, senders=[rig.sender], keyword_replies="provider")


def _reply(messenger: Messenger, rig: Rig, body: str, at: object = T0) -> InboundResult:
    params = rig.provider.inbound_params(ALICE, OURS, body)
    return messenger.handle_inbound("u", params, {}, at)  # type: ignore[arg-type]


def _kinds(rig: Rig) -> list[str]:
    return [e.kind.value for e in rig.ledger.history(ALICE)]


def _nothing_sent(rig: Rig, result: InboundResult, until: object) -> None:
    assert result.reply is None
    assert rig.provider.messages == ()
    assert rig.outbox.get(f"reply:{result.message.message_id}") is None
    used = rig.messenger.usage(OURS, since=T0 - 60 * M, until=until)  # type: ignore[arg-type]
    assert used.messages_out == 0


@pytest.mark.parametrize("body", ["STOP", "stop", " Stop ", "CANCEL", "stopall", "OptOut"])
def test_an_opt_out_keyword_is_recorded_and_left_to_the_provider_to_confirm(
    body: str,
) -> None:
    rig = build_rig()
    consent(rig)
    result = _reply(_provider_answers(rig), rig, body)
    assert _kinds(rig) == ["granted", "revoked"]
    assert result.outcome is not None
    assert result.outcome.event is not None
    _nothing_sent(rig, result, T0 + M)
    used = rig.messenger.usage(OURS, since=T0 - 60 * M, until=T0 + M)
    assert used.messages_in == 1


@pytest.mark.parametrize("body", ["HELP", "info"])
def test_help_is_left_to_the_provider(body: str) -> None:
    rig = build_rig()
    consent(rig)
    result = _reply(_provider_answers(rig), rig, body)
    assert _kinds(rig) == ["granted"]
    _nothing_sent(rig, result, T0 + M)


@pytest.mark.parametrize("body", ["START", "unstop"])
def test_start_after_stop_regrants_and_is_left_to_the_provider(body: str) -> None:
    rig = build_rig()
    consent(rig)
    messenger = _provider_answers(rig)
    _reply(messenger, rig, "STOP")
    result = _reply(messenger, rig, body, T0 + M)
    assert _kinds(rig) == ["granted", "revoked", "regranted"]
    _nothing_sent(rig, result, T0 + 2 * M)


@pytest.mark.parametrize("body", ["please stop texting me", "STOP please", "Stop."])
def test_an_opt_out_the_provider_does_not_match_is_still_confirmed_by_us(body: str) -> None:
    # Twilio's default handling matches a whole one-word reply: it neither answered
    # nor blocked this one, so the FCC's one confirmation is ours to send.
    rig = build_rig()
    consent(rig)
    result = _reply(_provider_answers(rig), rig, body)
    assert _kinds(rig) == ["granted", "revoked"]
    assert result.reply is not None
    assert result.reply.outcome is SendOutcome.SENT
    [sent] = rig.provider.messages
    assert "unsubscribed" in sent.body


def _request(rig: Rig) -> None:
    rig.ledger.request(ALICE, scope="acme", purposes="informational", kind="express",
                       source="web_form", at=T0 - M)


@pytest.mark.parametrize("body", ["YES", "START"])
def test_a_double_opt_in_confirmation_is_still_ours_to_send(body: str) -> None:
    rig = build_rig()
    _request(rig)
    result = _reply(_provider_answers(rig), rig, body)
    assert _kinds(rig) == ["requested", "confirmed"]
    assert result.reply is not None
    assert result.reply.outcome is SendOutcome.SENT
    assert len(rig.provider.messages) == 1


def test_yes_after_stop_is_answered_by_us_as_it_is_no_verified_provider_keyword() -> None:
    rig = build_rig()
    consent(rig)
    messenger = _provider_answers(rig)
    _reply(messenger, rig, "STOP")
    result = _reply(messenger, rig, "Yes", T0 + M)
    assert _kinds(rig) == ["granted", "revoked", "regranted"]
    assert result.reply is not None
    assert result.reply.outcome is SendOutcome.SENT


def test_by_default_smskit_answers_help_and_start() -> None:
    rig = build_rig()
    consent(rig)
    _reply(rig.messenger, rig, "HELP")
    _reply(rig.messenger, rig, "STOP", T0 + M)
    _reply(rig.messenger, rig, "START", T0 + 2 * M)
    assert len(rig.provider.messages) == 3


def test_another_value_is_refused_with_the_two_it_takes() -> None:
    rig = build_rig()
    with pytest.raises(ConfigurationError, match=r"'smskit'.*'provider'") as raised:
        Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history, rig.outbox,
                  keyword_replies="twilio")  # type: ignore[arg-type]
    assert raised.value.field == "keyword_replies"


TOLL_FREE = "+18885550199"
FIXIT = SenderProfile(sender_id=TOLL_FREE, route=Route.TOLL_FREE,
                      registration=Registration.VERIFIED, consent_scope="fixit", brand="FixIt")


@pytest.mark.parametrize(("body", "answered_by_us"), [
    # The network answers STOP and START/UNSTOP on a toll-free number, Twilio HELP/INFO
    # (support.twilio.com article 360058144374); CANCEL there is not verified: ours.
    ("STOP", False), ("HELP", False), ("CANCEL", True),
])
def test_on_a_toll_free_number_only_the_words_answered_there_are_left_to_the_provider(
    body: str, answered_by_us: bool,
) -> None:
    rig = build_rig()
    rig.ledger.grant(ALICE, scope="fixit", purposes="informational", kind="express",
                     source="web_form", at=T0 - 60 * M)
    messenger = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                          rig.outbox, senders=[FIXIT], keyword_replies="provider")
    params = rig.provider.inbound_params(ALICE, TOLL_FREE, body)
    result = messenger.handle_inbound("u", params, {}, T0)
    assert (result.reply is not None) is answered_by_us
    assert len(rig.provider.messages) == int(answered_by_us)


@pytest.mark.parametrize("body", [
    "ſtop", "ﬆop",  # a long s, an "st" ligature: Python's casefold() makes them "stop"
    "REVO\u212aE",  # a Kelvin sign, which even str.lower() makes a "k"
    "\u00a0STOP", "STOP\u3000", "\u2003stop", "STOP\x1c",  # spaces str.strip() removes
])
def test_a_stop_the_provider_is_not_known_to_match_is_confirmed_by_us(body: str) -> None:
    # Twilio's pages describe a one-word reply, case aside, nothing of other scripts or
    # spaces: if it did not match this one, our confirmation is the only one the person
    # gets. A duplicate is the lesser harm.
    rig = build_rig()
    consent(rig)
    result = _reply(_provider_answers(rig), rig, body)
    assert _kinds(rig) == ["granted", "revoked"]  # the ledger reads it as a STOP
    assert result.reply is not None
    assert result.reply.outcome is SendOutcome.SENT


SHORT_CODE = "24680"
UK = "+447700900123"
ACME_SHORT = SenderProfile(sender_id=SHORT_CODE, route=Route.SHORT_CODE,
                           registration=Registration.NOT_REQUIRED, consent_scope="acme",
                           brand="Acme")
ACME_UK = SenderProfile(sender_id=UK, route=Route.INTERNATIONAL,
                        registration=Registration.NOT_REQUIRED, consent_scope="acme",
                        brand="Acme")


@pytest.mark.parametrize(("to", "body", "answered_by_us"), [
    # Twilio's default handling is described for long codes and toll-free numbers;
    # on a standalone short code it answers neither HELP nor STOP (support.twilio.com
    # article 223181748), a long code abroad is not on those pages: ours.
    (SHORT_CODE, "STOP", True), (SHORT_CODE, "HELP", True), (UK, "STOP", True),
    # A number missing from senders= (a Messaging Service's new pool number) is
    # known by its digits: toll-free takes the toll-free list, a short code answers.
    (TOLL_FREE, "CANCEL", True), (TOLL_FREE, "STOP", False), ("13579", "STOP", True),
    ("+12125550142", "STOP", False),
])
def test_the_words_left_to_the_provider_follow_the_number_that_got_the_reply(
    to: str, body: str, answered_by_us: bool,
) -> None:
    rig = build_rig()
    consent(rig)
    messenger = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                          rig.outbox, senders=[rig.sender, ACME_SHORT, ACME_UK],
                          keyword_replies="provider")
    result = messenger.handle_inbound(
        "u", rig.provider.inbound_params(ALICE, to, body), {}, T0
    )
    assert result.outcome is not None
    assert result.outcome.reply is not None  # the ledger asked for an answer
    assert (result.reply is not None) is answered_by_us


@pytest.mark.parametrize(("body", "provider_matched"), [("STOP", False), ("QUITFIX", True)])
def test_a_stop_to_a_toll_free_number_records_the_number_it_reached(
    body: str, provider_matched: bool,
) -> None:
    # The STOP is held by the toll-free number's network until START/UNSTOP reaches it
    # (support.twilio.com article 360058144374): the ledger must know which number got it,
    # through handle_reply or, for a keyword only the provider matched, revoke_once.
    rig = build_rig()
    messenger = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                          rig.outbox, senders=[FIXIT])
    params = rig.provider.inbound_params(ALICE, TOLL_FREE, body)
    if provider_matched:
        params["OptOutType"] = "STOP"
    messenger.handle_inbound("u", params, {}, T0)
    [event] = rig.ledger.history(ALICE)
    assert event.kind.value == "revoked"
    assert event.received_by == TOLL_FREE


def test_a_21610_from_a_toll_free_number_is_held_for_that_number() -> None:
    # 21610: the recipient's STOP to this sender stands (twilio.com/docs/api/errors/21610);
    # on a toll-free number its network holds it until START or UNSTOP reaches that
    # number (support.twilio.com article 360058144374). Recorded without the number, a
    # START to a long code in the scope let the engine send from the toll-free number
    # again, to be refused with 21610 once more.
    from smskit.policy import SendRequest
    from smskit.providers import MessageStatus

    rig = build_rig()
    local = SenderProfile(sender_id=OURS, registration=Registration.APPROVED,
                          consent_scope="fixit", brand="FixIt")
    messenger = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                          rig.outbox, senders=[FIXIT, local])
    rig.ledger.grant(ALICE, scope="fixit", purposes="informational", kind="express",
                     source="web_form", at=T0 - 60 * M)

    def send(key: str, sender: SenderProfile, at: object) -> SendOutcome:
        request = SendRequest(recipient=ALICE, body="FixIt: your repair is booked",
                              purpose="informational", idempotency_key=key)
        return messenger.send(request, sender, at).outcome  # type: ignore[arg-type]

    sent = messenger.send(SendRequest(recipient=ALICE, body="FixIt: your repair is booked",
                                      purpose="informational", idempotency_key="k1"),
                          FIXIT, T0)
    assert sent.receipt is not None
    params = rig.provider.status_params(sent.receipt.message_id, MessageStatus.UNDELIVERED,
                                        error_code=21610)
    assert messenger.handle_status("u", params, {}, T0 + M).opted_out
    assert rig.ledger.history(ALICE)[-1].received_by == TOLL_FREE
    messenger.handle_inbound("u", rig.provider.inbound_params(ALICE, OURS, "START"), {},
                             T0 + 2 * M)
    assert send("k2", local, T0 + 3 * M) is SendOutcome.SENT
    assert send("k3", FIXIT, T0 + 3 * M) is SendOutcome.BLOCKED
    messenger.handle_inbound("u", rig.provider.inbound_params(ALICE, TOLL_FREE, "UNSTOP"), {},
                             T0 + 4 * M)
    assert send("k4", FIXIT, T0 + 5 * M) is SendOutcome.SENT
