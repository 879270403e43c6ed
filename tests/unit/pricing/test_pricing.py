"""Rate cards and estimates. Every expected amount is worked out by hand in the test."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smskit.errors import RateCardError, RecipientError
from smskit.pricing import (
    Direction,
    Estimate,
    MessageKind,
    RateCard,
    estimate,
    minor_units,
)
from smskit.pricing.templates import Template
from smskit.routes import Route
from smskit.segments.encoding import Encoding

CARD_TOML = """
name = "test card"
currency = "USD"

[countries.US.10dlc]
sms_per_segment = 0.0079
sms_carrier_fee_per_segment = 0.003
mms_per_message = 0.0200
mms_carrier_fee_per_message = 0.0050

[countries.US.10dlc.inbound]
sms_per_segment = "0.0079"

[countries.US.toll_free]
sms_per_segment = 0.0083

[countries.CA.10dlc]
sms_per_segment = 0.0075

[countries.GB.international]
sms_per_segment = 0.0460

[[bundles]]
name = "us-2500"
segments = 2500
price = 37.50
countries = ["US"]
routes = ["10dlc"]
"""

US = "+1 415 555 0123"
CA = "+1 416 555 0199"
GB = "+44 20 7946 0123"
GSM_3_SEGMENTS = "x" * 307  # 307 septets > 2 x 153
UCS2_3_SEGMENTS = "ë" + "x" * 140  # 141 UTF-16 units > 2 x 67


@pytest.fixture
def card() -> RateCard:
    return RateCard.from_toml(CARD_TOML)


def test_toml_prices_are_exact_decimals(card: RateCard) -> None:
    rates = card.route_rates("US", Route.TEN_DLC)
    assert rates.outbound.sms_per_segment == Decimal("0.0079")
    assert str(rates.outbound.sms_carrier_fee_per_segment) == "0.003"
    assert rates.inbound is not None
    assert rates.inbound.sms_per_segment == Decimal("0.0079")
    assert card.route_rates("US", Route.TOLL_FREE).inbound is None


def test_json_and_dict_load_the_same_card(card: RateCard) -> None:
    as_json = RateCard.from_json(
        '{"currency": "USD", "countries": {"US": {"10dlc": {"sms_per_segment": 0.0079}}}}'
    )
    as_dict = RateCard.from_dict(
        {"currency": "USD", "countries": {"US": {"10dlc": {"sms_per_segment": "0.0079"}}}}
    )
    expected = Decimal("0.0079")
    assert as_json.route_rates("US", Route.TEN_DLC).outbound.sms_per_segment == expected
    assert as_dict.route_rates("US", Route.TEN_DLC).outbound.sms_per_segment == expected


def test_load_reads_a_file_by_suffix(tmp_path, card: RateCard) -> None:
    path = tmp_path / "rates.toml"
    path.write_text(CARD_TOML, encoding="utf-8")
    assert RateCard.load(path) == card
    with pytest.raises(RateCardError, match=r"\.toml or \.json"):
        RateCard.load(tmp_path / "rates.yaml")


def test_bundle_price_per_segment(card: RateCard) -> None:
    assert card.bundle("us-2500").per_segment == Decimal("0.015")  # 37.50 / 2500


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (
            {"currency": "USD", "countries": {"US": {"10dlc": {}}}},
            "countries.US.10dlc.sms_per_segment",
        ),
        (
            {"currency": "USD", "countries": {"US": {"10dlc": {"sms_per_segment": "-0.01"}}}},
            "countries.US.10dlc.sms_per_segment is negative",
        ),
        (
            {"currency": "USD", "countries": {"US": {"10dlc": {"sms_per_segment": 0.0079}}}},
            "countries.US.10dlc.sms_per_segment is a float",
        ),
        (
            {"currency": "USD", "countries": {"US": {"10dlc": {"sms_per_segment": "cheap"}}}},
            "countries.US.10dlc.sms_per_segment: 'cheap' is not a decimal number",
        ),
        (
            {"currency": "USD", "countries": {"US": {"10dlc": {"sms_per_segment": "NaN"}}}},
            "not a finite price",
        ),
        ({"currency": "DOLLARS", "countries": {}}, "currency: unknown currency 'DOLLARS'"),
        ({"countries": {"US": {}}}, "currency is missing"),
        (
            {"currency": "USD", "countries": {"ZZ": {"10dlc": {"sms_per_segment": 1}}}},
            "countries.ZZ: unknown country 'ZZ'",
        ),
        (
            {"currency": "USD", "countries": {"US": {"5g": {"sms_per_segment": 1}}}},
            "countries.US.5g: unknown key",
        ),
        (
            {"currency": "USD", "countries": {"US": {"10dlc": {"sms_per_segement": 1}}}},
            "countries.US.10dlc.sms_per_segement: unknown key",
        ),
        (
            {
                "currency": "USD",
                "countries": {"US": {"currency": "usd", "10dlc": {"sms_per_segment": 1}}},
            },
            "countries.US.currency: unknown currency 'usd'",
        ),
        (
            {
                "currency": "USD",
                "countries": {"US": {"10dlc": {"sms_per_segment": 1}}},
                "bundles": [{"name": "b", "segments": 0, "price": 1}],
            },
            r"bundles\[0\].segments must be a whole number > 0",
        ),
    ],
)
def test_invalid_cards_name_the_path(body: dict[str, object], path: str) -> None:
    with pytest.raises(RateCardError, match=path):
        RateCard.from_dict(body)


def test_invalid_toml_is_a_rate_card_error() -> None:
    with pytest.raises(RateCardError, match="not valid TOML"):
        RateCard.from_toml("currency = ")


def test_one_gsm_message_three_segments_with_carrier_fee(card: RateCard) -> None:
    result = estimate(GSM_3_SEGMENTS, rates=card, to=US)
    assert isinstance(result, Estimate)
    assert result.segments == 3
    assert result.encoding is Encoding.GSM7
    assert result.cost_per_part == Decimal("0.0109")  # 0.0079 + 0.003
    assert result.base == Decimal("0.0237")  # 3 x 0.0079
    assert result.carrier_fees == Decimal("0.009")  # 3 x 0.003
    assert result.total == Decimal("0.0327")
    assert result.rounded_total == Decimal("0.03")
    assert result.by_country["US"].segments == 3


def test_ucs2_message_priced_per_segment(card: RateCard) -> None:
    result = estimate(UCS2_3_SEGMENTS, rates=card, to=US)
    assert (result.encoding, result.segments) == (Encoding.UCS2, 3)
    assert result.total == Decimal("0.0327")


def test_country_from_the_number_and_international_fallback(card: RateCard) -> None:
    canada = estimate("hello", rates=card, to=CA)
    assert canada.total == Decimal("0.0075")
    assert list(canada.by_country) == ["CA"]
    # GB is not on the 10DLC route: its international rate applies.
    britain = estimate("hello", rates=card, to=GB)
    assert britain.total == Decimal("0.0460")


def test_missing_destination_names_what_to_add(card: RateCard) -> None:
    with pytest.raises(RateCardError, match=r"countries\.DE\.10dlc"):
        estimate("hello", rates=card, to="+49 30 901820")


def test_inbound_billed_only_where_the_card_says(card: RateCard) -> None:
    billed = estimate(GSM_3_SEGMENTS, rates=card, to=US, direction=Direction.INBOUND)
    assert billed.total == Decimal("0.0237")  # 3 x 0.0079, no carrier fee inbound
    free = estimate("hi", rates=card, to=US, route="toll_free", direction="inbound")
    assert free.total == Decimal(0)


def test_mms_priced_per_message(card: RateCard) -> None:
    result = estimate(GSM_3_SEGMENTS, rates=card, to=US, kind=MessageKind.MMS)
    assert result.segments == 0
    assert result.cost_per_part == Decimal("0.0250")
    assert result.total == Decimal("0.0250")  # 0.0200 + 0.0050
    with pytest.raises(RateCardError, match=r"countries\.CA\.10dlc\.mms_per_message"):
        estimate("hi", rates=card, to=CA, kind="mms")


def test_campaign_breakdown_by_encoding_and_country(card: RateCard) -> None:
    template = Template("{greeting} {name}")
    recipients = [
        {"number": US, "greeting": "Hi", "name": "Bob"},  # GSM-7, 1 segment: 0.0109
        {"number": US, "greeting": "x" * 300, "name": "Zoë"},  # UCS-2, 305 units: 5 x 0.0109
        {"number": CA, "greeting": "Hello", "name": "Ann"},  # GSM-7, 1 segment: 0.0075
    ]
    result = estimate(template, rates=card, recipients=recipients)
    assert result.messages == 3
    assert result.segments == 7
    assert result.encoding is None
    assert result.cost_per_part is None  # US and CA differ
    assert result.total == Decimal("0.0109") * 6 + Decimal("0.0075")
    assert result.by_encoding[Encoding.UCS2].segments == 5
    assert result.by_encoding[Encoding.GSM7].cost == Decimal("0.0184")
    assert result.by_country["US"].messages == 2
    assert result.by_country["CA"].cost == Decimal("0.0075")
    assert [item.row for item in result.costliest(2)] == [1, 0]


def test_bundle_replaces_the_segment_price(card: RateCard) -> None:
    recipients = [{"number": US}] * 3 + [{"number": CA}]
    result = estimate(GSM_3_SEGMENTS, rates=card, recipients=recipients, bundle="us-2500")
    # US: 9 segments x (0.015 + 0.003 fee); CA is not covered: 3 x 0.0075.
    assert result.total == Decimal("0.162") + Decimal("0.0225")
    assert result.bundles_needed == 1
    with pytest.raises(RateCardError, match="no bundle 'gold'"):
        estimate("hi", rates=card, to=US, bundle="gold")


def test_mixed_currencies_are_refused() -> None:
    card = RateCard.from_dict(
        {
            "currency": "USD",
            "countries": {
                "US": {"10dlc": {"sms_per_segment": "0.01"}},
                "GB": {"currency": "GBP", "international": {"sms_per_segment": "0.04"}},
            },
        }
    )
    assert estimate("hi", rates=card, to=GB).currency == "GBP"
    with pytest.raises(RateCardError, match=r"mixed currencies.*GBP.*USD"):
        estimate("hi", rates=card, recipients=[{"number": US}, {"number": GB}])


def test_bad_recipient_names_row_and_column(card: RateCard) -> None:
    template = Template("Hi {name}")
    rows = [{"number": US, "name": "A"}, {"number": "+1 415 555", "name": "B"}]
    with pytest.raises(RecipientError) as caught:
        estimate(template, rates=card, recipients=rows)
    assert (caught.value.row, caught.value.column) == (1, "number")
    assert "415 555" not in str(caught.value)  # the number is never echoed whole
    with pytest.raises(RecipientError) as missing:
        estimate(template, rates=card, recipients=[{"number": US}])
    assert (missing.value.row, missing.value.column) == (0, "name")


def test_skip_invalid_lists_the_rows_left_out(card: RateCard) -> None:
    rows = [{"number": US}, {"number": ""}, {"number": "not a number"}, {"number": CA}]
    result = estimate("hi", rates=card, recipients=rows, skip_invalid=True)
    assert result.messages == 2
    assert [(p.row, p.column) for p in result.skipped] == [(1, "number"), (2, "number")]
    assert [item.row for item in result.items] == [0, 3]


def test_exactly_one_of_to_and_recipients(card: RateCard) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        estimate("hi", rates=card)


def test_progress_is_reported(card: RateCard) -> None:
    seen: list[int] = []
    estimate("hi", rates=card, recipients=[{"number": US}] * 5, progress=seen.append)
    assert seen[0] == 0
    assert seen[-1] == 5


def test_minor_units_from_iso_4217() -> None:
    assert (minor_units("USD"), minor_units("JPY"), minor_units("KWD")) == (2, 0, 3)
    assert minor_units("VED") == 2  # Venezuelan digital bolivar, ISO 4217 code 926 (2021)


def test_rounded_total_uses_currency_minor_unit() -> None:
    card = RateCard.from_dict(
        {"currency": "JPY", "countries": {"JP": {"international": {"sms_per_segment": "7.5"}}}}
    )
    assert estimate("hi", rates=card, to="+81 3-1234-5678").rounded_total == Decimal("8")


def test_text_too_long_to_send_names_its_row(card: RateCard) -> None:
    rows = [{"number": US, "body": "ok"}, {"number": US, "body": "x" * (153 * 255 + 1)}]
    with pytest.raises(RecipientError) as caught:
        estimate(Template("{body}"), rates=card, recipients=rows)
    assert caught.value.row == 1
    skipped = estimate(Template("{body}"), rates=card, recipients=rows, skip_invalid=True)
    assert [item.row for item in skipped.items] == [0]
    assert [problem.row for problem in skipped.skipped] == [1]


@pytest.mark.parametrize("smart", [False, True])
@pytest.mark.parametrize("skip_invalid", [False, True])
def test_a_row_too_long_is_described_as_the_row_not_as_a_batch_index(
    card: RateCard, smart: bool, skip_invalid: bool
) -> None:
    # The row's text is measured alone: its message said "text 0 of the batch", an
    # index into a list of one that the caller never made (row 1 here), without --smart.
    rows = [{"number": US, "body": "ok"}, {"number": US, "body": "{" * 19_507}]
    expected = (
        "the text needs at least 257 segments; concatenation allows at most 255: "
        "shorten it or send it as several messages"
    )
    if skip_invalid:
        result = estimate(
            Template("{body}"), rates=card, recipients=rows, smart=smart, skip_invalid=True
        )
        assert [(p.row, p.message) for p in result.skipped] == [(1, expected)]
        return
    with pytest.raises(RecipientError) as caught:
        estimate(Template("{body}"), rates=card, recipients=rows, smart=smart)
    assert caught.value.row == 1
    assert str(caught.value).endswith(expected)
    assert "batch" not in str(caught.value)


def test_campaign_estimate_carries_the_rows_to_fix(card: RateCard) -> None:
    rows = [
        {"number": US, "name": "Ann"},
        {"number": "bad", "name": "Bob"},
        {"number": US, "name": "Zoë"},
    ]
    template = Template("Hi {name}, " + "x" * 140)
    result = estimate(template, rates=card, recipients=rows, skip_invalid=True)
    assert result.report is not None
    assert result.report.segments == (1, 3)  # rows 0 and 2; row 1 skipped
    (issue,) = result.report.issues
    assert (issue.row, issue.segments, issue.expected) == (2, 3, 1)
    assert estimate("hi", rates=card, to=US).report is None


# --- review fixes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("1e40", "too large"),
        ("1000000000000", "too large"),
        ("1e-999999999", "decimal places"),
        ("0.0000000000001", "decimal places"),
    ],
)
def test_absurd_prices_are_refused(price: str, message: str) -> None:
    # A price of 1e40 used to crash the display (decimal.InvalidOperation) and one of
    # 1e-999999999 would be written out as a billion zeros.
    with pytest.raises(RateCardError, match=f"countries.US.10dlc.sms_per_segment.*{message}"):
        RateCard.from_dict(
            {"currency": "USD", "countries": {"US": {"10dlc": {"sms_per_segment": price}}}}
        )


def test_largest_allowed_prices_round_without_error() -> None:
    card = RateCard.from_dict(
        {
            "currency": "KWD",
            "countries": {"US": {"10dlc": {"sms_per_segment": "999999999999.999999999999"}}},
        }
    )
    rows = [{"number": US}] * 3
    result = estimate("x" * 307, rates=card, recipients=rows)  # 9 segments
    # 9 x 999999999999.999999999999 = 8999999999999.999999999991, exactly; rounded to
    # the 3 minor units of KWD.
    assert result.total == Decimal("8999999999999.999999999991")
    assert result.rounded_total == Decimal("9000000000000.000")


def test_totals_do_not_depend_on_the_callers_decimal_context(card: RateCard) -> None:
    import decimal

    with decimal.localcontext() as ctx:
        ctx.prec = 2
        result = estimate(GSM_3_SEGMENTS, rates=card, to=US)
    assert result.total == Decimal("0.0327")  # 3 x (0.0079 + 0.003), not 0.033


def test_bundle_that_does_not_divide_evenly_stays_exact() -> None:
    card = RateCard.from_dict(
        {
            "currency": "USD",
            "countries": {"US": {"10dlc": {"sms_per_segment": "0.01"}}},
            "bundles": [{"name": "b", "segments": 3, "price": "1"}],
        }
    )
    result = estimate(GSM_3_SEGMENTS, rates=card, to=US, bundle="b")
    # 3 segments of a "3 segments for 1.00" bundle cost 1.00, not 0.999...9.
    assert result.total == Decimal(1)
    assert result.items[0].cost == Decimal(1)
    assert sum(item.cost for item in result.items) == result.total


def test_first_unsendable_row_is_the_one_named(card: RateCard) -> None:
    too_long = "x" * (153 * 255 + 1)
    rows = [{"number": US, "body": too_long}, {"number": US, "body": too_long}]
    with pytest.raises(RecipientError) as caught:
        estimate(Template("{body}"), rates=card, recipients=rows)
    assert caught.value.row == 0


@pytest.mark.parametrize(
    "text",
    [
        '{"x": ' + "[" * 100_000 + "]" * 100_000 + "}",  # RecursionError inside json
        '{"currency": "USD", "n": 1' + "0" * 5000 + "}",  # int longer than 4300 digits
    ],
)
def test_pathological_json_is_a_rate_card_error(text: str) -> None:
    with pytest.raises(RateCardError, match="not valid JSON"):
        RateCard.from_json(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x = " + "[" * 100_000 + "]" * 100_000, "line of 200,004 characters"),
        ("x = " + "[" * 2000 + "]" * 2000, "not valid TOML"),
        ("n = 1" + "0" * 5000, "line of 5,005 characters"),
    ],
)
def test_pathological_toml_is_a_rate_card_error(text: str, message: str) -> None:
    with pytest.raises(RateCardError, match=message):
        RateCard.from_toml(text)


def test_bundle_in_another_currency_than_the_carrier_fees_is_refused() -> None:
    # A EUR bundle with USD carrier fees used to be summed into a "EUR" total.
    card = RateCard.from_dict(
        {
            "currency": "USD",
            "countries": {
                "US": {
                    "10dlc": {"sms_per_segment": "0.0079", "sms_carrier_fee_per_segment": "0.003"}
                }
            },
            "bundles": [{"name": "eu", "segments": 1000, "price": "10", "currency": "EUR"}],
        }
    )
    with pytest.raises(RateCardError, match=r"mixed currencies.*EUR.*USD \(countries\.US\.10dlc"):
        estimate("hi", rates=card, to=US, bundle="eu")
    free_fees = RateCard.from_dict(
        {
            "currency": "USD",
            "countries": {"US": {"10dlc": {"sms_per_segment": "0.0079"}}},
            "bundles": [{"name": "eu", "segments": 1000, "price": "10", "currency": "EUR"}],
        }
    )
    priced = estimate("hi", rates=free_fees, to=US, bundle="eu")
    assert (priced.currency, priced.total) == ("EUR", Decimal("0.01"))  # 10 / 1000


@pytest.mark.parametrize("data", [[["currency", "USD"]], None, "USD"])
def test_from_dict_refuses_what_is_not_a_mapping(data: object) -> None:
    with pytest.raises(RateCardError, match="must be a table/object"):
        RateCard.from_dict(data)  # type: ignore[arg-type]


def test_costliest_refuses_a_negative_count(card: RateCard) -> None:
    result = estimate("hi", rates=card, recipients=[{"number": US}, {"number": CA}])
    assert [item.row for item in result.costliest(0)] == []
    with pytest.raises(ValueError, match="n must be >= 0"):
        result.costliest(-1)  # used to mean "all but the cheapest"
