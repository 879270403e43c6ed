"""The command's number resolver gives parse_number's answers, with or without workers."""

from __future__ import annotations

import pytest

from smskit.cli._numbers import country_resolver
from smskit.errors import InvalidPhoneNumber

NUMBERS = [
    "+1 415 555 0123",
    "+1 416 555 0199",
    "+44 20 7946 0123",
    "+1 415 555",
    "+1 415 555 0123",
]


@pytest.mark.parametrize("workers", [1, 2])
def test_resolver_answers_like_parse_number(workers: int) -> None:
    country_of, used = country_resolver(NUMBERS, "US", workers=workers, min_numbers=1)
    assert used == (2 if workers == 2 else 0)
    assert [country_of(n) for n in (NUMBERS[0], NUMBERS[1], NUMBERS[2])] == ["US", "CA", "GB"]
    with pytest.raises(InvalidPhoneNumber):
        country_of(NUMBERS[3])  # invalid: parsed again here, raising the usual error
    assert country_of("+1 212 555 0147") == "US"  # not seen before: parsed on demand


def test_few_numbers_use_no_workers() -> None:
    _, used = country_resolver(NUMBERS, "US", workers=2)
    assert used == 0
