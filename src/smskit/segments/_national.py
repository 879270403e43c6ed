"""Alphabets built from national language shift tables (3GPP TS 23.038 Annex A).

The tables themselves live in :mod:`smskit.segments._gsm_national`, imported only when a
caller asks for a language, so plain counting never loads them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import ConfigurationError
from ._gsm_tables import ESCAPE
from .encoding import BASIC_CODES, EXTENSION_CODES

__all__ = ["NationalAlphabet", "national_alphabets"]


def national_alphabets(languages: Sequence[str]) -> list[tuple[str | None, str | None]]:
    """Every (locking, single) table pair the languages allow, fewest tables first."""
    if not languages:
        return []
    from ._gsm_national import NATIONAL_TABLES

    unknown = [name for name in languages if name not in NATIONAL_TABLES]
    if unknown:
        raise ConfigurationError(
            f"unknown national language table(s) {unknown}; known: {sorted(NATIONAL_TABLES)}",
            field="languages",
        )
    lockings: list[str | None] = [None]
    singles: list[str | None] = [None]
    for name in dict.fromkeys(languages):
        if NATIONAL_TABLES[name].locking is not None:
            lockings.append(name)
        if NATIONAL_TABLES[name].single:
            singles.append(name)
    pairs = [(lock, single) for lock in lockings for single in singles]
    pairs.remove((None, None))
    return sorted(pairs, key=lambda pair: (pair[0] is not None) + (pair[1] is not None))


class NationalAlphabet:
    """The GSM-7 alphabet in force under a locking-shift and/or single-shift table.

    A locking-shift table replaces the default table; a single-shift table replaces
    the extension table reached through ESC.
    """

    def __init__(self, locking: str | None, single: str | None) -> None:
        from ._gsm_national import NATIONAL_TABLES, SPEC_TYPOS

        # A misprinted position repeats a character found elsewhere in its table;
        # never send it there, handsets disagree on what it shows.
        typos = {(t.language, t.table, t.septet) for t in SPEC_TYPOS}

        self.locking_id = NATIONAL_TABLES[locking].identifier if locking else 0
        self.single_id = NATIONAL_TABLES[single].identifier if single else 0
        if locking is None:
            base = dict(BASIC_CODES)
        else:
            table = NATIONAL_TABLES[locking].locking
            assert table is not None
            base = {
                char: code
                for code, char in enumerate(table)
                if char is not None and (locking, "locking", code) not in typos
            }
        if single is None:
            extension = dict(EXTENSION_CODES)
        else:
            extension = {
                char: code
                for code, char in NATIONAL_TABLES[single].single.items()
                if (single, "single", code) not in typos
            }
        extension_only = {char: code for char, code in extension.items() if char not in base}
        self._invalid = re.compile("[^" + re.escape("".join(base) + "".join(extension_only)) + "]")
        self._double = (
            re.compile("[" + re.escape("".join(extension_only)) + "]") if extension_only else None
        )
        self._map = {ord(char): chr(code) for char, code in base.items()}
        self._map.update(
            {ord(char): chr(ESCAPE) + chr(code) for char, code in extension_only.items()}
        )

    def doubles(self, text: str) -> list[int] | None:
        """Indices of characters that cost an escape, or ``None`` if one cannot be sent."""
        if self._invalid.search(text):
            return None
        if self._double is None:
            return []
        return [match.start() for match in self._double.finditer(text)]

    def encode(self, text: str) -> bytes:
        """Unpacked septets of ``text`` under this alphabet (caller checked it fits)."""
        return text.translate(self._map).encode("latin-1")
