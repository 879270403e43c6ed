"""What an audit record says about the code and rule data that made it."""

from __future__ import annotations

import functools
import hashlib
from importlib import resources

from .._version import __version__

__all__ = ["RULE_DATA_MODULES", "rules_fingerprint", "stamp"]

#: The bundled rule data the fingerprint covers: quiet-hours and cap rules, reply
#: keyword lists, consent rules, content word lists, MMS limits (each a data module).
RULE_DATA_MODULES: tuple[tuple[str, str], ...] = (
    ("smskit.timing", "_jurisdictions.py"),
    ("smskit.keywords", "_data.py"),
    ("smskit.consent", "_rules.py"),
    ("smskit.content", "_data.py"),
    ("smskit.mms", "_limits.py"),
)


@functools.cache
def rules_fingerprint() -> str | None:
    """A short digest (12 hex digits of SHA-256) of the rule data bundled with this
    installation, the same on every machine and run with the same data: two records
    with equal fingerprints were decided on the same rules. ``None`` when the data
    modules' text is not installed (a build shipping compiled modules only).

    It covers the bundled data, not a pipeline's own choices (another
    ``QuietHours``, ``LintConfig`` or consent rules given to it).
    """
    digest = hashlib.sha256()
    try:
        for package, name in RULE_DATA_MODULES:
            text = resources.files(package).joinpath(name).read_bytes()
            # Line endings as a checkout may have them: the data is the same.
            digest.update(f"{package}/{name}\0".encode())
            digest.update(text.replace(b"\r\n", b"\n"))
            digest.update(b"\0")
    except OSError:
        return None
    return digest.hexdigest()[:12]


def stamp() -> tuple[str, str | None]:
    """``(smskit version, rules fingerprint)`` for a decision's audit record."""
    return __version__, rules_fingerprint()
