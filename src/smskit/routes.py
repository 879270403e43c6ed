"""The kind of sending number a message goes out on: it sets prices, MMS limits and
which reply keywords the carrier honours."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Route"]


class Route(StrEnum):
    """Kind of sender number. Values are stored and appear in rate cards: never renamed."""

    TEN_DLC = "10dlc"  # US/Canada local long code (A2P 10DLC)
    TOLL_FREE = "toll_free"  # US/Canada toll-free (8XX)
    SHORT_CODE = "short_code"  # 5-6 digit short code
    INTERNATIONAL = "international"  # a long code outside US/Canada
