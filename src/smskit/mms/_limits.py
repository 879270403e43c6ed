"""Data only: MMS size limits, attachment counts, accepted media types, type aliases.

Every entry carries its source URL and the reference status (``"V"`` verified
against a first-party page, ``"S"`` secondary, ``"U"`` unverified default,
``"C"`` conflicting sources). Updating a limit is a data change with a test.

Sizes are written in bytes. Providers write "5 MB" or "600 KB" without saying
whether they mean powers of ten or of two; we read them as powers of ten
(5 MB = 5,000,000 bytes), the smaller of the two readings, so a message that
passes here passes under either reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from ..routes import Route

__all__: list[str] = []  # private module: names are imported explicitly by smskit.mms

KB: Final = 1_000
MB: Final = 1_000_000


class Carrier(StrEnum):
    """Destination carriers with published MMS limits. Values are stored."""

    ATT = "att"
    TMOBILE = "tmobile"
    VERIZON = "verizon"
    #: Merged into T-Mobile; its own limits are still listed by Telnyx.
    SPRINT = "sprint"


#: Each carrier's name as its sources and docs/mms.md write it, for what a person
#: reads (a finding's limit note); the enum's values stay the stored keys.
CARRIER_NAMES: Final = MappingProxyType({
    Carrier.ATT: "AT&T",
    Carrier.TMOBILE: "T-Mobile",
    Carrier.VERIZON: "Verizon",
    Carrier.SPRINT: "Sprint",
})


class LimitScope(StrEnum):
    """What a size limit is measured on."""

    #: The whole message: text (UTF-8 bytes) plus every attachment it covers.
    MESSAGE = "message"
    #: Each attachment on its own.
    ATTACHMENT = "attachment"


class MediaScope(StrEnum):
    """Which attachments a size limit counts."""

    ALL = "all"
    IMAGE = "image"
    NON_IMAGE = "non_image"


@dataclass(frozen=True, slots=True)
class SizeLimit:
    """One published size ceiling (or recommendation) and where it comes from.

    Attributes:
        max_bytes: the ceiling, in bytes.
        scope: measured on the whole message or on each attachment.
        media: which attachments count toward it.
        source: URL of the page that states it.
        status: reference status, ``"V"``, ``"S"``, ``"U"`` or ``"C"``.
        route: the sender route it applies to, ``None`` for every route.
        carrier: the destination carrier it applies to, ``None`` for every carrier.
        provider: the provider it applies to (``"twilio"``), ``None`` for a carrier
            rule that holds whichever provider carries the message.
        advisory: a recommendation, not a hard limit: exceeding it is a warning.
        note: a short human explanation.
        types: when given, only attachments of these media types count.
        excluded_types: attachments of these media types never count.
    """

    max_bytes: int
    scope: LimitScope
    media: MediaScope
    source: str
    status: str
    route: Route | None = None
    carrier: Carrier | None = None
    provider: str | None = None
    advisory: bool = False
    note: str = ""
    types: frozenset[str] | None = None
    excluded_types: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ProviderProfile:
    """What a provider accepts and does to MMS media.

    Attributes:
        name: provider key, lowercase (``"twilio"``).
        max_attachments: most media files in one message, ``None`` if unpublished.
        transcodes_images: the provider resizes JPEG/PNG/GIF to each carrier's
            limit itself, so carrier limits count only the other media.
        accepted_types: media types it accepts, ``None`` if unpublished (then the
            policy's default list applies).
        source: URL(s) the profile comes from.
        status: reference status.
    """

    name: str
    max_attachments: int | None
    transcodes_images: bool
    accepted_types: frozenset[str] | None
    source: str
    status: str


_TWILIO_SIZES = (
    "https://support.twilio.com/hc/en-us/articles/360018832773-Twilio-Programmable-SMS-"
    "Supported-File-Types-and-Size-Limits-for-MMS-Media-Messages"
)
_TELNYX_SIZES = "https://developers.telnyx.com/docs/messaging/messages/mms-transcoding"
_TWILIO_MEDIA = "https://www.twilio.com/docs/messaging/api/media-resource"
_TWILIO_TYPES = "https://www.twilio.com/docs/messaging/guides/accepted-mime-types"
_TWILIO_COUNT = "https://twilio.com/docs/api/errors/21623"
_BANDWIDTH_API = "https://www.bandwidth.com/support/en/articles/12823216"
_BANDWIDTH_TF = "https://support.bandwidth.com/hc/en-us/articles/360034303574-Toll-free-MMS-FAQ"
_SIGNALWIRE = "https://developer.signalwire.com/guides/messaging-mime-types/"
_AWS = "https://docs.aws.amazon.com/sms-voice/latest/userguide/mms-limitations-character.html"
_PLIVO = "https://support.plivo.com/hc/en-us/sections/360008302871-MMS"
_TELNYX_FAQ = "https://support.telnyx.com/en/articles/4450150-faqs-about-mms-at-telnyx"
_TELNYX_SEND = "https://developers.telnyx.com/api-reference/messages/send-a-message"

#: AWS sets a separate, larger per-file limit for these three image types only.
_AWS_IMAGE_TYPES: Final = frozenset({"image/gif", "image/jpeg", "image/png"})

_CARRIER_SOURCE = f"{_TWILIO_SIZES} ; {_TELNYX_SIZES}"


def _carrier_row(
    carrier: Carrier, ten_dlc: int, toll_free: int, short_code: int,
    source: str = _CARRIER_SOURCE,
) -> list[SizeLimit]:
    """The three route limits one carrier publishes (message total, every media type)."""
    return [
        SizeLimit(
            max_bytes=limit,
            scope=LimitScope.MESSAGE,
            media=MediaScope.ALL,
            source=source,
            status="V",
            route=route,
            carrier=carrier,
            note=f"{CARRIER_NAMES[carrier]} {route.value} MMS size",
        )
        for route, limit in (
            (Route.TEN_DLC, ten_dlc),
            (Route.TOLL_FREE, toll_free),
            (Route.SHORT_CODE, short_code),
        )
    ]


#: Carrier limits per route (long code / toll-free / short code), as both
#: Twilio and Telnyx publish them. Toll-free is the *smallest* everywhere.
CARRIER_LIMITS: Final[tuple[SizeLimit, ...]] = (
    *_carrier_row(Carrier.ATT, 1 * MB, 600 * KB, 600 * KB),
    *_carrier_row(Carrier.TMOBILE, 1_500 * KB, 600 * KB, 1 * MB),
    *_carrier_row(Carrier.VERIZON, 1 * MB, 600 * KB, 1_200 * KB),
    # Only Telnyx still lists Sprint; Twilio's table does not.
    *_carrier_row(Carrier.SPRINT, 1_500 * KB, 600 * KB, 1 * MB, source=_TELNYX_SIZES),
)

#: Limits a provider applies whatever the carrier.
PROVIDER_LIMITS: Final[tuple[SizeLimit, ...]] = (
    SizeLimit(
        5 * MB, LimitScope.MESSAGE, MediaScope.ALL, _TWILIO_MEDIA, "V",
        provider="twilio", note="Twilio: body and all media together at most 5 MB",
    ),
    SizeLimit(
        600 * KB, LimitScope.ATTACHMENT, MediaScope.NON_IMAGE, _TWILIO_SIZES, "V",
        provider="twilio", advisory=True,
        note="Twilio recommends non-image files of at most 600 KB",
    ),
    SizeLimit(
        # media_urls: "The total media size must be less than 1 MB" (the text is counted
        # too here, as for Bandwidth's combined-media limit: the stricter reading).
        MB - 1, LimitScope.MESSAGE, MediaScope.ALL, _TELNYX_SEND, "V",
        provider="telnyx", note="Telnyx API: media together under 1 MB",
    ),
    SizeLimit(
        3_500 * KB, LimitScope.ATTACHMENT, MediaScope.ALL, _BANDWIDTH_API, "V",
        provider="bandwidth", note="Bandwidth API: each file at most 3.5 MB",
    ),
    SizeLimit(
        525 * KB, LimitScope.MESSAGE, MediaScope.ALL, _BANDWIDTH_TF, "V",
        provider="bandwidth", route=Route.TOLL_FREE,
        note="Bandwidth toll-free MMS: combined media at most 525 KB (error 4411)",
    ),
    SizeLimit(
        500 * KB, LimitScope.MESSAGE, MediaScope.ALL, _BANDWIDTH_API, "V",
        provider="bandwidth", advisory=True,
        note="Bandwidth recommends at most 500 KB in total",
    ),
    SizeLimit(
        1_200 * KB, LimitScope.MESSAGE, MediaScope.ALL, _SIGNALWIRE, "V",
        provider="signalwire", route=Route.TEN_DLC, note="SignalWire local: 1.2 MB",
    ),
    SizeLimit(
        750 * KB, LimitScope.MESSAGE, MediaScope.ALL, _SIGNALWIRE, "V",
        provider="signalwire", route=Route.TOLL_FREE, note="SignalWire toll-free: 750 KB",
    ),
    SizeLimit(
        500 * KB, LimitScope.MESSAGE, MediaScope.ALL, _SIGNALWIRE, "V",
        provider="signalwire", advisory=True, note="SignalWire recommends at most 500 KB",
    ),
    SizeLimit(
        2 * MB, LimitScope.ATTACHMENT, MediaScope.IMAGE, _AWS, "V",
        provider="aws", types=_AWS_IMAGE_TYPES,
        note="AWS End User Messaging: each GIF, JPEG or PNG image at most 2 MB",
    ),
    SizeLimit(
        600 * KB, LimitScope.ATTACHMENT, MediaScope.ALL, _AWS, "V",
        provider="aws", excluded_types=_AWS_IMAGE_TYPES,
        note="AWS End User Messaging: each other file (TIFF included) at most 600 KB",
    ),
    SizeLimit(
        # "less than 5 MB": 5,000,000 bytes itself is over.
        5 * MB - 1, LimitScope.MESSAGE, MediaScope.ALL, _PLIVO, "V",
        provider="plivo", note="Plivo: whole message under 5 MB",
    ),
)

#: Media types Twilio accepts for MMS (V). JPEG, PNG and GIF are resized by
#: Twilio; the others pass through unmodified. WebP is accepted only for
#: WhatsApp stickers, so it is absent here.
TWILIO_TYPES: Final = frozenset({
    "image/jpeg", "image/gif", "image/png", "image/bmp", "image/tiff",
    "audio/basic", "audio/l24", "audio/mp4", "audio/mpeg", "audio/ogg",
    "audio/vnd.rn-realaudio", "audio/wav", "audio/3gpp", "audio/3gpp2", "audio/ac3",
    "audio/webm", "audio/amr", "audio/aac",
    "video/mpeg", "video/mp4", "video/quicktime", "video/webm", "video/3gpp", "video/3gpp2",
    "video/3gpp-tt", "video/h261", "video/h263", "video/h263-1998", "video/h263-2000",
    "video/h264",
    "text/vcard", "text/csv", "text/rtf", "text/richtext", "text/calendar",
    "application/pdf", "application/vnd.apple.pkpass",
    "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
})

#: Media types Telnyx lists as supported for MMS (V): images JPEG, PNG, GIF, BMP, TIFF,
#: WebP; video MP4, 3GP, MOV; audio MP3, WAV, AMR, OGG; PDF, vCard, iCal.
TELNYX_TYPES: Final = frozenset({
    "image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff", "image/webp",
    "video/mp4", "video/3gpp", "video/quicktime",
    "audio/mpeg", "audio/wav", "audio/amr", "audio/ogg",
    "application/pdf", "text/vcard", "text/calendar",
})

#: Media types AWS End User Messaging accepts for MMS (V).
AWS_TYPES: Final = frozenset({
    "image/gif", "image/jpeg", "image/png", "image/tiff",
    "video/3gpp", "audio/3gpp", "audio/amr", "video/mp4", "audio/mp4", "audio/mpeg",
    "video/mpeg", "audio/ogg", "video/ogg", "video/quicktime", "video/webm", "audio/webm",
    "text/calendar", "text/vcard", "application/pdf",
})

#: The default accepted list when the provider publishes none: Twilio's list,
#: the most detailed published one. A labelled default (U for other providers).
DEFAULT_ALLOWED_TYPES: Final = TWILIO_TYPES
DEFAULT_ALLOWED_TYPES_SOURCE: Final = f"{_TWILIO_TYPES} (default, U for other providers)"

PROVIDERS: Final = MappingProxyType({
    "twilio": ProviderProfile(
        "twilio", 10, True, TWILIO_TYPES, f"{_TWILIO_COUNT} ; {_TWILIO_TYPES}", "V"
    ),
    # Telnyx transcoding is optional and off unless enabled on the profile.
    "telnyx": ProviderProfile(
        "telnyx", 10, False, TELNYX_TYPES, f"{_TELNYX_SIZES} ; {_TELNYX_FAQ}", "V"
    ),
    "bandwidth": ProviderProfile("bandwidth", 10, False, None, _BANDWIDTH_API, "V"),
    "signalwire": ProviderProfile("signalwire", None, False, None, _SIGNALWIRE, "V"),
    "aws": ProviderProfile("aws", None, False, AWS_TYPES, _AWS, "V"),
    "plivo": ProviderProfile("plivo", None, False, None, _PLIVO, "V"),
})

#: Other names for the same media type, mapped to the name smskit reports.
TYPE_ALIASES: Final = MappingProxyType({
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/x-png": "image/png",
    "image/x-ms-bmp": "image/bmp",
    "image/x-bmp": "image/bmp",
    "audio/vnd.wave": "audio/wav",
    "audio/wave": "audio/wav",
    "audio/x-wav": "audio/wav",
    "audio/mp3": "audio/mpeg",
    "audio/mpeg3": "audio/mpeg",
    "audio/x-mpeg": "audio/mpeg",
    "audio/amr-nb": "audio/amr",
    "audio/x-m4a": "audio/mp4",
    "audio/m4a": "audio/mp4",
    "audio/x-aac": "audio/aac",
    "text/x-vcard": "text/vcard",
    "text/directory": "text/vcard",
    "application/vcard": "text/vcard",
    "application/x-pdf": "application/pdf",
    "image/heic-sequence": "image/heic",
    "application/rtf": "text/rtf",
})


def canonical_type(content_type: str) -> str:
    """Lower-case, drop parameters (``; charset=...``) and resolve aliases."""
    bare = content_type.split(";", 1)[0].strip().lower()
    return TYPE_ALIASES.get(bare, bare)
