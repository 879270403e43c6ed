"""The system database's other spellings of a fixed offset are refused too (rev26u).

Where the host has /usr/share/zoneinfo, ``posix/EST``, ``right/EST``, ``posix/Etc/GMT+5``
and ``posix/UTC`` load as zones: the same fixed offsets user27 refused as ``EST`` and
``Etc/GMT+5``, accepted under a folder's name. ``Factory`` is UTC with no place, and
``localtime`` is the host's own zone (a server in UTC judged a Florida lead's evening
by it). Names this host cannot load are skipped: elsewhere they are unknown zones,
refused anyway.
"""

from __future__ import annotations

import pytest

from smskit.errors import ConfigurationError
from smskit.policy import SendRequest
from smskit.timing.quiet_rules import load_zone

MIAMI = "+13055550128"


def _loads(name: str) -> bool:
    try:
        load_zone(name)
    except ConfigurationError:
        return False
    return True


@pytest.mark.parametrize(
    "zone",
    ["posix/EST", "right/EST", "posix/Etc/GMT+5", "posix/UTC", "right/UTC", "Factory",
     "localtime"],
)
def test_another_spelling_of_a_fixed_or_host_zone_is_refused(zone: str) -> None:
    if not _loads(zone):
        pytest.skip(f"{zone} is not a zone on this host")
    with pytest.raises(ConfigurationError) as caught:
        SendRequest(MIAMI, body="Acme: hi. Reply STOP to opt out", recipient_zone=zone)
    assert caught.value.field == "recipient_zone"
    assert "America/New_York" in str(caught.value)


@pytest.mark.parametrize("zone", ["America/Phoenix", "Pacific/Honolulu", "America/Puerto_Rico"])
def test_a_place_without_daylight_saving_is_still_a_place(zone: str) -> None:
    assert SendRequest(MIAMI, body="Acme: hi", recipient_zone=zone).recipient_zone == zone
