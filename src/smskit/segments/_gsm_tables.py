"""GSM 7-bit default alphabet and extension table (3GPP TS 23.038, clause 6.2.1).

Data only. Written out by hand from the tables of 3GPP TS 23.038 (clause 6.2.1
"GSM 7 bit Default Alphabet" and 6.2.1.1 "GSM 7 bit default alphabet extension
table"; unchanged since GSM 03.38) and cross-checked against the Unicode
Consortium's mapping file
``https://www.unicode.org/Public/MAPPINGS/ETSI/GSM0338.TXT``. Where the two
differ, the spec wins: position 0x09 is CAPITAL C WITH CEDILLA (``Ç``); the old
mapping file's note that some phones render it lower case does not change the
code point we send.

The basic table is laid out in the spec's 8 columns x 16 rows; here each string
is one *column* (septets 0x00-0x0F, 0x10-0x1F, ...), so it can be checked against
the printed table column by column. Position 0x1B is the escape to the extension
table and is not a character (``None`` below).
"""

from __future__ import annotations

SPEC = "3GPP TS 23.038, clause 6.2.1 (GSM 03.38 default alphabet)"

ESCAPE = 0x1B

_COLUMNS = (
    "@£$¥èéùìòÇ\nØø\rÅå",  # 0x00-0x0F
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ",  # 0x10-0x1F (0x1B is ESC, replaced below)
    " !\"#¤%&'()*+,-./",  # 0x20-0x2F
    "0123456789:;<=>?",  # 0x30-0x3F
    "¡ABCDEFGHIJKLMNO",  # 0x40-0x4F
    "PQRSTUVWXYZÄÖÑÜ§",  # 0x50-0x5F
    "¿abcdefghijklmno",  # 0x60-0x6F
    "pqrstuvwxyzäöñüà",  # 0x70-0x7F
)

#: septet value -> character; ``None`` at the escape position.
BASIC: tuple[str | None, ...] = tuple(
    None if code == ESCAPE else char for code, char in enumerate("".join(_COLUMNS))
)

#: septet value after ESC -> character (6.2.1.1). 0x0A is FORM FEED; 0x0D (CR2,
#: page break) and 0x1B (reserved for a further extension) are not characters.
EXTENSION: dict[int, str] = {
    0x0A: "\x0c",
    0x14: "^",
    0x28: "{",
    0x29: "}",
    0x2F: "\\",
    0x3C: "[",
    0x3D: "~",
    0x3E: "]",
    0x40: "|",
    0x65: "€",
}

assert len(BASIC) == 128, "the basic table has 128 positions"


# Smart encoding: look-alike characters a GSM-7 alphabet can stand in for. Only
# typography is replaced (quotes, dashes, spaces, invisible characters, compatibility
# forms); accented letters are never touched because that changes words. Each entry
# maps to its replacement ("" removes the character). The set is at least as broad
# as the provider features described in the reference (Twilio Smart Encoding,
# Telnyx smart encoding): curly/low quotes, guillemets, primes, dashes, bullets,
# ellipsis, odd spaces, zero-width characters and full-width ASCII.
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2035\u00b4\u0060\u02bc\u02b9\u2039\u203a"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u02ba\u3003"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63"
_BULLETS = "\u2022\u2023\u25e6\u2219\u2027"
_SPACES = (
    "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)
# Invisible characters with no meaning in a text message. ZWJ and ZWNJ are kept:
# they carry meaning (emoji sequences, Persian and Indic spelling).
_INVISIBLE = "\u200b\u2060\ufeff\u00ad"

SMART_REPLACEMENTS: dict[str, str] = {
    **dict.fromkeys(_SINGLE_QUOTES, "'"),
    **dict.fromkeys(_DOUBLE_QUOTES, '"'),
    **dict.fromkeys(_DASHES, "-"),
    **dict.fromkeys(_BULLETS, "-"),
    **dict.fromkeys(_SPACES, " "),
    **dict.fromkeys(_INVISIBLE, ""),
    "\u2026": "...",
    "\u203c": "!!",
    "\u2047": "??",
    "\u2048": "?!",
    "\u2049": "!?",
    "\u00f7": "/",
    "\u2044": "/",
    "\u00bc": "1/4",
    "\u00bd": "1/2",
    "\u00be": "3/4",
    "\u2150": "1/7",
    "\u2151": "1/9",
    "\u2152": "1/10",
    "\u2153": "1/3",
    "\u2154": "2/3",
    "\u2155": "1/5",
    "\u2156": "2/5",
    "\u2157": "3/5",
    "\u2158": "4/5",
    "\u2159": "1/6",
    "\u215a": "5/6",
    "\u215b": "1/8",
    "\u215c": "3/8",
    "\u215d": "5/8",
    "\u215e": "7/8",
}
# Full-width ASCII (U+FF01..U+FF5E) is ASCII shifted by 0xFEE0; the full-width
# grave accent becomes an apostrophe like its ASCII twin, which GSM lacks.
SMART_REPLACEMENTS.update(
    {chr(code + 0xFEE0): chr(code) for code in range(0x21, 0x7F) if chr(code) != "`"}
)
SMART_REPLACEMENTS["\uff40"] = "'"
