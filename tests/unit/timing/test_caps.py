"""FrequencyCap: state caps (3 per 24 h on the same subject) and the business's own limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smskit.errors import ConfigurationError
from smskit.findings import Severity
from smskit.timing.caps import CapLimit, FrequencyCap, MemorySendHistory, SQLiteSendHistory
from smskit.timing.quiet_rules import CapRule, RuleStatus

NY = ZoneInfo("America/New_York")
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=NY)
MIAMI = "+13055550123"  # Florida: 3 per 24 h on the same subject
NYC = "+12125550123"  # New York: no state cap
H = timedelta(hours=1)


def test_fourth_florida_message_on_the_same_subject_waits_for_the_first_to_age_out() -> None:
    caps = FrequencyCap(MemorySendHistory())
    for hours in (0, 2, 4):
        caps.record(MIAMI, T0 + hours * H, sender="+18005550100", subject="sale")
    d = caps.check(MIAMI, T0 + 5 * H, sender="+18005550100", subject="sale", purpose="marketing")
    assert d.allowed is False
    assert d.next_allowed == T0 + 24 * H
    finding = d.findings[0]
    assert finding.code == "frequency_cap.exceeded"
    assert finding.severity is Severity.DEFER
    assert finding.details["rule"] == "us-fl.cap"
    assert finding.details["count"] == 3
    assert "flsenate.gov" in finding.source
    assert "3055550123" not in finding.message


def test_the_cap_counts_every_sending_number() -> None:
    caps = FrequencyCap(MemorySendHistory())
    for hours, sender in ((0, "A"), (1, "B"), (2, "C")):
        caps.record(MIAMI, T0 + hours * H, sender=sender, subject="sale")
    assert not caps.check(
        MIAMI, T0 + 3 * H, sender="D", subject="sale", purpose="marketing"
    ).allowed


def test_other_subjects_are_free_but_unknown_subjects_count_against_all() -> None:
    caps = FrequencyCap(MemorySendHistory())
    for hours in (0, 1, 2):
        caps.record(MIAMI, T0 + hours * H, sender="A", subject="sale")
    other = caps.check(MIAMI, T0 + 3 * H, sender="A", subject="renewal", purpose="marketing")
    assert other.allowed is True
    assert other.next_allowed == T0 + 3 * H
    unknown = caps.check(MIAMI, T0 + 3 * H, sender="A", purpose="marketing")
    assert unknown.allowed is False


def test_exactly_24_hours_later_the_first_send_no_longer_counts() -> None:
    caps = FrequencyCap(MemorySendHistory())
    for hours in (0, 1, 2):
        caps.record(MIAMI, T0 + hours * H, sender="A", subject="sale")
    assert caps.check(MIAMI, T0 + 24 * H, sender="A", subject="sale", purpose="marketing").allowed
    late = T0 + 24 * H - timedelta(microseconds=1)
    assert not caps.check(MIAMI, late, sender="A", subject="sale", purpose="marketing").allowed


def test_state_caps_govern_marketing_only_and_only_their_state() -> None:
    caps = FrequencyCap(MemorySendHistory())
    for hours in range(5):
        caps.record(MIAMI, T0 + hours * H, sender="A", subject="sale")
        caps.record(NYC, T0 + hours * H, sender="A", subject="sale")
    at = T0 + 6 * H
    assert caps.check(MIAMI, at, sender="A", subject="sale", purpose="transactional").allowed
    assert caps.check(NYC, at, sender="A", subject="sale", purpose="marketing").allowed
    moved = caps.check(
        NYC, at, sender="A", subject="sale", purpose="marketing", recipient_region="US-MD"
    )
    assert moved.findings[0].details["rule"] == "us-md.cap"


def test_own_limits_per_sender_and_per_recipient() -> None:
    per_sender = CapLimit("sender-hourly", limit=2, window=H, per_recipient=False, per_sender=True)
    per_recipient = CapLimit("weekly", limit=4, window=timedelta(days=7))
    caps = FrequencyCap(MemorySendHistory(), limits=[per_sender, per_recipient], rules=())
    caps.record(NYC, T0, sender="A")
    caps.record(MIAMI, T0 + timedelta(minutes=10), sender="A")
    d = caps.check(NYC, T0 + timedelta(minutes=20), sender="A", purpose="marketing")
    assert d.allowed is False
    assert d.findings[0].details["rule"] == "limit:sender-hourly"
    assert d.next_allowed == T0 + H
    assert caps.check(NYC, T0 + timedelta(minutes=20), sender="B", purpose="marketing").allowed


def test_next_allowed_is_the_latest_of_the_failing_caps() -> None:
    own = CapLimit("two-a-day", limit=2, window=timedelta(hours=24))
    caps = FrequencyCap(MemorySendHistory(), limits=[own])
    for hours in (0, 1, 2):
        caps.record(MIAMI, T0 + hours * H, sender="A", subject="sale")
    d = caps.check(MIAMI, T0 + 3 * H, sender="A", subject="sale", purpose="marketing")
    # own limit: the 2nd-latest send (T0+1h) must age out -> T0+25h; Florida: T0+24h.
    assert d.next_allowed == T0 + 25 * H
    assert len(d.findings) == 2


def test_unverified_caps_can_be_left_out() -> None:
    rule = CapRule(
        code="t.cap",
        jurisdiction="US-NY",
        title="t",
        limit=1,
        window=H,
        source="s",
        status=RuleStatus.UNVERIFIED,
    )
    history = MemorySendHistory()
    FrequencyCap(history, rules=[rule]).record(NYC, T0, sender="A")
    assert (
        not FrequencyCap(history, rules=[rule])
        .check(NYC, T0 + H / 2, sender="A", purpose="marketing")
        .allowed
    )
    assert (
        FrequencyCap(history, rules=[rule], include_unverified=False)
        .check(NYC, T0 + H / 2, sender="A", purpose="marketing")
        .allowed
    )


def test_sqlite_history_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "sends.sqlite3"
    with SQLiteSendHistory(path) as history:
        caps = FrequencyCap(history)
        for hours in (0, 1, 2):
            caps.record(MIAMI, T0 + hours * H, sender="A", subject="sale")
    with SQLiteSendHistory(path) as history:
        d = FrequencyCap(history).check(
            MIAMI, T0 + 3 * H, sender="A", subject="sale", purpose="marketing"
        )
    assert d.allowed is False
    assert d.next_allowed == T0 + 24 * H


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"limit": 0, "window": H}, "limit"),
        ({"limit": -1, "window": H}, "limit"),
        ({"limit": 3, "window": timedelta(0)}, "window"),
        ({"limit": 3, "window": H, "per_recipient": False}, "per_recipient"),
    ],
)
def test_caps_that_cannot_work_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigurationError) as err:
        CapLimit("x", **kwargs)  # type: ignore[arg-type]
    assert err.value.field == field


def test_naive_datetime_is_refused() -> None:
    caps = FrequencyCap(MemorySendHistory())
    with pytest.raises(ConfigurationError) as err:
        caps.check(MIAMI, datetime(2026, 11, 20, 9, 0), sender="A", purpose="marketing")
    assert err.value.field == "at"


def test_history_in_utc_and_check_in_local_time_agree() -> None:
    caps = FrequencyCap(MemorySendHistory())
    for hours in (0, 1, 2):
        caps.record(MIAMI, (T0 + hours * H).astimezone(UTC), sender="A", subject="s")
    d = caps.check(MIAMI, T0 + 3 * H, sender="A", subject="s", purpose="marketing")
    assert d.next_allowed == T0 + 24 * H
    assert d.next_allowed.tzinfo is NY


def test_unknown_purpose_names_the_field() -> None:
    caps = FrequencyCap(MemorySendHistory())
    with pytest.raises(ConfigurationError) as err:
        caps.check(MIAMI, T0, sender="A", purpose="spam")
    assert err.value.field == "purpose"
    with pytest.raises(ConfigurationError) as err:
        caps.record(MIAMI, T0, sender="A", purpose="spam")
    assert err.value.field == "purpose"


@pytest.mark.parametrize("sender", [None, "", 18005550100])
def test_sender_must_be_a_non_empty_str(sender: object) -> None:
    # A missing sender would silently count every sender's sends (or none).
    caps = FrequencyCap(MemorySendHistory())
    with pytest.raises(ConfigurationError) as err:
        caps.check(MIAMI, T0, sender=sender, purpose="marketing")  # type: ignore[arg-type]
    assert err.value.field == "sender"
    with pytest.raises(ConfigurationError) as err:
        caps.record(MIAMI, T0, sender=sender)  # type: ignore[arg-type]
    assert err.value.field == "sender"


def _record_many(path: str, sender: str, count: int) -> None:
    # Runs in a child process: its own connection to the same file.
    from smskit.timing.caps import SendRecord

    with SQLiteSendHistory(path) as history:
        for i in range(count):
            history.record(SendRecord(MIAMI, sender, T0 + i * timedelta(seconds=1)))
            history.sent_at(since=T0 - H, until=T0 + H, recipient=MIAMI)


def test_sqlite_history_under_concurrent_writer_processes(tmp_path: Path) -> None:
    import multiprocessing

    path = str(tmp_path / "sends.sqlite3")
    SQLiteSendHistory(path).close()
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_record_many, args=(path, f"S{k}", 40)) for k in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    with SQLiteSendHistory(path) as history:
        found = history.sent_at(since=T0 - H, until=T0 + H, recipient=MIAMI)
    assert len(found) == 160


def test_sqlite_history_locked_by_another_writer_is_a_store_error(tmp_path: Path) -> None:
    import sqlite3

    from smskit.errors import StoreError
    from smskit.timing.caps import SendRecord

    path = tmp_path / "sends.sqlite3"
    with SQLiteSendHistory(path, timeout=0.05) as history:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreError):
                history.record(SendRecord(MIAMI, "A", T0))
        finally:
            other.execute("ROLLBACK")
            other.close()
        history.record(SendRecord(MIAMI, "A", T0))
        assert history.sent_at(since=T0 - H, until=T0, recipient=MIAMI) == (T0,)


def test_unknown_purposes_in_caps_are_refused() -> None:
    with pytest.raises(ConfigurationError) as err:
        CapLimit("x", limit=3, window=H, purposes=frozenset({"promo"}))  # type: ignore[arg-type]
    assert err.value.field == "purposes"
    with pytest.raises(ConfigurationError) as err:
        CapRule(
            code="x",
            jurisdiction="US-FL",
            title="t",
            limit=3,
            window=H,
            source="s",
            status=RuleStatus.VERIFIED,
            purposes=frozenset({"promo"}),  # type: ignore[arg-type]
        )
    assert err.value.field == "purposes"


def test_subject_must_be_a_str_or_none() -> None:
    # An int subject never equals the str one: the per-subject cap would undercount.
    caps = FrequencyCap(MemorySendHistory())
    with pytest.raises(ConfigurationError) as err:
        caps.record(MIAMI, T0, sender="A", subject=42)  # type: ignore[arg-type]
    assert err.value.field == "subject"
    with pytest.raises(ConfigurationError) as err:
        caps.check(MIAMI, T0, sender="A", subject=42, purpose="marketing")  # type: ignore[arg-type]
    assert err.value.field == "subject"


@pytest.mark.parametrize("history_kind", ["memory", "sqlite"])
def test_a_rolling_window_is_elapsed_time_across_a_dst_change(
    tmp_path: Path, history_kind: str
) -> None:
    """24 hours are 24 elapsed hours, whatever the zone of ``at``: on 2026-11-01 the
    clocks go back, so 12:00 EST (17:00 UTC) minus 24 hours is 2026-10-31 17:00 UTC,
    not noon EDT (16:00 UTC). A send at 16:30 UTC the day before is 24.5 hours old."""
    history = (MemorySendHistory() if history_kind == "memory"
               else SQLiteSendHistory(tmp_path / "sends.db"))
    cap = FrequencyCap(history, limits=(CapLimit("daily", 1, 24 * H),), rules=())
    cap.record(NYC, datetime(2026, 10, 31, 16, 30, tzinfo=UTC), sender="acme")
    at = datetime(2026, 11, 1, 12, tzinfo=NY)
    assert cap.check(NYC, at, sender="acme", purpose="marketing").allowed
    # and one 23.5 elapsed hours old (17:30 UTC) still counts, until 17:30 UTC today
    cap.record(NYC, datetime(2026, 10, 31, 17, 30, tzinfo=UTC), sender="acme")
    decision = cap.check(NYC, at, sender="acme", purpose="marketing")
    assert not decision.allowed
    assert decision.next_allowed == datetime(2026, 11, 1, 17, 30, tzinfo=UTC)
    if isinstance(history, SQLiteSendHistory):
        history.close()  # Python 3.13 warns about an unclosed connection


def test_a_deferral_across_fall_back_is_found() -> None:
    """At 01:20 EST (06:20 UTC) on 2026-11-01 a send at 01:40 EDT (05:40 UTC) is 40
    minutes old: one per 3 hours allows the next at 08:40 UTC, and asking again then
    allows it (a window in wall-clock hours would still see the send)."""
    cap = FrequencyCap(MemorySendHistory(), limits=(CapLimit("h", 1, 3 * H),), rules=())
    cap.record(NYC, datetime(2026, 11, 1, 1, 40, tzinfo=NY), sender="acme")
    at = datetime(2026, 11, 1, 1, 20, fold=1, tzinfo=NY)
    decision = cap.check(NYC, at, sender="acme", purpose="marketing")
    assert decision.next_allowed == datetime(2026, 11, 1, 8, 40, tzinfo=UTC)
    assert cap.check(NYC, decision.next_allowed.astimezone(NY), sender="acme",
                     purpose="marketing").allowed


# --- a cap's effective date is the recipient's local date (user30) ------------------------


def test_oregon_s_cap_starts_on_1_january_in_oregon_not_in_utc() -> None:
    # HB 3865, effective 2026-01-01 (https://postscript.io/blog/oregon-house-bill-3865): at most
    # 3 solicitations per 24 h. 16:00 on 31 December 2025 in Portland is already 1 January
    # in UTC; the law is not in force there yet, so a fourth text that day is allowed,
    # and the next day it is not.
    la = ZoneInfo("America/Los_Angeles")
    portland = "+15035550123"
    for day, allowed in ((datetime(2025, 12, 31, 16, 0, tzinfo=la), True),
                         (datetime(2026, 1, 1, 16, 0, tzinfo=la), False)):
        caps = FrequencyCap(MemorySendHistory())
        for hours in (3, 2, 1):
            caps.record(portland, day - timedelta(hours=hours), sender="+14155550100")
        d = caps.check(portland, day, sender="+14155550100", purpose="marketing")
        assert d.allowed is allowed, day
        if not allowed:
            (finding,) = d.findings
            assert finding.details["rule"] == "us-or.cap"
            # The message gives the time in the zone asked in, not UTC.
            assert "next allowed 2026-01-02T13:00:00-08:00" in finding.message


def test_florida_s_cap_holds_a_miami_number_whose_address_is_a_country_abroad() -> None:
    # A bare "MX" from a CRM's country column: Florida still presumes its area code
    # reaches someone in Florida (Fla. Stat. 501.059), so its 3 per 24 h still counts.
    caps = FrequencyCap(MemorySendHistory())
    for hours in (0, 2, 4):
        caps.record(MIAMI, T0 + hours * H, sender="A", subject="sale")
    d = caps.check(MIAMI, T0 + 5 * H, sender="A", subject="sale", purpose="marketing",
                   recipient_region="MX")
    assert d.allowed is False
    assert d.findings[0].details["rule"] == "us-fl.cap"
