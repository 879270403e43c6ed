"""The seed situations, end to end through the engine (one ledger, one history).

Each expected value comes from the rule cited in the test (the statute, the
provider's page), never from the engine.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import tests.media_helpers as mh

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    ConsentState,
    Evidence,
    MemorySendHistory,
    MemoryStore,
    Purpose,
    QuietHours,
    RateCard,
    Registration,
    SenderProfile,
    SendRequest,
    SendWindow,
    ServiceLevel,
    Template,
    Verdict,
    default_policies,
)
from smskit.routes import Route
from smskit.timing.caps import SendRecord

NY = ZoneInfo("America/New_York")
CHICAGO = ZoneInfo("America/Chicago")
LEAD = "+12125550123"  # New York
TEXAN = "+12145550123"  # Dallas
CANADIAN = "+14165550123"  # Toronto
T0 = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
WRITTEN = Evidence(consent_text="I agree to receive marketing texts from Acme",
                   form_url="https://acme.example/signup")


def sender(**changes: object) -> SenderProfile:
    base: dict[str, object] = {
        "sender_id": "+14155550100", "registration": Registration.APPROVED, "brand": "Acme",
        "consent_scope": "acme", "prefix": "Acme: ", "footer": "Reply STOP to opt out",
    }
    base.update(changes)
    return SenderProfile(**base)  # type: ignore[arg-type]


class World:
    """A ledger, a send history and the default policies over them."""

    def __init__(self, quiet: QuietHours | None = None, rates: RateCard | None = None) -> None:
        self.store = MemoryStore()
        self.ledger = ConsentLedger(self.store)
        self.history = MemorySendHistory()
        self.engine = CompliancePipeline(
            default_policies(store=self.store, history=self.history, quiet_hours=quiet),
            rates=rates, history=self.history,
        )

    def marketing_consent(self, number: str, at: datetime = T0) -> None:
        self.ledger.grant(number, scope="acme", purposes="marketing", kind="express_written",
                          source="web_form", at=at, evidence=WRITTEN)


def test_a_stop_from_a_lead_blocks_the_marketing_blast_and_allows_one_confirmation() -> None:
    world = World()
    world.marketing_consent(LEAD)
    stop_at = datetime(2026, 3, 10, 14, 0, tzinfo=NY)
    outcome = world.ledger.handle_reply(LEAD, "STOP", scope="acme", at=stop_at)
    assert outcome.reply is not None
    blast = SendRequest(LEAD, body="Spring sale: 20% off today", purpose=Purpose.MARKETING)
    decision = world.engine.decide(blast, sender(), stop_at + timedelta(hours=2))
    assert decision.verdict is Verdict.BLOCK
    assert {"opt_out.active", "consent.revoked"} <= set(decision.codes)
    opt_out = next(f for f in decision.findings if f.code == "opt_out.active")
    assert opt_out.source == "https://www.twilio.com/docs/api/errors/21610"

    confirmation = SendRequest(LEAD, body=outcome.reply.text, purpose=Purpose.INFORMATIONAL,
                               opt_out_confirmation=True, first_message=False)
    first = world.engine.decide(confirmation, sender(), stop_at + timedelta(minutes=1))
    assert first.verdict is Verdict.ALLOW, first.explain()
    assert "opt_out_confirmation.allowed" in first.codes
    world.history.record(SendRecord(LEAD, "+14155550100", stop_at + timedelta(minutes=1),
                                    "opt_out_confirmation", Purpose.INFORMATIONAL))
    again = world.engine.decide(confirmation, sender(), stop_at + timedelta(minutes=2))
    assert again.verdict is Verdict.BLOCK
    assert "opt_out_confirmation.repeat" in again.codes
    # 47 CFR 64.1200(a)(12): within 5 minutes is presumed compliant; 6 minutes is not.
    late = World()
    late.marketing_consent(LEAD)
    late.ledger.handle_reply(LEAD, "STOP", scope="acme", at=stop_at)
    too_late = late.engine.decide(confirmation, sender(), stop_at + timedelta(minutes=6))
    assert "opt_out_confirmation.late" in too_late.codes
    selling = SendRequest(LEAD, body="Unsubscribed. Deals at https://acme.example/deals",
                          purpose=Purpose.INFORMATIONAL, opt_out_confirmation=True)
    sold = late.engine.decide(selling, sender(), stop_at + timedelta(minutes=1))
    assert "opt_out_confirmation.marketing" in sold.codes


def test_a_job_reminder_at_0730_moves_to_0800_recipient_time() -> None:
    # The business's own window (08:00-21:00 recipient time, every purpose).
    window = SendWindow(start=datetime.min.time().replace(hour=8),
                        end=datetime.min.time().replace(hour=21))
    world = World(quiet=QuietHours(sender_windows=(window,)))
    world.ledger.grant(LEAD, scope="acme", purposes="informational", kind="express",
                       source="web_form", at=T0)
    reminder = SendRequest(LEAD, body="Reminder: your technician visits tomorrow 9-11am",
                           purpose=Purpose.INFORMATIONAL)
    at = datetime(2026, 5, 4, 7, 30, tzinfo=NY)  # a Monday
    decision = world.engine.decide(reminder, sender(), at)
    assert decision.verdict is Verdict.DEFER
    assert decision.not_before == datetime(2026, 5, 4, 8, 0, tzinfo=NY)
    assert world.engine.schedule(reminder, sender(), at) == datetime(2026, 5, 4, 8, 0, tzinfo=NY)


def test_a_texas_sunday_marketing_reminder_moves_to_noon() -> None:
    # Texas SB 140: Sunday 12:00-21:00.
    world = World()
    world.marketing_consent(TEXAN)
    request = SendRequest(TEXAN, body="Acme: 10% off your next service. Reply STOP to opt out")
    at = datetime(2026, 5, 3, 7, 30, tzinfo=CHICAGO)  # a Sunday
    assert world.engine.schedule(request, sender(), at) == datetime(2026, 5, 3, 12, 0,
                                                                   tzinfo=CHICAGO)


def test_a_canadian_customer_with_an_old_purchase_is_expired_under_casl() -> None:
    # CASL s.10(10): implied consent from a purchase lasts 2 years. The ledger is built
    # with the default (US) rules; the engine still judges a Canadian number by CASL.
    world = World()
    purchase = datetime(2023, 6, 1, 12, 0, tzinfo=UTC)
    world.ledger.grant(CANADIAN, scope="acme", purposes="marketing", kind="implied",
                       implied_basis="purchase", source="import", at=purchase)
    at = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    assert world.ledger.status(CANADIAN, "marketing", scope="acme", at=at).state is (
        ConsentState.NONE
    )
    decision = world.engine.decide(SendRequest(CANADIAN, body="Acme: spring tune-up offer"),
                                   sender(), at)
    assert decision.verdict is Verdict.BLOCK
    expired = next(f for f in decision.findings if f.code == "consent.expired")
    assert expired.source == "https://crtc.gc.ca/eng/com500/guide.htm"
    assert "2025-06-01" in expired.message
    recent = World()
    recent.ledger.grant(CANADIAN, scope="acme", purposes="marketing", kind="implied",
                        implied_basis="purchase", source="import", at=at - timedelta(days=300))
    ok = recent.engine.decide(SendRequest(CANADIAN, body="Acme: spring tune-up offer"),
                              sender(), at)
    assert "consent.granted" in ok.codes


def test_an_unregistered_10dlc_number_is_blocked_for_us_but_not_canada() -> None:
    world = World()
    world.marketing_consent(LEAD)
    world.marketing_consent(CANADIAN)
    unregistered = sender(registration=Registration.NONE)
    at = datetime(2026, 3, 3, 12, 0, tzinfo=NY)
    us = world.engine.decide(SendRequest(LEAD, body="Acme: hello"), unregistered, at)
    assert us.verdict is Verdict.BLOCK
    finding = next(f for f in us.findings if f.code == "registration.10dlc_unregistered")
    assert finding.details["provider_error"] == "30034"
    ca = world.engine.decide(SendRequest(CANADIAN, body="Acme: hello"), unregistered, at)
    assert "registration.10dlc_unregistered" not in ca.codes
    pending_tf = sender(route=Route.TOLL_FREE, sender_id="+18005550100",
                        registration=Registration.PENDING)
    tf = world.engine.decide(SendRequest(CANADIAN, body="Acme: hello"), pending_tf, at)
    assert "registration.toll_free_unverified" in tf.codes


def test_a_700_kb_video_from_a_toll_free_number_is_blocked() -> None:
    # Toll-free MMS: 600 KB for non-image media at every US carrier (Twilio table).
    world = World()
    world.marketing_consent(LEAD)
    video = mh.ftyp(b"isom", b"isom", b"mp41") + mh.box(b"mdat", b"\x00" * 700_000)
    tf = sender(route=Route.TOLL_FREE, sender_id="+18005550100",
                registration=Registration.VERIFIED)
    at = datetime(2026, 3, 3, 12, 0, tzinfo=NY)
    decision = world.engine.decide(
        SendRequest(LEAD, body="Acme: our new showroom", media=(video,)), tf, at
    )
    assert decision.verdict is Verdict.BLOCK
    assert any(code.startswith("mms.") for code in decision.codes), decision.codes
    no_mms = world.engine.decide(
        SendRequest(LEAD, body="Acme: showroom", media=(mh.png(3, 2),)),
        sender(mms_enabled=False), at)
    assert "mms.not_enabled" in no_mms.codes


def test_a_template_value_adds_an_emoji_and_the_footer_a_second_segment() -> None:
    world = World(rates=RateCard.from_toml(
        'currency = "USD"\n[countries.US.10dlc]\nsms_per_segment = 0.0079\n'
        "sms_carrier_fee_per_segment = 0.0030\n"
    ))
    world.marketing_consent(LEAD)
    template = Template("Acme: {name}, your table is ready {icon}")
    request = SendRequest(LEAD, template=template, values={"name": "Ana", "icon": "\U0001F37D"},
                          first_message=True)
    at = datetime(2026, 3, 3, 12, 0, tzinfo=NY)
    decision = world.engine.decide(request, sender(footer="Reply STOP to opt out of Acme "
                                                   "messages, HELP for help"), at)
    # UCS-2: 70 units in one segment, 67 per part; the emoji forces UCS-2.
    assert decision.encoding.value == "ucs2"
    assert (decision.segments_before, decision.segments) == (1, 2)
    assert "prepare.segments_changed" in decision.codes
    assert decision.body.endswith("HELP for help")
    # 2 segments x (0.0079 + 0.0030)
    assert decision.cost == Decimal("0.0218")


def test_existing_opt_out_wording_is_not_doubled() -> None:
    world = World()
    world.marketing_consent(LEAD)
    at = datetime(2026, 3, 3, 12, 0, tzinfo=NY)
    decision = world.engine.decide(
        SendRequest(LEAD, body="Acme: sale today. Text STOP to end"), sender(), at
    )
    assert decision.body == "Acme: sale today. Text STOP to end"
    plain = world.engine.decide(SendRequest(LEAD, body="sale today"), sender(), at)
    assert plain.body == "Acme: sale today\nReply STOP to opt out"


def test_a_landline_is_blocked_with_a_finding() -> None:
    world = World()
    decision = world.engine.decide(
        SendRequest("+442079460958", body="Acme: hello", purpose=Purpose.INFORMATIONAL),
        sender(), datetime(2026, 3, 3, 12, 0, tzinfo=UTC))
    assert decision.verdict is Verdict.BLOCK
    assert "number.landline" in decision.codes
    invalid = world.engine.decide(SendRequest("+1 212 555", body="hi"), sender(),
                                  datetime(2026, 3, 3, 12, 0, tzinfo=UTC))
    assert "number.invalid" in invalid.codes


def test_length_over_the_provider_and_the_service_level() -> None:
    world = World()
    world.marketing_consent(LEAD)
    at = datetime(2026, 3, 3, 12, 0, tzinfo=NY)
    standard = sender(service_level=ServiceLevel("standard", max_characters=160, gsm_only=True),
                      prefix="", footer="")
    long = world.engine.decide(SendRequest(LEAD, body="Acme " + "x" * 195 + " Reply STOP"),
                               standard, at)
    over = next(f for f in long.findings if f.code == "length.over_service_level")
    assert over.details["over"] == 211 - 160
    emoji = world.engine.decide(SendRequest(LEAD, body="Acme \U0001F600 Reply STOP"),
                                standard, at)
    assert "length.service_level_encoding" in emoji.codes
    huge = world.engine.decide(SendRequest(LEAD, body="Acme " + "y" * 1600 + " Reply STOP"),
                               sender(prefix="", footer=""), at)
    provider = next(f for f in huge.findings if f.code == "length.over_provider_max")
    assert provider.details["over"] == 1616 - 1600


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # Oregon HB 3865 (from 2026-01-01): 08:00-20:00. Before it, only the TCPA's 21:00.
        (datetime(2025, 12, 30, 20, 30, tzinfo=ZoneInfo("America/Los_Angeles")), None),
        (datetime(2026, 1, 6, 20, 30, tzinfo=ZoneInfo("America/Los_Angeles")),
         datetime(2026, 1, 7, 8, 0, tzinfo=ZoneInfo("America/Los_Angeles"))),
    ],
)
def test_oregon_hours_apply_from_2026(at: datetime, expected: datetime | None) -> None:
    world = World()
    world.marketing_consent("+15035550123", at=datetime(2025, 1, 1, tzinfo=UTC))
    decision = world.engine.decide(SendRequest("+15035550123", body="Acme: sale"), sender(), at)
    assert decision.not_before == expected, decision.explain()


def test_fcc_revoke_all_is_dated_and_switchable() -> None:
    from smskit.policy import OptOutPolicy

    world = World()
    for scope in ("acme/store-1", "acme/store-2"):
        world.ledger.grant(LEAD, scope=scope, purposes="marketing", kind="express_written",
                           source="web_form", at=T0, evidence=WRITTEN)
    world.ledger.revoke(LEAD, scope="acme/store-1", at=T0 + timedelta(days=1))
    store2 = sender(consent_scope="acme/store-2")
    request = SendRequest(LEAD, body="Acme: sale")
    # From the first moment of 2027-01-31 anywhere in the US: 00:00 in Guam (UTC+10).
    before = world.engine.decide(request, store2, datetime(2027, 1, 30, 13, 59, tzinfo=UTC))
    after = world.engine.decide(request, store2, datetime(2027, 1, 30, 14, 0, tzinfo=UTC))
    assert "opt_out.revoke_all" not in before.codes
    assert before.verdict is Verdict.ALLOW
    assert "opt_out.revoke_all" in after.codes
    assert after.verdict is Verdict.BLOCK
    off = CompliancePipeline((OptOutPolicy(world.store, revoke_all=None),))
    assert off.decide(request, store2, datetime(2027, 2, 1, 15, 0, tzinfo=UTC)).codes == ()


def test_provider_max_counts_emoji_as_two_utf16_units_like_the_lint() -> None:
    # Twilio 21617 (https://twilio.com/docs/api/errors/21617): non-GSM characters may
    # count as more than one; the lint (content.too_long) counts an emoji as two UTF-16
    # units, so must the provider limit. 5 + 300 emoji (2 units each) + 11 = 616 units,
    # 316 code points.
    world = World()
    world.marketing_consent(LEAD)
    at = datetime(2026, 3, 3, 12, 0, tzinfo=NY)
    body = "Acme " + "\U0001F600" * 300 + " Reply STOP"
    decision = world.engine.decide(SendRequest(LEAD, body=body),
                                   sender(prefix="", footer="", max_body_characters=500), at)
    assert decision.verdict is Verdict.BLOCK
    over = next(f for f in decision.findings if f.code == "length.over_provider_max")
    assert over.details["utf16_units"] == 616
    assert over.details["over"] == 616 - 500


def test_the_five_minutes_to_confirm_an_opt_out_are_real_time() -> None:
    # Auckland's clocks go back from 03:00 to 02:00 on 4 April 2027 (a Saturday morning
    # in New York): 02:05 NZST is six real minutes after 02:59 NZDT, though it reads
    # as earlier; two times of one zone subtract by wall clock.
    auckland = ZoneInfo("Pacific/Auckland")
    stop_at = datetime(2027, 4, 4, 2, 59, tzinfo=auckland)
    six_minutes_later = datetime(2027, 4, 4, 2, 5, fold=1, tzinfo=auckland)
    world = World()
    world.marketing_consent(LEAD)
    outcome = world.ledger.handle_reply(LEAD, "STOP", scope="acme", at=stop_at)
    assert outcome.reply is not None
    confirmation = SendRequest(LEAD, body=outcome.reply.text, purpose=Purpose.INFORMATIONAL,
                               opt_out_confirmation=True, first_message=False)
    decision = world.engine.decide(confirmation, sender(), six_minutes_later)
    assert "opt_out_confirmation.late" in decision.codes
