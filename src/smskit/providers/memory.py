"""An in-memory provider, complete: for your tests and for dry runs.

It records every message it takes, can be told to refuse the next ones in any
error category, to time out (before or after taking the message), and makes
the status callbacks a real provider would send, in Twilio's webhook format, so
the same parsing and de-duplication code runs in tests as in production.

>>> from datetime import UTC, datetime
>>> from smskit.testing import FixedClock
>>> provider = MemoryProvider(clock=FixedClock(datetime(2026, 12, 1, 9, tzinfo=UTC)))
>>> receipt = provider.send(OutboundMessage(to="+14155550123", sender="+14155550199", body="Hi"))
>>> receipt.message_id, receipt.status.value, len(provider.messages)
('SM00000000000000000000000000000001', 'queued', 1)
>>> provider.fail_next(ErrorCategory.UNSUBSCRIBED)
>>> provider.send(OutboundMessage(to="+14155550123", sender="+14155550199", body="Hi"))
Traceback (most recent call last):
...
smskit.errors.ProviderRejectedError: memory refused the message: unsubscribed (code 21610)
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..consent import Clock, SystemClock
from ..errors import (
    ConfigurationError,
    ProviderAmbiguousError,
    ProviderRejectedError,
    ProviderTransportError,
)
from ..numbers.parse import mask_number
from ..segments import count_segments
from ..segments.encoding import utf16_units
from ..timing.quiet_hours import require_aware
from ._twilio_codes import TWILIO_CAPABILITIES, TWILIO_ERROR_CODES, twilio_error_code
from .model import (
    Capabilities,
    DeliveryStatus,
    ErrorCategory,
    InboundMessage,
    MessageStatus,
    OutboundMessage,
    SendReceipt,
)
from .protocols import WebhookParams
from .twilio import RetryPolicy
from .twilio_webhooks import parse_twilio_inbound, parse_twilio_status

__all__ = ["AsyncMemoryProvider", "MemoryProvider"]

def _representative_codes() -> dict[ErrorCategory, str]:
    """The first Twilio code of each category, used when a failure is given by category."""
    codes: dict[ErrorCategory, str] = {}
    for code, info in TWILIO_ERROR_CODES.items():
        if not info.early_warning:
            codes.setdefault(info.category, code)
    return codes


_CODE_FOR = _representative_codes()
# How far before ``since`` lookup sees an identical text: TwilioProvider's default.
_LOOKUP_SKEW = RetryPolicy().lookup_skew


@dataclass(frozen=True, slots=True)
class _Failure:
    kind: str  # "reject" | "timeout"
    category: ErrorCategory = ErrorCategory.UNKNOWN
    code: str | None = None
    processed: bool = False
    retry_after: timedelta | None = None


class MemoryProvider:
    """Takes messages into memory (implements Provider, MessageLookup, both parsers).

    Thread-safe: one lock guards the records and the failure queue.

    Args:
        clock: where ``accepted_at`` comes from (default: the system clock, UTC).
        capabilities: what it accepts; a message beyond them is refused with the
            code Twilio would use (21617 body too long, 21623 too many media).
        name: the name recorded in receipts.
    """

    def __init__(
        self,
        clock: Clock | None = None,
        capabilities: Capabilities = TWILIO_CAPABILITIES,
        name: str = "memory",
    ) -> None:
        self._clock = clock or SystemClock()
        self._capabilities = capabilities
        self._name = name
        self._lock = threading.Lock()
        self._failures: deque[_Failure] = deque()
        self._sent: list[tuple[OutboundMessage, SendReceipt]] = []
        self._attempts = 0
        self._inbound = 0

    @property
    def name(self) -> str:
        """The name recorded in receipts."""
        return self._name

    @property
    def capabilities(self) -> Capabilities:
        """What it accepts."""
        return self._capabilities

    # --- telling it what to do ------------------------------------------------

    def fail_next(
        self,
        reason: ErrorCategory | int | str,
        times: int = 1,
        *,
        retry_after: timedelta | None = None,
    ) -> None:
        """Refuse the next ``times`` sends, by category or by Twilio error code.

        A category (or its name, ``"unsubscribed"``) is reported with a
        representative Twilio code of that category (none for ``unknown``); a
        code (``21610`` or ``"21610"``) with its category from the table.
        ``retry_after`` is the wait the refusal asks for (as a 429's
        ``Retry-After`` header would), carried by the error.

        Raises:
            ConfigurationError: ``reason`` is neither a category nor a code.
        """
        if isinstance(reason, str) and not isinstance(reason, ErrorCategory):
            if not reason.strip().isdigit():  # a category by its name, not a code
                try:
                    reason = ErrorCategory(reason.strip().lower())
                except ValueError:
                    raise _bad_reason(reason) from None
        elif isinstance(reason, bool) or not isinstance(reason, int | ErrorCategory):
            raise _bad_reason(reason)
        if retry_after is not None and (
            not isinstance(retry_after, timedelta) or retry_after < timedelta(0)
        ):
            raise ConfigurationError(
                f"fail_next's retry_after must be a timedelta of 0 or more, not "
                f"{retry_after!r:.40}",
                field="retry_after",
            )
        if isinstance(reason, ErrorCategory):
            failure = _Failure("reject", reason, _CODE_FOR.get(reason), retry_after=retry_after)
        else:
            info = twilio_error_code(reason)
            failure = _Failure("reject", info.category, info.code, retry_after=retry_after)
        with self._lock:
            self._failures.extend([failure] * times)

    def time_out_next(self, times: int = 1, *, processed: bool = False) -> None:
        """Fail the next ``times`` sends as a network failure would.

        Args:
            processed: ``False``: the message was never taken (like a refused
                connection), raising :class:`ProviderTransportError`. ``True``:
                it was taken and the answer lost, raising
                :class:`ProviderAmbiguousError`; :meth:`lookup` then finds it.
        """
        with self._lock:
            self._failures.extend([_Failure("timeout", processed=processed)] * times)

    # --- sending ----------------------------------------------------------------

    def send(self, message: OutboundMessage) -> SendReceipt:
        """Record the message and return its receipt, or fail as told."""
        with self._lock:
            self._attempts += 1
            now = self._clock.now()
            require_aware(now, "clock.now()")  # a naive one could not be looked up
            failure = self._failures.popleft() if self._failures else self._limits(message)
            if failure is not None and failure.kind == "reject":
                code = f" (code {failure.code})" if failure.code else ""
                raise ProviderRejectedError(
                    f"{self._name} refused the message: {failure.category.value}{code}",
                    provider=self._name,
                    provider_code=failure.code,
                    category=failure.category,
                    retry_after=failure.retry_after,
                )
            if failure is not None and not failure.processed:
                raise ProviderTransportError(
                    f"{self._name} timed out before taking the message; safe to retry",
                    provider=self._name,
                )
            receipt = SendReceipt(
                provider=self._name,
                message_id=f"SM{len(self._sent) + 1:032d}",
                status=MessageStatus.ACCEPTED if message.sender is None else MessageStatus.QUEUED,
                to=message.to,
                accepted_at=now,
                segments=count_segments(message.body),
                idempotency_key=message.idempotency_key,
            )
            self._sent.append((message, receipt))
            if failure is not None:
                raise ProviderAmbiguousError(
                    f"{self._name} timed out after taking the message; look it up "
                    f"before sending it again",
                    provider=self._name,
                    idempotency_key=message.idempotency_key,
                    since=now,
                )
            return receipt

    def _limits(self, message: OutboundMessage) -> _Failure | None:
        caps = self._capabilities
        if utf16_units(message.body) > caps.max_body_chars:
            return _Failure("reject", ErrorCategory.CONTENT_REJECTED, "21617")
        if len(message.media_urls) > (caps.max_media_count if caps.mms else 0):
            return _Failure("reject", ErrorCategory.CONTENT_REJECTED, "21623")
        return None

    def lookup(
        self, message: OutboundMessage, since: datetime, until: datetime | None = None
    ) -> SendReceipt | None:
        """The receipt of the one recorded message like ``message`` taken in the window,
        matched as :meth:`TwilioProvider.lookup` matches with its default
        ``lookup_skew`` (2 minutes): by recipient, body, and the sender and messaging
        service when ``message`` names them; not by idempotency key, which Twilio's
        Messages API does not keep.

        Raises:
            ProviderAmbiguousError: several recorded messages match (the same text sent
                twice), or one taken only within the skew before ``since`` (an earlier
                identical text, which Twilio cannot tell from this one with the clocks
                apart): which one is this send's cannot be told, as with Twilio.
        """
        require_aware(since, "since")
        if until is not None:
            require_aware(until, "until")
        # In UTC: the window and the receipts may share a zone, and two times of one
        # zone compare by wall clock, which a clock change repeats. The window and its
        # whole-second start are Twilio's (TwilioProvider.lookup).
        start = since.astimezone(UTC).replace(microsecond=0)
        first = since.astimezone(UTC) - _LOOKUP_SKEW
        last = None if until is None else until.astimezone(UTC) + _LOOKUP_SKEW
        after: list[SendReceipt] = []
        before: list[SendReceipt] = []
        with self._lock:
            for sent, receipt in self._sent:
                taken = receipt.accepted_at.astimezone(UTC)
                if _looks_like(sent, message) and first <= taken and (
                    last is None or taken <= last
                ):
                    (after if taken >= start else before).append(receipt)
        if len(after) == 1:
            return _recovered(after[0])
        if after or before:
            raise ProviderAmbiguousError(
                f"{len(after) + len(before)} messages to {mask_number(message.to)} with the "
                f"same body were taken around {since.isoformat()} "
                f"({', '.join(r.message_id for r in after + before)}); which one, if any, "
                "is this one cannot be told (Twilio's lookup cannot either): check them "
                "before resending",
                provider=self._name,
                idempotency_key=message.idempotency_key,
                since=since,
            )
        return None

    # --- what it recorded ---------------------------------------------------------

    @property
    def messages(self) -> tuple[OutboundMessage, ...]:
        """Every message taken, in order."""
        with self._lock:
            return tuple(message for message, _ in self._sent)

    @property
    def receipts(self) -> tuple[SendReceipt, ...]:
        """The receipt of every message taken, in order."""
        with self._lock:
            return tuple(receipt for _, receipt in self._sent)

    @property
    def attempts(self) -> int:
        """How many times :meth:`send` was called, failures included."""
        with self._lock:
            return self._attempts

    # --- webhooks, in Twilio's format -------------------------------------------------

    def status_params(
        self,
        message_id: str,
        status: MessageStatus | str,
        *,
        error_code: int | str | None = None,
        raw_dlr_done_date: str | None = None,
    ) -> dict[str, str]:
        """The form parameters Twilio would post for this status of a recorded message.

        ``status`` is a :class:`MessageStatus` or the text Twilio would post (any
        text, so a status smskit does not know can be tested too).

        Raises:
            KeyError: no message with that id was taken.
        """
        with self._lock:
            found = [pair for pair in self._sent if pair[1].message_id == message_id]
        if not found:
            raise KeyError(message_id)
        message, _receipt = found[0]
        value = status.value if isinstance(status, MessageStatus) else str(status)
        params = {"MessageSid": message_id, "MessageStatus": value, "To": message.to}
        if message.sender:
            params["From"] = message.sender
        if message.messaging_service:
            params["MessagingServiceSid"] = message.messaging_service
        if error_code is not None:
            params["ErrorCode"] = str(error_code)
        if raw_dlr_done_date is not None:
            params["RawDlrDoneDate"] = raw_dlr_done_date
        return params

    def report(
        self,
        message_id: str,
        status: MessageStatus | str,
        *,
        error_code: int | str | None = None,
        raw_dlr_done_date: str | None = None,
    ) -> DeliveryStatus:
        """The :class:`DeliveryStatus` a status callback would carry (see :meth:`status_params`)."""
        return self.parse_status(
            self.status_params(
                message_id, status, error_code=error_code, raw_dlr_done_date=raw_dlr_done_date
            )
        )

    def inbound_params(
        self, sender: str, to: str, body: str, *, message_id: str | None = None
    ) -> dict[str, str]:
        """Form parameters of an inbound-message webhook, as Twilio posts them.

        Each call gets a new ``MessageSid`` unless one is given (give the same one
        to play a webhook Twilio retried).
        """
        with self._lock:
            self._inbound += 1
            sid = message_id or f"SMin{self._inbound:030d}"
        return {"MessageSid": sid, "From": sender, "To": to, "Body": body, "NumMedia": "0"}

    def parse_inbound(
        self, params: WebhookParams, headers: Mapping[str, str] | None = None
    ) -> InboundMessage:
        """Read an inbound webhook in Twilio's format."""
        return parse_twilio_inbound(params, headers)

    def parse_status(
        self, params: WebhookParams, headers: Mapping[str, str] | None = None
    ) -> DeliveryStatus:
        """Read a status callback in Twilio's format."""
        return parse_twilio_status(params, headers)


def _looks_like(sent: OutboundMessage, message: OutboundMessage) -> bool:
    """Whether ``sent`` is a candidate for ``message`` as Twilio's lookup filters (``To``,
    ``From`` when given) and matches (body, messaging service when given)."""
    return (
        sent.to == message.to and sent.body == message.body
        and (not message.sender or sent.sender == message.sender)
        and (message.messaging_service is None
             or sent.messaging_service == message.messaging_service)
    )


def _bad_reason(reason: object) -> ConfigurationError:
    return ConfigurationError(
        f"fail_next takes an ErrorCategory (or its name) or a Twilio error code, not "
        f"{reason!r:.40}; categories: {', '.join(c.value for c in ErrorCategory)}",
        field="reason",
    )


def _recovered(receipt: SendReceipt) -> SendReceipt:
    return SendReceipt(
        provider=receipt.provider,
        message_id=receipt.message_id,
        status=receipt.status,
        to=receipt.to,
        accepted_at=receipt.accepted_at,
        segments=receipt.segments,
        idempotency_key=receipt.idempotency_key,
        recovered=True,
    )


class AsyncMemoryProvider:
    """The asyncio twin of :class:`MemoryProvider` (implements AsyncProvider).

    It wraps a :class:`MemoryProvider` (given, or a new one) and shares its
    records, so tests check ``wrapped.messages`` whichever side sent.
    """

    def __init__(self, wrapped: MemoryProvider | None = None) -> None:
        if wrapped is not None and not isinstance(wrapped, MemoryProvider):
            # MemoryProvider's first argument is a clock: given here it was accepted,
            # and an AttributeError at the first send.
            raise ConfigurationError(
                f"AsyncMemoryProvider wraps a MemoryProvider (or none), not a "
                f"{type(wrapped).__name__}: write AsyncMemoryProvider(MemoryProvider(clock))",
                field="provider",
            )
        self.wrapped = MemoryProvider() if wrapped is None else wrapped

    @property
    def name(self) -> str:
        """The wrapped provider's name."""
        return self.wrapped.name

    @property
    def capabilities(self) -> Capabilities:
        """The wrapped provider's capabilities."""
        return self.wrapped.capabilities

    async def send(self, message: OutboundMessage) -> SendReceipt:
        """Send through the wrapped provider (it never blocks, so no thread is needed)."""
        await asyncio.sleep(0)  # a real await point, as a network call would have
        return self.wrapped.send(message)

    async def lookup(
        self, message: OutboundMessage, since: datetime, until: datetime | None = None
    ) -> SendReceipt | None:
        """As :meth:`MemoryProvider.lookup`, awaited as ``AsyncTwilioProvider.lookup`` is."""
        await asyncio.sleep(0)
        return self.wrapped.lookup(message, since, until)

