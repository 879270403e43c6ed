"""Which alphabet a text needs, and GSM-7 encoding (3GPP TS 23.038).

A text is sent in the GSM 7-bit default alphabet when every character is in the
basic table or the extension table (an extension character costs two septets:
ESC + code). One character outside both forces the whole message into UCS-2,
where each UTF-16 code unit costs two octets and an astral character (most emoji)
costs two units.

Importing this module registers a Python codec, so ``"hi €".encode("gsm03.38")``
gives the unpacked septets (one per byte, escapes included) and
``bytes.decode("gsm03.38")`` reverses it. Aliases: ``gsm0338``, ``gsm-7``, ``gsm7``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from ..errors import ConfigurationError, EncodingError
from ._gsm_tables import BASIC, ESCAPE, EXTENSION

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

__all__ = [
    "Encoding",
    "NonGsmCharacter",
    "detect_encoding",
    "gsm7_decode",
    "gsm7_encode",
    "non_gsm_characters",
    "pack_septets",
    "unpack_septets",
]


class Encoding(StrEnum):
    """The data coding a message is sent with. Values are stored: never renamed."""

    GSM7 = "gsm7"
    UCS2 = "ucs2"

    def __str__(self) -> str:
        return "GSM-7" if self is Encoding.GSM7 else "UCS-2"


@dataclass(frozen=True, slots=True)
class NonGsmCharacter:
    """A character that forces UCS-2, and every index where it occurs in the text."""

    char: str
    positions: tuple[int, ...]


# Tables derived once, at import, from the spec data.
BASIC_CODES: dict[str, int] = {char: code for code, char in enumerate(BASIC) if char is not None}
EXTENSION_CODES: dict[str, int] = {char: code for code, char in EXTENSION.items()}
EXTENSION_CHARS = "".join(EXTENSION_CODES)
_GSM_CHARS = "".join(BASIC_CODES) + EXTENSION_CHARS

NON_GSM_RE = re.compile("[^" + re.escape(_GSM_CHARS) + "]")
EXTENSION_RE = re.compile("[" + re.escape(EXTENSION_CHARS) + "]")
# str.translate maps: a basic character to its septet, an extension character to
# ESC + its code, in one C-level pass.
_ENCODE_MAP: dict[int, str] = {ord(c): chr(code) for c, code in BASIC_CODES.items()}
_ENCODE_MAP.update({ord(c): chr(ESCAPE) + chr(code) for c, code in EXTENSION_CODES.items()})


def _require_str(text: object, func: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{func}() takes a str, not {type(text).__name__}")
    return text


def detect_encoding(text: str) -> Encoding:
    """Return the cheapest encoding that can carry ``text``: GSM-7 if it can, else UCS-2.

    >>> str(detect_encoding("Your table is ready [2 guests]"))
    'GSM-7'
    >>> str(detect_encoding("Café ç"))
    'UCS-2'
    """
    _require_str(text, "detect_encoding")
    return Encoding.UCS2 if NON_GSM_RE.search(text) else Encoding.GSM7


def utf16_units(text: str) -> int:
    """UTF-16 code units of ``text``: a character beyond the BMP (an emoji) counts two,
    a lone surrogate one. What providers' character limits count (Twilio 21617)."""
    return len(text.encode("utf-16-le", "surrogatepass")) >> 1


def non_gsm_characters(text: str) -> tuple[NonGsmCharacter, ...]:
    """Each character that forces UCS-2, with all its positions, in order of first use.

    What a character counter in a UI highlights.

    >>> non_gsm_characters("Olá ç!")
    (NonGsmCharacter(char='á', positions=(2,)), NonGsmCharacter(char='ç', positions=(4,)))
    """
    _require_str(text, "non_gsm_characters")
    found: dict[str, list[int]] = {}
    for match in NON_GSM_RE.finditer(text):
        found.setdefault(match.group(), []).append(match.start())
    return tuple(NonGsmCharacter(char, tuple(pos)) for char, pos in found.items())


def gsm7_encode(text: str) -> bytes:
    """Encode ``text`` as unpacked septets: one byte (0-127) per septet, ESC included.

    Raises:
        EncodingError: a character is in neither GSM table (its position is given).

    >>> gsm7_encode("A€").hex()
    '411b65'
    """
    _require_str(text, "gsm7_encode")
    bad = NON_GSM_RE.search(text)
    if bad is not None:
        raise _not_gsm(text, bad.start())
    return text.translate(_ENCODE_MAP).encode("latin-1")


def _not_gsm(text: str, position: int) -> EncodingError:
    char = text[position]
    return EncodingError(
        f"character {char!r} (U+{ord(char):04X}) at position {position} is not in the GSM-7 "
        "alphabet; send as UCS-2 or replace it (smart encoding replaces look-alikes)",
        text=text,
        position=position,
        char=char,
    )


def gsm7_decode(data: bytes, errors: str = "strict") -> str:
    """Decode unpacked septets (one per byte) to text.

    An escape followed by a code the extension table does not define decodes as
    that code's basic character, as TS 23.038 6.2.1.1 tells a receiver to do.

    Args:
        data: unpacked septets.
        errors: ``"strict"`` raises on a byte above 0x7F or a trailing escape;
            ``"replace"`` puts U+FFFD there; ``"ignore"`` drops it.

    Raises:
        EncodingError: (strict) a byte above 0x7F, or an escape at the very end.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"gsm7_decode() takes bytes, not {type(data).__name__}")
    substitute = _error_substitute(errors, "\ufffd")
    chars: list[str] = []
    escaped = False
    for position, code in enumerate(bytes(data)):
        if code > 0x7F:
            if substitute is not None:
                chars.append(substitute)
                escaped = False
                continue
            raise EncodingError(
                f"byte 0x{code:02X} at position {position} is not a septet (must be 0x00-0x7F)",
                text="",
                position=position,
                char=chr(code),
            )
        if escaped:
            chars.append(EXTENSION.get(code) or BASIC[code] or " ")
            escaped = False
        elif code == ESCAPE:
            escaped = True
        else:
            chars.append(BASIC[code] or " ")
    if escaped and substitute is not None:
        chars.append(substitute)
    elif escaped:
        raise EncodingError(
            "septets end with an escape (0x1B) that has no character after it",
            text="",
            position=len(data) - 1,
            char="\x1b",
        )
    return "".join(chars)


def pack_septets(septets: bytes, *, fill_bits: int = 0) -> bytes:
    """Pack septets into octets, least significant bit first (TS 23.038 6.1.2.1.1).

    Args:
        septets: unpacked septets, one per byte (as :func:`gsm7_encode` returns).
        fill_bits: zero bits placed before the first septet, so it starts on a
            septet boundary after a User Data Header (TS 23.040 9.2.3.24): for a
            UDH of ``n`` octets, ``(7 - (n * 8) % 7) % 7``.

    >>> pack_septets(gsm7_encode("hellohello")).hex()
    'e8329bfd4697d9ec37'
    """
    _check_fill_bits(fill_bits)
    if isinstance(septets, int | str):
        raise TypeError(f"septets: give bytes, one septet per byte, not {type(septets).__name__}")
    try:
        codes = bytes(septets)
    except (TypeError, ValueError):
        raise ConfigurationError(
            "septets must each be an int 0x00-0x7F", field="septets"
        ) from None
    if any(code > 0x7F for code in codes):
        raise ConfigurationError("septets must each be 0x00-0x7F", field="septets")
    # A small accumulator, not one big integer shifted per septet (quadratic).
    out = bytearray()
    acc, bits = 0, fill_bits
    for code in codes:
        acc |= code << bits
        bits += 7
        if bits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            bits -= 8
    if bits:
        out.append(acc)
    return bytes(out)


def _check_fill_bits(fill_bits: int) -> None:
    if isinstance(fill_bits, bool) or not isinstance(fill_bits, int):
        raise TypeError(f"fill_bits: give an int 0-6, not {type(fill_bits).__name__}")
    if not 0 <= fill_bits <= 6:
        raise ConfigurationError("fill_bits must be 0-6 (bits before the first septet)",
                                 field="fill_bits")


def unpack_septets(data: bytes, count: int | None = None, *, fill_bits: int = 0) -> bytes:
    """Unpack octets into septets, one per byte: the inverse of :func:`pack_septets`.

    Args:
        data: packed octets (after any UDH).
        count: how many septets to read (the TP-UDL of a PDU). Without it every
            whole septet is returned, so 7 trailing zero bits read as one extra
            ``@``; pass ``count`` when you know it.
        fill_bits: the fill bits before the first septet.
    """
    _check_fill_bits(fill_bits)
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"data: give packed octets as bytes, not {type(data).__name__}")
    available = max((len(data) * 8 - fill_bits) // 7, 0)
    if count is None:
        count = available
    elif isinstance(count, bool) or not isinstance(count, int):
        raise TypeError(f"count: give a whole number of septets, not {type(count).__name__}")
    elif not 0 <= count <= available:
        raise ConfigurationError(
            f"count must be 0 to {available} septets for {len(data)} octets",
            field="count",
        )
    out = bytearray()
    acc, bits = 0, -fill_bits
    for octet in bytes(data):
        if len(out) >= count:
            break
        acc |= octet << bits if bits >= 0 else octet >> -bits
        bits += 8
        while bits >= 7 and len(out) < count:
            out.append(acc & 0x7F)
            acc >>= 7
            bits -= 7
    return bytes(out)


# The codec: str <-> unpacked septets.
_CODEC_NAMES = frozenset({"gsm03.38", "gsm03_38", "gsm0338", "gsm_7", "gsm7"})


def _error_substitute(errors: str, replacement: str) -> str | None:
    """What an error handler name puts in place of a bad character (None: raise)."""
    if errors == "strict":
        return None
    if errors == "replace":
        return replacement
    if errors == "ignore":
        return ""
    raise ConfigurationError(
        f"errors must be 'strict', 'replace' or 'ignore', not {errors!r}", field="errors"
    )


def _codec_encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
    substitute = _error_substitute(errors, "?")
    if substitute is None:
        return gsm7_encode(text), len(text)
    return gsm7_encode(NON_GSM_RE.sub(substitute, text)), len(text)


def _codec_decode(data: ReadableBuffer, errors: str = "strict") -> tuple[str, int]:
    octets = bytes(data)
    return gsm7_decode(octets, errors), len(octets)


def _search(name: str) -> codecs.CodecInfo | None:
    if name not in _CODEC_NAMES:
        return None
    return codecs.CodecInfo(_codec_encode, _codec_decode, name="gsm03.38")


codecs.register(_search)
