"""Hypothesis: sniff_media never crashes, on any bytes or any cut of a valid file."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

import media_helpers as mh
from smskit.findings import Severity
from smskit.mms.policy import (
    US_CA_ROUTES,
    MediaInfo,
    MediaKind,
    MmsPolicy,
    OversizeAction,
    sniff_media,
)
from smskit.routes import Route

_FILES = mh.every_format()
_NAMES = sorted(_FILES)


def _consistent(info: MediaInfo, size: int) -> None:
    assert info.size == size
    assert (info.content_type is None) == (info.kind is MediaKind.UNKNOWN)
    assert info.width is None or info.width > 0
    assert info.height is None or info.height > 0


@given(st.binary(max_size=2048))
def test_any_bytes_never_crash(data: bytes) -> None:
    info = sniff_media(data)
    _consistent(info, len(data))
    assert sniff_media(io.BytesIO(data)) == info  # file objects agree with bytes


@given(st.sampled_from(_NAMES), st.binary(min_size=0, max_size=64))
def test_valid_header_followed_by_anything_never_crashes(name: str, tail: bytes) -> None:
    data = _FILES[name][0][:32] + tail
    _consistent(sniff_media(data), len(data))


@given(st.sampled_from(_NAMES), st.data())
def test_truncated_prefixes_never_crash(name: str, data: st.DataObject) -> None:
    whole, content_type = _FILES[name]
    cut = data.draw(st.integers(min_value=0, max_value=len(whole)))
    info = sniff_media(memoryview(whole)[:cut])
    _consistent(info, cut)
    if cut == len(whole):
        assert info.content_type == content_type


@given(st.sampled_from(_NAMES), st.data())
def test_flipped_bytes_never_crash(name: str, data: st.DataObject) -> None:
    whole = bytearray(_FILES[name][0])
    for _ in range(data.draw(st.integers(min_value=1, max_value=8))):
        at = data.draw(st.integers(min_value=0, max_value=len(whole) - 1))
        whole[at] = data.draw(st.integers(min_value=0, max_value=255))
    _consistent(sniff_media(whole), len(whole))


@given(
    st.lists(st.binary(max_size=256), max_size=12),
    st.text(max_size=200),
    st.sampled_from(US_CA_ROUTES),
    st.sampled_from(list(OversizeAction)),
)
def test_policy_check_never_crashes_and_totals_add_up(
    attachments: list[bytes], text: str, route: Route, action: OversizeAction
) -> None:
    policy = MmsPolicy(route=route, provider="twilio", oversize_action=action,
                       shrink_available=True)
    verdict = policy.check(attachments, text=text)
    assert verdict.total_bytes == verdict.text_bytes + sum(len(a) for a in attachments)
    assert len(verdict.per_attachment) == len(attachments)
    blocked = any(f.severity is Severity.BLOCK for f in verdict.findings)
    assert verdict.ok is not blocked
    if not any(f.code == "mms.too_large" for f in verdict.findings):
        assert verdict.action is None


@given(st.sampled_from([b"\xff\xfe", b"\xfe\xff", b"ID3"]), st.binary(max_size=512))
def test_byte_order_marks_and_id3_tags_followed_by_anything(prefix: bytes, tail: bytes) -> None:
    _consistent(sniff_media(prefix + tail), len(prefix) + len(tail))


_PRINTABLE = st.characters(
    exclude_categories=("Cc", "Cn", "Co", "Cs"), exclude_characters="\ufeff\ufffd"
)


@given(st.text(alphabet=_PRINTABLE, min_size=1, max_size=300).filter(str.strip))
def test_utf16_text_round_trips_as_text(text: str) -> None:
    # Printable text (no controls, unassigned or private-use characters) written
    # as UTF-16 with a BOM is text, whatever its byte order.
    for data in (text.encode("utf-16"), b"\xfe\xff" + text.encode("utf-16-be")):
        info = sniff_media(data)
        assert info.kind is MediaKind.TEXT, (text, info)
