"""When a message may go: quiet hours in the recipient's zone (shipped
jurisdiction rules as cited data, compiled send windows) and frequency caps over
a send history.
"""

from __future__ import annotations

from .caps import (
    CapDecision,
    CapLimit,
    FrequencyCap,
    MemorySendHistory,
    SendHistory,
    SendRecord,
    SQLiteSendHistory,
)
from .quiet_hours import (
    SHIPPED_RULES,
    QuietHours,
    WindowDecision,
)
from .quiet_rules import (
    ALL_DAYS,
    RECIPIENT_CLOCK,
    WEEKDAYS,
    CapRule,
    FixedHoliday,
    HolidayCalendar,
    QuietHoursRule,
    QuietWindow,
    RuleStatus,
    SendWindow,
    WeekdayHoliday,
    rules_from_data,
    rules_to_data,
)

__all__ = [
    "ALL_DAYS",
    "RECIPIENT_CLOCK",
    "SHIPPED_RULES",
    "WEEKDAYS",
    "CapDecision",
    "CapLimit",
    "CapRule",
    "FixedHoliday",
    "FrequencyCap",
    "HolidayCalendar",
    "MemorySendHistory",
    "QuietHours",
    "QuietHoursRule",
    "QuietWindow",
    "RuleStatus",
    "SQLiteSendHistory",
    "SendHistory",
    "SendRecord",
    "SendWindow",
    "WeekdayHoliday",
    "WindowDecision",
    "rules_from_data",
    "rules_to_data",
]
