"""What the Arrow kernel accepts as texts, and what it says about what it does not."""

from __future__ import annotations

from typing import Any

import pytest

from _services import require_module
from smskit.errors import RecipientError

pa: Any = require_module("pyarrow", "arrow")
from smskit.frames.arrow import measure  # noqa: E402 - needs pyarrow


def test_an_all_null_column_is_rows_of_no_message() -> None:
    # Polars types a column holding only nulls as Null, and so does Arrow: no error,
    # as a string column of nulls gives none.
    out = measure(pa.array([None, None])).to_pydict()
    assert out == {"encoding": [None, None], "segments": [None, None], "units": [None, None]}
    batch = pa.record_batch({"body": pa.array([None], pa.null())})
    assert measure(batch, text="body").column("segments").to_pylist() == [None]


def test_a_python_list_is_refused_with_a_type_error_saying_what_to_pass() -> None:
    with pytest.raises(TypeError, match=r"not list \(pyarrow.array"):
        measure(["Hello"])


def test_a_dictionary_of_numbers_is_not_taken_for_texts() -> None:
    # Cast to strings, 12345 would be counted as a five-character message.
    with pytest.raises(TypeError, match="string column"):
        measure(pa.array([12345, 7]).dictionary_encode())


@pytest.mark.parametrize("kind", ["string", "large_string", "string_view"])
def test_every_arrow_string_type_gives_the_same_rows(kind: str) -> None:
    # By hand: 161 septets need 2 parts of 153; each euro is an escape (2 septets), so
    # 81 are 162 septets, 2 parts; a toned thumb is 4 UTF-16 units and 16 fit a part
    # of 67, so 35 need 3 parts.
    texts = ["", None, "x" * 161, "€" * 81, "👍🏽" * 35]
    segments = [1, None, 2, 2, 3]
    array = pa.array(texts, getattr(pa, kind)())
    values = pa.array([t for t in texts if t is not None], array.type)
    coded = pa.DictionaryArray.from_arrays(pa.array([0, None, 1, 2, 3]), values)
    for data in (array, coded, pa.chunked_array([array[:2], array[2:]])):
        assert measure(data).column("segments").to_pylist() == segments
    assert measure(array.slice(2, 2)).column("segments").to_pylist() == [2, 2]


def not_utf8(values: list[bytes]) -> Any:
    """A string array holding these bytes as they are (Arrow does not check them)."""
    offsets = [0]
    for value in values:
        offsets.append(offsets[-1] + len(value))
    buffers = [None, pa.array(offsets, pa.int32()).buffers()[1], pa.py_buffer(b"".join(values))]
    return pa.Array.from_buffers(pa.string(), len(values), buffers)


@pytest.mark.parametrize("column", ["country", "number"])
def test_bytes_that_are_not_utf8_in_the_destination_column_are_a_row_error(
    card: Any, column: str
) -> None:
    place = {"country": [b"US", b"U\xed\xa0\x80", b"FR"],
             "number": [b"+12025550143", b"+1202\xff5550143", b"+12025550143"]}[column]
    batch = pa.record_batch({"body": ["a", "b", "c"], "to": not_utf8(place)})
    with pytest.raises(RecipientError, match="not valid UTF-8") as raised:
        measure(batch, text="body", rates=card, **{column: "to"})
    assert (raised.value.row, raised.value.column) == (1, "to")
    out = measure(batch, text="body", rates=card, on_error="null", **{column: "to"}).to_pydict()
    assert out["cost"][1] is None
    assert out["cost"][0] is not None
    assert out["cost"][2] is not None
    assert "not valid UTF-8" in out["error"][1]
