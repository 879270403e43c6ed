"""The cut-by-cut builders (``_cut_message``, ``_wide_message``, ``_cluster_message``,
ending in ``segmentation._assembled``) held to the reference where they are weakest.

Each builder writes every header for the fewest parts the units allow and writes them
again when a part ended short (an escape, a surrogate pair or a cluster moved across a
cut). The texts here make that happen on purpose: units a few short of a whole number
of parts, with the characters that shorten a part put beside the cuts, from two parts
up to the 255-part limit and one over. Every field is compared with the slow reference
(tests/_reference.py) and with ``segment``'s general path (``_split``, taken when
``languages`` is not the default tuple), which builds the headers once.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import Encoding, MessageTooLongError, segment

# (filler, what shortens a part at a cut, units in a part) for each builder: GSM-7
# escapes (_cut_message), characters beyond the BMP (_wide_message), BMP clusters with
# one unit a character (_cluster_message).
KINDS = {
    "escape": ("a", ["{", "€", "\x0c", "^{", "{{"], 153),
    "astral": ("Ж", ["😀", "👍🏽", "🇫🇷", "a😀", "\U00020000"], 67),
    "cluster": ("中", ["カ\u3099", "e\u0301", "\r\n", "क्ष", "\u1100\u1161\u11a8"], 67),
}


@st.composite
def short_part_text(draw: st.DrawFn) -> str:
    filler, shorteners, size = KINDS[draw(st.sampled_from(sorted(KINDS)))]
    parts = draw(st.sampled_from([2, 3, 4, 7]) | st.integers(253, 255))
    chars = list(filler * parts * size)
    # Cuts to put a shortener beside: a few chosen, or (to reach one more part near
    # the limit) every one.
    cuts = range(1, parts)
    if draw(st.booleans()):
        cuts = sorted(draw(st.sets(st.integers(1, parts - 1), min_size=1, max_size=5)))
    offset = draw(st.sampled_from([-1, -1, -2, 0]))  # -1: straddles the cut
    for cut in reversed(cuts):  # from the end: an insertion does not move earlier cuts
        at = cut * size + offset
        shortener = draw(st.sampled_from(shorteners))
        chars[at : at + len(shortener)] = list(shortener)
    # Units a few short of filling ``parts`` parts (the tail is filler, a unit each): the
    # headers are first written for ``parts``, and a part that ends short needs one more.
    text = "".join(chars)
    units = ref.gsm_septets(text) if ref.is_gsm(text) else ref.ucs2_units(text)
    target = parts * size - draw(st.sampled_from([0, 0, 1, 3]))
    return text[: len(text) - (units - target)] if units > target else text


def capacity(gsm: bool, total: int) -> int:
    """Units of a part, by hand: 140 octets less a 6-octet header when multipart."""
    return (160 if gsm else 70) if total == 1 else (153 if gsm else 67)


@given(short_part_text(), st.integers(0, 0xFF))
@example("a" * 152 + "{" + "a" * 152, 7)  # 307 septets: two parts, then the escape makes three
@example(("a" * 152 + "{") * 255, 255)  # every part short: 256 parts
@example(("a" * 151 + "{") * 254 + "a" * 100, 1)  # escapes that fit: 255 parts exactly
@example("Ж" * 66 + ("😀" + "Ж" * 65) * 3, 0)  # each pair straddles a cut
@example("中" * 66 + ("カ\u3099" + "中" * 65) * 254, 9)  # 255 parts by the units, 256 cut
def test_short_parts_are_the_references_parts(text: str, reference: int) -> None:
    expected = ref.split(text)
    if len(expected) > 255:
        try:
            segment(text, reference=reference)
        except MessageTooLongError:
            return
        raise AssertionError(f"{len(expected)} parts must raise")
    message = segment(text, reference=reference)
    gsm = ref.is_gsm(text)
    cost = ref.gsm_septets if gsm else ref.ucs2_units
    total = len(expected)
    assert message.encoding is (Encoding.GSM7 if gsm else Encoding.UCS2)
    assert message.segment_count == total
    assert [part.text for part in message.segments] == expected
    for sequence, part in enumerate(message.segments, 1):
        assert part.units == cost(part.text)
        header = b"" if total == 1 else bytes([5, 0x00, 3, reference, total, sequence])
        assert part.udh == header
    assert message.units == cost(text)
    assert message.remaining == capacity(gsm, total) - cost(expected[-1])
    # The general path builds every header once, knowing the count: the same value.
    general = segment(text, reference=reference, languages=[])
    assert general == message
    assert (general.remaining, general.units, general.segments) == (
        message.remaining, message.units, message.segments)
