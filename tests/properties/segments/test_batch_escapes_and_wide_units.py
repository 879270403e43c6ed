"""Two shortcuts of ``count_many`` held to the readable reference.

- A GSM-7 text whose septets leave the part count open (an escape pair may straddle a
  cut) is cut by marking its escape pairs (``escape_parts``), with no plan built.
- A chunk of wide texts (no character beyond the BMP) in which no part of the padded
  texts starts with a GSM-7 character and no unit beside a cut may join is counted
  by its units (``_units_count``), with no padded encoding nor cut screen.

Texts are built to put escapes on and beside the cuts, GSM-7 texts among CJK ones at
every place in a chunk, and texts of whole parts (whose padding fills a part).
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, count_many, count_segments
from smskit.segments import _batch as batch
from smskit.segments._batch import CHUNK as _CHUNK
from smskit.segments._cutting import escape_parts

ESCAPES = "{}[]~|^\\€\f"


@st.composite
def escape_at_cut_text(draw: st.DrawFn) -> str:
    """A GSM-7 text over one part with escape pairs on or next to the cuts, where a
    pair straddling a cut moves it back."""
    filler = draw(st.sampled_from(["a", "é", "Σ", " ", "a1"]))
    chars = list(filler * draw(st.integers(min_value=80, max_value=320)))
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        at = 153 * draw(st.integers(min_value=1, max_value=4)) + draw(st.integers(-6, 2))
        chars.insert(max(0, min(len(chars), at)), draw(st.sampled_from(ESCAPES)))
    return "".join(chars)


@given(escape_at_cut_text())
@example("a" * 152 + "{" + "a" * 152)  # the pair straddles 153: parts of 152, 153, 1
@example("a" * 151 + "{" + "a" * 153)  # the pair ends the first part: 153 + 153
@example("{" * 153)  # 306 septets, every cut on a pair's first half
def test_escape_parts_is_the_references_count(text: str) -> None:
    if ref.gsm_septets(text) is None or ref.gsm_septets(text) <= 160:
        return  # escape_parts counts GSM-7 texts over one part
    assert escape_parts(text, 153) == ref.count(text)
    assert count_segments(text) == ref.count(text)


def test_escape_parts_by_example() -> None:
    # Hand-derived: a part holds 153 septets and never half a pair.
    assert escape_parts("a" * 152 + "{" + "a" * 152, 153) == 3  # 152 | 153 | 1
    assert escape_parts("a" * 151 + "{" + "a" * 153, 153) == 2  # 153 | 153
    assert escape_parts("{" * 153, 153) == 3  # 152 | 152 | 2
    assert escape_parts("a" * 152 + "€" + "a" * 151, 153) == 2  # 152 | 153


@given(st.lists(escape_at_cut_text(), min_size=1, max_size=8), st.integers(0, _CHUNK + 300))
def test_batches_with_escapes_on_the_cuts_count_as_the_reference(
    texts: list[str], fill: int
) -> None:
    # Plain fillers move the drawn texts across the 256-text groups and the chunks;
    # ASCII texts are counted in groups of their own, the others in the chunk's screen.
    batch_ = ["ok, see you [at] 5"] * fill + texts + ["x" * 161] * 3
    expected = {text: ref.count(text) for text in set(batch_)}
    assert count_many(batch_) == [expected[text] for text in batch_]


# Wide texts of one unit a character: CJK and Cyrillic (join nothing), GSM-7 texts
# that hold a character beyond Latin-1 (Greek capitals, the euro sign), texts that
# start with a GSM-7 character and are not GSM-7, marks that join, U+E000 and U+0001
# (the separator and the padding), and lengths of whole parts.
WIDE_PIECES = st.sampled_from(
    ["中", "文", "Ж", "д", "ΣΩ", "€", " ", "a", "{", "é", "\u0301", "क्", "\ue000", "\x01"]
)
wide_text = st.lists(WIDE_PIECES, max_size=240).map("".join)
gsm_wide_text = st.text(alphabet="ΓΔΘΛΞΠΣΦΨΩ€ ab{", min_size=1, max_size=320)


@st.composite
def whole_parts_text(draw: st.DrawFn) -> str:
    """A CJK or Cyrillic text of whole parts (its padding fills one more part), or
    one that starts with a GSM-7 character."""
    filler = draw(st.sampled_from(["中", "Ж"]))
    head = draw(st.sampled_from(["", " ", "a", "Σ", "€"]))
    return head + filler * (67 * draw(st.integers(1, 3)) - len(head))


WIDE = st.one_of(wide_text, gsm_wide_text, whole_parts_text(), st.just(""))


@given(st.lists(WIDE, max_size=20))
@example(["中" * 134, "ΣΩ" * 30])
@example(["ΣΩ€" * 40, "中" * 100])
@example(["中" * 66 + "\u0301" + "中" * 10])
def test_a_units_count_claim_holds_for_every_text(texts: list[str]) -> None:
    # Whatever the texts, when _units_count says so, no text is GSM-7 (an empty text
    # counts 1 either way) and each count is its units' (67 a part).
    padded = batch._padded(texts, [batch._PAD_SEP_BY_UNITS[len(text)] for text in texts])
    if not batch._units_count(padded):
        return
    for text in texts:
        assert not (text and ref.is_gsm(text)), text
        assert ref.count(text) == (1 if len(text) <= 70 else -(-len(text) // 67)), text


def test_units_count_by_example() -> None:
    cjk = ["中" * 200, "Жд" * 50, "中" * 134]  # no GSM-7 first unit, no joiner by a cut
    assert batch._units_count(batch._padded(cjk, [batch._PAD_SEP_BY_UNITS[len(t)] for t in cjk]))
    for texts in (
        ["ΣΩ" * 30, *cjk],  # a GSM-7 text first
        [*cjk, "€Σ"],  # a GSM-7 text last
        [*cjk, " 中"],  # starts with a space: asked the long way
        ["中" * 66 + "\u0301" + "中" * 9],  # a mark before the cut
    ):
        pads = [batch._PAD_SEP_BY_UNITS[len(text)] for text in texts]
        assert not batch._units_count(batch._padded(texts, pads)), texts


@given(st.lists(WIDE, min_size=1, max_size=30), st.integers(0, _CHUNK + 300))
def test_wide_batches_count_as_the_reference(texts: list[str], fill: int) -> None:
    # CJK fillers first: the drawn texts land anywhere in a chunk of mostly wide
    # texts, screened 256 at a time.
    batch_ = ["中文" * 40] * fill + texts
    expected = {text: ref.count(text) for text in set(batch_)}
    assert count_many(batch_) == [expected[text] for text in batch_]
    texts = [text for text in texts if not text.isascii()] or ["中"]
    joined = batch.SEP.join(texts)
    for text, count in zip(texts, batch.wide_counts(texts, joined), strict=True):
        assert count in (0, ref.count(text)), text


@pytest.mark.parametrize("where", [0, 255, 256, _CHUNK - 1, _CHUNK + 3])
def test_a_lone_surrogate_in_a_units_counted_chunk_names_the_text(where: int) -> None:
    texts = ["中文" * 40, "Жд" * 30] * (_CHUNK // 2 + 10)
    texts[where] = "中" * 10 + "\udc00" + "中" * 10  # no cut: only the encoding sees it
    with pytest.raises(EncodingError) as info:
        count_many(texts)
    assert info.value.index == where
