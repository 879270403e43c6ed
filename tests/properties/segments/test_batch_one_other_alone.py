"""A chunk with one text beyond ASCII among ASCII ones leaves it at 0 for
``count_segments`` when it is short (up to ``_ALONE`` characters within the BMP, up to
70 beyond it; up to ``_ALONE`` beyond it the slack bound settles it or the screen
does); longer ones go through the screen (two such texts: see
``test_small_list_routes.py``).

These properties draw lists of ASCII texts with 0, 1 or 2 others at drawn places,
the others' lengths around 70 and ``_ALONE`` (each +-1), within and beyond the BMP,
empty texts among them, and check every count against the readable reference, the
routed text's 0 in ``chunk_counts``, and that a lone surrogate in the one other text
raises naming its index in the caller's list (past a first chunk too).
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, count_many
from smskit.segments._batch import _ALONE, CHUNK, chunk_counts
from smskit.segments.segmentation import _SMALL

ASCII = ["", "ok", "Your code is 1234", "x" * 160, "y" * 161, "ref [42] at {x}", "a~b" * 60]
# One character of each kind, repeated to the drawn length (ASCII padding after it).
FIRSTS = ["é", "€", "Σ", "Ж", "中", "क्", "e\u0301", "😀", "👨\u200d👩\u200d👧", "é\r\n", "❤\ufe0f"]
LENGTHS = sorted({1, 69, 70, 71, _ALONE - 1, _ALONE, _ALONE + 1, 300})


def _other(first: str, length: int, filler: str) -> str:
    """A text beyond ASCII of about ``length`` characters: ``first`` then ``filler``."""
    return (first + filler * length)[: max(length, len(first))]


others = st.builds(
    _other,
    st.sampled_from(FIRSTS),
    st.sampled_from(LENGTHS),
    st.sampled_from(["a", "中", "😀 ", "{"]),
)


@given(
    st.lists(st.sampled_from(ASCII), min_size=0, max_size=40),
    st.lists(st.tuples(others, st.integers(min_value=0)), min_size=0, max_size=2),
)
@example(["ok"] * 3, [("é" * 70, 1)])
@example(["ok"] * 3, [("é" * _ALONE, 1)])
@example(["ok"] * 3, [("é" * (_ALONE + 1), 1)])
@example(["ok"] * 3, [("😀" + "a" * 69, 0)])
@example(["ok"] * 3, [("😀" + "a" * 70, 0)])
@example(["", ""], [("", 0), ("€", 1)])
def test_ascii_lists_with_a_few_others_match_the_reference(
    ascii_texts: list[str], placed: list[tuple[str, int]]
) -> None:
    texts = list(ascii_texts)
    for text, at in placed:
        texts.insert(at % (len(texts) + 1), text)
    assert count_many(texts) == ref.count_many(texts)


@pytest.mark.parametrize("length", LENGTHS)
@pytest.mark.parametrize("first", FIRSTS)
def test_the_one_short_other_is_left_to_count_segments(first: str, length: int) -> None:
    text = _other(first, length, "a")
    chunk = ["ok", text, "Your code is 1234"]
    counts = chunk_counts(chunk)
    alone = len(text) <= _ALONE
    # Left at 0 when routed alone, but one beyond the BMP over 70 characters (settled by
    # the slack bound, or screened); else the screen's exact count (or 0, its own way).
    if alone and (len(text) <= 70 or all(char <= "\uffff" for char in text)):
        assert counts[1] == 0
    else:
        assert counts[1] in (0, ref.count(text))
    assert [counts[0], counts[2]] == [1, 1]
    assert count_many(chunk) == ref.count_many(chunk)


@given(st.integers(min_value=0, max_value=2 * CHUNK + 3), st.sampled_from(LENGTHS))
@example(0, 1)
@example(CHUNK - 1, 70)
@example(CHUNK, _ALONE)
@example(CHUNK + 1, _ALONE + 1)
def test_a_lone_surrogate_in_the_one_other_names_its_index(at: int, length: int) -> None:
    texts = ["ok"] * (2 * CHUNK + 4)
    texts[at] = ("\ud83d" + "é" * length)[:length]
    with pytest.raises(EncodingError) as error:
        count_many(texts)
    assert error.value.index == at


@given(
    st.sampled_from([_SMALL - 1, _SMALL, _SMALL + 1, CHUNK, CHUNK + 1]),
    st.integers(min_value=0),
    st.sampled_from(["\udc00", "ok \ud83d", "é\ud800" + "a" * 100, None, b"hi"]),
)
def test_a_bad_text_names_its_index_either_side_of_the_small_route(
    size: int, at: int, bad: object
) -> None:
    texts: list[object] = ["ok", "Olá João", "😀 hi"] * size
    del texts[size:]
    at %= size
    texts[at] = bad
    error = EncodingError if isinstance(bad, str) else TypeError
    with pytest.raises(error) as raised:
        count_many(texts)  # type: ignore[arg-type]
    if error is EncodingError:
        assert raised.value.index == at  # type: ignore[attr-defined]
    assert f"text {at} of the batch" in str(raised.value)


@given(st.lists(st.sampled_from(ASCII), min_size=_SMALL - 2, max_size=_SMALL + 2), others)
def test_lists_either_side_of_the_small_route_match_the_reference(
    ascii_texts: list[str], other: str
) -> None:
    texts = [*ascii_texts, other, other]
    assert count_many(texts) == ref.count_many(texts)
