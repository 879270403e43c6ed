"""fit_image drops a photo's location and other metadata whether or not it had to shrink it.

A listing photo texted to every buyer must not carry the seller's GPS position; before,
a photo that already fitted came back byte for byte, EXIF GPS included, while the same
photo re-encoded lost it.
"""

from __future__ import annotations

import io
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("PIL")
from PIL import Image

from smskit.errors import ConfigurationError, MediaError
from smskit.mms import fit_image, sniff_media
from smskit.mms._metadata import strip_jpeg, strip_png

_GPS_IFD = 0x8825
_ORIENTATION = 0x0112
# A position as a phone writes it (degrees, minutes, seconds): San Francisco.
_GPS = {1: "N", 2: (37.0, 46.0, 29.64), 3: "W", 4: (122.0, 25.0, 9.84)}
_XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
        b'02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        b'exif:GPSLatitude="37,46.494N"/></rdf:RDF></x:xmpmeta>')


def _photo(width: int, height: int) -> Image.Image:
    rng = random.Random(38)
    noise = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    return Image.blend(noise, gradient, 0.6)


def _exif(orientation: int | None) -> bytes:
    exif = Image.Exif()
    if orientation is not None:
        exif[_ORIENTATION] = orientation
    exif[0x010F] = "Apple"  # camera make
    exif[_GPS_IFD] = _GPS
    return exif.tobytes()


def _jpeg(orientation: int | None = 6, **options: object) -> bytes:
    out = io.BytesIO()
    _photo(240, 160).save(out, "JPEG", quality=90, exif=_exif(orientation), **options)
    return out.getvalue()


def _pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB").tobytes()


def _exif_of(data: bytes) -> Image.Exif:
    with Image.open(io.BytesIO(data)) as image:
        return image.getexif()


def test_a_photo_that_fits_loses_its_gps_but_not_its_orientation_or_pixels() -> None:
    data = _jpeg(orientation=6)
    assert _exif_of(data).get_ifd(_GPS_IFD)  # the sample really has a position
    out = fit_image(data, len(data))
    exif = _exif_of(out)
    assert not exif.get_ifd(_GPS_IFD)
    assert dict(exif) == {_ORIENTATION: 6}  # camera make gone too; portrait stays portrait
    assert _pixels(out) == _pixels(data)  # not re-encoded
    assert len(out) < len(data)


def test_keep_metadata_returns_a_photo_that_fits_byte_for_byte() -> None:
    data = _jpeg()
    assert fit_image(data, len(data), keep_metadata=True) == data


def test_xmp_comment_and_data_after_the_image_are_dropped() -> None:
    # XMP repeats the position; a motion photo or an iPhone gain map follows the end marker.
    data = _jpeg(orientation=None, xmp=_XMP, comment=b"12 Oak St") + b"ftypmp4 video..."
    out = fit_image(data, len(data))
    assert b"GPSLatitude" not in out
    assert b"12 Oak St" not in out
    assert out.endswith(b"\xff\xd9")
    assert not _exif_of(out)  # orientation 1 (none given) needs no EXIF at all
    assert _pixels(out) == _pixels(data)
    assert sniff_media(out).truncated is False


def test_a_progressive_jpeg_keeps_every_scan() -> None:
    data = _jpeg(orientation=8, progressive=True)
    out = fit_image(data, len(data))
    assert _pixels(out) == _pixels(data)
    assert dict(_exif_of(out)) == {_ORIENTATION: 8}


def test_the_colour_profile_survives_the_strip() -> None:
    profile = b"\x00\x00\x02\x0cfake colour profile" + bytes(500)
    data = _jpeg(icc_profile=profile)
    with Image.open(io.BytesIO(fit_image(data, len(data)))) as image:
        assert image.info.get("icc_profile") == profile


def test_a_shrunk_photo_loses_the_comment_pillow_copies() -> None:
    data = _jpeg(comment=b"lockbox code 4321")
    out = fit_image(data, len(data) // 2)
    assert len(out) <= len(data) // 2
    assert b"lockbox code 4321" not in out


def test_a_png_loses_its_text_and_exif_but_keeps_the_orientation() -> None:
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Location", "12 Oak St")
    out = io.BytesIO()
    _photo(120, 80).save(out, "PNG", pnginfo=text, exif=_exif(3))
    data = out.getvalue()
    stripped = fit_image(data, len(data))
    assert b"12 Oak St" not in stripped
    exif = _exif_of(stripped)
    assert dict(exif) == {_ORIENTATION: 3}
    assert _pixels(stripped) == _pixels(data)


def test_a_shrunk_png_is_turned_upright_by_its_exif_orientation() -> None:
    # A PNG's eXIf orientation was dropped with the rest of its metadata and not applied:
    # a 400x200 image stored sideways (orientation 6) came back landscape, untagged.
    out = io.BytesIO()
    _photo(400, 200).save(out, "PNG", exif=_exif(6))
    data = out.getvalue()
    fitted = fit_image(data, len(data) // 2)
    assert len(fitted) <= len(data) // 2
    with Image.open(io.BytesIO(fitted)) as image:
        assert image.width < image.height  # portrait, as it is shown
        assert not image.getexif()


def test_keep_metadata_must_be_a_bool() -> None:
    with pytest.raises(ConfigurationError, match="keep_metadata must be True or False"):
        fit_image(_jpeg(), 10_000, keep_metadata="no")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        (b"", "0 bytes: attach the image's content"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64),
         "convert it to JPEG first"),
        (b"RIFF\x16\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00" + bytes(10),
         "image/webp: convert it to JPEG or PNG first"),
        (b"%PDF-1.4\n%%EOF\n", "send it as it is if the policy allows it, or send a link"),
    ],
    ids=["empty", "heic", "webp", "pdf"],
)
def test_what_fit_image_cannot_take_says_what_to_do(data: bytes, hint: str) -> None:
    with pytest.raises(MediaError, match=hint):
        fit_image(data, 1000)


def test_a_cut_short_photo_says_to_export_it_again() -> None:
    data = _jpeg()
    with pytest.raises(MediaError, match="export or upload it again"):
        fit_image(data[: len(data) * 2 // 3], len(data) // 4)


@given(st.data())
def test_stripping_a_damaged_file_never_raises(data: st.DataObject) -> None:
    """Any prefix of a real file, with random bytes overwritten, is walked without error."""
    for original, strip in ((_SAMPLE_JPEG, strip_jpeg), (_SAMPLE_PNG, strip_png)):
        damaged = bytearray(original[: data.draw(st.integers(0, len(original)))])
        for _ in range(data.draw(st.integers(0, 4))):
            if damaged:
                at = data.draw(st.integers(0, len(damaged) - 1))
                damaged[at] = data.draw(st.integers(0, 255))
        assert isinstance(strip(bytes(damaged)), bytes)


def _png_sample() -> bytes:
    out = io.BytesIO()
    _photo(16, 8).save(out, "PNG", exif=_exif(6))
    return out.getvalue()


_SAMPLE_JPEG = _jpeg(progressive=True, comment=b"note")
_SAMPLE_PNG = _png_sample()


def test_stray_bytes_between_segments_do_not_let_the_position_through() -> None:
    # review: two zero bytes before the EXIF segment stopped the walk, and the rest of the
    # file, GPS included, was copied as it was. Pillow (and libjpeg) skip such bytes
    # ("extraneous bytes before marker"), so every viewer still read the position.
    data = _jpeg(orientation=6)
    at = data.index(b"\xff\xe1")
    padded = data[:at] + b"\x00\x00" + data[at:]
    assert _exif_of(padded).get_ifd(_GPS_IFD)  # a viewer reads the position
    # sniff_media walks past them too: it said "cut short" and "no position".
    sniffed = sniff_media(padded)
    assert (sniffed.width, sniffed.truncated, sniffed.location) == (240, False, True)
    out = fit_image(padded, len(padded))
    assert not _exif_of(out).get_ifd(_GPS_IFD)
    assert dict(_exif_of(out)) == {_ORIENTATION: 6}
    assert _pixels(out) == _pixels(data)


def test_keep_metadata_on_a_shrunk_photo_keeps_only_the_comment() -> None:
    # review: docs/mms.md said a re-encoded image never keeps its metadata; with
    # keep_metadata=True the JPEG comment Pillow copies stays (the docs now say so).
    data = _jpeg(xmp=_XMP, comment=b"lockbox code 4321")
    out = fit_image(data, len(data) // 2, keep_metadata=True)
    assert b"lockbox code 4321" in out
    assert b"GPSLatitude" not in out
    assert not _exif_of(out).get_ifd(_GPS_IFD)
