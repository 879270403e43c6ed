"""Media the engine checks must reach the provider as URLs (user23).

A listing photo given as ``request.media`` (a file the engine sniffs and sizes)
without ``media_urls`` went out as the text alone: the lead got "photos attached"
and no photo, and the history recorded an MMS.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from smskit import (
    CompliancePipeline,
    ConfigurationError,
    ConsentLedger,
    ErrorCategory,
    Evidence,
    MemoryMessageHistory,
    MemoryOutbox,
    MemoryProvider,
    MemoryStore,
    Messenger,
    Registration,
    Route,
    SenderProfile,
    SendRequest,
    Template,
    default_policies,
    sniff_media,
)
from smskit.testing import FixedClock

AT = datetime(2026, 12, 7, 16, 0, tzinfo=UTC)  # 11:00 in New York
LEAD = "+12125550123"
# A 1x1 GIF: real media bytes, tiny.
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
BODY = "Lakeview Realty: photos of 12 Main St attached. Reply STOP to opt out"


def _rig(channels: tuple[str, ...] = ("sms", "mms")) -> tuple[
    Messenger, MemoryProvider, SenderProfile
]:
    clock = FixedClock(AT)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    history = MemoryMessageHistory()
    pipeline = CompliancePipeline(default_policies(store=ledger.store, history=history),
                                  history=history)
    toll_free = SenderProfile(sender_id="+18885550100", route=Route.TOLL_FREE,
                              registration=Registration.VERIFIED, brand="Lakeview Realty",
                              consent_scope="lv")
    provider = MemoryProvider(clock=clock)
    messenger = Messenger(provider, pipeline, ledger, history, MemoryOutbox(),
                          senders=[toll_free])
    ledger.grant(LEAD, scope="lv", purposes="marketing", kind="express_written",
                 source="web_form", channels=list(channels), at=AT - timedelta(days=1),
                 evidence=Evidence(consent_text="Yes", form_url="https://lv.example/join"))
    return messenger, provider, toll_free


def test_media_without_urls_is_refused_before_anything_is_sent() -> None:
    messenger, provider, toll_free = _rig()
    request = SendRequest(LEAD, body=BODY, media=(GIF,), idempotency_key="photos-1")
    with pytest.raises(ConfigurationError, match="media_urls") as caught:
        messenger.send(request, toll_free, AT)
    assert caught.value.field == "media_urls"
    assert provider.messages == ()
    # Nothing was reserved: the same key sends once the URL is given.
    url = "https://lv.example/12-main.gif"
    result = messenger.send(request, toll_free, AT, media_urls=[url])
    assert result.outcome.value == "sent"
    assert provider.messages[0].media_urls == (url,)


def test_one_url_for_two_checked_files_is_refused() -> None:
    messenger, provider, toll_free = _rig()
    request = SendRequest(LEAD, body=BODY, media=(GIF, GIF), idempotency_key="photos-2")
    with pytest.raises(ConfigurationError, match="2 attachment"):
        messenger.send(request, toll_free, AT, media_urls=["https://lv.example/a.gif"])
    assert provider.messages == ()


# --- review rev23u: what a queued request keeps ------------------------------------


def test_a_retried_mms_is_judged_again_as_an_mms() -> None:
    # The lead agreed to MMS only. The first try is refused by the provider's rate
    # limit and queued; the queue kept the URL but not the file, so the retry was
    # judged as a plain SMS and blocked for want of SMS consent.
    messenger, provider, toll_free = _rig(channels=("mms",))
    provider.fail_next(ErrorCategory.RATE_LIMITED)
    url = "https://lv.example/12-main.gif"
    request = SendRequest(LEAD, body=BODY, media=(GIF,), idempotency_key="photos-3")
    first = messenger.send(request, toll_free, AT, media_urls=[url])
    assert first.outcome.value == "failed"
    (retried,) = messenger.send_due(AT + timedelta(hours=1))
    assert retried.outcome.value == "sent", retried.reason
    assert provider.messages[-1].media_urls == (url,)


def test_a_queued_request_keeps_no_value_as_no_value() -> None:
    # Deferred at 03:00 and queued: None was kept as the text "None", and the
    # morning's send said "Hi None," where "{first_name|there}" meant "Hi there,".
    messenger, provider, toll_free = _rig()
    request = SendRequest(
        LEAD,
        template=Template("Hi {first_name|there}, open house Sat at "
                          "${price:,.0f|TBA}. Reply STOP to opt out"),
        values={"first_name": None, "price": float("nan")},
        purpose="marketing",
        idempotency_key="open-house-1",
    )
    night = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # 03:00 in New York
    deferred = messenger.send(request, toll_free, night, queue=True)
    assert deferred.outcome.value == "deferred"
    assert deferred.not_before is not None
    (sent,) = messenger.send_due(deferred.not_before)
    assert sent.outcome.value == "sent", sent.reason
    assert provider.messages[-1].body.startswith("Hi there, open house Sat at $TBA.")


# --- follow-up of rev23u: a media-only request, and what else a retry keeps ----------


def test_a_retried_media_only_mms_is_judged_as_carrying_media() -> None:
    # A listing photo with no text. Refused by the rate limit and queued, the retry was
    # judged "no text and no media" (content.empty): the outbox kept the URL, not the file.
    messenger, provider, toll_free = _rig(channels=("mms",))
    provider.fail_next(ErrorCategory.RATE_LIMITED)
    url = "https://lv.example/12-main.gif"
    request = SendRequest(LEAD, body="", media=(GIF,), idempotency_key="photo-only-1")
    first = messenger.send(request, toll_free, AT, media_urls=[url])
    assert first.outcome.value == "failed"
    assert first.decision is not None
    (retried,) = messenger.send_due(AT + timedelta(hours=1))
    assert retried.outcome.value == "sent", retried.reason
    assert provider.messages[-1].media_urls == (url,)
    # The same message the first try would have sent (the brand and STOP footer alone).
    assert provider.messages[-1].body == first.decision.body


def test_a_retried_mms_held_by_quiet_hours_waits_again() -> None:
    # Its retry falls at 04:00 in New York: deferred and kept in the queue (the file's
    # facts wait with its URL), then sent in the morning.
    messenger, provider, toll_free = _rig(channels=("mms",))
    provider.fail_next(ErrorCategory.RATE_LIMITED)
    url = "https://lv.example/12-main.gif"
    request = SendRequest(LEAD, body="", media=(GIF,), idempotency_key="photo-only-2")
    messenger.send(request, toll_free, AT, media_urls=[url])
    night = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)  # 04:00 in New York
    (held,) = messenger.send_due(night)
    assert held.outcome.value == "deferred", held.reason
    assert held.queued
    assert held.not_before is not None
    (sent,) = messenger.send_due(held.not_before)
    assert sent.outcome.value == "sent", sent.reason
    assert provider.messages[-1].media_urls == (url,)


def test_a_queued_request_keeps_its_flags() -> None:
    # prior_consent (a quiet-hours waiver), first_message and opt_out_confirmation were
    # dropped from the stored form: a retry was judged without them.
    from smskit.messenger._results import _request_data, _request_from

    request = SendRequest(LEAD, body=BODY, prior_consent=True, first_message=False,
                          opt_out_confirmation=True, idempotency_key="k")
    back = _request_from(json.loads(json.dumps(_request_data(request))), "k")
    assert (back.prior_consent, back.first_message, back.opt_out_confirmation) == (
        True, False, True)
    # An entry stored by an older smskit (without them) reads with the defaults.
    old = {k: v for k, v in _request_data(request).items()
           if k not in ("prior_consent", "first_message", "opt_out_confirmation", "media")}
    back = _request_from(old, "k")
    assert (back.prior_consent, back.first_message, back.opt_out_confirmation,
            back.media) == (False, None, False, ())


def test_queue_keeps_media_facts_but_not_files() -> None:
    messenger, _, toll_free = _rig(channels=("mms",))
    night = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)  # 04:00 in New York
    url = ["https://lv.example/12-main.gif"]
    with pytest.raises(ConfigurationError, match="queue=True") as caught:
        messenger.send(SendRequest(LEAD, body=BODY, media=(GIF,), idempotency_key="q-1"),
                       toll_free, night, queue=True, media_urls=url)
    assert caught.value.field == "queue"
    held = messenger.send(
        SendRequest(LEAD, body=BODY, media=(sniff_media(GIF),), idempotency_key="q-2"),
        toll_free, night, queue=True, media_urls=url)
    assert held.outcome.value == "deferred"
    assert held.queued


# --- user29: URLs with no file for the engine to check --------------------------------


@pytest.mark.parametrize("channels", [("sms",), ("sms", "mms")])
def test_urls_without_checked_files_are_refused_before_anything_is_sent(
    channels: tuple[str, ...],
) -> None:
    # A document request with the PDF's URL but no request.media went out as an MMS the
    # engine had judged as an SMS: no size or type check, consent read for SMS (an MMS
    # to a person who agreed to SMS only), recorded and billed as one SMS segment.
    messenger, provider, toll_free = _rig(channels=channels)
    request = SendRequest(LEAD, body=BODY, idempotency_key="doc-1")
    with pytest.raises(ConfigurationError, match=r"request\.media holds no attachment") as caught:
        messenger.send(request, toll_free, AT, media_urls=["https://lv.example/w2.pdf"])
    assert caught.value.field == "media_urls"
    assert provider.messages == ()
    # Nothing was reserved: the same key sends as the MMS it is once the file is given.
    with_file = SendRequest(LEAD, body=BODY, media=(GIF,), idempotency_key="doc-1")
    result = messenger.send(with_file, toll_free, AT, media_urls=["https://lv.example/a.gif"])
    assert result.outcome.value == ("sent" if "mms" in channels else "blocked")


# --- review rev27u: one URL given as a string ------------------------------------------


@pytest.mark.parametrize("media", [(), (GIF,)])
def test_one_url_as_a_string_is_refused_as_a_string(media: tuple[bytes, ...]) -> None:
    # tuple("https://...") is its characters: the refusal counted 30 "URLs" and never
    # said the mistake (OutboundMessage says it; send reached it first).
    messenger, provider, toll_free = _rig()
    request = SendRequest(LEAD, body=BODY, media=media, idempotency_key="photos-str")
    with pytest.raises(ConfigurationError, match=r"not one string.*media_urls=\[url\]") as caught:
        messenger.send(request, toll_free, AT, media_urls="https://lv.example/a.gif")
    assert caught.value.field == "media_urls"
    assert provider.messages == ()
