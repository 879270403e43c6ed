"""A UK or Australian clinic's region column, as its CRM writes it.

"UK" is no ISO 3166-1 code (the United Kingdom is GB; "UK" is only reserved for it) and
"AU-NSW" is a subdivision smskit has no zones for: both were refused without saying
what to write instead.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from smskit.errors import JurisdictionError
from smskit.timing.quiet_hours import QuietHours

AT = datetime(2026, 12, 5, 21, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "meant"), [("UK", "GB"), ("uk", "GB"), ("EL", "GR"), (" UK", "GB"), ("UK ", "GB")]
)
def test_a_reserved_alias_of_a_country_is_hinted(written: str, meant: str) -> None:
    with pytest.raises(JurisdictionError, match=rf"did you mean '{meant}'\?"):
        QuietHours().check("+447400123456", AT, purpose="marketing", recipient_region=written)
    # The hint works: the code it names is accepted.
    decision = QuietHours().check("+447400123456", AT, purpose="marketing",
                                  recipient_region=meant)
    assert decision.jurisdictions == (meant,)


@pytest.mark.parametrize(("written", "country"), [("AU-NSW", "AU"), ("GB-SCT", "GB")])
def test_a_subdivision_abroad_names_the_country_and_recipient_zone(
    written: str, country: str
) -> None:
    with pytest.raises(JurisdictionError, match=rf"'{country}'.*recipient_zone"):
        QuietHours().check("+61412345678", AT, purpose="marketing", recipient_region=written)
