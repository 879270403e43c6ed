"""What a text costs in the air: the GSM 03.38 default, extension and national
language tables, GSM-7/UCS-2 encoding and the ``gsm03.38`` codec, smart encoding,
the cut rules of 3GPP TS 23.040 and the segment counter. Nothing here knows about
recipients, money or law; every other package builds on it.
"""

from __future__ import annotations

from .encoding import (
    Encoding,
    NonGsmCharacter,
    detect_encoding,
    gsm7_decode,
    gsm7_encode,
    non_gsm_characters,
    pack_septets,
    unpack_septets,
)
from .segmentation import (
    GSM7_CONCAT_SEPTETS,
    GSM7_SINGLE_SEPTETS,
    MAX_SEGMENTS,
    UCS2_CONCAT_UNITS,
    UCS2_SINGLE_UNITS,
    Replacement,
    Segment,
    SegmentedMessage,
    count_many,
    count_segments,
    measure_many,
    segment,
)

__all__ = [
    "GSM7_CONCAT_SEPTETS",
    "GSM7_SINGLE_SEPTETS",
    "MAX_SEGMENTS",
    "UCS2_CONCAT_UNITS",
    "UCS2_SINGLE_UNITS",
    "Encoding",
    "NonGsmCharacter",
    "Replacement",
    "Segment",
    "SegmentedMessage",
    "count_many",
    "count_segments",
    "detect_encoding",
    "gsm7_decode",
    "gsm7_encode",
    "measure_many",
    "non_gsm_characters",
    "pack_septets",
    "segment",
    "unpack_septets",
]
