"""Smart encoding: replacing look-alike characters with GSM-7 ones, only where it pays."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._gsm_tables import SMART_REPLACEMENTS
from .encoding import NON_GSM_RE

__all__ = ["Replacement", "smart_candidates"]


@dataclass(frozen=True, slots=True)
class Replacement:
    """One look-alike character smart encoding replaced, everywhere it occurred.

    Attributes:
        char: the original character.
        replacement: what it became (``""`` when it was removed).
        positions: indices of ``char`` in the original text.
    """

    char: str
    replacement: str
    positions: tuple[int, ...]


_SMART_RE = re.compile("[" + re.escape("".join(SMART_REPLACEMENTS)) + "]")
_FULL = str.maketrans(SMART_REPLACEMENTS)
# Replacements that never lengthen a UCS-2 text: used when the text stays UCS-2
# anyway (an emoji, a Cyrillic word), where "..." for "…" would cost two more units.
_SHORT = str.maketrans({k: v for k, v in SMART_REPLACEMENTS.items() if len(v) <= 1})


def _replacements(text: str, table: dict[int, str]) -> tuple[Replacement, ...]:
    found: dict[str, list[int]] = {}
    for match in _SMART_RE.finditer(text):
        if ord(match.group()) in table:
            found.setdefault(match.group(), []).append(match.start())
    return tuple(
        Replacement(char, table[ord(char)], tuple(positions)) for char, positions in found.items()
    )


def smart_candidates(text: str) -> list[tuple[str, tuple[Replacement, ...]]]:
    """The texts smart encoding may send, in order of preference when they cost the same.

    A fully replaced text that fits GSM-7 comes first (as providers' smart encoding
    does, and it leaves more room); otherwise the original comes first, so a
    replacement that saves nothing is not made.
    """
    original: tuple[str, tuple[Replacement, ...]] = (text, ())
    if _SMART_RE.search(text) is None:
        return [original]
    full = text.translate(_FULL)
    replaced = (full, _replacements(text, _FULL))
    if not NON_GSM_RE.search(full):
        return [replaced, original]
    return [original, (text.translate(_SHORT), _replacements(text, _SHORT)), replaced]
