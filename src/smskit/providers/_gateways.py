"""US carriers' email-to-SMS/MMS gateways and when each stopped (or stops) working.

Status letters: ``S`` secondary (a dated tracker or article, not the carrier's
own notice; no carrier announcement was retrieved), ``U`` unverified. Dates
given only to the month are recorded as the first day of that month, so a
send is refused from the earliest day the gateway may have been gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

__all__ = ["CARRIER_GATEWAYS", "CarrierGateway", "gateway_for"]

_TRACKER = "https://sigspan.com/carrier-gateway-shutdown"


@dataclass(frozen=True, slots=True)
class CarrierGateway:
    """One gateway domain.

    Attributes:
        domain: the domain after the ``@`` (``"vtext.com"``).
        carrier: the carrier running it.
        kind: ``"sms"`` or ``"mms"`` (the MMS gateway also carries long texts).
        closes_on: first day it no longer delivers, past or announced; ``None``
            when no closure is known.
        precision: ``"day"`` or ``"month"`` (then ``closes_on`` is the 1st).
        status: ``"S"`` or ``"U"`` (see the module docstring).
        source: where the date comes from.
    """

    domain: str
    carrier: str
    kind: Literal["sms", "mms"]
    closes_on: date | None
    precision: Literal["day", "month"]
    status: Literal["S", "U"]
    source: str

    def closed_at(self, day: date) -> bool:
        """Whether the gateway no longer delivers on ``day``."""
        return self.closes_on is not None and day >= self.closes_on


CARRIER_GATEWAYS: Final[tuple[CarrierGateway, ...]] = (
    CarrierGateway(
        "tmomail.net",
        "T-Mobile",
        "sms",
        date(2024, 12, 1),
        "month",
        "S",
        "https://sigspan.com/tmobile-email-to-text-gateway",
    ),
    CarrierGateway(
        "txt.att.net",
        "AT&T",
        "sms",
        date(2025, 6, 17),
        "day",
        "S",
        "https://www.suped.com/learn/email-deliverability/"
        "what-to-do-when-experiencing-issues-sending-email-to-sms-texts-via-att",
    ),
    CarrierGateway("mms.att.net", "AT&T", "mms", date(2025, 6, 17), "day", "S", _TRACKER),
    CarrierGateway(
        "vtext.com",
        "Verizon",
        "sms",
        date(2027, 3, 31),
        "day",
        "S",
        "https://ourcodeworld.com/articles/read/3339/verizon-vtext-shutdown-what-it-teams-are-using-now",
    ),
    CarrierGateway("vzwpix.com", "Verizon", "mms", date(2027, 3, 31), "day", "S", _TRACKER),
)

_BY_DOMAIN: Final = {gateway.domain: gateway for gateway in CARRIER_GATEWAYS}


def gateway_for(domain: str) -> CarrierGateway | None:
    """The known gateway for ``domain`` (any case), or ``None`` for a domain not in the list."""
    return _BY_DOMAIN.get(domain.strip().lower())
