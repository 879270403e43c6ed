"""Review of ``wide_counts``' gate for the GSM-7 search (``_batch._gsm_pair_starts``),
5 December 2026: a GSM-7 text over 70 characters fills its first part, so the part
starts with two GSM-7 characters and the gate must open. Held for every pair of the
reference's alphabet (``tests/_reference.py``: Latin-1, the Greek capitals, the euro
sign, the escapes), not a sample: each character's UTF-16 high and low byte are read
apart, so a miss would hide in one code point. Then the counts of such texts among
spaced Indic words, where the gate is closed but for them, are the reference's.
"""

from __future__ import annotations

import _reference as ref
from smskit import count_many
from smskit.segments import _batch as batch

ALPHABET = sorted(set(ref.BASIC.replace("\x00", "") + ref.EXTENSION))
INDIC = ["नमस्ते आपका " * 12, "कि" * 100, ""]


def _padded(texts: list[str]) -> str:
    return batch._padded(texts, [batch._PAD_ROOM_BY_UNITS[len(text)] for text in texts])


def test_every_gsm_pair_at_a_texts_start_opens_the_gate() -> None:
    assert len(ALPHABET) == 137  # 127 basic (no NUL) + 10 extension characters, as TS 23.038
    assert not batch._gsm_pair_starts(_padded(INDIC))
    # The pair alone (a text of two characters): a longer GSM-7 text would open the
    # gate at its second part too (its 68th and 69th characters), hiding a miss.
    missed = [
        first + second
        for first in ALPHABET
        for second in ALPHABET
        if not batch._gsm_pair_starts(_padded([*INDIC, first + second]))
    ]
    assert missed == []


def test_gsm_texts_among_indic_words_count_as_the_reference() -> None:
    # Each character of the alphabet leading a GSM-7 text just over one UCS-2 part
    # (71 characters: 1 part as GSM-7, 2 as UCS-2) and one over one GSM-7 part.
    texts = [*INDIC]
    for char in ALPHABET:
        texts += [char * 2 + "a" * 69, char + "Δ" + "b" * 160]
    assert count_many(texts) == [ref.count(text) for text in texts]
