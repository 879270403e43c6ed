"""Phone numbers: parsing and normalising to E.164 with ``phonenumbers``.

Phone numbers are personal data. They cross the public API as E.164 ``str``;
every ``repr`` and error message shows them masked (:func:`mask_number`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

import phonenumbers
from phonenumbers import timezone as _pn_timezone

from ..errors import InvalidPhoneNumber
from . import _fast, _nanp
from ._zone_tab import checked_zones

__all__ = ["LineType", "PhoneNumber", "mask_number", "mask_sender", "parse_number", "region_of"]

#: Numbers a single parse cache holds: sized for a 100,000-recipient campaign
#: (each entry is a few hundred bytes).
PARSE_CACHE_SIZE = 131_072
#: Longest text accepted: phonenumbers itself refuses input over 250 characters.
MAX_INPUT_CHARS = 250


class LineType(StrEnum):
    """What kind of line a number is, as far as ``phonenumbers``' metadata can tell.

    NANP metadata cannot tell mobile from fixed lines for most ranges: those
    numbers are ``FIXED_LINE_OR_MOBILE``. Porting makes any answer a guess.
    """

    FIXED_LINE = "fixed_line"
    MOBILE = "mobile"
    FIXED_LINE_OR_MOBILE = "fixed_line_or_mobile"
    TOLL_FREE = "toll_free"
    PREMIUM_RATE = "premium_rate"
    SHARED_COST = "shared_cost"
    VOIP = "voip"
    PERSONAL_NUMBER = "personal_number"
    PAGER = "pager"
    UAN = "uan"
    VOICEMAIL = "voicemail"
    UNKNOWN = "unknown"


_PNT = phonenumbers.PhoneNumberType
_LINE_TYPES = {
    _PNT.FIXED_LINE: LineType.FIXED_LINE,
    _PNT.MOBILE: LineType.MOBILE,
    _PNT.FIXED_LINE_OR_MOBILE: LineType.FIXED_LINE_OR_MOBILE,
    _PNT.TOLL_FREE: LineType.TOLL_FREE,
    _PNT.PREMIUM_RATE: LineType.PREMIUM_RATE,
    _PNT.SHARED_COST: LineType.SHARED_COST,
    _PNT.VOIP: LineType.VOIP,
    _PNT.PERSONAL_NUMBER: LineType.PERSONAL_NUMBER,
    _PNT.PAGER: LineType.PAGER,
    _PNT.UAN: LineType.UAN,
    _PNT.VOICEMAIL: LineType.VOICEMAIL,
}

_UNKNOWN_ZONE = "Etc/Unknown"


def mask_number(number: str) -> str:
    """Hide all but the country code and last two digits: ``+1********67``, ``+44********17``.

    Used by every ``repr`` and message that mentions a number. Short or
    malformed input is masked whole rather than echoed.

    >>> mask_number("+44 20 7946 0517"), mask_number("+1 415 555 0167")
    ('+44********17', '+1********67')
    """
    if not isinstance(number, str):
        raise TypeError(f"mask_number() takes a str, not {type(number).__name__}")
    digits = [c for c in number if c.isdigit()]
    if len(digits) < 6:
        return "*" * len(number)
    shown = _country_code_length(digits) if number.startswith("+") else 1
    if len(digits) - shown - 2 < 3:  # too short to show the whole code and still hide enough
        shown = 1
    head = ("+" if number.startswith("+") else "") + "".join(digits[:shown])
    return head + "*" * (len(digits) - shown - 2) + "".join(digits[-2:])


# A number, perhaps behind a provider's channel prefix ("whatsapp:+1...", "tel:+1...").
_NUMBER_LIKE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*:)?(\+?[0-9 ().-]+)")
# A provider's id for a sending identity: two letters and hex (Twilio's messaging
# service "MG" + 32 hex). A public name, shown as it is.
_PROVIDER_ID = re.compile(r"[A-Za-z]{2}[0-9A-Fa-f]{16,}")
# A run of digits (of any script: \d is Unicode) with the separators numbers are
# written with; a trailing separator stays outside it.
_DIGIT_RUN = re.compile(r"\+?\d(?:[\d ().\-/]*\d)?")


def mask_sender(sender: str) -> str:
    """A sending identity as smskit shows it: a phone number masked (a sole proprietor's
    may be a personal phone), also behind a channel prefix such as ``whatsapp:``; a
    short code (5-6 digits), an alphanumeric ID or a messaging-service id as it is
    (public names).

    >>> mask_sender("+12125550199"), mask_sender("12345"), mask_sender("Acme")
    ('+1********99', '12345', 'Acme')
    """
    digits = sum(c.isdigit() for c in sender)
    if digits <= 6:
        return sender
    found = _NUMBER_LIKE.fullmatch(sender)
    if found is not None:
        return (found[1] or "") + mask_number(found[2])
    if _PROVIDER_ID.fullmatch(sender):
        return sender
    # A number among other text: an extension ("+1 (212) 555-0199 ext 5"), a tel: URI's
    # parameters, another script's digits. Each run of digits is masked where it is.
    masked = _DIGIT_RUN.sub(
        lambda run: mask_number(run[0]) if sum(c.isdigit() for c in run[0]) > 2 else run[0],
        sender,
    )
    if sum(c.isdigit() for c in masked) > 6:  # digits \d does not take (superscripts)
        return "*" * len(sender)
    return masked


def _country_code_length(digits: list[str]) -> int:
    """How many leading digits form the country code (1 to 3; 1 when none is assigned)."""
    for length in (1, 2, 3):
        try:
            code = int("".join(digits[:length]))
        except ValueError:
            break
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return length
    return 1


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    """A valid phone number, normalised.

    Attributes:
        e164: the number in E.164 form, ``"+14155550123"``.
        region: ISO 3166-1 alpha-2 region the number belongs to (``"US"``).
        national: the number as written nationally, ``"(415) 555-0123"``.
        line_type: mobile, fixed line... as far as the metadata can tell.
        time_zones: candidate IANA zones, sorted; empty when unknown (NANP
            toll-free and other non-geographic codes). For NANP numbers,
            every zone of the whole area code (a number keeps its area code
            when its owner moves within it, and quiet hours must hold in all
            of them).
        subdivisions: for NANP numbers, the ISO 3166-2 codes (``"US-FL"``,
            ``"CA-BC"``) of the state(s) or province(s) the area code belongs
            to; empty for non-geographic codes (toll-free) and other countries.
    """

    e164: str = field(repr=False)
    region: str
    national: str = field(default="", repr=False)
    line_type: LineType = LineType.UNKNOWN
    time_zones: tuple[str, ...] = ()
    subdivisions: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (
            f"PhoneNumber(e164={mask_number(self.e164)!r}, region={self.region!r}, "
            f"line_type={self.line_type.value!r}, time_zones={self.time_zones!r}, "
            f"subdivisions={self.subdivisions!r})"
        )

    def __str__(self) -> str:
        # Masked like repr, so an f-string in a log line never leaks the number;
        # ask for ``e164`` when the full number is meant.
        return mask_number(self.e164)


def parse_number(text: str, *, region: str = "US") -> PhoneNumber:
    """Parse and validate a phone number written the way people write them.

    Args:
        text: ``"+1 (415) 555-0123"``, ``"415.555.0123"``, ``"+447911123456"``...;
            digits of any script, groups spaced with any Unicode space. An extension
            (``"ext 5"``, ``"x5"``, ``"#5"``, ``",,5"``, ``";5"``) is refused: a text
            cannot reach it, and the number without it is the switchboard's.
        region: the region assumed for numbers written without ``+`` and a
            country code (ISO 3166-1 alpha-2, as ``phonenumbers`` knows them).

    Results are cached (up to ``PARSE_CACHE_SIZE`` numbers): the result is
    immutable and depends only on the arguments and the installed metadata. A
    valid number written ``+1`` and ten digits (what CRMs store) is answered from
    ``phonenumbers``' metadata without its generic parse (about 7 times cheaper);
    the answer is the same.

    Raises:
        TypeError: ``text`` or ``region`` is not a ``str``.
        InvalidPhoneNumber: the text is not a valid number; ``reason`` is a
            stable code (``"empty"``, ``"letters"``, ``"unknown_region"``,
            ``"too_short"``, ``"too_long"``, ``"invalid_country_code"``,
            ``"invalid_length"``, ``"not_in_range"``, ``"unparseable"``) and
            the message says why without repeating the number.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_number() takes a str, not {type(text).__name__}")
    if not isinstance(region, str):
        raise TypeError(f"parse_number(region=...) takes a str, not {type(region).__name__}")
    return _parse_cached(text.strip(), region.upper())


def region_of(text: str, *, region: str = "US") -> str:
    """The region (ISO 3166-1 alpha-2) of a valid number: ``parse_number(text).region``
    without working out line type, time zones and state, which pricing a campaign of
    distinct numbers does not need (about half the cost of a parse; for ``+1`` and ten
    digits both take the fast path and cost about the same).

    Raises the same errors as :func:`parse_number`, from the same validation.
    """
    if not isinstance(text, str):
        raise TypeError(f"region_of() takes a str, not {type(text).__name__}")
    if not isinstance(region, str):
        raise TypeError(f"region_of(region=...) takes a str, not {type(region).__name__}")
    return _region_cached(text.strip(), region.upper())


@lru_cache(maxsize=PARSE_CACHE_SIZE)
def _region_cached(text: str, region: str) -> str:
    if _fast.is_canonical(text) and (fast := _fast.nanp_region_and_type(text[2:])) is not None:
        return fast[0]
    return _validated(text, region)[1]


def _validated(text: str, region: str) -> tuple[phonenumbers.PhoneNumber, str]:
    """The parsed number and its region, or InvalidPhoneNumber saying why."""
    if not text:
        raise InvalidPhoneNumber("phone number is empty", reason="empty")
    if len(text) > MAX_INPUT_CHARS:
        # Refused before parsing or masking: a masked copy of a huge input
        # would still flood the message and the logs.
        raise InvalidPhoneNumber(
            f"phone number text is too long ({len(text)} characters; at most {MAX_INPUT_CHARS})",
            reason="too_long",
        )
    # Every check below reads the text phonenumbers parses: a direction mark left in
    # for them hid a spreadsheet's ".0" (which phonenumbers reads as a digit) and a "+".
    text = _END_KEY.sub("", _plain_spaces(text).strip())
    if not text:
        raise InvalidPhoneNumber("phone number is empty", reason="empty")
    if any(c.isalpha() for c in text):
        raise InvalidPhoneNumber(_letters_message(text), reason="letters")
    if not text.startswith("+") and region not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidPhoneNumber(
            # Masked: a shifted column puts the recipient's number here.
            f"unknown region {mask_sender(region[:40])!r}: pass an ISO 3166-1 alpha-2 code "
            "such as 'US', "
            "or write the number with '+' and its country code",
            reason="unknown_region",
        )
    if _SEVERAL.search(text):
        raise InvalidPhoneNumber(_SEVERAL_MESSAGE, reason="unparseable")
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        reason, why = _PARSE_REASONS.get(exc.error_type, ("unparseable", "unparseable"))
        raise InvalidPhoneNumber(
            f"cannot parse phone number {mask_number(text)!r}: {why}", reason=reason
        ) from None
    # is_valid_number() is region_code_for_number() then is_valid_number_for_region();
    # finding the region is the costly half (NANP tries every member's patterns),
    # so it is done once here and the answer kept.
    region_code = phonenumbers.region_code_for_number(parsed)
    if region_code is None or not phonenumbers.is_valid_number_for_region(parsed, region_code):
        reason, why = _possible_reason(parsed)
        if _DECIMAL.fullmatch(text):
            why += f" (it ends in '.0': {_SPREADSHEET})"
        elif parsed.country_code == 1 and len(str(parsed.national_number)) == 7:
            # "555-0199" as a CRM keeps a number typed by hand: the area code is missing.
            why += " (seven digits: a local number without its area code; write all ten digits)"
        elif parsed.country_code == 1 and not text.startswith("+") and (
            text.lstrip("( ").startswith("0")
        ):
            # "07400 123456", a UK mobile as a booking form keeps it, read under region
            # "US": NANP area and exchange codes begin with 2-9, so the country is missing.
            why += (" (no +1 number starts with 0: a number written the way another country"
                    " writes it at home, such as a UK 07..., needs to be written with '+' and"
                    " its country code, +44 7..., or read with that country as its region)")
        raise InvalidPhoneNumber(
            f"phone number {mask_number(text)!r} is not valid: {why}", reason=reason
        )
    if "." in text and _DECIMAL.fullmatch(text):
        # phonenumbers reads "4930123456.0" as +49 30 1234560: valid, and a stranger's
        # (the ".0" became a digit). Refused even when the result is a valid number.
        raise InvalidPhoneNumber(
            f"phone number {mask_number(text)!r} ends in '.0': {_SPREADSHEET}",
            reason="unparseable",
        )
    if parsed.extension:
        # "#12", ",,12" (a dialler's pause), ";7": phonenumbers keeps an extension written
        # without letters apart and the number validates without it, but that number is
        # the switchboard's, not the person's, as for "ext 12" (refused above).
        raise InvalidPhoneNumber(_EXTENSION_MESSAGE, reason="unparseable")
    return parsed, region_code


# "ext 12", "x12", ";ext=12" at the end: an office extension, which no text reaches.
_EXTENSION = re.compile(r"(?:;\s*ext\s*=|\bext\b\.?|\bextension\b|(?<=[\d\s])x)\s*\d+\s*$",
                        re.IGNORECASE)


# A dialler's end-of-number key after the last digit: no extension, but phonenumbers
# reads "- 0100#" as one ("(212) 555-0100#" was 212555 extension 0100, "too short").
# "#12#" keeps "#12", refused as an extension.
_END_KEY = re.compile(r"(?<=\d)\s*#[\s#]*$")


_EXTENSION_MESSAGE = (
    "phone number has an extension, which texts cannot reach; remove the extension"
)


def _plain_spaces(text: str) -> str:
    """Every Unicode space separator (category Zs) as " ", invisible format characters
    (Cf: the direction marks a right-to-left app puts around and inside a number) dropped.
    Other typographies group digits with a narrow no-break (U+202F), thin (U+2009) or
    figure space (U+2007); phonenumbers takes none of these inside a number, and refused
    it as "not a phone number"."""
    return "".join(
        " " if (kind := unicodedata.category(c)) == "Zs" else "" if kind == "Cf" else c
        for c in text
    )


# What a spreadsheet makes of a number column it read as numbers: 1.21255501E+10
# (digits lost) or 2125550123.0.
_SCIENTIFIC = re.compile(r"\+?\d+(?:\.\d+)?[eE][+-]?\d+")
_DECIMAL = re.compile(r"\+?\d{6,}\.0+")
_SPREADSHEET = (
    "a spreadsheet stored it as a number; format the column as text and export again"
)


# A CRM field holding a lead's home and cell: two runs of 7+ digits across a separator.
_SEVERAL = re.compile(r"\d(?:[^\d;,/|]*\d){6}[^\d;,/|]*(?:[;,/|]|\bor\b|\band\b)"
                      r"[^\d]*\d(?:\D*\d){6}", re.IGNORECASE)
# A word saying which line it is ("(cell)", "home", "Mobile:"), not part of the number.
_LABEL = re.compile(r"^\W*(cell|mobile|home|work|office|main|fax|phone|tel|landline)\b\W*\d"
                    r"|\d\W*\b(cell|mobile|home|work|office|main|fax|landline)\W*$",
                    re.IGNORECASE)
_SEVERAL_MESSAGE = "phone number field holds more than one phone number; keep one (the mobile)"


def _letters_message(text: str) -> str:
    """Why letters are refused, for the forms that are not vanity numbers."""
    if _SEVERAL.search(text):
        return _SEVERAL_MESSAGE
    if _SCIENTIFIC.fullmatch(text):
        return f"phone number is in scientific notation: {_SPREADSHEET}"
    if text[:4].casefold() == "tel:":
        return "phone number is a tel: URI; give the number alone, without 'tel:'"
    if _EXTENSION.search(text):
        return _EXTENSION_MESSAGE
    if label := _LABEL.search(text):
        word = (label.group(1) or label.group(2)).casefold()
        return f"phone number has a label {word!r} next to it; give the number alone"
    return "phone number contains letters; write digits only (vanity numbers are not accepted)"


# Campaigns repeat numbers and phonenumbers' parse is the costly step; the key is
# small (one number) and the result immutable, so caching is safe.
@lru_cache(maxsize=PARSE_CACHE_SIZE)
def _parse_cached(text: str, region: str) -> PhoneNumber:
    # "+1" and ten digits (what CRMs store) skips phonenumbers' generic layers; the
    # region argument plays no part once the text carries its country code.
    if _fast.is_canonical(text):
        nsn = text[2:]
        fast = _fast.nanp_region_and_type(nsn)
        if fast is not None:
            region_code, kind = fast
            subdivisions, zones = _nanp.area_code_info(nsn[:3], region_code)
            return PhoneNumber(
                e164=text,
                region=region_code,
                national=_fast.nanp_national(nsn),
                line_type=_LINE_TYPES.get(kind, LineType.UNKNOWN),
                time_zones=zones,
                subdivisions=subdivisions,
            )
    return _parse_slow(text, region)


def _parse_slow(text: str, region: str) -> PhoneNumber:
    """The readable path: phonenumbers' own parse, validation, type and format."""
    parsed, region_code = _validated(text, region)
    e164 = f"+{parsed.country_code}{phonenumbers.national_significant_number(parsed)}"
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    line_type = _LINE_TYPES.get(phonenumbers.number_type(parsed), LineType.UNKNOWN)
    zones, subdivisions = _location(parsed, e164, region_code)
    return PhoneNumber(
        e164=e164,
        region=region_code,
        national=national,
        line_type=line_type,
        time_zones=zones,
        subdivisions=subdivisions,
    )


def _location(
    parsed: phonenumbers.PhoneNumber, e164: str, region: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Candidate zones and subdivisions: per area code for NANP, else phonenumbers'."""
    if parsed.country_code == 1:
        # A code without zones is non-geographic (toll-free, 5XX personal):
        # phonenumbers would answer with every zone of NANP, which locates
        # nobody, so the number has no candidate zone.
        subdivisions, zones = _nanp.area_code_info(e164[2:5], region)
        return zones, subdivisions
    found = _pn_timezone.time_zones_for_number(parsed)
    zones = tuple(sorted(z for z in found if z != _UNKNOWN_ZONE))
    return checked_zones(region, zones), ()


_NPE = phonenumbers.NumberParseException
_PARSE_REASONS = {
    _NPE.INVALID_COUNTRY_CODE: ("invalid_country_code", "unknown country code or region"),
    _NPE.NOT_A_NUMBER: ("unparseable", "not a phone number"),
    _NPE.TOO_SHORT_AFTER_IDD: ("too_short", "too short after the international prefix"),
    _NPE.TOO_SHORT_NSN: ("too_short", "too short"),
    _NPE.TOO_LONG: ("too_long", "too long"),
}


_VALIDATION_REASONS = {
    phonenumbers.ValidationResult.TOO_SHORT: ("too_short", "too short"),
    phonenumbers.ValidationResult.TOO_LONG: ("too_long", "too long"),
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: (
        "invalid_country_code",
        "unknown country code",
    ),
    phonenumbers.ValidationResult.INVALID_LENGTH: ("invalid_length", "wrong length for its region"),
}


def _possible_reason(parsed: phonenumbers.PhoneNumber) -> tuple[str, str]:
    result = phonenumbers.is_possible_number_with_reason(parsed)
    return _VALIDATION_REASONS.get(result, ("not_in_range", "no such number range in its region"))
