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

from collections.abc import Callable, Iterable
from dataclasses import FrozenInstanceError
from itertools import compress
from operator import itemgetter
from operator import not_ as _not
from typing import NamedTuple

from ..errors import ConfigurationError, EncodingError, MessageTooLongError
from ._batch import SEP as _SEP
from ._batch import latin1_counts, screen
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
    full_cuts_keep_clusters,
    gsm_plan,
    may_join,
    plans_for,
    span_units,
    ucs2_plan,
)
from ._smart import Replacement, smart_candidates
from .encoding import (
    EXTENSION_RE,
    NON_GSM_RE,
    Encoding,
    NonGsmCharacter,
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

class _Form(NamedTuple):
    """How a message's parts are encoded: one value per message, shared by its parts."""

    encoding: Encoding
    locking_shift: str | None
    single_shift: str | None


class _Parts(NamedTuple):
    """What a message is built from; its parts follow from these."""

    text: str
    replacements: tuple[Replacement, ...]
    plan: Plan
    ends: tuple[int, ...]  # where each part ends
    capacity: int  # units per part (single or multipart)
    reference_bits: int
    reference: int


def _frozen(self: object, name: str, value: object = None) -> None:
    raise FrozenInstanceError(f"cannot assign to or delete field {name!r}")


# Segment and SegmentedMessage are plain classes whose state is one tuple in one
# slot, not frozen dataclasses: a message and its parts are made for every text
# sent, and filling one slot costs a fraction of what a frozen dataclass's
# field-by-field __init__ does. Public fields are read-only properties.


class Segment:
    """One SMS of a message: an immutable value.

    Attributes:
        text: the characters this part carries.
        units: septets (GSM-7, escapes counted) or UTF-16 code units (UCS-2).
        udh: the User Data Header, UDHL included; ``b""`` for a single plain SMS.
        encoding: GSM-7 or UCS-2.
        locking_shift: national locking-shift table in use, if any.
        single_shift: national single-shift table in use, if any.
    """

    __slots__ = ("_fields",)
    __match_args__ = ("text", "units", "udh", "encoding", "locking_shift", "single_shift")
    _fields: tuple[str, int, bytes, _Form]

    def __init__(
        self,
        text: str,
        units: int,
        udh: bytes,
        encoding: Encoding,
        locking_shift: str | None = None,
        single_shift: str | None = None,
    ) -> None:
        _SET_SEGMENT(self, (text, units, udh, _Form(encoding, locking_shift, single_shift)))

    __setattr__ = _frozen
    __delattr__ = _frozen

    @property
    def text(self) -> str:
        return self._fields[0]

    @property
    def units(self) -> int:
        return self._fields[1]

    @property
    def udh(self) -> bytes:
        return self._fields[2]

    @property
    def encoding(self) -> Encoding:
        return self._fields[3].encoding

    @property
    def locking_shift(self) -> str | None:
        return self._fields[3].locking_shift

    @property
    def single_shift(self) -> str | None:
        return self._fields[3].single_shift

    def __eq__(self, other: object) -> bool:
        if type(other) is not Segment:
            return NotImplemented
        return self._fields == other._fields

    def __hash__(self) -> int:
        return hash(self._fields)

    def __repr__(self) -> str:
        text, units, udh, (encoding, locking, single) = self._fields
        return (
            f"Segment(text={text!r}, units={units!r}, udh={udh!r}, encoding={encoding!r}, "
            f"locking_shift={locking!r}, single_shift={single!r})"
        )

    def __reduce__(self) -> tuple[type[Segment], tuple[object, ...]]:
        text, units, udh, form = self._fields
        return Segment, (text, units, udh, *form)

    @property
    def user_data(self) -> bytes:
        """The whole TP-User-Data: ``udh`` then the packed septets or UTF-16-BE units.

        Never longer than 140 octets. Computed on access, so counting and
        splitting do not pay for packing.
        """
        text, _, udh, (encoding, locking, single) = self._fields
        if encoding is Encoding.UCS2:
            return udh + text.encode("utf-16-be")
        if locking is None and single is None:
            septets = gsm7_encode(text)
        else:
            septets = alphabet_for(locking, single).encode(text)
        fill = (7 - (len(udh) * 8) % 7) % 7
        return udh + pack_septets(septets, fill_bits=fill)


class SegmentedMessage:
    """A text split into the SMS parts it will be sent as: an immutable value.

    Attributes:
        text: the text sent (after smart encoding, when it was asked for and helped).
        replacements: what smart encoding changed (positions in the original text).

    The other attributes (``encoding``, ``segments``, ``segment_count``, ``units``,
    ``remaining``, ``non_gsm``, ``locking_shift``, ``single_shift``) are read-only
    properties computed from the cuts :func:`segment` made.
    """

    __slots__ = ("_fields", "_segments")
    _fields: _Parts
    _segments: tuple[Segment, ...] | None

    def __init__(self, fields: _Parts) -> None:
        _SET_FIELDS(self, fields)
        _SET_SEGMENTS(self, None)

    __setattr__ = _frozen
    __delattr__ = _frozen

    def _key(self) -> tuple[object, ...]:
        # Everything the parts are built from; the positions of two-unit characters
        # follow from the text and the plan's tables.
        text, replacements, plan, ends, _, bits, reference = self._fields
        return (text, replacements, plan.encoding, plan.locking, plan.single, ends, bits, reference)

    def __eq__(self, other: object) -> bool:
        if type(other) is not SegmentedMessage:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __reduce__(self) -> tuple[type[SegmentedMessage], tuple[_Parts]]:
        return SegmentedMessage, (self._fields,)

    def __repr__(self) -> str:
        return (
            f"SegmentedMessage(encoding={self.encoding.value!r}, "
            f"segment_count={self.segment_count}, units={self.units}, "
            f"remaining={self.remaining}, text={self.text!r})"
        )

    @property
    def text(self) -> str:
        return self._fields.text

    @property
    def replacements(self) -> tuple[Replacement, ...]:
        return self._fields.replacements

    @property
    def encoding(self) -> Encoding:
        """GSM-7 or UCS-2."""
        return self._fields.plan.encoding

    @property
    def units(self) -> int:
        """Septets (escapes counted) or UTF-16 units of the whole text, without headers."""
        return self._fields.plan.units

    @property
    def segment_count(self) -> int:
        """How many SMS are sent (and billed)."""
        return len(self._fields.ends)

    @property
    def remaining(self) -> int:
        """Units that can still be added before another part is needed (what a counter shows)."""
        _, _, plan, ends, capacity, _, _ = self._fields
        last_start = ends[-2] if len(ends) > 1 else 0
        return capacity - span_units(plan.doubles, last_start, ends[-1])

    @property
    def locking_shift(self) -> str | None:
        """National locking-shift table used, if any."""
        return self._fields.plan.locking

    @property
    def single_shift(self) -> str | None:
        """National single-shift table used, if any."""
        return self._fields.plan.single

    @property
    def segments(self) -> tuple[Segment, ...]:
        """The parts, in order. Every cut is computed by :func:`segment`; the
        :class:`Segment` objects are built on first access and kept."""
        parts = self._segments
        if parts is None:
            parts = _build_segments(self._fields)
            _SET_SEGMENTS(self, parts)
        return parts

    @property
    def non_gsm(self) -> tuple[NonGsmCharacter, ...]:
        """Characters outside the GSM-7 default alphabet, with their positions in ``text``.

        What forced UCS-2 (or a national table); what a counter UI highlights.
        """
        return non_gsm_characters(self.text)


def _slot_setter(cls: type, name: str) -> Callable[[object, object], None]:
    # The slot's own descriptor: how the values are filled despite the __setattr__
    # that keeps them immutable for everyone else.
    setter: Callable[[object, object], None] = cls.__dict__[name].__set__
    return setter


_SET_SEGMENT = _slot_setter(Segment, "_fields")
_SET_FIELDS = _slot_setter(SegmentedMessage, "_fields")
_SET_SEGMENTS = _slot_setter(SegmentedMessage, "_segments")
_new = object.__new__
_tuple_new = tuple.__new__
# One header byte per sequence number, made once: bytes([n]) per part costs more.
_BYTE = tuple(bytes([code]) for code in range(256))


def _build_segments(fields: _Parts) -> tuple[Segment, ...]:
    """The parts, from the cuts: no validation, no re-encoding, one header prefix."""
    text, _, plan, ends, _, bits, reference = fields
    if plan.shift_octets:
        form = _Form(plan.encoding, plan.locking, plan.single)
        ies = _shift_ies(plan)
    else:
        form, ies = _PLAIN_FORMS[plan.encoding is _GSM7], b""
    if len(ends) == 1:
        part = _new(Segment)
        _SET_SEGMENT(part, (text, plan.units, _BYTE[len(ies)] + ies if ies else b"", form))
        return (part,)
    head = _udh_head(bits, reference, len(ends), len(ies))
    doubles = plan.doubles
    parts = []
    start = 0
    for sequence, end in enumerate(ends, 1):
        units = span_units(doubles, start, end) if doubles else end - start
        part = _new(Segment)
        _SET_SEGMENT(part, (text[start:end], units, head + _BYTE[sequence] + ies, form))
        parts.append(part)
        start = end
    return tuple(parts)


# The two forms without national tables, by "is GSM-7" (hashing an enum member
# runs Python code; a bool does not).
_PLAIN_FORMS = {True: _Form(Encoding.GSM7, None, None), False: _Form(Encoding.UCS2, None, None)}
_GSM7 = Encoding.GSM7  # read once: an enum member costs a lookup on every use


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


def _default_plan(text: str) -> Plan:
    """The plan when no option is set: GSM-7 if every character allows it, else UCS-2."""
    if text.isascii() and not text.encode("ascii").translate(None, PLAIN_ASCII):
        return _tuple_new(Plan, (_GSM7, (), len(text), None, None, 0))  # the commonest text
    if NON_GSM_RE.search(text) is None:
        return gsm_plan(text)
    return ucs2_plan(text)


def _count_gsm(text: str, septets: int | None, grapheme_safe: bool) -> int:
    if septets is None:
        septets = len(text) + len(EXTENSION_RE.findall(text))
    if septets <= GSM7_SINGLE_SEPTETS:
        return 1
    # Plain GSM-7 keeps no clusters, only escape pairs: most counts need no cutting.
    bounded = bounded_count(septets, GSM7_CONCAT_SEPTETS)
    if bounded is not None:
        return bounded
    return count_parts(text, gsm_plan(text), CONCAT8_IE_OCTETS, grapheme_safe)


def _count_ucs2(text: str, grapheme_safe: bool) -> int:
    try:
        units = len(text.encode("utf-16-le")) >> 1
    except UnicodeEncodeError:
        return count_parts(text, ucs2_plan(text), CONCAT8_IE_OCTETS, grapheme_safe)  # raises
    if units <= UCS2_SINGLE_UNITS:
        return 1
    if units == len(text):  # one unit per character: every part full, unless a cut moves
        if not grapheme_safe or full_cuts_keep_clusters(text, UCS2_CONCAT_UNITS):
            return -(-units // UCS2_CONCAT_UNITS)
        if units <= MAX_SEGMENTS * UCS2_CONCAT_UNITS:
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
    elif NON_GSM_RE.search(text) is None:
        count = _count_gsm(text, None, grapheme_safe)
    else:
        count = _count_ucs2(text, grapheme_safe)
    if count > MAX_SEGMENTS:
        raise _too_long(count)
    return count


# Texts a batch screens at once: a few hundred. Joining a whole large list in one
# piece costs page faults and cache misses (measured: 512 long texts, about 270 KB
# joined, take twice the time of two chunks of 256); smaller chunks pay the
# screen's fixed cost more often (128: about 10% slower on the mix).
_CHUNK = 256


def _count_chunk(chunk: list[str]) -> list[int]:
    """Counts of a chunk of texts, screened together in C loops (see ``_batch``).

    The ASCII texts are screened apart from the others, so that a text in another
    script does not send them all the way of the wider texts. A text the screen
    leaves at 0 is counted on its own. Raises on a bad text without saying which:
    the caller finds it.
    """
    is_ascii = list(map(str.isascii, chunk))
    if all(is_ascii):
        counts = latin1_counts(chunk, _SEP.join(chunk).encode("ascii"))
    else:
        ascii_texts = list(compress(chunk, is_ascii))
        ascii_counts = iter(latin1_counts(ascii_texts, _SEP.join(ascii_texts).encode("ascii")))
        other_counts = iter(screen(list(compress(chunk, map(_not, is_ascii)))))
        # Each text's count from its group's iterator, in order (C-level maps).
        counts = list(map(next, map((other_counts, ascii_counts).__getitem__, is_ascii)))
    if 0 in counts:  # a C-level scan; the loop only when some text was left
        for index in compress(range(len(chunk)), map(_not, counts)):
            counts[index] = count_segments(chunk[index])
    return counts


def _each(chunk: list[str], offset: int, count: Callable[[str], int]) -> list[int]:
    """``count`` of each text; an error names the text's index in the whole batch."""
    counts = []
    for index, text in enumerate(chunk, offset):
        try:
            counts.append(count(_check_text(text, "count_many")))
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
    counts: list[int] = []
    for start in range(0, len(batch), _CHUNK):
        chunk = batch[start : start + _CHUNK]
        try:
            counts += _count_chunk(chunk)
        except (TypeError, ValueError, IndexError):  # not a str, a lone surrogate, too long
            counts += _each(chunk, start, count_segments)  # raises, saying which text
    return counts


def _measure(text: str) -> tuple[int, int, bool]:
    """Segments, units and whether UCS-2 for one text, by the same paths as count_segments."""
    if type(text) is not str:
        _check_text(text, "measure_many")
    if text.isascii():
        specials = text.encode("ascii").translate(None, PLAIN_ASCII)
        if not specials:
            length = len(text)
            return (1 if length <= GSM7_SINGLE_SEPTETS else -(-length // GSM7_CONCAT_SEPTETS)), (
                length
            ), False
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
        EncodingError: a text holds a lone surrogate.
        MessageTooLongError: a text needs more than 255 segments.
    """
    if isinstance(texts, str):
        raise TypeError("measure_many() takes an iterable of texts, not one str")
    measured = list(map(_measure, texts))
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
        _check_text(text, "segment")
    langs = _check_options(reference_bits, reference, languages)
    concat = CONCAT8_IE_OCTETS if reference_bits == 8 else CONCAT16_IE_OCTETS
    replacements: tuple[Replacement, ...] = ()
    if encoding is None and not smart and not langs:
        chosen, plan = text, _default_plan(text)  # the cuts below give the count
    else:
        chosen, replacements, _, plan = _choose(
            text, _check_encoding(encoding), smart, langs, concat, grapheme_safe
        )
    single, multi = capacities(plan, concat)
    if plan.units <= single:
        ends: tuple[int, ...] = (len(chosen),)
        capacity = single
    else:
        if plan.units > MAX_SEGMENTS * multi:
            raise _too_long(-(-plan.units // multi))
        ends, capacity = tuple(cuts(chosen, plan, multi, grapheme_safe)), multi
        if len(ends) > MAX_SEGMENTS:
            raise _too_long(len(ends))
    message = _new(SegmentedMessage)
    # A plain tuple made into _Parts: a NamedTuple's own constructor runs Python code.
    fields = (chosen, replacements, plan, ends, capacity, reference_bits, reference)
    _SET_FIELDS(message, _tuple_new(_Parts, fields))
    _SET_SEGMENTS(message, None)
    return message


def _shift_ies(plan: Plan) -> bytes:
    if not plan.shift_octets:
        return b""
    # TS 23.040 9.2.3.24.15 / 9.2.3.24.16: IEI 0x24 single shift, 0x25 locking shift.
    alphabet = alphabet_for(plan.locking, plan.single)
    ies = b""
    if plan.single is not None:
        ies += bytes([0x24, 1, alphabet.single_id])
    if plan.locking is not None:
        ies += bytes([0x25, 1, alphabet.locking_id])
    return ies
