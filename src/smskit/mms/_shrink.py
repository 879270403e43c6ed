"""Shrinking images to a byte budget with Pillow (the optional ``smskit-compliance[images]`` extra).

The search keeps as much as it can: a JPEG keeps its pixel size and loses
quality first (down to ``min_quality``), then shrinks; PNG and GIF are
lossless here, so they only shrink. Aspect ratio is always kept, and the
format never changes (a PNG stays a PNG).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from ..errors import ConfigurationError, MediaError, MissingExtraError, install_hint
from ._metadata import strip_jpeg, strip_png
from ._sniff import sniff_media

if TYPE_CHECKING:  # pragma: no cover - typing only
    from PIL.Image import Image

__all__: list[str] = []  # private module: fit_image is re-exported by smskit.mms

IMAGES_EXTRA: Final = "images"
#: Formats :func:`fit_image` can re-encode (and providers commonly resize).
SHRINKABLE_TYPES: Final = frozenset({"image/jpeg", "image/png", "image/gif"})

_MAX_QUALITY: Final = 95
_MAX_ROUNDS: Final = 40
#: Most pixels of scaled GIF frames held at once (RGBA: 4 bytes each, 256 MB).
_MAX_GIF_PIXELS: Final = 64_000_000
#: Largest image fit_image decodes: 50 megapixels (about 200 MB as RGBA), above
#: the 48 MP of today's phone cameras and below Pillow's own decompression-bomb
#: warning (89.5 MP). Checked on the sniffed header, before any decoding.
FIT_IMAGE_MAX_PIXELS: Final = 50_000_000
_ORIENTATION_TAG: Final = 0x0112  # EXIF Orientation (TIFF tag 274)


def _pillow() -> None:
    try:
        import PIL  # noqa: F401 - presence check only
    except ImportError as exc:
        raise MissingExtraError(
            f"fit_image needs Pillow: {install_hint(IMAGES_EXTRA)}",
            extra=IMAGES_EXTRA,
        ) from exc


def fit_image(
    data: bytes | bytearray | memoryview,
    max_bytes: int,
    *,
    keep_animation: bool = True,
    min_quality: int = 40,
    min_side: int = 16,
    keep_metadata: bool = False,
) -> bytes:
    """Re-encode a JPEG, PNG or GIF so it takes at most ``max_bytes``.

    Args:
        data: the image bytes.
        max_bytes: the budget, e.g. a :attr:`ShrinkTarget.max_bytes`.
        keep_animation: for an animated GIF or PNG (APNG), scale every frame
            (``True``, keeping each frame's duration and the loop count) or
            keep only the first frame (``False``, much smaller).
        min_quality: the lowest JPEG quality tried before scaling down.
        min_side: never scale either side below this many pixels.
        keep_metadata: return an image that already fits byte for byte, EXIF
            (GPS position included), XMP and anything after its end marker kept.
            By default (``False``) a JPEG or PNG that fits loses them without being
            re-encoded (pixels, colour profile and EXIF orientation kept), as a
            re-encoded one always does: whether a photo's location reaches the
            recipient must not depend on whether it happened to fit.

    Returns:
        The image if it already fits (a JPEG or PNG without its metadata unless
        ``keep_metadata``), else the re-encoded image in its own format, aspect
        ratio kept, metadata dropped (a JPEG's or PNG's EXIF orientation is applied to
        the pixels first) but the colour profile kept (unless a CMYK JPEG had to
        become RGB).

    Raises:
        MissingExtraError: Pillow is not installed (``smskit-compliance[images]``).
        MediaError: the bytes are not a readable JPEG, PNG or GIF, the header
            gives more than ``FIT_IMAGE_MAX_PIXELS`` (50 million) pixels, or no
            size down to ``min_side`` fits.
        MediaError: ``data`` is not bytes (a path or a file object: read it first).
        ConfigurationError: ``max_bytes`` or ``min_side`` not a whole number of at
            least 1, ``min_quality`` not a whole number in 1..95, or
            ``keep_animation`` or ``keep_metadata`` not a bool.

    .. versionadded:: 0.1.0
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        # bytes(Path) is the file *name*: it must never come back as the image.
        raise MediaError(
            f"fit_image takes the image bytes, not {type(data).__name__}; "
            "read the file first, e.g. Path(name).read_bytes()"
        )
    if type(max_bytes) is not int or max_bytes < 1:
        raise ConfigurationError(
            f"max_bytes must be a whole number of at least 1, not {max_bytes!r}",
            field="max_bytes",
        )
    if type(min_quality) is not int or not 1 <= min_quality <= _MAX_QUALITY:
        raise ConfigurationError(
            f"min_quality must be a whole number within 1..{_MAX_QUALITY}, not {min_quality!r}",
            field="min_quality",
        )
    if type(min_side) is not int or min_side < 1:
        raise ConfigurationError(
            f"min_side must be a whole number of at least 1, not {min_side!r}", field="min_side"
        )
    for name, flag in (("keep_animation", keep_animation), ("keep_metadata", keep_metadata)):
        if type(flag) is not bool:
            raise ConfigurationError(f"{name} must be True or False, not {flag!r}", field=name)
    info = sniff_media(data)
    if info.content_type not in SHRINKABLE_TYPES:
        raise MediaError(_unshrinkable(info.content_type, info.size))
    if info.size <= max_bytes and not (info.animated and not keep_animation):
        if keep_metadata:
            return bytes(data)
        cleaned = _without_metadata(info.content_type, data)
        # Never larger but for a damaged EXIF segment: then it is re-encoded below.
        if len(cleaned) <= max_bytes:
            return cleaned
    if info.width is None or info.height is None:
        raise MediaError(
            f"the {info.content_type} header gives no image size; the file is damaged"
        )
    if info.width * info.height > FIT_IMAGE_MAX_PIXELS:
        raise MediaError(
            f"the {info.content_type} image is {info.width}x{info.height} pixels, over the "
            f"{FIT_IMAGE_MAX_PIXELS:,}-pixel limit of fit_image; scale it down first"
        )
    _pillow()
    from PIL import Image as PILImage

    try:
        fitted = _decode_and_fit(data, info.content_type, info.animated is True, max_bytes,
                                 min_quality=min_quality, min_side=min_side,
                                 keep_animation=keep_animation)
    except MediaError:
        raise  # "does not fit even at min_side": already says what is wrong
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError) as exc:
        raise MediaError(
            f"cannot decode the {info.content_type} image ({exc}): it is damaged or cut "
            "short; export or upload it again"
        ) from exc
    # Pillow copies a JPEG's comment into the new file; nothing else that describes.
    return fitted if keep_metadata else _without_metadata(info.content_type, fitted)


def _decode_and_fit(
    data: bytes | bytearray | memoryview, content_type: str | None, animated: bool,
    max_bytes: int, *, min_quality: int, min_side: int, keep_animation: bool,
) -> bytes:
    from PIL import Image as PILImage
    from PIL import ImageOps

    with PILImage.open(io.BytesIO(data)) as image:
        if content_type == "image/gif":
            return _fit_animated(image, "GIF", max_bytes, min_side, keep_animation)
        if animated and keep_animation:  # APNG: every frame, as for a GIF
            return _fit_animated(image, "PNG", max_bytes, min_side, keep_animation)
        image.load()
        # EXIF orientation (a PNG may carry it in eXIf too) goes into the pixels: the
        # copy carries no EXIF, and a portrait must not come out sideways.
        # Only when tagged: exif_transpose copies an untagged image (200 MB more at 50 MP).
        turned = image.getexif().get(_ORIENTATION_TAG, 1) not in (1, None)
        upright = ImageOps.exif_transpose(image) if turned else image
        if content_type == "image/png":
            return _search_scale(
                upright.size, max_bytes, min_side, lambda size: _png_bytes(upright, size)
            )
        # The colour profile goes with the pixels (a phone's Display P3); after a
        # CMYK -> RGB conversion it would describe the wrong channels, so it goes.
        if upright.mode in ("RGB", "L"):
            rgb, profile = upright, upright.info.get("icc_profile")
        else:
            rgb, profile = upright.convert("RGB"), None
        return _fit_jpeg(rgb, max_bytes, min_quality, min_side, profile)


def _without_metadata(content_type: str | None, data: bytes | bytearray | memoryview) -> bytes:
    """JPEG and PNG lose location, camera and text metadata; a GIF has no EXIF to lose."""
    if content_type == "image/jpeg":
        return strip_jpeg(bytes(data))
    if content_type == "image/png":
        return strip_png(bytes(data))
    return bytes(data)


def _unshrinkable(content_type: str | None, size: int) -> str:
    """Why fit_image cannot take these bytes, and what to do instead."""
    if size == 0:
        return "fit_image was given 0 bytes: attach the image's content"
    if content_type in ("image/heic", "image/heif"):
        # An iPhone's default photo format: Twilio and Telnyx do not list it for MMS.
        return (
            f"fit_image handles JPEG, PNG and GIF; this is {content_type}, which MMS "
            "providers do not list either: convert it to JPEG first (on an iPhone, "
            "Settings > Camera > Formats > Most Compatible saves JPEG)"
        )
    if content_type in ("image/webp", "image/avif"):
        return (
            f"fit_image handles JPEG, PNG and GIF; this is {content_type}: convert it to "
            "JPEG or PNG first"
        )
    if content_type is None:
        return (
            "fit_image handles JPEG, PNG and GIF; these bytes are not a recognised "
            "format: check that the right file was read"
        )
    return (
        f"fit_image handles JPEG, PNG and GIF; these bytes are {content_type}, which it "
        "cannot shrink: send it as it is if the policy allows it, or send a link"
    )


def _scaled(image: Image, size: tuple[int, int]) -> Image:
    if image.size == size:
        return image
    from PIL import Image as PILImage

    return image.resize(size, PILImage.Resampling.LANCZOS)


def _size_at(original: tuple[int, int], scale: float) -> tuple[int, int]:
    return max(1, round(original[0] * scale)), max(1, round(original[1] * scale))


def _search_scale(
    original: tuple[int, int], max_bytes: int, min_side: int,
    encode: Callable[[tuple[int, int]], bytes], *, start: float = 1.0,
) -> bytes:
    """Largest scale whose encoding fits; size falls roughly with pixel area."""
    scale = start
    for _ in range(_MAX_ROUNDS):
        size = _size_at(original, scale)
        encoded = encode(size)
        if len(encoded) <= max_bytes:
            return encoded
        if min(size) <= min_side:
            break
        # Area ~ bytes: aim just under the budget, but always shrink by at least 5 %.
        step = min(0.95, (max_bytes / len(encoded)) ** 0.5 * 0.97)
        scale *= max(step, min_side / min(size))
    raise MediaError(
        f"the image does not fit in {max_bytes:,} bytes even at {min_side} pixels a side"
    )


def _png_bytes(image: Image, size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    _scaled(image, size).save(out, "PNG", optimize=True)
    return out.getvalue()


def _fit_animated(
    image: Image, fmt: str, max_bytes: int, min_side: int, keep_animation: bool
) -> bytes:
    """Scale every frame (or only the first), decoding frames one at a time per try."""
    from PIL import ImageSequence

    count: int = getattr(image, "n_frames", 1) if keep_animation else 1
    # A GIF without a loop extension plays once: writing loop=0 would loop it forever.
    loop: int | None = image.info.get("loop")
    durations = [image.info.get("duration", 100)]
    for index in range(1, count):
        image.seek(index)
        durations.append(image.info.get("duration", 100))
    # Scaled frames are held until saved: start small enough to bound that memory.
    pixels = count * image.size[0] * image.size[1]
    start = min(1.0, (_MAX_GIF_PIXELS / pixels) ** 0.5)

    def encode(size: tuple[int, int]) -> bytes:
        frames = [
            _scaled(frame.convert("RGBA"), size)
            for _, frame in zip(range(count), ImageSequence.Iterator(image), strict=False)
        ]
        return _frames_bytes(frames, fmt, durations, loop)

    return _search_scale(image.size, max_bytes, min_side, encode, start=start)


def _frames_bytes(scaled: list[Image], fmt: str, durations: list[int], loop: int | None) -> bytes:
    out = io.BytesIO()
    if len(scaled) == 1:
        scaled[0].save(out, fmt, optimize=True)
    else:
        timing: dict[str, object] = {"duration": durations}
        if loop is not None:
            timing["loop"] = loop
        scaled[0].save(
            out, fmt, save_all=True, append_images=scaled[1:], optimize=True, **timing
        )
    return out.getvalue()


def _jpeg_bytes(image: Image, quality: int, profile: bytes | None) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, icc_profile=profile)
    return out.getvalue()


def _fit_jpeg(
    image: Image, max_bytes: int, min_quality: int, min_side: int, profile: bytes | None
) -> bytes:
    """Best quality at full size; if even ``min_quality`` is too big, scale down."""
    def best_quality(size: tuple[int, int]) -> bytes:
        frame = _scaled(image, size)
        low, high = min_quality, _MAX_QUALITY
        best = _jpeg_bytes(frame, low, profile)
        if len(best) > max_bytes:
            return best  # caller scales down
        while low < high:  # largest quality that fits
            middle = (low + high + 1) // 2
            encoded = _jpeg_bytes(frame, middle, profile)
            if len(encoded) <= max_bytes:
                low, best = middle, encoded
            else:
                high = middle - 1
        return best

    return _search_scale(image.size, max_bytes, min_side, best_quality)
