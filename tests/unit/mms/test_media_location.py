"""sniff_media tells whether a photo gives the GPS position where it was taken, and
MmsPolicy warns (user38): a listing photo texted to every buyer told them where the
seller lives, and nothing said so.

The files are laid out by hand from the specifications (JPEG: ITU T.81 markers; EXIF 2.3:
an APP1 segment holding "Exif\\0\\0" and a TIFF 6.0 structure whose IFD0 tag 0x8825 points
to the GPS IFD, tags 2 GPSLatitude and 4 GPSLongitude; PNG: the eXIf chunk), so what is
expected comes from them, not from smskit.
"""

from __future__ import annotations

import struct
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

import media_helpers as mh
from smskit.findings import Severity
from smskit.messenger._results import _media_data, _media_from
from smskit.mms import MmsPolicy, sniff_media
from smskit.routes import Route


def _tiff(gps_tags: tuple[int, ...] | None, *, little: bool = False) -> bytes:
    """TIFF header, IFD0 with Make (and the GPS IFD pointer), then the GPS IFD."""
    o = "<" if little else ">"
    head = (b"II*\x00" if little else b"MM\x00*") + struct.pack(o + "I", 8)
    entries = [struct.pack(o + "HHI4s", 0x010F, 2, 4, b"Acm\x00")]  # Make, ASCII, inline
    gps_at = 8 + 2 + 12 * 2 + 4
    if gps_tags is not None:
        entries.append(struct.pack(o + "HHII", 0x8825, 4, 1, gps_at))  # LONG pointer
    ifd0 = struct.pack(o + "H", len(entries)) + b"".join(entries) + struct.pack(o + "I", 0)
    ifd0 = ifd0.ljust(gps_at - 8, b"\x00")
    if gps_tags is None:
        return head + ifd0
    gps = struct.pack(o + "H", len(gps_tags)) + b"".join(
        struct.pack(o + "HHII", tag, 5, 3, 0) for tag in gps_tags  # RATIONAL x3
    ) + struct.pack(o + "I", 0)
    return head + ifd0 + gps


def _jpeg_with_app1(body: bytes) -> bytes:
    plain = mh.jpeg(640, 480)
    app1 = b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    return plain[:2] + app1 + plain[2:]


def _png_with_exif(tiff: bytes) -> bytes:
    plain = mh.png(4, 3)
    chunk = struct.pack(">I", len(tiff)) + b"eXIf" + tiff
    chunk += struct.pack(">I", zlib.crc32(b"eXIf" + tiff))
    at = plain.index(b"IDAT") - 4  # before IDAT
    return plain[:at] + chunk + plain[at:]


@pytest.mark.parametrize(
    ("gps_tags", "little", "expected"),
    [((0, 1, 2, 3, 4), False, True), ((2,), True, True), ((4,), False, True),
     ((0, 6), False, False), (None, False, False)],
    ids=["full-gps", "latitude-little-endian", "longitude", "version-and-altitude-only",
         "no-gps-ifd"],
)
def test_a_jpeg_and_a_png_say_whether_they_give_a_position(
    gps_tags: tuple[int, ...] | None, little: bool, expected: bool
) -> None:
    tiff = _tiff(gps_tags, little=little)
    jpeg = sniff_media(_jpeg_with_app1(b"Exif\x00\x00" + tiff))
    assert (jpeg.content_type, jpeg.width, jpeg.location) == ("image/jpeg", 640, expected)
    png = sniff_media(_png_with_exif(tiff))
    assert (png.content_type, png.truncated, png.location) == ("image/png", False, expected)


def test_xmp_gps_counts_and_other_formats_are_not_read_for_it() -> None:
    xmp = (b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><rdf:Description "
           b'exif:GPSLatitude="37,46.494N"/></x:xmpmeta>')
    assert sniff_media(_jpeg_with_app1(xmp)).location is True
    assert sniff_media(mh.jpeg(8, 8)).location is False
    assert sniff_media(mh.gif(8, 8)).location is None
    assert sniff_media(b"%PDF-1.4\n").location is None


def test_the_policy_warns_and_can_be_made_to_block() -> None:
    photo = sniff_media(_jpeg_with_app1(b"Exif\x00\x00" + _tiff((1, 2, 3, 4))))
    verdict = MmsPolicy(route=Route.TEN_DLC).check([photo], text="12 Oak St")
    assert verdict.ok
    (finding,) = verdict.per_attachment[0]
    assert (finding.code, finding.severity) == ("mms.location_metadata", Severity.WARNING)
    assert "fit_image" in finding.message
    strict = MmsPolicy(route=Route.TEN_DLC,
                       severities={"mms.location_metadata": Severity.BLOCK})
    assert not strict.check([photo], text="12 Oak St").ok


def test_the_outbox_keeps_the_fact_and_reads_older_entries_as_not_looked_at() -> None:
    photo = sniff_media(_jpeg_with_app1(b"Exif\x00\x00" + _tiff((2, 4))))
    kept = _media_from(_media_data(photo))
    assert kept == photo
    older = {k: v for k, v in _media_data(photo).items() if k != "location"}
    assert _media_from(older).location is None


@given(st.binary(max_size=200), st.integers(0, 0xFFFF))
def test_any_app1_body_is_read_without_error(body: bytes, length: int) -> None:
    """A damaged EXIF (any bytes, any length field) never raises from sniff_media."""
    data = _jpeg_with_app1(b"Exif\x00\x00" + body)
    data = data[:4] + struct.pack(">H", length) + data[6:]
    assert sniff_media(data).location in (True, False)


@pytest.mark.parametrize("compressed", [False, True], ids=["itxt", "itxt-compressed"])
def test_a_png_with_xmp_gps_gives_a_position(compressed: bool) -> None:
    # review: a PNG exported with XMP (keyword "XML:com.adobe.xmp" in an iTXt chunk, as
    # the PNG specification's 3rd edition and Adobe's XMP part 3 place it) holding
    # exif:GPSLatitude was reported location=False, a definite "no position".
    xmp = (b'<x:xmpmeta><rdf:Description exif:GPSLatitude="37,46.494N" '
           b'exif:GPSLongitude="122,25.164W"/></x:xmpmeta>')
    text = zlib.compress(xmp) if compressed else xmp
    # iTXt: keyword, NUL, compression flag, method, language tag NUL, translated NUL, text.
    body = b"XML:com.adobe.xmp\x00" + bytes((int(compressed), 0)) + b"\x00\x00" + text
    chunk = struct.pack(">I", len(body)) + b"iTXt" + body
    chunk += struct.pack(">I", zlib.crc32(b"iTXt" + body))
    plain = mh.png(4, 3)
    at = plain.index(b"IDAT") - 4
    png = sniff_media(plain[:at] + chunk + plain[at:])
    assert (png.content_type, png.truncated, png.location) == ("image/png", False, True)
    # The same chunk with no GPS in its XMP is no position.
    empty = b"XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta/>"
    chunk = struct.pack(">I", len(empty)) + b"iTXt" + empty
    chunk += struct.pack(">I", zlib.crc32(b"iTXt" + empty))
    assert sniff_media(plain[:at] + chunk + plain[at:]).location is False


def _webp_with(chunks: list[tuple[bytes, bytes]], flags: int) -> bytes:
    """WebP extended format (VP8X with the EXIF 0x08 and XMP 0x04 flags), then chunks."""
    vp8x = bytes([flags, 0, 0, 0]) + (639).to_bytes(3, "little") + (479).to_bytes(3, "little")
    body = b"".join(
        kind + struct.pack("<I", len(data)) + data + b"\x00" * (len(data) % 2)
        for kind, data in [(b"VP8X", vp8x), *chunks]
    )
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def test_a_webp_says_whether_its_exif_or_xmp_gives_a_position() -> None:
    # review: Telnyx takes WebP (user38), and WebP carries EXIF and XMP in chunks of
    # those names after the image (the WebP container specification), but sniff_media did
    # not read them: a WebP listing photo with GPS drew no mms.location_metadata.
    image = (b"VP8L", b"\x2f" + bytes(4))
    exif = sniff_media(_webp_with([image, (b"EXIF", _tiff((1, 2, 3, 4)))], 0x08))
    assert (exif.content_type, exif.width, exif.location) == ("image/webp", 640, True)
    xmp = b'<x:xmpmeta><rdf:Description exif:GPSLongitude="122,25.164W"/></x:xmpmeta>'
    assert sniff_media(_webp_with([image, (b"XMP ", xmp)], 0x04)).location is True
    # Some writers keep the JPEG "Exif\0\0" prefix in the chunk.
    prefixed = (b"EXIF", b"Exif\x00\x00" + _tiff((2,), little=True))
    assert sniff_media(_webp_with([image, prefixed], 0x08)).location is True
    assert sniff_media(_webp_with([image, (b"EXIF", _tiff((0, 6)))], 0x08)).location is False
    assert sniff_media(mh.webp_lossless(8, 8)).location is False  # no room for metadata
    # fit_image does not take a WebP: the warning says to convert it first.
    verdict = MmsPolicy(route=Route.TEN_DLC, provider="telnyx").check([exif])
    (finding,) = verdict.per_attachment[0]
    assert finding.code == "mms.location_metadata"
    assert "convert it to JPEG or PNG" in finding.message


@pytest.mark.parametrize("kind", [b"zTXt", b"tEXt"])
def test_a_png_with_a_raw_exif_profile_gives_a_position(kind: bytes) -> None:
    # review: ImageMagick keeps a JPEG's EXIF in a PNG as a hex "Raw profile type exif"
    # text chunk (zTXt as a rule), which Pillow reads as the image's EXIF; a floor plan
    # converted from a phone photo that way was reported location=False.
    pytest.importorskip("PIL")
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (37.0, 46.0, 29.64), 3: "W", 4: (122.0, 25.0, 9.84)}
    tiff = exif.tobytes()  # "Exif\0\0" and the TIFF structure, as ImageMagick keeps it
    hexed = tiff.hex()
    text = (f"\nexif\n{len(tiff):8d}\n" + "\n".join(
        hexed[i:i + 72] for i in range(0, len(hexed), 72)) + "\n").encode()
    body = b"Raw profile type exif\x00" + (
        b"\x00" + zlib.compress(text) if kind == b"zTXt" else text)
    chunk = struct.pack(">I", len(body)) + kind + body
    chunk += struct.pack(">I", zlib.crc32(kind + body))
    plain = mh.png(4, 3)
    at = plain.index(b"IDAT") - 4
    data = plain[:at] + chunk + plain[at:]
    with Image.open(io.BytesIO(data)) as image:
        assert image.getexif().get_ifd(0x8825)  # Pillow reads the position from it
    assert sniff_media(data).location is True
    # The same profile with a GPS IFD giving no position is none.
    tiff = b"Exif\x00\x00" + _tiff((0, 6))
    text = f"\nexif\n{len(tiff):8d}\n{tiff.hex()}\n".encode()
    body = b"Raw profile type exif\x00" + text
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + body))
    assert sniff_media(plain[:at] + chunk + plain[at:]).location is False


@given(st.sampled_from([b"tEXt", b"zTXt", b"iTXt"]),
       st.sampled_from([b"XML:com.adobe.xmp", b"Raw profile type exif", b"Comment"]),
       st.binary(max_size=120))
def test_any_png_text_chunk_is_read_without_error(kind: bytes, keyword: bytes,
                                                  rest: bytes) -> None:
    from smskit.mms._metadata import png_text_has_position

    assert png_text_has_position(kind, keyword + b"\x00" + rest) in (True, False)
