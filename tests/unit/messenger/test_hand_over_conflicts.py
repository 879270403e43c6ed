"""Every outbox move after a hand-over survives another worker moving the key (fix26o).

rev26u made the ``SENT`` move survive a ``reconcile(older_than=...)`` run too soon by
another worker (it judged the reservation stale, found nothing yet at the provider and
sent the key itself; since fix27m reconcile never judges a row younger than the
messenger's ``in_flight`` stale, so the race needs a hand-over that stalls past the
lease: ``conftest.stalled``). The other moves after the provider answered (maybe sent, queued
to retry, failed after a refusal, failed after the last retry) still raised
``OutboxConflictError`` out of ``send_due``: the rest of the batch waited, and a refusal
lost its failure record, so health counted fewer failures than the provider reported.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit import SendRequest
from smskit.errors import ConfigurationError, ErrorCategory, OutboxConflictError, StoreError
from smskit.messenger import Messenger, OutboxState
from smskit.providers import MemoryProvider

from .conftest import ALICE, Rig, build_rig, consent, outbox_of, stalled

NIGHT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 05:00 in New York: queued
MORNING = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # 10:00 in New York: due
BOB = "+12125550124"
KINDS = ["memory", "sqlite", "postgres"]


def _offer(key: str, to: str = ALICE) -> SendRequest:
    return SendRequest(recipient=to, body="Acme: 10% off a boiler check. Reply STOP to opt out",
                       idempotency_key=key)


class _Racing:
    """Worker A's provider: on its first send, worker B reconciles first, then A's own
    hand-over fails as ``fail`` makes it (on the shared memory provider, or raised)."""

    def __init__(self, inner: MemoryProvider, before: Callable[[], None],
                 fail: Callable[[], None]) -> None:
        self.inner = inner
        self._before: Callable[[], None] | None = before
        self._fail = fail

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def send(self, message: object) -> object:
        before, self._before = self._before, None
        if before is not None:
            before()
            self._fail()
        return self.inner.send(message)  # type: ignore[arg-type]


def _race(rig: Rig, fail: Callable[[], None], max_attempts: int = 8) -> Messenger:
    """Two queued texts due; worker A's first hand-over raced by B's reconcile."""
    consent(rig)
    consent(rig, BOB)
    assert rig.messenger.send(_offer("promo-1"), rig.sender, NIGHT, queue=True).queued
    assert rig.messenger.send(_offer("promo-2", BOB), rig.sender, NIGHT, queue=True).queued
    racing = _Racing(rig.provider,
                     lambda: stalled(rig).reconcile(MORNING), fail)
    return Messenger(racing, rig.messenger.pipeline, rig.ledger, rig.history,  # type: ignore[arg-type]
                     rig.outbox, senders=[rig.sender], max_attempts=max_attempts)


def _failures(rig: Rig) -> list[tuple[str, str, str | None]]:
    return [(d.provider_id, d.status, d.category) for d in rig.history.deliveries(
        since=NIGHT, until=MORNING + timedelta(days=1))]


def _b_sent_promo_1(rig: Rig) -> None:
    """B's reconcile sent promo-1 itself: the entry is B's, as B wrote it."""
    entry = rig.outbox.get("promo-1")
    assert entry is not None
    assert entry.state is OutboxState.SENT
    assert entry.provider_id == rig.provider.receipts[0].message_id


@pytest.mark.parametrize("kind", KINDS)
def test_a_refusal_under_a_conflict_keeps_its_failure_record(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        worker = _race(rig, lambda: rig.provider.fail_next(ErrorCategory.LANDLINE))
        results = worker.send_due(MORNING)  # raised OutboxConflictError before
        # The key's own state, as for the last retry's refusal: B's text went out, so
        # "failed" (answered before rev27m) told the caller to send it again under a
        # new key, a second text. The reason still gives A's refusal.
        assert [(r.key, r.outcome.value) for r in results] == [
            ("promo-1", "duplicate"), ("promo-2", "sent")]
        reason = results[0].reason or ""
        assert "landline" in reason
        assert rig.provider.receipts[0].message_id in reason
        assert "use a new key" not in reason
        # Health counts the refusal the provider gave A, once.
        assert _failures(rig) == [("rejected:promo-1", "failed", "landline")]
        _b_sent_promo_1(rig)


@pytest.mark.parametrize("kind", KINDS)
def test_the_last_retry_refused_under_a_conflict_keeps_its_failure_record(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        worker = _race(rig, lambda: rig.provider.fail_next(ErrorCategory.UNREACHABLE),
                       max_attempts=1)
        results = worker.send_due(MORNING)
        # The key's own state: B sent it (it answered "failed" before, fix27m).
        assert [(r.key, r.outcome.value) for r in results] == [
            ("promo-1", "duplicate"), ("promo-2", "sent")]
        assert _failures(rig) == [("gave-up:promo-1", "failed", "unreachable")]
        assert "use a new key" not in (results[0].reason or "")  # the key is B's now
        _b_sent_promo_1(rig)


@pytest.mark.parametrize("kind", KINDS)
def test_a_retry_under_a_conflict_leaves_the_key_to_the_other_worker(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        worker = _race(rig, lambda: rig.provider.time_out_next())
        results = worker.send_due(MORNING)
        # B sent it: "pending" (answered before fix27m) promised a send nobody makes.
        assert [(r.key, r.outcome.value) for r in results] == [
            ("promo-1", "duplicate"), ("promo-2", "sent")]
        assert not results[0].queued  # not queued by A: B sent it
        assert _failures(rig) == []  # a transport error says nothing of the sender
        _b_sent_promo_1(rig)
        assert len(rig.provider.messages) == 2  # B's promo-1, A's promo-2


@pytest.mark.parametrize("kind", KINDS)
def test_a_maybe_sent_text_under_a_conflict_is_pending_and_the_batch_goes_on(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        worker = _race(rig, lambda: rig.provider.time_out_next(processed=True))
        results = worker.send_due(MORNING)
        assert [(r.key, r.outcome.value) for r in results] == [
            ("promo-1", "pending"), ("promo-2", "sent")]
        assert "by hand" in (results[0].reason or "")
        _b_sent_promo_1(rig)


@pytest.mark.parametrize("kind", KINDS)
def test_a_configuration_error_under_a_conflict_is_still_the_error_raised(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    def refuse() -> None:
        raise ConfigurationError("no address for this number: add it to the directory",
                                 field="to")

    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        worker = _race(rig, refuse)
        with pytest.raises(ConfigurationError, match="add it to the directory"):
            worker.send_due(MORNING)
        _b_sent_promo_1(rig)  # not overwritten as failed


def test_a_genuine_store_error_still_raises() -> None:
    """Only the race is absorbed: an outbox that loses the key altogether is a bug."""
    rig = build_rig()
    consent(rig)
    consent(rig, BOB)
    assert rig.messenger.send(_offer("promo-1"), rig.sender, NIGHT, queue=True).queued

    def lose_it() -> None:
        rig.outbox._entries.pop("promo-1")  # type: ignore[attr-defined]
        rig.provider.fail_next(ErrorCategory.LANDLINE)

    worker = Messenger(_Racing(rig.provider, lambda: None, lose_it),  # type: ignore[arg-type]
                       rig.messenger.pipeline, rig.ledger, rig.history, rig.outbox,
                       senders=[rig.sender])
    with pytest.raises(StoreError, match="no entry 'promo-1'") as raised:
        worker.send_due(MORNING)
    assert not isinstance(raised.value, OutboxConflictError)
