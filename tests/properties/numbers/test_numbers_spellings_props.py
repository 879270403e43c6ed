"""rev31n: one US number, however a person or a system writes it, is one E.164 number;
with an extension in any spelling it is refused, never the switchboard's number."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit.errors import InvalidPhoneNumber
from smskit.numbers import parse_number

# Decimal digit zeros of some scripts: ASCII, fullwidth, Arabic-Indic, Extended
# Arabic-Indic (Persian), Devanagari, Bengali.
ZEROS = [0x30, 0xFF10, 0x660, 0x6F0, 0x966, 0x9E6]
SPACES = [" ", "\u00a0", "\u202f", "\u2009", "\u2007", "\u3000", "-", ".", ""]


def _digits(text: str, zero: int) -> str:
    return "".join(chr(zero + int(c)) for c in text)


@st.composite
def spellings(draw: st.DrawFn) -> tuple[str, str]:
    area = draw(st.sampled_from(["212", "305", "415", "503", "850", "907"]))
    line = draw(st.integers(0, 9999)).__format__("04d")
    exchange = draw(st.sampled_from(["234", "555", "867", "701"]))
    e164 = f"+1{area}{exchange}{line}"
    zero = draw(st.sampled_from(ZEROS))
    sep = draw(st.sampled_from(SPACES))
    prefix = draw(st.sampled_from(["+1", "1", "", "011 1", "+1 ", "(+1)"]))
    body = (
        f"({_digits(area, zero)}){sep}" if draw(st.booleans())
        else f"{_digits(area, zero)}{sep}"
    ) + f"{_digits(exchange, zero)}{sep}{_digits(line, zero)}"
    lead = prefix.replace("1", _digits("1", zero))
    return e164, f"{lead}{sep if prefix else ''}{body}"


@given(spellings())
def test_every_spelling_of_a_number_is_that_number(case: tuple[str, str]) -> None:
    e164, text = case
    try:
        expected = parse_number(e164)
    except InvalidPhoneNumber:
        with pytest.raises(InvalidPhoneNumber):
            parse_number(text)
        return
    assert parse_number(text) == expected


@given(spellings(), st.sampled_from([" ext 12", " x12", ";ext=12", " #12", ",,12", ",12",
                                     " ; 12", " extension 12"]))
def test_a_number_with_an_extension_is_never_accepted(case: tuple[str, str], ext: str) -> None:
    _, text = case
    with pytest.raises(InvalidPhoneNumber):
        parse_number(text + ext)
