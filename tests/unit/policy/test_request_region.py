"""A recipient region that names no jurisdiction, found when the request is built.

A CRM row with the state written "FL" gave ``SendRequest(..., recipient_region="FL")``,
accepted; ``decide_many`` then raised JurisdictionError for the whole campaign without
naming the row (``recipient_zone`` was already checked when the request was built).
"""

from __future__ import annotations

import pytest

from smskit import SendRequest
from smskit.errors import JurisdictionError


def test_a_state_written_alone_is_refused_with_its_iso_code() -> None:
    with pytest.raises(JurisdictionError) as caught:
        SendRequest("+13055550123", body="x", recipient_region="FL")
    assert caught.value.code == "FL"
    assert "'US-FL'" in str(caught.value)
    assert "did you mean" in str(caught.value)


def test_a_name_is_refused_when_the_request_is_built() -> None:
    with pytest.raises(JurisdictionError, match="unknown jurisdiction 'Florida'"):
        SendRequest("+13055550123", body="x", recipient_region="Florida")
    with pytest.raises(JurisdictionError, match="unsupported subdivision 'US-ZZ'"):
        SendRequest("+13055550123", body="x", recipient_region="US-ZZ")


@pytest.mark.parametrize("region", ["US-FL", "us-fl", "US", "CA-QC", "GB"])
def test_known_regions_are_accepted_as_given(region: str) -> None:
    assert SendRequest("+13055550123", body="x", recipient_region=region).recipient_region == region
