"""Review rev30m: what a message costs, checked against values worked by hand.

- A bundle bought for one route (10DLC) paid for a destination the card prices on
  another (a UK number reached over 10DLC is priced at the card's GB international
  rate): the bundle's 0.006 replaced the 0.0460 international price.
- ``segment_bounds`` missed a format spec's width and fill, and the grapheme clusters a
  UCS-2 part keeps whole.
- ``usage`` and the engine summed money in the caller's decimal context.
- Prices and bundles built by hand, JSON's NaN, the XCG currency, MMS without a price.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit import (
    CompliancePipeline,
    Purpose,
    Registration,
    SenderProfile,
    SendRequest,
    default_policies,
)
from smskit.errors import RateCardError
from smskit.messenger import MemoryMessageHistory, MessageRecord, usage
from smskit.policy import Verdict
from smskit.pricing import (
    Bundle,
    Direction,
    MessageKind,
    Rate,
    RateCard,
    estimate,
    minor_units,
)
from smskit.pricing.templates import Alphabet, Template, escape_template
from smskit.segments import Encoding, count_segments

US = "+14155550123"
UK = "+447400123456"  # GB mobile
OURS = "+12125550199"
T0 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)

# A 10DLC bundle with no country list: 100,000 segments for 600.00, 0.006 a segment.
ROUTE_BUNDLE = RateCard.from_dict({
    "currency": "USD",
    "countries": {
        "US": {"10dlc": {"sms_per_segment": "0.0079"}},
        "GB": {"international": {"sms_per_segment": "0.0460"}},
    },
    "bundles": [{"name": "10dlc-100k", "segments": 100000, "price": "600",
                 "routes": ["10dlc"]}],
})


def test_a_route_bundle_does_not_pay_for_a_destination_priced_internationally() -> None:
    # The UK number has no 10DLC price: the card prices it at GB international,
    # 1 segment x 0.0460, which a 10DLC bundle does not cover.
    uk = estimate("hello", rates=ROUTE_BUNDLE, to=UK, bundle="10dlc-100k")
    assert (uk.total, uk.bundles_needed) == (Decimal("0.0460"), 0)
    # The US number is on 10DLC: 600 / 100000 = 0.006 a segment, from the bundle.
    us = estimate("hello", rates=ROUTE_BUNDLE, to=US, bundle="10dlc-100k")
    assert (us.total, us.bundles_needed) == (Decimal("0.006"), 1)
    both = estimate("hello", rates=ROUTE_BUNDLE, recipients=[{"number": US}, {"number": UK}],
                    bundle="10dlc-100k")
    # 0.006 + 0.0460 = 0.0520; the price of a part differs by destination.
    assert (both.total, both.cost_per_part) == (Decimal("0.0520"), None)


def test_usage_draws_a_route_bundle_only_for_segments_priced_on_that_route() -> None:
    history = MemoryMessageHistory()
    for n, contact in enumerate((US, UK)):
        history.record_message(MessageRecord(
            Direction.OUTBOUND, OURS, contact, T0, 2, provider_id=f"m{n}"))
    used = usage(history, OURS, since=T0 - timedelta(days=1), until=T0,
                 rates=ROUTE_BUNDLE, bundle="10dlc-100k")
    # Only the US message's 2 segments come out of the 10DLC bundle; the UK one's 2
    # are international. Pay-as-you-go cost: 2 x 0.0079 + 2 x 0.0460 = 0.1078.
    assert (used.bundle_used, used.bundle_left) == (2, 99998)
    assert used.cost == Decimal("0.1078")


# --- segment_bounds: a format spec's width pads a value with its fill character -----


def test_segment_bounds_count_a_width_that_pads_a_value() -> None:
    # "Code " + "12345" right-aligned in 200 characters: 205 GSM-7 septets, more than
    # 160, so parts of 153: 2 segments. The bound said 1 (5 + 5 septets).
    template = Template("Code {zip:>200}")
    assert count_segments(template.render({"zip": "12345"})) == 2
    assert template.segment_bounds({"zip": 5}).maximum == 2


def test_segment_bounds_count_a_fill_character_that_forces_ucs2() -> None:
    # One character padded with 19 "ë" (not GSM-7) and 130 x: 150 UCS-2 units, over
    # 70, so parts of 67: 3 segments. The bound said GSM-7 and 1 (1 + 130 septets).
    template = Template("{a:ë>20}" + "x" * 130)
    assert count_segments(template.render({"a": "y"})) == 3
    bounds = template.segment_bounds({"a": 1})
    assert (bounds.encoding, bounds.maximum) == (Encoding.UCS2, 3)


def test_segment_bounds_count_an_extension_fill_at_two_septets() -> None:
    # "y" padded with 79 "€" (2 septets each) and 10 x: 158 + 1 + 10 = 169 septets:
    # 2 segments. The bound said 1 (1 + 10 septets).
    template = Template("{a:€>80}" + "x" * 10)
    assert count_segments(template.render({"a": "y"})) == 2
    assert template.segment_bounds({"a": 1}).maximum == 2


def test_segment_bounds_need_no_padding_for_values_never_shorter() -> None:
    # A zero-padded ZIP of at most 5 characters in a 5-wide field: 5 + 155 = 160
    # septets, 1 segment, as before.
    template = Template("{zip:0>5}" + "x" * 155)
    assert template.segment_bounds({"zip": 5}).maximum == 1


_BASIC = "abcXYZ019 .,!?-@£$èéÅß"
_FILLS = _BASIC + "^[]~\\€ëŁ王😀Ж"
_VALUES = {
    Alphabet.GSM7: _BASIC,
    Alphabet.GSM7_EXTENDED: _BASIC + "^[]~\\€",
    Alphabet.UCS2: _BASIC + "^[]~\\€ëŁ王😀Ж",
}


@given(
    st.sampled_from(list(Alphabet)),
    st.lists(
        st.tuples(st.text(_FILLS, max_size=80), st.sampled_from(_FILLS),
                  st.integers(1, 200), st.integers(0, 60)),
        min_size=1, max_size=3,
    ),
    st.data(),
)
def test_segment_bounds_hold_for_padded_fields(
    alphabet: Alphabet, parts: list[tuple[str, str, int, int]], data: st.DataObject
) -> None:
    # Any value within its length, padded to its width with its fill, lands inside.
    source = "".join(
        escape_template(text) + f"{{f{i}:{fill}>{width}}}"
        for i, (text, fill, width, _) in enumerate(parts)
    )
    template = Template(source)
    lengths = {f"f{i}": length for i, (_, _, _, length) in enumerate(parts)}
    bounds = template.segment_bounds(lengths, alphabet=alphabet)
    values = {
        name: data.draw(st.text(_VALUES[alphabet], max_size=length))
        for name, length in lengths.items()
    }
    count = count_segments(template.render(values))
    assert bounds.minimum <= count <= bounds.maximum


# --- a caller's decimal context never rounds money ----------------------------------

ODD_CARD = RateCard.from_dict({
    "currency": "USD",
    "countries": {"US": {"10dlc": {"sms_per_segment": "1.0001"}}},
})


def test_usage_cost_is_not_rounded_by_the_callers_decimal_context() -> None:
    history = MemoryMessageHistory()
    for n, contact in enumerate((US, "+12125550123")):
        history.record_message(MessageRecord(
            Direction.OUTBOUND, OURS, contact, T0, 1, provider_id=f"m{n}"))
    with localcontext() as context:
        context.prec = 4  # an application's setting; 1.0001 + 1.0001 read 2.000
        used = usage(history, OURS, since=T0 - timedelta(days=1), until=T0, rates=ODD_CARD)
    assert used.cost == Decimal("2.0002")  # 2 segments x 1.0001


def test_decide_many_cost_is_not_rounded_by_the_callers_decimal_context() -> None:
    engine = CompliancePipeline(default_policies(), rates=ODD_CARD)
    sender = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED)
    noon = datetime(2026, 12, 8, 17, 0, tzinfo=UTC)  # 12:00 in New York
    requests = [SendRequest(n, body="Your showing is confirmed",
                            purpose=Purpose.INFORMATIONAL)
                for n in ("+1 212 555 0123", "+1 305 555 0123")]
    with localcontext() as context:
        context.prec = 4
        plan = engine.decide_many(requests, sender, noon)
    assert [d.cost for d in plan.decisions] == [Decimal("1.0001")] * 2
    assert plan.cost_by_verdict == {Verdict.ALLOW: Decimal("2.0002")}
    assert plan.cost_by_currency == {"USD": Decimal("2.0002")}


@pytest.mark.parametrize("written", ["NaN", "Infinity", "-Infinity"])
def test_a_json_nan_or_infinity_price_is_called_not_finite(written: str) -> None:
    # json reads these words as floats: the error said "is a float; write prices as
    # strings", and "NaN" written as a string is refused too.
    text = '{"currency": "USD", "countries": {"US": {"10dlc": {"sms_per_segment": %s}}}}'
    with pytest.raises(RateCardError, match=r"sms_per_segment: .* is not a finite price"):
        RateCard.from_json(text % written)


# --- segment_bounds: a grapheme cluster is moved whole to the next part --------------


def test_segment_bounds_count_skin_toned_emoji_in_ucs2_values() -> None:
    # 33 thumbs-up with a skin tone: 66 characters, 132 UTF-16 units. Each is one
    # cluster of 4 units kept whole, so a part holds 16 of them (64 units; a 17th
    # needs 68 > 67): 64 + 64 + 4, 3 segments. The bound (66 units a part) said 2.
    thumbs = "\N{THUMBS UP SIGN}\N{EMOJI MODIFIER FITZPATRICK TYPE-4}"
    assert count_segments(thumbs * 33) == 3
    bounds = Template("{a}").segment_bounds({"a": 66}, alphabet=Alphabet.UCS2)
    assert bounds.maximum == 3


def test_segment_bounds_count_a_cluster_of_the_template_moved_whole() -> None:
    # 64 x, a skin-toned thumbs-up (4 units), 63 y and one value character: 132
    # units. The thumbs-up does not fit after 64 units (68 > 67) and starts part 2,
    # which then holds 4 + 63 = 67; the value's character makes part 3. The bound
    # (132 units, 66 a part) said 2.
    template = Template("x" * 64 + "\N{THUMBS UP SIGN}\N{EMOJI MODIFIER FITZPATRICK TYPE-4}"
                        + "y" * 63 + "{a}")
    assert count_segments(template.render({"a": "z"})) == 3
    assert template.segment_bounds({"a": 1}).maximum == 3


_CLUSTERS = ["a", "Z", "0", " ", "ë", "王", "€", "😀", "👍🏽", "🇺🇸", "e\u0301"]


@given(
    st.lists(st.lists(st.sampled_from(_CLUSTERS), max_size=60), min_size=1, max_size=3),
    st.lists(st.integers(0, 120), min_size=3, max_size=3),
    st.data(),
)
def test_segment_bounds_hold_for_ucs2_values_of_emoji_with_skin_tones_and_flags(
    literals: list[list[str]], lengths: list[int], data: st.DataObject
) -> None:
    # Values and fixed text made of whole clusters of up to 4 units, as documented.
    source = "".join(escape_template("".join(text)) + f"{{f{i}}}"
                     for i, text in enumerate(literals))
    template = Template(source)
    limits = {f"f{i}": lengths[i] for i in range(len(literals))}
    bounds = template.segment_bounds(limits, alphabet=Alphabet.UCS2)
    values = {}
    for name, length in limits.items():
        # Random clusters, or one cluster repeated: the worst cases fill every part.
        clusters = data.draw(st.lists(st.sampled_from(_CLUSTERS), max_size=length)
                             | st.sampled_from(_CLUSTERS).map(lambda c, n=length: [c] * n))
        values[name] = "".join(clusters)[:length]  # at most `length` characters
    count = count_segments(template.render(values))
    assert bounds.minimum <= count <= bounds.maximum


def test_a_card_in_caribbean_guilders_loads() -> None:
    # ISO 4217 Amendment 176 (6 December 2023): XCG, Curaçao and Sint Maarten, 2 minor
    # units, from 31 March 2025, replacing ANG. It was "unknown currency 'XCG'".
    card = RateCard.from_dict({"currency": "XCG",
                               "countries": {"CW": {"international": {"sms_per_segment": "0.10"}}}})
    assert card.currency == "XCG"
    assert minor_units("XCG") == 2


@pytest.mark.parametrize("price", [Decimal("-0.0079"), Decimal("NaN"), Decimal("Infinity"), 0.0079])
def test_a_rate_built_directly_is_checked_as_a_card_is(price: object) -> None:
    # Rate is public: built by hand (not through RateCard.from_dict), a negative price
    # made a negative total, NaN a NaN one.
    with pytest.raises(RateCardError, match="sms_per_segment"):
        Rate(price)  # type: ignore[arg-type]
    with pytest.raises(RateCardError, match="mms_carrier_fee_per_message"):
        Rate(Decimal("0.0079"), mms_carrier_fee_per_message=price)  # type: ignore[arg-type]


@pytest.mark.parametrize(("segments", "price"), [(0, Decimal(1)), (10, Decimal(-1)),
                                                 (True, Decimal(1)), (10, Decimal("NaN"))])
def test_a_bundle_built_directly_is_checked_as_a_card_is(segments: int, price: Decimal) -> None:
    # Bundle("b", 0, ...) divided by zero when priced; a negative price paid the sender.
    with pytest.raises(RateCardError, match="bundle 'b'"):
        Bundle("b", segments, price, "USD")


def test_usage_of_an_mms_the_card_cannot_price_is_a_rate_card_error() -> None:
    # estimate() says RateCardError and names the key to add; usage() raised a
    # ConfigurationError naming no route, which its docstring does not list.
    history = MemoryMessageHistory()
    history.record_message(MessageRecord(
        Direction.OUTBOUND, OURS, US, T0, 0, kind=MessageKind.MMS, provider_id="m1"))
    with pytest.raises(RateCardError, match=r"countries\.US\.10dlc\.mms_per_message"):
        usage(history, OURS, since=T0 - timedelta(days=1), until=T0, rates=ODD_CARD)


# --- second review: CR LF is a cluster too, and a fill can extend one ----------------


def test_segment_bounds_count_cr_lf_of_gsm7_values_in_a_ucs2_text() -> None:
    # "ł" makes the text UCS-2; the value "x" + 66 CR LF is 133 GSM-7 characters, so
    # 134 units. Part 1 holds ł, x and 32 CR LF (66 units); the 33rd CR LF would
    # straddle unit 67 and moves whole, leaving 68 units: 3 segments. The bound
    # counted 67 a part (GSM-7 values were taken as 1-unit clusters) and said 2.
    value = "x" + "\r\n" * 66
    template = Template("ł{a}")
    assert count_segments(template.render({"a": value})) == 3
    for alphabet in (Alphabet.GSM7, Alphabet.GSM7_EXTENDED):
        assert template.segment_bounds({"a": 133}, alphabet=alphabet).maximum >= 3


def test_segment_bounds_count_cr_lf_of_an_ascii_template_made_ucs2_by_a_default() -> None:
    # The default "ł" (1 unit) makes the text UCS-2; 65 a put CR at unit 67, so the
    # CR LF moves whole to part 2 (part 1: 66 units), which then holds 2 + 66 = 68:
    # 3 segments for 134 units. The ASCII template text was taken to hold no
    # cluster longer than a unit, and the bound said 2.
    template = Template("{b|ł}" + "a" * 65 + "\r\n" + "y" * 66)
    assert count_segments(template.render({})) == 3
    assert template.segment_bounds({}).maximum >= 3


def test_segment_bounds_count_a_fill_that_joins_the_value_into_one_cluster() -> None:
    # A combining acute as fill: "e" and 29 accents are one cluster of 30 units. After
    # ł and 40 a (41 units) it would straddle unit 67, so it moves whole to part 2,
    # which then holds 30 + 38 y = 68: 3 segments for 109 units. The bound said 2.
    template = Template("ł" + "a" * 40 + "{a:\u0301<30}" + "y" * 38)
    assert count_segments(template.render({"a": "e"})) == 3
    assert template.segment_bounds({"a": 1}).maximum >= 3
