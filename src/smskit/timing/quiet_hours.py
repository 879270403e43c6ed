"""Quiet hours: may a message go to this number now, and if not, when?

:class:`QuietHours` applies jurisdiction rules (:mod:`smskit.timing.quiet_rules`
records; the shipped ones live in :mod:`smskit.timing._jurisdictions`) and the
business's own sending windows to a recipient, in the recipient's local time.

Where the recipient is uncertain it is conservative: an area code that spans
several zones or states must be allowed in all of them. The recipient's zones
are, in order: the zone given explicitly; the zones of the jurisdiction given
(``recipient_region``); the number's candidate zones. A state given replaces
the area-code guess of the state only when it is one of the area code's: an
address in another state adds its rules and zones to the area code's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

import phonenumbers

from ..errors import ConfigurationError, JurisdictionError
from ..findings import Finding, Severity, reduce_frozen
from ..numbers import _nanp
from ..numbers._zone_tab import zone_table
from ..numbers.parse import PhoneNumber, mask_sender, parse_number
from ..purpose import Purpose
from ._jurisdictions import DEFAULT_ELSEWHERE, QUIET_HOURS_RULES
from ._windows import (
    CLOSED_DAY,
    ZoneTable,
    allowed,
    build_table,
    next_allowed,
    rule_violation,
    sender_allows,
)
from ._windows import (
    OUTSIDE_WINDOW as OUTSIDE_WINDOW,
)
from .quiet_rules import (
    DEFAULT_JURISDICTION,
    RECIPIENT_CLOCK,
    QuietHoursRule,
    SendWindow,
    load_recipient_zone,
    shown,
)

__all__ = [
    "SHIPPED_RULES",
    "QuietHours",
    "WindowDecision",
]

#: Finding codes (public API, never renamed); OUTSIDE_WINDOW and CLOSED_DAY too.
PROHIBITED = "quiet_hours.prohibited"
SENDER_WINDOW = "quiet_hours.sender_window"
NO_WINDOW = "quiet_hours.no_window"
ALLOWED = "quiet_hours.allowed"
ZONE_UNKNOWN = "quiet_hours.zone_unknown"

#: The shipped rules: US federal and state, Canada, and the default elsewhere.
SHIPPED_RULES: tuple[QuietHoursRule, ...] = (*QUIET_HOURS_RULES, DEFAULT_ELSEWHERE)

#: How far ahead ``next_allowed`` is searched before giving up (``NO_WINDOW``).
SEARCH_DAYS = 35
#: ``at`` must fall in these years (time-zone data and the search are exact there).
MIN_YEAR, MAX_YEAR = 1970, 2200
_SENDER_SOURCE = "sender configuration (QuietHours.sender_windows)"
#: States whose law reaches a number by its area code whatever the address: Florida
#: (Fla. Stat. 501.059) and Oklahoma presume the recipient is in the state, Connecticut
#: reaches its area codes (reference 2a), and Oregon (HB 3865) lets a sender rely on the
#: area code, so relying on an address instead forgoes that safe harbour. A
#: ``recipient_zone`` from an address does not take their rules off the area code's clock.
_AREA_CODE_STATES: Final = frozenset({"US-FL", "US-OK", "US-CT", "US-OR"})

_NANP_US_REGIONS = {"US": "US", "PR": "US", "VI": "US", "GU": "US", "AS": "US", "MP": "US"}
_PLAN_CACHE_LIMIT = 4096
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def require_aware(at: datetime, field_name: str = "at") -> None:
    """Raise ``ConfigurationError`` unless ``at`` is an aware ``datetime``."""
    if not isinstance(at, datetime):
        raise ConfigurationError(
            f"{field_name} must be a datetime, not {type(at).__name__}", field=field_name
        )
    if at.tzinfo is None or at.utcoffset() is None:
        raise ConfigurationError(
            f"{field_name} is a naive datetime: pass an aware one "
            "(e.g. datetime(..., tzinfo=ZoneInfo('UTC')))",
            field=field_name,
        )
    if not MIN_YEAR <= at.year <= MAX_YEAR:
        raise ConfigurationError(
            f"{field_name} must fall in the years {MIN_YEAR}-{MAX_YEAR}, got {at.year}",
            field=field_name,
        )


@dataclass(frozen=True, slots=True)
class WindowDecision:
    """The answer of :meth:`QuietHours.check`.

    Attributes:
        allowed: True when every applicable rule and sender window allows ``at``.
        at: the instant asked about.
        next_allowed: the earliest instant at or after ``at`` when everything
            allows (``at`` itself when allowed); ``None`` when no time will do
            (a prohibition, an unknown zone, or nothing within ``SEARCH_DAYS``).
        findings: one per rule or window that refused, with its source.
        rules: the rules that applied to this recipient and purpose.
        zones: the recipient zones evaluated.
        jurisdictions: the recipient jurisdictions considered.
    """

    allowed: bool
    at: datetime
    next_allowed: datetime | None
    findings: tuple[Finding, ...] = ()
    rules: tuple[QuietHoursRule, ...] = ()
    zones: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()
    # Pickles with reduce_frozen: datetime drops a repeated hour's fold before protocol 4.
    __reduce__ = reduce_frozen


@dataclass(frozen=True, slots=True)
class _Plan:
    """Everything needed to decide for one recipient location and purpose."""

    rules: tuple[QuietHoursRule, ...]
    tables: tuple[ZoneTable, ...]
    prohibitions: tuple[QuietHoursRule, ...]
    zones: tuple[str, ...]
    jurisdictions: tuple[str, ...]
    needs_zone: bool
    #: Per rule code: (status value, " (title)[label]") — precomputed for findings.
    texts: dict[str, tuple[str, str]]
    #: Why zones of two readings are named (a US number with "GA"), or "".
    both_ways: str = ""


@dataclass(frozen=True, slots=True)
class QuietHours:
    """Sending windows by recipient location and purpose.

    Args:
        rules: the rule set (default: :data:`SHIPPED_RULES`). Rules with
            jurisdiction ``"*"`` apply only where no rule names the recipient's
            country.
        sender_windows: the business's own sending windows; empty means "any
            time the law allows". A message must fall in one window of each
            clock they read (the recipient's zone, the business's): windows on
            one clock add up, windows on different clocks must all allow.
        include_unverified: keep rules whose status is not verified (U, C and
            defaults). They are on by default because leaving a rule out is the
            unsafe error; every finding they produce says they are unverified.

    ``check`` is a pure function of its arguments; a per-instance memo of
    resolved locations only saves work.
    """

    rules: Sequence[QuietHoursRule] = SHIPPED_RULES
    sender_windows: Sequence[SendWindow] = ()
    include_unverified: bool = True
    _plans: dict[tuple[object, ...], _Plan] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        rules = tuple(self.rules)
        for rule in rules:
            if not isinstance(rule, QuietHoursRule):
                raise ConfigurationError(
                    f"rules must hold QuietHoursRule values, got {type(rule).__name__}",
                    field="rules",
                )
        codes = [rule.code for rule in rules]
        if len(set(codes)) != len(codes):
            raise ConfigurationError("rules: two rules share a code", field="rules")
        windows = tuple(self.sender_windows)
        for window in windows:
            if not isinstance(window, SendWindow):
                raise ConfigurationError(
                    f"sender_windows must hold SendWindow values, got {type(window).__name__}",
                    field="sender_windows",
                )
        object.__setattr__(self, "rules", rules)
        object.__setattr__(self, "sender_windows", windows)

    def check(
        self,
        number: PhoneNumber | str,
        at: datetime,
        *,
        purpose: Purpose | str,
        recipient_zone: str | None = None,
        recipient_region: str | None = None,
        prior_consent: bool = False,
    ) -> WindowDecision:
        """May a message of ``purpose`` go to ``number`` at ``at``?

        Args:
            number: a parsed number or text for :func:`parse_number` (region US).
            at: an aware datetime.
            purpose: why the message is sent (``Purpose`` or its value).
            recipient_zone: the recipient's IANA zone when known (from an
                address); overrides every zone guess, except that Florida's,
                Oklahoma's, Connecticut's and Oregon's rules on one of their area
                codes keep the area code's zones too when this is not one of them.
            recipient_region: the recipient's jurisdiction when known, ISO
                3166-2 (``"US-TX"``) or country (``"US"``). A state the area
                code does not name is added to the area code's state (rules
                and zones), not put in its place.
            prior_consent: the recipient gave prior express consent, which
                waives the rules marked ``waived_by_consent``.

        Raises:
            ConfigurationError: naive ``at``, unknown zone or purpose, a
                ``prior_consent`` that is not a bool.
            JurisdictionError: unknown ``recipient_region``.
            InvalidPhoneNumber: ``number`` text is not a valid number.
        """
        require_aware(at)
        phone = number if isinstance(number, PhoneNumber) else parse_number(number)
        if type(purpose) is not Purpose:
            purpose = parse_purpose(purpose)
        if type(prior_consent) is not bool:
            # A truthy "no" or 0.0 must not waive a rule.
            raise ConfigurationError(
                f"prior_consent must be True or False, got {type(prior_consent).__name__}",
                field="prior_consent",
            )
        # Checked before they become part of the memo key (a list is unhashable).
        if recipient_zone is not None and not isinstance(recipient_zone, str):
            raise ConfigurationError(
                "recipient_zone must be an IANA zone name (str) such as 'America/New_York', "
                f"got {type(recipient_zone).__name__}",
                field="recipient_zone",
            )
        if recipient_region is not None and not isinstance(recipient_region, str):
            raise JurisdictionError(
                f"recipient_region must be a str such as 'US-FL', got "
                f"{type(recipient_region).__name__}",
                code=shown(recipient_region),
            )
        plan = self._plan(phone, purpose, recipient_zone, recipient_region, prior_consent)
        # A prohibition holds in every zone, so it is reported even when none is known.
        if plan.prohibitions:
            return self._prohibited(at, plan)
        if plan.needs_zone and not plan.zones:
            return _zone_unknown(at, plan)
        if allowed(plan.tables, at):
            return WindowDecision(True, at, at, (), plan.rules, plan.zones, plan.jurisdictions)
        upcoming = next_allowed(plan.tables, at, SEARCH_DAYS)
        findings = _findings(plan, at, upcoming)
        return WindowDecision(
            False, at, upcoming, findings, plan.rules, plan.zones, plan.jurisdictions
        )

    def _prohibited(self, at: datetime, plan: _Plan) -> WindowDecision:
        findings = tuple(
            Finding(
                code=PROHIBITED,
                severity=Severity.BLOCK,
                message=f"{rule.jurisdiction}: {rule.title}{_label(rule)}{_waiver(rule)}",
                source=rule.source,
                details={
                    "rule": rule.code,
                    "jurisdiction": rule.jurisdiction,
                    "status": rule.status.value,
                },
            )
            for rule in plan.prohibitions
        )
        return WindowDecision(False, at, None, findings, plan.rules, plan.zones, plan.jurisdictions)

    def _plan(
        self,
        phone: PhoneNumber,
        purpose: Purpose,
        recipient_zone: str | None,
        recipient_region: str | None,
        prior_consent: bool,
    ) -> _Plan:
        key = (
            phone.region,
            phone.subdivisions,
            phone.time_zones,
            purpose,
            recipient_zone,
            recipient_region,
            prior_consent,
        )
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) >= _PLAN_CACHE_LIMIT:
                self._plans.clear()
            plan = self._build_plan(phone, purpose, recipient_zone, recipient_region, prior_consent)
            self._plans[key] = plan
        return plan

    def _build_plan(
        self,
        phone: PhoneNumber,
        purpose: Purpose,
        recipient_zone: str | None,
        recipient_region: str | None,
        prior_consent: bool,
    ) -> _Plan:
        readings = _readings(phone, recipient_region)
        if recipient_zone is not None:
            load_recipient_zone(recipient_zone)
        by_zone: dict[str, tuple[list[QuietHoursRule], list[SendWindow]]] = {}
        all_rules: dict[QuietHoursRule, None] = {}
        all_zones: dict[str, None] = {}
        # Each reading's rules on its own clocks: read as Gabon, "GA" takes Gabon's
        # rules (or the default) at Libreville's time, not Virginia's or the TCPA's.
        for country, jurisdictions, region_zones in readings:
            zones: tuple[str, ...] = (
                (recipient_zone,) if recipient_zone is not None
                else region_zones or phone.time_zones
            )
            all_zones.update(dict.fromkeys(zones))
            rules = self._applicable(country, jurisdictions, purpose, prior_consent)
            all_rules.update(dict.fromkeys(rules))
            for rule in rules:
                if rule.prohibited:
                    continue
                here = zones
                if (recipient_zone is not None and rule.jurisdiction in _AREA_CODE_STATES
                        and rule.jurisdiction in phone.subdivisions
                        and recipient_zone not in phone.time_zones):
                    # A Miami number with an address in Los Angeles: the lead may still
                    # be in Florida, whose 20:00 is 17:00 in Los Angeles. (A zone of the
                    # area code's own, Central for a Panhandle 850, picks that clock.)
                    here = tuple(dict.fromkeys((*zones, *phone.time_zones)))
                    all_zones.update(dict.fromkeys(here))
                for clock in rule.clocks:
                    for zone in here if clock == RECIPIENT_CLOCK else (clock,):
                        listed = by_zone.setdefault(zone, ([], []))[0]
                        if rule not in listed:
                            listed.append(rule)
        zones = tuple(sorted(all_zones)) if len(readings) > 1 else tuple(all_zones)
        for window in self.sender_windows:
            if purpose in window.purposes:
                for zone in zones if window.clock == RECIPIENT_CLOCK else (window.clock,):
                    by_zone.setdefault(zone, ([], []))[1].append(window)
        rules = tuple(all_rules)
        needs_zone = any(RECIPIENT_CLOCK in r.clocks for r in rules if not r.prohibited) or any(
            w.clock == RECIPIENT_CLOCK and purpose in w.purposes for w in self.sender_windows
        )
        return _Plan(
            rules=rules,
            tables=tuple(build_table(z, zr, zs) for z, (zr, zs) in by_zone.items()),
            prohibitions=tuple(r for r in rules if r.prohibited),
            zones=zones,
            jurisdictions=_merge(readings)[1],
            needs_zone=needs_zone,
            texts={r.code: (r.status.value, f" ({r.title}){_label(r)}") for r in rules},
            both_ways=_both_ways_note(readings, recipient_region)
            + _area_code_note(readings, recipient_region),
        )

    def _applicable(
        self,
        country: str,
        jurisdictions: tuple[str, ...],
        purpose: Purpose,
        prior_consent: bool,
    ) -> tuple[QuietHoursRule, ...]:
        names_country = any(
            r.jurisdiction == country or r.jurisdiction.startswith(country + "-")
            for r in self.rules
        )
        wanted = set(jurisdictions) if names_country else {DEFAULT_JURISDICTION}
        return tuple(
            r
            for r in self.rules
            if r.jurisdiction in wanted
            and r.applies_to(purpose, prior_consent=prior_consent)
            and (self.include_unverified or r.status.verified)
        )


def parse_purpose(purpose: Purpose | str) -> Purpose:
    """``Purpose(purpose)``, or ``ConfigurationError(field="purpose")``."""
    try:
        return Purpose(purpose)
    except ValueError:
        raise ConfigurationError(
            f"purpose must be one of {', '.join(p.value for p in Purpose)}, got {purpose!r}",
            field="purpose",
        ) from None


def locate(
    phone: PhoneNumber, recipient_region: str | None
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Return (country, jurisdictions, zones of the given region or ()).

    A region read two ways (``"GA"`` on a US number) gives both readings'
    jurisdictions and zones, the first reading's country.
    """
    return _merge(_readings(phone, recipient_region))


_Reading = tuple[str, tuple[str, ...], tuple[str, ...]]


def _merge(readings: tuple[_Reading, ...]) -> _Reading:
    if len(readings) == 1:
        return readings[0]
    zones = tuple(sorted({z for _, _, found in readings for z in found}))
    return readings[0][0], tuple(j for _, found, _ in readings for j in found), zones


def _both_ways_note(readings: tuple[_Reading, ...], recipient_region: str | None) -> str:
    # Only a bare code is read two ways ("GA"); "CA-ON" on a US number is the address
    # beside the number's own country (_area_code_note says so).
    if len(readings) == 1 or recipient_region is None or "-" in recipient_region:
        return ""
    if readings[1][0] != recipient_region.strip().upper():
        return ""  # a country abroad beside the number's own (_area_code_note)
    state, country = readings[0][1][1], readings[1][0]
    return (
        f"; recipient_region {country!r} on a +1 number is read both as {state} and as the "
        f"country {country}, and both must allow: write {state!r} for the "
        f"{_kind(state)} alone"
    )


def _area_code_note(readings: tuple[_Reading, ...], recipient_region: str | None) -> str:
    # Why a Florida rule is quoted for a lead whose address is in New York.
    if recipient_region is None:
        return ""
    states = [j for reading in readings for j in reading[1] if "-" in j]
    if "-" in recipient_region and len(readings) > 1:
        states = [j for j in readings[0][1] if "-" in j][:1] + [
            j for j in readings[1][1] if "-" in j]
    elif len(readings) > 1 and readings[1][0] == recipient_region.strip().upper():
        # a bare code read two ways: the home reading's states (and the number's own,
        # a third reading, when the home is the other country: "NL" on a Miami number)
        states = [j for r in (readings[0], *readings[2:]) for j in r[1] if "-" in j]
    elif len(readings) > 1:  # a country abroad ("MX"), beside the number's states
        states = [readings[0][0]] + [j for j in readings[1][1] if "-" in j]
    if len(states) < 2:
        return ""
    return (
        f"; the number's area code is {', '.join(states[1:])}'s, whose rules apply beside "
        f"the address's {states[0]} (a state may presume a number with its area code "
        "reaches someone there)"
    )


def _kind(state: str) -> str:
    if state.startswith("US-"):
        return "state"
    return "territory" if state in ("CA-NT", "CA-NU", "CA-YT") else "province"


def _readings(phone: PhoneNumber, recipient_region: str | None) -> tuple[_Reading, ...]:
    """Each way of reading the recipient's location: (country, jurisdictions, zones)."""
    number_country = _NANP_US_REGIONS.get(phone.region, phone.region)
    if recipient_region is None:
        subdivisions = phone.subdivisions or _all_subdivisions(number_country)
        return ((number_country, (number_country, *subdivisions), ()),)
    code = _validate_region(recipient_region)
    country, _, sub = code.partition("-")
    if not sub and _NANP_US_REGIONS.get(country) == "US" and country != "US":
        # phonenumbers' "PR" is ISO 3166-2 "US-PR": US law applies there.
        country, code, sub = "US", f"US-{country}", country
    if sub:
        reading = _with_area_code(phone, number_country, country, code)
        if country != number_country and phone.subdivisions:
            # A New York number with an Ontario address: the TCPA's hours stay, on the
            # number's clock, beside the CRTC's on the address's (each its own rules).
            return reading, (number_country, (number_country, *phone.subdivisions),
                             phone.time_zones)
        return (reading,)
    state = _nanp_state(phone, number_country, country)
    if state is not None:
        # A US number with "GA" from a CRM's state column: Georgia, or Gabon, whose
        # ISO code it also is. Read one way, a 03:00 text to Atlanta passes by
        # Gabon's clock; so both readings must allow, each with its own rules. The
        # same for "NL" (Newfoundland, or the Netherlands) on a +1 number.
        home = state[:2]
        both = (
            _with_area_code(phone, number_country, home, state),
            (country, (country, *_all_subdivisions(country)), _whole_country_zones(country)),
        )
        if home != number_country and phone.subdivisions:
            # "NL" on a Miami number: Newfoundland or the Netherlands, and Florida still
            # presumes its area code reaches someone in Florida (as for "CA-ON" above).
            return (*both, (number_country, (number_country, *phone.subdivisions),
                            phone.time_zones))
        return both
    if country == number_country:
        subdivisions = phone.subdivisions or _all_subdivisions(country)
        # A number without a zone (toll-free) in a country-only region: every
        # zone of the country, the conservative reading.
        zones = () if phone.time_zones else _whole_country_zones(country)
        return ((country, (country, *subdivisions), zones),)
    # A country other than the number's: its states are unknown, so all apply.
    abroad = (country, (country, *_all_subdivisions(country)), _whole_country_zones(country))
    if phone.subdivisions:
        # As for "CA-ON" above: a Miami number with a bare "MX" keeps Florida's
        # presumption and the TCPA's hours, on the number's clock.
        return abroad, (number_country, (number_country, *phone.subdivisions),
                        phone.time_zones)
    return (abroad,)


def _with_area_code(
    phone: PhoneNumber, number_country: str, country: str, state: str
) -> _Reading:
    """The reading of an address's state (or province) ``state``, to which the
    number's own area-code states are added when they differ.

    Florida (Fla. Stat. 501.059) and Oklahoma presume that a number with one of their
    area codes reaches someone in the state, Connecticut's law reaches its area codes
    whatever the address, and Oregon lets a sender rely on the area code (reference
    2a). A lead with a Miami number and a New York address may still be in Florida:
    both states' rules apply, on both places' clocks (the "safe window" when area code
    and address disagree). An address in one of the area code's own states (NJ on a
    201 number, which also names NY) narrows to that state, as before.
    """
    zones = _nanp.subdivision_zones(state)
    extra = tuple(s for s in phone.subdivisions if s != state)
    if country != number_country or not extra or len(extra) < len(phone.subdivisions):
        return (country, (country, state), zones)
    both = tuple(sorted({*zones, *phone.time_zones}))
    return (country, (country, state, *extra), both)


def _nanp_state(phone: PhoneNumber, number_country: str, code: str) -> str | None:
    """The US state or Canadian province a country code also spells, for a +1 number
    (its own country's first: "CA" on a Canadian number is Canada alone)."""
    # Every +1 number, not only US and Canadian ones: a lead in St. John's keeps the
    # Jamaican mobile they moved with, and the CRM's province column says "NL".
    if not phone.e164.startswith("+1") or code == number_country:
        return None
    homes = ("CA", "US") if number_country == "CA" else ("US", "CA")
    for home in homes:
        if f"{home}-{code}" in _nanp.country_subdivisions(home):
            return f"{home}-{code}"
    return None


@lru_cache(maxsize=256)
def _whole_country_zones(country: str) -> tuple[str, ...]:
    subdivisions = _all_subdivisions(country)
    zones = tuple(sorted({z for s in subdivisions for z in _nanp.subdivision_zones(s)}))
    return zones or _country_zones(country)


def _all_subdivisions(country: str) -> tuple[str, ...]:
    # An unknown state within the US or Canada (toll-free numbers, a country-only
    # address) means every state's rules apply: the conservative reading.
    if country in ("US", "CA"):
        return _nanp.country_subdivisions(country)
    return ()


@lru_cache(maxsize=256)
def _country_zones(country: str) -> tuple[str, ...]:
    """Every zone the IANA time zone database lists for ``country`` (its zone.tab,
    shipped in the ``tzdata`` package): where in the country is unknown, so all of
    them. A region zone.tab does not list (Kosovo, Ascension) takes the zones
    ``phonenumbers`` gives its example number."""
    zones = zone_table().get(country)
    if zones:
        return zones
    from phonenumbers import timezone as pn_timezone

    example = phonenumbers.example_number(country)
    if example is None:
        return ()
    found = pn_timezone.time_zones_for_geographical_number(example)
    return tuple(sorted(z for z in found if z != "Etc/Unknown"))


_RESERVED_ALIASES: Final = {"UK": "GB", "EL": "GR"}


def validate_region(code: str) -> str:
    """``code`` as an ISO 3166-1 or 3166-2 jurisdiction (upper case), or raise.

    Raises:
        JurisdictionError: no region ``phonenumbers`` knows, or a subdivision outside
            the US and Canada's.
    """
    return _validate_region(code)


@lru_cache(maxsize=512)
def _validate_region(code: str) -> str:
    if not isinstance(code, str):
        raise JurisdictionError(f"recipient_region must be a str, got {shown(code)}",
                                code=shown(code))
    country, _, sub = code.upper().partition("-")
    if country not in phonenumbers.SUPPORTED_REGIONS:
        # A CRM's state column ("FL", "TX"): name the code it means. (Some states'
        # letters are countries' codes, "CA" for Canada, so those cannot be caught.)
        # A Canadian province's letters ("QC", "ON") likewise name "CA-QC".
        state = _nanp.state_code(country) if not sub else None
        # " NL" from a padded CSV cell is the code "NL" (read both ways on a +1
        # number), not only Newfoundland's "CA-NL".
        trimmed = code.strip().upper()
        if trimmed != code.upper() and trimmed.partition("-")[0] in phonenumbers.SUPPORTED_REGIONS:
            state = trimmed
        # ISO 3166-1 reserves "UK" and "EL" for GB and GR, and CRMs write them (padded
        # too, as " NL" above).
        if state is None and not sub:
            state = _RESERVED_ALIASES.get(trimmed)
        hint = f"; did you mean {state!r}?" if state is not None else ""
        raise JurisdictionError(
            f"unknown jurisdiction {shown(code)}: use ISO 3166-1 ('US') or 3166-2 ('US-FL')"
            f"{hint}",
            code=mask_sender(code),
        )
    if sub:
        normalised = f"{country}-{sub}"
        if country not in ("US", "CA") or normalised not in _nanp.country_subdivisions(country):
            raise JurisdictionError(
                f"unknown or unsupported subdivision {shown(code)}: subdivisions are known for "
                "the US and Canada ('US-FL', 'CA-BC')"
                + ("" if country in ("US", "CA") else
                   f"; give the country ({country!r}: every zone of it) or, where the "
                   "address gives it, recipient_zone"),
                code=mask_sender(code),
            )
        return normalised
    return country


def _waiver(rule: QuietHoursRule) -> str:
    # A prohibition that consent lifts (Washington's on *unsolicited* texts) blocks for
    # good: say what lifts it, since the consent ledger is not what this rule reads. Both
    # spellings: the finding reaches Python callers and the CLI's `check` and `plan` alike.
    if not rule.waived_by_consent:
        return ""
    return (
        "; prior express consent waives it: if the recipient gave it, say so "
        "(prior_consent=True; on the command line, --prior-consent)"
    )


def _label(rule: QuietHoursRule) -> str:
    if rule.status.verified:
        return ""
    return f" [{rule.status.value} rule: configurable, see its note]"


_STATUS_RANK = {"verified": 0, "secondary": 1, "conflicting": 2, "unverified": 3, "default": 4}


def allowed_finding(decision: WindowDecision, purpose: Purpose) -> Finding:
    """The evidence of an allowed instant, for an audit record: each rule in force at
    ``decision.at`` (with its window and source), the local time in each zone it was
    judged in, and the rules not yet in force then (a law's effective date).

    A send's record otherwise says nothing of quiet hours when they allowed it, and an
    auditor asks which window, in which zone, let a text go at 20:59.
    """
    at = decision.at
    clocks = dict.fromkeys(decision.zones)
    for rule in decision.rules:
        clocks.update(dict.fromkeys(c for c in rule.clocks if c != RECIPIENT_CLOCK))
    # Zones already checked when the plan was built (a rule's fixed clock is no place).
    # Through UTC, as the decision judged it: a wall time in a spring-forward gap names
    # the instant after the jump, and astimezone() to its own zone would not move it.
    local = {zone: at.astimezone(UTC).astimezone(ZoneInfo(zone)) for zone in clocks}
    in_force = [r for r in decision.rules
                if r.effective is None or any(t.date() >= r.effective for t in local.values())]
    pending = [r for r in decision.rules if r not in in_force]
    times = "; ".join(
        f"{_DAY_NAMES[t.weekday()]} {t:%H:%M:%S} in {zone}" for zone, t in local.items())
    if in_force:
        rules = "; ".join(f"{r.jurisdiction}: {r.title}{_label(r)}" for r in in_force)
        message = f"{times or 'no zone needed'}: inside every window in force ({rules})"
    else:
        where = ", ".join(decision.jurisdictions) or "the recipient"
        message = f"no quiet-hours rule in force governs {purpose.value} messages to {where}"
    if pending:
        message += "; not yet in force: " + ", ".join(
            f"{r.jurisdiction} {r.code} (from {r.effective})" for r in pending)
    sources = dict.fromkeys(
        part.strip() for r in in_force for part in r.source.split(" ; ") if part.strip())
    status = max((r.status.value for r in in_force), key=lambda v: _STATUS_RANK.get(v, 5),
                 default="")
    return Finding(
        code=ALLOWED,
        severity=Severity.INFO,
        message=message,
        source=" ; ".join(sources) or "smskit",
        details={
            "rules": tuple(r.code for r in in_force),
            "not_yet_in_force": tuple(r.code for r in pending),
            "jurisdictions": decision.jurisdictions,
            "zones": tuple(local),
            "local_times": tuple(t.isoformat() for t in local.values()),
        },
        status=status,
    )


def _zone_unknown(at: datetime, plan: _Plan) -> WindowDecision:
    finding = Finding(
        code=ZONE_UNKNOWN,
        severity=Severity.DEFER,
        message="the recipient's time zone is unknown: pass recipient_zone or recipient_region",
        source="smskit",
        details={"jurisdictions": plan.jurisdictions},
    )
    return WindowDecision(False, at, None, (finding,), plan.rules, (), plan.jurisdictions)


def _findings(plan: _Plan, at: datetime, upcoming: datetime | None) -> tuple[Finding, ...]:
    next_text = upcoming.isoformat() if upcoming else f"none within {SEARCH_DAYS} days"
    if upcoming is not None and len(plan.zones) > 1:
        # The instant waits for every zone, which may be later than the quoted
        # rule's opening in the zone named (08:00 Central is 09:00 Eastern).
        next_text += f" (the recipient's zones, which must all allow: {', '.join(plan.zones)})"
    next_text += plan.both_ways
    by_rule: dict[str, tuple[QuietHoursRule, str, list[str], datetime]] = {}
    sender_zones: list[str] = []
    instant = at.astimezone(UTC)  # judged as allowed() judges it (see there)
    for table in plan.tables:
        local = instant.astimezone(table.tz)
        if table.allows(local):
            continue
        for rule in table.rules:
            code = rule_violation(rule, local)
            if code is not None:
                by_rule.setdefault(rule.code, (rule, code, [], local))[2].append(table.name)
        if not sender_allows(table.sender, local):
            sender_zones.append(table.name)
    findings = []
    for rule, code, zones, local in by_rule.values():
        what = "a closed day" if code == CLOSED_DAY else "outside the allowed hours"
        status, title_label = plan.texts[rule.code]
        findings.append(
            Finding(
                code=code,
                severity=Severity.DEFER,
                message=(
                    f"{rule.jurisdiction}: {_DAY_NAMES[local.weekday()]} "
                    f"{local.hour:02d}:{local.minute:02d} in {zones[0]} is {what}"
                    f"{title_label}; next allowed {next_text}"
                ),
                source=rule.source,
                details={
                    "rule": rule.code,
                    "jurisdiction": rule.jurisdiction,
                    "status": status,
                    "zones": tuple(zones),
                    "local_time": local,
                    "next_allowed": upcoming,
                },
            )
        )
    if sender_zones:
        findings.append(
            Finding(
                code=SENDER_WINDOW,
                severity=Severity.DEFER,
                message=f"outside the business's sending windows; next allowed {next_text}",
                source=_SENDER_SOURCE,
                details={"zones": tuple(sender_zones), "next_allowed": upcoming},
            )
        )
    if upcoming is None:
        findings.append(
            Finding(
                code=NO_WINDOW,
                severity=Severity.BLOCK,
                message=(
                    f"no instant in the next {SEARCH_DAYS} days satisfies every rule and "
                    "sending window in every candidate zone: narrow the recipient's location "
                    "(recipient_zone, recipient_region) or check the sender windows against the law"
                ),
                source=_SENDER_SOURCE,
            )
        )
    return tuple(findings)
