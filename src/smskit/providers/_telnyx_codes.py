"""Telnyx error codes -> normalised categories, as cited data.

Telnyx answers a refused request with ``{"errors": [{"code": "...", "title": ...,
"detail": ...}]}`` and reports a failed delivery with the same kind of entries in
the message record's ``errors``. Codes 1xxxx are API request errors, 40xxx
delivery errors (https://developers.telnyx.com/docs/messaging/messages/error-codes,
https://developers.telnyx.com/development/api-fundamentals/api-errors). Each entry
says which of those two pages (or the opt-out page for 40300) it was read on; a
code not listed maps to ``unknown``, which is never retried. Keyed on the code,
never on the title or detail text (the detail names both numbers in full).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from .model import Capabilities, ErrorCategory

__all__ = ["TELNYX_CAPABILITIES", "TELNYX_ERROR_CODES", "TelnyxErrorCode", "telnyx_error_code"]

_API_ERRORS: Final = "https://developers.telnyx.com/development/api-fundamentals/api-errors"
_MESSAGING_ERRORS: Final = "https://developers.telnyx.com/docs/messaging/messages/error-codes"
_OPT_OUT: Final = "https://developers.telnyx.com/docs/messaging/messages/advanced-opt-in-out"
SEND_SCHEMA: Final = "https://developers.telnyx.com/api-reference/messages/send-a-message"

#: What Telnyx's Messages API carries. The send endpoint's reference says the media
#: together must stay under 1 MB (``media_urls`` in Telnyx's API reference, "Send
#: a message", :data:`SEND_SCHEMA`); up to 10 media URLs per message is on
#: https://developers.telnyx.com/docs/messaging/messages/mms-transcoding (the page
#: smskit.mms cites for Telnyx). The longest body is not given on the pages read, so
#: smskit assumes Twilio's 1600 UTF-16 code units rather than none (unverified).
TELNYX_CAPABILITIES: Final = Capabilities(
    mms=True,
    max_media_count=10,
    max_media_bytes=1000 * 1000,
    max_body_chars=1600,
    reports_delivery=True,
)

_C = ErrorCategory


@dataclass(frozen=True, slots=True)
class TelnyxErrorCode:
    """One Telnyx error code and what it means for a sender.

    Attributes:
        code: Telnyx's code, as text (``"40300"``).
        category: the normalised category.
        title: Telnyx's meaning, in short (our words).
        status: ``"V"`` (read on the Telnyx page in ``source``) or ``"U"`` (not in
            the table: unknown to smskit).
        source: the Telnyx page the code was read on (``""`` when unknown).
    """

    code: str
    category: ErrorCategory
    title: str
    status: Literal["V", "U"]
    source: str = ""

    @property
    def retryable(self) -> bool:
        """Whether waiting and sending again can help (from the category)."""
        return self.category.retryable


def _e(code: int, category: ErrorCategory, title: str, source: str) -> tuple[str, TelnyxErrorCode]:
    return str(code), TelnyxErrorCode(str(code), category, title, "V", source)


TELNYX_ERROR_CODES: Final[dict[str, TelnyxErrorCode]] = dict(
    [
        _e(10001, _C.INVALID_NUMBER, "The phone number is not active", _API_ERRORS),
        _e(10002, _C.INVALID_NUMBER, "The phone number is not valid", _API_ERRORS),
        _e(10009, _C.ACCOUNT, "Authentication failed (API key missing or wrong)", _API_ERRORS),
        _e(10010, _C.ACCOUNT, "Authorization failed for this resource", _API_ERRORS),
        _e(10011, _C.RATE_LIMITED, "Too many requests", _API_ERRORS),
        _e(10016, _C.INVALID_NUMBER, "Phone number not in +E.164 form", _API_ERRORS),
        _e(40001, _C.LANDLINE, "Not routable: landline or non-routable number", _MESSAGING_ERRORS),
        _e(40002, _C.FILTERED, "Carrier spam filter (temporary block)", _MESSAGING_ERRORS),
        _e(40003, _C.FILTERED, "Carrier spam filter (sender blocked for good)", _MESSAGING_ERRORS),
        _e(40004, _C.TEMPORARY, "Recipient's carrier refused, no reason given", _MESSAGING_ERRORS),
        _e(40005, _C.TEMPORARY, "Expired before delivery", _MESSAGING_ERRORS),
        _e(40006, _C.TEMPORARY, "Recipient carrier's server unavailable", _MESSAGING_ERRORS),
        _e(40009, _C.CONTENT_REJECTED, "Message body refused", _MESSAGING_ERRORS),
        _e(40011, _C.RATE_LIMITED, "Carrier throughput limit exceeded", _MESSAGING_ERRORS),
        _e(40012, _C.INVALID_NUMBER, "Carrier refused the destination number", _MESSAGING_ERRORS),
        _e(40013, _C.UNREGISTERED_SENDER, "Carrier refused the sending number", _MESSAGING_ERRORS),
        _e(40014, _C.TEMPORARY, "Expired in Telnyx's queue", _MESSAGING_ERRORS),
        _e(40015, _C.FILTERED, "Telnyx's own spam filter", _MESSAGING_ERRORS),
        _e(40300, _C.UNSUBSCRIBED, "Blocked: the recipient sent STOP", _OPT_OUT),
    ]
)


def telnyx_error_code(code: int | str | None) -> TelnyxErrorCode:
    """What a Telnyx error code means; unknown codes come back as ``unknown``, kept as given.

    >>> telnyx_error_code("40300").category
    <ErrorCategory.UNSUBSCRIBED: 'unsubscribed'>
    >>> telnyx_error_code(49999).category, telnyx_error_code(49999).code
    (<ErrorCategory.UNKNOWN: 'unknown'>, '49999')
    """
    text = "" if code is None else str(code).strip()
    known = TELNYX_ERROR_CODES.get(text)
    if known is not None:
        return known
    return TelnyxErrorCode(text[:40], ErrorCategory.UNKNOWN, "not in smskit's table", "U")
