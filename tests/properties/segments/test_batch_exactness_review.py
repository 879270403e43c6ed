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
from smskit.segments.segmentation import _CHUNK

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


def _batch(texts: list[str]) -> list[int] | tuple[str, int]:
    try:
        return count_many(texts)
    except (EncodingError, MessageTooLongError) as exc:
        assert exc.index is not None
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
@example("€" * 19_400, ["中" * 80])  # counted among wide texts
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
