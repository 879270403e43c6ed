"""Why a message is sent: decides which consent and which rules apply."""
from __future__ import annotations

from enum import StrEnum

__all__ = ["Purpose"]
class Purpose(StrEnum):
    """Message purpose (CTIA message types). Values are stored: never rename."""
    MARKETING = "marketing"
    INFORMATIONAL = "informational"
    TRANSACTIONAL = "transactional"
    CONVERSATIONAL = "conversational"
