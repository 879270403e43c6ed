"""``usage``/``health`` given the sending number written some way fix26o's extension
check does not read (rev26o): a bracketed or colon'd extension, "extn", another
script's digits. Each passed through as written, matched no record, and answered 0
messages and a clean bill of health. A number nothing else is recorded under: refused,
the number masked in the message.
"""

from __future__ import annotations

import unicodedata

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger.health import sending_id


@pytest.mark.parametrize(
    "sender",
    [
        "+1 212 555 0199 (ext 5)",
        "+1 212 555 0199 ext: 5",
        "+1 212 555 0199 extn 5",
        "+1 212 555 0199 poste 5",
        "+١ ٢١٢ ٥٥٥ ٠١٩٩",  # Arabic-Indic digits
        "＋１２１２５５５０１９９",  # full-width, as a phone keyboard may write it
        "whatsapp:+1 212 555 0199 (ext 5)",
    ],
)
def test_a_number_written_another_way_is_refused_not_matched_to_nothing(sender: str) -> None:
    with pytest.raises(ConfigurationError, match=r"E\.164") as raised:
        sending_id(sender)
    assert raised.value.field == "sender"
    digits = "".join(str(unicodedata.digit(c)) for c in str(raised.value) if c.isdecimal())
    assert "212555" not in digits


@pytest.mark.parametrize(
    "sender", ["MG0123456789abcdef", "Acme", "Shop1234567", "12345", "+12125550199"]
)
def test_public_names_and_e164_are_taken_as_recorded(sender: str) -> None:
    assert sending_id(sender) == sender
