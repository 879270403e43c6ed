"""Phone numbers: parsing and validation through ``phonenumbers`` (E.164, region,
line type, candidate time zones), NANP state overlays, and masking for output.
"""

from __future__ import annotations

from .parse import (
    LineType,
    PhoneNumber,
    mask_number,
    mask_sender,
    parse_number,
    region_of,
)

__all__ = [
    "LineType",
    "PhoneNumber",
    "mask_number",
    "mask_sender",
    "parse_number",
    "region_of",
]
