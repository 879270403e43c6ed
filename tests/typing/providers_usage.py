"""Static conformance of the provider adapters to their roles: checked by ``mypy --strict``."""

from __future__ import annotations

from datetime import UTC, datetime

from smskit.providers import (
    AsyncMemoryProvider,
    AsyncProvider,
    AsyncTelnyxProvider,
    AsyncTwilioProvider,
    DeliveryStatus,
    EmailGatewayProvider,
    InboundMessage,
    InboundParser,
    MemoryProvider,
    MessageLookup,
    OutboundMessage,
    Provider,
    SendReceipt,
    SignatureVerifier,
    StatusParser,
    TelnyxProvider,
    TelnyxSignatureVerifier,
    TelnyxWebhookParser,
    TwilioProvider,
    TwilioSignatureVerifier,
    TwilioWebhookParser,
)

memory = MemoryProvider()
as_provider: Provider = memory
as_lookup: MessageLookup = memory
as_inbound: InboundParser = memory
as_status: StatusParser = memory
as_async: AsyncProvider = AsyncMemoryProvider(memory)
verifier: SignatureVerifier = TwilioSignatureVerifier("token")
twilio_inbound: InboundParser = TwilioWebhookParser()
twilio_status: StatusParser = TwilioWebhookParser()
gateway: Provider = EmailGatewayProvider(
    "127.0.0.1", 25, sender_address="alerts@example.com", directory={}
)


def twilio_conforms(provider: TwilioProvider) -> None:
    sync: Provider = provider
    lookup: MessageLookup = provider
    asynchronous: AsyncProvider = AsyncTwilioProvider(provider)
    del sync, lookup, asynchronous


def telnyx_conforms(provider: TelnyxProvider, verifier: TelnyxSignatureVerifier) -> None:
    sync: Provider = provider
    asynchronous: AsyncProvider = AsyncTelnyxProvider(provider)
    signatures: SignatureVerifier = verifier
    inbound: InboundParser = TelnyxWebhookParser()
    statuses: StatusParser = TelnyxWebhookParser()
    del sync, asynchronous, signatures, inbound, statuses


message = OutboundMessage(to="+14155550123", sender="+14155550199", body="Hi")
receipt: SendReceipt = as_provider.send(message)
found: SendReceipt | None = as_lookup.lookup(message, since=datetime(2026, 1, 1, tzinfo=UTC))
inbound: InboundMessage = as_inbound.parse_inbound({"MessageSid": "SM1", "From": "+1", "To": "+1"})
status: DeliveryStatus = as_status.parse_status({"MessageSid": "SM1", "MessageStatus": "sent"})
ok: bool = verifier.verify("https://example.com/sms", {"Body": "STOP"}, {"X-Twilio-Signature": ""})
