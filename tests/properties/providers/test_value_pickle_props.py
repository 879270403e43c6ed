"""Provider values go on queues (multiprocessing, celery): they pickle and deep-copy to an
equal value that is still immutable, its ``raw`` mapping included."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from dataclasses import FrozenInstanceError
from datetime import UTC
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit.providers import (
    DeliveryStatus,
    ErrorCategory,
    Geography,
    InboundMessage,
    MediaItem,
    MessageStatus,
    OptOutType,
)

text = st.text(max_size=12)
maybe = st.none() | text
raws = st.dictionaries(text, text, max_size=6)

statuses = st.builds(
    DeliveryStatus,
    message_id=text,
    status=st.sampled_from(MessageStatus),
    to=maybe,
    sender=maybe,
    error_code=maybe,
    category=st.none() | st.sampled_from(ErrorCategory),
    early_warning=st.booleans(),
    carrier_done_at=st.none() | st.datetimes(timezones=st.just(UTC)),
    account=maybe,
    idempotency_token=maybe,
    raw_status=maybe,
    raw=raws,
)
inbound = st.builds(
    InboundMessage,
    message_id=text,
    sender=text,
    to=text,
    body=st.text(max_size=40),
    media=st.lists(st.builds(MediaItem, url=text, content_type=maybe), max_size=3).map(tuple),
    opt_out_type=st.none() | st.sampled_from(OptOutType),
    from_geo=st.builds(Geography, city=maybe, state=maybe, zip=maybe, country=maybe),
    to_geo=st.builds(Geography, city=maybe),
    num_segments=st.none() | st.integers(0, 20),
    messaging_service=maybe,
    account=maybe,
    idempotency_token=maybe,
    raw=raws,
)

Copier = Callable[[Any], Any]
COPIERS: dict[str, Copier] = {
    **{f"pickle{p}": (lambda v, p=p: pickle.loads(pickle.dumps(v, protocol=p)))
       for p in range(pickle.HIGHEST_PROTOCOL + 1)},
    "deepcopy": copy.deepcopy,
    "copy": copy.copy,
}


def _same(value: DeliveryStatus | InboundMessage, copier: Copier) -> None:
    again = copier(value)
    assert type(again) is type(value)
    assert again == value
    # raw is left out of equality (compare=False): check it by hand, and that it is
    # still read-only.
    assert dict(again.raw) == dict(value.raw)
    assert isinstance(again.raw, MappingProxyType)
    with pytest.raises(TypeError):
        again.raw["MessageSid"] = "SMx"  # type: ignore[index]
    with pytest.raises(FrozenInstanceError):
        again.message_id = "SMx"  # type: ignore[misc]


@given(statuses, st.sampled_from(sorted(COPIERS)))
def test_a_delivery_status_survives_pickle_and_copy(value: DeliveryStatus, how: str) -> None:
    _same(value, COPIERS[how])
    assert COPIERS[how](value).reported == value.reported


@given(inbound, st.sampled_from(sorted(COPIERS)))
def test_an_inbound_message_survives_pickle_and_copy(value: InboundMessage, how: str) -> None:
    _same(value, COPIERS[how])
