"""A user's own subclass of a public value pickles and copies as itself, with its extra
fields, including keyword-only ones (``kw_only=True`` or after ``KW_ONLY``)."""

from __future__ import annotations

import copy
import pickle
from dataclasses import KW_ONLY, dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from smskit import SendRecord, SendRequest

NEW_YORK = ZoneInfo("America/New_York")
SECOND = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK)
COPIES = [*(f"pickle{p}" for p in range(pickle.HIGHEST_PROTOCOL + 1)), "deepcopy", "copy"]


@dataclass(frozen=True, slots=True)
class NotedRecord(SendRecord):
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TaggedRecord(SendRecord):
    tag: str = ""
    batch: int = 0


@dataclass(frozen=True, slots=True)
class TaggedRequest(SendRequest):
    _: KW_ONLY
    campaign: str = ""


def _copy(value: object, how: str) -> object:
    if how == "deepcopy":
        return copy.deepcopy(value)
    if how == "copy":
        return copy.copy(value)
    return pickle.loads(pickle.dumps(value, protocol=int(how.removeprefix("pickle"))))


@pytest.mark.parametrize("how", COPIES)
def test_a_subclass_keeps_its_positional_extra_field(how: str) -> None:
    record = NotedRecord("+12125550100", "acme", SECOND, "sale", note="from the CRM")
    again = _copy(record, how)
    assert type(again) is NotedRecord
    assert again == record
    assert again.note == "from the CRM"


@pytest.mark.parametrize("how", COPIES)
def test_a_subclass_keeps_its_keyword_only_fields(how: str) -> None:
    record = TaggedRecord("+12125550100", "acme", SECOND, "sale", tag="spring", batch=7)
    again = _copy(record, how)
    assert type(again) is TaggedRecord
    assert again == record
    assert (again.tag, again.batch) == ("spring", 7)
    assert again.at.fold == 1


@pytest.mark.parametrize("how", COPIES)
def test_a_request_subclass_keeps_a_field_after_kw_only(how: str) -> None:
    request = TaggedRequest("+12125550100", body="hi", values={"n": 1}, campaign="spring")
    again = _copy(request, how)
    assert type(again) is TaggedRequest
    assert again == request
    assert again.campaign == "spring"
    assert dict(again.values) == {"n": 1}
