"""Media sniffing: what a file really is, from its first bytes, with no dependencies.

Formats are recognised by their signatures ("magic bytes"); image pixel sizes
come from the header fields each format defines (PNG IHDR, GIF logical screen,
JPEG start-of-frame, WebP VP8/VP8L/VP8X, BMP info header, HEIF ``ispe``).
Every parser reads through a bounds-checked :class:`MediaReader`, so a
truncated or hostile input ends the walk instead of raising.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from ._limits import canonical_type
from ._metadata import (
    app1_has_position,
    exif_has_position,
    png_text_has_position,
    xmp_has_position,
)
from ._reader import MediaInput, MediaReader, open_media

__all__: list[str] = []  # private module: public names are re-exported by smskit.mms

#: Bytes of the head used to recognise text formats.
_TEXT_PREFIX: Final = 4096
#: Most markers, chunks or boxes a header walk visits before giving up.
_MAX_STEPS: Final = 4096


class MediaKind(StrEnum):
    """Broad family of a media file. Values are stored."""

    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    TEXT = "text"
    DOCUMENT = "document"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What the bytes of one attachment are.

    Attributes:
        content_type: the media type the bytes show (``"image/png"``), ``None``
            when they match no known format (empty input included).
        kind: broad family, ``UNKNOWN`` when unrecognised.
        size: size in bytes of the whole input.
        width: pixel width for images whose header gives it, else ``None``.
        height: pixel height, likewise.
        animated: for GIF, PNG and WebP: whether it has more than one frame;
            ``None`` for other formats.
        truncated: the header or the format's end marker is missing, so the
            file was probably cut short.
        declared_type: the content type the sender declared, if given.
        compatible_types: every type these bytes may be honestly declared as
            (an MP4 container may be ``video/mp4`` or ``audio/mp4``).
        location: whether the header gives the GPS position where the picture was
            taken (EXIF GPS latitude or longitude, or XMP GPS, in a JPEG, a PNG
            before its image data, or a WebP); ``None`` for formats not read for it
            (only JPEG, PNG and WebP are).

    .. versionadded:: 0.1.0
    """

    content_type: str | None
    kind: MediaKind
    size: int
    width: int | None = None
    height: int | None = None
    animated: bool | None = None
    truncated: bool = False
    declared_type: str | None = None
    compatible_types: frozenset[str] = field(default=frozenset())
    location: bool | None = None

    @property
    def type_mismatch(self) -> bool:
        """The declared type is given and the bytes cannot honestly be that type."""
        if self.declared_type is None or self.content_type is None:
            return False
        return canonical_type(self.declared_type) not in self.compatible_types

    @property
    def is_image(self) -> bool:
        """The bytes are an image."""
        return self.kind is MediaKind.IMAGE


@dataclass(frozen=True, slots=True)
class _Sniffed:
    content_type: str
    kind: MediaKind
    width: int | None = None
    height: int | None = None
    animated: bool | None = None
    truncated: bool = False
    also: frozenset[str] = frozenset()
    location: bool | None = None


def sniff_media(data: MediaInput, *, declared_type: str | None = None) -> MediaInfo:
    """Tell what media the bytes are, from their header, without third-party code.

    Only the header (and, for a few formats, the last bytes) is read: a 50 MB
    file given as a path or file object is never read whole, and ``bytes`` or
    a ``memoryview`` is never copied.

    Args:
        data: the media as ``bytes``, ``bytearray``, ``memoryview``, a
            ``pathlib.Path``, or a seekable binary file object (left at the
            position it had).
        declared_type: the Content-Type the sender declares for it; kept in
            the result so :class:`MmsPolicy` can report a mismatch.

    Returns:
        The sniffed :class:`MediaInfo`. Unrecognised or empty input gives
        ``content_type=None`` rather than an error.

    Raises:
        MediaError: ``data`` is not one of the accepted input kinds, or a file
            cannot be read.
        TypeError: ``declared_type`` is neither a str nor ``None``.

    Example:
        >>> info = sniff_media(b"GIF89a\\x02\\x00\\x03\\x00\\x00\\x00\\x00;")
        >>> info.content_type, info.width, info.height
        ('image/gif', 2, 3)

    .. versionadded:: 0.1.0
    """
    if declared_type is not None and not isinstance(declared_type, str):
        raise TypeError(
            f"declared_type must be a str such as 'image/jpeg' (decode a header's bytes "
            f"first), not {type(declared_type).__name__}"
        )
    with open_media(data) as reader:
        sniffed = _sniff(reader)
        size = reader.size
    if sniffed is None:
        return MediaInfo(None, MediaKind.UNKNOWN, size, declared_type=declared_type)
    return MediaInfo(
        content_type=sniffed.content_type,
        kind=sniffed.kind,
        size=size,
        width=sniffed.width,
        height=sniffed.height,
        animated=sniffed.animated,
        truncated=sniffed.truncated,
        declared_type=declared_type,
        compatible_types=frozenset({sniffed.content_type}) | sniffed.also,
        location=sniffed.location,
    )


def _sniff(reader: MediaReader) -> _Sniffed | None:
    head = reader.read(0, 64)
    if not head:
        return None
    for signature, parse in _SIGNATURES:
        if head.startswith(signature):
            return parse(reader, head)
    if head[4:8] == b"ftyp":
        return _iso_bmff(reader, head)
    if head[4:8] in _QUICKTIME_ATOMS:
        return _Sniffed("video/quicktime", MediaKind.VIDEO)
    if head.startswith(b"RIFF") and len(head) >= 12:
        return _riff(reader, head)
    if head.startswith(b"BM"):
        return _bmp(reader, head)
    # FF FE is also an MPEG-1 Layer I sync with CRC: try UTF-16 text first.
    if head.startswith(_UTF16_BOMS) and (text := _text(reader)) is not None:
        return text
    if _is_mpeg_audio(head):
        return _Sniffed("audio/mpeg", MediaKind.AUDIO)
    if _is_adts(head):
        return _Sniffed("audio/aac", MediaKind.AUDIO, also=frozenset({"audio/aacp"}))
    return _text(reader)


# --- helpers -------------------------------------------------------------------------------


def _u16be(b: bytes, at: int) -> int:
    return int.from_bytes(b[at : at + 2], "big")


def _u32be(b: bytes, at: int) -> int:
    return int.from_bytes(b[at : at + 4], "big")


def _u16le(b: bytes, at: int) -> int:
    return int.from_bytes(b[at : at + 2], "little")


# --- images --------------------------------------------------------------------------------

_JPEG_SOF: Final = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_NO_LENGTH: Final = frozenset({0x01, *range(0xD0, 0xD8)})
_JPEG_APP1: Final = 0xE1
_JPEG_STRAY_READ: Final = 256  # most stray bytes skipped between two segments
#: Most bytes of a PNG eXIf chunk read for a GPS position (a JPEG's EXIF fits in 64 kB).
_PNG_EXIF_READ: Final = 65_536


def _jpeg(reader: MediaReader, head: bytes) -> _Sniffed:
    offset, steps, location = 2, 0, False
    while steps < _MAX_STEPS:
        steps += 1
        marker = reader.read(offset, 2)
        if len(marker) == 2 and marker[0] != 0xFF:
            # Stray bytes between segments: libjpeg and Pillow skip to the next marker
            # (and read the EXIF after them), so a few are skipped here too.
            skip = reader.read(offset, _JPEG_STRAY_READ).find(b"\xff")
            if skip < 0:
                break
            offset += skip
            continue
        if len(marker) < 2:
            break
        if marker[1] == 0xFF:  # fill byte before a marker
            offset += 1
            continue
        code = marker[1]
        if code in _JPEG_NO_LENGTH:
            offset += 2
            continue
        segment = reader.read(offset + 2, 7)
        if len(segment) < 2:
            break
        if code == _JPEG_APP1:  # EXIF or XMP (at most 64 kB): a GPS position?
            location = location or app1_has_position(
                reader.read(offset + 4, _u16be(segment, 0) - 2))
        if code in _JPEG_SOF:
            if len(segment) < 7:
                break
            height, width = _u16be(segment, 3), _u16be(segment, 5)
            # A JPEG with appended data (e.g. a motion photo) also lacks a final EOI.
            ended = b"\xff\xd9" in reader.tail(32)
            return _Sniffed(
                "image/jpeg", MediaKind.IMAGE, width or None, height or None,
                truncated=not ended, location=location,
            )
        if code in (0xD9, 0xDA):  # end of image / start of scan before any frame header
            break
        offset += 2 + _u16be(segment, 0)
    return _Sniffed("image/jpeg", MediaKind.IMAGE, truncated=True, location=location)


def _png(reader: MediaReader, head: bytes) -> _Sniffed:
    if head[12:16] != b"IHDR" or len(head) < 24:
        return _Sniffed("image/png", MediaKind.IMAGE, truncated=True)
    width, height = _u32be(head, 16), _u32be(head, 20)
    animated, complete, location = False, False, False
    offset = 8
    for _ in range(_MAX_STEPS):
        chunk = reader.read(offset, 8)
        if len(chunk) < 8:
            break
        kind = chunk[4:8]
        if kind == b"acTL":
            animated = True
        if kind == b"eXIf":  # before IDAT, as the PNG specification's 3rd edition wants
            length = min(_u32be(chunk, 0), _PNG_EXIF_READ)
            location = location or exif_has_position(reader.read(offset + 8, length))
        if kind in (b"tEXt", b"zTXt", b"iTXt"):  # XMP or ImageMagick's hex EXIF may too
            length = min(_u32be(chunk, 0), _PNG_EXIF_READ)
            location = location or png_text_has_position(kind, reader.read(offset + 8, length))
        if kind in (b"IDAT", b"IEND"):
            complete = True
            break
        offset += 12 + _u32be(chunk, 0)
    ended = b"IEND\xaeB`\x82" in reader.tail(64)
    return _Sniffed(
        "image/png", MediaKind.IMAGE, width or None, height or None, animated,
        truncated=not (complete and ended), also=frozenset({"image/apng"}) if animated else
        frozenset(), location=location,
    )


def _gif(reader: MediaReader, head: bytes) -> _Sniffed:
    if len(head) < 13:
        return _Sniffed("image/gif", MediaKind.IMAGE, truncated=True)
    width, height = _u16le(head, 6), _u16le(head, 8)
    offset = 13
    if head[10] & 0x80:
        offset += 3 * (2 << (head[10] & 0x07))
    frames, ended = _gif_frames(reader, offset)
    return _Sniffed(
        "image/gif", MediaKind.IMAGE, width or None, height or None, frames > 1,
        truncated=not ended,
    )


def _gif_frames(reader: MediaReader, offset: int) -> tuple[int, bool]:
    """Count image descriptors up to two; also say whether the trailer was reached."""
    frames = 0
    while frames < 2:
        introducer = reader.read(offset, 1)
        if introducer == b";":
            return frames, True
        if introducer == b"!":
            offset = _skip_sub_blocks(reader, offset + 2)
        elif introducer == b",":
            descriptor = reader.read(offset + 1, 9)
            if len(descriptor) < 9:
                break
            frames += 1
            offset += 10
            if descriptor[8] & 0x80:
                offset += 3 * (2 << (descriptor[8] & 0x07))
            offset = _skip_sub_blocks(reader, offset + 1)  # after the LZW code size
        else:
            break
        if offset < 0:
            break
    # Stopping at the second frame is not a truncation: the file may go on.
    return frames, frames >= 2 and reader.tail(1) == b";"


_GIF_CHUNK: Final = 64 * 1024


def _skip_sub_blocks(reader: MediaReader, offset: int) -> int:
    """Offset after a chain of GIF data sub-blocks, or -1 if the data runs out."""
    # Each sub-block is a length byte and up to 255 bytes: walk them in chunks
    # so a large frame costs one read per chunk, not one per sub-block.
    while True:
        chunk = reader.read(offset, _GIF_CHUNK)
        if not chunk:
            return -1
        at, end = 0, len(chunk)
        while at < end:
            length = chunk[at]
            if length == 0:
                return offset + at + 1
            at += 1 + length
        offset += at


def _riff(reader: MediaReader, head: bytes) -> _Sniffed | None:
    form = head[8:12]
    if form == b"WAVE":
        return _Sniffed("audio/wav", MediaKind.AUDIO)
    if form == b"AVI ":
        return _Sniffed("video/x-msvideo", MediaKind.VIDEO, also=frozenset({"video/avi"}))
    if form != b"WEBP":
        return _text(reader)
    chunk, body = head[12:16], head[20:]
    width = height = None
    animated = False
    if chunk == b"VP8 " and len(body) >= 10 and body[3:6] == b"\x9d\x01\x2a":
        width, height = _u16le(body, 6) & 0x3FFF, _u16le(body, 8) & 0x3FFF
    elif chunk == b"VP8L" and len(body) >= 5 and body[0] == 0x2F:
        bits = int.from_bytes(body[1:5], "little")
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    elif chunk == b"VP8X" and len(body) >= 10:
        animated = bool(body[0] & 0x02)
        width = int.from_bytes(body[4:7], "little") + 1
        height = int.from_bytes(body[7:10], "little") + 1
    # Only the extended format (VP8X) has room for metadata; its flags (0x08 EXIF,
    # 0x04 XMP) say whether there is any.
    location: bool | None = None if width is None else False
    if chunk == b"VP8X" and width is not None and body[0] & 0x0C:
        location = _webp_location(reader)
    return _Sniffed(
        "image/webp", MediaKind.IMAGE, width or None, height or None, animated,
        truncated=width is None, location=location,
    )


def _webp_location(reader: MediaReader) -> bool:
    """Whether a WebP's EXIF or XMP chunk (after the image, as a rule) gives a position."""
    offset = 12
    for _ in range(_MAX_STEPS):
        chunk = reader.read(offset, 8)
        if len(chunk) < 8:
            break
        kind, length = chunk[:4], int.from_bytes(chunk[4:8], "little")
        body = reader.read(offset + 8, min(length, _PNG_EXIF_READ)) if kind in (
            b"EXIF", b"XMP ") else b""
        # Some writers keep the "Exif\0\0" prefix of a JPEG's APP1 segment in EXIF.
        if (kind == b"EXIF" and (app1_has_position(body) or exif_has_position(body))) or (
                kind == b"XMP " and xmp_has_position(body)):
            return True
        offset += 8 + length + (length & 1)  # chunks are padded to an even size
    return False


_BMP_HEADER_SIZES: Final = frozenset({12, 40, 52, 56, 64, 108, 124})


def _bmp(reader: MediaReader, head: bytes) -> _Sniffed | None:
    if len(head) < 26 or int.from_bytes(head[14:18], "little") not in _BMP_HEADER_SIZES:
        return _text(reader)
    if int.from_bytes(head[14:18], "little") == 12:
        width, height = _u16le(head, 18), _u16le(head, 20)
    else:
        width = int.from_bytes(head[18:22], "little", signed=True)
        height = abs(int.from_bytes(head[22:26], "little", signed=True))  # < 0: top-down
    return _Sniffed(
        "image/bmp", MediaKind.IMAGE, width if width > 0 else None, height or None,
        truncated=reader.size < int.from_bytes(head[2:6], "little"),
    )


# --- ISO base media (MP4, 3GP, QuickTime, HEIF) --------------------------------------------

_QUICKTIME_ATOMS: Final = frozenset({b"moov", b"mdat", b"wide", b"pnot"})
_HEIC_BRANDS: Final = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"})
_AVIF_BRANDS: Final = frozenset({b"avif", b"avis"})
_HEIF_BRANDS: Final = frozenset({b"mif1", b"msf1"})
_AUDIO_MP4_BRANDS: Final = frozenset({b"M4A ", b"M4B ", b"M4P "})


def _iso_bmff(reader: MediaReader, head: bytes) -> _Sniffed:
    size = _u32be(head, 0)
    ftyp = reader.read(8, max(0, min(size, 4096) - 8))
    major = ftyp[:4]
    brands = {major} | {ftyp[i : i + 4] for i in range(8, len(ftyp) - 3, 4)}
    if brands & (_HEIC_BRANDS | _AVIF_BRANDS | _HEIF_BRANDS):
        if major in _AVIF_BRANDS or (brands & _AVIF_BRANDS and not brands & _HEIC_BRANDS):
            content_type = "image/avif"
        elif brands & _HEIC_BRANDS:
            content_type = "image/heic"
        else:
            content_type = "image/heif"
        width, height = _heif_size(reader)
        also = frozenset({"image/heif", "image/heic"}) - {content_type}
        return _Sniffed(content_type, MediaKind.IMAGE, width, height, also=also)
    if major == b"qt  ":
        return _Sniffed("video/quicktime", MediaKind.VIDEO)
    # 3GPP brands are 3gp*, 3gr*, 3gs*, 3ge*, 3gg*, ...; 3GPP2 ones are 3g2*.
    if major.startswith(b"3g2"):
        return _Sniffed("video/3gpp2", MediaKind.VIDEO, also=frozenset({"audio/3gpp2"}))
    if major.startswith(b"3g"):
        return _Sniffed("video/3gpp", MediaKind.VIDEO, also=frozenset({"audio/3gpp"}))
    if major in _AUDIO_MP4_BRANDS:
        return _Sniffed("audio/mp4", MediaKind.AUDIO, also=frozenset({"video/mp4"}))
    return _Sniffed("video/mp4", MediaKind.VIDEO, also=frozenset({"audio/mp4"}))


def _boxes(reader: MediaReader, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """(type, payload start, box end) of the ISO boxes laid out in [start, end)."""
    found: list[tuple[bytes, int, int]] = []
    offset = start
    while offset + 8 <= end and len(found) < _MAX_STEPS:
        header = reader.read(offset, 16)
        if len(header) < 8:
            break
        size, payload = _u32be(header, 0), offset + 8
        if size == 1:  # 64-bit size follows the type
            if len(header) < 16:
                break
            size, payload = int.from_bytes(header[8:16], "big"), offset + 16
        elif size == 0:  # extends to the end of the enclosing box
            size = end - offset
        if size < payload - offset:
            break
        found.append((header[4:8], payload, min(offset + size, end)))
        offset += size
    return found


def _heif_size(reader: MediaReader) -> tuple[int | None, int | None]:
    """Largest ``ispe`` (image spatial extent) under meta/iprp/ipco.

    The primary image of a tiled HEIC is the grid, whose extent is the largest;
    thumbnails and tiles are smaller.
    """
    best: tuple[int, int] | None = None
    for kind, payload, end in _boxes(reader, 0, reader.size):
        if kind != b"meta":
            continue
        for kind2, payload2, end2 in _boxes(reader, payload + 4, end):  # meta is a full box
            if kind2 != b"iprp":
                continue
            for kind3, payload3, end3 in _boxes(reader, payload2, end2):
                if kind3 != b"ipco":
                    continue
                for kind4, payload4, _ in _boxes(reader, payload3, end3):
                    extent = reader.read(payload4 + 4, 8) if kind4 == b"ispe" else b""
                    if len(extent) == 8:
                        size = (_u32be(extent, 0), _u32be(extent, 4))
                        if best is None or size[0] * size[1] > best[0] * best[1]:
                            best = size
        break
    return best if best is not None else (None, None)


# --- audio, documents, text ----------------------------------------------------------------


def _is_mpeg_audio(head: bytes) -> bool:
    """An MPEG audio frame header with a valid layer, bit rate and sample rate."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 0x03, (head[1] >> 1) & 0x03
    bitrate, sample_rate = head[2] >> 4, (head[2] >> 2) & 0x03
    return version != 1 and layer != 0 and bitrate not in (0, 15) and sample_rate != 3


def _is_adts(head: bytes) -> bool:
    """An AAC ADTS header: 12-bit sync, layer 0, a valid sampling index."""
    return (
        len(head) >= 7 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0
        and (head[2] >> 2) & 0x0F < 13
    )


def _id3(reader: MediaReader, head: bytes) -> _Sniffed:
    """An ID3v2 tag, then the audio it tags: usually MP3, sometimes AAC (ADTS)."""
    mp3 = _Sniffed("audio/mpeg", MediaKind.AUDIO)
    if len(head) < 10:
        return mp3
    # Tag size: four 7-bit "syncsafe" bytes, not counting the 10-byte header
    # nor a 10-byte footer (flag 0x10).
    size = sum((b & 0x7F) << (7 * (3 - i)) for i, b in enumerate(head[6:10]))
    frame = reader.read(10 + size + (10 if head[5] & 0x10 else 0), 7)
    if _is_adts(frame):
        return _Sniffed("audio/aac", MediaKind.AUDIO, also=frozenset({"audio/aacp"}))
    return mp3


def _ogg(reader: MediaReader, head: bytes) -> _Sniffed:
    also = frozenset({"audio/ogg", "video/ogg", "application/ogg"})
    if b"\x80theora" in head:
        return _Sniffed("video/ogg", MediaKind.VIDEO, also=also)
    return _Sniffed("audio/ogg", MediaKind.AUDIO, also=also)


def _matroska(reader: MediaReader, head: bytes) -> _Sniffed:
    if b"webm" in head:
        return _Sniffed("video/webm", MediaKind.VIDEO, also=frozenset({"audio/webm"}))
    return _Sniffed("video/x-matroska", MediaKind.VIDEO, also=frozenset({"audio/x-matroska"}))


_ZIP_FAMILY: Final = frozenset({
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.apple.pkpass",
})


_Parser = Callable[[MediaReader, bytes], "_Sniffed | None"]


def _fixed(content_type: str, kind: MediaKind, also: frozenset[str] = frozenset()) -> _Parser:
    def parse(reader: MediaReader, head: bytes) -> _Sniffed:
        return _Sniffed(content_type, kind, also=also)

    return parse


_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
# vCard 2.1 and vCalendar 1.0 allow white space around the colon ("BEGIN : VCARD").
_TEXT_FORMATS: Final = (
    (re.compile(r"begin[ \t]*:[ \t]*vcard\b", re.IGNORECASE), "text/vcard"),
    (re.compile(r"begin[ \t]*:[ \t]*vcalendar\b", re.IGNORECASE), "text/calendar"),
    (re.compile(r"\{\\rtf"), "text/rtf"),
)


_UTF16_BOMS: Final = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _text(reader: MediaReader) -> _Sniffed | None:
    """UTF-8 text, or UTF-16 text after a byte-order mark, without control
    characters (a cut multi-byte tail is allowed)."""
    prefix = reader.read(0, _TEXT_PREFIX)
    whole = len(prefix) == reader.size
    encoding = "utf-8"
    if prefix.startswith(codecs.BOM_UTF16_LE):
        encoding, prefix = "utf-16-le", prefix[2:]
    elif prefix.startswith(codecs.BOM_UTF16_BE):
        encoding, prefix = "utf-16-be", prefix[2:]
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        text = decoder.decode(prefix, final=whole)
    except UnicodeDecodeError:
        return None
    text = text.removeprefix("\ufeff")
    if not text.strip() or _CONTROL.search(text):
        return None
    # Almost any even run of bytes decodes as UTF-16: binary after FF FE shows
    # itself by unassigned, private-use or replacement characters.
    if encoding != "utf-8" and any(
        ch in "\ufeff\ufffd" or unicodedata.category(ch) in ("Cn", "Co") for ch in text
    ):
        return None
    start = text.lstrip()
    for pattern, content_type in _TEXT_FORMATS:
        if pattern.match(start):
            return _Sniffed(content_type, MediaKind.TEXT)
    return _Sniffed("text/plain", MediaKind.TEXT, also=frozenset({"text/csv"}))


_SIGNATURES: Final[tuple[tuple[bytes, _Parser], ...]] = (
    (b"\xff\xd8\xff", _jpeg),
    (b"\x89PNG\r\n\x1a\n", _png),
    (b"GIF87a", _gif),
    (b"GIF89a", _gif),
    (b"II*\x00", _fixed("image/tiff", MediaKind.IMAGE)),
    (b"MM\x00*", _fixed("image/tiff", MediaKind.IMAGE)),
    (b"%PDF-", _fixed("application/pdf", MediaKind.DOCUMENT)),
    (b"#!AMR-WB\n", _fixed("audio/amr-wb", MediaKind.AUDIO)),
    (b"#!AMR\n", _fixed("audio/amr", MediaKind.AUDIO)),
    (b"ID3", _id3),
    (b"OggS", _ogg),
    (b"fLaC", _fixed("audio/flac", MediaKind.AUDIO)),
    (b"\x1aE\xdf\xa3", _matroska),
    (b"PK\x03\x04", _fixed("application/zip", MediaKind.DOCUMENT, _ZIP_FAMILY)),
)
