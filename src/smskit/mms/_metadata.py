"""Dropping what a photo says about where and by whom it was taken, without re-encoding.

A phone's JPEG carries EXIF (GPS position, camera, time), XMP (often the same GPS
again), and sometimes more after its end-of-image marker: the secondary images of a
multi-picture file (an iPhone's HDR gain map, with its own EXIF) or a motion photo's
video (whose ``©xyz`` atom is a position too). Sent to every buyer on a list, a
listing photo would tell them where the seller lives. These functions keep the
pixels byte for byte and keep what changes how the picture looks (JPEG tables, the
colour profile, the Adobe colour-transform marker, the EXIF orientation, rewritten
as a one-entry EXIF) and drop the rest. Pure Python, no Pillow needed.
"""

from __future__ import annotations

import struct
import zlib
from typing import Final

__all__: list[str] = []  # private: used by fit_image

_SOI: Final = b"\xff\xd8"
_EOI_CODE: Final = 0xD9
_SOS_CODE: Final = 0xDA
_COM_CODE: Final = 0xFE
_APP0, _APP1, _APP2, _APP14, _APP15 = 0xE0, 0xE1, 0xE2, 0xEE, 0xEF
_NO_LENGTH: Final = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM, RST0-7
_EXIF_HEADER: Final = b"Exif\x00\x00"
_ICC_HEADER: Final = b"ICC_PROFILE\x00"
_ORIENTATION_TAG: Final = 0x0112
_GPS_IFD_TAG: Final = 0x8825
_GPS_POSITION_TAGS: Final = frozenset({2, 4})  # GPSLatitude, GPSLongitude
_XMP_HEADER: Final = b"http://ns.adobe.com/xap/1.0/\x00"
#: PNG chunks that carry words or EXIF, never pixels or colour: dropped.
_PNG_TEXT_CHUNKS: Final = frozenset({b"tEXt", b"zTXt", b"iTXt", b"tIME", b"eXIf"})
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
_PNG_POSITION_KEYWORDS: Final = frozenset(
    {b"XML:com.adobe.xmp", b"Raw profile type exif", b"Raw profile type APP1"}
)
_PNG_TEXT_INFLATE: Final = 1 << 20  # most bytes of a compressed text inflated to look for GPS


def _kept(code: int, body: bytes) -> bool:
    """Whether a JPEG marker segment changes how the picture decodes or looks."""
    if code == _COM_CODE:
        return False
    if _APP0 <= code <= _APP15:
        # JFIF (APP0), the ICC profile (APP2 ICC_PROFILE) and Adobe (APP14, which says
        # whether the channels are YCbCr or RGB/CMYK) affect the colours; EXIF is
        # rebuilt apart; XMP, MPF, IPTC and the rest only describe.
        return code in (_APP0, _APP14) or (code == _APP2 and body.startswith(_ICC_HEADER))
    return True


def _ifd(tiff: bytes, at: int | None = None) -> dict[int, tuple[int, int]]:
    """The entries of a TIFF IFD (IFD0 unless ``at``): tag -> (type, offset of its value).

    Empty for anything unreadable: these are hints read from untrusted files.
    """
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return {}
    order = "<" if tiff[:2] == b"II" else ">"
    if at is None:
        (at,) = struct.unpack_from(order + "I", tiff, 4)
    if at + 2 > len(tiff):
        return {}
    (count,) = struct.unpack_from(order + "H", tiff, at)
    entries: dict[int, tuple[int, int]] = {}
    for entry in range(at + 2, min(at + 2 + 12 * count, len(tiff) - 11), 12):
        tag, kind = struct.unpack_from(order + "HH", tiff, entry)
        entries.setdefault(tag, (kind, entry + 8))
    return entries


def _short_or_long(tiff: bytes, kind: int, at: int) -> int | None:
    order = "<" if tiff[:2] == b"II" else ">"
    if kind == 3:  # SHORT
        return int(struct.unpack_from(order + "H", tiff, at)[0])
    if kind == 4:  # LONG
        return int(struct.unpack_from(order + "I", tiff, at)[0])
    return None


def exif_orientation(tiff: bytes) -> int:
    """The orientation (1-8) in EXIF's TIFF structure, 1 when absent or unreadable."""
    kind, at = _ifd(tiff).get(_ORIENTATION_TAG, (0, 0))
    value = _short_or_long(tiff, kind, at) if kind == 3 else None
    return value if value is not None and 1 <= value <= 8 else 1


def exif_has_position(tiff: bytes) -> bool:
    """Whether EXIF's GPS IFD gives a latitude or a longitude (tags 2 and 4)."""
    kind, at = _ifd(tiff).get(_GPS_IFD_TAG, (0, 0))
    pointer = _short_or_long(tiff, kind, at)
    if pointer is None:
        return False
    return bool(_GPS_POSITION_TAGS & _ifd(tiff, pointer).keys())


def app1_has_position(body: bytes) -> bool:
    """Whether a JPEG APP1 segment (EXIF or XMP) gives where the picture was taken."""
    if body.startswith(_EXIF_HEADER):
        return exif_has_position(body[len(_EXIF_HEADER):])
    if body.startswith(_XMP_HEADER):
        return xmp_has_position(body)
    return False


def xmp_has_position(xmp: bytes) -> bool:
    """Whether XMP text names a GPS latitude or longitude (exif:GPSLatitude, ...)."""
    return b"GPSLatitude" in xmp or b"GPSLongitude" in xmp


def png_text_has_position(kind: bytes, body: bytes) -> bool:
    """Whether a PNG text chunk (tEXt, zTXt, iTXt) gives where the picture was taken.

    Two keywords can: ``XML:com.adobe.xmp`` (XMP, as Adobe's XMP part 3 places it) and
    ``Raw profile type exif`` or ``APP1`` (ImageMagick's hex copy of a JPEG's EXIF, which
    Pillow reads as the image's EXIF). tEXt: keyword NUL text; zTXt: keyword NUL method
    zlib-text; iTXt: keyword NUL flag method language NUL translated NUL text (zlib when
    the flag is 1). At most ``_PNG_TEXT_INFLATE`` bytes are inflated from an untrusted file.
    """
    keyword, _, rest = body.partition(b"\x00")
    if keyword not in _PNG_POSITION_KEYWORDS:
        return False
    compressed = kind == b"zTXt"
    if kind == b"zTXt":
        rest = rest[1:]
    elif kind == b"iTXt":
        parts = rest[2:].split(b"\x00", 2)
        if len(rest) < 2 or len(parts) < 3:
            return False
        compressed, rest = rest[0] == 1, parts[2]
    elif kind != b"tEXt":
        return False
    if compressed:
        try:
            rest = zlib.decompressobj().decompress(rest, _PNG_TEXT_INFLATE)
        except zlib.error:
            return False
    if keyword == b"XML:com.adobe.xmp":
        return xmp_has_position(rest)
    # "\n<name>\n<length>\n" then hex lines, as Pillow reads it; a cut-short read keeps
    # its whole bytes.
    digits = bytes(b for b in b"".join(rest.split(b"\n")[3:]) if b not in b" \t\r")
    try:
        exif = bytes.fromhex(digits[: len(digits) // 2 * 2].decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return False
    return app1_has_position(exif) or exif_has_position(exif)


def orientation_tiff(orientation: int) -> bytes:
    """A TIFF structure with one IFD entry: the orientation (big-endian)."""
    return (
        b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1)
        + struct.pack(">HHIHH", _ORIENTATION_TAG, 3, 1, orientation, 0)
        + struct.pack(">I", 0)
    )


def _segment(code: int, body: bytes) -> bytes:
    return bytes((0xFF, code)) + struct.pack(">H", len(body) + 2) + body


def strip_jpeg(data: bytes) -> bytes:
    """The JPEG's first image with only what affects its look (see the module docstring).

    A JPEG this cannot walk (a header cut short) is returned with what could be
    walked rebuilt and the rest as it was: the policy flags such a file already.
    """
    out, offset = [_SOI], 2
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            # Stray bytes between segments: libjpeg and Pillow skip to the next marker
            # (and still read the EXIF after them), so the walk must too; stopping here
            # copied the rest, GPS included. The stray bytes themselves are dropped.
            found = data.find(b"\xff", offset)
            if found < 0:
                break
            offset = found
            continue
        code = data[offset + 1]
        if code == 0xFF:  # fill byte
            offset += 1
            continue
        if code == _EOI_CODE:
            out.append(data[offset:offset + 2])
            return b"".join(out)  # anything after the first image is dropped
        if code in _NO_LENGTH:
            out.append(data[offset:offset + 2])
            offset += 2
            continue
        (length,) = struct.unpack_from(">H", data, offset + 2)
        end = offset + 2 + length
        body = data[offset + 4:end]
        if code == _APP1 and body.startswith(_EXIF_HEADER):
            orientation = exif_orientation(body[len(_EXIF_HEADER):])
            if orientation != 1:  # the only EXIF field that changes how it is shown
                out.append(_segment(_APP1, _EXIF_HEADER + orientation_tiff(orientation)))
        elif _kept(code, body):
            out.append(data[offset:end])
        offset = end
        if code == _SOS_CODE:
            offset = _scan_end(data, offset)
            out.append(data[end:offset])
    out.append(data[offset:])  # cut short: kept as it was
    return b"".join(out)


def _scan_end(data: bytes, offset: int) -> int:
    """Offset of the first marker after entropy-coded data (stuffed 0xFF00 and RSTn skipped)."""
    while True:
        found = data.find(b"\xff", offset)
        if found < 0 or found + 1 >= len(data):
            return len(data)
        following = data[found + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            offset = found + 1
            continue
        return found


def strip_png(data: bytes) -> bytes:
    """The PNG without text, time and EXIF chunks (an EXIF orientation is kept alone)."""
    out, offset = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while offset + 12 <= len(data):
        (length,) = struct.unpack_from(">I", data, offset)
        kind = data[offset + 4:offset + 8]
        end = offset + 12 + length
        if kind == b"eXIf":
            orientation = exif_orientation(data[offset + 8:offset + 8 + length])
            if orientation != 1:
                tiff = orientation_tiff(orientation)
                crc = zlib.crc32(b"eXIf" + tiff)
                out.append(struct.pack(">I", len(tiff)) + b"eXIf" + tiff + struct.pack(">I", crc))
        elif kind not in _PNG_TEXT_CHUNKS:
            out.append(data[offset:end])
        offset = end
        if kind == b"IEND":
            return b"".join(out)  # anything after the image is dropped
    out.append(data[offset:])
    return b"".join(out)
