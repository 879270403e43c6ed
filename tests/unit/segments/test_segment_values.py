"""Segment and SegmentedMessage behave as immutable values: fields, equality, hashing,
repr, immutability and pickling (the behaviour they had as frozen dataclasses)."""

from __future__ import annotations

import copy
import pickle

import pytest

from smskit import Encoding, Segment, SegmentedMessage, segment


def test_segment_fields_and_keyword_construction() -> None:
    part = Segment("hi", 2, b"", Encoding.GSM7)
    assert (part.text, part.units, part.udh) == ("hi", 2, b"")
    assert part.encoding is Encoding.GSM7
    assert part.locking_shift is None
    assert part.single_shift is None
    named = Segment(
        text="hi", units=2, udh=b"", encoding=Encoding.GSM7, locking_shift="turkish",
        single_shift="turkish",
    )
    assert (named.locking_shift, named.single_shift) == ("turkish", "turkish")


def test_segment_equality_and_hash_follow_every_field() -> None:
    base = Segment("hi", 2, b"", Encoding.GSM7)
    assert base == Segment("hi", 2, b"", Encoding.GSM7)
    assert hash(base) == hash(Segment("hi", 2, b"", Encoding.GSM7))
    others = [
        Segment("ho", 2, b"", Encoding.GSM7),
        Segment("hi", 3, b"", Encoding.GSM7),
        Segment("hi", 2, b"\x00", Encoding.GSM7),
        Segment("hi", 2, b"", Encoding.UCS2),
        Segment("hi", 2, b"", Encoding.GSM7, "turkish"),
        Segment("hi", 2, b"", Encoding.GSM7, None, "turkish"),
    ]
    assert all(base != other for other in others)
    assert len({base, *others}) == 7
    assert base != ("hi", 2, b"", Encoding.GSM7, None, None)


def test_segment_repr_names_every_field() -> None:
    assert repr(Segment("hi", 2, b"", Encoding.GSM7)) == (
        "Segment(text='hi', units=2, udh=b'', encoding=<Encoding.GSM7: 'gsm7'>, "
        "locking_shift=None, single_shift=None)"
    )


@pytest.mark.parametrize("name", ["text", "units", "udh", "encoding", "locking_shift", "extra"])
def test_segment_is_immutable(name: str) -> None:
    part = segment("x" * 200).segments[0]
    with pytest.raises(AttributeError):
        setattr(part, name, "y")
    with pytest.raises(AttributeError):
        delattr(part, name)


def test_values_from_segment_equal_values_built_by_hand() -> None:
    parts = segment("x" * 200, reference=7).segments
    assert parts[1] == Segment("x" * 47, 47, bytes.fromhex("050003070202"), Encoding.GSM7)
    turkish = segment("Ayşe " * 40, languages=("turkish",)).segments[0]
    assert turkish.locking_shift == "turkish" or turkish.single_shift == "turkish"


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("x" * 400, {}),
        ("Zoë 👍🏽 " * 30, {"reference_bits": 16, "reference": 513}),
        ("Ayşe çalışıyor " * 20, {"languages": ("turkish",)}),
        ("", {}),
    ],
)
def test_pickle_and_copy_round_trip(text: str, options: dict[str, object]) -> None:
    message = segment(text, **options)  # type: ignore[arg-type]
    for restored in (pickle.loads(pickle.dumps(message)), copy.deepcopy(message)):
        assert restored == message
        assert hash(restored) == hash(message)
        assert restored.segments == message.segments
        assert repr(restored) == repr(message)
    for part in message.segments:
        assert pickle.loads(pickle.dumps(part)) == part
        assert copy.copy(part) == part


def test_message_equality_hash_and_immutability() -> None:
    one, two = segment("x" * 200), segment("x" * 200)
    assert one == two
    assert hash(one) == hash(two)
    assert one.segments == two.segments  # building the parts changes nothing
    assert one == segment("x" * 200)
    assert one != segment("x" * 201)
    assert one != segment("x" * 200, reference=1)
    assert one != segment("x" * 200, reference_bits=16)
    assert one != segment("x" * 200, encoding="ucs2")
    with pytest.raises(AttributeError):
        one.text = "y"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del one.replacements  # type: ignore[misc]
    assert isinstance(one, SegmentedMessage)


def test_message_repr() -> None:
    assert repr(segment("x" * 200)) == (
        "SegmentedMessage(encoding='gsm7', segment_count=2, units=200, remaining=106, "
        f"text={'x' * 200!r})"
    )


@pytest.mark.parametrize(
    "args",
    [
        (b"hi", 2, b"", Encoding.GSM7),
        ("hi", "2", b"", Encoding.GSM7),
        ("hi", -1, b"", Encoding.GSM7),
        ("hi", True, b"", Encoding.GSM7),
        ("hi", 2, bytearray(), Encoding.GSM7),
        ("hi", 2, b"", "gsm7"),
        ("hi", 2, b"", Encoding.GSM7, 1),
        ("hi", 2, b"", Encoding.GSM7, None, b"turkish"),
    ],
)
def test_segment_constructor_refuses_wrong_fields(args: tuple[object, ...]) -> None:
    with pytest.raises(TypeError, match="Segment"):
        Segment(*args)  # type: ignore[arg-type]


_FIELDS = ("hi", (), 2, 158, 8, 0)


@pytest.mark.parametrize(
    "args",
    [
        ("hi", ()),
        (_FIELDS, ()),
        (_FIELDS, [Segment("hi", 2, b"", Encoding.GSM7)]),
        (_FIELDS, ("hi",)),
        (_FIELDS[:5], (Segment("hi", 2, b"", Encoding.GSM7),)),
        ((b"hi", *_FIELDS[1:]), (Segment("hi", 2, b"", Encoding.GSM7),)),
        ((*_FIELDS[:2], "2", *_FIELDS[3:]), (Segment("hi", 2, b"", Encoding.GSM7),)),
    ],
)
def test_message_constructor_refuses_wrong_fields(args: tuple[object, ...]) -> None:
    # Not the way to make a message (segment() is), but what unpickling calls: a
    # mistake is a clear error now, not a value whose properties fail later.
    with pytest.raises(TypeError, match="SegmentedMessage"):
        SegmentedMessage(*args)  # type: ignore[arg-type]
    parts = (Segment("hi", 2, b"", Encoding.GSM7),)
    assert SegmentedMessage(_FIELDS, parts) == segment("hi")


def test_message_parts_and_options_are_part_of_its_value() -> None:
    # One part either way, but the reference asked for is kept, as it always was.
    assert segment("hi", reference=1) != segment("hi")
    assert segment("hi", reference_bits=16) != segment("hi")
    message = segment("x" * 200)
    with pytest.raises(AttributeError):
        message.segments = ()
    with pytest.raises(AttributeError):
        del message.segments
    assert message.segments is message.segments  # built once, by segment()
