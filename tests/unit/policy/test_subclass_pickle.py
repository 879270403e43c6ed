"""A user's own subclass of a public value pickles and copies as itself, with its extra
fields, including keyword-only ones (``kw_only=True`` or after ``KW_ONLY``)."""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass

import pytest

from _copies import COPIES, SECOND, copied
from smskit import SendRecord, SendRequest


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


@pytest.mark.parametrize("how", COPIES)
def test_a_subclass_keeps_its_positional_extra_field(how: str) -> None:
    record = NotedRecord("+12125550100", "acme", SECOND, "sale", note="from the CRM")
    again = copied(record, how)
    assert type(again) is NotedRecord
    assert again == record
    assert again.note == "from the CRM"


@pytest.mark.parametrize("how", COPIES)
def test_a_subclass_keeps_its_keyword_only_fields(how: str) -> None:
    record = TaggedRecord("+12125550100", "acme", SECOND, "sale", tag="spring", batch=7)
    again = copied(record, how)
    assert type(again) is TaggedRecord
    assert again == record
    assert (again.tag, again.batch) == ("spring", 7)
    assert again.at.fold == 1


@pytest.mark.parametrize("how", COPIES)
def test_a_request_subclass_keeps_a_field_after_kw_only(how: str) -> None:
    request = TaggedRequest("+12125550100", body="hi", values={"n": 1}, campaign="spring")
    again = copied(request, how)
    assert type(again) is TaggedRequest
    assert again == request
    assert again.campaign == "spring"
    assert dict(again.values) == {"n": 1}
