"""Phone numbers: parsing and normalising to E.164 with ``phonenumbers``.

Phone numbers are personal data. They cross the public API as E.164 ``str``;
every ``repr`` and error message shows them masked (:func:`mask_number`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import phonenumbers

from .errors import InvalidPhoneNumber

__all__ = ["PhoneNumber", "mask_number", "parse_number"]


def mask_number(number: str) -> str:
    """Hide all but the country-code prefix and last two digits: ``+1*******67``.

    Used by every ``repr`` and message that mentions a number. Short or
    malformed input is masked whole rather than echoed.
    """
    digits = [c for c in number if c.isdigit()]
    if len(digits) < 6:
        return "*" * len(number)
    head = "+" + digits[0] if number.startswith("+") else digits[0]
    return head + "*" * (len(digits) - 3) + "".join(digits[-2:])


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    """A valid phone number, normalised.

    Attributes:
        e164: the number in E.164 form, ``"+14155550123"``.
        region: ISO 3166-1 alpha-2 region the number belongs to (``"US"``).
    """

    e164: str = field(repr=False)
    region: str

    def __repr__(self) -> str:
        return f"PhoneNumber(e164={mask_number(self.e164)!r}, region={self.region!r})"

    def __str__(self) -> str:
        return self.e164


def parse_number(text: str, *, region: str = "US") -> PhoneNumber:
    """Parse and validate a phone number written the way people write them.

    Args:
        text: ``"+1 (415) 555-0123"``, ``"415.555.0123"``, ``"+447911123456"``...
        region: the region assumed for numbers written without ``+`` and a
            country code.

    Raises:
        TypeError: ``text`` is not a ``str``.
        InvalidPhoneNumber: the text is not a valid number; the message says why
            without repeating the number.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_number() takes a str, not {type(text).__name__}")
    return _parse_cached(text.strip(), region.upper())


# Campaigns repeat numbers and phonenumbers' parse is the costly step; the key is
# small (one number) and the result immutable, so caching is safe.
@lru_cache(maxsize=65536)
def _parse_cached(text: str, region: str) -> PhoneNumber:
    if not text:
        raise InvalidPhoneNumber("phone number is empty", reason="empty")
    if any(c.isalpha() for c in text):
        raise InvalidPhoneNumber(
            "phone number contains letters; write digits only (vanity numbers are not accepted)",
            reason="letters",
        )
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        why = _PARSE_REASONS.get(exc.error_type, "unparseable")
        raise InvalidPhoneNumber(
            f"cannot parse phone number {mask_number(text)!r}: {why}", reason="unparseable"
        ) from None
    # Same test as phonenumbers.is_valid_number, which computes the region itself:
    # computing it once here halves the cost for NANP numbers (20+ regions share +1).
    region_code = phonenumbers.region_code_for_number(parsed)
    if region_code is None or not phonenumbers.is_valid_number_for_region(parsed, region_code):
        why = _possible_reason(parsed)
        raise InvalidPhoneNumber(
            f"phone number {mask_number(text)!r} is not valid: {why}", reason=why.split(" ")[0]
        )
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return PhoneNumber(e164=e164, region=region_code)


_PARSE_REASONS = {
    phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "unknown country code or region",
    phonenumbers.NumberParseException.NOT_A_NUMBER: "not a phone number",
    phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "too short after the IDD prefix",
    phonenumbers.NumberParseException.TOO_SHORT_NSN: "too short",
    phonenumbers.NumberParseException.TOO_LONG: "too long",
}


def _possible_reason(parsed: phonenumbers.PhoneNumber) -> str:
    result = phonenumbers.is_possible_number_with_reason(parsed)
    reasons = {
        phonenumbers.ValidationResult.TOO_SHORT: "too short",
        phonenumbers.ValidationResult.TOO_LONG: "too long",
        phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "unknown country code",
        phonenumbers.ValidationResult.INVALID_LENGTH: "wrong length for its region",
    }
    return reasons.get(result, "no such number range in its region")
