"""segment() builds its values without the public constructors' checks: every part it
makes must equal, field by field, the value the public constructor builds from an
independent derivation (the slow splitter in tests/_reference.py for texts and units,
the header layout of TS 23.040 9.2.3.24.1 / 9.2.3.24.8 written out by hand below).

The texts reach every internal path: plain GSM-7 ASCII (one part, evenly cut parts,
over the 255-part limit), ASCII with escapes, ASCII that forces UCS-2 (a backtick, a
control character), other GSM-7 text, UCS-2 with and without astral characters or
clusters, on and around part boundaries.
"""

from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import Encoding, MessageTooLongError, Segment, SegmentedMessage, segment
from strategies import (
    astral_text,
    boundary_text,
    gsm7_ext_heavy_text,
    gsm7_text,
    ucs2_text,
    valid_text,
)

PLAIN_ASCII = "".join(c for c in ref.BASIC if c.isascii() and c != "\x00")
plain_ascii_text = st.text(alphabet=PLAIN_ASCII, max_size=700)
ascii_text = st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=700)
# Around the 255-part limit: 255 x 153 septets, 255 x 67 units (8-bit reference).
_LIMIT_LENGTHS = [255 * 152, 255 * 152 + 1, 255 * 153, 255 * 153 + 1, 255 * 66 + 1, 255 * 67,
                  255 * 67 + 1]
long_text = st.builds(
    lambda length, char: (char * length)[:length],
    st.sampled_from(_LIMIT_LENGTHS),
    st.sampled_from(["a", "`", "{", "é", "Ж", "ab😀"]),
)
# Escapes only after a long plain run: around the index where the last part starts
# (153 x n), where segment() cuts evenly if no escape comes before it.
late_escape_text = st.builds(
    lambda run, plain, tail: (plain * run)[:run] + tail,
    st.integers(min_value=140, max_value=800).flatmap(
        lambda n: st.sampled_from([n, 153 * (n // 153), 153 * (n // 153) - 1])
    ),
    st.sampled_from(["x", "é"]),
    st.text(alphabet="{}[]~|^\\€xé", min_size=1, max_size=20),
)
texts = st.one_of(
    plain_ascii_text, ascii_text, gsm7_text, gsm7_ext_heavy_text, ucs2_text, astral_text,
    boundary_text(), valid_text, late_escape_text,
)


def expected_udh(bits: int, reference: int, total: int, sequence: int) -> bytes:
    if total == 1:
        return b""
    if bits == 8:  # UDHL 5; IEI 0x00, length 3: reference, total, sequence
        return bytes([5, 0x00, 3, reference, total, sequence])
    # UDHL 6; IEI 0x08, length 4: reference (two octets), total, sequence
    return bytes([6, 0x08, 4, reference >> 8, reference & 0xFF, total, sequence])


def capacity(gsm: bool, bits: int, total: int) -> int:
    """Units a part holds, by hand: 140 octets less the UDH (6 or 7 octets if multipart)."""
    udh = 0 if total == 1 else (6 if bits == 8 else 7)
    return (1120 - 8 * udh) // 7 if gsm else (140 - udh) // 2


def check_message(text: str, bits: int, reference: int, grapheme_safe: bool) -> None:
    gsm = ref.is_gsm(text)
    cost = ref.gsm_septets if gsm else ref.ucs2_units
    expected_texts = ref.split(text, reference_bits=bits, grapheme_safe=grapheme_safe)
    options = {"reference_bits": bits, "reference": reference, "grapheme_safe": grapheme_safe}
    if len(expected_texts) > 255:
        with pytest.raises(MessageTooLongError):
            segment(text, **options)  # type: ignore[arg-type]
        return
    message = segment(text, **options)  # type: ignore[arg-type]
    encoding = Encoding.GSM7 if gsm else Encoding.UCS2
    total = len(expected_texts)
    public = [
        Segment(part, cost(part), expected_udh(bits, reference, total, sequence), encoding)
        for sequence, part in enumerate(expected_texts, 1)
    ]
    assert message.segments == tuple(public)
    for built, made in zip(message.segments, public, strict=True):
        assert (built.text, built.units, built.udh) == (made.text, made.units, made.udh)
        assert built.encoding is made.encoding is encoding
        assert (built.locking_shift, built.single_shift) == (None, None)
        assert hash(built) == hash(made)
        assert repr(built) == repr(made)
    assert message.text == text
    assert message.replacements == ()
    assert message.encoding is encoding
    assert message.segment_count == total
    assert message.units == cost(text)
    assert message.remaining == capacity(gsm, bits, total) - cost(expected_texts[-1])
    restored = pickle.loads(pickle.dumps(message))
    assert restored == message
    assert restored.segments == message.segments


@given(texts, st.sampled_from([8, 16]), st.data(), st.booleans())
def test_built_values_equal_public_construction(
    text: str, bits: int, data: st.DataObject, grapheme_safe: bool
) -> None:
    reference = data.draw(st.integers(min_value=0, max_value=(1 << bits) - 1))
    check_message(text, bits, reference, grapheme_safe)


@given(long_text, st.sampled_from([8, 16]))
def test_built_values_at_the_part_limit(text: str, bits: int) -> None:
    check_message(text, bits, 0, True)


@given(texts, st.sampled_from([("turkish",), ("spanish",), ("portuguese",)]))
def test_national_parts_equal_public_construction(text: str, languages: tuple[str]) -> None:
    message = segment(text, languages=languages)
    for part in message.segments:
        made = Segment(
            part.text, part.units, part.udh, part.encoding, part.locking_shift, part.single_shift
        )
        assert part == made
        assert hash(part) == hash(made)
        assert repr(part) == repr(made)
        assert pickle.loads(pickle.dumps(part)) == part
    assert pickle.loads(pickle.dumps(message)) == message


class _Markup(str):
    """A str subclass, as template engines hand out (markupsafe.Markup, SafeString)."""


@given(texts, st.sampled_from([{}, {"reference_bits": 16}, {"languages": ("turkish",)}]))
def test_a_str_subclass_gives_the_values_of_its_plain_str(
    text: str, options: dict[str, object]
) -> None:
    # Every value holds plain str (what the public constructor accepts), so a message
    # of a str subclass copies and pickles like any other.
    try:
        expected = segment(text, **options)  # type: ignore[arg-type]
    except MessageTooLongError:
        return
    message = segment(_Markup(text), **options)  # type: ignore[arg-type]
    assert type(message.text) is str
    assert all(type(part.text) is str for part in message.segments)
    assert message == expected
    assert pickle.loads(pickle.dumps(message)) == expected
    assert copy.deepcopy(message) == expected


# CR LF is one cluster: across a cut it moves whole, in one-unit and in astral text.
@example("é" * 66 + "\r\n" + "é" * 10, True, 0)
@example("😀" * 33 + "\r\n" + "x" * 40, True, 0)
# An escape pair never splits; an emoji modifier stays with its emoji.
@example("x" * 152 + "€" + "x" * 20, True, 0)
# Escapes only in the last part (cut evenly), and one just before it (cut one by one).
@example("x" * 153 + "€" + "x" * 10, True, 0)
@example("x" * 152 + "{" + "x" * 10, True, 0)
@example("x" * 306 + "[]", True, 5)
@example("é" * 200 + "|", True, 0)
@example("x" * 300 + "{" * 10, True, 0)
# ...and then the text needs one part more than its units alone say.
@example("x" * 152 + "€" + "x" * 152, True, 9)
@example("a" * 66 + "😀" + "a" * 66, False, 0)
@example("a" * 65 + "👍🏽" + "a" * 10, True, 7)
@given(texts, st.booleans(), st.integers(min_value=0, max_value=0xFF))
def test_default_paths_equal_the_general_path(
    text: str, grapheme_safe: bool, reference: int
) -> None:
    # segment() recognises its default options by identity and then cuts in its own
    # loops (_even_message, _cut_message, ...); a list of no languages is not recognised,
    # so it takes the general path (a plan, cuts(), _parts()). Both must agree on
    # every field of every part, and fail alike past 255 parts.
    options = {"reference": reference, "grapheme_safe": grapheme_safe}
    if len(ref.split(text, grapheme_safe=grapheme_safe)) > 255:
        with pytest.raises(MessageTooLongError) as general_error:
            segment(text, languages=[], **options)  # type: ignore[arg-type]
        with pytest.raises(MessageTooLongError) as fast_error:
            segment(text, **options)  # type: ignore[arg-type]
        assert fast_error.value.segments == general_error.value.segments
        return
    general = segment(text, languages=[], **options)  # type: ignore[arg-type]
    fast = segment(text, **options)  # type: ignore[arg-type]
    assert fast == general
    for mine, theirs in zip(fast.segments, general.segments, strict=True):
        assert tuple(mine) == tuple(theirs)  # the stored fields, not only equal values
    assert fast._fields == general._fields


@given(
    texts,
    st.sampled_from([{}, {"reference_bits": 16, "reference": 300}, {"languages": ("turkish",)}]),
)
def test_values_behave_as_their_public_fields(text: str, options: dict[str, object]) -> None:
    # Segment and SegmentedMessage are tuple subclasses underneath: a part is the record
    # of its six public fields, equal to a part rebuilt from them and to no plain tuple;
    # a message is no sequence, and rebuilds equal from its stored fields.
    try:
        message = segment(text, **options)  # type: ignore[arg-type]
    except MessageTooLongError:
        return
    for part in message.segments:
        fields = (
            part.text, part.units, part.udh, part.encoding, part.locking_shift,
            part.single_shift,
        )
        assert tuple(part) == fields
        rebuilt = Segment(*fields)
        assert part == rebuilt
        assert hash(part) == hash(rebuilt)
        assert part != fields
        assert fields != part
        assert pickle.loads(pickle.dumps(part)) == part
    with pytest.raises(TypeError):
        iter(message)
    assert message != (*message._fields, message.segments)
    again = SegmentedMessage(message._fields, message.segments)
    assert again == message
    assert hash(again) == hash(message)
    assert "".join(part.text for part in message.segments) == message.text
