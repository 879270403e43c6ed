"""CASL periods counted on the recipient's calendar, whatever offset the event was stamped with."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from smskit.consent import CASL, ConsentLedger, ConsentState, MemoryStore
from smskit.consent.fold import expiry_of

VANCOUVER = ZoneInfo("America/Vancouver")
N = "+16045550123"  # a Vancouver (604) number


def _inquiry(at: datetime) -> ConsentLedger:
    ledger = ConsentLedger(MemoryStore(), rules=CASL)
    ledger.grant(N, scope="fixit", purposes="marketing", kind="implied",
                 implied_basis="inquiry", source="api", at=at)
    return ledger


def test_inquiry_late_on_29_february_in_vancouver_stamped_in_utc_ends_on_29_august() -> None:
    # 29 Feb 2024 23:30 in Vancouver is 1 Mar 07:30 UTC. Six months from the local day
    # is 29 Aug 23:30 (Vancouver); counted on the UTC date it was 1 Sep, two more days.
    local = datetime(2024, 2, 29, 23, 30, tzinfo=VANCOUVER)
    ledger = _inquiry(local.astimezone(UTC))
    on_31_august = datetime(2024, 8, 31, 12, 0, tzinfo=VANCOUVER)
    status = ledger.status(N, "marketing", scope="fixit", at=on_31_august)
    assert status.state is ConsentState.EXPIRED
    assert status.expires_at == datetime(2024, 8, 29, 23, 30, tzinfo=VANCOUVER)
    before = datetime(2024, 8, 29, 23, 29, tzinfo=VANCOUVER)
    assert ledger.status(N, "marketing", scope="fixit", at=before).allows_send


def test_stamped_in_the_local_zone_the_period_ends_at_local_wall_time_after_dst() -> None:
    # The stamp keeps a fixed offset (PST, -08:00); August is PDT: the end is 23:30 PDT,
    # not 23:30 PST (an hour later), as counted before.
    ledger = _inquiry(datetime(2024, 2, 29, 23, 30, tzinfo=VANCOUVER))
    status = ledger.status(N, "marketing", scope="fixit",
                           at=datetime(2024, 8, 29, 23, 29, tzinfo=VANCOUVER))
    assert status.allows_send
    assert status.expires_at == datetime(2024, 8, 29, 23, 30, tzinfo=VANCOUVER)


@given(instant=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1),
                            timezones=st.just(UTC)),
       offset_minutes=st.integers(min_value=-12 * 60, max_value=14 * 60),
       basis=st.sampled_from(["inquiry", "purchase"]))
@settings(max_examples=60)
def test_the_stamp_offset_never_lengthens_the_period(
        instant: datetime, offset_minutes: int, basis: str) -> None:
    # Whatever offset the same instant is stamped with, consent ends no later than the
    # period counted on Vancouver's calendar (the number's zone).
    stamped = instant.astimezone(timezone(timedelta(minutes=offset_minutes)))
    event = ConsentLedger(MemoryStore(), rules=CASL).grant(
        N, scope="fixit", purposes="marketing", kind="implied", implied_basis=basis,
        source="api", at=stamped)
    local = instant.astimezone(VANCOUVER)
    months = 6 if basis == "inquiry" else 24
    year, month = divmod(local.month - 1 + months, 12)
    last_day = calendar.monthrange(local.year + year, month + 1)[1]
    expected = local.replace(year=local.year + year, month=month + 1,
                             day=min(local.day, last_day))
    expiry = expiry_of(event, CASL)
    assert expiry is not None
    assert expiry <= expected


def test_under_casl_a_conversation_is_an_inquiry_and_lapses_after_six_months() -> None:
    # CASL implies consent only from the relationships s.10 lists; a customer who texted
    # the business made an inquiry (6 months), not a grant for marketing forever.
    ledger = ConsentLedger(MemoryStore(), rules=CASL)
    ledger.grant(N, scope="fixit", purposes="marketing", kind="implied",
                 implied_basis="conversation", source="keyword",
                 at=datetime(2025, 1, 10, 12, 0, tzinfo=VANCOUVER))
    later = ledger.status(N, "marketing", scope="fixit",
                          at=datetime(2025, 7, 10, 12, 0, tzinfo=VANCOUVER))
    assert later.state is ConsentState.EXPIRED
    assert ledger.status(N, "marketing", scope="fixit",
                         at=datetime(2025, 7, 10, 11, 59, tzinfo=VANCOUVER)).allows_send


def test_under_us_rules_a_conversation_keeps_no_fixed_period() -> None:
    ledger = ConsentLedger(MemoryStore())
    ledger.grant(N, scope="fixit", purposes="conversational", kind="implied",
                 implied_basis="conversation", source="keyword",
                 at=datetime(2025, 1, 10, 12, 0, tzinfo=VANCOUVER))
    assert ledger.status(N, "conversational", scope="fixit",
                         at=datetime(2027, 1, 10, tzinfo=VANCOUVER)).allows_send


def test_one_instant_stamped_two_ways_is_not_answered_from_the_other() -> None:
    # Same instant, other offsets: the end of each is counted on its own stamp too.
    instant = datetime(2024, 3, 1, 7, 30, tzinfo=UTC)
    for stamp in (instant, instant.astimezone(timezone(timedelta(hours=-8))), instant):
        ledger = _inquiry(stamp)
        end = ledger.status(N, "marketing", scope="fixit", at=stamp).expires_at
        assert end == datetime(2024, 8, 29, 23, 30, tzinfo=VANCOUVER)
