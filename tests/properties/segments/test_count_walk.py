"""The count walk (smskit.segments._walk) against the slow reference splitter: grapheme
clusters of every kind placed exactly at and around each cut of 67 units (and of 153
septets for GSM-7 text), in texts with one- and two-unit characters."""

from __future__ import annotations

from itertools import accumulate

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import MessageTooLongError, count_many, count_segments
from smskit.segments import _walk

# Clusters of several code points (UAX #29 and GB9c, as the installed `regex` knows them).
CLUSTERS = [
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family: emoji ZWJ sequence
    "\U0001f469\U0001f3fe\u200d\U0001f4bb",  # skin tone, then ZWJ
    "\U0001f44d\U0001f3fd",  # thumbs up, skin tone
    "\U0001f1eb\U0001f1f7",  # flag: a regional indicator pair
    "\U0001f1eb\U0001f1f7\U0001f1e9",  # three indicators: a pair and a lone one
    "\U0001f1eb",  # a lone indicator
    "\u2764\ufe0f",  # variation selector 16
    "\u0915\u094d\u0937",  # Devanagari conjunct: consonant, virama, consonant (GB9c)
    "\u0938\u094d\u0924\u094d\u0930\u0947",  # two linkers, then a vowel sign
    "\u0915\u093c\u094d\u0937",  # nukta (Extend) between consonant and virama
    "\u0995\u09cd\u09b7",  # Bengali conjunct
    "\u0b95\u0bcd\u0bb7",  # Tamil: virama not a linker; two clusters
    "\u1100\u1161\u11a8",  # Hangul L V T
    "\uac00\u11a8",  # Hangul LV T
    "\u1100\uac00",  # Hangul L LV
    "\r\n",
    "e\u0301\u0302",  # combining marks
    "\u0600a",  # Prepend
    "\u200d",  # a lone ZWJ
    "a" + "\u0301" * 70,  # longer than a part: split between code points
    "\U0001f44d" + "\u200d\U0001f44d" * 24,  # 98 units in one cluster
]
# One- and two-unit fillers: the clusters land at every unit offset from a cut.
FILLERS = ["a", "\u0436", "\u0928", "\U0001f600", "a\U0001f600"]


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _around_cuts(filler: str, cluster: str, offset: int, parts: int, short: int = 0) -> str:
    """Text putting ``cluster`` so it starts ``offset`` units from each of the first
    ``parts`` cuts of 67 units (counted as if nothing moved), then filled up to
    ``short`` units before the next cut: with a full last part, a unit lost at any
    cut costs a part."""
    text = ""
    for cut in range(1, parts + 2):
        while _units(text) < 67 * cut + offset - _units(filler):
            text += filler
        text += "a" * max(0, 67 * cut + offset - _units(text))
        text += cluster if cut <= parts else "a" * max(0, -offset - short)
    return text


@given(
    st.sampled_from(FILLERS),
    st.sampled_from(CLUSTERS),
    st.integers(min_value=-6, max_value=3),
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=0, max_value=3),
)
@example("a", "\U0001f1eb\U0001f1f7", -1, 1, 0)  # the flag across the cut
@example("\U0001f600", "\u0915\u094d\u0937", -2, 2, 0)
def test_the_walk_counts_as_the_reference_around_every_cut(
    filler: str, cluster: str, offset: int, parts: int, short: int
) -> None:
    text = _around_cuts(filler, cluster, offset, parts, short)
    expected = ref.count(text)
    if _units(text) > 70 and not ref.is_gsm(text):  # the walk counts UCS-2 text
        data = None if _units(text) == len(text) else text.encode("utf-16-le")
        assert _walk.count_parts(text, data) == expected, text
        assert _walk.cut_parts(text, data) == expected, text  # the cuts alone, no bound
    assert count_many([text, "plain"]) == [expected, 1]
    assert count_segments(text) == expected


@given(
    st.lists(
        st.tuples(st.sampled_from(FILLERS), st.integers(0, 70), st.sampled_from(CLUSTERS)),
        max_size=8,
    )
)
def test_clusters_anywhere_count_as_the_reference(pieces: list[tuple[str, int, str]]) -> None:
    texts = ["".join(filler * size + cluster for filler, size, cluster in pieces)]
    texts += [text + cluster for text in texts for cluster in ("\u200d", "\U0001f3fb")]
    assert count_many(texts) == ref.count_many(texts)


def test_every_cluster_at_every_offset_of_the_first_cuts() -> None:
    """Exhaustive over the lists above: 67-unit cuts, and 153-septet cuts of GSM-7
    text beside CR LF and escapes (which never move a GSM-7 cut)."""
    texts = [
        _around_cuts(filler, cluster, offset, parts, short)
        for filler in FILLERS
        for cluster in CLUSTERS
        for offset in range(-6, 4)
        for parts in (1, 2)
        for short in (0, 1)
    ]
    gsm = [
        "a" * (153 * parts + offset) + piece + "a" * 20
        for piece in ("\r\n", "\u20ac", "{", "\r\n\u20ac")
        for offset in range(-3, 3)
        for parts in (1, 2)
    ]
    expected = ref.count_many(texts + gsm)
    assert count_many(texts + gsm) == expected
    # The cuts alone (``cut_parts``: what ``count_many`` walks where its screen failed),
    # without the slack bound that ``count_parts`` tries first.
    for text, count in zip(texts, expected, strict=False):
        if _units(text) > 70 and not ref.is_gsm(text):
            data = None if _units(text) == len(text) else text.encode("utf-16-le")
            assert _walk.cut_parts(text, data) == count, text


# Characters of every grapheme class beside the joiners, and contexts a rule looks back
# to (GB9c: a linker, then extenders; GB11: ZWJ; GB12-13: indicators; CR LF; Hangul).
_OTHERS = ["a", "\r", "\n", "\x00", "\u0915", "\uac00", "\uac01", "\U0001f600", "\u00a9", "\u0300"]
_CONTEXTS = [
    "",
    "\u0915\u094d",
    "\u0915\u094d\u093c",
    "\u0915\u094d\u200d",
    "\u0b95\u0bcd",
    "\U0001f600\u200d",
    "\U0001f1eb",
    "\u1100",
    "\r",
]


def test_a_cut_the_walk_trusts_is_a_boundary_in_any_context() -> None:
    """The walk keeps a cut it judges certain without running \\X: \\X must break
    there, whatever precedes the pair."""
    chars = sorted(_walk.JOINERS) + _OTHERS
    trusted = 0
    for before in chars:
        for after in chars if before in _OTHERS else _OTHERS:
            for context in _CONTEXTS:
                text = context + before + after
                if not _walk.certain_boundary(text, len(context) + 1):
                    continue
                trusted += 1
                ends = set(accumulate(map(len, ref.clusters(text))))
                assert len(context) + 1 in ends, ascii(text)
    assert trusted > 10000


def test_past_255_parts_by_moved_cuts_the_walk_gives_0_and_count_many_raises() -> None:
    # 17,080 units fit 255 full parts, but each 21-character conjunct (one cluster
    # by GB9c) moves whole past a cut: the reference needs more than 255 parts.
    text = ("a" * 40 + "\u0915" + "\u094d\u0915" * 10) * 280
    assert len(text) == 17080
    assert ref.count(text) > 255
    assert _walk.count_parts(text) == 0
    with pytest.raises(MessageTooLongError) as caught:
        count_many(["x", text])
    assert caught.value.index == 1
