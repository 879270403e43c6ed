"""Consent rules as data: which consent each purpose needs, how long implied consent lasts.

Each rule carries its source (see /docs/consent.md for the table). ``US`` follows
the TCPA and the CTIA message types; ``CASL`` adds Canada's implied consent for
commercial messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from types import MappingProxyType
from zoneinfo import ZoneInfo

from ..findings import reduce_frozen
from .model import Channel, ConsentKind, ImpliedBasis, Purpose

__all__ = [
    "ConsentRules",
    "Period",
    "RevokeAllRule",
]

# 47 CFR 64.1200(a)(2) (prior express written consent for telemarketing), on eCFR.
TCPA_PEWC = (
    "https://www.ecfr.gov/current/title-47/chapter-I/subchapter-B/part-64/subpart-L/section-64.1200"
)
CTIA_TYPES = "https://www.10dlc.org/en/home/A2PConsent"
CASL_GUIDE = "https://crtc.gc.ca/eng/com500/guide.htm"
CASL_NON_BUSINESS = (
    "https://canadianelectricalwholesaler.ca/5-types-of-consent-part-3-implied-existing-"
    "non-business-relationship"
)
FCC_CONFIRMATION = (
    "https://natlawreview.com/article/what-just-happened-new-revocation-rule-fcc-"
    "indefinitely-delays-majority-new-rules"
)
FCC_REVOCATION = "https://www.govinfo.gov/content/pkg/FR-2024-03-05/html/2024-04587.htm"
# CASL s.6(6): messages that only give a requested quote, facilitate or confirm a
# transaction already agreed, give warranty, recall or safety information, or factual
# information about an ongoing subscription, membership, account, loan, purchase or use
# (and a few more) need no consent; the identification and unsubscribe rules still
# apply. The Act, and a committee hearing where industry describes s.6(6) so; the
# reference has no row for it and the Act's text was not retrieved here: secondary.
CASL_S6_6 = (
    "https://laws-lois.justice.gc.ca/eng/acts/E-1.6/ ; "
    "https://openparliament.ca/committees/industry/42-1/76/the-chair-12"
)

#: The status, in the reference's marks, of the facts each consent source backs; a
#: consent finding carries it (an audit record says "secondary" where the fact is S).
#: A fact marked V/S gets the stricter mark, "secondary" (the TCPA's written-consent
#: text). CASL's guide backs express consent (V); its implied-consent periods are V/S,
#: so findings that rest on them carry their ``Period.status`` ("secondary") instead.
SOURCE_STATUS = {
    TCPA_PEWC: "secondary",
    CTIA_TYPES: "secondary",
    CASL_GUIDE: "verified",
    CASL_NON_BUSINESS: "secondary",
    CASL_S6_6: "secondary",
    FCC_REVOCATION: "verified",
}
TWILIO_CROSS_CHANNEL = (
    "https://support.twilio.com/hc/en-us/articles/223134027-Twilio-Support-for-Opt-out-"
    "Keywords-SMS-STOP-Filtering"
)


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar length: ``Period(years=2)``, ``Period(months=6)``.

    ``purposes``: the purposes the period limits (``None``: all); a grant past it still
    allows the others. ``status``: the finding status of a grant relying on the period
    (or of its expiry) when it differs from the source's: ``"secondary"`` where the
    reference marks the period V/S, ``"default"`` for a labelled default of ours.
    """

    years: int = 0
    months: int = 0
    source: str = ""
    purposes: frozenset[Purpose] | None = None
    status: str = ""


_ALL = frozenset(ConsentKind)
_EXPRESS = frozenset({ConsentKind.EXPRESS_WRITTEN, ConsentKind.EXPRESS})
_WRITTEN = frozenset({ConsentKind.EXPRESS_WRITTEN})

# CASL s.10(10): purchase or contract within 2 years, inquiry within 6 months (V/S in
# the reference: the CRTC guide and law-firm pages, so "secondary").
# Non-business relationships (donation, volunteering, membership) 2 years (S).
# No source gives a period for conversational consent: no fixed expiry by default;
# pass expires_at per conversation if your policy sets one.
_IMPLIED_PERIODS: Mapping[ImpliedBasis, Period | None] = MappingProxyType(
    {
        ImpliedBasis.PURCHASE: Period(years=2, source=CASL_GUIDE, status="secondary"),
        ImpliedBasis.CONTRACT: Period(years=2, source=CASL_GUIDE, status="secondary"),
        ImpliedBasis.INQUIRY: Period(months=6, source=CASL_GUIDE, status="secondary"),
        ImpliedBasis.NON_BUSINESS: Period(years=2, source=CASL_NON_BUSINESS),
        ImpliedBasis.CONVERSATION: None,
        ImpliedBasis.OTHER: None,
    }
)


@dataclass(frozen=True, slots=True)
class ConsentRules:
    """Which consent kinds allow each purpose, and how long implied consent lasts.

    Attributes:
        name: short label shown in findings (``"us"``, ``"casl"``).
        accepted: for each purpose, the consent kinds that allow sending.
        sources: for each purpose, where the requirement comes from.
        implied_periods: how long implied consent lasts per basis (``None``:
            until revoked or until the event's explicit ``expires_at``).
        exempt: purposes the law does not ask consent for (CASL s.6(6): transactional).
            No implied period limits them: a purchase past its two years still
            allows a reminder about it. A recorded grant is still asked for (a labelled
            default: without one nothing shows the message is about an existing
            purchase or account), and a revocation still blocks. ``frozenset()``
            switches the exemption off. Marketing is refused here
            (``ConfigurationError``): no consent exemption covers it.
        exempt_needs_record: ``True`` (the default): an exempt purpose with no
            consent or relationship recorded at all is still refused
            (``consent.missing``, status ``"default"``: smskit's rule, not the law's).
            ``False``: it is allowed (``consent.exempt``, INFO, citing the exemption's
            source), for a sender that keeps its proof of the purchase or account
            elsewhere. A revocation, a pending request or a grant past an explicit
            ``expires_at`` still blocks, and marketing is never allowed this way
            (it cannot be put in ``exempt``).
    """

    name: str
    accepted: Mapping[Purpose, frozenset[ConsentKind]]
    sources: Mapping[Purpose, str]
    implied_periods: Mapping[ImpliedBasis, Period | None] = field(
        default_factory=lambda: _IMPLIED_PERIODS
    )
    exempt: frozenset[Purpose] = frozenset()
    exempt_needs_record: bool = True
    # Pickles with reduce_frozen: a read-only mapping does not pickle by itself.
    __reduce__ = reduce_frozen

    def __post_init__(self) -> None:
        missing = [p.value for p in Purpose if p not in self.accepted]
        if missing:
            from ..errors import ConfigurationError

            raise ConfigurationError(
                f"accepted: no consent kinds given for purposes {missing}", field="accepted"
            )
        # Read with ``in`` at every decision: a set of names ("transactional") would work
        # by luck, a list or a misspelt name would silently exempt nothing.
        if not isinstance(self.exempt, frozenset) or not all(
                isinstance(p, Purpose) for p in self.exempt):
            from ..errors import ConfigurationError

            raise ConfigurationError(
                "exempt: pass a frozenset of Purpose values, e.g. "
                "frozenset({Purpose.TRANSACTIONAL}), or frozenset() for none", field="exempt")
        # No consent exemption covers marketing (CASL s.6(6) lists messages about an
        # existing purchase or account); put in ``exempt`` it would have been allowed
        # on an implied consent years past its period.
        if Purpose.MARKETING in self.exempt:
            from ..errors import ConfigurationError

            raise ConfigurationError(
                "exempt: marketing always needs consent (CASL s.6(6) exempts messages "
                "about an existing purchase or account, never marketing); leave it out, "
                "e.g. frozenset({Purpose.TRANSACTIONAL})", field="exempt")
        # Read as a truth value at every decision: the string "false" from a settings
        # file would be true and open every exempt purpose without a record.
        if type(self.exempt_needs_record) is not bool:
            from ..errors import ConfigurationError

            raise ConfigurationError(
                "exempt_needs_record must be True or False, not "
                f"{self.exempt_needs_record!r}", field="exempt_needs_record")

    def __hash__(self) -> int:
        return hash(self.name)


US = ConsentRules(
    name="us",
    accepted=MappingProxyType(
        {
            # TCPA 47 CFR 64.1200(a)(2)/(f)(9): telemarketing needs prior express written consent.
            Purpose.MARKETING: _WRITTEN,
            # CTIA: informational messages need express consent (oral or written).
            Purpose.INFORMATIONAL: _EXPRESS,
            Purpose.TRANSACTIONAL: _EXPRESS,
            # CTIA: the consumer texts first; the reply is covered by implied consent.
            Purpose.CONVERSATIONAL: _ALL,
        }
    ),
    sources=MappingProxyType(
        {
            Purpose.MARKETING: TCPA_PEWC,
            Purpose.INFORMATIONAL: CTIA_TYPES,
            Purpose.TRANSACTIONAL: CTIA_TYPES,
            Purpose.CONVERSATIONAL: CTIA_TYPES,
        }
    ),
)

#: CASL implies consent only from the relationships s.10 lists; none names a conversation.
#: Reading a customer's text as an inquiry (6 months) is our default, not a sourced fact
#: (status "default"), and it limits commercial messages only: CASL governs those, so a
#: reply about the customer's own order is not blocked by it. Switch it off with
#: ``replace(CASL, implied_periods={**CASL.implied_periods, ImpliedBasis.CONVERSATION: None})``.
CASL_CONVERSATION_PERIOD = Period(
    months=6, source=CASL_GUIDE, purposes=frozenset({Purpose.MARKETING}), status="default"
)

CASL = ConsentRules(
    name="casl",
    accepted=MappingProxyType(
        {
            # CASL: commercial electronic messages need express or (unexpired) implied consent.
            Purpose.MARKETING: _ALL,
            Purpose.INFORMATIONAL: _ALL,
            Purpose.TRANSACTIONAL: _ALL,
            Purpose.CONVERSATIONAL: _ALL,
        }
    ),
    sources=MappingProxyType(
        {**dict.fromkeys(Purpose, CASL_GUIDE), Purpose.TRANSACTIONAL: CASL_S6_6}
    ),
    implied_periods=MappingProxyType(
        {**_IMPLIED_PERIODS, ImpliedBasis.CONVERSATION: CASL_CONVERSATION_PERIOD}
    ),
    # s.6(6): a transactional message (appointment reminder, account notice, receipt)
    # needs no consent. Marketing and informational (a newsletter may be commercial)
    # keep their periods.
    exempt=frozenset({Purpose.TRANSACTIONAL}),
)


#: Where a US date begins first: Guam and the Northern Mariana Islands (UTC+10, no
#: daylight time; NANP area codes 671 and 670) are the US places with phone numbers
#: furthest east of UTC.
EARLIEST_US_ZONE = "Pacific/Guam"


@dataclass(frozen=True, slots=True)
class RevokeAllRule:
    """A dated rule: from ``effective`` on, an opt-out in one scope of a caller revokes
    every scope of that caller (47 CFR 64.1200(a)(10), the FCC "revoke-all" part).

    The order gives a day, not an instant. The rule makes more sends refused, so the
    safe reading is the first instant that day begins anywhere in the US: midnight in
    ``zone`` (Guam, 14:00 UTC the day before). Reading it at the recipient's local
    midnight would apply it later everywhere (up to a day later than in Guam, and
    Eastern Time five hours after 00:00 UTC), and differently per recipient in one batch.

    Attributes:
        effective: the day the rule applies from.
        source: where the date comes from.
        status: ``"secondary"``: the date has moved twice and an FNPRM may change it;
            pass ``revoke_all=None`` to the engine's opt-out policy to switch it off,
            or another date to follow a new order.
        zone: the IANA zone whose midnight starts it (pass ``"America/New_York"`` or
            ``"UTC"`` for another reading).
        starts: the instant it applies from, in UTC (from ``effective`` and ``zone``).
    """

    effective: date
    source: str
    status: str = "secondary"
    zone: str = EARLIEST_US_ZONE
    starts: datetime = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            zone = ZoneInfo(self.zone)
        except (ValueError, LookupError) as exc:  # ZoneInfoNotFoundError is a KeyError
            from ..errors import ConfigurationError

            raise ConfigurationError(
                f"zone: {self.zone!r} is not an IANA time zone (e.g. 'Pacific/Guam')",
                field="zone") from exc
        # Set once, in UTC: the engine compares every decision's instant with it (two
        # datetimes sharing one ZoneInfo would compare by wall clock).
        object.__setattr__(self, "starts", datetime.combine(
            self.effective, time(), zone).astimezone(UTC))

    def __reduce__(self) -> tuple[type[RevokeAllRule], tuple[date, str, str, str]]:
        # Rebuilt from its fields: ``starts`` is derived, and checked again on the way in.
        return (type(self), (self.effective, self.source, self.status, self.zone))

    def in_force(self, at: datetime) -> bool:
        """Whether the rule applies at ``at`` (an aware instant)."""
        return at >= self.starts


#: What revoke-all covers: robocalls and robotexts (47 CFR 64.1200(a)(10); autodialed or
#: prerecorded calls and texts). A revocation naming none of these (an e-mail
#: unsubscribe) is no request made in response to one of them and stops no text.
REVOKE_ALL_CHANNELS = frozenset({Channel.SMS, Channel.MMS, Channel.RCS, Channel.VOICE})

#: Delayed to 2027-01-31 by CGB Order DA 26-12 (2026-01-06); the FNPRM may modify it.
FCC_REVOKE_ALL = RevokeAllRule(
    effective=date(2027, 1, 31),
    source=(
        "https://www.consumerfinancialserviceslawmonitor.com/?p=30918 ; "
        "https://www.convoso.com/news/fcc-extends-tcpa-consent-revocation-rule-to-2027"
    ),
)
