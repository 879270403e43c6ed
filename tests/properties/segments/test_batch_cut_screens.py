"""The batch's cut screens held to the readable reference.

``count_many`` pads UCS-2 texts to whole parts so that the units beside every cut of
every text are two strided slices (``_straddled``), proves a
chunk of BMP texts holds no GSM-7 text with one regex, and counts a flagged text of
one unit a character by a slack bound (``slack_parts``) before walking its cuts.
Each shortcut must only ever say what the reference says: an unflagged text's parts
are all full, a proven count is the reference's, and batches of one class (so that
the padded path runs on whole chunks) count as the reference, bad texts named.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, count_many
from smskit.segments import _batch as batch
from smskit.segments._batch import CHUNK as _CHUNK
from smskit.segments._walk import slack_parts

# Characters that join (marks, viramas, ZWJ, jamo, variation selectors, CR) and
# characters that start clusters, in the scripts where long clusters occur.
JOINING = st.sampled_from(
    [
        "क",
        "्",
        "ष",
        "ि",
        "ं",
        "़",
        "த",
        "ு",
        "\u200d",
        "\u200c",
        "e",
        "\u0301",
        "\u0300",
        "\u1100",
        "\u1161",
        "\u11a8",
        "한",
        "\ufe0f",
        "\r",
        "\n",
        "中",
        "Ж",
        " ",
        "a",
        "😀",
        "👍",
        "\U0001f3fd",
        "\U0001f1eb",
        "\U0001f1f7",
        "\ue000",
    ]
)
joined_text = st.lists(JOINING, min_size=0, max_size=420).map("".join)
bmp_joined_text = joined_text.map(lambda text: "".join(c for c in text if c <= "\uffff"))


@st.composite
def straddling_text(draw: st.DrawFn) -> str:
    """A filler text with a multi-character cluster put across one or more cuts."""
    filler = draw(st.sampled_from(["क", "中", "Ж", "a ", "é", "😀"]))
    chars = list(filler * draw(st.integers(min_value=40, max_value=300)))
    clusters = ["क्ष", "e\u0301\u0301", "👨\u200d👩\u200d👧", "🇫🇷", "\r\n", "\u1100\u1161\u11a8"]
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = 67 * draw(st.integers(min_value=1, max_value=4)) + draw(st.integers(-4, 2))
        at = max(0, min(len(chars), at))
        chars[at:at] = [draw(st.sampled_from(clusters))]
    return "".join(chars)


@given(joined_text | straddling_text())
@example("क्ष" * 60)
@example("a" * 66 + "e" + "\u0301" * 40)
@example("ि" * 200)
@example("a" * 65 + "👨\u200d👩\u200d👧" * 3 + "a" * 60)
@example("😀" * 34 + "a" * 100)
def test_a_proven_slack_count_is_the_references(text: str) -> None:
    if ref.ucs2_units(text) <= 70 or ref.is_gsm(text):
        return  # slack_parts counts UCS-2 texts over one part
    data = None if max(text) <= "\uffff" else text.encode("utf-16-le")
    assert slack_parts(text, data) in (0, ref.count(text))


def _padded(texts: list[str]) -> bytes:
    """Each text padded with spaces to whole parts of 67 units, U+E000 its last unit."""
    units = [ref.ucs2_units(text) for text in texts]
    pads = [" " * (-(size + 1) % 67) + "\ue000" for size in units]
    return "".join(text + pad for text, pad in zip(texts, pads, strict=True)).encode("utf-16-le")


def _padded_with_rooms(texts: list[str]) -> str:
    """Texts of one unit a character padded with spaces to whole parts of 67 units,
    their last unit U+E000 plus the room the last part of the text has left."""
    pads = [" " * (-(len(text) + 1) % 67) + chr(0xE000 + -len(text) % 67) for text in texts]
    return "".join(text + pad for text, pad in zip(texts, pads, strict=True))


@given(st.lists(bmp_joined_text | straddling_text().filter(lambda t: "😀" not in t), max_size=20))
def test_an_unflagged_bmp_text_has_every_part_full(texts: list[str]) -> None:
    texts = [text for text in texts if max(text, default="a") <= "\uffff"]
    flagged = set(batch._straddled(_padded(texts), len(texts)))
    for index, text in enumerate(texts):
        if index not in flagged and len(text) > 70 and not ref.is_gsm(text):
            assert ref.parts_are_full(text), text


@given(st.lists(joined_text | straddling_text(), max_size=20))
def test_an_unflagged_text_of_any_units_has_every_part_full(texts: list[str]) -> None:
    flagged = set(batch._straddled(_padded(texts), len(texts)))
    for index, text in enumerate(texts):
        units = ref.ucs2_units(text)
        if index not in flagged and units > 70 and not ref.is_gsm(text):
            assert ref.parts_are_full(text), text


# Around the cuts of texts of one unit a character: Indic letters, linkers (virama),
# conjunct extenders (nukta, anusvara, ZWJ), other marks, U+E000 (the separator).
INDIC_AT_CUTS = st.sampled_from(
    ["क", "ष", "त", "्", "़", "ं", "ि", "ा", "\u200d", "\u200c", " ", "a", "\u0301", "\ue000"]
)


@st.composite
def indic_cut_text(draw: st.DrawFn) -> str:
    """A BMP filler with a run of Indic letters and marks put at or near every cut."""
    chars = list(draw(st.sampled_from(["क", "a", "中"])) * draw(st.integers(71, 280)))
    for cut in range(67, len(chars), 67):
        run = draw(st.lists(INDIC_AT_CUTS, min_size=1, max_size=4))
        at = cut + draw(st.integers(-3, 1))
        chars[at : at + len(run)] = run
    return "".join(chars)


@given(st.lists(bmp_joined_text | indic_cut_text() | straddling_text(), max_size=20))
@example(["क" * 65 + "्ं" + "क" * 70])  # GB9c: the linker two before the cut joins
@example(["क" * 64 + "़्ं" + "क" * 70])
@example(["क" * 65 + "ं\u200d" + "क" * 70])
@example(["क" * 67 + "ि" + "क" * 66])  # certain one place earlier, no room left
def test_an_unflagged_text_of_one_unit_a_character_counts_its_units(texts: list[str]) -> None:
    # The finer screen of texts with no surrogate: a class for each side of a cut, and
    # the cuts one place earlier (the count holds, not always every part full).
    texts = [text for text in texts if max(text, default="a") <= "\uffff"]
    flagged = set(batch._straddled_bmp(_padded_with_rooms(texts), len(texts)))
    for index, text in enumerate(texts):
        if index not in flagged and len(text) > 70 and not ref.is_gsm(text):
            assert ref.count(text) == -(-len(text) // 67), text


def test_a_cut_after_a_mark_of_a_plain_consonant_is_not_flagged() -> None:
    # Anusvara (a conjunct extender) then a consonant, a vowel sign then a space: each
    # side joins only the other way, so the cut is certain. An extender after a virama
    # (GB9c may join it to the consonant after the cut) is certain only three places
    # earlier, before the consonant that the virama follows: with room for three units
    # in the last part (137 units) the count is the units', with none (134) it is not.
    certain = ["क" * 66 + "ं" + "क" * 70, "क" * 66 + "ि" + " " * 70, "a" * 66 + "é" + "中" * 70]
    roomy = "क" * 65 + "्ं" + "क" * 70
    tight = "क" * 65 + "्ं" + "क" * 67
    assert all(ref.parts_are_full(text) for text in certain)
    assert not ref.parts_are_full(roomy)
    assert (ref.count(roomy), ref.count(tight)) == (3, 3)  # by units: 3 and 2
    texts = [*certain, roomy, tight, *certain]
    assert batch._straddled_bmp(_padded_with_rooms(texts), len(texts)) == [4]
    assert count_many(texts * 100) == [3] * 8 * 100  # 137 or 134 units, 3 parts each


def test_a_cut_certain_one_place_earlier_proves_the_count_only_with_room() -> None:
    # A vowel sign right after the cut joins the consonant before it: the cluster
    # moves, the first part ends at 66. With room in the last part the count is the
    # units' (138 -> 3); with none (134 units, two full parts) it takes one more.
    roomy = "क" * 67 + "ि" + "क" * 70
    full = "क" * 67 + "ि" + "क" * 66
    assert not ref.parts_are_full(roomy)
    assert (ref.count(roomy), ref.count(full)) == (3, 3)  # by units: 3 and 2
    texts = [roomy, full, roomy]
    assert batch._straddled_bmp(_padded_with_rooms(texts), len(texts)) == [1]
    assert count_many(texts * 100) == [3, 3, 3] * 100


MIXED = indic_cut_text() | straddling_text() | st.sampled_from(["", "ok", "😀 " * 40])


@given(st.lists(MIXED, max_size=12), st.integers(min_value=0, max_value=_CHUNK + 40))
def test_batches_mixing_indic_cuts_with_other_classes_count_as_the_reference(
    texts: list[str], fill: int
) -> None:
    # Indic fillers whose cut is certain only one place earlier move the drawn texts
    # across the chunk's and the screen's group boundaries.
    batch = ["क" * 67 + "ि" + "क" * 70] * fill + texts
    expected = {text: ref.count(text) for text in set(batch)}
    assert count_many(batch) == [expected[text] for text in batch]


@pytest.mark.parametrize("filler", ["a" * 140, "王" * 200, "क" * 150])
def test_a_separator_inside_a_bmp_text_flags_every_text(filler: str) -> None:
    # U+E000 where a separator is read (unit 66, before a cut) would make one text two,
    # placing a later text's uncertain cut in the wrong text: every text is flagged.
    uncertain = "क" * 65 + "्ं" + "क" * 70
    texts = [filler] * 7 + ["a" * 66 + "\ue000" + "a" * 70, filler, uncertain] + [filler] * 6
    flagged = batch._straddled_bmp(_padded_with_rooms(texts), len(texts))
    assert flagged == list(range(len(texts)))


# Chunks of one class only: the whole chunk takes the padded path.
ONE_CLASS = {
    "bmp": bmp_joined_text,
    "any": joined_text,
    "straddling": straddling_text(),
    "greek and cjk": st.text(alphabet="ΣΩΔ €{中ि", max_size=300),
    "indic at cuts": indic_cut_text(),
}


@pytest.mark.parametrize("kind", sorted(ONE_CLASS))
@given(data=st.data())
def test_one_class_batches_count_as_the_reference(kind: str, data: st.DataObject) -> None:
    texts = data.draw(st.lists(ONE_CLASS[kind], min_size=1, max_size=30))
    texts = [text for text in texts if text and not text.isascii()] or ["中"]
    assert count_many(texts) == ref.count_many(texts)
    for text, count in zip(texts, batch.chunk_counts(texts), strict=True):
        assert count in (0, ref.count(text)), text


def test_one_class_chunks_by_example() -> None:
    # Hand-derived: 67 units a part; a cluster across a cut moves whole to the next.
    texts = [
        "क" * 134,  # two full parts
        "क" * 66 + "क्ष" + "क" * 60,  # "क्ष" at 66-68 moves: 66 + 64 -> two parts
        "क" * 66 + "क्ष" + "क" * 65,  # 66 + 67 + 1 -> three parts (the move costs one)
        "中" * 200 + "\ue000",  # a separator inside a text: screened the slow way
        "ΣΩ€" * 40,  # GSM-7 among wide texts: 160 septets -> one part
        "e" + "\u0301" * 80,  # a cluster longer than a part is split between code points
    ]
    expected = [2, 2, 3, 3, 1, 2]
    assert [ref.count(text) for text in texts] == expected
    assert count_many(texts * 60) == expected * 60


@pytest.mark.parametrize(
    "filler",
    ["नमस्ते कृपया", "क" * 67 + "ि" + "क" * 70, "中文" * 50, "ok 👨\u200d👩\u200d👧 " * 20],
)
@pytest.mark.parametrize("where", [0, 5, _CHUNK - 1, _CHUNK, _CHUNK + 7])
def test_a_lone_surrogate_in_a_one_class_batch_names_the_text(filler: str, where: int) -> None:
    texts = [filler] * (_CHUNK + 20)
    texts[where] = filler + "\ud801"
    with pytest.raises(EncodingError) as info:
        count_many(texts)
    assert info.value.index == where
    assert info.value.char == "\ud801"
