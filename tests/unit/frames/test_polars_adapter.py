"""The Polars adapter: errors name the user's columns; untyped columns of nulls work."""

from __future__ import annotations

from typing import Any

import pytest

from _services import require_module
from smskit.pricing import RateCard

pl: Any = require_module("polars", "polars")
require_module("pyarrow", "arrow")
from smskit.frames.polars import sms_columns  # noqa: E402 - needs polars


def test_a_too_long_text_names_the_users_column_not_an_internal_one() -> None:
    df = pl.DataFrame({"body": ["ok", "x" * 50_000]})
    with pytest.raises(pl.exceptions.ComputeError) as raised:
        df.select(sms_columns("body"))
    assert "recipient 1, field 'body'" in str(raised.value)


def test_a_bad_number_names_the_number_column(card: RateCard) -> None:
    df = pl.DataFrame({"body": ["a", "b"], "phone": ["+12025550143", "+1202555"]})
    with pytest.raises(pl.exceptions.ComputeError) as raised:
        df.select(sms_columns("body", rates=card, number=pl.col("phone").str.strip_chars()))
    message = str(raised.value)
    assert "recipient 1, field 'phone'" in message
    assert "+1202555" not in message


def test_a_column_of_only_nulls_gives_null_rows() -> None:
    df = pl.DataFrame({"body": [None, None]})  # Polars' Null dtype, not String
    out = df.select(sms_columns("body").alias("sms")).unnest("sms")
    assert out.to_dict(as_series=False) == {
        "encoding": [None, None], "segments": [None, None], "units": [None, None]
    }
