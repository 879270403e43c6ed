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


def test_an_error_in_a_part_of_the_frame_says_its_row_counts_in_that_part(
    card: RateCard,
) -> None:
    # user32: a frame of two chunks (pl.concat without rechunk, or the streaming engine's
    # morsels) reported row 5 of the frame as "recipient 1", with nothing saying so.
    first = pl.DataFrame({"body": ["a"] * 4, "phone": ["+12025550143"] * 4})
    phones = ["+12025550143", "+1202555", "+12025550143"]
    second = pl.DataFrame({"body": ["b"] * 3, "phone": phones})
    df = pl.concat([first, second], rechunk=False)
    with pytest.raises(pl.exceptions.ComputeError) as raised:
        df.select(sms_columns("body", rates=card, number="phone"))
    message = str(raised.value)
    assert "recipient 1, field 'phone'" in message  # row 5 of the frame, 1 of its chunk
    assert "row 1 of the 3 rows Polars passed at once, which may be a part" in message
    assert "on_error='null'" in message
    assert "+1202555" not in message


def test_a_card_error_names_the_frames_column_not_an_internal_one(card: RateCard) -> None:
    # user39: the struct's internal field 'place' was named (the kernel's column).
    df = pl.DataFrame({"body": ["Hi"], "phone": ["+447400123456"]})  # GB: priced in GBP
    with pytest.raises(pl.exceptions.ComputeError,
                       match=r"row 0 of the 1 rows Polars passed at once, .*column 'phone'"):
        df.select(sms_columns("body", rates=card, number="phone"))
    same = pl.DataFrame({"body": ["Hi"], "cc": ["US"]})  # one column for text and country
    assert same.select(sms_columns("cc", rates=card, country="cc").alias("s")).unnest(
        "s")["units"].to_list() == [2]
