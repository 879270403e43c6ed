"""A phone-number column of integers, as pandas and polars read "+61412345678".

Only +1 numbers survive losing their "+" (read with region="US"); the others failed as
"too long", with nothing about the column's type.
"""

from __future__ import annotations

import pytest

from smskit.errors import RecipientError
from smskit.pricing import RateCard

pa = pytest.importorskip("pyarrow")
arrow = pytest.importorskip("smskit.frames.arrow")

CARD = RateCard.from_dict({"currency": "USD",
                           "countries": {"*": {"international": {"sms_per_segment": "0.05"}},
                                         "US": {"10dlc": {"sms_per_segment": "0.01"}}}})


def test_an_integer_number_column_says_its_plus_was_lost() -> None:
    table = pa.table({"body": ["Hi", "Hi"], "phone": pa.array([12125550123, 61412345678])})
    with pytest.raises(RecipientError, match=r"integers.*as text") as caught:
        arrow.measure(table, text="body", rates=CARD, number="phone")
    assert caught.value.row == 1
    assert "61412345678" not in str(caught.value)
    out = arrow.measure(table, text="body", rates=CARD, number="phone", on_error="null")
    assert out.column("country").to_pylist() == ["US", None]
    assert "integers" in out.column("error").to_pylist()[1]


def test_a_text_number_column_keeps_its_reason() -> None:
    table = pa.table({"body": ["Hi"], "phone": ["61412345678"]})
    with pytest.raises(RecipientError) as caught:
        arrow.measure(table, text="body", rates=CARD, number="phone")
    assert "integers" not in str(caught.value)
