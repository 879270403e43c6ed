"""Static conformance (checked by mypy --strict): the histories are SendHistory values."""

from __future__ import annotations

from datetime import UTC, datetime, time

from smskit.purpose import Purpose
from smskit.timing.caps import FrequencyCap, MemorySendHistory, SendHistory, SQLiteSendHistory
from smskit.timing.quiet_hours import QuietHours, WindowDecision
from smskit.timing.quiet_rules import SendWindow

memory: SendHistory = MemorySendHistory()
_durable = SQLiteSendHistory(":memory:")
durable: SendHistory = _durable
caps = FrequencyCap(memory)
decision: WindowDecision = QuietHours(sender_windows=[SendWindow(time(9), time(17))]).check(
    "+13055550123", datetime(2026, 11, 20, 12, tzinfo=UTC), purpose=Purpose.MARKETING
)
allowed: bool = decision.allowed and caps.check(
    "+13055550123", datetime(2026, 11, 20, 12, tzinfo=UTC), sender="A", purpose="marketing"
).allowed

# pytest's --doctest-modules imports this module too: close what it opened, or the
# connection stays referenced until exit and warns there (unclosed database).
_durable.close()
