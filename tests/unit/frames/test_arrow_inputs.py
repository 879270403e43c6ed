"""What the Arrow kernel accepts as texts, and what it says about what it does not."""

from __future__ import annotations

from typing import Any

import pytest

from _services import require_module

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
