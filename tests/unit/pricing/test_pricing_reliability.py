"""Templates and estimates under hostile input: privacy of errors, bounded memory,
exact integer bounds, linear time."""

from __future__ import annotations

import gc
import tracemalloc

import pytest

from linear import assert_linear
from smskit.errors import ConfigurationError, RecipientError, TemplateError
from smskit.pricing import RateCard, Template, estimate

CARD = RateCard.from_toml('name = "t"\ncurrency = "USD"\n[countries.US.10dlc]\n'
                          'sms_per_segment = 0.0079\n')
NUMBER = "(415) 555-0123"


def test_a_format_error_never_echoes_a_phone_number() -> None:
    with pytest.raises(TemplateError) as info:
        # ">16" would pad the cell as text (docs/pricing.md); ",.2f" needs a number.
        Template("Hi {number:,.2f}").render({"number": NUMBER})
    message = str(info.value)
    assert "555-0123" not in message
    assert "5550123" not in message.replace(" ", "").replace("-", "")
    assert "number" in message  # still names the field and says what is wrong
    assert "is not a number" in message


def test_skipped_rows_and_recipient_errors_never_hold_the_number() -> None:
    rows = [{"number": "+14155550123", "when": NUMBER},
            {"number": "+14155550124", "when": "2025-01-01"}]
    template = Template("On {when:%d %b}")
    result = estimate(template, rates=CARD, recipients=rows, skip_invalid=True)
    assert [p.row for p in result.skipped] == [0]
    assert "555" not in result.skipped[0].message
    with pytest.raises(RecipientError) as info:
        estimate(template, rates=CARD, recipients=rows)
    assert "555" not in str(info.value)


def test_a_huge_int_is_a_template_error_and_skip_invalid_skips_it() -> None:
    with pytest.raises(TemplateError, match="4300 digits"):
        Template("{n}").render({"n": 10**5000})
    rows = [{"number": "+14155550123", "n": 10**5000}, {"number": "+14155550124", "n": 7}]
    result = estimate(Template("Code {n}"), rates=CARD, recipients=rows, skip_invalid=True)
    assert [p.row for p in result.skipped] == [0]
    assert result.messages == 1


def test_render_of_none_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="mapping"):
        Template("{a}").render(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("length", [2**53 + 1, 2**53 + 152, 10**17 + 3, 10**400])
def test_segment_bounds_are_exact_for_huge_lengths(length: int) -> None:
    # GSM-7, no literal text: ceil(length / 153), computed here with integers only.
    assert Template("{a}").segment_bounds({"a": length}).maximum == (length + 152) // 153


def test_the_format_cache_keeps_no_large_cells_alive() -> None:
    template = Template("Ref {ref:.0f}")
    cells = [f"{i + 1}" + "0" * 9_000 for i in range(300)]  # 9,000-digit numbers format
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for cell in cells:
            assert len(template.render({"ref": cell})) > 9_000
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # Cached, the cells and their results would keep 300 x 18 KB = 5.4 MB alive.
    assert kept < 1_000_000, f"{kept} bytes kept after the calls"


def test_estimate_skipping_many_bad_rows_grows_linearly() -> None:
    def make(n: int) -> object:
        rows = [{"number": "+14155550123", "t": "x" * 2000 if i % 2 else "ok"}
                for i in range(n)]
        template = Template("{t}" * 20)  # 40,000 septets: over 255 segments
        return lambda: estimate(template, rates=CARD, recipients=rows, skip_invalid=True)
    assert_linear(make, 4000)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("option", "value", "choices"),
    [("route", "fax", "'10dlc', 'toll_free'"), ("direction", "sideways", "'outbound', 'inbound'"),
     ("kind", "fax", "'sms', 'mms'")],
)
def test_an_unknown_route_direction_or_kind_names_the_choices(
    option: str, value: str, choices: str
) -> None:
    # These were the enums' own ValueError ("'fax' is not a valid Route"): not a
    # SmskitError, and no word of what the option accepts.
    with pytest.raises(ConfigurationError) as info:
        estimate("hi", rates=CARD, to="+14155550123", **{option: value})
    assert info.value.field == option
    assert f"{option} must be one of" in str(info.value)
    assert choices in str(info.value)


def test_estimate_without_or_with_both_to_and_recipients_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="exactly one of"):
        estimate("hi", rates=CARD)


def test_a_row_too_long_to_send_is_named_without_batch_jargon() -> None:
    # Each row is measured as a batch of one, whose error began "text 0 of the batch: ",
    # which the user (and `smskit estimate`) printed after the row's own line number.
    rows = [{"number": "+14155550123", "note": "hi"},
            {"number": "+14155550124", "note": "x" * 39_016}]  # 256 parts of 153
    with pytest.raises(RecipientError) as info:
        estimate(Template("{note}"), rates=CARD, recipients=rows)
    assert info.value.row == 1
    assert "of the batch" not in str(info.value)
    assert "256 segments" in str(info.value)
    result = estimate(Template("{note}"), rates=CARD, recipients=rows, skip_invalid=True)
    assert [p.row for p in result.skipped] == [1]
    assert "of the batch" not in result.skipped[0].message


def test_recipients_given_as_bare_numbers_are_a_configuration_error() -> None:
    # A list of numbers for recipients= ended in AttributeError: 'str' object has no
    # attribute 'get', a traceback from inside the renderer.
    with pytest.raises(ConfigurationError) as info:
        estimate("hi", rates=CARD, recipients=["+14155550123", "+14155550124"])
    assert info.value.field == "recipients"
    message = str(info.value)
    assert "recipient 0 is a str" in message
    assert "{'number': ...}" in message
    assert "+14155550123" not in message


def test_a_recipient_without_the_number_field_names_its_fields() -> None:
    # {"phone": ...} with the default number_field "number" said only "no phone number
    # in field 'number'", as if the number were blank.
    rows = [{"phone": "+14155550123", "name": "Ann"}]
    with pytest.raises(RecipientError) as info:
        estimate(Template("Hi {name}"), rates=CARD, recipients=rows)
    message = str(info.value)
    assert "has no field 'number' (its fields: phone, name)" in message
    assert "+14155550123" not in message
    blank = [{"number": "", "name": "Ann"}]
    with pytest.raises(RecipientError, match=r"no phone number in field 'number'$"):
        estimate(Template("Hi {name}"), rates=CARD, recipients=blank)
