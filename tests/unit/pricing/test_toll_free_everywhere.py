"""+1 toll-free pricing reaches every pricer the same way (rev26m).

fix26m made ``estimate()`` say when it priced a +1 toll-free number (800, 833, 844,
855, 866, 877, 888: shared by the US and Canada) as US, and take ``toll_free_country=``.
Left over: such a number written in fullwidth or Arabic-Indic digits (``phonenumbers``
reads them) was priced as US without a word; a ``toll_free_country`` outside the +1
countries ("CN", a slip for Canada, is China) priced a North American number at another
country's rate; ``Messenger.usage`` and ``frames.arrow.measure(number=...)`` priced it as
US silently. Amounts worked out by hand from the card below.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger.history import MemoryMessageHistory, MessageRecord
from smskit.messenger.usage import usage
from smskit.pricing import Direction, RateCard, estimate

CARD = RateCard.from_toml("""
name = "toll-free test"
currency = "USD"
[countries.US.10dlc]
sms_per_segment = "0.0100"
[countries.CA.10dlc]
sms_per_segment = "0.0200"
[countries.CN.10dlc]
sms_per_segment = "0.0500"
""")


def _digits(text: str, zero: int) -> str:
    return "".join(chr(zero + int(c)) if c.isdigit() else c for c in text)


@pytest.mark.parametrize(
    "number",
    [_digits("+1 800 555 0100", 0xFF10).replace("+", "\uff0b"), _digits("+1 800 555 0100", 0xFF10),
     _digits("1 800 555 0100", 0x660), _digits("+1 (888) 555-0106", 0x6F0)],
)
def test_a_toll_free_number_in_other_digits_is_flagged_or_priced_as_stated(number: str) -> None:
    assumed = estimate("hi", rates=CARD, to=number)
    assert assumed.items[0].country == "US"
    assert assumed.toll_free_as_us == (0,)
    stated = estimate("hi", rates=CARD, to=number, toll_free_country="CA")
    assert (stated.items[0].country, stated.total) == ("CA", Decimal("0.0200"))


@pytest.mark.parametrize("code", ["CN", "GB", "cn"])
def test_a_toll_free_country_outside_the_plus_one_countries_is_refused(code: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        estimate("hi", rates=CARD, to="+1 800 555 0100", toll_free_country=code)
    assert info.value.field == "toll_free_country"
    assert "+1" in str(info.value)


T0 = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
OURS = "+12125550199"


def _history(*contacts: str) -> MemoryMessageHistory:
    history = MemoryMessageHistory()
    for n, contact in enumerate(contacts):
        history.record_message(MessageRecord(
            direction=Direction.OUTBOUND, sender=OURS, contact=contact,
            at=T0 + timedelta(minutes=n), segments=1,
        ))
    return history


def test_usage_prices_toll_free_contacts_as_stated_or_counts_the_assumption() -> None:
    history = _history("+18005550100", "+14155550123", "+18885550106", "+14165550199")
    window = {"since": T0 - timedelta(hours=1), "until": T0 + timedelta(hours=1)}
    assumed = usage(history, OURS, rates=CARD, **window)  # type: ignore[arg-type]
    assert assumed.cost == Decimal("0.0500")  # 3 x 0.01 (US) + 0.02 (CA)
    assert assumed.toll_free_as_us == 2
    stated = usage(history, OURS, rates=CARD, toll_free_country="CA", **window)  # type: ignore[arg-type]
    assert stated.cost == Decimal("0.0700")  # 0.01 + 3 x 0.02
    assert stated.toll_free_as_us == 0
    unpriced = usage(history, OURS, **window)  # type: ignore[arg-type]
    assert unpriced.toll_free_as_us == 0  # nothing priced, nothing assumed


def test_usage_refuses_a_toll_free_country_outside_the_plus_one_countries() -> None:
    with pytest.raises(ConfigurationError) as info:
        usage(_history("+18005550100"), OURS, rates=CARD, toll_free_country="CN",
              since=T0 - timedelta(hours=1), until=T0 + timedelta(hours=1))
    assert info.value.field == "toll_free_country"


def test_arrow_measure_prices_toll_free_numbers_as_stated_or_counts_the_assumption() -> None:
    pa = pytest.importorskip("pyarrow")
    from smskit.frames.arrow import TOLL_FREE_AS_US, measure

    batch = pa.record_batch({
        "text": ["hi", "hi", "hi", "hi"],
        "to": ["+18005550100", "+14155550123", "+18885550106", "+14165550199"],
    })
    assumed = measure(batch, text="text", rates=CARD, number="to")
    assert assumed.column("country").to_pylist() == ["US", "US", "US", "CA"]
    assert assumed.schema.metadata[TOLL_FREE_AS_US] == b"2"
    stated = measure(batch, text="text", rates=CARD, number="to", toll_free_country="CA")
    assert stated.column("country").to_pylist() == ["CA", "US", "CA", "CA"]
    assert stated.column("cost").to_pylist()[:2] == [Decimal("0.02"), Decimal("0.01")]
    assert (stated.schema.metadata or {}).get(TOLL_FREE_AS_US) is None
    by_country = measure(pa.record_batch({"text": ["hi"], "c": ["US"]}), text="text",
                         rates=CARD, country="c")
    assert (by_country.schema.metadata or {}).get(TOLL_FREE_AS_US) is None


def test_arrow_measure_in_parts_adds_up_the_assumed_rows() -> None:
    # A big table is measured in parts (arrow._PART_BYTES); the count is the whole's.
    pa = pytest.importorskip("pyarrow")
    from smskit.frames.arrow import TOLL_FREE_AS_US, _measured_in_parts

    parts = [pa.table({"text": ["hi", "hi"], "to": ["+18005550100", "+14155550123"]}),
             pa.table({"text": ["hi"], "to": ["+18885550106"]})]
    options = {"text": "text", "template": None, "rates": CARD, "country": None,
               "number": "to", "route": "10dlc", "direction": "outbound", "kind": "sms",
               "region": "US", "on_error": "raise", "toll_free_country": None}
    out = _measured_in_parts(parts, options)
    assert out.num_rows == 3
    assert out.schema.metadata[TOLL_FREE_AS_US] == b"2"
