"""Provider adapters: the roles (send, lookup, parse webhooks, verify signatures),
the value types they speak, normalised error categories, and the adapters
smskit ships: :class:`MemoryProvider`, :class:`TwilioProvider` (extra ``twilio``),
:class:`TelnyxProvider` (its webhook signatures need the extra ``telnyx``) and
:class:`EmailGatewayProvider`.

Third-party adapters register in the ``smskit.providers`` entry-point group and
load by name with :func:`load_provider`. See docs/providers.md.
"""

from __future__ import annotations

from ._telnyx_codes import (
    TELNYX_CAPABILITIES,
    TELNYX_ERROR_CODES,
    TelnyxErrorCode,
    telnyx_error_code,
)
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
from .telnyx import AsyncTelnyxProvider, TelnyxProvider, telnyx_status
from .telnyx_webhooks import (
    TelnyxSignatureVerifier,
    TelnyxWebhookParser,
    parse_telnyx_inbound,
    parse_telnyx_status,
    telnyx_form,
    verify_telnyx_signature,
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
    "TELNYX_CAPABILITIES",
    "TELNYX_ERROR_CODES",
    "TWILIO_CAPABILITIES",
    "TWILIO_ERROR_CODES",
    "AsyncMemoryProvider",
    "AsyncProvider",
    "AsyncTelnyxProvider",
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
    "TelnyxErrorCode",
    "TelnyxProvider",
    "TelnyxSignatureVerifier",
    "TelnyxWebhookParser",
    "TwilioErrorCode",
    "TwilioProvider",
    "TwilioSignatureVerifier",
    "TwilioWebhookParser",
    "WebhookParams",
    "compute_twilio_signature",
    "gateway_for",
    "load_provider",
    "parse_telnyx_inbound",
    "parse_telnyx_status",
    "parse_twilio_inbound",
    "parse_twilio_status",
    "provider_names",
    "telnyx_error_code",
    "telnyx_form",
    "telnyx_status",
    "twilio_error_code",
    "verify_telnyx_signature",
]
