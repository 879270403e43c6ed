"""The provider roles, one small Protocol each, and loading adapters by name.

A class may play several roles; code asks only for the role it uses. Adapters,
smskit's own and third parties', register in the ``smskit.providers``
entry-point group and load by name with :func:`load_provider`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from importlib.metadata import entry_points
from typing import Protocol

from ..errors import ConfigurationError, ProviderResponseError
from .model import Capabilities, DeliveryStatus, InboundMessage, OutboundMessage, SendReceipt

__all__ = [
    "ENTRY_POINT_GROUP",
    "AsyncProvider",
    "InboundParser",
    "MessageLookup",
    "Provider",
    "SignatureVerifier",
    "StatusParser",
    "WebhookParams",
    "load_provider",
    "provider_names",
]

ENTRY_POINT_GROUP = "smskit.providers"

#: Webhook parameters as frameworks hand them over: a plain mapping of strings,
#: a mapping whose values are lists (``parse_qs``), or a multi-dict with
#: ``getlist``/``getall`` (Django, Werkzeug, aiohttp).
WebhookParams = Mapping[str, str] | Mapping[str, Sequence[str]]


def require_form(params: object, provider: str) -> None:
    """Refuse webhook parameters that are not a mapping: the raw body (text or
    bytes) handed over unparsed would otherwise fail as a bad signature or a
    bare ``TypeError`` deep inside."""
    if not isinstance(params, Mapping) and provider == "telnyx":
        # Telnyx posts JSON and signs its bytes: the form advice below is Twilio's.
        raise ProviderResponseError(
            f"webhook body given as a {type(params).__name__}: the messenger takes a "
            "mapping; pass telnyx_form(raw body), which carries the exact bytes Telnyx "
            "signed",
            provider=provider,
        )
    if not isinstance(params, Mapping):
        raise ProviderResponseError(
            f"webhook parameters are a {type(params).__name__}, not the parsed form (a "
            "mapping of names to values): pass your framework's form (request.form, "
            "request.POST) or parse_qs(body, keep_blank_values=True)",
            provider=provider,
        )


def header_pairs(headers: object, provider: str) -> list[tuple[str, str]]:
    """The ``(name, value)`` text pairs of webhook headers as frameworks hand them over:
    a mapping (Django, Starlette, aiohttp) or an object with ``items()`` that is no
    mapping (Werkzeug's ``Headers``, which iterates as pairs); ``None`` is no headers.
    A value neither text nor bytes is left out: no HTTP header is one, but a WSGI
    environ passed instead of the headers holds such entries (``wsgi.input``), and it
    must fail as headers without the signature, not as headers to decode.

    Raises:
        ProviderResponseError: anything else (ASGI's raw ``scope["headers"]``, a list
            of byte pairs), a name that is not text, or a value in bytes; an
            ``AttributeError`` from deep inside otherwise.
    """
    if headers is None:
        return []
    items = getattr(headers, "items", None)
    if not callable(items):
        raise ProviderResponseError(
            f"webhook headers are a {type(headers).__name__}, not a mapping of names to "
            "values: pass your framework's request.headers (from an ASGI scope: "
            "{k.decode('latin-1'): v.decode('latin-1') for k, v in scope['headers']})",
            provider=provider,
        )
    pairs: list[tuple[str, str]] = []
    for name, value in items():
        if isinstance(name, str) and isinstance(value, str):
            pairs.append((name, value))
            continue
        if not isinstance(name, str):
            what = f"a {type(name).__name__} name"
        elif isinstance(value, bytes | bytearray):
            what = f"a {type(value).__name__} value"
        else:
            continue
        # The name only: a value may be a cookie or a token.
        raise ProviderResponseError(
            f"webhook header {str(name)[:40]!r} has {what}, not text: decode the "
            "headers (latin-1, as HTTP carries them) before passing them",
            provider=provider,
        )
    return pairs


class Provider(Protocol):
    """Protocol: sends one message and says what it can carry."""

    @property
    def name(self) -> str:
        """Short stable name, recorded with each receipt (``"twilio"``)."""
        ...

    @property
    def capabilities(self) -> Capabilities:
        """What this provider can carry."""
        ...

    def send(self, message: OutboundMessage) -> SendReceipt:
        """Hand the message to the provider.

        Raises:
            ProviderRejectedError: the provider refused it (``category`` says why).
            ProviderTransportError: it was certainly not taken; safe to retry.
            ProviderAmbiguousError: it may have been taken; reconcile, never resend.
        """
        ...


class AsyncProvider(Protocol):
    """Protocol: the asyncio twin of :class:`Provider`, with the same value types."""

    @property
    def name(self) -> str:
        """Short stable name, recorded with each receipt."""
        ...

    @property
    def capabilities(self) -> Capabilities:
        """What this provider can carry."""
        ...

    async def send(self, message: OutboundMessage) -> SendReceipt:
        """Hand the message to the provider (raises as :meth:`Provider.send`)."""
        ...


class MessageLookup(Protocol):
    """Protocol: finds a message the provider may have taken, for reconciliation."""

    def lookup(
        self, message: OutboundMessage, since: datetime, until: datetime | None = None
    ) -> SendReceipt | None:
        """The provider's record of ``message`` created in ``[since, until]``, or ``None``.

        Raises:
            ProviderError: the provider could not be asked; the answer is unknown.
        """
        ...


class InboundParser(Protocol):
    """Protocol: reads an inbound-message webhook."""

    def parse_inbound(
        self, params: WebhookParams, headers: Mapping[str, str] | None = None
    ) -> InboundMessage:
        """The message in the webhook (raises ProviderResponseError if fields are missing)."""
        ...


class StatusParser(Protocol):
    """Protocol: reads a delivery-status webhook."""

    def parse_status(
        self, params: WebhookParams, headers: Mapping[str, str] | None = None
    ) -> DeliveryStatus:
        """The status in the webhook (raises ProviderResponseError if fields are missing)."""
        ...


class SignatureVerifier(Protocol):
    """Protocol: tells whether a webhook really comes from the provider."""

    def verify(self, url: str, params: WebhookParams | str, headers: Mapping[str, str]) -> bool:
        """True when the request's signature is valid for ``url`` and ``params``.

        Args:
            url: the full URL the provider requested, query string included.
            params: the form parameters, or the raw body text for a JSON body.
            headers: the request headers (names in any case).
        """
        ...


def provider_names() -> tuple[str, ...]:
    """Names of the adapters installed in the ``smskit.providers`` entry-point group."""
    return tuple(sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}))


def load_provider(name: str) -> Callable[..., object]:
    """The adapter class (or factory) registered under ``name``.

    >>> load_provider("memory").__name__
    'MemoryProvider'

    Raises:
        ConfigurationError: no adapter of that name is installed (the message
            lists those that are), or the one installed cannot be imported.
    """
    for ep in entry_points(group=ENTRY_POINT_GROUP, name=name):
        try:
            loaded: Callable[..., object] = ep.load()
        except (ImportError, AttributeError) as exc:
            raise ConfigurationError(
                f"the smskit provider {name!r} is installed but {ep.value!r} cannot be "
                f"loaded ({type(exc).__name__}: {exc}); reinstall the package that "
                "provides it, with the extras it needs",
                field="provider",
            ) from exc
        return loaded
    known = ", ".join(provider_names()) or "none"
    raise ConfigurationError(
        f"no smskit provider named {name!r} is installed (installed: {known}); "
        f"a third-party adapter registers in the {ENTRY_POINT_GROUP!r} entry-point group",
        field="provider",
    )
