"""Splitting a text into SMS segments (3GPP TS 23.038 / 23.040), and counting them fast.

One SMS carries 140 octets of user data: 160 GSM-7 septets or 70 UCS-2 units.
A longer text is concatenated: each part starts with a User Data Header (6
octets with an 8-bit reference, 7 with a 16-bit one), leaving 153 / 152 septets
or 67 / 66 units. National language shift tables add a 3-octet element each.

Parts never split an escape pair (GSM-7) or a surrogate pair (UCS-2). By default
UCS-2 parts also keep user-perceived characters (grapheme clusters, as
``regex``'s ``\\X`` finds them) whole, moving a cluster that would straddle a
boundary to the next part; a cluster longer than a whole part is split between
code points. ``grapheme_safe=False`` gives the standard's minimum.

:func:`count_segments` never builds segment strings; :func:`segment` does the full
job. Both use the same cut rule, so they always agree.
"""

from __future__ import annotations

import collections
import re
from bisect import bisect_left
from codecs import utf_16_le_decode, utf_16_le_encode
from collections.abc import Callable, Iterable
from dataclasses import FrozenInstanceError
from operator import itemgetter
from types import NotImplementedType
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar, cast

from ..errors import ConfigurationError, EncodingError, MessageTooLongError
from ._batch import _ESCAPE_LATIN1, _PLAIN_LATIN1, CHUNK, astral_count, chunk_counts, drifts_fit
from ._cutting import (
    CONCAT8_IE_OCTETS,
    CONCAT16_IE_OCTETS,
    EXTENSION_ASCII,
    GSM7_CONCAT_SEPTETS,
    GSM7_SINGLE_SEPTETS,
    MAX_SEGMENTS,
    PLAIN_ASCII,
    UCS2_CONCAT_UNITS,
    UCS2_SINGLE_UNITS,
    Plan,
    alphabet_for,
    best_plan,
    bounded_count,
    capacities,
    count_parts,
    cuts,
    escape_parts,
    gsm_plan,
    may_join,
    plans_for,
    span_units,
    ucs2_plan,
)
from ._national import national_alphabets
from ._smart import Replacement, smart_candidates
from ._walk import (
    JOIN_PREVIOUS,
    UNSURE_BEFORE,
    certain_boundary,
    certain_cuts,
    cluster_cut,
)
from .encoding import (
    BASIC_CODES,
    EXTENSION_CODES,
    EXTENSION_RE,
    NON_GSM_RE,
    Encoding,
    NonGsmCharacter,
    _not_gsm,
    gsm7_encode,
    non_gsm_characters,
    pack_septets,
)

__all__ = [
    "GSM7_CONCAT_SEPTETS",
    "GSM7_SINGLE_SEPTETS",
    "MAX_SEGMENTS",
    "UCS2_CONCAT_UNITS",
    "UCS2_SINGLE_UNITS",
    "Replacement",
    "Segment",
    "SegmentedMessage",
    "count_many",
    "count_segments",
    "measure_many",
    "segment",
]


def _frozen(self: object, name: str, value: object = None) -> None:
    raise FrozenInstanceError(f"cannot assign to or delete field {name!r}")


def _unordered(self: object, other: object) -> NoReturn:
    # Values, not orderable (as when they were dataclasses). Raised, not NotImplemented,
    # which would let a plain tuple's reflected comparison order their items.
    raise TypeError(f"{type(self).__name__} values are not ordered")


def _equal(self: tuple[object, ...], other: object) -> bool | NotImplementedType:
    """Equal to a value of the same class with equal fields; to no other tuple (for a
    plain tuple, NotImplemented would let ``tuple.__eq__`` compare the items)."""
    if type(other) is type(self):
        return _tuple_eq(self, other)
    return False if isinstance(other, tuple) else NotImplemented


def _unequal(self: tuple[object, ...], other: object) -> bool | NotImplementedType:
    equal = _equal(self, other)
    return equal if equal is NotImplemented else not equal


# Segment and SegmentedMessage are tuple subclasses, not dataclasses nor slotted classes:
# a message and its parts are made for every text sent, and one tuple.__new__ call is
# the cheapest object Python can build. It is also one object for the garbage collector
# to track where a slotted instance holding a tuple is two: with the collector on, as in
# applications, the collections the parts cause cost as much as building them.
# What the tuples expose is kept deliberate: a Segment is a record of its six fields, in
# order, like a named tuple (equal only to another Segment, and not orderable); a
# SegmentedMessage is not a sequence at all (iterate its ``segments``).

_tuple_new = tuple.__new__
_tuple_eq = tuple.__eq__


def _item_property(index: int, doc: str) -> Any:
    """A read-only field: item ``index`` of the tuple, read in C by an ``itemgetter``."""
    return property(itemgetter(index), doc=doc)


# The fields are read by namedtuple's descriptor (C, in CPython's ``_collections``): the
# item in one C call, where a property calls its itemgetter (14 against 24 ns a read on
# Python 3.11; the same on 3.13). Where ``_collections`` lacks the C type, the standard
# ``collections`` defines the name as such a property itself (a test runs the fields so,
# in a subprocess); ``_item_property`` only guards against the private name's removal.
_field: Callable[[int, str], Any] = getattr(collections, "_tuplegetter", _item_property)


class Segment(tuple[str, int, bytes, Encoding, str | None, str | None]):
    """One SMS of a message: an immutable value.

    Attributes:
        text: the characters this part carries.
        units: septets (GSM-7, escapes counted) or UTF-16 code units (UCS-2).
        udh: the User Data Header, UDHL included; ``b""`` for a single plain SMS.
        encoding: GSM-7 or UCS-2.
        locking_shift: national locking-shift table in use, if any.
        single_shift: national single-shift table in use, if any.

    A record of these six fields, in this order, like a named tuple: it unpacks into
    them (``text, units, udh, *_ = part``). It equals only another ``Segment``.
    """

    __slots__ = ()
    __match_args__ = ("text", "units", "udh", "encoding", "locking_shift", "single_shift")

    def __new__(
        cls,
        text: str,
        units: int,
        udh: bytes,
        encoding: Encoding,
        locking_shift: str | None = None,
        single_shift: str | None = None,
    ) -> Segment:
        # Only this public constructor checks; segment() builds parts without it.
        _check_segment(text, units, udh, encoding, locking_shift, single_shift)
        return _tuple_new(cls, (text, units, udh, encoding, locking_shift, single_shift))

    __setattr__ = _frozen
    __delattr__ = _frozen

    if TYPE_CHECKING:  # what the field descriptors below return

        @property
        def text(self) -> str: ...
        @property
        def units(self) -> int: ...
        @property
        def udh(self) -> bytes: ...
        @property
        def encoding(self) -> Encoding: ...
        @property
        def locking_shift(self) -> str | None: ...
        @property
        def single_shift(self) -> str | None: ...

    else:  # read in C, with no Python frame
        text = _field(0, "The characters this part carries.")
        units = _field(1, "Septets (GSM-7) or UTF-16 code units (UCS-2).")
        udh = _field(2, "The User Data Header, UDHL included.")
        encoding = _field(3, "GSM-7 or UCS-2.")
        locking_shift = _field(4, "National locking-shift table, if any.")
        single_shift = _field(5, "National single-shift table, if any.")

    __eq__ = _equal
    __ne__ = _unequal
    __hash__ = tuple.__hash__
    __lt__ = __le__ = __gt__ = __ge__ = _unordered

    def __repr__(self) -> str:
        text, units, udh, encoding, locking, single = self
        return (
            f"{type(self).__qualname__}(text={text!r}, units={units!r}, udh={udh!r}, "
            f"encoding={encoding!r}, locking_shift={locking!r}, single_shift={single!r})"
        )

    def __reduce__(self) -> tuple[type[Segment], tuple[object, ...]]:
        # The value's own class, as a dataclass's copy would be: a copy of a subclass's
        # value made as a Segment would not equal it.
        return type(self), tuple(self)

    @property
    def user_data(self) -> bytes:
        """The whole TP-User-Data: ``udh`` then the packed septets or UTF-16-BE units.

        Never longer than 140 octets. Computed on access, so counting and
        splitting do not pay for packing.
        """
        text, _, udh, encoding, locking, single = self
        if encoding is _UCS2:
            return udh + text.encode("utf-16-be")
        if locking is None and single is None:
            septets = gsm7_encode(text)
        else:
            septets = alphabet_for(locking, single).encode(text)
        fill = (7 - (len(udh) * 8) % 7) % 7
        return udh + pack_septets(septets, fill_bits=fill)


def _check_segment(
    text: object, units: object, udh: object, encoding: object, locking: object, single: object
) -> None:
    if type(text) is not str:
        raise TypeError(f"Segment text must be a str, not {type(text).__name__}")
    if type(units) is not int or units < 0:
        raise TypeError(f"Segment units must be an int of 0 or more, not {units!r}")
    if type(udh) is not bytes:
        raise TypeError(f"Segment udh must be bytes, not {type(udh).__name__}")
    if not isinstance(encoding, Encoding):
        raise TypeError(f"Segment encoding must be an Encoding (GSM7 or UCS2), not {encoding!r}")
    # Values, not only types: a part segment() could not make fails here, not when its
    # user_data is read (a KeyError, or a septet over 0x7F packed).
    if locking is None and single is None:
        if encoding is _UCS2:
            if not text.isascii():
                try:
                    text.encode("utf-16-le")
                except UnicodeEncodeError:
                    ucs2_plan(text)  # raises the EncodingError naming the lone surrogate
                    raise
        elif not text.isascii() or text.encode().translate(None, _GSM_ASCII):
            # One C pass for ASCII (most parts), the regex otherwise.
            bad = NON_GSM_RE.search(text)
            if bad is not None:
                raise _not_gsm(text, bad.start())
        return
    for shift in (locking, single):
        if shift is not None and type(shift) is not str:
            raise TypeError(f"Segment shift tables are names (str) or None, not {shift!r}")
    tables = cast("tuple[str | None, str | None]", (locking, single))
    for name, kind in zip(tables, ("locking", "single")):  # noqa: B905
        if name is not None:
            _check_table(name, kind)
    if encoding is _UCS2:
        _check_segment(text, units, udh, encoding, None, None)  # the text's own check
        return
    alphabet = alphabet_for(*tables)
    if alphabet.doubles(text) is None:
        position = next(i for i, char in enumerate(text) if alphabet.doubles(char) is None)
        char = text[position]
        raise EncodingError(
            f"character {char!r} (U+{ord(char):04X}) at position {position} is not in the "
            f"GSM-7 alphabet of locking shift {locking!r} and single shift {single!r}",
            text=text, position=position, char=char,
        )


def _check_table(name: str, kind: str) -> None:
    field = f"{kind}_shift"
    try:
        pairs = national_alphabets((name,))
    except ConfigurationError as exc:
        raise ConfigurationError(str(exc), field=field) from None
    if ((name, None) if kind == "locking" else (None, name)) not in pairs:
        raise ConfigurationError(
            f"{name!r} has no {kind}-shift table (TS 23.038 Annex A): name it as the other shift",
            field=field,
        )


_Fields = tuple[str, tuple[Replacement, ...], int, int, int, int]
_TEXT = itemgetter(0)
_GSM_ASCII = PLAIN_ASCII + EXTENSION_ASCII


class SegmentedMessage(tuple[Any, ...]):
    """A text split into the SMS parts it will be sent as: an immutable value.

    Attributes:
        text: the text sent (after smart encoding, when it was asked for and helped).
        replacements: what smart encoding changed (positions in the original text).
        segments: the parts, in order (:class:`Segment` values).

    The other attributes (``encoding``, ``segment_count``, ``units``, ``remaining``,
    ``non_gsm``, ``locking_shift``, ``single_shift``) are read-only properties.
    Made by :func:`segment`, which builds every part at once. Not a sequence:
    iteration, ``len`` and ``in`` raise ``TypeError`` (iterate ``segments``); what
    subscripting reads is its storage, not part of the API.
    """

    # Stored: text, replacements, units, remaining, reference bits, reference, parts.
    __slots__ = ()

    def __new__(cls, fields: _Fields, segments: tuple[Segment, ...]) -> SegmentedMessage:
        # What unpickling and copying call; segment() builds without it.
        _check_message(fields, segments)
        return _tuple_new(cls, (*fields, segments))

    __setattr__ = _frozen
    __delattr__ = _frozen

    def _not_a_sequence(self, *args: object) -> NoReturn:
        raise TypeError("a SegmentedMessage is not a sequence: iterate its .segments")

    # __getitem__ stays tuple's: the properties read through it in C (a Python-level
    # one would cost a frame on every read of .segments).
    __iter__ = __len__ = __contains__ = _not_a_sequence
    __add__ = __mul__ = __rmul__ = _not_a_sequence
    __lt__ = __le__ = __gt__ = __ge__ = _unordered

    def __bool__(self) -> bool:
        return True

    __eq__ = _equal
    __ne__ = _unequal
    __hash__ = tuple.__hash__

    def __reduce__(self) -> tuple[type[SegmentedMessage], tuple[object, ...]]:
        return type(self), (self._fields, self.segments)

    def __repr__(self) -> str:
        return (
            f"{type(self).__qualname__}(encoding={self.encoding.value!r}, "
            f"segment_count={self.segment_count}, units={self.units}, "
            f"remaining={self.remaining}, text={self.text!r})"
        )

    @property
    def _fields(self) -> _Fields:
        """Every stored field but the parts, as the constructor takes them."""
        fields: _Fields = self[:6]
        return fields

    if TYPE_CHECKING:  # what the field descriptors below return

        @property
        def text(self) -> str: ...
        @property
        def replacements(self) -> tuple[Replacement, ...]: ...
        @property
        def units(self) -> int: ...
        @property
        def remaining(self) -> int: ...
        @property
        def segments(self) -> tuple[Segment, ...]: ...

    else:  # read in C, with no Python frame
        text = _field(0, "The text sent.")
        replacements = _field(1, "What smart encoding changed.")
        units = _field(
            2,
            "Septets (escapes counted) or UTF-16 units of the whole text, without headers.",
        )
        remaining = _field(
            3,
            "Units that can still be added before another part is needed.",
        )
        segments = _field(6, "The parts, in order.")

    @property
    def encoding(self) -> Encoding:
        """GSM-7 or UCS-2."""
        return self.segments[0].encoding

    @property
    def segment_count(self) -> int:
        """How many SMS are sent (and billed)."""
        return len(self.segments)

    @property
    def locking_shift(self) -> str | None:
        """National locking-shift table used, if any."""
        return self.segments[0].locking_shift

    @property
    def single_shift(self) -> str | None:
        """National single-shift table used, if any."""
        return self.segments[0].single_shift

    @property
    def non_gsm(self) -> tuple[NonGsmCharacter, ...]:
        """Characters outside the GSM-7 default alphabet, with their positions in ``text``.

        What forced UCS-2 (or a national table); what a counter UI highlights.
        """
        return non_gsm_characters(self.text)


def _check_message(fields: object, segments: object) -> None:
    # Type names only: the text may hold a phone number.
    if not (
        type(fields) is tuple
        and len(fields) == 6
        and type(fields[0]) is str
        and type(fields[1]) is tuple
        and (not fields[1] or all(type(change) is Replacement for change in fields[1]))
        and all(type(number) is int and number >= 0 for number in fields[2:])
        and fields[4] in (8, 16)
        and fields[5] < 1 << fields[4]
    ):
        raise TypeError(
            "SegmentedMessage is made by segment(); its fields are a tuple (text, replacements, "
            "units, remaining, reference bits 8 or 16, reference) as segment() makes them, not "
            f"{type(fields).__name__} of others"
        )
    if type(segments) is not tuple or not segments or any(
        type(part) is not Segment for part in segments
    ):
        raise TypeError(
            "SegmentedMessage parts must be a non-empty tuple of Segment values, not "
            f"{type(segments).__name__} of other values"
        )
    if "".join(map(_TEXT, segments)) != fields[0]:
        raise TypeError("SegmentedMessage parts must spell its text, as segment() cuts it")


_GSM7 = Encoding.GSM7  # read once: an enum member costs a lookup on every use
_UCS2 = Encoding.UCS2
# One header byte per sequence number, made once: bytes([n]) per part costs more.
_BYTE = tuple(bytes([code]) for code in range(256))
_SEQUENCE = _BYTE[1:]  # the last octet of the concatenation element of parts 1, 2, ...
# UDHL 5, then IEI 0x00 (8-bit reference concatenation), length 3: reference, total
# and sequence follow (TS 23.040 9.2.3.24.1).
_CONCAT8_HEAD = b"\x05\x00\x03"
# The two headers of a two-part message, for each 8-bit reference: 512 ready values
# spare the commonest multipart message two concatenations a part.
_TWO_PART_UDHS = tuple(
    (_CONCAT8_HEAD + _BYTE[reference] + b"\x02\x01", _CONCAT8_HEAD + _BYTE[reference] + b"\x02\x02")
    for reference in range(256)
)
# Each full part's slice of the text and sequence octet, for parts of 153 (GSM-7) and
# 67 (UCS-2) characters: a slice of a ready tuple costs less than a zip of a new range,
# and a ready slice object less than one built for every part.
_CUTS = {
    size: tuple(
        zip(
            (slice(start, start + size) for start in range(0, MAX_SEGMENTS * size, size)),
            _SEQUENCE,
            strict=True,
        )
    )
    for size in (GSM7_CONCAT_SEPTETS, UCS2_CONCAT_UNITS)
}

# Internal construction: segment() builds its values here, trusted and unchecked.


def _message(
    text: str,
    replacements: tuple[Replacement, ...],
    parts: tuple[Segment, ...],
    units: int,
    remaining: int,
    bits: int,
    reference: int,
) -> SegmentedMessage:
    return _tuple_new(
        SegmentedMessage, (text, replacements, units, remaining, bits, reference, parts)
    )


def _one_part(
    text: str, units: int, encoding: Encoding, remaining: int, reference: int
) -> SegmentedMessage:
    """A one-part message without national tables, 8-bit reference (no header)."""
    part = _tuple_new(Segment, (text, units, b"", encoding, None, None))
    return _tuple_new(SegmentedMessage, (text, (), units, remaining, 8, reference, (part,)))


# The loops below call zip() without strict=: passing that keyword costs more than
# slicing a part. None ever runs past 255 parts.


def _parts(text: str, ends: list[int], plan: Plan, head: bytes, ies: bytes) -> tuple[Segment, ...]:
    """The parts of a multipart message, from its cuts.

    Every header is ``head`` (shared), the part's sequence number, then ``ies``.
    """
    doubles, encoding, locking, single = plan.doubles, plan.encoding, plan.locking, plan.single
    parts = []
    start = before = 0  # before: how many two-unit characters precede start
    for end, sequence in zip(ends, _SEQUENCE):  # noqa: B905
        units = end - start
        if doubles:
            upto = bisect_left(doubles, end)
            units += upto - before
            before = upto
        udh = head + sequence + ies
        parts.append(_tuple_new(Segment, (text[start:end], units, udh, encoding, locking, single)))
        start = end
    return tuple(parts)


def _udh_head(bits: int, reference: int, total: int, shift_octets: int) -> bytes:
    """The UDH up to the sequence number, which each part appends (then the shift IEs)."""
    if bits == 8:
        concat = bytes([0x00, 3, reference, total])
    else:
        concat = bytes([0x08, 4, reference >> 8, reference & 0xFF, total])
    return _BYTE[len(concat) + 1 + shift_octets] + concat


# -- public API --------------------------------------------------------------------


def _check_text(text: object, func: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{func}() takes a str, not {type(text).__name__}")
    return text


def _check_encoding(encoding: Encoding | str | None) -> Encoding | None:
    if encoding is None or isinstance(encoding, Encoding):
        return encoding
    try:
        return Encoding(encoding)
    except ValueError:
        raise ConfigurationError(
            f"encoding must be Encoding.GSM7, Encoding.UCS2 or None, not {encoding!r}",
            field="encoding",
        ) from None


def _check_options(
    reference_bits: int, reference: int, languages: Iterable[str]
) -> tuple[str, ...]:
    if type(reference_bits) is not int or reference_bits not in (8, 16):
        raise ConfigurationError(
            f"reference_bits must be 8 or 16, got {reference_bits!r}", field="reference_bits"
        )
    if type(reference) is not int or not 0 <= reference < (1 << reference_bits):
        raise ConfigurationError(
            f"reference must be 0-{(1 << reference_bits) - 1} for {reference_bits}-bit "
            f"references, got {reference!r}",
            field="reference",
        )
    if type(languages) is tuple:  # the common case, without an ABC isinstance check
        return languages
    if isinstance(languages, str) or not isinstance(languages, Iterable):
        raise ConfigurationError(
            f"languages must be a sequence of names such as ('turkish',), not {languages!r}",
            field="languages",
        )
    return tuple(languages)


def _too_long(count: int) -> MessageTooLongError:
    """The error for a text past the limit. Every entry point passes the same ``count``
    for the same text: the exact number of parts when the text's units fit 255 full
    parts (only the cuts take it past), else the fewest parts its units fill."""
    return MessageTooLongError(
        f"the text needs at least {count} segments; concatenation allows at most "
        f"{MAX_SEGMENTS}: shorten it or send it as several messages",
        segments=count,
    )


def _choose(
    text: str,
    forced: Encoding | None,
    smart: bool,
    languages: tuple[str, ...],
    concat_octets: int,
    grapheme_safe: bool,
) -> tuple[str, tuple[Replacement, ...], int, Plan]:
    """The text to send (smart encoding applied only where it is cheaper) and its plan."""
    candidates = smart_candidates(text, prefer_gsm=forced is not Encoding.UCS2) if smart else [
        (text, ())
    ]
    best: tuple[str, tuple[Replacement, ...], int, Plan] | None = None
    error: EncodingError | None = None
    for candidate, replacements in candidates:
        try:
            plans = plans_for(candidate, forced, languages)
        except EncodingError as exc:
            error = error or exc
            continue
        count, plan = best_plan(candidate, plans, concat_octets, grapheme_safe)
        if best is None or count < best[2]:
            best = (candidate, replacements, count, plan)
    if best is None:
        assert error is not None
        raise error
    return best


def _count_gsm(text: str, septets: int | None, grapheme_safe: bool) -> int:
    if septets is None:
        septets = len(text) + len(EXTENSION_RE.findall(text))
    if septets <= GSM7_SINGLE_SEPTETS:
        return 1
    # Plain GSM-7 keeps no clusters, only escape pairs: most counts need no cutting.
    bounded = bounded_count(septets, GSM7_CONCAT_SEPTETS)
    if bounded is not None:
        return bounded
    if septets <= MAX_SEGMENTS * GSM7_CONCAT_SEPTETS:  # an escape may straddle a cut
        return escape_parts(text, GSM7_CONCAT_SEPTETS)
    return count_parts(text, gsm_plan(text), CONCAT8_IE_OCTETS, grapheme_safe)


# The size of a str beyond ASCII, less its bytes: CPython stores one of n characters
# in (n + 1) * width bytes after that header. A guide to speed only
# (``count_segments``; each route checks what it relies on, so on another Python a
# wrong answer costs time, never a count). Two characters: on Python 3.13 a
# one-character str is a static object of another size.
_STR_BASE = "\xe9\xe9".__sizeof__() - 3


def _fits_one_part(text: str) -> bool:
    """Whether a text of up to 70 characters is one part: at most 140 septets if GSM-7,
    and 70 units in UCS-2 unless a character lies beyond the BMP. False on a lone
    surrogate (the caller's error says where)."""
    try:
        return len(text.encode("utf-16-le")) <= 2 * UCS2_SINGLE_UNITS
    except UnicodeEncodeError:
        return False


def _euro_count(text: str, grapheme_safe: bool) -> int:
    """Count of a text with an euro sign, 0 if it holds another character beyond
    Latin-1. The euro sign made "|" (also an escape: two septets, one UTF-16 unit,
    joining nothing), its Latin-1 less the plain GSM-7 bytes leaves the escapes and
    the bytes beyond GSM-7, in C, where the search and ``EXTENSION_RE`` read a GSM-7
    text twice. UCS-2 (a Latin-1 letter beyond GSM-7) and without CR, it is counted
    by its length, where ``_count_ucs2`` would encode it again and screen its cuts."""
    data = text.replace("€", "|")
    # Still two bytes a character (the size reading, a guide): beyond Latin-1, where
    # the encoding would raise at a cost above the search's (Cyrillic with a price).
    if data.__sizeof__() - _STR_BASE >= 2 * (len(data) + 1):
        return 0
    try:
        encoded = data.encode("latin-1")  # stops at the first beyond
    except UnicodeEncodeError:
        return 0
    specials = encoded.translate(None, _PLAIN_LATIN1)
    if not specials.translate(None, _ESCAPE_LATIN1):
        return _count_gsm(text, len(text) + len(specials), grapheme_safe)
    if "\r" in text:
        return _count_ucs2(text, grapheme_safe)
    return _full_parts(len(text))  # UCS-2, Latin-1 and euro signs: none joins but CR


def _full_parts(units: int) -> int:
    """Parts of a UCS-2 text of ``units`` units whose cuts cannot move (no surrogate
    pair, no cluster over a cut)."""
    return 1 if units <= UCS2_SINGLE_UNITS else -(-units // UCS2_CONCAT_UNITS)


def _count_ucs2(text: str, grapheme_safe: bool) -> int:
    try:
        units = len(text.encode("utf-16-le")) >> 1
    except UnicodeEncodeError:
        return count_parts(text, ucs2_plan(text), CONCAT8_IE_OCTETS, grapheme_safe)  # raises
    if units <= UCS2_SINGLE_UNITS:
        return 1
    if units == len(text):  # one unit per character: every part full, unless a cut moves
        if not grapheme_safe or certain_cuts(text, UCS2_CONCAT_UNITS):
            return -(-units // UCS2_CONCAT_UNITS)
        if units <= MAX_SEGMENTS * UCS2_CONCAT_UNITS:
            # Cuts that drift back a few units within the last part's room (one regex
            # match, as ``count_many`` screens them) leave the count the units'.
            if drifts_fit(text):
                return -(-units // UCS2_CONCAT_UNITS)
            return len(cuts(text, ucs2_plan(text, units), UCS2_CONCAT_UNITS, grapheme_safe))
    elif not (grapheme_safe and may_join(text)):
        bounded = bounded_count(units, UCS2_CONCAT_UNITS)
        if bounded is not None:
            return bounded
    return count_parts(text, ucs2_plan(text, units), CONCAT8_IE_OCTETS, grapheme_safe)


def count_segments(text: str, *, smart: bool = False, grapheme_safe: bool = True) -> int:
    """How many SMS ``text`` is sent as: the fast path, equal to ``segment(text).segment_count``.

    >>> count_segments("x" * 160), count_segments("x" * 161), count_segments("€" * 81)
    (1, 2, 2)

    Raises:
        TypeError: ``text`` is not a ``str``.
        EncodingError: ``text`` holds a lone surrogate.
        MessageTooLongError: more than 255 segments would be needed.
    """
    if type(text) is not str or smart:
        _check_text(text, "count_segments")
        count = _choose(text, None, smart, (), CONCAT8_IE_OCTETS, grapheme_safe)[2]
    elif text.isascii():
        # Deleting every plain GSM byte leaves only escapes and non-GSM characters;
        # bytes.translate does that in one C pass, faster than a regex search.
        specials = text.encode("ascii").translate(None, PLAIN_ASCII)
        if not specials:
            length = len(text)
            if length <= GSM7_SINGLE_SEPTETS:
                return 1
            count = -(-length // GSM7_CONCAT_SEPTETS)
        elif specials.translate(None, EXTENSION_ASCII):
            count = _count_ucs2(text, grapheme_safe)  # a backtick or a control character
        else:
            count = _count_gsm(text, len(text) + len(specials), grapheme_safe)
    elif len(text) <= UCS2_SINGLE_UNITS and _fits_one_part(text):
        return 1
    else:
        # How many bytes CPython stores a character in (1: Latin-1, 2: the BMP, 4: one
        # beyond it; see ``_STR_BASE``) picks a route read in C: beyond the BMP the
        # slack bound (``astral_count``, 0 if unsure), where the search and
        # ``may_join`` read every character; with an euro sign, Latin-1 (0 beyond it).
        width = (text.__sizeof__() - _STR_BASE) // (len(text) + 1)
        count = 0
        if width == 4 and grapheme_safe:
            count = astral_count(text)
        elif width == 2 and "€" in text:
            count = _euro_count(text, grapheme_safe)
        if not count:
            if NON_GSM_RE.search(text) is None:
                count = _count_gsm(text, None, grapheme_safe)
            elif (
                width == 1
                and "\r" not in text
                and len(text.encode("latin-1", "ignore")) == len(text)  # sure: Latin-1
            ):
                count = _full_parts(len(text))  # no Latin-1 character joins but CR (CR LF)
            else:
                count = _count_ucs2(text, grapheme_safe)
    if count > MAX_SEGMENTS:
        raise _too_long(count)
    return count




def _count_chunk(chunk: list[str], offset: int) -> list[int]:
    """Counts of a chunk of texts, screened together in C loops (see ``_batch``).

    A text the screen leaves at 0 (or a chunk's one or two short texts beyond ASCII) is
    counted on its own. A bad text is found by counting the chunk one by one: the
    error names its index, ``offset`` being the chunk's first text's in the batch.
    """
    try:
        counts = chunk_counts(chunk)
        if not all(counts):  # C-level scans; a Python step only for each text left
            index = -1
            for _ in range(counts.count(0)):
                index = counts.index(0, index + 1)
                counts[index] = count_segments(chunk[index])
    except (TypeError, ValueError, IndexError):  # not a str, a lone surrogate, too long
        return _each(chunk, offset, count_segments)  # raises, saying which text
    return counts


_T = TypeVar("_T")


def _each(
    chunk: list[str], offset: int, count: Callable[[str], _T], func: str = "count_many"
) -> list[_T]:
    """``count`` of each text; an error names the text's index in the whole batch."""
    counts = []
    for index, text in enumerate(chunk, offset):
        try:
            counts.append(count(_check_text(text, func)))
        except EncodingError as exc:
            raise EncodingError(
                f"text {index} of the batch: {exc}",
                text=exc.text, position=exc.position, char=exc.char, index=index,
            ) from None
        except MessageTooLongError as exc:
            raise MessageTooLongError(
                f"text {index} of the batch: {exc}", segments=exc.segments, index=index
            ) from None
        except TypeError as exc:
            raise TypeError(f"text {index} of the batch: {exc}") from None
    return counts


# Up to this many texts a call, ``count_many`` hands the caller's list to the chunk
# screen as it is: the loop's slice and second list of counts cost 4% of a call of 10
# mixed texts. Not past it: the slice touches each text's object in a tight C loop,
# and the screen's ASCII test then finds them in cache (measured, batches of 300 and
# 1,000 without the slice: 1.3-2.4% slower; 100, even).
_SMALL = 64


def count_many(
    texts: Iterable[str], *, smart: bool = False, grapheme_safe: bool = True
) -> list[int]:
    """:func:`count_segments` for each text, in order.

    Raises:
        TypeError: ``texts`` is a ``str``, or holds something that is not one.
        EncodingError: a text holds a lone surrogate; ``index`` says which text.
        MessageTooLongError: a text needs over 255 segments; ``index`` says which.
    """
    if isinstance(texts, str):
        raise TypeError("count_many() takes an iterable of texts, not one str")
    batch = texts if type(texts) is list else list(texts)
    if smart or not grapheme_safe:
        options = {"smart": smart, "grapheme_safe": grapheme_safe}
        return _each(batch, 0, lambda text: count_segments(text, **options))
    if len(batch) == 1:  # a chunk's fixed steps cost more than counting one text alone
        return _each(batch, 0, count_segments)
    if len(batch) <= _SMALL:  # no slice, nor a second list of counts (see ``_SMALL``)
        return _count_chunk(batch, 0)
    counts: list[int] = []
    for start in range(0, len(batch), CHUNK):
        counts += _count_chunk(batch[start : start + CHUNK], start)
    return counts


def _measure(text: str) -> tuple[int, int, bool]:
    """Segments, units and whether UCS-2 for one text, by the same paths as count_segments."""
    if type(text) is not str:
        _check_text(text, "measure_many")
    if text.isascii():
        specials = text.encode("ascii").translate(None, PLAIN_ASCII)
        if not specials:
            length = len(text)
            if length <= GSM7_SINGLE_SEPTETS:
                return 1, length, False
            count = -(-length // GSM7_CONCAT_SEPTETS)
            if count > MAX_SEGMENTS:
                raise _too_long(count)
            return count, length, False
        if specials.translate(None, EXTENSION_ASCII):
            count, units, ucs2 = _count_ucs2(text, True), len(text), True
        else:
            units = len(text) + len(specials)
            count, ucs2 = _count_gsm(text, units, True), False
    elif NON_GSM_RE.search(text) is None:
        units = len(text) + len(EXTENSION_RE.findall(text))
        count, ucs2 = _count_gsm(text, units, True), False
    else:
        try:
            units = len(text.encode("utf-16-le")) >> 1
        except UnicodeEncodeError:
            units = ucs2_plan(text).units  # raises the EncodingError that says where
        count, ucs2 = _count_ucs2(text, True), True
    if count > MAX_SEGMENTS:
        raise _too_long(count)
    return count, units, ucs2


def measure_many(texts: Iterable[str]) -> tuple[list[int], list[int], list[bool]]:
    """Segments, units and UCS-2 flags of many texts: what batch engines need per row.

    Equal, text by text, to ``segment(text)``'s ``segment_count``, ``units`` and
    ``encoding is Encoding.UCS2``, at about the speed of :func:`count_many`
    (no :class:`SegmentedMessage` is built).

    >>> measure_many(["hi", "€" * 81, "x" * 161])
    ([1, 2, 2], [2, 162, 161], [False, False, False])

    Raises:
        TypeError: ``texts`` is one str, or holds something else than a str.
        EncodingError: a text holds a lone surrogate; ``index`` says which text.
        MessageTooLongError: a text needs more than 255 segments; ``index`` says which.
    """
    if isinstance(texts, str):
        raise TypeError("measure_many() takes an iterable of texts, not one str")
    batch = texts if type(texts) is list else list(texts)
    try:
        measured = list(map(_measure, batch))
    except (TypeError, ValueError):  # not a str, a lone surrogate, too long
        _each(batch, 0, _measure, "measure_many")  # raises, saying which text
        raise
    # itemgetter in map runs in C: many times faster than zip(*measured) on a million rows.
    return (
        list(map(itemgetter(0), measured)),
        list(map(itemgetter(1), measured)),
        list(map(itemgetter(2), measured)),
    )


def segment(
    text: str,
    *,
    encoding: Encoding | str | None = None,
    smart: bool = False,
    reference_bits: int = 8,
    reference: int = 0,
    languages: Iterable[str] = (),
    grapheme_safe: bool = True,
) -> SegmentedMessage:
    """Split ``text`` into the SMS parts it is sent as.

    Args:
        text: the message.
        encoding: force GSM-7 (an :class:`EncodingError` if a character cannot be
            sent so) or UCS-2; by default the cheapest.
        smart: replace look-alike characters (curly quotes, dashes, odd spaces...)
            where that makes the message cheaper; see ``replacements``.
        reference_bits: 8 (6-octet UDH) or 16 (7-octet UDH) concatenation reference.
        reference: the concatenation reference number written into each UDH.
        languages: national language shift tables the recipients' handsets
            support (``"turkish"``, ``"spanish"``, ``"portuguese"``...); the
            cheapest combination is chosen automatically.
        grapheme_safe: keep grapheme clusters of UCS-2 text whole across parts.

    >>> message = segment("Hi Zoë! " * 10)
    >>> str(message.encoding), message.segment_count, message.units
    ('UCS-2', 2, 80)
    """
    if type(text) is not str:
        # A str subclass (a template's safe string) becomes the plain str it holds: the
        # values then hold only what the public constructor accepts, and copy and pickle.
        text = str.__str__(_check_text(text, "segment"))
    # The defaults, recognised by identity, and any 8-bit reference: most calls (the
    # default reference, the cached int 0, spares the type check). Any other value,
    # valid or not, takes the checked path below.
    if (
        encoding is None
        and smart is False
        and languages is _NO_LANGUAGES
        and reference_bits is _EIGHT
        and (reference is _ZERO or (type(reference) is int and 0 <= reference <= 0xFF))
    ):
        if not text.isascii():
            return _default_message(text, reference, grapheme_safe)
        screened = text.encode().translate(_SCREEN)
        if not screened.isascii():  # an escape, a backtick or a control character
            return _ascii_message(text, screened, reference, grapheme_safe)
        # Plain GSM-7 ASCII, the commonest text. One plain SMS, the commonest
        # message, is built here without a further call.
        length = len(text)
        if length <= GSM7_SINGLE_SEPTETS:
            part = _tuple_new(Segment, (text, length, b"", _GSM7, None, None))
            parts: tuple[Segment, ...] = (part,)
            remaining = GSM7_SINGLE_SEPTETS - length
        elif length <= _TWO_PARTS:  # the commonest multipart message
            first, second = _TWO_PART_UDHS[reference]
            size = GSM7_CONCAT_SEPTETS
            parts = (
                _tuple_new(Segment, (text[_GSM7_HEAD], size, first, _GSM7, None, None)),
                _tuple_new(Segment, (text[_GSM7_TAIL], length - size, second, _GSM7, None, None)),
            )
            remaining = _TWO_PARTS - length
        else:
            return _even_message(text, GSM7_CONCAT_SEPTETS, _GSM7, reference)
        return _tuple_new(SegmentedMessage, (text, (), length, remaining, 8, reference, parts))
    langs = _check_options(reference_bits, reference, languages)
    replacements: tuple[Replacement, ...] = ()
    if encoding is None and not smart and not langs:
        chosen, plan = text, _default_plan(text)
    else:
        concat = CONCAT8_IE_OCTETS if reference_bits == 8 else CONCAT16_IE_OCTETS
        chosen, replacements, _, plan = _choose(
            text, _check_encoding(encoding), smart, langs, concat, grapheme_safe
        )
    return _split(chosen, replacements, plan, reference_bits, reference, grapheme_safe)


_NO_LANGUAGES: tuple[str, ...] = ()
_EIGHT = 8
_ZERO = 0
# Read as one global: ``2 * GSM7_CONCAT_SEPTETS`` in place multiplies on every call, and
# 306 is past the cached small ints, so each product is a new int object.
_TWO_PARTS = 2 * GSM7_CONCAT_SEPTETS
# The two parts' slices, made once: ``text[:size]`` builds a slice object each time.
_GSM7_HEAD = slice(GSM7_CONCAT_SEPTETS)
_GSM7_TAIL = slice(GSM7_CONCAT_SEPTETS, None)
# ASCII text's bytes classed in one C pass: every plain GSM-7 byte kept, an extension
# character (an escape: two septets) made _ESCAPE, any other byte (a backtick, a
# control character, NUL) _NOT_GSM. Both are over 0x7F, which ASCII text never holds:
# plain text screens ASCII, and a search, a count and finds class the rest.
_ESCAPE = 0x80
_NOT_GSM = 0x81
_SCREEN = bytes(
    code if code in PLAIN_ASCII else _ESCAPE if code in EXTENSION_ASCII else _NOT_GSM
    for code in range(256)
)


def _even_message(
    text: str, size: int, encoding: Encoding, reference: int, units: int = -1
) -> SegmentedMessage:
    """A multipart text whose parts but the last hold ``size`` characters of one unit,
    with no cluster across a cut (8-bit reference). ``units``: the text's, when the
    last part holds characters of two (GSM-7 escapes); by default one a character.

    The parts are built here rather than by a helper, and the message too: on a short
    multipart text each call layer costs about as much as a part."""
    if units < 0:
        units = len(text)
    total = -(-units // size)
    if total > MAX_SEGMENTS:
        raise _too_long(total)
    last = units - size * (total - 1)  # the last part's units
    if total == 2:  # the commonest multipart message, built without a loop
        first, second = _TWO_PART_UDHS[reference]
        parts: tuple[Segment, ...] = (
            _tuple_new(Segment, (text[:size], size, first, encoding, None, None)),
            _tuple_new(Segment, (text[size:], last, second, encoding, None, None)),
        )
    else:
        head = _CONCAT8_HEAD + _BYTE[reference] + _BYTE[total]
        built = []
        for cut, sequence in _CUTS[size][: total - 1]:
            udh = head + sequence
            built.append(_tuple_new(Segment, (text[cut], size, udh, encoding, None, None)))
        chunk, udh = text[size * (total - 1) :], head + _SEQUENCE[total - 1]
        built.append(_tuple_new(Segment, (chunk, last, udh, encoding, None, None)))
        parts = tuple(built)
    remaining = size - last
    return _tuple_new(SegmentedMessage, (text, (), units, remaining, 8, reference, parts))


def _default_message(text: str, reference: int, grapheme_safe: bool) -> SegmentedMessage:
    """:func:`segment` of a text that is not ASCII, with no option but an 8-bit
    reference and ``grapheme_safe``: GSM-7 if every character allows it, else UCS-2.

    The UTF-16 encoding comes first: a character beyond the BMP (an emoji) is never
    GSM-7, so such a text needs no search for one that is not."""
    if "€" in text and (ascii_text := text.replace("€", "{")).isascii():
        # ASCII but for euro signs (a price): the same text with an ASCII escape in
        # their place screens as ASCII, character for character.
        screened = ascii_text.encode().translate(_SCREEN)
        return _ascii_message(text, screened, reference, grapheme_safe)
    try:
        data = _utf16(text)[0]
    except UnicodeEncodeError:
        ucs2_plan(text)  # raises the EncodingError that says where
        raise
    units = len(data) >> 1
    if units == len(text) and (doubles := _escapes(text)) is not None:
        units += len(doubles)
        if units <= GSM7_SINGLE_SEPTETS:
            return _one_part(text, units, _GSM7, GSM7_SINGLE_SEPTETS - units, reference)
        if not doubles or doubles[0] >= _before_last_part(units):
            return _even_message(text, GSM7_CONCAT_SEPTETS, _GSM7, reference, units)
        return _cut_message(text, doubles, units, reference)
    return _ucs2_message(text, units, reference, grapheme_safe, data)


def _escapes(text: str) -> list[int] | None:
    """Where ``text``'s escapes (extension characters) are; ``None`` if a character is
    not GSM-7. One regex pass finds both (GSM-7 text was scanned twice); a text with
    neither, or whose first such character is not GSM-7, costs one search."""
    found = _NOT_BASIC_RE.search(text)
    if found is None:
        return []
    if found.group() not in EXTENSION_CODES:
        return None
    escapes = [found.start()]
    for match in _NOT_BASIC_RE.finditer(text, found.end()):
        if match.group() not in EXTENSION_CODES:
            return None
        escapes.append(match.start())
    return escapes


# Any character outside the GSM-7 basic table: an escape or a character GSM-7 lacks.
_NOT_BASIC_RE = re.compile("[^" + re.escape("".join(BASIC_CODES)) + "]")


def _ascii_message(
    text: str, screened: bytes, reference: int, grapheme_safe: bool
) -> SegmentedMessage:
    """An ASCII text holding escapes (GSM-7) or a backtick or control character (UCS-2),
    or ASCII but for euro signs; ``screened``: its bytes through ``_SCREEN`` (a euro
    sign screened as an ASCII escape), which marks both kinds."""
    if _NOT_GSM in screened:
        return _ucs2_message(text, len(text), reference, grapheme_safe)
    units = len(text) + screened.count(_ESCAPE)  # an escape costs two septets
    if units <= GSM7_SINGLE_SEPTETS:  # one part: no need to locate the escapes
        return _one_part(text, units, _GSM7, GSM7_SINGLE_SEPTETS - units, reference)
    first = screened.find(_ESCAPE)
    if first >= _before_last_part(units):
        return _even_message(text, GSM7_CONCAT_SEPTETS, _GSM7, reference, units)
    escapes = []
    while first >= 0:  # a C-level find per escape (a regex pays for every character)
        escapes.append(first)
        first = screened.find(_ESCAPE, first + 1)
    return _cut_message(text, escapes, units, reference)


def _before_last_part(septets: int) -> int:
    """Characters before the last part when every earlier part is full.

    When no escape comes before that index, every earlier part holds 153 one-septet
    characters and the escapes all fall in the last part: the parts are cut evenly, as
    the greedy cut would cut them (a common case: a price or a {code} at the end)."""
    return GSM7_CONCAT_SEPTETS * ((septets - 1) // GSM7_CONCAT_SEPTETS)


def _ucs2_message(
    text: str, units: int, reference: int, grapheme_safe: bool, data: bytes = b""
) -> SegmentedMessage:
    """A UCS-2 text of ``units`` UTF-16 units; ``data``, its UTF-16-LE encoding, is
    read only when some character takes two units."""
    if units <= UCS2_SINGLE_UNITS:
        return _one_part(text, units, _UCS2, UCS2_SINGLE_UNITS - units, reference)
    if units != len(text):
        return _wide_message(text, data, units, reference, grapheme_safe)
    if not grapheme_safe or certain_cuts(text, UCS2_CONCAT_UNITS):
        return _even_message(text, UCS2_CONCAT_UNITS, _UCS2, reference)
    return _cluster_message(text, reference)  # a cluster may straddle a cut


def _cluster_message(text: str, reference: int) -> SegmentedMessage:
    """The parts of a UCS-2 text of one unit a character with a cluster that may
    straddle a cut: each part ends 67 characters after the previous one unless that
    cut is not a certain boundary and ``cluster_cut`` moves it back."""
    length = len(text)
    total = -(-length // UCS2_CONCAT_UNITS)
    if total > MAX_SEGMENTS:
        raise _too_long(total)
    head = _CONCAT8_HEAD + _BYTE[reference] + _BYTE[total]
    parts = []
    start = 0
    for sequence in _SEQUENCE:  # 255 parts at most
        end = start + UCS2_CONCAT_UNITS
        if end >= length:
            end = length
        elif not certain_boundary(text, end):
            end = cluster_cut(text, start, end)
        udh = head + sequence
        parts.append(_tuple_new(Segment, (text[start:end], end - start, udh, _UCS2, None, None)))
        if end == length:
            break
        start = end
    else:
        raise _cut_past_limit(text, ucs2_plan(text), True)
    return _assembled(text, length, parts, total, UCS2_CONCAT_UNITS - (end - start), reference)


def _wide_message(
    text: str, data: bytes, units: int, reference: int, grapheme_safe: bool
) -> SegmentedMessage:
    """The parts of a UCS-2 text with characters beyond the BMP, cut in units.

    Each part ends 67 units after the previous one, one earlier if that would split a
    surrogate pair (read from the UTF-16 high byte), and its text is its bytes
    decoded: no search for the astral characters, no bisection. A part whose 67
    characters are ASCII is those characters, with no decoding (an emoji in a text in
    English leaves most parts so). A cut beside a character that may join moves as in
    ``_cluster_message``."""
    total = -(-units // UCS2_CONCAT_UNITS)
    if total > MAX_SEGMENTS:
        raise _too_long(total)
    head = _CONCAT8_HEAD + _BYTE[reference] + _BYTE[total]
    parts = []
    start = start_unit = 0  # the part's first character, and its first unit
    for sequence in _SEQUENCE:  # 255 parts at most; the last part is built after
        end_unit = start_unit + UCS2_CONCAT_UNITS
        if end_unit >= units:
            break
        chunk = text[start : start + UCS2_CONCAT_UNITS]
        if not chunk.isascii():
            if data[2 * end_unit + 1] & 0xFC == 0xDC:  # a trail surrogate: keep the pair
                end_unit -= 1
            chunk = _utf16_decode(data[2 * start_unit : 2 * end_unit])[0]
        end = start + len(chunk)
        # certain_boundary's first test, inline: most cuts pass it, and a call per
        # cut costs more than the two look-ups.
        if (
            grapheme_safe
            and (chunk[-1] in UNSURE_BEFORE or text[end] in JOIN_PREVIOUS)
            and not certain_boundary(text, end)
        ):
            moved = cluster_cut(text, start, end)
            if moved != end:
                end_unit -= len(_utf16(text[moved:end])[0]) >> 1
                chunk, end = text[start:moved], moved
        udh = head + sequence
        parts.append(_tuple_new(Segment, (chunk, end_unit - start_unit, udh, _UCS2, None, None)))
        start, start_unit = end, end_unit
    else:
        raise _cut_past_limit(text, ucs2_plan(text, units), grapheme_safe)
    last = units - start_unit
    parts.append(_tuple_new(Segment, (text[start:], last, head + sequence, _UCS2, None, None)))
    return _assembled(text, units, parts, total, UCS2_CONCAT_UNITS - last, reference)


_utf16 = utf_16_le_encode  # text.encode("utf-16-le") less the codec look-up (~100 ns)
_utf16_decode = utf_16_le_decode


def _cut_message(text: str, doubles: list[int], units: int, reference: int) -> SegmentedMessage:
    """The multipart message of a text sent in the default alphabet with an 8-bit
    reference, whose escapes (at ``doubles``) cost two septets.

    What ``_split`` does for any plan (``cuts``, then ``_parts``), in one loop that
    cuts and builds each part: a part's units come from the cut's own search. Every
    header holds the number of parts, known only after the last cut: the loop writes
    the fewest the units allow, almost always right (a part ends short only by an
    escape), and the headers are written again when it was not.
    """
    multi = GSM7_CONCAT_SEPTETS
    total = -(-units // multi)
    if total > MAX_SEGMENTS:
        raise _too_long(total)
    head = _CONCAT8_HEAD + _BYTE[reference] + _BYTE[total]
    length = len(text)
    parts = []
    part_units = 0
    start = first = 0  # first: how many escapes precede start
    for sequence in _SEQUENCE:  # 255 parts at most
        # The largest end within budget (_cut's search, from the same start).
        end = start + multi
        if end > length:  # a comparison costs less than a call to min()
            end = length
        upto = bisect_left(doubles, end, first)
        over = end - start + upto - first - multi
        while over > 0:
            end -= (over + 1) // 2  # drops at most the overshoot: see _cut
            upto = bisect_left(doubles, end, first)
            over = end - start + upto - first - multi
        part_units = end - start + upto - first
        udh = head + sequence
        parts.append(_tuple_new(Segment, (text[start:end], part_units, udh, _GSM7, None, None)))
        if end == length:
            break
        start, first = end, upto
    else:
        raise _cut_past_limit(text, _gsm_plan(text), True)
    return _assembled(text, units, parts, total, multi - part_units, reference)


def _cut_past_limit(text: str, plan: Plan, grapheme_safe: bool) -> MessageTooLongError:
    """The error for a text whose units fit 255 full parts but whose cuts need more:
    the loops above stop there, and the count every entry point gives is the exact one
    (``count_parts`` cuts on to the end, as ``count_segments`` does)."""
    return _too_long(count_parts(text, plan, CONCAT8_IE_OCTETS, grapheme_safe))


def _assembled(
    text: str, units: int, parts: list[Segment], total: int, remaining: int, reference: int
) -> SegmentedMessage:
    """The message of ``parts`` cut one by one, their headers written for ``total``
    parts: written again when a part ended short enough to need one more."""
    if len(parts) != total:
        parts = _renumbered(parts, reference)
    return _tuple_new(SegmentedMessage, (text, (), units, remaining, 8, reference, tuple(parts)))


def _renumbered(parts: list[Segment], reference: int) -> list[Segment]:
    """``parts`` again, with headers that give their true number."""
    head = _CONCAT8_HEAD + _BYTE[reference] + _BYTE[len(parts)]
    renumbered = []
    for part, sequence in zip(parts, _SEQUENCE):  # noqa: B905
        chunk, units, _, encoding, _, _ = part
        udh = head + sequence
        renumbered.append(_tuple_new(Segment, (chunk, units, udh, encoding, None, None)))
    return renumbered


def _gsm_plan(text: str) -> Plan:
    """The default alphabet's plan; built as a plain tuple, as Plan's constructor runs
    Python code."""
    doubles = [match.start() for match in EXTENSION_RE.finditer(text)]
    return _tuple_new(Plan, (_GSM7, doubles, len(text) + len(doubles), None, None, 0))


def _default_plan(text: str) -> Plan:
    """The plan when no option is set: GSM-7 if every character allows it, else UCS-2."""
    if NON_GSM_RE.search(text) is None:
        return _gsm_plan(text)
    return ucs2_plan(text)


# (single-part, per-part) capacity by (is GSM-7, shift octets, reference bits): keys
# that hash in C, where an Encoding member runs Python code.
_CAPACITIES = {
    (encoding is _GSM7, shift, bits): capacities(
        Plan(encoding, (), 0, shift_octets=shift),
        CONCAT8_IE_OCTETS if bits == 8 else CONCAT16_IE_OCTETS,
    )
    for encoding in Encoding
    for shift in (0, 3, 6)
    for bits in (8, 16)
}


def _split(
    text: str,
    replacements: tuple[Replacement, ...],
    plan: Plan,
    bits: int,
    reference: int,
    grapheme_safe: bool,
) -> SegmentedMessage:
    """The message of ``text`` sent as ``plan`` says: cuts, then every part."""
    gsm = plan.encoding is _GSM7
    units, shift = plan.units, plan.shift_octets
    single, multi = _CAPACITIES[gsm, shift, bits]
    ies = _shift_ies(plan) if shift else b""
    if units <= single:
        udh = _BYTE[shift] + ies if shift else b""
        part = _tuple_new(Segment, (text, units, udh, plan.encoding, plan.locking, plan.single))
        return _message(text, replacements, (part,), units, single - units, bits, reference)
    if units > MAX_SEGMENTS * multi:
        raise _too_long(-(-units // multi))
    ends = cuts(text, plan, multi, grapheme_safe)
    if len(ends) > MAX_SEGMENTS:
        raise _too_long(len(ends))
    head = _udh_head(bits, reference, len(ends), shift)
    parts = _parts(text, ends, plan, head, ies)
    remaining = multi - span_units(plan.doubles, ends[-2], ends[-1])
    return _message(text, replacements, parts, units, remaining, bits, reference)


def _shift_ies(plan: Plan) -> bytes:
    # TS 23.040 9.2.3.24.15 / 9.2.3.24.16: IEI 0x24 single shift, 0x25 locking shift.
    alphabet = alphabet_for(plan.locking, plan.single)
    ies = b""
    if plan.single is not None:
        ies += bytes([0x24, 1, alphabet.single_id])
    if plan.locking is not None:
        ies += bytes([0x25, 1, alphabet.locking_id])
    return ies
