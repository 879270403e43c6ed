"""Alphabets built from national language shift tables (3GPP TS 23.038 Annex A).

The tables themselves live in :mod:`smskit.segments._gsm_national`, imported only when a
caller asks for a language, so plain counting never loads them.

Two positions of the published tables are misprints (``SPEC_TYPOS``): Kannada locking
0x24 and Tamil single shift 0x24. By default nothing is ever sent there (the spec's
character is sent at its other position). A language named with the ``:android``
suffix (``"kannada:android"``, ``"tamil:android"``) uses what Android handsets send and
decode there instead: KANNADA LETTER DDA and TAMIL DIGIT EIGHT.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import ConfigurationError
from ._gsm_tables import ESCAPE
from .encoding import BASIC_CODES, EXTENSION_CODES

__all__ = ["ANDROID_SUFFIX", "NationalAlphabet", "national_alphabets"]

#: Opt-in, per language, to Android's reading of the spec's misprinted positions.
ANDROID_SUFFIX = ":android"


def _table_name(name: str) -> str:
    return name.removesuffix(ANDROID_SUFFIX)


def national_alphabets(languages: Sequence[str]) -> list[tuple[str | None, str | None]]:
    """Every (locking, single) table pair the languages allow, fewest tables first."""
    if not languages:
        return []
    from ._gsm_national import NATIONAL_TABLES, SPEC_TYPOS

    unknown = [name for name in languages if _table_name(name) not in NATIONAL_TABLES]
    if unknown:
        raise ConfigurationError(
            f"unknown national language table(s) {unknown}; known: {sorted(NATIONAL_TABLES)}",
            field="languages",
        )
    misprinted = {t.language for t in SPEC_TYPOS}
    needless = [
        n for n in languages if n.endswith(ANDROID_SUFFIX) and _table_name(n) not in misprinted
    ]
    if needless:
        raise ConfigurationError(
            f"{needless}: only {sorted(misprinted)} have misprinted positions for "
            f"{ANDROID_SUFFIX!r} to choose; name the language alone",
            field="languages",
        )
    lockings: list[str | None] = [None]
    singles: list[str | None] = [None]
    for name in dict.fromkeys(languages):
        if NATIONAL_TABLES[_table_name(name)].locking is not None:
            lockings.append(name)
        if NATIONAL_TABLES[_table_name(name)].single:
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

        # A misprinted position repeats a character found elsewhere in its table, and
        # handsets disagree on what it shows: by default never send it. With the
        # ":android" suffix it holds what Android sends and decodes there.
        typos = {(t.language, t.table, t.septet): t.usual_char for t in SPEC_TYPOS}

        def cell(name: str, table: str, code: int, char: str | None) -> str | None:
            key = (_table_name(name), table, code)
            if key not in typos:
                return char
            return typos[key] if name.endswith(ANDROID_SUFFIX) else None

        self.locking_id = NATIONAL_TABLES[_table_name(locking)].identifier if locking else 0
        self.single_id = NATIONAL_TABLES[_table_name(single)].identifier if single else 0
        if locking is None:
            base = dict(BASIC_CODES)
        else:
            table = NATIONAL_TABLES[_table_name(locking)].locking
            assert table is not None
            cells = [cell(locking, "locking", code, char) for code, char in enumerate(table)]
            base = {char: code for code, char in enumerate(cells) if char is not None}
        if single is None:
            extension = dict(EXTENSION_CODES)
        else:
            singles = NATIONAL_TABLES[_table_name(single)].single.items()
            pairs = [(cell(single, "single", code, char), code) for code, char in singles]
            extension = {char: code for char, code in pairs if char is not None}
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
