"""The canonical-NANP fast path of parse_number gives exactly the slow path's answer.

The slow path (``_parse_slow``) is phonenumbers' own parse, validation, type and
format; the fast path (``_fast``) reads the same metadata without those layers. Every
comparison here is against phonenumbers itself or the slow path, never the fast path.
"""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from smskit.errors import InvalidPhoneNumber
from smskit.numbers import PhoneNumber, _fast, parse, parse_number, region_of

#: Exchange codes: ordinary, N11, 555 (directory and fictional), 0/1 leading (never
#: assigned), 958/959 (test), 976 (premium), 200/999 at the edges.
EXCHANGES = ("200", "211", "356", "411", "555", "958", "976", "999", "012", "123")
LINES = ("0100", "0199", "1234", "5555")


def _slow(text: str, region: str) -> PhoneNumber | tuple[str, str]:
    try:
        return parse._parse_slow(text, region)
    except InvalidPhoneNumber as exc:
        return exc.reason, str(exc)


def _fast_or_slow(text: str, region: str) -> PhoneNumber | tuple[str, str]:
    try:
        return parse._parse_cached.__wrapped__(text, region)  # type: ignore[attr-defined]
    except InvalidPhoneNumber as exc:
        return exc.reason, str(exc)


def _phonenumbers_view(nsn: str) -> tuple[str, int, str] | None:
    """Region, type and national format as phonenumbers gives them; None if invalid."""
    number = phonenumbers.parse("+1" + nsn, None)
    region = phonenumbers.region_code_for_number(number)
    if region is None or not phonenumbers.is_valid_number_for_region(number, region):
        return None
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return region, phonenumbers.number_type(number), national


def test_every_area_code_against_phonenumbers() -> None:
    # Every 3-digit area code (Caribbean members, Canada, toll-free, N11, 555, 0XX/1XX)
    # with exchanges and lines that are valid, invalid and special.
    valid = 0
    regions: set[str] = set()
    for npa in range(1000):
        for exchange in EXCHANGES:
            for line in LINES:
                nsn = f"{npa:03d}{exchange}{line}"
                expected = _phonenumbers_view(nsn)
                fast = _fast.nanp_region_and_type(nsn)
                if expected is None:
                    assert fast is None, nsn
                else:
                    assert fast == expected[:2], nsn
                    assert _fast.nanp_national(nsn) == expected[2], nsn
                    assert _fast_or_slow("+1" + nsn, "US") == _slow("+1" + nsn, "US"), nsn
                    valid += 1
                    regions.add(expected[0])
    # The test must have seen valid numbers of many members, not only invalid ones.
    assert valid > 10_000
    assert {"US", "CA", "PR", "JM", "DO", "BS", "GU", "VI"} <= regions


def test_every_area_code_through_parse_number() -> None:
    # The public function, cached, for one valid-shaped number per area code.
    for npa in range(1000):
        text = f"+1{npa:03d}2345678"
        assert _fast_or_slow(text, "US") == _slow(text, "US"), text


nsn_digits = st.text(alphabet="0123456789", min_size=10, max_size=10)
nanp_like = st.builds(
    lambda npa, rest: npa + rest,
    st.sampled_from(
        ["415", "212", "204", "416", "604", "867", "787", "939", "876", "658", "809", "829",
         "849", "242", "441", "671", "670", "340", "684", "800", "833", "888", "900", "500",
         "533", "555", "211", "911", "600", "710", "456", "983", "689", "306", "000", "100"]
    ),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
)
regions = st.sampled_from(["US", "CA", "GB", "PR", "ZZ", "", "us", "JM"])


@given(st.one_of(nsn_digits, nanp_like), regions)
@example("4155550123", "US")
@example("2125550100", "ZZ")
@example("8005550100", "US")
@example("9005550100", "US")
@example("6045550100", "CA")
@example("8765550100", "JM")
@example("0123456789", "US")
@example("1234567890", "US")
def test_canonical_numbers_match_the_slow_path(nsn: str, region: str) -> None:
    text = "+1" + nsn
    assert _fast_or_slow(text, region) == _slow(text, region)
    expected = _phonenumbers_view(nsn)
    assert _fast.nanp_region_and_type(nsn) == (None if expected is None else expected[:2])


@given(st.one_of(nsn_digits, nanp_like))
def test_region_of_matches_the_slow_path(nsn: str) -> None:
    text = "+1" + nsn
    try:
        expected: str | tuple[str, str] = parse._validated(text, "US")[1]
    except InvalidPhoneNumber as exc:
        expected = exc.reason, str(exc)
    try:
        got: str | tuple[str, str] = parse._region_cached.__wrapped__(  # type: ignore[attr-defined]
            text, "US")
    except InvalidPhoneNumber as exc:
        got = exc.reason, str(exc)
    assert got == expected


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("+14155550123", True),
        ("+1415555012", False),  # 9 digits
        ("+141555501234", False),  # 11 digits
        ("14155550123", False),  # no +
        ("+24155550123", False),  # another country code
        ("+1 4155550123", False),
        ("+1415555012\u0663", False),  # an Arabic-Indic digit: phonenumbers' own business
        ("+1\uff14\uff11\uff15\uff15\uff15\uff15\uff10\uff11\uff12\uff13", False),
    ],
)
def test_only_plus_one_and_ten_ascii_digits_take_the_fast_path(text: str, canonical: bool) -> None:
    assert _fast.is_canonical(text) is canonical


@given(st.text(alphabet="+0123456789\u0663\uff14 -", min_size=10, max_size=14), regions)
def test_near_canonical_text_matches_the_slow_path(text: str, region: str) -> None:
    assert _fast_or_slow(text, region) == _slow(text, region)


def test_public_results_are_the_slow_paths() -> None:
    parse._parse_cached.cache_clear()
    for text in ("+14155550123", "+16045550100", "+17875550100", "+18005550100",
                 "+12125550100", "+18765550100"):
        assert parse_number(text) == parse._parse_slow(text, "US")
        assert region_of(text) == parse._parse_slow(text, "US").region
