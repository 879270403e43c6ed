"""``segment`` on UCS-2 text beyond the BMP whose parts are mostly ASCII (perf27s).

``_wide_message`` takes a part of 67 ASCII characters as it is (67 units, no decoding)
and tests a cut's two neighbours in place before calling ``certain_boundary``. What
could fool that: an astral character a few characters before or after a cut (the
part is then not ASCII, or the next one starts with it), a character that joins what
precedes it just after an ASCII part (a variation selector, a skin tone, ZWJ, a
combining mark), CR LF across a cut, and an Indic conjunct. ``_even_message`` and the
two-part plain path now read their parts through ready slice objects: the GSM-7 and
UCS-2 sizes at every number of parts up to a few, and the 153rd / 306th septet, are
held here too. Every part's text, units and header are compared with the slow
reference (``tests/_reference.py``) and with the general path (``_split``, reached
with ``languages=[]``).
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import segment

# What goes beside a cut (or is the astral character that makes the text UCS-2 wide).
ATOMS = [
    "😀", "a😀", "😀a", "👍🏽", "\U0001f3fd", "🇫🇷", "👨\u200d👩\u200d👧", "\U00020000",
    "\ufe0f", "\u2764\ufe0f", "\u200d", "\u0301", "e\u0301", "\r\n", "\r", "क्ष", "्",
    "\u0951", "#\ufe0f\u20e3", "\u1100\u1161",
]


@st.composite
def wide_ascii_text(draw: st.DrawFn) -> str:
    """ASCII filler over two to six parts, an astral character somewhere (so that the
    text is cut in units), and atoms within -3..+2 of some 67th characters."""
    chars = list("ab c" * 120)[: draw(st.integers(72, 67 * 6))]
    astral = draw(st.sampled_from(["😀", "🏡", "\U00020000"]))
    chars.insert(draw(st.integers(0, len(chars))), astral)
    for _ in range(draw(st.integers(0, 4))):
        at = 67 * draw(st.integers(1, max(1, len(chars) // 67))) + draw(st.integers(-3, 2))
        if 0 <= at <= len(chars):
            chars[at : at + draw(st.integers(0, 1))] = list(draw(st.sampled_from(ATOMS)))
    return "".join(chars)


def assert_as_reference(text: str, reference: int = 0) -> None:
    message = segment(text, reference=reference)
    parts = ref.split(text)
    assert [part.text for part in message.segments] == parts
    gsm = ref.is_gsm(text)
    units = [ref.gsm_septets(p) if gsm else ref.ucs2_units(p) for p in parts]
    assert [part.units for part in message.segments] == units
    capacity = (160 if gsm else 70) if len(parts) == 1 else (153 if gsm else 67)
    assert message.remaining == capacity - units[-1]
    general = segment(text, reference=reference, languages=[])  # _split: headers once
    assert message.segments == general.segments
    if len(parts) > 1:  # the concatenation element: reference, total, sequence
        for number, part in enumerate(message.segments, start=1):
            assert part.udh == bytes([5, 0, 3, reference, len(parts), number])


@given(wide_ascii_text(), st.integers(0, 0xFF))
@example("a" * 66 + "😀" + "a" * 70, 0)  # the pair straddles the first cut
@example("a" * 67 + "\ufe0f" + "a" * 10 + "😀", 3)  # VS16 just after an ASCII part
@example("a" * 67 + "\U0001f3fd" + "a" * 10, 0)  # a skin tone alone after the cut
@example("a" * 66 + "\r\n" + "a" * 10 + "😀", 0)  # CR LF across the cut
@example("😀" + "a" * 65 + "\u200d" + "a" * 70, 0)  # ZWJ just after a decoded part
@example("a" * 66 + "क्ष" + "😀" * 3, 0)  # a conjunct across the cut
@example("a" * 134 + "😀" + "b" * 66, 255)  # an astral character just after two ASCII parts
@example("a" * 64 + "क्\u0951ष" + "😀" * 3, 0)  # GB9c: a linker, an extender, the cut (rev27s)
def test_wide_text_with_ascii_parts_is_cut_as_the_reference_cuts_it(
    text: str, reference: int
) -> None:
    assert_as_reference(text, reference)


@given(
    st.sampled_from(["a", "Ж", "中", "é"]),
    st.integers(1, 8),
    st.integers(-2, 2),
    st.integers(0, 0xFF),
)
@example("a", 2, 0, 0)  # 306 septets: the two-part plain path, its last septet
@example("a", 1, 1, 0)  # 154 septets: the two-part plain path, one past a part
@example("Ж", 3, 0, 9)
def test_even_parts_read_through_ready_slices(
    filler: str, parts: int, offset: int, reference: int
) -> None:
    size = 153 if filler in ("a", "é") else 67  # GSM-7 (é too), or UCS-2
    length = size * parts + offset
    if length > (160 if size == 153 else 70):
        assert_as_reference(filler * length, reference)


def test_an_extender_after_a_linker_before_the_cut_keeps_the_conjunct_whole() -> None:
    """The in-place test must read a conjunct extender before the cut as unsure, not
    only what joins what follows (``JOIN_NEXT``): UAX #29 GB9c joins consonant, virama
    (a linker), U+0951 (an extender) and the next consonant into one cluster, so the
    cut between U+0951 and U+0937 moves to before U+0915. Expected parts written by hand from
    that rule (rev27s: a mutant testing ``JOIN_NEXT`` there passed every other test)."""
    conjunct = "\u0915\u094d\u0951\u0937"
    message = segment("a" * 64 + conjunct + "😀" * 3)
    assert [(part.text, part.units) for part in message.segments] == [
        ("a" * 64, 64),
        (conjunct + "😀" * 3, 10),
    ]
