"""Review rev31c: ``segment_bounds`` of a template whose own text is past 255 parts."""

from __future__ import annotations

import pytest

from smskit.errors import TemplateError
from smskit.pricing.templates import Template


def test_a_template_text_past_255_parts_is_bounded_not_an_error() -> None:
    # 50,000 GSM-7 characters of its own: 50,000 / 153 = 326.8, so at least 327 parts
    # (3GPP TS 23.040: 153 septets a part); the maximum adds the field's 3 septets.
    bounds = Template("x" * 50_000 + "{a}").segment_bounds({"a": 3})
    assert (bounds.minimum, bounds.maximum) == (327, 327)
    # As a long field already was: a maximum past 255 parts is a number, not an error.
    assert Template("x{a}").segment_bounds({"a": 50_000}).maximum == 327


def test_a_second_bar_in_a_placeholder_is_an_error_as_documented() -> None:
    # docs/pricing.md: "A default or spec cannot contain braces or |". "{a|nickname|there}"
    # read as a fallback chain sent "Hi nickname|there" to every row without a name.
    with pytest.raises(TemplateError) as info:
        Template("Hi {first_name|nickname|there}")
    assert info.value.field == "first_name"
    assert "position 3" in str(info.value)
    assert Template("Hi {first_name|there}").render({}) == "Hi there"


@pytest.mark.parametrize("value", [b"Ann", bytearray(b"Ann"), memoryview(b"Ann")])
def test_a_bytes_value_is_an_error_not_its_repr_in_the_message(value: object) -> None:
    # A driver or a binary CSV read gives bytes: "Hi b'Ann'" went to the recipient.
    with pytest.raises(TemplateError) as info:
        Template("Hi {name}").render({"name": value})
    assert info.value.field == "name"
    assert "decode" in str(info.value)
    assert "Ann" not in str(info.value)  # a cell may be a phone number: not shown
