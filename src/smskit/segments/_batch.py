"""Counting many texts with a few C-level passes: the screen behind ``count_many``.

Private. :func:`chunk_counts`, :func:`latin1_counts`, :func:`accented_counts` and
:func:`screen` return each text's segment count, or 0 where the text must be
counted on its own (``count_segments``). A count they return is exact: every
shortcut holds only under a condition checked here, and anything unchecked is left
to the one-by-one path. Per text, the work is a few steps of C callables or one
list comprehension (a frame per list, not per text); a Python loop runs only over
the texts a check flagged.

A chunk (``chunk_counts``, 1,024 texts): where most are ASCII, those are counted in
place, the others blanked to "" in a copy, and the others are screened apart and
their counts written back: joined with a wider text, the ASCII ones would all be
widened. The others are found by indices made once (``_INDICES``): over a range,
``compress`` would make an int for each of the 1,024 places, most past the small
ints CPython keeps, at about the blanking's cost. Where fewer than a third of every
17th text of a chunk over 256 are ASCII (emoji, CJK, Indic, accented Latin, names
beyond Latin-1), it is screened whole without testing each text: a route only,
exact whatever the texts between. Texts are joined 256 at a time (larger joins cost
page faults and cache misses); the others of the whole chunk share one screen. One
or two others (a small batch: a name, a price in euros, an emoji) are left at 0 for
``count_segments`` when short (``_ALONE``): the screen's fixed steps cost more.

Latin-1 texts (``latin1_counts``): the texts are joined with NUL between them and
encoded in one piece; ``bytes.translate`` deletes the plain GSM-7 characters,
leaving escapes (extension characters), characters outside GSM-7 and the NULs.
Nothing but NULs left: every count is a table look-up on the length. Otherwise the
rest, split back on NUL, says per text whether it holds a non-GSM byte (UCS-2 at
one unit a character: no Latin-1 character joins a grapheme cluster, and a text
with CR, as CR LF is one cluster, goes the slow way) and how many escapes a GSM-7
text costs (septets = length + escapes). A NUL inside a text splits one piece too
many: the list then goes the slow way. Where escapes are many (one in four texts or
more, 64 texts or more) but at most one text in 16 holds four (a run of four between
the NULs of what the deletion kept), no split is made: a text's count is its length's
plain one, but where three escapes could move it past a part's end (``_SAFE_PARTS``)
or it holds four or more, and those few texts are counted by their own escapes
(``_escaped_counts``). A sample of every 32nd text's length (and the count of all of
them) sends a group with many texts near a part's end the split's way: reading them
all again would cost more.

Texts with letters beyond ASCII (``accented_counts``) are routed by a sample of
their bytes (one in 60, at two strides: ``_sampled_beyond_gsm``). None beyond GSM-7
(prose in German, or in French or Spanish with GSM-7 letters only):
``latin1_counts``, whose deletion then keeps the NULs and little else. One in 16 or
more beyond GSM-7 (Portuguese, say): a text of up to 70 characters counts 1 either
way (at most 140 septets) and a longer one with such a character among its first 48
is UCS-2, so one regex search over the bytes (``_unsettled_texts``), reading each
text up to its first character beyond GSM-7 and stepping to the next NUL in C, finds
the others, which are asked one by one, and every other text counts its units; past
one such text in 64 it stops, and the texts after it are classed as below (the
search reads a GSM-7 character at about four times the classing translate's cost a
byte). Between the two, the deletion would keep a byte in ten or so at places the
processor mispredicts, so a translate with no deletion classes each byte, and the
classes, split per text, say the same (``_classed_counts``).

Other texts (``screen``). Where the first text is mostly beyond Latin-1, and so is a
sample of about 16 of the texts joined (``_beyond_latin1``: Indic, CJK, Cyrillic),
they are padded to whole parts at once, with no NUL join (``padded_counts``): the
padded texts' UTF-16 proves there is no lone surrogate (the padding holds none) and
gives, as strided bytes, the GSM-7 pair gate's units and the high bytes that say
where texts end; the NUL join is made only if the gate fires, for the GSM-7 search.
A character beyond the BMP sends them the way below. Else joined once with NUL: a
joined str of four bytes a character holds a character beyond the BMP (CPython's
compact strings; its size says so without a pass): ``_astral_counts``. Otherwise the
joined texts are encoded to Latin-1; where that stops at an euro sign, the euro sign
becomes "|" (also an extension character of two septets, one UTF-16 unit, joining
nothing) and they are encoded again, which stops at the next character beyond Latin-1
(no pass over the rest). All Latin-1: ``latin1_counts`` (all ASCII once the euro sign
is "|") or ``accented_counts``; else ``wide_counts`` (whose callees read an euro sign
as "|").

Cuts of UCS-2 texts over 70 units: parts end every 67 units unless a cut splits a
surrogate pair or falls inside a grapheme cluster, which needs a surrogate or a
character that can join a neighbour beside the cut. Each text is padded with
U+0001 to whole parts, its separator last (``_padded``), and the texts encoded in
one piece. Texts beyond the BMP are screened by their drifts as below, their UTF-16-BE
read as Latin-1, two characters a unit (``_drifted``). Where a text holds a
separator's value where one is read, they are padded again, with U+E000 last, and
only the units before and after every cut are read: two strided slices, taken and
searched in C (``_straddled``). The unit before each text's last cut is its
separator, so a hit's text is the number of separators before it, or, with many
hits, deleting the runs of characters that cannot join leaves one piece a text.
Only flagged texts are walked (``_walk.count_parts``: a slack bound, then the cuts;
those ``_straddled_bmp`` flags by ``_walk.cut_parts``, the cuts alone).

Texts of one unit a character (``wide_counts``: no surrogate in the data) are screened
finer (``_straddled_bmp``), with the walk's own rule (``_walk.certain_boundary``) and
its slack bound (``_walk.slack_parts``): a place is certain when the unit before
cannot join what follows, nor the unit after what precedes, and the unit before, if
a conjunct extender, follows one that is neither an extender nor a character that may
join what follows (linkers among them: GB9c cannot join across; a second extender
counts as unsure, where the walk would look further back). A cut moves back at most
to the last certain place before where it would fall, and falls as far back as the
cut before it moved (its drift). So where each cut of a text is certain some drift
before its place, the drift never falling from one cut to the next, and the last
drift fits the room the text's last part has left, the count is the units'. In
Indic texts most cuts follow a vowel sign or an anusvara and precede a consonant (a
drift of 0), and the rest a few places further back. Each text's separator is
U+E000 plus that room (0-66), so one regex match on the padded texts themselves
(each part's first units skipped in one step) follows, text after text, the smallest
drift that holds, up to 6, and passes each separator whose room fits. The parts
needing no drift are one repeat from text to text (any room will do at drift 0); a
part that does takes its text's rest from drift 1. It stops only inside a text it
cannot settle: that text is stepped over and walked, found by the separators before
it (the high bytes of the parts' last units).

``wide_counts`` (no character beyond the BMP): units are lengths. Every part of the
padded texts starts on a multiple of 67, with a text's first unit, the unit after a
cut or the padding (U+0001: neither GSM-7 nor joining) there, so one strided str
slice holds every text's first character, and another the units before the cuts.
When neither shows a GSM-7 character nor one that may join (CJK, Cyrillic:
``_units_count``), no text is GSM-7 and no cut moves: the counts are the units', and
only the lone-surrogate check is left (the texts joined with NUL, encoded). Otherwise
no text is GSM-7 when no part starts with two characters that may be GSM-7 (a GSM-7
text over 70 units fills its first part; shorter ones count 1 either way: two strided
slices, ``_gsm_pair_starts``) or one regex over the texts joined with NUL says so
(the usual case); otherwise the padded texts are encoded and the high bytes of the
units, less 00, 03 and 20 (the high bytes of every GSM-7 character: Latin-1, the
Greek capitals, the euro sign), split at the E0 of the separators, leave per text
what no GSM-7 character has: a text with any is UCS-2 for sure, the others are
Latin-1 texts (``latin1_counts``) or are asked with ``NON_GSM_RE``. A text holding
a U+E0xx character splits one piece too many and the texts go the slow way. Texts
mostly Latin-1 (three in four of every 64th character) with one that may be GSM-7
among them (ASCII texts naming someone in Turkish or Cyrillic, beside prices in
euros) go to ``_named_counts`` instead, where padding, UTF-16 and its high bytes
would cost each text its length: their UTF-8 (the euro sign made "|" first: a
same-length replace in the str, where in the UTF-8 each one is three bytes to encode,
delete from and replace) less the plain GSM-7 ASCII characters (one deleting
``translate``; CR kept) is a few characters a text, still UTF-8. Classed byte by
byte as it is (a character of U+00C0-00FF is C3, then its Latin-1 byte less 0x40;
any other lead is not GSM-7), or, with a character of U+0080-00BF among them,
decoded and encoded to Latin-1 with "?" for each character beyond Latin-1 (the
plain "?" were deleted) and classed; the plain GSM-7 classes deleted and the rest
split at the NULs, it says per text whether it is UCS-2 (one
unit a character) and what escapes a GSM-7 one costs (a GSM-7 text without escapes
is an empty piece): no second join of the GSM-7 candidates (``_maybe_gsm``). One
more deletion keeps the NULs, the leads of Greek (a GSM-7 capital would read as
"?") and of characters beyond the BMP, and those of characters that may join (and
CR): the NULs alone in the usual group. Else Greek, characters beyond the BMP and
NULs go to ``_astral_counts``; the UCS-2 texts with a character that may join (or
CR) take its slack bound and cut screen.

``_astral_counts``: the texts joined with NUL (the join ``screen`` made), the euro
sign as "|", encoded to UTF-8 in one piece (from a str of four bytes a character, a
third of the time UTF-16 takes, and no strided slice for high bytes). Deleting all
but the lead bytes (one a character beyond ASCII), CR and the NULs leaves a few bytes
a text; split at the NULs, they say per text how many characters lie beyond the BMP
(leads F0-F4: units = length + those), whether it is UCS-2 for sure (a lead other
than those of Latin-1 and the Greek capitals) and how many of its characters may
join (below). Most long UCS-2 texts are then settled by a slack bound; the others
are padded, encoded to UTF-16 and screened by their drifts (``_drifted``), those of
all a chunk's groups at once (``_screen_groups``: the screen's fixed steps cost what
some 15 such texts do, and a group of 256 emoji texts leaves about 25). Read as
Latin-1, a unit is two characters, high byte first, so a surrogate pair stays two
units (UTF-16 decoded would make it one character) and the regex tells units apart
by their high byte, then, where only some of that byte's units may join, by their
low byte; a surrogate is never beside a certain place. An emoji of up to 8 units
over a cut needs a drift of up to 9. Unlike the Indic screen it takes one match a
text (``findall``), and its pattern has its own builder (``_unit_drift_pattern``,
two alternatives a place, as measured), so the Indic one stays as tuned.

The slack bound: a cut moves back, if at all, to the start of the cluster it would
split (or one unit, off a surrogate pair), each part starts where the previous one
ended, and a cluster moved starts the next part, so no later cut moves it again.
While the cuts' total drift stays within the room the last part has left (parts x
67 less the units), the count is the units'. In a cluster of several characters,
each pair of neighbours that joins holds a character that may join (``_JOINS``) or
one beyond the BMP, and one beyond the BMP joins on one side only (a prepend what
follows, an extender what precedes): the others, of one unit each, are at most one
more than the BMP joiners, so a cut moves back at most twice the cluster's BMP
joiners and characters beyond the BMP. Per text those are at most the count of its
leads shared with a BMP joiner (a lead covers 64 code points, or 4,096 from U+0800),
its CRs (CR joins LF) and its four-byte leads: a text with twice as many within its
room needs no cut checked (``test_slack_bound_adversarial`` holds the tight cases).
A table by units (``_HALF_ROOMS``: half the room, rounded down, or more than any
text has up to 70 units and past the limit, one entry for all of those) makes that
one compare a text, over every text at once where all are UCS-2 for sure.

Where every text holds one of those leads but CR's (emoji texts: none is a GSM-7
character's, so all are UCS-2), they are counted by their lengths first
(``_by_lengths``): a text's units lie between its length and its length plus those
leads, so with at most a third of the room its length leaves (``_LENGTH_SLACK``) it
has its length's parts and the bound holds at any of those units. Only the others
(843 of the 5,000 emoji texts of the benchmark, 507 of them for the cut screen) are
read for their leads beyond the BMP: no second split nor units comprehension over
every text.

Counts come from tables indexed by septets or units, up to the 255-part limit; an
``IndexError`` past it sends the caller the slow way, which raises naming the text.
Where the GSM-7 table has a gap (an escape pair may straddle a cut, so the part
count hangs on where the escapes are), the text is cut on the spot by marking its
escape pairs (``_cutting.escape_parts``): a few ``str`` calls, no plan nor zero left
for the caller to find.
The readable reference is ``tests/_reference.py``; the property tests hold every
path here to it.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from itertools import accumulate, chain, compress, islice
from operator import itemgetter
from operator import not_ as _not
from typing import NamedTuple

from ._cutting import (
    GSM7_CONCAT_SEPTETS,
    GSM7_SINGLE_SEPTETS,
    MAX_SEGMENTS,
    PLAIN_ASCII,
    UCS2_CONCAT_UNITS,
    UCS2_SINGLE_UNITS,
    bounded_count,
    escape_parts,
)
from ._grapheme_data import JOINER_RANGES
from ._walk import CONJUNCT_EXTEND, JOIN_NEXT, JOIN_PREVIOUS, count_parts, cut_parts
from .encoding import BASIC_CODES, EXTENSION_CODES, EXTENSION_RE, NON_GSM_RE

SEP = "\x00"  # never GSM-7; a text holding one makes the split miscount
_SEP_BYTE = b"\x00"
# Between the texts' UTF-16 in ``wide_counts``: U+E000 (private use). Among the high
# bytes of the units its E0 marks where each text ends; a text holding a U+E0xx
# character makes one piece too many, and the texts go the slow way.
_WIDE_SEP = "\ue000"
_MARK = b"\xe0"
# High bytes of the UTF-16 unit of every GSM-7 character: 00 (Latin-1), 03 (the
# Greek capitals), 20 (the euro sign).
_GSM_HIGH = b"\x00\x03\x20"
# Each byte as 1 or 0: a GSM-7 character's high byte, a low byte other than U+0001's
# (the padding's; no GSM-7 character has that low byte): ``_may_be_gsm``.
_GSM_HIGH_BYTES = bytes(int(code in _GSM_HIGH) for code in range(256))
_NOT_PAD_BYTE = bytes(int(code != 1) for code in range(256))
# UTF-8 lead bytes, one a character beyond ASCII (``_astral_counts``): deleting the
# others keeps them, CR (it joins LF) and the NUL between texts. Those of GSM-7
# characters: CR, C2-C3 (Latin-1), CE (the Greek capitals); the euro sign is "|" by
# then. Those of characters beyond the BMP: F0-F4. Those of the BMP code points near
# a character that may join (a lead covers 64 code points, or 4,096 from U+0800): the
# generated ranges, less the precomposed Hangul syllables (see ``_JOINS``), and CR;
# astral characters are counted apart.
_LEADS = range(0xC2, 0xF5)
_NOT_LEAD_OR_CR = bytes(code for code in range(1, 0x100) if code != 0x0D and code not in _LEADS)
_GSM_LEADS = b"\r\xc2\xc3\xce"
_NOT_ASTRAL_LEAD = bytes(code for code in range(1, 0x100) if not 0xF0 <= code <= 0xF4)
_JOINING_LEADS = {
    chr(code).encode()[0]
    for low, high in JOINER_RANGES
    if high < 0x10000 and (low, high) != (0xAC00, 0xD7A3)
    for code in range(low, high + 1)
} | {0x0D}
# The leads of BMP characters that may join (with CR) and of characters beyond the
# BMP (F0-F4, none of the former), kept together: what the slack bound counts.
_NOT_JOINING_OR_ASTRAL_LEAD = bytes(
    code for code in range(1, 0x100) if code not in _JOINING_LEADS and not 0xF0 <= code <= 0xF4
)

# ``_named_counts``: the plain GSM-7 ASCII characters but CR, deleted from UTF-8; the
# bytes but the leads of Greek (CE) and of characters beyond the BMP (F0-F4).
_PLAIN_BUT_CR = PLAIN_ASCII.replace(b"\r", b"")
_NOT_GREEK_OR_ASTRAL_LEAD = bytes(
    code for code in range(1, 0x100) if code != 0xCE and not 0xF0 <= code <= 0xF4
)
# The same but the leads of BMP characters that may join (and CR) too: one deletion
# that leaves the NULs alone in the usual group.
_NOT_NAMED_MARK = bytes(code for code in _NOT_GREEK_OR_ASTRAL_LEAD if code not in _JOINING_LEADS)

_FLIP = bytes([1, 0]) + bytes(254)  # 0 <-> 1
_GROUP = 256  # texts joined together (see ``_in_groups``)
# Every 17th text of a chunk: fewer than a third ASCII, and the chunk is screened whole
# with no test of each text (see ``chunk_counts``). 17, prime: texts taking turns every
# 2nd to 16th (locales round-robin) show every kind in the sample; at every 16th, one
# kind alone would send the ASCII ones to be screened with it (up to 4x their time).
_SAMPLE = 17
# Texts ``count_many`` screens at once. Joining a whole large list in one piece costs
# page faults and cache misses (measured: 512 long texts, about 270 KB joined, take
# twice the time of two chunks of 256), so ``chunk_counts`` joins 256 at a time; a chunk
# of 1,024 lets the non-ASCII texts of four such groups share one screen (the mix about
# 5% faster than chunks of 256, texts with extension characters about 5% slower).
CHUNK = 1024
# A chunk's places as ints made once (``chunk_counts``): ``compress`` over a range
# makes one for each place it passes, and CPython keeps only those up to 256.
_INDICES = tuple(range(CHUNK))
# A chunk's one or two texts beyond ASCII are left at 0, for ``count_segments``, up to
# this many characters each: a screen's fixed steps cost what two or three such texts
# do alone, since ``count_segments`` reads them in C (a text beyond the BMP by the
# slack bound, one with an euro sign in Latin-1, a Latin-1 one by its length).
# Measured (alone / screen, perf25s): one text of 200 characters 0.3 (ZWJ emoji,
# Cyrillic) to 0.7 (Indic, Latin accents), two 0.5 to 1.0; at 400, two Indic or CJK
# texts 1.1; three Latin accents or CJK texts 1.1-1.3.
_ALONE = 300


def _parts_table(single: int, multi: int, doubles: bool) -> tuple[int, ...]:
    """Count by units, up to the 255-part limit. With two-unit characters, 0 where
    the bounds of ``bounded_count`` differ (the cuts must then be made)."""
    counts = [1] * (single + 1)
    for units in range(single + 1, MAX_SEGMENTS * multi + 1):
        exact = bounded_count(units, multi) if doubles else -(-units // multi)
        counts.append(exact or 0)
    return tuple(counts)


_UCS2_PARTS = _parts_table(UCS2_SINGLE_UNITS, UCS2_CONCAT_UNITS, doubles=False)
PLAIN_PARTS = _parts_table(GSM7_SINGLE_SEPTETS, GSM7_CONCAT_SEPTETS, doubles=False)
_GSM_PARTS = _parts_table(GSM7_SINGLE_SEPTETS, GSM7_CONCAT_SEPTETS, doubles=True)
_UCS2_BOUNDED = _parts_table(UCS2_SINGLE_UNITS, UCS2_CONCAT_UNITS, doubles=True)

# Latin-1 bytes: the plain GSM-7 characters (one septet), the extension ones.
_PLAIN_LATIN1 = PLAIN_ASCII + bytes(code for code in range(128, 256) if chr(code) in BASIC_CODES)
_ESCAPE_LATIN1 = bytes(ord(char) for char in EXTENSION_CODES if ord(char) < 256)
# Each Latin-1 byte's class (``_classed_counts``): NUL kept as the separator, "p" a
# plain GSM-7 character, "e" an escape, "n" not GSM-7.
_PLAIN, _ESC, _NOT_GSM = b"pen"
_LATIN1_CLASSES = bytes(
    0
    if code == 0
    else _PLAIN
    if code in _PLAIN_LATIN1
    else _ESC
    if code in _ESCAPE_LATIN1
    else _NOT_GSM
    for code in range(256)
)
# The same, but "?" (no plain "?" is left where it is used, see ``_named_counts``)
# stands for a character beyond Latin-1: not GSM-7.
_NAMED_CLASSES = _LATIN1_CLASSES[: ord("?")] + bytes([_NOT_GSM]) + _LATIN1_CLASSES[ord("?") + 1 :]
# Deleted as ``_named_counts`` classes (a GSM-7 text without escapes is then an empty
# piece): the plain GSM-7 Latin-1 bytes, but "?", which stands for a character beyond.
_PLAIN_NOT_NAMED = _PLAIN_LATIN1.replace(b"?", b"")
# The same read off the UTF-8 itself (no decoding), where no lead C2 is left: C3
# (U+00C0-00FF) deleted, each byte after it read as its character (the byte + 0x40);
# any other lead (C4-EF: Greek, the euro sign and four-byte leads are gone by then)
# is not GSM-7, so what the bytes after it read as never makes its text GSM-7, and
# they are never escapes (none lies in U+00C0-00FF).
_LOW_LATIN1_LEAD = b"\xc2"
_UTF8_CLASSES = bytes(
    _LATIN1_CLASSES[code]
    if code < 0x80
    else _LATIN1_CLASSES[code + 0x40]
    if code < 0xC0
    else _NOT_GSM
    for code in range(256)
)
_UTF8_PLAIN = bytes(code for code in range(256) if _UTF8_CLASSES[code] == _PLAIN or code == 0xC3)

# Characters that may join a neighbour into one grapheme cluster (generated
# ranges), and CR (CR LF). Precomposed Hangul syllables (LV, LVT) are left out:
# they join only a jamo, which is in the class, so checking both sides of a cut
# still catches them.
_JOINS = re.compile(
    "[\r"
    + "".join(
        f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        for low, high in JOINER_RANGES
        if high < 0x10000 and (low, high) != (0xAC00, 0xD7A3)
    )
    + "]"
)

# A run of characters that cannot join a neighbour (nor U+E000, the separator).
# Surrogates, and characters beyond the BMP: two surrogates side by side among the
# units beside the cuts decode as one.
_WIDE = "\ud800-\udfff\U00010000-\U0010ffff"
_CANNOT_JOIN_RUN = re.compile("[^\ue000" + _WIDE + _JOINS.pattern[1:] + "+")
_JOINS_OR_SURROGATE = re.compile(_JOINS.pattern[:-1] + _WIDE + "]")
# The units before and after every cut of texts padded to whole parts (see
# ``_straddled``); the padding and the number of parts by units.
_BEFORE_CUTS = slice(UCS2_CONCAT_UNITS - 1, None, UCS2_CONCAT_UNITS)
_AFTER_CUTS = slice(UCS2_CONCAT_UNITS, None, UCS2_CONCAT_UNITS)
_SPACE16 = " ".encode("utf-16-le")
_LIMIT_UNITS = MAX_SEGMENTS * UCS2_CONCAT_UNITS
# Padding to whole parts ending in the separator: U+0001 (it joins nothing and is
# not GSM-7, so a part of padding starts with no GSM-7 character; its high byte 00
# is one the screen deletes) then U+E000; at least one unit. Tables by units share
# 67 pads (a few hundred KB of references, not a string each).
_PAD = "\x01"
_PADS_SEP = tuple(_PAD * size + _WIDE_SEP for size in range(UCS2_CONCAT_UNITS))
_PAD_SEP_BY_UNITS = tuple(
    _PADS_SEP[-(units + 1) % UCS2_CONCAT_UNITS] for units in range(_LIMIT_UNITS + 1)
)


def _class(chars: Iterable[str]) -> str:
    """The body of a regex class of the BMP characters among ``chars``, as ranges."""
    codes = sorted(ord(char) for char in chars if char <= "\uffff")
    return _ranges(codes, lambda code: re.escape(chr(code)))


def _ranges(codes: Iterable[int], char: Callable[[int], str]) -> str:
    """The body of a regex class of sorted ``codes``, as ranges, each end written by
    ``char``."""
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(
        char(low) if low == high else f"{char(low)}-{char(high)}" for low, high in ranges
    )


# In ``wide_counts`` each text's separator says the room its last part has left:
# U+E000 + room (0-66; high byte E0 as U+E000's, so the screen's split still finds
# one a text). A text of whole parts is followed by a whole part of padding (66
# units, then its separator): its room is 0, not 67, hence the modulo. Texts beyond
# the BMP are padded the same way for ``_drifted``.
_LAST_ROOM = chr(0xE000 + UCS2_CONCAT_UNITS - 1)
_ROOM_SEP = f"\ue000-{_LAST_ROOM}"
_PADS_ROOM = tuple(
    _PAD * size + chr(0xE000 + (size + 1) % UCS2_CONCAT_UNITS) for size in range(UCS2_CONCAT_UNITS)
)
_PAD_ROOM_BY_UNITS = tuple(
    _PADS_ROOM[-(units + 1) % UCS2_CONCAT_UNITS] for units in range(_LIMIT_UNITS + 1)
)
# The slack bound by units (``_astral_counts``): a text may move its cuts when it has
# more characters that may join than half the room its last part leaves (2 x joiners
# > room, in whole numbers). Up to 70 units no cut, nor past the limit (one entry,
# ``_PAST_LIMIT``, for every text beyond it): more than any text has.
_PAST_LIMIT = _LIMIT_UNITS + 1
_HALF_ROOMS = tuple(
    -units % UCS2_CONCAT_UNITS // 2 if UCS2_SINGLE_UNITS < units <= _LIMIT_UNITS else sys.maxsize
    for units in range(_PAST_LIMIT + 1)
)
# The same bound read by length (``_by_lengths``), before the units are known: the
# most leads that may move a cut a text can have and still count by its length. Its
# units lie between its length and its length plus those leads (a character beyond
# the BMP is one of them), so a text whose leads are at most a third of the room its
# length leaves has as many parts at any of those units, and a room at them at least
# twice its leads; up to 70 units, the room to 70.
_LENGTH_SLACK = tuple(
    UCS2_SINGLE_UNITS - length
    if length <= UCS2_SINGLE_UNITS
    else -length % UCS2_CONCAT_UNITS // 3
    for length in range(_LIMIT_UNITS + 1)
)


def _possessive(body: str) -> str:
    return f"(?:{body})*+"


def _atomic(body: str) -> str:
    return f"(?>(?:{body})*)"


# Repeats that give nothing back. Before 3.11.5, CPython could end a possessive repeat
# (``*+``) mid-way through a failed last round of a body that can backtrack (gh-106052,
# gh-100061): the match then read cuts off their places and miscounted (3.11.2, the
# texts of ``test_batch_drift_review``). There an atomic group (the same repeat, about
# a fifth slower on 3.11.7 and 3.13) stands in.
_REPEAT = _atomic if sys.version_info < (3, 11, 5) else _possessive


# The drift screens: ``_straddled_bmp`` (texts of one unit a character, read as they
# are) and ``_drifted`` (the UTF-16-BE of texts some of which hold characters beyond
# the BMP, read as Latin-1, two characters a unit). A place is certain
# (``_walk.certain_boundary``) when the unit before cannot join what follows, nor the
# one after what precedes, and the one before, if a conjunct extender, follows a
# character that is neither an extender nor one that may join what follows
# (``JOIN_NEXT``, the linkers among them), else GB9c may join across it. Read from
# the two units before a place and the one after it. At a drift of 1 or more the
# place lies 66 units or fewer into a part, where no separator is; at drift 0, on a
# text's last part, the unit before the place is the text's separator: the unit
# pattern refuses it there (its match must end at it), the one-character pattern
# lets it pass (any room will do at drift 0) and runs on into the next text.
#
# The two screens share that rule but not a builder: the one-character pattern
# (``_texts_fit``) is the hot path of Indic texts and was tuned as a string (one
# match a group, the parts needing no drift one repeat over the texts); the
# two-character one (``_unit_drift_pattern``) reads a unit by its bytes, each class
# an alternation of its own, and is built from ``_Units``. Keeping them apart leaves
# the Indic pattern exactly as measured.

# Texts of one unit a character (``_straddled_bmp``).
_NEXT, _EXTEND = _class(JOIN_NEXT), _class(CONJUNCT_EXTEND)
_EXTEND_ONLY = _class(CONJUNCT_EXTEND - JOIN_NEXT)
_PREVIOUS = _class(JOIN_PREVIOUS)
# The largest drift (units a cut lies before its place) ``_straddled_bmp`` follows;
# a text whose cuts drift further is walked. 6, not 5 (perf28i): 11 of the 51 texts
# the benchmark's Indic corpus (5,000) left to the walk settle at 6 (about 1% of its
# time); 7 or 8 settle one more, and each level nests the pattern once more.
_MAX_DRIFT = 6


def _skip(units: int, repeat: Callable[[str], str]) -> str:
    """``units`` units stepped over. Possessive (``.{n}+``) where the repeats are: for
    a plain ``.{n}``, though it cannot give a unit back, ``sre`` keeps a backtracking
    frame and runs the rest of the pattern nested under it (a frame a part); the
    possessive one steps on in place."""
    return f".{{{units}}}" + ("+" if repeat is _possessive else "")


def _next_unit(repeat: Callable[[str], str]) -> str:
    """The unit after a text's separator (the next text's first), if any: the padded
    texts end at the last separator. Possessive where the repeats are; the plain
    ``.?`` gives nothing back there either (all that follows may match empty)."""
    return ".?" + ("+" if repeat is _possessive else "")


# Each part of the padded texts is read from its second unit to the next part's
# second: the unit after a cut at drift 0 (the next part's first) is read, not looked
# at, and after a text's separator the next text's first unit is read (no cut is
# before it).


def _part_at_zero(repeat: Callable[[str], str]) -> str:
    """A part whose cut is certain at drift 0, with no extender before it, or a text's
    last part (its separator is neither): at drift 0 any room will do, so the parts
    of texts that need no drift are one repeat from text to text, with no step a
    text. A part that fails it goes to ``_from_drift``, whose first test takes an
    extender before the cut (then this repeat goes on): a lookbehind in every part
    cost more. A text's last part fails it where the next text's first unit may join
    what precedes."""
    skip = _skip(UCS2_CONCAT_UNITS - 2, repeat)
    return f"{skip}[^{_NEXT}{_EXTEND}][^{_PREVIOUS}]"


def _drift_pattern(drift: int, repeat: Callable[[str], str] = _REPEAT) -> str:
    """A text's parts from one whose cut has drifted ``drift`` (1 or more) units:
    parts (67 units) whose cut is certain ``drift`` places earlier, then the text's
    last part, its separator saying room for the drift; else (a cut not certain
    there) the same with the drift one more."""
    # The place ``drift`` before the cut lies 66 units or fewer into a part: the unit
    # before it not joining what follows; the unit after it not joining what
    # precedes; looking behind, the unit before it and the one before that not an
    # extender after one that may join or extend (the class tests first: a part
    # failing there looks at nothing more, about 10 ns a drifted text); then the
    # units up to the cut, the last not a separator (the part is not the text's last).
    behind = f"(?<![{_NEXT}{_EXTEND}][{_EXTEND}].)"
    part = f"{_skip(UCS2_CONCAT_UNITS - 2 - drift, repeat)}[^{_NEXT}]"
    if drift == 1:  # the unit after the place is the part's last
        part += f"[^{_PREVIOUS}{_ROOM_SEP}]{behind}."
    else:
        part += f"[^{_PREVIOUS}]{behind}.{{{drift - 2}}}[^{_ROOM_SEP}]."
    last = (
        f"{_skip(UCS2_CONCAT_UNITS - 2, repeat)}[{chr(0xE000 + drift)}-{_LAST_ROOM}]"
        f"{_next_unit(repeat)}"
    )
    more = f"|{_drift_pattern(drift + 1, repeat)}" if drift < _MAX_DRIFT else ""
    return f"{repeat(part)}(?:{last}{more})"


def _from_drift(repeat: Callable[[str], str]) -> str:
    """The rest of a text from a part ``_part_at_zero`` failed: its cut certain at
    drift 0 after all, an extender before it (GB9c: with no extender nor unit that
    may join before that), then the repeat of those parts goes on; or the text's end
    before a unit that may join what precedes (or the end of the texts); else its cut
    from drift 1 on."""
    # The text's end is tried before the drifts, which cannot pass it at drift 0: a
    # text after one whose last part has no room left, starting with a mark, cost the
    # screen 3x main's time with it tried after them (every drift up to 5 failing).
    # Both alternatives start with the unit before the cut, a class: ``sre`` tests it
    # before entering either, so a part failing the drift-0 repeat for a mark after
    # the cut or a virama before it (71% of such parts in Indic texts; the others an
    # extender before it) leaves them in one step, 15-20 ns a drifted text.
    extender = f"[{_EXTEND_ONLY}](?<=[^{_NEXT}{_EXTEND}].)[^{_PREVIOUS}]"
    last = f"[{_ROOM_SEP}]{_next_unit(repeat)}"
    skip = _skip(UCS2_CONCAT_UNITS - 2, repeat)
    return f"(?:{skip}(?:{extender}|{last})|{_drift_pattern(1, repeat)})"


def _texts_fit(repeat: Callable[[str], str] = _REPEAT) -> re.Pattern[str]:
    """One match over the padded texts, from a text's start: it runs on through every
    text whose count is its units' and stops in the first that may not be, at the
    second unit of the part it could not settle (the caller walks that text and
    matches on from its end). One match for a group rather than one a text:
    ``findall`` cost about 70 ns a text more. The parts that need no drift are one
    repeat over the texts; a part that does takes its text's rest from drift 1."""
    at_zero = repeat(_part_at_zero(repeat))
    return re.compile(
        f"(?s){_next_unit(repeat)}{at_zero}{repeat(_from_drift(repeat) + at_zero)}"
    )


def _text_fits(repeat: Callable[[str], str] = _REPEAT) -> re.Pattern[str]:
    """``_texts_fit`` for one text (``drifts_fit``): a lookbehind in every part at drift
    0 and the text's end read apart, as before the repeat over texts (which costs
    1.3x this one's time on one text). It ends at the
    first unit read as a separator (the text holding one there is unsure)."""
    skip = _skip(UCS2_CONCAT_UNITS - 2, repeat)
    part = f"{skip}[^{_NEXT}{_ROOM_SEP}](?<![{_NEXT}{_EXTEND}][{_EXTEND}])[^{_PREVIOUS}]"
    last = f"{skip}[{_ROOM_SEP}]"
    return re.compile(f"(?s).{repeat(part)}(?:{last}|{_drift_pattern(1, repeat)})")


_TEXTS_FIT = _texts_fit()
_TEXT_FITS = _text_fits()
# A text's parts, to its separator, from the second unit of one of them: the step
# over a text the screen stopped in.
_TEXT_PARTS = re.compile(
    f"(?s){_REPEAT(f'.{{{UCS2_CONCAT_UNITS - 2}}}[^{_ROOM_SEP}].')}"
    f".{{{UCS2_CONCAT_UNITS - 2}}}[{_ROOM_SEP}]"
)


# Texts some of which hold characters beyond the BMP (``_drifted``): their UTF-16-BE
# units read as Latin-1, two characters a unit, so a surrogate pair stays two units.
_SURROGATES = frozenset(map(chr, range(0xD800, 0xE000)))
_ONLY_EXTENDERS = CONJUNCT_EXTEND - JOIN_NEXT


class _Reading(NamedTuple):
    """How ``_unit_drift_pattern`` reads a unit: as ``width`` characters, with a
    pattern for one among a set of BMP characters (``among``) and one for any other
    (``outside``)."""

    width: int
    among: Callable[[frozenset[str]], str]
    outside: Callable[[frozenset[str]], str]
    halves: frozenset[str] = frozenset()  # units that may be half a character


def _latin1_char(code: int) -> str:
    """A byte as the Latin-1 character it reads as, escaped for a regex."""
    return re.escape(chr(code))


def _byte_units(chars: frozenset[str], among: bool) -> str:
    """A UTF-16-BE unit read as two Latin-1 characters (high byte, low byte) among
    ``chars``, or (not ``among``) outside them: by its high byte, then, where only
    some of that byte's 256 units are in ``chars``, by its low byte. ASCII (most of
    what is read) is tried first; then, outside them, a high byte with none of them
    (CJK); then a class of the other high bytes, so that a unit of none of them (a
    surrogate, most of each emoji) fails in a step, not one a high byte."""
    lows: dict[int, list[int]] = {}
    for code in sorted(ord(char) for char in chars if char <= "\uffff"):
        lows.setdefault(code >> 8, []).append(code & 0xFF)
    char = _latin1_char
    flip = "" if among else "^"
    by_low = [
        f"{char(high)}[{flip}{_ranges(codes, char)}]"
        for high, codes in lows.items()
        if len(codes) < 256
    ]
    ascii_first = by_low[:1] if 0 in lows and len(lows[0]) < 256 else []
    rest = by_low[len(ascii_first) :]
    branches = [*ascii_first, f"[^{_ranges(list(lows), char)}]."] if not among else ascii_first
    if rest:  # their high bytes first
        highs = [high for high, codes in lows.items() if high > 0 and len(codes) < 256]
        branches.append(f"(?=[{_ranges(highs, char)}])(?:{'|'.join(rest)})")
    whole = [high for high, codes in lows.items() if len(codes) == 256]
    if among and whole:
        branches.append(f"[{_ranges(whole, char)}].")
    return "(?:" + "|".join(branches) + ")" if branches else "(?!)"


# A surrogate may join either side: it may be half of any character beyond the BMP,
# and a cut between two halves splits one.
_TWO_CHARS = _Reading(
    2, lambda chars: _byte_units(chars, True), lambda chars: _byte_units(chars, False), _SURROGATES
)


def _rooms(drift: int) -> frozenset[str]:
    """The separators saying room for ``drift`` units or more."""
    return frozenset(map(chr, range(0xE000 + drift, 0xE000 + UCS2_CONCAT_UNITS)))


class _Units(NamedTuple):
    """Patterns of one unit, as ``_unit_drift_pattern`` reads them (see ``_Reading``)."""

    width: int
    calm: str  # neither joins what follows nor is a conjunct extender
    calm_nor_sep: str  # nor a separator
    only_extender: str  # a conjunct extender that joins nothing that follows
    not_previous: str  # joins nothing that precedes
    not_sep: str
    rooms: tuple[str, ...]  # by drift, the separators saying room for it


def _units(read: _Reading, most: int) -> _Units:
    unsure = JOIN_NEXT | CONJUNCT_EXTEND | read.halves
    return _Units(
        read.width,
        read.outside(unsure),
        read.outside(unsure | _rooms(0)),
        read.among(_ONLY_EXTENDERS),
        read.outside(JOIN_PREVIOUS | read.halves),
        read.outside(_rooms(0)),
        tuple(read.among(_rooms(drift)) for drift in range(most + 1)),
    )


def _unit_drift_pattern(drift: int, repeat: Callable[[str], str], units: _Units) -> str:
    """A text's parts from one whose cut has drifted ``drift`` units (``_drift_pattern``,
    from drift 0, one match a text) for units read as ``units.width`` characters each."""
    # The two units before the place ``drift`` before the cut, and the one after it;
    # at drift 0 the unit before the cut must not be a separator (the text's end).
    # Two alternatives here, as measured for emoji texts (the one-character screen's
    # forms, its lookbehind, possessive skips and repeat over texts, were not tried on
    # units read by their bytes; possessive skips: 0.94 of this screen's time, on the
    # few emoji texts it reads, not kept).
    width = units.width
    skip = f".{{{width * (UCS2_CONCAT_UNITS - 2 - drift)}}}"
    before = units.calm if drift else units.calm_nor_sep
    part = (
        f"{skip}(?:{'.' * width}{before}|{units.calm}{units.only_extender})"
        f"(?={units.not_previous})"
    )
    if drift:  # then the units up to the cut, the last not a separator
        part += f".{{{width * (drift - 1)}}}{units.not_sep}"
    last = f".{{{width * (UCS2_CONCAT_UNITS - 1)}}}{units.rooms[drift]}"
    more = (
        f"|{_unit_drift_pattern(drift + 1, repeat, units)}"
        if drift + 1 < len(units.rooms)
        else ""
    )
    return f"{repeat(part)}(?:{last}{more})"


def _text_cuts(
    repeat: Callable[[str], str] = _REPEAT, read: _Reading = _TWO_CHARS, most: int = 9
) -> re.Pattern[str]:
    """One match a text of the padded texts: its group empty when the count is its
    units', else its parts (the walk counts it). ``most``: the largest drift
    followed (a text whose cuts drift further is walked)."""
    units = _units(read, most)
    rest = f".{{{read.width * (UCS2_CONCAT_UNITS - 1)}}}"
    return re.compile(
        f"(?s){_unit_drift_pattern(0, repeat, units)}"
        f"|({repeat(rest + units.not_sep)}{rest}{units.rooms[0]})"
    )


@cache
def _unit_cuts() -> re.Pattern[str]:
    """``_text_cuts`` for ``_drifted``, with drifts up to 9 (the emoji many cuts must
    pass are up to 8 units). Compiled on first use, not at import: its 2,000-odd
    classes of low bytes (by high byte, at every drift) take about 40 ms to compile,
    which a process that never screens a long text beyond the BMP need not pay."""
    return _text_cuts(read=_TWO_CHARS, most=9)


# The first text, or one after it, whose characters are all GSM-7, in the texts
# joined with NUL (not GSM-7; the NUL leads the search, which finds it in C).
_GSM_CLASS = "[" + re.escape("".join(sorted(set(BASIC_CODES) | set(EXTENSION_CODES)))) + "]"
_GSM_FIRST = re.compile(_GSM_CLASS + "*+(?:" + SEP + "|\\Z)")
_GSM_NEXT = re.compile(SEP + _GSM_CLASS + "*+(?:" + SEP + "|\\Z)")
# A text of over 70 characters (the UCS-2 single-part limit) whose first ``_SETTLE``
# are GSM-7, in Latin-1 bytes joined with NUL (``accented_counts``): the first text,
# or one after a NUL. Reading further would cost prose with few accents beyond GSM-7
# more than the classing translate.
_SETTLE = 48
# Deleted from the sample that routes accented groups: what is left is beyond GSM-7.
_GSM_LATIN1_OR_NUL = b"\x00" + _PLAIN_LATIN1 + _ESCAPE_LATIN1
_UNSETTLED = b"[%s]{%d}[^\x00]{%d}" % (
    re.escape(_PLAIN_LATIN1 + _ESCAPE_LATIN1),
    _SETTLE,
    UCS2_SINGLE_UNITS + 1 - _SETTLE,
)
_UNSETTLED_FIRST = re.compile(_UNSETTLED)
_UNSETTLED_NEXT = re.compile(b"\x00" + _UNSETTLED)
# A character that may join a neighbour, a surrogate, or a GSM-7 character (``wide_counts``).
_JOINS_SURROGATE_OR_GSM = re.compile(_JOINS_OR_SURROGATE.pattern[:-1] + _GSM_CLASS[1:])


def chunk_counts(chunk: list[str]) -> list[int]:
    """Each text's count, or 0 where it must be counted on its own (see the module doc).

    Where most texts are ASCII, they are screened apart from the others: joined with
    a text in a wider script they would all be widened, and sent the costlier way.
    Where fewer than a third of a sample (every 17th text) of a chunk of over 256 are,
    it is screened whole, as when fewer than half of all its texts are, with no test of
    each.
    They keep their places (the others blanked: "" counts 1 until its own count
    replaces it), so no merge step runs over every text. Either kind is joined a
    group of 256 at a time; the others of a whole chunk (``count_many`` hands 1,024
    texts) are screened together (``_screen_groups``: their long texts beyond the BMP
    share one cut screen), so its fixed steps serve a few hundred texts rather than a
    few dozen. A chunk's one or two others, if short (``_ALONE``), are left at 0 instead
    (over 70 characters beyond the BMP: counted by the slack bound, or, unsure, screened).
    Raises as :func:`screen` does.
    """
    # Fewer than a third of every 17th text ASCII: the chunk is screened whole without
    # an ASCII test of each text (20 ns a text). Only a route, both ways exact; a third,
    # not a half, so a sample of 16 of a mostly ASCII chunk (three in four, say) almost
    # never sends it whole. Not in chunks of a group or less: the sample would cost more.
    if len(chunk) > _GROUP:
        sample = chunk[::_SAMPLE]
        if 3 * sum(map(str.isascii, sample)) < len(sample):
            return _screen_groups(chunk)
    is_ascii = bytearray(map(str.isascii, chunk))  # 1 or 0 a text (bytes(): slower)
    plain = is_ascii.count(1)
    if plain == len(chunk):
        return _in_groups(ascii_counts, chunk)
    if 2 * plain < len(chunk):  # mostly wide texts: the few ASCII ones go with them
        return _screen_groups(chunk)
    indices = _INDICES if len(chunk) <= len(_INDICES) else range(len(chunk))
    others = list(compress(indices, is_ascii.translate(_FLIP)))
    ascii_texts = chunk.copy()
    for index in others:  # a minority: cheaper than a step over every text
        ascii_texts[index] = ""
    counts = _in_groups(ascii_counts, ascii_texts)
    # One or two texts beyond ASCII (the first and the last), short (see ``_ALONE``):
    # left for ``count_segments``; over 70 characters beyond the BMP, settled by the
    # slack bound here, or, where it is unsure, screened: alone, such a text is walked
    # (rev25s: two of 250 characters with 3 to 10 emoji that join, 1.1-1.7x the screen).
    if len(others) <= 2 and max(len(chunk[others[0]]), len(chunk[others[-1]])) <= _ALONE:
        for index in others:
            text = chunk[index]
            # Four bytes a character (a guide: a wrong 0 costs only time); a subclass
            # is counted the slow way.
            four_bytes = type(text) is str and text.__sizeof__() >= 4 * len(text)
            if len(text) <= UCS2_SINGLE_UNITS or not four_bytes:
                counts[index] = 0  # for ``count_segments``
            else:
                counts[index] = astral_count(text)
                if not counts[index]:
                    break
        else:
            return counts
    wide = _screen_groups([chunk[index] for index in others])
    for index, count in zip(others, wide, strict=True):
        counts[index] = count
    return counts


# Fewer texts than this (a small call's few others) go the NUL join's way: the padded
# route's routing and padding cost more than they save (30 texts of the mix: 1.03-1.04x).
_PADDED_FROM = 16


def _in_groups(count: Callable[[list[str]], list[int]], texts: list[str]) -> list[int]:
    """``count`` a group of texts at a time: past a few hundred texts a join's
    allocation costs more than the fixed steps it shares."""
    if len(texts) <= _GROUP:
        return count(texts)
    counts = []
    for start in range(0, len(texts), _GROUP):
        counts += count(texts[start : start + _GROUP])
    return counts


def _screen_groups(texts: list[str]) -> list[int]:
    """``screen`` a group of texts at a time, but the long texts beyond the BMP that
    the slack bound leaves in any group are screened at their cuts together, after
    the last group: that screen's fixed steps cost what some 15 such texts do, and a
    group of 256 emoji texts leaves about 25."""
    if len(texts) <= _GROUP:
        return screen(texts)  # one group checks its own
    long: list[tuple[int, int]] = []  # (index in ``texts``, units)
    counts = []
    for start in range(0, len(texts), _GROUP):
        counts += screen(texts[start : start + _GROUP], long, start)
    if long:
        _check_cuts(texts, long, counts)
    return counts


def ascii_counts(texts: list[str]) -> list[int]:
    """Counts of ASCII texts (see ``latin1_counts``)."""
    return latin1_counts(texts, SEP.join(texts).encode("ascii"))


def screen(
    texts: Sequence[str], later: list[tuple[int, int]] | None = None, offset: int = 0
) -> list[int]:
    """Each text's count, or 0 where it must be counted on its own (see the module doc).

    With ``later``, the long texts beyond the BMP whose cuts are still to check are
    counted by their units and appended to it (index + ``offset``, units) for the
    caller to check (``_check_cuts``).

    Raises ``TypeError`` (a text is not a str), ``UnicodeEncodeError`` (a lone
    surrogate) or ``IndexError`` (past 255 parts) without saying which text: the
    caller finds it.
    """
    if len(texts) >= _PADDED_FROM and _beyond_latin1(texts):  # Indic, CJK, Cyrillic
        counts = padded_counts(texts)
        if counts is not None:
            return counts
    joined = SEP.join(texts)
    # CPython keeps a str with a character beyond the BMP at four bytes a character:
    # its size tells, with no pass over the texts, that they are not all Latin-1 and
    # must be encoded one by one for their units. Where this guesses wrong (or on
    # another Python), ``wide_counts`` finds it out from the encoded length.
    if joined.__sizeof__() >= 4 * len(joined):
        return _astral_counts(texts, joined, later, offset)
    try:
        data = joined.encode("latin-1")
    except UnicodeEncodeError as error:  # stops at the first character beyond Latin-1
        # The euro sign is the one GSM-7 character above Latin-1 that Latin texts use;
        # "|" stands in for it: also an extension character (two septets), one UTF-16
        # unit, joining nothing. Looked for only where the encoding stopped at one:
        # ``wide_counts`` reads an euro sign as "|" already (its callees replace it).
        if joined[error.start] != "€":
            return wide_counts(texts, joined)
        joined = joined.replace("€", "|")
        try:
            data = joined.encode("latin-1")
        except UnicodeEncodeError:  # stops at the next one: no pass over the rest
            return wide_counts(texts, joined)
    return latin1_counts(texts, data) if joined.isascii() else accented_counts(texts, data)


def latin1_counts(texts: Sequence[str], data: bytes) -> list[int]:
    """Counts of Latin-1 texts; ``data`` is the texts joined with NUL, in Latin-1."""
    size = len(texts)
    leftover = data.translate(None, _PLAIN_LATIN1)  # escapes, non-GSM bytes, NULs
    if len(leftover) == size - 1:
        return [PLAIN_PARTS[len(text)] for text in texts]  # all plain GSM-7
    non_gsm = leftover.translate(None, _ESCAPE_LATIN1)
    if len(non_gsm) == size - 1:  # all GSM-7: septets are length + escapes
        # Many escapes: by the texts' lengths where no text holds more than a few (no
        # NUL inside a text here: it would be left in ``non_gsm``); not for a few texts,
        # where its fixed steps cost more (``_ESCAPED_FROM``).
        dense = len(leftover) - size > size // 4
        bounded = _escaped_counts(texts, leftover) if dense and size >= _ESCAPED_FROM else None
        if bounded is not None:
            return bounded
        escapes = leftover.split(_SEP_BYTE)
        if len(escapes) != size:
            return [0] * size  # a NUL inside a text
        # From the table with escapes, whose gaps (where a part may end a septet
        # short) leave 0. With few escapes, as plain first, then only the texts
        # with escapes again: two steps a text fewer.
        if dense:
            return [
                _GSM_PARTS[len(text) + len(escaped)] or _escape_cuts(text)
                for text, escaped in zip(texts, escapes, strict=True)
            ]
        counts: list[int] = [PLAIN_PARTS[len(text)] for text in texts]
        for index in compress(range(size), escapes):
            text = texts[index]
            counts[index] = _GSM_PARTS[len(text) + len(escapes[index])] or _escape_cuts(text)
        return counts
    pieces = non_gsm.split(_SEP_BYTE)
    if len(pieces) != size:
        return [0] * size  # a NUL inside a text
    if all(pieces):  # all UCS-2, one unit a character
        counts = [_UCS2_PARTS[len(text)] for text in texts]
    else:  # a GSM-7 text (no non-GSM byte) costs its length and its escapes
        counts = [
            _UCS2_PARTS[len(text)]
            if non_gsm_bytes
            else _GSM_PARTS[len(text) + len(escaped)] or _escape_cuts(text)
            for text, non_gsm_bytes, escaped in zip(
                texts, pieces, leftover.split(_SEP_BYTE), strict=True
            )
        ]
    if b"\r" in data:  # CR LF is one cluster: a UCS-2 text with CR goes the slow way
        for index in _texts_holding(texts, lambda start: data.find(b"\r", start)):
            if pieces[index]:
                counts[index] = 0
    return counts


# ``_escaped_counts``: each byte of ``latin1_counts``' leftovers as 1 (an escape), the
# NULs between texts as 0, so a run of n ones is a text with n escapes; texts with
# fewer escapes than the bound (their lengths near a part's end aside) count as plain.
_ONE_BUT_NUL = bytes([0]) + bytes([1]) * 255
_ESCAPE_BOUND = 4
_BOUND_RUN = bytes([1]) * _ESCAPE_BOUND
# Fewer texts than this go the comprehension's way (the mix in calls of 10 and 30 texts:
# 1.016-1.019 and 1.007-1.010 of the time with the bound from any size, A/A 0.992-0.994).
_ESCAPED_FROM = 64
# Every 32nd text's length is looked up first (``_escaped_counts``): about 1 ns a text
# (every 8th: about 4, up to 5% of a group of short texts' time, for no better route).
_NEAR_END_STRIDE = 32


def _safe_parts() -> tuple[int, ...]:
    """By length, a GSM-7 text's count when any number of escapes below
    ``_ESCAPE_BOUND`` leaves it as the plain one, else 0 (the length lies within the
    bound of a part's end, or of a gap of ``_GSM_PARTS``, or of the table's end)."""
    top, last = len(_GSM_PARTS) - 1, _ESCAPE_BOUND - 1
    return tuple(
        plain
        if length + last <= top
        and _GSM_PARTS[length + last] == plain
        and 0 not in _GSM_PARTS[length + 1 : length + last + 1]
        else 0
        for length, plain in enumerate(PLAIN_PARTS)
    )


_SAFE_PARTS = _safe_parts()


def _escaped_counts(texts: Sequence[str], leftover: bytes) -> list[int] | None:
    """``latin1_counts`` for GSM-7 texts with many escapes (``leftover``: their escapes
    and the NULs between them, none inside a text) by their lengths alone, with no
    split of the escapes per text: where no text holds ``_ESCAPE_BOUND`` escapes or
    more (no run that long between NULs: a substring search), a text's count is its
    length's plain one unless its length lies within the bound of a part's end
    (``_SAFE_PARTS``: 0), and only those texts (1-2% of lengths of 40-300) are
    counted by their escapes, as are the texts holding the bound or more, found by
    the runs. ``None`` where more than one text in 16 may hold that many (the
    caller's comprehension of lengths and escapes then counts them all)."""
    size = len(texts)
    # More escapes than the bound less one a text on average: some text holds the bound.
    if len(leftover) - (size - 1) > (_ESCAPE_BOUND - 1) * size:
        return None
    # Texts near a part's end (a campaign written to fill its parts) in more than one
    # sampled in eight: each would be read again after the table's pass, which then
    # costs more than the caller's comprehension (rev26p, hot, groups of 256: one such
    # text in 15 1.05-1.10x its time, one in 5 1.15x; all of them, ``count_many`` 1.12x).
    # Only a route: a wrong guess costs time, never a count.
    safe = _SAFE_PARTS
    sample = [safe[len(text)] for text in texts[::_NEAR_END_STRIDE]]
    if 8 * sample.count(0) > len(sample):
        return None
    # The texts holding the bound or more (a run that long), each found by its NULs
    # before it; past one in 16, the caller's way.
    runs = leftover.translate(_ONE_BUT_NUL)
    beyond: list[int] = []
    at = runs.find(_BOUND_RUN)
    while at >= 0:
        if 16 * len(beyond) >= size:
            return None
        beyond.append(runs.count(_SEP_BYTE, 0, at))
        at = runs.find(_SEP_BYTE, at)
        at = -1 if at < 0 else runs.find(_BOUND_RUN, at)
    # A comprehension: 23 ns a text on 3.11.7 against 29 for ``itemgetter`` of the
    # lengths (hot, groups of 256). IndexError past the limit, as the caller expects.
    counts = [safe[len(text)] for text in texts]
    for index in beyond:  # counted below by their escapes, as the risky ones
        counts[index] = 0
    risky = counts.count(0)
    if 3 * risky > size:  # the sample missed them: the caller's way is still cheaper
        return None
    # Many: read off the leftovers split per text (a bytes object a text); a few: each
    # text's own escapes, an encoding and a deletion (about 15 split texts' cost).
    pieces = leftover.split(_SEP_BYTE) if 16 * risky > size else None
    index = -1
    for _ in range(risky):
        index = counts.index(0, index + 1)
        text = texts[index]
        if pieces is None:  # ``data`` holds an euro sign as "|"; the text still holds it
            latin1 = text.replace("€", "|").encode("latin-1")
            escapes = len(latin1.translate(None, _PLAIN_LATIN1))
        else:
            escapes = len(pieces[index])
        counts[index] = _GSM_PARTS[len(text) + escapes] or _escape_cuts(text)
    return counts


def accented_counts(texts: Sequence[str], data: bytes) -> list[int]:
    """``latin1_counts`` for texts with letters beyond ASCII, by a sample's route (see
    the module doc).

    With characters beyond GSM-7 frequent, a text of up to 70 characters counts 1
    either way (at most 140 septets) and a longer one with such a character among its
    first 48 is UCS-2: one regex search (``_unsettled_texts``) finds the others, which
    are asked one by one, and every other text it read counts its units. Past a few
    of them it stops, and the texts after it are classed (``_classed_counts``).
    """
    beyond, sampled = _sampled_beyond_gsm(data)
    if not beyond:  # GSM-7 prose: the deletion keeps the NULs, few bytes else
        return latin1_counts(texts, data)
    if 16 * beyond < sampled:
        return _classed_counts(texts, data)
    unsettled, done, rest = _unsettled_texts(texts, data)
    counts = [_UCS2_PARTS[len(text)] for text in texts[:done]]
    if data.find(b"\r", 0, rest) >= 0:  # CR LF is one cluster: UCS-2 with CR, the slow way
        for index in _texts_holding(texts[:done], lambda start: data.find(b"\r", start, rest)):
            counts[index] = 0
    for index in unsettled:
        text = texts[index]
        # ``data`` holds an euro sign as "|" (``screen``); the text still holds it.
        escapes = text.replace("€", "|").encode("latin-1").translate(None, _PLAIN_LATIN1)
        if not escapes.translate(None, _ESCAPE_LATIN1):  # GSM-7 after all
            counts[index] = _GSM_PARTS[len(text) + len(escapes)] or _escape_cuts(text)
    if done < len(texts):
        counts += _classed_counts(texts[done:], data[rest:])
    return counts


def _classed_counts(texts: Sequence[str], data: bytes) -> list[int]:
    """``accented_counts`` by classes. Deleting the plain bytes would keep one byte in
    ten or so, at places the processor cannot predict; a translate with no deletion
    classes every byte at an even pace instead, and the classes, split back per text,
    say which texts hold a byte beyond GSM-7 (UCS-2) and how many escapes the others
    cost."""
    size = len(texts)
    pieces = data.translate(_LATIN1_CLASSES).split(_SEP_BYTE)
    if len(pieces) != size:
        return [0] * size  # a NUL inside a text
    counts = [
        _UCS2_PARTS[len(text)]
        if _NOT_GSM in piece
        else _GSM_PARTS[len(text) + piece.count(_ESC)] or _escape_cuts(text)
        for text, piece in zip(texts, pieces, strict=True)
    ]
    if b"\r" in data:  # CR LF is one cluster: a UCS-2 text with CR goes the slow way
        for index in _texts_holding(texts, lambda start: data.find(b"\r", start)):
            if _NOT_GSM in pieces[index]:
                counts[index] = 0
    return counts


def _sampled_beyond_gsm(data: bytes) -> tuple[int, int]:
    """How many of a sample of ``data`` (one byte in 60: strided copies, then a
    deleting translate, all in C) are characters beyond GSM-7, NUL aside, and how
    many were sampled. Only a route hangs on it.

    Two strides, 122 and 118, with no factor but 2 in common: texts of one length
    (a template sent in bulk) put each character at the same place of every text,
    and one stride a multiple of that length plus one would read the same place of
    each (of 60 characters with every 61st byte, their first letter) where the other
    steps through them."""
    sample = data[::122] + data[61::118]
    return len(sample.translate(None, _GSM_LATIN1_OR_NUL)), len(sample)


def _unsettled_texts(texts: Sequence[str], data: bytes) -> tuple[list[int], int, int]:
    """The texts of over 70 characters whose first ``_SETTLE`` are all GSM-7, among
    ``texts`` (``data``: joined with NUL, in Latin-1), found by one regex search that
    reads each text up to its first character beyond GSM-7 (at most ``_SETTLE``) and
    steps to the next NUL in C: (their indices, the texts read, where the others
    start in ``data``). It stops at the first past one in 64 of the texts, which is
    left unread. A NUL inside a text misplaces the texts after it: where the last
    text placed does not start where its index says, none is read. (A NUL is not
    GSM-7: a text holding one, found or not, is UCS-2.)"""
    few = len(texts) // 64
    first = [0] if _UNSETTLED_FIRST.match(data) else []
    after_nul = (hit.start() + 1 for hit in _UNSETTLED_NEXT.finditer(data))
    found: list[int] = []
    done, rest = len(texts), len(data)
    index = at = 0  # the text after the NULs before ``at``
    for start in chain(first, after_nul):
        index += data.count(_SEP_BYTE, at, start)
        at = start
        if len(found) == few:
            done, rest = index, at
            break
        found.append(index)
    if at != sum(map(len, texts[:index])) + index:
        return [], 0, 0
    return found, done, rest


def wide_counts(texts: Sequence[str], joined: str) -> list[int]:
    """Counts of texts of which some hold a character beyond Latin-1 and none, it is
    expected, beyond the BMP (see the module doc); ``joined`` is the texts joined
    with NUL. The texts are padded to whole parts, which gives their cuts."""
    latin = _mostly_latin1(joined)
    if latin and (_GSM_FIRST.match(joined) or _GSM_NEXT.search(joined)):
        # Mostly Latin-1 with a GSM-7 text among them: their UTF-8 less plain ASCII is
        # a few bytes a text, where padding, UTF-16 and its high bytes cost each text
        # its length and the GSM-7 step. Without a GSM-7 text the padded way stays:
        # on Turkish prose (a letter beyond Latin-1 every ten or so) it costs half.
        return _named_counts(texts, joined)
    counts, pads = _by_units(texts)
    padded = _padded(texts, pads)
    data = joined.encode("utf-16-le")  # raises on a lone surrogate
    if len(data) != 2 * len(joined):
        return _astral_counts(texts, joined)  # not one unit a character
    if _units_count(padded):  # CJK, Cyrillic
        return counts
    # A GSM-7 text over 70 units (one of 70 or fewer counts 1 either way) fills its
    # first part, which starts with two GSM-7 characters (``_gsm_pair_starts``), and
    # shows among the texts joined with NUL (one search; done above when ``latin``,
    # and found none).
    gsm = (
        not latin
        and _gsm_pair_starts(padded)
        and bool(_GSM_FIRST.match(joined) or _GSM_NEXT.search(joined))
    )
    return _cut_counts(texts, counts, padded, None, gsm)


def padded_counts(texts: Sequence[str]) -> list[int] | None:
    """``wide_counts`` without the texts joined with NUL, for groups ``screen`` routes
    by their first text (mostly beyond Latin-1: Indic, CJK, Cyrillic): the padded
    texts, encoded once, prove no lone surrogate (the padding holds none) and give
    the high bytes and part starts the screens read, where ``wide_counts`` encodes
    the NUL join and slices the padded str again. ``None`` where a text holds a
    character beyond the BMP: ``screen``'s way then; also where sizing the texts
    raises (an object not a str, with a ``__len__`` of its own: ``screen``'s join
    then raises the ``TypeError`` that names it).

    The NUL join is made only where two GSM-7 characters start a part (the search
    for a GSM-7 text among the texts needs it). The route to ``_named_counts`` is not
    taken: only a route, and the first text says the group is not mostly Latin-1.
    """
    try:
        counts, pads = _by_units(texts)
    except Exception:  # a non-str's own ``__len__`` (no join has checked the texts yet)
        return None  # ``screen``'s join raises TypeError, and the caller names the text
    padded = _padded(texts, pads)
    if padded.__sizeof__() >= 4 * len(padded):  # four bytes a character (CPython)
        return None
    data = padded.encode("utf-16-le")  # raises on a lone surrogate
    if len(data) != 2 * len(padded):
        return None  # not one unit a character
    if _units_count(padded):  # CJK, Cyrillic
        return counts
    gsm = False
    if _gsm_pair_units(data):
        joined = SEP.join(texts)
        gsm = bool(_GSM_FIRST.match(joined) or _GSM_NEXT.search(joined))
    return _cut_counts(texts, counts, padded, data, gsm)


def _cut_counts(
    texts: Sequence[str], counts: list[int], padded: str, data: bytes | None, gsm: bool
) -> list[int]:
    """``counts`` (by units) of BMP texts, ``padded`` (``data``: its UTF-16-LE, or
    ``None`` if not made), fixed where a text is GSM-7 (``gsm``: one may be) or a cut
    may move (``_straddled_bmp``)."""
    size = len(texts)
    counted: set[int] = set()  # texts counted by ``_maybe_gsm``: no cut to check
    if gsm:
        if data is None:
            data = padded.encode("utf-16-le")
        beyond = data[1::2].translate(None, _GSM_HIGH).split(_MARK)
        if len(beyond) != size + 1:
            return [0] * size  # a text holds a U+E0xx character
        maybe = list(compress(range(size), map(_not, beyond)))
        counted = set(maybe).difference(_maybe_gsm(texts, maybe, counts))
    # A flagged text is walked cut by cut: ``count_parts``' slack bound first proved
    # 4 of the 40 the Indic corpus (5,000) leaves, at half a walk's cost each.
    for index in _straddled_bmp(padded, size, data):
        if len(texts[index]) > UCS2_SINGLE_UNITS and index not in counted:
            counts[index] = cut_parts(texts[index])
    return counts


def _by_units(texts: Sequence[str]) -> tuple[list[int], Sequence[str]]:
    """Each text's count by units and its pad (``_PAD_ROOM_BY_UNITS``), read from the
    tables by one ``itemgetter`` of all the lengths: C calls over the texts, 42 ns a
    text on Indic groups of 256 where two list comprehensions took 60. With one text,
    an ``itemgetter`` of one index returns an item, not a tuple."""
    if len(texts) < 2:
        return [_UCS2_PARTS[len(text)] for text in texts], [
            _PAD_ROOM_BY_UNITS[len(text)] for text in texts
        ]
    by_units = itemgetter(*map(len, texts))
    return list(by_units(_UCS2_PARTS)), by_units(_PAD_ROOM_BY_UNITS)


def _gsm_pair_starts(padded: str) -> bool:
    """Whether a part of ``padded`` (texts of one unit a character padded to whole
    parts) may start with two GSM-7 characters: the first and the second unit of
    every part (two strided slices), each unit read from its UTF-16 bytes as 1 where
    it may be GSM-7 and 0 where not (``_may_be_gsm``), the two sequences ANDed as
    integers, all in C.

    Where the texts' words are spaced one by one (Indic), part starts show one GSM-7
    character (a space) but seldom two, while the search for a GSM-7 text among the
    texts joined with NUL reads every character."""
    firsts, seconds = padded[::UCS2_CONCAT_UNITS], padded[1::UCS2_CONCAT_UNITS]
    return bool(_may_be_gsm(firsts) & _may_be_gsm(seconds))


def _gsm_pair_units(data: bytes) -> bool:
    """``_gsm_pair_starts`` read from the padded texts' UTF-16-LE (``data``): the
    bytes of each part's first and second unit are four strided byte slices."""
    step = 2 * UCS2_CONCAT_UNITS
    return bool(
        _may_be_gsm_bytes(data[0::step], data[1::step])
        & _may_be_gsm_bytes(data[2::step], data[3::step])
    )


def _may_be_gsm_bytes(low: bytes, high: bytes) -> int:
    """``_may_be_gsm`` of units given by their low and high bytes."""
    gsm_high = int.from_bytes(high.translate(_GSM_HIGH_BYTES), "little")
    return gsm_high & int.from_bytes(low.translate(_NOT_PAD_BYTE), "little")


def _may_be_gsm(chars: str) -> int:
    """A byte a character of ``chars``, 1 where it may be GSM-7 (its high byte is one
    of a GSM-7 character's and it is not the padding), else 0, read as an integer."""
    data = chars.encode("utf-16-le", "surrogatepass")
    return _may_be_gsm_bytes(data[::2], data[1::2])


def _beyond_latin1(texts: Sequence[str]) -> bool:
    """True when ``texts`` are not mostly Latin-1 (Indic, CJK, Cyrillic prose, where
    spaces and digits are the Latin-1 characters), by their first text (fewer than
    one character in four Latin-1 or the euro sign), then by ``_mostly_latin1`` on
    about 16 of them joined: ``screen`` then pads them without the NUL join first
    (``padded_counts``), and ``wide_counts``' route for mostly Latin-1 texts
    (``_named_counts``) stays theirs. Only a route; ``str`` methods called on the
    class, so that a text that is not a str raises ``TypeError``."""
    first = texts[0]
    latin = len(str.encode(first, "latin-1", "ignore")) + str.count(first, "€")
    if 4 * latin >= len(first):
        return False
    # An odd stride (17 in a group of 256): texts in two, four, eight or sixteen
    # languages in turn show each in the sample, where an even one would read one only
    # (one Indic text in 16 beside GSM-7 Latin ones: 1.25x main's time on 3.11.7).
    return not _mostly_latin1("".join(texts[:: len(texts) // 16 | 1]))


def _mostly_latin1(joined: str) -> bool:
    """True when at least three in four of a sample of ``joined`` (every 64th
    character: a strided copy, then a Latin-1 encoding that skips the others, both
    in C) are Latin-1 or the euro sign (``screen`` leaves it in ``joined``: prices
    in euros are Latin texts). Only a route hangs on it, never a count."""
    sample = joined[::64]
    latin = len(sample.encode("latin-1", "ignore")) + sample.count("€")
    return 4 * latin >= 3 * len(sample)


def _units_count(padded: str) -> bool:
    """True when no text of ``padded`` (texts of one unit a character padded by
    ``_padded``) is GSM-7, but an empty one (one part either way), and no cut of
    theirs can move, so each count is its units'.

    Every part of the padded texts starts on a multiple of 67: with each text's first
    unit, the unit after each cut, the padding (not GSM-7) and nothing else there, a
    GSM-7 text, whose first character is GSM-7, would show. A cut moves only where a
    unit beside it may join (``_straddled``). Two strided str slices, a few units a
    text, searched in C: no encoding of the padded texts.
    """
    return not (
        _JOINS_OR_SURROGATE.search(padded[_BEFORE_CUTS])
        or _JOINS_SURROGATE_OR_GSM.search(padded[::UCS2_CONCAT_UNITS])
    )


def _astral_counts(
    texts: Sequence[str], joined: str, later: list[tuple[int, int]] | None = None, offset: int = 0
) -> list[int]:
    """Counts of texts some of which hold characters beyond the BMP (two units), or
    of mostly Latin-1 texts holding Greek (``_named_counts``: none beyond the BMP,
    then lengths are units); ``joined`` is the texts joined with NUL.

    Encoded to UTF-8 in one piece (a third of the time of UTF-16 from a str of four
    bytes a character), whose lead bytes, one a character beyond ASCII, split at the
    NULs, say per text: its characters beyond the BMP (units = length + those),
    whether it is UCS-2 (a lead no GSM-7 character has) and how many of its
    characters may join. A long UCS-2 text with few of those is counted by its units
    (the slack bound, see the module doc); the others are padded and encoded to
    UTF-16 for their cuts (``_check_cuts``), here, or with ``later`` by the caller
    (appended as index + ``offset`` and units; see ``screen``).
    """
    size = len(texts)
    if "€" in joined:  # GSM-7, but its lead E2 is that of U+2000-2FFF; as in ``screen``
        joined = joined.replace("€", "|")
    leads = joined.encode().translate(None, _NOT_LEAD_OR_CR)  # raises on a lone surrogate
    settled = _by_lengths(texts, leads)  # emoji texts: no split for their units
    if settled is not None:
        counts, to_check = settled
        if later is not None:
            later += [(offset + index, units) for index, units in to_check]
        elif to_check:
            _check_cuts(texts, to_check, counts)
        return counts
    astral = leads.translate(None, _NOT_ASTRAL_LEAD)  # the NULs and leads F0-F4
    # Only size - 1 bytes left: those are the separators, so no text holds a NUL nor a
    # character beyond the BMP (the texts ``wide_counts`` sends, or ``screen``'s short
    # joins of BMP texts): units are lengths.
    if len(astral) == size - 1:
        units = list(map(len, texts))
    else:
        pairs = astral.split(_SEP_BYTE)  # a lead a character beyond the BMP
        if len(pairs) != size:
            return [0] * size  # a NUL inside a text
        units = [len(text) + len(lead) for text, lead in zip(texts, pairs, strict=True)]
    half_rooms, keys = _HALF_ROOMS, units  # the bound's look-ups
    try:
        counts = [_UCS2_PARTS[unit_count] for unit_count in units]
    except IndexError:  # past the UCS-2 limit, but GSM-7 goes up to 39,015 septets
        counts = [_UCS2_PARTS[size] if size <= _LIMIT_UNITS else 0 for size in units]
        # One entry past the table for them all, not a table as long as the longest
        # text (8 bytes a unit of it): no cut checked there.
        keys = [min(size, _PAST_LIMIT) for size in units]
    # UCS-2 for sure: a text with a lead no GSM-7 character has. Where each text has
    # one (emoji texts), three finds say so; else a split says which have none.
    non_gsm = leads.translate(None, _GSM_LEADS)
    ucs2: Sequence[int] = range(size)
    if not _no_piece_empty(non_gsm):
        pieces = non_gsm.split(_SEP_BYTE)
        maybe_gsm = list(compress(range(size), map(_not, pieces)))
        ucs2 = list(compress(range(size), pieces)) + _maybe_gsm(texts, maybe_gsm, counts)
    # The slack bound (module docstring): twice the BMP joiners and astral characters.
    may_move = leads.translate(None, _NOT_JOINING_OR_ASTRAL_LEAD).split(_SEP_BYTE)
    if isinstance(ucs2, range):  # every text: no index to look up
        by_text = zip(ucs2, may_move, keys, strict=True)
        long = [index for index, joiners, key in by_text if len(joiners) > half_rooms[key]]
    else:
        long = [index for index in ucs2 if len(may_move[index]) > half_rooms[keys[index]]]
    if later is not None:  # the caller checks them with other groups' (``screen``)
        later += [(offset + index, units[index]) for index in long]
    elif long:
        _check_cuts(texts, [(index, units[index]) for index in long], counts)
    return counts


def _by_lengths(
    texts: Sequence[str], leads: bytes
) -> tuple[list[int], list[tuple[int, int]]] | None:
    """Counts of texts each holding a character that may move a cut (``leads``: their
    UTF-8 leads, see ``_astral_counts``), read by their lengths; the long texts whose
    cuts are still to check (index, units). ``None`` where that does not hold for
    every text: one text, a text with none of those leads (it may be GSM-7), a CR, a
    NUL inside a text, a text past the 255-part limit.

    Every such lead but CR's is that of a character no GSM-7 text holds (the euro
    sign is "|" by then), so with one in each text and no CR, all are UCS-2. A text
    with no more of those leads than its length allows (``_LENGTH_SLACK``) counts as
    its length does, with no cut to check: one split, a look-up by length (C calls)
    and one compare a text, where the units took a second split and a comprehension.
    Only the others (about one emoji text in six) are read for their characters
    beyond the BMP, their units and the slack bound."""
    size = len(texts)
    may_move = leads.translate(None, _NOT_JOINING_OR_ASTRAL_LEAD)
    if size < 2 or b"\r" in may_move or not _no_piece_empty(may_move):
        return None
    joiners = may_move.split(_SEP_BYTE)
    if len(joiners) != size:
        return None  # a NUL inside a text
    try:
        counts = list(itemgetter(*map(len, texts))(_UCS2_PARTS))
    except IndexError:  # a text past the limit: ``_astral_counts``' own way
        return None
    slack = _LENGTH_SLACK
    by_text = zip(range(size), texts, joiners, strict=True)
    unsure = [index for index, text, moves in by_text if len(moves) > slack[len(text)]]
    long = []
    for index in unsure:  # read for their units: about one emoji text in six
        moves = joiners[index]
        units = len(texts[index]) + len(moves.translate(None, _NOT_ASTRAL_LEAD))
        if units > _LIMIT_UNITS:
            return None
        counts[index] = _UCS2_PARTS[units]
        if len(moves) > _HALF_ROOMS[units]:
            long.append((index, units))
    return counts, long


def _named_counts(texts: Sequence[str], joined: str) -> list[int]:
    """Counts of mostly Latin-1 texts (``wide_counts``), none of them, it is expected,
    beyond the BMP; ``joined`` is the texts joined with NUL (``screen`` leaves the
    euro sign there unless its Latin-1 encoding stopped at one).

    The euro sign made "|" first (a same-length replace in the str; in the UTF-8
    each would be three bytes to encode, delete from and replace), their UTF-8 less
    the plain GSM-7 ASCII characters (CR kept: it joins LF) is a few characters a
    text, still UTF-8: its bytes classed as they are (``_UTF8_CLASSES``)
    or, with a character of U+0080-00BF there, decoded and encoded to Latin-1 first,
    "?" standing for each character beyond Latin-1 (the real ones were deleted); the
    classes (the plain GSM-7 ones deleted: fewer and shorter pieces), split per
    text, say which texts are UCS-2 and what escapes the others cost, with no second
    join of the GSM-7 candidates. Greek (lead CE: a GSM-7 capital would read as "?"),
    characters beyond the BMP and NULs go to ``_astral_counts``, found with the
    characters that may join (or CR) by one deletion that leaves the NULs alone in
    the usual group. Units are lengths; the UCS-2 texts with a character that may
    join go through the slack bound and ``_check_cuts`` as there.
    """
    size = len(texts)
    if "€" in joined:  # GSM-7, else read as "?" below
        joined = joined.replace("€", "|")
    rest = joined.encode().translate(None, _PLAIN_BUT_CR)  # raises on a lone surrogate
    # The NULs alone: no NUL in a text, no Greek, nothing beyond the BMP, nothing that
    # may join (nor CR). Else Greek, beyond the BMP or a NUL in a text go to
    # ``_astral_counts``, and what is left is what may join.
    may_move = rest.translate(None, _NOT_NAMED_MARK)
    marked = len(may_move) != size - 1
    if marked and len(may_move.translate(None, _NOT_GREEK_OR_ASTRAL_LEAD)) != size - 1:
        return _astral_counts(texts, joined)
    if _LOW_LATIN1_LEAD in rest:  # U+0080-00BF: their bytes would read as U+00C0-00FF
        latin1 = rest.decode().encode("latin-1", "replace")
        pieces = latin1.translate(_NAMED_CLASSES, _PLAIN_NOT_NAMED).split(_SEP_BYTE)
    else:
        pieces = rest.translate(_UTF8_CLASSES, _UTF8_PLAIN).split(_SEP_BYTE)
    counts = [
        _UCS2_PARTS[len(text)]
        if _NOT_GSM in piece
        else _GSM_PARTS[len(text) + len(piece)] or _escape_cuts(text)
        for text, piece in zip(texts, pieces, strict=True)
    ]
    if marked:  # a joiner or CR: the slack bound, then the cuts
        joiners_by_text = zip(texts, may_move.split(_SEP_BYTE), strict=True)
        long = [
            (index, len(text))
            for index, (text, joiners) in enumerate(joiners_by_text)
            if 2 * len(joiners) > -len(text) % UCS2_CONCAT_UNITS
            and len(text) > UCS2_SINGLE_UNITS
            and _NOT_GSM in pieces[index]
        ]
        if long:
            _check_cuts(texts, long, counts)
    return counts


def _check_cuts(texts: Sequence[str], long: list[tuple[int, int]], counts: list[int]) -> None:
    """Walks, into ``counts``, the texts of ``long`` (index, units) where a cut may fall
    inside a cluster: they are padded by units and screened at their cuts
    (``_drifted``, else ``_straddled``)."""
    texts = [texts[index] for index, _ in long]
    units = [unit_count for _, unit_count in long]
    verdicts = _drifted(_padded(texts, [_PAD_ROOM_BY_UNITS[u] for u in units]).encode("utf-16-be"))
    flagged: Iterable[int]
    if len(verdicts) == len(long):
        flagged = compress(range(len(long)), verdicts)
    else:
        padded = _padded(texts, [_PAD_SEP_BY_UNITS[u] for u in units])
        flagged = _straddled(padded.encode("utf-16-le"), len(long))
    for at in flagged:
        text = texts[at]
        counts[long[at][0]] = count_parts(
            text, None if units[at] == len(text) else text.encode("utf-16-le")
        )


def _drifted(data: bytes) -> list[str]:
    """``_straddled_bmp`` for texts of which some hold characters beyond the BMP:
    ``data`` is their UTF-16-BE, padded with ``_PAD_ROOM_BY_UNITS``; a verdict a text
    (empty when its count is its units'), found by a match each of ``_unit_cuts()`` on
    the bytes read as Latin-1, two characters a unit (a C copy): UTF-16 decoded would
    make a surrogate pair one character. A text holding a separator's value where
    one is read makes one verdict too many."""
    return _unit_cuts().findall(data.decode("latin-1"))


def _no_piece_empty(data: bytes) -> bool:
    """Whether every piece of ``data`` split at NUL holds a byte, found by three
    memchr-speed tests instead of a split (one object a text): no NUL at either
    end, no two side by side."""
    return bool(data) and not (
        data.startswith(_SEP_BYTE) or data.endswith(_SEP_BYTE) or b"\x00\x00" in data
    )


def _escape_cuts(text: str) -> int:
    """The count of a GSM-7 text where the table has a gap: an escape pair may
    straddle a cut, and the cuts are made (``escape_parts``); 0 past the 255-part
    limit (the table's septets allow up to 257 parts of 152), so the caller raises."""
    parts = escape_parts(text, GSM7_CONCAT_SEPTETS)
    return parts if parts <= MAX_SEGMENTS else 0


def _maybe_gsm(texts: Sequence[str], indices: list[int], counts: list[int]) -> list[int]:
    """Counts the texts at ``indices`` that may be GSM-7 (see ``wide_counts``) into
    ``counts``; returns the indices of those that are UCS-2 and hold a character
    beyond Latin-1 (their counts by units are there, their cuts still to check)."""
    group = [texts[index] for index in indices]
    joined = SEP.join(group)
    if "€" in joined:
        joined = joined.replace("€", "|")
    data = joined.encode("latin-1", "ignore")
    if len(data) == len(joined):  # all Latin-1 once the euro sign stands as "|"
        for index, count in zip(indices, latin1_counts(group, data), strict=True):
            counts[index] = count
        return []
    ucs2 = []
    for index, text in zip(indices, group, strict=True):
        if NON_GSM_RE.search(text) is None:  # GSM-7: septets are length + escapes
            septets = len(text) + len(EXTENSION_RE.findall(text))
            counts[index] = _GSM_PARTS[septets] or _escape_cuts(text)
        else:
            ucs2.append(index)
    return ucs2


def _padded(texts: Sequence[str], pads: Sequence[str]) -> str:
    """The texts each followed by its pad: U+0001 to whole parts of 67 units, its
    separator last: U+E000 (``_PAD_SEP_BY_UNITS`` by its units, see ``_straddled``)
    or U+E000 plus the room its last part has left (``_PAD_ROOM_BY_UNITS``, see
    ``_straddled_bmp``)."""
    pieces = [""] * (2 * len(texts))
    pieces[::2] = texts  # each text then its padding, by two slice copies
    pieces[1::2] = pads
    return "".join(pieces)


def _beside_cuts(cells: memoryview) -> bytearray:
    """The unit before and the unit after every cut of texts padded by ``_padded``
    (``cells``: their UTF-16 units), interleaved; a space after the last cut."""
    cuts = len(cells) // UCS2_CONCAT_UNITS
    beside = bytearray(_SPACE16 * (2 * cuts))
    units = memoryview(beside).cast("H")
    units[::2] = cells[_BEFORE_CUTS]
    units[1 : 2 * cuts - 1 : 2] = cells[_AFTER_CUTS]
    return beside


def _straddled(data: bytes, size: int) -> list[int]:
    """Indices of the texts where a cut may split a surrogate pair or fall inside a
    grapheme cluster. ``data`` is the UTF-16 of ``size`` texts padded by ``_padded``:
    the units before and after every cut of every text are two strided slices (C-level
    copies). The unit before the last cut of each text's padding is its separator,
    so with those units interleaved, a hit's text is the number of separators before
    it; with many hits, deleting the runs of characters that cannot join (nor are
    surrogates) leaves one piece a text, split at it, with no Python step a hit. A
    cut at a text's end only sends a text the exact way."""
    cells = memoryview(data).cast("H")
    chars = _beside_cuts(cells).decode("utf-16-le", "surrogatepass")
    first = _JOINS_OR_SURROGATE.search(chars)
    if first is None:
        return []
    if chars.count(_WIDE_SEP) != size:
        return list(range(size))  # a text holds U+E000
    few = size // 4
    hits = list(islice(_JOINS_OR_SURROGATE.finditer(chars, first.start()), few + 1))
    if len(hits) <= few:  # each hit's text is the number of separators before it
        return sorted({chars.count(_WIDE_SEP, 0, hit.start()) for hit in hits})
    return list(compress(range(size), _CANNOT_JOIN_RUN.sub("", chars).split(_WIDE_SEP)))


def _straddled_bmp(padded: str, size: int, data: bytes | None = None) -> list[int]:
    """``_straddled`` for ``size`` texts of one unit a character padded with
    ``_PAD_ROOM_BY_UNITS`` (``padded``), finer: the indices of those whose count may
    not be their units'.

    ``_walk.slack_parts``' bound read in C: a cut moves back at most to the last
    certain place before where it would fall, which is as far back as the cut
    before it moved (its drift). Where each cut is certain ``drift`` places before
    its place, the drift never falling from one cut to the next, no cut drifts
    further; if the last drift fits the room the text's last part has left, the
    count is the units'. The match of ``_TEXTS_FIT`` reads a few units at each cut
    (skipping the others in one step), with the smallest drift that holds so far,
    and runs on through the texts until one fails: that one is skipped and flagged.
    ``data``, if given, is ``padded``'s UTF-16-LE (``padded_counts``), whose strided
    high bytes say where texts end without a slice of ``padded`` encoded.
    """
    if not (
        _JOINS_OR_SURROGATE.search(padded[_BEFORE_CUTS])
        or _JOINS_OR_SURROGATE.search(padded[_AFTER_CUTS])
    ):
        return []  # no unit beside any cut may join
    # Each text's separator is the last unit of its last part, where no other unit of
    # U+E000-U+E0FF may sit (else a text's char would read as its end): the high
    # bytes of the parts' last units say where texts end, E0 once a text.
    if data is None:
        ends = padded[_BEFORE_CUTS].encode("utf-16-le", "surrogatepass")[1::2]
    else:  # ``padded``'s UTF-16-LE: the high byte of each part's last unit
        ends = data[2 * UCS2_CONCAT_UNITS - 1 :: 2 * UCS2_CONCAT_UNITS]
    if ends.count(_MARK) != size:
        return list(range(size))  # a text holds U+E0xx where a separator is read
    flagged = []
    at = _matched_to(_TEXTS_FIT, padded, 0)
    while at < len(padded):  # in a part of a text the match could not settle
        flagged.append(ends.count(_MARK, 0, at // UCS2_CONCAT_UNITS))
        at = _matched_to(_TEXTS_FIT, padded, _matched_to(_TEXT_PARTS, padded, at))
    return flagged


def _matched_to(pattern: re.Pattern[str], text: str, at: int) -> int:
    """Where a match of ``pattern`` from ``at`` ends (``_TEXTS_FIT`` matches the empty
    string; ``_TEXT_PARTS`` a text's parts, which every text of the padded texts has
    once the separators are checked)."""
    match = pattern.match(text, at)
    assert match is not None
    return match.end()


def drifts_fit(text: str) -> bool:
    """True when ``_straddled_bmp`` proves the count of ``text`` (one unit a character,
    within the 255-part limit) its units': one match over the text padded as in
    ``wide_counts``. False when unsure (a character of U+E000-U+E042 at a part's last
    unit is read as a separator and ends the match early)."""
    padded = text + _PAD_ROOM_BY_UNITS[len(text)]
    match = _TEXT_FITS.match(padded)
    return match is not None and match.end() == len(padded)


def _texts_holding(texts: Sequence[str], find: Callable[[int], int]) -> list[int]:
    """Indices of the texts holding what ``find(start)`` finds (its position in the
    texts joined with one character between each, or -1): after each hit, the search
    goes on from the next text."""
    hit = find(0)
    if hit < 0:
        return []
    starts = list(accumulate((len(text) + 1 for text in texts), initial=0))
    found = []
    while hit >= 0:
        index = bisect_right(starts, hit) - 1
        found.append(index)
        hit = find(starts[index + 1])
    return found


# ``astral_count``'s: NUL deleted too (a control character: it joins nothing). The
# batch's table keeps it, its separator; left in one text, each NUL read as a lead
# beyond the BMP, a unit too many.
_NUL_NOT_JOINING_OR_ASTRAL_LEAD = _SEP_BYTE + _NOT_JOINING_OR_ASTRAL_LEAD


def astral_count(text: str) -> int:
    """``_astral_counts`` for one text (``count_segments``, on a str CPython stores at
    four bytes a character): its count by the slack bound, or 0 when unsure (no
    character beyond the BMP after all, the bound too tight, a lone surrogate, past
    the limit). A character beyond the BMP is never GSM-7, so the text is UCS-2;
    its UTF-8 less every byte but the leads of characters beyond the BMP (units =
    length + those) and of those that may join (and CR, and the euro sign's, counted
    as one that may: only tighter) is a few bytes, in two C passes where
    ``may_join``'s two regex searches read every character."""
    try:
        may_move = text.encode().translate(None, _NUL_NOT_JOINING_OR_ASTRAL_LEAD)
    except UnicodeEncodeError:  # a lone surrogate: the caller's error says where
        return 0
    astral = len(may_move.translate(None, _NOT_ASTRAL_LEAD))
    units = len(text) + astral
    if not astral or units > _LIMIT_UNITS or len(may_move) > _HALF_ROOMS[units]:
        return 0
    return _UCS2_PARTS[units]
