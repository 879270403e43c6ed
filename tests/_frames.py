"""The rate card the data-frame tests price with (tests/unit/frames, tests/properties/frames)."""

from __future__ import annotations

# Prices chosen so that every sum is exact and easy to check by hand.
CARD_TOML = """
currency = "USD"
name = "frames test card"

[countries.US.10dlc]
sms_per_segment = "0.0079"
sms_carrier_fee_per_segment = "0.003"
mms_per_message = "0.02"

[countries.FR.international]
sms_per_segment = "0.0712"

[countries.GB]
currency = "GBP"
[countries.GB.international]
sms_per_segment = "0.04"

[countries."*".international]
sms_per_segment = "0.05"
"""

#: Price plus carrier fee of one SMS segment per destination, from CARD_TOML above.
SEGMENT_PRICE = {"US": "0.0109", "FR": "0.0712", "DE": "0.05"}
