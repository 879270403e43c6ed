"""The check on a finding's details refuses exactly the details a plain walk refuses.

The reference below follows every path (no memory of containers already walked) and
recurses: slow on shared containers, obviously right. The check remembers containers it
walked to the end and so walks a shared one once; on any graph of lists and dicts it
must refuse the same details with the same message, and accept the same.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit import ConfigurationError
from smskit.findings import Finding, Severity

LIMIT = 100  # the check's depth limit


Fault = tuple[str, tuple[object, ...]]


def _reference(node: object, path: tuple[object, ...], on_path: list[int]) -> Fault | None:
    """The first fault depth first: ``("cycle", path)`` or ``("deep", first 5 keys)``."""
    if id(node) in on_path:
        return "cycle", path
    if len(path) > LIMIT:
        return "deep", path[:5]
    items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))  # type: ignore[call-overload]
    for key, value in items:
        if isinstance(value, list | dict):
            fault = _reference(value, (*path, key), [*on_path, id(node)])
            if fault:
                return fault
    return None


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, object]:
    """Details over a few lists and dicts with edges drawn at random (cycles, sharing),
    some behind a chain long enough to pass the depth limit."""
    count = draw(st.integers(1, 6))
    nodes: list[list[object] | dict[object, object]] = [
        [] if draw(st.booleans()) else {} for _ in range(count)
    ]
    for node in nodes:
        for target in draw(st.lists(st.integers(0, count - 1), max_size=3)):
            value: object = nodes[target]
            for _ in range(draw(st.sampled_from([0, 0, 0, 45, 99]))):
                value = [value]
            if isinstance(node, list):
                node.append(value)
            else:
                node[len(node)] = value
        if draw(st.booleans()):  # a leaf beside the containers
            if isinstance(node, list):
                node.append(7)
            else:
                node["n"] = 7
    return {"root": nodes[0], "other": nodes[-1]}


@given(graphs())
def test_the_check_refuses_what_a_plain_walk_refuses(details: dict[str, object]) -> None:
    fault = _reference(details, (), [])
    if fault is None:
        Finding("content.example", Severity.INFO, "m", details=details)  # accepted
        return
    kind, keys = fault
    with pytest.raises(ConfigurationError) as info:
        Finding("content.example", Severity.INFO, "m", details=details)
    path = "details" + "".join(f"[{key!r}]" for key in keys)
    assert (f"{path} refers back" if kind == "cycle" else f"{path}...") in str(info.value)


@given(
    groups=st.lists(st.text("0123456789", min_size=1, max_size=4), min_size=2, max_size=5),
    gaps=st.lists(st.sampled_from([" ", "-", ".", "/", "(", ")", "\t", "\n", "\x1b", "\u2009",
                                   "\u00a0", " - "]), min_size=4, max_size=4),
    plus=st.booleans(),
    before=st.text(st.characters(exclude_categories=("Nd", "No", "Nl", "Cs")), max_size=6),
)
def test_a_key_that_may_be_a_phone_number_is_never_shown_in_full(
    groups: list[str], gaps: list[str], plus: bool, before: str
) -> None:
    # Review rev25k: a number in a key reaches the message masked however its digits
    # are separated (dots, slashes, tabs, escapes), as the path names the key.
    digits = "".join(groups)
    if len(digits) < 7:
        return
    key = before + " " + ("+" if plus else "") + "".join(
        g + gap for g, gap in zip(groups, [*gaps, ""], strict=False)
    )
    items: list[object] = [1]
    items.append(items)
    with pytest.raises(ConfigurationError) as info:
        Finding("content.example", Severity.INFO, "m", details={key: items})
    message = str(info.value)
    assert digits not in "".join(c for c in message if c.isdigit()), (key, message)
