"""Fix fix31c: ``{t:%H|%M}`` (a '|' meant inside a date spec) is refused, not guessed.

docs/pricing.md: "A default or spec cannot contain braces or |". ``{t:%H|%M}`` read as
the spec ``%H`` with the default ``%M``: a row without ``t`` was sent the text "%M", and
a row with one lost its minutes. A default that is itself a date directive can only be
the rest of the spec, so it is refused as ``{x:|>5}`` is (fix31a).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit.errors import TemplateError
from smskit.pricing.templates import Template


@pytest.mark.parametrize(
    ("source", "position"),
    [("{t:%H|%M}", 0), ("At {t:%H|%M}", 3), ("On {d:%b %d|%Y}", 3), ("{d:%Y-%m|%d soon}", 0)],
)
def test_a_bar_inside_a_date_spec_is_refused_saying_what_to_write(
    source: str, position: int
) -> None:
    with pytest.raises(TemplateError) as info:
        Template(source)
    message = str(info.value)
    name = source[source.index("{") + 1 : source.index(":")]
    assert f"position {position}" in message
    assert "cannot hold '|'" in message
    assert f"{{{name}:" in message  # says how to write it
    assert info.value.field == name


def test_the_documented_forms_still_work() -> None:
    when = datetime(2026, 12, 7, 9, 5)
    assert Template("{x|default}").render({}) == "default"
    assert Template("{x:>5|default}").render({"x": "ab"}) == "   ab"
    assert Template("{x:>5|default}").render({}) == "default"
    assert Template("{d:%b %d|soon}").render({}) == "soon"  # docs/pricing.md's own example
    assert Template("{d:%b %d|soon}").render({"d": when}) == "Dec 07"
    assert Template("{t:%H:%M}").render({"t": when}) == "09:05"
    assert Template("{t:%H}|{t:%M}").render({"t": when}) == "09|05"
    assert Template("{p:.0%|50% off}").render({}) == "50% off"  # '%' then a space: text


@given(st.sampled_from("aAbBdHIjmMpSUwWyYZ"), st.text("abc xyz-:", max_size=5))
def test_any_directive_after_the_bar_is_refused(directive: str, tail: str) -> None:
    with pytest.raises(TemplateError):
        Template(f"{{t:%H|{tail}%{directive}}}")


@given(st.text("abcdefghij xyz-:.!", min_size=1, max_size=12))
def test_a_text_default_after_a_date_spec_is_kept(default: str) -> None:
    assert Template(f"{{t:%H|{default}}}").render({}) == default
