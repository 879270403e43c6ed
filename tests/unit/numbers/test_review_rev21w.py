"""A spreadsheet's "4930123456.0" must not become a valid number (review rev21w)."""

from __future__ import annotations

import pytest

from smskit.errors import InvalidPhoneNumber
from smskit.numbers import parse_number


@pytest.mark.parametrize(("text", "region"), [
    ("4930123456.0", "DE"),      # a Berlin number from an Excel column: +49 30 1234560
    ("+43664123456.0", "US"),    # an Austrian mobile: +43 664 1234560
    ("39061234567.00", "IT"),
])
def test_a_number_a_spreadsheet_stored_with_point_zero_is_refused_not_read_with_a_zero(
    text: str, region: str,
) -> None:
    # The ".0" is no digit of the number: read as one it names another subscriber,
    # who gave no consent.
    with pytest.raises(InvalidPhoneNumber, match="spreadsheet") as caught:
        parse_number(text, region=region)
    assert "1234560" not in str(caught.value)
