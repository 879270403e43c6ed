"""Chunks holding characters beyond the BMP: the UTF-8 lead screen and the slack bound.

``_astral_counts`` encodes a chunk's texts to UTF-8 once and reads per text, from its
lead bytes, its characters beyond the BMP, whether it is UCS-2 for sure and how many
of its characters may join. It counts a long UCS-2 text by its units, with no cut
checked, when twice its units that may join (leads shared with a joiner, astral
characters twice) fit in the room its last part has left. The texts here sit just
under whole parts (room 0-12 units) with clusters, surrogate pairs and joiners put
at, just before and just after the cuts, so that a cut moves when the bound does not
hold, or mix characters of every lead class; every count is held to the readable
reference in ``tests/_reference.py``.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, count_many
from smskit.segments import _batch as batch
from smskit.segments._batch import CHUNK as _CHUNK
from smskit.segments._cutting import JOINERS

# Clusters of several characters (combining mark, conjunct, emoji with a modifier, ZWJ
# sequences, a flag, a prepended mark, Hangul jamo), one astral character, one that
# joins nothing but sits in a block with joiners (Cyrillic), a lone ZWJ and CR LF.
# Hearts joined by ZWJ (U+2764's block holds no joiner) move a cut back by twice the
# units that may join: the bound is tight there.
PIECES = [
    "❤\u200d❤\u200d❤",
    "e\u0301",
    "क्ष",
    "👍🏽",
    "👨\u200d👩\u200d👧",
    "🇫🇷",
    "\u0600a",
    "\u1100\u1161\u11a8",
    "😀",
    "❤️",
    "Ж",
    "\u200d",
    "\r\n",
]
FILLERS = ["a", "王", "Σ", "é", "가"]  # one unit each; Hangul syllables join only jamo


@st.composite
def near_full(draw: st.DrawFn) -> str:
    """A text of one-unit filler with a few pieces at or beside its cuts, its units a
    few short of whole parts of 67 (or exactly whole)."""
    parts = draw(st.integers(min_value=2, max_value=4))
    room = draw(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 8, 12]))
    pieces = draw(st.lists(st.sampled_from(PIECES), max_size=3))
    filler = draw(st.sampled_from(FILLERS))
    size = max(0, parts * 67 - room - sum(ref.ucs2_units(piece) for piece in pieces))
    text = [filler] * size
    for piece in pieces:
        cut = 67 * draw(st.integers(min_value=1, max_value=parts - 1))
        at = min(len(text), max(0, cut + draw(st.integers(min_value=-3, max_value=1))))
        text[at:at] = [piece]
    return "".join(text)


# One character of each lead class: ASCII, GSM-7 Latin-1 (C3) and Greek (CE), Greek
# lowercase (CE, not GSM-7), the euro sign and other U+2xxx (E2), a lead beyond
# Latin-1 (C4), the last two-byte one (DF), three-byte ones (E0, EF), astral (F0, F3
# tags), CR LF, NUL.
LEADS = ["a", "é", "Σ", "α", "€", "\u2019", "❤", "\u0100", "\u07ff", "\u0800", "\uffee"]
LEADS += ["😀", "\U000e0041", "\r\n", "\x00", "{"]


@given(
    st.lists(
        st.lists(st.sampled_from(LEADS), max_size=4).flatmap(
            lambda pieces: st.integers(0, 150).map(lambda size: "".join(pieces) + "x" * size)
        ),
        min_size=1,
        max_size=24,
    ).flatmap(st.permutations)
)
@example(["€ ok", "é€", "α", "Σ€ 😀", "\u2019 quote", "❤", "a\x00b", ""])
@example(["Σ" + "x" * 100, "é" + "x" * 100, "€" + "x" * 100, "\U000e0041" * 36])
def test_lead_classes_in_astral_chunks(texts: list[str]) -> None:
    chunk = [*texts, "tail 😀"]
    for text, count in zip(chunk, batch._astral_counts(chunk, batch.SEP.join(chunk)), strict=True):
        assert count in (0, ref.count(text)), text  # exact, or left to the slow path
    assert count_many(chunk) == ref.count_many(chunk)


@given(st.lists(near_full(), min_size=1, max_size=16))
@example(["a" * 66 + "😀" + "a" * 62, "a" * 66 + "😀" + "a" * 63, "a" * 65 + "👍🏽" + "a" * 61])
@example(["王" * 66 + "e\u0301" + "王" * 64, "Ж" * 66 + "क्ष" + "Ж" * 62])
def test_astral_chunks_near_whole_parts_count_as_the_reference(texts: list[str]) -> None:
    chunk = [*texts, "tail 😀"]  # a character beyond the BMP: the astral screen
    for text, count in zip(chunk, batch._astral_counts(chunk, batch.SEP.join(chunk)), strict=True):
        assert count in (0, ref.count(text)), text  # exact, or left to the slow path
    assert count_many(chunk) == ref.count_many(chunk)


@given(near_full())
@example("a" * 63 + "❤\u200d❤\u200d❤" + "a" * 63)
@example("王" * 66 + "\r\n" + "王" * 66)
def test_the_bound_holds_for_the_reference(text: str) -> None:
    # The claim behind the bound, on characters rather than blocks: cuts move back in
    # all by at most twice the units of characters that may join (CR among them) or
    # lie beyond the BMP, so within the room the count is the units'.
    units = ref.ucs2_units(text)
    joining = ref.ucs2_units("".join(char for char in text if char in JOINERS or char > "\uffff"))
    if units > 70 and not ref.is_gsm(text) and 2 * joining <= -units % 67:
        assert ref.count(text) == -(-units // 67), text


def test_the_bound_by_example() -> None:
    # Hand-derived (67 units a part beyond 70): the pair at units 66-67 would span the
    # first cut, which moves back one unit.
    cases = {
        "a" * 66 + "😀" + "a" * 62: 2,  # 130 units, room 4 = twice the pair: by units
        "a" * 66 + "😀" + "a" * 66: 3,  # 134 units, room 0: the cut moves, one more part
        "a" * 66 + "😀" + "a" * 65: 2,  # 133 units, room 1: the cut moves, still fits
        "王" * 66 + "e\u0301" + "王" * 66: 3,  # the mark joins the e before the cut
        "Ж" * 131 + "😀": 2,  # 133 units; Cyrillic's block holds joiners: screened
        "a" * 63 + "❤\u200d❤\u200d❤" + "a" * 63: 3,  # 131 units: the hearts move by 4
        "王" * 66 + "\r\n" + "王" * 66: 3,  # 134 units: CR LF moves (CR, ASCII, counts)
        "王" * 65 + "\r\n" + "王" * 65: 2,  # 132 units, room 2 = twice the CR: by units
    }
    texts = list(cases)
    assert ref.count_many(texts) == list(cases.values())
    for text, count in cases.items():
        assert batch._astral_counts([text, "x😀"], text + "\x00x😀") == [count, 1]
    assert count_many(["plain"] * (_CHUNK - 2) + texts)[-len(texts) :] == list(cases.values())


@given(st.lists(near_full(), min_size=1, max_size=8), st.integers(0, _CHUNK + 300))
def test_near_full_texts_across_chunk_and_group_boundaries(texts: list[str], fill: int) -> None:
    # Mostly ASCII chunks, whose other texts (these, emoji, empty texts) are screened
    # together; the drawn ones move across the 256-text groups and 1,024-text chunks.
    fillers = ["plain text " * (fill % 20), "", "hi 👍", "Olá João"]
    texts_ = [fillers[index % 4] for index in range(fill)] + texts + ["tail 😀", ""]
    assert count_many(texts_) == ref.count_many(texts_)


@pytest.mark.parametrize("where", [0, 255, 256, _CHUNK - 1, _CHUNK + 3])
def test_a_lone_surrogate_among_near_full_texts_names_its_text(where: int) -> None:
    texts = ["a" * 66 + "😀" + "a" * 62 if index % 5 else "plain" for index in range(_CHUNK + 9)]
    texts[where] = "Ж" * 70 + "\ud800"
    with pytest.raises(EncodingError) as info:
        count_many(texts)
    assert info.value.index == where
    assert info.value.char == "\ud800"
