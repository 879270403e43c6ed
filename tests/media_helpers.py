"""Hand-built media files for the sniffing tests, written from each format's spec.

Each builder lays out the header fields named in the format's specification,
so the expected content type and pixel size in the tests come from the spec,
not from smskit.
"""

from __future__ import annotations

import struct
import zlib


def png(width: int, height: int, *, animated: bool = False) -> bytes:
    """PNG (ISO/IEC 15948): signature, IHDR, [acTL], IDAT, IEND, with real CRCs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    actl = chunk(b"acTL", struct.pack(">II", 2, 0)) if animated else b""
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + actl
        + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


def gif(width: int, height: int, *, frames: int = 1) -> bytes:
    """GIF89a: logical screen descriptor, then one image descriptor per frame, trailer."""
    out = b"GIF89a" + struct.pack("<HHBBB", width, height, 0, 0, 0)
    for _ in range(frames):
        out += b"!\xf9\x04\x00\x0a\x00\x00\x00"  # graphic control extension, 0.1 s
        out += b"," + struct.pack("<HHHHB", 0, 0, width, height, 0)
        out += b"\x02\x02\x4c\x01\x00"  # LZW min code size 2, one 2-byte sub-block, end
    return out + b";"


def jpeg(width: int, height: int, *, scan_bytes: int = 16) -> bytes:
    """Baseline JPEG (ITU T.81): SOI, APP0 JFIF, SOF0, SOS, entropy data, EOI."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00\x00\x3f\x00"
    return b"\xff\xd8" + app0 + sof0 + sos + b"\x12" * scan_bytes + b"\xff\xd9"


def webp_vp8x(width: int, height: int, *, animated: bool) -> bytes:
    """WebP extended format: RIFF/WEBP, VP8X chunk with flags and canvas size minus one."""
    flags = 0x02 if animated else 0x00
    body = bytes([flags, 0, 0, 0]) + (width - 1).to_bytes(3, "little")
    body += (height - 1).to_bytes(3, "little")
    chunk = b"VP8X" + struct.pack("<I", len(body)) + body
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def webp_lossless(width: int, height: int) -> bytes:
    """WebP lossless: VP8L chunk, signature 0x2f, 14-bit width-1 and height-1."""
    bits = (width - 1) | ((height - 1) << 14)
    body = b"\x2f" + bits.to_bytes(4, "little")
    chunk = b"VP8L" + struct.pack("<I", len(body)) + body
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def bmp(width: int, height: int) -> bytes:
    """Windows BMP: file header and a 40-byte BITMAPINFOHEADER (negative height = top-down)."""
    row = (width * 3 + 3) // 4 * 4
    pixels = b"\x00" * row * abs(height)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 0, 0, 0, 0)
    size = 14 + len(info) + len(pixels)
    return b"BM" + struct.pack("<IHHI", size, 0, 0, 54) + info + pixels


def box(kind: bytes, payload: bytes) -> bytes:
    """An ISO/IEC 14496-12 box: 32-bit size, type, payload."""
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    return box(b"ftyp", major + b"\x00\x00\x00\x00" + b"".join(compatible))


def heic(extents: list[tuple[int, int]]) -> bytes:
    """HEIF (ISO/IEC 23008-12): ftyp heic, meta > iprp > ipco > ispe per extent."""
    ispes = b"".join(box(b"ispe", b"\x00\x00\x00\x00" + struct.pack(">II", w, h))
                     for w, h in extents)
    meta = box(b"meta", b"\x00\x00\x00\x00" + box(b"hdlr", b"\x00" * 24)
               + box(b"iprp", box(b"ipco", ispes)))
    return ftyp(b"heic", b"mif1", b"heic") + meta + box(b"mdat", b"\x00" * 32)


def wav() -> bytes:
    """WAVE (RIFF): a 16-byte PCM fmt chunk and a 4-byte data chunk."""
    fmt = b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 8000, 1, 8)
    data = b"data" + struct.pack("<I", 4) + b"\x80" * 4
    body = b"WAVE" + fmt + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def tiff(byte_order: bytes = b"II") -> bytes:
    """TIFF 6.0: header (byte order, 42, first IFD at 8), one IFD of one 1x1 image."""
    fmt = "<" if byte_order == b"II" else ">"
    entries = [(256, 3, 1, 1), (257, 3, 1, 1), (258, 3, 1, 8), (259, 3, 1, 1),
               (262, 3, 1, 1), (273, 4, 1, 8 + 2 + 12 * 8 + 4), (277, 3, 1, 1),
               (279, 4, 1, 1)]
    ifd = struct.pack(fmt + "H", len(entries))
    for tag, kind, count, value in entries:
        # A SHORT value sits left-justified in the 4-byte field.
        field = struct.pack(fmt + "HH", value, 0) if kind == 3 else struct.pack(fmt + "I", value)
        ifd += struct.pack(fmt + "HHI", tag, kind, count) + field
    header = byte_order + struct.pack(fmt + "HI", 42, 8)
    return header + ifd + struct.pack(fmt + "I", 0) + b"\x00"


VCARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
MP3_ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 64
# MPEG-1 Layer III, 128 kbit/s, 44.1 kHz frame header with no ID3 tag in front.
MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 413
AMR = b"#!AMR\n" + b"\x3c" * 32
OGG = b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x1e\x01vorbis" + b"\x00" * 30


def every_format() -> dict[str, tuple[bytes, str]]:
    """name -> (bytes, content type the spec says they are)."""
    return {
        "jpeg": (jpeg(640, 480), "image/jpeg"),
        "png": (png(3, 2), "image/png"),
        "gif": (gif(5, 4), "image/gif"),
        "gif_animated": (gif(5, 4, frames=3), "image/gif"),
        "webp": (webp_vp8x(300, 200, animated=False), "image/webp"),
        "webp_lossless": (webp_lossless(17, 9), "image/webp"),
        "bmp": (bmp(4, -3), "image/bmp"),
        "heic": (heic([(512, 512), (4032, 3024)]), "image/heic"),
        "mp4": (ftyp(b"isom", b"isom", b"mp41") + box(b"mdat", b"\x00" * 16), "video/mp4"),
        "3gp": (ftyp(b"3gp4", b"3gp4") + box(b"mdat", b"\x00" * 16), "video/3gpp"),
        "quicktime": (ftyp(b"qt  ", b"qt  ") + box(b"mdat", b"\x00" * 16), "video/quicktime"),
        "mp3_id3": (MP3_ID3, "audio/mpeg"),
        "mp3_frame": (MP3_FRAME, "audio/mpeg"),
        "amr": (AMR, "audio/amr"),
        "wav": (wav(), "audio/wav"),
        "ogg": (OGG, "audio/ogg"),
        "pdf": (PDF, "application/pdf"),
        "vcard": (VCARD, "text/vcard"),
        "text": ("Hello, see you at 5 pm — Ada\n".encode(), "text/plain"),
    }
