"""Properties of the consent fold and the canonical form."""

from __future__ import annotations

import contextlib
import io
import json
import random
import tempfile
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from smskit.consent import (
    Channel,
    ConsentEvent,
    ConsentKind,
    ConsentLedger,
    ConsentScope,
    ConsentSource,
    EventKind,
    Evidence,
    ImpliedBasis,
    MemoryStore,
    Purpose,
    RevocationMethod,
    SQLiteStore,
    facts_of,
    fold,
    fold_findings,
    normalize_recipient,
)
from smskit.consent._codec import canonical_bytes, event_from_record, event_hash, event_record
from smskit.errors import ConsentError, LedgerIntegrityError

T0 = datetime(2025, 1, 1, tzinfo=UTC)
N = "+14155550123"
SCOPES = ["acme", "acme/app-1", "acme/app-2", "other"]

texts = st.none() | st.text(max_size=12)
_KINDS = st.sampled_from(
    [EventKind.GRANTED, EventKind.REVOKED, EventKind.REGRANTED, EventKind.REQUESTED]
)
_CONSENT_KINDS = st.sampled_from(list(ConsentKind))
_SCOPES = st.sampled_from([ConsentScope.parse(s) for s in SCOPES])
_CHANNELS = st.frozensets(st.sampled_from(list(Channel)), min_size=1)
_PURPOSES = st.frozensets(st.sampled_from(list(Purpose)), min_size=1)
_HOURS = st.integers(0, 24 * 1000)
_SOURCES = st.sampled_from(list(ConsentSource))
_BASES = st.sampled_from([ImpliedBasis.PURCHASE, ImpliedBasis.INQUIRY])
_DEFAULT = settings.default
assert _DEFAULT is not None
FEW = settings(_DEFAULT, max_examples=max(10, _DEFAULT.max_examples // 5), deadline=None)


@st.composite
def events(draw: st.DrawFn) -> ConsentEvent:
    kind = draw(_KINDS)
    consent_kind = draw(_CONSENT_KINDS)
    granting = kind in (EventKind.GRANTED, EventKind.REQUESTED)
    implied = granting and consent_kind is ConsentKind.IMPLIED
    return ConsentEvent(
        kind=kind,
        recipient=N,
        scope=draw(_SCOPES),
        channels=draw(_CHANNELS),
        purposes=draw(_PURPOSES),
        occurred_at=T0 + timedelta(hours=draw(_HOURS)),
        source=draw(_SOURCES),
        evidence=Evidence(form_url="https://acme.example/f", consent_text="I agree",
                          actor=draw(texts), reply_text=draw(texts)),
        consent_kind=consent_kind if granting else None,
        implied_basis=draw(_BASES) if implied else None,
        revocation_method=RevocationMethod.KEYWORD if kind is EventKind.REVOKED else None,
        recorded_at=T0,
    )


def _sealed(drafts: list[ConsentEvent]) -> list[ConsentEvent]:
    # The fold needs sequence numbers only; hashing is covered by the round-trip test.
    return [replace(d, sequence=i) for i, d in enumerate(drafts, start=1)]


questions = st.tuples(
    st.sampled_from(list(Purpose)), st.sampled_from(SCOPES), st.sampled_from(list(Channel)),
    st.integers(0, 24 * 1100),
)


@given(st.lists(events(), max_size=12), questions, st.randoms())
def test_fold_does_not_depend_on_the_order_events_arrive_in(
    drafts: list[ConsentEvent], question: tuple[Purpose, str, Channel, int], rnd: random.Random
) -> None:
    sealed = _sealed(drafts)
    purpose, scope, channel, hours = question
    kwargs = {"recipient": N, "scope": ConsentScope.parse(scope), "channel": channel,
              "at": T0 + timedelta(hours=hours)}
    shuffled = list(sealed)
    rnd.shuffle(shuffled)
    assert fold(sealed, purpose, **kwargs) == fold(shuffled, purpose, **kwargs)  # type: ignore[arg-type]


@given(st.lists(events(), max_size=10), events(), questions)
def test_later_events_never_change_an_earlier_answer(
    drafts: list[ConsentEvent], late: ConsentEvent, question: tuple[Purpose, str, Channel, int]
) -> None:
    purpose, scope, channel, hours = question
    at = T0 + timedelta(hours=hours)
    after = ConsentEvent(**{**{f: getattr(late, f) for f in late.__dataclass_fields__},
                            "occurred_at": at + timedelta(seconds=1)})
    kwargs = {"recipient": N, "scope": ConsentScope.parse(scope), "channel": channel, "at": at}
    before = fold(_sealed(drafts), purpose, **kwargs)  # type: ignore[arg-type]
    with_late = fold(_sealed([*drafts, after]), purpose, **kwargs)  # type: ignore[arg-type]
    assert before.state == with_late.state
    assert before.allows_send == with_late.allows_send


@given(events())
def test_canonical_form_round_trips(draft: ConsentEvent) -> None:
    sealed = MemoryStore().append(draft)
    record = json.loads(canonical_bytes(sealed))
    assert record == event_record(sealed)
    again = event_from_record(record)
    assert again == sealed
    assert event_from_record(record, trusted=True) == sealed
    assert event_hash(again) == event_hash(sealed)


@given(st.lists(events(), min_size=1, max_size=8))
def test_allows_send_only_when_granted(drafts: list[ConsentEvent]) -> None:
    sealed = _sealed(drafts)
    for purpose in Purpose:
        status = fold(sealed, purpose, recipient=N, scope=ConsentScope.parse("acme/app-1"),
                      channel=Channel.SMS, at=T0 + timedelta(days=2000))
        assert status.allows_send == (status.state.value == "granted")
        assert len(status.findings) == 1


@given(st.text(max_size=30))
def test_number_parsing_returns_e164_or_a_consent_error(text: str) -> None:
    error: ConsentError | None = None
    try:
        e164 = normalize_recipient(text)
    except ConsentError as exc:
        error = exc
    if error is not None:
        assert error.field == "number"
        digits = "".join(c for c in text if c.isdigit())
        if len(digits) >= 8:
            assert digits not in str(error)
        return
    assert e164.startswith("+")
    assert e164[1:].isdigit()
    assert normalize_recipient(e164) == e164


@given(st.text(max_size=40))
def test_scope_parsing_round_trips_or_names_the_field(text: str) -> None:
    error: ConsentError | None = None
    try:
        scope = ConsentScope.parse(text)
    except ConsentError as exc:
        error = exc
    if error is not None:
        assert error.field == "scope"
        return
    assert str(scope) == unicodedata.normalize("NFC", text)
    assert ConsentScope.parse(str(scope)) == scope
    assert ConsentScope.parse(unicodedata.normalize("NFD", text)) == scope


@given(st.lists(st.text(max_size=60), max_size=4) | st.lists(st.binary(max_size=60), max_size=4))
def test_importing_any_text_only_raises_integrity_errors(lines: list[str] | list[bytes]) -> None:
    text = "\n".join(x.decode("utf-8", "replace") if isinstance(x, bytes) else x for x in lines)
    ledger = ConsentLedger(MemoryStore())
    with contextlib.suppress(LedgerIntegrityError):
        ledger.import_jsonl(io.StringIO(text))
    assert ledger.store.count() == 0


@given(st.lists(events(), max_size=12), questions)
def test_fold_findings_of_the_facts_are_the_folds_findings(
    drafts: list[ConsentEvent], question: tuple[Purpose, str, Channel, int]
) -> None:
    sealed = _sealed(drafts)
    purpose, scope, channel, hours = question
    kwargs = {"scope": ConsentScope.parse(scope), "channel": channel,
              "at": T0 + timedelta(hours=hours)}
    expected = fold(sealed, purpose, recipient=N, **kwargs).findings  # type: ignore[arg-type]
    assert fold_findings([facts_of(e) for e in sealed], purpose, **kwargs) == expected  # type: ignore[arg-type]
    assert fold_findings(sealed, purpose, **kwargs) == expected  # type: ignore[arg-type]


_OFFSETS = st.sampled_from(
    [UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30))]
)
_PEOPLE = st.sampled_from([N, "+14155550124", "+447911123456"])


@FEW
@given(st.lists(st.tuples(events(), _PEOPLE, _OFFSETS), max_size=12),
       st.lists(st.integers(1, 4), max_size=4))
def test_sqlite_projection_is_the_facts_of_the_chain(
    drafts: list[tuple[ConsentEvent, str, timezone]], batches: list[int]
) -> None:
    """For any events appended in any batches, the projection SQLite answers from is
    exactly ``facts_of`` each stored event, and ``verify`` agrees."""
    people = [N, "+14155550124", "+447911123456", "+13125550199"]
    with (
        tempfile.TemporaryDirectory() as directory,
        SQLiteStore(Path(directory) / "l.db", durable=False) as store,
    ):
        pending = [replace(d, recipient=who, occurred_at=d.occurred_at.astimezone(tz))
                   for d, who, tz in drafts]
        for size in [*batches, len(pending)]:
            store.append_many(pending[:size])
            pending = pending[size:]
        projected = store.facts_many(people)
        for who in people:
            assert list(projected[who]) == [facts_of(e) for e in store.events(who)]
            assert [f.occurred_at.utcoffset() for f in projected[who]] == [
                e.occurred_at.utcoffset() for e in store.events(who)]
        assert projected == store.facts_many(people, verify=True)
        ConsentLedger(store).verify()


# Scope parts from characters around "/" in byte order ("-", ".", "0"), a space inside,
# and a letter NFC composes: texts that are prefixes of one another without being parents.
# With capitals and letters whose case folding is not one to one (ß, İ, ı, ſ): scopes
# compare without case (user29).
_PARTS = st.text(alphabet="a-.0 \u00e9e\u0301AÉßSİıſ", min_size=1, max_size=3).filter(
    lambda p: p == p.strip())
_ANY_SCOPES = st.lists(_PARTS, min_size=1, max_size=3).map(lambda p: ConsentScope(tuple(p)))


@FEW
@given(st.lists(st.tuples(events(), _ANY_SCOPES), max_size=10),
       st.lists(_ANY_SCOPES, max_size=3), st.booleans())
def test_facts_many_with_scopes_keeps_exactly_the_related_events(
    drafts: list[tuple[ConsentEvent, ConsentScope]], asked: list[ConsentScope], upper: bool
) -> None:
    """SQLite's filter in SQL and the stores' filter in Python keep the events whose
    scope is, by its parts (without case), a prefix of an asked scope or has one as a
    prefix."""

    def caseless(parts: tuple[str, ...]) -> tuple[str, ...]:
        # Unicode's canonical caseless match (D145), not smskit's key.
        return tuple(unicodedata.normalize("NFD", unicodedata.normalize("NFD", p).casefold())
                     for p in parts)

    def related(parts: tuple[str, ...]) -> bool:
        mine = caseless(parts)
        return any(mine[:len(a.parts)] == caseless(a.parts)
                   or caseless(a.parts)[:len(mine)] == mine for a in asked)

    if upper and drafts:  # an event's scope asked in capitals
        with contextlib.suppress(ConsentError):
            asked = [*asked, ConsentScope.parse(str(drafts[0][1]).upper())]
    scoped = [replace(d, scope=s) for d, s in drafts]
    memory = MemoryStore()
    memory.append_many(scoped)
    with (
        tempfile.TemporaryDirectory() as directory,
        SQLiteStore(Path(directory) / "l.db", durable=False) as store,
    ):
        store.append_many(scoped)
        everything = [facts_of(e) for e in store.events(N)]
        expected = [f for f in everything if related(f.scope.parts)]
        for verify in (False, True):
            assert list(store.facts_many([N], verify=verify, scopes=asked)[N]) == expected
        assert list(memory.facts_many([N], scopes=asked)[N]) == expected
