"""The drift screen of ``count_many``'s long texts beyond the BMP, held to the
readable reference.

The long UCS-2 texts the slack bound leaves are padded by units, each with a
separator saying the room its last part has left, encoded to UTF-16-BE and read as
Latin-1, two characters a unit (``_batch._drifted``): one match of ``_unit_cuts()`` a
text follows the drift of its cuts (surrogates, either half, never certain) and
says whether its count is its units'. A text it flags is walked. Emoji clusters
(ZWJ families, flags, keycaps, skin tones, tag sequences) are put here across every
cut at 67, 134, ... units, beside text of other scripts and separator values.
"""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, MessageTooLongError, count_many
from smskit.segments import _batch as batch
from smskit.segments._batch import CHUNK as _CHUNK
from smskit.segments._walk import CONJUNCT_EXTEND, JOIN_NEXT, JOIN_PREVIOUS

CLUSTERS = [
    "😀",
    "👍🏽",
    "🇫🇷",
    "🇫🇷🇩🇪",
    "👨\u200d👩\u200d👧",
    "👩🏾\u200d💻",
    "1\ufe0f\u20e3",  # keycap
    "❤\ufe0f",
    "✅",
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # tag sequence
    "\U0001f3fb",  # a skin tone alone
    "e\u0301",
    "क्ष",
    "\r\n",
    "\u200d",
    "\ue000",  # separator values, read where a separator is
    "\ue042",
    "\U00010000",
]
FILLERS = ["a", " ", "Ж", "王", "é", "a😀", "😀", "ि"]


@st.composite
def emoji_across_cuts(draw: st.DrawFn) -> str:
    """A filler of 0-420 units with a run of clusters (up to 4) over every cut."""
    filler = draw(st.sampled_from(FILLERS))
    chars = list((filler * 420)[: draw(st.integers(0, 420))])
    for cut in range(67, len(chars), 67):
        run = draw(st.lists(st.sampled_from(CLUSTERS), min_size=1, max_size=4))
        at = max(0, cut + draw(st.integers(-10, 2)))
        chars[at : at + 1] = run
    return "".join(chars)


def _padded_be(texts: list[str]) -> bytes:
    """Each text padded with spaces to whole parts of 67 units, then U+E000 plus the
    room its last part has left (written here apart from the code under test), in
    UTF-16-BE."""
    pieces = []
    for text in texts:
        units = ref.ucs2_units(text)
        pieces.append(text + " " * (-(units + 1) % 67) + chr(0xE000 + (-units % 67)))
    return "".join(pieces).encode("utf-16-be")


def _long_ucs2(texts: list[str]) -> list[str]:
    return [text for text in texts if not ref.is_gsm(text) and ref.ucs2_units(text) > 70]


@given(st.lists(emoji_across_cuts(), max_size=12))
@example(["a" * 66 + "😀" + "a" * 70])  # a pair over the first cut, room 63
@example(["a" * 65 + "👨\u200d👩\u200d👧" + "a" * 60])  # 8 units from 65: drift 9
@example(["a" * 60 + "👨\u200d👩\u200d👧" + "a" * 64 + "\ue042"])  # room 0
@example(["a" * 66 + "🇫🇷" + "a" * 65 + "😀"])  # 137 units
@example(["😀" * 67 + "a"])  # every other unit a surrogate: 135 units, no place certain
def test_an_unflagged_text_counts_its_units(texts: list[str]) -> None:
    texts = _long_ucs2(texts)
    verdicts = batch._drifted(_padded_be(texts))
    if len(verdicts) != len(texts):  # a separator's value read as one: the caller falls back
        assert any("\ue000" <= char <= "\ue042" for char in "".join(texts))
        return
    for text, verdict in zip(texts, verdicts, strict=True):
        if not verdict:
            assert ref.count(text) == -(-ref.ucs2_units(text) // 67), text


@given(st.lists(emoji_across_cuts() | st.sampled_from(["", "ok", "Olá", "€5 [x]"]), max_size=30))
@example(["a" * 66 + "👍🏽" + "a" * 66, "a" * 66 + "\ue000" + "😀" * 40])
def test_emoji_batches_count_as_the_reference(texts: list[str]) -> None:
    # Mixed with empty, GSM-7 and Latin texts; then whole chunks of them, so that the
    # screen runs on many long texts of several groups at once.
    assert count_many(texts) == ref.count_many(texts)
    wide = [text for text in texts if not text.isascii()] or ["a" * 70 + "😀"]
    many = (wide * (_CHUNK // len(wide) + 1))[: _CHUNK + 3]
    expected = {text: ref.count(text) for text in set(many)}
    assert count_many(many) == [expected[text] for text in many]


@pytest.mark.parametrize("where", [0, 5, _CHUNK - 1, _CHUNK + 2])
def test_a_lone_surrogate_among_long_emoji_texts_names_its_text(where: int) -> None:
    family = "👨\u200d👩\u200d👧"
    texts = ["a" * (60 + index % 10) + family + "b" * 70 for index in range(_CHUNK + 8)]
    texts[where] = texts[where][:66] + "\ud83d" + texts[where][66:]  # a high half alone
    with pytest.raises(EncodingError) as info:
        count_many(texts)
    assert info.value.index == where


def test_a_long_emoji_text_past_the_limit_names_its_text() -> None:
    texts = ["a" * 64 + "👍🏽" + "a" * 70] * 40
    texts[17] = "a" * 17084 + "😀"  # 17,086 units: 256 parts
    with pytest.raises(MessageTooLongError) as info:
        count_many(texts)
    assert info.value.index == 17


def test_gsm7_texts_past_the_ucs2_limit_are_counted_with_emoji_texts() -> None:
    # Hand-derived: 153 septets a part; "{" costs two, and "a{" three divide 153.
    texts = ["hi 😀 " * 30] * 10 + ["a" * 20_000, "a{" * 9_000, "a" * 39_015] + ["ok 👍🏽"] * 5
    counts = batch.chunk_counts(texts)  # the batch counts them: no 0 left for the slow path
    assert counts[10:13] == [131, 177, 255]
    assert count_many(texts) == [3] * 10 + [131, 177, 255] + [1] * 5


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # Hand-derived: 67 units a part; a cluster over a cut starts the next part.
        ("a" * 66 + "😀" + "a" * 67, 3),  # 135 units; the pair would straddle 67: 66 | 67 | 2
        ("a" * 65 + "👍🏽" + "a" * 64, 3),  # 133 units; the cluster moves: 65 | 67 | 1
        ("a" * 63 + "👍🏽" + "a" * 66, 2),  # 133 units; the cluster ends the first part
        ("a" * 66 + "🇫🇷" + "a" * 62, 2),  # 132 units; the flag moves: 66 | 66
        ("a" * 66 + "🇫🇷" + "a" * 63, 2),  # 133 units; the flag moves: 66 | 67
        ("a" * 60 + "👨\u200d👩\u200d👧" + "a" * 66, 3),  # 134 units; 60 | 67 | 7
    ],
)
def test_clusters_at_the_first_cut_by_example(text: str, parts: int) -> None:
    assert ref.count(text) == parts
    assert count_many([text, "hi 😀"] * 300) == [parts, 1] * 300


# -- how units are read: two Latin-1 characters (high byte, low byte) -----------------

SETS = {
    "may join what follows": JOIN_NEXT | CONJUNCT_EXTEND | batch._SURROGATES,
    "may join what precedes": JOIN_PREVIOUS | batch._SURROGATES,
    "extenders only": batch._ONLY_EXTENDERS,
    "separators from 5": batch._rooms(5),
}


@pytest.mark.parametrize("name", SETS)
def test_every_unit_read_two_characters_each_is_told_apart(name: str) -> None:
    # Every BMP unit, high byte first: among the set or outside it, never both.
    chars = SETS[name]
    among = re.compile("(?s)" + batch._byte_units(chars, True))
    outside = re.compile("(?s)" + batch._byte_units(chars, False))
    for code in range(0x10000):
        unit = chr(code >> 8) + chr(code & 0xFF)
        inside = chr(code) in chars
        assert (among.fullmatch(unit) is not None) == inside, hex(code)
        assert (outside.fullmatch(unit) is not None) == (not inside), hex(code)


@pytest.mark.skipif(sys.version_info < (3, 11, 5), reason="the possessive form is wrong there")
@given(st.lists(emoji_across_cuts(), max_size=6))
def test_the_atomic_unit_screen_reads_as_the_possessive_one(texts: list[str]) -> None:
    data = _padded_be(texts).decode("latin-1")
    atomic = batch._text_cuts(batch._atomic, batch._TWO_CHARS, 9).findall(data)
    assert atomic == batch._text_cuts(batch._possessive, batch._TWO_CHARS, 9).findall(data)
