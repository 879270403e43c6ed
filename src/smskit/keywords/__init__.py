"""Reply keywords: recognising STOP, START, HELP and their variants in a reply,
with the provider and carrier keyword lists as cited data. The consent ledger,
content lint and the engine all read replies through this package.
"""

from __future__ import annotations

from .classify import (
    Confidence,
    Keyword,
    KeywordMatch,
    KeywordSet,
    MatchKind,
    Phrase,
    classify_reply,
    normalize_reply,
)

__all__ = [
    "Confidence",
    "Keyword",
    "KeywordMatch",
    "KeywordSet",
    "MatchKind",
    "Phrase",
    "classify_reply",
    "normalize_reply",
]
