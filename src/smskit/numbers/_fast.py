"""The fast path for canonical NANP numbers: ``+1`` and ten digits, as CRMs store them.

``phonenumbers`` answers region, validity and type for a NANP number through layers
of generic Python (parse, then for every member region a lookup, a regex compile and
a length check per number description), about 45 us of a 55 us parse. For this one
shape of input the same questions reduce to a few compiled regular expressions. The
tables here are built at first use from ``phonenumbers``' own metadata (whatever
release is installed), and the steps mirror its functions one for one (named at each
step), so the answers are its answers: ``tests/test_numbers_fast.py`` holds them to
``phonenumbers`` for every area code and for generated digit strings.

Only *valid* numbers are answered here; anything else returns ``None`` and goes the
slow way, which also gives every error its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneMetadata

__all__ = ["nanp_national", "nanp_region_and_type"]

_T = phonenumbers.PhoneNumberType
_NANP = 1
#: The only length the fast path sees: a NANP national significant number.
_LENGTH = 10
#: Special types in the order ``_number_type_helper`` tries them (first match wins).
_SPECIAL = (
    ("premium_rate", _T.PREMIUM_RATE),
    ("toll_free", _T.TOLL_FREE),
    ("shared_cost", _T.SHARED_COST),
    ("voip", _T.VOIP),
    ("personal_number", _T.PERSONAL_NUMBER),
    ("pager", _T.PAGER),
    ("uan", _T.UAN),
    ("voicemail", _T.VOICEMAIL),
)


def is_canonical(text: str) -> bool:
    """``+1`` then ten ASCII digits, nothing else (what the fast path takes)."""
    return len(text) == 12 and text.startswith("+1") and text[2:].isascii() and text[2:].isdigit()


def _pattern(desc: object) -> re.Pattern[str] | None:
    """``_is_number_matching_desc`` for a 10-digit number, decided ahead: ``None`` when
    the description cannot match one (absent, other lengths only, empty pattern)."""
    if desc is None:
        return None
    lengths = desc.possible_length  # type: ignore[attr-defined]
    if len(lengths) > 0 and _LENGTH not in lengths:
        return None
    pattern = desc.national_number_pattern  # type: ignore[attr-defined]
    if not pattern:
        return None
    return re.compile(pattern)


@dataclass(frozen=True, slots=True)
class _Member:
    """One NANP member's metadata, its patterns compiled for 10-digit numbers."""

    region: str
    leading: re.Pattern[str] | None
    general: re.Pattern[str] | None
    special: tuple[tuple[re.Pattern[str], int], ...]
    fixed: re.Pattern[str] | None
    mobile: re.Pattern[str] | None
    same_mobile_and_fixed: bool

    def number_type(self, nsn: str) -> int:
        """``phonenumberutil._number_type_helper(nsn, metadata)``, step for step."""
        if self.general is None or self.general.fullmatch(nsn) is None:
            return _T.UNKNOWN
        for pattern, kind in self.special:
            if pattern.fullmatch(nsn) is not None:
                return kind
        if self.fixed is not None and self.fixed.fullmatch(nsn) is not None:
            if self.same_mobile_and_fixed or (
                self.mobile is not None and self.mobile.fullmatch(nsn) is not None
            ):
                return _T.FIXED_LINE_OR_MOBILE
            return _T.FIXED_LINE
        if (not self.same_mobile_and_fixed and self.mobile is not None
                and self.mobile.fullmatch(nsn) is not None):
            return _T.MOBILE
        return _T.UNKNOWN


@lru_cache(maxsize=1)
def _members() -> tuple[_Member, ...]:
    members = []
    # The order matters: region_code_for_number takes the first member that claims
    # the number, in the order of COUNTRY_CODE_TO_REGION_CODE (the main one first).
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(_NANP, ()):
        metadata = PhoneMetadata.metadata_for_region(region.upper(), None)
        if metadata is None:  # skipped by region_code_for_number too
            continue
        special = tuple(
            (pattern, kind) for name, kind in _SPECIAL
            if (pattern := _pattern(getattr(metadata, name))) is not None
        )
        leading = metadata.leading_digits
        members.append(_Member(
            region=region,
            leading=None if leading is None else re.compile(leading),
            general=_pattern(metadata.general_desc),
            special=special,
            fixed=_pattern(metadata.fixed_line),
            mobile=_pattern(metadata.mobile),
            same_mobile_and_fixed=bool(metadata.same_mobile_and_fixed_line_pattern),
        ))
    return tuple(members)


def nanp_region_and_type(nsn: str) -> tuple[str, int] | None:
    """Region and ``PhoneNumberType`` of a valid NANP number (its 10 digits), or ``None``
    when it is not valid (or not plainly 10 significant digits): ask the slow path.

    ``region_code_for_number`` (first member whose leading digits match, or whose
    types include the number) then ``is_valid_number_for_region`` and ``number_type``,
    which both come down to ``_number_type_helper`` on that member's metadata.
    """
    if nsn[0] == "0":  # a leading zero is kept apart by phonenumbers: not this shape
        return None
    for member in _members():
        if member.leading is not None:
            if member.leading.match(nsn) is not None:
                kind = member.number_type(nsn)
                return None if kind == _T.UNKNOWN else (member.region, kind)
        else:
            kind = member.number_type(nsn)
            if kind != _T.UNKNOWN:
                return member.region, kind
    return None


@dataclass(frozen=True, slots=True)
class _Format:
    leading: re.Pattern[str] | None
    pattern: re.Pattern[str]
    rule: str


@lru_cache(maxsize=1)
def _formats() -> tuple[_Format, ...] | None:
    """The national formats of NANP (kept in the main region's metadata), or ``None``
    when one carries a national-prefix rule: then ``format_number`` does the work."""
    region = phonenumbers.region_code_for_country_code(_NANP)
    metadata = PhoneMetadata.metadata_for_region(region, None)
    if metadata is None:
        return None
    formats = []
    for number_format in metadata.number_format:
        if number_format.national_prefix_formatting_rule or not (
            number_format.pattern and number_format.format
        ):
            return None
        leading = number_format.leading_digits_pattern
        formats.append(_Format(
            leading=re.compile(leading[-1]) if leading else None,
            pattern=re.compile(number_format.pattern),
            rule=number_format.format,
        ))
    return tuple(formats)


def nanp_national(nsn: str) -> str:
    """``format_number(number, NATIONAL)`` for a valid NANP number of 10 digits.

    ``_format_nsn``: the first format whose last leading-digits pattern matches and
    whose pattern matches the whole number, applied with ``re.sub``; no format: the
    digits as they are.
    """
    formats = _formats()
    if formats is None:
        number = phonenumbers.PhoneNumber(country_code=_NANP, national_number=int(nsn))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    for number_format in formats:
        if (number_format.leading is None or number_format.leading.match(nsn) is not None) and (
            number_format.pattern.fullmatch(nsn) is not None
        ):
            return number_format.pattern.sub(number_format.rule, nsn)
    return nsn
