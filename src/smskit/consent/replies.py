"""Reply handling values: per-sender profiles, auto-replies and reply outcomes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..findings import Finding, reduce_frozen
from ..keywords.classify import KeywordMatch, MatchKind, classify_reply
from ..routes import Route
from .fold import EventFacts, replay_order
from .model import ConsentEvent, ConsentSource, EventKind, Purpose, RevocationMethod
from .sender import TEXT_CHANNELS as TEXT_CHANNELS
from .sender import SenderProfile

__all__ = ["AutoReply", "ReplyOutcome", "SenderProfile"]

# FCC 64.1200(a)(12): one confirmation text sent within 5 minutes is presumed compliant.
OPT_OUT_CONFIRMATION_WINDOW = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class AutoReply:
    """A text to send back to the person.

    Attributes:
        text: the message.
        kind: what it answers.
        send_by: the deadline (opt-out confirmations: 5 minutes after the reply,
            when the FCC presumes them compliant); ``None`` when there is none.
        source: the rule behind the reply.
    """

    text: str
    kind: MatchKind
    send_by: datetime | None = None
    source: str = ""
    # Pickles with reduce_frozen: datetime drops a repeated hour's fold before protocol 4.
    __reduce__ = reduce_frozen


@dataclass(frozen=True, slots=True)
class ReplyOutcome:
    """What :meth:`ConsentLedger.handle_reply` did.

    Attributes:
        match: the classification (``None``: an ordinary reply).
        event: the consent event recorded (for a redelivered message: recorded
            before), if any. A reply that changed no consent is noted in the ledger
            (``EventKind.NOTED``, to recognise its redelivery) but has no event here.
        reply: the auto-reply to send, if any.
        needs_review: ``True`` when a human should decide: a ``FUZZY`` match, or an
            opt-in from a number a "wrong number" reply holds (``finding`` says why).
        finding: why a reply did not do what it asked, when the sender must learn it:
            a START, UNSTOP or YES from a number held by a "wrong number" reply
            (``consent.revoked``, citing that reply's event), which only a new grant
            lifts. ``None`` otherwise.
    """

    match: KeywordMatch | None
    event: ConsentEvent | None = None
    reply: AutoReply | None = None
    needs_review: bool = False
    finding: Finding | None = None


def network_opt_in(text: str) -> bool:
    """Whether ``text`` is a word a toll-free number's network lifts a STOP on: START
    or UNSTOP (a YES re-subscribes on a long code, not there)."""
    match = classify_reply(text, route=Route.TOLL_FREE)
    return match is not None and match.kind is MatchKind.OPT_IN


def lifts_network_stop(source: ConsentSource, reply_text: str | None) -> bool:
    """Whether a re-grant of ``source`` with ``reply_text`` as evidence lifts a
    toll-free network STOP: a keyword START or UNSTOP (one recorded without its text
    is taken as given). The ledger and the opt-out policy read it alike."""
    return source is ConsentSource.KEYWORD and (not reply_text or network_opt_in(reply_text))


_EVERY_PURPOSE = frozenset(Purpose)
# Replies that can carry a START/UNSTOP: a re-grant, a confirmation, or a noted reply
# (a START that changed no consent still reached the number, and the network heard it).
_REPLIES_IN = frozenset({EventKind.REGRANTED, EventKind.CONFIRMED, EventKind.NOTED})


def network_hold(facts: Iterable[EventFacts], number: str) -> EventFacts | None:
    """The opt-out that reached toll-free ``number`` and that no START or UNSTOP
    reaching ``number`` has lifted since, or ``None``.

    The network of a toll-free number holds a STOP texted to it until START or
    UNSTOP reaches that same number (Twilio, "Opt-out keyword handling for toll-free
    SMS"): a START to another of the business's numbers, a web form or an agent does
    not lift it. Only events recording the number they reached (``received_by``)
    count; those recorded before smskit kept it never hold here. ``facts``: the
    person's events that the question reads (its scopes, up to its instant).
    """
    held: EventFacts | None = None
    for event in sorted((e for e in facts if e.received_by == number), key=replay_order):
        if (event.kind is EventKind.REVOKED and event.purposes >= _EVERY_PURPOSE
                and event.revocation_method is not RevocationMethod.WRONG_NUMBER):
            # "Wrong number" is no carrier keyword: the network holds nothing for it.
            held = event
        elif (held is not None and event.kind in _REPLIES_IN
              and lifts_network_stop(event.source, event.reply_text)):
            held = None
    return held
