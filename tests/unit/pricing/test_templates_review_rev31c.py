"""Review rev31c: ``segment_bounds`` of a template whose own text is past 255 parts."""

from __future__ import annotations

from smskit.pricing.templates import Template


def test_a_template_text_past_255_parts_is_bounded_not_an_error() -> None:
    # 50,000 GSM-7 characters of its own: 50,000 / 153 = 326.8, so at least 327 parts
    # (3GPP TS 23.040: 153 septets a part); the maximum adds the field's 3 septets.
    bounds = Template("x" * 50_000 + "{a}").segment_bounds({"a": 3})
    assert (bounds.minimum, bounds.maximum) == (327, 327)
    # As a long field already was: a maximum past 255 parts is a number, not an error.
    assert Template("x{a}").segment_bounds({"a": 50_000}).maximum == 327
