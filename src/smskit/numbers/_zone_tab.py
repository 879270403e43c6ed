"""The IANA time zone database's zone.tab: every zone each country uses.

Read from the ``tzdata`` package (a dependency), else from the system's database.
Quiet hours take a country's zones from it where the recipient's place in the country
is unknown; number parsing checks ``phonenumbers``' zone for a number against it.
"""

from __future__ import annotations

import zoneinfo
from array import array
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path

SOURCE = "https://data.iana.org/time-zones/tzdb/zone.tab"

# Noon UTC on every day of 2026: two zones that agree on all of them keep the same
# clock through a year, daylight saving included (one sample a month missed a summer
# time starting or ending on other days, Palestine's against Bucharest's). Fixed dates,
# never the wall clock: a number's zones do not change with the day it is parsed.
_SAMPLES = tuple(datetime(2026, 1, 1, 12, tzinfo=UTC) + timedelta(days=day)
                 for day in range(365))


@lru_cache(maxsize=1)
def zone_table() -> dict[str, tuple[str, ...]]:
    """zone.tab as country code -> its zones, sorted (read once, on first use); empty
    when no zone.tab is found."""
    table: dict[str, set[str]] = {}
    for line in _zone_tab_text().splitlines():
        if line and not line.startswith("#"):
            code, _, zone, *_ = line.split("\t")
            table.setdefault(code, set()).add(zone)
    return {code: tuple(sorted(zones)) for code, zones in table.items()}


def _zone_tab_text() -> str:
    # The tzdata package; else the system's database, which zoneinfo reads first
    # anyway, for an install without the package.
    try:
        return resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, OSError):
        pass
    for folder in zoneinfo.TZPATH:
        try:
            return Path(folder, "zone.tab").read_text("utf-8")
        except OSError:
            continue
    return ""


@lru_cache(maxsize=512)
def checked_zones(region: str, zones: tuple[str, ...]) -> tuple[str, ...]:
    """``phonenumbers``' zones for a number of ``region`` (not NANP), or zone.tab's
    zones for the region when none of them keeps the clock of one of those.

    ``phonenumbers`` names a stand-in for some countries' numbers: Morocco's on
    Atlantic/Canary (an hour behind it in winter), Algeria's on Europe/Paris and
    Libya's on Europe/Bucharest (both keep summer time, which neither country does),
    Nicaragua's on America/Chicago, South Sudan's on Africa/Nairobi (an hour apart all
    year), Palestine's on Europe/Bucharest (summer time on other days). A zone with the
    clock of one of the country's own (an alias, Asia/Calcutta for Asia/Kolkata) is
    kept as given.
    """
    own = zone_table().get(region)
    if not own or not zones:
        return zones
    clocks = {_clock(zone) for zone in own}
    if any(_clock(zone) in clocks for zone in zones):
        return zones
    # Of a country of many zones, those keeping the stand-in's clock on some day: for
    # Kaliningrad's Europe/Bucharest, Kaliningrad (winter) and Moscow's (summer), not
    # all of Russia's eleven clocks. None such (an hour apart all year): all of them.
    near = tuple(
        zone for zone in own
        if any(_alike_some_day(_clock(zone), _clock(given)) for given in zones)
    )
    return near or own


def _alike_some_day(one: bytes, other: bytes) -> bool:
    return any(a == b for a, b in zip(memoryview(one).cast("i"), memoryview(other).cast("i"),
                                      strict=False))


@lru_cache(maxsize=1024)
def _clock(zone: str) -> bytes:
    """The zone's UTC offset in seconds at each sample, packed (365 ints, not
    365 timedelta objects, per cached zone); empty for an unknown zone."""
    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return b""
    offsets = (at.astimezone(tz).utcoffset() for at in _SAMPLES)
    return array("i", (int(o.total_seconds()) if o else 0 for o in offsets)).tobytes()
