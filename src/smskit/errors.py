"""Errors raised by smskit.

Every error derives from :class:`SmskitError`, so ``except SmskitError`` catches
anything the library raises on purpose. Policy outcomes (a message that may not
be sent) are never exceptions: they are :class:`smskit.findings.Finding` values.

::

    SmskitError
    ├── EncodingError(SmskitError, ValueError)      .text, .position, .char, .index
    ├── MessageTooLongError(SmskitError, ValueError) .segments, .index
    ├── TemplateError(SmskitError, ValueError)      .field
    ├── RateCardError(SmskitError, ValueError)
    ├── RecipientError(SmskitError, ValueError)     .row, .column, .reason
    ├── KeywordError(SmskitError, ValueError)
    ├── ConsentError(SmskitError, ValueError)     .field
    ├── InvalidPhoneNumber(SmskitError, ValueError) .reason
    ├── ConfigurationError(SmskitError, ValueError) .field
    ├── StoreError                                   .retryable
    │   └── LedgerIntegrityError                     .sequence
    ├── JurisdictionError(SmskitError, LookupError)  .code
    ├── MediaError(SmskitError, ValueError)
    ├── MissingExtraError(SmskitError, ImportError)  .extra
    └── ProviderError                                .provider, .retryable, .retry_after
        ├── ProviderTransportError  (retryable)
        ├── ProviderRejectedError                    .status, .provider_code, .detail, .category
        │   └── GatewayClosedError                   .domain, .closed_on
        ├── ProviderAmbiguousError                   .idempotency_key, .since
        ├── ProviderResponseError
        └── WebhookSignatureError                    (a webhook whose signature fails)

:class:`ErrorCategory`, the provider-neutral meaning of a provider's error code,
is defined here too, beside the errors that carry it, so every layer can use it.

Exceptions carry their context as attributes set when they are created; the
message is built once in ``__init__`` and says what to fix. Phone numbers never
appear in full in a message (see :func:`smskit.numbers.mask_number`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

__all__ = [
    "ConfigurationError",
    "ConsentError",
    "EncodingError",
    "ErrorCategory",
    "GatewayClosedError",
    "InvalidPhoneNumber",
    "JurisdictionError",
    "KeywordError",
    "LedgerIntegrityError",
    "MediaError",
    "MessageTooLongError",
    "MissingExtraError",
    "ProviderAmbiguousError",
    "ProviderError",
    "ProviderRejectedError",
    "ProviderResponseError",
    "ProviderTransportError",
    "RateCardError",
    "RecipientError",
    "SmskitError",
    "StoreError",
    "TemplateError",
    "WebhookSignatureError",
]


class ErrorCategory(StrEnum):
    """What a provider's error code means for the sender, whatever the provider.

    The original code is always kept beside the category (see
    :class:`ProviderRejectedError` and :class:`smskit.providers.DeliveryStatus`).
    It lives here, beside the errors that carry it, so every layer can use it.
    """

    INVALID_NUMBER = "invalid_number"
    LANDLINE = "landline"
    UNREACHABLE = "unreachable"
    UNSUBSCRIBED = "unsubscribed"
    FILTERED = "filtered"
    UNREGISTERED_SENDER = "unregistered_sender"
    RATE_LIMITED = "rate_limited"
    TEMPORARY = "temporary"
    CONTENT_REJECTED = "content_rejected"
    ACCOUNT = "account"
    UNKNOWN = "unknown"

    @property
    def retryable(self) -> bool:
        """Whether sending the same message again later can succeed.

        Only waiting helps ``rate_limited``, ``temporary`` and ``unreachable``
        (a handset that is off); every other category needs a fix first (the
        number, the content, the registration, the account), and ``unknown``
        is not retried so that nothing is sent twice on a guess.
        """
        return self in _RETRYABLE


_RETRYABLE = frozenset(
    {ErrorCategory.RATE_LIMITED, ErrorCategory.TEMPORARY, ErrorCategory.UNREACHABLE}
)


class SmskitError(Exception):
    """Base class of every error smskit raises on purpose."""


class EncodingError(SmskitError, ValueError):
    """Text that cannot be encoded as asked (a lone surrogate, a non-GSM character).

    Attributes:
        position: index of the offending character in ``text``.
        char: the offending character.
        index: the text's index in the batch, when a batch function raised it.
    """

    def __init__(
        self, message: str, *, text: str, position: int, char: str, index: int | None = None
    ) -> None:
        super().__init__(message)
        self.text = text
        self.position = position
        self.char = char
        self.index = index


class MessageTooLongError(SmskitError, ValueError):
    """A text that needs more segments than concatenation allows (255).

    Attributes:
        segments: how many segments the text needs, at least; the same number from
            every entry point for the same text and options. Exact when the text's
            units fit in 255 full parts (only where parts must end takes it past);
            for a longer text, the fewest parts its units fill.
        index: the text's index in the batch, when a batch function raised it.
    """

    def __init__(self, message: str, *, segments: int, index: int | None = None) -> None:
        super().__init__(message)
        self.segments = segments
        self.index = index


class TemplateError(SmskitError, ValueError):
    """A template that cannot be parsed or rendered (``field`` names the culprit)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class RateCardError(SmskitError, ValueError):
    """A rate card with a missing, negative or inconsistent price or currency."""


class RecipientError(SmskitError, ValueError):
    """A campaign recipient whose number or fields cannot be used.

    Attributes:
        row: 0-based index of the recipient in the list given.
        column: the field at fault (the number field, a template field), or ``None``.
        reason: what is wrong, without the row prefix; never the full number.
    """

    def __init__(self, reason: str, *, row: int, column: str | None) -> None:
        where = f"recipient {row}" + (f", field {column!r}" if column else "")
        super().__init__(f"{where}: {reason}")
        self.row = row
        self.column = column
        self.reason = reason

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments defeat the default pickling of exceptions, and data-frame
        # engines (Polars, Spark workers) pickle the errors their Python functions raise.
        return (_recipient_error, (self.reason, self.row, self.column))


def _recipient_error(reason: str, row: int, column: str | None) -> RecipientError:
    return RecipientError(reason, row=row, column=column)


class KeywordError(SmskitError, ValueError):
    """A keyword set that contradicts itself (a word in two kinds, an empty word)."""


class ConsentError(SmskitError, ValueError):
    """A consent event or query with an invalid field (``field`` names it).

    Raised for a naive datetime, an unknown purpose or channel, a number that
    cannot receive texts, or express written consent recorded without evidence.
    """

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


class InvalidPhoneNumber(SmskitError, ValueError):  # noqa: N818 - name fixed by the public API
    """A phone number that cannot be parsed or is not valid. Never echoes it in full."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class ConfigurationError(SmskitError, ValueError):
    """A configuration value that cannot work (``field`` names it)."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


class StoreError(SmskitError):
    """A store (consent ledger, send history) failed or refused an operation.

    Attributes:
        retryable: ``True`` when the same call may succeed later (the file was
            locked past the timeout, the disk was full, a lock or serialization
            conflict rolled it back); the data is not in doubt.
    """

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class LedgerIntegrityError(StoreError):
    """The ledger's hash chain or schema does not verify: never answer from it."""

    def __init__(self, message: str, *, sequence: int | None = None) -> None:
        super().__init__(message)
        self.sequence = sequence


class OutboxConflictError(StoreError):
    """An outbox entry is no longer in the state the caller read: another process
    (or thread) moved it first, for instance by taking a queued message to send it."""


class JurisdictionError(SmskitError, LookupError):
    """An unknown or unsupported jurisdiction code (ISO 3166-2, e.g. ``"US-FL"``)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


class MediaError(SmskitError, ValueError):
    """Media bytes that cannot be read or processed."""


#: The name smskit is installed under (``import smskit`` stays the import name).
DISTRIBUTION = "smskit-compliance"


def closed_store(store: object) -> StoreError:
    """The error of a call to an in-memory store after its ``close()``: what the SQLite
    and PostgreSQL stores raise then, so a test on the memory one catches a store used
    after shutdown."""
    return StoreError(
        f"{type(store).__name__} is closed; a closed store is unusable (as a closed SQLite "
        "or PostgreSQL one is): make a new one, or close it after the last call"
    )


def install_hint(extra: str) -> str:
    """The command that installs an optional extra: ``pip install 'smskit-compliance[images]'``."""
    return f"pip install '{DISTRIBUTION}[{extra}]'"


class MissingExtraError(SmskitError, ImportError):
    """An optional feature whose extra is not installed (``extra`` names it).

    The message says what to install (:func:`install_hint`).
    """

    def __init__(self, message: str, *, extra: str) -> None:
        super().__init__(message)
        self.extra = extra


class ProviderError(SmskitError):
    """A provider could not take or report a message.

    Attributes:
        retry_after: how long the provider asked to wait before trying again
            (HTTP ``Retry-After``), when it said; ``None`` otherwise.
    """

    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        retryable: bool | None = None,
        retry_after: timedelta | None = None,
    ) -> None:
        super().__init__(message)
        self.provider = provider
        self.retry_after = retry_after
        if retryable is not None:
            self.retryable = retryable


class ProviderTransportError(ProviderError):
    """The provider could not be reached (network, timeout); safe to retry."""

    retryable = True


class ProviderRejectedError(ProviderError):
    """The provider answered and refused the message.

    Attributes:
        status: the HTTP status, when there was one.
        provider_code: the provider's own error code, always kept as given.
        detail: the provider's message, for people (never branch on it).
        category: the normalised :class:`ErrorCategory`; when
            ``retryable`` is not given, it follows the category.
    """

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        status: int | None = None,
        provider_code: str | None = None,
        detail: str | None = None,
        retryable: bool | None = None,
        category: ErrorCategory | None = None,
        retry_after: timedelta | None = None,
    ) -> None:
        if retryable is None and category is not None:
            retryable = category.retryable
        super().__init__(message, provider=provider, retryable=retryable, retry_after=retry_after)
        self.status = status
        self.provider_code = provider_code
        self.detail = detail
        self.category = category


class GatewayClosedError(ProviderRejectedError):
    """A carrier's email-to-text gateway that no longer delivers; refused before sending.

    Attributes:
        domain: the gateway domain (``"txt.att.net"``).
        closed_on: the first day it no longer worked, as the sources give it.
    """

    def __init__(self, message: str, *, provider: str, domain: str, closed_on: date) -> None:
        super().__init__(message, provider=provider, retryable=False)
        self.domain = domain
        self.closed_on = closed_on


class ProviderAmbiguousError(ProviderError):
    """The request may or may not have been processed, and no lookup could tell.

    Raised after a timeout or a 5xx that came once the request was sent, when
    looking the message up failed too, or found several messages (or only an
    earlier identical one) that could be it. Never resend on this error: keep the
    message pending and reconcile it later with the provider's ``lookup``.

    Attributes:
        idempotency_key: the key of the message in question, if it had one.
        since: when the first attempt started (the start of the lookup window).
    """

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        idempotency_key: str | None = None,
        since: datetime | None = None,
    ) -> None:
        super().__init__(message, provider=provider, retryable=False)
        self.idempotency_key = idempotency_key
        self.since = since


class ProviderResponseError(ProviderError):
    """A provider response or webhook that cannot be parsed."""


class WebhookSignatureError(ProviderError):
    """A webhook whose signature does not verify: not from the provider, or the URL or
    auth token used to check it differs from the provider's. Nothing was recorded.
    """
