"""A big table is measured in parts (a string column holds at most 2 GiB): the parts'
results are the whole's, row for row, and an error names the row in the whole table."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _services import require_module
from smskit.errors import RateCardError, RecipientError
from smskit.pricing import RateCard
from strategies import frame_texts

pa: Any = require_module("pyarrow", "arrow")
import smskit.frames.arrow as kernel  # noqa: E402 - needs pyarrow


def chunked(texts: list[str | None], cut: int) -> Any:
    """texts in chunks of ``cut`` rows (empty chunks kept: engines hand them over too)."""
    chunks = [texts[i : i + cut] for i in range(0, len(texts), cut)] + [[]]
    return pa.chunked_array(chunks, pa.string())


@given(frame_texts, st.integers(1, 5), st.sampled_from(["raise", "null"]))
def test_parts_give_what_the_whole_gives(texts: list[str | None], cut: int, on_error: Any) -> None:
    table = pa.table({"body": chunked(texts, cut), "cc": [["US", None, "FR"][i % 3]
                                                          for i in range(len(texts))]})
    whole = kernel.measure(table, text="body", on_error=on_error)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kernel, "_PART_BYTES", 1)  # every chunk a part of its own
        parts = kernel.measure(table, text="body", on_error=on_error)
        array = kernel.measure(table.column("body"), on_error=on_error)
    assert parts.to_pylist() == whole.to_pylist() == array.to_pylist()


def test_a_row_error_in_a_later_part_names_its_row_in_the_table(
    card: RateCard, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kernel, "_PART_BYTES", 1)
    body = pa.chunked_array([["a", "b"], ["c"], ["d", "x" * 50_000]])
    numbers = ["+12025550143", "+12025550143", "+12025550143", "+1202555", "+12025550143"]
    with pytest.raises(RecipientError) as raised:
        kernel.measure(pa.table({"body": body}), text="body")
    assert (raised.value.row, raised.value.column) == (4, "body")
    short = pa.chunked_array([["a", "b"], ["c"], ["d", "e"]])
    with pytest.raises(RecipientError) as raised:
        kernel.measure(pa.table({"body": short, "to": numbers}), text="body", rates=card,
                       number="to")
    assert (raised.value.row, raised.value.column) == (3, "to")
    out = kernel.measure(pa.table({"body": body, "to": numbers}), text="body", rates=card,
                         number="to", on_error="null").to_pydict()
    assert [e is not None for e in out["error"]] == [False, False, False, True, True]


def test_a_card_error_in_a_later_part_names_its_row_in_the_table(
    card: RateCard, monkeypatch: pytest.MonkeyPatch
) -> None:
    # user39: the row counted in the part (row 0 of the third part was row 3).
    monkeypatch.setattr(kernel, "_PART_BYTES", 1)
    body = pa.chunked_array([["a", "b"], ["c"], ["d", "e"]])
    countries = ["US", "US", "US", "GB", "US"]  # GB: priced in GBP, the card in USD
    with pytest.raises(RateCardError, match=r"GB is priced in GBP.*first at row 3, column 'cc'"):
        kernel.measure(pa.table({"body": body, "cc": countries}), text="body", rates=card,
                       country="cc")
