"""``reconcile(older_than=)`` and ``Messenger(in_flight=)`` are checked when given.

``older_than=300`` (seconds, as a scheduler's config gives them) passed every
``reconcile`` run while nothing was unresolved, then raised a bare ``TypeError`` on the
day a crash left a row to resolve: the one day it mattered.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger import Messenger

from .conftest import T0, build_rig


@pytest.mark.parametrize("older_than", [300, "5m", None, timedelta(minutes=-5)])
def test_a_bad_older_than_is_refused_even_with_nothing_to_resolve(older_than: object) -> None:
    rig = build_rig()
    assert rig.outbox.unresolved() == ()
    with pytest.raises(ConfigurationError, match="older_than must be a timedelta") as raised:
        rig.messenger.reconcile(T0, older_than=older_than)  # type: ignore[arg-type]
    assert raised.value.field == "older_than"


@pytest.mark.parametrize("in_flight", [120, None, timedelta(seconds=-1)])
def test_a_bad_in_flight_is_refused_by_the_constructor(in_flight: object) -> None:
    rig = build_rig()
    with pytest.raises(ConfigurationError, match="in_flight must be a timedelta") as raised:
        Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history, rig.outbox,
                  senders=[rig.sender], in_flight=in_flight)  # type: ignore[arg-type]
    assert raised.value.field == "in_flight"


def test_a_lease_of_zero_is_allowed() -> None:
    rig = build_rig()
    assert rig.messenger.reconcile(T0, older_than=timedelta(0)) == ()
