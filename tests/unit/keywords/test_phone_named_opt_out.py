"""An opt-out phrase beside the phone number it names is still an opt-out (fix26p).

"remove me 4155550123" and "Arrêtez de m'envoyer des SMS 0612345678" came back as no
match: only "STOP <number>" and "stop texting <number>" took a number, and only a
NANP one. People on a shared or work phone name the number to stop, in their own
country's format. Opt-ins stay strict: a number beside "start" is never a re-subscribe.
Also: "remove the wrong number" is a customer fixing the numbers on file, not an opt-out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smskit import MatchKind, classify_reply

DATA = Path(__file__).parents[2] / "data" / "replies.jsonl"
ROWS = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]

# Written by hand in the formats people type (E.164, NANP, French, Spanish).
PHONES = [
    "4155550123", "+14155550123", "415-555-0123", "(415) 555-0123", "415.555.0123",
    "415 555 0123", "1-415-555-0123", "+1 (415) 555-0123",
    "0612345678", "06 12 34 56 78", "06.12.34.56.78", "+33 6 12 34 56 78", "+33612345678",
    "612345678", "612 345 678", "+34 612 345 678", "+34612345678",
]  # fmt: skip


def _acted_opt_out(text: str) -> bool:
    match = classify_reply(text)
    return match is not None and match.kind is MatchKind.OPT_OUT and match.actionable


@pytest.mark.parametrize(
    ("reply", "rule"),
    [
        ("remove me 4155550123", "unsubscribe_me"),
        ("no more texts please 4155550123", "no_more"),
        ("Arrêtez de m'envoyer des SMS 0612345678", "fr_arretez"),
        ("No quiero recibir mensajes 612345678", "es_no_mas"),
        ("No quiero recibir mensajes 612 345 678.", "es_no_mas"),
        ("(415) 555-0123 remove me", "unsubscribe_me"),
        ("415.555.0123: no more texts", "no_more"),
        ("Unsubscribe +33 6 12 34 56 78", "keyword+number"),
        ("Stop please +34 612 345 678", "keyword+number"),
    ],
)
def test_opt_out_phrase_beside_a_phone_is_an_opt_out(reply: str, rule: str) -> None:
    match = classify_reply(reply)
    assert match is not None
    assert (match.kind, match.rule, match.actionable) == (MatchKind.OPT_OUT, rule, True)
    assert "0123" not in repr(match)
    assert "345678" not in repr(match)


@pytest.mark.parametrize(
    "reply",
    [
        "Cancel 4155550123",  # may cancel a booking: CANCEL is a whole-reply keyword
        "Stop by at 3 4155550123",
        "start texting me 4155550123",
        "Yes 06 12 34 56 78",
        "Wrong number 4155550123",  # may be giving the right number: left alone
    ],
)
def test_near_misses_beside_a_phone_stay_no_opt_out(reply: str) -> None:
    assert not _acted_opt_out(reply)


@pytest.mark.parametrize("reply", ["start texting me 4155550123", "Unstop 612 345 678",
                                   "4155550123 resubscribe me"])
def test_a_phone_never_makes_an_opt_in(reply: str) -> None:
    match = classify_reply(reply)
    assert match is None or match.kind is not MatchKind.OPT_IN


# Labelled opt-out phrases (not keywords: "Cancel" may be an appointment's, and a
# wrong-number statement beside a number may give the right one), naming no number yet.
_PHRASES = [
    r["text"] for r in ROWS
    if r["kind"] == "opt_out" and r["confidence"] == "phrase"
    and not any(c.isdigit() for c in r["text"])
    and (m := classify_reply(r["text"])) is not None and m.actionable and not m.wrong_number
    and m.rule not in ("keyword+courtesy", "keyword+wrong_number")
]
_NEAR_MISSES = [r["text"] for r in ROWS if r["kind"] is None]


def test_the_property_samples_are_not_empty() -> None:
    assert len(_PHRASES) >= 40
    assert len(_NEAR_MISSES) >= 30


@settings(max_examples=400)
@given(st.sampled_from(_PHRASES), st.sampled_from(PHONES), st.booleans(),
       st.sampled_from([" ", ", ", " - "]))
def test_any_labelled_opt_out_phrase_with_a_phone_is_an_opt_out(
    phrase: str, phone: str, before: bool, sep: str
) -> None:
    reply = f"{phone}{sep}{phrase}" if before else f"{phrase}{sep}{phone}"
    assert _acted_opt_out(reply), reply


@settings(max_examples=400)
@given(st.sampled_from(_NEAR_MISSES), st.sampled_from(PHONES), st.booleans())
def test_a_phone_beside_a_near_miss_makes_no_opt_out(
    text: str, phone: str, before: bool
) -> None:
    reply = f"{phone} {text}" if before else f"{text} {phone}"
    assert not _acted_opt_out(reply), reply


@pytest.mark.parametrize(
    "reply",
    ["remove the wrong number", "cancel the wrong number", "Please cancel the wrong number",
     "cancel the wrong number please", "Remove a wrong number"],
)
def test_removing_the_wrong_number_on_file_is_no_opt_out(reply: str) -> None:
    assert not _acted_opt_out(reply)


@pytest.mark.parametrize(
    "reply", ["Wrong number CANCEL", "Cancel. Wrong number", "Wrong number, cancel",
              "cancel wrong number", "stop the wrong number"],
)
def test_wrong_number_beside_an_opt_out_keyword_still_opts_out(reply: str) -> None:
    assert _acted_opt_out(reply)
