"""A finding whose details hold a container that holds itself is refused when it is made.

Copying or pickling a finding rebuilds its details container by container, so a cycle
(or a nesting deeper than the interpreter's recursion limit) ended in a RecursionError
traceback far from the code that made the finding. The constructor now refuses it with
a ConfigurationError (an SmskitError and a ValueError) naming the path to the cycle.
Shared containers that form no cycle, and everything the rules put in details, still copy.
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _copies import COPIES, copied
from smskit import ConfigurationError, SmskitError
from smskit.findings import Finding, Severity


def _make(details: object) -> Finding:
    return Finding("content.example", Severity.INFO, "m", details=details)  # type: ignore[arg-type]


def _dict_holding_itself() -> dict[str, object]:
    details: dict[str, object] = {"limit": 3}
    details["again"] = details
    return details


def _list_holding_itself() -> dict[str, object]:
    items: list[object] = [1]
    items.append(items)
    return {"limit": 3, "items": items}


def _proxy_holding_itself() -> MappingProxyType[str, object]:
    inner: dict[str, object] = {}
    proxy = MappingProxyType(inner)
    inner["back"] = ({"to": proxy},)  # through a tuple and a dict
    return MappingProxyType({"outer": proxy})


@pytest.mark.parametrize(
    ("build", "where"),
    [
        (_dict_holding_itself, "details['again']"),
        (_list_holding_itself, "details['items'][1]"),
        (_proxy_holding_itself, "details['outer']['back'][0]['to']"),
    ],
)
def test_a_container_that_holds_itself_is_refused_at_construction(
    build: object, where: str
) -> None:
    with pytest.raises(ConfigurationError) as info:
        _make(build())  # type: ignore[operator]
    error = info.value
    assert isinstance(error, SmskitError)
    assert isinstance(error, ValueError)
    assert error.field == "details"
    assert f"{where} refers back to a container that encloses it" in str(error)
    assert "RecursionError" not in str(error)


def test_nesting_past_the_limit_is_refused() -> None:
    deep: list[object] = []
    for _ in range(5000):  # past the recursion limit: copying would overflow
        deep = [deep]
    with pytest.raises(ConfigurationError, match="nest containers more than 100 deep"):
        _make({"deep": deep})
    fine: list[object] = []
    for _ in range(99):
        fine = [fine]
    assert copied(_make({"deep": fine}), "pickle5") == _make({"deep": fine})


@pytest.mark.parametrize("how", COPIES)
def test_shared_containers_without_a_cycle_still_copy(how: str) -> None:
    shared = [1, 2]
    at = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)
    details = MappingProxyType(
        {"a": shared, "b": (shared, shared), "nested": MappingProxyType({"c": shared}), "at": at}
    )
    finding = _make(details)
    assert copied(finding, how) == finding


def test_the_path_in_the_message_never_shows_a_phone_number_in_full() -> None:
    # Details keyed by recipient are plausible; the path to a cycle must not echo the
    # number (nor the deep-nesting message its first keys).
    items: list[object] = [1]
    items.append(items)
    with pytest.raises(ConfigurationError) as info:
        _make({"by_number": {"+14155550123": items}})
    message = str(info.value)
    assert "4155550123" not in message
    assert "details['by_number']['+1********23'][1] refers back" in message
    deep: list[object] = []
    for _ in range(200):
        deep = [deep]
    with pytest.raises(ConfigurationError) as info:
        _make({"447700900123": deep})
    assert "7700900123" not in str(info.value)
    assert "details['4*********23'][0]" in str(info.value)


class _CountedList(list[object]):
    """A list that counts how often the check reads it (a list subclass is walked)."""

    reads = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        _CountedList.reads += 1
        return super().__iter__()


def test_a_container_shared_by_many_paths_is_walked_once() -> None:
    # Two references to the level below, 20 levels: a million paths, 21 containers. The
    # check walked every path (2**40 at 40 levels: a constructor that never returns).
    level: list[object] = _CountedList([1])
    for _ in range(20):
        level = [level, level]
    _CountedList.reads = 0
    finding = _make({"tree": level})
    assert _CountedList.reads == 1
    assert finding.details["tree"] is level


@pytest.mark.parametrize(
    ("key", "digits"),
    [("212.555.0188", "2125550188"), ("+44.20.7946.0958", "442079460958"),
     ("212/555/0188", "2125550188"), ("212\t555\t0188", "2125550188"),
     ("212\n555\n0188", "2125550188"), ("212\x1b555\x1b0188", "2125550188"),
     ("212\u2009555\u20090188", "2125550188"),
     # fix26m: commas, colons, letters glued on either side.
     ("212,555,0188", "2125550188"), ("212:555:0188", "2125550188"),
     ("tel:+12125550188", "12125550188"), ("cell2125550188", "2125550188"),
     ("ph#2125550188x", "2125550188")],
)
def test_a_key_written_with_dots_slashes_or_control_characters_is_masked(
    key: str, digits: str
) -> None:
    # Review rev25k, 2026-12-05: the path's masker took only spaces, dashes and brackets
    # between digits, and ran on the key's repr, where a tab is "\t": a number written
    # "212.555.0188" or with tabs reached the message in full.
    items: list[object] = [1]
    items.append(items)
    with pytest.raises(ConfigurationError) as info:
        _make({key: items})
    message = str(info.value)
    assert digits not in "".join(c for c in message if c.isdigit()), message
    # An escape between the groups ("\\x1b") puts digits of its own between them.
    assert "555" not in message, message
    assert "7946" not in message, message


_KEY_GAPS = st.sampled_from(
    ["", " ", "-", ".", "\u2013", "\u2014", "\u2010", "\u2011", "\u2212", "\uff0d",
     "\u00a0", "\t", "%20", "+", "_"]
)


@given(
    exchange=st.integers(200, 999), line=st.integers(0, 9999),
    gaps=st.tuples(_KEY_GAPS, _KEY_GAPS), zero=st.sampled_from([0x30, 0xFF10, 0x660]),
    brackets=st.sampled_from([("", ""), ("(", ")"), ("\uff08", "\uff09")]),
)
def test_a_number_key_with_unicode_dashes_or_digits_never_shows_in_full(
    exchange: int, line: int, gaps: tuple[str, str], zero: int, brackets: tuple[str, str],
) -> None:
    # rev26m: "415–555–0123" (en dashes, as a spreadsheet writes them) or fullwidth
    # brackets and digits were shown whole in the path of a cyclic-details error.
    groups = ("".join(chr(zero + int(c)) for c in group)
              for group in ("415", str(exchange), f"{line:04d}"))
    area, middle, last = groups
    key = f"{brackets[0]}{area}{brackets[1]}{gaps[0]}{middle}{gaps[1]}{last}"
    items: list[object] = [1]
    items.append(items)
    with pytest.raises(ConfigurationError) as info:
        _make({key: items})
    message = str(info.value).replace("%20", "")
    digits = "".join(str(int(c)) for c in message if c.isdigit())
    assert f"{exchange}{line:04d}" not in digits, message
