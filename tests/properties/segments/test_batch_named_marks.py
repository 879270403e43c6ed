"""``_named_counts`` since perf22n: one deletion of its UTF-8 leftovers keeps the
NULs, the leads of Greek and of characters beyond the BMP and the leads of those
that may join (with CR), and the usual group leaves its NULs alone (the euro sign is
made "|" in the joined texts first); the leftovers are classed off their UTF-8 (no
decoding) unless a lead C2 (U+0080-00BF) is there, and the classes keep only escapes
and characters beyond GSM-7, so a GSM-7 text without escapes is an empty piece. Held
to the readable reference (``tests/_reference.py``).

Each hand-made group below has exactly one kind of mark, placed where a text whose
mark were missed would get another count (a character beyond the BMP taking the
units past a cut, Greek capitals that keep a text GSM-7, a NUL inside a text, a
mark at a UCS-2 cut, the euro sign beside a character that may join), so a
shortcut that loses one of them fails here, not only under a long Hypothesis run.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import _reference as ref
from batch_checks import assert_count_many, assert_screened, words_near_bounds
from smskit.segments import _batch as batch

NAME = "Dear Ayşe"  # beyond Latin-1, no mark: the group takes the usual way
GSM = "x" * 159 + "€"  # 161 septets: 2 parts (160 without its escape: 1; as UCS-2: 3)

# (texts, index of the text each case is about); every count must be the reference's,
# not 0: each is within the tables and away from their gaps.
CASES = {
    "beyond the BMP alone": ([NAME, GSM, "x" * 133 + "😀"], 2),  # 135 units: 3 parts (134: 2)
    "an emoji with a modifier": ([NAME, GSM, "x" * 131 + "👍🏽"], 2),  # 135 units: 3
    "Greek capitals alone": ([NAME, GSM, "ΣΩ" * 80], 2),  # 160 septets: 1 part (UCS-2: 3)
    "Greek and the euro sign": ([NAME, "Δ€" * 50], 1),  # 150 septets: 1 part
    # 134 units: 2 parts, but the first cut falls inside a cluster and moves back: 3.
    "a mark at a UCS-2 cut": ([NAME, GSM, "Ж" + "x" * 65 + "e\u0301" + "y" * 66], 2),
    "CR LF at a UCS-2 cut": ([NAME, GSM, "Ж" + "x" * 65 + "\r\n" + "y" * 66], 2),
    "the euro sign beside a joiner": ([NAME, GSM, "Ж" + "x" * 65 + "€\u200d" + "y" * 66], 2),
    "the euro sign in a UCS-2 text": ([NAME, GSM, "Иван €" + "x" * 130], 2),  # 136 units: 3
    "escapes in a UCS-2 text only": ([NAME, "x" * 160, "Ж{}" + "x" * 130], 2),  # 133 units: 2
    "a plain question mark": ([NAME, GSM, "?" * 160], 2),  # 160 septets: 1 part
    "GSM-7 without escapes": ([NAME, GSM, "x" * 160, "x" * 161, ""], 3),  # 2 parts (UCS-2: 3)
    "a Latin-1 letter beyond GSM-7": ([NAME, GSM, "ó" + "x" * 70], 2),  # 71 units: 2 parts
    # Letters of U+00C0-00FF read off their UTF-8 (C3, then the letter's byte - 0x40):
    # GSM-7 ones keep a text of 160 septets in 1 part (UCS-2: 3).
    "GSM-7 Latin-1 letters": ([NAME, GSM, "üÇßø" + "x" * 156], 2),
    "Latin-1 letters beyond GSM-7": ([NAME, GSM, "x" * 130 + "ëÿ"], 2),  # 132 units: 2
    # U+0080-00BF (lead C2) read the other way: GSM-7 "£", "¿" and "§"; "¨" is not.
    "GSM-7 signs of U+0080-00BF": ([NAME, GSM, "£¿§" + "x" * 157], 2),  # 1 part (UCS-2: 3)
    "a sign of U+0080-00BF beyond GSM-7": ([NAME, GSM, "¨" + "x" * 70], 2),  # 2 parts
    "a GSM-7 text with both leads": ([NAME, GSM, "£ü" + "x" * 158], 2),  # 1 part
}


@pytest.mark.parametrize("name", CASES)
def test_each_mark_alone_is_read(name: str) -> None:
    texts, about = CASES[name]
    counts = batch._named_counts(texts, batch.SEP.join(texts))  # the euro sign as it is
    assert counts[about] == ref.count(texts[about]) != 0, name
    assert all(count in (0, ref.count(text)) for text, count in zip(texts, counts, strict=True))


def test_a_nul_inside_a_text_leaves_no_wrong_count() -> None:
    texts = [NAME, GSM, "a\x00" + "x" * 150]  # one piece too many
    counts = batch._named_counts(texts, batch.SEP.join(texts))
    assert all(count in (0, ref.count(text)) for text, count in zip(texts, counts, strict=True))


MARKS = ["😀", "👍🏽", "ΣΩ", "Δ", "\x00", "e\u0301", "\u0301", "\r\n", "\r", "€", "€\u200d", "{"]
NAMES = ["Ayşe", "Иван", "王芳", "ğ", "ó", "ü", "Ç", "ÿ", "£", "¨", "¿", "?"]


@given(st.lists(words_near_bounds(MARKS + NAMES, longest=330), max_size=8), st.data())
def test_groups_with_any_mark_are_the_reference(texts: list[str], data: st.DataObject) -> None:
    texts = [NAME, *texts, GSM]
    at = data.draw(st.integers(0, len(texts)))
    texts.insert(at, data.draw(st.sampled_from(["x" * 160, "x" * 158 + "~", "ok"])))
    assert_screened(texts, batch._named_counts(texts, batch.SEP.join(texts)))


@given(st.lists(words_near_bounds(MARKS + NAMES, longest=200), min_size=1, max_size=20))
def test_count_many_on_named_groups(texts: list[str]) -> None:
    # Mostly names beyond Latin-1 and euro prices (the route), the drawn texts among them.
    assert_count_many(["Dear Иван, ok", "ok €5 [ref]"] * 150 + texts)


def test_every_two_byte_character_is_classed_as_the_reference() -> None:
    # Each of U+0080-07FF (leads C2-DF; Greek, lead CE, goes the other way) in texts
    # where GSM-7 or not, and its escapes, change the count: 160 septets (1 part, as
    # UCS-2 3) and 153 with an escape (2 parts, without it 1; as UCS-2 3).
    mismatched = []
    for code in range(0x80, 0x800):
        texts = [NAME, GSM, chr(code) + "x" * 159, "{" + chr(code) + "x" * 151]
        counts = batch._named_counts(texts, batch.SEP.join(texts))
        if counts[2:] != [ref.count(texts[2]), ref.count(texts[3])]:
            mismatched.append(f"U+{code:04X}")
    assert not mismatched
