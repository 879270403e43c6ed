"""smskit: what a business text message costs, and whether it may be sent.

Every public name is importable from here; see the modules for details."""

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
from .errors import (
    ConfigurationError,
    EncodingError,
    InvalidPhoneNumber,
    JurisdictionError,
    KeywordError,
    LedgerIntegrityError,
    MediaError,
    MessageTooLongError,
    ProviderError,
    ProviderRejectedError,
    ProviderResponseError,
    ProviderTransportError,
    RateCardError,
    SmskitError,
    StoreError,
    TemplateError,
)
from .findings import (
    Finding,
    Severity,
)
from .numbers import (
    PhoneNumber,
    mask_number,
    parse_number,
)
from .segmentation import (
    Replacement,
    Segment,
    SegmentedMessage,
    count_many,
    count_segments,
    segment,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "ConfigurationError",
    "Encoding",
    "EncodingError",
    "Finding",
    "InvalidPhoneNumber",
    "JurisdictionError",
    "KeywordError",
    "LedgerIntegrityError",
    "MediaError",
    "MessageTooLongError",
    "NonGsmCharacter",
    "PhoneNumber",
    "ProviderError",
    "ProviderRejectedError",
    "ProviderResponseError",
    "ProviderTransportError",
    "RateCardError",
    "Replacement",
    "Segment",
    "SegmentedMessage",
    "Severity",
    "SmskitError",
    "StoreError",
    "TemplateError",
    "count_many",
    "count_segments",
    "detect_encoding",
    "gsm7_decode",
    "gsm7_encode",
    "mask_number",
    "non_gsm_characters",
    "pack_septets",
    "parse_number",
    "segment",
    "unpack_septets",
]
