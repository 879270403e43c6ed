"""Review rev31n: an extension written without letters, and numbers spaced with Unicode
spaces.

An extension ("x12", "ext 5") is refused: a text cannot reach an office extension, and
the number without it is the switchboard's, someone else's phone. phonenumbers also reads
"#12", ",12" / ",,12" (a dialler's pause) and ";7" after a number as its extension; those
were dropped without a word and the switchboard's number returned.

French and other typographies space a number's groups with a no-break space, narrow
no-break (U+202F), thin (U+2009) or figure space (U+2007); phonenumbers takes U+00A0 and
U+3000 but not the others, and the number was refused as "not a phone number".
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit.errors import InvalidPhoneNumber
from smskit.numbers import parse_number, region_of


@pytest.mark.parametrize(
    "text",
    [
        "(415) 234-5678 #12",
        "415 234 5678 # 12",
        "415 234 5678,,12",
        "415 234 5678,12",
        "415.234.5678 ,,, 99",
        "+1 415 2345678 ; 7",
        "+44 20 7946 0517 #3",
    ],
)
def test_an_extension_without_letters_is_refused(text: str) -> None:
    for parse in (parse_number, region_of):
        with pytest.raises(InvalidPhoneNumber) as caught:
            parse(text)
        message = str(caught.value)
        assert "extension" in message
        assert "2345678" not in message
        assert "79460517" not in message


@pytest.mark.parametrize("text", ["+1 415 234 5678,", "+1 415 234 5678;"])
def test_a_separator_with_nothing_after_it_is_no_extension(text: str) -> None:
    assert parse_number(text).e164 == "+14152345678"


@pytest.mark.parametrize("space", ["\u202f", "\u2009", "\u2007", "\u2002", "\u205f", "\u00a0"])
def test_groups_spaced_with_a_unicode_space_parse(space: str) -> None:
    assert parse_number(f"+33{space}1{space}23{space}45{space}67{space}89").e164 == (
        "+33123456789"
    )
    assert parse_number(f"(415){space}234-5678").e164 == "+14152345678"
    assert region_of(f"+44{space}20{space}7946{space}0517") == "GB"


@given(
    st.lists(st.sampled_from([" ", "\u00a0", "\u202f", "\u2009", "\u2007", "\u3000"]),
             min_size=3, max_size=3)
)
def test_any_space_between_groups_gives_the_same_number(spaces: list[str]) -> None:
    one, two, three = spaces
    text = f"+1{one}415{two}234{three}5678"
    assert parse_number(text) == parse_number("+1 415 234 5678")


@pytest.mark.parametrize("mark", ["\u200e", "\u200f", "\u2066", "\u2069", "\u061c"])
def test_a_direction_mark_inside_a_number_is_ignored(mark: str) -> None:
    # Copied from a right-to-left app: a left-to-right mark inside the number.
    assert parse_number(f"+1 415{mark} 234 5678").e164 == "+14152345678"
    assert region_of(f"+44 20{mark}7946 0517") == "GB"


@pytest.mark.parametrize("region", ["4155550123", "+14155550123", "415-555-0123"])
def test_a_number_given_as_the_region_is_masked_in_the_error(region: str) -> None:
    # A shifted column puts the number in the region argument; the message quoted its
    # first eight characters, eight of the ten digits.
    for parse in (parse_number, region_of):
        with pytest.raises(InvalidPhoneNumber) as caught:
            parse("212 555 0199", region=region)
        assert caught.value.reason == "unknown_region"
        digits = "".join(c for c in str(caught.value) if c.isdigit())
        assert "415555" not in digits
        assert "155550" not in digits


def test_a_region_typo_is_still_quoted() -> None:
    with pytest.raises(InvalidPhoneNumber, match="'USA'"):
        parse_number("212 555 0199", region="USA")


# Review of rev31n: the checks before phonenumbers' parse read the text as written, the
# parse read it with direction marks dropped. A mark (as a right-to-left app copies a
# cell) hid a spreadsheet's ".0", which phonenumbers reads as a digit: "4930123456.0" is
# +49 30 1234560, a stranger's number; and it hid the "+" from the region check.
@pytest.mark.parametrize("text", ["\u200e4930123456.0", "4930123456\u2060.0",
                                  "\u20664930123456.0\u2069"])
def test_a_direction_mark_does_not_hide_a_spreadsheet_s_point_zero(text: str) -> None:
    with pytest.raises(InvalidPhoneNumber, match=r"ends in '\.0'"):
        parse_number(text, region="DE")


def test_a_direction_mark_before_the_plus_keeps_the_country_code_s_region() -> None:
    # With "+" and a country code the region argument plays no part, whatever it is.
    assert parse_number("\u200e+33 1 23 45 67 89", region="ZZ").e164 == "+33123456789"
    assert parse_number("+33 1 23 45 67 89", region="ZZ").e164 == "+33123456789"


def _outcome(text: str, region: str) -> str:
    try:
        return parse_number(text, region=region).e164
    except InvalidPhoneNumber as exc:
        return f"refused: {exc.reason}"


@given(
    st.sampled_from(["4930123456.0", "2125550123.0", "+4930123456.0", "+33 1 23 45 67 89",
                     "(415) 234-5678", "415 234 5678,,12", "+1 212 555 0123; +1 212 555 0124",
                     "07400 123456", "555-0199", "+44 7911 123456"]),
    st.sampled_from(["US", "DE", "GB", "ZZ"]),
    st.sampled_from(["\u200e", "\u200f", "\u2066", "\u2069", "\u200b", "\u2060", "\ufeff"]),
    st.integers(0, 40),
)
def test_a_direction_mark_anywhere_changes_no_answer(
    text: str, region: str, mark: str, at: int
) -> None:
    """Invisible, so it may not change what is read: the same number or the same refusal."""
    at = min(at, len(text))
    assert _outcome(text[:at] + mark + text[at:], region) == _outcome(text, region)


# Review of rev31n: a dialler's end-of-number "#" with no digits after it is no
# extension, but phonenumbers reads "digits#" after a space or dash as one ("- 123#"):
# "(212) 555-0100#" became 212555 extension 0100, refused as "too short", and with a
# space before the "#" as "not a phone number". The number is valid; the "#" is dropped.
@pytest.mark.parametrize("text", ["(212) 555-0100#", "+1 212 555 0100 #", "2125550100##",
                                  "+1-212-555-0100 # "])
def test_a_trailing_hash_alone_is_no_extension(text: str) -> None:
    assert parse_number(text).e164 == "+12125550100"
    assert region_of(text) == "US"


@pytest.mark.parametrize("text", ["(212) 555-0100 #12#", "212 555 0100,,12#", "#"])
def test_a_hash_after_an_extension_still_refuses_it(text: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        parse_number(text)
