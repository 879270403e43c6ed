"""``SenderProfile``: one sending number or messaging service, built once.

One profile serves both halves of the library: the consent ledger reads its
reply texts and keywords; the compliance engine (:mod:`smskit.policy`) reads its
route, registration, limits, service level, prefix and footer. It lives here,
below the engine, because the ledger (layer 3) needs it.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Literal

from ..errors import ConfigurationError, KeywordError
from ..findings import Finding, Severity, _shown
from ..keywords.classify import (
    _FCC_RULE,
    FCC_REVOCATION_SOURCE,
    KeywordSet,
    _default_set,
    missing_revocation_words,
)
from ..numbers.parse import mask_sender
from ..routes import Route
from .model import Channel, ConsentScope, coerce_enum_set

__all__ = [
    "DEFAULT_REPLY_TRANSLATIONS",
    "Registration",
    "ReplyTexts",
    "Requirement",
    "SenderProfile",
    "ServiceLevel",
]

TEXT_CHANNELS = frozenset({Channel.SMS, Channel.MMS, Channel.RCS})

# \Z, not $: "$" also matches before a final newline, and a sender id with one is
# no number a reply reaches (and cannot be recorded as received_by: a STOP was lost).
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}\Z")
# GSM 03.40 alphanumeric originator: at most 11 characters, at least one letter.
_ALPHANUMERIC = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9 ._-]{1,11}\Z")
_SHORT_CODE = re.compile(r"^[0-9]{5,6}\Z")
# A Twilio Messaging Service SID as Twilio issues it: "MG" and 32 lower-case hex digits.
_MESSAGING_SERVICE = re.compile(r"^MG[0-9a-f]{32}\Z")
# NANP toll-free area codes in service (NANPA): 800, 833, 844, 855, 866, 877, 888.
_TOLL_FREE = re.compile(r"^\+18(00|33|44|55|66|77|88)[0-9]{7}\Z")
_NANP = re.compile(r"^\+1[0-9]{10}\Z")


def _route_of_sender_id(sid: str) -> Route | None:
    """The route a sender id's form implies: a 5-6 digit short code, a +1 8XX toll-free
    number, another +1 number (10DLC), another E.164 number (international); ``None``
    for an alphanumeric id (outside US/Canada only) or anything else."""
    if _SHORT_CODE.match(sid):
        return Route.SHORT_CODE
    if _TOLL_FREE.match(sid):
        return Route.TOLL_FREE
    if _E164.match(sid):
        return Route.TEN_DLC if _NANP.match(sid) else Route.INTERNATIONAL
    return None


class Registration(StrEnum):
    """A sender's registration with the carriers. Values are stored: never renamed.

    10DLC: brand and campaign ``approved``, ``pending`` or ``none`` at The Campaign
    Registry; toll-free: ``verified``, ``pending`` or ``none``. ``not_required``
    for routes without one (short codes are approved per program; international).
    """

    APPROVED = "approved"
    VERIFIED = "verified"
    PENDING = "pending"
    NONE = "none"
    NOT_REQUIRED = "not_required"

    @property
    def cleared(self) -> bool:
        """Traffic may flow: approved, verified or not required."""
        return self in (Registration.APPROVED, Registration.VERIFIED, Registration.NOT_REQUIRED)


@dataclass(frozen=True, slots=True)
class ServiceLevel:
    """What the account's plan allows per message, as CRMs sell it.

    Attributes:
        name: the plan's name, shown in findings (``"standard"``).
        max_characters: most characters per message, counted in UTF-16 code units
            (an emoji counts two, as providers count); ``None``: no plan limit.
        gsm_only: only GSM-7 text (no emoji, no accented letters outside GSM).
    """

    name: str
    max_characters: int | None = None
    gsm_only: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ConfigurationError("service_level.name: give the plan a name", field="name")
        if self.max_characters is not None and (
            type(self.max_characters) is not int or self.max_characters < 1
        ):
            raise ConfigurationError(
                f"service_level.max_characters must be a whole number of at least 1 or "
                f"omitted, not {self.max_characters!r}",
                field="max_characters",
            )
        if type(self.gsm_only) is not bool:
            raise ConfigurationError("service_level.gsm_only must be true or false",
                                     field="gsm_only")


@dataclass(frozen=True, slots=True)
class Requirement:
    """When a text (the identification prefix, the opt-out footer) must be in a message.

    Attributes:
        first_message: in the first message to a recipient.
        marketing: in every marketing message.
        every_nth: in every Nth message to a recipient (1st, N+1th...); 0: never
            by count. CTIA asks informational programs to remind of the opt-out at
            least monthly; a count is how CRMs approximate it.
    """

    first_message: bool = True
    marketing: bool = False
    every_nth: int = 0

    def __post_init__(self) -> None:
        for name in ("first_message", "marketing"):
            if type(getattr(self, name)) is not bool:
                raise ConfigurationError(f"{name} must be true or false", field=name)
        if type(self.every_nth) is not int or self.every_nth < 0:
            raise ConfigurationError(
                f"every_nth must be a whole number of at least 0, not {self.every_nth!r}",
                field="every_nth",
            )

    def applies(self, *, first: bool, marketing: bool, sent_before: int) -> bool:
        """Whether the text is required for this message.

        ``sent_before``: messages already sent to the recipient by this sender.
        """
        return (
            (self.first_message and first)
            or (self.marketing and marketing)
            or (self.every_nth > 0 and sent_before % self.every_nth == 0)
        )


#: The four auto-reply texts of a profile, by attribute name.
ReplyName = Literal["opt_out_reply", "help_reply", "opt_in_reply", "confirm_reply"]
_REPLY_NAMES: Final[tuple[ReplyName, ...]] = (
    "opt_out_reply", "help_reply", "opt_in_reply", "confirm_reply"
)


#: Twilio's page relaying the carriers' short code rules (the CTIA Short Code Monitoring
#: Handbook): a HELP answer names the program, gives a customer-care contact (a phone
#: number, e-mail or web address), says how to opt out, and that message and data rates
#: may apply.
HELP_CONTACT_SOURCE: Final = (
    "https://support.twilio.com/hc/en-us/articles/223182208-US-Short-Code-Keyword-"
    "Requirements-HELP-STOP-and-Opt-In-Confirmation"
)

# What reads as a way to reach the business in a HELP text. A phone number: 7 to 15
# digits, separated by at most two of space ( ) . - each (a 5-6 digit short code is the
# number texted, not a care line; an ISO date "2026-12-25" is no number). A North
# American toll-free vanity number led by 1 ("1-800-FLOWERS", "1 888 GOT-JUNK"). An
# e-mail address. A web address: with a scheme, www., a path, or a bare name under a
# common top-level domain ("acme.com", "acme.shop") or a lower-case two-letter country
# one ("acme.co.uk", "acme.de"; "St.John" and "apply.To stop" are no address).
_CONTACT: Final = re.compile(
    r"(?<!\w)(?!\d{4}-[01]\d-[0-3]\d(?!\d))[+(]?\d(?:[\s().\-]{0,2}\d){6,14}(?!\w)"
    r"|(?<![\w+])\+?1[\s.\-]\(?8(?:00|33|44|55|66|77|88)\)?[\s.\-]"
    r"(?=(?:[A-Z0-9]-?){7}(?![\w-]))(?=[0-9\-]*[A-Z])(?-i:[A-Z0-9\-]{7,9})"
    r"|[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
    r"|https?://\S|(?<!\w)www\.\S"
    r"|(?<![\w@.])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/"
    r"|(?<![\w@.])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|ca|org|net|us|io|co|info|biz"
    r"|help|app|mx|fr|es|dev|shop|store|online|site|xyz|care|health|clinic|dental"
    r"|law|auto)(?!\w|\.\w)"
    r"|(?<![\w@.])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?-i:[a-z]{2})(?!\w|\.\w)",
    re.IGNORECASE,
)


def has_contact(text: str) -> bool:
    """Whether ``text`` holds a phone number, an e-mail address or a web address."""
    return _CONTACT.search(text) is not None


# The warnings already logged (the profile's number, the code, the message naming the
# texts): a process that builds a Messenger per request logs each once, not per request.
_LOGGED: set[tuple[str, str, str]] = set()


def log_advice(profiles: Iterable[SenderProfile], logger: logging.Logger) -> None:
    """Log each profile's :meth:`SenderProfile.advice` as a WARNING, once per process.

    A program that builds its profiles in code sees what ``smskit check`` prints for
    a ``sender.toml``: a HELP answer left at smskit's default, without a contact,
    would otherwise go out unnoticed. The number is masked; no text is shown.
    """
    for profile in profiles:
        for finding in profile.advice():
            ours = profile.sender_id or profile.messaging_service
            key = (ours, finding.code, finding.message)
            if key in _LOGGED:
                continue
            _LOGGED.add(key)
            logger.warning("sender profile %s: %s: %s (source: %s; %s)",
                           mask_sender(ours) or "(no sender_id)",
                           finding.code, finding.message, finding.source, finding.status)


# A language code, optionally with a region ("fr", "fr-CA", "es_MX"); group 1 the language.
_LANGUAGE_TAG: Final = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{2,8})?")


def _links(text: str) -> bool:
    lowered = text.casefold()
    return "http" in lowered or "www." in lowered


@dataclass(frozen=True, slots=True)
class ReplyTexts:
    """A sender's auto-reply texts in one language, sent when the keyword or phrase
    that triggered the reply is of that language (``ARRÊT`` is French).

    Attributes:
        language: the ISO 639-1 code of the keywords it answers (``"fr"``), as
            :class:`~smskit.keywords.KeywordMatch` ``.language`` gives it.
        opt_out_reply, help_reply, opt_in_reply, confirm_reply: the texts;
            ``None``: the profile's own text of that name answers.
    """

    language: str
    opt_out_reply: str | None = None
    help_reply: str | None = None
    opt_in_reply: str | None = None
    confirm_reply: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.language, str) or not self.language.strip():
            raise ConfigurationError(
                "reply_translations: each entry needs a language code such as \"fr\"",
                field="reply_translations",
            )
        # Keywords carry a bare lower-case code: "FR" or Québec's "fr-CA" would never
        # match one, and the texts would silently never be sent.
        code = _LANGUAGE_TAG.fullmatch(self.language.strip())
        if code is None:
            raise ConfigurationError(
                f"reply_translations: language {self.language!r:.40} is no ISO 639-1 code; "
                "write \"fr\" or \"es\" (a region such as \"fr-CA\" is read as \"fr\")",
                field="reply_translations",
            )
        object.__setattr__(self, "language", code.group(1).lower())
        for name in _REPLY_NAMES:
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise ConfigurationError(
                    f"reply_translations[{self.language!r}].{name}: give a non-empty text "
                    "or leave it out",
                    field="reply_translations",
                )
        if self.opt_out_reply is not None and _links(self.opt_out_reply):
            raise ConfigurationError(
                f"reply_translations[{self.language!r}].opt_out_reply: the opt-out "
                "confirmation may only confirm; remove links (FCC 47 CFR 64.1200(a)(12))",
                field="reply_translations",
            )


# smskit's own wording (no provider publishes translations): configurable defaults.
# GSM-7 only (é and è are in its basic table, ê, ç and á are not), so each stays one
# segment even led by a brand of up to 40 characters (tests/unit/consent/
# test_reply_languages.py counts them by hand). They stand in for the English defaults
# only: a text the sender wrote itself is never replaced by them.
DEFAULT_REPLY_TRANSLATIONS: Final[tuple[ReplyTexts, ...]] = (
    ReplyTexts(
        "fr",
        opt_out_reply=(
            "Désabonnement confirmé : vous ne recevrez plus de messages de notre part. "
            "Répondez START pour vous réabonner."
        ),
        help_reply=(
            "Répondez ARRET pour vous désabonner. Des frais de messagerie et de données "
            "peuvent s'appliquer."
        ),
    ),
    ReplyTexts(
        "es",
        opt_out_reply=(
            "Baja confirmada: ya no le enviaremos mensajes. "
            "Responda START para volver a suscribirse."
        ),
        help_reply=(
            "Responda PARAR para darse de baja. Pueden aplicarse tarifas de mensajes y datos."
        ),
    ),
)


@dataclass(frozen=True, slots=True, repr=False)
class SenderProfile:
    """One sender: how it handles replies and what the engine must know to judge a send.

    Reply handling (used by :class:`~smskit.consent.ConsentLedger`):

    Attributes:
        keywords: the keyword set replies are classified with.
        route: the kind of number (toll-free re-subscribes only on START/UNSTOP).
        opt_out_reply: the one confirmation sent after an opt-out. It must only
            confirm: no marketing, no links (FCC 64.1200(a)(12)).
        help_reply: answer to HELP/INFO: who you are, how to reach you (a phone
            number, e-mail or web address), how to opt out. The default gives no
            contact: :meth:`advice` warns until you write your own.
        opt_in_reply: answer to START after STOP.
        confirm_reply: answer to YES confirming a pending (double opt-in) request.
            With a ``brand``, each of these four is sent led by it (``"Acme: ..."``)
            unless it already names it: the carriers' keyword rules (CTIA) want
            HELP answers and opt-out confirmations to say whose program they are.
        reply_translations: the texts per language (:class:`ReplyTexts`): a reply
            triggered by a keyword of that language is answered in it; any other
            (English, a sender's own words) gets the four texts above. ``None``:
            smskit's French and Spanish opt-out and HELP texts
            (``DEFAULT_REPLY_TRANSLATIONS``), used only where the English text is
            left at smskit's default; ``()``: English always.
        reply_channels: the channels a reply on this number revokes or restores
            (SMS, MMS and RCS share a sender's number and its opt-out list).
        revocation_scope: record reply opt-outs and re-grants at this broader
            scope (e.g. the brand, when one opt-out list covers all its numbers,
            as a Twilio Messaging Service does); ``None``: the reply's own scope.
        warn_help_without_contact: :meth:`advice` warns when a HELP answer holds
            no phone number, e-mail or web address (``sender.help_no_contact``);
            ``False`` silences it (a vanity number it cannot read, say).

    Sending (used by :mod:`smskit.policy`):

    Attributes:
        sender_id: the E.164 number, short code or alphanumeric sender ID;
            ``""`` for a profile used only for replies, or one that sends through a
            ``messaging_service``.
        messaging_service: a Twilio Messaging Service SID (``"MG"`` and 32 hex
            digits) to send through instead of a number: Twilio picks the number
            from the service's pool. Give it or ``sender_id``, not both.
        registration: 10DLC brand+campaign or toll-free verification status.
        brand: the business's name (checked in first messages).
        consent_scope: the consent scope sends are checked in (``"acme"``);
            ``None``: the request must give one.
        max_body_characters: the provider's limit per message in UTF-16 code
            units (1,600 at Twilio; an emoji counts two).
        max_media: most attachments per MMS (10 at Twilio).
        max_mms_bytes: most bytes per MMS (text and media), ``None``: the
            carrier and provider limits only.
        mms_provider: the provider whose MMS limits apply (``"twilio"``...).
        mms_enabled: whether this sender may send MMS at all.
        service_level: the account's plan limits, ``None`` for none.
        prefix: identification prefix (``"Acme: "``) and ``prefix_when``.
        footer: opt-out footer (``"Reply STOP to opt out"``) and ``footer_when``.
    """

    keywords: KeywordSet = field(default_factory=_default_set)
    route: Route = Route.TEN_DLC
    opt_out_reply: str = (
        "You are unsubscribed and will receive no more messages from us. "
        "Reply START to resubscribe."
    )
    help_reply: str = "Reply STOP to unsubscribe. Msg & data rates may apply."
    opt_in_reply: str = "You are resubscribed. Reply STOP to unsubscribe, HELP for help."
    confirm_reply: str = "Thanks, you are subscribed. Reply STOP to unsubscribe, HELP for help."
    reply_translations: tuple[ReplyTexts, ...] | None = None
    reply_channels: frozenset[Channel] = TEXT_CHANNELS
    revocation_scope: str | None = None
    warn_help_without_contact: bool = True
    sender_id: str = ""
    registration: Registration = Registration.NONE
    brand: str = ""
    consent_scope: str | None = None
    max_body_characters: int = 1600
    max_media: int = 10
    max_mms_bytes: int | None = None
    mms_provider: str | None = None
    mms_enabled: bool = True
    service_level: ServiceLevel | None = None
    prefix: str = ""
    prefix_when: Requirement = field(default_factory=Requirement)
    footer: str = ""
    footer_when: Requirement = field(
        default_factory=lambda: Requirement(first_message=True, marketing=True)
    )
    messaging_service: str = ""

    def reply_text(self, text: str) -> str:
        """``text`` as an auto-reply sends it: led by ``brand`` when one is set and
        the text does not name it already (case ignored)."""
        brand = self.brand.strip()
        # As a word, as the engine reads a prefix: "Scribe" inside "unsubscribe" or
        # "Acme" inside "Acmedental" names nobody.
        if brand and re.search(
            rf"(?<!\w){re.escape(brand.casefold())}(?!\w)", text.casefold()
        ) is None:
            return f"{brand}: {text}"
        return text

    def reply_in(self, name: ReplyName, language: str | None = None) -> str:
        """The auto-reply text ``name`` (``"opt_out_reply"``...) for a keyword of
        ``language``, as sent (led by the brand): the sender's text for that language,
        else (no ``reply_translations`` given, the English text left at its default)
        smskit's, else the profile's own text."""
        own: str = getattr(self, name)
        text = own
        if self.reply_translations is None:
            if own == _DEFAULT_TEXTS[name]:
                text = _translated(DEFAULT_REPLY_TRANSLATIONS, name, language) or own
        else:
            text = _translated(self.reply_translations, name, language) or own
        return self.reply_text(text)

    def advice(self) -> tuple[Finding, ...]:
        """Warnings about the profile itself; they block no send.

        ``sender.help_no_contact`` (WARNING): a HELP answer, as sent (in English and
        in each language it is translated into), holds no phone number, e-mail or web
        address. The carriers' short code rules, as Twilio relays them, want one (status
        ``"verified"`` on a short code; on other routes applying them is smskit's
        default, ``"default"``). Neither the texts nor any number are shown.
        ``warn_help_without_contact=False`` silences it.

        ``sender.keywords_missing_revocation_words`` (WARNING): the keyword set does
        not read every word the FCC names as revoking consent (STOP, QUIT, END, REVOKE,
        OPT OUT, CANCEL, UNSUBSCRIBE; 47 CFR 64.1200(a)(10)) as an opt-out, and the
        sender may text US numbers: its sender_id is a +1 number, a short code or
        toll-free, or it has none and its route is not ``international``.
        ``KeywordSet.of``/``.without`` refuse such a set; built directly it gets here.
        """
        return (*self._revocation_advice(), *self._help_advice())

    def _revocation_advice(self) -> tuple[Finding, ...]:
        # No switch: the way to say "no US numbers" is the sender_id or route itself.
        us = (_route_of_sender_id(self.sender_id) in (
            Route.SHORT_CODE, Route.TOLL_FREE, Route.TEN_DLC
        ) if self.sender_id else self.route is not Route.INTERNATIONAL)
        missing = missing_revocation_words(self.keywords) if us else ()
        if not missing:
            return ()
        words = ", ".join(w.upper() for w in missing)
        return (Finding(
            "sender.keywords_missing_revocation_words", Severity.WARNING,
            f"the keyword set does not act on {words} as an opt-out: {_FCC_RULE}; a reply "
            "of one would not be recorded; add them as opt-out keywords "
            "(KeywordSet.extend(\"opt_out\", [...]))",
            FCC_REVOCATION_SOURCE,
            MappingProxyType({"words": missing, "route": self.route.value}),
            "verified",
        ),)

    def _help_advice(self) -> tuple[Finding, ...]:
        if not self.warn_help_without_contact:
            return ()
        languages: list[str | None] = [None]
        languages += [e.language for e in (
            DEFAULT_REPLY_TRANSLATIONS if self.reply_translations is None
            else self.reply_translations)]
        missing = [
            "help_reply" if language is None else f"help_reply ({language})"
            for language in languages
            if not has_contact(self.reply_in("help_reply", language))
        ]
        if not missing:
            return ()
        short_code = self.route is Route.SHORT_CODE
        return (Finding(
            "sender.help_no_contact", Severity.WARNING,
            f"no way to reach the business in {', '.join(missing)}: carriers want a "
            "HELP answer to name the program, give a customer-care phone number, e-mail "
            "or web address, and say how to opt out; write your own help_reply (and "
            "reply_translations) with one, or set warn_help_without_contact = false",
            HELP_CONTACT_SOURCE,
            MappingProxyType({"replies": tuple(missing), "route": self.route.value}),
            "verified" if short_code else "default",
        ),)

    def __post_init__(self) -> None:
        setattr_ = object.__setattr__
        if not isinstance(self.keywords, KeywordSet):
            raise ConfigurationError("keywords must be a KeywordSet", field="keywords")
        for name in ("revocation_scope", "consent_scope"):
            value = getattr(self, name)
            if value is not None:
                ConsentScope.parse(value)
        for name in ("opt_out_reply", "help_reply", "opt_in_reply", "confirm_reply"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ConfigurationError(f"{name}: give a non-empty text", field=name)
        self._check_translations()
        if _links(self.opt_out_reply):
            raise ConfigurationError(
                "opt_out_reply: the opt-out confirmation may only confirm; remove links "
                "(FCC 47 CFR 64.1200(a)(12) forbids marketing in it)",
                field="opt_out_reply",
            )
        for name, enum in (("route", Route), ("registration", Registration)):
            try:
                setattr_(self, name, enum(getattr(self, name)))
            except ValueError:
                raise ConfigurationError(
                    f"{name} must be one of {[m.value for m in enum]}, not "
                    f"{_shown(getattr(self, name))}",
                    field=name,
                ) from None
        setattr_(
            self, "reply_channels", coerce_enum_set(self.reply_channels, Channel, "reply_channels")
        )
        for name in ("sender_id", "brand", "prefix", "footer", "messaging_service"):
            if not isinstance(getattr(self, name), str):
                raise ConfigurationError(f"{name} must be text", field=name)
        self._check_messaging_service()
        if _links(self.reply_text(self.opt_out_reply)):  # the brand leads the confirmation
            raise ConfigurationError(
                "brand: it leads the opt-out confirmation, which may only confirm; write "
                "it without a link (FCC 47 CFR 64.1200(a)(12))",
                field="brand",
            )
        sid = self.sender_id
        if sid and not (_E164.match(sid) or _ALPHANUMERIC.match(sid) or _SHORT_CODE.match(sid)):
            raise ConfigurationError(
                "sender_id must be an E.164 number (+14155550123), a 5-6 digit short code "
                "or an alphanumeric ID of at most 11 characters with a letter",
                field="sender_id",
            )
        # +1 is the NANP, where every number has ten digits: a shorter or longer one is a
        # typo, not an international long code.
        if sid.startswith("+1") and _E164.match(sid) and not _NANP.match(sid):
            raise ConfigurationError(
                "sender_id: a +1 (US/Canada) number has ten digits after +1; check it "
                "(the number is not shown here)",
                field="sender_id",
            )
        self._check_route()
        for name in ("max_body_characters", "max_media"):
            value = getattr(self, name)
            if type(value) is not int or value < 1:
                raise ConfigurationError(
                    f"{name} must be a whole number of at least 1, not {value!r}", field=name
                )
        if self.max_mms_bytes is not None and (
            type(self.max_mms_bytes) is not int or self.max_mms_bytes < 1
        ):
            raise ConfigurationError(
                f"max_mms_bytes must be a whole number of bytes or omitted, not "
                f"{self.max_mms_bytes!r}",
                field="max_mms_bytes",
            )
        if type(self.warn_help_without_contact) is not bool:
            raise ConfigurationError("warn_help_without_contact must be true or false",
                                     field="warn_help_without_contact")
        if type(self.mms_enabled) is not bool:
            raise ConfigurationError("mms_enabled must be true or false", field="mms_enabled")
        if self.service_level is not None and not isinstance(self.service_level, ServiceLevel):
            raise ConfigurationError("service_level must be a ServiceLevel",
                                     field="service_level")
        for name in ("prefix_when", "footer_when"):
            if not isinstance(getattr(self, name), Requirement):
                raise ConfigurationError(f"{name} must be a Requirement", field=name)
        for name in ("prefix", "footer"):
            value = getattr(self, name)
            if value and not value.strip():
                raise ConfigurationError(f"{name}: give a text or leave it empty", field=name)

    def _check_messaging_service(self) -> None:
        service = self.messaging_service
        if not service:
            return
        if not _MESSAGING_SERVICE.match(service):
            # Not echoed: it is the user's text, and may be anything (a number pasted in).
            raise ConfigurationError(
                f"messaging_service must be a Twilio Messaging Service SID: \"MG\" and 32 "
                f"lower-case hex digits, 34 characters (the given one has {len(service)}); "
                "copy it from the console's Messaging Services page (a Telnyx messaging "
                "profile id is not supported here)",
                field="messaging_service",
            )
        if self.sender_id:
            raise ConfigurationError(
                "give sender_id (the number sent from) or messaging_service (Twilio picks "
                "the number from its pool), not both",
                field="messaging_service",
            )

    def _check_translations(self) -> None:
        entries = self.reply_translations
        if entries is None:
            return
        if isinstance(entries, ReplyTexts) or not isinstance(entries, tuple | list) or not all(
            isinstance(e, ReplyTexts) for e in entries
        ):
            raise ConfigurationError(
                "reply_translations must be a tuple of ReplyTexts (one per language)",
                field="reply_translations",
            )
        languages = [e.language for e in entries]
        twice = sorted({lang for lang in languages if languages.count(lang) > 1})
        if twice:
            raise ConfigurationError(
                f"reply_translations: language {twice[0]!r} is given twice; keep one entry",
                field="reply_translations",
            )
        object.__setattr__(self, "reply_translations", tuple(entries))

    def __repr__(self) -> str:
        # The sending number masked like every number smskit shows (a sole proprietor's
        # may be a personal phone); short codes and alphanumeric IDs are public names.
        sid = mask_sender(self.sender_id)
        service = self.messaging_service and f"messaging_service={self.messaging_service!r}, "
        return (
            f"SenderProfile(sender_id={sid!r}, {service}route={self.route.value!r}, "
            f"registration={self.registration.value!r}, brand={self.brand!r}, "
            f"consent_scope={self.consent_scope!r}, "
            f"keywords=<{len(self.keywords.keywords)} keywords>)"
        )

    def _check_route(self) -> None:
        """Refuse a sender_id or registration that cannot be on the route: the route
        picks the registration check, prices and MMS limits, so a mismatch is a silent
        wrong answer later. The number itself is never shown (it may be a person's)."""
        route, sid = self.route, self.sender_id
        if self.registration is Registration.NOT_REQUIRED and route in (
            Route.TEN_DLC, Route.TOLL_FREE
        ):
            raise ConfigurationError(
                f"registration 'not_required' cannot be on the {route.value} route: US-bound "
                "10DLC traffic needs an approved brand and campaign, toll-free traffic a "
                "verification (carriers block it otherwise); give its status instead",
                field="registration",
            )
        if self.registration is Registration.VERIFIED and route is Route.TEN_DLC:
            raise ConfigurationError(
                "registration 'verified' is toll-free verification; a 10DLC number is "
                "cleared when its brand and campaign are 'approved' (a verified brand "
                "whose campaign is pending is still blocked, provider error 30034)",
                field="registration",
            )
        if not sid:
            return
        kind = _route_of_sender_id(sid)
        fits = {
            Route.SHORT_CODE: kind is Route.SHORT_CODE,
            Route.TOLL_FREE: kind is Route.TOLL_FREE,
            Route.TEN_DLC: kind is Route.TEN_DLC,
            # An international long code or alphanumeric ID; +1 numbers outside the US
            # and Canada (the Caribbean) share the NANP, so they are allowed here too.
            Route.INTERNATIONAL: kind in (Route.INTERNATIONAL, Route.TEN_DLC, None),
        }[route]
        if not fits:
            found = {
                Route.SHORT_CODE: "a short code", Route.TOLL_FREE: "a toll-free (8XX) number",
                Route.TEN_DLC: "a US/Canada long code", Route.INTERNATIONAL: "a number "
                "outside US/Canada", None: "an alphanumeric sender ID",
            }[kind]
            raise ConfigurationError(
                f"sender_id is {found}, which cannot be on the {route.value} route: set route "
                "to match it (10dlc: a +1 local number; toll_free: +1 8XX; short_code: 5-6 "
                "digits; international: other numbers and alphanumeric IDs)",
                field="route",
            )

    # -- loading --------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SenderProfile:
        """Build a profile from plain data (a parsed TOML or JSON document).

        Keys are the attribute names; ``service_level``, ``prefix_when`` and
        ``footer_when`` are tables of their own attributes, and ``keywords`` a table
        of ``languages``, ``remove``, ``opt_out``, ``opt_in``, ``help`` and
        ``outside_us`` (the :class:`~smskit.keywords.KeywordSet` steps they name).

        Raises:
            ConfigurationError: an unknown key or a bad value, naming it.
        """
        if not isinstance(data, Mapping):
            raise ConfigurationError("a sender profile is a table of settings", field="sender")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigurationError(
                f"unknown sender profile settings {unknown}; known: {sorted(known)}",
                field=unknown[0],
            )
        values: dict[str, Any] = dict(data)
        nested: dict[str, type[ServiceLevel] | type[Requirement]] = {
            "service_level": ServiceLevel, "prefix_when": Requirement,
            "footer_when": Requirement,
        }
        for name, kind in nested.items():
            if name in values:
                table = values[name]
                if not isinstance(table, Mapping):
                    raise ConfigurationError(f"{name} must be a table", field=name)
                # Checked here: the class's own TypeError would name its __init__.
                settings = {f.name for f in fields(kind)}
                unknown = sorted(set(table) - settings)
                if unknown:
                    raise ConfigurationError(
                        f"unknown {name} settings {unknown}; known: {sorted(settings)}",
                        field=f"{name}.{unknown[0]}",
                    )
                required = sorted(
                    f.name for f in fields(kind)
                    if f.default is MISSING and f.default_factory is MISSING
                )
                missing = [setting for setting in required if setting not in table]
                if missing:
                    raise ConfigurationError(
                        f"{name}.{missing[0]} is missing: add it to the {name} table",
                        field=f"{name}.{missing[0]}",
                    )
                values[name] = kind(**table)
        if "reply_translations" in values:
            values["reply_translations"] = _translations_from(values["reply_translations"])
        if "keywords" in values:
            values["keywords"] = _keywords_from(values["keywords"])
        if "reply_channels" in values:
            channels = values["reply_channels"]
            # A TOML string is one channel (as in the Python API), not its letters; a
            # number or a table is a mistake to name, not a TypeError.
            if isinstance(channels, str):
                channels = (channels,)
            if not isinstance(channels, list | tuple | set | frozenset):
                raise ConfigurationError(
                    "reply_channels must be a list of channels, e.g. [\"sms\", \"mms\"]",
                    field="reply_channels",
                )
            values["reply_channels"] = frozenset(channels)
        return cls(**values)

    @classmethod
    def from_toml(cls, source: str | Path) -> SenderProfile:
        """Load a profile from a TOML file path or TOML text (see ``examples/sender.toml``)."""
        if isinstance(source, str) and "\n" not in source and source.endswith(".toml"):
            raise ConfigurationError(
                f"{source!r} looks like a file name: pass Path({source!r}) to read the file "
                "(a str is read as TOML text)",
                field="sender",
            )
        try:
            # A leading byte-order mark (Windows Notepad) says how the file is encoded.
            text = source.read_text(encoding="utf-8-sig") if isinstance(source, Path) else source
        except UnicodeDecodeError:
            raise ConfigurationError(
                f"{source}: a sender profile must be UTF-8 text; save it as UTF-8",
                field="sender",
            ) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigurationError(
                f"sender profile is not valid TOML: {exc}", field="sender"
            ) from None
        if "sender" not in data:
            return cls.from_dict(data)  # the settings at the top level of the file
        if not isinstance(data["sender"], dict):  # `sender = "+1..."`: a key, not [sender]
            raise ConfigurationError(
                "sender = ... is not a setting: write the number or ID as sender_id = ... "
                "(or start a table with the line [sender])",
                field="sender",
            )
        # Both forms at once: the keys beside [sender] would be silently dropped.
        outside = sorted(set(data) - {"sender"})
        if outside:
            raise ConfigurationError(
                f"settings outside the [sender] table: {outside}; move them into it "
                "(a key written above the [sender] line is not in it)",
                field="sender",
            )
        return cls.from_dict(data["sender"])


_KEYWORD_LISTS: Final = ("languages", "remove", "opt_out", "opt_in", "help")


def _keywords_from(table: object) -> KeywordSet:
    """``[sender.keywords]`` as a ``KeywordSet``, built as the API builds one: the default
    set in ``languages``, ``without`` the ``remove`` words, then ``extend``-ed with the
    sender's own ``opt_out``, ``opt_in`` and ``help`` words (remove first, so a word can
    move between kinds). The API's refusals (an FCC revocation word dropped without
    ``outside_us``, a word in two kinds) become a ``ConfigurationError`` naming the key."""
    if not isinstance(table, Mapping):
        raise ConfigurationError(
            "keywords: write a [sender.keywords] table, e.g. languages = [\"en\", \"fr\"] "
            "and opt_out = [\"HALT\"]",
            field="keywords",
        )
    unknown = sorted(set(table) - {*_KEYWORD_LISTS, "outside_us"})
    if unknown:
        raise ConfigurationError(
            f"unknown keywords settings {unknown}; known: "
            f"{sorted({*_KEYWORD_LISTS, 'outside_us'})}",
            field=f"keywords.{unknown[0]}",
        )
    lists: dict[str, tuple[str, ...]] = {}
    for name in _KEYWORD_LISTS:
        value = table.get(name, [])
        # A bare string is refused as the API refuses it: "HALT" is no list of letters.
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise ConfigurationError(
                f"keywords.{name} must be a list of strings, e.g. {name} = [\"{_EXAMPLE[name]}\"]",
                field=f"keywords.{name}",
            )
        lists[name] = tuple(value)
    outside_us = table.get("outside_us", False)
    if type(outside_us) is not bool:
        raise ConfigurationError("keywords.outside_us must be true or false",
                                 field="keywords.outside_us")
    if outside_us and not lists["remove"]:
        raise ConfigurationError(
            "keywords.outside_us lets remove drop an FCC revocation word; with no remove "
            "list nothing reads it: drop it, or list the words in remove",
            field="keywords.outside_us",
        )
    step = "languages"
    try:
        keywords = KeywordSet.default(lists["languages"]) if "languages" in table \
            else _default_set()
        step = "remove"
        if lists["remove"]:
            keywords = keywords.without(*lists["remove"], outside_us=outside_us)
        for kind in ("opt_out", "opt_in", "help"):
            step = kind
            if lists[kind]:
                keywords = keywords.extend(kind, lists[kind])
    except KeywordError as exc:
        hint = ""
        if step == "remove":
            hint = " (in the file: outside_us = true in [sender.keywords])"
        elif "cannot be both" in str(exc):
            hint = " (to move a word to another kind, list it in remove as well)"
        raise ConfigurationError(f"keywords.{step}: {exc}{hint}",
                                 field=f"keywords.{step}") from None
    return keywords


_EXAMPLE: Final = {"languages": "fr", "remove": "remove", "opt_out": "HALT",
                   "opt_in": "JOIN", "help": "AIDE"}


def _translated(
    entries: tuple[ReplyTexts, ...], name: ReplyName, language: str | None
) -> str | None:
    for entry in entries:
        if entry.language == language:
            text: str | None = getattr(entry, name)
            return text
    return None


def _translations_from(tables: object) -> tuple[ReplyTexts, ...]:
    """``[[sender.reply_translations]]`` tables as ``ReplyTexts``, naming a mistake."""
    if not isinstance(tables, list | tuple) or not all(isinstance(t, Mapping) for t in tables):
        raise ConfigurationError(
            "reply_translations: write one [[sender.reply_translations]] table per "
            "language, with language = \"fr\" and the texts",
            field="reply_translations",
        )
    settings = {f.name for f in fields(ReplyTexts)}
    out = []
    for table in tables:
        unknown = sorted(set(table) - settings)
        if unknown or "language" not in table:
            raise ConfigurationError(
                f"reply_translations: each table needs language and may hold "
                f"{sorted(settings - {'language'})}"
                + (f"; unknown {unknown}" if unknown else ""),
                field="reply_translations",
            )
        out.append(ReplyTexts(**table))
    return tuple(out)


_DEFAULT_TEXTS: Final[Mapping[str, object]] = {
    f.name: f.default for f in fields(SenderProfile) if f.name in _REPLY_NAMES
}
