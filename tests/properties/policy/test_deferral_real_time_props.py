"""A deferral is real time: the engine finds a policy's ``not_before`` whatever the zone.

Two aware datetimes sharing one zone compare by wall clock, so in the hour a clock
change repeats a later instant can read as earlier. A policy that defers by some real
time, its ``not_before`` given in ``at``'s zone, must come back as a deferral to that
instant, not as "no time found".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from _dst import near_a_clock_change
from smskit.consent.sender import Registration, SenderProfile
from smskit.findings import Finding, Severity
from smskit.policy import CompliancePipeline, PolicyContext, SendRequest, Verdict

SENDER = SenderProfile(
    sender_id="+12125550199", registration=Registration.APPROVED, consent_scope="acme",
    brand="Acme",
)
REQUEST = SendRequest(recipient="+12125550123", body="Your code is 1234", purpose="transactional")


def _waiting_until(due: datetime) -> CompliancePipeline:
    def wait(request: SendRequest, sender: SenderProfile, context: PolicyContext,
             at: datetime, /) -> Iterable[Finding]:
        if at.astimezone(UTC) >= due.astimezone(UTC):
            return ()
        return (Finding("test.wait", Severity.DEFER, "wait", "test",
                        MappingProxyType({"not_before": due})),)

    return CompliancePipeline((wait,))


def test_half_an_hour_on_in_aucklands_repeated_hour_reads_earlier_yet_is_later() -> None:
    auckland = ZoneInfo("Pacific/Auckland")
    at = datetime(2027, 4, 4, 2, 40, tzinfo=auckland)  # NZDT, 13:40 UTC
    due = datetime(2027, 4, 4, 2, 10, fold=1, tzinfo=auckland)  # NZST, 14:10 UTC
    decision = _waiting_until(due).decide(REQUEST, SENDER, at)
    assert decision.verdict is Verdict.DEFER, decision.codes
    assert decision.not_before is not None
    assert decision.not_before.astimezone(UTC) == datetime(2027, 4, 3, 14, 10, tzinfo=UTC)


@given(near_a_clock_change(), st.integers(1, 4 * 60 * 60))
def test_a_wait_of_real_time_defers_to_that_instant(at: datetime, seconds: int) -> None:
    due_utc = at.astimezone(UTC) + timedelta(seconds=seconds)
    due = due_utc.astimezone(at.tzinfo)  # as a policy in at's zone would give it
    decision = _waiting_until(due).decide(REQUEST, SENDER, at)
    assert decision.verdict is Verdict.DEFER, decision.codes
    assert decision.not_before is not None
    assert decision.not_before.astimezone(UTC) == due_utc


@given(near_a_clock_change(), st.integers(1, 4 * 60 * 60), st.integers(1, 4 * 60 * 60))
def test_of_two_waits_the_later_in_real_time_wins(at: datetime, one: int, two: int) -> None:
    dues = [(at.astimezone(UTC) + timedelta(seconds=s)).astimezone(at.tzinfo) for s in (one, two)]

    def both(request: SendRequest, sender: SenderProfile, context: PolicyContext,
             when: datetime, /) -> Iterable[Finding]:
        return tuple(
            Finding(f"test.wait{i}", Severity.DEFER, "wait", "test",
                    MappingProxyType({"not_before": due}))
            for i, due in enumerate(dues) if when.astimezone(UTC) < due.astimezone(UTC)
        )

    decision = CompliancePipeline((both,)).decide(REQUEST, SENDER, at)
    assert decision.verdict is Verdict.DEFER, decision.codes
    assert decision.not_before is not None
    latest = at.astimezone(UTC) + timedelta(seconds=max(one, two))
    assert decision.not_before.astimezone(UTC) == latest
