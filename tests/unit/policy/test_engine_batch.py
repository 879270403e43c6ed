"""decide_many on real SQLite stores gives what decide gives, and reads once per batch;
deferrals are exact across DST; the sender profile loads from TOML and refuses mistakes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smskit import (
    CapLimit,
    CompliancePipeline,
    ConfigurationError,
    ConsentLedger,
    Evidence,
    FrequencyCap,
    Purpose,
    Registration,
    Requirement,
    SenderProfile,
    SendRequest,
    SQLiteSendHistory,
    SQLiteStore,
    Template,
    TemplateError,
    Verdict,
    default_policies,
)
from smskit.consent._rules import FCC_REVOKE_ALL, RevokeAllRule
from smskit.timing.caps import SendRecord

ROOT = Path(__file__).resolve().parents[3]
NY = ZoneInfo("America/New_York")
SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme", prefix="Acme: ",
                       footer="Reply STOP to opt out")
NUMBERS = [f"+1{area}555{n:04d}" for area in ("212", "305", "503", "214", "416")
           for n in range(100, 112)]


class CountingStore(SQLiteStore):
    reads = 0

    def events(self, recipient: str):  # type: ignore[no-untyped-def]
        CountingStore.reads += 1
        return super().events(recipient)

    def facts_many(self, recipients, *, verify=False, scopes=None):  # type: ignore[no-untyped-def]
        CountingStore.reads += 1
        return super().facts_many(recipients, verify=verify, scopes=scopes)


def _world(tmp_path: Path) -> tuple[CountingStore, SQLiteSendHistory]:
    store = CountingStore(tmp_path / "ledger.db")
    history = SQLiteSendHistory(tmp_path / "sends.db")
    ledger = ConsentLedger(store)
    t0 = datetime(2026, 1, 2, tzinfo=UTC)
    for i, number in enumerate(NUMBERS):
        if i % 3:
            ledger.grant(number, scope="acme", purposes="marketing", kind="express_written",
                         source="web_form", at=t0, evidence=Evidence(
                             consent_text="yes", form_url="https://acme.example"))
        if i % 5 == 0:
            ledger.handle_reply(number, "STOP", scope="acme", at=t0 + timedelta(days=3))
        if number.startswith("+1416") and i % 2:
            ledger.grant(number, scope="acme", purposes="marketing", kind="implied",
                         implied_basis="inquiry", source="import", at=t0)
        for k in range(i % 4):
            history.record(SendRecord(number, SENDER.sender_id,
                                      datetime(2026, 3, 3, 14, tzinfo=NY) - timedelta(hours=k),
                                      "spring"))
    return store, history


def test_decide_many_equals_decide_one_by_one_and_reads_once_per_batch(tmp_path: Path) -> None:
    store, history = _world(tmp_path)
    cap = FrequencyCap(history, limits=(CapLimit("house", 2, timedelta(hours=24)),))
    engine = CompliancePipeline(default_policies(store=store, history=history, cap=cap),
                                history=history)
    requests = [SendRequest(n, body="Spring sale", subject="spring") for n in NUMBERS]
    requests.append(SendRequest("+1 212 555", body="bad number"))
    at = datetime(2026, 3, 3, 20, 30, tzinfo=NY)
    one_by_one = [engine.decide(r, SENDER, at) for r in requests]
    CountingStore.reads = 0
    batch = engine.decide_many(requests, SENDER, at, batch_size=25)
    assert list(batch.decisions) == one_by_one
    assert CountingStore.reads == 3  # 61 requests in batches of 25: one read per batch
    assert sum(batch.by_verdict.values()) == len(requests)
    assert {v.value for v in batch.by_verdict} == {"allow", "defer", "block"}
    assert batch.by_code["number.invalid"] == 1
    store.close()
    history.close()


@pytest.mark.parametrize("effective", [date(2026, 1, 1), date(2027, 12, 1)])
def test_a_revoke_all_date_of_your_own_still_reads_once_per_batch(
    tmp_path: Path, effective: date
) -> None:
    # The consent policy reads first for both, widening to the callers' scopes on the
    # FCC's date; an opt-out policy whose revoke-all starts earlier needs them sooner:
    # the batch reads them, not every recipient on its own (63 reads here before).
    store, history = _world(tmp_path)
    rule = RevokeAllRule(effective, "the business applies revoke-all on its own date")
    engine = CompliancePipeline(
        default_policies(store=store, history=history, revoke_all=rule), history=history)
    requests = [SendRequest(n, body="Spring sale", scope=("acme/app" if i % 2 else "acme/web"))
                for i, n in enumerate(NUMBERS)]
    at = datetime(2026, 3, 3, 12, 30, tzinfo=NY)
    one_by_one = [engine.decide(r, SENDER, at) for r in requests]
    CountingStore.reads = 0
    batch = engine.decide_many(requests, SENDER, at, batch_size=25)
    assert list(batch.decisions) == one_by_one
    # 60 requests in batches of 25: one read per batch, and one more on the callers'
    # scopes when the opt-out policy's date makes it need them before the FCC's.
    assert CountingStore.reads == (6 if effective < FCC_REVOKE_ALL.effective else 3)
    store.close()
    history.close()


@pytest.mark.parametrize(
    ("at", "expected_utc"),
    [
        # 2026-03-08 02:00 EST -> 03:00 EDT. 07:30 EDT waits for 08:00 EDT (12:00 UTC).
        (datetime(2026, 3, 8, 7, 30, tzinfo=NY), datetime(2026, 3, 8, 12, 0, tzinfo=UTC)),
        # 22:00 EST the evening before: the next 08:00 is already EDT, 9 hours later.
        (datetime(2026, 3, 7, 22, 0, tzinfo=NY), datetime(2026, 3, 8, 12, 0, tzinfo=UTC)),
        # 2026-11-01 02:00 EDT -> 01:00 EST. 07:30 EST waits for 08:00 EST (13:00 UTC).
        (datetime(2026, 11, 1, 7, 30, tzinfo=NY), datetime(2026, 11, 1, 13, 0, tzinfo=UTC)),
        # 22:00 EDT the evening before: 08:00 EST is 11 hours later.
        (datetime(2026, 10, 31, 22, 0, tzinfo=NY), datetime(2026, 11, 1, 13, 0, tzinfo=UTC)),
    ],
)
def test_not_before_is_exact_across_dst(at: datetime, expected_utc: datetime) -> None:
    # TCPA 47 CFR 64.1200(c)(1): 08:00-21:00 at the called party's location (New York).
    engine = CompliancePipeline(default_policies())
    decision = engine.decide(SendRequest("+12125550123", body="Acme: sale. Reply STOP"),
                             SENDER, at)
    assert decision.verdict is Verdict.DEFER
    assert decision.not_before == expected_utc


def test_the_example_sender_profile_loads() -> None:
    profile = SenderProfile.from_toml(ROOT / "examples" / "sender.toml")
    assert profile.registration is Registration.APPROVED
    assert profile.service_level is not None
    assert profile.service_level.max_characters == 640
    assert profile.footer_when == Requirement(first_message=True, marketing=True)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('[sender]\nsender_id = "12"', "sender_id"),
        ('[sender]\nregistraton = "approved"', "registraton"),
        ('[sender]\nregistration = "maybe"', "registration"),
        ('[sender]\nmax_media = 0', "max_media"),
        ('[sender]\nservice_level = { name = "std", max_characters = -1 }', "max_characters"),
        ('[sender]\nfooter_when = { every_nth = "3" }', "every_nth"),
        ('[sender]\nopt_out_reply = "Bye. Deals at https://x.example"', "opt_out_reply"),
        ("[sender\n", "sender"),
        ("sender.toml", "sender"),  # a file name given as text
    ],
)
def test_a_bad_sender_profile_says_what_to_fix(text: str, field: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        SenderProfile.from_toml(text)
    assert caught.value.field == field


def test_every_nth_footer_counts_messages_from_the_history(tmp_path: Path) -> None:
    history = SQLiteSendHistory(tmp_path / "sends.db")
    profile = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                            footer="Reply STOP to opt out",
                            footer_when=Requirement(first_message=True, every_nth=3))
    engine = CompliancePipeline((), history=history)
    request = SendRequest("+12125550123", body="Your order shipped",
                          purpose=Purpose.INFORMATIONAL)
    at = datetime(2026, 3, 3, 15, tzinfo=UTC)
    footers = []
    for _ in range(7):
        footers.append(engine.decide(request, profile, at).body.endswith("opt out"))
        history.record(SendRecord("+12125550123", "+14155550100", at, None,
                                  Purpose.INFORMATIONAL))
        at += timedelta(hours=1)
    # Messages 1, 4 and 7 (0, 3 and 6 sent before) carry the footer.
    assert footers == [True, False, False, True, False, False, True]
    history.close()


def test_decide_many_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    import gc

    store, history = _world(tmp_path)
    engine = CompliancePipeline(default_policies(store=store, history=history),
                                history=history)
    at = datetime(2026, 3, 3, 14, tzinfo=NY)
    requests = [SendRequest(n, body="Spring sale") for n in NUMBERS]
    assert gc.isenabled()
    engine.decide_many(requests, SENDER, at, batch_size=7)
    assert gc.isenabled()
    gc.disable()
    try:
        engine.decide_many(requests, SENDER, at)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
    with pytest.raises(TemplateError):  # an error inside a batch restores it too
        engine.decide_many([SendRequest(NUMBERS[0], template=Template("Hi {name}"))],
                           SENDER, at)
    assert gc.isenabled()
    store.close()
    history.close()


def test_a_store_of_your_own_without_facts_many_is_named_with_the_fix() -> None:
    class OldStore:  # a ConsentStore written before facts_many existed
        def events(self, recipient: str) -> list[object]:
            return []

        def events_many(self, recipients: list[str]) -> dict[str, list[object]]:
            return {r: [] for r in recipients}

    with pytest.raises(ConfigurationError, match="facts_many") as info:
        default_policies(store=OldStore())  # type: ignore[arg-type]
    assert info.value.field == "store"


def test_a_store_whose_facts_many_takes_no_scopes_is_named_with_the_fix() -> None:
    class EarlierStore:  # facts_many as the engine first asked for it (no scopes=)
        def events(self, recipient: str) -> list[object]:
            return []

        def events_many(self, recipients: list[str]) -> dict[str, list[object]]:
            return {r: [] for r in recipients}

        def facts_many(self, recipients: list[str], *, verify: bool = False
                       ) -> dict[str, list[object]]:
            return {r: [] for r in recipients}

    # Refused when built, saying what to add; not a TypeError inside decide_many.
    with pytest.raises(ConfigurationError, match="scopes=None") as info:
        default_policies(store=EarlierStore())  # type: ignore[arg-type]
    assert info.value.field == "store"


@pytest.mark.parametrize("policy", ["ConsentPolicy", "OptOutPolicy"])
def test_a_policy_built_on_a_store_without_facts_many_is_refused_when_built(
    policy: str,
) -> None:
    # Built directly (not through default_policies), it used to fail in decide_many
    # with an AttributeError traceback.
    import smskit.policy.builtin as builtin

    class OldStore:
        def events(self, recipient: str) -> list[object]:
            return []

        def events_many(self, recipients: list[str]) -> dict[str, list[object]]:
            return {r: [] for r in recipients}

    with pytest.raises(ConfigurationError, match="facts_many") as info:
        getattr(builtin, policy)(OldStore())
    assert info.value.field == "store"


def test_the_caps_count_in_the_sends_the_pipeline_read_once_per_batch(tmp_path: Path) -> None:
    """First-message detection and the caps read the same sends: one read per batch
    when they share the history, and the same decisions as one by one."""
    store, history = _world(tmp_path)
    reads: list[tuple[int, datetime]] = []
    read = history.records_many

    def counting(recipients, *, since, until):  # type: ignore[no-untyped-def]
        reads.append((len(recipients), since))
        return read(recipients, since=since, until=until)

    history.records_many = counting  # type: ignore[method-assign]
    cap = FrequencyCap(history, limits=(CapLimit("house", 2, timedelta(hours=24)),))
    engine = CompliancePipeline(default_policies(store=store, history=history, cap=cap),
                                history=history)
    requests = [SendRequest(n, body="Spring sale", subject="spring") for n in NUMBERS]
    at = datetime(2026, 3, 3, 20, 30, tzinfo=NY)
    batch = engine.decide_many(requests, SENDER, at, batch_size=25)
    assert len(reads) == 3  # 60 requests in batches of 25, from the epoch each time
    assert {since for _, since in reads} == {datetime(1970, 1, 1, tzinfo=UTC)}
    reads.clear()
    assert list(batch.decisions) == [engine.decide(r, SENDER, at) for r in requests]
    assert "frequency_cap.exceeded" in batch.by_code
    store.close()
    history.close()


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (("+12125550123", "+14155550100", "spring", "marketing"), None),
        (("+12125550123", "+14155550100", None, "informational"), None),
        (("+12125550123", "", "spring", "marketing"), "sender must be a non-empty str"),
        (("", "+14155550100", None, "marketing"), "recipient must be a non-empty str"),
        (("+12125550123", "+14155550100", "", "marketing"), "subject must be a non-empty str"),
        (("+12125550123", "+14155550100", None, "promo"), "'promo' is not a valid Purpose"),
    ],
)
def test_send_history_rows_read_back_are_the_records_written_or_the_constructors_error(
    tmp_path: Path, row: tuple[str, str, str | None, str], error: str | None
) -> None:
    """records_many builds the records of a batch without re-running SendRecord's
    checks once it has checked the row; a row written by hand that SendRecord would
    refuse is refused the same way."""
    import sqlite3

    at = datetime(2026, 3, 3, 14, 5, 6, 789, tzinfo=UTC)
    SQLiteSendHistory(tmp_path / "sends.db").close()
    with sqlite3.connect(tmp_path / "sends.db") as db:
        db.execute("INSERT INTO smskit_sends (recipient, sender, subject, purpose, at_us) "
                   "VALUES (?, ?, ?, ?, ?)", (*row, 1772546706000789))
    db.close()
    with SQLiteSendHistory(tmp_path / "sends.db") as history:
        def read() -> object:
            return history.records_many([row[0]], since=at - timedelta(days=1), until=at)
        if error is None:
            expected = SendRecord(row[0], row[1], datetime(2026, 3, 3, 14, 5, 6, 789,
                                                           tzinfo=UTC), row[2], Purpose(row[3]))
            assert read() == {row[0]: [expected]}
            found = read()[row[0]][0]  # type: ignore[index]
            assert found.at.tzinfo is UTC
            assert found.purpose is Purpose(row[3])
        else:
            with pytest.raises((ConfigurationError, ValueError), match=error):
                read()


def test_a_deferral_re_asks_the_batch_cap_with_the_sends_after_at() -> None:
    """Deciding for a past instant: the cap defers to at+23h, and at that instant the
    history holds a send made at+10h, which moves the deferral to at+34h. The batch
    cap must count it too, not only the sends it read up to ``at``."""
    from smskit import MemorySendHistory
    from smskit.policy.builtin import FrequencyCapPolicy

    at = datetime(2026, 3, 3, 15, tzinfo=UTC)
    number = "+12125550123"
    history = MemorySendHistory()
    history.record(SendRecord(number, SENDER.sender_id, at - timedelta(hours=1)))
    history.record(SendRecord(number, SENDER.sender_id, at + timedelta(hours=10)))
    cap = FrequencyCap(history, limits=(CapLimit("house", 1, timedelta(hours=24)),), rules=())
    request = SendRequest(number, body="Spring sale", first_message=False)
    for shared in (history, None):  # the pipeline's read handed over, or the cap's own
        engine = CompliancePipeline((FrequencyCapPolicy(cap),), history=shared)
        one = engine.decide(request, SENDER, at)
        assert one.not_before == at + timedelta(hours=34)  # by hand: (at+10h) + 24h
        assert engine.decide_many([request], SENDER, at).decisions == (one,)



def test_first_message_detection_compares_instants_not_wall_clocks_across_fall_back() -> None:
    """A send recorded in the recipient's zone at 01:40 EDT (05:40 UTC) comes before
    01:20 EST (06:20 UTC) on 2026-11-01, though its wall clock is later: the batch
    must not call the message a first one (and add the footer) when decide does not."""
    from smskit import MemorySendHistory

    at = datetime(2026, 11, 1, 1, 20, fold=1, tzinfo=NY)
    sent = datetime(2026, 11, 1, 1, 40, tzinfo=NY)
    assert sent.astimezone(UTC) < at.astimezone(UTC)
    number = "+12125550123"
    history = MemorySendHistory()
    history.record(SendRecord(number, SENDER.sender_id, sent))
    engine = CompliancePipeline((), history=history)
    request = SendRequest(number, body="Your order shipped", purpose="informational")
    one = engine.decide(request, SENDER, at)
    assert one.body == "Your order shipped"  # one send before: not the first, no prefix
    assert engine.decide_many([request], SENDER, at).decisions == (one,)


def test_the_batch_cap_compares_instants_not_wall_clocks_across_fall_back() -> None:
    """Sends recorded in the recipient's zone: 01:40 EDT (05:40 UTC) comes before
    01:20 EST (06:20 UTC) on 2026-11-01, though its wall clock is later. The batch
    must count it as decide does (not first message, and one send in the cap)."""
    from smskit import MemorySendHistory
    from smskit.policy.builtin import FrequencyCapPolicy

    at = datetime(2026, 11, 1, 1, 20, fold=1, tzinfo=NY)
    sent = datetime(2026, 11, 1, 1, 40, tzinfo=NY)
    assert sent.astimezone(UTC) < at.astimezone(UTC)
    number = "+12125550123"
    history = MemorySendHistory()
    history.record(SendRecord(number, SENDER.sender_id, sent))
    cap = FrequencyCap(history, limits=(CapLimit("house", 1, timedelta(hours=3)),), rules=())
    engine = CompliancePipeline((FrequencyCapPolicy(cap),), history=history)
    request = SendRequest(number, body="Spring sale")
    one = engine.decide(request, SENDER, at)
    assert one.verdict is Verdict.DEFER  # the 05:40 UTC send is within 3 hours
    assert one.not_before == datetime(2026, 11, 1, 8, 40, tzinfo=UTC)  # 05:40 UTC + 3 h
    assert not one.body.startswith("Acme:")  # not the first message: no prefix
    assert engine.decide_many([request], SENDER, at).decisions == (one,)


def test_deferred_requests_do_not_read_the_history_again(tmp_path: Path) -> None:
    """Quiet hours defer most of an evening campaign and every deferral asks the caps
    again at its not_before: the batch answers from its one read, sends after ``at``
    included, instead of one history query per deferred recipient."""
    store, history = _world(tmp_path)
    asked: list[str | None] = []
    sent_at = history.sent_at

    def counting(**kwargs):  # type: ignore[no-untyped-def]
        asked.append(kwargs.get("recipient"))
        return sent_at(**kwargs)

    history.sent_at = counting  # type: ignore[method-assign]
    cap = FrequencyCap(history, limits=(CapLimit("house", 2, timedelta(hours=24)),))
    engine = CompliancePipeline(default_policies(store=store, history=history, cap=cap),
                                history=history)
    requests = [SendRequest(n, body="Spring sale", subject="spring") for n in NUMBERS]
    batch = engine.decide_many(requests, SENDER, datetime(2026, 3, 3, 21, 30, tzinfo=NY))
    assert batch.by_verdict[Verdict.DEFER] > 10
    assert asked == []
    store.close()
    history.close()
