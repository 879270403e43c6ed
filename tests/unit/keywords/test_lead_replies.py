"""Opt-outs a dialer's leads send that were read as ordinary replies (user27).

A lead who names the number ("STOP texting 2125550123", as people do on a shared or
work phone) or adds a threat ("Stop texting me or I will report you") plainly revokes
consent, which the FCC's 2024 order lets them do "by any reasonable means"; both were
classified ``None`` and the next campaign would have texted them again.
"""

from __future__ import annotations

import pytest

from smskit import Confidence, MatchKind, classify_reply


@pytest.mark.parametrize(
    "reply",
    [
        "STOP texting 2125550123",
        "Stop texting (212) 555-0123",
        "stop texting this number 212.555.0123",
        "Stop messaging +1 212-555-0123 please",
        "Stop texting me or I will report you",
        "stop texting me or else",
        "Stop calling and texting me or I'll report you to the FCC",
        "Stop sending me these messages or I'm going to block you",
    ],
)
def test_an_opt_out_naming_the_number_or_with_a_threat_is_recognised(reply: str) -> None:
    match = classify_reply(reply)
    assert match is not None
    assert match.kind is MatchKind.OPT_OUT
    assert match.confidence is Confidence.PHRASE
    assert match.actionable


@pytest.mark.parametrize(
    "reply",
    [
        "Don't stop texting me or I will miss the reminder",
        "I can't stop by 2125550123 today",
        "Stop by 2125550123 or call me",
        "Text me at 2125550123 instead",
        "never stop texting me",
    ],
)
def test_near_misses_stay_ordinary_replies(reply: str) -> None:
    match = classify_reply(reply)
    assert match is None or match.kind is not MatchKind.OPT_OUT


def test_a_match_naming_the_number_does_not_print_it() -> None:
    match = classify_reply("STOP texting +1 (212) 555-0123")
    assert match is not None
    assert "555" not in repr(match)
    assert "1********23" in repr(match)  # 12125550123: first digit, 8 hidden, last two
    assert match.keyword == "stop texting 1 212 555 0123"  # the attribute as matched


def test_the_cli_masks_the_number_in_the_clause(capsys: pytest.CaptureFixture[str]) -> None:
    from smskit.cli import main

    assert main(["classify", "stop texting me about 2125550123"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("opt_out (phrase):")
    assert "2125550123" not in out
    assert "555" not in out


@pytest.mark.parametrize(
    "reply", ["STOP 2125550123", "stop (212) 555-0123", "Unsubscribe +1 212 555 0123 please"]
)
def test_a_stop_word_then_the_phone_is_an_opt_out(reply: str) -> None:
    match = classify_reply(reply)
    assert match is not None
    assert match.kind is MatchKind.OPT_OUT
    assert match.confidence is Confidence.PHRASE
    assert match.rule == "keyword+number"


@pytest.mark.parametrize("reply", ["Cancel 2125550123", "End 2125550123", "stop 212"])
def test_words_that_are_opt_outs_only_alone_stay_so_before_a_number(reply: str) -> None:
    # CANCEL and END count only as the whole reply (an appointment is cancelled too).
    assert classify_reply(reply) is None
