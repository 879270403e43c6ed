"""``count_many`` against ``count_segments`` and the reference where its shortcuts are
thinnest: the 255-part limit for GSM-7 texts whose escapes straddle the cuts, U+0001
(the padding) and other control characters inside texts, lengths of whole parts,
joiners and GSM-7 characters on and beside the cuts, batches across the 256-text
groups and the 1,024-text chunks.

Every text is counted one by one (``count_segments``, which raises past the limit)
and, under the limit, by the readable reference; ``count_many`` must answer the same
or raise the same error naming the same text.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, MessageTooLongError, count_many, count_segments

ESCAPES = "{}[]~|^\\€\f"


def _one_by_one(texts: list[str]) -> list[int] | tuple[str, int]:
    """Each text's count, or the error's class name and the index of the first text
    ``count_segments`` refuses."""
    counts = []
    for index, text in enumerate(texts):
        try:
            counts.append(count_segments(text))
        except (EncodingError, MessageTooLongError) as exc:
            return type(exc).__name__, index
    return counts


def _batch(texts: list[str]) -> list[int] | tuple[str, int | None]:
    """``count_many``'s counts, or its error's class name and the index it names."""
    try:
        return count_many(texts)
    except (EncodingError, MessageTooLongError) as exc:
        return type(exc).__name__, exc.index


# GSM-7 texts near 255 parts whose septets leave the count open: each part holds 153
# septets or 152 where an escape pair would straddle its cut. All escapes: 76 pairs a
# part, so 19,381-19,507 pairs (38,762-39,014 septets, within 255 x 153) need 256 or
# 257 parts, which the limit refuses.
@st.composite
def near_limit_gsm(draw: st.DrawFn) -> str:
    escape = draw(st.sampled_from(ESCAPES))
    pairs = draw(st.integers(min_value=19_300, max_value=19_507))
    head = draw(st.sampled_from(["", "a", "é", "Σ", "ab"]))
    return head + escape * pairs


HOSTS = [["x"] * 3, ["é" * 5], ["中" * 80], ["😀" * 40], ["ΣΩ" * 30], []]


@given(near_limit_gsm(), st.sampled_from(HOSTS))
@example("{" * 19_507, [])  # 257 parts by the cuts, 255 by septets alone
@example("€" * 19_400, ["中" * 80])  # among wide texts: past their units table
@example("é" + "[" * 19_400, ["é" * 5])  # accented
@example("Σ" + "~" * 19_400, ["😀" * 40])  # among texts beyond the BMP
def test_gsm_texts_past_the_limit_by_their_escapes_are_refused(
    text: str, hosts: list[str]
) -> None:
    texts = [*hosts, text]
    assert _batch(texts) == _one_by_one(texts)


def test_a_gsm_text_past_the_limit_by_its_escapes_names_its_index() -> None:
    # 19,507 pairs are 39,014 septets (under 255 x 153), but a part holds 76 pairs:
    # 257 parts.
    texts = ["x" * 161] * 300 + ["{" * 19_507] + ["中"] * 10
    with pytest.raises(MessageTooLongError) as info:
        count_many(texts)
    assert info.value.index == 300
    assert info.value.segments == 257


# One unit a character (CJK, Cyrillic, Thai, Hangul syllables, U+0001 the padding, NUL,
# other controls, U+E000 the separator) and pieces that are GSM-7 or may join a
# neighbour: combining marks, ZWJ, a variation selector, Hangul jamo, a virama and a
# nukta, a prepended mark, CR LF, and pieces beyond the BMP (regional indicators, an
# emoji modifier, a tag).
FILLERS = ["中", "Ж", "ก", "가", "\x01", "\x00", "\x1f", "\x85", "\ue000", "`"]
PIECES = [
    "\x01", "\x00", "\x02", "\x7f", "\u200b", "\u00ad", "\ufeff", "\ue000", "\ue0ff",
    "a", "é", "Σ", "€", "{", "\f", " ", "@",
    "\u0301", "\u200d", "\ufe0f", "\u200c", "\u1100", "\u1161", "\u11a8", "\u0915\u094d",
    "\u094d", "\u093c", "\u0e33", "\u0600", "\u0d4e", "\r", "\n", "\r\n",
    "\U0001f1eb", "\U0001f3fd", "\U000e0020", "😀", "❤",
]
# The first unit of a text and the units beside its cuts: 0, 66|67, 133|134, 200|201.
PLACES = [0, 1, 65, 66, 67, 68, 132, 133, 134, 135, 199, 200, 201, 202]


@st.composite
def cut_text(draw: st.DrawFn) -> str:
    """A text of one filler, 0-4 parts of 67 units long give or take, with pieces at the
    first unit or beside a cut (put over a filler unit or inserted)."""
    filler = draw(st.sampled_from(FILLERS))
    size = draw(st.sampled_from([0, 1, 66, 67, 68, 69, 70, 71, 133, 134, 135, 200, 201, 202, 268]))
    chars = [filler] * size
    for _ in range(draw(st.integers(0, 3))):
        at = min(draw(st.sampled_from(PLACES)), len(chars))
        piece = draw(st.sampled_from(PIECES))
        if draw(st.booleans()):
            chars[at : at + 1] = [piece]
        else:
            chars.insert(at, piece)
    return "".join(chars)


def _counted_alike(texts: list[str]) -> None:
    expected = _one_by_one(texts)
    assert _batch(texts) == expected
    if isinstance(expected, list):
        by_reference = {text: ref.count(text) for text in set(texts)}
        assert expected == [by_reference[text] for text in texts]


@given(st.lists(cut_text(), min_size=1, max_size=12), st.sampled_from(["中文" * 40, "Жд" * 35, ""]))
@example(["\x01" * 67, "中" * 67], "")  # a text of padding characters, a whole part
@example(["a" + "中" * 133, "中" * 134], "")  # GSM-7 first, not GSM-7
@example(["中" * 66 + "\u0301" + "中" * 4], "中文" * 40)  # a mark after the cut, 71 units
@example(["\x01" * 66 + "\r\n" + "\x01" * 3, "中" * 70], "")  # CR LF across a cut, 71 units
@example(["中" * 10 + "\x00" + "中" * 100], "中文" * 40)  # NUL inside a wide text
def test_wide_texts_with_controls_and_joiners_at_the_cuts(texts: list[str], host: str) -> None:
    # Hosts first make the join long enough for the wide screen (a short one is read
    # as if beyond the BMP, a guess ``_astral_counts`` checks).
    _counted_alike([host] * 8 + texts)


# Texts of each class, to mix in batches across the 256-text groups and the chunks.
CLASSES = [
    "ok", "x" * 161, "é" * 80, "ΣΩ" * 50, "{" * 100, "中文" * 40, "中" * 134, "Жд" * 35,
    "😀" * 40, "\x01" * 70, "", "a" + "中" * 70, "\x00x",
]


@given(
    st.sampled_from([1, 255, 256, 257, 1023, 1024, 1025]),
    st.lists(st.tuples(st.integers(0, 1024), st.one_of(st.sampled_from(CLASSES), cut_text()))),
    st.sampled_from(CLASSES),
)
def test_batches_of_every_size_mixing_classes(
    size: int, placed: list[tuple[int, str]], base: str
) -> None:
    texts = [base] * size
    for at, text in placed[:40]:
        texts[at % size] = text
    _counted_alike(texts)


@given(
    st.sampled_from([1, 255, 256, 257, 1023, 1024, 1025]),
    st.integers(0, 1024),
    st.sampled_from(CLASSES),
    st.sampled_from(["\udc00", "\ud83d", "\ud83d\ude00"]),
    st.sampled_from(["", "中" * 60, "a" * 60, "é", "😀"]),
)
def test_a_lone_surrogate_anywhere_names_its_text(
    size: int, at: int, base: str, surrogate: str, around: str
) -> None:
    texts = [base] * size
    texts[at % size] = around + surrogate + around
    with pytest.raises(EncodingError) as info:
        count_many(texts)
    assert info.value.index == at % size


# A piece and a filler it joins across a cut, from either side, where nothing else in
# the chunk stops the units count (no GSM-7 first unit, no other joiner by a cut):
# prepended marks, an L jamo before a syllable, a virama between consonants (GB9c),
# ZWJ between pictographs, a mark, a variation selector or a V jamo after.
JOIN_ACROSS = [
    ("\u0600", "中", True), ("\u0d4e", "Ж", True), ("\u1100", "가", True),
    ("\u094d", "क", True), ("\u200d", "❤", True), ("\u0301", "中", False),
    ("\ufe0f", "❤", False), ("\u1161", "\u1100", False), ("\u093c", "क", False),
]


@given(
    st.sampled_from(JOIN_ACROSS),
    st.integers(1, 3),
    st.integers(0, 70),
    st.integers(0, 300),
    st.sampled_from(["中文" * 40, "Жд" * 35, "\x01中" * 40]),
)
@example(("\u0600", "中", True), 1, 67, 8, "中文" * 40)
@example(("\u1100", "가", True), 2, 0, 8, "中文" * 40)
def test_a_lone_joiner_by_a_cut_among_units_counted_texts(
    join: tuple[str, str, bool], cut: int, after: int, hosts: int, host: str
) -> None:
    piece, filler, before = join
    at = 67 * cut - 1 if before else 67 * cut
    text = filler * at + piece + filler * after
    _counted_alike([host] * hosts + [text] + [host] * 3)
