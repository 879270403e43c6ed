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
# "1½" must not become "11/2": a vulgar fraction sent right after a digit gets a space.
_FRACTIONS = frozenset(
    k for k, v in SMART_REPLACEMENTS.items() if "/" in v and v[0].isdigit())
# Replacements that never lengthen a UCS-2 text: used when the text stays UCS-2
# anyway (an emoji, a Cyrillic word), where "..." for "…" would cost two more units.
_SHORT = str.maketrans({k: v for k, v in SMART_REPLACEMENTS.items() if len(v) <= 1})


def _sent_after_digit(text: str, at: int, table: dict[int, str]) -> bool:
    """Whether what ``table`` sends just before ``text[at]`` ends in a digit: a full-width
    "１" is sent as "1", an invisible character between is removed, and "½½" is "1/2"
    before the second one."""
    for index in range(at - 1, -1, -1):
        sent = table.get(ord(text[index]), text[index])
        if sent:
            return sent[-1] in "0123456789"
    return False


def _replace(text: str, table: dict[int, str]) -> tuple[str, tuple[Replacement, ...]]:
    """Apply ``table``; report each (character, replacement) pair with its positions."""
    found: dict[tuple[str, str], list[int]] = {}
    for match in _SMART_RE.finditer(text):
        char = match.group()
        if ord(char) in table:
            replacement = table[ord(char)]
            if char in _FRACTIONS and _sent_after_digit(text, match.start(), table):
                replacement = " " + replacement
            found.setdefault((char, replacement), []).append(match.start())
    if not found:
        return text, ()
    pieces = list(text)
    for (_, replacement), positions in found.items():
        for position in positions:
            pieces[position] = replacement
    return "".join(pieces), tuple(
        Replacement(char, replacement, tuple(positions))
        for (char, replacement), positions in found.items()
    )


def smart_candidates(
    text: str, *, prefer_gsm: bool = True
) -> list[tuple[str, tuple[Replacement, ...]]]:
    """The texts smart encoding may send, in order of preference when they cost the same.

    A fully replaced text that fits GSM-7 comes first (as providers' smart encoding
    does, and it leaves more room) unless UCS-2 is forced; otherwise the original
    comes first, so a replacement that saves nothing is not made.
    """
    original: tuple[str, tuple[Replacement, ...]] = (text, ())
    if _SMART_RE.search(text) is None:
        return [original]
    replaced = _replace(text, _FULL)
    if prefer_gsm and not NON_GSM_RE.search(replaced[0]):
        return [replaced, original]
    return [original, _replace(text, _SHORT), replaced]
