"""The command's number resolver gives parse_number's answers, with or without workers."""

from __future__ import annotations

import pytest

from smskit.cli._numbers import country_resolver
from smskit.errors import InvalidPhoneNumber

NUMBERS = [
    "+1 415 555 0123",
    "+1 416 555 0199",
    "+44 20 7946 0123",
    "+44 7400 123456",
    "+1 415 555",
    "+1 415 555 0123",
]


@pytest.mark.parametrize("workers", [1, 2])
def test_resolver_answers_like_parse_number(workers: int) -> None:
    country_of, is_landline, used = country_resolver(
        NUMBERS, "US", workers=workers, min_numbers=1
    )
    assert used == (2 if workers == 2 else 0)
    assert [country_of(n) for n in NUMBERS[:4]] == ["US", "CA", "GB", "GB"]
    # +44 20 is a London fixed line, +44 7400 123456 phonenumbers' own example UK mobile;
    # NANP metadata cannot tell fixed from mobile, so US and CA numbers never count.
    assert [is_landline(n) for n in NUMBERS[:4]] == [False, False, True, False]
    with pytest.raises(InvalidPhoneNumber):
        country_of(NUMBERS[4])  # invalid: parsed again here, raising the usual error
    with pytest.raises(InvalidPhoneNumber):
        is_landline(NUMBERS[4])
    assert country_of("+1 212 555 0147") == "US"  # not seen before: parsed on demand
    assert is_landline("+44 161 496 0000") is True  # Manchester, not seen before


def test_few_numbers_use_no_workers() -> None:
    _, _, used = country_resolver(NUMBERS, "US", workers=2)
    assert used == 0
