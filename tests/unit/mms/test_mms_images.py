"""fit_image and sniffing against real images encoded by Pillow (the ``images`` extra)."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

PIL = pytest.importorskip("PIL")
from PIL import Image, ImageSequence  # noqa: E402

from smskit.errors import MediaError  # noqa: E402
from smskit.mms import fit_image, sniff_media  # noqa: E402


def _photo(width: int, height: int, seed: int = 7) -> Image.Image:
    """Smooth gradients plus noise: compresses like a photograph, not like a flat fill."""
    rng = random.Random(seed)
    noise = bytes(rng.getrandbits(6) for _ in range(width * height * 3))
    image = Image.frombytes("RGB", (width, height), noise)
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    return Image.blend(image, gradient, 0.6)


def _encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("GIF", "image/gif"),
     ("WEBP", "image/webp"), ("BMP", "image/bmp"), ("TIFF", "image/tiff")],
)
def test_sniff_agrees_with_pillow_encoded_files(fmt: str, content_type: str) -> None:
    data = _encode(_photo(123, 45), fmt)
    info = sniff_media(data)
    assert info.content_type == content_type
    if fmt != "TIFF":  # TIFF keeps its size in an IFD, not in a fixed header
        assert (info.width, info.height) == (123, 45)


def test_jpeg_keeps_its_size_when_lower_quality_is_enough() -> None:
    data = _encode(_photo(800, 600), "JPEG", quality=95)
    budget = len(data) * 6 // 10
    out = fit_image(data, budget)
    assert len(out) <= budget
    info = sniff_media(out)
    assert (info.content_type, info.width, info.height) == ("image/jpeg", 800, 600)


def test_jpeg_scales_down_keeping_aspect_ratio_when_quality_is_not_enough() -> None:
    photo = _photo(900, 300)
    data = _encode(photo, "JPEG", quality=95)
    budget = len(_encode(photo, "JPEG", quality=40)) // 3  # the lowest quality is too big
    out = fit_image(data, budget, min_quality=40)
    assert len(out) <= budget
    info = sniff_media(out)
    assert info.content_type == "image/jpeg"
    assert info.width is not None
    assert info.height is not None
    assert info.width < 900
    assert abs(info.width / info.height - 3.0) < 0.05
    # Not shrunk further than needed: a little larger would not fit at the lowest quality.
    assert info.width > 900 // 4


def test_jpeg_exif_orientation_is_applied_before_metadata_is_dropped() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    data = _encode(_photo(400, 200), "JPEG", quality=95, exif=exif.tobytes())
    out = fit_image(data, len(data) // 2)
    info = sniff_media(out)
    assert (info.width, info.height) == (200, 400)


def test_png_stays_png_and_keeps_aspect_ratio() -> None:
    data = _encode(_photo(400, 250), "PNG")
    out = fit_image(data, len(data) // 3)
    assert len(out) <= len(data) // 3
    info = sniff_media(out)
    assert info.content_type == "image/png"
    assert info.width is not None
    assert info.height is not None
    assert abs(info.width / info.height - 1.6) < 0.02


def _animated_gif() -> bytes:
    frames = [_photo(160, 120, seed=s).convert("P") for s in range(4)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:],
                   duration=[100, 200, 300, 400], loop=0)
    return out.getvalue()


def test_animated_gif_keeps_every_frame_and_timing() -> None:
    data = _animated_gif()
    assert sniff_media(data).animated is True
    out = fit_image(data, len(data) // 2)
    assert len(out) <= len(data) // 2
    with Image.open(io.BytesIO(out)) as image:
        assert image.n_frames == 4
        durations = [frame.info["duration"] for frame in ImageSequence.Iterator(image)]
        assert image.width < 160
    assert durations == [100, 200, 300, 400]


def test_animated_gif_first_frame_only() -> None:
    data = _animated_gif()
    out = fit_image(data, len(data), keep_animation=False)
    info = sniff_media(out)
    assert info.animated is False
    assert (info.width, info.height) == (160, 120)  # one frame fits at full size


def test_image_that_cannot_fit_raises() -> None:
    data = _encode(_photo(300, 300), "PNG")
    with pytest.raises(MediaError, match="does not fit in 50 bytes"):
        fit_image(data, 50)


def test_corrupt_image_body_raises_media_error() -> None:
    data = _encode(_photo(300, 300), "PNG")
    broken = data[:60] + b"\x00" * (len(data) - 60)
    with pytest.raises(MediaError, match="cannot decode"):
        fit_image(broken, 1_000)


def _frames(count: int = 3) -> list[Image.Image]:
    return [_photo(160, 120, seed=seed) for seed in range(count)]


def test_animated_png_keeps_every_frame_timing_and_loop_count() -> None:
    # An APNG went through the still-PNG path: the first frame came back alone, and the
    # animation was lost without a word.
    first, *rest = _frames()
    data = _encode(first, "PNG", save_all=True, append_images=rest,
                   duration=[100, 200, 300], loop=2)
    assert sniff_media(data).animated is True
    out = fit_image(data, len(data) // 2)
    assert len(out) <= len(data) // 2
    assert sniff_media(out).animated is True
    with Image.open(io.BytesIO(out)) as image:
        assert image.format == "PNG"
        assert image.n_frames == 3
        assert image.width < 160
        assert image.info["loop"] == 2
        durations = [frame.info["duration"] for frame in ImageSequence.Iterator(image)]
    assert durations == [100, 200, 300]


def test_a_gif_that_plays_once_still_plays_once() -> None:
    # A GIF without a loop extension plays once; the shrunk copy was written with
    # loop=0, which makes it loop forever.
    first, *rest = _frames()
    data = _encode(first, "GIF", save_all=True, append_images=rest, duration=[100, 200, 300])
    with Image.open(io.BytesIO(data)) as original:
        assert "loop" not in original.info
    out = fit_image(data, len(data) // 2)
    with Image.open(io.BytesIO(out)) as image:
        assert image.n_frames == 3
        assert "loop" not in image.info


def test_a_gif_loop_count_is_kept() -> None:
    first, *rest = _frames()
    data = _encode(first, "GIF", save_all=True, append_images=rest, duration=100, loop=3)
    out = fit_image(data, len(data) // 2)
    with Image.open(io.BytesIO(out)) as image:
        assert image.info["loop"] == 3


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_the_colour_profile_is_kept(fmt: str) -> None:
    # Phone photos carry an ICC profile (Display P3 on iPhones); dropping it shifts every
    # colour on the handset, so the shrunk copy must keep it like its pixels.
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = _encode(_photo(300, 200), fmt, icc_profile=profile)
    out = fit_image(data, len(data) // 3)
    assert len(out) <= len(data) // 3
    with Image.open(io.BytesIO(out)) as image:
        assert image.info.get("icc_profile") == profile


def test_a_cmyk_profile_is_not_put_on_the_rgb_copy() -> None:
    # A CMYK JPEG is converted to RGB: its CMYK profile would then describe the wrong
    # channels, so no profile is better than that one.
    data = _encode(_photo(300, 200).convert("CMYK"), "JPEG", quality=95,
                   icc_profile=b"\x00" * 128)
    out = fit_image(data, len(data) // 3)
    with Image.open(io.BytesIO(out)) as image:
        assert image.mode == "RGB"
        assert "icc_profile" not in image.info


def test_a_path_is_refused_not_returned_as_the_image(tmp_path: Path) -> None:
    # bytes(Path) is the file *name*: fit_image(Path("photo.png"), budget) returned
    # b"/.../photo.png" as the shrunk image when the file was small enough, and failed
    # with a bare TypeError otherwise (a file object likewise).
    path = tmp_path / "photo.png"
    path.write_bytes(_encode(_photo(60, 40), "PNG"))
    for budget in (10_000_000, 500):
        with pytest.raises(MediaError, match="read_bytes"):
            fit_image(path, budget)  # type: ignore[arg-type]
        with path.open("rb") as handle, pytest.raises(MediaError, match="read_bytes"):
            fit_image(handle, budget)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("min_quality", 40.5), ("min_quality", "40"), ("min_quality", True),
        ("min_side", 0), ("min_side", -5), ("min_side", "16"), ("min_side", 16.5),
        ("keep_animation", "no"),
    ],
)
def test_bad_options_are_a_configuration_error(option: str, value: object) -> None:
    # These failed as "cannot decode the image" (a float quality), with a bare TypeError
    # (a str), or were used as given (min_side=0, quality True = 1, "no" = keep).
    from smskit.errors import ConfigurationError

    data = _encode(_photo(120, 90), "JPEG", quality=95)
    with pytest.raises(ConfigurationError) as err:
        fit_image(data, len(data) // 3, **{option: value})  # type: ignore[arg-type]
    assert err.value.field == option


def test_an_image_that_cannot_fit_is_not_called_undecodable() -> None:
    data = _encode(_photo(200, 150), "PNG")
    with pytest.raises(MediaError) as err:
        fit_image(data, 10)
    assert "does not fit in 10 bytes" in str(err.value)
    assert "cannot decode" not in str(err.value)
