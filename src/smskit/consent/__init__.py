"""Consent ledger: who agreed to which messages, from whom, and how we can prove it.

Events (:class:`ConsentEvent`) are appended to a hash-chained, append-only
store (:class:`MemoryStore`, :class:`SQLiteStore`, :class:`PostgresConsentStore`
with the ``postgres`` extra); :class:`ConsentLedger`
records them and answers :meth:`ConsentLedger.status` from them with
:func:`fold`, the one function every store uses.
"""

from __future__ import annotations

from ._codec import GENESIS_HASH as GENESIS_HASH
from ._rules import CASL as CASL
from ._rules import FCC_REVOKE_ALL as FCC_REVOKE_ALL
from ._rules import US as US
from ._rules import ConsentRules, Period, RevokeAllRule
from .fold import ConsentStatus, EventFacts, facts_of, fold, fold_findings
from .ledger import Clock, ConsentLedger, SystemClock
from .memory import MemoryStore
from .model import (
    Channel,
    ConsentEvent,
    ConsentKind,
    ConsentScope,
    ConsentSource,
    ConsentState,
    EventKind,
    Evidence,
    ImpliedBasis,
    Purpose,
    RevocationMethod,
    normalize_recipient,
)
from .postgres import PostgresConsentStore
from .replies import OPT_OUT_CONFIRMATION_WINDOW as OPT_OUT_CONFIRMATION_WINDOW
from .replies import AutoReply, ReplyOutcome, SenderProfile
from .sender import ReplyTexts
from .sqlite import SQLiteStore
from .store import ConsentStore

__all__ = [
    "AutoReply",
    "Channel",
    "Clock",
    "ConsentEvent",
    "ConsentKind",
    "ConsentLedger",
    "ConsentRules",
    "ConsentScope",
    "ConsentSource",
    "ConsentState",
    "ConsentStatus",
    "ConsentStore",
    "EventFacts",
    "EventKind",
    "Evidence",
    "ImpliedBasis",
    "MemoryStore",
    "Period",
    "PostgresConsentStore",
    "Purpose",
    "ReplyOutcome",
    "ReplyTexts",
    "RevocationMethod",
    "RevokeAllRule",
    "SQLiteStore",
    "SenderProfile",
    "SystemClock",
    "facts_of",
    "fold",
    "fold_findings",
    "normalize_recipient",
]
