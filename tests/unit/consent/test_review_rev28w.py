"""Review rev28w: CASL conversation period (commercial messages only) and the end cache."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smskit.consent import CASL, ConsentLedger, ConsentState, MemoryStore
from smskit.consent.fold import expiry_of
from smskit.consent.model import ConsentKind, ImpliedBasis
from smskit.errors import ConsentError

VANCOUVER = ZoneInfo("America/Vancouver")
N = "+16045550123"  # Vancouver (604)
BC = "+12505550123"  # 250: Vancouver or Edmonton


def _conversation(purposes: str) -> ConsentLedger:
    ledger = ConsentLedger(MemoryStore(), rules=CASL)
    ledger.grant(N, scope="fixit", purposes=purposes, kind="implied",
                 implied_basis="conversation", source="keyword",
                 at=datetime(2025, 1, 10, 12, 0, tzinfo=VANCOUVER))
    return ledger


@pytest.mark.parametrize("purpose", ["transactional", "conversational", "informational"])
def test_a_casl_conversation_still_allows_non_commercial_replies_after_six_months(
        purpose: str) -> None:
    # CASL's periods limit commercial messages; a reply about the customer's own repair a
    # year later is not blocked by the conversation's marketing period.
    ledger = _conversation(purpose)
    status = ledger.status(N, purpose, scope="fixit",
                           at=datetime(2026, 1, 10, 12, 0, tzinfo=VANCOUVER))
    assert status.allows_send
    assert status.expires_at is None


def test_a_casl_conversation_marketing_period_is_a_labelled_default() -> None:
    ledger = _conversation("marketing")
    status = ledger.status(N, "marketing", scope="fixit",
                           at=datetime(2025, 7, 10, 12, 0, tzinfo=VANCOUVER))
    assert status.state is ConsentState.EXPIRED
    # No source gives CASL a period for a conversation: the finding says it is a default.
    assert [f.status for f in status.findings if f.code == "consent.expired"] == ["default"]


def test_one_wall_time_twice_at_the_dst_change_is_not_answered_from_the_other() -> None:
    # 01:30 on 3 Nov 2024 in Vancouver happens twice (PDT, then PST); the two stamps
    # compare equal in Python (same tzinfo, fold ignored), but are an hour apart. On a
    # 250 number (Vancouver or Edmonton), six months after the earlier one ends at
    # 2025-05-03 07:30 UTC (Edmonton's 01:30 MDT), after the later one at 08:30 UTC.
    # ConsentEvent fixes the offset; another FoldEvent may keep the zone.
    first = datetime(2024, 11, 3, 1, 30, tzinfo=VANCOUVER)
    second = first.replace(fold=1)
    ends = [expiry_of(_facts(stamp), CASL) for stamp in (second, first, second)]
    assert [e.astimezone(UTC) if e else None for e in ends] == [
        datetime(2025, 5, 3, 8, 30, tzinfo=UTC), datetime(2025, 5, 3, 7, 30, tzinfo=UTC),
        datetime(2025, 5, 3, 8, 30, tzinfo=UTC)]


def _facts(at: datetime) -> SimpleNamespace:
    return SimpleNamespace(consent_kind=ConsentKind.IMPLIED, implied_basis=ImpliedBasis.INQUIRY,
                           occurred_at=at, expires_at=None, recipient=BC)


def test_a_naive_stamp_is_an_error_naming_the_field() -> None:
    # Counting on the number's zones needs an instant; a naive stamp from another
    # FoldEvent was a bare TypeError (comparing naive and aware ends).
    with pytest.raises(ConsentError, match="occurred_at"):
        expiry_of(_facts(datetime(2024, 2, 29, 23, 30)), CASL)


def _plus_months(start: datetime, months: int) -> datetime:
    year, month = divmod(start.month - 1 + months, 12)
    last = calendar.monthrange(start.year + year, month + 1)[1]
    return start.replace(year=start.year + year, month=month + 1, day=min(start.day, last))


# Numbers whose area code spans zones (reference: 250 BC PT/MT, 807 ON CT/ET, 709 NL
# AT/NT, 418 QC ET/AT, 867 the territories), each with the zones its metadata gives.
_SPANNING = {
    "+12505550123": ("America/Edmonton", "America/Vancouver"),
    "+18075550123": ("America/Toronto", "America/Winnipeg"),
    "+17095550123": ("America/Halifax", "America/St_Johns"),
    "+14185550123": ("America/Halifax", "America/Toronto"),
}


@given(instant=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1),
                            timezones=st.just(UTC)),
       offset_minutes=st.integers(min_value=-12 * 60, max_value=14 * 60),
       number=st.sampled_from(sorted(_SPANNING)),
       basis=st.sampled_from([(ImpliedBasis.INQUIRY, 6), (ImpliedBasis.PURCHASE, 24)]))
@settings(max_examples=40)
def test_the_end_is_the_earliest_of_the_stamp_and_each_zone_never_later_than_before(
        instant: datetime, offset_minutes: int, number: str,
        basis: tuple[ImpliedBasis, int]) -> None:
    stamp = instant.astimezone(timezone(timedelta(minutes=offset_minutes)))
    kind, months = basis
    facts = SimpleNamespace(consent_kind=ConsentKind.IMPLIED, implied_basis=kind,
                            occurred_at=stamp, expires_at=None, recipient=number)
    on_stamp = _plus_months(stamp, months)  # what main counted
    ends = [on_stamp] + [_plus_months(instant.astimezone(ZoneInfo(z)), months)
                         for z in _SPANNING[number]]
    end = expiry_of(facts, CASL)
    assert end is not None
    assert end <= on_stamp
    assert end == min(ends)
