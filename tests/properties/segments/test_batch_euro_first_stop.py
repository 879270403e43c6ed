"""perf23n: where the Latin-1 encoding of a group stops first at an euro sign,
``screen`` makes every euro sign "|" and encodes again without "ignore", so it stops
at the next character beyond Latin-1 (a name, Greek, a lone surrogate) instead of
encoding the rest. Either way the group goes on as before: all Latin-1 then, or
``wide_counts`` with the euro signs made "|". Held to the readable reference
(``tests/_reference.py``)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import _reference as ref
from batch_checks import (
    LONE_SURROGATES,
    assert_count_many,
    assert_lone_surrogate_named,
    assert_screened,
    words_near_bounds,
)
from smskit import EncodingError, count_many
from smskit.segments import _batch as batch

PRICE = "€5 off today"  # first in every group: the encoding stops at it

# Each group's last text is the one it is about, at a bound where another route's
# slip would change its count.
CASES = {
    "nothing else beyond Latin-1": [PRICE, "x" * 158 + "€"],  # 160 septets: 1 part
    "a Latin-1 letter beyond GSM-7": [PRICE, "ó" + "x" * 70],  # 71 units: 2 parts
    "GSM-7 Latin-1 letters": [PRICE, "üÇß" + "x" * 156 + "€"],  # 161 septets: 2 parts
    "a name beyond Latin-1": [PRICE, "Иван " + "x" * 129],  # 134 units: 2 parts
    "a name at 135 units": [PRICE, "Ayşe " + "x" * 130],  # 3 parts
    "a name at 70 units": [PRICE, "王芳" + "x" * 68],  # 1 part
    "Greek capitals, GSM-7": [PRICE, "ΣΩ" * 79 + "€"],  # 160 septets: 1 part (UCS-2: 3)
    "Greek capitals and a name": [PRICE, "ΣΩ" * 40 + "Ж" + "x" * 54],  # 135 units: 3
    "a mark at a UCS-2 cut": [PRICE, "Ж" + "x" * 65 + "e\u0301" + "y" * 66],  # moves: 3
    "CR LF at a UCS-2 cut": [PRICE, "Ж" + "x" * 65 + "\r\n" + "y" * 66],  # moves: 3
    "an empty text": [PRICE, "Ж", ""],
}


@pytest.mark.parametrize("name", CASES)
def test_each_group_after_an_euro_sign_is_the_reference(name: str) -> None:
    texts = CASES[name]
    # The screen itself counts every text of these groups (none is left at 0).
    assert batch.screen(texts) == [ref.count(text) for text in texts], name
    assert count_many(texts) == [ref.count(text) for text in texts]


@pytest.mark.parametrize("lone", LONE_SURROGATES)
def test_a_lone_surrogate_after_an_euro_sign_is_named(lone: str) -> None:
    texts = [PRICE, "Latin-1 ü", "x" * 80 + lone + "€"]
    with pytest.raises(UnicodeEncodeError):
        batch.screen(texts)
    with pytest.raises(EncodingError) as info:
        count_many(texts)
    assert (info.value.index, info.value.char) == (2, lone)


PIECES = ["€", "€€", "é", "ü", "Ç", "£", "Ж", "Δ", "ΣΩ", "王芳", "Ayşe", "\r\n", "e\u0301", "{"]


@given(st.lists(words_near_bounds(PIECES, longest=330), max_size=8))
def test_groups_after_an_euro_sign_are_the_reference(texts: list[str]) -> None:
    texts = [PRICE, *texts]
    assert_screened(texts, batch.screen(texts))
    assert_count_many(texts)


@given(st.lists(words_near_bounds(PIECES, longest=200), min_size=1, max_size=6), st.data())
def test_a_lone_surrogate_anywhere_after_an_euro_sign_is_named(
    texts: list[str], data: st.DataObject
) -> None:
    assert_lone_surrogate_named([PRICE, *texts], data)
