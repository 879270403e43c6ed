"""decide_many shares quiet-hours and cap answers between recipients alike within a
batch: the decisions stay those of decide, one by one, whatever the mix of locations,
stated zones and regions, purposes, consent, subjects and sends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from smskit import (
    CapLimit,
    CompliancePipeline,
    FrequencyCap,
    MemorySendHistory,
    MemoryStore,
    Purpose,
    Registration,
    SenderProfile,
    SendRequest,
    default_policies,
)
from smskit.timing.caps import SendRecord

# Two numbers per area code (shared answers), Canada, toll-free, the UK.
NUMBERS = ["+12125550123", "+12125550187", "+15035550123", "+14165550123", "+18005550100",
           "+447911123456"]
SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme")
# Hours (UTC) when New York, Oregon, Toronto and Honolulu are not all quiet or all
# allowed, on both sides of the 2026 DST changes.
instants = st.builds(
    lambda day, minutes, zone: (day + timedelta(minutes=minutes)).astimezone(zone),
    st.sampled_from([datetime(2026, 3, 7, 12, tzinfo=UTC), datetime(2026, 3, 9, 12, tzinfo=UTC),
                     datetime(2026, 11, 2, 0, tzinfo=UTC)]),
    st.integers(0, 60 * 6),
    st.sampled_from([UTC, ZoneInfo("America/New_York")]),
)
batch_requests = st.builds(
    SendRequest,
    recipient=st.sampled_from(NUMBERS),
    body=st.just("Spring sale"),
    purpose=st.sampled_from([Purpose.MARKETING, Purpose.INFORMATIONAL]),
    subject=st.sampled_from([None, "promo"]),
    first_message=st.sampled_from([None, True]),
    recipient_zone=st.sampled_from([None, "Pacific/Honolulu"]),
    recipient_region=st.sampled_from([None, "US-VA"]),
    prior_consent=st.booleans(),
)
send_records = st.lists(st.tuples(st.sampled_from(NUMBERS[:4]), st.integers(1, 60 * 30),
                                  st.sampled_from([None, "promo"])), max_size=6)


@given(st.lists(batch_requests, min_size=1, max_size=24), instants, send_records,
       st.integers(1, 16), st.integers(1, 2), st.booleans())
def test_decide_many_with_shared_answers_gives_what_decide_gives(
    batch: list[SendRequest], at: datetime, records: list[tuple[str, int, str | None]],
    size: int, limit: int, per_subject: bool,
) -> None:
    history = MemorySendHistory()
    for number, minutes, subject in records:
        history.record(SendRecord(number, SENDER.sender_id, at - timedelta(minutes=minutes),
                                  subject))
    cap = FrequencyCap(history, limits=(
        CapLimit("house", limit, timedelta(hours=24), per_subject=per_subject),))
    engine = CompliancePipeline(
        default_policies(store=MemoryStore(), history=history, cap=cap), history=history)
    many = engine.decide_many(batch, SENDER, at, batch_size=size)
    assert list(many.decisions) == [engine.decide(r, SENDER, at) for r in batch]
