"""Media the engine checks must reach the provider as URLs (user23).

A listing photo given as ``request.media`` (a file the engine sniffs and sizes)
without ``media_urls`` went out as the text alone: the lead got "photos attached"
and no photo, and the history recorded an MMS.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from smskit import (
    CompliancePipeline,
    ConfigurationError,
    ConsentLedger,
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
    default_policies,
)
from smskit.testing import FixedClock

AT = datetime(2026, 12, 7, 16, 0, tzinfo=UTC)  # 11:00 in New York
LEAD = "+12125550123"
# A 1x1 GIF: real media bytes, tiny.
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
BODY = "Lakeview Realty: photos of 12 Main St attached. Reply STOP to opt out"


def _rig() -> tuple[Messenger, MemoryProvider, SenderProfile]:
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
                 source="web_form", channels=["sms", "mms"], at=AT - timedelta(days=1),
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
