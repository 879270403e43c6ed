"""A queued message taken by one worker while another's hand-over of it went ambiguous.

Two workers drain one outbox. Both read a queued entry as due; the first takes it,
hands it over and loses the provider's answer (a timeout after the provider took it:
``AMBIGUOUS``). The second then took it too: the outbox's state machine lets an
ambiguous entry become reserved again, and the take was not a compare-and-set on the
queued entry the worker had read, so the message went out twice (a STOP's
confirmation twice, a "your technician is on the way" twice).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from smskit import SendRequest
from smskit.messenger import Messenger, OutboxEntry

from .conftest import ALICE, OURS, T0, Rig, build_rig, consent, outbox_of

LATER = T0 + timedelta(minutes=2)


class _Interleaved:
    """An outbox that runs the other worker right after one of its reads (the
    ``nth`` call of ``after``)."""

    def __init__(self, inner: object, after: str, nth: int = 1) -> None:
        self.inner = inner
        self.after = after
        self.nth = nth
        self.then: Callable[[], object] | None = None

    def __getattr__(self, name: str) -> object:
        found = getattr(self.inner, name)
        if name != self.after:
            return found

        def read(*args: object, **kwargs: object) -> object:
            result = found(*args, **kwargs)
            self.nth -= 1
            if self.nth:
                return result
            then, self.then = self.then, None
            if then is not None:
                then()
            return result

        return read


def _second_worker(rig: Rig, after: str, nth: int = 1) -> tuple[Messenger, _Interleaved]:
    interleaved = _Interleaved(rig.outbox, after, nth)

    def first_worker_sends_and_loses_the_answer() -> None:
        rig.provider.time_out_next(processed=True)  # the provider took it; no answer
        [result] = rig.messenger.send_due(LATER)
        assert result.outcome.value == "pending"

    interleaved.then = first_worker_sends_and_loses_the_answer
    worker = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                       interleaved, senders=[rig.sender])  # type: ignore[arg-type]
    return worker, interleaved


KINDS = ["memory", "sqlite", "postgres"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_queued_stop_confirmation_goes_once(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        rig.provider.time_out_next()  # the confirmation's first hand-over sends nothing
        stop = rig.provider.inbound_params(ALICE, OURS, "STOP")
        done = rig.messenger.handle_inbound("https://sms.example.com/in", stop, {}, T0)
        assert done.reply is not None
        assert done.reply.queued
        # This worker reads the confirmation as due; the other sends it meanwhile.
        worker, _ = _second_worker(rig, after="due")
        [result] = worker.send_due(LATER)
        assert result.outcome.value == "pending"
        assert len(rig.provider.messages) == 1
        entry: OutboxEntry | None = rig.outbox.get(done.reply.key)
        assert entry is not None
        assert entry.state.value == "ambiguous"


@pytest.mark.parametrize("kind", KINDS)
def test_a_queued_request_goes_once(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        rig.provider.time_out_next()
        on_the_way = SendRequest(recipient=ALICE, purpose="transactional",
                                 body="Acme: your technician is on the way",
                                 idempotency_key="job-1042-on-the-way")
        assert rig.messenger.send(on_the_way, rig.sender, T0).queued
        # This worker decides the request again and finds the key still queued when it
        # comes to take it (its second read of the key: the first was before deciding);
        # the other sends it before this one takes it. (Review rev25r: a key read queued
        # is read again there, no longer reserved: gone, a reserve made it a new message.)
        worker, _ = _second_worker(rig, after="get", nth=2)
        [result] = worker.send_due(LATER)
        assert result.outcome.value == "pending"
        assert len(rig.provider.messages) == 1
