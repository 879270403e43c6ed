"""A card that cannot price a destination stops the batch (a card problem, not a row's)
and says where the first such row is."""

from __future__ import annotations

from typing import Any

import pytest

from _frames import CARD_TOML
from _services import require_module
from smskit.errors import RateCardError
from smskit.pricing import RateCard

pa: Any = require_module("pyarrow", "arrow")
from smskit.frames.arrow import measure  # noqa: E402 - needs pyarrow


def test_a_country_without_a_price_names_its_first_row() -> None:
    no_fallback = RateCard.from_toml(CARD_TOML.split('[countries."*"')[0])
    batch = pa.record_batch({"body": ["a", "b", "c", "d"], "cc": ["US", "FR", "DE", "DE"]})
    for on_error in ("raise", "null"):
        with pytest.raises(RateCardError, match=r"DE.*\(first at row 2, column 'cc'\)"):
            measure(batch, text="body", rates=no_fallback, country="cc", on_error=on_error)


def test_a_country_in_another_currency_names_its_first_row(card: RateCard) -> None:
    batch = pa.record_batch({"body": ["a", "b", "c"], "to": ["+12025550143", None,
                                                             "+44 7400 123456"]})
    with pytest.raises(RateCardError, match=r"GBP.*\(first at row 2, column 'to'\)") as raised:
        measure(batch, text="body", rates=card, number="to")
    assert "7400 123456" not in str(raised.value)
    assert "7400123456" not in str(raised.value)
