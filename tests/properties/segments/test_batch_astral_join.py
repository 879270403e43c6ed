"""Chunks holding characters beyond the BMP, counted from one joined encoding.

``count_many`` encodes a chunk's non-ASCII texts to UTF-8 in one piece when one of
them holds an astral character: each text's units are its length plus its leads of
characters beyond the BMP, and its leads that no GSM-7 character has say it is
UCS-2. The long UCS-2 texts not settled by the slack bound are then padded by units,
their separator last, and ``_straddled`` flags those where a cut may fall inside a
cluster, placing a few hits by the separators before them and many by deleting the
runs that cannot join. Each is held to the readable reference in
``tests/_reference.py``.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, MessageTooLongError, count_many
from smskit.segments import _batch as batch
from smskit.segments._batch import CHUNK as _CHUNK

ASTRAL = ["😀", "👍🏽", "🇫🇷", "\U00010000", "\U0010ffff", "𝐀", "👨\u200d👩\u200d👧"]
# One character or cluster a class: plain and extension GSM-7, Latin-1 beyond it,
# Greek capitals, a U+20xx quote, Cyrillic, CJK, joiners, CR LF, the separator.
PIECES = ["a", " ", "{", "€", "é", "ç", "Σ", "\u2019", "Ж", "王", "क्ष", "e\u0301", "\r\n"]


@st.composite
def astral_or_not(draw: st.DrawFn) -> str:
    """A filler run whose length in units sits either side of a part limit, with
    astral characters and other pieces put anywhere in it (or none)."""
    filler = draw(st.sampled_from(["a", "é", "Ж", "王", "€", "😀", "a😀"]))
    units = draw(st.sampled_from([0, 1, 66, 67, 68, 69, 70, 71, 133, 134, 135, 136, 160, 161]))
    text = list(filler * max(1, units // ref.ucs2_units(filler)))
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text[at:at] = [draw(st.sampled_from(ASTRAL + PIECES))]
    return "".join(text)


@given(st.lists(astral_or_not(), max_size=24))
@example(["😀" * 35, "😀" * 36, "a" * 69 + "😀", "a" * 68 + "😀", "€" * 80 + "😀"])
@example(["ΣΔ" * 80, "a😀" * 45, "王" * 69 + "😀"])
def test_astral_chunks_count_as_the_reference(texts: list[str]) -> None:
    for text, count in zip(texts, batch._astral_counts(texts, batch.SEP.join(texts)), strict=True):
        assert count in (0, ref.count(text)), text  # exact, or left to the slow path
    assert count_many(texts) == ref.count_many(texts)


@given(st.lists(astral_or_not(), min_size=1, max_size=12), st.integers(0, _CHUNK + 12))
def test_astral_texts_across_chunk_boundaries(texts: list[str], fill: int) -> None:
    # ASCII, Latin, BMP and astral texts share chunks, and the drawn ones move across
    # their edges.
    fillers = ["plain " * (fill % 30), "Olá João", "Здравствуйте", "hi 👍"]
    batch_ = [fillers[index % 4] for index in range(fill)] + texts + ["tail 😀"] * 5
    assert count_many(batch_) == ref.count_many(batch_)


def test_units_from_lead_surrogates_by_example() -> None:
    # Hand-derived (70 units one part, 67 a part beyond): an astral character is two
    # units, so the limits fall at half as many of them.
    cases = {
        "😀" * 35: 1,  # 70 units
        "😀" * 36: 2,  # 72 units
        "a" * 68 + "😀": 1,  # 70 units
        "a" * 69 + "😀": 2,  # 71 units
        "a" * 66 + "😀" + "a" * 67: 3,  # the pair would span the cut: 66 | 67 | 2
        "a" * 65 + "😀" + "a" * 67: 2,  # 134 units, the pair ends the first part
        "€" * 80 + "😀": 2,  # not GSM-7 for the emoji: 82 units
        "ΣΩ" * 40: 1,  # GSM-7 beside astral texts: 80 septets
        "\ue0ff😀": 1,  # a U+E0xx character: the chunk goes the slow way
    }
    texts = list(cases)
    assert ref.count_many(texts) == list(cases.values())
    assert count_many(texts * 3) == list(cases.values()) * 3
    assert count_many(["plain"] * (_CHUNK - 4) + texts)[-len(texts) :] == list(cases.values())


def test_the_255_part_limit_with_astral_characters() -> None:
    longest = "a" * 17083 + "😀"  # 17,085 units: 255 parts of 67, the pair in the last
    over = "a" * 17084 + "😀"  # 17,086 units: 256 parts
    assert count_many(["hi 😀", longest]) == [1, 255]
    with pytest.raises(MessageTooLongError) as info:
        count_many(["hi 😀", "Olá", longest, over, "x"])
    assert info.value.index == 3


@pytest.mark.parametrize("where", [0, 3, _CHUNK - 1, _CHUNK, _CHUNK + 9])
def test_a_lone_surrogate_among_astral_texts_names_its_text(where: int) -> None:
    texts = ["ok 😀 " * (index % 40) + "Ж" for index in range(_CHUNK + 20)]
    texts[where] = "😀 \udc00 " + texts[where]
    with pytest.raises(EncodingError) as info:
        count_many(texts)
    assert info.value.index == where
    assert info.value.char == "\udc00"


# -- _straddled: which padded texts may have a cut inside a cluster ------------------


def _padded(texts: list[str]) -> bytes:
    """Each text padded with spaces to whole parts of 67 units, U+E000 its last unit."""
    units = [ref.ucs2_units(text) for text in texts]
    pads = [" " * (-(size + 1) % 67) + "\ue000" for size in units]
    return "".join(text + pad for text, pad in zip(texts, pads, strict=True)).encode("utf-16-le")


# Long texts whose parts are all full, and texts with a cluster across a cut.
FULL = ["a" * 140, "王" * 200, "Ж" * 134, "a😀" * 50, "a" * 65 + "😀" + "a" * 70]
MOVED = ["क" * 66 + "क्ष" + "क" * 60, "a" * 66 + "😀" + "a" * 67, "a" * 66 + "🇫🇷" + "a" * 70]


@given(st.lists(st.sampled_from(FULL + MOVED), min_size=1, max_size=40))
def test_straddled_flags_every_text_whose_cut_moves(texts: list[str]) -> None:
    # Few hits (each placed by the separators before it) or many (the runs deleted).
    flagged = set(batch._straddled(_padded(texts), len(texts)))
    for index, text in enumerate(texts):
        if index not in flagged:
            assert ref.parts_are_full(text), (index, text)


@pytest.mark.parametrize("filler", [FULL[0], FULL[1]])
def test_a_separator_inside_a_text_flags_every_text(filler: str) -> None:
    # U+E000 where a text's separator would be read (its unit 66, before a cut): the
    # texts after it would be placed one too far, so none may be trusted.
    texts = [filler] * 7 + ["a" * 66 + "\ue000" + "a" * 70, filler, MOVED[0]] + [filler] * 6
    assert all(ref.parts_are_full(text) for text in texts[:-7] + texts[-6:])
    assert not ref.parts_are_full(MOVED[0])
    flagged = batch._straddled(_padded(texts), len(texts))
    assert 9 in flagged
