"""Texts to your own employees through carrier email-to-text gateways, over SMTP.

Meant for internal alerts to people who agreed to get them, not for customers:
the gateways carry no delivery reports, are filtered heavily, and US carriers
are closing them (see :data:`CARRIER_GATEWAYS`). A send to a gateway that is
closed on the day the provider's clock shows is refused before any SMTP
traffic, saying since when, and pointing to the carrier's MMS gateway if that
one still works, or to a real provider.

Nothing a caller passes can add an email header: the sender address, subject
and recipient are checked for line breaks and control characters, the
recipient's address is built from the number's digits, the message is built
with :class:`email.message.EmailMessage`, and the SMTP envelope names the one
recipient explicitly.
"""

from __future__ import annotations

import re
import smtplib
import ssl
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date
from email.message import EmailMessage
from email.utils import make_msgid

import phonenumbers

from ..consent import Clock, SystemClock
from ..errors import (
    ConfigurationError,
    GatewayClosedError,
    ProviderAmbiguousError,
    ProviderRejectedError,
    ProviderTransportError,
)
from ..numbers import mask_number
from ..segments.encoding import utf16_units
from ._gateways import CARRIER_GATEWAYS, CarrierGateway, gateway_for
from .model import Capabilities, ErrorCategory, MessageStatus, OutboundMessage, SendReceipt

__all__ = ["CARRIER_GATEWAYS", "CarrierGateway", "EmailGatewayProvider", "gateway_for"]

_NAME = "email_gateway"
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")


def _header_safe(value: str, field: str) -> str:
    # Cc: C0 and C1 controls (CR, LF, NEL U+0085...); Zl/Zp: U+2028/U+2029.
    # str.splitlines() breaks lines at all of them, and so does the email package.
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value):
        raise ConfigurationError(
            f"{field} may not contain line breaks or control characters, Unicode "
            "line separators included (they would let text become email headers)",
            field=field,
        )
    return value


def _domain(text: str) -> str:
    """One spelling per domain: any case, with or without the DNS root's trailing dot."""
    return text.strip().lower().rstrip(".")


class EmailGatewayProvider:
    """Sends through carrier email-to-text gateways (implements Provider).

    Args:
        host, port: the SMTP server to hand mail to.
        sender_address: the envelope and ``From`` address.
        directory: the gateway domain of each recipient, by E.164 number, or a
            function giving it (``None`` when unknown).
        starttls: upgrade the connection with STARTTLS before anything else.
        ssl_context: the TLS context for STARTTLS (default: verified system CAs).
        username, password: log in after STARTTLS when given.
        subject: a subject line (most gateways prepend it to the text; default none).
        timeout: seconds for the SMTP connection.
        clock: the time the gateway status is judged at.
        max_body_chars: the longest body sent, in UTF-16 code units; gateways truncate or split long
            mail unpredictably, so 160 (one plain SMS) is the default. This is an
            assumption, not a documented carrier limit.
        gateways: the gateway list to judge closures by (default
            :data:`CARRIER_GATEWAYS`); pass an updated list when a carrier
            announces a date before smskit ships it.
    """

    def __init__(
        self,
        host: str,
        port: int,
        *,
        sender_address: str,
        directory: Mapping[str, str] | Callable[[str], str | None],
        starttls: bool = False,
        ssl_context: ssl.SSLContext | None = None,
        username: str | None = None,
        password: str | None = None,
        subject: str = "",
        timeout: float = 30.0,
        clock: Clock | None = None,
        max_body_chars: int = 160,
        gateways: Sequence[CarrierGateway] = CARRIER_GATEWAYS,
    ) -> None:
        self._gateways = {_domain(gateway.domain): gateway for gateway in gateways}
        self._host = host
        self._port = port
        self._sender = _header_safe(sender_address, "sender_address")
        self._subject = _header_safe(subject, "subject")
        if isinstance(directory, Mapping):
            for key in directory:
                if not isinstance(key, str) or not _E164.fullmatch(key):
                    # Looked up by the recipient's strict E.164: such a key matches
                    # nobody, and every send to that person would fail later.
                    raise ConfigurationError(
                        f"directory keys must be E.164 numbers ('+', country code, digits): "
                        f"{mask_number(str(key))!r} is not",
                        field="directory",
                    )
        self._directory: Callable[[str], str | None] = (
            dict(directory).get if isinstance(directory, Mapping) else directory
        )
        self._starttls = starttls
        self._ssl_context = ssl_context
        self._login = (username, password or "") if username else None
        self._timeout = timeout
        self._clock = clock or SystemClock()
        self._capabilities = Capabilities(
            mms=False,
            max_media_count=0,
            max_media_bytes=None,
            max_body_chars=max_body_chars,
            reports_delivery=False,
        )

    @property
    def name(self) -> str:
        """``"email_gateway"``."""
        return _NAME

    @property
    def capabilities(self) -> Capabilities:
        """Text only, no delivery reports."""
        return self._capabilities

    def address_for(self, to: str, day: date) -> str:
        """The gateway email address for ``to``, checked against the gateway list on ``day``.

        Raises:
            ConfigurationError: the number is not valid E.164 or has no domain
                in the directory.
            GatewayClosedError: the carrier's gateway is closed on ``day``.
        """
        try:
            number = phonenumbers.parse(to, None) if _E164.fullmatch(to) else None
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_possible_number(number):
            raise ConfigurationError(
                f"{mask_number(to)} is not a possible E.164 number", field="to"
            )
        domain = self._directory(to)
        if not domain:
            raise ConfigurationError(
                f"no gateway domain for {mask_number(to)} in the directory", field="directory"
            )
        domain = _header_safe(_domain(domain), "directory")
        if "@" in domain or " " in domain:
            # Such an entry is often the whole gateway address, the number in
            # front of the "@": its digits are not shown.
            shown = re.sub(r"[0-9]", "*", domain)
            raise ConfigurationError(
                f"the directory entry for {mask_number(to)} is not a domain ({shown!r}, digits "
                "hidden): map each number to its gateway's domain, such as 'vtext.com'",
                field="directory",
            )
        gateway = self._gateways.get(domain)
        if gateway is not None and gateway.closed_at(day):
            raise _closed(gateway, day, self._gateways.values())
        return f"{number.national_number}@{domain}"

    def send(self, message: OutboundMessage) -> SendReceipt:
        """Mail the text to the recipient's gateway.

        Raises:
            GatewayClosedError: the gateway is closed on the clock's UTC date (no SMTP traffic).
            ProviderRejectedError: the message has media, is too long, or the
                SMTP server refused it.
            ProviderTransportError: the server could not be reached; nothing was sent.
            ProviderAmbiguousError: the connection failed after the message was
                handed over; it may have gone out.
        """
        now = self._clock.now()
        # Judged on the UTC date, so the same instant gets the same answer
        # whatever zone the clock reports in (a Pacific clock reads June 16
        # for hours after June 17 has begun in UTC and in the US East).
        day = (now.astimezone(UTC) if now.tzinfo is not None else now).date()
        address = self.address_for(message.to, day)
        if message.media_urls or utf16_units(message.body) > self._capabilities.max_body_chars:
            raise ProviderRejectedError(
                "the email gateway carries text only, of at most "
                f"{self._capabilities.max_body_chars} UTF-16 units (an emoji counts two)",
                provider=_NAME,
                category=ErrorCategory.CONTENT_REJECTED,
            )
        mail = EmailMessage()
        mail["From"] = self._sender
        mail["To"] = address
        if self._subject:
            mail["Subject"] = self._subject
        message_id = make_msgid(domain=self._sender.rpartition("@")[2] or None)
        mail["Message-ID"] = message_id
        mail.set_content(message.body)
        self._deliver(mail, address, message)
        return SendReceipt(
            provider=_NAME,
            message_id=message_id,
            status=MessageStatus.SENT,
            to=message.to,
            accepted_at=now,
            idempotency_key=message.idempotency_key,
        )

    def _deliver(self, mail: EmailMessage, address: str, message: OutboundMessage) -> None:
        try:
            smtp = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
        except OSError as exc:
            raise ProviderTransportError(
                f"could not connect to the SMTP server {self._host}:{self._port}; nothing sent",
                provider=_NAME,
            ) from exc
        handed_over = False
        try:
            smtp.ehlo()
            if self._starttls:
                smtp.starttls(context=self._ssl_context or ssl.create_default_context())
                smtp.ehlo()
            if self._login is not None:
                smtp.login(*self._login)
            handed_over = True
            smtp.send_message(mail, from_addr=self._sender, to_addrs=[address])
        except smtplib.SMTPAuthenticationError as exc:
            raise ProviderRejectedError(
                "the SMTP server refused the login", provider=_NAME,
                status=exc.smtp_code, category=ErrorCategory.ACCOUNT,
            ) from exc
        # The server's replies quote the gateway address, that is the number in
        # full: they are not chained onto these errors (a logged traceback would
        # show them); the SMTP code is kept.
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [reply[0] for reply in exc.recipients.values()]
            raise ProviderRejectedError(
                f"the SMTP server refused the gateway address for {mask_number(message.to)}"
                f" (code {codes[0] if codes else 'none'})",
                provider=_NAME, status=codes[0] if codes else None,
                category=ErrorCategory.INVALID_NUMBER,
            ) from None
        except smtplib.SMTPResponseException as exc:
            temporary = 400 <= exc.smtp_code < 500
            raise ProviderRejectedError(
                f"the SMTP server refused the message (code {exc.smtp_code})",
                provider=_NAME, status=exc.smtp_code,
                category=ErrorCategory.TEMPORARY if temporary else ErrorCategory.UNKNOWN,
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            if handed_over:
                raise ProviderAmbiguousError(
                    "the SMTP connection failed while the message was being handed over; "
                    "it may have been sent",
                    provider=_NAME, idempotency_key=message.idempotency_key,
                ) from exc
            raise ProviderTransportError(
                "the SMTP session failed before the message was handed over; nothing sent",
                provider=_NAME,
            ) from exc
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


# What the refusal says of its date's source (CarrierGateway.status): no carrier's own
# notice was retrieved for any shipped closure. A list of the caller's own (gateways=)
# may carry another status, a carrier's notice: its date is then quoted as a plain source.
_QUALITY = {"S": "secondary source, no carrier notice retrieved", "U": "unverified"}


def _closed(
    gateway: CarrierGateway, day: date, gateways: Iterable[CarrierGateway]
) -> GatewayClosedError:
    since = (
        gateway.closes_on.strftime("%B %Y")
        if gateway.precision == "month" and gateway.closes_on
        else str(gateway.closes_on)
    )
    alternative = next(
        (
            other
            for other in gateways
            if other.carrier == gateway.carrier and other.kind == "mms"
            and other is not gateway and not other.closed_at(day)
        ),
        None,
    )
    hint = (
        f"try the carrier's MMS gateway {alternative.domain}, or send through a real provider"
        if alternative
        else "send through a real SMS provider (e.g. TwilioProvider) instead"
    )
    return GatewayClosedError(
        f"{gateway.carrier}'s email-to-text gateway {gateway.domain} is closed since {since} "
        f"({_QUALITY.get(gateway.status, 'source')}: {gateway.source}); {hint}",
        provider=_NAME,
        domain=gateway.domain,
        closed_on=gateway.closes_on or day,
    )
