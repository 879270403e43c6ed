"""Characters dropped right beside the cuts, held to the readable reference.

The batch screen decides many texts from the characters beside each cut every 67
units (``_straddled``), from tables indexed by units or septets, and from the UTF-16
high bytes split at a U+E000 mark; ``segment`` skips the cluster check where both
neighbours of a cut are below U+0300. These texts put the characters those shortcuts
must notice (or must not be fooled by) exactly at, just before and just after the
cuts of parts of 67 units and 153 septets, in fillers of every class, several cuts a
text, in batches that mix classes across a chunk: ``count_many``, ``count_segments``
and ``segment`` must all give the reference's parts.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import count_many, count_segments, segment
from smskit.segments._batch import CHUNK as _CHUNK

FILLERS = ["a", "é", "€", "{", "Δ", "α", "Ж", "中", "한", "क", "😀", "`", "’"]
ATOMS = [
    "\ue000", "\ue0ff", "\ue041", "\x00", "\ufeff", "\r", "\n", "\r\n", "\x0c", "\x1b",
    "Σ", "Ω", "€", "^", "{", "e\u0301", "\u0301", "\u0300", "\u0345", "\u200d", "\u200c",
    "😀", "👍🏽", "\U0001f3fd", "👨\u200d👩\u200d👧", "🇫🇷", "\U0001f1eb", "क्ष", "\u094d", "क",
    "\u093f", "\u1100", "\u1161", "\u11a8", "한", "©", "\ufe0f", "\U000e0067", "中", "`",
]
STEPS = [66, 67, 134, 152, 153, 76]


@st.composite
def cut_text(draw: st.DrawFn) -> str:
    filler = draw(st.sampled_from(FILLERS))
    length = draw(st.integers(min_value=60, max_value=700))
    chars = list(filler * length)
    step = draw(st.sampled_from(STEPS))
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        cut = step * draw(st.integers(min_value=1, max_value=max(1, length // step)))
        at = cut + draw(st.integers(min_value=-3, max_value=2))
        if 0 <= at < len(chars):
            chars[at : at + 1] = list(draw(st.sampled_from(ATOMS)))
    return "".join(chars)


# Short texts of each class as well, so that a chunk mixes ASCII, Latin-1, BMP and
# astral texts with the built ones.
mixed = st.one_of(cut_text(), st.sampled_from(["", "hi", "Olá", "ΣΩ", "中文", "😀", "\ue000"]))


@given(cut_text())
@example("a" * 66 + "\r\n" + "a" * 70)
@example("中" * 66 + "\ue000" + "中" * 70)
@example("é" * 67 + "\u0301" + "é" * 70)
@example("한" * 66 + "\u11a8" + "a" * 80)
@example("€" * 76 + "{" + "€" * 80)
def test_segment_and_count_segments_give_the_reference_parts(text: str) -> None:
    expected: list[str] = ref.split(text)
    assert count_segments(text) == len(expected)
    message = segment(text)
    assert [part.text for part in message.segments] == expected
    total = len(expected)
    for sequence, part in enumerate(message.segments, 1):
        assert part.udh == (b"" if total == 1 else bytes([5, 0, 3, 0, total, sequence]))


@given(st.lists(mixed, min_size=1, max_size=_CHUNK + 20))
def test_count_many_gives_the_reference_counts_beside_cuts(texts: list[str]) -> None:
    assert count_many(texts) == ref.count_many(texts)
    assert count_many(iter(texts)) == ref.count_many(texts)
