"""MMS: what each attachment is (sniffed from its header), the size and type
limits per route and carrier as cited data, shrinking images to fit, and the MMS
policy that judges a message's media.
"""

from __future__ import annotations

from .policy import (
    MMS_FINDING_CODES,
    Carrier,
    LimitScope,
    MediaInfo,
    MediaKind,
    MediaScope,
    MmsPolicy,
    MmsVerdict,
    OversizeAction,
    ShrinkTarget,
    SizeLimit,
    fit_image,
    sniff_media,
)

__all__ = [
    "MMS_FINDING_CODES",
    "Carrier",
    "LimitScope",
    "MediaInfo",
    "MediaKind",
    "MediaScope",
    "MmsPolicy",
    "MmsVerdict",
    "OversizeAction",
    "ShrinkTarget",
    "SizeLimit",
    "fit_image",
    "sniff_media",
]
