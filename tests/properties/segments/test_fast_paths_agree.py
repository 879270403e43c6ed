"""The four counting entry points against each other and the readable reference, at cuts.

``segment`` cuts UCS-2 text with characters beyond the BMP in UTF-16 units
(``_wide_message``) and finds GSM-7 escapes with one regex (``_escapes``);
``count_many`` screens chunks of texts of one unit a character with a class for each
side of every cut, a GB9c look-behind and a proof that cuts certain a few places
earlier drift at most that far (``_batch._straddled_bmp``). Each path decides from a few
characters beside a cut, so the texts here put what could fool it exactly there: Indic
conjunct chains (consonant, virama, ZWJ/ZWNJ, nukta, InCB=Extend marks) ending one to
four units before a cut, Hangul jamo, CR LF, ZWJ sequences, flags, keycaps, skin tones,
escapes, NUL and U+E000, within -4..+2 of every 67th unit and every 153rd septet. The
reference (``tests/_reference.py``) splits greedily by grapheme cluster from each part's
start; every entry point must give its count (and ``segment`` its parts and units), and
a batch built to cross the 256-text group and the 1,024-text chunk must give each
text's count wherever it sits.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import (
    EncodingError,
    MessageTooLongError,
    count_many,
    count_segments,
    measure_many,
    segment,
)
from smskit.segments._batch import CHUNK as _CHUNK

# Fillers that join nothing (so that only the atoms decide) and some that do.
FILLERS = ["a", "中", "Ж", "한", "€", "क", "कि", "कं", "😀", "a😀"]
ATOMS = [
    # GB9c: a linker, possibly behind extenders or ZWJ/ZWNJ, then a consonant
    "क्ष", "क्\u200dष", "क्\u200cष", "क़्ष", "क्\u0951ष", "क्\u093cष", "्", "\u0951",
    "\u093c", "ि", "ं", "\u0951क", "्\u0951", "\u200d्", "्\u200d", "ക്ക", "\u0d4d",
    "ক্\u09bcক", "த்த", "\u0c4d\u0c15",
    # Hangul jamo, CR LF, combining marks, Thai, a prepend
    "\u1100", "\u1161", "\u11a8", "\u1100\u1161\u11a8", "가\u11a8", "\r\n", "\r", "\n",
    "e\u0301", "\u0301", "\u0e33", "\u0600",
    # beyond the BMP: ZWJ sequences, skin tones, flags, keycaps, VS16, tags
    "👨\u200d👩\u200d👧", "👍🏽", "\U0001f3fd", "🇫🇷", "🇫🇷🇩🇪", "\U0001f1eb", "#\ufe0f\u20e3",
    "\u2764\ufe0f", "\u200d", "\ufe0f", "🏴\U000e0067\U000e0062\U000e007f", "\U00020000",
    # GSM-7 escapes, a backtick, controls, the batch's separators
    "€", "[", "]", "{", "}", "~", "|", "^", "\\", "\x0c", "`", "\x00", "\ue000", "\ue001",
]
BATCH_PLACES = [0, 1, 255, 256, 257, _CHUNK - 1, _CHUNK, _CHUNK + 1, _CHUNK + 255]


@st.composite
def cut_text(draw: st.DrawFn, bmp: bool = False) -> str:
    fillers = [f for f in FILLERS if not bmp or max(f) <= "\uffff"]
    atoms = [a for a in ATOMS if not bmp or max(a) <= "\uffff"]
    chars = list(draw(st.sampled_from(fillers)) * draw(st.integers(0, 420)))
    step = draw(st.sampled_from([67, 153]))
    for _ in range(draw(st.integers(0, 6))):
        at = step * draw(st.integers(1, max(1, len(chars) // step))) + draw(st.integers(-4, 2))
        if 0 <= at <= len(chars):
            width = draw(st.integers(0, 1))  # replace one character, or insert
            chars[at : at + width] = list(draw(st.sampled_from(atoms)))
    return "".join(chars)


def check_alone(text: str) -> int:
    """The reference's count of ``text``, after checking each entry point gives it."""
    parts = ref.split(text)
    count = len(parts)
    if count > 255:
        with pytest.raises(MessageTooLongError):
            count_segments(text)
        with pytest.raises(MessageTooLongError):
            segment(text)
        return count
    gsm = ref.is_gsm(text)
    units = ref.gsm_septets(text) if gsm else ref.ucs2_units(text)
    message = segment(text)
    assert [part.text for part in message.segments] == parts
    expected_units = [ref.gsm_septets(p) if gsm else ref.ucs2_units(p) for p in parts]
    assert [part.units for part in message.segments] == expected_units
    assert message.units == units
    assert count_segments(text) == count
    assert measure_many([text]) == ([count], [units], [not gsm])
    return count


@given(cut_text())
@example("क" * 65 + "्\u0951" + "क" * 70)  # linker two before the cut, an extender between
@example("क" * 64 + "्\u200d\u0951" + "क" * 70)
@example("😀" * 33 + "👨\u200d👩\u200d👧" + "a" * 60)
@example("a" * 152 + "€" + "a" * 20)  # an escape straddling the GSM-7 cut
@example("中" * 66 + "\r\n" + "中" * 70)
def test_each_entry_point_gives_the_references_count(text: str) -> None:
    count = check_alone(text)
    if count <= 255:
        assert count_many([text]) == [count]


@given(st.lists(cut_text(bmp=True), min_size=1, max_size=4), st.sampled_from(BATCH_PLACES))
@example(["क" * 66 + "ि" + "क" * 67], _CHUNK)  # certain one place earlier, no room
@example(["क" * 65 + "्\u0951" + "क" * 67, "\ue000" * 80], 255)
def test_bmp_batches_count_each_text_wherever_it_sits(texts: list[str], place: int) -> None:
    counts = [check_alone(text) for text in texts]
    texts = [t for t, c in zip(texts, counts, strict=True) if c <= 255]
    counts = [c for c in counts if c <= 255]
    # One unit a character throughout, so the chunks take the padded BMP screen.
    filler = "कि" * 40
    batch = [filler] * (place + len(texts) + 3)
    batch[place : place + len(texts)] = texts
    expected = [ref.count(filler)] * len(batch)
    expected[place : place + len(texts)] = counts
    assert count_many(batch) == expected
    assert measure_many(batch)[0] == expected


@pytest.mark.parametrize("place", [0, 255, 256, _CHUNK - 1, _CHUNK, _CHUNK + 300])
@pytest.mark.parametrize(
    "bad", ["क" * 66 + "\ud800", "\udc00" + "कि" * 40, "a\udfffb"], ids=["end", "start", "inside"]
)
def test_a_lone_surrogate_names_its_place_in_a_bmp_batch(place: int, bad: str) -> None:
    batch = ["कि" * 40] * (_CHUNK + 400)
    batch[place] = bad
    with pytest.raises(EncodingError) as caught:
        count_many(batch)
    assert caught.value.index == place


def test_texts_at_and_just_over_255_parts() -> None:
    # 255 full parts of one-unit characters; the same with the first cut moved back one
    # unit by a conjunct (GB9c joins क्ष across it), so the last part overflows; and
    # one character more.
    full = "中" * (67 * 255)
    moved = "中" * 66 + "क्ष" + full[69:]
    assert len(moved) == 67 * 255
    assert count_segments(full) == 255
    assert len(segment(full).segments) == 255
    assert count_many(["a", full]) == [1, 255]
    for text in (moved, full + "中"):
        with pytest.raises(MessageTooLongError):
            count_segments(text)
        with pytest.raises(MessageTooLongError):
            segment(text)
        with pytest.raises(MessageTooLongError) as caught:
            count_many(["a"] * 300 + [text])
        assert caught.value.index == 300
