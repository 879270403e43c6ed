"""Any interleaving of send, cancel and send_due (with provider outages between):
nothing goes out under a key once its cancel answered ``cancelled``, nothing goes
out after its request's ``send_by``, and no outbox row is lost or leaves a
cancelled or expired state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from smskit import CancelOutcome, SendRequest
from smskit.consent import ConsentLedger, Evidence, MemoryStore
from smskit.consent.sender import Registration, SenderProfile
from smskit.messenger import MemoryMessageHistory, MemoryOutbox, Messenger, OutboxState
from smskit.policy import CompliancePipeline, default_policies
from smskit.providers import ErrorCategory, MemoryProvider
from smskit.testing import FixedClock

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # 04:00 in New York: quiet hours
ALICE = "+12125550123"
KEYS = st.sampled_from(["r1", "r2", "r3"])
STEP = st.integers(0, 240)  # minutes the clock moves before the operation
OPS = st.lists(
    st.one_of(
        # send: key, minutes to its send_by (None: no limit), whether the provider fails
        st.tuples(st.just("send"), KEYS, STEP, st.one_of(st.none(), st.integers(-30, 900)),
                  st.booleans()),
        st.tuples(st.just("cancel"), KEYS, STEP, st.none(), st.just(False)),
        st.tuples(st.just("due"), KEYS, STEP, st.none(), st.booleans()),
    ),
    max_size=12,
)


def _messenger() -> tuple[Messenger, MemoryProvider, MemoryOutbox, SenderProfile]:
    clock = FixedClock(START)
    provider = MemoryProvider(clock=clock)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    ledger.grant(ALICE, scope="acme", purposes=["marketing"], kind="express_written",
                 source="web_form", at=START - timedelta(days=1),
                 evidence=Evidence(consent_text="I agree to texts from Acme",
                                   form_url="https://acme.example/join"))
    history = MemoryMessageHistory()
    sender = SenderProfile(sender_id="+12125550199", registration=Registration.APPROVED,
                           consent_scope="acme", brand="Acme")
    pipeline = CompliancePipeline(default_policies(store=ledger.store, history=history),
                                  history=history)
    outbox = MemoryOutbox()
    messenger = Messenger(provider, pipeline, ledger, history, outbox, senders=[sender])
    return messenger, provider, outbox, sender


@given(OPS)
def test_no_cancelled_or_late_text_goes_out_and_no_row_is_lost(
    ops: list[tuple[str, str, int, int | None, bool]],
) -> None:
    messenger, provider, outbox, sender = _messenger()
    at = START
    send_by: dict[str, datetime | None] = {}  # the last request's, per key
    cancelled: set[str] = set()
    stored: set[str] = set()
    for op, key, step, by, fail in ops:
        at += timedelta(minutes=step)
        before = len(provider.messages)
        if fail:
            provider.fail_next(ErrorCategory.TEMPORARY)
        if op == "send":
            limit = None if by is None else at + timedelta(minutes=by)
            request = SendRequest(recipient=ALICE, body=f"Acme: reminder {key}",
                                  idempotency_key=key, send_by=limit)
            messenger.send(request, sender, at, queue=True)
            queued = outbox.get(key)
            if len(provider.messages) > before or (
                queued is not None and queued.state is OutboxState.DEFERRED
            ):
                # What went out now, or waits in the queue, is this request's text.
                send_by[key] = limit
        elif op == "cancel":
            if messenger.cancel(key, at) is CancelOutcome.CANCELLED:
                cancelled.add(key)
        else:
            messenger.send_due(at)
        for message in provider.messages[before:]:
            assert message.idempotency_key not in cancelled
            limit = send_by.get(message.idempotency_key or "")
            assert limit is None or at <= limit, (message.idempotency_key, at, limit)
        for key_seen in stored:
            assert outbox.get(key_seen) is not None  # never lost
        stored |= {k for k in ("r1", "r2", "r3") if outbox.get(k) is not None}
        for key_cancelled in cancelled:
            assert outbox.get(key_cancelled).state is OutboxState.CANCELLED  # type: ignore[union-attr]
