"""fix29k: a relative's opt-out with a lasting reason; wrong-number statements that the
reply itself doubts (said as a question, or beside "it's my business line")."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from smskit import (
    Confidence,
    ConsentKind,
    ConsentLedger,
    ConsentState,
    Evidence,
    MatchKind,
    MemoryStore,
    Purpose,
    classify_reply,
)

LEAD = "+12125550123"
T0 = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", [
    "dont text my wife she doesnt have the account",
    "don't text my wife, she doesn't have the account",
    "please stop texting my husband he is not on the account",
    "stop texting my mom she never signed up",
    "Don't text my son, he's not a customer",
    "don't text my wife now",  # "now" reads as from now on (rev28j kept it acted on)
])
def test_a_relatives_opt_out_with_a_lasting_reason_is_acted_on(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.kind is MatchKind.OPT_OUT
    assert match.confidence is Confidence.PHRASE, text
    assert match.rule == "stop_texting_kin"


@pytest.mark.parametrize("text", [
    "don't text my wife, she's asleep",  # for now only
    "don't text my wife, she is the account holder",  # no reason to stop
    "dont text my wife she doesnt have the account, text me instead",
])
def test_a_relatives_opt_out_without_a_lasting_reason_is_never_acted_on(text: str) -> None:
    match = classify_reply(text)
    assert match is None or not match.actionable, text


@pytest.mark.parametrize("text", [
    "Not my number?",
    "Wrong number?",
    "wrong number? I signed up last week",
    "Not my number? lol",  # not read across the question mark as one statement
    "wrong number? sorry",
    "¿No es mi número?",
    "not my number, it's my business line",
    "this isn't my number its my work cell",
    "This number isn't mine, it is my office line",
])
def test_a_doubted_wrong_number_statement_is_held_for_review(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.kind is MatchKind.OPT_OUT
    assert match.confidence is Confidence.FUZZY, text
    assert not match.actionable
    assert not match.wrong_number
    assert match.rule == "doubtful"


@pytest.mark.parametrize("text", [
    "Wrong number, who is this?",  # the question is who writes
    "new number who dis?",
    "Wrong number? Wrong number!",  # told once as a statement
    "Wrong number? Not my number.",
    "Not my number, it's my son's phone",  # someone else's
    "wrong number this is my work phone",  # fix28k: the wrong number of this person
])
def test_a_wrong_number_statement_not_doubted_stays_one(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.wrong_number, text
    assert match.actionable


def test_an_opt_out_beside_a_doubted_statement_is_still_acted_on() -> None:
    match = classify_reply("not my number? stop")
    assert match is not None
    assert match.actionable
    assert match.keyword == "stop"


def test_the_ledger_records_nothing_for_a_doubted_statement_and_asks_for_review() -> None:
    ledger = ConsentLedger(MemoryStore())
    ledger.grant(LEAD, scope="acme", purposes=[Purpose.MARKETING],
                 kind=ConsentKind.EXPRESS_WRITTEN, source="web_form", at=T0,
                 evidence=Evidence(consent_text="I agree to texts from Acme",
                                   form_url="https://acme.example/signup"))
    outcome = ledger.handle_reply(LEAD, "Not my number?", scope="acme", at=T0)
    assert outcome.needs_review
    assert outcome.event is None
    assert ledger.status(LEAD, "marketing", scope="acme", at=T0).state is ConsentState.GRANTED
