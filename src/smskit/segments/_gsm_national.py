"""National language shift tables of 3GPP TS 23.038 Annex A, written out as data.

3GPP TS 23.038 ("Alphabets and language-specific information") Annex A defines, per language,
a *single shift table* (clause A.2: reached by the escape septet 0x1B, replacing the default
extension table for one character) and a *locking shift table* (clause A.3: replacing the
GSM 7 bit default alphabet for the whole message). A message announces them in its User Data
Header: information element 0x25 (single shift) or 0x24 (locking shift), length 1, and the
National Language Identifier of clause 6.2.1.2.4.

Languages and identifiers (clause 6.2.1.2.4): Turkish 1, Spanish 2 (single shift only; A.3.2
is void), Portuguese 3, Bengali 4, Gujarati 5, Hindi 6, Kannada 7, Malayalam 8, Oriya 9,
Punjabi 10, Tamil 11, Telugu 12, Urdu 13 (4 to 13 were added in Release 9).

How the tables are written: each grid mirrors the spec's layout, 16 lines (low four bits of
the septet, 0x0 to 0xF) by 8 columns (high three bits, 0x00, 0x10, ... 0x70), so a reviewer
can lay it beside the spec column by column. A cell is one literal character, or ``U+XXXX``,
or one of: ``SP`` space, ``LF`` line feed, ``CR`` carriage return, ``FF`` form feed (the
single shift tables' page break at 0x0A), ``ESC`` (0x1B, the escape, never a character),
``CR2`` (0x0D of a single shift table, reserved as a second CR; not a character for us) and
``--`` (unassigned). The Indic and Urdu grids live in ``_gsm_national_indic``.

Sources: 3GPP TS 23.038 V18.0.0 Annex A (the same tables as V9.1.1 onwards, except where a
comment says otherwise). Every grid was cross-checked, position by position, against two
independent transcriptions: Android's ``GsmAlphabet.java`` (AOSP, transcribed from V9.1.1)
and the ``gsmcodecs`` 1.0.0 package (generated from V18.0.0); differences were settled with
a third, CyberChef's GSM-7 tables (transcribed from V16.0.0). Disagreements are listed in the
comments at the grid concerned and in ``SPEC_TYPOS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from . import _gsm_national_indic as _indic

__all__ = ["NATIONAL_TABLES", "SPEC_TYPOS", "NationalTables", "SpecTypo"]

_SPEC = "3GPP TS 23.038 V18.0.0"
_CHECKED = (
    "cross-checked against Android GsmAlphabet.java (from V9.1.1), gsmcodecs 1.0.0 "
    "(from V18.0.0) and CyberChef GSM-7 tables (from V16.0.0)"
)
_ESCAPE = 0x1B
_CR2 = 0x0D
_NAMED = {"SP": " ", "LF": "\n", "CR": "\r", "FF": "\x0c"}


@dataclass(frozen=True, slots=True)
class NationalTables:
    """The national language tables of one language.

    Attributes:
        language: Lowercase English name, e.g. ``"turkish"``.
        identifier: National Language Identifier (the data byte of IEI 0x24 / 0x25).
        locking: 128 entries indexed by septet (``None`` = unassigned or the 0x1B escape), or
            ``None`` when the language has no locking shift table (Spanish).
        single: Septet code (after ESC) to character, assigned positions only; never 0x1B.
        source: Spec clauses and the transcriptions the tables were checked against.
    """

    language: str
    identifier: int
    locking: tuple[str | None, ...] | None
    single: Mapping[int, str]
    source: str


@dataclass(frozen=True, slots=True)
class SpecTypo:
    """A position where the published spec table has an evident typo.

    The tables above keep what the spec prints (``spec_char``). ``usual_char`` is what
    implementations put there instead. The spec's character also sits at ``duplicate_of``, so
    an encoder should send it there and should not emit ``septet`` at all: handsets disagree
    on what it shows.
    """

    language: str
    table: str  # "locking" or "single"
    septet: int
    spec_char: str
    usual_char: str
    duplicate_of: int
    note: str


def _cell(token: str, code: int) -> str | None:
    # 0x1B is the escape in every table, never a character; CR2 exists only at 0x0D.
    if (token == "ESC") != (code == _ESCAPE) or (token == "CR2" and code != _CR2):
        raise ValueError(f"national table: {token!r} at septet 0x{code:02X}")
    if token in ("--", "ESC", "CR2"):
        return None
    if token in _NAMED:
        return _NAMED[token]
    if token.startswith("U+") and len(token) == 6:
        return chr(int(token[2:], 16))
    if len(token) == 1:
        return token
    raise ValueError(f"national table: bad cell {token!r} at septet 0x{code:02X}")


def _grid(text: str) -> tuple[str | None, ...]:
    """Read a 16 x 8 grid in the spec's layout into 128 entries indexed by septet."""
    rows = [line.split() for line in text.strip("\n").splitlines()]
    if len(rows) != 16 or any(len(row) != 8 for row in rows):
        raise ValueError("national table: a grid is 16 lines of 8 cells")
    return tuple(_cell(rows[code % 16][code // 16], code) for code in range(128))


def _single(text: str) -> Mapping[int, str]:
    cells = _grid(text)
    return MappingProxyType({code: ch for code, ch in enumerate(cells) if ch is not None})


# --- A.3.1 Turkish locking shift table ---------------------------------------------------
_TURKISH_LOCKING = r"""
    @   Δ   SP  0   İ   P   ç   p
    £   _   !   1   A   Q   a   q
    $   Φ   "   2   B   R   b   r
    ¥   Γ   #   3   C   S   c   s
    €   Λ   ¤   4   D   T   d   t
    é   Ω   %   5   E   U   e   u
    ù   Π   &   6   F   V   f   v
    ı   Ψ   '   7   G   W   g   w
    ò   Σ   (   8   H   X   h   x
    Ç   Θ   )   9   I   Y   i   y
    LF  Ξ   *   :   J   Z   j   z
    Ğ   ESC +   ;   K   Ä   k   ä
    ğ   Ş   ,   <   L   Ö   l   ö
    CR  ş   -   =   M   Ñ   m   ñ
    Å   ß   .   >   N   Ü   n   ü
    å   É   /   ?   O   §   o   à
"""

# --- A.2.1 Turkish single shift table ----------------------------------------------------
_TURKISH_SINGLE = r"""
    --  --  --  --  |   --  --  --
    --  --  --  --  --  --  --  --
    --  --  --  --  --  --  --  --
    --  --  --  --  --  Ş   ç   ş
    --  ^   --  --  --  --  --  --
    --  --  --  --  --  --  €   --
    --  --  --  --  --  --  --  --
    --  --  --  --  Ğ   --  ğ   --
    --  --  {   --  --  --  --  --
    --  --  }   --  İ   --  ı   --
    FF  --  --  --  --  --  --  --
    --  ESC --  --  --  --  --  --
    --  --  --  [   --  --  --  --
    CR2 --  --  ~   --  --  --  --
    --  --  --  ]   --  --  --  --
    --  --  \   --  --  --  --  --
"""

# --- A.2.2 Spanish single shift table (A.3.2, the Spanish locking table, is void) ---------
_SPANISH_SINGLE = r"""
    --  --  --  --  |   --  --  --
    --  --  --  --  Á   --  á   --
    --  --  --  --  --  --  --  --
    --  --  --  --  --  --  --  --
    --  ^   --  --  --  --  --  --
    --  --  --  --  --  Ú   €   ú
    --  --  --  --  --  --  --  --
    --  --  --  --  --  --  --  --
    --  --  {   --  --  --  --  --
    ç   --  }   --  Í   --  í   --
    FF  --  --  --  --  --  --  --
    --  ESC --  --  --  --  --  --
    --  --  --  [   --  --  --  --
    CR2 --  --  ~   --  --  --  --
    --  --  --  ]   --  --  --  --
    --  --  \   --  Ó   --  ó   --
"""

# --- A.3.3 Portuguese locking shift table ------------------------------------------------
_PORTUGUESE_LOCKING = r"""
    @   Δ   SP  0   Í   P   ~   p
    £   _   !   1   A   Q   a   q
    $   ª   "   2   B   R   b   r
    ¥   Ç   #   3   C   S   c   s
    ê   À   º   4   D   T   d   t
    é   ∞   %   5   E   U   e   u
    ú   ^   &   6   F   V   f   v
    í   \   '   7   G   W   g   w
    ó   €   (   8   H   X   h   x
    ç   Ó   )   9   I   Y   i   y
    LF  |   *   :   J   Z   j   z
    Ô   ESC +   ;   K   Ã   k   ã
    ô   Â   ,   <   L   Õ   l   õ
    CR  â   -   =   M   Ú   m   `
    Á   Ê   .   >   N   Ü   n   ü
    á   É   /   ?   O   §   o   à
"""

# --- A.2.3 Portuguese single shift table -------------------------------------------------
# 0x05 is "ê" in the spec, Android and gsmcodecs; the CyberChef transcription leaves it empty.
_PORTUGUESE_SINGLE = r"""
    --  --  --  --  |   --  --  --
    --  --  --  --  À   --  Â   --
    --  Φ   --  --  --  --  --  --
    --  Γ   --  --  --  --  --  --
    --  ^   --  --  --  --  --  --
    ê   Ω   --  --  --  Ú   €   ú
    --  Π   --  --  --  --  --  --
    --  Ψ   --  --  --  --  --  --
    --  Σ   {   --  --  --  --  --
    ç   Θ   }   --  Í   --  í   --
    FF  --  --  --  --  --  --  --
    Ô   ESC --  --  --  Ã   --  ã
    ô   --  --  [   --  Õ   --  õ
    CR2 --  --  ~   --  --  --  --
    Á   --  --  ]   --  --  --  --
    á   Ê   \   --  Ó   --  ó   â
"""

SPEC_TYPOS: tuple[SpecTypo, ...] = (
    SpecTypo(
        "kannada", "locking", 0x24, "\u0caa", "\u0ca1", 0x3D,
        "V9.1.1 to V18.0.0 print KANNADA LETTER PA at 0x24 (again at 0x3D); every other Indic "
        "locking table has the letter DDA there, and Android uses U+0CA1 DDA.",
    ),
    SpecTypo(
        "tamil", "single", 0x24, "\u0bef", "\u0bee", 0x25,
        "V9.1.1 and V16.0.0 print TAMIL DIGIT NINE at 0x24 (again at 0x25), leaving out digit "
        "eight; Android and gsmcodecs (from V18.0.0) use U+0BEE TAMIL DIGIT EIGHT.",
    ),
)


def _entry(
    language: str, identifier: int, locking: str | None, single: str, clauses: str
) -> tuple[str, NationalTables]:
    table = NationalTables(
        language=language,
        identifier=identifier,
        locking=None if locking is None else _grid(locking),
        single=_single(single),
        source=f"{_SPEC} {clauses}; {_CHECKED}",
    )
    return language, table


NATIONAL_TABLES: Mapping[str, NationalTables] = MappingProxyType(
    dict(
        [
            _entry("turkish", 1, _TURKISH_LOCKING, _TURKISH_SINGLE, "A.3.1, A.2.1"),
            _entry("spanish", 2, None, _SPANISH_SINGLE, "A.2.2 (A.3.2 void)"),
            _entry("portuguese", 3, _PORTUGUESE_LOCKING, _PORTUGUESE_SINGLE, "A.3.3, A.2.3"),
            _entry("bengali", 4, _indic.BENGALI_LOCKING, _indic.BENGALI_SINGLE, "A.3.4, A.2.4"),
            _entry(
                "gujarati", 5, _indic.GUJARATI_LOCKING, _indic.GUJARATI_SINGLE, "A.3.5, A.2.5"
            ),
            _entry("hindi", 6, _indic.HINDI_LOCKING, _indic.HINDI_SINGLE, "A.3.6, A.2.6"),
            _entry("kannada", 7, _indic.KANNADA_LOCKING, _indic.KANNADA_SINGLE, "A.3.7, A.2.7"),
            _entry(
                "malayalam", 8, _indic.MALAYALAM_LOCKING, _indic.MALAYALAM_SINGLE, "A.3.8, A.2.8"
            ),
            _entry("oriya", 9, _indic.ORIYA_LOCKING, _indic.ORIYA_SINGLE, "A.3.9, A.2.9"),
            _entry(
                "punjabi", 10, _indic.PUNJABI_LOCKING, _indic.PUNJABI_SINGLE, "A.3.10, A.2.10"
            ),
            _entry("tamil", 11, _indic.TAMIL_LOCKING, _indic.TAMIL_SINGLE, "A.3.11, A.2.11"),
            _entry("telugu", 12, _indic.TELUGU_LOCKING, _indic.TELUGU_SINGLE, "A.3.12, A.2.12"),
            _entry("urdu", 13, _indic.URDU_LOCKING, _indic.URDU_SINGLE, "A.3.13, A.2.13"),
        ]
    )
)
