"""The Arrow kernel (smskit.frames.arrow.measure) against segment() and hand-priced rows."""

from __future__ import annotations

import pickle
import sys
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _frames import SEGMENT_PRICE
from _services import require_module
from smskit.errors import ConfigurationError, MissingExtraError, RateCardError, RecipientError
from smskit.pricing import RateCard, Template
from smskit.segments import Encoding, segment
from strategies import frame_texts, sendable_text

pa: Any = require_module("pyarrow", "arrow")
from smskit.frames.arrow import COST_TYPE, measure  # noqa: E402 - needs pyarrow

COUNTRIES = st.sampled_from([None, "US", "FR", "DE", "us"])


def expected_row(text: str | None) -> dict[str, object]:
    if text is None:
        return {"encoding": None, "segments": None, "units": None}
    message = segment(text)
    return {
        "encoding": "ucs2" if message.encoding is Encoding.UCS2 else "gsm7",
        "segments": message.segment_count,
        "units": message.units,
    }


@given(frame_texts)
def test_each_row_is_what_segment_says(texts: list[str | None]) -> None:
    out = measure(pa.array(texts, pa.string()))
    assert out.num_rows == len(texts)
    assert out.to_pylist() == [expected_row(t) for t in texts]


@given(frame_texts, st.data())
def test_cost_is_segments_times_the_card_price(
    card: RateCard, texts: list[str | None], data: st.DataObject
) -> None:
    countries = [data.draw(COUNTRIES) for _ in texts]
    batch = pa.record_batch({"body": pa.array(texts, pa.string()), "cc": countries})
    out = measure(batch, text="body", rates=card, country="cc")
    assert out.schema.field("cost").type == COST_TYPE
    for text, country, row in zip(texts, countries, out.to_pylist(), strict=True):
        assert row["country"] == (country.upper() if country else None)
        # A blank text has nothing to send (content.empty): not priced, as estimate()
        # leaves it out (review of user39).
        if text is None or country is None or not text.strip():
            assert row["cost"] is None
        else:
            price = Decimal(SEGMENT_PRICE[country.upper()])
            assert row["cost"] == price * segment(text).segment_count


@given(st.lists(st.tuples(sendable_text, st.none() | st.sampled_from(["Ana", "Zoë", "😀"]))))
def test_template_rows_render_then_count(rows: list[tuple[str, str | None]]) -> None:
    template = Template("Hi {name|there}, {body}")
    batch = pa.record_batch(
        {"body": [b for b, _ in rows], "name": pa.array([n for _, n in rows], pa.string())}
    )
    out = measure(batch, template=template)
    expected = [expected_row(f"Hi {n or 'there'}, {b}") for b, n in rows]
    assert out.to_pylist() == expected


def test_known_values(card: RateCard) -> None:
    batch = pa.record_batch(
        {
            "body": ["Hello", "€" * 81, "Zoë " * 20, None, "x" * 161],
            "to": ["+12025550143", "+12025550143", "+33612345678", "+12025550143", None],
        }
    )
    out = measure(batch, text="body", rates=card, number="to").to_pydict()
    assert out["encoding"] == ["gsm7", "gsm7", "ucs2", None, "gsm7"]
    assert out["segments"] == [1, 2, 2, None, 2]
    assert out["units"] == [5, 162, 80, None, 161]
    assert out["country"] == ["US", "US", "FR", "US", None]
    assert out["cost"] == [Decimal("0.0109"), Decimal("0.0218"), Decimal("0.1424"), None, None]


def test_mms_is_priced_per_message_and_inbound_is_free(card: RateCard) -> None:
    batch = pa.record_batch({"body": ["x" * 400, None], "cc": ["US", "US"]})
    mms = measure(batch, text="body", rates=card, country="cc", kind="mms")
    assert mms.column("cost").to_pylist() == [Decimal("0.02"), None]
    inbound = measure(batch, text="body", rates=card, country="cc", direction="inbound")
    assert inbound.column("cost").to_pylist() == [Decimal(0), None]


def invalid_utf8() -> Any:
    # A lone surrogate written as UTF-8 (what broken UTF-16 decoders leave behind):
    # Arrow holds the bytes; they are no text.
    raw = pa.array([b"fine", b"x\xed\xa0\x80", b"ok"], pa.binary())
    return raw.view(pa.string())


def test_a_bad_text_names_its_row() -> None:
    with pytest.raises(RecipientError) as raised:
        measure(pa.record_batch({"body": invalid_utf8()}), text="body")
    assert raised.value.row == 1
    assert raised.value.column == "body"
    assert "UTF-8" in raised.value.reason
    with pytest.raises(RecipientError) as raised:
        measure(pa.array(["ok", "ok", "😀" * 9000]))
    assert raised.value.row == 2
    assert "255" in raised.value.reason
    # Engines carry a worker's error across processes by pickling it.
    copy = pickle.loads(pickle.dumps(raised.value))
    assert (type(copy), copy.row, copy.column, str(copy)) == (
        RecipientError, 2, None, str(raised.value)
    )


def test_a_row_past_the_limit_is_described_as_the_text_not_as_a_batch_index() -> None:
    # The row is measured alone: measure_many names an index in that list of one
    # ("text 0 of the batch"), which says nothing of the row (3 here); the row number
    # is .row's, and the reason is the text's own.
    texts = ["ok", "ok", "ok", "{" * 19_507]
    with pytest.raises(RecipientError) as raised:
        measure(pa.array(texts))
    assert raised.value.row == 3
    assert raised.value.reason == (
        "the text needs at least 257 segments; concatenation allows at most 255: "
        "shorten it or send it as several messages"
    )
    out = measure(pa.array(texts), on_error="null").to_pydict()
    assert out["error"][3] == raised.value.reason


def test_on_error_null_keeps_going(card: RateCard) -> None:
    batch = pa.record_batch(
        {"body": invalid_utf8(), "to": ["+12025550143", "+12025550143", "12"]}
    )
    out = measure(batch, text="body", rates=card, number="to", on_error="null").to_pydict()
    assert out["segments"] == [1, None, None]
    assert out["cost"] == [Decimal("0.0109"), None, None]
    assert out["error"][0] is None
    assert "UTF-8" in out["error"][1]
    assert out["error"][2]  # a number too short to be one


def test_a_bad_number_names_its_row_and_masks_it(card: RateCard) -> None:
    batch = pa.record_batch({"body": ["a", "b", "c"], "to": ["+12025550143", "+1202555", None]})
    with pytest.raises(RecipientError) as raised:
        measure(batch, text="body", rates=card, number="to")
    assert (raised.value.row, raised.value.column) == (1, "to")
    assert "+1202555" not in str(raised.value)


def test_a_country_that_is_not_a_region_code_is_a_row_error(card: RateCard) -> None:
    # The card's "*" rate would otherwise price "USA" (a common slip for "US") at the
    # catch-all 0.05 instead of the US 0.0109, with no error: a silently wrong total.
    batch = pa.record_batch({"body": ["a", "b", "c", "d"], "cc": ["us", "USA", "", "1"]})
    with pytest.raises(RecipientError, match="ISO 3166-1") as raised:
        measure(batch, text="body", rates=card, country="cc")
    assert (raised.value.row, raised.value.column) == (1, "cc")
    out = measure(batch, text="body", rates=card, country="cc", on_error="null").to_pylist()
    assert [row["cost"] for row in out] == [Decimal(SEGMENT_PRICE["US"]), None, None, None]
    assert [row["country"] for row in out] == ["US", None, None, None]
    assert all("ISO 3166-1" in row["error"] for row in out[1:])


def test_another_currency_is_refused(card: RateCard) -> None:
    batch = pa.record_batch({"body": ["a"], "cc": ["GB"]})
    with pytest.raises(RateCardError, match="GBP"):
        measure(batch, text="body", rates=card, country="cc")


def test_chunked_large_and_dictionary_strings_are_accepted() -> None:
    chunked = pa.chunked_array([["a", None], ["€" * 200]], pa.large_string())
    assert measure(chunked).column("segments").to_pylist() == [1, None, 3]
    categorical = pa.array(["€" * 200, None, "a", "€" * 200]).dictionary_encode()
    assert measure(categorical).column("segments").to_pylist() == [3, None, 1, 3]


def test_usage_mistakes_say_what_to_fix(card: RateCard) -> None:
    batch = pa.record_batch({"body": ["a"]})
    with pytest.raises(ConfigurationError, match="text="):
        measure(batch)
    with pytest.raises(ConfigurationError, match="no column 'text'"):
        measure(batch, text="text")
    with pytest.raises(ConfigurationError, match="exactly one of country= or number="):
        measure(batch, text="body", rates=card)
    with pytest.raises(TypeError, match="string column"):
        measure(pa.array([1, 2]))


def test_missing_pyarrow_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from smskit.frames import require

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingExtraError) as raised:
        require("pyarrow", "arrow", "smskit.frames")
    assert raised.value.extra == "arrow"
    assert "smskit-compliance[arrow]" in str(raised.value)
