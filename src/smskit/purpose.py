"""Why a message is sent: the purpose that decides which rules apply to it.

A leaf module with no imports from smskit, so every policy module (quiet hours,
frequency caps, consent) can share one definition.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Purpose"]


class Purpose(StrEnum):
    """The purpose of a message. Values are stable: they are stored.

    ``MARKETING`` is telemarketing / a commercial solicitation (the category the
    quiet-hours statutes regulate); ``INFORMATIONAL`` is a non-commercial notice
    (appointment reminder, outage notice); ``TRANSACTIONAL`` completes something
    the recipient started (receipt, one-time code); ``CONVERSATIONAL`` is a reply
    in a conversation the recipient opened.
    """

    MARKETING = "marketing"
    INFORMATIONAL = "informational"
    TRANSACTIONAL = "transactional"
    CONVERSATIONAL = "conversational"
