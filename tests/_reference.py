"""Slow, obvious implementations: the specification the fast code is tested against.

A per-character greedy splitter written straight from TS 23.038 / 23.040 and
docs/segments.md, with no tricks: walk characters (or grapheme clusters), add each to
the current part if it fits, else start a new part.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

import regex

from smskit.consent.fold import EventFacts, replay_order
from smskit.consent.model import (
    Channel,
    ConsentScope,
    ConsentSource,
    EventKind,
    RevocationMethod,
)
from smskit.keywords.classify import MatchKind, classify_reply
from smskit.purpose import Purpose
from smskit.routes import Route

BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x00ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = "\x0c^{}\\[~]|€"


def char_cost_gsm(char: str) -> int | None:
    if char in EXTENSION:
        return 2
    if char in BASIC and char != "\x00":
        return 1
    return None


def ucs2_units(text: str) -> int:
    return sum(2 if ord(c) > 0xFFFF else 1 for c in text)


def is_gsm(text: str) -> bool:
    return all(char_cost_gsm(c) is not None for c in text)


def split(text: str, *, reference_bits: int = 8, grapheme_safe: bool = True) -> list[str]:
    """Parts of ``text`` using the default alphabet or UCS-2 (no national tables)."""
    udh = 6 if reference_bits == 8 else 7
    if is_gsm(text):
        total = sum(char_cost_gsm(c) or 0 for c in text)
        if total <= 160:
            return [text]
        capacity = (140 - udh) * 8 // 7
        parts: list[str] = []
        current, used = "", 0
        for char in text:
            cost = char_cost_gsm(char) or 0
            if used + cost > capacity:
                parts.append(current)
                current, used = "", 0
            current += char
            used += cost
        parts.append(current)
        return parts
    if ucs2_units(text) <= 70:
        return [text]
    capacity = (140 - udh) // 2
    parts = []
    start = 0
    while start < len(text):
        pos, used = start, 0
        while pos < len(text):
            unit = regex.match(r"\X", text, pos=pos).group() if grapheme_safe else text[pos]
            if used + ucs2_units(unit) > capacity:
                if ucs2_units(unit) > capacity:
                    # Too long for any part: split between code points here, not one
                    # part later.
                    while used + ucs2_units(text[pos]) <= capacity:
                        used += ucs2_units(text[pos])
                        pos += 1
                break
            used += ucs2_units(unit)
            pos += len(unit)
        if pos == start:  # one cluster longer than a whole part: split between code points
            while pos < len(text) and used + ucs2_units(text[pos]) <= capacity:
                used += ucs2_units(text[pos])
                pos += 1
        parts.append(text[start:pos])
        start = pos
    return parts


def pack_septets(septets: bytes, fill_bits: int = 0) -> bytes:
    """TS 23.038 6.1.2.1.1 as one integer: septet i occupies bits fill + 7i upwards."""
    value = sum(code << (fill_bits + 7 * i) for i, code in enumerate(septets))
    return value.to_bytes((fill_bits + 7 * len(septets) + 7) // 8, "little")


def unpack_septets(data: bytes, count: int, fill_bits: int = 0) -> bytes:
    value = int.from_bytes(data, "little") >> fill_bits
    return bytes((value >> (7 * i)) & 0x7F for i in range(count))


def gsm_septets(text: str) -> int | None:
    """Septets of ``text`` in the default alphabet, escapes counted; None if not GSM-7."""
    costs = [char_cost_gsm(c) for c in text]
    return None if None in costs else sum(c or 0 for c in costs)


def clusters(text: str) -> list[str]:
    """User-perceived characters (UAX #29 extended grapheme clusters)."""
    return regex.findall(r"\X", text)


def count(text: str, *, grapheme_safe: bool = True) -> int:
    """How many parts ``text`` is sent as (no limit applied)."""
    return len(split(text, grapheme_safe=grapheme_safe))


def count_many(texts: list[str]) -> list[int]:
    """The batch counter's specification: each text counted on its own, in order."""
    return [count(text) for text in texts]


def _caseless(text: str) -> str:
    """Unicode's canonical caseless form (D145): NFD, full case folding, NFD again."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).casefold())


def reference_opt_out(facts: list[EventFacts], scope: ConsentScope, channel: Channel,
                      at: datetime, *, wide: bool, toll_free: bool, sender_id: str = "",
                      since: datetime | None = None, purpose: Purpose | None = None,
                      ) -> tuple[str, datetime] | None:
    """The opt-out policy's question, answered by replaying every event of the person in
    time order (at one instant revocations last, then by sequence): ``(finding code, the
    opt-out's time)`` or ``None``. Spelled out from docs/engine.md; the engine replays
    only from the last opt-out on.

    - Events after ``at``, on another channel, or outside the question's scope (under
      revoke-all: outside the caller, the scope's first part) do not count.
    - A revocation of every purpose is an opt-out. A grant, confirmation or re-grant lifts
      it when its scope covers or is covered by the opt-out's (under revoke-all: also when
      it covers the question's scope).
    - Under revoke-all (``wide``), a revocation at or after ``since`` (the rule's start) is
      an opt-out whatever its purposes and channels (it counts on any channel) when it
      names voice, SMS, MMS or RCS (an e-mail unsubscribe alone is none), and
      only a lifting event that names ``purpose`` (the one asked about) lifts it.
    - On a toll-free sender, a lifted keyword STOP is still held by the network unless the
      lifting event is a START/UNSTOP reply; any later START/UNSTOP reply releases it.
    - On a toll-free sender numbered ``sender_id``, an opt-out recorded as reaching that
      number is held until a re-grant, confirmation or noted reply reaching that number
      is a START/UNSTOP; this hold is the one reported when there is one.
    - Revoke-all only adds: an opt-out (or a hold) the question's own scope still has
      without it still counts under it (rev29c).
    """
    if wide:
        own = reference_opt_out(facts, scope, channel, at, wide=False,
                                toll_free=toll_free, sender_id=sender_id)
        answer = _reference_opt_out(facts, scope, channel, at, wide=True,
                                    toll_free=toll_free, sender_id=sender_id,
                                    since=since, purpose=purpose)
        hold = "opt_out.toll_free_network"
        for found in (answer, own):
            if found is not None and found[0] != hold:
                return found
        return answer or own
    return _reference_opt_out(facts, scope, channel, at, wide=False, toll_free=toll_free,
                              sender_id=sender_id)


def _reference_opt_out(facts: list[EventFacts], scope: ConsentScope, channel: Channel,
                       at: datetime, *, wide: bool, toll_free: bool, sender_id: str,
                       since: datetime | None = None, purpose: Purpose | None = None,
                       ) -> tuple[str, datetime] | None:
    def revokes_all(event: EventFacts) -> bool:  # any revocation from revoke-all's start
        # Of a robocall or robotext (voice or a text channel): not an e-mail unsubscribe.
        return (wide and since is not None and event.kind is EventKind.REVOKED
                and event.occurred_at >= since
                and bool(event.channels & {Channel.SMS, Channel.MMS, Channel.RCS,
                                           Channel.VOICE}))

    def start_or_unstop_text(text: str) -> bool:
        match = classify_reply(text, route=Route.TOLL_FREE)
        return match is not None and match.kind is MatchKind.OPT_IN

    def start_or_unstop(event: EventFacts) -> bool:
        if event.kind is not EventKind.REGRANTED or event.source is not ConsentSource.KEYWORD:
            return False
        if not event.reply_text:
            return True
        return start_or_unstop_text(event.reply_text)

    def counts(event: EventFacts) -> bool:
        if event.occurred_at > at or (channel not in event.channels
                                      and not revokes_all(event)):
            return False
        if wide:
            return _caseless(event.scope.parts[0]) == _caseless(scope.parts[0])
        return event.scope.covers(scope)

    def related(a: ConsentScope, b: ConsentScope) -> bool:
        return a.covers(b) or b.covers(a)

    opt_out: EventFacts | None = None  # the opt-out in force
    held: EventFacts | None = None  # a lifted toll-free STOP the network still holds
    at_number: EventFacts | None = None  # a STOP to this toll-free number, not lifted there
    for event in sorted(filter(counts, facts), key=replay_order):
        if toll_free and sender_id and event.received_by == sender_id:
            if (event.kind is EventKind.REVOKED and event.purposes == frozenset(Purpose)
                    and channel in event.channels
                    and event.revocation_method is not RevocationMethod.WRONG_NUMBER):
                at_number = event
            elif (event.kind in (EventKind.REGRANTED, EventKind.CONFIRMED, EventKind.NOTED)
                  and event.source is ConsentSource.KEYWORD and (
                      not event.reply_text or start_or_unstop_text(event.reply_text))):
                at_number = None
        if event.kind is EventKind.REVOKED:
            if event.purposes == frozenset(Purpose) or revokes_all(event):
                opt_out = event
        elif (event.kind in (EventKind.GRANTED, EventKind.CONFIRMED, EventKind.REGRANTED)
              and opt_out is not None
              and (related(event.scope, opt_out.scope) or (wide and event.scope.covers(scope)))
              and not (revokes_all(opt_out) and purpose is not None
                       and purpose not in event.purposes)):
            if (toll_free and opt_out.source is ConsentSource.KEYWORD
                    and opt_out.revocation_method is not RevocationMethod.WRONG_NUMBER
                    and not start_or_unstop(event)):
                held = opt_out
            else:
                held = None
            opt_out = None
        elif held is not None and start_or_unstop(event):
            held = None
    if opt_out is not None:
        code = "opt_out.active" if opt_out.scope.covers(scope) else "opt_out.revoke_all"
        if code == "opt_out.active" and opt_out.revocation_method is RevocationMethod.WRONG_NUMBER:
            code = "opt_out.wrong_number"
        return code, opt_out.occurred_at
    if at_number is not None:
        return "opt_out.toll_free_network", at_number.occurred_at
    if held is not None:
        return "opt_out.toll_free_network", held.occurred_at
    return None


def parts_are_full(text: str) -> bool:
    """True when ``text`` (UCS-2, over one part) is cut every 67 units exactly: no cut
    moved off its place by a surrogate pair or a grapheme cluster. What the batch's
    cut screens claim of every text they do not flag."""
    parts = split(text)
    return all(ucs2_units(part) == 67 for part in parts[:-1])
