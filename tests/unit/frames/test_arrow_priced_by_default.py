"""Review of fix30a: ``measure`` names in its schema metadata (``PRICED_BY_DEFAULT``)
only the countries of rows it priced by the card's ``"*"`` rate.

A row with no text (null: "no message") or whose text is unreadable (on_error="null")
has a null cost: naming its country said a forgotten country was priced when no row
was. Amounts and countries worked by hand from CARD.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from smskit.pricing import RateCard

pa = pytest.importorskip("pyarrow")
arrow = pytest.importorskip("smskit.frames.arrow")

CARD = RateCard.from_toml("""\
currency = "USD"
[countries.US.10dlc]
sms_per_segment = "0.0079"
[countries."*".international]
sms_per_segment = "0.0900"
""")
PR, NY, TORONTO = "+17875550123", "+12125550123", "+14165550199"


def test_a_null_text_names_no_country() -> None:
    batch = pa.record_batch({"text": [None, "hi"], "number": [PR, NY]})
    out = arrow.measure(batch, text="text", rates=CARD, number="number")
    assert out.column("cost").to_pylist() == [None, Decimal("0.0079")]
    assert arrow.PRICED_BY_DEFAULT not in (out.schema.metadata or {})


def test_an_unreadable_text_names_no_country_but_a_priced_row_does() -> None:
    texts = pa.array([b"\xff", b"hi", b"hi"], pa.binary()).cast(pa.string(), safe=False)
    batch = pa.record_batch({"text": texts, "number": [PR, TORONTO, NY]})
    out = arrow.measure(batch, text="text", rates=CARD, number="number", on_error="null")
    assert out.column("cost").to_pylist() == [None, Decimal("0.0900"), Decimal("0.0079")]
    assert out.column("error").to_pylist()[0] is not None
    assert out.schema.metadata[arrow.PRICED_BY_DEFAULT] == b"CA"


def test_parts_of_a_big_table_combine_their_countries(monkeypatch: pytest.MonkeyPatch) -> None:
    first = pa.record_batch({"text": ["hi", "hi"], "number": [PR, NY]})
    second = pa.record_batch({"text": ["hi", "hi"], "number": [TORONTO, PR]})
    table = pa.Table.from_batches([first, second])
    monkeypatch.setattr(arrow, "_PART_BYTES", 1)  # one part a chunk
    out = arrow.measure(table, text="text", rates=CARD, number="number")
    assert out.column("cost").to_pylist() == [
        Decimal("0.0900"), Decimal("0.0079"), Decimal("0.0900"), Decimal("0.0900")
    ]
    assert out.schema.metadata == {arrow.PRICED_BY_DEFAULT: b"CA,PR"}
