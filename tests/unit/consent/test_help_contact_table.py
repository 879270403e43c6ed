"""Review of fix29h: what ``has_contact`` reads as a way to reach the business in a
HELP answer. A miss is a warning the user must silence; a false hit hides the warning
from a profile that needs it. Both tables are written by hand."""

from __future__ import annotations

import pytest

from smskit import SenderProfile
from smskit.consent.sender import has_contact


@pytest.mark.parametrize("text", [
    "Acme: call 1-800-FLOWERS",            # a toll-free vanity number
    "Acme: call 1 888 GOT-JUNK",
    "Acme: text us at (555) 010-0199",
    "Acme: write to help@acme.ca",
    "Acme: see acme.co.uk/help",
    "Acme: see acme.co.uk",                # a country's second-level domain, no path
    "Acme: see acme.de.",
    "Acme: see www.acme.io",
    "Acme: see acme.shop",
    "VISIT ACME.CA",
    "HTTPS://ACME.CA",
    "Acme: +44 20 7946 0958",
    "Acme: +33 1 23 45 67 89",
    "Acme: 1 (800) 555-0100",
    "Acme: 0800 123 4567",
    "Acme: (acme.com)",
])
def test_contacts_are_read(text: str) -> None:
    assert has_contact(text)


@pytest.mark.parametrize("text", [
    "Acme: delivery on 12/25/2026. Reply STOP to end.",
    "Acme: ref 2026-12-25. Reply STOP to end.",       # an ISO date is no phone number
    "Acme: visit on 2026-12-25 10:30. Reply STOP to end.",
    "Acme: total $1,234.56. Reply STOP to end.",
    "Acme: open 9:00-17:00 Mon-Fri. Reply HELP for help.",
    "Acme: order #1234. Reply STOP to end.",
    "Acme: your code is 123456.",                     # a short code or an OTP
    "Acme Inc.Reply STOP to end.",
    "Msg rates may apply.To stop, reply STOP.",       # a missing space is no domain
    "Acme: we will end.No more msgs after STOP.",
    "St.John Clinic: e.g. reply STOP. U.S.A. only.",
    "Acme: get 800 REWARDS points. Reply STOP",       # not led by 1: no vanity number
    "Acme: call 1-800-flowers",                       # lower case: a vanity is capitals
])
def test_non_contacts_are_not_read(text: str) -> None:
    assert not has_contact(text)


def test_the_text_is_checked_as_sent_with_the_brand_leading_it() -> None:
    # The default texts say no contact, but every reply is sent led by the brand: a
    # brand that is a web address is one in every HELP answer.
    assert SenderProfile(brand="Acme").advice()
    assert SenderProfile(brand="acme.ca").advice() == ()
