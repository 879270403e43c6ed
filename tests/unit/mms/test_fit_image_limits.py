"""fit_image refuses images too large to decode, from the header, before decoding."""

from __future__ import annotations

import pytest

pytest.importorskip("PIL")

import struct
import zlib

from media_helpers import gif, jpeg
from smskit.errors import MediaError
from smskit.mms import fit_image


def _png_header(width: int, height: int) -> bytes:
    """A PNG (ISO/IEC 15948) whose IHDR claims ``width`` x ``height``, with a few
    rows of pixel data: enough for a decoder to open it and start."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (3 * width + 1) * 4)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", rows)
            + chunk(b"IEND", b""))


@pytest.mark.parametrize(
    "data",
    [_png_header(9500, 9500), _png_header(12000, 12000), _png_header(5000, 10_001),
     jpeg(12000, 12000), gif(9000, 9000)],
    ids=["png-9500", "png-12000", "png-just-over", "jpeg-12000", "gif-9000"],
)
def test_images_over_the_pixel_limit_are_a_media_error_before_decoding(data: bytes) -> None:
    # Under filterwarnings=error a DecompressionBombWarning from Pillow would escape here.
    with pytest.raises(MediaError, match="50,000,000-pixel limit"):
        fit_image(data + b"\0" * 2000, 1000)


def test_a_small_image_is_not_refused_for_its_size() -> None:
    with pytest.raises(MediaError) as info:
        fit_image(_png_header(300, 200), 10)  # the pixel data is cut short
    assert "pixel limit" not in str(info.value)
