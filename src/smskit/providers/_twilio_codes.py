"""Twilio error codes -> normalised categories, as cited data.

Each entry carries Twilio's title (paraphrased), our category, and how sure we
are: ``V`` where Twilio's own page for the code was read, ``S`` where the title
comes from a secondary source (a copy of Twilio's error table, an issue thread)
and the page itself was not retrieved. ``source`` is Twilio's page for the code
either way, so a reader can check it. Keyed on the code, never on message text:
Twilio asks users not to branch on ``error_message``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from .model import Capabilities, ErrorCategory

__all__ = ["TWILIO_CAPABILITIES", "TWILIO_ERROR_CODES", "TwilioErrorCode", "twilio_error_code"]

#: What Twilio's Messages API carries: a body of at most 1600 characters
#: (https://www.twilio.com/docs/api/errors/21617), at most 10 media files
#: (https://www.twilio.com/docs/api/errors/21623) of 5 MB in all
#: (https://www.twilio.com/docs/api/errors/11751), delivery statuses reported.
TWILIO_CAPABILITIES: Final = Capabilities(
    mms=True,
    max_media_count=10,
    max_media_bytes=5 * 1024 * 1024,
    max_body_chars=1600,
    reports_delivery=True,
)

_C = ErrorCategory


@dataclass(frozen=True, slots=True)
class TwilioErrorCode:
    """One Twilio error code and what it means for a sender.

    Attributes:
        code: Twilio's code, as text (``"21610"``).
        category: the normalised category.
        title: Twilio's meaning, in short.
        status: ``"V"`` (read on Twilio's page), ``"S"`` (secondary source) or
            ``"U"`` (not in the table: unknown to smskit).
        early_warning: the code reports a limit being approached, not a
            failed message (30026: 70% of a daily cap used).
    """

    code: str
    category: ErrorCategory
    title: str
    status: Literal["V", "S", "U"]
    early_warning: bool = False

    @property
    def retryable(self) -> bool:
        """Whether waiting and sending again can help (from the category)."""
        return self.category.retryable

    @property
    def source(self) -> str:
        """Twilio's page for this code."""
        return f"https://www.twilio.com/docs/api/errors/{self.code}"


def _e(
    code: int,
    category: ErrorCategory,
    title: str,
    status: Literal["V", "S"],
    *,
    early_warning: bool = False,
) -> tuple[str, TwilioErrorCode]:
    return str(code), TwilioErrorCode(str(code), category, title, status, early_warning)


TWILIO_ERROR_CODES: Final[dict[str, TwilioErrorCode]] = dict(
    [
        _e(20003, _C.ACCOUNT, "Permission denied: authentication failed (HTTP 401)", "S"),
        _e(20429, _C.RATE_LIMITED, "Too many requests; not processed, safe to retry", "V"),
        _e(21211, _C.INVALID_NUMBER, "Invalid 'To' phone number", "S"),
        _e(21610, _C.UNSUBSCRIBED, "Recipient unsubscribed from this sender (STOP)", "V"),
        _e(21611, _C.RATE_LIMITED, "'From' number's queue would exceed 10 hours", "V"),
        _e(21614, _C.LANDLINE, "'To' is not a valid mobile number (landline or invalid)", "V"),
        _e(21617, _C.CONTENT_REJECTED, "Body exceeds the 1600-character limit", "V"),
        _e(21623, _C.CONTENT_REJECTED, "Too many media files (at most 10)", "V"),
        _e(21635, _C.LANDLINE, "'To' cannot be a landline", "V"),
        _e(30001, _C.RATE_LIMITED, "Queue overflow", "V"),
        _e(30002, _C.ACCOUNT, "Account suspended", "V"),
        _e(30003, _C.UNREACHABLE, "Unreachable destination handset", "V"),
        _e(30004, _C.FILTERED, "Message blocked (recipient, carrier or prior opt-out)", "V"),
        _e(30005, _C.INVALID_NUMBER, "Unknown destination handset (inactive number)", "S"),
        _e(30006, _C.LANDLINE, "Landline or unreachable carrier", "V"),
        _e(30007, _C.FILTERED, "Message filtered by Twilio or the carrier", "V"),
        _e(30008, _C.TEMPORARY, "Unknown error from the carrier", "S"),
        _e(30019, _C.CONTENT_REJECTED, "Content size exceeds the carrier's limit", "V"),
        _e(30022, _C.RATE_LIMITED, "US A2P 10DLC rate limits exceeded", "V"),
        _e(30024, _C.UNREGISTERED_SENDER, "Numeric sender ID not provisioned on carrier", "V"),
        _e(
            30026,
            _C.RATE_LIMITED,
            "US A2P 10DLC: 70% of the T-Mobile daily limit used",
            "S",
            early_warning=True,
        ),
        _e(30027, _C.RATE_LIMITED, "US A2P 10DLC: T-Mobile daily limit reached", "S"),
        _e(30032, _C.UNREGISTERED_SENDER, "Toll-free number has not been verified", "V"),
        _e(30034, _C.UNREGISTERED_SENDER, "US A2P 10DLC: message from unregistered number", "S"),
        _e(30036, _C.TEMPORARY, "Validity period expired in the queue", "V"),
        _e(30037, _C.ACCOUNT, "Outbound messaging disabled", "S"),
        _e(30450, _C.TEMPORARY, "Blocked by SMS Pumping Protection (15-30 minutes)", "V"),
        _e(30500, _C.TEMPORARY, "Twilio internal error", "V"),
        _e(63038, _C.RATE_LIMITED, "Account exceeded its daily message limit (24 h)", "V"),
    ]
)


def twilio_error_code(code: int | str | None) -> TwilioErrorCode:
    """What a Twilio error code means; unknown codes come back as ``unknown``, kept as given.

    >>> twilio_error_code(21610).category
    <ErrorCategory.UNSUBSCRIBED: 'unsubscribed'>
    >>> twilio_error_code("99999").category, twilio_error_code("99999").code
    (<ErrorCategory.UNKNOWN: 'unknown'>, '99999')
    """
    text = "" if code is None else str(code).strip()
    known = TWILIO_ERROR_CODES.get(text)
    if known is not None:
        return known
    return TwilioErrorCode(text, ErrorCategory.UNKNOWN, "not in smskit's table", "U")
