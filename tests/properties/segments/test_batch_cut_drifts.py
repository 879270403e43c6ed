"""The drift screen of ``count_many``'s texts of one unit a character, held to the
readable reference.

``_batch._straddled_bmp`` reads, per text and in one regex match, whether each cut
is certain some places before where it falls (the drift, up to ``_MAX_DRIFT``
units, never falling from one cut to the next) and whether the last drift fits the
room the last part has left, which the text's separator (U+E000 + room) says. A text
it does not flag is counted by its units; the others are walked. Clusters of Indic
scripts (virama, vowel signs, nukta, anusvara, ZWJ/ZWNJ) put here across every cut
at 67, 134, ... units, with the runs long enough to need every drift and more.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, count_many, count_segments
from smskit.segments import _batch as batch
from smskit.segments._batch import CHUNK as _CHUNK

MARKS = ["्", "़", "ं", "ि", "ा", "ु", "\u200d", "\u200c", "ः", "ॅ"]
LETTERS = ["क", "ष", "त", "र", "न", " ", "a", "中", "ক", "্", "த", "்"]
CLUSTER_CHAR = st.sampled_from(MARKS + LETTERS + ["\u0301", "\ue000", "\ue042", "\x01"])


@st.composite
def indic_across_cuts(draw: st.DrawFn) -> str:
    """A filler with a run of Indic letters and marks (up to 9) over every cut."""
    filler = draw(st.sampled_from(["क", "a", "ि", "中", "कि"]))
    chars = list((filler * 300)[: draw(st.integers(0, 420))])
    for cut in range(67, len(chars), 67):
        run = draw(st.lists(CLUSTER_CHAR, min_size=1, max_size=9))
        at = cut + draw(st.integers(-9, 2))
        chars[at : at + len(run)] = run
    return "".join(chars)


def _padded_with_rooms(texts: list[str]) -> str:
    """Spaces to whole parts of 67 units, then U+E000 plus the room the text's last
    part has left (written here apart from the code under test)."""
    pieces = []
    for text in texts:
        room = (-len(text)) % 67
        pieces.append(text + " " * ((-(len(text) + 1)) % 67) + chr(0xE000 + room))
    return "".join(pieces)


@given(st.lists(indic_across_cuts(), max_size=12))
@example(["क" * 62 + "्ं" * 3 + "क" * 70])  # extenders and linkers over the cut
@example(["क" * 66 + "ि" * 6 + "क" * 3])  # a run of marks after the cut, 75 units
@example(["क" * 67 + "ि" + "क" * 66])  # drift 1, no room (134 units)
@example(["कि" * 100 + "क"])  # certain at every other place, 201 units: room 0
def test_an_unflagged_text_counts_its_units(texts: list[str]) -> None:
    # Keep to texts of one unit a character that are not GSM-7 (the screen's inputs).
    texts = [text for text in texts if not ref.is_gsm(text)]
    flagged = set(batch._straddled_bmp(_padded_with_rooms(texts), len(texts)))
    for index, text in enumerate(texts):
        if index not in flagged and len(text) > 70:
            assert ref.count(text) == -(-len(text) // 67), text


@given(st.lists(indic_across_cuts() | st.sampled_from(["", "ok", "Olá", "€5 [x]"]), max_size=30))
def test_indic_batches_count_as_the_reference(texts: list[str]) -> None:
    # Mixed with empty, GSM-7 and Latin texts; then alone in a whole chunk (the
    # padded path on every group).
    assert count_many(texts) == [ref.count(text) for text in texts]
    indic = [text for text in texts if text and not text.isascii()] or ["क" * 71]
    many = (indic * (_CHUNK // len(indic) + 1))[: _CHUNK + 3]
    expected = {text: ref.count(text) for text in set(many)}
    assert count_many(many) == [expected[text] for text in many]


@given(indic_across_cuts())
@example("क" * 66 + "\ue000" + "ि" + "क" * 70)  # a separator's value where one is read
@example("क" * 67 + "ि" + "क" * 66)
def test_one_text_counts_as_the_reference(text: str) -> None:
    # ``count_segments`` asks the same screen of one text before making its cuts.
    assert count_segments(text) == ref.count(text)
    if len(text) > 70 and batch.drifts_fit(text) and not ref.is_gsm(text):
        assert ref.count(text) == -(-len(text) // 67), text


def test_drifts_by_example() -> None:
    # Hand-derived. A vowel sign after a cut joins the consonant before it, a virama
    # before a consonant joins it (GB9c), so a cut there moves back to the start of
    # the consonant's cluster: one unit for "कि", two for "क्क" (a conjunct), and the
    # count is the units' while the drift fits the last part's room.
    texts = [
        "क" * 67 + "ि" + "क" * 70,  # 138 units, drift 1, room 63: 3
        "क" * 67 + "ि" + "क" * 66,  # 134 units, drift 1, room 0: 3, not 2
        "क" * 65 + "्क" + "क" * 3,  # 70 units: 1
        "क" * 66 + "्" + "क" * 70,  # 137 units, cut between virama and consonant: 3
        "",
        "नमस्ते " * 30,  # 210 units: 4
    ]
    assert count_many(texts) == [3, 3, 1, 3, 1, 4]
    assert [count_segments(text) for text in texts] == [3, 3, 1, 3, 1, 4]
    assert count_many(texts * 200) == [3, 3, 1, 3, 1, 4] * 200


@pytest.mark.parametrize("where", [0, 3, _CHUNK - 1, _CHUNK + 4])
def test_a_lone_surrogate_among_indic_texts_names_its_text(where: int) -> None:
    texts = ["क" * 67 + "ि" + "क" * 70, "नमस्ते " * 30, ""] * (_CHUNK // 3 + 3)
    texts[where] = "क" * 66 + "\udc00" + "ि" * 5
    with pytest.raises(EncodingError) as info:
        count_many(texts)
    assert info.value.index == where
    assert info.value.char == "\udc00"
