"""Segment and SegmentedMessage behave as immutable values: fields, equality, hashing,
repr, immutability and pickling (the behaviour they had as frozen dataclasses)."""

from __future__ import annotations

import copy
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import smskit
from smskit import ConfigurationError, Encoding, EncodingError, Segment, SegmentedMessage, segment


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



def test_fields_read_on_the_values_and_document_themselves_on_the_classes() -> None:
    message = segment("a" * 200, reference=7)
    assert (message.text, message.replacements, message.units, message.remaining) == (
        "a" * 200, (), 200, 106,
    )
    first, second = message.segments
    assert (first.text, first.units, first.udh) == ("a" * 153, 153, b"\x05\x00\x03\x07\x02\x01")
    assert (second.text, second.units, second.udh) == ("a" * 47, 47, b"\x05\x00\x03\x07\x02\x02")
    assert Segment.udh.__doc__ == "The User Data Header, UDHL included."
    assert SegmentedMessage.segments.__doc__ == "The parts, in order."


def test_the_property_fields_stand_in_for_the_c_descriptor() -> None:
    # Where CPython's namedtuple descriptor is missing, the fields are itemgetter
    # properties: the same reads, and read-only.
    from smskit.segments.segmentation import _item_property

    udh = _item_property(2, "The header.")
    part = Segment("hi", 2, b"\x01", Encoding.GSM7)
    assert udh.__get__(part, Segment) == b"\x01"
    assert udh.__doc__ == "The header."
    with pytest.raises(AttributeError):
        udh.__set__(part, b"")

# Run where ``collections._tuplegetter`` is the standard library's own stand-in (a
# property over an itemgetter: what ``collections`` defines when its C module lacks
# the descriptor, as on other Pythons), so the fields are properties in that process.
_WITHOUT_C_DESCRIPTOR = textwrap.dedent(
    """
    import collections, copy, pickle
    from operator import itemgetter
    collections._tuplegetter = lambda index, doc: property(itemgetter(index), doc=doc)
    from dataclasses import FrozenInstanceError
    from smskit import Segment, SegmentedMessage, segment

    assert type(Segment.udh) is property and type(SegmentedMessage.segments) is property
    message = segment("a" * 200, reference=7)
    assert (message.text, message.replacements, message.units, message.remaining) == (
        "a" * 200, (), 200, 106)
    first, second = message.segments
    assert (first.text, first.units) == ("a" * 153, 153)
    assert first.udh == b"\\x05\\x00\\x03\\x07\\x02\\x01"
    assert (second.locking_shift, second.single_shift) == (None, None)
    assert Segment.udh.__doc__ == "The User Data Header, UDHL included."
    for value, name in ((first, "udh"), (message, "segments")):
        for act in (lambda: setattr(value, name, 1), lambda: delattr(value, name)):
            try:
                act()
            except FrozenInstanceError:
                pass
            else:
                raise AssertionError(name)
    assert pickle.loads(pickle.dumps(message)) == message == copy.deepcopy(message)
    match first:
        case Segment(text, units, udh):
            assert (units, udh[-1]) == (153, 1)
    print("ok")
    """
)


def test_the_fields_without_the_c_descriptor() -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(smskit.__file__).parents[1])}
    run = subprocess.run(
        [sys.executable, "-c", _WITHOUT_C_DESCRIPTOR], env=env, capture_output=True,
        text=True, timeout=120, check=False,
    )
    assert (run.returncode, run.stdout, run.stderr) == (0, "ok\n", "")


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
        del one.replacements
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


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("hi", 2, b"", Encoding.GSM7, "klingon"), "locking_shift"),
        (("hi", 2, b"", Encoding.GSM7, None, ""), "single_shift"),
        # Spanish has a single-shift table and no locking-shift one (TS 23.038 A.2.2).
        (("hi", 2, b"", Encoding.GSM7, "spanish"), "locking_shift"),
        # Only Kannada and Tamil have misprinted positions for ":android" to choose.
        (("hi", 2, b"", Encoding.GSM7, None, "turkish:android"), "single_shift"),
    ],
)
def test_segment_constructor_refuses_tables_that_do_not_exist(
    args: tuple[object, ...], field: str
) -> None:
    # segment() refuses these names; a part built by hand with one failed only when its
    # user_data was read (KeyError, AssertionError).
    with pytest.raises(ConfigurationError) as info:
        Segment(*args)  # type: ignore[arg-type]
    assert info.value.field == field


@pytest.mark.parametrize(
    ("args", "position"),
    [
        (("aЖ", 2, b"", Encoding.GSM7), 1),
        (("a{`", 4, b"", Encoding.GSM7), 2),  # a backtick is ASCII, not GSM-7
        (("aЖ", 2, b"", Encoding.GSM7, "turkish"), 1),
        # In the default alphabet, not in the Turkish locking-shift table.
        (("ab¿", 3, b"", Encoding.GSM7, "turkish"), 2),
        (("ab\ud800", 3, b"", Encoding.UCS2), 2),
    ],
)
def test_segment_constructor_refuses_text_its_alphabet_cannot_carry(
    args: tuple[object, ...], position: int
) -> None:
    # Such a part's user_data raised UnicodeEncodeError or a packing error naming no
    # character, or packed a septet over 0x7F.
    with pytest.raises(EncodingError) as info:
        Segment(*args)  # type: ignore[arg-type]
    assert info.value.position == position


def test_segment_constructor_takes_every_table_segment_uses() -> None:
    assert Segment("ş€{", 4, b"", Encoding.GSM7, "turkish", "turkish").locking_shift == "turkish"
    assert Segment("á", 2, b"", Encoding.GSM7, None, "spanish").single_shift == "spanish"
    assert Segment("a", 1, b"", Encoding.GSM7, "kannada:android").locking_shift == (
        "kannada:android"
    )
    assert Segment("Ж 👍🏽", 6, b"", Encoding.UCS2).units == 6


_FIELDS = ("hi", (), 2, 158, 8, 0)


_PART = (Segment("hi", 2, b"", Encoding.GSM7),)


@pytest.mark.parametrize(
    "args",
    [
        (("hi", (["x"],), 2, 158, 8, 0), _PART),  # a list among the replacements: unhashable
        (("hi", (), -2, 158, 8, 0), _PART),
        (("hi", (), 2, -1, 8, 0), _PART),
        (("hi", (), 2, 158, 12, 0), _PART),
        (("hi", (), 2, 158, 8, 256), _PART),
        (("hi", (), 2, 158, 16, -1), _PART),
        (("ho", (), 2, 158, 8, 0), _PART),  # parts that do not spell the text
    ],
)
def test_message_constructor_refuses_values_segment_never_makes(args: tuple[object, ...]) -> None:
    with pytest.raises(TypeError, match="SegmentedMessage"):
        SegmentedMessage(*args)  # type: ignore[arg-type]


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
        message.segments = ()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del message.segments
    assert message.segments is message.segments  # built once, by segment()


# Both values are tuples underneath (the cheapest object Python builds). A Segment is a
# record of its six fields in order, like a named tuple; a message is not a sequence.


def test_segment_unpacks_into_its_fields_in_order() -> None:
    part = Segment("hi", 2, b"\x05", Encoding.UCS2, "turkish", None)
    text, units, udh, encoding, locking, single = part
    assert (text, units, udh, encoding, locking, single) == (
        "hi", 2, b"\x05", Encoding.UCS2, "turkish", None
    )
    assert len(part) == 6
    assert part[0] == "hi"
    assert part[3] is Encoding.UCS2
    assert isinstance(part, tuple)
    match part:
        case Segment(chunk, count, header):
            assert (chunk, count, header) == ("hi", 2, b"\x05")
        case _:
            pytest.fail("Segment did not match its positional pattern")


def test_segment_equals_no_plain_tuple_and_no_other_value() -> None:
    part = Segment("hi", 2, b"", Encoding.GSM7)
    items = ("hi", 2, b"", Encoding.GSM7, None, None)
    assert tuple(part) == items
    # Both operand orders: a plain tuple's own __eq__ must not be reached.
    assert part != items
    assert items != part
    assert (part == items) is False
    assert (items == part) is False
    assert part != segment("hi")
    assert segment("hi") != part
    assert part != "hi"


@pytest.mark.parametrize(
    "compare",
    [
        lambda a, b: a < b,
        lambda a, b: a <= b,
        lambda a, b: a > b,
        lambda a, b: a >= b,
    ],
)
def test_values_are_not_ordered(compare: object) -> None:
    part = Segment("a", 1, b"", Encoding.GSM7)
    other = Segment("b", 1, b"", Encoding.GSM7)
    with pytest.raises(TypeError):
        compare(part, other)  # type: ignore[operator]
    with pytest.raises(TypeError):
        compare(part, ("a",))  # type: ignore[operator]
    with pytest.raises(TypeError):
        compare(segment("a"), segment("b"))  # type: ignore[operator]


def test_message_is_not_a_sequence() -> None:
    message = segment("x" * 200)
    with pytest.raises(TypeError, match="not a sequence"):
        iter(message)
    with pytest.raises(TypeError, match="not a sequence"):
        len(message)
    with pytest.raises(TypeError, match="not a sequence"):
        "x" in message  # noqa: B015
    with pytest.raises(TypeError, match="not a sequence"):
        message + message
    with pytest.raises(TypeError, match="not a sequence"):
        message * 2
    assert bool(message) is True
    assert [part.text for part in message.segments] == ["x" * 153, "x" * 47]


def test_message_equals_no_plain_tuple() -> None:
    message = segment("hi")
    stored = ("hi", (), 2, 158, 8, 0, message.segments)
    assert tuple.__eq__(message, stored)  # what a plain tuple's __eq__ would say
    assert message != stored
    assert stored != message
    assert (message == stored) is False
    assert (stored == message) is False
    assert hash(message) == hash(segment("hi"))


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_at_every_protocol(protocol: int) -> None:
    message = segment("Zoë 👍🏽 " * 30, reference=9)
    restored = pickle.loads(pickle.dumps(message, protocol=protocol))
    assert type(restored) is SegmentedMessage
    assert restored == message
    assert all(type(part) is Segment for part in restored.segments)
    assert [tuple(part) for part in restored.segments] == [
        tuple(part) for part in message.segments
    ]


def test_copies_are_equal_values_of_the_same_class() -> None:
    message = segment("x" * 400, reference=3)
    for copied in (copy.copy(message), copy.deepcopy(message)):
        assert type(copied) is SegmentedMessage
        assert copied == message
        assert copied.segments == message.segments
    part = message.segments[2]
    for copied_part in (copy.copy(part), copy.deepcopy(part)):
        assert type(copied_part) is Segment
        assert copied_part == part


class _Part(Segment):
    """A subclass, as an application may make to add a method."""

    __slots__ = ()


class _Message(SegmentedMessage):
    __slots__ = ()


def test_subclass_values_copy_and_pickle_as_themselves() -> None:
    # As a dataclass's would: the copy is of the same class, so equal to the original
    # (a Segment equals only a value of its own class); repr names the class.
    part = _Part("hi", 2, b"", Encoding.GSM7)
    message = segment("x" * 200)
    sub_message = _Message(message[:6], message.segments)  # type: ignore[arg-type]
    for value in (part, sub_message):
        for copied in (
            copy.copy(value),
            copy.deepcopy(value),
            *(pickle.loads(pickle.dumps(value, protocol)) for protocol in range(6)),
        ):
            assert type(copied) is type(value)
            assert copied == value
    assert repr(part).startswith("_Part(text='hi', ")
    assert repr(sub_message).startswith("_Message(encoding='gsm7', ")
    assert part != Segment("hi", 2, b"", Encoding.GSM7)
    assert sub_message != message
