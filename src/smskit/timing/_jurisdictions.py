"""Shipped quiet-hours and frequency-cap rules: data, each entry with its source.

Written out by hand, each entry with its source URLs and a :class:`RuleStatus`: V only
where a source is the statute or regulation as its government publishes it (or the
regulator's page), S where only secondary pages (law firms, vendors, news) state it, U and
C as labelled, switchable defaults. ``docs/sources.md`` lists them all. Updating the law
is a change here plus its snapshot test (``tests/unit/timing/test_jurisdictions_snapshot.py``).

Readings taken (each also in the rule's ``note``):

* Purpose: every statute below regulates telephone *solicitation* (marketing);
  none regulates informational, transactional or conversational texts, so the
  rules govern ``Purpose.MARKETING`` only.
* Consent: only Utah's, Virginia's and Washington's texts waive the rule with prior
  express consent. The federal "telephone solicitation" definition excludes consented
  messages, but suits over consented texts sent outside the hours exist (S), so
  the federal window is kept regardless of consent (stricter).
* Conflicts: Texas's clock (recipient local vs Central) -> both, as two rules;
  Mississippi's "Central Standard Time" -> both the recipient's clock and fixed
  UTC-6; "legal holidays" -> the holiday and its observed day are both closed.
* Rules whose coverage of texts is unverified (U) ship with
  ``status=UNVERIFIED``: included by default (the conservative choice) and
  labelled in every finding; ``QuietHours(include_unverified=False)`` drops them.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from .quiet_rules import (
    DEFAULT_JURISDICTION,
    RECIPIENT_CLOCK,
    CapRule,
    FixedHoliday,
    HolidayCalendar,
    QuietHoursRule,
    QuietWindow,
    RuleStatus,
    WeekdayHoliday,
)

__all__ = ["CAP_RULES", "DEFAULT_ELSEWHERE", "QUIET_HOURS_RULES", "US_FEDERAL_HOLIDAYS"]

_MON, _TUE, _WED, _THU, _FRI, _SAT, _SUN = range(7)
_SUNDAY = frozenset({_SUN})
_WEEKEND = frozenset({_SAT, _SUN})
_MON_FRI = frozenset(range(5))
_V, _S, _U, _C = (
    RuleStatus.VERIFIED,
    RuleStatus.SECONDARY,
    RuleStatus.UNVERIFIED,
    RuleStatus.CONFLICTING,
)


def _outside(start: int, end: int, minute: int = 0) -> tuple[QuietWindow, ...]:
    """Quiet outside the allowed window ``start:00``-``end:minute`` every day."""
    return (QuietWindow.outside(time(start), time(end, minute)),)


US_FEDERAL_HOLIDAYS = HolidayCalendar(
    name="US federal holidays",
    holidays=(
        FixedHoliday("New Year's Day", 1, 1),
        WeekdayHoliday("Birthday of Martin Luther King, Jr.", 1, _MON, 3, since=1986),
        WeekdayHoliday("Washington's Birthday", 2, _MON, 3),
        WeekdayHoliday("Memorial Day", 5, _MON, -1),
        FixedHoliday("Juneteenth National Independence Day", 6, 19, since=2021),
        FixedHoliday("Independence Day", 7, 4),
        WeekdayHoliday("Labor Day", 9, _MON, 1),
        WeekdayHoliday("Columbus Day", 10, _MON, 2),
        FixedHoliday("Veterans Day", 11, 11),
        WeekdayHoliday("Thanksgiving Day", 11, _THU, 4),
        FixedHoliday("Christmas Day", 12, 25),
    ),
    source="https://www.law.cornell.edu/uscode/text/5/6103",
)

#: Utah Code 63G-1-301 (Sundays are closed separately). Juneteenth: 19 June from
#: 2022, a Saturday one observed on the Friday before (as the (1)(a) days) until 2024;
#: from 7 May 2025 the legal holiday is the Monday before a Tuesday-Friday 19 June or
#: after a weekend one, which is always the third Monday of June (that Monday and
#: 19 June are closed: the stricter reading; a Saturday 19 June no longer closes the
#: Friday). Not encoded: Easter Sunday (always a Sunday), Good Friday (added for 2027);
#: days proclaimed by the governor cannot be known ahead.
_UTAH_HOLIDAYS = HolidayCalendar(
    name="Utah legal holidays",
    holidays=(
        FixedHoliday("New Year's Day", 1, 1),
        WeekdayHoliday("Dr. Martin Luther King, Jr. Day", 1, _MON, 3),
        WeekdayHoliday("Washington and Lincoln Day", 2, _MON, 3),
        WeekdayHoliday("Memorial Day", 5, _MON, -1),
        FixedHoliday("Juneteenth National Freedom Day", 6, 19, since=2022, until=2024),
        FixedHoliday("Juneteenth National Freedom Day (19 June)", 6, 19, observed=False,
                     since=2025),
        WeekdayHoliday("Juneteenth National Freedom Day (Monday)", 6, _MON, 3, since=2025),
        FixedHoliday("Independence Day", 7, 4),
        FixedHoliday("Pioneer Day", 7, 24),
        WeekdayHoliday("Labor Day", 9, _MON, 1),
        WeekdayHoliday("Columbus Day", 10, _MON, 2),
        FixedHoliday("Veterans Day", 11, 11),
        WeekdayHoliday("Thanksgiving Day", 11, _THU, 4),
        FixedHoliday("Christmas", 12, 25),
    ),
    source=(
        "https://codes.findlaw.com/ut/title-63g-general-government/ut-code-sect-63g-1-301.html"
        " ; https://self-law.org/code/ut/title-63g/chapter-1/1"
    ),
)

# 47 CFR 64.1200(c)(1), as the government publishes it (eCFR), then the Federal Register.
_FEDERAL_SOURCE = (
    "https://www.ecfr.gov/current/title-47/chapter-I/subchapter-B/part-64/subpart-L/section-64.1200 ; "  # noqa: E501 - a URL is clearer whole
    "https://www.govinfo.gov/content/pkg/FR-2024-01-26/html/2023-28832.htm"
)
_VENDOR_TABLE = "https://www.dropcowboy.com/state-compliance"
_HOLIDAY_READING = "Closed on each legal holiday and on its observed weekday (stricter reading)."
_TEXTS_UNVERIFIED = "Whether the statute covers text messages is unverified (U)."

_OREGON = (
    "https://production.jdsupra.com/legalnews/oregon-passes-new-telephone-8210765 ; "
    "https://postscript.io/blog/oregon-house-bill-3865"
)
_VIRGINIA = (
    "https://www.mondaq.com/unitedstates/privacy-protection/1738886/virginia-legislature-"
    "emphasizes-its-little-tcpa-applies-to-texts ; https://mwcllc.com/2025/05/13/virginia-"
    "telemarketer-law"
)

QUIET_HOURS_RULES: tuple[QuietHoursRule, ...] = (
    QuietHoursRule(
        code="us.tcpa.hours",
        jurisdiction="US",
        title="TCPA: telephone solicitations only 08:00-21:00 at the called party's location",
        source=_FEDERAL_SOURCE,
        status=_V,
        quiet=_outside(8, 21),
        note=(
            "47 CFR 64.1200(c)(1); FTC TSR 16 CFR 310.4 has the same window (S). Kept "
            "with consent: suits over consented texts sent outside the hours exist (S)."
        ),
    ),
    QuietHoursRule(
        code="us-fl.hours",
        jurisdiction="US-FL",
        title="Florida: commercial telephone solicitation only 08:00-20:00",
        source=(
            "https://flsenate.gov/Session/Bill/2021/1120/BillText/Filed/HTML ; "
            "https://www.flsenate.gov/Laws/Statutes/2023/501.616"
        ),
        status=_V,
        quiet=_outside(8, 20),
        effective=date(2021, 7, 1),
        note="Fla. Stat. 501.616(6); a Florida area code is presumed to reach a Floridian.",
    ),
    QuietHoursRule(
        code="us-ok.hours",
        jurisdiction="US-OK",
        title="Oklahoma Telephone Solicitation Act: only 08:00-20:00",
        source=(
            "https://app.legiplex.com/ok/legislature/2022/2022-r/bills/hb3168/drafts-latest ; "
            "https://dnc.dreamhosters.com/?p=1309"
        ),
        status=_S,
        quiet=_outside(8, 20),
        effective=date(2022, 11, 1),
        note="15 O.S. 775C; hours V, coverage of texts S (sponsor's statement).",
    ),
    QuietHoursRule(
        code="us-md.hours",
        jurisdiction="US-MD",
        title="Maryland Stop the Spam Calls Act: only 08:00-20:00",
        source=(
            "https://www.wmar2news.com/local/law-to-prevent-spam-calls-takes-effect-first-of-the-year ; "  # noqa: E501 - a URL or title is clearer whole
            "https://www.kelleydrye.com/viewpoints/podcasts/ad-law-access/marylands-new-telemarketing-law-now-in-effect"
        ),
        status=_S,  # a news page and a law firm's: no primary source found yet
        quiet=_outside(8, 20),
        effective=date(2024, 1, 1),
        note="Effective 1 Jan 2024; one vendor page says 2023, a typo per the reference (C).",
    ),
    QuietHoursRule(
        code="us-ct.hours",
        jurisdiction="US-CT",
        title="Connecticut PA 23-98: telephonic sales calls (incl. texts) only 09:00-20:00",
        source=(
            "https://www.manatt.com/insights/newsletters/tcpa-connect/connecticut-senate-bill-1058 ; "  # noqa: E501 - a URL or title is clearer whole
            "https://www.tcpadefenseforce.com/tcpa-law-blog/connecticut-broadens-its-telemarketing-laws"
        ),
        status=_S,
        quiet=_outside(9, 20),
        effective=date(2023, 10, 1),
    ),
    QuietHoursRule(
        code="us-tx.hours",
        jurisdiction="US-TX",
        title="Texas SB 140: Mon-Sat 09:00-21:00, Sunday 12:00-21:00 (recipient's clock)",
        source=(
            "https://www.foster.com/newsroom-alerts-texas-expands-telemarketing-law-to-cover-text-messagesms-marketing-what-companies-need-to-know ; "  # noqa: E501 - a URL or title is clearer whole
            "https://www.cloudcommunications.com/news/texas-senate-bill-140?hs_amp=true"
        ),
        status=_S,
        quiet=(
            QuietWindow(time(21), time(9)),
            QuietWindow(time(9), time(12), days=_SUNDAY),
        ),
        effective=date(2025, 9, 1),
        note=(
            "The exceptions the sources name (a call at the person's express request, an "
            "existing business relationship) are not modelled: consent does not lift the "
            "rule (stricter); build your own rule with waived_by_consent=True to relax it."
        ),
    ),
    QuietHoursRule(
        code="us-tx.hours_central",
        jurisdiction="US-TX",
        title="Texas SB 140 read with Central time: the same hours on America/Chicago",
        source="https://www.mondaq.com/unitedstates/telecoms-mobile-cable-communications/1671662/",
        status=_C,
        quiet=(
            QuietWindow(time(21), time(9)),
            QuietWindow(time(9), time(12), days=_SUNDAY),
        ),
        clocks=("America/Chicago",),
        effective=date(2025, 9, 1),
        note=(
            "Sources conflict on the clock (Central vs recipient local); requiring both is "
            "the stricter reading and only narrows the window in El Paso / Mountain-time Texas."
        ),
    ),
    QuietHoursRule(
        code="us-or.hours",
        jurisdiction="US-OR",
        title="Oregon HB 3865: telephone solicitations, texts included, only 08:00-20:00",
        source=_OREGON,
        status=_S,
        quiet=_outside(8, 20),
        effective=date(2026, 1, 1),
        note=(
            "ORS 646.651 as amended (signed 2025-07-24); texts and RCS included from "
            "2026-01-01, when Oregon's rules did not cover texts before. An Oregon area code "
            "may be relied on."
        ),
    ),
    QuietHoursRule(
        code="us-va.hours",
        jurisdiction="US-VA",
        title="Virginia SB 1339 (VTPPA): telephone solicitations, texts included, only "
        "08:00-21:00 unless prior consent",
        source=_VIRGINIA,
        status=_S,
        quiet=_outside(8, 21),
        waived_by_consent=True,
        effective=date(2026, 1, 1),
        note=(
            "Va. Code 59.1-511 as amended from 2026-01-01; SB 1339 also has text opt-outs "
            "(STOP, UNSUBSCRIBE) honoured at least 10 years, which the ledger does (an "
            "opt-out never expires)."
        ),
    ),
    QuietHoursRule(
        code="us-wa.hours",
        jurisdiction="US-WA",
        title="Washington RCW 19.158.040: commercial telephone solicitation only 08:00-20:00",
        source="https://app.leg.wa.gov/RCW/default.aspx?cite=19.158.040",
        status=_V,
        quiet=_outside(8, 20),
    ),
    QuietHoursRule(
        code="us-wa.unsolicited_text",
        jurisdiction="US-WA",
        title="Washington RCW 19.190.060: no unsolicited commercial text messages",
        source="https://app.leg.wa.gov/RCW/default.aspx?cite=19.190.060",
        status=_V,
        prohibited=True,
        waived_by_consent=True,
        note="Not a window: without prior consent, commercial texts are barred at any hour.",
    ),
    QuietHoursRule(
        code="us-ut.hours",
        jurisdiction="US-UT",
        title="Utah 13-25a-103(3): no solicitation 21:00-08:00 without prior express consent",
        source="https://codes.findlaw.com/ut/title-13-commerce-and-trade/ut-code-sect-13-25a-103/",
        status=_U,
        quiet=_outside(8, 21),
        waived_by_consent=True,
        note=_TEXTS_UNVERIFIED,
    ),
    QuietHoursRule(
        code="us-ut.closed_days",
        jurisdiction="US-UT",
        title="Utah 13-25a-103(3): no solicitation on Sundays or legal holidays without consent",
        source=(
            "https://codes.findlaw.com/ut/title-13-commerce-and-trade/ut-code-sect-13-25a-103/ ; "
            + _UTAH_HOLIDAYS.source
        ),
        status=_U,
        closed_days=_SUNDAY,
        closed_holidays=_UTAH_HOLIDAYS,
        waived_by_consent=True,
        note=f"{_TEXTS_UNVERIFIED} {_HOLIDAY_READING}",
    ),
    QuietHoursRule(
        code="us-ms.hours",
        jurisdiction="US-MS",
        title="Mississippi 77-3-723: only 08:00-20:00 Central Standard Time",
        source="https://getpocketlaw.com/law/state_mississippi/section-77-3-723-rules-for-authorized-calls_57b73fa7ff73",
        status=_U,
        quiet=_outside(8, 20),
        clocks=(RECIPIENT_CLOCK, "Etc/GMT+6"),
        note=(
            f"{_TEXTS_UNVERIFIED} 'Central Standard Time' read literally (fixed UTC-6) and as "
            "the recipient's clock, both required (stricter). The legal-holiday ban was dropped "
            "(S, dnc.com 2024)."
        ),
    ),
    QuietHoursRule(
        code="us-ms.sunday",
        jurisdiction="US-MS",
        title="Mississippi 77-3-723: no calls on Sundays",
        source="https://getpocketlaw.com/law/state_mississippi/section-77-3-723-rules-for-authorized-calls_57b73fa7ff73",
        status=_U,
        closed_days=_SUNDAY,
        note=_TEXTS_UNVERIFIED,
    ),
    QuietHoursRule(
        code="us-la.hours",
        jurisdiction="US-LA",
        title="Louisiana: only 08:00-20:00 (vendor tables)",
        source=_VENDOR_TABLE
        + " ; https://leadmanagerhelp.clickpointsoftware.com/en/articles/5753977-state-calling-hours",
        status=_U,
        quiet=_outside(8, 20),
        note=(
            "Hours from vendor tables only (S); coverage of texts U. Not modelled: the ban "
            "during a declared state of emergency (La. R.S. 45:844.31) needs that declaration."
        ),
    ),
    QuietHoursRule(
        code="us-la.closed_days",
        jurisdiction="US-LA",
        title="Louisiana: no Sundays, no PSC-designated legal holidays (vendor tables)",
        source=_VENDOR_TABLE,
        status=_U,
        closed_days=_SUNDAY,
        closed_holidays=US_FEDERAL_HOLIDAYS,
        note=(
            "The PSC's holiday list was not found: US federal holidays stand in for it. "
            + _HOLIDAY_READING
        ),
    ),
    QuietHoursRule(
        code="us-al.hours",
        jurisdiction="US-AL",
        title="Alabama: only 08:00-20:00 (vendor tables)",
        source=_VENDOR_TABLE + " ; https://dnc.dreamhosters.com/2019-january-restricted-call-dates",
        status=_U,
        quiet=_outside(8, 20),
        note="Reportedly applies to PSC-jurisdiction telecom providers; texts U.",
    ),
    QuietHoursRule(
        code="us-al.closed_days",
        jurisdiction="US-AL",
        title="Alabama: no Sundays, no holidays (vendor tables)",
        source=_VENDOR_TABLE,
        status=_U,
        closed_days=_SUNDAY,
        closed_holidays=US_FEDERAL_HOLIDAYS,
        note="Holiday list not found: US federal holidays stand in. " + _HOLIDAY_READING,
    ),
    QuietHoursRule(
        code="us-nj.hours",
        jurisdiction="US-NJ",
        title="New Jersey 56:8-128(d): no unsolicited telemarketing sales call 21:00-08:00",
        source=(
            "https://d1tvxue8o4w0fl.cloudfront.net/statute/new-jersey-statutes/"
            "title-56-trade-names-trade-marks-and-unfair-trade-practices/chapter-568/"
            "section-568-128-requirements-relative-to-telemarketing-sales-calls"
        ),
        status=_U,
        quiet=_outside(8, 21),
        note=_TEXTS_UNVERIFIED,
    ),
    *(
        QuietHoursRule(
            code=f"us-{state.lower()}.hours",
            jurisdiction=f"US-{state}",
            title=f"{state}: only {start:02d}:00-{end:02d}:00 (one vendor table, not primary-checked)",  # noqa: E501 - a URL or title is clearer whole
            source=_VENDOR_TABLE,
            status=_U,
            quiet=_outside(start, end),
            note="Vendor table only; statute and coverage of texts unverified (U).",
        )
        for state, start, end in (
            ("MA", 8, 20),
            ("KY", 10, 21),
            ("MI", 9, 21),
            ("MN", 9, 21),
            ("NV", 9, 20),
            ("NM", 9, 21),
            ("IL", 8, 21),
        )
    ),
    QuietHoursRule(
        code="ca.crtc.hours",
        jurisdiction="CA",
        title="CRTC Unsolicited Telecommunications Rules: weekdays 09:00-21:30, weekends 10:00-18:00",  # noqa: E501 - a URL or title is clearer whole
        source="https://crtc.gc.ca/eng/phone/telemarketing/tobligations/rules-regles.htm",
        status=_U,
        quiet=(
            QuietWindow.outside(time(9), time(21, 30), days=_MON_FRI),
            QuietWindow.outside(time(10), time(18), days=_WEEKEND),
        ),
        note=(
            "Hours V for telemarketing telecommunications; whether they bind SMS is U "
            "(commercial texts fall under CASL, which sets no hours)."
        ),
    ),
)

#: Where no rule names the recipient's country: a configurable courtesy window.
DEFAULT_ELSEWHERE = QuietHoursRule(
    code="default.hours",
    jurisdiction=DEFAULT_JURISDICTION,
    title="smskit default: marketing only 08:00-21:00 recipient local time (not law)",
    source="smskit default (configurable; not a law)",
    status=RuleStatus.DEFAULT,
    quiet=_outside(8, 21),
    note="Mirrors the US federal window; replace it with the law of your recipients' country.",
)

_DAY = timedelta(hours=24)

CAP_RULES: tuple[CapRule, ...] = (
    CapRule(
        code="us-fl.cap",
        jurisdiction="US-FL",
        title="Florida FTSA: at most 3 commercial solicitations per 24 h on the same subject",
        limit=3,
        window=_DAY,
        source="https://flsenate.gov/Session/Bill/2021/1120/BillText/Filed/HTML",
        status=_V,
        effective=date(2021, 7, 1),
        note="Regardless of the sending number: every sender of the business counts.",
    ),
    CapRule(
        code="us-ok.cap",
        jurisdiction="US-OK",
        title="Oklahoma: at most 3 sales calls per 24 h on the same matter",
        limit=3,
        window=_DAY,
        source="https://app.legiplex.com/ok/legislature/2022/2022-r/bills/hb3168/drafts-latest",
        status=_S,
        effective=date(2022, 11, 1),
    ),
    CapRule(
        code="us-md.cap",
        jurisdiction="US-MD",
        title="Maryland: at most 3 calls or texts per 24 h on the same subject",
        limit=3,
        window=_DAY,
        source="https://www.kelleydrye.com/viewpoints/podcasts/ad-law-access/marylands-new-telemarketing-law-now-in-effect",
        status=_S,  # a law firm's page: no primary source found yet
        effective=date(2024, 1, 1),
    ),
    CapRule(
        code="us-or.cap",
        jurisdiction="US-OR",
        title="Oregon HB 3865: at most 3 telephone solicitations per 24 h absent an "
        "established business relationship",
        limit=3,
        window=_DAY,
        source=_OREGON,
        status=_S,
        per_subject=False,
        effective=date(2026, 1, 1),
        note=(
            "Per caller, whatever the subject. The exemption for an established business "
            "relationship (a purchase within 18 months) is not modelled: leave this rule out "
            "of FrequencyCap.rules for such customers."
        ),
    ),
)
