"""Reply handling values: per-sender profiles, auto-replies and reply outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..errors import ConfigurationError
from ..keywords.classify import KeywordMatch, KeywordSet, MatchKind
from ..routes import Route
from .model import Channel, ConsentEvent, ConsentScope, coerce_enum_set

__all__ = ["AutoReply", "ReplyOutcome", "SenderProfile"]

# FCC 64.1200(a)(12): one confirmation text sent within 5 minutes is presumed compliant.
OPT_OUT_CONFIRMATION_WINDOW = timedelta(minutes=5)
TEXT_CHANNELS = frozenset({Channel.SMS, Channel.MMS, Channel.RCS})


@dataclass(frozen=True, slots=True)
class SenderProfile:
    """How one sender (scope) handles replies: its words, route and auto-reply texts.

    Attributes:
        keywords: the keyword set replies are classified with.
        route: the kind of number replies arrive on (toll-free re-subscribes only
            on START/UNSTOP).
        opt_out_reply: the one confirmation sent after an opt-out. It must only
            confirm: no marketing, no links (FCC 64.1200(a)(12)).
        help_reply: answer to HELP/INFO: who you are, how to opt out.
        opt_in_reply: answer to START after STOP.
        confirm_reply: answer to YES confirming a pending (double opt-in) request.
        reply_channels: the channels a reply on this number revokes or restores
            (SMS, MMS and RCS share a sender's number and its opt-out list).
        revocation_scope: record reply opt-outs and re-grants at this broader
            scope (e.g. the brand, when one opt-out list covers all its numbers,
            as a Twilio Messaging Service does); ``None``: the reply's own scope.
    """

    keywords: KeywordSet = field(default_factory=KeywordSet.default)
    route: Route = Route.TEN_DLC
    opt_out_reply: str = (
        "You are unsubscribed and will receive no more messages from us. "
        "Reply START to resubscribe."
    )
    help_reply: str = "Reply STOP to unsubscribe. Msg & data rates may apply."
    opt_in_reply: str = "You are resubscribed. Reply STOP to unsubscribe, HELP for help."
    confirm_reply: str = "Thanks, you are subscribed. Reply STOP to unsubscribe, HELP for help."
    reply_channels: frozenset[Channel] = TEXT_CHANNELS
    revocation_scope: str | None = None

    def __post_init__(self) -> None:
        if self.revocation_scope is not None:
            ConsentScope.parse(self.revocation_scope)
        for name in ("opt_out_reply", "help_reply", "opt_in_reply", "confirm_reply"):
            if not str(getattr(self, name)).strip():
                raise ConfigurationError(f"{name}: give a non-empty text", field=name)
        lowered = self.opt_out_reply.casefold()
        if "http" in lowered or "www." in lowered:
            raise ConfigurationError(
                "opt_out_reply: the opt-out confirmation may only confirm; remove links "
                "(FCC 47 CFR 64.1200(a)(12) forbids marketing in it)",
                field="opt_out_reply",
            )
        object.__setattr__(self, "route", Route(self.route))
        object.__setattr__(
            self, "reply_channels", coerce_enum_set(self.reply_channels, Channel, "reply_channels")
        )


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


@dataclass(frozen=True, slots=True)
class ReplyOutcome:
    """What :meth:`ConsentLedger.handle_reply` did.

    Attributes:
        match: the classification (``None``: an ordinary reply).
        event: the event recorded, if any.
        reply: the auto-reply to send, if any.
        needs_review: ``True`` for a ``FUZZY`` match: a human should decide.
    """

    match: KeywordMatch | None
    event: ConsentEvent | None = None
    reply: AutoReply | None = None
    needs_review: bool = False
