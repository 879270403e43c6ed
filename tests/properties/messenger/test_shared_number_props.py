"""Profiles sharing one number: whatever their order in ``senders=``, the messenger is
refused for all orders or built for all, and once built a STOP to the number blocks
every profile's next send (the carrier blocks the number, not a program)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from smskit.consent import ConsentLedger, MemoryStore
from smskit.consent.sender import Registration, SenderProfile
from smskit.errors import ConfigurationError
from smskit.messenger import MemoryMessageHistory, MemoryOutbox, Messenger
from smskit.policy import CompliancePipeline, SendRequest, default_policies
from smskit.providers import MemoryProvider
from smskit.testing import FixedClock

T0 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # 10:00 in New York
ALICE, OURS = "+12125550123", "+12125550199"
BASE = SenderProfile(sender_id=OURS, registration=Registration.APPROVED, brand="Acme")
_Spec = tuple[str, bool, bool]  # consent_scope, revocation_scope="acme", its own "BASTA"
_specs = st.lists(
    st.tuples(st.sampled_from(["acme", "acme/a", "acme/b", "acme/a/x", "bravo"]),
              st.booleans(), st.booleans()),
    min_size=1, max_size=3,
)


def _profile(spec: _Spec) -> SenderProfile:
    scope, wide, basta = spec
    return SenderProfile(
        sender_id=OURS, registration=Registration.APPROVED, brand="Acme",
        consent_scope=scope, revocation_scope="acme" if wide else None,
        keywords=BASE.keywords.extend("opt_out", ["BASTA"]) if basta else BASE.keywords,
    )


def _built(senders: list[SenderProfile]) -> tuple[Messenger, MemoryProvider] | None:
    clock = FixedClock(T0)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    history = MemoryMessageHistory()
    provider = MemoryProvider(clock=clock)
    pipeline = CompliancePipeline(default_policies(store=ledger.store, history=history),
                                  history=history)
    for scope in ("acme", "bravo"):
        ledger.grant(ALICE, scope=scope, purposes=["informational"], kind="express",
                     source="web_form", at=T0 - timedelta(days=1))
    try:
        return Messenger(provider, pipeline, ledger, history, MemoryOutbox(),
                         senders=senders), provider
    except ConfigurationError as refused:
        error = refused
    assert error.field == "senders"
    assert OURS not in str(error)
    return None


@st.composite
def _two_orders(draw: st.DrawFn) -> tuple[list[_Spec], list[_Spec]]:
    specs = draw(_specs)
    return specs, list(draw(st.permutations(specs)))


@given(_two_orders())
def test_one_stop_blocks_every_profile_of_the_number_in_any_order(
    orders: tuple[list[_Spec], list[_Spec]],
) -> None:
    profiles, shuffled = ([_profile(spec) for spec in order] for order in orders)
    built = [_built(profiles), _built(shuffled)]
    assert (built[0] is None) == (built[1] is None)
    for made in built:
        if made is None:
            continue
        messenger, provider = made
        # The word one program told the person to text, if any has its own.
        stop = provider.inbound_params(ALICE, OURS, "BASTA" if any(
            "BASTA" in {k.word for k in p.keywords.keywords} for p in profiles) else "STOP")
        messenger.handle_inbound("https://sms.example/in", stop, {}, T0)
        for i, profile in enumerate(profiles):
            request = SendRequest(ALICE, body="Acme: your visit is at 2 pm. Reply STOP to "
                                  "opt out", purpose="informational", idempotency_key=f"k{i}")
            assert messenger.send(request, profile, T0 + timedelta(minutes=1 + i)).outcome \
                .value == "blocked"
