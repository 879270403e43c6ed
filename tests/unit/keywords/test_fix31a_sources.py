"""Fix fix31a: each provider's documented opt-out list is carried, with its source.

The lists below are copied from the providers' pages (compliance reference 1a, all V):
a word in a provider's default list names that provider's page among its sources, and
is an exact opt-out. Opt-out words are one set for every provider (the FCC asks any
reasonable request be honoured, docs/keywords.md): no word is scoped to one provider.
"""

from __future__ import annotations

import pytest

from smskit.keywords import MatchKind, classify_reply

AWS = "https://docs.aws.amazon.com/sms-voice/latest/userguide/keywords-required.html"
VONAGE = "https://developer.vonage.com/en/opt-out-assist/guides/key-word-setup"
BRAZE = "https://braze.com/docs/user_guide/message_building_by_channel/sms/keywords/optin_optout"

LISTS = {
    # AWS End User Messaging, US/CA: "ARRET, CANCEL, END, OPT-OUT, OPTOUT, QUIT, REMOVE,
    # STOP, TD, UNSUBSCRIBE".
    AWS: ["ARRET", "CANCEL", "END", "OPT-OUT", "OPTOUT", "QUIT", "REMOVE", "STOP", "TD",
          "UNSUBSCRIBE"],
    # Vonage short codes: "STOP, END, QUIT, CANCEL, UNSUBSCRIBE".
    VONAGE: ["STOP", "END", "QUIT", "CANCEL", "UNSUBSCRIBE"],
    # Braze: "STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT".
    BRAZE: ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"],
}


@pytest.mark.parametrize(
    ("source", "word"), [(s, w) for s, words in LISTS.items() for w in words]
)
def test_a_providers_opt_out_word_is_exact_and_cites_it(source: str, word: str) -> None:
    match = classify_reply(word)
    assert match is not None
    assert match.kind is MatchKind.OPT_OUT
    assert match.actionable
    assert source in match.sources


def test_help_cites_aws_which_requires_it() -> None:
    # AWS: HELP is a required keyword (reference 1a, V).
    match = classify_reply("HELP")
    assert match is not None
    assert match.kind is MatchKind.HELP
    assert AWS in match.sources


@pytest.mark.parametrize("reply", ["No", "NO", "Subscribe", "Resume", "Begin", "Continue"])
def test_a_connectors_words_are_not_made_universal(reply: str) -> None:
    # Adobe's Sinch connector (not a provider smskit sends through) treats NO as an
    # opt-out and SUBSCRIBE, RESUME, BEGIN, CONTINUE as opt-ins: a bare "No" answers a
    # question, and an opt-in re-starts texts to someone who said stop. Not defaults.
    assert classify_reply(reply) is None
