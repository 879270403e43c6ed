"""smskit: what a business text message costs, and whether it may be sent.

Every public name is importable from here; see the modules for details."""

from __future__ import annotations

from .content import (
    LintConfig,
    extract_hosts,
    lint,
)
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
    MissingExtraError,
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
from .mms import (
    Carrier,
    LimitScope,
    MediaInfo,
    MediaKind,
    MediaScope,
    MmsPolicy,
    MmsRoute,
    MmsVerdict,
    OversizeAction,
    ShrinkTarget,
    SizeLimit,
    fit_image,
    sniff_media,
)
from .numbers import (
    PhoneNumber,
    mask_number,
    parse_number,
)
from .purpose import (
    Purpose,
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
    "Carrier",
    "ConfigurationError",
    "Encoding",
    "EncodingError",
    "Finding",
    "InvalidPhoneNumber",
    "JurisdictionError",
    "KeywordError",
    "LedgerIntegrityError",
    "LimitScope",
    "LintConfig",
    "MediaError",
    "MediaInfo",
    "MediaKind",
    "MediaScope",
    "MessageTooLongError",
    "MissingExtraError",
    "MmsPolicy",
    "MmsRoute",
    "MmsVerdict",
    "NonGsmCharacter",
    "OversizeAction",
    "PhoneNumber",
    "ProviderError",
    "ProviderRejectedError",
    "ProviderResponseError",
    "ProviderTransportError",
    "Purpose",
    "RateCardError",
    "Replacement",
    "Segment",
    "SegmentedMessage",
    "Severity",
    "ShrinkTarget",
    "SizeLimit",
    "SmskitError",
    "StoreError",
    "TemplateError",
    "count_many",
    "count_segments",
    "detect_encoding",
    "extract_hosts",
    "fit_image",
    "gsm7_decode",
    "gsm7_encode",
    "lint",
    "mask_number",
    "non_gsm_characters",
    "pack_septets",
    "parse_number",
    "segment",
    "sniff_media",
    "unpack_septets",
]
