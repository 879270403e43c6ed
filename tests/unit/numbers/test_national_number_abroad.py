"""A UK (or other) number written the national way, read under a +1 region.

A field-service business with customers in the UK records "07400 123456" from its
booking form; `ConsentLedger.grant` (no region argument) and `parse_number` read it as
a US number and said only "'0********56' is not valid: too long", which does not say
that the country code is what is missing. No +1 number starts with 0 (NANP area codes
and exchange codes begin with 2-9), so the message now says so.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from smskit.consent import ConsentLedger, MemoryStore
from smskit.errors import ConsentError, InvalidPhoneNumber
from smskit.numbers import parse_number

HINT = "no +1 number starts with 0"


@pytest.mark.parametrize("written", ["07400 123456", "07400123456", "0 20 7946 0958",
                                     "0412 345 678"])
def test_a_national_number_of_another_country_says_to_add_its_country_code(
    written: str,
) -> None:
    with pytest.raises(InvalidPhoneNumber) as err:
        parse_number(written)
    assert HINT in str(err.value)
    assert "with '+' and its country code" in str(err.value)
    assert "123456" not in str(err.value)


def test_the_ledger_says_it_too() -> None:
    ledger = ConsentLedger(MemoryStore())
    with pytest.raises(ConsentError) as err:
        ledger.grant("07400 123456", scope="acme", purposes="informational", kind="express",
                     source="web_form", at=datetime(2026, 3, 1, tzinfo=UTC))
    assert HINT in str(err.value)


def test_the_same_number_with_its_country_code_is_valid() -> None:
    assert parse_number("+44 7400 123456").region == "GB"
    assert parse_number("07400 123456", region="GB").e164 == "+447400123456"


def test_a_us_number_too_short_keeps_its_plain_reason() -> None:
    with pytest.raises(InvalidPhoneNumber) as err:
        parse_number("212 555 01")
    assert HINT not in str(err.value)
