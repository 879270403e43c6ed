"""A toll-free number and a long code in one consent scope (docs/consent.md).

The network holds a STOP texted to a toll-free number until START or UNSTOP reaches
that toll-free number (Twilio, "Opt-out keyword handling for toll-free SMS",
https://support.twilio.com/hc/en-us/articles/360058144374); a send from it meanwhile
is refused with error 21610 (https://www.twilio.com/docs/api/errors/21610). Each reply
event records the number it reached (``received_by``) when the reply handler is given
that number's profile, and the opt-out policy holds a toll-free sender on it. Events
written before smskit kept it (no ``received_by``) decide as they did.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.unit.consent._old_format import (
    export_lines,
    grant_record,
    reply_record,
    write_schema_2,
)

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    MemorySendHistory,
    MemoryStore,
    OptOutPolicy,
    Registration,
    Route,
    SenderProfile,
    SendRequest,
    Verdict,
    default_policies,
)
from smskit.consent import ConsentStore, EventKind, SQLiteStore
from smskit.consent._codec import event_hash
from smskit.errors import ConfigurationError

LEAD = "+13125550123"
T0 = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
BODY = "Lakeview Realty: new listing near you. Reply STOP to opt out"
LOCAL_ID, TF_ID, TF2_ID = "+13125550100", "+18885550100", "+18445550177"


def _local(scope: str = "lv") -> SenderProfile:
    return SenderProfile(sender_id=LOCAL_ID, registration=Registration.APPROVED,
                         brand="Lakeview Realty", consent_scope=scope)


def _toll_free(scope: str = "lv", sender_id: str = TF_ID) -> SenderProfile:
    return SenderProfile(sender_id=sender_id, route=Route.TOLL_FREE,
                         registration=Registration.VERIFIED, brand="Lakeview Realty",
                         consent_scope=scope)


def _grant(ledger: ConsentLedger) -> None:
    ledger.grant(LEAD, scope="lv", purposes="marketing", kind="express_written",
                 source="web_form", at=T0,
                 evidence=Evidence(consent_text="Yes", form_url="https://lv.example/join"))


def _engine(store: ConsentStore) -> CompliancePipeline:
    history = MemorySendHistory()
    return CompliancePipeline(default_policies(store=store, history=history), history=history)


def _decide(local_scope: str, tf_scope: str) -> tuple[Verdict, Verdict]:
    local, toll_free = _local(local_scope), _toll_free(tf_scope)
    store = MemoryStore()
    ledger = ConsentLedger(store)
    engine = _engine(store)
    _grant(ledger)
    ledger.handle_reply(LEAD, "STOP", scope=tf_scope, at=T0 + timedelta(days=1),
                        profile=toll_free, message_id="SM1")
    ledger.handle_reply(LEAD, "START", scope=local_scope, at=T0 + timedelta(days=2),
                        profile=local, message_id="SM2")
    at = T0 + timedelta(days=3)
    return (engine.decide(SendRequest(LEAD, body=BODY), local, at).verdict,
            engine.decide(SendRequest(LEAD, body=BODY), toll_free, at).verdict)


def test_a_start_to_the_long_code_does_not_lift_the_toll_free_network_hold() -> None:
    local, toll_free = _decide("lv", "lv")
    assert local is Verdict.ALLOW
    assert toll_free is Verdict.BLOCK  # the network refuses it: error 21610


def test_with_a_scope_per_toll_free_number_the_hold_stays() -> None:
    local, toll_free = _decide("lv/local", "lv/tf")
    assert local is Verdict.ALLOW
    assert toll_free is Verdict.BLOCK


@pytest.fixture
def ledger() -> ConsentLedger:
    made = ConsentLedger(MemoryStore())
    _grant(made)
    return made


def _reply(ledger: ConsentLedger, body: str, profile: SenderProfile, day: int,
           message_id: str | None = None) -> None:
    ledger.handle_reply(LEAD, body, scope="lv", at=T0 + timedelta(days=day),
                        profile=profile, message_id=message_id)


def _opt_out_findings(ledger: ConsentLedger, sender: SenderProfile, day: int = 9
                      ) -> list[tuple[str, str]]:
    decision = _engine(ledger.store).decide(SendRequest(LEAD, body=BODY), sender,
                                             T0 + timedelta(days=day))
    return [(f.code, f.message) for f in decision.findings if f.code.startswith("opt_out.")]


def test_the_reason_says_to_text_start_to_that_number_and_masks_it(
    ledger: ConsentLedger,
) -> None:
    _reply(ledger, "STOP", _toll_free(), 1, "SM1")
    _reply(ledger, "START", _local(), 2, "SM2")
    [(code, message)] = _opt_out_findings(ledger, _toll_free())
    assert code == "opt_out.toll_free_network"
    assert "START or UNSTOP to +1********00" in message
    assert "21610" in message
    for digits in ("8885550100", "3125550123"):  # neither number in full
        assert digits not in message


def test_each_reply_records_the_number_it_reached(ledger: ConsentLedger) -> None:
    _reply(ledger, "STOP", _toll_free(), 1, "SM1")
    _reply(ledger, "START", _local(), 2, "SM2")
    ledger.handle_reply(LEAD, "STOP", scope="lv", at=T0 + timedelta(days=3))  # no profile
    events = ledger.history(LEAD)
    assert [(e.kind, e.received_by) for e in events] == [
        (EventKind.GRANTED, None), (EventKind.REVOKED, TF_ID),
        (EventKind.REGRANTED, LOCAL_ID), (EventKind.REVOKED, None),
    ]
    assert TF_ID not in repr(events[1])
    assert TF_ID not in repr(ledger.store.facts_many([LEAD])[LEAD][1])


def test_start_to_the_toll_free_number_lifts_its_hold(ledger: ConsentLedger) -> None:
    _reply(ledger, "STOP", _toll_free(), 1, "SM1")
    _reply(ledger, "START", _toll_free(), 2, "SM2")
    assert _opt_out_findings(ledger, _toll_free()) == []
    assert _opt_out_findings(ledger, _local()) == []


@pytest.mark.parametrize("message_id", [None, "SM3"])
def test_start_to_the_toll_free_number_after_one_to_the_long_code_lifts_it(
    ledger: ConsentLedger, message_id: str | None,
) -> None:
    # The long code's START lifted the opt-out: the toll-free START has nothing to
    # re-grant, and is still recorded (noted), even without a message id.
    _reply(ledger, "STOP", _toll_free(), 1, "SM1")
    _reply(ledger, "START", _local(), 2, "SM2")
    _reply(ledger, "UNSTOP", _toll_free(), 3, message_id)
    assert ledger.history(LEAD)[-1].kind is EventKind.NOTED
    assert ledger.history(LEAD)[-1].received_by == TF_ID
    assert _opt_out_findings(ledger, _toll_free()) == []


def test_a_yes_to_the_toll_free_number_does_not_lift_it(ledger: ConsentLedger) -> None:
    _reply(ledger, "STOP", _toll_free(), 1, "SM1")
    _reply(ledger, "START", _local(), 2, "SM2")
    _reply(ledger, "YES", _toll_free(), 3, "SM3")
    assert [c for c, _ in _opt_out_findings(ledger, _toll_free())] == [
        "opt_out.toll_free_network"]


def test_a_stop_to_one_toll_free_number_does_not_hold_another(ledger: ConsentLedger) -> None:
    _reply(ledger, "STOP", _toll_free(), 1, "SM1")
    _reply(ledger, "START", _local(), 2, "SM2")
    assert _opt_out_findings(ledger, _toll_free(sender_id=TF2_ID)) == []


def test_a_provider_matched_stop_records_the_number_through_revoke_once(
    ledger: ConsentLedger,
) -> None:
    ledger.revoke_once(LEAD, scope="lv", at=T0 + timedelta(days=1), method="keyword",
                       evidence=Evidence(reference="twilio opt-out keyword match on SM1"),
                       profile=_toll_free())
    _reply(ledger, "START", _local(), 2, "SM2")
    assert ledger.history(LEAD)[-2].received_by == TF_ID
    assert [c for c, _ in _opt_out_findings(ledger, _toll_free())] == [
        "opt_out.toll_free_network"]


# -- events written before received_by ------------------------------------------------

# STOP to the toll-free number, START to the long code, as an older smskit stored them:
# it did not know which number either reached, so the engine allowed the toll-free
# number (the strict xfail this file held until then). They must decide as they did.
_OLD = [
    grant_record(LEAD, "lv", T0),
    reply_record("revoked", LEAD, "lv", T0 + timedelta(days=1), "STOP", "SM1", revoked=True),
    reply_record("regranted", LEAD, "lv", T0 + timedelta(days=2), "START", "SM2",
                 revoked=False),
]


def _as_before(store: ConsentStore) -> None:
    ledger = ConsentLedger(store)
    head = ledger.verify()
    assert head[1] == export_lines(_OLD).splitlines()[-1].split('"hash":"')[1][:64]
    assert [e.received_by for e in store.events(LEAD)] == [None, None, None]
    assert [event_hash(e) for e in store.events(LEAD)][-1] == head[1]
    engine, at = _engine(store), T0 + timedelta(days=3)
    assert engine.decide(SendRequest(LEAD, body=BODY), _toll_free(), at).verdict is Verdict.ALLOW
    assert engine.decide(SendRequest(LEAD, body=BODY), _local(), at).verdict is Verdict.ALLOW
    # And a new STOP to the toll-free number, recorded now with its number, is held.
    _reply(ledger, "STOP", _toll_free(), 4, "SM4")
    _reply(ledger, "START", _local(), 5, "SM5")
    assert [c for c, _ in _opt_out_findings(ledger, _toll_free())] == [
        "opt_out.toll_free_network"]
    ledger.verify()


def test_old_events_imported_into_memory_decide_as_before() -> None:
    store = MemoryStore()
    ConsentLedger(store).import_jsonl(io.StringIO(export_lines(_OLD)))
    _as_before(store)


def test_a_schema_2_sqlite_file_decides_as_before(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    write_schema_2(path, _OLD)
    with SQLiteStore(path, read_only=True) as store:  # read through its events
        engine, at = _engine(store), T0 + timedelta(days=3)
        assert engine.decide(SendRequest(LEAD, body=BODY), _toll_free(),
                             at).verdict is Verdict.ALLOW
        ConsentLedger(store).verify()
    with SQLiteStore(path) as store:  # upgraded to schema 3 in place
        _as_before(store)
    with SQLiteStore(path) as store:  # and opened again as schema 3
        assert [e.received_by for e in store.events(LEAD)][-2:] == [TF_ID, LOCAL_ID]
        assert [f.received_by for f in store.facts_many([LEAD])[LEAD]][-2:] == [
            TF_ID, LOCAL_ID]
        ConsentLedger(store).verify()


@pytest.fixture
def pg_store(postgres_dsn: str, pg_schema: str) -> Iterator[ConsentStore]:
    from smskit.consent.postgres import PostgresConsentStore

    with PostgresConsentStore(postgres_dsn, schema=pg_schema) as made:
        made.create_schema()
        yield made


def test_old_rows_in_postgresql_decide_as_before(
    pg_store: ConsentStore, postgres_dsn: str, pg_schema: str,
) -> None:
    import psycopg
    from tests.unit.consent._old_format import chained

    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        for full, body, digest in chained(_OLD):
            conn.execute(
                f"INSERT INTO {pg_schema}.consent_events (chain, seq, recipient, occurred_at, "
                "prev_hash, hash, body) VALUES ('default', %s, %s, %s, %s, %s, %s)",
                (full["sequence"], full["recipient"], full["occurred_at"],
                 full["prev_hash"], digest, body),
            )
    _as_before(pg_store)


# -- property: random replies across a long code and two toll-free numbers ------------

NUMBERS = {"L": _local(), "T1": _toll_free(), "T2": _toll_free(sender_id=TF2_ID)}
WORDS = ("STOP", "START", "UNSTOP", "YES")


@dataclass
class _Model:
    """What the network and the ledger hold, written from docs/consent.md and the
    Twilio toll-free page, one rule a line:

    - any STOP opts the person out of the scope; to a toll-free number, that number's
      network also holds it;
    - START or UNSTOP, to any number, ends the opt-out; to a toll-free number, it also
      ends that number's hold;
    - YES to the long code ends the opt-out, but a keyword STOP lifted so is still held
      for every toll-free sender until a START or UNSTOP (smskit's fail-safe reading);
    - YES to a toll-free number does nothing there.
    """

    opted_out: bool = False
    held_until_start: bool = False  # lifted by YES: held for toll-free senders
    hold: dict[str, bool] | None = None

    def reply(self, number: str, word: str) -> None:
        hold = self.hold if self.hold is not None else {}
        self.hold = hold
        toll_free = number != "L"
        if word == "STOP":
            self.opted_out = True
            if toll_free:
                hold[number] = True
        elif word in ("START", "UNSTOP"):
            self.opted_out = self.held_until_start = False
            if toll_free:
                hold[number] = False
        elif word == "YES" and not toll_free and self.opted_out:
            self.opted_out, self.held_until_start = False, True

    def blocked(self, sender: str) -> bool:
        if sender == "L":
            return self.opted_out
        return (self.opted_out or self.held_until_start
                or bool((self.hold or {}).get(sender)))


@given(st.lists(st.tuples(st.sampled_from(sorted(NUMBERS)), st.sampled_from(WORDS),
                          st.booleans()), max_size=10), st.booleans())
def test_replies_across_three_numbers_decide_as_the_model(
    replies: list[tuple[str, str, bool]], own_scopes: bool,
) -> None:
    # own_scopes: each number in a scope of its own below "lv", replies revoking at "lv"
    # (revocation_scope): the same model, asked from the number's scope and from "lv".
    numbers = {name: replace(p, consent_scope=f"lv/{name.lower()}", revocation_scope="lv")
               for name, p in NUMBERS.items()} if own_scopes else NUMBERS
    ledger = ConsentLedger(MemoryStore())
    _grant(ledger)
    engine = CompliancePipeline((OptOutPolicy(ledger.store),))
    model = _Model()
    for i, (number, word, with_id) in enumerate(replies, 1):
        profile = numbers[number]
        ledger.handle_reply(LEAD, word, scope=profile.consent_scope or "lv",
                            at=T0 + timedelta(hours=i), profile=profile,
                            message_id=f"SM{i}" if with_id else None)
        model.reply(number, word)
    at = T0 + timedelta(hours=len(replies) + 1)
    for name, sender in numbers.items():
        for asked in {sender, replace(sender, consent_scope="lv")}:
            verdict = engine.decide(SendRequest(LEAD, body=BODY), asked, at).verdict
            assert (verdict is Verdict.BLOCK) == model.blocked(name), (name, asked.consent_scope)


def test_under_revoke_all_sqlite_still_reads_a_stop_to_the_number_in_a_sibling_scope(
    tmp_path: Path,
) -> None:
    # After the FCC revoke-all date SQLite reads the caller's other scopes only from the
    # person's last opt-out on. The STOP to the toll-free number, recorded in its own
    # scope before that, still holds a send from it in another scope (SendRequest.scope).
    late = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)
    tf, local = _toll_free("lv/tf"), _local("lv/local")
    with SQLiteStore(tmp_path / "l.db", durable=False) as store:
        ledger = ConsentLedger(store)
        ledger.grant(LEAD, scope="lv", purposes="marketing", kind="express_written",
                     source="web_form", at=late,
                     evidence=Evidence(consent_text="Yes", form_url="https://lv.example/join"))
        for day, body, profile in ((1, "STOP", tf), (2, "STOP", local), (3, "START", local)):
            ledger.handle_reply(LEAD, body, scope=profile.consent_scope or "", at=late
                                + timedelta(days=day), profile=profile, message_id=f"SM{day}")
        request = SendRequest(LEAD, body=BODY, scope="lv/promo")
        at = late + timedelta(days=4)
        memory = MemoryStore()
        memory.append_many(replace(e, sequence=0, prev_hash="") for e in store.scan())
        for each in (store, memory):
            engine = CompliancePipeline((OptOutPolicy(each),))
            assert [f.code for f in engine.decide_many([request], tf, at).decisions[0]
                    .findings] == ["opt_out.toll_free_network"]


# -- found in review (rev25t) -------------------------------------------------------


def test_a_reply_without_its_profile_records_no_number_even_with_a_configured_one() -> None:
    # The messenger passes profile=None for a reply to a number missing from its
    # senders= (a Messaging Service's pool number): the ledger's configured profile
    # for the scope is not the number that reply reached. Taking its sender_id made a
    # START to the pool number lift the STOP held at the configured toll-free number,
    # while its network still refuses it (error 21610).
    store = MemoryStore()
    ledger = ConsentLedger(store, senders={"lv": _toll_free()})
    _grant(ledger)
    _reply(ledger, "STOP", _toll_free(), 1, "SM1")
    ledger.handle_reply(LEAD, "START", scope="lv", at=T0 + timedelta(days=2),
                        message_id="SM2")  # to a number the caller does not know
    assert ledger.history(LEAD)[-1].received_by is None
    assert [c for c, _ in _opt_out_findings(ledger, _toll_free())] == [
        "opt_out.toll_free_network"]


def test_a_sender_id_with_a_trailing_newline_is_refused_before_a_stop_is_lost() -> None:
    # re's "$" matches before a final newline: SenderProfile took "+1888...\n", and
    # handle_reply then raised on recording it as received_by, so the STOP was lost.
    with pytest.raises(ConfigurationError) as raised:
        _toll_free(sender_id=TF_ID + "\n")
    assert raised.value.field == "sender_id"
    with pytest.raises(ConfigurationError):
        SenderProfile(sender_id="Lakeview\n")


def test_with_revocation_scope_a_start_to_the_toll_free_number_lifts_the_hold_there_too(
) -> None:
    # revocation_scope records a STOP at the wider scope ("lv"): the START that lifts
    # the toll-free number's hold must be read wherever that STOP is, not only in the
    # narrower scope the reply came to, or the number stays blocked in "lv" and in
    # every other scope below it, though its network lets it send again.
    toll_free = replace(_toll_free("lv/tf"), revocation_scope="lv")
    local = replace(_local("lv/local"), revocation_scope="lv")
    store = MemoryStore()
    ledger = ConsentLedger(store)
    _grant(ledger)
    ledger.handle_reply(LEAD, "STOP", scope="lv/tf", at=T0 + timedelta(days=1),
                        profile=toll_free)
    ledger.handle_reply(LEAD, "START", scope="lv/local", at=T0 + timedelta(days=2),
                        profile=local)
    ledger.handle_reply(LEAD, "START", scope="lv/tf", at=T0 + timedelta(days=3),
                        profile=toll_free)
    for scope in ("lv/tf", "lv/promo", "lv"):
        assert _opt_out_findings(ledger, replace(toll_free, consent_scope=scope)) == []
