"""Review of fix26p (rev26k): two numbers beside an opt-out, and the scan's time.

"STOP 2125550123 4155550123" (a person naming both the numbers to stop) came back as
no match: the two numbers are one run of digits and spaces, 20 digits, too many for
one phone, so neither was removed. Stripping many end numbers also copied the rest of
the reply once per number (quadratic in the reply's length).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smskit import MatchKind, classify_reply

sys.path.insert(0, str(Path(__file__).parents[2]))
from linear import assert_linear


def _acted_opt_out(text: str) -> bool:
    match = classify_reply(text)
    return match is not None and match.kind is MatchKind.OPT_OUT and match.actionable


@pytest.mark.parametrize(
    "reply",
    [
        "STOP 2125550123 4155550123",
        "2125550123 4155550123 STOP",
        "stop texting me 415-555-0123 212-555-0123",
        "remove me (415) 555-0123 06 12 34 56 78",
        "unsubscribe +33 6 12 34 56 78 612 345 678",
    ],
)
def test_an_opt_out_beside_two_numbers_is_that_opt_out(reply: str) -> None:
    assert _acted_opt_out(reply)


@pytest.mark.parametrize(
    "reply",
    [
        "cancel 2125550123 4155550123",  # may cancel a booking
        "don't stop texting me 2125550123 4155550123",
        "start 2125550123 4155550123",
        "wrong number 2125550123 4155550123",
    ],
)
def test_two_numbers_do_not_make_a_non_opt_out_one(reply: str) -> None:
    assert not _acted_opt_out(reply)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 ().+-!?\n\t,;:٣４x", max_size=300))
def test_runs_of_digits_and_punctuation_never_crash(tail: str) -> None:
    for text in (f"remove me {tail}", f"{tail} stop", tail):
        match = classify_reply(text)
        assert match is None or match.kind in MatchKind


@pytest.mark.parametrize(
    "make",
    [  # reply shapes by length: nothing in them opts out, so every end number is tried
        lambda n: "hello there " + "4155550123! " * (n // 12),
        lambda n: "4155550123? " * (n // 24) + "hello " + "4155550123! " * (n // 24),
        lambda n: "hello there " + "( " * (n // 2) + "4155550123",
        lambda n: "hello " + "1 " * (n // 2),
    ],
)
def test_end_number_scan_grows_linearly(make: Callable[[int], str]) -> None:
    # 400k characters: below a few hundred kB, CPU caches make the ratio noisy.
    from smskit.keywords.classify import _without_end_phones

    def sized(n: int) -> Callable[[], object]:
        text = make(n)
        return lambda: _without_end_phones(text)

    assert_linear(sized, 400_000)


@pytest.mark.parametrize(
    "reply",
    [
        "hello " + "4155550123! " * 2000,
        "4155550123 " * 2000 + "remove me",
        "remove me " + "4155550123 " * 2000,
    ],
)
def test_a_reply_of_many_numbers_is_no_request_and_no_recursion(reply: str) -> None:
    # More than a few numbers at an end is a list, not a request about them; removing
    # them a few at a time through classify_reply recursed once per few numbers.
    assert classify_reply(reply) is None


def test_four_numbers_beside_an_opt_out_are_still_removed() -> None:
    assert _acted_opt_out("remove me " + "4155550123 " * 4)
    assert not _acted_opt_out("remove me " + "4155550123 " * 5)
