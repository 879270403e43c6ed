"""The messenger: decide → reserve → send → record; replies and delivery reports.

Public names are re-exported by :mod:`smskit.messenger`.
"""

from __future__ import annotations

import inspect
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Literal, Protocol
from urllib.parse import urlsplit

from ..consent import (
    ConsentLedger,
    ConsentScope,
    ConsentSource,
    EventKind,
    Evidence,
    ReplyOutcome,
    RevocationMethod,
    normalize_recipient,
)
from ..consent.fold import replay_order
from ..consent.model import Channel
from ..consent.replies import OPT_OUT_CONFIRMATION_WINDOW
from ..consent.sender import _route_of_sender_id, log_advice
from ..content import promotion
from ..errors import (
    ConfigurationError,
    ConsentError,
    InvalidPhoneNumber,
    OutboxConflictError,
    ProviderAmbiguousError,
    ProviderError,
    ProviderRejectedError,
    ProviderResponseError,
    SmskitError,
    StoreError,
    WebhookSignatureError,
)
from ..findings import _shown as _shown_key  # a key's repr, digit runs masked
from ..findings import escaped
from ..keywords import MatchKind
from ..keywords._data import (
    PROVIDER_ANSWERED,
    PROVIDER_ANSWERED_TOLL_FREE,
    TELNYX_ANSWERED,
    TELNYX_ANSWERED_TOLL_FREE,
    TELNYX_OPT_OUT,
)
from ..mms import MediaInfo
from ..numbers import mask_number, mask_sender, parse_number
from ..policy import Decision, SenderProfile, SendRequest, Verdict
from ..policy.builtin import ConfirmationPolicy, FrequencyCapPolicy, _names
from ..policy.pipeline import _check_inputs, _parse
from ..pricing import Direction, MessageKind, RateCard
from ..providers import (
    ErrorCategory,
    InboundMessage,
    InboundParser,
    OptOutType,
    OutboundMessage,
    Provider,
    SendReceipt,
    SignatureVerifier,
    StatusParser,
    WebhookParams,
)
from ..providers.protocols import header_pairs, require_form
from ..providers.telnyx_webhooks import TelnyxSignatureVerifier
from ..providers.twilio_webhooks import SIGNATURE_HEADER, TwilioSignatureVerifier
from ..purpose import Purpose
from ..routes import Route
from ..segments import count_segments
from ..timing import SendHistory
from ..timing.caps import PRUNE_LIMIT, _span, check_prune
from ._results import (
    CancelOutcome,
    InboundResult,
    SendOutcome,
    SendResult,
    StatusResult,
    _from_payload,
    _Meta,
    _payload,
    _request_data,
    _request_from,
    _send_by,
)
from .health import SUPPRESSING, HealthThresholds, SenderHealth, SuppressionPolicy, sender_health
from .history import (
    DeliveryRecord,
    MessageHistory,
    MessageRecord,
    _aware,
    _elapsed,
    _send_record,
)
from .outbox import LATE_RECEIPT, Outbox, OutboxEntry, OutboxState, same_entry, same_instant
from .usage import Usage, usage

__all__ = ["Decider", "Messenger", "WebhookParser"]

logger = logging.getLogger("smskit.messenger")


class WebhookParser(InboundParser, StatusParser, Protocol):
    """Protocol: reads both kinds of webhook (``TwilioWebhookParser``, ``MemoryProvider``)."""


class Decider(Protocol):
    """Protocol: the compliance engine as the messenger uses it
    (:class:`~smskit.policy.CompliancePipeline`)."""

    def decide(self, request: SendRequest, sender: SenderProfile, at: datetime) -> Decision:
        """May ``request`` go from ``sender`` at ``at``?"""
        ...


class RecipientLock(Protocol):
    """Protocol: one send at a time per recipient across hosts
    (:class:`~smskit.messenger.PostgresRecipientLock`)."""

    def hold(self, recipient: str) -> AbstractContextManager[None]:
        """Hold ``recipient``'s (E.164) lock until the block ends; re-entrant per thread."""
        ...


def _require_lock_schema(lock: object, outbox: object) -> None:
    """Refuse a PostgreSQL recipient lock on another schema than the PostgreSQL outbox:
    hosts share the outbox's schema, so a lock named after another (a typo, a tenant's
    name on one host) would not exclude the other hosts' sends, and caps would be
    passed twice again without a word."""
    lock_schema = getattr(lock, "schema", None)
    box_schema = getattr(getattr(outbox, "_db", None), "schema", None)
    if isinstance(lock_schema, str) and isinstance(box_schema, str) and lock_schema != box_schema:
        raise ConfigurationError(
            f"recipient_lock is on schema {lock_schema!r} and the outbox on {box_schema!r}: "
            "every host must lock in the schema its sends share, so give the lock the "
            f"outbox's (schema={box_schema!r})",
            field="recipient_lock",
        )


def _other_message(entry: OutboxEntry, to: str | None, body: str | None) -> str:
    """What differs between the message sent under a key and a new one ("" if none).

    ``body`` may be the text before the profile's prefix and footer were added, so
    the sent text need only contain it."""
    try:
        sent = json.loads(entry.payload)
    except ValueError:  # an outbox of one's own may keep no payload
        return ""
    if not isinstance(sent, dict):
        return ""
    if to is not None and sent.get("to") not in (None, to):
        return "another number"
    sent_body = sent.get("body")
    if body is not None and isinstance(sent_body, str) and body.strip() not in sent_body:
        return "another text"
    return ""


class Messenger:
    """Sends through the compliance engine and a provider, and handles the webhooks.

    Args:
        provider: sends messages; for crash recovery it should also offer
            ``lookup`` (:class:`~smskit.providers.MessageLookup`).
        pipeline: the compliance engine (``decide(request, sender, at)``).
        ledger: the consent ledger replies and provider opt-outs are written to.
        history: every message in and out, delivery reports, processed webhooks.
        outbox: idempotency keys and message states (durable for crash safety).
        verifier: checks webhook signatures; ``None`` accepts every webhook
            (only for tests: a forged STOP or status could change the ledger).
        parser: reads webhooks (default: the provider, if it parses them).
        senders: the sender profiles of our numbers: the consent scope of replies
            to each, and the profile queued requests are decided again with. Several
            profiles of one number (or one Messaging Service) share the narrowest scope
            covering all of theirs (``acme/reminders`` and ``acme/reviews``: ``acme``),
            as one STOP stops them all; scopes sharing nothing are a
            ``ConfigurationError``.
        scope: the consent scope of replies to a number without a profile; default:
            the narrowest scope covering every ``senders`` profile's ``consent_scope``
            (a STOP to any of our numbers blocks them all), else ``"default"``.
        status_callback: the URL providers post delivery reports to.
        suppression: when a number that keeps failing as ``invalid_number``,
            ``landline`` or ``unreachable`` counts as suppressed in
            :class:`StatusResult` (give the pipeline the same policy to block it).
        health: thresholds of :meth:`health`.
        retry_after: how long a message the provider certainly did not take
            waits in the queue before :meth:`send_due` tries again, after the
            first attempt; each further failure doubles the wait, and a wait the
            provider asked for (its error's ``retry_after``) is honoured when
            longer.
        retry_cap: the longest wait, the provider's included (default: an
            hour, or ``retry_after`` if longer).
        max_attempts: hand-overs to the provider per key; the failure of the
            last one fails the key (a new key sends it again).
        in_flight: how long a reservation counts as another caller's send in
            progress: ``send`` of its key answers ``PENDING`` and :meth:`reconcile`
            leaves it alone (neither looks it up); longer than any hand-over takes,
            the provider's timeouts and retries included.
        keyword_replies: who answers the standard keywords (STOP, START, HELP and
            the other words of Twilio's default handling, each a whole reply):
            ``"smskit"`` (default) sends the confirmation and help texts;
            ``"provider"`` records consent as before but sends none of them, for a
            provider that answers them itself (Twilio long codes and toll-free
            numbers with its default opt-out handling; on a short code or a number
            outside US/Canada every answer is still sent). Other answers (a double
            opt-in's confirmation, an opt-out phrase the provider does not match) are
            still sent.
        recipient_lock: one send at a time per person across hosts
            (:class:`~smskit.messenger.PostgresRecipientLock`): each send holds it
            from its decision until it is recorded, and a reply is written to the
            ledger (and answered) under it, so caps count another host's send and a
            STOP is never committed between a decision and its provider call. ``None``: caps are
            read, then the send recorded, and two hosts may both pass one.
    """

    def __init__(
        self,
        provider: Provider,
        pipeline: Decider,
        ledger: ConsentLedger,
        history: MessageHistory,
        outbox: Outbox,
        *,
        verifier: SignatureVerifier | None = None,
        parser: WebhookParser | None = None,
        senders: Iterable[SenderProfile] = (),
        scope: str | None = None,
        status_callback: str | None = None,
        suppression: SuppressionPolicy | None = None,
        health: HealthThresholds | None = None,
        retry_after: timedelta = timedelta(minutes=1),
        retry_cap: timedelta | None = None,
        max_attempts: int = 8,
        in_flight: timedelta = timedelta(minutes=2),
        keyword_replies: Literal["smskit", "provider"] = "smskit",
        recipient_lock: RecipientLock | None = None,
    ) -> None:
        if recipient_lock is not None and (
            # A class (PostgresRecipientLock, not built) has a hold function too, and
            # every send raised TypeError calling it.
            isinstance(recipient_lock, type)
            or not callable(getattr(recipient_lock, "hold", None))
        ):
            what = (f"the class {recipient_lock.__name__}" if isinstance(recipient_lock, type)
                    else type(recipient_lock).__name__)
            raise ConfigurationError(
                "recipient_lock must have a hold(recipient) context manager, such as "
                f"PostgresRecipientLock(pool, schema=...), not {what}",
                field="recipient_lock",
            )
        _require_lock_schema(recipient_lock, outbox)
        self._recipient_lock = recipient_lock
        if keyword_replies not in ("smskit", "provider"):
            raise ConfigurationError(
                f"keyword_replies must be 'smskit' (smskit answers STOP, START and HELP) "
                f"or 'provider' (the provider answers them itself), not {keyword_replies!r}",
                field="keyword_replies",
            )
        _refuse_async_provider(provider)
        found_parser = parser if parser is not None else provider
        if not (hasattr(found_parser, "parse_inbound") and hasattr(found_parser, "parse_status")):
            raise ConfigurationError(
                "the provider does not parse webhooks; pass parser= "
                f"({_PARSERS.get(getattr(provider, 'name', ''), 'TwilioWebhookParser')}() for "
                "its webhooks)"
                if parser is None
                else f"parser= must read both kinds of webhook (parse_inbound and parse_status); "
                f"{getattr(parser, '__name__', type(parser).__name__)} does not: pass e.g. "
                "TwilioWebhookParser()",
                field="parser",
            )
        _require_roles(ledger, history, outbox)
        _require_outbox_keywords(outbox)
        self._send_histories = _other_send_histories(pipeline, history)
        self.provider = provider
        self.pipeline = pipeline
        self.ledger = ledger
        self.history = history
        self.outbox = outbox
        self._verifier = verifier
        self._parser: WebhookParser = found_parser  # type: ignore[assignment]
        given = _sender_profiles(senders)
        _refuse_promotional_confirmations(given)
        self._given = given
        # Every profile, those without a number too: a messaging service's replies all
        # come to numbers not listed, so its scope must be covered.
        self._scope = scope if scope is not None else _common_scope(given)
        # Replies to one of our numbers, or through one of our Messaging Services, are
        # recorded in the narrowest scope covering every profile sending from it.
        self._senders, self._number_scopes = _shared_scopes(given, "sender_id", self._scope)
        # Twilio's opt-out stops the whole service, every program sending through it.
        self._services, self._service_scopes = _shared_scopes(
            given, "messaging_service", self._scope
        )
        self._status_callback = _status_callback_url(status_callback)
        self._suppression = suppression or SuppressionPolicy(history)
        self._health = health or HealthThresholds()
        self._retry_after = retry_after
        self._retry_cap = _retry_cap(retry_after, retry_cap, max_attempts)
        self._max_attempts = max_attempts
        self._in_flight = _lease(in_flight, "Messenger in_flight", "in_flight")
        self._provider_answers_keywords = keyword_replies == "provider"
        # A profile whose HELP answer gives no contact is logged once
        # (sender.help_no_contact): a program building its profiles in code sees what
        # `smskit check` prints. With keyword_replies="provider" too: smskit still
        # answers on a short code or abroad, and AIDE or AYUDA wherever the provider
        # does not match them.
        log_advice(given, logger)
        chain = getattr(ledger.store, "chain", None)  # PostgresConsentStore's tenant chain
        self._chain = chain if isinstance(chain, str) else None

    def _hold(self, number: str) -> AbstractContextManager[None]:
        """The person's lock, or nothing without a ``recipient_lock``.

        Keyed by E.164, as :meth:`_send` keys a send: a parser may give ``From`` as
        ``12125550123``, and a STOP locked under that spelling excluded no send.
        """
        if self._recipient_lock is None:
            return nullcontext()
        try:
            key = parse_number(number, region=self.ledger.region).e164
        except InvalidPhoneNumber:
            return nullcontext()  # a short code or a name: it holds no consent, nor races
        return self._recipient_lock.hold(key)

    # -- webhooks --------------------------------------------------------------

    def _verify(self, url: str, params: WebhookParams, headers: Mapping[str, str]) -> None:
        require_form(params, self.provider.name)  # before a "signature does not match"
        if self._verifier is None:
            return  # no signature to check: the headers are the parser's to read
        # Werkzeug's headers (Flask) are no Mapping and iterate as (name, value) pairs.
        pairs = header_pairs(headers, self.provider.name)
        given = {} if headers is None else headers
        if not self._verifier.verify(url, params, given):
            if not pairs:  # {} copied from an example: not the token's fault
                raise WebhookSignatureError(
                    "webhook not verified: no headers were given, and the signature travels "
                    "in one; pass the request's headers (request.headers); nothing was "
                    "recorded",
                    provider=self.provider.name,
                )
            if isinstance(self._verifier, TwilioSignatureVerifier) and not any(
                name.lower() == SIGNATURE_HEADER.lower() for name, _ in pairs
            ):
                raise WebhookSignatureError(
                    f"webhook not verified: no {SIGNATURE_HEADER} header among the "
                    f"{len(pairs)} given (a request not from Twilio, a proxy that drops "
                    "it, or a WSGI environ passed instead of the request's headers); "
                    "nothing was recorded",
                    provider=self.provider.name,
                )
            if isinstance(self._verifier, TelnyxSignatureVerifier):
                # Telnyx signs no URL and uses no auth token: say what did fail (a
                # stale timestamp, a parsed body, the public key).
                reason = self._verifier.failure(params, given)
                raise WebhookSignatureError(
                    reason or "webhook signature does not match the Telnyx public key; "
                    "nothing was recorded",
                    provider=self.provider.name,
                )
            if isinstance(self._verifier, TwilioSignatureVerifier):
                # Names the URL Twilio did sign when it is a near one (a proxy's
                # internal address, a trailing slash), and what to change.
                reason = self._verifier.failure(url, params, given)
                raise WebhookSignatureError(
                    f"webhook not verified: {reason or 'signature does not match'}; "
                    "nothing was recorded",
                    provider=self.provider.name,
                )
            raise WebhookSignatureError(
                "webhook signature does not match: check the auth token and that the URL "
                "is exactly the one the provider requested (scheme, host, port, query); "
                "nothing was recorded",
                provider=self.provider.name,
            )

    def scope_for(self, number: str, *, service: str | None = None) -> str:
        """The consent scope of replies to our ``number``: the ``consent_scope`` of the
        profile of the Messaging Service ``service`` (a SID given in ``senders=``; an
        opt-out to any number of a service's pool applies to the whole service), else
        of ``number``'s profile (a number, or a service's SID), else the messenger's
        ``scope``. Several profiles sending from one number or through one service
        share the narrowest scope covering all of theirs."""
        sid = self._known_service(service) or self._known_service(number)
        if sid is not None:
            return self._service_scopes[sid]
        return self._number_scopes.get(number, self._scope)

    def _opt_out_scope(self, number: str, service: str | None = None) -> str:
        """Where an opt-out to ``number`` (through ``service``) that the provider reported
        is recorded: the reply scope, widened to the profile's ``revocation_scope`` as
        ``handle_reply`` widens a STOP it reads (a 21610 is a STOP the person sent)."""
        scope = self.scope_for(number, service=service)
        profile = self._profile_of(number, service)
        wider = None if profile is None else profile.revocation_scope
        if wider is not None and ConsentScope.parse(wider).covers(ConsentScope.parse(scope)):
            return wider
        return scope

    def _profile_of(self, number: str, service: str | None = None) -> SenderProfile | None:
        """The profile replies to ``number`` (reached through ``service``, if the
        webhook named one) are handled with; ``number`` may be a service's SID, as the
        outbox and history record a send through it."""
        sid = self._known_service(service) or self._known_service(number)
        return self._services[sid] if sid is not None else self._senders.get(number)

    def _queued_profile(self, sender: str, request: SendRequest) -> SenderProfile | None:
        """The profile a request queued from ``sender`` (a number or a service's SID) is
        decided again with: the one of its scope, when several send from ``sender``
        (a review request queued is not judged as a reminder). ``None`` when a STOP to
        ``sender`` would not block the request: its scope not covered by the one this
        messenger records replies to ``sender`` in (rebuilt with other ``senders=`` since
        it was queued), it waits for a messenger that would."""
        if request.scope is not None and not ConsentScope.parse(
            self.scope_for(sender)
        ).covers(ConsentScope.parse(request.scope)):
            return None
        if request.scope is not None:
            # Its own, else the narrowest covering it (a request given a scope below its
            # profile's): not the number's first profile, whose texts are another's.
            asked = ConsentScope.parse(request.scope)
            mine = [(len(scope.key), -i, profile) for i, profile in enumerate(self._given)
                    if sender in (profile.sender_id, profile.messaging_service)
                    and profile.consent_scope
                    and (scope := ConsentScope.parse(profile.consent_scope)).covers(asked)]
            if mine:
                return max(mine, key=lambda found: found[:2])[2]
        return self._profile_of(sender)

    def _known_service(self, service: object) -> str | None:
        """``service`` if it is the SID of a profile in ``senders=``, else ``None``."""
        return service if isinstance(service, str) and service in self._services else None

    def _revoke_at_own_number(
        self, contact: str, number: str | None, service: str | None, at: datetime,
        evidence: Evidence, method: RevocationMethod, source: ConsentSource,
    ) -> None:
        """An opt-out through ``service`` that reached ``number``, a pool number with a
        profile of its own: recorded in that profile's scope too, unless the service's
        covers it. Twilio blocks the whole service, sends From ``number`` included; a
        STOP recorded in the service's scope alone would leave the number's own sends
        allowed, to the person who just texted STOP to it."""
        if service is None or number is None or number not in self._senders:
            return
        if not (evidence.reference or "").strip():
            return  # nothing to key it on (parsers require a message id)
        theirs = self._opt_out_scope(number)
        if ConsentScope.parse(self._opt_out_scope(number, service)).covers(
            ConsentScope.parse(theirs)
        ):
            return
        # Keyed on the same message as the service's revocation: once per scope.
        self.ledger.revoke_once(
            contact, scope=theirs, at=at, method=method, source=source,
            evidence=evidence, profile=self._senders[number],
        )

    def _require_reply_scope(self, sender: SenderProfile, asked: str | None = None) -> None:
        # A STOP to the sender's number is recorded in scope_for(number). Unless that
        # scope covers the one its sends are judged in (``asked``, the request's scope,
        # else the profile's), the engine never sees the STOP and the next message goes
        # out: refuse before anything is sent.
        if not isinstance(sender, SenderProfile):  # as the engine words it
            raise ConfigurationError(
                f"expected a SenderProfile, got {type(sender).__name__}", field="sender"
            )
        wanted = asked or sender.consent_scope
        ours = sender.sender_id or sender.messaging_service
        if not wanted or not ours:
            return
        replies = self.scope_for(ours)
        if not ConsentScope.parse(replies).covers(ConsentScope.parse(wanted)):
            if asked and asked != sender.consent_scope:
                raise ConfigurationError(
                    f"replies to {mask_sender(ours)} are recorded in consent scope "
                    f"{replies!r}, which does not cover this request's scope {wanted!r}: "
                    "a STOP to that number would not block it; send it with the profile "
                    "of its program (given in senders=), or leave request.scope out",
                    field="scope",
                )
            raise ConfigurationError(
                f"replies to {mask_sender(ours)} are recorded in consent scope "
                f"{replies!r}, which does not cover this sender's {wanted!r}: a STOP would "
                "not block its sends; give the profile in Messenger(senders=[...]) (or a "
                "scope= that covers it)",
                field="senders",
            )

    def handle_inbound(
        self, url: str, params: WebhookParams, headers: Mapping[str, str], at: datetime
    ) -> InboundResult:
        """Verify, parse, de-duplicate, record the reply in the ledger, send the auto-reply.

        The ledger is written before the auto-reply is sent, so a STOP holds even
        when the confirmation cannot go out (the result says why it did not). A
        keyword the provider's own handling matched (``OptOutType``) was answered by
        the provider: no auto-reply is sent; nor to a standard keyword when
        ``keyword_replies="provider"``.

        Raises:
            WebhookSignatureError: the signature does not verify; nothing recorded.
            ProviderResponseError: the webhook lacks required fields, or a field the
                history keeps (not the body) holds a NUL character.
        """
        self._verify(url, params, headers)
        inbound = self._parser.parse_inbound(params, headers)
        _refuse_nul_fields(
            self.provider.name, "inbound message", webhook_key=inbound.dedup_key,
            message_id=inbound.message_id, sender=inbound.sender, to=inbound.to,
        )
        # Under the person's lock (with a recipient_lock): a send another host has
        # decided goes out before this STOP is committed, and none decided after it;
        # the answer decided here (a HELP's) goes out before a STOP another host
        # handles next is committed, not after it.
        with self._hold(inbound.sender):
            return self._inbound_held(inbound, at)

    def _inbound_held(self, inbound: InboundMessage, at: datetime) -> InboundResult:
        """:meth:`handle_inbound` once the sender's lock (if any) is held."""
        # Read under the lock: a webhook whose handling waited for the lock may have been
        # retried meanwhile (unanswered within its timeout, 15 s at Twilio) and the retry
        # handled in full on another host; read before the wait, it was kept twice.
        if self.history.processed(inbound.dedup_key):
            return InboundResult(inbound, duplicate=True)
        service = self._known_service(inbound.messaging_service)
        outcome: ReplyOutcome | None
        try:
            outcome = self.ledger.handle_reply(
                inbound.sender,
                inbound.body,
                scope=self.scope_for(inbound.to, service=service),
                at=at,
                message_id=inbound.message_id,
                profile=self._profile_of(inbound.to, service),
            )
        except ConsentError:
            if _holds_consent(inbound.sender, self.ledger.region):
                raise
            # A short code, a named sender, or a number the ledger keeps no consent for
            # (a supplier's toll-free line): nobody's consent to record or answer, but
            # the message was received (and billed): keep it.
            outcome = None
            if _is_phone_number(inbound.sender):
                logger.info("inbound message from %s, a number that cannot hold consent",
                            mask_number(inbound.sender))
            else:
                # The webhook's text: a terminal escape in it is not written raw.
                logger.info("inbound message from a non-phone sender %s",
                            escaped(mask_sender(inbound.sender)))
        opted_out = self._provider_opt_out(inbound, outcome, at)
        event = None if outcome is None else outcome.event
        if event is not None and event.kind is EventKind.REVOKED:
            self._revoke_at_own_number(
                inbound.sender, inbound.to, service, at, event.evidence,
                event.revocation_method or RevocationMethod.KEYWORD, event.source,
            )
        profile = self._profile_of(inbound.to, service)
        self.history.record_message(
            MessageRecord(
                Direction.INBOUND,
                # Under the service's SID, as its sends are: usage and health of the
                # service's profile count the replies to any of its pool numbers.
                service or inbound.to,
                inbound.sender,
                at,
                inbound.num_segments or _segments_of(inbound.body),
                MessageKind.MMS if inbound.media else MessageKind.SMS,
                # Usage prices a reply on the route of the number it reached (a
                # toll-free number's replies are not 10DLC's), read off the number
                # where it is missing from senders=.
                route=_number_route(profile, inbound.to),
                provider_id=inbound.message_id,
                reply=_reply_kind(outcome),
            )
        )
        reply = None
        if outcome is not None and outcome.reply is not None and not self._answered(
            inbound, outcome
        ):
            message = OutboundMessage(
                # As the ledger read it: a parser may give "12125550123", and the
                # history keeps (and caps count) sends by E.164 only.
                to=normalize_recipient(inbound.sender, region=self.ledger.region),
                body=outcome.reply.text,
                sender=inbound.to,
                status_callback=self._status_callback,
                idempotency_key=f"{_REPLY_KEY}{inbound.message_id}",
            )
            meta = _Meta(
                Purpose.TRANSACTIONAL,
                None,
                count_segments(message.body),
                MessageKind.SMS,
                _number_route(profile, inbound.to),
                None,
                None,
            )
            send_by = outcome.reply.send_by
            extra = {
                "auto_reply": outcome.reply.kind.value,
                "send_by": None if send_by is None else send_by.isoformat(),
                # Whose reply this answers: send_due on a messenger of another scope
                # (another tenant's, sharing the outbox) leaves it for its own.
                "scope": self.scope_for(inbound.to, service=service),
                # And whose ledger: tenants told apart by chain alone (each its own
                # chain in one schema, as scale.md advised) all have scope "default".
                "chain": self._chain,
            }
            if service is not None:
                # A service of senders=: its pool number is ours though not listed.
                extra["service"] = service
            reply = self._deliver(message, meta, at, extra)
        self.history.mark_processed(inbound.dedup_key, at)
        return InboundResult(inbound, outcome=outcome, reply=reply, opted_out=opted_out)

    def _answered(self, inbound: InboundMessage, outcome: ReplyOutcome) -> bool:
        """Whether the provider answered ``inbound`` itself: a second answer would be a
        duplicate text, or after STOP a send refused with 21610."""
        if inbound.opt_out_type is not None:
            return True  # its own keyword handling matched (Twilio's OptOutType)
        if not self._provider_answers_keywords:
            return False
        if outcome.event is not None and outcome.event.kind is EventKind.CONFIRMED:
            # A double opt-in's confirmation carries the program's terms; the
            # provider's "resubscribed" text to a START does not stand for it.
            return False
        # The route of the number the reply reached, from its digits when it is missing
        # from senders= (a Messaging Service's new pool number). Only where the
        # provider's pages say it answers: not a standalone short code (TWILIO_RESERVED:
        # by default Twilio answers neither HELP nor STOP there), nor a long code abroad
        # (not on those pages).
        profile = self._profile_of(inbound.to, self._known_service(inbound.messaging_service))
        route = profile.route if profile is not None else _route_of_sender_id(inbound.to)
        # Telnyx answers fewer words than Twilio (no HELP, INFO, REVOKE, OPTOUT).
        table = _TELNYX_WORDS if self.provider.name == "telnyx" else _PROVIDER_WORDS
        words = table.get(route, frozenset())
        # Only a whole-word reply: a phrase ("please stop texting me") is the
        # classifier's reading, not the provider's, so nobody else answered it. And
        # matched as the provider's pages describe, no wider: ASCII letters, case aside,
        # plain spaces around. strip() and casefold() would go further (a no-break
        # space; "ſtop" folds to "stop"), and a STOP the provider did not match would
        # get no confirmation at all; a duplicate is the lesser harm.
        word = inbound.body.strip(" \t\r\n")
        return word.isascii() and word.lower() in words

    def _telnyx_blocks(self, inbound: InboundMessage) -> bool:
        """Whether Telnyx's default handling set a block rule on a reply whose event
        did not say (no ``autoresponse_type`` field at all): a sender whose keywords
        leave out one of its words (CANCEL, taken for "cancel my booking") would stay
        consented in the ledger while Telnyx refuses every send (40300). Matched as
        :meth:`_answered` does. An event with the field said what Telnyx did (STOP is
        ``opt_out_type``; null is nothing): no guess then, for a profile whose opt-out
        words were changed at Telnyx would have a guest's bare CANCEL revoke consent
        Telnyx kept."""
        if self.provider.name != "telnyx" or "autoresponse_type" in inbound.raw:
            return False
        word = inbound.body.strip(" \t\r\n")
        return word.isascii() and word.lower() in TELNYX_OPT_OUT

    def _provider_opt_out(
        self, inbound: InboundMessage, outcome: ReplyOutcome | None, at: datetime
    ) -> bool:
        """Revoke when the provider's own opt-out handling matched a message the ledger
        did not take as a revocation (a custom keyword set up at the provider): the
        provider blocks the number from now on, and the ledger must say so too, or the
        engine would keep allowing sends the provider refuses (Twilio 21610). No reply:
        the provider answers its own keywords."""
        if outcome is None:
            return False  # a short code or named sender, nobody to revoke
        if inbound.opt_out_type is not OptOutType.STOP and not self._telnyx_blocks(inbound):
            return False
        if outcome.event is not None and outcome.event.kind is EventKind.REVOKED:
            return False
        # What the audit shows: the provider's report, or smskit's reading of the word.
        reported = inbound.opt_out_type is OptOutType.STOP
        # Keyed on the message: a redelivery (a retry, another worker at the same
        # time) finds this revocation and records none at its later time, which
        # would undo a START sent since.
        service = self._known_service(inbound.messaging_service)
        evidence = Evidence(
            reference=f"{self.provider.name} opt-out keyword match on {inbound.message_id}"
            if reported
            else f"telnyx default opt-out word (inferred, no autoresponse_type) on "
            f"{inbound.message_id}",
            actor="smskit.messenger.provider_opt_out",
        )
        self.ledger.revoke_once(
            inbound.sender,
            scope=self._opt_out_scope(inbound.to, service),
            at=at,
            method=RevocationMethod.KEYWORD,
            evidence=evidence,
            # The number it reached: a toll-free one's network holds it for that number.
            profile=self._profile_of(inbound.to, service),
        )
        self._revoke_at_own_number(
            inbound.sender, inbound.to, service, at, evidence, RevocationMethod.KEYWORD,
            ConsentSource.API,
        )
        logger.info("provider-matched opt-out recorded for %s", mask_number(inbound.sender))
        return True

    def handle_status(
        self, url: str, params: WebhookParams, headers: Mapping[str, str], at: datetime
    ) -> StatusResult:
        """Verify, parse, de-duplicate and record a delivery report.

        ``unsubscribed`` (Twilio 21610) writes a provider-reported opt-out to the
        ledger, so the engine blocks the next send rather than the provider.

        Raises:
            WebhookSignatureError: the signature does not verify; nothing recorded.
            ProviderResponseError: the callback lacks required fields, or a field
                the history keeps holds a NUL character.
        """
        self._verify(url, params, headers)
        status = self._parser.parse_status(params, headers)
        _refuse_nul_fields(
            self.provider.name, "status callback", webhook_key=status.dedup_key,
            message_id=status.message_id, to=status.to, sender=status.sender,
            messaging_service=status.raw.get("MessagingServiceSid"),
            status=status.reported, error_code=status.error_code,
        )
        if self.history.processed(status.dedup_key):
            return StatusResult(status, duplicate=True)
        service = status.raw.get("MessagingServiceSid")
        # A report naming a service of senders= is recorded under its SID, as the send
        # was (From is the pool number Twilio picked), and an opt-out in it is the
        # service's.
        sender = self._known_service(service) or status.sender or service or "unknown"
        contact = status.to or "unknown"
        opted_out, suppressed = self._record_outcome(
            status.message_id,
            sender,
            contact,
            status.reported,
            status.category,
            status.error_code,
            at,
            pool_number=status.sender,
        )
        self.history.mark_processed(status.dedup_key, at)
        return StatusResult(status, opted_out=opted_out, suppressed=suppressed)

    def _record_outcome(
        self,
        provider_id: str,
        sender: str,
        contact: str,
        status: str,
        category: ErrorCategory | None,
        code: str | None,
        at: datetime,
        *,
        counted: bool = True,
        pool_number: str | None = None,
    ) -> tuple[bool, bool]:
        if counted:
            self.history.record_delivery(
                DeliveryRecord(
                    provider_id,
                    sender,
                    contact,
                    at,
                    status,
                    None if category is None else category.value,
                    code,
                )
            )
        opted_out = category is ErrorCategory.UNSUBSCRIBED and contact != "unknown"
        if opted_out:
            # Keyed on the report, as a provider-matched STOP is: a callback handled
            # again (a retry after a crash, another worker) records no revocation at
            # its later time, which would undo a START sent since.
            evidence = Evidence(
                reference=f"{self.provider.name} error {code} on {provider_id}",
                actor="smskit.messenger.provider_opt_out",
            )
            self.ledger.revoke_once(
                contact,
                scope=self._opt_out_scope(sender),
                at=at,
                method=RevocationMethod.API,
                evidence=evidence,
                # The number refused: a toll-free one's network holds the STOP for that
                # number until START or UNSTOP reaches it, not one to another number.
                profile=self._profile_of(sender),
            )
            # A report through a service (sender its SID) from a pool number that has
            # a profile of its own: Twilio refuses that number's sends too.
            self._revoke_at_own_number(
                contact, pool_number, self._known_service(sender), at, evidence,
                RevocationMethod.API, ConsentSource.API,
            )
            logger.info("provider-reported opt-out recorded for %s", mask_number(contact))
        suppressed = (
            category is not None
            and category.value in SUPPRESSING
            and self._suppression.suppressed(contact, at)
        )
        return opted_out, suppressed

    # -- reports ---------------------------------------------------------------

    def health(self, sender: str | SenderProfile, at: datetime) -> SenderHealth:
        """Delivery health of ``sender`` (its number, or the profile ``send`` takes)
        over the rolling window ending at ``at``."""
        return sender_health(self.history, sender, at, self._health)

    def usage(
        self,
        sender: str | SenderProfile,
        *,
        since: datetime,
        until: datetime,
        rates: RateCard | None = None,
        bundle: str | None = None,
        inbound_from_bundle: bool = False,
        toll_free_country: str | None = None,
    ) -> Usage:
        """Segments in and out of ``sender`` over ``(since, until]``, priced on ``rates``.

        See :func:`smskit.messenger.usage.usage`.
        """
        return usage(
            self.history,
            sender,
            since=since,
            until=until,
            rates=rates,
            bundle=bundle,
            inbound_from_bundle=inbound_from_bundle,
            toll_free_country=toll_free_country,
        )

    # -- sending ---------------------------------------------------------------

    def _deliver(
        self, message: OutboundMessage, meta: _Meta, at: datetime, extra: Mapping[str, object],
        queued: OutboxEntry | None = None,
    ) -> SendResult:
        """Reserve the key, then hand the message to the provider and record what came back.

        ``queued``: the key's queued entry as read before deciding; it is taken only
        if still that one (not after another worker's hand-over and requeue).
        """
        key = message.idempotency_key
        assert key is not None  # every caller sets it
        fresh = OutboxEntry(
            key=key,
            recipient=message.to,
            sender=_sent_from(message),
            state=OutboxState.RESERVED,
            created_at=at,
            updated_at=at,
            payload=_payload(message, meta, extra),
        )
        if queued is None:
            entry, created = self.outbox.reserve(fresh)
        else:
            # Read queued before deciding: taken by compare-and-set only. Gone since
            # (sent by another worker, then pruned), a reserve would make it a new
            # message and send it a second time.
            found, created = self.outbox.get(key), False
            if found is None:
                return _settled_and_pruned(key)
            entry = found
        if not created:
            early = self._existing(entry, at, fresh.payload, (message.to, message.body), queued)
            if early is not None:
                return early
            if entry.state.unresolved:
                # The lookup found nothing and queued it: take it out of the queue
                # before the hand-over, or the receipt could not be recorded.
                taken = self._claim(key, at, fresh.payload)
                if taken is not None:
                    return taken
        return self._hand_over(message, meta, key, at, _confirms_stop(extra))

    def _claim(
        self, key: str, at: datetime, payload: str | None = None,
        queued: OutboxEntry | None = None,
    ) -> SendResult | None:
        """Take a queued entry to send it; ``PENDING`` if another worker took it first.

        A compare-and-set on the entry as read (``queued``, else read now): the
        state machine alone lets an ``AMBIGUOUS`` entry become ``RESERVED``, so a
        worker that read the entry as due while another sent it and lost the
        provider's answer would send it a second time.
        """
        try:
            queued = queued if queued is not None else self.outbox.get(key)
            if queued is None or queued.state is not OutboxState.DEFERRED:
                raise OutboxConflictError(f"outbox entry {_shown_key(key)} is no longer queued")
            # Queued by a hand-over a cancel was asked for in flight, not yet marked
            # cancelled (its worker is about to, or died first): taken with this call's
            # payload, the note would be gone and the text sent (review rev29m).
            cancelled = self._finish_cancel(queued, at)
            if cancelled is not None:
                return cancelled
            self.outbox.update(key, OutboxState.RESERVED, at=at, payload=payload, expected=queued)
        except OutboxConflictError:
            return SendResult(
                SendOutcome.PENDING,
                key,
                reason="another worker took this key first; not sent again",
            )
        return None

    def _existing(
        self, entry: OutboxEntry, at: datetime, payload: str | None = None,
        asked: tuple[str | None, str | None] = (None, None), queued: OutboxEntry | None = None,
    ) -> SendResult | None:
        """The answer for a key already in the outbox, or ``None`` to send it now."""
        if entry.state is OutboxState.SENT:
            reason = f"already sent under this key ({entry.provider_id}); not sent again"
            other = _other_message(entry, *asked)
            if other:
                # A key reused for another message (the appointment's id for both its
                # reminder and its "on the way" text) is dropped: say so.
                reason += f", though it has {other}: give another message a key of its own"
                logger.warning("key %s reused for a message with %s to %s; not sent",
                               _shown_key(entry.key), other, mask_number(entry.recipient))
            return SendResult(SendOutcome.DUPLICATE, entry.key, reason=reason)
        if entry.state is OutboxState.FAILED:
            return SendResult(
                SendOutcome.FAILED,
                entry.key,
                reason=f"this key failed before ({entry.error}); use a new key to try again",
            )
        if entry.state in (OutboxState.CANCELLED, OutboxState.EXPIRED):
            # Spent, as a failed key is: a job retried after its cancel must not send
            # the message the cancel stopped.
            return SendResult(
                SendOutcome(entry.state.value),
                entry.key,
                reason=f"this key was {entry.state.value} ({entry.error}); not sent: use "
                "a new key for a new message",
            )
        if entry.state.unresolved:
            if _age(entry, at) < self._in_flight:
                return SendResult(
                    SendOutcome.PENDING,
                    entry.key,
                    reason="another attempt with this key is in flight; ask again later",
                )
            resolved = self._resolve(entry, at)
            if resolved is not None:
                return resolved
        else:  # DEFERRED: its time has come, take it out of the queue
            # What goes out now is what a lookup after a crash must look for. Compared
            # with the entry as read before deciding: one that another worker handed
            # over and queued again since then waits as that worker's failure said.
            if _other_message(entry, asked[0], None):
                # The outbox row names its number: the key is another message's.
                logger.warning("key %s reused for a message to another number than the "
                               "one queued for %s; not sent", _shown_key(entry.key),
                               mask_number(entry.recipient))
                return SendResult(
                    SendOutcome.DEFERRED, entry.key, not_before=entry.not_before,
                    queued=True, reason="a message to another number is queued under this "
                    "key; not sent: give another message a key of its own",
                )
            return self._claim(entry.key, at, payload, queued or entry)
        return None

    def _hand_over(
        self, message: OutboundMessage, meta: _Meta, key: str, at: datetime,
        confirms_stop: bool = False,
    ) -> SendResult:
        try:
            receipt = self.provider.send(message)
        except ProviderAmbiguousError as exc:
            if not self._handed(key, OutboxState.AMBIGUOUS, at, error=str(exc)):
                # No entry of ours says "look it up" now: reconcile will not ask for it.
                return SendResult(
                    SendOutcome.PENDING, key,
                    reason=f"the provider may have it, but {_MOVED}, so no reconcile() "
                    "will look for it: check the provider's log for this key by hand",
                )
            if getattr(self.provider, "lookup", None) is None:
                # Telnyx, email gateways: reconcile() would only say the same later.
                return SendResult(
                    SendOutcome.PENDING, key,
                    reason=f"the provider may have it, and {self.provider.name} cannot look "
                    "messages up, so reconcile() cannot tell: do not resend; its delivery "
                    "webhooks or its message log say whether it went",
                )
            return SendResult(
                SendOutcome.PENDING, key, reason="the provider may have it; reconcile() will tell"
            )
        except ProviderRejectedError as exc:
            return self._rejected(message, key, exc, at, confirms_stop)
        except ProviderError as exc:  # transport: certainly not sent
            return self._requeue(message, key, at, exc, None, None)
        except ConfigurationError as exc:
            # Refused before anything went out (EmailGatewayProvider: a number not
            # in its directory). Left reserved, the key would look in flight, then
            # unresolvable; failed, it says why and a new key can be sent.
            # Moved by another worker meanwhile, the key is left as it wrote it; the
            # caller's mistake is still what is raised.
            self._handed(key, OutboxState.FAILED, at, error=str(exc))
            raise
        if not self._handed(key, OutboxState.SENT, at, provider_id=receipt.message_id):
            # The text went out all the same: unrecorded, usage, health and frequency
            # caps would not count it. Recorded unless that worker found it by lookup
            # (then it recorded it).
            now = self.outbox.get(key)
            missed = ""
            if now is None or now.provider_id != receipt.message_id:
                missed = self._record_sent(message, meta, receipt, key, at)
            return SendResult(SendOutcome.SENT, key, receipt, reason=f"sent; {_MOVED}{missed}",
                              unrecorded=bool(missed))
        missed = self._record_sent(message, meta, receipt, key, at)
        return SendResult(SendOutcome.SENT, key, receipt, reason=f"sent{missed}",
                          unrecorded=bool(missed))

    def _handed(
        self, key: str, state: OutboxState, at: datetime, *,
        provider_id: str | None = None, not_before: datetime | None = None,
        error: str | None = None, again: bool = True,
    ) -> bool:
        """Move ``key`` after the provider answered; ``False`` if another worker moved it.

        That is a ``reconcile`` (or ``send`` of the key) that judged the reservation
        stale, and queued, sent or found the key itself: this hand-over took longer
        than the ``in_flight`` lease, or the other worker's ``at`` ran ahead of this
        one's. Its
        entry is left as it wrote it (overwriting it would undo its send or its
        queue), and the caller still records what the provider told this worker, so
        the batch goes on and no text or refusal goes uncounted. Only that race is
        absorbed: any other store error still raises.

        A move saying this worker sent nothing (``DEFERRED``, ``FAILED``) is also
        refused over another worker's hand-over: an unresolved entry this worker did
        not leave (not reserved at ``at``). ``reserved -> deferred`` is a move, so the
        plain update queued a key the other worker was sending, and the next
        ``send_due`` sent it a second time.
        """
        try:
            expected = None
            if state in (OutboxState.DEFERRED, OutboxState.FAILED):
                expected = self.outbox.get(key)  # gone: the update raises StoreError
                if expected is not None and expected.state.unresolved and not (
                    expected.state is OutboxState.RESERVED
                    and same_instant(expected.updated_at, at)
                ):
                    raise OutboxConflictError(f"outbox entry {_shown_key(key)} is another worker's "
                                              f"hand-over ({expected.state.value})")
            self.outbox.update(
                key, state, at=at, provider_id=provider_id, not_before=not_before,
                error=error, attempted=True, expected=expected,
            )
        except OutboxConflictError:
            if state in (OutboxState.SENT, OutboxState.AMBIGUOUS) and self._take_back(key, at):
                return self._handed(key, state, at, provider_id=provider_id, error=error)
            if state is OutboxState.SENT and provider_id is not None and self._late_receipt(
                key, at, provider_id
            ):
                return True
            if again and state in (OutboxState.DEFERRED, OutboxState.FAILED) and (
                self._noted_meanwhile(key, at)
            ):
                # A cancel's note, not another worker: the entry is still this worker's.
                return self._handed(key, state, at, not_before=not_before, error=error,
                                    again=False)
            logger.warning("outbox key %s moved by another worker while it was being sent; "
                           "left as that worker wrote it (a hand-over longer than in_flight?)",
                           _shown_key(key))
            return False
        return True

    def _noted_meanwhile(self, key: str, at: datetime) -> bool:
        """Whether ``key`` is still this worker's reservation (made at ``at``), changed
        only by a cancel's note since it was read (:meth:`_note_cancel`)."""
        now = self.outbox.get(key)
        return (
            now is not None and now.state is OutboxState.RESERVED
            and same_instant(now.updated_at, at)
            and _cancel_asked(now) is not None
        )

    def _late_receipt(self, key: str, at: datetime, provider_id: str) -> bool:
        """Correct ``key`` to ``SENT`` if another worker marked it as never sent.

        This hand-over outlived the lease: another worker looked the key up, found
        nothing yet, queued it, and it was then cancelled, expired or failed. The
        provider took the text all the same, so a row saying "not sent" (a
        cancelled appointment reminder that went out) would lie to whoever reads
        it, and ``cancel`` would keep answering ``CANCELLED``. A compare-and-set on
        the row as read, carrying the provider's id; the old state and why are
        kept in ``error``.
        """
        found = self.outbox.get(key)
        if found is None or found.state not in LATE_RECEIPT:
            return False
        note = (f"sent after all by a hand-over that outlived its in_flight lease; it was "
                f"marked {found.state.value} meanwhile ({found.error})")
        try:
            self.outbox.update(key, OutboxState.SENT, at=at, provider_id=provider_id,
                               error=note, attempted=True, expected=found)
        except OutboxConflictError:
            return False
        logger.warning("outbox key %s was %s but its stalled hand-over was sent after all; "
                       "corrected to sent", _shown_key(key), found.state.value)
        return True

    def _take_back(self, key: str, at: datetime) -> bool:
        """Reserve ``key`` again if the other worker only queued it (``DEFERRED``).

        A text that went out (or may have) must not stay queued: the next
        ``send_due`` would send it again without a lookup. A compare-and-set on the
        entry as read, so a worker that took the queued key first keeps it.
        """
        queued = self.outbox.get(key)
        if queued is None or queued.state is not OutboxState.DEFERRED:
            return False
        try:
            self.outbox.update(key, OutboxState.RESERVED, at=at, expected=queued)
        except OutboxConflictError:
            return False
        return True

    def _requeue(
        self,
        message: OutboundMessage,
        key: str,
        at: datetime,
        exc: ProviderError,
        category: ErrorCategory | None,
        code: str | None,
    ) -> SendResult:
        entry = self.outbox.get(key)
        attempts = (entry.attempts if entry is not None else 0) + 1  # this one included
        if attempts >= self._max_attempts:
            error = f"gave up after {attempts} attempt{'s' * (attempts > 1)}: {exc}"
            moved = self._handed(key, OutboxState.FAILED, at, error=error)
            if category is not None and category not in _BUSY:
                # Refused to the end (a handset unreachable every time): a failed message
                # in delivery health, as one refused outright is. Not after transport
                # errors, nor refusals that say the provider was busy or broken (429s,
                # Twilio's "never processed"; its internal error): neither says anything
                # of this sender's traffic, and an outage or a 429 storm would halt every
                # sender's marketing for a day after it.
                sender = _sent_from(message)
                self._record_outcome(
                    f"gave-up:{key}", sender, message.to, "failed", category, code, at
                )
            if not moved:
                return self._as_left(key, error, category, code)
            return SendResult(
                SendOutcome.FAILED, key, category=category, code=code,
                reason=f"{error}; use a new key to try again",
            )
        # In float seconds, capped before it becomes a timedelta: doubling a long
        # retry_after many times would overflow timedelta.
        seconds = self._retry_after.total_seconds() * 2.0 ** min(attempts - 1, 64)
        backoff = timedelta(seconds=min(seconds, self._retry_cap.total_seconds()))
        wait = min(max(backoff, exc.retry_after or timedelta(0)), self._retry_cap)
        not_before = _elapsed(at, wait)
        if not self._handed(key, OutboxState.DEFERRED, at, not_before=not_before, error=str(exc)):
            # Certainly not sent by this worker, and not queued by it either: the
            # other worker settled the key meanwhile.
            return self._as_left(key, f"{exc}; not queued to retry", category, code)
        cancelled = self._finish_cancel(self.outbox.get(key), at)
        if cancelled is not None:
            return replace(cancelled, category=category, code=code,
                           reason=f"{exc}; {cancelled.reason}")
        send_by = _queued_send_by(entry)
        if send_by is not None and _after(not_before, send_by):
            # Worthless by the time it may be retried: expired now, not answered
            # "queued to retry" for a text send_due would only mark expired later.
            error = (f"{exc}; send_by {send_by.isoformat()} is before it may be retried "
                     f"({not_before.isoformat()})")
            try:  # compare-and-set: a cancel (or a text sent again) may come first
                queued = self.outbox.get(key)
                if queued is None or queued.state is not OutboxState.DEFERRED:
                    raise OutboxConflictError(f"outbox entry {_shown_key(key)} is no longer queued")
                self.outbox.update(key, OutboxState.EXPIRED, at=at, not_before=not_before,
                                   error=error, expected=queued)
            except OutboxConflictError:
                return self._as_left(key, f"{exc}; not queued to retry", category, code)
            return SendResult(SendOutcome.EXPIRED, key, category=category, code=code,
                              reason=f"{error}; marked expired, not sent")
        return SendResult(
            SendOutcome.FAILED,
            key,
            not_before=not_before,
            queued=True,
            category=category,
            code=code,
            reason=f"{exc}; queued to retry from {not_before.isoformat()}",
        )

    def _as_left(
        self, key: str, why: str, category: ErrorCategory | None, code: str | None
    ) -> SendResult:
        """The answer for a key this worker's failed hand-over (nothing sent) could not
        move, as another worker left it: this call will not retry it, so ``PENDING``
        would promise a send that never comes.

        ``why`` says how this attempt failed; the outcome is the key's: ``DUPLICATE``
        when the other worker sent it, ``FAILED`` when it failed it.
        """
        entry = self.outbox.get(key)
        if entry is None:
            return SendResult(
                SendOutcome.PENDING, key, category=category, code=code,
                reason=f"{why}: another worker settled this key meanwhile and a prune "
                "removed it since; whether it was sent is not known here (your send log)",
            )
        if entry.state is OutboxState.SENT:
            # This attempt's error says nothing of the text that went out.
            return SendResult(
                SendOutcome.DUPLICATE, key,
                reason=f"{why}: another worker sent this key meanwhile ({entry.provider_id}); "
                "not sent again",
            )
        if entry.state is OutboxState.FAILED:
            return SendResult(
                SendOutcome.FAILED, key, category=category, code=code,
                reason=f"{why}: another worker failed this key meanwhile ({entry.error}); "
                "use a new key to try again",
            )
        if entry.state in (OutboxState.CANCELLED, OutboxState.EXPIRED):
            return SendResult(
                SendOutcome(entry.state.value), key, category=category, code=code,
                reason=f"{why}: this key was {entry.state.value} meanwhile ({entry.error}); "
                "not sent",
            )
        # The other worker holds the key: its hand-over is under way (or ended maybe
        # sent), or an outbox of one's own refused the move.
        return SendResult(
            SendOutcome.PENDING, key, category=category, code=code,
            reason=f"{why}: another worker holds this key ({entry.state.value}) and "
            "sends or looks it up; not retried by this call",
        )

    def _rejected(
        self, message: OutboundMessage, key: str, exc: ProviderRejectedError, at: datetime,
        confirms_stop: bool = False,
    ) -> SendResult:
        category = exc.category or ErrorCategory.UNKNOWN
        code = exc.provider_code
        # The error's own flag, not the category's: a provider may know better
        # (a 429 is safe to retry whatever its code), and follows the category
        # when it does not say.
        if exc.retryable:
            return self._requeue(message, key, at, exc, category, code)
        moved = self._handed(key, OutboxState.FAILED, at, error=f"{category.value} ({code})")
        sender = _sent_from(message)
        # The confirmation of a STOP refused as unsubscribed: the provider's own STOP
        # handling answered and blocked the number (Twilio's default on long codes).
        # Recorded in the ledger, but no failed message of this sender's: each STOP
        # counted twice. Any other send refused so (a HELP answer, a key of the
        # caller's that starts "reply:") is the only word of an opt-out we never saw.
        counted = not (category is ErrorCategory.UNSUBSCRIBED and confirms_stop)
        self._record_outcome(
            f"rejected:{key}", sender, message.to, "failed", category, code, at, counted=counted
        )
        if not moved:
            # The key's state, as after the last retry's refusal: "failed" for a key
            # another worker sent told the caller to send it again under a new key.
            return self._as_left(key, str(exc), category, code)
        return SendResult(SendOutcome.FAILED, key, category=category, code=code, reason=str(exc))

    def _record_sent(
        self, message: OutboundMessage, meta: _Meta, receipt: SendReceipt, key: str, at: datetime
    ) -> str:
        """Record a message the provider took in the history (and every send history
        the pipeline reads); ``""``, or what to add to the result's reason when a
        history could not record it.

        The text went out and the outbox already says so: a ``StoreError`` raised from
        here told the caller the send failed (a retry under a new key sends it twice)
        and stopped a ``send_due`` batch. It is logged and said in the answer instead;
        usage, delivery health and frequency caps then do not count this text.
        """
        record = MessageRecord(
            Direction.OUTBOUND,
            _sent_from(message),
            message.to,
            at,
            receipt.segments if receipt.segments is not None else meta.segments,
            meta.kind,
            meta.route,
            meta.purpose,
            meta.subject,
            receipt.message_id,
            key,
            cost=meta.cost,
            currency=meta.currency,
        )
        # Each history on its own: one that fails does not keep the text from the
        # others (usage, or a cap reading another store, would miss it as well).
        missed: list[str] = []
        try:
            self.history.record_message(record)
        except StoreError as exc:
            logger.warning("outbox key %s was sent but the message history could not "
                           "record it (%s); usage and frequency caps do not count it",
                           _shown_key(key), exc)
            missed.append(f"the history could not record it ({exc}): usage and "
                          "frequency caps do not count this text")
        for other in self._send_histories:
            try:
                other.record(_send_record(record))
            except StoreError as exc:
                logger.warning("outbox key %s was sent but a send history caps read could "
                               "not record it (%s); caps reading it do not count it",
                               _shown_key(key), exc)
                missed.append(f"a send history caps read could not record it ({exc}): "
                              "caps reading it do not count this text")
        return "".join(f"; but {text}" for text in missed)

    def _resolve(self, entry: OutboxEntry, at: datetime) -> SendResult | None:
        """Ask the provider whether it holds an unresolved entry's message.

        Returns the result when it does (recorded as sent) or when it cannot be
        asked (still pending); ``None`` when it certainly does not: the entry is
        then queued (``DEFERRED``, due now), to be decided and sent again, unless a
        cancel was asked for while it was in flight (then ``CANCELLED``).
        """
        try:
            message, meta = _from_payload(entry)
        except (LookupError, TypeError, ValueError, ArithmeticError) as error:
            # A damaged row: nothing to look up with, and the provider may hold it, so it
            # is neither resent nor failed; reconcile goes on with the other rows.
            return SendResult(
                SendOutcome.PENDING,
                entry.key,
                reason=f"the unresolved entry cannot be read ({type(error).__name__}); not "
                "looked up or sent: check what wrote its payload and resolve this key by hand",
            )
        lookup = getattr(self.provider, "lookup", None)
        if lookup is None:
            return SendResult(
                SendOutcome.PENDING,
                entry.key,
                reason=f"{self.provider.name} cannot look messages up; resolve this key by hand",
            )
        try:
            receipt: SendReceipt | None = lookup(message, entry.created_at)
        except ProviderError as exc:
            return SendResult(SendOutcome.PENDING, entry.key, reason=f"lookup failed: {exc}")
        # Compare-and-set against the entry as read: another caller may have
        # resolved the same stale entry meanwhile and be sending it right now.
        try:
            if receipt is None:
                self.outbox.update(
                    entry.key,
                    OutboxState.DEFERRED,
                    at=at,
                    not_before=at,
                    error="not found at the provider; queued to send again",
                    expected=entry,
                )
                return self._finish_cancel(self.outbox.get(entry.key), at)
            self.outbox.update(
                entry.key, OutboxState.SENT, at=at, provider_id=receipt.message_id, expected=entry
            )
        except OutboxConflictError:
            return SendResult(
                SendOutcome.PENDING,
                entry.key,
                reason="another caller resolved this key first; not sent again",
            )
        # When it was handed over (the last move: the claim or the ambiguous mark), not
        # when it was queued: a text queued on Friday for Monday counts on Monday.
        missed = self._record_sent(message, meta, receipt, entry.key, entry.updated_at)
        return SendResult(SendOutcome.SENT, entry.key, receipt, reason=f"found by lookup{missed}",
                          unrecorded=bool(missed))

    def reconcile(
        self, at: datetime, *, resend: bool = True, older_than: timedelta = timedelta(0)
    ) -> tuple[SendResult, ...]:
        """Resolve every unresolved outbox entry at least ``in_flight`` old (run it on
        start-up, before sending, and on a schedule).

        Each ``RESERVED`` or ``AMBIGUOUS`` entry is looked up at the provider:
        found, it is recorded as sent; certainly not found, it is queued and, when
        ``resend``, sent at once the way :meth:`send_due` sends (a request is
        decided again: consent may have changed since the crash); when the
        provider cannot be asked, it stays pending. Nothing is sent twice: a message is only
        sent again after the provider said it does not have it.

        Only entries whose last move is at least the messenger's ``in_flight``
        lease before ``at`` are taken (``older_than`` can make that longer, never
        shorter): a younger one may be another worker's send in progress, which
        the provider does not hold yet, so a lookup would find nothing and the
        text would go out twice. Run it on start-up and on a schedule: entries
        left younger than the lease are resolved by a later run.
        """
        _aware(at, "at")  # waits are judged in UTC: a naive time would be the host's
        # Checked before any row is read: a bad value would otherwise pass unnoticed
        # until the day a crash leaves a row to resolve.
        older_than = _lease(older_than, "reconcile older_than", "older_than")
        # Never shorter than the in-flight lease: a younger row may be a send another
        # worker has under way. The provider does not hold its text yet, so a lookup
        # finds nothing and the row would go out twice (it did, with older_than=0).
        lease = max(older_than, self._in_flight)
        results = []
        for entry in self.outbox.unresolved():
            if _age(entry, at) < lease or self._others_answer(entry):
                # Another messenger's answer is looked up at its own provider, not ours
                # (where it is not, so it would be queued and sent a second time).
                continue
            resolved = self._resolve(entry, at)
            if resolved is not None:
                results.append(resolved)
                continue
            queued = self.outbox.get(entry.key)
            if resend and queued is not None:
                results.append(self._send_entry(queued, at))
            else:
                results.append(
                    SendResult(
                        SendOutcome.DEFERRED,
                        entry.key,
                        not_before=at,
                        queued=True,
                        reason="not found at the provider; queued",
                    )
                )
        return tuple(results)

    def cancel(self, key: str, at: datetime, *, reason: str = "cancelled") -> CancelOutcome:
        """Stop the message queued under ``key`` (a deferred or scheduled request, a
        retry waiting out its backoff) from going out; say what became of it.

        The entry is kept, marked ``CANCELLED`` with ``reason`` and ``at``, for the
        record (``prune_outbox`` removes it with the other final entries). Safe
        beside :meth:`send_due` on any host: the cancel and a worker's claim are
        both compare-and-set moves of the queued entry, so exactly one wins. A
        message already handed to the provider cannot be taken back: the answer
        says so (``SENT``, ``IN_FLIGHT``). ``IN_FLIGHT`` is not final, but the
        cancel is recorded in the entry: a hand-over that then fails sending
        nothing, or whose lookup finds nothing, ends ``CANCELLED`` rather than
        queued to retry; one the provider took ends ``SENT``. Ask again once it is
        settled to learn which. Calling it again answers ``CANCELLED``
        again. A later :meth:`send` under a cancelled key sends nothing
        (``CANCELLED``), as under a failed key: give a new message a new key.

        Args:
            key: the idempotency key the message was sent or queued with.
            at: now (aware): recorded as when it was cancelled.
            reason: recorded in the entry's ``error`` (one line, yours).

        Raises:
            ConfigurationError: an empty key or one holding half a surrogate pair (no
                outbox can hold it), a naive ``at`` or a reason not text.
        """
        _aware(at, "at")
        if not isinstance(key, str) or not key:
            raise ConfigurationError("cancel needs the message's idempotency key", field="key")
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigurationError("cancel reason must be non-empty text", field="reason")
        while True:
            entry = self.outbox.get(key)
            if entry is None:
                return CancelOutcome.UNKNOWN
            if entry.state.unresolved:
                if self._note_cancel(entry, at, reason):
                    return CancelOutcome.IN_FLIGHT
                continue  # moved since it was read: answered from its new state
            if entry.state is not OutboxState.DEFERRED:
                return _CANCEL_ANSWERS[entry.state]
            try:
                self.outbox.update(
                    key, OutboxState.CANCELLED, at=at, not_before=entry.not_before,
                    error=reason, expected=entry,
                )
            except OutboxConflictError as exc:
                # Moved since it was read: claimed by a worker (answered from its new
                # state on the next pass) or queued again with a new text or wait
                # (cancelled on the next pass). Every pass follows another's progress;
                # an entry still as read was refused by the store itself.
                if self.outbox.get(key) == entry:
                    raise StoreError(
                        f"{type(self.outbox).__name__} refused to mark {_shown_key(key)} cancelled "
                        f"({exc}); an outbox of your own must allow deferred -> cancelled "
                        "(see docs/messenger.md)"
                    ) from exc
                continue
            return CancelOutcome.CANCELLED

    def _note_cancel(self, entry: OutboxEntry, at: datetime, reason: str) -> bool:
        """Record in an entry in flight that a cancel was asked for; ``False`` if the
        entry moved since it was read.

        Too late to stop this hand-over, but not a retry: if it ends with nothing
        sent (a timeout before the provider took it, a 429), or a lookup finds
        nothing, the key ends ``CANCELLED`` instead of queued to go again
        (:meth:`_finish_cancel`). A note in the payload, written back at the
        entry's own ``updated_at`` (its lease and its worker's claim unchanged),
        by compare-and-set.
        """
        if _cancel_asked(entry) is not None:
            return True  # asked before: the first request's time and reason stand
        try:
            data = json.loads(entry.payload)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return True  # a damaged row: nothing to note it in (reconcile says so)
        data["cancel_requested"] = {"at": at.isoformat(), "reason": reason}
        try:
            self.outbox.update(
                entry.key, entry.state, at=entry.updated_at, not_before=entry.not_before,
                error=entry.error, payload=json.dumps(data, sort_keys=True), expected=entry,
            )
        except OutboxConflictError:
            # Still as read: an outbox of one's own refused the note. The answer is
            # in_flight all the same; a failed hand-over is then queued to retry.
            return self.outbox.get(entry.key) == entry
        return True

    def _finish_cancel(self, entry: OutboxEntry | None, at: datetime) -> SendResult | None:
        """Cancel a queued entry whose cancel was asked for while it was in flight;
        ``None`` if none was (or it is not queued)."""
        if entry is None or entry.state is not OutboxState.DEFERRED:
            return None
        asked = _cancel_asked(entry)
        if asked is None:
            return None
        try:
            self.outbox.update(entry.key, OutboxState.CANCELLED, at=at,
                               not_before=entry.not_before, error=asked, expected=entry)
        except OutboxConflictError:
            return SendResult(SendOutcome.PENDING, entry.key,
                              reason="another worker took this key first; not sent again")
        return SendResult(
            SendOutcome.CANCELLED, entry.key,
            reason=f"cancelled while in flight ({asked}); that hand-over sent nothing, "
            "so it is not sent again",
        )

    def send(
        self,
        request: SendRequest,
        sender: SenderProfile,
        at: datetime,
        *,
        queue: bool = False,
        media_urls: Iterable[str] = (),
    ) -> SendResult:
        """Decide, reserve the key, send through the provider, record; say what happened.

        The request's ``idempotency_key`` is required: it is reserved in the
        outbox before the provider is called, so it is sent at most once, even
        across a crash (see :meth:`reconcile`). A key already sent answers
        ``DUPLICATE`` without deciding again; a blocked request reserves nothing.

        Args:
            request: what to send.
            sender: the sending profile (``sender_id`` is the number sent from;
                or its ``messaging_service``, the Twilio Messaging Service sent
                through, which picks the number).
            at: now (aware).
            queue: keep a deferred request in the outbox for :meth:`send_due`.
            media_urls: public URLs of the media to attach (the engine judges
                ``request.media``; the provider needs URLs): one per file of
                ``request.media`` when it has any.

        Raises:
            ConfigurationError: no idempotency key, ``request.media`` without a URL
                for each file, ``media_urls`` without ``request.media``, a queued
                request with local media as bytes or paths (text, URLs and
                :class:`MediaInfo` can wait in the outbox), a sender profile with
                neither a ``sender_id`` nor a ``messaging_service``, or a sender whose replies
                this messenger records in a scope that does not cover the sender's
                ``consent_scope`` (give it in ``senders=``), or the request's ``scope``
                (``field="scope"``).
        """
        return self._send(request, sender, at, queue=queue, media_urls=media_urls)

    def _send(
        self,
        request: SendRequest,
        sender: SenderProfile,
        at: datetime,
        *,
        queue: bool,
        media_urls: Iterable[str],
        read: OutboxEntry | None = None,
    ) -> SendResult:
        """:meth:`send`; ``read``: the queued entry ``send_due`` read for this key.

        With a ``recipient_lock`` the whole send, from the decision to the record,
        holds the recipient's lock: caps read then count every other host's send.
        """
        _aware(at, "at")  # waits are judged in UTC: a naive time would be the host's
        # As decide does, and before the lock's key is read off the request: not an
        # AttributeError for something that is not a SendRequest.
        _check_inputs(request, sender)
        phone = _parse(request) if self._recipient_lock is not None else None
        with ExitStack() as stack:
            # No number: the engine blocks it, unlocked.
            busy = None if phone is None else self._lock_for(phone.e164, read, stack)
            if busy is not None:
                return busy
            return self._send_held(
                request, sender, at, queue=queue, media_urls=media_urls, read=read
            )

    def _lock_for(
        self, number: str, queued: OutboxEntry | None, stack: ExitStack
    ) -> SendResult | None:
        """Take ``number``'s lock into ``stack``; ``None`` once held.

        For a queued entry (``send_due``, ``reconcile``) a lock another host holds past
        its timeout (a retryable ``StoreError``: nothing was decided or reserved) leaves
        the entry due and answers it ``pending``: raised, it ended the batch, and every
        other person's entry waited behind that one person's, batch after batch. A
        direct send raises it for its caller to retry.
        """
        try:
            stack.enter_context(self._hold(number))
        except StoreError as exc:
            if queued is None or not exc.retryable:
                raise
            return SendResult(SendOutcome.PENDING, queued.key,
                              reason=f"left queued, to be sent by a later batch: {exc}")
        return None

    def _send_held(
        self,
        request: SendRequest,
        sender: SenderProfile,
        at: datetime,
        *,
        queue: bool,
        media_urls: Iterable[str],
        read: OutboxEntry | None = None,
    ) -> SendResult:
        """:meth:`_send` once the recipient's lock (if any) is held."""
        key = request.idempotency_key
        if key is None:
            raise ConfigurationError(
                "send needs request.idempotency_key: it is what makes a retry safe "
                "(use your message or job id)",
                field="idempotency_key",
            )
        _refuse_nul_request(request)
        self._require_reply_scope(sender, request.scope)
        if request.scope is None and sender.consent_scope:
            # Kept with the scope it is judged in: queued, it is decided again with a
            # profile of its number, and several may send from one (reminders, reviews).
            request = replace(request, scope=sender.consent_scope)
        if not sender.sender_id and not sender.messaging_service:
            # The engine judges a profile without a number (a campaign plan); the
            # messenger needs a "from".
            raise ConfigurationError(
                "the sender profile has no sender_id and no messaging_service: give the "
                "number sent from (E.164, short code or alphanumeric ID), or the Twilio "
                "Messaging Service SID to send through (MG...)",
                field="sender",
            )
        if sender.messaging_service and self.provider.name == "telnyx":
            # Telnyx would take the SID as a messaging profile id, and refuse it only
            # after the key was reserved.
            raise ConfigurationError(
                "the sender profile sends through a Twilio Messaging Service, and this "
                "messenger's provider is Telnyx: give the profile a sender_id (a Telnyx "
                "number) instead",
                field="sender",
            )
        if isinstance(media_urls, str | bytes):
            # tuple() of a string is its characters: "30 URLs" said nothing of the slip.
            raise ConfigurationError(
                "media_urls takes a list of URLs, not one string: write media_urls=[url]",
                field="media_urls",
            )
        urls = tuple(media_urls)
        if urls and not request.media and read is None:
            # The provider would fetch and send the media as an MMS the engine judged as
            # an SMS: no size or type check, consent read for SMS, recorded and billed as
            # SMS segments. (An entry queued by an older smskit kept URLs without media
            # facts; send_due leaves it to the engine as documented.)
            raise ConfigurationError(
                f"media_urls gives {len(urls)} URL(s) but request.media holds no "
                "attachment: give each file (or its sniff_media() result) in "
                "request.media, in the same order, so the engine checks it as the MMS "
                "it is",
                field="media_urls",
            )
        if request.media and len(urls) != len(request.media):
            # The engine judges the files, the provider fetches the URLs: without one
            # URL a file, the text went out alone (or with other media) as if checked.
            raise ConfigurationError(
                f"request.media holds {len(request.media)} attachment(s) but media_urls "
                f"{len(urls)}: give the public URL of each file the engine checks, in "
                "the same order (the provider fetches media by URL)",
                field="media_urls",
            )
        entry = self.outbox.get(key)
        if entry is None and read is not None:
            return _settled_and_pruned(key)
        if read is not None and entry is not None and entry.state is OutboxState.DEFERRED and (
            not same_entry(entry, read)
        ):
            # Moved since send_due read it: a caller sent it again with a new text (or
            # another worker requeued it). The request decided here is the one read:
            # taken now, the text the caller replaced went out.
            return SendResult(
                SendOutcome.PENDING, key,
                reason="the queued entry changed since it was read (sent again under its "
                "key, or requeued); left for the next send_due",
            )
        if entry is not None and entry.state is not OutboxState.DEFERRED:
            phone = _parse(request)  # compared with the number the key was sent to
            early = self._existing(
                entry, at, asked=(None if phone is None else phone.e164, request.body)
            )
            if early is not None:
                return early
            entry = self.outbox.get(key)  # not found at the provider: queued now
        cancelled = self._finish_cancel(entry, at)
        if cancelled is not None:
            return cancelled
        if request.send_by is not None and _after(at, request.send_by):
            phone = _parse(request)
            return self._expire(
                key, entry, read, at, request.send_by, None, None if phone is None else phone.e164
            )
        waiting = None
        if (
            entry is not None and entry.state is OutboxState.DEFERRED and entry.attempts
            and entry.not_before is not None
            and entry.not_before.astimezone(UTC) > at.astimezone(UTC)  # not by wall clock
        ):
            # Handed over before and queued to wait (the provider's Retry-After, the
            # backoff): a caller retrying its job with the same key must not cut it short.
            if not _queueable(request):
                raise _cannot_wait(queued_already=True)
            waiting = entry
        decision = self.pipeline.decide(request, sender, at)
        if decision.verdict is Verdict.BLOCK:
            reason = decision.reason
            if entry is not None and entry.state is OutboxState.DEFERRED:
                if read is None and (
                    not decision.recipient or _other_message(entry, decision.recipient, None)
                ):
                    # A caller's request for another number (or for a number that is no
                    # number): the message queued for the number the entry names is not
                    # this call's to cancel.
                    logger.warning("key %s reused for a message to another number than the "
                                   "one queued for %s; blocked, the queued one left as it is",
                                   _shown_key(key), mask_number(entry.recipient))
                    return SendResult(SendOutcome.BLOCKED, key, decision=decision, reason=(
                        f"{reason}; a message to another number is queued under this key: "
                        "left as it is, give another message a key of its own"))
                try:  # not over another worker's claim or send of it
                    self.outbox.update(
                        key, OutboxState.FAILED, at=at, error=decision.reason, expected=entry
                    )
                except OutboxConflictError:
                    return _taken(key, decision)
                reason += "; the message queued under this key is cancelled (marked failed)"
            return SendResult(SendOutcome.BLOCKED, key, reason=reason, decision=decision)
        message = OutboundMessage(
            to=decision.recipient,
            body=decision.body,
            sender=sender.sender_id or None,
            messaging_service=sender.messaging_service or None,
            media_urls=urls,
            status_callback=self._status_callback,
            idempotency_key=key,
        )
        meta = _Meta(
            request.purpose,
            request.subject,
            decision.segments,
            MessageKind.MMS if urls or request.media else MessageKind.SMS,
            sender.route,
            decision.cost,
            decision.currency,
        )
        if waiting is not None:
            # The wait held is the later of the backoff's and the engine's deferral.
            if request.send_by is not None and (
                _after(waiting.not_before or at, request.send_by)
                or (decision.not_before is not None
                    and _after(decision.not_before, request.send_by))
            ):
                return self._expire(
                    key, entry, read, at, request.send_by, decision, decision.recipient
                )
            return self._rewait(request, message, meta, decision, at, waiting)
        if (
            decision.verdict is Verdict.DEFER and request.send_by is not None
            and decision.not_before is not None
            and _after(decision.not_before, request.send_by)
        ):
            # Quiet hours until tomorrow for a text worth sending until 17:00 today:
            # expired now, not queued to go out late.
            return self._expire(
                key, entry, read, at, request.send_by, decision, decision.recipient
            )
        if decision.verdict is Verdict.DEFER:
            return self._defer(request, message, meta, decision, at, queue=queue, read=entry)
        result = self._deliver(message, meta, at, {"request": _request_data(request)}, entry)
        return replace(result, decision=decision)

    def _expire(
        self, key: str, entry: OutboxEntry | None, read: OutboxEntry | None, at: datetime,
        send_by: datetime, decision: Decision | None, recipient: str | None,
    ) -> SendResult:
        """The answer for a request past its ``send_by`` (at ``at``, or by the time its
        deferral or retry wait ends): a queued entry is marked ``EXPIRED`` and kept;
        a request not queued stores nothing (as a blocked one)."""
        reason = f"send_by {send_by.isoformat()} passed"
        if decision is not None and decision.not_before is not None and not _after(
            at, send_by
        ):
            reason = (f"send_by {send_by.isoformat()} is before it may go "
                      f"({decision.not_before.isoformat()}: {decision.reason})")
        if entry is not None and entry.state is OutboxState.DEFERRED and (
            read is not None or (recipient and not _other_message(entry, recipient, None))
        ):
            # (A caller's request for another number under the key expires alone: the
            # message queued for the number the entry names is not this call's.)
            try:  # compare-and-set: not over another worker's claim or a cancel
                self.outbox.update(
                    key, OutboxState.EXPIRED, at=at, not_before=entry.not_before,
                    error=reason, expected=read or entry,
                )
            except OutboxConflictError:
                # Moved meanwhile: a cancel (or another worker's expiry or send) that
                # won is what became of the message, so answer the row as it is now.
                moved = self.outbox.get(key)
                if moved is not None and moved.state.final:
                    settled = self._existing(moved, at)
                    if settled is not None:
                        return replace(settled, decision=decision)
                return SendResult(
                    SendOutcome.PENDING, key, decision=decision,
                    reason="another worker took this key first; not marked expired",
                )
            reason += "; the queued entry is marked expired"
        return SendResult(
            SendOutcome.EXPIRED, key, decision=decision, reason=reason + "; not sent"
        )

    def _defer(
        self,
        request: SendRequest,
        message: OutboundMessage,
        meta: _Meta,
        decision: Decision,
        at: datetime,
        *,
        queue: bool,
        read: OutboxEntry | None = None,
    ) -> SendResult:
        key = message.idempotency_key
        assert key is not None
        # A key queued already stays queued (and takes this text) whatever this call asks;
        # a request that cannot wait is refused rather than leave the old text to go.
        if queue or read is not None:
            # A MediaInfo is what the engine knew of a file (a retry carries them): it
            # can wait with its URL. Bytes and paths cannot.
            if not _queueable(request):
                raise _cannot_wait(queued_already=not queue)
            queue = True
            queued = OutboxEntry(
                key=key,
                recipient=message.to,
                sender=_sent_from(message),
                state=OutboxState.DEFERRED,
                created_at=at,
                updated_at=at,
                payload=_payload(message, meta, {"request": _request_data(request)}),
                not_before=decision.not_before,
                error=decision.reason,
            )
            if read is None:
                stored, created = self.outbox.reserve(queued)
            else:
                # Read before deciding: moved by compare-and-set only. Gone since (sent
                # by another worker, then pruned), a reserve would queue it anew and
                # send it a second time.
                found, created = self.outbox.get(key), False
                if found is None:
                    return _taken(key, decision)
                stored = found
            if not created:
                other = _other_queued(stored, message)
                if stored.state is OutboxState.DEFERRED and other:
                    # The outbox row names its number: the key is another message's.
                    logger.warning("key %s reused for a message %s than the one queued "
                                   "for %s; not replaced", _shown_key(key), other,
                                   mask_number(stored.recipient))
                    return SendResult(
                        SendOutcome.DEFERRED, key, not_before=stored.not_before,
                        queued=True, decision=decision,
                        reason=f"a message {other} is queued under this key; not "
                        "replaced: give another message a key of its own",
                    )
                # Compare-and-set on the queued entry: another worker that decided
                # "send" may have taken it meanwhile; moving its reservation back to
                # the queue sent the message twice (once now, again when due). The
                # payload is this request's: nothing went out yet, so a text sent
                # again (the appointment moved) replaces the one queued, as it does
                # when it is sent at once.
                try:
                    if stored.state is not OutboxState.DEFERRED:
                        raise OutboxConflictError(
                            f"outbox entry {_shown_key(key)} is no longer queued"
                        )
                    self.outbox.update(
                        key,
                        OutboxState.DEFERRED,
                        at=at,
                        not_before=decision.not_before,
                        error=decision.reason,
                        payload=queued.payload,
                        # As read before deciding: a hand-over requeued since (a 429's
                        # wait) is not this decision's to move.
                        expected=read or stored,
                    )
                except OutboxConflictError:
                    return _taken(key, decision)
        return SendResult(
            SendOutcome.DEFERRED,
            key,
            not_before=decision.not_before,
            queued=queue,
            reason=decision.reason,
            decision=decision,
        )

    def _rewait(
        self, request: SendRequest, message: OutboundMessage, meta: _Meta, decision: Decision,
        at: datetime, entry: OutboxEntry,
    ) -> SendResult:
        """A key waiting out a retry's backoff, sent again: its wait holds, and this
        request's text replaces the queued one (nothing went out yet: the appointment
        moved), as a queued key's does in :meth:`_defer`."""
        key = entry.key
        assert entry.not_before is not None  # checked by the caller
        not_before = entry.not_before
        if decision.not_before is not None and (
            decision.not_before.astimezone(UTC) > not_before.astimezone(UTC)
        ):
            not_before = decision.not_before
        other = _other_queued(entry, message)
        if other:
            logger.warning("key %s reused for a message %s than the one queued for %s; "
                           "not replaced", _shown_key(key), other, mask_number(entry.recipient))
            found = _waiting(entry, entry.not_before)
            return replace(found, decision=decision, reason=found.reason + (
                f"; a message {other} is queued under this key: not replaced, "
                "give another message a key of its own"))
        try:
            self.outbox.update(
                key, OutboxState.DEFERRED, at=at, not_before=not_before, error=entry.error,
                payload=_payload(message, meta, {"request": _request_data(request)}),
                expected=entry,
            )
        except OutboxConflictError:
            return _taken(key, decision)
        return replace(_waiting(entry, not_before), decision=decision)

    def send_due(self, at: datetime, *, limit: int | None = None) -> tuple[SendResult, ...]:
        """Send every queued entry whose time has come, deciding each one again.

        Queued requests are decided anew (consent may have changed while they
        waited) with the sender profile given to the messenger for their
        sending number; auto-replies past their deadline are marked expired instead
        of going late.

        Every entry is decided at ``at``: ``limit`` (at most that many entries
        decided, earliest first) keeps a batch short, so that the next one is
        decided at a fresh ``at`` instead of a batch running into quiet hours on an
        old one. An entry whose sending number has no profile in ``senders=`` is
        answered ``pending`` and does not count. With ``limit`` the outbox is read
        ``limit`` rows at a time, each page after the last, never the whole queue
        at once; without it, all due rows are read in one go.
        """
        _aware(at, "at")
        if limit is not None and (type(limit) is not int or limit < 1):
            raise ConfigurationError(
                f"send_due limit must be a whole number, at least 1, or None; got {limit!r:.40}",
                field="limit",
            )
        results: list[SendResult] = []
        decided = 0
        after: OutboxEntry | None = None
        while True:
            # Pages of `limit` rows (with no limit, one page: the whole queue), each one
            # after the last row read: skipped entries stay due, and reading from the
            # head again would read them again, or, read all at once, load every row.
            page = self.outbox.due(at, limit=limit, after=after)
            if after is not None and after in page:
                # The row given back as it was, which sorts level with `after`, not
                # after it: an outbox taking **options that dropped after= (passed
                # when built) would give this page forever, skipped entries and all.
                raise ConfigurationError(
                    f"{type(self.outbox).__name__}.due gave back the entry passed as "
                    "after=: it must return only entries sorting after it (due time, "
                    "then key); see docs/messenger.md",
                    field="outbox",
                )
            for entry in page:
                result = self._send_entry(entry, at)
                results.append(result)
                # An entry with no profile for its number stays due, first in line: counted,
                # `limit` of them made every batch and held back every other sender's queue.
                decided += result.reason not in (_NO_PROFILE, _OTHER_SCOPE)
                if decided == limit:
                    return tuple(results)
            if limit is None or len(page) < limit:
                return tuple(results)
            after = page[-1]

    def _fail_queued(
        self, entry: OutboxEntry, at: datetime, error: str, reason: str,
        state: OutboxState = OutboxState.FAILED,
    ) -> SendResult:
        """Mark a due entry failed (or ``state``) unless another worker moved it since
        ``due`` read it."""
        try:
            # Compare-and-set: another worker may have taken the row (deferred -> reserved)
            # or marked it since due() read it; a plain move overwrote its claim, or
            # raised OutboxConflictError out of send_due on its "failed".
            # Expired keeps its not_before, as a request past its send_by does.
            kept = entry.not_before if state is OutboxState.EXPIRED else None
            self.outbox.update(entry.key, state, at=at, not_before=kept, error=error,
                               expected=entry)
        except OutboxConflictError:
            return SendResult(
                SendOutcome.PENDING,
                entry.key,
                reason="another worker took this key first; not marked again",
            )
        return SendResult(SendOutcome(state.value), entry.key, reason=reason)

    def _others_answer(self, entry: OutboxEntry) -> bool:
        """Whether ``entry`` answers a reply recorded in another scope than the one
        this messenger records replies to its number in (another tenant's, in an
        outbox two share), or in another ledger chain (a PostgresConsentStore's
        ``chain``: tenants apart by chain alone share the scope "default"). Rows
        without a scope (an older smskit's, requests) are not,
        nor is an answer from a number given in ``senders=``: that number is this
        messenger's, whatever scope its replies went to when the answer was queued
        (a profile's ``consent_scope`` changed since would otherwise leave a STOP
        confirmation queued, never sent nor failed, and skipped by ``reconcile``)."""
        if entry.sender in self._senders or entry.sender in self._services:
            return False
        try:
            data = json.loads(entry.payload)
        except (TypeError, ValueError):
            return False  # a damaged row: left to the paths that report it
        if not isinstance(data, dict) or "request" in data:
            return False  # a request's scope is the one it is judged in, kept inside it
        service = data.get("service")
        if isinstance(service, str) and service in self._services:
            return False  # a reply to a pool number of a service in senders=: ours
        chain = data.get("chain")
        if isinstance(chain, str) and self._chain is not None and chain != self._chain:
            return True  # recorded in another ledger chain: another tenant's, whatever scope
        scope = data.get("scope")
        return isinstance(scope, str) and not _same_scope(scope, self.scope_for(entry.sender))

    def _outdated_answer(
        self, entry: OutboxEntry, data: Mapping[str, object], at: datetime
    ) -> str | None:
        """Why a queued auto-reply is no longer true at ``at``, or ``None`` to send it.

        It answered the person's word when it was queued (a 429's retry waits); the
        ledger may hold a later one. A HELP answer or a START confirmation after a
        STOP recorded since is a text after "no more messages" (and "you are
        resubscribed" is false); a STOP's confirmation after a START is false. The
        rule the ledger applies to a redelivered STOP or START, read here at
        ``send_due``'s ``at``. A STOP recorded before the entry was queued does not
        hold back a HELP answer to it: the person asked after opting out.
        """
        kind = data.get("auto_reply")
        if kind not in _ANSWER_KINDS:
            return None
        # The scope the reply was recorded in; a row without one (an older smskit's,
        # or a damaged one) is read in the scope of its number's replies.
        scope_text = data.get("scope")
        if not isinstance(scope_text, str):
            scope_text = self.scope_for(entry.sender)
        try:
            scope = ConsentScope.parse(scope_text)
        except ConsentError:
            scope = ConsentScope.parse(self.scope_for(entry.sender))
        try:
            events = self.ledger.history(entry.recipient)
        except ConsentError:
            return None  # a number that holds no consent: nothing recorded since
        words = [
            e for e in events
            if e.kind is not EventKind.NOTED and Channel.SMS in e.channels
            and e.scope.covers(scope) and e.occurred_at.astimezone(UTC) <= at.astimezone(UTC)
        ]
        if not words:
            return None
        last = max(words, key=replay_order)
        revoked = last.kind is EventKind.REVOKED and last.purposes >= frozenset(Purpose)
        if kind == MatchKind.OPT_OUT.value:
            # Still true unless consent was given after the last revocation of every
            # purpose: a START then an agent's revoke of marketing alone leaves the
            # person subscribed ("no more messages" false), while a revoke of marketing
            # after the STOP (or a pending request) changes nothing it says.
            ordered = sorted(words, key=replay_order)
            full = [i for i, e in enumerate(ordered)
                    if e.kind is EventKind.REVOKED and e.purposes >= frozenset(Purpose)]
            since = ordered[full[-1] + 1:] if full else ordered[-1:]
            if not any(e.kind in _CONSENTS for e in since):
                return None
            return ("the opt-out this confirms was undone since it was queued (the person "
                    "opted in again): no longer true")
        if revoked and last.occurred_at.astimezone(UTC) >= entry.created_at.astimezone(UTC):
            return (f"the person opted out since this {kind} answer was queued: nothing "
                    "goes after the opt-out's confirmation")
        return None

    def _send_entry(self, entry: OutboxEntry, at: datetime) -> SendResult:
        """Send one queued entry: a request is decided again, an auto-reply goes as it is."""
        cancelled = self._finish_cancel(entry, at)
        if cancelled is not None:
            return cancelled
        try:
            message, meta = _from_payload(entry)
            data = json.loads(entry.payload)
            request = _request_from(data["request"], entry.key) if "request" in data else None
            if request is not None:
                _refuse_nul_request(request)  # queued before it was refused: this row only
            deadline = None if request is not None else _deadline(data.get("send_by"))
        except (LookupError, TypeError, ValueError, ArithmeticError) as error:
            # A damaged or hand-edited row: the rest of the batch still goes, and the row
            # stays in the outbox, marked, for someone to read (never sent as a guess).
            reason = (
                f"the queued entry cannot be read ({type(error).__name__}); marked failed, "
                "not sent: check what wrote its payload"
            )
            if isinstance(error, ConfigurationError) and error.field in _NOW_REFUSED:
                # Queued by an older smskit with a zone now refused ("EST"): the row is
                # sound, the request no longer is. Its message says what to write.
                reason = (
                    f"the queued request is refused now: {error}; marked failed, not "
                    "sent: queue it again under a new key"
                )
            return self._fail_queued(entry, at, reason, reason)
        if request is not None:
            profile = self._queued_profile(entry.sender, request)
            if profile is None:
                return SendResult(SendOutcome.PENDING, entry.key, reason=_NO_PROFILE)
            return self._send(
                request, profile, at, queue=True, media_urls=message.media_urls, read=entry
            )
        # Past its deadline first: marking it expired sends nothing, so any messenger may,
        # and an answer whose scope no messenger holds any more (a scope= changed) ends
        # expired, where it can be seen, instead of pending for ever.
        if deadline is not None and deadline < at:
            # Expired, as a request past its send_by: nothing went wrong with the text, its
            # time ran out (rows an older smskit marked "failed" stay as they are).
            late = f"auto-reply deadline {deadline.isoformat()} passed"
            return self._fail_queued(entry, at, late, f"{late}; marked expired, not sent "
                                     "late", OutboxState.EXPIRED)
        if self._others_answer(entry):
            # Another messenger's answer (another tenant's outbox rows in a shared
            # table): sent through this provider it would go out on the wrong account.
            return SendResult(SendOutcome.PENDING, entry.key, reason=_OTHER_SCOPE)
        # Read against the ledger and handed over under the person's lock, as a send
        # is: a STOP another host commits meanwhile is not followed by this answer.
        with ExitStack() as stack:
            busy = self._lock_for(entry.recipient, entry, stack)
            if busy is not None:
                return busy
            outdated = self._outdated_answer(entry, data, at)
            if outdated is not None:
                return self._fail_queued(entry, at, outdated, f"{outdated}; marked "
                                         "cancelled, not sent", OutboxState.CANCELLED)
            taken = self._claim(entry.key, at, queued=entry)
            if taken is not None:
                return taken
            return self._hand_over(message, meta, entry.key, at, _confirms_stop(data))

    # -- retention -------------------------------------------------------------

    def prune_outbox(self, before: datetime, *, limit: int = PRUNE_LIMIT) -> int:
        """Remove at most ``limit`` finished outbox entries (``SENT``, ``FAILED``) last
        updated before ``before``; how many went. Run it until it returns fewer.

        Queued (``DEFERRED``, due or not) and in-flight (``RESERVED``, ``AMBIGUOUS``)
        entries stay however old, so it is safe while workers send. A pruned key is
        forgotten: a request reusing it later is sent as a new message, so keep
        entries longer than any caller retries a key (docs/messenger.md, Retention).

        Raises:
            ConfigurationError: the outbox has no ``prune`` (an outbox of one's own
                written before it existed: everything else still works), a naive
                ``before``, or a ``limit`` below 1.
        """
        check_prune(before, limit)
        return int(_pruner(self.outbox, "outbox")(before, limit=limit))

    def prune_history(self, before: datetime, *, at: datetime, limit: int = PRUNE_LIMIT) -> int:
        """Remove at most ``limit`` send records made before ``before``, from the
        messenger's history and every other one its pipeline reads; how many went.

        Refused when ``before`` is later than ``at`` minus the longest window the
        pipeline's policies read (a frequency cap's or limit's window, the opt-out
        confirmation's 5 minutes, a policy's own ``history_window``): those sends
        still decide messages at ``at`` and after. ``at`` is now, as the caller
        sees it. Only send records go: the consent ledger is never pruned, nor the
        messages and delivery reports that usage and health read.

        Raises:
            ConfigurationError: ``before`` inside a window still read (the message
                names the window and the latest cut-off allowed); a pipeline that
                does not list its ``policies``; a history without ``prune``; a naive
                ``before`` or ``at``; a ``limit`` below 1.
        """
        check_prune(before, limit)
        _aware(at, "at")
        window, reader = _history_window(self.pipeline)
        try:
            latest: datetime | None = at.astimezone(UTC) - window
        except OverflowError:  # a window reaching back past year 1 (timedelta.max: "all")
            latest = None
        if latest is None or before.astimezone(UTC) > latest:
            fix = (
                f"pass before={latest.isoformat()} or earlier" if latest is not None
                else "no send may be pruned while it is in the pipeline"
            )
            raise ConfigurationError(
                f"prune_history: before={before.isoformat()} would remove sends that "
                f"{reader} still reads (it looks back {_span(window)} from at={at.isoformat()}); "
                f"{fix}",
                field="before",
            )
        # Every store checked before any is changed: no half-pruned set of histories.
        pruners = [_pruner(store, "history") for store in (self.history, *self._send_histories)]
        removed = 0
        for prune in pruners:
            if removed < limit:
                removed += int(prune(before, limit=limit - removed))
        return removed


#: Fields of a queued request that a newer smskit may refuse where an older one took
#: them (a fixed-offset zone, a region without its country): named in the failure.
_NOW_REFUSED = frozenset({"recipient_zone", "recipient_region", "subject", "idempotency_key"})

#: A queued request ``send_due`` cannot decide: not counted towards its ``limit``.
_NO_PROFILE = "no sender profile for this sending number; pass senders="
_OTHER_SCOPE = (
    "an answer to a reply recorded in another consent scope than this messenger's for "
    "its number; not sent: the messenger of that scope sends it"
)


def _refuse_nul_request(request: SendRequest) -> None:
    """A :class:`ConfigurationError` when the request's idempotency key or subject holds a
    NUL character, before anything is sent, whatever the stores: on PostgreSQL the history
    refused the subject only after the provider had sent the text, and ``send`` raised,
    the message out but recorded nowhere caps read."""
    for name, text in (("idempotency_key", request.idempotency_key),
                       ("subject", request.subject)):
        if text is not None and "\x00" in text:
            raise ConfigurationError(
                f"request.{name} holds a NUL character (\\x00), which a PostgreSQL "
                f"store cannot keep: remove it from the {name} (nothing was sent)",
                field=name,
            )


def _refuse_nul_fields(provider: str, kind: str, **fields: str | None) -> None:
    """A :class:`ProviderResponseError` (a webhook to refuse, not to retry) when a field
    the history keeps holds a NUL character, on every store alike. No provider sends
    one; a PostgreSQL history cannot keep it, and its refusal came before the ledger
    (a STOP lost) or after it (the same webhook failing on every retry). The body is
    not checked: the history does not keep it, and the ledger keeps it as given."""
    for name, value in fields.items():
        if value is not None and "\x00" in value:
            raise ProviderResponseError(
                f"{provider} {kind} whose {name} holds a NUL character (\\x00): not a "
                "webhook the provider sends; refused, nothing recorded",
                provider=provider,
            )


def _same_scope(a: str, b: str) -> bool:
    """Whether two scope texts name one scope (case ignored, as the ledger does)."""
    try:
        return ConsentScope.parse(a).key == ConsentScope.parse(b).key
    except SmskitError:
        return False


#: What :meth:`Messenger.cancel` answers for an entry no longer queued.
_CANCEL_ANSWERS = {
    OutboxState.SENT: CancelOutcome.SENT,
    OutboxState.RESERVED: CancelOutcome.IN_FLIGHT,
    OutboxState.AMBIGUOUS: CancelOutcome.IN_FLIGHT,
    OutboxState.FAILED: CancelOutcome.FAILED,
    OutboxState.CANCELLED: CancelOutcome.CANCELLED,
    OutboxState.EXPIRED: CancelOutcome.EXPIRED,
}


def _cancel_asked(entry: OutboxEntry) -> str | None:
    """The reason of a cancel asked for while ``entry`` was in flight, or ``None``."""
    try:
        data = json.loads(entry.payload)
    except ValueError:
        return None
    asked = data.get("cancel_requested") if isinstance(data, dict) else None
    if asked is None:
        return None
    reason = asked.get("reason") if isinstance(asked, dict) else None
    return reason if isinstance(reason, str) and reason.strip() else "cancelled"


def _queued_send_by(entry: OutboxEntry | None) -> datetime | None:
    """The send-by of the request an entry holds; ``None`` if it has none (an
    auto-reply, a row of an older smskit) or it cannot be read (left to send_due,
    which marks a damaged row failed)."""
    if entry is None:
        return None
    try:
        send_by = _send_by(json.loads(entry.payload)["request"].get("send_by"))
    except (LookupError, TypeError, ValueError, AttributeError):
        return None
    return send_by if send_by is not None and send_by.utcoffset() is not None else None


def _after(instant: datetime, send_by: datetime) -> bool:
    """Whether ``instant`` is past ``send_by`` (in UTC: not by wall clock)."""
    return instant.astimezone(UTC) > send_by.astimezone(UTC)


def _settled_and_pruned(key: str) -> SendResult:
    """A key read queued whose entry is gone: another worker sent (or failed) it and a
    prune removed it since. Not sent again."""
    return SendResult(
        SendOutcome.PENDING, key,
        reason="another worker settled this key and a prune removed it since it was read; "
        "not sent again",
    )


def _queueable(request: SendRequest) -> bool:
    """Whether the request can wait in the outbox: its media (if any) as ``MediaInfo``
    (what the engine knew of each file), not bytes or paths."""
    return all(isinstance(item, MediaInfo) for item in request.media)


def _sent_from(message: OutboundMessage) -> str:
    """Our side of ``message`` as the outbox and history record it: the number, else
    the Messaging Service's SID (Twilio picks the number)."""
    return message.sender or message.messaging_service or "unknown"


def _other_queued(entry: OutboxEntry, message: OutboundMessage) -> str:
    """Why a request sent again cannot replace the message queued under its key ("" if
    it can): another number, or another sending number (``send_due`` finds the sender's
    profile by the number the entry was queued from, which an update does not change)."""
    if _other_message(entry, message.to, None):
        return "to another number"
    if entry.sender != _sent_from(message):
        return "from another sending number"
    return ""


def _cannot_wait(*, queued_already: bool) -> ConfigurationError:
    """A request with local media (bytes, paths) that would have to wait in the outbox."""
    why = (
        "a message is queued under this key, so the request sent again would replace it "
        "and wait; its text is left as it was. " if queued_already else ""
    )
    return ConfigurationError(
        f"{why}queue=True keeps text, media URLs and MediaInfo only; keep requests "
        "with local media (bytes, paths) in your own queue and send them again "
        "at not_before, or give each file's sniff_media() result",
        field="queue",
    )


def _waiting(entry: OutboxEntry, not_before: datetime) -> SendResult:
    """A key handed over before and queued to wait out a retry's backoff."""
    return SendResult(
        SendOutcome.DEFERRED, entry.key, not_before=not_before, queued=True,
        reason=f"queued until {not_before.isoformat()} ({entry.error}); send_due sends it then",
    )


def _taken(key: str, decision: Decision) -> SendResult:
    """A queued key another worker moved while this one decided it: left as it is."""
    return SendResult(
        SendOutcome.PENDING, key, decision=decision,
        reason="another worker took this key first; its entry is left as it is",
    )


#: Refusals of the provider's state, not of the message: a give-up after them is no
#: delivery failure (rate limits, Twilio's internal error).
#: Why a hand-over's outcome left the key's entry alone (see ``Messenger._handed``).
_MOVED = (
    "another worker moved this key while it was being sent (a hand-over longer than "
    "in_flight?): "
    "its entry is left as that worker wrote it"
)

_BUSY = frozenset({ErrorCategory.RATE_LIMITED, ErrorCategory.TEMPORARY})

#: The parser to name when a provider parses no webhooks itself (Twilio's otherwise).
_PARSERS: Final = {"telnyx": "TelnyxWebhookParser"}

#: The ledger events that give consent: one after a STOP makes its confirmation false.
_CONSENTS = frozenset({EventKind.GRANTED, EventKind.CONFIRMED, EventKind.REGRANTED})

#: The auto-replies ``send_due`` checks against the ledger before sending.
_ANSWER_KINDS = frozenset(kind.value for kind in MatchKind)

#: The outbox key of the answer to an inbound message: ``reply:<message id>``.
_REPLY_KEY = "reply:"

#: With keyword_replies="provider": the words the provider answers itself, by route
#: (smskit.keywords._data has their sources); on other routes it answers none we know.
_PROVIDER_WORDS: dict[Route | None, frozenset[str]] = {
    Route.TEN_DLC: PROVIDER_ANSWERED,
    Route.TOLL_FREE: PROVIDER_ANSWERED_TOLL_FREE,
}
_TELNYX_WORDS: dict[Route | None, frozenset[str]] = {
    Route.TEN_DLC: TELNYX_ANSWERED,
    Route.TOLL_FREE: TELNYX_ANSWERED_TOLL_FREE,
}


def _confirms_stop(payload: Mapping[str, object]) -> bool:
    """Whether an outbox payload is the messenger's own confirmation of a STOP."""
    return payload.get("auto_reply") == MatchKind.OPT_OUT.value


def _deadline(send_by: object) -> datetime | None:
    """An auto-reply's stored deadline (``TypeError``/``ValueError`` if damaged)."""
    if send_by is None:
        return None
    if not isinstance(send_by, str):
        raise TypeError("send_by is not text")
    deadline = datetime.fromisoformat(send_by)
    if deadline.utcoffset() is None:
        raise ValueError("send_by has no UTC offset")
    return deadline


def _retry_cap(retry_after: object, retry_cap: object, max_attempts: object) -> timedelta:
    """The checked retry settings' cap (``None``: an hour, or ``retry_after`` if longer)."""
    for name, value in (("retry_after", retry_after), ("retry_cap", retry_cap)):
        if not (value is None and name == "retry_cap") and (
            not isinstance(value, timedelta) or value <= timedelta(0)
        ):
            raise ConfigurationError(
                f"Messenger {name} must be a timedelta longer than 0, not {value!r:.40}",
                field=name,
            )
    assert isinstance(retry_after, timedelta)
    if retry_cap is None:
        retry_cap = max(retry_after, timedelta(hours=1))
    assert isinstance(retry_cap, timedelta)
    if retry_after > retry_cap:
        raise ConfigurationError(
            f"Messenger retry_after ({retry_after}) is longer than retry_cap ({retry_cap}): "
            "the first wait would already be past the longest; raise retry_cap",
            field="retry_after",
        )
    if type(max_attempts) is not int or max_attempts < 1:
        raise ConfigurationError(
            f"Messenger max_attempts must be a whole number, at least 1; got {max_attempts!r:.40}",
            field="max_attempts",
        )
    return retry_cap


def _age(entry: OutboxEntry, at: datetime) -> timedelta:
    """How long ago ``entry`` last moved, at ``at``.

    In UTC: two times in one zone compare by wall clock, which a clock change
    repeats. An age, not ``at - lease``: a lease of ``timedelta.max`` (leave every
    reservation alone) took that out of range on the day a row was there.
    """
    return at.astimezone(UTC) - entry.updated_at.astimezone(UTC)


def _lease(value: object, what: str, name: str) -> timedelta:
    """A checked in-flight lease: a ``timedelta``, not negative."""
    if not isinstance(value, timedelta) or value < timedelta(0):
        raise ConfigurationError(
            f"{what} must be a timedelta of 0 or more (e.g. timedelta(minutes=5)), "
            f"not {value!r:.40}",
            field=name,
        )
    return value


def _number_route(profile: SenderProfile | None, number: str) -> Route:
    """The route of one of our numbers: its profile's, else what its form says (a
    +1 8XX number is toll-free), else 10DLC (an alphanumeric id or a number not in
    E.164: nothing better is known)."""
    if profile is not None:
        return profile.route
    return _route_of_sender_id(number) or Route.TEN_DLC


def _other_send_histories(
    pipeline: Decider, history: MessageHistory
) -> tuple[SendHistory, ...]:
    """The send histories the pipeline's caps, confirmation check and first-message check
    read, other than the messenger's own: each sent message is recorded there too.

    A cap counting in a history shared by every host (``PostgresSendHistory``) would
    otherwise count nothing, since only the messenger's own history was written. Objects
    on one store (a SQLite file, a PostgreSQL database's schema) are one history: each
    send is recorded there once, or a cap would count it twice.
    """
    found: list[object] = [getattr(pipeline, "history", None)]
    for policy in getattr(pipeline, "policies", ()):
        if isinstance(policy, FrequencyCapPolicy):
            found.append(policy.reads_history)
        elif isinstance(policy, ConfirmationPolicy):
            found.append(policy.history)
    others: dict[object, SendHistory] = {_store_of(history): history}
    for candidate in found:
        if candidate is not None:
            others.setdefault(_store_of(candidate), candidate)  # type: ignore[arg-type]
    return tuple(h for h in others.values() if h is not history)


def _store_of(history: object) -> object:
    """What a history writes to: its SQLite file (as SQLite resolved it), its PostgreSQL
    server, database and schema, else the object itself."""
    from .._postgres import Database

    db = getattr(history, "_db", None)
    if isinstance(db, sqlite3.Connection):
        try:
            rows = db.execute("PRAGMA database_list").fetchall()
        except sqlite3.Error:
            return id(history)
        path = next((str(row[2]) for row in rows if row[1] == "main"), "")
        return ("sqlite", os.path.realpath(path)) if path else id(history)
    if isinstance(db, Database):
        return ("postgres", _postgres_address(db), db.schema)
    return id(history)


def _postgres_address(db: Any) -> object:
    """Host, port and database of a store's connection or pool; the pool itself when its
    settings do not say."""
    if db._conn is not None:
        info = db._conn.info
        return (info.host, str(info.port), info.dbname)
    from psycopg.conninfo import conninfo_to_dict

    try:
        params = {**conninfo_to_dict(db._pool.conninfo), **(db._pool.kwargs or {})}
    except Exception:  # a pool of another kind: only itself is known to be the same
        return id(db._pool)
    if not params.get("host") or not params.get("dbname"):
        return id(db._pool)
    return (params["host"], str(params.get("port") or 5432), params["dbname"])


def _common_scope(senders: Iterable[SenderProfile]) -> str:
    """The narrowest scope covering every sender's ``consent_scope``, else ``"default"``.

    A reply to one of our numbers missing from ``senders=`` (an agent's new number)
    is recorded there: "default" covers no sender's scope, so a STOP recorded in it
    never blocked their next message."""
    scopes = [ConsentScope.parse(p.consent_scope) for p in senders if p.consent_scope]
    if not scopes:
        return "default"
    # Compared by key: "Acme/a" and "acme/b" share "Acme" (scopes ignore case).
    common = len(scopes[0].key)
    for scope in scopes[1:]:
        same = 0
        while same < min(common, len(scope.key)) and scopes[0].key[same] == scope.key[same]:
            same += 1
        common = same
    return "/".join(scopes[0].parts[:common]) if common else "default"


def _shared_scopes(
    senders: Iterable[SenderProfile], attr: str, default: str
) -> tuple[dict[str, SenderProfile], dict[str, str]]:
    """By each number (``attr="sender_id"``) or Messaging Service SID
    (``"messaging_service"``) we send from: the profile its replies are handled with,
    and the scope they are recorded in.

    One rule for both: a STOP to a number or a service stops every profile sending from
    it (the carrier or Twilio blocks it), so it is recorded in the narrowest scope
    covering all their ``consent_scope`` (``fixit/reminders`` and ``fixit/reviews``:
    ``fixit``), else ``default`` (the messenger's) when none has one. The profile is the
    first given whose scope is that one, else the first given.

    Raises:
        ConfigurationError: profiles of one number or service whose scopes share
            nothing (no scope records a STOP that blocks them all), or a
            ``revocation_scope`` not covering that scope (every STOP would raise).
    """
    groups: dict[str, list[SenderProfile]] = {}
    for profile in senders:
        key = getattr(profile, attr)
        if key:
            groups.setdefault(key, []).append(profile)
    chosen: dict[str, SenderProfile] = {}
    scopes: dict[str, str] = {}
    for key, profiles in groups.items():
        where = (
            f"the Messaging Service {key}" if attr == "messaging_service"
            else mask_sender(key)
        )
        named = [ConsentScope.parse(p.consent_scope) for p in profiles if p.consent_scope]
        shared = _common_scope(profiles) if named else default
        parsed = ConsentScope.parse(shared)
        if not all(parsed.covers(scope) for scope in named):
            raise ConfigurationError(
                f"{len(profiles)} profiles send through {where} with consent scopes that "
                f"share nothing ({', '.join(sorted(map(str, named)))}): an opt-out to it "
                "stops all of them (for a service, the whole service), and no scope "
                "records it for all; give them scopes under a common one ('acme/promo', "
                "'acme/alerts'), or each program its own number or service",
                field="senders",
            )
        for profile in profiles:
            # handle_reply records at revocation_scope only when it covers the reply's
            # scope, and raises otherwise: said now, not at the first STOP.
            wider = profile.revocation_scope
            if wider is not None and not ConsentScope.parse(wider).covers(parsed):
                raise ConfigurationError(
                    f"a profile sending through {where} has revocation_scope {wider!r}, "
                    f"which does not cover {shared!r}, the scope its replies are "
                    "recorded in (covering every profile sending through it): widen "
                    "it, or leave it out",
                    field="senders",
                )
        # Replies to it are read with one profile: were the others to read them
        # otherwise, which held would depend on the order of senders= (another's
        # opt-out word left unread, a wider revocation_scope dropped).
        revoking = {ConsentScope.parse(p.revocation_scope or shared).key for p in profiles}
        reading = {(frozenset(k.keywords), frozenset(k.phrases), k.fuzzy)
                   for k in (p.keywords for p in profiles)}  # the order words were added in
        if len(revoking) > 1 or len(reading) > 1:
            differ = "revocation_scope" if len(revoking) > 1 else "keywords"
            raise ConfigurationError(
                f"{len(profiles)} profiles send through {where} with different {differ}: "
                "replies to it are read with one of them, so a STOP would count or not "
                "by the order of senders=; give them the same keywords and "
                "revocation_scope, or each program its own number or service",
                field="senders",
            )
        own = [p for p in profiles if p.consent_scope
               and ConsentScope.parse(p.consent_scope).key == parsed.key]
        chosen[key], scopes[key] = (own or profiles)[0], shared
    return chosen, scopes


def _takes(method: Callable[..., object], *names: str) -> bool:
    """Whether ``method`` accepts every keyword in ``names`` (``True`` if it cannot be
    inspected: then the protocol is trusted)."""
    try:
        parameters = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):
        return True
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return True
    return set(names) <= {p.name for p in parameters}


def _pruner(store: object, name: str) -> Callable[..., int]:
    """``store.prune``, or the error saying this store cannot prune (checked only when
    asked to prune: stores written before ``prune`` existed keep sending)."""
    prune = getattr(store, "prune", None)
    if not callable(prune):
        raise ConfigurationError(
            f"{type(store).__name__} has no prune(before, *, limit): add one that removes "
            f"at most limit rows older than before and returns how many (see the "
            f"{'Outbox' if name == 'outbox' else 'SendHistory'} protocol and "
            "docs/messenger.md, Retention), or prune that store yourself",
            field=name,
        )
    return prune  # type: ignore[no-any-return]


def _history_window(pipeline: Decider) -> tuple[timedelta, str]:
    """The longest span the pipeline's policies read back in the send history, and who.

    Frequency caps read their longest window; the opt-out confirmation check the
    5 minutes a confirmation may follow the opt-out (a later one is refused as late
    anyway: pruned, a late repeat gets that one finding, not also "repeat");
    a policy of one's own declares ``history_window``. First-message detection reads
    the whole history but is not counted: after a prune, a recipient whose sends all
    went counts as new (the first-message disclosures are asked for again).
    """
    policies = getattr(pipeline, "policies", None)
    if policies is None:
        raise ConfigurationError(
            f"prune_history cannot tell which windows {type(pipeline).__name__} reads (it "
            "has no policies); use a CompliancePipeline, or prune the history with "
            "history.prune(before) after checking the cut-off yourself",
            field="pipeline",
        )
    window, reader = timedelta(0), "a decision at that instant or later"
    for policy in policies:
        if isinstance(policy, FrequencyCapPolicy):
            cap = policy.cap
            spans = [(r.window, f"the cap {r.code!r}") for r in cap.rules]
            spans += [(lim.window, f"the limit {lim.name!r}") for lim in cap.limits]
        elif isinstance(policy, ConfirmationPolicy) and policy.history is not None:
            spans = [(OPT_OUT_CONFIRMATION_WINDOW, "the opt-out confirmation check")]
        elif isinstance(getattr(policy, "history_window", None), timedelta):
            spans = [(policy.history_window, f"policy {type(policy).__name__}")]
        else:
            continue
        for span, who in spans:
            if span > window:
                window, reader = span, who
    return window, reader


def _require_outbox_keywords(outbox: Outbox) -> None:
    """Refuse an outbox whose ``update`` cannot take ``expected=``, or whose ``due``
    cannot take ``limit=`` and ``after=``.

    Only resolving a stale reservation (crash recovery) passes ``expected=``, so
    without this check such an outbox would work until the day it is needed most
    and then fail with a bare ``TypeError``. ``send_due`` always passes ``limit=``
    and ``after=``: refused here, not on the scheduler's first run; and not read
    whole as a fallback, which is the unbounded read ``limit`` is there to avoid.
    """
    if not _takes(outbox.due, "limit", "after"):
        raise ConfigurationError(
            f"{type(outbox).__name__}.due must accept limit= and after= (at most that "
            "many entries, earliest first, only those sorting after the given entry by "
            "due time and key): send_due reads the queue a page at a time; see "
            "docs/messenger.md",
            field="outbox",
        )
    if not _takes(outbox.update, "expected"):
        raise ConfigurationError(
            f"{type(outbox).__name__}.update must accept expected= (the entry as read; "
            "move only if the stored entry is still exactly that one, else raise "
            "OutboxConflictError): the messenger needs it to resolve a reservation left "
            "by a crash without sending the message twice; see docs/messenger.md",
            field="outbox",
        )


def _segments_of(body: str) -> int:
    """Segments of a received text; half a surrogate pair (a reply split between
    segments by a handset) counts as one replacement character instead of failing."""
    return count_segments(body.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace"))


def _is_phone_number(sender: str) -> bool:
    """Whether an inbound ``From`` is a phone number (not a short code or a name)."""
    try:
        parse_number(sender)
    except InvalidPhoneNumber:
        return False
    return True


_ORDER = "Messenger(provider, pipeline, ledger, history, outbox, ...)"
_HISTORY_METHODS = (
    "record_message", "record_delivery", "messages", "deliveries", "processed",
    "mark_processed",
)
_OUTBOX_METHODS = ("reserve", "get", "update", "due")


def _refuse_async_provider(provider: object) -> None:
    """An asyncio provider's ``send`` returns a coroutine the messenger never awaits:
    nothing would be sent, the key left reserved and an AttributeError raised."""
    if inspect.iscoroutinefunction(getattr(provider, "send", None)):
        name = type(provider).__name__
        raise ConfigurationError(
            f"Messenger is synchronous and cannot await {name}.send; give it the "
            f"synchronous provider ({name.removeprefix('Async')}, e.g. the one the async "
            "twin wraps), and from asyncio code run the messenger's calls in a thread: "
            "await asyncio.to_thread(messenger.send, request, sender, at)",
            field="provider",
        )


def _require_roles(ledger: object, history: object, outbox: object) -> None:
    """Each store in its place: arguments swapped (the history given as the ledger)
    built a messenger whose every webhook raised AttributeError."""
    if not isinstance(ledger, ConsentLedger):
        raise ConfigurationError(
            f"ledger must be a ConsentLedger, not {type(ledger).__name__}: the order is "
            f"{_ORDER}",
            field="ledger",
        )
    for name, value, methods, example in (
        ("history", history, _HISTORY_METHODS, "a message history (SQLiteMessageHistory)"),
        ("outbox", outbox, _OUTBOX_METHODS, "an outbox (SQLiteOutbox)"),
    ):
        missing = [m for m in methods if not callable(getattr(value, m, None))]
        if missing:
            raise ConfigurationError(
                f"{name} must be {example}, not {type(value).__name__}, which lacks "
                f"{', '.join(missing)}: the order is {_ORDER}",
                field=name,
            )


def _sender_profiles(senders: object) -> tuple[SenderProfile, ...]:
    """``senders=`` as profiles, or a ConfigurationError saying what to give."""
    if isinstance(senders, SenderProfile):
        raise ConfigurationError(
            "senders takes a list of SenderProfile, not one: write senders=[profile]",
            field="senders",
        )
    if isinstance(senders, str | bytes) or not isinstance(senders, Iterable):
        raise ConfigurationError(
            f"senders takes a list of SenderProfile, not {type(senders).__name__}",
            field="senders",
        )
    given = tuple(senders)
    for profile in given:
        if not isinstance(profile, SenderProfile):
            # A number given as text is not shown: it may be anyone's.
            raise ConfigurationError(
                f"senders holds a {type(profile).__name__}, not a SenderProfile: give each "
                "sending number's profile (SenderProfile(sender_id=..., consent_scope=...))",
                field="senders",
            )
    return given


def _refuse_promotional_confirmations(profiles: Iterable[SenderProfile]) -> None:
    """Refuse a profile whose opt-out confirmation offers something: the messenger
    sends it as the ledger words it, not through the engine's confirmation check, and
    FCC 47 CFR 64.1200(a)(12) allows only a confirmation without marketing (rev30e)."""
    for profile in profiles:
        # The texts as written: the brand leading them names the sender (a brand such as
        # "Free Trial Co" is no offer, leading the text or inside it), as the engine's
        # check reads it.
        texts = [profile.opt_out_reply] + [
            t.opt_out_reply for t in profile.reply_translations or ()
            if t.opt_out_reply is not None]
        for text in texts:
            offer = promotion(text, names=_names(profile))
            if offer is not None:
                raise ConfigurationError(
                    f"senders: a profile's opt_out_reply offers {offer!r}; the one "
                    "confirmation of an opt-out may only confirm it, with no marketing "
                    "or promotional content (FCC 47 CFR 64.1200(a)(12)): remove the offer",
                    field="senders",
                )


def _status_callback_url(url: object) -> str | None:
    """``status_callback=`` checked as Twilio checks it (error 21609): a full http(s)
    URL with a host. A relative one would have every message refused."""
    if url is None:
        return None
    try:
        parts = urlsplit(url) if isinstance(url, str) else None
        host = parts.hostname if parts is not None else None
    except ValueError:  # "http://[::1": an unclosed bracket
        parts = host = None
    if not isinstance(url, str) or parts is None or parts.scheme not in ("http", "https") \
            or not host:
        shown = repr(url) if isinstance(url, str) else type(url).__name__
        raise ConfigurationError(
            f"status_callback must be a full http:// or https:// URL with its host "
            f"(https://sms.example.com/sms/status), not {shown}; None for no delivery "
            "reports. Twilio refuses every message created with another (error 21609)",
            field="status_callback",
        )
    return url


def _holds_consent(sender: str, region: str) -> bool:
    """Whether the ledger can keep consent for an inbound ``From`` (a mobile-format
    number): a ConsentError about it is then a real error, not the sender's kind."""
    try:
        normalize_recipient(sender, region=region)
    except ConsentError:
        return False
    return True


def _reply_kind(outcome: ReplyOutcome | None) -> str | None:
    return None if outcome is None or outcome.match is None else outcome.match.kind.value
