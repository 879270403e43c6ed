"""Twilio webhooks without the SDK: signatures, inbound messages, status callbacks.

Signatures (``X-Twilio-Signature``), as twilio-python's ``RequestValidator``
computes them: the full URL, then for each parameter name in sorted order each
of its distinct values in sorted order, name and value appended with nothing
between; HMAC over that with the Auth Token (SHA-1), base64. A JSON body is
signed through the URL instead: its SHA-256 hex digest travels as the
``bodySHA256`` query parameter and the HMAC covers the URL alone. Twilio's own
validator accepts the URL both with and without its port, because Twilio's
signing is not consistent about it; so does this one. With shared keys
(``X-Twilio-Webhooks-Signature-Settings: key=<id>,algorithm=HMAC_SHA256``) the
signed string is the same and the HMAC is SHA-256 with that key's secret.
Sources: https://www.twilio.com/docs/usage/webhooks/webhooks-security and
https://www.twilio.com/docs/usage/webhooks/webhook-shared-keys.

>>> sig = compute_twilio_signature("https://example.com/sms", {"Body": "STOP"}, "secret")
>>> TwilioSignatureVerifier("secret").verify(
...     "https://example.com/sms", {"Body": "STOP"}, {"x-twilio-signature": sig})
True
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Final
from urllib.parse import SplitResult, parse_qs, urlsplit

from ..errors import ConfigurationError, ProviderResponseError
from ..findings import _shown  # a URL's repr, runs of digits that may be numbers masked
from ._twilio_codes import twilio_error_code
from .model import (
    DeliveryStatus,
    Geography,
    InboundMessage,
    MediaItem,
    MessageStatus,
    OptOutType,
)
from .protocols import WebhookParams, header_pairs, require_form

__all__ = [
    "IDEMPOTENCY_HEADER",
    "SIGNATURE_HEADER",
    "SIGNATURE_SETTINGS_HEADER",
    "TwilioSignatureVerifier",
    "TwilioWebhookParser",
    "compute_twilio_signature",
    "parse_twilio_inbound",
    "parse_twilio_status",
]

SIGNATURE_HEADER: Final = "X-Twilio-Signature"
SIGNATURE_SETTINGS_HEADER: Final = "X-Twilio-Webhooks-Signature-Settings"
IDEMPOTENCY_HEADER: Final = "I-Twilio-Idempotency-Token"

_DIGESTS: Final = {"HMAC_SHA1": hashlib.sha1, "HMAC_SHA256": hashlib.sha256}
_DEFAULT_PORTS: Final = {"https": 443, "http": 80}
_NAME: Final = "twilio"
_MAX_MEDIA: Final = 10  # Twilio's documented maximum per message (error 21623)


def _not_text(what: str, name: object) -> ProviderResponseError:
    return ProviderResponseError(
        f"webhook parameter {str(name)[:40]!r} has a {what} that is not text; pass the "
        "form parameters as the framework parsed them (str names and str values)",
        provider=_NAME,
    )


def _text(name: str, value: object) -> str:
    if isinstance(value, str):
        return value
    raise _not_text(f"{type(value).__name__} value", name)


def _names(params: WebhookParams) -> list[str]:
    names = list(params)
    for name in names:
        if not isinstance(name, str):
            raise _not_text(f"{type(name).__name__} name", name)
    return names


def _values(params: WebhookParams, name: str) -> list[str]:
    """All values of one parameter, whatever kind of mapping the framework gave.

    Raises:
        ProviderResponseError: a value is not text (a JSON number, null, object).
    """
    for method in ("getall", "getlist"):  # Werkzeug/multidict, Django
        getter = getattr(params, method, None)
        if callable(getter):
            return [_text(name, v) for v in getter(name)]
    value: object = params[name]
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return [_text(name, v) for v in value]
    raise _not_text(f"{type(value).__name__} value", name)


def _signed_string(url: str, params: WebhookParams) -> str:
    pieces = [url]
    for name in sorted(set(_names(params))):
        for value in sorted(set(_values(params, name))):
            pieces.append(name + value)
    return "".join(pieces)


def compute_twilio_signature(
    url: str, params: WebhookParams, key: str, algorithm: str = "HMAC_SHA1"
) -> str:
    """The signature Twilio sends for a form POST of ``params`` to ``url``.

    Args:
        url: the full URL, query string included.
        params: the POST parameters (``{}`` for a JSON body signed through its URL).
        key: the Auth Token, or a shared key's secret.
        algorithm: ``"HMAC_SHA1"`` (Auth Token) or ``"HMAC_SHA256"`` (shared keys).

    Raises:
        ConfigurationError: ``algorithm`` is neither, or ``url``, ``key`` or
            ``algorithm`` is not a str.
    """
    for field, value in (("url", url), ("key", key), ("algorithm", algorithm)):
        if not isinstance(value, str):  # an AttributeError from deep inside otherwise
            raise ConfigurationError(
                f"{field} must be a str, not {type(value).__name__}"
                + (" (decode a token read as bytes)" if isinstance(value, bytes) else ""),
                field=field,
            )
    digest = _DIGESTS.get(algorithm.upper())
    if digest is None:
        raise ConfigurationError(
            f"unknown signature algorithm {algorithm[:20]!r}; Twilio uses "
            f"{', '.join(_DIGESTS)}",
            field="algorithm",
        )
    mac = hmac.new(key.encode("utf-8"), _signed_string(url, params).encode("utf-8"), digest)
    return base64.b64encode(mac.digest()).decode("ascii")


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        # Text only: a WSGI environ's own entries are files and tuples, no headers.
        if key.lower() == wanted and isinstance(value, str):
            return value
    return None


def _settings(header: str | None) -> tuple[str, str | None]:
    """(algorithm, key id) announced by the signature-settings header."""
    fields: dict[str, str] = {}
    for part in (header or "").split(","):
        name, sep, value = part.partition("=")
        if sep:
            fields[name.strip().lower()] = value.strip()
    return fields.get("algorithm") or "HMAC_SHA1", fields.get("key") or None


def _url_variants(url: str) -> tuple[str, ...]:
    """The URL without its port and with it (the default port added if missing)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # not a number: nothing to vary
        return (url,)
    if port:
        return (parts._replace(netloc=parts.netloc.split(":")[0]).geturl(), parts.geturl())
    default = _DEFAULT_PORTS.get(parts.scheme, 80)
    return (parts.geturl(), parts._replace(netloc=f"{parts.netloc}:{default}").geturl())


def _same(a: str, b: str) -> bool:
    # compare_digest refuses non-ASCII str; bytes compare in constant time all the same.
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def _require_secret_text(key_id: object, secret: object) -> None:
    # bytes would fail in hmac.new's key.encode on every webhook signed with the key.
    if not isinstance(secret, str):
        raise ConfigurationError(
            f"the shared key {str(key_id)[:40]!r} has a {type(secret).__name__} secret; "
            "give it as text (str), e.g. secret.decode()",
            field="shared_keys",
        )


def _public_base(public_url: object) -> tuple[str, str, str] | None:
    """``public_url`` as (scheme, netloc, path prefix), checked; ``None`` stays ``None``."""
    if public_url is None:
        return None
    if not isinstance(public_url, str):
        raise ConfigurationError(
            f"public_url must be text such as 'https://crm.example.com', not "
            f"{type(public_url).__name__}",
            field="public_url",
        )
    try:
        parts = urlsplit(public_url)
        parts.port  # noqa: B018 - a port that is no number raises here
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in _DEFAULT_PORTS
        or not parts.hostname
        or parts.query
        or parts.fragment
        or "@" in parts.netloc
        or any(char.isspace() or not char.isprintable() for char in public_url)
    ):
        # Credentials in it (user:password@) are not repeated into a log.
        shown = "the one given" if "@" in public_url else repr(public_url[:80])
        raise ConfigurationError(
            "public_url must be the scheme and host Twilio calls, with an optional path "
            f"prefix and nothing else (no query or credentials), such as "
            f"'https://crm.example.com', without spaces or control characters; {shown} "
            "is not",
            field="public_url",
        )
    return parts.scheme, parts.netloc, parts.path.rstrip("/")


def _split(url: str) -> SplitResult | None:
    """``urlsplit(url)``, or ``None`` for a host urllib refuses ("Invalid IPv6 URL" for
    an unclosed "[": frameworks build the URL from the Host header anyone can send)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _rebased(url: str, base: tuple[str, str, str]) -> str:
    """``url`` (full, or only its path and query) at the public address ``base``."""
    parts = None if url.startswith("/") else _split(url)
    if parts is None:
        if not url.startswith("/"):
            # A host urllib refuses: it is replaced anyway, keep the path and query.
            _, sep, rest = url.partition("://")
            tail = rest if sep else url
            url = tail[min((at for at in map(tail.find, "/?#") if at >= 0), default=len(tail)):]
        # A path and query alone (an ASGI scope's): read after a host, so that
        # "//hooks/sms" stays a path rather than the host "hooks" and the path "/sms".
        parts = urlsplit("http://path-only" + url)
    scheme, netloc, prefix = base
    return parts._replace(scheme=scheme, netloc=netloc, path=prefix + parts.path).geturl()


def _forwarded_origin(headers: Mapping[str, str]) -> str | None:
    """The scheme and host a proxy says the client asked for (``X-Forwarded-Proto`` and
    ``X-Forwarded-Host``, else RFC 7239 ``Forwarded``); read only to explain a failure,
    since anyone can send these headers."""
    proto = (_header(headers, "X-Forwarded-Proto") or "").split(",")[0].strip().lower()
    host = (_header(headers, "X-Forwarded-Host") or "").split(",")[0].strip()
    if not (proto and host):
        first = (_header(headers, "Forwarded") or "").split(",")[0]
        pairs = {
            name.strip().lower(): value.strip().strip('"')
            for name, sep, value in (item.partition("=") for item in first.split(";"))
            if sep
        }
        proto, host = proto or pairs.get("proto", "").lower(), host or pairs.get("host", "")
    if proto not in _DEFAULT_PORTS or not host or any(c in host for c in "/?#@ \t"):
        return None
    return f"{proto}://{host}"


def _clipped(url: str, limit: int) -> str:
    """``url`` shown in a message: at most ``limit`` characters, numbers masked. A cut
    through a number would keep its first digits too few to be masked ("+121255"),
    so the digits and separators before the cut go with it."""
    if len(url) > limit:
        url = url[:limit].rstrip("0123456789 ()./,:+-%") + "..."
    return _shown(url)


def _body_failure(query: str, params: WebhookParams | str) -> str | None:
    """Why the body fails :meth:`TwilioSignatureVerifier.verify` whatever the URL, or
    ``None``: a JSON webhook is held to the ``bodySHA256`` in its query."""
    body_hashes = parse_qs(query).get("bodySHA256")
    if body_hashes and not isinstance(params, str):
        return (
            "a JSON webhook (bodySHA256 in its URL) is checked with its raw body: pass "
            "the request body as text, not parsed parameters"
        )
    if isinstance(params, str) and not body_hashes:
        return (
            "a raw body is checked only through the bodySHA256 in a JSON webhook's URL, "
            "and this URL has none: for a form post pass the form parameters"
        )
    if isinstance(params, str) and body_hashes:
        body_hash = hashlib.sha256(params.encode("utf-8")).hexdigest()
        if not _same(body_hash, body_hashes[0]):
            return (
                "the body's SHA-256 is not the bodySHA256 in the URL: pass the body "
                "exactly as received, decoded as UTF-8 (not parsed and serialized again)"
            )
    return None


class TwilioSignatureVerifier:
    """Checks Twilio webhook signatures (implements :class:`SignatureVerifier`).

    Args:
        auth_token: the account's Auth Token (signs with HMAC-SHA1).
        shared_keys: secrets of SHA-256 shared keys by key id, or a function
            from key id to secret (``None`` when unknown). A request naming an
            unknown key (or one with an empty secret), or an algorithm other than
            HMAC_SHA1/HMAC_SHA256, fails.
        public_url: behind a proxy or tunnel, the scheme and host Twilio calls
            (``https://crm.example.com``, with an optional path prefix): the URL
            given to :meth:`verify` keeps its path and query and takes this scheme
            and host (and port) in place of the ones the application saw
            (``http://internal:8000``). Request headers (``Host``,
            ``X-Forwarded-Host``) never choose the URL: anyone can send them.

    Raises:
        ConfigurationError: ``auth_token`` is empty, not text, has leading or
            trailing whitespace, is wrapped in quotes, or is shaped like an Account
            or API key SID; a ``shared_keys`` secret is not text; ``public_url`` is
            not an ``http``/``https`` URL with a host and no query, fragment or
            credentials.
    """

    def __init__(
        self,
        auth_token: str,
        shared_keys: Mapping[str, str] | Callable[[str], str | None] | None = None,
        *,
        public_url: str | None = None,
    ) -> None:
        self._public = _public_base(public_url)
        if not isinstance(auth_token, str) or not auth_token.strip():
            # An empty HMAC key is a key anyone can sign with (an unset
            # environment variable read with a "" default; None without one).
            if isinstance(auth_token, bytes):
                raise ConfigurationError(
                    "TwilioSignatureVerifier needs the Auth Token as text (str), not bytes; "
                    "decode it (token.decode())",
                    field="auth_token",
                )
            raise ConfigurationError(
                "TwilioSignatureVerifier needs the account's Auth Token; it is "
                f"{'empty' if isinstance(auth_token, str) else type(auth_token).__name__} "
                "(is the environment variable that holds it set?)",
                field="auth_token",
            )
        if auth_token != auth_token.strip():
            # Read from a file with its newline, the key fails every genuine
            # request; Twilio's tokens never contain whitespace.
            raise ConfigurationError(
                "the Auth Token given to TwilioSignatureVerifier has leading or trailing "
                "whitespace (a newline kept from a file or secret store?); strip it",
                field="auth_token",
            )
        _refuse_misplaced_token(auth_token)
        self._auth_token = auth_token
        if shared_keys is None:
            self._key_for: Callable[[str], str | None] = lambda _key_id: None
        elif isinstance(shared_keys, Mapping):
            keys = dict(shared_keys)
            for key_id, secret in keys.items():
                _require_secret_text(key_id, secret)
            self._key_for = keys.get
        else:
            self._key_for = shared_keys

    def verify(
        self, url: str, params: WebhookParams | str | None, headers: Mapping[str, str]
    ) -> bool:
        """True when the request's signature is valid.

        Args:
            url: the full URL Twilio requested, query string included; with
                ``public_url``, the URL the application saw (or only its path and
                query), put at the public address.
            params: the form parameters, or the raw body text of a JSON post
                (a URL with ``bodySHA256`` verifies only with the raw body); ``None``
                is none (a GET webhook, whose fields are in the signed URL).
            headers: the request headers; names are matched in any case.

        Raises:
            ProviderResponseError: the body is bytes (decode it or parse the
                form), the URL is not text (bytes from an ASGI scope), a
                parameter or header name or value is not text,
                the headers are not a mapping, or the URL, a parameter or the body
                holds a lone surrogate (it cannot be encoded as UTF-8, so it cannot
                be what Twilio signed).
            ConfigurationError: the ``shared_keys`` function gave a secret that is
                not text.
        """
        # Werkzeug's headers (Flask) are no Mapping but have items(); None is none.
        header_pairs(headers, _NAME)
        if isinstance(params, bytes | bytearray):
            # As async frameworks give the body (await request.body()); iterated as a
            # mapping it was refused naming a parameter '70' the webhook does not have.
            raise ProviderResponseError(
                f"webhook body given as {type(params).__name__}: for a form post pass the "
                "parsed form (await request.form(), await request.post()); for a JSON "
                "webhook (bodySHA256 in its URL) the body as text, body.decode('utf-8')",
                provider=_NAME,
            )
        if params is None:  # no form (a GET webhook), as Twilio's RequestValidator reads it
            params = {}
        try:
            return self._verify(self.signed_url(url), params, {} if headers is None else headers)
        except UnicodeEncodeError as exc:
            raise ProviderResponseError(
                f"webhook with a lone surrogate (U+{ord(exc.object[exc.start]):04X}) in its "
                "URL, parameters or body: it cannot be encoded as UTF-8, so it is not what "
                "Twilio signed; decode the request as UTF-8 (invalid bytes replaced)",
                provider=_NAME,
            ) from None

    def signed_url(self, url: str) -> str:
        """The URL the signature is checked against: ``url``, or with ``public_url``
        its path and query at the public address."""
        if not isinstance(url, str):
            # An ASGI scope's raw_path and query_string are bytes; Starlette's and
            # aiohttp's request.url are URL objects, with nothing to decode.
            how = "decode it" if isinstance(url, bytes | bytearray) else "pass str(request.url)"
            raise ProviderResponseError(
                f"the webhook URL must be text, not {type(url).__name__} ({how})",
                provider=_NAME,
            )
        if self._public is None:
            return url
        return _rebased(url, self._public)

    def failure(
        self, url: str, params: WebhookParams | str, headers: Mapping[str, str]
    ) -> str | None:
        """Why :meth:`verify` is False for this request, or ``None`` when it is True.

        When the signature is Twilio's for a near URL (the scheme and host a proxy
        forwarded, the other scheme, a trailing slash added or dropped) the reason
        names that URL and what to change; that URL is never accepted.
        """
        given = {} if headers is None else headers
        if self.verify(url, params, given):
            return None
        if not _header(given, SIGNATURE_HEADER):
            return f"no {SIGNATURE_HEADER} header"
        checked = self.signed_url(url)
        parts = _split(checked)
        if parts is None:
            return (
                "the URL given is not a valid URL (a host urllib cannot read, such as an "
                "unclosed '[' from the Host header); pass the URL Twilio requested, or give "
                "TwilioSignatureVerifier(..., public_url=...) the scheme and host Twilio calls"
            )
        body_reason = _body_failure(parts.query, params)
        if body_reason is not None:
            return body_reason  # the same for every URL: the body hash is in the query
        if not (parts.scheme and parts.netloc):
            return (
                "the URL given has no scheme and host; pass the full URL Twilio requested, "
                "or give TwilioSignatureVerifier(..., public_url=...) the scheme and host "
                "Twilio calls"
            )
        path_query = parts._replace(scheme="", netloc="").geturl()
        origin = f"{parts.scheme}://{parts.netloc}"
        near: list[tuple[str, str]] = []
        forwarded = _forwarded_origin(given)
        if forwarded is not None and forwarded.lower() != origin.lower():
            near.append((forwarded + path_query, "the scheme and host your proxy forwarded"))
        other = {"http": "https", "https": "http"}.get(parts.scheme)
        if other is not None:
            near.append((parts._replace(scheme=other).geturl(), f"{other}, not {parts.scheme}"))
        slash = parts.path[:-1] if parts.path.endswith("/") else parts.path + "/"
        if slash:
            near.append((parts._replace(path=slash).geturl(), "the path as Twilio called it"))
        for candidate, what in near:
            try:
                signed = self._verify(candidate, params, given)
            except UnicodeEncodeError:  # a lone surrogate in a forwarded header
                continue
            if signed:
                if what.startswith("the path"):
                    hint = (
                        "your proxy or framework adds or drops a trailing slash; pass the "
                        "path Twilio called (the URL set at Twilio)"
                    )
                elif self._public is not None:
                    hint = (
                        "public_url is another address; correct it if Twilio calls this "
                        "one, else the request was signed for another of your hosts and "
                        "replayed here"
                    )
                else:
                    hint = (
                        "behind a proxy, give TwilioSignatureVerifier(..., public_url=...) "
                        "the scheme and host Twilio calls; forwarded headers are not "
                        "trusted, as anyone can send them"
                    )
                return (
                    f"the signature is Twilio's for {_clipped(candidate, 200)} ({what}), not "
                    f"for the URL checked, {_clipped(checked, 200)}: {hint}"
                )
        return (
            "signature does not match: check the auth token and that the URL is exactly "
            "the one Twilio requested (scheme, host, port, path, query; checked at "
            f"{_clipped(origin, 120)})"
        )

    def _verify(self, url: str, params: WebhookParams | str, headers: Mapping[str, str]) -> bool:
        signature = _header(headers, SIGNATURE_HEADER)
        if not signature:
            return False
        algorithm, key_id = _settings(_header(headers, SIGNATURE_SETTINGS_HEADER))
        algorithm = algorithm.upper()
        if algorithm not in _DIGESTS:
            return False
        if algorithm == "HMAC_SHA1":
            key: str | None = self._auth_token
        else:
            key = self._key_for(key_id) if key_id else None
            if key is not None:
                _require_secret_text(key_id, key)
        if not key:
            return False  # unknown key id, or an empty secret anyone could sign with
        parts = _split(url)
        if parts is None:
            return False  # not a URL Twilio signed
        body_hashes = parse_qs(parts.query).get("bodySHA256")
        if body_hashes and not isinstance(params, str):
            # A JSON post: the HMAC covers the URL alone, so checked with form
            # fields (none: a framework's form of a JSON post is empty) the body
            # would pass unchecked. Only the raw body can be held to its hash.
            return False
        if isinstance(params, str):
            if not body_hashes:
                return False  # a raw body can only be checked through bodySHA256
            body_hash = hashlib.sha256(params.encode("utf-8")).hexdigest()
            if not _same(body_hash, body_hashes[0]):
                return False
            params = {}
        return any(
            _same(compute_twilio_signature(candidate, params, key, algorithm), signature)
            for candidate in _url_variants(url)
        )


# --- parsing -------------------------------------------------------------------

# The statuses of a message we receive; an inbound webhook carries one of them, and Body.
_INBOUND_STATUSES: Final = frozenset({"received", "receiving"})

_RAW_DLR = re.compile(r"\A(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\Z", re.ASCII)


def _flat(params: WebhookParams) -> dict[str, str]:
    require_form(params, _NAME)
    flat: dict[str, str] = {}
    for name in _names(params):
        values = _values(params, name)
        flat[name] = values[0] if values else ""
    return flat


def _required(flat: Mapping[str, str], *names: str) -> str:
    for name in names:
        value = flat.get(name)
        if value:
            return value
    raise ProviderResponseError(
        f"Twilio webhook without {names[0]}: is this URL configured for the right "
        f"webhook (inbound message vs status callback), and is the body form-encoded?",
        provider=_NAME,
    )


def _geo(flat: Mapping[str, str], side: str) -> Geography:
    return Geography(
        city=flat.get(f"{side}City") or None,
        state=flat.get(f"{side}State") or None,
        zip=flat.get(f"{side}Zip") or None,
        country=flat.get(f"{side}Country") or None,
    )


def _int_or_none(text: str | None) -> int | None:
    # Counts have a few digits; int() refuses over 4300 of them (CPython >= 3.11).
    if text is None or len(text) > 9 or not text.isascii() or not text.isdigit():
        return None
    return int(text)


def _media(flat: Mapping[str, str]) -> tuple[MediaItem, ...]:
    count = min(_int_or_none(flat.get("NumMedia")) or 0, _MAX_MEDIA)
    items = []
    for index in range(count):
        url = flat.get(f"MediaUrl{index}")
        if url:
            items.append(MediaItem(url, flat.get(f"MediaContentType{index}") or None))
    return tuple(items)


def _opt_out(text: str | None) -> OptOutType | None:
    try:
        return OptOutType((text or "").strip().lower())
    except ValueError:
        return None


def _token(headers: Mapping[str, str] | None) -> str | None:
    return (_header(headers, IDEMPOTENCY_HEADER) or None) if headers else None


def _status_shown(status: str) -> str:
    """A status for an error message: Twilio's are lower-case words ("delivered"); any
    other text (a number, a terminal escape) comes from the body and is not echoed."""
    return repr(status) if _STATUS_WORD.fullmatch(status) else "not a status word"


_STATUS_WORD = re.compile(r"[a-z_-]{1,20}")


def parse_twilio_inbound(
    params: WebhookParams, headers: Mapping[str, str] | None = None
) -> InboundMessage:
    """Read Twilio's inbound-message webhook.

    ``From``, ``To`` and ``MessageSid`` (or the legacy ``SmsMessageSid``/``SmsSid``)
    are required; everything else is optional and every parameter is kept in ``raw``.

    Raises:
        ProviderResponseError: a required field is missing, or the webhook is a
            status callback (a status other than received, and no ``Body``).
    """
    flat = _flat(params)
    status = (flat.get("MessageStatus") or flat.get("SmsStatus") or "").strip().lower()
    if status and status not in _INBOUND_STATUSES and "Body" not in flat:
        # A status callback URL set to the inbound route: read as a text from our own
        # number, it would be recorded as received.
        raise ProviderResponseError(
            f"Twilio status callback (status {_status_shown(status)}) posted to the "
            "inbound-message route: point the status callback URL at the status route "
            "(handle_status)",
            provider=_NAME,
        )
    return InboundMessage(
        message_id=_required(flat, "MessageSid", "SmsMessageSid", "SmsSid"),
        sender=_required(flat, "From"),
        to=_required(flat, "To"),
        body=flat.get("Body", ""),
        media=_media(flat),
        opt_out_type=_opt_out(flat.get("OptOutType")),
        from_geo=_geo(flat, "From"),
        to_geo=_geo(flat, "To"),
        num_segments=_int_or_none(flat.get("NumSegments")),
        messaging_service=flat.get("MessagingServiceSid") or None,
        account=flat.get("AccountSid") or None,
        idempotency_token=_token(headers),
        raw=flat,
    )


def _raw_dlr_done(text: str | None) -> datetime | None:
    """``RawDlrDoneDate`` (``YYMMDDhhmm``, no zone given) read as UTC; ``None`` if unreadable."""
    match = _RAW_DLR.match(text or "")
    if match is None:
        return None
    yy, month, day, hour, minute = (int(g) for g in match.groups())
    try:
        return datetime(2000 + yy, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None


def parse_twilio_status(
    params: WebhookParams, headers: Mapping[str, str] | None = None
) -> DeliveryStatus:
    """Read Twilio's status callback.

    ``MessageSid`` and ``MessageStatus`` (or the legacy ``SmsSid``/``SmsStatus``)
    are required. ``ErrorCode`` is mapped to its category and kept as given.

    A ``MessageStatus`` Twilio added after this release is not refused (the
    callback would be lost): it parses as ``UNKNOWN`` with the value in
    ``raw_status``.

    Raises:
        ProviderResponseError: a required field is missing or blank.
    """
    flat = _flat(params)
    message_id = _required(flat, "MessageSid", "SmsSid")
    reported = _required(flat, "MessageStatus", "SmsStatus").strip().lower()
    if reported in _INBOUND_STATUSES and "Body" in flat:
        raise ProviderResponseError(
            "Twilio inbound message posted to the status-callback route: point the "
            "\"A message comes in\" webhook at the inbound route (handle_inbound)",
            provider=_NAME,
        )
    if not reported:
        raise ProviderResponseError(
            "Twilio status callback with a blank MessageStatus: nothing to record; is "
            "the body form-encoded?",
            provider=_NAME,
        )
    try:
        status, raw_status = MessageStatus(reported), None
    except ValueError:
        status, raw_status = MessageStatus.UNKNOWN, reported
    code = flat.get("ErrorCode", "").strip() or None
    info = twilio_error_code(code) if code else None
    return DeliveryStatus(
        message_id=message_id,
        status=status,
        to=flat.get("To") or None,
        sender=flat.get("From") or None,
        error_code=code,
        category=info.category if info else None,
        early_warning=info.early_warning if info else False,
        carrier_done_at=_raw_dlr_done(flat.get("RawDlrDoneDate")),
        account=flat.get("AccountSid") or None,
        idempotency_token=_token(headers),
        raw_status=raw_status,
        raw=flat,
    )


# "AC" or "SK" then 32 hex digits: an Account SID or API key SID, which are public ids,
# not secrets. An Auth Token is 32 hex digits, so it never matches.
_SID_SHAPE = re.compile(r"(?:AC|SK)[0-9a-fA-F]{32}")


def _refuse_misplaced_token(token: str) -> None:
    """Refuse a token that cannot be one and would fail every genuine webhook.

    With one credential row per tenant, a column mix-up (the SID for the token) or a
    value quoted in a ``.env`` file passes a 403 to every webhook of that tenant, its
    STOPs included, with nothing saying why.
    """
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "\"'":
        raise ConfigurationError(
            "the Auth Token given to TwilioSignatureVerifier is wrapped in quotes (kept "
            "from a .env or CSV file?); remove them",
            field="auth_token",
        )
    if _SID_SHAPE.fullmatch(token):
        kind = "an Account" if token.startswith("AC") else "an API key"
        raise ConfigurationError(
            f"the Auth Token given to TwilioSignatureVerifier looks like {kind} SID, "
            "not a token: pass the account's Auth Token (32 hex digits, shown "
            "beside the SID in the Console)",
            field="auth_token",
        )


class TwilioWebhookParser:
    """Both webhook-parsing roles for Twilio (:class:`InboundParser`, :class:`StatusParser`)."""

    def parse_inbound(
        self, params: WebhookParams, headers: Mapping[str, str] | None = None
    ) -> InboundMessage:
        """See :func:`parse_twilio_inbound`."""
        return parse_twilio_inbound(params, headers)

    def parse_status(
        self, params: WebhookParams, headers: Mapping[str, str] | None = None
    ) -> DeliveryStatus:
        """See :func:`parse_twilio_status`."""
        return parse_twilio_status(params, headers)
