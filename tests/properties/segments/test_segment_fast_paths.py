"""segment()'s shortcuts for the default options, held to the readable reference.

Each shortcut decides something from less than the whole text, or in fewer passes:
whether any cut every 67 characters can fall inside a grapheme cluster (from the
characters beside the cuts and a set of the characters that may join), where the parts
of a text with astral characters end (in UTF-16 units, a surrogate pair kept whole by
its high byte, the part's text decoded from its units), the escapes of ASCII text
(marked by the one screen of its bytes; a euro sign screened as an ASCII escape), and
the escapes of other GSM-7 text (one regex pass that also finds a character GSM-7
lacks). The texts put the characters each shortcut must notice exactly at, just before
and just after the cuts, in fillers of several scripts; every part must then be what
the slow splitter in tests/_reference.py makes, with the units it counts and the
header TS 23.040 9.2.3.24.1 lays out (written out by hand here).
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import Encoding, MessageTooLongError, segment
from smskit.segments.segmentation import _escapes
from strategies import gsm7_ext_heavy_text, gsm7_text, valid_text

# Fillers whose characters join nothing (Latin, Greek, Cyrillic, CJK ideographs, kana,
# Hangul syllables, symbols), Devanagari whose clusters a linker joins (GB9c) or a vowel
# sign extends, and atoms that may join, or must not be taken for joiners.
FILLERS = ["a", "é", "Ω", "Ж", "中", "カ", "한", "€", "{", "’", "😀", "👍", "क", "कि", "क्"]
ATOMS = [
    "\u3099", "\u309a", "カ\u3099", "\u1100", "\u1161", "\u11a8", "\r", "\r\n", "\n",
    "\u0301", "e\u0301", "\u200d", "\u200c", "\ufe0f", "\U0001f3fd", "👍🏽", "🇫🇷", "\U0001f1eb",
    "👨\u200d👩\u200d👧", "क्ष", "\u094d", "\u093f", "\u0e33", "\u0600", "\U000e0067", "😀",
    "\U00020000", "\U0010fffd", "\ud7ff", "\ue000", "\uffff", "Ø", "\u00d8", "{", "€", "^",
    "`", "\x0c", "\x00",
]


@st.composite
def cut_text(draw: st.DrawFn) -> str:
    filler = draw(st.sampled_from(FILLERS))
    length = draw(st.integers(min_value=60, max_value=600))
    chars = list(filler * length)
    step = draw(st.sampled_from([66, 67, 152, 153]))
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        cut = step * draw(st.integers(min_value=1, max_value=max(1, length // step)))
        at = cut + draw(st.integers(min_value=-2, max_value=1))
        if 0 <= at < len(chars):
            chars[at : at + 1] = list(draw(st.sampled_from(ATOMS)))
    return "".join(chars)


def expected_udh(total: int, sequence: int, reference: int) -> bytes:
    # UDHL 5; IEI 0x00 (8-bit reference concatenation), length 3: reference, total, sequence
    return b"" if total == 1 else bytes([5, 0x00, 3, reference, total, sequence])


@given(cut_text(), st.integers(min_value=0, max_value=0xFF))
@example("カ" * 66 + "\u3099" + "カ" * 70, 0)  # a voicing mark right after a cut
@example("한" * 67 + "\u11a8" + "한" * 70, 0)  # a trailing jamo after a syllable
@example("中" * 66 + "\r\n" + "中" * 70, 0)  # CR LF across a cut
@example("a" * 66 + "😀" + "a" * 70, 3)  # a surrogate pair across a cut
@example("a" * 65 + "👍🏽" + "a" * 70, 0)  # an emoji and its modifier across a cut
@example("\u00d8" * 100 + "😀", 0)  # D8 as a low byte: not a lead surrogate
@example("\ud7ff" * 100 + "😀" + "\ue000" * 40, 0)  # high bytes D7 and E0 beside D8-DB
@example("a" * 60 + "👨\u200d👩\u200d👧" + "a" * 70, 0)  # a ZWJ family moves whole
@example("क" * 65 + "\u094d\u093c" + "ष" + "क" * 70, 0)  # GB9c: linker, extender | consonant
@example("😀" * 100, 0)  # every cut would split a pair: parts of 66 units
@example("👍🏽" * 40, 0)  # clusters of four units: a part ends short, headers renumbered
@example("🇫🇷" * 1000 + "a", 0)  # past the 255-part limit
def test_default_parts_are_the_reference_parts(text: str, reference: int) -> None:
    expected = ref.split(text)
    if len(expected) > 255:
        try:
            segment(text, reference=reference)
        except MessageTooLongError:
            return
        raise AssertionError("over 255 parts must raise")
    message = segment(text, reference=reference)
    gsm = ref.is_gsm(text)
    cost = ref.gsm_septets if gsm else ref.ucs2_units
    assert message.encoding is (Encoding.GSM7 if gsm else Encoding.UCS2)
    assert [part.text for part in message.segments] == expected
    assert "".join(part.text for part in message.segments) == text
    total = len(expected)
    for sequence, part in enumerate(message.segments, 1):
        assert part.units == cost(part.text)
        assert part.udh == expected_udh(total, sequence, reference)
    assert message.units == cost(text)


@given(st.one_of(valid_text, gsm7_text, gsm7_ext_heavy_text, cut_text()))
@example("")
@example("{é€")
@example("€й{")  # an escape before the character GSM-7 lacks
@example("abc\x00")  # NUL is not the GSM-7 @
@example("a\x1b")  # nor is ESC a character
def test_escapes_are_the_extension_characters_of_gsm7_text(text: str) -> None:
    expected = [i for i, char in enumerate(text) if char in ref.EXTENSION]
    assert _escapes(text) == (expected if ref.is_gsm(text) else None)


# Every ASCII character: plain GSM-7, the extension characters (escapes), and those
# GSM-7 lacks (the backtick, NUL and the other control characters but LF and CR); the
# ones that are not plain are drawn more often.
ASCII = [chr(code) for code in range(128)]
SPECIAL_ASCII = [char for char in ASCII if char in ref.EXTENSION or not ref.is_gsm(char)]


@st.composite
def ascii_text(draw: st.DrawFn) -> str:
    """Plain ASCII of one to several parts with any ASCII characters, or a euro sign
    (screened as an ASCII escape), put at, just before and just after the GSM-7 cuts
    (every 153 septets) and elsewhere."""
    chars = list(draw(st.text(alphabet="abc xyz.,!?\n\r0@$_", min_size=1, max_size=700)))
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        cut = 153 * draw(st.integers(min_value=0, max_value=4))
        at = cut + draw(st.integers(min_value=-3, max_value=2))
        if 0 <= at < len(chars):
            chars[at] = draw(st.sampled_from([*SPECIAL_ASCII, "€"]) | st.sampled_from(ASCII))
    return "".join(chars)


@given(ascii_text(), st.integers(min_value=0, max_value=0xFF))
@example("a" * 152 + "{" + "a" * 10, 0)  # an escape across the first cut: moves whole
@example("a" * 151 + "{" + "a" * 10, 0)  # an escape ending the first part
@example("[" * 80 + "a", 0)  # escapes only: 161 septets, two parts
@example("a" * 300 + "`", 9)  # a backtick at the end: UCS-2
@example("\x00" + "a" * 70, 0)  # NUL first: UCS-2, two parts
@example("a" * 160 + "\x0c", 0)  # a form feed (an escape) over one part
@example("a" * 152 + "€" + "a" * 10, 0)  # a euro sign across the first cut
@example("€" * 80 + "`", 0)  # euro signs and a backtick: UCS-2
def test_ascii_and_euro_text_is_the_references(text: str, reference: int) -> None:
    expected = ref.split(text)
    message = segment(text, reference=reference)
    gsm = ref.is_gsm(text)
    cost = ref.gsm_septets if gsm else ref.ucs2_units
    assert message.encoding is (Encoding.GSM7 if gsm else Encoding.UCS2)
    assert [part.text for part in message.segments] == expected
    total = len(expected)
    for sequence, part in enumerate(message.segments, 1):
        assert part.units == cost(part.text)
        assert part.udh == expected_udh(total, sequence, reference)
    assert message.units == cost(text)
    room = (160 if gsm else 70) if total == 1 else (153 if gsm else 67)  # the last part's
    assert message.remaining == room - message.segments[-1].units


def test_each_ascii_character_alone_at_a_cut_and_repeated() -> None:
    for char in ASCII:
        for text in (char, "a" * 152 + char + "a" * 10, "a" * 66 + char + "a" * 10, char * 200):
            expected = ref.split(text)
            message = segment(text)
            cost = ref.gsm_septets if ref.is_gsm(text) else ref.ucs2_units
            assert [part.text for part in message.segments] == expected, (char, len(text))
            assert [part.units for part in message.segments] == [cost(p) for p in expected]
