"""A list of one text is counted by ``count_segments`` (a chunk's fixed steps cost more
than that text alone). It must answer what the batch screen answers for the same text
(two copies of it go through a chunk) and what the readable reference does, and raise
the same errors naming index 0.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, MessageTooLongError, count_many
from smskit.segments._cutting import MAX_SEGMENTS

FILLERS = ["a", "é", "€", "{", "Σ", "Ж", "中", "क", "😀", "👨\u200d👩\u200d👧", "\r\n", "`"]


def _outcome(texts: list[str]) -> list[int] | tuple[str, int | None]:
    """``count_many``'s counts, or its error's class name and the index it names."""
    try:
        return count_many(texts)
    except (EncodingError, MessageTooLongError) as exc:
        return type(exc).__name__, exc.index


texts = st.one_of(
    st.text(max_size=300),
    # Long texts of one class, across the part boundaries (70/67 units, 160/153 septets).
    st.builds(str.__mul__, st.sampled_from(FILLERS), st.integers(min_value=0, max_value=400)),
    # A lone surrogate anywhere in a text.
    st.builds(
        lambda head, tail: head + "\ud83d" + tail, st.text(max_size=80), st.text(max_size=80)
    ),
)


@given(texts)
@example("")
@example("{" * 19_507)  # 257 parts by its escape pairs: refused
@example("a" * 160 + "\udc00")
@example("😀" * 40)
def test_one_text_is_counted_as_in_a_batch_and_by_the_reference(text: str) -> None:
    alone = _outcome([text])
    in_batch = _outcome([text, text])
    if isinstance(alone, tuple):
        assert alone == in_batch  # same error, naming index 0
        assert alone[1] == 0
        return
    assert alone * 2 == in_batch
    assert alone[0] <= MAX_SEGMENTS
    assert alone == [ref.count(text)]


def test_a_non_str_alone_is_refused_as_in_a_batch() -> None:
    for bad in (None, b"hi", 3):
        with pytest.raises(TypeError) as alone:
            count_many([bad])  # type: ignore[list-item]
        with pytest.raises(TypeError) as in_batch:
            count_many([bad, bad])  # type: ignore[list-item]
        assert str(alone.value) == str(in_batch.value)
        assert str(alone.value).startswith("text 0 of the batch")
