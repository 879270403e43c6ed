"""The routes that make a small list cheap (perf25s), held to ``tests/_reference.py``.

``count_segments`` on a text beyond ASCII takes three shortcuts decided by O(1) facts:
a str CPython stores at four bytes a character goes to the slack bound
(``_batch.astral_count``, 0 when unsure); a text with an euro sign is read in Latin-1
with the euro sign as "|" (``_euro_count``, 0 beyond Latin-1); a UCS-2 text stored at
one byte a character and without CR counts its units. A chunk then leaves up to two
texts beyond ASCII of up to ``_ALONE`` characters to ``count_segments``.

The texts drawn here sit where those shortcuts could go wrong: emoji, ZWJ sequences,
variation selectors and CR LF just before and at the cuts of texts a few units short
of whole parts; euro signs beside Latin-1 letters beyond GSM-7, Greek capitals and
characters beyond Latin-1; Latin-1 UCS-2 texts around 70 and 67-unit boundaries and
the 255-part limit; a lone surrogate in each kind of text. Small lists mix them with
ASCII texts and empty ones, and a lone surrogate in the middle names its index.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, MessageTooLongError, count_many, count_segments, segment
from smskit.segments import segmentation
from smskit.segments._batch import _ALONE, astral_count, chunk_counts
from smskit.segments._cutting import MAX_SEGMENTS

# Pieces that may make a cut move back, or that the shortcuts read specially.
PIECES = [
    "😀", "👍🏽", "❤\ufe0f", "👨\u200d👩\u200d👧", "🏴\U000e0067\U000e0062\U000e007f",
    "\r\n", "\r", "€", "é", "á", "Σ", "ş", "Ж", "中", "क्ष", "e\u0301", "{", "\ufe0f",
]
FILLERS = ["a", "á", "é", "€", "Ж", "中", "😀", " ", "|"]


@st.composite
def near_cuts(draw: st.DrawFn) -> str:
    """A filler of one class with a few pieces at or just before its cuts, the whole a
    few units short of whole parts of 67 (or of 153 septets)."""
    parts = draw(st.integers(min_value=1, max_value=4))
    width = draw(st.sampled_from([67, 153]))
    room = draw(st.integers(min_value=0, max_value=8))
    filler = draw(st.sampled_from(FILLERS))
    chosen = draw(st.lists(st.sampled_from(PIECES), max_size=3))
    text = [filler] * max(0, parts * width - room - 2 * len(chosen))
    for piece in chosen:
        cut = width * draw(st.integers(min_value=1, max_value=max(1, parts - 1)))
        at = min(len(text), max(0, cut + draw(st.integers(min_value=-6, max_value=1))))
        text[at:at] = [piece]
    return "".join(text)


texts = st.one_of(
    near_cuts(),
    st.text(alphabet="aá é€|{Σ\r\n😀\u200d\x00", max_size=400),
    st.builds(str.__mul__, st.sampled_from(["á", "€", "é€", "á\r\n", "😀", "a😀"]),
              st.integers(min_value=0, max_value=300)),
)


def _outcome(call: object, *args: object) -> object:
    try:
        return call(*args)  # type: ignore[operator]
    except (EncodingError, MessageTooLongError) as exc:
        return type(exc).__name__, getattr(exc, "position", None), getattr(exc, "index", None)


@given(texts)
@example("a" * 66 + "👍🏽" + "a" * 64)  # a modifier over the first cut, two units of room
@example("á" * 66 + "\r\n" + "á" * 66)  # CR LF over a cut of a Latin-1 UCS-2 text
@example("á" * 70)
@example("á" * 71)
@example("€" * 80)
@example("€" * 81)
@example("á€" * 35)
@example("á" * 134 + "€")  # UCS-2: 3 parts (read as GSM-7, 270 septets: 2)
@example("€" * 66 + "\r\n" + "á" * 66)  # CR LF over the first cut of an euro UCS-2 text
@example("Σ€" * 80)  # Greek: beyond Latin-1, GSM-7
@example("ş€" * 40)  # beyond Latin-1, not GSM-7
@example("😀" * 35)
@example("😀" * 36)
@example("😀" * 35 + "é")  # 36 characters, 71 units: two parts
@example("😀" + "a" * 127 + "\x00" * 5)  # 134 units: NULs are not characters beyond the BMP
def test_count_segments_routes_match_the_reference(text: str) -> None:
    assert count_segments(text) == ref.count(text), text
    assert count_segments(text, grapheme_safe=False) == ref.count(text, grapheme_safe=False)


@pytest.mark.parametrize(
    "text",
    [
        "á" * (MAX_SEGMENTS * 67),
        "€" + "á" * (MAX_SEGMENTS * 67 - 1),
        "😀" + "a" * (MAX_SEGMENTS * 67 - 4),
    ],
)
def test_the_limit_on_each_route(text: str) -> None:
    assert ref.count(text) == MAX_SEGMENTS
    assert count_segments(text) == MAX_SEGMENTS
    longer = text + "á" * 3
    with pytest.raises(MessageTooLongError) as error:
        count_segments(longer)
    assert error.value.segments == ref.count(longer) == MAX_SEGMENTS + 1


@given(texts, st.integers(min_value=0))
@example("a", 0)  # Python 3.13 read "\ud83da" as Latin-1 by a size taken off "é"
@example("😀 hi", 0)
@example("€ á", 2)
def test_a_lone_surrogate_on_each_route_says_where(text: str, at: int) -> None:
    at %= len(text) + 1
    bad = text[:at] + "\ud83d" + text[at:]
    with pytest.raises(EncodingError) as error:
        count_segments(bad)
    with pytest.raises(EncodingError) as splitting:
        segment(bad)
    assert error.value.position == splitting.value.position
    assert bad[error.value.position] == "\ud83d"


@pytest.mark.parametrize("width", [1, 2, 4])
@pytest.mark.parametrize(
    "text", ["\ud83da", "ab\u0100" * 40, "Жá" * 40, "\ud800" * 80, "é€" * 90, "ab" * 90 + "é"]
)
def test_a_wrong_size_guide_costs_time_never_a_count(
    monkeypatch: pytest.MonkeyPatch, text: str, width: int
) -> None:
    # Make the size guide say ``width`` bytes a character for this very text.
    monkeypatch.setattr(segmentation, "_STR_BASE", text.__sizeof__() - width * (len(text) + 1))
    if "\ud800" in text or "\ud83d" in text:
        with pytest.raises(EncodingError):
            count_segments(text)
    else:
        assert count_segments(text) == ref.count(text)


def test_astral_count_does_not_take_a_nul_for_a_character_beyond_the_bmp() -> None:
    # 133 characters, one emoji (two units): 134 units, two full parts (rev25s: the
    # NULs, kept by the lead tables as the batch's separator, were counted as emoji).
    text = "😀" + "a" * 127 + "\x00" * 5
    assert ref.count(text) == 2
    assert astral_count(text) in (0, 2)
    assert count_segments(text) == 2
    assert count_many([text, "ok"]) == [2, 1]


def test_astral_count_is_zero_when_unsure() -> None:
    assert astral_count("a" * 100) == 0  # nothing beyond the BMP: not its route
    assert astral_count("😀\ud800") == 0  # a lone surrogate: the caller raises
    tight = "a" * 63 + "\U000110bd" + "a" + "\U0001f3fb" + "a" * 64  # 4 that may join
    assert astral_count(tight) == 0
    assert ref.count(tight) == 3  # the cut moved: counted the slow way
    assert count_segments(tight) == 3


ascii_texts = st.sampled_from(["", "ok", "Your code is 1234", "x" * 161, "ref [42] {x}"])


@given(
    st.lists(ascii_texts, max_size=12),
    st.lists(st.tuples(texts, st.integers(min_value=0)), max_size=4),
)
@example(["ok"] * 8, [("😀" * 20, 1), ("€" * 81, 5)])
@example(["", ""], [("", 0), ("á" * 300, 1)])
@example(["ok"], [("a" * 66 + "👨\u200d👩\u200d👧" + "a" * 60, 0), ("á" * 134, 0)])
def test_small_lists_mixing_classes_match_the_reference(
    ascii_list: list[str], placed: list[tuple[str, int]]
) -> None:
    batch = list(ascii_list)
    for text, at in placed:
        batch.insert(at % (len(batch) + 1), text)
    assert _outcome(count_many, batch) == _outcome(ref.count_many, batch)


@given(
    st.lists(st.one_of(ascii_texts, texts), min_size=1, max_size=12),
    st.integers(min_value=0),
    st.integers(min_value=0),
)
def test_a_lone_surrogate_in_a_small_list_names_its_index(
    batch: list[str], which: int, at: int
) -> None:
    which %= len(batch)
    text = batch[which]
    at %= len(text) + 1
    batch[which] = text[:at] + "\ud800" + text[at:]
    with pytest.raises(EncodingError) as error:
        count_many(batch)
    # An earlier text past the 255-part limit would be named first; none is here.
    assert error.value.index == which
    assert f"text {which} of the batch" in str(error.value)


def test_two_others_beyond_the_bmp_the_bound_cannot_settle_are_screened() -> None:
    # Emoji that join over every cut: the slack bound is unsure, so the chunk screens
    # them (alone they would be walked, at more cost) and its counts are exact.
    family = "👨\u200d👩\u200d👧"
    other = ("abc " + family) * 20
    assert len(other) > 70
    assert astral_count(other) == 0
    chunk = ["ok", other, "Your code is 1234", other[1:]]
    counts = chunk_counts(chunk)
    assert counts[1] in (0, ref.count(other))
    assert counts[3] in (0, ref.count(other[1:]))
    assert count_many(chunk) == ref.count_many(chunk)


@pytest.mark.parametrize("others", [1, 2, 3])
@pytest.mark.parametrize("length", [1, 70, _ALONE, _ALONE + 1])
@pytest.mark.parametrize("first", ["😀", "€", "á", "Ж", "👨\u200d👩\u200d👧"])
def test_up_to_two_short_others_are_left_to_count_segments(
    others: int, length: int, first: str
) -> None:
    other = (first + "a" * length)[: max(length, len(first))]
    chunk = ["ok", *[other] * others, "Your code is 1234"]
    counts = chunk_counts(chunk)
    alone = others <= 2 and len(other) <= _ALONE
    routed = counts[1 : 1 + others]
    # Left at 0 when alone, but one beyond the BMP over 70 characters: the slack
    # bound's count, or screened; else the screen's exact count (or 0, its own way).
    if alone and (len(other) <= 70 or all(char <= "\uffff" for char in other)):
        assert routed == [0] * others
    else:
        assert set(routed) <= {0, ref.count(other)}
    assert count_many(chunk) == ref.count_many(chunk)



class _Sized(str):
    """A str subclass whose size says four bytes a character: a size reading must not
    move its count."""

    def __sizeof__(self) -> int:
        return 10**6


@pytest.mark.parametrize("text", ["😀" + "a" * 140, "€" + "á" * 140, "中" * 140, "😀" * 70])
def test_a_str_subclass_of_another_size_counts_the_same(text: str) -> None:
    sized = _Sized(text)
    assert count_segments(sized) == ref.count(text)
    assert count_many([sized]) == [ref.count(text)]
    assert count_many(["ok", sized, "Your code is 1234"]) == [1, ref.count(text), 1]
    assert count_many(["ok", sized, sized, "ok"]) == [1, ref.count(text), ref.count(text), 1]
