"""The count walk's trusted cuts (smskit.segments._walk.certain_boundary) against
``\\X`` for every grapheme class of UAX #29 as the `regex` module knows it, in every
context of up to two characters of those classes: a brute-force enumeration, so
that a class the hand-picked lists of test_count_walk.py leave out cannot slip by."""

from __future__ import annotations

from itertools import accumulate, product

import _reference as ref
from smskit.segments import _walk

# One or two characters of each class (Grapheme_Cluster_Break, Indic_Conjunct_Break,
# Extended_Pictographic), chosen by hand from the Unicode data files.
REPRESENTATIVES = [
    "a",  # Other
    "\u4e00",  # Other (CJK)
    "\u00a9",  # Other, Extended_Pictographic
    "\U0001f600",  # Other, Extended_Pictographic (astral)
    "\r",  # CR
    "\n",  # LF
    "\x00",  # Control
    "\u00ad",  # Control (soft hyphen)
    "\u0300",  # Extend, InCB=Extend
    "\u093c",  # Extend, InCB=Extend (nukta)
    "\U0001f3fb",  # Extend (skin tone)
    "\u200c",  # Extend, InCB=None (ZWNJ)
    "\u094d",  # Extend, InCB=Linker (Devanagari virama)
    "\u0bcd",  # Extend, not a linker (Tamil virama)
    "\u1cf5",  # InCB=Linker with GCB=Other in the `regex` data
    "\u200d",  # ZWJ
    "\U0001f1e6",  # Regional_Indicator
    "\u0600",  # Prepend
    "\U000110bd",  # Prepend (astral)
    "\u0903",  # SpacingMark
    "\u1100",  # L
    "\u1161",  # V
    "\u11a8",  # T
    "\uac00",  # LV
    "\uac01",  # LVT
    "\u0915",  # Other, InCB=Consonant (Devanagari)
    "\u0b95",  # Other, Tamil consonant
]


def test_every_trusted_cut_between_classes_is_a_boundary() -> None:
    trusted = 0
    for size in range(3):
        for context in map("".join, product(REPRESENTATIVES, repeat=size)):
            for before, after in product(REPRESENTATIVES, repeat=2):
                text = context + before + after
                at = len(context) + 1
                if not _walk.certain_boundary(text, at):
                    continue
                trusted += 1
                assert at in set(accumulate(map(len, ref.clusters(text)))), ascii(text)
    assert trusted > 100_000
