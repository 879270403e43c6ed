"""Consent rules as data: which consent each purpose needs, how long implied consent lasts.

Each rule carries its source (see /docs/consent.md for the table). ``US`` follows
the TCPA and the CTIA message types; ``CASL`` adds Canada's implied consent for
commercial messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from ..findings import reduce_frozen
from .model import ConsentKind, ImpliedBasis, Purpose

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

#: The status, in the reference's marks, of the facts each consent source backs; a
#: consent finding carries it (an audit record says "secondary" where the fact is S).
#: The TCPA's written-consent text is V/S in the reference: the stricter mark.
SOURCE_STATUS = {
    TCPA_PEWC: "secondary",
    CTIA_TYPES: "secondary",
    CASL_GUIDE: "verified",
    CASL_NON_BUSINESS: "secondary",
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
    allows the others. ``status``: the finding status when the source does not back the
    period itself (``"default"``: a labelled default of ours).
    """

    years: int = 0
    months: int = 0
    source: str = ""
    purposes: frozenset[Purpose] | None = None
    status: str = ""


_ALL = frozenset(ConsentKind)
_EXPRESS = frozenset({ConsentKind.EXPRESS_WRITTEN, ConsentKind.EXPRESS})
_WRITTEN = frozenset({ConsentKind.EXPRESS_WRITTEN})

# CASL s.10(10): purchase or contract within 2 years, inquiry within 6 months (V).
# Non-business relationships (donation, volunteering, membership) 2 years (S).
# No source gives a period for conversational consent: no fixed expiry by default;
# pass expires_at per conversation if your policy sets one.
_IMPLIED_PERIODS: Mapping[ImpliedBasis, Period | None] = MappingProxyType(
    {
        ImpliedBasis.PURCHASE: Period(years=2, source=CASL_GUIDE),
        ImpliedBasis.CONTRACT: Period(years=2, source=CASL_GUIDE),
        ImpliedBasis.INQUIRY: Period(months=6, source=CASL_GUIDE),
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
    """

    name: str
    accepted: Mapping[Purpose, frozenset[ConsentKind]]
    sources: Mapping[Purpose, str]
    implied_periods: Mapping[ImpliedBasis, Period | None] = field(
        default_factory=lambda: _IMPLIED_PERIODS
    )
    # Pickles with reduce_frozen: a read-only mapping does not pickle by itself.
    __reduce__ = reduce_frozen

    def __post_init__(self) -> None:
        missing = [p.value for p in Purpose if p not in self.accepted]
        if missing:
            from ..errors import ConfigurationError

            raise ConfigurationError(
                f"accepted: no consent kinds given for purposes {missing}", field="accepted"
            )

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
    sources=MappingProxyType(dict.fromkeys(Purpose, CASL_GUIDE)),
    implied_periods=MappingProxyType(
        {**_IMPLIED_PERIODS, ImpliedBasis.CONVERSATION: CASL_CONVERSATION_PERIOD}
    ),
)


@dataclass(frozen=True, slots=True)
class RevokeAllRule:
    """A dated rule: from ``effective`` on, an opt-out in one scope of a caller revokes
    every scope of that caller (47 CFR 64.1200(a)(10), the FCC "revoke-all" part).

    Attributes:
        effective: first day (UTC) the rule applies.
        source: where the date comes from.
        status: ``"secondary"``: the date has moved twice and an FNPRM may change it;
            pass ``revoke_all=None`` to the engine's opt-out policy to switch it off,
            or another date to follow a new order.
    """

    effective: date
    source: str
    status: str = "secondary"


#: Delayed to 2027-01-31 by CGB Order DA 26-12 (2026-01-06); the FNPRM may modify it.
FCC_REVOKE_ALL = RevokeAllRule(
    effective=date(2027, 1, 31),
    source=(
        "https://www.consumerfinancialserviceslawmonitor.com/?p=30918 ; "
        "https://www.convoso.com/news/fcc-extends-tcpa-consent-revocation-rule-to-2027"
    ),
)
