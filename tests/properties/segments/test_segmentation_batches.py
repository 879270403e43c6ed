"""The fast paths against their readable references: the screen that classifies a
text, and count_many's batches (chunks, mixed classes, empty texts, bad texts)."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, MessageTooLongError, count_many, count_segments, segment
from smskit.segments import _batch as batch
from smskit.segments._batch import CHUNK as _CHUNK
from strategies import (
    astral_text,
    boundary_text,
    gsm7_ext_heavy_text,
    gsm7_text,
    ucs2_text,
    valid_text,
)

# One strategy per message class a campaign holds, plus long plain texts that take
# the table look-up and texts built to straddle part boundaries.
plain_ascii = st.text(alphabet="abc XYZ.,!?0123456789", max_size=700)
latin_text = st.text(alphabet="aeo çãõáéíóúâêôàèìòùäöü€ {", max_size=300)
cjk_text = st.text(alphabet="您好确认明天王こんにちはアイ안녕각", max_size=200)
greek_gsm = st.text(alphabet="ΓΔΘΛΞΠΣΦΨΩ ab€", max_size=300)
every_class = st.one_of(
    plain_ascii, gsm7_text, gsm7_ext_heavy_text, latin_text, ucs2_text, astral_text,
    cjk_text, greek_gsm, valid_text, boundary_text(), st.just(""),
)


@given(every_class)
@example("x" * 161 + "`")
@example("Olá € ç" * 20)
@example("ΣΩ € {}" * 30)
@example("您好" * 40 + "\r\n")
@example("ş" * 134 + "\r\n")
def test_fast_counter_matches_the_reference_on_every_class(text: str) -> None:
    assert count_segments(text) == ref.count(text)
    assert count_segments(text, grapheme_safe=False) == ref.count(text, grapheme_safe=False)


@given(st.lists(every_class, max_size=12), st.integers(min_value=0, max_value=_CHUNK + 40))
def test_batches_of_mixed_classes_count_as_the_reference(texts: list[str], fill: int) -> None:
    # ``fill`` plain texts first move the drawn ones across the chunk boundaries.
    batch = ["p" * (fill % 200)] * fill + texts
    assert count_many(batch) == ref.count_many(batch)
    assert count_many(iter(batch)) == [count_segments(t) for t in batch]


def test_chunk_edges_and_empty_texts() -> None:
    batch = ["", "x" * 160, "x" * 161, "€", "", "Zoë 👍🏽", "x" * 306, "x" * 307] * 100
    expected = [1, 1, 2, 1, 1, 1, 2, 3] * 100
    assert count_many(batch) == expected
    assert count_many([]) == []
    assert count_many([""] * 1000) == [1] * 1000


def test_count_tables_are_the_formulas_for_every_length() -> None:
    # TS 23.040: 160 septets in one SMS, 153 per part of a concatenated message;
    # 70 UCS-2 units in one, 67 per part.
    assert len(batch.PLAIN_PARTS) == 255 * 153 + 1
    assert len(batch._GSM_PARTS) == 255 * 153 + 1
    assert len(batch._UCS2_PARTS) == 255 * 67 + 1
    for septets in range(len(batch.PLAIN_PARTS)):
        parts = 1 if septets <= 160 else -(-septets // 153)
        assert batch.PLAIN_PARTS[septets] == parts, septets
        # With escapes a part may end one septet short: the count is only known
        # when 152 septets a part give the same.
        fewer = 1 if septets <= 160 else -(-septets // 152)
        assert batch._GSM_PARTS[septets] == (parts if parts == fewer else 0), septets
    assert len(batch._UCS2_BOUNDED) == 255 * 67 + 1
    for units in range(len(batch._UCS2_PARTS)):
        parts = 1 if units <= 70 else -(-units // 67)
        assert batch._UCS2_PARTS[units] == parts, units
        # With two-unit characters a part may end a unit short: 66 a part.
        fewer = 1 if units <= 70 else -(-units // 66)
        assert batch._UCS2_BOUNDED[units] == (parts if parts == fewer else 0), units


# Positions at and around every chunk edge of a batch of 2.5 chunks.
EDGES = [0, 1, _CHUNK - 1, _CHUNK, _CHUNK + 1, 2 * _CHUNK, 2 * _CHUNK + _CHUNK // 2 - 1]


@pytest.mark.parametrize("where", EDGES)
@pytest.mark.parametrize("bad", ["ab\ud800c", "Olá \udc00", "😀\ud83d"])
def test_lone_surrogate_in_a_batch_names_the_text(where: int, bad: str) -> None:
    batch = [["hello", "Zoë", "x" * 400, "😀 hi", ""][i % 5] for i in range(_CHUNK * 5 // 2)]
    batch[where] = bad
    with pytest.raises(EncodingError) as info:
        count_many(batch)
    with pytest.raises(EncodingError) as alone:
        count_segments(bad)
    assert info.value.index == where
    assert f"text {where} of the batch" in str(info.value)
    assert info.value.position == alone.value.position
    assert info.value.char == alone.value.char
    assert info.value.text == bad
    assert str(alone.value) in str(info.value)


def test_too_long_and_non_str_in_a_batch_name_the_text() -> None:
    batch = ["hi"] * (_CHUNK + 44)
    batch[_CHUNK + 14] = "x" * (153 * 255 + 1)
    with pytest.raises(MessageTooLongError) as info:
        count_many(batch)
    assert info.value.index == _CHUNK + 14
    assert info.value.segments == 256
    batch[_CHUNK + 14] = "ok"
    batch[3] = None  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="text 3 of the batch"):
        count_many(batch)


def test_str_subclasses_and_options_in_a_batch() -> None:
    class Body(str):
        """A str subclass, as some ORMs hand out."""

    batch = [Body("x" * 161), "y" * 161, Body("Zoë")]
    assert count_many(batch) == [2, 2, 1]
    smart = ["It\u2019s \u201cfine\u201d " * 6, "plain"]
    assert count_many(smart, smart=True) == [segment(t, smart=True).segment_count for t in smart]
    assert count_many(smart, grapheme_safe=False) == [
        count_segments(t, grapheme_safe=False) for t in smart
    ]


SCREEN_FILLERS = ["a", "é", "ç", "ş", "王", "Ж", "`", "Σ", "€", "{"]
SCREEN_COSTLY = ["", "€", "{", "ç", "😀", "é\u0301", "\r\n", "王", "Ω"]


def test_every_class_at_every_boundary_counts_as_the_reference() -> None:
    """Exhaustive: each screened class, at every length where the count changes."""
    lengths = [66, 67, 68, 70, 71, 133, 134, 135, 152, 153, 154, 160, 161, 201, 306, 307]
    batch = [
        filler * length + costly
        for filler in SCREEN_FILLERS
        for costly in SCREEN_COSTLY
        for length in lengths
    ]
    assert count_many(batch) == ref.count_many(batch)
    assert [segment(text).segment_count for text in batch] == ref.count_many(batch)


# -- the chunk screen (smskit.segments._batch) -------------------------------------

# Texts that take each way through the screen: Latin-1 only (GSM-7 or not, escapes,
# CR), the euro sign beside Latin-1, Greek capitals (GSM-7 beyond Latin-1), NUL
# (never GSM-7, the screen's separator), other scripts, joiners and astral characters.
_SCREEN_PIECES = st.sampled_from(
    [
        "a", " ", "é", "ç", "`", "\x0c", "{", "€", "\r", "\n", "\r\n", "\x00", "Σ", "Ω",
        "Ж", "王", "각", "\u1100", "\u0301", "\u200d", "क", "्", "😀", "👍🏽", "🇫🇷",
        "\U000e0041", "\U0010ffff", "\ufe0f",
        # The wide screen: its U+E000 mark between texts, other U+E0xx characters,
        # and characters whose high byte a GSM-7 character shares (U+03xx, U+20xx).
        "\ue000", "\ue0ff", "\u2019", "\u201c", "\u0394", "\u03b1", "\u20ac", "\u2000",
    ]
)
screen_text = st.builds(
    lambda pieces, filler, repeat: filler * repeat + "".join(pieces),
    st.lists(_SCREEN_PIECES, max_size=12),
    st.sampled_from(["a", "é", "Ж", "王", "€", "Σ", "’", "😀"]),
    st.sampled_from([0, 5, 60, 66, 67, 68, 130, 131, 132, 133, 134, 150, 152, 153, 160, 300]),
)


@given(st.lists(screen_text | every_class, max_size=20))
def test_the_screen_never_gives_a_wrong_count(texts: list[str]) -> None:
    # Its contract: each count is exact, or 0 for "count this text on its own".
    for text, count in zip(texts, batch.screen(texts), strict=True):
        assert count in (0, ref.count(text)), text


@given(st.lists(screen_text, max_size=20), st.integers(min_value=0, max_value=_CHUNK + 10))
def test_batches_through_every_screen_path_count_as_the_reference(
    texts: list[str], fill: int
) -> None:
    batch_ = ["plain text " * (fill % 20)] * fill + texts
    assert count_many(batch_) == ref.count_many(batch_)


def test_screen_paths_by_example() -> None:
    # Hand-derived counts (TS 23.040: 160/153 septets, 70/67 units).
    cases = {
        "x" * 150 + "€€€€€": 1,  # 150 + 5 escapes x 2 = 160 septets
        "x" * 151 + "€€€€€": 2,  # 161 septets
        "Σ" * 160: 1,  # Greek capitals are GSM-7: one septet each
        "Σ" * 159 + "王": 3,  # one non-GSM character: 160 UCS-2 units, 67 a part
        "é" * 70: 1,  # é is GSM-7 (160 septets one part)
        "ç" * 70: 1,  # ç is not: 70 UCS-2 units, one part
        "ç" * 71: 2,
        "ç" * 66 + "\r\n" + "ç" * 10: 2,  # CR LF kept together still fits two parts
        "王" * 134: 2,
        "王" * 135: 3,
        "😀" * 35: 1,  # 70 units
        "😀" * 36: 2,  # 72 units; a pair never split: 33 + 3 emoji
        "a\x00b" * 60: 3,  # NUL is not GSM-7: 180 units
        "": 1,
    }
    texts = list(cases)
    assert count_many(texts) == list(cases.values())
    # The same texts inside chunks of plain, Latin-1 and wide texts.
    for filler in ("plain", "Olá", "王"):
        mixed = [filler] * (_CHUNK - 5) + texts + [filler] * 10
        assert count_many(mixed)[_CHUNK - 5 : -10] == list(cases.values())


@pytest.mark.parametrize("where", EDGES)
@pytest.mark.parametrize("bad", [None, b"bytes", 42])
@pytest.mark.parametrize("filler", ["ascii", "Olá João", "您好 😀"])
def test_a_non_str_anywhere_in_a_batch_names_the_text(where: int, bad: object, filler: str) -> None:
    texts: list[object] = [filler] * (_CHUNK * 5 // 2)
    texts[where] = bad
    with pytest.raises(TypeError, match=f"text {where} of the batch"):
        count_many(texts)  # type: ignore[arg-type]


@pytest.mark.parametrize("filler", ["Olá João", "Ζ € ok", "您好", "x" * 200])
def test_lone_surrogate_in_any_kind_of_batch_names_the_text(filler: str) -> None:
    texts = [filler] * (_CHUNK + 50)
    texts[_CHUNK + 3] = "Olá \udc00 " + filler
    with pytest.raises(EncodingError) as info:
        count_many(texts)
    assert info.value.index == _CHUNK + 3
    assert info.value.char == "\udc00"


@given(st.lists(screen_text | every_class, max_size=40))
def test_the_chunk_screen_never_gives_a_wrong_count(texts: list[str]) -> None:
    # ASCII texts and the others screened apart, then put back in place.
    for text, count in zip(texts, batch.chunk_counts(texts), strict=True):
        assert count in (0, ref.count(text)), text


def test_wide_screen_paths_by_example() -> None:
    # Hand-derived (TS 23.040: 160/153 septets, 70/67 units). Each list is one chunk
    # of non-ASCII texts, through the one-encoding way (every character in the BMP)
    # and the one-by-one way (a character beyond it).
    cases = {
        "Ж" * 70: 1,
        "Ж" * 71: 2,
        "ΣΔ" * 80: 1,  # Greek capitals are GSM-7: 160 septets
        "ΣΔ" * 80 + "α": 3,  # a small alpha is not: 161 UCS-2 units
        "x" * 69 + "\u2019": 1,  # a right single quote: UCS-2, 70 units
        "x" * 70 + "\u2019": 2,
        "Olá" * 24: 2,  # á is not GSM-7: 72 UCS-2 units
        "€" * 80: 1,  # 160 septets
        "a\x00Ж" * 30: 2,  # NUL is one unit: 90
    }
    marked = {
        "\ue000" * 3 + "Ж": 1,  # the screen's own mark inside a text
        "王\ue0ff" * 36: 2,  # 72 units
    }
    texts = list(cases)
    exact = batch.chunk_counts(texts)
    assert exact.count(0) <= 1, exact  # only the NUL text may be left to the slow path
    cases.update(marked)
    texts = list(cases)
    for extra in ([], ["😀"]):
        screened = batch.chunk_counts(texts + extra)
        # Each count exact, or 0: left for the one-by-one path, never wrong.
        assert all(got in (0, want) for got, want in zip(screened, cases.values(), strict=False))
        assert count_many(texts + extra)[: len(texts)] == list(cases.values())
        assert count_many(["ascii"] * 3 + texts + extra)[3 : 3 + len(texts)] == list(cases.values())


@given(
    st.lists(screen_text | every_class, min_size=1, max_size=30),
    st.integers(min_value=0, max_value=_CHUNK + 10),
    st.data(),
)
def test_a_lone_surrogate_anywhere_in_a_batch_names_its_text(
    texts: list[str], fill: int, data: st.DataObject
) -> None:
    # Whichever way its chunk is screened (ASCII, Latin-1, BMP, astral), the error
    # names the text's index in the whole batch, as count_segments would say it.
    where = data.draw(st.integers(min_value=0, max_value=len(texts) - 1))
    text = texts[where]
    cut = data.draw(st.integers(min_value=0, max_value=len(text)))
    lone = data.draw(st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff"]))
    bad = text[:cut] + lone + text[cut:]
    batch_ = ["plain"] * fill + texts
    batch_[fill + where] = bad
    with pytest.raises(EncodingError) as info:
        count_many(batch_)
    with pytest.raises(EncodingError) as alone:
        count_segments(bad)
    assert info.value.index == fill + where
    assert info.value.position == alone.value.position
