"""Fix fix31a: ``{x:|>5}`` (a '|' fill, or an empty spec before a default) is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit.errors import TemplateError
from smskit.pricing import RateCard, estimate
from smskit.pricing.templates import Template


@pytest.mark.parametrize(
    ("source", "position"), [("{x:|>5}", 0), ("Zip {zip:|^9}", 4), ("Hi {name:|there}", 3)]
)
def test_a_colon_then_bar_is_refused_saying_what_to_write(source: str, position: int) -> None:
    # docs/pricing.md: "A default or spec cannot contain braces or |". "{x:|>5}" read as
    # the field x with the default ">5": a '|' fill silently became a text sent to rows.
    with pytest.raises(TemplateError) as info:
        Template(source)
    message = str(info.value)
    assert f"position {position}" in message
    assert "fill" in message
    name = source[source.index("{") + 1 : source.index(":")]
    default = source[source.index("|") + 1 : -1]
    assert f"{{{name}|{default}}}" in message  # the default, written without ':'
    assert info.value.field == name


def test_the_forms_it_points_to_still_work() -> None:
    assert Template("{x|>5}").render({}) == ">5"
    assert Template("{x:*>5}").render({"x": "ab"}) == "***ab"
    assert Template("{x:>5|none}").render({"x": "ab"}) == "   ab"


def test_segment_bounds_and_estimate_never_see_the_ambiguous_template() -> None:
    # Both start from a Template: refused at construction, they cannot price ">5".
    with pytest.raises(TemplateError):
        Template("x{a:|>5}").segment_bounds({"a": 3})
    card = RateCard.from_dict(
        {"currency": "USD", "countries": {"US": {"10dlc": {"sms_per_segment": "0.0079"}}}}
    )
    fixed = estimate(Template("{a:*>5}"), rates=card, recipients=[
        {"number": "+1 415 555 0123", "a": "ab"}])
    assert fixed.total == Decimal("0.0079")


@given(st.text(alphabet=st.characters(blacklist_characters="{}|"), max_size=12))
def test_no_text_after_colon_bar_is_ever_read_as_a_default(default: str) -> None:
    # Property: "{x:|...}" is refused whatever follows, never rendered as its tail.
    with pytest.raises(TemplateError):
        Template("{x:|" + default + "}")
