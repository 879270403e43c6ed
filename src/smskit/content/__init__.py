"""Content lint: what in a message's text gets it filtered, refused or
overcharged, with the rules and word lists as cited data.
"""

from __future__ import annotations

from .checks import (
    CONTENT_FINDING_CODES,
    LintConfig,
    extract_hosts,
    lint,
    mentions_opt_out,
    promotion,
)

__all__ = [
    "CONTENT_FINDING_CODES",
    "LintConfig",
    "extract_hosts",
    "lint",
    "mentions_opt_out",
    "promotion",
]
