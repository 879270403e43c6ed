"""Provider adapters: the roles (send, lookup, parse webhooks, verify signatures),
the value types they speak, normalised error categories, and the adapters
smskit ships: :class:`MemoryProvider`, :class:`TwilioProvider` (extra ``twilio``)
and :class:`EmailGatewayProvider`.

Third-party adapters register in the ``smskit.providers`` entry-point group and
load by name with :func:`load_provider`. See docs/providers.md.
"""

from __future__ import annotations

from ._twilio_codes import (
    TWILIO_CAPABILITIES,
    TWILIO_ERROR_CODES,
    TwilioErrorCode,
    twilio_error_code,
)
from .email_gateway import CARRIER_GATEWAYS, CarrierGateway, EmailGatewayProvider, gateway_for
from .memory import AsyncMemoryProvider, MemoryProvider
from .model import (
    Capabilities,
    DeliveryStatus,
    ErrorCategory,
    Geography,
    InboundMessage,
    MediaItem,
    MessageStatus,
    OptOutType,
    OutboundMessage,
    SendReceipt,
)
from .protocols import (
    ENTRY_POINT_GROUP,
    AsyncProvider,
    InboundParser,
    MessageLookup,
    Provider,
    SignatureVerifier,
    StatusParser,
    WebhookParams,
    load_provider,
    provider_names,
)
from .twilio import AsyncTwilioProvider, RetryPolicy, TwilioProvider
from .twilio_webhooks import (
    TwilioSignatureVerifier,
    TwilioWebhookParser,
    compute_twilio_signature,
    parse_twilio_inbound,
    parse_twilio_status,
)

__all__ = [
    "CARRIER_GATEWAYS",
    "ENTRY_POINT_GROUP",
    "TWILIO_CAPABILITIES",
    "TWILIO_ERROR_CODES",
    "AsyncMemoryProvider",
    "AsyncProvider",
    "AsyncTwilioProvider",
    "Capabilities",
    "CarrierGateway",
    "DeliveryStatus",
    "EmailGatewayProvider",
    "ErrorCategory",
    "Geography",
    "InboundMessage",
    "InboundParser",
    "MediaItem",
    "MemoryProvider",
    "MessageLookup",
    "MessageStatus",
    "OptOutType",
    "OutboundMessage",
    "Provider",
    "RetryPolicy",
    "SendReceipt",
    "SignatureVerifier",
    "StatusParser",
    "TwilioErrorCode",
    "TwilioProvider",
    "TwilioSignatureVerifier",
    "TwilioWebhookParser",
    "WebhookParams",
    "compute_twilio_signature",
    "gateway_for",
    "load_provider",
    "parse_twilio_inbound",
    "parse_twilio_status",
    "provider_names",
    "twilio_error_code",
]
